"""The bulk path: F-COMPLETE, F-WITHDRAW and F-DEFER over whole DataFrames, vectorised with numpy/pandas.

Same rules and the same NAT rows as :func:`~avetmiss_finalise.outcomes.finalise` (a test holds them equal),
for inputs of millions of units: one row per unit in ``units`` (key column ``enrolment``) and one row per
enrolment in ``enrolments`` (index = that key, with the event in ``event_*`` columns). Per-unit warnings are
left to the per-enrolment path; here every change stays visible in the ``*_before`` columns and ``rule_id``.

:func:`finalise_frame` runs the steps in ``finalise``'s order, each in a module named for its concept: the input
frames (:mod:`.columnar_frames`), the per-event masks (:mod:`.columnar_plan`), the collection period
(:mod:`.columnar_period`), the refusal reasons (:mod:`.columnar_refusals`), the warnings (:mod:`.columnar_issues`),
the result (:mod:`.columnar_result`) and the NAT frames (:mod:`.columnar_nat`).
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from avetmiss_finalise.outcomes.attempts import (
    QLD_DUPLICATE,
    QLD_DUPLICATE_OUTCOMES,
    REPLACED_MESSAGE,
    overlap_message,
    qld_duplicate_message,
)
from avetmiss_finalise.outcomes.codes import HOURS_FOR_WITHDRAWN
from avetmiss_finalise.outcomes.collection_period import check_reporting_date
from avetmiss_finalise.outcomes.columnar_attempts import accepted_attempts, overlapping_rows
from avetmiss_finalise.outcomes.columnar_frames import (
    ENROLMENT_COLUMNS,
    UNENROLLED_HOURS,
    UNENROLLED_SEP,
    dates,
    frames_from_pairs,
    objects,
)
from avetmiss_finalise.outcomes.columnar_issues import IssueRows, UnitFacts, enrolment_warnings, unit_warnings
from avetmiss_finalise.outcomes.columnar_nat import ROW_SOURCE, nat00120, nat00130
from avetmiss_finalise.outcomes.columnar_period import name_unscoped, place_completions, place_rows
from avetmiss_finalise.outcomes.columnar_plan import Events, UnitPlan, event_arrays, plan_units
from avetmiss_finalise.outcomes.columnar_refusals import add_refusals
from avetmiss_finalise.outcomes.columnar_result import ColumnarResult, enrolments_after, units_after
from avetmiss_finalise.outcomes.withdrawal import HOURS_RULE, no_hours_message
from avetmiss_finalise.period import Period, first_future_day, parse_period
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.rule_severity import NAMED_RULES, named_severity

__all__ = ["ENROLMENT_COLUMNS", "ColumnarResult", "finalise_frame", "frames_from_pairs"]


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
    events = event_arrays(enrolments)
    plan = plan_units(units, enrolments, events, prof, future)
    key = plan.key
    sids = objects(units["subject_id"])
    out_codes, new_codes = objects(plan.outcome), objects(plan.new_outcome)
    later, replaced = accepted_attempts(key, sids, plan.start, plan.outcome, plan.is_c)  # re-attempts, swaps
    planned = ~events.bad_resume[plan.pos]  # a deferral refused for its resumption date plans no unit
    found = IssueRows()
    drop = place_rows(
        found if warnings else None,
        key=key,
        sids=sids,
        outcome=new_codes,
        end=plan.new_end,
        listed=planned & plan.reported,
        reporting_date=reporting_date,
        period=per,
    )
    reported = plan.reported & ~drop  # F-PRIOR-YEAR: a row of an earlier collection is left out of this one
    listed = planned & reported  # the units finalise() would write a row for
    add_refusals(
        found,
        plan,
        events,
        sids=sids,
        outcome=out_codes,
        new_outcome=new_codes,
        listed=listed,
        reporting_date=reporting_date,
        period=per,
        counted=later | replaced,
    )
    problems = found.frame(severity="error")[["enrolment", "subject_id", "rule_id", "message"]]
    if warnings:
        found.add(
            key,
            replaced,
            "F-COMPLETE",
            lambda i: f"unit {sids[i]}: {REPLACED_MESSAGE}",
            severity="warning",
            field="outcome",
            value=lambda i: out_codes[i],
        )
        if prof.name in HOURS_FOR_WITHDRAWN:  # an accepted 40 is written as it stands: V-120-13 as finalise() says
            hours = pd.Series(units["hours_attended"].array, dtype="Int64")
            no_hours = hours.fillna(0).le(0).to_numpy(dtype=bool, na_value=False)
            blank = hours.isna().to_numpy(dtype=bool)
            found.add(
                key,
                (later | replaced) & listed & (out_codes == "40") & no_hours,
                HOURS_RULE,
                lambda i: no_hours_message(f"unit {sids[i]}", True),
                severity="warning",
                field="hours_attended",
                value=lambda i: None if blank[i] else str(hours.iat[i]),  # formatted for the hits only
            )
        if prof.name == "qld":  # a re-attempt's two rows of one subject: Queensland rejects the pair (C049)
            written = pd.DataFrame({"k": key, "s": sids, "a": np.isin(new_codes, list(QLD_DUPLICATE_OUTCOMES))})
            written = written[listed]
            groups = written.groupby(["k", "s"], sort=False)
            dup = np.zeros(len(key), dtype=bool)
            dup[listed] = (groups["a"].transform("size") > 1).to_numpy() & groups["a"].transform("any").to_numpy()
            found.add(
                key,
                dup,
                QLD_DUPLICATE,
                lambda i: qld_duplicate_message(sids[i]),
                severity="warning",
                field="subject_id",
                value=lambda i: sids[i],
            )
        _add_warnings(
            found,
            units,
            enrolments,
            plan,
            events,
            prof,
            sids=sids,
            codes=(out_codes, new_codes),
            planned=planned,
            listed=listed,
            reporting_date=reporting_date,
        )
    e_refused = np.isin(events.keys, np.unique(problems["enrolment"].to_numpy()))
    u_refused = e_refused[plan.pos]
    if warnings:
        _unenrolled_hours(found, enrolments, events.keys)
    if warnings:  # rows of one subject the validator rejects together; a refused enrolment writes none
        overlaps = overlapping_rows(key, sids, plan.new_start, plan.new_end, new_codes, listed & ~u_refused)
        for rule, mask in overlaps.items():

            def text(i: int, rule: str = rule) -> str:
                return overlap_message(str(sids[i]), rule)

            found.add(key, mask, rule, text, severity="warning", field="subject_id", value=lambda i: sids[i])
    # What a validation of the written rows would flag: only for enrolments not refused (finalise's unscoped).
    if warnings and per is None:
        name_unscoped(
            found,
            key=key,
            sids=sids,
            outcome=new_codes,
            start=plan.new_start,
            end=plan.new_end,
            written=listed & ~u_refused,
            reporting_date=reporting_date,
        )
    e_completion = events.kind == "completion"
    write130 = place_completions(
        found if warnings else None,
        e_keys=events.keys,
        completion=e_completion & ~e_refused,
        program_ids=objects(enrolments["program_id"]),
        completed=events.date,
        has_units=np.isin(events.keys, key),
        has_activity=np.isin(events.keys, key[listed]),
        reporting_date=reporting_date,
        period=per,
        interim=interim,
    )

    after = units_after(units, plan, reported, u_refused)
    out_enrolments, to = enrolments_after(enrolments, events, e_refused, prof)
    selected = ~u_refused & reported
    rows = after.loc[selected, list(dict.fromkeys(ROW_SOURCE.values()))]
    completed = e_completion & ~e_refused & enrolments["program_id"].notna().to_numpy() & write130
    return ColumnarResult(
        units=after,
        enrolments=out_enrolments,
        problems=problems,
        issues=_named_severities(found.frame(), prof, period_known=per is not None),
        nat00120=nat00120(rows, enrolments, plan.pos[selected], to, prof),
        nat00130=nat00130(enrolments[completed], prof),
    )


def _unenrolled_hours(found: IssueRows, enrolments: pd.DataFrame, e_keys: np.ndarray) -> None:
    """F-WITHDRAW's warning for hours given for a subject that is not a unit of the enrolment, one per subject,
    from the optional :data:`~.columnar_frames.UNENROLLED_HOURS` column (as finalise() words it)."""
    if UNENROLLED_HOURS not in enrolments.columns:
        return
    column = enrolments[UNENROLLED_HOURS]
    given = np.flatnonzero(column.notna().to_numpy(dtype=bool))  # a few enrolments: loop over those only
    listed = objects(column.iloc[given])
    at = [
        (k, sid)
        for k, text in zip(e_keys[given], listed, strict=True)
        if text
        for sid in str(text).split(UNENROLLED_SEP)
    ]
    if not at:
        return
    keys = np.array([k for k, _ in at], dtype=e_keys.dtype)
    sids = [sid for _, sid in at]
    found.add(
        keys,
        np.ones(len(at), dtype=bool),
        "F-WITHDRAW",
        lambda i: f"hours given for {sids[i]}, which is not a unit of this enrolment; ignored",
        severity="warning",
        field="hours_attended",
        value=lambda i: sids[i],
    )


def _named_severities(issues: pd.DataFrame, prof: Profile, *, period_known: bool) -> pd.DataFrame:
    """Each issue named under a validator rule with that rule's severity under the profile, as ``finalise`` gives
    it (:mod:`avetmiss_finalise.rule_severity`; a period rule's a warning without a period)."""
    labels = {
        rule: severity.label
        for rule in NAMED_RULES
        if (severity := named_severity(rule, prof.name, period_known=period_known))
    }
    named = issues["rule_id"].astype(object).map(labels)
    if not named.notna().any():
        return issues
    return issues.assign(severity=named.fillna(issues["severity"].astype(object)).astype(issues["severity"].dtype))


def _add_warnings(
    found: IssueRows,
    units: pd.DataFrame,
    enrolments: pd.DataFrame,
    plan: UnitPlan,
    events: Events,
    prof: Profile,
    *,
    sids: np.ndarray,
    codes: tuple[np.ndarray, np.ndarray],
    planned: np.ndarray,
    listed: np.ndarray,
    reporting_date: datetime.date,
) -> None:
    """The rules' unit and enrolment warnings (:mod:`.columnar_issues`), after the refusal reasons as ``finalise``
    gives them; ``codes``: each unit's outcome before and after, as Python objects."""
    facts = UnitFacts(
        key=plan.key,
        sids=sids,
        rule=plan.rule,
        is_c=plan.is_c,
        is_w=plan.is_w,
        is_d=plan.is_d,
        edate=plan.edate,
        start=plan.start,
        end=plan.end,
        outcome=codes[0],
        new_outcome=codes[1],
        new_hours=plan.new_hours.array,
        hours_before=units["hours_attended"].array,
        given=units["event_hours"].array,
        scheduled=units["scheduled_hours"].array,
        funding=objects(units["funding_source_national"]),
        commenced=plan.commenced,
        kept=plan.kept,
        new_end=plan.new_end,
        planned=planned,
        listed=listed,
    )
    unit_warnings(found, facts, reporting_date, hours_rule=prof.name in HOURS_FOR_WITHDRAWN)
    issued = enrolments["event_credential_issued"].to_numpy(dtype=bool)
    parchment = enrolments["event_parchment_number"].fillna("").astype(object).to_numpy() != ""
    parchment |= ~np.isnat(dates(enrolments["event_parchment_issue_date"]))
    cid = enrolments["commitment_id"].fillna("").astype(object).to_numpy()
    enrolment_warnings(
        found,
        facts,
        e_keys=events.keys,
        completion=events.kind == "completion",
        parchment_unissued=~issued & parchment,
        tnc=(events.kind == "withdrawal") & prof.training_organisation_outcomes,
        no_commitment=np.full(len(events.keys), prof.requires_commitment_id) & (cid == ""),
    )
