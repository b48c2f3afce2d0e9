"""``avetmiss-finalise validate PATH``: validate a NAT collection offline, like NCVER's AVS but located precisely.

Exit 0 when no finding reaches ``--fail-on`` (default error), 1 otherwise, 2 for unreadable input or bad usage.
Personal data stays out of the report unless ``--show-personal-data``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.profiles import PROFILE_NAMES
from avetmiss_finalise.validation import ValidationOptions, validate
from avetmiss_finalise.validation.render import FORMATS, render, render_html

if TYPE_CHECKING:
    from avetmiss_finalise.summary import Summary
    from avetmiss_finalise.validation import Report

__all__ = ["HELP", "NAME", "add_arguments", "run"]

NAME = "validate"
HELP = "Validate a NAT file, directory or zip against the AVETMISS rule catalogue."


def _severity(text: str) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _override(text: str) -> tuple[str, Severity]:
    rule_id, sep, sev = text.partition("=")
    if not sep or not rule_id.strip():
        raise argparse.ArgumentTypeError(f"expected RULE-ID=SEVERITY, got {text!r}")
    return rule_id.strip(), _severity(sev)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="a NAT file, a directory of NAT files or a zip of them")
    p.add_argument("--period", help="collection period: a year (2026) or FROM:TO dates (2026-01-01:2026-06-30)")
    p.add_argument("--interim", action="store_true", help="interim (not final) collection: relaxes future-dated rules")
    p.add_argument("--profile", default="national", type=str.lower, choices=PROFILE_NAMES, help="jurisdiction profile")
    p.add_argument(
        "--fail-on", default="error", type=_severity, help="exit 1 at this severity or worse (error|warning|info)"
    )
    p.add_argument("--format", default="text", choices=tuple(FORMATS), help="report format")
    p.add_argument(
        "--output",
        "-o",
        metavar="[FORMAT:]PATH",
        help="write the report to this file instead of stdout; FORMAT:PATH (e.g. html:report.html) picks its format",
    )
    p.add_argument("--max-locations", type=int, default=20, help="locations listed per rule in text/junit (default 20)")
    p.add_argument("--show-personal-data", action="store_true", help="show values of personal fields (names, USI, …)")
    p.add_argument("--rule", action="append", dest="rules", metavar="RULE-ID", help="run only this rule (repeatable)")
    p.add_argument(
        "--disable", action="append", default=[], metavar="RULE-ID", help="do not run this rule (repeatable)"
    )
    p.add_argument(
        "--severity",
        action="append",
        default=[],
        type=_override,
        metavar="RULE-ID=SEVERITY",
        help="override a rule's severity (repeatable)",
    )
    p.add_argument(
        "--reporting-date",
        help=(
            "'today' (ISO date, default: the period end) for the future-date rules of an --interim collection and "
            "for age plausibility; a final collection's future is always after the period end"
        ),
    )


def run(args: argparse.Namespace) -> int:
    if not Path(args.path).exists():
        print(f"avetmiss-finalise: error: {args.path}: no such file or directory", file=sys.stderr)
        return 2
    if args.max_locations < 0:
        raise UsageError("--max-locations must be 0 or more")
    options = ValidationOptions(
        show_personal_data=args.show_personal_data,
        max_locations=args.max_locations,
        severity_overrides=dict(args.severity),
        disabled_rules=frozenset(args.disable),
    )
    if args.reporting_date:
        import datetime

        try:
            options = attrs.evolve(options, reporting_date=datetime.date.fromisoformat(args.reporting_date))
        except ValueError:
            raise UsageError(f"bad --reporting-date {args.reporting_date!r}: expected YYYY-MM-DD") from None
    fmt, output = _output(args.format, args.output)
    if fmt == "html":
        from avetmiss_finalise.html import require

        require()  # before the (possibly long) validation: say at once how to install the extra
        report, summary = _validate_with_summary(args, options)
        text = render_html(report, fail_on=args.fail_on, summary=summary, generated=now())
    else:
        report = validate(
            args.path, period=args.period, profile=args.profile, interim=args.interim, options=options, rules=args.rules
        )
        text = render(report, fmt, fail_on=args.fail_on, max_locations=args.max_locations)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write the report to {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return 1 if report.failed(args.fail_on) else 0


def _output(fmt: str, output: str | None) -> tuple[str, str | None]:
    """``--output FORMAT:PATH`` writes that format (``--format`` otherwise); a one-letter prefix is a drive."""
    if output:
        prefix, sep, path = output.partition(":")
        if sep and prefix in FORMATS and path:
            return prefix, path
    return fmt, output


def now() -> str:
    """The local time, for the "generated" line of an HTML report (the CLI is the edge that reads the clock)."""
    import datetime

    return datetime.datetime.now(datetime.UTC).astimezone().isoformat(timespec="seconds")


def _validate_with_summary(args: argparse.Namespace, options: ValidationOptions) -> tuple[Report, Summary]:
    """Read the collection once; validate it and summarise it (the HTML report's summary section)."""
    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.summary import summarise

    collection = read_collection(args.path, profile=args.profile)
    source: object = collection if collection.frames else args.path  # nothing read: validate() says so, one wording
    report = validate(
        source, period=args.period, profile=args.profile, interim=args.interim, options=options, rules=args.rules
    )
    summary = summarise(collection.frames, period=report.period, profile=report.profile, source=str(args.path))
    return attrs.evolve(report, source=str(args.path)), summary
