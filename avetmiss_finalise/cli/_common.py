"""What every subcommand shares: the help layout (defaults, examples, exit codes), the input path or the packaged
sample, and the facts only the edge may read (the clock, the host name).

Kept light (argparse and the standard library only): every subcommand module imports it to build its parser,
and ``avetmiss-finalise --help`` must not import pandas.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import socket
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from avetmiss_finalise.validation.audit import RunInfo

__all__ = [
    "DEBUG_ENV",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERNAL_LINE",
    "HelpFormatter",
    "Stopwatch",
    "add_input_argument",
    "epilog",
    "input_path",
    "whole_number",
]

#: Exit code of an internal error: a bug in avetmiss-finalise, never a verdict on the data (sysexits' EX_SOFTWARE).
#: 0, 1 and 2 keep their meanings, so CI can tell a broken tool from bad data.
EXIT_INTERNAL = 70

#: The environment variable that turns on ``--debug`` (the traceback of an internal error) for every run.
DEBUG_ENV = "AVETMISS_FINALISE_DEBUG"

#: The exit-code line every command's ``--help`` ends with (added by :func:`epilog`).
EXIT_INTERNAL_LINE = (
    f"{EXIT_INTERNAL} internal error: a bug in avetmiss-finalise, not a problem with the input (one line on stderr; "
    f"the traceback with --debug or {DEBUG_ENV}=1)"
)

#: Exit-code lines shared by the commands that read a collection (one wording, one code for bad input).
EXIT_INPUT = (
    "2  bad usage or unreadable input: a missing path, an empty directory or zip, a directory with no NAT file "
    "(the same message from every command)"
)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Options with their defaults (where there is one worth saying); the epilog printed as written."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text.lower() or not action.option_strings:
            return text
        if action.default in (None, False, [], (), argparse.SUPPRESS):
            return text
        return text + " (default: %(default)s)"


def epilog(examples: Sequence[str], exit_codes: Sequence[str]) -> str:
    """The examples and exit codes every subcommand's ``--help`` ends with (the internal-error code always last)."""
    codes = [*exit_codes, EXIT_INTERNAL_LINE]
    lines = ["examples:", *(f"  {e}" for e in examples), "", "exit codes:", *(f"  {c}" for c in codes)]
    return "\n".join(lines)


def add_input_argument(p: argparse.ArgumentParser) -> None:
    """``PATH`` (a NAT file, directory or zip) or ``--sample`` (the sample collection shipped in the package)."""
    p.add_argument("path", nargs="?", help="a NAT file, a directory of NAT files or a zip of them")
    p.add_argument(
        "--sample",
        action="store_true",
        help="use the sample collection shipped with the package (synthetic; period 2026) instead of PATH",
    )


@contextlib.contextmanager
def input_path(args: argparse.Namespace) -> Iterator[str]:
    """The path to read: ``args.path``, or the packaged sample with ``--sample`` (exactly one of them)."""
    from avetmiss_finalise.errors import UsageError

    if args.sample and args.path:
        raise UsageError("give a PATH or --sample, not both")
    if args.sample:
        from avetmiss_finalise.samples import sample_collection

        with sample_collection() as path:
            yield str(path)
        return
    if not args.path:
        raise UsageError("missing PATH: a NAT file, a directory of NAT files or a zip (or --sample)")
    yield str(args.path)


class Stopwatch:
    """Started when a command starts; :meth:`run_info` says when it finished, how long it took and where."""

    def __init__(self) -> None:
        self._start = time.perf_counter()

    def run_info(self) -> RunInfo:
        from avetmiss_finalise.validation.audit import RunInfo

        return RunInfo(
            generated_at=datetime.datetime.now().astimezone(),
            duration_seconds=round(time.perf_counter() - self._start, 3),
            hostname=socket.gethostname() or None,
        )


def existing(path: str) -> Path:
    """``path`` as a Path, or the one "no such file or directory" error every command gives."""
    from avetmiss_finalise.nat.presence import missing_path

    p = Path(path)
    if not p.exists():
        raise missing_path(p)
    return p


def whole_number(text: str) -> int:
    """An argparse type: a whole number of at least 1 (counts, chunk sizes, jobs). At most 19 digits, so a
    pasted huge value is refused here rather than sizing anything from it."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) > 19 or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(digits)
