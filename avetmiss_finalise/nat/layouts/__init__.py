"""AVETMISS 8.0 NAT layouts, loaded once from ``fields.csv`` (the single source of truth).

Everything that knows a character position — reader, writer, dtypes, record classes, validation, docs —
derives from the :class:`Layout` objects built here.

This is the bottom layer: it knows layouts, not jurisdictions. A profile (:mod:`avetmiss_finalise.profiles`)
says which state tail and width cut apply and asks :func:`compose` for the result; code that reads or writes
records is handed that :class:`Layout` (or anything with a ``layout(file_id)`` method, :class:`LayoutSource`),
so nothing here reaches up to the profiles.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import Literal, Protocol

import attrs

__all__ = [
    "FILE_IDS",
    "Field",
    "Kind",
    "Layout",
    "LayoutSource",
    "Role",
    "base_layout",
    "compose",
    "tail_fields",
]

Kind = Literal["A", "N", "D"]
Role = Literal["text", "code", "number", "date", "blank"]

#: Every AVETMISS 8.0 file, in submission order.
FILE_IDS: tuple[str, ...] = (
    "NAT00010",
    "NAT00010A",
    "NAT00020",
    "NAT00030",
    "NAT00030A",
    "NAT00060",
    "NAT00080",
    "NAT00085",
    "NAT00090",
    "NAT00100",
    "NAT00120",
    "NAT00130",
)

SOURCE = (
    "NCVER AVETMISS VET Provider Collection specifications release 8.0, as assembled in the project's "
    "specification notes (layouts.md; its sources are listed in docs/rules.md; positions cross-checked against "
    "five implementations; the 8.0 specification itself unverified)"
)


@attrs.frozen
class Field:
    """One fixed-width field. ``start`` is 1-based; ``stop`` is the 0-based exclusive end."""

    name: str
    label: str
    start: int
    length: int
    kind: Kind
    role: Role
    required: str
    personal: bool
    national: bool
    version: str
    notes: str

    @property
    def offset(self) -> int:
        """0-based start."""
        return self.start - 1

    @property
    def stop(self) -> int:
        return self.start - 1 + self.length

    @property
    def columns(self) -> tuple[int, int]:
        """1-based inclusive span, as printed in Issues."""
        return (self.start, self.start + self.length - 1)


@attrs.frozen
class Layout:
    """A file's record: contiguous fields from position 1 to ``width``.

    ``national_length`` is the "record length for national data collection"; readers accept any record at
    least that long. ``width`` is the full record for the chosen profile (common state tail and any state
    fields included); writers emit ``width`` characters unless told to write the national length.
    """

    file_id: str
    fields: tuple[Field, ...]
    national_length: int
    versions: tuple[str, ...]
    source: str = SOURCE
    #: Names of A fields written right-justified, zero-filled under the profile that composed this layout (VIC TOID).
    zero_filled: frozenset[str] = frozenset()

    @property
    def width(self) -> int:
        return self.fields[-1].stop if self.fields else 0

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.file_id} has no field {name!r}; fields: {', '.join(self.names)}")

    def field_at(self, position: int) -> Field | None:
        """The field covering 1-based ``position``, or ``None`` past the layout."""
        for f in self.fields:
            if f.start <= position < f.start + f.length:
                return f
        return None

    def truncated(self, width: int) -> Layout:
        """The same layout cut after the field that ends at ``width`` (e.g. NSW NAT00080 at 327)."""
        kept = tuple(f for f in self.fields if f.stop <= width)
        if not kept or kept[-1].stop != width:
            raise ValueError(f"{self.file_id}: no field boundary at {width}")
        return attrs.evolve(self, fields=kept)

    def extended(self, tail: tuple[Field, ...], version: str) -> Layout:
        if tail and tail[0].start != self.width + 1:
            raise ValueError(f"{self.file_id} {version}: tail starts at {tail[0].start}, record ends {self.width}")
        return attrs.evolve(self, fields=self.fields + tail, versions=(*self.versions, version))


_NATIONAL_LENGTH = {
    "NAT00010": 268,
    "NAT00010A": 268,
    "NAT00020": 180,
    "NAT00030": 114,
    "NAT00030A": 130,
    "NAT00060": 123,
    "NAT00080": 327,
    "NAT00085": 557,
    "NAT00090": 12,
    "NAT00100": 13,
    "NAT00120": 111,
    "NAT00130": 39,
}


@functools.cache
def _rows() -> tuple[dict[str, str], ...]:
    text = resources.files(__package__).joinpath("fields.csv").read_text(encoding="utf-8")
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple(csv.DictReader(io.StringIO(body)))


def _fields(file_id: str, version: str) -> tuple[Field, ...]:
    out = []
    for r in _rows():
        if r["file"] == file_id and r["version"] == version:
            out.append(
                Field(
                    name=r["name"],
                    label=r["label"],
                    start=int(r["start"]),
                    length=int(r["length"]),
                    kind=r["kind"],  # type: ignore[arg-type]  # checked by tests/test_layouts.py
                    role=r["role"],  # type: ignore[arg-type]
                    required=r["required"],
                    personal=r["personal"] == "Y",
                    national=r["national"] == "Y",
                    version=version,
                    notes=r["notes"],
                )
            )
    return tuple(sorted(out, key=lambda f: f.start))


@functools.cache
def base_layout(file_id: str) -> Layout:
    """The 8.0 national + common layout of ``file_id``."""
    if file_id not in FILE_IDS:
        raise KeyError(f"unknown NAT file {file_id!r}; expected one of {', '.join(FILE_IDS)}")
    return Layout(file_id, _fields(file_id, "8.0"), _NATIONAL_LENGTH[file_id], ("8.0",))


@functools.cache
def tail_fields(file_id: str, version: str) -> tuple[Field, ...]:
    """State-only fields (``version`` like ``"8.0+VIC"``) placed after the common record."""
    return _fields(file_id, version)


@functools.lru_cache(maxsize=512)
def compose(
    file_id: str, tail: str | None = None, width: int | None = None, zero_filled: frozenset[str] = frozenset()
) -> Layout:
    """The common layout of ``file_id`` cut at ``width`` (a field boundary), then extended by the state tail
    ``tail`` (a ``fields.csv`` version such as ``"8.0+VIC"``), with ``zero_filled`` A fields."""
    lay = base_layout(file_id)
    if width is not None:
        lay = lay.truncated(width)
    if tail is not None:
        lay = lay.extended(tail_fields(file_id, tail), tail)
    if zero_filled:
        unknown = zero_filled - set(lay.names)
        if unknown:
            raise ValueError(f"{file_id}: no field(s) {', '.join(sorted(unknown))} to zero-fill")
        lay = attrs.evolve(lay, zero_filled=zero_filled)
    return lay


class LayoutSource(Protocol):
    """What record readers and writers need from a jurisdiction: a name and a layout per file.

    :class:`avetmiss_finalise.profiles.Profile` is one; readers take this protocol, so the NAT layer never
    imports the profiles.
    """

    @property
    def name(self) -> str: ...

    def layout(self, file_id: str) -> Layout: ...
