"""What an auditor asks of a validation report: which tool and rule set, which rules ran and which did not (and
why), with which options, over exactly which bytes, and when.

The core stays clock-free: :class:`RunInfo` (time generated, duration, host) is filled in at the edge that reads
the clock — the CLI — and is ``None`` in a report made by ``validate()`` until the caller adds it
(``attrs.evolve(report, run=RunInfo(...))``). Everything else is known to the engine: the rule plan, the options,
the inputs (name, size and SHA-256 of each file as read, when read from disk).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from typing import Any

import attrs

from avetmiss_finalise.validation.options import ValidationOptions

__all__ = ["TOOL_NAME", "InputFile", "RunInfo", "audit_dict", "options_dict"]

TOOL_NAME = "avetmiss-finalise"


@attrs.frozen(kw_only=True)
class InputFile:
    """One NAT file validated: ``name`` as found, ``size`` in bytes and ``sha256`` of the bytes read (``None`` for
    frames given in memory), ``records`` validated."""

    file_id: str
    records: int
    name: str | None = None
    size: int | None = None
    sha256: str | None = None


@attrs.frozen(kw_only=True)
class RunInfo:
    """Facts of one run that only the edge knows: when (an aware datetime), how long (seconds), where (host name)."""

    generated_at: datetime.datetime | None = None
    duration_seconds: float | None = None
    hostname: str | None = None


def _plain(value: Any) -> Any:
    if hasattr(value, "label"):  # Severity
        return value.label
    if isinstance(value, os.PathLike):  # a reference directory not loaded yet
        return os.fspath(value)
    if hasattr(value, "files") and hasattr(value, "ignored"):  # loaded reference data: its files (reference_files)
        return [f.name for f in value.files]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    return value


def options_dict(options: ValidationOptions, rules: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Every switch in force as plain data, plus ``rules`` (the ids a run was limited to; ``None``: all)."""
    out = {a.name: _plain(getattr(options, a.name)) for a in attrs.fields(ValidationOptions)}
    out["rules"] = None if rules is None else sorted(rules)
    return out


def audit_dict(
    *,
    tool_version: str,
    catalogue_version: str,
    options: ValidationOptions,
    rules_selected: tuple[str, ...] | None,
    inputs: tuple[InputFile, ...],
    rules_run: tuple[str, ...] | None,
    rules_skipped: Mapping[str, str],
    run: RunInfo | None,
) -> dict[str, Any]:
    """The audit keys of the JSON report (schema 1.2; docs/report-schema.md)."""
    return {
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "rule_catalogue": {"version": catalogue_version},
        "generated_at": None if run is None or run.generated_at is None else run.generated_at.isoformat(),
        "duration_seconds": None if run is None else run.duration_seconds,
        "hostname": None if run is None else run.hostname,
        "options": options_dict(options, rules_selected),
        "inputs": [
            {"file": i.file_id, "name": i.name, "size": i.size, "records": i.records, "sha256": i.sha256}
            for i in inputs
        ],
        "rules_run": [] if rules_run is None else list(rules_run),
        "rules_skipped": dict(sorted(rules_skipped.items())),
    }
