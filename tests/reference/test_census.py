"""The census of public AVS/NCVER rules (spec public_avs_rules.md) against docs/validation.md and the registry.

Every census row appears exactly once in the docs' row-by-row table; every rule that table names is registered;
a row we implement names an implemented rule and a row we do not names a rule registered as not implemented
(with why); the AVS numbers the census quotes are carried by the rule that implements the row, and none is
invented. The census itself is read from the spec beside the checkout (skipped where it is absent), the docs
table always.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from avetmiss_finalise.validation import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "validation.md"
CENSUS = ROOT.parent / "shared" / "spec" / "public_avs_rules.md"
STATUSES = {"as stated", "as stated (reference)", "as stated (option)", "differently", "not implemented"}


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _doc_rows() -> dict[str, dict[str, object]]:
    """Census id → {avs, rules, status, notes} from the docs' table (ids repeated are a failure, not merged)."""
    rows: dict[str, dict[str, object]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = _cells(line)
        if len(cells) == 5 and re.fullmatch(r"C\d{3}", cells[0]):
            assert cells[0] not in rows, f"{cells[0]} listed twice in {DOC.name}"
            rows[cells[0]] = {
                "avs": cells[1],
                "rules": [r.strip() for r in cells[2].split(",")],
                "status": cells[3],
                "notes": cells[4],
            }
    return rows


def _census() -> dict[str, str]:
    """Census id → its AVS # cell."""
    if not CENSUS.exists():
        pytest.skip(f"census not found at {CENSUS}")
    out = {}
    for line in CENSUS.read_text(encoding="utf-8").splitlines():
        cells = _cells(line)
        if len(cells) >= 8 and re.fullmatch(r"C\d{3}", cells[0]):
            out[cells[0]] = cells[2]
    return out


def test_every_census_row_is_accounted_for_once() -> None:
    census, doc = _census(), _doc_rows()
    assert len(census) >= 43
    assert sorted(set(census) - set(doc)) == [], "census rows missing from docs/validation.md"
    assert sorted(set(doc) - set(census)) == [], "rows in docs/validation.md that the census does not have"
    for cid, avs in census.items():
        assert doc[cid]["avs"] == avs, f"{cid}: AVS # {doc[cid]['avs']!r} in the docs, {avs!r} in the census"


def test_the_docs_table_names_registered_rules_with_a_status_that_matches_the_registry() -> None:
    doc = _doc_rows()
    assert doc, f"no census table in {DOC.name}"
    for cid, row in doc.items():
        status, rules = row["status"], row["rules"]
        assert status in STATUSES, f"{cid}: status {status!r}"
        assert isinstance(rules, list)
        unknown = [r for r in rules if r not in REGISTRY]
        assert unknown == [], f"{cid}: {unknown} not registered"
        primary = REGISTRY[rules[0]]
        if status == "not implemented":
            assert primary.not_implemented, f"{cid}: {primary.id} is implemented"
            assert row["notes"], f"{cid}: not implemented without why"
        else:
            assert primary.implemented, f"{cid}: {primary.id} is not implemented"
        if status == "differently":
            assert row["notes"], f"{cid}: implemented differently without why"
        if status == "as stated (reference)":
            assert {"postcodes", "organisations", "programs", "units"} & set(primary.requires) or (
                primary.id == "V-120-F12"
            ), f"{cid}: {primary.id} needs no reference file"
        if status == "as stated (option)":
            assert primary.requires, f"{cid}: {primary.id} needs no option"


def test_avs_numbers_of_the_census_are_carried_by_the_rule_and_none_invented() -> None:
    for cid, row in _doc_rows().items():
        avs = str(row["avs"])
        primary = REGISTRY[row["rules"][0]]  # type: ignore[index]
        if avs.isdigit():
            assert primary.avs_number is not None and avs in primary.avs_number, f"{cid}: {primary.id}"
        elif avs == "—" and row["status"] != "not implemented" and primary.id in _CENSUS_ONLY:
            assert primary.avs_number is None, f"{cid}: {primary.id} carries {primary.avs_number!r}"


#: Rules registered from the census alone (no other catalogue): their AVS number can only come from it.
_CENSUS_ONLY = {
    "V-080-10",
    "V-020-03",
    "V-010-04",
    "X-13",
    "X-14",
    "X-15",
    "V-085-03",
    "V-120-F12",
    "QLD-DUP-ACHIEVED",
}


def test_the_counts_in_the_docs_are_the_table_s() -> None:
    doc = _doc_rows()
    stated = sum(1 for r in doc.values() if str(r["status"]).startswith("as stated"))
    with_ref = sum(1 for r in doc.values() if str(r["status"]).startswith("as stated ("))
    differently = sum(1 for r in doc.values() if r["status"] == "differently")
    missing = sum(1 for r in doc.values() if r["status"] == "not implemented")
    text = DOC.read_text(encoding="utf-8")
    assert f"{stated} as stated ({with_ref} of them with reference data or an option)" in text
    assert f"{differently} differently" in text and f"{missing} not implemented." in text
