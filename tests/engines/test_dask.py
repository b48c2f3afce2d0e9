"""The Dask engine gives the report of the in-memory run: same findings (lines included), files and rules.

The streaming suite's collections (rules broken across partition boundaries) and byte-level damage
(tests/engines/test_stream.py) are validated whole and on a local Dask cluster of two in-process workers (one for
the module: quick, loopback only), with partitions from 1 record (every boundary, every client shuffled) upwards.
Skipped, saying why, where the dask extra is not installed; .ci/run installs it.
"""

from __future__ import annotations

import builtins
import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.engines import reading
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.validation import validate
from tests.cli.test_validate_each import build_submissions, fix_clock
from tests.engines.test_stream import (
    CLIENT_COLLECTIONS,
    CLIENT_FILES,
    FEW,
    SAMPLE,
    assert_same,
    capped_and_mixed,
    damaged,
    rows,
    write,
)
from tests.strategies.collections import SampleCollection

distributed = pytest.importorskip(
    "distributed", reason="the dask extra is not installed (pip install 'avetmiss-finalise[dask]')"
)
pytest.importorskip("dask.dataframe", reason="the dask extra is not installed (pip install 'avetmiss-finalise[dask]')")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as c,
        distributed.Client(c) as cl,
    ):
        yield cl


def _both(where: Path, client: Any, chunk_rows: int, profile: str = "national", year: int = 2026, **kw: Any) -> Any:
    whole = validate(where, period=year, profile=profile, **kw)
    on_dask = validate(where, period=year, profile=profile, engine="dask", client=client, chunk_rows=chunk_rows, **kw)
    return whole, on_dask


@FEW
@given(c=CLIENT_COLLECTIONS, data=st.data())
def test_dask_gives_the_in_memory_findings(client: Any, c: SampleCollection, data: st.DataObject) -> None:
    """Every client file (NAT00080 … NAT00130) is shuffled by client: a client's records crossing files and lines
    (duplicates, blank clients, orphans), and byte damage in any of them, give the whole read's findings."""
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        write(c, where)
        present = [f for f in CLIENT_FILES if (where / f"{f}.txt").exists()]
        for f in data.draw(st.lists(st.sampled_from(present), max_size=2, unique=True), label="files damaged"):
            damage = where / f"{f}.txt"
            damage.write_bytes(data.draw(damaged(damage.read_bytes()), label=f"{f} bytes"))
        n = max(len(c.rows.get(f, [])) for f in CLIENT_FILES)
        chunk = data.draw(st.sampled_from(sorted({1, 2, 3, max(1, n // 2), n + 1})), label="chunk_rows")
        # The driver's scan reads at most BLOCK_CAP bytes at once and gathers consecutive blocks into one task of
        # chunk_rows records' worth: a cap of 1 byte makes every task many scanned blocks.
        cap = data.draw(st.sampled_from([1, 300, 1 << 24]), label="BLOCK_CAP")
        with mock.patch.object(reading, "BLOCK_CAP", cap):
            whole, on_dask = _both(where, client, chunk, c.profile, c.year, limits=Limits(max_record_length=1024))
        assert_same(whole, on_dask)


@pytest.mark.parametrize("chunk_rows", [60])
def test_reader_caps_and_file_level_findings_merge_across_partitions(
    tmp_path: Path, client: Any, chunk_rows: int
) -> None:
    """Over a hundred bad dates (capped per kind over the file), mixed line endings found only across partitions,
    an over-long record cut at the limit: the workers' reads of their byte ranges merge as a whole read."""
    capped_and_mixed(tmp_path)
    whole, on_dask = _both(tmp_path, client, chunk_rows, limits=Limits(max_record_length=1024))
    assert any(r[0] == "NAT-TRUNCATED" for r in rows(whole))
    assert any(r[0] == "NAT-EOL" for r in rows(whole))
    assert_same(whole, on_dask)


def test_a_zip_a_single_file_and_no_records(tmp_path: Path, client: Any) -> None:
    """A zip member's blocks are shipped by the driver (no worker can seek into it); a lone NAT00120, one with no
    records (only the other client files' rows in a partition) and a collection whose client files are all empty
    are validated as the in-memory engine validates them."""
    with zipfile.ZipFile(tmp_path / "c.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(SAMPLE.iterdir()):
            z.write(f, f"sub/{f.name}")
    empty = tmp_path / "empty"
    empty.mkdir()
    for f in SAMPLE.iterdir():
        (empty / f.name).write_bytes(b"" if f.name == "NAT00120.txt" else f.read_bytes())
    # Every client file present but empty: no partition at all, every rule on the provider's files alone.
    no_clients = tmp_path / "no_clients"
    no_clients.mkdir()
    for f in SAMPLE.iterdir():
        (no_clients / f.name).write_bytes(b"" if f.name[:8] in CLIENT_FILES else f.read_bytes())
    for where in (tmp_path / "c.zip", SAMPLE / "NAT00120.txt", empty, no_clients):
        for chunk, cap in ((1, 1 << 24), (20, 1 << 24), (20, 1)):
            # 1: every client file of the zip in many blocks, shipped by the driver; a cap of 1 byte: each block
            # shipped is many scanned blocks joined
            with mock.patch.object(reading, "BLOCK_CAP", cap):
                whole, on_dask = _both(where, client, chunk)
            assert_same(whole, on_dask)


def test_the_cli_runs_on_a_local_cluster_of_two_worker_processes(tmp_path: Path) -> None:
    """``--engine dask --workers 2`` starts a LocalCluster of two worker processes for the run (so everything a
    worker is sent pickles) and gives the in-memory run's findings."""
    from avetmiss_finalise.cli import main

    out = tmp_path / "dask.json"
    mem = tmp_path / "memory.json"
    common = ["validate", str(SAMPLE), "--period", "2026", "--format", "json"]
    assert main([*common, "--engine", "dask", "--workers", "2", "--chunk-rows", "20", "--output", f"json:{out}"]) == 0
    assert main([*common, "--output", f"json:{mem}"]) == 0
    got, want = json.loads(out.read_text()), json.loads(mem.read_text())
    for part in ("counts", "files", "inputs", "rules", "rules_run", "rules_skipped"):
        assert got[part] == want[part], part
    key = lambda f: json.dumps(f, sort_keys=True)  # noqa: E731
    assert sorted(map(key, got["issues"])) == sorted(map(key, want["issues"]))


def test_without_the_extra_it_is_a_usage_error_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_dask(name: str, *args: Any, **kw: Any) -> Any:
        if name == "distributed" or name.split(".")[0] == "dask":
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(UsageError, match=r"install avetmiss-finalise\[dask\]"):
        validate(SAMPLE, period=2026, engine="dask")
    from avetmiss_finalise.cli import main

    assert main(["validate", str(SAMPLE), "--period", "2026", "--engine", "dask", "--workers", "1"]) == 2


def test_bad_dask_arguments_are_usage_errors(client: Any) -> None:
    with pytest.raises(UsageError, match=r"distributed\.Client"):
        validate(SAMPLE, engine="dask", client="tcp://nowhere")
    with pytest.raises(UsageError, match="client is for engine='dask'"):
        validate(SAMPLE, engine="stream", client=client)


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_submissions(tmp_path_factory.mktemp("each"))


def _rows(each: Any) -> list[tuple[Any, ...]]:
    """Each submission's summary row and its findings (the report's clock and host aside)."""
    key = lambda i: json.dumps(i, sort_keys=True)  # noqa: E731
    return [
        (tuple(s.row().items()), None if s.report is None else sorted(map(key, s.report.to_dict()["issues"])))
        for s in each.submissions
    ]


def test_each_on_dask_runs_one_task_per_submission_and_gives_the_local_run(client: Any, subs: Path) -> None:
    """``validate_each(client=…)``: every submission (a clean one, a broken one, an unreadable zip) is a task on the
    cluster, and the result — order, rows, findings, the unreadable one's error — is the local run's."""
    from avetmiss_finalise.validation.each import validate_each

    seen: list[str] = []
    on_dask = validate_each(subs, client=client, on_done=lambda s: seen.append(s.name), period=2026)
    local = validate_each(subs, jobs=1, period=2026)
    assert sorted(seen) == [s.name for s in on_dask.submissions] == ["broken", "clean", "unreadable.zip"]
    assert _rows(on_dask) == _rows(local)
    assert on_dask.exit_code() == 2 and on_dask.submissions[2].error == local.submissions[2].error
    with pytest.raises(UsageError, match="cluster's workers"):
        validate_each(subs, client=client, jobs=2, period=2026)
    with pytest.raises(UsageError, match="one task"):
        validate_each(subs, client=client, engine="dask", period=2026)


class _KeyRecorder:
    """A Client that records the key of every task submitted through it."""

    def __init__(self, client: Any) -> None:
        self.client, self.keys = client, []

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        self.keys.append(kwargs["key"])
        return self.client.submit(*args, **kwargs)


def test_two_each_runs_on_one_cluster_never_share_a_task_key(client: Any, subs: Path) -> None:
    """A scheduler hands a task submitted under a key it already holds the first task's result: two runs (other
    options, or another DIR whose submissions have the same names) with one key would each get the other's
    reports. Every run's keys are its own."""
    from avetmiss_finalise.validation.each import validate_each

    first, second = _KeyRecorder(client), _KeyRecorder(client)
    validate_each(subs, client=first, period=2026)
    validate_each(subs, client=second, period=2025)
    assert len(first.keys) == len(set(first.keys)) == 3
    assert not set(first.keys) & set(second.keys)


def test_each_on_a_local_cluster_of_worker_processes_writes_the_local_runs_bytes(
    subs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate DIR --each --workers 2``: the submissions go to two worker processes (so every report pickles
    across) and every file written, in every format, is byte for byte the one ``-j 1`` writes; ``--jobs`` beside
    a cluster is refused (exit 2)."""
    from avetmiss_finalise.cli import main

    fix_clock(monkeypatch)

    def tree(out: Path, *flags: str) -> tuple[int, dict[str, bytes]]:
        outputs = [a for f in ("json", "csv", "text", "html") for a in ("-o", f"{f}:{out / f}")]
        code = main(["validate", str(subs), "--each", "--period", "2026", *flags, *outputs])
        capsys.readouterr()
        return code, {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    assert tree(tmp_path / "dask", "--workers", "2") == tree(tmp_path / "local", "-j", "1")
    assert main(["validate", str(subs), "--each", "--workers", "1", "-j", "2"]) == 2
    assert "cluster's workers" in capsys.readouterr().err


def test_dask_tells_each_client_partition_as_it_finishes(client: Any) -> None:
    """``progress`` counts the client partitions up to their number, one step each, and the report is the same."""
    told: list[tuple[str, int, int | None]] = []
    on_dask = validate(
        SAMPLE, period=2026, engine="dask", client=client, chunk_rows=20, progress=lambda *s: told.append(s)
    )
    assert told and {phase for phase, _, _ in told} == {"validate"}
    assert [done for _, done, _ in told] == list(range(1, len(told) + 1)) and told[-1][2] == len(told)
    assert_same(validate(SAMPLE, period=2026), on_dask)


@pytest.mark.parametrize("zipped", [False, True])
def test_dask_frees_each_parsed_block_once_the_shuffle_has_split_it(client: Any, tmp_path: Path, zipped: bool) -> None:
    """Once the graph is submitted the driver lets go of the parsed blocks (their rows and cells too, and a zip's
    scattered bytes), so no worker holds a block after its shuffle has used it: by the last client partition
    none is in memory."""
    scheduler = client.cluster.scheduler
    where = SAMPLE
    if zipped:
        where = tmp_path / "c.zip"
        with zipfile.ZipFile(where, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(SAMPLE.iterdir()):
                z.write(f, f.name)
    held: list[list[str]] = []

    def tell(phase: str, done: int, total: int | None) -> None:
        if done == total:
            held.append(
                [
                    str(key)
                    for key, task in list(scheduler.tasks.items())
                    if str(key).startswith(("parse-", "rows-", "cells-", "RecordBlock-")) and task.state == "memory"
                ]
            )

    on_dask = validate(where, period=2026, engine="dask", client=client, chunk_rows=20, progress=tell)
    assert held == [[]]
    assert_same(validate(where, period=2026), on_dask)
