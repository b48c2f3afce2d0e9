"""The public API refuses misuse with the library's own exceptions (issue #10 items 10 and 11).

Every call below is a mistake a caller makes (a float period, a bytes cell, ``None`` where a pair belongs, …).
Each must raise an :class:`~avetmiss_finalise.errors.AvetmissError` that is also the builtin a caller would
catch (``ValueError``, ``TypeError`` or ``OSError``) with a message that says what was wrong — never a raw
``KeyError``/``AttributeError``/``OverflowError`` from deep inside, and never later than the call itself.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import avetmiss_finalise as af
from avetmiss_finalise import nat
from avetmiss_finalise.errors import AvetmissError, OutputError, UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.samples import sample_collection
from avetmiss_finalise.validation import ValidationOptions


@pytest.fixture(scope="module")
def coll() -> nat.Collection:
    with sample_collection() as path:
        return nat.read_collection(path)


_DAY = datetime.date(2026, 12, 1)


def _frames_without(coll: nat.Collection, fid: str, column: str) -> dict[str, pd.DataFrame]:
    frames = dict(coll.frames)
    frames[fid] = frames[fid].drop(columns=[column])
    return frames


#: name → (call, builtin class the error must also be, words the message must hold)
MISUSE: dict[str, tuple[Callable[[nat.Collection, Path], object], type[Exception], str]] = {
    "period -1": (lambda c, _: af.validate(c, period=-1), ValueError, "year"),
    "period 10**20": (lambda c, _: af.validate(c, period=10**20), ValueError, "year"),
    "period 2026.5": (lambda c, _: af.validate(c, period=2026.5), TypeError, "float"),
    "period True": (lambda c, _: af.validate(c, period=True), TypeError, "bool"),
    "period 'abc'": (lambda c, _: af.validate(c, period="abc"), ValueError, "bad period"),
    "period backwards": (lambda c, _: af.validate(c, period="2026-12-31:2026-01-01"), ValueError, "before"),
    "missing column": (
        lambda c, _: af.validate(_frames_without(c, "NAT00120", "client_id"), period=2026),
        ValueError,
        "client_id",
    ),
    "not a collection": (lambda c, _: af.validate(None, period=2026), ValueError, "NoneType"),
    "options of the wrong type": (lambda c, _: af.validate(c, options={"min_age": 6}), TypeError, "options"),
    "rules as one string": (lambda c, _: af.validate(c, rules="F-03"), TypeError, "rule ids"),
    "progress not callable": (lambda c, _: af.validate(c, progress=5), TypeError, "progress must be a function"),
    "progress not callable, stream": (
        lambda c, t: af.validate(_a_file(t), engine="stream", progress="bar"),
        TypeError,
        "progress must be a function",
    ),
    "unknown override rule": (
        lambda c, _: af.validate(c, options=ValidationOptions(severity_overrides={"X-99": "error"})),
        ValueError,
        "X-99",
    ),
    "override severity word": (
        lambda c, _: ValidationOptions(severity_overrides={"F-03": "bogus"}),
        ValueError,
        "F-03",
    ),
    "override severity number": (lambda c, _: ValidationOptions(severity_overrides={"F-03": 5}), TypeError, "F-03"),
    "overrides as a list": (lambda c, _: ValidationOptions(severity_overrides=["F-03"]), TypeError, "map"),
    "disabled rules as one string": (lambda c, _: ValidationOptions(disabled_rules="F-03"), TypeError, "collection"),
    "option of the wrong type": (lambda c, _: ValidationOptions(min_age="6"), TypeError, "min_age"),
    "option datetime for date": (
        lambda c, _: ValidationOptions(reporting_date=datetime.datetime(2026, 1, 1)),
        TypeError,
        "reporting_date",
    ),
    "negative max_locations": (lambda c, _: ValidationOptions(max_locations=-1), ValueError, "max_locations"),
    "write into a file": (lambda c, t: af.write_collection(c, _a_file(t)), OSError, "not a directory"),
    "write a non-collection": (lambda c, t: af.write_collection({}, t / "o"), TypeError, "Collection"),
    "read a 5000-character path": (lambda c, _: af.read_collection("x" * 5000), OSError, "5000 characters"),
    "read a path with NUL": (lambda c, _: af.read_collection("a\x00b"), OSError, "cannot read"),
    "read bytes path": (lambda c, _: af.read_collection(b"/tmp"), TypeError, "bytes"),
    "profile of the wrong type": (lambda c, _: af.read_collection("/tmp", profile=5), TypeError, "profile"),
    "unknown profile": (lambda c, _: af.get_profile("mars"), ValueError, "mars"),
    "finalise_many([None])": (lambda c, _: af.finalise_many([None], reporting_date=_DAY), TypeError, "pairs[0]"),
    "finalise_many(None)": (lambda c, _: af.finalise_many(None, reporting_date=_DAY), TypeError, "pairs"),
    "finalise_many bad date": (lambda c, _: af.finalise_many([], reporting_date="2026-12-01"), TypeError, "date"),
    "finalise(None, …)": (lambda c, _: af.finalise(None, None, reporting_date=_DAY), TypeError, "ProgramEnrolment"),
    "conform bytes cell": (
        lambda c, _: af.conform({"NAT00010": _bytes_frame(c)}),
        ValueError,
        "training_organisation_id",
    ),
    "validate bytes cell": (lambda c, _: af.validate({"NAT00010": _bytes_frame(c)}), ValueError, "cannot be read"),
    "write bytes cell": (lambda c, t: _write(c, t, b"ABC"), ValueError, "bytes is not text"),
    "write bool cell": (lambda c, t: _write(c, t, True), ValueError, "bool is not text"),
    "write date cell": (lambda c, t: _write(c, t, datetime.date(2026, 1, 1)), ValueError, "date is not text"),
    "write float cell": (lambda c, t: _write(c, t, 1.5), ValueError, "float is not text"),
}


def _a_file(tmp: Path) -> Path:
    f = tmp / "a-file"
    f.write_text("x", encoding="utf-8")
    return f


def _bytes_frame(coll: nat.Collection) -> pd.DataFrame:
    df = coll.frames["NAT00010"].astype(object)
    df.iloc[0, 0] = b"90001"
    return df


def _write(coll: nat.Collection, tmp: Path, value: object) -> object:
    frames = dict(coll.frames)
    frames["NAT00010"] = frames["NAT00010"].astype(object)
    frames["NAT00010"].iloc[0, 1] = value
    return af.write_collection(nat.Collection(frames=frames, profile=coll.profile, meta=coll.meta), tmp / "out")


@pytest.mark.parametrize("case", sorted(MISUSE))
def test_misuse_raises_the_librarys_exception_at_the_call(coll: nat.Collection, tmp_path: Path, case: str) -> None:
    call, builtin, words = MISUSE[case]
    with pytest.raises(AvetmissError) as info:
        call(coll, tmp_path)
    assert isinstance(info.value, builtin), type(info.value).__mro__
    assert words in str(info.value)
    assert not (tmp_path / "out").exists()  # a refused write leaves nothing behind


def test_a_refused_bytes_cell_is_located_and_nothing_is_written(coll: nat.Collection, tmp_path: Path) -> None:
    with pytest.raises(WriteError) as info:
        _write(coll, tmp_path, b"ABC")
    (issue,) = info.value.issues
    assert (issue.file, issue.line, issue.field) == ("NAT00010.txt", 1, "training_organisation_name")  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


def test_personal_values_stay_out_of_write_errors(coll: nat.Collection, tmp_path: Path) -> None:
    frames = dict(coll.frames)
    clients = frames["NAT00080"].copy()
    clients["name_for_encryption"] = clients["name_for_encryption"].astype(object)
    clients.iloc[0, clients.columns.get_loc("name_for_encryption")] = "SMITHé" * 40
    frames["NAT00080"] = clients
    with pytest.raises(WriteError) as info:
        af.write_collection(nat.Collection(frames=frames, profile=coll.profile, meta=coll.meta), tmp_path / "o")
    assert "SMITH" not in str(info.value)
    assert all("SMITH" not in str(i) for i in info.value.issues)
    assert "personal data hidden" in str(info.value)


def test_finalise_many_still_checks_lazy_pairs_as_they_come() -> None:
    results = af.finalise_many(iter([None]), reporting_date=_DAY)  # an iterator cannot be checked up front
    with pytest.raises(UsageError, match=r"pairs\[0\]"):
        next(iter(results))


def test_unreadable_input_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError) as info:
        af.read_collection(tmp_path / "missing")
    assert isinstance(info.value, OSError)
    with pytest.raises(OutputError):
        af.write_collection(nat.Collection(frames={}), _a_file(tmp_path))


def test_no_package_exports_a_name_that_a_submodule_shadows() -> None:
    """``nat.conform`` was the function until ``avetmiss_finalise.nat.conform`` (a module) was imported, and
    then the module: Python sets a package attribute for every submodule it imports, over any lazy export."""
    import avetmiss_finalise

    packages = [avetmiss_finalise] + [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(avetmiss_finalise.__path__, "avetmiss_finalise.")
        if m.ispkg
    ]
    clashes = {
        pkg.__name__: sorted({s.name for s in pkgutil.iter_modules(pkg.__path__)} & set(getattr(pkg, "__all__", ())))
        for pkg in packages
    }
    assert {k: v for k, v in clashes.items() if v} == {}
    assert callable(af.conform) and callable(nat.conform)


@pytest.mark.parametrize(
    ("text", "code", "at"),
    [
        ("CAFÉ RTO", "U+00C9", 4),
        ("A\x00B", "U+0000", 2),
        ("X\x85", "U+0085", 2),
        ("DEL\x7f", "U+007F", 4),
        ("ESC\x1b", "U+001B", 4),
    ],
)
def test_a_character_a_nat_file_cannot_hold_is_refused_from_memory_with_its_code_point(
    coll: nat.Collection, tmp_path: Path, text: str, code: str, at: int
) -> None:
    """Issue #10 item 9 for the writer: a frame built in memory holding a control character, DEL or an accented
    letter is a located WriteError naming the field and the code point, and nothing is written (a read would
    call the file NAT-CHARSET); the same frame with printable ASCII writes."""
    frames = {"NAT00010": coll.frames["NAT00010"].astype(object)}
    frames["NAT00010"].iloc[0, 1] = text
    built = nat.Collection.from_frames(frames, profile=coll.profile)
    with pytest.raises(WriteError) as info:
        af.write_collection(built, tmp_path / "out")
    (issue,) = info.value.issues
    assert (issue.line, issue.field) == (1, "training_organisation_name")  # type: ignore[attr-defined]
    assert f"{code} at character {at} is not" in issue.message  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()
    frames["NAT00010"].iloc[0, 1] = "CAFE RTO"
    af.write_collection(nat.Collection.from_frames(frames, profile=coll.profile), tmp_path / "ok")
    assert b"CAFE RTO" in (tmp_path / "ok" / "NAT00010.txt").read_bytes()


def test_a_file_read_with_such_bytes_still_writes_back_byte_for_byte(tmp_path: Path) -> None:
    """The refusal is for values of the caller's: a file read with an accented byte (NAT-CHARSET when read)
    is written back exactly as it was."""
    with sample_collection() as src:
        raw = (Path(src) / "NAT00010.txt").read_bytes()
    at = raw.index(b"SAMPLE")
    damaged = raw[:at] + b"\xc9" + raw[at + 1 :]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "NAT00010.txt").write_bytes(damaged)
    read = nat.read_collection(tmp_path / "in")
    assert any(i.rule_id == "NAT-CHARSET" for i in read.issues)
    af.write_collection(read, tmp_path / "out")
    assert (tmp_path / "out" / "NAT00010.txt").read_bytes() == damaged
