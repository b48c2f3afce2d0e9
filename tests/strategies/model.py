"""Hypothesis strategies for the finalisation model: unit/program enrolments and completion/withdrawal/deferral events.

Everything is synthetic (client "TESTCL01", TOID 90001, subjects "U001"…). Dates fall in 2025–2027 and
:data:`REPORTING_DATE` is after all of them, so an enrolment is refused only where a test wants it to be.
"""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from avetmiss_finalise.model import (
    Completion,
    Deferral,
    ProgramEnrolment,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)

__all__ = [
    "ACHIEVED_OUTCOMES",
    "ANY_OUTCOMES",
    "REPORTING_DATE",
    "completions",
    "dates",
    "deferrals",
    "events",
    "program_enrolments",
    "unit_enrolments",
    "withdrawals",
]

FIRST = datetime.date(2025, 1, 1)
LAST = datetime.date(2027, 12, 31)
#: After every generated date: nothing is refused for the reporting date unless a test chooses a tighter one.
REPORTING_DATE = datetime.date(2029, 12, 31)

#: Every outcome a unit may hold before finalisation: none, the internal 00, finals, non-finals, an unknown code.
ANY_OUTCOMES: tuple[str | None, ...] = (
    None,
    "00",
    "20",
    "30",
    "40",
    "41",
    "51",
    "52",
    "60",
    "61",
    "70",
    "81",
    "82",
    "85",
    "99",
)
ACHIEVED_OUTCOMES: tuple[str, ...] = ("20", "51", "53", "60", "81")

dates = st.dates(min_value=FIRST, max_value=LAST)
hours = st.none() | st.integers(0, 300)


@st.composite
def unit_enrolments(
    draw: st.DrawFn,
    subject_id: str = "U001",
    outcomes: tuple[str | None, ...] = ANY_OUTCOMES,
    latest_end: datetime.date = LAST,
) -> UnitEnrolment:
    """One unit with consistent dates (start ≤ end ≤ ``latest_end``)."""
    start = draw(st.dates(min_value=FIRST, max_value=latest_end))
    end = draw(st.dates(min_value=start, max_value=min(latest_end, start + datetime.timedelta(days=400))))
    return UnitEnrolment(
        subject_id=subject_id,
        delivery_location_id="MAIN01",
        start_date=start,
        end_date=end,
        outcome=draw(st.sampled_from(outcomes)),
        hours_attended=draw(hours),
        scheduled_hours=draw(hours),
        delivery_mode=draw(st.sampled_from(("YNN", "NYN", "YYN"))),
        funding_source_national=draw(st.sampled_from(("11", "20"))),
    )


@st.composite
def program_enrolments(
    draw: st.DrawFn,
    min_units: int = 0,
    max_units: int = 6,
    outcomes: tuple[str | None, ...] = ANY_OUTCOMES,
    latest_end: datetime.date = LAST,
) -> ProgramEnrolment:
    """A learner's program (or subject-only) enrolment with distinct subject ids."""
    n = draw(st.integers(min_units, max_units))
    units = [draw(unit_enrolments(f"U{i + 1:03d}", outcomes, latest_end)) for i in range(n)]
    return ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id=draw(st.sampled_from(("BSB40120", "BSB50120", None))),
        commitment_id=draw(st.none() | st.just("C000999999")),
        units=units,
    )


@st.composite
def withdrawals(draw: st.DrawFn, subject_ids: tuple[str, ...] = ()) -> Withdrawal:
    """A withdrawal/cancellation; hours to date for some of ``subject_ids``."""
    chosen = draw(st.lists(st.sampled_from(subject_ids), unique=True)) if subject_ids else []
    return Withdrawal(
        date=draw(dates),
        status=draw(st.sampled_from(list(WithdrawalStatus))),
        hours_attended={sid: draw(st.integers(0, 300)) for sid in chosen},
        reason=draw(st.none() | st.just("TEST REASON")),
    )


@st.composite
def deferrals(draw: st.DrawFn) -> Deferral:
    """A deferral, with or without a (later) resumption date."""
    date = draw(dates)
    resume = draw(st.none() | st.dates(min_value=date + datetime.timedelta(days=1), max_value=LAST.replace(2028)))
    return Deferral(date=date, resume_date=resume)


@st.composite
def completions(draw: st.DrawFn, earliest: datetime.date = FIRST) -> Completion:
    """A completion on or after ``earliest``; credential issued or pending, parchment details when issued."""
    issued = draw(st.booleans())
    date = draw(st.dates(min_value=earliest, max_value=LAST))
    return Completion(
        date=date,
        credential_issued=issued,
        parchment_issue_date=date if issued else None,
        parchment_number="TEST-0001" if issued else None,
    )


def events(enrolment: ProgramEnrolment) -> st.SearchStrategy[Completion | Withdrawal | Deferral]:
    """Any non-transition event for ``enrolment``."""
    sids = tuple(u.subject_id for u in enrolment.units)
    return completions() | withdrawals(sids) | deferrals()
