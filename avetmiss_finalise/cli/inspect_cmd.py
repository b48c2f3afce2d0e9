"""``avetmiss-finalise inspect PATH``: what a NAT file, directory or zip holds, and what is wrong with it.

Per file: record count, record widths seen against the national and full widths, line ending, BOM; then every
reader Issue. Exit 0 when no Issue is an error, 1 otherwise, 2 when the input cannot be read.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from avetmiss_finalise.cli._common import EXIT_INPUT, add_input_argument, epilog, input_path
from avetmiss_finalise.cli._limits import add_limit_arguments, limits_from_args
from avetmiss_finalise.issues import Issue, Severity, worst_severity
from avetmiss_finalise.profiles import PROFILE_NAMES

if TYPE_CHECKING:
    from avetmiss_finalise.nat.collection import Collection

__all__ = ["HELP", "NAME", "add_arguments", "file_summary", "run"]

NAME = "inspect"
HELP = "Show record counts, widths and reader issues of a NAT file, directory or zip."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = epilog(
        (
            "avetmiss-finalise inspect submission.zip",
            "avetmiss-finalise inspect exports/2026 --profile vic --format json",
        ),
        ("0  no reader issue at error level", "1  some reader issue is an error (e.g. NAT-SHORT)", EXIT_INPUT),
    )
    add_input_argument(p)
    p.add_argument(
        "--profile", default="national", type=str.lower, choices=PROFILE_NAMES, help="jurisdiction layouts to read with"
    )
    p.add_argument("--format", default="text", choices=("text", "json"), help="report format (json is stable)")
    add_limit_arguments(p)


def file_summary(coll: Collection, file_id: str) -> dict[str, Any]:
    """Record count, widths seen (min/max) against the layout's national and full widths, and file layout."""
    import numpy as np

    lay = coll.profile.layout(file_id)
    frame = coll.frames[file_id]
    meta = coll.meta.get(file_id)
    if meta is not None and meta.record_lengths is not None:
        lengths = np.asarray(meta.record_lengths, dtype=np.int64)
    elif "extra" in frame:
        lengths = np.asarray(lay.width + frame["extra"].str.len().fillna(0).to_numpy(dtype=np.int64), dtype=np.int64)
    else:
        lengths = np.full(len(frame), lay.width, dtype=np.int64)
    return {
        "name": meta.name if meta else f"{file_id}.txt",
        "records": len(frame),
        "widths": {
            "min": int(lengths.min()) if len(lengths) else None,
            "max": int(lengths.max()) if len(lengths) else None,
            "national": lay.national_length,
            "full": lay.width,
        },
        "line_ending": ("CRLF" if meta.line_ending == "\r\n" else "LF") if meta else None,
        "bom": bool(meta.bom) if meta else False,
        "final_newline": bool(meta.final_newline) if meta else True,
        "unparsed_cells": len(coll.unparsed_for(file_id)),
    }


def _issue_json(i: Issue) -> dict[str, Any]:
    return {
        "rule_id": i.rule_id,
        "severity": i.severity.label,
        "message": i.message,
        "file": i.file,
        "line": i.line,
        "columns": list(i.columns) if i.columns else None,
        "field": i.field,
        "value": i.value,
    }


def run(args: argparse.Namespace) -> int:
    from avetmiss_finalise.nat.presence import require_nat_files
    from avetmiss_finalise.nat.read import read_collection

    with input_path(args) as path:
        coll = require_nat_files(read_collection(path, profile=args.profile, limits=limits_from_args(args)))
    files = {fid: file_summary(coll, fid) for fid in coll.frames}
    worst = worst_severity(coll.issues)
    if args.format == "json":
        report = {
            "source": coll.source,
            "profile": coll.profile.name,
            "files": files,
            "issues": [_issue_json(i) for i in coll.issues],
            "counts": {s.label: sum(1 for i in coll.issues if i.severity == s) for s in Severity},
        }
        print(json.dumps(report, indent=2))
    else:
        print(f"{coll.source} (profile {coll.profile.name}): {len(files)} NAT file(s)")
        for fid, s in files.items():
            w = s["widths"]
            seen = "-" if w["min"] is None else (f"{w['min']}" if w["min"] == w["max"] else f"{w['min']}-{w['max']}")
            print(
                f"  {fid:<9} {s['name']:<16} {s['records']:>9} records  width {seen} "
                f"(national {w['national']}, full {w['full']})  {s['line_ending'] or '-'}"
                f"{'  BOM' if s['bom'] else ''}{'' if s['final_newline'] else '  no final newline'}"
            )
        for issue in coll.issues:
            print(f"  {issue}")
        counts = ", ".join(f"{sum(1 for i in coll.issues if i.severity == s)} {s.label}" for s in reversed(Severity))
        print(f"issues: {counts}")
    return 1 if worst is not None and worst >= Severity.ERROR else 0
