"""The refusal reasons and warnings of the columnar path, worded and located as ``finalise`` words them.

:func:`~avetmiss_finalise.outcomes.columnar.finalise_frame` decides with vectorised masks; this module turns the
masks into issue rows (``enrolment``, ``subject_id``, ``rule_id``, ``severity``, ``field``, ``value``,
``message``). Text is formatted only for the rows a mask selects — findings are exceptions, not the bulk — so the
bulk path stays vectorised while a test holds every message equal to the per-enrolment path's
(tests/outcomes/test_columnar.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import FEE_PAYING_FUNDING
from avetmiss_finalise.outcomes.codes import FINAL, KNOWN, NO_OUTCOME, NOT_YET_STARTED, WITHDRAWN

__all__ = ["ISSUE_COLUMNS", "IssueRows", "UnitFacts", "enrolment_warnings", "iso", "unit_warnings"]

ISSUE_COLUMNS = ("enrolment", "subject_id", "rule_id", "severity", "field", "value", "message")
_STR = pd.StringDtype("pyarrow")
_SUPERSEDED = "61"
_RCC_GRANTED = "53"
_TNC_OK = frozenset({WITHDRAWN, NOT_YET_STARTED})


def iso(value: Any) -> str:
    """``YYYY-MM-DD`` of a numpy datetime64."""
    return str(np.datetime_as_string(np.datetime64(value, "D")))


class IssueRows:
    """Collects issue rows mask by mask; :meth:`frame` builds the table once."""

    def __init__(self) -> None:
        self._parts: list[dict[str, Any]] = []

    def add(
        self,
        keys: np.ndarray,
        mask: np.ndarray,
        rule_ids: np.ndarray | str,
        message: Callable[[int], str],
        *,
        subject_ids: np.ndarray | None = None,
        severity: str = "error",
        field: str | None = None,
        value: Callable[[int], str | None] | None = None,
    ) -> None:
        where = [int(i) for i in np.flatnonzero(mask)]
        if not where:
            return
        rules = np.asarray(rule_ids, dtype=object)
        self._parts.append(
            {
                "enrolment": keys[where],
                "subject_id": [None if subject_ids is None else subject_ids[i] for i in where],
                "rule_id": [rules[i] if rules.ndim else rule_ids for i in where],
                "severity": severity,
                "field": field,
                # An error's value is the unit it names (as in finalise's Issues); a warning's, the value at fault.
                "value": [
                    (subject_ids[i] if subject_ids is not None else None) if value is None else value(i) for i in where
                ],
                "message": [message(i) for i in where],
            }
        )

    def frame(self, *, severity: str | None = None) -> pd.DataFrame:
        frames = [pd.DataFrame(p) for p in self._parts if severity is None or p["severity"] == severity]
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({c: [] for c in ISSUE_COLUMNS})
        out = out.reindex(columns=list(ISSUE_COLUMNS))
        typed = {c: out[c].astype(_STR) for c in ISSUE_COLUMNS if c != "enrolment"}
        return pd.DataFrame({"enrolment": out["enrolment"].astype("int64"), **typed})


@attrs.frozen(kw_only=True)
class UnitFacts:
    """What the columnar path decided, one aligned array per fact (Python objects where text is formatted)."""

    key: np.ndarray
    sids: np.ndarray
    rule: np.ndarray
    is_c: np.ndarray
    is_w: np.ndarray
    is_d: np.ndarray
    edate: np.ndarray
    start: np.ndarray
    end: np.ndarray
    outcome: np.ndarray
    new_outcome: np.ndarray
    new_hours: np.ndarray
    hours_before: np.ndarray
    given: np.ndarray
    scheduled: np.ndarray
    funding: np.ndarray
    commenced: np.ndarray
    kept: np.ndarray
    new_end: np.ndarray
    planned: np.ndarray
    listed: np.ndarray


def _num(v: Any) -> int | None:
    return None if v is None else int(v)


def unit_warnings(out: IssueRows, f: UnitFacts, reporting_date: datetime.date) -> None:
    """The unit warnings of F-WITHDRAW(-COMMENCED), F-COMPLETE, F-DEFER and F-PRIOR-YEAR (the rules' own modules
    say why)."""
    n = len(f.key)
    final = np.array([o in FINAL for o in f.outcome], dtype=bool)
    hours = np.array([_num(h) for h in f.hours_before], dtype=object)
    given = np.array([_num(h) for h in f.given], dtype=object)
    sched = np.array([_num(h) for h in f.scheduled], dtype=object)
    new_h = np.array([_num(h) for h in f.new_hours], dtype=object)
    over = np.array([h is not None and s is not None and h > s for h, s in zip(hours, sched, strict=True)], dtype=bool)
    new_over = np.array([h is not None and s is not None and h > s for h, s in zip(new_h, sched, strict=True)])
    new_over = new_over.astype(bool) if n else np.zeros(0, dtype=bool)

    def unit(i: int) -> str:
        return f"unit {f.sids[i]}"

    def fixed(text: str) -> Callable[[int], str]:
        return lambda i: f"{unit(i)}: {text}"

    # F-WITHDRAW
    ignored = f.is_w & final & np.array([g is not None and g != h for g, h in zip(given, hours, strict=True)], bool)
    out.add(
        f.key,
        ignored,
        "F-WITHDRAW",
        lambda i: (
            f"{unit(i)}: hours to date {given[i]} ignored: the unit already has final outcome "
            f"{f.outcome[i]} and keeps its hours attended {hours[i]}"
        ),
        severity="warning",
        field="hours_attended",
        value=lambda i: str(given[i]),
    )
    unknown = f.is_w & np.array([o is not None and o not in KNOWN and o != NO_OUTCOME for o in f.outcome], bool)
    out.add(
        f.key,
        unknown,
        "F-WITHDRAW",
        lambda i: f"{unit(i)}: unknown outcome {f.outcome[i]!r} treated as no outcome yet",
        severity="warning",
        field="outcome",
        value=lambda i: f.outcome[i],
    )
    out.add(
        f.key,
        f.commenced & (f.start > f.edate),
        "F-WITHDRAW-COMMENCED",
        lambda i: (
            f"{unit(i)}: hours attended but start date {iso(f.start[i])} is after the withdrawal date; "
            f"start moved to {iso(f.edate[i])}"
        ),
        severity="warning",
        field="start_date",
        value=lambda i: iso(f.start[i]),
    )
    no_hours = f.commenced & np.array([not h for h in new_h], dtype=bool)
    out.add(
        f.key,
        no_hours,
        "F-WITHDRAW-COMMENCED",
        lambda i: f"{unit(i)}: withdrawn (40) with no hours attended; NSW eReporting may reject it (Error ID 1113)",
        severity="warning",
        field="hours_attended",
        value=lambda i: None if new_h[i] is None else str(new_h[i]),
    )
    out.add(
        f.key,
        f.commenced & ~no_hours & new_over,
        "F-WITHDRAW-COMMENCED",
        lambda i: f"{unit(i)}: hours attended {new_h[i]} exceed scheduled hours {sched[i]}",
        severity="warning",
        field="hours_attended",
        value=lambda i: str(new_h[i]),
    )
    # F-COMPLETE
    for code, text in (
        (_SUPERSEDED, "outcome 61 (superseded) counts only where an achieved unit replaced it; check"),
        (
            _RCC_GRANTED,
            "outcome 53 (recognition of current competency granted) counts as achieved, but whether 53 is still "
            "a national code is unverified (code_lists.md §1); check",
        ),
    ):
        out.add(
            f.key,
            f.is_c & (f.outcome == code),
            "F-COMPLETE",
            fixed(text),
            severity="warning",
            field="outcome",
            value=lambda i: f.outcome[i],
        )
    out.add(
        f.key,
        f.is_c & (f.start <= f.edate) & (f.end > f.edate),
        "F-COMPLETE",
        lambda i: f"{unit(i)}: end date {iso(f.end[i])} after the completion date; set to {iso(f.edate[i])}",
        severity="warning",
        field="end_date",
        value=lambda i: iso(f.end[i]),
    )
    out.add(
        f.key,
        f.is_c & over,
        "F-COMPLETE",
        lambda i: f"{unit(i)}: hours attended {hours[i]} exceed scheduled hours {sched[i]}",
        severity="warning",
        field="hours_attended",
        value=lambda i: str(hours[i]),
    )
    # F-DEFER
    dropped = f.is_d & f.planned & ~final & ~f.kept & np.array([bool(h) and h > 0 for h in hours], dtype=bool)
    out.add(
        f.key,
        dropped,
        "F-DEFER",
        lambda i: (
            f"{unit(i)}: {hours[i]} hours attended are not reported while deferred (kept in the decision); "
            "decide whether to withdraw the unit instead"
        ),
        severity="warning",
        field="hours_attended",
        value=lambda i: str(hours[i]),
    )
    out.add(
        f.key,
        f.kept & f.planned & (f.start > f.edate),
        "F-DEFER",
        lambda i: (
            f"{unit(i)}: hours attended but start date {iso(f.start[i])} is after the deferral date; "
            f"start moved to {iso(f.edate[i])}"
        ),
        severity="warning",
        field="start_date",
        value=lambda i: iso(f.start[i]),
    )
    # F-PRIOR-YEAR (no collection period on this path: the row is written, the unit named)
    new_final = np.array([o in FINAL for o in f.new_outcome], dtype=bool)
    years = f.new_end.astype("datetime64[Y]").astype("int64") + 1970 if n else np.zeros(0, dtype="int64")
    rd = reporting_date.isoformat()
    out.add(
        f.key,
        f.listed & new_final & (years < reporting_date.year),
        "F-PRIOR-YEAR",
        lambda i: (
            f"{unit(i)}: outcome {f.new_outcome[i]} ended {iso(f.new_end[i])}, in an earlier collection year "
            f"than the reporting date {rd}: report it in that year's collection (check it was)"
        ),
        severity="warning",
        field="end_date",
        value=lambda i: iso(f.new_end[i]),
    )


def enrolment_warnings(
    out: IssueRows,
    f: UnitFacts,
    *,
    e_keys: np.ndarray,
    completion: np.ndarray,
    parchment_unissued: np.ndarray,
    tnc: np.ndarray,
    no_commitment: np.ndarray,
) -> None:
    """The enrolment warnings: parchment without credential (F-COMPLETE), F-TO-TNC and NSW-CID-01."""
    out.add(
        e_keys,
        completion & parchment_unissued,
        "F-COMPLETE",
        lambda i: "parchment details given but the credential is not issued; issued flag N",
        severity="warning",
        field="credential_issued",
        value=lambda i: None,
    )
    position = {k: i for i, k in enumerate(e_keys.tolist())}
    odd: dict[int, set[str]] = {}
    public: dict[int, set[str]] = {}
    for i in np.flatnonzero(f.listed):
        k = position[f.key[i]]
        if tnc[k] and f.new_outcome[i] not in _TNC_OK:
            odd.setdefault(k, set()).add(f.sids[i])
        if no_commitment[k] and f.funding[i] not in FEE_PAYING_FUNDING:
            public.setdefault(k, set()).add(f.sids[i])
    for table, rule, message, field, value in (
        (
            odd,
            "F-TO-TNC",
            lambda names: f"TNC with outcomes other than 40/85 on {names}: NSW eReporting may reject it (unverified)",
            "outcome_training_organisation",
            "TNC",
        ),
        (
            public,
            "NSW-CID-01",
            lambda names: (
                f"no Commitment ID: the rows of publicly funded units ({names}) go out with a blank "
                "Purchasing contract identifier, which Smart and Skilled eReporting rejects"
            ),
            "commitment_id",
            None,
        ),
    ):
        mask = np.zeros(len(e_keys), dtype=bool)
        mask[list(table)] = True
        out.add(
            e_keys,
            mask,
            rule,
            lambda i, table=table, message=message: message(", ".join(sorted(table[i]))),  # type: ignore[misc]
            severity="warning",
            field=field,
            value=lambda i, value=value: value,  # type: ignore[misc]
        )
