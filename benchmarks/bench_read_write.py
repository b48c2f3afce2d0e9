"""Time the NAT layer against pandas.read_fwf and plain per-line Python, on the same NAT00120 file, same run.

    python benchmarks/bench_read_write.py --rows 1000000 [--fwf-rows N] [--dir DIR]

Reports, for one synthetic NAT00120 file (``benchmarks/generate.py``): our ``read_file`` vs ``pandas.read_fwf``
(colspecs from the layout, every column as text) vs a per-line Python slicer; our ``write_frame`` vs a per-line
Python formatter; and the peak memory of ``read_file`` (peak RSS growth in a fresh subprocess) against the file
size. Targets: read ≥ 10× faster than read_fwf, peak memory < 3× the file size.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from avetmiss_finalise.nat import read_file, write_frame
from avetmiss_finalise.profiles import get_profile

FILE_ID = "NAT00120"

_MEMORY_PROBE = """
import json, sys, tempfile, pathlib
from avetmiss_finalise.nat import read_file
def rss_kb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4
# Warm up on a 10-record copy so lazily loaded library code is not counted as data.
with open(sys.argv[1], 'rb') as f:
    head = b''.join(f.readline() for _ in range(10))
warm = pathlib.Path(tempfile.mkdtemp()) / 'NAT00120.txt'
warm.write_bytes(head)
read_file(warm)
def hwm_kb():  # VmHWM: peak RSS of this process image (ru_maxrss would include the parent before exec)
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmHWM'))
before = hwm_kb()
now = rss_kb()
coll = read_file(sys.argv[1])
peak = hwm_kb()
print(json.dumps({"baseline_kb": now, "peak_before_kb": before, "peak_kb": peak, "rows": len(coll.frames["NAT00120"])}))
"""


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def make_file(rows: int, folder: Path) -> tuple[Path, pd.DataFrame]:
    try:
        from generate import generate_frames  # benchmarks/generate.py

        frame = generate_frames(rows, seed=0)[FILE_ID]
    except ImportError:  # pragma: no cover - the generator ships with the repo
        raise SystemExit("benchmarks/generate.py is missing") from None
    path = folder / f"{FILE_ID}.txt"
    write_frame(frame, FILE_ID, path)
    return path, frame


def python_slicer(path: Path) -> list[list[str]]:
    spans = [(f.offset, f.stop) for f in get_profile("national").layout(FILE_ID).fields]
    out = []
    with open(path, encoding="latin-1", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            out.append([line[a:b].rstrip(" ") for a, b in spans])
    return out


def read_fwf(path: Path, nrows: int | None) -> pd.DataFrame:
    lay = get_profile("national").layout(FILE_ID)
    return pd.read_fwf(
        path,
        colspecs=[(f.offset, f.stop) for f in lay.fields],
        names=list(lay.names),
        dtype=str,
        header=None,
        nrows=nrows,
        encoding="latin-1",
    )


def python_formatter(frame: pd.DataFrame, path: Path) -> None:
    """Per-line formatting from Python lists (the lists are prepared outside the timing)."""
    fields = get_profile("national").layout(FILE_ID).fields
    columns = [_as_text(frame[f.name], f.role) for f in fields]
    kinds = [(f.length, f.kind) for f in fields]

    def run() -> None:
        with open(path, "w", encoding="latin-1", newline="") as fh:
            for row in zip(*columns, strict=True):
                parts = []
                for value, (w, kind) in zip(row, kinds, strict=True):
                    if value is None:
                        parts.append(" " * w)
                    elif kind == "N":
                        parts.append(value.rjust(w, "0"))
                    else:
                        parts.append(value.ljust(w))
                fh.write("".join(parts) + "\r\n")

    python_formatter.run = run  # type: ignore[attr-defined]


def _as_text(values: pd.Series, role: str) -> list[str | None]:
    if role == "date":
        return [None if pd.isna(v) else v.strftime("%d%m%Y") for v in values]
    return [None if pd.isna(v) else str(v) for v in values.astype(object)]


def memory(path: Path) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path)], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, int] = json.loads(out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="NAT00120 rows (default 1,000,000)")
    parser.add_argument("--fwf-rows", type=int, default=None, help="rows read by pandas.read_fwf (default all)")
    parser.add_argument("--dir", type=Path, default=None, help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="nat-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    t_gen, (path, frame) = timed(lambda: make_file(args.rows, folder))
    size = path.stat().st_size
    print(f"{FILE_ID}: {args.rows:,} rows, {size / 1e6:.1f} MB (generated and written in {t_gen:.1f}s): {path}")

    t_ours, coll = timed(lambda: read_file(path))
    assert len(coll.frames[FILE_ID]) == args.rows and not coll.issues, coll.issues[:3]
    del coll
    t_slicer, _ = timed(lambda: python_slicer(path))
    fwf_rows = args.fwf_rows or args.rows
    t_fwf, fwf = timed(lambda: read_fwf(path, None if fwf_rows >= args.rows else fwf_rows))
    assert len(fwf) == fwf_rows
    del fwf
    t_fwf_scaled = t_fwf * args.rows / fwf_rows
    print("\nread")
    print(f"  ours  read_file          {t_ours:8.2f}s  ({args.rows / t_ours / 1e6:.2f} M rows/s)")
    note = "" if fwf_rows == args.rows else f" (measured on {fwf_rows:,} rows: {t_fwf:.2f}s, scaled linearly)"
    print(f"  pandas.read_fwf          {t_fwf_scaled:8.2f}s  ratio {t_fwf_scaled / t_ours:6.1f}x{note}")
    print(f"  per-line Python slicer   {t_slicer:8.2f}s  ratio {t_slicer / t_ours:6.1f}x")

    out_ours, out_py = folder / "ours.txt", folder / "python.txt"
    t_write, _ = timed(lambda: write_frame(frame, FILE_ID, out_ours))
    python_formatter(frame, out_py)
    t_pyw, _ = timed(python_formatter.run)  # type: ignore[attr-defined]
    same = out_ours.read_bytes() == path.read_bytes()
    print("\nwrite")
    print(f"  ours  write_frame        {t_write:8.2f}s  (identical bytes to the file read: {same})")
    print(f"  per-line Python format   {t_pyw:8.2f}s  ratio {t_pyw / t_write:6.1f}x")

    mem = memory(path)
    grow = (mem["peak_kb"] - mem["baseline_kb"]) * 1024
    print("\nmemory (read_file in a fresh process)")
    print(f"  RSS after imports and warm-up {mem['baseline_kb'] / 1024:.0f} MiB, peak {mem['peak_kb'] / 1024:.0f} MiB")
    print(f"  peak growth {grow / 2**20:.0f} MiB = {grow / size:.2f}x the file size (target < 3x)")
    print(f"\ntargets: read >= 10x read_fwf: {t_fwf_scaled / t_ours >= 10}; memory < 3x file: {grow / size < 3}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
