"""The case register as an Excel workbook: build it, read it back, and write checks into it.

Built with openpyxl from :mod:`caseforms.register.schema`: real Excel tables, drop-downs from the
Lists sheet, dates validated as dates, frozen headers, widths, an Instructions sheet, the Bank
holidays sheet the deadline formulas use, and conditional formatting of every due date. The due
dates are Excel formulas (WORKDAY, EDATE...) so the register stays right where Python is not
running; :func:`due_formula` says how each kind of rule is written.

Read with python-calamine (values only, fast); written back with openpyxl only through
:mod:`caseforms.io.safe_write`, which never overwrites a workbook open in Excel, keeps a backup,
and writes beside a workbook whose Excel-only features openpyxl would lose.

Rebuild the shipped blank register with ``python -m caseforms.io.register_xlsx``.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.deadlines import INFORMATION_ONLY
from caseforms.errors import WorkbookError
from caseforms.events import EVENTS
from caseforms.io.cell_text import Formula, put, put_row
from caseforms.io.print_setup import (
    INSTRUCTIONS_WIDTH,
    PrintLayout,
    apply_openpyxl,
    column_widths,
    last_filled_row,
    row_height,
    table_layout,
    wrap_long_text,
)
from caseforms.io.safe_write import SaveResult, load_for_update, save_openpyxl, write_atomically
from caseforms.profile import PREVIOUS_WORKING_DAY, Milestone, Profile, load_profile
from caseforms.register.findings import (
    CHECKS_HEADERS,
    CHECKS_WIDTHS,
    ERROR,
    WARNING,
    Finding,
    checks_row,
    checks_summary,
)
from caseforms.register.menu import (
    ACTION_LIST,
    MENU_CASE_CELL,
    MENU_FIRST_ACTION_ROW,
    MENU_FOLDER_CELL,
    MENU_SHEET,
    menu_rows,
)
from caseforms.register.reading import CellError, RawSheet, build_register, column_letter
from caseforms.register.records import Register
from caseforms.register.schema import (
    BANK_HOLIDAYS,
    CASES,
    CHECKS,
    CHOICE,
    CLOSED_STATUSES,
    DATE,
    DRAFTS,
    DUE,
    FAMILY,
    GLOSSARY,
    IMRS,
    INSTRUCTIONS,
    LCSPR,
    LIST_ORDER,
    LISTS,
    MEETINGS,
    NHS_NUMBER,
    RECOMMENDATIONS,
    REGISTER_FORMAT,
    SETTINGS,
    RegisterSchema,
    Sheet,
    register_schema,
)

#: The defined name of the bank holiday and closure dates every WORKDAY formula skips.
HOLIDAYS_NAME = "BankHolidays"
#: The defined name of the cell holding the register's profile (Settings, B2), for =CF_DUE.
PROFILE_NAME = "CaseformsProfile"
#: The years the Bank holidays sheet lists.
HOLIDAY_YEARS = (2018, 2035)
# Rows the BankHolidays name covers beyond the listed days, so closure days added at the bottom count.
_HOLIDAY_SPARE_ROWS = 150
DATE_FORMAT = "dd/mm/yyyy"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
#: The width a date and time (dd/mm/yyyy hh:mm) needs to show whole rather than as ###.
DATE_TIME_WIDTH = 16.5

# Colours an officer reads at a glance (Excel's own "Good", "Neutral" and "Bad" fills).
RED, RED_TEXT = "FFC7CE", "9C0006"
AMBER, AMBER_TEXT = "FFEB9C", "9C5700"
GREEN, GREEN_TEXT = "C6EFCE", "006100"
MAUVE, MAUVE_TEXT = "E4DFEC", "60497A"
HEADER_FILL = "1F4E78"
DUE_HEADER_FILL = "375623"


def list_name(key: str) -> str:
    """Return the defined name of a drop-down list on the Lists sheet: 'case_statuses' -> 'List_case_statuses'."""
    return f"List_{key}"


# -- the due-date formulas ----------------------------------------------------------------------


def _anchor_expression(m: Milestone, refs: dict[str, str]) -> str | None:
    """Return the Excel expression of a milestone's anchor: the first of its anchors that is filled in."""
    known = [refs[a] for a in m.anchors if a in refs]
    if not known:
        return None
    expression = known[-1]
    for ref in reversed(known[:-1]):
        expression = f'IF({ref}<>"",{ref},{expression})'
    return expression


def due_formula(m: Milestone, refs: dict[str, str], holidays: str = HOLIDAYS_NAME) -> Formula | None:
    """Return the Excel formula of milestone ``m``'s due date, or None when its anchor has no column.

    ``refs`` maps event keys and earlier milestone ids to the cells holding them on the same row.
    The rules follow :func:`caseforms.deadlines.due_from`, the reference:

    * working days: ``WORKDAY(anchor, n, BankHolidays)`` -- Excel's WORKDAY does not count the
      start day, exactly as DOMAIN.md's convention; a negative n counts back;
    * process days (Day 1 = the anchor day when it is a working day, else the next one):
      ``WORKDAY(anchor - 1, n, BankHolidays)`` -- the nth working day on or after the anchor;
    * months: ``EDATE(anchor, n)``, which clamps to the month's last day like ``add_months``;
    * calendar days: ``anchor + n``;
    * hours: clock hours from an anchor with a time; from a date alone, whole days rounded away
      from the anchor (24 or 48 hours from a date is the next day or the one after);
    * a time of day (``time = "09:00"``) is added to a date result.

    Every formula is guarded so that an empty anchor gives an empty cell, not 1900, and a wrong one
    (text such as "TBC" typed in a date column, or an anchor showing an error) an empty cell, not
    #VALUE!: the check names the wrong entry itself. An error never shows in a due date, so reading
    the register live never meets one there (Excel for Mac reads ranges holding errors unreliably:
    xlwings #1924, #1028).
    """
    anchor = _anchor_expression(m, refs)
    if anchor is None:
        return None
    a = anchor
    n = m.amount
    office = m.non_working_day == PREVIOUS_WORKING_DAY and m.unit not in ("working_days", "process_day")
    if m.unit == "working_days":
        body = f"WORKDAY({a},{n},{holidays})"
    elif m.unit == "process_day":
        body = f"WORKDAY(INT({a})-1,{n},{holidays})"
    elif m.unit == "months":
        body = f"EDATE({a},{n})"
    elif m.unit == "days":
        body = f"INT({a})+{n}"
    elif office and n < 0:
        # Counted back in working time: whole working days before the anchor, at its time of day.
        body = f"WORKDAY(INT({a}),{-math.ceil(abs(n) / 24)},{holidays})+({a}-INT({a}))"
    else:
        whole_days = math.ceil(abs(n) / 24) * (1 if n >= 0 else -1)
        body = f"IF({a}=INT({a}),INT({a})+{whole_days},{a}+{n}/24)"
    if m.at is not None and m.unit != "hours":
        body = f"{body}+TIME({m.at.hour},{m.at.minute},0)"
    if office and n >= 0:
        # On a non-working day: the working day before, or the first after when that is before the anchor's day
        # (caseforms.deadlines.due_with_note).
        day = f"INT({body})"
        before = f"WORKDAY({day}+1,-1,{holidays})"
        body = f"IF({before}={day},{body},IF({before}<INT({a}),WORKDAY({day},1,{holidays}),{before}))"
    return Formula(f'=IFERROR(IF({a}="","",{body}),"")')


def _row_refs(schema: RegisterSchema, letters: dict[str, str], row: int) -> dict[str, str]:
    refs: dict[str, str] = {}
    for column in schema.cases.columns:
        if column.event:
            refs[column.event] = f"{letters[column.key]}{row}"
        if column.milestone is not None:
            refs[column.milestone.id] = f"{letters[column.key]}{row}"
    return refs


# -- building ----------------------------------------------------------------------------------


def build_workbook(profile: Profile, profile_ref: str | None = None) -> Any:
    """Return a new, empty register for ``profile`` as an openpyxl Workbook.

    ``profile_ref`` is what the register records to find its profile again: a shipped profile's
    name or the path of a partnership's own .toml file (default: the profile's name).
    """
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    schema = register_schema(profile)
    wb = Workbook()
    wb.remove(wb.active)
    instructions = wb.create_sheet(INSTRUCTIONS)
    _menu_sheet(wb.create_sheet(MENU_SHEET), schema.cases.rows + 1)
    for sheet in schema.sheets:
        record_sheet(wb.create_sheet(sheet.name), sheet, schema)
    list_refs = lists_sheet(wb.create_sheet(LISTS), schema)
    holiday_ref = _holidays_sheet(wb.create_sheet(BANK_HOLIDAYS), profile)
    _settings_sheet(wb.create_sheet(SETTINGS), profile, profile_ref or profile.name)
    _instructions_sheet(instructions, profile, schema)
    wb.defined_names[HOLIDAYS_NAME] = DefinedName(HOLIDAYS_NAME, attr_text=holiday_ref)
    # For the cell function =CF_DUE(..., CaseformsProfile): the profile the register records (hidden Settings, B2).
    wb.defined_names[PROFILE_NAME] = DefinedName(PROFILE_NAME, attr_text=f"{_quote(SETTINGS)}!$B$2")
    for key, ref in list_refs.items():
        wb.defined_names[list_name(key)] = DefinedName(list_name(key), attr_text=ref)
    wb.active = wb.sheetnames.index(CASES)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == CASES
    set_print_layouts(wb)
    # Excel and LibreOffice work out every formula when the file is opened: openpyxl stores none.
    wb.calculation.fullCalcOnLoad = True
    return wb


#: The Cases sheet prints the columns that follow a case, up to Notes: on at most three pages across
#: of A4 landscape. The details the papers carry (outline, scope, lines of enquiry) and the due dates
#: (in colour on screen; 'caseforms deadlines' lists them) are read on screen and in the papers.
CASES_LAST_PRINTED = "Notes"
#: The register's own sheets and how they print; a sheet the officer added is left as they set it.
_RECORD_SHEETS = ("Cases", "People", "Agencies", "Meetings", "Returns log", "Narrative", "Characteristics",
                  LCSPR, IMRS, FAMILY, DRAFTS, RECOMMENDATIONS, GLOSSARY)


def set_print_layouts(wb: Any) -> None:
    """Set how every sheet of the register prints; call again whenever the register is written.

    The print area of each table ends at its last row filled in, so it is set again each time
    caseforms writes the register (rows added in Excel since print once caseforms has written it,
    or after Page Layout > Print Area > Clear Print Area, as the Instructions say).
    """
    for ws in wb.worksheets:
        layout = _print_layout(ws)
        if layout is not None:
            apply_openpyxl(ws, layout)


def _print_layout(ws: Any) -> PrintLayout | None:
    title = f"Case register: {ws.title}"
    if ws.title in _RECORD_SHEETS:
        last_column = None
        if ws.title == CASES:
            headers = [c.value for c in ws[1]]
            if CASES_LAST_PRINTED in headers:
                last_column = headers.index(CASES_LAST_PRINTED) + 1
        last_row = last_filled_row(ws, 2)
        layout = table_layout(ws, title, last_column=last_column, last_row=last_row)
        wrap_long_text(ws, 2, last_row, last_column)
        return layout
    if ws.title == CHECKS:
        return table_layout(ws, title, heading_row=4, gridlines=True)
    if ws.title in (LISTS, BANK_HOLIDAYS):
        return table_layout(ws, title, gridlines=True)
    if ws.title == MENU_SHEET:
        wrap_long_text(ws, MENU_FIRST_ACTION_ROW, ws.max_row)
    if ws.title in (INSTRUCTIONS, MENU_SHEET, SETTINGS):
        return PrintLayout(title, column_widths(ws), heading_rows=None, landscape=ws.title == MENU_SHEET)
    return None


def _menu_sheet(ws: Any, last_case_row: int) -> None:
    """Lay out the caseforms sheet: the actions Run main runs from Excel, and the case they act on."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    for r, row in enumerate(menu_rows(), start=1):
        for c, value in enumerate(row, start=1):
            if value:
                put(ws.cell(row=r, column=c), value).alignment = Alignment(wrap_text=c == 2, vertical="top")
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(italic=True)
    ws["A3"].font = Font(bold=True)
    ws["A4"].font = Font(bold=True)
    ws["A5"].font = Font(italic=True, color="7F7F7F")
    ws[MENU_CASE_CELL].fill = PatternFill("solid", fgColor="FFF2CC")
    ws[MENU_FOLDER_CELL].fill = PatternFill("solid", fgColor="FFF2CC")
    for c in range(1, 4):
        header_style(ws.cell(row=MENU_FIRST_ACTION_ROW - 1, column=c), HEADER_FILL)
    for r in range(MENU_FIRST_ACTION_ROW, MENU_FIRST_ACTION_ROW + len(ACTION_LIST)):
        ws.cell(row=r, column=1).font = Font(bold=True, color="1F4E78")
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 14
    cases = DataValidation(type="list", formula1=f"={_quote(CASES)}!$A$2:$A${last_case_row}", allow_blank=True)
    cases.prompt, cases.promptTitle = "Choose the case the actions act on.", "Case"
    ws.add_data_validation(cases)
    cases.add(MENU_CASE_CELL)


def header_style(cell: Any, fill: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def record_sheet(ws: Any, sheet: Sheet, schema: RegisterSchema) -> None:
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    last_row = sheet.rows + 1
    letters = {c.key: column_letter(i) for i, c in enumerate(sheet.columns)}
    # Cells by row and column number: the sheet's 300 rows are tens of thousands of cells, and a cell found by its
    # reference ("AB123") is its reference parsed again each time.
    numbers = {c.key: i for i, c in enumerate(sheet.columns, start=1)}
    for i, column in enumerate(sheet.columns, start=1):
        cell = put(ws.cell(row=1, column=i), column.header)
        header_style(cell, DUE_HEADER_FILL if column.kind == DUE else HEADER_FILL)
        if column.note:
            comment = Comment(column.note, "caseforms")
            comment.width, comment.height = 320, 110
            cell.comment = comment
        # A date may carry its time (dd/mm/yyyy hh:mm, 16 characters): narrower, Excel shows ### instead.
        ws.column_dimensions[letters[column.key]].width = max(column.width, DATE_TIME_WIDTH) if column.kind in (
            DATE, DUE) else column.width
    # Tall enough for the longest wrapped header ("Due: Rapid Review report and decision sent to the ...").
    lines = max(math.ceil(len(c.header) / max(1.0, c.width - 3)) for c in sheet.columns)
    ws.row_dimensions[1].height = max(30, 14 * lines)
    ws.freeze_panes = "B2" if sheet.name == CASES else "A2"

    validations: list[Any] = []
    for column in sheet.columns:
        span = f"{letters[column.key]}2:{letters[column.key]}{last_row}"
        if column.kind == CHOICE and column.list_name:
            dv = DataValidation(type="list", formula1=f"={list_name(column.list_name)}", allow_blank=True,
                                showErrorMessage=True, errorStyle="warning", errorTitle=column.header,
                                error="Pick a value from the list (you may keep your own text if you must).")
        elif column.kind == DATE:
            dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)",
                                allow_blank=True, showErrorMessage=True, errorTitle=column.header,
                                error="Type a date as dd/mm/yyyy, e.g. 31/12/2024 (add hh:mm for a time).")
        else:
            continue
        if column.note:
            dv.promptTitle, dv.prompt, dv.showInputMessage = column.header[:32], column.note[:255], True
        dv.add(span)
        validations.append(dv)
    for dv in validations:
        ws.add_data_validation(dv)

    formats = {DATE: DATE_FORMAT, NHS_NUMBER: "@"}
    for column in sheet.columns:
        fmt = formats.get(column.kind)
        if column.kind == DUE and column.milestone is not None:
            m = column.milestone
            fmt = DATE_TIME_FORMAT if (m.unit == "hours" or m.at is not None) else DATE_FORMAT
        if fmt is None:
            continue
        for r in range(2, last_row + 1):
            ws.cell(row=r, column=numbers[column.key]).number_format = fmt

    if sheet.name == CASES:
        for r in range(2, last_row + 1):
            refs = _row_refs(schema, letters, r)
            for column in sheet.columns:
                if column.kind == DUE and column.milestone is not None:
                    formula = due_formula(column.milestone, refs)
                    if formula:
                        put(ws.cell(row=r, column=numbers[column.key]), formula)
        _due_formatting(ws, sheet, schema, letters, last_row)
    if sheet.name == MEETINGS:
        roles = [c for c in sheet.columns if c.role]
        for r in range(2, last_row + 1):
            cells = [f"{letters[c.key]}{r}" for c in roles]
            if not cells:
                continue
            put(ws.cell(row=r, column=numbers["quorate"]), _quorate_formula(cells))

    table = Table(displayName=sheet.table, ref=f"A1:{letters[sheet.columns[-1].key]}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)


def _quorate_formula(cells: Sequence[str]) -> Formula:
    attendance = ",".join(cells)
    everyone = ",".join(f'{c}="Yes"' for c in cells)
    return Formula(f'=IF(COUNTA({attendance})=0,"",IF(AND({everyone}),"Yes","No"))')


def _due_formatting(ws: Any, sheet: Sheet, schema: RegisterSchema, letters: dict[str, str], last_row: int) -> None:
    """Colour each due date: met green, met late mauve, overdue red, due within N working days amber."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    events = schema.event_columns()
    status = f"${letters['status']}2"
    closed = f"${letters['closed_date']}2"
    open_case = "AND(" + ",".join(f'{status}<>"{s}"' for s in sorted(CLOSED_STATUSES)) + f',{closed}="")'
    soon = schema.due_soon_working_days

    def fill(colour: str, text: str) -> dict[str, Any]:
        return {"fill": PatternFill("solid", fgColor=colour, bgColor=colour), "font": Font(color=text)}

    for column in sheet.columns:
        m = column.milestone
        if column.kind != DUE or m is None or m.kind == "keep_until":
            continue
        x = f"{letters[column.key]}2"
        span = f"{letters[column.key]}2:{letters[column.key]}{last_row}"
        # A rule for some cases only (a homicide...) is coloured only when the case's flag column says so; and for
        # a care leaver's death, notified for information only, only its own rule (caseforms.deadlines).
        applies = _applies(schema, letters, m.when)
        if m.when != INFORMATION_ONLY and "care_leaver_death" in letters:
            applies += f',OR(${letters["care_leaver_death"]}2<>"Yes"{_applies(schema, letters, "notifying")})'
        done = [f"${letters[c.key]}2" for c in (events.get(e) for e in m.met_by) if c is not None]
        if done:
            # Met by the first of its events recorded: on time when any is on or before the due date.
            on_time = ",".join(f"AND(ISNUMBER({d}),INT({d})<=INT({x}))" for d in done)
            any_done = ",".join(f"ISNUMBER({d})" for d in done)
            ws.conditional_formatting.add(span, FormulaRule(
                formula=[f"AND(ISNUMBER({x}),OR({on_time}))"], stopIfTrue=True, **fill(GREEN, GREEN_TEXT)))
            ws.conditional_formatting.add(span, FormulaRule(
                formula=[f"AND(ISNUMBER({x}),OR({any_done}))"], stopIfTrue=True, **fill(MAUVE, MAUVE_TEXT)))
            not_done = "".join(f",{d}=\"\"" for d in done)
        else:
            not_done = ""
        # Once a later step is recorded (the meeting held), earlier steps are no longer red or amber.
        for event in m.passed_by:
            passed_col = events.get(event)
            if passed_col is not None:
                not_done += f",${letters[passed_col.key]}2=\"\""
        ws.conditional_formatting.add(span, FormulaRule(
            formula=[f"AND(ISNUMBER({x}){not_done}{applies},{open_case},INT({x})<TODAY())"],
            stopIfTrue=True, **fill(RED, RED_TEXT)))
        ws.conditional_formatting.add(span, FormulaRule(
            formula=[f"AND(ISNUMBER({x}){not_done}{applies},{open_case},INT({x})>=TODAY(),"
                     f"INT({x})<WORKDAY(TODAY(),{soon + 1},{HOLIDAYS_NAME}))"],
            stopIfTrue=True, **fill(AMBER, AMBER_TEXT)))


def _flag_key(schema: RegisterSchema, flag: str | None) -> str | None:
    return next((c.key for c in schema.cases.columns if flag and c.flag == flag), None)


def _applies(schema: RegisterSchema, letters: dict[str, str], flag: str | None) -> str:
    """Return the condition (",<condition>") under which a rule for some cases only applies to a row, or ""."""
    if flag == "notifying":
        # Worked out, not typed: the decision is to notify, or the notification is recorded (Case.flags).
        from caseforms.register.records import notify_decision

        decision, notified = f"${letters['decision']}2", f"${letters['notified_date']}2"
        return f',OR({decision}="{notify_decision(schema)}",{notified}<>"")'
    key = _flag_key(schema, flag)
    if key is None:
        return ""
    return f',${letters[key]}2="{schema.cases.column(key).flag_value}"'


def lists_sheet(ws: Any, schema: RegisterSchema) -> dict[str, str]:
    """Write each drop-down list in its own column; return the range of each, for its defined name."""
    ordered = [k for k in LIST_ORDER if k in schema.lists] + sorted(set(schema.lists) - set(LIST_ORDER))
    refs: dict[str, str] = {}
    for i, key in enumerate(ordered):
        letter = column_letter(i)
        header_style(put(ws.cell(row=1, column=i + 1), key), HEADER_FILL)
        values = schema.lists[key]
        for r, value in enumerate(values, start=2):
            put(ws.cell(row=r, column=i + 1), value)
        ws.column_dimensions[letter].width = min(45, max(14, *(len(v) + 2 for v in values))) if values else 14
        refs[key] = f"{_quote(LISTS)}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    ws.freeze_panes = "A2"
    return refs


def _quote(sheet: str) -> str:
    return f"'{sheet}'" if " " in sheet else sheet


def _holidays_sheet(ws: Any, profile: Profile) -> str:
    from openpyxl.worksheet.table import Table, TableStyleInfo

    days = profile.calendar.closed_days(*HOLIDAY_YEARS)
    for i, header in enumerate(("Date", "Bank holiday or closure", "Day"), start=1):
        header_style(put(ws.cell(row=1, column=i), header), HEADER_FILL)
    for r, (day, name) in enumerate(days, start=2):
        put(ws.cell(row=r, column=1), day).number_format = DATE_FORMAT
        put(ws.cell(row=r, column=2), name)
        put(ws.cell(row=r, column=3), f"{day:%A}")
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 13, 40, 12
    ws.freeze_panes = "A2"
    table = Table(displayName="BankHolidayList", ref=f"A1:C{len(days) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    ws.add_table(table)
    put(ws["E1"], (
        f"England and Wales bank holidays {HOLIDAY_YEARS[0]}–{HOLIDAY_YEARS[1]} (GOV.UK, via the holidays package) and "
        f"the closure days of the {profile.title} profile. Every due date skips these days."
    ))
    put(ws["E2"], "Add a closure day by typing its date below the last row: caseforms and the formulas both use it.")
    return f"{_quote(BANK_HOLIDAYS)}!$A$2:$A${len(days) + 1 + _HOLIDAY_SPARE_ROWS}"


def _settings_sheet(ws: Any, profile: Profile, profile_ref: str) -> None:
    rows = (
        ("setting", "value"),
        ("profile", profile_ref),
        ("profile_title", profile.title),
        ("register_format", REGISTER_FORMAT),
    )
    for r, row in enumerate(rows, start=1):
        put_row(ws, r, row)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 18, 50
    ws.sheet_state = "hidden"


def _instructions_sheet(ws: Any, profile: Profile, schema: RegisterSchema) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    from caseforms.register.validation import RULES

    lines: list[tuple[str, str | None]] = [
        (f"Case register: {profile.title}", "title"),
        (f"Profile: {profile.name}. The deadline rules below come from it; 'caseforms validate' and "
         "'caseforms deadlines' read it from this workbook.", None),
        ("", None),
        ("How to use it", "heading"),
        ("One row per case on Cases, from referral to closure. The people of each case (children first) go on People, "
         "its meetings on Meetings, the agencies' single points of contact on Agencies. Match them by Case reference.", None),
        ("Type dates as dd/mm/yyyy. Add a time (dd/mm/yyyy hh:mm) when an hour-based rule counts from the event.", None),
        ("Pick values from the drop-downs; their lists are on the Lists sheet. Add your own columns at the right of a "
         "table if you need them: caseforms keeps them.", None),
        ("The green 'Due:' columns are worked out by Excel from the dates you type: do not type over them. They skip "
         "weekends and the days on the Bank holidays sheet.", None),
        ("Check the register with 'caseforms validate register.xlsx' (add --annotate to list the problems on a Checks "
         "sheet with a link to each cell). List what is due with 'caseforms deadlines register.xlsx'.", None),
        ("", None),
        ("Colours of the due dates", "heading"),
        ("Overdue: the date has passed and it is not done.", "red"),
        (f"Due soon: {schema.due_soon_working_days} working days or fewer left.", "amber"),
        ("Met on time.", "green"),
        ("Met, but late.", "mauve"),
        ("", None),
        ("Deadline rules of this profile", "heading"),
    ]
    for m in profile.milestones:
        applies = f" (only for {m.applies})" if m.applies else ""
        lines.append((f"{m.label}: {m.rule}{applies}. Source: {m.source}", None))
    lines += [("", None), ("What 'caseforms validate' checks", "heading")]
    lines += [(f"{r.code}: {r.description}. Source: {profile.cite(r.source)}", None) for r in RULES]
    lines += [("", None), ("Documents the rules cite", "heading")]
    lines += [(f"{d.name}" + (f": {d.url}" if d.url else ""), None)
              for d in profile.documents.values() if d.key != "caseforms"]
    lines += [("", None), ("Columns", "heading")]
    for sheet in schema.sheets:
        for column in sheet.columns:
            if column.note and column.kind != DUE:
                lines.append((f"{sheet.name} / {column.header}: {column.note}", None))
    lines += [("", None), ("Printing", "heading"),
              ("Each sheet prints with its headings on every page, the protective marking at the top and 'Page X of Y' "
               "at the foot. The Cases sheet prints the columns up to Notes, landscape; the due dates are listed by "
               "'caseforms deadlines'. The rows printed are those filled in when caseforms last wrote the register "
               "(for example 'caseforms validate --annotate'): after adding cases in Excel, run it again or choose Page "
               "Layout > Print Area > Clear Print Area before printing.", None)]
    lines += [("", None), ("Sensitive data", "heading"),
              ("Every record here is special-category personal data about children. Keep the workbook on the "
               "partnership's secure drive; calendars made by caseforms carry case references only.", None)]
    styles = {"red": (RED, RED_TEXT), "amber": (AMBER, AMBER_TEXT), "green": (GREEN, GREEN_TEXT), "mauve": (MAUVE, MAUVE_TEXT)}
    for r, (text, style) in enumerate(lines, start=1):
        cell = put(ws.cell(row=r, column=1), text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Neither Excel nor LibreOffice grows a row for wrapped text written by another program.
        ws.row_dimensions[r].height = (row_height([(text, INSTRUCTIONS_WIDTH * 0.7)]) * 1.35 if style == "title"
                                      else row_height([(text, INSTRUCTIONS_WIDTH)]))
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "heading":
            cell.font = Font(bold=True, size=12)
        elif style in styles:
            cell.fill = PatternFill("solid", fgColor=styles[style][0])
            cell.font = Font(color=styles[style][1])
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH


def write_new_register(path: Path, profile_ref: str) -> SaveResult:
    """Write a new, empty register at ``path`` for the profile named; refuse to replace an existing file."""
    path = Path(path)
    if path.exists():
        raise WorkbookError(
            f"{path} already exists. caseforms never replaces a register: choose another folder, or move the "
            "existing register away first."
        )
    profile = load_profile(profile_ref)
    wb = build_workbook(profile, profile_ref)
    write_atomically(path, wb.save, keep_backup=False)
    return SaveResult(path)


# -- reading -----------------------------------------------------------------------------------


def merged_ranges(sheet: Any) -> list[str]:
    ranges = []
    for start, end in sheet.merged_cell_ranges or []:
        first = f"{column_letter(start[1])}{start[0] + 1}"
        last = f"{column_letter(end[1])}{end[0] + 1}"
        ranges.append(f"{first}:{last}")
    return ranges


def open_calamine(path: Path) -> Any:
    """Return the workbook at ``path`` for reading values, within caseforms' limits (see io.bounded)."""
    from caseforms.io.bounded import open_workbook

    # open_workbook checks all that check_readable does (missing, a folder, empty, password, damaged parts)
    # and more, naming the file and what to do: a damaged part is refused before any reader meets it.
    return open_workbook(Path(path), advice="Open it in Excel and save it again, or restore it from backups/.")


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def error_cells(path: Path) -> dict[str, dict[tuple[int, int], CellError]]:
    """Return the cells of each sheet of an .xlsx that hold an Excel error value (#REF!, #N/A...).

    python-calamine hands an error over as an empty string, so a date typed over by a broken
    formula would read as no date at all. Keyed by sheet name, then (row, column) from 0. Each
    sheet part is first scanned as bytes for an error cell, which almost none has; only a sheet
    that has one is parsed, streaming. Anything unexpected gives no errors: calamine's reading
    stands as it is.
    """
    import zipfile
    from xml.etree import ElementTree

    found: dict[str, dict[tuple[int, int], CellError]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
                return found
            targets = {r.get("Id"): r.get("Target") or "" for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
            for sheet in ElementTree.fromstring(z.read("xl/workbook.xml")).iter(f"{_MAIN_NS}sheet"):
                target = targets.get(sheet.get(f"{_REL_NS}id"), "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if part not in names or not _has_error_cell(z, part):
                    continue
                cells: dict[tuple[int, int], CellError] = {}
                with z.open(part) as stream:
                    for _, element in ElementTree.iterparse(stream):
                        if element.tag == f"{_MAIN_NS}c":
                            ref = _CELL_REF.fullmatch(element.get("r") or "")
                            value = element.find(f"{_MAIN_NS}v")
                            if element.get("t") == "e" and ref and value is not None and value.text:
                                cells[(int(ref[2]) - 1, _column_index(ref[1]))] = CellError(value.text.strip())
                        elif element.tag == f"{_MAIN_NS}row":
                            element.clear()  # a row at a time: memory stays small whatever the sheet's size
                if cells:
                    found[str(sheet.get("name"))] = cells
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}
    return found


def _has_error_cell(z: Any, part: str) -> bool:
    tail = b""
    with z.open(part) as stream:
        while chunk := stream.read(1 << 20):
            if b't="e"' in tail + chunk:
                return True
            tail = chunk[-8:]
    return False


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def with_errors(rows: list[list[Any]], errors: dict[tuple[int, int], CellError]) -> list[list[Any]]:
    """Put the Excel error values calamine read as empty back into a sheet's rows."""
    for (r, c), error in errors.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in (None, ""):
            rows[r][c] = error
    return rows


def recorded_profile(path: Path) -> str | None:
    """Return the profile a register records on its Settings sheet, or None when it records none."""
    wb = open_calamine(Path(path))
    return read_settings(wb).get("profile")


def read_settings(wb: Any) -> dict[str, str]:
    if SETTINGS not in wb.sheet_names:
        return {}
    return settings_of(wb.get_sheet_by_name(SETTINGS).to_python(skip_empty_area=False))


def settings_of(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """Return the name/value pairs of the hidden Settings sheet's rows."""
    return {
        str(r[0]).strip(): str(r[1]).strip()
        for r in rows
        if len(r) >= 2 and r[0] not in (None, "") and r[1] not in (None, "")
    }


def read_register(path: Path, profile: Profile | str | None = None) -> Register:
    """Return the register in the workbook at ``path``: its records, profile, and any reading problems.

    The profile is the one the workbook records on its Settings sheet unless ``profile`` is given.
    Closure days an officer added at the bottom of the Bank holidays sheet join the profile's,
    so caseforms and the Excel formulas skip the same days (see :func:`profile_for`). Raises
    :class:`WorkbookError` only for a file that cannot be opened at all (missing, protected, corrupt).
    """
    path = Path(path)
    wb = open_calamine(path)
    errors = error_cells(path)
    problems: list[Finding] = []
    sheets: dict[str, RawSheet] = {}
    for name in wb.sheet_names:
        try:
            sheet = wb.get_sheet_by_name(name)
            rows = with_errors(sheet.to_python(skip_empty_area=False), errors.get(name, {}))
        except Exception as e:  # a damaged sheet part; the others can still be read
            problems.append(Finding("UNREADABLE_SHEET", ERROR, name, "", f"The '{name}' sheet cannot be read ({e}).",
                                    "Open the workbook in Excel, save it again, and re-run."))
            continue
        sheets[name] = RawSheet(name, rows, merged_ranges(sheet))
    return register_from_sheets(sheets, path, profile, problems)


def register_from_sheets(sheets: dict[str, RawSheet], path: Path, profile: Profile | str | None = None,
                         problems: Sequence[Finding] = ()) -> Register:
    """Return the register the sheets of a workbook hold (read from a file, or live from Excel).

    ``sheets`` holds every sheet of the workbook by name (the hidden Settings and Bank holidays
    sheets included); ``path`` is where the workbook is saved, for profile files named relative to it.
    """
    problems = list(problems)
    by_name = {name.casefold().strip(): raw for name, raw in sheets.items()}
    settings_sheet = by_name.get(SETTINGS.casefold())
    settings = settings_of(settings_sheet.rows) if settings_sheet else {}
    if isinstance(profile, Profile):
        loaded = profile
    else:
        ref = profile or settings.get("profile") or ""
        if not ref:
            problems.append(Finding(
                "NO_PROFILE", WARNING, SETTINGS, "B2",
                "The register does not record its profile (the hidden Settings sheet is missing or empty), so the "
                "national timescales were used.",
                "Give the profile with --profile, or copy the Settings sheet from a new register (caseforms init).",
            ))
            ref = "national"
        if ref.endswith(".toml") and not Path(ref).is_absolute():
            ref = str(Path(path).parent / ref)
        loaded = load_profile(ref)
    schema = register_schema(loaded)
    wanted = {s.name.casefold().strip() for s in schema.sheets}
    register = build_register(schema, {n: raw for n, raw in sheets.items() if n.casefold().strip() in wanted},
                              loaded.name, problems)
    register.path = Path(path)
    register.profile = loaded
    holidays = by_name.get(BANK_HOLIDAYS.casefold())
    register.closure_days = _extra_closure_days(holidays.rows if holidays else [], loaded)
    return register


def _extra_closure_days(rows: Sequence[Sequence[Any]], profile: Profile) -> set[date]:
    """Return dates on the Bank holidays sheet that the profile's calendar does not already close."""
    if not rows:
        return set()
    known = {d for d, _ in profile.calendar.closed_days(*HOLIDAY_YEARS)}
    extra: set[date] = set()
    for row in rows[1:]:
        value = row[0] if row else None
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and day not in known and day.weekday() < 5:
            extra.add(day)
    return extra


def profile_for(register: Register, profile: Profile | None = None) -> Profile:
    """Return the register's profile with the closure days the officer added on the Bank holidays sheet."""
    base = profile or register.profile or load_profile(register.profile_name)
    if not register.closure_days:
        return base
    return replace(base, closure_days=frozenset(base.closure_days | register.closure_days))


# -- writing checks back -------------------------------------------------------------------------


def annotate(path: Path, findings: Sequence[Finding], today: date, profile_title: str) -> SaveResult:
    """Write the findings into the workbook on a Checks sheet, a link to each cell; keep everything else.

    The officer's own columns, colours and comments are left as they are. Written safely: never
    over a workbook open in Excel, with a backup, and beside the workbook when openpyxl would lose
    something of it.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    path = Path(path)
    wb = load_for_update(path, "register")
    if CHECKS in wb.sheetnames:
        del wb[CHECKS]
    ws = wb.create_sheet(CHECKS, index=1 if INSTRUCTIONS in wb.sheetnames else 0)
    put(ws["A1"], f"Checks of {path.name} on {today:%d/%m/%Y} ({profile_title})").font = Font(bold=True, size=13)
    put(ws["A2"], checks_summary(findings))
    for i, (header, width) in enumerate(zip(CHECKS_HEADERS, CHECKS_WIDTHS, strict=True), start=1):
        header_style(put(ws.cell(row=4, column=i), header), HEADER_FILL)
        ws.column_dimensions[column_letter(i - 1)].width = width
    fills = {ERROR: PatternFill("solid", fgColor=RED), WARNING: PatternFill("solid", fgColor=AMBER)}
    sheets = set(wb.sheetnames)
    for r, f in enumerate(findings, start=5):
        values = checks_row(f)
        top = Alignment(vertical="top")
        severity = put(ws.cell(row=r, column=1), values[0])
        severity.fill, severity.alignment = fills.get(f.severity, PatternFill()), top
        put(ws.cell(row=r, column=2), values[1]).alignment = top
        cell = put(ws.cell(row=r, column=3), values[2])
        if f.sheet in sheets:
            target = f.cell.split(":")[0] if f.cell else "A1"
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{f.sheet}'!{target}", display=f.cell or f.sheet)
            cell.style = "Hyperlink"
        cell.alignment = top
        for c in range(4, 8):
            put(ws.cell(row=r, column=c), values[c - 1]).alignment = Alignment(wrap_text=True, vertical="top")
        # Tall enough for the wrapped problem and fix: neither Excel nor LibreOffice sizes a row written by another program.
        ws.row_dimensions[r].height = row_height(zip(values[3:], CHECKS_WIDTHS[3:], strict=True))
    ws.freeze_panes = "A5"
    if findings:
        ws.auto_filter.ref = f"A4:G{len(findings) + 4}"
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = wb.sheetnames.index(CHECKS)
    set_print_layouts(wb)
    wb.calculation.fullCalcOnLoad = True
    return save_openpyxl(wb, path)


# -- the shipped workbook ----------------------------------------------------------------------


def shipped_register_path() -> Path:
    from caseforms.resources import workbooks_dir

    return workbooks_dir() / "register.xlsx"


def main(argv: Iterable[str] | None = None) -> int:
    """Rebuild the shipped blank register (national profile) in workbooks/."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else shipped_register_path()
    wb = build_workbook(load_profile("national"), "national")
    write_atomically(target, wb.save, keep_backup=False)
    print(f"Wrote {target}")
    return 0


__all__ = ["EVENTS", "annotate", "build_workbook", "due_formula", "profile_for", "read_register", "write_new_register"]

if __name__ == "__main__":
    raise SystemExit(main())
