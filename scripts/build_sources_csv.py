"""Rebuild avetmiss_finalise/validation/sources.csv from the source tables of ../shared/spec/.

The rule registry cites its sources by abbreviation (TEAMS, ESK-ERR, ISH, BDT, D22, …) and by the specification
notes they were assembled in (``validation_rules.md §3``, ``code_lists.md §9``). A clone of the project does not
have ../shared/spec/, so the table of what each abbreviation stands for ships with the package and docs/rules.md
(generated) ends with it. Run from the repository root with ../shared beside it::

    python3 scripts/build_sources_csv.py [--spec ../shared/spec]

Facts only (titles, repositories, commits, URLs), copied from the spec's tables; no code.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec"
OUT = ROOT / "avetmiss_finalise" / "validation" / "sources.csv"
#: Spec notes whose tables define abbreviations, in the order their definitions take precedence.
NOTES = (
    "layouts.md",
    "code_lists.md",
    "validation_rules.md",
    "finalisation.md",
    "sms_habits.md",
    "public_avs_rules.md",
)
_HEADERS = {"abbrev", "id", "abbr"}
#: Second header cells of source tables (rule tables also start with "ID": their second column is the rule).
_SOURCE_COLUMNS = {"document", "source", "files", "repo @ commit"}


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _tables(text: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(_cells(line))
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def rows(spec: Path = SPEC) -> list[dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for note in NOTES:
        path = spec / note
        if not path.is_file():
            continue
        for table in _tables(path.read_text(encoding="utf-8")):
            header = [h.lower() for h in table[0]]
            if len(header) < 2 or header[0] not in _HEADERS or header[1] not in _SOURCE_COLUMNS or len(table) < 3:
                continue
            where = ""
            for cells in table[2:]:
                key = cells[0].strip("`* ")
                # "same repo/commit" points at the row above: say which, since rows are shown one by one
                cells = [c.replace("same repo/commit", where) if where else c for c in cells]
                if len(cells) > 2 and "@" in cells[2]:
                    where = cells[2].split(",")[0]
                if not re.fullmatch(r"[A-Z][A-Z0-9-]{0,15}", key) or key in found:
                    continue
                source = " — ".join(c for c in cells[1:] if c and c != "—")
                found[key] = {"id": key, "source": source, "defined_in": note}
    return sorted(found.values(), key=lambda r: r["id"])


HEADER = """# Source abbreviations cited by the rule registry (Rule.source) and the layouts, with what each stands for.
# Built by scripts/build_sources_csv.py from the source tables of the project's specification notes (shared/spec:
# layouts.md §1, code_lists.md, validation_rules.md, …), which a clone does not have; docs/rules.md ends with it.
# Columns: id (the abbreviation), source (document or repository @ commit, and where), defined_in (the spec note).
"""


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=SPEC, help="the shared/spec directory (default ../shared/spec)")
    args = parser.parse_args(argv)
    if not (args.spec / "layouts.md").is_file():
        parser.error(f"{args.spec} does not hold the specification notes (layouts.md …)")
    out = io.StringIO()
    out.write(HEADER)
    writer = csv.DictWriter(out, fieldnames=["id", "source", "defined_in"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(args.spec))
    OUT.write_text(out.getvalue(), encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
