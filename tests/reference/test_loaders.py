"""The reference loaders (issue #14 item 1): one per source, simple CSV and published-export headers, checked on
load with located errors (file, line, column) — never a traceback — and an immutable, picklable result."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.cli import main
from avetmiss_finalise.reference import ReferenceError, load_reference
from avetmiss_finalise.reference._files import decode, read_reference_bytes
from avetmiss_finalise.reference.load import _PARSERS, classify
from tests.strategies.reference import localities, state_abbreviation

FEW = settings(max_examples=max(10, settings().max_examples // 2))


def _write(tmp: Path, name: str, text: str | bytes) -> Path:
    path = tmp / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _problem(exc: pytest.ExceptionInfo[ReferenceError]) -> tuple[str, int | None, str | None]:
    p = exc.value.problems[0]
    return Path(p.file).name, p.line, p.column


places = st.lists(
    st.tuples(st.integers(200, 9999).map(lambda n: f"{n:04d}"), localities, st.sampled_from(["01", "02", "03", "07"])),
    min_size=1,
    max_size=30,
)


@FEW
@given(rows=places, published=st.booleans(), delimiter=st.sampled_from([",", "\t", ";"]))
def test_postcode_file_in_either_form_loads_every_pair(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]], published: bool, delimiter: str
) -> None:
    """Simple CSV (postcode,locality,state with state ids) or Australia Post's (Pcode,Locality,State,… with
    abbreviations, zero-dropped postcodes, a title row): every listed pair matches, nothing else does."""
    tmp = tmp_path_factory.mktemp("pc")
    if published:
        head = delimiter.join(["Pcode", "Locality", "State", "Comments", "Category"])
        body = [
            delimiter.join([str(int(p)), loc.title(), state_abbreviation(s), "", "Delivery Area"]) for p, loc, s in rows
        ]
        text = "Australia Post postcode file (synthetic)\n" + "\n".join([head, *body]) + "\n"
    else:
        text = "\n".join(["postcode,locality,state", *(f"{p},{loc},{s}" for p, loc, s in rows)]) + "\n"
        text = text.replace(",", delimiter)
    _write(tmp, "postcodes.csv", text)
    ref = load_reference(tmp)
    assert ref.postcodes is not None and ref.files[0].form == ("published export" if published else "simple CSV")
    pcs = pd.Series([p for p, _, _ in rows] + ["0199"])  # generated postcodes start at 0200
    locs = pd.Series([loc for _, loc, _ in rows] + ["NOWHERE"])
    states = pd.Series([s for _, _, s in rows] + ["01"])
    why = ref.postcodes.mismatches(pcs, locs, states)
    assert why.iloc[:-1].isna().all() and why.iloc[-1] == "the postcode is not in the postcode/locality list"


@pytest.mark.parametrize(
    ("name", "text", "line", "column", "words"),
    [
        ("postcodes.csv", "postcode,locality\n2000,SYDNEY\n20A0,NOWHERE\n", 3, "postcode", "up to 4 digits"),
        ("postcodes.csv", "postcode,locality,state\n2000,SYDNEY,NEW SOUTH\n", 2, "state", "state abbreviation"),
        ("postcodes.csv", "postcode,locality\n2000,\n", 2, "locality", "must not be blank"),
        ("postcodes.csv", "code,name\n2000,SYDNEY\n", 1, None, "expected a header row naming the columns postcode"),
        ("postcodes.csv", "", 1, None, "the file is empty"),
        ("postcodes.csv", "postcode,locality\n", 1, None, "no data rows"),
        (
            "postcodes.csv",
            "postcode,locality\n2000,SYDNEY,EXTRA,MORE\n",
            2,
            None,
            "a delimiter inside an unquoted cell",
        ),
        ("rtos.csv", "Code,Legal name\n,SAMPLE\n", 2, "Code", "must not be blank"),
        ("rtos.csv", "Code,Legal name\n9 0001,SAMPLE\n", 2, "Code", "without spaces"),
        (
            "qualifications.csv",
            "Code,Title,Superseded date\nZZZ40115,X,31/02/2020\n",
            2,
            "Superseded date",
            "YYYY-MM-DD",
        ),
        (
            "qualifications.csv",
            "Code,Title,Teach-out date\nZZZ40115,X,2020-13-01\n",
            2,
            "Teach-out date",
            "not a real calendar date",
        ),
        ("units.csv", "code,title,nominal_hours\nZZZUNIT001,X,forty\n", 2, "nominal_hours", "whole hours"),
        ("units.csv", "code,title,nominal_hours\nZZZUNIT001,X,12000\n", 2, "nominal_hours", "whole hours"),
        ("specific_funding.csv", "code,year\nSF1,26\n", 2, "year", "collection year"),
        ("specific_funding.csv", "code,year\nTOOLONGCODE1,2026\n", 2, "code", "at most 10"),
        ("units.csv", b"code,title\nZZZUNIT001,Caf\x81\x8d\n", 2, None, "save the file as UTF-8"),
        ("units.csv", "code,title\nZZZUNIT001,A\x00B\n", 2, "title", "control character U+0000"),
    ],
)
def test_malformed_files_give_located_errors(
    tmp_path: Path, name: str, text: str | bytes, line: int, column: str | None, words: str
) -> None:
    _write(tmp_path, name, text)
    with pytest.raises(ReferenceError) as exc:
        load_reference(tmp_path)
    assert _problem(exc) == (name, line, column), str(exc.value)
    assert words in str(exc.value)
    assert f"{name}:{line}" in str(exc.value)


def test_every_problem_of_every_file_is_listed_and_counted_beyond_the_cap(tmp_path: Path) -> None:
    _write(tmp_path, "postcodes.csv", "postcode,locality\n" + "".join(f"X{i},A\n" for i in range(80)))
    _write(tmp_path, "units.csv", "code,title\n,NO CODE\n")
    with pytest.raises(ReferenceError) as exc:
        load_reference(tmp_path)
    files = {Path(p.file).name for p in exc.value.problems}
    assert files == {"postcodes.csv", "units.csv"}
    assert len(exc.value.problems) + exc.value.more == 81 and exc.value.more == 30
    assert "… and 30 more problem(s)" in str(exc.value)


def test_directory_problems_are_located(tmp_path: Path) -> None:
    with pytest.raises(ReferenceError, match="not a directory"):
        load_reference(tmp_path / "missing")
    with pytest.raises(ReferenceError, match="no reference files found"):
        load_reference(tmp_path)
    _write(tmp_path, "qualifications.xlsx", b"PK\x03\x04")
    _write(tmp_path, "rto_units.csv", "code,title\nA,B\n")
    _write(tmp_path, "README.md", "notes")
    with pytest.raises(ReferenceError) as exc:
        load_reference(tmp_path)
    text = str(exc.value)
    assert "save it as CSV" in text and "matches several reference sources (organisations, units)" in text


def test_files_are_chosen_by_name_and_unknown_ones_are_listed(tmp_path: Path) -> None:
    assert classify(Path("NCVER_Postcode_Locality_2026.txt")) == ["postcodes"]
    assert classify(Path("training.gov.au-RTOs.csv")) == ["organisations"]
    assert classify(Path("Accredited Courses.csv")) == ["programs"]
    assert classify(Path("skill-sets.csv")) == ["programs"]
    assert classify(Path("units_of_competency.csv")) == ["units"]
    assert classify(Path("specific_funding_2027.csv")) == ["specific_funding"]
    assert classify(Path("notes.csv")) == []
    _write(tmp_path, "qualifications.csv", "Code,Title\nZZZ40120,SAMPLE\n")
    _write(tmp_path, "skill_sets.csv", "Code,Title\nZZZSS00001,SAMPLE SET\n")
    _write(tmp_path, "notes.csv", "x\n")
    ref = load_reference(tmp_path)
    assert ref.programs is not None and set(ref.programs.entries) == {"ZZZ40120", "ZZZSS00001"}
    assert [f.name for f in ref.files] == ["qualifications.csv", "skill_sets.csv"]
    assert ref.ignored and ref.ignored[0].startswith("notes.csv")


def test_provenance_is_name_date_sha256_and_rows(tmp_path: Path) -> None:
    import hashlib

    data = b"Code,Legal name\r\n90000,SAMPLE RTO\r\n0099999,OTHER\r\n"
    _write(tmp_path, "rtos.csv", data)
    (f,) = load_reference(tmp_path).files
    assert (f.kind, f.name, f.rows, f.shipped) == ("organisations", "rtos.csv", 2, False)
    assert f.sha256 == hashlib.sha256(data).hexdigest() and f.modified[:4].isdigit()


def test_encodings_spreadsheets_save(tmp_path: Path) -> None:
    """UTF-8 with a BOM, UTF-16 ("Unicode text", tab-delimited) and Windows-1252 all load."""
    text = "code\ttitle\nZZZUNIT001\tSample \u2013 caf\u00e9 unit\n"
    for name, data in (
        ("units_a.csv", text.encode("utf-8-sig")),
        ("units_b.txt", text.encode("utf-16")),
        ("units_c.csv", text.replace("\u2013", "-").encode("cp1252")),
    ):
        assert decode(data, name).splitlines()[1].startswith("ZZZUNIT001")
        _write(tmp_path, name, data)
    ref = load_reference(tmp_path)
    assert ref.units is not None and len(ref.units.entries["ZZZUNIT001"].titles) == 2


def test_size_limit_is_a_located_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "units.csv", "code,title\n" + "ZZZ,T\n" * 100)
    with pytest.raises(ReferenceError, match="limit"):
        read_reference_bytes(path, limit=50)


@settings(max_examples=max(20, settings().max_examples))
@given(kind=st.sampled_from(sorted(_PARSERS)), data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_junk_never_raises_anything_but_a_reference_error(kind: str, data: bytes) -> None:
    """Any bytes: either a table, or a ReferenceError whose every problem names the file."""
    try:
        _PARSERS[kind](decode(data, "junk.csv"), "junk.csv")
    except ReferenceError as exc:
        assert exc.problems and all(p.file == "junk.csv" for p in exc.problems)


def test_the_loaded_reference_is_read_only_and_pickles(tmp_path: Path) -> None:
    _write(
        tmp_path, "qualifications.csv", "Code,Status,Superseded by\nZZZ40115,Superseded,ZZZ40120\nZZZ40120,Current,\n"
    )
    _write(tmp_path, "postcodes.csv", "postcode,locality\n2000,SYDNEY\n")
    ref = load_reference(tmp_path)
    assert ref.programs is not None
    with pytest.raises(TypeError):
        ref.programs.entries["X"] = ref.programs.entries["ZZZ40115"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        ref.programs = None  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(ref))
    assert again.programs is not None and again.programs.current_replacement("zzz40115")[0] == "ZZZ40120"
    assert (
        again.postcodes is not None
        and again.postcodes.mismatches(pd.Series(["2000"]), pd.Series(["sydney"])).isna().all()
    )


def test_replacement_chains_ambiguity_and_loops() -> None:
    from avetmiss_finalise.reference import ProgramEntry, ProgramTable

    table = ProgramTable.from_entries(
        [
            ProgramEntry(code="A1", statuses=("superseded",), superseded_by=("B1",)),
            ProgramEntry(code="B1", statuses=("superseded",), superseded_by=("C1",)),
            ProgramEntry(code="C1", statuses=("current",)),
            ProgramEntry(code="D1", statuses=("superseded",), superseded_by=("E1", "F1")),
            ProgramEntry(code="L1", superseded_by=("L2",)),
            ProgramEntry(code="L2", superseded_by=("L1",)),
            ProgramEntry(code="N1", statuses=("superseded",)),
        ]
    )
    assert table.current_replacement("A1") == ("C1", "qualification list: A1 → B1 → C1")
    assert table.current_replacement("D1")[0] is None and "several replacements" in table.current_replacement("D1")[1]
    assert "loop" in table.current_replacement("L1")[1]
    assert "names no replacement" in table.current_replacement("N1")[1]
    assert "is current" in table.current_replacement("C1")[1]
    assert "not in the qualification list" in table.current_replacement("Z9")[1]


def test_cli_reports_a_malformed_reference_file_located_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = tmp_path / "ref"
    ref.mkdir()
    _write(ref, "postcodes.csv", "postcode,locality\n2000,SYDNEY\nABCD,X\n")
    sample = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
    assert main(["validate", str(sample), "--period", "2026", "--reference", str(ref)]) == 2
    err = capsys.readouterr().err
    assert "postcodes.csv:3: column 'postcode'" in err and "Traceback" not in err
