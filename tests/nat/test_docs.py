"""``docs/nat-format.md`` is derived from the layouts: it must equal what ``scripts/gen_layout_docs.py`` renders."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_nat_format_doc_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_layout_docs", ROOT / "scripts" / "gen_layout_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "nat-format.md").read_text(encoding="utf-8")
    assert module.render() == current, (
        "docs/nat-format.md is stale: run python scripts/gen_layout_docs.py > docs/nat-format.md"
    )
