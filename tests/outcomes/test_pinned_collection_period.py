"""outcomes/collection_period.py pinned exactly: each pure function on both sides of every boundary, every
finding by rule ID, field, value and wording (issue #9; the survivors of ``scripts/mutate.py
avetmiss_finalise/outcomes/collection_period.py``).

Synthetic values only (subjects U001…, program BSB40120).
"""

from __future__ import annotations

import datetime

import pytest

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.outcomes.collection_period import (
    PRIOR_YEAR,
    Finding,
    PriorCollection,
    check_reporting_date,
    completion_placement,
    later_collection,
    prior_collection,
    starts_later,
    unscoped_findings,
)
from avetmiss_finalise.period import Period

D = datetime.date
DAY = datetime.timedelta(days=1)
P2026 = Period.year(2026)
HALF = Period(D(2026, 1, 1), D(2026, 6, 30))
REPORTING = D(2026, 12, 31)


# --- prior_collection ----------------------------------------------------------------------------------------------


def test_prior_collection_with_a_period_keeps_a_row_ending_on_the_period_start() -> None:
    assert prior_collection("U001", "20", P2026.start, reporting_date=REPORTING, period=P2026) is None
    assert prior_collection("U001", "70", D(2026, 6, 1), reporting_date=REPORTING, period=P2026) is None


def test_prior_collection_with_a_period_drops_a_row_ending_the_day_before_its_start() -> None:
    got = prior_collection("U001", "20", P2026.start - DAY, reporting_date=REPORTING, period=P2026)
    where = "before the collection period start 2026-01-01: left out of this collection"
    assert got == PriorCollection(
        drop=True,
        where=where,
        message=f"unit U001: outcome 20 ended 2025-12-31, {where}",
        rule_id="F-PRIOR-YEAR",
    )
    assert PRIOR_YEAR == "F-PRIOR-YEAR"


def test_prior_collection_with_a_period_ignores_the_reporting_date_year() -> None:
    """The period decides: a row in the period is kept even when the reporting date is in a later year."""
    assert prior_collection("U001", "20", D(2026, 3, 1), reporting_date=D(2027, 2, 1), period=P2026) is None


def test_prior_collection_without_a_period_keeps_a_row_of_the_reporting_year() -> None:
    assert prior_collection("U001", "20", D(2026, 1, 1), reporting_date=REPORTING, period=None) is None
    assert prior_collection("U001", "20", REPORTING, reporting_date=REPORTING, period=None) is None


def test_prior_collection_without_a_period_warns_on_an_earlier_year_under_v_120_04_and_keeps_the_row() -> None:
    got = prior_collection("U002", "30", D(2025, 12, 31), reporting_date=D(2026, 1, 1), period=None)
    where = (
        "in an earlier collection year than the reporting date 2026-01-01: a 2026 collection rejects it (V-120-04); "
        "report it in that year's collection (check it was), or pass --period/period= to leave it out"
    )
    assert got == PriorCollection(
        drop=False, where=where, message=f"unit U002: outcome 30 ended 2025-12-31, {where}", rule_id="V-120-04"
    )


def test_prior_collection_and_finding_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        PriorCollection(True, "w", "m")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Finding("V-120-01", "m", "start_date", D(2026, 1, 1))  # type: ignore[misc]
    assert PriorCollection(drop=True, where="w", message="m").rule_id == "F-PRIOR-YEAR"


# --- later_collection / starts_later -------------------------------------------------------------------------------


def test_later_collection_refuses_a_final_outcome_ending_the_day_after_the_period_end() -> None:
    assert later_collection("20", HALF.end + DAY, HALF) == (
        "final outcome 20 would end 2026-07-01, after the collection period end 2026-06-30: it belongs to a later "
        "collection"
    )
    assert later_collection("40", HALF.end + DAY, HALF) is not None


def test_later_collection_accepts_the_period_end_itself_non_final_outcomes_and_no_period() -> None:
    assert later_collection("20", HALF.end, HALF) is None
    assert later_collection("70", HALF.end + DAY, HALF) is None
    assert later_collection("85", HALF.end + DAY, HALF) is None
    assert later_collection(None, HALF.end + DAY, HALF) is None
    assert later_collection("20", D(2030, 1, 1), None) is None
    assert later_collection("70", D(2030, 1, 1), None) is None


def test_starts_later_refuses_a_row_starting_the_day_after_the_period_end() -> None:
    assert starts_later("70", HALF.end + DAY, HALF) == (
        "outcome 70 would start 2026-07-01, after the collection period end 2026-06-30: it belongs to a later "
        "collection"
    )
    assert starts_later("20", HALF.end + DAY, HALF) is not None


def test_starts_later_accepts_the_period_end_an_85_and_no_period() -> None:
    assert starts_later("70", HALF.end, HALF) is None
    assert starts_later("85", HALF.end + DAY, HALF) is None
    assert starts_later("70", D(2030, 1, 1), None) is None
    assert starts_later("85", D(2030, 1, 1), None) is None


# --- unscoped_findings ---------------------------------------------------------------------------------------------


def _v_120_08(sid: str, start: D) -> Finding:
    return Finding(
        rule_id="V-120-08",
        message=(
            f"unit {sid}: not yet started (85) but starts {start.isoformat()}, not after 2026-12-31: a 2026 "
            "collection reports its start date as passed (V-120-08; an error under vic); pass --period/period= so "
            "the start is placed after the period end"
        ),
        field="start_date",
        value=start,
    )


def _v_120_03(sid: str, end: D) -> Finding:
    return Finding(
        rule_id="V-120-03",
        message=(
            f"unit {sid}: continuing (70) but ends {end.isoformat()}, not after 2026-12-31: a 2026 collection needs "
            "a 70 to end after the period end (V-120-03); pass --period/period= so the end is placed after it"
        ),
        field="end_date",
        value=end,
    )


def _v_120_01(sid: str, outcome: str, start: D) -> Finding:
    return Finding(
        rule_id="V-120-01",
        message=(
            f"unit {sid}: outcome {outcome} starts {start.isoformat()}, after 2026-12-31: a 2026 collection rejects "
            "it (V-120-01); it belongs to a later collection"
        ),
        field="start_date",
        value=start,
    )


def test_unscoped_an_85_starting_on_the_year_end_is_v_120_08_and_the_day_after_is_silent() -> None:
    end = D(2026, 12, 31)
    far = D(2027, 6, 1)
    assert unscoped_findings("U001", "85", end, far, reporting_date=D(2026, 6, 1)) == (_v_120_08("U001", end),)
    assert unscoped_findings("U001", "85", end + DAY, far, reporting_date=D(2026, 6, 1)) == ()


def test_unscoped_a_70_ending_on_the_year_end_is_v_120_03_and_the_day_after_is_silent() -> None:
    start, end = D(2026, 3, 1), D(2026, 12, 31)
    assert unscoped_findings("U002", "70", start, end, reporting_date=D(2026, 6, 1)) == (_v_120_03("U002", end),)
    assert unscoped_findings("U002", "70", start, end + DAY, reporting_date=D(2026, 6, 1)) == ()


def test_unscoped_a_row_starting_after_the_year_end_is_v_120_01_and_on_it_is_silent() -> None:
    late = D(2027, 1, 1)
    assert unscoped_findings("U003", "20", late, D(2027, 2, 1), reporting_date=D(2026, 6, 1)) == (
        _v_120_01("U003", "20", late),
    )
    assert unscoped_findings("U003", "20", late - DAY, D(2027, 2, 1), reporting_date=D(2026, 6, 1)) == ()


def test_unscoped_a_70_kept_on_deferral_starting_and_ending_after_the_year_is_only_v_120_01() -> None:
    late = D(2027, 1, 1)
    assert unscoped_findings("U004", "70", late, D(2027, 3, 1), reporting_date=D(2026, 6, 1)) == (
        _v_120_01("U004", "70", late),
    )


def test_unscoped_a_70_starting_after_the_year_but_ending_in_it_is_impossible_yet_reports_both_in_order() -> None:
    """The order of the findings is the order of the warnings: V-120-08, V-120-03, V-120-01."""
    got = unscoped_findings("U005", "70", D(2027, 1, 1), D(2026, 12, 1), reporting_date=D(2026, 6, 1))
    assert got == (_v_120_03("U005", D(2026, 12, 1)), _v_120_01("U005", "70", D(2027, 1, 1)))


def test_unscoped_other_outcomes_in_the_year_are_silent() -> None:
    for outcome in ("20", "30", "40", "85", None):
        start = D(2027, 2, 1) if outcome == "85" else D(2026, 2, 1)
        assert unscoped_findings("U006", outcome, start, D(2027, 3, 1), reporting_date=D(2026, 6, 1)) == ()
    assert unscoped_findings("U006", "20", D(2026, 2, 1), D(2026, 3, 1), reporting_date=D(2026, 6, 1)) == ()


def test_unscoped_reads_the_reporting_date_year() -> None:
    """A 70 ending in 2026 is fine for a 2025 reporting date (the period end is 2025-12-31)."""
    assert unscoped_findings("U007", "70", D(2025, 3, 1), D(2026, 1, 1), reporting_date=D(2025, 6, 1)) == ()


# --- completion_placement ------------------------------------------------------------------------------------------


def test_completion_placement_without_a_period_keeps_the_reporting_year_silently() -> None:
    assert completion_placement(
        "BSB40120", D(2026, 1, 1), has_activity=True, reporting_date=REPORTING, period=None
    ) == (True, None)
    assert completion_placement(
        "BSB40120", D(2026, 1, 1), has_activity=False, reporting_date=REPORTING, period=None
    ) == (True, None)


def test_completion_placement_without_a_period_warns_p_01_on_an_earlier_year_and_still_writes() -> None:
    done = D(2025, 12, 31)
    got = completion_placement("BSB40120", done, has_activity=True, reporting_date=D(2026, 1, 1), period=None)
    assert got == (
        True,
        Finding(
            rule_id="P-01",
            message=(
                "program BSB40120: completed 2025-12-31, in an earlier collection year than the reporting date "
                "2026-01-01: a 2026 collection reports it in the wrong year (P-01); report it in that year's "
                "collection (check it was), or pass --period/period="
            ),
            field="date_program_completed",
            value=done,
        ),
    )


def test_completion_placement_completed_before_the_period_start_is_left_out() -> None:
    done = P2026.start - DAY
    got = completion_placement("BSB40120", done, has_activity=False, reporting_date=REPORTING, period=P2026)
    assert got == (
        False,
        Finding(
            rule_id="F-PRIOR-YEAR",
            message=(
                "program BSB40120: completed 2025-12-31, before the collection period start 2026-01-01: NAT00130 "
                "left out of this collection; report the completion with its units in the collection of the year "
                "they ended (check it was)"
            ),
            field="date_program_completed",
            value=done,
        ),
    )


def test_completion_placement_completed_on_the_period_start_without_activity_names_x_06() -> None:
    done = P2026.start
    got = completion_placement("BSB40120", done, has_activity=False, reporting_date=REPORTING, period=P2026)
    assert got == (
        False,
        Finding(
            rule_id="F-PRIOR-YEAR",
            message=(
                "program BSB40120: completed 2026-01-01, but every unit ended before the collection period start "
                "2026-01-01, so none is in this collection (a completion needs its NAT00120 activity in the same "
                "collection: X-06): NAT00130 left out of this collection; report the completion with its units in "
                "the collection of the year they ended (check it was)"
            ),
            field="date_program_completed",
            value=done,
        ),
    )


def test_completion_placement_with_activity_on_the_period_end_is_written_silently() -> None:
    assert completion_placement(
        "BSB40120", HALF.end, has_activity=True, reporting_date=D(2026, 7, 10), period=HALF
    ) == (True, None)
    assert completion_placement(
        "BSB40120", HALF.start, has_activity=True, reporting_date=D(2026, 7, 10), period=HALF
    ) == (True, None)


def test_completion_placement_after_the_period_end_is_written_with_a_p_01_warning() -> None:
    done = HALF.end + DAY
    got = completion_placement("BSB40120", done, has_activity=True, reporting_date=D(2026, 7, 10), period=HALF)
    assert got == (
        True,
        Finding(
            rule_id="P-01",
            message=(
                "program BSB40120: completed 2026-07-01, after 2026-06-30 (the collection's future): a completion is "
                "reported in the collection of the year it was completed (P-01); check the completion date"
            ),
            field="date_program_completed",
            value=done,
        ),
    )


def test_completion_placement_is_a_final_collection_by_default_and_interim_reads_the_reporting_date() -> None:
    """Interim: the future starts the day after the reporting date; the default (final) waits for the period end."""
    rep = D(2026, 3, 31)
    after = rep + DAY
    assert completion_placement("BSB40120", after, has_activity=True, reporting_date=rep, period=P2026) == (
        True,
        None,
    )
    ok, said = completion_placement(
        "BSB40120", after, has_activity=True, reporting_date=rep, period=P2026, interim=True
    )
    assert ok is True and said is not None
    assert (said.rule_id, said.field, said.value) == ("P-01", "date_program_completed", after)
    assert said.message.startswith("program BSB40120: completed 2026-04-01, after 2026-03-31 (the collection's")
    assert completion_placement("BSB40120", rep, has_activity=True, reporting_date=rep, period=P2026, interim=True) == (
        True,
        None,
    )


# --- check_reporting_date ------------------------------------------------------------------------------------------


def test_check_reporting_date_accepts_the_period_start_and_no_period() -> None:
    check_reporting_date(P2026.start, P2026)
    check_reporting_date(D(2020, 1, 1), None)


def test_check_reporting_date_refuses_the_day_before_the_period_start() -> None:
    with pytest.raises(UsageError) as err:
        check_reporting_date(D(2025, 12, 31), P2026)
    assert str(err.value) == (
        "reporting date 2025-12-31 is before the collection period start 2026-01-01: give the day the collection "
        "is reported (on or after the period start)"
    )
