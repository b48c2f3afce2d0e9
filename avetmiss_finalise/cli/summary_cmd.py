"""``avetmiss-finalise summary PATH [--period] [--format text|json|html]``: what the collection holds, counted.

Clients, program and subject enrolments, completions; NAT00120 rows by outcome, funding source, delivery mode,
program and start month; hours — so a provider sees "400 outcome-70 rows in a final collection?" before NCVER
does. Counts and sums only: no personal data in any format. Exit 0, or 2 for unreadable input or bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from avetmiss_finalise.cli._common import EXIT_INPUT, epilog, existing
from avetmiss_finalise.cli._limits import add_limit_arguments, limits_from_args
from avetmiss_finalise.profiles import PROFILE_NAMES
from avetmiss_finalise.staging import write_files

__all__ = ["HELP", "NAME", "add_arguments", "run"]

NAME = "summary"
HELP = "Summarise a NAT collection: enrolments, completions, outcomes, funding, delivery, programs, months, hours."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = epilog(
        (
            "avetmiss-finalise summary submission.zip --period 2026",
            "avetmiss-finalise summary exports/2026 --period 2026 --format html -o summary.html  # [html] extra",
        ),
        ("0  summarised", EXIT_INPUT),
    )
    p.add_argument("path", help="a NAT file, a directory of NAT files or a zip of them")
    p.add_argument("--period", help="count only activity overlapping this period: a year (2026) or FROM:TO dates (ISO)")
    p.add_argument("--profile", default="national", type=str.lower, choices=PROFILE_NAMES, help="jurisdiction profile")
    p.add_argument("--format", default="text", choices=("text", "json", "html"), help="output format")
    p.add_argument("--output", "-o", help="write to this file instead of stdout")
    add_limit_arguments(p)


def run(args: argparse.Namespace) -> int:
    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.nat.presence import require_nat_files
    from avetmiss_finalise.summary import render_json, render_text, summarise
    from avetmiss_finalise.validation.engine import parse_period

    existing(args.path)
    if args.format == "html":
        from avetmiss_finalise.html import require

        require()
    period = parse_period(args.period)
    collection = require_nat_files(read_collection(args.path, profile=args.profile, limits=limits_from_args(args)))
    summary = summarise(collection.frames, period=period, profile=args.profile, source=str(args.path))
    if args.format == "json":
        text = render_json(summary)
    elif args.format == "html":
        from avetmiss_finalise import __version__
        from avetmiss_finalise.cli.validate_cmd import now
        from avetmiss_finalise.html import render_summary_html

        text = render_summary_html(summary.to_dict(), tool_version=__version__, generated=now())
    else:
        text = render_text(summary)
    if args.output:
        target = Path(args.output)
        write_files(target.parent, {target.name: text.encode("utf-8", "backslashreplace")}, create=False)
    else:
        sys.stdout.write(text)
    return 0
