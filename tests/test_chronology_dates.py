"""Reading a chronology entry's date the English way: day first always, impossible dates reported, never guessed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from caseforms.chronology.english_dates import EntryDate, read_entry_date, read_time

TODAY = date(2025, 6, 1)


def assert_read(value: object, day: date, at: time | None = None, precision: str = "day") -> EntryDate:
    when = read_entry_date(value, today=TODAY)
    assert when.problem is None, when.problem
    assert (when.day, when.time, when.precision) == (day, at, precision), f"{value!r} read as {when}"
    return when


@pytest.mark.parametrize(
    ("typed", "day", "at"),
    [
        ("03/02/2025", date(2025, 2, 3), None),
        ("3/2/25", date(2025, 2, 3), None),
        ("03.02.2025", date(2025, 2, 3), None),
        ("3-2-2025", date(2025, 2, 3), None),
        ("2025-02-03", date(2025, 2, 3), None),
        ("2025-02-03T09:30:00", date(2025, 2, 3), time(9, 30)),
        ("03/02/2025 09:30", date(2025, 2, 3), time(9, 30)),
        ("03/02/2025 9.30pm", date(2025, 2, 3), time(21, 30)),
        ("03/02/2025 0930hrs", date(2025, 2, 3), time(9, 30)),
        ("3rd February 2025", date(2025, 2, 3), None),
        ("3 Feb 2025", date(2025, 2, 3), None),
        ("Monday 3rd February 2025", date(2025, 2, 3), None),
        ("Mon, 3 Feb 25", date(2025, 2, 3), None),
        ("February 3rd, 2025", date(2025, 2, 3), None),
        ("03-Feb-2025", date(2025, 2, 3), None),
        ("3rd of February 2025 at 14:05", date(2025, 2, 3), time(14, 5)),
        ("3 Sept 2024", date(2024, 9, 3), None),
        ("20250203", date(2025, 2, 3), None),
        ("  3/2/2025  ", date(2025, 2, 3), None),
        ("04/07/88", date(1988, 7, 4), None),
    ],
)
def test_typed_dates_are_read_day_first(typed: str, day: date, at: time | None) -> None:
    assert_read(typed, day, at)


def test_the_day_first_reading_never_swaps_a_valid_date() -> None:
    # 03/02 is 3 February, never 2 March, even though both exist.
    assert_read("03/02/2025", date(2025, 2, 3))
    assert_read("12/01/2025", date(2025, 1, 12))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("02/13/2025", "month-first (US) order"),
        ("31/02/2025", "February 2025 has 28 days"),
        ("29/02/2023", "February 2023 has 28 days"),
        ("13/13/2025", "there is no month 13"),
        ("unknown", "does not give a date"),
        ("next week", "not a date caseforms can read"),
    ],
)
def test_a_date_that_is_not_real_is_a_finding_not_a_guess(typed: str, says: str) -> None:
    when = read_entry_date(typed, today=TODAY)
    assert when.day is None
    assert when.problem is not None and says in when.problem
    assert typed.strip() in when.problem  # the officer sees what the agency typed


def test_month_and_year_alone_are_kept_as_approximate_dates() -> None:
    assert_read("Feb 2025", date(2025, 2, 1), precision="month")
    assert_read("early February 2025", date(2025, 2, 1), precision="month")
    assert_read("02/2025", date(2025, 2, 1), precision="month")
    assert_read("2019", date(2019, 1, 1), precision="year")
    assert_read("summer 2019", date(2019, 1, 1), precision="year")
    when = assert_read("approx March 2024", date(2024, 3, 1), precision="month")
    assert when.note and "approximate" in when.note
    assert when.last_day == date(2024, 3, 31)


def test_a_period_is_placed_at_its_start_and_noted() -> None:
    when = assert_read("03/02/2025 - 05/02/2025", date(2025, 2, 3))
    assert when.note and "period" in when.note
    assert_read("3 - 5 February 2025", date(2025, 2, 3))


def test_real_date_cells_serials_and_numbers() -> None:
    assert_read(date(2025, 2, 3), date(2025, 2, 3))
    assert_read(datetime(2025, 2, 3, 9, 30), date(2025, 2, 3), time(9, 30))
    when = assert_read(45691.0, date(2025, 2, 3))  # an Excel date number in a General cell
    assert when.note and "45691" in when.note
    assert_read(45691.375, date(2025, 2, 3), time(9, 0))
    assert_read("45691", date(2025, 2, 3))
    assert_read(2019, date(2019, 1, 1), precision="year")
    assert read_entry_date(3.5, today=TODAY).problem == "'3.5' is a number, not a date"
    assert read_entry_date(60, today=TODAY).problem is not None  # Excel's 29/02/1900
    assert read_entry_date(time(9, 30), today=TODAY).problem == "has a time (09:30) but no date"
    assert read_entry_date(timedelta(days=3), today=TODAY).problem is not None
    assert read_entry_date(True, today=TODAY).problem is not None


def test_empty_is_undated_without_a_problem() -> None:
    for empty in (None, "", "   "):
        assert read_entry_date(empty, today=TODAY) == EntryDate()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09:30", time(9, 30)), ("9:30", time(9, 30)), ("9.30", time(9, 30)), ("0930", time(9, 30)),
        ("9:30am", time(9, 30)), ("9am", time(9, 0)), ("12pm", time(12, 0)), ("12am", time(0, 0)),
        ("14:05:00", time(14, 5)), ("0930hrs", time(9, 30)), ("approx 14:00", time(14, 0)),
        (0.375, time(9, 0)), (time(9, 30), time(9, 30)), (datetime(1899, 12, 31, 22, 40), time(22, 40)),
    ],
)
def test_time_column(typed: object, expected: time) -> None:
    assert read_time(typed) == (expected, None)


def test_time_column_joins_the_date_and_a_bad_time_is_noted() -> None:
    when = read_entry_date("03/02/2025", "14:30", today=TODAY)
    assert (when.day, when.time) == (date(2025, 2, 3), time(14, 30))
    when = read_entry_date("03/02/2025", "25:00", today=TODAY)
    assert when.day == date(2025, 2, 3) and when.time is None and when.note and "25:00" in when.note
    when = read_entry_date("03/02/2025 09:00", "14:30", today=TODAY)
    assert when.time == time(9, 0) and when.note and "14:30" in when.note


def test_sort_key_puts_approximate_before_exact_and_untimed_before_timed() -> None:
    month = read_entry_date("Feb 2025", today=TODAY)
    first = read_entry_date("01/02/2025", today=TODAY)
    first_timed = read_entry_date("01/02/2025 08:00", today=TODAY)
    undated = read_entry_date("", today=TODAY)
    assert sorted([undated, first_timed, first, month], key=EntryDate.sort_key) == [month, first, first_timed, undated]
