"""A finaliser notice under a validator rule carries that rule's severity under the profile (issue #8 item 5,
avetmiss_finalise/rule_severity.py), in ``finalise``, ``finalise_frame``, ``plan_transition`` and the ``finalise``
command, whose exit code then says the run is not clean. Synthetic records only (client TESTCL01, TOID 90001).
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.model import ProgramEnrolment, UnitEnrolment, Withdrawal
from avetmiss_finalise.nat import frame_from_records
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.outcomes import finalise
from avetmiss_finalise.outcomes.catalogue import FINALISATION_RULES
from avetmiss_finalise.outcomes.columnar import finalise_frame, frames_from_pairs
from avetmiss_finalise.period import Period
from avetmiss_finalise.preflight import preflight_findings
from avetmiss_finalise.profiles import PROFILE_NAMES, get_profile
from avetmiss_finalise.rule_severity import NAMED_RULES, PROFILE_SEVERITIES, named_severity
from avetmiss_finalise.validation import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
D = datetime.date
REPORTING = D(2026, 11, 29)


def test_the_table_is_the_registry_s() -> None:
    assert {rule: REGISTRY[rule].severity for rule in NAMED_RULES} == NAMED_RULES
    assert all(rule in REGISTRY for rule, _ in PROFILE_SEVERITIES)


def test_every_validator_rule_the_finaliser_names_is_in_the_table() -> None:
    """A new notice under a validator rule ID must be listed, or it would keep a severity of its own."""
    sources = [
        *(ROOT / "avetmiss_finalise" / "outcomes").glob("*.py"),
        *(ROOT / "avetmiss_finalise" / "transition").glob("*.py"),
    ]
    sources.append(ROOT / "avetmiss_finalise" / "batch.py")
    named = {m for p in sources for m in re.findall(r'"([A-Z]+-[0-9A-Z-]+)"', p.read_text(encoding="utf-8"))}
    own = {r.id for r in FINALISATION_RULES}  # the finaliser's F-… rules, its own severities
    assert {rule for rule in named if rule in REGISTRY and rule not in own} <= set(NAMED_RULES)


def _nat00120(rows: list[object], profile: str) -> bytes:
    return encode_frame(frame_from_records(rows, "NAT00120", profile), "NAT00120", get_profile(profile))


def test_v_120_08_is_an_error_under_vic_in_the_validator_as_in_the_table() -> None:
    unit = UnitEnrolment(
        subject_id="U001",
        delivery_location_id="MAIN01",
        start_date=D(2026, 3, 1),
        end_date=D(2026, 4, 1),
        outcome="85",
        hours_attended=0,
    )
    e = ProgramEnrolment(training_organisation_id="90001", client_id="TESTCL01", program_id=None, units=(unit,))
    for name in ("vic", "nsw", "national"):
        rows = [r for r in finalise(e, Withdrawal(date=D(2026, 2, 1)), name, reporting_date=REPORTING).nat00120]
        found = [
            f
            for f in preflight_findings(_nat00120(rows, name), get_profile(name), REPORTING, Period.year(2026))
            if f.rule_id == "V-120-08"
        ]
        assert [f.severity for f in found] == [named_severity("V-120-08", name)], name


def _withdrawn_without_hours() -> ProgramEnrolment:
    unit = UnitEnrolment(
        subject_id="U001",
        delivery_location_id="MAIN01",
        start_date=D(2026, 3, 1),
        end_date=D(2026, 9, 1),
        outcome="70",
        hours_attended=0,
        scheduled_hours=40,
        funding_source_national="20",
    )
    return ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id="BSB40120",
        units=(unit,),
        commitment_id="C000999999",
    )


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_v_120_13_has_the_validator_s_severity_in_both_paths(name: str) -> None:
    """The row is written either way (the provider decides); under nsw, vic and qld validate calls it an error,
    and so does finalise; elsewhere the rule does not apply and finalise's own F-WITHDRAW-COMMENCED warns."""
    e, ev = _withdrawn_without_hours(), Withdrawal(date=D(2026, 6, 1))
    r = finalise(e, ev, name, reporting_date=REPORTING, period=2026)
    assert r.ok and [row.outcome_national for row in r.nat00120] == ["40"]
    mine = [(i.rule_id, i.severity) for i in r.issues if i.field == "hours_attended"]
    states = name in {"nsw", "vic", "qld"}
    assert mine == ([("V-120-13", Severity.ERROR)] if states else [("F-WITHDRAW-COMMENCED", Severity.WARNING)])
    frame = finalise_frame(*frames_from_pairs([(e, ev)]), name, reporting_date=REPORTING, period=2026).issues
    named = frame[frame["field"] == "hours_attended"]
    assert named[["rule_id", "severity"]].values.tolist() == [[mine[0][0], mine[0][1].label]]
    validated = [
        f.severity
        for f in preflight_findings(_nat00120(list(r.nat00120), name), get_profile(name), REPORTING, None)
        if f.rule_id == "V-120-13"
    ]
    assert validated == ([Severity.ERROR] if states else [])


def _run(tmp_path: Path, profile: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    item = {
        "enrolment": {
            "training_organisation_id": "90001",
            "client_id": "TESTCL01",
            "program_id": "BSB40120",
            "commitment_id": "C000999999",
            "units": [
                {
                    "subject_id": "U001",
                    "delivery_location_id": "MAIN01",
                    "start_date": "2026-03-01",
                    "end_date": "2026-09-01",
                    "outcome": "70",
                    "hours_attended": 0,
                    "scheduled_hours": 40,
                    "funding_source_national": "20",
                }
            ],
        },
        "event": {"type": "withdrawal", "date": "2026-06-01"},
    }
    src = tmp_path / f"{profile}.json"
    src.write_text(json.dumps([item]), encoding="utf-8")
    out = tmp_path / f"out-{profile}"
    capsys.readouterr()
    code = main(
        [
            "finalise",
            str(src),
            "--profile",
            profile,
            "--reporting-date",
            "2026-11-29",
            "--period",
            "2026",
            "--out",
            str(out),
        ]
    )
    assert (out / "NAT00120.txt").read_bytes().count(b"\n") == 1  # written either way
    return code, capsys.readouterr().err


def test_the_command_exits_1_when_a_written_row_carries_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(tmp_path, "nsw", capsys)
    assert code == 1 and "error V-120-13: unit U001:" in err
    code, err = _run(tmp_path, "national", capsys)
    assert code == 0 and "warning F-WITHDRAW-COMMENCED: unit U001:" in err


def test_the_period_rules_are_the_named_rules_that_require_a_period() -> None:
    """PERIOD_RULES is derived knowledge of the registry: the named rules whose check needs the collection."""
    from avetmiss_finalise.rule_severity import PERIOD_RULES

    assert {r for r in NAMED_RULES if "period" in REGISTRY[r].requires} == PERIOD_RULES


@pytest.mark.parametrize("profile", ["national", "nsw", "vic"])
def test_an_earlier_year_row_without_a_period_is_a_warning_and_with_one_is_left_out(profile: str) -> None:
    """Issue #8 item 10: a final outcome dated in an earlier collection year than the reporting date is a
    warning naming the unit. Without a period the collection is the finaliser's guess (the reporting date's
    year), so V-120-04 is said as a warning on both paths — the caller may be preparing that earlier year —
    while V-120-13, which needs no period, keeps the validator's severity; given the period, the row is left
    out (F-PRIOR-YEAR) instead."""
    from avetmiss_finalise.model import Completion

    def u(sid: str, start: datetime.date, end: datetime.date) -> UnitEnrolment:
        return UnitEnrolment(
            subject_id=sid,
            delivery_location_id="MAIN01",
            start_date=start,
            end_date=end,
            outcome="20",
            funding_source_national="20",
            scheduled_hours=20,
        )

    enrolment = ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id="BSB30120",
        units=(u("U2025", D(2025, 2, 1), D(2025, 3, 1)), u("U2026", D(2026, 2, 1), D(2026, 5, 1))),
        commitment_id="C000123456" if profile == "nsw" else None,
    )
    event = Completion(date=D(2026, 6, 1))
    guessed = finalise(enrolment, event, profile, reporting_date=REPORTING)
    assert guessed.ok
    (prior,) = [i for i in guessed.issues if i.rule_id == "V-120-04"]
    assert prior.severity is Severity.WARNING and "U2025" in prior.message
    units, enrolments = frames_from_pairs([(enrolment, event)])
    frame = finalise_frame(units, enrolments, profile, reporting_date=REPORTING)
    named = frame.issues[frame.issues["rule_id"] == "V-120-04"]
    assert list(named["severity"].astype(str)) == ["warning"]
    placed = finalise(enrolment, event, profile, reporting_date=REPORTING, period=2026)
    assert not [i for i in placed.issues if i.rule_id == "V-120-04"]
    assert [i.severity for i in placed.issues if i.rule_id == "F-PRIOR-YEAR"] == [Severity.WARNING]


def test_named_severity_says_each_case_explicitly() -> None:
    """The table read back case by case: vic's own V-120-08, the registry's elsewhere, a period rule's error
    with a known period — the default — and a warning without one, and None for a rule not named."""
    assert named_severity("V-120-08", "vic") is Severity.ERROR
    assert named_severity("V-120-08", "nsw") is Severity.WARNING
    assert named_severity("V-120-04", "national") is Severity.ERROR
    assert named_severity("V-120-04", "national", period_known=False) is Severity.WARNING
    assert named_severity("V-120-13", "nsw", period_known=False) is Severity.ERROR  # not a period rule
    assert named_severity("F-COMPLETE", "nsw") is None


def test_with_named_severities_defaults_to_a_known_period() -> None:
    from avetmiss_finalise.issues import Issue
    from avetmiss_finalise.rule_severity import with_named_severities

    notice = Issue(rule_id="V-120-04", severity=Severity.WARNING, message="unit A: before the period")
    own = Issue(rule_id="F-COMPLETE", severity=Severity.WARNING, message="unit A: check")
    (settled, kept) = with_named_severities([notice, own], "national")
    assert settled.severity is Severity.ERROR and kept is own
    (guessed,) = with_named_severities([notice], "national", period_known=False)
    assert guessed is notice  # already a warning: the same object back
