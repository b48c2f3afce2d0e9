"""The rule registry: every validation rule once, under a stable ID, with severity, message and source.

A rule's ``check`` is vectorised: it receives a :class:`Context` (the columnar frames plus parameters) and
yields :class:`Hit` objects, each naming one file, one field and the *rows* (frame index labels) that break
the rule. The engine turns hits into Issues (line = index + 1, column span from the layout). Rules never loop
over records in Python on the bulk path.

Cross-file rules must read other files only through key sets (``Context.keys``) so that a collection split
into chunks (every chunk with the full reference files) gives the same findings as the whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.period import Period
from avetmiss_finalise.validation.context import Context, distinct_keys

__all__ = [
    "FAMILY_REQUIRES",
    "REGISTRY",
    "REQUIREMENTS",
    "Context",
    "Hit",
    "Period",
    "Requirement",
    "Rule",
    "catalogue_version",
    "distinct_keys",
    "enforced_elsewhere",
    "not_implemented",
    "register_requirement",
    "rule",
    "unmet_requirement",
]


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
    #: Names of :data:`REQUIREMENTS` the rule cannot run without (e.g. ``"period"``); when one is not met the engine
    #: does not run the rule and the report lists it in ``rules_skipped`` with the requirement's reason.
    requires: tuple[str, ...] = ()
    check: Check | None = attrs.field(default=None, eq=False, repr=False)
    not_implemented: str | None = None
    enforced_by: str | None = None

    @property
    def implemented(self) -> bool:
        return self.check is not None or self.enforced_by is not None


REGISTRY: dict[str, Rule] = {}
"""Every rule by ID. Filled at import time by the rule modules; IDs never change meaning."""


@attrs.frozen(kw_only=True)
class Requirement:
    """Something a rule needs from the run (a collection period, a reference file …) and why it is skipped without.

    ``met`` reads only the :class:`Context` (pure); ``reason`` is what ``Report.rules_skipped`` says for every rule
    that needs it when it is not met, e.g. "no collection period (--period): collection-period rules not run".
    """

    name: str
    met: Callable[[Context], bool] = attrs.field(eq=False, repr=False)
    reason: str


REQUIREMENTS: dict[str, Requirement] = {}
"""Every requirement by name (:func:`register_requirement`); a rule's ``requires`` names some of them."""

#: Requirements every rule of a family has unless the rule says otherwise (``requires=`` of :func:`rule`).
FAMILY_REQUIRES: Mapping[str, tuple[str, ...]] = {"period": ("period",)}


def register_requirement(name: str, *, met: Callable[[Context], bool], reason: str) -> Requirement:
    """Register what rules may ``require``; a duplicate name is a programming error."""
    if name in REQUIREMENTS:
        raise ValueError(f"requirement {name} registered twice")
    REQUIREMENTS[name] = req = Requirement(name=name, met=met, reason=reason)
    return req


def unmet_requirement(r: Rule, ctx: Context) -> Requirement | None:
    """The first requirement of ``r`` that ``ctx`` does not meet (``None``: the rule can run)."""
    for name in r.requires:
        req = REQUIREMENTS[name]
        if not req.met(ctx):
            return req
    return None


register_requirement(
    "period",
    met=lambda ctx: ctx.period is not None,
    reason="no collection period given (--period / period=): collection-period rules not run",
)
register_requirement(
    "reference_date",
    met=lambda ctx: ctx.period is not None or ctx.options.reporting_date is not None,
    reason=(
        "neither a collection period nor a reporting date given (--period / --reporting-date): ages cannot be measured"
    ),
)


def catalogue_version() -> str:
    """A digest of the whole rule catalogue (every rule's id, severity, words, scope and status).

    Two reports with the same value were checked against the same rules, word for word: the audit answer to
    "which rule set was this?". It changes whenever any rule is added, removed or reworded.
    """
    rules = [
        {
            "id": r.id,
            "severity": r.severity.label,
            "title": r.title,
            "message": r.message,
            "source": r.source,
            "family": r.family,
            "files": list(r.files),
            "fields": list(r.fields),
            "avs_number": r.avs_number,
            "profiles": None if r.profiles is None else list(r.profiles),
            "fix": r.fix,
            "requires": list(r.requires),
            "not_implemented": r.not_implemented,
            "enforced_by": r.enforced_by,
            "checked": r.check is not None,
        }
        for r in sorted(REGISTRY.values(), key=lambda r: r.id)
    ]
    digest = hashlib.sha256(json.dumps(rules, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"sha256:{digest[:16]}"


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
    requires: tuple[str, ...] | None = None,
) -> Callable[[Check], Check]:
    """Register ``check`` under ``id``. A duplicate ID is a programming error.

    ``requires`` names :data:`REQUIREMENTS` the check cannot run without; by default those of its family
    (:data:`FAMILY_REQUIRES`: every ``period`` rule needs a collection period).
    """
    needs = FAMILY_REQUIRES.get(family, ()) if requires is None else requires
    unknown = [n for n in needs if n not in REQUIREMENTS]
    if unknown:
        raise ValueError(f"rule {id} requires unknown {', '.join(unknown)}")

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
            requires=needs,
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
