"""Every loader reads the published headers as it reads the simple CSV form (issue #14 item 1): for each source,
the same generated rows written once with the simple column names and once with any of the accepted published
names (any case, any delimiter, optional columns present or not) load to the same table."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.reference import organisations, postcodes, programs, specific_funding, units
from avetmiss_finalise.reference._table import Column, header_key
from avetmiss_finalise.reference.load import _PARSERS
from tests.strategies.reference import localities

FEW = settings(max_examples=max(10, settings().max_examples // 3))

_dates = st.dates(datetime.date(2015, 1, 1), datetime.date(2030, 12, 31))
_titles = st.lists(localities, min_size=1, max_size=3).map(lambda w: "SAMPLE " + " ".join(w))

#: Per source: its columns, and a generator of a valid cell (as text) per column.
CELLS: dict[str, tuple[tuple[Column, ...], dict[str, st.SearchStrategy[str]]]] = {
    "postcodes": (
        postcodes.COLUMNS,
        {
            "postcode": st.integers(200, 9999).map(lambda n: f"{n:04d}"),
            "locality": localities,
            "state": st.sampled_from(["01", "02", "03", "04", "05", "06", "07", "08", "NSW", "VIC", "QLD", "WA"]),
        },
    ),
    "organisations": (
        organisations.COLUMNS,
        {
            "code": st.integers(1000, 99999).map(str),
            "name": _titles,
            "status": st.sampled_from(["Current", "Cancelled", "Lapsed"]),
        },
    ),
    "programs": (
        programs.COLUMNS,
        {
            "code": st.integers(0, 999).map(lambda n: f"ZZZ4{n:03d}0"),
            "title": _titles,
            "status": st.sampled_from(["Current", "Superseded", "Deleted"]),
            "superseded_by": st.integers(0, 999).map(lambda n: f"ZZZ5{n:03d}0"),
            "superseded_date": _dates.map(lambda d: f"{d:%d/%m/%Y}"),
            "teach_out_date": _dates.map(lambda d: f"{d:%Y-%m-%d}"),
        },
    ),
    "units": (
        units.COLUMNS,
        {
            "code": st.integers(0, 999).map(lambda n: f"ZZZUNIT{n:03d}"),
            "title": _titles,
            "nominal_hours": st.integers(0, 999).map(str),
            "status": st.sampled_from(["Current", "Superseded"]),
        },
    ),
    "specific_funding": (
        specific_funding.COLUMNS,
        {
            "code": st.integers(0, 99).map(lambda n: f"SF{n:02d}"),
            "year": st.integers(2015, 2030).map(str),
            "valid_from": st.integers(2015, 2020).map(str),
            "valid_to": st.integers(2021, 2030).map(str),
            "meaning": _titles,
            "status": st.sampled_from(["valid", "unverified"]),
            "source": st.just("https://example.invalid/list"),
        },
    ),
}

_CASES: tuple[Callable[[str], str], ...] = (str.upper, str.lower, str.title, lambda s: s.replace(" ", "_"))


def _comparable(kind: str, parsed: Any) -> object:
    """What a loaded table says, in a form two loads can be compared by."""
    if kind == "postcodes":
        return tuple(sorted(getattr(parsed, a).to_pylist()) for a in ("postcodes", "pairs", "triples", "stateless"))
    if kind == "organisations":
        return sorted(parsed.codes.to_pylist())
    if kind == "specific_funding":
        return parsed.entries, parsed.complete_years
    return parsed  # programs, units: lists of frozen entries


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[Column], list[str], list[list[str]], str]:
    """A source, the columns written (every required one, some optional ones), the published header chosen for
    each, the rows, and the delimiter."""
    kind = draw(st.sampled_from(sorted(CELLS)))
    columns, cells = CELLS[kind]
    chosen = [c for c in columns if c.required or draw(st.booleans(), label=f"has {c.name}")]
    published = [draw(st.sampled_from(c.aliases or (c.name,)).map(draw(st.sampled_from(_CASES)))) for c in chosen]
    rows = draw(st.lists(st.tuples(*(cells[c.name] for c in chosen)).map(list), min_size=1, max_size=8))
    return kind, chosen, published, rows, draw(st.sampled_from([",", "\t", ";", "|"]))


@FEW
@given(case=tables())
def test_published_headers_load_as_the_simple_form(
    case: tuple[str, list[Column], list[str], list[list[str]], str],
) -> None:
    kind, columns, published, rows, delimiter = case

    def text(header: list[str], sep: str) -> str:
        return "\n".join(sep.join(cells) for cells in [header, *rows]) + "\n"

    simple, simple_form, n = _PARSERS[kind](text([c.name for c in columns], ","), f"{kind}.csv")
    other, form, m = _PARSERS[kind](text(published, delimiter), f"{kind}.csv")
    assert n == m == len(rows)
    assert _comparable(kind, other) == _comparable(kind, simple)
    assert simple_form == "simple CSV"
    same = all(header_key(p) == header_key(c.name) for p, c in zip(published, columns, strict=True))
    assert form == ("simple CSV" if same else "published export")
