"""Text and JSON renderings of a :class:`~avetmiss_finalise.summary.Summary`."""

from __future__ import annotations

import io
import json

from avetmiss_finalise.summary._compute import Summary, Table

__all__ = ["COUNT_LABELS", "render_json", "render_text"]

#: Headline counts in the order and words every view shows them.
COUNT_LABELS: dict[str, str] = {
    "clients": "Clients (NAT00080)",
    "clients_with_activity": "Clients with training activity",
    "program_enrolments": "Program enrolments (client + program in NAT00120)",
    "subject_enrolments": "Subject enrolments (NAT00120 rows)",
    "completions": "Program completions (NAT00130)",
    "completions_issued": "Completions with the credential issued (issued flag Y)",
    "outside_period": "NAT00120 rows outside the period (not counted above)",
    "completions_outside_period": "NAT00130 rows outside the period (not counted above)",
}


def _table_text(t: Table) -> str:
    cells = [[str(c) for c in t.columns], *[[str(c) for c in r] for r in t.rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(t.columns))]
    lines = [t.title]
    for n, row in enumerate(cells):
        lines.append(
            "  "
            + "  ".join(
                c.rjust(w) if n and i and c[:1].isdigit() else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    if not t.rows:
        lines.append("  (no rows)")
    return "\n".join(lines)


def render_text(summary: Summary) -> str:
    """Headline counts, then one aligned table per breakdown."""
    out = io.StringIO()
    head = f"Summary of {summary.source or 'collection'} — profile {summary.profile}"
    if summary.period is not None:
        head += f", period {summary.period.start.isoformat()} to {summary.period.end.isoformat()}"
    out.write(head + "\n\n")
    width = max(len(v) for v in COUNT_LABELS.values())
    for key, label in COUNT_LABELS.items():
        if key.endswith("outside_period") and summary.period is None:
            continue
        out.write(f"{label:<{width}}  {summary.counts.get(key, 0):>10,}\n")
    for t in summary.tables:
        out.write("\n" + _table_text(t) + "\n")
    return out.getvalue()


def render_json(summary: Summary) -> str:
    return json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n"
