"""Untrusted JSON in: parsed within limits, every problem located by its path, never a traceback.

``json.loads`` alone fails badly on hostile input: 100,000 nested arrays give a RecursionError, a 5,000-digit
integer a ValueError (Python's integer-string limit), ``NaN`` and ``Infinity`` are accepted although JSON has
none, a key named twice silently keeps its last value, and NUL, ESC or U+0085 pass into the data and from there
into NAT files and terminals. :func:`load_json` refuses each with a located message, ``[3].event.date: …``:

* nesting deeper than ``Limits.max_json_depth`` (located by line and column when the parser's own recursion
  limit is hit first);
* integers of more than ``Limits.max_json_int_digits`` digits, ``NaN``/``Infinity`` and numbers that overflow;
* duplicate keys;
* with a :data:`TextPolicy`: characters a field cannot hold. NAT fields hold printable ASCII only (an explicit
  ``transliterate`` writes ``é`` as ``e``); free-text fields (``reason``) may hold any letter but no control
  characters.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

from avetmiss_finalise.errors import AvetmissError
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "MAX_PROBLEMS",
    "InvalidJSONError",
    "TextKind",
    "TextPolicy",
    "check_json",
    "describe_char",
    "load_json",
    "parse_json",
    "path_join",
    "shown",
    "to_ascii",
]

#: Problems listed at most (then "… and N more"): a hostile input must not produce a million lines.
MAX_PROBLEMS = 100

TextKind = Literal["nat", "text", "any"]
#: Decides, from the key a string sits under (``None`` in an array), which characters it may hold.
TextPolicy = Callable[[str | None], TextKind]

#: Letters NFKD does not decompose into ASCII, written the way Australian registers write them.
_EXTRA_ASCII = {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
_EXTRA_ASCII |= {"œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}
_EXTRA_ASCII |= {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}


class InvalidJSONError(AvetmissError, ValueError):
    """The JSON is malformed or over a limit; ``problems`` lists each, located (``[3].event.date: …``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


class _Refused:
    """What the number hooks return for a number that must not become a Python value (reported by path)."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why


class _Duplicated(dict[str, Any]):
    """An object that named some key more than once (``json`` would silently keep the last value)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    dup = _Duplicated(obj)
    dup.duplicates = tuple(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return dup


def describe_char(ch: str) -> str:
    """``U+001B (ESC)``, ``U+00E9 (LATIN SMALL LETTER E WITH ACUTE)`` — a character named for a message."""
    names = {0: "NUL", 0x09: "TAB", 0x0A: "LF", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}
    name = names.get(ord(ch)) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def to_ascii(text: str) -> str | None:
    """``text`` with letters written in ASCII (``é`` → ``e``, ``ß`` → ``ss``), or ``None`` if some character has
    no ASCII form. Only printable characters are transliterated; control characters are never made to vanish."""
    out = []
    for ch in text:
        if 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
            continue
        if ch in _EXTRA_ASCII:
            out.append(_EXTRA_ASCII[ch])
            continue
        if unicodedata.category(ch)[0] == "C":
            return None
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if not base or not all(0x20 <= ord(c) < 0x7F for c in base):
            return None
        out.append(base)
    return "".join(out)


def path_join(where: str, key: str | int) -> str:
    """``[3]`` + ``event`` → ``[3].event``; keys that are not plain names are quoted (``["a b"]``)."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    if key.isidentifier() and key.isascii():
        return f"{where}.{key}" if where else key
    return f"{where}[{json.dumps(key)}]"


def shown(value: str, width: int = 60) -> str:
    """``value`` as a JSON string for a message (control characters escaped), cut to about ``width``."""
    return json.dumps(value if len(value) <= width else value[:width] + "…")


def _text_problem(value: str, kind: TextKind, transliterate: bool) -> tuple[str | None, str | None]:
    """(replacement or None, problem or None) for one string under ``kind``."""
    if kind == "any" or (value.isascii() and value.isprintable()):
        return None, None
    for pos, ch in enumerate(value):
        code = ord(ch)
        if 0x20 <= code < 0x7F:
            continue
        category = unicodedata.category(ch)
        if category == "Cs":
            return None, f"expected text, got {shown(value)} (an unpaired surrogate)"
        if category[0] == "C" or ch in "\u2028\u2029":
            return None, f"{shown(value)}: control character {describe_char(ch)} at position {pos + 1}; not allowed"
        if kind == "text":
            continue
        ascii_ = to_ascii(value)
        if transliterate and ascii_ is not None:
            return ascii_, None
        hint = f" (--transliterate writes it as {json.dumps(ascii_)})" if ascii_ is not None else ""
        return None, (
            f"{shown(value)}: {describe_char(ch)} at position {pos + 1} cannot be written to a NAT file, which holds"
            f" printable ASCII only{hint}"
        )
    return None, None


def _scan_depth(text: str, limit: int) -> str:
    """Where nesting first goes past ``limit`` (``line L column C``), found without recursion."""
    depth, line, col, in_string, escape = 0, 1, 0, False, False
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        if in_string:
            escape = not escape and ch == "\\"
            in_string = escape or ch != '"'
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return f"line {line} column {col}"
        elif ch in "]}":
            depth -= 1
    return "(top level)"


def _parse(text: str, limits: Limits) -> Any:
    digits = limits.max_json_int_digits

    def parse_int(s: str) -> int | _Refused:
        n = len(s) - s.startswith("-")
        if n > digits:
            return _Refused(f"an integer of {n:,} digits; at most {digits} are allowed (--max-json-int-digits)")
        return int(s)

    def parse_float(s: str) -> float | _Refused:
        value = float(s)
        return value if math.isfinite(value) else _Refused(f"a number too large to hold ({s[:20]}…)")

    def parse_constant(s: str) -> _Refused:
        return _Refused(f"{s} is not a JSON number")

    try:
        return json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=parse_constant,
        )
    except json.JSONDecodeError as exc:
        raise InvalidJSONError([f"line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"]) from None
    except RecursionError:
        where = _scan_depth(text, limits.max_json_depth)
        raise InvalidJSONError(
            [f"{where}: JSON nested more than {limits.max_json_depth} levels deep (--max-json-depth)"]
        ) from None


def load_json(
    text: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    policy: TextPolicy | None = None,
    transliterate: bool = False,
) -> Any:
    """Parse ``text`` as JSON within ``limits``; with ``policy``, check (or transliterate) every string and key.

    Raises :class:`InvalidJSONError` listing every problem with its path.
    """
    return check_json(parse_json(text, limits), limits=limits, policy=policy, transliterate=transliterate)


def parse_json(text: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The first half of :func:`load_json`: ``text`` parsed, the parser's own problems raised (malformed JSON,
    nesting past the parser's recursion), the others left in place for :func:`check_json` to report — a number it
    must refuse as a ``_Refused`` value, an object with a duplicated key as a ``dict`` subclass. A caller that
    vouches for the data by its exact types (:mod:`avetmiss_finalise.jsonfast`) may skip ``check_json``."""
    return _parse(text, limits)


def check_json(
    data: Any, *, limits: Limits = DEFAULT_LIMITS, policy: TextPolicy | None = None, transliterate: bool = False
) -> Any:
    """The second half of :func:`load_json`: every problem of the parsed ``data`` located (depth, numbers,
    duplicate keys, and with ``policy`` the characters of each string and key), or ``data`` (transliterated)."""
    problems: list[str] = []
    # Paths are built only for what is reported: a node's place is kept as (parent place, key) and rendered on a
    # problem, so a clean input of a million values joins no path strings (a quarter of finalise's parse time).
    stack: list[tuple[Any, _Place, int]] = [(data, None, 1)]
    while stack:
        node, place, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if depth > limits.max_json_depth:
            problems.append(
                f"{_where(place) or '(top level)'}: nested more than {limits.max_json_depth} levels deep"
                " (--max-json-depth)"
            )
            continue
        if isinstance(node, _Duplicated):
            names = ", ".join(json.dumps(k) for k in node.duplicates)
            problems.append(f"{_where(place) or '(top level)'}: duplicate keys {names}: only one value each is allowed")
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        renamed: dict[str, str] = {}
        for key, value in items:
            if isinstance(key, str) and policy is not None and not (key.isascii() and key.isprintable()):
                new, problem = _text_problem(key, policy(None), transliterate)
                if problem:
                    problems.append(f"{_where((place, key))}: key {problem}")
                elif new is not None:
                    renamed[key] = new
            if type(value) is str:
                if policy is None or (value.isascii() and value.isprintable()):
                    continue
                new, problem = _text_problem(value, policy(key if isinstance(key, str) else None), transliterate)
                if problem:
                    problems.append(f"{_where((place, key))}: {problem}")
                elif new is not None:
                    node[key] = new
            elif isinstance(value, _Refused):
                problems.append(f"{_where((place, key))}: {value.why}")
            elif isinstance(value, dict | list):
                stack.append((value, (place, key), depth + 1))
        if renamed and isinstance(node, dict):
            pairs = [(renamed.get(k, k), v) for k, v in node.items()]
            node.clear()
            node.update(pairs)
            if len(node) < len(pairs):
                problems.append(f"{_where(place) or '(top level)'}: keys are the same once transliterated")
    if isinstance(data, _Refused):
        problems.append(f"(top level): {data.why}")
    if problems:
        problems.sort(key=_path_order)
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS], f"… and {len(problems) - MAX_PROBLEMS} more problems"]
        raise InvalidJSONError(problems)
    return data


_Place = tuple[Any, str | int] | None
"""Where a node is: ``None`` for the top level, else (the parent's place, the key or index under it)."""


def _where(place: _Place) -> str:
    """A place as a path, ``[3].event.date`` (``""`` at the top level), joined as :func:`path_join` joins it."""
    keys: list[str | int] = []
    while place is not None:
        place, key = place
        keys.append(key)
    where = ""
    for key in reversed(keys):
        where = path_join(where, key)
    return where


def _path_order(problem: str) -> tuple[int, ...]:
    """Problems in document order: by the array indexes in their paths, then as found."""
    head = problem.split(":", 1)[0]
    return tuple(int(part) for part in head.replace("]", "[").split("[") if part.isdigit())
