"""``avetmiss-finalise finalise INPUT.json --profile nsw --reporting-date YYYY-MM-DD --out DIR``.

Reads a JSON array of ``{"enrolment": …, "event": …}`` (schema: ``schemas/finalise-input.schema.json``), or the
same objects one per line from a ``.jsonl``/``.ndjson`` file (JSON Lines; problems located ``FILE:LINE: path``),
finalises each pair (transitions through ``avetmiss_finalise.transition.plan_transition``), writes NAT00120.txt,
NAT00130.txt and decisions.json into DIR, prints a summary. Exit 0 when every enrolment was finalised and no row
written carries an error, 1 when any was refused (the others are still written) or a written row carries an
error-severity finding (a notice under a validator rule that ``validate`` calls an error for the profile, e.g.
V-120-13 under nsw: the row is written, as the provider must decide, but the run is not clean), 2 for unreadable or
invalid input (every problem located).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from avetmiss_finalise.batch import BatchResult, Outcome, finalise_batch
from avetmiss_finalise.cli._common import epilog
from avetmiss_finalise.cli._limits import JSON_LIMITS, add_limit_arguments, limits_from_args
from avetmiss_finalise.errors import UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.inputs import read_regular
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.jsonio import InputItem, InvalidInputError, event_type, parse_input
from avetmiss_finalise.jsonl import JSON_LINES_SUFFIXES, parse_input_lines
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.model import Transition
from avetmiss_finalise.period import Period, parse_period
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile
from avetmiss_finalise.rule_severity import NAMED_RULES

if TYPE_CHECKING:
    from avetmiss_finalise.transition import Replacements
from avetmiss_finalise.staging import write_files

__all__ = [
    "HELP",
    "NAME",
    "Outcome",
    "add_arguments",
    "finalise_items",
    "review_html",
    "run",
    "run_file",
    "write_review",
]

NAME = "finalise"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
HELP = "Finalise enrolments (completion, withdrawal, deferral, transition) from JSON into NAT00120/NAT00130."


def iso_date(text: str) -> datetime.date:
    """argparse type: an ISO date, with a message that shows the expected form."""
    try:
        if _ISO.fullmatch(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected ISO date YYYY-MM-DD, got {text!r}")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = (
        "Writes NAT00120.txt, NAT00130.txt and decisions.json (per unit: before, after, rule ID, reason; plan\n"
        "actions of transitions). Input JSON Schema: avetmiss_finalise/schemas/finalise-input.schema.json.\n"
        "INPUT ending .jsonl or .ndjson is JSON Lines: one {enrolment, event} object per line (blank lines\n"
        "skipped), each held to the schema of one array element; problems are located FILE:LINE: path.\n\n"
    ) + epilog(
        (
            "avetmiss-finalise finalise enrolments.json --profile nsw --reporting-date 2026-11-29 --out out/nsw",
            "avetmiss-finalise finalise enrolments.json --reporting-date 2026-11-29 --out out/ --format html",
            "avetmiss-finalise finalise enrolments.jsonl --reporting-date 2026-11-29 --out out/   # JSON Lines",
        ),
        (
            "0  every enrolment finalised or planned, and no written row carries an error",
            "1  some refused (reasons on stderr and in decisions.json; the others are still written), or a\n"
            "     written row carries an error-severity finding (named under the validator's rule ID with the\n"
            "     severity validate gives it for the profile, e.g. V-120-13 under nsw; written all the same)",
            "2  unreadable or invalid input, every problem located (nothing written), or bad usage",
        ),
    )
    p.add_argument(
        "input", type=Path, help="JSON array of {enrolment, event} pairs, or one pair per line in a .jsonl file"
    )
    p.add_argument(
        "--profile", default="national", type=str.lower, choices=PROFILE_NAMES, help="jurisdiction (default national)"
    )
    p.add_argument(
        "--reporting-date", type=iso_date, required=True, help="no final outcome may end after it (YYYY-MM-DD)"
    )
    p.add_argument(
        "--period",
        metavar="YEAR|FROM:TO",
        help="the collection the rows go into (2026, or 2026-01-01:2026-06-30): units not yet started are dated "
        "after its end (after the reporting date with --interim), as validate judges them (V-120-08); final "
        "outcomes must end within it, those that ended before it are left out with a warning (F-PRIOR-YEAR). "
        "Default: no period (unstarted units move past the event date only)",
    )
    p.add_argument(
        "--interim",
        action="store_true",
        help="with --period: an interim collection, whose future starts after the reporting date",
    )
    p.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="directory with the training.gov.au qualification list (qualifications.csv): a transition without "
        "current_program_id takes the superseded program's current replacement from it",
    )
    p.add_argument("--out", type=Path, required=True, help="directory for NAT00120.txt, NAT00130.txt, decisions.json")
    p.add_argument(
        "--transliterate",
        action="store_true",
        help="write letters a NAT file cannot hold in ASCII (é as e, ß as ss) instead of refusing them",
    )
    add_limit_arguments(p, JSON_LIMITS)
    p.add_argument(
        "--format",
        default="text",
        choices=("text", "html"),
        help="html: also write decisions.html, a review page of decisions.json (needs the [html] extra)",
    )


def finalise_items(
    items: Sequence[InputItem],
    profile: str | Profile,
    reporting_date: datetime.date,
    replacements: Replacements | None = None,
    *,
    period: Period | int | str | None = None,
    interim: bool = False,
) -> list[Outcome]:
    """The outcomes of :func:`avetmiss_finalise.batch.finalise_batch` (kept for callers of the command module)."""
    return list(finalise_batch(items, profile, reporting_date, replacements, period=period, interim=interim).outcomes)


def write_outputs(outcomes: Sequence[Outcome], out: Path, profile: Profile, reporting_date: datetime.date) -> None:
    """NAT00120.txt, NAT00130.txt and decisions.json into ``out`` (created if needed), all or nothing."""
    BatchResult(outcomes=tuple(outcomes), profile=profile, reporting_date=reporting_date).write(out)


def _unwritable(exc: WriteError, outcomes: Sequence[Outcome], source: str) -> list[str]:
    """Locate each value the NAT writer refused back to its input enrolment (line N = Nth row written)."""
    owners: dict[str, list[tuple[int, str | None]]] = {
        "NAT00120.txt": [(o.index, r.subject_id) for o in outcomes for r in o.rows],
        "NAT00130.txt": [(o.index, None) for o in outcomes if o.nat00130 is not None],
    }
    lines = []
    for issue in exc.issues:
        if not isinstance(issue, Issue) or issue.line is None or issue.file not in owners:
            lines.append(f"{source}: {exc}")
            continue
        index, subject = owners[issue.file][issue.line - 1]
        unit = f" unit {subject}" if subject else ""
        lines.append(f"{source}: [{index}].enrolment{unit}: {issue.field}: {issue.message}")
    return lines


def _label(o: Outcome) -> str:
    e = o.item.enrolment
    program = e.program_id or "(subjects only)"
    if isinstance(o.item.event, Transition):
        program = f"{program} -> {o.item.event.current_program_id}"
    return f"[{o.index}] {e.client_id} {program} {event_type(o.item.event)}"


def _tally(o: Outcome) -> str:
    """How many rows report each national outcome, e.g. `` (40: 2, 85: 2)``."""
    counts = Counter(r.outcome_national or "blank" for r in o.rows)
    return f" ({', '.join(f'{code}: {n}' for code, n in sorted(counts.items()))})" if counts else ""


def _waiting(o: Outcome) -> bool:
    return any(a.kind == "wait_for_commitment_id" for a in o.actions)


def print_summary(outcomes: Sequence[Outcome], source: str, out: Path, stdout: TextIO, stderr: TextIO) -> None:
    """One line per enrolment on stdout; warnings and refusals, located, on stderr."""
    for o in outcomes:
        cid = f" under Commitment ID {o.commitment_id}" if o.rows and o.commitment_id else ""
        extra = f", NAT00130 issued flag {o.nat00130.issued_flag}" if o.nat00130 else ""
        to = f", TO outcome {o.training_organisation_outcome}" if o.training_organisation_outcome else ""
        print(f"{_label(o)} -> {o.status}: {len(o.rows)} NAT00120 rows{_tally(o)}{cid}{extra}{to}", file=stdout)
        if o.tasks:
            print(f"    follow-up: {', '.join(t.kind for t in o.tasks)}", file=stdout)
        for a in o.actions:
            print(f"    {a.kind}: {a.description}", file=stdout)
        where = f"{source}: [{o.index}].enrolment:"
        # A refusal's own errors are said once, by the refusal line; a finding on a written row at any severity.
        said = [
            f"{where} {i.severity.label} {i.rule_id}: {i.message}\n"
            for i in o.issues
            if i.severity < Severity.ERROR or o.refusal is None or i.rule_id in NAMED_RULES
        ]
        if o.refusal is not None:
            units = f" (units: {', '.join(o.refusal.subject_ids)})" if o.refusal.subject_ids else ""
            said.append(f"{where} refused {o.refusal.rule_id}: {o.refusal.message}{units}\n")
        if said:
            # stdout first, so that, with both streams in one file or pipe, each warning follows its enrolment; an
            # enrolment's lines in one write (stderr is line-buffered: a print each was a system call each, 133,000
            # for 100,000 units).
            stdout.flush()
            stderr.write("".join(said))
            stderr.flush()
    refused = sum(o.refusal is not None for o in outcomes)
    waiting = sum(o.refusal is None and _waiting(o) for o in outcomes)
    rows = sum(len(o.rows) for o in outcomes)
    done = sum(o.nat00130 is not None for o in outcomes)
    held = f", {waiting} waiting for a new Commitment ID" if waiting else ""
    print(
        f"{len(outcomes)} enrolments: {len(outcomes) - refused - waiting} finalised{held}, {refused} refused; "
        f"{rows} NAT00120 rows, {done} NAT00130 rows -> {out}",
        file=stdout,
    )


def run_file(
    source: Path,
    *,
    profile: str | Profile,
    reporting_date: datetime.date,
    out: Path,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
    transliterate: bool = False,
    replacements: Replacements | None = None,
    period: Period | int | str | None = None,
    interim: bool = False,
    review: bool = False,
) -> int:
    """Finalise one input file into ``out``; the exit code of ``finalise``. ``review``: decisions.html too, in the
    same all-or-nothing write as the other three files (a decisions.html that cannot be written leaves ``out`` as
    it was)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    prof = get_profile(profile)
    raw = read_regular(source, limits.max_file_bytes)  # a regular file only: a FIFO would block, /dev/zero never end
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(
            f"cannot read {source}: not UTF-8 text (byte {exc.start + 1}: {exc.reason})"
        ) from None
    del raw  # a large input is held once, not twice (the bytes and their text), and not while it is finalised
    lines = source.suffix.lower() in JSON_LINES_SUFFIXES
    try:
        if lines:
            items = parse_input_lines(text, limits=limits, transliterate=transliterate)
        else:
            items = parse_input(text, limits=limits, transliterate=transliterate)
    except InvalidInputError as exc:
        from avetmiss_finalise.jsonload import MAX_PROBLEMS

        for n, problem in enumerate(exc.problems[:MAX_PROBLEMS]):  # 200,000 bad items are not 400,000 lines
            if n < len(exc.lines):  # JSON Lines: file:line: path: message
                print(f"{source}:{exc.lines[n]}: {problem.removeprefix(f'line {exc.lines[n]}: ')}", file=stderr)
            else:
                print(f"{source}: {problem}", file=stderr)
        if len(exc.problems) > MAX_PROBLEMS:
            print(f"{source}: … and {len(exc.problems) - MAX_PROBLEMS} more", file=stderr)
        print(f"{source}: {len(exc.problems)} input problem(s); nothing written", file=stderr)
        return 2
    del text
    result = finalise_batch(items, prof, reporting_date, replacements, period=period, interim=interim)
    outcomes = result.outcomes
    try:
        if review:
            files = result.files()
            files["decisions.html"] = review_html(json.loads(files["decisions.json"]))
            write_files(out, files)
        else:
            result.write(out)
    except WriteError as exc:
        for line in _unwritable(exc, outcomes, str(source)):
            print(line, file=stderr)
        print(f"{source}: values that do not fit their NAT fields; nothing written", file=stderr)
        return 2
    print_summary(outcomes, str(source), out, stdout, stderr)
    return 1 if any(o.refusal is not None or _written_error(o) for o in outcomes) else 0


def _written_error(o: Outcome) -> bool:
    """Whether ``o`` wrote rows and carries an error-severity finding (about those rows: a refused outcome writes
    none, and the errors of a finalised one are notices under validator rules)."""
    return bool(o.rows or o.nat00130) and any(i.severity >= Severity.ERROR for i in o.issues)


def run(args: argparse.Namespace) -> int:
    if not isinstance(args.reporting_date, datetime.date):  # pragma: no cover - argparse guarantees it
        raise UsageError("--reporting-date is required")
    if getattr(args, "format", "text") == "html":
        from avetmiss_finalise.html import require

        require()  # before anything is written
    with _without_cyclic_gc():
        return _run_args(args)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """The command's run with the cyclic garbage collector paused (this process is the command's own).

    A batch keeps millions of small objects alive from parsing to writing — items, outcomes, decisions, issues —
    and they form no reference cycles: reference counting frees them as before, but the collector's full passes
    kept re-scanning all of them, a third of the command's CPU at 100,000 units, for nothing to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_args(args: argparse.Namespace) -> int:
    return run_file(
        args.input,
        profile=args.profile,
        reporting_date=args.reporting_date,
        out=args.out,
        limits=limits_from_args(args),
        transliterate=args.transliterate,
        replacements=_replacements(args.reference),
        period=parse_period(args.period),
        interim=args.interim,
        review=getattr(args, "format", "text") == "html",
    )


def _replacements(directory: Path | None) -> Replacements | None:
    """The qualification list of ``--reference DIR`` as a transition's current-replacement lookup."""
    if directory is None:
        return None
    from avetmiss_finalise.reference import load_reference

    programs = load_reference(directory).programs
    if programs is None:
        raise UsageError(f"--reference {directory}: no qualification list in it (a file named like qualifications.csv)")
    return programs.current_replacement


def review_html(doc: dict[str, Any]) -> bytes:
    """decisions.html rendered from ``doc``, the data of decisions.json (one source for both)."""
    from avetmiss_finalise import __version__
    from avetmiss_finalise.cli.validate_cmd import now
    from avetmiss_finalise.html import render_decisions_html

    return render_decisions_html(doc, tool_version=__version__, generated=now()).encode("utf-8")


def write_review(decisions_json: Path) -> Path:
    """decisions.html beside ``decisions_json``, rendered from that file's data (one source for both)."""
    doc = json.loads(decisions_json.read_text(encoding="utf-8"))
    (target,) = write_files(decisions_json.parent, {"decisions.html": review_html(doc)})
    return target
