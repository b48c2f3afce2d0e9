"""What a rule needs beyond the NAT files, and why a rule was not run: the reference-availability half of "rules
skipped, and why".

Each rule lists its needs (``Rule.needs``: names of :data:`NEEDS`). Before a run, :func:`skip_reasons` gives every
selected rule whose needs are not met, with the reason in words a user can act on; the engine leaves those rules
out and the report lists them as not run. A rule never passes silently for want of its reference file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import attrs

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.reference import Reference, ReferenceFile, load_reference, shipped_specific_funding, source
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import Period, Rule

__all__ = ["NEEDS", "reference_files", "reference_of", "resolve_reference", "skip_reasons", "unmet"]

#: Every name a rule may list in ``Rule.needs``, and what it is (``avetmiss-finalise rules`` prints these).
NEEDS: Mapping[str, str] = {
    "postcodes": source("postcodes").description,
    "organisations": source("organisations").description,
    "programs": source("programs").description,
    "units": source("units").description,
    "teach_out": "teach-out dates (a teach-out date column in the qualification list, or --teach-out-months)",
    "expected_toid": "the submitting AVS account's training organisation identifier (--expected-toid)",
    "period": "the collection period (--period)",
}

_REFERENCE_SOURCES = ("postcodes", "organisations", "programs", "units")


def resolve_reference(options: ValidationOptions) -> ValidationOptions:
    """``options`` with a reference *directory* loaded into a :class:`Reference` (the I/O happens here, at the
    edge; rules only ever see the loaded object)."""
    ref = options.reference
    if ref is None or isinstance(ref, Reference):
        return options
    if isinstance(ref, str | os.PathLike):
        return attrs.evolve(options, reference=load_reference(ref))
    raise UsageError(f"ValidationOptions.reference must be a Reference or a directory, not {type(ref).__name__}")


def reference_of(options: ValidationOptions) -> Reference | None:
    """The loaded reference data (``None`` when none was given); a directory not yet loaded is a usage error."""
    ref = options.reference
    if ref is None or isinstance(ref, Reference):
        return ref
    raise UsageError("ValidationOptions.reference is a directory: load it with load_reference() or call validate()")


def unmet(need: str, options: ValidationOptions, period: Period | None) -> str | None:
    """Why ``need`` is not met (``None`` when it is)."""
    ref = reference_of(options)
    if need in _REFERENCE_SOURCES:
        if ref is not None and ref.has(need):
            return None
        example = source(need).example
        given = "no --reference directory was given" if ref is None else f"--reference has no file named like {example}"
        return f"needs the {NEEDS[need]}: {given}"
    if need == "teach_out":
        programs = None if ref is None else ref.programs
        if programs is None or options.teach_out_months is not None or programs.has_teach_out():
            return None  # the "programs" need reports a missing list
        return (
            "needs teach-out dates: the qualification list has no teach-out (or superseded) dates for its superseded "
            "programs; add a teach_out_date column, or give --teach-out-months with superseded dates"
        )
    if need == "expected_toid":
        return None if options.expected_toid else f"needs {NEEDS[need]}"
    if need == "period":
        return None if period is not None else f"needs {NEEDS[need]}"
    raise KeyError(f"unknown rule need {need!r}; expected one of {', '.join(NEEDS)}")


def skip_reasons(rules: Iterable[Rule], options: ValidationOptions, period: Period | None) -> dict[str, str]:
    """Rule id → why it is not run, for every rule of ``rules`` with an unmet need (in rule order)."""
    out: dict[str, str] = {}
    for r in rules:
        reasons = [why for need in r.needs if (why := unmet(need, options, period)) is not None]
        if reasons:
            out[r.id] = "; ".join(dict.fromkeys(reasons))
    return out


def reference_files(options: ValidationOptions, rules_run: Iterable[str]) -> tuple[ReferenceFile, ...]:
    """The reference files a report must name: every file given, and the shipped specific funding identifier list
    when a rule that reads it ran."""
    ref = reference_of(options)
    files = list(ref.files) if ref is not None else []
    if any(r in _READS_SHIPPED_FUNDING for r in rules_run):
        shipped = shipped_specific_funding().file
        if shipped is not None:
            files.append(shipped)
    return tuple(files)


#: Rules that read the specific funding identifier list shipped with the library.
_READS_SHIPPED_FUNDING = frozenset({"V-120-F12"})
