"""HTML pages without a browser: built from the JSON documents, escaped, self-contained, and the CLI paths
(``validate --format html`` / ``--output html:PATH``, ``summary``, ``finalise --format html``, missing extra)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.html import INSTALL_HINT, render_decisions_html, render_validation_html
from avetmiss_finalise.html._data import encode_issues
from avetmiss_finalise.validation import validate
from avetmiss_finalise.validation.render import render_html
from tests.html.collections import PAYLOAD, hostile_decisions, hostile_frames, messy_frames

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _decode(data: dict[str, object]) -> list[dict[str, object]]:
    cols = data["cols"]  # type: ignore[index]
    out = []
    for i in range(data["n"]):  # type: ignore[arg-type]
        row = {}
        for key, col in cols.items():  # type: ignore[attr-defined]
            row[key] = col[i] if key == "line" else col["v"][col["c"][i]]
        out.append(row)
    return out


def test_embedded_findings_are_the_json_reports_issues() -> None:
    """The page is a view of Report.to_dict(): decoding its embedded data gives back every issue."""
    doc = validate(messy_frames(), period=2026).to_dict()
    html = render_validation_html(doc)
    text = re.search(r'<script type="application/json" id="issues-data">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    rows = _decode(json.loads(text))
    assert len(rows) == len(doc["issues"])
    for got, want in zip(rows, doc["issues"], strict=True):
        cols = want["columns"]
        assert got["columns"] == (None if cols is None else f"{cols[0]}-{cols[1]}")
        assert all(
            got[k] == want[k] for k in ("rule_id", "severity", "file", "line", "field", "value", "client_id", "message")
        )
    for sev, n in doc["counts"].items():
        assert f'data-count="{sev}">{n:,}<' in html
    assert 'class="verdict fail"' in html


def test_verdict_follows_fail_on() -> None:
    doc = validate(messy_frames(), period=2026, rules=["V-120-17"]).to_dict()  # warnings only
    assert 'class="verdict pass"' in render_validation_html(doc, fail_on="error")
    assert 'class="verdict fail"' in render_validation_html(doc, fail_on="warning")


def test_pages_are_self_contained_and_escape_every_value() -> None:
    frames = hostile_frames()
    from avetmiss_finalise.summary import summarise

    report = validate(frames, period=2026)
    pages = [
        render_html(report, summary=summarise(frames, period=report.period)),
        render_decisions_html(hostile_decisions()),
    ]
    for html in pages:
        assert "<script>window.__xss" not in html and "<img" not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html or "\\u003cscript>window.__xss=1" in html
        assert not re.search(r"(src|href)=\"(https?:)?//", html)
        assert "default-src 'none'" in html.replace("&#39;", "'")


def test_empty_report_and_encoding_of_nulls() -> None:
    assert encode_issues([]) == {
        "n": 0,
        "cols": {k: ([] if k == "line" else {"v": [], "c": []}) for k in encode_issues([])["cols"]},
    }
    html = render_validation_html(validate(FIXTURES / "sample-non-tga", period=2026).to_dict())
    assert "No findings." in html


def test_validate_format_html_and_output_html_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = FIXTURES / "bad" / "V-120-02"
    out = tmp_path / "r.html"
    assert main(["validate", str(bad), "--period", "2026", "--output", f"html:{out}"]) == 1
    page = out.read_text(encoding="utf-8")
    assert 'id="rule-V-120-02"' in page and "Collection summary" in page
    assert capsys.readouterr().out.startswith("Validation of ")  # --output adds a report; the text stays on stdout
    assert main(["validate", str(bad), "--period", "2026", "--format", "html"]) == 1
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_missing_html_extra_says_how_to_install_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    for argv in (
        ["validate", str(FIXTURES / "sample"), "--format", "html"],
        ["summary", str(FIXTURES / "sample"), "--format", "html"],
        [
            "finalise",
            str(FIXTURES / "enrolments" / "nsw.json"),
            "--profile",
            "nsw",
            "--reporting-date",
            "2026-11-29",
            "--out",
            str(tmp_path / "o"),
            "--format",
            "html",
        ],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert INSTALL_HINT in err and "jinja2" in err
    assert not (tmp_path / "o").exists()  # finalise wrote nothing


def test_finalise_html_review_shows_before_after_refusals_and_tasks(tmp_path: Path) -> None:
    out = tmp_path / "fin"
    args = ["--reporting-date", "2026-11-29", "--out", str(out), "--format", "html", "--profile", "nsw"]
    assert main(["finalise", str(FIXTURES / "enrolments" / "nsw.json"), *args]) == 0
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    page = (out / "decisions.html").read_text(encoding="utf-8")
    first = doc["enrolments"][0]
    change = next(c for d in first["decisions"] for c in d["changes"])
    arrow = '</span><span class="change-arrow">→</span><span class="after">'
    assert f'<span class="before">{change["before"]}{arrow}{change["after"]}</span>' in page
    assert all(d["rule_id"] in page for d in first["decisions"])
    assert page.count('type="checkbox"') == sum(len(e["tasks"]) for e in doc["enrolments"])
    refused = tmp_path / "refused"
    code = main(
        [
            "finalise",
            str(FIXTURES / "enrolments" / "transition-fourth-program.json"),
            *args[:2],
            "--out",
            str(refused),
            "--format",
            "html",
            "--profile",
            "nsw",
        ]
    )
    assert code == 1
    page = (refused / "decisions.html").read_text(encoding="utf-8")
    assert 'data-state="refused"' in page and 'class="refusal" role="alert"' in page


def test_summary_cli_text_json_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(FIXTURES / "sample")
    assert main(["summary", sample, "--period", "2026"]) == 0
    text = capsys.readouterr().out
    assert "Subject enrolments (NAT00120 rows)" in text and "Training activity by national outcome" in text
    assert main(["summary", sample, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["tables"]) >= {"outcome", "funding", "delivery_mode", "program", "start_month", "hours"}
    assert main(["summary", str(tmp_path / "nope")]) == 2
    assert main(["summary", sample, "--format", "html", "-o", str(tmp_path / "s.html")]) == 0
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert page.count('<svg role="img"') == sum(1 for t in doc["tables"].values() if t["chart"] and t["rows"])
    assert PAYLOAD not in page


@pytest.mark.parametrize("blocker", ["folder", "symlink"])
def test_finalise_html_that_cannot_be_written_writes_nothing(
    tmp_path: Path, blocker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #10 item 6: decisions.html is part of the one all-or-nothing write. A folder (or a symlink) named
    decisions.html in --out gives exit 2 and leaves --out exactly as it was: before, NAT00120.txt, NAT00130.txt
    and decisions.json were moved into place first and the command then said "nothing written"."""
    out = tmp_path / "fin"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("must survive", encoding="utf-8")
    if blocker == "folder":
        (out / "decisions.html").mkdir()
    else:
        (out / "decisions.html").symlink_to(victim)
    args = ["--reporting-date", "2026-11-29", "--out", str(out), "--format", "html"]
    assert main(["finalise", str(FIXTURES / "enrolments" / "national.json"), *args]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["decisions.html"]
    assert victim.read_text(encoding="utf-8") == "must survive"
    assert "nothing written" in capsys.readouterr().err
