"""``avetmiss-finalise demo [--out DIR]``: finalise the shipped sample enrolments and write NAT files.

The samples (``national.json`` and ``nsw.json``, package data in :mod:`avetmiss_finalise.samples`, so the demo
works from the wheel alone) cover every event kind: completion with the credential issued and pending, deferral,
withdrawal with TNC, and a transition. Finalised, they reproduce the training activity of the sample NAT
collection (``validate --sample``; same TOID 90001, clients, units).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from avetmiss_finalise.cli._common import epilog
from avetmiss_finalise.cli.finalise_cmd import iso_date, run_file
from avetmiss_finalise.errors import UnreadableInputError
from avetmiss_finalise.samples import ENROLMENT_FILES, REPORTING_DATE, sample_enrolments

__all__ = ["DEMO_REPORTING_DATE", "HELP", "NAME", "add_arguments", "run"]

NAME = "demo"
HELP = "Finalise the shipped sample enrolments (every event kind, NSW and national) into NAT files."

#: The sample collection's reporting date (fixtures/make_sample.py).
DEMO_REPORTING_DATE = REPORTING_DATE


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = epilog(
        (
            "avetmiss-finalise demo                                   # writes out/demo/national and out/demo/nsw",
            "avetmiss-finalise demo --out /tmp/demo && avetmiss-finalise validate --sample --period 2026",
        ),
        (
            "0  every sample enrolment finalised",
            "1  some refused (not expected for the samples)",
            "2  --fixtures without national.json and nsw.json, or an output that cannot be written",
        ),
    )
    p.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder")
    p.add_argument(
        "--fixtures", type=Path, default=None, help="folder holding national.json and nsw.json (default: the packaged)"
    )
    p.add_argument(
        "--reporting-date",
        type=iso_date,
        default=DEMO_REPORTING_DATE,
        help=f"reporting date (default {DEMO_REPORTING_DATE.isoformat()}, the sample's)",
    )


@contextlib.contextmanager
def _source(fixtures: Path | None) -> Iterator[Path]:
    if fixtures is None:
        with sample_enrolments() as path:
            yield path
        return
    if not all((fixtures / name).is_file() for name, _ in ENROLMENT_FILES):
        raise UnreadableInputError(f"{fixtures}: national.json and nsw.json not found (--fixtures DIR holds both)")
    yield fixtures


def run(args: argparse.Namespace) -> int:
    print(
        "Finalising the shipped sample enrolments (synthetic learners; every event kind) into NAT files.\n"
        "Each line: input item, learner, program, event -> status: NAT00120 rows (by outcome); then follow-up "
        "tasks or plan actions."
    )
    worst = 0
    with _source(args.fixtures) as source:
        for name, profile in ENROLMENT_FILES:
            out = args.out / profile
            label = name if args.fixtures is None else source / name
            print(f"== {label} (profile {profile}, reporting date {args.reporting_date.isoformat()})")
            sys.stdout.flush()
            code = run_file(source / name, profile=profile, reporting_date=args.reporting_date, out=out)
            worst = max(worst, code)
            print(f"   wrote {out / 'NAT00120.txt'}, {out / 'NAT00130.txt'}, {out / 'decisions.json'}")
    print("The sample collection they reproduce: avetmiss-finalise validate --sample --period 2026")
    print("Per-unit decisions (values before and after, rule ID, reason) are in each decisions.json.")
    return worst
