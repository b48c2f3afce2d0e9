"""Record-level reader checks: record lengths (F-01) and records shifted by template text in a date (F-02).

**Lengths** (layouts.md §2 "Reading", sms_habits.md). Records are read as if space-filled to the layout width
and written back at their original length, so nothing here changes data; the findings say what was padded:

* shorter than the national length (an editor or exporter trimmed trailing blanks: a 110-character NAT00010):
  ``NAT-SHORT`` warning — the rules that need a value the cut removed report it themselves; an *empty* line is
  not a record at all and stays an error;
* ending exactly at the national length, under a profile with no state tail for the file: nothing (the
  national record is what is submitted; onCourse's plain export writes exactly that);
* cut inside the state tail: ``NAT-PADDED`` info (an export at the common width read under QLD or TAS, whose
  state fields are all conditional); shorter than a state tail that has mandatory fields (a VIC NAT00120 or
  NAT00130 shorter than the VIC width): ``NAT-PADDED`` warning. Under a profile with a state tail a record ending
  at the national length is reported too (the state fields are missing).

**Shifted records.** An exporter that writes unsubstituted template text (``now_plus_7_days``) into an 8-character
date pushes every later field along: the record is longer than its layout and the date holds letters. The
date's ``NAT-DATE`` is reported once, saying so, and later findings on that line are dropped (:meth:`Sink.shifted`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.codec import U8
from avetmiss_finalise.nat.findings import LISTED, Sink
from avetmiss_finalise.nat.layouts import Field, Layout

__all__ = ["length_issues", "shifted_rows", "state_tail_start"]

_COMMON = "8.0"


def state_tail_start(lay: Layout) -> int | None:
    """1-based first position of the profile's own state tail (fields after the common record), if any."""
    for f in lay.fields:
        if f.version != _COMMON:
            return f.start
    return None


def _ends_inside(lay: Layout, got: int) -> str:
    field = lay.field_at(got + 1)
    return f" (ends inside {field.name})" if field else ""


def _short(sink: Sink, lengths: npt.NDArray[np.int64], lay: Layout, row0: int) -> None:
    nat = lay.national_length
    short = np.flatnonzero(lengths < nat)
    for r in short[:LISTED].tolist():
        got = int(lengths[r])
        field = lay.field_at(got + 1)
        if got == 0:
            message = f"an empty line is not a record; the national record length is {nat}"
        else:
            message = (
                f"record has {got} characters{_ends_inside(lay, got)}; the national record length is {nat}: "
                "read as if space-filled (trailing blanks trimmed?) and written back as it was"
            )
        sink.add(
            "NAT-SHORT",
            message,
            line=row0 + r + 1,
            columns=(got + 1, nat),
            field=field.name if field else None,
            kind=None,
            severity=Severity.ERROR if got == 0 else None,
        )
    sink.more("NAT-SHORT", None, int(short.size))


def length_issues(
    sink: Sink, lengths: npt.NDArray[np.int64], lay: Layout, row0: int, cut: npt.NDArray[np.bool_] | None = None
) -> None:
    """NAT-SHORT, NAT-PADDED and NAT-EXTRA for the records of one chunk (see the module docstring); records
    ``cut`` at the record-length limit are NAT-LONG-RECORD's, not NAT-EXTRA's."""
    nat, width = lay.national_length, lay.width
    _short(sink, lengths, lay, row0)
    own_tail = state_tail_start(lay) is not None
    # A state tail with mandatory fields (VIC) is a requirement of the profile: a record shorter than it is a
    # warning (sms_habits.md "VIC records shorter than the full VIC width: pad back, warn"). A tail of conditional
    # fields only (QLD, TAS, NSW legacy), or the common tail, cut short is information.
    warn = any(f.version != _COMMON and f.required == "Y" for f in lay.fields)
    padded = (lengths >= nat) & (lengths < width)
    if not own_tail:
        padded &= lengths != nat
    rows = np.flatnonzero(padded)
    what = "the profile's state tail (it has mandatory fields)" if warn else "the state tail"
    for r in rows[:LISTED].tolist():
        got = int(lengths[r])
        field = lay.field_at(got + 1)
        sink.add(
            "NAT-PADDED",
            f"record has {got} of {width} characters; {what} read as if space-filled from "
            f"{field.name if field else '-'}",
            line=row0 + r + 1,
            columns=(got + 1, width),
            field=field.name if field else None,
            kind=None,
            severity=Severity.WARNING if warn else None,
        )
    sink.more("NAT-PADDED", None, int(rows.size))
    longer = np.flatnonzero((lengths > width) if cut is None else (lengths > width) & ~cut)
    for r in longer[:LISTED].tolist():
        got = int(lengths[r])
        sink.add(
            "NAT-EXTRA",
            f"record has {got} characters, {got - width} past the layout's {width}; kept in extra",
            line=row0 + r + 1,
            columns=(width + 1, got),
            field="extra",
        )
    sink.more("NAT-EXTRA", "extra", int(longer.size))


def _letters(cells: U8) -> npt.NDArray[np.bool_]:
    """Rows holding a letter or an underscore: text, not a date gone wrong."""
    upper = cells & np.uint8(0xDF)
    letter = ((upper >= ord("A")) & (upper <= ord("Z"))) | (cells == ord("_"))
    out: npt.NDArray[np.bool_] = letter.any(axis=1)
    return out


def shifted_rows(cells: U8, field: Field, lengths: npt.NDArray[np.int64], width: int) -> npt.NDArray[np.bool_]:
    """Rows whose date ``field`` holds template text and whose record is longer than the layout (shifted)."""
    if field.role != "date" or not cells.shape[0]:
        return np.zeros(cells.shape[0], dtype=bool)
    out: npt.NDArray[np.bool_] = _letters(cells) & (lengths > width)
    return out
