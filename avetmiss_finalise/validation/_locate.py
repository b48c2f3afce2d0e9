"""Where a finding is, as CI tools want it: a path a person (or a code-scanning service) can open, a 1-based line,
a column span, and a stable fingerprint.

The findings frame names files by id (``NAT00120``); the report's inputs know the name found on disk
(``Nat00120.TxT``) and the report's source the folder, file or zip it came from. Inside a zip the path is the zip's
(tools cannot open a member) and the message names the member.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd

from avetmiss_finalise.validation.report import Report

__all__ = ["Finding", "finding_rows", "path_of"]

Finding = dict[str, Any]


def path_of(report: Report) -> Callable[[str | None], tuple[str, str | None]]:
    """``file id → (path, member)``: the path to show for a finding of that file, and the zip member if any."""
    names = {i.file_id: i.name for i in report.inputs if i.name}
    source = report.source
    is_dir = source is not None and os.path.isdir(source)
    is_zip = source is not None and not is_dir and source.lower().endswith(".zip")

    def locate(file_id: str | None) -> tuple[str, str | None]:
        name = names.get(file_id or "") or (f"{file_id}.txt" if file_id else None)
        if source is None:
            return (name or "collection"), None
        if is_zip:
            return _posix(source), name
        if is_dir and name is not None:
            return _posix(os.path.join(source, name)), None
        return _posix(source), None

    return locate


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def finding_rows(report: Report, *, show_personal_data: bool | None = None) -> Iterator[Finding]:
    """Every finding (masked unless shown) with ``path``, ``member``, ``text`` and a stable ``fingerprint``.

    The fingerprint hashes rule, file, line, field and client id (plus a counter for repeats), so the same finding
    in tomorrow's run has the same one: code-scanning services track alerts by it.
    """
    from avetmiss_finalise.validation.render import _describe, _ordered, rows_of

    locate = path_of(report)
    df = _ordered(report.to_frame(show_personal_data=show_personal_data))
    seen: dict[str, int] = {}
    for row in rows_of(df):
        file_id = row["file"] if isinstance(row["file"], str) else None
        path, member = locate(file_id)
        key = "|".join(str(_value(row[c])) for c in ("rule_id", "file", "line", "field", "client_id"))
        n = seen[key] = seen.get(key, -1) + 1
        yield {
            "rule_id": str(row["rule_id"]),
            "severity": str(row["severity"]),
            "file": file_id,
            "path": path,
            "member": member,
            "line": _value(row["line"]),
            "col_start": _value(row["col_start"]),
            "col_end": _value(row["col_end"]),
            "message": str(row["message"]),
            "text": (f"{member}: " if member else "") + _describe(row),
            "fingerprint": hashlib.sha256(f"{key}|{n}".encode()).hexdigest()[:32],
        }


def _value(v: Any) -> Any:
    if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
        return None
    return int(v) if hasattr(v, "__index__") else v
