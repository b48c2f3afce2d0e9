"""Every (file, profile) layout, every field, in every run: a fully filled, a not-stated and a blank record.

The Hypothesis properties in ``test_properties.py`` sample the (file, profile) pairs, so one run covers only some
of them; these deterministic examples make sure each layout and each of its fields is read, written back byte for
byte, carried through the record view and through cattrs JSON, whatever the sample drew.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from avetmiss_finalise import nat
from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.nat.parse import parse_bytes
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import get_profile
from tests.strategies.nat import FILE_PROFILE_PAIRS


def _filled(field: Field, zero_fill: bool, not_stated: bool) -> str:
    w = field.length
    if field.role == "date":
        return "29022024" if w == 8 else "1" * w
    if zero_fill or field.role == "number" or (field.kind == "N" and not not_stated):
        return "123456789012345"[:w].rjust(w, "0")
    if field.kind == "N":
        return "@" * w
    text = "Xfield text, with punctuation: ./'&()@~ " * 3
    return text[:w].rstrip(" ").ljust(w)


def _line(file_id: str, profile: str, *, not_stated: bool = False) -> str:
    prof = get_profile(profile)
    return "".join(
        _filled(f, (file_id, f.name) in prof.zero_filled_fields, not_stated) for f in prof.layout(file_id).fields
    )


@pytest.mark.parametrize(("file_id", "profile"), FILE_PROFILE_PAIRS)
def test_filled_not_stated_and_blank_records_round_trip_in_both_views(file_id: str, profile: str) -> None:
    prof = get_profile(profile)
    lay = prof.layout(file_id)
    full, at, blank = _line(file_id, profile), _line(file_id, profile, not_stated=True), " " * lay.width
    assert len(full) == len(at) == lay.width
    data = f"{full}\r\n{at}\r\n{blank}\r\n{full}TAIL \r\n".encode("ascii")
    parsed = parse_bytes(data, file_id, prof)
    assert [i.rule_id for i in parsed.issues] == ["NAT-EXTRA"]
    frame = parsed.frame
    for f in lay.fields:  # every field is read as a value in the filled record and as missing in the blank one
        assert not pd.isna(frame.loc[0, f.name]), f.name
        assert pd.isna(frame.loc[2, f.name]), f.name
    assert frame.loc[3, "extra"] == "TAIL " and pd.isna(frame.loc[0, "extra"])
    assert encode_frame(frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed) == data

    records = nat.records_from_frame(frame, file_id, profile=profile)
    stream = io.BytesIO()
    nat.write_records(records, stream, profile)
    assert stream.getvalue() == data
    pd.testing.assert_frame_equal(nat.frame_from_records(records, file_id, profile), frame)
    for record in records:
        plain = json.loads(json.dumps(nat.converter.unstructure(record)))
        assert nat.converter.structure(plain, type(record)) == record
