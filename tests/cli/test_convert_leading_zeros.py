"""CSV-LEADING-ZERO: CSV → NAT refuses an A code that lost its leading zeros and warns (zero-filling) for an N code.

Each problem is its own line, located by CSV file, spreadsheet row and column, and no value is printed.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.cli import main
from avetmiss_finalise.convert.csv_codes import DIGIT_CODE_FIELDS, RULE_ID
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.validation import REGISTRY

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
NATIONAL = get_profile("national")


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    assert main(["convert", str(SAMPLE), str(out)]) == 0
    return out


def _cells() -> list[tuple[str, str, str]]:
    """(file id, field, kind) of every code field a CSV can carry: A digit codes, N codes, numbers."""
    out = []
    for file_id in ("NAT00020", "NAT00030A", "NAT00060", "NAT00080", "NAT00085", "NAT00090", "NAT00100", "NAT00120"):
        for f in NATIONAL.layout(file_id).fields:
            if f.length < 2:
                continue
            if f.role == "number":
                out.append((file_id, f.name, "number"))
            elif f.kind == "N":
                out.append((file_id, f.name, "N"))
            elif f.name in DIGIT_CODE_FIELDS:
                out.append((file_id, f.name, "A"))
    return out


CELLS = _cells()


def test_the_rule_is_registered_with_a_fix() -> None:
    assert REGISTRY[RULE_ID].enforced_by and REGISTRY[RULE_ID].fix


@settings(max_examples=max(6, settings.default.max_examples // 3))
@given(cell=st.sampled_from(CELLS), data=st.data())
def test_csv_leading_zero_refused_for_a_codes_warned_for_n_codes_silent_for_numbers(
    sample_csv: Path, cell: tuple[str, str, str], data: st.DataObject
) -> None:
    """CSV-LEADING-ZERO fires for a digit code shorter than its field (A: refused, exit 2, nothing written; N:
    written zero-filled with a warning) and is silent for numbers and for the unchanged CSV."""
    file_id, field, kind = cell
    with tempfile.TemporaryDirectory() as tmp:
        src, dest = Path(tmp) / "csv", Path(tmp) / "nat"
        src.mkdir()
        shutil.copy(sample_csv / f"{file_id}.csv", src)  # one CSV, no sidecar: the check is per CSV, and fast
        table = pd.read_csv(src / f"{file_id}.csv", dtype=str, keep_default_na=False)
        if not len(table):
            return
        width = NATIONAL.layout(file_id).field(field).length
        row = data.draw(st.integers(0, len(table) - 1), label="row")
        short = data.draw(st.text(alphabet="123456789", min_size=1, max_size=width - 1), label="value")
        table.loc[row, field] = short
        table.to_csv(src / f"{file_id}.csv", index=False, lineterminator="\r\n")
        stderr, stdout = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            code = main(["convert", str(src), str(dest)])
        err = stderr.getvalue()
        where = f"row {row + 2}, column {list(table.columns).index(field) + 1} ({field})"
        assert f"'{short}'" not in err and f'"{short}"' not in err  # no value is shown
        located = [line for line in err.splitlines() if where in line and f"{file_id}.csv" in line]
        if kind == "A":
            assert code == 2 and not dest.exists()
            assert len(located) == 1 and RULE_ID in located[0]
        elif kind == "N":
            assert code == 0 and len(located) == 1 and "written zero-filled" in located[0]
            lines = (dest / f"{file_id}.txt").read_bytes().split(b"\r\n")
            f = NATIONAL.layout(file_id).field(field)
            assert lines[row][f.offset : f.stop] == short.zfill(width).encode()
        else:
            assert code == 0 and "leading zero" not in err


def test_every_refused_cell_is_its_own_line(
    sample_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two postcodes and a state that lost their zeros: three lines, one per cell, and no file written."""
    src = tmp_path / "csv"
    shutil.copytree(sample_csv, src)
    table = pd.read_csv(src / "NAT00080.csv", dtype=str, keep_default_na=False)
    table.loc[0, "postcode"], table.loc[2, "postcode"], table.loc[1, "state_id"] = "800", "872", "1"
    table.to_csv(src / "NAT00080.csv", index=False, lineterminator="\r\n")
    capsys.readouterr()
    assert main(["convert", str(src), str(tmp_path / "nat")]) == 2
    err = capsys.readouterr().err
    located = [line for line in err.splitlines() if "NAT00080.csv" in line and RULE_ID in line]
    assert len(located) == 3 and not (tmp_path / "nat").exists()
    assert {x.split("row ")[1].split(",")[0] for x in located} == {"2", "3", "4"}
    assert "800" not in err and "872" not in err
