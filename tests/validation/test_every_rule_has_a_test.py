"""Every implemented rule of the registry has a property test — found by its registry ID, not by the module its
check happens to sit in (a rule moved to, or written in, another module would otherwise silently have none).

The tables below are the parametrised property tests' own case tables (each test breaks a consistent collection
for the rule and asserts it fires exactly there and is silent otherwise), so a rule is "covered" only if one of
those tests really runs it.
"""

from __future__ import annotations

from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import breakers
from tests.validation import test_rules_fields, test_rules_reference
from tests.validation.test_chunking import NAMED_BREAKERS


def _tables() -> dict[str, set[str]]:
    return {
        "field rules (tests/validation/test_rules_fields.py)": set(breakers()),
        "raw-text rules (tests/validation/test_sms_habits_rules.py)": set(test_rules_fields.RAW_TEXT_RULES),
        "record, cross-file, period, NSW and usage rules (their CASES tables)": {r for r, _ in NAMED_BREAKERS},
        "reference rules (tests/validation/test_rules_reference.py)": set(test_rules_reference.CASES),
    }


def test_every_implemented_rule_has_a_property_test() -> None:
    implemented = {r.id for r in REGISTRY.values() if r.implemented and r.check is not None}
    covered = set().union(*_tables().values())
    assert sorted(implemented - covered) == []


def test_the_case_tables_name_only_registered_rules() -> None:
    """A breaker for a rule ID that is not registered (a typo, a renamed rule) tests nothing."""
    for name, ids in _tables().items():
        assert sorted(ids - set(REGISTRY)) == [], name


def test_field_rules_are_every_implemented_rule_outside_the_other_tables() -> None:
    """test_rules_fields' FIELD_RULES (chosen by module) is exactly the registry's field rules by ID."""
    tables = _tables()
    others = set().union(*(ids for name, ids in tables.items() if not name.startswith("field")))
    implemented = {r.id for r in REGISTRY.values() if r.implemented and r.check is not None}
    assert set(test_rules_fields.FIELD_RULES) == implemented - others
