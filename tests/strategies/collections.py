"""Whole NAT collections as columnar frames: built consistent, then broken one rule at a time.

``consistent_collections()`` draws a small collection that satisfies every catalogue rule for its period (calendar
year, final collection) and profile: one organisation, one or two delivery locations, programs and subjects that
every activity references, clients with matching NAT00090/NAT00100 records, and NAT00120 activity whose dates,
outcomes and delivery modes agree. ``SampleCollection.frames()`` returns frames following the columnar contract
(dtypes by ``Field.role``, line = index + 1), built by hand so these strategies do not depend on the reader.

Mutations: ``breakers()`` maps a rule id to a function ``(collection, data) -> Broken`` that changes one cell (or
adds one row) so exactly that rule fires at a known (file, row, field). Rule authors register their own with
``@breaker("RULE-ID")``; a rule's property test then reads: the rule is silent on ``consistent_collections()`` and
fires at ``Broken.file/row/field`` after ``breakers()[RULE_ID]``.

Conventions the record rules must agree with: 70 ends after the period; 85 starts after the period end (the
"future" of a final collection); recognition/credit transfer (51/60) is ``NNN``/``N`` with 0 scheduled hours;
withdrawn (40) has hours attended; a NAT00130 completion exists only when all the client's units are achieved.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd
from hypothesis import strategies as st

from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.profiles import get_profile

__all__ = [
    "Broken",
    "SampleCollection",
    "breaker",
    "breakers",
    "consistent_collections",
    "frame_of",
]

Row = dict[str, Any]


def _dtype(field: Field) -> Any:
    if field.role == "number":
        return "Int64"
    if field.role == "date":
        return "datetime64[s]"
    return pd.StringDtype("pyarrow")


def frame_of(file_id: str, rows: list[Row], profile: str = "national") -> pd.DataFrame:
    """A frame of ``file_id`` from plain dict rows (missing keys blank), following the columnar contract."""
    lay = get_profile(profile).layout(file_id)
    data: dict[str, Any] = {}
    for f in lay.fields:
        values = [r.get(f.name) for r in rows]
        if f.role == "date":
            # Through numpy days, not pd.to_datetime: pandas 2 converts via nanoseconds, which end in 2262.
            days = np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "D") for v in values])
            data[f.name] = pd.Series(days.astype("datetime64[D]").astype("datetime64[s]"), dtype="datetime64[s]")
        elif f.role == "number":
            data[f.name] = pd.Series(values, dtype="Int64")
        else:
            data[f.name] = pd.Series([None if v in (None, "") else str(v) for v in values], dtype=_dtype(f))
    data["extra"] = pd.Series([r.get("extra") for r in rows], dtype=pd.StringDtype("pyarrow"))
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


@attrs.frozen
class SampleCollection:
    """A collection as rows per file (plain dicts), with the period it was built for."""

    rows: Mapping[str, list[Row]]
    year: int = 2026
    profile: str = "national"

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f: frame_of(f, list(r), self.profile) for f, r in self.rows.items()}

    def records(self) -> dict[str, list[Any]]:
        """The rows as NAT record objects (``avetmiss_finalise.nat.records``), e.g. to write real NAT files."""
        from avetmiss_finalise.nat.records import RECORD_CLASSES

        return {f: [RECORD_CLASSES[f](**r) for r in rows] for f, rows in self.rows.items()}

    def with_rows(self, file_id: str, rows: list[Row]) -> SampleCollection:
        return attrs.evolve(self, rows={**self.rows, file_id: rows})

    def with_cell(self, file_id: str, row: int, field: str, value: Any) -> SampleCollection:
        rows = [dict(r) for r in self.rows[file_id]]
        rows[row][field] = value
        return self.with_rows(file_id, rows)

    def without(self, file_id: str) -> SampleCollection:
        return attrs.evolve(self, rows={f: r for f, r in self.rows.items() if f != file_id})


@attrs.frozen
class Broken:
    """A collection broken for one rule, and where the finding must be (row: frame index label; -1 = file)."""

    collection: SampleCollection
    file: str
    row: int
    field: str | None


TOID = "90000"
_LOCATIONS = (("LOC01", "2000", "01", "SYDNEY"), ("LOC02", "3000", "02", "MELBOURNE"))
_PROGRAMS = (("BSB40120", "Certificate IV in Business", 690), ("BSB50120", "Diploma of Business", 960))
_SUBJECTS = tuple(f"BSBTST{n:03d}" for n in range(1, 9))
_FINAL_OUTCOMES = ("20", "30", "40", "51", "60", "81")
_MODES = ("YNN", "NYN", "NNY", "YYN", "YNY", "NYY", "YYY")


@st.composite
def _activity(draw: st.DrawFn, year: int, profile: str, client: str, subject: str, program: str | None) -> Row:
    outcome = draw(st.sampled_from((*_FINAL_OUTCOMES, "70", "85")))
    if outcome == "70":
        start = datetime.date(year, draw(st.integers(1, 11)), 1)
        end = datetime.date(year + 1, draw(st.integers(1, 6)), 15)
    elif outcome == "85":
        start = datetime.date(year + 1, draw(st.integers(1, 6)), 1)
        end = start + datetime.timedelta(days=draw(st.integers(30, 120)))
    else:
        start = datetime.date(year, draw(st.integers(1, 10)), draw(st.integers(1, 28)))
        end = start + datetime.timedelta(days=draw(st.integers(0, 60)))
    if outcome in ("51", "52", "60"):
        mode, predominant = "NNN", "N"
    else:
        mode = draw(st.sampled_from(_MODES))
        predominant = "IEW"[mode.index("Y")]
    specific = draw(st.sampled_from((None, None, "SPECIAL01")))
    funding = "13" if specific else draw(st.sampled_from(("11", "20", "15")))
    location = draw(st.sampled_from(_LOCATIONS))[0]
    row: Row = {
        "training_organisation_id": TOID,
        "delivery_location_id": location,
        "client_id": client,
        "subject_id": subject,
        "program_id": program,
        "activity_start_date": start,
        "activity_end_date": end,
        "delivery_mode_id": mode,
        "outcome_national": outcome,
        "funding_source_national": funding,
        "commencing_program_id": "3" if program else "8",
        "study_reason_id": draw(st.sampled_from(("01", "07", "12", "@@"))),
        "vet_in_schools_flag": "N",
        "specific_funding_id": specific,
        "scheduled_hours": 0 if mode == "NNN" else draw(st.integers(1, 200)),
        "hours_attended": draw(st.integers(1, 40)) if outcome == "40" else None,
        "predominant_delivery_mode": predominant,
    }
    if profile == "nsw":
        row["purchasing_contract_id"] = f"C{client[-4:]}0001"
        row["client_tuition_fee"] = 0
    return row


@st.composite
def consistent_collections(
    draw: st.DrawFn, year: int = 2026, profile: str = "national", max_clients: int = 4
) -> SampleCollection:
    """A small collection that satisfies every catalogue rule for calendar ``year`` (final collection)."""
    n_clients = draw(st.integers(1, max_clients))
    rows: dict[str, list[Row]] = {
        "NAT00010": [{"training_organisation_id": TOID, "training_organisation_name": "SAMPLE TRAINING RTO"}],
        "NAT00020": [
            {
                "training_organisation_id": TOID,
                "delivery_location_id": loc,
                "delivery_location_name": f"SAMPLE CAMPUS {suburb}",
                "postcode": postcode,
                "state_id": state,
                "address_suburb": suburb,
                "country_id": "1101",
            }
            for loc, postcode, state, suburb in _LOCATIONS
        ],
        "NAT00030": [{"program_id": p, "program_name": n, "nominal_hours": h} for p, n, h in _PROGRAMS],
        "NAT00060": [
            {
                "subject_id": s,
                "subject_name": f"SAMPLE SUBJECT {s}",
                "subject_field_of_education_id": "080301",
                "vet_flag": "Y",
                "nominal_hours": 40,
            }
            for s in _SUBJECTS
        ],
        "NAT00080": [],
        "NAT00085": [],
        "NAT00090": [],
        "NAT00100": [],
        "NAT00120": [],
        "NAT00130": [],
    }
    for i in range(n_clients):
        cid = f"C{i + 1:07d}"
        disability = draw(st.booleans())
        prior = draw(st.booleans())
        rows["NAT00080"].append(
            {
                "client_id": cid,
                "name_for_encryption": f"SAMPLE{i}, ALEX",
                "highest_school_level_completed_id": draw(st.sampled_from(("08", "10", "12", "@@"))),
                "gender": draw(st.sampled_from(("M", "F", "X", "@"))),
                "date_of_birth": f"1403{draw(st.integers(1960, 2005))}",
                "postcode": "2000",
                "indigenous_status_id": draw(st.sampled_from(("1", "4", "@"))),
                "language_id": "1201",
                "labour_force_status_id": draw(st.sampled_from(("01", "06", "@@"))),
                "country_id": "1101",
                "disability_flag": "Y" if disability else "N",
                "prior_educational_achievement_flag": "Y" if prior else "N",
                "at_school_flag": "N",
                "address_suburb": "SYDNEY",
                "usi": f"ZZTEST{i + 1:04d}",
                "state_id": "01",
                "address_street_number": "1",
                "address_street_name": "SAMPLE STREET",
                "survey_contact_status": "A",
            }
        )
        rows["NAT00085"].append(
            {
                "client_id": cid,
                "client_first_given_name": "ALEX",
                "client_family_name": f"SAMPLE{i}",
                "address_street_number": "1",
                "address_street_name": "SAMPLE STREET",
                "address_postal_suburb": "SYDNEY",
                "postcode": "2000",
                "state_id": "01",
                "email_address": f"client{i}@example.com",
            }
        )
        if disability:
            rows["NAT00090"].append({"client_id": cid, "disability_type_id": draw(st.sampled_from(("11", "17", "99")))})
        if prior:
            rows["NAT00100"].append({"client_id": cid, "prior_educational_achievement_id": "514"})
        program = draw(st.sampled_from((None, _PROGRAMS[0][0], _PROGRAMS[1][0])))
        subjects = draw(st.lists(st.sampled_from(_SUBJECTS), min_size=1, max_size=3, unique=True))
        for s in subjects:
            rows["NAT00120"].append(draw(_activity(year, profile, cid, s, program)))
        if program and all(
            r["outcome_national"] in ("20", "51", "60") for r in rows["NAT00120"] if r["client_id"] == cid
        ):
            last_end = max(r["activity_end_date"] for r in rows["NAT00120"] if r["client_id"] == cid)
            rows["NAT00130"].append(
                {
                    "training_organisation_id": TOID,
                    "program_id": program,
                    "client_id": cid,
                    "date_program_completed": last_end,
                    "issued_flag": "N",
                }
            )
    # Every program and subject listed is used (layouts.md §6: NAT00030/NAT00060 entries must appear in activity).
    used_subjects = {r["subject_id"] for r in rows["NAT00120"]}
    used_programs = {r["program_id"] for r in rows["NAT00120"]} | {r["program_id"] for r in rows["NAT00130"]}
    rows["NAT00060"] = [r for r in rows["NAT00060"] if r["subject_id"] in used_subjects]
    rows["NAT00030"] = [r for r in rows["NAT00030"] if r["program_id"] in used_programs]
    # Every delivery location listed has activity (X-14: NAT00020 holds only venues used).
    used_locations = {r["delivery_location_id"] for r in rows["NAT00120"]}
    rows["NAT00020"] = [r for r in rows["NAT00020"] if r["delivery_location_id"] in used_locations]
    return SampleCollection(rows=rows, year=year, profile=profile)


Breaker = Callable[[SampleCollection, st.DataObject], Broken]
_BREAKERS: dict[str, Breaker] = {}


def breaker(rule_id: str) -> Callable[[Breaker], Breaker]:
    """Register how to break ``rule_id`` (one finding, at a known location) on a consistent collection."""

    def register(fn: Breaker) -> Breaker:
        if rule_id in _BREAKERS:
            raise ValueError(f"breaker for {rule_id} registered twice")
        _BREAKERS[rule_id] = fn
        return fn

    return register


def breakers() -> Mapping[str, Breaker]:
    """Every registered breaker by rule id."""
    return dict(_BREAKERS)


def pick(data: st.DataObject, c: SampleCollection, file_id: str) -> int:
    """A random row of ``file_id``."""
    return data.draw(st.integers(0, len(c.rows[file_id]) - 1), label=f"{file_id} row")


def set_cell(data: st.DataObject, c: SampleCollection, file_id: str, field: str, value: Any) -> Broken:
    """Break ``field`` of a random row of ``file_id`` by writing ``value``."""
    row = pick(data, c, file_id)
    return Broken(c.with_cell(file_id, row, field, value), file_id, row, field)


# --- breakers for the file- and field-level rules (validation/rules_files.py … rules_activity_fields.py) ------


def append_row(c: SampleCollection, file_id: str, row: Row) -> tuple[SampleCollection, int]:
    """``c`` with ``row`` appended to ``file_id`` (created if absent) and the new row's index."""
    rows = [dict(r) for r in c.rows.get(file_id, [])]
    rows.append(row)
    return c.with_rows(file_id, rows), len(rows) - 1


def _cell(file_id: str, field: str, value: Any) -> Breaker:
    def brk(c: SampleCollection, data: st.DataObject) -> Broken:
        return set_cell(data, c, file_id, field, value)

    return brk


def _appended(file_id: str, field: str | None, make: Callable[[SampleCollection], Row]) -> Breaker:
    def brk(c: SampleCollection, data: st.DataObject) -> Broken:
        c2, row = append_row(c, file_id, make(c))
        return Broken(c2, file_id, row, field)

    return brk


def _new_program(**changes: Any) -> Callable[[SampleCollection], Row]:
    return lambda c: {"program_id": "ZZZ40199", "program_name": "SAMPLE EXTRA PROGRAM", "nominal_hours": 100, **changes}


def _local_program(**changes: Any) -> Callable[[SampleCollection], Row]:
    base = {
        "program_id": "LSS00099",
        "program_name": "SAMPLE LOCAL SKILL SET",
        "nominal_hours": 20,
        "program_recognition_id": "16",
        "program_level_of_education_id": "991",
        "program_field_of_education_id": "0803",
        "vet_flag": "Y",
    }
    return lambda c: {**base, **changes}


def _duplicate(file_id: str, field: str) -> Breaker:
    def brk(c: SampleCollection, data: st.DataObject) -> Broken:
        row = pick(data, c, file_id)
        c2, new = append_row(c, file_id, dict(c.rows[file_id][row]))
        return Broken(c2, file_id, new, field)

    return brk


def _flag_mismatch(file_id: str, flag: str, make: Callable[[str], Row]) -> Breaker:
    """A NAT00090/NAT00100 record for a client whose NAT00080 ``flag`` is N."""

    def brk(c: SampleCollection, data: st.DataObject) -> Broken:
        i = pick(data, c, "NAT00080")
        cid = c.rows["NAT00080"][i]["client_id"]
        c2 = c.with_cell("NAT00080", i, flag, "N")
        c2 = c2.with_rows(file_id, [r for r in c2.rows.get(file_id, []) if r["client_id"] != cid])
        c2, row = append_row(c2, file_id, make(cid))
        return Broken(c2, file_id, row, "client_id")

    return brk


def _two_cells(file_id: str, cells: Mapping[str, Any], located: str) -> Breaker:
    def brk(c: SampleCollection, data: st.DataObject) -> Broken:
        row = pick(data, c, file_id)
        c2 = c
        for field, value in cells.items():
            c2 = c2.with_cell(file_id, row, field, value)
        return Broken(c2, file_id, row, located)

    return brk


def _study_reason_13_in_2018(c: SampleCollection, data: st.DataObject) -> Broken:
    b = set_cell(data, c, "NAT00120", "study_reason_id", "13")
    return attrs.evolve(b, collection=attrs.evolve(b.collection, year=2018))


def _v120_f2(c: SampleCollection, data: st.DataObject) -> Broken:
    """Subject-only (blank program) with a training contract, or with commencing program identifier 3/4."""
    if data.draw(st.booleans(), label="training contract (else commencing program 3/4)"):
        cells: dict[str, Any] = {"program_id": None, "commencing_program_id": "8", "training_contract_id": "TC01"}
        return _two_cells("NAT00120", cells, "training_contract_id")(c, data)
    cells = {"program_id": None, "commencing_program_id": data.draw(st.sampled_from("34"))}
    return _two_cells("NAT00120", cells, "commencing_program_id")(c, data)


def _v085_03(c: SampleCollection, data: st.DataObject) -> Broken:
    """A client overseas (OSPC, state 99) in only one of NAT00080 and NAT00085 (rows are in the same order; a row
    another breaker appended to one of them has no partner, so the row is one both files have)."""
    both = min(len(c.rows["NAT00080"]), len(c.rows["NAT00085"]))
    row = data.draw(st.integers(0, both - 1), label="NAT00085 row")
    side = data.draw(st.sampled_from(("NAT00080", "NAT00085")), label="overseas only in")
    c2 = c.with_cell(side, row, "postcode", "OSPC").with_cell(side, row, "state_id", "99")
    return Broken(c2, "NAT00085", row, "postcode")


def _f04(c: SampleCollection, data: st.DataObject) -> Broken:
    return Broken(c.without("NAT00130"), "NAT00130", -1, None)


def _v030_06(c: SampleCollection, data: st.DataObject) -> Broken:
    c2, _ = append_row(c, "NAT00030", _new_program()(c))
    c2, row = append_row(c2, "NAT00030", _new_program()(c))
    return Broken(c2, "NAT00030", row, "program_id")


_FIELD_BREAKERS: dict[str, Breaker] = {
    "F-02": _cell("NAT00080", "date_of_birth", "31022000"),
    "F-03": _cell("NAT00060", "subject_name", "X" * 101),
    "F-04": _f04,
    "F-06": lambda c, data: attrs.evolve(set_cell(data, c, "NAT00120", "funding_source_national", "11"), row=-1),
    "F-07": _cell("NAT00120", "study_reason_id", "00"),
    "V-010-01": _cell("NAT00010", "training_organisation_id", None),
    "V-010-02": _duplicate("NAT00010", "training_organisation_id"),
    "V-010-03": _appended(
        "NAT00010A",
        "postcode",
        lambda c: {"training_organisation_id": "90009", "training_organisation_name": "SAMPLE", "postcode": "OSPC"},
    ),
    "V-020-01": _duplicate("NAT00020", "delivery_location_id"),
    "V-020-02": _cell("NAT00020", "delivery_location_name", None),
    "V-020-04": _cell("NAT00020", "postcode", "@@@@"),
    "V-020-05": _cell("NAT00020", "state_id", "@@"),
    "V-030-02": _appended("NAT00030", "program_id", _new_program(program_id="zzz40199")),
    "V-030-03": _appended("NAT00030A", "vet_flag", _local_program(vet_flag="X")),
    "V-030-04": _appended("NAT00030", "nominal_hours", _new_program(nominal_hours=None)),
    "V-030-05": _appended("NAT00030", "program_name", _new_program(program_name=None)),
    "V-030-06": _v030_06,
    "V-060-01": _cell("NAT00060", "subject_name", None),
    "V-060-03": _cell("NAT00060", "vet_flag", "X"),
    "V-080-01": _cell("NAT00080", "client_id", "C 000001"),
    "V-080-02": _cell("NAT00080", "usi", "testusi001"),
    "V-080-03": _cell("NAT00080", "usi", None),
    "V-080-04": _cell("NAT00080", "name_for_encryption", "SAMPLE ALEX"),
    "V-080-05": _cell("NAT00080", "postcode", "20A0"),
    "V-080-06": _two_cells("NAT00080", {"survey_contact_status": "O", "postcode": "@@@@"}, "survey_contact_status"),
    "V-080-07": _cell("NAT00080", "gender", "Q"),
    "V-080-08": _cell("NAT00080", "date_of_birth", "14032024"),
    "V-080-09": _cell("NAT00080", "labour_force_status_id", "99"),
    "V-085-01": _cell("NAT00085", "client_family_name", "OTHERNAME"),
    "V-085-02": _two_cells("NAT00085", {"email_address": None}, "telephone_home"),
    "V-085-03": lambda c, data: _v085_03(c, data),
    "V-090-01": _flag_mismatch(
        "NAT00090", "disability_flag", lambda cid: {"client_id": cid, "disability_type_id": "11"}
    ),
    "V-090-02": _appended(
        "NAT00090", "disability_type_id", lambda c: {"client_id": "C0000001", "disability_type_id": "55"}
    ),
    "V-100-01": _appended(
        "NAT00100",
        "prior_educational_achievement_id",
        lambda c: {"client_id": "C0000001", "prior_educational_achievement_id": "999"},
    ),
    "V-100-02": _flag_mismatch(
        "NAT00100",
        "prior_educational_achievement_flag",
        lambda cid: {"client_id": cid, "prior_educational_achievement_id": "514"},
    ),
    "V-120-F1": _cell("NAT00120", "delivery_mode_id", None),
    "V-120-F2": _v120_f2,
    "V-120-F3": _cell("NAT00120", "funding_source_national", "99"),
    "V-120-F4": _two_cells(
        "NAT00120", {"specific_funding_id": "SPECIAL02", "funding_source_national": "20"}, "funding_source_national"
    ),
    "V-120-F5": _two_cells("NAT00120", {"vet_in_schools_flag": "Y", "school_type_id": None}, "school_type_id"),
    "V-120-F6": _study_reason_13_in_2018,
    "V-120-F7": _cell("NAT00120", "predominant_delivery_mode", "Z"),
    "V-120-F8": _cell("NAT00120", "study_reason_id", "99"),
    "V-120-F9": _cell("NAT00120", "vet_in_schools_flag", "X"),
    "V-120-F10": _cell("NAT00120", "commencing_program_id", "5"),
    "V-120-F11": _cell("NAT00120", "outcome_national", "90"),
    "V-130-01": _appended(
        "NAT00130",
        "issued_flag",
        lambda c: {
            "training_organisation_id": TOID,
            "program_id": "BSB40120",
            "client_id": "C0000001",
            "date_program_completed": datetime.date(c.year, 6, 30),
            "issued_flag": "Q",
        },
    ),
}


for _rule_id, _fn in _FIELD_BREAKERS.items():
    breaker(_rule_id)(_fn)
