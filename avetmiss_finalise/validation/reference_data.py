"""Reference data in a validation run: loading a ``--reference`` directory at the edge, the requirements of the
reference-backed rules, and the provenance every report prints.

Each reference-backed rule ``requires`` what it reads (:data:`~.registry.REQUIREMENTS` registered here: one per
reference source, plus ``teach_out`` and ``expected_toid``); when the run lacks it, the engine does not run the
rule and the report lists it in ``rules_skipped`` with the reason, in words a user can act on. A rule never passes
silently for want of its reference file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import attrs

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.reference import Reference, ReferenceFile, load_reference, shipped_specific_funding, source
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import Context, register_requirement

__all__ = ["REFERENCE_REQUIREMENTS", "reference_files", "reference_of", "resolve_reference"]


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


def _has(name: str) -> Callable[[Context], bool]:
    def met(ctx: Context) -> bool:
        ref = reference_of(ctx.options)
        return ref is not None and ref.has(name)

    return met


#: The requirement names of the reference sources a rule may ``require``.
REFERENCE_REQUIREMENTS = ("postcodes", "organisations", "programs", "units")

for _name in REFERENCE_REQUIREMENTS:
    _src = source(_name)
    register_requirement(
        _name,
        met=_has(_name),
        reason=f"no {_src.description} given (--reference DIR with a file named like {_src.example})",
    )


def _teach_out(ctx: Context) -> bool:
    ref = reference_of(ctx.options)
    programs = None if ref is None else ref.programs
    # Without the list the "programs" requirement (listed first by the rules) says why.
    return programs is None or ctx.options.teach_out_months is not None or programs.has_teach_out()


register_requirement(
    "teach_out",
    met=_teach_out,
    reason=(
        "no teach-out dates: the qualification list has no teach-out (or superseded) dates for its superseded "
        "programs and --teach-out-months is not set"
    ),
)
register_requirement(
    "expected_toid",
    met=lambda ctx: bool(ctx.options.expected_toid),
    reason="no RTO code of the submitting AVS account given (--expected-toid / ValidationOptions.expected_toid)",
)


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
