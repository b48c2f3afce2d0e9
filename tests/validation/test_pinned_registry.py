"""The rule registry refuses a second rule under a taken ID (mutation testing:
``scripts/mutate.py avetmiss_finalise/validation``, ``registry.rule``'s guard was never run)."""

from __future__ import annotations

import pytest

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation.registry import REGISTRY, rule


def test_a_rule_id_registered_twice_is_refused_and_the_first_rule_kept() -> None:
    taken = "V-120-04"
    first = REGISTRY[taken]
    register = rule(taken, severity=Severity.WARNING, title="t", message="m", source="s", family=first.family)
    with pytest.raises(ValueError, match=f"^rule {taken} registered twice$"):
        register(lambda ctx: [])
    assert REGISTRY[taken] is first
