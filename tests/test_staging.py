"""The one output helper: every set of files lands whole or not at all, never through a link, never outside."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.errors import OutputError, UsageError
from avetmiss_finalise.staging import TEMP_PREFIX, is_empty_dir, write_file_sets, write_files


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root``: file bytes, link targets, directories (what "unchanged" is checked against)."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = p.read_bytes()
    return out


def test_a_set_is_written_and_replaces_files_of_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "NAT00120.txt").write_bytes(b"old")
    paths = write_files(tmp_path, {"NAT00120.txt": b"new", "NAT00130.txt": [b"a", memoryview(b"b")]})
    assert paths == [tmp_path / "NAT00120.txt", tmp_path / "NAT00130.txt"]
    assert snapshot(tmp_path) == {"NAT00120.txt": b"new", "NAT00130.txt": b"ab"}


def test_a_missing_directory_is_created_and_removed_again_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path / "a" / "b", {"x.txt": b"1"})
    assert (tmp_path / "a" / "b" / "x.txt").read_bytes() == b"1"
    monkeypatch.setattr(os, "fsync", _failing(os.fsync, 1, errno.ENOSPC))
    with pytest.raises(OutputError, match="No space left on device; nothing written"):
        write_files(tmp_path / "c" / "d", {"x.txt": b"1"})
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("name", ["../x.txt", "a/b.txt", "a\\b.txt", "", ".", "..", "x\x00.txt", ".avetmiss-1.part"])
def test_names_that_are_not_plain_file_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match="plain file names"):
        write_files(tmp_path / "out", {"ok.txt": b"1", name: b"2"})
    assert snapshot(tmp_path) == {}


def test_an_existing_symlink_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "NAT00120.txt").symlink_to(outside)
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match="symbolic link; refusing to write through it"):
        write_files(out, {"NAT00080.txt": b"x", "NAT00120.txt": b"y"})
    assert snapshot(tmp_path) == before


def test_a_folder_in_the_way_refuses_the_whole_set(tmp_path: Path) -> None:
    (tmp_path / "NAT00130.txt").mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match=r"NAT00130\.txt exists and is a directory"):
        write_files(tmp_path, {"NAT00120.txt": b"x", "NAT00130.txt": b"y"})
    assert snapshot(tmp_path) == before


def test_an_existing_file_as_the_directory_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(OutputError, match="exists and is not a directory"):
        write_files(tmp_path / "f", {"x.txt": b"1"})
    with pytest.raises(OutputError, match="no such directory"):
        write_files(tmp_path / "g", {"x.txt": b"1"}, create=False)


def _failing(real: object, at: int, code: int) -> object:
    """``real`` that raises ``OSError(code)`` on its ``at``-th call (1-based)."""
    calls = iter(range(1, 1 << 30))

    def fake(*args: object, **kwargs: object) -> object:
        if next(calls) == at:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)  # type: ignore[operator]

    return fake


_OPS = ("open", "fsync", "replace", "link")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    old=st.dictionaries(st.sampled_from(["a.txt", "b.txt", "c.txt"]), st.binary(max_size=8)),
    new=st.dictionaries(st.sampled_from(["a.txt", "b.txt", "d.txt"]), st.binary(max_size=8), min_size=1),
    op=st.sampled_from(_OPS),
    at=st.integers(1, 5),
)
def test_any_failure_leaves_the_directory_exactly_as_it_was(
    tmp_path_factory: pytest.TempPathFactory,
    old: dict[str, bytes],
    new: dict[str, bytes],
    op: str,
    at: int,
) -> None:
    """Disk full (or any error) at the Nth create, fsync, rename or link: either the whole new set is in place,
    or the directory holds exactly what it held before — never a mix, never a temporary file left behind."""
    root = tmp_path_factory.mktemp("stage")
    for name, data in old.items():
        (root / name).write_bytes(data)
    before = snapshot(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, op, _failing(getattr(os, op), at, errno.ENOSPC))
        try:
            write_files(root, new)
        except OutputError:
            failed = True
        else:
            failed = False
    after = snapshot(root)
    assert not any(name.startswith(TEMP_PREFIX) for name in after)
    assert after == (before if failed else {**before, **new})


def test_kill_during_writing_leaves_only_a_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``kill -9`` mid-write leaves: the old target untouched, and a ``.avetmiss-….part`` no reader takes."""
    (tmp_path / "NAT00120.txt").write_bytes(b"complete old file")

    def killed(fh: object) -> None:
        fh.write(b"half of the new")  # type: ignore[attr-defined]
        raise SystemExit(137)

    monkeypatch.setattr(os, "unlink", lambda *a, **k: None)  # a killed process cleans nothing up
    with pytest.raises(SystemExit):
        write_files(tmp_path, {"NAT00120.txt": killed})
    names = sorted(p.name for p in tmp_path.iterdir())
    assert (tmp_path / "NAT00120.txt").read_bytes() == b"complete old file"
    assert len(names) == 2 and names[0].startswith(TEMP_PREFIX) and names[0].endswith(".part")


def test_is_empty_dir(tmp_path: Path) -> None:
    assert is_empty_dir(tmp_path) and is_empty_dir(tmp_path / "missing")
    (tmp_path / "x").write_bytes(b"")
    assert not is_empty_dir(tmp_path) and not is_empty_dir(tmp_path / "x")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    new_a=st.dictionaries(st.sampled_from(["a.txt", "b.txt"]), st.binary(max_size=4), min_size=1),
    new_b=st.dictionaries(st.sampled_from(["a.txt", "c.txt"]), st.binary(max_size=4), min_size=1),
    op=st.sampled_from((*_OPS, "unlink")),
    at=st.integers(1, 6),
)
# The second backup's removal failing, the first already removed (was undone half-way, "nothing written").
@example(new_a={"a.txt": b"A"}, new_b={"a.txt": b"B"}, op="unlink", at=2)
@example(new_a={"a.txt": b"A"}, new_b={"a.txt": b"B"}, op="replace", at=2)  # b's rename fails, a's moved
def test_a_failure_in_either_directory_leaves_both_as_they_were(
    tmp_path_factory: pytest.TempPathFactory, new_a: dict[str, bytes], new_b: dict[str, bytes], op: str, at: int
) -> None:
    """write_file_sets across two directories (``validate --output json:a/r.json --output junit:b/r.xml``), each
    holding an old ``a.txt``: a failure anywhere leaves both directories exactly as they were and says "nothing
    written"; once every target is in place the write stands, even if a backup cannot be removed afterwards (it
    stays a ``.part`` file: undoing then would restore one directory, not the other, and still say "nothing
    written")."""
    root = tmp_path_factory.mktemp("sets")
    for d in ("a", "b"):
        (root / d).mkdir()
        (root / d / "a.txt").write_bytes(b"old " + d.encode())
    before = snapshot(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, op, _failing(getattr(os, op), at, errno.EIO))
        try:
            write_file_sets([(root / "a", new_a), (root / "b", new_b)])
        except OutputError as exc:
            failed = True
            assert str(exc).endswith("; nothing written")
        else:
            failed = False
    after = {k: v for k, v in snapshot(root).items() if not Path(k).name.startswith(TEMP_PREFIX)}
    assert op == "unlink" or after == snapshot(root), "a temporary file left behind"
    written = {**before, **{f"a/{n}": v for n, v in new_a.items()}, **{f"b/{n}": v for n, v in new_b.items()}}
    assert after == (before if failed else written)
