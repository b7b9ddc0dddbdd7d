"""The register workbook: how it is built, read back, annotated and written safely."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from caseforms.errors import WorkbookCorrupt, WorkbookError, WorkbookOpenError, WorkbookProtected
from caseforms.io.register_xlsx import (
    HOLIDAYS_NAME,
    annotate,
    build_workbook,
    profile_for,
    read_register,
    shipped_register_path,
    write_new_register,
)
from caseforms.profile import load_profile
from caseforms.register import ics, nhs
from caseforms.register.schema import register_schema
from caseforms.register.validation import validate
from register_fixtures import NHS_BAD, good_case, good_child, write_register

FILES = Path(__file__).parent / "files"


def _structure(path: Path) -> dict[str, object]:
    """Return what an officer would see of a workbook: sheets, headers, tables, names, lists, formulas."""
    wb = load_workbook(path)
    shape: dict[str, object] = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        shape[ws.title] = {
            "cells": [[c.value for c in row] for row in ws.iter_rows(max_row=min(ws.max_row, 400))],
            "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
            "validations": sorted((dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            "formatting": sorted(str(rng.sqref) for rng in ws.conditional_formatting),
            "freeze": ws.freeze_panes,
        }
    shape["names"] = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
    return shape


def test_the_shipped_register_is_what_the_code_builds(tmp_path: Path) -> None:
    built = tmp_path / "register.xlsx"
    build_workbook(load_profile("national"), "national").save(built)
    assert _structure(shipped_register_path()) == _structure(built), (
        "workbooks/register.xlsx is out of date: rebuild it with 'python -m caseforms.io.register_xlsx'"
    )


def test_a_new_register_is_laid_out_as_officers_expect(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    write_new_register(path, "kent")
    wb = load_workbook(path)
    assert wb.sheetnames[:6] == ["Instructions", "caseforms", "Cases", "People", "Agencies", "Meetings"]
    assert wb["Settings"].sheet_state == "hidden" and wb["Settings"]["B2"].value == "kent"
    cases = wb["Cases"]
    assert "Cases" in cases.tables and cases.freeze_panes == "B2"
    assert cases["A1"].value == "Case reference" and cases.column_dimensions["A"].width == 16
    lists = {dv.formula1 for dv in cases.data_validations.dataValidation if dv.type == "list"}
    assert "=List_case_statuses" in lists and "=List_rr_outcomes" in lists
    assert any(dv.type == "date" for dv in cases.data_validations.dataValidation)
    assert HOLIDAYS_NAME in wb.defined_names and "List_methodologies" in wb.defined_names
    holidays = {row[0].value.date() for row in wb["Bank holidays"].iter_rows(min_row=2, max_col=1) if row[0].value}
    assert {date(2022, 9, 19), date(2023, 5, 8), date(2018, 1, 1), date(2035, 12, 25)} <= holidays
    assert len(cases.conditional_formatting) > 0
    kent_due = [c.value for c in cases[1] if str(c.value).startswith("Due: KSCMP Executive")]
    assert kent_due, "Kent's own milestones get a due-date column"


def test_init_refuses_to_replace_a_register(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"an officer's register")
    with pytest.raises(WorkbookError, match="already exists"):
        write_new_register(path, "national")
    assert path.read_bytes() == b"an officer's register"


def test_records_read_back_with_their_cells(tmp_path: Path) -> None:
    path = write_register(tmp_path / "r.xlsx", "cumbria", cases=[good_case()], people=[good_child()])
    register = read_register(path)
    assert register.profile_name == "cumbria"
    case = register.cases[0]
    assert case.ref == "SCP-2025-001" and case["aware_date"] == date(2025, 3, 3)
    assert register.cell("Cases", case.row, "aware_date") == "I2"
    assert case.events(register.schema)["notified"] == date(2025, 3, 6)
    assert [p["name"] for p in case.people] == ["Ada Test"]


@pytest.mark.parametrize(
    ("name", "code", "cell"),
    [
        ("register_missing_cases_sheet.xlsx", "MISSING_SHEET", ""),
        ("register_renamed_header.xlsx", "MISSING_COLUMN", "I1"),
        ("register_text_in_date_cells.xlsx", "DATE_AS_TEXT", "J2"),
        ("register_text_in_date_cells.xlsx", "NOT_A_DATE", "I3"),
        ("register_merged_cells.xlsx", "MERGED_CELLS", "R2:S2"),
        ("register_blank_rows.xlsx", "BLANK_ROW", "A3:A4"),
        ("register_header_on_row_4.xlsx", "HEADER_NOT_ON_ROW_1", "A4"),
        ("register_no_settings.xlsx", "NO_PROFILE", "B2"),
    ],
)
def test_an_awkward_register_gets_a_clear_finding(name: str, code: str, cell: str) -> None:
    register = read_register(FILES / name)
    findings = validate(register, profile_for(register), date(2025, 6, 2))
    assert [(f.code, f.cell) for f in findings if f.code == code] == [(code, cell)]


def test_the_other_records_of_an_awkward_register_are_still_checked() -> None:
    register = read_register(FILES / "register_blank_rows.xlsx")
    assert [c.row for c in register.cases] == [2, 5]
    renamed = read_register(FILES / "register_renamed_header.xlsx")
    assert renamed.cases[0]["aware_date"] == date(2025, 3, 3)


def test_a_correct_register_file_reads_cleanly() -> None:
    register = read_register(FILES / "register_correct.xlsx")
    assert validate(register, profile_for(register), date(2025, 6, 2)) == []


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [("register_password_protected.xlsx", WorkbookProtected, "password"),
     ("register_corrupt_zip.xlsx", WorkbookCorrupt, "damaged")],
)
def test_a_protected_or_corrupt_register_is_one_clear_error(name: str, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        read_register(FILES / name)


def test_annotate_keeps_what_the_officer_added(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    shutil.copy(FILES / "register_edited_in_excel.xlsx", path)
    register = read_register(path)
    findings = validate(register, profile_for(register), date(2025, 6, 2))
    result = annotate(path, findings, date(2025, 6, 2), "National")
    assert result.path == path and result.redirected_reason is None
    assert result.backup is not None and result.backup.exists()
    wb = load_workbook(path)
    cases = wb["Cases"]
    assert (cases["BA1"].value, cases["BA2"].value) == ("My RAG", "Amber - chase police")
    assert cases["A2"].fill.fgColor.rgb == "00FFFF00"
    assert cases["A2"].comment is not None and "LADO" in cases["A2"].comment.text
    assert "Cases" in cases.tables and len(cases.data_validations.dataValidation) > 10
    checks = wb["Checks"]
    link = next(c for c in checks["C"] if c.value == "G2")
    assert link.hyperlink.location == "'People'!G2"
    assert read_register(path).cases[0]["case_ref"] == "SCP-2025-001"


def test_annotate_twice_replaces_the_checks_sheet(tmp_path: Path) -> None:
    path = write_register(tmp_path / "r.xlsx", cases=[good_case()], people=[good_child(nhs_number=NHS_BAD)])
    register = read_register(path)
    findings = validate(register, profile_for(register), date(2025, 6, 2))
    annotate(path, findings, date(2025, 6, 2), "National")
    annotate(path, [], date(2025, 6, 3), "National")
    wb = load_workbook(path)
    assert wb.sheetnames.count("Checks") == 1 and wb["Checks"]["A2"].value == "No problems found."


def test_annotate_writes_beside_a_register_with_excel_only_features(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    shutil.copy(FILES / "register_excel_extensions.xlsx", path)
    before = path.read_bytes()
    result = annotate(path, [], date(2025, 6, 2), "National")
    assert path.read_bytes() == before
    assert result.path.name == "register (caseforms).xlsx" and result.redirected_reason
    assert "drop-down" in result.redirected_reason


def test_annotate_refuses_a_register_open_in_excel(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", cases=[good_case()])
    (tmp_path / "~$register.xlsx").write_bytes(b"lock")
    before = path.read_bytes()
    with pytest.raises(WorkbookOpenError, match="open in Excel"):
        annotate(path, [], date(2025, 6, 2), "National")
    assert path.read_bytes() == before


def test_closure_days_added_on_the_bank_holidays_sheet_count_in_python_too(tmp_path: Path) -> None:
    path = write_register(tmp_path / "r.xlsx", cases=[good_case()])
    wb = load_workbook(path)
    ws = wb["Bank holidays"]
    ws.cell(row=ws.max_row + 1, column=1, value=date(2025, 3, 4))
    wb.save(path)
    register = read_register(path)
    assert register.closure_days == {date(2025, 3, 4)}
    assert not profile_for(register).calendar.is_working_day(date(2025, 3, 4))


def test_schema_headers_are_unique_for_every_profile() -> None:
    from caseforms.profile import available_profiles

    for name in available_profiles():
        for sheet in register_schema(load_profile(name)).sheets:
            headers = [c.header for c in sheet.columns]
            assert len(headers) == len(set(headers)), f"{name}/{sheet.name} repeats a header"


@pytest.mark.parametrize(("number", "ok"), [("999 000 0018", True), ("9990000026", True), ("999-000-0034", True),
                                            ("999 000 0019", False), ("99900000", False), ("ABC0000018", False)])
def test_nhs_number_check_digit(number: str, ok: bool) -> None:
    assert nhs.is_valid(number) is ok


def test_a_number_whose_check_digit_would_be_ten_is_refused() -> None:
    # 1,2,3,...: weights give a remainder of 1, so 11 - 1 = 10: no valid check digit exists.
    first_nine = next(f"{n:09d}" for n in range(1000, 100000) if nhs.check_digit(f"{n:09d}") is None)
    assert all(not nhs.is_valid(first_nine + str(d)) for d in range(10))


def test_a_reminder_goes_off_at_nine_on_its_day_and_none_is_written_without_one() -> None:
    due = ics.CalendarEvent("A-1@caseforms", date(2025, 6, 16), "SCP/1: Notify", remind_on=date(2025, 6, 12))
    same_day = ics.CalendarEvent("A-2@caseforms", date(2025, 6, 16), "SCP/1: Meet", remind_on=date(2025, 6, 16))
    text = ics.calendar_text([due, same_day, ics.CalendarEvent("A-3@caseforms", date(2025, 6, 16), "SCP/1: Publish")])
    assert "TRIGGER:-PT87H" in text and "TRIGGER:PT9H" in text
    assert text.count("BEGIN:VALARM") == 2


def test_calendar_events_are_all_day_folded_and_escaped() -> None:
    text = ics.calendar_text([ics.CalendarEvent("A-1@caseforms", date(2024, 12, 31), "SCP/1: Notify; the Panel, now " * 4)])
    assert "DTSTART;VALUE=DATE:20241231\r\nDTEND;VALUE=DATE:20250101\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert r"Notify\; the Panel\, now" in text.replace("\r\n ", "")
