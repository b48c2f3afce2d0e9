"""Under a profile judged on the national record alone (``national``), state-only positions are at most a warning.

A national submission is judged on the national record ("record length for national data collection",
layouts.md §2); what follows it is the common state tail, for state training authorities. AVS appears to ignore
those positions, but no NCVER text confirms it (unverified), so the cap is an option:
``ValidationOptions.state_positions_severity`` (default warning; ``Severity.ERROR`` judges them in full,
``Severity.INFO`` demotes them further). A finding is on a state-only position when its column span starts
after the file's national record length. A rule the caller overrode (``severity_overrides``) keeps the
caller's severity, and a finding about the record as a whole (NAT-LONG-RECORD: characters were dropped) is not
about a state position at all and keeps its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.findings import ABOUT_THE_RECORD
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.options import ValidationOptions

__all__ = ["CAPPED_NOTE", "cap_state_positions"]

#: Appended to the message of a capped finding, so the report says why it is not an error.
CAPPED_NOTE = " (state-only position, past the national record: at most {label} under profile {profile})"


def _national_lengths(profile: Profile, files: pd.Series) -> np.ndarray:
    lengths = {}
    for file_id in files.dropna().unique().tolist():
        try:
            lengths[file_id] = profile.layout(str(file_id)).national_length
        except (KeyError, ValueError):  # a file name that is not a NAT file id: no record to speak of
            continue
    return np.asarray(files.map(lengths).astype("Float64").fillna(np.inf).to_numpy(dtype=float))


def cap_state_positions(findings: pd.DataFrame, profile: Profile, options: ValidationOptions) -> pd.DataFrame:
    """``findings`` with every finding past the national record capped at ``options.state_positions_severity``."""
    cap = options.state_positions_severity
    if not profile.national_record_only or cap is Severity.ERROR or not len(findings):
        return findings
    start = pd.to_numeric(findings["col_start"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    past = start > _national_lengths(profile, findings["file"].astype(object))
    above = (findings["severity"] > cap.label).to_numpy(dtype=bool)
    overridden = findings["rule_id"].isin(list(options.severity_overrides)).to_numpy(dtype=bool)
    whole_record = findings["rule_id"].isin(list(ABOUT_THE_RECORD)).to_numpy(dtype=bool)  # lost data, not a tail
    mask = past & above & ~overridden & ~whole_record
    if not mask.any():
        return findings
    out = findings.copy()
    out.loc[mask, "severity"] = cap.label
    note = CAPPED_NOTE.format(label=cap.label, profile=profile.name)
    out.loc[mask, "message"] = out.loc[mask, "message"].astype("string[pyarrow]") + note
    return out
