"""F-COMPLETE with re-attempts and replaced electives (issue #8 item 12, avetmiss_finalise/outcomes/attempts.py):
what a completion accepts beside achieved units, what it still refuses, and both paths agreeing on each case.

Synthetic records only (client TESTCL01, TOID 90001).
"""

from __future__ import annotations

import datetime

import pytest

from avetmiss_finalise.model import Completion
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.attempts import achieved_later, replaced_elective
from avetmiss_finalise.profiles import get_profile
from tests.outcomes.test_columnar import _check
from tests.outcomes.test_examples import enrolment, unit

D = datetime.date
REPORTING = D(2026, 11, 29)
DONE = Completion(date=D(2026, 6, 1), credential_issued=True)


@pytest.mark.parametrize("failed", ["30", "40", "52", "82"])
def test_a_failed_attempt_then_a_later_pass_completes_and_keeps_the_failed_row(failed: str) -> None:
    fail = unit("A", "2026-02-01", "2026-02-28", outcome=failed, hours=10)
    e = enrolment(
        fail, unit("A", "2026-03-10", "2026-04-30", outcome="20"), unit("B", "2026-02-01", "2026-03-01", "20")
    )
    r = finalise(e, DONE, reporting_date=REPORTING)
    assert r.ok and r.nat00130 is not None
    assert [(row.subject_id, row.outcome_national, row.activity_start_date) for row in r.nat00120] == [
        ("A", failed, D(2026, 2, 1)),
        ("A", "20", D(2026, 3, 10)),
        ("B", "20", D(2026, 2, 1)),
    ]
    assert r.enrolment.units[0] == fail  # unchanged
    assert "achieved by a later one" in r.decisions[0].reason
    assert not any(i.rule_id == "F-COMPLETE" and "A" in i.message for i in r.issues)


def test_a_fail_without_a_later_achieved_attempt_still_refuses_the_completion() -> None:
    alone = enrolment(unit("A", "2026-02-01", "2026-02-28", outcome="30"), unit("B", "2026-02-01", "2026-03-01", "20"))
    passed_first = enrolment(
        unit("A", "2026-02-01", "2026-02-28", outcome="20"), unit("A", "2026-03-10", "2026-04-30", outcome="30")
    )
    failed_twice = enrolment(
        unit("A", "2026-02-01", "2026-02-28", outcome="30"), unit("A", "2026-03-10", "2026-04-30", outcome="30")
    )
    for e in (alone, passed_first, failed_twice):
        r = finalise(e, DONE, reporting_date=REPORTING)
        assert r.refusal is not None and r.refusal.subject_ids == ("A",)
        assert "outcome 30 is not a final achieved outcome" in r.refusal.message
    # A 30 is not taken as a replaced elective: another subject achieved later does not excuse it.
    other_later = enrolment(unit("A", "2026-02-01", "2026-02-28", "30"), unit("B", "2026-03-01", "2026-04-01", "20"))
    assert finalise(other_later, DONE, reporting_date=REPORTING).refusal is not None


def test_a_continuing_unit_is_not_an_earlier_attempt() -> None:
    """F-COMPLETE step 1: 70 and 85 may not remain, even beside a later achieved attempt."""
    e = enrolment(unit("A", "2026-02-01", "2026-02-28", outcome="70"), unit("A", "2026-03-10", "2026-04-30", "20"))
    r = finalise(e, DONE, reporting_date=REPORTING)
    assert r.refusal is not None and "outcome 70 is not a final achieved outcome" in r.refusal.message


def test_a_withdrawn_unit_with_no_achieved_unit_starting_on_or_after_it_still_refuses() -> None:
    e = enrolment(unit("B", "2026-01-05", "2026-02-01", outcome="20"), unit("A", "2026-02-01", "2026-02-28", "40", 3))
    r = finalise(e, DONE, reporting_date=REPORTING)
    assert r.refusal is not None and r.refusal.subject_ids == ("A",)
    only = finalise(enrolment(unit("A", "2026-02-01", "2026-02-28", "40", 3)), DONE, reporting_date=REPORTING)
    assert only.refusal is not None


def test_a_withdrawn_unit_replaced_is_warned_once_and_a_re_attempted_one_not_at_all() -> None:
    swapped = unit("E1", "2026-02-01", "2026-02-20", outcome="40", hours=4)
    redone = unit("E2", "2026-02-01", "2026-02-20", outcome="40", hours=4)
    units = (
        swapped,
        redone,
        unit("E2", "2026-03-01", "2026-04-01", "20"),
        unit("E3", "2026-02-01", "2026-04-01", "20"),
    )
    assert [replaced_elective(u, units) for u in units] == [True, False, False, False]
    assert [achieved_later(u, units) for u in units] == [False, True, False, False]
    r = finalise(enrolment(*units), DONE, reporting_date=REPORTING)
    assert r.ok
    assert [i.message.split(":")[0] for i in r.issues if i.rule_id == "F-COMPLETE"] == ["unit E1"]


def test_both_paths_agree_on_every_case() -> None:
    cases = [
        enrolment(unit("A", "2026-02-01", "2026-02-28", "30"), unit("A", "2026-03-10", "2026-04-30", "20")),
        enrolment(unit("A", "2026-02-01", "2026-02-28", "30"), unit("B", "2026-03-01", "2026-04-01", "20")),
        enrolment(unit("A", "2026-02-01", "2026-02-28", "20"), unit("A", "2026-03-10", "2026-04-30", "30")),
        enrolment(unit("E1", "2026-02-01", "2026-02-20", "40", 4), unit("E2", "2026-03-01", "2026-04-01", "20")),
        enrolment(unit("E2", "2026-01-01", "2026-01-20", "20"), unit("E1", "2026-02-01", "2026-02-20", "40", 4)),
        enrolment(unit("A", "2026-02-01", "2026-02-28", "40", 2), unit("A", "2026-02-01", "2026-03-28", "20")),
        enrolment(unit("A", "2026-02-01", "2026-07-28", "30"), unit("A", "2026-05-01", "2026-05-28", "51")),
    ]
    for name in ("national", "nsw", "vic"):
        _check([(e, DONE) for e in cases], get_profile(name), REPORTING)
        _check([(e, DONE) for e in cases], get_profile(name), REPORTING, 2026)
