"""encode_records (the batch's vectorised writability check) says what line_and_issues says, record by record.

Records are drawn with every kind of cell the scalar writer treats differently: blank, fitting, one too long,
non-digits and ``@`` in N codes, hours past 9999, letters outside latin-1, line breaks, and (for the fallback)
values of another type than the field's. Where the fast path takes the records, each row of its matrix is the
record's line and its issues are the record's issues; where it declines (``None``), some record really is of a
kind it does not take.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.nat.frames import line_and_issues
from avetmiss_finalise.nat.record_block import encode_records, file_bytes
from avetmiss_finalise.nat.records import NAT00120, NAT00130
from avetmiss_finalise.profiles import PROFILE_NAMES, get_profile

_TEXT = st.one_of(
    st.none(),
    st.just(""),
    st.text(alphabet="AB09 @-", min_size=1, max_size=13),
    st.sampled_from(["é", "Zoë", "\u0100", "a\nb", "@@", "@", "0", "12", "123"]),
)
_INT = st.one_of(st.none(), st.integers(0, 10_000), st.sampled_from([99_999, 100_000]))
_DATE = st.one_of(st.none(), st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)))
_ODD = st.sampled_from([True, 5, "2026-01-01", datetime.datetime(2026, 1, 1), 2**70])


def _value(field: attrs.Attribute, odd: bool) -> st.SearchStrategy[Any]:  # type: ignore[type-arg]
    base = {"int | None": _INT, "datetime.date | None": _DATE}.get(str(field.type), _TEXT)
    return st.one_of(base, _ODD) if odd else base


@st.composite
def records(draw: st.DrawFn, cls: type[NAT00120] | type[NAT00130]) -> list[Any]:
    odd = draw(st.integers(0, 9)) == 0
    fields = [f for f in attrs.fields(cls) if f.name not in ("extra", "unparsed")]
    out = []
    for _ in range(draw(st.integers(1, 6))):
        out.append(cls(**{f.name: draw(_value(f, odd)) for f in fields}))
    if draw(st.integers(0, 19)) == 0:
        out[0] = attrs.evolve(out[0], extra="TAIL")
    return out


_TYPES = {"int | None": int, "datetime.date | None": datetime.date}


def _taken(record: Any) -> bool:
    """What the fast path promises to take: no extra text, every value None or exactly its field's type (an int
    within 64 bits)."""
    for f in attrs.fields(type(record)):
        value = getattr(record, f.name)
        if f.name == "extra" and value:
            return False
        wrong = type(value) is not _TYPES.get(str(f.type), str) or (type(value) is int and value >= 2**63)
        if f.name not in ("extra", "unparsed") and value is not None and wrong:
            return False
    return True


@given(st.one_of(records(NAT00120), records(NAT00130)), st.sampled_from(PROFILE_NAMES))
def test_the_matrix_and_issues_are_line_and_issues_of_each_record(recs: list[Any], profile: str) -> None:
    prof = get_profile(profile)
    got = encode_records(recs, prof)
    expected = [line_and_issues(r, prof) for r in recs]
    if got is None:
        assert not all(_taken(r) for r in recs)
        return
    block, issues = got
    for n, (text, found) in enumerate(expected):
        assert bytes(block[n]).decode("latin-1") == text
        assert issues.get(n, []) == found


def test_file_bytes_are_the_kept_lines_each_ended_by_cr_lf() -> None:
    prof = get_profile("national")
    recs = [NAT00130(client_id=f"C{n}", program_id="BSB40120") for n in range(3)]
    got = encode_records(recs, prof)
    assert got is not None
    block, issues = got
    assert issues == {}
    keep = [True, False, True]

    lines = [line_and_issues(r, prof)[0] for r, k in zip(recs, keep, strict=True) if k]
    assert file_bytes(block, np.array(keep)) == "".join(t + "\r\n" for t in lines).encode("latin-1")
    assert file_bytes(block, np.zeros(3, dtype=bool)) == b""
