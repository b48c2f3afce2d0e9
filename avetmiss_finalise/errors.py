"""Exceptions: only for misuse and unreadable input. Everything wrong with *data* is an Issue."""

from __future__ import annotations

__all__ = ["AvetmissError", "UnreadableInputError", "UsageError", "WriteError"]


class AvetmissError(Exception):
    """Root of every exception this library raises on purpose."""


class UnreadableInputError(AvetmissError, OSError):
    """The input cannot be read at all (missing path, not a zip, permission denied)."""


class UsageError(AvetmissError, ValueError):
    """The caller asked for something that makes no sense (unknown profile, bad period, …)."""


class WriteError(AvetmissError, ValueError):
    """Values cannot be written without loss; ``issues`` locates every one of them."""

    def __init__(self, message: str, issues: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.issues = issues
