"""Property tests of the rule IDs issue #8 added to finalisation: F-REFINALISE and F-PRIOR-YEAR (V-120-04 without
a period), both ways."""

from __future__ import annotations

import datetime

from hypothesis import assume, given
from hypothesis import strategies as st

from avetmiss_finalise.model import Completion, Deferral, EnrolmentStatus, Withdrawal
from avetmiss_finalise.outcomes import finalise
from tests.outcomes.test_properties import any_pair, profiles
from tests.strategies.model import REPORTING_DATE, events

Event = Completion | Withdrawal | Deferral


@given(any_pair(), profiles)
def test_F_REFINALISE_silent_when_the_same_event_finalises_again(pair, profile) -> None:
    """F-REFINALISE silent: the same event on its own result changes nothing (kept, same rows)."""
    e, ev = pair
    first = finalise(e, ev, profile, reporting_date=REPORTING_DATE)
    assume(first.ok)
    again = finalise(first.enrolment, ev, profile, reporting_date=REPORTING_DATE)
    assert not any(i.rule_id == "F-REFINALISE" for i in again.issues)
    assert again.ok and again.enrolment == first.enrolment and again.nat00120 == first.nat00120


@given(any_pair(), profiles, st.data())
def test_F_REFINALISE_fires_when_a_different_event_follows_a_final_one(pair, profile, data) -> None:
    """F-REFINALISE fires: after a completion or withdrawal, a different event (another date, status or kind) is
    refused and the first result is returned unchanged, with no rows."""
    e, ev = pair
    assume(not isinstance(ev, Deferral))  # a deferred learner may still resume, withdraw or complete
    first = finalise(e, ev, profile, reporting_date=REPORTING_DATE)
    assume(first.ok)
    other: Event = data.draw(events(first.enrolment))
    same_kind = type(other) is type(ev) and getattr(other, "status", None) == getattr(ev, "status", None)
    pending_completed = isinstance(ev, Completion) and isinstance(other, Completion) and not ev.credential_issued
    assume(not ((same_kind or pending_completed) and other.date == ev.date))
    again = finalise(first.enrolment, other, profile, reporting_date=REPORTING_DATE)
    assert again.refusal is not None and again.refusal.rule_id == "F-REFINALISE"
    assert any(i.rule_id == "F-REFINALISE" for i in again.issues)
    assert again.enrolment == first.enrolment and again.nat00120 == () and again.status == first.status


@given(any_pair(), profiles, st.integers(2025, 2029))
def test_F_PRIOR_YEAR_names_each_row_of_an_earlier_collection_year(pair, profile, year) -> None:
    """Both ways: without a period a V-120-04 warning names a reported unit exactly when its row ended before the
    reporting date's year; with the period of that year such a row is left out of the collection (F-PRIOR-YEAR)."""
    e, ev = pair
    reporting = datetime.date(year, 12, 31)
    r = finalise(e, ev, profile, reporting_date=max(reporting, REPORTING_DATE))
    assume(r.ok)
    r = finalise(e, ev, profile, reporting_date=reporting)
    assume(r.ok)
    named = {i.message.split(":")[0].removeprefix("unit ") for i in r.issues if i.rule_id == "V-120-04"}
    expected = {
        u.subject_id
        for u, d in zip(r.enrolment.units, r.decisions, strict=True)
        if d.reported and u.end_date.year < year
    }
    assert named == expected
    scoped = finalise(e, ev, profile, reporting_date=reporting, period=year)
    if scoped.ok:
        assert all(row.activity_end_date >= datetime.date(year, 1, 1) for row in scoped.nat00120)
        left_out = {
            d.subject_id for d in scoped.decisions if not d.reported and "left out of this collection" in d.reason
        }
        assert left_out <= {i.message.split(":")[0].removeprefix("unit ") for i in scoped.issues}
    assert r.status is not EnrolmentStatus.ACTIVE
