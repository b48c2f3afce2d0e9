"""Property tests: every rule of finalisation.md, for any enrolment and event (rule IDs in each test's name/doc)."""

from __future__ import annotations

import datetime

import attrs
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.model import Completion, Deferral, EnrolmentStatus, ProgramEnrolment, UnitEnrolment, Withdrawal
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.attempts import achieved_later, replaced_elective
from avetmiss_finalise.outcomes.codes import ACHIEVED, FINAL
from avetmiss_finalise.outcomes.commenced import has_commenced
from avetmiss_finalise.profiles import get_profile
from tests.strategies.model import (
    REPORTING_DATE,
    completions,
    dates,
    deferrals,
    events,
    program_enrolments,
    withdrawals,
)

NSW = get_profile("nsw")
OMIT = attrs.evolve(NSW, unstarted_units="omit")
profiles = st.sampled_from(["national", "nsw", OMIT])


@st.composite
def withdrawn(draw: st.DrawFn) -> tuple[ProgramEnrolment, Withdrawal]:
    e = draw(program_enrolments())
    return e, draw(withdrawals(tuple(u.subject_id for u in e.units)))


@st.composite
def any_pair(draw: st.DrawFn) -> tuple[ProgramEnrolment, Completion | Withdrawal | Deferral]:
    e = draw(program_enrolments())
    return e, draw(events(e))


def _hours_to_date(e: ProgramEnrolment, w: Withdrawal, sid: str) -> int | None:
    unit = next(u for u in e.units if u.subject_id == sid)
    return w.hours_attended.get(sid, unit.hours_attended)


@given(withdrawn(), profiles)
def test_f_withdraw_commenced_units_end_on_withdrawal_date_with_40(pair, profile) -> None:
    """F-WITHDRAW-COMMENCED: a commenced unit without a final outcome → 40, end = withdrawal date, hours to date."""
    e, w = pair
    r = finalise(e, w, profile, reporting_date=REPORTING_DATE)
    assert r.ok
    for before, after in zip(e.units, r.enrolment.units, strict=True):
        hours = _hours_to_date(e, w, before.subject_id)
        if before.outcome not in FINAL and has_commenced(before, w.date, hours):
            assert after.outcome == "40"
            assert after.end_date == w.date
            assert after.hours_attended == hours
            assert after.start_date <= after.end_date


@given(withdrawn(), profiles)
def test_f_withdraw_not_commenced_units_are_never_40_and_never_carry_hours(pair, profile) -> None:
    """F-WITHDRAW-NOT-COMMENCED: unstarted units are never 40, carry 0 hours, dates after the withdrawal date."""
    e, w = pair
    prof = get_profile(profile)
    r = finalise(e, w, prof, reporting_date=REPORTING_DATE)
    rows = {row.subject_id: row for row in r.nat00120}
    for before, after, d in zip(e.units, r.enrolment.units, r.decisions, strict=True):
        if d.rule_id != "F-WITHDRAW-NOT-COMMENCED":
            continue
        assert before.outcome not in FINAL
        assert not has_commenced(before, w.date, _hours_to_date(e, w, before.subject_id))
        assert (before.start_date >= w.date or before.outcome == "85") and not _hours_to_date(e, w, before.subject_id)
        assert after.outcome != "40" and after.hours_attended == 0
        assert after.start_date > w.date and after.end_date > w.date
        if prof.unstarted_units == "report_85":
            assert rows[before.subject_id].outcome_national == "85" and d.reported
        else:
            assert before.subject_id not in rows and not d.reported


@given(withdrawn(), profiles)
def test_f_withdraw_final_outcomes_are_kept(pair, profile) -> None:
    """F-WITHDRAW: a unit that already has a final outcome is returned unchanged, status follows the event; hours
    to date given for it that differ from its own are not applied silently but warned about."""
    e, w = pair
    r = finalise(e, w, profile, reporting_date=REPORTING_DATE)
    assert r.status == EnrolmentStatus(w.status.value)
    ignored = {i.message.split(":")[0].removeprefix("unit ") for i in r.issues if "ignored: the unit" in i.message}
    for before, after in zip(e.units, r.enrolment.units, strict=True):
        if before.outcome in FINAL:
            assert after == before
            given = w.hours_attended.get(before.subject_id)
            assert (before.subject_id in ignored) == (given is not None and given != before.hours_attended)


@given(withdrawn())
def test_f_to_tnc_on_every_row_under_nsw_and_never_nationally(pair) -> None:
    """F-TO-TNC: every NAT00120 row of a withdrawn enrolment carries TNC under nsw, blank under national."""
    e, w = pair
    nsw = finalise(e, w, "nsw", reporting_date=REPORTING_DATE)
    national = finalise(e, w, "national", reporting_date=REPORTING_DATE)
    assert nsw.training_organisation_outcome == "TNC"
    assert all(row.outcome_training_organisation == "TNC" for row in nsw.nat00120)
    assert all(row.outcome_training_organisation is None for row in national.nat00120)
    odd = any(row.outcome_national not in {"40", "85"} for row in nsw.nat00120)
    assert odd == any(i.rule_id == "NSW-TO-02" for i in nsw.issues)  # F-TO-TNC's warning, under the validator's ID


@given(program_enrolments(), deferrals(), profiles)
def test_f_defer_moves_unfinished_units_to_the_future_with_no_hours(e, d, profile) -> None:
    """F-DEFER: units without a final outcome → 85 (or omitted), start on/after resumption (else after deferral),
    hours 0; dropped hours are warned about and kept in the decision."""
    prof = get_profile(profile)
    r = finalise(e, d, prof, reporting_date=REPORTING_DATE)
    assert r.ok and r.status is EnrolmentStatus.DEFERRED
    earliest = d.resume_date or d.date + datetime.timedelta(days=1)
    warned = {i.message.split(":")[0].removeprefix("unit ") for i in r.issues if i.rule_id == "F-DEFER"}
    for before, after, dec in zip(e.units, r.enrolment.units, r.decisions, strict=True):
        if before.outcome in FINAL:
            assert after == before
            continue
        if prof.requires_commitment_id and has_commenced(before, d.date):
            # NSW: a commenced unit keeps its start date (never later than the deferral) and its hours: 70.
            assert after.outcome == "70" and after.start_date == min(before.start_date, d.date)
            assert after.end_date >= earliest and after.hours_attended == before.hours_attended
            continue
        assert after.outcome == ("85" if prof.unstarted_units == "report_85" else "00")
        assert after.start_date >= earliest and after.end_date >= after.start_date
        assert after.hours_attended == 0
        assert (after.end_date - after.start_date) == max(before.end_date - before.start_date, datetime.timedelta(0))
        if before.hours_attended:
            assert before.subject_id in warned
            assert any(c.field == "hours_attended" and c.before == before.hours_attended for c in dec.changes)


@given(program_enrolments(), deferrals())
def test_f_to_d_on_every_row_under_nsw(e, d) -> None:
    """F-TO-D: every NAT00120 row of a deferred enrolment carries D under nsw, blank under national."""
    nsw = finalise(e, d, "nsw", reporting_date=REPORTING_DATE)
    national = finalise(e, d, "national", reporting_date=REPORTING_DATE)
    assert nsw.training_organisation_outcome == "D"
    assert all(row.outcome_training_organisation == "D" for row in nsw.nat00120)
    assert all(row.outcome_training_organisation is None for row in national.nat00120)


@given(program_enrolments(), completions())
def test_f_complete_refuses_exactly_the_units_without_an_achieved_outcome(e, c) -> None:
    """F-COMPLETE: refused (naming each unit) when a unit is not achieved — nor an earlier attempt of a subject
    achieved later, nor a replaced withdrawn elective (outcomes/attempts.py) — or starts after the completion date."""
    r = finalise(e, c, "national", reporting_date=REPORTING_DATE)

    def counted(u: UnitEnrolment) -> bool:
        return u.outcome in ACHIEVED or u.outcome == "61" or achieved_later(u, e.units) or replaced_elective(u, e.units)

    bad = {u.subject_id for u in e.units if not counted(u) or u.start_date > c.date}
    if bad or not e.units:
        assert not r.ok and r.refusal is not None
        assert set(r.refusal.subject_ids) == bad
        assert r.enrolment == e and r.nat00120 == () and r.nat00130 is None and r.tasks == ()
    else:
        assert r.ok


@given(program_enrolments(min_units=1, outcomes=("20", "51", "60", "81")), completions(), st.booleans())
def test_f_complete_status_nat00130_and_end_dates(e, c, nsw) -> None:
    """F-COMPLETE: Completed once the credential is issued, else Completion Pending; NAT00130 date and flag follow;
    no end date after the completion date, and every clamp is a recorded change with a warning."""
    c = attrs.evolve(c, date=max(c.date, max(u.start_date for u in e.units)))
    r = finalise(e, c, "nsw" if nsw else "national", reporting_date=REPORTING_DATE)
    assert r.ok
    assert r.status is (EnrolmentStatus.COMPLETED if c.credential_issued else EnrolmentStatus.COMPLETION_PENDING)
    assert all(u.end_date <= c.date for u in r.enrolment.units)
    assert r.training_organisation_outcome is None
    if e.program_id is None:
        assert r.nat00130 is None
    else:
        assert r.nat00130 is not None
        assert r.nat00130.date_program_completed == c.date
        assert r.nat00130.issued_flag == ("Y" if c.credential_issued else "N")
    clamped = [d for d in r.decisions if any(ch.field == "end_date" for ch in d.changes)]
    assert len(clamped) == sum(1 for i in r.issues if i.rule_id == "F-COMPLETE" and i.field == "end_date")
    assert len(clamped) == sum(1 for u in e.units if u.end_date > c.date)


@given(any_pair())
def test_f_after_tasks_follow_the_event(pair) -> None:
    """F-AFTER: survey (+ credential when not issued) on completion; access, inactive and unenrolment checks on
    completion and withdrawal; resumption planning on deferral; nothing when refused."""
    e, ev = pair
    r = finalise(e, ev, "national", reporting_date=REPORTING_DATE)
    kinds = [t.kind for t in r.tasks]
    assert all(t.rule_id == "F-AFTER" for t in r.tasks)
    if not r.ok:
        assert kinds == []
    elif isinstance(ev, Completion):
        assert "survey" in kinds and ("credential" in kinds) == (not ev.credential_issued)
        assert {"disable_access", "mark_inactive", "check_unenrolment"} <= set(kinds)
    elif isinstance(ev, Withdrawal):
        assert kinds == ["disable_access", "mark_inactive", "check_unenrolment"]
    else:
        assert kinds == ["plan_resumption", "disable_access"]


@given(any_pair(), profiles)
def test_idempotent_finalising_the_result_again_changes_nothing(pair, profile) -> None:
    """Properties: finalise(result.enrolment, same event) returns the same enrolment, rows and no changes."""
    e, ev = pair
    r = finalise(e, ev, profile, reporting_date=REPORTING_DATE)
    again = finalise(r.enrolment, ev, profile, reporting_date=REPORTING_DATE)
    if r.ok:
        assert again.ok
        assert again.enrolment == r.enrolment
        assert again.nat00120 == r.nat00120 and again.nat00130 == r.nat00130
        assert all(d.changes == () for d in again.decisions)
    else:
        assert again == r


@given(any_pair(), profiles)
def test_deterministic(pair, profile) -> None:
    """Properties: the same input always gives the same result."""
    e, ev = pair
    assert finalise(e, ev, profile, reporting_date=REPORTING_DATE) == finalise(
        e, ev, profile, reporting_date=REPORTING_DATE
    )


@given(any_pair(), profiles, dates)
def test_no_row_carries_00_end_before_start_or_a_final_outcome_after_the_reporting_date(pair, profile, rd) -> None:
    """Properties: no NAT row ever carries 00, an end before its start, or a final outcome after the reporting
    date (such enrolments are refused instead); hours attended never exceed what was attended."""
    e, ev = pair
    r = finalise(e, ev, profile, reporting_date=rd)
    attended = {u.subject_id: u.hours_attended or 0 for u in e.units}
    if isinstance(ev, Withdrawal):  # hours to date replace a unit's own, except where its final outcome is kept
        final = {u.subject_id for u in e.units if u.outcome in FINAL}
        attended.update({sid: h for sid, h in ev.hours_attended.items() if sid not in final})
    for row in r.nat00120:
        assert row.outcome_national != "00"
        assert row.activity_start_date is not None and row.activity_end_date is not None
        assert row.activity_end_date >= row.activity_start_date
        assert not (row.outcome_national in FINAL and row.activity_end_date > rd)
        assert (row.hours_attended or 0) <= attended[row.subject_id or ""]


@given(any_pair(), profiles)
def test_nothing_is_lost_every_unit_has_a_decision_that_restores_the_original(pair, profile) -> None:
    """Properties: each unit has one decision, and its changes' before-values give back the original unit."""
    e, ev = pair
    r = finalise(e, ev, profile, reporting_date=REPORTING_DATE)
    assert [d.subject_id for d in r.decisions] == [u.subject_id for u in e.units] or not r.decisions
    if not r.ok:
        return
    for before, after, d in zip(e.units, r.enrolment.units, r.decisions, strict=True):
        restored = after
        for ch in d.changes:
            value = ch.before
            if ch.field.endswith("_date"):
                assert isinstance(value, str)
                value = datetime.date.fromisoformat(value)
            restored = attrs.evolve(restored, **{ch.field: value})
        assert restored == before
