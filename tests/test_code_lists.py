"""The one code list: every code set the finaliser, the transition planner and the validator read comes from it."""

from __future__ import annotations

from avetmiss_finalise import code_lists
from avetmiss_finalise.outcomes import codes as outcome_codes
from avetmiss_finalise.outcomes import columnar_issues
from avetmiss_finalise.outcomes import engine as outcome_engine
from avetmiss_finalise.transition import _table
from avetmiss_finalise.validation import codes as validation_codes
from avetmiss_finalise.validation import rules_nsw, rules_period, rules_records, rules_register, rules_usi


def test_final_outcomes_are_the_code_lists_tagged_final_and_shared_by_every_package() -> None:
    """finalisation.md "Words": 20, 30, 40, 41, 51, 52, 60, 61, 81, 82 and the unverified 53/54 — one object."""
    expected = {"20", "30", "40", "41", "51", "52", "53", "54", "60", "61", "81", "82"}
    assert expected == code_lists.FINAL_OUTCOMES
    for derived in (outcome_codes.FINAL, _table.FINAL, validation_codes.FINAL_OUTCOMES, rules_period.FINAL_OUTCOMES):
        assert derived is code_lists.FINAL_OUTCOMES


def test_achieved_recognition_and_non_final_sets() -> None:
    """F-COMPLETE step 4 (achieved), V-120-06 (recognition → NNN/N), 70/85 non-final; the NSW transition table's
    "20, 51 or 60" row is a subset of the achieved outcomes."""
    assert {"20", "51", "53", "60", "81"} == code_lists.ACHIEVED_OUTCOMES
    assert {"51", "52", "53", "54", "60"} == code_lists.RECOGNITION_OUTCOMES
    assert rules_records.NOT_DELIVERED is code_lists.RECOGNITION_OUTCOMES is outcome_codes.RECOGNITION
    assert {"70", "85"} == code_lists.NON_FINAL_OUTCOMES
    assert code_lists.FINAL_OUTCOMES | {"70", "85"} == code_lists.KNOWN_OUTCOMES
    assert _table.ACHIEVED < code_lists.ACHIEVED_OUTCOMES
    assert code_lists.ACHIEVED_OUTCOMES < code_lists.FINAL_OUTCOMES


def test_fee_paying_funding_is_one_set_for_finalise_and_nsw_cid_01() -> None:
    assert {"20", "30", "31", "32"} == code_lists.FEE_PAYING_FUNDING
    assert rules_nsw.FEE_PAYING is code_lists.FEE_PAYING_FUNDING


def test_tnc_outcomes_are_one_set_for_finalise_and_nsw_to_02() -> None:
    """validation_rules.md §7: TNC goes with outcome 40 or 85; the validator and both finalise paths read it here."""
    assert {"40", "85"} == code_lists.TNC_OUTCOMES
    assert columnar_issues._TNC_OK is code_lists.TNC_OUTCOMES
    assert outcome_engine._TNC_OK is code_lists.TNC_OUTCOMES


def test_program_recognition_sets_are_one_set_for_every_rule() -> None:
    """code_lists.md §12: 11, 12, 13 nationally recognised (training.gov.au codes; USI required), 14–16 local; the
    register rules and the USI rule read the same objects, and the two sets split the list."""
    assert {"11", "12", "13"} == code_lists.NATIONALLY_RECOGNISED_PROGRAMS
    assert {"14", "15", "16"} == code_lists.LOCAL_PROGRAMS
    assert (
        code_lists.codes("program_recognition") == code_lists.NATIONALLY_RECOGNISED_PROGRAMS | code_lists.LOCAL_PROGRAMS
    )
    assert rules_usi.NATIONALLY_RECOGNISED is code_lists.NATIONALLY_RECOGNISED_PROGRAMS
    assert rules_register.RECOGNISED is code_lists.NATIONALLY_RECOGNISED_PROGRAMS
    assert rules_register.LOCAL is code_lists.LOCAL_PROGRAMS


def test_every_tagged_code_is_a_listed_code_and_untagged_rows_read_as_untagged() -> None:
    for e in code_lists.entries():
        assert e.tags <= {"final", "achieved", "recognition", "tnc", "fee_paying", "national", "local"}
        if e.tags & {"final", "achieved", "recognition", "tnc"}:
            assert e.list == "outcome_national"
        if e.tags & {"national", "local"}:
            assert e.list == "program_recognition"
    row = {"list": "x", "code": "1", "meaning": "m", "status": "valid", "section": "1"}
    assert code_lists._entry(row).tags == frozenset()
    assert code_lists._entry({**row, "tags": None}).tags == frozenset()
