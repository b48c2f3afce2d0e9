"""How a run says how far it is: a ``(phase, done, total)`` callback, the one contract every engine speaks.

A validation of a national file takes minutes, and the person at the terminal should see it move; the engines
know how far they are, the CLI knows whether anyone is watching (:mod:`avetmiss_finalise.cli._progress`). The
callback joins them without the engines drawing anything. Phases:

- ``("read", bytes of NAT00120 read, its size or None inside a zip)`` after each block (stream engine);
- ``("validate", client partitions validated, partitions)`` after each partition (stream engine);
- ``("rules", rules run, rules to run)`` after each rule (in-memory engine).

Counts only, never values from the data.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "silent"]

Progress = Callable[[str, int, int | None], None]


def silent(phase: str, done: int, total: int | None) -> None:
    """The callback of a run nobody watches."""
