"""The validation report: findings kept as a DataFrame, Issue objects made only on demand.

A report answers "may I submit?" (:attr:`Report.ok`, :meth:`Report.failed`), "how bad?" (:meth:`Report.counts`)
and "where?" (:meth:`Report.to_frame`, :attr:`Report.issues`). Personal values (``Field.personal``) are masked in
every output unless ``show_personal_data`` is set in the options or asked for explicitly.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import pandas as pd

from avetmiss_finalise.issues import PERSONAL_HIDDEN, Issue, Severity
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.reference import ReferenceFile
from avetmiss_finalise.validation.audit import InputFile, RunInfo, audit_dict
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import REGISTRY, Period, catalogue_version

__all__ = ["MASK", "REPORT_SCHEMA_VERSION", "Report", "personal_fields", "rule_text"]

#: Version of the JSON report (docs/report-schema.md); bump the major part on incompatible changes.
REPORT_SCHEMA_VERSION = "1.3"
#: Reports with more findings than this are written to JSON by the bulk path (issues not indented).
FAST_JSON_THRESHOLD = 10_000
_PLACEHOLDER = "\x00issues\x00"
#: What a masked personal value is replaced by.
MASK = PERSONAL_HIDDEN


@functools.cache
def personal_fields(profile: str) -> frozenset[tuple[str, str]]:
    """(file id, field name) pairs that hold personal data under ``profile``."""
    prof = get_profile(profile)
    return frozenset((f, fld.name) for f in FILE_IDS for fld in prof.layout(f).fields if fld.personal)


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True, eq=False)
class Report:
    """The outcome of validating one collection.

    Attributes:
        findings: one row per finding (columns ``engine.FINDING_COLUMNS``), unmasked.
        profile: profile name the collection was validated under.
        period: collection period, if one was given.
        interim: interim (not final) collection.
        options: the switches in force.
        files: file id → number of records validated.
        source: what was validated (a path), if known.
        rules_run: ids of the rules that were checked (engine rules in force plus the reader's NAT-* checks,
            after ``rules`` selection and disabled rules); ``None`` when not recorded.
        reference_files: the reference files the run used (name, date, SHA-256 …; ``--reference`` and the shipped
            specific funding identifier list).
        rules_skipped: rule id → why it did not run (not selected, disabled, another profile, no period, not
            implemented, applied by finalise, …): with ``rules_run``, every rule of the catalogue is accounted for.
            Any part of the engine may add a reason (``Rule.requires`` and ``registry.REQUIREMENTS``).
        rules_selected: the ids the run was limited to (``validate(rules=…)``, ``--rule``); ``None``: all.
        inputs: per file validated, its name, size, SHA-256 (when read from disk) and record count.
        catalogue_version: digest of the rule catalogue checked against (``registry.catalogue_version``).
        run: when, how long and where — set at the edge that reads the clock (the CLI); ``None`` from the core.
    """

    findings: pd.DataFrame
    profile: str = "national"
    period: Period | None = None
    interim: bool = False
    options: ValidationOptions = attrs.field(factory=ValidationOptions)
    files: dict[str, int] = attrs.field(factory=dict)
    source: str | None = None
    rules_run: tuple[str, ...] | None = None
    reference_files: tuple[ReferenceFile, ...] = ()
    rules_skipped: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    rules_selected: tuple[str, ...] | None = None
    inputs: tuple[InputFile, ...] = ()
    catalogue_version: str | None = None
    run: RunInfo | None = None

    def __len__(self) -> int:
        return len(self.findings)

    @classmethod
    def merge(cls, reports: Iterable[Report]) -> Report:
        """One report from the reports of disjoint NAT00120 partitions of one collection, each validated with the
        whole file's ``reference_keys`` (and, for the client-partitioned rules, partitioned by client): the report
        of the whole. ``UsageError`` when they are not parts of one validation. The contract:
        :mod:`avetmiss_finalise.validation.partitions` and docs/validation.md."""
        from avetmiss_finalise.validation.partitions import merge_reports

        return merge_reports(reports)

    @property
    def ok(self) -> bool:
        """No finding at error level."""
        return not self.failed(Severity.ERROR)

    def failed(self, fail_on: Severity = Severity.ERROR) -> bool:
        """Some finding is at or above ``fail_on`` (the CLI's ``--fail-on``)."""
        return bool((self.findings["severity"] >= fail_on.label).any())

    def counts(self) -> dict[str, int]:
        """Findings per severity label (every label present, zero included)."""
        vc = self.findings["severity"].value_counts()
        return {s.label: int(vc.get(s.label, 0)) for s in sorted(Severity, reverse=True)}

    def rule_counts(self) -> pd.DataFrame:
        """Findings per file and rule: columns file, rule_id, severity (worst), count, ordered by file then rule."""
        df = self.findings
        if not len(df):
            return pd.DataFrame({"file": [], "rule_id": [], "severity": [], "count": []})
        grouped = df.assign(file=df["file"].fillna("")).groupby(["file", "rule_id"], observed=True, sort=True)
        out = grouped.agg(severity=("severity", "max"), count=("rule_id", "size")).reset_index()
        order = {f: i for i, f in enumerate(FILE_IDS)}
        out["_order"] = out["file"].map(lambda f: order.get(f, -1 if f == "" else len(order)))
        return out.sort_values(["_order", "rule_id"], kind="stable").drop(columns="_order").reset_index(drop=True)

    def _show_personal(self, show_personal_data: bool | None) -> bool:
        return self.options.show_personal_data if show_personal_data is None else show_personal_data

    def to_frame(self, *, show_personal_data: bool | None = None) -> pd.DataFrame:
        """The findings, with values of personal fields masked unless shown."""
        df = self.findings.copy()
        if self._show_personal(show_personal_data) or not len(df):
            return df
        pairs = personal_fields(self.profile)
        key = pd.MultiIndex.from_frame(df[["file", "field"]].astype(object))
        personal = key.isin(list(pairs)) & df["value"].notna().to_numpy()
        df.loc[personal, "value"] = MASK
        return df

    def iter_issues(self, *, show_personal_data: bool | None = None) -> Iterator[Issue]:
        """Issues one by one (lazily) — for large reports prefer :meth:`to_frame`."""
        df = self.to_frame(show_personal_data=show_personal_data)
        for r in _records(df):
            yield Issue(
                rule_id=r["rule_id"],
                severity=Severity.parse(r["severity"]),
                message=r["message"],
                file=r["file"],
                line=None if r["line"] is None else int(r["line"]),
                columns=None if r["col_start"] is None else (int(r["col_start"]), int(r["col_end"])),
                field=r["field"],
                value=r["value"],
                client_id=r["client_id"],
                avs_number=r["avs_number"],
            )

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every finding as an :class:`Issue` (personal values masked per the options)."""
        return tuple(self.iter_issues())

    def to_dict(self, *, show_personal_data: bool | None = None, with_issues: bool = True) -> dict[str, Any]:
        """The JSON report as plain data (schema: docs/report-schema.md)."""
        df = self.to_frame(show_personal_data=show_personal_data) if with_issues else self.findings.iloc[:0]
        issues = [
            {
                "rule_id": r["rule_id"],
                "severity": r["severity"],
                "file": r["file"],
                "line": None if r["line"] is None else int(r["line"]),
                "columns": None if r["col_start"] is None else [int(r["col_start"]), int(r["col_end"])],
                "field": r["field"],
                "value": r["value"],
                "client_id": r["client_id"],
                "message": r["message"],
                "avs_number": r["avs_number"],
            }
            for r in _records(df)
        ]
        rc = self.rule_counts()
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "source": self.source,
            "profile": self.profile,
            "period": None
            if self.period is None
            else {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "interim": self.interim,
            "ok": self.ok,
            "files": dict(self.files),
            "reference_files": [f.to_dict() for f in self.reference_files],
            "counts": self.counts(),
            "rules": [
                {
                    "file": r["file"] or None,
                    "rule_id": r["rule_id"],
                    "severity": r["severity"],
                    "count": int(r["count"]),
                    **rule_text(r["rule_id"]),
                }
                for r in _records(rc)
            ],
            **audit_dict(
                tool_version=_tool_version(),
                catalogue_version=self.catalogue_version or catalogue_version(),
                options=self.options,
                rules_selected=self.rules_selected,
                inputs=self.inputs or tuple(InputFile(file_id=f, records=n) for f, n in self.files.items()),
                rules_run=self.rules_run,
                rules_skipped=self.rules_skipped,
                run=self.run,
            ),
            "issues": issues,
        }

    def to_json(self, *, show_personal_data: bool | None = None, indent: int | None = 2) -> str:
        """The JSON report (schema: docs/report-schema.md).

        Large reports (over :data:`FAST_JSON_THRESHOLD` findings) serialise the issue list with pandas in one
        pass (not indented) instead of building a dict per finding.
        """
        if len(self.findings) <= FAST_JSON_THRESHOLD:
            return json.dumps(self.to_dict(show_personal_data=show_personal_data), indent=indent, ensure_ascii=False)
        head = self.to_dict(show_personal_data=show_personal_data, with_issues=False)
        head["issues"] = _PLACEHOLDER
        text = json.dumps(head, indent=indent, ensure_ascii=False)
        return text.replace(json.dumps(_PLACEHOLDER), self._issues_json(show_personal_data), 1)

    def _issues_json(self, show_personal_data: bool | None) -> str:
        df = self.to_frame(show_personal_data=show_personal_data)
        start, end = df["col_start"], df["col_end"]
        columns = [
            None if a is pd.NA else [a, b] for a, b in zip(start.astype(object), end.astype(object), strict=True)
        ]
        out = pd.DataFrame(
            {
                "rule_id": df["rule_id"],
                "severity": df["severity"].astype(str),
                "file": df["file"],
                "line": df["line"],
                "columns": pd.Series(columns, index=df.index, dtype=object),
                "field": df["field"],
                "value": df["value"],
                "client_id": df["client_id"],
                "message": df["message"],
                "avs_number": df["avs_number"],
            }
        )
        return str(out.to_json(orient="records", force_ascii=False))


def _tool_version() -> str:
    from avetmiss_finalise import __version__

    return __version__


def rule_text(rule_id: str) -> dict[str, str | None]:
    """The registry's words for a rule: ``title`` (the rule in plain words), ``fix`` (how to fix a finding) and
    ``avs_number``; ``None`` for an id the registry does not know (a report built from foreign findings)."""
    r = REGISTRY.get(rule_id)
    if r is None:
        return {"title": None, "fix": None, "avs_number": None}
    return {"title": r.title, "fix": r.fix or None, "avs_number": r.avs_number}


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with missing values as ``None`` (what JSON and Issue want)."""
    clean = df.astype(object).where(df.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict(orient="records")]
