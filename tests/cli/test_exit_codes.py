"""Exit codes and output a CI job can rely on (issue #10 item 12).

A bug of ours exits 70 (never 1, "findings", nor 2, "bad input") with one line saying it is a bug and how to
report it, the traceback only with ``--debug`` or ``AVETMISS_FINALISE_DEBUG=1``. Output never fails on the
terminal's encoding: an ASCII or Latin-1 stdout still gets the whole report.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from avetmiss_finalise.cli import EXIT_INTERNAL, inspect_cmd, main, validate_cmd

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("validate", "inspect", "convert", "summary", "finalise", "demo", "rules")


def _explode(args: object) -> int:
    raise KeyError("C0001 SMITH")  # a bug whose message holds data


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspect_cmd, "run", _explode)
    monkeypatch.delenv("AVETMISS_FINALISE_DEBUG", raising=False)


def test_an_internal_error_exits_70_with_one_line_and_no_traceback(
    broken: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert EXIT_INTERNAL == 70
    assert main(["inspect", "--sample"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "internal error (KeyError" in err and "bug in avetmiss-finalise" in err and "--debug" in err
    assert "Traceback" not in err
    assert "SMITH" not in err  # the exception's message is not printed: it may hold personal data


@pytest.mark.parametrize("argv", [["--debug", "inspect", "--sample"], ["inspect", "--sample", "--debug"]])
def test_debug_shows_the_traceback(broken: None, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "_explode" in err


def test_the_environment_variable_shows_the_traceback(
    broken: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AVETMISS_FINALISE_DEBUG", "1")
    assert main(["inspect", "--sample"]) == EXIT_INTERNAL
    assert "Traceback" in capsys.readouterr().err


def test_running_out_of_memory_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def exhausted(args: object) -> int:
        raise MemoryError

    monkeypatch.setattr(validate_cmd, "run", exhausted)
    assert main(["validate", "--sample"]) == EXIT_INTERNAL
    assert "ran out of memory" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("raised", "code", "line"),
    [
        # What distributed raises for a --scheduler that does not answer: exit 2, said as it is, not "cannot write".
        (OSError("Timed out trying to connect to tcp://127.0.0.1:1 after 30 s"), 2, "error: Timed out trying to"),
        (OSError(28, "No space left on device"), 2, "error: cannot write the output: No space left on device"),
        (io.UnsupportedOperation("fileno"), EXIT_INTERNAL, "internal error (UnsupportedOperation"),
    ],
)
def test_an_os_error_is_exit_2_in_its_own_words_and_an_unsupported_call_is_our_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], raised: OSError, code: int, line: str
) -> None:
    def failing(args: object) -> int:
        raise raised

    monkeypatch.setattr(validate_cmd, "run", failing)
    monkeypatch.delenv("AVETMISS_FINALISE_DEBUG", raising=False)
    assert main(["validate", "--sample"]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and line in err, err


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_help_lists_the_internal_error_code(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"] if command else ["--help"]) == 0
    text = capsys.readouterr().out
    assert "70 internal error" in text
    assert "--debug" in text


def test_the_documents_name_the_internal_error_code() -> None:
    for doc in ("README.md", "docs/stability.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert "**70**" in text or "`70`" in text, doc


def _run(argv: list[str], encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "avetmiss_finalise", *argv], capture_output=True, env=env, cwd=ROOT)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_reports_survive_a_narrow_terminal_encoding(encoding: str) -> None:
    text = _run(["validate", "--sample", "--period", "2026"], encoding)
    assert text.returncode == 0, text.stderr
    assert b"Traceback" not in text.stderr
    out = text.stdout.decode(encoding)
    assert "Validation of" in out and " - profile national" in out  # the em dash, in ASCII
    as_json = _run(["validate", "--sample", "--period", "2026", "--format", "json"], encoding)
    assert as_json.returncode == 0
    utf8 = _run(["validate", "--sample", "--period", "2026", "--format", "json"], "utf-8")
    doc, same = json.loads(as_json.stdout.decode(encoding)), json.loads(utf8.stdout.decode("utf-8"))
    assert doc["counts"] == same["counts"] and doc["issues"] == same["issues"]


def test_unencodable_characters_are_escaped_not_fatal() -> None:
    code = (
        "import sys; from avetmiss_finalise.cli._streams import safe_streams\n"
        "with safe_streams():\n"
        "    print('a \\u2014 b \\u2026 \\u00e9 \\u4e2d \\U0001f600')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.decode("ascii").strip()
    assert line == "a - b ... \\u00e9 \\u4e2d \\ud83d\\ude00"
    assert json.loads(f'"{line}"') == "a - b ... é 中 \U0001f600"


def test_sigterm_unwinds_so_cleanup_runs_and_the_exit_code_says_terminated() -> None:
    """Found in review: SIGTERM (timeout, CI runners, Kubernetes) killed a stream run where it stood and left its
    spill directory. Under main(), SIGTERM raises SystemExit(143) in the main thread, so ``finally`` blocks run;
    the previous handler is back afterwards."""
    import signal
    import threading

    from avetmiss_finalise.cli import _terminate_cleanly

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be installed from the main thread (the end-to-end test covers it)")
    before = signal.getsignal(signal.SIGTERM)
    cleaned = []
    try:
        with _terminate_cleanly():
            try:
                os.kill(os.getpid(), signal.SIGTERM)  # the handler raises at the next bytecode
            finally:
                cleaned.append(True)
        raise AssertionError("SIGTERM did not stop the run")
    except SystemExit as stop:
        assert stop.code == 143
    assert cleaned == [True]
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_stream_run_stopped_by_sigterm_leaves_no_spill(tmp_path: Path) -> None:
    """End to end: a streaming validation terminated mid-run exits 143 and removes its spill directory. The child
    waits inside the spill (a hook, so the test never races a fast machine) until it is told to stop."""
    import signal
    import time

    spill = tmp_path / "tmp"
    spill.mkdir()
    ready = tmp_path / "ready"
    sample = Path(__file__).resolve().parents[2] / "avetmiss_finalise" / "samples" / "collection"
    code = (
        "import pathlib, sys, time\n"
        "from avetmiss_finalise.engines import spill\n"
        "real = spill.Spill.add\n"
        "def waiting(self, frame, unparsed):\n"
        "    real(self, frame, unparsed)\n"
        f"    pathlib.Path({str(ready)!r}).touch()\n"
        "    time.sleep(120)  # stopped here by SIGTERM\n"
        "spill.Spill.add = waiting\n"
        "from avetmiss_finalise.cli import main\n"
        f"sys.exit(main(['validate', {str(sample)!r}, '--period', '2026', '--engine', 'stream', '--chunk-rows', "
        "'5']))\n"
    )
    env = {**os.environ, "TMPDIR": str(spill)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists() and any(spill.iterdir()), "the run never reached its spill"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    assert list(spill.iterdir()) == []
