"""``avetmiss-finalise`` command line: a thin dispatcher over one module per subcommand.

Exit codes: 0 clean, 1 findings at or above the failure level (or refused enrolments), 2 usage error or
unreadable input, :data:`EXIT_INTERNAL` (70) an internal error — any exception that is not one of the library's
own (:class:`~avetmiss_finalise.errors.AvetmissError`) is a bug, reported in one line that says so, with the
traceback only under ``--debug`` (or ``AVETMISS_FINALISE_DEBUG=1``). Reports go to stdout, diagnostics to stderr;
neither fails on the terminal's encoding (:mod:`._streams`).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import io
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import ModuleType

from avetmiss_finalise import __version__
from avetmiss_finalise.cli._common import DEBUG_ENV, EXIT_INTERNAL, EXIT_INTERNAL_LINE, HelpFormatter
from avetmiss_finalise.cli._streams import safe_streams
from avetmiss_finalise.errors import AvetmissError

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

#: The documented exit codes (README, docs/stability.md, every ``--help``).
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_DEBUG_HELP = f"on an internal error, print the traceback (also: {DEBUG_ENV}=1)"

#: Subcommand modules (in ``avetmiss_finalise.cli``); each defines NAME, HELP, add_arguments(p), run(args).
_COMMANDS: tuple[str, ...] = (
    "finalise_cmd",
    "demo_cmd",
    "inspect_cmd",
    "convert_cmd",
    "validate_cmd",
    "rules_cmd",
    "summary_cmd",
)


def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"avetmiss_finalise.cli.{name}") for name in _COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avetmiss-finalise",
        description="Finalise AVETMISS 8.0 enrolments; read, write and validate NAT collections offline.",
        formatter_class=HelpFormatter,
        epilog="\n".join(
            [
                "exit codes (each command's --help says what 1 and 2 mean for it):",
                "  0  clean",
                "  1  findings at or above the failure level (or refused enrolments)",
                "  2  bad usage or unreadable input",
                f"  {EXIT_INTERNAL_LINE}",
            ]
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP, formatter_class=HelpFormatter)
        mod.add_arguments(p)
        # SUPPRESS: given before the command, --debug is not reset by the subcommand's default.
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP)
        p.set_defaults(_run=mod.run)
    return parser


def _debugging(args: argparse.Namespace | None) -> bool:
    return bool(getattr(args, "debug", False)) or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def _internal_error(exc: BaseException, debug: bool) -> int:
    """One line saying it is our bug (the exception's type and where, never its message: it may hold data),
    how to report it, and the traceback with ``--debug``."""
    import traceback

    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "avetmiss_finalise" in frame.filename.replace("\\", "/"):
            path = frame.filename.replace("\\", "/")
            where = f" at {path[path.rindex('avetmiss_finalise') :]}:{frame.lineno}"
            break
    what = "ran out of memory" if isinstance(exc, MemoryError) else f"{type(exc).__name__}{where}"
    print(
        f"avetmiss-finalise: internal error ({what}): this is a bug in avetmiss-finalise {__version__}, not a "
        f"problem with your data. Please report it with the command line and the traceback "
        f"({'below' if debug else f'run again with --debug or {DEBUG_ENV}=1'}); do not attach files holding "
        "personal data.",
        file=sys.stderr,
    )
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    return EXIT_INTERNAL


#: The errors of a write the machine cannot take (disk full, quota, file too large, I/O error, closed or gone).
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EPIPE") if hasattr(errno, name)
)


def _os_failure(exc: OSError) -> int:
    """One line and exit 2 for an operating-system failure outside the library's own checks (which raise its
    errors): most often standard output that cannot take the report (``> /dev/full``, ``>&-``). Then stdout is
    pointed at devnull, so the interpreter's last flush does not fail again (exit 120, a second message)."""
    from avetmiss_finalise.cli._streams import ClosedStream

    stdout_failed = isinstance(sys.stdout, ClosedStream)
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        stdout_failed = True
    reason = exc.strerror or str(exc)
    if stdout_failed:
        print(f"avetmiss-finalise: error: cannot write to standard output: {reason}", file=sys.stderr)
    elif exc.errno in _OUTPUT_ERRNOS:
        where = f"{exc.filename}" if exc.filename else "the output"  # stdout's own errors name no file
        print(f"avetmiss-finalise: error: cannot write {where}: {reason}", file=sys.stderr)
    else:  # not a write at all (a Dask scheduler that does not answer): say what failed, not "cannot write"
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"avetmiss-finalise: error: {where}{reason}", file=sys.stderr)
    if stdout_failed:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    with safe_streams(), _terminate_cleanly():
        return _main(argv)


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM (how ``timeout``, CI runners and container platforms stop a job) unwinds like Ctrl-C: it raises
    SystemExit(143) in the main thread, so ``finally`` blocks run — the stream engine's spill directory and any
    staged output are removed — instead of the process dying where it stands. The previous handler is restored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | None = None
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
        if not getattr(args, "_run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code = int(args._run(args))
        # Flushed here, where a failure to write is said (exit 2 on /dev/full, 0 when the reader went away): a
        # report shorter than the buffer was otherwise first flushed at the interpreter's exit, which says it with
        # a second message and exit 120.
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except AvetmissError as exc:
        print(f"avetmiss-finalise: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our stdout went away (`... | head`): not an error of ours. Point stdout at devnull so the
        # interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
    except io.UnsupportedOperation as exc:  # an OSError by class, but a call no stream supports: our bug
        return _internal_error(exc, _debugging(args))
    except OSError as exc:  # the machine, not the data or our code: a disk full, stdout on /dev/full or closed
        return _os_failure(exc)
    except Exception as exc:  # anything else is our bug: a distinct exit code, never a bare traceback
        return _internal_error(exc, _debugging(args))
