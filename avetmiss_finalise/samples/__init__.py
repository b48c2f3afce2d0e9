"""The shipped samples, as package data: the sample NAT collection and the demo's enrolments.

They travel in the wheel, so ``pip install avetmiss-finalise && avetmiss-finalise demo`` and
``avetmiss-finalise validate --sample --period 2026`` work anywhere, not only in a source checkout. Read through
:mod:`importlib.resources`; the context managers give a real directory even when the package is imported from a
zip (then a temporary copy, removed on exit). The files are byte-for-byte the repository's ``fixtures/sample/`` and
``fixtures/enrolments/{national,nsw}.json`` (written there by ``fixtures/make_sample.py``; tests/test_samples.py
holds them equal). All data is synthetic (fixtures/README.md).
"""

from __future__ import annotations

import contextlib
import datetime
import tempfile
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["ENROLMENT_FILES", "REPORTING_DATE", "SAMPLE_PERIOD", "sample_collection", "sample_enrolments"]

#: The sample collection's period (calendar 2026) and reporting date ("today" of the sample's stories).
SAMPLE_PERIOD = 2026
REPORTING_DATE = datetime.date(2026, 11, 29)
#: Demo input file → the profile it is finalised under.
ENROLMENT_FILES: tuple[tuple[str, str], ...] = (("national.json", "national"), ("nsw.json", "nsw"))


@contextlib.contextmanager
def _directory(name: str) -> Iterator[Path]:
    root: Traversable = resources.files(__name__).joinpath(name)
    if isinstance(root, Path):  # an ordinary install (a wheel unpacked in site-packages, or a checkout)
        yield root
        return
    with tempfile.TemporaryDirectory(prefix=f"avetmiss-{name}-") as tmp:  # imported from a zip
        for entry in root.iterdir():
            if entry.is_file():
                (Path(tmp) / entry.name).write_bytes(entry.read_bytes())
        yield Path(tmp)


def sample_collection() -> contextlib.AbstractContextManager[Path]:
    """``with sample_collection() as path:`` — the directory of the sample NAT files (NAT00010 … NAT00130)."""
    return _directory("collection")


def sample_enrolments() -> contextlib.AbstractContextManager[Path]:
    """``with sample_enrolments() as path:`` — the directory holding the demo's ``national.json`` and ``nsw.json``."""
    return _directory("enrolments")
