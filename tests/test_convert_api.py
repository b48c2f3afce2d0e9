"""``avetmiss_finalise.convert``: the NAT ⇄ CSV library the ``convert`` command calls, usable from Python.

A pipeline converting in Python gets exactly the command's files (byte for byte) and its refusals (WriteError,
nothing written). Synthetic sample data only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from avetmiss_finalise import WriteError, read_collection
from avetmiss_finalise.cli import main
from avetmiss_finalise.convert import META_NAME, collection_to_csv, csv_file_id, csv_to_nat, is_csv_source

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def test_python_round_trip_gives_the_commands_files_and_the_original_bytes(tmp_path: Path) -> None:
    csv_dir, nat_dir = tmp_path / "csv", tmp_path / "nat"
    written = collection_to_csv(read_collection(SAMPLE), csv_dir)
    assert written and all(p.suffix == ".csv" for p in written)
    assert (csv_dir / META_NAME).is_file()
    assert main(["convert", str(SAMPLE), str(tmp_path / "cmd_csv")]) == 0
    assert _tree(csv_dir) == _tree(tmp_path / "cmd_csv")
    assert is_csv_source(csv_dir) and not is_csv_source(SAMPLE)
    csv_to_nat(csv_dir, nat_dir)
    back = _tree(nat_dir)
    assert back and back == {name: (SAMPLE / name).read_bytes() for name in back}  # every NAT file, byte for byte
    assert {csv_file_id(p) for p in written} == {csv_file_id(Path(name).with_suffix(".csv")) for name in back}


def test_a_value_that_does_not_fit_is_refused_located_by_csv_cell_and_nothing_is_written(tmp_path: Path) -> None:
    csv_dir, nat_dir = tmp_path / "csv", tmp_path / "nat"
    collection_to_csv(read_collection(SAMPLE), csv_dir)
    table = csv_dir / "NAT00120.csv"
    lines = table.read_bytes().decode("utf-8").split("\r\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("subject_id")] = "X" * 40  # the field holds 12 characters
    lines[1] = ",".join(cells)
    table.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(WriteError) as caught:
        csv_to_nat(csv_dir, nat_dir)
    assert "NAT00120.csv" in str(caught.value) and "subject_id" in str(caught.value)
    assert not nat_dir.exists() or not any(nat_dir.iterdir())
