"""finalise_batch checks the rows it writes with the validator's NAT00120-only rules (issue #8, the contract).

An input fault ``finalise`` carries through into a row (a kept 40 with no hours, NNN on an achieved unit, …) is
named as a warning under the validator's rule ID, for that unit, on the outcome that writes it — once: not again
when ``finalise`` already warned that unit under that rule. And for generated batches (the agreement generators of
tests/test_agreement.py, widened here to draw those faults) every error and warning ``validate`` finds in the rows
is one the batch warned about, for that unit, under the same rule ID.
"""

from __future__ import annotations

import datetime
import io
import json
import numbers
import types
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from avetmiss_finalise.batch import BatchResult, finalise_batch
from avetmiss_finalise.jsonio import InputItem
from avetmiss_finalise.model import (
    Completion,
    ProgramEnrolment,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)
from avetmiss_finalise.preflight import nat00120_only, unit_of
from avetmiss_finalise.profiles import PROFILE_NAMES
from avetmiss_finalise.validation import ValidationOptions, validate
from avetmiss_finalise.validation.registry import REGISTRY
from tests.strategies.collections import consistent_collections
from tests.test_agreement import (
    AGREEMENT,
    PERIOD_END,
    PERIOD_START,
    WINDOW_END,
    YEAR,
    _enrolment,
    _event,
    _reporting_date,
    companion_collection,
)

D = datetime.date
CLIENT, TOID = "TESTCL01", "90001"
REPORTING = D(2026, 12, 31)
WITHDRAWN = Withdrawal(date=D(2026, 6, 30), status=WithdrawalStatus.WITHDRAWN, hours_attended={})
COMPLETED = Completion(date=D(2026, 6, 30), credential_issued=True, parchment_issue_date=D(2026, 6, 30))


def _unit(subject: str, **changes: Any) -> UnitEnrolment:
    fields: dict[str, Any] = {
        "subject_id": subject,
        "delivery_location_id": "LOC01",
        "start_date": D(2026, 2, 2),
        "end_date": D(2026, 5, 29),
        "outcome": "20",
        "scheduled_hours": 40,
        "delivery_mode": "YNN",
        "predominant_delivery_mode": "I",
        "study_reason_id": "01",
        **changes,
    }
    return UnitEnrolment(**fields)


def _batch(units: list[UnitEnrolment], event: Any = COMPLETED, profile: str = "national") -> BatchResult:
    enrolment = ProgramEnrolment(
        training_organisation_id=TOID,
        client_id=CLIENT,
        program_id="BSB40120",
        units=units,
        commitment_id="C00010001" if profile == "nsw" else None,
    )
    return finalise_batch([InputItem(enrolment=enrolment, event=event)], profile, REPORTING, period=YEAR)


def _warned(result: BatchResult) -> set[tuple[str, str | None]]:
    return {(i.rule_id, unit_of(i)) for o in result.outcomes for i in o.issues if i.severity.label == "warning"}


@pytest.mark.parametrize("profile", ["national", "vic", "qld"])
def test_a_clean_enrolment_gets_no_warning(profile: str) -> None:
    result = _batch([_unit("BSBTST001"), _unit("BSBTST002")], profile=profile)
    assert result.ok and [i for o in result.outcomes for i in o.issues] == []


FAULTS = {
    "V-120-13": ([_unit("BSBTST001", outcome="40", hours_attended=None)], WITHDRAWN, "vic", "BSBTST001"),
    "V-120-05": ([_unit("BSBTST001", delivery_mode="NNN", predominant_delivery_mode="N")], COMPLETED, "national", None),
    "V-120-17": ([_unit("BSBTST001", predominant_delivery_mode="E")], COMPLETED, "national", None),
    "V-120-06": ([_unit("BSBTST001", outcome="51", scheduled_hours=0)], COMPLETED, "national", None),
    "V-120-15": (
        [_unit("BSBTST001", outcome="60", scheduled_hours=20, delivery_mode="NNN", predominant_delivery_mode="N")],
        COMPLETED,
        "national",
        None,
    ),
    "V-120-16": (
        [_unit("BSBTST001", commencing_program_id="3"), _unit("BSBTST002", commencing_program_id="4")],
        COMPLETED,
        "national",
        "BSBTST002",
    ),
    "V-120-F4": ([_unit("BSBTST001", specific_funding_id="SPECIAL01")], COMPLETED, "national", None),
    "V-120-F5": ([_unit("BSBTST001", vet_in_schools_flag="Y")], COMPLETED, "national", None),
    "X-11": (
        [
            _unit("BSBTST001", outcome="30", end_date=D(2026, 3, 31)),
            _unit("BSBTST001", outcome=None, start_date=D(2026, 3, 1), end_date=D(2026, 9, 30)),
        ],
        WITHDRAWN,
        "national",
        None,
    ),
}


@pytest.mark.parametrize("rule_id", sorted(FAULTS))
def test_a_fault_carried_into_a_row_is_warned_under_the_validators_rule(rule_id: str) -> None:
    units, event, profile, subject = FAULTS[rule_id]
    result = _batch(units, event, profile)
    assert result.ok
    (outcome,) = result.outcomes
    mine = [i for i in outcome.issues if i.rule_id == rule_id]
    unit = subject or units[-1].subject_id
    assert [unit_of(i) for i in mine].count(unit) == 1, outcome.issues
    (issue,) = [i for i in mine if unit_of(i) == unit]
    # With the severity validate gives the row (here the registry's): an error stays an error (exit 1).
    assert issue.severity is REGISTRY[rule_id].severity
    if rule_id in ("X-11", "X-12"):  # finalise itself names rows of one subject that meet; the check then keeps quiet
        from avetmiss_finalise.outcomes.attempts import overlap_message

        assert issue.message == overlap_message(unit, rule_id)
    else:
        assert issue.message.startswith(f"unit {unit}: {REGISTRY[rule_id].message}")
    assert issue.client_id == CLIENT
    # In decisions.json as the command writes it.
    doc = json.loads(result.to_json())
    assert any(i["rule_id"] == rule_id and i["message"] == issue.message for i in doc["enrolments"][0]["issues"]), doc


def test_a_unit_finalise_already_warned_is_not_warned_again_under_that_rule() -> None:
    """finalise warns V-120-13 for a unit it withdraws without hours; the check adds none for that unit."""
    result = _batch([_unit("BSBTST001", outcome=None, end_date=D(2026, 9, 30))], WITHDRAWN, "vic")
    (outcome,) = result.outcomes
    assert [unit_of(i) for i in outcome.issues if i.rule_id == "V-120-13"] == ["BSBTST001"]


def test_only_rules_that_read_nat00120_alone_run() -> None:
    ids = {r.id for r in REGISTRY.values() if nat00120_only(r)}
    assert {"V-120-05", "V-120-13", "V-120-16", "V-120-F4", "X-11", "X-12"} <= ids
    assert not ids & {"X-03", "X-04", "X-05", "F-03", "V-080-02", "F-02"}


def test_the_warnings_reach_stderr_like_finalises_own(tmp_path: Path) -> None:
    from avetmiss_finalise.cli.finalise_cmd import print_summary

    units, event, profile, _ = FAULTS["V-120-F4"]
    result = _batch(units, event, profile)
    stdout, stderr = io.StringIO(), io.StringIO()
    print_summary(result.outcomes, "in.json", tmp_path, stdout, stderr)
    assert "in.json: [0].enrolment: error V-120-F4: unit BSBTST001: A Specific Funding" in stderr.getvalue()


# ------------------------------------------------------------------------------------- the property (widened input)


@st.composite
def _faulty(draw: st.DrawFn, unit: UnitEnrolment) -> UnitEnrolment:
    """``unit`` with, now and then, one of the faults finalise carries through into its row."""
    fault = draw(
        st.sampled_from(
            (None, None, "40", "nnn", "predominant", "recognition", "60", "commencing", "specific", "schools")
        )
    )
    if fault == "40":
        return attrs.evolve(unit, outcome="40", hours_attended=None)
    if fault == "nnn":
        return attrs.evolve(unit, outcome="20", delivery_mode="NNN", predominant_delivery_mode="N")
    if fault == "predominant":
        return attrs.evolve(unit, predominant_delivery_mode=draw(st.sampled_from("IEWN")))
    if fault == "recognition":
        return attrs.evolve(
            unit,
            outcome=draw(st.sampled_from(("51", "60"))),
            delivery_mode="YNN",
            predominant_delivery_mode="I",
            scheduled_hours=0,
        )
    if fault == "60":
        return attrs.evolve(
            unit,
            outcome="60",
            delivery_mode="NNN",
            predominant_delivery_mode="N",
            scheduled_hours=draw(st.integers(1, 40)),
        )
    if fault == "commencing":
        return attrs.evolve(unit, commencing_program_id=draw(st.sampled_from(("3", "4", "8"))))
    if fault == "specific":
        return attrs.evolve(
            unit, specific_funding_id="SPECIAL01", funding_source_national=draw(st.sampled_from(("11", "20")))
        )
    if fault == "schools":
        return attrs.evolve(unit, vet_in_schools_flag="Y", school_type_id=draw(st.sampled_from((None, "21"))))
    return unit


def _companions(c: Any, result: BatchResult) -> Any:
    rows = [r for o in result.outcomes for r in o.rows]
    done = [o.nat00130 for o in result.outcomes if o.nat00130 is not None]
    whole = companion_collection(c, types.SimpleNamespace(nat00120=tuple(rows), nat00130=None))  # type: ignore[arg-type]
    one = [companion_collection(c, types.SimpleNamespace(nat00120=(), nat00130=d)) for d in done]  # type: ignore[arg-type]
    programs = {p["program_id"]: p for x in (whole, *one) for p in x.rows["NAT00030"]}
    merged = dict(whole.rows)
    merged["NAT00130"] = [attrs.asdict(d) for d in done]
    merged["NAT00030"] = [programs[p] for p in sorted(programs)]
    return attrs.evolve(whole, rows=merged)


def _unexplained(findings: pd.DataFrame, result: BatchResult) -> list[str]:
    """Errors and warnings not warned by the batch for the same outcome, unit and rule ID."""
    owners = [(o.index, r.subject_id) for o in result.outcomes for r in o.rows]
    warned = {(o.index, i.rule_id, unit_of(i)) for o in result.outcomes for i in o.issues}
    rule_ids = {i.rule_id for o in result.outcomes for i in o.issues}
    out = []
    for f in findings.itertuples():
        if str(f.severity) not in ("error", "warning"):
            continue
        if f.file == "NAT00120" and isinstance(f.line, numbers.Real) and not pd.isna(f.line) and f.line >= 1:
            index, subject = owners[int(f.line) - 1]
            if (index, f.rule_id, subject) in warned:
                continue
        elif f.rule_id in rule_ids:
            continue
        else:
            index, subject = -1, None
        out.append(f"{f.rule_id} {f.severity} {f.file}:{f.line} [{index}] {subject or ''} {f.field}: {f.message}")
    return out


@AGREEMENT
@given(data=st.data())
def test_a_batchs_rows_validate_clean_but_for_its_warnings(data: st.DataObject) -> None:
    """The contract for a whole batch of one learner's enrolments, with the faults finalise carries through."""
    profile = data.draw(st.sampled_from(PROFILE_NAMES), label="profile")
    c = data.draw(consistent_collections(year=YEAR, profile=profile, max_clients=1), label="companions")
    client = c.rows["NAT00080"][0]["client_id"]
    items = []
    for _ in range(data.draw(st.integers(1, 3), label="items")):
        kind = data.draw(st.sampled_from(("completion", "withdrawal", "deferral")), label="event type")
        enrolment = data.draw(_enrolment(profile, client, kind == "completion"), label="enrolment")
        units = [data.draw(_faulty(u), label="unit") for u in enrolment.units]
        enrolment = attrs.evolve(enrolment, units=units)
        items.append(InputItem(enrolment=enrolment, event=data.draw(_event(enrolment, kind), label="event")))
    scoped = data.draw(st.booleans(), label="period given to finalise")
    interim = scoped and data.draw(st.booleans(), label="interim")  # the batch refuses --interim without --period
    last = max(i.event.date for i in items)
    reporting = _reporting_date(data, last, PERIOD_START, WINDOW_END if scoped and not interim else PERIOD_END)
    result = finalise_batch(items, profile, reporting, period=YEAR if scoped else None, interim=interim)
    assume(any(o.rows for o in result.outcomes))
    frames = _companions(c, result).frames()
    report = validate(
        frames, period=YEAR, profile=profile, interim=interim, options=ValidationOptions(reporting_date=reporting)
    )
    assert _unexplained(report.findings, result) == []


def test_two_completions_of_one_program_on_one_day_are_named_x_09_on_the_later_item() -> None:
    """Two enrolments of the same program for one learner, both completed on the same date, write two NAT00130
    records the validator rejects (X-09, one record per program, client and completion date; found by the batch
    property in CI): the later item is named under X-09 with its severity; another date, nothing."""
    from avetmiss_finalise.issues import Severity
    from avetmiss_finalise.nat.parse import parse_bytes
    from avetmiss_finalise.profiles import get_profile

    def item(subject: str, done: Completion) -> InputItem:
        enrolment = ProgramEnrolment(
            training_organisation_id=TOID, client_id=CLIENT, program_id="BSB40120", units=[_unit(subject)]
        )
        return InputItem(enrolment=enrolment, event=done)

    later = Completion(date=D(2026, 7, 1), credential_issued=True)
    for second, named in ((COMPLETED, True), (later, False)):
        result = finalise_batch(
            [item("BSBTST001", COMPLETED), item("BSBTST002", second)], "national", REPORTING, period=YEAR
        )
        found = [
            (o.index, i.rule_id, i.severity, i.field, i.value)
            for o in result.outcomes
            for i in o.issues
            if i.rule_id == "X-09"
        ]
        assert found == ([(1, "X-09", Severity.ERROR, "program_id", "BSB40120")] if named else [])
        nat130 = result.nat[1]
        assert nat130.count(b"\n") == 2  # both written: the provider keeps one
        frame = parse_bytes(nat130, "NAT00130", get_profile("national")).frame
        checked = validate({"NAT00130": frame}, period=YEAR, rules=["X-09"])
        assert bool(len(checked.findings)) is named
