"""The :class:`Profile`: what one jurisdiction changes, as data (tails, width cuts, switches, unverified facts).

Layering: a profile sits *above* :mod:`avetmiss_finalise.nat.layouts` (it asks :func:`~avetmiss_finalise.nat.
layouts.compose` for its layouts) and *below* the readers, writers, finalisation and validation that take it.
Nothing in ``nat.layouts`` knows a profile; readers are handed the layout a profile composed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import attrs

from avetmiss_finalise.errors import UsageError

if TYPE_CHECKING:
    from avetmiss_finalise.nat.layouts import Layout

__all__ = ["Profile", "UnfinishedProgram", "UnstartedPolicy"]

UnstartedPolicy = Literal["report_85", "omit"]


def _frozen_map(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen
class UnfinishedProgram:
    """A NAT00130 record that reports an *unfinished* program enrolment, not a completion (Skills Tasmania).

    Such a record carries ``date`` in *Date program completed* and ``status`` in the state tail's *Program
    status identifier*. Only the pair is recognised: ``01019999`` alone is still the placeholder AVS rejects.
    """

    date: datetime.date
    status: str
    source: str


@attrs.frozen(kw_only=True)
class Profile:
    """The rules in force for one jurisdiction.

    Attributes:
        name: ``national``, ``nsw``, ``nsw-legacy``, ``vic``, ``qld``, ``sa``, ``wa``, ``tas``, ``nt`` or ``act``.
        description: one line for ``--help`` and the docs.
        tails: file id → state-tail version appended after the common record (``nat_layouts.csv``).
        widths: file id → record width to cut the common layout at (NSW Smart and Skilled NAT00080: 327).
        zero_filled_fields: (file id, field) written right-justified, zero-filled (VIC TOID).
        training_organisation_outcomes: write ``TNC``/``D`` in *Outcome identifier – training organisation*.
        unstarted_units: how a not-commenced unit of a withdrawal/deferral is reported (F-WITHDRAW-NOT-COMMENCED):
            ``report_85`` (default; NSW eReporting requires it) or ``omit`` (left out of NAT00120).
        transition_incomplete_outcome: outcome of a started, unfinished superseded unit reported on transition in
            the following calendar year: ``40`` (default) or ``61`` (unverified option).
        requires_commitment_id: *Purchasing contract identifier* (Commitment ID) must be present (NSW).
        max_programs_per_commitment: the F-TRANSITION-MAX-PROGRAMS cap (3 everywhere; ``None`` lifts it).
        state_outcomes: outcome codes valid only in this jurisdiction (QLD 65).
        unverified_state_outcomes: state outcome codes a single source mentions (SA ``@@``): reported as a
            warning, not an error, under this profile.
        unfinished_program: the NAT00130 pair that reports an unfinished program, not a completion (TAS).
        national_record_only: the submission is judged on the national record alone (``national``): a finding
            on a state-only position is capped by ``ValidationOptions.state_positions_severity``.
        unverified: what this profile rests on that no authoritative text confirms (shown in the docs).
        sources: where the profile's facts come from (sections of the spec: layouts.md, validation_rules.md …).
    """

    name: str
    description: str
    tails: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    widths: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_map)
    zero_filled_fields: frozenset[tuple[str, str]] = frozenset()
    training_organisation_outcomes: bool = False
    unstarted_units: UnstartedPolicy = "report_85"
    transition_incomplete_outcome: Literal["40", "61"] = "40"
    requires_commitment_id: bool = False
    max_programs_per_commitment: int | None = 3
    state_outcomes: frozenset[str] = frozenset()
    unverified_state_outcomes: frozenset[str] = frozenset()
    unfinished_program: UnfinishedProgram | None = None
    national_record_only: bool = False
    unverified: tuple[str, ...] = ()
    sources: str = "layouts.md §5"

    def layout(self, file_id: str) -> Layout:
        """The record layout of ``file_id`` under this profile (``UsageError`` for an unknown file id)."""
        # Imported here, not at module level: the nat package's entry points take profiles, so a top-level import
        # would be circular whichever package is imported first. The dependency itself points down.
        from avetmiss_finalise.nat.layouts import FILE_IDS, compose

        if file_id not in FILE_IDS:
            raise UsageError(f"unknown NAT file {file_id!r}; expected one of {', '.join(FILE_IDS)}")
        zero = frozenset(name for fid, name in self.zero_filled_fields if fid == file_id)
        return compose(file_id, self.tails.get(file_id), self.widths.get(file_id), zero)
