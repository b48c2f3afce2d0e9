"""NAT → CSV: one ``NAT000nn.csv`` per file of a collection, and the sidecar that lets it convert back byte-exact.

Each CSV has one column per field plus ``extra``: parsed values, blanks empty, dates ISO ``YYYY-MM-DD``, and a cell
that could not be parsed keeps its raw fixed-width text, so nothing read is lost. What CSV cannot hold (line
endings, BOM, final newline, short records) goes into ``_nat_meta.json`` (:mod:`.sidecar`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from avetmiss_finalise.convert.sidecar import META_NAME, sidecar_bytes
from avetmiss_finalise.csvsafe import neutralise_frame
from avetmiss_finalise.errors import LimitError
from avetmiss_finalise.nat.collection import Collection
from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.staging import write_files

__all__ = ["collection_to_csv"]


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
