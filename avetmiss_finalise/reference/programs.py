"""The training.gov.au qualification / accredited course / skill set list: codes, titles, currency, replacements.

Expected format — a CSV with a header row (the delimiters and encodings of :mod:`._table`); one file or several
(training.gov.au exports qualifications, accredited courses and skill sets separately; they are read together):

===================  ====================================================================================  ========
column               headers accepted (case and punctuation ignored)                                       required
===================  ====================================================================================  ========
``code``             Code, National code, Qualification code, Course code, Skill set code, Program code     yes
``title``            Title, Name, Qualification title, Course title, Program name                           no
``status``           Status, Usage recommendation, Currency status                                          no
``superseded_by``    Superseded by, Replaced by, Current replacement, Replacement, Successor                no
``superseded_date``  Superseded date, Date superseded, Currency end date                                    no
``teach_out_date``   Teach-out date, Teach out end date, Transition end date                                no
===================  ====================================================================================  ========

training.gov.au calls currency the *usage recommendation* (Current, Superseded, Deleted); the header text of its
CSV exports and whether they carry replacement codes and dates could not be confirmed here, hence the accepted
names. A program is *superseded* when its status says so, or it names a replacement, or it has a superseded date.
``superseded_by`` may hold several codes (commas, semicolons, slashes or spaces). Dates: YYYY-MM-DD or DD/MM/YYYY.
A code listed more than once (one row per release) keeps every title; it is current if any row says so.

Which kinds of program a list covers is read from its file names: ``qualifications.csv`` holds qualifications,
``accredited_courses.csv`` courses, ``skill_sets.csv`` skill sets; a name that says none of them
(``programs.csv``) covers all three. A code of a kind no file covers is not looked up: training.gov.au exports the
three separately, and a provider who downloaded only the qualifications must not see every skill set reported
missing. A code's kind is its NAT00030A recognition identifier (11 qualification, 12 course, 13 skill set) or,
in NAT00030, its shape (layouts.md §6: ``BSB40120`` a qualification, ``BSBSS00001`` a skill set, ``10101NAT`` an
accredited course — the last unverified); a code of no known shape counts as of every kind.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path

import attrs
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.reference._frozen import FrozenDict
from avetmiss_finalise.reference._parse import code_value, codes_list, date_value, keyed, member, status_value
from avetmiss_finalise.reference._table import Column, as_date, read_table

__all__ = ["COLUMNS", "PROGRAM_KINDS", "ProgramEntry", "ProgramTable", "kinds_in_name", "parse_programs", "shape_kind"]

#: The kinds of program training.gov.au lists (and exports separately).
PROGRAM_KINDS: frozenset[str] = frozenset({"qualification", "course", "skill set"})
_NAME_KINDS = (("qualification", r"qualification"), ("course", r"course"), ("skill set", r"skill_?sets?"))
#: Code shapes (layouts.md §6 rule 4, D22 guidelines; the accredited course shape is "usually", unverified).
_SHAPES = (
    ("skill set", re.compile(r"[A-Z]{3}SS\d{5}")),
    ("qualification", re.compile(r"[A-Z]{3}\d{5}")),
    ("course", re.compile(r"\d{5}[A-Z]{2,3}")),
)


def kinds_in_name(name: str) -> frozenset[str]:
    """The kinds of program a file holds, by its name (``qualifications.csv``: qualifications); every kind when
    the name says none (``programs.csv``)."""
    stem = re.sub(r"[^a-z0-9]+", "_", Path(name).stem.lower())
    said = frozenset(kind for kind, pattern in _NAME_KINDS if re.search(pattern, stem))
    return said or PROGRAM_KINDS


def shape_kind(code: str) -> str | None:
    """The kind of program a code's shape says (``None``: no known shape)."""
    key = code.strip().upper()
    for kind, pattern in _SHAPES:
        if pattern.fullmatch(key):
            return kind
    return None


COLUMNS = (
    Column(
        "code",
        (
            "National code",
            "Qualification code",
            "Course code",
            "Skill set code",
            "Program code",
            "Program identifier",
            "Code",
        ),
        parse=lambda t: code_value(t).upper(),
    ),
    Column(
        "title",
        ("Qualification title", "Course title", "Program name", "Program title", "Name", "Title"),
        required=False,
    ),
    Column(
        "status", ("Usage recommendation", "Currency status", "Currency", "Status"), required=False, parse=status_value
    ),
    Column(
        "superseded_by",
        ("Superseded by", "Replaced by", "Current replacement", "Replacement", "Successor"),
        required=False,
        parse=codes_list,
    ),
    Column("superseded_date", ("Date superseded", "Currency end date", "Superseded"), required=False, parse=date_value),
    Column(
        "teach_out_date",
        ("Teach-out date", "Teach out end date", "Teach-out end date", "Transition end date"),
        required=False,
        parse=date_value,
    ),
)

_SUPERSEDED_WORDS = ("supersed", "replaced", "non current", "non-current", "noncurrent")
#: Steps followed through a chain of replacements (A → B → C) before giving up (a loop in the list).
_MAX_CHAIN = 20


@attrs.frozen
class ProgramEntry:
    """Everything the list says about one program code (several rows merged)."""

    code: str
    titles: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    superseded_date: datetime.date | None = None
    teach_out_date: datetime.date | None = None

    @property
    def current(self) -> bool:
        return "current" in self.statuses

    @property
    def superseded(self) -> bool:
        if self.current:
            return False
        said = any(w in s for s in self.statuses for w in _SUPERSEDED_WORDS)
        return said or bool(self.superseded_by) or self.superseded_date is not None


@attrs.frozen(eq=False, repr=False)
class ProgramTable:
    """Program entries by code (upper case) and the distinct codes as a pyarrow array for hash lookups;
    ``kinds``: the kinds of program the list covers (:data:`PROGRAM_KINDS` unless its file names say fewer)."""

    entries: Mapping[str, ProgramEntry]
    codes: pa.Array
    rows: int
    kinds: frozenset[str] = PROGRAM_KINDS

    @classmethod
    def from_entries(
        cls, entries: list[ProgramEntry], rows: int | None = None, kinds: frozenset[str] = PROGRAM_KINDS
    ) -> ProgramTable:
        merged: dict[str, ProgramEntry] = {}
        for e in entries:
            old = merged.get(e.code)
            merged[e.code] = e if old is None else _merge(old, e)
        return cls(
            entries=FrozenDict(merged),
            codes=pa.array(list(merged), type=pa.large_string()),
            rows=len(entries) if rows is None else rows,
            kinds=kinds,
        )

    def __repr__(self) -> str:
        kinds = "" if self.kinds == PROGRAM_KINDS else f" ({', '.join(sorted(self.kinds))} only)"
        return f"<ProgramTable: {len(self):,} entries from {self.rows:,} rows{kinds}>"

    def missing_kinds(self) -> frozenset[str]:
        """The kinds of program no file of the list covers."""
        return PROGRAM_KINDS - self.kinds

    def __len__(self) -> int:
        return len(self.entries)

    def has_titles(self) -> bool:
        return any(e.titles for e in self.entries.values())

    def has_teach_out(self) -> bool:
        """Some superseded program has a teach-out date or a superseded date to count one from."""
        return any(e.superseded and (e.teach_out_date or e.superseded_date) for e in self.entries.values())

    def listed(self, program_id: pd.Series) -> pd.Series:
        """True where listed, False where not, NA where blank (codes compared upper case)."""
        keys = keyed(program_id, lambda t: t.strip().upper())
        found = pd.Series(member(keys, self.codes), index=program_id.index, dtype="boolean")
        return found.mask(keys.isna().to_numpy(dtype=bool))

    def teach_out(self, months: int | None) -> pd.Series:
        """Superseded codes → the last day they may be reported: the teach-out date, else ``months`` after the
        superseded date when ``months`` is given (codes with neither are left out)."""
        out: dict[str, pd.Timestamp] = {}
        for code, e in self.entries.items():
            if not e.superseded:
                continue
            if e.teach_out_date is not None:
                out[code] = pd.Timestamp(e.teach_out_date)
            elif months is not None and e.superseded_date is not None:
                out[code] = pd.Timestamp(e.superseded_date) + pd.DateOffset(months=months)
        return pd.Series(out, dtype="datetime64[s]")

    def current_replacement(self, code: str) -> tuple[str | None, str]:
        """The current program that replaces ``code`` (following A → B → C), and why; ``None`` with the reason
        when the list names none, names several, or loops."""
        key = code.strip().upper()
        entry = self.entries.get(key)
        if entry is None:
            return None, f"{key} is not in the qualification list"
        path = [key]
        while entry is not None and entry.superseded:
            nxt = entry.superseded_by
            if not nxt:
                return None, f"the qualification list marks {path[-1]} superseded but names no replacement"
            if len(nxt) > 1:
                return None, f"the qualification list names several replacements of {path[-1]}: {', '.join(nxt)}"
            if nxt[0] in path or len(path) > _MAX_CHAIN:
                return None, f"the qualification list's replacements loop: {' → '.join([*path, nxt[0]])}"
            path.append(nxt[0])
            entry = self.entries.get(nxt[0])
        if len(path) == 1:
            return None, f"{key} is current in the qualification list (nothing replaces it)"
        return path[-1], "qualification list: " + " → ".join(path)


def _merge(a: ProgramEntry, b: ProgramEntry) -> ProgramEntry:
    return ProgramEntry(
        code=a.code,
        titles=tuple(dict.fromkeys((*a.titles, *b.titles))),
        statuses=tuple(dict.fromkeys((*a.statuses, *b.statuses))),
        superseded_by=tuple(dict.fromkeys((*a.superseded_by, *b.superseded_by))),
        superseded_date=a.superseded_date or b.superseded_date,
        teach_out_date=a.teach_out_date or b.teach_out_date,
    )


def _codes(value: object) -> tuple[str, ...]:
    return tuple(str(c) for c in value) if isinstance(value, tuple) else ()


def parse_programs(text: str, name: str) -> tuple[list[ProgramEntry], str, int]:
    """Entries (to be merged with other program files by :meth:`ProgramTable.from_entries`), form and row count."""
    t = read_table(text, name, COLUMNS)
    v = t.values
    entries = [
        ProgramEntry(
            code=str(v["code"][i]),
            titles=() if v["title"][i] is None else (str(v["title"][i]),),
            statuses=() if v["status"][i] is None else (str(v["status"][i]),),
            superseded_by=_codes(v["superseded_by"][i]),
            superseded_date=as_date(v["superseded_date"][i]),
            teach_out_date=as_date(v["teach_out_date"][i]),
        )
        for i in range(len(t))
    ]
    return entries, t.form, len(t)
