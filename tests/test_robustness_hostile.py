"""The hostile-input catalogue (issue #10): every entry point of the command line over inputs an attacker or an
unlucky machine makes, generated at test time.

Each case builds its input under a fresh root directory and lists the runs to make: read a file, a directory or a
zip (``inspect``, ``validate``), convert both ways, finalise, write reports. :func:`tests.robustness.run_checked`
holds every promise for each run: an exit code of the documented set (never 70, our own bug), no traceback, the
output directory unchanged when the run fails, nothing else under the root touched, no temporary file left, and
the located Issue or the one clear line the case expects. Limits are set small (``--max-…``) so the limit paths
run in milliseconds; tests/test_robustness_memory.py runs the big ones under a memory limit.

Classes: zip bombs, long lines, special files, many members, interrupted writes, path traversal, encodings,
huge numbers, JSON bombs, CSV injection and personal data. Bit flips and truncation are in
tests/test_robustness_fuzz.py.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from avetmiss_finalise import staging
from avetmiss_finalise.samples import sample_collection, sample_enrolments
from tests.robustness import DOCUMENTED, run_checked

REPORTING = ["--reporting-date", "2026-11-29"]


@attrs.frozen
class Step:
    argv: list[str]
    out_dir: Path | None = None
    codes: frozenset[int] = DOCUMENTED
    expect: tuple[str, ...] = ()


Case = Callable[[Path], list[Step]]
CASES: dict[str, tuple[str, Case]] = {}


def case(kind: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        CASES[f"{kind}:{fn.__name__}"] = (kind, fn)
        return fn

    return register


# ------------------------------------------------------------------------------------------------ building


def sample_dir(root: Path, name: str = "in") -> Path:
    target = root / name
    with sample_collection() as src:
        shutil.copytree(src, target)
    return target


def zipped(root: Path, members: dict[str, bytes], name: str = "in.zip") -> Path:
    path = root / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def sample_members() -> dict[str, bytes]:
    with sample_collection() as src:
        return {p.name: p.read_bytes() for p in sorted(Path(src).glob("NAT*"))}


def enrolments_json() -> list[dict[str, object]]:
    with sample_enrolments() as path:
        data: list[dict[str, object]] = json.loads((path / "national.json").read_text(encoding="utf-8"))
        return data


def json_input(root: Path, text: str | bytes, name: str = "in.json") -> Path:
    path = root / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def reads(path: Path, *extra: str, expect: tuple[str, ...] = (), codes: frozenset[int] = DOCUMENTED) -> list[Step]:
    """inspect and validate of ``path`` (the read entry points), with the same expectations."""
    return [
        Step(["inspect", str(path), *extra], expect=expect, codes=codes),
        Step(["validate", str(path), "--period", "2026", "--format", "json", *extra], expect=expect, codes=codes),
    ]


def to_csv(src: Path, root: Path, *extra: str, codes: frozenset[int] = DOCUMENTED) -> Step:
    return Step(["convert", str(src), str(root / "out"), *extra], out_dir=root / "out", codes=codes)


_TWO = frozenset({2})
_ISSUE = frozenset({0, 1})  # read on, with the hostile entry as a located Issue
_FINDING = frozenset({1})


# ----------------------------------------------------------------------------------------------- zip bombs


@case("zip-bomb")
def high_ratio(root: Path) -> list[Step]:
    bomb = zipped(root, {**sample_members(), "NAT00120.txt": b"X" * 100 + b"\r\n" * 1 + b"Y" * 3_000_000})
    return [*reads(bomb, expect=("NAT-TOO-LARGE", "--max-ratio"), codes=_FINDING), to_csv(bomb, root)]


@case("zip-bomb")
def lying_sizes(root: Path) -> list[Step]:
    """Headers say 100 bytes; the member inflates to 300 KB. The bounded stream stops at what was declared."""
    path = zipped(root, {"NAT00120.txt": b"1" * 300_000, "NAT00010.txt": sample_members()["NAT00010.txt"]})
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        struct.pack_into("<I", data, at + offset, 100)
    path.write_bytes(bytes(data))
    return reads(path, expect=("NAT00120",))


@case("zip-bomb")
def too_many_members(root: Path) -> list[Step]:
    path = zipped(root, {f"n{i}.txt": b"x" for i in range(20)})
    return [
        *reads(path, "--max-members", "10", expect=("--max-members",), codes=_TWO),
        to_csv(path, root, "--max-members", "10", codes=_TWO),
    ]


@case("zip-bomb")
def over_the_total(root: Path) -> list[Step]:
    path = zipped(root, sample_members())
    return reads(path, "--max-total-size", "4KiB", expect=("--max-total-size",))


@case("zip-bomb")
def member_over_the_file_size(root: Path) -> list[Step]:
    path = zipped(root, sample_members())
    return reads(path, "--max-file-size", "2KiB", expect=("--max-file-size",))


@case("zip-bomb")
def one_long_line_zipped(root: Path) -> list[Step]:
    """The 3 MB zip holding one long line that ran for five minutes: refused by ratio, or cut at the limit."""
    path = zipped(root, {"NAT00120.txt": b"A" * 8_000_000})
    return [
        *reads(path, expect=("no NAT file could be read", "--max-ratio"), codes=_TWO),
        *reads(path, "--max-ratio", "1000000", expect=("NAT-DATE", "shifted"), codes=_FINDING),
        *reads(
            path, "--max-ratio", "1000000", "--max-record-length", "1KiB", expect=("NAT-LONG-RECORD",), codes=_FINDING
        ),
    ]


@case("zip-bomb")
def unsupported_compression(root: Path) -> list[Step]:
    path = zipped(root, {"NAT00120.txt": b"x" * 1000})
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        struct.pack_into("<H", data, data.find(sig) + offset, 99)
    path.write_bytes(bytes(data))
    return reads(path)


@case("zip-bomb")
def zip_inside_a_zip(root: Path) -> list[Step]:
    inner = zipped(root, sample_members(), name="inner.zip").read_bytes()
    path = zipped(root, {"NAT00120.txt": inner, "nested.zip": inner})
    return reads(path, expect=("NAT00120",))


# ---------------------------------------------------------------------------------------------- long lines


@case("long-line")
def one_line_of_two_mebibytes(root: Path) -> list[Step]:
    src = sample_dir(root)
    (src / "NAT00120.txt").write_bytes(b"9" * (2 << 20))
    return [
        *reads(src, "--max-record-length", "1KiB", expect=("NAT-LONG-RECORD",), codes=_FINDING),
        *reads(src / "NAT00120.txt", expect=("NAT-LONG-RECORD",), codes=_FINDING),
        to_csv(src, root, "--max-record-length", "1KiB"),
    ]


@case("long-line")
def a_million_empty_lines(root: Path) -> list[Step]:
    src = sample_dir(root)
    (src / "NAT00120.txt").write_bytes(b"\r\n" * 1_000_000)
    return reads(src, "--max-records", "1000", expect=("--max-records",))


@case("long-line")
def bad_limit_flags(root: Path) -> list[Step]:
    src = sample_dir(root)
    return [
        Step(["inspect", str(src), "--max-record-length", "10"], codes=_TWO),  # below 1 KiB
        Step(["inspect", str(src), "--max-file-size", "9" * 40 + "TiB"], codes=_TWO),
        Step(["inspect", str(src), "--max-members", "-1"], codes=_TWO),
    ]


# -------------------------------------------------------------------------------------------- special files


@case("special-file")
def fifo_named_like_a_nat_file(root: Path) -> list[Step]:
    src = sample_dir(root)
    (src / "NAT00120.txt").unlink()
    os.mkfifo(src / "NAT00120.txt")
    return [
        *reads(src / "NAT00120.txt", expect=("FIFO",), codes=_TWO),
        *reads(src, expect=("NAT-SPECIAL-FILE", "FIFO")),
        to_csv(src, root),
    ]


@case("special-file")
def dev_zero_behind_a_symlink(root: Path) -> list[Step]:
    src = sample_dir(root)
    (src / "NAT00120.txt").unlink()
    (src / "NAT00120.txt").symlink_to("/dev/zero")
    (src / "notes.txt").symlink_to("/dev/zero")
    return [
        *reads(src / "NAT00120.txt", expect=("character device",), codes=_TWO),
        *reads(src, expect=("NAT-SPECIAL-FILE",)),
    ]


@case("special-file")
def folder_and_broken_link_named_like_nat_files(root: Path) -> list[Step]:
    src = sample_dir(root)
    (src / "NAT00120.txt").unlink()
    (src / "NAT00120.txt").mkdir()
    (src / "NAT00130.txt").unlink()
    (src / "NAT00130.txt").symlink_to(root / "nowhere")
    return [*reads(src, expect=("NAT-SPECIAL-FILE", "broken symbolic link")), to_csv(src, root)]


@case("special-file")
def socket_named_like_a_nat_file(root: Path) -> list[Step]:
    src = sample_dir(root)
    (src / "NAT00120.txt").unlink()
    here = os.getcwd()
    os.chdir(src)  # a socket path must be short (108 bytes); bind relative to the directory
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind("NAT00120.txt")
        sock.close()
    finally:
        os.chdir(here)
    return reads(src, expect=("NAT-SPECIAL-FILE", "socket"))


@case("special-file")
def symlink_stored_in_a_zip(root: Path) -> list[Step]:
    path = root / "in.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("NAT00120.txt")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
        zf.writestr("NAT00010.txt", sample_members()["NAT00010.txt"])
    return reads(path, expect=("NAT-SPECIAL-FILE", "symbolic link"))


@case("special-file")
def fifo_as_finalise_input(root: Path) -> list[Step]:
    os.mkfifo(root / "in.json")
    return [
        Step(["finalise", str(root / "in.json"), *REPORTING, "--out", str(root / "out")], root / "out", _TWO, ("FIFO",))
    ]


# -------------------------------------------------------------------------------------------- many members


@case("many-members")
def a_thousand_junk_members(root: Path) -> list[Step]:
    path = zipped(root, {**sample_members(), **{f"sub/junk_{i:05d}.txt": b"x" for i in range(1000)}})
    steps = [
        Step(["validate", str(path), "--period", "2026", "--format", fmt], codes=_ISSUE, expect=("NAT-UNKNOWN-FILE",))
        for fmt in ("text", "junit", "sarif", "gitlab")  # the ones that group by file or rule
    ]
    return [*steps, Step(["inspect", str(path)], codes=_ISSUE, expect=("NAT-UNKNOWN-FILE",))]


@case("many-members")
def a_directory_of_a_thousand_files(root: Path) -> list[Step]:
    src = sample_dir(root)
    for i in range(1000):
        (src / f"junk_{i:05d}.txt").write_bytes(b"x")
    return [
        Step(["validate", str(src), "--period", "2026"], codes=_ISSUE, expect=("junk_00999.txt", "NAT-UNKNOWN-FILE")),
        Step(["inspect", str(src), "--max-members", "100"], codes=_TWO, expect=("--max-members",)),
    ]


# ---------------------------------------------------------------------------------------- interrupted writes


def _fail_on(call: int, exc: OSError) -> Callable[..., object]:
    """A stand-in for ``os.replace``/``os.fsync`` that fails on its ``call``-th use."""
    real = {"replace": os.replace, "fsync": os.fsync}
    count = {"n": 0}

    def fake(*args: object, **kwargs: object) -> object:
        count["n"] += 1
        if count["n"] == call:
            raise exc
        name = "replace" if len(args) >= 2 else "fsync"
        return real[name](*args, **kwargs)  # type: ignore[operator]

    return fake


@pytest.mark.parametrize("what", ["replace", "fsync"])
@pytest.mark.parametrize("command", ["convert-to-csv", "convert-to-nat", "finalise", "validate-output"])
def test_a_failure_mid_write_leaves_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str, command: str
) -> None:
    """Disk full on the third file (fsync) or a rename that fails half-way: exit 2, one clear line, and the output
    directory exactly as it was, with its old files (written by a first, successful run) intact."""
    src = sample_dir(tmp_path)
    out = tmp_path / "out"
    if command == "convert-to-csv":
        argv = ["convert", str(src), str(out), "--force"]
    elif command == "convert-to-nat":
        assert run_checked(["convert", str(src), str(tmp_path / "csv")], tmp_path, out_dir=tmp_path / "csv").code == 0
        argv = ["convert", str(tmp_path / "csv"), str(out), "--force"]
    elif command == "finalise":
        argv = ["finalise", str(json_input(tmp_path, json.dumps(enrolments_json()))), *REPORTING, "--out", str(out)]
    else:
        out.mkdir()  # --output writes into an existing directory
        argv = [
            "validate",
            str(src),
            "--period",
            "2026",
            "--output",
            f"json:{out / 'r.json'}",
            "--output",
            f"junit:{out / 'r.xml'}",
        ]
    first = run_checked(argv, tmp_path, out_dir=out, codes=_ISSUE)
    assert first.code in (0, 1) and any(out.iterdir())
    monkeypatch.setattr(staging.os, what, _fail_on(2, OSError(errno.ENOSPC, "No space left on device")))
    failed = run_checked(argv, tmp_path, out_dir=out, codes=_TWO)
    assert "No space left on device" in failed.err or "cannot" in failed.err
    assert failed.err.count("\n") <= 2


@case("interrupted-write")
def folder_in_the_way_of_an_output(root: Path) -> list[Step]:
    src = sample_dir(root)
    (root / "out").mkdir()
    (root / "out" / "NAT00120.csv").mkdir()
    (root / "fin").mkdir()
    (root / "fin" / "NAT00130.txt").mkdir()
    finalise_in = json_input(root, json.dumps(enrolments_json()))
    return [
        to_csv(src, root, "--force", codes=_TWO),
        Step(
            ["finalise", str(finalise_in), *REPORTING, "--out", str(root / "fin")],
            root / "fin",
            _TWO,
            ("NAT00130.txt",),
        ),
    ]


@case("interrupted-write")
def output_path_is_a_file(root: Path) -> list[Step]:
    src = sample_dir(root)
    (root / "out").write_text("I am a file", encoding="utf-8")
    return [
        Step(["convert", str(src), str(root / "out")], codes=_TWO, expect=("not a directory",)),
        Step(["validate", str(src), "--output", f"json:{root / 'out' / 'r.json'}"], codes=_TWO),
    ]


@case("interrupted-write")
def reports_in_two_directories_one_blocked(root: Path) -> list[Step]:
    """``--output`` into two directories, the second report's name taken by a folder: neither report is written
    (one all-or-nothing write across directories), for one collection and for ``--each``."""
    src = sample_dir(root)
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "b" / "r.xml").mkdir()
    subs = root / "subs"
    subs.mkdir()
    shutil.copytree(src, subs / "one")
    (root / "each-b").mkdir()
    (root / "each-b" / "summary.xml").mkdir()
    two = ["--output", f"json:{root / 'a' / 'r.json'}", "--output", f"junit:{root / 'b' / 'r.xml'}"]
    each = ["--each", "--output", f"json:{root / 'each-a'}", "--output", f"junit:{root / 'each-b'}"]
    return [
        Step(["validate", str(src), "--period", "2026", *two], root / "a", _TWO, ("r.xml", "nothing written")),
        Step(["validate", str(subs), "--period", "2026", "-j", "1", *each], root / "each-b", _TWO, ("summary.xml",)),
    ]


def test_a_blocked_second_directory_leaves_the_first_unwritten(tmp_path: Path) -> None:
    """What the catalogue case above cannot see (it watches one directory): the first directory stays empty, and
    a directory the run would have created is not left behind."""
    src = sample_dir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "r.xml").mkdir()
    argv = ["validate", str(src), "--period", "2026", "--output", f"json:{tmp_path / 'a' / 'r.json'}"]
    run_checked([*argv, "--output", f"junit:{tmp_path / 'b' / 'r.xml'}"], tmp_path, out_dir=tmp_path / "a", codes=_TWO)
    assert list((tmp_path / "a").iterdir()) == []
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copytree(src, subs / "one")
    (tmp_path / "eb").mkdir()
    (tmp_path / "eb" / "summary.xml").mkdir()
    each = ["validate", str(subs), "--each", "-j", "1", "--period", "2026", "--output", f"json:{tmp_path / 'ea'}"]
    run_checked([*each, "--output", f"junit:{tmp_path / 'eb'}"], tmp_path, out_dir=tmp_path / "eb", codes=_TWO)
    assert not (tmp_path / "ea").exists()


@pytest.mark.parametrize("how", ["full", "closed"])
def test_standard_output_that_cannot_be_written_is_exit_2_in_one_line(tmp_path: Path, how: str) -> None:
    """``> /dev/full`` (disk full) and ``>&-`` (no stdout at all) are the machine's failures, not findings and not
    a bug of ours: exit 2, one line saying what could not be written, no traceback, no second message from the
    interpreter's last flush."""
    import subprocess
    import sys

    if how == "full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this platform")
    code = "import sys; from avetmiss_finalise.cli import main; sys.exit(main(sys.argv[1:]))"
    from tests.cli.test_finalise_cli import COMPLETION

    # A clean finalise (no warning, so no flush before one) writes less than stdout's buffer: all of it is written
    # by the command's own last flush, where a failure is still said in one line.
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps([COMPLETION]), encoding="utf-8")
    finalise = ["finalise", str(clean), "--reporting-date", "2026-12-31", "--out", str(tmp_path / "o")]
    # stdout buffered, as a shell gives it (PYTHONUNBUFFERED, set on some machines, would hide a late flush)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for argv in (["rules"], ["validate", "--sample", "--period", "2026"], finalise):
        if how == "full":
            with open("/dev/full", "w") as full:
                done = subprocess.run([sys.executable, "-c", code, *argv], stdout=full, stderr=subprocess.PIPE, env=env)
        else:  # started with fd 1 closed, as a shell's >&- does: Python's sys.stdout is then None
            done = subprocess.run(
                [sys.executable, "-c", code, *argv], stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), env=env
            )
        err = done.stderr.decode()
        assert done.returncode == 2, (argv, err)
        assert err.count("\n") == 1 and err.startswith("avetmiss-finalise: error: cannot write"), err
        assert ("No space left on device" if how == "full" else "standard output is closed") in err
        assert "Traceback" not in err


def test_kill_9_mid_write_never_leaves_a_partial_target(tmp_path: Path) -> None:
    """A real SIGKILL half-way through writing the third file: every target is either absent or complete, and a
    read of the directory afterwards sees only complete files (the staged ``.part`` files are not NAT names)."""
    import signal
    import subprocess
    import sys

    src = sample_dir(tmp_path)
    out = tmp_path / "out"
    code = (
        "import os, signal, sys\n"
        "from avetmiss_finalise import staging\n"
        "real = staging._write_content; n = {'calls': 0}\n"
        "def dying(fd, content):\n"
        "    n['calls'] += 1\n"
        "    if n['calls'] == 3:  # half-way through staging the third file\n"
        "        os.write(fd, b'90001 partial'); os.fsync(fd); os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(fd, content)\n"
        "staging._write_content = dying\n"
        "from avetmiss_finalise.cli import main\n"
        f"sys.exit(main(['convert', {str(src)!r}, {str(out)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    targets = [p for p in out.iterdir() if not p.name.startswith(staging.TEMP_PREFIX)] if out.exists() else []
    assert targets == [], "a target was moved into place before every file was written"
    staged = [p for p in out.iterdir() if p.name.startswith(staging.TEMP_PREFIX)]
    assert staged, "the run was killed while staging, so its temporary files are there"
    assert not (out / "NAT00010.csv").exists() and not (out / "_nat_meta.json").exists()
    run_checked(["inspect", str(out)], tmp_path, codes=_TWO, expect=("no NAT files found",), temp_left=True)


# ------------------------------------------------------------------------------------------- path traversal


@case("path-traversal")
def member_names_that_climb(root: Path) -> list[Step]:
    members = sample_members()
    path = zipped(
        root,
        {
            "../../outside/NAT00120.txt": members["NAT00120.txt"],
            "/abs/NAT00080.txt": members["NAT00080.txt"],
            "a/../../NAT00010.txt": members["NAT00010.txt"],
            "C:\\evil\\NAT00020.txt": members["NAT00020.txt"],
            "sub/\x00NAT00060.txt": members["NAT00060.txt"],
        },
    )
    return [*reads(path), to_csv(path, root)]


def _csv_dir(root: Path) -> Path:
    assert run_checked(["convert", str(sample_dir(root)), str(root / "csv")], root, out_dir=root / "csv").code == 0
    return root / "csv"


def _edit_sidecar(csv: Path, edit: Callable[[dict[str, object]], None]) -> None:
    meta = csv / "_nat_meta.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    edit(doc)
    meta.write_text(json.dumps(doc), encoding="utf-8")


def _files(doc: dict[str, object]) -> dict[str, dict[str, object]]:
    files = doc["files"]
    assert isinstance(files, dict)
    return files


def _sidecar_case(edit: Callable[[dict[str, object]], None]) -> Case:
    def build(root: Path) -> list[Step]:
        csv = _csv_dir(root)
        _edit_sidecar(csv, edit)
        return [Step(["convert", str(csv), str(root / "out")], root / "out", _TWO, ("_nat_meta.json",))]

    return build


_SIDECAR_EDITS: dict[str, Callable[[dict[str, object]], None]] = {
    "name climbs out": lambda d: _files(d)["NAT00120"].update(name="../escaped.txt"),
    "name is absolute": lambda d: _files(d)["NAT00120"].update(name=str(Path("/tmp/avetmiss-escaped.txt"))),
    "name is ..": lambda d: _files(d)["NAT00120"].update(name=".."),
    "name of another file": lambda d: _files(d)["NAT00120"].update(name="NAT00085.txt"),
    "name with NUL": lambda d: _files(d)["NAT00120"].update(name="NAT00120\x00.txt"),
    "bom as a string": lambda d: _files(d)["NAT00120"].update(bom="false"),
    "lengths of 2**63": lambda d: _files(d)["NAT00120"].update(record_lengths=[2**63]),
    "negative length": lambda d: _files(d)["NAT00120"].update(record_lengths=[-1]),
    "unknown profile": lambda d: d.update(profile="mars"),
    "files not an object": lambda d: d.update(files=[1, 2]),
    "a file id that is not one": lambda d: _files(d).update(NAT99999=_files(d)["NAT00120"]),
}
for _name, _edit in _SIDECAR_EDITS.items():
    CASES[f"path-traversal:sidecar {_name}"] = ("path-traversal", _sidecar_case(_edit))


@case("path-traversal")
def symlink_in_the_output_directory(root: Path) -> list[Step]:
    src = sample_dir(root)
    victim = root / "victim.txt"
    victim.write_text("must survive", encoding="utf-8")
    (root / "out").mkdir()
    (root / "out" / "NAT00120.csv").symlink_to(victim)
    (root / "fin").mkdir()
    (root / "fin" / "NAT00120.txt").symlink_to(victim)
    finalise_in = json_input(root, json.dumps(enrolments_json()))
    return [
        to_csv(src, root, "--force", codes=_TWO),
        Step(
            ["finalise", str(finalise_in), *REPORTING, "--out", str(root / "fin")],
            root / "fin",
            _TWO,
            ("symbolic link",),
        ),
        Step(["validate", str(src), "--output", f"json:{root / 'fin' / 'NAT00120.txt'}"], root / "fin", _TWO),
    ]


@case("path-traversal")
def stale_csvs_in_a_non_empty_target(root: Path) -> list[Step]:
    csv = _csv_dir(root)
    (root / "out").mkdir()
    (root / "out" / "old.txt").write_text("keep me", encoding="utf-8")
    (csv / "NAT00999.csv").write_text("stale", encoding="utf-8")
    return [Step(["convert", str(csv), str(root / "out")], root / "out", _TWO, ("--force",))]


# ------------------------------------------------------------------------------------------------- encodings


@case("encoding")
def nat_file_in_utf16(root: Path) -> list[Step]:
    src = sample_dir(root)
    text = (src / "NAT00120.txt").read_bytes().decode("ascii")
    (src / "NAT00120.txt").write_bytes(text.encode("utf-16"))
    return [*reads(src, expect=("NAT-CHARSET",), codes=_FINDING), to_csv(src, root)]


@case("encoding")
def latin1_utf8_nul_and_cr_only(root: Path) -> list[Step]:
    src = sample_dir(root)
    lines = (src / "NAT00080.txt").read_bytes().split(b"\r\n")
    lines[0] = lines[0][:11] + "ÉMILE".encode("latin-1") + lines[0][16:]
    lines[1] = lines[1][:11] + "ÉMILE".encode() + lines[1][17:]
    lines[2] = lines[2][:11] + b"\x00\xff\xfe\x1b[31m" + lines[2][19:]
    (src / "NAT00080.txt").write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines))
    (src / "NAT00085.txt").write_bytes((src / "NAT00085.txt").read_bytes().replace(b"\r\n", b"\r"))
    return [*reads(src, expect=("NAT-CHARSET",), codes=_FINDING), to_csv(src, root)]


@case("encoding")
def file_names_that_are_not_utf8(root: Path) -> list[Step]:
    src = sample_dir(root)
    os.rename(src / "NAT00130.txt", os.fsencode(src) + b"/NAT00130\xff.txt")
    (Path(os.fsdecode(os.fsencode(src) + b"/caf\xe9.txt"))).write_bytes(b"x")
    return [*reads(src, expect=("NAT-UNKNOWN-FILE",)), to_csv(src, root)]


@case("encoding")
def csv_back_in_other_encodings(root: Path) -> list[Step]:
    csv = _csv_dir(root)
    text = (csv / "NAT00120.csv").read_text(encoding="utf-8")
    (csv / "NAT00120.csv").write_bytes(text.encode("utf-16"))
    (csv / "NAT00010.csv").write_bytes((csv / "NAT00010.csv").read_bytes() + b"\xff\xfe\x00\x81")
    return [Step(["convert", str(csv), str(root / "out")], root / "out")]


@case("encoding")
def csv_short_row_with_a_nul(root: Path) -> list[Step]:
    """A NUL sends the CSV to pandas' Python parser, which filled a short row's missing cells with NaN (not "" as
    the C parser does): a TypeError, exit 70. The row is read like any short row: blanks, located by the writer."""
    csv = _csv_dir(root)
    (csv / "NAT00020.csv").write_bytes((csv / "NAT00020.csv").read_bytes() + b"a\x00b\r\n")
    short = root / "short"
    shutil.copytree(csv, short)
    (short / "NAT00020.csv").write_bytes((csv / "NAT00020.csv").read_bytes().replace(b"\x00", b""))
    return [
        Step(["convert", str(csv), str(root / "out")], root / "out", _ISSUE),
        Step(["convert", str(short), str(root / "out2")], root / "out2", _ISSUE),
    ]


@case("encoding")
def json_in_other_encodings(root: Path) -> list[Step]:
    text = json.dumps(enrolments_json())
    steps = []
    for i, data in enumerate([text.encode("utf-16"), text.encode("utf-8") + b"\xff", b"\xef\xbb\xbf" + text.encode()]):
        path = json_input(root, data, name=f"in{i}.json")
        out = root / f"out{i}"
        steps.append(Step(["finalise", str(path), *REPORTING, "--out", str(out)], out))
    return steps


# ---------------------------------------------------------------------------------------------- huge numbers


def _with_unit(key: str, value: str) -> str:
    """The sample input with ``"key": value`` (raw JSON text) in the first unit."""
    data = enrolments_json()
    marker = "__VALUE__"
    data[0]["enrolment"]["units"][0][key] = marker  # type: ignore[index]
    return json.dumps(data).replace(f'"{marker}"', value)


@case("huge-number")
def numbers_json_cannot_hold(root: Path) -> list[Step]:
    steps = []
    for i, raw in enumerate(["9" * 5000, "1e400", "-1e400", "NaN", "Infinity", "10" * 20, "-5", "1.5"]):
        path = json_input(root, _with_unit("scheduled_hours", raw), name=f"in{i}.json")
        out = root / f"out{i}"
        steps.append(
            Step(["finalise", str(path), *REPORTING, "--out", str(out)], out, _TWO, ("[0].enrolment.units[0]",))
        )
    return steps


@case("huge-number")
def numbers_on_the_command_line(root: Path) -> list[Step]:
    src = sample_dir(root)
    return [
        Step(["validate", str(src), "--period", "1" + "0" * 20], codes=_TWO, expect=("period",)),
        Step(["validate", str(src), "--period", "2026.5"], codes=_TWO, expect=("period",)),
        Step(["validate", str(src), "--period", "99999-01-01:2026-01-01"], codes=_TWO, expect=("period",)),
        Step(["validate", str(src), "--max-locations", "9" * 30], codes=_ISSUE),
        Step(["validate", str(src), "--teach-out-months", "9" * 30], codes=frozenset({0, 1, 2})),
        Step(["finalise", str(src), "--reporting-date", "99999-12-31", "--out", str(root / "o")], root / "o", _TWO),
    ]


# --------------------------------------------------------------------------------------------------- JSON bombs


@case("json-bomb")
def nested_one_hundred_thousand_deep(root: Path) -> list[Step]:
    steps = []
    for i, text in enumerate(["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000]):
        path = json_input(root, text, name=f"deep{i}.json")
        steps.append(Step(["finalise", str(path), *REPORTING, "--out", str(root / "o")], root / "o", _TWO, ("deep",)))
    shallow = json_input(root, json.dumps(enrolments_json()), name="ok.json")
    steps.append(
        Step(
            ["finalise", str(shallow), *REPORTING, "--out", str(root / "o"), "--max-json-depth", "3"], root / "o", _TWO
        )
    )
    return steps


@case("json-bomb")
def control_characters_and_letters(root: Path) -> list[Step]:
    steps = []
    for i, ch in enumerate(["\x00", "\x1b", "\x7f", "\u0085", "\u2028", "\ud800"]):
        data = enrolments_json()
        data[0]["enrolment"]["client_id"] = f"C{ch}1"  # type: ignore[index]
        path = json_input(root, json.dumps(data), name=f"c{i}.json")
        steps.append(
            Step(
                ["finalise", str(path), *REPORTING, "--out", str(root / f"o{i}")],
                root / f"o{i}",
                _TWO,
                ("[0].enrolment.client_id",),
            )
        )
    data = enrolments_json()
    data[0]["enrolment"]["client_id"] = "CÉ1"  # type: ignore[index]
    path = json_input(root, json.dumps(data), name="letters.json")
    steps.append(Step(["finalise", str(path), *REPORTING, "--out", str(root / "l")], root / "l", _TWO, ("client_id",)))
    steps.append(
        Step(["finalise", str(path), *REPORTING, "--out", str(root / "t"), "--transliterate"], root / "t", _ISSUE)
    )
    return steps


@case("json-bomb")
def big_and_repetitive(root: Path) -> list[Step]:
    data = enrolments_json()
    data[0]["enrolment"]["client_id"] = "C" * 5_000_000  # type: ignore[index]
    long_id = json_input(root, json.dumps(data), name="long.json")
    dupes = json_input(root, '[{"enrolment": {}, "enrolment": {}, "event": {}}]', name="dupes.json")
    many = json_input(root, "[" + ",".join(["{}"] * 20_000) + "]", name="many.json")  # 40,000 problems
    return [
        # refused (too long for NAT00120), the other enrolments written; the message cuts the value
        Step(["finalise", str(long_id), *REPORTING, "--out", str(root / "a")], root / "a", _FINDING, ("characters)",)),
        Step(
            ["finalise", str(long_id), *REPORTING, "--out", str(root / "a"), "--max-file-size", "1MiB"],
            root / "a",
            _TWO,
        ),
        Step(["finalise", str(dupes), *REPORTING, "--out", str(root / "b")], root / "b", _TWO, ("duplicate keys",)),
        Step(["finalise", str(many), *REPORTING, "--out", str(root / "c")], root / "c", _TWO, ("[1]", "… and ")),
    ]


# ------------------------------------------------------------------------------- CSV injection, personal data


@case("csv-injection")
def formula_cells_round_trip_exactly_with_csv_safe(root: Path) -> list[Step]:
    src = sample_dir(root)
    nat = (src / "NAT00020.txt").read_bytes()
    line = nat.split(b"\r\n")[0]
    name_at = 20  # delivery location name starts at column 21
    (src / "NAT00020.txt").write_bytes(
        line[:name_at] + b"=HYPERLINK(1)".ljust(50) + line[name_at + 50 :] + nat[len(line) :]
    )
    return [
        Step(["convert", str(src), str(root / "csv"), "--csv-safe"], root / "csv", _ISSUE),
        Step(["convert", str(root / "csv"), str(root / "back")], root / "back", _ISSUE),
    ]


def test_csv_safe_neutralises_formulas_and_restores_them_byte_for_byte(tmp_path: Path) -> None:
    _, build = CASES["csv-injection:formula_cells_round_trip_exactly_with_csv_safe"]
    for step in build(tmp_path):
        run_checked(step.argv, tmp_path, out_dir=step.out_dir, codes=step.codes)
    csv_text = (tmp_path / "csv" / "NAT00020.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in csv_text or "\"'=HYPERLINK" in csv_text
    for p in (tmp_path / "in").iterdir():
        assert (tmp_path / "back" / p.name).read_bytes() == p.read_bytes(), p.name


def test_convert_errors_hide_personal_values_unless_asked(tmp_path: Path) -> None:
    import csv as csvlib

    csv = _csv_dir(tmp_path)
    with (csv / "NAT00080.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csvlib.reader(fh))
    header = rows[0]
    rows[1][header.index("name_for_encryption")] = "SECRETFAMILY, GIVEN" + "X" * 80  # too long
    with (csv / "NAT00080.csv").open("w", encoding="utf-8", newline="") as fh:
        csvlib.writer(fh, lineterminator="\r\n").writerows(rows)
    hidden = run_checked(["convert", str(csv), str(tmp_path / "o")], tmp_path, out_dir=tmp_path / "o", codes=_TWO)
    assert "SECRETFAMILY" not in hidden.err
    # Located in the CSV the user has open (row 2, after the header), not by NAT record (issue #8 item 14).
    assert "NAT00080.csv:2 name_for_encryption" in hidden.err and "personal data hidden" in hidden.err
    shown = run_checked(
        ["convert", str(csv), str(tmp_path / "o"), "--show-personal-data"], tmp_path, out_dir=tmp_path / "o", codes=_TWO
    )
    assert "SECRETFAMILY" in shown.err


# ----------------------------------------------------------------------------------------------------- runner


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(tmp_path: Path, name: str) -> None:
    _, build = CASES[name]
    root = tmp_path / "root"
    root.mkdir()
    steps = build(root)
    assert steps, name
    for step in steps:
        run_checked(step.argv, root, out_dir=step.out_dir, codes=step.codes, expect=step.expect)
