"""NHS numbers: ten digits, the last a modulus 11 check digit.

The check (NHS Data Dictionary, "NHS Number"): multiply the first nine digits by 10, 9, ... 2,
add them up, take the remainder on dividing by 11 and subtract it from 11. A result of 11 means
a check digit of 0; a result of 10 means the number is not valid at all.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-]")


def normalise(text: str) -> str:
    """Return the number with the spaces and hyphens people type removed (``999 000 0018`` -> ``9990000018``)."""
    return _SEPARATORS.sub("", str(text))


def check_digit(first_nine: str) -> int | None:
    """Return the check digit the first nine digits call for, or None when no digit can be right."""
    total = sum(int(d) * w for d, w in zip(first_nine[:9], range(10, 1, -1), strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def problem(text: str) -> str | None:
    """Return what is wrong with an NHS number in an officer's words, or None when it is valid."""
    digits = normalise(text)
    if not digits.isdigit() or len(digits) != 10:
        return f"'{text}' is not ten digits"
    expected = check_digit(digits[:9])
    if expected is None:
        return f"'{text}' cannot be an NHS number (no check digit fits its first nine digits)"
    if int(digits[9]) != expected:
        return f"'{text}' has a wrong check digit (the last digit should be {expected}): a digit was mistyped"
    return None


def is_valid(text: str) -> bool:
    """Return True when ``text`` is a ten-digit NHS number with the right check digit."""
    return problem(text) is None


def format_nhs(text: str) -> str:
    """Return the number grouped 3-3-4 as it is printed on NHS letters: ``999 000 0018``."""
    d = normalise(text)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else str(text)
