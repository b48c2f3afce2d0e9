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
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.validation import ValidationOptions
from avetmiss_finalise.validation.keysets import CLIENT_PARTITIONED, NAT00120_REFERENCE_KEYS
from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import Broken, SampleCollection, breakers, consistent_collections, frame_of
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


# -------------------------------------------------------------------- every client file partitioned by client

#: The files the stream engine partitions by client, all by the same hash (engines.reading.CLIENT_FILES).
CLIENT_FILES = ("NAT00080", "NAT00085", "NAT00090", "NAT00100", ACT, "NAT00130")
#: Breakers of the rules on the client files other than NAT00120 (tests/strategies' registered breakers).
CLIENT_FILE_BREAKERS = [
    b for r, b in sorted(breakers().items()) if r in REGISTRY and set(REGISTRY[r].files) & (set(CLIENT_FILES) - {ACT})
]


def _copy_of(c: SampleCollection, data: st.DataObject, file_id: str, **cells: Any) -> SampleCollection:
    """``c`` with a copy of one of ``file_id``'s rows (changed by ``cells``) appended: far from the original."""
    if not c.rows.get(file_id):
        return c
    row = dict(c.rows[file_id][data.draw(st.integers(0, len(c.rows[file_id]) - 1), label=f"{file_id} copied")])
    return c.with_rows(file_id, [*c.rows[file_id], {**row, **cells}])


def crossing(c: SampleCollection, data: st.DataObject) -> SampleCollection:
    """One client's records made to meet across files and lines: a NAT00080 client repeated at the end (V-080-01),
    a NAT00085 of a client named otherwise (V-085-01), records with a blank client in several files (a blank id is
    a client like any other: V-090-01, X-03 …), a completion or activity of a client only other files know."""
    kind = data.draw(st.sampled_from(("client twice", "details twice", "blank client", "orphans")), label="crossing")
    if kind == "client twice":
        return _copy_of(c, data, "NAT00080")
    if kind == "details twice":
        return _copy_of(c, data, "NAT00085", client_family_name="OTHERNAME")
    if kind == "blank client":
        for f in data.draw(st.lists(st.sampled_from(CLIENT_FILES), min_size=1, max_size=4, unique=True), label="in"):
            c = _copy_of(c, data, f, client_id=None)
        return c
    c = _copy_of(c, data, "NAT00130", client_id="ONLY130")
    return _copy_of(c, data, ACT, client_id="ONLY120")


@st.composite
def client_file_collections(draw: st.DrawFn) -> tuple[SampleCollection, int]:
    """The chunking suite's broken collections, further broken in the client files other than NAT00120 and with
    records that cross partitions (:func:`crossing`), with up to 8 clients; and a number of partitions."""
    c = draw(broken_collections())[0]
    data = draw(st.data())
    for _ in range(draw(st.integers(0, 3), label="client-file breakers")):
        broken = draw(st.sampled_from(CLIENT_FILE_BREAKERS))(c, data)
        c = broken.collection
    for _ in range(draw(st.integers(0, 3), label="crossings")):
        c = crossing(c, data)
    return c, draw(st.integers(1, 5), label="partitions")


def _every_checked_rule() -> list[str]:
    return [r.id for r in REGISTRY.values() if r.check is not None]


@FEW
@given(case=client_file_collections(), data=st.data())
def test_every_client_file_partitioned_by_client_gives_the_same_findings(
    case: tuple[SampleCollection, int], data: st.DataObject
) -> None:
    """The stream engine's split: NAT00080, NAT00085, NAT00090, NAT00100, NAT00120 and NAT00130 all partitioned by
    the same client (each client's records of every file in one chunk; some chunks without any record of a file),
    the other files whole, and only the key sets without ``client_id`` of the whole client files given
    (``engines.reading.CLIENT_REFERENCE_KEYS``, as ``reference_index``): every checked rule of the registry finds
    what it finds on the whole collection."""
    import attrs

    from avetmiss_finalise.engines.reading import CLIENT_REFERENCE_KEYS
    from avetmiss_finalise.validation.keysets import frame_index

    c, k = case
    frames = c.frames()
    clients = sorted({str(v) for f in CLIENT_FILES if f in frames for v in frames[f]["client_id"].dropna()})
    part = {cl: data.draw(st.integers(0, k - 1), label=f"chunk of {cl}") for cl in clients}
    blank = data.draw(st.integers(0, k - 1), label="chunk of the blank client")
    rules = _every_checked_rule()
    ctx = context(frames, profile=c.profile, year=c.year)
    whole = Counter((rule_id, f) for rule_id in rules for f in run(rule_id, ctx))
    index = {key: frame_index(frames[key[0]], key[1]) for key in CLIENT_REFERENCE_KEYS if key[0] in frames}
    records: Counter[tuple[str, Found]] = Counter()  # on a client file's record: made in one chunk only
    others: set[tuple[str, Found]] = set()  # on another file, or about a file: made alike in every chunk
    for i in range(k):
        chunk = dict(frames)
        for f in CLIENT_FILES:
            if f in frames:
                which = frames[f]["client_id"].astype(object).map(part).fillna(blank).to_numpy(dtype=np.int64)
                chunk[f] = frames[f][which == i]
        ctx = attrs.evolve(context(chunk, profile=c.profile, year=c.year), reference_index=index)
        for rule_id in rules:
            for found in run(rule_id, ctx):
                if found.file in CLIENT_FILES and found.row >= 0:
                    records[(rule_id, found)] += 1
                else:
                    others.add((rule_id, found))
    assert records + Counter(others) == whole


def test_v120_16_leaves_a_blank_client_out_of_the_groups() -> None:
    """Found by the property above: V-120-16 grouped rows by (client, program) with code -1 for a blank client, and
    indexed its per-group flags with it. A chunk whose only program rows had a blank client failed (IndexError), and
    a whole file with a blank-client row and a client mixing 3 and 4 failed in ``bincount``; a blank client id is
    no group, so only the client that mixes 3 and 4 is reported (its odd row out)."""
    base = {"training_organisation_id": "90000", "client_id": "C0000001", "subject_id": "BSBTST001"}
    rows = [
        {**base, "client_id": None, "program_id": "BSB40120", "commencing_program_id": "3"},
        {**base, "program_id": "BSB40120", "commencing_program_id": "4"},
        {**base, "program_id": "BSB40120", "commencing_program_id": "4", "subject_id": "BSBTST002"},
        {**base, "program_id": "BSB40120", "commencing_program_id": "3", "subject_id": "BSBTST003"},
    ]
    whole = run("V-120-16", context({ACT: frame_of(ACT, rows, "national")}))
    assert [(f.row, f.field) for f in whole] == [(3, "commencing_program_id")]
    assert run("V-120-16", context({ACT: frame_of(ACT, rows[:1], "national")})) == []


def test_v085_01_looks_up_a_blank_client_whatever_the_other_clients() -> None:
    """Found by the property above: V-085-01 mapped NAT00085's client ids to NAT00080's names with pandas, which
    matched a blank id to NAT00080's blank one when it was alone but not beside another id ('NOSUCH01'), so a
    partition holding the blank client and an unknown one missed the finding the whole collection gave."""
    n80 = [{"client_id": None, "name_for_encryption": "SAMPLE, ALEX"}]
    n85 = [{"client_id": "NOSUCH01", "client_family_name": "X"}, {"client_id": None, "client_family_name": "OTHER"}]
    frames = {"NAT00080": frame_of("NAT00080", n80), "NAT00085": frame_of("NAT00085", n85)}
    assert [(f.file, f.row) for f in run("V-085-01", context(frames))] == [("NAT00085", 1)]
