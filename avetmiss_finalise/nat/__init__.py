"""The NAT file layer: layouts, codec, reading and writing. The only package that knows character positions.

Two views of a collection: columnar (:func:`read_collection` → :class:`Collection` of pandas frames) and records
(:func:`read_records` → frozen attrs classes). Reading never raises on bad data (Issues instead); writing never
truncates silently (``WriteError``) and reproduces what was read byte for byte.
"""

from avetmiss_finalise.nat.collection import Collection, FileMeta
from avetmiss_finalise.nat.dicts import converter
from avetmiss_finalise.nat.frames import frame_from_records, record_line, records_from_frame, write_records
from avetmiss_finalise.nat.layouts import FILE_IDS, Field, Layout, LayoutSource, base_layout, compose
from avetmiss_finalise.nat.parse import RULES
from avetmiss_finalise.nat.read import file_id_of, read_collection, read_file, read_records
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
from avetmiss_finalise.nat.write import encode_frame, write_collection, write_frame

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
    "converter",
    "encode_frame",
    "file_id_of",
    "frame_from_records",
    "read_collection",
    "read_file",
    "read_records",
    "record_line",
    "records_from_frame",
    "write_collection",
    "write_frame",
    "write_records",
]
