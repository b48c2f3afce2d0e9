"""What ``avetmiss-finalise convert SRC DEST`` does (its command line is in convert_cmd.py, which imports this
module only when the command runs: pandas is not needed to build ``--help``): NAT ⇄ CSV, byte-exact both ways.

The conversion itself is the library's (:mod:`avetmiss_finalise.convert`); this module takes the direction from
SRC (a ``.csv`` file, or a directory holding ``_nat_meta.json`` or a ``NAT000nn.csv``, is converted to NAT),
refuses a DEST that is not empty unless ``--force``, and prints what was written and every note.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from avetmiss_finalise.cli._common import existing
from avetmiss_finalise.cli._limits import limits_from_args
from avetmiss_finalise.convert import META_NAME, collection_to_csv, csv_file_id, csv_to_nat, is_csv_source
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.presence import require_nat_files
from avetmiss_finalise.nat.read import file_id_of, read_collection
from avetmiss_finalise.staging import is_empty_dir

__all__ = ["run"]


def _refuse_non_empty(dest: Path, force: bool) -> None:
    if not force and not is_empty_dir(dest):
        raise UsageError(
            f"{dest} is not empty: files already there would mix with the converted ones (a stale CSV or NAT file "
            "comes back as data); convert into an empty directory, or pass --force"
        )


def _stale(dest: Path, written: list[Path]) -> list[str]:
    """Files in ``dest`` that look like part of a NAT or CSV set but were not written now (after --force)."""
    mine = {p.name for p in written} | {META_NAME}
    return [
        f"{dest} also holds {p.name}, not written by this conversion"
        for p in sorted(dest.iterdir())
        if p.name not in mine and (file_id_of(p.name) or csv_file_id(p))
    ]


def run(args: argparse.Namespace) -> int:
    src, dest = existing(args.src), Path(args.dest)
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory")
    _refuse_non_empty(dest, args.force)
    limits = limits_from_args(args)
    notes: list[str] = []
    if is_csv_source(src):
        written = csv_to_nat(
            src,
            dest,
            args.profile,
            limits=limits,
            csv_safe=args.csv_safe,
            show_personal_data=args.show_personal_data,
            notes=notes,
        )
    else:
        coll = require_nat_files(read_collection(src, profile=args.profile or "national", limits=limits))
        written = collection_to_csv(coll, dest, csv_safe=args.csv_safe)
        found = [i for i in coll.issues if i.severity >= Severity.WARNING]
        if found:  # the CSV keeps the data as read; say that it was not clean
            errors = sum(1 for i in found if i.severity >= Severity.ERROR)
            notes.append(
                f"warning: {len(found)} reader issue(s), {errors} at error level, in {src};"
                f" see: avetmiss-finalise inspect {src}"
            )
    if args.force:
        notes += _stale(dest, written)
    for note in notes:
        print(f"avetmiss-finalise: {note if note.startswith('warning') else 'note: ' + note}", file=sys.stderr)
    for path in written:
        print(path)
    return 0
