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
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.validation import ValidationOptions
from avetmiss_finalise.validation.keysets import CLIENT_PARTITIONED, NAT00120_REFERENCE_KEYS
from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import Broken, SampleCollection, consistent_collections
from tests.validation import (
    test_rules_crossfile,
    test_rules_nsw,
    test_rules_period,
    test_rules_records,
    test_rules_usage,
)
from tests.validation.harness import ACT, Breaker, Found, context, run

#: Every rule with a property-test breaker in these families, by registry ID (not by the module a check sits in,
#: so a rule moved to another module keeps its place here); each breaker with the rule it breaks.
NAMED_BREAKERS: list[tuple[str, Breaker]] = [
    *((rule_id, b) for rule_id, (_, b) in test_rules_records.CASES.items()),
    *((rule_id, b) for rule_id, (_, b) in test_rules_period.CASES.items()),
    *test_rules_crossfile.CASES.items(),
    *test_rules_nsw.CASES.items(),
    *test_rules_usage.CASES.items(),
    ("QLD-DUP-ACHIEVED", lambda c, data: test_rules_usage.achieved_again(c, data)),
]
#: The validation a breaker's rule needs to fire (V-120-11 only at an interim collection before December), from the
#: family's own table; the chunking tests validate the whole and the chunks with it when that rule is checked.
CONTEXTS: dict[str, dict[str, Any]] = {rule_id: kw for rule_id, (kw, _) in test_rules_period.CASES.items() if kw}
#: The profile a record rule's breaker is written for (V-120-10 hints at 85 only nationally; under nsw V-120-13
#: takes its place): when such a rule is the one checked, the collection is drawn under that profile.
PROFILES: dict[str, str] = {rule_id: profile for rule_id, (profile, _) in test_rules_records.CASES.items()}
RULES = sorted({rule_id for rule_id, _ in NAMED_BREAKERS})
BREAKERS = [b for _, b in NAMED_BREAKERS]
FEW = settings(max_examples=max(8, settings().max_examples // 3))


Case = tuple[SampleCollection, str, Broken, int]


def _in_force(rule_id: str, profile: str) -> bool:
    profiles = REGISTRY[rule_id].profiles
    return profiles is None or profile in profiles


@st.composite
def broken_collections(draw: st.DrawFn) -> Case:
    """A consistent collection with a few random rules broken, so there is something to find; the last rule
    broken (in force under the drawn profile), where it must fire, and how many breakers came before it."""
    profile = draw(st.sampled_from(("national", "nsw", "qld")))
    c = draw(consistent_collections(profile=profile, max_clients=6))
    data = draw(st.data())
    before = draw(st.integers(0, 4))
    for _ in range(before):
        c = draw(st.sampled_from(BREAKERS))(c, data).collection
    checked = [(r, b) for r, b in NAMED_BREAKERS if _in_force(r, profile) and PROFILES.get(r, profile) == profile]
    rule_id, breaker = draw(st.sampled_from(checked))
    broken = breaker(c, data)
    return broken.collection, rule_id, broken, before


def _expected_present(whole: set[tuple[str, Found]], case: Case) -> None:
    """The run is not vacuous: the last breaker's finding is there (an empty run would prove nothing). Alone on a
    consistent collection it must be; after other breakers, a rule may rightly stay quiet (one finding masks
    another), and such runs are discarded rather than compared."""
    _, rule_id, broken, before = case
    where = {(f.file, f.row, f.field) for r, f in whole if r == rule_id}
    present = (broken.file, broken.row, broken.field) in where
    if before == 0:
        assert present, (rule_id, broken.file, broken.row, broken.field)
    assume(present)


def _all(frames: Mapping[str, pd.DataFrame], profile: str, rules: list[str], **kw: object) -> set[tuple[str, Found]]:
    ctx = context(frames, profile=profile, **kw)  # type: ignore[arg-type]
    return {(rule_id, f) for rule_id in rules for f in run(rule_id, ctx)}


def _chunked(
    c: SampleCollection,
    chunks: list[pd.DataFrame],
    rules: list[str],
    options: ValidationOptions | None = None,
    **kw: Any,
) -> set[tuple[str, Found]]:
    """Findings of every chunk (each with the whole other files and NAT00120's key sets), merged as a set.
    ``options`` (reference data included) are the same object for every chunk, as an engine shares them; ``kw``
    (e.g. ``interim``) is the validation every chunk and the whole are run with."""
    frames = c.frames()
    whole = context(frames, profile=c.profile)
    keys = {k: whole.keys(*k) or frozenset() for k in NAT00120_REFERENCE_KEYS}
    kw = {"options": options, **kw}
    out: set[tuple[str, Found]] = set()
    for chunk in chunks:
        out |= _all({**frames, ACT: chunk}, c.profile, rules, reference_keys=keys, year=c.year, **kw)
    return out


@FEW
@given(case=broken_collections(), data=st.data())
def test_row_range_chunks_give_the_same_findings(case: Case, data: st.DataObject) -> None:
    """Every rule outside CLIENT_PARTITIONED: NAT00120 split at random row boundaries."""
    c, broken_rule = case[:2]
    rules = [r for r in RULES if r not in CLIENT_PARTITIONED]
    act = c.frames()[ACT]
    n = len(act)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=4), label="cuts"))
    bounds = [0, *cuts, n]
    chunks = [act.iloc[a:b] for a, b in itertools.pairwise(bounds)]
    kw = CONTEXTS.get(broken_rule, {})
    whole = _all(c.frames(), c.profile, rules, **kw)
    if broken_rule in rules:
        _expected_present(whole, case)
    assume(whole)  # the last breaker's rule is client-partitioned and nothing else fired: nothing to compare
    assert _chunked(c, chunks, rules, **kw) == whole


@FEW
@given(case=broken_collections(), data=st.data())
def test_client_partitioned_chunks_give_the_same_findings(case: Case, data: st.DataObject) -> None:
    """Every rule, including V-120-16, X-11, X-12, NSW-TO-03 and NSW-MAX-PROGRAMS: chunks partitioned by client."""
    c = case[0]
    act = c.frames()[ACT]
    k = data.draw(st.integers(1, 4), label="chunks")
    clients = sorted(set(act["client_id"].dropna()))
    part = {cl: data.draw(st.integers(0, k - 1), label=f"chunk of {cl}") for cl in clients}
    which = act["client_id"].map(part).fillna(0).to_numpy(dtype=np.int64)
    chunks = [act[which == i] for i in range(k)]
    kw = CONTEXTS.get(case[1], {})
    whole = _all(c.frames(), c.profile, RULES, **kw)
    _expected_present(whole, case)
    assert _chunked(c, chunks, RULES, **kw) == whole


def test_a_rule_that_needs_an_interim_collection_is_checked_in_one() -> None:
    """Found by CI: V-120-11 fires only at an interim collection before December, so the chunking tests drew its
    breaker and validated a final collection, where it rightly stays quiet, and called the run vacuous."""
    assert CONTEXTS["V-120-11"]["interim"] is True
    assert set(CONTEXTS) <= set(RULES)


def test_a_record_rule_is_checked_under_the_profile_its_breaker_is_for() -> None:
    """Found the same way: V-120-10's breaker drawn under nsw, where V-120-13 reports the 40 instead."""
    assert PROFILES["V-120-10"] == "national"
    assert PROFILES["V-120-13"] == "nsw"
    for profile in ("national", "nsw", "qld"):
        assert any(_in_force(r, profile) and PROFILES.get(r, profile) == profile for r, _ in NAMED_BREAKERS)


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
