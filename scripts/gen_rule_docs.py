"""Regenerate docs/rules.md from the rule registry (the same text as ``avetmiss-finalise rules --format markdown``).

python3 scripts/gen_rule_docs.py          # rewrite docs/rules.md
python3 scripts/gen_rule_docs.py --check  # exit 1 if docs/rules.md is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from avetmiss_finalise.cli.rules_cmd import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--check", action="store_true", help="only check that docs/rules.md is up to date")
    args = p.parse_args()
    text = markdown()
    if args.check:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is stale: run scripts/gen_rule_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
