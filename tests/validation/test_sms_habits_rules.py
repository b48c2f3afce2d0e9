"""Property tests of the rules issue #8 added or changed, each named by its ID and checked both ways.

V-080-03 (USI from 2015 for nationally recognised activity), F-08 (00000000 where a blank is legal), F-02 (a
mandatory 00000000; template text reported once), X-10 / X-06 (TAS unfinished programs), V-120-F11 (SA's
unverified @@), and the cap on state-only positions under ``national`` (ValidationOptions.state_positions_severity).
The raw-text rules are driven through NAT bytes (the reader keeps raw cells); the rest through frames.
"""

from __future__ import annotations

import datetime
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat import Collection, write_records
from avetmiss_finalise.nat.parse import parse_bytes
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.validation import ValidationOptions, validate
from tests.strategies.collections import frame_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ACT = "NAT00120"
USI_FROM = datetime.date(2015, 1, 1)


def _base() -> ModuleType:
    spec = importlib.util.spec_from_file_location("habits_base", FIXTURES / "habits_base.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("habits_base", module)
    spec.loader.exec_module(module)
    return module


BASE = _base()
#: The byte-driven properties validate a whole collection per example: a third of the profile's examples.
FEW = settings(max_examples=max(8, settings.default.max_examples // 3))


def _lines(profile: str) -> dict[str, list[str]]:
    out = {}
    for file_id, records in BASE.base_files().items():
        buf = io.BytesIO()
        write_records(records, buf, profile)
        out[file_id] = buf.getvalue().decode("latin-1").split("\r\n")[:-1]
    return out


def _collection(lines: dict[str, list[str]], profile: str) -> Collection:
    """The collection the reader makes of these lines (frames, reader issues and raw cells)."""
    frames, unparsed, issues = {}, {}, []
    for file_id, records in lines.items():
        parsed = parse_bytes("".join(x + "\r\n" for x in records).encode("latin-1"), file_id, get_profile(profile))
        frames[file_id], unparsed[file_id] = parsed.frame, parsed.unparsed
        issues.extend(parsed.issues)
    return Collection(frames=frames, issues=tuple(issues), profile=profile, unparsed=unparsed)


def _found(
    coll: Collection, profile: str, rules: list[str] | None = None, **options: Any
) -> list[tuple[str, str, str, int, str]]:
    opts = ValidationOptions(reporting_date=datetime.date(2026, 11, 29), **options)
    f = validate(coll, period=2026, profile=profile, options=opts, rules=rules).findings
    f = f[f["severity"].isin(["error", "warning"]).to_numpy(dtype=bool)]
    return [(r, s, fi, int(li), fd) for r, s, fi, li, fd in f[["rule_id", "severity", "file", "line", "field"]].values]


def _put(line: str, start: int, stop: int, text: str) -> str:
    return line[: start - 1] + text + line[stop:]


# --- F-08 and F-02: 00000000 ------------------------------------------------------------------------------------


@FEW
@given(
    profile=st.sampled_from(("national", "nsw", "vic", "tas")),
    target=st.sampled_from(
        (
            (ACT, 2, "activity_start_date"),
            (ACT, 4, "activity_end_date"),
            ("NAT00130", 1, "date_program_completed"),
            ("NAT00130", 2, "parchment_issue_date"),
            ("NAT00130", 1, "parchment_issue_date"),
        )
    ),
    zeros=st.booleans(),
)
def test_F_08_and_F_02_zero_dates_warn_where_blank_is_legal_and_err_where_mandatory(
    profile: str, target: tuple[str, int, str], zeros: bool
) -> None:
    """F-08 fires (warning) for 00000000 in a date that may be blank, F-02 (error) in a mandatory date; both are
    silent on a real date, and NAT-DATE is not repeated beside them."""
    file_id, line, field = target
    lines = _lines(profile)
    fld = get_profile(profile).layout(file_id).field(field)
    if zeros:
        lines[file_id][line - 1] = _put(lines[file_id][line - 1], fld.start, fld.stop, "00000000")
    found = _found(_collection(lines, profile), profile, ["F-08", "F-02", "NAT-DATE"])
    mine = [f for f in found if f[2:] == (file_id, line, field)]
    if not zeros:
        assert mine == []
    elif fld.required == "Y":
        assert mine == [("F-02", "error", file_id, line, field)]
    else:
        assert mine == [("F-08", "warning", file_id, line, field)]
    assert not [f for f in found if f[0] in ("F-08", "F-02", "NAT-DATE") and f not in mine]


# --- F-02: template text shifting a record ------------------------------------------------------------------------


@FEW
@given(
    field=st.sampled_from(("activity_start_date", "activity_end_date")),
    line=st.integers(1, 9),
    text=st.from_regex(r"[a-z]{2,6}(_[a-z0-9]{1,6}){1,3}", fullmatch=True).filter(lambda t: len(t) > 8),
    shifted=st.booleans(),
)
def test_F_02_template_text_in_a_date_is_reported_once(field: str, line: int, text: str, shifted: bool) -> None:
    """F-02 fires once for template text that shifts its record, and nothing else is reported after it on that
    line; without the text the line is clean."""
    lines = _lines("national")
    fld = get_profile("national").layout(ACT).field(field)
    if shifted:
        lines[ACT][line - 1] = _put(lines[ACT][line - 1], fld.start, fld.stop, text)
    found = [f for f in _found(_collection(lines, "national"), "national") if f[2:4] == (ACT, line)]
    assert found == ([("F-02", "error", ACT, line, field)] if shifted else [])


# --- V-080-03: USI ----------------------------------------------------------------------------------------------

_PROGRAM_KINDS = ("tga", "11", "12", "13", "14", "15", "16", "unlisted", "subject-only", "non-vet-subject")


@given(
    kind=st.sampled_from(_PROGRAM_KINDS),
    end=st.dates(datetime.date(2012, 1, 1), datetime.date(2018, 12, 31)),
    period=st.one_of(st.none(), st.integers(2012, 2018)),
    usi=st.sampled_from((None, "INDIV", "INTOFF", "ZZHABT0001")),
)
def test_V_080_03_usi_required_for_nationally_recognised_activity_from_2015(
    kind: str, end: datetime.date, period: int | None, usi: str | None
) -> None:
    """V-080-03 fires for a blank USI exactly when the client has nationally recognised activity ending on or
    after 1 January 2015 in a collection whose period does not end before it: an error for a program on
    training.gov.au (NAT00030), recognition 11-13 or a program not listed, a warning for subject-only activity in
    a vocational subject; silent for recognition 14-16, a non-vocational subject, INDIV/INTOFF or a USI."""
    program = None if kind in ("subject-only", "non-vet-subject") else ("P1" if kind != "tga" else "BSB40120")
    frames = {
        "NAT00080": frame_of("NAT00080", [{"client_id": "C1", "usi": usi}]),
        "NAT00030": frame_of("NAT00030", [{"program_id": "BSB40120", "program_name": "X", "nominal_hours": 1}]),
        "NAT00030A": frame_of(
            "NAT00030A",
            [{"program_id": "P1", "program_recognition_id": kind}] if kind.isdigit() else [],
        ),
        "NAT00060": frame_of("NAT00060", [{"subject_id": "S1", "vet_flag": "N" if kind == "non-vet-subject" else "Y"}]),
        ACT: frame_of(
            ACT,
            [
                {
                    "client_id": "C1",
                    "subject_id": "S1",
                    "program_id": program,
                    "activity_start_date": end - datetime.timedelta(days=30),
                    "activity_end_date": end,
                }
            ],
        ),
    }
    found = validate(frames, period=period, rules=["V-080-03"]).findings
    due = usi is None and end >= USI_FROM and (period is None or period >= 2015)
    if not due or kind in ("14", "15", "16", "non-vet-subject"):
        assert found.empty
    else:
        severity = "warning" if kind == "subject-only" else "error"
        assert found[["severity", "file", "line", "field"]].astype(object).values.tolist() == [
            [severity, "NAT00080", 1, "usi"]
        ]


@given(done=st.dates(datetime.date(2013, 1, 1), datetime.date(2017, 12, 31)), recognised=st.booleans())
def test_V_080_03_a_completion_from_2015_needs_a_usi_too(done: datetime.date, recognised: bool) -> None:
    """V-080-03 fires for a client whose only record is a NAT00130 completion of a recognised program on or after
    1 January 2015, and is silent for an earlier or local completion."""
    frames = {
        "NAT00080": frame_of("NAT00080", [{"client_id": "C1"}]),
        "NAT00030A": frame_of(
            "NAT00030A", [{"program_id": "P1", "program_recognition_id": "12" if recognised else "14"}]
        ),
        "NAT00130": frame_of("NAT00130", [{"client_id": "C1", "program_id": "P1", "date_program_completed": done}]),
    }
    found = validate(frames, rules=["V-080-03"]).findings
    assert len(found) == int(recognised and done >= USI_FROM)


# --- Tasmania's unfinished programs ---------------------------------------------------------------


@given(
    profile=st.sampled_from(("tas", "national", "vic")),
    status=st.sampled_from(("30", "20", None)),
    placeholder=st.booleans(),
    activity=st.booleans(),
)
def test_X_10_and_X_06_tas_unfinished_program_is_not_a_completion(
    profile: str, status: str | None, placeholder: bool, activity: bool
) -> None:
    """X-10 fires for a year-9999 completion date unless the profile reads it as an unfinished program (tas:
    01019999 with program status 30); X-06's "no activity" fires for a completion without NAT00120 activity, never
    for such an unfinished program."""
    done = datetime.date(9999, 1, 1) if placeholder else datetime.date(2026, 6, 30)
    row: dict[str, Any] = {"client_id": "C1", "program_id": "BSB40120", "date_program_completed": done}
    if profile in ("tas", "vic"):
        row["program_status_id"] = status
    frames = {
        "NAT00080": frame_of("NAT00080", [{"client_id": "C1"}], profile),
        "NAT00030": frame_of("NAT00030", [{"program_id": "BSB40120"}], profile),
        ACT: frame_of(ACT, [{"client_id": "C1", "program_id": "BSB40120" if activity else None}], profile),
        "NAT00130": frame_of("NAT00130", [row], profile),
    }
    unfinished = profile == "tas" and placeholder and status == "30"
    found = validate(frames, profile=profile, rules=["X-10", "X-06"]).findings
    assert sorted(found["rule_id"].tolist()) == sorted(
        [*(["X-06"] if not activity and not unfinished else []), *(["X-10"] if placeholder and not unfinished else [])]
    )


# --- V-120-F11: a state outcome one source mentions -------------------------------------------------------------------


@given(profile=st.sampled_from(("sa", "national", "nsw", "wa")), outcome=st.sampled_from(("@@", "20", "66")))
def test_V_120_F11_sa_did_not_start_is_a_warning_under_sa_only(profile: str, outcome: str) -> None:
    """V-120-F11: @@ (SA 'did not start', unverified) is a warning under sa and an error elsewhere; a national code is
    silent everywhere; 66 (an SMS-internal code) is an error everywhere."""
    frames = {ACT: frame_of(ACT, [{"outcome_national": outcome}], profile)}
    found = validate(frames, profile=profile, rules=["V-120-F11"]).findings["severity"].tolist()
    if outcome == "20":
        assert found == []
    elif outcome == "@@" and profile == "sa":
        assert found == ["warning"]
    else:
        assert found == ["error"]


# --- state-only positions under national ------------------------------------------------------------------------------


@FEW
@given(
    target=st.sampled_from(
        (
            (ACT, "client_tuition_fee", "1.250"),
            (ACT, "hours_attended", "12 h"),
            (ACT, "scheduled_hours", "-040"),
            ("NAT00130", "parchment_issue_date", "05/06/26"),
            (ACT, "funding_source_national", "2X"),
        )
    ),
    profile=st.sampled_from(("national", "nsw")),
    cap=st.sampled_from((Severity.WARNING, Severity.INFO, Severity.ERROR)),
)
def test_state_positions_are_at_most_the_cap_under_national(
    target: tuple[str, str, str], profile: str, cap: Severity
) -> None:
    """ValidationOptions.state_positions_severity: under national a finding on a state-only position (past the
    national record) is at most the cap (warning by default), noted in its message; a national position keeps its
    error, and a state profile judges state positions in full."""
    file_id, field, text = target
    lines = _lines(profile)
    fld = get_profile(profile).layout(file_id).field(field)
    lines[file_id][0] = _put(lines[file_id][0], fld.start, fld.stop, text)
    coll = _collection(lines, profile)
    opts = ValidationOptions(reporting_date=datetime.date(2026, 11, 29), state_positions_severity=cap)
    rules = ["NAT-NUMBER", "NAT-DATE", "F-02", "V-120-F3"]
    report = validate(coll, period=2026, profile=profile, options=opts, rules=rules)
    f = report.findings
    mine = f[((f["file"] == file_id) & (f["line"] == 1) & (f["field"] == field)).to_numpy(dtype=bool)]
    assert len(mine) == 1
    capped = profile == "national" and not fld.national and cap is not Severity.ERROR
    assert mine["severity"].iloc[0] == (cap.label if capped else "error")
    assert ("state-only position" in mine["message"].iloc[0]) is capped
    if not fld.national:
        strict = attrs.evolve(opts, state_positions_severity=Severity.ERROR)
        full = validate(coll, period=2026, profile=profile, options=strict, rules=rules).findings
        assert "error" in full["severity"].astype(str).tolist()


def test_state_position_cap_leaves_a_severity_override_alone() -> None:
    """A rule the caller overrides keeps the caller's severity, even on a state-only position under national."""
    lines = _lines("national")
    fld = get_profile("national").layout(ACT).field("client_tuition_fee")
    lines[ACT][0] = _put(lines[ACT][0], fld.start, fld.stop, "1.250")
    opts = ValidationOptions(severity_overrides={"NAT-NUMBER": Severity.ERROR})
    f = validate(_collection(lines, "national"), period=2026, options=opts).findings
    assert f[f["rule_id"] == "NAT-NUMBER"]["severity"].tolist() == ["error"]


def test_frames_without_raw_cells_still_validate() -> None:
    """Frames given without ``unparsed`` (no reader) run the raw-text rules harmlessly."""
    frames = {ACT: frame_of(ACT, [{"client_id": "C1"}])}
    assert isinstance(validate(frames, rules=["F-08", "F-02"]).findings, pd.DataFrame)
