"""Encoded records laid out as the bytes of a NAT file: record lengths, terminators, BOM, ``extra`` text.

Split from :mod:`avetmiss_finalise.nat.write` by concept: given the ``(n, width)`` byte matrix of the encoded
fields, this module writes each record's terminator (CR LF or LF, as read or as asked), keeps short records and
``extra`` text of a file that was read, and refuses to cut a state field silently (``width="national"``). The
usual file of equal records needs no copy: the terminators go into the matrix's spare columns.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.nat.codec import U8
from avetmiss_finalise.nat.collection import FileMeta
from avetmiss_finalise.nat.layouts import Layout
from avetmiss_finalise.nat.parse import BOM
from avetmiss_finalise.nat.writable import WRITE_RULE, cell_issue, line_numbers

__all__ = ["Width", "cut_by_national_width", "cut_issue", "layout_records"]

Width = Literal["full", "national", "national-cut"]
"""``full``: the profile's record (+ extra); ``national``: the national record, refusing to drop non-blank state
fields; ``national-cut``: the national record, dropping state fields and extras deliberately."""

_CHUNK = 1 << 22


def cut_issue(name: str, rows: tuple[int, ...]) -> Issue:
    """A file whose over-long records were cut when read (NAT-LONG-RECORD) cannot be written back as it was."""
    lines = ", ".join(str(r + 1) for r in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
    return Issue(
        rule_id=WRITE_RULE,
        severity=Severity.ERROR,
        message=f"line(s) {lines} were longer than the record-length limit when read and were cut (NAT-LONG-RECORD);"
        " writing the file back would lose their characters (read it again with a higher --max-record-length)",
        file=name,
        line=rows[0] + 1,
    )


def cut_by_national_width(block: U8, frame: pd.DataFrame, lay: Layout, name: str) -> list[Issue]:
    """``width="national"`` must not silently drop data: every non-blank state field (or ``extra``) is an Issue."""
    issues: list[Issue] = []
    for field in lay.fields:
        if field.stop <= lay.national_length:
            continue
        rows = np.flatnonzero((block[:, field.offset : field.stop] != 0x20).any(axis=1))
        if rows.size == 0:
            continue
        lines = line_numbers(frame.index, [int(r) for r in rows])
        for line, row in zip(lines, rows, strict=True):
            value = bytes(block[row, field.offset : field.stop]).decode("latin-1").rstrip()
            issues.append(
                cell_issue(
                    name,
                    line,
                    field.name,
                    value,
                    "blank: width='national' would cut this state field (width='national-cut' drops it)",
                    field.columns,
                )
            )
    if "extra" in frame.columns:
        has_extra = frame["extra"].notna().to_numpy() & (frame["extra"].astype("string").fillna("") != "").to_numpy()
        rows = np.flatnonzero(has_extra)
        lines = line_numbers(frame.index, [int(r) for r in rows])
        issues += [
            cell_issue(
                name,
                line,
                "extra",
                str(frame["extra"].iloc[int(r)]),
                "no characters past the record: width='national' would cut them",
                None,
            )
            for line, r in zip(lines, rows, strict=True)
        ]
    return issues


def _row_lengths(
    block: U8, lay: Layout, extra_len: npt.NDArray[np.int64], meta: FileMeta | None
) -> npt.NDArray[np.int64]:
    n = block.shape[0]
    lengths = lay.width + extra_len
    original = meta.record_lengths if meta is not None else None
    if original is None or len(original) != n:
        return lengths
    rows = np.flatnonzero((original < lay.width) & (extra_len == 0))
    if rows.size:
        sub = block[rows] != 0x20
        last = lay.width - np.argmax(sub[:, ::-1], axis=1)
        last[~sub.any(axis=1)] = 0
        keep = last <= original[rows]
        lengths[rows[keep]] = original[rows[keep]]
    return lengths


def layout_records(
    out: U8,
    lay: Layout,
    width: Width,
    extra: U8,
    extra_off: npt.NDArray[np.int64],
    eol: str,
    as_read: bool,
    final_newline: bool | None,
    meta: FileMeta | None,
) -> list[bytes | memoryview]:
    """Lay out the records of ``out[:, :lay.width]`` (``out`` has ``len(eol)`` spare columns for terminators)."""
    n = out.shape[0]
    block = out[:, : lay.width]
    final = final_newline if final_newline is not None else (meta.final_newline if meta else True)
    bom = BOM if meta is not None and meta.bom else b""
    if n == 0:
        return [bom]
    crlf = np.full(n, eol == "\r\n", dtype=bool)
    if as_read and meta is not None and meta.crlf is not None and len(meta.crlf) == n:
        crlf = meta.crlf.astype(bool)
    if width != "full":
        lengths = np.full(n, lay.national_length, dtype=np.int64)
        block = block[:, : lay.national_length]
    else:
        lengths = _row_lengths(block, lay, np.diff(extra_off), meta)
    eol_len = 1 + crlf.astype(np.int64)
    if not final:
        eol_len[-1] = 0
    terminated = eol_len if final else eol_len[:-1]
    uniform = bool((lengths == lengths[0]).all() and (terminated == eol_len[0]).all())
    e = len(eol)
    if uniform and int(lengths[0]) == lay.width and ((n == 1 and not final) or int(eol_len[0]) == e):
        if e == 2:
            out[:, lay.width] = 0x0D
        out[:, lay.width + e - 1] = 0x0A
        flat = out.reshape(-1)
        return [bom, (flat if final else flat[:-e]).data]
    return [bom, _ragged(block, lengths, eol_len, crlf, extra, extra_off)]


def _ragged(
    block: U8,
    lengths: npt.NDArray[np.int64],
    eol_len: npt.NDArray[np.int64],
    crlf: npt.NDArray[np.bool_],
    extra: U8,
    extra_off: npt.NDArray[np.int64],
) -> bytes:
    """Records of differing lengths and terminators, laid out chunk by chunk."""
    n, w = block.shape
    parts: list[bytes] = []
    lo = 0
    while lo < n:
        width_guess = int(lengths[lo]) + 2
        hi = min(n, lo + max(1, _CHUNK // max(width_guess, 1)))
        ln, el = lengths[lo:hi], eol_len[lo:hi]
        m = hi - lo
        cols = int((ln + el).max())
        out = np.full((m, max(cols, w)), 0x20, dtype=np.uint8)
        out[:, :w] = block[lo:hi]
        ex_len = np.diff(extra_off[lo : hi + 1])
        rows = np.flatnonzero(ex_len)
        if rows.size:
            total = int(ex_len.sum())
            starts = extra_off[lo:hi][rows]
            rel = np.concatenate(([0], np.cumsum(ex_len[rows])))[:-1]
            within = np.arange(total, dtype=np.int64) - np.repeat(rel, ex_len[rows])
            r_idx = np.repeat(rows, ex_len[rows])
            out[r_idx, w + within] = extra[np.repeat(starts, ex_len[rows]) + within]
        r = np.arange(m)
        has_cr = crlf[lo:hi] & (el == 2)
        out[r[has_cr], ln[has_cr]] = 0x0D
        has_lf = el > 0
        out[r[has_lf], (ln + el - 1)[has_lf]] = 0x0A
        mask = np.arange(out.shape[1])[None, :] < (ln + el)[:, None]
        parts.append(out[mask].tobytes())
        lo = hi
    return b"".join(parts)
