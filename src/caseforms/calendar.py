"""Working days, clock hours and calendar months: the arithmetic of every statutory timescale.

The convention (DOMAIN.md, "Timescales") for "within N working days of EVENT":

* a working day is Monday to Friday and not a bank holiday in England and Wales, nor one of the
  partnership's own closure days;
* the EVENT day itself is never counted: the deadline is the Nth working day *after* EVENT,
  whether or not EVENT fell on a working day;
* "N working days before X" counts back the same way: the Nth working day before X.

Bank holidays come from the ``holidays`` package (country GB, subdivision ENG), which follows
GOV.UK's England and Wales list, substitute days and one-off days (2022-06-03, 2022-09-19,
2023-05-08) included. They are never typed in by hand here. The years the working-day index first
covers are shipped as that package wrote them (``profiles/bank_holidays_england_and_wales.tsv``,
rewritten with ``python -m caseforms.calendar``; a test checks it agrees): importing ``holidays``
imports every country it knows, a fifth of a second each Excel click would wait for.
"""

from __future__ import annotations

import bisect
import calendar as _std_calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from caseforms.errors import CalendarError

# The span the working-day index is first built for; it grows on demand for dates outside it.
_FIRST_YEAR = 2000
_LAST_YEAR = 2045
#: The years working days are counted in: far beyond any case, and a bound on the index's size.
FIRST_YEAR = 1900
LAST_YEAR = 2200


#: England and Wales' bank holidays of _FIRST_YEAR to _LAST_YEAR, as the holidays package lists them.
SHIPPED_BANK_HOLIDAYS = Path(__file__).parent / "profiles" / "bank_holidays_england_and_wales.tsv"


@cache
def _bank_holidays_for(first_year: int, last_year: int) -> dict[date, str]:
    if first_year >= _FIRST_YEAR and last_year <= _LAST_YEAR and SHIPPED_BANK_HOLIDAYS.is_file():
        return {d: name for d, name in _shipped_bank_holidays().items() if first_year <= d.year <= last_year}
    return bank_holidays_from_package(first_year, last_year)


def bank_holidays_from_package(first_year: int, last_year: int) -> dict[date, str]:
    """Return England and Wales' bank holidays of the years given, from the ``holidays`` package."""
    import holidays  # imported here: `caseforms --help` must start fast

    table = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return dict(table.items())


@cache
def _shipped_bank_holidays() -> dict[date, str]:
    lines = SHIPPED_BANK_HOLIDAYS.read_text(encoding="utf-8").splitlines()
    return {date.fromisoformat(day): name for day, _, name in (line.partition("\t") for line in lines
                                                                 if line and not line.startswith("#"))}


def write_shipped_bank_holidays() -> Path:
    """Rewrite the shipped bank holidays from the installed ``holidays`` package (after it adds a one-off day)."""
    import holidays

    table = bank_holidays_from_package(_FIRST_YEAR, _LAST_YEAR)
    lines = [f"# England and Wales bank holidays {_FIRST_YEAR}-{_LAST_YEAR}, from the holidays package "
             f"{holidays.__version__}. Rewrite with: python -m caseforms.calendar",
             *(f"{d.isoformat()}\t{name}" for d, name in sorted(table.items()))]
    SHIPPED_BANK_HOLIDAYS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return SHIPPED_BANK_HOLIDAYS


class WorkingCalendar:
    """England and Wales working days, less a partnership's own closure days.

    Build one per profile (it indexes every working day once) and reuse it: each query is then a
    binary search, which is what lets 10,000 case timetables compute in well under a second.
    """

    def __init__(self, closure_days: Iterable[date] = ()) -> None:
        self.closure_days: frozenset[date] = frozenset(closure_days)
        self._first_year = _FIRST_YEAR
        self._last_year = _LAST_YEAR
        self._build()

    def _build(self) -> None:
        holidays_ = _bank_holidays_for(self._first_year, self._last_year)
        start = date(self._first_year, 1, 1).toordinal()
        end = date(self._last_year, 12, 31).toordinal()
        closed = {d.toordinal() for d in holidays_} | {d.toordinal() for d in self.closure_days}
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is 5 or 6 at the weekend.
        self._working = [o for o in range(start, end + 1) if (o - 1) % 7 < 5 and o not in closed]
        self._working_set = frozenset(self._working)
        # Dates strictly inside these bounds need no growth of the index (one year of margin).
        self._safe_low = date(self._first_year + 1, 1, 1)
        self._safe_high = date(self._last_year - 1, 12, 31)

    def _cover(self, *days: date) -> None:
        """Grow the index so that it reaches well past every date given."""
        if all(self._safe_low <= d <= self._safe_high for d in days):
            return
        first = min(self._first_year, *(d.year - 1 for d in days))
        last = max(self._last_year, *(d.year + 2 for d in days))
        first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
        if (first, last) != (self._first_year, self._last_year):
            self._first_year, self._last_year = first, last
            self._build()

    # -- questions about single days -------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Return True when ``day`` is a weekday that is neither a bank holiday nor a closure day."""
        self._cover(day)
        return day.toordinal() in self._working_set

    def bank_holidays(self, first_year: int, last_year: int) -> list[tuple[date, str]]:
        """Return the England and Wales bank holidays of the years given, in date order, with names.

        Only days that fall on a weekday are listed: a holiday on a Saturday or Sunday is replaced
        by a substitute weekday, which is listed in its place.
        """
        table = _bank_holidays_for(first_year, last_year)
        return sorted((d, name) for d, name in table.items() if d.weekday() < 5)

    def closed_days(self, first_year: int, last_year: int) -> list[tuple[date, str]]:
        """Return every weekday that is not a working day in the years given: bank holidays and closures."""
        days = dict(self.bank_holidays(first_year, last_year))
        for d in self.closure_days:
            if first_year <= d.year <= last_year and d.weekday() < 5:
                days.setdefault(d, "Partnership closure day")
        return sorted(days.items())

    # -- arithmetic ------------------------------------------------------------------------

    def add_working_days(self, event: date, n: int) -> date:
        """Return the Nth working day after ``event``, or before it when ``n`` is negative.

        ``event`` itself is never counted, working day or not: from Friday 2024-12-20, 5 working
        days is Tuesday 2024-12-31 (Christmas Day, Boxing Day and the weekends are skipped). With
        ``n == 0`` the event day itself is returned.
        """
        if n == 0:
            return event
        _check_counted(event)
        if not self._safe_low <= event <= self._safe_high or abs(n) > 200:
            # Five working days a week, less holidays: twice the count in calendar days is ample.
            span = min(abs(2 * n) + 14, (date(LAST_YEAR, 12, 31) - date(FIRST_YEAR, 1, 1)).days)
            self._cover(event, _clamped(event.toordinal() + (span if n > 0 else -span)))
        found = self._nth(event, n)
        if found is None and (self._first_year, self._last_year) != (FIRST_YEAR, LAST_YEAR):
            # Closure days can leave fewer working days than expected: look as far as caseforms counts.
            self._first_year, self._last_year = FIRST_YEAR, LAST_YEAR
            self._build()
            found = self._nth(event, n)
        if found is None:
            raise CalendarError(self._beyond(event, n))
        return found

    def _nth(self, event: date, n: int) -> date | None:
        """Return the Nth working day after (before, n < 0) ``event`` in the index, or None past its ends."""
        o = event.toordinal()
        # After: working days on or before the event are behind us, the next one is the first counted.
        at = bisect.bisect_right(self._working, o) + n - 1 if n > 0 else bisect.bisect_left(self._working, o) + n
        return date.fromordinal(self._working[at]) if 0 <= at < len(self._working) else None

    def _beyond(self, event: date, n: int) -> str:
        """Say why the Nth working day cannot be counted: too far, or the closure days close too much."""
        way = "after" if n > 0 else "before"
        limit = f"31/12/{LAST_YEAR}" if n > 0 else f"01/01/{FIRST_YEAR}"
        weekdays = sum(1 for o in range(date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal() + 1)
                       if (o - 1) % 7 < 5)
        if len(self._working) < weekdays // 2:
            return (f"There is no {_ordinal(abs(n))} working day {way} {event:%d/%m/%Y} before {limit}: the profile's "
                    f"closure days ({len(self.closure_days):,} days) close almost every working day. Check closure_days "
                    "in the profile.")
        return (f"{abs(n):,} working days {way} {event:%d/%m/%Y} is beyond {limit}, the furthest caseforms counts "
                "working days. Give a smaller number.")

    def working_days_between(self, start: date, end: date) -> int:
        """Return how many working days lie after ``start`` up to and including ``end``.

        This is the inverse of :meth:`add_working_days` on working days: it counts the half-open
        interval (start, end]. When ``end`` is before ``start`` the count is negative: minus the
        working days in (end, start]. A deadline today gives 0; a deadline yesterday gives -1 when
        yesterday was a working day.
        """
        if end < start:
            return -self.working_days_between(end, start)
        _check_counted(start)
        _check_counted(end)
        self._cover(start, end)
        lo = bisect.bisect_right(self._working, start.toordinal())
        hi = bisect.bisect_right(self._working, end.toordinal())
        return hi - lo

    def process_day(self, event: date, day: int) -> date:
        """Return "Day N" of a timetable in which Day 1 is the day of ``event``.

        Some partnerships number the days of a Rapid Review from the day the notification is
        received (Cumbria, 001_dbc9e6e00bcb128e.txt; Lincolnshire, 004 Appendix C). Day 1 is the
        event day when it is a working day, otherwise the first working day after it; Day N is the
        (N - 1)th working day after Day 1.
        """
        if day < 1:
            raise CalendarError(f"process days are numbered from 1 (Day 1), not {day}")
        first = event if self.is_working_day(event) else self.add_working_days(event, 1)
        return self.add_working_days(first, day - 1)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _check_counted(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CalendarError(f"{day:%d/%m/%Y} is outside the years caseforms counts working days in ({FIRST_YEAR} to "
                            f"{LAST_YEAR}). Check the year.")


def _clamped(ordinal: int) -> date:
    low, high = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
    return date.fromordinal(min(max(ordinal, low), high))


def add_hours(moment: datetime, hours: int) -> datetime:
    """Return ``moment`` plus ``hours`` clock hours (negative hours count back)."""
    return moment + timedelta(hours=hours)


def add_months(day: date, months: int) -> date:
    """Return the same day of the month ``months`` calendar months later (earlier when negative).

    A day that the target month does not have is clamped to that month's last day: one month
    after 31 January is 28 or 29 February; six months after 31 August is 28 or 29 February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise CalendarError(f"{abs(months):,} months {'after' if months >= 0 else 'before'} {day:%d/%m/%Y} is not a date "
                            "a calendar has. Check the number of months.")
    last = _std_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


if __name__ == "__main__":
    print(f"Wrote {write_shipped_bank_holidays()}")
