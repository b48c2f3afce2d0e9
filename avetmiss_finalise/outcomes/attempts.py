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

__all__ = ["REPLACED_MESSAGE", "accepted_attempt", "achieved_later", "replaced_elective"]

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
