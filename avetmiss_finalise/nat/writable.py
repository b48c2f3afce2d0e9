"""What the NAT writer can write of a caller's cells, and the located Issue for each cell it cannot.

Split from :mod:`avetmiss_finalise.nat.write` by concept: this module judges and prepares cells (text that is not
text, bytes a read would refuse, the ``extra`` text past a record, unparsed cells put back) and words the
``NAT-WRITE`` Issues, hiding personal values; ``write`` encodes frames and :mod:`.record_lines` lays the records out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.issues import PERSONAL_HIDDEN, Issue, Severity
from avetmiss_finalise.nat.codec import U8, CellProblem
from avetmiss_finalise.nat.layouts import Field, Layout

__all__ = [
    "HIDDEN",
    "WRITE_RULE",
    "cell_issue",
    "line_numbers",
    "non_text_cells",
    "patch_unparsed",
    "put",
    "shown_cell",
    "string_bytes",
    "unreadable_characters",
]

#: Rule ID of the Issues carried by a WriteError.
WRITE_RULE = "NAT-WRITE"


def line_numbers(index: pd.Index, rows: Sequence[int]) -> list[int]:
    if pd.api.types.is_integer_dtype(index.dtype):
        return [int(index[r]) + 1 for r in rows]
    return [r + 1 for r in rows]


#: What a personal value is shown as in a WriteError message (the caller has the data; logs of the error must not).
#: ``Issue.value`` still holds it, for a caller that asks to see it (``convert --show-personal-data``).
HIDDEN = PERSONAL_HIDDEN


def shown_cell(value: object, personal: bool) -> str:
    """A cell for a write error: hidden when personal, cut when long (a 5 MB identifier is not a message)."""
    if personal:
        return HIDDEN
    text = value if isinstance(value, str) else str(value)
    return repr(value) if len(text) <= 80 else f"{text[:60]!r}… ({len(text):,} characters)"


def cell_issue(
    file: str, line: int, field: str, value: str, expected: str, columns: tuple[int, int] | None, personal: bool = False
) -> Issue:
    shown = shown_cell(value, personal)
    return Issue(
        rule_id=WRITE_RULE,
        severity=Severity.ERROR,
        message=f"cannot write {shown}: expected {expected}",
        file=file,
        line=line,
        columns=columns,
        field=field,
        value=value,  # the caller's own data, for the caller; messages (what gets logged) hide it
    )


#: Cell types a text or code field takes as they are (integers are codes: 5 → "05" in a 2-digit field).
_TEXT_TYPES = (str, int, np.integer)


def non_text_cells(values: pd.Series, field: Field) -> tuple[pd.Series, list[CellProblem]]:
    """``values`` with the cells of a text or code field that are not text blanked, and a problem for each.

    Written with ``str()`` they would become text nobody wrote: ``b"ABC"`` → ``b'ABC'``, ``True``, ``1.5``,
    ``2026-01-01 00:00:00``. Only text and (for codes) whole numbers of an integer type are taken; anything else
    is refused with its type, so the caller decodes bytes or formats a value once, on purpose.
    """
    if field.role in ("date", "number"):
        return values, []
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(dtype):
        return values, []
    if not pd.api.types.is_object_dtype(dtype):  # a typed column of floats, booleans, datetimes … in a text field
        odd = np.asarray(values.notna(), dtype=bool)
    else:
        odd = np.array(
            [
                not (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v))
                and (isinstance(v, bool | np.bool_) or not isinstance(v, _TEXT_TYPES))
                for v in values.tolist()
            ],
            dtype=bool,
        )
    if not odd.any():
        return values, []
    rows = np.flatnonzero(odd)
    cells = values.iloc[rows].tolist()
    problems = [
        CellProblem(int(r), repr(v), f"text ({type(v).__name__} is not text: decode or format it first)")
        for r, v in zip(rows, cells, strict=True)
    ]
    return values.astype(object).mask(pd.Series(odd, index=values.index)), problems


def string_bytes(values: pd.Series, file: str, index: pd.Index) -> tuple[U8, npt.NDArray[np.int64], list[Issue]]:
    """Latin-1 bytes of a string column (nulls → empty) and row offsets into them."""
    arr = pa.array(values.astype("string[pyarrow]").array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.fill_null(arr.cast(pa.large_string()), "")
    n = len(arr)
    issues: list[Issue] = []
    bad = np.asarray(pc.match_substring(arr, "\n"), dtype=bool) if n else np.zeros(0, dtype=bool)
    ascii_ = np.asarray(pc.string_is_ascii(arr), dtype=bool) if n else np.zeros(0, dtype=bool)
    if ascii_.all() and not bad.any():
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n + 1].astype(np.int64)
        buf = arr.buffers()[2]
        data = np.frombuffer(buf, dtype=np.uint8) if buf is not None else np.zeros(0, np.uint8)
        return data, offsets, issues
    chunks: list[bytes] = []
    for i, s in enumerate(arr.to_pylist()):
        try:
            if "\n" in s:
                raise UnicodeEncodeError("latin-1", s, 0, 1, "line break")
            chunks.append(s.encode("latin-1"))
        except UnicodeEncodeError:
            issues.append(
                cell_issue(file, line_numbers(index, [i])[0], "extra", s, "latin-1 text without line breaks", None)
            )
            chunks.append(b"")
    offsets = np.concatenate(([0], np.cumsum([len(c) for c in chunks], dtype=np.int64))).astype(np.int64)
    return np.frombuffer(b"".join(chunks), dtype=np.uint8), offsets, issues


def patch_unparsed(block: U8, frame: pd.DataFrame, lay: Layout, unparsed: pd.DataFrame | None) -> None:
    """Put raw unparsed cells back where the frame still holds a missing value."""
    if unparsed is None or unparsed.empty:
        return
    positions = frame.index.get_indexer(pd.Index(unparsed["row"].to_numpy()))
    for name, group in unparsed.assign(_pos=positions).groupby("field", sort=False):
        if name not in lay.names or name not in frame.columns:
            continue
        field = lay.field(str(name))
        group = group[group["_pos"] >= 0]
        pos = group["_pos"].to_numpy()
        still_missing = np.asarray(frame[str(name)].isna().to_numpy()[pos], dtype=bool)
        for p, text in zip(pos[still_missing].tolist(), group["text"][still_missing].tolist(), strict=True):
            raw = str(text).encode("latin-1", errors="replace")
            if len(raw) == field.length:
                block[p, field.offset : field.stop] = np.frombuffer(raw, dtype=np.uint8)


def put(out: U8, field: Field, cells: U8) -> None:
    """``out[:, field columns] = cells`` through a structured view: one item per row, not a strided 2-D copy."""
    n, w = cells.shape
    if n == 0:
        return
    item = np.dtype({"names": ["f"], "formats": [f"V{w}"], "offsets": [field.offset], "itemsize": out.shape[1]})
    out.reshape(-1).view(item)["f"] = np.ascontiguousarray(cells).reshape(-1).view(f"V{w}")


def unreadable_characters(cells: U8, values: pd.Series, known: set[int]) -> list[CellProblem]:
    """Cells holding a byte the reader refuses (outside printable ASCII 0x20-0x7E: a control character, DEL, an
    accented letter), each with its first such character's code point. Applied to frames built in memory only: a
    frame read from a file keeps its bytes for the byte-exact round trip (and was reported NAT-CHARSET when read),
    but a value of the caller's written into a new file would be an error of the file we wrote."""
    bad = ((cells < 0x20) | (cells > 0x7E)).any(axis=1)
    out = []
    for row in np.flatnonzero(bad).tolist():
        if row in known:
            continue
        at = int(np.flatnonzero((cells[row] < 0x20) | (cells[row] > 0x7E))[0])
        code = int(cells[row, at])
        out.append(
            CellProblem(
                row,
                str(values.iat[row]),
                f"printable ASCII, as a NAT file holds (U+{code:04X} at character {at + 1} is not; a read reports "
                "it as NAT-CHARSET): replace or transliterate it",
            )
        )
    return out
