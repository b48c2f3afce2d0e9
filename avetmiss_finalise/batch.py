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
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import attrs

from avetmiss_finalise.decisions import FollowUpTask, PlanAction, Refusal, UnitDecision
from avetmiss_finalise.decisions_json import decisions_chunks, decisions_document
from avetmiss_finalise.errors import UsageError, WriteError
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.jsonio import InputItem
from avetmiss_finalise.model import Transition
from avetmiss_finalise.nat.records import NAT00120, NAT00130
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.collection_period import check_reporting_date
from avetmiss_finalise.period import Period, parse_period
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.rule_severity import NAMED_RULES

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from avetmiss_finalise.nat.codec import U8
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
    #: The bytes of NAT00120.txt and NAT00130.txt, kept from the writability check (which formats every record).
    nat: tuple[bytes, bytes] | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def refused(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.refusal is not None)

    @property
    def ok(self) -> bool:
        """Whether every item was finalised or planned (the command's exit 0)."""
        return not self.refused

    def to_json(self) -> str:
        """``decisions.json``: per enrolment its status, refusal, decisions, tasks, issues and plan actions."""
        return "".join(decisions_chunks(self.outcomes, self.profile, self.reporting_date))

    def _nat_files(self) -> tuple[bytes, bytes]:
        if self.nat is None:
            rows = [r for o in self.outcomes for r in o.rows]
            completions = [o.nat00130 for o in self.outcomes if o.nat00130 is not None]
            nat120, nat130 = nat_bytes(rows, self.profile), nat_bytes(completions, self.profile)
        else:
            nat120, nat130 = self.nat
        return nat120, nat130

    def files(self) -> dict[str, bytes]:
        """NAT00120.txt, NAT00130.txt and decisions.json as bytes; raises WriteError rather than truncate."""
        nat120, nat130 = self._nat_files()
        return {FILES[0]: nat120, FILES[1]: nat130, FILES[2]: (self.to_json() + "\n").encode("utf-8")}

    def write(self, out: str | os.PathLike[str]) -> list[Path]:
        """Write the three files into ``out`` (created if needed), all or nothing; decisions.json is streamed
        into its staged file a slice of enrolments at a time, never held whole."""
        from avetmiss_finalise.staging import write_files

        nat120, nat130 = self._nat_files()

        def decisions(stream: BinaryIO) -> None:
            for piece in decisions_chunks(self.outcomes, self.profile, self.reporting_date):
                stream.write(piece.encode("utf-8"))
            stream.write(b"\n")

        return write_files(Path(out), {FILES[0]: nat120, FILES[1]: nat130, FILES[2]: decisions})


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
    checked, nat120, nat130 = _written(done, prof)
    outcomes = _warn_duplicates(checked)
    outcomes = _preflight(outcomes, nat120, prof, reporting_date, per, interim)
    return BatchResult(outcomes=tuple(outcomes), profile=prof, reporting_date=reporting_date, nat=(nat120, nat130))


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


def _written(outcomes: list[Outcome], profile: Profile) -> tuple[list[Outcome], bytes, bytes]:
    """The outcomes (each refused when a row or its NAT00130 holds a value the NAT writer cannot write exactly,
    never truncated, so that one too-long subject id does not hold back every other enrolment's rows) and the
    bytes of NAT00120.txt and NAT00130.txt of what the others write: every record checked and formatted once."""
    import numpy as np

    rows = [r for o in outcomes for r in o.rows]
    row_owner = np.repeat(np.arange(len(outcomes)), np.array([len(o.rows) for o in outcomes], dtype=np.int64))
    completions = [o.nat00130 for o in outcomes if o.nat00130 is not None]
    done_owner = np.array([i for i, o in enumerate(outcomes) if o.nat00130 is not None], dtype=np.int64)
    rows_enc, row_issues = _encoded(rows, profile)
    done_enc, done_issues = _encoded(completions, profile)
    problems: dict[int, list[tuple[str | None, Issue]]] = {}
    for row, found in row_issues.items():
        problems.setdefault(int(row_owner[row]), []).extend((rows[row].subject_id, i) for i in found)
    for row, found in done_issues.items():
        problems.setdefault(int(done_owner[row]), []).extend((None, i) for i in found)
    refused = np.zeros(len(outcomes), dtype=bool)
    for pos in problems:
        refused[pos] = True
        outcomes[pos] = _unwritable(outcomes[pos], problems[pos])
    return outcomes, _file(rows_enc, ~refused[row_owner]), _file(done_enc, ~refused[done_owner])


def _encoded(records: Sequence[NAT00120 | NAT00130], profile: Profile) -> tuple[U8 | list[str], dict[int, list[Issue]]]:
    """Each record's NAT line and what cannot be written of it: vectorised where the records allow it
    (:func:`avetmiss_finalise.nat.record_block.encode_records`), else one ``line_and_issues`` per record."""
    from avetmiss_finalise.nat.frames import line_and_issues  # pandas: imported when writing, not for --help
    from avetmiss_finalise.nat.record_block import encode_records

    fast = encode_records(records, profile)
    if fast is not None:
        return fast
    texts: list[str] = []
    issues: dict[int, list[Issue]] = {}
    for n, record in enumerate(records):
        text, found = line_and_issues(record, profile)
        texts.append(text)
        if found:
            issues[n] = found
    return texts, issues


def _file(encoded: U8 | list[str], keep: npt.NDArray[np.bool_]) -> bytes:
    """The bytes of the NAT file of the encoded records where ``keep``."""
    if isinstance(encoded, list):
        return _joined([t for t, k in zip(encoded, keep.tolist(), strict=True) if k])
    from avetmiss_finalise.nat.record_block import file_bytes

    return file_bytes(encoded, keep)


def _unwritable(o: Outcome, problems: list[tuple[str | None, Issue]]) -> Outcome:
    """``o`` refused: rows and NAT00130 dropped, with every value that does not fit named in the refusal."""
    message = "; ".join(
        f"{'unit ' + subject if subject else 'NAT00130'}: {i.field}: {i.message}" for subject, i in problems
    )
    refusal = Refusal(
        rule_id=problems[0][1].rule_id,
        message=f"values that do not fit their NAT fields (nothing is truncated): {message}",
        subject_ids=tuple(dict.fromkeys(s for s, _ in problems if s is not None)),
    )
    refused = "transition refused" if isinstance(o.item.event, Transition) else "refused"
    return attrs.evolve(
        o,
        status=refused,
        refusal=refusal,
        rows=(),
        nat00130=None,
        tasks=(),
        actions=(),
        training_organisation_outcome=None,
    )


def _warn_duplicates(outcomes: list[Outcome]) -> list[Outcome]:
    """Say (X-12, with the validator's severity) where two input items write the same NAT00120 row: client,
    subject, start date and outcome; and (X-09) where two write a NAT00130 record of the same program, client and
    completion date (two enrolments of one program completed the same day: the file may hold it once)."""
    first: dict[tuple[object, ...], int] = {}
    completed: dict[tuple[object, ...], int] = {}
    out = []
    for o in outcomes:
        extra = []
        done = o.nat00130
        if done is not None:
            earlier = completed.setdefault((done.program_id, done.client_id, done.date_program_completed), o.index)
            if earlier != o.index:
                extra.append(
                    _named(
                        "X-09",
                        f"program {done.program_id}: item [{earlier}] already writes its completion for this client on "
                        f"{done.date_program_completed}; NAT00130 holds one record per program, client and completion "
                        "date: keep one of the two enrolments' completions",
                        "program_id",
                        done.program_id,
                        done.client_id,
                    )
                )
        for r in o.rows:
            key = (r.client_id, r.subject_id, r.activity_start_date, r.outcome_national)
            earlier = first.setdefault(key, o.index)
            if earlier != o.index:
                extra.append(
                    _named(
                        "X-12",
                        f"unit {r.subject_id}: item [{earlier}] already writes the same NAT00120 row (client "
                        f"{r.client_id}, start {r.activity_start_date}, outcome {r.outcome_national}); the file will "
                        "hold it twice",
                        "subject_id",
                        r.subject_id,
                        r.client_id,
                    )
                )
        out.append(attrs.evolve(o, issues=(*o.issues, *extra)) if extra else o)
    return out


def _named(rule_id: str, message: str, field: str, value: str | None, client_id: str | None) -> Issue:
    """A batch notice under a validator rule, with that rule's severity (X-09, X-12: an error everywhere)."""
    return Issue(
        rule_id=rule_id,
        severity=NAMED_RULES[rule_id],
        message=message,
        field=field,
        value=value,
        client_id=client_id,
    )


def _preflight(
    outcomes: list[Outcome],
    nat00120: bytes,
    profile: Profile,
    reporting_date: datetime.date,
    period: Period | None,
    interim: bool,
) -> list[Outcome]:
    """Warn where a written NAT00120 row breaks one of the validator's rules that need only NAT00120 (issue #8),
    unless finalise already warned that unit under that rule ID (:mod:`avetmiss_finalise.preflight`)."""
    if not nat00120:
        return outcomes
    from avetmiss_finalise.preflight import preflight_findings, row_warnings, unit_of  # pandas: only when rows

    owners = [(pos, r.subject_id, r.client_id) for pos, o in enumerate(outcomes) for r in o.rows]
    found = preflight_findings(nat00120, profile, reporting_date, period, interim)
    if not found:
        return outcomes
    warned = [{(i.rule_id, unit_of(i)) for i in o.issues} for o in outcomes]
    extra = row_warnings(found, owners, warned)
    return [attrs.evolve(o, issues=(*o.issues, *extra[pos])) if pos in extra else o for pos, o in enumerate(outcomes)]


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
