"""The training.gov.au unit of competency (and accredited module) list: codes, titles and nominal hours.

Expected format — a CSV with a header row (the delimiters and encodings of :mod:`._table`):

=================  ===============================================================  ========
column             headers accepted (case and punctuation ignored)                  required
=================  ===============================================================  ========
``code``           Code, National code, Unit code, Module code, Subject identifier  yes
``title``          Title, Name, Unit title, Module title, Subject name               yes
``nominal_hours``  Nominal hours, Hours, Nominal duration                           no
``status``         Status, Usage recommendation, Currency status                    no
=================  ===============================================================  ========

The header text of training.gov.au's exports could not be confirmed here, hence the accepted names. Nominal hours
are whole hours 0-9999 where given (training.gov.au has no hours for most units; NCVER's nationally agreed hours
file does). A code listed on several rows (one per release) keeps every title: a NAT00060 name matching any of
them is the register's name.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.reference._frozen import FrozenDict
from avetmiss_finalise.reference._parse import code_value, hours_value, keyed, member, status_value, title_matches
from avetmiss_finalise.reference._table import Column, as_int, read_table

__all__ = ["COLUMNS", "UnitEntry", "UnitTable", "parse_units"]

COLUMNS = (
    Column(
        "code",
        ("National code", "Unit code", "Module code", "Unit of competency code", "Subject identifier", "Code"),
        parse=lambda t: code_value(t).upper(),
    ),
    Column("title", ("Unit title", "Module title", "Unit of competency title", "Subject name", "Name", "Title")),
    Column("nominal_hours", ("Nominal hours", "Hours", "Nominal duration"), required=False, parse=hours_value),
    Column(
        "status", ("Usage recommendation", "Currency status", "Currency", "Status"), required=False, parse=status_value
    ),
)


@attrs.frozen
class UnitEntry:
    """What the list says about one unit code (several rows merged)."""

    code: str
    titles: tuple[str, ...]
    nominal_hours: int | None = None
    statuses: tuple[str, ...] = ()


@attrs.frozen(eq=False, repr=False)
class UnitTable:
    """Unit entries by code (upper case) and the distinct codes as a pyarrow array for hash lookups."""

    entries: Mapping[str, UnitEntry]
    codes: pa.Array
    rows: int

    @classmethod
    def from_entries(cls, entries: list[UnitEntry], rows: int | None = None) -> UnitTable:
        merged: dict[str, UnitEntry] = {}
        for e in entries:
            old = merged.get(e.code)
            if old is not None:
                e = UnitEntry(
                    code=e.code,
                    titles=tuple(dict.fromkeys((*old.titles, *e.titles))),
                    nominal_hours=old.nominal_hours if old.nominal_hours is not None else e.nominal_hours,
                    statuses=tuple(dict.fromkeys((*old.statuses, *e.statuses))),
                )
            merged[e.code] = e
        return cls(
            entries=FrozenDict(merged),
            codes=pa.array(list(merged), type=pa.large_string()),
            rows=len(entries) if rows is None else rows,
        )

    def __repr__(self) -> str:
        return f"<UnitTable: {len(self):,} entries from {self.rows:,} rows>"

    def __len__(self) -> int:
        return len(self.entries)

    def listed(self, subject_id: pd.Series) -> np.ndarray:
        """Rows whose subject identifier is a listed unit (compared upper case)."""
        return member(keyed(subject_id, lambda t: t.strip().upper()), self.codes)

    def wrong_title(self, subject_id: pd.Series, name: pd.Series, width: int) -> np.ndarray:
        """Rows of a listed unit whose name is none of the register's titles (a blank name is not checked: the
        mandatory-field rule reports it). Checked once per distinct (code, name) pair."""
        listed = self.listed(subject_id) & name.notna().to_numpy(dtype=bool)
        out = np.zeros(len(subject_id), dtype=bool)
        if not listed.any():
            return out
        pairs = pd.DataFrame(
            {"code": subject_id[listed].astype("string").str.strip().str.upper(), "name": name[listed].astype("string")}
        )
        codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
        verdict = np.array(
            [not title_matches(self.entries[str(c)].titles, str(n), width) for c, n in uniques], dtype=bool
        )
        out[np.flatnonzero(listed)] = verdict[codes]
        return out


def parse_units(text: str, name: str) -> tuple[list[UnitEntry], str, int]:
    t = read_table(text, name, COLUMNS)
    v = t.values
    entries = [
        UnitEntry(
            code=str(v["code"][i]),
            titles=(str(v["title"][i]),),
            nominal_hours=as_int(v["nominal_hours"][i]),
            statuses=() if v["status"][i] is None else (str(v["status"][i]),),
        )
        for i in range(len(t))
    ]
    return entries, t.form, len(t)
