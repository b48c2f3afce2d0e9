"""The SMS-habit regression suite (issue #8): each habit gets exactly the verdict sms_habits.md asks for.

fixtures/habits/<NAME>/ are written by fixtures/make_habits.py (one per habit of shared/spec/sms_habits.md, per
profile where it matters); ``<NAME>.expected.json`` declares, for every profile a collection is validated under,
every error and warning it must give. The habits of items 1-5 (not-stated numbers, state positions, USI before
2015, trimmed records, jurisdictions) give no error under the profile they were written for; each true fault of
item 6 (``fault-*``) still gives its error.
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from avetmiss_finalise.nat import read_collection, write_collection
from avetmiss_finalise.validation import ValidationOptions, validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HABITS = FIXTURES / "habits"


def _make_habits() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_habits", FIXTURES / "make_habits.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_habits", module)
    spec.loader.exec_module(module)
    return module


MAKE = _make_habits()
NAMES = [h.name for h in MAKE.HABITS]
RUNS = [(h.name, i) for h in MAKE.HABITS for i in range(len(h.runs))]


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HABITS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return data


@functools.cache
def _verdicts_of(name: str, index: int) -> tuple[tuple[Any, ...], ...]:
    """The verdicts of run ``index`` of ``name`` (validated once, shared by the tests below)."""
    return tuple(tuple(v) for v in _verdicts(name, _expected(name)["runs"][index]))


def _verdicts(name: str, run: dict[str, Any]) -> list[list[Any]]:
    when = run["reporting_date"]
    report = validate(
        HABITS / name,
        period=run["period"],
        profile=run["profile"],
        options=ValidationOptions(reporting_date=datetime.date.fromisoformat(when) if when else None),
    )
    f = report.findings
    f = f[f["severity"].isin(["error", "warning"]).to_numpy(dtype=bool)]
    out = [
        [rule, sev, file, None if line is None or line != line else int(line), field]
        for rule, sev, file, line, field in f[["rule_id", "severity", "file", "line", "field"]]
        .astype(object)
        .where(f[["rule_id", "severity", "file", "line", "field"]].notna(), None)
        .values.tolist()
    ]
    return sorted(out, key=lambda v: (v[2], v[0], v[1], v[3] or 0, v[4] or ""))


@pytest.mark.parametrize(("name", "run"), RUNS)
def test_habit_gets_exactly_its_verdicts(name: str, run: int) -> None:
    """Every error and warning of the collection, under each profile, is the one declared for the habit."""
    declared = _expected(name)["runs"][run]
    assert [list(v) for v in _verdicts_of(name, run)] == declared["verdicts"]


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("fault-")])
def test_habit_gives_no_error_under_the_profile_it_was_written_for(name: str) -> None:
    """Items 1-5: a habit a compliance officer would accept is never an error where it belongs."""
    e = _expected(name)
    index = [r["profile"] for r in e["runs"]].index(e["written_as"])
    assert not [v for v in _verdicts_of(name, index) if v[1] == "error"]


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("fault-")])
def test_true_fault_still_gives_an_error(name: str) -> None:
    """Item 6: a true fault stays an error (a false error is not fixed by silencing a true one)."""
    assert [v for v in _verdicts_of(name, 0) if v[1] == "error"]


@pytest.mark.parametrize("name", NAMES)
def test_habit_collection_is_written_back_byte_for_byte(name: str, tmp_path: Path) -> None:
    """Trimmed records, @-filled numbers, 00000000 dates and shifted records keep their bytes on a round trip."""
    profile = _expected(name)["written_as"]
    coll = read_collection(HABITS / name, profile=profile)
    write_collection(coll, tmp_path)
    for path in sorted((HABITS / name).iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_habit_of_the_spec_table_has_a_collection() -> None:
    """Each row of shared/spec/sms_habits.md's table is reproduced by at least one collection."""
    covered = {
        "@-filled numbers": "at-hours-nsw",
        "records cut short": "trimmed-records",
        "00000000 for an empty date": "zero-date-optional",
        "internal outcome 00": "fault-outcome-00",
        "blank usi before 2015": "usi-blank-2013",
        "ynn with predominant n": "unset-mode-ynn-n",
        "did not start blank": "fault-did-not-start-blank",
        "tasmania unfinished": "tas-unfinished",
        "nsw legacy": "nsw-legacy",
        "vic shorter": "vic-short-tail",
        "template text": "fault-template-date",
    }
    assert set(covered.values()) <= set(NAMES)


def test_make_habits_writes_exactly_the_committed_files(tmp_path: Path) -> None:
    """The collections are generated: rerunning fixtures/make_habits.py reproduces them byte for byte."""
    MAKE.build(tmp_path)
    for name in NAMES:
        fresh = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
        committed = {p.name: p.read_bytes() for p in (HABITS / name).iterdir()}
        assert fresh == committed, name
        expected = (tmp_path / f"{name}.expected.json").read_text(encoding="utf-8")
        assert expected == (HABITS / f"{name}.expected.json").read_text(encoding="utf-8"), name
