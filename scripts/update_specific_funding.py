"""Rebuild the shipped specific funding identifier list (avetmiss_finalise/reference/specific_funding.csv).

NCVER publishes, for each collection year, the specific funding identifiers that are valid in it. Save that list
as a CSV with a ``code`` column (``Specific funding identifier`` also works) and, optionally, ``meaning``; then::

    python3 scripts/update_specific_funding.py NCVER_LIST.csv --year 2027 \\
        --source "https://www.ncver.edu.au/... (retrieved 2027-01-15)"
    python3 scripts/update_specific_funding.py --check     # the file is in the canonical form

Merging a year's list: every listed code is valid that year (an entry ending the year before is extended, else a
new entry starts); every code the file said was valid that year but the list omits now ends the year before; the
year joins ``complete_years`` (the rule then reports every code not listed); the version's serial goes up and the
date is today's (or ``--date``). Rows never come from anywhere but the list given: no code is invented.
The header is regenerated from the template below, with one ``# source YEAR:`` line per merged year.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

import attrs

from avetmiss_finalise.reference._files import decode
from avetmiss_finalise.reference.specific_funding import (
    FundingEntry,
    SpecificFundingList,
    header_field,
    parse_specific_funding,
)

DATA = Path(__file__).resolve().parents[1] / "avetmiss_finalise" / "reference" / "specific_funding.csv"

TEMPLATE = """\
# Specific funding identifiers (NAT00120 positions 100-109) by collection year: which codes are valid, and which
# expired, in which collection year. Rebuilt by scripts/update_specific_funding.py (docs/reference-data.md).
# version: {version}
# date: {date}
# complete_years:{complete}
# Provenance. NCVER publishes the yearly list of specific funding identifiers; that list was NOT available to the
# authors of shared/spec, so this file holds only what shared/spec supports: the census of public AVS rules
# (shared/spec/public_avs_rules.md, row C043) quotes "32 expired for 2019 data" from the ACT Skilled Capital code
# changes page. No code is invented. complete_years lists the years for which every valid code is listed (merged
# from NCVER's list by the update script); for other years a code not listed here is never reported: give NCVER's
# list for the year with --reference DIR (a file named specific_funding*.csv) to check every code.
# Columns: code; valid_from and valid_to (collection years, inclusive; blank = not known); meaning; status (valid =
# from NCVER's published list; unverified = from a secondary source, reported at ValidationOptions.unverified_severity);
# source.
{sources}code,valid_from,valid_to,meaning,status,source
"""


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def render(lst: SpecificFundingList, version: str, date: str, sources: list[str]) -> str:
    rows = sorted(lst.entries, key=lambda e: (e.code, e.valid_from or 0, e.valid_to or 9999))
    head = TEMPLATE.format(
        version=version,
        date=date,
        complete="".join(f" {y}" for y in sorted(lst.complete_years)),
        sources="".join(f"{s}\n" for s in sources),
    )
    body = "".join(
        ",".join(_cell(v) for v in (e.code, e.valid_from, e.valid_to, e.meaning, e.status, e.source)) + "\n"
        for e in rows
    )
    return head + body


def merge(lst: SpecificFundingList, year: int, codes: dict[str, str], source: str) -> SpecificFundingList:
    """``lst`` with NCVER's list of ``codes`` (code → meaning) for ``year`` merged in (module docstring)."""
    out: list[FundingEntry] = []
    placed: set[str] = set()
    for e in lst.entries:
        if e.code in codes:
            if e.valid_in(year):
                out.append(e)
                placed.add(e.code)
            elif e.valid_to == year - 1 and e.code not in placed:
                out.append(attrs.evolve(e, valid_to=year, status="valid", source=source))
                placed.add(e.code)
            else:
                out.append(e)
        elif e.valid_in(year):
            if e.valid_from is not None and e.valid_from >= year:
                continue  # only ever claimed valid from this year on, and the year's list omits it
            out.append(attrs.evolve(e, valid_to=year - 1))
        else:
            out.append(e)
    for code, meaning in codes.items():
        if code not in placed:
            out.append(FundingEntry(code=code, valid_from=year, valid_to=year, meaning=meaning, source=source))
    return SpecificFundingList(entries=tuple(out), complete_years=lst.complete_years | {year})


def _sources(text: str) -> list[str]:
    return [line.rstrip("\n") for line in text.splitlines() if line.startswith("# source ")]


def _next_version(version: str, today: datetime.date) -> str:
    year, _, serial = version.partition(".")
    if year == str(today.year) and serial.isdigit():
        return f"{year}.{int(serial) + 1}"
    return f"{today.year}.1"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("list", nargs="?", type=Path, help="NCVER's list for the year, saved as CSV")
    p.add_argument("--year", type=int, help="the collection year the list is for")
    p.add_argument("--source", help="where the list came from (URL and retrieval date)")
    p.add_argument("--date", type=datetime.date.fromisoformat, help="provenance date (default: today)")
    p.add_argument("--file", type=Path, default=DATA, help="the data file to update (default: the shipped one)")
    p.add_argument("--check", action="store_true", help="exit 1 unless the file is in its canonical form")
    args = p.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    current, _, _ = parse_specific_funding(text, args.file.name, shipped=True)
    version, date, sources = header_field(text, "version"), header_field(text, "date"), _sources(text)
    if args.check:
        if render(current, version, date, sources) != text:
            print(f"{args.file} is not in canonical form: run scripts/update_specific_funding.py", file=sys.stderr)
            return 1
        return 0
    if args.list is None or args.year is None or not args.source:
        p.error("give the list, --year and --source (or --check)")
    new, _, _ = parse_specific_funding(decode(args.list.read_bytes(), str(args.list)), str(args.list))
    codes = {e.code: e.meaning for e in new.entries}
    today = args.date or datetime.date.today()
    merged = merge(current, args.year, codes, args.source)
    sources = [s for s in sources if not s.startswith(f"# source {args.year}:")] + [
        f"# source {args.year}: {args.source}"
    ]
    args.file.write_text(render(merged, _next_version(version, today), today.isoformat(), sorted(sources)), "utf-8")
    print(f"{args.file}: {len(codes)} codes valid in {args.year}; {len(merged.entries)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
