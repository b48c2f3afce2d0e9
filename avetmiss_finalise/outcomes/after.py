"""F-AFTER: what follows finalisation, returned as follow-up tasks (the library never performs them)."""

from __future__ import annotations

from avetmiss_finalise.decisions import FollowUpTask
from avetmiss_finalise.model import Completion, Deferral, Event, ProgramEnrolment, Withdrawal

__all__ = ["follow_up_tasks"]


def follow_up_tasks(enrolment: ProgramEnrolment, event: Event) -> tuple[FollowUpTask, ...]:
    """The provider workflow's next steps for ``event`` (survey, credential, access, inactive, unenrolment)."""
    who = f"learner {enrolment.client_id}"
    program = enrolment.program_id or "subject-only enrolment"
    tasks: list[FollowUpTask] = []
    if isinstance(event, Completion):
        tasks.append(FollowUpTask(kind="survey", description=f"send the completion survey to {who} ({program})"))
        if not event.credential_issued:
            tasks.append(
                FollowUpTask(
                    kind="credential",
                    description=f"generate and issue the credential for {program}; then finalise the status as "
                    "Completed (NAT00130 issued flag Y)",
                )
            )
    if isinstance(event, Deferral):
        when = event.resume_date.isoformat() if event.resume_date else "a date to agree"
        tasks.append(
            FollowUpTask(
                kind="plan_resumption", description=f"contact {who} before resumption ({when}) and re-plan the units"
            )
        )
        tasks.append(
            FollowUpTask(
                kind="disable_access",
                description=f"suspend learner app and eLearning access for {who} while deferred, per provider policy",
            )
        )
        return tuple(tasks)
    if isinstance(event, Completion | Withdrawal):
        tasks.append(
            FollowUpTask(kind="disable_access", description=f"disable learner app and eLearning access for {who}")
        )
        tasks.append(
            FollowUpTask(
                kind="mark_inactive",
                description=f"mark {who} Inactive if provider policy says so (e.g. per-active-"
                "learner pricing, ex-staff, dismissed or deceased learners; consider a Special "
                "Requirements note and the Privacy Flag)",
            )
        )
        tasks.append(
            FollowUpTask(
                kind="check_unenrolment", description=f"check that {who} is correctly unenrolled and access removed"
            )
        )
    return tuple(tasks)
