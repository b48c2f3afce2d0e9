"""outcomes/refinalise.py, after.py and rows.py pinned exactly (issue #9; the survivors of ``scripts/mutate.py`` on
those modules): F-REFINALISE's decision and wording for each kind of second event, the follow-up tasks of each
event, the NAT00120 writer's last line of defence against the internal 00.

Synthetic records only (client TESTCL01, TOID 90001, subjects U001…).
"""

from __future__ import annotations

import datetime

import attrs
import pytest

from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    ProgramEnrolment,
    Transition,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.after import follow_up_tasks
from avetmiss_finalise.outcomes.refinalise import refinalise_problem
from avetmiss_finalise.outcomes.rows import nat00120_row
from avetmiss_finalise.outcomes.steps import Plan, Problem

D = datetime.date
REPORTING = D(2026, 12, 31)
TAIL = ": re-finalise from the values before the first run (the SMS record), never over the finalised result"


def unit(sid: str = "U001", outcome: str | None = "70", hours: int | None = 5) -> UnitEnrolment:
    return UnitEnrolment(
        subject_id=sid,
        delivery_location_id="MAIN01",
        start_date=D(2026, 2, 1),
        end_date=D(2026, 5, 31),
        outcome=outcome,
        hours_attended=hours,
        scheduled_hours=40,
    )


def enrolment(*units: UnitEnrolment, program: str | None = "BSB40120", **kw: object) -> ProgramEnrolment:
    return ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id=program,
        units=units or (unit(),),
        commitment_id="C1",
        **kw,  # type: ignore[arg-type]
    )


def refused_message(r: object) -> str:
    assert r.refusal is not None and r.refusal.rule_id == "F-REFINALISE"  # type: ignore[attr-defined]
    return r.refusal.message  # type: ignore[attr-defined,no-any-return]


# --- F-REFINALISE ---------------------------------------------------------------------------------------------------


def test_a_completed_enrolment_accepts_the_same_issued_completion_again() -> None:
    done = Completion(date=D(2026, 6, 1), credential_issued=True)
    first = finalise(enrolment(unit(outcome="20")), done, reporting_date=REPORTING)
    assert first.ok and first.status is EnrolmentStatus.COMPLETED
    again = finalise(first.enrolment, done, reporting_date=REPORTING)
    assert again.ok and again.enrolment == first.enrolment and again.nat00120 == first.nat00120


def test_a_deferral_after_a_withdrawal_is_a_different_event() -> None:
    first = finalise(enrolment(), Withdrawal(date=D(2026, 4, 1)), reporting_date=REPORTING)
    r = finalise(first.enrolment, Deferral(date=D(2026, 4, 1)), reporting_date=REPORTING)
    assert refused_message(r) == (
        f"already finalised (withdrawn on 2026-04-01); this deferral on 2026-04-01 is a different event{TAIL}"
    )


def test_a_cancellation_after_a_withdrawal_names_the_cancellation_in_words() -> None:
    first = finalise(enrolment(), Withdrawal(date=D(2026, 4, 1)), reporting_date=REPORTING)
    cancel = Withdrawal(date=D(2026, 4, 1), status=WithdrawalStatus.CANCELLED_NO_PENALTY)
    assert refused_message(finalise(first.enrolment, cancel, reporting_date=REPORTING)) == (
        "already finalised (withdrawn on 2026-04-01); this cancelled no penalty on 2026-04-01 is a different "
        f"event{TAIL}"
    )


def test_a_finalised_status_without_a_recorded_date_names_no_date() -> None:
    """Status withdrawn but no finalised_on (not set by this library): the date cannot differ, the units can."""
    e = enrolment(status=EnrolmentStatus.WITHDRAWN)
    r = finalise(e, Withdrawal(date=D(2026, 4, 1)), reporting_date=REPORTING)
    assert refused_message(r) == (
        "already finalised (withdrawn); this withdrawn on 2026-04-01 would change units U001 of the finalised "
        f"result{TAIL}"
    )


def test_the_same_event_that_would_still_change_units_is_refused_naming_them() -> None:
    e = enrolment(
        unit("U001"), unit("U002", outcome="20"), status=EnrolmentStatus.WITHDRAWN, finalised_on=D(2026, 4, 1)
    )
    r = finalise(e, Withdrawal(date=D(2026, 4, 1)), reporting_date=REPORTING)
    assert refused_message(r) == (
        f"already finalised (withdrawn on 2026-04-01); this withdrawn on 2026-04-01 would change units U001 of the "
        f"finalised result{TAIL}"
    )


def test_a_withdrawal_on_another_date_is_a_different_event() -> None:
    first = finalise(enrolment(), Withdrawal(date=D(2026, 4, 1)), reporting_date=REPORTING)
    r = finalise(first.enrolment, Withdrawal(date=D(2026, 4, 2)), reporting_date=REPORTING)
    assert refused_message(r) == (
        f"already finalised (withdrawn on 2026-04-01); this withdrawn on 2026-04-02 is a different event{TAIL}"
    )


def test_refinalise_problem_calls_a_transition_on_a_finalised_enrolment_a_different_event() -> None:
    e = enrolment(status=EnrolmentStatus.WITHDRAWN, finalised_on=D(2026, 4, 1))
    t = Transition(date=D(2026, 5, 1), current_program_id="BSB40125")
    assert refinalise_problem(e, t, Plan(())) == Problem(
        "F-REFINALISE",
        f"already finalised (withdrawn on 2026-04-01); this transition on 2026-05-01 is a different event{TAIL}",
    )
    assert refinalise_problem(attrs.evolve(e, status=EnrolmentStatus.DEFERRED), t, Plan(())) is None


# --- F-AFTER --------------------------------------------------------------------------------------------------------


def test_follow_up_tasks_of_a_completion_pending_and_issued() -> None:
    e = enrolment()
    pending = follow_up_tasks(e, Completion(date=D(2026, 6, 1)))
    assert [(t.kind, t.description) for t in pending][:2] == [
        ("survey", "send the completion survey to learner TESTCL01 (BSB40120)"),
        (
            "credential",
            "generate and issue the credential for BSB40120; then finalise the status as Completed (NAT00130 issued "
            "flag Y)",
        ),
    ]
    assert [t.kind for t in pending] == [
        "survey",
        "credential",
        "disable_access",
        "mark_inactive",
        "check_unenrolment",
    ]
    issued = follow_up_tasks(e, Completion(date=D(2026, 6, 1), credential_issued=True))
    assert [t.kind for t in issued] == ["survey", "disable_access", "mark_inactive", "check_unenrolment"]


def test_follow_up_tasks_of_a_subject_only_enrolment_and_of_a_withdrawal() -> None:
    e = enrolment(program=None)
    (survey, credential, *_) = follow_up_tasks(e, Completion(date=D(2026, 6, 1)))
    assert survey.description == "send the completion survey to learner TESTCL01 (subject-only enrolment)"
    assert credential.description.startswith("generate and issue the credential for subject-only enrolment;")
    tasks = follow_up_tasks(enrolment(), Withdrawal(date=D(2026, 4, 1)))
    assert [(t.kind, t.description) for t in tasks] == [
        ("disable_access", "disable learner app and eLearning access for learner TESTCL01"),
        (
            "mark_inactive",
            "mark learner TESTCL01 Inactive if provider policy says so (e.g. per-active-learner pricing, ex-staff, "
            "dismissed or deceased learners; consider a Special Requirements note and the Privacy Flag)",
        ),
        ("check_unenrolment", "check that learner TESTCL01 is correctly unenrolled and access removed"),
    ]


def test_follow_up_tasks_of_a_deferral() -> None:
    tasks = follow_up_tasks(enrolment(), Deferral(date=D(2026, 4, 1), resume_date=D(2026, 7, 1)))
    assert [(t.kind, t.description) for t in tasks] == [
        ("plan_resumption", "contact learner TESTCL01 before resumption (2026-07-01) and re-plan the units"),
        (
            "disable_access",
            "suspend learner app and eLearning access for learner TESTCL01 while deferred, per provider policy",
        ),
    ]
    (plan, _) = follow_up_tasks(enrolment(), Deferral(date=D(2026, 4, 1)))
    assert plan.description == "contact learner TESTCL01 before resumption (a date to agree) and re-plan the units"


# --- NAT00120 writer ------------------------------------------------------------------------------------------------


def test_nat00120_row_refuses_the_internal_00() -> None:
    with pytest.raises(ValueError) as err:
        nat00120_row(enrolment(), unit("U009", outcome="00", hours=0))
    assert str(err.value) == "unit U009: internal outcome 00 must never be written to NAT00120"
    assert nat00120_row(enrolment(), unit("U009", outcome="85", hours=0)).outcome_national == "85"


def test_withdrawal_step_reasons_and_its_own_shift() -> None:
    """withdrawal_step pinned where mutation found it loose: a unit starting *on* the withdrawal date with hours has
    commenced by its hours (not "start before withdrawal"); called without a group shift, an unstarted unit still
    moves past the withdrawal date by itself."""
    from avetmiss_finalise.outcomes.withdrawal import withdrawal_step
    from avetmiss_finalise.profiles import get_profile

    on = D(2026, 6, 15)
    national = get_profile("national")
    same_day = UnitEnrolment(
        subject_id="U001", delivery_location_id="MAIN01", start_date=on, end_date=D(2026, 7, 31), outcome="70"
    )
    event = Withdrawal(date=on, hours_attended={"U001": 3})
    step = withdrawal_step(same_day, event, national, "BSB40120")
    assert step.decision.reason.startswith("commenced (3 hours attended): outcome 40")
    before = attrs.evolve(same_day, start_date=D(2026, 6, 1))
    assert withdrawal_step(before, event, national, "BSB40120").decision.reason.startswith(
        "commenced (start 2026-06-01 before withdrawal 2026-06-15)"
    )
    # An explicit 85 without hours has not commenced although its planned start (1 June) has passed.
    planned = attrs.evolve(same_day, outcome="85", start_date=D(2026, 6, 1), end_date=D(2026, 6, 30))
    unstarted = withdrawal_step(planned, Withdrawal(date=D(2026, 6, 20)), national, "BSB40120")
    assert (unstarted.unit.outcome, unstarted.unit.start_date, unstarted.unit.end_date) == (
        "85",
        D(2026, 6, 21),
        D(2026, 7, 20),
    )
