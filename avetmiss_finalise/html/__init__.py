"""Self-contained HTML views — validation report, collection summary, finalisation review — for people.

Every page is one file that opens with no network: styles and scripts inline (a Content-Security-Policy forbids
any fetch), charts rendered offline to inline SVG by matplotlib, text through Jinja2 with autoescaping (every value
from a NAT file is untrusted). Each page is a *view* of a JSON document the library already produces
(``Report.to_dict()``, ``Summary.to_dict()``, ``decisions.json``), never a second computation.

Jinja2 and matplotlib come with the optional ``[html]`` extra and are imported only when a page is rendered;
without them :class:`MissingExtraError` (a :class:`~avetmiss_finalise.errors.UsageError`: exit 2) says how to
install them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from avetmiss_finalise.html._deps import INSTALL_HINT, MissingExtraError, require

__all__ = [
    "INSTALL_HINT",
    "MissingExtraError",
    "render_decisions_html",
    "render_summary_html",
    "render_validation_html",
    "require",
]


def render_validation_html(
    report: Mapping[str, Any],
    *,
    fail_on: str = "error",
    summary: Mapping[str, Any] | None = None,
    tool_version: str | None = None,
    generated: str | None = None,
) -> str:
    """The validation report page from ``Report.to_dict()`` data (plus an optional ``Summary.to_dict()``)."""
    require()
    from avetmiss_finalise.html.validation_page import render

    return render(report, fail_on=fail_on, summary=summary, tool_version=tool_version, generated=generated)


def render_summary_html(
    summary: Mapping[str, Any], *, tool_version: str | None = None, generated: str | None = None
) -> str:
    """The collection summary page from ``Summary.to_dict()`` data."""
    require()
    from avetmiss_finalise.html.summary_page import render

    return render(summary, tool_version=tool_version, generated=generated)


def render_decisions_html(
    decisions: Mapping[str, Any], *, tool_version: str | None = None, generated: str | None = None
) -> str:
    """The finalisation review page from ``decisions.json`` data."""
    require()
    from avetmiss_finalise.html.decisions_page import render

    return render(decisions, tool_version=tool_version, generated=generated)
