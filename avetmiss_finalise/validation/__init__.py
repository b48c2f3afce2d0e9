"""Offline AVETMISS validation: ``validate(collection_or_path, period=..., profile=...)`` → :class:`Report`.

Importing this package registers every rule (file/field rules here; record, cross-file, period and NSW rules
alongside) in :data:`REGISTRY`; ``avetmiss-finalise rules`` and docs/rules.md list them.
"""

from __future__ import annotations

import importlib

# Import the NAT layer before profiles: ``nat.collection`` imports ``profiles``, which imports ``nat.layouts``;
# starting from ``nat`` keeps that cycle resolvable whichever module a caller imports first.
import avetmiss_finalise.nat  # noqa: F401
from avetmiss_finalise.validation import rules_fields
from avetmiss_finalise.validation.engine import parse_period, validate
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import REGISTRY, Context, Hit, Period, Rule
from avetmiss_finalise.validation.report import Report

__all__ = [
    "REGISTRY",
    "Context",
    "Hit",
    "Period",
    "Report",
    "Rule",
    "ValidationOptions",
    "parse_period",
    "validate",
]

# Record, cross-file, period and NSW rules are written alongside (helper E); imported once they exist.
for _name in ("rules_records", "rules_crossfile", "rules_period", "rules_nsw"):
    try:
        importlib.import_module(f"avetmiss_finalise.validation.{_name}")
    except ModuleNotFoundError as _exc:  # pragma: no cover - transitional
        if _exc.name != f"avetmiss_finalise.validation.{_name}":
            raise
del rules_fields
