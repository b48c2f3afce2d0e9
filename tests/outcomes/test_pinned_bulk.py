"""Both finalise paths pinned where mutation testing (``scripts/mutate.py``) found them loose: the code sets in
``outcomes/codes.py`` and the columnar modules' masks, each warning or refusal asserted by rule ID, field and value
from both sides of its boundary, and ``finalise_frame`` held equal to ``finalise`` on the same pairs
(``tests/outcomes/test_columnar._check``). Builders are ``test_pinned_finalise``'s.
"""

from __future__ import annotations

import pandas as pd
import pytest

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.model import Completion, Deferral, Event, ProgramEnrolment, Transition, Withdrawal
from avetmiss_finalise.outcomes import FinalisationResult, finalise
from avetmiss_finalise.outcomes.columnar import ColumnarResult, finalise_frame, frames_from_pairs
from avetmiss_finalise.profiles import PROFILE_NAMES, get_profile
from tests.outcomes.test_columnar import _check
from tests.outcomes.test_pinned_finalise import DAY, ON, REPORTING, D, enrolment, unit

# --- outcomes/codes.py ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_a_withdrawn_unit_without_hours_is_named_under_v_120_13_in_nsw_vic_and_qld_only(name: str) -> None:
    """V-120-13 (a state requiring hours on a withdrawn 40) is nsw's, vic's and qld's (NSW Error ID 1113); every
    other profile words the same unit under F-WITHDRAW-COMMENCED. A unit with hours is warned under neither."""
    rule = "V-120-13" if name in {"nsw", "vic", "qld"} else "F-WITHDRAW-COMMENCED"
    without = enrolment(unit("A", start=ON - DAY, hours=0), cid="C1")
    with_hours = enrolment(unit("A", start=ON - DAY, hours=1), cid="C1")
    for e, expected in ((without, [(rule, "hours_attended", "0")]), (with_hours, [])):
        r = finalise(e, Withdrawal(date=ON), name, reporting_date=REPORTING)
        assert r.ok  # named under whichever severity the rule has under the profile, never a refusal
        assert [(i.rule_id, i.field, i.value) for i in r.issues if i.field == "hours_attended"] == expected
    pairs = [(without, Withdrawal(date=ON)), (with_hours, Withdrawal(date=ON))]
    _check(pairs, get_profile(name), REPORTING)
    got = finalise_frame(*frames_from_pairs(pairs), name, reporting_date=REPORTING).issues
    named = got[got["field"] == "hours_attended"]
    assert named[["enrolment", "rule_id", "value"]].values.tolist() == [[0, rule, "0"]]


# --- outcomes/result.py --------------------------------------------------------------------------------------------


def test_a_finalisation_result_is_built_by_keyword_only() -> None:
    """``FinalisationResult`` is keyword-only: its nine fields are easy to pass in the wrong order positionally."""
    r = finalise(enrolment(unit(start=ON - DAY)), Withdrawal(date=ON), reporting_date=REPORTING)
    with pytest.raises(TypeError):
        FinalisationResult(r.enrolment, r.status)  # type: ignore[misc]
    assert FinalisationResult(enrolment=r.enrolment, status=r.status).ok


# --- the columnar modules: boundaries both paths must agree on -----------------------------------------------------


def _frame(pairs: list[tuple[ProgramEnrolment, Event]], profile: str = "national", **kw: object) -> ColumnarResult:
    return finalise_frame(*frames_from_pairs(pairs), profile, reporting_date=kw.pop("rd", REPORTING), **kw)  # type: ignore[arg-type]


def _found(got: ColumnarResult, rule: str) -> list[list[object]]:
    """(enrolment, the unit its message names, field, value) of each ``rule`` issue: a warning row carries its unit
    in the message (``unit X: ...``), as ``finalise``'s Issue does; its ``subject_id`` column is for refusals."""
    named = got.issues[got.issues["rule_id"] == rule]
    return [
        [
            int(k),
            m.split(":")[0].removeprefix("unit ") if m.startswith("unit ") else None,
            None if pd.isna(f) else f,
            None if pd.isna(v) else v,
        ]
        for k, m, f, v in named[["enrolment", "message", "field", "value"]].itertuples(index=False)
    ]


def test_a_unit_starting_on_the_withdrawal_date_without_hours_has_not_commenced_on_both_paths() -> None:
    """``start < date`` (not ``<=``): a unit starting on the withdrawal date with 0 hours is not commenced (85, the
    day after); one starting the day before is (40, ending on the date, warned for its 0 hours)."""
    on = enrolment(unit("ON", start=ON, end=ON + 4 * DAY, hours=0))
    before = enrolment(unit("BEFORE", start=ON - DAY, end=ON + 4 * DAY, hours=0))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(on, Withdrawal(date=ON)), (before, Withdrawal(date=ON))]
    _check(pairs, get_profile("national"), REPORTING)
    got = _frame(pairs)
    rows = got.units[["subject_id", "outcome", "start_date", "end_date", "rule_id"]].values.tolist()
    assert [[s, o, pd.Timestamp(a).date(), pd.Timestamp(b).date(), r] for s, o, a, b, r in rows] == [
        ["ON", "85", ON + DAY, ON + 5 * DAY, "F-WITHDRAW-NOT-COMMENCED"],
        ["BEFORE", "40", ON - DAY, ON, "F-WITHDRAW-COMMENCED"],
    ]
    assert _found(got, "F-WITHDRAW-COMMENCED") == [[1, "BEFORE", "hours_attended", "0"]]


@pytest.mark.parametrize(("resume", "refused"), [(ON - DAY, True), (ON, True), (ON + DAY, False)])
def test_a_resumption_on_the_deferral_date_is_refused_on_both_paths(resume: D, refused: bool) -> None:
    pairs: list[tuple[ProgramEnrolment, Event]] = [(enrolment(unit()), Deferral(date=ON, resume_date=resume))]
    _check(pairs, get_profile("national"), REPORTING)
    got = _frame(pairs)
    assert got.enrolments["refused"].tolist() == [refused]
    reasons = got.problems[["rule_id", "message"]].values.tolist()
    said = f"resumption date {resume.isoformat()} is not after the deferral date {ON.isoformat()}"
    assert reasons == ([["F-DEFER", said]] if refused else [])


def test_the_refusal_reasons_frame_has_its_four_columns() -> None:
    got = _frame([(enrolment(unit(outcome="30")), Completion(date=ON))])
    assert got.problems.columns.tolist() == ["enrolment", "subject_id", "rule_id", "message"]
    assert got.problems.values.tolist() == [
        [0, "A", "F-COMPLETE", "outcome 30 is not a final achieved outcome (20, 51, 53, 60, 81)"]
    ]


@pytest.mark.parametrize(("cid", "warned"), [(None, True), ("", True), ("C1", False)])
def test_nsw_cid_01_for_a_missing_or_blank_commitment_id_on_both_paths(cid: str | None, warned: bool) -> None:
    """Found writing this test: an empty Commitment ID went into finalise_frame's NAT00120 frame as "" where the
    written and read-back row (finalise's) holds it missing; both now give a missing Purchasing contract id."""
    e = enrolment(unit(start=ON - DAY, funding_source_national="11"), cid=cid)
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Withdrawal(date=ON))]
    _check(pairs, get_profile("nsw"), REPORTING)
    assert _found(_frame(pairs, "nsw"), "NSW-CID-01") == ([[0, None, "commitment_id", None]] if warned else [])


@pytest.mark.parametrize(("end", "kept"), [(D(2025, 12, 31), False), (D(2026, 1, 1), True)])
def test_a_row_ending_on_the_period_start_is_in_the_collection_on_both_paths(end: D, kept: bool) -> None:
    """F-PRIOR-YEAR: a final row ending the day before the period start is left out (warned with its end date);
    one ending on the period start itself is written."""
    e = enrolment(unit("FIN", start=D(2025, 11, 3), end=end, outcome="20", hours=10), unit(start=ON - DAY))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Withdrawal(date=ON))]
    for interim in (False, True):
        _check(pairs, get_profile("national"), REPORTING, 2026, interim)
    got = _frame(pairs, period=2026)
    assert got.nat00120["subject_id"].tolist() == (["FIN", "A"] if kept else ["A"])
    assert _found(got, "F-PRIOR-YEAR") == ([] if kept else [[0, "FIN", "end_date", end.isoformat()]])


@pytest.mark.parametrize(("start", "warned"), [(REPORTING, True), (REPORTING + DAY, False)])
def test_an_85_starting_on_the_last_day_of_the_reporting_year_is_named_on_both_paths(start: D, warned: bool) -> None:
    """Without a period, V-120-08: an unstarted unit (85) starting on or before 31 December of the reporting
    date's year is named with its start date; one starting on 1 January after is not."""
    e = enrolment(unit("LATE", start=start, end=start + 30 * DAY, hours=0), unit(start=ON - DAY))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Withdrawal(date=REPORTING - 2 * DAY))]
    _check(pairs, get_profile("national"), REPORTING)
    got = _frame(pairs)
    assert got.units["outcome"].tolist()[0] == "85"
    assert _found(got, "V-120-08") == ([[0, "LATE", "start_date", start.isoformat()]] if warned else [])


@pytest.mark.parametrize(("end", "warned"), [(REPORTING, True), (REPORTING + DAY, False)])
def test_a_kept_70_ending_on_the_last_day_of_the_reporting_year_is_named_on_both_paths(end: D, warned: bool) -> None:
    """Without a period, V-120-03: a NSW deferral's commenced unit kept as 70 ending on or before 31 December
    of the reporting date's year is named with its end date; one ending on 1 January after is not."""
    e = enrolment(unit("KEPT", start=ON - 10 * DAY, end=end, hours=5))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Deferral(date=ON, resume_date=ON + 10 * DAY))]
    _check(pairs, get_profile("nsw"), REPORTING)
    got = _frame(pairs, "nsw")
    assert got.units["outcome"].tolist() == ["70"]
    assert _found(got, "V-120-03") == ([[0, "KEPT", "end_date", end.isoformat()]] if warned else [])


def test_finalise_frame_names_a_final_collection_unless_told_interim() -> None:
    """``interim`` defaults to False as in ``finalise``: a final 2026 collection puts an unstarted unit after the
    period end (1 January 2027), an interim one after the reporting date."""
    rd = D(2026, 6, 30)
    e = enrolment(unit("NS", start=ON + DAY, end=ON + 9 * DAY, hours=0), unit(start=ON - DAY))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Withdrawal(date=ON))]
    final = _frame(pairs, rd=rd, period=2026)
    interim = _frame(pairs, rd=rd, period=2026, interim=True)
    assert pd.Timestamp(final.units["start_date"].iloc[0]).date() == D(2027, 1, 1)
    assert pd.Timestamp(interim.units["start_date"].iloc[0]).date() == rd + DAY
    scalar = finalise(e, Withdrawal(date=ON), reporting_date=rd, period=2026)
    assert scalar.enrolment.units[0].start_date == D(2027, 1, 1)


def test_frames_from_pairs_types_every_column_as_a_bulk_caller_must() -> None:
    """The adapter's frames are typed as ``finalise_frame``'s contract says: amounts and hours ``Int64``, the
    ``reported`` flag bool, every date ``datetime64[s]``, the credential flag bool (False where the event has
    none)."""
    pairs: list[tuple[ProgramEnrolment, Event]] = [
        (enrolment(unit(client_tuition_fee=250, reported=True)), Completion(date=ON, credential_issued=True)),
        (enrolment(unit()), Withdrawal(date=ON)),
        (enrolment(unit()), Deferral(date=ON, resume_date=ON + DAY)),
    ]
    units, enrolments = frames_from_pairs(pairs)
    assert {
        c: str(units[c].dtype) for c in ("client_tuition_fee", "hours_attended", "scheduled_hours")
    } == dict.fromkeys(("client_tuition_fee", "hours_attended", "scheduled_hours"), "Int64")
    assert units["reported"].tolist() == [True, False, False] and units["reported"].dtype == bool
    for c in ("event_date", "event_resume_date", "event_parchment_issue_date"):
        assert enrolments[c].dtype == "datetime64[s]", c
    assert enrolments["event_credential_issued"].tolist() == [True, False, False]
    assert enrolments["status"].tolist() == ["active"] * 3


def test_the_columnar_path_refuses_what_it_cannot_finalise() -> None:
    """A transition (in a pair or as an ``event_type``) and units of an enrolment the frame lacks: ``UsageError``."""
    with pytest.raises(UsageError, match="plan_transition"):
        frames_from_pairs([(enrolment(unit()), Transition(date=ON, current_program_id="BSB50120"))])
    units, enrolments = frames_from_pairs([(enrolment(unit()), Withdrawal(date=ON))])
    with pytest.raises(UsageError, match=r"not transition$"):
        finalise_frame(units, enrolments.assign(event_type="transition"), reporting_date=REPORTING)
    with pytest.raises(UsageError, match=r"unknown enrolments: \[7\]"):
        finalise_frame(units.assign(enrolment=7), enrolments, reporting_date=REPORTING)
    assert finalise_frame(units, enrolments, reporting_date=REPORTING).enrolments["refused"].tolist() == [False]


@pytest.mark.parametrize(("date", "refused"), [(REPORTING, False), (REPORTING + DAY, True)])
def test_a_completion_on_the_reporting_date_is_accepted_on_both_paths(date: D, refused: bool) -> None:
    e = enrolment(unit(start=ON - DAY, end=ON, outcome="20", hours=40))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Completion(date=date))]
    _check(pairs, get_profile("national"), REPORTING)
    said = f"completion date {date.isoformat()} is after the reporting date {REPORTING.isoformat()}"
    problems = _frame(pairs).problems[["subject_id", "rule_id", "message"]].astype(object)
    assert problems.where(problems.notna(), None).values.tolist() == ([[None, "F-COMPLETE", said]] if refused else [])


def test_a_completion_of_an_internal_00_unit_gives_both_refusal_lines_on_both_paths() -> None:
    """A 00 unit is not achieved, and its row would report the internal 00: two reasons, both naming the unit."""
    pairs: list[tuple[ProgramEnrolment, Event]] = [(enrolment(unit("Z", outcome="00")), Completion(date=ON))]
    _check(pairs, get_profile("national"), REPORTING)
    assert _frame(pairs).problems[["subject_id", "message"]].values.tolist() == [
        ["Z", "outcome 00 is not a final achieved outcome (20, 51, 53, 60, 81)"],
        ["Z", "internal outcome 00 would be reported"],
    ]


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        # on the period's last day, starting and ending: in this collection
        (D(2026, 12, 31), D(2026, 12, 31), False),
        # ending on the (later) reporting date itself: after the period end, so a later collection's row
        (D(2026, 12, 1), D(2027, 2, 1), True),
        (D(2026, 12, 1), D(2027, 1, 1), True),
    ],
)
def test_a_final_row_of_a_collection_reported_after_its_period_end(start: D, end: D, refused: bool) -> None:
    """Period 2026 reported on 1 February 2027: a final row ending by 31 December is in the collection, one
    ending after it (on the reporting date too) belongs to a later collection and is refused, naming the unit."""
    rd = D(2027, 2, 1)
    e = enrolment(unit("FIN", start=start, end=end, outcome="20", hours=10))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Withdrawal(date=D(2026, 12, 31)))]
    _check(pairs, get_profile("national"), rd, 2026, False)
    got = _frame(pairs, rd=rd, period=2026)
    assert got.enrolments["refused"].tolist() == [refused]
    assert got.problems["subject_id"].tolist() == (["FIN"] if refused else [])
    assert all(got.problems["message"].str.len() > 0)
    assert got.nat00120["subject_id"].tolist() == ([] if refused else ["FIN"])


# --- outcomes/columnar_result.py -----------------------------------------------------------------------------------


def test_the_units_frame_marks_the_units_of_a_refused_enrolment() -> None:
    """``units`` carries ``refused`` per unit (its enrolment's verdict), beside ``rule_id`` and ``reported``."""
    pairs: list[tuple[ProgramEnrolment, Event]] = [
        (enrolment(unit("X", outcome="30"), unit("Y", outcome="20")), Completion(date=ON)),
        (enrolment(unit("W", start=ON - DAY)), Withdrawal(date=ON)),
    ]
    got = _frame(pairs)
    assert got.units[["subject_id", "refused", "reported", "rule_id"]].values.tolist() == [
        ["X", True, True, "F-COMPLETE"],
        ["Y", True, True, "F-COMPLETE"],
        ["W", False, True, "F-WITHDRAW-COMMENCED"],
    ]


def test_a_columnar_result_is_built_by_keyword_only() -> None:
    got = _frame([(enrolment(unit(start=ON - DAY)), Withdrawal(date=ON))])
    frames = (got.units, got.enrolments, got.problems, got.issues, got.nat00120, got.nat00130)
    with pytest.raises(TypeError):
        ColumnarResult(*frames)  # type: ignore[misc]


# --- outcomes/completion.py: the decision's reason -----------------------------------------------------------------


def test_each_completed_units_decision_says_why_it_counts() -> None:
    """An achieved unit: "completed with outcome 20" and nothing more; an earlier failed attempt and a replaced
    withdrawn elective say why they count, in the decision a provider reads."""
    e = enrolment(
        unit("A", start=D(2026, 2, 1), end=D(2026, 2, 28), outcome="30"),
        unit("A", start=D(2026, 3, 2), end=D(2026, 4, 30), outcome="20"),
        unit("E", start=D(2026, 2, 1), end=D(2026, 2, 20), outcome="40"),
        unit("F", start=D(2026, 3, 1), end=D(2026, 5, 1), outcome="20"),
    )
    r = finalise(e, Completion(date=ON), reporting_date=REPORTING)
    assert r.ok
    assert [d.reason for d in r.decisions] == [
        "completed with outcome 30 (an earlier attempt: the subject is achieved by a later one, reported as its own "
        "row)",
        "completed with outcome 20",
        "completed with outcome 40 (withdrawn, counted as replaced by another achieved unit)",
        "completed with outcome 20",
    ]


# --- columnar_refusals.py / columnar_issues.py: more boundaries on both paths --------------------------------------


@pytest.mark.parametrize(("start", "refused"), [(ON, False), (ON + DAY, True)])
def test_a_61_and_a_unit_starting_on_the_completion_date_complete_on_both_paths(start: D, refused: bool) -> None:
    """A 61 (superseded) counts, with its F-COMPLETE warning; a unit starting on the completion date counts, one
    starting the day after is refused naming it."""
    e = enrolment(unit("S", start=ON - 9 * DAY, end=ON, outcome="61"), unit("T", start=start, end=start, outcome="20"))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Completion(date=ON))]
    _check(pairs, get_profile("national"), REPORTING)
    got = _frame(pairs)
    assert got.enrolments["refused"].tolist() == [refused]
    assert got.problems["subject_id"].tolist() == (["T"] if refused else [])
    assert [x for x in _found(got, "F-COMPLETE") if x[2] == "outcome"] == [[0, "S", "outcome", "61"]]


@pytest.mark.parametrize(("hours", "warned"), [(40, False), (41, True)])
def test_withdrawal_hours_above_scheduled_on_both_paths(hours: int, warned: bool) -> None:
    e = enrolment(unit("H", start=ON - DAY, hours=2, sched=40))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Withdrawal(date=ON, hours_attended={"H": hours}))]
    _check(pairs, get_profile("national"), REPORTING)
    said = [x for x in _found(_frame(pairs), "F-WITHDRAW-COMMENCED") if x[2] == "hours_attended"]
    assert said == ([[0, "H", "hours_attended", str(hours)]] if warned else [])


@pytest.mark.parametrize(("start", "warned"), [(ON, False), (ON + DAY, True)])
def test_nsw_deferral_start_moved_back_on_both_paths(start: D, warned: bool) -> None:
    """A NSW deferral keeps a commenced unit (hours attended) as 70; one whose start is after the deferral date is
    moved back to it, with an F-DEFER warning naming its start date."""
    e = enrolment(unit("K", start=start, end=ON + 30 * DAY, hours=3))
    pairs: list[tuple[ProgramEnrolment, Event]] = [(e, Deferral(date=ON, resume_date=ON + 10 * DAY))]
    _check(pairs, get_profile("nsw"), REPORTING)
    got = _frame(pairs, "nsw")
    assert got.units["outcome"].tolist() == ["70"]
    said = [x for x in _found(got, "F-DEFER") if x[2] == "start_date"]
    assert said == ([[0, "K", "start_date", start.isoformat()]] if warned else [])
