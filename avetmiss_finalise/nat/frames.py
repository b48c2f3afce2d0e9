"""Record view ⇄ columnar view, and records ⇄ NAT lines.

Records (:mod:`avetmiss_finalise.nat.records`) hold the 8.0 national + common fields; whatever a profile's layout
adds after the common record (state tails) travels verbatim in ``extra``, and cells that could not be parsed in
``unparsed``. Converting records to a frame goes through the same bytes the writer would produce, so both views
always agree on every character.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from avetmiss_finalise.errors import UsageError, WriteError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.nat.codec import CellError, encode_field, format_value
from avetmiss_finalise.nat.layouts import Field, base_layout
from avetmiss_finalise.nat.parse import parse_bytes
from avetmiss_finalise.nat.records import RECORD_CLASSES, NatRecord
from avetmiss_finalise.nat.write import WRITE_RULE, patch_unparsed, shown_cell
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.staging import write_files

__all__ = ["frame_from_records", "line_and_issues", "record_line", "records_from_frame", "write_records"]

PathLike = str | os.PathLike[str]


def _common_fields(file_id: str, prof: Profile) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """(record fields written under ``prof``, record fields its layout cuts off)."""
    width = prof.layout(file_id).width
    base = base_layout(file_id).fields
    return tuple(f for f in base if f.stop <= width), tuple(f for f in base if f.stop > width)


#: (file id, profile) → (profile, fields written with their zero-fill flag, fields cut off): what every record of
#: a file needs, worked out once (the profile is held so its id cannot be reused while the entry exists).
_PLANS: dict[tuple[str, int], tuple[Profile, tuple[tuple[Field, bool], ...], tuple[Field, ...]]] = {}


def _plan(fid: str, prof: Profile) -> tuple[tuple[tuple[Field, bool], ...], tuple[Field, ...]]:
    entry = _PLANS.get((fid, id(prof)))
    if entry is None or entry[0] is not prof:
        kept, cut = _common_fields(fid, prof)
        entry = (prof, tuple((f, (fid, f.name) in prof.zero_filled_fields) for f in kept), cut)
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[(fid, id(prof))] = entry
    return entry[1], entry[2]


def _line_issues(record: NatRecord, prof: Profile, line: int) -> tuple[str, list[Issue]]:
    fid = record.file_id
    kept, cut = _plan(fid, prof)
    parts: list[str] = []
    issues: list[Issue] = []
    name = f"{fid}.txt"
    unparsed = record.unparsed
    for field, zero_fill in kept:
        value = getattr(record, field.name)
        raw = unparsed.get(field.name) if unparsed else None
        if value is None and raw is not None and len(raw) == field.length:
            parts.append(raw)
            continue
        try:
            parts.append(format_value(field, value, zero_fill=zero_fill))
        except CellError as exc:
            parts.append(" " * field.length)
            issues.append(_issue(name, line, field, exc.value, exc.expected))
    for field in cut:
        if getattr(record, field.name) is not None:
            issues.append(_issue(name, line, field, getattr(record, field.name), f"blank under profile {prof.name}"))
    if "\n" in record.extra or any(ord(c) > 255 for c in record.extra):
        issues.append(
            Issue(
                rule_id=WRITE_RULE,
                severity=Severity.ERROR,
                message="extra must be latin-1 text without line breaks",
                file=name,
                line=line,
                field="extra",
                value=record.extra,
            )
        )
    text = "".join(parts) + record.extra
    return text.ljust(prof.layout(fid).width), issues


def _issue(file: str, line: int, field: Field, value: object, expected: str) -> Issue:
    return Issue(
        rule_id=WRITE_RULE,
        severity=Severity.ERROR,
        message=f"cannot write {shown_cell(value, field.personal)}: expected {expected}",
        file=file,
        line=line,
        columns=field.columns,
        field=field.name,
        value=str(value),
    )


def line_and_issues(record: NatRecord, profile: str | Profile = "national", line: int = 1) -> tuple[str, list[Issue]]:
    """``record``'s NAT line and every value in it that cannot be written exactly (located at ``line``): one pass
    that both checks and formats, for callers that decide per record what to do with the unwritable ones."""
    return _line_issues(record, get_profile(profile), line)


def record_line(record: NatRecord, profile: str | Profile = "national") -> str:
    """``record`` as one NAT line (no terminator); raises WriteError rather than truncate."""
    text, issues = _line_issues(record, get_profile(profile), 1)
    if issues:
        raise WriteError(f"{record.file_id} record cannot be written exactly: {issues[0]}", tuple(issues))
    return text


def _lines(records: Sequence[NatRecord], prof: Profile) -> tuple[str | None, list[str]]:
    kinds = {type(r) for r in records}
    if len(kinds) > 1:
        raise UsageError(f"records of one NAT file expected, got {', '.join(sorted(k.__name__ for k in kinds))}")
    lines, issues = [], []
    for i, record in enumerate(records):
        text, found = _line_issues(record, prof, i + 1)
        lines.append(text)
        issues += found
    if issues:
        raise WriteError(f"{len(issues)} value(s) cannot be written exactly: {issues[0]}", tuple(issues))
    return (records[0].file_id if records else None), lines


def write_records(
    records: Iterable[NatRecord],
    path_or_stream: PathLike | BinaryIO,
    profile: str | Profile = "national",
    *,
    line_ending: str = "\r\n",
    final_newline: bool = True,
) -> None:
    """Write records of one NAT file, one line each, terminated by ``line_ending`` (CR LF).

    A path is written atomically (a temporary file renamed into place; never through a symlink).
    """
    _, lines = _lines(list(records), get_profile(profile))
    text = line_ending.join(lines) + (line_ending if final_newline and lines else "")
    data = text.encode("latin-1")
    if hasattr(path_or_stream, "write"):
        path_or_stream.write(data)
    else:
        target = Path(path_or_stream)
        write_files(target.parent, {target.name: data})


def frame_from_records(records: Iterable[NatRecord], file_id: str, profile: str | Profile = "national") -> pd.DataFrame:
    """The columnar frame of ``records`` (state-tail text in ``extra`` is decoded into the profile's tail fields).

    Cells kept in a record's ``unparsed`` are missing in the frame, exactly as when the file is read.
    """
    prof = get_profile(profile)
    recs = list(records)
    cls = RECORD_CLASSES.get(file_id.upper())
    if cls is None:
        raise UsageError(f"unknown NAT file {file_id!r}")
    wrong = [type(r).__name__ for r in recs if not isinstance(r, cls)]
    if wrong:
        raise UsageError(f"frame_from_records({file_id}) got {wrong[0]} records")
    _, lines = _lines(recs, prof)
    data = "".join(line + "\r\n" for line in lines).encode("latin-1")
    return parse_bytes(data, cls.file_id, prof).frame


def _python(values: pd.Series) -> list[object]:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out: list[object] = []
        for v in values.tolist():
            out.append(None if v is None or v is pd.NaT or pd.isna(v) else datetime.date(v.year, v.month, v.day))
        return out
    return [
        None if v is pd.NA or v is None or (isinstance(v, float) and np.isnan(v)) else v
        for v in values.astype(object).tolist()
    ]


def records_from_frame(
    frame: pd.DataFrame,
    file_id: str,
    *,
    profile: str | Profile = "national",
    unparsed: pd.DataFrame | None = None,
) -> list[NatRecord]:
    """One record per row of ``frame``; profile tail fields and ``extra`` go, verbatim, into ``extra``."""
    fid = file_id.upper()
    if fid not in RECORD_CLASSES:
        raise UsageError(f"unknown NAT file {file_id!r}")
    prof = get_profile(profile)
    lay = prof.layout(fid)
    cls = RECORD_CLASSES[fid]
    n = len(frame)
    kept, _ = _common_fields(fid, prof)
    kept_end = kept[-1].stop if kept else 0
    columns = {f.name: _python(frame[f.name]) for f in kept if f.name in frame.columns}
    tail = tuple(f for f in lay.fields if f.offset >= kept_end)
    tails = [""] * n
    if tail:
        width = sum(f.length for f in tail)
        block = np.full((n, lay.width), 0x20, dtype=np.uint8)
        for f in tail:
            if f.name in frame.columns:
                cells, problems = encode_field(frame[f.name], f, zero_fill=(fid, f.name) in prof.zero_filled_fields)
                if problems:
                    raise WriteError(
                        f"{fid} {f.name} row {problems[0].row}: {problems[0].value!r} is not {problems[0].expected}"
                    )
                block[:, f.offset : f.stop] = cells
        patch_unparsed(block, frame, lay, unparsed)
        flat = block[:, kept_end : kept_end + width]
        tails = [bytes(row).decode("latin-1") for row in flat]
    extras = _python(frame["extra"]) if "extra" in frame.columns else [None] * n
    raw: list[dict[str, str]] = [{} for _ in range(n)]
    if unparsed is not None and not unparsed.empty:
        positions = frame.index.get_indexer(pd.Index(unparsed["row"].to_numpy()))
        names = {f.name for f in kept}
        for pos, name, text in zip(
            positions.tolist(), unparsed["field"].tolist(), unparsed["text"].tolist(), strict=True
        ):
            if pos >= 0 and name in names:
                raw[pos][str(name)] = str(text)
    out: list[NatRecord] = []
    keys = list(columns)
    cols = [columns[k] for k in keys]
    for i in range(n):
        extra = extras[i]
        text = tails[i] + extra if isinstance(extra, str) else tails[i].rstrip(" ")
        values = {k: c[i] for k, c in zip(keys, cols, strict=True)}
        out.append(cls(**values, extra=text, unparsed=raw[i]))  # type: ignore[arg-type]
    return out
