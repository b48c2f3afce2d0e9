"""Offline AVETMISS validation: ``validate(collection_or_path, period=..., profile=...)`` → :class:`Report`.

Importing this package registers every rule in :data:`REGISTRY` — file-level rules (``rules_files``), field-level
rules by file (``rules_organisation``, ``rules_programs``, ``rules_clients``, ``rules_usi``, ``rules_client_details``,
``rules_activity_fields``), NAT00120 record rules (``rules_records``), cross-file rules (``rules_crossfile``),
collection-period rules (``rules_period``), NSW Smart and Skilled rules (``rules_nsw``), the "every record is used"
rules (``rules_usage``), QLD rules (``rules_qld``) and the rules that need reference data the user supplies
(``rules_places``, ``rules_register``, ``rules_specific_funding``; see :mod:`avetmiss_finalise.reference`).
``avetmiss-finalise rules`` and docs/rules.md list them.
"""

from __future__ import annotations

# Registration order is the order in which rules run, and so the order of their findings in a report: kept as it
# was when the file- and field-level rules were one module (rules_fields), hence no sorting here.
# isort: off
from avetmiss_finalise.validation import (  # noqa: F401 - imported to register their rules
    rules_crossfile,
    rules_enforced,
    rules_files,
    rules_organisation,
    rules_programs,
    rules_clients,
    rules_usi,
    rules_client_details,
    rules_activity_fields,
    rules_nsw,
    rules_period,
    rules_records,
    rules_usage,
    rules_qld,
    rules_places,
    rules_register,
    rules_specific_funding,
)

# isort: on
from avetmiss_finalise.validation.engine import parse_period, validate
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.partitions import merge_reports, partition_by_client, reference_keys
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
    "merge_reports",
    "parse_period",
    "partition_by_client",
    "reference_keys",
    "validate",
]
