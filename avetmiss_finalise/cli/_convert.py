"""What ``avetmiss-finalise convert SRC DEST`` does (its command line is in convert_cmd.py, which imports this
module only when the command runs: pandas is not needed to build ``--help``): NAT ⇄ CSV, byte-exact both ways.

NAT → CSV writes one ``NAT000nn.csv`` per file (one column per field plus ``extra``; parsed values, blanks empty,
dates ISO ``YYYY-MM-DD``; a cell that could not be parsed keeps its raw fixed-width text) and ``_nat_meta.json``
(profile, file names, line endings, BOM, final newline, short records). CSV → NAT reads them back and writes the
same bytes. The direction is taken from SRC: a ``.csv`` file, or a directory holding ``_nat_meta.json`` or a
``NAT000nn.csv``, is converted to NAT. CSV → NAT never drops data: a column that is not a field of the file
(renamed, added, another profile's) or a value that does not fit is refused with located errors, and then no
file is written.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.cli._common import existing
from avetmiss_finalise.cli._limits import limits_from_args
from avetmiss_finalise.cli.convert_sidecar import META_NAME, Sidecar, read_sidecar, sidecar_bytes
from avetmiss_finalise.cli.csv_codes import in_csv, kept_as_is, leading_zeros
from avetmiss_finalise.csvsafe import neutralise_frame, restore_frame
from avetmiss_finalise.errors import LimitError, UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.inputs import read_regular
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.nat.codec import STRING_DTYPE
from avetmiss_finalise.nat.collection import Collection, FileMeta, empty_unparsed
from avetmiss_finalise.nat.layouts import FILE_IDS, Field, Layout
from avetmiss_finalise.nat.presence import require_nat_files
from avetmiss_finalise.nat.read import file_id_of, read_collection
from avetmiss_finalise.nat.write import HIDDEN, encode_frame, shown_cell
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.staging import is_empty_dir, write_files
from avetmiss_finalise.validation.report import MASK, personal_fields

__all__ = ["META_NAME", "collection_to_csv", "csv_to_nat", "run"]


def _csv_column(values: pd.Series, field: Field | None, raw: pd.DataFrame) -> pd.Series:
    """Column text for CSV: ISO dates, plain ints, raw text where the cell could not be parsed."""
    if field is not None and field.role == "date":
        days = values.to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
        out = pd.Series(np.where(pd.isna(days), "", days.astype(str)), index=values.index, dtype=object)
    else:
        out = values.astype(object).where(values.notna(), "")
        out = out.map(str) if len(out) else out
    if field is not None and not raw.empty:
        cells = raw[raw["field"] == field.name]
        if len(cells):
            out = out.copy()
            out.loc[cells["row"].to_numpy()] = cells["text"].to_numpy(dtype=object)
    return out


def collection_to_csv(coll: Collection, dest: Path, *, csv_safe: bool = False) -> list[Path]:
    """Write each frame of ``coll`` as CSV plus the metadata sidecar, all or nothing; returns the CSV paths.

    ``csv_safe`` quotes cells a spreadsheet would run as formulas (:mod:`avetmiss_finalise.csvsafe`).
    """
    cut = {fid: m.cut_records for fid, m in coll.meta.items() if m.cut_records}
    if cut:
        fid, rows = next(iter(cut.items()))
        raise LimitError(
            f"{coll.meta[fid].name}: {len(rows)} record(s) longer than the record-length limit were cut when read "
            "(NAT-LONG-RECORD); a CSV of them would not convert back to the same bytes. Raise --max-record-length"
        )
    files: dict[str, bytes] = {}
    for fid, frame in coll.frames.items():
        lay = coll.profile.layout(fid)
        raw = coll.unparsed_for(fid)
        table = pd.DataFrame(
            {
                name: _csv_column(frame[name], lay.field(name) if name != "extra" else None, raw)
                for name in frame.columns
            }
        )
        if csv_safe:
            table = neutralise_frame(table)
        text = table.to_csv(index=False, lineterminator="\r\n")  # CR LF: a CR in a value is quoted
        files[f"{fid}.csv"] = text.encode("utf-8")
    files[META_NAME] = sidecar_bytes(coll, csv_safe=csv_safe)
    written = write_files(dest, files)
    return written[:-1]


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
        fid = _csv_file_id(src)
        if fid is None:
            raise UsageError(f"{src.name} is not a NAT file's CSV; name it after the file, e.g. NAT00120.csv")
        if sidecar is not None and fid not in sidecar.files:
            raise UsageError(f"{src.name} is not listed in {src.parent / META_NAME}; it was not made with it")
        return [(fid, src)], []
    found = {}
    for p in sorted(src.iterdir()):
        fid = _csv_file_id(p)
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


def _csv_file_id(path: Path) -> str | None:
    """``NAT00120`` for ``NAT00120.csv`` (any case), else ``None``."""
    m = re.fullmatch(r"(NAT\d{5}A?)\.csv", path.name, re.IGNORECASE)
    fid = m.group(1).upper() if m else None
    return fid if fid in FILE_IDS else None


def _is_csv_source(src: Path) -> bool:
    """CSV → NAT for a ``.csv`` file or a directory holding the sidecar or a ``NAT000nn.csv`` (not any CSV: a
    directory of NAT files with a stray ``summary.csv`` is still NAT input)."""
    if src.is_dir():
        return (src / META_NAME).is_file() or any(_csv_file_id(p) for p in src.iterdir() if p.is_file())
    return src.suffix.lower() == ".csv"


def _refuse_non_empty(dest: Path, force: bool) -> None:
    if not force and not is_empty_dir(dest):
        raise UsageError(
            f"{dest} is not empty: files already there would mix with the converted ones (a stale CSV or NAT file "
            "comes back as data); convert into an empty directory, or pass --force"
        )


def _stale(dest: Path, written: list[Path]) -> list[str]:
    """Files in ``dest`` that look like part of a NAT or CSV set but were not written now (after --force)."""
    mine = {p.name for p in written} | {META_NAME}
    return [
        f"{dest} also holds {p.name}, not written by this conversion"
        for p in sorted(dest.iterdir())
        if p.name not in mine and (file_id_of(p.name) or _csv_file_id(p))
    ]


def run(args: argparse.Namespace) -> int:
    src, dest = existing(args.src), Path(args.dest)
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory")
    _refuse_non_empty(dest, args.force)
    limits = limits_from_args(args)
    notes: list[str] = []
    if _is_csv_source(src):
        written = csv_to_nat(
            src,
            dest,
            args.profile,
            limits=limits,
            csv_safe=args.csv_safe,
            show_personal_data=args.show_personal_data,
            notes=notes,
        )
    else:
        coll = require_nat_files(read_collection(src, profile=args.profile or "national", limits=limits))
        written = collection_to_csv(coll, dest, csv_safe=args.csv_safe)
        found = [i for i in coll.issues if i.severity >= Severity.WARNING]
        if found:  # the CSV keeps the data as read; say that it was not clean
            errors = sum(1 for i in found if i.severity >= Severity.ERROR)
            notes.append(
                f"warning: {len(found)} reader issue(s), {errors} at error level, in {src};"
                f" see: avetmiss-finalise inspect {src}"
            )
    if args.force:
        notes += _stale(dest, written)
    for note in notes:
        print(f"avetmiss-finalise: {note if note.startswith('warning') else 'note: ' + note}", file=sys.stderr)
    for path in written:
        print(path)
    return 0
