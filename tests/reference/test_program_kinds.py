"""V-030-01 with a program list that covers only some kinds of program (training.gov.au exports qualifications,
accredited courses and skill sets separately): a code of a kind no file covers is not an error but an info
finding saying it was not checked and which list to add; a code of a covered kind is still an error."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.reference import ProgramTable, load_reference
from avetmiss_finalise.reference.programs import PROGRAM_KINDS, kinds_in_name, shape_kind
from tests.strategies.collections import consistent_collections
from tests.strategies.reference import references_for
from tests.validation.harness import append
from tests.validation.test_rules_reference import fired_with

FEW = settings(max_examples=max(8, settings().max_examples // 3))

#: An unlisted code of each kind (NAT00030A recognition identifier) and one of no known shape.
CODES = {
    "qualification": ("ZZZ50199", "11"),
    "skill set": ("ZZZSS00199", "13"),
    "course": ("99999NAT", "12"),
    None: ("LOCALX1", "12"),
}


def test_kinds_are_read_from_file_names(tmp_path: Path) -> None:
    assert kinds_in_name("qualifications.csv") == {"qualification"}
    assert kinds_in_name("Accredited Courses.csv") == {"course"}
    assert kinds_in_name("training.gov.au skill-sets.csv") == {"skill set"}
    assert kinds_in_name("programs.csv") == PROGRAM_KINDS == kinds_in_name("programmes_2026.txt")
    assert (shape_kind("bsb40120"), shape_kind("BSBSS00001"), shape_kind("10101NAT"), shape_kind("X1")) == (
        "qualification",
        "skill set",
        "course",
        None,
    )
    (tmp_path / "qualifications.csv").write_text("Code,Title\nZZZ40120,SAMPLE\n", "utf-8")
    (tmp_path / "skill_sets.csv").write_text("Code,Title\nZZZSS00001,SAMPLE SET\n", "utf-8")
    ref = load_reference(tmp_path)
    assert ref.programs is not None and ref.programs.missing_kinds() == {"course"}
    (tmp_path / "programs.csv").write_text("Code,Title\n10101NAT,SAMPLE COURSE\n", "utf-8")
    again = load_reference(tmp_path)
    assert again.programs is not None and again.programs.missing_kinds() == frozenset()


@FEW
@given(
    data=st.data(),
    covered=st.sets(st.sampled_from(sorted(PROGRAM_KINDS))),
    kind=st.sampled_from(list(CODES)),
    in_30a=st.booleans(),
)
def test_V_030_01_reports_an_uncovered_kind_as_not_checked_and_a_covered_one_as_an_error(
    data: st.DataObject, covered: set[str], kind: str | None, in_30a: bool
) -> None:
    c = data.draw(consistent_collections(), label="c")
    ref = data.draw(references_for(c), label="reference")
    assert ref.programs is not None
    table = ProgramTable.from_entries(list(ref.programs.entries.values()), kinds=frozenset(covered) or PROGRAM_KINDS)
    ref = attrs.evolve(ref, programs=table)
    assert fired_with("V-030-01", c, ref) == []  # whatever the kinds, listed programs are silent
    code, recognition = CODES[kind]
    row = {"program_id": code, "program_name": "SAMPLE", "nominal_hours": 10}
    if in_30a:
        row |= {"program_recognition_id": recognition, "vet_flag": "Y"}
    file_id = "NAT00030A" if in_30a else "NAT00030"
    c2, new = append(c, file_id, row)
    found = fired_with("V-030-01", c2, ref)
    assert [(f.file, f.row, f.field) for f in found] == [(file_id, new, "program_id")]
    # NAT00030A: the recognition identifier says the kind; NAT00030: the code's shape (no shape: any kind).
    told = {"11": "qualification", "12": "course", "13": "skill set"}[recognition] if in_30a else kind
    checked = told is not None and told in table.kinds if table.missing_kinds() else True
    if checked:
        assert found[0].severity is Severity.ERROR
    else:
        assert found[0].severity is Severity.INFO
        assert found[0].details is not None and found[0].details.startswith("not checked")


@pytest.mark.parametrize("name", ["qualifications.csv", "skill_sets.csv"])
def test_a_partial_list_says_so_in_the_report(tmp_path: Path, name: str) -> None:
    from avetmiss_finalise.validation import ValidationOptions, validate

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
    (tmp_path / name).write_text("Code,Title\nZZZ40999,SAMPLE\n", "utf-8")
    report = validate(sample, period=2026, options=ValidationOptions(reference=tmp_path))
    v030 = [i for i in report.issues if i.rule_id == "V-030-01"]
    assert v030, "the sample's programs are not in this list"
    if name == "skill_sets.csv":  # the sample's qualifications are of a kind the list does not cover
        assert {i.severity for i in v030} == {Severity.INFO}
    else:
        assert {i.severity for i in v030} == {Severity.ERROR}
