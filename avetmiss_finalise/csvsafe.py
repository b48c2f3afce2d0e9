"""CSV formula injection: the opt-in ``--csv-safe`` neutralisation of cells a spreadsheet would run as formulas.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or CR) is taken by Excel, LibreOffice and Google
Sheets as the start of a formula: a CSV made from uploaded NAT files could then run a formula planted in a name
or an address when someone opens it. NAT data itself uses ``@`` — ``@@@@`` is the "not stated" fill of coded
fields — and ``-`` can start free text, so changing cells by default would corrupt exactly the files people
convert to look at. Neutralising is therefore opt-in, and reversible:

* on the way out, every cell starting with one of those characters *or with a single quote* gets one more
  leading single quote (``=1+1`` → ``'=1+1``, ``@@@@`` → ``'@@@@``, ``'x`` → ``''x``): spreadsheets show a
  leading quote as "text", so nothing runs;
* on the way back, one leading single quote is removed from every cell that has one.

Because a quote is added to every cell that starts with a quote too, the mapping is one-to-one and the round
trip NAT → CSV → NAT stays byte-exact. The ``convert`` sidecar records that the CSV files were made this way.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["QUOTE", "TRIGGERS", "neutralise", "neutralise_frame", "restore", "restore_frame"]

#: Leading characters spreadsheets treat as the start of a formula (OWASP "CSV Injection").
TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: What is put in front of such a cell (and of a cell that already starts with it, so the mapping reverses).
QUOTE = "'"
_ESCAPED = (*TRIGGERS, QUOTE)


def _starts(values: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    if not len(values) or not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values)):
        return pd.Series(False, index=values.index)
    return values.astype(object).str.startswith(prefixes, na=False).astype(bool)


def neutralise(values: pd.Series) -> pd.Series:
    """``values`` with a quote put before every cell that starts with a formula character or a quote."""
    hit = _starts(values, _ESCAPED)
    if not bool(hit.any()):
        return values
    out = values.astype(object).copy()
    out[hit] = QUOTE + out[hit]
    return out


def restore(values: pd.Series) -> pd.Series:
    """The inverse of :func:`neutralise`: one leading quote removed from every cell that has one."""
    hit = _starts(values, (QUOTE,))
    if not bool(hit.any()):
        return values
    out = values.astype(object).copy()
    out[hit] = out[hit].str.slice(1)
    return out


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column of ``frame`` neutralised (see :func:`neutralise`)."""
    return pd.DataFrame({c: neutralise(frame[c]) for c in frame.columns}, index=frame.index)


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column of ``frame`` restored (see :func:`restore`)."""
    return pd.DataFrame({c: restore(frame[c]) for c in frame.columns}, index=frame.index)
