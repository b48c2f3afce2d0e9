"""AVETMISS 8.0 code lists as data (``code_lists.csv``, provenance in its header and in ``code_lists.md``).

The one home of every code set: validation rules read the lists through :func:`codes`, and finalisation and
transition read the outcome classes (:data:`FINAL_OUTCOMES`, :data:`ACHIEVED_OUTCOMES`,
:data:`RECOGNITION_OUTCOMES`) derived here from the ``tags`` column, so "final outcomes" is written once, in the
data. ``status`` separates codes that are plainly valid from those the sources disagree on (``unverified``),
retired national codes and state-only codes, so a rule can warn rather than fail where the catalogue asks for it.

This module sits below ``outcomes``, ``transition`` and ``validation`` (it imports nothing of the package), so each
of them can read it without importing the others.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

import attrs

__all__ = [
    "ACHIEVED_OUTCOMES",
    "FEE_PAYING_FUNDING",
    "FINAL_OUTCOMES",
    "KNOWN_OUTCOMES",
    "LIST_NAMES",
    "LOCAL_PROGRAMS",
    "NATIONALLY_RECOGNISED_PROGRAMS",
    "NNN_OUTCOMES",
    "NON_FINAL_OUTCOMES",
    "RECOGNITION_OUTCOMES",
    "TNC_OUTCOMES",
    "CodeEntry",
    "codes",
    "entries",
    "meaning",
    "tagged",
]


@attrs.frozen
class CodeEntry:
    """One permitted (or known-but-restricted) value of a code list; ``tags`` classify outcome codes."""

    list: str
    code: str
    meaning: str
    status: str
    section: str
    tags: frozenset[str] = frozenset()


def _entry(row: dict[str, str | None]) -> CodeEntry:
    # A row written without the (trailing) tags column reads as untagged rather than failing.
    tags = frozenset((row.get("tags") or "").split())
    return CodeEntry(
        list=row["list"] or "",
        code=row["code"] or "",
        meaning=row["meaning"] or "",
        status=row["status"] or "",
        section=row["section"] or "",
        tags=tags,
    )


@functools.cache
def entries() -> tuple[CodeEntry, ...]:
    """Every row of ``code_lists.csv``, in file order."""
    text = resources.files("avetmiss_finalise").joinpath("code_lists.csv").read_text(encoding="utf-8")
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple(_entry(row) for row in csv.DictReader(io.StringIO(body)))


@functools.cache
def codes(list_name: str, statuses: tuple[str, ...] = ("valid",)) -> frozenset[str]:
    """The codes of ``list_name`` whose status is one of ``statuses`` (default: plainly valid)."""
    found = [e for e in entries() if e.list == list_name]
    if not found:
        raise KeyError(f"unknown code list {list_name!r}; expected one of {', '.join(LIST_NAMES)}")
    return frozenset(e.code for e in found if e.status in statuses)


@functools.cache
def tagged(list_name: str, tag: str) -> frozenset[str]:
    """The codes of ``list_name`` carrying ``tag`` in the ``tags`` column, whatever their status."""
    return frozenset(e.code for e in entries() if e.list == list_name and tag in e.tags)


def meaning(list_name: str, code: str) -> str | None:
    """The documented meaning of ``code`` in ``list_name`` (``None`` if unknown)."""
    for e in entries():
        if e.list == list_name and e.code == code:
            return e.meaning
    return None


LIST_NAMES: tuple[str, ...] = tuple(dict.fromkeys(e.list for e in entries()))

#: Outcomes that finish an activity (no further result expected): finalisation.md "Words", V-120-07. 53/54 are
#: unverified in 8.0 but final where accepted.
FINAL_OUTCOMES: frozenset[str] = tagged("outcome_national", "final")
#: Outcomes that mean the competency was gained (F-COMPLETE step 4, transcripts).
ACHIEVED_OUTCOMES: frozenset[str] = tagged("outcome_national", "achieved")
#: Recognition / credit-transfer outcomes (RPL, RCC, CT): reported with delivery mode ``NNN`` and predominant
#: mode ``N`` (V-120-06), since no training is delivered.
RECOGNITION_OUTCOMES: frozenset[str] = tagged("outcome_national", "recognition")
#: The same set under the name the validation rules used first.
NNN_OUTCOMES: frozenset[str] = RECOGNITION_OUTCOMES
#: National outcomes that are valid in 8.0 but not final: 70 continuing, 85 not yet started.
NON_FINAL_OUTCOMES: frozenset[str] = codes("outcome_national") - FINAL_OUTCOMES
#: The national outcomes NSW's training-organisation outcome TNC (training not completed) may accompany: 40 and
#: 85 (NSW-TO-02, and the warning ``finalise`` gives before it).
TNC_OUTCOMES: frozenset[str] = tagged("outcome_national", "tnc")
#: Funding source – national of fee-paying activity (code_lists.md §4): no Smart and Skilled Commitment ID is
#: expected for it (NSW-CID-01, and the warning ``finalise`` gives before it).
FEE_PAYING_FUNDING: frozenset[str] = tagged("funding_source_national", "fee_paying")
#: Every national outcome the finalisation engine recognises (anything else counts as "no outcome yet").
KNOWN_OUTCOMES: frozenset[str] = FINAL_OUTCOMES | NON_FINAL_OUTCOMES
#: Program recognition identifiers of nationally recognised programs (code_lists.md §12: Training Package
#: qualifications, accredited courses, Training Package skill sets): their codes are training.gov.au codes, and a
#: client enrolled in one needs a USI (V-080-03).
NATIONALLY_RECOGNISED_PROGRAMS: frozenset[str] = tagged("program_recognition", "national")
#: Program recognition identifiers of programs that are not nationally recognised (other courses, higher-level
#: qualifications, locally recognised skill sets).
LOCAL_PROGRAMS: frozenset[str] = tagged("program_recognition", "local")
