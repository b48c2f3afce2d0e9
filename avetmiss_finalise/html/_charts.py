"""Bar charts rendered offline by matplotlib to inline SVG (text kept as text, no external fonts or scripts).

Labels come from NAT files (program ids, codes) and are untrusted: matplotlib's SVG writer escapes them as XML
text, and mathtext parsing is switched off so a ``$`` in a value is just a character.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = ["SEVERITY_COLOURS", "bar_chart"]

SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#d68910", "info": "#2e86c1"}
_DEFAULT = "#4a6fa5"
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "avetmiss-finalise",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    colours: Sequence[str] | None = None,
    max_bars: int = 20,
    value_label: str = "",
    show_title: bool = True,
) -> str:
    """A horizontal bar chart as an ``<svg>`` element (largest first as given; beyond ``max_bars`` summed as
    "other")."""
    labels, values = list(labels), list(values)
    cols = list(colours) if colours is not None else [_DEFAULT] * len(labels)
    if len(labels) > max_bars:
        rest = sum(values[max_bars - 1 :])
        labels = [*labels[: max_bars - 1], f"other ({len(labels) - max_bars + 1})"]
        values = [*values[: max_bars - 1], rest]
        cols = [*cols[: max_bars - 1], "#999999"]
    height = 0.8 + 0.26 * max(len(labels), 1)
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]  # keys are valid rcParams; the stub wants literals
        fig = Figure(figsize=(6.4, height), layout="constrained")
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        pos = list(range(len(labels)))[::-1]
        bars = ax.barh(pos, values, color=cols, height=0.7)
        ax.set_yticks(pos, [_short(lbl) for lbl in labels])
        if show_title:
            ax.set_title(title, loc="left", fontsize=10)
        if all(float(v).is_integer() for v in values):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(value_label)
        ax.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=8)
        ax.margins(x=0.12)
        if not labels:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = _PROLOGUE.sub("", buf.getvalue(), count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" class="chart" ', 1)


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(v: float) -> str:
    return f"{v:,.1f}" if v != int(v) else f"{int(v):,}"


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
