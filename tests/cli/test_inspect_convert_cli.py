"""``avetmiss-finalise inspect`` and ``convert`` through ``cli.main``: reports, exit codes, byte-exact CSV trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"


def test_inspect_clean_collection_exits_0_with_counts_and_widths(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(SAMPLE), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    nat120 = report["files"]["NAT00120"]
    assert nat120["widths"] == {"min": 158, "max": 158, "national": 111, "full": 158}
    assert nat120["records"] > 0 and nat120["line_ending"] == "CRLF"
    assert report["issues"] == []


def test_inspect_errors_exit_1_and_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(SAMPLE / "NAT00090.txt", tmp_path / "nat00090.TXT")
    with open(tmp_path / "nat00090.TXT", "ab") as fh:
        fh.write(b"SHORT\r\n")
    assert main(["inspect", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "NAT-SHORT" in out and "nat00090.TXT:" in out


def test_inspect_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(tmp_path / "missing.zip")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_convert_nat_to_csv_and_back_is_byte_exact(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)
    with open(src / "NAT00120.txt", "ab") as fh:  # an unparseable date and a tail kept in extra
        line = (SAMPLE / "NAT00120.txt").read_bytes().split(b"\r\n")[0]
        fh.write(line[:52] + b"31022026" + line[60:] + b"EXTRA \n")
    assert main(["convert", str(src), str(tmp_path / "csv")]) == 0
    assert (tmp_path / "csv" / "NAT00120.csv").is_file()
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 0
    for path in src.iterdir():
        assert (tmp_path / "nat" / path.name).read_bytes() == path.read_bytes(), path.name
