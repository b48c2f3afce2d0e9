"""The entries of a directory or zip, each either openable within the limits or refused with a reason.

This is where reading meets hostile input: only regular files are opened (FIFOs, devices, sockets and broken
links are named, never opened or waited on), zip members are judged by their declared sizes before anything is
decompressed (size, compression ratio, running total, member count), and every stream handed to the parser is
bounded so that a lying header or a growing file still cannot push it past the limit.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import attrs

from avetmiss_finalise.errors import LimitError, UnreadableInputError
from avetmiss_finalise.inputs import BoundedReader, file_kind, open_regular, os_reason
from avetmiss_finalise.limits import RATIO_FLOOR, Limits, format_size

__all__ = ["Member", "Opener", "bounded", "dir_members", "size_refusal", "zip_members"]

Opener = Callable[[], IO[bytes]]


@attrs.frozen
class Member:
    """One entry: ``opener`` when it may be read, else ``kind`` (what it is, when not a regular file)."""

    name: str
    opener: Opener | None = None
    size: int = 0
    compressed: int | None = None  # a zip member's compressed size
    kind: str | None = None  # "a FIFO (named pipe)", "a directory", … for entries that are not regular files


def bounded(stream: IO[bytes], limit: int, name: str) -> IO[bytes]:
    """``stream`` buffered, raising LimitError rather than returning more than ``limit`` bytes."""
    return io.BufferedReader(BoundedReader(stream, limit, name), buffer_size=1 << 16)


def _regular_opener(path: str, limit: int) -> Opener:
    def opener() -> IO[bytes]:
        stream, _ = open_regular(path)
        return bounded(stream, limit, os.path.basename(path))

    return opener


def dir_members(path: Path, limits: Limits) -> Iterator[Member]:
    """The entries of directory ``path``, sorted by name; at most ``limits.max_members`` are looked at."""
    try:
        with os.scandir(path) as it:
            entries = []
            for entry in it:
                entries.append((entry.name, entry.path))
                if len(entries) > limits.max_members:
                    raise LimitError(
                        f"{path} has more than {limits.max_members:,} entries, the limit (--max-members); not read"
                    )
    except OSError as exc:
        if isinstance(exc, UnreadableInputError):
            raise
        raise UnreadableInputError(f"cannot list directory {path}: {os_reason(exc)}") from None
    for name, full in sorted(entries):
        try:
            st = os.stat(full)  # follows symlinks: a link to a regular file is read, to /dev/zero is not
        except OSError as exc:
            kind = "a broken symbolic link" if os.path.islink(full) else f"unreadable ({os_reason(exc)})"
            yield Member(name, kind=kind)
            continue
        if stat.S_ISREG(st.st_mode):
            yield Member(name, _regular_opener(full, limits.max_file_bytes), size=st.st_size)
        else:
            yield Member(name, kind=file_kind(st.st_mode))


def _declared_entries(fp: IO[bytes]) -> int | None:
    """The entry count a zip's end-of-central-directory record declares (zip64 too), read before the central
    directory itself, so a zip of millions of members is refused before they are listed."""
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    tail_len = min(size, 22 + 0xFFFF + 20)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    entries: int = struct.unpack_from("<H", tail, pos + 10)[0]
    if entries == 0xFFFF and pos >= 20 and tail[pos - 20 : pos - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, pos - 20 + 8)
        if offset < size:
            fp.seek(offset)
            record = fp.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                (entries,) = struct.unpack_from("<Q", record, 32)
    return entries


def _unix_kind(info: zipfile.ZipInfo) -> str | None:
    """What a member made on Unix says it is when not a regular file (a symlink stored in the zip, say)."""
    mode = info.external_attr >> 16
    if info.create_system != 3 or not stat.S_IFMT(mode) or stat.S_ISREG(mode):
        return None
    return file_kind(mode)


def size_refusal(member: Member, limits: Limits, total: int) -> str | None:
    """Why the (declared) sizes of ``member`` keep it from being read; ``total``: NAT bytes accepted so far."""
    size, name = member.size, member.name
    unpacked = " decompressed" if member.compressed is not None else ""
    if size > limits.max_file_bytes:
        return (
            f"{name} is {format_size(size)}{unpacked}, larger than the limit of "
            f"{format_size(limits.max_file_bytes)} (--max-file-size); not read"
        )
    if member.compressed is not None and size > RATIO_FLOOR and size > limits.max_ratio * max(member.compressed, 1):
        ratio = size // max(member.compressed, 1)
        return (
            f"{name} is compressed {ratio:,}:1, more than the limit of {limits.max_ratio}:1 (--max-ratio; NAT files "
            "compress about 3-45:1): a zip bomb is refused, not decompressed"
        )
    if total + size > limits.max_total_bytes:
        return (
            f"{name} would take the NAT files read past the total limit of {format_size(limits.max_total_bytes)}"
            " (--max-total-size); not read"
        )
    return None


def zip_members(fp: IO[bytes], source: Path, limits: Limits) -> Iterator[Member]:
    """The file members of the zip open in ``fp``, sorted by name (the archive stays open while iterated)."""
    declared = _declared_entries(fp)
    if declared is not None and declared > limits.max_members:
        raise LimitError(
            f"{source} declares {declared:,} members, more than the limit of {limits.max_members:,} (--max-members);"
            " not read"
        )
    fp.seek(0)
    try:
        with zipfile.ZipFile(fp) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise LimitError(
                    f"{source} has {len(infos):,} members, more than the limit of {limits.max_members:,}"
                    " (--max-members); not read"
                )
            for info in sorted((i for i in infos if not i.is_dir()), key=lambda i: i.filename):
                kind = _unix_kind(info)
                if kind is not None:
                    yield Member(info.filename, kind=f"{kind} stored in the zip")
                    continue
                opener = _zip_opener(zf, info, limits)
                yield Member(info.filename, opener, size=info.file_size, compressed=info.compress_size)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError) as exc:
        raise UnreadableInputError(f"{source} is not a readable zip archive: {exc}") from exc
    except OSError as exc:
        if isinstance(exc, UnreadableInputError):
            raise
        raise UnreadableInputError(f"cannot read {source}: {os_reason(exc)}") from exc


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> Opener:
    def opener() -> IO[bytes]:
        return bounded(zf.open(info), min(limits.max_file_bytes, max(info.file_size, 0)), info.filename)

    return opener
