"""The Excel front end, through xlwings' remote engine: each action as clicked on a workbook open in Excel.

Each test opens a real workbook file "in Excel" (excel_fixtures.open_in_excel), runs the action the
way Run main does, and checks what Excel was told to do and what was written beside the workbook;
where the command line does the same job, its result on the same file is compared.
"""

from __future__ import annotations

import json
import shutil
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from caseforms import excel
from caseforms.cli import main as cli
from caseforms.io.register_xlsx import read_register
from caseforms.register.schema import CASES, RETURNS_LOG
from excel_fixtures import actions, handed_over, holds, messages, open_in_excel, written_values
from papers_fixtures import ACTIONS, FULL, SPARSE, write_partnership_folder
from test_tracker_workbook import write_tracker

TODAY = date(2025, 6, 2)
RETURNS = Path(__file__).parent / "files" / "returns"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A working folder: the Kent register with a full (LCSPR) and a sparse (referral) case, and a tracker."""
    write_partnership_folder(tmp_path)
    write_tracker(tmp_path / "tracker.xlsx", ACTIONS, "kent")
    return tmp_path


def register_in_excel(folder: Path, sheet: str = CASES, cell: str = "A2", **kw: Any) -> Any:
    return open_in_excel(folder / "register.xlsx", sheet, cell, **kw)


def menu_with_case(folder: Path, action: str, case: str | None) -> Any:
    """The register in Excel with the caseforms sheet showing, ``case`` chosen and ``action``'s row selected."""
    row = excel.MENU_FIRST_ACTION_ROW + [a.key for a in excel.ACTIONS].index(action)
    edits = {(excel.MENU_SHEET, excel.MENU_CASE_CELL): case} if case else {}
    return register_in_excel(folder, excel.MENU_SHEET, f"A{row}", edits=edits)


# -- Run main --------------------------------------------------------------------------------------


def test_run_main_on_a_case_row_chooses_the_case_and_shows_the_caseforms_sheet(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = register_in_excel(folder, CASES, "D3")
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    excel.main()
    chosen = [a for a in actions(book, "setValues", excel.MENU_SHEET)]
    assert chosen and chosen[-1]["values"] == [["'" + SPARSE]]  # as text, whatever the reference looks like
    assert chosen[-1]["start_row"] == 2 and chosen[-1]["start_column"] == 1  # B3
    assert actions(book, "activateSheet")
    assert f"Case {SPARSE} is chosen" in messages(book)[-1]


def test_run_main_on_the_caseforms_sheet_runs_the_selected_action(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = menu_with_case(folder, "deadlines", None)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    excel.main()
    assert written_values(book, excel.DEADLINES_SHEET)
    assert "overdue" in messages(book)[-1]


def test_run_main_on_the_caseforms_sheet_away_from_an_action_says_what_to_click(folder: Path) -> None:
    book = register_in_excel(folder, excel.MENU_SHEET, "B2")
    excel.run_from_selection(book, TODAY)
    assert "Click the name of an action" in messages(book)[-1]


def test_a_register_made_before_the_caseforms_sheet_gets_it(folder: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(folder / "register.xlsx")
    del wb[excel.MENU_SHEET]
    wb.save(folder / "register.xlsx")
    book = register_in_excel(folder, CASES, "A2")
    excel.run_from_selection(book, TODAY)
    added = actions(book, "addSheet")
    assert added and added[0]["args"][1] == excel.MENU_SHEET
    rows = written_values(book, excel.MENU_SHEET)
    assert [a.label for a in excel.ACTIONS] == [r[0] for r in rows[excel.MENU_FIRST_ACTION_ROW - 1:]][: len(excel.ACTIONS)]


def test_the_built_register_has_the_caseforms_sheet_with_a_case_dropdown(folder: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(folder / "register.xlsx")[excel.MENU_SHEET]
    labels = [ws[f"A{r}"].value for r in range(excel.MENU_FIRST_ACTION_ROW, excel.MENU_FIRST_ACTION_ROW + 6)]
    assert labels == [a.label for a in excel.ACTIONS]
    dv = ws.data_validations.dataValidation[0]
    assert str(dv.sqref) == excel.MENU_CASE_CELL and dv.formula1.lstrip("=").startswith("Cases!$A$2")


# -- checking the register -------------------------------------------------------------------------


def test_check_lists_findings_with_links_and_colours_the_cells_without_rewriting_the_file(folder: Path) -> None:
    path = folder / "register.xlsx"
    before = path.read_bytes()
    # An unsaved edit on screen: a mistyped NHS number. The check must see it.
    book = register_in_excel(folder, edits={("People", "G2"): "999 000 0019"})
    message = excel.run_action(book, "check", TODAY)
    assert path.read_bytes() == before
    rows = written_values(book, "Checks")
    nhs = [r for r in rows if len(r) > 5 and r[5] == "NHS_NUMBER"]
    assert nhs and nhs[0][2].startswith('=HYPERLINK("#\'People\'!G2"')
    raw = [r for r in handed_over(book, "Checks") if len(r) > 5 and holds(r[5]) == "NHS_NUMBER"]
    assert raw[0][2].startswith("=HYPERLINK(") and raw[0][3].startswith("'")  # the link is a formula, the message text
    coloured = [(a["start_row"], a["start_column"]) for a in actions(book, "setRangeColor", "People")]
    assert (1, 6) in coloured  # G2
    assert "error(s)" in message and "Checks sheet" in message
    # The command line finds the same problems in the saved file, plus the one only on screen.
    cli_codes = _cli_codes(path)
    live_codes = {r[5] for r in rows if r[0] in ("error", "warning")}
    assert live_codes - cli_codes == {"NHS_NUMBER"}


def _cli_codes(path: Path) -> set[str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["validate", str(path), "--json", "--today", TODAY.strftime("%d/%m/%Y")])
    return {f["code"] for f in json.loads(out.getvalue())["findings"]}


def test_checking_again_puts_back_the_fill_of_a_corrected_cell(folder: Path) -> None:
    book = register_in_excel(folder, edits={
        ("Checks", "A4"): "Severity", ("Checks", "B5"): "People", ("Checks", "C5"): "G2", ("Checks", "H5"): "",
    })
    excel.run_action(book, "check", TODAY)
    cleared = [a for a in actions(book, "setRangeColor", "People") if (a["start_row"], a["start_column"]) == (1, 6)]
    assert cleared and cleared[0]["args"] in ([None], [""], None, [])


def test_a_read_only_register_is_not_checked_and_the_officer_is_told_what_to_do(folder: Path) -> None:
    path = folder / "register.xlsx"
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        book = register_in_excel(folder)
        excel.run_action(book, "check", TODAY)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert not actions(book, "setValues", "Checks")
    assert "read-only" in messages(book)[-1] and "open it again" in messages(book)[-1]


def test_an_unsaved_workbook_is_asked_to_be_saved_in_the_working_folder(folder: Path) -> None:
    book = open_in_excel(folder / "register.xlsx", CASES, "A2", name="Book1")
    excel.run_action(book, "request", TODAY)
    assert "save it in the partnership's working folder" in messages(book)[-1]


# -- deadlines -------------------------------------------------------------------------------------


def test_deadlines_sheet_lists_what_the_command_line_lists(folder: Path) -> None:
    import contextlib
    import io

    book = register_in_excel(folder)
    excel.run_action(book, "deadlines", TODAY)
    rows = written_values(book, excel.DEADLINES_SHEET)
    listed = [(r[0], r[1]) for r in rows if len(r) == 8 and r[0] in (FULL, SPARSE)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(["deadlines", str(folder / "register.xlsx"), "--json", "--today", "02/06/2025"])
    expected = [(d["case_ref"], d["label"]) for d in json.loads(out.getvalue())]
    assert listed == expected and listed
    assert actions(book, "calculate")


# -- per-case actions ------------------------------------------------------------------------------


def test_request_pack_for_the_selected_row_is_written_and_logged_live(folder: Path) -> None:
    book = register_in_excel(folder, CASES, "C2")
    message = excel.run_action(book, "request", TODAY)
    requests = folder / "cases" / FULL / "requests"
    written = sorted(p.suffix for p in requests.iterdir())
    assert written.count(".eml") == 4 and written.count(".xlsx") == 4
    logged = written_values(book, RETURNS_LOG)
    assert [FULL] in logged
    assert "written to" in message and "Returns log" in message
    # The log was written through Excel, not into the file under it.
    assert read_register(folder / "register.xlsx").other.get(RETURNS_LOG, []) == []


def test_the_selection_not_on_a_case_row_is_told_what_to_select(folder: Path) -> None:
    book = register_in_excel(folder, CASES, "A40")
    excel.run_action(book, "request", TODAY)
    assert "is not on a case" in messages(book)[-1] and "Cases sheet" in messages(book)[-1]
    assert not (folder / "cases" / FULL / "requests").exists()


def test_merge_without_a_returns_folder_says_where_to_save_the_returns(folder: Path) -> None:
    shutil.rmtree(folder / "cases" / FULL / "returns", ignore_errors=True)
    book = menu_with_case(folder, "merge", FULL)
    excel.run_action(book, "merge", TODAY)
    message = messages(book)[-1]
    assert "does not exist yet" in message and str(Path("cases") / FULL / "returns") in message


def test_merge_writes_the_case_master_from_its_returns_folder(folder: Path) -> None:
    returns = folder / "cases" / FULL / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    for name in ("csv_utf8_bom_semicolons.csv", "csv_cp1252_from_excel.csv"):
        shutil.copy(RETURNS / name, returns / name)
    master = folder / "cases" / FULL / "Master chronology.xlsx"
    master.unlink()
    book = menu_with_case(folder, "merge", FULL)
    message = excel.run_action(book, "merge", TODAY)
    assert master.is_file() and "entries from 2 return(s)" in message
    # The command line merging the same folder writes the same entries.
    assert cli(["chronology", "merge", str(returns), "--output", str(folder / "cli.xlsx"), "--json"]) == 0
    assert _rows(master) == _rows(folder / "cli.xlsx")


def _rows(path: Path) -> int:
    from openpyxl import load_workbook

    return load_workbook(path, read_only=True).worksheets[0].max_row


def test_papers_follow_the_case_stage(folder: Path) -> None:
    book = register_in_excel(folder, CASES, "A3")  # the referral awaiting decision
    message = excel.run_action(book, "papers", TODAY)
    papers = sorted(p.name for p in (folder / "cases" / SPARSE / "papers").glob("*.docx"))
    assert any("referral" in n.lower() for n in papers) and any("decision" in n.lower() for n in papers)
    assert "awaiting the executive's decision" in message and "[not recorded" in message

    book = register_in_excel(folder, CASES, "A2")  # the LCSPR in progress
    message = excel.run_action(book, "papers", TODAY)
    assert any("Terms of Reference" in p.name for p in (folder / "cases" / FULL / "papers").glob("*.docx"))
    assert "LCSPR in progress" in message


# -- the tracker -----------------------------------------------------------------------------------


def test_tracker_open_in_excel_gets_its_ratings_live_and_the_lig_paper(folder: Path) -> None:
    tracker = folder / "tracker.xlsx"
    before = tracker.read_bytes()
    book = open_in_excel(tracker, "Actions", "A2")
    message = excel.run_from_selection(book, TODAY)
    assert tracker.read_bytes() == before
    brag = [v[0] for v in written_values(book, "Actions")]
    assert {"Red", "Amber", "Green", "Blue", "Superseded"} & set(brag)
    assert written_values(book, "By agency")
    assert actions(book, "addChart", "By agency")
    assert list((folder / "papers").glob("LIG tracker report*.docx"))
    assert "LIG paper" in message


def test_tracker_from_the_register_refreshes_the_tracker_file_and_marks_the_register_live(folder: Path) -> None:
    book = menu_with_case(folder, "tracker", None)
    message = excel.run_action(book, "tracker", TODAY)
    assert list((folder / "papers").glob("LIG tracker report*.docx")), message
    from openpyxl import load_workbook

    assert load_workbook(folder / "tracker.xlsx")["Actions"]["Q2"].value  # BRAG written into the file
    marked = [v[0] for v in written_values(book, CASES)]
    assert marked and set(marked) <= {"Yes", "No"}


# -- faults ----------------------------------------------------------------------------------------


def test_an_unforeseen_fault_is_logged_beside_the_workbook_and_never_shown_as_a_traceback(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseforms.jobs

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(caseforms.jobs, "check_register", broken)
    book = register_in_excel(folder)
    message = excel.run_action(book, "check", TODAY)
    assert "could not finish (RuntimeError: disk on fire)" in message and "Traceback" not in message
    log = (folder / excel.ERROR_LOG).read_text(encoding="utf-8")
    assert "Traceback" in log and "Check the register" in log


# -- cell functions --------------------------------------------------------------------------------


def test_cf_workday_counts_as_the_guidance_does(folder: Path) -> None:
    # Aware on Friday 20 December 2024: the notification is due Tuesday 31 December 2024.
    assert excel.workday(date(2024, 12, 20), 5) == date(2024, 12, 31)
    assert excel.workday(45646.0, 5.0) == date(2024, 12, 31)  # the same date as Excel passes it
    assert excel.workday("20/12/2024", -5) == date(2024, 12, 13)
    # A closure day in the list given (the register's BankHolidays) is skipped as well.
    assert excel.workday(date(2024, 12, 20), 5, [[datetime(2024, 12, 30)], [None], ["Closure"]]) == date(2025, 1, 2)


def test_cf_due_follows_the_cases_table_it_is_given(folder: Path) -> None:
    from caseforms.deadlines import timetable
    from caseforms.io.register_xlsx import profile_for

    register = read_register(folder / "register.xlsx")
    aware = f"{register.columns[CASES]['aware_date']}2"
    book = register_in_excel(folder, edits={(CASES, aware): "2025-01-30T00:00:00.000Z"})  # a day later, unsaved
    table = book.sheets[CASES].used_range.options(ndim=2).value
    assert excel.due(FULL, "la_notification", table, profile="kent") == date(2025, 2, 6)
    case = register.case(FULL)
    assert case is not None
    saved = next(r for r in timetable(profile_for(register), case.events(register.schema), TODAY)
                 if r.milestone.id == "la_notification")
    assert saved.due == date(2025, 2, 5)  # the saved file still says 29 January + 5 working days
    assert "this profile has" in str(excel.due(FULL, "no such thing", table, profile="kent"))


def test_the_cell_functions_answer_in_the_cell_never_with_a_python_error(folder: Path) -> None:
    from caseforms.excel_functions import CF_DUE, CF_WORKDAY

    assert CF_WORKDAY(date(2024, 12, 20), 5.0) == date(2024, 12, 31)
    assert str(CF_WORKDAY("31/02/2025", 5)).startswith("caseforms: ")
    assert str(CF_DUE("NO-SUCH-CASE", "la_notification", [["Case reference"]])).startswith("caseforms: ")


# -- connecting a folder to Run main -----------------------------------------------------------------


def test_init_connects_the_register_and_tracker_to_run_main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    assert cli(["init", str(tmp_path / "Reviews"), "--profile", "kent"]) == 0
    folder = tmp_path / "Reviews"
    conf = (folder / "xlwings.conf").read_text(encoding="utf-8")
    assert '"UDF MODULES","caseforms.excel_functions"' in conf
    assert (folder / "Set up Excel.cmd").is_file() and (folder / "Set up Excel.command").is_file()
    # Run main imports the module named after the workbook from the workbook's folder and calls main().
    spec = importlib.util.spec_from_file_location("register", folder / "register.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    book = open_in_excel(folder / "register.xlsx", excel.MENU_SHEET, f"A{excel.MENU_FIRST_ACTION_ROW}")
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    module.main()
    assert "No problems found" in messages(book)[-1]


def test_a_renamed_workbook_is_connected_again_or_told_its_new_name(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["init", str(tmp_path), "--profile", "national"]) == 0
    (tmp_path / "register.xlsx").rename(tmp_path / "register_2026.xlsx")
    shutil.copy(tmp_path / "register_2026.xlsx", tmp_path / "Kent register 2026.xlsx")
    (tmp_path / "tracker.py").write_text("def main():\n    print('my own')\n", encoding="utf-8")
    capsys.readouterr()
    assert cli(["excel", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (tmp_path / "register_2026.py").is_file()
    assert "Kent register 2026.xlsx: Run main cannot reach caseforms" in out and "kent_register_2026.xlsx" in out
    assert "tracker.py is not caseforms' own" in out
    assert (tmp_path / "tracker.py").read_text(encoding="utf-8").startswith("def main")


def test_xlwings_conf_keeps_the_officers_own_settings_and_names_no_ones_python(tmp_path: Path) -> None:
    from caseforms.io.excel_setup import write_config

    (tmp_path / "xlwings.conf").write_text('"SHOW CONSOLE","True"\n"UDF MODULES","old"\n', encoding="utf-8")
    text = write_config(tmp_path).read_text(encoding="utf-8")
    assert '"SHOW CONSOLE","True"' in text and '"old"' not in text
    assert '"UDF MODULES","caseforms.excel_functions"' in text
    # A shared folder's file must not send every officer to one officer's Python.
    assert "INTERPRETER" not in text


def test_excel_on_the_web_can_check_but_is_told_that_files_need_desktop_excel(folder: Path) -> None:
    # The Office.js client gives the workbook's name only, never a folder on this computer.
    book = open_in_excel(folder / "register.xlsx", CASES, "A2", name="register.xlsx")
    assert "error(s)" in excel.run_action(book, "check", TODAY) or "No problems" in messages(book)[-1]
    book = open_in_excel(folder / "register.xlsx", CASES, "A2", name="register.xlsx")
    excel.run_action(book, "papers", TODAY)
    assert "need desktop Excel" in messages(book)[-1]


def test_a_partnerships_own_profile_file_is_used_for_papers_and_requests(tmp_path: Path) -> None:
    from caseforms.jobs import make_papers
    from register_fixtures import good_case, write_register

    own = tmp_path / "harbourton.toml"
    own.write_text('[profile]\nname = "harbourton"\nextends = "national"\n'
                   'title = "Harbourton Safeguarding Children Partnership"\n', encoding="utf-8")
    (tmp_path / "cases").mkdir()
    write_register(tmp_path / "register.xlsx", str(own), cases=[good_case("HSCP-2025-001")])
    made = make_papers(tmp_path / "register.xlsx", "HSCP-2025-001", "notification", TODAY)
    assert made.profile.name == "harbourton" and made.papers[0][1].is_file()
    book = open_in_excel(tmp_path / "register.xlsx", CASES, "A2")
    assert "written to" in excel.run_action(book, "papers", TODAY)


def test_deadlines_sheet_has_a_chart_of_the_working_days_left_beside_its_table(folder: Path) -> None:
    """A bar per milestone still to meet, in its status's colour: overdue left of today, soonest at the top."""
    book = register_in_excel(folder)
    excel.run_action(book, "deadlines", TODAY)
    rows = written_values(book, excel.DEADLINES_SHEET)
    table = [r for r in rows if len(r) == 8 and r[0] in (FULL, SPARSE)]
    written = written_values(book, excel.DEADLINES_SHEET)
    start = next(i for i, r in enumerate(written) if r == ["Milestone", "Overdue", "Due soon", "Upcoming"])
    data = [[None if v == "" else v for v in r] for r in written[start + 1:start + 1 + len(table)]]
    for (label, *_), listed in zip(data, table, strict=True):  # a long one cut short, so the bars keep their room
        full = f"{listed[0]}: {listed[1]}"
        assert label == full or (len(label) == 60 and label.endswith("…") and full.startswith(label[:-1]))
    for (_, overdue, soon, upcoming), listed in zip(data, table, strict=True):
        days, status = listed[3], listed[4]
        assert {"overdue": overdue, "due soon": soon, "upcoming": upcoming}[status] == days
        assert [overdue, soon, upcoming].count(None) == 2
    assert any(r[1] is not None and r[1] < 0 for r in data)  # the sample register has an overdue milestone
    (added,) = actions(book, "addChart", excel.DEADLINES_SHEET)
    assert f"$J$4:$M${4 + len(table)}" in added["args"]
    assert [a["args"][1] for a in actions(book, "setChartType", excel.DEADLINES_SHEET)] == ["BarStacked"]
    axes = [a["args"][1:] for a in actions(book, "setChartAxis", excel.DEADLINES_SHEET)]
    assert ["category", {"reverse_order": True, "crosses": "maximum"}] in axes  # soonest at the top, as in the table
    assert ["value", {"crosses": "minimum"}] in axes  # the milestones named left of the overdue bars, not over them
    assert any(axis == "value" and "Working days left" in str(how) for axis, how in axes)
    # Refreshed again: one chart still, the last one's deleted first.
    excel.run_action(book, "deadlines", TODAY)
    assert len(actions(book, "addChart", excel.DEADLINES_SHEET)) == 2
