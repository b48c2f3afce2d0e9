"""The engine: rules run over frames, hits become located findings, options and reader issues are honoured."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.validation import REGISTRY, Period, ValidationOptions, parse_period, validate
from avetmiss_finalise.validation.engine import FINDING_COLUMNS, issues_frame
from tests.strategies.collections import consistent_collections, frame_of


def test_findings_have_the_documented_columns_and_locations() -> None:
    frames = {"NAT00120": frame_of("NAT00120", [{"client_id": "C1", "outcome_national": "99"}])}
    found = validate(frames, rules=["V-120-F11"]).findings
    assert tuple(found.columns) == FINDING_COLUMNS
    row = found.iloc[0]
    assert (row["file"], row["line"], row["col_start"], row["col_end"]) == ("NAT00120", 1, 72, 73)
    assert (row["field"], row["value"], row["client_id"]) == ("outcome_national", "99", "C1")


def test_line_is_index_plus_one_for_chunks_keeping_their_labels() -> None:
    frame = frame_of("NAT00120", [{"outcome_national": "20"}] * 3 + [{"outcome_national": "99"}])
    chunk = frame.iloc[2:]
    assert validate({"NAT00120": chunk}, rules=["V-120-F11"]).findings["line"].tolist() == [4]


def test_numbers_are_reported_zero_filled_as_written() -> None:
    frames = {"NAT00030": frame_of("NAT00030", [{"program_id": "P1", "program_name": "N", "nominal_hours": 5}] * 2)}
    found = validate(frames, rules=["V-030-06"]).findings
    assert found["line"].tolist() == [2]


def test_severity_override_and_disabled_rules() -> None:
    frames = {"NAT00120": frame_of("NAT00120", [{"outcome_national": "99"}])}
    opts = ValidationOptions(severity_overrides={"V-120-F11": "info"})
    assert validate(frames, rules=["V-120-F11"], options=opts).findings["severity"].tolist() == ["info"]
    off = ValidationOptions(disabled_rules=frozenset({"V-120-F11"}))
    assert validate(frames, options=off).findings.query("rule_id == 'V-120-F11'").empty


def test_unknown_rule_id_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        validate({}, rules=["NOPE-1"])


def test_profile_rules_run_only_under_their_profile() -> None:
    scoped = [r for r in REGISTRY.values() if r.profiles is not None and r.implemented]
    assert scoped
    for r in scoped:
        assert r.profiles is not None
        assert all(p in ("national", "nsw", "vic", "qld", "tas") for p in r.profiles)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))),
        (2025, Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))),
        ("2026-01-01:2026-06-30", Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))),
        (None, None),
    ],
)
def test_parse_period(text: str | int | None, expected: Period | None) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("bad", ["26", "2026-13-01:2026-12-31", "2026-06-30:2026-01-01", "soon"])
def test_bad_periods_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_period(bad)


def test_reader_issues_are_included_with_file_ids() -> None:
    issue = Issue(rule_id="NAT-SHORT", severity=Severity.ERROR, message="record too short", file="nat00120.TXT", line=3)

    coll = SimpleNamespace(frames={"NAT00120": frame_of("NAT00120", [{}])}, issues=(issue,), unparsed={})
    found = validate(coll, rules=["V-120-F11", "NAT-SHORT"]).findings
    assert found[["rule_id", "file", "line"]].astype(object).values.tolist() == [["NAT-SHORT", "NAT00120", 3]]


def test_reader_date_issue_is_replaced_by_f02_at_the_same_cell() -> None:
    issue = Issue(
        rule_id="NAT-DATE",
        severity=Severity.ERROR,
        message="not a date",
        file="NAT00120.txt",
        line=1,
        field="activity_start_date",
    )

    unparsed = {"NAT00120": pd.DataFrame({"row": [0], "field": ["activity_start_date"], "text": ["31022026"]})}
    coll = SimpleNamespace(frames={"NAT00120": frame_of("NAT00120", [{}])}, issues=(issue,), unparsed=unparsed)
    found = validate(coll, rules=["F-02", "NAT-DATE"]).findings
    assert found["rule_id"].tolist() == ["F-02"]


def test_only_the_duplicate_reader_issue_is_dropped_at_a_covered_cell() -> None:
    """A record cut short inside a date is NAT-SHORT and F-02 at the same cell: F-02 replaces NAT-DATE only."""
    where = {"file": "NAT00120.txt", "line": 1, "field": "activity_start_date"}
    issues = (
        Issue(rule_id="NAT-DATE", severity=Severity.ERROR, message="not a date", **where),  # type: ignore[arg-type]
        Issue(rule_id="NAT-SHORT", severity=Severity.ERROR, message="record too short", **where),  # type: ignore[arg-type]
    )
    unparsed = {"NAT00120": pd.DataFrame({"row": [0], "field": ["activity_start_date"], "text": ["3102"]})}
    coll = SimpleNamespace(frames={"NAT00120": frame_of("NAT00120", [{}])}, issues=issues, unparsed=unparsed)
    found = validate(coll).findings
    assert {"F-02", "NAT-SHORT"} <= set(found.loc[found["line"] == 1, "rule_id"])
    assert "NAT-DATE" not in set(found["rule_id"])


def test_issues_frame_of_nothing_is_empty_and_typed() -> None:
    df = issues_frame(())
    assert df.empty
    assert tuple(df.columns) == FINDING_COLUMNS


@given(c=consistent_collections())
def test_consistent_collections_have_no_error_or_warning(c: object) -> None:
    """Every rule (all families) accepts the collections the shared strategy calls consistent."""
    from tests.strategies.collections import SampleCollection

    assert isinstance(c, SampleCollection)
    report = validate(c.frames(), period=c.year, profile=c.profile)
    assert not report.failed(Severity.WARNING), report.findings[["rule_id", "file", "line", "field"]].to_string()


def test_validate_reads_a_path(tmp_path: object) -> None:
    report = validate("fixtures/sample", period=2026)
    assert report.ok
    assert report.source == "fixtures/sample"
    assert report.files["NAT00120"] > 0


FIELD_RULES_ON_ACTIVITY = sorted(
    r.id
    for r in REGISTRY.values()
    if r.check is not None and r.family in ("file", "field") and ("NAT00120" in r.files or not r.files)
)


@pytest.mark.parametrize("rule_id", FIELD_RULES_ON_ACTIVITY)
@settings(max_examples=max(5, settings.default.max_examples // 5))
@given(data=st.data())
def test_field_rules_give_the_same_findings_on_nat00120_row_chunks(rule_id: str, data: st.DataObject) -> None:
    """Chunk invariance for each file/field rule reading NAT00120 (e.g. V-120-F3): broken data, split by rows."""
    from tests.strategies.collections import breakers

    c = data.draw(consistent_collections(), label="collection")
    if rule_id in breakers():
        c = breakers()[rule_id](c, data).collection
    frames = c.frames()
    whole = validate(frames, period=c.year, rules=[rule_id]).findings
    act = frames["NAT00120"]
    cut = data.draw(st.integers(0, len(act)), label="cut")
    parts = [
        validate({**frames, "NAT00120": chunk}, period=c.year, rules=[rule_id]).findings
        for chunk in (act.iloc[:cut], act.iloc[cut:])
    ]
    key = ["rule_id", "file", "line", "field", "severity"]
    merged = pd.concat(parts, ignore_index=True)[key].astype(str).drop_duplicates()
    assert sorted(map(tuple, merged.values.tolist())) == sorted(map(tuple, whole[key].astype(str).values.tolist()))
