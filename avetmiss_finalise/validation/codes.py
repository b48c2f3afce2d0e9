"""The code lists as the validation rules read them: re-exported from :mod:`avetmiss_finalise.code_lists`.

The data and its loader live one level down so that finalisation and transition read the same lists without
importing the validation package.
"""

from __future__ import annotations

from avetmiss_finalise.code_lists import (
    ACHIEVED_OUTCOMES,
    FINAL_OUTCOMES,
    LIST_NAMES,
    NNN_OUTCOMES,
    CodeEntry,
    codes,
    entries,
    meaning,
)

__all__ = [
    "ACHIEVED_OUTCOMES",
    "FINAL_OUTCOMES",
    "LIST_NAMES",
    "NNN_OUTCOMES",
    "CodeEntry",
    "codes",
    "entries",
    "meaning",
]
