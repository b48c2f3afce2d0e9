"""The collection period on the columnar path: which rows and completions go into the collection, and the
warnings that say why — the masks vectorised, the wording from :mod:`~avetmiss_finalise.outcomes.collection_period`.

``finalise_frame`` must write the rows ``finalise`` writes and give the same warnings (tests/outcomes/
test_columnar.py). The masks below are the vectorised form of the scalar verdicts; each flagged row (an exception,
not the bulk) is then worded by calling the very function ``finalise`` calls, so the two paths cannot drift in
wording, and a mask that disagreed with its verdict would show up in that test as a missing or extra issue.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import numpy as np

from avetmiss_finalise.outcomes.codes import CONTINUING, NOT_YET_STARTED
from avetmiss_finalise.outcomes.collection_period import (
    Finding,
    completion_placement,
    prior_collection,
    unscoped_findings,
)
from avetmiss_finalise.outcomes.columnar_issues import IssueRows
from avetmiss_finalise.period import Period, future_after

__all__ = ["name_unscoped", "place_completions", "place_rows"]


def _day(value: np.datetime64) -> datetime.date:
    date: datetime.date = value.astype("datetime64[D]").item()
    return date


def _add(out: IssueRows, keys: np.ndarray, found: dict[int, list[Finding]]) -> None:
    """Issue rows for the findings by position, one ``add`` per (rule ID, field)."""
    by_rule: dict[tuple[str, str], dict[int, Finding]] = {}
    for i, fs in found.items():
        for f in fs:
            by_rule.setdefault((f.rule_id, f.field), {})[i] = f
    for (rule_id, field), table in by_rule.items():
        mask = np.zeros(len(keys), dtype=bool)
        mask[list(table)] = True
        message, value = _worded(table)
        out.add(keys, mask, rule_id, message, severity="warning", field=field, value=value)


def _worded(table: dict[int, Finding]) -> tuple[Callable[[int], str], Callable[[int], str | None]]:
    """The message and value of each position's finding (bound to ``table`` now, not when the loop ends)."""
    return (lambda i: table[i].message), (lambda i: table[i].value.isoformat())


def place_rows(
    out: IssueRows | None,
    *,
    key: np.ndarray,
    sids: np.ndarray,
    outcome: np.ndarray,
    end: np.ndarray,
    listed: np.ndarray,
    reporting_date: datetime.date,
    period: Period | None,
) -> np.ndarray:
    """With a period, the rows left out of the collection (F-PRIOR-YEAR), as a mask; their warnings go to ``out``
    (``None``: none wanted). ``outcome``/``end``: after finalisation; ``listed``: the rows written."""
    if period is None:
        return np.zeros(len(key), dtype=bool)
    drop: np.ndarray = listed & (end < np.datetime64(period.start, "s"))
    if out is not None:
        found: dict[int, list[Finding]] = {}
        for i in np.flatnonzero(drop):
            e = _day(end[i])
            prior = prior_collection(sids[i], outcome[i], e, reporting_date=reporting_date, period=period)
            if prior is not None:
                found[int(i)] = [Finding(rule_id=prior.rule_id, message=prior.message, field="end_date", value=e)]
        _add(out, key, found)
    return drop


def name_unscoped(
    out: IssueRows,
    *,
    key: np.ndarray,
    sids: np.ndarray,
    outcome: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    written: np.ndarray,
    reporting_date: datetime.date,
) -> None:
    """Without a period: the validator-ID warnings of ``checks.unscoped`` for the ``written`` rows (of enrolments
    not refused), flagged by masks and worded by the scalar functions."""
    codes = np.asarray(outcome, dtype=object)
    year = Period.year(reporting_date.year)
    first, last = np.datetime64(year.start, "s"), np.datetime64(year.end, "s")
    unstarted, continuing = codes == NOT_YET_STARTED, codes == CONTINUING
    flagged = written & (
        (end < first) | (unstarted & (start <= last)) | (continuing & (end <= last)) | (~unstarted & (start > last))
    )
    found: dict[int, list[Finding]] = {}
    for i in np.flatnonzero(flagged):
        sid, code, s, e = sids[i], codes[i], _day(start[i]), _day(end[i])
        fs = []
        prior = prior_collection(sid, code, e, reporting_date=reporting_date, period=None)
        if prior is not None:
            fs.append(Finding(rule_id=prior.rule_id, message=prior.message, field="end_date", value=e))
        found[int(i)] = fs + list(unscoped_findings(sid, code, s, e, reporting_date=reporting_date))
    _add(out, key, found)


def place_completions(
    out: IssueRows | None,
    *,
    e_keys: np.ndarray,
    completion: np.ndarray,
    program_ids: np.ndarray,
    completed: np.ndarray,
    has_units: np.ndarray,
    has_activity: np.ndarray,
    reporting_date: datetime.date,
    period: Period | None,
    interim: bool,
) -> np.ndarray:
    """Per enrolment, whether its NAT00130 row (if any) is written for this collection; warnings to ``out``."""
    candidates = completion & has_units & np.array([p is not None for p in program_ids], dtype=bool)
    if period is None:
        first = np.datetime64(datetime.date(reporting_date.year, 1, 1), "s")
        candidates &= completed < first
    else:
        horizon = future_after(period, interim=interim, reporting_date=reporting_date)
        later = completed > np.datetime64(horizon, "s") if horizon is not None else np.zeros(len(e_keys), dtype=bool)
        candidates &= ~has_activity | later
    write = np.ones(len(e_keys), dtype=bool)
    found: dict[int, list[Finding]] = {}
    for i in np.flatnonzero(candidates):
        keep, said = completion_placement(
            str(program_ids[i]),
            _day(completed[i]),
            has_activity=bool(has_activity[i]),
            reporting_date=reporting_date,
            period=period,
            interim=interim,
        )
        write[i] = keep
        if said is not None:
            found[int(i)] = [said]
    if out is not None:
        _add(out, e_keys, found)
    return write
