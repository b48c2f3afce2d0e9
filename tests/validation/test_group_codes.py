"""The bulk helpers the record and cross-file rules stand on, held to their plain pandas definitions.

``group_codes`` packs several columns' codes into one integer per row (issue #12: one hash pass instead of one per
column), ``repeated``/``later_duplicates`` count codes instead of hashing rows, and ``ddmmyyyy`` parses ASCII dates
on their bytes. Each must give exactly what the obvious pandas spelling gives, on any column mix: NA anywhere,
one column or several, many or few distinct values, and packed widths past 2**62 (forcing a re-numbering).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.validation import keysets
from avetmiss_finalise.validation._fieldcheck import ddmmyyyy

_TEXT = st.one_of(st.none(), st.sampled_from(["A", "B", "C", "00", "", "é"]), st.text(max_size=3))


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, tuple[str, ...]]:
    n = draw(st.integers(0, 40))
    width = draw(st.integers(1, 5))
    data = {}
    for k in range(width):
        kind = draw(st.sampled_from(["text", "int", "date"]))
        if kind == "text":
            values = draw(st.lists(_TEXT, min_size=n, max_size=n))
            data[f"c{k}"] = pd.array(values, dtype="string[pyarrow]")
        elif kind == "int":
            values = draw(st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=n, max_size=n))
            data[f"c{k}"] = pd.array(values, dtype="Int64")
        else:
            days = draw(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=n, max_size=n))
            stamps = [np.datetime64("NaT") if d is None else np.datetime64("2026-01-01") + d for d in days]
            data[f"c{k}"] = np.array(stamps, dtype="datetime64[s]")
    df = pd.DataFrame(data, index=pd.RangeIndex(n) * 3)  # labels are not positions
    return df, tuple(data)


def _reference_codes(df: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Codes by first appearance of the complete key tuple, -1 where any part is NA: the definition."""
    seen: dict[tuple[object, ...], int] = {}
    out = []
    for row in df[list(columns)].itertuples(index=False):
        if any(pd.isna(v) for v in row):
            out.append(-1)
        else:
            out.append(seen.setdefault(tuple(row), len(seen)))
    return np.array(out, dtype=np.int64)


@given(frames())
def test_group_codes_number_complete_keys_by_first_appearance(case: tuple[pd.DataFrame, tuple[str, ...]]) -> None:
    df, columns = case
    codes = keysets.group_codes(df, columns)
    assert codes.dtype == np.int64
    assert codes.tolist() == _reference_codes(df, columns).tolist()


@given(frames())
def test_repeated_and_later_duplicates_are_pandas_duplicated(case: tuple[pd.DataFrame, tuple[str, ...]]) -> None:
    df, columns = case
    codes = keysets.group_codes(df, columns)
    complete = codes >= 0
    assert keysets.repeated(codes).tolist() == (pd.Series(codes).duplicated(keep=False).to_numpy() & complete).tolist()
    assert keysets.later_duplicates(codes).tolist() == (pd.Series(codes).duplicated().to_numpy() & complete).tolist()


def test_group_codes_renumber_when_the_packed_width_would_overflow() -> None:
    """Five columns of 2**13 distinct values each: their packed product passes 2**62, so the codes are
    re-numbered on the way; the result is still the definition (no overflow, no collision)."""
    rng = np.random.default_rng(1)
    n = 9000
    df = pd.DataFrame({f"c{k}": pd.array(rng.permutation(n) % 8192, dtype="Int64") for k in range(5)})
    df = pd.concat([df, df.iloc[::7]], ignore_index=True)  # some keys twice
    assert keysets.group_codes(df, tuple(df.columns)).tolist() == _reference_codes(df, tuple(df.columns)).tolist()


_DATE_TEXT = st.one_of(
    st.none(),
    st.text(alphabet="0123456789", min_size=7, max_size=9),
    st.builds(lambda d, m, y: f"{d:02d}{m:02d}{y:04d}", st.integers(0, 32), st.integers(0, 13), st.integers(0, 9999)),
    st.text(alphabet="0123456789 @a", min_size=8, max_size=8),
)


@given(st.lists(_DATE_TEXT, max_size=30))
def test_ddmmyyyy_is_pandas_strptime_of_eight_digits(texts: list[str | None]) -> None:
    """The byte parse gives pandas' own reading of DDMMYYYY: a date for eight digits forming a real date
    (29 February only in leap years, year 0001 on), NaT for anything else."""
    s = pd.Series(texts, dtype="string[pyarrow]")
    ours = ddmmyyyy(s)
    theirs = pd.to_datetime(s.where(s.str.fullmatch(r"\d{8}").fillna(False)), format="%d%m%Y", errors="coerce")
    assert ours.isna().tolist() == theirs.isna().tolist()
    both = ~ours.isna()
    assert ours[both].dt.date.tolist() == theirs[both].dt.date.tolist()


@given(frames())
def test_joined_is_the_columns_as_text_joined_by_the_unit_separator(case: tuple[pd.DataFrame, tuple[str, ...]]) -> None:
    """One pyarrow join gives pandas' ``a + SEP + b + …`` of the columns as text: NA when any part is NA."""
    df, columns = case
    expected = df[columns[0]].astype("string[pyarrow]")
    for col in columns[1:]:
        expected = expected + keysets.SEP + df[col].astype("string[pyarrow]")
    got = keysets.joined(df, columns)
    assert got.index.equals(df.index)
    assert got.dtype == expected.dtype
    assert got.isna().tolist() == expected.isna().tolist()
    assert got.dropna().tolist() == expected.dropna().tolist()


def test_a_partition_reads_its_own_masks_and_codes_not_the_previous_partitions() -> None:
    """Context.with_file keeps a key index of a file whose keys are given (they are the whole file's), but every
    value read off the frame — blank masks, column codes, group codes — goes with the frame it was read from,
    even for columns whose keys are given (NAT00120's program_id is one of NAT00120_REFERENCE_KEYS)."""
    import pyarrow as pa

    from avetmiss_finalise.profiles import get_profile
    from avetmiss_finalise.validation._fieldcheck import blank_cells
    from avetmiss_finalise.validation.registry import Context

    first = pd.DataFrame({"program_id": pd.array(["P1", None, "P1"], dtype="string[pyarrow]")})
    second = pd.DataFrame({"program_id": pd.array([None, "P2"], dtype="string[pyarrow]")}, index=[3, 4])
    given = {("NAT00120", ("program_id",)): pa.array(["P1", "P2"], type=pa.large_string())}
    ctx = Context(frames={"NAT00120": first}, profile=get_profile("national"), reference_index=given)
    assert blank_cells(ctx, "NAT00120", "program_id", first["program_id"]).tolist() == [False, True, False]
    assert keysets.frame_codes(ctx, "NAT00120", ("program_id",)).tolist() == [0, -1, 0]
    index = keysets.key_index(ctx, "NAT00120", ("program_id",))
    nxt = ctx.with_file("NAT00120", second, pd.DataFrame(columns=["row", "field", "text"]))
    assert blank_cells(nxt, "NAT00120", "program_id", second["program_id"]).tolist() == [True, False]
    assert keysets.frame_codes(nxt, "NAT00120", ("program_id",)).tolist() == [-1, 0]
    assert keysets.key_index(nxt, "NAT00120", ("program_id",)) is index  # the whole file's keys, kept
