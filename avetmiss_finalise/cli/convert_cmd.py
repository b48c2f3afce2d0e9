"""``avetmiss-finalise convert SRC DEST``: NAT ⇄ CSV, byte-exact both ways for what was read.

NAT → CSV writes one ``NAT000nn.csv`` per file (one column per field plus ``extra``; parsed values, blanks empty,
dates ISO ``YYYY-MM-DD``; a cell that could not be parsed keeps its raw fixed-width text) and ``_nat_meta.json``
(profile, file names, line endings, BOM, final newline, short records). CSV → NAT reads them back and writes the
same bytes. The direction is taken from SRC: a ``.csv`` file or a directory holding CSVs is converted to NAT.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from avetmiss_finalise.errors import UnreadableInputError, UsageError
from avetmiss_finalise.nat.codec import STRING_DTYPE
from avetmiss_finalise.nat.collection import Collection, FileMeta, empty_unparsed
from avetmiss_finalise.nat.layouts import FILE_IDS, Field
from avetmiss_finalise.nat.read import read_collection
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile

__all__ = ["HELP", "META_NAME", "NAME", "add_arguments", "collection_to_csv", "csv_to_nat", "run"]

NAME = "convert"
HELP = "Convert a NAT file/directory/zip to CSV files, or CSV files back to NAT files (byte-exact)."

#: The sidecar holding what CSV cannot: line endings, BOM, final newline, original record lengths.
META_NAME = "_nat_meta.json"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("src", help="NAT file, directory or zip (→ CSV); or a directory of NAT000nn.csv / a .csv (→ NAT)")
    p.add_argument("dest", help="output directory")
    p.add_argument(
        "--profile",
        default=None,
        choices=PROFILE_NAMES,
        help="layouts to use (default national; CSV → NAT defaults to the profile in _nat_meta.json)",
    )


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


def collection_to_csv(coll: Collection, dest: Path) -> list[Path]:
    """Write each frame of ``coll`` as CSV plus the metadata sidecar; returns the CSV paths."""
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
        table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
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
    lay = prof.layout(fid)
    columns: dict[str, Any] = {}
    raw_parts = []
    for field in lay.fields:
        text = table[field.name] if field.name in table.columns else pd.Series([""] * len(table), dtype=object)
        text = text.astype(object)
        blank = text == ""
        if field.role == "date":
            parsed = pd.to_datetime(text.where(~blank, None), format="%Y-%m-%d", errors="coerce")
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
    raw = pd.concat(raw_parts, ignore_index=True) if raw_parts else empty_unparsed()
    return pd.DataFrame(columns, index=pd.RangeIndex(len(table))), raw


def csv_to_nat(src: Path, dest: Path, profile: str | None = None) -> list[Path]:
    """Convert ``NAT000nn.csv`` files (and their sidecar) back into NAT files in ``dest``."""
    folder = src if src.is_dir() else src.parent
    csvs = sorted(folder.glob("*.csv")) if src.is_dir() else [src]
    sidecar = folder / META_NAME
    meta_json: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    prof = get_profile(profile or meta_json.get("profile", "national"))
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in csvs:
        m = re.fullmatch(r"(NAT\d{5}A?)", path.stem, re.IGNORECASE)
        fid = m.group(1).upper() if m else None
        if fid not in FILE_IDS:
            continue
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frame, raw = _frame_from_csv(table, fid, prof)
        info = meta_json.get("files", {}).get(fid)
        meta = None
        if info:
            meta = FileMeta(
                file_id=fid,
                name=info["name"],
                line_ending=info["line_ending"],
                bom=info["bom"],
                final_newline=info["final_newline"],
                record_lengths=None if info["record_lengths"] is None else np.array(info["record_lengths"], np.int64),
                crlf=None if info["crlf"] is None else np.array(info["crlf"], dtype=bool),
            )
        out = dest / (Path(meta.name).name if meta else f"{fid}.txt")
        out.write_bytes(encode_frame(frame, fid, prof, meta=meta, unparsed=raw))
        written.append(out)
    return written


def _is_csv_source(src: Path) -> bool:
    if src.is_dir():
        return (src / META_NAME).is_file() or any(src.glob("*.csv"))
    return src.suffix.lower() == ".csv"


def run(args: argparse.Namespace) -> int:
    src, dest = Path(args.src), Path(args.dest)
    if not src.exists():
        raise UnreadableInputError(f"{src} does not exist")
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory")
    if _is_csv_source(src):
        written = csv_to_nat(src, dest, args.profile)
    else:
        coll = read_collection(src, profile=args.profile or "national")
        written = collection_to_csv(coll, dest)
    for path in written:
        print(path)
    return 0
