"""Transitions and validate agree (issue #8): the rows ``plan_transition`` writes for a collection pass our own rules.

The contract of ``tests/test_agreement.py`` for F-TRANSITION: for any generated superseded enrolment and
Transition event, under every profile with a transition strategy (nsw, national, tas), final and interim
collections and several reporting dates, the NAT00120 rows the plan writes for period 2026 — with companion files
from ``tests.strategies.collections.consistent_collections`` — validate with **no error and no warning** except
those the plan itself reported for that unit under the same rule ID. A refused plan writes nothing and is not
judged here; the examples below pin each collection behaviour (dating, refusal, F-PRIOR-YEAR).
"""

from __future__ import annotations

import datetime

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.batch import finalise_batch
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.jsonio import InputItem
from avetmiss_finalise.model import ProgramEnrolment, Transition, UnitEnrolment
from avetmiss_finalise.outcomes import FinalisationResult
from avetmiss_finalise.rule_severity import named_severity
from avetmiss_finalise.transition import TRANSITION_STRATEGIES, TransitionPlan, plan_transition
from avetmiss_finalise.validation import ValidationOptions, validate
from tests.strategies.collections import TOID, consistent_collections
from tests.test_agreement import _BEFORE, _unit, companion_collection, unexplained

YEAR = 2026
D = datetime.date
OLD, NEW = "BSB40120", "BSB50120"
_OLD_SUBJECTS = tuple(f"BSBTST{n:03d}" for n in range(1, 5))
_NEW_SUBJECTS = tuple(f"BSBTST{n:03d}" for n in range(5, 9))
#: Profiles whose transitions are planned (vic and qld refuse honestly: nothing to validate).
PLANNED = tuple(name for name, s in TRANSITION_STRATEGIES.items() if s.planner is not None)

#: A whole collection is validated per example: a fifth of the profile's examples keeps dev runs to seconds.
AGREEMENT = settings(max_examples=max(5, settings().max_examples // 5))


@st.composite
def _superseded(draw: st.DrawFn, profile: str, client: str) -> ProgramEnrolment:
    """The superseded enrolment, in the companion collection's vocabulary (its TOID, client, programs, venues)."""
    subjects = draw(st.lists(st.sampled_from(_OLD_SUBJECTS), max_size=4, unique=True))
    units = [attrs.evolve(draw(_unit(s, profile, _BEFORE)), reported=draw(st.booleans())) for s in subjects]
    return ProgramEnrolment(
        training_organisation_id=TOID,
        client_id=client,
        program_id=OLD,
        units=units,
        commitment_id=f"C{client[-4:]}0001",
    )


@st.composite
def _transition(draw: st.DrawFn, e: ProgramEnrolment, profile: str, latest: D) -> Transition:
    """A transition to the current program on or before ``latest``: some superseded units mapped to current ones
    (enrolled or not), current units continuing (70) or not yet started (85)."""
    sources = [u.subject_id for u in e.units]
    mapped = draw(st.lists(st.sampled_from(sources), unique=True)) if sources else []
    current = draw(st.lists(st.sampled_from(_NEW_SUBJECTS), max_size=3, unique=True))
    return Transition(
        date=draw(st.dates(D(YEAR - 1, 6, 1), latest), label="transition date"),
        current_program_id=NEW,
        unit_map={s: draw(st.sampled_from(_NEW_SUBJECTS)) for s in mapped},
        previously_reported=draw(st.booleans()),
        new_commitment_id=draw(st.none() | st.just(f"C{e.client_id[-4:]}0002")),
        current_units=[draw(_unit(s, profile, ("70", "85"))) for s in current],
    )


def as_result(enrolment: ProgramEnrolment, plan: TransitionPlan) -> FinalisationResult:
    """The plan's rows and issues in the shape ``companion_collection`` and ``unexplained`` read."""
    return FinalisationResult(enrolment=enrolment, status=enrolment.status, nat00120=plan.rows, issues=plan.issues)


def _check_agreement(data: st.DataObject, *, scoped: bool) -> None:
    """Plan a generated transition for period 2026 (``scoped``) or with no period, and validate its rows for 2026:
    nothing may be flagged that the plan did not report for that unit under the same rule ID."""
    profile = data.draw(st.sampled_from(PLANNED), label="profile")
    c = data.draw(consistent_collections(year=YEAR, profile=profile, max_clients=1), label="companions")
    client = c.rows["NAT00080"][0]["client_id"]
    interim = data.draw(st.booleans(), label="interim")
    # Without a period the reporting date's year is the collection validated, so the run reports inside it.
    last = D(YEAR + 1, 2, 28) if scoped else D(YEAR, 12, 31)
    reporting = data.draw(st.dates(D(YEAR, 1, 1), last), label="reporting date")
    enrolment = data.draw(_superseded(profile, client), label="superseded enrolment")
    event = data.draw(_transition(enrolment, profile, reporting), label="event")
    period = YEAR if scoped else None
    plan = plan_transition(enrolment, event, profile=profile, reporting_date=reporting, period=period, interim=interim)
    assume(plan.ok and plan.rows)
    result = as_result(enrolment, plan)
    report = validate(
        companion_collection(c, result).frames(),
        period=YEAR,
        profile=profile,
        interim=interim,
        options=ValidationOptions(reporting_date=reporting),
    )
    problems = unexplained(report.findings, result)
    assert problems == [], problems


@AGREEMENT
@given(data=st.data())
def test_transition_rows_validate_clean_for_the_period(data: st.DataObject) -> None:
    """The contract: rows a transition plan writes for period 2026 validate with no error and no warning except
    those the plan reported for that unit, under the same rule ID — nsw, national and tas, final and interim,
    reporting dates in the period and in NCVER's window after it."""
    _check_agreement(data, scoped=True)


@AGREEMENT
@given(data=st.data())
def test_transition_rows_planned_without_a_period_validate_clean_for_the_reporting_year(data: st.DataObject) -> None:
    """The same contract with no period given to the plan (as tests/test_agreement.py checks finalise): the rows
    are validated for the reporting date's year, and whatever that validation flags the plan warned about, for
    that unit, under the validator's rule ID (V-120-04, V-120-08, V-120-03, V-120-01)."""
    _check_agreement(data, scoped=False)


# --- Examples: one per collection behaviour (the contract above holds them all together) -----------------------

REPORTING = D(YEAR, 11, 30)


def unit(subject: str, outcome: str | None, start: D, end: D, hours: int | None = None) -> UnitEnrolment:
    return UnitEnrolment(
        subject_id=subject,
        delivery_location_id="LOC01",
        start_date=start,
        end_date=end,
        outcome=outcome,
        hours_attended=hours,
    )


def superseded(*units: UnitEnrolment) -> ProgramEnrolment:
    return ProgramEnrolment(
        training_organisation_id=TOID, client_id="C0000001", program_id=OLD, commitment_id="C000010001", units=units
    )


def moved(on: D, *current: UnitEnrolment, **kw: object) -> Transition:
    values: dict[str, object] = {"date": on, "current_program_id": NEW, "previously_reported": True}
    values.update(current_units=current, **kw)
    return Transition(**values)  # type: ignore[arg-type]


def rows(plan: TransitionPlan) -> dict[str, tuple[object, ...]]:
    return {
        r.subject_id or "": (r.outcome_national, r.activity_start_date, r.activity_end_date, r.hours_attended)
        for r in plan.rows
    }


def test_unstarted_current_unit_starts_after_the_period_end_of_a_final_collection() -> None:
    """V-120-08 at a final collection: an 85 whose planned start has passed moves (with its duration) to start the
    day after the period end; without a period it is reported as enrolled, as before."""
    event = moved(D(YEAR, 6, 1), unit("NEW1", "85", D(YEAR, 7, 1), D(YEAR, 8, 31)))
    e = superseded()
    plan = plan_transition(e, event, profile="nsw", reporting_date=REPORTING, period=YEAR)
    assert plan.ok
    shift = D(YEAR + 1, 1, 1) - D(YEAR, 7, 1)
    assert rows(plan) == {"NEW1": ("85", D(YEAR + 1, 1, 1), D(YEAR, 8, 31) + shift, 0)}
    (decision,) = plan.decisions
    assert "the collection's future" in decision.reason
    assert {c.field for c in decision.changes} >= {"start_date", "end_date"}
    before = plan_transition(e, event, profile="nsw", reporting_date=REPORTING)
    assert rows(before) == {"NEW1": ("85", D(YEAR, 7, 1), D(YEAR, 8, 31), None)}


def test_unstarted_current_units_move_together_after_the_reporting_date_when_interim() -> None:
    """Interim: the future starts the day after the reporting date; unstarted units move by one shift (a 70 with
    no hours that starts on the reporting date has not started either), keeping their planned sequence."""
    event = moved(
        D(YEAR, 6, 1),
        unit("NEW1", "85", D(YEAR, 9, 1), D(YEAR, 9, 30)),
        unit("NEW2", "70", REPORTING, D(YEAR + 1, 2, 1)),
        unit("NEW3", "70", D(YEAR, 6, 1), D(YEAR + 1, 3, 1), hours=12),
    )
    plan = plan_transition(superseded(), event, reporting_date=REPORTING, period=YEAR, interim=True)
    shift = D(YEAR, 12, 1) - D(YEAR, 9, 1)
    assert rows(plan) == {
        "NEW1": ("85", D(YEAR, 12, 1), D(YEAR, 9, 30) + shift, 0),
        "NEW2": ("85", REPORTING + shift, D(YEAR + 1, 2, 1) + shift, 0),
        "NEW3": ("70", D(YEAR, 6, 1), D(YEAR + 1, 3, 1), 12),
    }


def test_final_outcome_after_the_period_end_is_refused() -> None:
    """A transition after the period end would end the superseded unit (40) and the credit (60) in a later
    collection: refused, naming the units, as finalise refuses it."""
    e = superseded(
        unit("OLD1", "70", D(YEAR, 3, 1), D(YEAR, 9, 1), hours=10), unit("OLD2", "20", D(YEAR, 2, 1), D(YEAR, 3, 1))
    )
    event = moved(D(YEAR + 1, 1, 20), unit_map={"OLD2": "NEW2"})
    plan = plan_transition(e, event, reporting_date=D(YEAR + 1, 2, 15), period=YEAR)
    assert plan.status == "refused" and plan.rows == ()
    assert plan.refusal is not None and plan.refusal.rule_id == "F-TRANSITION-REPORTED"
    assert "belongs to a later collection" in plan.refusal.message
    assert set(plan.refusal.subject_ids) == {"OLD1", "NEW2"}
    assert plan_transition(e, event, reporting_date=D(YEAR + 1, 2, 15)).ok  # no period: as before


def test_row_that_ended_before_the_period_start_is_left_out_with_f_prior_year() -> None:
    """V-120-04: the superseded unit achieved in 2025 is left out of the 2026 collection, its decision says why
    and an F-PRIOR-YEAR warning names it (field end_date); the unit achieved in 2026 is reported."""
    e = superseded(
        unit("OLD1", "20", D(YEAR - 1, 3, 1), D(YEAR - 1, 5, 1)), unit("OLD2", "20", D(YEAR, 2, 1), D(YEAR, 3, 1))
    )
    plan = plan_transition(e, moved(D(YEAR, 6, 1)), reporting_date=REPORTING, period=YEAR)
    assert plan.ok and set(rows(plan)) == {"OLD2"}
    old1 = next(d for d in plan.decisions if d.subject_id == "OLD1")
    assert not old1.reported and "before the collection period start" in old1.reason
    (warning,) = [i for i in plan.issues if i.rule_id == "F-PRIOR-YEAR"]
    assert warning.severity is Severity.WARNING and warning.field == "end_date"
    assert warning.message.startswith("unit OLD1: ")
    assert set(rows(plan_transition(e, moved(D(YEAR, 6, 1)), reporting_date=REPORTING))) == {"OLD1", "OLD2"}


def test_continuing_unit_ending_inside_the_period_is_reported_with_the_validators_rule_id() -> None:
    """V-120-03: a current 70 that ends before the period end cannot be finalised by a transition; it is reported
    as enrolled and the plan warns under the validator's rule ID, naming the unit."""
    event = moved(D(YEAR, 6, 1), unit("NEW1", "70", D(YEAR, 3, 1), D(YEAR, 10, 1), hours=5))
    plan = plan_transition(superseded(), event, reporting_date=REPORTING, period=YEAR)
    assert rows(plan) == {"NEW1": ("70", D(YEAR, 3, 1), D(YEAR, 10, 1), 5)}
    assert [i.message.split(":")[0] for i in plan.issues if i.rule_id == "V-120-03"] == ["unit NEW1"]


def test_batch_plans_transitions_for_the_runs_collection() -> None:
    """finalise_batch (the finalise command) passes its period and interim flag to the transition planner."""
    event = moved(D(YEAR, 6, 1), unit("NEW1", "85", D(YEAR, 7, 1), D(YEAR, 8, 31)))
    (outcome,) = finalise_batch(
        [InputItem(enrolment=superseded(), event=event)], "nsw", REPORTING, period=YEAR
    ).outcomes
    assert [(r.subject_id, r.activity_start_date) for r in outcome.rows] == [("NEW1", D(YEAR + 1, 1, 1))]


def test_reporting_date_before_the_period_start_is_a_usage_error() -> None:
    """As in finalise: a collection is not reported before it begins."""
    with pytest.raises(UsageError, match="before the collection period start"):
        plan_transition(superseded(), moved(D(YEAR - 1, 6, 1)), reporting_date=D(YEAR - 1, 12, 1), period=YEAR)


# --- Without a period: the validator's rule IDs for the reporting date's year (as finalise warns) ---------------


def named(plan: TransitionPlan, rule_id: str) -> list[tuple[str, str | None, str | None]]:
    """(unit, field, value) of each notice under ``rule_id`` — with the severity the finaliser gives it without a
    period (avetmiss_finalise/rule_severity.py: a period rule's a warning then) — the unit read as ``unexplained``
    reads it."""
    return [
        (i.message.split(":", 1)[0].removeprefix("unit "), i.field, i.value)
        for i in plan.issues
        if i.rule_id == rule_id
        and i.severity is (named_severity(rule_id, "nsw", period_known=False) or Severity.WARNING)
    ]


def test_without_a_period_a_row_that_ended_in_an_earlier_year_is_kept_and_named_under_v_120_04() -> None:
    """V-120-04: a superseded unit achieved in 2025 is still reported (F-TRANSITION-REPORTED reports earlier years
    by design), and the plan says a 2026 validation rejects it, under the validator's ID, not F-PRIOR-YEAR."""
    e = superseded(
        unit("OLD1", "20", D(YEAR - 1, 3, 1), D(YEAR - 1, 5, 1)), unit("OLD2", "20", D(YEAR, 2, 1), D(YEAR, 3, 1))
    )
    plan = plan_transition(e, moved(D(YEAR, 6, 1)), reporting_date=REPORTING)
    assert plan.ok and set(rows(plan)) == {"OLD1", "OLD2"}
    assert named(plan, "V-120-04") == [("OLD1", "end_date", f"{YEAR - 1}-05-01")]
    assert named(plan, "F-PRIOR-YEAR") == []
    (warning,) = [i for i in plan.issues if i.rule_id == "V-120-04"]
    assert "pass --period/period= to leave it out" in warning.message


def test_without_a_period_an_85_starting_inside_the_year_is_named_under_v_120_08() -> None:
    """V-120-08: without a period the unstarted current unit is reported as enrolled; its start is not after the
    reporting date's year end, so the plan says so (a period would date it in the collection's future)."""
    event = moved(
        D(YEAR, 6, 1),
        unit("NEW1", "85", D(YEAR, 7, 1), D(YEAR, 8, 31)),
        unit("NEW2", "85", D(YEAR + 1, 2, 1), D(YEAR + 1, 3, 1)),
    )
    plan = plan_transition(superseded(), event, reporting_date=REPORTING)
    assert rows(plan)["NEW1"] == ("85", D(YEAR, 7, 1), D(YEAR, 8, 31), None)
    assert named(plan, "V-120-08") == [("NEW1", "start_date", f"{YEAR}-07-01")]
    scoped = plan_transition(superseded(), event, reporting_date=REPORTING, period=YEAR)
    assert named(scoped, "V-120-08") == []  # dated in the future instead


def test_without_a_period_a_70_ending_inside_the_year_is_named_under_v_120_03_with_the_providers_fix() -> None:
    """V-120-03: a current 70 that ends within the reporting date's year; a period would not move it (the plan
    keeps it as enrolled), so the warning asks for its final outcome or a later planned end, not for a period."""
    event = moved(D(YEAR, 6, 1), unit("NEW1", "70", D(YEAR, 3, 1), D(YEAR, 10, 1), hours=5))
    plan = plan_transition(superseded(), event, reporting_date=REPORTING)
    assert rows(plan) == {"NEW1": ("70", D(YEAR, 3, 1), D(YEAR, 10, 1), 5)}
    assert named(plan, "V-120-03") == [("NEW1", "end_date", f"{YEAR}-10-01")]
    (warning,) = [i for i in plan.issues if i.rule_id == "V-120-03"]
    assert warning.message.endswith(f"give it its final outcome, or a planned end date after {YEAR}-12-31")


def test_without_a_period_a_row_starting_after_the_year_is_named_under_v_120_01() -> None:
    """V-120-01: a current 70 starting next year belongs to a later collection; with a period the plan reports it
    as not started within it (85, dated in the collection's future), without one as enrolled, named under the
    validator's ID (the caller did not say which collection)."""
    event = moved(D(YEAR, 6, 1), unit("NEW1", "70", D(YEAR + 1, 2, 1), D(YEAR + 1, 6, 1), hours=3))
    plan = plan_transition(superseded(), event, reporting_date=REPORTING)
    assert plan.ok and set(rows(plan)) == {"NEW1"}
    assert named(plan, "V-120-01") == [("NEW1", "start_date", f"{YEAR + 1}-02-01")]
    scoped = plan_transition(superseded(), event, reporting_date=REPORTING, period=YEAR)
    assert rows(scoped)["NEW1"][0] == "85" and named(scoped, "V-120-01") == []


def test_with_a_period_no_reporting_year_warnings_are_added() -> None:
    """The reporting-year stand-in is only for plans without a period: with one, the period decides (the 2025 row
    is left out under F-PRIOR-YEAR, not named under V-120-04)."""
    e = superseded(unit("OLD1", "20", D(YEAR - 1, 3, 1), D(YEAR - 1, 5, 1)))
    plan = plan_transition(e, moved(D(YEAR, 6, 1)), reporting_date=REPORTING, period=YEAR)
    assert named(plan, "V-120-04") == [] and [s for s, _, _ in named(plan, "F-PRIOR-YEAR")] == ["OLD1"]


def test_an_85_with_hours_is_named_under_v_120_18_without_a_period_and_zeroed_with_one() -> None:
    """V-120-18: without a period, a current unit the provider calls not yet started (85) but with hours attended
    is reported as enrolled (only the provider knows whether it started), with a warning naming it under the
    validator's ID; a clean 85 gets none. With a period it starts after the period end, so it has not started
    within the collection: reported with 0 hours, the hours kept in the decision and said so (no V-120-18 to give)."""
    late = D(YEAR + 1, 2, 1)
    event = moved(D(YEAR, 6, 1), unit("NEW1", "85", late, D(YEAR + 1, 3, 1), hours=6), unit("NEW2", "85", late, late))
    plan = plan_transition(superseded(), event, profile="nsw", reporting_date=REPORTING)
    named = [(i.message.split(":")[0], i.field, i.value) for i in plan.issues if i.rule_id == "V-120-18"]
    assert named == [("unit NEW1", "hours_attended", "6")]
    scoped = plan_transition(superseded(), event, profile="nsw", reporting_date=REPORTING, period=YEAR)
    assert rows(scoped)["NEW1"] == ("85", late, D(YEAR + 1, 3, 1), 0)
    assert [i.rule_id for i in scoped.issues if "NEW1" in i.message] == ["F-TRANSITION-REPORTED"]
    assert "6 hours attended are not reported" in scoped.issues[-1].message
