"""Offline AVETMISS validation: ``validate(collection_or_path, period=..., profile=...)`` → :class:`Report`.

Importing this package registers every rule in :data:`REGISTRY` — file and field rules (``rules_fields``),
NAT00120 record rules (``rules_records``), cross-file rules (``rules_crossfile``), collection-period rules
(``rules_period``) and NSW Smart and Skilled rules (``rules_nsw``). ``avetmiss-finalise rules`` and
docs/rules.md list them.
"""

from __future__ import annotations

from avetmiss_finalise.validation import (  # noqa: F401 - imported to register their rules
    rules_crossfile,
    rules_enforced,
    rules_fields,
    rules_nsw,
    rules_period,
    rules_records,
)
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
