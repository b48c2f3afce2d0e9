"""The pre-commit hook: staged NAT files → their directories validated as collections, with the hook's args.

.pre-commit-hooks.yaml is checked as text (no YAML parser among the test dependencies): its entry is the console
script the package declares, and its file pattern matches NAT file names in any case and nothing else.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from avetmiss_finalise.cli.precommit import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "sample"
BAD = ROOT / "fixtures" / "bad"


def test_staged_files_of_a_clean_and_a_bad_collection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "2026" / "good", tmp_path / "2026" / "bad"
    shutil.copytree(SAMPLE, good)
    shutil.copytree(BAD / "V-120-01", bad)
    files = [str(good / "NAT00120.txt"), str(good / "NAT00080.txt"), str(bad / "NAT00120.txt")]
    assert main(["--period", "2026", "--reporting-date", "2026-11-29", *files]) == 1
    out = capsys.readouterr().out
    assert out.count("== avetmiss-finalise validate") == 2  # each directory once
    assert "V-120-01" in out and f"Validation of {good}" in out


def test_clean_files_pass_and_options_reach_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(SAMPLE, tmp_path / "s")
    assert main(["--period", "2026", "--format", "json", str(tmp_path / "s" / "NAT00010.txt")]) == 0
    assert '"ok": true' in capsys.readouterr().out
    assert main(["--period", "2026"]) == 0  # nothing staged: nothing to do
    assert main(["--profile", "nope", str(tmp_path / "s" / "NAT00010.txt")]) == 2


def test_the_hook_definition_names_the_declared_script_and_matches_nat_names() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^  entry: (\S+)$", text, re.M)
    files = re.search(r"^  files: '(.+)'$", text, re.M)
    assert entry and files and "id: avetmiss-validate" in text and "language: python" in text
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[entry.group(1)] == "avetmiss_finalise.cli.precommit:main"
    pattern = re.compile(files.group(1))
    for name in ("NAT00120.txt", "sub/nat00010a.TXT", "2026/NAT00085"):
        assert pattern.search(name), name
    for name in ("NAT00120.csv", "notes.txt", "XNAT00120.txt", "NAT001200.txt"):
        assert not pattern.search(name), name
