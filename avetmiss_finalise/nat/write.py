"""Columnar frames → NAT file bytes, vectorised, exact widths, and never a silent truncation.

Every cell is judged by :mod:`.writable` and encoded by :mod:`avetmiss_finalise.nat.codec` into an ``(n, width)``
byte matrix; :mod:`.record_lines` then lays the records out with their terminators in one more array operation. A
value that cannot be written exactly (too long, a non-digit in an N field, a character outside latin-1, a line
break) raises :class:`WriteError` whose ``issues`` locate every bad cell. Written back with its :class:`FileMeta`
(line endings, BOM, final newline, original record lengths) and unparsed cells, a collection that was read gives
the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from avetmiss_finalise.errors import UsageError, UsageTypeError, WriteError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.nat.codec import encode_field
from avetmiss_finalise.nat.collection import Collection, FileMeta
from avetmiss_finalise.nat.record_lines import Width, cut_by_national_width, cut_issue, layout_records
from avetmiss_finalise.nat.writable import (
    HIDDEN,
    WRITE_RULE,
    cell_issue,
    line_numbers,
    non_text_cells,
    patch_unparsed,
    put,
    shown_cell,
    string_bytes,
    unreadable_characters,
)
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

PathLike = str | os.PathLike[str]


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
        issues.append(cut_issue(name, meta.cut_records))
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
        values, refused = non_text_cells(frame[field.name], field)
        cells, problems = encode_field(values, field, zero_fill=zero_fill)
        put(out, field, cells)
        if meta is None:  # built in memory, not read: nothing to keep byte for byte, so only what a read accepts
            problems += unreadable_characters(cells, values, {p.row for p in [*refused, *problems]})
        problems = sorted([*refused, *problems], key=lambda p: p.row)
        lines = line_numbers(frame.index, [p.row for p in problems])
        issues += [
            cell_issue(name, line, field.name, p.value, p.expected, field.columns, field.personal)
            for line, p in zip(lines, problems, strict=True)
        ]
    patch_unparsed(block, frame, lay, unparsed)
    if width == "national":
        issues += cut_by_national_width(block, frame, lay, name)
    if width != "full" or "extra" not in frame.columns:
        extra, extra_off = np.zeros(0, np.uint8), np.zeros(n + 1, np.int64)
    else:
        extra, extra_off, extra_issues = string_bytes(frame["extra"], name, frame.index)
        issues += extra_issues
    if issues:
        shown = "; ".join(str(i) for i in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        raise WriteError(f"{len(issues)} value(s) of {file_id} cannot be written exactly: {shown}{more}", tuple(issues))
    return layout_records(out, lay, width, extra, extra_off, eol, line_ending is None, final_newline, meta)


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
