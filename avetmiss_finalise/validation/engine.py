"""The validation engine: run registered rules over columnar frames and collect findings as one DataFrame.

Findings stay columnar (one row per finding, columns :data:`FINDING_COLUMNS`) so a collection with a million bad
rows is still reported quickly; :class:`~avetmiss_finalise.validation.report.Report` materialises ``Issue`` objects
only when asked. A hit row label of ``-1`` means "the file as a whole" (no line), e.g. a missing file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.period import parse_period
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.validation.audit import InputFile
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.progress import Progress
from avetmiss_finalise.validation.registry import (
    REGISTRY,
    Context,
    Hit,
    Period,
    Rule,
    catalogue_version,
    unmet_requirement,
)

if TYPE_CHECKING:
    from avetmiss_finalise.validation.report import Report

__all__ = [
    "FILE_LEVEL_ROW",
    "FINDING_COLUMNS",
    "SEVERITY_DTYPE",
    "empty_findings",
    "issues_frame",
    "parse_period",
    "rule_plan",
    "run_rules",
    "selected_rules",
    "validate",
]

FINDING_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "severity",
    "file",
    "line",
    "col_start",
    "col_end",
    "field",
    "value",
    "client_id",
    "message",
    "avs_number",
)

#: Ordered so that comparisons and ``max`` follow :class:`Severity`.
SEVERITY_DTYPE = pd.CategoricalDtype([s.label for s in sorted(Severity)], ordered=True)

#: Row label of a hit about a whole file rather than a record.
FILE_LEVEL_ROW = -1

_STR = pd.StringDtype("pyarrow")


@functools.cache
def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: pd.Series([], dtype=object) for c in FINDING_COLUMNS}))


def empty_findings() -> pd.DataFrame:
    """A findings frame with no rows and the right dtypes."""
    return _empty().copy()


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "rule_id": df["rule_id"].astype(_STR),
            "severity": df["severity"].astype(SEVERITY_DTYPE),
            "file": df["file"].astype(_STR),
            "line": df["line"].astype("Int64"),
            "col_start": df["col_start"].astype("Int64"),
            "col_end": df["col_end"].astype("Int64"),
            "field": df["field"].astype(_STR),
            "value": df["value"].astype(_STR),
            "client_id": df["client_id"].astype(_STR),
            "message": df["message"].astype(_STR),
            "avs_number": df["avs_number"].astype(_STR),
        }
    )
    return out.reset_index(drop=True)


def as_text(series: pd.Series, width: int | None = None) -> pd.Series:
    """Cell values as they would be written: dates DDMMYYYY, numbers zero-filled to ``width``, text as is."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        dates: pd.Series = series.dt.strftime("%d%m%Y").astype(_STR)
        return dates
    if pd.api.types.is_integer_dtype(series.dtype):
        text = series.astype(_STR)
        return text.str.zfill(width) if width else text
    out: pd.Series = series.astype(_STR)
    return out


def _field_span(profile: Profile, file_id: str, field: str | None) -> tuple[int, int] | None:
    if field is None:
        return None
    try:
        return profile.layout(file_id).field(field).columns
    except (KeyError, UsageError):
        return None


def _hit_frame(ctx: Context, rule: Rule, hit: Hit) -> pd.DataFrame:
    rows = pd.Index(hit.rows)
    n = len(rows)
    frame = ctx.frame(hit.file_id)
    row_values = np.asarray(rows, dtype=np.int64)
    in_file = row_values != FILE_LEVEL_ROW
    line = pd.array(np.where(in_file, row_values + 1, 0), dtype="Int64")
    line[~in_file] = pd.NA
    span = _field_span(ctx.profile, hit.file_id, hit.field)
    width = span[1] - span[0] + 1 if span else None
    if hit.values is not None:
        value = as_text(
            pd.Series(
                np.asarray(hit.values, dtype=object) if hit.values.dtype == object else hit.values.to_numpy(),
                index=range(n),
            ),
            width,
        )
    elif frame is not None and hit.field is not None and hit.field in frame.columns and in_file.all():
        value = as_text(frame[hit.field].loc[rows], width).reset_index(drop=True)
    else:
        value = pd.Series(pd.NA, index=range(n), dtype=_STR)
    if frame is not None and "client_id" in frame.columns and in_file.all():
        client = frame["client_id"].loc[rows].astype(_STR).reset_index(drop=True)
    else:
        client = pd.Series(pd.NA, index=range(n), dtype=_STR)
    if isinstance(hit.details, pd.Series):
        message = rule.message + ": " + hit.details.astype(_STR).reset_index(drop=True)
    elif isinstance(hit.details, str):
        message = pd.Series(f"{rule.message}: {hit.details}", index=range(n), dtype=_STR)
    else:
        message = pd.Series(rule.message, index=range(n), dtype=_STR)
    severity = hit.severity if hit.severity is not None else rule.severity
    severity = ctx.options.severity_overrides.get(rule.id, severity)
    return pd.DataFrame(
        {
            "rule_id": rule.id,
            "severity": severity.label,
            "file": hit.file_id,
            "line": line,
            "col_start": pd.array([span[0] if span else pd.NA] * n, dtype="Int64") if n else pd.array([], "Int64"),
            "col_end": pd.array([span[1] if span else pd.NA] * n, dtype="Int64") if n else pd.array([], "Int64"),
            "field": hit.field,
            "value": value.array,
            "client_id": client.array,
            "message": message.array,
            "avs_number": rule.avs_number,
        },
        index=range(n),
    )


def selected_rules(
    profile: Profile, options: ValidationOptions, rule_ids: Iterable[str] | None = None
) -> tuple[Rule, ...]:
    """Engine-checked rules in force for ``profile``, minus disabled ones, optionally limited to ``rule_ids``."""
    wanted = None if rule_ids is None else set(rule_ids)
    _check_rule_ids(options, wanted)
    out = []
    for r in REGISTRY.values():
        if r.check is None or r.id in options.disabled_rules:
            continue
        if wanted is not None and r.id not in wanted:
            continue
        if r.profiles is not None and profile.name not in r.profiles:
            continue
        out.append(r)
    return tuple(out)


def _runs_in_validate(r: Rule) -> bool:
    """Rules whose findings a validation report can hold: engine checks and the NAT reader's checks."""
    return r.check is not None or r.family == "read"


def _check_rule_ids(options: ValidationOptions, wanted: set[str] | None) -> None:
    """Refuse rule ids that would silently do nothing: unknown ids, and ``rules`` that validation never runs."""
    named = set(options.disabled_rules) | set(options.severity_overrides) | (wanted or set())
    unknown = named - REGISTRY.keys()
    if unknown:
        raise UsageError(f"unknown rule id(s): {', '.join(sorted(unknown))}")
    idle = sorted(r for r in wanted or () if not _runs_in_validate(REGISTRY[r]))
    if idle:
        why = "; ".join(
            f"{r}: {REGISTRY[r].not_implemented or 'applied by ' + str(REGISTRY[r].enforced_by)}" for r in idle
        )
        raise UsageError(f"rule(s) not checked by validation: {why}")


def _reader_options(reader: pd.DataFrame, options: ValidationOptions, wanted: set[str] | None) -> pd.DataFrame:
    """Reader issues (NAT-*) obey the same rule selection, disabled rules and severity overrides as rules."""
    keep = ~reader["rule_id"].isin(list(options.disabled_rules)).to_numpy(dtype=bool)
    if wanted is not None:
        keep &= reader["rule_id"].isin(list(wanted)).to_numpy(dtype=bool)
    reader = reader[keep]
    if options.severity_overrides and len(reader):
        override = reader["rule_id"].map({k: v.label for k, v in options.severity_overrides.items()})
        reader = reader.assign(severity=override.fillna(reader["severity"].astype(object)))
    return _typed(reader)


def run_rules(ctx: Context, rules: Iterable[Rule], progress: Progress | None = None) -> pd.DataFrame:
    """Run ``rules`` over ``ctx`` and return their findings (columns :data:`FINDING_COLUMNS`); ``progress`` is told
    ``("rules", done, total)`` after each rule."""
    parts = []
    chosen = tuple(rules)
    for done, r in enumerate(chosen, 1):
        assert r.check is not None
        for hit in r.check(ctx):
            if len(hit.rows):
                parts.append(_hit_frame(ctx, r, hit))
        if progress is not None:
            progress("rules", done, len(chosen))
    if not parts:
        return empty_findings()
    return _typed(pd.concat(parts, ignore_index=True))


def _file_id(name: str | None) -> str | None:
    """Reader issues name files as found (``Nat00120.TxT``); reports group by file id where one matches."""
    if name is None:
        return None
    stem = os.path.splitext(os.path.basename(name))[0].upper()
    return stem if stem in FILE_IDS else name


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """Reader (or other) ``Issue`` objects as findings rows."""
    rows = [
        {
            "rule_id": i.rule_id,
            "severity": i.severity.label,
            "file": _file_id(i.file),
            "line": i.line,
            "col_start": i.columns[0] if i.columns else None,
            "col_end": i.columns[1] if i.columns else None,
            "field": i.field,
            "value": i.value,
            "client_id": i.client_id,
            "message": i.message,
            "avs_number": i.avs_number,
        }
        for i in issues
    ]
    if not rows:
        return empty_findings()
    return _typed(pd.DataFrame(rows, columns=list(FINDING_COLUMNS)))


@attrs.frozen(kw_only=True)
class _Loaded:
    frames: Mapping[str, pd.DataFrame]
    issues: tuple[Issue, ...] = ()
    unparsed: Mapping[str, pd.DataFrame] = attrs.field(factory=dict)
    label: str | None = None
    inputs: tuple[InputFile, ...] = ()
    read_from_files: bool = False


def _inputs(frames: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> tuple[InputFile, ...]:
    out = []
    for fid, df in frames.items():
        m = meta.get(fid)
        out.append(
            InputFile(
                file_id=fid,
                records=len(df),
                name=getattr(m, "name", None),
                size=getattr(m, "size", None),
                sha256=getattr(m, "sha256", None),
            )
        )
    return tuple(out)


def _load(source: Any, profile: Profile, limits: Limits | None = None) -> _Loaded:
    """Frames, reader issues, unparsed cells, a source label and the inputs' audit from a path, a Collection or a
    frame mapping. Frames a caller built (a mapping, or a Collection made in memory) are conformed first."""
    from avetmiss_finalise.nat.conforming import conform

    if isinstance(source, str | os.PathLike):
        from avetmiss_finalise import nat
        from avetmiss_finalise.nat.presence import require_nat_files

        # Validating nothing must not look like a clean collection (exit 0) to a CI job pointed at the wrong folder.
        coll = require_nat_files(nat.read_collection(source, profile=profile, limits=limits, digests=True))
        return _Loaded(
            frames=coll.frames,
            issues=tuple(coll.issues),
            unparsed=dict(coll.unparsed),
            label=os.fspath(source),
            inputs=_inputs(coll.frames, coll.meta),
            read_from_files=True,
        )
    if isinstance(source, Mapping):
        frames = conform(source, profile)
        return _Loaded(frames=frames, inputs=_inputs(frames, {}))
    held: Mapping[str, pd.DataFrame] | None = getattr(source, "frames", None)
    if held is None:
        raise UsageError(f"cannot validate {type(source).__name__}: expected a path, a Collection or frames by file id")
    frames = dict(held)
    meta = dict(getattr(source, "meta", {}) or {})
    if not frames:
        raise UsageError("cannot validate an empty Collection: it holds no NAT file")
    if any(f not in meta for f in frames):  # built in memory (Collection.from_frames): a caller's frames
        frames = {**frames, **conform({f: df for f, df in frames.items() if f not in meta}, profile)}
    label = getattr(source, "source", None)
    return _Loaded(
        frames=frames,
        issues=tuple(getattr(source, "issues", ())),
        unparsed=dict(getattr(source, "unparsed", {}) or {}),
        label=None if label is None else str(label),
        inputs=_inputs(frames, meta),
        read_from_files=bool(meta),
    )


def _skip_reason(r: Rule, ctx: Context, wanted: set[str] | None, read_from_files: bool) -> str | None:
    """Why ``r`` does not run in this validation (``None``: it runs)."""
    if not r.implemented:
        return f"not implemented: {r.not_implemented}"
    if r.check is None and r.family != "read":
        return f"not a validation check: applied by {r.enforced_by}"
    if wanted is not None and r.id not in wanted:
        return "not selected (only the rules given to --rule / rules= ran)"
    if r.id in ctx.options.disabled_rules:
        return "disabled (--disable / ValidationOptions.disabled_rules)"
    if r.profiles is not None and ctx.profile.name not in r.profiles:
        return f"applies under profile {', '.join(r.profiles)} only; validated under {ctx.profile.name}"
    if r.check is None and not read_from_files:
        return "a check of the NAT reader, made while reading files; these frames were given in memory"
    unmet = unmet_requirement(r, ctx)
    return None if unmet is None else unmet.reason


def rule_plan(
    ctx: Context, rule_ids: Iterable[str] | None = None, *, read_from_files: bool = True
) -> tuple[tuple[Rule, ...], tuple[str, ...], dict[str, str]]:
    """(engine rules to run, reader checks that ran, rule id → why skipped) — every registry rule in one of them."""
    wanted = None if rule_ids is None else set(rule_ids)
    _check_rule_ids(ctx.options, wanted)
    run: list[Rule] = []
    read: list[str] = []
    skipped: dict[str, str] = {}
    for r in REGISTRY.values():
        why = _skip_reason(r, ctx, wanted, read_from_files)
        if why is not None:
            skipped[r.id] = why
        elif r.check is None:
            read.append(r.id)
        else:
            run.append(r)
    return tuple(run), tuple(read), skipped


def validate(
    source: Any,
    *,
    period: Period | int | str | None = None,
    profile: str | Profile = "national",
    interim: bool = False,
    options: ValidationOptions | None = None,
    rules: Iterable[str] | None = None,
    reference_keys: Mapping[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]] | None = None,
    limits: Limits | None = None,
    engine: str | None = None,
    chunk_rows: int | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> Report:
    """Validate a collection (path, ``Collection`` or ``{file_id: DataFrame}``) and return a ``Report``.

    ``period`` is a :class:`Period`, a year or ``"FROM:TO"``; ``interim`` relaxes future-dated activity rules;
    ``rules`` limits the run to some rule ids; ``reference_keys`` supplies key sets of files validated elsewhere
    (chunked validation). Reader issues of a path or ``Collection`` are included in the report; a path is read
    within ``limits`` (:class:`~avetmiss_finalise.limits.Limits`, the defaults when ``None``). Frames given as a
    mapping (or in a Collection built in memory) are first brought to the columnar contract by
    :func:`avetmiss_finalise.nat.conform`, which raises ``UsageError`` for what it cannot coerce (and for ``{}``).
    The report says which rules ran and which were skipped, and why (``rules_run``, ``rules_skipped``).

    ``engine``: ``"memory"`` (the default: in this process, the whole collection in memory), ``"stream"`` (a path
    read with NAT00120 in chunks of ``chunk_rows`` records, peak memory bounded by the chunk; giving ``chunk_rows``
    alone asks for it), ``"dask"`` (NAT00120 parsed and validated on the Dask cluster of ``client``, a
    ``distributed.Client``, in partitions of about ``chunk_rows`` records; giving ``client`` alone asks for it; the
    ``avetmiss-finalise[dask]`` extra, else a UsageError). All give the same report (docs/scale.md).

    ``progress``: told how far the run is (:data:`~avetmiss_finalise.validation.progress.Progress`: each rule in
    memory; the stream engine's blocks and partitions, Dask's partitions); counts only, and it changes nothing in
    the report.
    """
    if progress is not None and not callable(progress):  # refused at the call, not at the first rule run
        raise UsageTypeError(f"progress must be a function (phase, done, total), not {type(progress).__name__}")
    if engine not in (None, "memory") or chunk_rows is not None or client is not None:
        from avetmiss_finalise.engines.run import run_engine

        return run_engine(
            engine,
            source,
            chunk_rows=chunk_rows,
            client=client,
            period=period,
            profile=profile,
            interim=interim,
            options=options,
            rules=rules,
            reference_keys=reference_keys,
            limits=limits,
            progress=progress,
        )
    from avetmiss_finalise.validation.reference_data import reference_files, resolve_reference
    from avetmiss_finalise.validation.report import Report

    prof = get_profile(profile)
    chosen_period = parse_period(period)  # misuse is refused before anything is read
    if options is not None and not isinstance(options, ValidationOptions):
        raise UsageTypeError(f"options must be a ValidationOptions, not {type(options).__name__}")
    if not isinstance(interim, bool):
        raise UsageTypeError(f"interim must be True or False, not {type(interim).__name__}")
    if isinstance(rules, str):
        raise UsageTypeError(f"rules must be a list of rule ids such as ['F-03'], not the string {rules!r:.40}")
    opts = resolve_reference(options or ValidationOptions())
    loaded = _load(source, prof, limits)
    ctx = Context(
        frames=loaded.frames,
        profile=prof,
        period=chosen_period,
        interim=interim,
        options=opts,
        reference_keys=reference_keys or {},
        unparsed=loaded.unparsed,
    )
    rules = None if rules is None else tuple(rules)
    chosen, read_checks, skipped = rule_plan(ctx, rules, read_from_files=loaded.read_from_files)
    found = run_rules(ctx, chosen, progress)
    reader = issues_frame(loaded.issues)
    if len(reader):
        reader = _reader_options(reader, opts, None if rules is None else set(rules))
    if len(reader):
        reader = _drop_covered(reader, found)
        found = _typed(pd.concat([reader, found], ignore_index=True))
    found = _settle(found, ctx)
    return Report(
        findings=found,
        profile=prof.name,
        period=ctx.period,
        interim=interim,
        options=opts,
        files={f: len(df) for f, df in loaded.frames.items()},
        source=loaded.label,
        rules_run=tuple(r.id for r in chosen) + read_checks,
        rules_skipped=skipped,
        rules_selected=rules,
        inputs=loaded.inputs,
        catalogue_version=catalogue_version(),
        reference_files=reference_files(opts, (r.id for r in chosen)),
    )


#: Rules that re-report what the reader already flags, located the same way: rule id → the reader rule it replaces.
#: Only those reader issues are dropped at a cell the rule reported — never others at the same cell (a record cut
#: short inside a date field is NAT-SHORT *and* F-02, and both must stay).
_READER_DUPLICATES = {"F-02": "NAT-DATE", "F-08": "NAT-DATE"}


def _settle(found: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Findings after the collection-wide adjustments: one finding for a record shifted by template text in a
    date (:mod:`.shifted`), and state-only positions capped under ``national`` (:mod:`.national_record`)."""
    from avetmiss_finalise.validation.national_record import cap_state_positions
    from avetmiss_finalise.validation.shifted import drop_shifted, shifted_cells

    found = drop_shifted(found, shifted_cells(ctx))
    return _typed(cap_state_positions(found, ctx.profile, ctx.options))


def _drop_covered(reader: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Drop reader issues at a (file, line, field) where a rule re-reported the same problem with a precise id."""
    key = ["file", "line", "field"]
    keep = np.ones(len(reader), dtype=bool)
    for rule_id, reader_id in _READER_DUPLICATES.items():
        mine = found[found["rule_id"] == rule_id]
        if not len(mine):
            continue
        covered = pd.MultiIndex.from_frame(mine[key].astype(object))
        same = (reader["rule_id"] == reader_id).to_numpy(dtype=bool)
        keep &= ~(same & pd.MultiIndex.from_frame(reader[key].astype(object)).isin(covered))
    return reader[keep]
