"""One wording and one exit code for "there is no collection here", whichever command is asked.

A missing path, an empty directory and a directory holding no NAT file (only other files) are each said the same
way by validate, inspect, convert and summary, and all exit 2 (bad input): a CI job pointed at the wrong folder
fails loudly instead of passing as "no findings".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from avetmiss_finalise import UnreadableInputError, validate
from avetmiss_finalise.cli import main

COMMANDS = (["validate"], ["inspect"], ["convert"], ["summary"])


def _argv(command: list[str], path: Path, tmp_path: Path) -> list[str]:
    return [*command, str(path), *([str(tmp_path / "out")] if command == ["convert"] else [])]


def _cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("not NAT", encoding="utf-8")
    (other / "summary.csv").write_text("a,b\n", encoding="utf-8")
    return {
        "missing": (tmp_path / "nowhere", f"{tmp_path / 'nowhere'}: no such file or directory"),
        "empty": (empty, f"{empty}: no NAT files found (expected names such as NAT00120.txt"),
        "other": (other, "2 other file(s) ignored: notes.txt, summary.csv"),
    }


@pytest.mark.parametrize("case", ["missing", "empty", "other"])
def test_every_command_says_it_the_same_way_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    path, expected = _cases(tmp_path)[case]
    messages = set()
    for command in COMMANDS:
        assert main(_argv(command, path, tmp_path)) == 2, command
        captured = capsys.readouterr()
        assert expected in captured.err, (command, captured.err)
        assert captured.out == "", command
        messages.add(captured.err)
    assert len(messages) == 1  # word for word the same line
    with pytest.raises(UnreadableInputError) as info:
        validate(path)
    assert expected in str(info.value)


@pytest.mark.parametrize("command", ["validate", "inspect", "convert", "summary", "finalise", "demo", "rules"])
def test_each_commands_help_shows_defaults_examples_and_exit_codes(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "exit codes:" in text
    examples = text.split("examples:", 1)[1].split("exit codes:", 1)[0]
    assert examples.count("avetmiss-finalise ") >= 2
    assert "  0  " in text.split("exit codes:", 1)[1]
    if command in ("validate", "inspect", "summary"):
        assert "(default: national)" in text
