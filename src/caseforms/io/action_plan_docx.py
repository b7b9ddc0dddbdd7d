"""Read the actions out of a Rapid Review action plan or LCSPR recommendations written in Word.

Officers agree the actions in the Rapid Review meeting and type them into the action plan paper
(`caseforms papers ... --pack rapid-review-report`) or their own Word table. This reads every
table whose header row names an action and its owner, so the actions land in the tracker without
retyping. Columns are matched by their headings, in any order; extra columns are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from caseforms.chronology.english_dates import read_entry_date
from caseforms.errors import WorkbookError
from caseforms.io.bounded import check_docx
from caseforms.io.safe_write import check_readable

#: Heading words (lower case, spaces folded) -> tracker column key.
HEADINGS: dict[str, str] = {
    "no.": "number", "no": "number", "number": "number", "ref": "number", "ref.": "number",
    "learning point": "recommendation", "recommendation": "recommendation", "finding": "recommendation",
    "recommendation / learning point": "recommendation", "learning": "recommendation",
    "action": "action", "action required": "action", "actions": "action",
    "owner agency": "owner_agency", "owner": "owner_agency", "agency": "owner_agency", "lead agency": "owner_agency",
    "named lead": "lead", "lead": "lead", "lead officer": "lead",
    "due": "due_date", "due date": "due_date", "by when": "due_date", "timescale": "due_date",
    "status": "status",
    "evidence expected": "measure", "measure": "measure", "measure of success": "measure", "outcome": "measure",
    "evidence of completion": "evidence", "evidence": "evidence",
    "last update": "last_update",
}
_MARKER = re.compile(r"^\[not recorded", re.IGNORECASE)


@dataclass
class PlannedAction:
    """One row of an action plan table, with the problems met reading it."""

    row: int
    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def _key(heading: str) -> str | None:
    return HEADINGS.get(re.sub(r"\s+", " ", heading.strip().casefold()))


def read_action_plan(path: Path, today: date | None = None) -> list[PlannedAction]:
    """Return the actions in every action table of a Word document, in document order."""
    from docx import Document

    path = Path(path)
    check_docx(path, advice="Save the action plan again from Word as .docx, or copy its action table into a new "
                            "document, and import it again.")
    check_readable(path, "document")
    try:
        document = Document(str(path))
    except Exception as e:  # python-docx raises several kinds for a damaged file
        raise WorkbookError(f"{path} cannot be read as a Word document ({e}). Save it again as .docx.") from e
    actions: list[PlannedAction] = []
    for table in document.tables:
        rows = table.rows
        if not rows:
            continue
        keys = [_key(cell.text) for cell in rows[0].cells]
        if "action" not in keys or "owner_agency" not in keys:
            continue
        for number, row in enumerate(rows[1:], start=2):
            values: dict[str, Any] = {}
            for key, cell in zip(keys, row.cells, strict=False):
                text = cell.text.strip()
                if key and text and not _MARKER.match(text) and key not in values:
                    values[key] = text
            if not values.get("action"):
                continue
            planned = PlannedAction(number, values)
            if "due_date" in values:
                when = read_entry_date(values["due_date"], today=today)
                if when.day is not None and when.precision in (None, "day"):
                    values["due_date"] = when.day
                else:
                    planned.problems.append(f"due date '{values.pop('due_date')}' is not a date; fill it in the tracker")
            actions.append(planned)
    return actions
