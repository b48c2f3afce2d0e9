"""Example tests for each input quirk: file, directory or zip; names in any case; empty files; unreadable input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from avetmiss_finalise import nat
from avetmiss_finalise.errors import UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.nat.collection import Collection
from tests.nat.test_roundtrip import nat00120_bytes, sample_unit

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_zip_with_folder_and_mixed_case_names(tmp_path: Path) -> None:
    archive = tmp_path / "Submission.ZIP"
    archive.write_bytes(_zip({"2026/Nat00120.TxT": nat00120_bytes(2), "2026/nat00090.txt": b""}))
    coll = nat.read_collection(archive)
    assert list(coll.frames) == ["NAT00090", "NAT00120"]
    assert coll.meta["NAT00120"].name == "Nat00120.TxT"
    assert len(coll.frames["NAT00120"]) == 2 and coll.issues == ()


def test_single_file_by_name_or_by_explicit_id(tmp_path: Path) -> None:
    (tmp_path / "nat00120.txt").write_bytes(nat00120_bytes(1))
    (tmp_path / "activity.dat").write_bytes(nat00120_bytes(1))
    assert list(nat.read_collection(tmp_path / "nat00120.txt").frames) == ["NAT00120"]
    assert len(nat.read_file(tmp_path / "activity.dat", "NAT00120").frames["NAT00120"]) == 1
    with pytest.raises(UsageError, match="cannot tell which NAT file"):
        nat.read_file(tmp_path / "activity.dat")
    with pytest.raises(UnreadableInputError):
        nat.read_collection(tmp_path / "activity.dat")


def test_zero_byte_file_is_an_empty_frame_with_contract_dtypes(tmp_path: Path) -> None:
    (tmp_path / "NAT00120.txt").write_bytes(b"")
    coll = nat.read_collection(tmp_path)
    frame = coll.frames["NAT00120"]
    assert len(frame) == 0 and coll.issues == ()
    assert frame["activity_start_date"].dtype == "datetime64[s]" and frame["hours_attended"].dtype == "Int64"
    assert nat.write_collection(coll, tmp_path / "out")[0].read_bytes() == b""


def test_directory_without_nat_files_is_an_empty_collection(tmp_path: Path) -> None:
    coll = nat.read_collection(tmp_path)
    assert coll.frames == {} and coll.issues == ()


def test_not_a_zip_is_unreadable_input(tmp_path: Path) -> None:
    bad = tmp_path / "submission.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(UnreadableInputError, match="not a readable zip"):
        nat.read_collection(bad)


def test_sample_collection_round_trips_byte_for_byte(tmp_path: Path) -> None:
    coll = nat.read_collection(SAMPLE)
    assert coll.issues == ()
    for path in nat.write_collection(coll, tmp_path):
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name


def test_write_options_line_ending_width_and_files(tmp_path: Path) -> None:
    coll = nat.read_collection(SAMPLE)
    (path,) = nat.write_collection(coll, tmp_path, width="national-cut", line_ending="\n", files=["nat00120"])
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and {len(x) for x in lines[:-1]} == {111}
    with pytest.raises(UsageError):
        nat.write_collection(coll, tmp_path, files=["NAT00085A"])


def test_width_national_refuses_to_drop_non_blank_state_fields(tmp_path: Path) -> None:
    """No silent truncation: cutting at the national length must not lose state data unless asked for."""
    coll = nat.read_collection(SAMPLE)
    with pytest.raises(WriteError) as err:
        nat.write_collection(coll, tmp_path, width="national", files=["NAT00120"])
    issues = [i for i in err.value.issues if isinstance(i, Issue)]
    assert issues and all(i.line is not None and i.field and i.columns for i in issues)
    assert not list(tmp_path.iterdir())
    blank_tail = nat.frame_from_records(
        [nat.NAT00120(client_id="C1", subject_id="S1", outcome_national="20")], "NAT00120"
    )
    data = nat.encode_frame(blank_tail, "NAT00120", width="national")
    assert len(data.split(b"\r\n")[0]) == 111


def test_from_frames_writes_crlf_full_width(tmp_path: Path) -> None:
    frame = nat.frame_from_records([sample_unit()], "NAT00120")
    coll = Collection.from_frames({"NAT00120": frame})
    (path,) = nat.write_collection(coll, tmp_path)
    assert path.name == "NAT00120.txt" and path.read_bytes() == nat00120_bytes(1).replace(b"TESTC000", b"TESTC001")


def test_write_collection_writes_nothing_when_any_value_is_bad(tmp_path: Path) -> None:
    coll = nat.read_collection(SAMPLE)
    frames = dict(coll.frames)
    frames["NAT00120"] = frames["NAT00120"].assign(outcome_national=pd.array(["2X"] * len(frames["NAT00120"])))
    broken = Collection.from_frames(frames)
    with pytest.raises(WriteError) as info:
        nat.write_collection(broken, tmp_path / "out")
    assert len(info.value.issues) == len(frames["NAT00120"])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unknown_frame_columns_are_refused_not_dropped() -> None:
    frame = nat.frame_from_records([sample_unit()], "NAT00120").assign(note="kept?")
    with pytest.raises(WriteError, match="note"):
        nat.encode_frame(frame, "NAT00120")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("NAT00120.txt", "NAT00120"),
        ("nat00010a.TXT", "NAT00010A"),
        ("NAT00090", "NAT00090"),
        ("NAT00120.csv", None),
        ("NAT00120.zip", None),
        ("NAT00121.txt", None),
        ("x/NAT00130.txt", "NAT00130"),
    ],
)
def test_file_names_are_matched_case_insensitively_txt_or_bare(name: str, expected: str | None) -> None:
    assert nat.file_id_of(name) == expected


def test_zip_named_like_a_nat_file_is_read_as_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "NAT00120.zip"
    archive.write_bytes(_zip({"NAT00120.txt": nat00120_bytes(2)}))
    assert len(nat.read_collection(archive).frames["NAT00120"]) == 2


def test_zip_member_names_with_backslashes_are_found(tmp_path: Path) -> None:
    """Some Windows tools write ``2026\\Nat00120.TXT`` as the member name: still NAT00120, written back by name."""
    archive = tmp_path / "windows.zip"
    archive.write_bytes(_zip({"2026\\Nat00120.TxT": nat00120_bytes(2)}))
    coll = nat.read_collection(archive)
    assert list(coll.frames) == ["NAT00120"] and coll.issues == ()
    (path,) = nat.write_collection(coll, tmp_path / "out")
    assert path.name == "Nat00120.TxT" and path.read_bytes() == nat00120_bytes(2)


def test_a_near_nat_name_is_ignored_with_a_rename_hint(tmp_path: Path) -> None:
    """``NAT00120 (1).txt`` (a browser's second download) is not read, but the Issue says what to rename it to."""
    (tmp_path / "NAT00120 (1).txt").write_bytes(nat00120_bytes(1))
    (tmp_path / "notes.txt").write_bytes(b"hello")
    coll = nat.read_collection(tmp_path)
    assert coll.frames == {}
    messages = {i.file: i.message for i in coll.issues}
    assert "rename it to NAT00120.txt" in messages["NAT00120 (1).txt"]
    assert "rename" not in messages["notes.txt"]
