"""``avetmiss-finalise validate PATH``: validate a NAT collection offline, like NCVER's AVS but located precisely.

Exit 0 when no finding reaches ``--fail-on`` (default error), 1 otherwise, 2 for unreadable input or bad usage.
Personal data stays out of the report unless ``--show-personal-data``. One run writes the ``--format`` report to
stdout and any number of other reports to files (``--output FORMAT:PATH``, repeatable); the run's audit (time,
duration, host) is taken here, at the edge, and the rules that did not run are named on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from avetmiss_finalise.cli._common import EXIT_INPUT, Stopwatch, add_input_argument, epilog, input_path
from avetmiss_finalise.cli._each import add_each_arguments
from avetmiss_finalise.cli._engine import add_engine_arguments, engine_params
from avetmiss_finalise.cli._limits import add_limit_arguments, limits_from_args
from avetmiss_finalise.cli._progress import add_progress_arguments
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.formats import FORMATS, get_format
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.profiles import PROFILE_NAMES

if TYPE_CHECKING:
    from avetmiss_finalise.summary import Summary
    from avetmiss_finalise.validation import Report, ValidationOptions

__all__ = [
    "HELP",
    "NAME",
    "add_arguments",
    "add_reference_arguments",
    "now",
    "parse_outputs",
    "reference_options",
    "run",
]

NAME = "validate"
HELP = "Validate a NAT file, directory or zip against the AVETMISS rule catalogue."

_EXAMPLES = (
    "avetmiss-finalise validate submission.zip --period 2026 --profile nsw",
    "avetmiss-finalise validate exports/2026 --period 2026 --format github --output sarif:avetmiss.sarif "
    "--output junit:avetmiss.xml",
    "avetmiss-finalise validate --sample --period 2026            # the sample shipped with the package",
)


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
    p.epilog = epilog(
        _EXAMPLES,
        (
            "0  no finding reaches --fail-on",
            "1  some finding does (error by default)",
            EXIT_INPUT + "; an unknown rule id; an --output that cannot be written",
        ),
    )
    add_input_argument(p)
    p.add_argument("--period", help="collection period: a year (2026) or FROM:TO dates (2026-01-01:2026-06-30)")
    p.add_argument("--interim", action="store_true", help="interim (not final) collection: relaxes future-dated rules")
    p.add_argument("--profile", default="national", type=str.lower, choices=PROFILE_NAMES, help="jurisdiction profile")
    p.add_argument(
        "--fail-on", default="error", type=_severity, help="exit 1 at this severity or worse (error|warning|info)"
    )
    p.add_argument(
        "--format",
        default="text",
        choices=tuple(FORMATS),
        help="the report written to stdout: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()),
    )
    p.add_argument(
        "--output",
        "-o",
        action="append",
        default=[],
        metavar="[FORMAT:]PATH",
        help=(
            "also write a report to a file, in FORMAT (e.g. sarif:out.sarif, junit:report.xml); repeatable, so one "
            "run writes several formats while --format still goes to stdout. A PATH without FORMAT: takes the "
            "--format report off stdout into PATH"
        ),
    )
    p.add_argument("--max-locations", type=int, default=20, help="locations listed per rule in text/junit/github")
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
        "--state-positions",
        type=_severity,
        default=None,
        metavar="SEVERITY",
        help=(
            "under --profile national, the most severe a finding on a position past the national record may be "
            "(default warning: a national submission is judged on the national record; unverified that AVS "
            "ignores the rest); 'error' judges them in full"
        ),
    )
    p.add_argument(
        "--reporting-date",
        help=(
            "'today' (ISO date, default: the period end) for the future-date rules of an --interim collection and "
            "for age plausibility; a final collection's future is always after the period end"
        ),
    )
    add_reference_arguments(p)
    add_limit_arguments(p)
    add_engine_arguments(p)
    add_each_arguments(p)
    add_progress_arguments(p)


def add_reference_arguments(p: argparse.ArgumentParser) -> None:
    """``--reference DIR`` and the options of the rules that check against the submitting account."""
    p.add_argument(
        "--reference",
        metavar="DIR",
        help=(
            "directory of reference files you downloaded (postcodes.csv, rtos.csv, qualifications.csv, units.csv, "
            "specific_funding.csv; docs/reference-data.md): runs the rules that need them"
        ),
    )
    p.add_argument(
        "--expected-toid",
        metavar="TOID",
        help="the RTO code your AVS account is registered for: NAT00010 must name it (V-010-06, AVS 4704)",
    )
    p.add_argument(
        "--teach-out-months",
        type=int,
        metavar="N",
        help="a superseded qualification may be reported N months after its superseded date when the list gives "
        "no teach-out date (V-030-08)",
    )


def reference_options(args: argparse.Namespace, options: ValidationOptions) -> ValidationOptions:
    """Load ``--reference`` (located errors: exit 2) and set the reference options; notes on stderr."""
    import attrs

    if args.teach_out_months is not None and args.teach_out_months < 0:
        raise UsageError("--teach-out-months must be 0 or more")
    options = attrs.evolve(options, expected_toid=args.expected_toid, teach_out_months=args.teach_out_months)
    if not args.reference:
        return options
    from avetmiss_finalise.reference import load_reference

    reference = load_reference(args.reference)
    for note in reference.ignored:
        print(f"avetmiss-finalise: note: {args.reference}: ignored {note}", file=sys.stderr)
    return attrs.evolve(options, reference=reference)


def parse_outputs(fmt: str, outputs: list[str]) -> tuple[str | None, list[tuple[str, Path]]]:
    """(format for stdout or ``None``, [(format, path)]) from ``--format`` and the ``--output`` values.

    ``FORMAT:PATH`` names a registered format (a one-letter prefix is a Windows drive, not a format); a bare PATH
    takes the ``--format`` report off stdout (at most one). Two reports to one path are refused.
    """
    stdout: str | None = fmt
    files: list[tuple[str, Path]] = []
    for value in outputs:
        prefix, sep, rest = value.partition(":")
        if sep and len(prefix) > 1 and rest:
            files.append((get_format(prefix.lower()).name, Path(rest)))
        elif stdout is None:
            raise UsageError(f"--output {value}: only one --output may be a bare PATH (the --format report)")
        else:
            files.append((fmt, Path(value)))
            stdout = None
    seen: dict[Path, str] = {}
    for name, path in files:
        key = path.resolve()
        if key in seen:
            raise UsageError(f"--output: {path} is named twice ({seen[key]} and {name})")
        seen[key] = name
    return stdout, files


def now() -> str:
    """The local time, for the "generated" line of an HTML page (the CLI is the edge that reads the clock)."""
    import datetime

    return datetime.datetime.now(datetime.UTC).astimezone().isoformat(timespec="seconds")


def _options(args: argparse.Namespace) -> ValidationOptions:
    import datetime

    from avetmiss_finalise.validation import ValidationOptions

    reporting_date = None
    if args.reporting_date:
        try:
            reporting_date = datetime.date.fromisoformat(args.reporting_date)
        except ValueError:
            raise UsageError(f"bad --reporting-date {args.reporting_date!r}: expected YYYY-MM-DD") from None
    options = ValidationOptions(
        show_personal_data=args.show_personal_data,
        max_locations=args.max_locations,
        severity_overrides=dict(args.severity),
        disabled_rules=frozenset(args.disable),
        reporting_date=reporting_date,
        **({} if args.state_positions is None else {"state_positions_severity": args.state_positions}),
    )
    return reference_options(args, options)


def run(args: argparse.Namespace) -> int:
    clock = Stopwatch()
    if args.max_locations < 0:
        raise UsageError("--max-locations must be 0 or more")
    stdout, files = parse_outputs(args.format, args.output)
    wanted = [get_format(f) for f in dict.fromkeys([*([stdout] if stdout else []), *(f for f, _ in files)])]
    if any(f.extra == "html" for f in wanted):
        from avetmiss_finalise.html import require

        require()  # before the (possibly long) validation: say at once how to install the extra
    options = _options(args)
    if args.state_positions is not None and args.profile != "national":
        print(
            f"avetmiss-finalise: note: --state-positions applies under --profile national only (a {args.profile} "
            "submission is judged on its full record); ignored",
            file=sys.stderr,
        )
    if args.each:
        from avetmiss_finalise.cli._each import run_each

        with engine_params(args) as engine:
            limits = limits_from_args(args)
            return run_each(
                args, options, clock, limits=limits, engine=engine, note=_note_skipped, outputs=(stdout, files)
            )
    with input_path(args) as path:
        report, summary = _validate(args, path, options, summary=any(f.needs_summary for f in wanted))
    import attrs

    report = attrs.evolve(report, run=clock.run_info())
    _note_skipped(report)
    kwargs: dict[str, Any] = {"fail_on": args.fail_on, "max_locations": args.max_locations, "summary": summary}
    rendered = {name: get_format(name).load()(report, **kwargs) for name in {f.name for f in wanted}}
    _write(files, rendered)
    if stdout is not None:
        sys.stdout.write(rendered[stdout])
    return 1 if report.failed(args.fail_on) else 0


def _validate(
    args: argparse.Namespace, path: str, options: ValidationOptions, *, summary: bool
) -> tuple[Report, Summary | None]:
    """Validate ``path``; with ``summary``, read it once for both the report and the summary (HTML)."""
    from avetmiss_finalise.validation import validate

    params = {"period": args.period, "profile": args.profile, "interim": args.interim, "rules": args.rules}
    limits = limits_from_args(args)
    with engine_params(args) as engine:
        if engine and summary:
            raise UsageError(
                f"--format html needs the whole collection in memory; not with --engine {engine['engine']}"
            )
        if engine.get("engine") == "stream":
            from avetmiss_finalise.cli._progress import Phases
            from avetmiss_finalise.engines.stream import validate_stream

            with Phases(quiet=args.quiet) as bar:
                chunk_rows = engine["chunk_rows"]
                stream = validate_stream(
                    path, chunk_rows=chunk_rows, options=options, limits=limits, progress=bar, **params
                )
            return stream, None
        if engine or not summary:
            from avetmiss_finalise.cli._progress import Phases

            with Phases(quiet=args.quiet) as bar:
                return validate(path, options=options, limits=limits, progress=bar, **params, **engine), None
    import attrs

    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.nat.presence import require_nat_files
    from avetmiss_finalise.summary import summarise

    collection = require_nat_files(read_collection(path, profile=args.profile, limits=limits, digests=True))
    from avetmiss_finalise.cli._progress import Phases

    with Phases(quiet=args.quiet) as bar:
        report = validate(collection, options=options, progress=bar, **params)
    facts = summarise(collection.frames, period=report.period, profile=report.profile, source=path)
    return attrs.evolve(report, source=path), facts


def _note_skipped(report: Report) -> None:
    """Without --period (or --reporting-date), say on stderr which rules did not run, so a green run is not
    mistaken for a full one."""
    from avetmiss_finalise.validation.registry import REQUIREMENTS

    reasons = {REQUIREMENTS[n].reason for n in ("period", "reference_date")}
    for reason in sorted(reasons):
        ids = sorted(r for r, why in report.rules_skipped.items() if why == reason)
        if ids:
            print(f"avetmiss-finalise: note: {reason}: {', '.join(ids)}", file=sys.stderr)


def _write(files: list[tuple[str, Path]], rendered: dict[str, str]) -> None:
    """Every report through the one output helper (staged, renamed into place, never through a symlink), all or
    nothing across directories: a report that cannot be written leaves the others unwritten too."""
    from avetmiss_finalise.staging import write_file_sets

    by_dir: dict[Path, dict[str, bytes]] = {}
    for name, path in files:
        by_dir.setdefault(path.parent, {})[path.name] = rendered[name].encode("utf-8", "backslashreplace")
    if by_dir:
        write_file_sets(by_dir.items(), create=False)
