"""``conform(frames, profile)``: a caller's frames in the columnar contract, or a located UsageError.

Property: any frame of the contract, rewritten the ways SMS exports and spreadsheets write it (Python dates, codes as
integers, numbers as floats, object columns, blanks as empty strings, trailing spaces, optional columns left out),
conforms back to the very frame; and a frame already in the contract is returned as is. Then each refusal, with
the file and column named and personal values hidden.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise import UsageError, validate
from avetmiss_finalise.nat import conform, read_collection
from avetmiss_finalise.nat.conforming import conform_frame
from avetmiss_finalise.profiles import get_profile
from tests.strategies.collections import SampleCollection, consistent_collections

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"


def _as_a_caller_writes_it(frame: pd.DataFrame, file_id: str, profile: str, style: int) -> pd.DataFrame:
    """``frame`` with every column in a caller's representation (``style`` picks one of several per role)."""
    lay = get_profile(profile).layout(file_id)
    out: dict[str, object] = {}
    for f in lay.fields:
        col = frame[f.name]
        if f.role == "date":
            dates = [None if pd.isna(v) else v.date() for v in col]
            out[f.name] = [
                (d if style % 3 == 0 else d.isoformat() if style % 3 == 1 else d.strftime("%d%m%Y")) if d else None
                for d in dates
            ]
        elif f.role == "number":
            out[f.name] = col.astype("Float64").astype(float) if style % 2 else col.astype(object)
        elif f.kind == "N" and col.notna().any() and col.dropna().str.fullmatch("[0-9]+").all() and style % 2:
            out[f.name] = [None if pd.isna(v) else int(v) for v in col]  # codes as integers: 1 for "01"
        elif f.required != "Y" and col.isna().all() and style % 2:
            continue  # an optional blank column left out
        else:
            out[f.name] = ["" if pd.isna(v) else (str(v) + "  " if f.kind == "A" else str(v)) for v in col]
    return pd.DataFrame(out, index=frame.index)


# A whole collection per example (~1 s each): a fifth of the profile's examples (dev 5, ci 30) keeps the default
# run quick; the six styles are drawn independently of the collection, so each run still meets several.
@settings(max_examples=max(settings.default.max_examples // 5, 3))
@given(c=consistent_collections(), style=st.integers(0, 5))
def test_a_callers_frames_conform_to_the_readers_frames(c: SampleCollection, style: int) -> None:
    frames = c.frames()
    mine = {fid: _as_a_caller_writes_it(df, fid, c.profile, style) for fid, df in frames.items()}
    back = conform(mine, c.profile)
    assert list(back) == list(frames)
    for fid, df in frames.items():
        pd.testing.assert_frame_equal(back[fid], df, check_index_type=False, obj=fid)


def test_frames_already_in_the_contract_pass_through_untouched() -> None:
    coll = read_collection(SAMPLE)
    assert all(conform(coll.frames)[f] is coll.frames[f] for f in coll.frames)


def test_integer_codes_are_zero_filled_and_validate_clean() -> None:
    """The issue's case: outcome_national as integers gave 11 false errors."""
    frames = dict(read_collection(SAMPLE).frames)
    act = frames["NAT00120"].astype(object)
    for name in ("outcome_national", "funding_source_national", "commencing_program_id"):
        act[name] = frames["NAT00120"][name].astype(int)
    act["activity_start_date"] = [d.date() for d in frames["NAT00120"]["activity_start_date"]]
    frames["NAT00120"] = act.drop(columns=["extra"])
    report = validate(frames, period=2026)
    assert report.ok and report.counts()["warning"] == 0


def test_a_chunk_keeps_its_line_numbers_and_other_indexes_are_numbered() -> None:
    act = read_collection(SAMPLE).frames["NAT00120"]
    chunk = conform_frame(act.iloc[10:20].astype(object), "NAT00120")
    assert list(chunk.index) == list(range(10, 20))
    named = conform_frame(act.set_index("client_id", drop=False).astype(object), "NAT00120")
    assert list(named.index) == list(range(len(act)))


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ({}, "no frames given"),
        ({"nat00120": None}, "file ids are written 'NAT00120'"),
        ({"NAT99999": None}, "unknown file key 'NAT99999'"),
        ({"": None}, "empty or non-text file key"),
        ({"NAT00120": [1, 2]}, "NAT00120: expected a pandas DataFrame, got list"),
    ],
)
def test_bad_keys_and_empty_mappings_are_usage_errors(frames: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        conform(frames)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=message):
        validate(frames)


def _act() -> pd.DataFrame:
    return read_collection(SAMPLE).frames["NAT00120"].astype(object).drop(columns=["extra"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.rename(columns={"outcome_national": "outcome_natonal"}), "did you mean 'outcome_national'"),
        (lambda df: df.drop(columns=["client_id"]), "missing column\\(s\\) client_id"),
        (lambda df: df.assign(scheduled_hours=1.5), "column 'scheduled_hours'.*the first is 1.5 at position 0"),
        (lambda df: df.assign(scheduled_hours=-1), "whole number from 0 to 9999"),
        (lambda df: df.assign(hours_attended=True), "column 'hours_attended'"),
        (lambda df: df.assign(outcome_national="ABC"), "column 'outcome_national'.*'ABC'"),
        (lambda df: df.assign(outcome_national=123), "at most 2 digits"),
        (lambda df: df.assign(client_id="X" * 11), "column 'client_id'.*at most 10 characters"),
        (lambda df: df.assign(client_id="A\nB"), "column 'client_id'"),
        (lambda df: df.assign(activity_end_date=datetime.datetime(2026, 3, 1, 10, 30)), "activity_end_date"),
        (lambda df: df.assign(activity_end_date="31/12/2026"), "'31/12/2026'"),
        (lambda df: df.assign(activity_end_date=20261231), "activity_end_date"),
    ],
)
def test_what_cannot_be_coerced_names_file_and_column(change: object, message: str) -> None:
    with pytest.raises(UsageError, match=f"NAT00120.*{message}"):
        conform({"NAT00120": change(_act())})  # type: ignore[operator]


def test_a_personal_value_is_never_quoted() -> None:
    clients = read_collection(SAMPLE).frames["NAT00080"].astype(object)
    clients["name_for_encryption"] = "SECRET" + "X" * 60
    with pytest.raises(UsageError, match="personal data hidden") as info:
        conform({"NAT00080": clients})
    assert "SECRET" not in str(info.value)


def test_a_blank_column_of_another_profile_is_dropped_a_filled_one_refused() -> None:
    clients = read_collection(SAMPLE).frames["NAT00080"]
    assert "sa1_id" in clients.columns
    blank = clients.assign(sa1_id=pd.NA, sa2_id=pd.NA)
    assert "sa1_id" not in conform({"NAT00080": blank}, "nsw")["NAT00080"].columns
    filled = clients.assign(sa1_id="12345678901")
    with pytest.raises(UsageError, match="'sa1_id' \\(a field of NAT00080 under profile national"):
        conform({"NAT00080": filled}, "nsw")


def test_datetime64_of_any_unit_and_timezone_aware_midnights_are_dates() -> None:
    act = _act()
    act["activity_start_date"] = pd.to_datetime(act["activity_start_date"].astype(str)).dt.tz_localize(
        "Australia/Sydney"
    )
    act["activity_end_date"] = np.array(act["activity_end_date"].tolist(), dtype="datetime64[ms]")
    out = conform({"NAT00120": act})["NAT00120"]
    ref = read_collection(SAMPLE).frames["NAT00120"]
    assert out["activity_start_date"].equals(ref["activity_start_date"])
    assert out["activity_end_date"].equals(ref["activity_end_date"])
    assert out["activity_start_date"].dtype == "datetime64[s]"
