"""``steps.moved`` (``attrs.evolve`` of a unit's four tracked fields, spelt out for speed) against ``attrs.evolve``
itself, and ``steps.decide``'s changes against the generic comparison of the tracked fields it replaced."""

from __future__ import annotations

import datetime

import attrs
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.decisions import Change
from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.steps import _TRACKED, _value, decide, moved

_DAYS = st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
_OUTCOMES = st.sampled_from([None, "20", "40", "70", "85", "00"])
_HOURS = st.none() | st.integers(0, 500)


def _every_field_set() -> UnitEnrolment:
    """A unit whose every field differs from its default and from every other field's value."""
    values: dict[str, object] = {}
    for n, a in enumerate(attrs.fields(UnitEnrolment)):
        if a.type == "bool":
            values[a.name] = True
        elif a.name.endswith("_date"):
            values[a.name] = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
        elif a.type == "int | None":
            values[a.name] = 1000 + n
        else:
            values[a.name] = f"v{n}"
    return UnitEnrolment(**values)  # type: ignore[arg-type]


def test_moved_keeps_every_other_field() -> None:
    unit = _every_field_set()
    new = moved(
        unit, outcome="40", start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2027, 2, 1), hours_attended=7
    )
    assert new == attrs.evolve(
        unit, outcome="40", start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2027, 2, 1), hours_attended=7
    )
    same = moved(
        unit,
        outcome=unit.outcome,
        start_date=unit.start_date,
        end_date=unit.end_date,
        hours_attended=unit.hours_attended,
    )
    assert same == unit and attrs.asdict(same) == attrs.asdict(unit)


def test_moved_keeps_a_subclass() -> None:
    @attrs.frozen(kw_only=True)
    class Tagged(UnitEnrolment):
        tag: str = "t"

    unit = Tagged(
        subject_id="S",
        delivery_location_id="L",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 2, 1),
    )
    new = moved(unit, outcome="40", start_date=unit.start_date, end_date=unit.end_date, hours_attended=3)
    assert type(new) is Tagged and new == attrs.evolve(unit, outcome="40", hours_attended=3)


@given(_OUTCOMES, _DAYS, _DAYS, _HOURS, _OUTCOMES, _DAYS, _DAYS, _HOURS, st.booleans())
def test_decide_records_what_the_generic_comparison_did(
    o1: str | None,
    s1: datetime.date,
    e1: datetime.date,
    h1: int | None,
    o2: str | None,
    s2: datetime.date,
    e2: datetime.date,
    h2: int | None,
    same: bool,
) -> None:
    before = UnitEnrolment(
        subject_id="S", delivery_location_id="L", start_date=s1, end_date=e1, outcome=o1, hours_attended=h1
    )
    after = before if same else moved(before, outcome=o2, start_date=s2, end_date=e2, hours_attended=h2)
    expected = tuple(
        Change(field=name, before=_value(getattr(before, name)), after=_value(getattr(after, name)))
        for name in _TRACKED
        if getattr(before, name) != getattr(after, name)
    )
    step = decide(before, after, program_id="P", rule_id="R", reason="why")
    assert step.unit is after
    assert step.decision.changes == expected
