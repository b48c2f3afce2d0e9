"""outcomes/checks.py pinned exactly through ``finalise``: the input checks, the row checks and the placement of each
row in the collection, by rule ID, field, value and wording, on both sides of each boundary (issue #9; the
survivors of ``scripts/mutate.py avetmiss_finalise/outcomes/checks.py``).

Synthetic records only (client TESTCL01, TOID 90001, subjects U001…).
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.model import Completion, Deferral, UnitEnrolment, Withdrawal
from avetmiss_finalise.outcomes import FinalisationResult, finalise
from avetmiss_finalise.profiles import get_profile
from tests.outcomes import test_pinned_finalise as pinned

D = datetime.date
REPORTING = D(2026, 12, 31)
HALF = "2026-01-01:2026-06-30"


def unit(sid: str, start: D, end: D, outcome: str | None = "20", hours: int | None = 5) -> UnitEnrolment:
    """test_pinned_finalise's unit, achieved (20) unless told otherwise: these checks are about placed rows."""
    return pinned.unit(sid, start, end, outcome, hours)


enrolment = pinned.enrolment


def refusal(r: FinalisationResult) -> tuple[str, tuple[str, ...], str]:
    assert r.refusal is not None and r.nat00120 == () and r.nat00130 is None
    return r.refusal.rule_id, r.refusal.subject_ids, r.refusal.message


def warnings(r: FinalisationResult) -> list[tuple[str, str | None, str | None, str]]:
    return [(i.rule_id, i.field, i.value, i.message) for i in r.issues if i.severity.label == "warning"]


def errors(r: FinalisationResult) -> list[tuple[str, str | None, str | None, str]]:
    return [(i.rule_id, i.field, i.value, i.message) for i in r.issues if i.severity.label == "error"]


def written(r: FinalisationResult) -> list[str]:
    return [row.subject_id for row in r.nat00120]


# --- input_problems ------------------------------------------------------------------------------------------------


def test_a_one_day_unit_is_accepted() -> None:
    """End date equal to start date is a valid row: neither the input nor the row check calls it "before"."""
    day = D(2026, 5, 1)
    r = finalise(enrolment(unit("U001", day, day)), Completion(date=D(2026, 6, 1)), reporting_date=REPORTING)
    assert r.ok and written(r) == ["U001"]
    assert (r.nat00120[0].activity_start_date, r.nat00120[0].activity_end_date) == (day, day)


def test_an_end_before_the_start_is_refused_by_the_input_and_the_row_check() -> None:
    """Both lines: the input check names the dates; the row the rule would write still ends before it starts."""
    e = enrolment(unit("U001", D(2026, 5, 2), D(2026, 5, 1)), unit("U002", D(2026, 5, 1), D(2026, 5, 2)))
    for event, rule in (
        (Completion(date=D(2026, 6, 1)), "F-COMPLETE"),
        (Withdrawal(date=D(2026, 6, 1)), "F-WITHDRAW"),
        (Deferral(date=D(2026, 6, 1)), "F-DEFER"),
    ):
        r = finalise(e, event, reporting_date=REPORTING)
        assert refusal(r) == (
            rule,
            ("U001",),
            "U001: end date 2026-05-01 is before start date 2026-05-02; U001: end date before start date",
        )
        assert errors(r) == [
            (rule, None, "U001", "end date 2026-05-01 is before start date 2026-05-02"),
            (rule, None, "U001", "end date before start date"),
        ]


def test_the_same_subject_starting_twice_on_one_date_is_refused_once_per_repeat() -> None:
    start = D(2026, 5, 1)
    e = enrolment(
        unit("U001", start, D(2026, 5, 20)), unit("U001", start, D(2026, 5, 30)), unit("U001", start, D(2026, 5, 31))
    )
    r = finalise(e, Completion(date=D(2026, 6, 1)), reporting_date=REPORTING)
    line = "subject appears more than once in the enrolment with start date 2026-05-01"
    assert refusal(r) == ("F-COMPLETE", ("U001",), f"U001: {line}; U001: {line}")


def test_a_reattempt_on_another_date_and_two_subjects_on_one_date_are_accepted() -> None:
    e = enrolment(
        unit("U001", D(2026, 2, 1), D(2026, 3, 1), outcome="30"),
        unit("U001", D(2026, 4, 1), D(2026, 5, 1)),
        unit("U002", D(2026, 4, 1), D(2026, 5, 1)),
    )
    r = finalise(e, Withdrawal(date=D(2026, 6, 1)), reporting_date=REPORTING)
    assert r.ok and written(r) == ["U001", "U001", "U002"]


# --- row_problems --------------------------------------------------------------------------------------------------


def test_a_final_outcome_ending_after_the_reporting_date_is_refused_and_on_it_is_not() -> None:
    e = enrolment(unit("U001", D(2026, 5, 1), D(2027, 1, 1)), unit("U002", D(2026, 5, 1), REPORTING))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    assert refusal(r) == (
        "F-WITHDRAW",
        ("U001",),
        "U001: final outcome 20 would end 2027-01-01, after the reporting date 2026-12-31",
    )
    ok = finalise(
        enrolment(unit("U002", D(2026, 5, 1), REPORTING)), Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING
    )
    assert ok.ok and written(ok) == ["U002"]


def test_a_non_final_row_ending_after_the_reporting_date_is_written() -> None:
    """An unstarted unit reported as 85 (and a NSW 70 kept on deferral) may end after the reporting date."""
    e = enrolment(
        unit("U001", D(2026, 5, 1), D(2026, 7, 31), "70", 5), unit("U002", D(2027, 2, 1), D(2027, 3, 1), "70", 0)
    )
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    assert r.ok and [(row.subject_id, row.outcome_national) for row in r.nat00120] == [("U001", "40"), ("U002", "85")]
    assert r.nat00120[1].activity_end_date > REPORTING
    kept = finalise(
        enrolment(unit("U001", D(2026, 5, 1), D(2027, 3, 31), "70", 8)),
        Deferral(date=D(2026, 6, 1)),
        "nsw",
        reporting_date=REPORTING,
    )
    assert kept.ok and [(row.outcome_national, row.activity_end_date) for row in kept.nat00120] == [
        ("70", D(2027, 3, 31))
    ]


def test_a_final_outcome_ending_after_the_period_end_is_refused_and_on_it_is_not() -> None:
    e = enrolment(unit("U001", D(2026, 5, 1), D(2026, 7, 1)), unit("U002", D(2026, 5, 1), D(2026, 6, 30)))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING, period=HALF)
    assert refusal(r) == (
        "F-WITHDRAW",
        ("U001",),
        "U001: final outcome 20 would end 2026-07-01, after the collection period end 2026-06-30: it belongs to a "
        "later collection",
    )
    assert errors(r) == [
        (
            "F-WITHDRAW",
            None,
            "U001",
            "final outcome 20 would end 2026-07-01, after the collection period end 2026-06-30: it belongs to a later "
            "collection",
        )
    ]


def test_a_kept_70_starting_after_the_period_end_is_refused() -> None:
    e = enrolment(unit("U001", D(2026, 7, 1), D(2026, 9, 30), "70", 4))
    r = finalise(e, Deferral(date=D(2026, 7, 20)), "nsw", reporting_date=REPORTING, period=HALF)
    assert refusal(r) == (
        "F-DEFER",
        ("U001",),
        "U001: outcome 70 would start 2026-07-01, after the collection period end 2026-06-30: it belongs to a later "
        "collection",
    )
    on_end = enrolment(unit("U001", D(2026, 6, 30), D(2026, 9, 30), "70", 4))
    assert finalise(on_end, Deferral(date=D(2026, 7, 20)), "nsw", reporting_date=REPORTING, period=HALF).ok


def test_an_internal_00_that_a_completion_would_report_is_refused_by_the_row_check() -> None:
    e = enrolment(unit("U001", D(2026, 5, 1), D(2026, 5, 20), "00", 0))
    r = finalise(e, Completion(date=D(2026, 6, 1)), reporting_date=REPORTING)
    assert refusal(r) == (
        "F-COMPLETE",
        ("U001",),
        "U001: outcome 00 is not a final achieved outcome (20, 51, 53, 60, 81); U001: internal outcome 00 would be "
        "reported",
    )


# --- placed (with a period) ----------------------------------------------------------------------------------------


def test_with_a_period_a_row_ending_before_its_start_is_left_out_with_f_prior_year() -> None:
    e = enrolment(unit("U001", D(2025, 10, 1), D(2025, 12, 31)), unit("U002", D(2026, 1, 1), D(2026, 1, 1)))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING, period=2026)
    assert r.ok and written(r) == ["U002"]
    assert warnings(r) == [
        (
            "F-PRIOR-YEAR",
            "end_date",
            "2025-12-31",
            "unit U001: outcome 20 ended 2025-12-31, before the collection period start 2026-01-01: left out of this "
            "collection",
        )
    ]
    first, second = r.decisions
    assert (first.subject_id, first.reported, second.reported) == ("U001", False, True)
    assert first.reason.endswith("; ended before the collection period start 2026-01-01: left out of this collection")
    assert not second.reason.endswith("left out of this collection")
    assert [u.subject_id for u in r.enrolment.units] == ["U001", "U002"]


def test_with_a_period_an_unreported_row_is_not_placed() -> None:
    """Under unstarted_units="omit" an unstarted unit gets no row, so nothing is said about its collection."""
    omit = attrs.evolve(get_profile("national"), unstarted_units="omit")
    e = enrolment(unit("U001", D(2025, 3, 1), D(2025, 4, 1), "85", 0), unit("U002", D(2026, 2, 1), D(2026, 3, 1)))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), omit, reporting_date=REPORTING, period=2026)
    assert r.ok and written(r) == ["U002"]
    assert [w for w in warnings(r) if w[0] == "F-PRIOR-YEAR"] == []
    assert "left out of this collection" not in r.decisions[0].reason


# --- unscoped (without a period) -----------------------------------------------------------------------------------


def test_without_a_period_an_earlier_year_row_is_kept_with_one_v_120_04_warning() -> None:
    e = enrolment(unit("U001", D(2025, 10, 1), D(2025, 12, 31)), unit("U002", D(2026, 1, 1), D(2026, 2, 1)))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    assert r.ok and written(r) == ["U001", "U002"]
    assert warnings(r) == [
        (
            "V-120-04",
            "end_date",
            "2025-12-31",
            "unit U001: outcome 20 ended 2025-12-31, in an earlier collection year than the reporting date "
            "2026-12-31: a 2026 collection rejects it (V-120-04); report it in that year's collection (check it "
            "was), or pass --period/period= to leave it out",
        )
    ]
    assert all(d.reported for d in r.decisions)


def test_without_a_period_a_kept_70_ending_in_the_year_is_v_120_03_on_its_new_end_date() -> None:
    e = enrolment(unit("U001", D(2026, 5, 1), D(2026, 6, 30), "70", 8))
    r = finalise(e, Deferral(date=D(2026, 6, 1), resume_date=D(2026, 9, 1)), "nsw", reporting_date=REPORTING)
    assert r.ok
    assert [(w[0], w[1], w[2]) for w in warnings(r)] == [("V-120-03", "end_date", "2026-09-01")]
    assert warnings(r)[0][3].startswith("unit U001: continuing (70) but ends 2026-09-01, not after 2026-12-31")


def test_without_a_period_an_unreported_row_gets_no_warning() -> None:
    omit = attrs.evolve(get_profile("national"), unstarted_units="omit")
    e = enrolment(unit("U001", D(2025, 3, 1), D(2025, 4, 1), "85", 0), unit("U002", D(2026, 2, 1), D(2026, 3, 1)))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), omit, reporting_date=REPORTING)
    assert r.ok and written(r) == ["U002"] and warnings(r) == []


def test_without_a_period_a_refused_enrolment_gets_no_validator_warnings() -> None:
    e = enrolment(unit("U001", D(2025, 10, 1), D(2025, 12, 31)), unit("U002", D(2026, 5, 1), D(2027, 1, 1)))
    r = finalise(e, Withdrawal(date=D(2026, 6, 15)), reporting_date=REPORTING)
    assert refusal(r)[1] == ("U002",) and warnings(r) == []
