"""Examples of issue #8 items 7–13: finalisation that agrees with the validator, one test per case.

Synthetic records only (client TESTCL01, TOID 90001). Each case reproduces what an SMS really sends.
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.model import Completion, Deferral, EnrolmentStatus, Transition, Withdrawal
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.commenced import has_commenced
from avetmiss_finalise.outcomes.rows import delivery_modes
from avetmiss_finalise.period import Period, first_future_day, future_after
from avetmiss_finalise.transition import plan_transition
from avetmiss_finalise.transition._table import has_started
from tests.outcomes.test_examples import enrolment, unit

D = datetime.date
REPORTING = D(2026, 11, 29)
Y2026 = Period.year(2026)


# --- item 7: one definition of "commenced" --------------------------------------------------------------------


def test_explicit_85_with_no_hours_is_not_commenced_on_withdrawal_even_after_its_planned_start() -> None:
    """Item 7: the SMS left the planned start of an unstarted unit in the past; the learner never started it."""
    e = enrolment(unit("A", "2026-03-01", "2026-04-30", outcome="85", hours=None))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    (after,) = r.enrolment.units
    assert after.outcome == "85" and after.hours_attended == 0 and after.start_date > D(2026, 6, 15)
    assert r.decisions[0].rule_id == "F-WITHDRAW-NOT-COMMENCED"


def test_an_85_with_hours_attended_has_commenced() -> None:
    e = enrolment(unit("A", "2026-03-01", "2026-04-30", outcome="85", hours=3))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    assert (r.enrolment.units[0].outcome, r.enrolment.units[0].hours_attended) == ("40", 3)


def test_withdrawal_and_transition_share_the_definition() -> None:
    for u in (
        unit("A", "2026-03-01", "2026-04-30", outcome="85", hours=None),
        unit("A", "2026-03-01", "2026-04-30", outcome="70", hours=None),
        unit("A", "2026-06-15", "2026-06-30", outcome="70", hours=0),
        unit("A", "2026-07-01", "2026-07-30", outcome="85", hours=2),
    ):
        assert has_started(u, D(2026, 6, 15)) == has_commenced(u, D(2026, 6, 15))


# --- item 8: re-finalising -------------------------------------------------------------------------------------


def test_the_same_withdrawal_twice_changes_nothing() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5), unit("B", "2026-08-01", "2026-09-30"))
    w = Withdrawal(date=D(2026, 6, 15), hours_attended={"A": 12})
    first = finalise(e, w, reporting_date=REPORTING, period=2026)
    again = finalise(first.enrolment, w, reporting_date=REPORTING, period=2026)
    assert again.ok and again.enrolment == first.enrolment and again.nat00120 == first.nat00120
    assert first.enrolment.finalised_on == D(2026, 6, 15)


def test_a_corrected_withdrawal_date_is_refused_not_laid_over_the_first_result() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5), unit("B", "2026-08-01", "2026-09-30"))
    first = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    corrected = Withdrawal(date=D(2026, 6, 1), hours_attended={"A": 3})
    again = finalise(first.enrolment, corrected, reporting_date=REPORTING)
    assert not again.ok and again.refusal is not None and again.refusal.rule_id == "F-REFINALISE"
    assert "2026-06-15" in again.refusal.message and "before the first run" in again.refusal.message
    assert again.enrolment == first.enrolment and again.nat00120 == ()
    # Re-derived from the values before the first run, the correction applies.
    fresh = finalise(e, corrected, reporting_date=REPORTING)
    assert fresh.ok and fresh.enrolment.units[0].end_date == D(2026, 6, 1)


def test_a_withdrawal_after_a_completion_is_refused_but_a_deferred_learner_may_withdraw() -> None:
    done = enrolment(unit("A", "2026-02-01", "2026-03-01", outcome="20"))
    completed = finalise(done, Completion(date=D(2026, 3, 6), credential_issued=True), reporting_date=REPORTING)
    refused = finalise(completed.enrolment, Withdrawal(date=D(2026, 4, 1)), reporting_date=REPORTING)
    assert refused.refusal is not None and refused.refusal.rule_id == "F-REFINALISE"
    e = enrolment(unit("A", "2026-08-01", "2026-09-30"))
    deferred = finalise(e, Deferral(date=D(2026, 6, 1)), reporting_date=REPORTING)
    withdrawn = finalise(deferred.enrolment, Withdrawal(date=D(2026, 7, 1)), reporting_date=REPORTING)
    assert withdrawn.ok and withdrawn.status is EnrolmentStatus.WITHDRAWN


def test_completion_pending_may_be_completed_once_the_credential_is_issued() -> None:
    e = enrolment(unit("A", "2026-02-01", "2026-03-01", outcome="20"))
    pending = finalise(e, Completion(date=D(2026, 3, 6)), reporting_date=REPORTING)
    issued = finalise(
        pending.enrolment, Completion(date=D(2026, 3, 6), credential_issued=True), reporting_date=REPORTING
    )
    assert issued.ok and issued.status is EnrolmentStatus.COMPLETED
    other_day = finalise(pending.enrolment, Completion(date=D(2026, 3, 9)), reporting_date=REPORTING)
    assert other_day.refusal is not None and other_day.refusal.rule_id == "F-REFINALISE"


# --- item 9: "the future" as the validator defines it ---------------------------------------------------------------


def test_the_future_is_after_the_period_end_of_a_final_collection_and_the_reporting_date_of_an_interim_one() -> None:
    assert future_after(Y2026) == D(2026, 12, 31)
    assert future_after(Y2026, interim=True, reporting_date=D(2026, 6, 30)) == D(2026, 6, 30)
    assert future_after(Y2026, interim=True) == D(2026, 12, 31)
    assert future_after(None, reporting_date=REPORTING) is None
    assert first_future_day(Period(D(2026, 1, 1), D.max)) is None


def test_not_commenced_units_start_after_the_period_end_of_a_final_collection() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5), unit("B", "2026-08-01", "2026-09-30"))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), "vic", reporting_date=REPORTING, period=2026)
    b = r.enrolment.units[1]
    assert (b.outcome, b.start_date) == ("85", D(2027, 1, 1))
    assert b.end_date - b.start_date == D(2026, 9, 30) - D(2026, 8, 1)


def test_not_commenced_units_start_after_the_reporting_date_of_an_interim_collection() -> None:
    e = enrolment(unit("B", "2026-06-20", "2026-09-30"))
    r = finalise(
        e, Deferral(date=D(2026, 6, 15)), reporting_date=D(2026, 6, 30), period="2026-01-01:2026-12-31", interim=True
    )
    assert r.enrolment.units[0].start_date == D(2026, 7, 1)


# --- item 10: a final outcome from an earlier collection year -------------------------------------------------------


def test_a_final_outcome_from_an_earlier_collection_year_is_named_in_a_warning() -> None:
    """Without a period the row is written, named under the validator's ID (V-120-04: a collection of the
    reporting date's year rejects it); with one it is left out (F-PRIOR-YEAR)."""
    e = enrolment(unit("OLD", "2025-03-01", "2025-05-30", outcome="20"), unit("A", "2026-05-01", "2026-07-31"))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15), hours_attended={"A": 4}), reporting_date=REPORTING)
    (w,) = [i for i in r.issues if i.rule_id == "V-120-04"]
    assert not [i for i in r.issues if i.rule_id == "F-PRIOR-YEAR"]
    assert "OLD" in w.message and "2025-05-30" in w.message
    assert {row.subject_id for row in r.nat00120} == {"OLD", "A"}  # no period given: still written
    scoped = finalise(
        e, Withdrawal(date=D(2026, 6, 15), hours_attended={"A": 4}), reporting_date=REPORTING, period=2026
    )
    assert {row.subject_id for row in scoped.nat00120} == {"A"}  # before the period: not this collection's row
    assert not scoped.decisions[0].reported and "left out of this collection" in scoped.decisions[0].reason
    (w,) = [i for i in scoped.issues if i.rule_id == "F-PRIOR-YEAR"]
    assert w.message.startswith("unit OLD: ")


def test_a_final_outcome_after_the_period_end_is_refused_for_that_collection() -> None:
    e = enrolment(unit("A", "2026-11-01", "2027-01-31", hours=5))
    r = finalise(e, Withdrawal(date=D(2027, 1, 10)), reporting_date=D(2027, 1, 20), period=2026)
    assert r.refusal is not None and "period end 2026-12-31" in r.refusal.message


# --- item 11: NSW keeps the start date of a commenced unit on deferral ----------------------------------------------


def test_nsw_deferral_keeps_the_start_date_of_a_commenced_unit() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-06-30", hours=8), unit("B", "2026-07-01", "2026-07-31"))
    d = Deferral(date=D(2026, 6, 1), resume_date=D(2027, 2, 1))
    r = finalise(e, d, "nsw", reporting_date=REPORTING, period=2026)
    a, b = r.enrolment.units
    assert (a.outcome, a.start_date, a.hours_attended) == ("70", D(2026, 5, 1), 8)
    assert a.end_date >= D(2027, 2, 1)
    assert (b.outcome, b.start_date) == ("85", D(2027, 2, 1))
    assert {row.outcome_training_organisation for row in r.nat00120} == {"D"}
    national = finalise(e, d, reporting_date=REPORTING, period=2026)
    assert national.enrolment.units[0].outcome == "85"  # elsewhere a deferred unit is reported as not started


# --- item 12: re-attempts are distinct records ------------------------------------------------------------------


def test_a_re_attempt_with_another_start_date_is_a_distinct_record() -> None:
    e = enrolment(
        unit("A", "2026-02-01", "2026-03-01", outcome="30"),
        unit("A", "2026-04-01", "2026-05-01", outcome="20"),
        unit("B", "2026-02-01", "2026-03-01", outcome="20"),
    )
    r = finalise(e, Completion(date=D(2026, 5, 1)), reporting_date=REPORTING)
    assert r.ok and [row.outcome_national for row in r.nat00120] == ["30", "20", "20"]  # the fail kept as its row
    assert r.enrolment.units == e.units and not r.issues
    w = finalise(e, Withdrawal(date=D(2026, 6, 1)), reporting_date=REPORTING)
    assert w.ok and [row.outcome_national for row in w.nat00120] == ["30", "20", "20"]


def test_the_same_subject_on_the_same_start_date_twice_is_still_refused() -> None:
    e = enrolment(unit("A", "2026-02-01", "2026-03-01", outcome="30"), unit("A", "2026-02-01", "2026-03-01", "20"))
    r = finalise(e, Withdrawal(date=D(2026, 6, 1)), reporting_date=REPORTING)
    assert r.refusal is not None and "more than once" in r.refusal.message


def test_a_withdrawn_elective_replaced_by_another_is_accepted() -> None:
    e = enrolment(
        unit("ELECT1", "2026-02-01", "2026-02-20", outcome="40", hours=4),
        unit("ELECT2", "2026-03-01", "2026-04-01", outcome="20"),
    )
    r = finalise(e, Completion(date=D(2026, 4, 1)), reporting_date=REPORTING)
    assert r.ok and [row.outcome_national for row in r.nat00120] == ["40", "20"]
    assert [(i.rule_id, i.severity.label, i.value) for i in r.issues] == [("F-COMPLETE", "warning", "40")]
    assert "ELECT1" in r.issues[0].message and "check" in r.issues[0].message  # only the provider knows the swap
    w = finalise(e, Withdrawal(date=D(2026, 5, 1)), reporting_date=REPORTING)
    assert w.ok and len(w.nat00120) == 2


# --- item 13: recognition delivery modes; the event's reason ----------------------------------------------------


def test_recognition_and_credit_transfer_get_nnn_and_n_when_the_input_gives_none() -> None:
    for code in ("51", "52", "60"):
        u = unit("A", "2026-02-01", "2026-02-01", outcome=code)
        assert delivery_modes(u) == ("NNN", "N")
        r = finalise(enrolment(u), Withdrawal(date=D(2026, 6, 1)), reporting_date=REPORTING)
        (row,) = r.nat00120
        assert (row.delivery_mode_id, row.predominant_delivery_mode) == ("NNN", "N")
    given = attrs.evolve(unit("A", "2026-02-01", "2026-02-01", outcome="60"), delivery_mode="YNN")
    assert delivery_modes(given) == ("YNN", "N")  # the input wins; V-120-06 then tells the provider
    assert delivery_modes(unit("A", "2026-02-01", "2026-03-01", outcome="20")) == ("YNN", "I")


def test_a_transition_credit_transfer_row_is_nnn() -> None:
    e = attrs.evolve(enrolment(unit("OLD1", "2025-02-01", "2025-03-01", outcome="20")), commitment_id="C000000001")
    plan = plan_transition(
        e,
        Transition(
            date=D(2026, 2, 1), current_program_id="BSB40220", unit_map={"OLD1": "NEW1"}, previously_reported=True
        ),
        profile="nsw",
        reporting_date=REPORTING,
    )
    credit = [r for r in plan.rows if r.outcome_national == "60"]
    assert credit and all((r.delivery_mode_id, r.predominant_delivery_mode) == ("NNN", "N") for r in credit)
