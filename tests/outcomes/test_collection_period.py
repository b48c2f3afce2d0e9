"""Examples of where finalised rows go for a collection period (issue #8, "finalise and validate agree"): one test
per case the widened contract test (tests/test_agreement.py) reaches, each through both paths — ``finalise`` and
the columnar ``finalise_frame`` (held equal by ``tests.outcomes.test_columnar._check``).

Synthetic records only (client TESTCL01, TOID 90001).
"""

from __future__ import annotations

import datetime

import pytest

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.model import Completion, Deferral, Withdrawal
from avetmiss_finalise.outcomes import finalise, finalise_many
from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.validation import REGISTRY
from tests.outcomes.test_columnar import _check
from tests.outcomes.test_examples import enrolment, unit

D = datetime.date
REPORTING = D(2026, 11, 29)


def _warned(r, rule_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.message for i in r.issues if i.rule_id == rule_id]


# --- item 1: a completion of an earlier collection writes no NAT00130 -------------------------------------------


def test_a_completion_before_the_period_start_writes_nothing_for_this_collection() -> None:
    """Completed in December 2025, finalised for 2026: its units and its NAT00130 belong to 2025 (else X-06/P-01)."""
    e = enrolment(unit("A", "2025-10-01", "2025-11-30", outcome="20"), unit("B", "2025-10-01", "2025-12-10", "20"))
    done = Completion(date=D(2025, 12, 10))
    r = finalise(e, done, reporting_date=REPORTING, period=2026)
    assert r.ok and r.nat00120 == () and r.nat00130 is None
    (program,) = [m for m in _warned(r, "F-PRIOR-YEAR") if m.startswith("program ")]
    assert program.startswith("program BSB40120: completed 2025-12-10, before the collection period start 2026-01-01")
    assert {m.split(":")[0] for m in _warned(r, "F-PRIOR-YEAR")} == {"unit A", "unit B", "program BSB40120"}
    _check([(e, done)], get_profile("national"), REPORTING, 2026)


def test_a_completion_in_the_period_whose_units_all_ended_before_it_writes_no_nat00130() -> None:
    """Completed in February 2026 but every unit ended in 2025: no activity in 2026, so no completion in it (X-06)."""
    e = enrolment(unit("A", "2025-10-01", "2025-11-30", outcome="20"))
    done = Completion(date=D(2026, 2, 1))
    r = finalise(e, done, reporting_date=REPORTING, period=2026)
    assert r.ok and r.nat00120 == () and r.nat00130 is None
    (program,) = [m for m in _warned(r, "F-PRIOR-YEAR") if m.startswith("program ")]
    assert "every unit ended before the collection period start 2026-01-01" in program and "X-06" in program
    _check([(e, done)], get_profile("national"), REPORTING, 2026)


def test_a_completion_with_a_unit_in_the_period_is_written() -> None:
    e = enrolment(unit("A", "2025-10-01", "2025-11-30", outcome="20"), unit("B", "2026-01-05", "2026-02-01", "20"))
    done = Completion(date=D(2026, 2, 1))
    r = finalise(e, done, reporting_date=REPORTING, period=2026)
    assert [row.subject_id for row in r.nat00120] == ["B"] and r.nat00130 is not None
    assert not [m for m in _warned(r, "F-PRIOR-YEAR") if m.startswith("program ")]


def test_a_completion_after_the_period_end_is_written_with_a_p01_warning() -> None:
    """A final collection run in NCVER's window: units ended in 2026, completed in January 2027 (P-01 warns)."""
    e = enrolment(unit("A", "2026-10-01", "2026-12-15", outcome="20"))
    done = Completion(date=D(2027, 1, 10))
    r = finalise(e, done, reporting_date=D(2027, 2, 1), period=2026)
    assert r.nat00130 is not None and [m.split(":")[0] for m in _warned(r, "P-01")] == ["program BSB40120"]
    _check([(e, done)], get_profile("national"), D(2027, 2, 1), 2026)


def test_without_a_period_a_completion_of_an_earlier_year_is_named_under_p01() -> None:
    e = enrolment(unit("A", "2025-10-01", "2025-11-30", outcome="20"))
    done = Completion(date=D(2025, 12, 1))
    r = finalise(e, done, reporting_date=REPORTING)
    assert r.nat00130 is not None and _warned(r, "P-01") and _warned(r, "V-120-04")
    _check([(e, done)], get_profile("national"), REPORTING)


# --- item 2: a reporting date before the period start is a usage error -----------------------------------------


def test_a_reporting_date_before_the_period_start_is_a_usage_error() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5))
    w = Withdrawal(date=D(2026, 6, 15))
    message = "reporting date 2025-12-31 is before the collection period start 2026-01-01"
    with pytest.raises(UsageError, match=message):
        finalise(e, w, reporting_date=D(2025, 12, 31), period=2026)
    with pytest.raises(UsageError, match=message):
        finalise_many([(e, w)], reporting_date=D(2025, 12, 31), period=2026)  # at the call, not when consumed
    units, enrolments = frames_from_pairs([(e, w)])
    with pytest.raises(UsageError, match=message):
        finalise_frame(units, enrolments, reporting_date=D(2025, 12, 31), period=2026)
    finalise(e, w, reporting_date=D(2026, 1, 1), period=2026)  # the period start itself is no usage error


# --- item 3: without a period, an 85 that may not start in the future is named under V-120-08 -------------------


def test_without_a_period_an_unstarted_unit_inside_the_year_is_named_under_v_120_08() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-07-31", hours=5), unit("B", "2026-08-01", "2026-09-30"))
    w = Withdrawal(date=D(2026, 6, 15))
    r = finalise(e, w, "vic", reporting_date=REPORTING)
    (message,) = _warned(r, "V-120-08")
    assert message.startswith("unit B: not yet started (85) but starts 2026-08-01")
    assert "pass --period/period= so the start is placed after the period end" in message
    assert not _warned(finalise(e, w, "vic", reporting_date=REPORTING, period=2026), "V-120-08")
    assert "V-120-08" in REGISTRY and REGISTRY["V-120-08"].implemented  # a real validator rule ID
    _check([(e, w)], get_profile("national"), REPORTING)


def test_without_a_period_an_unstarted_unit_after_the_year_is_not_named() -> None:
    e = enrolment(unit("B", "2027-02-01", "2027-03-30"))
    r = finalise(e, Deferral(date=D(2026, 6, 15)), reporting_date=REPORTING)
    assert r.ok and not _warned(r, "V-120-08")


def test_every_validator_rule_id_finalise_warns_under_is_registered() -> None:
    for rule_id in ("V-120-01", "V-120-03", "V-120-04", "V-120-08", "P-01"):
        assert REGISTRY[rule_id].implemented, rule_id


# --- found by the widened contract test --------------------------------------------------------------------------


def test_a_nsw_deferral_after_the_period_keeping_a_70_that_starts_after_it_is_refused() -> None:
    """A commenced unit keeps its start on a NSW deferral; starting in 2027 it is no row of 2026 (V-120-01)."""
    e = enrolment(unit("A", "2027-01-05", "2027-03-31", hours=4))
    d = Deferral(date=D(2027, 1, 20))
    r = finalise(e, d, "nsw", reporting_date=D(2027, 2, 1), period=2026)
    assert r.refusal is not None and "would start 2027-01-05, after the collection period end" in r.refusal.message
    unscoped = finalise(e, d, "nsw", reporting_date=D(2026, 12, 31))
    assert [m.split(":")[0] for m in _warned(unscoped, "V-120-01")] == ["unit A"]
    _check([(e, d)], get_profile("nsw"), D(2027, 2, 1), 2026)
    _check([(e, d)], get_profile("nsw"), D(2026, 12, 31))


def test_without_a_period_a_kept_70_ending_inside_the_year_is_named_under_v_120_03() -> None:
    e = enrolment(unit("A", "2026-05-01", "2026-06-30", hours=8))
    d = Deferral(date=D(2026, 6, 1), resume_date=D(2026, 9, 1))
    r = finalise(e, d, "nsw", reporting_date=REPORTING)
    assert [m.split(":")[0] for m in _warned(r, "V-120-03")] == ["unit A"]
    assert not _warned(finalise(e, d, "nsw", reporting_date=REPORTING, period=2026), "V-120-03")
    _check([(e, d)], get_profile("nsw"), REPORTING)
