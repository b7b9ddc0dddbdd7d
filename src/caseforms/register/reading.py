"""Turn the raw cells of a register's sheets into records, noting every problem on the way.

The file adapter (``caseforms.io.register_xlsx``) hands over each sheet as a grid of plain
values (row 1 first, column A first) and its merged ranges; everything else happens here, with
no file library: finding the header row, matching headers to the schema (renamed and missing
columns), typing each cell (text in date cells, Excel serial numbers, Yes/No spellings, Excel error
values such as #REF!), blank rows between records, merged cells. Reading never stops at a problem:
it records a finding and carries on, so one run shows the officer everything to fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from caseforms.cells import column_letter
from caseforms.dates import parse_moment
from caseforms.errors import DateInputError
from caseforms.register.findings import ERROR, WARNING, Finding
from caseforms.register.records import Agency, Case, Meeting, Person, Register, Row
from caseforms.register.schema import (
    AGENCIES,
    CASES,
    CHOICE,
    DATE,
    MEETINGS,
    NHS_NUMBER,
    PEOPLE,
    TEXT,
    RegisterSchema,
    Sheet,
)

_RECORD_TYPES: dict[str, type[Row]] = {CASES: Case, PEOPLE: Person, AGENCIES: Agency, MEETINGS: Meeting}
# Excel's day 0 in the 1900 date system (serial 1 is 1900-01-01, counting its phantom 29 February).
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers that are plausible dates in a register: 1990 to 2100.
_SERIAL_RANGE = (32874.0, 73415.0)
_HEADER_SEARCH_ROWS = 10
_SPACES = re.compile(r"\s+")
_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


#: Excel's error values, as a cell shows them, and what each means in an officer's words.
EXCEL_ERRORS: dict[str, str] = {
    "#REF!": "a formula refers to cells that were deleted or moved",
    "#N/A": "a lookup found nothing, or the value is marked as not available",
    "#VALUE!": "a formula was given text where it needs a number or a date",
    "#NAME?": "a formula uses a name or function Excel does not know",
    "#DIV/0!": "a formula divides by zero or by an empty cell",
    "#NUM!": "a formula's result is not a number Excel can hold",
    "#NULL!": "a formula refers to two ranges that do not meet",
    "#SPILL!": "a formula's results have no room to spill into",
    "#CALC!": "a formula cannot be calculated",
    "#FIELD!": "a formula asks for a field the linked data does not have",
    "#BLOCKED!": "a formula needs something Excel has blocked",
    "#CONNECT!": "a formula could not reach the service it links to",
    "#BUSY!": "Excel was still working the value out when the file was saved",
    "#UNKNOWN!": "the value is of a kind this version of Excel does not know",
    "#GETTING_DATA": "Excel was still fetching the value when the file was saved",
    "#DATA!": "a formula's data is not valid",
}


@dataclass(frozen=True)
class CellError:
    """A cell showing an Excel error value (#REF!, #N/A...), as the file adapter found it: not an empty cell."""

    code: str

    def __str__(self) -> str:
        return self.code


def excel_error(value: Any) -> CellError | None:
    """Return ``value`` as an Excel error when it is one (a :class:`CellError`, or its text as Excel shows it)."""
    if isinstance(value, CellError):
        return value
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        return CellError(value.strip())
    return None


@dataclass
class RawSheet:
    """A sheet as the file adapter read it: every cell value from A1, and its merged ranges."""

    name: str
    rows: list[list[Any]]
    merged: list[str] = field(default_factory=list)


def normalise_header(text: Any) -> str:
    """Return a header as compared: case, spacing and a trailing '*' or '(required)' do not matter."""
    s = _SPACES.sub(" ", str(text or "")).strip().casefold()
    for tail in ("(required)", "*"):
        if s.endswith(tail):
            s = s[: -len(tail)].strip()
    return s


def build_register(
    schema: RegisterSchema,
    sheets: Mapping[str, RawSheet],
    profile_name: str,
    problems: Sequence[Finding] = (),
) -> Register:
    """Return the register the raw sheets hold, with every reading problem in ``register.problems``."""
    register = Register(profile_name, schema, problems=list(problems))
    for sheet in schema.sheets:
        raw = sheets.get(sheet.name) or _renamed_sheet(sheet.name, sheets)
        if raw is None and sheet.added_later:
            continue
        if raw is None:
            register.problems.append(
                Finding(
                    "MISSING_SHEET", ERROR, sheet.name, "",
                    f"The {schema.workbook} has no '{sheet.name}' sheet "
                    f"({sheet.purpose[0].lower()}{sheet.purpose[1:].rstrip('.')}), "
                    "so none of it could be checked.",
                    f"Restore the '{sheet.name}' sheet from backups/ or copy it from a new {schema.workbook} "
                    "(caseforms init), keeping its headers on row 1.",
                )
            )
            continue
        rows = _read_sheet(sheet, raw, register)
        _records_of(register, sheet.name).extend(rows)
    by_ref: dict[str, Case] = {}
    for case in register.cases:
        by_ref.setdefault(case.ref, case)
    for person in register.people:
        if person.case_ref in by_ref:
            by_ref[person.case_ref].people.append(person)
    for meeting in register.meetings:
        if meeting.case_ref in by_ref:
            by_ref[meeting.case_ref].meetings.append(meeting)
    return register


def _records_of(register: Register, sheet: str) -> list[Any]:
    named: dict[str, list[Any]] = {
        CASES: register.cases, PEOPLE: register.people, AGENCIES: register.agencies, MEETINGS: register.meetings,
    }
    if sheet in named:
        return named[sheet]
    return register.other.setdefault(sheet, [])


def _renamed_sheet(name: str, sheets: Mapping[str, RawSheet]) -> RawSheet | None:
    """Return the sheet whose name differs only in case or spaces ("cases ", "CASES")."""
    wanted = normalise_header(name)
    return next((raw for key, raw in sheets.items() if normalise_header(key) == wanted), None)


def _find_header_row(sheet: Sheet, rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """Return the 0-based header row and the column index of each schema header found on it."""
    wanted = {normalise_header(c.header): c.key for c in sheet.columns}
    wanted.update({c.key: c.key for c in sheet.columns})
    best: tuple[int, dict[str, int]] = (0, {})
    for r, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for i, value in enumerate(row):
            key = wanted.get(normalise_header(value)) if value not in (None, "") else None
            if key is not None and key not in found:
                found[key] = i
        if len(found) > len(best[1]):
            best = (r, found)
    return best


def _read_sheet(sheet: Sheet, raw: RawSheet, register: Register) -> list[Row]:
    name = sheet.name
    header_row, found = _find_header_row(sheet, raw.rows)
    if not found:
        register.problems.append(
            Finding(
                "NO_HEADERS", ERROR, name, "A1",
                f"None of the {name} headers ({', '.join(c.header for c in sheet.columns[:3])}...) is in the first "
                f"{_HEADER_SEARCH_ROWS} rows, so the sheet could not be read.",
                f"Put the headers back on row 1 exactly as a new {register.schema.workbook} has them (caseforms init).",
            )
        )
        return []
    letters = {key: column_letter(i) for key, i in found.items()}
    register.columns[name] = letters
    header_values = raw.rows[header_row]
    excel_header_row = header_row + 1
    if header_row:
        register.problems.append(
            Finding(
                "HEADER_NOT_ON_ROW_1", WARNING, name, f"A{excel_header_row}",
                f"The {name} headers are on row {excel_header_row}, not row 1. The rows above them are ignored.",
                "Delete the rows above the headers so the table starts on row 1.",
            )
        )
    known = set(found.values())
    unknown_headers = {
        str(v).strip(): i for i, v in enumerate(header_values) if i not in known and v not in (None, "")
    }
    for column in sheet.columns:
        if column.key in found:
            continue
        if column.added_later:
            # An older register: the column reads as empty; `caseforms papers` says where to add it.
            continue
        near = _renamed_to(column.header, unknown_headers)
        if near:
            index = unknown_headers.pop(near)
            where = f"{column_letter(index)}{excel_header_row}"
            # Read it all the same, so that one renamed header does not hide every other problem.
            found[column.key] = index
            letters[column.key] = column_letter(index)
            message = (
                f"The {name} column '{column.header}' has been renamed '{near}' (column {column_letter(index)}). "
                f"caseforms read it as '{column.header}', but other tools and later versions look for that name."
            )
            fix = f"Rename the header in {where} back to '{column.header}'."
        else:
            where = ""
            message = f"The {name} column '{column.header}' is missing, so it could not be read or checked."
            fix = (f"Add a column headed '{column.header}' (a new {register.schema.workbook} from caseforms init "
                   "shows where it goes).")
        if column.is_input:
            register.problems.append(Finding("MISSING_COLUMN", ERROR, name, where, message, fix))
        else:
            register.problems.append(
                Finding(
                    "MISSING_COLUMN", WARNING, name, where,
                    message + " Excel no longer shows it; caseforms still works it out.", fix,
                )
            )
    for merged in raw.merged:
        register.problems.append(
            Finding(
                "MERGED_CELLS", ERROR, name, merged,
                f"Cells {merged} on {name} are merged: only the first holds a value, the others read as empty.",
                "Select them and unmerge (Home > Merge & Center > Unmerge Cells), then type the value in each cell.",
            )
        )

    record_type = _RECORD_TYPES.get(name, Row)
    columns = [(c, found[c.key]) for c in sheet.columns if c.key in found and c.is_input]
    extra = [i for i in unknown_headers.values()]
    records: list[Row] = []
    blank_run: list[int] = []
    for r in range(header_row + 1, len(raw.rows)):
        cells = raw.rows[r]
        width = len(cells)
        excel_row = r + 1
        values: dict[str, Any] = {}
        empty = True
        for column, i in columns:
            value = cells[i] if i < width else None
            if value is None or value == "":
                values[column.key] = None
                continue
            empty = False
            if isinstance(value, CellError):  # unknown, not empty: the rules that need it stay quiet
                _error_value(value, name, excel_row, letters[column.key], column.header, column.key, column.kind,
                             register)
                values[column.key] = None
                continue
            values[column.key] = _typed(column.kind, column.key, column.list_name, value, name, excel_row,
                                        letters[column.key], column.header, register)
        if empty and any(cells[i] not in (None, "") for i in extra if i < width):
            empty = False
        if empty:
            blank_run.append(excel_row)
            continue
        if blank_run:
            _blank_rows(name, blank_run, register)
            blank_run = []
        records.append(record_type(name, excel_row, values))
    return records


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold())) - {"of", "the", "a", "to", "date"}


def _renamed_to(header: str, candidates: dict[str, int]) -> str | None:
    """Return the unknown header that looks like ``header`` renamed: similar spelling or the same key words."""
    near = difflib.get_close_matches(header, list(candidates), n=1, cutoff=0.6)
    if near:
        return near[0]
    wanted = _words(header)
    for candidate in candidates:
        words = _words(candidate)
        same_kind = ("date" in header.casefold()) == ("date" in candidate.casefold())
        if words and wanted and (words <= wanted or wanted <= words) and same_kind:
            return candidate
    return None


def _blank_rows(name: str, run: list[int], register: Register) -> None:
    first, last = run[0], run[-1]
    rows = f"Row {first} is" if first == last else f"Rows {first}–{last} are"
    register.problems.append(
        Finding(
            "BLANK_ROW", WARNING, name, f"A{first}" if first == last else f"A{first}:A{last}",
            f"{rows} blank between records on {name}. caseforms reads past {'it' if first == last else 'them'}, "
            "but filters, sorting and other tools may stop there.",
            "Delete the empty row(s) (right-click the row number > Delete).",
        )
    )


def _typed(
    kind: str, key: str, list_name: str | None, value: Any, sheet: str, row: int, letter: str, header: str,
    register: Register,
) -> Any:
    """Return a cell's value as its column's type; note a finding when it is not one."""
    if kind == DATE:
        return _date_value(value, sheet, row, letter, header, key, register)
    if kind == NHS_NUMBER:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()
    if isinstance(value, (date, datetime, time, timedelta)):
        return value.isoformat() if not isinstance(value, timedelta) else str(value)
    if isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = _lines(str(value)) if kind == TEXT else _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    if kind == CHOICE and list_name:
        choices = register.schema.lists.get(list_name, [])
        if text in choices:
            return text
        folded = text.casefold()
        if list_name == "yes_no":
            if folded in _YES:
                return "Yes"
            if folded in _NO:
                return "No"
        for choice in choices:
            if choice.casefold() == folded:
                return choice
        if list_name != "methodologies":  # the LCSPR rule reports a methodology off the list
            register.problems.append(
                Finding(
                    "NOT_IN_LIST", WARNING, sheet, f"{letter}{row}",
                    f"{sheet}, row {row}, {header}: '{text}' is not one of the values on the Lists sheet.",
                    f"Pick a value from the drop-down in {letter}{row}, or ask for it to be added to the profile's list "
                    f"'{list_name}'.",
                )
            )
    return text


def _lines(text: str) -> str:
    """Return free text tidied but with its line breaks (Alt+Enter): lists and paragraphs for the papers."""
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _error_value(error: CellError, sheet: str, row: int, letter: str, header: str, key: str, kind: str,
                 register: Register) -> None:
    """Note a cell showing an Excel error as what it is, with its cell; the value reads as unknown, not empty."""
    where = f"{letter}{row}"
    meaning = EXCEL_ERRORS.get(error.code)
    register.unreadable.add((sheet, row, key))
    register.problems.append(
        Finding(
            "EXCEL_ERROR", ERROR, sheet, where,
            f"{sheet}, row {row}, {header}: the cell shows the Excel error {error.code}"
            f"{f' ({meaning})' if meaning else ''}, so caseforms cannot read "
            f"{'a date' if kind == DATE else 'a value'} from it.",
            f"Click {where}: correct its formula, or type the {'date as dd/mm/yyyy' if kind == DATE else 'value'} "
            "over it.",
        )
    )


def _date_value(value: Any, sheet: str, row: int, letter: str, header: str, key: str, register: Register) -> Any:
    error = excel_error(value)
    if error is not None:  # read live from Excel, an error value arrives as the text it shows
        _error_value(error, sheet, row, letter, header, key, DATE, register)
        return None
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0, 0) else value
    if isinstance(value, date):
        return value
    where = f"{letter}{row}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        # A date Excel shows as a number because the cell lost its date format: still a date to Excel.
        moment = datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=float(value))
        return moment.date() if moment.time() == time(0, 0) else moment
    if isinstance(value, time):  # a time typed alone (Excel keeps it as a fraction of day zero)
        register.unreadable.add((sheet, row, key))
        register.problems.append(
            Finding(
                "NOT_A_DATE", ERROR, sheet, where,
                f"{sheet}, row {row}, {header}: {value:%H:%M} is a time with no date, so it cannot be used as a date.",
                f"Type the date in {where} as dd/mm/yyyy, with the time after it if it matters (31/12/2024 {value:%H:%M}).",
            )
        )
        return None
    text = str(value).strip()
    try:
        parsed = parse_moment(text, f"{sheet}, row {row}, {header}")
    except DateInputError as e:
        register.unreadable.add((sheet, row, key))
        register.problems.append(
            Finding(
                "NOT_A_DATE", ERROR, sheet, where,
                str(e) if isinstance(value, str) else f"{sheet}, row {row}, {header}: {value!r} is not a date.",
                f"Retype {where} as a date, dd/mm/yyyy (e.g. 31/12/2024).",
            )
        )
        return None
    register.problems.append(
        Finding(
            "DATE_AS_TEXT", ERROR, sheet, where,
            f"{sheet}, row {row}, {header}: '{text}' is typed as text, not as a date, so Excel's deadline "
            "formulas and sorting cannot use it (caseforms read it as "
            f"{parsed:%d/%m/%Y}).",
            f"Retype {where} as a date, or select the column and use Data > Text to Columns > Date: DMY.",
        )
    )
    return parsed
