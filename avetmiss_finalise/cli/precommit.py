"""``avetmiss-finalise-pre-commit [VALIDATE OPTIONS] FILE…``: the pre-commit hook (.pre-commit-hooks.yaml).

pre-commit passes the staged files that look like NAT files. Cross-file rules need the whole collection, so each
directory holding one of them is validated as a collection (with every NAT file in it, staged or not), once,
with the hook's ``args`` as ``validate`` options. The exit code is the worst of the runs: 0 clean, 1 findings at
or above ``--fail-on``, 2 bad input or usage. Reports go to stdout, one per directory.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _split(argv: Sequence[str]) -> tuple[list[str], list[Path]]:
    """(validate options, NAT files): a token naming an existing file called like a NAT file is a file."""
    from avetmiss_finalise.nat.read import file_id_of

    options: list[str] = []
    files: list[Path] = []
    for token in argv:
        path = Path(token)
        if not token.startswith("-") and file_id_of(path.name) and path.is_file():
            files.append(path)
        else:
            options.append(token)
    return options, files


def main(argv: Sequence[str] | None = None) -> int:
    from avetmiss_finalise.cli import main as cli_main

    options, files = _split(sys.argv[1:] if argv is None else argv)
    directories = list(dict.fromkeys(p.parent for p in files))
    worst = 0
    for directory in directories:
        print(f"== avetmiss-finalise validate {directory} {' '.join(options)}".rstrip(), flush=True)
        worst = max(worst, cli_main(["validate", str(directory), *options]))
        sys.stdout.flush()
    return worst


if __name__ == "__main__":  # pragma: no cover - python -m avetmiss_finalise.cli.precommit
    raise SystemExit(main())
