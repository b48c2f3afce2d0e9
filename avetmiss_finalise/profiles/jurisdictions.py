"""The jurisdiction profiles as data: one :class:`Profile` per reporting flavour, with what each rests on.

Facts from layouts.md §2 and §5 (record lengths and state tails per implementation),
validation_rules.md §4 (X-10, TAS), code_lists.md §1 (state outcome codes) and sms_habits.md. What no
authoritative text confirms is listed in each profile's ``unverified`` (rendered in docs/nat-format.md).
"""

from __future__ import annotations

import datetime

from avetmiss_finalise.profiles.profile import Profile, UnfinishedProgram

__all__ = ["PROFILES"]

_VIC_TAIL_FILES = ("NAT00010", "NAT00020", "NAT00080", "NAT00100", "NAT00120", "NAT00130")
_READ_EITHER = (
    "a record that ends at the national length is read without a finding, so exports at either width read clean"
)

PROFILES: tuple[Profile, ...] = (
    Profile(
        name="national",
        description="NCVER VET Provider Collection: 8.0 national record plus the common state tail, blank.",
        national_record_only=True,
        unverified=(
            "AVS ignores what follows the national record length (layouts.md §2): findings on state-only "
            "positions are therefore capped at a warning (ValidationOptions.state_positions_severity)",
        ),
        sources="layouts.md §2",
    ),
    Profile(
        name="nsw",
        description=(
            "NSW Smart and Skilled (STS Online eReporting): common widths, NAT00080 without SA1/SA2 (327), "
            "Commitment ID in Purchasing contract identifier, TNC/D training-organisation outcomes."
        ),
        widths={"NAT00080": 327},
        training_organisation_outcomes=True,
        requires_commitment_id=True,
        unverified=("what eReporting requires of a deferral's units (D), validation_rules.md §7.3",),
        sources="layouts.md §5; validation_rules.md §7",
    ),
    Profile(
        name="nsw-legacy",
        description=(
            "NSW before Smart and Skilled (non-S&S funding; onCourse's deprecated 'NSW' flavour): the common "
            "record plus the NSW-legacy NAT00120 tail (Booking ID, Course site ID, Training plan developed; 179)."
        ),
        tails={"NAT00120": "8.0+NSW-legacy"},
        unverified=(
            "the NSW-legacy tail comes from one implementation (onCourse 'NSW', deprecated there)",
            "whether the legacy collection requires hours attended for withdrawn units (V-120-13 is not applied)",
            "record widths of the other files (the common widths are used)",
        ),
        sources="layouts.md §2, §5 (NSW-legacy NAT00120 179)",
    ),
    Profile(
        name="vic",
        description=(
            "Victoria (SVTS, VVSSCG 2018 layout): VIC tails on NAT00010/20/80/100/120/130; TOID zero-filled. "
            "VIC transition (Associated course identifier) is not implemented yet."
        ),
        tails={f: "8.0+VIC" for f in _VIC_TAIL_FILES},
        zero_filled_fields=frozenset(
            (f, "training_organisation_id") for f in ("NAT00010", "NAT00010A", "NAT00020", "NAT00120", "NAT00130")
        ),
        unverified=(
            "the VIC tails follow the 2018 guidelines (clarity-avetmiss, VVSSCG 2018); onCourse's VIC flavour "
            "writes NAT00120 244 and NAT00130 80 (layouts.md §5), read as cut short (NAT-PADDED warning)",
            "NAT00010A's TOID is zero-filled like NAT00010's, the record it stands in for: layouts.md §5 says the VIC "
            "TOID is zero-filled without naming files, and a TOID read one way in NAT00010A and the other in "
            "NAT00020 gave a false X-01",
        ),
        sources="layouts.md §5 (VIC); validation_rules.md §6",
    ),
    Profile(
        name="qld",
        description=(
            "Queensland (DETConnect): NAT00080 + LUI at 328 (onCourse reading; bluedog differs, unverified), "
            "NAT00120 + full-time learning option; outcome 65 is a QLD state code. QLD transition (65) is "
            "not implemented yet."
        ),
        tails={"NAT00080": "8.0+QLD(onCourse)", "NAT00120": "8.0+QLD"},
        widths={"NAT00080": 327},
        state_outcomes=frozenset({"65"}),
        unverified=("the NAT00080 tail: onCourse puts the LUI at 328 (337), bluedog before SA1/SA2 (357)",),
        sources="layouts.md §5 (QLD); code_lists.md §1 (65)",
    ),
    Profile(
        name="sa",
        description=(
            "South Australia (STELA): the national layout with the common state tail. onCourse's SA flavour "
            "writes NAT00080 at 327 (no SA1/SA2); outcome @@ ('did not start', SA only) is a warning."
        ),
        unverified_state_outcomes=frozenset({"@@"}),
        unverified=(
            "no SA-specific layout is known: onCourse's SA flavour writes NAT00010 448, NAT00080 327, NAT00120 "
            f"158, NAT00130 72 (layouts.md §5); {_READ_EITHER}",
            "outcome @@ for 'did not start' rests on one implementation comment (code_lists.md §1)",
        ),
        sources="layouts.md §2, §5 (SA); code_lists.md §1 (@@)",
    ),
    Profile(
        name="wa",
        description=(
            "Western Australia (STARS): the national layout with the common state tail. onCourse's WA flavour "
            "writes NAT00080 at 327 (no SA1/SA2). WA's own outcome scheme is not supported."
        ),
        unverified=(
            "no WA-specific layout is known: onCourse's WA flavour writes NAT00010 448, NAT00080 327, NAT00120 "
            f"158, NAT00130 72 (layouts.md §5); {_READ_EITHER}",
            "WA's state outcome and fee-exemption schemes (code_lists.md §1, §15) are not checked",
        ),
        sources="layouts.md §2, §5 (WA); code_lists.md §1, §15",
    ),
    Profile(
        name="tas",
        description=(
            "Tasmania (Skills Tasmania, onCourse layout): TAS tails on NAT00080/120/130; an unfinished program "
            "is reported in NAT00130 with date 01019999 and program status 30 (not a completion)."
        ),
        tails={"NAT00080": "8.0+TAS", "NAT00120": "8.0+TAS", "NAT00130": "8.0+TAS"},
        unfinished_program=UnfinishedProgram(
            date=datetime.date(9999, 1, 1),
            status="30",
            source="Skills Tasmania provider collection requirements (2021, p. 11); VETtrak help (sms_habits.md)",
        ),
        unverified=("the TAS tails come from one implementation (onCourse's TAS flavour, layouts.md §5)",),
        sources="layouts.md §5 (TAS); validation_rules.md X-10; sms_habits.md",
    ),
    Profile(
        name="nt",
        description=(
            "Northern Territory (NTVETPP): the national layout with the common state tail; onCourse writes only "
            "the national part of NAT00010 (268) and NAT00120 (111)."
        ),
        unverified=(
            f"no NT-specific layout or rule is known beyond onCourse writing the national part; {_READ_EITHER}",
        ),
        sources="layouts.md §5 (NT)",
    ),
    Profile(
        name="act",
        description=(
            "Australian Capital Territory (AVETARS): the national layout with the common state tail; onCourse "
            "writes only the national part of NAT00010 (268) and NAT00120 (111). The STA rejects completions "
            "without NAT00120 activity (X-06, an error everywhere)."
        ),
        unverified=(
            "the ACT VET AVETMISS Data Standard v2.03 was consulted for its introduction only (layouts.md §1)",
            f"no ACT-specific layout is known beyond onCourse writing the national part; {_READ_EITHER}",
        ),
        sources="layouts.md §1, §5 (ACT); validation_rules.md X-06 (VTE ACT FAQ)",
    ),
)
