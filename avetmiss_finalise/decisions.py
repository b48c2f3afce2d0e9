"""What finalisation and transition decided, per unit, and what is left to do — so nothing is lost.

Shared by :mod:`avetmiss_finalise.outcomes` and :mod:`avetmiss_finalise.transition`; serialised into
``decisions.json`` by the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["Change", "FollowUpTask", "PlanAction", "Refusal", "UnitDecision"]

Value = str | int | None
"""A before/after value: codes and ISO dates as strings, hours as ints, ``None`` for blank."""


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    # A typed converter: mypy's attrs plugin cannot infer the element type of a bare ``converter=tuple``.
    return tuple(value)


@attrs.frozen(kw_only=True)
class Change:
    """One field of one unit, before and after."""

    field: str
    before: Value
    after: Value


def _changes(value: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class UnitDecision:
    """The decision for one unit: which rule applied, why, what changed and whether it is reported.

    ``reported=False`` means the unit produces no NAT00120 row (e.g. an unstarted superseded unit).
    """

    subject_id: str
    program_id: str | None
    rule_id: str
    reason: str
    changes: tuple[Change, ...] = attrs.field(default=(), converter=_changes)
    reported: bool = True


@attrs.frozen(kw_only=True)
class FollowUpTask:
    """F-AFTER: something the provider must do next; returned, never performed."""

    kind: str
    description: str
    rule_id: str = "F-AFTER"


@attrs.frozen(kw_only=True)
class PlanAction:
    """A step of a transition plan (cancel a Commitment ID, obtain a new one, wait, report rows)."""

    kind: str
    description: str
    rule_id: str


@attrs.frozen(kw_only=True)
class Refusal:
    """Why an enrolment cannot be finalised as asked; names every offending unit (or program)."""

    rule_id: str
    message: str
    subject_ids: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    program_ids: tuple[str, ...] = attrs.field(default=(), converter=_strs)
