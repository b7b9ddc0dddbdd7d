"""Read the date and time of a chronology entry the English way, whatever the agency typed.

Accepted: real date and date-time cells; Excel date numbers (serials) in cells not formatted as
dates; ``dd/mm/yyyy``, ``d/m/yy`` (also with ``.`` or ``-``); ISO ``yyyy-mm-dd`` with or without a
time; ``yyyymmdd``; named months ("3rd February 2025", "3 Feb 2025", "Mon 3 Feb 25",
"February 3rd, 2025", "03-Feb-2025"); a time after the date or in its own column ("09:30",
"9.30am", "0930hrs"). A month alone ("Feb 2025", "early February 2025") or a year alone ("2019",
"summer 2019") is kept as an approximate date, placed at the start of that month or year. A range
("03/02/2025 - 05/02/2025") is placed at its start and noted.

Never US order: ``02/13/2025`` is a finding ("looks like month-first order"), not 13 February; and
``31/02/2025`` is a finding, never rolled over into March. Numbers are read day first, always:
``03/02/2025`` is 3 February. A two-digit year is read as 20yy unless that would be more than a
year ahead of today, then 19yy (a parent's date of birth, "04/07/88").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

Precision = Literal["day", "month", "year"]

_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

_WEEKDAYS = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?"
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TIME = (
    r"(?:\s*(?:at|@|,|-)?\s*(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?\s*(?:hrs|hours|h)?)?"
)
_TIME_HHMM = r"(?:\s*(?:at|@|,)?\s*(?P<hhmm>\d{4})\s*(?:hrs|hours|h)?)"

_ISO = re.compile(
    r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
    r"(?:[tT ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?(?:[zZ]|[+-]\d{2}:?\d{2})?)?$"
)
_NUMERIC = re.compile(r"^(?P<day>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4}|\d{2})(?P<rest>.*)$")
_DAY_MONTH_NAME = re.compile(
    rf"^(?:{_WEEKDAYS}\.?,?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]*{_MONTH}\.?,?[\s\-/.]*(?P<year>\d{{4}}|\d{{2}})(?P<rest>.*)$"
)
_MONTH_NAME_DAY = re.compile(
    rf"^(?:{_WEEKDAYS}\.?,?\s+)?{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?P<rest>.*)$"
)
_MONTH_ONLY = re.compile(rf"^{_MONTH}\.?,?[\s\-/.]*(?P<year>\d{{4}}|'?\d{{2}})$")
_NUMERIC_MONTH_ONLY = re.compile(r"^(?P<month>\d{1,2})/(?P<year>\d{4})$")
_YEAR_ONLY = re.compile(r"^(?P<year>(?:19|20)\d{2})$")
_YYYYMMDD = re.compile(r"^(?P<year>(?:19|20)\d{2})(?P<month>\d{2})(?P<day>\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_LEADING_DATE = re.compile(r"^(?P<date>\d{1,2}([/.-])\d{1,2}\2(?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?![\d/.:-])")
_TIME_ALONE = re.compile(rf"^{_TIME}$|^{_TIME_HHMM}$")
_HEDGE = re.compile(r"^(?:approx(?:imately)?\.?|circa|c\.|c|ca\.|around|about|est(?:imated)?\.?|on or about|on or around)\s+")
_PART_OF_PERIOD = re.compile(r"^(?:early|mid|late|end of|start of|beginning of|spring|summer|autumn|fall|winter)\s*-?\s*")
_RANGE = re.compile(r"^(?P<start>.+?)\s+(?:-|–|—|to|until|till)\s+(?P<end>.+)$")
_UNKNOWN = re.compile(r"^(?:n/?k|n/?a|unknown|not known|tbc|\?+|-+|various|ongoing|date unknown)$")


@dataclass(frozen=True)
class EntryDate:
    """When an entry happened, as far as its cells say.

    ``day`` is the date (the first day of the month or year for an approximate one); ``precision``
    says how much of it is known; ``problem`` says, in an officer's words, why a date that was
    written could not be read (``day`` is then None); ``note`` remarks on a date that was read
    but deserves a look (a range, a hedge, a time that could not be read).
    """

    day: date | None = None
    time: time | None = None
    precision: Precision | None = None
    problem: str | None = None
    note: str | None = None

    @property
    def is_dated(self) -> bool:
        return self.day is not None

    @property
    def last_day(self) -> date | None:
        """Return the last day the entry may have happened on (end of the month or year when approximate)."""
        if self.day is None:
            return None
        if self.precision == "month":
            return self.day.replace(day=calendar.monthrange(self.day.year, self.day.month)[1])
        if self.precision == "year":
            return self.day.replace(month=12, day=31)
        return self.day

    def sort_key(self) -> tuple[int, int, int, int]:
        """Return a key putting approximate dates before exact ones of the same first day, untimed before timed."""
        if self.day is None:
            return (10**7, 0, 0, 0)
        t = self.time
        return (
            self.day.toordinal(),
            _PRECISION_RANK[self.precision or "day"],
            0 if t is None else 1,
            0 if t is None else t.hour * 3600 + t.minute * 60 + t.second,
        )


def read_entry_date(value: Any, time_value: Any = None, *, today: date | None = None) -> EntryDate:
    """Return when an entry happened from its Date cell and, if the return has one, its Time cell.

    Empty Date -> an undated EntryDate with no problem (the caller decides whether that matters).
    A time in the Time column wins over none in the Date cell; when both give different times
    the Date cell's is kept and noted.
    """
    today = today or date.today()
    when = _read_date_value(value, today)
    if time_value is None or (isinstance(time_value, str) and not time_value.strip()):
        return when
    t, problem = read_time(time_value)
    if problem:
        note = _join(when.note, f"Time {problem}")
        return EntryDate(when.day, when.time, when.precision, when.problem, note)
    if t is None or when.day is None:
        return EntryDate(when.day, when.time if when.day else None, when.precision, when.problem, when.note)
    if when.time is not None and when.time != t:
        note = _join(when.note, f"the Date cell says {when.time:%H:%M} and the Time cell {t:%H:%M}; {when.time:%H:%M} used")
        return EntryDate(when.day, when.time, when.precision, when.problem, note)
    return EntryDate(when.day, t, when.precision, when.problem, when.note)


def read_time(value: Any) -> tuple[time | None, str | None]:
    """Return the time a Time cell names, or why it cannot be read; (None, None) when it is empty."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0), None
    if isinstance(value, time):
        return value.replace(microsecond=0), None
    if isinstance(value, timedelta):
        if timedelta(0) <= value < timedelta(days=1):
            return _time_from_fraction(value.total_seconds() / 86400), None
        return None, f"'{value}' is not a time of day"
    if isinstance(value, bool):
        return None, f"'{value}' is not a time"
    if isinstance(value, (int, float)):
        if 0 <= value < 1:
            return _time_from_fraction(float(value)), None
        return None, f"'{_number_text(value)}' is not a time of day"
    text = _clean(str(value))
    if not text or _UNKNOWN.match(text):
        return None, None
    text = _HEDGE.sub("", text)
    m = _TIME_ALONE.match(text)
    if not m:
        return None, f"'{str(value).strip()}' is not a time caseforms can read (write 24-hour hh:mm, e.g. 14:30)"
    t = _time_from_match(m)
    if t is None:
        return None, f"'{str(value).strip()}' is not a time caseforms can read (write 24-hour hh:mm, e.g. 14:30)"
    return t, None


# -- the date cell --------------------------------------------------------------------------------


def _read_date_value(value: Any, today: date) -> EntryDate:
    if value is None:
        return EntryDate()
    if isinstance(value, datetime):
        return EntryDate(value.date(), value.time().replace(microsecond=0), "day")
    if isinstance(value, date):
        return EntryDate(value, None, "day")
    if isinstance(value, time):
        return EntryDate(problem=f"has a time ({value:%H:%M}) but no date")
    if isinstance(value, timedelta):
        return EntryDate(problem=f"'{value}' is a length of time, not a date (the cell is formatted as a duration)")
    if isinstance(value, bool):
        return EntryDate(problem=f"'{str(value).upper()}' is not a date")
    if isinstance(value, (int, float)):
        return _from_number(value)
    raw = str(value)
    text = _clean(raw)
    if not text:
        return EntryDate()
    return _from_text(text, raw.strip(), today)


def _from_number(value: float) -> EntryDate:
    if float(value).is_integer() and 1900 <= value <= 2100:
        return EntryDate(date(int(value), 1, 1), None, "year", note=f"only the year {int(value)} is given")
    return _from_serial(float(value), _number_text(value))


def _from_serial(serial: float, shown: str) -> EntryDate:
    # Excel's 1900 date system; 60 is the 29 February 1900 that never was, so day 61 is 1 March.
    if not 1 <= serial < 2958466:
        return EntryDate(problem=f"'{shown}' is a number, not a date")
    whole = int(serial)
    if whole == 60:
        return EntryDate(problem=f"'{shown}' is Excel's 29/02/1900, a date that does not exist")
    base = date(1899, 12, 31) if whole < 60 else date(1899, 12, 30)
    day = base + timedelta(days=whole)
    if not 1920 <= day.year <= 2100:
        # A small number in a Date cell is a typing slip, not a date in the reign of George V.
        return EntryDate(problem=f"'{shown}' is a number, not a date")
    fraction = serial - whole
    t = _time_from_fraction(fraction) if fraction > 0 else None
    return EntryDate(day, t, "day", note=f"the cell holds the Excel date number {shown}, read as {day:%d/%m/%Y}")


def _from_text(text: str, raw: str, today: date) -> EntryDate:
    if _UNKNOWN.match(text):
        return EntryDate(problem=f"'{raw}' does not give a date")
    hedge = _HEDGE.match(text)
    if hedge:
        found = _from_text(text[hedge.end():], raw, today)
        if found.day is not None:
            note = _join("the date is given as approximate", found.note)
            return EntryDate(found.day, found.time, found.precision, found.problem, note)
        return found
    exact = _exact(text, raw, today)
    if exact is not None:
        return exact
    m = _RANGE.match(text)
    if m:
        start = _exact(m["start"], raw, today) or _approximate(m["start"])
        end = _exact(m["end"], raw, today) or _approximate(m["end"])
        if start is not None and start.day is not None and end is not None and end.day is not None:
            return EntryDate(start.day, start.time, start.precision, None, "a period: placed at its start")
        # "3 - 5 February 2025": the start borrows the end's month and year.
        if end is not None and end.day is not None and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", m["start"].strip()):
            try:
                first = end.day.replace(day=int(re.sub(r"\D", "", m["start"])))
            except ValueError:
                first = None
            if first is not None and first <= end.day:
                return EntryDate(first, None, "day", None, "a period: placed at its start")
    approx = _approximate(text)
    if approx is not None:
        return approx
    m = _LEADING_DATE.match(text)
    if m:
        leading = _exact(m["date"], raw, today)
        if leading is not None and leading.day is not None:
            return EntryDate(leading.day, leading.time, leading.precision, None, "the date is read from the start of the cell")
        if leading is not None:
            return leading
    return EntryDate(problem=f"'{raw}' is not a date caseforms can read (write dd/mm/yyyy, e.g. 03/02/2025)")


def _exact(text: str, raw: str, today: date) -> EntryDate | None:
    """Return the entry date for a fully written date (with an optional time), a finding, or None."""
    m = _ISO.match(text)
    if m:
        return _build(raw, int(m["year"]), int(m["month"]), int(m["day"]), m if m["hour"] else None, numeric=False)
    m = _NUMERIC.match(text)
    if m:
        time_match = _time_in(m["rest"])
        if time_match is False:
            return None
        year = _full_year(m["year"], today)
        built = _build(raw, year, int(m["month"]), int(m["day"]), time_match, numeric=True)
        return _two_digit_year(built, m["year"], year)
    for pattern in (_DAY_MONTH_NAME, _MONTH_NAME_DAY):
        m = pattern.match(text)
        if m:
            time_match = _time_in(m["rest"])
            if time_match is False:
                return None
            year = _full_year(m["year"], today)
            built = _build(raw, year, MONTHS[m["month"]], int(m["day"]), time_match, numeric=False)
            return _two_digit_year(built, m["year"], year)
    m = _YYYYMMDD.match(text)
    if m:
        return _build(raw, int(m["year"]), int(m["month"]), int(m["day"]), None, numeric=False)
    if _SERIAL.match(text):
        return _from_serial(float(text), text)
    return None


def _approximate(text: str) -> EntryDate | None:
    part = _PART_OF_PERIOD.match(text)
    rest = text[part.end():] if part else text
    m = _MONTH_ONLY.match(rest)
    if m:
        year = _full_year(m["year"].lstrip("'"), date.today())
        return EntryDate(date(year, MONTHS[m["month"]], 1), None, "month", note="only the month is given")
    m = _NUMERIC_MONTH_ONLY.match(rest)
    if m and 1 <= int(m["month"]) <= 12:
        return EntryDate(date(int(m["year"]), int(m["month"]), 1), None, "month", note="only the month is given")
    m = _YEAR_ONLY.match(rest)
    if m:
        return EntryDate(date(int(m["year"]), 1, 1), None, "year", note="only the year is given")
    return None


def _build(raw: str, year: int, month: int, day: int, time_match: Any, *, numeric: bool) -> EntryDate:
    if not 1 <= month <= 12:
        if numeric and 1 <= day <= 12 and month <= 31:
            return EntryDate(
                problem=(
                    f"'{raw}' is not a real date: there is no month {month}. It looks like month-first (US) "
                    f"order; caseforms reads day/month/year. If it is {calendar.month_name[day]} {month}, "
                    f"write {month:02d}/{day:02d}/{year}"
                )
            )
        return EntryDate(problem=f"'{raw}' is not a real date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return EntryDate(
            problem=f"'{raw}' is not a real date: {calendar.month_name[month]} {year} has {last} days"
        )
    t = _time_from_match(time_match) if time_match else None
    if time_match and t is None:
        return EntryDate(date(year, month, day), None, "day", note=f"the time in '{raw}' is not a real time; date kept")
    return EntryDate(date(year, month, day), t, "day")


def _time_in(rest: str) -> Any:
    """Return a match for the time after a date, None when there is none, False when the rest is not a time."""
    rest = rest.strip()
    if not rest:
        return None
    return _TIME_ALONE.match(rest) or False


def _time_from_match(m: Any) -> time | None:
    groups = m.groupdict()
    if groups.get("hhmm"):
        hour, minute, second = int(groups["hhmm"][:2]), int(groups["hhmm"][2:]), 0
        ampm = None
    elif groups.get("hour") is not None:
        hour = int(groups["hour"])
        minute = int(groups["minute"] or 0)
        second = int(groups.get("second") or 0)
        ampm = (groups.get("ampm") or "").replace(".", "")
        if not groups.get("minute") and not ampm:
            return None  # "9" alone is not a time
    else:
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _time_from_fraction(fraction: float) -> time:
    seconds = round(fraction * 86400)
    if seconds >= 86400:
        seconds = 86399
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _two_digit_year(found: EntryDate, written: str, year: int) -> EntryDate:
    """Note a year written with two digits: '03/03/26' is read as 2026, but the reader should know it was a guess."""
    if len(written) != 2 or found.day is None:
        return found
    return EntryDate(found.day, found.time, found.precision, found.problem,
                     _join(f"the year is written '{written}', read as {year}", found.note))


def _full_year(text: str, today: date) -> int:
    if len(text) == 4:
        return int(text)
    yy = int(text)
    return 2000 + yy if 2000 + yy <= today.year + 1 else 1900 + yy


def _clean(text: str) -> str:
    """Return text lower-cased with spacing collapsed and the commas people put after weekdays kept simple."""
    return " ".join(text.replace("\u00a0", " ").split()).lower().rstrip(".")


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _join(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return "; ".join(parts) if parts else None
