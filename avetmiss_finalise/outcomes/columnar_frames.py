"""The input of the columnar path: ``units`` and ``enrolments`` frames, built from model objects or read from them.

:func:`~avetmiss_finalise.outcomes.columnar.finalise_frame` reads one row per unit in ``units`` (key column
``enrolment``) and one row per enrolment in ``enrolments`` (index = that key, the event in ``event_*`` columns).
:func:`frames_from_pairs` builds them from ``(ProgramEnrolment, Event)`` pairs — an input adapter with a Python
loop, for tests and small inputs — typed as a bulk caller's frames must be, so both reach the same code. The column
readers below turn those frames into the numpy arrays the masks work on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.model import Completion, Deferral, Event, ProgramEnrolment, Transition, UnitEnrolment, Withdrawal
from avetmiss_finalise.outcomes.withdrawal import event_hours

__all__ = [
    "ENROLMENT_COLUMNS",
    "EVENT_COLUMNS",
    "NAT",
    "STR",
    "UNENROLLED_HOURS",
    "UNENROLLED_SEP",
    "dates",
    "day",
    "frames_from_pairs",
    "objects",
]

#: Enrolment-level columns of the ``enrolments`` frame (besides the event's).
ENROLMENT_COLUMNS = ("training_organisation_id", "client_id", "program_id", "commitment_id", "status")
#: The event's columns of the ``enrolments`` frame (those an event type does not use are missing).
EVENT_COLUMNS = (
    "event_type",
    "event_date",
    "event_status",
    "event_resume_date",
    "event_credential_issued",
    "event_parchment_issue_date",
    "event_parchment_number",
)
#: Text and codes: Arrow-backed strings, so the bulk path makes no per-row Python objects.
STR = pd.StringDtype("pyarrow")
#: A missing date in the ``datetime64[s]`` arrays the masks compare.
NAT = np.datetime64("NaT", "s")
_UNIT_FIELDS = tuple(a.name for a in attrs.fields(UnitEnrolment))
_DATES = ("start_date", "end_date")
_NUMBERS = ("hours_attended", "scheduled_hours", "client_tuition_fee")


#: Optional enrolments column: the subjects a withdrawal gives hours for that are not units of the enrolment,
#: joined by :data:`UNENROLLED_SEP` (sorted; missing for none). ``finalise`` warns about each (F-WITHDRAW, "hours
#: given for X, which is not a unit of this enrolment; ignored"); the unit frame has no row to hold them, so
#: ``frames_from_pairs`` puts them here and ``finalise_frame`` gives the same warnings. A frame without the column
#: gives none.
UNENROLLED_HOURS = "event_unenrolled_hours"
UNENROLLED_SEP = "\x1f"


def _event_row(event: Event) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(EVENT_COLUMNS)
    row["event_date"] = event.date
    match event:
        case Completion():
            row.update(
                event_type="completion",
                event_credential_issued=event.credential_issued,
                event_parchment_issue_date=event.parchment_issue_date,
                event_parchment_number=event.parchment_number,
            )
        case Withdrawal():
            row.update(event_type="withdrawal", event_status=event.status.value)
        case Deferral():
            row.update(event_type="deferral", event_resume_date=event.resume_date)
        case Transition():
            raise UsageError("transitions are planned by avetmiss_finalise.transition.plan_transition")
    return row


def frames_from_pairs(pairs: Iterable[tuple[ProgramEnrolment, Event]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units, enrolments) frames from model objects — an input adapter (a Python loop), not the bulk path."""
    unit_rows: list[dict[str, object]] = []
    enrolment_rows: list[dict[str, object]] = []
    for key, (e, event) in enumerate(pairs):
        hours = event_hours(e.units, event) if isinstance(event, Withdrawal) else (None,) * len(e.units)
        other = (
            sorted(set(event.hours_attended) - {u.subject_id for u in e.units}) if isinstance(event, Withdrawal) else []
        )
        enrolment_rows.append(
            {c: getattr(e, c) for c in ENROLMENT_COLUMNS}
            | _event_row(event)
            | {UNENROLLED_HOURS: UNENROLLED_SEP.join(other) or None}
        )
        for u, given in zip(e.units, hours, strict=True):
            unit_rows.append({"enrolment": key, **attrs.asdict(u), "event_hours": given})
    units = pd.DataFrame(unit_rows, columns=["enrolment", *_UNIT_FIELDS, "event_hours"])
    enrolments = pd.DataFrame(enrolment_rows, columns=[*ENROLMENT_COLUMNS, *EVENT_COLUMNS, UNENROLLED_HOURS])
    return _typed_units(units), _typed_enrolments(enrolments)


def _typed_units(units: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, Any] = {"enrolment": units["enrolment"].astype("int64")}
    for name in (*_UNIT_FIELDS, "event_hours"):
        col = units[name]
        if name in _DATES:
            out[name] = pd.to_datetime(col).astype("datetime64[s]")
        elif name in (*_NUMBERS, "event_hours"):
            out[name] = col.astype("Int64")
        elif name == "reported":
            out[name] = col.astype(bool)
        else:
            out[name] = col.astype(STR)
    return pd.DataFrame(out)


def _typed_enrolments(enrolments: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, Any] = {}
    for name in enrolments.columns:
        col = enrolments[name]
        if name.endswith("_date"):
            out[name] = pd.to_datetime(col).astype("datetime64[s]")
        elif name == "status":
            out[name] = col.map(lambda s: getattr(s, "value", s)).astype(STR)
        elif name == "event_credential_issued":
            # to_numpy, not fillna(False): pandas 2 warns about downcasting an object column in fillna.
            out[name] = col.to_numpy(dtype=bool, na_value=False)
        else:
            out[name] = col.astype(STR)
    return pd.DataFrame(out, index=pd.RangeIndex(len(enrolments)))


def objects(series: pd.Series) -> npt.NDArray[np.object_]:
    """Python values with ``None`` for missing (pandas-stubs cannot type ``na_value=None``)."""
    return cast(Any, series).to_numpy(dtype=object, na_value=None)  # type: ignore[no-any-return]


def day(value: Any) -> datetime.date:
    """The ``datetime.date`` of a numpy datetime64 (for wording a finding)."""
    date: datetime.date = np.datetime64(value, "D").item()
    return date


def dates(series: pd.Series) -> np.ndarray:
    """A date column as ``datetime64[s]`` with ``NaT`` for missing."""
    return series.to_numpy(dtype="datetime64[s]", na_value=NAT)
