"""``decisions.json``: what a batch decided, per enrolment, as ``json.dumps(document, indent=2)`` writes it.

A million units make a document of a few hundred megabytes. Built as one dict and dumped as one string it held
the whole document three times over (the dicts, the text, its UTF-8 bytes); :func:`decisions_chunks` instead
yields the same text a slice of enrolments at a time — the dicts of one slice are built, dumped and dropped
before the next — so ``BatchResult.write`` streams it to the staged file and peak memory does not grow with it.
The text is byte for byte ``json.dumps(decisions_document(...), indent=2)`` (``tests/test_batch.py``): each slice
is dumped by orjson when that gives the same text (ASCII without DEL; json.dumps escapes those characters, orjson
does not) and by ``json.dumps`` otherwise, then indented to its place in the document.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from avetmiss_finalise.decisions import UnitDecision
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.jsonio import event_type
from avetmiss_finalise.profiles import Profile

if TYPE_CHECKING:
    from avetmiss_finalise.batch import Outcome

__all__ = ["decisions_chunks", "decisions_document", "dumps"]

#: Enrolments per slice: big enough that orjson's call overhead vanishes, small enough that a slice's dicts and
#: its text, held a few times over (dumped, cut, indented, encoded), stay small. 2,000 (about 20 MB of text at ten
#: units each) cost the 100,000-unit command 150 MB of its peak and 0.3 s of system time against 200 (4 December
#: 2026, identical bytes; 50 gave the same peak).
SLICE = 200

_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> dict[str, Any]:
    """``attrs.asdict(obj)`` for the flat records of a decision (refusal, task, plan action): their fields hold
    strings and tuples of strings only, so a dict of the fields (tuples as lists) is the same, at a tenth of the
    cost. Anything else goes through ``attrs.asdict`` itself."""
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(a.name for a in attrs.fields(cls))
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            value = list(value)
        elif not isinstance(value, str | int | None):
            return attrs.asdict(obj)
        out[name] = value
    return out


def _issue_json(i: Issue) -> dict[str, Any]:
    return {
        "rule_id": i.rule_id,
        "severity": i.severity.label,
        "message": i.message,
        "field": i.field,
        "value": i.value,
    }


def _decision_json(d: UnitDecision) -> dict[str, Any]:
    return {
        "subject_id": d.subject_id,
        "program_id": d.program_id,
        "rule_id": d.rule_id,
        "reason": d.reason,
        "reported": d.reported,
        "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in d.changes],
    }


def _outcome_json(o: Outcome) -> dict[str, Any]:
    e = o.item.enrolment
    return {
        "index": o.index,
        "client_id": e.client_id,
        "program_id": e.program_id,
        "commitment_id": o.commitment_id,
        "input_commitment_id": e.commitment_id,
        "event": event_type(o.item.event),
        "event_date": o.item.event.date.isoformat(),
        "reason": getattr(o.item.event, "reason", None),
        "status": o.status,
        "ok": o.refusal is None,
        "refusal": None if o.refusal is None else _plain(o.refusal),
        "training_organisation_outcome": o.training_organisation_outcome,
        "nat00120_rows": len(o.rows),
        "nat00130": o.nat00130 is not None,
        "decisions": [_decision_json(d) for d in o.decisions],
        "tasks": [_plain(t) for t in o.tasks],
        "issues": [_issue_json(i) for i in o.issues],
        "plan_actions": [_plain(a) for a in o.actions],
        "plan_program_ids": list(o.program_ids),
    }


def decisions_document(outcomes: Sequence[Outcome], profile: Profile, reporting_date: datetime.date) -> dict[str, Any]:
    """The ``decisions.json`` document (a dict of JSON values)."""
    return {
        "profile": profile.name,
        "reporting_date": reporting_date.isoformat(),
        "enrolments": [_outcome_json(o) for o in outcomes],
    }


def dumps(doc: Any) -> str:
    """``json.dumps(doc, indent=2)``, byte for byte; orjson writes it about ten times faster, and its text is the
    same whenever it is ASCII without DEL (json.dumps escapes those characters, orjson does not)."""
    try:
        text = orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # a value orjson does not take (an integer beyond 64 bits): json.dumps says what
        return json.dumps(doc, indent=2)
    return text if text.isascii() and "\x7f" not in text else json.dumps(doc, indent=2)


def decisions_chunks(outcomes: Sequence[Outcome], profile: Profile, reporting_date: datetime.date) -> Iterator[str]:
    """The text of ``json.dumps(decisions_document(outcomes, profile, reporting_date), indent=2)``, in pieces.

    Each slice of enrolments is dumped as a JSON array (``[\\n  {…},\\n  {…}\\n]``); its brackets are dropped and
    every line indented two more spaces, which is where the items of ``"enrolments"`` stand in the document.
    """
    yield f'{{\n  "profile": {json.dumps(profile.name)},\n  "reporting_date": {json.dumps(reporting_date.isoformat())}'
    if not outcomes:
        yield ',\n  "enrolments": []\n}'
        return
    yield ',\n  "enrolments": [\n'
    for start in range(0, len(outcomes), SLICE):
        text = dumps([_outcome_json(o) for o in outcomes[start : start + SLICE]])
        inner = text[2:-2]  # "[\n" … "\n]"
        yield ("" if start == 0 else ",\n") + "  " + inner.replace("\n", "\n  ")
    yield "\n  ]\n}"
