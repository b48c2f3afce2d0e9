"""Postcode + suburb/locality (+ state) against the NCVER postcode/locality file: V-010-04, V-020-03, V-080-10.

Each rule needs the postcode/locality file (``--reference DIR``); without it the rule is reported as not run.
A row is checked only when its postcode is four digits (not ``0000``) and its suburb is not blank: ``OSPC``,
``@@@@``, blanks and ``0000`` are the format rules' findings (V-010-03, V-020-04, V-080-05). Suburbs are compared
in one normal form on both sides (upper case, punctuation and repeated spaces ignored: ``reference/_parse.py``).
The finding is located at the field that is wrong: the postcode when the list does not know it, the suburb when
the postcode does not have that locality, the state when the list places the pair in another state. Messages never
quote the value (client addresses are personal data; the engine masks it unless asked).
"""

from __future__ import annotations

from collections.abc import Iterator

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.reference.postcodes import UNKNOWN_POSTCODE, WRONG_LOCALITY, WRONG_STATE
from avetmiss_finalise.validation._fieldcheck import CAT, CODES, column, hits
from avetmiss_finalise.validation.reference_data import reference_of
from avetmiss_finalise.validation.registry import Context, Hit, rule

__all__: list[str] = []

_CENSUS = "public_avs_rules.md"
_AT = {UNKNOWN_POSTCODE: "postcode", WRONG_STATE: "state_id"}


def _places(ctx: Context, file_id: str, suburb: str) -> Iterator[Hit]:
    ref = reference_of(ctx.options)
    table = None if ref is None else ref.postcodes
    postcode, locality = column(ctx, file_id, "postcode"), column(ctx, file_id, suburb)
    if table is None or postcode is None or locality is None:
        return
    why = table.mismatches(postcode, locality, column(ctx, file_id, "state_id"))
    for reason in (UNKNOWN_POSTCODE, WRONG_LOCALITY, WRONG_STATE):
        mask = (why == reason).fillna(False).to_numpy(dtype=bool)
        yield from hits(file_id, mask, _AT.get(reason, suburb), index=postcode.index, details=reason)


@rule(
    "V-080-10",
    severity=Severity.ERROR,
    title="Client suburb + postcode (+ state) is a combination in the NCVER postcode/locality file",
    message="Client address suburb/locality and postcode do not match the postcode/locality file",
    source=(
        f"{_CENSUS} C024 (AVS; STA-QLD DQ_Postcodes_StateID: 'must match the Australia Post postcode reference "
        f"list'); {CAT} §2 NAT00080 (V-080-05 'valid 4-digit postcode matching suburb'); {CODES} §14. NAT00085's "
        "postal suburb is checked the same way (avetmissoftware NAT00085 page)"
    ),
    family="reference",
    fix=(
        "Correct the learner's suburb and postcode in the SMS so they are a pair in the postcode list (a typo in the "
        "suburb, or a postcode of the previous address, is the usual cause); the state must be the pair's state."
    ),
    files=("NAT00080", "NAT00085"),
    fields=("postcode", "address_suburb", "address_postal_suburb", "state_id"),
    requires=("postcodes",),
)
def client_places(ctx: Context) -> Iterator[Hit]:
    yield from _places(ctx, "NAT00080", "address_suburb")
    yield from _places(ctx, "NAT00085", "address_postal_suburb")


@rule(
    "V-020-03",
    severity=Severity.ERROR,
    title="Delivery location postcode + suburb is a valid combination in the NCVER/Australia Post postcode list",
    message="Delivery location suburb/locality and postcode do not match the postcode/locality file",
    source=f"{CAT} §2 NAT00020 (STX); {_CENSUS} C010 (AVS); state must match ({CAT} V-020-03)",
    family="reference",
    fix=(
        "Correct the venue's suburb and postcode so the pair is in the Australia Post / NCVER postcode list, with "
        "the pair's state; a venue outside Australia is postcode OSPC."
    ),
    files=("NAT00020",),
    fields=("postcode", "address_suburb", "state_id"),
    requires=("postcodes",),
)
def location_places(ctx: Context) -> Iterator[Hit]:
    yield from _places(ctx, "NAT00020", "address_suburb")


@rule(
    "V-010-04",
    severity=Severity.ERROR,
    title="Training organisation (NAT00010A) postcode + suburb is a pair in the NCVER postcode/locality file",
    message="Training organisation suburb/locality and postcode do not match the postcode/locality file",
    source=(
        f"{_CENSUS} C004 (AVS, CourseSales error database: 'must be a valid postcode-locality pair from the NCVER "
        "system files'); format only: V-010-03. NAT00010 has no address in 8.0 (it is NAT00010A's)"
    ),
    family="reference",
    fix=(
        "Correct the head office suburb and postcode in the SMS's organisation settings so the pair is in the "
        "postcode list, with the pair's state."
    ),
    files=("NAT00010A",),
    fields=("postcode", "address_suburb", "state_id"),
    requires=("postcodes",),
)
def organisation_places(ctx: Context) -> Iterator[Hit]:
    yield from _places(ctx, "NAT00010A", "address_suburb")
