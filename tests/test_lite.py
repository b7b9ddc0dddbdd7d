"""caseforms in xlwings Lite: every script run the way the Lite add-in runs it, compared with the command line.

xlwings Lite hands a script the workbook on screen as a JSON description (the Office.js client:
a bare book name, no folder) and runs it through xlwings' own ``custom_scripts_call``, the
function behind xlwings Lite and xlwings Server; the scripts are found in ``main.py`` by
``custom_scripts_meta``. Here ``main.py`` is the very text ``caseforms excel --lite`` writes,
loaded as a module with xlwings' server-side ``@script`` decorator, as the Lite runtime has it.
The working folder comes from the caseforms sheet's setting (an unsaved edit on screen), as an
officer types it after mounting the folder with Local Folders.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import io
import json
import shutil
import types
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from xlwings import server

from caseforms import excel
from caseforms.cli import main as cli
from caseforms.io import bounded, safe_write
from caseforms.io.lite_setup import main_py
from caseforms.register.menu import MENU_FOLDER_CELL, MENU_FOLDER_LABEL, MENU_SHEET
from caseforms.register.schema import CASES, RETURNS_LOG
from excel_fixtures import messages, open_in_excel, written_values
from papers_fixtures import ACTIONS, FULL, SPARSE, write_partnership_folder
from test_tracker_workbook import write_tracker

RETURNS = Path(__file__).parent / "files" / "returns"
TODAY = date.today()  # the scripts run on the day they are clicked, as in Excel


@pytest.fixture
def lite(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """main.py as ``caseforms excel --lite`` writes it, loaded the way the xlwings Lite runtime loads it."""
    import caseforms.lite

    monkeypatch.setattr(xw, "script", server.script)  # the decorator of the Lite and Server runtimes
    importlib.reload(caseforms.lite)
    module = types.ModuleType("main")
    exec(compile(main_py(), "main.py", "exec"), module.__dict__)
    yield module
    monkeypatch.undo()
    importlib.reload(caseforms.lite)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A working folder (the Kent register with a full and a sparse case, and a tracker), as a Local Folder."""
    root = tmp_path / "Reviews"
    root.mkdir()
    write_partnership_folder(root)
    write_tracker(root / "tracker.xlsx", ACTIONS, "kent")
    return root


def in_lite(path: Path, sheet: str = CASES, cell: str = "A2", *, working_folder: Path | str | None = None,
            edits: dict[tuple[str, str], Any] | None = None) -> Any:
    """The workbook at ``path`` as xlwings Lite hands it over: its bare name, ``working_folder`` typed on screen."""
    typed = dict(edits or {})
    if working_folder is not None:
        typed[(MENU_SHEET, MENU_FOLDER_CELL)] = str(working_folder)
    return open_in_excel(path, sheet, cell, name=path.name, edits=typed)


def click(lite: types.ModuleType, script: str, book: Any) -> str:
    """Run a script as the xlwings Lite add-in does; return the last message shown to the officer."""
    returned = asyncio.run(server.custom_scripts_call(lite, script, typehint_to_value={xw.Book: book}))
    assert returned is book  # the book whose recorded actions Lite applies to the workbook
    return messages(book)[-1]


def cli_json(*args: str) -> Any:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli([*args, "--json"])
    return json.loads(out.getvalue())


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "backups" not in p.parts)


# -- the scripts xlwings Lite shows ---------------------------------------------------------------------------


def test_main_py_offers_one_button_per_action_named_as_on_the_caseforms_sheet(lite: types.ModuleType) -> None:
    shown = {s["function_name"]: s["name"] for s in server.custom_scripts_meta(lite)}
    assert [shown[f.__name__] for f in lite.__dict__.values() if getattr(f, "__xlscript__", None)] == [
        *(a.label for a in excel.ACTIONS), "Run the action selected on the caseforms sheet"]


# -- check and deadlines need no folder ---------------------------------------------------------------------


def test_check_from_lite_finds_what_the_command_line_finds_without_any_folder(lite: types.ModuleType,
                                                                              folder: Path) -> None:
    book = in_lite(folder / "register.xlsx", edits={("People", "G2"): "999 000 0019"})  # an unsaved mistake
    message = click(lite, "check_the_register", book)
    assert "error(s)" in message and "Checks sheet" in message
    found = {r[5] for r in written_values(book, "Checks") if len(r) > 5 and r[0] in ("error", "warning")}
    saved = {f["code"] for f in cli_json("validate", str(folder / "register.xlsx"), "--today", f"{TODAY:%d/%m/%Y}")
             ["findings"]}
    assert found - saved == {"NHS_NUMBER"} and saved <= found


def test_deadlines_from_lite_list_what_the_command_line_lists(lite: types.ModuleType, folder: Path) -> None:
    book = in_lite(folder / "register.xlsx")
    message = click(lite, "refresh_the_deadlines", book)
    listed = [(r[0], r[1]) for r in written_values(book, excel.DEADLINES_SHEET) if len(r) == 8 and r[0] in (FULL, SPARSE)]
    expected = [(d["case_ref"], d["label"]) for d in
                cli_json("deadlines", str(folder / "register.xlsx"), "--today", f"{TODAY:%d/%m/%Y}")]
    assert listed == expected and listed and "open case(s)" in message


# -- the file actions, in the working folder the caseforms sheet names -------------------------------------------


def test_request_pack_from_lite_writes_what_the_command_line_writes(lite: types.ModuleType, folder: Path,
                                                                   tmp_path: Path) -> None:
    other = shutil.copytree(folder, tmp_path / "cli")
    book = in_lite(folder / "register.xlsx", CASES, "C2", working_folder=folder)
    message = click(lite, "send_the_chronology_request_pack", book)
    assert "written to" in message and str(folder) in message
    assert [FULL] in written_values(book, RETURNS_LOG)  # logged through Excel
    cli(["chronology", "request", str(other / "register.xlsx"), "--case", FULL, "--no-log", "--today", f"{TODAY:%d/%m/%Y}"])
    requests = Path("cases") / FULL / "requests"
    assert files_under(folder / requests) == files_under(other / requests) and files_under(folder / requests)


def test_merge_from_lite_writes_the_master_the_command_line_writes(lite: types.ModuleType, folder: Path) -> None:
    from openpyxl import load_workbook

    returns = folder / "cases" / FULL / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    for name in ("csv_utf8_bom_semicolons.csv", "csv_cp1252_from_excel.csv"):
        shutil.copy(RETURNS / name, returns / name)
    master = folder / "cases" / FULL / "Master chronology.xlsx"
    master.unlink()
    book = in_lite(folder / "register.xlsx", MENU_SHEET, "A1", working_folder=folder, edits={(MENU_SHEET, "B3"): FULL})
    message = click(lite, "merge_the_returns", book)
    assert master.is_file() and "entries from 2 return(s)" in message
    assert cli(["chronology", "merge", str(returns), "--output", str(folder / "cli.xlsx"), "--json"]) == 0
    rows = [[c.value for c in row] for row in load_workbook(master, read_only=True).worksheets[0].iter_rows()]
    assert rows == [[c.value for c in row] for row in load_workbook(folder / "cli.xlsx", read_only=True).worksheets[0].iter_rows()]


def test_papers_from_lite_are_the_papers_the_command_line_makes(lite: types.ModuleType, folder: Path,
                                                               tmp_path: Path) -> None:
    other = shutil.copytree(folder, tmp_path / "cli")
    book = in_lite(folder / "register.xlsx", CASES, "A3", working_folder=folder)  # the referral awaiting decision
    message = click(lite, "make_the_papers", book)
    assert "awaiting the executive's decision" in message
    cli(["papers", str(other / "register.xlsx"), "--case", SPARSE, "--today", f"{TODAY:%d/%m/%Y}"])
    papers = Path("cases") / SPARSE / "papers"
    assert files_under(folder / papers) == files_under(other / papers) and files_under(folder / papers)


def test_tracker_from_lite_rates_the_tracker_file_as_the_command_line_does(lite: types.ModuleType, folder: Path,
                                                                          tmp_path: Path) -> None:
    from openpyxl import load_workbook

    other = shutil.copytree(folder, tmp_path / "cli")
    book = in_lite(folder / "register.xlsx", MENU_SHEET, "A1", working_folder=folder)
    message = click(lite, "refresh_the_tracker", book)
    assert "LIG paper" in message and list((folder / "papers").glob("LIG tracker report*.docx"))
    cli(["tracker", str(other / "tracker.xlsx"), "--register", str(other / "register.xlsx"), "--today",
         f"{TODAY:%d/%m/%Y}"])

    def ratings(path: Path) -> list[Any]:
        return [row[16] for row in load_workbook(path, read_only=True)["Actions"].iter_rows(min_row=2, values_only=True)]

    assert ratings(folder / "tracker.xlsx") == ratings(other / "tracker.xlsx") and any(ratings(folder / "tracker.xlsx"))
    assert {v[0] for v in written_values(book, CASES)} <= {"Yes", "No"}  # the register marked through Excel


def test_run_the_selected_action_runs_the_action_clicked_on_the_caseforms_sheet(lite: types.ModuleType,
                                                                                folder: Path) -> None:
    row = excel.MENU_FIRST_ACTION_ROW + [a.key for a in excel.ACTIONS].index("deadlines")
    book = in_lite(folder / "register.xlsx", MENU_SHEET, f"A{row}")
    assert "open case(s)" in click(lite, "run_the_selected_action", book)
    book = in_lite(folder / "register.xlsx", CASES, "D3")
    assert f"Case {SPARSE} is chosen" in click(lite, "run_the_selected_action", book)


# -- finding the working folder ------------------------------------------------------------------------------


def test_with_no_folder_set_the_mounted_folder_holding_the_register_is_used_and_kept(
        lite: types.ModuleType, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caseforms.lite

    monkeypatch.setattr(caseforms.lite, "MOUNT_ROOTS", (folder.parent,))
    book = in_lite(folder / "register.xlsx", CASES, "A3")
    message = click(lite, "make_the_papers", book)
    assert list((folder / "cases" / SPARSE / "papers").glob("*.docx"))
    assert f"The working folder is {folder}" in message and "save the register to keep it" in message
    assert written_values(book, MENU_SHEET) == [[str(folder)]]  # typed into B4 for the officer


@pytest.mark.parametrize("typed", [r"S:\Reviews", "/mnt/Reviews that is not mounted"])
def test_a_working_folder_lite_cannot_see_is_refused_with_what_to_do(lite: types.ModuleType, folder: Path,
                                                                     typed: str) -> None:
    book = in_lite(folder / "register.xlsx", CASES, "A3", working_folder=typed)
    message = click(lite, "make_the_papers", book)
    assert "Local Folders" in message and "Traceback" not in message and f"cell {MENU_FOLDER_CELL}" in message
    assert ("as Windows names it" in message) == ("\\" in typed)
    assert not (folder / "cases" / SPARSE / "papers").exists() or not list((folder / "cases" / SPARSE / "papers").iterdir())


def test_with_no_folder_mounted_the_import_export_folder_is_used_and_the_officer_told(
        lite: types.ModuleType, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caseforms.lite

    exported = tmp_path / "data"
    exported.mkdir()
    monkeypatch.setattr(caseforms.lite, "IMPORT_EXPORT_FOLDER", exported)
    monkeypatch.setattr(caseforms.lite, "MOUNT_ROOTS", ())
    book = in_lite(folder / "register.xlsx", CASES, "A3")
    message = click(lite, "make_the_papers", book)
    assert list((exported / "cases" / SPARSE / "papers").glob("*.docx"))
    assert "Import/Export" in message and "download" in message


def test_a_register_made_before_the_working_folder_row_still_runs_its_actions(folder: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(folder / "register.xlsx")
    wb[MENU_SHEET].delete_rows(4)  # the layout before: the actions from row 6
    wb.save(folder / "register.xlsx")
    assert wb[MENU_SHEET]["A6"].value == excel.ACTIONS[0].label
    book = in_lite(folder / "register.xlsx", MENU_SHEET, "A6")
    assert "No problems found" in excel.run_from_selection(book) or "error(s)" in messages(book)[-1]
    assert written_values(book, "Checks")
    assert MENU_FOLDER_LABEL not in str(written_values(book, MENU_SHEET))


# -- what Pyodide cannot do is refused in a sentence ----------------------------------------------------------


def test_an_xls_return_in_lite_is_refused_in_a_sentence_and_the_others_merged(
        lite: types.ModuleType, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded, "WORKERS", False)  # as in Pyodide, which can start no process
    returns = folder / "cases" / FULL / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    shutil.copy(RETURNS / "csv_utf8_bom_semicolons.csv", returns / "police.csv")
    xls = next(RETURNS.glob("*.xls"))
    shutil.copy(xls, returns / "health.xls")
    book = in_lite(folder / "register.xlsx", CASES, "A2", working_folder=folder)
    message = click(lite, "merge_the_returns", book)
    assert "entries from 1 return(s)" in message
    from openpyxl import load_workbook

    findings = " ".join(str(c.value) for ws in load_workbook(folder / "cases" / FULL / "Master chronology.xlsx")
                        for row in ws.iter_rows() for c in row if c.value)
    assert "health.xls is an old Excel workbook (.xls)" in findings and "save it as an Excel Workbook (.xlsx)" in findings


def test_no_pdf_is_attempted_in_lite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caseforms.errors import ConversionError, NeedsDesktop
    from caseforms.io import docx_render

    monkeypatch.setattr(docx_render, "PDF_POSSIBLE", False)
    with pytest.raises(NeedsDesktop, match="save it as PDF") as refused:
        docx_render.to_pdf(tmp_path / "Referral.docx")
    assert isinstance(refused.value, ConversionError)


def test_without_os_locks_writes_still_replace_whole_and_leave_other_writers_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_write, "OS_LOCKS", False)  # as in Pyodide: no fcntl, no msvcrt
    target = tmp_path / "notes.txt"
    target.write_text("before", encoding="utf-8")
    desktop = tmp_path / ".caseforms-999999-0a1b2c3d.tmp.xlsx"  # a desktop caseforms writing meanwhile
    desktop.write_bytes(b"half")
    safe_write.write_atomically(target, lambda tmp: tmp.write_text("after", encoding="utf-8"), updating=True)
    assert target.read_text(encoding="utf-8") == "after"
    assert desktop.exists() and not (tmp_path / safe_write.LOCK_FILE).exists()
    assert next(p.name for p in (tmp_path / "backups").iterdir()).startswith("notes ")


# -- caseforms excel --lite ---------------------------------------------------------------------------------


def test_excel_lite_writes_what_to_paste_and_never_an_officers_own_file(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    wheel = "https://intranet.example/caseforms-0.1.0-py3-none-any.whl"
    assert cli(["excel", str(tmp_path), "--lite", "--wheel", wheel]) == 0
    out = capsys.readouterr().out
    lite_folder = tmp_path / "xlwings Lite"
    requirements = (lite_folder / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert wheel in requirements and "openpyxl==" in out and "from caseforms.lite import" in out
    assert "lxml" in requirements and not any(line.startswith(("lxml=", "python-calamine=")) for line in requirements)
    assert not any(line.startswith(("pywin32", "appscript", "psutil", "tomli")) for line in requirements)
    (lite_folder / "main.py").write_text("# my own scripts\n", encoding="utf-8")
    assert cli(["excel", str(tmp_path), "--lite"]) == 1
    assert (lite_folder / "main.py").read_text(encoding="utf-8") == "# my own scripts\n"
    assert "caseforms==" in (lite_folder / "requirements.txt").read_text(encoding="utf-8")
