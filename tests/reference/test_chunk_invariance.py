"""Reference-backed rules give the same findings on any chunking of NAT00120 as on the whole collection.

Reference data is whole-file and shared: every chunk is validated with the *same* immutable ``Reference`` object in
its options (as a streaming or Dask engine broadcasts it), using the chunking harness of
``tests/validation/test_chunking.py``. The reference rules look rows up one at a time, so row-range splits and
client partitions both hold.
"""

from __future__ import annotations

import itertools
import pickle

import attrs
import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.validation import (
    REGISTRY,
    ValidationOptions,
    rules_places,
    rules_register,
    rules_specific_funding,
)
from tests.strategies.collections import SampleCollection, consistent_collections
from tests.strategies.reference import references_for
from tests.validation.harness import ACT
from tests.validation.test_chunking import BREAKERS, _all, _chunked
from tests.validation.test_rules_reference import CASES

MODULES = {m.__name__ for m in (rules_places, rules_register, rules_specific_funding)}
RULES = sorted(r.id for r in REGISTRY.values() if r.check is not None and r.check.__module__ in MODULES)
#: Each example validates a whole collection once per chunking with every reference rule; a tenth of the profile
#: (8 in dev, 15 in ci) keeps the ci profile's cost modest (50 examples each took ~40 s on the shared machine).
FEW = settings(max_examples=max(8, settings().max_examples // 10))


@st.composite
def broken_with_reference(draw: st.DrawFn) -> tuple[SampleCollection, ValidationOptions]:
    """A consistent collection and an agreeing reference set, one reference rule broken, then a few others."""
    c = draw(consistent_collections(profile=draw(st.sampled_from(("national", "nsw"))), max_clients=6))
    data = draw(st.data())
    ref = draw(references_for(c))
    options: dict[str, object] = {"expected_toid": draw(st.sampled_from(("90000", "12345")))}
    for _ in range(draw(st.integers(1, 3))):
        broken = draw(st.sampled_from([CASES[r] for r in sorted(CASES)]))(c, ref, data)
        c, ref = broken.collection, broken.reference
        options.update(broken.options)
    for _ in range(draw(st.integers(0, 2))):
        c = draw(st.sampled_from(BREAKERS))(c, data).collection
    return c, ValidationOptions(reference=ref, **options)  # type: ignore[arg-type]


def test_the_reference_rules_are_all_here() -> None:
    assert set(RULES) == set(CASES)


@FEW
@given(case=broken_with_reference(), data=st.data())
def test_row_range_chunks_give_the_same_reference_findings(
    case: tuple[SampleCollection, ValidationOptions], data: st.DataObject
) -> None:
    c, options = case
    n = len(c.rows[ACT])
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=4), label="cuts"))
    act = c.frames()[ACT]
    chunks = [act.iloc[a:b] for a, b in itertools.pairwise([0, *cuts, n])]
    whole = _all(c.frames(), c.profile, RULES, options=options, year=c.year)
    # Later breakers can undo an earlier one; an empty run proves nothing about chunking, so it is not a case.
    assume(whole)
    assert _chunked(c, chunks, RULES, options) == whole


@FEW
@given(case=broken_with_reference(), data=st.data())
def test_client_partitions_with_a_pickled_reference_give_the_same_findings(
    case: tuple[SampleCollection, ValidationOptions], data: st.DataObject
) -> None:
    """Each chunk gets its own unpickled copy of the reference (a worker's view): still the same findings."""
    c, options = case
    act = c.frames()[ACT]
    k = data.draw(st.integers(1, 4), label="chunks")
    part = {cl: data.draw(st.integers(0, k - 1)) for cl in sorted(set(act["client_id"].dropna()))}
    which = act["client_id"].map(part).fillna(0).to_numpy(dtype=np.int64)
    shipped = attrs.evolve(options, reference=pickle.loads(pickle.dumps(options.reference)))
    chunks = [act[which == i] for i in range(k)]
    whole = _all(c.frames(), c.profile, RULES, options=options, year=c.year)
    assume(whole)  # an empty run proves nothing about partitioning
    assert _chunked(c, chunks, RULES, shipped) == whole
