"""Start-up cost: the finalisation core and the command line's help do not import pandas or pyarrow.

An SMS calling ``finalise`` per request, or a user typing ``--help``, must not pay ~1 s for the columnar
machinery. Checked in a fresh interpreter each (``sys.modules`` of this one is full). The lazy façades
(avetmiss_finalise/_lazy.py) must also keep their three lists in step: the ``TYPE_CHECKING`` imports type checkers
read, the name → module table used at run time, and ``__all__``.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "pyarrow", "numpy")
LAZY_PACKAGES = ("avetmiss_finalise", "avetmiss_finalise.nat", "avetmiss_finalise.outcomes")


def _loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    probe = code + f"\nimport sys\nprint(','.join(m for m in {watched!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return [m for m in out.stdout.strip().split(",") if m]


def test_the_finalisation_core_imports_without_pandas_or_pyarrow() -> None:
    code = (
        "import avetmiss_finalise, avetmiss_finalise.model, avetmiss_finalise.jsonio\n"
        "from avetmiss_finalise import finalise, ProgramEnrolment, UnitEnrolment, Completion\n"
        "from avetmiss_finalise.outcomes import finalise_many, national_outcome\n"
        "from avetmiss_finalise.transition import plan_transition\n"
        "from avetmiss_finalise.nat.records import NAT00120\n"
    )
    assert _loaded_after(code) == []


def test_finalising_an_enrolment_needs_no_pandas() -> None:
    code = (
        "import datetime\n"
        "from avetmiss_finalise import Completion, ProgramEnrolment, UnitEnrolment, finalise\n"
        "u = UnitEnrolment(subject_id='BSBOPS401', delivery_location_id='MAIN01', start_date=datetime.date(2026,3,2),"
        " end_date=datetime.date(2026,6,1), outcome='20', scheduled_hours=40)\n"
        "e = ProgramEnrolment(training_organisation_id='90001', client_id='C1', program_id='BSB50120', units=(u,))\n"
        "r = finalise(e, Completion(date=datetime.date(2026,6,1), credential_issued=True),"
        " reporting_date=datetime.date(2026,11,29))\n"
        "assert r.nat00120\n"
    )
    assert _loaded_after(code) == []


def test_the_command_line_parser_and_help_import_no_pandas() -> None:
    code = (
        "import contextlib, io\n"
        "from avetmiss_finalise.cli import build_parser, main\n"
        "build_parser()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
        "    for c in ('validate', 'inspect', 'convert', 'finalise', 'demo', 'rules', 'summary'):\n"
        "        assert main([c, '--help']) == 0\n"
    )
    assert _loaded_after(code) == []


def test_the_columnar_names_still_resolve_through_the_facades() -> None:
    code = (
        "from avetmiss_finalise import read_collection, validate, conform\n"
        "from avetmiss_finalise.outcomes import finalise_frame\n"
    )
    assert set(_loaded_after(code)) == set(HEAVY)


def test_dask_is_imported_only_when_the_dask_engine_is_asked_for() -> None:
    """The Dask engine is an optional extra: the parser, the engine list and the memory and stream engines never
    import it (so they work, and start quickly, without it)."""
    code = (
        "import contextlib, io\n"
        "from avetmiss_finalise.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['validate', '--help']) == 0\n"
        "from avetmiss_finalise.engines import ENGINES\n"
        "import avetmiss_finalise.engines.run, avetmiss_finalise.engines.dask_tasks\n"
        "from avetmiss_finalise.validation import validate\n"
        "from avetmiss_finalise.samples import sample_collection\n"
        "with sample_collection() as where:\n"
        "    validate(where, period=2026)\n"
        "    validate(where, period=2026, chunk_rows=10)\n"
    )
    assert _loaded_after(code, ("dask", "distributed")) == []


def _type_checking_names(package: str) -> set[str]:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom):
                    names |= {a.asname or a.name for a in stmt.names}
    return names


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_a_lazy_facade_lists_each_name_once_in_all_three_places(package: str) -> None:
    module = importlib.import_module(package)
    lazy = set(module._LAZY)
    assert _type_checking_names(package) == lazy
    assert len(set(module.__all__)) == len(module.__all__)  # (its order is ruff's RUF022)
    eager = {n for n in module.__all__ if n in vars(module) and n not in lazy}
    assert set(module.__all__) == lazy | eager
    for name in module.__all__:
        assert getattr(module, name) is not None
    assert set(module.__all__) <= set(dir(module))


def test_an_unknown_name_is_an_attribute_error_and_submodules_still_load() -> None:
    import avetmiss_finalise.nat as nat

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        nat.nope  # noqa: B018 - the access is the test
    assert nat.layouts.FILE_IDS
