"""A finding: one problem in a register, where it is, and how to put it right."""

from __future__ import annotations

from collections.abc import Sequence
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


#: The columns of the Checks sheet the findings are written to, in the workbook file or live in Excel.
CHECKS_HEADERS = ("Severity", "Sheet", "Cell", "Problem", "How to fix", "Code", "Rule from")
CHECKS_WIDTHS = (10, 12, 10, 70, 55, 22, 40)


def checks_row(f: Finding) -> tuple[str, str, str, str, str, str, str]:
    """Return a finding as a row of the Checks sheet."""
    return (f.severity, f.sheet, f.cell or "(sheet)", f.message, f.fix, f.code, f.source)


def checks_summary(findings: Sequence[Finding]) -> str:
    """Return the line under the Checks sheet's title: how many of each, and how to use the sheet."""
    errors = sum(f.severity == ERROR for f in findings)
    if not findings:
        return "No problems found."
    return (f"{errors} error(s), {len(findings) - errors} warning(s). Click a cell reference to go to it. "
            "This sheet is replaced each time the register is checked.")
