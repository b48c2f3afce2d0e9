"""One property per reader/writer rule ID: each fires exactly where its finding is, with its documented severity."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avetmiss_finalise import nat
from avetmiss_finalise.errors import WriteError
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.parse import MAX_ISSUES_PER_KIND, RULES, line_chunks, parse_bytes, parse_chunks
from avetmiss_finalise.nat.record_checks import state_tail_start
from avetmiss_finalise.nat.write import WRITE_RULE, encode_frame
from avetmiss_finalise.profiles import get_profile
from tests.strategies.nat import PRINTABLE, file_and_profile, nat_lines

NATIONAL = get_profile("national")


def _rules(issues: list[object]) -> list[str]:
    return [i.rule_id for i in issues]  # type: ignore[attr-defined]


@given(data=st.data(), pair=file_and_profile())
def test_nat_short_records_below_the_national_length(data: st.DataObject, pair: tuple[str, str]) -> None:
    """NAT-SHORT: a record shorter than the national record length is located at the missing columns; a warning
    (trimmed trailing blanks are read as space-filled, F-01), an error only for an empty line."""
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    line = data.draw(nat_lines(file_id, profile, extra=False))
    keep = data.draw(st.integers(0, lay.national_length - 1))
    (issue,) = [
        i
        for i in parse_bytes((line[:keep] + "\r\n").encode(), file_id, get_profile(profile)).issues
        if i.rule_id == "NAT-SHORT"
    ]
    expected = Severity.ERROR if keep == 0 else RULES["NAT-SHORT"][0]
    assert RULES["NAT-SHORT"][0] is Severity.WARNING
    assert issue.severity is expected and issue.columns == (keep + 1, lay.national_length)
    assert issue.file == f"{file_id}.txt" and issue.line == 1
    missing = lay.field_at(keep + 1)
    assert missing is not None and issue.field == missing.name  # the field the record ends in


@given(data=st.data(), pair=file_and_profile())
def test_nat_padded_records_cut_in_the_tail(data: st.DataObject, pair: tuple[str, str]) -> None:
    """NAT-PADDED: a record between the national and full widths is read as space-filled: a warning when the
    profile's state tail for the file has mandatory fields (a VIC record shorter than the VIC width), info
    otherwise, and nothing when it ends exactly at the national length under a profile without a state tail."""
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    if lay.national_length == lay.width:
        return
    line = data.draw(nat_lines(file_id, profile, extra=False))
    keep = data.draw(st.integers(lay.national_length, lay.width - 1))
    issues = parse_bytes((line[:keep] + "\r\n").encode(), file_id, get_profile(profile)).issues
    padded = [i for i in issues if i.rule_id == "NAT-PADDED"]
    own_tail = state_tail_start(lay) is not None
    if keep == lay.national_length and not own_tail:
        assert not padded and "NAT-SHORT" not in _rules(list(issues))
        return
    assert len(padded) == 1 and padded[0].columns == (keep + 1, lay.width)
    mandatory_tail = any(f.version != "8.0" and f.required == "Y" for f in lay.fields)
    assert padded[0].severity is (Severity.WARNING if mandatory_tail else Severity.INFO)
    first_cut = lay.field_at(keep + 1)
    assert first_cut is not None and padded[0].field == first_cut.name and padded[0].line == 1
    assert "NAT-SHORT" not in _rules(list(issues))


@given(data=st.data(), pair=file_and_profile(), tail=st.text(alphabet=PRINTABLE, min_size=1, max_size=30))
def test_nat_extra_characters_past_the_layout(data: st.DataObject, pair: tuple[str, str], tail: str) -> None:
    """NAT-EXTRA: characters past the profile's width are kept verbatim in ``extra`` (info)."""
    file_id, profile = pair
    line = data.draw(nat_lines(file_id, profile, extra=False))
    parsed = parse_bytes((line + tail + "\n").encode(), file_id, get_profile(profile))
    assert parsed.frame.loc[0, "extra"] == tail
    assert _rules(list(parsed.issues)) == ["NAT-EXTRA"]


@given(data=st.data(), pair=file_and_profile(), byte=st.sampled_from([0x00, 0x09, 0x7F, 0x80, 0xE9, 0xFF]))
def test_nat_charset_names_field_and_column(data: st.DataObject, pair: tuple[str, str], byte: int) -> None:
    """NAT-CHARSET: a byte outside printable ASCII is an Issue naming the field and the column."""
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    line = data.draw(nat_lines(file_id, profile, extra=False)).encode()
    pos = data.draw(st.integers(0, lay.width - 1))
    raw = line[:pos] + bytes([byte]) + line[pos + 1 :] + b"\r\n"
    issues = [i for i in parse_bytes(raw, file_id, get_profile(profile)).issues if i.rule_id == "NAT-CHARSET"]
    field = lay.field_at(pos + 1)
    assert field is not None
    assert [(i.field, i.columns) for i in issues] == [(field.name, (pos + 1, pos + 1))]


@given(day=st.integers(0, 99), month=st.integers(0, 99), year=st.integers(0, 9999))
def test_nat_date_only_real_calendar_dates(day: int, month: int, year: int) -> None:
    """NAT-DATE: a date cell that is not a real DDMMYYYY date is missing, kept raw, and reported."""
    import datetime

    try:
        real = datetime.date(year, month, day)
    except ValueError:
        real = None
    line = nat.record_line(nat.NAT00120(client_id="TESTC001"))
    text = f"{day:02d}{month:02d}{year:04d}"
    parsed = parse_bytes((line[:52] + text + line[60:] + "\r\n").encode(), "NAT00120", NATIONAL)
    value = parsed.frame.loc[0, "activity_start_date"]
    if real is None:
        assert _rules(list(parsed.issues)) == ["NAT-DATE"]
        assert parsed.unparsed.to_dict("records") == [{"row": 0, "field": "activity_start_date", "text": text}]
    else:
        assert parsed.issues == () and value.date() == real


@given(text=st.one_of(st.text(alphabet="0123456789 @a-.", min_size=5, max_size=5), st.just("@@@@@")))
def test_nat_number_only_zero_filled_digits(text: str) -> None:
    """NAT-NUMBER: an N number is zero-filled digits, blank or @-filled (not stated: missing, raw text kept, no
    finding); anything else is missing, kept raw and reported."""
    line = nat.record_line(nat.NAT00120(client_id="TESTC001"))
    parsed = parse_bytes((line[:117] + text + line[122:] + "\r\n").encode(), "NAT00120", NATIONAL)
    value = parsed.frame.loc[0, "client_tuition_fee"]
    raw = parsed.unparsed.to_dict("records")
    if text.isdigit():
        assert value == int(text) and parsed.issues == () and raw == []
    elif text == "     ":
        assert pd.isna(value) and parsed.issues == () and raw == []
    elif text == "@@@@@":
        assert pd.isna(value) and parsed.issues == ()
        assert raw == [{"row": 0, "field": "client_tuition_fee", "text": text}]
    else:
        assert _rules(list(parsed.issues)) == ["NAT-NUMBER"] and pd.isna(value)
        assert raw == [{"row": 0, "field": "client_tuition_fee", "text": text}]


@given(data=st.data(), pair=file_and_profile())
def test_nat_number_at_filled_numbers_are_not_stated_in_every_layout(
    data: st.DataObject, pair: tuple[str, str]
) -> None:
    """NAT-NUMBER is silent on an @-filled number of any layout (SMS 'not stated' hours): the value is missing,
    the raw text is kept, and the record is written back byte for byte."""
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    numbers = [f for f in lay.fields if f.role == "number"]
    if not numbers:
        return
    field = data.draw(st.sampled_from(numbers))
    line = data.draw(nat_lines(file_id, profile, extra=False))
    text = line[: field.offset] + "@" * field.length + line[field.stop :]
    raw = (text + "\r\n").encode()
    parsed = parse_bytes(raw, file_id, get_profile(profile))
    assert "NAT-NUMBER" not in _rules(list(parsed.issues))
    assert pd.isna(parsed.frame.loc[0, field.name])
    assert encode_frame(parsed.frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed) == raw


@given(data=st.data(), pair=file_and_profile())
def test_nat_date_zeros_warn_where_a_blank_is_legal_and_err_where_the_date_is_mandatory(
    data: st.DataObject, pair: tuple[str, str]
) -> None:
    """NAT-DATE for 00000000: a warning saying a blank is expected in a date that may be blank, an error in a
    mandatory date (sms_habits.md)."""
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    dates = [f for f in lay.fields if f.role == "date"]
    if not dates:
        return
    field = data.draw(st.sampled_from(dates))
    line = data.draw(nat_lines(file_id, profile, extra=False))
    text = line[: field.offset] + "00000000" + line[field.stop :]
    found = [i for i in parse_bytes((text + "\r\n").encode(), file_id, get_profile(profile)).issues]
    (issue,) = [i for i in found if i.field == field.name]
    assert issue.rule_id == "NAT-DATE"
    if field.required == "Y":
        assert issue.severity is Severity.ERROR and "mandatory" in issue.message
    else:
        assert issue.severity is Severity.WARNING and "blank is expected" in issue.message


@given(toid=st.text(alphabet="0123456789", min_size=1, max_size=9))
def test_nat_zero_fill_vic_toid_must_be_right_justified(toid: str) -> None:
    """NAT-ZERO-FILL: under VIC a left-justified TOID is reported (warning) and kept raw for writing back."""
    line = nat.record_line(nat.NAT00120(training_organisation_id=toid, client_id="C1"), "vic")
    assert line.startswith(toid.rjust(10, "0"))
    bad = toid.ljust(10) + line[10:]
    parsed = parse_bytes((bad + "\r\n").encode(), "NAT00120", get_profile("vic"))
    assert _rules(list(parsed.issues)) == ["NAT-ZERO-FILL"]
    assert (
        encode_frame(parsed.frame, "NAT00120", "vic", meta=parsed.meta, unparsed=parsed.unparsed)
        == (bad + "\r\n").encode()
    )


@given(data=st.data(), pair=file_and_profile())
def test_nat_bom_is_reported_and_kept(data: st.DataObject, pair: tuple[str, str]) -> None:
    """NAT-BOM: a UTF-8 BOM is an info Issue, not part of the first record, and written back."""
    file_id, profile = pair
    raw = b"\xef\xbb\xbf" + data.draw(nat_lines(file_id, profile, extra=False)).encode() + b"\r\n"
    parsed = parse_bytes(raw, file_id, get_profile(profile))
    assert _rules(list(parsed.issues)) == ["NAT-BOM"]
    assert encode_frame(parsed.frame, file_id, profile, meta=parsed.meta) == raw


@given(data=st.data(), pair=file_and_profile(), flags=st.lists(st.booleans(), min_size=2, max_size=5))
def test_nat_eol_mixed_line_endings(data: st.DataObject, pair: tuple[str, str], flags: list[bool]) -> None:
    """NAT-EOL: mixed CR LF / LF is reported once, and each record's terminator is written back."""
    file_id, profile = pair
    lines = [data.draw(nat_lines(file_id, profile, extra=False)) for _ in flags]
    raw = "".join(line + ("\r\n" if crlf else "\n") for line, crlf in zip(lines, flags, strict=True)).encode()
    parsed = parse_bytes(raw, file_id, get_profile(profile))
    assert _rules(list(parsed.issues)).count("NAT-EOL") == (1 if len(set(flags)) == 2 else 0)
    assert encode_frame(parsed.frame, file_id, profile, meta=parsed.meta) == raw


@given(names=st.lists(st.sampled_from(["notes.txt", "NAT00120.csv.bak", "NAT99999.txt", "data.json"]), unique=True))
def test_nat_unknown_file_ignored_with_info(names: list[str]) -> None:
    """NAT-UNKNOWN-FILE: files that are not NAT files are ignored, one info Issue each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in names:
            zf.writestr(name, "x")
        zf.writestr("NAT00090.txt", "")
    path = Path(tempfile.mkdtemp()) / "s.zip"
    path.write_bytes(buffer.getvalue())
    coll = nat.read_collection(path)
    assert list(coll.frames) == ["NAT00090"]
    assert sorted(i.file for i in coll.issues if i.rule_id == "NAT-UNKNOWN-FILE") == sorted(names)


@given(case=st.sampled_from(["nat00090.txt", "Nat00090.TXT", "NAT00090"]))
def test_nat_duplicate_file_keeps_the_first(case: str) -> None:
    """NAT-DUPLICATE-FILE: a second file with the same NAT id (names differ in case) is ignored with a warning."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("A/NAT00090.txt", "TESTC001  11\r\n")
        zf.writestr(f"B/{case}", "TESTC002  99\r\n")
    path = Path(tempfile.mkdtemp()) / "s.zip"
    path.write_bytes(buffer.getvalue())
    coll = nat.read_collection(path)
    assert coll.frames["NAT00090"]["client_id"].tolist() == ["TESTC001"]
    assert _rules(list(coll.issues)) == ["NAT-DUPLICATE-FILE"]


@given(rows=st.integers(MAX_ISSUES_PER_KIND + 1, MAX_ISSUES_PER_KIND + 40))
def test_nat_truncated_caps_issues_per_kind(rows: int) -> None:
    """NAT-TRUNCATED: past MAX_ISSUES_PER_KIND findings of one kind, one Issue counts the rest."""
    raw = b"X\r\n" * rows
    issues = parse_bytes(raw, "NAT00090", NATIONAL).issues
    assert _rules(list(issues)).count("NAT-SHORT") == MAX_ISSUES_PER_KIND
    (summary,) = [i for i in issues if i.rule_id == "NAT-TRUNCATED"]
    assert f"{rows - MAX_ISSUES_PER_KIND} more NAT-SHORT" in summary.message


@given(data=st.data(), pair=file_and_profile())
def test_nat_write_locates_every_unwritable_cell(data: st.DataObject, pair: tuple[str, str]) -> None:
    """NAT-WRITE: a too-long value is never truncated: WriteError names the line and field of each bad cell."""
    file_id, profile = pair
    lay = get_profile(profile).layout(file_id)
    text_fields = [f for f in lay.fields if f.kind == "A" and f.role != "date"]
    field = data.draw(st.sampled_from(text_fields))
    lines = [data.draw(nat_lines(file_id, profile, extra=False)) for _ in range(3)]
    frame = parse_bytes("".join(x + "\r\n" for x in lines).encode(), file_id, get_profile(profile)).frame
    row = data.draw(st.integers(0, 2))
    frame.loc[row, field.name] = "Z" * (field.length + 1)
    with pytest.raises(WriteError) as info:
        encode_frame(frame, file_id, profile)
    assert [(i.rule_id, i.line, i.field) for i in info.value.issues] == [(WRITE_RULE, row + 1, field.name)]


_CAP = 1024


@given(
    data=st.data(),
    pair=file_and_profile(),
    over=st.integers(-3, 3000),
    where=st.integers(0, 2),
    size=st.sampled_from([64, 997, 1 << 24]),
    eol=st.sampled_from(["\r\n", "\n"]),
)
def test_nat_long_record_cut_at_the_limit_and_never_written_back(
    data: st.DataObject, pair: tuple[str, str], over: int, where: int, size: int, eol: str
) -> None:
    """NAT-LONG-RECORD: a record longer than ``max_record_length`` is cut to it and reported at its line (whether
    it lies inside one read block or across blocks); the file is then refused by the writer. A record of at most
    the limit is read whole and written back byte for byte."""
    file_id, profile = pair
    lines = [data.draw(nat_lines(file_id, profile, extra=False)) for _ in range(3)]
    length = _CAP + over
    lines[where] = (lines[where] + "X" * length)[:length]
    raw = "".join(line + eol for line in lines).encode()
    limits = Limits(max_record_length=_CAP)
    parsed = parse_chunks(line_chunks(io.BytesIO(raw), size, _CAP), file_id, get_profile(profile), limits=limits)
    cut = [i for i in parsed.issues if i.rule_id == "NAT-LONG-RECORD"]
    assert len(parsed.frame) == 3
    if length <= _CAP:
        assert cut == [] and parsed.meta.cut_records == ()
        assert encode_frame(parsed.frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed) == raw
        return
    assert [(i.line, i.severity, i.columns) for i in cut] == [(where + 1, Severity.ERROR, (_CAP + 1, length))]
    assert f"{length:,} characters" in cut[0].message and parsed.meta.cut_records == (where,)
    width = get_profile(profile).layout(file_id).width
    assert len(parsed.frame.loc[where, "extra"]) == _CAP - width
    assert not [i for i in parsed.issues if i.rule_id == "NAT-EXTRA" and i.line == where + 1]
    with pytest.raises(WriteError, match="record-length limit"):
        encode_frame(parsed.frame, file_id, profile, meta=parsed.meta, unparsed=parsed.unparsed)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(0, 3000), min_size=1, max_size=4),
    max_file=st.integers(1, 3000),
    max_total=st.integers(1, 6000),
    compress=st.booleans(),
)
def test_nat_too_large_members_are_refused_before_reading(
    tmp_path_factory: pytest.TempPathFactory, sizes: list[int], max_file: int, max_total: int, compress: bool
) -> None:
    """NAT-TOO-LARGE: a member over ``max_file_bytes``, or one that would take the total past ``max_total_bytes``,
    is an error Issue and is not read; every other member is read (from a directory or a zip alike)."""
    folder = tmp_path_factory.mktemp("big")
    archive = folder / "s.zip"
    names = ["NAT00120.txt", "NAT00080.txt", "NAT00085.txt", "NAT00090.txt"][: len(sizes)]
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(archive, "w", method) as zf:
        for name, n in zip(names, sizes, strict=True):
            (folder / name).write_bytes(b"x" * n)
            zf.writestr(name, b"x" * n)
    limits = Limits(max_file_bytes=max_file, max_total_bytes=max_total)
    expected, total = [], 0
    for name, n in sorted(zip(names, sizes, strict=True)):
        if n > max_file or total + n > max_total:
            expected.append(name)
        else:
            total += n
    for source in (folder, archive):
        coll = nat.read_collection(source, limits=limits)
        refused = [i for i in coll.issues if i.rule_id == "NAT-TOO-LARGE"]
        assert sorted(i.file for i in refused) == expected and all(i.severity is Severity.ERROR for i in refused)
        assert sorted(f"{fid}.txt" for fid in coll.frames) == sorted(set(names) - set(expected))


_SPECIAL_KINDS = ("fifo", "dir", "devnull", "broken", "socket")


def _make_special(path: Path, kind: str) -> None:
    import os
    import socket

    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    elif kind == "devnull":
        path.symlink_to("/dev/null")
    elif kind == "broken":
        path.symlink_to(path.parent / "nowhere")
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(_SPECIAL_KINDS), name=st.sampled_from(["NAT00120.txt", "nat00080.TXT", "notes.txt"]))
def test_nat_special_file_is_named_never_opened(tmp_path_factory: pytest.TempPathFactory, kind: str, name: str) -> None:
    """NAT-SPECIAL-FILE: an entry with a NAT file name that is not a regular file (FIFO, directory, device behind
    a symlink, broken link, socket) is an error Issue, never opened or waited on; the regular files beside it are
    read. With another name it is NAT-UNKNOWN-FILE (a plain sub-directory is simply not searched)."""
    folder = tmp_path_factory.mktemp("special")
    (folder / "NAT00090.txt").write_bytes(b"TESTC001  11\r\n")
    _make_special(folder / name, kind)
    coll = nat.read_collection(folder)
    assert list(coll.frames) == ["NAT00090"]
    if nat.file_id_of(name):
        (issue,) = coll.issues
        assert (issue.rule_id, issue.file, issue.severity) == ("NAT-SPECIAL-FILE", name, Severity.ERROR)
    elif kind == "dir":
        assert coll.issues == ()
    else:
        assert [(i.rule_id, i.file) for i in coll.issues] == [("NAT-UNKNOWN-FILE", name)]


def test_every_reader_rule_has_a_property_test() -> None:
    names = " ".join(f"{n} {getattr(v, '__doc__', '') or ''}" for n, v in globals().items() if n.startswith("test_"))
    missing = [r for r in [*RULES, WRITE_RULE] if r not in names]
    assert missing == []
