"""The loaded reference data: one immutable object holding every table the user supplied, and their provenance.

Rules read it from ``ValidationOptions.reference`` through the rule context; it is never changed after loading,
so a collection validated in chunks (or on several workers) shares the one object and every chunk sees the same
reference data. It pickles (pyarrow arrays and read-only dicts), for engines that ship it to workers.
"""

from __future__ import annotations

import attrs

from avetmiss_finalise.reference._files import ReferenceFile
from avetmiss_finalise.reference.organisations import OrganisationTable
from avetmiss_finalise.reference.postcodes import PostcodeTable
from avetmiss_finalise.reference.programs import ProgramTable
from avetmiss_finalise.reference.specific_funding import SpecificFundingList
from avetmiss_finalise.reference.units import UnitTable

__all__ = ["SOURCES", "Reference", "Source"]


@attrs.frozen
class Source:
    """One kind of reference data: its attribute name, what it is, and the file names that select it in a
    ``--reference`` directory (a regular expression searched in the lower-cased file stem, separators as ``_``)."""

    name: str
    description: str
    pattern: str
    example: str


SOURCES: tuple[Source, ...] = (
    Source(
        "postcodes",
        "NCVER postcode/locality file (or Australia Post's postcode file)",
        r"post_?codes?|localit(y|ies)|pc_full",
        "postcodes.csv",
    ),
    Source(
        "organisations",
        "training.gov.au list of registered training organisations",
        r"(^|_)rtos?(_|$)|organi[sz]ations?|(^|_)providers?(_|$)",
        "rtos.csv",
    ),
    Source(
        "programs",
        "training.gov.au qualification / accredited course / skill set list",
        r"qualifications?|(^|_)courses?(_|$)|skill_?sets?|(^|_)programs?(_|$)|programmes?",
        "qualifications.csv",
    ),
    Source(
        "units",
        "training.gov.au unit of competency / accredited module list",
        r"(^|_)units?(_|$)|competenc|(^|_)modules?(_|$)",
        "units.csv",
    ),
    Source(
        "specific_funding",
        "NCVER specific funding identifier list (by collection year)",
        r"specific_?funding|(^|_)sfis?(_|$)",
        "specific_funding.csv",
    ),
)
SOURCE_NAMES = tuple(s.name for s in SOURCES)


@attrs.frozen(eq=False, repr=False)
class Reference:
    """Every reference table the user supplied (``None``: not given) and the files they came from.

    ``ignored`` names files of the ``--reference`` directory that matched no source (with why).
    """

    postcodes: PostcodeTable | None = None
    organisations: OrganisationTable | None = None
    programs: ProgramTable | None = None
    units: UnitTable | None = None
    specific_funding: SpecificFundingList | None = None
    files: tuple[ReferenceFile, ...] = ()
    ignored: tuple[str, ...] = ()

    def __repr__(self) -> str:
        given = ", ".join(f"{s}={getattr(self, s)!r}" for s in SOURCE_NAMES if getattr(self, s) is not None)
        return f"Reference({given or 'empty'}; files={[f.name for f in self.files]})"

    def has(self, source: str) -> bool:
        """Whether the table of ``source`` (a :data:`SOURCES` name) was given."""
        if source not in SOURCE_NAMES:
            raise KeyError(f"unknown reference source {source!r}; expected one of {', '.join(SOURCE_NAMES)}")
        return getattr(self, source) is not None

    def files_of(self, source: str) -> tuple[ReferenceFile, ...]:
        return tuple(f for f in self.files if f.kind == source)


def source(name: str) -> Source:
    """The :class:`Source` called ``name``."""
    for s in SOURCES:
        if s.name == name:
            return s
    raise KeyError(f"unknown reference source {name!r}; expected one of {', '.join(SOURCE_NAMES)}")
