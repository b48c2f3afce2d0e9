"""Every record of the supporting files is used (public_avs_rules.md C011, C012, C015): X-13 … X-15.

The reverse of the reference rules X-01 … X-05: each organisation of NAT00020 is in NAT00010/NAT00010A, each
delivery location has activity, each program has activity or a completion. Like them they read the other file
only through its key set, so a chunk of NAT00120 validated with the whole file's
:data:`~.keysets.NAT00120_REFERENCE_KEYS` gives the same findings; and a rule does not run when the file it looks
in is absent altogether (the missing file is F-04's one finding). Rows whose own key is blank are left to the
mandatory-field rules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation._fieldcheck import ACT, hits, present
from avetmiss_finalise.validation.keysets import joined, key_index, member, union
from avetmiss_finalise.validation.registry import Context, Hit, rule

__all__: list[str] = []

_CENSUS = "public_avs_rules.md"
_TOID = ("training_organisation_id",)
_LOCATION = ("training_organisation_id", "delivery_location_id")


def _unused(ctx: Context, file_id: str, columns: tuple[str, ...], keys: pa.Array | None, field: str) -> Iterator[Hit]:
    df = ctx.frame(file_id)
    if df is None or keys is None or not set(columns) <= set(df.columns):
        return
    key = joined(df, columns)
    mask = present(key) & ~member(key, keys)
    yield from hits(file_id, mask, field, index=df.index)


@rule(
    "X-13",
    severity=Severity.ERROR,
    title="Delivery location's training organisation is in NAT00010/NAT00010A",
    message="Every NAT00020 training organisation identifier must have a NAT00010 or NAT00010A record",
    source=f"{_CENSUS} C011 (Silverband NAT00020 page quoting the NCVER specification); the reverse of X-01",
    family="cross-file",
    fix=(
        "Report the training organisation in NAT00010 (or NAT00010A) with the same identifier as its venues; a "
        "venue exported under another or mistyped TOID (a dropped leading zero) is the usual cause."
    ),
    files=("NAT00020", "NAT00010", "NAT00010A"),
    fields=("training_organisation_id",),
)
def location_organisation_exists(ctx: Context) -> Iterator[Hit]:
    keys = union(key_index(ctx, "NAT00010", _TOID), key_index(ctx, "NAT00010A", _TOID))
    yield from _unused(ctx, "NAT00020", _TOID, keys, "training_organisation_id")


@rule(
    "X-14",
    severity=Severity.ERROR,
    title="Delivery location without training activity",
    message="Every NAT00020 delivery location must have at least one NAT00120 record (report only venues used)",
    source=(
        f"{_CENSUS} C012 (Silverband NAT00020 page quoting the NCVER specification: 'NAT00020 not required when "
        "there is no activity')"
    ),
    family="cross-file",
    fix=(
        "Leave venues without training activity in this collection out of NAT00020 (export only venues used), or "
        "correct the delivery location on the unit enrolments that took place there."
    ),
    files=("NAT00020", ACT),
    fields=_LOCATION,
)
def location_used(ctx: Context) -> Iterator[Hit]:
    yield from _unused(ctx, "NAT00020", _LOCATION, key_index(ctx, ACT, _LOCATION), "delivery_location_id")


@rule(
    "X-15",
    severity=Severity.ERROR,
    title="Program without training activity or completion",
    message="Every NAT00030/NAT00030A program must appear in NAT00120 or NAT00130",
    source=(
        f"{_CENSUS} C015 (Silverband NAT00030 page quoting the NCVER specification: 'no NAT00030 needed for "
        "subject-only training'); layouts.md §6 Program identifier rule 6"
    ),
    family="cross-file",
    fix=(
        "Leave programs with no unit enrolment or completion in this collection out of NAT00030, or report the "
        "program identifier on the enrolments that belong to it."
    ),
    files=("NAT00030", "NAT00030A", ACT, "NAT00130"),
    fields=("program_id",),
)
def program_used(ctx: Context) -> Iterator[Hit]:
    pid = ("program_id",)
    keys = union(key_index(ctx, ACT, pid), key_index(ctx, "NAT00130", pid))
    for file_id in ("NAT00030", "NAT00030A"):
        yield from _unused(ctx, file_id, pid, keys, "program_id")
