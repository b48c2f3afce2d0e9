"""Run the finalise/validate contract properties with many more examples than the test run (issue #8).

    python3 scripts/agreement_wide.py 2500                # finalise, every profile and event
    python3 scripts/agreement_wide.py 600 --transition    # the two transition contract properties

The default test run draws a few dozen examples (``AGREEMENT`` in tests/test_agreement.py); rare inputs (a
re-attempt withdrawn with hours keyed by its subject) show up only in the hundreds. No deadline, every health
check off, the failing example's blob printed for ``@reproduce_failure``. Slow: minutes; not part of CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("examples", type=int)
    p.add_argument("--transition", action="store_true", help="the transition contract properties instead")
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    if args.transition:
        import tests.transition.test_agreement_transition as module

        names = [
            "test_transition_rows_validate_clean_for_the_period",
            "test_transition_rows_planned_without_a_period_validate_clean_for_the_reporting_year",
        ]
    else:
        import tests.test_agreement as module  # type: ignore[no-redef]

        names = ["test_finalised_rows_validate_clean_under_every_profile"]
    wide = settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
    for name in names:
        inner = getattr(module, name).hypothesis.inner_test
        wide(given(data=st.data())(inner))()
        print(f"passed: {name}, {args.examples} examples", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
