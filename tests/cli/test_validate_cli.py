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


@pytest.mark.parametrize(
    "extra",
    [
        ("--disable", "X-99"),  # a typo must not silently leave the rule running
        ("--severity", "X-O3=warning"),  # nor silently leave its severity unchanged
        ("--rule", "F-AFTER"),  # a finalisation rule: validate never checks it
        ("--rule", "F-05"),  # not implemented: saying "0 findings" would be a lie
        ("-o", "/nonexistent-dir/report.txt"),  # unwritable output: no traceback
    ],
)
def test_options_that_would_do_nothing_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, "validate", str(SAMPLE), "--period", "2026", *extra)
    assert code == 2
    assert "error:" in err and "Traceback" not in err
    assert out == ""


def test_reader_rules_obey_disable_severity_and_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """NAT-* findings (the reader's checks) answer to --disable, --severity and --rule like every rule."""
    dest = tmp_path / "short"
    shutil.copytree(SAMPLE, dest)
    act = dest / "NAT00120.txt"
    lines = act.read_bytes().split(b"\r\n")
    lines[0] = lines[0][:60]  # cut inside the data: NAT-SHORT (error)
    act.write_bytes(b"\r\n".join(lines))
    base = ("validate", str(dest), "--period", "2026", "--format", "json")
    code, out, _ = _run(capsys, *base)
    assert code == 1 and "NAT-SHORT" in {i["rule_id"] for i in json.loads(out)["issues"]}
    _, out, _ = _run(capsys, *base, "--disable", "NAT-SHORT")
    assert "NAT-SHORT" not in {i["rule_id"] for i in json.loads(out)["issues"]}
    _, out, _ = _run(capsys, *base, "--severity", "NAT-SHORT=info")
    assert {i["severity"] for i in json.loads(out)["issues"] if i["rule_id"] == "NAT-SHORT"} == {"info"}
    _, out, _ = _run(capsys, *base, "--rule", "X-03")
    assert {i["rule_id"] for i in json.loads(out)["issues"]} <= {"X-03"}


def test_junit_lists_only_the_rules_that_were_checked(capsys: pytest.CaptureFixture[str]) -> None:
    """Passing testcases are rules validate ran: no finalisation rules, none left out by --rule/--disable."""
    import xml.etree.ElementTree as ET

    def cases(*extra: str) -> set[str]:
        code, out, _ = _run(capsys, "validate", str(SAMPLE), "--period", "2026", "--format", "junit", *extra)
        assert code == 0
        return {c.get("name", "").split()[0] for c in ET.fromstring(out).iter("testcase")}

    every = cases()
    assert "X-03" in every and "NAT-SHORT" in every
    assert not {r for r in every if REGISTRY[r].family == "finalise"}
    assert not {r for r in every if not REGISTRY[r].implemented}
    assert "NSW-TO-01" not in every  # another profile's rule
    assert cases("--rule", "X-03") == {"X-03"}
    assert "X-03" not in cases("--disable", "X-03")


@pytest.mark.parametrize("content", [None, "notes.txt", "NAT00120.csv"])
def test_a_folder_or_zip_without_nat_files_exits_2_not_clean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    """Pointing CI at the wrong folder must not pass as a clean collection."""
    folder = tmp_path / "upload"
    folder.mkdir()
    if content:
        (folder / content).write_text("x\r\n", encoding="ascii")
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in folder.iterdir():
            z.write(f, f.name)
    for target in (folder, archive):
        code, out, err = _run(capsys, "validate", str(target), "--period", "2026")
        assert code == 2 and "no NAT files" in err and out == ""


def test_text_report_says_when_no_period_was_given(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --period the collection-period rules cannot run; the report must not look like a full check."""
    _, out, _ = _run(capsys, "validate", str(SAMPLE))
    assert "no collection period" in out.splitlines()[0]
    _, out, _ = _run(capsys, "validate", str(SAMPLE), "--period", "2026")
    assert "no collection period" not in out and "period 2026-01-01 to 2026-12-31" in out.splitlines()[0]


def _put(line: bytes, start: int, length: int, value: bytes) -> bytes:
    return line[: start - 1] + value.ljust(length)[:length] + line[start - 1 + length :]


@pytest.fixture
def personal_errors(tmp_path: Path) -> Path:
    """The sample with a ZQ-marked, broken value in personal fields of NAT00080 and NAT00085 (each fires a rule)."""
    from avetmiss_finalise.nat.layouts import base_layout

    dest = tmp_path / "personal"
    shutil.copytree(SAMPLE, dest)
    broken = {
        "NAT00080": {
            "name_for_encryption": b"ZQNAMENOCOMMA",  # V-080-04
            "date_of_birth": b"ZQ011990",  # F-02
            "postcode": b"ZQ12",  # V-080-05
            "usi": b"zqusi",  # V-080-02
            "address_street_name": b"ZQSTREET\x01",  # NAT-CHARSET
        },
        "NAT00085": {
            "client_family_name": b"ZQFAMILY",  # V-085-01
            "postcode": b"ZQ99",  # V-080-05
            "email_address": b"ZQMAIL\x01",  # NAT-CHARSET
        },
    }
    for file_id, cells in broken.items():
        path = dest / f"{file_id}.txt"
        lines = path.read_bytes().split(b"\r\n")
        lay = {f.name: f for f in base_layout(file_id).fields}
        for name, value in cells.items():
            assert lay[name].personal, name
            lines[0] = _put(lines[0], lay[name].start, lay[name].length, value)
        path.write_bytes(b"\r\n".join(lines))
    return dest


@pytest.mark.parametrize("profile", ["national", "nsw"])
@pytest.mark.parametrize("fmt", ["text", "json", "csv", "junit"])
def test_personal_values_in_error_never_reach_any_format_unless_asked(
    capsys: pytest.CaptureFixture[str], personal_errors: Path, fmt: str, profile: str
) -> None:
    base = ("validate", str(personal_errors), "--period", "2026", "--profile", profile, "--format", fmt)
    code, out, err = _run(capsys, *base, "--max-locations", "1000")
    assert code == 1
    assert "ZQ" not in out.upper() and "ZQ" not in err.upper()
    rules = {"V-080-04", "V-080-05", "V-080-02", "F-02", "NAT-CHARSET", "V-085-01"}
    assert all(r in out for r in rules), "the personal fields must have findings for this test to mean anything"
    _, shown, _ = _run(capsys, *base, "--max-locations", "1000", "--show-personal-data")
    assert "ZQNAMENOCOMMA" in shown and "ZQ011990" in shown and "ZQ12" in shown


def test_state_positions_sets_how_severe_a_national_finding_past_the_national_record_may_be(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue #8 item 2 from the command line: the habit fixture's state-only positions (a decimal fee, a dated
    parchment) are warnings under national by default (exit 0), errors with --state-positions error (exit 1),
    info with --state-positions info; a bad severity is a usage error."""
    import json

    from avetmiss_finalise.cli import main

    habit = Path(__file__).resolve().parents[2] / "fixtures" / "habits" / "state-positions"
    base = ["validate", str(habit), "--period", "2026", "--reporting-date", "2026-11-29", "--format", "json"]

    def severities(*extra: str) -> tuple[int, set[str]]:
        code = main([*base, *extra])
        doc = json.loads(capsys.readouterr().out)
        wanted = {"NAT-NUMBER", "F-02"}
        return code, {r["severity"] for r in doc["rules"] if r["rule_id"] in wanted}

    assert severities() == (0, {"warning"})
    assert severities("--state-positions", "error") == (1, {"error"})
    assert severities("--state-positions", "info") == (0, {"info"})
    with pytest.raises(SystemExit):
        from avetmiss_finalise.cli import build_parser

        build_parser().parse_args([*base, "--state-positions", "loud"])
    assert main([*base, "--profile", "nsw", "--state-positions", "info"]) == 1  # nsw judges them in full
    assert "--state-positions applies under --profile national only" in capsys.readouterr().err
