"""A cell showing an Excel error (#REF!, #N/A) is reported as what it is, with its cell, never as empty.

Issue 16 ("Safe with hostile and accidental input", fault 13): "#REF! in a date cell is reported as
'no date'". python-calamine and xlwings both hand an error value over as an empty cell, so a date
broken by a deleted cell read as a date never typed in.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from caseforms import excel
from caseforms.cli import main
from caseforms.io.register_xlsx import error_cells, read_register
from caseforms.io.tracker_xlsx import check_tracker, read_tracker
from caseforms.register.reading import CellError
from excel_fixtures import open_in_excel, written_values
from files.hostile.error_values import with_error_cells
from register_fixtures import good_case, good_child, write_register
from test_tracker_workbook import action, write_tracker

CASES_PART = "xl/worksheets/sheet3.xml"  # Instructions, caseforms, then Cases


def broken_register(tmp_path: Path) -> Path:
    """A register whose case has #REF! as its date aware (a formula left by a deleted cell) and #N/A in its officer."""
    path = write_register(tmp_path / "register.xlsx", cases=[good_case()], people=[good_child()])
    with_error_cells(path, CASES_PART, {"I2": "#REF!"}, formula="#REF!+1")
    return with_error_cells(path, CASES_PART, {"C2": "#N/A"})


def test_error_cells_are_found_where_calamine_sees_empty_ones(tmp_path: Path) -> None:
    path = broken_register(tmp_path)
    assert error_cells(path)["Cases"] == {(1, 8): CellError("#REF!"), (1, 2): CellError("#N/A")}


def test_ref_in_a_date_cell_is_reported_as_an_excel_error_with_its_cell_not_as_no_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken_register(tmp_path)
    assert main(["validate", str(path), "--json", "--today", "02/06/2025"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    at = {(f["code"], f["cell"]): f for f in findings}
    assert ("EXCEL_ERROR", "I2") in at and ("EXCEL_ERROR", "C2") in at
    assert "Cases, row 2, Date LA became aware: the cell shows the Excel error #REF! (a formula refers to cells that" in (
        at[("EXCEL_ERROR", "I2")]["message"])
    assert "I2" in at[("EXCEL_ERROR", "I2")]["fix"] and "#N/A" in at[("EXCEL_ERROR", "C2")]["message"]
    assert not [f for f in findings if f["cell"] == "I2" and f["code"] != "EXCEL_ERROR"], "an error is not an empty date"


def test_the_case_reads_the_date_as_unknown_not_as_missing(tmp_path: Path) -> None:
    register = read_register(broken_register(tmp_path))
    case = register.cases[0]
    assert case["aware_date"] is None and ("Cases", 2, "aware_date") in register.unreadable
    assert case["incident_date"] == date(2025, 3, 1)  # the cells beside are read as ever


def test_an_error_in_a_trackers_due_date_is_reported_with_its_cell(tmp_path: Path) -> None:
    path = write_tracker(tmp_path / "tracker.xlsx", [action("SCP-2025-001-RR01")])
    with_error_cells(path, "xl/worksheets/sheet2.xml", {"J2": "#VALUE!"}, formula="DATE(2025,13,\"x\")")
    tracker, _ = read_tracker(path)
    found = [f for f in check_tracker(tracker) if f.cell == "J2"]
    assert [f.code for f in found] == ["EXCEL_ERROR"]
    assert "shows the Excel error #VALUE!" in found[0].message


def test_an_error_shown_in_excel_is_reported_by_the_check_from_excel(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    write_register(tmp_path / "register.xlsx", cases=[good_case()], people=[good_child()])
    book = open_in_excel(tmp_path / "register.xlsx", "Cases", "A2", edits={("Cases", "I2"): "#REF!"})
    excel.run_action(book, "check", date(2025, 6, 2))
    rows = written_values(book, "Checks")
    errors = [r for r in rows if len(r) > 5 and r[5] == "EXCEL_ERROR"]
    assert len(errors) == 1 and "'Cases'!I2" in errors[0][2] and "shows the Excel error #REF!" in errors[0][3]
    assert not any(len(r) > 5 and r[5] == "REQUIRED" and "aware" in r[3] for r in rows)
