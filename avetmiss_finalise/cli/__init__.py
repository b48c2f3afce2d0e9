"""``avetmiss-finalise`` command line: a thin dispatcher over one module per subcommand.

Exit codes: 0 clean, 1 findings at or above the failure level (or refused enrolments), 2 usage error or
unreadable input. Reports go to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from avetmiss_finalise import __version__
from avetmiss_finalise.cli._common import HelpFormatter
from avetmiss_finalise.errors import AvetmissError

__all__ = ["main"]

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
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP, formatter_class=HelpFormatter)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args))
    except AvetmissError as exc:
        print(f"avetmiss-finalise: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of our stdout went away (`... | head`): not an error of ours. Point stdout at devnull so the
        # interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
