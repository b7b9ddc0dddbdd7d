"""Ages at the incident: child, Kent's 18 years 6 months protocol, care leavers under 25."""

from __future__ import annotations

from datetime import date

from caseforms.eligibility import (
    age_at,
    age_in_months,
    care_leaver_death_notifiable,
    describe_age,
    is_child_at,
    rapid_review_age_allowed,
)
from caseforms.profile import load_profile

KENT = load_profile("kent")
NATIONAL = load_profile("national")


def test_age_in_completed_months() -> None:
    assert age_in_months(date(2020, 5, 15), date(2025, 5, 14)) == 59
    assert age_in_months(date(2020, 5, 15), date(2025, 5, 15)) == 60
    assert age_at(date(2007, 3, 10), date(2025, 3, 9)) == (17, 11)
    assert describe_age(date(2024, 6, 1), date(2025, 1, 15)) == "7 months"
    assert describe_age(date(2020, 11, 1), date(2025, 1, 15)) == "4 years 2 months"


def test_leap_day_birthday_turns_over_on_28_february() -> None:
    assert age_at(date(2008, 2, 29), date(2026, 2, 27)) == (17, 11)
    assert age_at(date(2008, 2, 29), date(2026, 2, 28)) == (18, 0)


def test_a_child_is_under_18_at_the_incident() -> None:
    dob = date(2007, 3, 10)
    assert is_child_at(dob, date(2025, 3, 9))
    assert not is_child_at(dob, date(2025, 3, 10))
    assert not is_child_at(dob, date(2006, 1, 1))  # not yet born


def test_kent_rapid_review_up_to_18_years_6_months() -> None:
    dob = date(2007, 3, 10)
    assert rapid_review_age_allowed(dob, date(2025, 9, 9), KENT)
    assert not rapid_review_age_allowed(dob, date(2025, 9, 10), KENT)
    assert not rapid_review_age_allowed(dob, date(2025, 3, 10), NATIONAL)


def test_care_leaver_death_notifiable_before_the_25th_birthday() -> None:
    dob = date(2000, 7, 1)
    assert care_leaver_death_notifiable(dob, date(2025, 6, 30))
    assert not care_leaver_death_notifiable(dob, date(2025, 7, 1))
