"""The Excel front end against desktop Excel's way of handing values over (issue 17), on Windows and on a Mac.

Every action runs on a register and a tracker holding what desktop Excel really hands Python
(tests/desktop_excel.py: floats, COM's 1899 times, error values, the used range down to the last
formatted row, merged cells, Excel tables), and what it finds or writes is compared with the
command line on the same saved file, both ways: live finds what the command line finds, and
nothing more but the officer's unsaved edits.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

import desktop_excel
from caseforms import excel
from caseforms.cli import main as cli
from caseforms.register.schema import CASES, PEOPLE, register_schema
from desktop_excel import ErrorCell
from excel_fixtures import actions, messages, open_in_excel, written_values
from files.hostile.error_values import with_error_cells
from papers_fixtures import ACTIONS, FULL, write_partnership_folder
from test_tracker_workbook import write_tracker

TODAY = date(2025, 6, 2)
CASES_PART = "xl/worksheets/sheet3.xml"  # Instructions, caseforms, then Cases
TIMED = "TG-2025-011"  # a case whose 'Date LA became aware' was typed as a time alone
RETURNS = Path(__file__).parent / "files" / "returns"


@pytest.fixture(params=[desktop_excel.WINDOWS, desktop_excel.MAC])
def desktop(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Desktop Excel on Windows, then on a Mac, as xlwings hands their values to Python."""
    desktop_excel.install(monkeypatch, request.param)
    return str(request.param)


def letter(key: str, sheet: str = CASES) -> str:
    from caseforms.cells import column_letter
    from caseforms.profile import load_profile

    columns = register_schema(load_profile("kent")).sheet(sheet).columns
    return column_letter(next(i for i, c in enumerate(columns) if c.key == key))


def awkward_folder(root: Path) -> Path:
    """A working folder whose register holds what officers leave in real ones, saved as Excel saves it.

    Merged cells on the Cases sheet; a time typed alone in a date column; "TBC" in a date column;
    #N/A in a text column and #SPILL! in a date column (error values as Excel saves them); the
    register's formats running down 300 rows; and the tracker, whose By agency sheet holds an
    Excel table made by the command line.
    """
    from openpyxl import load_workbook

    write_partnership_folder(root)
    write_tracker(root / "tracker.xlsx", ACTIONS, "kent")
    assert cli(["tracker", str(root / "tracker.xlsx"), "--today", "02/06/2025"]) in (0, 1)  # makes By agency
    path = root / "register.xlsx"
    wb = load_workbook(path)
    ws = wb[CASES]
    ws["A4"] = TIMED
    ws[f"{letter('status')}4"] = "Referral received"
    ws[f"{letter('referral_date')}4"] = date(2025, 3, 3)
    ws[f"{letter('aware_date')}4"] = time(9, 30)
    ws[f"{letter('aware_date')}4"].number_format = "hh:mm"
    ws[f"{letter('decision_date')}3"] = "TBC"
    ws.merge_cells(f"{letter('referrer_name')}3:{letter('referrer_phone')}3")
    wb.save(path)
    with_error_cells(path, CASES_PART, {f"{letter('officer')}2": "#N/A"})
    # Excel saves a #SPILL! as #VALUE! for older readers (its rich-value metadata names the spill): the
    # command line reads #VALUE!, desktop Excel hands over #SPILL! (SHOWN).
    return with_error_cells(path, CASES_PART, {f"{letter('notified_date')}3": "#VALUE!"}, formula="SORT(A1:A3)").parent


def shown() -> dict[tuple[str, str], Any]:
    """What desktop Excel shows, and hands over, for the saved cells whose file value says less."""
    return {(CASES, f"{letter('notified_date')}3"): ErrorCell("#SPILL!")}


def register_on_screen(folder: Path, sheet: str = CASES, cell: str = "A2", edits: dict[tuple[str, str], Any] | None = None
                       ) -> Any:
    """The awkward register open in desktop Excel, with ``cell`` of ``sheet`` selected and unsaved ``edits``."""
    return open_in_excel(folder / "register.xlsx", sheet, cell, desktop=True, edits={**shown(), **(edits or {})})


def cli_findings(path: Path) -> set[tuple[str, str, str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["validate", str(path), "--json", "--today", TODAY.strftime("%d/%m/%Y")])
    return {(f["code"], f["sheet"], f["cell"]) for f in json.loads(out.getvalue())["findings"]}


def live_findings(book: Any) -> set[tuple[str, str, str]]:
    found = set()
    for row in written_values(book, "Checks"):
        if len(row) > 5 and row[0] in ("error", "warning"):
            link = re.search(r',"([^"]*)"\)$', str(row[2]))  # =HYPERLINK("#'Cases'!I2","I2")
            found.add((row[5], row[1], link.group(1) if link else str(row[2] or "")))
    return found


# -- checking the register -------------------------------------------------------------------------


def test_check_finds_what_the_command_line_finds_and_no_more(tmp_path: Path, desktop: str) -> None:
    folder = awkward_folder(tmp_path)
    expected = cli_findings(folder / "register.xlsx")
    # What the awkward cells are, as the command line reports them.
    assert ("MERGED_CELLS", CASES, f"{letter('referrer_name')}3:{letter('referrer_phone')}3") in expected
    assert ("NOT_A_DATE", CASES, f"{letter('aware_date')}4") in expected  # the time typed alone
    assert ("NOT_A_DATE", CASES, f"{letter('decision_date')}3") in expected  # TBC
    assert ("EXCEL_ERROR", CASES, f"{letter('officer')}2") in expected
    assert ("EXCEL_ERROR", CASES, f"{letter('notified_date')}3") in expected  # #SPILL!, a number COM hands over
    book = register_on_screen(folder)
    excel.run_action(book, "check", TODAY)
    assert live_findings(book) == expected, messages(book)


def test_an_unsaved_edit_is_the_only_difference_from_the_command_line(tmp_path: Path, desktop: str) -> None:
    folder = awkward_folder(tmp_path)
    nhs = f"{letter('nhs_number', PEOPLE)}2"
    book = register_on_screen(folder, edits={(PEOPLE, nhs): "999 000 0019"})
    excel.run_action(book, "check", TODAY)
    live, saved = live_findings(book), cli_findings(folder / "register.xlsx")
    assert live - saved == {("NHS_NUMBER", PEOPLE, nhs)} and saved - live == set()


# -- deadlines -------------------------------------------------------------------------------------


def test_deadlines_are_the_command_lines_deadlines(tmp_path: Path, desktop: str) -> None:
    folder = awkward_folder(tmp_path)
    book = register_on_screen(folder)
    message = excel.run_action(book, "deadlines", TODAY)
    listed = [(r[0], r[1], r[2]) for r in written_values(book, excel.DEADLINES_SHEET) if len(r) == 8 and r[0] != "Case"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["deadlines", str(folder / "register.xlsx"), "--json", "--today", "02/06/2025"])
    expected = [(d["case_ref"], d["label"], _moment(d["due"])) for d in json.loads(out.getvalue())]
    assert [(c, label, _moment(due)) for c, label, due in listed] == expected and expected, message
    # The case whose awareness date is a time typed alone is not dated from 30 December 1899.
    assert all(due is None or due.year > 2000 for _, _, due in expected)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return None


# -- per-case actions, live and from the command line --------------------------------------------------


def test_request_pack_is_the_command_lines_pack(tmp_path: Path, desktop: str) -> None:
    folder = awkward_folder(tmp_path)
    book = register_on_screen(folder, CASES, "C2")
    excel.run_action(book, "request", TODAY)
    live = sorted(p.name for p in (folder / "cases" / FULL / "requests").iterdir())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["chronology", "request", str(folder / "register.xlsx"), "--case", FULL, "--out", str(tmp_path / "cli"),
             "--today", "02/06/2025", "--no-log", "--json"])
    asked = {p["agency"] for p in json.loads(out.getvalue())["packs"]}
    assert live == sorted(p.name for p in (tmp_path / "cli").iterdir()) and live
    logged = {v for row in written_values(book, "Returns log") for v in row}
    assert asked <= logged and FULL in logged


def test_merge_writes_the_command_lines_master(tmp_path: Path, desktop: str) -> None:
    from python_calamine import CalamineWorkbook

    folder = awkward_folder(tmp_path)
    returns = folder / "cases" / FULL / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    for name in ("csv_utf8_bom_semicolons.csv", "csv_cp1252_from_excel.csv"):
        shutil.copy(RETURNS / name, returns / name)
    row = excel.MENU_FIRST_ACTION_ROW + [a.key for a in excel.ACTIONS].index("merge")
    book = register_on_screen(folder, excel.MENU_SHEET, f"A{row}", edits={(excel.MENU_SHEET, excel.MENU_CASE_CELL): FULL})
    message = excel.run_from_selection(book, TODAY)
    master = folder / "cases" / FULL / "Master chronology.xlsx"
    assert "entries from 2 return(s)" in message
    assert cli(["chronology", "merge", str(returns), "--output", str(tmp_path / "cli.xlsx"), "--json"]) in (0, 1)

    def sheets(path: Path) -> dict[str, list[list[Any]]]:
        wb = CalamineWorkbook.from_path(str(path))
        return {n: [r for r in wb.get_sheet_by_name(n).to_python() if r[0] != "Made"] for n in wb.sheet_names}  # when

    assert sheets(master) == sheets(tmp_path / "cli.xlsx")


def test_papers_are_the_command_lines_papers(tmp_path: Path, desktop: str) -> None:
    from papers_fixtures import all_text

    folder = awkward_folder(tmp_path)
    book = register_on_screen(folder, CASES, "A2")  # the LCSPR in progress: its Terms of Reference
    message = excel.run_action(book, "papers", TODAY)
    live = sorted((folder / "cases" / FULL / "papers").glob("*.docx"))
    assert cli(["papers", str(folder / "register.xlsx"), "--case", FULL, "--out",  # the stage's papers, as the click
                str(tmp_path / "cli"), "--today", "02/06/2025"]) in (0, 1)
    made = sorted((tmp_path / "cli").glob("*.docx"))
    assert [p.name for p in live] == [p.name for p in made] and live, message
    assert [all_text(p) for p in live] == [all_text(p) for p in made]


# -- the tracker -----------------------------------------------------------------------------------


def test_tracker_ratings_are_the_command_lines_and_by_agency_is_made_afresh(tmp_path: Path, desktop: str) -> None:
    from python_calamine import CalamineWorkbook

    folder = awkward_folder(tmp_path)
    shutil.copy(folder / "tracker.xlsx", tmp_path / "cli tracker.xlsx")
    book = open_in_excel(folder / "tracker.xlsx", "Actions", "A2", desktop=True)
    by_agency = next(s for s in book.api["sheets"] if s["name"] == "By agency")
    assert [t["name"] for t in by_agency["tables"]] == ["ByAgency"]  # the command line made it a table
    message = excel.run_from_selection(book, TODAY)
    assert cli(["tracker", str(tmp_path / "cli tracker.xlsx"), "--today", "02/06/2025"]) in (0, 1)
    rows = CalamineWorkbook.from_path(str(tmp_path / "cli tracker.xlsx")).get_sheet_by_name("Actions").to_python()
    brag = rows[0].index("BRAG")
    assert [v[0] for v in written_values(book, "Actions")][: len(rows) - 1] == [r[brag] for r in rows[1:]], message
    # The old sheet, its table and chart went; the new one is Excel's plain sheet, its title in A1.
    deleted = [a for a in actions(book, "sheetDelete")]
    added = [a for a in actions(book, "addSheet") if a["args"][1] == "By agency"]
    assert deleted and added
    final = next(s for s in book.api["sheets"] if s["name"] == "By agency")
    assert final["tables"] == []
    assert written_values(book, "By agency")[0][0].startswith("Actions by agency and BRAG status")


def test_tracker_from_the_register_rates_as_the_command_line_does(tmp_path: Path, desktop: str) -> None:
    from python_calamine import CalamineWorkbook

    folder = awkward_folder(tmp_path)
    shutil.copy(folder / "tracker.xlsx", tmp_path / "cli tracker.xlsx")
    row = excel.MENU_FIRST_ACTION_ROW + [a.key for a in excel.ACTIONS].index("tracker")
    message = excel.run_from_selection(register_on_screen(folder, excel.MENU_SHEET, f"A{row}"), TODAY)
    assert "LIG paper" in message, message
    assert cli(["tracker", str(tmp_path / "cli tracker.xlsx"), "--today", "02/06/2025"]) in (0, 1)

    def ratings(path: Path) -> list[Any]:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Actions").to_python()
        return [r[rows[0].index("BRAG")] for r in rows[1:]]

    assert ratings(folder / "tracker.xlsx") == ratings(tmp_path / "cli tracker.xlsx")


def test_run_main_on_a_case_row_chooses_that_case(tmp_path: Path, desktop: str) -> None:
    folder = awkward_folder(tmp_path)
    book = register_on_screen(folder, CASES, f"{letter('officer')}4")  # the row of the case with the time typed alone
    excel.run_from_selection(book, TODAY)
    assert f"Case {TIMED} is chosen" in messages(book)[-1]


# -- cell functions, as desktop Excel on Windows calls them -----------------------------------------------


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """xlwings' own udfs module as on Windows (pywin32 stubbed), and caseforms' cell functions decorated by it."""
    import caseforms.excel_functions

    udfs = desktop_excel.windows_udfs(monkeypatch)
    functions = desktop_excel.load_as_on_windows(monkeypatch, Path(caseforms.excel_functions.__file__),
                                                 "caseforms_excel_functions_on_windows")
    return udfs, functions


def bank_holidays(register: Path) -> desktop_excel.ComRange:
    """The register's BankHolidays list (column A of the Bank holidays sheet below its header) as COM passes it."""
    sheet = next(s for s in desktop_excel.desktop_sheets(register) if s["name"] == "Bank holidays")
    return desktop_excel.ComRange([[row[0]] for row in sheet["values"][1:]])


def cases_table(register: Path, edits: dict[str, Any] | None = None) -> desktop_excel.ComRange:
    """The register's Cases[#All] as COM passes it: desktop cells, COM's error numbers and 1899 times."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    grid = next(s for s in desktop_excel.desktop_sheets(register) if s["name"] == CASES)["values"]
    for ref, value in (edits or {}).items():
        col, row = coordinate_from_string(ref)
        grid[row - 1][column_index_from_string(col) - 1] = desktop_excel.desktop_cell(value)
    return desktop_excel.ComRange(grid)


def test_cell_functions_go_through_xlwings_on_windows_and_answer_in_the_cell(on_windows: tuple[Any, Any],
                                                                             tmp_path: Path) -> None:
    udfs, functions = on_windows
    register = write_partnership_folder(tmp_path)
    # Aware on Friday 20 December 2024: the 5th working day after is Tuesday 31 December 2024 (Christmas, Boxing Day).
    assert desktop_excel.call_from_cell(udfs, functions, "CF_WORKDAY", start=desktop_excel.ComRange(
        [[datetime(2024, 12, 20)]]), days=5.0) == [[date(2024, 12, 31)]]
    # The register's BankHolidays list, given to it: Kent's and the officer's closure days are skipped too.
    assert desktop_excel.call_from_cell(udfs, functions, "CF_WORKDAY", start="20/12/2024", days=-5.0,
                                        holidays=bank_holidays(register)) == [[date(2024, 12, 13)]]
    wrong = desktop_excel.call_from_cell(udfs, functions, "CF_WORKDAY", start=desktop_excel.ComRange(
        [[ErrorCell("#REF!")]]), days=5.0)
    assert wrong == [["caseforms: the start shows the Excel error #REF!"]]
    # Filled down past the last date: blank, as the register's own due dates are.
    assert desktop_excel.call_from_cell(udfs, functions, "CF_WORKDAY", start=desktop_excel.ComRange([[None]]),
                                        days=5.0) == [[""]]
    assert desktop_excel.call_from_cell(udfs, functions, "CF_DUE", case=desktop_excel.ComRange([[None]]),
                                        milestone="la_notification", cases=cases_table(register)) == [[""]]


def test_cell_functions_are_not_volatile_and_take_what_they_read_as_arguments(on_windows: tuple[Any, Any]) -> None:
    udfs, functions = on_windows
    vba = io.StringIO()
    udfs.generate_vba_wrapper(functions.__name__, functions, vba, desktop_excel.SimpleNamespace(Name="register.xlsm"))
    wrappers = vba.getvalue()
    assert "Application.Volatile" not in wrappers  # Excel recalculates them when their arguments change
    assert "Function CF_WORKDAY(start, days, Optional holidays)" in wrappers
    assert "Function CF_DUE(case, milestone, cases, Optional holidays, Optional profile)" in wrappers
    assert "Nothing" not in wrappers  # no 'caller': nothing reads the workbook behind Excel's back


def test_cf_due_is_the_command_lines_due_date(on_windows: tuple[Any, Any], tmp_path: Path) -> None:
    from caseforms.deadlines import timetable
    from caseforms.io.register_xlsx import profile_for, read_register

    udfs, functions = on_windows
    path = write_partnership_folder(tmp_path)
    register = read_register(path)
    profile = profile_for(register)
    case = register.case(FULL)
    assert case is not None
    expected = {d.id: d.due for d in timetable(profile, case.events(register.schema), TODAY, flags=case.flags(register.schema))}
    cases, holidays = cases_table(path), bank_holidays(path)
    for milestone, due in expected.items():
        got = desktop_excel.call_from_cell(udfs, functions, "CF_DUE", case=FULL, milestone=milestone,
                                           cases=cases, holidays=holidays, profile="kent")
        assert got == [[due if due is not None else got[0][0]]], milestone
        if due is None:
            assert isinstance(got[0][0], str) and not got[0][0].startswith("caseforms:"), milestone


def test_cf_due_names_a_wrong_date_with_its_cell(on_windows: tuple[Any, Any], tmp_path: Path) -> None:
    udfs, functions = on_windows
    path = write_partnership_folder(tmp_path)
    aware = f"{letter('aware_date')}2"

    def due(value: Any) -> str:
        got = desktop_excel.call_from_cell(udfs, functions, "CF_DUE", case=FULL, milestone="la_notification",
                                           cases=cases_table(path, {aware: value}), profile="kent")
        return str(got[0][0])

    assert due("TBC").startswith("caseforms: ") and "'TBC'" in due("TBC")
    assert "shows the Excel error #REF!" in due(ErrorCell("#REF!")) and f"{aware}" in due(ErrorCell("#REF!"))
    assert due(time(9, 30)).startswith("caseforms: ") and "09:30" in due(time(9, 30))  # COM's 30/12/1899 09:30


# -- which Excel a workbook is open in ---------------------------------------------------------------


@pytest.mark.parametrize(("engine", "platform", "kind"), [
    ("excel", "win32", "windows"), ("excel", "darwin", "mac"), ("remote", "win32", "web"), ("officejs", "darwin", "web"),
])
def test_each_excel_is_read_its_own_way(monkeypatch: pytest.MonkeyPatch, engine: str, platform: str, kind: str) -> None:
    from caseforms.io import live_workbook

    monkeypatch.setattr(live_workbook.sys, "platform", platform)
    book = desktop_excel.SimpleNamespace(app=desktop_excel.SimpleNamespace(engine=desktop_excel.SimpleNamespace(name=engine)))
    assert live_workbook.excel_kind(book) == kind


def test_a_time_typed_alone_is_named_as_a_time_by_the_command_line_too(tmp_path: Path) -> None:
    from caseforms.io.register_xlsx import read_register

    register = read_register(awkward_folder(tmp_path) / "register.xlsx")
    (problem,) = [p for p in register.problems if p.cell == f"{letter('aware_date')}4"]
    assert problem.code == "NOT_A_DATE" and "09:30 is a time with no date" in problem.message
    assert "31/12/2024 09:30" in problem.fix


# -- the due-date formulas never show an error ------------------------------------------------------


def test_due_date_formulas_show_blank_for_a_wrong_entry() -> None:
    from caseforms.io.register_xlsx import due_formula
    from caseforms.profile import load_profile

    for m in load_profile("kent").milestones:
        refs = {a: "I2" for a in m.anchors}
        formula = due_formula(m, refs)
        if formula is not None:
            assert formula.startswith("=IFERROR(") and formula.endswith(',"")'), m.id


@pytest.mark.libreoffice
def test_tbc_in_a_date_leaves_its_due_dates_blank_and_the_check_names_it(tmp_path: Path) -> None:
    import subprocess

    from python_calamine import CalamineWorkbook

    from caseforms.io.register_xlsx import error_cells
    from register_fixtures import good_case, write_register

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = write_register(tmp_path / "register.xlsx", "kent", cases=[good_case(aware_date="TBC")])
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--calc",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "calc"), str(path)],
                   check=True, capture_output=True, timeout=240)
    calculated = tmp_path / "calc" / "register.xlsx"
    rows = CalamineWorkbook.from_path(str(calculated)).get_sheet_by_name(CASES).to_python()
    due = [i for i, h in enumerate(rows[0]) if str(h).startswith("Due:")]
    assert [i for i in due if rows[1][i] in ("", None)] and [i for i in due if rows[1][i] not in ("", None)]
    assert not {c for r, c in error_cells(calculated).get(CASES, {}) if r == 1} & set(due)  # blank, never #VALUE!
    assert ("NOT_A_DATE", CASES, f"{letter('aware_date')}2") in cli_findings(path)


# -- one register per folder ---------------------------------------------------------------------------


def test_the_register_saved_as_xlsm_is_the_folders_one_register(tmp_path: Path) -> None:
    from caseforms.errors import WorkbookError
    from caseforms.register.folders import register_in

    write_partnership_folder(tmp_path)
    assert register_in(tmp_path) == tmp_path / "register.xlsx"
    (tmp_path / "register.xlsx").rename(tmp_path / "register.xlsm")  # File > Save As > Excel Macro-Enabled Workbook
    assert register_in(tmp_path) == tmp_path / "register.xlsm"
    # The tracker refresh from the tracker checks its case references against it.
    write_tracker(tmp_path / "tracker.xlsx", ACTIONS, "kent")
    book = open_in_excel(tmp_path / "tracker.xlsx", "Actions", "A2")
    assert "There is no" not in excel.run_from_selection(book, TODAY)
    # Two at once are refused, naming both.
    shutil.copy(tmp_path / "register.xlsm", tmp_path / "register.xlsx")
    with pytest.raises(WorkbookError, match=r"two registers, register\.xlsx and register\.xlsm"):
        register_in(tmp_path)
    assert cli(["init", str(tmp_path / "new"), "--profile", "kent"]) == 0
    (tmp_path / "new" / "register.xlsx").rename(tmp_path / "new" / "register.xlsm")
    (tmp_path / "new" / "tracker.xlsx").unlink()
    assert cli(["init", str(tmp_path / "new"), "--profile", "kent"]) == 2  # "register.xlsm already exists"
    assert not (tmp_path / "new" / "register.xlsx").exists()


# -- setting a folder up for Excel ------------------------------------------------------------------


def test_set_up_excel_files_name_no_ones_python_and_say_what_to_install(tmp_path: Path) -> None:
    import sys

    assert cli(["init", str(tmp_path / "Reviews"), "--profile", "kent"]) == 0
    cmd = (tmp_path / "Reviews" / "Set up Excel.cmd").read_bytes().decode("utf-8")  # as written: CR LF
    command = (tmp_path / "Reviews" / "Set up Excel.command").read_text(encoding="utf-8")
    for text in (cmd, command):
        assert sys.executable not in text and str(Path(sys.executable).parent) not in text
        assert "Using caseforms from Excel, step 1" in text
    assert not re.search(r"(^|[\s\"=])/[a-z]+/", cmd)  # a Windows file holds no POSIX path (/usr/..., /home/...)
    assert "\r\n" in cmd and "%USERPROFILE%\\caseforms\\Scripts\\python.exe" in cmd and "where /q caseforms" in cmd
    assert '"$HOME/caseforms/bin/python"' in command and "command -v caseforms" in command


def test_run_mains_module_offers_the_cell_functions_for_a_folder_whose_settings_excel_skips(tmp_path: Path) -> None:
    import importlib.util

    assert cli(["init", str(tmp_path), "--profile", "kent"]) == 0
    spec = importlib.util.spec_from_file_location("register_shim", tmp_path / "register.py")
    assert spec is not None and spec.loader is not None
    shim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shim)
    assert callable(shim.main) and callable(shim.CF_WORKDAY) and callable(shim.CF_DUE)


def test_a_synced_folder_is_told_where_to_name_the_cell_functions(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    synced = tmp_path / "OneDrive - Harbourton Council" / "Reviews"
    synced.mkdir(parents=True)
    assert cli(["excel", str(synced)]) == 0
    out = capsys.readouterr().out
    assert "type caseforms.excel_functions in the 'UDF Modules' box on the xlwings tab" in out
    assert "which Python" not in out
    monkeypatch.setenv("OneDriveCommercial", str(tmp_path / "Work"))
    (tmp_path / "Work" / "Reviews").mkdir(parents=True)
    assert cli(["excel", str(tmp_path / "Work" / "Reviews")]) == 0
    assert "UDF Modules" in capsys.readouterr().out
    (tmp_path / "Local").mkdir()
    assert cli(["excel", str(tmp_path / "Local")]) == 0
    assert "UDF Modules" not in capsys.readouterr().out


# -- one click at a time (Excel for Mac runs Python in the background) -------------------------------


def test_a_second_click_while_the_first_runs_is_told_to_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import xlwings as xw

    write_partnership_folder(tmp_path)
    book = open_in_excel(tmp_path / "register.xlsx", excel.MENU_SHEET, f"A{excel.MENU_FIRST_ACTION_ROW}")
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    lock = excel.click_lock(book)
    lock.write_text(str(os.getpid()), encoding="utf-8")  # the first click, still running
    try:
        excel.main()
    finally:
        lock.unlink()
    assert "still working on your click" in messages(book)[-1]
    assert not actions(book, "setValues", "Checks")  # nothing of the second click ran
    lock.write_text("999999999", encoding="utf-8")  # a click whose Python is gone
    excel.main()
    assert "No problems found" in messages(book)[-1] and not lock.exists()


# -- the Excel layer's shape and weight ----------------------------------------------------------------


def test_no_adapter_imports_a_front_end() -> None:
    import ast

    src = Path(excel.__file__).parent
    front_ends = ("caseforms.excel", "caseforms.excel_functions", "caseforms.jobs", "caseforms.cli")
    for module in [*src.glob("io/*.py"), *src.glob("register/*.py")]:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(front_ends), f"{module.name} imports {node.module}"


def test_caseforms_installs_no_plotting_library() -> None:
    """An Excel click imports what is installed: xlwings imports matplotlib (and numpy, PIL) whenever they are."""
    import re as regex
    from importlib.metadata import PackageNotFoundError, distribution

    heavy = {"matplotlib", "numpy", "pillow", "pandas", "plotly", "polars"}
    seen: set[str] = set()
    todo = ["caseforms"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            # Every platform's requirements count (pywin32 on Windows, appscript on a Mac): officers use both.
            todo.append(regex.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-"))
    assert not seen & heavy, f"caseforms' requirements pull in {sorted(seen & heavy)}"


def test_a_click_works_where_no_plotting_library_is_installed(tmp_path: Path) -> None:
    """As on a laptop with caseforms' requirements only: the check, and the tracker with its LIG chart."""
    import subprocess
    import sys

    write_partnership_folder(tmp_path)
    write_tracker(tmp_path / "tracker.xlsx", ACTIONS, "kent")
    script = f"""
import sys
for name in ("matplotlib", "numpy", "PIL", "pandas", "plotly", "polars"):
    sys.modules[name] = None  # not installed: every import of it fails, as xlwings expects when it is absent
import xlwings.utils  # what the add-in's command imports first
sys.path[:0] = [{str(Path(__file__).parent)!r}]
from datetime import date
from pathlib import Path
from caseforms import excel
from excel_fixtures import messages, open_in_excel
folder = Path({str(tmp_path)!r})
book = open_in_excel(folder / "register.xlsx", "Cases", "A2")
print(excel.run_action(book, "check", date(2025, 6, 2)))
assert "holidays" not in sys.modules, "a click imports every country's holidays"
book = open_in_excel(folder / "tracker.xlsx", "Actions", "A2")
print(excel.run_from_selection(book, date(2025, 6, 2)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "XLWINGS_LICENSE_KEY": "noncommercial"})
    assert done.returncode == 0, done.stderr
    assert "could not finish" not in done.stdout and "LIG paper" in done.stdout, done.stdout
    from docx import Document

    (paper,) = (tmp_path / "papers").glob("LIG tracker report*.docx")
    assert len(Document(str(paper)).inline_shapes) == 1  # the chart, drawn by Word


def test_the_shipped_bank_holidays_are_the_holidays_packages() -> None:
    """Shipped so that a click need not import every country's holidays; a one-off bank holiday must reach it."""
    from caseforms.calendar import _FIRST_YEAR, _LAST_YEAR, _shipped_bank_holidays, bank_holidays_from_package

    assert _shipped_bank_holidays() == bank_holidays_from_package(_FIRST_YEAR, _LAST_YEAR), (
        "The holidays package lists other England and Wales bank holidays: run 'python -m caseforms.calendar' "
        "and commit src/caseforms/profiles/bank_holidays_england_and_wales.tsv."
    )
