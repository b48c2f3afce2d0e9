"""JSON at the edge: one cattrs converter for the model, events and results, plus the input JSON Schema.

Validation belongs here, not in the model: the converter is strict (no silent ``20`` → ``"20"``, ISO dates only,
unknown keys are errors) and collects *every* problem with its path, rendered as
``[3].event.date: expected ISO date, got "31/12/2026"`` — never a traceback.
"""

from __future__ import annotations

import datetime
import enum
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError

from avetmiss_finalise.errors import AvetmissError, UsageTypeError
from avetmiss_finalise.jsonfast import MODEL_DEPTH, fast_items, plain_text
from avetmiss_finalise.jsonload import InvalidJSONError, TextKind, check_json, parse_json, shown
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    Event,
    ProgramEnrolment,
    Transition,
    Withdrawal,
    WithdrawalStatus,
)

__all__ = [
    "EVENT_TYPES",
    "InputItem",
    "InvalidInputError",
    "event_type",
    "input_schema",
    "make_converter",
    "parse_input",
    "unstructure",
    "unstructure_event",
]

#: ``event.type`` → event class (the JSON discriminator).
EVENT_TYPES: Mapping[str, type[Completion | Withdrawal | Deferral | Transition]] = types.MappingProxyType(
    {"completion": Completion, "withdrawal": Withdrawal, "deferral": Deferral, "transition": Transition}
)
_TYPE_OF = {cls: name for name, cls in EVENT_TYPES.items()}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Fields holding a two-character *Outcome identifier – national*.
_OUTCOME_FIELDS = frozenset({"outcome"})
#: Identifier fields: a blank one would write a NAT row (or a NAT00130 program) that names nothing.
_IDENTIFIER_FIELDS = frozenset(
    {
        "training_organisation_id",
        "client_id",
        "program_id",
        "commitment_id",
        "subject_id",
        "delivery_location_id",
        "current_program_id",
        "new_commitment_id",
        "previous_program_ids",
        "unit_map",
    }
)
_NOT_BLANK = r"\S"


class InvalidInputError(AvetmissError, ValueError):
    """The input JSON is malformed or does not fit the model; ``problems`` lists every one, located. From JSON
    Lines (:func:`avetmiss_finalise.jsonl.parse_input_lines`) ``lines`` holds each problem's line number."""

    def __init__(self, problems: Sequence[str], lines: Sequence[int] = ()) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)
        self.lines = tuple(lines)


class _BadValue(ValueError):
    """A value error whose message is already the one to show."""


@attrs.frozen(kw_only=True)
class InputItem:
    """One element of the ``finalise`` input array."""

    enrolment: ProgramEnrolment
    event: Event


def event_type(event: Event) -> str:
    """The JSON ``type`` of ``event``."""
    return _TYPE_OF[type(event)]


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return json.dumps(value) if isinstance(value, str | int | float | bool | None) else type(value).__name__


def _date(value: object, _: object) -> datetime.date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _BadValue(f"expected ISO date (YYYY-MM-DD), got {_show(value)}")


def _str(value: object, _: object) -> str:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone "\ud800" escape: not text, cannot be printed or written
            raise _BadValue(f"expected text, got {json.dumps(value)} (an unpaired surrogate)") from None
        return value
    raise _BadValue(f"expected a string, got {_show(value)}")


def _int(value: object, _: object) -> int:
    # Every integer of the model is a count (hours, dollars): a negative one is a typo, not data to write.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _BadValue(f"expected a whole number >= 0, got {_show(value)}")


def _bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _BadValue(f"expected true or false, got {_show(value)}")


def _enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in cls)
        raise _BadValue(f"expected one of {choices}, got {_show(value)}") from None


def unstructure_event(event: Event) -> dict[str, Any]:
    """``event`` as JSON-ready data, ``type`` first."""
    fields = {a.name: getattr(event, a.name) for a in attrs.fields(type(event))}
    body = {k: _CONVERTER.unstructure(v) for k, v in fields.items()}
    return {"type": event_type(event), **body}


def _is_tuple(tp: object) -> bool:
    return typing.get_origin(tp) is tuple


def _is_mapping(tp: object) -> bool:
    return tp is Mapping or typing.get_origin(tp) is Mapping


def make_converter() -> cattrs.Converter:
    """The one converter: strict scalars, ISO dates, enums by value, events tagged by ``type``, no extra keys."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(datetime.date, _date)
    conv.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    # cattrs would turn any iterable into a tuple: "BSB40120" into its characters, {} into (). Arrays only.
    structure_tuple = conv.get_structure_hook(tuple[str, ...])

    def strict_tuple(value: object, tp: Any) -> Any:
        if not isinstance(value, list):
            raise _BadValue(f"expected an array, got {_show(value)}")
        return structure_tuple(value, tp)

    conv.register_structure_hook_func(_is_tuple, strict_tuple)
    # Each enum by its own class: a StrEnum is also a str, and dispatch would otherwise pick the str hook.
    for enum_cls in (EnrolmentStatus, WithdrawalStatus):
        conv.register_structure_hook(enum_cls, _enum)
    conv.register_unstructure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda e: e.value)
    conv.register_unstructure_hook_func(_is_mapping, lambda m: {k: conv.unstructure(v) for k, v in m.items()})

    def structure_event(value: object, _: object) -> Event:
        if not isinstance(value, dict):
            raise _BadValue(f"expected an object, got {_show(value)}")
        kind = value.get("type")
        if not isinstance(kind, str) or kind not in EVENT_TYPES:
            raise _BadValue(f"event type: expected one of {', '.join(EVENT_TYPES)}, got {_show(kind)}")
        body = {k: v for k, v in value.items() if k != "type"}
        return conv.structure(body, EVENT_TYPES[kind])

    conv.register_structure_hook(Event, structure_event)
    conv.register_unstructure_hook(Event, unstructure_event)
    for cls in EVENT_TYPES.values():
        conv.register_unstructure_hook(cls, unstructure_event)
    return conv


_CONVERTER = make_converter()


def _format(exc: BaseException, typ: object) -> str:
    if isinstance(exc, _BadValue):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = (k if k.isidentifier() and k.isascii() else shown(k) for k in sorted(exc.extra_fields))
        return f"unknown keys: {', '.join(keys)}"
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, AttributeError | TypeError) and typ is not None and attrs.has(typ):  # type: ignore[arg-type]
        return "expected an object"
    return cattrs.v.format_exception(exc, typ)  # type: ignore[arg-type]


def _located(messages: list[str]) -> list[str]:
    """cattrs' ``message @ $[3].event.date`` → ``[3].event.date: message``."""
    out = []
    for m in messages:
        msg, _, path = m.rpartition(" @ ")
        out.append(f"{path.removeprefix('$') or '(top level)'}: {msg}")
    return out


def _blank_identifiers(obj: attrs.AttrsInstance, where: str) -> list[str]:
    """``where.field: …`` for each identifier field of ``obj`` (an attrs instance) that is empty or only spaces."""
    problems = []
    for a in attrs.fields(type(obj)):
        if a.name not in _IDENTIFIER_FIELDS:
            continue
        value = getattr(obj, a.name)
        if isinstance(value, str):
            values = [("", value)]
        elif isinstance(value, Mapping):
            values = [(f"[{json.dumps(k)}]", v) for k, v in value.items()]
        else:
            values = [(f"[{k}]", v) for k, v in enumerate(value or ())]
        problems += [
            f"{where}.{a.name}{sub}: expected an identifier, got {_show(v)}"
            for sub, v in values
            if isinstance(v, str) and not v.strip()
        ]
    return problems


def _value_problems(items: Sequence[InputItem]) -> list[str]:
    """What the types alone do not say: two-character outcomes, identifiers that are not blank."""
    problems = []
    for i, item in enumerate(items):
        problems += _blank_identifiers(item.enrolment, f"[{i}].enrolment")
        units = [(f"[{i}].enrolment.units", item.enrolment.units)]
        if isinstance(item.event, Transition):
            problems += _blank_identifiers(item.event, f"[{i}].event")
            units.append((f"[{i}].event.current_units", item.event.current_units))
        for where, group in units:
            for j, u in enumerate(group):
                if u.outcome is not None and len(u.outcome) != 2:
                    problems.append(f"{where}[{j}].outcome: expected a two-character outcome, got {_show(u.outcome)}")
                problems += _blank_identifiers(u, f"{where}[{j}]")
    return problems


#: Free-text fields: any letter is fine (they go to decisions.json, never to a NAT file); control characters
#: are still refused.
_FREE_TEXT_FIELDS = frozenset({"reason", "status_reason"})


def _text_kind(key: str | None) -> TextKind:
    return "text" if key in _FREE_TEXT_FIELDS else "nat"


def parse_input(
    text: str, *, limits: Limits = DEFAULT_LIMITS, transliterate: bool = False, _fast: bool = True
) -> list[InputItem]:
    """Parse the ``finalise`` input (a JSON array of ``{"enrolment": …, "event": …}``); every problem located.

    Within ``limits`` (nesting depth, integer digits); a key named twice in one object is an error (plain
    ``json`` would keep the last value and lose the first); strings bound for NAT files must be printable ASCII
    (``transliterate=True`` writes ``é`` as ``e`` instead of refusing it), free text (``reason``) may hold any
    letter, and no string may hold a control character (NUL, ESC, DEL, U+0085, …).

    A plainly valid input (:mod:`avetmiss_finalise.jsonfast`) is built without the converter; any other takes
    the checked path below, which words every problem. ``_fast=False`` forces that path (tests compare the two).
    """
    if not isinstance(text, str):
        raise UsageTypeError(f"parse_input expects the JSON text as a str, not {type(text).__name__}")
    plain = _fast and limits.max_json_depth >= MODEL_DEPTH and plain_text(text)
    try:
        data = parse_json(text, limits)
        if plain and (fast := fast_items(data)) is not None:
            return fast
        data = check_json(data, limits=limits, policy=_text_kind, transliterate=transliterate)
    except InvalidJSONError as exc:
        raise InvalidInputError(list(exc.problems)) from None
    if not isinstance(data, list):
        raise InvalidInputError([f"(top level): expected a JSON array of enrolment/event pairs, got {_show(data)}"])
    try:
        items = _CONVERTER.structure(data, list[InputItem])
    except Exception as exc:  # cattrs raises exception groups of many kinds; all are reported, none escape
        raise InvalidInputError(_located(cattrs.transform_error(exc, format_exception=_format))) from None
    problems = _value_problems(items)
    if problems:
        raise InvalidInputError(problems)
    return items


def unstructure(value: object) -> Any:
    """Any model/result value as JSON-ready data (dates ISO, enums by value, events tagged)."""
    return _CONVERTER.unstructure(value)


# --- JSON Schema -----------------------------------------------------------------------------------------------

_SCHEMA_ID = "https://example.com/avetmiss-finalise/finalise-input.schema.json"


def _type_schema(tp: object, defs: dict[str, Any], name: str = "") -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_null = [a for a in args if a is not type(None)]
        inner = _type_schema(non_null[0], defs, name) if len(non_null) == 1 else {"anyOf": []}
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
    if tp is str:
        if name in _OUTCOME_FIELDS:
            return {"type": "string", "minLength": 2, "maxLength": 2}
        return {"type": "string", "pattern": _NOT_BLANK} if name in _IDENTIFIER_FIELDS else {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer", "minimum": 0}
    if tp is datetime.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs, name)}
    if origin in (Mapping, dict):
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs, name)}
    if attrs.has(tp):  # type: ignore[arg-type]
        assert isinstance(tp, type)
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}
            defs[tp.__name__] = _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - guarded by tests over the whole model


def _class_schema(cls: type, defs: dict[str, Any], tag: str | None = None) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    if tag is not None:
        props["type"] = {"const": tag}
    required = [] if tag is None else ["type"]
    for a in attrs.fields(cls):
        props[a.name] = _type_schema(hints[a.name], defs, a.name)
        if a.default is attrs.NOTHING:
            required.append(a.name)
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    return {
        "type": "object",
        "description": doc,
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def input_schema() -> dict[str, Any]:
    """The draft 2020-12 JSON Schema of the ``finalise`` input, derived from the attrs model (never by hand)."""
    defs: dict[str, Any] = {}
    _type_schema(ProgramEnrolment, defs)
    for name, cls in EVENT_TYPES.items():
        defs[cls.__name__] = _class_schema(cls, defs, tag=name)
    defs["Event"] = {"oneOf": [{"$ref": f"#/$defs/{cls.__name__}"} for cls in EVENT_TYPES.values()]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "avetmiss-finalise finalise input",
        "description": "A JSON array of enrolment/event pairs; field names are the attrs model's, dates ISO. A .jsonl "
        "or .ndjson input (JSON Lines) holds the same pairs one per line: each line is one instance of items.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"enrolment": {"$ref": "#/$defs/ProgramEnrolment"}, "event": {"$ref": "#/$defs/Event"}},
            "required": ["enrolment", "event"],
            "additionalProperties": False,
        },
        "$defs": dict(sorted(defs.items())),
    }
