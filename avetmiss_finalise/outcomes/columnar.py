"""The bulk path: F-COMPLETE, F-WITHDRAW and F-DEFER over whole DataFrames, vectorised with numpy/pandas.

Same rules and the same NAT rows as :func:`~avetmiss_finalise.outcomes.finalise` (a test holds them equal),
for inputs of millions of units: one row per unit in ``units`` (key column ``enrolment``) and one row per
enrolment in ``enrolments`` (index = that key, with the event in ``event_*`` columns). Per-unit warnings are
left to the per-enrolment path; here every change stays visible in the ``*_before`` columns and ``rule_id``.
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
from avetmiss_finalise.nat.layouts import Layout
from avetmiss_finalise.outcomes.codes import (
    ACHIEVED,
    CONTINUING,
    FINAL,
    HOURS_FOR_WITHDRAWN,
    NO_OUTCOME,
    NOT_YET_STARTED,
    RECOGNITION,
    SUPERSEDED,
    WITHDRAWN,
)
from avetmiss_finalise.outcomes.collection_period import check_reporting_date, later_collection, starts_later
from avetmiss_finalise.outcomes.columnar_issues import IssueRows, UnitFacts, enrolment_warnings, iso, unit_warnings
from avetmiss_finalise.outcomes.columnar_period import name_unscoped, place_completions, place_rows
from avetmiss_finalise.period import Period, first_future_day, parse_period
from avetmiss_finalise.profiles import Profile, get_profile

__all__ = ["ENROLMENT_COLUMNS", "ColumnarResult", "finalise_frame", "frames_from_pairs"]

#: Enrolment-level columns of the ``enrolments`` frame (besides the event's).
ENROLMENT_COLUMNS = ("training_organisation_id", "client_id", "program_id", "commitment_id", "status")
_EVENT_COLUMNS = (
    "event_type",
    "event_date",
    "event_status",
    "event_resume_date",
    "event_credential_issued",
    "event_parchment_issue_date",
    "event_parchment_number",
)
_UNIT_FIELDS = tuple(a.name for a in attrs.fields(UnitEnrolment))
_DATES = ("start_date", "end_date")
_NUMBERS = ("hours_attended", "scheduled_hours", "client_tuition_fee")
#: NAT00120 field → unit column (enrolment-level fields are added separately).
_ROW_SOURCE = {
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
_STR = pd.StringDtype("pyarrow")
#: Outcome identifier – training organisation values, taken by code (-1 → missing).
_TO_VALUES = pd.array(["TNC", "D"], dtype=_STR)
_DAY = np.timedelta64(1, "D")
_NAT = np.datetime64("NaT", "s")
_RULE = {"completion": "F-COMPLETE", "withdrawal": "F-WITHDRAW", "deferral": "F-DEFER"}
_SUPERSEDED = SUPERSEDED


def _shown(outcome: str | None) -> str:
    return "no outcome" if outcome is None else f"outcome {outcome}"


@attrs.frozen(kw_only=True)
class ColumnarResult:
    """What :func:`finalise_frame` decided.

    ``units``: the input units after finalisation (refused enrolments unchanged) with ``rule_id``, ``reported``,
    ``refused`` and ``outcome_before``/``start_date_before``/``end_date_before``/``hours_attended_before``.
    ``enrolments``: per enrolment ``status``, ``training_organisation_outcome``, ``refused``.
    ``problems``: one row per refusal reason (``enrolment``, ``subject_id``, ``rule_id``, ``message``).
    ``issues``: every issue ``finalise`` would give — the refusal reasons as errors and every warning — one row
    each (``enrolment``, ``subject_id``, ``rule_id``, ``severity``, ``field``, ``value``, ``message``).
    ``nat00120``/``nat00130``: frames in the NAT layer's columnar contract, ready for ``write_frame``.
    """

    units: pd.DataFrame
    enrolments: pd.DataFrame
    problems: pd.DataFrame
    issues: pd.DataFrame
    nat00120: pd.DataFrame
    nat00130: pd.DataFrame


def _event_row(event: Event) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(_EVENT_COLUMNS)
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
        hours = event.hours_attended if isinstance(event, Withdrawal) else {}
        enrolment_rows.append({c: getattr(e, c) for c in ENROLMENT_COLUMNS} | _event_row(event))
        for u in e.units:
            unit_rows.append({"enrolment": key, **attrs.asdict(u), "event_hours": hours.get(u.subject_id)})
    units = pd.DataFrame(unit_rows, columns=["enrolment", *_UNIT_FIELDS, "event_hours"])
    enrolments = pd.DataFrame(enrolment_rows, columns=[*ENROLMENT_COLUMNS, *_EVENT_COLUMNS])
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
            out[name] = col.astype(_STR)
    return pd.DataFrame(out)


def _typed_enrolments(enrolments: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, Any] = {}
    for name in enrolments.columns:
        col = enrolments[name]
        if name.endswith("_date"):
            out[name] = pd.to_datetime(col).astype("datetime64[s]")
        elif name == "status":
            out[name] = col.map(lambda s: getattr(s, "value", s)).astype(_STR)
        elif name == "event_credential_issued":
            # to_numpy, not fillna(False): pandas 2 warns about downcasting an object column in fillna.
            out[name] = col.to_numpy(dtype=bool, na_value=False)
        else:
            out[name] = col.astype(_STR)
    return pd.DataFrame(out, index=pd.RangeIndex(len(enrolments)))


def _objects(series: pd.Series) -> npt.NDArray[np.object_]:
    """Python values with ``None`` for missing (pandas-stubs cannot type ``na_value=None``)."""
    return cast(Any, series).to_numpy(dtype=object, na_value=None)  # type: ignore[no-any-return]


def _day(value: Any) -> datetime.date:
    date: datetime.date = np.datetime64(value, "D").item()
    return date


def _dates(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="datetime64[s]", na_value=_NAT)


def finalise_frame(
    units: pd.DataFrame,
    enrolments: pd.DataFrame,
    profile: str | Profile = "national",
    *,
    reporting_date: datetime.date,
    period: Period | int | str | None = None,
    interim: bool = False,
    warnings: bool = True,
) -> ColumnarResult:
    """Finalise every enrolment of ``enrolments`` over its ``units`` — the columnar twin of ``finalise``.

    ``period``/``interim`` name the collection as for ``finalise``: unstarted units start in its future, rows that
    ended before it are left out (F-PRIOR-YEAR), rows of a later collection are refused, and a completion without
    activity in it writes no NAT00130 (:mod:`~avetmiss_finalise.outcomes.collection_period`).

    ``warnings=False`` leaves the warnings out of ``issues`` (the refusal reasons are always there): each issue's
    message is formatted in Python, about 7 µs apiece, so a bulk run that does not show them can skip them.
    """
    prof = get_profile(profile)
    per = parse_period(period)
    check_reporting_date(reporting_date, per)
    future = first_future_day(per, interim=interim, reporting_date=reporting_date)
    etypes = enrolments["event_type"].astype(object).to_numpy()
    if not np.isin(etypes, list(_RULE)).all():
        bad = sorted({str(t) for t in etypes if t not in _RULE})
        raise UsageError(f"finalise_frame handles completion, withdrawal and deferral events, not {', '.join(bad)}")
    key = units["enrolment"].to_numpy()
    pos = enrolments.index.get_indexer(pd.Index(key))
    if (pos < 0).any():
        raise UsageError(f"units refer to unknown enrolments: {sorted(set(key[pos < 0].tolist()))[:5]}")
    rd = np.datetime64(reporting_date, "s")
    etype = etypes[pos]
    is_c, is_w, is_d = (etype == "completion"), (etype == "withdrawal"), (etype == "deferral")
    rule = np.array([_RULE[t] for t in etypes], dtype=object)[pos] if len(etypes) else np.array([], dtype=object)
    edate = _dates(enrolments["event_date"])[pos]
    resume = _dates(enrolments["event_resume_date"])[pos]
    start, end = _dates(units["start_date"]), _dates(units["end_date"])
    outcome = units["outcome"]
    final = outcome.isin(FINAL).to_numpy(dtype=bool)
    hours = units["event_hours"].fillna(units["hours_attended"])
    h0 = hours.fillna(0).to_numpy(dtype="int64")

    # outcomes.commenced.has_commenced: hours, or a start before the date unless the outcome says 85.
    started = (h0 > 0) | ((start < edate) & ~outcome.isin({NOT_YET_STARTED}).to_numpy(dtype=bool))
    commenced = is_w & ~final & started
    # NSW (a commitment's earliest start cannot move): a commenced unit keeps its start on deferral, reported 70.
    kept = is_d & ~final & started & prof.requires_commitment_id
    unstarted = (is_w & ~final & ~commenced) | (is_d & ~final & ~kept)
    earliest = np.where(is_d & ~np.isnat(resume), resume, edate + _DAY)
    if future is not None:  # the collection's first future day (V-120-08), as steps.earliest_future_date
        earliest = np.maximum(earliest, np.datetime64(future, "s"))
    group_start = pd.Series(np.where(unstarted, start, _NAT)).groupby(key).transform("min").to_numpy("datetime64[s]")
    shift = np.where(unstarted & (group_start < earliest), earliest - group_start, np.timedelta64(0, "s"))
    clamp = is_c & (end > edate) & (start <= edate)

    new_start = np.where(commenced | kept, np.minimum(start, edate), np.where(unstarted, start + shift, start))
    new_end = np.where(commenced | clamp, edate, np.where(unstarted, np.maximum(end, start) + shift, end))
    new_end = np.where(kept, np.maximum(end, earliest), new_end)
    report_85 = prof.unstarted_units == "report_85"
    # Arrow-backed string operations throughout: no per-row Python objects on the bulk path.
    new_outcome = (
        outcome.mask(commenced, WITHDRAWN)
        .mask(unstarted, NOT_YET_STARTED if report_85 else NO_OUTCOME)
        .mask(kept, CONTINUING)
    )
    new_hours = units["hours_attended"].copy()
    new_hours[commenced] = hours[commenced]
    new_hours[unstarted] = 0
    reported = ~unstarted | report_85
    rule_id = np.where(commenced, "F-WITHDRAW-COMMENCED", np.where(is_w & unstarted, "F-WITHDRAW-NOT-COMMENCED", rule))

    sids = units["subject_id"].pipe(_objects)
    new_final = new_outcome.isin(FINAL).to_numpy(dtype=bool)
    out_codes, new_codes = _objects(outcome), _objects(new_outcome)
    dup = pd.DataFrame({"k": key, "s": sids, "d": start}).duplicated().to_numpy()  # re-attempts: other start
    e_type = etypes
    e_date = _dates(enrolments["event_date"])
    e_resume = _dates(enrolments["event_resume_date"])
    e_keys = enrolments.index.to_numpy()
    e_rule = np.array([_RULE[t] for t in e_type], dtype=object)
    # A deferral whose resumption is not after it is refused before any unit is planned: no steps, no warnings.
    e_bad_resume = (e_type == "deferral") & ~np.isnat(e_resume) & (e_resume <= e_date)
    planned = ~e_bad_resume[pos]
    found = IssueRows()
    drop = place_rows(
        found if warnings else None,
        key=key,
        sids=sids,
        outcome=new_codes,
        end=new_end,
        listed=planned & reported,
        reporting_date=reporting_date,
        period=per,
    )
    reported = reported & ~drop  # F-PRIOR-YEAR: a row of an earlier collection is left out of this one
    listed = planned & reported  # the units finalise() would write a row for
    # Refusal reasons, worded and located as finalise() words them (rule module by rule module).
    found.add(
        key,
        end < start,
        rule,
        lambda i: f"end date {iso(end[i])} is before start date {iso(start[i])}",
        subject_ids=sids,
    )
    found.add(
        key,
        dup,
        rule,
        lambda i: f"subject appears more than once in the enrolment with start date {iso(start[i])}",
        subject_ids=sids,
    )
    rd_text = reporting_date.isoformat()
    found.add(
        e_keys,
        (e_type == "completion") & (e_date > rd),
        e_rule,
        lambda i: f"completion date {iso(e_date[i])} is after the reporting date {rd_text}",
    )
    found.add(
        e_keys,
        (e_type == "completion") & ~np.isin(e_keys, key),
        e_rule,
        lambda i: "no unit enrolments: nothing shows the program was completed",
    )
    accepted = outcome.isin(ACHIEVED | {_SUPERSEDED}).to_numpy(dtype=bool)
    found.add(
        key,
        is_c & ~accepted,
        rule,
        lambda i: f"{_shown(out_codes[i])} is not a final achieved outcome (20, 51, 53, 60, 81)",
        subject_ids=sids,
    )
    found.add(
        key,
        is_c & (start > edate),
        rule,
        lambda i: f"starts {iso(start[i])}, after the completion date {iso(edate[i])}",
        subject_ids=sids,
    )
    found.add(
        e_keys,
        e_bad_resume,
        e_rule,
        lambda i: f"resumption date {iso(e_resume[i])} is not after the deferral date {iso(e_date[i])}",
    )
    found.add(
        key,
        listed & new_final & (new_end > rd),
        rule,
        lambda i: f"final outcome {new_codes[i]} would end {iso(new_end[i])}, after the reporting date {rd_text}",
        subject_ids=sids,
    )
    if per is not None:  # rows of a later collection (collection_period.later_collection, starts_later)
        later = listed & ~(new_final & (new_end > rd))
        ends_later = later & new_final & (new_end > np.datetime64(per.end, "s"))
        starts_after = later & ~ends_later & (new_codes != NOT_YET_STARTED) & (new_start > np.datetime64(per.end, "s"))
        found.add(
            key,
            ends_later | starts_after,
            rule,
            lambda i: (
                later_collection(new_codes[i], _day(new_end[i]), per)
                or starts_later(new_codes[i], _day(new_start[i]), per)
                or ""
            ),
            subject_ids=sids,
        )
    found.add(key, listed & (new_end < new_start), rule, lambda i: "end date before start date", subject_ids=sids)
    found.add(
        key,
        listed & (new_codes == NO_OUTCOME),
        rule,
        lambda i: "internal outcome 00 would be reported",
        subject_ids=sids,
    )
    problems = found.frame(severity="error")[["enrolment", "subject_id", "rule_id", "message"]]
    issued = enrolments["event_credential_issued"].to_numpy(dtype=bool)
    if warnings:
        facts = UnitFacts(
            key=key,
            sids=sids,
            rule=rule,
            is_c=is_c,
            is_w=is_w,
            is_d=is_d,
            edate=edate,
            start=start,
            end=end,
            outcome=out_codes,
            new_outcome=new_codes,
            new_hours=new_hours.array,
            hours_before=units["hours_attended"].array,
            given=units["event_hours"].array,
            scheduled=units["scheduled_hours"].array,
            funding=_objects(units["funding_source_national"]),
            commenced=commenced,
            kept=kept,
            new_end=new_end,
            planned=planned,
            listed=listed,
        )
        unit_warnings(found, facts, reporting_date, hours_rule=prof.name in HOURS_FOR_WITHDRAWN)
        parchment = enrolments["event_parchment_number"].fillna("").astype(object).to_numpy() != ""
        parchment |= ~np.isnat(_dates(enrolments["event_parchment_issue_date"]))
        cid = enrolments["commitment_id"].fillna("").astype(object).to_numpy()
        enrolment_warnings(
            found,
            facts,
            e_keys=e_keys,
            completion=e_type == "completion",
            parchment_unissued=~issued & parchment,
            tnc=(e_type == "withdrawal") & prof.training_organisation_outcomes,
            no_commitment=np.full(len(e_keys), prof.requires_commitment_id) & (cid == ""),
        )
    refused_keys = np.unique(problems["enrolment"].to_numpy())
    e_refused = np.isin(e_keys, refused_keys)
    u_refused = e_refused[pos]
    # What a validation of the written rows would flag: only for enrolments not refused (finalise's unscoped).
    if warnings and per is None:
        name_unscoped(
            found,
            key=key,
            sids=sids,
            outcome=new_codes,
            start=new_start,
            end=new_end,
            written=listed & ~u_refused,
            reporting_date=reporting_date,
        )
    e_completion = e_type == "completion"
    write130 = place_completions(
        found if warnings else None,
        e_keys=e_keys,
        completion=e_completion & ~e_refused,
        program_ids=enrolments["program_id"].pipe(_objects),
        completed=e_date,
        has_units=np.isin(e_keys, key),
        has_activity=np.isin(e_keys, key[listed]),
        reporting_date=reporting_date,
        period=per,
        interim=interim,
    )

    keep = ~u_refused
    after = units.copy()
    for name, before, new in (
        ("outcome", outcome, new_outcome),
        ("start_date", units["start_date"], new_start),
        ("end_date", units["end_date"], new_end),
        ("hours_attended", units["hours_attended"], new_hours),
    ):
        after[f"{name}_before"] = before
        new_series = new if isinstance(new, pd.Series) else pd.Series(new, index=units.index)
        after[name] = before.where(~keep, new_series.astype(before.dtype))
    after["rule_id"] = rule_id
    after["reported"] = reported
    after["refused"] = u_refused

    e_status = enrolments["status"].astype(object).to_numpy().copy()
    new_status = np.where(
        e_type == "completion",
        np.where(issued, "completed", "completion_pending"),
        np.where(e_type == "deferral", "deferred", enrolments["event_status"].astype(object).to_numpy()),
    )
    e_status[~e_refused] = new_status[~e_refused]
    to_code = np.full(len(e_keys), -1)
    if prof.training_organisation_outcomes:
        to_code[(e_type == "withdrawal") & ~e_refused] = 0
        to_code[(e_type == "deferral") & ~e_refused] = 1
    to = _TO_VALUES.take(to_code, allow_fill=True)
    out_enrolments = pd.DataFrame(
        {
            "status": pd.array(e_status, dtype=_STR),
            "training_organisation_outcome": to,
            "refused": e_refused,
        },
        index=enrolments.index,
    )
    selected = keep & reported
    rows = after.loc[selected, list(dict.fromkeys(_ROW_SOURCE.values()))]
    nat00120 = _nat00120(rows, enrolments, pos[selected], to, prof)
    nat00130 = _nat00130(
        enrolments[e_completion & ~e_refused & enrolments["program_id"].notna().to_numpy() & write130], prof
    )
    return ColumnarResult(
        units=after,
        enrolments=out_enrolments,
        problems=problems,
        issues=found.frame(),
        nat00120=nat00120,
        nat00130=nat00130,
    )


def _column(values: Any, role: str, n: int) -> Any:
    """One output column with the dtype the NAT layer's columnar contract gives ``role``."""
    if values is None:
        values = _nulls(role, n)
    if role == "number" and getattr(values, "dtype", None) == "Int64":
        return values
    if role in ("text", "code", "blank") and getattr(values, "dtype", None) == _STR:
        return values
    if role == "number":
        return pd.array(values, dtype="Int64")
    if role == "date":
        return np.asarray(values, dtype="datetime64[s]")
    return pd.array(values, dtype=_STR)


def _nulls(role: str, n: int) -> Any:
    if role == "date":
        return np.full(n, _NAT)
    if role == "number":
        return pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))
    return pd.array([None], dtype=_STR).take(np.full(n, -1), allow_fill=True)


def _frame(columns: dict[str, Any], file_id: str, prof: Profile, n: int) -> pd.DataFrame:
    """The frame of ``file_id`` as the NAT writer writes it and the reader reads it back, so it equals
    ``frame_from_records`` of finalise's rows: the profile's zero-filled A fields (the VIC TOID, layouts.md §5)
    right-justified with zeros to their width, as the writer pads them."""
    lay: Layout = prof.layout(file_id)
    data = {f.name: _column(columns.get(f.name), f.role, n) for f in lay.fields}
    for f in lay.fields:
        if f.name in lay.zero_filled:
            data[f.name] = pd.Series(data[f.name]).str.pad(f.length, side="left", fillchar="0").array
    data["extra"] = _nulls("text", n)
    return pd.DataFrame(data, index=pd.RangeIndex(n))


def _strings(values: Any) -> Any:
    return values if isinstance(values.dtype, pd.StringDtype) else pd.array(values, dtype=_STR)


def _nat00120(rows: pd.DataFrame, enrolments: pd.DataFrame, pos: np.ndarray, to: Any, prof: Profile) -> pd.DataFrame:
    n = len(rows)
    cols: dict[str, Any] = {f: rows[src].array for f, src in _ROW_SOURCE.items()}
    # outcomes.rows.delivery_modes: modes left out are NNN/N for recognition (51, 52, 60), else YNN/I.
    recognised = rows["outcome"].isin(RECOGNITION).to_numpy(dtype=bool)
    for f, src, nothing, default in (
        ("delivery_mode_id", "delivery_mode", "NNN", "YNN"),
        ("predominant_delivery_mode", "predominant_delivery_mode", "N", "I"),
    ):
        given = pd.Series(_strings(rows[src].array))
        cols[f] = given.fillna(pd.Series(np.where(recognised, nothing, default), dtype=_STR)).array
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
        cols[f] = rows[_ROW_SOURCE[f]].to_numpy(dtype="datetime64[s]")
    for f in ("client_tuition_fee", "hours_attended", "scheduled_hours"):
        cols[f] = rows[f].array
    return _frame(cols, "NAT00120", prof, n)


def _nat00130(done: pd.DataFrame, prof: Profile) -> pd.DataFrame:
    issued = done["event_credential_issued"].to_numpy(dtype=bool)
    cols: dict[str, Any] = {
        "training_organisation_id": done["training_organisation_id"].array,
        "program_id": done["program_id"].array,
        "client_id": done["client_id"].array,
        "date_program_completed": _dates(done["event_date"]),
        "issued_flag": np.where(issued, "Y", "N").astype(object),
        "parchment_issue_date": _dates(done["event_parchment_issue_date"]),
        "parchment_number": done["event_parchment_number"].array,
    }
    return _frame(cols, "NAT00130", prof, len(done))
