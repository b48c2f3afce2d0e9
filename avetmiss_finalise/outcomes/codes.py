"""Outcome identifier – national: which codes are final, achieved or internal (code_lists.md §1).

Data, not logic: the finalisation rules read these sets, so a reader can check them against the spec at a glance.
"""

from __future__ import annotations

__all__ = ["ACHIEVED", "FINAL", "KNOWN", "NON_FINAL", "NOT_YET_STARTED", "NO_OUTCOME", "WITHDRAWN"]

#: Final outcomes (53/54 unverified in 8.0 but final where accepted).
FINAL: frozenset[str] = frozenset({"20", "30", "40", "41", "51", "52", "53", "54", "60", "61", "81", "82"})

#: Outcomes that count towards a completed program (F-COMPLETE step 4). ``61`` is accepted with a warning
#: because only the provider knows whether an achieved unit replaced it.
ACHIEVED: frozenset[str] = frozenset({"20", "51", "53", "60", "81"})

#: Non-final national outcomes: continuing, not yet started.
NON_FINAL: frozenset[str] = frozenset({"70", "85"})

#: Every national code the engine recognises (anything else is treated as "no outcome yet", with a warning).
KNOWN: frozenset[str] = FINAL | NON_FINAL

#: Withdrawn/discontinued (F-WITHDRAW-COMMENCED).
WITHDRAWN = "40"

#: Not yet started (F-WITHDRAW-NOT-COMMENCED, F-DEFER, reported under ``unstarted_units="report_85"``).
NOT_YET_STARTED = "85"

#: The provider workflow's internal "no outcome" code: never an AVETMISS code, never written to a NAT file.
NO_OUTCOME = "00"
