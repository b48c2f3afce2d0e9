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
    assert item.enrolment.units[0].delivery_mode is None  # derived when the row is written (YNN, or NNN for 51/60)


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
    assert '[0].enrolment.units[0].hours_attended: expected a whole number >= 0, got "4"' in problems


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


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (
            ("event", "previous_program_ids"),
            "BSB40115",
            '[0].event.previous_program_ids: expected an array, got "BSB40115"',
        ),
        (("event", "previous_program_ids"), {}, "[0].event.previous_program_ids: expected an array, got an object"),
        (("event", "current_units"), "", '[0].event.current_units: expected an array, got ""'),
        (("enrolment", "units"), {}, "[0].enrolment.units: expected an array, got an object"),
    ],
)
def test_arrays_are_never_made_from_strings_or_objects(where: tuple[str, str], value: object, expected: str) -> None:
    """A string where an array belongs is an error, not its characters (``"BSB40115"`` → ``B``, ``S``, …)."""
    data = json.loads((ROOT / "fixtures" / "enrolments" / "transition-reported.json").read_text(encoding="utf-8"))
    data[0][where[0]][where[1]] = value
    assert expected in _problems(data[:1])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data[:1], input_schema())


@pytest.mark.parametrize("field", ["hours_attended", "scheduled_hours", "client_tuition_fee"])
def test_negative_counts_are_input_errors_in_parser_and_schema(field: str) -> None:
    """Hours and fees are counts: -3 is located at its path (exit 2), not left for the NAT writer to trip on."""
    bad = _good()
    bad[0]["enrolment"]["units"][0][field] = -3  # type: ignore[index]
    assert _problems(bad) == (f"[0].enrolment.units[0].{field}: expected a whole number >= 0, got -3",)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, input_schema())
    bad = _good()
    bad[0]["event"]["hours_attended"] = {"U1": -1}  # type: ignore[index]
    assert _problems(bad) == ("[0].event.hours_attended['U1']: expected a whole number >= 0, got -1",)


_MUTANTS: tuple[object, ...] = (None, 0, -1, 1.5, True, "", "x", "20", "7", [], {}, ["a"], {"a": 1})


@given(st.data())
def test_schema_and_parser_agree_on_mutated_fixtures(data: st.DataObject) -> None:
    """The shipped JSON Schema accepts exactly what the parser accepts, for one field of a fixture set to junk.

    (Known, documented gaps not generated here: impossible calendar dates such as 2026-02-30 need a schema
    validator with format checking, and 3.0 counts as an integer in JSON Schema but not in the parser.)
    """
    files = sorted((ROOT / "fixtures" / "enrolments").glob("*.json"))
    doc = json.loads(data.draw(st.sampled_from(files)).read_text(encoding="utf-8"))
    item = data.draw(st.sampled_from(doc))

    def leaves(node: object, path: tuple[object, ...]) -> list[tuple[object, ...]]:
        out = [path] if path else []
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in children:
            out += leaves(child, (*path, key))
        return out

    path = data.draw(st.sampled_from(leaves(item, ())))
    target: object = item
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = data.draw(st.sampled_from(_MUTANTS))  # type: ignore[index]
    schema_ok = jsonschema.Draft202012Validator(input_schema()).is_valid([item])
    try:
        parse_input(json.dumps([item]))
        parser_ok = True
    except InvalidInputError:
        parser_ok = False
    assert schema_ok == parser_ok, (path, target)


def test_blank_identifiers_are_located_errors_in_parser_and_schema() -> None:
    """An empty or all-space identifier would write a NAT row (or a NAT00130 program) naming nothing."""
    bad = _good()
    bad[0]["enrolment"]["client_id"] = ""  # type: ignore[index]
    bad[0]["enrolment"]["program_id"] = "   "  # type: ignore[index]
    bad[0]["enrolment"]["units"][0]["subject_id"] = ""  # type: ignore[index]
    assert _problems(bad) == (
        '[0].enrolment.client_id: expected an identifier, got ""',
        '[0].enrolment.program_id: expected an identifier, got "   "',
        '[0].enrolment.units[0].subject_id: expected an identifier, got ""',
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, input_schema())
    data = json.loads((ROOT / "fixtures" / "enrolments" / "transition-reported.json").read_text(encoding="utf-8"))
    data[0]["event"]["previous_program_ids"] = ["BSB40100", ""]
    data[0]["event"]["unit_map"] = {"BSBOLD001": " "}
    problems = _problems(data[:1])
    assert '[0].event.previous_program_ids[1]: expected an identifier, got ""' in problems
    assert '[0].event.unit_map["BSBOLD001"]: expected an identifier, got " "' in problems
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data[:1], input_schema())


def test_a_key_named_twice_is_an_error_not_a_silent_last_value() -> None:
    """``{"date": "2026-03-01", "date": "2026-04-01"}`` would otherwise lose the first date without a word."""
    text = json.dumps(_good()).replace('"date": "2026-02-01"', '"date": "2026-02-01", "date": "2026-04-01"')
    text = text.replace('{"U1": 4}', '{"U1": 4, "U1": 5}')
    with pytest.raises(InvalidInputError) as info:
        parse_input(text)
    assert info.value.problems == (
        '[0].event: duplicate keys "date": only one value each is allowed',
        '[0].event.hours_attended: duplicate keys "U1": only one value each is allowed',
    )


def test_an_unpaired_surrogate_is_an_input_error_not_a_crash_when_printed() -> None:
    """``"\\ud800"`` is valid JSON but not text: it crashed the summary's print; now it is located at its path."""
    text = json.dumps(_good()).replace('"TESTCL01"', '"C\\ud800"')
    with pytest.raises(InvalidInputError) as info:
        parse_input(text)
    assert info.value.problems == ('[0].enrolment.client_id: expected text, got "C\\ud800" (an unpaired surrogate)',)
