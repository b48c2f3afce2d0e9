"""Rules checkable from the NAT files alone that the census found missing (issue #14 item 4): X-13, X-14, X-15
(every supporting record is used), V-085-03 (overseas indicators; its property test is the field-rule test with the
breaker in tests/strategies/collections.py) and QLD-DUP-ACHIEVED.

Each rule is silent on a consistent collection and fires once, at the broken row and field, after its breaker.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from tests.strategies.collections import Broken, SampleCollection, consistent_collections, pick
from tests.validation.harness import ACT, Breaker, append, context, fired, run, where

FEW = settings(max_examples=max(8, settings().max_examples // 3))


def foreign_location(c: SampleCollection, data: st.DataObject) -> Broken:
    """X-13: a delivery location under an organisation that NAT00010 does not report (and with activity)."""
    row = dict(c.rows["NAT00020"][pick(data, c, "NAT00020")])
    row["training_organisation_id"] = "99999"
    broken, new = append(c, "NAT00020", row)
    used = [dict(r) for r in broken.rows[ACT]]
    used[0] = {**used[0], "training_organisation_id": "99999", "delivery_location_id": row["delivery_location_id"]}
    return Broken(broken.with_rows(ACT, used), "NAT00020", new, "training_organisation_id")


def unused_location(c: SampleCollection, data: st.DataObject) -> Broken:
    """X-14: a venue without any NAT00120 record."""
    venue = {
        "training_organisation_id": "90000",
        "delivery_location_id": data.draw(st.sampled_from(("LOC09", "SPARE", "ONLINE2"))),
        "delivery_location_name": "SAMPLE UNUSED CAMPUS",
        "postcode": "2000",
        "state_id": "01",
        "address_suburb": "SYDNEY",
        "country_id": "1101",
    }
    broken, new = append(c, "NAT00020", venue)
    return Broken(broken, "NAT00020", new, "delivery_location_id")


def unused_program(c: SampleCollection, data: st.DataObject) -> Broken:
    """X-15: a program (NAT00030 or a NAT00030A local skill set) that no activity or completion names."""
    if data.draw(st.booleans(), label="NAT00030A"):
        row = {
            "program_id": "LSS00077",
            "program_name": "SAMPLE LOCAL SKILL SET",
            "nominal_hours": 20,
            "program_recognition_id": "16",
            "vet_flag": "Y",
        }
        broken, new = append(c, "NAT00030A", row)
        return Broken(broken, "NAT00030A", new, "program_id")
    broken, new = append(c, "NAT00030", {"program_id": "ZZZ40177", "program_name": "SAMPLE", "nominal_hours": 100})
    return Broken(broken, "NAT00030", new, "program_id")


def achieved_again(c: SampleCollection, data: st.DataObject) -> Broken:
    """QLD-DUP-ACHIEVED: the same learner and subject again, dates not overlapping, one of the two achieved."""
    row = pick(data, c, ACT)
    first = dict(c.rows[ACT][row])
    rows = [dict(r) for r in c.rows[ACT]]
    outcome = data.draw(st.sampled_from(("20", "51")), label="achieved outcome")
    if data.draw(st.booleans(), label="achieved on the first record"):
        rows[row].update(
            outcome_national=outcome,
            activity_start_date=datetime.date(c.year, 2, 1),
            activity_end_date=datetime.date(c.year, 3, 1),
            hours_attended=None,
        )
        again_outcome = data.draw(st.sampled_from(("30", "20", "40")), label="second outcome")
    else:
        rows[row].update(
            outcome_national="30",
            activity_start_date=datetime.date(c.year, 2, 1),
            activity_end_date=datetime.date(c.year, 3, 1),
            hours_attended=None,
        )
        again_outcome = outcome
    if rows[row]["delivery_mode_id"] == "NNN" and rows[row]["outcome_national"] == "20":
        rows[row].update(delivery_mode_id="YNN", predominant_delivery_mode="I")
    again = {
        **first,
        "outcome_national": again_outcome,
        "activity_start_date": datetime.date(c.year, 5, 1),
        "activity_end_date": datetime.date(c.year, 6, 1),
        "hours_attended": 5 if again_outcome == "40" else None,
    }
    broken = c.with_rows(ACT, [*rows, again])
    # Keep the learner's other units from sharing the subject (the consistent collection has one row each).
    return Broken(broken, ACT, len(rows), "subject_id")


CASES: dict[str, Breaker] = {
    "X-13": foreign_location,
    "X-14": unused_location,
    "X-15": unused_program,
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
@FEW
@given(data=st.data())
def test_usage_rule_is_silent_on_consistent_data_and_fires_where_broken(rule_id: str, data: st.DataObject) -> None:
    """X-13, X-14, X-15: no finding on a consistent collection; exactly one, at the added record."""
    c = data.draw(consistent_collections(profile=data.draw(st.sampled_from(("national", "nsw", "qld")))))
    assert fired(rule_id, c) == []
    broken = CASES[rule_id](c, data)
    assert where(fired(rule_id, broken.collection)) == [(broken.file, broken.row, broken.field)]


@FEW
@given(data=st.data())
def test_usage_rules_read_nat00120_only_through_its_key_sets(data: st.DataObject) -> None:
    """X-14 and X-15 with NAT00120 absent but its key sets given (a chunked run) find the same."""
    c = data.draw(consistent_collections())
    rule_id = data.draw(st.sampled_from(("X-14", "X-15")))
    broken = CASES[rule_id](c, data).collection
    whole = context(broken.frames())
    keys = {
        ("NAT00120", ("training_organisation_id", "delivery_location_id")): whole.keys(
            "NAT00120", ("training_organisation_id", "delivery_location_id")
        ),
        ("NAT00120", ("program_id",)): whole.keys("NAT00120", ("program_id",)),
    }
    frames = {f: df for f, df in broken.frames().items() if f != ACT}
    assert run(rule_id, context(frames, reference_keys=keys)) == run(rule_id, whole)  # type: ignore[arg-type]


@settings(max_examples=5)
@given(c=consistent_collections())
def test_usage_rules_wait_for_a_missing_file(c: SampleCollection) -> None:
    """No NAT00010/NAT00010A, NAT00120 or NAT00130 at all: F-04's one finding, not one per row."""
    for rule_id, gone in (("X-13", ("NAT00010",)), ("X-14", (ACT,)), ("X-15", (ACT, "NAT00130"))):
        frames = {f: df for f, df in c.frames().items() if f not in gone}
        assert run(rule_id, context(frames)) == [], rule_id


@FEW
@given(data=st.data())
def test_QLD_DUP_ACHIEVED_fires_on_a_second_record_of_an_achieved_unit_only_under_qld(data: st.DataObject) -> None:
    """QLD-DUP-ACHIEVED: silent on consistent data; the later record of the pair is reported under qld (error),
    and the rule is not in force under other profiles."""
    c = data.draw(consistent_collections(profile="qld"))
    assert fired("QLD-DUP-ACHIEVED", c) == []
    broken = achieved_again(c, data)
    found = fired("QLD-DUP-ACHIEVED", broken.collection)
    assert where(found) == [(broken.file, broken.row, broken.field)]
    assert found[0].severity is Severity.ERROR
    assert fired("QLD-DUP-ACHIEVED", broken.collection, profile="national") == []


@FEW
@given(data=st.data())
def test_QLD_DUP_ACHIEVED_is_silent_for_repeats_without_an_achieved_outcome(data: st.DataObject) -> None:
    """Two records of a subject neither of which is 20 or 51 (a fail, then a withdrawal) are not this rule's."""
    c = data.draw(consistent_collections(profile="qld"))
    broken = achieved_again(c, data)
    rows = [dict(r) for r in broken.collection.rows[ACT]]
    for r in (
        rows[-1],
        *(
            r
            for r in rows[:-1]
            if r["subject_id"] == rows[-1]["subject_id"] and r["client_id"] == rows[-1]["client_id"]
        ),
    ):
        r.update(outcome_national="30", hours_attended=None)
    assert fired("QLD-DUP-ACHIEVED", broken.collection.with_rows(ACT, rows)) == []


@settings(max_examples=5)
@given(c=consistent_collections(profile="qld"))
def test_QLD_DUP_ACHIEVED_leaves_overlaps_and_exact_duplicates_to_x_11_and_x_12(c: SampleCollection) -> None:
    row = dict(
        c.rows[ACT][0],
        outcome_national="20",
        delivery_mode_id="YNN",
        predominant_delivery_mode="I",
        hours_attended=None,
    )
    rows = [row, *(dict(r) for r in c.rows[ACT][1:])]
    dup = c.with_rows(ACT, [*rows, dict(row)])
    assert fired("QLD-DUP-ACHIEVED", dup) == []
    assert len(fired("X-12", dup)) == 1
