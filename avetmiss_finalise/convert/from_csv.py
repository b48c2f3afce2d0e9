"""CSV → NAT: ``NAT000nn.csv`` files (and their sidecar) back into NAT files, byte-exact, never dropping data.

A column that is not a field of the file (renamed, added, another profile's), a value that does not fit, or an A
code that lost its leading zeros in a spreadsheet is refused with every problem located by CSV file, row and
column (:mod:`.csv_codes`), and then no file is written. Values of personal fields are masked in the messages as
``validate`` masks them, unless asked for.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.convert.csv_codes import in_csv, kept_as_is, leading_zeros
from avetmiss_finalise.convert.sidecar import META_NAME, Sidecar, read_sidecar
from avetmiss_finalise.csvsafe import restore_frame
from avetmiss_finalise.errors import UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.inputs import read_regular
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.nat.codec import STRING_DTYPE
from avetmiss_finalise.nat.collection import FileMeta, empty_unparsed
from avetmiss_finalise.nat.layouts import FILE_IDS, Layout
from avetmiss_finalise.nat.write import HIDDEN, encode_frame, shown_cell
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.staging import write_files
from avetmiss_finalise.validation.report import MASK, personal_fields

__all__ = ["csv_file_id", "csv_to_nat", "is_csv_source"]


def _frame_from_csv(table: pd.DataFrame, fid: str, prof: Profile) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CSV text columns → a frame the writer accepts, plus the raw cells to patch back."""
    lay = prof.layout(fid)
    columns: dict[str, Any] = {}
    raw_parts = []
    for field in lay.fields:
        text = table[field.name] if field.name in table.columns else pd.Series([""] * len(table), dtype=object)
        text = text.astype(object)
        blank = text == ""
        if field.role == "date":
            iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)  # as written, not 2026-1-1
            parsed = pd.to_datetime(text.where(iso, None), format="%Y-%m-%d", errors="coerce")
            rawmask = ~blank & parsed.isna() & (text.str.len() == field.length)
            values: Any = parsed.astype("datetime64[s]")
            bad = ~blank & parsed.isna() & ~rawmask
            if bad.any():
                values = text.where(~blank & ~rawmask, None)  # let the writer locate the bad cells
        elif field.kind == "N":
            pattern = rf"^(\d{{0,{field.length}}}|@{{{field.length}}})$"
            ok = text.str.match(pattern)
            rawmask = ~blank & ~ok & (text.str.len() == field.length)
            values = text.where(~blank & ~rawmask, None).astype(STRING_DTYPE)
        else:
            rawmask = pd.Series(False, index=text.index)
            values = text.where(~blank, None).astype(STRING_DTYPE)
        columns[field.name] = values
        if rawmask.any():
            rows = np.flatnonzero(rawmask.to_numpy())
            raw_parts.append(
                pd.DataFrame(
                    {"row": rows.astype(np.int64), "field": field.name, "text": text.iloc[rows].to_numpy(dtype=object)}
                )
            )
    if "extra" in table.columns:
        extra = table["extra"].astype(object)
        columns["extra"] = extra.where(extra != "", None).astype(STRING_DTYPE)
    for name in table.columns:
        if name not in columns:  # a renamed or added column: the writer refuses it rather than lose its values
            columns[name] = table[name].astype(object)
    raw = pd.concat(raw_parts, ignore_index=True) if raw_parts else empty_unparsed()
    return pd.DataFrame(columns, index=pd.RangeIndex(len(table))), raw


def _read_csv(path: Path, limits: Limits) -> pd.DataFrame:
    raw = read_regular(path, limits.max_file_bytes)
    try:
        # pandas 2's C parser ends a quoted value at a NUL byte (the rest of the cell is lost); the Python parser
        # keeps it. NUL is rare, so the fast parser reads every other file. The Python parser fills the cells a
        # short row lacks with NaN even with keep_default_na=False (the C parser gives ""): blank them as it does.
        if b"\x00" in raw:
            table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8", engine="python")
            return table.fillna("")
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise UnreadableInputError(f"cannot read {path} as a UTF-8 CSV file: {exc}") from None


def _masked(issue: object, fid: str, profile: Profile, show: bool) -> object:
    """``issue`` with the value of a personal field (and of extra, in files holding personal fields) masked, as
    ``validate`` masks it, unless ``show``."""
    if not isinstance(issue, Issue) or issue.value is None:
        return issue
    if show:  # the writer hides personal values in its messages; shown on request
        return attrs.evolve(issue, message=issue.message.replace(HIDDEN, shown_cell(issue.value, False)))
    personal = personal_fields(profile.name)
    holds_personal = any(f == fid for f, _ in personal)
    if (fid, issue.field) not in personal and not (issue.field == "extra" and holds_personal):
        return issue
    return attrs.evolve(issue, value=MASK, message=issue.message.replace(repr(issue.value), MASK))


def _csv_sources(src: Path, sidecar: Sidecar | None) -> tuple[list[tuple[str, Path]], list[str]]:
    """(file id, CSV path) pairs to convert, and notes on CSV files left out (not listed in the sidecar)."""
    if not src.is_dir():
        fid = csv_file_id(src)
        if fid is None:
            raise UsageError(f"{src.name} is not a NAT file's CSV; name it after the file, e.g. NAT00120.csv")
        if sidecar is not None and fid not in sidecar.files:
            raise UsageError(f"{src.name} is not listed in {src.parent / META_NAME}; it was not made with it")
        return [(fid, src)], []
    found = {}
    for p in sorted(src.iterdir()):
        fid = csv_file_id(p)
        if fid is not None:
            found[fid] = p
    if sidecar is None:
        return sorted(found.items(), key=lambda kv: FILE_IDS.index(kv[0])), []
    missing = [fid for fid in sidecar.files if fid not in found]
    if missing:
        raise UsageError(
            f"{src / META_NAME} lists {', '.join(missing)} but {', '.join(f + '.csv' for f in missing)} is missing;"
            " nothing written"
        )
    notes = [
        f"{p.name} is not listed in {META_NAME} (left over from another conversion?); not converted"
        for fid, p in found.items()
        if fid not in sidecar.files
    ]
    return [(fid, found[fid]) for fid in sidecar.files], notes


def _lengths_problem(meta: FileMeta | None, rows: int, fid: str) -> str | None:
    for key, values in (
        ("record_lengths", None if meta is None else meta.record_lengths),
        ("crlf", None if meta is None else meta.crlf),
    ):
        if values is not None and len(values) != rows:
            return f"{META_NAME}: files.{fid}.{key}: {len(values)} entries for {rows} rows of {fid}.csv"
    return None


def _leading_zero_check(
    table: pd.DataFrame, lay: Layout, name: str, errors: list[object], notes: list[str] | None
) -> None:
    """Codes that lost their leading zeros in a spreadsheet (:mod:`.csv_codes`): refused ones (A fields) join
    ``errors``, the others (N fields, written zero-filled) become warnings in ``notes``, one line per cell."""
    for problem in leading_zeros(table, lay, name):
        if problem.refused:
            errors.append(problem.issue())
        elif notes is not None:
            notes.append(f"warning: {problem}")


def csv_to_nat(
    src: Path,
    dest: Path,
    profile: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    csv_safe: bool = False,
    show_personal_data: bool = False,
    notes: list[str] | None = None,
) -> list[Path]:
    """Convert ``NAT000nn.csv`` files (and their sidecar) back into NAT files in ``dest``, all or nothing.

    With a sidecar, exactly the files it lists are converted (others are named in ``notes``). Every file is
    encoded before any is written: a value that cannot be written exactly, a column that is not a field of the
    file (renamed, added, or from another profile), or an A code that lost its leading zeros in a spreadsheet
    raises ``WriteError`` (one problem per line) and writes nothing; values of personal fields are masked in its
    messages unless ``show_personal_data``. An N code that lost them is written zero-filled, with a warning in
    ``notes`` per cell. Every per-field problem is located by CSV file, row and column (:mod:`.csv_codes`).
    """
    folder = src if src.is_dir() else src.parent
    sidecar = read_sidecar(folder, limits)
    sources, left_out = _csv_sources(src, sidecar)
    if notes is not None:
        notes += left_out
    prof = get_profile(profile or (sidecar.profile if sidecar else "national"))
    restore = sidecar.csv_safe if sidecar is not None else csv_safe
    encoded: dict[str, bytes] = {}
    errors: list[object] = []
    for fid, path in sources:
        table = _read_csv(path, limits)
        if restore:
            table = restore_frame(table)
        _leading_zero_check(table, prof.layout(fid), path.name, errors, notes)
        frame, raw = _frame_from_csv(table, fid, prof)
        if notes is not None:
            notes += [f"warning: {w}" for w in kept_as_is(raw, prof.layout(fid), list(table.columns), path.name)]
        meta = sidecar.files.get(fid) if sidecar is not None else None
        problem = _lengths_problem(meta, len(frame), fid)
        if problem:
            errors.append(problem)
            continue
        try:
            data = encode_frame(frame, fid, prof, meta=meta, unparsed=raw)
        except WriteError as exc:  # located by NAT record: put back at the CSV cells the values came from
            lay = prof.layout(fid)
            errors.extend(
                in_csv(_masked(i, fid, prof, show_personal_data), lay, list(table.columns), path.name)
                for i in exc.issues
            )
            continue
        encoded[meta.name if meta else f"{fid}.txt"] = data
    if errors:
        shown = "\n".join(f"  {i}" for i in errors[:_SHOWN])
        more = f"\n  (and {len(errors) - _SHOWN} more)" if len(errors) > _SHOWN else ""
        raise WriteError(f"{len(errors)} problem(s); nothing was written:\n{shown}{more}", tuple(errors))
    return write_files(dest, encoded)


#: Problems listed in a refused conversion's message, one per line (``WriteError.issues`` has them all).
_SHOWN = 50


def csv_file_id(path: Path) -> str | None:
    """``NAT00120`` for ``NAT00120.csv`` (any case), else ``None``."""
    m = re.fullmatch(r"(NAT\d{5}A?)\.csv", path.name, re.IGNORECASE)
    fid = m.group(1).upper() if m else None
    return fid if fid in FILE_IDS else None


def is_csv_source(src: Path) -> bool:
    """CSV → NAT for a ``.csv`` file or a directory holding the sidecar or a ``NAT000nn.csv`` (not any CSV: a
    directory of NAT files with a stray ``summary.csv`` is still NAT input)."""
    if src.is_dir():
        return (src / META_NAME).is_file() or any(csv_file_id(p) for p in src.iterdir() if p.is_file())
    return src.suffix.lower() == ".csv"
