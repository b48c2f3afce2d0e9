"""One-off builder of avetmiss_finalise/nat/layouts/fields.csv from ../shared/spec/nat_layouts.csv.

The package CSV is the single source of truth for every NAT layout; this script records how it was derived
(positions, lengths, kinds and notes copied from the spec; snake_case names, value roles and personal-data
flags added by the project). Re-run it when the spec CSV changes and review the diff.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

NAMES: dict[str, list[tuple[str, str, bool]]] = {
    # file: [(name, role, personal)] in field order; role in text|code|number|date|blank
    "NAT00010": [
        ("training_organisation_id", "text", False),
        ("training_organisation_name", "text", False),
        ("nat00010a_block", "blank", False),
        ("contact_name", "text", True),
        ("telephone_number", "text", True),
        ("facsimile_number", "text", True),
        ("email_address", "text", True),
    ],
    "NAT00010A": [
        ("training_organisation_id", "text", False),
        ("training_organisation_name", "text", False),
        ("training_organisation_type_id", "code", False),
        ("address_first_line", "text", False),
        ("address_second_line", "text", False),
        ("address_suburb", "text", False),
        ("postcode", "code", False),
        ("state_id", "code", False),
        ("contact_name", "text", True),
        ("telephone_number", "text", True),
        ("facsimile_number", "text", True),
        ("email_address", "text", True),
    ],
    "NAT00020": [
        ("training_organisation_id", "text", False),
        ("delivery_location_id", "text", False),
        ("delivery_location_name", "text", False),
        ("postcode", "code", False),
        ("state_id", "code", False),
        ("address_suburb", "text", False),
        ("country_id", "code", False),
    ],
    "NAT00030": [
        ("program_id", "text", False),
        ("program_name", "text", False),
        ("nominal_hours", "number", False),
        ("nat00030a_block", "blank", False),
    ],
    "NAT00030A": [
        ("program_id", "text", False),
        ("program_name", "text", False),
        ("nominal_hours", "number", False),
        ("program_recognition_id", "code", False),
        ("program_level_of_education_id", "code", False),
        ("program_field_of_education_id", "code", False),
        ("anzsco_id", "code", False),
        ("vet_flag", "code", False),
    ],
    "NAT00060": [
        ("subject_id", "text", False),
        ("subject_name", "text", False),
        ("subject_field_of_education_id", "code", False),
        ("vet_flag", "code", False),
        ("nominal_hours", "number", False),
    ],
    "NAT00080": [
        ("client_id", "text", False),
        ("name_for_encryption", "text", True),
        ("highest_school_level_completed_id", "code", False),
        ("gender", "code", False),
        ("date_of_birth", "text", True),
        ("postcode", "code", True),
        ("indigenous_status_id", "code", False),
        ("language_id", "code", False),
        ("labour_force_status_id", "code", False),
        ("country_id", "code", False),
        ("disability_flag", "code", False),
        ("prior_educational_achievement_flag", "code", False),
        ("at_school_flag", "code", False),
        ("address_suburb", "text", True),
        ("usi", "text", True),
        ("state_id", "code", False),
        ("address_building_property_name", "text", True),
        ("address_flat_unit_details", "text", True),
        ("address_street_number", "text", True),
        ("address_street_name", "text", True),
        ("survey_contact_status", "code", False),
        ("sa1_id", "code", True),
        ("sa2_id", "code", False),
    ],
    "NAT00085": [
        ("client_id", "text", False),
        ("client_title", "text", True),
        ("client_first_given_name", "text", True),
        ("client_family_name", "text", True),
        ("address_building_property_name", "text", True),
        ("address_flat_unit_details", "text", True),
        ("address_street_number", "text", True),
        ("address_street_name", "text", True),
        ("address_postal_delivery_box", "text", True),
        ("address_postal_suburb", "text", True),
        ("postcode", "code", True),
        ("state_id", "code", False),
        ("telephone_home", "text", True),
        ("telephone_work", "text", True),
        ("telephone_mobile", "text", True),
        ("email_address", "text", True),
        ("email_address_alternative", "text", True),
    ],
    "NAT00090": [("client_id", "text", False), ("disability_type_id", "code", False)],
    "NAT00100": [("client_id", "text", False), ("prior_educational_achievement_id", "code", False)],
    "NAT00120": [
        ("training_organisation_id", "text", False),
        ("delivery_location_id", "text", False),
        ("client_id", "text", False),
        ("subject_id", "text", False),
        ("program_id", "text", False),
        ("activity_start_date", "date", False),
        ("activity_end_date", "date", False),
        ("delivery_mode_id", "code", False),
        ("outcome_national", "code", False),
        ("funding_source_national", "code", False),
        ("commencing_program_id", "code", False),
        ("training_contract_id", "text", False),
        ("client_id_apprenticeships", "text", False),
        ("study_reason_id", "code", False),
        ("vet_in_schools_flag", "code", False),
        ("specific_funding_id", "text", False),
        ("school_type_id", "code", False),
        ("outcome_training_organisation", "code", False),
        ("funding_source_state", "code", False),
        ("client_tuition_fee", "number", False),
        ("fee_exemption_concession_type_id", "code", False),
        ("purchasing_contract_id", "text", False),
        ("purchasing_contract_schedule_id", "text", False),
        ("hours_attended", "number", False),
        ("associated_course_id", "text", False),
        ("scheduled_hours", "number", False),
        ("predominant_delivery_mode", "code", False),
    ],
    "NAT00130": [
        ("training_organisation_id", "text", False),
        ("program_id", "text", False),
        ("client_id", "text", False),
        ("date_program_completed", "date", False),
        ("issued_flag", "code", False),
        ("parchment_issue_date", "date", False),
        ("parchment_number", "text", False),
    ],
}
TAILS: dict[tuple[str, str], list[tuple[str, str, bool]]] = {
    ("NAT00010", "8.0+VIC"): [("software_product_name", "text", False), ("software_vendor_email", "text", False)],
    ("NAT00020", "8.0+VIC"): [
        ("address_building_property_name", "text", False),
        ("address_flat_unit_details", "text", False),
        ("address_street_number", "text", False),
        ("address_street_name", "text", False),
    ],
    ("NAT00080", "8.0+VIC"): [
        ("victorian_student_number", "text", True),
        ("client_industry_of_employment", "code", False),
        ("client_occupation_id", "code", False),
    ],
    ("NAT00100", "8.0+VIC"): [("prior_educational_achievement_recognition_id", "code", False)],
    ("NAT00120", "8.0+VIC"): [
        ("program_commencement_date", "date", False),
        ("eligibility_exemption_indicator", "code", False),
        ("vet_fee_help_indicator", "code", False),
        ("industry_code_anzsic", "code", False),
        ("enrolment_date", "date", False),
        ("enrolment_id", "text", False),
        ("client_fees_other", "number", False),
        ("delivery_provider_abn", "text", False),
        ("funding_eligibility_key", "text", False),
        ("program_enrolment_id", "text", False),
    ],
    ("NAT00130", "8.0+VIC"): [
        ("program_commencement_date", "date", False),
        ("program_supervised_teaching_activity_completion_date", "date", False),
        ("program_unique_supervised_hours", "number", False),
        ("program_status_id", "code", False),
        ("program_enrolment_id", "text", False),
    ],
    ("NAT00120", "8.0+NSW-legacy"): [
        ("booking_id", "text", False),
        ("course_site_id", "text", False),
        ("training_plan_developed", "code", False),
    ],
    ("NAT00120", "8.0+QLD"): [("full_time_learning_option", "code", False)],
    ("NAT00080", "8.0+QLD(onCourse)"): [("learner_unique_id", "text", True)],
    ("NAT00080", "8.0+TAS"): [
        ("client_industry_of_employment", "code", False),
        ("client_occupation_id", "code", False),
    ],
    ("NAT00120", "8.0+TAS"): [("programme_enrolment_id", "text", False), ("client_resource_fee", "number", False)],
    ("NAT00130", "8.0+TAS"): [
        ("income_contingent_loan_indicator", "code", False),
        ("program_commencement_date", "date", False),
        ("programme_enrolment_id", "text", False),
        ("program_status_id", "code", False),
        ("client_resource_fee", "number", False),
        ("client_tuition_fee", "number", False),
    ],
}
# National record lengths (layouts.md §2): fields ending at or before this are "national".
NATIONAL = {
    "NAT00010": 268,
    "NAT00010A": 268,
    "NAT00020": 180,
    "NAT00030": 114,
    "NAT00030A": 130,
    "NAT00060": 123,
    "NAT00080": 327,
    "NAT00085": 557,
    "NAT00090": 12,
    "NAT00100": 13,
    "NAT00120": 111,
    "NAT00130": 39,
}
# Numeric-looking identifiers that are codes not quantities (kept as strings); ABN etc. kept text above.
HEADER = """\
# AVETMISS 8.0 NAT record layouts: the single source of truth for every reader, writer, dtype and rule.
# Derived from shared/spec/nat_layouts.csv (sources and confidence: shared/spec/layouts.md §1, §7) by
# scripts/build_layouts_csv.py. Columns: file, version (8.0 = national + common state tail; 8.0+XXX = state
# tail after the common record), order, name (snake_case, the column/attribute name), label (official name),
# start (1-based), length, kind (A left/space, N right/zero, D DDMMYYYY), role (text|code|number|date|blank:
# the columnar dtype), required (Y|N|conditional), personal (Y: never shown in reports by default),
# national (Y: inside the record length for national data collection), notes (from the spec).
"""


def main(spec: Path, out: Path) -> None:
    rows = list(csv.DictReader(spec.open(newline="", encoding="utf-8")))
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write(HEADER)
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "file",
                "version",
                "order",
                "name",
                "label",
                "start",
                "length",
                "kind",
                "role",
                "required",
                "personal",
                "national",
                "notes",
            ]
        )
        counters: dict[tuple[str, str], int] = {}
        for r in rows:
            key = (r["file"], r["version"])
            if r["version"] == "7.0":
                continue
            names = NAMES[r["file"]] if r["version"] == "8.0" else TAILS[key]
            i = counters.get(key, 0)
            counters[key] = i + 1
            name, role, personal = names[i]
            start, length = int(r["start"]), int(r["length"])
            national = r["version"] == "8.0" and start + length - 1 <= NATIONAL[r["file"]]
            w.writerow(
                [
                    r["file"],
                    r["version"],
                    r["order"],
                    name,
                    r["field_name"],
                    start,
                    length,
                    r["type"],
                    role,
                    r["required"],
                    "Y" if personal else "N",
                    "Y" if national else "N",
                    r["notes"],
                ]
            )
        for key, names in {**{(f, "8.0"): n for f, n in NAMES.items()}, **TAILS}.items():
            assert counters.get(key) == len(names), key


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
