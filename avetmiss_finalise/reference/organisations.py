"""The training.gov.au list of registered training organisations and its lookup (AVS 4645).

Expected format — a CSV with a header row (the delimiters and encodings of :mod:`._table`):

==========  ============================================================================  ========
column      headers accepted (case and punctuation ignored)                                required
==========  ============================================================================  ========
``code``    Code, RTO code, Organisation code, Training organisation code, TOID, RTO ID    yes
``name``    Legal name, Name, Organisation name, RTO name, Trading name                   no
``status``  Status, Registration status, Organisation status                              no
==========  ============================================================================  ========

training.gov.au's search results export to CSV/Excel; the exact header text of those exports could not be
confirmed here, hence the accepted names (save an Excel export as CSV). Codes are compared without leading zeros,
so ``0000012345`` (VIC zero-fill) and ``12345`` are the same organisation. An organisation is *listed* whatever its
status: AVS 4645 as quoted asks for an RTO "listed on training.gov.au", not for a current registration.
"""

from __future__ import annotations

import attrs
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.reference._parse import code_key, keyed, member, organisation_code, status_value
from avetmiss_finalise.reference._table import Column, read_table

__all__ = ["COLUMNS", "OrganisationTable", "parse_organisations"]

COLUMNS = (
    Column(
        "code",
        (
            "RTO code",
            "Organisation code",
            "Training organisation code",
            "Training organisation identifier",
            "TOID",
            "RTO ID",
            "RTO number",
            "Code",
        ),
        parse=organisation_code,
    ),
    Column("name", ("Legal name", "Organisation name", "RTO name", "Trading name"), required=False),
    Column("status", ("Registration status", "Organisation status", "Status"), required=False, parse=status_value),
)


@attrs.frozen(eq=False, repr=False)
class OrganisationTable:
    """Distinct organisation codes (normal form of :func:`~._parse.code_key`) as an immutable pyarrow array."""

    codes: pa.Array
    rows: int

    @classmethod
    def from_codes(cls, codes: list[str]) -> OrganisationTable:
        return cls(codes=pc.unique(pa.array([code_key(c) for c in codes], type=pa.large_string())), rows=len(codes))

    @classmethod
    def union(cls, tables: list[OrganisationTable]) -> OrganisationTable:
        return cls(codes=pc.unique(pa.concat_arrays([t.codes for t in tables])), rows=sum(t.rows for t in tables))

    def __repr__(self) -> str:
        return f"<OrganisationTable: {len(self):,} entries from {self.rows:,} rows>"

    def __len__(self) -> int:
        return len(self.codes)

    def listed(self, toid: pd.Series) -> pd.Series:
        """Per row: True where listed, False where not, NA where the identifier is blank."""
        keys = keyed(toid, code_key)
        out = pd.Series(member(keys, self.codes), index=toid.index, dtype="boolean")
        return out.mask(keys.isna().to_numpy(dtype=bool))


def parse_organisations(text: str, name: str) -> tuple[OrganisationTable, str, int]:
    table = read_table(text, name, COLUMNS)
    codes = [str(c) for c in table.values["code"]]
    return OrganisationTable.from_codes(codes), table.form, len(table)
