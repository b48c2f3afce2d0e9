"""Measure finalisation throughput (units per second, one core): the columnar path and the per-enrolment path.

    .venv/bin/python benchmarks/bench_finalise.py                       # 100,000 enrolments, 1,000,000 units
    .venv/bin/python benchmarks/bench_finalise.py --enrolments 20000 --profile national --object-enrolments 5000
    .venv/bin/python benchmarks/bench_finalise.py --command 100000,1000000 -n 3 --baseline-src /tmp/old

The data is synthetic and generated here with numpy (a mix of completions, withdrawals of every status and
deferrals; outcomes 20/51/60/70/85/none; hours; dates in 2025–2027). The process is pinned to one CPU where the OS
allows it. Generation and object building are not timed; ``finalise_frame`` and ``finalise_many`` are.

``--command SIZES`` measures the ``finalise`` **command** end to end instead (a fresh interpreter per run, pinned
to one CPU: JSON in, NAT00120.txt, NAT00130.txt and decisions.json out), on the input of
``bench_ratios.finalise_input`` at each size in units, as a JSON array and as JSON Lines. Runs are interleaved with
the baselines timed in the same run: ``json.load`` of the same file in a fresh interpreter (the floor any command
that parses into Python objects pays), ``orjson.loads`` of it, ``pyarrow.json.read_json`` of the JSON Lines file
(a columnar floor: Arrow arrays, no Python object per value) and, with ``--baseline-src DIR``, the command of an
older tree (``git archive`` of a commit, put first on ``PYTHONPATH``; only up to ``--baseline-max-units``, it is
slow). The table shows medians of CPU (the child's rusage, all threads) and wall seconds over ``-n`` runs,
units/s, peak RSS against the JSON size, and each CPU ratio against the baseline (else ``json.load``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from avetmiss_finalise.outcomes import finalise_frame, finalise_many, frames_from_pairs
from avetmiss_finalise.outcomes.columnar import ENROLMENT_COLUMNS

REPORTING_DATE = datetime.date(2027, 12, 31)
_STR = pd.StringDtype("pyarrow")
_OUTCOMES = np.array(["20", "51", "60", "70", "85", None], dtype=object)
_OUTCOME_P = np.array([0.35, 0.05, 0.05, 0.35, 0.15, 0.05])
_ACHIEVED = np.array(["20", "51", "60"], dtype=object)
_EVENTS = np.array(["completion", "withdrawal", "deferral"], dtype=object)
_STATUSES = np.array(["withdrawn", "cancelled_no_penalty", "cancelled_penalty", "partial_attendance"], dtype=object)


def pin_one_core() -> str:
    """Run on one CPU so the number is per core (numpy/pyarrow threads included)."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"  # pragma: no cover - non-Linux


def generate(n_enrolments: int, units_per: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units, enrolments) frames in the layout ``finalise_frame`` reads."""
    rng = np.random.default_rng(seed)
    n = n_enrolments * units_per
    key = np.repeat(np.arange(n_enrolments), units_per)
    base = np.datetime64("2025-01-01", "D") + rng.integers(0, 730, n_enrolments)
    start = (base[key] + np.tile(np.arange(units_per) * 30, n_enrolments)).astype("datetime64[s]")
    end = start + rng.integers(1, 28, n).astype("timedelta64[D]")
    event_type = rng.choice(_EVENTS, n_enrolments, p=[0.3, 0.5, 0.2])
    # Completing learners mostly hold achieved outcomes (some still 70: refused, as in real data).
    completing = event_type[key] == "completion"
    outcome = np.where(
        completing & (rng.random(n) < 0.98),
        rng.choice(_ACHIEVED, n),
        rng.choice(_OUTCOMES, n, p=_OUTCOME_P),
    )
    hours = rng.integers(0, 60, n)
    event_date = (base + rng.integers(30 * units_per, 30 * units_per + 60, n_enrolments)).astype("datetime64[s]")
    # Withdrawals and deferrals happen part-way through the plan.
    midway = (base + rng.integers(0, 30 * units_per, n_enrolments)).astype("datetime64[s]")
    event_date = np.where(event_type == "completion", event_date, midway)
    withdrawal = event_type[key] == "withdrawal"
    given = withdrawal & (rng.random(n) < 0.5)
    units = pd.DataFrame(
        {
            "enrolment": key,
            "subject_id": pd.array(np.char.add("UNIT", (np.arange(n) % units_per).astype(str)), dtype=_STR),
            "delivery_location_id": pd.array(np.full(n, "MAIN01", dtype=object), dtype=_STR),
            "start_date": start,
            "end_date": end.astype("datetime64[s]"),
            "outcome": pd.array(outcome, dtype=_STR),
            "hours_attended": pd.array(hours, dtype="Int64"),
            "scheduled_hours": pd.array(np.full(n, 60), dtype="Int64"),
            "delivery_mode": pd.array(np.full(n, "YNN", dtype=object), dtype=_STR),
            "predominant_delivery_mode": pd.array(np.full(n, "I", dtype=object), dtype=_STR),
            "funding_source_national": pd.array(np.full(n, "11", dtype=object), dtype=_STR),
            "commencing_program_id": pd.array(np.full(n, "3", dtype=object), dtype=_STR),
            "event_hours": pd.Series(hours + 2, dtype="Int64").where(given),
        }
    )
    for name in (
        "study_reason_id",
        "vet_in_schools_flag",
        "specific_funding_id",
        "school_type_id",
        "funding_source_state",
        "fee_exemption_concession_type_id",
        "purchasing_contract_schedule_id",
        "training_contract_id",
        "client_id_apprenticeships",
        "associated_course_id",
    ):
        units[name] = pd.array([None] * n, dtype=_STR)
    units["client_tuition_fee"] = pd.array([None] * n, dtype="Int64")
    ids = np.char.add("C", np.char.zfill(np.arange(n_enrolments).astype(str), 9))
    enrolments = pd.DataFrame(
        {
            "training_organisation_id": pd.array(np.full(n_enrolments, "90001", dtype=object), dtype=_STR),
            "client_id": pd.array(ids, dtype=_STR),
            "program_id": pd.array(np.full(n_enrolments, "BSB40120", dtype=object), dtype=_STR),
            "commitment_id": pd.array(ids, dtype=_STR),
            "status": pd.array(np.full(n_enrolments, "active", dtype=object), dtype=_STR),
            "event_type": pd.array(event_type, dtype=_STR),
            "event_date": event_date,
            "event_status": pd.array(
                np.where(event_type == "withdrawal", rng.choice(_STATUSES, n_enrolments), None), dtype=_STR
            ),
            "event_resume_date": np.where(
                event_type == "deferral", event_date + np.timedelta64(90 * 86400, "s"), np.datetime64("NaT", "s")
            ),
            "event_credential_issued": rng.random(n_enrolments) < 0.5,
            "event_parchment_issue_date": np.full(n_enrolments, np.datetime64("NaT", "s")),
            "event_parchment_number": pd.array([None] * n_enrolments, dtype=_STR),
        }
    )
    assert set(ENROLMENT_COLUMNS) <= set(enrolments.columns)
    return units, enrolments


def _pairs_from_frames(units: pd.DataFrame, enrolments: pd.DataFrame, count: int) -> list[tuple[object, object]]:
    """Model objects for the first ``count`` enrolments (for the per-enrolment path)."""
    from avetmiss_finalise.model import (
        Completion,
        Deferral,
        ProgramEnrolment,
        UnitEnrolment,
        Withdrawal,
        WithdrawalStatus,
    )

    def day(v: object) -> datetime.date:
        return pd.Timestamp(v).date()  # type: ignore[arg-type]

    pairs: list[tuple[object, object]] = []
    sub = units[units["enrolment"] < count]
    for k, group in sub.groupby("enrolment", sort=True):
        e = enrolments.loc[k]
        us = [
            UnitEnrolment(
                subject_id=r.subject_id,
                delivery_location_id="MAIN01",
                start_date=day(r.start_date),
                end_date=day(r.end_date),
                outcome=None if pd.isna(r.outcome) else r.outcome,
                hours_attended=int(r.hours_attended),
                scheduled_hours=60,
            )
            for r in group.itertuples()
        ]
        enrolment = ProgramEnrolment(
            training_organisation_id="90001",
            client_id=e.client_id,
            program_id="BSB40120",
            commitment_id=e.commitment_id,
            units=us,
        )
        date = day(e.event_date)
        if e.event_type == "completion":
            event: object = Completion(date=date, credential_issued=bool(e.event_credential_issued))
        elif e.event_type == "deferral":
            event = Deferral(date=date, resume_date=day(e.event_resume_date))
        else:
            hours = {r.subject_id: int(r.event_hours) for r in group.itertuples() if not pd.isna(r.event_hours)}
            event = Withdrawal(date=date, status=WithdrawalStatus(e.event_status), hours_attended=hours)
        pairs.append((enrolment, event))
    return pairs


def _child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MiB) of one fresh interpreter running ``cmd`` (pinned, as this process is)."""
    w0 = time.perf_counter()
    # Not from the current directory: ``python -m`` puts it first on sys.path, so run from a checkout the
    # baseline's PYTHONPATH tree would be shadowed by the checkout's own package (both runs the same code).
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tempfile.gettempdir()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - w0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"exited {code}: {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def _finalise_cmd(source: Path, out: Path) -> list[str]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "avetmiss_finalise", "finalise", str(source), "--reporting-date", "2027-12-31"]
    return [*cmd, "--out", str(out), "--max-file-size", "4G"]


def bench_command(
    sizes: Sequence[int], n: int, baseline_src: Path | None, baseline_max: int, jsonl: bool = True
) -> list[str]:
    """The finalise command end to end at each size, interleaved with its baselines (see the module doc)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_ratios import finalise_input

    lines = [f"finalise command end to end (fresh interpreter, one CPU), n={n}, medians", ""]
    lines += ["| Input | Units | JSON MB | CPU s | wall s | units/s CPU | units/s wall | peak RSS | vs baseline CPU |"]
    lines += ["|---|---|---|---|---|---|---|---|---|"]
    floor_code = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"
    orjson_code = "import orjson, sys; orjson.loads(open(sys.argv[1], 'rb').read())"
    # the columnar floor: JSON Lines straight into Arrow arrays (nested structs/lists), no Python object per value
    arrow_code = "import pyarrow.json as pj, sys; pj.read_json(sys.argv[1])"
    with tempfile.TemporaryDirectory(prefix="bench-finalise-") as tmp_name:
        tmp = Path(tmp_name)
        for units in sizes:
            items = finalise_input(units)
            source = tmp / f"in-{units}.json"
            source.write_text(json.dumps(items), encoding="utf-8")
            lines_source = tmp / f"in-{units}.jsonl"
            with lines_source.open("w", encoding="utf-8") as f:
                f.writelines(json.dumps(item) + "\n" for item in items)
            del items
            mb = source.stat().st_size / 2**20
            runs: dict[str, tuple[list[str], dict[str, str] | None]] = {
                "json.load floor": ([sys.executable, "-c", floor_code, str(source)], None),
                "orjson.loads floor": ([sys.executable, "-c", orjson_code, str(source)], None),
                "pyarrow.json JSON Lines floor": ([sys.executable, "-c", arrow_code, str(lines_source)], None),
                "finalise JSON": (_finalise_cmd(source, tmp / "out"), None),
            }
            if jsonl:
                runs["finalise JSON Lines"] = (_finalise_cmd(lines_source, tmp / "out"), None)
            if baseline_src is not None and units <= baseline_max:
                env = {**os.environ, "PYTHONPATH": str(baseline_src)}
                runs["baseline finalise JSON"] = (_finalise_cmd(source, tmp / "out"), env)
            got: dict[str, list[tuple[float, float, float]]] = {k: [] for k in runs}
            for _ in range(n):
                for name, (cmd, env) in runs.items():
                    if cmd[-4] == "--out":
                        shutil.rmtree(cmd[-3], ignore_errors=True)
                    got[name].append(_child(cmd, env))
            base = statistics.median(r[0] for r in got.get("baseline finalise JSON", got["json.load floor"]))
            base_name = "baseline" if "baseline finalise JSON" in got else "json.load"
            for name, rs in got.items():
                cpu = statistics.median(r[0] for r in rs)
                wall = statistics.median(r[1] for r in rs)
                rss = statistics.median(r[2] for r in rs)
                lines.append(
                    f"| {name} | {units:,} | {mb:.0f} | {cpu:.2f} | {wall:.2f} | {units / cpu:,.0f} | "
                    f"{units / wall:,.0f} | {rss:,.0f} MiB = {rss / mb:.2f}× JSON | {cpu / base:.3f}× {base_name} |"
                )
            print("\n".join(lines[-len(got) :]), flush=True)
            source.unlink()
            lines_source.unlink()
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--command", metavar="SIZES", help="measure the finalise command at these sizes (units)")
    parser.add_argument("-n", type=int, default=3, help="runs per measurement with --command (medians)")
    parser.add_argument("--baseline-src", type=Path, help="with --command: a tree whose command is the baseline")
    parser.add_argument("--baseline-max-units", type=int, default=100_000, help="largest size the baseline runs")
    parser.add_argument("--no-jsonl", action="store_true", help="with --command: skip the JSON Lines input")
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--units-per-enrolment", type=int, default=10)
    parser.add_argument("--object-enrolments", type=int, default=10_000, help="enrolments for the per-object path")
    parser.add_argument("--profile", default="nsw")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(pin_one_core())
    if args.command:
        sizes = [int(x) for x in args.command.split(",") if x.strip()]
        print("\n".join(bench_command(sizes, args.n, args.baseline_src, args.baseline_max_units, not args.no_jsonl)))
        return 0

    t0 = time.perf_counter()
    units, enrolments = generate(args.enrolments, args.units_per_enrolment, args.seed)
    print(f"generated {len(enrolments):,} enrolments, {len(units):,} units in {time.perf_counter() - t0:.1f}s")

    t0 = time.perf_counter()
    result = finalise_frame(units, enrolments, args.profile, reporting_date=REPORTING_DATE)
    elapsed = time.perf_counter() - t0
    refused = int(result.enrolments["refused"].sum())
    print(
        f"columnar finalise_frame: {len(units):,} units in {elapsed:.2f}s = {len(units) / elapsed:,.0f} units/s "
        f"({len(result.nat00120):,} NAT00120 rows, {len(result.nat00130):,} NAT00130 rows, {refused:,} refused)"
    )

    pairs = _pairs_from_frames(units, enrolments, args.object_enrolments)
    n_units = sum(len(e.units) for e, _ in pairs)  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    rows = sum(len(r.nat00120) for r in finalise_many(pairs, args.profile, reporting_date=REPORTING_DATE))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - t0
    print(
        f"per-enrolment finalise_many: {n_units:,} units in {elapsed:.2f}s = {n_units / elapsed:,.0f} units/s "
        f"({rows:,} rows; full decisions, issues and tasks per unit)"
    )

    t0 = time.perf_counter()
    frames_from_pairs(pairs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - t0
    print(f"frames_from_pairs (object input → frames): {n_units / elapsed:,.0f} units/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
