"""The shipped sample collections (fixtures/): they read cleanly, round-trip byte for byte, are what
fixtures/make_sample.py writes, and are internally consistent for the 2026 collection (reporting date 2026-11-29).

Validation rules proper are tested against the sample by the validation tests; here the sample itself is the
specification of what a small, consistent collection looks like.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from avetmiss_finalise.nat import FILE_IDS, read_collection, read_records, write_collection, write_records
from avetmiss_finalise.profiles import layout

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
COLLECTIONS = ("sample", "sample-non-tga")
PERIOD_END = pd.Timestamp(2026, 12, 31)
REPORTING_DATE = pd.Timestamp(2026, 11, 29)


def _make_sample() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", FIXTURES / "make_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample", module)
    spec.loader.exec_module(module)
    return module


def _files(name: str) -> list[Path]:
    return sorted((FIXTURES / name).glob("NAT*.txt"))


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return dict(read_collection(FIXTURES / "sample").frames)


def test_main_sample_has_every_nat_file() -> None:
    names = {p.stem for p in _files("sample")}
    assert names == set(FILE_IDS) - {"NAT00010A"}


def test_non_tga_sample_reports_nat00010a_instead_of_nat00010() -> None:
    names = {p.stem for p in _files("sample-non-tga")}
    assert "NAT00010A" in names and "NAT00010" not in names and "NAT00030" not in names


@pytest.mark.parametrize("name", COLLECTIONS)
def test_sample_reads_back_without_issues(name: str) -> None:
    collection = read_collection(FIXTURES / name)
    assert collection.issues == ()
    assert set(collection.frames) == {p.stem for p in _files(name)}


@pytest.mark.parametrize("name", COLLECTIONS)
def test_sample_is_crlf_at_full_common_widths(name: str) -> None:
    """Every record ends in CR LF (the last too) and has the full common width of its layout."""
    for path in _files(name):
        data = path.read_bytes()
        assert data.endswith(b"\r\n"), path.name
        lines = data.split(b"\r\n")[:-1]
        assert b"\n" not in b"".join(lines), path.name
        width = layout(path.stem).width
        assert {len(line) for line in lines} == {width}, path.name


@pytest.mark.parametrize("name", COLLECTIONS)
def test_sample_round_trips_byte_exactly_through_frames(name: str, tmp_path: Path) -> None:
    write_collection(read_collection(FIXTURES / name), tmp_path)
    for path in _files(name):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("name", COLLECTIONS)
def test_sample_round_trips_byte_exactly_through_records(name: str, tmp_path: Path) -> None:
    for path in _files(name):
        out = tmp_path / path.name
        write_records(read_records(path), out)
        assert out.read_bytes() == path.read_bytes(), path.name


def test_make_sample_writes_exactly_the_committed_files(tmp_path: Path) -> None:
    """The .txt files are generated: edit fixtures/make_sample.py and rerun it, never the files."""
    _make_sample().main(["--out", str(tmp_path)])
    for name in COLLECTIONS:
        assert sorted(p.name for p in (tmp_path / name).iterdir()) == [p.name for p in _files(name)]
        for path in _files(name):
            assert (tmp_path / name / path.name).read_bytes() == path.read_bytes(), f"{name}/{path.name}"


def test_every_value_is_synthetic(sample: dict[str, pd.DataFrame]) -> None:
    """Names, USIs, phone numbers and e-mail addresses are obviously fake (never a real person's)."""
    clients = sample["NAT00080"]
    assert clients.usi.str.fullmatch(r"ZZTEST\d{4}").all()
    assert clients.usi.str.fullmatch(r"[A-HJ-NP-Z0-9]{10}").all(), "USI Registry alphabet: no I or O (D22)"
    assert clients.address_street_name.eq("SAMPLE STREET").all()
    contacts = sample["NAT00085"]
    assert contacts.email_address.str.endswith("@example.com").all()
    assert contacts.telephone_mobile.str.startswith("0491570").all()


def test_organisation_and_locations(sample: dict[str, pd.DataFrame]) -> None:
    assert sample["NAT00010"].training_organisation_id.tolist() == ["90001"]
    assert sample["NAT00020"].delivery_location_id.tolist() == ["MAIN01", "ONLINE1"]


def test_keys_exist_in_their_files(sample: dict[str, pd.DataFrame]) -> None:
    """X-02 … X-07: every NAT00120 location, client, subject and program, and every NAT00130 client and program."""
    act = sample["NAT00120"]
    key = ["training_organisation_id", "delivery_location_id"]
    locations = set(sample["NAT00020"][key].itertuples(index=False, name=None))
    assert set(act[key].itertuples(index=False, name=None)) <= locations
    clients = set(sample["NAT00080"].client_id)
    assert set(act.client_id) == clients
    assert set(act.subject_id) == set(sample["NAT00060"].subject_id)
    programs = set(sample["NAT00030"].program_id) | set(sample["NAT00030A"].program_id)
    assert set(act.program_id.dropna()) == programs
    for fid in ("NAT00085", "NAT00090", "NAT00100", "NAT00130"):
        assert set(sample[fid].client_id) <= clients, fid


def test_flag_files_pair_exactly_with_the_flags(sample: dict[str, pd.DataFrame]) -> None:
    """X-08: NAT00090 rows exactly for disability flag Y, NAT00100 rows exactly for prior-education flag Y."""
    c = sample["NAT00080"]
    assert set(sample["NAT00090"].client_id) == set(c.client_id[c.disability_flag == "Y"])
    assert set(sample["NAT00100"].client_id) == set(c.client_id[c.prior_educational_achievement_flag == "Y"])


def test_completions_have_achieved_training_activity(sample: dict[str, pd.DataFrame]) -> None:
    """X-06: NAT00130 only for completed programs whose NAT00120 units are all achieved and end by completion."""
    merged = sample["NAT00130"].merge(sample["NAT00120"], on=["training_organisation_id", "client_id", "program_id"])
    assert set(merged.client_id) == set(sample["NAT00130"].client_id)
    assert merged.outcome_national.isin(["20", "51", "60"]).all()
    assert (merged.activity_end_date <= merged.date_program_completed).all()
    assert (
        merged.groupby("client_id")
        .activity_end_date.max()
        .eq(sample["NAT00130"].set_index("client_id").date_program_completed)
        .all()
    )


def test_outcomes_and_dates_follow_the_collection_period(sample: dict[str, pd.DataFrame]) -> None:
    """V-120-02/03/07: 70 ends after the period, 85 starts after it, final outcomes end by the reporting date."""
    act = sample["NAT00120"]
    out, start, end = act.outcome_national, act.activity_start_date, act.activity_end_date
    assert {"20", "30", "40", "51", "60", "70", "85"} <= set(out)
    assert (end >= start).all() and (end >= pd.Timestamp(2026, 1, 1)).all()
    assert (end[out == "70"] > PERIOD_END).all()
    assert (start[out == "85"] > PERIOD_END).all()
    final = ~out.isin(["70", "85"])
    assert (end[final] <= REPORTING_DATE).all()
    assert not act.duplicated(["client_id", "subject_id"]).any()


def test_delivery_modes(sample: dict[str, pd.DataFrame]) -> None:
    """V-120-05/06/17: NNN/N exactly for 51/52/60; predominant mode is a Y position of the delivery mode."""
    act = sample["NAT00120"]
    rpl = act.outcome_national.isin(["51", "52", "60"])
    assert ((act.delivery_mode_id == "NNN") == rpl).all()
    assert ((act.predominant_delivery_mode == "N") == rpl).all()
    for mode, predominant in zip(act.delivery_mode_id[~rpl], act.predominant_delivery_mode[~rpl], strict=True):
        assert mode["IEW".index(predominant)] == "Y"


def test_commencing_program_identifier(sample: dict[str, pd.DataFrame]) -> None:
    """V-120-16: 3 or 4 with a program (one value per client + program), 8 without."""
    act = sample["NAT00120"]
    blank = act.program_id.isna()
    assert blank.any() and (act.commencing_program_id[blank] == "8").all()
    assert act.commencing_program_id[~blank].isin(["3", "4"]).all()
    assert (act[~blank].groupby(["client_id", "program_id"]).commencing_program_id.nunique() == 1).all()


def test_nsw_commitments(sample: dict[str, pd.DataFrame]) -> None:
    """The withdrawn commitment carries TNC on every row (all 40 or 85); the transition spans two programs."""
    act = sample["NAT00120"]
    withdrawn = act[act.purchasing_contract_id == "C000123456"]
    assert withdrawn.client_id.unique().tolist() == ["C0000002"]
    assert withdrawn.outcome_training_organisation.eq("TNC").all()
    assert withdrawn.outcome_national.isin(["40", "85"]).all()
    assert (withdrawn.hours_attended[withdrawn.outcome_national == "40"] > 0).all()
    assert act.outcome_training_organisation.notna().sum() == len(withdrawn)
    transition = act[act.purchasing_contract_id == "C000234567"]
    assert set(transition.program_id) == {"BSB40115", "BSB40120"}
