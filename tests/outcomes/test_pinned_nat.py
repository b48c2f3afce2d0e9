"""The NAT00120/NAT00130 frames of ``finalise_frame`` (``outcomes/columnar_nat.py``) held equal to ``finalise``'s
rows for the fields no other test fills (fee exemption, commencing program, tuition fee, the other optional unit
fields, parchment date and number) and for number columns a bulk caller gives as plain ``int64`` (mutation
testing: ``scripts/mutate.py avetmiss_finalise/outcomes/columnar_nat.py``). Synthetic records only."""

from __future__ import annotations

import datetime

import attrs
import pandas as pd
import pytest

from avetmiss_finalise.model import Completion, Withdrawal
from avetmiss_finalise.nat import frame_from_records
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs
from avetmiss_finalise.profiles import PROFILE_NAMES, get_profile
from tests.outcomes.test_columnar import _check
from tests.outcomes.test_examples import enrolment, unit

D = datetime.date
REPORTING = D(2026, 11, 29)
DONE = Completion(
    date=D(2026, 6, 1), credential_issued=True, parchment_issue_date=D(2026, 6, 20), parchment_number="PARCH-0001"
)
FILLED = attrs.evolve(
    unit("A", "2026-02-01", "2026-03-01", "20", 10),
    fee_exemption_concession_type_id="H",
    commencing_program_id="4",
    client_tuition_fee=250,
    training_contract_id="TC000001",
    client_id_apprenticeships="APPR0001",
    study_reason_id="01",
    specific_funding_id="SF0001",
    school_type_id="21",
    funding_source_state="A11",
    purchasing_contract_schedule_id="S01",
    associated_course_id="ASSOC1",
)
#: NAT00120 field -> the value FILLED gives it: every optional unit field the NAT00120 row copies.
COPIED = {
    "fee_exemption_concession_type_id": "H",
    "commencing_program_id": "4",
    "client_tuition_fee": 250,
    "training_contract_id": "TC000001",
    "client_id_apprenticeships": "APPR0001",
    "study_reason_id": "01",
    "specific_funding_id": "SF0001",
    "school_type_id": "21",
    "funding_source_state": "A11",
    "purchasing_contract_schedule_id": "S01",
    "associated_course_id": "ASSOC1",
}


@pytest.mark.parametrize("name", ["national", "nsw", "vic"])
def test_fee_exemption_commencing_program_and_parchment_are_written_on_both_paths(name: str) -> None:
    """Every optional field of the unit NAT00120 copies (fee exemption H, commencing program 4, tuition fee 250,
    training contract, apprenticeship client id, study reason, specific funding, school type, state funding, contract
    schedule, associated course) and the completion's parchment issue date and number reach NAT00120/NAT00130 of
    ``finalise_frame`` as of ``finalise``."""
    e = enrolment(FILLED)
    units, enrolments = frames_from_pairs([(e, DONE)])
    got = finalise_frame(units, enrolments, get_profile(name), reporting_date=REPORTING)
    row = got.nat00120.iloc[0]
    assert {f: row[f] for f in COPIED} == COPIED
    done = got.nat00130.iloc[0]
    assert (done["parchment_issue_date"], done["parchment_number"]) == (pd.Timestamp("2026-06-20"), "PARCH-0001")
    _check([(e, DONE)], get_profile(name), REPORTING)


def test_a_subject_only_enrolment_is_commencing_program_8_on_both_paths() -> None:
    """Without a program, NAT00120's commencing program identifier is 8, whatever the unit says (rows.py)."""
    e = enrolment(attrs.evolve(FILLED, outcome="70", end_date=D(2026, 9, 1)), program=None)
    event = Withdrawal(date=D(2026, 6, 15))
    units, enrolments = frames_from_pairs([(e, event)])
    got = finalise_frame(units, enrolments, reporting_date=REPORTING)
    assert got.nat00120["commencing_program_id"].tolist() == ["8"]
    assert [r.commencing_program_id for r in finalise(e, event, reporting_date=REPORTING).nat00120] == ["8"]
    _check([(e, event)], get_profile("national"), REPORTING)


def test_number_columns_given_as_plain_int64_are_written_as_the_nat_layer_types_them() -> None:
    """A bulk caller's units frame may hold hours and fees as numpy ``int64`` (no missing value): the NAT00120
    frame still has the contract's ``Int64`` columns, equal to ``frame_from_records`` of ``finalise``'s rows."""
    e = enrolment(FILLED)
    units, enrolments = frames_from_pairs([(e, DONE)])
    for column in ("hours_attended", "scheduled_hours", "client_tuition_fee"):
        units[column] = units[column].astype("int64")
    got = finalise_frame(units, enrolments, reporting_date=REPORTING)
    rows = finalise(e, DONE, reporting_date=REPORTING).nat00120
    pd.testing.assert_frame_equal(got.nat00120, frame_from_records(list(rows), "NAT00120", get_profile("national")))
    assert [str(got.nat00120[c].dtype) for c in ("hours_attended", "scheduled_hours", "client_tuition_fee")] == [
        "Int64"
    ] * 3


def test_every_date_field_of_every_layout_is_kind_d() -> None:
    """What ``columnar_nat._frame`` relies on when it strips A fields only: no shipped layout has a date-role field
    of kind A (a date is never text to strip), nor a kind-D field of another role."""
    for name in PROFILE_NAMES:
        for file_id in FILE_IDS:
            for f in get_profile(name).layout(file_id).fields:
                assert (f.role == "date") == (f.kind == "D"), (name, file_id, f.name)
