"""Dates typed by officers: ISO or UK day-first, never US order, never a guessed century."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseforms.dates import format_uk, parse_date, parse_moment
from caseforms.errors import DateInputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-03", date(2025, 2, 3)),
        ("03/02/2025", date(2025, 2, 3)),
        ("3/2/2025", date(2025, 2, 3)),
        (" 31/12/2024 ", date(2024, 12, 31)),
        ("2025-02-03T09:30", datetime(2025, 2, 3, 9, 30)),
        ("2025-02-03 09:30", datetime(2025, 2, 3, 9, 30)),
        ("03/02/2025 17:05", datetime(2025, 2, 3, 17, 5)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_accepted(text: str, expected: date) -> None:
    assert parse_moment(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2025", r"not a real date \(February 2025 has 28 days\)"),
        ("29/02/2025", r"February 2025 has 28 days"),
        ("2025-13-01", r"there is no month 13"),
        ("12/31/2024", r"looks like a US date .* write 31/12/2024"),
        ("03/02/25", r"2-digit year. Write the year in full, e.g. 03/02/2025"),
        ("3rd Feb", r"not a date caseforms can read"),
        ("tomorrow", r"not a date caseforms can read"),
        ("03/02/2025 25:00", r"time that does not exist"),
    ],
)
def test_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message):
        parse_moment(text, "aware")


def test_message_names_the_value() -> None:
    with pytest.raises(DateInputError, match=r"^--today: "):
        parse_date("31/02/2025", "--today")


def test_a_date_alone_refuses_a_time() -> None:
    with pytest.raises(DateInputError, match="has a time"):
        parse_date("03/02/2025 09:00")


def test_format_uk() -> None:
    assert format_uk(date(2024, 12, 31)) == "Tue 31/12/2024"
    assert format_uk(datetime(2025, 4, 24, 9, 0)) == "Thu 24/04/2025 09:00"
