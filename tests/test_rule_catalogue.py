"""The one rule registry: every rule the library applies is listed, cited, and named by a property test."""

from __future__ import annotations

import pathlib

from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat import read_file
from avetmiss_finalise.nat.layouts import base_layout
from avetmiss_finalise.validation import REGISTRY, validate

TESTS = pathlib.Path(__file__).parent


def _property_test_sources() -> str:
    texts = (p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py"))
    return "\n".join(t for t in texts if "hypothesis" in t)


def test_every_applied_rule_is_named_by_a_hypothesis_test() -> None:
    """Project rule: each rule ID in the registry has a property test that names it (directly, or as the
    parametrised rule ID of a shared breaker in tests/strategies)."""
    sources = _property_test_sources()
    unnamed = [r.id for r in REGISTRY.values() if r.implemented and r.id not in sources]
    assert unnamed == []


def test_every_rule_has_severity_title_source_and_is_checked_enforced_or_explained() -> None:
    for r in REGISTRY.values():
        assert isinstance(r.severity, Severity)
        assert r.title.strip() and r.source.strip(), r.id
        assert (r.check is not None) + (r.enforced_by is not None) + (r.not_implemented is not None) == 1, r.id


def test_registry_lists_reader_finalisation_and_transition_rules() -> None:
    for rid in ("NAT-SHORT", "F-COMPLETE", "F-WITHDRAW-COMMENCED", "F-TO-TNC", "F-TRANSITION-MAX-PROGRAMS"):
        assert REGISTRY[rid].enforced_by


@given(cut=st.integers(min_value=1, max_value=base_layout("NAT00120").national_length - 1))
def test_F_01_record_shorter_than_national_length_is_a_warning_and_its_lost_data_an_error(
    tmp_path_factory: object, cut: int
) -> None:
    """F-01 (enforced by the reader as NAT-SHORT): a record cut inside the national record is read as space-filled
    with a warning; what the cut removed (here mandatory fields) is reported as an error by the rules that need it."""
    lay = base_layout("NAT00120")
    path = pathlib.Path(str(tmp_path_factory.mktemp("f01"))) / "NAT00120.txt"  # type: ignore[attr-defined]
    path.write_bytes(b"X" * cut + b"\r\n")
    report = validate(path, period=2026)
    short = [i for i in report.issues if i.rule_id == "NAT-SHORT"]
    assert len(short) == 1 and short[0].line == 1 and short[0].severity is Severity.WARNING
    assert not report.ok
    assert read_file(path).frames["NAT00120"].shape[0] == 1 and lay.national_length > cut


@given(extra=st.integers(min_value=0, max_value=40))
def test_F_01_record_at_least_national_length_is_not_a_width_error(tmp_path_factory: object, extra: int) -> None:
    """F-01: any record at least the national length is accepted (padded or extras kept, info only)."""
    lay = base_layout("NAT00120")
    path = pathlib.Path(str(tmp_path_factory.mktemp("f01"))) / "NAT00120.txt"  # type: ignore[attr-defined]
    path.write_bytes(b" " * (lay.national_length + extra) + b"\r\n")
    report = validate(path, period=2026)
    assert not [i for i in report.issues if i.rule_id == "NAT-SHORT"]


def test_every_rule_has_a_specific_fix_hint() -> None:
    """Issue #15: every registry rule says how the holder of the data fixes a finding — in words of its own (not
    the title repeated, not shared boilerplate), long enough to name an action, short enough for a report line."""
    empty = [r.id for r in REGISTRY.values() if not r.fix.strip()]
    assert empty == []
    for r in REGISTRY.values():
        assert 40 <= len(r.fix) <= 260, (r.id, len(r.fix))
        assert r.fix.strip() != r.title.strip() and r.fix.strip() != r.message.strip(), r.id
        assert r.fix.rstrip().endswith("."), r.id
    by_text: dict[str, list[str]] = {}
    for r in REGISTRY.values():
        by_text.setdefault(r.fix, []).append(r.id)
    assert [ids for ids in by_text.values() if len(ids) > 1] == []


def test_fix_hints_reach_the_text_junit_json_and_rules_outputs() -> None:
    import json

    from avetmiss_finalise.cli.rules_cmd import rule_dict
    from avetmiss_finalise.validation.render import render

    report = validate(TESTS.parent / "fixtures" / "bad" / "V-120-02", period=2026)
    fix = REGISTRY["V-120-02"].fix
    assert f"How to fix: {fix}" in render(report, "text")
    assert fix in render(report, "junit")
    entry = next(r for r in json.loads(report.to_json())["rules"] if r["rule_id"] == "V-120-02")
    assert entry["fix"] == fix and entry["title"] == REGISTRY["V-120-02"].title
    assert rule_dict(REGISTRY["V-120-02"])["fix"] == fix
