"""Columnar frames → NAT file bytes, vectorised, exact widths, and never a silent truncation.

Every cell is encoded by :mod:`avetmiss_finalise.nat.codec` into an ``(n, width)`` byte matrix; the records are
then laid out with their terminators in one more array operation. A value that cannot be written exactly (too
long, a non-digit in an N field, a character outside latin-1, a line break) raises :class:`WriteError` whose
``issues`` locate every bad cell. Written back with its :class:`FileMeta` (line endings, BOM, final newline,
original record lengths) and unparsed cells, a collection that was read gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.errors import UsageError, UsageTypeError, WriteError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.nat.codec import U8, CellProblem, encode_field
from avetmiss_finalise.nat.collection import Collection, FileMeta
from avetmiss_finalise.nat.layouts import Field, Layout
from avetmiss_finalise.nat.parse import BOM
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.staging import check_name, write_files

__all__ = [
    "HIDDEN",
    "WRITE_RULE",
    "Width",
    "encode_frame",
    "patch_unparsed",
    "shown_cell",
    "write_collection",
    "write_frame",
]

Width = Literal["full", "national", "national-cut"]
"""``full``: the profile's record (+ extra); ``national``: the national record, refusing to drop non-blank state
fields; ``national-cut``: the national record, dropping state fields and extras deliberately."""
PathLike = str | os.PathLike[str]

#: Rule ID of the Issues carried by a WriteError.
WRITE_RULE = "NAT-WRITE"

_CHUNK = 1 << 22


def _line_numbers(index: pd.Index, rows: Sequence[int]) -> list[int]:
    if pd.api.types.is_integer_dtype(index.dtype):
        return [int(index[r]) + 1 for r in rows]
    return [r + 1 for r in rows]


#: What a personal value is shown as in a WriteError message (the caller has the data; logs of the error must not).
#: ``Issue.value`` still holds it, for a caller that asks to see it (``convert --show-personal-data``).
HIDDEN = "<personal data hidden>"


def shown_cell(value: object, personal: bool) -> str:
    """A cell for a write error: hidden when personal, cut when long (a 5 MB identifier is not a message)."""
    if personal:
        return HIDDEN
    text = value if isinstance(value, str) else str(value)
    return repr(value) if len(text) <= 80 else f"{text[:60]!r}… ({len(text):,} characters)"


def _issue(
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


def _non_text_cells(values: pd.Series, field: Field) -> tuple[pd.Series, list[CellProblem]]:
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


def _string_bytes(values: pd.Series, file: str, index: pd.Index) -> tuple[U8, npt.NDArray[np.int64], list[Issue]]:
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
                _issue(file, _line_numbers(index, [i])[0], "extra", s, "latin-1 text without line breaks", None)
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


def _put(out: U8, field: Field, cells: U8) -> None:
    """``out[:, field columns] = cells`` through a structured view: one item per row, not a strided 2-D copy."""
    n, w = cells.shape
    if n == 0:
        return
    item = np.dtype({"names": ["f"], "formats": [f"V{w}"], "offsets": [field.offset], "itemsize": out.shape[1]})
    out.reshape(-1).view(item)["f"] = np.ascontiguousarray(cells).reshape(-1).view(f"V{w}")


def encode_frame(
    frame: pd.DataFrame,
    file_id: str,
    profile: str | Profile = "national",
    *,
    width: Width = "full",
    line_ending: str | None = None,
    final_newline: bool | None = None,
    meta: FileMeta | None = None,
    unparsed: pd.DataFrame | None = None,
) -> bytes:
    """The bytes of ``file_id`` holding ``frame``'s records under ``profile``.

    ``line_ending``/``final_newline`` default to ``meta``'s (as read), else CR LF after every record. ``width``
    ``"full"`` writes the profile's full record plus any ``extra``; ``"national"`` cuts at the national length
    and refuses (``WriteError``) when that would drop a non-blank state field or ``extra``; ``"national-cut"``
    drops them deliberately.
    """
    parts = _encode_parts(frame, file_id, profile, width, line_ending, final_newline, meta, unparsed)
    return b"".join(parts)


def _encode_parts(
    frame: pd.DataFrame,
    file_id: str,
    profile: str | Profile,
    width: Width,
    line_ending: str | None,
    final_newline: bool | None,
    meta: FileMeta | None,
    unparsed: pd.DataFrame | None,
) -> list[bytes | memoryview]:
    """The file as buffers to write in order (no copy of the record matrix in the usual case)."""
    prof = get_profile(profile)
    lay = prof.layout(file_id)
    if width not in ("full", "national", "national-cut"):
        raise UsageError(f"width must be 'full', 'national' or 'national-cut', not {width!r}")
    name = meta.name if meta else f"{file_id}.txt"
    n = len(frame)
    issues: list[Issue] = []
    unknown = [c for c in frame.columns if c not in lay.names and c != "extra"]
    for col in unknown:
        issues.append(
            Issue(
                rule_id=WRITE_RULE,
                severity=Severity.ERROR,
                message=f"column {col!r} is not a field of {file_id} under profile {prof.name}; it would be lost",
                file=name,
                field=str(col),
            )
        )
    if meta is not None and meta.cut_records:
        issues.append(_cut_issue(name, meta.cut_records))
    eol = line_ending if line_ending is not None else (meta.line_ending if meta else "\r\n")
    if eol not in ("\r\n", "\n"):
        raise UsageError(f"line_ending must be '\\r\\n' or '\\n', not {eol!r}")
    out = np.empty((n, lay.width + len(eol)), dtype=np.uint8)
    block = out[:, : lay.width]
    for field in lay.fields:
        if field.name not in frame.columns:
            block[:, field.offset : field.stop] = 0x20
            continue
        zero_fill = (file_id, field.name) in prof.zero_filled_fields
        values, refused = _non_text_cells(frame[field.name], field)
        cells, problems = encode_field(values, field, zero_fill=zero_fill)
        _put(out, field, cells)
        if meta is None:  # built in memory, not read: nothing to keep byte for byte, so only what a read accepts
            problems += _unreadable_characters(cells, values, {p.row for p in [*refused, *problems]})
        problems = sorted([*refused, *problems], key=lambda p: p.row)
        lines = _line_numbers(frame.index, [p.row for p in problems])
        issues += [
            _issue(name, line, field.name, p.value, p.expected, field.columns, field.personal)
            for line, p in zip(lines, problems, strict=True)
        ]
    patch_unparsed(block, frame, lay, unparsed)
    if width == "national":
        issues += _cut_by_national_width(block, frame, lay, name)
    if width != "full" or "extra" not in frame.columns:
        extra, extra_off = np.zeros(0, np.uint8), np.zeros(n + 1, np.int64)
    else:
        extra, extra_off, extra_issues = _string_bytes(frame["extra"], name, frame.index)
        issues += extra_issues
    if issues:
        shown = "; ".join(str(i) for i in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        raise WriteError(f"{len(issues)} value(s) of {file_id} cannot be written exactly: {shown}{more}", tuple(issues))
    return _layout_records(out, lay, width, extra, extra_off, eol, line_ending is None, final_newline, meta)


def _unreadable_characters(cells: U8, values: pd.Series, known: set[int]) -> list[CellProblem]:
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


def _cut_issue(name: str, rows: tuple[int, ...]) -> Issue:
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


def _cut_by_national_width(block: U8, frame: pd.DataFrame, lay: Layout, name: str) -> list[Issue]:
    """``width="national"`` must not silently drop data: every non-blank state field (or ``extra``) is an Issue."""
    issues: list[Issue] = []
    for field in lay.fields:
        if field.stop <= lay.national_length:
            continue
        rows = np.flatnonzero((block[:, field.offset : field.stop] != 0x20).any(axis=1))
        if rows.size == 0:
            continue
        lines = _line_numbers(frame.index, [int(r) for r in rows])
        for line, row in zip(lines, rows, strict=True):
            value = bytes(block[row, field.offset : field.stop]).decode("latin-1").rstrip()
            issues.append(
                _issue(
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
        lines = _line_numbers(frame.index, [int(r) for r in rows])
        issues += [
            _issue(
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


def _layout_records(
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


def write_frame(
    frame: pd.DataFrame,
    file_id: str,
    path: PathLike | BinaryIO,
    profile: str | Profile = "national",
    **options: object,
) -> None:
    """Write ``frame`` as NAT file ``file_id`` to ``path`` (a path or binary stream); see :func:`encode_frame`."""
    parts = _encode_parts(
        frame,
        file_id,
        profile,
        options.pop("width", "full"),  # type: ignore[arg-type]
        options.pop("line_ending", None),  # type: ignore[arg-type]
        options.pop("final_newline", None),  # type: ignore[arg-type]
        options.pop("meta", None),  # type: ignore[arg-type]
        options.pop("unparsed", None),  # type: ignore[arg-type]
    )
    if options:
        raise UsageError(f"unknown write_frame option(s): {', '.join(options)}")
    if hasattr(path, "write"):
        for part in parts:
            path.write(part)
        return
    target = Path(path)
    write_files(target.parent, {target.name: parts})


def write_collection(
    collection: Collection,
    out_dir: PathLike,
    *,
    width: Width = "full",
    line_ending: str | None = None,
    files: Iterable[str] | None = None,
) -> list[Path]:
    """Write every (or each of ``files``) frame of ``collection`` into ``out_dir``; returns the paths written.

    Files keep the names they were read under (``NAT00120.txt`` for frames built in memory), their line endings
    (unless ``line_ending`` is given), BOM, final newline, short records and unparsed cells. All or nothing
    (:func:`avetmiss_finalise.staging.write_files`): every file is encoded first, then all are written to
    temporary files and moved into place together; a value that cannot be written raises ``WriteError``, a
    target that cannot be written (a symlink, a folder of that name, disk full) ``OutputError``, and then
    ``out_dir`` is exactly as it was.
    """
    if not isinstance(collection, Collection):
        raise UsageTypeError(f"write_collection expects a Collection, not {type(collection).__name__}")
    wanted = list(collection.frames) if files is None else [f.upper() for f in files]
    errors: list[Issue] = []
    encoded: dict[str, list[bytes | memoryview]] = {}
    for fid in wanted:
        if fid not in collection.frames:
            raise UsageError(f"{fid} is not in the collection; it has {', '.join(collection.frames) or 'no files'}")
        meta = collection.meta.get(fid)
        try:
            parts = _encode_parts(
                collection.frames[fid],
                fid,
                collection.profile,
                width,
                line_ending,
                None,
                meta,
                collection.unparsed.get(fid),
            )
        except WriteError as exc:
            errors.extend(i for i in exc.issues if isinstance(i, Issue))
            continue
        encoded[check_name(os.path.basename(meta.name) if meta else f"{fid}.txt")] = parts
    if errors:
        shown = "; ".join(str(i) for i in errors[:5]) + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else "")
        message = f"{len(errors)} value(s) cannot be written exactly; nothing was written: {shown}"
        raise WriteError(message, tuple(errors))
    return write_files(out_dir, encoded)
