"""The progress bar: drawn on stderr only when stderr is a terminal, and never with ``--quiet``."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.cli._progress import progress

SAMPLE = Path(__file__).resolve().parents[2] / "avetmiss_finalise" / "samples" / "collection"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    shutil.copytree(SAMPLE, root / "a")
    shutil.copytree(SAMPLE, root / "b")
    return root


def _each(subs: Path, *extra: str) -> int:
    return main(["validate", str(subs), "--each", "--period", "2026", "-j", "1", *extra])


def test_on_a_terminal_the_bar_counts_submissions_on_stderr(
    subs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert _each(subs) == 0
    drawn = terminal.getvalue()
    assert "validating" in drawn and "2/2" in drawn and "submission" in drawn
    assert "validating" not in capsys.readouterr().out  # stdout, the report, is untouched


def test_quiet_or_no_terminal_writes_no_bar(
    subs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _each(subs) == 0
    assert "validating" not in capsys.readouterr().err  # pytest's stderr is not a terminal
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert _each(subs, "--quiet") == 0
    assert "validating" not in terminal.getvalue()


def test_a_bar_without_a_terminal_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress(3, unit="file", desc="reading") as bar:
        bar.update()
    assert sys.stderr.getvalue() == ""  # type: ignore[attr-defined]
