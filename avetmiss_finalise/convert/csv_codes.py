"""CSV → NAT: codes that lost their leading zeros in a spreadsheet (``7`` for ``07``, ``800`` for ``0800``).

A spreadsheet that opens a CSV reads ``07`` as the number 7 and saves ``7``. Written back silently that is either
right by luck or a wrong code found only at validation. What to do depends on the field's kind (layouts.md §3):

* **numbers** (N, role number: hours, fees): quantities have no leading zeros to lose, and convert itself writes
  them as plain numbers; the NAT format zero-fills them. Nothing to say.
* **N codes and identifiers** (outcome, funding source, prior education, disability type, …): the NAT format
  writes every N field right-justified and zero-filled, so ``7`` is written ``07`` — exactly the value the
  spreadsheet dropped the zero of. Written, with a **warning** (check the column was not changed otherwise).
* **A fields holding fixed-width digit codes** (:data:`DIGIT_CODE_FIELDS`: postcode, state, language, country,
  school level, labour force, study reason, …): an A field is left-justified and space-filled, so ``7`` would be
  written ``7 `` — an invalid code — and zero-filling it would be a guess the format does not make. **Refused**:
  the user fixes the CSV (format the column as text) and converts again.

Every problem is its own :class:`LeadingZero`, located by CSV file, spreadsheet row (the header is row 1) and
column (number and field name). No value is printed: the messages say how many digits were found and how many
the field has, so personal fields (postcode) never reach a terminal or a log.

The same location serves every other per-field problem found while converting CSV (issue #8 item 14): what the
NAT writer refuses (a bad date, a value too long, a column that is not a field) comes back located by NAT record
(``NAT00120.txt:2:53-60``), a place the user cannot open; :func:`in_csv` puts it back at the CSV cell the value
came from, in the words :func:`where` gives the leading-zero problems.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs
import pandas as pd

from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.nat.codec import CellError, parse_text
from avetmiss_finalise.nat.layouts import Field, Layout

__all__ = ["DIGIT_CODE_FIELDS", "RULE_ID", "LeadingZero", "in_csv", "kept_as_is", "leading_zeros", "where"]

RULE_ID = "CSV-LEADING-ZERO"

#: A fields whose values are fixed-width digit codes (code_lists.md §8, §9, §12, §14; layouts.md §3). A shorter
#: run of digits in one of them can only be a code whose leading zeros were lost.
DIGIT_CODE_FIELDS = frozenset(
    {
        "postcode",
        "state_id",
        "country_id",
        "language_id",
        "highest_school_level_completed_id",
        "labour_force_status_id",
        "study_reason_id",
        "school_type_id",
        "anzsco_id",
        "subject_field_of_education_id",
        "sa1_id",
        "sa2_id",
        "industry_code_anzsic",
        "program_status_id",
    }
)


@attrs.frozen(kw_only=True)
class LeadingZero:
    """One CSV cell of digits shorter than its code field: ``refused`` (A field) or written zero-filled (N)."""

    csv: str
    row: int
    column: int
    field: str
    digits: int
    width: int
    refused: bool

    @property
    def message(self) -> str:
        """What was found and what happens, located by row and column (the file is the Issue's)."""
        found = f"{self.digits} digit{'s' if self.digits != 1 else ''} where the code has {self.width}"
        cell = where(self.row, self.column, self.field)
        if self.refused:
            return (
                f"{cell}: {found} — a spreadsheet probably dropped its leading zero(s); not written (an A field "
                "is not zero-filled): format the column as text, restore the zeros and convert again"
            )
        return (
            f"{cell}: {found} — written zero-filled, as every N field is; check that a spreadsheet dropped only "
            "leading zeros"
        )

    def __str__(self) -> str:
        return f"{self.csv} {self.message}"

    def issue(self) -> Issue:
        """The problem as an Issue (what ``WriteError.issues`` carries), located in the CSV; no value."""
        return Issue(
            rule_id=RULE_ID,
            severity=Severity.ERROR if self.refused else Severity.WARNING,
            message=self.message,
            file=self.csv,
            line=self.row,
            field=self.field,
        )


def where(row: int | None, column: int | None, field: str | None) -> str:
    """``row 3, column 6 (activity_start_date)``: a CSV cell as a spreadsheet shows it (the header is row 1);
    ``row`` or ``column`` left out when the problem is about a whole column or a whole row."""
    parts = [f"row {row}"] if row is not None else []
    if column is not None:
        parts.append(f"column {column}" + (f" ({field})" if field else ""))
    elif field:
        parts.append(f"field {field}")
    return ", ".join(parts) or "the file"


#: The writer's expected form of a date is the NAT file's; in the CSV a date is written ISO (convert writes it so).
_NAT_DATE = "expected a date written DDMMYYYY"
_CSV_DATE = "expected a date written YYYY-MM-DD"


def in_csv(issue: object, lay: Layout, columns: Sequence[str], csv_name: str) -> object:
    """A NAT writer's ``issue`` about the frame built from ``csv_name`` (one frame row per CSV row, in order),
    located at the CSV cell instead: file ``csv_name``, line = spreadsheet row (frame row + 2: 1-based, after the
    header), no character span, and the message led by :func:`where`. Anything else is returned unchanged."""
    if not isinstance(issue, Issue) or issue.file is None:
        return issue
    positions = {str(name): i + 1 for i, name in enumerate(columns)}
    row = None if issue.line is None else issue.line + 1
    message = issue.message
    field = lay.field(issue.field) if issue.field in lay.names else None
    if field is not None and field.role == "date":
        message = message.replace(_NAT_DATE, _CSV_DATE)
    return attrs.evolve(
        issue,
        file=csv_name,
        line=row,
        columns=None,
        message=f"{where(row, positions.get(issue.field or ''), issue.field)}: {message}",
    )


def kept_as_is(raw: pd.DataFrame, lay: Layout, columns: Sequence[str], csv_name: str) -> Iterator[str]:
    """A warning per cell convert writes as it stands (``raw``: row, field, text): a value of the field's width that
    is not in the CSV's form (a date not YYYY-MM-DD, an N field not digits). That is how a cell the NAT file held
    unparsed comes back byte-exact, so it is written — but one that is not even valid NAT text (``2026-1-1``,
    ``2X``) is a problem found here, before ``validate`` finds it by NAT record. No value is shown."""
    positions = {str(name): i + 1 for i, name in enumerate(columns)}
    for row, name, text in raw[["row", "field", "text"]].itertuples(index=False):
        field = lay.field(str(name))
        try:
            parse_text(field, str(text))
        except CellError:
            form = "a YYYY-MM-DD date" if field.role == "date" else "digits"
            cell = where(int(row) + 2, positions.get(field.name), field.name)
            yield (
                f"{csv_name} {cell}: not {form} — its {field.length} characters are written as they stand (as "
                "convert keeps a cell the NAT file held unparsed) and validate will flag them; check the value"
            )


def _checked(field: Field) -> bool | None:
    """``True``: refuse short digit runs; ``False``: warn; ``None``: not a code field."""
    if field.role == "number":
        return None
    if field.kind == "N":
        return False
    if field.name in DIGIT_CODE_FIELDS:
        return True
    return None


def leading_zeros(table: pd.DataFrame, lay: Layout, csv_name: str) -> Iterator[LeadingZero]:
    """Every cell of ``table`` (CSV text, ``""`` for blank) that is a code with its leading zeros lost."""
    positions = {name: i + 1 for i, name in enumerate(table.columns)}
    for field in lay.fields:
        refuse = _checked(field)
        if refuse is None or field.name not in table.columns or field.length < 2:
            continue
        text = table[field.name].astype(object).where(table[field.name].notna(), "").astype(str)
        short = text.str.fullmatch(rf"[0-9]{{1,{field.length - 1}}}").fillna(False).to_numpy(dtype=bool)
        for row in short.nonzero()[0].tolist():
            yield LeadingZero(
                csv=csv_name,
                row=row + 2,
                column=positions[field.name],
                field=field.name,
                digits=len(text.iloc[row]),
                width=field.length,
                refused=refuse,
            )
