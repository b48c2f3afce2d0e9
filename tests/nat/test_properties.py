"""Properties over every layout and profile: contiguous layouts, read(write(r)) == r, write(read(line)) == line."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise import nat
from avetmiss_finalise.nat.codec import format_value, parse_text
from avetmiss_finalise.nat.frames import records_from_frame
from avetmiss_finalise.nat.parse import parse_bytes
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import PROFILE_NAMES, get_profile
from tests.strategies.nat import FILE_PROFILE_PAIRS, field_values, file_and_profile, nat_lines, records


@pytest.mark.parametrize(("file_id", "profile"), FILE_PROFILE_PAIRS)
def test_every_layout_is_contiguous_and_sums_to_its_width(file_id: str, profile: str) -> None:
    lay = get_profile(profile).layout(file_id)
    position = 1
    for f in lay.fields:
        assert f.start == position, f.name
        position += f.length
    assert sum(f.length for f in lay.fields) == lay.width == position - 1
    assert lay.national_length <= lay.width
    assert any(f.stop == lay.national_length for f in lay.fields)


@given(data=st.data(), pair=file_and_profile())
def test_field_values_format_to_their_width_and_parse_back(data: st.DataObject, pair: tuple[str, str]) -> None:
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    for f in lay.fields:
        value = data.draw(field_values(f))
        text = format_value(f, value)
        assert len(text) == f.length
        assert parse_text(f, text) == value


@given(data=st.data(), pair=file_and_profile(), eol=st.sampled_from(["\r\n", "\n"]), final=st.booleans())
def test_write_of_read_line_is_the_same_bytes(
    data: st.DataObject, pair: tuple[str, str], eol: str, final: bool
) -> None:
    file_id, profile = pair
    lines = data.draw(st.lists(nat_lines(file_id, profile), min_size=1, max_size=4))
    raw = (eol.join(lines) + (eol if final else "")).encode("ascii")
    parsed = parse_bytes(raw, file_id, get_profile(profile))
    assert [i.rule_id for i in parsed.issues if i.rule_id != "NAT-EXTRA"] == []
    assert encode_frame(parsed.frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed) == raw


@given(data=st.data(), pair=file_and_profile())
def test_read_of_written_records_is_the_same_records(data: st.DataObject, pair: tuple[str, str]) -> None:
    file_id, profile = pair
    recs = data.draw(st.lists(records(file_id, profile), min_size=1, max_size=3))
    stream = io.BytesIO()
    nat.write_records(recs, stream, profile)
    parsed = parse_bytes(stream.getvalue(), file_id, get_profile(profile))
    back = records_from_frame(parsed.frame, file_id, profile=profile, unparsed=parsed.unparsed)
    assert back == recs


@given(data=st.data(), pair=file_and_profile())
def test_records_to_frame_and_back(data: st.DataObject, pair: tuple[str, str]) -> None:
    file_id, profile = pair
    recs = data.draw(st.lists(records(file_id, profile), max_size=3))
    frame = nat.frame_from_records(recs, file_id, profile)
    assert list(frame.columns) == [*get_profile(profile).layout(file_id).names, "extra"]
    raw = io.BytesIO()
    nat.write_records(recs, raw, profile)
    parsed = parse_bytes(raw.getvalue(), file_id, get_profile(profile))
    pd.testing.assert_frame_equal(frame, parsed.frame)  # both views hold the same values
    if parsed.unparsed.empty:  # else the tail text is not of its fields' kinds: only the record view keeps it
        assert nat.records_from_frame(frame, file_id, profile=profile) == recs
        assert encode_frame(frame, file_id, profile) == raw.getvalue()


@given(data=st.data(), file_id=st.sampled_from(nat.FILE_IDS))
def test_converter_round_trips_records_through_json(data: st.DataObject, file_id: str) -> None:
    record = data.draw(records(file_id))
    plain = json.loads(json.dumps(nat.converter.unstructure(record)))
    assert nat.converter.structure(plain, type(record)) == record


def test_profiles_cover_every_file() -> None:
    assert {p for _, p in FILE_PROFILE_PAIRS} == set(PROFILE_NAMES)
