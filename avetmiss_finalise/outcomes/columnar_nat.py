"""The NAT00120 and NAT00130 frames of the columnar path, in the NAT layer's columnar contract.

They must be what the NAT writer writes and the reader reads back — equal to ``frame_from_records`` of the rows
``finalise`` makes (tests/outcomes/test_columnar.py) — so they are built field by field from the profile's layout:
each column in its contract dtype, the fields ``finalise``'s rows derive (delivery modes, commencing program, the
TO outcome) derived the same way, and the profile's zero-filled fields padded as the writer pads them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from avetmiss_finalise.nat.layouts import Layout
from avetmiss_finalise.outcomes.codes import RECOGNITION
from avetmiss_finalise.outcomes.columnar_frames import NAT, STR, dates
from avetmiss_finalise.profiles import Profile

__all__ = ["ROW_SOURCE", "nat00120", "nat00130"]

#: NAT00120 field → unit column (enrolment-level fields are added separately).
ROW_SOURCE = {
    "delivery_location_id": "delivery_location_id",
    "subject_id": "subject_id",
    "activity_start_date": "start_date",
    "activity_end_date": "end_date",
    "delivery_mode_id": "delivery_mode",
    "outcome_national": "outcome",
    "funding_source_national": "funding_source_national",
    "commencing_program_id": "commencing_program_id",
    "training_contract_id": "training_contract_id",
    "client_id_apprenticeships": "client_id_apprenticeships",
    "study_reason_id": "study_reason_id",
    "vet_in_schools_flag": "vet_in_schools_flag",
    "specific_funding_id": "specific_funding_id",
    "school_type_id": "school_type_id",
    "funding_source_state": "funding_source_state",
    "client_tuition_fee": "client_tuition_fee",
    "fee_exemption_concession_type_id": "fee_exemption_concession_type_id",
    "purchasing_contract_schedule_id": "purchasing_contract_schedule_id",
    "hours_attended": "hours_attended",
    "associated_course_id": "associated_course_id",
    "scheduled_hours": "scheduled_hours",
    "predominant_delivery_mode": "predominant_delivery_mode",
}


def _column(values: Any, role: str, n: int) -> Any:
    """One output column with the dtype the NAT layer's columnar contract gives ``role``."""
    if values is None:
        values = _nulls(role, n)
    if role == "number" and getattr(values, "dtype", None) == "Int64":
        return values
    if role in ("text", "code", "blank") and getattr(values, "dtype", None) == STR:
        return values
    if role == "number":
        return pd.array(values, dtype="Int64")
    if role == "date":
        return np.asarray(values, dtype="datetime64[s]")
    return pd.array(values, dtype=STR)


def _nulls(role: str, n: int) -> Any:
    if role == "date":
        return np.full(n, NAT)
    if role == "number":
        return pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))
    return pd.array([None], dtype=STR).take(np.full(n, -1), allow_fill=True)


def _frame(columns: dict[str, Any], file_id: str, prof: Profile, n: int) -> pd.DataFrame:
    """The frame of ``file_id`` as the NAT writer writes it and the reader reads it back, so it equals
    ``frame_from_records`` of finalise's rows: the profile's zero-filled A fields (the VIC TOID, layouts.md §5)
    right-justified with zeros to their width, as the writer pads them."""
    lay: Layout = prof.layout(file_id)
    data = {f.name: _column(columns.get(f.name), f.role, n) for f in lay.fields}
    for f in lay.fields:
        if f.kind == "A" and f.role != "date":
            data[f.name] = _rstripped(data[f.name])
        if f.name in lay.zero_filled:
            data[f.name] = pd.Series(data[f.name]).str.pad(f.length, side="left", fillchar="0").array
    data["extra"] = _nulls("text", n)
    return pd.DataFrame(data, index=pd.RangeIndex(n))


def _rstripped(values: Any) -> Any:
    """An A field's text as the file holds it once read back: the writer pads with spaces and the reader strips
    them, so ``"9001 "`` is ``"9001"`` and a value of spaces only — or an empty one — is missing (nat/codec.py)."""
    text = pd.Series(values)
    spaced = text.str.endswith(" ").fillna(False).to_numpy(dtype=bool)
    spaced |= text.eq("").fillna(False).to_numpy(dtype=bool)
    if not spaced.any():
        return values
    stripped = text.str.rstrip(" ")
    return stripped.mask(stripped == "").array


def _strings(values: Any) -> Any:
    return values if isinstance(values.dtype, pd.StringDtype) else pd.array(values, dtype=STR)


def nat00120(rows: pd.DataFrame, enrolments: pd.DataFrame, pos: np.ndarray, to: Any, prof: Profile) -> pd.DataFrame:
    """NAT00120 of the written units ``rows`` (unit columns after finalisation); ``pos``: each row's enrolment
    position in ``enrolments``; ``to``: the TO outcome of each enrolment."""
    n = len(rows)
    cols: dict[str, Any] = {f: rows[src].array for f, src in ROW_SOURCE.items()}
    # outcomes.rows.delivery_modes: modes left out are NNN/N for recognition (51, 52, 60), else YNN/I.
    recognised = rows["outcome"].isin(RECOGNITION).to_numpy(dtype=bool)
    for f, src, nothing, default in (
        ("delivery_mode_id", "delivery_mode", "NNN", "YNN"),
        ("predominant_delivery_mode", "predominant_delivery_mode", "N", "I"),
    ):
        given = pd.Series(_strings(rows[src].array))
        cols[f] = given.fillna(pd.Series(np.where(recognised, nothing, default), dtype=STR)).array
    for f, src in (
        ("training_organisation_id", "training_organisation_id"),
        ("client_id", "client_id"),
        ("program_id", "program_id"),
        ("purchasing_contract_id", "commitment_id"),
    ):
        cols[f] = _strings(enrolments[src].array).take(pos)
    program = pd.Series(cols["program_id"])
    commencing = pd.Series(_strings(rows["commencing_program_id"].array))
    cols["commencing_program_id"] = commencing.where(program.notna(), "8").array
    cols["outcome_training_organisation"] = to.take(pos)
    for f in ("activity_start_date", "activity_end_date"):
        cols[f] = rows[ROW_SOURCE[f]].to_numpy(dtype="datetime64[s]")
    for f in ("client_tuition_fee", "hours_attended", "scheduled_hours"):
        cols[f] = rows[f].array
    return _frame(cols, "NAT00120", prof, n)


def nat00130(done: pd.DataFrame, prof: Profile) -> pd.DataFrame:
    """NAT00130 of the completed enrolments ``done`` (rows of the ``enrolments`` frame)."""
    issued = done["event_credential_issued"].to_numpy(dtype=bool)
    cols: dict[str, Any] = {
        "training_organisation_id": done["training_organisation_id"].array,
        "program_id": done["program_id"].array,
        "client_id": done["client_id"].array,
        "date_program_completed": dates(done["event_date"]),
        "issued_flag": np.where(issued, "Y", "N").astype(object),
        "parchment_issue_date": dates(done["event_parchment_issue_date"]),
        "parchment_number": done["event_parchment_number"].array,
    }
    return _frame(cols, "NAT00130", prof, len(done))
