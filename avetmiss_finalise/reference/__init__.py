"""Reference data the user supplies: NCVER's postcode/locality file, training.gov.au's lists of RTOs, programs and
units, and the yearly specific funding identifier list (one is shipped; docs/reference-data.md).

``load_reference(DIR)`` reads and checks the files once (every problem located: file, line, column) and returns
one immutable :class:`Reference`; pass it as ``ValidationOptions(reference=…)`` (CLI: ``--reference DIR``) and the
reference-backed rules run. Rules that need a source that was not given are reported as not run, with the reason.
This package sits below ``validation`` and ``transition`` and imports neither.
"""

from __future__ import annotations

from avetmiss_finalise.reference._files import ReferenceError, ReferenceFile, ReferenceProblem
from avetmiss_finalise.reference._reference import SOURCES, Reference, Source, source
from avetmiss_finalise.reference.load import load_reference
from avetmiss_finalise.reference.organisations import OrganisationTable
from avetmiss_finalise.reference.postcodes import PostcodeTable
from avetmiss_finalise.reference.programs import ProgramEntry, ProgramTable
from avetmiss_finalise.reference.specific_funding import FundingEntry, SpecificFundingList
from avetmiss_finalise.reference.specific_funding import shipped as shipped_specific_funding
from avetmiss_finalise.reference.units import UnitEntry, UnitTable

__all__ = [
    "SOURCES",
    "FundingEntry",
    "OrganisationTable",
    "PostcodeTable",
    "ProgramEntry",
    "ProgramTable",
    "Reference",
    "ReferenceError",
    "ReferenceFile",
    "ReferenceProblem",
    "Source",
    "SpecificFundingList",
    "UnitEntry",
    "UnitTable",
    "load_reference",
    "shipped_specific_funding",
    "source",
]
