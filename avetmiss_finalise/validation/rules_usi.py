"""V-080-03: a client with nationally recognised activity from 1 January 2015 has a USI.

The USI is mandatory for nationally recognised training from 1 January 2015 (Student Identifiers Act 2014;
sms_habits.md "Blank USI in collections before 2015"). So a blank USI is an error only for a client the
collection shows undertaking nationally recognised training on or after that day
(``ValidationOptions.usi_required_from``):

* **Nationally recognised** (code_lists.md §12, layouts.md §6): activity in a program listed in NAT00030 (the
  training.gov.au programs), in a NAT00030A program whose recognition is 11, 12 or 13, or in a program the
  collection does not list (X-05 reports that; the activity is taken as recognised). Not recognised: a NAT00030A
  program with recognition 14, 15 or 16 (other courses, higher-level, locally recognised skill sets).
* **Subject-only activity** (blank program) in a subject whose VET flag is not ``N`` may be a nationally
  recognised unit or a local subject; which, only the training.gov.au unit list can tell, and it is not shipped.
  A client with nothing but such activity gets a **warning**, not an error.
* **When**: an activity counts when it ends on or after the day (its start date if it has no end date; the
  period end if it has neither). A NAT00130 completion of a recognised program on or after the day counts too.
  A collection whose period ends before the day needs no USI at all. Without a period the activity dates decide.
* **Exemptions the data can express**: the USI field holds ``INDIV`` (individual exemption) or ``INTOFF``
  (international offshore client) instead of a USI (code_lists.md §9) — not blank, so not this rule's finding
  (V-080-02 checks them); activity that is not nationally recognised (above) needs no USI.
* Without NAT00120 and NAT00130 the collection shows no activity, and the rule does not run.

Chunked validation: a client is reported when *some* NAT00120 row qualifies, so the union of the chunks' findings
equals the whole's (NAT00030/30A/60/80/130 are passed whole).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import NATIONALLY_RECOGNISED_PROGRAMS
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation._fieldcheck import ACT, CAT, CODES, LAYOUTS, column, hits, is_blank, present
from avetmiss_finalise.validation.keysets import key_index, member
from avetmiss_finalise.validation.registry import Context, Hit, rule

__all__ = ["NATIONALLY_RECOGNISED"]

#: Program recognition identifiers of nationally recognised programs: the code list's set (code_lists.md §12).
NATIONALLY_RECOGNISED = NATIONALLY_RECOGNISED_PROGRAMS

_SUBJECT_ONLY = (
    "the client's only activity from the USI start date is subject-only; a USI is needed if a subject is a "
    "nationally recognised unit (not checkable offline: no training.gov.au unit list)"
)


def _program_recognised(ctx: Context, programs: pd.Series) -> np.ndarray:
    """Rows whose (present) program is nationally recognised or not listed in NAT00030/NAT00030A."""
    pid = ("program_id",)
    listed = key_index(ctx, "NAT00030", pid)
    other = column(ctx, "NAT00030A", "program_id")
    recognition = column(ctx, "NAT00030A", "program_recognition_id")
    local: set[str] = set()
    if other is not None and recognition is not None:
        not_national = present(other) & ~recognition.isin(list(NATIONALLY_RECOGNISED)).to_numpy(dtype=bool)
        local = set(other[not_national].astype(str))
    out = present(programs) & ~programs.isin(list(local)).to_numpy(dtype=bool)
    if listed is not None:  # a program listed in NAT00030 is recognised even if NAT00030A repeats it
        out |= present(programs) & member(programs, listed)
    return out


def _vocational_subjects(ctx: Context, subjects: pd.Series) -> np.ndarray:
    """Rows whose subject is not flagged non-vocational (VET flag N) in NAT00060."""
    ids, flags = column(ctx, "NAT00060", "subject_id"), column(ctx, "NAT00060", "vet_flag")
    if ids is None or flags is None:
        return np.ones(len(subjects), dtype=bool)
    non_vet = set(ids[(flags == "N").fillna(False).to_numpy(dtype=bool)].astype(str))
    return ~subjects.isin(list(non_vet)).to_numpy(dtype=bool)


def _counts(ctx: Context, end: pd.Series, start: pd.Series | None, since: datetime.date) -> np.ndarray:
    """Rows whose activity falls on or after ``since`` (end date, else start date, else the period end)."""
    when = end if start is None else end.fillna(start)
    if ctx.period is not None:
        when = when.fillna(pd.Timestamp(ctx.period.end))
    out: np.ndarray = ((when >= pd.Timestamp(since)) | when.isna()).to_numpy(dtype=bool)  # undated: counted
    return out


def _clients(ctx: Context, since: datetime.date) -> tuple[set[str], set[str]]:
    """(clients needing a USI for sure, clients whose only qualifying activity is subject-only)."""
    sure: set[str] = set()
    maybe: set[str] = set()
    act = ctx.frame(ACT)
    if act is not None and len(act):
        dated = _counts(ctx, act["activity_end_date"], act["activity_start_date"], since)
        program = present(act["program_id"])
        recognised = dated & program & _program_recognised(ctx, act["program_id"])
        subject_only = dated & ~program & _vocational_subjects(ctx, act["subject_id"])
        sure |= set(act["client_id"][recognised].dropna().astype(str))
        maybe |= set(act["client_id"][subject_only].dropna().astype(str))
    done = ctx.frame("NAT00130")
    if done is not None and len(done):
        dated = _counts(ctx, done["date_program_completed"], None, since)
        recognised = dated & _program_recognised(ctx, done["program_id"])
        sure |= set(done["client_id"][recognised].dropna().astype(str))
    return sure, maybe - sure


@rule(
    "V-080-03",
    severity=Severity.ERROR,
    title=(
        "USI is not blank for a client with nationally recognised activity from 1 January 2015 "
        "(subject-only activity: warning)"
    ),
    message="Mandatory field USI must not be blank",
    source=(
        f"{CAT} §2 NAT00080 (STX); sms_habits.md (mandatory for nationally recognised training from "
        f"1 January 2015, Student Identifiers Act 2014); {CODES} §9 (INTOFF, INDIV) and §12 (program "
        f"recognition); {LAYOUTS} §6"
    ),
    family="field",
    files=("NAT00080", ACT, "NAT00130", "NAT00030", "NAT00030A", "NAT00060"),
    fields=("usi",),
    fix=(
        "Collect and verify the learner's USI with the USI Registry (or record INDIV / INTOFF where an exemption "
        "applies) before reporting nationally recognised training."
    ),
)
def usi_required(ctx: Context) -> Iterator[Hit]:
    usi, clients = column(ctx, "NAT00080", "usi"), column(ctx, "NAT00080", "client_id")
    since = ctx.options.usi_required_from
    if usi is None or clients is None or (ctx.frame(ACT) is None and ctx.frame("NAT00130") is None):
        return
    if ctx.period is not None and ctx.period.end < since:
        return
    blank = is_blank(usi)
    if not blank.any():
        return
    sure, maybe = _clients(ctx, since)
    ids = clients.astype("string")
    yield from hits("NAT00080", blank & ids.isin(list(sure)).fillna(False), "usi")
    yield from hits(
        "NAT00080", blank & ids.isin(list(maybe)).fillna(False), "usi", severity=Severity.WARNING, details=_SUBJECT_ONLY
    )
