"""Rows written straight as XML (io.xlsx_rows) make the same workbook as xlsxwriter's own methods, text as text."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine

from caseforms.io.cell_text import xlsxwriter_workbook
from caseforms.io.xlsx_rows import rows_sheet

#: Every kind of cell a big sheet holds: text that looks like a formula, a number, an error, a date; characters XML
#: cannot hold; markup; line breaks; leading spaces; a text over Excel's limit in UTF-16 units (emoji count twice).
TEXTS = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "#N/A", "0123", "1/2/2024",
         "Tab\tand bell\x07 and nul\x00", "<b>&amp; \"quoted\" 'single'</b>", "line one\nline two", "  padded  ",
         "lone surrogate \ud800 here", "_x0041_ looks escaped", "\U0001F600" * 17_000, "Agency A"]


def _write(path: Path, prepared: bool) -> None:
    workbook = xlsxwriter_workbook(str(path))
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    bold = workbook.add_format({"bold": True, "font_color": "#9E1B00"})
    if prepared:
        sheet, rows = rows_sheet(workbook, "Data", first_row=1)
    else:
        sheet, rows = workbook.add_worksheet("Data"), None
    sheet.set_column(1, 1, 30, wrap)
    sheet.set_column(2, 2, 12, day)
    sheet.write_string(0, 0, "Heading")
    sheet.set_row(0, 30)
    for r, text in enumerate(TEXTS, start=1):
        height = 44.3 if "\n" in text else None
        cells: list[tuple[str, int, Any, Any]] = [("n", 0, r, None), ("s", 1, text, None), ("n", 2, 45_000 + r, None),
                                                  ("n", 3, 0.5 + r / 1000, day), ("s", 5, text[:10], bold)]
        if rows is not None:
            for kind, col, value, fmt in cells:
                (rows.string if kind == "s" else rows.number)(col, value, fmt)
            rows.end_row(height)
        else:
            for kind, col, value, fmt in cells:
                (sheet.write_string if kind == "s" else sheet.write_number)(r, col, value, fmt)
            if height is not None:
                sheet.set_row(r, height)
    workbook.close()


def _cells(path: Path) -> list[tuple[Any, ...]]:
    ws = openpyxl.load_workbook(path)["Data"]
    out: list[tuple[Any, ...]] = [(ws.dimensions,)]
    for row in ws.iter_rows():
        for c in row:
            out.append((c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.alignment.wrap_text))
    out.append(tuple((k, d.height) for k, d in sorted(ws.row_dimensions.items()) if d.height))
    return out


def test_prepared_rows_make_the_workbook_xlsxwriter_makes(tmp_path: Path) -> None:
    plain, prepared = tmp_path / "plain.xlsx", tmp_path / "prepared.xlsx"
    _write(plain, prepared=False)
    _write(prepared, prepared=True)
    assert _cells(prepared) == _cells(plain)
    # calamine (the reader caseforms itself uses) reads the same values.
    read = [python_calamine.CalamineWorkbook.from_path(str(p)).get_sheet_by_name("Data").to_python() for p in (plain, prepared)]
    assert read[0] == read[1]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "prepared.xlsx"
    _write(path, prepared=True)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    ws = openpyxl.load_workbook(path)["Data"]
    assert [ws.cell(row=r, column=2).value for r in range(2, 6)] == TEXTS[:4]
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(2, 6))


def test_a_cell_given_to_xlsxwriter_among_the_prepared_rows_is_never_dropped_in_silence(tmp_path: Path) -> None:
    workbook = xlsxwriter_workbook(str(tmp_path / "clash.xlsx"))
    sheet, rows = rows_sheet(workbook, "Data", first_row=1)
    rows.string(0, "prepared")
    rows.end_row()
    sheet.write_string(1, 3, "written the usual way")
    with pytest.raises(RuntimeError, match="row 2"):
        workbook.close()


def test_a_compression_level_applies_to_that_workbook_only(tmp_path: Path) -> None:
    import xlsxwriter.workbook

    sizes = {}
    for level in (1, 9, None):
        path = tmp_path / f"level {level}.xlsx"
        workbook = xlsxwriter_workbook(str(path), compression=level)
        sheet = workbook.add_worksheet("Data")
        for r in range(2_000):
            sheet.write_string(r, 0, f"Entry {r}: the family was visited at home and the plan was discussed " * 3)
        workbook.close()
        sizes[level] = path.stat().st_size
        assert openpyxl.load_workbook(path)["Data"]["A2"].value.startswith("Entry 1:")
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    assert sizes[1] > sizes[None] >= sizes[9]


def test_rows_are_written_left_to_right_with_numbers_excel_can_hold(tmp_path: Path) -> None:
    workbook = xlsxwriter_workbook(str(tmp_path / "order.xlsx"))
    _, rows = rows_sheet(workbook, "Data", first_row=0)
    rows.string(1, "B")
    with pytest.raises(ValueError, match="left to right"):
        rows.string(0, "A")
    with pytest.raises(ValueError, match="left to right"):
        rows.number(1, 2)
    with pytest.raises(ValueError, match="not a number"):
        rows.number(2, float("nan"))
    rows.number(2, 3)
    rows.end_row()
    rows.string(0, "next row")
    rows.end_row()
    workbook.close()
    ws = openpyxl.load_workbook(tmp_path / "order.xlsx")["Data"]
    assert ws.dimensions == "A1:C2"
    assert [[c.value for c in row] for row in ws.iter_rows()] == [[None, "B", 3], ["next row", None, None]]
