"""Cell functions for Excel on Windows: =CF_WORKDAY(start, days) and =CF_DUE(case, milestone).

Imported by the xlwings add-in's "Import Functions" button (Windows desktop Excel; macOS Excel has no
Python cell functions): ``caseforms init`` puts ``UDF MODULES = caseforms.excel_functions`` in the
working folder's xlwings.conf. Each function is a thin wrapper over :mod:`caseforms.excel`; a problem
comes back as a short text in the cell, never as a Python error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import xlwings as xw

from caseforms import excel


@xw.func
@xw.arg("start", doc="the event's date (a cell holding a date, or text such as 20/12/2024)")
@xw.arg("days", doc="how many working days after it (negative: before)")
@xw.arg("profile", doc="optional: a profile name (kent, cumbria...); default the register's own")
def CF_WORKDAY(start: Any, days: Any, profile: Any = None, caller: Any = None) -> date | str:
    """The working day N working days after a date, the event day not counted (England and Wales)."""
    try:
        return excel.workday_in_book(caller.sheet.book, start, days, str(profile) if profile else None)
    except Exception as e:  # a problem is a short text in the cell, never a Python error
        return f"caseforms: {e}"


@xw.func(volatile=True)  # recalculated with the sheet, so an edited date shows at once
@xw.arg("case", doc="the case reference, as on the Cases sheet")
@xw.arg("milestone", doc="the milestone's id or name, e.g. la_notification or Rapid Review submission")
def CF_DUE(case: Any, milestone: Any, caller: Any = None) -> date | str:
    """When a case's milestone is due, worked out from the register as it is on screen."""
    try:
        return excel.due_in_book(caller.sheet.book, case, milestone)
    except Exception as e:  # a problem is a short text in the cell, never a Python error
        return f"caseforms: {e}"
