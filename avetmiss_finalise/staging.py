"""Write a set of output files all or nothing: staged beside their targets, moved into place only when all succeed.

Every writer of the library (NAT files, CSV files, the ``_nat_meta.json`` sidecar, ``decisions.json``, reports
written to a file) goes through :func:`write_files`, so none of them can leave a file that looks complete but is
not (``kill -9``, disk full), a half-written set (file 9 of 11 failed), or a write outside the directory asked for:

1. every name must be one plain file name (no ``/``, ``\\``, ``..``, NUL), whatever a sidecar or zip said;
2. every target is checked before anything is written: an existing symlink is refused (never written through),
   as is anything that is not a regular file (a folder named ``NAT00120.txt``);
3. each file is written to a temporary file in the same directory (``.avetmiss-….part``) and ``fsync``-ed;
4. only when all are written are they renamed onto their targets (atomic per file); if a rename fails, the
   files already moved are put back (old contents restored from hard-link backups, new files removed);
5. on any failure the temporary files are removed and a directory this call created is removed again, so the
   directory is exactly as it was, and :class:`~avetmiss_finalise.errors.OutputError` says what went wrong.

A ``kill -9`` can leave only ``.avetmiss-*.part`` files behind (never a target with partial content); they are
not NAT file names, so readers ignore them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from avetmiss_finalise.errors import AvetmissError, OutputError, UsageError, UsageTypeError
from avetmiss_finalise.inputs import file_kind, os_reason

__all__ = ["TEMP_PREFIX", "Content", "check_name", "is_empty_dir", "write_file_sets", "write_files"]

#: Content of one output file: bytes, buffers written in order, or a function that writes to the open file.
Content = bytes | bytearray | memoryview | Iterable[bytes | bytearray | memoryview] | Callable[[BinaryIO], object]
PathLike = str | os.PathLike[str]

#: Prefix of the temporary files staged beside their targets.
TEMP_PREFIX = ".avetmiss-"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def check_name(name: object) -> str:
    """``name`` if it is one plain file name to create in the output directory; else a UsageError."""
    if not isinstance(name, str):
        raise UsageTypeError(f"an output file name must be a string, not {type(name).__name__}")
    bad = (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or (os.sep in name)
        or (os.altsep is not None and os.altsep in name)
        or name.startswith(TEMP_PREFIX)
        or len(name.encode("utf-8", "surrogateescape")) > 255
    )
    if bad:
        raise UsageError(f"refusing to write {name!r}: output names must be plain file names inside the directory")
    return name


class _Dir:
    """The output directory, addressed through an open descriptor where the platform allows (no path races)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        if os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd:
            self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)

    def _p(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)

    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(self._p(name), dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def create(self, name: str) -> int:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
        return os.open(self._p(name), flags, 0o666, dir_fd=self.fd)

    def replace(self, src: str, dst: str) -> None:
        os.replace(self._p(src), self._p(dst), src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def backup(self, name: str, to: str) -> None:
        try:
            os.link(self._p(name), self._p(to), src_dir_fd=self.fd, dst_dir_fd=self.fd, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no hard links here (FAT, some network shares): move it aside
            self.replace(name, to)

    def unlink(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._p(name), dir_fd=self.fd)

    def sync(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):  # some filesystems cannot fsync a directory; the renames are done
                os.fsync(self.fd)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)


def _temp_name() -> str:
    return f"{TEMP_PREFIX}{secrets.token_hex(8)}.part"


def _write_content(fd: int, content: Content) -> None:
    with os.fdopen(fd, "wb", closefd=True) as fh:
        if callable(content):
            content(fh)
        elif isinstance(content, bytes | bytearray | memoryview):
            fh.write(content)
        else:
            for part in content:
                fh.write(part)
        fh.flush()
        os.fsync(fh.fileno())


def _ensure_dir(path: Path) -> list[Path]:
    """Create ``path`` (and missing parents); the directories created, deepest first, for undoing."""
    missing: list[Path] = []
    probe = path
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if os.path.lexists(probe) and not probe.is_dir():
        raise OutputError(f"cannot write into {path}: {probe} exists and is not a directory; nothing written")
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            if not d.is_dir():
                raise OutputError(f"cannot create {d}: it exists and is not a directory; nothing written") from None
            missing.remove(d)
        except OSError as exc:
            _remove_dirs([m for m in missing if m.exists()])
            raise OutputError(f"cannot create output directory {d}: {os_reason(exc)}; nothing written") from None
    return missing


def _remove_dirs(created: list[Path]) -> None:
    for d in created:  # deepest first; only if still empty (never remove anything we did not make)
        with contextlib.suppress(OSError):
            d.rmdir()


def _check_targets(out: _Dir, names: list[str]) -> None:
    for name in names:
        st = out.lstat(name)
        if st is None:
            continue
        where = out.path / name
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(
                f"{where} is a symbolic link; refusing to write through it (remove it or write elsewhere);"
                " nothing written"
            )
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{where} exists and is {file_kind(st.st_mode)}, not a file; nothing written")


def _same_file(a: os.stat_result | None, b: os.stat_result | None) -> bool:
    return a is not None and b is not None and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


#: One target moved into place: its name and the backup of what it replaced (``None``: it was new).
_Moved = tuple[str, str | None]


def _move_in(out: _Dir, temps: dict[str, str], done: list[_Moved]) -> None:
    """Rename every temp onto its target, recording each in ``done`` (old contents kept as hard-link backups until
    :func:`_drop_backups`, so :func:`_undo` can put them back)."""
    for name, temp in temps.items():
        backup = None
        if out.lstat(name) is not None:
            backup = _temp_name()
            out.backup(name, backup)
        done.append((name, backup))
        out.replace(temp, name)


def _undo(out: _Dir, done: list[_Moved]) -> None:
    """Put back what :func:`_move_in` moved: old contents restored, new files removed."""
    for name, backup in reversed(done):
        try:
            if backup is not None and _same_file(out.lstat(backup), out.lstat(name)):
                out.unlink(backup)  # a hard-link backup of a target never replaced (rename would do nothing)
            elif backup is not None:
                out.replace(backup, name)
            elif out.lstat(name) is not None:
                out.unlink(name)
        except OSError:  # pragma: no cover - the filesystem failed twice; nothing more can be done
            pass


def _drop_backups(out: _Dir, done: list[_Moved]) -> None:
    """Remove the backups once every target is in place; one that cannot be removed stays a ``.part`` file."""
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                out.unlink(backup)


class _Staged:
    """One directory's files on their way in: its descriptor, the directories made for it, the temp files
    written, the targets moved so far, and the file being written (for the error message)."""

    def __init__(self, path: Path, created: list[Path]) -> None:
        self.path, self.created = path, created
        self.out: _Dir | None = None
        self.temps: dict[str, str] = {}
        self.done: list[_Moved] = []
        self.current = ""


def _names(path: Path, files: Mapping[str, Content]) -> list[str]:
    names = [check_name(n) for n in files]
    folded = [n.casefold() for n in names]
    if len(set(folded)) != len(folded):
        raise UsageError(f"output names differ only in case: {', '.join(sorted(names))}; nothing written")
    return names


def _stage(stage: _Staged, names: list[str], files: Mapping[str, Content]) -> None:
    stage.out = out = _Dir(stage.path)
    _check_targets(out, names)
    for name, content in files.items():
        stage.current = name
        temp = _temp_name()
        fd = out.create(temp)
        stage.temps[name] = temp
        _write_content(fd, content)
    stage.current = ""


def write_files(directory: PathLike, files: Mapping[str, Content], *, create: bool = True) -> list[Path]:
    """Write every ``name → content`` of ``files`` into ``directory`` (created if missing, when ``create``),
    all or nothing.

    Returns the paths written, in the order given. Raises :class:`OutputError` (the directory left exactly as
    it was) when anything cannot be written, :class:`UsageError` for a name that is not a plain file name.
    """
    return write_file_sets([(directory, files)], create=create)


def write_file_sets(sets: Iterable[tuple[PathLike, Mapping[str, Content]]], *, create: bool = True) -> list[Path]:
    """:func:`write_files` for several ``(directory, files)`` at once, all or nothing across them: every file of every
    directory is staged before any is moved into place, and a failure in one directory puts back what was
    already moved in the others (``validate --output json:a/r.json --output junit:b/r.xml``)."""
    plans: list[tuple[Path, list[str], Mapping[str, Content]]] = []
    for directory, files in sets:
        if not isinstance(directory, str | os.PathLike):
            raise UsageTypeError(f"expected an output directory path, got {type(directory).__name__}")
        path = Path(directory)
        plans.append((path, _names(path, files), files))
    for path, _, _ in plans:
        if not create and not path.is_dir():
            raise OutputError(f"cannot write into {path}: no such directory; nothing written")
    staged: list[_Staged] = []
    failing: _Staged | None = None
    try:
        for path, names, files in plans:
            failing = _Staged(path, [])
            staged.append(failing)
            failing.created = _ensure_dir(path)
            _stage(failing, names, files)
        for failing in staged:
            assert failing.out is not None
            _move_in(failing.out, failing.temps, failing.done)
    except BaseException as exc:
        for stage in reversed(staged):
            if stage.out is not None:
                _undo(stage.out, stage.done)
                for temp in stage.temps.values():
                    stage.out.unlink(temp)
            _remove_dirs(stage.created)
        if isinstance(exc, OSError) and not isinstance(exc, AvetmissError):
            where = failing.path if failing is not None else plans[0][0]
            current = failing.current if failing is not None else ""
            what = f"{where / current}" if current else f"into {where}"
            raise OutputError(f"cannot write {what}: {os_reason(exc)}; nothing written") from None
        raise
    else:
        # Every target is in place: the write has happened. A backup that cannot be removed now is a leftover
        # ``.part`` file readers ignore, never a reason to undo (the backups of directories already cleaned are
        # gone, so an undo would leave a mix and still say "nothing written").
        for stage in staged:
            assert stage.out is not None
            _drop_backups(stage.out, stage.done)
            stage.out.sync()
    finally:
        for stage in staged:
            if stage.out is not None:
                stage.out.close()
    return [path / n for path, names, _ in plans for n in names]


def is_empty_dir(path: PathLike) -> bool:
    """Whether ``path`` is missing or an empty directory (what a converter may write into without ``--force``)."""
    p = Path(path)
    if not os.path.lexists(p):
        return True
    if not p.is_dir():
        return False
    with os.scandir(p) as it:
        return next(it, None) is None
