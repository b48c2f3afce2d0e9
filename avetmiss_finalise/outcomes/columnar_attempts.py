"""Re-attempts and replaced electives over whole unit frames: the vectorised twin of :mod:`.attempts`.

Only the candidates are joined (final, not achieved units of a completion): findings are exceptions, so the join
stays small however many units the frame holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from avetmiss_finalise.outcomes.attempts import DUPLICATE_ROW, OVERLAPPING_ROWS, overlap_rules
from avetmiss_finalise.outcomes.codes import ACHIEVED, FINAL, WITHDRAWN

__all__ = ["accepted_attempts", "overlapping_rows"]


def accepted_attempts(
    key: np.ndarray, sids: np.ndarray, start: np.ndarray, outcome: pd.Series, completion: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(achieved_later, replaced_elective)`` for every unit (``units``' row order), as :mod:`.attempts` decides
    them, for the units of a completion (``completion``); ``False`` elsewhere."""
    achieved = outcome.isin(ACHIEVED).to_numpy(dtype=bool)
    final = outcome.isin(FINAL).to_numpy(dtype=bool)
    withdrawn = outcome.eq(WITHDRAWN).fillna(False).to_numpy(dtype=bool)
    later = np.zeros(len(key), dtype=bool)
    replaced = np.zeros(len(key), dtype=bool)
    candidates = np.flatnonzero(completion & final & ~achieved)
    if not len(candidates):
        return later, replaced
    done = np.flatnonzero(completion & achieved)
    left = pd.DataFrame({"row": candidates, "k": key[candidates], "s": sids[candidates], "d": start[candidates]})
    right = pd.DataFrame({"k": key[done], "s2": sids[done], "d2": start[done]})
    pairs = left.merge(right, on="k")
    same = (pairs["s"] == pairs["s2"]).to_numpy(dtype=bool)
    later[pairs["row"].to_numpy()[same & (pairs["d2"] > pairs["d"]).to_numpy(dtype=bool)]] = True
    other = ~same & (pairs["d2"] >= pairs["d"]).to_numpy(dtype=bool)
    replaced[pairs["row"].to_numpy()[other]] = True
    replaced &= withdrawn & ~later
    return later, replaced


def overlapping_rows(
    key: np.ndarray, sids: np.ndarray, start: np.ndarray, end: np.ndarray, outcome: np.ndarray, written: np.ndarray
) -> dict[str, np.ndarray]:
    """For :data:`.attempts.OVERLAPPING_ROWS` and :data:`.attempts.DUPLICATE_ROW`, a mask of the first written row
    of each (enrolment, subject) whose written rows :func:`.attempts.overlap_rules` flags — the one notice per
    subject ``finalise`` gives. Only subjects written more than once are looked at (a few rows in any frame), and
    those through the per-enrolment function itself, so the two paths cannot judge them differently."""
    masks = {rule: np.zeros(len(key), dtype=bool) for rule in (OVERLAPPING_ROWS, DUPLICATE_ROW)}
    rows = np.flatnonzero(written)
    if len(rows) < 2:
        return masks
    frame = pd.DataFrame({"k": key[rows], "s": sids[rows], "row": rows})
    repeated = frame[frame.duplicated(["k", "s"], keep=False)]
    for group in repeated.groupby(["k", "s"], sort=False)["row"]:
        at = group[1].to_numpy()
        found = overlap_rules([(pd.Timestamp(start[i]).date(), pd.Timestamp(end[i]).date(), outcome[i]) for i in at])
        for rule in found:
            masks[rule][at[0]] = True
    return masks
