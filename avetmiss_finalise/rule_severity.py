"""The severity of each validator rule the finaliser names, under each profile (issue #8 item 5).

Where ``finalise`` (and ``finalise_frame``, ``plan_transition``, the ``finalise`` command) writes a row the
validator would flag, it says so under the **validator's** rule ID, naming the unit — and then it must say it with
the severity ``validate`` gives that row under the same profile: a V-120-13 (withdrawn without hours) that
``validate --profile nsw`` calls an error is not a warning from ``finalise``.

The registry (:mod:`avetmiss_finalise.validation`) is the source; it imports pandas, which the per-enrolment
core must not (tests/test_lazy_imports.py), so the severities of the rules the finaliser names are listed here
and tests/test_rule_severity.py holds them equal to the registry's. A severity that differs by profile is said
here once and read by the validator's own rule (V-120-08 is an error under vic: rules_period.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from avetmiss_finalise.issues import Issue, Severity

__all__ = ["NAMED_RULES", "PERIOD_RULES", "PROFILE_SEVERITIES", "named_severity", "with_named_severities"]

#: Validator rules the finaliser names, with the severity each has in the registry.
NAMED_RULES: dict[str, Severity] = {
    "NSW-CID-01": Severity.ERROR,
    "NSW-TO-02": Severity.WARNING,
    "P-01": Severity.WARNING,
    "QLD-DUP-ACHIEVED": Severity.ERROR,
    "V-120-01": Severity.ERROR,
    "V-120-03": Severity.ERROR,
    "V-120-04": Severity.ERROR,
    "V-120-08": Severity.WARNING,
    "V-120-13": Severity.ERROR,
    "V-120-18": Severity.WARNING,
    "X-09": Severity.ERROR,
    "X-11": Severity.ERROR,
    "X-12": Severity.ERROR,
}

#: (rule ID, profile) → the severity the rule's check gives under that profile instead of the registry's.
PROFILE_SEVERITIES: dict[tuple[str, str], Severity] = {("V-120-08", "vic"): Severity.ERROR}


#: The named rules that judge a row against the collection period (``requires=("period",)`` in the registry).
#: Without a period the finaliser names them for a collection it *guessed* — the reporting date's year — so it
#: says them as warnings (issue #8 item 10: "a warning naming the unit"); the caller may be preparing another
#: year's collection, and a guess is no verdict. Given the period, they carry the validator's severity.
PERIOD_RULES: frozenset[str] = frozenset({"P-01", "V-120-01", "V-120-03", "V-120-04", "V-120-08"})


def named_severity(rule_id: str, profile: str, *, period_known: bool = True) -> Severity | None:
    """The severity ``validate --profile profile`` gives a finding of ``rule_id`` (default options); ``None`` for a
    rule the finaliser does not name under the validator's ID (its own F-… rules). Without a known period a
    :data:`PERIOD_RULES` notice is a warning."""
    if not period_known and rule_id in PERIOD_RULES:
        return Severity.WARNING
    return PROFILE_SEVERITIES.get((rule_id, profile), NAMED_RULES.get(rule_id))


def with_named_severities(issues: Iterable[Issue], profile: str, *, period_known: bool = True) -> tuple[Issue, ...]:
    """``issues`` with each one named under a validator rule carrying that rule's severity under ``profile``
    (a period rule's a warning when the caller named no period)."""
    out = []
    for issue in issues:
        severity = named_severity(issue.rule_id, profile, period_known=period_known)
        out.append(issue if severity is None or severity is issue.severity else attrs.evolve(issue, severity=severity))
    return tuple(out)
