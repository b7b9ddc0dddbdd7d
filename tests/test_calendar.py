"""Working days, hours and months, checked against examples worked out by hand on a calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseforms.calendar import WorkingCalendar, add_hours, add_months

CAL = WorkingCalendar()


def assert_nth(event: str, n: int, expected: str, calendar: WorkingCalendar = CAL) -> None:
    got = calendar.add_working_days(date.fromisoformat(event), n)
    assert got == date.fromisoformat(expected), f"{n} working days from {event}: got {got}, expected {expected}"


@pytest.mark.parametrize(
    ("event", "n", "expected", "why"),
    [
        ("2024-12-20", 5, "2024-12-31", "the brief's example: Friday before Christmas, notification due Tuesday 31st"),
        ("2024-12-24", 5, "2025-01-03", "Christmas, Boxing Day and New Year's Day skipped"),
        ("2020-12-24", 2, "2020-12-30", "Boxing Day on a Saturday: substitute Monday 28th"),
        ("2021-12-24", 1, "2021-12-29", "Christmas and Boxing Day at the weekend: both substitute days skipped"),
        ("2024-03-28", 1, "2024-04-02", "Good Friday and Easter Monday"),
        ("2022-06-01", 1, "2022-06-06", "spring bank holiday moved and the Platinum Jubilee"),
        ("2022-09-16", 1, "2022-09-20", "the Queen's state funeral, Monday 19 September 2022"),
        ("2023-05-05", 1, "2023-05-09", "the coronation, Monday 8 May 2023"),
        ("2020-05-07", 1, "2020-05-11", "VE Day: the early May bank holiday moved to Friday 8 May 2020"),
        ("2026-12-24", 1, "2026-12-29", "Boxing Day 2026 on a Saturday: substitute Monday 28th"),
        ("2024-12-21", 5, "2024-12-31", "event on a Saturday: the weekend is not counted"),
        ("2025-03-02", 1, "2025-03-03", "event on a Sunday"),
        ("2024-12-25", 1, "2024-12-27", "event on Christmas Day"),
        ("2025-04-18", 1, "2025-04-22", "event on Good Friday"),
        ("2025-01-06", 15, "2025-01-27", "a Rapid Review from a Monday notification"),
        ("2024-12-31", 0, "2024-12-31", "n = 0 is the event day itself"),
        ("2024-12-28", 0, "2024-12-28", "n = 0 even on a weekend"),
    ],
)
def test_nth_working_day_after(event: str, n: int, expected: str, why: str) -> None:
    assert_nth(event, n, expected)


@pytest.mark.parametrize(
    ("event", "n", "expected", "why"),
    [
        ("2025-01-03", -5, "2024-12-24", "back across New Year and Christmas"),
        ("2025-09-02", -7, "2025-08-21", "7 working days before publication, across the summer bank holiday"),
        ("2025-03-02", -1, "2025-02-28", "back from a Sunday"),
        ("2025-04-22", -1, "2025-04-17", "back across Easter Monday and Good Friday"),
        ("2022-09-20", -1, "2022-09-16", "back across the state funeral"),
    ],
)
def test_nth_working_day_before(event: str, n: int, expected: str, why: str) -> None:
    assert_nth(event, n, expected)


def test_closure_days_are_skipped_like_bank_holidays() -> None:
    closed = WorkingCalendar({date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)})
    assert_nth("2025-12-23", 5, "2026-01-07", closed)
    assert_nth("2025-12-23", 5, "2026-01-02", CAL)
    assert not closed.is_working_day(date(2025, 12, 30))
    assert CAL.is_working_day(date(2025, 12, 30))


def test_is_working_day() -> None:
    assert CAL.is_working_day(date(2024, 12, 20))
    assert not CAL.is_working_day(date(2024, 12, 21))  # Saturday
    assert not CAL.is_working_day(date(2024, 12, 26))  # Boxing Day
    assert not CAL.is_working_day(date(2023, 5, 8))  # coronation


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert CAL.working_days_between(date(2024, 12, 20), date(2024, 12, 31)) == 5
    assert CAL.working_days_between(date(2024, 12, 31), date(2024, 12, 20)) == -5
    assert CAL.working_days_between(date(2025, 1, 6), date(2025, 1, 6)) == 0
    assert CAL.working_days_between(date(2025, 1, 4), date(2025, 1, 5)) == 0  # a weekend


def test_process_day_counts_the_event_day_as_day_one() -> None:
    assert CAL.process_day(date(2025, 1, 6), 1) == date(2025, 1, 6)
    assert CAL.process_day(date(2025, 1, 6), 15) == date(2025, 1, 24)
    # Notification received on a Saturday: Day 1 is the Monday.
    assert CAL.process_day(date(2025, 1, 4), 1) == date(2025, 1, 6)
    assert CAL.process_day(date(2025, 1, 4), 15) == date(2025, 1, 24)
    with pytest.raises(ValueError, match="numbered from 1"):
        CAL.process_day(date(2025, 1, 6), 0)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-15", 6, "2025-07-15"),
        ("2025-08-31", 6, "2026-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-10-31", 2, "2025-12-31"),
        ("2025-11-30", 3, "2026-02-28"),
    ],
)
def test_calendar_months_clamp_to_the_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_clock_hours_cross_midnight_and_clock_changes_as_plain_hours() -> None:
    assert add_hours(datetime(2025, 3, 1, 14, 30), 24) == datetime(2025, 3, 2, 14, 30)
    assert add_hours(datetime(2025, 3, 1, 14, 30), -48) == datetime(2025, 2, 27, 14, 30)


def test_bank_holidays_listed_for_the_register_are_weekdays_with_names() -> None:
    days = dict(CAL.bank_holidays(2022, 2023))
    assert days[date(2022, 9, 19)].startswith("State Funeral")
    assert date(2023, 5, 8) in days
    assert date(2022, 12, 25) not in days  # a Sunday: its substitute is listed instead
    assert date(2022, 12, 27) in days


def test_dates_far_from_today_still_count() -> None:
    assert_nth("1998-12-24", 1, "1998-12-29")
    assert_nth("2060-12-24", 1, "2060-12-29")


def _naive_add(event: date, n: int, closed: set[date]) -> date:
    step = 1 if n > 0 else -1
    day, left = event, abs(n)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5 and day not in closed:
            left -= 1
    return day


_CLOSED = set(holidays.country_holidays("GB", subdiv="ENG", years=range(2014, 2040)))


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2037, 12, 31)), st.integers(min_value=-40, max_value=40))
def test_index_agrees_with_stepping_day_by_day(event: date, n: int) -> None:
    expected = event if n == 0 else _naive_add(event, n, _CLOSED)
    assert CAL.add_working_days(event, n) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2037, 12, 31)), st.integers(min_value=1, max_value=40))
def test_counting_back_from_the_deadline_gives_n(event: date, n: int) -> None:
    due = CAL.add_working_days(event, n)
    assert CAL.working_days_between(event, due) == n
