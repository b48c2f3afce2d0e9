"""Open input files safely: regular files only, never blocking, never reading past a size limit.

A FIFO named ``NAT00120.txt`` would block a plain ``open()`` forever, and ``/dev/zero`` behind a symlink would be
read until memory runs out. So every input is ``stat``-ed first (following symlinks: a link to a regular file is
fine) and refused unless it is a regular file; it is then opened with ``O_NONBLOCK`` (a FIFO swapped in after the
``stat`` still cannot block) and ``fstat``-ed: the file opened must be the regular file that was checked, else
it is refused too (no time-of-check/time-of-use race). Reads go through :class:`BoundedReader`, which refuses to
return more than the limit even if the file grows while it is read.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from typing import IO

from avetmiss_finalise.errors import LimitError, UnreadableInputError
from avetmiss_finalise.limits import format_size

__all__ = ["BoundedReader", "NotRegularFileError", "file_kind", "open_regular", "os_reason", "read_regular"]

PathLike = str | os.PathLike[str]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


class NotRegularFileError(UnreadableInputError):
    """The path is not a regular file (a directory, FIFO, device, socket or broken link); ``kind`` says which."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, for messages: ``"a FIFO (named pipe)"``, ``"a regular file"``, …"""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def os_reason(exc: OSError) -> str:
    """The readable part of an OSError (``"No such file or directory"``), without the repeated path."""
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long for this system"
    return exc.strerror or str(exc)


def _shown(path: PathLike) -> str:
    """A path for a message, shortened when absurdly long (a 5,000-character path is an error, not a message)."""
    text = os.fspath(path)
    return text if len(text) <= 200 else f"{text[:80]}…{text[-40:]} ({len(text)} characters)"


def _refuse(path: PathLike, mode: int, what: str) -> NotRegularFileError:
    kind = file_kind(mode)
    return NotRegularFileError(f"{_shown(path)} is {kind}, not a regular file; {what} reads regular files only", kind)


def open_regular(path: PathLike, *, what: str = "avetmiss-finalise") -> tuple[IO[bytes], int]:
    """``(binary stream, size)`` of the regular file at ``path``; refuses anything else without blocking.

    Raises :class:`NotRegularFileError` for a directory, FIFO, device, socket or broken symlink, and
    :class:`~avetmiss_finalise.errors.UnreadableInputError` for a missing or unreadable path.
    """
    try:
        before = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.lexists(path):
            raise NotRegularFileError(f"{_shown(path)} is a broken symbolic link", "a broken symbolic link") from None
        if exc.errno == errno.ENOENT:
            raise UnreadableInputError(f"{_shown(path)} does not exist") from None
        raise UnreadableInputError(f"cannot read {_shown(path)}: {os_reason(exc)}") from None
    if not stat.S_ISREG(before.st_mode):
        raise _refuse(path, before.st_mode, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableInputError(f"cannot read {_shown(path)}: {os_reason(exc)}") from None
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode):
            raise _refuse(path, after.st_mode, what)
        if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise UnreadableInputError(f"{_shown(path)} was replaced while being opened; not read")
        return os.fdopen(fd, "rb"), after.st_size
    except BaseException:
        os.close(fd)
        raise


class BoundedReader(io.RawIOBase):
    """A read-only stream over ``inner`` that raises :class:`LimitError` instead of returning byte ``limit + 1``.

    Wraps files (which may grow while read) and zip members (whose declared size may lie), so no reader can be
    made to hold more than ``limit`` bytes of one input.
    """

    def __init__(self, inner: IO[bytes], limit: int, name: str, flag: str = "--max-file-size") -> None:
        super().__init__()
        self._inner = inner
        self._left = limit
        self._limit = limit
        self._name = name
        self._flag = flag

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._left + 1)
        data = self._inner.read(want)
        got = len(data)
        if got > self._left:
            raise LimitError(
                f"{self._name} is larger than the limit of {format_size(self._limit)} ({self._flag}); not read"
            )
        view[:got] = data
        self._left -= got
        return got

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def read_regular(
    path: PathLike, limit: int, *, what: str = "avetmiss-finalise", flag: str = "--max-file-size"
) -> bytes:
    """The bytes of the regular file at ``path``; refused (LimitError) when larger than ``limit``."""
    stream, size = open_regular(path, what=what)
    with stream:
        if size > limit:
            raise LimitError(
                f"{_shown(path)} is {format_size(size)}, larger than the limit of {format_size(limit)} ({flag});"
                " not read"
            )
        try:
            with BoundedReader(stream, limit, _shown(path), flag) as bounded:
                return bounded.read()
        except OSError as exc:
            if isinstance(exc, UnreadableInputError):
                raise
            raise UnreadableInputError(f"cannot read {_shown(path)}: {os_reason(exc)}") from None
