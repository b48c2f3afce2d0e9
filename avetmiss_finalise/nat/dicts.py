"""Records ⇄ plain dicts / JSON with cattrs: dates as ISO strings, ``unparsed`` as a plain dict."""

from __future__ import annotations

import datetime
from types import MappingProxyType

import cattrs

__all__ = ["converter", "make_converter"]


def _date(value: object, _: object) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def make_converter() -> cattrs.Converter:
    """A converter whose unstructured records are JSON-ready (ISO dates) and structure back equal."""
    conv = cattrs.Converter()
    conv.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    conv.register_structure_hook(datetime.date, _date)
    conv.register_unstructure_hook(MappingProxyType, dict)
    return conv


#: The shared converter: ``converter.unstructure(record)`` → dict; ``converter.structure(d, NAT00120)``.
converter = make_converter()
