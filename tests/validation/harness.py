"""Run one registered rule over a collection and list where it fired — the shared core of the rule tests.

Rules are called directly (not through the report) so a property test sees exactly what the rule yields:
file, row label, field and severity, with the same profile gating and severity resolution as the engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pandas as pd
from hypothesis import strategies as st

import avetmiss_finalise.validation  # noqa: F401  (registers every rule)
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import REGISTRY, Context, Period
from tests.strategies.collections import Broken, SampleCollection, pick

ACT = "NAT00120"
KeySets = Mapping[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]]


@attrs.frozen
class Found:
    file: str
    row: int
    field: str | None
    severity: Severity
    details: str | None = None


def context(
    frames: Mapping[str, pd.DataFrame],
    *,
    profile: str = "national",
    year: int | None = 2026,
    interim: bool = False,
    options: ValidationOptions | None = None,
    reference_keys: KeySets | None = None,
) -> Context:
    return Context(
        frames=frames,
        profile=get_profile(profile),
        period=None if year is None else Period.year(year),
        interim=interim,
        options=options or ValidationOptions(),
        reference_keys=reference_keys or {},
    )


def run(rule_id: str, ctx: Context) -> list[Found]:
    """Where ``rule_id`` fires in ``ctx`` (empty when the rule is not in force for the profile)."""
    r = REGISTRY[rule_id]
    assert r.check is not None, f"{rule_id} is not implemented"
    if r.profiles is not None and ctx.profile.name not in r.profiles:
        return []
    out = []
    for hit in r.check(ctx):
        severity = ctx.options.severity_overrides.get(rule_id, hit.severity or r.severity)
        many = isinstance(hit.details, pd.Series)
        details = [str(d) for d in hit.details] if many else [hit.details] * len(hit.rows)  # type: ignore[union-attr]
        out.extend(
            Found(hit.file_id, int(row), hit.field, severity, d) for row, d in zip(hit.rows, details, strict=True)
        )
    return out


def fired(rule_id: str, c: SampleCollection, **kwargs: Any) -> list[Found]:
    """``run`` on a sample collection, in its own profile and year unless overridden."""
    kwargs.setdefault("profile", c.profile)
    kwargs.setdefault("year", c.year)
    return run(rule_id, context(c.frames(), **kwargs))


def where(found: list[Found]) -> list[tuple[str, int, str | None]]:
    return [(f.file, f.row, f.field) for f in found]


def edit(c: SampleCollection, file_id: str, row: int, **cells: Any) -> SampleCollection:
    rows = [dict(r) for r in c.rows[file_id]]
    rows[row].update(cells)
    return c.with_rows(file_id, rows)


def append(c: SampleCollection, file_id: str, *new: dict[str, Any]) -> tuple[SampleCollection, int]:
    """``c`` with rows added at the end of ``file_id``, and the row label of the first added row."""
    rows = [dict(r) for r in c.rows.get(file_id, [])]
    first = len(rows)
    return c.with_rows(file_id, rows + [dict(r) for r in new]), first


def activity(data: st.DataObject, c: SampleCollection, **cells: Any) -> Broken:
    """Break a random NAT00120 row by writing ``cells``; the finding is expected at the first cell's field."""
    row = pick(data, c, ACT)
    return Broken(edit(c, ACT, row, **cells), ACT, row, next(iter(cells)))


def day(year: int, month: int, d: int) -> datetime.date:
    return datetime.date(year, month, d)


Breaker = Callable[[SampleCollection, st.DataObject], Broken]
