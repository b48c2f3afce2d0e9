"""Bit flips and truncation (issue #10): damaged copies of real inputs through every entry point.

Hypothesis flips bits in, or cuts short, the sample NAT files (read as a directory and as a zip), the CSV files
and sidecar ``convert`` made of them, and the ``finalise`` input; each damaged input goes through the command line
under :func:`tests.robustness.run_checked` (documented exit code, never 70, no traceback, nothing outside the
output touched, the output unchanged on failure). Each run is a whole command, so the example counts are a third
of the profile's (dev 8, ci 15 at most).
"""

from __future__ import annotations

import functools
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avetmiss_finalise.samples import sample_collection, sample_enrolments
from tests.robustness import run_checked

EXAMPLES = min(15, max(5, settings.default.max_examples // 3))
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@functools.cache
def _sample() -> dict[str, bytes]:
    with sample_collection() as src:
        return {p.name: p.read_bytes() for p in sorted(Path(src).glob("NAT*"))}


@functools.cache
def _sample_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _sample().items():
            zf.writestr(f"submission/{name}", data)
    return buffer.getvalue()


@functools.cache
def _enrolments() -> bytes:
    with sample_enrolments() as path:
        return (path / "national.json").read_bytes()


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for pos, bit in flips:
        if out:
            out[pos % len(out)] ^= 1 << bit
    return bytes(out)


flips = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 7)), min_size=1, max_size=8)
damage = st.one_of(
    flips.map(lambda f: ("flip", f)),
    st.integers(0, 1 << 20).map(lambda cut: ("cut", cut)),
)


def _damaged(data: bytes, how: tuple[str, object]) -> bytes:
    kind, arg = how
    if kind == "flip":
        assert isinstance(arg, list)
        return _flip(data, arg)
    assert isinstance(arg, int)
    return data[: arg % (len(data) + 1)]


def _root(factory: pytest.TempPathFactory) -> Path:
    return factory.mktemp("fuzz")


@FUZZ
@given(name=st.sampled_from(sorted(_sample())), how=damage)
def test_a_damaged_nat_file_in_a_directory(
    tmp_path_factory: pytest.TempPathFactory, name: str, how: tuple[str, object]
) -> None:
    root = _root(tmp_path_factory)
    src = root / "in"
    src.mkdir()
    for n, data in _sample().items():
        (src / n).write_bytes(_damaged(data, how) if n == name else data)
    run_checked(["inspect", str(src)], root)
    run_checked(["validate", str(src), "--period", "2026", "--format", "json"], root)
    run_checked(["convert", str(src), str(root / "out")], root, out_dir=root / "out")


@FUZZ
@given(how=damage)
def test_a_damaged_zip(tmp_path_factory: pytest.TempPathFactory, how: tuple[str, object]) -> None:
    root = _root(tmp_path_factory)
    path = root / "in.zip"
    path.write_bytes(_damaged(_sample_zip(), how))
    run_checked(["inspect", str(path)], root)
    run_checked(["validate", str(path), "--period", "2026"], root)


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("csv")
    src = root / "in"
    src.mkdir()
    for n, data in _sample().items():
        (src / n).write_bytes(data)
    assert run_checked(["convert", str(src), str(root / "csv")], root, out_dir=root / "csv").code == 0
    return root / "csv"


@FUZZ
@given(data=st.data(), how=damage)
def test_a_damaged_csv_or_sidecar_converted_back(
    tmp_path_factory: pytest.TempPathFactory, csv_dir: Path, data: st.DataObject, how: tuple[str, object]
) -> None:
    root = _root(tmp_path_factory)
    csv = root / "csv"
    shutil.copytree(csv_dir, csv)
    name = data.draw(st.sampled_from(sorted(p.name for p in csv.iterdir())))
    (csv / name).write_bytes(_damaged((csv / name).read_bytes(), how))
    run_checked(["convert", str(csv), str(root / "out")], root, out_dir=root / "out")


@FUZZ
@given(how=damage)
def test_a_damaged_finalise_input(tmp_path_factory: pytest.TempPathFactory, how: tuple[str, object]) -> None:
    root = _root(tmp_path_factory)
    path = root / "in.json"
    path.write_bytes(_damaged(_enrolments(), how))
    run_checked(
        ["finalise", str(path), "--reporting-date", "2026-11-29", "--out", str(root / "out")],
        root,
        out_dir=root / "out",
    )


@FUZZ
@given(
    path=st.lists(
        st.one_of(st.integers(0, 3), st.sampled_from(["enrolment", "event", "units", "outcome"])), max_size=4
    ),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    ),
)
def test_a_finalise_input_with_any_value_anywhere(
    tmp_path_factory: pytest.TempPathFactory, path: list[int | str], value: object
) -> None:
    """A JSON value of any type put at a (possibly wrong) place in a valid input: a located input error, a
    refusal, or a finalisation — never a crash."""
    doc: object = json.loads(_enrolments())
    target = doc
    for step in path[:-1]:
        nxt = target[step % len(target)] if isinstance(target, list) and isinstance(step, int) and target else None
        if isinstance(target, dict) and isinstance(step, str):
            nxt = target.get(step)
        if not isinstance(nxt, dict | list):
            break
        target = nxt
    last = path[-1] if path else 0
    if isinstance(target, list) and target and isinstance(last, int):
        target[last % len(target)] = value
    elif isinstance(target, dict) and isinstance(last, str):
        target[last] = value
    root = _root(tmp_path_factory)
    (root / "in.json").write_text(json.dumps(doc), encoding="utf-8")
    run_checked(
        ["finalise", str(root / "in.json"), "--reporting-date", "2026-11-29", "--out", str(root / "out")],
        root,
        out_dir=root / "out",
    )
