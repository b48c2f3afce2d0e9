"""``avetmiss-finalise validate`` and ``rules``: exit codes, formats, options, personal data."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.validation import REGISTRY

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """The sample with outcome 99 (not a code) on line 2 of NAT00120 and a lower-case name on NAT00080 line 1."""
    dest = tmp_path / "bad"
    shutil.copytree(SAMPLE, dest)
    act = dest / "NAT00120.txt"
    lines = act.read_bytes().split(b"\r\n") if b"\r\n" in act.read_bytes() else act.read_bytes().split(b"\n")
    sep = b"\r\n" if b"\r\n" in act.read_bytes() else b"\n"
    line = bytearray(lines[1])
    line[71:73] = b"99"
    lines[1] = bytes(line)
    act.write_bytes(sep.join(lines))
    clients = dest / "NAT00080.txt"
    data = bytearray(clients.read_bytes())
    data[10:70] = b"NOCOMMA".ljust(60)
    clients.write_bytes(bytes(data))
    return dest


def test_sample_validates_clean_national_and_nsw(capsys: pytest.CaptureFixture[str]) -> None:
    for profile in ("national", "nsw"):
        code, out, _ = _run(capsys, "validate", str(SAMPLE), "--period", "2026", "--profile", profile)
        assert code == 0, out
        assert "Summary: 0 errors, 0 warnings" in out


def test_findings_exit_1_and_are_located(capsys: pytest.CaptureFixture[str], bad: Path) -> None:
    code, out, _ = _run(capsys, "validate", str(bad), "--period", "2026", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    where = {(i["rule_id"], i["file"], i["line"], i["field"]) for i in doc["issues"]}
    assert ("V-120-F11", "NAT00120", 2, "outcome_national") in where
    assert ("V-080-04", "NAT00080", 1, "name_for_encryption") in where
    assert "NOCOMMA" not in out


def test_show_personal_data(capsys: pytest.CaptureFixture[str], bad: Path) -> None:
    _, out, _ = _run(capsys, "validate", str(bad), "--period", "2026", "--format", "csv", "--show-personal-data")
    assert "NOCOMMA" in out


def test_fail_on_warning_and_severity_override(capsys: pytest.CaptureFixture[str], bad: Path) -> None:
    base = ("validate", str(bad), "--period", "2026", "--rule", "V-120-F11")
    assert _run(capsys, *base)[0] == 1
    assert _run(capsys, *base, "--severity", "V-120-F11=warning")[0] == 0
    assert _run(capsys, *base, "--severity", "V-120-F11=warning", "--fail-on", "warning")[0] == 1
    assert _run(capsys, *base, "--disable", "V-120-F11")[0] == 0


def test_zip_input_and_junit(capsys: pytest.CaptureFixture[str], bad: Path, tmp_path: Path) -> None:
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in bad.iterdir():
            z.write(f, f.name)
    out_file = tmp_path / "report.xml"
    code, _, _ = _run(capsys, "validate", str(archive), "--period", "2026", "--format", "junit", "-o", str(out_file))
    assert code == 1
    xml = out_file.read_text(encoding="utf-8")
    assert "<testsuite" in xml and "V-120-F11" in xml


@pytest.mark.parametrize(
    "argv",
    [
        ("validate", "does/not/exist"),
        ("validate", str(SAMPLE), "--period", "later"),
        ("validate", str(SAMPLE), "--profile", "mars"),
        ("validate", str(SAMPLE), "--fail-on", "fatal"),
        ("validate", str(SAMPLE), "--rule", "NOPE-1"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    assert _run(capsys, *argv)[0] == 2


def test_rules_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "--format", "json")
    assert code == 0
    listed = {r["id"] for r in json.loads(out)}
    assert listed == set(REGISTRY)
    assert all(r["implemented"] or r["not_implemented"] for r in json.loads(out))
    code, out, _ = _run(capsys, "rules", "--format", "markdown")
    assert code == 0 and "| V-120-F11 |" in out


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    from avetmiss_finalise.cli.rules_cmd import markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == markdown(), "run scripts/gen_rule_docs.py"
