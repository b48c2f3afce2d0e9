"""V-120-F12: the specific funding identifier is current for the collection year (an expired code is an AVS
rejection: public_avs_rules.md C043).

The collection year (the year of the period end) selects the list. A list the user supplies (``--reference DIR``,
``specific_funding*.csv``) decides for every year it covers: a code it does not list as valid that year is an
error. Otherwise the list shipped with the library (``reference/specific_funding.csv``) decides only where it
records an expiry, at the severity its entry's status allows (``unverified`` entries: ``unverified_severity``);
a code neither list knows is not reported. Every report names the list used (file, date, SHA-256).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.reference import shipped_specific_funding
from avetmiss_finalise.validation._fieldcheck import ACT, column, hits
from avetmiss_finalise.validation.reference_data import reference_of
from avetmiss_finalise.validation.registry import Context, Hit, rule

__all__: list[str] = []


@rule(
    "V-120-F12",
    severity=Severity.ERROR,
    title="Specific funding identifier is valid for the collection year",
    message="Specific funding identifier is not valid for the collection year",
    source=(
        "public_avs_rules.md C043 (AVS; ACT Skilled Capital code changes: '32 expired for 2019 data'); "
        "list by year: reference/specific_funding.csv (shipped; provenance in its header) or NCVER's list in "
        "--reference"
    ),
    family="reference",
    fix=(
        "Replace the expired code with the specific funding identifier NCVER or your state lists for this "
        "collection year, or delete it (and use the funding source that applies) if the program has ended."
    ),
    files=(ACT,),
    fields=("specific_funding_id",),
    requires=("period",),
)
def specific_funding_current(ctx: Context) -> Iterator[Hit]:
    codes = column(ctx, ACT, "specific_funding_id")
    if codes is None or ctx.period is None:
        return
    year = ctx.period.end.year
    text = codes.astype("string[pyarrow]").str.strip()
    present = (text.notna() & (text != "")).to_numpy(dtype=bool)
    ref = reference_of(ctx.options)
    user = None if ref is None else ref.specific_funding
    if user is not None and user.covers(year):
        valid = user.valid_codes(year)
        bad = present & ~text.isin(list(valid)).fillna(False).to_numpy(dtype=bool)
        expired = user.expired(year)
        missing = f"not in the list given for {year}"
        why = [f"{expired[c].span()} in the list given" if c in expired else missing for c in text.astype(object)]
        details = pd.Series(why, index=codes.index, dtype="string[pyarrow]")
        yield from hits(ACT, bad, "specific_funding_id", index=codes.index, details=details[bad])
        return
    known = {code: (entry, "shipped list") for code, entry in shipped_specific_funding().expired(year).items()}
    if user is not None:
        valid = user.valid_codes(year)
        known = {c: v for c, v in known.items() if c not in valid}  # the user's list says it is valid this year
        known.update({code: (entry, "list given") for code, entry in user.expired(year).items()})
    for code, (entry, where) in known.items():
        mask = present & (text == code).fillna(False).to_numpy(dtype=bool)
        severity = None if entry.status == "valid" else ctx.options.unverified_severity
        detail = f"{entry.span()} ({where})"
        yield from hits(ACT, mask, "specific_funding_id", index=codes.index, severity=severity, details=detail)
