"""Records shifted by template text in a date: reported once (F-02), not once per shifted field.

An exporter that writes unsubstituted template text (``now_plus_7_days``, 15 characters) into an 8-character
date pushes every later field of the record along (sms_habits.md). Every rule reading those fields would then
report garbage. The record shows it: the date cell holds letters (it is unparsed) and the record is longer than
its layout (``extra`` is not blank). F-02 reports the date, saying so; :func:`drop_shifted` removes every other
finding on that line that lies after the date. The reader does the same for its own findings
(``nat.record_checks``).
"""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.nat.findings import ABOUT_THE_RECORD
from avetmiss_finalise.validation.registry import Context

__all__ = ["SHIFTED_DETAIL", "ShiftedCell", "drop_shifted", "shifted_cells"]

#: Appended to F-02's message for the date that shifted its record.
SHIFTED_DETAIL = (
    "template text that was never substituted; the record is longer than its layout, so every later field is "
    "shifted and their findings are not listed"
)

_TEXT = r".*[A-Za-z_].*"


@attrs.frozen
class ShiftedCell:
    """The date (file, 0-based row, field) holding template text; ``start``/``stop`` its 1-based columns and
    ``shifted`` the names of the fields it and every later field of the record hold (garbage after the shift)."""

    file_id: str
    row: int
    field: str
    start: int
    stop: int
    shifted: frozenset[str]


def shifted_cells(ctx: Context) -> list[ShiftedCell]:
    """Every unparsed date cell holding letters in a record longer than its layout (first per record)."""
    out: list[ShiftedCell] = []
    for file_id, up in ctx.unparsed.items():
        df = ctx.frame(file_id)
        if df is None or up is None or not len(up) or "extra" not in df.columns:
            continue
        try:
            lay = ctx.profile.layout(file_id)
        except (KeyError, ValueError):
            continue
        dates = {f.name: f for f in lay.fields if f.role == "date"}
        cells = up[up["field"].isin(list(dates)).to_numpy(dtype=bool)]
        if not len(cells):
            continue
        texty = cells["text"].astype("string").str.fullmatch(_TEXT).fillna(False).to_numpy(dtype=bool)
        rows = cells["row"].to_numpy()
        extra = df["extra"].notna().to_numpy(dtype=bool)
        pos = df.index.get_indexer(pd.Index(rows))
        longer = np.zeros(len(rows), dtype=bool)
        longer[pos >= 0] = extra[pos[pos >= 0]]
        seen: set[int] = set()
        picked = cells[texty & longer]
        order = sorted(
            zip(picked["row"].tolist(), picked["field"].tolist(), strict=True),
            key=lambda rf: (rf[0], dates[str(rf[1])].start),
        )
        for row, name in order:
            if int(row) not in seen:
                seen.add(int(row))
                f = dates[str(name)]
                later = frozenset(x.name for x in lay.fields if x.start >= f.start)
                out.append(ShiftedCell(file_id, int(row), str(name), f.start, f.stop, later))
    return out


def drop_shifted(findings: pd.DataFrame, cells: list[ShiftedCell]) -> pd.DataFrame:
    """``findings`` without those a shifted record makes up: on a shifted line every finding that starts at or
    after its template date, or whose rule reads any field from that date on (``Rule.fields``), except F-02's
    finding at the date itself. Findings on earlier fields from rules that read only earlier fields stay."""
    if not cells or not len(findings):
        return findings
    from avetmiss_finalise.validation.registry import REGISTRY

    by_line = {(c.file_id, c.row + 1): c for c in cells}
    keys = pd.MultiIndex.from_frame(findings[["file", "line"]].astype(object))
    candidates = np.flatnonzero(keys.isin(list(by_line)))  # only findings on shifted lines are looked at
    sub = findings.iloc[candidates].astype(object)
    drop = np.zeros(len(findings), dtype=bool)
    for i, file, line, start, rule_id, field in zip(
        candidates.tolist(),
        sub["file"].tolist(),
        sub["line"].tolist(),
        sub["col_start"].tolist(),
        sub["rule_id"].tolist(),
        sub["field"].tolist(),
        strict=True,
    ):
        cell = by_line[(file, int(line))]
        if (rule_id == "F-02" and field == cell.field) or rule_id in ABOUT_THE_RECORD:
            continue  # the template date's own finding, and a record cut at the length limit, stay
        after = start is not pd.NA and start is not None and int(start) >= cell.start
        rule = REGISTRY.get(str(rule_id))
        reads_shifted = rule is not None and bool(set(rule.fields) & cell.shifted)
        drop[i] = after or reads_shifted
    kept: pd.DataFrame = findings[~drop].reset_index(drop=True)
    return kept
