"""The reader's rule IDs and the sink that collects its Issues, capped per kind so junk cannot flood a report.

Documented in docs/nat-format.md (generated from :data:`RULES`) and registered in the validation registry
(``validation/rules_enforced.py``) so one catalogue lists every rule.
"""

from __future__ import annotations

from collections import Counter

from avetmiss_finalise.issues import Issue, Severity

__all__ = ["ABOUT_THE_RECORD", "LISTED", "MAX_ISSUES_PER_KIND", "RULES", "Sink"]

#: At most this many Issues per (rule, field) in one file; one more Issue then says how many were left out.
MAX_ISSUES_PER_KIND = 100
#: Findings of one kind passed to :meth:`Sink.add` at a time (one more than listed, so the count is right).
LISTED = MAX_ISSUES_PER_KIND + 1

#: Reader rule IDs → (default severity, what it means). A finding may carry another severity where the rule says
#: so (NAT-SHORT on an empty line, NAT-PADDED in a state tail with mandatory fields, NAT-DATE for 00000000 in a
#: date that may be blank).
RULES: dict[str, tuple[Severity, str]] = {
    "NAT-SHORT": (
        Severity.WARNING,
        "record shorter than the national record length (trailing blanks trimmed?), read as if space-filled "
        "and written back at its length (F-01); an empty line is an error",
    ),
    "NAT-PADDED": (
        Severity.INFO,
        "record cut short in the state tail, read as if space-filled (a warning when the profile's state tail "
        "for the file has mandatory fields, VIC; nothing when the record ends exactly at the national length "
        "and the profile has no state tail for the file)",
    ),
    "NAT-EXTRA": (Severity.INFO, "record longer than the profile's layout; the rest is kept in column extra"),
    "NAT-CHARSET": (Severity.ERROR, "byte outside printable ASCII (0x20-0x7E)"),
    "NAT-DATE": (
        Severity.ERROR,
        "date field that is not a real DDMMYYYY date (00000000 where the date may be blank: a warning)",
    ),
    "NAT-NUMBER": (
        Severity.ERROR,
        "numeric (N) field that is not zero-filled digits, @-filled (not stated) or blank",
    ),
    "NAT-ZERO-FILL": (Severity.WARNING, "field the profile zero-fills (VIC TOID) that is not right-justified"),
    "NAT-BOM": (Severity.INFO, "file starts with a UTF-8 byte order mark (kept when written back)"),
    "NAT-EOL": (Severity.INFO, "file mixes CR LF and LF line endings (kept when written back)"),
    "NAT-UNKNOWN-FILE": (Severity.INFO, "file that is not a NAT file, ignored"),
    "NAT-DUPLICATE-FILE": (Severity.WARNING, "second file with the same NAT file id, ignored"),
    "NAT-TRUNCATED": (Severity.INFO, "more findings of one kind in one file than are listed"),
    "NAT-LONG-RECORD": (
        Severity.ERROR,
        "record longer than the record-length limit; cut at the limit, so the file cannot be written back",
    ),
    "NAT-TOO-LARGE": (Severity.ERROR, "file over a size limit (bytes, records or compression ratio); not read"),
    "NAT-SPECIAL-FILE": (
        Severity.ERROR,
        "entry with a NAT file name that is not a regular file (directory, FIFO, device, socket, broken link); "
        "not read",
    ),
}


#: Findings about a record as a whole: kept when its fields are shifted, and never capped as a state-only position
#: under ``national`` (a record cut at the record-length limit lost characters and cannot be written back, whatever
#: its fields say and wherever the cut falls).
ABOUT_THE_RECORD = frozenset({"NAT-LONG-RECORD"})


class Sink:
    """Collects Issues, capping each (rule, field) kind so junk files cannot explode into millions.

    Lines marked :meth:`shifted` (a date holding template text that pushed the rest of the record along) keep
    only their findings up to and including the shifted field: everything after it is the same fault.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []
        self.counts: Counter[tuple[str, str | None]] = Counter()
        self.shifts: dict[int, int] = {}

    def add(
        self,
        rule_id: str,
        message: str,
        *,
        line: int | None = None,
        columns: tuple[int, int] | None = None,
        field: str | None = None,
        value: str | None = None,
        kind: str | None = "",
        severity: Severity | None = None,
    ) -> None:
        """Add an Issue; it is capped under (``rule_id``, ``kind``), ``kind`` defaulting to ``field``."""
        key = (rule_id, field if kind == "" else kind)
        self.counts[key] += 1
        if self.counts[key] <= MAX_ISSUES_PER_KIND:
            self.issues.append(
                Issue(
                    rule_id=rule_id,
                    severity=RULES[rule_id][0] if severity is None else severity,
                    message=message,
                    file=self.file,
                    line=line,
                    columns=columns,
                    field=field,
                    value=value,
                )
            )

    def more(self, rule_id: str, field: str | None, total: int) -> None:
        """Count ``total`` findings of a kind of which at most ``LISTED`` were passed to :meth:`add` just now."""
        if total > LISTED:
            self.counts[(rule_id, field)] += total - LISTED

    def shifted(self, line: int, column: int) -> None:
        """Line ``line`` is shifted after ``column`` (1-based): later findings on it are not kept."""
        self.shifts[line] = min(column, self.shifts.get(line, column))

    def _kept(self, issue: Issue) -> bool:
        if issue.line is None or issue.line not in self.shifts or issue.rule_id in ABOUT_THE_RECORD:
            return True
        start = issue.columns[0] if issue.columns else None
        return start is not None and start <= self.shifts[issue.line]

    def finish(self) -> tuple[Issue, ...]:
        kept = [i for i in self.issues if self._kept(i)] if self.shifts else self.issues
        for (rule_id, field), count in self.counts.items():
            if count > MAX_ISSUES_PER_KIND:
                kept.append(
                    Issue(
                        rule_id="NAT-TRUNCATED",
                        severity=Severity.INFO,
                        message=f"{count - MAX_ISSUES_PER_KIND} more {rule_id} findings not listed ({count} in all)",
                        file=self.file,
                        field=field,
                    )
                )
        return tuple(sorted(kept, key=lambda i: (i.line or 0, i.columns or (0, 0))))
