"""Cell functions for desktop Excel on Windows: =CF_WORKDAY and =CF_DUE.

Imported by the xlwings add-in's "Import Functions" button into the register (saved as
register.xlsm: the one register of the folder; Excel for Mac has no Python cell functions).
The folder's xlwings.conf names this module (``UDF MODULES``), and the module Run main uses for
the workbook (register.py) offers the same functions, for a folder whose xlwings.conf Excel does
not read (OneDrive, SharePoint).

    =CF_WORKDAY(A2, 5, BankHolidays)
    =CF_DUE(A2, "la_notification", Cases[#All], BankHolidays, CaseformsProfile)

Everything a function needs comes in through its formula, so Excel recalculates a cell only when
what it depends on changes (no function is volatile, none reads the workbook). Each is a thin
wrapper over :mod:`caseforms.excel`; a problem comes back as a short text in the cell, never as
a Python error.

Why no return type is written: on Windows, xlwings turns every annotation of a cell function into
a converter (xlwings/udfs.py, ``xlfunc``: ``get_type_hints``), and ``date | str`` is a
``types.UnionType`` with no converter, so every call failed after returning (xlwings #2586,
#2666). ``Any`` is one xlwings converts (xlwings/conversion/standard.py, ``ValueAccessor``), and
the values come back as xlwings' standard conversion hands them over. Cells are read with
err_to_str, so a date cell showing #REF! is named as such rather than read as empty.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from caseforms import excel


@xw.func(category="caseforms")
@xw.arg("start", doc="the event's date (a cell holding a date, or text such as 20/12/2024)", err_to_str=True)
@xw.arg("days", doc="how many working days after it (negative: before)")
@xw.arg("holidays", doc="optional: the days to skip besides weekends, e.g. BankHolidays (the register's list)")
def CF_WORKDAY(start: Any, days: Any, holidays: Any = None) -> Any:
    """The working day N working days after a date, the event day not counted (England and Wales)."""
    if excel.blank(start):  # a formula filled down past the last date shows nothing, as the register's own do
        return ""
    try:
        return excel.workday(start, days, holidays)
    except Exception as e:  # a problem is a short text in the cell, never a Python error
        return f"caseforms: {e}"


@xw.func(category="caseforms")
@xw.arg("case", doc="the case reference, as on the Cases sheet (or its cell)", err_to_str=True)
@xw.arg("milestone", doc="the milestone's id or name, e.g. la_notification or Rapid Review submission")
@xw.arg("cases", doc="the Cases table with its headers: Cases[#All]", ndim=2, err_to_str=True)
@xw.arg("holidays", doc="optional: BankHolidays (the register's bank holidays and closure days)")
@xw.arg("profile", doc="optional: CaseformsProfile (the register's profile), or a profile's name; default national")
def CF_DUE(case: Any, milestone: Any, cases: Any, holidays: Any = None, profile: Any = None) -> Any:
    """When a case's milestone is due, worked out from the Cases table given to it."""
    if excel.blank(case):
        return ""
    try:
        return excel.due(case, milestone, cases, holidays, profile)
    except Exception as e:  # a problem is a short text in the cell, never a Python error
        return f"caseforms: {e}"
