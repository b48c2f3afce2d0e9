"""Cell parsers of the reference loaders, and the normal forms both sides of a lookup are compared in.

A NAT value and a reference value are compared only after the *same* normalisation (:func:`locality_key`,
:func:`code_key`, :func:`title_key`), so a case or spacing difference never makes a false finding. The vectorised
form (:func:`keyed`) applies it to a whole column, once per distinct value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "STATE_CODES",
    "code_key",
    "code_value",
    "codes_list",
    "date_value",
    "hours_value",
    "keyed",
    "locality_key",
    "member",
    "organisation_code",
    "postcode_value",
    "state_value",
    "status_value",
    "title_key",
    "title_matches",
]

#: State abbreviations (as Australia Post and training.gov.au write them) → AVETMISS state identifier.
STATE_CODES = {
    "NSW": "01",
    "VIC": "02",
    "QLD": "03",
    "SA": "04",
    "WA": "05",
    "TAS": "06",
    "NT": "07",
    "ACT": "08",
    "OT": "09",
    "JBT": "09",
}
_STATE_IDS = frozenset(STATE_CODES.values())

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y", "%d/%b/%Y", "%d %B %Y")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+Z?)?")


def postcode_value(text: str) -> str:
    """A 4-digit postcode. 1-3 digits are zero-filled: spreadsheets drop the leading zero of 0800 (Darwin)."""
    t = text.strip()
    if t.endswith(".0") and t[:-2].isdigit():  # a spreadsheet that stored the postcode as a number
        t = t[:-2]
    if not (t.isascii() and t.isdigit() and 1 <= len(t) <= 4):
        raise ValueError("expected a postcode of up to 4 digits")
    return t.zfill(4)


def state_value(text: str) -> str:
    """An AVETMISS state identifier (01-09) from an abbreviation (NSW … ACT, OT) or the identifier itself."""
    t = text.strip().upper()
    if t in STATE_CODES:
        return STATE_CODES[t]
    if t.isdigit() and t.zfill(2) in _STATE_IDS:
        return t.zfill(2)
    raise ValueError("expected a state abbreviation (NSW, VIC, QLD, SA, WA, TAS, NT, ACT, OT) or identifier 01-09")


def date_value(text: str) -> datetime.date:
    """A date as exports write it: ISO (2026-01-31, with or without a time) or day first (31/01/2026, 31 Jan 2026)."""
    t = text.strip()
    m = _ISO.fullmatch(t)
    try:
        if m:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError("not a real calendar date") from None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError("expected a date as YYYY-MM-DD or DD/MM/YYYY")


def hours_value(text: str) -> int:
    """Whole nominal hours 0-9999 (a spreadsheet's ``40.0`` is 40)."""
    t = text.strip().replace(",", "")
    if t.endswith(".0"):
        t = t[:-2]
    if not (t.isascii() and t.isdigit()) or int(t) > 9999:
        raise ValueError("expected whole hours 0-9999")
    return int(t)


def code_value(text: str) -> str:
    t = text.strip()
    if not t or any(ch.isspace() for ch in t) or not t.isascii() or not t.isprintable():
        raise ValueError("expected a code without spaces, in plain ASCII")
    return t


def codes_list(text: str) -> tuple[str, ...]:
    """One or more codes separated by commas, semicolons, slashes or spaces (``Superseded by`` cells)."""
    parts = [p for p in re.split(r"[\s,;/]+", text.strip()) if p]
    return tuple(dict.fromkeys(code_value(p) for p in parts))


def status_value(text: str) -> str:
    """A currency status as written (``Current``, ``Superseded``, ``Deleted`` …), lower case; never refused."""
    return " ".join(text.strip().lower().split())


def organisation_code(text: str) -> str:
    """An organisation code as compared (:func:`code_key`), refusing spaces and non-ASCII as :func:`code_value`."""
    return code_key(code_value(text))


def code_key(code: str) -> str:
    """A code as compared: upper case; an all-digit code (an RTO code) without leading zeros (VIC zero-fills it)."""
    t = code.strip().upper()
    return (t.lstrip("0") or "0") if t.isdigit() else t


def _fold(text: str) -> str:
    """Typographic characters as their ASCII forms (NAT files are ASCII; published titles are not)."""
    for a, b in (("\u2013", "-"), ("\u2014", "-"), ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def locality_key(text: str) -> str:
    """A suburb/locality as compared: upper case, apostrophes dropped, other punctuation and runs of spaces as one
    space (``Mount  Isa`` = ``MOUNT ISA``, ``O'Connor`` = ``OCONNOR``)."""
    t = _fold(text).upper().replace("'", "")
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", t).split())


def title_key(text: str) -> str:
    """A title as compared: :func:`locality_key`'s rules, and ``&`` read as ``and``."""
    return locality_key(_fold(text).replace("&", " and "))


def keyed(values: pd.Series, key: Callable[[str], str]) -> pd.Series:
    """``key`` applied to every cell of a column (NA where blank or where the key is empty), vectorised by
    factorising first: the Python normal form runs once per *distinct* value, not once per row."""
    codes, uniques = pd.factorize(values.astype("string[pyarrow]"), use_na_sentinel=True)
    keys = pa.array([key(str(u)) or None for u in uniques], type=pa.large_string())
    taken = keys.take(pa.array(codes, mask=codes < 0, type=pa.int64()))
    return pd.Series(pd.arrays.ArrowStringArray(taken.cast(pa.large_string())), index=values.index)


def title_matches(titles: tuple[str, ...], name: str, width: int) -> bool:
    """``name`` (a NAT name field of ``width`` characters) is one of ``titles``, compared by :func:`title_key`;
    a name filling the whole field may be the title cut at the field width."""
    got = title_key(name)
    for title in titles:
        want = title_key(title)
        if got == want:
            return True
        if len(name) >= width and want.startswith(got):
            return True
    return False


def member(keys: pd.Series, values: pa.Array) -> np.ndarray:
    """Rows of ``keys`` (already in normal form) found among ``values``: a pyarrow hash lookup (NA never is)."""
    arr = pa.array(keys.astype("string[pyarrow]"), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    hit = pc.is_in(arr, value_set=values, skip_nulls=True).fill_null(False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
