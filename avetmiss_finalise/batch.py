"""Finalise a batch of input items the way the ``finalise`` command does, as a library call.

An SMS calling from Python gets exactly what the command writes: every item finalised (or planned, for a
transition), in input order; an enrolment whose rows hold a value the NAT writer cannot write exactly refused
(never truncated) so it does not hold back the others; X-12 warnings where two items write the same NAT00120 row;
a warning under the validator's rule ID where a written row breaks one of its NAT00120-only rules and finalise did
not already say so (:mod:`avetmiss_finalise.preflight`, issue #8);
and the three files — NAT00120.txt, NAT00130.txt and ``decisions.json`` — built from one pass over the records::

    from avetmiss_finalise import finalise_batch, parse_input

    result = finalise_batch(parse_input(text), "nsw", datetime.date(2026, 11, 29))
    result.write("out/")          # all three files, atomically
    result.refused                # the outcomes refused, with reasons

Each record is turned into its NAT line once: the same pass that decides whether an enrolment can be written keeps
the line, so writing the files is a join, not a second check.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from avetmiss_finalise.decisions import FollowUpTask, PlanAction, Refusal, UnitDecision
from avetmiss_finalise.errors import UsageError, WriteError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.jsonio import InputItem, event_type
from avetmiss_finalise.model import Transition
from avetmiss_finalise.nat.records import NAT00120, NAT00130
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.collection_period import check_reporting_date
from avetmiss_finalise.period import Period, parse_period
from avetmiss_finalise.profiles import Profile, get_profile

if TYPE_CHECKING:
    from avetmiss_finalise.transition import Replacements

__all__ = ["BatchResult", "Outcome", "decisions_document", "finalise_batch", "nat_bytes"]

#: The line ending and file names the command writes.
_EOL = "\r\n"
FILES = ("NAT00120.txt", "NAT00130.txt", "decisions.json")


@attrs.frozen(kw_only=True)
class Outcome:
    """One input pair, finalised or planned: what goes into the files and the summary."""

    index: int
    item: InputItem
    status: str
    refusal: Refusal | None
    decisions: tuple[UnitDecision, ...] = ()
    rows: tuple[NAT00120, ...] = ()
    nat00130: NAT00130 | None = None
    tasks: tuple[FollowUpTask, ...] = ()
    issues: tuple[Issue, ...] = ()
    training_organisation_outcome: str | None = None
    actions: tuple[PlanAction, ...] = ()
    program_ids: tuple[str, ...] = ()
    commitment_id: str | None = None
    """The Commitment ID the rows go under: the enrolment's, or a transition's new one (``None`` while waiting)."""


@attrs.frozen(kw_only=True)
class BatchResult:
    """Every item's :class:`Outcome`, in input order, and the files they make."""

    outcomes: tuple[Outcome, ...]
    profile: Profile
    reporting_date: datetime.date
    #: The NAT lines of each outcome's rows and NAT00130 (kept from the writability check), aligned with outcomes.
    lines: tuple[tuple[tuple[str, ...], str | None], ...] | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def refused(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.refusal is not None)

    @property
    def ok(self) -> bool:
        """Whether every item was finalised or planned (the command's exit 0)."""
        return not self.refused

    def to_json(self) -> str:
        """``decisions.json``: per enrolment its status, refusal, decisions, tasks, issues and plan actions."""
        return _dumps(decisions_document(self.outcomes, self.profile, self.reporting_date))

    def files(self) -> dict[str, bytes]:
        """NAT00120.txt, NAT00130.txt and decisions.json as bytes; raises WriteError rather than truncate."""
        if self.lines is None:
            rows = [r for o in self.outcomes for r in o.rows]
            completions = [o.nat00130 for o in self.outcomes if o.nat00130 is not None]
            nat120, nat130 = nat_bytes(rows, self.profile), nat_bytes(completions, self.profile)
        else:
            nat120 = _joined([t for texts, _ in self.lines for t in texts])
            nat130 = _joined([t for _, t in self.lines if t is not None])
        return {FILES[0]: nat120, FILES[1]: nat130, FILES[2]: (self.to_json() + "\n").encode("utf-8")}

    def write(self, out: str | os.PathLike[str]) -> list[Path]:
        """Write the three files into ``out`` (created if needed), all or nothing."""
        from avetmiss_finalise.staging import write_files

        return write_files(Path(out), self.files())


def finalise_batch(
    items: Sequence[InputItem],
    profile: str | Profile,
    reporting_date: datetime.date,
    replacements: Replacements | None = None,
    *,
    period: Period | int | str | None = None,
    interim: bool = False,
) -> BatchResult:
    """Finalise (or plan) every item, in input order; an enrolment whose rows cannot be written is refused.

    ``replacements`` reads a transition's missing current program from the qualification list (``--reference``);
    ``period``/``interim`` name the collection (see :func:`avetmiss_finalise.outcomes.finalise`).
    """
    prof = get_profile(profile)
    per = parse_period(period)
    if interim and per is None:
        raise UsageError("--interim needs --period: an interim collection is a run during a collection period")
    check_reporting_date(reporting_date, per)  # refused at the call, even for an empty batch
    done = _finalise_items(items, prof, reporting_date, replacements, per, interim)
    checked = [_checked(o, prof) for o in done]
    lines = tuple(lines for _, lines in checked)
    outcomes = _warn_duplicates([o for o, _ in checked])
    outcomes = _preflight(outcomes, lines, prof, reporting_date, per, interim)
    return BatchResult(outcomes=tuple(outcomes), profile=prof, reporting_date=reporting_date, lines=lines)


def _finalise_items(
    items: Sequence[InputItem],
    prof: Profile,
    reporting_date: datetime.date,
    replacements: Replacements | None,
    period: Period | None = None,
    interim: bool = False,
) -> list[Outcome]:
    out = []
    for i, item in enumerate(items):
        if isinstance(item.event, Transition):
            out.append(_transition(i, item, prof, reporting_date, replacements, period, interim))
            continue
        r = finalise(item.enrolment, item.event, prof, reporting_date=reporting_date, period=period, interim=interim)
        out.append(
            Outcome(
                index=i,
                item=item,
                status=r.status.value if r.ok else "refused",
                refusal=r.refusal,
                decisions=r.decisions,
                rows=r.nat00120,
                nat00130=r.nat00130,
                tasks=r.tasks,
                issues=r.issues,
                training_organisation_outcome=r.training_organisation_outcome,
                commitment_id=item.enrolment.commitment_id,
            )
        )
    return out


def _transition(
    index: int,
    item: InputItem,
    profile: Profile,
    reporting_date: datetime.date,
    replacements: Replacements | None,
    period: Period | None = None,
    interim: bool = False,
) -> Outcome:
    """A transition item, planned for the same collection (period, interim) as the run's other items."""
    event = item.event
    assert isinstance(event, Transition)
    from avetmiss_finalise.transition import plan_transition, resolve_current_program

    plan = plan_transition(
        item.enrolment,
        event,
        profile=profile,
        reporting_date=reporting_date,
        replacements=replacements,
        period=period,
        interim=interim,
    )
    resolved, _ = resolve_current_program(item.enrolment, event, replacements)
    if isinstance(resolved, Transition) and resolved is not event:
        item = attrs.evolve(item, event=resolved)  # decisions.json shows the program read from the list
    return Outcome(
        index=index,
        item=item,
        status=f"transition {plan.status}",
        refusal=plan.refusal,
        decisions=plan.decisions,
        rows=plan.rows,
        issues=plan.issues,
        actions=plan.actions,
        program_ids=plan.program_ids,
        commitment_id=plan.commitment_id if plan.ok else item.enrolment.commitment_id,
    )


def _checked(o: Outcome, profile: Profile) -> tuple[Outcome, tuple[tuple[str, ...], str | None]]:
    """``o`` (refused when a row holds a value the NAT writer cannot write exactly, never truncated, so that one
    too-long subject id does not hold back every other enrolment's rows) and the NAT lines of what it writes."""
    from avetmiss_finalise.nat.frames import line_and_issues  # pandas: imported when writing, not for --help

    problems: list[tuple[str | None, Issue]] = []
    texts: list[str] = []
    for row in o.rows:
        text, issues = line_and_issues(row, profile)
        texts.append(text)
        problems += [(row.subject_id, i) for i in issues]
    completion = None
    if o.nat00130 is not None:
        completion, issues = line_and_issues(o.nat00130, profile)
        problems += [(None, i) for i in issues]
    if not problems:
        return o, (tuple(texts), completion)
    message = "; ".join(
        f"{'unit ' + subject if subject else 'NAT00130'}: {i.field}: {i.message}" for subject, i in problems
    )
    refusal = Refusal(
        rule_id=problems[0][1].rule_id,
        message=f"values that do not fit their NAT fields (nothing is truncated): {message}",
        subject_ids=tuple(dict.fromkeys(s for s, _ in problems if s is not None)),
    )
    refused = "transition refused" if isinstance(o.item.event, Transition) else "refused"
    o = attrs.evolve(
        o,
        status=refused,
        refusal=refusal,
        rows=(),
        nat00130=None,
        tasks=(),
        actions=(),
        training_organisation_outcome=None,
    )
    return o, ((), None)


def _warn_duplicates(outcomes: list[Outcome]) -> list[Outcome]:
    """Warn (X-12) where two input items write the same NAT00120 row: client, subject, start date and outcome."""
    first: dict[tuple[object, ...], int] = {}
    out = []
    for o in outcomes:
        extra = []
        for r in o.rows:
            key = (r.client_id, r.subject_id, r.activity_start_date, r.outcome_national)
            earlier = first.setdefault(key, o.index)
            if earlier != o.index:
                extra.append(
                    Issue(
                        rule_id="X-12",
                        severity=Severity.WARNING,
                        message=f"unit {r.subject_id}: item [{earlier}] already writes the same NAT00120 row (client "
                        f"{r.client_id}, start {r.activity_start_date}, outcome {r.outcome_national}); the file "
                        "will hold it twice",
                        field="subject_id",
                        value=r.subject_id,
                        client_id=r.client_id,
                    )
                )
        out.append(attrs.evolve(o, issues=(*o.issues, *extra)) if extra else o)
    return out


def _preflight(
    outcomes: list[Outcome],
    lines: Sequence[tuple[tuple[str, ...], str | None]],
    profile: Profile,
    reporting_date: datetime.date,
    period: Period | None,
    interim: bool,
) -> list[Outcome]:
    """Warn where a written NAT00120 row breaks one of the validator's rules that need only NAT00120 (issue #8),
    unless finalise already warned that unit under that rule ID (:mod:`avetmiss_finalise.preflight`)."""
    texts = [t for row_texts, _ in lines for t in row_texts]
    if not texts:
        return outcomes
    from avetmiss_finalise.preflight import preflight_findings, row_warnings, unit_of  # pandas: only when rows

    owners = [(pos, r.subject_id, r.client_id) for pos, o in enumerate(outcomes) for r in o.rows]
    found = preflight_findings(_joined(texts), profile, reporting_date, period, interim)
    if not found:
        return outcomes
    warned = [{(i.rule_id, unit_of(i)) for i in o.issues} for o in outcomes]
    extra = row_warnings(found, owners, warned)
    return [attrs.evolve(o, issues=(*o.issues, *extra[pos])) if pos in extra else o for pos, o in enumerate(outcomes)]


# ------------------------------------------------------------------------------------------------ decisions.json


def _issue_json(i: Issue) -> dict[str, Any]:
    return {
        "rule_id": i.rule_id,
        "severity": i.severity.label,
        "message": i.message,
        "field": i.field,
        "value": i.value,
    }


def _decision_json(d: UnitDecision) -> dict[str, Any]:
    return {
        "subject_id": d.subject_id,
        "program_id": d.program_id,
        "rule_id": d.rule_id,
        "reason": d.reason,
        "reported": d.reported,
        "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in d.changes],
    }


def _outcome_json(o: Outcome) -> dict[str, Any]:
    e = o.item.enrolment
    return {
        "index": o.index,
        "client_id": e.client_id,
        "program_id": e.program_id,
        "commitment_id": o.commitment_id,
        "input_commitment_id": e.commitment_id,
        "event": event_type(o.item.event),
        "event_date": o.item.event.date.isoformat(),
        "reason": getattr(o.item.event, "reason", None),
        "status": o.status,
        "ok": o.refusal is None,
        "refusal": None if o.refusal is None else attrs.asdict(o.refusal),
        "training_organisation_outcome": o.training_organisation_outcome,
        "nat00120_rows": len(o.rows),
        "nat00130": o.nat00130 is not None,
        "decisions": [_decision_json(d) for d in o.decisions],
        "tasks": [attrs.asdict(t) for t in o.tasks],
        "issues": [_issue_json(i) for i in o.issues],
        "plan_actions": [attrs.asdict(a) for a in o.actions],
        "plan_program_ids": list(o.program_ids),
    }


def decisions_document(outcomes: Sequence[Outcome], profile: Profile, reporting_date: datetime.date) -> dict[str, Any]:
    """The ``decisions.json`` document (a dict of JSON values)."""
    return {
        "profile": profile.name,
        "reporting_date": reporting_date.isoformat(),
        "enrolments": [_outcome_json(o) for o in outcomes],
    }


def _dumps(doc: dict[str, Any]) -> str:
    """``json.dumps(doc, indent=2)``, byte for byte; orjson (when installed) writes it about ten times faster, and
    its text is the same whenever it is ASCII without DEL (json.dumps escapes those characters, orjson does not)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is optional
        return json.dumps(doc, indent=2)
    try:
        text = orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # a value orjson does not take (json.dumps says what)
        return json.dumps(doc, indent=2)
    return text if text.isascii() and "\x7f" not in text else json.dumps(doc, indent=2)


# ------------------------------------------------------------------------------------------------------ NAT bytes


def _joined(lines: Sequence[str]) -> bytes:
    """Lines as the NAT writer writes them: CR LF after each (none in an empty file), latin-1."""
    return (_EOL.join(lines) + (_EOL if lines else "")).encode("latin-1")


def nat_bytes(records: Sequence[NAT00120 | NAT00130], profile: Profile) -> bytes:
    """The bytes of one NAT file of ``records``; raises WriteError (first value located) rather than truncate."""
    from avetmiss_finalise.nat.frames import line_and_issues  # pandas: imported when writing, not for --help

    lines, issues = [], []
    for n, record in enumerate(records, 1):
        text, found = line_and_issues(record, profile, n)
        lines.append(text)
        issues += found
    if issues:
        raise WriteError(f"{len(issues)} value(s) cannot be written exactly: {issues[0]}", tuple(issues))
    return _joined(lines)
