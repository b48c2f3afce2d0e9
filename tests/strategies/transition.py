"""Hypothesis strategies for F-TRANSITION: superseded enrolments, transition events and program chains.

Built on ``tests.strategies.model`` (units, dates, :data:`REPORTING_DATE`). Everything is synthetic ("TESTCL01",
programs "OLDPROG"/"NEWPROG", Commitment IDs "CID…"). Dates stay before :data:`REPORTING_DATE`, so a generated plan
is refused only by a rule under test, never by accident.
"""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from avetmiss_finalise.model import ProgramEnrolment, Transition, UnitEnrolment
from tests.strategies.model import ANY_OUTCOMES, REPORTING_DATE, dates, unit_enrolments

__all__ = [
    "CURRENT",
    "REPORTING_DATE",
    "SUPERSEDED",
    "current_units",
    "program_chains",
    "superseded_enrolments",
    "transitions",
    "units",
]

SUPERSEDED = "OLDPROG"
CURRENT = "NEWPROG"

#: Outcomes a superseded unit may carry: achieved, other final, unfinished, the internal 00 and an unknown code.
SUPERSEDED_OUTCOMES = ANY_OUTCOMES


@st.composite
def units(draw: st.DrawFn, subject_id: str, outcomes: tuple[str | None, ...] = SUPERSEDED_OUTCOMES) -> UnitEnrolment:
    """One unit enrolment (``tests.strategies.model``) that may already have been reported."""
    unit = draw(unit_enrolments(subject_id, outcomes))
    return attrs.evolve(unit, reported=draw(st.booleans()))


@st.composite
def superseded_enrolments(draw: st.DrawFn, *, commitment_id: bool | None = True) -> ProgramEnrolment:
    """The superseded program enrolment: subjects A001…, Commitment ID present (or drawn when ``None``)."""
    n = draw(st.integers(0, 6))
    has_cid = draw(st.booleans()) if commitment_id is None else commitment_id
    return ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id=SUPERSEDED,
        commitment_id="CID0000001" if has_cid else None,
        units=tuple(draw(units(f"A{i:03d}")) for i in range(n)),
    )


@st.composite
def current_units(draw: st.DrawFn) -> tuple[UnitEnrolment, ...]:
    """Units enrolled in the current program (B001…), not yet finished: outcome 70 or 85."""
    n = draw(st.integers(0, 4))
    return tuple(draw(units(f"B{i:03d}", outcomes=("70", "85"))) for i in range(n))


@st.composite
def transitions(
    draw: st.DrawFn,
    enrolment: ProgramEnrolment,
    *,
    previously_reported: bool | None = None,
    previous_program_ids: tuple[str, ...] | None = (),
) -> Transition:
    """A transition of ``enrolment`` to NEWPROG; the unit map sends some A units to B units (present or not)."""
    sources = [u.subject_id for u in enrolment.units]
    mapped = draw(st.lists(st.sampled_from(sources), unique=True)) if sources else []
    unit_map = {s: f"B{draw(st.integers(0, 6)):03d}" for s in mapped}
    if previous_program_ids is None:
        previous_program_ids = tuple(draw(st.lists(st.sampled_from(["P1", "P2", SUPERSEDED]), max_size=2)))
    return Transition(
        date=draw(dates),
        current_program_id=CURRENT,
        unit_map=unit_map,
        previously_reported=draw(st.booleans()) if previously_reported is None else previously_reported,
        new_commitment_id=draw(st.none() | st.just("CID0000002")),
        previous_program_ids=previous_program_ids,
        current_units=draw(current_units()),
    )


def program_chains(min_size: int = 2, max_size: int = 6) -> st.SearchStrategy[list[str]]:
    """Distinct program identifiers in transition order (oldest first)."""
    return st.lists(
        st.from_regex(r"[A-Z]{3}[0-9]{5}", fullmatch=True), min_size=min_size, max_size=max_size, unique=True
    )
