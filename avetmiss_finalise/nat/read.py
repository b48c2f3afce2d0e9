"""Read a NAT file, a directory of them or a zip: names matched case-insensitively, unknown files reported.

Only unreadable input raises (:class:`~avetmiss_finalise.errors.UnreadableInputError`); everything wrong with
the data is an Issue on the returned :class:`Collection` (see :mod:`avetmiss_finalise.nat.parse`). Only regular
files are read and every read is bounded by :class:`~avetmiss_finalise.limits.Limits` (see
:mod:`avetmiss_finalise.nat.members`).
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from avetmiss_finalise.errors import LimitError, UnreadableInputError, UsageError, UsageTypeError
from avetmiss_finalise.inputs import NotRegularFileError, file_kind, open_regular, os_reason
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.nat.collection import Collection
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.nat.members import Member, Opener, bounded, dir_members, size_refusal, zip_members
from avetmiss_finalise.nat.parse import RULES, Parsed, line_chunks, parse_chunks
from avetmiss_finalise.nat.presence import missing_path
from avetmiss_finalise.nat.records import NatRecord
from avetmiss_finalise.profiles import Profile, get_profile

__all__ = ["file_id_of", "read_collection", "read_file", "read_records"]

_NAME = re.compile(r"(NAT\d{5}A?)(\.txt)?", re.IGNORECASE)
_IDS = frozenset(FILE_IDS)

PathLike = str | os.PathLike[str]


def _basename(name: str) -> str:
    """The last part of a path or zip member name, splitting at ``\\`` too (zips made by some Windows tools)."""
    return os.path.basename(name.replace("\\", "/"))


def file_id_of(name: str) -> str | None:
    """The NAT file id a file name stands for (``Nat00120.TxT`` → ``NAT00120``), or ``None``.

    Only ``.txt`` (any case) or no extension: ``NAT00120.csv`` or ``NAT00120.zip`` are other things.
    """
    m = _NAME.fullmatch(_basename(name))
    if not m:
        return None
    fid = m.group(1).upper()
    return fid if fid in _IDS else None


_LOOKS_LIKE = re.compile(r"NAT\d{5}A?", re.IGNORECASE)


def _unknown_message(path_name: str, name: str) -> str:
    """Why a file is ignored; names like ``NAT00120 (1).txt`` are told what to be renamed to."""
    m = _LOOKS_LIKE.search(name)
    fid = m.group(0).upper() if m else None
    if fid in _IDS and not name.lower().endswith((".csv", ".zip")):
        return f"{path_name} is not a NAT file name; ignored (rename it to {fid}.txt to read it as {fid})"
    return f"{path_name} is not a NAT file name; ignored"


def _info(rule_id: str, message: str, file: str) -> Issue:
    return Issue(rule_id=rule_id, severity=RULES[rule_id][0], message=message, file=file)


_UNREADABLE = (OSError, zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError)


def _parse_member(
    opener: Opener, fid: str, profile: Profile, name: str, source: str, limits: Limits, digests: bool = False
) -> Parsed:
    """Parse one member; LimitError (past a limit while reading) passes through, other failures are unreadable.
    With ``digests`` the bytes parsed are counted and hashed on the way (FileMeta.size, FileMeta.sha256)."""
    measure = _Measure() if digests else None
    try:
        with opener() as raw:
            stream: IO[bytes] = io.BufferedReader(_Hashing(raw, measure)) if measure else raw
            chunks = line_chunks(stream, max_record_length=limits.max_record_length)
            parsed = parse_chunks(chunks, fid, profile, name, limits=limits)
    except UnreadableInputError:
        raise
    except _UNREADABLE as exc:
        raise UnreadableInputError(f"cannot read {name} in {source}: {exc}") from exc
    if measure is None:
        return parsed
    return attrs.evolve(parsed, meta=attrs.evolve(parsed.meta, size=measure.size, sha256=measure.hash.hexdigest()))


class _Measure:
    """Size and SHA-256 of every byte read from a file (even those of an over-long record the parser drops): the
    audit of exactly what was validated, taken in the same pass as the read."""

    def __init__(self) -> None:
        self.size = 0
        self.hash = hashlib.sha256()

    def add(self, data: bytes | bytearray | memoryview) -> None:
        self.size += len(data)
        self.hash.update(data)


class _Hashing(io.RawIOBase):
    """A read-only stream that feeds what passes through it to a :class:`_Measure`."""

    def __init__(self, stream: IO[bytes], measure: _Measure) -> None:
        super().__init__()
        self._stream = stream
        self._measure = measure

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        data = self._stream.read(len(buf))
        buf[: len(data)] = data
        self._measure.add(data)
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        line = self._stream.readline(-1 if size is None else size)
        self._measure.add(line)
        return line


def _refused(member: Member, fid: str | None) -> Issue | None:
    """The Issue of an entry that is not a regular file (None for a plain sub-directory: not searched)."""
    if fid is not None:
        return _info("NAT-SPECIAL-FILE", f"{member.name} is {member.kind}, not a regular file; not read", member.name)
    if member.kind == "a directory":
        return None
    return _info("NAT-UNKNOWN-FILE", f"{member.name} is {member.kind} and not a NAT file name; ignored", member.name)


def _printable(name: str) -> str:
    """A directory entry's name as text every report can hold: a name that is not UTF-8 (read by Python with
    surrogate escapes, ``NAT00130\udcff.txt``) is shown with its bytes escaped (``NAT00130\\xff.txt``)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _collect(
    members: Iterator[Member], profile: Profile, source: str, limits: Limits, digests: bool = False
) -> Collection:
    frames, meta, unparsed = {}, {}, {}
    issues: list[Issue] = []
    total = 0
    for member in members:
        member = attrs.evolve(member, name=_printable(member.name))
        path_name = member.name
        name = _basename(path_name)
        fid = file_id_of(name)
        if member.opener is None:
            refused = _refused(member, fid)
            if refused is not None:
                issues.append(refused)
            continue
        if fid is None:
            issues.append(_info("NAT-UNKNOWN-FILE", _unknown_message(path_name, name), path_name))
            continue
        if fid in frames:
            issues.append(_info("NAT-DUPLICATE-FILE", f"{path_name} is a second {fid}; ignored", path_name))
            continue
        too_large = size_refusal(member, limits, total)
        if too_large is not None:
            issues.append(_info("NAT-TOO-LARGE", too_large, path_name))
            continue
        try:
            parsed = _parse_member(member.opener, fid, profile, name, source, limits, digests)
        except LimitError as exc:
            issues.append(_info("NAT-TOO-LARGE", str(exc), path_name))
            continue
        total += member.size
        frames[fid], meta[fid], unparsed[fid] = parsed.frame, parsed.meta, parsed.unparsed
        issues.extend(parsed.issues)
    order = {fid: i for i, fid in enumerate(FILE_IDS)}
    ids = sorted(frames, key=order.__getitem__)
    return Collection(
        frames={f: frames[f] for f in ids},
        issues=tuple(issues),
        profile=profile,
        meta={f: meta[f] for f in ids},
        unparsed={f: unparsed[f] for f in ids},
        source=source,
    )


def _limits(limits: Limits | None) -> Limits:
    if limits is None:
        return DEFAULT_LIMITS
    if not isinstance(limits, Limits):
        raise UsageTypeError(f"limits must be an avetmiss_finalise.Limits, not {type(limits).__name__}")
    return limits


def _path(path: PathLike) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise UsageTypeError(f"expected a path (str or os.PathLike), got {type(path).__name__}")
    return Path(path)


def _shown(p: Path) -> str:
    """A path for a message, shortened when absurdly long (a 5,000-character path)."""
    text = str(p)
    return text if len(text) <= 200 else f"{text[:80]}…{text[-40:]} ({len(text)} characters)"


def _stat(p: Path) -> os.stat_result:
    """``os.stat`` of an input path; every failure an UnreadableInputError (never a raw OSError)."""
    try:
        return os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.lexists(p):
            raise NotRegularFileError(f"{_shown(p)} is a broken symbolic link", "a broken symbolic link") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise missing_path(_shown(p)) from None
        raise UnreadableInputError(f"cannot read {_shown(p)}: {os_reason(exc)}") from None
    except ValueError as exc:  # an embedded NUL in the path
        raise UnreadableInputError(f"cannot read {_shown(p)}: {exc}") from None


def read_collection(
    path: PathLike, profile: str | Profile = "national", *, limits: Limits | None = None, digests: bool = False
) -> Collection:
    """Read a NAT file, a directory of NAT files or a zip of them with ``profile``'s layouts.

    A directory or zip without NAT files gives an empty collection. Raises ``UnreadableInputError`` only when
    the input itself cannot be read (missing, not a zip, permission denied, not a regular file), its
    ``LimitError`` subclass when the input as a whole is over ``limits``. Within a directory or zip, an entry
    that is not a regular file or is over a limit is an Issue (NAT-SPECIAL-FILE, NAT-TOO-LARGE); the rest is read.
    ``digests`` records each file's size and SHA-256 in its :class:`FileMeta` (what validation reports for audit;
    off by default: hashing costs about a fifth of a read).
    """
    prof = get_profile(profile)
    lim = _limits(limits)
    p = _path(path)
    st = _stat(p)
    if stat.S_ISDIR(st.st_mode):
        return _collect(dir_members(p, lim), prof, str(p), lim, digests)
    if not stat.S_ISREG(st.st_mode):
        kind = file_kind(st.st_mode)
        raise NotRegularFileError(f"{_shown(p)} is {kind}, not a regular file; only regular files are read", kind)
    if file_id_of(p.name):
        return read_file(p, profile=prof, limits=lim, digests=digests)
    stream, _ = open_regular(p)
    with stream:
        if zipfile.is_zipfile(stream):
            return _collect(zip_members(stream, p, lim), prof, str(p), lim, digests)
    if p.suffix.lower() == ".zip":
        raise UnreadableInputError(f"{p} is not a readable zip archive")
    raise UnreadableInputError(f"{p} is neither a NAT file name (NAT00120.txt …), a directory nor a zip archive")


def read_file(
    path: PathLike,
    file_id: str | None = None,
    profile: str | Profile = "national",
    *,
    limits: Limits | None = None,
    digests: bool = False,
) -> Collection:
    """Read one NAT file; ``file_id`` defaults to the one its name stands for. Over a limit: ``LimitError``.
    ``digests``: see :func:`read_collection`."""
    prof = get_profile(profile)
    lim = _limits(limits)
    p = _path(path)
    if file_id is not None and not isinstance(file_id, str):
        raise UsageTypeError(f"file_id must be a string such as 'NAT00120', not {type(file_id).__name__}")
    fid = file_id.upper() if file_id else file_id_of(p.name)
    if fid is None:
        raise UsageError(f"cannot tell which NAT file {p.name} is; pass file_id (one of {', '.join(FILE_IDS)})")
    if fid not in _IDS:
        raise UsageError(f"unknown NAT file {file_id!r}; expected one of {', '.join(FILE_IDS)}")
    _stat(p)
    stream, size = open_regular(p)
    too_large = size_refusal(Member(p.name, size=size), lim, 0)
    if too_large is not None:
        stream.close()
        raise LimitError(too_large)
    parsed = _parse_member(lambda: bounded(stream, lim.max_file_bytes, p.name), fid, prof, p.name, str(p), lim, digests)
    return Collection(
        frames={fid: parsed.frame},
        issues=parsed.issues,
        profile=prof,
        meta={fid: parsed.meta},
        unparsed={fid: parsed.unparsed},
        source=str(p),
    )


def read_records(path: PathLike, file_id: str | None = None, profile: str | Profile = "national") -> list[NatRecord]:
    """Read one NAT file as record objects (state-tail text in ``extra``, unparseable cells in ``unparsed``)."""
    from avetmiss_finalise.nat.frames import records_from_frame

    coll = read_file(path, file_id, profile)
    (fid,) = coll.frames
    return records_from_frame(coll.frames[fid], fid, profile=coll.profile, unparsed=coll.unparsed_for(fid))
