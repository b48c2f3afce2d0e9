"""Junk in, Issues out: the reader never raises on bad data, and writes back exactly what it read.

Like python-stdnum's robustness test, every layout and profile is fed arbitrary bytes (and junk files inside
directories and zips); the only exception allowed is UnreadableInputError for input that is not readable at all.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avetmiss_finalise import nat
from avetmiss_finalise.errors import UnreadableInputError
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.nat.parse import RULES, parse_bytes
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import get_profile
from tests.strategies.nat import file_and_profile, junk_lines, nat_lines

_lines_of_bytes = st.lists(st.binary(max_size=300), max_size=6).map(lambda parts: b"\r\n".join(parts))
junk = st.one_of(junk_lines(), _lines_of_bytes)


@given(data=junk, pair=file_and_profile())
def test_junk_bytes_give_issues_never_exceptions_and_round_trip(data: bytes, pair: tuple[str, str]) -> None:
    file_id, profile = pair
    parsed = parse_bytes(data, file_id, get_profile(profile))
    assert all(isinstance(i, Issue) and i.rule_id in RULES for i in parsed.issues)
    assert encode_frame(parsed.frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed) == data


@given(
    data=st.data(),
    pair=file_and_profile(),
    cut=st.integers(0, 400),
    junk_byte=st.integers(0, 255).filter(lambda b: b != 0x0A),
)
def test_damaged_records_give_located_issues(
    data: st.DataObject, pair: tuple[str, str], cut: int, junk_byte: int
) -> None:
    file_id, profile = pair
    line = data.draw(nat_lines(file_id, profile, extra=False)).encode("ascii")
    pos = cut % max(len(line), 1)
    damaged = line[:pos] + bytes([junk_byte]) + line[pos + 1 :]
    parsed = parse_bytes(damaged + b"\r\n", file_id, get_profile(profile))
    for issue in parsed.issues:
        assert issue.line == 1
        assert issue.columns is None or 1 <= issue.columns[0] <= issue.columns[1]
    if not 0x20 <= junk_byte <= 0x7E:
        assert any(i.rule_id == "NAT-CHARSET" and i.columns == (pos + 1, pos + 1) for i in parsed.issues)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.dictionaries(st.sampled_from(["NAT00120.txt", "nat00080.TXT", "notes.txt", "NAT00010A"]), junk))
def test_junk_directories_and_zips_read_without_raising(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]
) -> None:
    folder = tmp_path_factory.mktemp("junk")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in files.items():
            (folder / name).write_bytes(content)
            zf.writestr(f"submission/{name}", content)
    archive = folder.parent / f"{folder.name}.zip"
    archive.write_bytes(buffer.getvalue())
    from_dir, from_zip = nat.read_collection(folder), nat.read_collection(archive)
    assert set(from_dir.frames) == set(from_zip.frames)
    for fid in from_dir.frames:
        assert from_dir.frames[fid].equals(from_zip.frames[fid])


@given(content=st.binary(max_size=200))
def test_a_zip_name_with_junk_content_is_unreadable_input(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("z") / "submission.zip"
    path.write_bytes(content)
    try:
        coll = nat.read_collection(path)
    except UnreadableInputError:
        return
    assert coll.frames == {} or all(fid in nat.FILE_IDS for fid in coll.frames)


def test_missing_path_is_unreadable_input(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="no such file or directory"):
        nat.read_collection(tmp_path / "nothing-here")
