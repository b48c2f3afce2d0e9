"""``finalise`` reading JSON Lines (``.jsonl``/``.ndjson``): the same run as the JSON array, problems at FILE:LINE."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.jsonio import InvalidInputError, parse_input
from avetmiss_finalise.jsonl import parse_input_lines

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "enrolments"


def _finalise(source: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["finalise", str(source), "--profile", "nsw", "--reporting-date", "2026-12-31", "--out", str(out)])
    got = capsys.readouterr()
    return code, got.out.replace(str(source), "IN").replace(str(out), "OUT"), got.err.replace(str(source), "IN")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_json_lines_give_the_files_and_summary_of_the_json_array(
    name: str, suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    array = FIXTURES / name
    lines = tmp_path / f"in{suffix}"
    items = json.loads(array.read_text(encoding="utf-8"))
    # CR LF endings, a blank line and no final newline are all read as the same items
    crlf = "".join(json.dumps(i) + "\r\n" for i in items[:1])
    lines.write_text(crlf + "\n" + "\n".join(json.dumps(i) for i in items[1:]), encoding="utf-8")
    want = _finalise(array, tmp_path / "a", capsys)
    assert _finalise(lines, tmp_path / "b", capsys) == want
    for f in ("NAT00120.txt", "NAT00130.txt", "decisions.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_bad_lines_are_each_located_by_file_and_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = json.loads((FIXTURES / "national.json").read_text(encoding="utf-8"))
    bad_date = json.loads(json.dumps(items[0]))
    bad_date["event"]["date"] = "31/12/2026"
    short = json.loads(json.dumps(items[0]))
    short["enrolment"]["units"][1]["outcome"] = "2"
    source = tmp_path / "in.jsonl"
    text = [json.dumps(items[0]), json.dumps(bad_date), "", json.dumps(short), '{"enrolment": 1,', "[1, 2]"]
    source.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, _, err = _finalise(source, tmp_path / "out", capsys)
    assert code == 2
    assert not (tmp_path / "out").exists()
    assert err.splitlines() == [
        'IN:2: event.date: expected ISO date (YYYY-MM-DD), got "31/12/2026"',
        'IN:4: enrolment.units[1].outcome: expected a two-character outcome, got "2"',
        "IN:5: column 17: invalid JSON: Expecting property name enclosed in double quotes",
        "IN:6: (top level): expected an object with enrolment and event, got an array",
        "IN: 4 input problem(s); nothing written",
    ]


def test_each_line_is_held_to_what_an_array_element_is_held_to() -> None:
    """Unknown keys, duplicate keys, control characters: the array's checks, located by line."""
    item = json.loads((FIXTURES / "national.json").read_text(encoding="utf-8"))[0]
    extra = {**item, "note": 1}
    dup = json.dumps(item)[:-1] + ', "event": {}}'
    control = json.dumps(item).replace('"90001"', '"90\\u001b001"', 1)
    with pytest.raises(InvalidInputError) as info:
        parse_input_lines("\n".join([json.dumps(extra), dup, control]))
    assert info.value.lines == (1, 2, 3)
    assert info.value.problems[0] == "line 1: (top level): unknown keys: note"
    assert info.value.problems[1].startswith('line 2: (top level): duplicate keys "event"')
    assert "control character U+001B (ESC)" in info.value.problems[2]
    assert parse_input_lines(json.dumps(item) + "\n") == parse_input(json.dumps([item]))
