"""The ``finalise`` input's common shape, turned into model objects without cattrs: a fast path with a fallback.

:func:`avetmiss_finalise.jsonio.parse_input` walks every parsed value for the text policy, then structures it with
cattrs (a generated function per class, with detailed validation), then checks identifiers and outcomes: about
2.4 s of a 100,000-unit command's 6.5 s. Almost every real input is *plainly valid*: printable ASCII, no escapes,
every key known, every value of its declared type, no transition. For such an input nothing the walk, the
converter or the value checks could report can be there, so :func:`fast_items` builds the same
:class:`~avetmiss_finalise.jsonio.InputItem` objects by calling the model's constructors directly.

It *vouches* only for what it fully checks, and returns ``None`` at the first doubt; the caller then takes the
existing path, which finds and words every problem exactly as before (the messages are that path's, never this
module's). "Plainly valid" means all of:

* the text is ASCII with no backslash and no DEL: every decoded string is then printable ASCII, so the text
  policy (NAT fields printable ASCII, no control characters, no unpaired surrogates) has nothing to say;
* the JSON parser's own checks passed (:func:`avetmiss_finalise.jsonload.parse_json`: depth, integer digits,
  NaN/Infinity, number overflow, duplicate keys) and the depth limit admits the model's deepest value (5 levels:
  array, item, enrolment, units, unit);
* every object is a plain ``dict`` (a duplicated key makes another class), with only the model's keys and
  every required one; every value has exactly its field's JSON type (a string is a ``str``, a count an ``int``
  ``>= 0`` and never a ``bool``, a date ``YYYY-MM-DD`` and a real day, an enum one of its values);
* identifiers are not blank and an outcome has two characters (what ``_value_problems`` checks);
* no event is a transition (those keep the converter: they are few, and their shape is deeper).

A property test (``tests/test_jsonfast.py``) holds both paths equal on generated inputs and on inputs mutated to
break each rule above: equal items, or the same problems.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    ProgramEnrolment,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)

__all__ = ["MODEL_DEPTH", "fast_item", "fast_items", "plain_text"]

#: The deepest value of a non-transition item, counting the top-level array as 1 (a unit object is 5).
MODEL_DEPTH = 5


class _Doubt(Exception):
    """Raised inside the fast structurer at the first value it cannot vouch for."""


def plain_text(text: str) -> bool:
    """Whether every string the JSON text decodes to is printable ASCII (no escapes, no DEL, ASCII only)."""
    return text.isascii() and "\\" not in text and "\x7f" not in text


def _str(v: object) -> str:
    if type(v) is not str:
        raise _Doubt
    return v


def _ident(v: object) -> str:
    if type(v) is not str or not v.strip():
        raise _Doubt
    return v


def _opt_str(v: object) -> str | None:
    return None if v is None else _str(v)


def _opt_ident(v: object) -> str | None:
    return None if v is None else _ident(v)


def _count(v: object) -> int:
    if type(v) is not int or v < 0:
        raise _Doubt
    return v


def _bool(v: object) -> bool:
    if type(v) is not bool:
        raise _Doubt
    return v


def _date(v: object) -> datetime.date:
    # The converter's rule: exactly YYYY-MM-DD (ASCII digits: the text is ASCII) and a real day.
    if type(v) is not str or len(v) != 10 or v[4] != "-" or v[7] != "-" or not (v[:4] + v[5:7] + v[8:]).isdigit():
        raise _Doubt
    try:
        return datetime.date.fromisoformat(v)
    except ValueError:
        raise _Doubt from None


def _opt_date(v: object) -> datetime.date | None:
    return None if v is None else _date(v)


def _enum_of(cls: type[EnrolmentStatus] | type[WithdrawalStatus]) -> Callable[[object], object]:
    members = {m.value: m for m in cls}

    def convert(v: object) -> object:
        if type(v) is not str or v not in members:
            raise _Doubt
        return members[v]

    return convert


def _hours(v: object) -> dict[str, int]:
    if type(v) is not dict:
        raise _Doubt
    return {_str(k): _count(n) for k, n in v.items()}


_Fields = Mapping[str, Callable[[object], Any]]
_NONE = type(None)
_S: frozenset[type] = frozenset({str})
_S0: frozenset[type] = frozenset({str, _NONE})
_N0: frozenset[type] = frozenset({int, _NONE})
_B: frozenset[type] = frozenset({bool})

#: Each unit field and the JSON types its value may have (a million units: one type test per value, no call);
#: what a type does not say is checked after (dates, blank identifiers, two-character outcomes, counts >= 0).
_UNIT_TYPES: Mapping[str, frozenset[type]] = {
    "subject_id": _S,
    "delivery_location_id": _S,
    "start_date": _S,
    "end_date": _S,
    "outcome": _S0,
    "hours_attended": _N0,
    "scheduled_hours": _N0,
    "delivery_mode": _S0,
    "predominant_delivery_mode": _S0,
    "funding_source_national": _S,
    "commencing_program_id": _S,
    "study_reason_id": _S0,
    "vet_in_schools_flag": _S,
    "specific_funding_id": _S0,
    "school_type_id": _S0,
    "funding_source_state": _S0,
    "client_tuition_fee": _N0,
    "fee_exemption_concession_type_id": _S0,
    "purchasing_contract_schedule_id": _S0,
    "training_contract_id": _S0,
    "client_id_apprenticeships": _S0,
    "associated_course_id": _S0,
    "reported": _B,
}
_UNIT_KEYS = frozenset(_UNIT_TYPES)
_COUNTS = ("hours_attended", "scheduled_hours", "client_tuition_fee")


def _unit(obj: object, days: dict[str, datetime.date]) -> UnitEnrolment:
    """One unit object as a ``UnitEnrolment``; ``days`` caches the dates already read (a batch repeats them)."""
    if type(obj) is not dict or not _UNIT_REQUIRED <= obj.keys() <= _UNIT_KEYS:
        raise _Doubt
    for key, value in obj.items():
        if type(value) not in _UNIT_TYPES[key]:
            raise _Doubt
    if not obj["subject_id"].strip() or not obj["delivery_location_id"].strip():
        raise _Doubt
    outcome = obj.get("outcome")
    if outcome is not None and len(outcome) != 2:
        raise _Doubt
    for key in _COUNTS:
        count = obj.get(key)
        if count is not None and count < 0:
            raise _Doubt
    fields = dict(obj)  # the parsed data stays as it was: the checked path may still need it
    for key in ("start_date", "end_date"):
        text = obj[key]
        day = days.get(text)
        if day is None:
            day = days[text] = _date(text)
        fields[key] = day
    return UnitEnrolment(**fields)


#: Each field of the enrolment and event classes and how its JSON value is checked.
_ENROLMENT: _Fields = {
    "training_organisation_id": _ident,
    "client_id": _ident,
    "program_id": _opt_ident,
    "commitment_id": _opt_ident,
    "status": _enum_of(EnrolmentStatus),
    "status_reason": _opt_str,
    "finalised_on": _opt_date,
}
_EVENTS: Mapping[str, tuple[type[Any], _Fields]] = {
    "completion": (
        Completion,
        {"date": _date, "credential_issued": _bool, "parchment_issue_date": _opt_date, "parchment_number": _opt_str},
    ),
    "withdrawal": (
        Withdrawal,
        {"date": _date, "status": _enum_of(WithdrawalStatus), "hours_attended": _hours, "reason": _opt_str},
    ),
    "deferral": (Deferral, {"date": _date, "resume_date": _opt_date, "reason": _opt_str}),
}


def _required(cls: type[Any]) -> frozenset[str]:
    return frozenset(a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING)


_UNIT_REQUIRED = _required(UnitEnrolment)
_ENROLMENT_REQUIRED = _required(ProgramEnrolment) - {"units"}
_EVENT_REQUIRED = {kind: _required(cls) | {"type"} for kind, (cls, _) in _EVENTS.items()}


def _checked(obj: object, fields: _Fields, required: frozenset[str], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The keyword arguments of one model object: every key known, every required one there, each value checked."""
    if type(obj) is not dict or not required <= obj.keys():
        raise _Doubt
    out = {}
    for key, value in obj.items():
        if key in skip:
            continue
        check = fields.get(key)
        if check is None:
            raise _Doubt
        out[key] = check(value)
    return out


def _item(obj: object, item_cls: type[Any], days: dict[str, datetime.date]) -> Any:
    if type(obj) is not dict or len(obj) != 2 or "enrolment" not in obj or "event" not in obj:
        raise _Doubt
    enrolment, event = obj["enrolment"], obj["event"]
    fields = _checked(enrolment, _ENROLMENT, _ENROLMENT_REQUIRED | {"units"}, skip=("units",))
    units = enrolment["units"]
    if type(units) is not list:
        raise _Doubt
    fields["units"] = tuple([_unit(u, days) for u in units])
    if type(event) is not dict:
        raise _Doubt
    kind = event.get("type")
    if type(kind) is not str or kind not in _EVENTS:
        raise _Doubt  # a transition, or an unknown type: the converter's path
    cls, event_fields = _EVENTS[kind]
    return item_cls(
        enrolment=ProgramEnrolment(**fields),
        event=cls(**_checked(event, event_fields, _EVENT_REQUIRED[kind], skip=("type",))),
    )


def fast_item(obj: object) -> Any | None:
    """One parsed ``{"enrolment", "event"}`` object as an ``InputItem``, or ``None`` when it is not plainly valid
    (the text it came from must pass :func:`plain_text`)."""
    from avetmiss_finalise.jsonio import InputItem  # jsonio imports this module

    try:
        return _item(obj, InputItem, {})
    except (_Doubt, TypeError, ValueError):  # a constructor's own refusal is a doubt too
        return None


def fast_items(data: object) -> list[Any] | None:
    """Every element of a parsed input array as an ``InputItem``, or ``None`` at the first one not plainly valid."""
    from avetmiss_finalise.jsonio import InputItem  # jsonio imports this module

    if type(data) is not list:
        return None
    days: dict[str, datetime.date] = {}
    try:
        return [_item(obj, InputItem, days) for obj in data]
    except (_Doubt, TypeError, ValueError):
        return None
