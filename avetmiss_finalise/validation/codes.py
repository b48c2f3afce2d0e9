"""AVETMISS 8.0 code lists as data (``code_lists.csv``, provenance in its header and in ``code_lists.md``).

Rules read the lists through :func:`codes` so a rule never hard-codes a value set. ``status`` separates codes
that are plainly valid from those the sources disagree on (``unverified``), retired national codes and
state-only codes, so a rule can warn rather than fail where the catalogue asks for it.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

import attrs

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


@attrs.frozen
class CodeEntry:
    """One permitted (or known-but-restricted) value of a code list."""

    list: str
    code: str
    meaning: str
    status: str
    section: str


@functools.cache
def entries() -> tuple[CodeEntry, ...]:
    """Every row of ``code_lists.csv``, in file order."""
    text = resources.files(__package__).joinpath("code_lists.csv").read_text(encoding="utf-8")
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple(CodeEntry(**row) for row in csv.DictReader(io.StringIO(body)))


@functools.cache
def codes(list_name: str, statuses: tuple[str, ...] = ("valid",)) -> frozenset[str]:
    """The codes of ``list_name`` whose status is one of ``statuses`` (default: plainly valid)."""
    found = [e for e in entries() if e.list == list_name]
    if not found:
        raise KeyError(f"unknown code list {list_name!r}; expected one of {', '.join(LIST_NAMES)}")
    return frozenset(e.code for e in found if e.status in statuses)


def meaning(list_name: str, code: str) -> str | None:
    """The documented meaning of ``code`` in ``list_name`` (``None`` if unknown)."""
    for e in entries():
        if e.list == list_name and e.code == code:
            return e.meaning
    return None


LIST_NAMES: tuple[str, ...] = tuple(dict.fromkeys(e.list for e in entries()))

#: Outcomes that finish an activity (no further result expected): the catalogue's "final outcomes" (V-120-07).
FINAL_OUTCOMES: frozenset[str] = frozenset({"20", "30", "40", "41", "51", "52", "53", "54", "60", "61", "81", "82"})
#: Outcomes that mean the competency was gained (for completions and transcripts).
ACHIEVED_OUTCOMES: frozenset[str] = frozenset({"20", "51", "53", "60", "81"})
#: Recognition / credit-transfer outcomes reported with delivery mode ``NNN`` and predominant mode ``N`` (V-120-06).
NNN_OUTCOMES: frozenset[str] = frozenset({"51", "52", "53", "54", "60"})
