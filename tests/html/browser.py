"""Headless Chromium for the HTML tests: Debian's chromium + chromium-driver driven by Selenium, no network.

The flags keep Chromium from reaching out (the machine's network is closed; without them it makes refused
connections that would read as the page's own requests) and give every session a fresh profile.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)


def missing() -> str | None:
    """Why the browser tests cannot run here (``None`` when they can)."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"Debian's chromium is not installed ({CHROMIUM}); .ci/run installs it (apt-get install -y chromium)"
    if not (Path(CHROMEDRIVER).exists() or shutil.which("chromedriver")):
        return f"chromium-driver is not installed ({CHROMEDRIVER}); .ci/run installs it"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (it comes with the dev extra)"
    return None


def start() -> tuple[Any, tempfile.TemporaryDirectory[str]]:
    """A Chromium session (console and network logs on) and its throw-away profile directory."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.TemporaryDirectory(prefix="avetmiss-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile.name}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver_path = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else str(shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    return driver, profile
