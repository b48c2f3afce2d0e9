"""The codec, one value at a time and a column at a time: pads, justifies, parses; refuses instead of truncating."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.nat.codec import CellError, encode_field, format_value, not_stated, parse_text
from avetmiss_finalise.nat.layouts import base_layout

NAT00120 = base_layout("NAT00120")
SUBJECT = NAT00120.field("subject_id")  # A12
OUTCOME = NAT00120.field("outcome_national")  # N2 code
FEE = NAT00120.field("client_tuition_fee")  # N5 number
START = NAT00120.field("activity_start_date")  # D8
TOID = NAT00120.field("training_organisation_id")  # A10


def test_kinds_are_padded_and_justified() -> None:
    assert format_value(SUBJECT, "BSBWHS521") == "BSBWHS521   "
    assert format_value(OUTCOME, "2") == "02"
    assert format_value(OUTCOME, "@@") == "@@"
    assert format_value(FEE, 120) == "00120"
    assert format_value(START, datetime.date(2026, 2, 1)) == "01022026"
    assert format_value(TOID, "12345", zero_fill=True) == "0000012345"
    assert format_value(SUBJECT, None) == " " * 12
    assert not_stated(OUTCOME) == "@@"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (SUBJECT, "X" * 13),
        (SUBJECT, "line\nbreak"),
        (SUBJECT, "snow ☃"),
        (OUTCOME, "2a"),
        (OUTCOME, "@"),
        (FEE, -1),
        (FEE, 100000),
        (FEE, True),
        (START, "01022026"),
        (SUBJECT, 3.5),
    ],
)
def test_values_that_do_not_fit_are_refused(field: object, value: object) -> None:
    with pytest.raises(CellError) as info:
        format_value(field, value)  # type: ignore[arg-type]
    assert info.value.expected


@given(st.text(alphabet="0123456789 @x", min_size=8, max_size=8))
def test_parse_text_accepts_only_real_dates(text: str) -> None:
    try:
        value = parse_text(START, text)
    except CellError:
        return
    assert value is None or format_value(START, value) == text


def test_encode_field_accepts_dates_as_dates_iso_or_ddmmyyyy_and_locates_the_rest() -> None:
    values = pd.Series(["01022026", None, "2026-02-01", datetime.date(2026, 2, 1), "31022026", ""], dtype=object)
    cells, problems = encode_field(values, START)
    assert [bytes(r) for r in cells] == [b"01022026", b" " * 8, b"01022026", b"01022026", b" " * 8, b" " * 8]
    assert [(p.row, p.value) for p in problems] == [(4, "31022026")]


def test_encode_field_numbers_from_ints_floats_or_digit_strings() -> None:
    ints, p1 = encode_field(pd.Series([0, 120, None], dtype="Int64"), FEE)
    floats, p2 = encode_field(pd.Series([120.0, 1.5]), FEE)
    texts, p3 = encode_field(pd.Series(["120", "12a"], dtype="string[pyarrow]"), FEE)
    assert [bytes(r) for r in ints] == [b"00000", b"00120", b"     "] and not p1
    assert bytes(floats[0]) == b"00120" and [p.row for p in p2] == [1]
    assert bytes(texts[0]) == b"00120" and [p.row for p in p3] == [1]
