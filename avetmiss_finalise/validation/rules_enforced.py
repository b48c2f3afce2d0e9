"""Registry entries for rules applied outside the validation engine, so one registry lists every rule.

- NAT reader rules (``NAT-…``): record widths, character set, dates and numbers are checked while reading
  (only the raw bytes show them); their Issues are part of every validation report.
- Finalisation and transition rules (``F-COMPLETE`` … ``F-TRANSITION-MAX-PROGRAMS``): applied by
  :func:`avetmiss_finalise.finalise` and :func:`avetmiss_finalise.plan_transition`.
"""

from __future__ import annotations

from avetmiss_finalise.nat import RULES as READER_RULES
from avetmiss_finalise.outcomes.catalogue import FINALISATION_RULES
from avetmiss_finalise.validation.registry import enforced_elsewhere

__all__: list[str] = []

_READER_SOURCE = {
    "NAT-SHORT": "layouts.md §2 (Reading); validation_rules.md F-01",
    "NAT-PADDED": "layouts.md §2 (Reading: cut short inside trailing blanks); validation_rules.md F-01",
    "NAT-EXTRA": "layouts.md §2 (characters beyond the layout are state fields); README.md (State variants)",
    "NAT-CHARSET": "layouts.md §3 (Character set: printable ASCII)",
    "NAT-DATE": "layouts.md §3 (Type D: DDMMYYYY); validation_rules.md F-02",
    "NAT-NUMBER": "layouts.md §3 (Type N: right-justified, zero-filled)",
    "NAT-ZERO-FILL": "layouts.md §5 (VIC: TOID right-justified, zero-filled)",
    "NAT-BOM": "layouts.md §3 (encoding conventions)",
    "NAT-EOL": "layouts.md §3 (Record terminator CR LF; readers tolerate LF)",
    "NAT-UNKNOWN-FILE": "layouts.md §3 (File naming)",
    "NAT-DUPLICATE-FILE": "layouts.md §3 (File naming: names matched case-insensitively)",
    "NAT-TRUNCATED": "avetmiss-finalise reader (caps repeated findings per file)",
}

for _id, (_severity, _title) in READER_RULES.items():
    enforced_elsewhere(
        _id,
        severity=_severity,
        title=_title[:1].upper() + _title[1:],
        source=_READER_SOURCE.get(_id, "layouts.md §2–§3"),
        family="read",
        enforced_by="avetmiss_finalise.nat (reader)",
    )

for _rule in FINALISATION_RULES:
    enforced_elsewhere(
        _rule.id,
        severity=_rule.severity,
        title=_rule.title,
        source=_rule.source,
        family="finalise",
        enforced_by=_rule.enforced_by,
    )
