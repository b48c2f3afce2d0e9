"""Docs a fresh clone can follow: no pointer to ../shared/spec (a clone does not have it), no .venv/bin/python (the
README's set-up never creates it), throughput figures in one place, and every source a rule cites explained in
docs/rules.md (whose sources table is generated from avetmiss_finalise/validation/sources.csv).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from avetmiss_finalise.validation import REGISTRY
from avetmiss_finalise.validation.sources import cited, sources

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "benchmarks" / "README.md",
               ROOT / "fixtures" / "README.md"])  # fmt: skip


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_doc_points_only_at_what_a_clone_has(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "shared/spec" not in text, f"{doc.name} points at ../shared/spec/, which a clone does not have"
    assert ".venv/bin/" not in text, f"{doc.name} uses .venv/bin/, which the README's set-up never creates"


def test_finalise_throughput_is_published_in_one_place() -> None:
    def measured(text: str) -> set[str]:  # "100,000 units/s" is the target, not a measurement
        return set(re.findall(r"~?[0-9][0-9,]{5,} units/s", text)) - {"100,000 units/s"}

    figures = [p.name for p in DOCS if measured(p.read_text(encoding="utf-8"))]
    assert figures == ["README.md"]


def test_every_cited_source_abbreviation_is_explained_in_docs_rules() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    table = text.split("## Sources", 1)[1]
    for r in REGISTRY.values():
        for abbreviation in cited(r.source):
            assert f"| {abbreviation} | {sources()[abbreviation].source}"[:60] in table, (r.id, abbreviation)
    for core in ("TEAMS", "ESK-ERR", "ISH", "BDT", "JR"):
        assert core in sources() and f"| {core} |" in table
