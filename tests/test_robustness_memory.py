"""Memory stays bounded on inputs that used to take gigabytes (issue #10 items 1-2), checked under a real limit.

One child interpreter imports the command line, then caps its own address space (``RLIMIT_AS``) at what it uses
plus 768 MiB and runs the inputs that once needed 19x their size: a 256 MiB line (once 5 GB, now cut at the
record-length limit as it streams) read as a file, in a directory and from a zip, and a zip member that inflates
to 256 MiB. Any attempt to hold such an input whole dies with MemoryError (exit 70 or a crash), so the exit codes
say it all; the child also reports how much its resident memory grew.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

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
        "bomb, ratio allowed, over the record count": [
            "inspect",
            str(bomb),
            "--max-ratio",
            "100000",
            "--max-records",
            "10000",
        ],
    }
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(runs)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for name, (code, err) in result["codes"].items():
        assert code in (0, 1, 2), (name, code, err)
        assert "Traceback" not in err and "internal error" not in err, (name, err)
    assert result["codes"]["bomb, refused by ratio"][0] == 2
    assert result["grew"] < 512 << 20, f"resident memory grew by {result['grew'] >> 20} MiB"
