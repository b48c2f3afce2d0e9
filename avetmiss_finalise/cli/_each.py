"""``validate DIR --each``: every submission under DIR validated, one report each and the run's summary.

Parse and hand over only: discovery, the parallel run and the summary are :mod:`avetmiss_finalise.validation.each`,
the documents :mod:`avetmiss_finalise.validation.each_render`. Here: the flags, refusing what cannot apply, the
clock, the progress bar, and writing — ``--format`` (the run document) to stdout, ``--output FORMAT:DIR`` as
``DIR/summary.SUFFIX`` (the run document) plus ``DIR/NAME.SUFFIX`` per readable submission (its own report).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from avetmiss_finalise.cli._common import whole_number
from avetmiss_finalise.errors import UsageError

if TYPE_CHECKING:
    from avetmiss_finalise.cli._common import Stopwatch
    from avetmiss_finalise.validation import Report, ValidationOptions

__all__ = ["add_each_arguments", "run_each"]


def add_each_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("many submissions (docs/validation.md, docs/ci.md)")
    g.add_argument(
        "--each",
        action="store_true",
        help=(
            "PATH is a directory of submissions: each zip or folder in it is validated on its own; --format writes "
            "the summary (json: with every report) to stdout, --output FORMAT:DIR writes DIR/summary.SUFFIX and "
            "one report per submission; exit code: the worst submission's"
        ),
    )
    g.add_argument(
        "--jobs",
        "-j",
        type=whole_number,
        metavar="N",
        help="with --each: submissions validated in parallel, in N processes (default: CPUs, at most 4); with "
        "--engine dask (--scheduler/--workers) each submission is one task on the cluster instead",
    )


def run_each(
    args: argparse.Namespace,
    options: ValidationOptions,
    clock: Stopwatch,
    *,
    limits: Any,
    engine: dict[str, Any],
    note: Callable[[Report], None],
    outputs: tuple[str | None, list[tuple[str, Path]]],
) -> int:
    """The ``--each`` run: validate, print the run document, write the files; the worst exit code."""
    import attrs

    from avetmiss_finalise.cli._progress import progress
    from avetmiss_finalise.validation.each import find_submissions, validate_each
    from avetmiss_finalise.validation.each_render import EACH_FORMATS, render_each, render_submission

    stdout, files = outputs
    if args.sample:
        raise UsageError("--each validates a directory of submissions, not --sample")
    if not args.path:
        raise UsageError("missing PATH: --each needs a directory of submissions (zips or folders)")
    if stdout == "html":
        raise UsageError(
            "--format html --each: a page per submission does not fit on stdout; write them with --output html:DIR"
        )
    wanted = list(dict.fromkeys([*([stdout] if stdout else []), *(f for f, _ in files)]))
    for name in wanted:
        if name not in EACH_FORMATS:
            raise UsageError(f"--each cannot write format {name}: expected one of {', '.join(EACH_FORMATS)}")
    client = engine.get("client")
    if client is not None:
        if args.jobs is not None:
            raise UsageError(
                "--jobs counts local processes; with --engine dask the cluster's workers run the submissions"
            )
        # One task per submission: each worker validates its submission whole, or streams it with --chunk-rows.
        engine = {"engine": "stream", "chunk_rows": engine["chunk_rows"]} if engine.get("chunk_rows") else {}
    if engine and "html" in wanted:
        raise UsageError(f"--format html needs the whole collection in memory; not with --engine {engine['engine']}")
    params = {"period": args.period, "profile": args.profile, "interim": args.interim, "rules": args.rules}
    with progress(len(find_submissions(args.path)), unit="submission", desc="validating", quiet=args.quiet) as bar:
        each = validate_each(
            args.path,
            jobs=args.jobs,
            client=client,
            with_summary="html" in wanted,
            on_done=lambda _: bar.update(),
            options=options,
            limits=limits,
            **params,
            **engine,
        )
    run = clock.run_info()
    subs = tuple(
        s if s.report is None else attrs.evolve(s, report=attrs.evolve(s.report, run=run)) for s in each.submissions
    )
    each = attrs.evolve(each, submissions=subs)
    readable = [s for s in each.submissions if s.report is not None]
    if readable:
        assert readable[0].report is not None
        note(readable[0].report)
    kwargs: dict[str, Any] = {"fail_on": args.fail_on, "max_locations": args.max_locations}
    documents = {name: render_each(each, name, **kwargs) for name in wanted}
    _write(files, documents, readable, lambda s, name: render_submission(s, name, **kwargs))
    if stdout is not None:
        sys.stdout.write(documents[stdout])
    return each.exit_code(args.fail_on)


def _write(
    files: list[tuple[str, Path]],
    documents: dict[str, str],
    readable: list[Any],
    render: Callable[[Any, str], str],
) -> None:
    """Each ``--output FORMAT:DIR``: the run document as ``summary.SUFFIX`` and a report per readable submission."""
    from avetmiss_finalise.formats import get_format
    from avetmiss_finalise.staging import write_file_sets

    by_dir: dict[Path, dict[str, bytes]] = {}
    for name, directory in files:
        suffix = get_format(name).suffix
        contents = by_dir.setdefault(Path(directory), {})
        contents[f"summary{suffix}"] = documents[name].encode("utf-8", "backslashreplace")
        for s in readable:
            own = f"{s.name}{suffix}"
            if own in contents:
                raise UsageError(f"--output {name}:{directory}: submission {s.name} would overwrite {own}")
            contents[own] = render(s, name).encode("utf-8", "backslashreplace")
    if by_dir:
        write_file_sets(by_dir.items())  # all or nothing across the directories, as validate's --output
