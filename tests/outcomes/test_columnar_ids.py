"""Text ids with trailing spaces (issue #8, two-path agreement): ``finalise_frame``'s NAT frames hold them as the
NAT writer writes them and the reader reads them back — stripped, and zero-filled after stripping under vic.

Synthetic records only (client TESTCL01, TOID 90001).
"""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from avetmiss_finalise.model import Completion, ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.nat import frame_from_records
from avetmiss_finalise.nat.codec import encode_field, format_value
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs
from avetmiss_finalise.profiles import get_profile

D = datetime.date


def _pair() -> tuple[ProgramEnrolment, Completion]:
    unit = UnitEnrolment(
        subject_id="U001 ",
        delivery_location_id="MAIN01 ",
        start_date=D(2026, 2, 1),
        end_date=D(2026, 3, 1),
        outcome="20",
        delivery_mode="YNN",
    )
    e = ProgramEnrolment(
        training_organisation_id="90001 ",
        client_id="TESTCL01 ",
        program_id="BSB40120 ",
        units=(unit,),
        commitment_id="C000999999 ",
    )
    return e, Completion(date=D(2026, 3, 1), credential_issued=True)


@pytest.mark.parametrize("name", ["national", "nsw", "vic"])
def test_finalise_frame_strips_trailing_spaces_as_the_writer_does(name: str) -> None:
    e, ev = _pair()
    r = finalise(e, ev, name, reporting_date=D(2026, 11, 30))
    units, enrolments = frames_from_pairs([(e, ev)])
    got = finalise_frame(units, enrolments, name, reporting_date=D(2026, 11, 30))
    pd.testing.assert_frame_equal(got.nat00120, frame_from_records(r.nat00120, "NAT00120", name))
    pd.testing.assert_frame_equal(got.nat00130, frame_from_records([r.nat00130], "NAT00130", name))
    row = got.nat00120.iloc[0]
    assert (row["subject_id"], row["client_id"], row["program_id"]) == ("U001", "TESTCL01", "BSB40120")
    assert row["training_organisation_id"] == ("0000090001" if name == "vic" else "90001")


def test_a_zero_filled_field_is_stripped_before_it_is_filled() -> None:
    """The VIC TOID ``"90001 "`` was written ``000090001 `` (zeros before, the space kept), which reads back as a
    bad cell; a shorter value's trailing spaces are padding, so it is written ``0000090001`` (and spaces alone stay
    blank)."""
    field = next(f for f in get_profile("vic").layout("NAT00120").fields if f.name == "training_organisation_id")
    assert format_value(field, "90001 ", zero_fill=True) == "0000090001"
    assert format_value(field, "   ", zero_fill=True) == " " * 10
    # A value of the full width is written as it stands: a left-justified TOID read from a file keeps its bytes.
    assert format_value(field, "90001     ", zero_fill=True) == "90001     "
    values = pd.Series(["90001 ", "90001", "  ", None, "90001     "])
    block, problems = encode_field(values, field, zero_fill=True)
    assert [bytes(r).decode() for r in block] == ["0000090001", "0000090001", " " * 10, " " * 10, "90001     "]
    assert not problems
