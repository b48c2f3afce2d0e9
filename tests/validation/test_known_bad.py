"""Known-bad collections (fixtures/bad/<RULE-ID>/): each gives exactly one finding of its rule, where expected.

They are the good sample with one change each, written by fixtures/make_bad.py; ``<RULE-ID>.expected.json``
beside each directory names the rule, how to validate (profile, period, interim, reporting date) and the location.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from avetmiss_finalise.validation import (
    REGISTRY,
    ValidationOptions,
    validate,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BAD = FIXTURES / "bad"


def _make_bad() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_bad", FIXTURES / "make_bad.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_bad", module)
    spec.loader.exec_module(module)
    return module


MAKE_BAD = _make_bad()
RULE_IDS = [case.rule_id for case in MAKE_BAD.CASES]


def _expected(rule_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BAD / f"{rule_id}.expected.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_known_bad_collection_gives_one_finding_of_its_rule_at_its_location(rule_id: str) -> None:
    """fixtures/bad/<RULE-ID>/ read from disk and validated: one finding of RULE-ID at (file, line, field)."""
    e = _expected(rule_id)
    assert e["rule_id"] == rule_id
    when = e["reporting_date"]
    report = validate(
        BAD / rule_id,
        period=e["period"],
        profile=e["profile"],
        interim=e["interim"],
        options=ValidationOptions(reporting_date=datetime.date.fromisoformat(when) if when else None),
    )
    found = report.findings
    mine = found[found["rule_id"] == rule_id]
    assert [(f.file, int(f.line), f.field) for f in mine.itertuples()] == [(e["file"], e["line"], e["field"])]
    # Inside what the registry declares the rule reads (its files decide whether it can run; docs list both).
    rule = REGISTRY[rule_id]
    assert not rule.files or e["file"] in rule.files, rule.files  # no files: a rule of every file
    assert not rule.fields or e["field"] in rule.fields, rule.fields


def test_every_record_crossfile_period_and_nsw_rule_has_a_known_bad_collection() -> None:
    """Each implemented rule of these families is covered by exactly one directory. The families are found by
    registry ID: every implemented rule that is neither a field rule (its breaker is in
    tests/strategies/collections.py) nor a reference rule (tests/validation/test_rules_reference.py)."""
    from tests.strategies.collections import breakers
    from tests.validation import test_rules_fields, test_rules_reference

    others = set(breakers()) | set(test_rules_fields.RAW_TEXT_RULES) | set(test_rules_reference.CASES)
    implemented = {r.id for r in REGISTRY.values() if r.implemented and r.check is not None} - others
    assert sorted(RULE_IDS) == sorted(implemented)


def test_make_bad_writes_exactly_the_committed_files(tmp_path: Path) -> None:
    """The .txt files are generated: rerunning fixtures/make_bad.py reproduces them byte for byte."""
    MAKE_BAD.build(tmp_path)
    for rule_id in RULE_IDS:
        fresh = {p.name: p.read_bytes() for p in (tmp_path / rule_id).iterdir()}
        committed = {p.name: p.read_bytes() for p in (BAD / rule_id).iterdir()}
        assert fresh == committed, rule_id
        expected = f"{rule_id}.expected.json"
        assert (tmp_path / expected).read_bytes() == (BAD / expected).read_bytes()


def test_every_record_crossfile_period_and_nsw_rule_has_a_property_test() -> None:
    """Each implemented rule has a breaker in the parametrised property test of its module."""
    from tests.validation import (
        test_rules_crossfile,
        test_rules_nsw,
        test_rules_period,
        test_rules_records,
        test_rules_usage,
    )

    cases = {
        *test_rules_records.CASES,
        *test_rules_period.CASES,
        *test_rules_crossfile.CASES,
        *test_rules_nsw.CASES,
        *test_rules_usage.CASES,
        "QLD-DUP-ACHIEVED",  # test_rules_usage's own property tests
    }
    assert cases == set(RULE_IDS)
