"""Cross-file rules X-01 … X-12: references between files, unique keys and overlapping activity.

Each rule is silent on a consistent collection and fires once, at the broken row and field, after its breaker.
Reference rules read the other file through its key set, so ``Context.reference_keys`` can stand in for it.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import ValidationOptions, validate
from tests.strategies.collections import Broken, SampleCollection, consistent_collections, frame_of, pick
from tests.validation.harness import ACT, Breaker, append, context, day, edit, fired, run, where

FEW = settings(max_examples=max(8, settings().max_examples // 3))
MISSING = "NOSUCH01"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _client(c: SampleCollection, data: st.DataObject) -> str:
    client: str = c.rows["NAT00080"][pick(data, c, "NAT00080")]["client_id"]
    return client


def _activity_cell(field: str, value: Any) -> Breaker:
    def brk(c: SampleCollection, data: st.DataObject) -> Broken:
        row = pick(data, c, ACT)
        return Broken(edit(c, ACT, row, **{field: value}), ACT, row, field)

    return brk


def unused_organisation(c: SampleCollection, data: st.DataObject) -> Broken:
    broken, new = append(c, "NAT00010", {"training_organisation_id": "99999", "training_organisation_name": "OTHER"})
    return Broken(broken, "NAT00010", new, "training_organisation_id")


def _completion(c: SampleCollection, **cells: Any) -> dict[str, Any]:
    base = {
        "training_organisation_id": "90000",
        "program_id": "BSB40120",
        "client_id": c.rows["NAT00080"][0]["client_id"],
        "date_program_completed": day(c.year, 12, 1),
        "issued_flag": "N",
    }
    return {**base, **cells}


def completion_without_references(c: SampleCollection, data: st.DataObject) -> Broken:
    kind = data.draw(st.sampled_from(("client", "program", "activity")))
    if kind == "client":
        broken, new = append(c, "NAT00130", _completion(c, client_id=MISSING))
        return Broken(broken, "NAT00130", new, "client_id")
    if kind == "program":
        broken, new = append(c, "NAT00130", _completion(c, program_id=MISSING))
        return Broken(broken, "NAT00130", new, "program_id")
    # A known client and a listed program, but no activity of that client in it.
    client = _client(c, data)
    c = c.with_rows("NAT00030", [*c.rows["NAT00030"], {"program_id": "ZZZ40199", "program_name": "X"}])
    broken, new = append(c, "NAT00130", _completion(c, client_id=client, program_id="ZZZ40199"))
    return Broken(broken, "NAT00130", new, "program_id")


def detail_without_client(c: SampleCollection, data: st.DataObject) -> Broken:
    file_id = data.draw(st.sampled_from(("NAT00085", "NAT00090", "NAT00100")))
    row = {"NAT00085": {"client_family_name": "SAMPLE"}, "NAT00090": {"disability_type_id": "11"}}.get(file_id, {})
    broken, new = append(c, file_id, {"client_id": MISSING, **row})
    return Broken(broken, file_id, new, "client_id")


def flag_without_records(c: SampleCollection, data: st.DataObject) -> Broken:
    file_id, flag = data.draw(
        st.sampled_from((("NAT00090", "disability_flag"), ("NAT00100", "prior_educational_achievement_flag")))
    )
    row = pick(data, c, "NAT00080")
    client = c.rows["NAT00080"][row]["client_id"]
    c = c.with_rows(file_id, [r for r in c.rows[file_id] if r["client_id"] != client])
    return Broken(edit(c, "NAT00080", row, **{flag: "Y"}), "NAT00080", row, flag)


def duplicate_completion(c: SampleCollection, data: st.DataObject) -> Broken:
    done = _completion(c, client_id=c.rows[ACT][0]["client_id"], program_id=c.rows[ACT][0]["program_id"] or "X")
    broken, new = append(c, "NAT00130", done, done)
    return Broken(broken, "NAT00130", new + 1, "program_id")


def placeholder_completion(c: SampleCollection, data: st.DataObject) -> Broken:
    broken, new = append(c, "NAT00130", _completion(c, date_program_completed=datetime.date(9999, 1, 1)))
    return Broken(broken, "NAT00130", new, "date_program_completed")


def overlapping(c: SampleCollection, data: st.DataObject) -> Broken:
    row = pick(data, c, ACT)
    base = c.rows[ACT][row]
    shift = datetime.timedelta(days=data.draw(st.integers(0, 10)))
    start = min(base["activity_start_date"] + shift, base["activity_end_date"])
    other_outcome = "30" if base["outcome_national"] != "30" else "20"
    twin = {
        **base,
        "activity_start_date": start,
        "activity_end_date": base["activity_end_date"],
        "outcome_national": other_outcome,
    }
    broken, new = append(c, ACT, twin)
    return Broken(broken, ACT, new, "activity_start_date")


def duplicate_activity(c: SampleCollection, data: st.DataObject) -> Broken:
    row = pick(data, c, ACT)
    broken, new = append(c, ACT, c.rows[ACT][row])
    return Broken(broken, ACT, new, "subject_id")


CASES: dict[str, Breaker] = {
    "X-01": unused_organisation,
    "X-02": _activity_cell("delivery_location_id", MISSING),
    "X-03": _activity_cell("client_id", MISSING),
    "X-04": _activity_cell("subject_id", MISSING),
    "X-05": _activity_cell("program_id", MISSING),
    "X-06": completion_without_references,
    "X-07": detail_without_client,
    "X-08": flag_without_records,
    "X-09": duplicate_completion,
    "X-10": placeholder_completion,
    "X-11": overlapping,
    "X-12": duplicate_activity,
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
@FEW
@given(data=st.data())
def test_rule_is_silent_on_consistent_data_and_fires_where_broken(rule_id: str, data: st.DataObject) -> None:
    """X-01 … X-12: no finding on a consistent collection; exactly one at the broken row and field."""
    c = data.draw(consistent_collections())
    assert fired(rule_id, c) == []
    broken = CASES[rule_id](c, data)
    assert where(fired(rule_id, broken.collection)) == [(broken.file, broken.row, broken.field)]


@FEW
@given(data=st.data())
def test_reference_rules_read_only_key_sets(data: st.DataObject) -> None:
    """X-02 … X-05: a chunk with reference key sets instead of the reference files gives the same findings."""
    c = data.draw(consistent_collections())
    rule_id = data.draw(st.sampled_from(("X-02", "X-03", "X-04", "X-05")))
    broken = CASES[rule_id](c, data).collection
    frames = broken.frames()
    whole = run(rule_id, context(frames))
    keys = {
        ("NAT00020", ("training_organisation_id", "delivery_location_id")),
        ("NAT00080", ("client_id",)),
        ("NAT00060", ("subject_id",)),
        ("NAT00030", ("program_id",)),
    }
    ref = {(f, cols): context(frames).keys(f, cols) or frozenset() for f, cols in keys}
    alone = run(rule_id, context({ACT: frames[ACT]}, reference_keys=ref))
    assert alone == whole


def test_reference_rules_wait_for_the_missing_file_rule() -> None:
    """X-03: with NAT00080 absent altogether the missing file is one finding (F-04), not one per activity row."""
    frames = {ACT: frame_of(ACT, [{"client_id": "C1"}])}
    assert run("X-03", context(frames)) == []
    frames["NAT00080"] = frame_of("NAT00080", [])
    assert where(run("X-03", context(frames))) == [(ACT, 0, "client_id")]


def test_x_08_flag_without_records_is_a_warning_records_without_flag_are_left_to_v_090_01() -> None:
    """X-08 reports only the flag-Y-without-records direction (a warning): C2's records without the flag are not
    X-08's (that direction belongs to V-090-01/V-100-02, tested in test_rules_fields)."""
    frames = {
        "NAT00080": frame_of(
            "NAT00080",
            [
                {"client_id": "C1", "disability_flag": "Y", "prior_educational_achievement_flag": "N"},
                {"client_id": "C2", "disability_flag": "N", "prior_educational_achievement_flag": "N"},
            ],
        ),
        "NAT00090": frame_of("NAT00090", [{"client_id": "C2", "disability_type_id": "11"}]),
        "NAT00100": frame_of("NAT00100", []),
    }
    found = {(f.file, f.row, f.field): f.severity for f in run("X-08", context(frames))}
    assert found == {("NAT00080", 0, "disability_flag"): Severity.WARNING}


def test_x_11_overlap_examples() -> None:
    """X-11 by example: sharing a day overlaps; nesting overlaps the outer activity; other subjects do not."""
    d = datetime.date
    rows = [
        ("S1", d(2026, 1, 1), d(2026, 12, 1), "70"),  # 0 outer
        ("S1", d(2026, 2, 1), d(2026, 3, 1), "40"),  # 1 inside 0
        ("S1", d(2026, 12, 1), d(2026, 12, 20), "20"),  # 2 shares 1 Dec with 0
        ("S1", d(2026, 12, 21), d(2026, 12, 22), "20"),  # 3 after everything
        ("S2", d(2026, 2, 1), d(2026, 3, 1), "20"),  # 4 other subject
    ]
    frame = frame_of(
        ACT,
        [
            {
                "training_organisation_id": "90000",
                "client_id": "C1",
                "subject_id": s,
                "activity_start_date": a,
                "activity_end_date": b,
                "outcome_national": o,
            }
            for s, a, b, o in rows
        ],
    )
    r = run("X-11", context({ACT: frame}))
    assert [f.row for f in r] == [1, 2]


def test_x_01_checks_nat00010a_as_well() -> None:
    """X-01: an organisation reported in NAT00010A (not on training.gov.au) must also be used."""
    frames = {
        "NAT00010A": frame_of("NAT00010A", [{"training_organisation_id": "90002"}, {"training_organisation_id": "9"}]),
        "NAT00020": frame_of("NAT00020", [{"training_organisation_id": "90002", "delivery_location_id": "L1"}]),
    }
    assert where(run("X-01", context(frames))) == [("NAT00010A", 1, "training_organisation_id")]


#: The files of fixtures/sample-non-tga whose records start with the TOID (columns 1-10).
_TOID_FILES = ("NAT00010A", "NAT00020", "NAT00120", "NAT00130")


def _vic_issues(tmp_path: Path, toids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(rule, file, severity) of fixtures/sample-non-tga validated under vic, with the TOID cell of every record
    of each file in ``toids`` replaced by that file's value."""
    dst = tmp_path / "c"
    shutil.copytree(FIXTURES / "sample-non-tga", dst)
    for file_id, toid in toids.items():
        f = dst / f"{file_id}.txt"
        lines = f.read_bytes().split(b"\r\n")
        f.write_bytes(b"\r\n".join(toid.encode("ascii") + ln[10:] if ln else ln for ln in lines))
    options = ValidationOptions(reporting_date=datetime.date(2026, 11, 29))
    report = validate(dst, profile="vic", period=2026, options=options)
    return sorted({(i.rule_id, i.file or "", i.severity.name.lower()) for i in report.issues})


def test_x01_under_vic_reads_the_nat00010a_toid_zero_filled_like_nat00010(tmp_path: Path) -> None:
    """X-01 under vic: NAT00010A's TOID is zero-filled like NAT00010's, the record it stands in for.

    The same TOID written the VIC way in every file is no finding; NAT00010A's written left-justified is one
    NAT-ZERO-FILL warning, not an X-01 error cascading from a value read one way there and the other way in
    NAT00020 (the false error the shipped non-TGA sample gave under vic); a TOID in no NAT00020/NAT00130 still
    fires X-01."""
    vic = dict.fromkeys(_TOID_FILES, "0000090002")
    assert [r for r in _vic_issues(tmp_path / "a", vic) if r[0] in {"X-01", "NAT-ZERO-FILL"}] == []
    left = [r for r in _vic_issues(tmp_path / "b", {**vic, "NAT00010A": "90002     "}) if r[2] != "info"]
    assert ("NAT-ZERO-FILL", "NAT00010A", "warning") in left
    assert not [r for r in left if r[0] == "X-01"]
    missing = _vic_issues(tmp_path / "c", {**vic, "NAT00010A": "0000090009"})
    assert ("X-01", "NAT00010A", "error") in missing
