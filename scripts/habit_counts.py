"""Error and warning counts per profile on the shipped samples, the known-bad collections and the SMS habits.

Every collection is validated under every profile (its own period and reporting date: 2026 / 2026-11-29 for the
samples, the ``.expected.json`` settings for fixtures/bad and fixtures/habits) and the errors and warnings are
summed per group and profile. ``--before-ref REF`` runs the same count with the library as it was at git
revision REF (exported with ``git archive`` into a temporary directory), on the same collections, and prints
both side by side: the before/after numbers of issue #8.

    .venv/bin/python scripts/habit_counts.py                       # counts with this checkout
    .venv/bin/python scripts/habit_counts.py --before-ref 02b0be8  # before (02b0be8) vs after (this checkout)
    .venv/bin/python scripts/habit_counts.py --detail              # one row per collection and profile
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
#: Every profile issue #8 reports on; a library without one prints "n/a" for it.
PROFILES = ("national", "nsw", "nsw-legacy", "vic", "qld", "sa", "wa", "tas", "nt", "act")
_SAMPLE = {"period": "2026", "reporting_date": "2026-11-29", "interim": False}


def collections() -> list[tuple[str, str, Path, dict[str, Any]]]:
    """(group, name, path, settings) of every collection counted."""
    out = [("samples", p.name, p, _SAMPLE) for p in (FIXTURES / "sample", FIXTURES / "sample-non-tga")]
    for group in ("bad", "habits"):
        for exp in sorted((FIXTURES / group).glob("*.expected.json")):
            name = exp.name[: -len(".expected.json")]
            data = json.loads(exp.read_text(encoding="utf-8"))
            first = data["runs"][0] if "runs" in data else data
            settings = {
                "period": first.get("period"),
                "reporting_date": first.get("reporting_date"),
                "interim": bool(first.get("interim", False)),
            }
            out.append((group, name, FIXTURES / group / name, settings))
    return out


def count() -> dict[str, Any]:
    """{"rows": [[group, name, profile, errors, warnings] …], "profiles": names known to this library}."""
    from avetmiss_finalise.profiles import PROFILE_NAMES
    from avetmiss_finalise.validation import ValidationOptions, validate

    rows = []
    for group, name, path, s in collections():
        when = s["reporting_date"]
        options = ValidationOptions(reporting_date=datetime.date.fromisoformat(when) if when else None)
        for profile in PROFILES:
            if profile not in PROFILE_NAMES:
                continue
            report = validate(path, period=s["period"], profile=profile, interim=s["interim"], options=options)
            c = report.counts()
            rows.append([group, name, profile, c["error"], c["warning"]])
    return {"rows": rows, "profiles": [p for p in PROFILES if p in PROFILE_NAMES]}


def _before(ref: str) -> dict[str, Any]:
    """The counts with the library at ``ref`` (its package first on the path; collections from this checkout)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "avetmiss_finalise"], check=True, capture_output=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": tmp}
        done = subprocess.run(
            [sys.executable, __file__, "--json"], check=True, capture_output=True, text=True, env=env, cwd=tmp
        )
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _totals(data: dict[str, Any]) -> dict[tuple[str, str], tuple[int, int]]:
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for group, _name, profile, errors, warnings in data["rows"]:
        e, w = out.get((group, profile), (0, 0))
        out[(group, profile)] = (e + errors, w + warnings)
    return out


def _cell(t: dict[tuple[str, str], tuple[int, int]], key: tuple[str, str], known: list[str]) -> str:
    if key[1] not in known:
        return "n/a"
    e, w = t.get(key, (0, 0))
    return f"{e} / {w}"


def _written_as(name: str) -> str:
    data = json.loads((FIXTURES / "habits" / f"{name}.expected.json").read_text(encoding="utf-8"))
    return str(data["written_as"])


def render(after: dict[str, Any], before: dict[str, Any] | None, detail: bool) -> str:
    groups = ("samples", "bad", "habits")
    lines = ["errors / warnings per profile (every collection of the group validated under every profile)", ""]
    header = "| group | profile | " + ("before | after |" if before else "errors / warnings |")
    lines += [header, "|---|---|" + ("---|---|" if before else "---|")]
    ta, tb = _totals(after), _totals(before) if before else {}
    for g in groups:
        for p in PROFILES:
            row = f"| {g} | {p} | "
            if before:
                row += f"{_cell(tb, (g, p), before['profiles'])} | "
            lines.append(row + f"{_cell(ta, (g, p), after['profiles'])} |")
    lines += [
        "",
        "Each SMS habit under the profile it was written for (fault-* are true faults: they must stay errors):",
        "",
    ]
    lines += ["| habit | profile | " + ("before | after |" if before else "errors / warnings |"),
              "|---|---|" + ("---|---|" if before else "---|")]  # fmt: skip
    old_rows = {(g, n, p): (e, w) for g, n, p, e, w in (before or {"rows": []})["rows"]}
    for g, n, p, e, w in after["rows"]:
        if g != "habits" or p != _written_as(n):
            continue
        row = f"| {n} | {p} | "
        if before:
            b = old_rows.get((g, n, p))
            row += f"{'n/a' if b is None else f'{b[0]} / {b[1]}'} | "
        lines.append(row + f"{e} / {w} |")
    if detail:
        lines += ["", "| group | collection | profile | errors | warnings |" + (" before |" if before else ""),
                  "|---|---|---|---|---|" + ("---|" if before else "")]  # fmt: skip
        old = {(g, n, p): (e, w) for g, n, p, e, w in (before or {"rows": []})["rows"]}
        for g, n, p, e, w in after["rows"]:
            extra = ""
            if before:
                b = old.get((g, n, p))
                extra = f" {'n/a' if b is None else f'{b[0]} / {b[1]}'} |"
            lines.append(f"| {g} | {n} | {p} | {e} | {w} |{extra}")
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before-ref", help="also count with the library at this git revision (before/after)")
    p.add_argument("--detail", action="store_true", help="one row per collection and profile")
    p.add_argument("--json", action="store_true", help="print the raw counts as JSON")
    args = p.parse_args()
    after = count()
    if args.json:
        print(json.dumps(after))
        return 0
    before = _before(args.before_ref) if args.before_ref else None
    print(render(after, before, args.detail), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
