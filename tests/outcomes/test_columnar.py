"""The columnar bulk path gives the same rows, statuses and refusals as ``finalise`` (all rule IDs, in bulk)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.model import Completion, Deferral, ProgramEnrolment, Withdrawal
from avetmiss_finalise.nat import frame_from_records
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs
from tests.strategies.model import REPORTING_DATE, dates, events, program_enrolments

Pair = tuple[ProgramEnrolment, Completion | Withdrawal | Deferral]


@st.composite
def pairs(draw: st.DrawFn) -> list[Pair]:
    out: list[Pair] = []
    for _ in range(draw(st.integers(0, 5))):
        e = draw(program_enrolments())
        out.append((e, draw(events(e))))
    return out


@given(pairs(), st.sampled_from(["national", "nsw"]), st.one_of(st.just(REPORTING_DATE), dates))
def test_columnar_path_matches_finalise(items: list[Pair], profile: str, reporting_date) -> None:
    """F-COMPLETE, F-WITHDRAW(-COMMENCED/-NOT-COMMENCED), F-DEFER, F-TO-TNC, F-TO-D: same NAT rows in bulk."""
    results = [finalise(e, ev, profile, reporting_date=reporting_date) for e, ev in items]
    units, enrolments = frames_from_pairs(items)
    got = finalise_frame(units, enrolments, profile, reporting_date=reporting_date)

    rows = [row for r in results for row in r.nat00120]
    pd.testing.assert_frame_equal(got.nat00120, frame_from_records(rows, "NAT00120", profile))
    done = [r.nat00130 for r in results if r.nat00130 is not None]
    pd.testing.assert_frame_equal(got.nat00130, frame_from_records(done, "NAT00130", profile))
    assert got.enrolments["refused"].tolist() == [not r.ok for r in results]
    assert got.enrolments["status"].tolist() == [r.status.value for r in results]
    expected_to = [r.training_organisation_outcome if r.ok else None for r in results]
    assert got.enrolments["training_organisation_outcome"].fillna("").tolist() == [t or "" for t in expected_to]
    for i, r in enumerate(results):
        named = set(got.problems.loc[got.problems["enrolment"] == i, "subject_id"].dropna())
        assert named == set(r.refusal.subject_ids if r.refusal else ())
    after = [u for r in results for u in r.enrolment.units]
    assert got.units["outcome"].tolist() == [u.outcome if u.outcome is not None else pd.NA for u in after]
