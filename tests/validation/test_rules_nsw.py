"""NSW Smart and Skilled profile rules: NSW-TO-01/02/03, NSW-CID-01, NSW-MAX-PROGRAMS.

Each is silent on a consistent nsw collection, fires once where broken, and never runs for other profiles.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import Broken, SampleCollection, consistent_collections, pick
from tests.validation.harness import ACT, Breaker, activity, append, edit, fired, where

FEW = settings(max_examples=max(8, settings().max_examples // 3))
CID = "purchasing_contract_id"
TO = "outcome_training_organisation"


def unknown_to_outcome(c: SampleCollection, data: st.DataObject) -> Broken:
    return activity(data, c, **{TO: data.draw(st.sampled_from(("TN", "X", "tnc", "C", "00")))})


def tnc_on_other_outcome(c: SampleCollection, data: st.DataObject) -> Broken:
    outcome = data.draw(st.sampled_from(("20", "30", "51", "60", "70", "81")))
    row = pick(data, c, ACT)
    commitment = (c.rows[ACT][row]["client_id"], c.rows[ACT][row].get(CID))
    rows = [
        {**r, TO: "TNC", "outcome_national": "40"} if (r["client_id"], r.get(CID)) == commitment else dict(r)
        for r in c.rows[ACT]
    ]
    rows[row]["outcome_national"] = outcome
    return Broken(c.with_rows(ACT, rows), ACT, row, "outcome_national")


def to_outcome_not_everywhere(c: SampleCollection, data: st.DataObject) -> Broken:
    row = pick(data, c, ACT)
    base = c.rows[ACT][row]
    code = data.draw(st.sampled_from(("TNC", "D")))
    c, _ = append(c, ACT, {**base, "subject_id": "BSBTST999"})
    commitment = (base["client_id"], base.get(CID))
    rows = [{**r, TO: code} if (r["client_id"], r.get(CID)) == commitment else dict(r) for r in c.rows[ACT]]
    rows[row][TO] = None
    return Broken(c.with_rows(ACT, rows), ACT, row, TO)


def no_commitment(c: SampleCollection, data: st.DataObject) -> Broken:
    funding = data.draw(st.sampled_from(("11", "13", "15", "80")))
    return activity(data, c, **{CID: None, "funding_source_national": funding})


def four_programs(c: SampleCollection, data: st.DataObject) -> Broken:
    base = {**c.rows[ACT][0], "client_id": "C9999999", CID: "C99990001"}
    programs = ("BSB40120", "BSB50120", "BSB40220", "BSB50220")
    added = [
        {**base, "program_id": p, "subject_id": f"BSBTST{9 * 10 + i:03d}"}
        for i, p in enumerate(data.draw(st.permutations(programs)))
    ]
    repeat = data.draw(st.integers(0, 2), label="extra rows of the first three programs")
    added[3:3] = [{**added[i], "subject_id": f"BSBTST8{i}0"} for i in range(repeat)]
    broken, first = append(c, ACT, *added)
    return Broken(broken, ACT, first + 3 + repeat, "program_id")


CASES: dict[str, Breaker] = {
    "NSW-TO-01": unknown_to_outcome,
    "NSW-TO-02": tnc_on_other_outcome,
    "NSW-TO-03": to_outcome_not_everywhere,
    "NSW-CID-01": no_commitment,
    "NSW-MAX-PROGRAMS": four_programs,
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
@FEW
@given(data=st.data())
def test_rule_is_silent_on_consistent_data_and_fires_where_broken(rule_id: str, data: st.DataObject) -> None:
    """NSW-TO-01, NSW-TO-02, NSW-TO-03, NSW-CID-01, NSW-MAX-PROGRAMS under the nsw profile."""
    c = data.draw(consistent_collections(profile="nsw"))
    assert fired(rule_id, c) == []
    broken = CASES[rule_id](c, data)
    assert where(fired(rule_id, broken.collection)) == [(broken.file, broken.row, broken.field)]
    assert fired(rule_id, broken.collection, profile="national") == []


@FEW
@given(data=st.data())
def test_tnc_with_withdrawn_or_not_started_units_is_accepted(data: st.DataObject) -> None:
    """NSW-TO-02: TNC where every unit is 40 or 85 is what eReporting accepts."""
    c = data.draw(consistent_collections(profile="nsw"))
    row = pick(data, c, ACT)
    outcome = data.draw(st.sampled_from(("40", "85")))
    assert fired("NSW-TO-02", edit(c, ACT, row, **{TO: "TNC", "outcome_national": outcome})) == []


@FEW
@given(data=st.data())
def test_fee_for_service_activity_needs_no_commitment_id(data: st.DataObject) -> None:
    """NSW-CID-01: fee-paying (20, 30, 31, 32) activity is not purchased under a Smart and Skilled commitment."""
    c = data.draw(consistent_collections(profile="nsw"))
    funding = data.draw(st.sampled_from(("20", "30", "31", "32")))
    assert fired("NSW-CID-01", activity(data, c, **{CID: None, "funding_source_national": funding}).collection) == []


def test_nsw_rules_are_limited_to_the_nsw_profile() -> None:
    """Every NSW-… rule is registered for the nsw profile only."""
    nsw = [r for r in REGISTRY.values() if r.id.startswith("NSW-")]
    assert {r.id for r in nsw} >= set(CASES)
    assert all(r.profiles == ("nsw",) for r in nsw if r.implemented)
    assert all(r.not_implemented for r in nsw if not r.implemented)


def test_nsw_to_03_reports_the_lone_d_among_tnc_rows_and_blank_rows_of_a_tnc_commitment() -> None:
    """NSW-TO-03: the commitment's value is its more frequent TNC/D, so the odd row out is reported — also when
    it is the commitment's first line; rows left blank in a TNC commitment are reported too."""
    from pathlib import Path

    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.validation import validate

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
    frames = {k: v.copy() for k, v in read_collection(sample).frames.items()}
    act = frames["NAT00120"]
    tnc = act.index[act["outcome_training_organisation"] == "TNC"]
    assert len(tnc) >= 3
    act.loc[tnc[0], "outcome_training_organisation"] = "D"
    found = validate(frames, period=2026, profile="nsw", rules=["NSW-TO-03"]).findings
    assert found["line"].tolist() == [int(tnc[0]) + 1]
    act.loc[tnc[0], "outcome_training_organisation"] = None
    found = validate(frames, period=2026, profile="nsw", rules=["NSW-TO-03"]).findings
    assert found["line"].tolist() == [int(tnc[0]) + 1]
