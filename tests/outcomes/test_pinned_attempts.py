"""The replaced-elective boundary of ``outcomes/columnar_attempts.py`` held equal to ``outcomes/attempts.py``
(mutation testing: ``scripts/mutate.py avetmiss_finalise/outcomes/columnar_attempts.py``). Synthetic records only."""

from __future__ import annotations

import datetime

import pytest

from avetmiss_finalise.model import Completion
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.attempts import REPLACED_MESSAGE
from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs
from avetmiss_finalise.profiles import get_profile
from tests.outcomes.test_columnar import _check
from tests.outcomes.test_examples import enrolment, unit

REPORTING = datetime.date(2026, 11, 29)
DONE = Completion(date=datetime.date(2026, 6, 1), credential_issued=True)


@pytest.mark.parametrize(("start", "accepted"), [("2026-02-01", True), ("2026-01-31", False)])
def test_a_replacing_unit_starting_the_same_day_counts_on_both_paths(start: str, accepted: bool) -> None:
    """A withdrawn E1 starting 2026-02-01 beside an achieved E2: E2 starting the same day replaces it (the
    completion is accepted with one F-COMPLETE warning naming E1), the day before does not (refused, naming E1) —
    in ``finalise_frame`` as in ``finalise``."""
    e = enrolment(unit("E1", "2026-02-01", "2026-02-20", "40", 4), unit("E2", start, "2026-04-01", "20"))
    r = finalise(e, DONE, reporting_date=REPORTING)
    units, enrolments = frames_from_pairs([(e, DONE)])
    got = finalise_frame(units, enrolments, get_profile("national"), reporting_date=REPORTING)
    assert got.enrolments["refused"].tolist() == [not accepted] and r.ok is accepted
    if accepted:
        warned = [(i.rule_id, i.severity.label, i.message) for i in r.issues if i.rule_id == "F-COMPLETE"]
        assert warned == [("F-COMPLETE", "warning", f"unit E1: {REPLACED_MESSAGE}")]
        assert got.nat00120["subject_id"].tolist() == ["E1", "E2"]
        assert got.nat00120["outcome_national"].tolist() == ["40", "20"]
    else:
        assert r.refusal is not None and r.refusal.subject_ids == ("E1",)
        assert len(got.nat00120) == 0
    _check([(e, DONE)], get_profile("national"), REPORTING)
