"""finalise() pinned exactly: every refusal and warning by rule ID, field and value, both ways (fires when broken,
silent when not), on both sides of each boundary, for every outcome code. These are the cases mutation testing
(``scripts/mutate.py avetmiss_finalise/outcomes``) found only loosely asserted elsewhere.
"""

from __future__ import annotations

import datetime

import attrs
import pytest

from avetmiss_finalise.code_lists import FEE_PAYING_FUNDING, codes
from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    ProgramEnrolment,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)
from avetmiss_finalise.outcomes import FinalisationResult, finalise, national_outcome, training_organisation_outcome
from avetmiss_finalise.outcomes.codes import ACHIEVED, FINAL, KNOWN, NON_FINAL, RECOGNITION
from avetmiss_finalise.outcomes.withdrawal import has_commenced
from avetmiss_finalise.profiles import get_profile

D = datetime.date
DAY = datetime.timedelta(days=1)
REPORTING = D(2026, 12, 31)
ON = D(2026, 6, 15)
START, END = D(2026, 5, 1), D(2026, 7, 31)
ALL_FINAL = ("20", "30", "40", "41", "51", "52", "53", "54", "60", "61", "81", "82")


def unit(
    sid: str = "A",
    start: D = START,
    end: D = END,
    outcome: str | None = "70",
    hours: int | None = 5,
    sched: int | None = 40,
    **kw: object,
) -> UnitEnrolment:
    return UnitEnrolment(
        subject_id=sid,
        delivery_location_id="MAIN01",
        start_date=start,
        end_date=end,
        outcome=outcome,
        hours_attended=hours,
        scheduled_hours=sched,
        **kw,  # type: ignore[arg-type]
    )


def enrolment(*units: UnitEnrolment, program: str | None = "BSB40120", cid: str | None = "C1") -> ProgramEnrolment:
    return ProgramEnrolment(
        training_organisation_id="90001", client_id="TESTCL01", program_id=program, units=units, commitment_id=cid
    )


def issues(r: FinalisationResult, severity: str = "warning") -> list[tuple[str, str | None, str | None]]:
    return [(i.rule_id, i.field, i.value) for i in r.issues if i.severity.label == severity]


def units_of(r: FinalisationResult) -> list[tuple[object, ...]]:
    return [(u.subject_id, u.outcome, u.start_date, u.end_date, u.hours_attended) for u in r.enrolment.units]


def refused(r: FinalisationResult) -> tuple[str, tuple[str, ...], str]:
    assert r.refusal is not None and r.nat00120 == () and r.nat00130 is None and r.tasks == ()
    return r.refusal.rule_id, r.refusal.subject_ids, r.refusal.message


# --- the code sets -------------------------------------------------------------------------------------------------


def test_outcome_classes_are_exactly_the_code_lists() -> None:
    """Every final code (52, 53, 54, 81 and 82 included), the achieved and recognition ones, and the non-final."""
    assert frozenset(ALL_FINAL) == FINAL
    assert frozenset({"20", "51", "53", "60", "81"}) == ACHIEVED
    assert frozenset({"51", "52", "53", "54", "60"}) == RECOGNITION
    assert frozenset({"70", "85"}) == NON_FINAL
    assert KNOWN == FINAL | NON_FINAL
    assert frozenset({"20", "30", "31", "32"}) == FEE_PAYING_FUNDING


# --- F-WITHDRAW ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "commenced"),
    [
        (ON - DAY, None, True),  # the day before the withdrawal: commenced
        (ON - DAY, 0, True),
        (ON, None, False),  # on the withdrawal date with no hours: not commenced
        (ON, 0, False),
        (ON, 1, True),  # one hour attended: commenced
        (ON + DAY, 0, False),
        (ON + DAY, 1, True),
    ],
)
def test_has_commenced_both_sides_of_each_boundary(start: D, hours: int | None, commenced: bool) -> None:
    assert has_commenced(unit(start=start, hours=None), ON, hours) is commenced


@pytest.mark.parametrize("outcome", ALL_FINAL)
def test_withdrawal_keeps_every_final_outcome(outcome: str) -> None:
    u = unit(start=ON + DAY, end=ON + 10 * DAY, outcome=outcome, hours=0)
    r = finalise(enrolment(u), Withdrawal(date=ON), reporting_date=REPORTING)
    assert r.enrolment.units == (u,) and r.decisions[0].rule_id == "F-WITHDRAW" and r.decisions[0].changes == ()
    assert [row.outcome_national for row in r.nat00120] == [outcome]


@pytest.mark.parametrize("outcome", [None, "00", "70", "99"])
def test_withdrawal_finalises_every_unfinished_outcome(outcome: str | None) -> None:
    u = unit(start=ON - DAY, outcome=outcome, hours=3)
    r = finalise(enrolment(u), Withdrawal(date=ON), reporting_date=REPORTING)
    assert units_of(r) == [("A", "40", ON - DAY, ON, 3)]


def test_withdrawal_warnings_exact() -> None:
    """Each F-WITHDRAW warning with its field and value: hours ignored on a final unit, an unknown outcome, a start
    moved back to the withdrawal date, 40 without hours (NSW 1113), hours above scheduled."""
    units = (
        unit("FIN", outcome="20", hours=10),
        unit("UNK", start=ON - DAY, outcome="99", hours=2),
        unit("LATE", start=ON + 5 * DAY, end=ON + 9 * DAY, hours=0),
        unit("NOHRS", start=ON - DAY, hours=None),
        unit("OVER", start=ON - DAY, hours=41, sched=40),
        unit("EXACT", start=ON - DAY, hours=40, sched=40),
    )
    event = Withdrawal(date=ON, hours_attended={"FIN": 12, "LATE": 3, "EXACT": 40})
    r = finalise(enrolment(*units), event, reporting_date=REPORTING)
    assert r.ok
    assert issues(r) == [
        ("F-WITHDRAW", "hours_attended", "12"),
        ("F-WITHDRAW", "outcome", "99"),
        ("F-WITHDRAW-COMMENCED", "start_date", (ON + 5 * DAY).isoformat()),
        ("F-WITHDRAW-COMMENCED", "hours_attended", None),
        ("F-WITHDRAW-COMMENCED", "hours_attended", "41"),
    ]
    assert units_of(r)[2] == ("LATE", "40", ON, ON, 3)


def test_withdrawal_hours_for_a_final_unit_equal_to_its_own_are_not_warned() -> None:
    r = finalise(
        enrolment(unit(outcome="20", hours=10)), Withdrawal(date=ON, hours_attended={"A": 10}), reporting_date=REPORTING
    )
    assert issues(r) == []


def test_withdrawal_hours_for_an_unknown_unit_are_warned_with_its_id() -> None:
    r = finalise(
        enrolment(unit(start=ON - DAY)), Withdrawal(date=ON, hours_attended={"ZZZ": 4}), reporting_date=REPORTING
    )
    assert issues(r) == [("F-WITHDRAW", "hours_attended", "ZZZ")]


def test_withdrawal_not_commenced_units_move_together() -> None:
    """F-WITHDRAW-NOT-COMMENCED: the first unstarted unit starts the day after; the others keep their offsets."""
    a = unit("A", start=ON, end=ON + 4 * DAY, hours=0)
    b = unit("B", start=ON + 10 * DAY, end=ON + 20 * DAY, hours=0)
    r = finalise(enrolment(a, b), Withdrawal(date=ON), reporting_date=REPORTING)
    assert units_of(r) == [("A", "85", ON + DAY, ON + 5 * DAY, 0), ("B", "85", ON + 11 * DAY, ON + 21 * DAY, 0)]
    assert [d.rule_id for d in r.decisions] == ["F-WITHDRAW-NOT-COMMENCED"] * 2


@pytest.mark.parametrize("status", list(WithdrawalStatus))
def test_withdrawal_status_and_to_outcome(status: WithdrawalStatus) -> None:
    event = Withdrawal(date=ON, status=status, reason="MOVED")
    r = finalise(enrolment(unit(start=ON - DAY)), event, "nsw", reporting_date=REPORTING)
    assert r.status is EnrolmentStatus(status.value) and r.enrolment.status_reason == "MOVED"
    assert r.training_organisation_outcome == "TNC" == training_organisation_outcome(r.status, "nsw")
    assert training_organisation_outcome(r.status, "national") is None


def test_tnc_warning_names_the_odd_outcomes_with_field_and_value() -> None:
    kept = unit("K", outcome="20", hours=10)
    quiet = finalise(enrolment(unit(start=ON - DAY)), Withdrawal(date=ON), "nsw", reporting_date=REPORTING)
    loud = finalise(enrolment(kept, unit(start=ON - DAY)), Withdrawal(date=ON), "nsw", reporting_date=REPORTING)
    assert issues(quiet) == []
    # F-TO-TNC's warning, under the validator's rule ID (NSW-TO-02), one per odd unit, naming it (issue #8).
    assert issues(loud) == [("NSW-TO-02", "outcome_training_organisation", "TNC")]
    assert loud.issues[0].message.startswith("unit K:")


@pytest.mark.parametrize("funding", sorted(codes("funding_source_national", ("valid", "unverified"))))
def test_nsw_commitment_id_warning_for_every_funding_source(funding: str) -> None:
    """NSW-CID-01 before finalising: rows of publicly funded units without a Commitment ID are warned about; the
    fee-paying sources (20, 30, 31, 32) are not; a Commitment ID or the national profile silences it."""
    e = enrolment(unit(start=ON - DAY, funding_source_national=funding), cid=None)
    warned = [("NSW-CID-01", "commitment_id", None)]
    expected = [] if funding in {"20", "30", "31", "32"} else warned
    # An error, as the validator's NSW-CID-01 is (rule_severity.py); the enrolment is still finalised.
    assert issues(finalise(e, Withdrawal(date=ON), "nsw", reporting_date=REPORTING), "error") == expected
    assert (
        issues(finalise(attrs.evolve(e, commitment_id="C1"), Withdrawal(date=ON), "nsw", reporting_date=REPORTING))
        == []
    )
    assert issues(finalise(e, Withdrawal(date=ON), "national", reporting_date=REPORTING)) == []


# --- F-COMPLETE ----------------------------------------------------------------------------------------------------


def complete(*units: UnitEnrolment, date: D = ON, issued: bool = True, **kw: object) -> FinalisationResult:
    event = Completion(date=date, credential_issued=issued, **kw)  # type: ignore[arg-type]
    return finalise(enrolment(*units), event, reporting_date=REPORTING)


@pytest.mark.parametrize("outcome", sorted(ACHIEVED))
def test_completion_accepts_every_achieved_outcome(outcome: str) -> None:
    r = complete(unit(end=ON, outcome=outcome, hours=40))
    assert r.ok and r.status is EnrolmentStatus.COMPLETED
    expected = [("F-COMPLETE", "outcome", "53")] if outcome == "53" else []
    assert issues(r) == expected


@pytest.mark.parametrize("outcome", [None, "00", "30", "40", "41", "52", "54", "70", "82", "85", "99"])
def test_completion_refuses_every_outcome_that_is_not_achieved(outcome: str | None) -> None:
    # B starts before A: A is neither an earlier attempt of an achieved subject nor a replaced elective (a 40
    # beside an achieved unit starting on or after it is accepted with a warning; tests/outcomes/test_attempts.py).
    b = unit("B", start=START - datetime.timedelta(days=1), end=ON, outcome="20", hours=40)
    r = complete(unit(end=ON, outcome=outcome, hours=40), b)
    shown = "no outcome" if outcome is None else f"outcome {outcome}"
    message = f"A: {shown} is not a final achieved outcome (20, 51, 53, 60, 81)"
    if outcome == "00":  # the internal code is also caught by the last line of defence before a row
        message += "; A: internal outcome 00 would be reported"
    assert refused(r) == ("F-COMPLETE", ("A",), message)
    assert issues(r, "error") == [("F-COMPLETE", None, "A")] * (2 if outcome == "00" else 1)
    assert r.status is EnrolmentStatus.ACTIVE and r.enrolment == enrolment(*r.enrolment.units)


def test_completion_61_is_accepted_with_a_warning() -> None:
    r = complete(unit(end=ON, outcome="61", hours=40))
    assert r.ok and issues(r) == [("F-COMPLETE", "outcome", "61")]


@pytest.mark.parametrize(
    ("hours", "sched", "warned"), [(40, 40, False), (41, 40, True), (None, 40, False), (41, None, False), (0, 0, False)]
)
def test_completion_hours_above_scheduled_boundary(hours: int | None, sched: int | None, warned: bool) -> None:
    r = complete(unit(end=ON, outcome="20", hours=hours, sched=sched))
    assert r.ok and issues(r) == ([("F-COMPLETE", "hours_attended", str(hours))] if warned else [])


@pytest.mark.parametrize(
    ("start", "end", "result"),
    [
        (ON, ON, "ok"),  # starts and ends on the completion date
        (ON - DAY, ON + DAY, "clamped"),  # ends a day later: end set to the completion date, warned
        (ON, ON + DAY, "clamped"),
        (ON + DAY, ON + DAY, "refused"),  # starts after the completion date: refused
    ],
)
def test_completion_date_boundaries(start: D, end: D, result: str) -> None:
    r = complete(unit(start=start, end=end, outcome="20", hours=40))
    if result == "refused":
        assert refused(r) == (
            "F-COMPLETE",
            ("A",),
            f"A: starts {start.isoformat()}, after the completion date {ON.isoformat()}",
        )
        return
    assert r.ok and [row.activity_end_date for row in r.nat00120] == [min(end, ON)]
    if result == "clamped":
        assert issues(r) == [("F-COMPLETE", "end_date", end.isoformat())]
        assert [(c.field, c.before, c.after) for c in r.decisions[0].changes] == [
            ("end_date", end.isoformat(), ON.isoformat())
        ]
    else:
        assert issues(r) == [] and r.decisions[0].changes == ()


@pytest.mark.parametrize(("date", "ok"), [(REPORTING, True), (REPORTING + DAY, False)])
def test_completion_on_and_after_the_reporting_date(date: D, ok: bool) -> None:
    r = complete(unit(start=ON, end=ON, outcome="20", hours=40), date=date)
    if ok:
        assert r.ok and r.nat00130 is not None and r.nat00130.date_program_completed == date
    else:
        assert refused(r) == (
            "F-COMPLETE",
            (),
            f"completion date {date.isoformat()} is after the reporting date {REPORTING.isoformat()}",
        )


def test_completion_without_units_is_refused() -> None:
    assert refused(complete()) == ("F-COMPLETE", (), "no unit enrolments: nothing shows the program was completed")


@pytest.mark.parametrize(
    ("issued", "number", "date", "warned"),
    [(True, "P1", ON, False), (False, None, None, False), (False, "P1", None, True), (False, None, ON, True)],
)
def test_completion_parchment_warning(issued: bool, number: str | None, date: D | None, warned: bool) -> None:
    r = complete(
        unit(start=ON, end=ON, outcome="20", hours=40),
        issued=issued,
        parchment_number=number,
        parchment_issue_date=date,
    )
    assert r.ok and r.status is (EnrolmentStatus.COMPLETED if issued else EnrolmentStatus.COMPLETION_PENDING)
    assert issues(r) == ([("F-COMPLETE", "credential_issued", None)] if warned else [])
    assert r.nat00130 is not None and r.nat00130.issued_flag == ("Y" if issued else "N")
    assert r.nat00130.parchment_number == number and r.nat00130.parchment_issue_date == date


def test_completion_of_a_subject_only_enrolment_has_no_nat00130() -> None:
    r = finalise(
        enrolment(unit(start=ON, end=ON, outcome="20"), program=None), Completion(date=ON), reporting_date=REPORTING
    )
    assert r.ok and r.nat00130 is None and [row.program_id for row in r.nat00120] == [None]
    assert [row.commencing_program_id for row in r.nat00120] == ["8"]


# --- F-DEFER -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ALL_FINAL)
def test_deferral_keeps_every_final_outcome(outcome: str) -> None:
    u = unit(outcome=outcome, hours=5)
    r = finalise(enrolment(u), Deferral(date=ON), reporting_date=REPORTING)
    assert r.enrolment.units == (u,) and issues(r) == [] and r.decisions[0].changes == ()


@pytest.mark.parametrize(("hours", "warned"), [(None, False), (0, False), (1, True)])
def test_deferral_dropped_hours_warning(hours: int | None, warned: bool) -> None:
    r = finalise(
        enrolment(unit(start=ON + DAY, end=ON + 5 * DAY, hours=hours)), Deferral(date=ON), reporting_date=REPORTING
    )
    assert units_of(r) == [("A", "85", ON + DAY, ON + 5 * DAY, 0)]
    # Without a period the 85 moves past the deferral only: V-120-08 names it (validated for 2026 it has started).
    unscoped = [("V-120-08", "start_date", (ON + DAY).isoformat())]
    assert issues(r) == ([("F-DEFER", "hours_attended", str(hours))] if warned else []) + unscoped


@pytest.mark.parametrize(("resume", "ok"), [(ON, False), (ON - DAY, False), (ON + DAY, True)])
def test_deferral_resumption_must_be_after_the_deferral(resume: D, ok: bool) -> None:
    r = finalise(
        enrolment(unit(start=ON + DAY, end=ON + 5 * DAY, hours=0)),
        Deferral(date=ON, resume_date=resume),
        reporting_date=REPORTING,
    )
    if ok:
        assert r.ok and r.status is EnrolmentStatus.DEFERRED
    else:
        assert refused(r) == (
            "F-DEFER",
            (),
            f"resumption date {resume.isoformat()} is not after the deferral date {ON.isoformat()}",
        )


def test_deferral_to_outcome_is_d_under_nsw_only() -> None:
    r = finalise(enrolment(unit()), Deferral(date=ON), "nsw", reporting_date=REPORTING)
    assert r.training_organisation_outcome == "D" and {row.outcome_training_organisation for row in r.nat00120} == {"D"}
    assert training_organisation_outcome(EnrolmentStatus.DEFERRED, "nsw") == "D"
    assert training_organisation_outcome(EnrolmentStatus.COMPLETED, "nsw") is None


# --- the engine's row properties -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("rd", "ok"), [(ON, True), (ON - DAY, False)])
def test_final_outcome_may_end_on_the_reporting_date_not_after(rd: D, ok: bool) -> None:
    r = finalise(enrolment(unit(start=ON - 5 * DAY, hours=3)), Withdrawal(date=ON), reporting_date=rd)
    if ok:
        assert r.ok and [row.activity_end_date for row in r.nat00120] == [ON]
    else:
        assert refused(r) == (
            "F-WITHDRAW",
            ("A",),
            f"A: final outcome 40 would end {ON.isoformat()}, after the reporting date {rd.isoformat()}",
        )


def test_input_problems_are_refused_naming_each_unit() -> None:
    bad = unit("A", start=ON, end=ON - DAY)
    twice = unit("B", start=ON - DAY)
    r = finalise(enrolment(bad, twice, twice), Withdrawal(date=ON), reporting_date=REPORTING)
    rule, subjects, message = refused(r)
    assert (rule, subjects) == ("F-WITHDRAW", ("A", "B"))
    assert message == (
        f"A: end date {(ON - DAY).isoformat()} is before start date {ON.isoformat()}; "
        f"B: subject appears more than once in the enrolment with start date {(ON - DAY).isoformat()}"
    )
    assert issues(r, "error") == [("F-WITHDRAW", None, "A"), ("F-WITHDRAW", None, "B")]


def test_national_outcome_per_event() -> None:
    u = unit(start=ON - DAY, hours=2)
    assert national_outcome(u, Withdrawal(date=ON)) == "40"
    assert national_outcome(attrs.evolve(u, start_date=ON, hours_attended=0), Withdrawal(date=ON)) == "85"
    omit = attrs.evolve(get_profile("nsw"), unstarted_units="omit")
    assert national_outcome(attrs.evolve(u, start_date=ON, hours_attended=0), Withdrawal(date=ON), profile=omit) is None
    assert national_outcome(u, Deferral(date=ON)) == "85"
    assert national_outcome(attrs.evolve(u, outcome="20"), Completion(date=ON)) == "20"


@pytest.mark.parametrize(("start", "warned"), [(ON, False), (ON + DAY, True)])
def test_start_moved_warning_only_for_a_start_after_the_event(start: D, warned: bool) -> None:
    """F-WITHDRAW-COMMENCED and (NSW) F-DEFER: a unit with hours that starts *after* the event date has its start
    moved to it, with a warning (field start_date, the old start); one starting on the date is left alone."""
    u = unit(start=start, end=start + 10 * DAY, hours=3)
    withdrawn = finalise(enrolment(u), Withdrawal(date=ON), reporting_date=REPORTING)
    expected = [("F-WITHDRAW-COMMENCED", "start_date", start.isoformat())] if warned else []
    assert issues(withdrawn) == expected
    deferred = finalise(enrolment(u), Deferral(date=ON), "nsw", reporting_date=REPORTING)
    # Without a period the kept 70 ends inside 2026: V-120-03 names it.
    unscoped = [("V-120-03", "end_date", (start + 10 * DAY).isoformat())]
    # A warning, though an error in the registry: without a period the collection is a guess (rule_severity.py).
    assert issues(deferred) == ([("F-DEFER", "start_date", start.isoformat())] if warned else []) + unscoped
    assert [(x.outcome, x.start_date) for x in deferred.enrolment.units] == [("70", ON)]
