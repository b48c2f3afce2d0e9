"""Reading then writing a NAT file gives the same bytes, whatever its line endings, BOM or short records."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pandas as pd
import pytest

from avetmiss_finalise import nat
from avetmiss_finalise.errors import WriteError
from avetmiss_finalise.nat.parse import parse_bytes
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import get_profile

NATIONAL = get_profile("national")


def sample_unit(**changes: object) -> nat.NAT00120:
    values: dict[str, object] = dict(
        training_organisation_id="90001",
        delivery_location_id="LOC01",
        client_id="TESTC001",
        subject_id="BSBWHS521",
        program_id="BSB50120",
        activity_start_date=datetime.date(2026, 2, 2),
        activity_end_date=datetime.date(2026, 6, 30),
        delivery_mode_id="YNN",
        outcome_national="20",
        funding_source_national="11",
        commencing_program_id="3",
        study_reason_id="01",
        vet_in_schools_flag="N",
        client_tuition_fee=1200,
        hours_attended=40,
    )
    values.update(changes)
    return nat.NAT00120(**values)  # type: ignore[arg-type]


def nat00120_bytes(rows: int = 3, eol: str = "\r\n") -> bytes:
    lines = [nat.record_line(sample_unit(client_id=f"TESTC{i:03d}")) for i in range(rows)]
    return "".join(line + eol for line in lines).encode("ascii")


def roundtrip(data: bytes, file_id: str = "NAT00120", profile: str = "national") -> bytes:
    parsed = parse_bytes(data, file_id, get_profile(profile))
    return encode_frame(parsed.frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed)


@pytest.mark.parametrize(
    "data",
    [
        nat00120_bytes(),
        nat00120_bytes(eol="\n"),
        nat00120_bytes()[:-2],
        nat00120_bytes(eol="\n")[:-1],
        b"\xef\xbb\xbf" + nat00120_bytes(),
        b"",
        nat00120_bytes(1),
        nat00120_bytes(2) + nat00120_bytes(1, eol="\n"),
    ],
    ids=["crlf", "lf", "crlf-no-final", "lf-no-final", "bom", "empty", "one", "mixed-eol"],
)
def test_round_trip_is_byte_exact(data: bytes) -> None:
    assert roundtrip(data) == data


def test_records_cut_short_in_blank_tail_are_padded_and_written_back_short() -> None:
    full = nat00120_bytes(2).split(b"\r\n")
    short = full[0].rstrip(b" ")[:130].ljust(120) + b"\r\n" + full[1] + b"\r\n"
    parsed = parse_bytes(short, "NAT00120", NATIONAL)
    assert [i.rule_id for i in parsed.issues] == ["NAT-PADDED"]
    assert parsed.frame.loc[0, "client_tuition_fee"] == 1200 or len(full[0].rstrip(b" ")) > 130
    assert roundtrip(short) == short


def test_record_shorter_than_national_length_is_an_error_issue() -> None:
    data = b"90001     LOC01\r\n"
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    (issue,) = [i for i in parsed.issues if i.rule_id == "NAT-SHORT"]
    assert issue.severity == nat.RULES["NAT-SHORT"][0]
    assert issue.line == 1 and issue.columns == (16, 111)
    assert parsed.frame.loc[0, "training_organisation_id"] == "90001"
    assert roundtrip(data) == data


def test_longer_records_keep_their_extra_characters() -> None:
    line = nat.record_line(sample_unit()) + "STATE-TAIL  "
    data = (line + "\r\n").encode()
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    assert parsed.frame.loc[0, "extra"] == "STATE-TAIL  "
    assert [i.rule_id for i in parsed.issues] == ["NAT-EXTRA"]
    assert roundtrip(data) == data


def test_invalid_date_and_number_are_missing_with_raw_text_kept() -> None:
    line = nat.record_line(sample_unit())
    bad = line[:52] + "31022026" + line[60:117] + "12a45" + line[122:]
    data = (bad + "\r\n").encode()
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    assert pd.isna(parsed.frame.loc[0, "activity_start_date"])
    assert pd.isna(parsed.frame.loc[0, "client_tuition_fee"])
    assert sorted(i.rule_id for i in parsed.issues) == ["NAT-DATE", "NAT-NUMBER"]
    assert parsed.unparsed["text"].tolist() == ["31022026", "12a45"]
    assert roundtrip(data) == data


def test_non_printable_bytes_are_located_issues_and_round_trip() -> None:
    line = nat.record_line(sample_unit()).encode()
    data = line[:25] + b"\x00\xe9" + line[27:] + b"\r\n"
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    (issue,) = parsed.issues
    assert (issue.rule_id, issue.field, issue.columns) == ("NAT-CHARSET", "client_id", (26, 26))
    assert roundtrip(data) == data


def test_columnar_contract_dtypes() -> None:
    frame = parse_bytes(nat00120_bytes(), "NAT00120", NATIONAL).frame
    lay = NATIONAL.layout("NAT00120")
    assert list(frame.columns) == [*lay.names, "extra"]
    assert isinstance(frame.index, pd.RangeIndex)
    for f in lay.fields:
        expected = {"number": "Int64", "date": "datetime64[s]"}.get(f.role, pd.StringDtype("pyarrow"))
        assert frame[f.name].dtype == expected, f.name
    assert frame.loc[0, "outcome_national"] == "20"
    assert frame.loc[0, "activity_start_date"] == pd.Timestamp("2026-02-02")
    assert pd.isna(frame.loc[0, "specific_funding_id"])


def test_write_refuses_to_truncate_and_locates_every_bad_cell() -> None:
    frame = nat.frame_from_records([sample_unit(), sample_unit()], "NAT00120")
    frame.loc[0, "subject_id"] = "X" * 13
    frame.loc[1, "outcome_national"] = "2a"
    with pytest.raises(WriteError) as info:
        encode_frame(frame, "NAT00120")
    issues = info.value.issues
    assert {(i.line, i.field) for i in issues} == {(1, "subject_id"), (2, "outcome_national")}


def test_records_round_trip_through_frames_and_files(tmp_path: Path) -> None:
    records = [sample_unit(), sample_unit(client_id="TESTC002", program_id=None, client_tuition_fee=None)]
    frame = nat.frame_from_records(records, "NAT00120")
    assert nat.records_from_frame(frame, "NAT00120") == records
    path = tmp_path / "NAT00120.txt"
    nat.write_records(records, path)
    assert nat.read_records(path) == records
    stream = io.BytesIO()
    nat.write_records(records, stream)
    assert stream.getvalue() == path.read_bytes()


def test_read_collection_directory_and_write_back(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "Nat00120.TxT").write_bytes(nat00120_bytes())
    (src / "NAT00090.txt").write_bytes(b"")
    (src / "readme.md").write_text("hello")
    coll = nat.read_collection(src)
    assert list(coll.frames) == ["NAT00090", "NAT00120"]
    assert len(coll.frames["NAT00090"]) == 0
    assert [i.rule_id for i in coll.issues] == ["NAT-UNKNOWN-FILE"]
    written = nat.write_collection(coll, tmp_path / "out")
    assert sorted(p.name for p in written) == ["NAT00090.txt", "Nat00120.TxT"]
    for p in written:
        assert p.read_bytes() == (src / p.name).read_bytes()


def test_equal_length_lines_with_different_terminators_are_not_misread() -> None:
    """A CR LF record one character shorter than an LF record must not be read as content ending in CR."""
    data = b"TESTC001  11\nTESTC002  9\r\n"
    parsed = parse_bytes(data, "NAT00090", NATIONAL)
    assert parsed.frame.loc[0, "disability_type_id"] == "11" and pd.isna(parsed.frame.loc[1, "disability_type_id"])
    assert sorted(i.rule_id for i in parsed.issues) == ["NAT-EOL", "NAT-NUMBER", "NAT-SHORT"]
    assert roundtrip(data) == data


def test_cr_only_line_endings_are_one_located_record_with_a_hint() -> None:
    """Old Mac-style CR-only endings are not record breaks: the first CR is reported where it is, saying why."""
    data = nat00120_bytes(3).replace(b"\r\n", b"\r")
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    assert len(parsed.frame) == 1
    charset = [i for i in parsed.issues if i.rule_id == "NAT-CHARSET"]
    assert charset[0].columns == (159, 159) and "CR without LF" in charset[0].message
    assert roundtrip(data) == data


def test_utf16_file_is_named_as_such_and_round_trips() -> None:
    """A spreadsheet's "Unicode text" export: its bytes are reported, and one Issue says why."""
    data = nat00120_bytes(2).decode("ascii").encode("utf-16")
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    (hint,) = [i for i in parsed.issues if "UTF-16" in i.message]
    assert (hint.rule_id, hint.line, hint.columns) == ("NAT-CHARSET", 1, (1, 2))
    assert hint.severity == nat.RULES["NAT-CHARSET"][0]
    assert roundtrip(data) == data


def test_an_empty_line_is_a_located_short_record_that_says_so() -> None:
    data = nat00120_bytes(1) + b"\r\n" + nat00120_bytes(1)
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    (issue,) = parsed.issues
    assert (issue.rule_id, issue.line, issue.columns) == ("NAT-SHORT", 2, (1, 111)) and "empty line" in issue.message
    assert roundtrip(data) == data


def test_an_unparsed_cell_is_blanked_by_dropping_it_from_unparsed() -> None:
    """As docs/nat-format.md says: raw text comes back where the cell is still missing, unless dropped."""
    line = nat.record_line(sample_unit())
    data = (line[:52] + "31022026" + line[60:] + "\r\n").encode()
    parsed = parse_bytes(data, "NAT00120", NATIONAL)
    kept = parsed.unparsed[parsed.unparsed["field"] != "activity_start_date"]
    out = encode_frame(parsed.frame, "NAT00120", meta=parsed.meta, unparsed=kept)
    assert out[52:60] == b" " * 8 and out[:52] + out[60:] == data[:52] + data[60:]
