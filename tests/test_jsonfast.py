"""The fast structurer (avetmiss_finalise/jsonfast.py) against the converter's checked path: on every input the two
give equal items or the same problems, word for word — as a JSON array and as JSON Lines.

Inputs are generated pairs of every event kind (transitions included: the fast path leaves them to the converter)
written as the schema says, then mutated at a random place: a value replaced by one of another type, a blank or a
bad date, a negative count, a non-ASCII or control character, a key dropped or an unknown or optional one added.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise import jsonio, jsonl
from avetmiss_finalise.jsonio import InputItem, InvalidInputError, parse_input, unstructure
from avetmiss_finalise.jsonl import parse_input_lines
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.model import ProgramEnrolment, UnitEnrolment, Withdrawal
from tests.strategies.finalise import edge_pairs
from tests.strategies.transition import superseded_enrolments, transitions

#: Values a mutation puts somewhere: each JSON type, blanks, near-dates, negatives, characters the policy refuses.
_VALUES: tuple[object, ...] = (
    None,
    "",
    " ",
    "x",
    "20",
    "123",
    "2026-02-29",
    "2026-13-01",
    "2026-1-01",
    "2028-02-29",
    "completion",
    "withdrawal",
    "deferral",
    "transition",
    "withdrawn",
    "active",
    "\u00e9t\u00e9",
    "a\u0000b",
    "a\u007fb",
    "\u0085",
    "\ud800",
    0,
    1,
    -1,
    10**20,
    1.5,
    True,
    False,
    [],
    ["U001"],
    {},
    {"U001": 3},
    {"U001": -3},
)
_KEYS = sorted(
    {a.name for cls in (UnitEnrolment, ProgramEnrolment, Withdrawal) for a in attrs.fields(cls)}
    | {"type", "date", "resume_date", "credential_issued", "parchment_number", "enrolment", "event", "unknown"}
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _places(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _places(v, (*path, i))
    return out


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def _mutated(draw: st.DrawFn) -> list[Any]:
    """A list of items as JSON data, mutated at up to two places (or not at all)."""
    moved = superseded_enrolments().flatmap(lambda e: transitions(e).map(lambda t: (e, t)))
    pairs = draw(st.lists(edge_pairs(max_units=3), min_size=1, max_size=3))
    if draw(st.integers(0, 3)) == 0:  # now and then a transition among them (the converter's, on either path)
        pairs.insert(draw(st.integers(0, len(pairs))), draw(moved))
    data: list[Any] = [unstructure(InputItem(enrolment=e, event=ev)) for e, ev in pairs]
    for _ in range(draw(st.integers(0, 2))):
        places = _places(data)
        path = draw(st.sampled_from(places))
        target = _at(data, path)
        how = draw(st.sampled_from(("replace", "drop", "add")))
        if how == "replace" and path:
            _at(data, path[:-1])[path[-1]] = draw(st.sampled_from(_VALUES))
        elif how == "drop" and path and isinstance(_at(data, path[:-1]), dict):
            del _at(data, path[:-1])[path[-1]]
        elif how == "add" and isinstance(target, dict):
            target[draw(st.sampled_from(_KEYS))] = draw(st.sampled_from(_VALUES))
    return data


def _outcome(parse: Any, text: str, **kw: Any) -> object:
    try:
        return ("items", parse(text, **kw))
    except InvalidInputError as exc:
        return ("problems", exc.problems, exc.lines)


@settings(max_examples=300, deadline=None)
@given(_mutated(), st.booleans())
def test_the_fast_path_gives_the_checked_path_s_items_or_problems(data: list[Any], transliterate: bool) -> None:
    text = json.dumps(data, ensure_ascii=False)
    assert _outcome(parse_input, text, transliterate=transliterate) == _outcome(
        parse_input, text, transliterate=transliterate, _fast=False
    )
    lines = "\n".join(json.dumps(item, ensure_ascii=False) for item in data)
    assert _outcome(parse_input_lines, lines, transliterate=transliterate) == _outcome(
        parse_input_lines, lines, transliterate=transliterate, _fast=False
    )


@settings(max_examples=50, deadline=None)
@given(_mutated(), st.integers(1, 6), st.integers(1, 3))
def test_tight_limits_are_said_as_before(data: list[Any], depth: int, digits: int) -> None:
    """A depth or digit limit tighter than the model's shape: the checked path's message, never the fast items."""
    limits = Limits(max_json_depth=depth, max_json_int_digits=digits)
    text = json.dumps(data)
    assert _outcome(parse_input, text, limits=limits) == _outcome(parse_input, text, limits=limits, _fast=False)
    lines = "\n".join(json.dumps(item) for item in data)
    assert _outcome(parse_input_lines, lines, limits=limits) == _outcome(
        parse_input_lines, lines, limits=limits, _fast=False
    )


def _sample() -> str:
    unit = {"subject_id": "U001", "delivery_location_id": "MAIN01", "start_date": "2026-01-05"}
    enrolment = {"training_organisation_id": "90001", "client_id": "C1", "program_id": None, "units": [unit]}
    unit["end_date"] = "2026-02-05"
    return json.dumps([{"enrolment": enrolment, "event": {"type": "completion", "date": "2026-03-01"}}])


def test_a_plainly_valid_input_is_built_without_the_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the module: the common shape never reaches cattrs (nor the value walk)."""

    def refuse(*_: object) -> None:
        raise AssertionError("the converter was called")

    for module in (jsonio, jsonl):
        monkeypatch.setattr(module, "_CONVERTER", None)  # any use fails
        monkeypatch.setattr(module, "check_json", refuse)
    (item,) = parse_input(_sample())
    assert item.enrolment.units[0].subject_id == "U001"
    assert parse_input_lines(json.dumps(json.loads(_sample())[0]))[0] == item


def test_a_key_named_twice_is_said_as_before() -> None:
    text = _sample().replace('"client_id": "C1"', '"client_id": "C1", "client_id": "C2"')
    with pytest.raises(InvalidInputError, match=r'\[0\]\.enrolment: duplicate keys "client_id"'):
        parse_input(text)
