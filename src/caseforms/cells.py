"""Spreadsheet cell addresses, as officers read them in Excel (A1 style)."""

from __future__ import annotations


def column_letter(index: int) -> str:
    """Return the Excel letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
