"""Re-attempts and replaced units on completion (F-COMPLETE, issue #8 item 12): when a unit that is not achieved
still lets the program complete.

A NAT00120 record is keyed by the learner, the subject *and the activity start date*, so two attempts of one
subject are two records, each reported as it ended. F-COMPLETE asks that every subject be achieved, not every row:

- **re-attempt** — a unit with a final outcome that is not achieved (30 failed, 40 withdrawn, 52 RPL not
  granted, …) is accepted, unchanged and as its own row, when the same subject has an *achieved* attempt that
  starts *later* in the same enrolment. Nothing to check: the later record says the subject was achieved.
  A fail with no later achieved attempt (none, or only an earlier one) still refuses the completion.
- **replaced elective** — a withdrawn unit (40) is accepted, with a warning, when another subject of the
  enrolment is achieved and starts on or after it (an elective swapped for another). Neither the NAT files nor
  the enrolment say which units are electives, or how many the packaging rules require, so only the provider can
  confirm the swap — as for 61 (superseded), the warning asks them to check. A withdrawn unit with no such
  achieved unit still refuses the completion; other fails (30, 52, …) are not taken as replaced.

:mod:`.columnar_attempts` is the vectorised twin; tests/outcomes/test_columnar.py holds the two equal.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.model import ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.outcomes.codes import ACHIEVED, FINAL, WITHDRAWN
from avetmiss_finalise.outcomes.steps import warning

__all__ = [
    "DUPLICATE_ROW",
    "OVERLAPPING_ROWS",
    "QLD_DUPLICATE",
    "QLD_DUPLICATE_OUTCOMES",
    "REPLACED_MESSAGE",
    "accepted_attempt",
    "achieved_later",
    "overlap_message",
    "overlap_notices",
    "overlap_rules",
    "qld_duplicate_message",
    "qld_duplicates",
    "replaced_elective",
]

#: The warning on a withdrawn unit accepted as replaced (after ``unit <SID>: ``), in both paths.
REPLACED_MESSAGE = (
    "outcome 40 (withdrawn) counts only where another achieved unit replaced it (an elective swapped for "
    "another); check"
)


def achieved_later(unit: UnitEnrolment, units: Sequence[UnitEnrolment]) -> bool:
    """True when ``unit`` is a final, not achieved attempt and the same subject is achieved by a later attempt."""
    if unit.outcome not in FINAL or unit.outcome in ACHIEVED:
        return False
    return any(
        u.subject_id == unit.subject_id and u.outcome in ACHIEVED and u.start_date > unit.start_date for u in units
    )


def replaced_elective(unit: UnitEnrolment, units: Sequence[UnitEnrolment]) -> bool:
    """True when ``unit`` is withdrawn (40), not re-attempted, and another subject is achieved starting on or
    after it (accepted with :data:`REPLACED_MESSAGE`)."""
    if unit.outcome != WITHDRAWN or achieved_later(unit, units):
        return False
    return any(
        u.subject_id != unit.subject_id and u.outcome in ACHIEVED and u.start_date >= unit.start_date for u in units
    )


def accepted_attempt(unit: UnitEnrolment, units: Sequence[UnitEnrolment]) -> bool:
    """True when a completion counts ``unit``, not achieved, all the same (:func:`achieved_later` or
    :func:`replaced_elective`): its row is written as it stands, so what the validator checks on it still holds."""
    return achieved_later(unit, units) or replaced_elective(unit, units)


#: Queensland's duplicate-activity rule (public_avs_rules.md C049): a subject reported again for a learner who has
#: it achieved (20) or RPL granted (51) is rejected even when the dates do not overlap — a re-attempt included.
QLD_DUPLICATE = "QLD-DUP-ACHIEVED"
QLD_DUPLICATE_OUTCOMES = frozenset({"20", "51"})


def qld_duplicates(units: Sequence[UnitEnrolment]) -> list[UnitEnrolment]:
    """The written ``units`` whose subject is written more than once with one of them 20 or 51: the rows
    ``validate --profile qld`` rejects under :data:`QLD_DUPLICATE`, which an accepted re-attempt writes."""
    count: dict[str, int] = {}
    achieved: set[str] = set()
    for u in units:
        count[u.subject_id] = count.get(u.subject_id, 0) + 1
        if u.outcome in QLD_DUPLICATE_OUTCOMES:
            achieved.add(u.subject_id)
    return [u for u in units if count[u.subject_id] > 1 and u.subject_id in achieved]


def qld_duplicate_message(subject_id: str) -> str:
    """The notice on each such row, in both paths."""
    return (
        f"unit {subject_id}: reported more than once for this learner with outcome 20 or 51 on one attempt: "
        f"Queensland rejects the subject reported again after it is achieved, even a re-attempt after a fail "
        f"({QLD_DUPLICATE}); keep only the attempt Queensland funds and ask DETConnect how to report the other"
    )


#: The validator's rules on two rows of one learner and subject (rules_crossfile.py): periods sharing a day, and
#: a row repeating an earlier one's start date and outcome. ``finalise`` can write either — two attempts in
#: progress both withdrawn at the withdrawal date, a re-attempt whose start the input put inside the first — and
#: names them, so a written row the validator rejects is never one ``finalise`` said nothing about.
OVERLAPPING_ROWS = "X-11"
DUPLICATE_ROW = "X-12"


def overlap_rules(rows: Sequence[tuple[datetime.date, datetime.date, str | None]]) -> tuple[str, ...]:
    """Which of :data:`OVERLAPPING_ROWS` / :data:`DUPLICATE_ROW` the validator gives the rows of one subject for
    one learner, ``(start, end, outcome)`` in the order they are written. As the validator judges them: a row
    repeating an earlier row's start date and outcome is a duplicate (X-12) and not also an overlap; any other
    row starting on or before the latest end of the rows starting before it (or on the same day, earlier
    listed) overlaps (X-11)."""
    seen: set[tuple[datetime.date, str | None]] = set()
    duplicate = [False] * len(rows)
    for i, (start, _, outcome) in enumerate(rows):
        duplicate[i] = (start, outcome) in seen
        seen.add((start, outcome))
    overlap = False
    latest: datetime.date | None = None
    for i in sorted(range(len(rows)), key=lambda i: (rows[i][0], i)):
        start, end, _ = rows[i]
        if latest is not None and start <= latest and not duplicate[i]:
            overlap = True
        latest = end if latest is None else max(latest, end)
    return tuple(r for r, hit in ((OVERLAPPING_ROWS, overlap), (DUPLICATE_ROW, any(duplicate))) if hit)


def overlap_message(subject_id: str, rule_id: str) -> str:
    """The notice for :func:`overlap_rules`' findings on one subject, in both paths."""
    if rule_id == DUPLICATE_ROW:
        return (
            f"unit {subject_id}: two rows of this subject have the same start date and outcome; the validator "
            f"rejects the later as a duplicate ({DUPLICATE_ROW}): give each attempt its own start date"
        )
    return (
        f"unit {subject_id}: two rows of this subject share days (two attempts both ended at the event date, or "
        f"one starting inside the other); the validator rejects overlapping activity ({OVERLAPPING_ROWS}): end "
        "the earlier attempt before the later starts"
    )


def overlap_notices(written: Sequence[UnitEnrolment], enrolment: ProgramEnrolment) -> list[Issue]:
    """X-11 / X-12 on each subject whose ``written`` rows share days or repeat (:func:`overlap_rules`), in the
    order the subjects are first written."""
    by_subject: dict[str, list[tuple[datetime.date, datetime.date, str | None]]] = {}
    for u in written:
        by_subject.setdefault(u.subject_id, []).append((u.start_date, u.end_date, u.outcome))
    return [
        warning(rule, overlap_message(sid, rule), enrolment, field="subject_id", value=sid)
        for sid, rows in by_subject.items()
        if len(rows) > 1
        for rule in overlap_rules(rows)
    ]
