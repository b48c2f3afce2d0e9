"""The NAT file layer: layouts, codec, reading and writing. The only package that knows character positions.

Two views of a collection: columnar (:func:`read_collection` → :class:`Collection` of pandas frames) and records
(:func:`read_records` → frozen attrs classes). Reading never raises on bad data (Issues instead); writing never
truncates silently (``WriteError``) and reproduces what was read byte for byte. :func:`conform` brings frames built
by a caller to the columnar contract (or says, with a ``UsageError``, which file and column it cannot).

Layouts and record classes need only attrs and are imported at once; everything that needs pandas/pyarrow is
imported on first use (avetmiss_finalise/_lazy.py), so the finalisation core can build records without them.
"""

from typing import TYPE_CHECKING

from avetmiss_finalise._lazy import attach
from avetmiss_finalise.nat.layouts import FILE_IDS, Field, Layout, LayoutSource, base_layout, compose
from avetmiss_finalise.nat.records import (
    NAT00010,
    NAT00010A,
    NAT00020,
    NAT00030,
    NAT00030A,
    NAT00060,
    NAT00080,
    NAT00085,
    NAT00090,
    NAT00100,
    NAT00120,
    NAT00130,
    RECORD_CLASSES,
    NatRecord,
)

if TYPE_CHECKING:
    from avetmiss_finalise.nat.collection import Collection, FileMeta
    from avetmiss_finalise.nat.conforming import conform
    from avetmiss_finalise.nat.dicts import converter
    from avetmiss_finalise.nat.frames import frame_from_records, record_line, records_from_frame, write_records
    from avetmiss_finalise.nat.parse import RULES
    from avetmiss_finalise.nat.read import file_id_of, read_collection, read_file, read_records
    from avetmiss_finalise.nat.write import encode_frame, write_collection, write_frame
    from avetmiss_finalise.profiles import layout

_LAZY = {
    "Collection": "avetmiss_finalise.nat.collection",
    "FileMeta": "avetmiss_finalise.nat.collection",
    "conform": "avetmiss_finalise.nat.conforming",
    "converter": "avetmiss_finalise.nat.dicts",
    "frame_from_records": "avetmiss_finalise.nat.frames",
    "record_line": "avetmiss_finalise.nat.frames",
    "records_from_frame": "avetmiss_finalise.nat.frames",
    "write_records": "avetmiss_finalise.nat.frames",
    "RULES": "avetmiss_finalise.nat.parse",
    "file_id_of": "avetmiss_finalise.nat.read",
    "read_collection": "avetmiss_finalise.nat.read",
    "read_file": "avetmiss_finalise.nat.read",
    "read_records": "avetmiss_finalise.nat.read",
    "encode_frame": "avetmiss_finalise.nat.write",
    "write_collection": "avetmiss_finalise.nat.write",
    "write_frame": "avetmiss_finalise.nat.write",
    # The layout of a file under a profile: the profiles compose it (nat.layouts never reaches up to them).
    "layout": "avetmiss_finalise.profiles",
}
__getattr__, __dir__ = attach(__name__, _LAZY)

__all__ = [
    "FILE_IDS",
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
    "RECORD_CLASSES",
    "RULES",
    "Collection",
    "Field",
    "FileMeta",
    "Layout",
    "LayoutSource",
    "NatRecord",
    "base_layout",
    "compose",
    "conform",
    "converter",
    "encode_frame",
    "file_id_of",
    "frame_from_records",
    "layout",
    "read_collection",
    "read_file",
    "read_records",
    "record_line",
    "records_from_frame",
    "write_collection",
    "write_frame",
    "write_records",
]
