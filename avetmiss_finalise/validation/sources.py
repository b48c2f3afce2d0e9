"""What the abbreviations in rule sources stand for (TEAMS, ESK-ERR, ISH, BDT, D22, …): ``sources.csv``, data built
by scripts/build_sources_csv.py from the specification notes, shipped so that docs/rules.md can cite every source
without pointing at files a clone of the project does not have.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from importlib import resources

import attrs

__all__ = ["SPEC_NOTES", "Source", "cited", "sources"]

#: The specification notes rule sources cite by file name (``validation_rules.md §3``), and what each is.
SPEC_NOTES: dict[str, str] = {
    "validation_rules.md": "the rule catalogue: IDs, AVS numbers where public, severities, sources per rule",
    "layouts.md": "record layouts, record lengths, encoding conventions, state variants, identifier rules",
    "nat_layouts.csv": "one row per field of every layout (the source of avetmiss_finalise/nat/layouts/fields.csv)",
    "code_lists.md": "the allowed values of every coded field, with their sources",
    "finalisation.md": "the finalisation workflow (completion, withdrawal, deferral, TNC/D, transition)",
    "sms_habits.md": "what real SMS exports contain, and what each habit should get",
    "public_avs_rules.md": "census of the AVS / NCVER rules that public pages quote",
}


@attrs.frozen
class Source:
    id: str
    source: str
    defined_in: str


@functools.cache
def sources() -> dict[str, Source]:
    """Every source abbreviation → what it is and where it comes from."""
    text = resources.files(__package__).joinpath("sources.csv").read_text(encoding="utf-8")
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return {r["id"]: Source(r["id"], r["source"], r["defined_in"]) for r in csv.DictReader(io.StringIO(body))}


def cited(text: str) -> list[str]:
    """The known source abbreviations named in ``text`` (a rule's ``source``), in order of first mention."""
    known = sources()
    found = [t for t in re.findall(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*", text) if t in known]
    return list(dict.fromkeys(found))
