"""The numbers of a collection summary, computed column-wise from the reader's frames."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.nat import read_collection
from avetmiss_finalise.validation.codes import meaning
from avetmiss_finalise.validation.registry import Period

__all__ = ["BLANK", "Summary", "Table", "summarise", "summarise_path"]

#: How a blank cell is shown in a table.
BLANK = "(blank)"
ACT = "NAT00120"


@attrs.frozen(kw_only=True)
class Table:
    """One breakdown: ``rows`` of cells under ``columns``; the first column is the key, ``chart`` names the column
    a bar chart of the table plots (``None``: no chart)."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
            "chart": self.chart,
        }


@attrs.frozen(kw_only=True)
class Summary:
    """Headline counts and tables of one collection (see :func:`summarise`)."""

    source: str | None
    profile: str
    period: Period | None
    counts: Mapping[str, int]
    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (``summary --format json``; the HTML summary section is a view of it)."""
        return {
            "kind": "collection-summary",
            "version": "1.0",
            "source": self.source,
            "profile": self.profile,
            "period": None
            if self.period is None
            else {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "counts": dict(self.counts),
            "tables": {t.name: t.to_dict() for t in self.tables},
        }


def _text(s: pd.Series) -> pd.Series:
    out: pd.Series = s.astype("string").fillna(BLANK)
    return out


def _labelled(
    s: pd.Series, list_name: str | None, name: str, title: str, key: str, total: int, sort_by_count: bool = True
) -> Table:
    """Rows per code (with its meaning from the code lists), count and share, most frequent first."""
    vc = _text(s).value_counts(sort=False)
    vc = vc.sort_values(ascending=False, kind="stable") if sort_by_count else vc.sort_index()
    rows = []
    for code, n in vc.items():
        label = meaning(list_name, str(code)) if list_name else None
        rows.append((str(code), label or "", int(n), _share(int(n), total)))
    return Table(name=name, title=title, columns=(key, "meaning", "rows", "share"), rows=tuple(rows), chart="rows")


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "0.0%"


def _int_sum(s: pd.Series | None) -> int:
    return 0 if s is None else int(s.sum(skipna=True))


def _in_period(act: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    """Activity that overlaps the period (starts by its end, ends from its start); undated rows are kept."""
    if period is None or not len(act):
        return act
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    s, e = act.get("activity_start_date"), act.get("activity_end_date")
    keep = np.ones(len(act), dtype=bool)
    if s is not None:
        keep &= ~(s > end).fillna(False).to_numpy(dtype=bool)
    if e is not None:
        keep &= ~(e < start).fillna(False).to_numpy(dtype=bool)
    return act[keep]


def _programs(act: pd.DataFrame) -> Table:
    if "program_id" not in act.columns:
        return Table(
            name="program", title="Training activity by program", columns=("program", "rows", "clients"), rows=()
        )
    prog = _text(act["program_id"])
    df = pd.DataFrame({"program": prog, "client": act["client_id"].astype("string")})
    rows_per = df["program"].value_counts()
    clients_per = df.drop_duplicates().groupby("program", observed=True).size()
    out = pd.DataFrame({"rows": rows_per, "clients": clients_per.reindex(rows_per.index).fillna(0)})
    out = out.sort_values(["rows"], ascending=False, kind="stable")
    rows = tuple((str(p), int(r), int(c)) for p, r, c in zip(out.index, out["rows"], out["clients"], strict=True))
    return Table(
        name="program",
        title="Training activity by program (blank: subject-only training)",
        columns=("program", "rows", "clients"),
        rows=rows,
        chart="rows",
    )


def _months(act: pd.DataFrame) -> Table:
    s = act.get("activity_start_date")
    if s is None or not len(act):
        return Table(name="start_month", title="Training activity by start month", columns=("month", "rows"), rows=())
    known = s.notna().to_numpy(dtype=bool)
    key = pd.Series(s.dt.year.to_numpy(dtype="float64") * 100 + s.dt.month.to_numpy(dtype="float64"))
    vc = key[known].astype("int64").value_counts().sort_index()
    keys, counts = vc.index.to_numpy(dtype="int64"), vc.to_numpy(dtype="int64")
    rows = [(f"{k // 100:04d}-{k % 100:02d}", int(n)) for k, n in zip(keys.tolist(), counts.tolist(), strict=True)]
    if (~known).any():
        rows.append((BLANK, int((~known).sum())))
    return Table(
        name="start_month",
        title="Training activity by start month",
        columns=("month", "rows"),
        rows=tuple(rows),
        chart="rows",
    )


def _hours(act: pd.DataFrame) -> Table:
    """Scheduled hours and hours attended per national outcome (attended: rows that state it)."""
    outcome = _text(act["outcome_national"]) if "outcome_national" in act.columns else pd.Series(BLANK, index=act.index)
    sched = (
        act["scheduled_hours"] if "scheduled_hours" in act.columns else pd.Series(pd.NA, index=act.index, dtype="Int64")
    )
    att = act["hours_attended"] if "hours_attended" in act.columns else pd.Series(pd.NA, index=act.index, dtype="Int64")
    df = pd.DataFrame({"outcome": outcome, "sched": sched.astype("Float64"), "att": att.astype("Float64")})
    g = df.groupby("outcome", observed=True, sort=True)
    agg = pd.DataFrame(
        {
            "rows": g.size(),
            "sched": g["sched"].sum(min_count=0),
            "att": g["att"].sum(min_count=0),
            "att_stated": g["att"].count(),
        }
    )
    rows = [(str(o), int(r["rows"]), int(r["sched"]), int(r["att"]), int(r["att_stated"])) for o, r in agg.iterrows()]
    rows.append(("all", len(df), _int_sum(df["sched"]), _int_sum(df["att"]), int(df["att"].count())))
    return Table(
        name="hours",
        title="Hours by national outcome (hours attended summed over the rows that state it)",
        columns=("outcome", "rows", "scheduled hours", "hours attended", "rows stating hours attended"),
        rows=tuple(rows),
        chart="scheduled hours",
    )


def summarise(
    frames: Mapping[str, pd.DataFrame],
    *,
    period: Period | None = None,
    profile: str = "national",
    source: str | None = None,
) -> Summary:
    """Counts and breakdowns of a collection's frames (file id → DataFrame, as the reader returns them).

    With a ``period``, training activity counts only rows overlapping it and completions only those dated in it
    (``outside_period`` / ``completions_outside_period`` say how many were left out).
    """
    empty = pd.DataFrame()
    all_act = frames.get(ACT, empty)
    act = _in_period(all_act, period)
    completions = frames.get("NAT00130", empty)
    done_in = completions
    if period is not None and "date_program_completed" in completions.columns:
        d = completions["date_program_completed"]
        inside = ((d >= pd.Timestamp(period.start)) & (d <= pd.Timestamp(period.end))).fillna(False)
        done_in = completions[inside.to_numpy(dtype=bool)]
    total = len(act)
    program_enrolments = 0
    if {"client_id", "program_id"} <= set(act.columns):
        with_program = act[act["program_id"].notna().to_numpy(dtype=bool)]
        keys = [c for c in ("training_organisation_id", "client_id", "program_id") if c in act.columns]
        program_enrolments = len(with_program[keys].drop_duplicates())
    issued = done_in["issued_flag"] if "issued_flag" in done_in.columns else pd.Series([], dtype="string")
    counts = {
        "clients": len(frames.get("NAT00080", empty)),
        "clients_with_activity": int(act["client_id"].nunique()) if "client_id" in act.columns else 0,
        "program_enrolments": program_enrolments,
        "subject_enrolments": total,
        "completions": len(done_in),
        "completions_issued": int((issued == "Y").sum()),
        "outside_period": len(all_act) - total,
        "completions_outside_period": len(completions) - len(done_in),
    }
    tables = (
        _labelled(
            _col(act, "outcome_national"),
            "outcome_national",
            "outcome",
            "Training activity by national outcome",
            "outcome",
            total,
        ),
        _labelled(
            _col(act, "funding_source_national"),
            "funding_source_national",
            "funding",
            "Training activity by funding source (national)",
            "funding source",
            total,
        ),
        _labelled(
            _col(act, "delivery_mode_id"),
            "delivery_mode",
            "delivery_mode",
            "Training activity by delivery mode",
            "delivery mode",
            total,
        ),
        _labelled(
            _col(act, "predominant_delivery_mode"),
            "predominant_delivery_mode",
            "predominant_delivery_mode",
            "Training activity by predominant delivery mode",
            "predominant mode",
            total,
        ),
        _labelled(
            _col(act, "commencing_program_id"),
            "commencing_program",
            "commencing_program",
            "Training activity by commencing program identifier",
            "commencing",
            total,
        ),
        _programs(act),
        _months(act),
        _hours(act),
    )
    return Summary(source=source, profile=profile, period=period, counts=counts, tables=tables)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([], dtype="string")


def summarise_path(path: str | Path, *, period: Period | None = None, profile: str = "national") -> Summary:
    """Read a NAT file, directory or zip and summarise it."""
    collection = read_collection(path, profile=profile)
    return summarise(collection.frames, period=period, profile=profile, source=str(path))
