"""The collection of a transition plan (``transition/_collection.py``) pinned where mutation testing found it loose
(``scripts/mutate.py avetmiss_finalise/transition/_collection.py``): the default of ``Collection.interim``, both
sides of the horizon for each warning, its fields, and collections at the end of the calendar (9999-12-31)."""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.period import Period
from avetmiss_finalise.transition import TransitionPlan, plan_transition
from avetmiss_finalise.transition._collection import Collection
from tests.transition.test_pinned import NEW, issues, refusal, rows, superseded, transition, unit

D = datetime.date
LAST_YEAR = Period(D(9999, 1, 1), D(9999, 12, 31))


def test_collection_is_final_unless_said_interim() -> None:
    """A collection is final by default: its horizon is the period end, not the reporting date."""
    final = Collection(reporting_date=D(2026, 3, 31), period=Period.year(2026))
    assert (final.interim, final.horizon, final.future) == (False, D(2026, 12, 31), D(2027, 1, 1))
    interim = Collection(reporting_date=D(2026, 3, 31), period=Period.year(2026), interim=True)
    assert (interim.horizon, interim.future) == (D(2026, 3, 31), D(2026, 4, 1))


def test_collection_ending_9999_12_31_has_no_future_to_move_unstarted_units_into() -> None:
    """A final collection ending 9999-12-31 has a horizon (that day) but no first future day: a current 70 that has
    not started is not moved to 85 (there is nowhere to move it) and is reported as enrolled, with the V-120-03
    warning every 70 ending by the horizon gets; nothing is refused and nothing raises."""
    new = unit("NEW01", "70", D(9999, 5, 1), D(9999, 9, 1), 0)
    result = plan_transition(
        superseded(),
        transition(date=D(9999, 2, 10), current_units=[new]),
        profile="nsw",
        reporting_date=D(9999, 3, 31),
        period=LAST_YEAR,
    )
    assert result.refusal is None and result.status == "ready"
    assert rows(result) == [(NEW, "NEW01", "70", D(9999, 5, 1), D(9999, 9, 1), 0)]
    assert issues(result) == [("V-120-03", "error", "outcome", "70")]


YEAR = Period.year(2026)
AFTER_YEAR_END = D(2027, 1, 15)  # a final 2026 collection reported in January: the horizon is 2026-12-31


def _plan(
    *current: UnitEnrolment, reporting: D = AFTER_YEAR_END, period: Period = YEAR, **kw: object
) -> TransitionPlan:
    event = transition(date=D(reporting.year - 1, 12, 1) if reporting.month == 1 else D(reporting.year, 12, 1))
    return plan_transition(
        superseded(),
        attrs.evolve(event, current_units=current),
        profile="nsw",
        reporting_date=reporting,
        period=period,
        **kw,  # type: ignore[arg-type]
    )


def test_moving_unstarted_units_past_9999_12_31_is_refused() -> None:
    """An interim collection reported 9999-12-30 has one future day, 9999-12-31: a not-started 70 starting on the
    reporting date and ending on 9999-12-31 cannot be moved there whole, so the plan is refused under the
    strategy's rule ID, naming the unit, rows and actions empty."""
    new = unit("NEW01", "70", D(9999, 12, 30), D(9999, 12, 31), 0)
    result = _plan(new, reporting=D(9999, 12, 30), period=LAST_YEAR, interim=True)
    assert refusal(result) == ("F-TRANSITION-REPORTED", ("NEW01",), ())
    assert result.refusal is not None and "would pass 9999-12-31" in result.refusal.message
    assert issues(result) == []


def test_a_unit_starting_on_the_horizon_with_hours_has_started_within_the_collection() -> None:
    """Starting on the horizon (the period end) with hours: started, reported as it is; a day later it has not
    started within the collection: 85, 0 hours, and a warning on hours_attended names the hours dropped."""
    on = unit("NEW01", "70", D(2026, 12, 31), D(2027, 3, 1), 2)
    assert rows(_plan(on)) == [(NEW, "NEW01", "70", D(2026, 12, 31), D(2027, 3, 1), 2)]
    assert issues(_plan(on)) == []
    after = unit("NEW01", "70", D(2027, 1, 5), D(2027, 3, 1), 3)
    result = _plan(after)
    assert rows(result) == [(NEW, "NEW01", "85", D(2027, 1, 5), D(2027, 3, 1), 0)]
    assert issues(result) == [("F-TRANSITION-REPORTED", "warning", "hours_attended", "3")]


def test_v_120_03_names_a_continuing_unit_ending_on_the_horizon_only() -> None:
    """V-120-03 (field outcome, value 70) for a 70 ending on the horizon; none for a 70 ending the day after, nor for
    a final outcome ending inside the period."""
    result = _plan(
        unit("NEW01", "70", D(2026, 6, 1), D(2026, 12, 31), 2),
        unit("NEW02", "70", D(2026, 6, 1), D(2027, 1, 1), 2),
        unit("NEW03", "20", D(2026, 6, 1), D(2026, 10, 1), 2),
    )
    assert [r[1:3] for r in rows(result)] == [("NEW01", "70"), ("NEW02", "70"), ("NEW03", "20")]
    assert issues(result) == [("V-120-03", "error", "outcome", "70")]
    assert "NEW01" in result.issues[0].message


def test_v_120_08_names_a_started_85_starting_on_the_horizon() -> None:
    """An 85 with hours starting on the horizon has started within the collection, so it stays 85 as enrolled:
    V-120-18 (hours_attended 2) and V-120-08 (start_date 2026-12-31) name it; an 85 with hours starting the day
    after is moved to 85 with 0 hours (warned on hours_attended) and V-120-08 does not name it."""
    result = _plan(
        unit("NEW01", "85", D(2026, 12, 31), D(2027, 3, 1), 2), unit("NEW02", "85", D(2027, 1, 1), D(2027, 3, 1), 2)
    )
    assert rows(result) == [
        (NEW, "NEW01", "85", D(2026, 12, 31), D(2027, 3, 1), 2),
        (NEW, "NEW02", "85", D(2027, 1, 1), D(2027, 3, 1), 0),
    ]
    assert issues(result) == [
        ("F-TRANSITION-REPORTED", "warning", "hours_attended", "2"),
        ("V-120-18", "warning", "hours_attended", "2"),
        ("V-120-08", "warning", "start_date", "2026-12-31"),
    ]
    assert [i.message.split(":")[0] for i in result.issues] == ["unit NEW02", "unit NEW01", "unit NEW01"]
