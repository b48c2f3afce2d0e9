"""Hypothesis strategies that reach every finalisation case: every outcome code, every event type and status,
boundary dates and hours, every profile that changes the result.

Where ``tests.strategies.model`` draws plausible enrolments, these draw *edges*: each unit's dates are placed
relative to the event date (the day before, the day itself, the day after, or further), its hours are 0, 1, the
scheduled hours or one more, its outcome is any national code (52, 53, 54, 61, 81 and 82 included), the internal
00, none, or a code we do not know; the reporting date falls on or beside the event date or a unit's end date.
Everything is synthetic ("TESTCL01", TOID 90001, subjects "U001"…).
"""

from __future__ import annotations

import datetime

import attrs
from hypothesis import strategies as st

from avetmiss_finalise.code_lists import codes
from avetmiss_finalise.model import (
    Completion,
    Deferral,
    Event,
    ProgramEnrolment,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile

__all__ = [
    "OUTCOMES",
    "PROFILES",
    "edge_cases",
    "edge_enrolments",
    "edge_events",
    "edge_pairs",
    "edge_units",
]

DAY = datetime.timedelta(days=1)
FIRST = datetime.date(2025, 1, 1)
LAST = datetime.date(2027, 12, 31)
#: Every outcome a unit may carry before finalisation: each national code (valid, unverified, state-only and
#: retired), none, the internal 00 and a code nobody knows.
OUTCOMES: tuple[str | None, ...] = (
    None,
    "00",
    *sorted(codes("outcome_national", ("valid", "unverified", "state", "retired"))),
    "99",
)
#: What a completion accepts: the achieved codes and 61 (with a warning).
COMPLETION_OUTCOMES: tuple[str | None, ...] = ("20", "51", "53", "60", "61", "81")
#: Final outcomes that are not achieved: an earlier attempt of a subject achieved later (outcomes/attempts.py).
FAILED_OUTCOMES: tuple[str, ...] = ("30", "40", "52", "82")
FUNDING: tuple[str, ...] = tuple(sorted(codes("funding_source_national", ("valid", "unverified"))))
#: Every profile, and nsw leaving unstarted units out: each may change the rows (vic zero-fills the TOID, the
#: state tails differ) as well as the rules (nsw's TNC/D and Commitment IDs), so the paths are compared under all.
PROFILES: tuple[Profile, ...] = (
    *(get_profile(name) for name in PROFILE_NAMES),
    attrs.evolve(get_profile("nsw"), unstarted_units="omit"),
)

event_dates = st.dates(min_value=FIRST, max_value=LAST)


def _near(date: datetime.date) -> st.SearchStrategy[datetime.date]:
    """The day before, the day itself, the day after — or anywhere within a year either side."""
    offsets = st.sampled_from((-1, 0, 1)) | st.integers(-365, 365)
    return offsets.map(lambda n: date + n * DAY)


def _rarely(value: object, otherwise: st.SearchStrategy[object], one_in: int = 12) -> st.SearchStrategy[object]:
    """``value`` about once in ``one_in`` draws, else ``otherwise`` (an input error in every unit would refuse
    nearly every enrolment and leave the rules behind the refusal untested)."""
    return st.integers(0, one_in - 1).flatmap(lambda n: st.just(value) if n == 0 else otherwise)


@st.composite
def edge_units(
    draw: st.DrawFn, subject_id: str, event_date: datetime.date, outcomes: tuple[str | None, ...] = OUTCOMES
) -> UnitEnrolment:
    """One unit whose dates and hours sit on (or beside) the boundaries the rules test; now and then one that
    ends before it starts. ``outcomes``: the codes to draw from most of the time (any code otherwise)."""
    start = draw(_near(event_date))
    length = draw(_rarely(-1, st.sampled_from((0, 1)) | st.integers(0, 200)))
    end = draw(st.just(start + length * DAY) | _near(event_date).filter(lambda d: d >= start))
    scheduled = draw(st.none() | st.sampled_from((0, 1, 40)) | st.integers(0, 300))
    base = 40 if scheduled is None else scheduled
    hours = draw(st.none() | st.sampled_from((0, 1, base, base + 1)) | st.integers(0, 300))
    return UnitEnrolment(
        subject_id=subject_id,
        delivery_location_id="MAIN01",
        start_date=start,
        end_date=end,
        outcome=draw(
            _rarely(None, st.sampled_from(outcomes), one_in=5).flatmap(
                lambda o: st.sampled_from(OUTCOMES) if o is None else st.just(o)
            )
        ),
        hours_attended=hours,
        scheduled_hours=scheduled,
        delivery_mode=draw(st.sampled_from(("YNN", "NYN", "NNN"))),
        funding_source_national=draw(st.sampled_from(FUNDING)),
    )


@st.composite
def edge_enrolments(
    draw: st.DrawFn, event_date: datetime.date, max_units: int = 5, outcomes: tuple[str | None, ...] = OUTCOMES
) -> ProgramEnrolment:
    """An enrolment of 0–``max_units`` units around ``event_date``; now and then a subject twice (a re-attempt
    with another start date — often a fail then a pass, as a completion accepts — or the same start: a
    duplicate), a withdrawn unit beside achieved ones (an elective replaced, or not), and text ids with trailing
    spaces (the NAT writer strips them; finalise_frame's frames must too)."""
    n = draw(st.integers(0, max_units))
    ids = [f"U{i + 1:03d}" for i in range(n)]
    if n >= 2 and draw(st.integers(0, 5)) == 0:
        ids[-1] = ids[0]
    ids = [sid + draw(_rarely("", st.just(" "), one_in=2)) if draw(st.integers(0, 9)) == 0 else sid for sid in ids]
    units = [draw(edge_units(sid, event_date, outcomes)) for sid in ids]
    if n >= 2 and ids[-1] == ids[0]:
        how = draw(st.sampled_from(("duplicate", "fail then pass", "as drawn")))
        if how == "duplicate":  # the same subject on the same start: ambiguous
            units[-1] = attrs.evolve(units[-1], start_date=units[0].start_date, end_date=units[0].end_date)
        elif how == "fail then pass":  # the earlier attempt not achieved, the later one achieved
            first, last = sorted((0, n - 1), key=lambda i: units[i].start_date)
            units[first] = attrs.evolve(units[first], outcome=draw(st.sampled_from(FAILED_OUTCOMES)))
            units[last] = attrs.evolve(units[last], outcome=draw(st.sampled_from(("20", "51", "60", "81"))))
    if n >= 2 and draw(st.integers(0, 7)) == 0:  # withdrawn: replaced by an achieved elective when one starts later
        units[0] = attrs.evolve(units[0], outcome="40")
    return ProgramEnrolment(
        training_organisation_id=draw(st.sampled_from(("90001", "90001 "))),
        client_id=draw(st.sampled_from(("TESTCL01", "TESTCL01", "TESTCL01 "))),
        program_id=draw(st.sampled_from(("BSB40120", None, "BSB40120 "))),
        commitment_id=draw(st.sampled_from(("C000999999", None, "C000999999 "))),
        units=units,
    )


@st.composite
def edge_events(draw: st.DrawFn, enrolment: ProgramEnrolment, date: datetime.date, kind: str) -> Event:
    """A completion, withdrawal (any status, hours to date for some units, 0 and 1 included) or deferral (no
    resumption, resumption on, before or after the deferral date) on ``date``."""
    if kind == "completion":
        issued = draw(st.booleans())
        return Completion(
            date=date,
            credential_issued=issued,
            parchment_number=draw(st.sampled_from((None, "TEST-0001"))),
            parchment_issue_date=draw(st.sampled_from((None, date))),
        )
    if kind == "withdrawal":
        sids = sorted({u.subject_id for u in enrolment.units})
        chosen = draw(st.lists(st.sampled_from(sids), unique=True)) if sids else []
        if draw(st.integers(0, 5)) == 0:  # hours for a subject not enrolled: warned and ignored (F-WITHDRAW)
            chosen.append("NOTENROLLED")
        hours = {sid: draw(st.sampled_from((0, 1, 40)) | st.integers(0, 300)) for sid in chosen}
        return Withdrawal(
            date=date,
            status=draw(st.sampled_from(list(WithdrawalStatus))),
            hours_attended=hours,
            reason=draw(st.sampled_from((None, "TEST REASON"))),
        )
    resume = draw(st.none() | _rarely(date, st.sampled_from((date - DAY, date + DAY)) | _near(date), one_in=6))
    return Deferral(date=date, resume_date=resume)


@st.composite
def edge_pairs(draw: st.DrawFn, max_units: int = 5) -> tuple[ProgramEnrolment, Event]:
    """One (enrolment, event) pair, the units placed around the event date. A completion's units mostly carry an
    outcome it accepts (else nearly every completion would be refused)."""
    date = draw(event_dates)
    kind = draw(st.sampled_from(("completion", "withdrawal", "deferral")))
    outcomes = COMPLETION_OUTCOMES if kind == "completion" else OUTCOMES
    enrolment = draw(edge_enrolments(date, max_units, outcomes))
    return enrolment, draw(edge_events(enrolment, date, kind))


@st.composite
def edge_cases(
    draw: st.DrawFn, max_pairs: int = 4
) -> tuple[list[tuple[ProgramEnrolment, Event]], Profile, datetime.date]:
    """Several pairs, a profile, and a reporting date on or beside an event date or a unit's end date (so the
    "final outcome after the reporting date" and "completion after the reporting date" refusals are reached both
    ways), or well after everything."""
    pairs = draw(st.lists(edge_pairs(), max_size=max_pairs))
    anchors = [ev.date for _, ev in pairs] + [u.end_date for e, _ in pairs for u in e.units]
    later = st.just(LAST + 400 * DAY)
    near = st.sampled_from(anchors).flatmap(lambda d: st.sampled_from((d - DAY, d, d + DAY))) if anchors else later
    rd = draw(st.integers(0, 2).flatmap(lambda n: near if n == 0 else later))
    return pairs, draw(st.sampled_from(PROFILES)), rd
