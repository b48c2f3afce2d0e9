"""The collection period and what "in the future" means for it: one definition for the validator and the finaliser.

A collection is *final* (the period as it closed) or *interim* (a preliminary run during the period). Rules about
the future (V-120-03, V-120-07, V-120-08, V-120-09, V-120-11, P-01) and the finaliser, which must place a unit
that has not started "in the future" so that V-120-08 holds, read the same horizon from :func:`future_after`:

- at a **final** collection, every date after the period end is in the future;
- at an **interim** collection, every date after the reporting date when one is given, else after the period end.

Pure: no clock. The reporting date is an argument ("today" for the caller).
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.errors import UsageError, UsageTypeError

__all__ = ["FUTURE", "Period", "first_future_day", "future_after", "parse_period"]

#: What "in the future" means, quoted in the messages of the rules that use it.
FUTURE = "future = after the period end; at an interim collection after the reporting date when given"

_ONE_DAY = datetime.timedelta(days=1)


@attrs.frozen
class Period:
    """A collection period: inclusive dates. ``Period.year(2026)`` is the national calendar-year collection."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def parse_period(value: Period | int | str | None) -> Period | None:
    """``2026`` / ``"2026"`` → the calendar year; ``"2026-01-01:2026-06-30"`` → those inclusive dates."""
    if value is None or isinstance(value, Period):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise UsageTypeError(
            f"period must be a year (2026), 'FROM:TO' dates or a Period, not {type(value).__name__} {value!r:.40}"
        )
    if isinstance(value, int):
        if not 1 <= value <= 9999:
            raise UsageError(f"bad period {value!r:.40}: a year from 1 to 9999 (e.g. 2026)")
        return Period.year(value)
    text = value.strip()
    try:
        if ":" in text:
            start, end = (datetime.date.fromisoformat(p.strip()) for p in text.split(":", 1))
            if end < start:
                raise UsageError(f"period {text!r} ends before it starts")
            return Period(start, end)
        if not (len(text) == 4 and text.isdigit()):
            raise ValueError(text)
        return Period.year(int(text))
    except UsageError:
        raise
    except ValueError:
        raise UsageError(
            f"bad period {value!r:.60}: expected a year (2026) or FROM:TO dates (2026-01-01:2026-06-30)"
        ) from None


def future_after(
    period: Period | None, *, interim: bool = False, reporting_date: datetime.date | None = None
) -> datetime.date | None:
    """The last date that is *not* in the future for this collection; ``None`` without a period.

    Final collection: the period end. Interim collection: the reporting date when given, else the period end.
    """
    if period is None:
        return None
    if interim and reporting_date is not None:
        return reporting_date
    return period.end


def first_future_day(
    period: Period | None, *, interim: bool = False, reporting_date: datetime.date | None = None
) -> datetime.date | None:
    """The first date that is in the future for this collection (the day after :func:`future_after`).

    ``None`` without a period, or when the horizon is 9999-12-31 (no later date exists).
    """
    horizon = future_after(period, interim=interim, reporting_date=reporting_date)
    if horizon is None or horizon == datetime.date.max:
        return None
    return horizon + _ONE_DAY
