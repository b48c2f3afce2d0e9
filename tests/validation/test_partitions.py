"""The public chunk API: partitions validated apart and merged give the report of the whole.

For generated collections — consistent ones, and ones with rules broken across partition boundaries
(``broken_collections`` of the chunking contract) — NAT00120 is partitioned by client into k parts, each part is
validated with the whole file's ``reference_keys``, and :meth:`Report.merge` must give the whole report's findings
(every row, line numbers included), ``rules_run`` and ``rules_skipped``.
"""

from __future__ import annotations

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.validation import Report, ValidationOptions, validate
from avetmiss_finalise.validation.partitions import merge_reports, partition_by_client, reference_keys
from tests.strategies.collections import SampleCollection, consistent_collections
from tests.validation.test_chunking import Case, broken_collections

FEW = settings(max_examples=max(6, settings().max_examples // 8))


def _rows(report: Report) -> set[tuple[object, ...]]:
    df = report.findings.astype(object)
    return set(df.where(df.notna(), None).itertuples(index=False, name=None))


def _whole_and_merged(c: SampleCollection, k: int) -> tuple[Report, Report]:
    frames = c.frames()
    whole = validate(frames, period=c.year, profile=c.profile)
    keys = reference_keys(frames, profile=c.profile)
    parts = partition_by_client(frames, k, profile=c.profile)
    reports = [validate(p, period=c.year, profile=c.profile, reference_keys=keys) for p in parts]
    return whole, Report.merge(reports)


def _assert_same(whole: Report, merged: Report) -> None:
    assert _rows(merged) == _rows(whole)
    assert len(merged.findings) == len(whole.findings)
    assert merged.rules_run == whole.rules_run
    assert dict(merged.rules_skipped) == dict(whole.rules_skipped)
    assert merged.files == whole.files
    assert merged.counts() == whole.counts()


@FEW
@given(c=consistent_collections(max_clients=6), k=st.integers(1, 4))
def test_partitions_of_a_consistent_collection_merge_to_the_whole(c: SampleCollection, k: int) -> None:
    _assert_same(*_whole_and_merged(c, k))


@FEW
@given(case=broken_collections(), k=st.integers(2, 4))
def test_rules_broken_across_partitions_merge_to_the_whole(case: Case, k: int) -> None:
    whole, merged = _whole_and_merged(case[0], k)
    _assert_same(whole, merged)


def _parts(
    k: int = 2,
) -> tuple[list[dict[str, pd.DataFrame]], dict[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]]]:
    from avetmiss_finalise.nat import read_collection
    from avetmiss_finalise.samples import sample_collection

    with sample_collection() as path:
        coll = read_collection(path)
    frames = dict(coll.frames)
    return partition_by_client(frames, k), reference_keys(frames)


def test_partitions_keep_every_record_once_with_its_line() -> None:
    parts, _ = _parts(3)
    labels = [label for p in parts for label in p["NAT00120"].index]
    assert sorted(labels) == list(range(len(labels)))
    clients = [set(p["NAT00120"]["client_id"].dropna()) for p in parts]
    assert all(not (a & b) for i, a in enumerate(clients) for b in clients[i + 1 :])


def test_reports_of_different_validations_are_refused_naming_what_differs() -> None:
    parts, keys = _parts()
    a = validate(parts[0], period=2026, reference_keys=keys)
    with pytest.raises(UsageError, match="period"):
        merge_reports([a, validate(parts[1], period=2025, reference_keys=keys)])
    with pytest.raises(UsageError, match="profile"):
        merge_reports([a, validate(parts[1], period=2026, profile="nsw", reference_keys=keys)])
    quiet = ValidationOptions(disabled_rules=frozenset({"F-03"}))
    with pytest.raises(UsageError, match="options"):
        merge_reports([a, validate(parts[1], period=2026, options=quiet, reference_keys=keys)])
    other = {**parts[1], "NAT00060": parts[1]["NAT00060"].iloc[:1]}
    with pytest.raises(UsageError, match="other than NAT00120"):
        merge_reports([a, validate(other, period=2026, reference_keys=keys)])
    with pytest.raises(UsageError, match="catalogue_version"):
        merge_reports([a, attrs.evolve(a, catalogue_version="sha256:0")])


def test_merge_refuses_nothing_and_non_reports() -> None:
    with pytest.raises(UsageError, match="at least one"):
        merge_reports([])
    with pytest.raises(UsageTypeError, match="dict"):
        merge_reports([{}])  # type: ignore[list-item]
    with pytest.raises(UsageError, match="at least 1"):
        partition_by_client({}, 0)


def test_a_single_report_merges_to_itself() -> None:
    parts, keys = _parts(1)
    one = validate(parts[0], period=2026, reference_keys=keys)
    merged = Report.merge([one])
    assert _rows(merged) == _rows(one) and merged.files == one.files and merged.inputs == one.inputs
