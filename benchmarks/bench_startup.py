"""Start-up time: ``--help``, ``--version``, ``import avetmiss_finalise`` and the finalisation core, against
``python -c pass`` and ``import pandas`` timed in the same run (medians of n fresh interpreters, wall time).

Target (#11): ``--help`` under 0.3 s; the core (``model``, ``finalise``, ``jsonio``) importable without pandas or
pyarrow (tests/test_lazy_imports.py asserts that; this script measures it). Run from the repository root:

    python3 benchmarks/bench_startup.py [-n 7]

For where the time goes: ``python3 -X importtime -c "import avetmiss_finalise"``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass (baseline)": ["-c", "pass"],
    "import pandas (baseline)": ["-c", "import pandas"],
    "avetmiss-finalise --help": ["-m", "avetmiss_finalise", "--help"],
    "avetmiss-finalise --version": ["-m", "avetmiss_finalise", "--version"],
    "avetmiss-finalise validate --help": ["-m", "avetmiss_finalise", "validate", "--help"],
    "import avetmiss_finalise": ["-c", "import avetmiss_finalise"],
    "core: model, jsonio, finalise": [
        "-c",
        "import avetmiss_finalise.model, avetmiss_finalise.jsonio; from avetmiss_finalise import finalise",
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=7, help="fresh interpreters per case (median reported)")
    args = parser.parse_args()
    medians = {}
    for name, argv in CASES.items():
        times = []
        for _ in range(args.n):
            start = time.perf_counter()
            subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times)
        print(f"{name:36s} median {medians[name]:.3f} s  (min {min(times):.3f}, max {max(times):.3f}, n={args.n})")
    pandas = medians["import pandas (baseline)"]
    print(f"--help is {medians['avetmiss-finalise --help'] / pandas:.2f}x the time of importing pandas alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
