"""Load reference data from files the user downloaded: a ``--reference`` directory, or files named per source.

The only module of the reference layer that finds files. A directory is scanned (not recursively) and each file is
assigned to a source by its name (:data:`~._reference.SOURCES` patterns: ``postcodes.csv``, ``rtos.csv``,
``qualifications.csv``, ``accredited_courses.csv``, ``units.csv``, ``specific_funding_2027.csv`` …); several files
of one source are read together. Files matching no source are listed in ``Reference.ignored``; a name matching two
sources, a spreadsheet not saved as CSV and every problem inside a file are one :class:`ReferenceError` listing
every problem of every file, located (file, line, column).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from avetmiss_finalise.reference._files import (
    ReferenceError,
    ReferenceFile,
    ReferenceProblem,
    decode,
    display_name,
    read_reference_bytes,
)
from avetmiss_finalise.reference._reference import SOURCE_NAMES, SOURCES, Reference
from avetmiss_finalise.reference.organisations import OrganisationTable, parse_organisations
from avetmiss_finalise.reference.postcodes import PostcodeTable, parse_postcodes
from avetmiss_finalise.reference.programs import ProgramEntry, ProgramTable, kinds_in_name, parse_programs
from avetmiss_finalise.reference.specific_funding import FundingEntry, SpecificFundingList, parse_specific_funding
from avetmiss_finalise.reference.units import UnitEntry, UnitTable, parse_units

__all__ = ["TEXT_SUFFIXES", "classify", "load_reference"]

#: File suffixes read as delimited text.
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_SPREADSHEETS = (".xlsx", ".xls", ".xlsm", ".ods")

PathArg = str | os.PathLike[str]


def _stem(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")


def classify(path: Path) -> list[str]:
    """The sources whose name pattern matches ``path``'s file name."""
    stem = _stem(path)
    return [s.name for s in SOURCES if re.search(s.pattern, stem)]


def _scan(directory: Path) -> tuple[dict[str, list[Path]], list[str], list[ReferenceProblem]]:
    found: dict[str, list[Path]] = {}
    ignored: list[str] = []
    problems: list[ReferenceProblem] = []
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise ReferenceError([ReferenceProblem(str(directory), f"cannot list: {exc.strerror or exc}")]) from None
    for path in entries:
        if path.name.startswith(".") or not path.is_file():
            continue
        kinds = classify(path)
        suffix = path.suffix.lower()
        if not kinds:
            ignored.append(f"{path.name}: not named like any reference source ({_examples()})")
        elif suffix in _SPREADSHEETS:
            problems.append(ReferenceProblem(str(path), f"a {suffix} spreadsheet: save it as CSV (UTF-8) to load it"))
        elif suffix not in TEXT_SUFFIXES:
            ignored.append(f"{path.name}: not a .csv, .txt or .tsv file")
        elif len(kinds) > 1:
            problems.append(
                ReferenceProblem(
                    str(path),
                    f"the name matches several reference sources ({', '.join(kinds)}): rename it like one of "
                    f"{_examples()}",
                )
            )
        else:
            found.setdefault(kinds[0], []).append(path)
    return found, ignored, problems


def _examples() -> str:
    return ", ".join(s.example for s in SOURCES)


def _as_paths(value: PathArg | Iterable[PathArg] | None) -> list[Path]:
    if value is None:
        return []
    if isinstance(value, str | os.PathLike):
        return [Path(value)]
    return [Path(v) for v in value]


_Parser = Callable[[str, str], tuple[Any, str, int]]
_PARSERS: Mapping[str, _Parser] = {
    "postcodes": parse_postcodes,
    "organisations": parse_organisations,
    "programs": parse_programs,
    "units": parse_units,
    "specific_funding": parse_specific_funding,
}


def load_reference(
    directory: PathArg | None = None,
    *,
    postcodes: PathArg | Iterable[PathArg] | None = None,
    organisations: PathArg | Iterable[PathArg] | None = None,
    programs: PathArg | Iterable[PathArg] | None = None,
    units: PathArg | Iterable[PathArg] | None = None,
    specific_funding: PathArg | Iterable[PathArg] | None = None,
) -> Reference:
    """Load every reference file in ``directory`` (by name) and those given per source; one :class:`Reference`.

    Raises :class:`ReferenceError` listing every problem of every file (located), or when nothing was found.
    """
    chosen: dict[str, list[Path]] = {}
    ignored: list[str] = []
    problems: list[ReferenceProblem] = []
    if directory is not None:
        root = Path(directory)
        if not root.is_dir():
            raise ReferenceError([ReferenceProblem(str(root), "not a directory (--reference takes a directory)")])
        chosen, ignored, problems = _scan(root)
    explicit = dict(zip(SOURCE_NAMES, (postcodes, organisations, programs, units, specific_funding), strict=True))
    for kind, value in explicit.items():
        chosen.setdefault(kind, []).extend(_as_paths(value))
    parsed: dict[str, list[Any]] = {}
    files: list[ReferenceFile] = []
    more = 0
    for kind in SOURCE_NAMES:
        for path in chosen.get(kind, []):
            try:
                data, digest, modified = read_reference_bytes(path)
                value, form, rows = _PARSERS[kind](decode(data, str(path)), str(path))
            except ReferenceError as exc:
                problems.extend(exc.problems)
                more += exc.more
                continue
            parsed.setdefault(kind, []).append(value)
            files.append(
                ReferenceFile(
                    kind=kind, name=display_name(path), modified=modified, sha256=digest, rows=rows, form=form
                )
            )
    if problems:
        raise ReferenceError(problems, more)
    if not files:
        where = f"{os.fspath(directory)}: " if directory is not None else ""
        raise ReferenceError(
            [
                ReferenceProblem(
                    where.rstrip(": ") or "reference", f"no reference files found; name them like {_examples()}"
                )
            ]
        )
    return _build(parsed, tuple(files), tuple(ignored))


def _build(parsed: Mapping[str, list[Any]], files: tuple[ReferenceFile, ...], ignored: tuple[str, ...]) -> Reference:
    def rows(kind: str) -> int:
        return sum(f.rows for f in files if f.kind == kind)

    postcodes = None
    if "postcodes" in parsed:
        tables: list[PostcodeTable] = parsed["postcodes"]
        postcodes = tables[0] if len(tables) == 1 else PostcodeTable.union(tables)
    organisations = None
    if "organisations" in parsed:
        orgs: list[OrganisationTable] = parsed["organisations"]
        organisations = orgs[0] if len(orgs) == 1 else OrganisationTable.union(orgs)
    programs = None
    if "programs" in parsed:
        program_entries: list[ProgramEntry] = [e for part in parsed["programs"] for e in part]
        kinds = frozenset[str]().union(*(kinds_in_name(f.name) for f in files if f.kind == "programs"))
        programs = ProgramTable.from_entries(program_entries, rows("programs"), kinds)
    units = None
    if "units" in parsed:
        unit_entries: list[UnitEntry] = [e for part in parsed["units"] for e in part]
        units = UnitTable.from_entries(unit_entries, rows("units"))
    funding = None
    if "specific_funding" in parsed:
        lists: list[SpecificFundingList] = parsed["specific_funding"]
        entries: list[FundingEntry] = [e for lst in lists for e in lst.entries]
        funding = SpecificFundingList(
            entries=tuple(entries), complete_years=frozenset().union(*(lst.complete_years for lst in lists))
        )
    return Reference(
        postcodes=postcodes,
        organisations=organisations,
        programs=programs,
        units=units,
        specific_funding=funding,
        files=files,
        ignored=ignored,
    )
