"""``avetmiss-finalise convert SRC DEST``: NAT ⇄ CSV, byte-exact both ways for what was read.

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
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from avetmiss_finalise.cli._common import EXIT_INPUT, epilog, existing
from avetmiss_finalise.errors import UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.layouts import FILE_IDS, Field
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile

if TYPE_CHECKING:
    import pandas as pd

    from avetmiss_finalise.nat.collection import Collection, FileMeta

# pandas, numpy and the NAT reader/writer are imported inside the functions that use them, so that building the
# command line (``--help``) stays free of them (tests/test_lazy_imports.py).

__all__ = ["HELP", "META_NAME", "NAME", "add_arguments", "collection_to_csv", "csv_to_nat", "run"]

NAME = "convert"
HELP = "Convert a NAT file/directory/zip to CSV files, or CSV files back to NAT files (byte-exact)."

#: The sidecar holding what CSV cannot: line endings, BOM, final newline, original record lengths.
META_NAME = "_nat_meta.json"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = epilog(
        (
            "avetmiss-finalise convert submission.zip out/csv          # NAT → CSV (+ _nat_meta.json)",
            "avetmiss-finalise convert out/csv out/nat                 # CSV → NAT, byte-exact",
        ),
        (
            "0  converted",
            EXIT_INPUT + "; a CSV that cannot be written back exactly (nothing is written then)",
        ),
    )
    p.add_argument("src", help="NAT file, directory or zip (→ CSV); or a directory of NAT000nn.csv / a .csv (→ NAT)")
    p.add_argument("dest", help="output directory")
    p.add_argument(
        "--profile",
        default=None,
        choices=PROFILE_NAMES,
        type=str.lower,
        help="layouts to use (default national; CSV → NAT defaults to the profile in _nat_meta.json)",
    )


def _csv_column(values: pd.Series, field: Field | None, raw: pd.DataFrame) -> pd.Series:
    """Column text for CSV: ISO dates, plain ints, raw text where the cell could not be parsed."""
    import numpy as np
    import pandas as pd

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


def collection_to_csv(coll: Collection, dest: Path) -> list[Path]:
    """Write each frame of ``coll`` as CSV plus the metadata sidecar; returns the CSV paths."""
    import pandas as pd

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    meta_json: dict[str, Any] = {"profile": coll.profile.name, "files": {}}
    for fid, frame in coll.frames.items():
        lay = coll.profile.layout(fid)
        raw = coll.unparsed_for(fid)
        table = pd.DataFrame(
            {
                name: _csv_column(frame[name], lay.field(name) if name != "extra" else None, raw)
                for name in frame.columns
            }
        )
        path = dest / f"{fid}.csv"
        table.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8")  # CR LF: a CR in a value is quoted
        written.append(path)
        meta = coll.meta.get(fid)
        if meta is not None:
            meta_json["files"][fid] = {
                "name": meta.name,
                "line_ending": meta.line_ending,
                "bom": meta.bom,
                "final_newline": meta.final_newline,
                "record_lengths": None if meta.record_lengths is None else meta.record_lengths.tolist(),
                "crlf": None if meta.crlf is None else meta.crlf.tolist(),
            }
    (dest / META_NAME).write_text(json.dumps(meta_json, indent=1), encoding="utf-8")
    return written


def _frame_from_csv(table: pd.DataFrame, fid: str, prof: Profile) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CSV text columns → a frame the writer accepts, plus the raw cells to patch back."""
    import numpy as np
    import pandas as pd

    from avetmiss_finalise.nat.codec import STRING_DTYPE
    from avetmiss_finalise.nat.collection import empty_unparsed

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


def _read_sidecar(sidecar: Path) -> dict[str, Any]:
    if not sidecar.is_file():
        return {}
    try:
        meta_json = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableInputError(f"cannot read {sidecar}: {exc}") from exc
    if not isinstance(meta_json, dict):
        raise UnreadableInputError(f"{sidecar} is not a {META_NAME} written by convert")
    return meta_json


def _file_meta(fid: str, info: Any, sidecar: Path) -> FileMeta | None:
    import numpy as np

    from avetmiss_finalise.nat.collection import FileMeta

    if not info:
        return None
    try:
        return FileMeta(
            file_id=fid,
            name=str(info["name"]),
            line_ending=str(info["line_ending"]),
            bom=bool(info["bom"]),
            final_newline=bool(info["final_newline"]),
            record_lengths=None if info["record_lengths"] is None else np.array(info["record_lengths"], np.int64),
            crlf=None if info["crlf"] is None else np.array(info["crlf"], dtype=bool),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UnreadableInputError(f"{sidecar}: entry of {fid} is not as convert writes it ({exc!r})") from exc


def _read_csv(path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        data = path.read_bytes()
        # pandas 2's C parser ends a quoted value at a NUL byte (the rest of the cell is lost); the Python parser
        # keeps it. NUL is rare, so the fast parser reads every other file.
        if b"\x00" in data:
            return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8", engine="python")
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise UnreadableInputError(f"cannot read {path} as a UTF-8 CSV file: {exc}") from exc


def csv_to_nat(src: Path, dest: Path, profile: str | None = None) -> list[Path]:
    """Convert ``NAT000nn.csv`` files (and their sidecar) back into NAT files in ``dest``.

    Every file is encoded before any is written: a value that cannot be written exactly, or a column that is
    not a field of the file (renamed, added, or from another profile), raises ``WriteError`` and writes nothing.
    """
    from avetmiss_finalise.nat.write import encode_frame

    folder = src if src.is_dir() else src.parent
    csvs = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv") if src.is_dir() else [src]
    sidecar = folder / META_NAME
    meta_json = _read_sidecar(sidecar)
    prof = get_profile(profile or meta_json.get("profile", "national"))
    files_meta = meta_json.get("files") or {}
    encoded: list[tuple[Path, bytes]] = []
    errors: list[object] = []
    for path in csvs:
        fid = _csv_file_id(path)
        if fid is None:
            if not src.is_dir():
                raise UsageError(f"{path.name} is not a NAT file's CSV; name it after the file, e.g. NAT00120.csv")
            continue
        frame, raw = _frame_from_csv(_read_csv(path), fid, prof)
        meta = _file_meta(fid, files_meta.get(fid) if isinstance(files_meta, dict) else None, sidecar)
        try:
            data = encode_frame(frame, fid, prof, meta=meta, unparsed=raw)
        except WriteError as exc:
            errors.extend(exc.issues)
            continue
        encoded.append((dest / (Path(meta.name).name if meta else f"{fid}.txt"), data))
    if errors:
        shown = "; ".join(str(i) for i in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise WriteError(f"{len(errors)} problem(s); nothing was written: {shown}{more}", tuple(errors))
    dest.mkdir(parents=True, exist_ok=True)
    for out, data in encoded:
        out.write_bytes(data)
    return [out for out, _ in encoded]


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


def run(args: argparse.Namespace) -> int:
    from avetmiss_finalise.nat.inputs import require_nat_files
    from avetmiss_finalise.nat.read import read_collection

    src, dest = existing(args.src), Path(args.dest)
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory")
    if _is_csv_source(src):
        written = csv_to_nat(src, dest, args.profile)
    else:
        coll = require_nat_files(read_collection(src, profile=args.profile or "national"))
        written = collection_to_csv(coll, dest)
        found = [i for i in coll.issues if i.severity >= Severity.WARNING]
        if found:  # the CSV keeps the data as read; say that it was not clean
            errors = sum(1 for i in found if i.severity >= Severity.ERROR)
            print(
                f"avetmiss-finalise: warning: {len(found)} reader issue(s), {errors} at error level, in {src};"
                f" see: avetmiss-finalise inspect {src}",
                file=sys.stderr,
            )
    for path in written:
        print(path)
    return 0
