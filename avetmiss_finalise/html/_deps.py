"""The optional ``[html]`` extra: checked before any page is rendered, with the install command when missing."""

from __future__ import annotations

import importlib

from avetmiss_finalise.errors import UsageError

__all__ = ["INSTALL_HINT", "MissingExtraError", "require"]

INSTALL_HINT = "python3 -m pip install 'avetmiss-finalise[html]'"
_MODULES = ("jinja2", "matplotlib")


class MissingExtraError(UsageError, ImportError):
    """HTML output was asked for but the ``[html]`` extra (Jinja2, matplotlib) is not installed."""


def require() -> None:
    """Import the extra's modules, or raise :class:`MissingExtraError` naming what is missing and how to get it."""
    missing = []
    for name in _MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise MissingExtraError(
            f"HTML reports need the optional [html] extra ({', '.join(missing)} not installed): {INSTALL_HINT}"
        )
