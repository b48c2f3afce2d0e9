"""Jurisdiction profiles: what differs between national, NSW, VIC, QLD, SA, WA, TAS, NT and ACT reporting.

A profile is data (:mod:`.jurisdictions`): which state tail each file carries, any width cut, the switches the
finalisation engine and the validator read, and what the profile rests on that is unverified. Nothing is
guessed silently — an unknown profile name is a ``UsageError``. Where a source is unsure the switch is on the
profile, documented, so a caller can change it with ``attrs.evolve``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.profiles.jurisdictions import PROFILES
from avetmiss_finalise.profiles.profile import Profile, UnfinishedProgram, UnstartedPolicy

if TYPE_CHECKING:
    from avetmiss_finalise.nat.layouts import Layout

__all__ = ["PROFILE_NAMES", "Profile", "UnfinishedProgram", "UnstartedPolicy", "get_profile", "layout"]

_PROFILES: dict[str, Profile] = {p.name: p for p in PROFILES}

#: Names accepted by ``--profile``, in state identifier order after ``national``.
PROFILE_NAMES: tuple[str, ...] = tuple(_PROFILES)


def get_profile(profile: str | Profile) -> Profile:
    """Resolve a profile name (case-insensitive) or pass a :class:`Profile` through."""
    if isinstance(profile, Profile):
        return profile
    if not isinstance(profile, str):
        raise UsageTypeError(f"profile must be a name such as 'national' or a Profile, not {type(profile).__name__}")
    try:
        return _PROFILES[profile.strip().lower()]
    except KeyError:
        raise UsageError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILE_NAMES)}") from None


def layout(file_id: str, profile: str | Profile = "national") -> Layout:
    """The layout of ``file_id`` under ``profile`` (a name or a :class:`Profile`)."""
    return get_profile(profile).layout(file_id)
