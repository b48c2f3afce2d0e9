"""The postcode/locality list (NCVER's AVETMISS system file, or Australia Post's postcode file) and its lookup.

Expected format — a CSV (comma, tab, semicolon or bar delimited; UTF-8, UTF-16 or Windows-1252) with a header row:

=============  ==========================================================  ========
column         headers accepted (case and punctuation ignored)              required
=============  ==========================================================  ========
``postcode``   Postcode, Pcode, Post code, Postal code                      yes
``locality``   Locality, Suburb, Suburb/locality/town, Town, Place name     yes
``state``      State, State code, State identifier, State/territory        no
=============  ==========================================================  ========

``Pcode, Locality, State`` are the headers of Australia Post's published postcode file; the NCVER system file's own
column names could not be confirmed here (it was not available to us), hence the list of accepted names. A
postcode of 1-3 digits is zero-filled (spreadsheets drop the 0 of 0800); the state is an abbreviation (NSW … ACT,
OT) or an AVETMISS state identifier. Repeated rows are fine (Australia Post lists a locality once per delivery
category).
"""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.reference._parse import keyed, locality_key, postcode_value, state_value
from avetmiss_finalise.reference._table import Column, read_table

__all__ = ["COLUMNS", "PostcodeTable", "parse_postcodes"]

COLUMNS = (
    Column("postcode", ("Pcode", "Post code", "Postal code", "Postcode"), parse=postcode_value),
    Column("locality", ("Suburb", "Suburb/locality/town", "Town", "Place name", "Locality name", "Suburb name")),
    Column(
        "state", ("State code", "State identifier", "State/territory", "State name"), required=False, parse=state_value
    ),
)
_SEP = "\x1f"
_SEP_SCALAR = pa.scalar(_SEP, pa.large_string())

#: Why a row does not match (the text after the rule's message; never quotes the personal value itself).
UNKNOWN_POSTCODE = "the postcode is not in the postcode/locality list"
WRONG_LOCALITY = "the suburb/locality is not one of this postcode's localities"
WRONG_STATE = "the postcode/locality list places this suburb and postcode in another state"


def _strings(values: list[str]) -> pa.Array:
    return pc.unique(pa.array(values, type=pa.large_string()))


@attrs.frozen(eq=False, repr=False)
class PostcodeTable:
    """The distinct (postcode, locality[, state]) combinations as immutable pyarrow arrays, for hash lookups.

    ``stateless`` holds the pairs listed without a state: their state is not checked.
    """

    postcodes: pa.Array
    pairs: pa.Array
    triples: pa.Array
    stateless: pa.Array
    rows: int

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str, str | None]]) -> PostcodeTable:
        """From (postcode, locality, state-or-None) rows, locality as written (it is normalised here)."""
        pairs, triples, stateless = [], [], []
        for postcode, locality, state in rows:
            pair = postcode + _SEP + locality_key(locality)
            pairs.append(pair)
            if state is None:
                stateless.append(pair)
            else:
                triples.append(pair + _SEP + state)
        return cls(
            postcodes=_strings([r[0] for r in rows]),
            pairs=_strings(pairs),
            triples=_strings(triples),
            stateless=_strings(stateless),
            rows=len(rows),
        )

    @classmethod
    def union(cls, tables: list[PostcodeTable]) -> PostcodeTable:
        """Several postcode files read as one (each combination once)."""

        def joined(name: str) -> pa.Array:
            return pc.unique(pa.concat_arrays([getattr(t, name) for t in tables]))

        return cls(
            postcodes=joined("postcodes"),
            pairs=joined("pairs"),
            triples=joined("triples"),
            stateless=joined("stateless"),
            rows=sum(t.rows for t in tables),
        )

    def __repr__(self) -> str:
        return f"<PostcodeTable: {len(self):,} entries from {self.rows:,} rows>"

    def __len__(self) -> int:
        return len(self.pairs)

    def mismatches(self, postcode: pd.Series, locality: pd.Series, state: pd.Series | None = None) -> pd.Series:
        """Per row (categorical), why it does not match (:data:`UNKNOWN_POSTCODE`, :data:`WRONG_LOCALITY`,
        :data:`WRONG_STATE`), NA where it matches or cannot be checked: postcode not 4 digits (OSPC, @@@@, blank —
        other rules' findings) or ``0000``, blank locality, state not 01-09.

        Addresses repeat (a million clients live in a few thousand suburbs), so each distinct (postcode, suburb,
        state) is checked once and the verdicts are spread back to the rows by integer codes.
        """
        parts = [postcode, locality] + ([state] if state is not None else [])
        codes = np.zeros(len(postcode), dtype=np.int64)
        uniques = []
        for part in parts:
            c, u = pd.factorize(part.astype("string[pyarrow]"), use_na_sentinel=True)
            codes = codes * (len(u) + 1) + (np.asarray(c, dtype=np.int64) + 1)
            uniques.append(u)
        row_codes, combos = pd.factorize(codes)
        picked = []
        rest = np.asarray(combos, dtype=np.int64)
        for u in reversed(uniques):
            c = rest % (len(u) + 1) - 1
            rest = rest // (len(u) + 1)
            values = pd.Series(np.asarray(u, dtype=object)[np.where(c < 0, 0, c)] if len(u) else [None] * len(c))
            picked.append(values.where(c >= 0, None).astype("string[pyarrow]"))
        picked.reverse()
        verdict = self._check(picked[0], picked[1], picked[2] if state is not None else None)
        return _reasons(verdict[np.asarray(row_codes)], postcode.index)

    def _check(self, postcode: pd.Series, locality: pd.Series, state: pd.Series | None) -> np.ndarray:
        """Reason codes (-1: none) for distinct addresses."""
        pc_text = postcode.astype("string[pyarrow]")
        checkable = pc_text.str.fullmatch(r"\d{4}").fillna(False).to_numpy(dtype=bool)
        checkable &= (pc_text != "0000").fillna(False).to_numpy(dtype=bool)
        loc = keyed(locality, locality_key)
        checkable &= loc.notna().to_numpy(dtype=bool)
        out = np.full(len(postcode), -1, dtype=np.int8)
        if not checkable.any():
            return out
        pcs = _arrow(pc_text[checkable])
        pair = pc.binary_join_element_wise(pcs, _arrow(loc[checkable]), _SEP_SCALAR)
        known_pc = _member(pcs, self.postcodes)
        known_pair = _member(pair, self.pairs)
        why = np.full(len(pcs), -1, dtype=np.int8)
        why[~known_pair] = _REASONS.index(WRONG_LOCALITY)
        why[~known_pc] = _REASONS.index(UNKNOWN_POSTCODE)
        if state is not None and len(self.triples):
            st = state.astype("string[pyarrow]")[checkable]
            stated = st.str.fullmatch(r"0[1-9]").fillna(False).to_numpy(dtype=bool)
            triple = pc.binary_join_element_wise(pair, _arrow(st.fillna("")), _SEP_SCALAR)
            state_ok = _member(triple, self.triples) | _member(pair, self.stateless)
            why[known_pair & stated & ~state_ok] = _REASONS.index(WRONG_STATE)
        out[checkable] = why
        return out


_REASONS = (UNKNOWN_POSTCODE, WRONG_LOCALITY, WRONG_STATE)


def _reasons(codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Reason codes (-1: none) as a categorical Series of the reason texts (NA where the row matches)."""
    return pd.Series(
        pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=pd.Index(_REASONS)), index=index
    )


def _arrow(values: pd.Series) -> pa.Array:
    arr = pa.array(values.astype("string[pyarrow]"), type=pa.large_string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _member(values: pa.Array, keys: pa.Array) -> np.ndarray:
    hit = pc.is_in(values, value_set=keys, skip_nulls=True).fill_null(False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def parse_postcodes(text: str, name: str) -> tuple[PostcodeTable, str, int]:
    """The table, the format that matched, and the number of data rows; a located ``ReferenceError`` if unusable."""
    table = read_table(text, name, COLUMNS)
    rows = [
        (str(p), str(loc), None if s is None else str(s))
        for p, loc, s in zip(table.values["postcode"], table.values["locality"], table.values["state"], strict=True)
    ]
    return PostcodeTable.from_rows(rows), table.form, len(table)
