"""Issue #12's ratios in one run: read vs the numpy floor, validate vs read, the finalise command in units/s.

    python3 benchmarks/bench_ratios.py                         # 1M rows; validate also at 3M; finalise 100k + 1M units
    python3 benchmarks/bench_ratios.py --rows 1000000 --validate-rows 1000000,3000000 --finalise-units 100000 -n 3
    python3 benchmarks/bench_ratios.py --only read -n 5        # read / floor / read_fwf only

Everything is built once in a temporary directory (removed at the end): a synthetic collection from
``benchmarks/generate.py`` per size and a finalise input JSON per size. Each measurement is taken ``-n`` times,
interleaved (floor, read, floor, read, …) so that load on the shared machine hits both alike; the table shows
medians of CPU seconds (``time.process_time``, all threads) and wall seconds, and each **ratio is taken against
a baseline timed in the same run**. Absolute times on a shared 2-core machine vary by 2×; the ratios much less.

* **numpy floor** — what any reader must at least do: read the file's bytes, ``np.frombuffer``, view it as
  ``(records, stride)`` and copy each layout field's byte columns out contiguous (27 arrays, no decoding).
* **read** — ``read_file`` into the typed columnar view (strings, nullable ints, dates, every finding).
* **read_fwf** — ``pandas.read_fwf`` with the layout's colspecs, every column as text, on the first
  ``--fwf-rows`` records only (it is slow); compared with our read of that same head file.
* **validate** — ``validate(path)`` with every rule, reading included (what the command does), against
  ``read_collection`` of the same directory; the rules alone (``validate`` of the collection already read) too.
* **finalise** — the ``finalise`` command end to end in a fresh interpreter (JSON in, NAT00120/NAT00130 and
  ``decisions.json`` out); CPU from the child's rusage; units/s = input units / CPU seconds (and / wall).
* **peak memory** — VmHWM of a fresh interpreter reading the file, above its RSS after a warm-up read.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_finalise import _child as run_child  # noqa: E402
from generate import generate_frames, write_frames  # noqa: E402

from avetmiss_finalise.nat import read_collection, read_file  # noqa: E402
from avetmiss_finalise.profiles import get_profile  # noqa: E402

FILE_ID = "NAT00120"
YEAR = 2026


def numpy_floor(path: Path, bounds: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """The floor: bytes → (records, stride) view → one contiguous byte block per field. No decoding."""
    with open(path, "rb") as fh:
        data = fh.read()
    arr = np.frombuffer(data, dtype=np.uint8)
    stride = data.index(b"\n") + 1
    matrix = arr[: arr.size - arr.size % stride].reshape(-1, stride)
    return [np.ascontiguousarray(matrix[:, a:b]) for a, b in bounds]


def _once(fn: Callable[[], Any]) -> tuple[float, float]:
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn()
    took = time.process_time() - c0, time.perf_counter() - w0
    del result
    return took


def interleaved(fns: dict[str, Callable[[], Any]], n: int) -> dict[str, tuple[float, float]]:
    """Median (CPU, wall) of each function, run ``n`` times in rotation."""
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in fns}
    for _ in range(n):
        for k, fn in fns.items():
            runs[k].append(_once(fn))
    return {k: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v)) for k, v in runs.items()}


_MEMORY_PROBE = """
import json, sys, pathlib, tempfile
from avetmiss_finalise.nat import read_file
def status(key):
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith(key))
with open(sys.argv[1], 'rb') as f:
    head = b''.join(f.readline() for _ in range(10))
warm = pathlib.Path(tempfile.mkdtemp()) / 'NAT00120.txt'
warm.write_bytes(head)
read_file(warm)
before = status('VmRSS:')
coll = read_file(sys.argv[1])
print(json.dumps({"before_kb": before, "peak_kb": status('VmHWM:')}))
"""


def peak_memory(path: Path) -> float:
    """Peak RSS growth of a fresh interpreter reading ``path``, as a multiple of the file size."""
    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(path)], capture_output=True, text=True, check=True)
    m = json.loads(out.stdout)
    return (m["peak_kb"] - m["before_kb"]) * 1024 / path.stat().st_size


# ----------------------------------------------------------------------------------------------- finalise input


def finalise_input(n_units: int, seed: int = 0, units_per: int = 10) -> list[dict[str, Any]]:
    """A finalise input of ``n_units`` units (``units_per`` per enrolment): completions, withdrawals of every
    status, deferrals; outcomes 20/51/60/70/85/none (some completions still 70: refused, as in real data)."""
    rng = np.random.default_rng(seed)
    n_enrol = max(1, n_units // units_per)
    base = np.datetime64("2025-01-01", "D") + rng.integers(0, 600, n_enrol)
    kinds = rng.choice(np.array(["completion", "withdrawal", "deferral"]), n_enrol, p=[0.3, 0.5, 0.2])
    statuses = ["withdrawn", "cancelled_no_penalty", "cancelled_penalty", "partial_attendance"]
    outcomes = ["20", "51", "60", "70", "85", None]
    items = []
    for e in range(n_enrol):
        units = []
        for u in range(units_per):
            start = base[e] + u * 30
            end = start + int(rng.integers(1, 28))
            completing = kinds[e] == "completion"
            if completing and rng.random() < 0.98:
                outcome: str | None = ("20", "51", "60")[int(rng.integers(0, 3))]
            else:
                outcome = outcomes[int(rng.choice(6, p=[0.35, 0.05, 0.05, 0.35, 0.15, 0.05]))]
            rpl = outcome in ("51", "60")
            hours = 0 if rpl else int(rng.integers(1, 60))
            units.append(
                {
                    "subject_id": f"UNIT{u:03d}",
                    "delivery_location_id": "MAIN01",
                    "start_date": str(start),
                    "end_date": str(end),
                    "outcome": outcome,
                    "hours_attended": hours,
                    "scheduled_hours": 0 if rpl else 60,
                    "delivery_mode": "NNN" if rpl else "YNN",
                    "predominant_delivery_mode": "N" if rpl else "I",
                    "funding_source_national": "11",
                    "commencing_program_id": "3",
                    "study_reason_id": "07",
                    "vet_in_schools_flag": "N",
                }
            )
        day = base[e] + units_per * 30 + int(rng.integers(0, 60))
        midway = base[e] + int(rng.integers(0, 30 * units_per))
        if kinds[e] == "completion":
            event: dict[str, Any] = {"type": "completion", "date": str(day), "credential_issued": bool(e % 2)}
        elif kinds[e] == "deferral":
            event = {"type": "deferral", "date": str(midway), "resume_date": str(midway + 90)}
        else:
            given = {un["subject_id"]: un["hours_attended"] + 1 for un in units[: units_per // 2]}
            event = {"type": "withdrawal", "date": str(midway), "status": statuses[e % 4], "hours_attended": given}
        items.append(
            {
                "enrolment": {
                    "training_organisation_id": "90001",
                    "client_id": f"C{e:09d}",
                    "program_id": "BSB40120",
                    "commitment_id": None,
                    "status": "active",
                    "units": units,
                },
                "event": event,
            }
        )
    return items


def finalise_cli(source: Path, out: Path) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MiB) of one ``finalise`` command in a fresh interpreter."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "avetmiss_finalise", "finalise", str(source), "--reporting-date", "2027-12-31"]
    cmd += ["--out", str(out), "--max-file-size", "4G"]
    return run_child(cmd)  # bench_finalise's runner: one fresh interpreter, its own CPU, wall and peak RSS


# ----------------------------------------------------------------------------------------------------- output


def _row(what: str, cpu_wall: tuple[float, float], base: tuple[float, float] | None, note: str = "") -> str:
    cpu, wall = cpu_wall
    ratio = f"{cpu / base[0]:.2f} / {wall / base[1]:.2f}" if base else "1 (baseline)"
    return f"| {what} | {cpu:.2f} | {wall:.2f} | {ratio} | {note} |"


def _header() -> list[str]:
    return ["| What | CPU s | wall s | ratio CPU / wall | note |", "|---|---|---|---|---|"]


def bench_read(tmp: Path, rows: int, n: int, fwf_rows: int) -> list[str]:
    import pandas as pd

    folder = tmp / f"read-{rows}"
    frames = generate_frames(rows, seed=0, period_year=YEAR)
    write_frames({FILE_ID: frames[FILE_ID]}, folder)
    del frames
    path = folder / f"{FILE_ID}.txt"
    fields = get_profile("national").layout(FILE_ID).fields
    bounds = [(f.offset, f.stop) for f in fields]
    t = interleaved({"floor": lambda: numpy_floor(path, bounds), "read": lambda: read_file(path)}, n)
    size = path.stat().st_size
    lines = [f"\nRead: {rows:,} NAT00120 rows, {size / 1e6:.0f} MB, n={n} (medians)\n", *_header()]
    lines.append(_row(f"numpy floor ({len(bounds)} contiguous byte columns)", t["floor"], None))
    lines.append(_row("`read_file` (typed columnar view)", t["read"], t["floor"], "target ≤ 1.5× CPU"))
    lines.append(f"| peak memory of `read_file` | | | {peak_memory(path):.2f}× the file | target ≤ 2× |")
    if fwf_rows:
        head = tmp / "fwf" / f"{FILE_ID}.txt"
        head.parent.mkdir(exist_ok=True)
        with open(path, "rb") as src:
            head.write_bytes(b"".join(src.readline() for _ in range(fwf_rows)))
        specs = [(f.offset, f.stop) for f in fields]
        names = [f.name for f in fields]

        def fwf() -> object:
            return pd.read_fwf(head, colspecs=specs, names=names, dtype=str, header=None, encoding="latin-1")

        h = interleaved({"read": lambda: read_file(head), "fwf": fwf}, n)
        lines.append(_row(f"`pandas.read_fwf`, first {fwf_rows:,} rows", h["fwf"], h["read"], "vs our read, same file"))
    return lines


def bench_validate(tmp: Path, sizes: Sequence[int], n: int) -> list[str]:
    from avetmiss_finalise.validation import validate

    lines = [f"\nValidate (every rule) vs read_collection, n={n} (medians)\n", *_header()]
    for rows in sizes:
        folder = tmp / f"validate-{rows}"
        write_frames(generate_frames(rows, seed=0, period_year=YEAR), folder)
        gc.collect()
        coll = read_collection(folder)
        t = interleaved(
            {
                "read": lambda folder=folder: read_collection(folder),
                "validate": lambda folder=folder: validate(folder, period=YEAR),
                "rules": lambda coll=coll: validate(coll, period=YEAR),
            },
            n,
        )
        counts = validate(coll, period=YEAR).counts()
        del coll
        lines.append(_row(f"`read_collection`, {rows:,} NAT00120 rows", t["read"], None))
        lines.append(_row("`validate(path)` (read + every rule)", t["validate"], t["read"], f"target ≤ 1.5×; {counts}"))
        lines.append(_row("`validate(collection)` (rules only)", t["rules"], t["read"]))
        shutil.rmtree(folder)
    return lines


def bench_finalise(tmp: Path, sizes: Sequence[int], n: int) -> list[str]:
    lines = [f"\nfinalise command end to end (fresh interpreter), n={n} (medians)\n"]
    lines += ["| Units | JSON MB | CPU s | wall s | units/s (CPU) | units/s (wall) | peak RSS / JSON |"]
    lines += ["|---|---|---|---|---|---|---|"]
    for units in sizes:
        source = tmp / f"finalise-{units}.json"
        source.write_text(json.dumps(finalise_input(units)), encoding="utf-8")
        runs = [finalise_cli(source, tmp / "finalised") for _ in range(n)]
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        rss = statistics.median(r[2] for r in runs)
        mb = source.stat().st_size / 2**20
        lines.append(
            f"| {units:,} | {mb:.0f} | {cpu:.2f} | {wall:.2f} | {units / cpu:,.0f} | {units / wall:,.0f} | "
            f"{rss / mb:.2f}× ({rss:.0f} MiB) |"
        )
        source.unlink()
    return lines


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="NAT00120 rows for the read (default 1,000,000)")
    p.add_argument("--validate-rows", default="1000000,3000000", help="collection sizes to validate (comma list)")
    p.add_argument("--finalise-units", default="100000,1000000", help="finalise input sizes in units (comma list)")
    p.add_argument("--fwf-rows", type=int, default=100_000, help="rows for pandas.read_fwf (0: skip)")
    p.add_argument("-n", type=int, default=3, help="repetitions per measurement (medians; default 3)")
    p.add_argument("--only", choices=("read", "validate", "finalise"), action="append", help="run only these parts")
    p.add_argument("--dir", type=Path, help="build under this directory (default: a temporary one, removed)")
    args = p.parse_args(argv)
    parts = args.only or ["read", "validate", "finalise"]
    tmp = Path(tempfile.mkdtemp(prefix="bench-ratios-", dir=args.dir))
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, {' '.join(sys.argv)}")
    try:
        if "read" in parts:
            print("\n".join(bench_read(tmp, args.rows, args.n, args.fwf_rows)), flush=True)
        if "validate" in parts:
            print("\n".join(bench_validate(tmp, _ints(args.validate_rows), args.n)), flush=True)
        if "finalise" in parts:
            print("\n".join(bench_finalise(tmp, _ints(args.finalise_units), args.n)), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
