"""Measure reference lookups: 1,000,000 client addresses against an 18,000-entry postcode/locality list (issue #14).

    python3 benchmarks/bench_reference.py                       # 1,000,000 rows, 18,000 entries
    python3 benchmarks/bench_reference.py --rows 200000 --entries 18000 --repeat 5

Everything is synthetic (invented localities, random postcodes); nothing is written but a temporary CSV. Timed in
the same run, median of ``--repeat`` (CPU and wall):

* loading the 18,000-row postcode CSV with ``load_reference`` (read, checked cell by cell, indexed);
* ``PostcodeTable.mismatches`` over the 1M rows (postcode + suburb + state; about 2% wrong) — the lookup every
  postcode rule makes;
* the whole V-080-10 rule through the engine's ``run_rules`` on a 1M-row NAT00080 frame (findings built);
* the baseline: the same check with a Python set, one row at a time (the record-at-a-time way).

Findings of the vectorised lookup and of the baseline must be equal. Target: the lookup well under a second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.reference import load_reference
from avetmiss_finalise.reference._parse import locality_key
from avetmiss_finalise.validation import REGISTRY, ValidationOptions
from avetmiss_finalise.validation.engine import run_rules
from avetmiss_finalise.validation.registry import Context, Period

_SYLLABLES = ("ZED", "QUA", "VOR", "MIX", "LUN", "TAR", "BEX", "OLO", "KIP", "RAN", "SUL", "WEN", "DOR", "FIM")
_STATES = ("NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT")


def _median(label: str, repeat: int, fn: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
    """``fn(*args)`` run ``repeat`` times: its result and the median wall and CPU seconds."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn(*args)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"{label:<44} wall {wall:7.3f} s   cpu {cpu:7.3f} s   (median of {repeat})")
    return out, wall, cpu


def _entries(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    while len(out) < n:
        pc = f"{rng.randint(200, 9999):04d}"
        loc = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if (pc, loc) not in seen:
            seen.add((pc, loc))
            out.append((pc, loc, rng.choice(_STATES)))
    return out


def _clients(entries: list[tuple[str, str, str]], rows: int, rng: random.Random) -> pd.DataFrame:
    ids = {"NSW": "01", "VIC": "02", "QLD": "03", "SA": "04", "WA": "05", "TAS": "06", "NT": "07", "ACT": "08"}
    pick = np.random.default_rng(rng.randint(0, 2**31)).integers(0, len(entries), rows)
    pcs = [entries[i][0] for i in pick]
    locs = [entries[i][1].title() if i % 3 else entries[i][1] for i in pick]
    states = [ids[entries[i][2]] for i in pick]
    for j in rng.sample(range(rows), rows // 50):  # 2% wrong: suburb of nowhere, or a postcode not listed
        if j % 2:
            locs[j] = "NOWHERE"
        else:
            pcs[j] = "0100"
    s = pd.StringDtype("pyarrow")
    return pd.DataFrame(
        {
            "client_id": pd.Series([f"C{i:09d}" for i in range(rows)], dtype=s),
            "postcode": pd.Series(pcs, dtype=s),
            "address_suburb": pd.Series(locs, dtype=s),
            "state_id": pd.Series(states, dtype=s),
        }
    )


def _baseline(df: pd.DataFrame, entries: list[tuple[str, str, str]]) -> np.ndarray:
    """Record at a time: a Python set of normalised pairs, one lookup per row."""
    pairs = {(p, locality_key(loc)) for p, loc, _ in entries}
    bad = np.zeros(len(df), dtype=bool)
    for i, (p, loc) in enumerate(zip(df["postcode"], df["address_suburb"], strict=True)):
        bad[i] = (p, locality_key(loc)) not in pairs
    return bad


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--entries", type=int, default=18_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    entries = _entries(args.entries, rng)
    df = _clients(entries, args.rows, rng)
    print(f"{args.rows:,} client rows, {args.entries:,} postcode/locality entries (synthetic)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "postcodes.csv"
        path.write_text("Pcode,Locality,State\n" + "".join(f"{a},{b},{c}\n" for a, b, c in entries), "utf-8")
        ref, _, _ = _median("load_reference (18k-row CSV, checked)", args.repeat, load_reference, tmp)
    table = ref.postcodes
    why, t_lookup, c_lookup = _median(
        "PostcodeTable.mismatches (vectorised)",
        args.repeat,
        table.mismatches,
        df["postcode"],
        df["address_suburb"],
        df["state_id"],
    )
    ctx = Context(
        frames={"NAT00080": df},
        profile=get_profile("national"),
        period=Period.year(2026),
        options=ValidationOptions(reference=ref),
    )
    found, _, _ = _median(
        "V-080-10 through run_rules (findings built)", args.repeat, run_rules, ctx, [REGISTRY["V-080-10"]]
    )
    base, t_base, c_base = _median("baseline: Python set, row at a time", args.repeat, _baseline, df, entries)
    ours = why.notna().to_numpy(dtype=bool)
    wrong_state = (why == "the postcode/locality list places this suburb and postcode in another state").fillna(False)
    assert np.array_equal(ours & ~wrong_state.to_numpy(dtype=bool), base), "lookup and baseline disagree"
    print(
        f"findings: {int(ours.sum()):,} rows ({len(found):,} findings); lookup {t_base / t_lookup:.1f}x (wall), "
        f"{c_base / c_lookup:.1f}x (CPU) faster than the baseline; target: well under 1 s for the lookup"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
