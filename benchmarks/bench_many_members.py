"""Measure a zip with very many members (issue #10 item 4): every report format must be linear in findings.

    .venv/bin/python benchmarks/bench_many_members.py                    # 100,000 members
    .venv/bin/python benchmarks/bench_many_members.py --members 10000 --repeat 5

The zip holds the packaged sample collection (11 NAT files) and ``--members`` minus 11 one-byte junk files
(``sub/notes_000000.txt`` …), each of which is a NAT-UNKNOWN-FILE finding of its own "file": the worst case
for renderers that work per file or per rule. It is written once under ``benchmarks/data/`` (reused when present).

Timed in the same run, median of ``--repeat`` (CPU and wall): ``read_collection`` (the baseline), ``validate``,
and each report format rendered from that report (HTML only with the [html] extra). Then, once each, the whole
command ``avetmiss-finalise validate ZIP --format F`` in a fresh interpreter (wall, from start-up to exit), which
is what the issue's target is about: 100,000 members in under a minute. Linearity is checked by running the same
at a tenth of the members (``--scale``): the ratio of the times should be about 10, not 100.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from avetmiss_finalise.formats import FORMATS  # noqa: E402
from avetmiss_finalise.nat import read_collection  # noqa: E402
from avetmiss_finalise.samples import sample_collection  # noqa: E402
from avetmiss_finalise.validation import validate  # noqa: E402
from avetmiss_finalise.validation.render import render  # noqa: E402


def make_zip(members: int, out: Path) -> Path:
    """The sample collection plus junk members, ``members`` entries in all (written once)."""
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_suffix(".part")
    with sample_collection() as sample, zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
        nat = sorted(Path(sample).glob("NAT*"))
        for p in nat:
            zf.write(p, f"sub/{p.name}")
        for i in range(members - len(nat)):
            zf.writestr(f"sub/notes_{i:06d}.txt", b"x")
    part.replace(out)
    return out


def _median(label: str, repeat: int, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"  {label:<26} wall {wall:7.2f} s   cpu {cpu:7.2f} s   (median of {repeat})", flush=True)
    return out, wall, cpu


def _formats() -> list[str]:
    names = []
    for name, fmt in FORMATS.items():
        if fmt.extra:
            try:
                __import__("jinja2")
            except ImportError:
                print(f"  render {name}: skipped ([{fmt.extra}] extra not installed)")
                continue
        names.append(name)
    return names


def in_process(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) medians of reading, validating and rendering each format, in this interpreter."""
    times: dict[str, tuple[float, float]] = {}
    coll, *t = _median("read_collection (baseline)", repeat, read_collection, path)
    times["read"] = (t[0], t[1])
    report, *t = _median("validate", repeat, validate, coll, period=2026)
    times["validate"] = (t[0], t[1])
    print(f"  {len(report.findings):,} findings")
    for name in _formats():
        _, *t = _median(f"render {name}", repeat, render, report, name)
        times[name] = (t[0], t[1])
    return times


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def end_to_end(path: Path, formats: Sequence[str]) -> dict[str, float]:
    """Wall and CPU time of the whole command per format (fresh interpreter, stdout discarded). On a shared
    machine the wall time includes waiting for a core; the CPU time is what the command itself costs."""
    walls = {}
    for name in formats:
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "avetmiss_finalise", "validate", str(path), "--period", "2026", "--format", name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        walls[name] = time.perf_counter() - start
        used = _children_cpu() - cpu
        status = "" if done.returncode in (0, 1) else f"  EXIT {done.returncode}: {done.stderr.decode()[-300:]}"
        print(f"  validate --format {name:<8} wall {walls[name]:7.2f} s   cpu {used:7.2f} s{status}", flush=True)
    return walls


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=100_000, help="entries in the zip (default 100,000)")
    p.add_argument("--repeat", type=int, default=3, help="timings per step, median reported (default 3)")
    p.add_argument("--scale", type=int, default=10, help="also run at members/SCALE to check linearity (0: no)")
    p.add_argument("--no-cli", action="store_true", help="skip the end-to-end command runs")
    args = p.parse_args(argv)
    sizes = [args.members] + ([args.members // args.scale] if args.scale else [])
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for n in sizes:
        path = make_zip(n, HERE / "data" / f"many-members-{n}.zip")
        print(f"{n:,} members ({path.stat().st_size:,} bytes zipped), in process:")
        results[n] = in_process(path, args.repeat)
    big = args.members
    if args.scale:
        small = sizes[1]
        print(f"ratio of times, {big:,} / {small:,} members (linear: about {big / small:.0f}):")
        for step, (wall, cpu) in results[big].items():
            small_wall, small_cpu = results[small][step]
            print(f"  {step:<10} wall {wall / max(small_wall, 1e-9):6.1f}   cpu {cpu / max(small_cpu, 1e-9):6.1f}")
    if not args.no_cli:
        print(f"{big:,} members, the whole command (target: each under 60 s):")
        cli = end_to_end(HERE / "data" / f"many-members-{big}.zip", _formats())
        slow = [name for name, wall in cli.items() if wall >= 60]
        print("all under a minute (wall)" if not slow else f"over a minute of wall time: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
