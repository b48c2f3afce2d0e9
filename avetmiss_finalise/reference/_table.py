"""One CSV reader for every reference source: header found by column names, every cell checked, errors located.

A source declares its columns (:class:`Column`): the name of the simple CSV form and the names the published
files use (matched case-insensitively, punctuation ignored), whether it is required, and how a cell is parsed.
The header is the first of the first :data:`HEADER_SEARCH_LINES` lines that names every required column, so
title rows above it (as spreadsheet exports have) are skipped; the delimiter (comma, tab, semicolon or bar) is the
one that makes that line a header. Every problem is collected — file, line, column — up to
:data:`~._files.MAX_PROBLEMS`, then raised as one :class:`~._files.ReferenceError`.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from avetmiss_finalise.reference._files import MAX_PROBLEMS, ReferenceError, ReferenceProblem

__all__ = ["HEADER_SEARCH_LINES", "MAX_ROWS", "Column", "Table", "as_date", "as_int", "header_key", "read_table"]

HEADER_SEARCH_LINES = 20
#: Data rows accepted per file (the national postcode list has about 18,000; the unit list about 200,000).
MAX_ROWS = 5_000_000
_DELIMITERS = (",", "\t", ";", "|")


def header_key(text: str) -> str:
    """A header as compared: lower case, runs of anything but letters and digits as one space."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@attrs.frozen
class Column:
    """A logical column: ``name`` (its header in the simple CSV form), the ``aliases`` published files use, and
    ``parse`` (text → value; raises ``ValueError`` with the message to show). Blank cells are ``None`` and are an
    error only where ``required`` and not ``blank_ok``."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    blank_ok: bool = False
    parse: Callable[[str], object] | None = None

    def header_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(header_key(h) for h in (self.name, *self.aliases)))


@attrs.frozen
class Table:
    """Parsed cells by logical column name (``None`` for blank or absent), the line of each row, and the form."""

    values: Mapping[str, tuple[object, ...]]
    lines: tuple[int, ...]
    headers: Mapping[str, str]
    form: str

    def __len__(self) -> int:
        return len(self.lines)


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[ReferenceProblem] = []
        self.more = 0

    def add(self, message: str, line: int | None = None, column: str | None = None) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(ReferenceProblem(self.name, message, line, column))
        else:
            self.more += 1

    def raise_any(self) -> None:
        if self.found:
            raise ReferenceError(self.found, self.more)


def _match(cells: Sequence[str], columns: Sequence[Column]) -> dict[str, int] | None:
    """Logical column → cell index, if ``cells`` name every required column."""
    keys = [header_key(c) for c in cells]
    where: dict[str, int] = {}
    for col in columns:
        for k in col.header_keys():
            if k in keys:
                where[col.name] = keys.index(k)
                break
        else:
            if col.required:
                return None
    return where


def _find_header(lines: list[str], columns: Sequence[Column]) -> tuple[int, str, dict[str, int], list[str]] | None:
    """The first line that names every required column, among the first :data:`HEADER_SEARCH_LINES` lines that
    are not blank and not ``#`` comments (provenance headers, like the shipped lists')."""
    searched = 0
    # A header of one column has no delimiter (an RTO list of codes only): every delimiter is tried on it.
    several = sum(c.required for c in columns) > 1
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        searched += 1
        if searched > HEADER_SEARCH_LINES:
            break
        for delimiter in _DELIMITERS:
            if delimiter not in line and several:
                continue
            cells = next(csv.reader([line], delimiter=delimiter), [])
            where = _match(cells, columns)
            if where is not None:
                return i, delimiter, where, cells
    return None


def _expected(columns: Sequence[Column]) -> str:
    simple = ",".join(c.name for c in columns if c.required)
    published = "; ".join(f"{c.name}: {' / '.join(c.aliases)}" for c in columns if c.required and c.aliases)
    return f"expected a header row naming the columns {simple}" + (
        f" (published names: {published})" if published else ""
    )


def read_table(text: str, name: str, columns: Sequence[Column], *, simple_form: str = "simple CSV") -> Table:
    """Parse ``text`` (a whole CSV file) into a :class:`Table`, or raise a located ``ReferenceError``."""
    problems = _Problems(name)
    lines = text.splitlines(keepends=True)
    found = _find_header(lines, columns)
    if found is None:
        seen = next((ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
        hint = f"; the first line reads {seen[:120]!r}" if seen else "; the file is empty"
        problems.add(_expected(columns) + f" in the first {HEADER_SEARCH_LINES} lines" + hint, 1)
        problems.raise_any()
        raise AssertionError("unreachable")  # pragma: no cover
    index, delimiter, where, header_cells = found
    headers = {col: header_cells[i].strip() for col, i in where.items()}
    simple = all(header_key(headers[c.name]) == header_key(c.name) for c in columns if c.name in headers)
    form = simple_form if simple else "published export"
    values: dict[str, list[object]] = {c.name: [] for c in columns}
    row_lines: list[int] = []
    reader = csv.reader(io.StringIO("".join(lines[index + 1 :])), delimiter=delimiter)
    width = len(header_cells)
    try:
        for cells in reader:
            line = index + 1 + reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(row_lines) >= MAX_ROWS:
                problems.add(f"more than {MAX_ROWS:,} data rows", line)
                break
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                problems.add(
                    f"{len(cells)} cells but the header has {width}: a delimiter inside an unquoted cell?", line
                )
                continue
            row_lines.append(line)
            for col in columns:
                i = where.get(col.name)
                raw = cells[i].strip() if i is not None and i < len(cells) else ""
                values[col.name].append(_cell(raw, col, line, headers.get(col.name, col.name), problems))
    except csv.Error as exc:
        problems.add(f"not valid CSV: {exc}", index + 1 + reader.line_num)
    if not row_lines and not problems.found:
        problems.add("no data rows below the header", index + 1)
    problems.raise_any()
    return Table(
        values={k: tuple(v) for k, v in values.items()},
        lines=tuple(row_lines),
        headers=headers,
        form=form,
    )


def as_date(value: object) -> datetime.date | None:
    """A parsed date cell (``None`` when blank)."""
    return value if isinstance(value, datetime.date) else None


def as_int(value: object) -> int | None:
    """A parsed whole-number cell (``None`` when blank)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _cell(raw: str, col: Column, line: int, header: str, problems: _Problems) -> object:
    if not raw:
        if col.required and not col.blank_ok:
            problems.add("must not be blank", line, header)
        return None
    bad = next((ch for ch in raw if ord(ch) < 32 or ord(ch) == 127), None)
    if bad is not None:
        problems.add(f"control character U+{ord(bad):04X} in the cell", line, header)
        return None
    if col.parse is None:
        return raw
    try:
        return col.parse(raw)
    except ValueError as exc:
        problems.add(f"{raw[:60]!r}: {exc}", line, header)
        return None
