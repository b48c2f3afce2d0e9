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

from collections.abc import Sequence

from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.codes import ACHIEVED, FINAL, WITHDRAWN

__all__ = [
    "QLD_DUPLICATE",
    "QLD_DUPLICATE_OUTCOMES",
    "REPLACED_MESSAGE",
    "accepted_attempt",
    "achieved_later",
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
