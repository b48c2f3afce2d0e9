"""The samples shipped as package data are the repository's fixtures, byte for byte, and are found without a
source checkout (importlib.resources, also from a zip); ``demo`` and ``--sample`` use them. .ci/run's wheel job
checks the same from the built wheel alone.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from avetmiss_finalise import samples
from avetmiss_finalise.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "avetmiss_finalise" / "samples"


def test_the_packaged_collection_is_fixtures_sample_byte_for_byte() -> None:
    with samples.sample_collection() as path:
        packaged = {p.name: p.read_bytes() for p in Path(path).glob("NAT*.txt")}
    fixtures = {p.name: p.read_bytes() for p in (ROOT / "fixtures" / "sample").glob("NAT*.txt")}
    assert packaged == fixtures, "rerun: python3 fixtures/make_sample.py"


def test_the_packaged_enrolments_are_the_fixtures() -> None:
    with samples.sample_enrolments() as path:
        for name, _profile in samples.ENROLMENT_FILES:
            assert (path / name).read_bytes() == (ROOT / "fixtures" / "enrolments" / name).read_bytes(), name


def test_the_samples_are_found_when_the_package_is_imported_from_a_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in PACKAGED.rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                zf.write(p, f"avetmiss_finalise/samples/{p.relative_to(PACKAGED).as_posix()}")
    monkeypatch.setattr(samples.resources, "files", lambda _: zipfile.Path(archive, "avetmiss_finalise/samples/"))
    with samples.sample_collection() as path:
        assert (
            path.is_dir()
            and (path / "NAT00120.txt").read_bytes() == (ROOT / "fixtures/sample/NAT00120.txt").read_bytes()
        )
        kept = path
    assert not kept.exists()  # the temporary copy is removed


def test_validate_and_inspect_take_the_packaged_sample(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", "--sample", "--period", "2026", "--reporting-date", "2026-11-29", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] and doc["counts"]["warning"] == 0 and len(doc["inputs"]) == 11
    assert main(["inspect", "--sample"]) == 0
    assert "11 NAT file(s)" in capsys.readouterr().out
    assert main(["validate", "--sample", str(tmp_path)]) == 2
    assert "a PATH or --sample, not both" in capsys.readouterr().err
    assert main(["validate"]) == 2
    assert "missing PATH" in capsys.readouterr().err


def test_the_wheel_declares_the_sample_files_as_package_data() -> None:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = data["avetmiss_finalise"]
    assert "samples/collection/*.txt" in patterns and "**/*.json" in patterns
