"""The ``--max-…`` flags: each safety limit of :class:`~avetmiss_finalise.limits.Limits`, overridable per run.

One table says which flag sets which limit and how its value is read, so every subcommand that reads input
offers the same flags with the same defaults and help.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import attrs

from avetmiss_finalise.cli._common import whole_number as _count
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits, format_size, parse_size

__all__ = ["JSON_LIMITS", "READ_LIMITS", "add_limit_arguments", "limits_from_args"]


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


#: flag → (Limits attribute, value parser, help, shown as size)
_FLAGS: dict[str, tuple[str, Callable[[str], int], str, bool]] = {
    "--max-file-size": ("max_file_bytes", _size, "largest file (or zip member, decompressed) read", True),
    "--max-total-size": ("max_total_bytes", _size, "largest total of the NAT files of a directory or zip", True),
    "--max-ratio": ("max_ratio", _count, "largest compression ratio of a zip member over 1 MiB", False),
    "--max-members": ("max_members", _count, "most entries of a zip or directory", False),
    "--max-record-length": ("max_record_length", _size, "longest NAT record kept whole (at least 1 KiB)", True),
    "--max-records": ("max_records", _count, "most records read from one NAT file", False),
    "--max-json-depth": ("max_json_depth", _count, "deepest nesting of the JSON input", False),
    "--max-json-int-digits": ("max_json_int_digits", _count, "most digits of an integer in the JSON input", False),
}

#: The flags of commands that read NAT files, and of commands that read JSON input.
READ_LIMITS = (
    "--max-file-size",
    "--max-total-size",
    "--max-ratio",
    "--max-members",
    "--max-record-length",
    "--max-records",
)
JSON_LIMITS = ("--max-file-size", "--max-json-depth", "--max-json-int-digits")


def add_limit_arguments(p: argparse.ArgumentParser, flags: tuple[str, ...] = READ_LIMITS) -> None:
    """Add ``flags`` (each with its documented default) in a "safety limits" group."""
    group = p.add_argument_group(
        "safety limits", "input over a limit is refused with a located message, never attempted (docs/limits.md)"
    )
    for flag in flags:
        attr, parse, text, size = _FLAGS[flag]
        default = getattr(DEFAULT_LIMITS, attr)
        shown = format_size(default) if size else f"{default:,}"
        group.add_argument(flag, dest=f"limit_{attr}", type=parse, default=None, help=f"{text} (default {shown})")


def limits_from_args(args: argparse.Namespace) -> Limits:
    """The :class:`Limits` the parsed flags ask for (defaults for the flags not given)."""
    chosen = {
        attr: getattr(args, f"limit_{attr}")
        for attr, *_ in _FLAGS.values()
        if getattr(args, f"limit_{attr}", None) is not None
    }
    return attrs.evolve(DEFAULT_LIMITS, **chosen) if chosen else DEFAULT_LIMITS
