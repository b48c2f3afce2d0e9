"""The rule registry: every validation rule once, under a stable ID, with severity, message and source.

A rule's ``check`` is vectorised: it receives a :class:`Context` (the columnar frames plus parameters) and
yields :class:`Hit` objects, each naming one file, one field and the *rows* (frame index labels) that break
the rule. The engine turns hits into Issues (line = index + 1, column span from the layout). Rules never loop
over records in Python on the bulk path.

Cross-file rules must read other files only through key sets (``Context.keys``) so that a collection split
into chunks (every chunk with the full reference files) gives the same findings as the whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.options import ValidationOptions

__all__ = ["REGISTRY", "Context", "Hit", "Period", "Rule", "enforced_elsewhere", "not_implemented", "rule"]


@attrs.frozen
class Period:
    """A collection period: inclusive dates. ``Period.year(2026)`` is the national calendar-year collection."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@attrs.frozen(kw_only=True)
class Context:
    """What a rule may read. ``frames`` maps file id → DataFrame (columns named as in the layouts)."""

    frames: Mapping[str, pd.DataFrame]
    profile: Profile
    period: Period | None = None
    interim: bool = False
    #: Switches for configurable/unverified rules (severities, accepted legacy codes, reporting date).
    options: ValidationOptions = attrs.field(factory=ValidationOptions)
    #: Reference key sets from files not in ``frames`` (chunked validation): (file id, columns) → set of tuples.
    reference_keys: Mapping[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]] = attrs.field(factory=dict)
    #: Raw text of cells the reader could not parse (file id → DataFrame with columns row, field, text).
    unparsed: Mapping[str, pd.DataFrame] = attrs.field(factory=dict)

    def frame(self, file_id: str) -> pd.DataFrame | None:
        return self.frames.get(file_id)

    def keys(self, file_id: str, columns: tuple[str, ...]) -> frozenset[tuple[object, ...]] | None:
        """The set of key tuples present in ``file_id`` (``None`` if the file is absent)."""
        if (file_id, columns) in self.reference_keys:
            return self.reference_keys[(file_id, columns)]
        df = self.frames.get(file_id)
        if df is None:
            return None
        return frozenset(df[list(columns)].astype(object).itertuples(index=False, name=None))


@attrs.frozen(kw_only=True)
class Hit:
    """Rows of one file that break a rule, located at one field.

    ``rows`` are frame index labels. ``values`` (aligned with ``rows``) overrides the reported value;
    ``details`` (aligned, or one string) is appended to the rule's message for each row.
    """

    file_id: str
    rows: pd.Index
    field: str | None = None
    values: pd.Series | None = None
    details: pd.Series | str | None = None
    severity: Severity | None = None


Check = Callable[[Context], Iterable[Hit]]


@attrs.frozen(kw_only=True)
class Rule:
    """A catalogued rule.

    ``check`` is the vectorised validation check. Rules enforced elsewhere — by the NAT reader while it reads,
    or by the finalisation and transition engines — have no ``check`` and name their enforcer in
    ``enforced_by``, so the one registry (and ``avetmiss-finalise rules``) lists every rule the library applies.
    A rule with neither is listed as not implemented, with ``not_implemented`` saying why.
    ``profiles`` limits the rule to those profile names (``None``: every profile).
    """

    id: str
    severity: Severity
    title: str
    message: str
    source: str
    family: str
    files: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    avs_number: str | None = None
    profiles: tuple[str, ...] | None = None
    #: How to fix a finding, in plain words for the person who holds the data (rendered by every report format).
    fix: str = ""
    #: What the rule needs beyond the NAT files (names in :data:`avetmiss_finalise.validation.needs.NEEDS`:
    #: reference sources such as ``postcodes``, or options such as ``expected_toid``). Without them the rule is
    #: not run, and reports say so and why.
    needs: tuple[str, ...] = ()
    check: Check | None = attrs.field(default=None, eq=False, repr=False)
    not_implemented: str | None = None
    enforced_by: str | None = None

    @property
    def implemented(self) -> bool:
        return self.check is not None or self.enforced_by is not None


REGISTRY: dict[str, Rule] = {}
"""Every rule by ID. Filled at import time by the rule modules; IDs never change meaning."""


def rule(
    id: str,
    *,
    severity: Severity,
    title: str,
    message: str,
    source: str,
    family: str,
    files: tuple[str, ...] = (),
    fields: tuple[str, ...] = (),
    avs_number: str | None = None,
    profiles: tuple[str, ...] | None = None,
    fix: str = "",
    needs: tuple[str, ...] = (),
) -> Callable[[Check], Check]:
    """Register ``check`` under ``id``. A duplicate ID is a programming error."""

    def register(check: Check) -> Check:
        if id in REGISTRY:
            raise ValueError(f"rule {id} registered twice")
        REGISTRY[id] = Rule(
            id=id,
            severity=severity,
            title=title,
            message=message,
            source=source,
            family=family,
            files=files,
            fields=fields,
            avs_number=avs_number,
            profiles=profiles,
            fix=fix,
            needs=needs,
            check=check,
        )
        return check

    return register


def not_implemented(
    id: str,
    *,
    severity: Severity,
    title: str,
    source: str,
    family: str,
    reason: str,
    files: tuple[str, ...] = (),
    avs_number: str | None = None,
    fix: str = "",
) -> None:
    """List a catalogue rule that cannot be implemented honestly, and why (e.g. needs NCVER system files)."""
    _add(
        id=id,
        severity=severity,
        title=title,
        source=source,
        family=family,
        files=files,
        avs_number=avs_number,
        fix=fix,
        not_implemented=reason,
    )


def enforced_elsewhere(
    id: str,
    *,
    severity: Severity,
    title: str,
    source: str,
    family: str,
    enforced_by: str,
    files: tuple[str, ...] = (),
    fields: tuple[str, ...] = (),
    profiles: tuple[str, ...] | None = None,
    fix: str = "",
) -> None:
    """List a rule applied outside the validation engine (reader, finalisation, transition) in the registry."""
    _add(
        id=id,
        severity=severity,
        title=title,
        source=source,
        family=family,
        files=files,
        fields=fields,
        profiles=profiles,
        fix=fix,
        enforced_by=enforced_by,
    )


def _add(**fields: Any) -> None:
    """Register a rule with no engine check; a duplicate ID is a programming error."""
    if fields["id"] in REGISTRY:
        raise ValueError(f"rule {fields['id']} registered twice")
    REGISTRY[fields["id"]] = Rule(message=fields["title"], **fields)
