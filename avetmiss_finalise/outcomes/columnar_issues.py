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
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import FEE_PAYING_FUNDING, TNC_OUTCOMES
from avetmiss_finalise.outcomes.codes import FINAL, KNOWN, NO_OUTCOME
from avetmiss_finalise.outcomes.withdrawal import no_hours_message

__all__ = ["ISSUE_COLUMNS", "IssueRows", "UnitFacts", "enrolment_warnings", "iso", "unit_warnings"]

ISSUE_COLUMNS = ("enrolment", "subject_id", "rule_id", "severity", "field", "value", "message")
_STR = pd.StringDtype("pyarrow")
_SUPERSEDED = "61"
_RCC_GRANTED = "53"
_TNC_OK = TNC_OUTCOMES


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
    new_hours: Any  # nullable integer array
    hours_before: Any  # nullable integer array
    given: Any  # nullable integer array
    scheduled: Any  # nullable integer array
    funding: np.ndarray
    commenced: np.ndarray
    kept: np.ndarray
    new_end: np.ndarray
    planned: np.ndarray
    listed: np.ndarray


def _mask(values: pd.Series) -> np.ndarray:
    """A boolean mask from a (possibly nullable) boolean Series: missing is False."""
    return values.fillna(False).to_numpy(dtype=bool)


def unit_warnings(out: IssueRows, f: UnitFacts, reporting_date: datetime.date, *, hours_rule: bool = False) -> None:
    """The unit warnings of F-WITHDRAW(-COMMENCED), F-COMPLETE and F-DEFER (the rules' own modules say why; the
    collection period's are :mod:`~avetmiss_finalise.outcomes.columnar_period`'s)."""
    outcome = pd.Series(f.outcome, dtype=object)
    hours, given = pd.Series(f.hours_before, dtype="Int64"), pd.Series(f.given, dtype="Int64")
    sched, new_h = pd.Series(f.scheduled, dtype="Int64"), pd.Series(f.new_hours, dtype="Int64")
    final = _mask(outcome.isin(FINAL))
    over = _mask(hours > sched)
    new_over = _mask(new_h > sched)

    texts = {
        id(x): cast(Any, x.astype("string")).to_numpy(dtype=object, na_value=None) for x in (hours, given, sched, new_h)
    }

    def num(series: pd.Series, i: int) -> str | None:
        text: str | None = texts[id(series)][i]
        return text

    def unit(i: int) -> str:
        return f"unit {f.sids[i]}"

    def fixed(text: str) -> Callable[[int], str]:
        return lambda i: f"{unit(i)}: {text}"

    # F-WITHDRAW
    ignored = f.is_w & final & _mask(given.notna() & (given != hours).fillna(True))
    out.add(
        f.key,
        ignored,
        "F-WITHDRAW",
        lambda i: (
            f"{unit(i)}: hours to date {num(given, i)} ignored: the unit already has final outcome "
            f"{f.outcome[i]} and keeps its hours attended {num(hours, i)}"
        ),
        severity="warning",
        field="hours_attended",
        value=lambda i: num(given, i),
    )
    unknown = f.is_w & _mask(outcome.notna() & ~outcome.isin(KNOWN | {NO_OUTCOME}))
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
    no_hours = f.commenced & _mask(new_h.fillna(0) == 0)
    out.add(
        f.key,
        no_hours,
        # Under the validator's rule ID where the state requires hours on a withdrawn unit (as finalise() does).
        "V-120-13" if hours_rule else "F-WITHDRAW-COMMENCED",
        lambda i: no_hours_message(unit(i), hours_rule),
        severity="warning",
        field="hours_attended",
        value=lambda i: num(new_h, i),
    )
    out.add(
        f.key,
        f.commenced & ~no_hours & new_over,
        "F-WITHDRAW-COMMENCED",
        lambda i: f"{unit(i)}: hours attended {num(new_h, i)} exceed scheduled hours {num(sched, i)}",
        severity="warning",
        field="hours_attended",
        value=lambda i: num(new_h, i),
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
        lambda i: f"{unit(i)}: hours attended {num(hours, i)} exceed scheduled hours {num(sched, i)}",
        severity="warning",
        field="hours_attended",
        value=lambda i: num(hours, i),
    )
    # F-DEFER
    dropped = f.is_d & f.planned & ~final & ~f.kept & _mask(hours.fillna(0) > 0)
    out.add(
        f.key,
        dropped,
        "F-DEFER",
        lambda i: (
            f"{unit(i)}: {num(hours, i)} hours attended are not reported while deferred (kept in the decision); "
            "decide whether to withdraw the unit instead"
        ),
        severity="warning",
        field="hours_attended",
        value=lambda i: num(hours, i),
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
    """The enrolment warnings: parchment without credential (F-COMPLETE), F-TO-TNC (as NSW-TO-02) and NSW-CID-01."""
    out.add(
        e_keys,
        completion & parchment_unissued,
        "F-COMPLETE",
        lambda i: "parchment details given but the credential is not issued; issued flag N",
        severity="warning",
        field="credential_issued",
        value=lambda i: None,
    )
    position = pd.Index(e_keys).get_indexer(pd.Index(f.key))
    new_outcome = pd.Series(f.new_outcome, dtype=object)
    funding = pd.Series(f.funding, dtype=object)
    odd_units = f.listed & tnc[position] & ~_mask(new_outcome.isin(_TNC_OK))
    # One per subject of the enrolment, not per row, as finalise() names it: a subject listed twice (a re-attempt,
    # or a duplicate the refusal names) gets one warning.
    odd = np.flatnonzero(odd_units)
    repeated = pd.DataFrame({"key": f.key[odd], "sid": f.sids[odd]}).duplicated().to_numpy()
    odd_units[odd[repeated]] = False
    # F-TO-TNC's warning goes out under the validator's rule ID (NSW-TO-02), one per odd subject.
    out.add(
        f.key,
        odd_units,
        "NSW-TO-02",
        lambda i: (
            f"unit {f.sids[i]}: TNC (F-TO-TNC) with an outcome other than 40/85: NSW eReporting may reject it "
            "(unverified)"
        ),
        severity="warning",
        field="outcome_training_organisation",
        value=lambda i: "TNC",
    )
    public_units = f.listed & no_commitment[position] & ~_mask(funding.isin(FEE_PAYING_FUNDING))
    public: dict[int, set[str]] = {}
    for table, flagged in ((public, public_units),):
        for i in np.flatnonzero(flagged):  # only the flagged units: findings, not the bulk
            table.setdefault(int(position[i]), set()).add(f.sids[i])

    def listing(table: dict[int, set[str]], template: str) -> Callable[[int], str]:
        return lambda i: template.format(names=", ".join(sorted(table[i])))

    def constant(value: str | None) -> Callable[[int], str | None]:
        return lambda i: value

    for table, rule, template, field, value in (
        (
            public,
            "NSW-CID-01",
            "no Commitment ID: the rows of publicly funded units ({names}) go out with a blank Purchasing contract "
            "identifier, which Smart and Skilled eReporting rejects",
            "commitment_id",
            None,
        ),
    ):
        mask = np.zeros(len(e_keys), dtype=bool)
        mask[list(table)] = True
        out.add(e_keys, mask, rule, listing(table, template), severity="warning", field=field, value=constant(value))
