"""Memory stays bounded on inputs that used to take gigabytes (issue #10 items 1-2), checked under a real limit.

A child interpreter imports the command line, then caps its own address space (``RLIMIT_AS``) at what it uses
plus 768 MiB and runs the inputs that once needed 19x their size: a 256 MiB line (once 5 GB, now cut at the
record-length limit as it streams) read as a file, in a directory and from a zip, and converted; a zip member that
inflates to 256 MiB. Any attempt to hold such an input whole dies with MemoryError (exit 70 or a crash), so the
exit codes say it all; the child also reports how much its resident memory grew. A second child gives
``finalise`` 256 MiB of NUL as its JSON: one document is parsed whole, so its bound is the input's size.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

resource = pytest.importorskip("resource")

_CHILD = r"""
import contextlib, io, json, re, resource, sys
from avetmiss_finalise.cli import main
import avetmiss_finalise.validation, pandas  # imported before the cap: the cap is on what reading adds

def status(key):
    return int(re.search(rf"{key}:\s+(\d+)", open("/proc/self/status").read()).group(1)) * 1024

headroom = 768 << 20
resource.setrlimit(resource.RLIMIT_AS, (status("VmPeak") + headroom, resource.RLIM_INFINITY))
before = status("VmHWM")
codes = {}
for name, argv in json.loads(sys.argv[1]).items():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        codes[name] = [main(argv), err.getvalue()[-300:]]
print(json.dumps({"codes": codes, "grew": status("VmHWM") - before}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmPeak/VmHWM from /proc")
def test_huge_lines_and_bombs_read_in_bounded_memory(tmp_path: Path) -> None:
    big = 256 << 20
    line = tmp_path / "dir" / "NAT00120.txt"
    line.parent.mkdir()
    with line.open("wb") as fh:  # sparse: 256 MiB of NUL, no line feed, made instantly
        fh.truncate(big)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("NAT00120.txt", "w") as m:
        chunk = (b"9" * 1023 + b"\n") * 1024  # 1 KiB records: about 1,000:1
        for _ in range(big // len(chunk)):
            m.write(chunk)
    nul_json = tmp_path / "in.json"
    with nul_json.open("wb") as fh:
        fh.truncate(big)
    out = str(tmp_path / "out")
    runs = {
        "long line, file": ["inspect", str(line)],
        "long line, directory": ["validate", str(line.parent), "--format", "json"],
        "bomb, refused by ratio": ["inspect", str(bomb)],
        "bomb, ratio allowed, over the file size": [
            "inspect",
            str(bomb),
            "--max-ratio",
            "100000",
            "--max-file-size",
            "8MiB",
        ],
        "convert, long line": ["convert", str(line.parent), str(tmp_path / "csv")],
        "bomb, ratio allowed, over the record count": [
            "inspect",
            str(bomb),
            "--max-ratio",
            "100000",
            "--max-records",
            "10000",
        ],
    }
    result = _run(runs)
    assert result["codes"]["bomb, refused by ratio"][0] == 2
    assert result["codes"]["convert, long line"][0] == 2
    assert not (tmp_path / "csv").exists()
    assert result["grew"] < 512 << 20, f"resident memory grew by {result['grew'] >> 20} MiB"
    # finalise parses one JSON document, so it holds the input (bytes, then text) before refusing it: bounded by
    # the input, at about twice its size, and refused at once past --max-file-size.
    whole = _run(
        {
            "finalise, 256 MiB of NUL as JSON": [
                "finalise",
                str(nul_json),
                "--reporting-date",
                "2026-11-29",
                "--out",
                out,
            ],
            "finalise, over the file size": [
                *("finalise", str(nul_json), "--reporting-date", "2026-11-29", "--out", out),
                *("--max-file-size", "8MiB"),
            ],
        }
    )
    assert [code for code, _ in whole["codes"].values()] == [2, 2], whole["codes"]
    assert (
        "larger than the limit of 8 MiB (--max-file-size); not read"
        in whole["codes"]["finalise, over the file size"][1]
    )
    assert "line 1 column 1: invalid JSON" in whole["codes"]["finalise, 256 MiB of NUL as JSON"][1]
    assert not (tmp_path / "out").exists()
    assert whole["grew"] < 3 * big, f"resident memory grew by {whole['grew'] >> 20} MiB for a {big >> 20} MiB input"


def _run(runs: dict[str, list[str]]) -> dict[str, Any]:
    """``runs`` in one capped child: each exit code and the end of its stderr, and how much resident memory grew."""
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(runs)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for name, (code, err) in result["codes"].items():
        assert code in (0, 1, 2), (name, code, err)
        assert "Traceback" not in err and "internal error" not in err, (name, err)
    return result
