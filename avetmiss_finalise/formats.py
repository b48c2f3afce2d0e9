"""The one table of validation report formats: name, what it is for, file suffix, and its renderer.

A new format plugs in by registering one renderer: ``register_format(Format(name="html", renderer="pkg.mod:fn",
…))``. ``validate --format NAME`` and ``--output NAME:PATH`` (repeatable) accept every registered name, and
``avetmiss_finalise.validation.render.render(report, NAME)`` renders it. Renderers are named by ``"module:function"``
and imported on first use, so listing formats (``--help``) imports neither pandas nor a format's extra.

A renderer is called as ``renderer(report, *, fail_on, max_locations, show_personal_data, summary)`` and returns
the whole document as text; it takes ``**_`` for the keywords it does not use. ``summary`` (a
:class:`avetmiss_finalise.summary.Summary` of the collection) is computed only for formats that set
``needs_summary``. Reports are masked (personal data hidden) unless ``show_personal_data``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import attrs

from avetmiss_finalise.errors import UsageError

__all__ = ["FORMATS", "Format", "Renderer", "format_names", "get_format", "register_format"]

Renderer = Callable[..., str]


@attrs.frozen(kw_only=True)
class Format:
    """A report format. ``renderer`` is a callable or ``"module:function"`` (imported when first rendered)."""

    name: str
    description: str
    suffix: str
    renderer: str | Renderer = attrs.field(eq=False)
    #: The renderer wants a summary of the collection (``summary=``): the CLI reads the collection once for both.
    needs_summary: bool = False
    #: The pip extra the renderer needs (``pip install 'avetmiss-finalise[EXTRA]'``), if any.
    extra: str | None = None

    def load(self) -> Renderer:
        """The renderer callable."""
        if callable(self.renderer):
            return self.renderer
        module, _, name = self.renderer.partition(":")
        fn: Renderer = getattr(importlib.import_module(module), name)
        return fn


FORMATS: dict[str, Format] = {}
"""Every format by name, in registration order (the order ``--help`` lists them)."""


def register_format(fmt: Format, *, replace: bool = False) -> Format:
    """Add ``fmt``; a second format of the same name is a programming error unless ``replace``."""
    if not fmt.name or not fmt.name.isidentifier() or fmt.name != fmt.name.lower():
        raise ValueError(f"format names are lower-case words, got {fmt.name!r}")
    if fmt.name in FORMATS and not replace:
        raise ValueError(f"format {fmt.name} registered twice")
    FORMATS[fmt.name] = fmt
    return fmt


def format_names() -> tuple[str, ...]:
    return tuple(FORMATS)


def get_format(name: str) -> Format:
    """The format called ``name``; ``UsageError`` naming the known ones otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown report format {name!r}; expected one of {', '.join(FORMATS)}") from None


_RENDER = "avetmiss_finalise.validation.render"
for _fmt in (
    Format(name="text", description="for people: counts, then located findings", suffix=".txt",
           renderer=f"{_RENDER}:render_text"),
    Format(name="json", description="the versioned JSON report (docs/report-schema.md)", suffix=".json",
           renderer=f"{_RENDER}:render_json"),
    Format(name="csv", description="one line per finding", suffix=".csv", renderer=f"{_RENDER}:render_csv"),
    Format(name="junit", description="JUnit XML: a test suite per file, a test case per rule", suffix=".xml",
           renderer=f"{_RENDER}:render_junit"),
    Format(name="html", description="one self-contained page for people (needs the [html] extra)", suffix=".html",
           renderer=f"{_RENDER}:render_html", needs_summary=True, extra="html"),
    Format(name="sarif", description="SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)", suffix=".sarif",
           renderer="avetmiss_finalise.validation.render_sarif:render_sarif"),
    Format(name="github", description="GitHub Actions annotations (::error file=…,line=…::…) for stdout",
           suffix=".txt", renderer="avetmiss_finalise.validation.render_ci:render_github"),
    Format(name="gitlab", description="GitLab Code Quality JSON (artifacts: reports: codequality)", suffix=".json",
           renderer="avetmiss_finalise.validation.render_ci:render_gitlab"),
):  # fmt: skip
    register_format(_fmt)
