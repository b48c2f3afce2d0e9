"""Prove a speed-up changed nothing: digests of what reading, validating and finalising produce, before and after.

    python3 benchmarks/identical.py digest out.json [--rows 100000]   # with the code under test on sys.path
    python3 benchmarks/identical.py compare before.json after.json    # exit 1 and list what differs

``digest`` reads, validates and finalises every shipped fixture (the sample collections, each SMS-habit and
known-bad collection, the sample enrolments) and a generated collection of ``--rows`` NAT00120 rows (national and
nsw) plus a generated finalise input, and records a SHA-256 of each result: every frame column (values, nulls and
dtype), the unparsed cells, the reader's issues and metadata, the validation findings (every column) and the bytes
of the finalise command's NAT00120.txt, NAT00130.txt and decisions.json, and every frame ``finalise_frame`` gives
for a generated input under every profile. Run it with the old code (e.g. a ``git archive`` of main on
``PYTHONPATH``) and with the new, then ``compare``: any difference is a regression.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()[:16]


def frame_digest(frame: Any) -> dict[str, str]:
    """One digest per column: dtype, null mask and values (as text), so a moved null or a dtype change shows."""
    import pandas as pd

    out = {}
    for name in frame.columns:
        col = frame[name]
        na = col.isna().to_numpy()
        text = col.astype(object).where(~na, None).map(repr).str.cat(sep="\x1f") if len(col) else ""
        out[str(name)] = _sha(f"{col.dtype}|{na.tobytes().hex() if len(col) < 1000 else _sha(na.tobytes())}|{text}")
    out["__index__"] = _sha(repr(pd.RangeIndex(len(frame)).equals(frame.index)))
    return out


def collection_digest(coll: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"issues": _sha(repr([i for i in coll.issues]))}
    for fid, frame in coll.frames.items():
        out[fid] = frame_digest(frame)
        out[f"{fid}.unparsed"] = frame_digest(coll.unparsed[fid])
        out[f"{fid}.meta"] = _sha(repr(coll.meta[fid]))
    return out


def report_digest(report: Any) -> dict[str, Any]:
    return {"findings": frame_digest(report.findings), "counts": repr(report.counts())}


def finalise_digest(source: Path, profile: str, reporting_date: str) -> dict[str, str]:
    from avetmiss_finalise.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        out, err = io.StringIO(), io.StringIO()
        argv = ["finalise", str(source), "--profile", profile, "--reporting-date", reporting_date, "--out", tmp]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        files = {p.name: _sha(p.read_bytes()) for p in sorted(Path(tmp).iterdir())}

    def shown(text: str) -> str:  # the paths printed differ from run to run (temporary directories)
        return text.replace(tmp, "OUT").replace(str(source), "INPUT")

    return {"exit": str(code), "stdout": _sha(shown(out.getvalue())), "stderr": _sha(shown(err.getvalue())), **files}


def _profile_of(name: str) -> str:
    from avetmiss_finalise.profiles import PROFILE_NAMES

    for p in sorted(PROFILE_NAMES, key=len, reverse=True):
        if name.endswith(f"-{p}") or name.lower().startswith(f"{p}-"):
            return p
    return "national"


def digest(rows: int) -> dict[str, Any]:
    from generate import generate_frames, write_frames

    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.validation import validate

    result: dict[str, Any] = {}
    fixtures = ROOT / "fixtures"
    dirs = [fixtures / "sample", fixtures / "sample-non-tga"]
    dirs += sorted(p for p in (fixtures / "habits").iterdir() if p.is_dir())
    dirs += sorted(p for p in (fixtures / "bad").iterdir() if p.is_dir())
    for d in dirs:
        for profile in sorted({"national", _profile_of(d.name)}):
            key = f"{d.relative_to(ROOT)}:{profile}"
            coll = read_collection(d, profile=profile)
            result[f"read {key}"] = collection_digest(coll)
            result[f"validate {key}"] = report_digest(validate(coll, period=2026, profile=profile))
    for src in sorted((fixtures / "enrolments").glob("*.json")):
        for profile in ("national", "nsw"):
            result[f"finalise {src.name}:{profile}"] = finalise_digest(src, profile, "2026-12-31")
    with tempfile.TemporaryDirectory() as tmp:
        for profile in ("national", "nsw"):
            folder = Path(tmp) / profile
            write_frames(generate_frames(rows, seed=3, period_year=2026, profile=profile), folder, profile=profile)
            coll = read_collection(folder, profile=profile)
            result[f"read generated {rows}:{profile}"] = collection_digest(coll)
            result[f"validate generated {rows}:{profile}"] = report_digest(validate(coll, period=2026, profile=profile))
        from bench_ratios import finalise_input

        source = Path(tmp) / "finalise.json"
        source.write_text(json.dumps(finalise_input(rows, seed=3)), encoding="utf-8")
        for profile in ("national", "nsw"):
            result[f"finalise generated {rows}:{profile}"] = finalise_digest(source, profile, "2027-12-31")
    result.update(columnar_digest(rows))
    return result


def columnar_digest(rows: int) -> dict[str, Any]:
    """``finalise_frame`` over a generated input of ``rows`` units under every profile (and a final and an interim
    collection under national, nsw and vic): every frame of the result. The finalise command runs the
    per-enrolment path, so without this a change to the columnar path would go unseen."""
    import datetime

    from bench_finalise import generate

    from avetmiss_finalise.outcomes import finalise_frame
    from avetmiss_finalise.profiles import PROFILE_NAMES

    units, enrolments = generate(max(rows // 10, 1), 10, seed=3)
    runs = [(p, None, False) for p in PROFILE_NAMES]
    runs += [(p, year, interim) for p in ("national", "nsw", "vic") for year, interim in ((2026, False), (2027, True))]
    result: dict[str, Any] = {}
    for profile, year, interim in runs:
        got = finalise_frame(
            units, enrolments, profile, reporting_date=datetime.date(2027, 12, 31), period=year, interim=interim
        )
        names = ("units", "enrolments", "problems", "issues", "nat00120", "nat00130")
        key = f"finalise_frame generated {rows}:{profile}:{year}{' interim' if interim else ''}"
        result[key] = {name: frame_digest(getattr(got, name)) for name in names}
    return result


def _flat(d: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k} / "))
        else:
            out[f"{prefix}{k}"] = v
    return out


def compare(before: Path, after: Path) -> int:
    a = _flat(json.loads(before.read_text()))
    b = _flat(json.loads(after.read_text()))
    diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    for k in diff:
        print(f"differs: {k}: {a.get(k)} -> {b.get(k)}")
    print(f"{len(a)} digests compared, {len(diff)} differ")
    return 1 if diff else 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("digest")
    d.add_argument("out", type=Path)
    d.add_argument("--rows", type=int, default=100_000)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = p.parse_args(argv)
    if args.cmd == "compare":
        return compare(args.before, args.after)
    args.out.write_text(json.dumps(digest(args.rows), indent=1, sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
