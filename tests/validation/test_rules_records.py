"""Record-level NAT00120 rules (V-120-02 … V-120-17 without the period ones): each fires where it was broken.

Every rule is a property over generated collections: silent on ``consistent_collections()``, exactly one
finding at the broken row and field after its breaker. The parametrised test ids are the rule IDs.
"""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import Broken, SampleCollection, consistent_collections, pick
from tests.validation.harness import ACT, Breaker, activity, append, edit, fired, where

FEW = settings(max_examples=max(8, settings().max_examples // 3))
NOT_DELIVERED = ("51", "52", "53", "54", "60")


def end_before_start(c: SampleCollection, data: st.DataObject) -> Broken:
    row = pick(data, c, ACT)
    start = c.rows[ACT][row]["activity_start_date"]
    days = data.draw(st.integers(1, 400))
    return Broken(
        edit(c, ACT, row, activity_end_date=start - datetime.timedelta(days=days)), ACT, row, "activity_end_date"
    )


def achieved_nnn(c: SampleCollection, data: st.DataObject) -> Broken:
    return activity(data, c, delivery_mode_id="NNN", outcome_national="20", predominant_delivery_mode="N")


def recognition_delivered(c: SampleCollection, data: st.DataObject) -> Broken:
    outcome = data.draw(st.sampled_from(NOT_DELIVERED))
    if data.draw(st.booleans(), label="wrong delivery mode (else wrong predominant mode)"):
        mode = data.draw(st.sampled_from(("YNN", "NYN", "NNY", "YYY")))
        return activity(data, c, delivery_mode_id=mode, outcome_national=outcome, predominant_delivery_mode="N")
    pdm = data.draw(st.sampled_from("IEW"))
    return activity(data, c, predominant_delivery_mode=pdm, outcome_national=outcome, delivery_mode_id="NNN")


def withdrawn_zero_hours(c: SampleCollection, data: st.DataObject) -> Broken:
    return activity(data, c, hours_attended=0, outcome_national="40")


def withdrawn_no_hours(c: SampleCollection, data: st.DataObject) -> Broken:
    return activity(data, c, hours_attended=data.draw(st.sampled_from((None, 0))), outcome_national="40")


def superseded_no_hours(c: SampleCollection, data: st.DataObject) -> Broken:
    return activity(data, c, hours_attended=data.draw(st.sampled_from((None, 0))), outcome_national="61")


def credit_transfer_hours(c: SampleCollection, data: st.DataObject) -> Broken:
    hours = data.draw(st.integers(1, 9999))
    return activity(
        data, c, scheduled_hours=hours, outcome_national="60", delivery_mode_id="NNN", predominant_delivery_mode="N"
    )


def commencing_program(c: SampleCollection, data: st.DataObject) -> Broken:
    row = pick(data, c, ACT)
    kind = data.draw(st.sampled_from(("program without 3/4", "inconsistent")))  # blank program + 3/4: V-120-F2
    if kind == "program without 3/4":
        return Broken(
            edit(c, ACT, row, program_id="BSB40120", commencing_program_id="8"), ACT, row, "commencing_program_id"
        )
    base = c.rows[ACT][row]
    program = base["program_id"] or "BSB40120"
    c = edit(c, ACT, row, program_id=program, commencing_program_id="3")
    # Every record of this client and program says 3 (the generator's choice); a new one says 4.
    twin = {**c.rows[ACT][row], "subject_id": "BSBTST999", "commencing_program_id": "4"}
    broken, new = append(c, ACT, twin)
    return Broken(broken, ACT, new, "commencing_program_id")


def predominant_not_in_mode(c: SampleCollection, data: st.DataObject) -> Broken:
    mode = data.draw(st.sampled_from(("YNN", "NYN", "NNY", "YYN", "YNY", "NYY", "NNN")))
    letters = [letter for letter, flag in zip("IEW", mode, strict=True) if flag == "N"]
    if mode != "NNN":
        letters.append("N")
    pdm = data.draw(st.sampled_from(letters))
    outcome = data.draw(st.sampled_from(("20", "30", "40", "81")))
    return activity(data, c, predominant_delivery_mode=pdm, delivery_mode_id=mode, outcome_national=outcome)


def not_started_with_hours(c: SampleCollection, data: st.DataObject) -> Broken:
    return activity(data, c, hours_attended=data.draw(st.integers(1, 9999)), outcome_national="85")


#: rule id → (profile, breaker)
CASES: dict[str, tuple[str, Breaker]] = {
    "V-120-02": ("national", end_before_start),
    "V-120-05": ("national", achieved_nnn),
    "V-120-06": ("national", recognition_delivered),
    "V-120-10": ("national", withdrawn_zero_hours),
    "V-120-13": ("nsw", withdrawn_no_hours),
    "V-120-14": ("vic", superseded_no_hours),
    "V-120-15": ("national", credit_transfer_hours),
    "V-120-16": ("national", commencing_program),
    "V-120-17": ("national", predominant_not_in_mode),
    "V-120-18": ("nsw", not_started_with_hours),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
@FEW
@given(data=st.data())
def test_rule_is_silent_on_consistent_data_and_fires_where_broken(rule_id: str, data: st.DataObject) -> None:
    """V-120-02, 05, 06, 10, 13, 14, 15, 16, 17, 18: no finding on a consistent collection; one at the broken cell."""
    profile, breaker = CASES[rule_id]
    c = data.draw(consistent_collections(profile=profile))
    assert fired(rule_id, c) == []
    broken = breaker(c, data)
    assert where(fired(rule_id, broken.collection)) == [(broken.file, broken.row, broken.field)]


@FEW
@given(data=st.data())
def test_v_120_13_applies_only_to_state_profiles_and_v_120_10_informs_elsewhere(data: st.DataObject) -> None:
    """V-120-13 (40 without hours) is a state rule; nationally V-120-10 only hints that 85 may be meant."""
    c = data.draw(consistent_collections(profile="national"))
    broken = withdrawn_zero_hours(c, data)
    assert fired("V-120-13", broken.collection) == []
    assert [f.severity for f in fired("V-120-10", broken.collection)] == [Severity.INFO]
    assert fired("V-120-10", broken.collection, profile="nsw") == []


@FEW
@given(data=st.data())
def test_unverified_rules_report_at_the_configured_severity(data: st.DataObject) -> None:
    """V-120-06/15/16/17 are 'E (unverified)': a warning by default, an error when the caller says so."""
    c = data.draw(consistent_collections())
    broken = credit_transfer_hours(c, data)
    assert [f.severity for f in fired("V-120-15", broken.collection)] == [Severity.WARNING]
    strict = ValidationOptions(unverified_severity=Severity.ERROR)
    assert [f.severity for f in fired("V-120-15", broken.collection, options=strict)] == [Severity.ERROR]


def test_rules_without_a_data_signal_are_listed_as_not_implemented_with_a_reason() -> None:
    """V-120-12 is guidance about RTO closure, which no NAT record shows."""
    r = REGISTRY["V-120-12"]
    assert not r.implemented
    assert r.not_implemented and "closure" in r.not_implemented


def test_v_120_17_predominant_mode_examples() -> None:
    """V-120-17 by example: I/E/W need Y at positions 1/2/3; N goes with NNN only."""
    from tests.strategies.collections import frame_of
    from tests.validation.harness import context, run

    pairs = [
        ("YNN", "I", False),
        ("NYN", "E", False),
        ("NNY", "W", False),
        ("YYY", "W", False),
        ("NNN", "N", False),
        ("YNN", "E", True),
        ("NYN", "W", True),
        ("NNY", "I", True),
        ("NNN", "I", True),
        ("YNN", "N", True),
        ("Y", "I", False),
        (None, "I", False),
        ("YNN", None, False),
    ]
    rows = [{"delivery_mode_id": m, "predominant_delivery_mode": p} for m, p, _ in pairs]
    found = run("V-120-17", context({ACT: frame_of(ACT, rows)}))
    assert [f.row for f in found] == [i for i, (_, _, bad) in enumerate(pairs) if bad]


def test_subject_only_with_commencing_3_is_v120_f2_error_not_a_v120_16_warning() -> None:
    """Catalogue V-120-F2 (E, sourced): blank program ⇒ commencing program identifier 8. V-120-16 (unverified,
    warning) must not report the same cell a second time at a lower severity."""
    from pathlib import Path

    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.validation import validate

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
    frames = {k: v.copy() for k, v in read_collection(sample).frames.items()}
    act = frames[ACT]
    row = int(act.index[act["program_id"].isna()][0])
    act.loc[row, "commencing_program_id"] = "3"
    found = validate(frames, period=2026).findings
    here = found[(found["line"] == row + 1) & (found["field"] == "commencing_program_id")]
    assert here[["rule_id", "severity"]].astype(str).values.tolist() == [["V-120-F2", "error"]]


def test_v120_16_reports_the_odd_record_out_not_the_agreeing_majority() -> None:
    """V-120-16: one record of a client + program says 4 where seven say 3 — the one is reported, on its line,
    even when it is the group's first line."""
    from pathlib import Path

    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.validation import validate

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
    frames = {k: v.copy() for k, v in read_collection(sample).frames.items()}
    act = frames[ACT]
    group = act.index[(act["client_id"] == "C0000001") & (act["program_id"] == "BSB40120")]
    assert len(group) >= 3 and set(act.loc[group, "commencing_program_id"]) == {"3"}
    act.loc[group[0], "commencing_program_id"] = "4"
    found = validate(frames, period=2026, rules=["V-120-16"]).findings
    assert found["line"].tolist() == [int(group[0]) + 1]


def test_v120_16_with_only_blank_clients_in_its_groups_is_silent_not_a_crash() -> None:
    """V-120-16 groups by client + program: a record of a program with 3/4 but a blank client (V-120-F1's error)
    has no group. When every such record's client is blank the rule used to index an empty group table (found
    by the client-partitioned chunking property); now it stays silent and V-120-F1 names the blank client."""
    from pathlib import Path

    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.validation import validate

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
    frames = {k: v.copy() for k, v in read_collection(sample).frames.items()}
    act = frames[ACT]
    act = act[act["program_id"].notna() & act["commencing_program_id"].isin(["3", "4"])].head(2).copy()
    act["client_id"] = pd.NA
    act.loc[act.index[1], "commencing_program_id"] = "4" if act["commencing_program_id"].iat[0] == "3" else "3"
    frames[ACT] = act
    found = validate(frames, period=2026, rules=["V-120-16", "V-120-F1"]).findings
    assert set(found["rule_id"]) == {"V-120-F1"}
    assert set(found.loc[found["rule_id"] == "V-120-F1", "field"]) == {"client_id"}
