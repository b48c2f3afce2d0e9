"""Reading a reference file at the edge: bytes, SHA-256, modification date, text; and the located load error.

Everything that touches the file system for reference data is here and in :mod:`.load`; the tables built from
the text are plain immutable values that rules read without I/O.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from avetmiss_finalise.errors import AvetmissError

__all__ = [
    "MAX_PROBLEMS",
    "MAX_REFERENCE_BYTES",
    "ReferenceError",
    "ReferenceFile",
    "ReferenceProblem",
    "decode",
    "display_name",
    "read_reference_bytes",
]

#: A reference file larger than this is refused (the largest published list, training.gov.au's units, is a few
#: tens of MB as CSV).
MAX_REFERENCE_BYTES = 512 * 1024 * 1024
#: Problems listed per load error; the rest are counted.
MAX_PROBLEMS = 50


@attrs.frozen(kw_only=True)
class ReferenceFile:
    """Provenance of one loaded reference file: what every report prints.

    ``kind`` is the source (``postcodes``, ``rtos``, ``programs``, ``units``, ``specific_funding``); ``name`` the
    file name as given; ``modified`` the file's modification time (UTC, ISO 8601) or, for data shipped with the
    library, the date in its provenance header; ``sha256`` the hex digest of its bytes; ``rows`` the data rows
    read; ``form`` which expected format matched (e.g. ``"simple CSV"``); ``shipped`` marks a list shipped with
    the library rather than supplied by the user.
    """

    kind: str
    name: str
    modified: str
    sha256: str
    rows: int
    form: str = ""
    shipped: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "modified": self.modified,
            "sha256": self.sha256,
            "rows": self.rows,
            "form": self.form,
            "shipped": self.shipped,
        }


@attrs.frozen
class ReferenceProblem:
    """One thing wrong with a reference file, located: ``line`` 1-based, ``column`` the header name (or None)."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column is not None:
            where += f": column {self.column!r}"
        return f"{where}: {self.message}"


class ReferenceError(AvetmissError, ValueError):
    """A reference file cannot be used: every problem found is in ``problems``, located (file, line, column)."""

    def __init__(self, problems: Sequence[ReferenceProblem], more: int = 0) -> None:
        self.problems = tuple(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"… and {more} more problem(s)")
        super().__init__("\n".join(lines) if lines else "unusable reference data")


def read_reference_bytes(path: Path, *, limit: int = MAX_REFERENCE_BYTES) -> tuple[bytes, str, str]:
    """The bytes of ``path``, their SHA-256 and the modification time; a located error instead of an OSError."""
    name = str(path)
    try:
        st = path.stat()
        if not path.is_file():
            raise ReferenceError([ReferenceProblem(name, "not a regular file")])
        if st.st_size > limit:
            raise ReferenceError(
                [
                    ReferenceProblem(
                        name, f"{st.st_size:,} bytes is more than the {limit:,}-byte limit for a reference file"
                    )
                ]
            )
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ReferenceError([ReferenceProblem(name, f"cannot read: {exc.strerror or exc}")]) from None
    if len(data) > limit:
        raise ReferenceError([ReferenceProblem(name, f"more than the {limit:,}-byte limit for a reference file")])
    modified = datetime.datetime.fromtimestamp(st.st_mtime, datetime.UTC).isoformat(timespec="seconds")
    return data, hashlib.sha256(data).hexdigest(), modified


def decode(data: bytes, name: str) -> str:
    """Text of a CSV as spreadsheets save it: UTF-16 with a BOM, else UTF-8 (BOM optional), else Windows-1252.

    A byte that none of these can decode is a located error (its line), never a traceback.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, name, "UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _undecodable(data, exc, name, "UTF-8 or Windows-1252") from None


def _undecodable(data: bytes, exc: UnicodeDecodeError, name: str, tried: str) -> ReferenceError:
    line = data.count(b"\n", 0, exc.start) + 1
    return ReferenceError(
        [ReferenceProblem(name, f"byte 0x{data[exc.start]:02x} is not text in {tried}: save the file as UTF-8", line)]
    )


def display_name(path: Path | str) -> str:
    """The file name shown in reports (the base name: directories can hold user names)."""
    return os.path.basename(os.fspath(path))
