"""Jurisdiction profiles: what differs between national, NSW Smart and Skilled, VIC, QLD and TAS reporting.

A profile is data: which state tail each file carries, any width cut, and the switches the finalisation
engine and the validator read. Nothing is guessed silently — an unknown profile name is a ``UsageError``.
Where a source is unsure the switch is here, documented, so a caller can change it with ``attrs.evolve``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import attrs

from avetmiss_finalise.errors import UsageError

if TYPE_CHECKING:
    from avetmiss_finalise.nat.layouts import Layout

__all__ = ["PROFILE_NAMES", "Profile", "get_profile"]

UnstartedPolicy = Literal["report_85", "omit"]


def _frozen_map(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Profile:
    """The rules in force for one jurisdiction.

    Attributes:
        name: ``national``, ``nsw``, ``vic``, ``qld`` or ``tas``.
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

    def layout(self, file_id: str) -> Layout:
        """The record layout of ``file_id`` under this profile."""
        return _layout(self, file_id)


@functools.lru_cache(maxsize=256)
def _layout_cached(name: str, file_id: str, tail: str | None, width: int | None) -> Layout:
    # Imported here, not at module level: the nat package imports this module, so a top-level import would be
    # circular whichever package is imported first.
    from avetmiss_finalise.nat.layouts import base_layout, tail_fields

    lay = base_layout(file_id)
    if width is not None:
        lay = lay.truncated(width)
    if tail is not None:
        lay = lay.extended(tail_fields(file_id, tail), tail)
    return lay


def _layout(profile: Profile, file_id: str) -> Layout:
    from avetmiss_finalise.nat.layouts import FILE_IDS

    if file_id not in FILE_IDS:
        raise UsageError(f"unknown NAT file {file_id!r}; expected one of {', '.join(FILE_IDS)}")
    return _layout_cached(profile.name, file_id, profile.tails.get(file_id), profile.widths.get(file_id))


_PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="national",
            description="NCVER VET Provider Collection: 8.0 national record plus the common state tail, blank.",
        ),
        Profile(
            name="nsw",
            description=(
                "NSW Smart and Skilled (STS Online eReporting): common widths, NAT00080 without SA1/SA2 (327), "
                "Commitment ID in Purchasing contract identifier, TNC/D training-organisation outcomes."
            ),
            widths={"NAT00080": 327},
            training_organisation_outcomes=True,
            requires_commitment_id=True,
        ),
        Profile(
            name="vic",
            description=(
                "Victoria (SVTS, VVSSCG 2018 layout): VIC tails on NAT00010/20/80/100/120/130; TOID zero-filled. "
                "VIC transition (Associated course identifier) is not implemented yet."
            ),
            tails={f: "8.0+VIC" for f in ("NAT00010", "NAT00020", "NAT00080", "NAT00100", "NAT00120", "NAT00130")},
            zero_filled_fields=frozenset(
                (f, "training_organisation_id") for f in ("NAT00010", "NAT00020", "NAT00120", "NAT00130")
            ),
        ),
        Profile(
            name="qld",
            description=(
                "Queensland (DETConnect): NAT00080 + LUI at 328 (onCourse reading; bluedog differs, unverified), "
                "NAT00120 + full-time learning option; outcome 65 is a QLD state code. QLD transition (65) is "
                "not implemented yet."
            ),
            tails={"NAT00080": "8.0+QLD(onCourse)", "NAT00120": "8.0+QLD"},
            widths={"NAT00080": 327},
            state_outcomes=frozenset({"65"}),
        ),
        Profile(
            name="tas",
            description="Tasmania (Skills Tasmania, onCourse layout): TAS tails on NAT00080/120/130.",
            tails={"NAT00080": "8.0+TAS", "NAT00120": "8.0+TAS", "NAT00130": "8.0+TAS"},
        ),
    )
}

#: Names accepted by ``--profile``.
PROFILE_NAMES: tuple[str, ...] = tuple(_PROFILES)


def get_profile(profile: str | Profile) -> Profile:
    """Resolve a profile name (case-insensitive) or pass a :class:`Profile` through."""
    if isinstance(profile, Profile):
        return profile
    try:
        return _PROFILES[profile.strip().lower()]
    except KeyError:
        raise UsageError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILE_NAMES)}") from None
