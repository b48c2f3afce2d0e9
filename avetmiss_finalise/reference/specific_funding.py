"""Specific funding identifiers by collection year: the list shipped with the library and a list the user supplies.

An expired specific funding identifier for the collection year is an AVS rejection (public_avs_rules.md
C043). The collection year selects the list: an entry is valid from ``valid_from`` to ``valid_to`` (collection
years, inclusive, blank = not known). A list is *complete* for the years in ``complete_years``: there, a code it
does not list as valid is not a specific funding identifier of that year. Elsewhere only its explicit expiries
count, so a code the list does not know is never reported.

The shipped list (``specific_funding.csv`` beside this module; provenance in its header) holds only what the spec
supports, which is one expiry. Expected format of a user-supplied list (a CSV with a header row):

================  ===========================================================  ========
column            headers accepted (case and punctuation ignored)              required
================  ===========================================================  ========
``code``          Code, Specific funding identifier, Specific funding id, SFI  yes
``year``          Year, Collection year                                         no
``valid_from``    Valid from, From year, Start year                             no
``valid_to``      Valid to, To year, End year, Expiry year                      no
``meaning``       Meaning, Description, Name, Program                          no
================  ===========================================================  ========

A ``year`` cell means valid in that year only; a user list is complete for every year it names in ``year`` or
spans with both ``valid_from`` and ``valid_to`` (NCVER's yearly list, saved as CSV with a ``year`` column, is the
intended input). Years are 4 digits, or a date whose year is taken.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources

import attrs

from avetmiss_finalise.reference._files import ReferenceFile
from avetmiss_finalise.reference._parse import date_value
from avetmiss_finalise.reference._table import Column, as_int, read_table

__all__ = ["COLUMNS", "SHIPPED_NAME", "FundingEntry", "SpecificFundingList", "parse_specific_funding", "shipped"]

SHIPPED_NAME = "specific_funding.csv"


def year_value(text: str) -> int:
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        year = int(t)
    else:
        try:
            year = date_value(t).year
        except ValueError:
            raise ValueError("expected a collection year (2026) or a date") from None
    if not 1990 <= year <= 2200:
        raise ValueError("expected a collection year between 1990 and 2200")
    return year


def _code(text: str) -> str:
    t = text.strip()
    if len(t) > 10 or not t.isascii() or not t.isprintable():
        raise ValueError("expected a code of at most 10 printable ASCII characters (the NAT00120 field width)")
    return t


COLUMNS = (
    Column("code", ("Specific funding identifier", "Specific funding id", "SFI", "Code"), parse=_code),
    Column("year", ("Collection year", "Year"), required=False, parse=year_value),
    Column("valid_from", ("Valid from", "From year", "Start year"), required=False, parse=year_value),
    Column("valid_to", ("Valid to", "To year", "End year", "Expiry year"), required=False, parse=year_value),
    Column("meaning", ("Description", "Name", "Program", "Meaning"), required=False),
    Column("status", ("Status",), required=False),
    Column("source", ("Source",), required=False),
)


@attrs.frozen
class FundingEntry:
    """One code and the collection years it is valid in (``None``: that bound is not known)."""

    code: str
    valid_from: int | None = None
    valid_to: int | None = None
    meaning: str = ""
    status: str = "valid"
    source: str = ""

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    def expired_by(self, year: int) -> bool:
        """Known not to be valid in ``year``: its validity ended before, or starts after."""
        return (self.valid_to is not None and year > self.valid_to) or (
            self.valid_from is not None and year < self.valid_from
        )

    def span(self) -> str:
        if self.valid_to is not None and self.valid_from is None:
            return f"valid to {self.valid_to}"
        if self.valid_from is not None and self.valid_to is None:
            return f"valid from {self.valid_from}"
        return f"valid {self.valid_from}-{self.valid_to}"


@attrs.frozen(eq=False)
class SpecificFundingList:
    """A list of :class:`FundingEntry` and the years it is complete for; ``file`` says where it came from."""

    entries: tuple[FundingEntry, ...]
    complete_years: frozenset[int]
    file: ReferenceFile | None = None

    def covers(self, year: int) -> bool:
        return year in self.complete_years

    def valid_codes(self, year: int) -> frozenset[str]:
        return frozenset(e.code for e in self.entries if e.valid_in(year))

    def expired(self, year: int) -> dict[str, FundingEntry]:
        """Codes known not to be valid in ``year`` (and not valid in it by another entry), with the entry saying so."""
        valid = self.valid_codes(year)
        return {e.code: e for e in self.entries if e.expired_by(year) and e.code not in valid}


def parse_specific_funding(text: str, name: str, *, shipped: bool = False) -> tuple[SpecificFundingList, str, int]:
    """The list (complete years from the header of a shipped list, else from its rows), form and row count."""
    t = read_table(text, name, COLUMNS)
    v = t.values
    entries = []
    covered: set[int] = set()
    for i in range(len(t)):
        year = v["year"][i]
        start = year if year is not None else v["valid_from"][i]
        end = year if year is not None else v["valid_to"][i]
        entries.append(
            FundingEntry(
                code=str(v["code"][i]),
                valid_from=as_int(start),
                valid_to=as_int(end),
                meaning=str(v["meaning"][i] or ""),
                status=str(v["status"][i] or "valid"),
                source=str(v["source"][i] or ""),
            )
        )
        if isinstance(start, int) and isinstance(end, int):
            covered.update(range(start, end + 1))
    complete = _header_years(text) if shipped else frozenset(covered)
    return SpecificFundingList(entries=tuple(entries), complete_years=complete), t.form, len(t)


def _header_years(text: str) -> frozenset[int]:
    for line in text.splitlines():
        m = re.fullmatch(r"#\s*complete_years:\s*(.*)", line.strip())
        if m:
            return frozenset(int(y) for y in re.findall(r"\d{4}", m[1]))
    return frozenset()


def header_field(text: str, key: str) -> str:
    """A ``# key: value`` provenance header line's value ('' when absent)."""
    for line in text.splitlines():
        m = re.fullmatch(rf"#\s*{re.escape(key)}:\s*(.*)", line.strip())
        if m:
            return m[1].strip()
    return ""


@functools.cache
def shipped() -> SpecificFundingList:
    """The list shipped with the library (read once; its provenance is its ``file``)."""
    data = resources.files("avetmiss_finalise.reference").joinpath(SHIPPED_NAME).read_bytes()
    text = data.decode("utf-8")
    lst, form, rows = parse_specific_funding(text, SHIPPED_NAME, shipped=True)
    version = header_field(text, "version")
    provenance = ReferenceFile(
        kind="specific_funding",
        name=f"{SHIPPED_NAME} (shipped, version {version})" if version else f"{SHIPPED_NAME} (shipped)",
        modified=header_field(text, "date"),
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        form=form,
        shipped=True,
    )
    return attrs.evolve(lst, file=provenance)
