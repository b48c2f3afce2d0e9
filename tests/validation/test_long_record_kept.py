"""A record cut at the record-length limit stays an error in the report (found in review): it is about the record
as a whole — characters were dropped and the file cannot be written back — so neither the state-position cap
under ``national`` (the cut falls past the national record) nor the shifted-record filter (a junk line looks like
a record shifted by template text) may weaken or drop it. The same in the in-memory and the stream engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from avetmiss_finalise.limits import Limits
from avetmiss_finalise.validation import validate

SAMPLE = Path(__file__).resolve().parents[2] / "avetmiss_finalise" / "samples" / "collection"


def _with_line(tmp: Path, make: object) -> Path:
    where = tmp / "c"
    shutil.copytree(SAMPLE, where)
    act = where / "NAT00120.txt"
    lines = act.read_bytes().split(b"\r\n")
    lines[2] = make(lines[2])  # type: ignore[operator]
    act.write_bytes(b"\r\n".join(lines))
    return where


@pytest.mark.parametrize("engine", [None, "stream"])
@pytest.mark.parametrize(
    "make",
    [lambda line: line + b"Z" * 3000, lambda line: b"A" * 3000],
    ids=["record-with-a-long-tail", "junk-line"],
)
def test_a_cut_record_is_an_error_under_national(tmp_path: Path, engine: str | None, make: object) -> None:
    where = _with_line(tmp_path, make)
    kw = {} if engine is None else {"engine": engine, "chunk_rows": 2}
    report = validate(where, period=2026, profile="national", limits=Limits(max_record_length=1024), **kw)
    long = report.findings[report.findings["rule_id"] == "NAT-LONG-RECORD"]
    assert long["severity"].tolist() == ["error"]
    assert long["line"].tolist() == [3]
    assert "state-only position" not in str(long["message"].iloc[0])
    assert not report.ok
