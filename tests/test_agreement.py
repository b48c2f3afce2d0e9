"""Finalise and validate agree (issue #8, the contract): the rows ``finalise`` writes pass our own rules.

For any generated enrolment and event, under every profile, the NAT00120 (and NAT00130) rows ``finalise`` writes —
with companion files built for them from ``tests.strategies.collections.consistent_collections`` (NAT00010, 20,
30, 60, 80, 85, 90, 100: the organisation, venues, programs, subjects and client the rows name) — validate for the
collection period with **no error and no warning** except those ``finalise`` itself reported for that unit, under
the same rule ID. A refused enrolment writes nothing and is not judged here (refusals have their own tests).

Events and units reach beyond the period year both ways (units ending in the previous and the next year, events
dated before and after it); final collections are reported from the period start to the end of NCVER's window
(28 February next year), interim ones inside the period; and a variant finalises with no period at all and
validates the rows for the reporting date's year.
"""

from __future__ import annotations

import datetime
import numbers
from typing import Any

import attrs
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.model import Completion, Deferral, ProgramEnrolment, UnitEnrolment, Withdrawal, WithdrawalStatus
from avetmiss_finalise.outcomes import FinalisationResult, finalise
from avetmiss_finalise.profiles import PROFILE_NAMES
from avetmiss_finalise.validation import ValidationOptions, validate
from tests.strategies.collections import TOID, SampleCollection, consistent_collections

YEAR = 2026
D = datetime.date
_LOCATIONS = ("LOC01", "LOC02")
_PROGRAMS = ("BSB40120", "BSB50120", None)
_SUBJECTS = tuple(f"BSBTST{n:03d}" for n in range(1, 9))
_MODES = ("YNN", "NYN", "NNY", "YYN", "YNY", "NYY", "YYY")
#: What a unit holds before finalisation: none yet, continuing, not yet started, or a final outcome.
_BEFORE = (None, "70", "85", "20", "30", "40", "51", "52", "60", "81")
_ACHIEVED: tuple[str | None, ...] = ("20", "51", "60", "81")
_RECOGNITION = frozenset({"51", "52", "60"})

#: A whole collection is validated per example (~0.3 s): 20 examples under dev (~8 s), 60 under ci.
AGREEMENT = settings(max_examples=max(20, settings().max_examples * 2 // 5))
#: The collection the rows are written for, and how far its reporting date may fall after it (NCVER's window).
PERIOD_START, PERIOD_END, WINDOW_END = D(YEAR, 1, 1), D(YEAR, 12, 31), D(YEAR + 1, 2, 28)


def _mostly(usual: st.SearchStrategy[D], rare: st.SearchStrategy[D]) -> st.SearchStrategy[D]:
    """``usual`` three times in four, else ``rare`` (dates beyond the period year, without refusing most cases)."""
    return st.integers(0, 3).flatmap(lambda n: rare if n == 0 else usual)


@st.composite
def _unit(draw: st.DrawFn, subject: str, profile: str, outcomes: tuple[str | None, ...]) -> UnitEnrolment:
    outcome = draw(st.sampled_from(outcomes))
    if outcome in (None, "70", "85"):
        start = draw(st.dates(D(YEAR - 1, 3, 1), D(YEAR + 1, 6, 30)))
        end = start + datetime.timedelta(days=draw(st.integers(0, 200)))
        hours = draw(st.none() | st.integers(0, 30))
    else:  # a final outcome: mostly reached before the events, now and then in the previous or the next year
        start = draw(_mostly(st.dates(D(YEAR - 1, 3, 1), D(YEAR, 5, 31)), st.dates(D(YEAR, 6, 1), D(YEAR + 1, 2, 28))))
        end = start + datetime.timedelta(days=draw(st.integers(0, 30)))
        hours = draw(st.integers(1, 40)) if outcome == "40" else None
    recognised = outcome in _RECOGNITION
    mode = None if recognised else draw(st.sampled_from(_MODES))
    specific = draw(st.sampled_from((None, None, "SPECIAL01")))
    return UnitEnrolment(
        subject_id=subject,
        delivery_location_id=draw(st.sampled_from(_LOCATIONS)),
        start_date=start,
        end_date=end,
        outcome=outcome,
        hours_attended=hours,
        scheduled_hours=0 if recognised else draw(st.integers(1, 200)),
        delivery_mode=mode,
        predominant_delivery_mode=None if mode is None else "IEW"[mode.index("Y")],
        funding_source_national="13" if specific else draw(st.sampled_from(("11", "20", "15"))),
        specific_funding_id=specific,
        study_reason_id=draw(st.sampled_from(("01", "07", "12", "@@"))),
        client_tuition_fee=0 if profile == "nsw" else None,
    )


@st.composite
def _enrolment(draw: st.DrawFn, profile: str, client: str, completing: bool = False) -> ProgramEnrolment:
    """A learner's enrolment; ``completing``: its units mostly achieved (a completion is then rarely refused)."""
    subjects = draw(st.lists(st.sampled_from(_SUBJECTS), min_size=1, max_size=4, unique=True))
    outcomes = _ACHIEVED if completing and draw(st.integers(0, 3)) else _BEFORE
    units = [draw(_unit(s, profile, outcomes)) for s in subjects]
    if draw(st.integers(0, 3)) == 0:  # an earlier attempt of the first subject, failed or withdrawn (item 12)
        units.insert(0, draw(_earlier_attempt(units[0])))
    return ProgramEnrolment(
        training_organisation_id=TOID,
        client_id=client,
        program_id=draw(st.sampled_from(_PROGRAMS)),
        units=units,
        commitment_id=f"C{client[-4:]}0001" if profile == "nsw" else None,
    )


@st.composite
def _earlier_attempt(draw: st.DrawFn, later: UnitEnrolment) -> UnitEnrolment:
    """An attempt of ``later``'s subject that ended (30 failed, 40 withdrawn with hours) before ``later`` started:
    a distinct NAT00120 record (the key holds the start date) that a completion accepts when ``later`` is achieved.
    Attempts that overlap are X-11 errors, which the finalise command's pre-flight reports (docs/finalise.md)."""
    outcome = draw(st.sampled_from(("30", "40")))
    gap = datetime.timedelta(days=draw(st.integers(1, 60)))
    end = later.start_date - gap
    start = end - datetime.timedelta(days=draw(st.integers(0, 60)))
    return attrs.evolve(
        later,
        start_date=start,
        end_date=end,
        outcome=outcome,
        hours_attended=draw(st.integers(1, 40)) if outcome == "40" else None,
        delivery_mode=later.delivery_mode or "YNN",
        predominant_delivery_mode=later.predominant_delivery_mode or "I",
        scheduled_hours=later.scheduled_hours or 20,
    )


@st.composite
def _event(draw: st.DrawFn, e: ProgramEnrolment, kind: str) -> Completion | Withdrawal | Deferral:
    """An event mostly in the second half of the period year, now and then in the previous or the next year; a
    completion mostly soon after its last unit ended (else it is refused), wherever that falls."""
    outside = st.dates(D(YEAR - 1, 6, 1), D(YEAR - 1, 12, 31)) | st.dates(D(YEAR + 1, 1, 1), D(YEAR + 1, 3, 31))
    anywhere = _mostly(st.dates(D(YEAR, 6, 1), PERIOD_END), outside)
    if kind == "completion" and draw(st.booleans()):
        last = max(u.end_date for u in e.units)
        anywhere = st.dates(last, last + datetime.timedelta(days=60))
    date = draw(anywhere)
    if kind == "completion":
        issued = draw(st.booleans())
        return Completion(date=date, credential_issued=issued, parchment_issue_date=date if issued else None)
    if kind == "withdrawal":
        sids = [u.subject_id for u in e.units]
        chosen = draw(st.lists(st.sampled_from(sids), unique=True))
        return Withdrawal(
            date=date,
            status=draw(st.sampled_from(list(WithdrawalStatus))),
            hours_attended={s: draw(st.integers(0, 40)) for s in chosen},
            reason=draw(st.none() | st.just("MOVED INTERSTATE")),
        )
    resume = draw(st.none() | st.dates(date + datetime.timedelta(days=1), D(YEAR + 1, 6, 30)))
    return Deferral(date=date, resume_date=resume)


def _rows(records: Any) -> list[dict[str, Any]]:
    return [attrs.asdict(r) for r in records]


def companion_collection(c: SampleCollection, result: FinalisationResult) -> SampleCollection:
    """``c``'s organisation, venues, programs, subjects and client, with ``result``'s rows as the activity."""
    act = _rows(result.nat00120)
    done = _rows([result.nat00130] if result.nat00130 is not None else [])
    subjects = {r["subject_id"] for r in act}
    programs = {r["program_id"] for r in act} | {r["program_id"] for r in done}
    venues = {r["delivery_location_id"] for r in act}
    rows = dict(c.rows)
    rows["NAT00120"] = act
    rows["NAT00130"] = done
    rows["NAT00060"] = [
        {
            "subject_id": s,
            "subject_name": f"SAMPLE SUBJECT {s}",
            "subject_field_of_education_id": "080301",
            "vet_flag": "Y",
            "nominal_hours": 40,
        }
        for s in sorted(subjects)
    ]
    all_programs = {
        "BSB40120": ("Certificate IV in Business", 690),
        "BSB50120": ("Diploma of Business", 960),
    }
    rows["NAT00030"] = [
        {"program_id": p, "program_name": all_programs[p][0], "nominal_hours": all_programs[p][1]}
        for p in sorted(x for x in programs if x is not None)
    ]
    places = {"LOC01": ("2000", "01", "SYDNEY"), "LOC02": ("3000", "02", "MELBOURNE")}
    rows["NAT00020"] = [
        {
            "training_organisation_id": TOID,
            "delivery_location_id": loc,
            "delivery_location_name": f"SAMPLE CAMPUS {places[loc][2]}",
            "postcode": places[loc][0],
            "state_id": places[loc][1],
            "address_suburb": places[loc][2],
            "country_id": "1101",
        }
        for loc in sorted(venues)
    ]
    return attrs.evolve(c, rows=rows)


def _subject_of(issue: Issue) -> str | None:
    text = issue.message
    return text.split(":", 1)[0].removeprefix("unit ") if text.startswith("unit ") else None


def unexplained(findings: pd.DataFrame, result: FinalisationResult) -> list[str]:
    """Errors and warnings that ``finalise`` did not report for the same unit under the same rule ID."""
    warned = {(i.rule_id, _subject_of(i)) for i in result.issues}
    rule_ids = {i.rule_id for i in result.issues}
    out = []
    for f in findings.itertuples():
        if str(f.severity) not in ("error", "warning"):
            continue
        subject = None
        # The report's lines are numpy integers (or NA): a Real that is not NA names its record, so a finding is
        # matched to its unit and never excused by a warning finalise gave another unit.
        if f.file == "NAT00120" and isinstance(f.line, numbers.Real) and not pd.isna(f.line) and f.line >= 1:
            subject = result.nat00120[int(f.line) - 1].subject_id
        if (f.rule_id, subject) in warned or (subject is None and f.rule_id in rule_ids):
            continue
        out.append(f"{f.rule_id} {f.severity} {f.file}:{f.line} {subject or ''} {f.field}: {f.message}")
    return out


def _reporting_date(data: st.DataObject, event_date: D, low: D, high: D) -> D:
    """A reporting date in [low, high], mostly on or after the event (a completion after it is refused)."""
    after = min(max(event_date, low), high)
    return data.draw(_mostly(st.dates(after, high), st.dates(low, high)), label="reporting date")


@AGREEMENT
@given(data=st.data())
def test_finalised_rows_validate_clean_under_every_profile(data: st.DataObject) -> None:
    """The contract: rows finalise writes validate with no error and no warning except those finalise reported for
    that unit, under the same rule ID — for every profile, final and interim collections, with the period given to
    finalise or not (then validated for the reporting date's year)."""
    profile = data.draw(st.sampled_from(PROFILE_NAMES), label="profile")
    c = data.draw(consistent_collections(year=YEAR, profile=profile, max_clients=1), label="companions")
    client = c.rows["NAT00080"][0]["client_id"]
    kind = data.draw(st.sampled_from(("completion", "withdrawal", "deferral")), label="event type")
    enrolment = data.draw(_enrolment(profile, client, kind == "completion"), label="enrolment")
    event = data.draw(_event(enrolment, kind), label="event")
    interim = data.draw(st.booleans(), label="interim")
    scoped = data.draw(st.booleans(), label="period given to finalise")
    # Interim runs, and runs without a period (validated for the reporting date's year), report inside the year.
    reporting = _reporting_date(data, event.date, PERIOD_START, WINDOW_END if scoped and not interim else PERIOD_END)
    period = YEAR if scoped else None
    result = finalise(enrolment, event, profile, reporting_date=reporting, period=period, interim=interim)
    # A NAT00130 written without NAT00120 rows is judged too; a result that writes nothing is not.
    assume(result.ok and (result.nat00120 or result.nat00130 is not None))
    collection = companion_collection(c, result)
    report = validate(
        collection.frames(),
        period=YEAR,
        profile=profile,
        interim=interim,
        options=ValidationOptions(reporting_date=reporting),
    )
    assert unexplained(report.findings, result) == []


def test_a_warning_about_one_unit_does_not_excuse_a_finding_on_another() -> None:
    """The contract's matcher itself: a report's lines are numpy integers, and a finding on U002's record is not
    excused by a V-120-08 warning finalise gave U001 (an earlier matcher took only Python ints and so fell back to
    "any unit")."""
    import numpy as np

    from avetmiss_finalise.issues import Severity
    from avetmiss_finalise.model import EnrolmentStatus
    from avetmiss_finalise.nat.records import NAT00120

    warned = Issue(rule_id="V-120-08", severity=Severity.WARNING, message="unit U001: starts inside the year")
    enrolment = ProgramEnrolment(training_organisation_id=TOID, client_id="TESTCL01", program_id=None, units=())
    result = FinalisationResult(
        enrolment=enrolment,
        status=EnrolmentStatus.ACTIVE,
        nat00120=(NAT00120(subject_id="U001"), NAT00120(subject_id="U002")),
        issues=(warned,),
    )
    findings = pd.DataFrame(
        {
            "rule_id": ["V-120-08", "V-120-08"],
            "severity": ["error", "error"],
            "file": ["NAT00120", "NAT00120"],
            "line": np.array([1, 2], dtype=np.int64),
            "field": ["activity_start_date"] * 2,
            "message": ["not yet started"] * 2,
        }
    )
    assert [p.split()[3] for p in unexplained(findings, result)] == ["U002"]
