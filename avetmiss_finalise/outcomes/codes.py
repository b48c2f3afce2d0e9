"""Outcome identifier – national: which codes are final, achieved or internal (code_lists.md §1).

The sets come from the one code list (:mod:`avetmiss_finalise.code_lists`, its ``tags`` column); only the two
single codes the rules write and the internal ``00`` are named here.
"""

from __future__ import annotations

from avetmiss_finalise.code_lists import (
    ACHIEVED_OUTCOMES,
    FINAL_OUTCOMES,
    KNOWN_OUTCOMES,
    NON_FINAL_OUTCOMES,
    RECOGNITION_OUTCOMES,
)

__all__ = [
    "ACHIEVED",
    "CONTINUING",
    "FINAL",
    "KNOWN",
    "NON_FINAL",
    "NOT_YET_STARTED",
    "NO_OUTCOME",
    "RECOGNITION",
    "SUPERSEDED",
    "WITHDRAWN",
]

#: Final outcomes (53/54 unverified in 8.0 but final where accepted).
FINAL: frozenset[str] = FINAL_OUTCOMES

#: Outcomes that count towards a completed program (F-COMPLETE step 4). ``61`` is accepted with a warning
#: because only the provider knows whether an achieved unit replaced it.
ACHIEVED: frozenset[str] = ACHIEVED_OUTCOMES

#: Recognition and credit transfer: delivery mode ``NNN``, predominant mode ``N`` when the input gives none.
RECOGNITION: frozenset[str] = RECOGNITION_OUTCOMES

#: Non-final national outcomes: continuing, not yet started.
NON_FINAL: frozenset[str] = NON_FINAL_OUTCOMES

#: Every national code the engine recognises (anything else is treated as "no outcome yet", with a warning).
KNOWN: frozenset[str] = KNOWN_OUTCOMES

#: Withdrawn/discontinued (F-WITHDRAW-COMMENCED).
WITHDRAWN = "40"

#: Superseded subject (accepted by F-COMPLETE with a warning).
SUPERSEDED = "61"

#: Continuing (NSW F-DEFER: a commenced unit keeps its start date).
CONTINUING = "70"

#: Not yet started (F-WITHDRAW-NOT-COMMENCED, F-DEFER, reported under ``unstarted_units="report_85"``).
NOT_YET_STARTED = "85"

#: The provider workflow's internal "no outcome" code: never an AVETMISS code, never written to a NAT file.
NO_OUTCOME = "00"
