"""Collection-period rules: V-120-01, 03, 04, 07, 08, 09, 11 and P-01, and what "the future" means.

"The future" is after the period end at a final collection, and after the reporting date (else the period end)
at an interim collection. Outcome 85 is exempt from V-120-01: its start date belongs in the future (V-120-08).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import Broken, SampleCollection, consistent_collections
from tests.validation.harness import ACT, Breaker, activity, append, day, fired, where

FEW = settings(max_examples=max(8, settings().max_examples // 3))
FINAL = ("20", "30", "40", "41", "51", "52", "60", "61", "81", "82")
MID_YEAR = ValidationOptions(reporting_date=datetime.date(2026, 6, 30))


def starts_after_period(c: SampleCollection, data: st.DataObject) -> Broken:
    y = c.year + 1
    month = data.draw(st.integers(1, 11))
    outcome = data.draw(st.sampled_from(("70", "20", "40")))
    return activity(
        data, c, activity_start_date=day(y, month, 1), activity_end_date=day(y, 12, 15), outcome_national=outcome
    )


def continuing_ended(c: SampleCollection, data: st.DataObject) -> Broken:
    end = day(c.year, data.draw(st.integers(2, 12)), data.draw(st.integers(1, 28)))
    return activity(data, c, outcome_national="70", activity_start_date=day(c.year, 1, 20), activity_end_date=end)


def ends_before_period(c: SampleCollection, data: st.DataObject) -> Broken:
    end = day(c.year - 1, data.draw(st.integers(2, 12)), data.draw(st.integers(1, 28)))
    return activity(data, c, activity_end_date=end, activity_start_date=day(c.year - 1, 1, 10), outcome_national="20")


def final_in_future(c: SampleCollection, data: st.DataObject) -> Broken:
    end = day(c.year + 1, data.draw(st.integers(1, 12)), 15)
    outcome = data.draw(st.sampled_from(FINAL))
    return activity(data, c, activity_end_date=end, activity_start_date=day(c.year, 11, 1), outcome_national=outcome)


def not_started_but_started(c: SampleCollection, data: st.DataObject) -> Broken:
    start = day(c.year, data.draw(st.integers(1, 12)), data.draw(st.integers(1, 28)))
    return activity(
        data,
        c,
        activity_start_date=start,
        activity_end_date=start + datetime.timedelta(days=60),
        outcome_national="85",
    )


def in_progress_without_70(c: SampleCollection, data: st.DataObject) -> Broken:
    outcome = data.draw(st.sampled_from((None, "90", "00", "65", "50")))
    return activity(
        data,
        c,
        outcome_national=outcome,
        activity_start_date=day(c.year, 6, 1),
        activity_end_date=day(c.year + 1, 3, 1),
    )


def continuing_to_december(c: SampleCollection, data: st.DataObject) -> Broken:
    end = day(c.year, 12, data.draw(st.integers(1, 31)))
    return activity(data, c, activity_end_date=end, outcome_national="70", activity_start_date=day(c.year, 2, 1))


def completion_outside(c: SampleCollection, data: st.DataObject) -> Broken:
    when = data.draw(
        st.one_of(
            st.dates(datetime.date(2000, 1, 1), day(c.year - 1, 12, 31)),
            st.dates(day(c.year + 1, 1, 1), datetime.date(2100, 1, 1)),
        )
    )
    client = c.rows["NAT00080"][0]["client_id"]
    row = {"training_organisation_id": "90000", "program_id": "BSB40120", "client_id": client, "issued_flag": "N"}
    broken, new = append(c, "NAT00130", {**row, "date_program_completed": when})
    return Broken(broken, "NAT00130", new, "date_program_completed")


#: rule id → (context keyword arguments, breaker)
CASES: dict[str, tuple[dict[str, Any], Breaker]] = {
    "V-120-01": ({}, starts_after_period),
    "V-120-03": ({}, continuing_ended),
    "V-120-04": ({}, ends_before_period),
    "V-120-07": ({}, final_in_future),
    "V-120-08": ({}, not_started_but_started),
    "V-120-09": ({}, in_progress_without_70),
    "V-120-11": ({"interim": True, "options": MID_YEAR}, continuing_to_december),
    "P-01": ({}, completion_outside),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
@FEW
@given(data=st.data())
def test_rule_is_silent_on_consistent_data_and_fires_where_broken(rule_id: str, data: st.DataObject) -> None:
    """V-120-01, 03, 04, 07, 08, 09, 11 and P-01: silent on a consistent collection, one finding where broken."""
    kwargs, breaker = CASES[rule_id]
    c = data.draw(consistent_collections())
    assert fired(rule_id, c, **kwargs) == []
    broken = breaker(c, data)
    assert where(fired(rule_id, broken.collection, **kwargs)) == [(broken.file, broken.row, broken.field)]


@FEW
@given(data=st.data())
def test_period_rules_do_not_run_without_a_period(data: st.DataObject) -> None:
    """Without a period nothing is 'after the period' or 'in the future': V-120-01 … P-01 stay silent."""
    c = data.draw(consistent_collections())
    for rule_id, (_, breaker) in CASES.items():
        assert fired(rule_id, breaker(c, data).collection, year=None) == []


@FEW
@given(data=st.data())
def test_v_120_01_does_not_apply_to_85_whose_start_belongs_in_the_future(data: st.DataObject) -> None:
    """V-120-01 vs V-120-08 at a final collection: an 85 starting after the period end is correct, not 3211."""
    c = data.draw(consistent_collections())
    start = day(c.year + 1, data.draw(st.integers(1, 12)), 1)
    broken = activity(data, c, outcome_national="85", activity_start_date=start, activity_end_date=start)
    assert fired("V-120-01", broken.collection) == []
    assert fired("V-120-08", broken.collection) == []


@FEW
@given(data=st.data())
def test_v_120_03_is_relaxed_to_a_warning_at_an_interim_collection(data: st.DataObject) -> None:
    """V-120-03 (AVS 3252) 'unless reporting an Interim collection for future dated activity'."""
    c = data.draw(consistent_collections())
    broken = continuing_ended(c, data)
    assert [f.severity for f in fired("V-120-03", broken.collection)] == [Severity.ERROR]
    interim = fired("V-120-03", broken.collection, interim=True)
    assert [f.severity for f in interim] == [Severity.WARNING]


@FEW
@given(data=st.data())
def test_interim_future_is_after_the_reporting_date(data: st.DataObject) -> None:
    """V-120-07 at an interim collection: an end date after the reporting date is in the future, before it is not."""
    c = data.draw(consistent_collections())
    broken = activity(
        data, c, outcome_national="20", activity_start_date=day(c.year, 3, 1), activity_end_date=day(c.year, 9, 1)
    )
    at = (ACT, broken.row, "activity_end_date")
    assert at in where(fired("V-120-07", broken.collection, interim=True, options=MID_YEAR))
    late = ValidationOptions(reporting_date=day(c.year, 10, 1))
    assert at not in where(fired("V-120-07", broken.collection, interim=True, options=late))
    # A final collection ignores the reporting date: the future starts after the period end.
    assert fired("V-120-07", broken.collection, options=MID_YEAR) == []


@FEW
@given(data=st.data())
def test_v_120_08_is_a_warning_nationally_and_an_error_in_vic(data: st.DataObject) -> None:
    """V-120-08: 85 with a start date already passed — warning (national, configurable), error for VIC."""
    c = data.draw(consistent_collections())
    broken = not_started_but_started(c, data)
    assert [f.severity for f in fired("V-120-08", broken.collection)] == [Severity.WARNING]
    strict = ValidationOptions(outcome_85_past_start_severity=Severity.ERROR)
    assert [f.severity for f in fired("V-120-08", broken.collection, options=strict)] == [Severity.ERROR]
    vic = data.draw(consistent_collections(profile="vic"))
    assert [f.severity for f in fired("V-120-08", not_started_but_started(vic, data).collection)] == [Severity.ERROR]


def test_the_ncver_window_is_listed_as_not_implemented() -> None:
    """P-02 is about when a collection is submitted, which the data does not say."""
    assert not REGISTRY["P-02"].implemented
