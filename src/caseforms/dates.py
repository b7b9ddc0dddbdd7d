"""Dates and times typed by people: parsed once, at the edge, the English way.

Accepted: ISO (``2025-02-03``, ``2025-02-03T09:30``, ``2025-02-03 09:30``) and UK day-first
(``03/02/2025``, ``3/2/2025``, ``03/02/2025 09:30``). Never US month-first order: ``02/13/2025``
is refused with a message saying so, and a two-digit year is refused because its century is a
guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from caseforms.errors import DateInputError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})(?: (\d{1,2}):(\d{2}))?$")

FORMATS_HINT = "Write dates as dd/mm/yyyy (e.g. 31/12/2024) or yyyy-mm-dd (e.g. 2024-12-31)."


def parse_moment(text: str, what: str = "date") -> date | datetime:
    """Return the date, or date and time when one is given, that ``text`` names.

    ``what`` names the value in the error message ("aware", "--today").
    """
    raw = text.strip()
    m = _ISO.match(raw)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        return _build(raw, what, year, month, day, m[4], m[5])
    m = _UK.match(raw)
    if m:
        day, month, year_text = int(m[1]), int(m[2]), m[3]
        if len(year_text) != 4:
            raise DateInputError(
                f"{what}: '{raw}' has a {len(year_text)}-digit year. Write the year in full, e.g. "
                f"{day:02d}/{month:02d}/20{year_text[-2:]}."
            )
        if month > 12 and day <= 12:
            raise DateInputError(
                f"{what}: '{raw}' looks like a US date (month first). caseforms reads day/month/year: "
                f"write {month:02d}/{day:02d}/{year_text}."
            )
        return _build(raw, what, int(year_text), month, day, m[4], m[5])
    raise DateInputError(f"{what}: '{raw}' is not a date caseforms can read. {FORMATS_HINT}")


def parse_date(text: str, what: str = "date") -> date:
    """Return the date ``text`` names; a time, if given, is refused."""
    value = parse_moment(text, what)
    if isinstance(value, datetime):
        raise DateInputError(f"{what}: '{text.strip()}' has a time; give the date alone.")
    return value


def _build(
    raw: str, what: str, year: int, month: int, day: int, hour: str | None, minute: str | None
) -> date | datetime:
    try:
        day_value = date(year, month, day)
    except ValueError:
        raise DateInputError(
            f"{what}: '{raw}' is not a real date ({_why_not(year, month, day)}). {FORMATS_HINT}"
        ) from None
    if hour is None or minute is None:
        return day_value
    h, mi = int(hour), int(minute)
    if h > 23 or mi > 59:
        raise DateInputError(f"{what}: '{raw}' has a time that does not exist; use 24-hour hh:mm.")
    return datetime(year, month, day, h, mi)


def _why_not(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    import calendar

    last = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {last} days"


def format_uk(value: date | datetime) -> str:
    """Return ``value`` as an officer writes it: ``Tue 31/12/2024`` or ``Tue 31/12/2024 09:00``."""
    text = value.strftime("%a %d/%m/%Y")
    if isinstance(value, datetime):
        text += value.strftime(" %H:%M")
    return text
