"""F-TRANSITION pinned exactly: every refusal (rule ID, programs, units), every issue (rule ID, severity, field,
value) and every row, on both sides of each boundary. These are the cases mutation testing
(``scripts/mutate.py avetmiss_finalise/transition``) found only loosely asserted elsewhere.
"""

from __future__ import annotations

import datetime

import attrs
import pytest

from avetmiss_finalise.code_lists import FINAL_OUTCOMES
from avetmiss_finalise.model import ProgramEnrolment, Transition, UnitEnrolment
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.transition import (
    MAX_PROGRAMS,
    SupersededCase,
    TransitionPlan,
    classify_superseded,
    plan_transition,
)
from avetmiss_finalise.transition._table import ACHIEVED, FINAL, has_started

D = datetime.date
ON = D(2026, 2, 10)
REPORTING = D(2026, 3, 31)
OLD, NEW = "BSB40120", "BSB40125"
NSW = get_profile("nsw")
#: Without a period, a row that ended 2025-04-01 is named under V-120-04 (a validation for the reporting date's year,
#: 2026, rejects it: transition/_collection.py ``_unscoped``).
#: Named under V-120-04 with the rule's registry severity (avetmiss_finalise/rule_severity.py): an error.
EARLIER = ("V-120-04", "warning", "end_date", "2025-04-01")


def unit(sid: str, outcome: str | None, start: D, end: D, hours: int | None = None, **kw: object) -> UnitEnrolment:
    return UnitEnrolment(
        subject_id=sid,
        delivery_location_id="LOC01",
        start_date=start,
        end_date=end,
        outcome=outcome,
        hours_attended=hours,
        **kw,  # type: ignore[arg-type]
    )


def superseded(*units: UnitEnrolment, cid: str | None = "CID0000001", program: str | None = OLD) -> ProgramEnrolment:
    return ProgramEnrolment(
        training_organisation_id="90001", client_id="TESTCL01", program_id=program, commitment_id=cid, units=units
    )


def transition(**kw: object) -> Transition:
    values: dict[str, object] = {"date": ON, "current_program_id": NEW, "previously_reported": True}
    values.update(kw)
    return Transition(**values)  # type: ignore[arg-type]


def plan(enrolment: ProgramEnrolment, event: Transition, profile: object = "nsw") -> TransitionPlan:
    return plan_transition(enrolment, event, profile=profile, reporting_date=REPORTING)  # type: ignore[arg-type]


def issues(result: TransitionPlan) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.rule_id, i.severity.label, i.field, i.value) for i in result.issues]


def refusal(result: TransitionPlan) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    assert result.refusal is not None and result.status == "refused" and result.rows == () and result.actions == ()
    return result.refusal.rule_id, result.refusal.subject_ids, result.refusal.program_ids


def rows(result: TransitionPlan) -> list[tuple[object, ...]]:
    return [
        (r.program_id, r.subject_id, r.outcome_national, r.activity_start_date, r.activity_end_date, r.hours_attended)
        for r in result.rows
    ]


# --- the code sets --------------------------------------------------------------------------------------------------


def test_final_and_achieved_sets_are_the_code_lists() -> None:
    """F-TRANSITION-REPORTED reads "final" from the one code list (every final code, 52 and 81 included) and the
    table's "20, 51 or 60" row names exactly those three."""
    assert frozenset({"20", "30", "40", "41", "51", "52", "53", "54", "60", "61", "81", "82"}) == FINAL
    assert FINAL == FINAL_OUTCOMES
    assert frozenset({"20", "51", "60"}) == ACHIEVED


@pytest.mark.parametrize("outcome", ["30", "40", "41", "52", "53", "54", "61", "81", "82"])
def test_every_other_final_outcome_is_reported_unchanged_with_a_warning(outcome: str) -> None:
    """Each final outcome outside 20/51/60 is the table's uncovered case: one row as it was, one warning naming
    the outcome; the decision records no change."""
    u = unit("OLD01", outcome, D(2025, 3, 1), D(2025, 4, 1), 20)
    assert classify_superseded(u, ON) is SupersededCase.OTHER_FINAL
    result = plan(superseded(u), transition())
    assert rows(result) == [(OLD, "OLD01", outcome, D(2025, 3, 1), D(2025, 4, 1), 20)]
    assert issues(result) == [("F-TRANSITION-REPORTED", "warning", "outcome", outcome), EARLIER]
    assert result.decisions[0].changes == () and result.decisions[0].reported


@pytest.mark.parametrize("outcome", [None, "00", "70", "85", "99"])
def test_unfinished_outcomes_are_not_final(outcome: str | None) -> None:
    u = unit("OLD01", outcome, D(2025, 3, 1), D(2026, 6, 1), 5)
    assert classify_superseded(u, ON) is SupersededCase.STARTED_FOLLOWING_YEAR


# --- has_started: both sides of every boundary ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "outcome", "started"),
    [
        (ON - datetime.timedelta(days=1), None, "70", True),  # the day before: started
        (ON, None, "70", False),  # on the transition date, no hours: not started
        (ON, 0, "70", False),
        (ON, 1, "70", True),  # one hour is enough
        (ON + datetime.timedelta(days=1), 1, "85", True),  # hours win over a later start and 85
        (ON - datetime.timedelta(days=1), 0, "85", False),  # 85 with a past start and no hours: not started
        (ON - datetime.timedelta(days=1), None, None, True),
    ],
)
def test_has_started_boundaries(start: D, hours: int | None, outcome: str | None, started: bool) -> None:
    assert has_started(unit("OLD01", outcome, start, start, hours), ON) is started


@pytest.mark.parametrize(
    ("start", "on", "case"),
    [
        (D(2025, 12, 31), D(2026, 1, 1), SupersededCase.STARTED_FOLLOWING_YEAR),  # one day, one year later
        (D(2026, 1, 1), D(2026, 12, 31), SupersededCase.STARTED_SAME_YEAR),
        (D(2026, 1, 1), D(2026, 1, 2), SupersededCase.STARTED_SAME_YEAR),
    ],
)
def test_following_year_boundary(start: D, on: D, case: SupersededCase) -> None:
    assert classify_superseded(unit("OLD01", "70", start, D(2027, 1, 1), 3), on) is case


# --- the table's warnings, exact -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "scheduled", "expected"),
    [
        # 40 without hours under nsw: the validator's rule ID (V-120-13), as finalise warns it
        (None, 40, [("V-120-13", "error", "hours_attended", None)]),
        (0, 40, [("V-120-13", "error", "hours_attended", None)]),
        (1, 40, []),
        (40, 40, []),  # exactly scheduled: fine
        (41, 40, [("F-TRANSITION-REPORTED", "warning", "hours_attended", None)]),  # one above: warned
        (41, None, []),
    ],
)
def test_following_year_hours_warnings_boundaries(hours: int | None, scheduled: int | None, expected: list) -> None:
    u = unit("OLD01", "70", D(2025, 9, 1), D(2026, 5, 1), hours, scheduled_hours=scheduled)
    result = plan(superseded(u), transition())
    assert rows(result) == [(OLD, "OLD01", "40", D(2025, 9, 1), ON, hours)]
    assert [i for i in issues(result) if i[1] != "info"] == expected


# --- refusals, exact ----------------------------------------------------------------------------------------------


def test_no_superseded_program_is_refused() -> None:
    result = plan(superseded(program=None), transition())
    assert refusal(result) == ("F-TRANSITION", (), ())


def test_same_program_is_refused_naming_it() -> None:
    assert refusal(plan(superseded(), transition(current_program_id=OLD))) == ("F-TRANSITION", (), (OLD,))


def test_duplicate_subject_is_refused_naming_both_programs() -> None:
    old = unit("OLD01", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    assert refusal(plan(superseded(old, old), transition())) == ("F-TRANSITION", ("OLD01",), (OLD, NEW))


def test_reported_without_commitment_id_is_refused_naming_both_programs() -> None:
    result = plan(superseded(cid=None), transition())
    assert refusal(result) == ("F-TRANSITION-REPORTED", (), (OLD, NEW))


def test_unreported_reusing_the_cancelled_commitment_id_is_refused_naming_both_programs() -> None:
    result = plan(superseded(), transition(previously_reported=False, new_commitment_id="CID0000001"))
    assert refusal(result) == ("F-TRANSITION-UNREPORTED", (), (OLD, NEW))


def test_max_programs_constant_is_the_profiles_cap() -> None:
    """F-TRANSITION-MAX-PROGRAMS: three program identifiers per learner commitment, in every profile."""
    assert MAX_PROGRAMS == 3
    assert {get_profile(n).max_programs_per_commitment for n in ("national", "nsw", "vic", "qld", "tas")} == {3}


@pytest.mark.parametrize(
    ("previous", "ok"),
    [((), True), (("P1",), True), (("P1", "P0"), False), (("P1", OLD), True), ((OLD, NEW), True)],
)
def test_max_programs_boundary(previous: tuple[str, ...], ok: bool) -> None:
    """Three distinct programs pass, a fourth is refused; a program named twice counts once."""
    result = plan(superseded(), transition(previous_program_ids=previous))
    if ok:
        assert result.ok and result.program_ids == tuple(dict.fromkeys((*previous, OLD, NEW)))
    else:
        assert refusal(result) == ("F-TRANSITION-MAX-PROGRAMS", (), ("P1", "P0", OLD, NEW))


def test_unit_ending_before_it_starts_is_refused_naming_it() -> None:
    """The guard: a row must not end before it starts (here a current unit entered that way)."""
    bad = unit("NEW01", "70", D(2026, 3, 1), D(2026, 2, 1), 2)
    result = plan(superseded(), transition(current_units=[bad]))
    assert refusal(result) == ("F-TRANSITION-REPORTED", ("NEW01",), (NEW,))
    assert result.refusal is not None and "ends (2026-02-01) before it starts (2026-03-01)" in result.refusal.message
    unreported = plan(superseded(), transition(previously_reported=False, current_units=[bad]))
    assert refusal(unreported) == ("F-TRANSITION-UNREPORTED", ("NEW01",), (NEW,))


@pytest.mark.parametrize("outcome", [None, "00"])
def test_current_unit_without_an_avetmiss_outcome_is_refused(outcome: str | None) -> None:
    bad = unit("NEW01", outcome, D(2026, 3, 1), D(2026, 3, 9), 2)
    result = plan(superseded(), transition(current_units=[bad]))
    assert refusal(result) == ("F-TRANSITION-REPORTED", ("NEW01",), (NEW,))
    assert result.refusal is not None and f"no AVETMISS outcome ({outcome!r}" in result.refusal.message


@pytest.mark.parametrize(("end", "ok"), [(REPORTING, True), (REPORTING + datetime.timedelta(days=1), False)])
def test_final_outcome_on_and_after_the_reporting_date(end: D, ok: bool) -> None:
    """A final outcome may end on the reporting date, not one day after it."""
    old = unit("OLD01", "20", D(2026, 1, 5), end, 20)
    result = plan(superseded(old), transition())
    if ok:
        assert rows(result) == [(OLD, "OLD01", "20", D(2026, 1, 5), end, 20)]
    else:
        assert refusal(result) == ("F-TRANSITION-REPORTED", ("OLD01",), (OLD,))


def test_continuing_unit_may_end_after_the_reporting_date() -> None:
    new = unit("NEW01", "70", D(2026, 3, 1), D(2026, 9, 1), 2)
    result = plan(superseded(), transition(current_units=[new]))
    assert rows(result) == [(NEW, "NEW01", "70", D(2026, 3, 1), D(2026, 9, 1), 2)]


# --- warnings of the Commitment ID rules, exact ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previously", "marked", "earlier", "warned"),
    [
        (True, False, (), False),
        (True, True, (), False),  # said and marked: nothing to warn about
        (False, True, (), True),  # marked but not said: warned, treated as reported
        (False, False, ("P1",), True),  # earlier programs reported under the commitment
        (False, False, (), False),  # truly unreported
    ],
)
def test_previously_reported_disagreement_warning(
    previously: bool, marked: bool, earlier: tuple[str, ...], warned: bool
) -> None:
    old = unit("OLD01", "20", D(2025, 3, 1), D(2025, 4, 1), 20, reported=marked)
    result = plan(superseded(old), transition(previously_reported=previously, previous_program_ids=earlier))
    expected = [("F-TRANSITION-REPORTED", "warning", None, None)] if warned else []
    reported = previously or warned  # only then is the 2025 unit a row (and named under V-120-04)
    assert issues(result) == [*expected, *([EARLIER] if reported else [])]
    assert result.status == ("ready" if reported else "waiting_for_commitment_id")


@pytest.mark.parametrize(
    ("new_cid", "expected"),
    [
        (None, []),
        ("CID0000001", []),  # the same Commitment ID: nothing is dropped
        ("CID0000002", [("F-TRANSITION-REPORTED", "warning", None, "CID0000002")]),
    ],
)
def test_reported_new_commitment_id_warning(new_cid: str | None, expected: list) -> None:
    result = plan(superseded(), transition(new_commitment_id=new_cid))
    assert issues(result) == expected and result.commitment_id == "CID0000001"


def test_unit_map_naming_an_unknown_unit_warns_with_its_id() -> None:
    result = plan(superseded(), transition(unit_map={"NOPE": "X1"}))
    assert issues(result) == [("F-TRANSITION", "warning", None, "NOPE")]


def test_unreported_path_keeps_the_current_units_warnings_and_rows() -> None:
    """F-TRANSITION-UNREPORTED: a mapped current unit that is already final is warned about (field outcome, its
    value) and reported as enrolled under the new Commitment ID; the superseded units are not reported."""
    old = unit("OLD01", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("NEW01", "30", D(2026, 2, 11), D(2026, 3, 1), 4)
    event = transition(previously_reported=False, new_commitment_id="CID0000002", unit_map={"OLD01": "NEW01"})
    result = plan(superseded(old), attrs.evolve(event, current_units=(new,)))
    assert issues(result) == [("F-TRANSITION-UNREPORTED", "warning", "outcome", "30")]
    assert rows(result) == [(NEW, "NEW01", "30", D(2026, 2, 11), D(2026, 3, 1), 4)]
    assert [r.purchasing_contract_id for r in result.rows] == ["CID0000002"]
    assert [d.reported for d in result.decisions] == [False, True]


def test_unreported_credit_transfer_created_from_an_achieved_unit() -> None:
    old = unit("OLD01", "51", D(2025, 3, 1), D(2025, 4, 1), 20)
    event = transition(previously_reported=False, new_commitment_id="CID0000002", unit_map={"OLD01": "NEW09"})
    result = plan(superseded(old), event)
    assert rows(result) == [(NEW, "NEW09", "60", ON, ON, 0)]
    assert [(r.delivery_mode_id, r.predominant_delivery_mode, r.scheduled_hours) for r in result.rows] == [
        ("NNN", "N", 0)
    ]
    assert issues(result) == []


def test_tnc_note_only_where_the_transition_finalised_a_superseded_unit() -> None:
    """Under nsw (TO outcomes) an info note says the TO outcome is left blank on units the transition finalised;
    not when every superseded unit kept its outcome, and never under national."""
    started = unit("OLD01", "70", D(2025, 9, 1), D(2026, 5, 1), 12)
    achieved = unit("OLD02", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    note = ("F-TRANSITION-REPORTED", "info", "outcome_training_organisation", None)
    assert issues(plan(superseded(started), transition())) == [note]
    assert issues(plan(superseded(achieved), transition())) == [EARLIER]
    assert note not in issues(plan(superseded(started), transition(), "national"))


# --- profiles, replacements and the report action, exact --------------------------------------------------------------


def test_profiles_without_a_planner_refuse_saying_why() -> None:
    """vic and qld name what is missing; a profile with no strategy at all (sa) says there is none."""
    vic = plan(superseded(), transition(), "vic")
    assert refusal(vic) == ("F-TRANSITION", (), (OLD, NEW))
    assert vic.refusal is not None and "Associated course identifier" in vic.refusal.message
    sa = plan(superseded(), transition(), "sa")
    assert refusal(sa) == ("F-TRANSITION", (), (OLD, NEW))
    assert sa.refusal is not None and sa.refusal.message.endswith("no transition strategy for this profile")


def _lookup(found: str | None) -> object:
    return lambda program: (found, f"listed for {program}")


def test_current_program_read_from_the_list_or_refused_naming_the_superseded_program() -> None:
    event = transition(current_program_id=None)
    read = plan_transition(superseded(), event, profile="nsw", reporting_date=REPORTING, replacements=_lookup(NEW))  # type: ignore[arg-type]
    assert read.ok and read.program_ids == (OLD, NEW)
    assert issues(read)[0] == ("F-TRANSITION", "info", None, NEW)
    none = plan_transition(superseded(), event, profile="nsw", reporting_date=REPORTING, replacements=_lookup(None))  # type: ignore[arg-type]
    assert refusal(none) == ("F-TRANSITION", (), (OLD,))
    assert refusal(plan(superseded(), event)) == ("F-TRANSITION", (), (OLD,))
    assert refusal(plan(superseded(program=None), event)) == ("F-TRANSITION", (), ())


def test_current_program_in_the_event_wins_over_the_list_with_a_warning() -> None:
    result = plan_transition(
        superseded(),
        transition(),
        profile="nsw",
        reporting_date=REPORTING,
        replacements=_lookup("BSB40130"),  # type: ignore[arg-type]
    )
    assert result.ok and result.program_ids == (OLD, NEW)
    assert issues(result) == [("F-TRANSITION", "warning", None, NEW)]
    same = plan_transition(
        superseded(), transition(), profile="nsw", reporting_date=REPORTING, replacements=_lookup(NEW)
    )  # type: ignore[arg-type]
    assert issues(same) == []


def test_current_unit_already_60_takes_the_credit_transfer() -> None:
    """A mapped current unit already recorded as credit transfer (60) is credited, not warned about."""
    old = unit("OLD01", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("NEW01", "60", D(2026, 3, 1), D(2026, 3, 1), 0)
    result = plan(superseded(old), transition(unit_map={"OLD01": "NEW01"}, current_units=[new]))
    assert issues(result) == [EARLIER]
    assert rows(result) == [(OLD, "OLD01", "20", D(2025, 3, 1), D(2025, 4, 1), 20), (NEW, "NEW01", "60", ON, ON, 0)]


def test_report_action_counts_the_rows_of_each_program() -> None:
    old = unit("OLD01", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    started = unit("OLD02", "70", D(2025, 9, 1), D(2026, 5, 1), 12)
    new = unit("NEW01", "70", D(2026, 3, 1), D(2026, 9, 1), 2)
    result = plan(superseded(old, started), transition(current_units=[new], previous_program_ids=["P1"]))
    (action,) = result.actions
    assert (action.kind, action.rule_id) == ("report_rows", "F-TRANSITION-REPORTED")
    assert action.description == (
        f"Report 3 NAT00120 rows under Commitment ID CID0000001: 2 for superseded program {OLD}, 1 for current "
        f"program {NEW} (programs under the commitment: P1, {OLD}, {NEW})."
    )


def test_plan_and_strategy_take_keywords_only() -> None:
    """TransitionPlan and Strategy are built by keyword (their fields may grow without breaking callers)."""
    from avetmiss_finalise.transition import Strategy

    with pytest.raises(TypeError):
        Strategy(None)  # type: ignore[misc]
    with pytest.raises(TypeError):
        TransitionPlan("ready")  # type: ignore[misc]
