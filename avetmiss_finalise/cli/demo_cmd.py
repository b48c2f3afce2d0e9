"""``avetmiss-finalise demo [--out DIR]``: finalise the shipped sample enrolments and write NAT files.

The samples (``fixtures/enrolments/national.json`` and ``nsw.json``) cover every event kind: completion with the
credential issued and pending, deferral, withdrawal with TNC, and a transition. Finalised, they reproduce the
training activity of the sample NAT collection in ``fixtures/sample/`` (same TOID 90001, clients, units).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from avetmiss_finalise.cli.finalise_cmd import iso_date, run_file
from avetmiss_finalise.errors import UnreadableInputError

__all__ = ["DEMO_REPORTING_DATE", "HELP", "NAME", "add_arguments", "fixtures_dir", "run"]

NAME = "demo"
HELP = "Finalise the shipped sample enrolments (every event kind, NSW and national) into NAT files."

#: The sample collection's reporting date (fixtures/make_sample.py).
DEMO_REPORTING_DATE = datetime.date(2026, 11, 29)
#: Input file → profile it is finalised under.
_SAMPLES = (("national.json", "national"), ("nsw.json", "nsw"))


def fixtures_dir() -> Path:
    """``fixtures/enrolments`` of the source tree this package runs from (editable install or checkout)."""
    return Path(__file__).resolve().parents[2] / "fixtures" / "enrolments"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder (default out/demo)")
    p.add_argument("--fixtures", type=Path, default=None, help="folder holding national.json and nsw.json")
    p.add_argument(
        "--reporting-date",
        type=iso_date,
        default=DEMO_REPORTING_DATE,
        help=f"reporting date (default {DEMO_REPORTING_DATE.isoformat()}, the sample's)",
    )


def run(args: argparse.Namespace) -> int:
    source = args.fixtures or fixtures_dir()
    if not all((source / name).is_file() for name, _ in _SAMPLES):
        raise UnreadableInputError(
            f"sample enrolments not found in {source}; run from a source checkout or pass --fixtures DIR"
        )
    print(
        "Finalising the shipped sample enrolments (synthetic learners; every event kind) into NAT files.\n"
        "Each line: input item, learner, program, event -> status: NAT00120 rows (by outcome); then follow-up "
        "tasks or plan actions."
    )
    worst = 0
    for name, profile in _SAMPLES:
        out = args.out / profile
        print(f"== {source / name} (profile {profile}, reporting date {args.reporting_date.isoformat()})")
        sys.stdout.flush()
        worst = max(worst, run_file(source / name, profile=profile, reporting_date=args.reporting_date, out=out))
        print(f"   wrote {out / 'NAT00120.txt'}, {out / 'NAT00130.txt'}, {out / 'decisions.json'}")
    print("Per-unit decisions (values before and after, rule ID, reason) are in each decisions.json.")
    return worst
