"""``nat/records.py`` is derived code: it must equal what ``scripts/gen_records.py`` renders from the layouts."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_records_module_is_up_to_date_with_the_layouts() -> None:
    spec = importlib.util.spec_from_file_location("gen_records", ROOT / "scripts" / "gen_records.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.render()
    current = (ROOT / "avetmiss_finalise" / "nat" / "records.py").read_text(encoding="utf-8")
    assert ast.dump(ast.parse(rendered)) == ast.dump(ast.parse(current)), (
        "avetmiss_finalise/nat/records.py is stale: run "
        "python scripts/gen_records.py > avetmiss_finalise/nat/records.py"
    )
