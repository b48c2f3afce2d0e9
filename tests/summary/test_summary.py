"""Collection summary numbers against counts computed here, row by row, from the same generated rows."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.summary import render_text, summarise
from avetmiss_finalise.summary._compute import BLANK
from avetmiss_finalise.validation.registry import Period
from tests.strategies.collections import frame_of

_DAY = datetime.date(2025, 6, 1)
_rows = st.lists(
    st.fixed_dictionaries(
        {
            "training_organisation_id": st.just("90001"),
            "client_id": st.sampled_from(["C1", "C2", "C3", "C4"]),
            "subject_id": st.sampled_from(["U1", "U2", "U3"]),
            "program_id": st.sampled_from(["BSB40120", "BSB50120", None]),
            "outcome_national": st.sampled_from(["20", "30", "40", "70", "85", None]),
            "funding_source_national": st.sampled_from(["11", "20", "13"]),
            "delivery_mode_id": st.sampled_from(["YNN", "NNN", "NYN"]),
            "predominant_delivery_mode": st.sampled_from(["I", "N", "E"]),
            "commencing_program_id": st.sampled_from(["3", "4", "8"]),
            "activity_start_date": st.one_of(
                st.none(), st.integers(0, 700).map(lambda d: _DAY + datetime.timedelta(d))
            ),
            "scheduled_hours": st.one_of(st.none(), st.integers(0, 200)),
            "hours_attended": st.one_of(st.none(), st.integers(0, 200)),
        }
    ),
    max_size=40,
)


def _end(row: dict[str, Any]) -> dict[str, Any]:
    start = row["activity_start_date"]
    return {**row, "activity_end_date": None if start is None else start + datetime.timedelta(days=30)}


def _key(v: object) -> str:
    return BLANK if v is None else str(v)


@given(rows=_rows.map(lambda rs: [_end(r) for r in rs]), with_period=st.booleans())
def test_summary_counts_equal_row_by_row_counts(rows: list[dict[str, Any]], with_period: bool) -> None:
    period = Period.year(2026) if with_period else None
    frames = {
        "NAT00120": frame_of("NAT00120", rows),
        "NAT00080": frame_of("NAT00080", [{"client_id": c} for c in ("C1", "C2", "C3", "C4", "C5")]),
        "NAT00130": frame_of(
            "NAT00130",
            [
                {
                    "client_id": "C1",
                    "program_id": "BSB40120",
                    "date_program_completed": datetime.date(2026, 5, 1),
                    "issued_flag": "Y",
                },
                {
                    "client_id": "C2",
                    "program_id": "BSB40120",
                    "date_program_completed": datetime.date(2025, 5, 1),
                    "issued_flag": "N",
                },
            ],
        ),
    }
    s = summarise(frames, period=period)
    if period is not None:
        inside = [
            r
            for r in rows
            if r["activity_start_date"] is None
            or (r["activity_start_date"] <= period.end and r["activity_end_date"] >= period.start)
        ]
    else:
        inside = rows
    assert s.counts["subject_enrolments"] == len(inside)
    assert s.counts["outside_period"] == len(rows) - len(inside)
    assert s.counts["clients"] == 5
    assert s.counts["clients_with_activity"] == len({r["client_id"] for r in inside})
    assert s.counts["program_enrolments"] == len({(r["client_id"], r["program_id"]) for r in inside if r["program_id"]})
    assert s.counts["completions"] == (1 if period else 2)
    assert s.counts["completions_issued"] == 1
    for name, col in (
        ("outcome", "outcome_national"),
        ("funding", "funding_source_national"),
        ("delivery_mode", "delivery_mode_id"),
        ("predominant_delivery_mode", "predominant_delivery_mode"),
        ("commencing_program", "commencing_program_id"),
    ):
        got = {r[0]: r[2] for r in s.table(name).rows}
        assert got == dict(Counter(_key(r[col]) for r in inside)), name
    programs = {r[0]: (r[1], r[2]) for r in s.table("program").rows}
    assert programs == {
        p: (n, len({r["client_id"] for r in inside if _key(r["program_id"]) == p}))
        for p, n in Counter(_key(r["program_id"]) for r in inside).items()
    }
    months = dict(s.table("start_month").rows)
    want = Counter(
        BLANK if r["activity_start_date"] is None else r["activity_start_date"].strftime("%Y-%m") for r in inside
    )
    assert months == dict(want)
    hours = {r[0]: r[1:] for r in s.table("hours").rows}
    total = (
        len(inside),
        sum(r["scheduled_hours"] or 0 for r in inside),
        sum(r["hours_attended"] or 0 for r in inside),
        sum(r["hours_attended"] is not None for r in inside),
    )
    assert hours["all"] == total
    for outcome in {_key(r["outcome_national"]) for r in inside}:
        mine = [r for r in inside if _key(r["outcome_national"]) == outcome]
        assert hours[outcome][0] == len(mine)
        assert hours[outcome][1] == sum(r["scheduled_hours"] or 0 for r in mine)
    assert "Subject enrolments" in render_text(s)


def test_summary_of_an_empty_collection_is_all_zero() -> None:
    s = summarise({})
    assert set(s.counts.values()) == {0}
    assert all(t.rows == () or t.name == "hours" for t in s.tables)
