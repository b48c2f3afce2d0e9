"""Check the NAT00120 rows a batch writes with the validator's own rules before they are written (issue #8).

The contract: rows ``finalise`` writes pass ``validate`` unless ``finalise`` warned about that unit under the same
rule ID. ``finalise`` carries some input faults through unchanged (a kept 40 with no hours, a mode that does not
fit the outcome, a specific funding id under another funding source …); rather than re-code those rules here, the
batch's rows are checked once, vectorised, by the registry's rules that need nothing but NAT00120 (the rules of
one record and the client-partitioned rules that compare a learner's rows with each other — the whole batch is
at hand), and every error or warning is attached to the outcome that writes the row, under the validator's rule ID
and with the severity the validator gave it (an error stays an error: the ``finalise`` command then exits 1),
unless ``finalise`` already named that unit under that rule.

Rules that read other files (NAT00060, NAT00080, NAT00085 …) cannot run on what ``finalise`` writes and are not
run. Messages hold codes and dates only, never names or USIs (NAT00120 holds neither).

Layering: below the CLI, above :mod:`avetmiss_finalise.outcomes` and :mod:`avetmiss_finalise.validation`;
imports pandas (through the validator), so :mod:`avetmiss_finalise.batch` imports it only when finalising.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.period import Period
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.engine import run_rules, selected_rules
from avetmiss_finalise.validation.keysets import CLIENT_PARTITIONED
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import Context, Rule, unmet_requirement

__all__ = ["RowFinding", "nat00120_only", "preflight_findings", "preflight_rules", "row_warnings", "unit_of"]

_FILE = "NAT00120"


def nat00120_only(r: Rule) -> bool:
    """Whether ``r`` reads nothing but NAT00120 rows: its files are NAT00120 alone, or it is one of the rules that
    compare a learner's NAT00120 rows with each other (X-11 names NAT00080 only as the owner of the client key)."""
    return r.check is not None and (r.files == (_FILE,) or r.id in CLIENT_PARTITIONED)


def preflight_rules(ctx: Context) -> tuple[Rule, ...]:
    """The validator's rules in force for ``ctx`` (profile, period) that can judge NAT00120 rows on their own."""
    return tuple(
        r for r in selected_rules(ctx.profile, ctx.options) if nat00120_only(r) and unmet_requirement(r, ctx) is None
    )


def unit_of(issue: Issue) -> str | None:
    """The unit an issue names (its message starts ``unit <SID>: ``), else ``None``."""
    text = issue.message
    return text.split(":", 1)[0].removeprefix("unit ") if text.startswith("unit ") else None


@attrs.frozen
class RowFinding:
    """One error or warning on a written row: which row of the file (0-based), rule, field, value, message, and
    the severity the validator gave it."""

    row: int
    rule_id: str
    field: str | None
    value: str | None
    message: str
    severity: Severity = Severity.WARNING


def preflight_findings(
    nat00120: bytes,
    profile: Profile,
    reporting_date: datetime.date,
    period: Period | None = None,
    interim: bool = False,
) -> list[RowFinding]:
    """Errors and warnings the NAT00120-only rules find in the file ``nat00120`` (its bytes as written; a finding's
    row ``i`` is line i+1), read back as ``validate`` reads it, for the collection ``period`` (its rules skipped
    without one), the future judged at ``reporting_date`` as ``ValidationOptions(reporting_date=...)`` does."""
    if not nat00120:
        return []
    from avetmiss_finalise.nat.parse import parse_bytes

    parsed = parse_bytes(nat00120, _FILE, profile)
    ctx = Context(
        frames={_FILE: parsed.frame},
        unparsed={_FILE: parsed.unparsed},
        profile=profile,
        period=period,
        interim=interim,
        options=ValidationOptions(reporting_date=reporting_date),
    )
    found = run_rules(ctx, preflight_rules(ctx))
    if not len(found):
        return []
    from avetmiss_finalise.validation.national_record import cap_state_positions

    found = cap_state_positions(found, ctx.profile, ctx.options)  # as validate settles them
    severe = found["severity"].astype(object).isin(["error", "warning"]).to_numpy(dtype=bool)
    located = (found["file"].astype(object) == _FILE).to_numpy(dtype=bool) & found["line"].notna().to_numpy(bool)
    found = found[severe & located]
    lines = found["line"].to_numpy(dtype=np.int64)

    def text(v: object) -> str | None:
        return None if v is None or v is pd.NA else str(v)

    return [
        RowFinding(int(line) - 1, str(rid), text(field), text(value), str(message), Severity.parse(str(severity)))
        for line, rid, field, value, message, severity in zip(
            lines,
            found["rule_id"].astype(object),
            found["field"].astype(object),
            found["value"].astype(object),
            found["message"].astype(object),
            found["severity"].astype(object),
            strict=True,
        )
    ]


def row_warnings(
    findings: Sequence[RowFinding],
    owners: Sequence[tuple[int, str | None, str | None]],
    warned: Sequence[set[tuple[str, str | None]]],
) -> dict[int, list[Issue]]:
    """Findings as Issues (each with its finding's severity) by outcome position: ``owners[row]`` is (outcome
    position, subject, client) of each written row, ``warned[position]`` the (rule ID, unit) pairs that outcome's
    ``finalise`` already named. One Issue per (outcome, rule, unit, message)."""
    out: dict[int, list[Issue]] = {}
    seen: set[tuple[int, str, str | None, str]] = set()
    for f in findings:
        pos, subject, client = owners[f.row]
        key = (pos, f.rule_id, subject, f.message)
        if (f.rule_id, subject) in warned[pos] or key in seen:
            continue
        seen.add(key)
        out.setdefault(pos, []).append(
            Issue(
                rule_id=f.rule_id,
                severity=f.severity,
                message=f"unit {subject}: {f.message}",
                field=f.field,
                value=f.value,
                client_id=client,
            )
        )
    return out
