"""Exceptions: only for misuse and unreadable input. Everything wrong with *data* is an Issue.

Each exception is also a builtin (``OSError``, ``ValueError``, ``TypeError``) so callers that already catch those
keep working; catching :class:`AvetmissError` catches everything this library raises on purpose. Anything else
escaping the public API is a bug (the CLI exits :data:`~avetmiss_finalise.cli.EXIT_INTERNAL` for it).
"""

from __future__ import annotations

__all__ = [
    "AvetmissError",
    "LimitError",
    "OutputError",
    "UnreadableInputError",
    "UsageError",
    "UsageTypeError",
    "WriteError",
]


class AvetmissError(Exception):
    """Root of every exception this library raises on purpose."""


class UnreadableInputError(AvetmissError, OSError):
    """The input cannot be read at all (missing path, not a zip, permission denied, not a regular file)."""


class LimitError(UnreadableInputError):
    """The input is over a safety limit (:class:`~avetmiss_finalise.limits.Limits`): refused before it is read."""


class UsageError(AvetmissError, ValueError):
    """The caller asked for something that makes no sense (unknown profile, bad period, …)."""


class UsageTypeError(UsageError, TypeError):
    """An argument of the wrong type (``finalise_many([None])``, a period of ``2026.5``): a UsageError that is
    also a ``TypeError``."""


class WriteError(AvetmissError, ValueError):
    """Values cannot be written without loss; ``issues`` locates every one of them."""

    def __init__(self, message: str, issues: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.issues = issues


class OutputError(AvetmissError, OSError):
    """The output cannot be written where asked (not a directory, a symlink in the way, disk full, …).

    Raised before anything is moved into place: the output directory is left exactly as it was.
    """
