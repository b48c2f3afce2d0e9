"""Chunked validation gives the same findings as validating the whole collection.

The next step runs the rules on a distributed engine, each worker holding a chunk of NAT00120 and the full
reference files (or their key sets). Two splits are checked:

* **row ranges** — any contiguous split of NAT00120; valid for every rule except those in
  :data:`~avetmiss_finalise.validation.keysets.CLIENT_PARTITIONED`, given the whole file's
  :data:`~avetmiss_finalise.validation.keysets.NAT00120_REFERENCE_KEYS` (X-06 reads them);
* **client partitions** — every record of a client in one chunk (index labels kept); valid for every rule.

Findings about files other than NAT00120 repeat in every chunk; merging deduplicates them (set union).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.validation import (
    ValidationOptions,
    rules_crossfile,
    rules_nsw,
    rules_period,
    rules_qld,
    rules_records,
    rules_usage,
)
from avetmiss_finalise.validation.keysets import CLIENT_PARTITIONED, NAT00120_REFERENCE_KEYS
from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import SampleCollection, consistent_collections
from tests.validation import (
    test_rules_crossfile,
    test_rules_nsw,
    test_rules_period,
    test_rules_records,
    test_rules_usage,
)
from tests.validation.harness import ACT, Found, context, run

MODULES = {m.__name__ for m in (rules_records, rules_crossfile, rules_period, rules_nsw, rules_usage, rules_qld)}
RULES = sorted(r.id for r in REGISTRY.values() if r.implemented and r.check and r.check.__module__ in MODULES)
BREAKERS = [
    *(b for _, b in test_rules_records.CASES.values()),
    *(b for _, b in test_rules_period.CASES.values()),
    *test_rules_crossfile.CASES.values(),
    *test_rules_nsw.CASES.values(),
    *test_rules_usage.CASES.values(),
    lambda c, data: test_rules_usage.achieved_again(c, data),
]
FEW = settings(max_examples=max(8, settings().max_examples // 3))


@st.composite
def broken_collections(draw: st.DrawFn) -> SampleCollection:
    """A consistent collection with a few random rules broken, so there is something to find."""
    profile = draw(st.sampled_from(("national", "nsw", "qld")))
    c = draw(consistent_collections(profile=profile, max_clients=6))
    data = draw(st.data())
    for _ in range(draw(st.integers(1, 5))):
        c = draw(st.sampled_from(BREAKERS))(c, data).collection
    return c


def _all(frames: Mapping[str, pd.DataFrame], profile: str, rules: list[str], **kw: object) -> set[tuple[str, Found]]:
    ctx = context(frames, profile=profile, **kw)  # type: ignore[arg-type]
    return {(rule_id, f) for rule_id in rules for f in run(rule_id, ctx)}


def _chunked(
    c: SampleCollection, chunks: list[pd.DataFrame], rules: list[str], options: ValidationOptions | None = None
) -> set[tuple[str, Found]]:
    """Findings of every chunk (each with the whole other files and NAT00120's key sets), merged as a set.
    ``options`` (reference data included) are the same object for every chunk, as an engine shares them."""
    frames = c.frames()
    whole = context(frames, profile=c.profile)
    keys = {k: whole.keys(*k) or frozenset() for k in NAT00120_REFERENCE_KEYS}
    out: set[tuple[str, Found]] = set()
    for chunk in chunks:
        out |= _all({**frames, ACT: chunk}, c.profile, rules, reference_keys=keys, options=options, year=c.year)
    return out


@FEW
@given(c=broken_collections(), data=st.data())
def test_row_range_chunks_give_the_same_findings(c: SampleCollection, data: st.DataObject) -> None:
    """Every rule outside CLIENT_PARTITIONED: NAT00120 split at random row boundaries."""
    rules = [r for r in RULES if r not in CLIENT_PARTITIONED]
    act = c.frames()[ACT]
    n = len(act)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=4), label="cuts"))
    bounds = [0, *cuts, n]
    chunks = [act.iloc[a:b] for a, b in itertools.pairwise(bounds)]
    assert _chunked(c, chunks, rules) == _all(c.frames(), c.profile, rules)


@FEW
@given(c=broken_collections(), data=st.data())
def test_client_partitioned_chunks_give_the_same_findings(c: SampleCollection, data: st.DataObject) -> None:
    """Every rule, including V-120-16, X-11, X-12, NSW-TO-03 and NSW-MAX-PROGRAMS: chunks partitioned by client."""
    act = c.frames()[ACT]
    k = data.draw(st.integers(1, 4), label="chunks")
    clients = sorted(set(act["client_id"].dropna()))
    part = {cl: data.draw(st.integers(0, k - 1), label=f"chunk of {cl}") for cl in clients}
    which = act["client_id"].map(part).fillna(0).to_numpy(dtype=np.int64)
    chunks = [act[which == i] for i in range(k)]
    assert _chunked(c, chunks, RULES) == _all(c.frames(), c.profile, RULES)


def test_the_partition_list_names_only_real_rules() -> None:
    """CLIENT_PARTITIONED is documentation the distributed engine relies on: every id must exist."""
    assert set(RULES) >= CLIENT_PARTITIONED


def test_every_rule_runs_on_empty_and_all_blank_chunks() -> None:
    """A chunk may be empty or hold only blank rows: every rule of these modules runs and finds nothing wrong
    with blanks (blank keys and dates are the mandatory-field rules' findings)."""
    from avetmiss_finalise.nat.layouts import FILE_IDS
    from tests.strategies.collections import frame_of

    for profile in ("national", "nsw", "vic", "tas"):
        for n in (0, 3):
            frames = {f: frame_of(f, [{} for _ in range(n)], profile) for f in FILE_IDS}
            ctx = context(frames, profile=profile)
            for rule_id in RULES:
                found = run(rule_id, ctx)
                # Blank rows break no record/cross-file/period rule except "Commitment ID missing"-style
                # presence checks, which need a publicly funded row first.
                assert found == [], (profile, n, rule_id, found)
