"""Workbooks as Excel shows them, for testing the Excel front end on a machine without Excel.

xlwings' remote engine (the one behind xlwings Server and xlwings Lite) runs the real xlwings object
model over a JSON description of an open workbook and records what the code does to it as a list of
actions. :func:`open_in_excel` describes a real workbook file the way the Office.js client does
(every sheet's values, dates as ISO text), so an action reads exactly what the file holds, plus any
unsaved edits a test makes on screen. Writes are recorded, not applied: assert on :func:`actions`.

The remote engine is part of xlwings PRO, free for noncommercial use under the PolyForm
Noncommercial licence (which covers government bodies such as the partnerships).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import xlwings as xw  # the licence key for its remote engine is set in conftest.py


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return "" if value is None else value


def sheet_values(path: Path) -> dict[str, list[list[Any]]]:
    """Return every sheet of a workbook file as Excel would show it (cached formula results)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def open_in_excel(path: Path, sheet: str, cell: str = "A1", *,
                  edits: Mapping[tuple[str, str], Any] | None = None, name: str | None = None,
                  desktop: bool = False) -> Any:
    """Return the workbook file at ``path`` as open in Excel, with ``cell`` of ``sheet`` selected.

    ``edits`` are unsaved changes on screen: {(sheet, "H7"): value}. The book's name is its full
    path (as desktop Excel gives it), unless ``name`` is given (an unsaved or web workbook).
    With ``desktop``, the workbook is described as desktop Excel holds it (desktop_excel.py: floats,
    1899 times, error cells, the used range to the last formatted row, merged cells, tables); put
    the double in place for the test with ``desktop_excel.install``.
    """
    return xw.Book(json=describe(path, sheet, cell, edits=edits, name=name, desktop=desktop))


def describe(path: Path, sheet: str, cell: str = "A1", *, edits: Mapping[tuple[str, str], Any] | None = None,
             name: str | None = None, desktop: bool = False) -> dict[str, Any]:
    """Return the JSON the client hands xlwings for the workbook at ``path`` open in Excel (see :func:`open_in_excel`)."""
    from caseforms.cells import column_letter

    if desktop:
        from desktop_excel import desktop_cell, desktop_sheets

        described = desktop_sheets(path)
    else:
        described = [{"name": n, "values": rows, "pictures": [], "tables": [], "charts": []}
                     for n, rows in sheet_values(path).items()]
    by_name = {s["name"]: s for s in described}
    for (sheet_name, ref), value in (edits or {}).items():
        if sheet_name not in by_name:  # a sheet added on screen and not saved yet
            by_name[sheet_name] = {"name": sheet_name, "values": [], "pictures": [], "tables": [], "charts": [],
                                   "merged": []}
            described.append(by_name[sheet_name])
        rows = by_name[sheet_name]["values"]
        letters = "".join(ch for ch in ref if ch.isalpha())
        r = int("".join(ch for ch in ref if ch.isdigit())) - 1
        c = next(i for i in range(200) if column_letter(i) == letters)
        while len(rows) <= r:
            rows.append([])
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = desktop_cell(value) if desktop else value
    names = [s["name"] for s in described]
    payload = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": name or str(path), "active_sheet_index": names.index(sheet), "selection": cell},
        "names": [],
        "sheets": [],
    }
    for described_sheet in described:
        rows = described_sheet["values"]
        width = max((len(r) for r in rows), default=1) or 1
        blank = None if desktop else ""
        values = [[v if desktop else _cell(v) for v in r] + [blank] * (width - len(r)) for r in rows] or [[blank]]
        if desktop and (described_sheet.get("used_range_address") or "used_range_address" not in described_sheet):
            height = len(values)
            described_sheet["used_range_address"] = f"A1:{column_letter(width - 1)}{height}"
        payload["sheets"].append({**described_sheet, "values": values})
    return payload


def actions(book: Any, func: str | None = None, sheet: str | None = None) -> list[dict[str, Any]]:
    """Return what the code did to ``book`` (xlwings' recorded actions), of one kind and on one sheet if given."""
    recorded = book.json()["actions"]
    positions = {i: s["name"] for i, s in enumerate(book.api["sheets"])}
    for a in recorded:
        if a["func"] == "addSheet":
            positions[a["args"][0]] = a["args"][1]
    out = []
    for a in recorded:
        if func is not None and a["func"] != func:
            continue
        if sheet is not None and positions.get(a["sheet_position"]) != sheet:
            continue
        out.append(a)
    return out


def holds(value: Any) -> Any:
    """Return what a cell holds once Excel takes ``value`` as xlwings hands it over.

    Excel takes a value as if typed: a leading apostrophe keeps the rest as text (the apostrophe is
    not part of the value); a string starting with '=' is a formula.
    """
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def written_values(book: Any, sheet: str) -> list[list[Any]]:
    """Return every row of values written to ``sheet``, in the order written, as the cells hold them."""
    return [[holds(v) for v in row] for a in actions(book, "setValues", sheet) for row in a["values"]]


def handed_over(book: Any, sheet: str) -> list[list[Any]]:
    """Return every row of values written to ``sheet`` exactly as handed to Excel (text prefix included)."""
    return [row for a in actions(book, "setValues", sheet) for row in a["values"]]


def messages(book: Any) -> list[str]:
    """Return the message boxes shown to the officer."""
    return [a["args"][0] for a in actions(book, "alert")]
