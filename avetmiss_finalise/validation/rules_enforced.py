"""Registry entries for rules applied outside the validation engine, so one registry lists every rule.

- NAT reader rules (``NAT-…``): record widths, character set, dates and numbers are checked while reading
  (only the raw bytes show them); their Issues are part of every validation report.
- Finalisation and transition rules (``F-COMPLETE`` … ``F-TRANSITION-MAX-PROGRAMS``): applied by
  :func:`avetmiss_finalise.finalise` and :func:`avetmiss_finalise.plan_transition`.
"""

from __future__ import annotations

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat import RULES as READER_RULES
from avetmiss_finalise.outcomes.catalogue import FINALISATION_RULES
from avetmiss_finalise.validation.registry import enforced_elsewhere

__all__: list[str] = []

_READER_SOURCE = {
    "NAT-SHORT": "layouts.md §2 (Reading); validation_rules.md F-01",
    "NAT-PADDED": "layouts.md §2 (Reading: cut short inside trailing blanks); validation_rules.md F-01",
    "NAT-EXTRA": "layouts.md §2 (characters beyond the layout are state fields); README.md (State variants)",
    "NAT-CHARSET": "layouts.md §3 (Character set: printable ASCII)",
    "NAT-DATE": "layouts.md §3 (Type D: DDMMYYYY); validation_rules.md F-02",
    "NAT-NUMBER": "layouts.md §3 (Type N: right-justified, zero-filled)",
    "NAT-ZERO-FILL": "layouts.md §5 (VIC: TOID right-justified, zero-filled)",
    "NAT-BOM": "layouts.md §3 (encoding conventions)",
    "NAT-EOL": "layouts.md §3 (Record terminator CR LF; readers tolerate LF)",
    "NAT-UNKNOWN-FILE": "layouts.md §3 (File naming)",
    "NAT-DUPLICATE-FILE": "layouts.md §3 (File naming: names matched case-insensitively)",
    "NAT-TRUNCATED": "avetmiss-finalise reader (caps repeated findings per file)",
    "NAT-LONG-RECORD": "avetmiss-finalise reader safety limit (limits.Limits.max_record_length; layouts.md §2)",
    "NAT-TOO-LARGE": "avetmiss-finalise reader safety limits (limits.Limits: file, total, ratio, records)",
    "NAT-SPECIAL-FILE": "avetmiss-finalise reader (only regular files are read)",
}


#: How the holder of the data fixes what the reader found (kept here beside the reader rules' sources).
_READER_FIX: dict[str, str] = {
    "NAT-SHORT": (
        "Re-export the file from the SMS, or restore the trailing spaces an editor stripped: every record is padded "
        "with spaces to its full length (docs/nat-format.md lists the lengths)."
    ),
    "NAT-PADDED": (
        "Nothing was lost (the record was read as space-filled); re-export with trailing spaces kept, or stop the "
        "editor that trims them."
    ),
    "NAT-EXTRA": (
        "Validate with the profile the file was written for (--profile nsw, vic, qld, …); if it is a national file, "
        "remove the characters beyond the record length."
    ),
    "NAT-CHARSET": (
        "Replace the character at the line and column shown with plain ASCII in the SMS (curly quotes, en dashes, "
        "accented letters and tabs are the usual ones) and re-export."
    ),
    "NAT-DATE": (
        "Enter a real date as DDMMYYYY (eight digits, day first) in the SMS, or leave an optional date blank; "
        "00000000 or template text means the exporter wrote no date."
    ),
    "NAT-NUMBER": (
        "Enter digits only, right-justified and zero-filled to the field width (0040); @-fill only where the field "
        "may be not stated."
    ),
    "NAT-ZERO-FILL": (
        "Right-justify the training organisation identifier and fill it with leading zeros to the field width, as "
        "the VIC specification requires."
    ),
    "NAT-BOM": (
        "Save the file as plain ASCII without a byte order mark (the SMS export setting, or the editor's 'save as' "
        "encoding)."
    ),
    "NAT-EOL": "Save every line with the same ending (CR LF); mixed endings come from editing the file by hand.",
    "NAT-UNKNOWN-FILE": (
        "Remove the file from the submission, or rename it to its NAT file id (NAT00120.txt) if it is one."
    ),
    "NAT-DUPLICATE-FILE": (
        "Keep one file per NAT file id: remove the older copy (e.g. 'NAT00120 (1).txt') from the folder or zip."
    ),
    "NAT-TRUNCATED": (
        "Fix the findings listed and validate again: only a bounded number per file are listed, the count says how "
        "many more there are."
    ),
    "NAT-LONG-RECORD": (
        "The line is not a NAT record (no record is longer than a few hundred characters): re-export the file; if "
        "the line is genuine, read it with a higher --max-record-length."
    ),
    "NAT-TOO-LARGE": (
        "Check the zip is the submission it claims to be (a zip bomb is refused on purpose); for a genuinely large "
        "collection raise the limit named in the message (--max-file-size, --max-total-size, --max-ratio)."
    ),
    "NAT-SPECIAL-FILE": (
        "Put the NAT file itself (a regular file) in the folder or zip, not a pipe, device, socket, folder or link "
        "that leads nowhere."
    ),
}

#: How to fix the input of a finalisation that a rule refused or warned about.
_FINALISE_FIX: dict[str, str] = {
    "F-COMPLETE": (
        "Give every unit a final achieved outcome (20, 51, 60, …) with an end date on or before the completion date; "
        "withdraw or remove units still continuing before completing the program."
    ),
    "F-WITHDRAW": (
        "Give the date the provider determined the withdrawal (not a back-dated last attendance) and the hours "
        "attended on each commenced unit; units already finalised keep their outcome."
    ),
    "F-WITHDRAW-COMMENCED": (
        "Enter the hours actually attended up to the withdrawal date on each commenced unit (state collections need "
        "more than 0 for outcome 40)."
    ),
    "F-WITHDRAW-NOT-COMMENCED": (
        "Nothing to enter: a unit not started by the withdrawal date is reported as 85 with future dates and 0 hours "
        "(or left out, per profile); correct its start date in the SMS if it did start."
    ),
    "F-TO-TNC": (
        "Under NSW, report TNC on every NAT00120 row of the withdrawn or cancelled commitment; check units with "
        "outcomes other than 40/85 with Training Services NSW before submitting."
    ),
    "F-DEFER": (
        "Record the deferral with the learner's planned return; hours already attended on unfinished units are kept "
        "in the decision — report them when the learner resumes."
    ),
    "F-TO-D": "Under NSW, report D on every NAT00120 row of the deferred commitment.",
    "F-REFINALISE": (
        "Finalise again from the enrolment as it was before the first run (the SMS record, with the corrected "
        "event), not from the finalised result; the same event twice needs nothing."
    ),
    "F-PRIOR-YEAR": (
        "Report the unit (and a completion left without rows) in the collection of the year its outcome was reached "
        "(check it was), or correct its end date if it really ended in this collection's period."
    ),
    "F-AFTER": (
        "Work through the follow-up tasks listed with the decisions (survey, credential, system access, learner "
        "status) in the SMS."
    ),
    "F-TRANSITION": (
        "Correct the transition plan as the refusal says (programs, unit table, Commitment ID) and run finalise again."
    ),
    "F-TRANSITION-UNREPORTED": (
        "Cancel the superseded program's Commitment ID in the Provider Calculator, obtain a new one for the current "
        "program, and supply it before the current program's rows are reported."
    ),
    "F-TRANSITION-REPORTED": (
        "Report superseded and current rows under the same Commitment ID; check that each credit transfer (60) maps "
        "a unit the learner achieved."
    ),
    "F-TRANSITION-MAX-PROGRAMS": (
        "A commitment carries at most three program identifiers: stop reporting the oldest program, or obtain a new "
        "Commitment ID for the new program."
    ),
}

for _id, (_severity, _title) in READER_RULES.items():
    enforced_elsewhere(
        _id,
        severity=_severity,
        title=_title[:1].upper() + _title[1:],
        source=_READER_SOURCE.get(_id, "layouts.md §2–§3"),
        family="read",
        enforced_by="avetmiss_finalise.nat (reader)",
        fix=_READER_FIX.get(_id, ""),
    )

for _rule in FINALISATION_RULES:
    enforced_elsewhere(
        _rule.id,
        severity=_rule.severity,
        title=_rule.title,
        source=_rule.source,
        family="finalise",
        enforced_by=_rule.enforced_by,
        fix=_FINALISE_FIX.get(_rule.id, ""),
    )

# CSV → NAT (``avetmiss-finalise convert``): a check on CSV input, not on NAT data, listed so every rule ID is here.
enforced_elsewhere(
    "CSV-LEADING-ZERO",
    severity=Severity.ERROR,
    title=(
        "CSV → NAT: a code that lost its leading zeros in a spreadsheet (7 for 07) is refused in an A field and "
        "written zero-filled with a warning in an N field"
    ),
    source=(
        "layouts.md §3 (Type A left/space, Type N right/zero; coded fields always at full length); code_lists.md "
        "§8, §9, §12, §14 (fixed-width digit codes); issue #8 item 14. Numbers (hours, fees) are not checked"
    ),
    family="convert",
    enforced_by="avetmiss_finalise.cli.convert_cmd (CSV → NAT), with avetmiss_finalise.convert.csv_codes",
    fix=(
        "Open the CSV with the code columns formatted as text (or edit it in a text editor), restore the leading "
        "zeros the spreadsheet dropped, and convert again."
    ),
)
