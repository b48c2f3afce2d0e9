"""``validate DIR --each``: one report per submission and the run's summary, in every format; worst exit code.

Three submissions: a clean copy of the packaged sample, a broken one (a bad outcome code, and a client name that
breaks a rule: its value is personal and must never appear), and a zip that is not a zip.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.cli._common import Stopwatch
from avetmiss_finalise.formats import get_format
from avetmiss_finalise.validation.audit import RunInfo
from avetmiss_finalise.validation.each import find_submissions, validate_each

SAMPLE = Path(__file__).resolve().parents[2] / "avetmiss_finalise" / "samples" / "collection"
SCHEMAS = Path(__file__).resolve().parents[2] / "avetmiss_finalise" / "schemas"
FORMATS = ("text", "json", "csv", "junit", "sarif", "github", "gitlab", "html")
PERSONAL = "NOCOMMA"


def _break(dest: Path) -> None:
    act = dest / "NAT00120.txt"
    data = act.read_bytes()
    sep = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(sep)
    line = bytearray(lines[1])
    line[71:73] = b"99"
    lines[1] = bytes(line)
    act.write_bytes(sep.join(lines))
    clients = dest / "NAT00080.txt"
    raw = bytearray(clients.read_bytes())
    raw[10:70] = PERSONAL.ljust(60).encode()
    clients.write_bytes(bytes(raw))


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_submissions(tmp_path_factory.mktemp("each"))


def build_submissions(where: Path) -> Path:
    """``where/submissions``: the three submissions of this module (the Dask engine's --each test reuses them)."""
    root = where / "submissions"
    root.mkdir()
    shutil.copytree(SAMPLE, root / "clean")
    shutil.copytree(SAMPLE, root / "broken")
    _break(root / "broken")
    (root / "unreadable.zip").write_bytes(b"not a zip at all")
    (root / "README.txt").write_text("not a submission")
    return root


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    fix_clock(monkeypatch)


def fix_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports carry the run's time and host: fixed, so two runs can be compared byte for byte."""
    when = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(Stopwatch, "run_info", lambda self: RunInfo(generated_at=when, duration_seconds=1.0))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _each(subs: Path, out: Path, jobs: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, bytes]]:
    outputs = [a for f in FORMATS for a in ("-o", f"{f}:{out / f}")]
    code, stdout, _ = _run(capsys, "validate", str(subs), "--each", "--period", "2026", "-j", str(jobs), *outputs)
    assert "total" in stdout  # --format text (the summary) still goes to stdout
    return code, _tree(out)


def test_submissions_are_the_zips_and_folders_sorted_by_name(subs: Path) -> None:
    assert [n for n, _ in find_submissions(subs)] == ["broken", "clean", "unreadable.zip"]


def test_every_format_per_submission_and_summary_and_jobs_do_not_change_a_byte(
    subs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_code, one = _each(subs, tmp_path / "one", 1, capsys)
    two_code, two = _each(subs, tmp_path / "two", 2, capsys)
    assert one_code == two_code == 2  # the unreadable zip is the worst
    assert one == two
    for f in FORMATS:
        suffix = get_format(f).suffix
        assert {k for k in one if k.startswith(f + "/")} == {f"{f}/{n}{suffix}" for n in ("summary", "broken", "clean")}
    assert all(PERSONAL.encode() not in content for content in one.values())
    summary = json.loads(one["json/summary.json"])
    assert [(s["name"], s["exit_code"], s["ok"]) for s in summary["submissions"]] == [
        ("broken", 1, False),
        ("clean", 0, True),
        ("unreadable.zip", 2, False),
    ]
    assert summary["submissions"][2]["error"] and summary["submissions"][2]["report"] is None
    assert summary["totals"]["unreadable"] == 1 and summary["exit_code"] == 2
    assert json.loads(one["json/broken.json"])["ok"] is False
    assert b"unreadable.zip" in one["html/summary.html"] and b'href="clean.html"' in one["html/summary.html"]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "html"])
def test_every_format_on_stdout_names_every_submission(
    fmt: str, subs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "validate", str(subs), "--each", "--period", "2026", "--format", fmt, "-j", "1")
    assert code == 2
    assert PERSONAL not in out
    for name in ("broken", "clean", "unreadable.zip"):
        assert name in out, (fmt, name)
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        assert ET.fromstring(out).get("errors") == "1"


def test_the_json_document_follows_its_schema(subs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema
    from referencing import Registry, Resource

    report = json.loads((SCHEMAS / "validation-report.schema.json").read_text("utf-8"))
    each = json.loads((SCHEMAS / "validation-each.schema.json").read_text("utf-8"))
    registry = Registry().with_resource(report["$id"], Resource.from_contents(report))
    _, out, _ = _run(capsys, "validate", str(subs), "--each", "--period", "2026", "--format", "json", "-j", "1")
    jsonschema.Draft202012Validator(each, registry=registry).validate(json.loads(out))


def test_exit_code_is_the_worst_submissions(subs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    only = tmp_path / "clean-only"
    only.mkdir()
    shutil.copytree(SAMPLE, only / "a")
    assert _run(capsys, "validate", str(only), "--each", "--period", "2026", "-j", "1")[0] == 0
    assert _run(capsys, "validate", str(only), "--each", "--period", "2026", "--fail-on", "info", "-j", "1")[0] == 1
    shutil.copytree(subs / "broken", only / "b")
    code, out, _ = _run(capsys, "validate", str(only), "--each", "--period", "2026", "-j", "1")
    assert code == 1 and "1 ok, 1 failed, 0 unreadable of 2" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--format", "html"], "--output html:DIR"),
        (["--sample"], "not --sample"),
        (["--rule", "NO-SUCH-RULE"], "unknown rule id"),
    ],
)
def test_what_cannot_apply_is_refused_with_exit_2(
    argv: list[str], words: str, subs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = [] if "--sample" in argv else [str(subs)]
    code, out, err = _run(capsys, "validate", *path, "--each", *argv)
    assert code == 2 and words in err and out == ""


def test_a_directory_without_submissions_and_a_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert _run(capsys, "validate", str(tmp_path), "--each")[0] == 2
    code, _, err = _run(capsys, "validate", str(tmp_path / "notes.txt"), "--each")
    assert code == 2 and "directory" in err


def test_our_own_bug_in_one_submission_is_still_70(
    subs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import avetmiss_finalise.validation.engine as engine

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(engine, "validate", boom)
    assert _run(capsys, "validate", str(subs), "--each", "-j", "1")[0] == 70


def test_the_library_call_keeps_name_order_whatever_finishes_first(subs: Path) -> None:
    seen: list[str] = []
    each = validate_each(subs, jobs=2, on_done=lambda s: seen.append(s.name), period=2026)
    assert [s.name for s in each.submissions] == ["broken", "clean", "unreadable.zip"]
    assert sorted(seen) == ["broken", "clean", "unreadable.zip"]
    assert each.exit_code() == 2 and not each.ok()
    assert each.totals()["records"] == 2 * sum(each.submissions[1].report.files.values())  # type: ignore[union-attr]


def test_special_entries_are_unreadable_submissions_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found in review: a FIFO, /dev/zero behind a .zip link and a dangling link vanished from the run. Each is
    now a row of its own, unreadable with the reader's message (exit 2), and nothing blocks on the FIFO."""
    import os

    root = tmp_path / "subs"
    root.mkdir()
    shutil.copytree(SAMPLE, root / "clean")
    os.mkfifo(root / "pipe.zip")
    os.mkfifo(root / "provider-fifo")
    (root / "zero.zip").symlink_to("/dev/zero")
    (root / "gone").symlink_to(tmp_path / "nowhere")
    (root / "README.txt").write_text("not a submission")
    assert [n for n, _ in find_submissions(root)] == ["clean", "gone", "pipe.zip", "provider-fifo", "zero.zip"]
    code, out, _ = _run(capsys, "validate", str(root), "--each", "--period", "2026", "-j", "1")
    assert code == 2
    assert "1 ok, 0 failed, 4 unreadable of 5" in out
    assert "is a FIFO (named pipe), not a regular file" in out and "is a character device" in out
    assert "is a broken symbolic link" in out and "README" not in out
