"""The superseded-unit reporting table of F-TRANSITION-REPORTED, as data (finalisation.md, validation_rules.md §7.5).

Each superseded unit falls into exactly one :class:`SupersededCase`; :data:`SUPERSEDED_UNIT_TABLE` says whether
it is reported and how. Classification is a small pure function so the table itself stays readable.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from avetmiss_finalise.code_lists import FINAL_OUTCOMES
from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.commenced import has_commenced

__all__ = [
    "ACHIEVED",
    "FINAL",
    "SUPERSEDED_UNIT_TABLE",
    "SupersededCase",
    "TableRow",
    "classify_superseded",
    "has_started",
]

#: The table's "20, 51 or 60" row: achieved outcomes, reported unchanged and credited in the current program. The
#: NSW table names these three (a subset of the code list's achieved outcomes); it is the table's data, not a code set.
ACHIEVED: frozenset[str] = frozenset({"20", "51", "60"})

#: Final national outcomes, from the one code list (code_lists.md §1; 53/54 unverified but final where accepted).
FINAL: frozenset[str] = FINAL_OUTCOMES


class SupersededCase(enum.StrEnum):
    """The rows of the table, plus the one case the spec does not cover (another final outcome)."""

    ACHIEVED = "achieved"
    STARTED_FOLLOWING_YEAR = "started_following_year"
    NOT_STARTED = "not_started"
    STARTED_SAME_YEAR = "started_same_year"
    OTHER_FINAL = "other_final"


@attrs.frozen(kw_only=True)
class TableRow:
    """One row: ``reported`` says whether a NAT00120 row is written; ``final_outcome`` whether one is set."""

    reported: bool
    final_outcome: bool
    reason: str
    covered_by_spec: bool = True


SUPERSEDED_UNIT_TABLE: Mapping[SupersededCase, TableRow] = MappingProxyType(
    {
        SupersededCase.ACHIEVED: TableRow(
            reported=True, final_outcome=False, reason="achieved (20, 51 or 60): reported unchanged"
        ),
        SupersededCase.STARTED_FOLLOWING_YEAR: TableRow(
            reported=True,
            final_outcome=True,
            reason="started, not completed, transition in a later calendar year than the unit started: "
            "reported with a final outcome, end date = transition date, hours attended",
        ),
        SupersededCase.NOT_STARTED: TableRow(reported=False, final_outcome=False, reason="not started: not reported"),
        SupersededCase.STARTED_SAME_YEAR: TableRow(
            reported=False,
            final_outcome=False,
            reason="started, not completed, transition in the calendar year the unit started: not reported",
        ),
        SupersededCase.OTHER_FINAL: TableRow(
            reported=True,
            final_outcome=False,
            reason="already has a final outcome outside 20/51/60: reported unchanged (not in the NSW table)",
            covered_by_spec=False,
        ),
    }
)


def has_started(unit: UnitEnrolment, on: datetime.date) -> bool:
    """Commenced by ``on``: the one definition of F-WITHDRAW (:func:`avetmiss_finalise.outcomes.commenced.
    has_commenced`): hours attended, or a start date before ``on`` unless the outcome says 85."""
    return has_commenced(unit, on)


def classify_superseded(unit: UnitEnrolment, on: datetime.date) -> SupersededCase:
    """Which table row ``unit`` of the superseded program falls in for a transition on ``on``.

    "Following calendar year" is judged against the year the unit *started* (the year its activity was first
    reported): any later year counts. ``None``, ``70``, ``85`` and the internal ``00`` are "not completed".
    """
    if unit.outcome in ACHIEVED:
        return SupersededCase.ACHIEVED
    if unit.outcome in FINAL:
        return SupersededCase.OTHER_FINAL
    if not has_started(unit, on):
        return SupersededCase.NOT_STARTED
    if on.year > unit.start_date.year:
        return SupersededCase.STARTED_FOLLOWING_YEAR
    return SupersededCase.STARTED_SAME_YEAR
