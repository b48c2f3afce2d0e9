"""Examples: the cases the provider workflow ("How to finalise a learner") spells out, one test each."""

from __future__ import annotations

import datetime
import importlib.util
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.jsonio import parse_input
from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    ProgramEnrolment,
    Transition,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)
from avetmiss_finalise.outcomes import finalise, national_outcome, training_organisation_outcome
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.transition import plan_transition

D = datetime.date
REPORTING = D(2026, 12, 31)
ROOT = Path(__file__).resolve().parents[2]


def unit(sid: str, start: str, end: str, outcome: str | None = "70", hours: int | None = 0, sched: int = 40):
    return UnitEnrolment(
        subject_id=sid,
        delivery_location_id="MAIN01",
        start_date=D.fromisoformat(start),
        end_date=D.fromisoformat(end),
        outcome=outcome,
        hours_attended=hours,
        scheduled_hours=sched,
    )


def enrolment(*units: UnitEnrolment, program: str | None = "BSB40120") -> ProgramEnrolment:
    return ProgramEnrolment(
        training_organisation_id="90001", client_id="TESTCL01", program_id=program, units=units, commitment_id="C1"
    )


WITHDRAW = Withdrawal(date=D(2026, 6, 15), hours_attended={"A": 12})


def test_withdrawal_commenced_unit_gets_40_withdrawal_end_date_and_hours_to_date() -> None:
    """Workflow 2a: UE.StartDate < withdraw date → OC 40, end date = withdraw date, actual hours = hours to date."""
    r = finalise(enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5)), WITHDRAW, reporting_date=REPORTING)
    (a,) = r.enrolment.units
    assert (a.outcome, a.end_date, a.hours_attended) == ("40", D(2026, 6, 15), 12)
    assert r.decisions[0].rule_id == "F-WITHDRAW-COMMENCED"


def test_withdrawal_unstarted_unit_reports_85_with_dates_after_and_no_hours() -> None:
    """Workflow 2b: UE.StartDate > withdraw date → internal 00 (reported 85), dates after, 0 hours."""
    r = finalise(enrolment(unit("B", "2026-08-01", "2026-09-30")), WITHDRAW, reporting_date=REPORTING)
    (b,) = r.nat00120
    assert (b.outcome_national, b.activity_start_date, b.hours_attended) == ("85", D(2026, 8, 1), 0)
    assert "internal outcome 00" in r.decisions[0].reason


def test_unit_starting_on_the_withdrawal_date_without_hours_has_not_commenced() -> None:
    """Our decision: start date == withdrawal date and no hours → not commenced; dates move to the next day."""
    r = finalise(enrolment(unit("B", "2026-06-15", "2026-06-30")), WITHDRAW, reporting_date=REPORTING)
    (b,) = r.enrolment.units
    assert (b.outcome, b.start_date, b.end_date) == ("85", D(2026, 6, 16), D(2026, 7, 1))


def test_hours_attended_make_a_unit_commenced_even_when_it_starts_later() -> None:
    """Hours attended > 0 mean commenced: 40, and the start moves to the withdrawal date with a warning."""
    r = finalise(enrolment(unit("A", "2026-07-01", "2026-07-31")), WITHDRAW, reporting_date=REPORTING)
    (a,) = r.enrolment.units
    assert (a.outcome, a.start_date, a.end_date, a.hours_attended) == ("40", WITHDRAW.date, WITHDRAW.date, 12)
    assert any(i.rule_id == "F-WITHDRAW-COMMENCED" and i.field == "start_date" for i in r.issues)


def test_units_with_a_final_outcome_keep_it_and_tnc_warns_for_them_under_nsw() -> None:
    """F-WITHDRAW keeps 20; F-TO-TNC puts TNC on every row and warns that eReporting may reject TNC with a 20."""
    e = enrolment(unit("A", "2026-02-01", "2026-03-01", "20", 40), unit("B", "2026-05-01", "2026-08-01"))
    r = finalise(e, WITHDRAW, "nsw", reporting_date=REPORTING)
    assert [row.outcome_national for row in r.nat00120] == ["20", "40"]
    assert {row.outcome_training_organisation for row in r.nat00120} == {"TNC"}
    # Warned under the validator's rule ID (NSW-TO-02), naming the unit: finalise and validate agree.
    assert [i.message.split(":")[0] for i in r.issues if i.rule_id == "NSW-TO-02"] == ["unit A"]


@pytest.mark.parametrize("status", list(WithdrawalStatus))
def test_every_withdrawal_status_reports_tnc_under_nsw(status: WithdrawalStatus) -> None:
    """Withdrawn, Cancelled (no penalty / penalty) and Partial Attendance all report TNC (validation_rules §7.3)."""
    r = finalise(
        enrolment(unit("A", "2026-05-01", "2026-07-31", hours=3)),
        attrs.evolve(WITHDRAW, status=status),
        "nsw",
        reporting_date=REPORTING,
    )
    assert r.status.value == status.value and r.nat00120[0].outcome_training_organisation == "TNC"


def test_nsw_without_a_commitment_id_warns_for_publicly_funded_rows() -> None:
    """Under nsw a publicly funded row without a Commitment ID is rejected by eReporting: warned (NSW-CID-01),
    not refused; fee-for-service (funding 20) and the national profile are quiet."""
    no_cid = attrs.evolve(enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5)), commitment_id=None)
    r = finalise(no_cid, WITHDRAW, "nsw", reporting_date=REPORTING)
    assert r.ok and [i.field for i in r.issues if i.rule_id == "NSW-CID-01"] == ["commitment_id"]
    fee_paying = attrs.evolve(no_cid, units=[attrs.evolve(no_cid.units[0], funding_source_national="20")])
    assert not any(
        i.rule_id == "NSW-CID-01" for i in finalise(fee_paying, WITHDRAW, "nsw", reporting_date=REPORTING).issues
    )
    assert not any(i.rule_id == "NSW-CID-01" for i in finalise(no_cid, WITHDRAW, reporting_date=REPORTING).issues)


def test_hours_to_date_for_a_unit_with_a_final_outcome_are_warned_not_applied() -> None:
    """A unit already 20 keeps its 5 hours; the event's 0 for it is named in a warning, not silently dropped."""
    e = enrolment(unit("A", "2026-02-01", "2026-03-01", "20", 5))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15), hours_attended={"A": 0}), reporting_date=REPORTING)
    assert r.ok and r.nat00120[0].hours_attended == 5
    assert any(i.field == "hours_attended" and i.value == "0" and "ignored" in i.message for i in r.issues)


def test_completion_accepts_unverified_53_with_a_warning() -> None:
    """53 (RCC granted) counts as achieved but is unverified in 8.0 (code_lists.md §1): accepted, warned."""
    r = finalise(
        enrolment(unit("A", "2026-02-01", "2026-03-01", "53")), Completion(date=D(2026, 3, 1)), reporting_date=REPORTING
    )
    assert r.ok and [i.value for i in r.issues if i.field == "outcome"] == ["53"]


@pytest.mark.parametrize(
    "event",
    [Withdrawal(date=D(9999, 12, 31)), Deferral(date=D(9999, 12, 31)), Deferral(date=D(2026, 1, 1), resume_date=D.max)],
)
def test_dates_that_cannot_move_further_are_refused_not_a_crash(event: Withdrawal | Deferral) -> None:
    """Totality: an unstarted unit must move after 9999-12-31 — an OverflowError before, a refusal now."""
    e = enrolment(unit("A", "9999-12-01", "9999-12-31"))
    r = finalise(e, event, reporting_date=D.max)
    assert not r.ok and r.refusal is not None and "9999-12-31" in r.refusal.message


def test_withdrawn_unit_without_hours_warns_in_the_words_of_the_profile() -> None:
    """Under nsw the warning names eReporting's Error ID 1113 (V-120-13); nationally, where no state requires the
    hours, it says what NCVER hints (V-120-10) and does not speak of NSW (found in review)."""
    e = enrolment(unit("C", "2026-05-01", "2026-07-31"))
    national = [i for i in finalise(e, WITHDRAW, reporting_date=REPORTING).issues if i.rule_id != "F-WITHDRAW"]
    assert [(i.rule_id, i.message) for i in national] == [
        ("F-WITHDRAW-COMMENCED", "unit C: withdrawn (40) with no hours attended; record the hours, or 85 if it never "
         "started (V-120-10)")
    ]  # fmt: skip
    nsw = [i for i in finalise(e, WITHDRAW, "nsw", reporting_date=REPORTING).issues if i.rule_id == "V-120-13"]
    assert len(nsw) == 1
    assert "NSW eReporting Error ID 1113" in nsw[0].message


def test_hours_above_scheduled_are_kept_with_a_warning() -> None:
    r = finalise(enrolment(unit("A", "2026-05-01", "2026-07-31", sched=10)), WITHDRAW, reporting_date=REPORTING)
    assert r.enrolment.units[0].hours_attended == 12
    assert any("exceed scheduled hours 10" in i.message for i in r.issues)


def test_unstarted_units_can_be_left_out_under_the_omit_profile() -> None:
    """F-WITHDRAW-NOT-COMMENCED with unstarted_units="omit": no row; the enrolment keeps the internal 00."""
    omit = attrs.evolve(get_profile("nsw"), unstarted_units="omit")
    r = finalise(enrolment(unit("B", "2026-08-01", "2026-09-30")), WITHDRAW, omit, reporting_date=REPORTING)
    assert r.nat00120 == () and r.enrolment.units[0].outcome == "00" and not r.decisions[0].reported
    assert national_outcome(unit("B", "2026-08-01", "2026-09-30"), WITHDRAW, profile=omit) is None


def test_withdrawal_after_the_reporting_date_is_refused() -> None:
    """A 40 ending after the reporting date would break the properties: refused, naming the unit."""
    r = finalise(enrolment(unit("A", "2026-05-01", "2026-07-31", hours=1)), WITHDRAW, reporting_date=D(2026, 6, 1))
    assert not r.ok and r.refusal is not None and r.refusal.subject_ids == ("A",)
    assert "reporting date" in r.refusal.message and r.nat00120 == ()


def test_end_before_start_in_the_input_is_refused() -> None:
    r = finalise(enrolment(unit("A", "2026-05-01", "2026-04-01")), WITHDRAW, reporting_date=REPORTING)
    assert r.refusal is not None and r.refusal.subject_ids == ("A",) and "before start" in r.refusal.message


def test_completion_pending_until_the_credential_is_issued() -> None:
    """Workflow: status Completed or Completion Pending; NAT00130 issued flag N while pending, Y once issued."""
    e = enrolment(unit("A", "2026-02-01", "2026-03-01", "20", 40), unit("B", "2026-02-01", "2026-02-01", "60"))
    pending = finalise(e, Completion(date=D(2026, 3, 6)), reporting_date=REPORTING)
    assert pending.status is EnrolmentStatus.COMPLETION_PENDING and pending.nat00130 is not None
    assert pending.nat00130.issued_flag == "N" and "credential" in [t.kind for t in pending.tasks]
    issued = Completion(
        date=D(2026, 3, 6), credential_issued=True, parchment_issue_date=D(2026, 3, 9), parchment_number="P-1"
    )
    done = finalise(e, issued, reporting_date=REPORTING)
    assert done.status is EnrolmentStatus.COMPLETED and done.nat00130 is not None
    assert (done.nat00130.issued_flag, done.nat00130.parchment_number) == ("Y", "P-1")
    assert done.nat00130.date_program_completed == D(2026, 3, 6)


def test_completion_refused_names_every_unit_without_an_achieved_outcome() -> None:
    e = enrolment(
        unit("A", "2026-02-01", "2026-03-01", "20"),
        unit("B", "2026-02-01", "2026-03-01", "70"),
        unit("C", "2026-02-01", "2026-03-01", "85"),
        unit("D", "2026-02-01", "2026-03-01", None),
    )
    r = finalise(e, Completion(date=D(2026, 3, 6)), reporting_date=REPORTING)
    assert r.refusal is not None and r.refusal.rule_id == "F-COMPLETE"
    assert r.refusal.subject_ids == ("B", "C", "D")


def test_completion_sets_a_later_end_date_to_the_completion_date_visibly() -> None:
    """Workflow step 3: the end date becomes the actual end date; the change is recorded and warned, not silent."""
    r = finalise(
        enrolment(unit("A", "2026-02-01", "2026-04-30", "20")), Completion(date=D(2026, 3, 6)), reporting_date=REPORTING
    )
    assert r.enrolment.units[0].end_date == D(2026, 3, 6)
    assert r.decisions[0].changes[0].before == "2026-04-30"
    assert any(i.field == "end_date" for i in r.issues)


def test_completion_after_the_reporting_date_is_refused() -> None:
    r = finalise(
        enrolment(unit("A", "2026-02-01", "2026-03-01", "20")), Completion(date=D(2027, 1, 5)), reporting_date=REPORTING
    )
    assert r.refusal is not None and "reporting date" in r.refusal.message


def test_deferral_moves_unstarted_units_to_the_resumption_date_keeping_their_sequence() -> None:
    """F-DEFER: one shift for all unfinished units, so the plan keeps its order and durations; D under nsw (where
    a commenced unit keeps its start: see test_nsw_deferral_keeps_the_start_date_of_a_commenced_unit)."""
    e = enrolment(unit("A", "2026-05-01", "2026-06-30", hours=8), unit("B", "2026-07-01", "2026-07-31"))
    r = finalise(e, Deferral(date=D(2026, 6, 1), resume_date=D(2027, 2, 1)), "vic", reporting_date=REPORTING)
    a, b = r.enrolment.units
    assert (a.start_date, b.start_date) == (D(2027, 2, 1), D(2027, 2, 1) + (D(2026, 7, 1) - D(2026, 5, 1)))
    assert (a.end_date - a.start_date, b.end_date - b.start_date) == (
        D(2026, 6, 30) - D(2026, 5, 1),
        D(2026, 7, 31) - D(2026, 7, 1),
    )
    assert (a.outcome, a.hours_attended) == ("85", 0)
    assert any(i.rule_id == "F-DEFER" and i.value == "8" for i in r.issues)
    nsw = finalise(e, Deferral(date=D(2026, 6, 1), resume_date=D(2027, 2, 1)), "nsw", reporting_date=REPORTING)
    assert {row.outcome_training_organisation for row in nsw.nat00120} == {"D"}


def test_deferral_without_resumption_moves_units_to_the_day_after() -> None:
    r = finalise(
        enrolment(unit("A", "2026-05-01", "2026-06-30")), Deferral(date=D(2026, 6, 1)), reporting_date=REPORTING
    )
    assert r.enrolment.units[0].start_date == D(2026, 6, 2)


def test_deferral_with_a_resumption_date_not_after_the_deferral_is_refused() -> None:
    r = finalise(
        enrolment(unit("A", "2026-05-01", "2026-06-30")),
        Deferral(date=D(2026, 6, 1), resume_date=D(2026, 6, 1)),
        reporting_date=REPORTING,
    )
    assert r.refusal is not None and r.refusal.rule_id == "F-DEFER"


def test_transition_is_not_finalised_here() -> None:
    event = Transition(date=D(2026, 6, 1), current_program_id="BSB40120")
    with pytest.raises(UsageError, match="plan_transition"):
        finalise(enrolment(), event, reporting_date=REPORTING)
    with pytest.raises(UsageError):
        national_outcome(unit("A", "2026-05-01", "2026-06-30"), event)


def test_small_public_functions() -> None:
    """national_outcome and training_organisation_outcome agree with finalise."""
    u = unit("A", "2026-05-01", "2026-07-31", hours=1)
    assert national_outcome(u, WITHDRAW) == "40"
    assert national_outcome(attrs.evolve(u, outcome="20"), WITHDRAW) == "20"
    assert national_outcome(unit("B", "2026-08-01", "2026-09-30"), Deferral(date=D(2026, 6, 1))) == "85"
    assert training_organisation_outcome(EnrolmentStatus.CANCELLED_PENALTY, "nsw") == "TNC"
    assert training_organisation_outcome(EnrolmentStatus.DEFERRED, "nsw") == "D"
    assert training_organisation_outcome(EnrolmentStatus.COMPLETED, "nsw") is None
    assert training_organisation_outcome(WITHDRAW, "national") is None


def _make_sample() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "fixtures" / "make_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["national", "nsw"])
def test_sample_enrolments_reproduce_the_sample_collection(name: str) -> None:
    """fixtures/enrolments finalised (transitions planned) give exactly the NAT00120/NAT00130 records of
    fixtures/make_sample.py."""
    sample = _make_sample()
    expected = {(r.client_id, r.program_id, r.subject_id): r for r in sample.training_activity()}
    items = parse_input((ROOT / "fixtures" / "enrolments" / f"{name}.json").read_text(encoding="utf-8"))
    for item in items:
        if isinstance(item.event, Transition):
            plan = plan_transition(item.enrolment, item.event, profile=name, reporting_date=sample.REPORTING_DATE)
            assert plan.status == "ready" and len(plan.program_ids) == 2
            assert plan.rows and all(expected[(x.client_id, x.program_id, x.subject_id)] == x for x in plan.rows)
            continue
        r = finalise(item.enrolment, item.event, name, reporting_date=sample.REPORTING_DATE)
        assert r.ok
        assert r.nat00120 and all(expected[(x.client_id, x.program_id, x.subject_id)] == x for x in r.nat00120)
        if r.nat00130 is not None:
            assert r.nat00130 in sample.COMPLETIONS


def test_national_outcome_reports_dates_that_cannot_move_as_a_usage_error_not_a_crash() -> None:
    """Totality at the edge of the calendar: like finalise()'s refusal, never an OverflowError."""
    unit = UnitEnrolment(
        subject_id="S1",
        delivery_location_id="L1",
        start_date=datetime.date(9999, 12, 1),
        end_date=datetime.date(9999, 12, 31),
        outcome="70",
    )
    with pytest.raises(UsageError, match="9999-12-31"):
        national_outcome(unit, Deferral(date=datetime.date(9999, 12, 30)))
