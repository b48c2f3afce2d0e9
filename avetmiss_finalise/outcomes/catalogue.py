"""The finalisation and transition rule IDs of ``finalisation.md``, as data, for the one rule registry.

The engines (``outcomes``, ``transition``) apply these rules; :mod:`avetmiss_finalise.validation.rules_enforced`
lists them in the registry so ``avetmiss-finalise rules`` shows every rule the library applies.
"""

from __future__ import annotations

import attrs

from avetmiss_finalise.issues import Severity

__all__ = ["FINALISATION_RULES", "FinalisationRule"]

_SPEC = "finalisation.md"
_WORKFLOW = "finalise-a-learner.txt"


@attrs.frozen
class FinalisationRule:
    """A rule of the finalisation workflow: its ID, the severity of a breach, what it says and where from."""

    id: str
    severity: Severity
    title: str
    source: str
    enforced_by: str


FINALISATION_RULES: tuple[FinalisationRule, ...] = (
    FinalisationRule(
        "F-COMPLETE",
        Severity.ERROR,
        "Completion: every subject is achieved (each unit a final achieved outcome, or an earlier attempt of a "
        "subject achieved later, or a withdrawn unit another achieved unit replaced, warned), ends by the completion "
        "date; one NAT00130 row (issued flag Y once the credential is issued, else Completion Pending)",
        f"{_SPEC} F-COMPLETE; {_WORKFLOW} (Completed)",
        "avetmiss_finalise.outcomes.completion",
    ),
    FinalisationRule(
        "F-WITHDRAW",
        Severity.ERROR,
        "Withdrawal/cancellation: units with a final outcome keep it; the others are finalised by "
        "F-WITHDRAW-COMMENCED or F-WITHDRAW-NOT-COMMENCED",
        f"{_SPEC} F-WITHDRAW; {_WORKFLOW} (Withdrawn)",
        "avetmiss_finalise.outcomes.withdrawal",
    ),
    FinalisationRule(
        "F-WITHDRAW-COMMENCED",
        Severity.ERROR,
        "A commenced unit is withdrawn: outcome 40, end date = withdrawal date, hours attended to date",
        f"{_SPEC} F-WITHDRAW; {_WORKFLOW} 2(a)",
        "avetmiss_finalise.outcomes.withdrawal",
    ),
    FinalisationRule(
        "F-WITHDRAW-NOT-COMMENCED",
        Severity.ERROR,
        "A unit not commenced by the withdrawal date: internal 00 never written; reported as 85 with dates after "
        "the withdrawal date and 0 hours, or omitted (profile)",
        f"{_SPEC} F-WITHDRAW; {_WORKFLOW} 2(b); validation_rules.md §7.4",
        "avetmiss_finalise.outcomes.withdrawal",
    ),
    FinalisationRule(
        "F-TO-TNC",
        Severity.WARNING,
        "nsw: every NAT00120 row of a withdrawn/cancelled enrolment carries TNC; TNC with outcomes other than "
        "40/85 is a warning (unverified)",
        f"{_SPEC} F-TO-TNC; code_lists.md §16; validation_rules.md §7.3",
        "avetmiss_finalise.outcomes.training_organisation",
    ),
    FinalisationRule(
        "F-DEFER",
        Severity.WARNING,
        "Deferral: units without a final outcome reported as 85 with future dates and 0 hours; dropped hours "
        "are a warning and kept in the decision",
        f"{_SPEC} F-DEFER; {_WORKFLOW} (Deferral)",
        "avetmiss_finalise.outcomes.deferral",
    ),
    FinalisationRule(
        "F-TO-D",
        Severity.ERROR,
        "nsw: every NAT00120 row of a deferred enrolment carries D",
        f"{_SPEC} F-TO-D; code_lists.md §16",
        "avetmiss_finalise.outcomes.training_organisation",
    ),
    FinalisationRule(
        "F-REFINALISE",
        Severity.ERROR,
        "Re-finalising: the same event on a finalised enrolment changes nothing; a different event (a corrected "
        "date, another status) is refused, never laid over the first result",
        f"{_SPEC} properties (idempotent; nothing is lost); issue #8 item 8",
        "avetmiss_finalise.outcomes.refinalise",
    ),
    FinalisationRule(
        "F-PRIOR-YEAR",
        Severity.WARNING,
        "A row that ended before the collection period start is left out of that collection (V-120-04) — by "
        "finalise and by a transition plan alike — and a completion left without rows in it writes no NAT00130 "
        "(X-06): the unit or program named. Without a period both keep the row and name it under the validator's "
        "V-120-04 (ended before the reporting date's year) instead",
        "validation_rules.md §3 (V-120-04: activity ending before the period belongs to an earlier collection); "
        "issue #8 item 10",
        "avetmiss_finalise.outcomes.collection_period",
    ),
    FinalisationRule(
        "F-AFTER",
        Severity.INFO,
        "Follow-up tasks after finalisation (survey, credential, disable access, mark inactive, check unenrolment)",
        f"{_SPEC} F-AFTER; {_WORKFLOW}",
        "avetmiss_finalise.outcomes.after",
    ),
    FinalisationRule(
        "F-TRANSITION",
        Severity.ERROR,
        "Transition from a superseded to the current qualification: a plan is refused when it cannot be reported",
        f"{_SPEC} F-TRANSITION; {_WORKFLOW} (transition)",
        "avetmiss_finalise.transition",
    ),
    FinalisationRule(
        "F-TRANSITION-UNREPORTED",
        Severity.INFO,
        "Nothing reported for the superseded program: cancel its Commitment ID, obtain a new one before training "
        "in the current program; no superseded rows; current rows only once the new Commitment ID is supplied",
        f"{_SPEC} F-TRANSITION-UNREPORTED; validation_rules.md §7.5 (unverified)",
        "avetmiss_finalise.transition",
    ),
    FinalisationRule(
        "F-TRANSITION-REPORTED",
        Severity.INFO,
        "Superseded program already reported: combined superseded and current rows under the same Commitment ID "
        "following the unit table; credit transfer (60, NNN, 0 hours) for equivalents of achieved units",
        f"{_SPEC} F-TRANSITION-REPORTED; validation_rules.md §7.5",
        "avetmiss_finalise.transition",
    ),
    FinalisationRule(
        "F-TRANSITION-MAX-PROGRAMS",
        Severity.ERROR,
        "At most three program identifiers per learner commitment; a fourth is refused naming the programs",
        f"{_SPEC} F-TRANSITION-MAX-PROGRAMS; validation_rules.md §7.5 (c)",
        "avetmiss_finalise.transition",
    ),
)
