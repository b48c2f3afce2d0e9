"""Synthetic reference sets for the reference-backed rules: never real data.

``references_for(collection)`` draws a :class:`~avetmiss_finalise.reference.Reference` that agrees with a
``consistent_collections()`` collection (every place, organisation, program and unit it uses is listed, with the
collection's names as titles) and adds generated noise: invented localities under invented and real-looking
postcodes, other organisation codes, superseded programs with replacements and teach-out dates, units with hours.
``to_csv(reference_part)`` writes the same data as the simple CSV form, so loader tests can round-trip it.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

from avetmiss_finalise.reference import (
    OrganisationTable,
    PostcodeTable,
    ProgramEntry,
    ProgramTable,
    Reference,
    UnitEntry,
    UnitTable,
)
from avetmiss_finalise.reference._parse import STATE_CODES
from tests.strategies.collections import SampleCollection

__all__ = ["localities", "place_rows", "references_for", "state_abbreviation", "superseded_programs"]

_STATE_OF = {v: k for k, v in STATE_CODES.items() if k not in ("JBT",)}
_SYLLABLES = ("ZED", "QUA", "VOR", "MIX", "LUN", "TAR", "BEX", "OLO", "KIP", "RAN")

#: Invented localities (two to three made-up syllables, sometimes two words): never a real suburb by design.
localities = st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3).map("".join) | st.tuples(
    st.sampled_from(("MOUNT", "PORT", "EAST")), st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=2)
).map(lambda t: f"{t[0]} {''.join(t[1])}")


def state_abbreviation(state_id: str) -> str:
    return _STATE_OF[state_id]


def place_rows(c: SampleCollection) -> list[tuple[str, str, str]]:
    """Every (postcode, suburb, state id) the collection uses, from NAT00010A, NAT00020, NAT00080 and NAT00085."""
    out = []
    for file_id, suburb in (
        ("NAT00010A", "address_suburb"),
        ("NAT00020", "address_suburb"),
        ("NAT00080", "address_suburb"),
        ("NAT00085", "address_postal_suburb"),
    ):
        for r in c.rows.get(file_id, []):
            pc, sub, state = r.get("postcode"), r.get(suburb), r.get("state_id")
            if isinstance(pc, str) and pc.isdigit() and sub and state in _STATE_OF:
                out.append((pc, str(sub), str(state)))
    return out


@st.composite
def superseded_programs(draw: st.DrawFn, year: int) -> list[ProgramEntry]:
    """Invented superseded programs (ZZZ codes), each replaced by a current one, some through a chain."""
    out = []
    for i in range(draw(st.integers(0, 3))):
        old, new = f"ZZZ4{i}115", f"ZZZ4{i}120"
        superseded = datetime.date(year - draw(st.integers(0, 3)), draw(st.integers(1, 12)), 1)
        teach_out = draw(st.none() | st.just(superseded + datetime.timedelta(days=365)))
        out.append(
            ProgramEntry(
                code=old,
                titles=(f"SAMPLE OLD PROGRAM {i}",),
                statuses=("superseded",),
                superseded_by=(new,),
                superseded_date=superseded,
                teach_out_date=teach_out,
            )
        )
        out.append(ProgramEntry(code=new, titles=(f"SAMPLE NEW PROGRAM {i}",), statuses=("current",)))
    return out


@st.composite
def references_for(draw: st.DrawFn, c: SampleCollection, **parts: Any) -> Reference:
    """A reference set agreeing with ``c``, plus noise; ``parts`` overrides tables (``postcodes=None`` drops one)."""
    places = place_rows(c)
    noise = draw(
        st.lists(
            st.tuples(st.integers(200, 9999).map(lambda n: f"{n:04d}"), localities, st.sampled_from(sorted(_STATE_OF))),
            max_size=12,
        )
    )
    stateless = draw(st.booleans())
    postcode_rows: list[tuple[str, str, str | None]] = [
        (p, s, None if stateless else st_id) for p, s, st_id in places
    ] + [(p, s, st_id) for p, s, st_id in noise]
    toids = {r["training_organisation_id"] for f in ("NAT00010", "NAT00010A") for r in c.rows.get(f, [])}
    other = draw(st.lists(st.integers(1000, 99999).map(str), max_size=5))
    programs = [
        ProgramEntry(code=r["program_id"], titles=(r["program_name"],), statuses=("current",))
        for f in ("NAT00030", "NAT00030A")
        for r in c.rows.get(f, [])
        if r.get("program_id") and (f == "NAT00030" or r.get("program_recognition_id") in ("11", "12", "13"))
    ]
    programs += draw(superseded_programs(c.year))
    units = [
        UnitEntry(code=r["subject_id"], titles=(r["subject_name"],), nominal_hours=r.get("nominal_hours"))
        for r in c.rows.get("NAT00060", [])
    ]
    units += [
        UnitEntry(
            code=f"ZZZUNIT{i:03d}", titles=(f"SAMPLE UNIT {i}",), nominal_hours=draw(st.none() | st.integers(0, 200))
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    tables: dict[str, Any] = {
        "postcodes": PostcodeTable.from_rows(postcode_rows),
        "organisations": OrganisationTable.from_codes(sorted(toids) + other),
        "programs": ProgramTable.from_entries(programs),
        "units": UnitTable.from_entries(units),
    }
    tables.update(parts)
    return Reference(**tables)
