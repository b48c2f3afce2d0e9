"""The ``finalise`` input as JSON Lines: one ``{"enrolment": …, "event": …}`` object per line.

For inputs of millions of units: an SMS can write (and ``split``/``cat``/``grep``) one enrolment per line instead
of one giant array, and each line is parsed, checked and turned into model objects on its own, so its parsed
JSON is dropped before the next line is read rather than a whole document's tree held at once. Every line is
held to exactly what an element of the JSON array is held to (:func:`avetmiss_finalise.jsonio.parse_input`: the
same limits, text policy, strict converter and value checks); a problem is located by its line number and its
path within the line, ``line 3: event.date: expected ISO date (YYYY-MM-DD), got "31/12/2026"``, and every bad
line is reported, not only the first. Blank lines (and a final newline) are skipped; items are numbered
``[0]``, ``[1]`` … in the order of the lines that hold them, as in an array.
"""

from __future__ import annotations

import re

import cattrs

from avetmiss_finalise.errors import UsageTypeError
from avetmiss_finalise.jsonfast import MODEL_DEPTH, fast_item, plain_text
from avetmiss_finalise.jsonio import (
    _CONVERTER,
    InputItem,
    InvalidInputError,
    _format,
    _located,
    _show,
    _text_kind,
    _value_problems,
)
from avetmiss_finalise.jsonload import InvalidJSONError, check_json, parse_json
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits

__all__ = ["JSON_LINES_SUFFIXES", "parse_input_lines"]

#: File suffixes the ``finalise`` command reads as JSON Lines (any other file is one JSON array).
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")

_PARSER_PLACE = re.compile(r"^line 1 column (\d+): ")


def _item_problems(
    line: str, limits: Limits, transliterate: bool, fast: bool = False
) -> tuple[InputItem | None, list[str]]:
    """(the line's item, []) or (None, its problems with paths relative to the item). A plainly valid line
    (:mod:`avetmiss_finalise.jsonfast`) is built without the converter; any other is checked and worded as before."""
    try:
        data = parse_json(line, limits)
        if fast and (item := fast_item(data)) is not None:
            return item, []
        data = check_json(data, limits=limits, policy=_text_kind, transliterate=transliterate)
    except InvalidJSONError as exc:
        return None, [_PARSER_PLACE.sub(r"column \1: ", p) for p in exc.problems]
    if not isinstance(data, dict):
        return None, [f"(top level): expected an object with enrolment and event, got {_show(data)}"]
    try:
        item = _CONVERTER.structure(data, InputItem)
    except Exception as exc:  # cattrs raises exception groups of many kinds; all are reported, none escape
        found = _located(cattrs.transform_error(exc, format_exception=_format))
        return None, [p.removeprefix(".") for p in found]
    return item, [p.removeprefix("[0].") for p in _value_problems([item])]


def parse_input_lines(
    text: str, *, limits: Limits = DEFAULT_LIMITS, transliterate: bool = False, _fast: bool = True
) -> list[InputItem]:
    """Parse the ``finalise`` input written as JSON Lines; raises :class:`InvalidInputError` whose ``problems``
    are ``line N: path: message`` (every bad line, in order) and whose ``lines`` are those line numbers.
    ``_fast=False`` checks every line the converter's way (tests compare the two)."""
    if not isinstance(text, str):
        raise UsageTypeError(f"parse_input_lines expects the JSON Lines text as a str, not {type(text).__name__}")
    fast = _fast and limits.max_json_depth >= MODEL_DEPTH - 1 and plain_text(text)  # a line is one item: 4 deep
    items: list[InputItem] = []
    problems: list[str] = []
    numbers: list[int] = []
    start, number = 0, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].removesuffix("\r")
        start, number = end + 1, number + 1
        if not line.strip(" \t"):
            continue
        item, found = _item_problems(line, limits, transliterate, fast)
        if item is not None and not found:
            items.append(item)
            continue
        problems += [f"line {number}: {p}" for p in found]
        numbers += [number] * len(found)
    if problems:
        raise InvalidInputError(problems, lines=numbers)
    return items
