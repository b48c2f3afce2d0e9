"""The Issue: one located finding about data, shared by reading, writing, finalising and validation.

Modelled on frictionless' error objects: a stable rule ID, a severity and a precise location, so reports for
people (text), machines (JSON/CSV) and CI (JUnit) can all be rendered from the same objects.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

__all__ = ["PERSONAL_HIDDEN", "Issue", "Severity", "worst_severity"]

#: What a personal value (name, address, date of birth, phone, email, USI …) is shown as wherever an Issue, a
#: report or an error message would otherwise print it: one wording for the reader, the writer and the reports.
PERSONAL_HIDDEN = "<personal data hidden>"


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst; the string value is what reports print."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: expected one of info, warning, error") from None


@attrs.frozen(kw_only=True)
class Issue:
    """A located finding.

    ``line`` is 1-based within ``file``; ``columns`` is the 1-based inclusive character span of ``field``.
    ``value`` is the raw text found (``None`` when the finding is not about one value).
    ``client_id`` identifies the row for people without showing personal data.
    """

    rule_id: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    columns: tuple[int, int] | None = None
    field: str | None = None
    value: str | None = None
    client_id: str | None = None
    avs_number: str | None = None

    def location(self) -> str:
        """``FILE:LINE:COL-COL field`` — the form editors and CI logs understand."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.columns is not None:
                parts.append(f"{self.columns[0]}-{self.columns[1]}")
        where = ":".join(parts)
        return f"{where} {self.field}" if self.field else where

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity.label} {self.rule_id}: {self.message}"


def worst_severity(issues: Iterable[Issue]) -> Severity | None:
    """The highest severity among ``issues``, or ``None`` when there are none."""
    return max((i.severity for i in issues), default=None)
