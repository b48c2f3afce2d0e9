"""The packaging contract: declared dependency floors are the versions the floor job tests.

pyproject.toml declares ``name>=X`` for every runtime dependency (and the ``html`` extra); ci/constraints-floor.txt
pins each at exactly ``X`` for .ci/run's floor job. If the two drift apart, the floor we promise is not the floor
we test.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^]]*\])?\s*>=\s*([0-9][0-9.]*)\s*$")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _declared_floors() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = {}
    for req in [*project["dependencies"], *project["optional-dependencies"]["html"]]:
        m = _REQ.match(req)
        assert m, f"{req!r}: every runtime requirement is declared as name>=floor"
        floors[_key(m.group(1))] = m.group(2)
    return floors


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "ci" / "constraints-floor.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{line!r}: constraints pin exact versions"
            pins[_key(name)] = version.strip()
    return pins


def test_the_floor_constraints_pin_every_declared_floor_and_nothing_else() -> None:
    floors, pins = _declared_floors(), _pins()
    assert sorted(pins) == sorted(floors)
    for name, floor in floors.items():
        assert _version(pins[name]) == _version(floor), f"{name}: pyproject says >={floor}, floor job pins {pins[name]}"


def test_ci_runs_the_floor_job_with_the_constraints_file() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-c ci/constraints-floor.txt" in script
    assert "tests/test_smoke.py" in script
