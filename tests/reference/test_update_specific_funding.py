"""scripts/update_specific_funding.py: the shipped list is in canonical form, and merging a year's NCVER list
makes that year complete without inventing a code."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.reference.specific_funding import parse_specific_funding

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "update_specific_funding", ROOT / "scripts" / "update_specific_funding.py"
)
assert spec and spec.loader
update = importlib.util.module_from_spec(spec)
sys.modules.setdefault("update_specific_funding", update)
spec.loader.exec_module(update)

codes = st.lists(st.from_regex(r"ZZ[A-Z0-9]{1,6}", fullmatch=True), min_size=1, max_size=6, unique=True)


def test_the_shipped_list_is_in_canonical_form() -> None:
    assert update.main(["--check"]) == 0


@settings(max_examples=10)
@given(first=codes, second=codes, year=st.integers(2020, 2030))
def test_merging_two_years_lists(tmp_path_factory: object, first: list[str], second: list[str], year: int) -> None:
    tmp = Path(str(tmp_path_factory.mktemp("sfi")))  # type: ignore[attr-defined]
    data = tmp / "specific_funding.csv"
    shutil.copy(update.DATA, data)
    for y, listed in ((year, first), (year + 1, second)):
        (tmp / f"ncver_{y}.csv").write_text("code,meaning\n" + "".join(f"{c},SAMPLE {c}\n" for c in listed), "utf-8")
        args = [str(tmp / f"ncver_{y}.csv"), "--year", str(y), "--source", f"synthetic {y}", "--file", str(data)]
        assert update.main([*args, "--date", "2027-01-15"]) == 0
    text = data.read_text("utf-8")
    lst, _, _ = parse_specific_funding(text, "specific_funding.csv", shipped=True)
    assert {year, year + 1} <= lst.complete_years
    assert lst.valid_codes(year) == set(first) | ({"32"} if year <= 2018 else set())
    assert lst.valid_codes(year + 1) == set(second)
    assert set(lst.expired(year + 1)) >= set(first) - set(second)
    assert {e.code for e in lst.entries} == {"32", *first, *second}  # nothing invented
    assert f"# source {year}: synthetic {year}" in text
    assert update.main(["--check", "--file", str(data)]) == 0
