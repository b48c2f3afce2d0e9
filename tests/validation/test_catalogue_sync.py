"""The registry against the catalogue itself (shared/spec/validation_rules.md): every catalogued rule ID is
registered, and AVS numbers are carried exactly where the catalogue gives one (none invented)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from avetmiss_finalise.validation import REGISTRY

CATALOGUE = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "validation_rules.md"

#: The catalogue's X-08 AVS number (400) is quoted for NAT00100 records without the flag; that direction is
#: registered as V-100-02 (which carries it), X-08 being the reverse (flag Y without records).
_MOVED = {"X-08": None}


def _rows() -> dict[str, str]:
    """Catalogue rule ID → its AVS # cell, from the tables of §1-§4."""
    if not CATALOGUE.exists():
        pytest.skip(f"catalogue not found at {CATALOGUE}")
    out = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and re.fullmatch(r"(F-\d\d|V-\d{3}-[\dF]+|X-\d\d)", cells[0]):
            out[cells[0]] = cells[2]
    return out


def test_every_catalogued_rule_is_registered() -> None:
    rows = _rows()
    assert len(rows) > 60
    assert sorted(set(rows) - set(REGISTRY)) == []


def test_avs_numbers_follow_the_catalogue() -> None:
    for rule_id, cell in _rows().items():
        got = REGISTRY[rule_id].avs_number
        if rule_id in _MOVED:
            assert got == _MOVED[rule_id], rule_id
        elif cell in ("—", "-", ""):
            assert got is None, f"{rule_id}: AVS number {got!r} invented (catalogue: —)"
        else:
            numbers = re.findall(r"\d+", cell)
            assert got is not None and all(n in got for n in numbers), f"{rule_id}: {got!r} vs catalogue {cell!r}"
