"""Validation switches: every rule whose severity or behaviour the sources leave open is configurable here.

The catalogue (shared/spec/validation_rules.md) marks several rules "unverified" or notes that sources disagree.
The library then prefers a warning to a false error, and these options let a caller tighten (or relax) them
without touching rule code. Options are data, passed to rules through ``Context.options``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.issues import Severity

if TYPE_CHECKING:
    from avetmiss_finalise.reference import Reference

__all__ = ["ValidationOptions"]


def _severity_map(value: Mapping[str, Severity | str]) -> Mapping[str, Severity]:
    """Rule id → Severity; a severity may be given by name (``"warning"``). Anything else is a UsageError."""
    if not isinstance(value, Mapping):
        raise UsageTypeError(
            f"severity_overrides must map rule ids to severities ({{'F-03': 'warning'}}), not {type(value).__name__}"
        )
    out: dict[str, Severity] = {}
    for k, v in value.items():
        if not isinstance(k, str):
            raise UsageTypeError(f"severity_overrides: rule ids are strings such as 'F-03', not {type(k).__name__}")
        if isinstance(v, Severity):
            out[k] = v
        elif isinstance(v, str):
            try:
                out[k] = Severity.parse(v)
            except ValueError as exc:
                raise UsageError(f"severity_overrides[{k!r}]: {exc}") from None
        else:
            raise UsageTypeError(
                f"severity_overrides[{k!r}]: a Severity or one of 'info', 'warning', 'error', not {type(v).__name__}"
            )
    return MappingProxyType(out)


def _rule_ids(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise UsageTypeError(f"disabled_rules must be a collection of rule ids such as {{'F-03'}}, not {value!r:.40}")
    ids = frozenset(value)
    odd = [v for v in ids if not isinstance(v, str)]
    if odd:
        raise UsageTypeError(f"disabled_rules: rule ids are strings such as 'F-03', not {type(odd[0]).__name__}")
    return ids


@attrs.frozen(kw_only=True)
class ValidationOptions:
    """Switches for configurable and unverified rules.

    Attributes:
        postcode_0000_severity: NAT00080/85 postcode ``0000`` (V-080-05): permitted in 7.0, invalid from 2018 per
            some sources; ``None`` accepts it silently.
        funding_30_allowed: accept funding source national ``30`` (7.0 value, 8.0 status unverified; V-120-F3).
            When allowed it is still reported as a warning unless ``funding_30_severity`` is ``None``.
        funding_30_severity: severity for ``30`` when allowed (``None``: silent).
        outcomes_53_54_severity: RCC outcomes 53/54 (sources disagree): warning by default, ``None`` silent.
        outcome_85_past_start_severity: 85 with a start date already passed (V-120-08): warning nationally;
            set ``Severity.ERROR`` for VIC-style checking.
        unverified_severity: default severity of rules the catalogue marks unverified.
        allow_outcome_90: accept retired outcome 90 (state legacy).
        usi_strict_alphabet: a USI of 10 upper-case letters/digits that contains I or O, outside the USI Registry
            alphabet (upper-case letters without I and O, plus digits; code_lists.md §9, layouts.md §6, D22), is
            an error (V-080-02). Off by default: such a USI is a warning, since rejecting a USI that may be valid is
            worse than accepting a doubtful one.
        max_age / min_age: date-of-birth plausibility bounds (V-080-08, bounds unverified; warning).
        reporting_date: "today" for rules about the future (V-120-07, V-120-08); ``None`` uses the period end.
        state_positions_severity: under the ``national`` profile a submission is judged on the national record;
            a finding on a state-only position (past the national record length) is at most this severity. AVS
            is believed to ignore those positions (layouts.md §2, unverified), hence a warning by default;
            ``Severity.ERROR`` judges them in full, ``Severity.INFO`` demotes them further. A rule named in
            ``severity_overrides`` keeps its override.
        usi_required_from: the first day the USI is mandatory for nationally recognised training (V-080-03):
            1 January 2015, Student Identifiers Act 2014 (sms_habits.md). Activity ending before it needs none.
        severity_overrides: rule id → severity, applied last to every finding of that rule.
        disabled_rules: rule ids not run at all.
        show_personal_data: show values of personal fields (``Field.personal``) in reports.
        max_locations: locations listed per rule in the text report.
        reference: reference data for the reference-backed rules (postcode/locality, training.gov.au lists, the
            specific funding identifier list): a loaded :class:`~avetmiss_finalise.reference.Reference`, or a
            directory that :func:`~avetmiss_finalise.validation.validate` loads (CLI ``--reference DIR``). Rules
            whose source is not given are reported as not run, with the reason.
        expected_toid: the training organisation identifier the submitting AVS account is registered for
            (V-010-06, AVS 4704; CLI ``--expected-toid``); ``None``: V-010-06 does not run.
        teach_out_months: months after a qualification's superseded date that it may still be reported, where the
            qualification list gives no teach-out date (V-030-07; not in the spec, so off by default).
    """

    postcode_0000_severity: Severity | None = Severity.WARNING
    funding_30_allowed: bool = True
    funding_30_severity: Severity | None = Severity.WARNING
    outcomes_53_54_severity: Severity | None = Severity.WARNING
    outcome_85_past_start_severity: Severity = Severity.WARNING
    unverified_severity: Severity = Severity.WARNING
    allow_outcome_90: bool = False
    usi_strict_alphabet: bool = False
    min_age: int = 6
    max_age: int = 94
    reporting_date: datetime.date | None = None
    state_positions_severity: Severity = Severity.WARNING
    usi_required_from: datetime.date = datetime.date(2015, 1, 1)
    severity_overrides: Mapping[str, Severity] = attrs.field(factory=dict, converter=_severity_map)
    disabled_rules: frozenset[str] = attrs.field(default=frozenset(), converter=_rule_ids)
    show_personal_data: bool = False
    max_locations: int = 20
    reference: Reference | str | os.PathLike[str] | None = attrs.field(default=None, eq=False)
    expected_toid: str | None = None
    teach_out_months: int | None = None

    def __attrs_post_init__(self) -> None:
        """Wrong types are refused here, with the option's name, not deep inside a rule as a raw TypeError."""
        for name, kinds in _KINDS.items():
            value = getattr(self, name)
            if value is None and None in kinds:
                continue
            wanted = tuple(k for k in kinds if k is not None)
            # bool is an int and a datetime a date to isinstance, but neither is what those options mean
            subclass = (isinstance(value, bool) and bool not in wanted) or (
                isinstance(value, datetime.datetime) and datetime.datetime not in wanted
            )
            ok = not subclass and isinstance(value, wanted)
            if not ok:
                names = " or ".join(["None" if k is None else k.__name__ for k in kinds])
                raise UsageTypeError(f"ValidationOptions.{name} must be {names}, not {type(value).__name__}")
        if self.max_locations < 0:
            raise UsageError(f"ValidationOptions.max_locations must be 0 or more, got {self.max_locations}")
        if self.teach_out_months is not None and self.teach_out_months < 0:
            raise UsageError(f"ValidationOptions.teach_out_months must be 0 or more, got {self.teach_out_months}")
        if not 0 <= self.min_age <= self.max_age:
            raise UsageError(f"ValidationOptions: need 0 <= min_age <= max_age, got {self.min_age} and {self.max_age}")


_SEVERITY = (Severity,)
_MAYBE_SEVERITY = (Severity, None)
#: The type of each plain option (``reference``, the overrides and the disabled rules are checked by converters).
_KINDS: dict[str, tuple[type | None, ...]] = {
    "postcode_0000_severity": _MAYBE_SEVERITY,
    "funding_30_allowed": (bool,),
    "funding_30_severity": _MAYBE_SEVERITY,
    "outcomes_53_54_severity": _MAYBE_SEVERITY,
    "outcome_85_past_start_severity": _SEVERITY,
    "unverified_severity": _SEVERITY,
    "allow_outcome_90": (bool,),
    "usi_strict_alphabet": (bool,),
    "min_age": (int,),
    "max_age": (int,),
    "reporting_date": (datetime.date, None),
    "state_positions_severity": _SEVERITY,
    "usi_required_from": (datetime.date,),
    "show_personal_data": (bool,),
    "max_locations": (int,),
    "expected_toid": (str, None),
    "teach_out_months": (int, None),
}
