"""Time each validation rule on a read collection, slowest first (finds the rule that breaks the 3 × read budget).

    .venv/bin/python benchmarks/bench_rules.py benchmarks/data/1m
    .venv/bin/python benchmarks/bench_rules.py benchmarks/data/1m-nsw --profile nsw --top 15

The collection directory is one written by ``generate.py`` / ``bench_validate.py``. Only rule checks are
timed (no report building); the read time is printed for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from avetmiss_finalise.nat import read_collection
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.validation import REGISTRY
from avetmiss_finalise.validation.registry import Context, Period


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", type=Path)
    p.add_argument("--profile", default="national")
    p.add_argument("--year", type=int, default=2026)
    p.add_argument("--top", type=int, default=10, help="rules listed (default 10)")
    args = p.parse_args(argv)
    t = time.perf_counter()
    coll = read_collection(args.path, profile=args.profile)
    read = time.perf_counter() - t
    prof = get_profile(args.profile)
    ctx = Context(frames=coll.frames, profile=prof, period=Period.year(args.year))
    times = []
    for r in REGISTRY.values():
        if r.check is None or (r.profiles is not None and prof.name not in r.profiles):
            continue
        t = time.perf_counter()
        found = sum(len(h.rows) for h in r.check(ctx))
        times.append((time.perf_counter() - t, r.id, found))
    total = sum(t for t, _, _ in times)
    print(f"read_collection {read:7.2f} s   rows: {len(coll.frames.get('NAT00120', ())):,}")
    print(f"all rules       {total:7.2f} s   ({total / read:.2f} x read, {len(times)} rules)")
    for took, rule_id, found in sorted(times, reverse=True)[: args.top]:
        print(f"  {rule_id:<18} {took:7.3f} s   findings: {found:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
