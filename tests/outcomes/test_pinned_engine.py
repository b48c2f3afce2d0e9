"""outcomes/engine.py pinned: the public entry points' contracts that the rule tests do not reach (issue #9; the
survivors of ``scripts/mutate.py avetmiss_finalise/outcomes/engine.py``): ``event_rule_id`` for every event,
misuse refused before anything else is read, ``finalise_many`` consumed (results, positions, the final-collection
default).

Synthetic records only (client TESTCL01, TOID 90001, subjects U001…).
"""

from __future__ import annotations

import datetime

import pytest

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.model import Completion, Deferral, Transition, Withdrawal
from avetmiss_finalise.outcomes import event_rule_id, finalise, finalise_many
from tests.outcomes.test_pinned_finalise import enrolment, unit

D = datetime.date
REPORTING = D(2026, 12, 31)
TRANSITION_MISUSE = "a Transition is planned by avetmiss_finalise.transition.plan_transition, not finalise()"


E = enrolment(unit("U001", D(2026, 2, 1), D(2026, 8, 31)), unit("U002", D(2026, 9, 1), D(2026, 11, 30), hours=0))
W = Withdrawal(date=D(2026, 6, 15), hours_attended={"U001": 12})


# --- event_rule_id -------------------------------------------------------------------------------------------------


def test_event_rule_id_names_every_event() -> None:
    assert event_rule_id(Completion(date=D(2026, 6, 1))) == "F-COMPLETE"
    assert event_rule_id(W) == "F-WITHDRAW"
    assert event_rule_id(Deferral(date=D(2026, 6, 1))) == "F-DEFER"
    assert event_rule_id(Transition(date=D(2026, 6, 1), current_program_id="BSB40125")) == "F-TRANSITION"


def test_event_rule_id_refuses_what_is_not_an_event() -> None:
    with pytest.raises(UsageError, match=r"^not a finalisation event: 'withdrawal'$"):
        event_rule_id("withdrawal")  # type: ignore[arg-type]


# --- misuse is refused first ---------------------------------------------------------------------------------------


def test_a_transition_is_refused_before_the_period_is_read() -> None:
    """The transition misuse is the error, not whatever else is wrong with the call (a bad period here)."""
    t = Transition(date=D(2026, 6, 1), current_program_id="BSB40125")
    with pytest.raises(UsageError) as err:
        finalise(E, t, reporting_date=REPORTING, period="not a period")
    assert str(err.value) == TRANSITION_MISUSE
    with pytest.raises(UsageError) as err:
        finalise(E, t, reporting_date=D(2025, 6, 1), period=2026)
    assert str(err.value) == TRANSITION_MISUSE


@pytest.mark.parametrize(
    ("value", "name"), [(datetime.datetime(2026, 12, 31, 9, 0), "datetime"), ("2026-12-31", "str"), (None, "NoneType")]
)
def test_finalise_refuses_a_reporting_date_that_is_not_a_date(value: object, name: str) -> None:
    for event in (W, Deferral(date=D(2026, 6, 15)), Completion(date=D(2026, 6, 15))):
        with pytest.raises(UsageTypeError) as err:
            finalise(E, event, reporting_date=value)  # type: ignore[arg-type]
        assert str(err.value) == f"reporting_date must be a datetime.date, not {name}"


# --- finalise_many -------------------------------------------------------------------------------------------------


def test_finalise_many_yields_what_finalise_gives_for_each_pair_in_order() -> None:
    other = enrolment(unit("U003", D(2026, 3, 1), D(2026, 5, 31), "20"))
    done = Completion(date=D(2026, 6, 1))
    pairs = [(E, W), [other, done]]
    got = list(finalise_many(pairs, reporting_date=REPORTING))  # type: ignore[arg-type]
    assert got == [finalise(E, W, reporting_date=REPORTING), finalise(other, done, reporting_date=REPORTING)]
    lazy = list(finalise_many(iter([(E, W), (other, done)]), "nsw", reporting_date=REPORTING, period=2026))
    assert lazy == [
        finalise(E, W, "nsw", reporting_date=REPORTING, period=2026),
        finalise(other, done, "nsw", reporting_date=REPORTING, period=2026),
    ]


def test_finalise_many_is_a_final_collection_unless_told_interim() -> None:
    """At a final collection an unstarted unit starts after the period end; at an interim one, after the day."""
    rep = D(2026, 6, 30)
    (final,) = finalise_many([(E, W)], reporting_date=rep, period=2026)
    (interim,) = finalise_many([(E, W)], reporting_date=rep, period=2026, interim=True)
    assert final == finalise(E, W, reporting_date=rep, period=2026)
    assert interim == finalise(E, W, reporting_date=rep, period=2026, interim=True)
    starts = [{r.subject_id: r.activity_start_date for r in x.nat00120}["U002"] for x in (final, interim)]
    assert starts == [D(2027, 1, 1), D(2026, 9, 1)]


@pytest.mark.parametrize(
    ("bad", "name"),
    [
        ((E, W, None), "tuple"),
        ((E,), "tuple"),
        ((W, E), "tuple"),
        ("EW", "str"),
    ],
)
def test_finalise_many_names_the_position_of_a_bad_pair(bad: object, name: str) -> None:
    message = f"finalise_many: pairs[1] is {name}, expected (ProgramEnrolment, event)"
    with pytest.raises(UsageTypeError) as err:
        finalise_many([(E, W), bad], reporting_date=REPORTING)  # type: ignore[list-item]
    assert str(err.value) == message
    results = finalise_many(iter([(E, W), bad]), reporting_date=REPORTING)  # type: ignore[list-item]
    assert next(results) == finalise(E, W, reporting_date=REPORTING)
    with pytest.raises(UsageTypeError) as err:
        next(results)
    assert str(err.value) == message


def test_finalise_many_refuses_a_bad_reporting_date_at_the_call() -> None:
    with pytest.raises(UsageTypeError, match=r"^reporting_date must be a datetime.date, not datetime$"):
        finalise_many([(E, W)], reporting_date=datetime.datetime(2026, 12, 31))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"^reporting date 2025-12-31 is before the collection period start"):
        finalise_many([], reporting_date=D(2025, 12, 31), period=2026)
