"""The collection summary page (and the summary section of the validation report): a view of ``Summary.to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from avetmiss_finalise.html._charts import bar_chart
from avetmiss_finalise.html._page import page
from avetmiss_finalise.summary._render import COUNT_LABELS

__all__ = ["render", "summary_context"]


def summary_context(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Headline counts with their labels, and each table with its chart."""
    period = summary.get("period")
    counts = [
        {"key": k, "label": label, "value": summary["counts"].get(k, 0)}
        for k, label in COUNT_LABELS.items()
        if not (k.endswith("outside_period") and period is None)
    ]
    tables = []
    for name, t in summary["tables"].items():
        chart = None
        if t.get("chart") and t["rows"]:
            col = t["columns"].index(t["chart"])
            rows = [r for r in t["rows"] if not (name == "hours" and r[0] == "all")]
            chart = bar_chart(
                [str(r[0]) for r in rows],
                [float(r[col]) for r in rows],
                title=t["title"],
                value_label=t["chart"],
                show_title=False,
                max_bars=24,
            )
        tables.append({"name": name, **t, "svg": chart})
    return {
        "source": summary.get("source"),
        "profile": summary.get("profile"),
        "period": period,
        "counts": counts,
        "tables": tables,
    }


def render(summary: Mapping[str, Any], *, tool_version: str | None = None, generated: str | None = None) -> str:
    return page(
        "summary.html.j2",
        summary=summary_context(summary),
        tool_version=tool_version,
        generated=generated,
    )
