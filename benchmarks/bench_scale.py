"""Engines at scale (issue #13): in-memory, stream, and Dask with 1 and 2 worker processes on one collection.

Generates a consistent collection of ``--rows`` NAT00120 rows (benchmarks/generate.py) in a temporary directory
(removed at the end, never committed), then validates it ``-n`` times per engine, each run in a fresh child
process so its peak RSS is its own (``VmHWM`` of the child — not ``ru_maxrss``, which Linux carries over from the
forking parent — and for Dask the largest worker process's ``ru_maxrss``). Runs are interleaved (engine by
engine, round by round) so load from elsewhere on the machine spreads over all engines; medians of wall and CPU
(the child's and its worker processes') are printed, with rows/s. Every engine's findings count is checked equal
to the in-memory one.

    python3 benchmarks/bench_scale.py [--rows 200000] [-n 3] [--chunk-rows 50000] [--engines memory,stream,dask1,dask2]
        [--data DIR] [--baseline-src DIR]

``--baseline-src DIR`` also runs each engine with an older tree (a ``git archive`` of a commit) first on
``PYTHONPATH``, interleaved with ours, as ``ENGINE@base``, and prints our CPU as a ratio of its; those children run
from the temporary directory, since ``python -c`` puts the current directory first on ``sys.path`` and the
checkout would shadow the older tree.

After every engine run, the *page-cache floor* runs once per stream run (a child that writes as many bytes as
that run's spill wrote to one file in 16 MiB writes and reads them back, no fsync): the kernel's cost of moving
that many bytes on this machine, in the same sitting (after the engines, so its writes do not evict the
collection from the page cache under a later engine run). User and system CPU are printed apart, with the file
pages the kernel read back from disk after evicting them during the stream runs (``workingset_refault_file`` of
``/proc/vmstat``, system-wide, so run on an otherwise idle machine; it cannot tell the spill's pages from the
input's). Where the input and the spill together outgrow the page cache, the hypothesis is that the spill's round
trip through the disk is what makes the system time grow faster than the rows (docs/scale.md, "Dask at 30M rows,
and the stream engine beyond the page cache").

``--chunk-rows 0`` leaves the chunk size to the engine (``auto_chunk_rows``: from the memory available, at most
500,000 records), as a run without ``--chunk-rows`` does.

``--data DIR`` validates a collection already written by ``benchmarks/generate.py --rows N --out DIR`` instead of
generating one (at 10M rows the generation alone takes minutes and 8 GB). The record and file-size limits are
raised to fit the collection (a 10M-row NAT00120 is 1.6 GB, over the default 1 GiB), as docs/scale.md says a
national file needs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.validation import validate
where, engine, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3]) or None  # 0: the automatic size
big = Limits(max_file_bytes=64 << 30, max_total_bytes=256 << 30, max_records=1 << 40)
spilled = [0]
if engine == "stream":  # measure what the spill wrote: the bytes the page-cache floor below writes too
    import os
    from avetmiss_finalise.engines import spill
    close = spill.Spill.close
    def counted(self):
        d = self.directory
        spilled[0] += sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)) if os.path.isdir(d) else 0
        close(self)
    spill.Spill.close = counted
PAGE = resource.getpagesize()
def refaults():  # file pages read again after the kernel evicted them (system-wide; 0 where not Linux)
    try:
        return next(int(l.split()[1]) for l in open("/proc/vmstat") if l.startswith("workingset_refault_file "))
    except (OSError, StopIteration):
        return 0
r0 = refaults()
t0, c0 = time.perf_counter(), time.process_time()
u0 = resource.getrusage(resource.RUSAGE_SELF)
if engine == "memory":
    r = validate(where, period=2026, limits=big)
elif engine == "stream":
    r = validate(where, period=2026, engine="stream", chunk_rows=chunk, limits=big)
else:
    from avetmiss_finalise.engines.dask_engine import dask_client
    with dask_client(workers=int(engine[4:])) as client:
        t0, c0 = time.perf_counter(), time.process_time()  # the cluster's start is not the engine's cost
        u0 = resource.getrusage(resource.RUSAGE_SELF)
        r = validate(where, period=2026, engine="dask", client=client, chunk_rows=chunk, limits=big)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
u1 = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
# VmHWM is this process's own high-water mark: ru_maxrss would carry the benchmark parent's (Linux keeps it across
# fork and exec), and the parent held the generated collection.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"wall": wall, "cpu": cpu, "workers_cpu": kids.ru_utime + kids.ru_stime,
                  "user": u1.ru_utime - u0.ru_utime + kids.ru_utime, "sys": u1.ru_stime - u0.ru_stime + kids.ru_stime,
                  "spilled": spilled[0], "refaulted_gb": (refaults() - r0) * PAGE / 1e9,
                  "rss_mb": hwm / 1024, "worker_rss_mb": kids.ru_maxrss / 1024,
                  "findings": len(r.findings)}))
"""

# The page-cache floor: write the bytes the stream engine spilled to a file in 16 MiB writes, read them back and
# delete the file, as the spill does (no fsync). Its system time is the kernel's cost of moving that many bytes
# through the page cache on this machine, in the same sitting, so the stream engine's system time is read against
# it. It is not stable either: on the 2-core VM it cost 1.9 s/GB for 3.4 GB and 0.8-1.0 s/GB for 10.4 GB in one
# evening, depending on what the page cache held.
_FLOOR = r"""
import json, os, resource, sys, tempfile, time
left, block = int(sys.argv[1]), bytes(16 << 20)
t0, u0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
with tempfile.TemporaryDirectory(prefix="bench-floor-") as d:
    path = os.path.join(d, "spill")
    with open(path, "wb") as f:
        while left > 0:
            f.write(block[: min(left, len(block))])
            left -= len(block)
    buf = bytearray(len(block))
    with open(path, "rb") as f:
        while f.readinto(buf):
            pass
u1 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": time.perf_counter() - t0, "user": u1.ru_utime - u0.ru_utime,
                  "sys": u1.ru_stime - u0.ru_stime}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--chunk-rows", type=int, default=50_000, help="0: the engine's automatic size (from memory)")
    ap.add_argument("--engines", default="memory,stream,dask1,dask2")
    ap.add_argument("--data", type=Path, help="a collection generate.py wrote (--rows is then its row count)")
    ap.add_argument("--baseline-src", type=Path, help="an older tree to time each engine with as well")
    args = ap.parse_args()
    if args.chunk_rows < 0:
        ap.error(f"--chunk-rows must be 0 (automatic) or more, got {args.chunk_rows}")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_frames, write_frames

    engines = args.engines.split(",")
    labels = [*engines, *(f"{e}@base" for e in engines if args.baseline_src)]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        # Resolved: baseline children run from the temp directory, where a relative --data would not exist.
        where = (args.data or Path(tmp) / "collection").resolve()
        if args.data is None:
            frames = generate_frames(args.rows, seed=0, period_year=2026, profile="national")
            write_frames(frames, where, profile="national")
            del frames
        size = (where / "NAT00120.txt").stat().st_size
        chunk = f"{args.chunk_rows:,}" if args.chunk_rows else "automatic"
        print(f"{args.rows:,} NAT00120 rows ({size / 1e6:.0f} MB), chunk_rows {chunk}, n={args.n}")
        runs: dict[str, list[dict[str, float]]] = {e: [] for e in labels}
        floor: list[dict[str, float]] = []
        for _ in range(args.n):
            for label in labels:
                e, base = label.removesuffix("@base"), label.endswith("@base")
                env = {**os.environ, "PYTHONPATH": str(args.baseline_src.resolve())} if base else None
                out = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(where), e, str(args.chunk_rows)],
                    capture_output=True, text=True, check=True, cwd=tmp if base else ROOT, env=env,
                )  # fmt: skip
                runs[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
        # The floors last: writing gigabytes would evict the collection from the page cache under a later run.
        for spilled in [r["spilled"] for r in runs.get("stream", []) if r["spilled"]]:
            out = subprocess.run(
                [sys.executable, "-c", _FLOOR, str(spilled)], capture_output=True, text=True, check=True, cwd=tmp
            )
            floor.append(json.loads(out.stdout.strip().splitlines()[-1]))
    want = {r["findings"] for r in runs.get("memory", runs[labels[0]])}
    head = f"{'engine':<12} {'wall s':>8} {'CPU s':>8} {'user s':>8} {'sys s':>8} {'µs/row':>7} {'rows/s':>10}"
    print(f"{head} {'peak RSS MB':>12} {'worker RSS MB':>14}")
    for e, rs in runs.items():
        wall = statistics.median(r["wall"] for r in rs)
        cpu = statistics.median(r["cpu"] + r["workers_cpu"] for r in rs)
        user, system = (statistics.median(r[k] for r in rs) for k in ("user", "sys"))
        rss = max(r["rss_mb"] for r in rs)
        wrss = max(r["worker_rss_mb"] for r in rs) if e.startswith("dask") else float("nan")
        same = "" if not want or {r["findings"] for r in rs} == want else "  FINDINGS DIFFER"
        line = f"{e:<12} {wall:>8.1f} {cpu:>8.1f} {user:>8.1f} {system:>8.1f} {cpu / args.rows * 1e6:>7.2f}"
        print(f"{line} {args.rows / wall:>10,.0f} {rss:>12,.0f} {wrss:>14,.0f}{same}")
    if floor:
        spilled = statistics.median(r["spilled"] for r in runs["stream"])
        wall, user, system = (statistics.median(r[k] for r in floor) for k in ("wall", "user", "sys"))
        print(
            f"page-cache floor (write and read back the stream spill's {spilled / 1e9:.2f} GB, after the engine runs): "
            f"wall {wall:.1f} s, user {user:.1f} s, sys {system:.1f} s ({system / (spilled / 1e9):.2f} s/GB)"
        )
        refaulted = statistics.median(r["refaulted_gb"] for r in runs["stream"])
        print(
            f"file pages read back from disk after eviction during the stream run (system-wide, /proc/vmstat): "
            f"{refaulted:.2f} GB (pages of the input, the spill or anything else the machine ran)"
        )
    for e in engines if args.baseline_src else ():
        ours, theirs = (statistics.median(r["cpu"] + r["workers_cpu"] for r in runs[k]) for k in (e, f"{e}@base"))
        print(f"{e}: CPU {ours / theirs:.2f}x the baseline's")


if __name__ == "__main__":
    main()
