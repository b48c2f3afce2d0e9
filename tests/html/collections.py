"""Collections for the HTML tests, made from the synthetic sample in memory (nothing written to fixtures/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from avetmiss_finalise.nat import read_collection
from avetmiss_finalise.validation.engine import FINDING_COLUMNS, SEVERITY_DTYPE
from avetmiss_finalise.validation.report import Report

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
#: A personal value (name for encryption) that the report must hide unless asked.
PERSONAL = "SAMPLE ALEX NOCOMMA"
#: Untrusted text put into every text field by the XSS tests.
PAYLOAD = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=2"><b>'


def sample_frames() -> dict[str, pd.DataFrame]:
    return {f: df.copy() for f, df in read_collection(SAMPLE).frames.items()}


def messy_frames() -> dict[str, pd.DataFrame]:
    """The sample with faults of every severity, one of them in a personal field."""
    frames = sample_frames()
    clients, act = frames["NAT00080"], frames["NAT00120"]
    clients.loc[0, "name_for_encryption"] = PERSONAL  # V-080-04 (personal: masked)
    clients.loc[1, "gender"] = "Q"  # V-080-07
    act.loc[0, "outcome_national"] = "99"  # V-120-F11
    act.loc[1, "activity_end_date"] = act.loc[1, "activity_start_date"] - pd.Timedelta(days=3)  # V-120-02
    act.loc[2, "predominant_delivery_mode"] = "W"  # V-120-17 (warning)
    return frames


def hostile_frames() -> dict[str, pd.DataFrame]:
    """The sample with ``PAYLOAD`` in every text cell of the first record of every file."""
    frames = sample_frames()
    for df in frames.values():
        for col in df.columns:
            if pd.api.types.is_string_dtype(df[col].dtype) and len(df):
                df.loc[0, col] = PAYLOAD
    return frames


def big_report(n: int = 100_000) -> Report:
    """A report with ``n`` findings over a handful of rules and two files (built directly: no validation run)."""
    rng = np.random.default_rng(15)
    rules = np.array(["V-120-F11", "V-120-02", "V-120-17", "X-03", "V-080-07"])
    pick = rng.integers(0, len(rules), n)
    sev = np.where(np.isin(rules[pick], ["V-120-17"]), "warning", "error")
    file = np.where(rules[pick] == "V-080-07", "NAT00080", "NAT00120")
    line = pd.array(np.arange(1, n + 1), dtype="Int64")
    df = pd.DataFrame(
        {
            "rule_id": pd.array(rules[pick], dtype="string[pyarrow]"),
            "severity": pd.Categorical(sev, dtype=SEVERITY_DTYPE),
            "file": pd.array(file, dtype="string[pyarrow]"),
            "line": line,
            "col_start": pd.array(np.full(n, 72), dtype="Int64"),
            "col_end": pd.array(np.full(n, 73), dtype="Int64"),
            "field": pd.array(np.full(n, "outcome_national"), dtype="string[pyarrow]"),
            "value": pd.array(rng.integers(10, 99, n).astype(str), dtype="string[pyarrow]"),
            "client_id": pd.array([f"C{i:07d}" for i in range(n)], dtype="string[pyarrow]"),
            "message": pd.array(
                np.full(n, "Outcome identifier - national: not a national outcome code"), dtype="string[pyarrow]"
            ),
            "avs_number": pd.array([None] * n, dtype="string[pyarrow]"),
        }
    )[list(FINDING_COLUMNS)]
    return Report(findings=df, files={"NAT00080": n // 5, "NAT00120": n}, source="synthetic-100k")


def hostile_decisions() -> dict[str, object]:
    """A decisions.json document with ``PAYLOAD`` in every text value (the review page is a view of such data)."""
    return {
        "profile": PAYLOAD,
        "reporting_date": PAYLOAD,
        "enrolments": [
            {
                "index": 0,
                "client_id": PAYLOAD,
                "program_id": PAYLOAD,
                "commitment_id": PAYLOAD,
                "event": PAYLOAD,
                "reason": PAYLOAD,
                "status": PAYLOAD,
                "ok": False,
                "refusal": {"rule_id": PAYLOAD, "message": PAYLOAD, "subject_ids": [PAYLOAD], "program_ids": [PAYLOAD]},
                "training_organisation_outcome": PAYLOAD,
                "nat00120_rows": 1,
                "nat00130": False,
                "decisions": [
                    {
                        "subject_id": PAYLOAD,
                        "program_id": PAYLOAD,
                        "rule_id": PAYLOAD,
                        "reason": PAYLOAD,
                        "reported": True,
                        "changes": [{"field": PAYLOAD, "before": PAYLOAD, "after": PAYLOAD}],
                    }
                ],
                "tasks": [{"kind": PAYLOAD, "description": PAYLOAD, "rule_id": PAYLOAD}],
                "issues": [
                    {"rule_id": PAYLOAD, "severity": "warning", "message": PAYLOAD, "field": None, "value": PAYLOAD}
                ],
                "plan_actions": [{"kind": PAYLOAD, "description": PAYLOAD, "rule_id": PAYLOAD}],
                "plan_program_ids": [PAYLOAD],
            }
        ],
    }
