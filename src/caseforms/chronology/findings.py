"""What the merge noticed, each with the place an officer can go and look."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

#: The flags the merge puts on an entry (the master's Flags column), read back by the papers.
FLAG_DATE_NOT_READ = "Date not read"
FLAG_NO_DATE = "No date"
FLAG_CHECK_DATE = "Check the date"
FLAG_FUTURE = "Date in the future"
FLAG_BACKGROUND = "Background: before the scope period"
FLAG_AFTER_SCOPE = "After the scope period"
#: Flags that say an entry's date must not be used for anything worked out (first and last dates, periods).
UNTRUSTED_DATE_FLAGS = (FLAG_DATE_NOT_READ, FLAG_NO_DATE, FLAG_CHECK_DATE, FLAG_FUTURE, FLAG_BACKGROUND,
                        FLAG_AFTER_SCOPE)

#: How much each severity matters: errors first in every list an officer reads.
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing to check or fix, and where: file, sheet, row (as numbered in the file), column.

    ``severity``: ``error`` when something could not be merged or read as written (a return left
    out, a date that is not a real date), ``warning`` when a row needs a look (no date, a date in
    the future, after the scope period), ``info`` for notes (background rows, approximate dates).
    ``code`` is a stable identifier for scripts.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    severity: Severity
    message: str
    code: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def place(self) -> str:
        """Return where the finding is, in words: "police.xlsx, sheet Chronology, row 14, Date"."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(self.column)
        return ", ".join(parts)
