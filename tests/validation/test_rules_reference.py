"""Rules that need reference data (issue #14 items 2-3), each with a generated synthetic reference set:
V-080-10, V-020-03, V-010-04 (postcode/locality), V-010-05, V-010-06, V-030-01, V-030-07, V-030-08, V-030-09,
V-060-02 (training.gov.au, the submitting account) and V-120-F12 (specific funding identifier of the year).

Every rule is silent on a consistent collection with a reference set that agrees with it — including names that
differ only in case, spacing or punctuation — and fires exactly at the broken row and field after its breaker.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.reference import PostcodeTable, ProgramEntry, ProgramTable, Reference, SpecificFundingList
from avetmiss_finalise.reference.specific_funding import FundingEntry
from avetmiss_finalise.validation import ValidationOptions
from tests.strategies.collections import SampleCollection, consistent_collections, pick
from tests.strategies.reference import localities, place_rows, references_for
from tests.validation.harness import ACT, Found, append, context, edit, run, where

FEW = settings(max_examples=max(8, settings().max_examples // 3))


@attrs.frozen
class RefBroken:
    """A collection and reference set broken for one rule, and where its one finding must be."""

    collection: SampleCollection
    reference: Reference
    file: str
    row: int
    field: str | None
    options: dict[str, Any] = attrs.field(factory=dict)


RefBreaker = Callable[[SampleCollection, Reference, st.DataObject], RefBroken]


def fired_with(rule_id: str, c: SampleCollection, reference: Reference | None, **options: Any) -> list[Found]:
    opts = ValidationOptions(reference=reference, **options)
    return run(rule_id, context(c.frames(), profile=c.profile, year=c.year, options=opts))


def _respell(text: str, data: st.DataObject) -> str:
    """The same name as people type it: any case, doubled spaces, an apostrophe or full stop added."""
    out = "".join(ch.lower() if data.draw(st.booleans(), label="lower") else ch for ch in text)
    return out.replace(" ", data.draw(st.sampled_from((" ", "  ", " - ")), label="space"))


# --- postcode / locality -----------------------------------------------------------------------------------------


def _place(file_id: str, suburb: str) -> RefBreaker:
    def brk(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
        row = pick(data, c, file_id)
        kind = data.draw(st.sampled_from(("postcode", "suburb", "state")), label="what is wrong")
        if kind == "postcode":
            # Invented postcodes of the reference's noise start at 0200.
            return RefBroken(edit(c, file_id, row, postcode="0199"), ref, file_id, row, "postcode")
        if kind == "suburb":
            other = data.draw(localities, label="locality of no postcode") + " NOWHERE"
            return RefBroken(edit(c, file_id, row, **{suburb: other}), ref, file_id, row, suburb)
        # The pair exists, but in another state than the record's.
        state = c.rows[file_id][row]["state_id"]
        wrong = "05" if state != "05" else "06"
        rows = [(p, s, st_id) for p, s, st_id in place_rows(c)]
        table = PostcodeTable.from_rows(rows)
        return RefBroken(
            edit(c, file_id, row, state_id=wrong), attrs.evolve(ref, postcodes=table), file_id, row, "state_id"
        )

    return brk


def organisation_address(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    """V-010-04: a NAT00010A head office whose suburb is not a locality of its postcode (the good one is listed)."""
    good = {
        "training_organisation_id": "90000",
        "training_organisation_name": "SAMPLE TRAINING RTO",
        "training_organisation_type_id": "31",
        "address_first_line": "1 SAMPLE STREET",
        "address_suburb": "SYDNEY",
        "postcode": "2000",
        "state_id": "01",
    }
    c2, row = append(c, "NAT00010A", good)
    if ref.postcodes is not None:  # the head office's pair is listed, whatever earlier breakers did
        ref = attrs.evolve(
            ref, postcodes=PostcodeTable.union([ref.postcodes, PostcodeTable.from_rows([("2000", "SYDNEY", "01")])])
        )
    assert row not in [f.row for f in fired_with("V-010-04", c2, ref)]  # the good row is silent
    bad = edit(c2, "NAT00010A", row, address_suburb="PARRAMATTA NOWHERE")
    return RefBroken(bad, ref, "NAT00010A", row, "address_suburb")


# --- training.gov.au -------------------------------------------------------------------------------------------


def unlisted_organisation(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    return RefBroken(
        edit(c, "NAT00010", 0, training_organisation_id="77777"), ref, "NAT00010", 0, "training_organisation_id"
    )


def other_account(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    return RefBroken(c, ref, "NAT00010", 0, "training_organisation_id", {"expected_toid": "12345"})


def unlisted_program(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    if data.draw(st.booleans(), label="NAT00030A (recognition 11-13)"):
        row = {
            "program_id": "ZZZ50199",
            "program_name": "SAMPLE",
            "nominal_hours": 10,
            "program_recognition_id": data.draw(st.sampled_from(("11", "12", "13"))),
            "vet_flag": "Y",
        }
        c2, new = append(c, "NAT00030A", row)
        return RefBroken(c2, ref, "NAT00030A", new, "program_id")
    c2, new = append(c, "NAT00030", {"program_id": "ZZZ50199", "program_name": "SAMPLE", "nominal_hours": 10})
    return RefBroken(c2, ref, "NAT00030", new, "program_id")


def local_program_with_tga_code(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    assert ref.programs is not None
    if not ref.programs.entries:
        ref = attrs.evolve(ref, programs=ProgramTable.from_entries([ProgramEntry(code="ZZZ40123")]))
        assert ref.programs is not None
    code = data.draw(st.sampled_from(sorted(ref.programs.entries)), label="a listed code")
    row = {
        "program_id": code,
        "program_name": "SAMPLE LOCAL",
        "nominal_hours": 10,
        "program_recognition_id": data.draw(st.sampled_from(("14", "15", "16"))),
        "vet_flag": "Y",
    }
    c2, new = append(c, "NAT00030A", row)
    return RefBroken(c2, ref, "NAT00030A", new, "program_id")


def after_teach_out(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    """V-030-08: the learner's program is superseded, with a teach-out date one day before the row's end date
    (or the completion's date), given as a date or as months after the superseded date."""
    if c.rows["NAT00130"] and data.draw(st.booleans(), label="completion"):
        row = pick(data, c, "NAT00130")
        program, when, file_id, field = (
            c.rows["NAT00130"][row]["program_id"],
            c.rows["NAT00130"][row]["date_program_completed"],
            "NAT00130",
            "date_program_completed",
        )
    else:
        row = pick(data, c, ACT)
        program = c.rows[ACT][row]["program_id"] or "BSB40120"
        c = edit(c, ACT, row, program_id=program)
        when, file_id, field = c.rows[ACT][row]["activity_end_date"], ACT, "activity_end_date"
    # Only this one row may end after the teach-out: others of the program end on it at the latest.
    teach_out = when - datetime.timedelta(days=1)
    rows = [dict(r) for r in c.rows[ACT]]
    for i, r in enumerate(rows):
        if r["program_id"] == program and not (file_id == ACT and i == row) and r["activity_end_date"] > teach_out:
            r["program_id"] = None
    c = c.with_rows(ACT, rows)
    done = [dict(r) for r in c.rows["NAT00130"]]
    keep = [i for i, r in enumerate(done) if r["program_id"] != program or (file_id == "NAT00130" and i == row)]
    c = c.with_rows("NAT00130", [done[i] for i in keep])
    if file_id == "NAT00130":
        row = keep.index(row)
    options: dict[str, Any] = {}
    if data.draw(st.booleans(), label="teach-out as months after the superseded date"):
        months = data.draw(st.integers(1, 24))
        superseded = _months_before(teach_out, months)
        entry = ProgramEntry(
            code=program, statuses=("superseded",), superseded_by=("ZZZ49999",), superseded_date=superseded
        )
        options["teach_out_months"] = months
    else:
        entry = ProgramEntry(
            code=program, statuses=("Superseded",), superseded_by=("ZZZ49999",), teach_out_date=teach_out
        )
    assert ref.programs is not None
    table = ProgramTable.from_entries([*(e for k, e in ref.programs.entries.items() if k != program), entry])
    return RefBroken(c, attrs.evolve(ref, programs=table), file_id, row, field, options)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The date ``months`` before ``day`` (adding the months back gives ``day``, or an earlier month end)."""
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def renamed_program(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    if not c.rows["NAT00030"]:
        c, row = append(
            c,
            "NAT00030",
            {"program_id": "BSB40120", "program_name": "Certificate IV in Business", "nominal_hours": 690},
        )
        ref = data.draw(references_for(c), label="reference")
    row = pick(data, c, "NAT00030")
    return RefBroken(
        edit(c, "NAT00030", row, program_name="SAMPLE SOMETHING ELSE"), ref, "NAT00030", row, "program_name"
    )


def renamed_unit(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    row = pick(data, c, "NAT00060")
    return RefBroken(edit(c, "NAT00060", row, subject_name="SAMPLE OTHER TITLE"), ref, "NAT00060", row, "subject_name")


def expired_funding(c: SampleCollection, ref: Reference, data: st.DataObject) -> RefBroken:
    """V-120-F12: the shipped list's expired 32 in a later year, or a code the user's list for the year lacks."""
    row = pick(data, c, ACT)
    c2 = edit(c, ACT, row, funding_source_national="13", specific_funding_id="32")
    if data.draw(st.booleans(), label="shipped list"):
        year = data.draw(st.integers(2019, 2030), label="year")
        return RefBroken(attrs.evolve(c2, year=year), ref, ACT, row, "specific_funding_id")
    year = c.year
    listed = FundingEntry(code="SPECIAL01", valid_from=year, valid_to=year)
    user = SpecificFundingList(entries=(listed,), complete_years=frozenset({year}))
    return RefBroken(
        edit(c2, ACT, row, specific_funding_id="ZZFUND"),
        attrs.evolve(ref, specific_funding=user),
        ACT,
        row,
        "specific_funding_id",
    )


CASES: dict[str, RefBreaker] = {
    "V-020-03": _place("NAT00020", "address_suburb"),
    "V-010-04": organisation_address,
    "V-010-05": unlisted_organisation,
    "V-010-06": other_account,
    "V-030-01": unlisted_program,
    "V-030-07": local_program_with_tga_code,
    "V-030-08": after_teach_out,
    "V-030-09": renamed_program,
    "V-060-02": renamed_unit,
    "V-120-F12": expired_funding,
}


def _client_place(c: SampleCollection, r: Reference, d: st.DataObject) -> RefBroken:
    file_id = d.draw(st.sampled_from(("NAT00080", "NAT00085")), label="file")
    return _place(file_id, "address_suburb" if file_id == "NAT00080" else "address_postal_suburb")(c, r, d)


CASES["V-080-10"] = _client_place
#: Rules reported at ValidationOptions.unverified_severity (the catalogue says E (unverified), or our reading).
WARNINGS = {"V-030-08", "V-030-09", "V-060-02"}


@pytest.mark.parametrize("rule_id", sorted(CASES))
@FEW
@given(data=st.data())
def test_reference_rule_is_silent_on_agreeing_data_and_fires_where_broken(rule_id: str, data: st.DataObject) -> None:
    """Each reference-backed rule: silent with a reference set that agrees with the collection; after its breaker,
    exactly one finding at the broken row and field, at the rule's severity."""
    c = data.draw(consistent_collections(profile=data.draw(st.sampled_from(("national", "nsw")))), label="c")
    ref = data.draw(references_for(c), label="reference")
    assert fired_with(rule_id, c, ref, expected_toid="90000") == []
    broken = CASES[rule_id](c, ref, data)
    found = fired_with(rule_id, broken.collection, broken.reference, **broken.options)
    assert where(found) == [(broken.file, broken.row, broken.field)]
    shipped_32 = rule_id == "V-120-F12" and broken.reference.specific_funding is None
    expected = Severity.WARNING if rule_id in WARNINGS or shipped_32 else Severity.ERROR
    assert found[0].severity is expected


@settings(max_examples=5)
@given(c=consistent_collections())
def test_reference_rules_yield_nothing_without_their_reference(c: SampleCollection) -> None:
    """Called directly without reference data (or the option they need), the rules yield nothing; the engine
    lists them as not run instead (tests/reference/test_reports.py)."""
    for rule_id in sorted(CASES):
        if rule_id != "V-120-F12":
            assert fired_with(rule_id, c, None) == [], rule_id


@FEW
@given(data=st.data())
def test_names_differing_only_in_case_spacing_or_punctuation_match(data: st.DataObject) -> None:
    """V-080-10, V-020-03, V-060-02, V-030-09: a suburb or title typed in another case, with doubled spaces or
    hyphens for spaces, is the same name: no finding (a false error is as serious as a missed one)."""
    c = data.draw(consistent_collections(), label="c")
    ref = data.draw(references_for(c), label="reference")
    for file_id, field in (
        ("NAT00080", "address_suburb"),
        ("NAT00085", "address_postal_suburb"),
        ("NAT00020", "address_suburb"),
        ("NAT00060", "subject_name"),
        ("NAT00030", "program_name"),
    ):
        rows = [dict(r, **{field: _respell(r[field], data)}) for r in c.rows[file_id]]
        c = c.with_rows(file_id, rows)
    for rule_id in ("V-080-10", "V-020-03", "V-060-02", "V-030-09"):
        assert fired_with(rule_id, c, ref) == [], rule_id


@FEW
@given(data=st.data(), cut=st.integers(60, 99))
def test_a_title_cut_at_the_field_width_matches(data: st.DataObject, cut: int) -> None:
    """V-060-02: a register title longer than NAT00060's 100-character name field, written cut at the width."""
    c = data.draw(consistent_collections(), label="c")
    ref = data.draw(references_for(c), label="reference")
    long_title = "SAMPLE " + "VERY LONG UNIT TITLE " * 8
    row = pick(data, c, "NAT00060")
    code = c.rows["NAT00060"][row]["subject_id"]
    assert ref.units is not None
    from avetmiss_finalise.reference import UnitEntry, UnitTable

    units = UnitTable.from_entries(
        [*(e for k, e in ref.units.entries.items() if k != code), UnitEntry(code=code, titles=(long_title,))]
    )
    ref2 = attrs.evolve(ref, units=units)
    whole = edit(c, "NAT00060", row, subject_name=long_title[:100])
    assert fired_with("V-060-02", whole, ref2) == []
    short = edit(c, "NAT00060", row, subject_name=long_title[:cut])
    assert where(fired_with("V-060-02", short, ref2)) == [("NAT00060", row, "subject_name")]


@FEW
@given(data=st.data(), digits=st.integers(1, 5))
def test_V_010_05_and_V_010_06_compare_organisation_codes_without_leading_zeros(
    data: st.DataObject, digits: int
) -> None:
    """VIC zero-fills the TOID (0000090000): still the listed RTO and the expected account's."""
    c = data.draw(consistent_collections(), label="c")
    ref = data.draw(references_for(c), label="reference")
    filled = edit(c, "NAT00010", 0, training_organisation_id="0" * digits + "90000")
    assert fired_with("V-010-05", filled, ref) == []
    assert fired_with("V-010-06", filled, ref, expected_toid="090000") == []


@FEW
@given(data=st.data())
def test_V_120_F12_only_reports_what_a_list_says_for_the_year(data: st.DataObject) -> None:
    """The shipped list knows 32 expired after 2018: silent for 2018 and for codes it does not know; a user list
    covering the year decides for every code, and says valid codes are valid (overriding the shipped expiry)."""
    c = data.draw(consistent_collections(year=2018), label="c")
    row = pick(data, c, ACT)
    c32 = edit(c, ACT, row, funding_source_national="13", specific_funding_id="32")
    assert fired_with("V-120-F12", c32, None) == []
    unknown = edit(attrs.evolve(c32, year=2027), ACT, row, specific_funding_id="ZZNEW")
    assert fired_with("V-120-F12", unknown, None) == []
    later = attrs.evolve(c32, year=2027)
    user = SpecificFundingList(
        entries=(
            FundingEntry(code="32", valid_from=2027, valid_to=2027),
            FundingEntry(code="SPECIAL01", valid_from=2027, valid_to=2027),
        ),
        complete_years=frozenset({2027}),
    )
    assert fired_with("V-120-F12", later, Reference(specific_funding=user)) == []
    found = fired_with("V-120-F12", unknown, Reference(specific_funding=user))
    assert where(found) == [(ACT, row, "specific_funding_id")] and found[0].severity is Severity.ERROR
