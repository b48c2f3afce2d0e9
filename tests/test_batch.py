"""finalise_batch: the library call behind the finalise command gives the command's files, byte for byte."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import attrs
import pytest

from avetmiss_finalise.batch import BatchResult, decisions_document, finalise_batch
from avetmiss_finalise.decisions_json import dumps as _dumps
from avetmiss_finalise.jsonio import parse_input
from avetmiss_finalise.nat.frames import write_records

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "enrolments"
DATE = datetime.date(2026, 12, 31)


def _writer_bytes(records: list[object], profile: object) -> bytes:
    stream = io.BytesIO()
    write_records(records, stream, profile)  # type: ignore[arg-type]
    return stream.getvalue()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
@pytest.mark.parametrize("profile", ["national", "nsw"])
def test_files_are_the_writers_bytes_and_json_dumps_text(name: str, profile: str) -> None:
    items = parse_input((FIXTURES / name).read_text(encoding="utf-8"))
    result = finalise_batch(items, profile, DATE)
    files = result.files()
    rows = [r for o in result.outcomes for r in o.rows]
    completions = [o.nat00130 for o in result.outcomes if o.nat00130 is not None]
    assert files["NAT00120.txt"] == _writer_bytes(rows, result.profile)
    assert files["NAT00130.txt"] == _writer_bytes(completions, result.profile)
    doc = decisions_document(result.outcomes, result.profile, DATE)
    assert files["decisions.json"] == (json.dumps(doc, indent=2) + "\n").encode("utf-8")
    # Without the lines kept from the check, the files are rebuilt by the writer: the same bytes.
    assert BatchResult(outcomes=result.outcomes, profile=result.profile, reporting_date=DATE).files() == files


def test_an_unwritable_enrolment_is_refused_and_the_others_written() -> None:
    items = parse_input((FIXTURES / "national.json").read_text(encoding="utf-8"))
    first = items[0]
    unit = attrs.evolve(first.enrolment.units[0], subject_id="X" * 40)
    bad = attrs.evolve(first, enrolment=attrs.evolve(first.enrolment, units=[unit, *first.enrolment.units[1:]]))
    result = finalise_batch([bad, *items[1:]], "national", DATE)
    (refused,) = result.refused
    assert refused.index == 0 and refused.rows == () and refused.refusal is not None
    assert refused.refusal.subject_ids == ("X" * 40,)
    assert not result.ok
    written = result.files()["NAT00120.txt"]
    assert b"X" * 40 not in written and written.count(b"\r\n") == sum(len(o.rows) for o in result.outcomes)


@pytest.mark.parametrize(
    "doc",
    [
        {"a": [], "b": {}, "c": None, "d": [1, [2, {}]], "e": 'tab\there "q" \\ \x1f'},
        {"name": "Zoë", "dash": "–"},  # not ASCII: json.dumps escapes, so it is used
        {"del": "\x7f"},
        {"big": 2**70},  # beyond orjson's integers
    ],
)
def test_dumps_is_json_dumps_indent_2(doc: dict[str, object]) -> None:
    assert _dumps(doc) == json.dumps(doc, indent=2)


@pytest.mark.parametrize("items", [[], "sample"])
def test_a_reporting_date_before_the_period_is_refused_at_the_call(items: object) -> None:
    """Even an empty batch: the check is the batch's, not only each finalise()'s (which an empty one never calls)."""
    from avetmiss_finalise.errors import UsageError
    from avetmiss_finalise.samples import sample_enrolments

    with sample_enrolments() as where:
        text = (where / "national.json").read_text(encoding="utf-8")
    batch = [] if items == [] else parse_input(text)
    with pytest.raises(UsageError, match="before the collection period start 2026-01-01"):
        finalise_batch(batch, "national", datetime.date(2025, 12, 31), period=2026)


@pytest.mark.parametrize("slice_", [1, 2, 2000])
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_decisions_json_streamed_in_slices_is_json_dumps_of_the_document(
    name: str, slice_: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Slices of any size (one enrolment, two, more than there are) join into json.dumps(document, indent=2);
    an enrolment whose free text is not ASCII (json.dumps escapes it, orjson would not) is dumped by json."""
    import avetmiss_finalise.decisions_json as dj
    from avetmiss_finalise.model import Withdrawal

    monkeypatch.setattr(dj, "SLICE", slice_)
    items = parse_input((FIXTURES / name).read_text(encoding="utf-8"))
    items = [
        attrs.evolve(i, event=attrs.evolve(i.event, reason="Zoë moved – interstate"))
        if isinstance(i.event, Withdrawal)
        else i
        for i in items
    ]
    result = finalise_batch(items, "national", DATE)
    expected = json.dumps(decisions_document(result.outcomes, result.profile, DATE), indent=2)
    assert result.to_json() == expected
    result.write(tmp_path)
    assert (tmp_path / "decisions.json").read_bytes() == (expected + "\n").encode("utf-8")
    assert (tmp_path / "NAT00120.txt").read_bytes() == result.files()["NAT00120.txt"]


def test_decisions_json_of_no_enrolments() -> None:
    result = finalise_batch([], "nsw", DATE)
    assert result.to_json() == json.dumps(decisions_document((), result.profile, DATE), indent=2)


def test_a_failure_while_streaming_decisions_json_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """decisions.json is streamed into its staged file; a failure half way leaves the directory as it was."""
    import avetmiss_finalise.batch as batch

    result = finalise_batch(parse_input((FIXTURES / "national.json").read_text(encoding="utf-8")), "national", DATE)

    def failing(*args: object) -> object:
        yield "{"
        raise RuntimeError("disk gremlin")

    monkeypatch.setattr(batch, "decisions_chunks", failing)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="disk gremlin"):
        result.write(out)
    assert not out.exists()
