"""``avetmiss-finalise inspect`` and ``convert`` through ``cli.main``: reports, exit codes, byte-exact CSV trips."""

from __future__ import annotations

import json
import shutil
import zipfile
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
        fh.write(b"C000000100X9\r\n")  # a disability type that is not digits
    assert main(["inspect", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "NAT-NUMBER" in out and "nat00090.TXT:" in out


def test_inspect_of_a_record_trimmed_of_trailing_blanks_warns_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F-01: a record cut short (trailing blanks trimmed) is read as space-filled with a warning, not an error."""
    shutil.copy(SAMPLE / "NAT00010.txt", tmp_path / "NAT00010.txt")
    record = (SAMPLE / "NAT00010.txt").read_bytes().split(b"\r\n")[0]
    (tmp_path / "NAT00010.txt").write_bytes(record[:110].rstrip(b" ") + b"\r\n")  # TOID and name only
    assert main(["inspect", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "NAT-SHORT" in out and "warning" in out


def test_inspect_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(tmp_path / "missing.zip")]) == 2
    assert "missing.zip: no such file or directory" in capsys.readouterr().err


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


def test_convert_refuses_a_renamed_csv_column_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A column that is not a field (renamed in a spreadsheet, or from another profile) must not be dropped."""
    assert main(["convert", str(SAMPLE), str(tmp_path / "csv")]) == 0
    path = tmp_path / "csv" / "NAT00120.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("client_id,", "Client ID,", 1), encoding="utf-8")
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 2
    assert "'Client ID' is not a field of NAT00120" in capsys.readouterr().err
    assert not (tmp_path / "nat").exists()


def test_convert_a_nat_directory_with_a_stray_csv_is_still_nat_to_csv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)
    (src / "summary.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["convert", str(src), str(tmp_path / "csv")]) == 0
    assert (tmp_path / "csv" / "NAT00120.csv").is_file()


def test_convert_a_csv_not_named_after_a_nat_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(SAMPLE), str(tmp_path / "csv")]) == 0
    other = tmp_path / "csv" / "NAT00120 (1).csv"
    shutil.copy(tmp_path / "csv" / "NAT00120.csv", other)
    assert main(["convert", str(other), str(tmp_path / "nat")]) == 2
    assert "not a NAT file's CSV" in capsys.readouterr().err


def test_convert_keeps_an_unparseable_date_that_looks_almost_iso(tmp_path: Path) -> None:
    """``2026-1-1`` in a date field is unparseable NAT text: it must come back as is, not as 01012026."""
    src = tmp_path / "src"
    src.mkdir()
    line = (SAMPLE / "NAT00120.txt").read_bytes().split(b"\r\n")[0]
    (src / "NAT00120.txt").write_bytes(line[:52] + b"2026-1-1" + line[60:] + b"\r\n")
    assert main(["convert", str(src), str(tmp_path / "csv")]) == 0
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 0
    assert (tmp_path / "nat" / "NAT00120.txt").read_bytes() == (src / "NAT00120.txt").read_bytes()


def test_convert_with_a_broken_sidecar_or_csv_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(SAMPLE), str(tmp_path / "csv")]) == 0
    (tmp_path / "csv" / "_nat_meta.json").write_text("{not json", encoding="utf-8")
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 2
    assert "_nat_meta.json" in capsys.readouterr().err
    (tmp_path / "csv" / "_nat_meta.json").unlink()
    (tmp_path / "csv" / "NAT00090.csv").write_bytes(b"client_id\n\xff\xfe\n")
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 2
    assert "NAT00090.csv" in capsys.readouterr().err


def test_inspect_a_directory_without_nat_files_says_so_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A submission one folder down is not searched: the user is told (exit 2, as validate and convert say it)."""
    shutil.copytree(SAMPLE, tmp_path / "2026")
    assert main(["inspect", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no NAT files found" in captured.err and "sub-directories" in captured.err


def test_convert_round_trips_stray_control_characters_byte_exact(tmp_path: Path) -> None:
    """A lone CR (or NUL, or 0x85) inside a record is data to keep: the CSV must quote it, not split the row."""
    src = tmp_path / "src"
    src.mkdir()
    lines = (SAMPLE / "NAT00120.txt").read_bytes().split(b"\r\n")
    damaged = lines[0][:25] + b"\r" + lines[0][26:40] + b"\x00\x85" + lines[0][42:] + b"\r5\r\n" + lines[1] + b"\r\n"
    (src / "NAT00120.txt").write_bytes(damaged)
    assert main(["convert", str(src), str(tmp_path / "csv")]) == 0
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 0
    assert (tmp_path / "nat" / "NAT00120.txt").read_bytes() == damaged


def test_convert_of_a_damaged_collection_warns_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)
    with open(src / "NAT00090.txt", "ab") as fh:
        fh.write(b"C000000100X9\r\n")
    assert main(["convert", str(src), str(tmp_path / "csv")]) == 0
    assert "1 reader issue(s), 1 at error level" in capsys.readouterr().err
    assert main(["convert", str(SAMPLE), str(tmp_path / "csv2")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("profile", ["national", "nsw", "vic", "qld", "tas"])
def test_convert_a_zip_to_csv_and_back_is_byte_exact_under_every_profile(tmp_path: Path, profile: str) -> None:
    """The CSV → NAT direction takes the profile from the sidecar; state tails and padded records come back."""
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in SAMPLE.iterdir():
            zf.writestr(f"2026/{path.name.lower()}", path.read_bytes())
    assert main(["convert", str(archive), str(tmp_path / "csv"), "--profile", profile]) == 0
    assert json.loads((tmp_path / "csv" / "_nat_meta.json").read_text(encoding="utf-8"))["profile"] == profile
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 0
    for path in SAMPLE.iterdir():
        assert (tmp_path / "nat" / path.name.lower()).read_bytes() == path.read_bytes(), path.name


def test_inspect_json_exit_codes_1_and_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "NAT00090.txt").write_bytes(b"\r\n")  # an empty line is not a record: NAT-SHORT at error level
    assert main(["inspect", str(tmp_path / "NAT00090.txt"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (issue,) = report["issues"]
    assert (issue["rule_id"], issue["line"], issue["columns"], issue["field"]) == ("NAT-SHORT", 1, [1, 12], "client_id")
    assert report["counts"]["error"] == 1
    (tmp_path / "submission.zip").write_bytes(b"not a zip")
    assert main(["inspect", str(tmp_path / "submission.zip"), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "not a readable zip" in captured.err
