"""``avetmiss-finalise convert SRC DEST``: NAT ⇄ CSV, byte-exact both ways for what was read.

NAT → CSV writes one ``NAT000nn.csv`` per file (one column per field plus ``extra``; parsed values, blanks empty,
dates ISO ``YYYY-MM-DD``; a cell that could not be parsed keeps its raw fixed-width text) and ``_nat_meta.json``
(profile, file names, line endings, BOM, final newline, short records). CSV → NAT reads them back and writes the
same bytes. The direction is taken from SRC: a ``.csv`` file, or a directory holding ``_nat_meta.json`` or a
``NAT000nn.csv``, is converted to NAT. CSV → NAT never drops data: a column that is not a field of the file
(renamed, added, another profile's) or a value that does not fit is refused with located errors, and then no
file is written.
"""

from __future__ import annotations

import argparse

from avetmiss_finalise.cli._common import EXIT_INPUT, epilog
from avetmiss_finalise.cli._limits import add_limit_arguments
from avetmiss_finalise.profiles import PROFILE_NAMES

__all__ = ["HELP", "NAME", "add_arguments", "run"]

NAME = "convert"
HELP = "Convert a NAT file/directory/zip to CSV files, or CSV files back to NAT files (byte-exact)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = epilog(
        (
            "avetmiss-finalise convert submission.zip out/csv          # NAT → CSV (+ _nat_meta.json)",
            "avetmiss-finalise convert out/csv out/nat                 # CSV → NAT, byte-exact",
        ),
        (
            "0  converted",
            EXIT_INPUT + "; a CSV that cannot be written back exactly, or a DEST not empty without --force "
            "(nothing is written then)",
        ),
    )
    p.add_argument("src", help="NAT file, directory or zip (→ CSV); or a directory of NAT000nn.csv / a .csv (→ NAT)")
    p.add_argument("dest", help="output directory")
    p.add_argument(
        "--profile",
        default=None,
        choices=PROFILE_NAMES,
        type=str.lower,
        help="layouts to use (default national; CSV → NAT defaults to the profile in _nat_meta.json)",
    )
    _add_safety_arguments(p)


def _add_safety_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a DEST that is not empty (files of the same names are replaced; others are left and named)",
    )
    p.add_argument(
        "--csv-safe",
        action="store_true",
        help="NAT → CSV: quote cells starting with = + - @ so spreadsheets do not run them as formulas (recorded in "
        "_nat_meta.json and undone on the way back, byte-exact); CSV → NAT without a sidecar: undo that quoting",
    )
    p.add_argument(
        "--show-personal-data",
        action="store_true",
        help="show values of personal fields (names, USI, dates of birth, …) in error messages",
    )
    add_limit_arguments(p)


def run(args: argparse.Namespace) -> int:
    # The conversion itself (pandas, the NAT reader and writer) is imported only now, not to build --help.
    from avetmiss_finalise.cli import _convert

    return _convert.run(args)
