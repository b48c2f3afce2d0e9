"""Many providers in one run: every submission (a zip or a folder) under one directory validated on its own.

A state training authority receives one submission per provider each month. ``validate_each(DIR)`` validates each
immediate child of ``DIR`` that is a zip file or a directory, in parallel processes, and returns an
:class:`EachReport`: one :class:`~avetmiss_finalise.validation.report.Report` per submission, in order of name
(so the output never depends on which process finished first), and the summary (records, errors, warnings, info,
ok per submission; totals). A submission that cannot be read is reported as such — its error, exit code 2 — and
does not stop the others; anything else raised is our bug and propagates. Given a Dask ``client``, each submission
is one task on the cluster instead (a submission is small beside a national file, so one worker validates it
whole; the cluster spreads the submissions, as the local pool spreads them over processes).

Reports travel between processes by pickle; their read-only mappings (``MappingProxyType``) are registered with
multiprocessing's pickler as plain dicts, which the reports' converters make read-only again.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from avetmiss_finalise.errors import AvetmissError, UsageError
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation.report import Report

__all__ = ["EACH_SCHEMA_VERSION", "EachReport", "Submission", "default_jobs", "find_submissions", "validate_each"]

#: Version of the ``--each`` JSON document (docs/report-schema.md, schemas/validation-each.schema.json).
EACH_SCHEMA_VERSION = "1.0"


def _proxy(d: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(d)


def _reduce_proxy(m: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(m),)


def _register_pickling() -> None:
    from multiprocessing.reduction import ForkingPickler

    ForkingPickler.register(MappingProxyType, _reduce_proxy)


_register_pickling()


@attrs.frozen(kw_only=True)
class Submission:
    """One provider's submission: its ``name`` (the zip's or folder's), and either its ``report`` or the ``error``
    that stopped it being read (``summary``: the collection's facts, when asked for, for the HTML page)."""

    name: str
    path: str
    report: Report | None = None
    error: str | None = None
    summary: Any = None

    @property
    def records(self) -> int:
        return sum(self.report.files.values()) if self.report is not None else 0

    def counts(self) -> dict[str, int]:
        """Findings per severity label (zeros when unreadable)."""
        if self.report is None:
            return {s.label: 0 for s in sorted(Severity, reverse=True)}
        return self.report.counts()

    def ok(self, fail_on: Severity = Severity.ERROR) -> bool:
        """Read, and no finding at or above ``fail_on``."""
        return self.report is not None and not self.report.failed(fail_on)

    def exit_code(self, fail_on: Severity = Severity.ERROR) -> int:
        """2 unreadable, 1 a finding at or above ``fail_on``, 0 clean: the code ``validate`` alone would give."""
        if self.report is None:
            return 2
        return 1 if self.report.failed(fail_on) else 0

    def row(self, fail_on: Severity = Severity.ERROR) -> dict[str, Any]:
        """The summary row: name, records, errors, warnings, info, ok, exit code, error."""
        c = self.counts()
        return {
            "name": self.name,
            "records": self.records,
            "errors": c["error"],
            "warnings": c["warning"],
            "info": c["info"],
            "ok": self.ok(fail_on),
            "exit_code": self.exit_code(fail_on),
            "error": self.error,
        }


@attrs.frozen(kw_only=True)
class EachReport:
    """Every submission under ``source`` (sorted by name) and what is true of them all."""

    source: str
    submissions: tuple[Submission, ...]

    def exit_code(self, fail_on: Severity = Severity.ERROR) -> int:
        """The worst submission's code (2 > 1 > 0)."""
        return max((s.exit_code(fail_on) for s in self.submissions), default=0)

    def ok(self, fail_on: Severity = Severity.ERROR) -> bool:
        return all(s.ok(fail_on) for s in self.submissions)

    def totals(self, fail_on: Severity = Severity.ERROR) -> dict[str, int]:
        rows = [s.row(fail_on) for s in self.submissions]
        return {
            "submissions": len(rows),
            "records": sum(r["records"] for r in rows),
            "errors": sum(r["errors"] for r in rows),
            "warnings": sum(r["warnings"] for r in rows),
            "info": sum(r["info"] for r in rows),
            "ok": sum(1 for r in rows if r["ok"]),
            "failed": sum(1 for r in rows if r["exit_code"] == 1),
            "unreadable": sum(1 for r in rows if r["exit_code"] == 2),
        }

    def to_dict(self, *, fail_on: Severity = Severity.ERROR, show_personal_data: bool | None = None) -> dict[str, Any]:
        """The ``--each`` JSON document (schemas/validation-each.schema.json): the summary, and every
        submission's full report (masked unless shown) under ``report``."""
        from avetmiss_finalise import __version__

        return {
            "schema_version": EACH_SCHEMA_VERSION,
            "tool": {"name": "avetmiss-finalise", "version": __version__},
            "source": self.source,
            "ok": self.ok(fail_on),
            "exit_code": self.exit_code(fail_on),
            "fail_on": fail_on.label,
            "totals": self.totals(fail_on),
            "submissions": [
                {
                    **s.row(fail_on),
                    "report": None if s.report is None else s.report.to_dict(show_personal_data=show_personal_data),
                }
                for s in self.submissions
            ],
        }


def find_submissions(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(name, path) of every immediate child of ``path`` that is a submission, sorted by name.

    A directory or a ``.zip`` is one; so is anything that is neither a directory nor a regular file (a FIFO, a
    device, a socket, a broken symlink): such an entry is reported as an unreadable submission (exit 2, with the
    reader's located message) rather than silently skipped. Hidden entries (``.git``) and regular files that are
    not zips (a README beside the submissions) are not submissions."""
    from avetmiss_finalise.nat.presence import missing_path

    root = Path(path)
    if not root.exists():
        raise missing_path(root)
    if not root.is_dir():
        raise UsageError(f"{root}: --each needs a directory whose entries are submissions (zips or folders)")
    found = [
        (child.name, str(child)) for child in root.iterdir() if not child.name.startswith(".") and _is_submission(child)
    ]
    if not found:
        raise UsageError(f"{root}: no submission (a zip file or a folder) in this directory")
    return sorted(found)


def _is_submission(child: Path) -> bool:
    """Not a plain non-zip file. ``is_file``/``is_dir`` follow symlinks and never open the entry, so a FIFO or
    ``/dev/zero`` behind a link is classified without blocking or reading it."""
    if child.is_dir():
        return True
    if child.is_file():
        return child.suffix.lower() == ".zip"
    return True  # special file or dangling link: the validator says what it is


def default_jobs() -> int:
    """min(CPUs, 4): past four processes the disk, not the CPU, is what a run waits on."""
    return max(1, min(os.cpu_count() or 1, 4))


def _one(name: str, path: str, params: dict[str, Any], with_summary: bool) -> Submission:
    """Validate one submission (in a worker process); an unreadable one becomes its error, not an exception."""
    from avetmiss_finalise.validation.engine import validate

    try:
        if not with_summary:
            return Submission(name=name, path=path, report=validate(path, **params))
        from avetmiss_finalise.nat import read_collection
        from avetmiss_finalise.nat.presence import require_nat_files
        from avetmiss_finalise.summary import summarise

        profile, limits = params.get("profile", "national"), params.get("limits")
        coll = require_nat_files(read_collection(path, profile=profile, limits=limits, digests=True))
        rest = {k: v for k, v in params.items() if k != "limits"}
        report = attrs.evolve(validate(coll, **rest), source=path)
        facts = summarise(coll.frames, period=report.period, profile=report.profile, source=path)
        return Submission(name=name, path=path, report=report, summary=facts)
    except AvetmissError as exc:
        return Submission(name=name, path=path, error=str(exc))


def validate_each(
    path: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    client: Any = None,
    with_summary: bool = False,
    on_done: Callable[[Submission], None] | None = None,
    **validate_kwargs: Any,
) -> EachReport:
    """Validate every submission under ``path`` (:func:`find_submissions`) with ``validate(sub, **validate_kwargs)``.

    ``jobs``: processes (default :func:`default_jobs`; 1 runs in this process). ``client``: a
    ``distributed.Client``; each submission is then one task on its cluster (every worker must read ``path`` at
    the same path) and ``jobs`` must be left out — the cluster's workers are the parallelism. ``with_summary``: also
    summarise each collection (what the HTML page shows). ``on_done``: called with each submission as it finishes
    (in completion order; a progress bar), while the result is in name order whatever the order of completion."""
    from avetmiss_finalise.profiles import get_profile
    from avetmiss_finalise.validation.engine import selected_rules
    from avetmiss_finalise.validation.options import ValidationOptions

    subs = find_submissions(path)
    # Misuse is refused once, before any submission is read, rather than reported against each of them.
    selected_rules(
        get_profile(validate_kwargs.get("profile", "national")),
        validate_kwargs.get("options") or ValidationOptions(),
        validate_kwargs.get("rules"),
    )
    if client is not None:
        if jobs is not None:
            raise UsageError(
                "jobs counts local processes; with a Dask client the cluster's workers run the submissions"
            )
        if "client" in validate_kwargs or validate_kwargs.get("engine") == "dask":
            raise UsageError("with a Dask client each submission is one task: validate it with engine memory or stream")
        runs = _run_on_dask(client, subs, validate_kwargs, with_summary, on_done)
    else:
        n = default_jobs() if jobs is None else jobs
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise UsageError(f"jobs must be a whole number of at least 1, got {jobs!r}")
        runs = _run(subs, min(n, len(subs)), validate_kwargs, with_summary, on_done)
    done = dict(runs)
    return EachReport(source=os.fspath(path), submissions=tuple(done[name] for name, _ in subs))


def _run(
    subs: list[tuple[str, str]],
    jobs: int,
    params: dict[str, Any],
    with_summary: bool,
    on_done: Callable[[Submission], None] | None,
) -> Iterator[tuple[str, Submission]]:
    if jobs <= 1:
        for name, sub_path in subs:
            sub = _one(name, sub_path, params, with_summary)
            if on_done is not None:
                on_done(sub)
            yield name, sub
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_one, name, sub_path, params, with_summary) for name, sub_path in subs]
        for future in as_completed(futures):
            sub = future.result()
            if on_done is not None:
                on_done(sub)
            yield sub.name, sub


def _one_pickled(name: str, path: str, params: dict[str, Any], with_summary: bool) -> bytes:
    """:func:`_one` on a Dask worker, its submission pickled by multiprocessing's pickler: the reports' read-only
    mappings are registered there (above), not with the pickler Dask uses for results."""
    from multiprocessing.reduction import ForkingPickler

    return bytes(ForkingPickler.dumps(_one(name, path, params, with_summary)))


def _run_on_dask(
    client: Any,
    subs: list[tuple[str, str]],
    params: dict[str, Any],
    with_summary: bool,
    on_done: Callable[[Submission], None] | None,
) -> Iterator[tuple[str, Submission]]:
    """One task per submission; results as they finish. A task that raised (our bug) raises here, as the local
    pool's future does."""
    import pickle

    from avetmiss_finalise.engines.dask_engine import require_dask

    distributed = require_dask()
    # A scheduler gives a task submitted under a key it already holds the result of the first: a run's own token
    # in each key, so two runs on one cluster (another DIR with a submission of the same name, other options)
    # never receive each other's reports.
    run = uuid.uuid4().hex
    futures = [
        client.submit(
            _one_pickled, name, sub_path, params, with_summary, pure=False, key=f"avetmiss-each-{run}-{i}-{name}"
        )
        for i, (name, sub_path) in enumerate(subs)
    ]
    for future in distributed.as_completed(futures):
        sub: Submission = pickle.loads(future.result())  # our own worker's bytes
        if on_done is not None:
            on_done(sub)
        yield sub.name, sub
