"""A finding: one problem in a register, where it is, and how to put it right."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Finding:
    """One problem found in a register.

    ``cell`` is an A1 reference on ``sheet`` ("H7"), a range for merged cells ("B5:D5"), or ""
    when the problem is the whole sheet. ``source`` names the guidance the rule comes from.
    """

    code: str
    severity: str
    sheet: str
    cell: str
    message: str
    fix: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


def sort_key(f: Finding) -> tuple[int, str, int, str, str]:
    """Order findings errors first, then by sheet, row and column."""
    digits = "".join(ch for ch in f.cell.split(":")[0] if ch.isdigit())
    letters = "".join(ch for ch in f.cell.split(":")[0] if ch.isalpha())
    return (SEVERITIES.index(f.severity), f.sheet, int(digits or 0), f"{len(letters):02d}{letters}", f.code)
