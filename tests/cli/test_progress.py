"""The progress bar: drawn on stderr only when stderr is a terminal, and never with ``--quiet``."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path
from typing import ClassVar

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
    # tqdm redraws at most every 0.1 s, so on a loaded machine the last count may never be drawn: the total and
    # the unit are, and the bar is cleared at the end (leave=False); the count itself is _Bar's test below.
    assert "validating" in drawn and "/2 [" in drawn and "submission" in drawn
    assert drawn.rstrip(" ").endswith("\r")
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


class _Bar:
    """A stand-in for the tqdm bar: what it was opened with and the count it reached."""

    opened: ClassVar[list[_Bar]] = []

    def __init__(self, total: int | None, *, unit: str, desc: str, quiet: bool = False) -> None:
        self.total, self.unit, self.desc, self.n, self.closed, self.quiet = total, unit, desc, 0, False, quiet
        _Bar.opened.append(self)

    def update(self, n: int = 1) -> None:
        self.n += n

    def __exit__(self, *_: object) -> None:
        self.closed = True


def test_a_streamed_validation_reads_then_validates_and_gives_the_same_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``validate --engine stream``: one bar for NAT00120's bytes read (to its size), then one for the client
    partitions validated (to their number), each closed; the report is the in-memory run's. On a real terminal
    those are tqdm bars (:func:`progress`), drawn nowhere else."""
    import avetmiss_finalise.cli._progress as bars

    _Bar.opened = []
    monkeypatch.setattr(bars, "progress", _Bar)
    argv = ["validate", str(SAMPLE), "--period", "2026", "--format", "json"]
    assert main([*argv, "--chunk-rows", "7"]) == 0
    streamed = capsys.readouterr().out
    read, validated = _Bar.opened
    size = (SAMPLE / "NAT00120.txt").stat().st_size
    assert (read.desc, read.unit, read.total, read.n, read.closed) == ("reading NAT00120", "B", size, size, True)
    assert validated.desc == "validating" and validated.unit == "partition" and validated.closed
    assert validated.total is not None and 0 < validated.n <= validated.total
    assert main(argv) == 0
    cut = lambda text: text.split('"generated_at"')[0]  # noqa: E731  (the run's clock differs)
    assert cut(capsys.readouterr().out) == cut(streamed)


def test_phases_count_each_phase_from_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new phase is a new bar whose count starts again (``done`` is how far that phase is, not the run), and
    ``quiet`` reaches every bar."""
    import avetmiss_finalise.cli._progress as bars

    _Bar.opened = []
    monkeypatch.setattr(bars, "progress", _Bar)
    with bars.Phases() as tell:
        tell("read", 40, 100)
        tell("read", 100, 100)
        tell("validate", 1, 3)
        tell("validate", 3, 3)
    assert [(b.desc, b.n, b.total, b.closed) for b in _Bar.opened] == [
        ("reading NAT00120", 100, 100, True),
        ("validating", 3, 3, True),
    ]
    assert not any(b.quiet for b in _Bar.opened)
    with bars.Phases(quiet=True) as tell:
        tell("read", 1, None)
        tell("validate", 1, 1)
    assert [b.quiet for b in _Bar.opened[2:]] == [True, True]


def test_an_in_memory_validation_counts_its_rules_and_gives_the_same_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``validate`` without an engine: one bar, the rules run (to their number), closed; ``--quiet`` reaches it
    and the report is the one a run without a bar gives."""
    import json

    import avetmiss_finalise.cli._progress as bars

    _Bar.opened = []
    monkeypatch.setattr(bars, "progress", _Bar)
    argv = ["validate", str(SAMPLE), "--period", "2026", "--format", "json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    (bar,) = _Bar.opened
    assert (bar.desc, bar.unit, bar.closed, bar.quiet) == ("validating", "rule", True, False)
    assert bar.total == bar.n > 0
    assert bar.n <= len(doc["rules_run"])  # the reader's own checks are listed too, and are not rules run
    assert main([*argv, "--quiet"]) == 0
    assert _Bar.opened[1].quiet


def test_the_api_tells_progress_and_the_report_does_not_change() -> None:
    from avetmiss_finalise.validation import validate

    told: list[tuple[str, int, int | None]] = []
    report = validate(SAMPLE, period=2026, progress=lambda *step: told.append(step))
    assert told and {phase for phase, _, _ in told} == {"rules"}
    assert [done for _, done, _ in told] == list(range(1, len(told) + 1))
    assert all(total == len(told) for _, _, total in told)
    plain = validate(SAMPLE, period=2026)
    assert report.to_dict()["counts"] == plain.to_dict()["counts"]
    assert report.findings.equals(plain.findings)
