"""The JSON edge: strict structuring with every problem located, round trips, and the shipped JSON Schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.jsonio import InputItem, InvalidInputError, input_schema, parse_input, unstructure
from avetmiss_finalise.model import Withdrawal
from tests.strategies.model import events, program_enrolments

ROOT = Path(__file__).resolve().parents[1]


@st.composite
def items(draw: st.DrawFn) -> InputItem:
    e = draw(program_enrolments())
    return InputItem(enrolment=e, event=draw(events(e)))


def _good() -> list[dict[str, object]]:
    return [
        {
            "enrolment": {
                "training_organisation_id": "90001",
                "client_id": "TESTCL01",
                "program_id": "BSB40120",
                "units": [
                    {
                        "subject_id": "U1",
                        "delivery_location_id": "MAIN01",
                        "start_date": "2026-01-05",
                        "end_date": "2026-03-01",
                        "outcome": "70",
                    }
                ],
            },
            "event": {"type": "withdrawal", "date": "2026-02-01", "hours_attended": {"U1": 4}},
        }
    ]


@given(st.lists(items(), max_size=3))
def test_round_trip_through_json(values: list[InputItem]) -> None:
    """Anything the model holds survives unstructure → JSON → parse unchanged, and fits the JSON Schema."""
    data = json.loads(json.dumps(unstructure(values)))
    jsonschema.validate(data, input_schema())
    assert parse_input(json.dumps(data)) == values


def test_minimal_input_uses_model_defaults() -> None:
    (item,) = parse_input(json.dumps(_good()))
    assert isinstance(item.event, Withdrawal) and item.event.hours_attended == {"U1": 4}
    assert item.enrolment.units[0].delivery_mode == "YNN"


def _problems(data: object) -> tuple[str, ...]:
    with pytest.raises(InvalidInputError) as info:
        parse_input(json.dumps(data))
    return info.value.problems


def test_every_problem_is_reported_with_its_path() -> None:
    bad = _good() * 4
    bad[1] = json.loads(json.dumps(bad[1]))
    bad[1]["event"]["date"] = "31/12/2026"
    bad[2] = {"enrolment": {**bad[2]["enrolment"], "status": "finished", "colour": "red"}, "event": {"type": "x"}}
    bad[3] = {
        "enrolment": bad[3]["enrolment"],
        "event": {"type": "completion", "date": "2026-01-01", "credential_issued": "yes", "resume_date": "2026-02-01"},
    }
    problems = _problems(bad)
    assert '[1].event.date: expected ISO date (YYYY-MM-DD), got "31/12/2026"' in problems
    assert any(p.startswith("[2].enrolment.status: expected one of active,") for p in problems)
    assert "[2].enrolment: unknown keys: colour" in problems
    assert any(p.startswith("[2].event: event type: expected one of completion") for p in problems)
    assert '[3].event.credential_issued: expected true or false, got "yes"' in problems
    assert "[3].event: unknown keys: resume_date" in problems
    assert not any(p.startswith("[0]") for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1,", "line 1 column 4: invalid JSON"),
        ('{"enrolment": {}}', "(top level): expected a JSON array"),
        ("[5]", "[0]: expected an object"),
    ],
)
def test_unreadable_shapes(text: str, expected: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_input(text)
    assert info.value.problems[0].startswith(expected)


def test_scalars_are_not_coerced() -> None:
    """A number where a code string belongs (outcome 20) is an error, not a silent "20"."""
    bad = _good()
    bad[0]["enrolment"]["units"][0]["outcome"] = 20  # type: ignore[index]
    bad[0]["enrolment"]["units"][0]["hours_attended"] = "4"  # type: ignore[index]
    problems = _problems(bad)
    assert "[0].enrolment.units[0].outcome: expected a string, got 20" in problems
    assert '[0].enrolment.units[0].hours_attended: expected an integer, got "4"' in problems


def test_outcomes_are_two_characters() -> None:
    bad = _good()
    bad[0]["enrolment"]["units"][0]["outcome"] = "7"  # type: ignore[index]
    assert _problems(bad) == ('[0].enrolment.units[0].outcome: expected a two-character outcome, got "7"',)


def test_shipped_schema_is_the_generated_one_and_valid_draft_2020_12() -> None:
    shipped = json.loads(
        resources.files("avetmiss_finalise").joinpath("schemas/finalise-input.schema.json").read_text("utf-8")
    )
    assert shipped == input_schema()
    jsonschema.Draft202012Validator.check_schema(shipped)


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures" / "enrolments").glob("*.json")), ids=lambda p: p.name)
def test_fixtures_fit_the_schema_and_parse(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, input_schema())
    assert len(parse_input(json.dumps(data))) == len(data)


def test_schema_rejects_unknown_keys_like_the_parser() -> None:
    bad = _good()
    bad[0]["event"]["colour"] = "red"  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, input_schema())
