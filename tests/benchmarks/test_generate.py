"""The synthetic-collection generator (benchmarks/generate.py) at small sizes: consistent keys, the record rules
of a clean collection, the columnar contract, and determinism per seed."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.nat import read_collection
from avetmiss_finalise.profiles import layout

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", module)
    spec.loader.exec_module(module)
    return module


generate = _load()
PROFILES = ("national", "nsw")


def _keys(frame: pd.DataFrame, *columns: str) -> set[tuple[object, ...]]:
    return set(frame[list(columns)].dropna().itertuples(index=False, name=None))


def assert_consistent(frames: dict[str, pd.DataFrame], rows: int, period_year: int, profile: str) -> None:
    """Everything a clean collection for ``period_year`` needs (except 85s starting next year, by design)."""
    act = frames["NAT00120"]
    assert len(act) == rows
    # cross-file keys (X-02 … X-08)
    assert _keys(act, "training_organisation_id", "delivery_location_id") <= _keys(
        frames["NAT00020"], "training_organisation_id", "delivery_location_id"
    )
    clients = set(frames["NAT00080"].client_id)
    assert set(act.client_id) == clients
    assert set(act.subject_id) <= set(frames["NAT00060"].subject_id)
    assert set(act.program_id.dropna()) <= set(frames["NAT00030"].program_id)
    done = frames["NAT00130"]
    assert _keys(done, "client_id", "program_id") <= _keys(act, "client_id", "program_id")
    for fid in ("NAT00085", "NAT00090", "NAT00100"):
        assert set(frames[fid].client_id) <= clients
    c80 = frames["NAT00080"]
    assert set(frames["NAT00090"].client_id) == set(c80.client_id[c80.disability_flag == "Y"])
    assert set(frames["NAT00100"].client_id) == set(c80.client_id[c80.prior_educational_achievement_flag == "Y"])
    assert c80.client_id.is_unique and frames["NAT00060"].subject_id.is_unique
    assert not act.duplicated(["client_id", "subject_id"]).any()
    # record rules (V-120-…)
    start, end, out = act.activity_start_date, act.activity_end_date, act.outcome_national
    first, last = pd.Timestamp(period_year, 1, 1), pd.Timestamp(period_year, 12, 31)
    assert (end >= start).all() and (end >= first).all()
    assert (end[out == "70"] > last).all()
    assert (start[out == "85"] > last).all()
    final = ~out.isin(["70", "85"])
    assert (end[final] <= pd.Timestamp(period_year, 11, 29)).all()
    assert (start[~out.isin(["85"])] <= last).all()
    rpl = out.isin(["51", "52", "60"])
    assert (act.delivery_mode_id[rpl] == "NNN").all() and (act.predominant_delivery_mode[rpl] == "N").all()
    assert (act.delivery_mode_id[~rpl] != "NNN").all()
    pos = act.predominant_delivery_mode.map({"I": 0, "E": 1, "W": 2})
    modes = act.delivery_mode_id[~rpl].to_numpy(dtype=str)
    assert all(m[int(p)] == "Y" for m, p in zip(modes, pos[~rpl], strict=True))
    no_program = act.program_id.isna()
    assert (act.commencing_program_id[no_program] == "8").all()
    assert act.commencing_program_id[~no_program].isin(["3", "4"]).all()
    assert (act.groupby(["client_id", "program_id"]).commencing_program_id.nunique() == 1).all()
    assert (act.hours_attended[out == "40"] > 0).all()
    # completions: every unit achieved, dated at the last unit
    merged = done.merge(act, on=["client_id", "program_id"])
    assert merged.outcome_national.isin(["20", "51", "60"]).all()
    assert (merged.activity_end_date <= merged.date_program_completed).all()
    if profile == "nsw":
        assert act.purchasing_contract_id.notna().all()
        tnc = act.outcome_training_organisation == "TNC"
        assert out[tnc.fillna(False)].isin(["40", "85"]).all()


@pytest.mark.parametrize("profile", PROFILES)
def test_frames_follow_the_columnar_contract(profile: str) -> None:
    """Every frame has the profile's layout columns in order, contract dtypes, and a RangeIndex."""
    frames = generate.generate_frames(200, seed=3, period_year=2026, profile=profile)
    for file_id, frame in frames.items():
        lay = layout(file_id, profile)
        assert tuple(frame.columns) == (*lay.names, "extra"), file_id
        assert frame["extra"].isna().all() and frame["extra"].dtype == pd.StringDtype("pyarrow")
        assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
        for f in lay.fields:
            dtype = frame[f.name].dtype
            if f.role == "number":
                assert dtype == "Int64", (file_id, f.name)
            elif f.role == "date":
                assert dtype == np.dtype("datetime64[s]"), (file_id, f.name)
            else:
                assert dtype == pd.StringDtype("pyarrow"), (file_id, f.name)


@given(rows=st.integers(1, 400), seed=st.integers(0, 2**32 - 1), profile=st.sampled_from(PROFILES))
def test_generated_collection_is_consistent(rows: int, seed: int, profile: str) -> None:
    """X-02…X-08 keys hold and the V-120 record rules of a clean 2026 collection hold, at any size and seed."""
    frames = generate.generate_frames(rows, seed=seed, period_year=2026, profile=profile)
    assert_consistent(frames, rows, 2026, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_written_collection_reads_back_as_the_generated_frames(profile: str, tmp_path: Path) -> None:
    """Through the NAT layer's frame writer and reader nothing changes: same frames, no reader issues."""
    frames = generate.generate_frames(120, seed=9, period_year=2026, profile=profile)
    generate.write_frames(frames, tmp_path, profile=profile)
    back = read_collection(tmp_path, profile)
    assert back.issues == ()
    assert set(back.frames) == set(frames)
    for file_id, frame in frames.items():
        pd.testing.assert_frame_equal(back.frames[file_id], frame)


def test_other_period_years_are_consistent_too() -> None:
    frames = generate.generate_frames(300, seed=11, period_year=2031, profile="national")
    assert_consistent(frames, 300, 2031, "national")


def test_generation_is_deterministic_per_seed() -> None:
    a = generate.generate_frames(150, seed=7, period_year=2026, profile="national")
    b = generate.generate_frames(150, seed=7, period_year=2026, profile="national")
    c = generate.generate_frames(150, seed=8, period_year=2026, profile="national")
    assert a.keys() == b.keys()
    for file_id in a:
        pd.testing.assert_frame_equal(a[file_id], b[file_id])
    assert not a["NAT00120"].equals(c["NAT00120"])


def test_every_story_appears_in_a_modest_collection() -> None:
    """Outcomes 20, 30, 40, 51, 60, 70 and 85 and commencing 3, 4 and 8 all occur (so benchmarks exercise them)."""
    act = generate.generate_frames(3000, seed=0, period_year=2026, profile="national")["NAT00120"]
    assert {"20", "30", "40", "51", "60", "70", "85"} <= set(act.outcome_national)
    assert {"3", "4", "8"} <= set(act.commencing_program_id)


def test_rejects_nonsense_arguments() -> None:
    with pytest.raises(ValueError, match="rows"):
        generate.generate_frames(0)
    with pytest.raises(ValueError, match="profile"):
        generate.generate_frames(10, profile="vic")


def test_reporting_cut_off_is_before_the_sample_reporting_date() -> None:
    """Final outcomes end by 27 Nov, so a reporting date of 29 Nov 2026 (the sample's) sees none in the future."""
    act = generate.generate_frames(2000, seed=5, period_year=2026, profile="nsw")["NAT00120"]
    final = ~act.outcome_national.isin(["70", "85"])
    assert act.activity_end_date[final].max() <= pd.Timestamp(datetime.date(2026, 11, 27))


@pytest.mark.parametrize("profile", ["national", "nsw"])
def test_parts_make_one_consistent_collection(tmp_path: Path, profile: str) -> None:
    """``--parts K``: K parts with disjoint clients and the same reference files, appended into one collection of
    exactly ``--rows`` records, as consistent as one generated whole (the same findings: none but F-06's note)."""
    from avetmiss_finalise.validation import validate

    out = tmp_path / "parts"
    assert generate.main(["--rows", "3000", "--parts", "3", "--out", str(out), "--profile", profile]) == 0
    coll = read_collection(out, profile=profile)
    assert len(coll.frames["NAT00120"]) == 3000
    clients = coll.frames["NAT00080"]["client_id"]
    assert clients.is_unique and len(clients) == 300
    assert set(coll.frames["NAT00120"]["client_id"]) == set(clients)
    one = generate.generate_frames(1000, seed=0, profile=profile)
    for f in ("NAT00010", "NAT00020", "NAT00030", "NAT00060"):
        assert len(coll.frames[f]) == len(one[f]), f
    whole = tmp_path / "whole"
    generate.write_frames(generate.generate_frames(1000, seed=0, profile=profile), whole, profile=profile)
    found = {r for r in validate(out, period=2026, profile=profile).findings["rule_id"]}
    assert found == {r for r in validate(whole, period=2026, profile=profile).findings["rule_id"]}
    with pytest.raises(SystemExit):
        generate.main(["--rows", "3001", "--parts", "3", "--out", str(tmp_path / "x")])
