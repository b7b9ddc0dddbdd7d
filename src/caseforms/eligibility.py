"""Who a review can be about: ages at the incident, as the notification rules count them.

Ages are counted in completed calendar months, birthdays being clamped like any calendar month
(a child born on 29 February turns one on 28 February in a common year).
"""

from __future__ import annotations

from datetime import date

from caseforms.calendar import add_months
from caseforms.profile import Profile

CHILD_AGE_LIMIT_MONTHS = 18 * 12
CARE_LEAVER_AGE_LIMIT_MONTHS = 25 * 12


def age_in_months(date_of_birth: date, on: date) -> int:
    """Return the completed months of age on ``on``; negative when ``on`` is before the birth."""
    if on < date_of_birth:
        return -age_in_months(on, date_of_birth) - 1
    months = (on.year - date_of_birth.year) * 12 + (on.month - date_of_birth.month)
    if add_months(date_of_birth, months) > on:
        months -= 1
    return months


def age_at(date_of_birth: date, on: date) -> tuple[int, int]:
    """Return (years, months) of age on ``on``: 17 years 11 months is (17, 11)."""
    return divmod(age_in_months(date_of_birth, on), 12)


def describe_age(date_of_birth: date, on: date) -> str:
    """Return an age as an officer writes it: "4 years 2 months", "7 months"."""
    years, months = age_at(date_of_birth, on)
    if years == 0:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{years} year{'s' if years != 1 else ''} {months} month{'s' if months != 1 else ''}"


def _limit(profile: Profile | None, key: str, default: int) -> int:
    return int(profile.eligibility.get(key, default)) if profile else default


def is_child_at(date_of_birth: date, incident: date, profile: Profile | None = None) -> bool:
    """Return True when the person was under 18 at the incident (born on or before it)."""
    months = age_in_months(date_of_birth, incident)
    return 0 <= months < _limit(profile, "child_age_limit_months", CHILD_AGE_LIMIT_MONTHS)


def rapid_review_age_allowed(date_of_birth: date, incident: date, profile: Profile | None = None) -> bool:
    """Return True when the profile lets a Rapid Review consider someone of this age at the incident.

    Nationally that is a child (under 18). Kent's protocol (000_44eed6501ae43eb6.txt, Appendix Two)
    allows up to 18 years and 6 months where most service involvement was before 18 and no other
    review is running; those two conditions are for the officer to confirm.
    """
    months = age_in_months(date_of_birth, incident)
    return 0 <= months < _limit(profile, "rapid_review_age_limit_months", CHILD_AGE_LIMIT_MONTHS)


def care_leaver_death_notifiable(date_of_birth: date, death: date, profile: Profile | None = None) -> bool:
    """Return True when a care leaver's death must be notified: they died before their 25th birthday."""
    months = age_in_months(date_of_birth, death)
    return 0 <= months < _limit(profile, "care_leaver_age_limit_months", CARE_LEAVER_AGE_LIMIT_MONTHS)
