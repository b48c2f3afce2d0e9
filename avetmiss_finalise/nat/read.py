"""Read a NAT file, a directory of them or a zip: names matched case-insensitively, unknown files reported.

Only unreadable input raises (:class:`~avetmiss_finalise.errors.UnreadableInputError`); everything wrong with
the data is an Issue on the returned :class:`Collection` (see :mod:`avetmiss_finalise.nat.parse`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import attrs

from avetmiss_finalise.errors import UnreadableInputError, UsageError
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.nat.collection import Collection
from avetmiss_finalise.nat.inputs import missing_path
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.nat.parse import RULES, Parsed, line_chunks, parse_chunks
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


Opener = Callable[[], IO[bytes]]


def _file_opener(path: PathLike) -> Opener:
    def opener() -> IO[bytes]:
        return open(path, "rb")

    return opener


def _dir_members(path: Path) -> Iterator[tuple[str, Opener | None]]:
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        raise UnreadableInputError(f"cannot list directory {path}: {exc.strerror or exc}") from exc
    for entry in entries:
        if entry.is_file():
            yield entry.name, _file_opener(entry.path)


def _zip_members(path: Path) -> Iterator[tuple[str, Opener | None]]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
            for info in infos:
                yield info.filename, functools.partial(zf.open, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError) as exc:
        raise UnreadableInputError(f"{path} is not a readable zip archive: {exc}") from exc
    except OSError as exc:
        raise UnreadableInputError(f"cannot read {path}: {exc.strerror or exc}") from exc


_UNREADABLE = (OSError, zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError)


def _parse_member(opener: Opener, fid: str, profile: Profile, name: str, source: str, digests: bool = False) -> Parsed:
    try:
        with opener() as stream:
            if not digests:
                return parse_chunks(line_chunks(stream), fid, profile, name)
            measure = _Measure()
            parsed = parse_chunks(measure.chunks(line_chunks(stream)), fid, profile, name)
    except _UNREADABLE as exc:
        raise UnreadableInputError(f"cannot read {name} in {source}: {exc}") from exc
    return attrs.evolve(parsed, meta=attrs.evolve(parsed.meta, size=measure.size, sha256=measure.hash.hexdigest()))


class _Measure:
    """Size and SHA-256 of the bytes as they are parsed (the audit of exactly what was read, in one pass)."""

    def __init__(self) -> None:
        self.size = 0
        self.hash = hashlib.sha256()

    def chunks(self, chunks: Iterator[bytearray]) -> Iterator[bytearray]:
        for chunk in chunks:
            self.size += len(chunk)
            self.hash.update(chunk)
            yield chunk


def _collect(
    members: Iterator[tuple[str, Opener | None]], profile: Profile, source: str, digests: bool = False
) -> Collection:
    frames, meta, unparsed = {}, {}, {}
    issues: list[Issue] = []
    for path_name, opener in members:
        name = _basename(path_name)
        fid = file_id_of(name)
        if fid is None or opener is None:
            issues.append(_info("NAT-UNKNOWN-FILE", _unknown_message(path_name, name), path_name))
            continue
        if fid in frames:
            issues.append(_info("NAT-DUPLICATE-FILE", f"{path_name} is a second {fid}; ignored", path_name))
            continue
        parsed = _parse_member(opener, fid, profile, name, source, digests)
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


def read_collection(path: PathLike, profile: str | Profile = "national", *, digests: bool = False) -> Collection:
    """Read a NAT file, a directory of NAT files or a zip of them with ``profile``'s layouts.

    A directory or zip without NAT files gives an empty collection. Raises ``UnreadableInputError`` only when
    the input itself cannot be read (missing, not a zip, permission denied). ``digests`` records each file's size
    and SHA-256 in its :class:`FileMeta` (what validation reports for audit; off by default: it costs ~20% of a read).
    """
    prof = get_profile(profile)
    p = Path(path)
    if p.is_dir():
        return _collect(_dir_members(p), prof, str(p), digests)
    if not p.exists():
        raise missing_path(p)
    if file_id_of(p.name):
        return read_file(p, profile=prof, digests=digests)
    if zipfile.is_zipfile(p):
        return _collect(_zip_members(p), prof, str(p), digests)
    if p.suffix.lower() == ".zip":
        raise UnreadableInputError(f"{p} is not a readable zip archive")
    raise UnreadableInputError(f"{p} is neither a NAT file name (NAT00120.txt …), a directory nor a zip archive")


def read_file(
    path: PathLike, file_id: str | None = None, profile: str | Profile = "national", *, digests: bool = False
) -> Collection:
    """Read one NAT file; ``file_id`` defaults to the one its name stands for (``digests``: see read_collection)."""
    prof = get_profile(profile)
    p = Path(path)
    fid = file_id.upper() if file_id else file_id_of(p.name)
    if fid is None:
        raise UsageError(f"cannot tell which NAT file {p.name} is; pass file_id (one of {', '.join(FILE_IDS)})")
    if fid not in _IDS:
        raise UsageError(f"unknown NAT file {file_id!r}; expected one of {', '.join(FILE_IDS)}")
    parsed = _parse_member(_file_opener(p), fid, prof, p.name, str(p), digests)
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
