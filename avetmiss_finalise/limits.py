"""Safety limits on what is read: every bound on size, depth and count, in one place, with documented defaults.

A tool that runs unattended on uploaded files must never exhaust memory or run for hours on a hostile input (a
zip bomb, a 2 GiB line, JSON nested 100,000 deep). Each limit is far above anything a real AVETMISS submission
needs (measured: NAT files compress 3-45x; the longest NAT record is a few hundred characters) and can be raised
by the caller (``limits=Limits(...)`` in the API, ``--max-…`` flags on the command line). Past a limit the input
is refused with a located Issue or a :class:`~avetmiss_finalise.errors.LimitError` — it is never attempted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from avetmiss_finalise.errors import UsageError, UsageTypeError

__all__ = ["DEFAULT_LIMITS", "Limits", "format_size", "parse_size"]

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30

#: The smallest record-length limit: above every layout's full width, so no valid record is ever cut.
MIN_RECORD_LENGTH = 1 * KiB


def _at_least(minimum: int) -> Callable[[object, attrs.Attribute[int], object], None]:
    def check(_: object, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageTypeError(f"Limits.{attribute.name} must be a whole number, not {type(value).__name__}")
        if value < minimum:
            raise UsageError(f"Limits.{attribute.name} must be at least {minimum:,}, got {value:,}")

    return check


_positive = _at_least(1)


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on the input, checked at the edges (readers, JSON parsing) before any work is attempted.

    Attributes:
        max_file_bytes: largest single file read (a NAT file, a zip member once decompressed, a CSV file, a
            JSON input). 1 GiB holds about 6.7 million NAT00120 records; reading takes about 2.5x that in memory.
        max_total_bytes: largest total of the NAT files read from one directory or zip.
        max_ratio: largest compression ratio of a zip member (decompressed / compressed size) over 1 MiB. Real
            NAT files compress 3-45x (deflate, measured); a zip bomb compresses about 1,000x.
        max_members: most entries in one zip (or directory) that are looked at.
        max_record_length: longest NAT record kept whole; a longer one is an Issue (NAT-LONG-RECORD), cut at
            this length without ever being held in memory whole. At least 1 KiB (the longest layout, a state
            NAT00080, is 557 characters).
        max_records: most records read from one file. Memory grows with records, not bytes (about 250 bytes
            per record once parsed), so a file of empty lines is bounded here rather than by its size.
        max_json_depth: deepest nesting of arrays and objects in a ``finalise`` input (the model needs 7).
        max_json_int_digits: most digits of an integer in a ``finalise`` input (no NAT field holds more than 9).
    """

    max_file_bytes: int = attrs.field(default=1 * GiB, validator=_positive)
    max_total_bytes: int = attrs.field(default=4 * GiB, validator=_positive)
    max_ratio: int = attrs.field(default=250, validator=_positive)
    max_members: int = attrs.field(default=100_000, validator=_positive)
    max_record_length: int = attrs.field(default=64 * KiB, validator=_at_least(MIN_RECORD_LENGTH))
    max_records: int = attrs.field(default=10_000_000, validator=_positive)
    max_json_depth: int = attrs.field(default=32, validator=_positive)
    max_json_int_digits: int = attrs.field(default=15, validator=_positive)


#: The limits in force when none are given.
DEFAULT_LIMITS = Limits()

#: Members smaller than this are never refused for their compression ratio (a tiny file of spaces is not a bomb).
RATIO_FLOOR = 1 * MiB

_UNITS = {"": 1, "b": 1, "k": KiB, "kb": 1000, "kib": KiB, "m": MiB, "mb": 1000**2, "mib": MiB}
_UNITS |= {"g": GiB, "gb": 1000**3, "gib": GiB, "t": 1 << 40, "tb": 1000**4, "tib": 1 << 40}
_SIZE = re.compile(r"\s*(\d+)\s*([a-zA-Z]*)\s*")


def parse_size(text: str) -> int:
    """``"64KiB"`` → 65536, ``"1GB"`` → 10**9, ``"500"`` → 500 (bytes); raises UsageError on anything else."""
    m = _SIZE.fullmatch(text)
    unit = m.group(2).lower() if m else ""
    if not m or unit not in _UNITS or len(m.group(1)) > 20:
        raise UsageError(f"bad size {text!r}: expected a whole number of bytes, optionally with KiB, MiB or GiB")
    value = int(m.group(1)) * _UNITS[unit]
    if value < 1:
        raise UsageError(f"bad size {text!r}: must be at least 1 byte")
    return value


def format_size(n: int) -> str:
    """``65536`` → ``"64 KiB"``; exact binary units where they fit, else bytes."""
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n:,} bytes"
