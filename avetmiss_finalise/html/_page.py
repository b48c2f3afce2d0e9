"""What every page shares: the Jinja2 environment (autoescaping on), inline assets, the CSP and embedded data."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from typing import Any

import jinja2

__all__ = ["asset", "data_json", "environment", "page"]


@functools.cache
def environment() -> jinja2.Environment:
    """Autoescaping for every template and string (values from NAT files are untrusted); undefined names fail."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("avetmiss_finalise.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def asset(name: str) -> str:
    """A file of ``html/static`` as text (inlined into the page: nothing is fetched)."""
    return resources.files("avetmiss_finalise.html").joinpath("static", name).read_text(encoding="utf-8")


def data_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<`` (so no ``</script>``), no line separators.

    Read back with ``JSON.parse(element.textContent)``, so it is never executed; the escapes are plain JSON.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def page(template: str, *, scripts: tuple[str, ...] = (), **context: Any) -> str:
    """Render ``template`` with the shared CSS, the named scripts (inline, allowed by hash only) and ``context``.

    The Content-Security-Policy allows no network at all (``default-src 'none'``) and only our own scripts, by
    their SHA-256: even a value that escaped escaping could neither run script nor load anything.
    """
    js = [asset(s) for s in scripts]
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(f"'{_sha256(s)}'" for s in js) if js else "script-src 'none'",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return environment().get_template(template).render(css=asset("report.css"), scripts=js, csp=csp, **context)
