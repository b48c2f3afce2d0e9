"""CSV → NAT: every per-field problem found while converting CSV is located by CSV file, spreadsheet row and
column, one problem per line (issue #8 item 14) — the NAT writer's refusals (a bad date, a value too long, a
column that is not a field) as well as the leading-zero codes (tests/cli/test_convert_leading_zeros.py), through
the one location (avetmiss_finalise/convert/csv_codes.where). Synthetic sample data only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from avetmiss_finalise.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    assert main(["convert", str(SAMPLE), str(out)]) == 0
    return out


def _edit(sample_csv: Path, tmp_path: Path, file_id: str, cells: dict[tuple[int, str], str]) -> tuple[Path, list[str]]:
    src = tmp_path / "csv"
    shutil.copytree(sample_csv, src)
    table = pd.read_csv(src / f"{file_id}.csv", dtype=str, keep_default_na=False)
    for (row, column), value in cells.items():
        table.loc[row, column] = value
    table.to_csv(src / f"{file_id}.csv", index=False, lineterminator="\r\n")
    return src, list(table.columns)


def _column(columns: list[str], name: str) -> int:
    return columns.index(name) + 1


def test_bad_dates_and_values_are_located_in_the_csv_one_per_line(
    sample_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, columns = _edit(
        sample_csv,
        tmp_path,
        "NAT00120",
        {(0, "activity_start_date"): "2026-13-01", (2, "activity_end_date"): "31/02/2026", (1, "subject_id"): "X" * 13},
    )
    capsys.readouterr()
    assert main(["convert", str(src), str(tmp_path / "nat")]) == 2
    err = capsys.readouterr().err
    assert not (tmp_path / "nat").exists()
    lines = [line.strip() for line in err.splitlines() if "NAT-WRITE" in line]
    assert len(lines) == 3
    assert "NAT00120.txt" not in err  # no NAT record location: the user has the CSV open
    start = f"row 2, column {_column(columns, 'activity_start_date')} (activity_start_date)"
    end = f"row 4, column {_column(columns, 'activity_end_date')} (activity_end_date)"
    subject = f"row 3, column {_column(columns, 'subject_id')} (subject_id)"
    for line, cell in zip(sorted(lines), sorted([start, end, subject]), strict=True):
        assert line.startswith(f"NAT00120.csv:{cell.split(',')[0].removeprefix('row ')} ")
    assert any(start in line and "expected a date written YYYY-MM-DD" in line for line in lines)
    assert any(end in line and "'31/02/2026'" in line for line in lines)
    assert any(subject in line and "at most 12 characters" in line for line in lines)


def test_a_column_that_is_not_a_field_is_located_by_csv_column(
    sample_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, _ = _edit(sample_csv, tmp_path, "NAT00120", {})
    table = pd.read_csv(src / "NAT00120.csv", dtype=str, keep_default_na=False)
    table.insert(3, "notes", "x")
    table.to_csv(src / "NAT00120.csv", index=False, lineterminator="\r\n")
    capsys.readouterr()
    assert main(["convert", str(src), str(tmp_path / "nat")]) == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if "NAT-WRITE" in x]
    assert line.strip().startswith("NAT00120.csv notes: error NAT-WRITE: column 4 (notes): column 'notes' is not")


def test_personal_values_stay_hidden_in_a_located_problem(
    sample_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, columns = _edit(sample_csv, tmp_path, "NAT00080", {(0, "name_for_encryption"): "Q" * 80})
    capsys.readouterr()
    assert main(["convert", str(src), str(tmp_path / "nat")]) == 2
    err = capsys.readouterr().err
    where = f"row 2, column {_column(columns, 'name_for_encryption')} (name_for_encryption)"
    (line,) = [x for x in err.splitlines() if "NAT-WRITE" in x]
    assert line.strip().startswith("NAT00080.csv:2 ") and where in line and "Q" * 80 not in err


def test_a_cell_written_as_it_stands_that_is_not_nat_text_is_warned_in_the_csv(
    sample_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An 8-character date that is not YYYY-MM-DD is written raw (how an unparsed NAT cell comes back
    byte-exact); one that is not a NAT date either (2026-1-1) is warned at its CSV cell, one a DDMMYYYY date is
    not."""
    src, columns = _edit(
        sample_csv,
        tmp_path,
        "NAT00120",
        {(0, "activity_start_date"): "2026-1-1", (1, "activity_start_date"): "02032026", (2, "outcome_national"): "2X"},
    )
    capsys.readouterr()
    assert main(["convert", str(src), str(tmp_path / "nat")]) == 0
    warned = [x for x in capsys.readouterr().err.splitlines() if "written as they stand" in x]
    assert len(warned) == 2
    assert f"NAT00120.csv row 2, column {_column(columns, 'activity_start_date')}" in warned[0]
    assert f"NAT00120.csv row 4, column {_column(columns, 'outcome_national')}" in warned[1]
    assert "2026-1-1" not in "".join(warned) and "2X" not in "".join(warned)
