"""Regenerate docs/report-screenshot.png: the HTML validation report of the shipped sample with a few faults put in
(in memory: the sample itself validates clean), as headless Chromium shows it.

    .venv/bin/python scripts/make_report_screenshot.py

Needs the [html] extra, selenium and Debian's chromium + chromium-driver (what the browser tests use).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import attrs  # noqa: E402

from avetmiss_finalise.summary import summarise  # noqa: E402
from avetmiss_finalise.validation import validate  # noqa: E402
from avetmiss_finalise.validation.render import render_html  # noqa: E402
from tests.html import browser  # noqa: E402
from tests.html.collections import messy_frames  # noqa: E402


def main() -> int:
    why = browser.missing()
    if why:
        print(why, file=sys.stderr)
        return 2
    frames = messy_frames()
    report = validate(frames, period=2026)
    report = attrs.evolve(report, source="fixtures/sample, with five faults put in")
    html = render_html(report, summary=summarise(frames, period=report.period, source="fixtures/sample"))
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        driver, profile = browser.start()
        try:
            driver.set_window_size(1280, 1500)
            driver.get(page.as_uri())
            target = ROOT / "docs" / "report-screenshot.png"
            driver.save_screenshot(str(target))
        finally:
            driver.quit()
            profile.cleanup()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
