"""File- and field-level rules: each rule ID fires where a collection is broken for it and is silent otherwise.

The property test is parametrised by rule ID (the ID is in every test name): for consistent collections drawn by
``tests.strategies.collections`` the rule reports nothing; after that rule's breaker it reports exactly the
broken location (file, line = row + 1, field).
"""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import (
    REGISTRY,
    ValidationOptions,
    rules_activity_fields,
    rules_client_details,
    rules_clients,
    rules_files,
    rules_organisation,
    rules_programs,
    rules_usi,
    validate,
)
from tests.strategies.collections import SampleCollection, breakers, consistent_collections, frame_of

#: The modules of the file- and field-level rules (one module, ``rules_fields``, until it was split by file).
_MODULES = (
    rules_files,
    rules_organisation,
    rules_programs,
    rules_clients,
    rules_usi,
    rules_client_details,
    rules_activity_fields,
)
FIELD_RULE_MODULES = frozenset(m.__name__ for m in _MODULES)
#: Rules judged on the raw text the reader keeps (``Collection.unparsed``), which frames alone cannot hold: their
#: property tests go through NAT bytes (tests/validation/test_sms_habits_rules.py).
RAW_TEXT_RULES = frozenset({"F-08"})
FIELD_RULES = sorted(
    r.id
    for r in REGISTRY.values()
    if r.implemented and r.check is not None and r.check.__module__ in FIELD_RULE_MODULES and r.id not in RAW_TEXT_RULES
)


def _findings(c: SampleCollection, rule_id: str, **kwargs: object) -> pd.DataFrame:
    report = validate(c.frames(), period=c.year, profile=c.profile, rules=[rule_id], **kwargs)  # type: ignore[arg-type]
    return report.findings


def _silence_f06(c: SampleCollection) -> SampleCollection:
    """F-06 reports publicly funded rows (info); a collection that satisfies it is fee-for-service only."""
    rows = [{**r, "funding_source_national": "20", "specific_funding_id": None} for r in c.rows["NAT00120"]]
    return c.with_rows("NAT00120", rows)


def test_every_field_rule_has_a_breaker() -> None:
    assert FIELD_RULES, "no field rules registered"
    assert set(FIELD_RULES) <= set(breakers())


@pytest.mark.parametrize("rule_id", FIELD_RULES)
@settings(max_examples=max(5, settings.default.max_examples // 3))
@given(data=st.data())
def test_field_rule_fires_only_where_broken(rule_id: str, data: st.DataObject) -> None:
    """Every F-0x / V-0x0-xx / V-120-Fx / V-130-xx rule: silent on consistent data, fires at the broken cell."""
    c = data.draw(consistent_collections(), label="collection")
    if rule_id == "F-06":
        c = _silence_f06(c)
    assert _findings(c, rule_id).empty
    broken = breakers()[rule_id](c, data)
    found = _findings(broken.collection, rule_id)
    expected_line = None if broken.row < 0 else broken.row + 1
    lines = [None if pd.isna(x) else int(x) for x in found["line"]]
    fields = [None if pd.isna(f) else f for f in found["field"]]
    # Exactly the broken cell: no extra finding elsewhere in the same file (or in another).
    assert sorted(set(zip(found["file"], lines, fields, strict=True)), key=str) == [
        (broken.file, expected_line, broken.field)
    ]
    # The registry says where the rule looks (docs, the files it needs to run): the finding is inside that.
    rule = REGISTRY[rule_id]
    assert not rule.files or broken.file in rule.files, rule.files  # no files: a rule of every file (F-03 …)
    assert not rule.fields or broken.field in rule.fields, rule.fields


def _collection(**rows: list[dict[str, object]]) -> dict[str, pd.DataFrame]:
    return {f: frame_of(f, r) for f, r in rows.items()}


def test_f02_reports_unparsed_dates_with_their_raw_text() -> None:
    frames = _collection(NAT00120=[{"client_id": "C1"}])
    unparsed = {"NAT00120": pd.DataFrame({"row": [0], "field": ["activity_start_date"], "text": ["31022026"]})}

    class Coll:
        def __init__(self) -> None:
            self.frames, self.unparsed, self.issues = frames, unparsed, ()

    found = validate(Coll(), rules=["F-02"]).findings
    assert found[["line", "field", "value"]].astype(object).values.tolist() == [[1, "activity_start_date", "31022026"]]
    assert (found["col_start"].iloc[0], found["col_end"].iloc[0]) == (53, 60)


def test_v120_f1_does_not_repeat_an_unparsed_cell_as_blank() -> None:
    frames = _collection(NAT00120=[{"client_id": "C1"}])
    unparsed = {"NAT00120": pd.DataFrame({"row": [0], "field": ["activity_start_date"], "text": ["3102202X"]})}

    class Coll:
        def __init__(self) -> None:
            self.frames, self.unparsed, self.issues = frames, unparsed, ()

    fields = set(validate(Coll(), rules=["V-120-F1"]).findings["field"])
    assert "activity_start_date" not in fields
    assert "activity_end_date" in fields


def test_v080_05_postcode_0000_is_a_configurable_warning() -> None:
    frames = _collection(NAT00080=[{"client_id": "C1", "postcode": "0000"}])
    found = validate(frames, rules=["V-080-05"]).findings
    assert found["severity"].tolist() == ["warning"]
    silent = ValidationOptions(postcode_0000_severity=None)
    assert validate(frames, rules=["V-080-05"], options=silent).findings.empty
    strict = ValidationOptions(postcode_0000_severity=Severity.ERROR)
    assert validate(frames, rules=["V-080-05"], options=strict).findings["severity"].tolist() == ["error"]


def test_v120_f3_funding_30_warns_by_default_and_can_be_refused() -> None:
    frames = _collection(NAT00120=[{"funding_source_national": "30"}])
    assert validate(frames, rules=["V-120-F3"]).findings["severity"].tolist() == ["warning"]
    refused = validate(frames, rules=["V-120-F3"], options=ValidationOptions(funding_30_allowed=False))
    assert refused.findings["severity"].tolist() == ["error"]


def test_v120_f11_outcomes_53_54_warn_and_65_is_qld_only() -> None:
    frames = _collection(NAT00120=[{"outcome_national": "53"}, {"outcome_national": "65"}])
    found = validate(frames, rules=["V-120-F11"]).findings
    assert found[["line", "severity"]].astype(object).values.tolist() == [[2, "error"], [1, "warning"]] or sorted(
        found[["line", "severity"]].astype(object).values.tolist()
    ) == [[1, "warning"], [2, "error"]]
    qld = validate(
        {"NAT00120": frame_of("NAT00120", [{"outcome_national": "65"}], "qld")}, profile="qld", rules=["V-120-F11"]
    )
    assert qld.findings.empty


def test_f07_internal_code_00_is_reported_once() -> None:
    frames = _collection(NAT00120=[{"outcome_national": "00"}])
    found = validate(frames, rules=["F-07", "V-120-F11"]).findings
    assert found["rule_id"].tolist() == ["F-07"]
    assert found["field"].tolist() == ["outcome_national"]


def test_f04_missing_file_has_no_line_and_is_an_error_for_nsw() -> None:
    national = validate(_collection(NAT00120=[]), rules=["F-04"]).findings
    assert set(national["severity"]) == {"warning"}
    assert national["line"].isna().all()
    nsw = validate({"NAT00120": frame_of("NAT00120", [], "nsw")}, profile="nsw", rules=["F-04"]).findings
    assert set(nsw["severity"]) == {"error"}
    assert "NAT00085" in set(nsw["file"])


def test_v080_08_age_is_measured_at_the_reporting_date() -> None:
    frames = _collection(NAT00080=[{"date_of_birth": "30061930"}])
    opts = ValidationOptions(reporting_date=datetime.date(2024, 6, 29))
    assert validate(frames, rules=["V-080-08"], options=opts).findings.empty  # 93 the day before the birthday
    opts = ValidationOptions(reporting_date=datetime.date(2025, 6, 30))
    assert validate(frames, rules=["V-080-08"], options=opts).findings["line"].tolist() == [1]


SAMPLE = "fixtures/sample"

#: Known-bad collections derived from the shipped sample: one cell changed, exactly one finding expected there.
KNOWN_BAD: list[tuple[str, str, int, str, object]] = [
    ("F-02", "NAT00080", 0, "date_of_birth", "31022000"),
    ("F-03", "NAT00060", 0, "subject_name", "X" * 101),
    ("F-07", "NAT00120", 0, "study_reason_id", "00"),
    ("V-010-01", "NAT00010", 0, "training_organisation_id", None),
    ("V-020-02", "NAT00020", 0, "delivery_location_name", None),
    ("V-020-04", "NAT00020", 1, "postcode", "@@@@"),
    ("V-020-05", "NAT00020", 1, "state_id", "@@"),
    ("V-030-02", "NAT00030", 0, "program_id", "bsb40120"),
    ("V-030-03", "NAT00030A", 0, "vet_flag", "X"),
    ("V-030-04", "NAT00030", 1, "nominal_hours", None),
    ("V-030-05", "NAT00030", 2, "program_name", None),
    ("V-060-01", "NAT00060", 3, "subject_name", None),
    ("V-060-03", "NAT00060", 2, "vet_flag", "X"),
    ("V-080-01", "NAT00080", 4, "client_id", "C 0000005"),
    ("V-080-02", "NAT00080", 2, "usi", "testusi003"),
    ("V-080-03", "NAT00080", 1, "usi", None),
    ("V-080-04", "NAT00080", 0, "name_for_encryption", "NOCOMMA"),
    ("V-080-05", "NAT00080", 3, "postcode", "20A0"),
    ("V-080-07", "NAT00080", 5, "gender", "Q"),
    ("V-080-08", "NAT00080", 6, "date_of_birth", "01012024"),
    ("V-080-09", "NAT00080", 7, "labour_force_status_id", "99"),
    ("V-085-01", "NAT00085", 0, "client_family_name", "OTHERNAME"),
    ("V-090-02", "NAT00090", 0, "disability_type_id", "55"),
    ("V-100-01", "NAT00100", 0, "prior_educational_achievement_id", "999"),
    ("V-120-F1", "NAT00120", 3, "delivery_mode_id", None),
    ("V-120-F3", "NAT00120", 4, "funding_source_national", "99"),
    ("V-120-F7", "NAT00120", 5, "predominant_delivery_mode", "Z"),
    ("V-120-F8", "NAT00120", 6, "study_reason_id", "99"),
    ("V-120-F9", "NAT00120", 7, "vet_in_schools_flag", "X"),
    ("V-120-F10", "NAT00120", 8, "commencing_program_id", "5"),
    ("V-120-F11", "NAT00120", 9, "outcome_national", "90"),
    ("V-130-01", "NAT00130", 0, "issued_flag", "Q"),
]


@pytest.fixture(scope="module")
def sample_frames() -> dict[str, pd.DataFrame]:
    from avetmiss_finalise.nat import read_collection

    return dict(read_collection(SAMPLE).frames)


@pytest.mark.parametrize(("rule_id", "file_id", "row", "field", "value"), KNOWN_BAD, ids=[k[0] for k in KNOWN_BAD])
def test_known_bad_sample_gives_one_finding_at_the_cell(
    sample_frames: dict[str, pd.DataFrame], rule_id: str, file_id: str, row: int, field: str, value: object
) -> None:
    """Each field rule on the sample with one cell broken: exactly one finding of that rule, at that cell."""
    frames = dict(sample_frames)
    frame = frames[file_id].copy()
    frame.loc[row, field] = pd.NA if value is None else value
    frames[file_id] = frame
    assert validate(sample_frames, period=2026, rules=[rule_id]).findings.empty
    found = validate(frames, period=2026, rules=[rule_id]).findings
    assert found[["rule_id", "file", "line", "field"]].astype(object).values.tolist() == [
        [rule_id, file_id, row + 1, field]
    ]


def test_v080_02_usi_with_i_or_o_is_a_warning_or_with_the_strict_alphabet_an_error() -> None:
    """I and O are outside the USI Registry alphabet (D22): a warning by default, an error when strict."""
    frames = _collection(NAT00080=[{"usi": "ZZTEST0001"}, {"usi": "ZZTESTO001"}, {"usi": "ZZTESTI001"}])
    found = validate(frames, rules=["V-080-02"]).findings
    assert found[["line", "field", "severity"]].astype(object).values.tolist() == [
        [2, "usi", "warning"],
        [3, "usi", "warning"],
    ]
    strict = validate(frames, rules=["V-080-02"], options=ValidationOptions(usi_strict_alphabet=True)).findings
    assert strict[["line", "severity"]].astype(object).values.tolist() == [[2, "error"], [3, "error"]]
    lower = validate(_collection(NAT00080=[{"usi": "zztest0001"}]), rules=["V-080-02"]).findings
    assert lower["severity"].tolist() == ["error"]


def test_blank_usi_or_flag_in_nat00080_is_reported_not_a_crash() -> None:
    """V-080-02 (INTOFF funding) and V-090-01 / V-100-02 read NAT00080 key sets, where a blank cell is NA."""
    frames = _collection(
        NAT00080=[
            {"client_id": "C1", "usi": None, "disability_flag": None, "prior_educational_achievement_flag": None}
        ],
        NAT00090=[{"client_id": "C1", "disability_type_id": "11"}],
        NAT00100=[{"client_id": "C1", "prior_educational_achievement_id": "524"}],
        NAT00120=[{"client_id": "C1", "funding_source_national": "20"}],
    )
    found = validate(frames, rules=["V-080-02", "V-080-03", "V-090-01", "V-100-02"]).findings
    assert sorted(found[["rule_id", "file"]].astype(object).values.tolist()) == [
        ["V-080-03", "NAT00080"],
        ["V-090-01", "NAT00090"],
        ["V-100-02", "NAT00100"],
    ]


def test_v080_02_intoff_client_needs_ospc_state_99_and_funding_32() -> None:
    client = {"client_id": "C1", "usi": "INTOFF", "postcode": "OSPC", "state_id": "99"}
    good = _collection(NAT00080=[client], NAT00120=[{"client_id": "C1", "funding_source_national": "32"}])
    assert validate(good, rules=["V-080-02"]).findings.empty
    bad = _collection(
        NAT00080=[{**client, "state_id": "01"}],
        NAT00120=[
            {"client_id": "C1", "funding_source_national": "32"},
            {"client_id": "C1", "funding_source_national": "20"},
        ],
    )
    found = validate(bad, rules=["V-080-02"]).findings
    assert sorted(found[["file", "line", "field"]].astype(object).values.tolist()) == [
        ["NAT00080", 1, "state_id"],
        ["NAT00120", 2, "funding_source_national"],
    ]
