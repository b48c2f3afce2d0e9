"""Findings embedded in the page as compact columnar JSON: each text column dictionary-encoded (values once, one
small integer per row), so 100,000 findings stay a few megabytes and the browser renders pages of them on demand
instead of parsing 100,000 table rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["COLUMNS", "encode_issues"]

#: Issue keys embedded, in the order of the page's location tables (``columns`` becomes ``"start-end"``).
COLUMNS: tuple[str, ...] = ("rule_id", "severity", "file", "line", "columns", "field", "value", "client_id", "message")


def encode_issues(issues: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``{"n": rows, "cols": {key: {"v": [distinct values], "c": [code per row]}}}``; ``line`` is a plain list
    (``null`` for a whole-file finding) and a missing text is ``null`` in ``v``."""
    n = len(issues)
    df = pd.DataFrame(list(issues), columns=list(COLUMNS)) if n else pd.DataFrame(columns=list(COLUMNS))
    cols: dict[str, Any] = {}
    for key in COLUMNS:
        s = df[key]
        if key == "line":
            cols[key] = [None if pd.isna(v) else int(v) for v in s]
            continue
        if key == "columns":
            s = s.map(lambda c: None if c is None or (isinstance(c, float) and pd.isna(c)) else f"{c[0]}-{c[1]}")
        codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
        values: list[Any] = [str(u) for u in uniques]
        if (codes < 0).any():
            codes[codes < 0] = len(values)
            values.append(None)
        cols[key] = {"v": values, "c": codes.tolist()}
    return {"n": n, "cols": cols}
