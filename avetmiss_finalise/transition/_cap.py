"""F-TRANSITION-MAX-PROGRAMS: at most three program identifiers per learner commitment (NSW)."""

from __future__ import annotations

from collections.abc import Iterable

from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.profiles import Profile

__all__ = ["MAX_PROGRAMS", "check_cap", "program_cap", "program_chain"]

RULE = "F-TRANSITION-MAX-PROGRAMS"

#: The Smart and Skilled cap, used under ``nsw`` even when a custom profile leaves it unset.
MAX_PROGRAMS = 3


def program_chain(*program_ids: Iterable[str]) -> tuple[str, ...]:
    """Program identifiers in first-reported order, each once (a program reported twice is still one)."""
    return tuple(dict.fromkeys(p for ids in program_ids for p in ids))


def program_cap(profile: Profile) -> int | None:
    """The cap in force: the profile's (3 by default in every profile); ``None`` only if a caller lifts it."""
    return profile.max_programs_per_commitment


def check_cap(chain: tuple[str, ...], profile: Profile, commitment_id: str | None) -> Refusal | None:
    """A refusal naming every program when ``chain`` is longer than the cap; nothing is dropped silently."""
    cap = program_cap(profile)
    if cap is None or len(chain) <= cap:
        return None
    return Refusal(
        rule_id=RULE,
        message=f"the transition would report {len(chain)} program identifiers under Commitment ID "
        f"{commitment_id or '(none)'} ({' → '.join(chain)}); at most {cap} may be reported for one learner "
        "commitment",
        program_ids=chain,
    )
