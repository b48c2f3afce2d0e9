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


@pytest.mark.parametrize("hours", [None, 0])
def test_an_accepted_withdrawn_unit_without_hours_is_v_120_13_where_the_state_requires_hours(hours: int | None) -> None:
    """A completion writes an accepted 40 as it stands; under nsw/vic/qld a 40 without hours is a V-120-13 error
    in validate, so finalise names it (an error, the command exits 1), on both paths; elsewhere it does not."""
    replaced = enrolment(
        unit("E1", "2026-02-01", "2026-02-20", "40", hours), unit("E2", "2026-03-01", "2026-04-01", "20")
    )
    retried = enrolment(unit("A", "2026-02-01", "2026-02-28", "40", hours), unit("A", "2026-03-10", "2026-04-30", "20"))
    for e, sid in ((replaced, "E1"), (retried, "A")):
        for name in ("nsw", "vic", "qld"):
            r = finalise(e, DONE, get_profile(name), reporting_date=REPORTING)
            assert r.ok
            (hit,) = [i for i in r.issues if i.rule_id == "V-120-13"]
            assert (
                hit.severity.label == "error"
                and hit.field == "hours_attended"
                and hit.value == (None if hours is None else str(hours))
            )
            assert hit.message.startswith(f"unit {sid}: withdrawn (40) with no hours attended")
        r = finalise(e, DONE, get_profile("national"), reporting_date=REPORTING)
        assert r.ok and not [i for i in r.issues if i.rule_id == "V-120-13"]
    with_hours = enrolment(
        unit("E1", "2026-02-01", "2026-02-20", "40", 1), unit("E2", "2026-03-01", "2026-04-01", "20")
    )
    assert not [
        i for i in finalise(with_hours, DONE, "nsw", reporting_date=REPORTING).issues if i.rule_id == "V-120-13"
    ]
    for name in ("national", "nsw", "vic", "qld"):
        _check([(e, DONE) for e in (replaced, retried, with_hours)], get_profile(name), REPORTING)


def test_under_qld_a_re_attempt_is_named_qld_dup_achieved_and_validates_so() -> None:
    """Queensland rejects a subject reported again once achieved, a re-attempt after a fail included
    (QLD-DUP-ACHIEVED, C049). A completion that accepts a 30-then-20 under qld writes both rows, so it names the
    rule on each row of that subject (field subject_id, value the subject), with the validator's severity, on both
    paths; under national, and under qld for a subject written once, nothing. The validator flags exactly the
    subject named (the issue #8 contract: nothing finalise did not say)."""
    from avetmiss_finalise.nat import frame_from_records
    from avetmiss_finalise.validation import validate

    retried = enrolment(
        unit("A", "2026-02-01", "2026-02-28", outcome="30", hours=10),
        unit("A", "2026-03-10", "2026-04-30", outcome="20"),
        unit("B", "2026-02-01", "2026-03-01", "20"),
    )
    r = finalise(retried, DONE, get_profile("qld"), reporting_date=REPORTING)
    assert r.ok
    named = [i for i in r.issues if i.rule_id == "QLD-DUP-ACHIEVED"]
    assert [(i.severity.label, i.field, i.value) for i in named] == [("error", "subject_id", "A")] * 2
    assert all(i.message.startswith("unit A: reported more than once") for i in named)
    found = validate({"NAT00120": frame_from_records(list(r.nat00120), "NAT00120", "qld")}, profile="qld")
    assert {i.value for i in found.issues if i.rule_id == "QLD-DUP-ACHIEVED"} == {"A"}
    national = finalise(retried, DONE, get_profile("national"), reporting_date=REPORTING)
    assert national.ok and not [i for i in national.issues if i.rule_id == "QLD-DUP-ACHIEVED"]
    once = enrolment(unit("A", "2026-03-10", "2026-04-30", outcome="20"), unit("B", "2026-02-01", "2026-03-01", "20"))
    assert not [i for i in finalise(once, DONE, "qld", reporting_date=REPORTING).issues if i.rule_id.startswith("QLD")]
    for name in ("qld", "national"):
        _check([(e, DONE) for e in (retried, once)], get_profile(name), REPORTING)
        _check([(e, DONE) for e in (retried, once)], get_profile(name), REPORTING, 2026)


def test_a_replacing_unit_starting_the_same_day_counts_and_one_starting_the_day_before_does_not() -> None:
    """The replaced-elective boundary, both sides: the achieved unit must start on or after the withdrawn one."""
    withdrawn = unit("E1", "2026-02-01", "2026-02-20", "40", 4)
    same_day = (withdrawn, unit("E2", "2026-02-01", "2026-04-01", "20"))
    day_before = (withdrawn, unit("E2", "2026-01-31", "2026-04-01", "20"))
    assert replaced_elective(withdrawn, same_day)
    assert not replaced_elective(withdrawn, day_before)
    assert finalise(enrolment(*same_day), DONE, reporting_date=REPORTING).ok
    assert finalise(enrolment(*day_before), DONE, reporting_date=REPORTING).refusal is not None


def test_qld_duplicates_names_a_subject_written_twice_only_when_one_row_is_20_or_51() -> None:
    """Both codes of QLD_DUPLICATE_OUTCOMES, and the subject written twice without either (no notice)."""
    from avetmiss_finalise.outcomes.attempts import qld_duplicates

    for achieved in ("20", "51"):
        rows = [unit("A", "2026-02-01", "2026-02-28", "30"), unit("A", "2026-03-01", "2026-04-01", achieved)]
        assert qld_duplicates(rows) == rows
    unachieved = [unit("A", "2026-02-01", "2026-02-28", "30"), unit("A", "2026-03-01", "2026-04-01", "40", 2)]
    assert qld_duplicates(unachieved) == []
    once = [unit("A", "2026-02-01", "2026-02-28", "20"), unit("B", "2026-03-01", "2026-04-01", "51")]
    assert qld_duplicates(once) == []
    # A 51 after a fail is accepted and, under qld, named on both rows of the subject.
    r = finalise(
        enrolment(unit("A", "2026-02-01", "2026-02-28", "30", 10), unit("A", "2026-03-10", "2026-04-30", "51")),
        DONE,
        get_profile("qld"),
        reporting_date=REPORTING,
    )
    assert r.ok
    assert [(i.field, i.value) for i in r.issues if i.rule_id == "QLD-DUP-ACHIEVED"] == [("subject_id", "A")] * 2


def test_a_withdrawal_s_hours_go_to_the_attempt_in_progress_not_to_a_planned_re_attempt() -> None:
    """``hours_attended`` is keyed by subject. With a failed attempt (30) and a planned re-attempt, hours given for
    the subject are the failed attempt's (ignored, it is final, with the F-WITHDRAW warning), so the re-attempt has
    not commenced and moves after the withdrawal — it is not made a 40 pulled back over the first attempt (an
    X-11 overlap a review found). Both paths agree, and the rows written overlap nowhere."""
    from avetmiss_finalise.model import Withdrawal

    failed = unit("A", "2026-06-01", "2026-06-29", "30", None)
    planned = unit("A", "2026-07-09", "2026-07-20", None, None)
    event = Withdrawal(date=D(2026, 6, 10), hours_attended={"A": 1})
    r = finalise(enrolment(failed, planned), event, reporting_date=D(2026, 7, 1))
    assert r.ok
    rows = [(row.outcome_national, row.activity_start_date, row.hours_attended) for row in r.nat00120]
    assert rows[0] == ("30", D(2026, 6, 1), None)
    assert rows[1][0] == "85" and rows[1][1] > D(2026, 6, 29) and rows[1][2] == 0
    (ignored,) = [i for i in r.issues if i.field == "hours_attended"]
    assert (
        ignored.rule_id == "F-WITHDRAW" and ignored.value == "1" and "already has final outcome 30" in ignored.message
    )
    for name in ("national", "nsw", "vic"):
        _check([(enrolment(failed, planned), event)], get_profile(name), D(2026, 7, 1))


def test_the_attempt_in_progress_is_the_latest_started_else_the_first_planned() -> None:
    """event_hours, both sides of each boundary: a start *on* the withdrawal date has started; of two started,
    the later takes the hours; of two planned, the earlier; a subject the event does not name gets none."""
    from avetmiss_finalise.model import Withdrawal
    from avetmiss_finalise.outcomes.withdrawal import event_hours

    event = Withdrawal(date=D(2026, 6, 10), hours_attended={"A": 7})
    on_the_day = (unit("A", "2026-06-01", "2026-06-05", "30"), unit("A", "2026-06-10", "2026-07-01"))
    assert event_hours(on_the_day, event) == (None, 7)
    day_after = (unit("A", "2026-06-01", "2026-06-05", "30"), unit("A", "2026-06-11", "2026-07-01"))
    assert event_hours(day_after, event) == (7, None)
    both_planned = (unit("A", "2026-08-01", "2026-08-05"), unit("A", "2026-07-01", "2026-07-05"))
    assert event_hours(both_planned, event) == (None, 7)
    other = (unit("B", "2026-06-01", "2026-06-05"), unit("A", "2026-06-01", "2026-06-05"))
    assert event_hours(other, event) == (None, 7)
    same_start = (unit("A", "2026-06-01", "2026-06-05"), unit("A", "2026-06-01", "2026-06-09"))
    assert event_hours(same_start, event) == (7, None)  # a tie keeps the first listed
    # The re-attempt in progress takes them and is withdrawn with them, on both paths.
    in_progress = enrolment(unit("A", "2026-02-01", "2026-03-01", "30"), unit("A", "2026-05-01", "2026-08-01", "70"))
    r = finalise(in_progress, event, reporting_date=D(2026, 7, 1))
    assert [(row.outcome_national, row.hours_attended) for row in r.nat00120] == [("30", 0), ("40", 7)]
    _check([(in_progress, event)], get_profile("national"), D(2026, 7, 1))


def test_the_hours_go_to_the_open_attempt_not_to_a_later_started_one_already_ended() -> None:
    """An attempt still open (70, started February) and a later one already achieved (20, April–May): the
    withdrawal's hours are the open attempt's, which is withdrawn with them (a 40 with 12 hours, no V-120-13 under
    nsw), not the achieved one's (ignored with an F-WITHDRAW warning, leaving the 40 with none). The rows share
    days, which both paths name (X-11)."""
    from avetmiss_finalise.model import Withdrawal
    from avetmiss_finalise.outcomes.withdrawal import event_hours

    event = Withdrawal(date=D(2026, 6, 10), hours_attended={"A": 12})
    units = (unit("A", "2026-02-01", "2026-08-30", "70", 0), unit("A", "2026-04-01", "2026-05-01", "20", 10))
    assert event_hours(units, event) == (12, None)
    assert event_hours(units[::-1], event) == (None, 12)
    for name in ("national", "nsw"):
        r = finalise(enrolment(*units), event, get_profile(name), reporting_date=D(2026, 7, 1))
        assert [(row.outcome_national, row.hours_attended) for row in r.nat00120] == [("40", 12), ("20", 10)]
        assert {i.rule_id for i in r.issues} & {"V-120-13", "F-WITHDRAW", "F-WITHDRAW-COMMENCED"} == set()
        assert [i.rule_id for i in r.issues if i.rule_id in ("X-11", "X-12")] == ["X-11"]
        _check([(enrolment(*units), event)], get_profile(name), D(2026, 7, 1))


def test_overlap_rules_as_the_validator_judges_two_rows_of_one_subject() -> None:
    """Both sides of each boundary: rows sharing one day overlap (X-11), rows a day apart do not; a row repeating
    an earlier one's start date and outcome is X-12 and not also X-11; the same start with another outcome, or
    a row starting inside a longer earlier one, is X-11."""
    from avetmiss_finalise.outcomes.attempts import overlap_rules

    a, b, c = D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1)
    assert overlap_rules([(a, b, "30"), (b, c, "20")]) == ("X-11",)
    assert overlap_rules([(a, b, "30"), (c, c, "20")]) == ()
    assert overlap_rules([(c, c, "20"), (a, b, "30")]) == ()  # in any written order
    assert overlap_rules([(a, b, "40"), (a, c, "40")]) == ("X-12",)
    assert overlap_rules([(a, c, "40"), (a, b, "40")]) == ("X-12",)  # the shorter listed later: still only X-12
    assert overlap_rules([(a, b, "30"), (a, c, "40")]) == ("X-11",)
    assert overlap_rules([(a, D(2026, 6, 1), "30"), (b, c, "20")]) == ("X-11",)
    assert overlap_rules([(a, b, "40"), (a, b, "40"), (c, D(2026, 6, 1), "20"), (b, c, "70")]) == ("X-11", "X-12")


def test_two_attempts_in_progress_both_withdrawn_are_named_x_11_on_both_paths() -> None:
    """A withdrawal ends every commenced attempt at its date, so two attempts of one subject in progress share
    days afterwards. The rows are written (the provider decides which attempt to keep) and finalise names the
    subject under X-11 with X-11's severity (an error), so the row the validator rejects was said; with the same
    start date and outcome (a start moved back to the withdrawal date), X-12; attempts that do not meet, nothing."""
    from avetmiss_finalise.model import Withdrawal
    from avetmiss_finalise.nat import frame_from_records
    from avetmiss_finalise.validation import validate

    event = Withdrawal(date=D(2026, 6, 10), hours_attended={"A": 7})
    both = enrolment(unit("A", "2026-02-01", "2026-03-01", "70"), unit("A", "2026-05-01", "2026-08-01", "70"))
    # The second has hours of its own but a later start: moved back to the withdrawal date, onto the first's.
    same_start = enrolment(unit("A", "2026-06-10", "2026-07-20", "70"), unit("A", "2026-07-01", "2026-08-01", None, 3))
    apart = enrolment(unit("A", "2026-02-01", "2026-03-01", "30"), unit("A", "2026-05-01", "2026-08-01", "70"))
    for e, rules in ((both, ["X-11"]), (same_start, ["X-12"]), (apart, [])):
        r = finalise(e, event, reporting_date=D(2026, 7, 1))
        assert r.ok and len(r.nat00120) == 2
        named = [i for i in r.issues if i.rule_id in ("X-11", "X-12")]
        assert [(i.rule_id, i.severity.label, i.field, i.value) for i in named] == [
            (rule, "error", "subject_id", "A") for rule in rules
        ]
        assert [i.message.split(";")[0] for i in named] == [
            "unit A: two rows of this subject have the same start date and outcome"
            if rule == "X-12"
            else "unit A: two rows of this subject share days (two attempts both ended at the event date, or one "
            "starting inside the other)"
            for rule in rules
        ]
        found = validate({"NAT00120": frame_from_records(list(r.nat00120), "NAT00120", "national")})
        assert sorted({i.rule_id for i in found.issues} & {"X-11", "X-12"}) == rules
        for name in ("national", "nsw"):
            _check([(e, event)], get_profile(name), D(2026, 7, 1))


def test_rows_of_different_subjects_that_share_days_are_not_an_overlap_on_either_path() -> None:
    """X-11 is per subject: A twice and B twice, each subject's attempts apart but A's and B's at the same
    time, is nothing (the columnar path groups by enrolment *and* subject)."""
    from avetmiss_finalise.model import Withdrawal
    from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs

    e = enrolment(
        unit("A", "2026-02-01", "2026-02-20", "30"),
        unit("B", "2026-02-01", "2026-02-20", "30"),
        unit("A", "2026-03-01", "2026-03-20", "20"),
        unit("B", "2026-03-01", "2026-03-20", "20"),
    )
    event = Withdrawal(date=D(2026, 6, 10))
    r = finalise(e, event, reporting_date=D(2026, 7, 1))
    assert r.ok and not [i for i in r.issues if i.rule_id in ("X-11", "X-12")]
    _check([(e, event)], get_profile("national"), D(2026, 7, 1))
    units, enrolments = frames_from_pairs([(e, event)])
    issues = finalise_frame(units, enrolments, "national", reporting_date=D(2026, 7, 1)).issues
    assert not issues["rule_id"].isin(["X-11", "X-12"]).any()


def test_hours_for_a_subject_not_enrolled_are_warned_on_both_paths() -> None:
    """F-WITHDRAW's 'hours given for B, which is not a unit of this enrolment; ignored', one per such subject,
    from finalise_frame as from finalise (frames_from_pairs carries them in event_unenrolled_hours); a frame
    without that column gives no such warning."""
    from avetmiss_finalise.model import Withdrawal
    from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs

    e = enrolment(unit("A", "2026-02-01", "2026-08-01", "70"))
    event = Withdrawal(date=D(2026, 6, 10), hours_attended={"A": 0, "C": 1, "B": 2})
    r = finalise(e, event, reporting_date=D(2026, 7, 1))
    said = [(i.rule_id, i.field, i.value) for i in r.issues if "not a unit of this enrolment" in i.message]
    assert said == [("F-WITHDRAW", "hours_attended", "B"), ("F-WITHDRAW", "hours_attended", "C")]
    for name in ("national", "nsw"):
        _check([(e, event), (e, Withdrawal(date=D(2026, 6, 10)))], get_profile(name), D(2026, 7, 1))
    units, enrolments = frames_from_pairs([(e, event)])
    bare = finalise_frame(units, enrolments.drop(columns="event_unenrolled_hours"), reporting_date=D(2026, 7, 1))
    assert not bare.issues["message"].str.contains("not a unit of this enrolment").any()


def test_of_two_attempts_of_one_kind_the_later_started_takes_the_hours() -> None:
    """event_hours' tie-break inside each rank: two open attempts started before the withdrawal, or two ended
    ones, give the hours to the later start (whichever is listed first)."""
    from avetmiss_finalise.model import Withdrawal
    from avetmiss_finalise.outcomes.withdrawal import event_hours

    event = Withdrawal(date=D(2026, 6, 10), hours_attended={"A": 7})
    open_two = (unit("A", "2026-05-01", "2026-08-01"), unit("A", "2026-02-01", "2026-03-01"))
    assert event_hours(open_two, event) == (7, None)
    assert event_hours(open_two[::-1], event) == (None, 7)
    ended_two = (unit("A", "2026-02-01", "2026-03-01", "30"), unit("A", "2026-04-01", "2026-05-01", "20"))
    assert event_hours(ended_two, event) == (None, 7)
    assert event_hours(ended_two[::-1], event) == (7, None)
