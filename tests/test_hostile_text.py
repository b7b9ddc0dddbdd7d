"""Text from anyone is text: hostile text through every writer caseforms has, and every cell read back.

Each writer gets the strings of tests/files/hostile/text_as_formulas.py (formulas, DDE, the signs
Excel starts a formula with, error values, numbers and dates in disguise, characters XML cannot
hold, a name in no encoding, the longest text a cell holds). Every workbook written is read back
with python-calamine (what caseforms and Excel see) and openpyxl (each cell's type): no cell is a
formula unless caseforms put it there, and each text reads back as written. Writes made live
through Excel use xlwings' remote engine (tests/excel_fixtures.py): Excel takes a value as typed,
so each string must reach it as text (the apostrophe Excel hides) and only caseforms' own links
as formulas. Then the faults of issue 16 ("Safe with hostile and accidental input", fault 3),
reproduced through the commands as the issue writes them.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from caseforms import excel
from caseforms.cli import main
from caseforms.errors import CellTextTooLong
from caseforms.io import live_workbook as live
from caseforms.io.cell_text import MAX_CELL_TEXT, Formula, put, xml_unescape
from caseforms.profile import load_profile
from caseforms.register.findings import ERROR, Finding
from caseforms.register.reading import column_letter
from caseforms.register.schema import CASES, PEOPLE, RETURNS_LOG, register_schema
from caseforms.tracker.schema import ACTIONS, BY_AGENCY, tracker_schema
from excel_fixtures import actions, handed_over, holds, open_in_excel
from files.hostile.text_as_formulas import (
    ACTION_PLAN_FORMULAS,
    HOSTILE_TEXT,
    LINK,
    NAME_AS_FORMULA,
    action_plan,
    as_written,
    short,
    typed_as_text,
)
from register_fixtures import good_case, good_child

TODAY = date(2025, 6, 2)
REF = "SCP-2025-014"
NAMES = tuple(short(t) for t in HOSTILE_TEXT)
#: The names as the register reader tidies them (spacing folded): those it keeps as typed.
TIDY_NAMES = tuple(n for n in NAMES if " ".join(n.split()) == n)
# xlwings hands Excel a date as ISO text, which every engine enters as a date.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z?)?$")


# -- reading every cell back ---------------------------------------------------------------------


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """Return every formula cell of a workbook file by (sheet, cell), and every Excel error value as one too."""
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type in ("f", "e")}


def texts(path: Path, sheet: str | None = None) -> list[str]:
    """Return every text cell of a workbook (or of one sheet) as python-calamine reads it."""
    wb = CalamineWorkbook.from_path(str(path))
    names = [sheet] if sheet else wb.sheet_names
    return [v for name in names for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for v in row if isinstance(v, str)]


def assert_kept(path: Path, written: Iterable[str], sheet: str | None = None) -> None:
    """Assert each text written reads back exactly as written from ``path`` (or one of its sheets)."""
    found = set(texts(path, sheet))
    missing = [t[:60] for t in written if as_written(t) not in found]
    assert not missing, f"{path.name}: not read back as written: {missing}"


def assert_only_our_formulas(path: Path, ours: dict[tuple[str, str], str]) -> None:
    """Assert the workbook's formulas are exactly those caseforms wrote on purpose."""
    assert formula_cells(path) == ours


def assert_text_in_excel(book: Any, sheet: str, written: Iterable[str], *, links: int = 0) -> None:
    """Assert every string handed to Excel for ``sheet`` reaches it as text, and the texts are all there.

    Excel takes a value as typed: only a leading apostrophe keeps '=1+1', '1/2' or '0123' as written.
    ``links`` counts caseforms' own HYPERLINK formulas, the only strings allowed through as formulas.
    """
    cells = [v for row in handed_over(book, sheet) for v in row if isinstance(v, str) and v]
    formulas = [v for v in cells if not v.startswith("'") and not _ISO_DATE.match(v)]
    assert len(formulas) == links and all(f.startswith("=HYPERLINK(\"#") for f in formulas), formulas[:3]
    held = {holds(v) for v in cells}
    missing = [t[:60] for t in written if as_written(t) not in held]
    assert not missing, f"{sheet}: not handed to Excel as written: {missing}"


# -- workbooks as officers fill them in, with text typed as text ---------------------------------


def write_register(path: Path, *, cases: Sequence[dict[str, Any]], people: Sequence[dict[str, Any]] = (),
                   agencies: Sequence[dict[str, Any]] = (), profile: str = "national") -> Path:
    """Write a register whose text cells hold text as Excel stores it when typed (an '=' kept as text)."""
    from caseforms.io.register_xlsx import build_workbook

    loaded = load_profile(profile)
    schema = register_schema(loaded)
    wb = build_workbook(loaded, profile)
    for name, records in ((CASES, cases), (PEOPLE, people), ("Agencies", agencies)):
        letters = {c.key: column_letter(i) for i, c in enumerate(schema.sheet(name).columns)}
        for r, record in enumerate(records, start=2):
            for key, value in record.items():
                cell = wb[name][f"{letters[key]}{r}"]
                if isinstance(value, str):
                    typed_as_text(cell, value)
                else:
                    cell.value = value
    (path.parent / "cases").mkdir(exist_ok=True)
    wb.save(path)
    return path


def write_tracker(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """Write a tracker whose actions' text cells hold text as typed."""
    from caseforms.io.tracker_xlsx import build_workbook

    loaded = load_profile("national")
    letters = {c.key: column_letter(i) for i, c in enumerate(tracker_schema(loaded).sheet(ACTIONS).columns)}
    wb = build_workbook(loaded, "national")
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            cell = wb[ACTIONS][f"{letters[key]}{r}"]
            if isinstance(value, str):
                typed_as_text(cell, value)
            else:
                cell.value = value
    wb.save(path)
    return path


def tracker_action(n: int, **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "action_id": f"{REF}-RR{n:02d}", "case_ref": REF, "source": "Rapid Review",
        "action": "Deliver a briefing on safe sleep to all health visiting teams",
        "owner_agency": "Thornbury Community Health", "lead": "Ada Fictional", "measure": "A repeat audit",
        "created_date": date(2025, 1, 10), "due_date": date(2025, 12, 31), "status": "In progress",
        "last_update_date": date(2025, 5, 1), "last_update": "Eight of nine teams briefed",
    }
    values.update(over)
    return values


def hostile_register(folder: Path) -> Path:
    """A working folder's register with a case whose people, officer and agencies are named with hostile text."""
    case = good_case(REF, rr_meeting_date=None, rr_decision_date=None, rr_outcome=None,
                     status="Rapid Review in progress", officer=NAME_AS_FORMULA, agencies_involved="Police",
                     scope_from=date(2024, 6, 1), scope_to=date(2025, 3, 1))
    people = [good_child(REF, name=name) for name in TIDY_NAMES]
    agencies = [{"agency": "Police", "spoc_name": NAME_AS_FORMULA, "email": "spoc@police.example"}]
    return write_register(folder / "register.xlsx", cases=[case], people=people, agencies=agencies)


# -- the rule itself ------------------------------------------------------------------------------


def test_every_hostile_text_is_stored_as_text_and_reads_back_as_written(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for r, text in enumerate(HOSTILE_TEXT, start=1):
        put(wb.active.cell(row=r, column=1), text)
    put(wb.active.cell(row=1, column=2), Formula("=1+1"))
    wb.save(tmp_path / "out.xlsx")
    assert_only_our_formulas(tmp_path / "out.xlsx", {("Sheet", "B1"): "=1+1"})
    assert texts(tmp_path / "out.xlsx") == [as_written(t) for t in HOSTILE_TEXT]
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    # openpyxl reads Excel's _xHHHH_ escapes as they are stored; decoded, each is what was written.
    assert [xml_unescape(ws.cell(row=r, column=1).value) for r in range(1, len(HOSTILE_TEXT) + 1)] == [
        as_written(t) for t in HOSTILE_TEXT]


def test_every_write_method_of_xlsxwriter_keeps_text_as_text(tmp_path: Path) -> None:
    from caseforms.io.cell_text import xlsxwriter_workbook

    path = tmp_path / "out.xlsx"
    workbook = xlsxwriter_workbook(str(path))
    sheet = workbook.add_worksheet("Sheet")
    sheet.add_table(0, 0, len(HOSTILE_TEXT), 3, {"columns": [{"header": h} for h in ("=1+1", "@x", "+y", "-z")]})
    for r, text in enumerate(HOSTILE_TEXT, start=1):
        sheet.write(r, 0, text)
        sheet.write_string(r, 1, text)
        sheet.write_row(r, 2, [text])
    sheet.write(0, 5, Formula("=1+1"))
    workbook.close()
    assert_only_our_formulas(path, {("Sheet", "F1"): "=1+1"})
    assert texts(path).count(as_written(LINK)) == 3
    assert_kept(path, [*HOSTILE_TEXT, "=1+1", "@x", "+y", "-z"])


def test_text_longer_than_a_cell_holds_is_refused_naming_the_cell_not_cut() -> None:
    wb = openpyxl.Workbook()
    with pytest.raises(CellTextTooLong, match=r"sheet 'Sheet', cell C4: .*32,768 characters long.*32,767"):
        put(wb.active["C4"], "x" * (MAX_CELL_TEXT + 1))
    with pytest.raises(CellTextTooLong):  # Excel counts an emoji as two
        put(wb.active["C5"], "😀" * (MAX_CELL_TEXT // 2 + 1))


# -- openpyxl writers --------------------------------------------------------------------------


def test_register_lists_and_checks_sheet_keep_hostile_text_as_text(tmp_path: Path) -> None:
    from caseforms.io.register_xlsx import annotate, build_workbook, lists_sheet

    profile = load_profile("national")
    blank = tmp_path / "register.xlsx"
    build_workbook(profile).save(blank)
    ours = formula_cells(blank)
    assert ours, "the register's due-date formulas are caseforms' own and must stay formulas"

    wb = openpyxl.Workbook()
    lists_sheet(wb.active, replace(register_schema(profile), lists={"hostile": list(NAMES)}))
    wb.save(tmp_path / "lists.xlsx")
    assert_only_our_formulas(tmp_path / "lists.xlsx", {})
    assert_kept(tmp_path / "lists.xlsx", NAMES)

    findings = [Finding("NOT_A_DATE", ERROR, CASES, f"H{r}", text, text) for r, text in enumerate(HOSTILE_TEXT, start=2)]
    annotate(blank, findings, TODAY, "National")
    assert_only_our_formulas(blank, ours)
    assert_kept(blank, HOSTILE_TEXT, "Checks")


@pytest.mark.filterwarnings("ignore:Glyph")  # the LIG paper's chart has no glyph for a control character
def test_tracker_actions_and_by_agency_sheet_keep_hostile_text_as_text(tmp_path: Path) -> None:
    from caseforms.io.tracker_xlsx import append_actions, read_tracker

    path = write_tracker(tmp_path / "tracker.xlsx", [tracker_action(1)])
    tracker, _ = read_tracker(path)
    rows = [tracker_action(n, action=text, owner_agency=short(text), lead=short(text), measure=text, last_update=text)
            for n, text in enumerate(HOSTILE_TEXT, start=2)]
    append_actions(path, tracker, rows)
    assert_only_our_formulas(path, {})
    assert_kept(path, HOSTILE_TEXT, ACTIONS)
    assert main(["tracker", str(path), "--today", "02/06/2025", "--json"]) in (0, 1)
    assert_only_our_formulas(path, {})
    assert_kept(path, HOSTILE_TEXT, ACTIONS)
    # Agencies are grouped by name with spacing tidied (a tab or line break is a space): those that need none.
    assert_kept(path, TIDY_NAMES, BY_AGENCY)


def test_returns_log_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    from caseforms.io.returns_log import upsert_log

    path = write_register(tmp_path / "register.xlsx", cases=[good_case(REF)])
    ours = formula_cells(path)
    upsert_log(path, "national", [
        {"case_ref": REF, "agency": f"Agency {n}", "file": short(text), "findings": text, "received_on": TODAY}
        for n, text in enumerate(HOSTILE_TEXT)
    ])
    assert_only_our_formulas(path, ours)
    assert_kept(path, [*HOSTILE_TEXT, *NAMES], RETURNS_LOG)
    assert len(HOSTILE_TEXT) == sum(1 for t in texts(path, RETURNS_LOG) if t.startswith("Agency "))


def test_request_workbook_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    from caseforms.chronology.request import AgencyRequest
    from caseforms.io.request_pack import build_request_workbook

    request = AgencyRequest(
        case_ref=NAME_AS_FORMULA, agency=LINK, involvement=LINK, contact_name=LINK, contact_title="", email="",
        deputy_email="", phone="", scope_from=date(2024, 6, 1), scope_to=date(2025, 3, 1), due=date(2025, 7, 1),
        requested_on=TODAY, people=list(NAMES), contact_types=list(NAMES), summary_asked=True,
        partnership=LINK, officer=NAME_AS_FORMULA,
    )
    build_request_workbook(request).save(tmp_path / "request.xlsx")
    assert_only_our_formulas(tmp_path / "request.xlsx", {})
    assert_kept(tmp_path / "request.xlsx", NAMES, "Lists")
    assert_kept(tmp_path / "request.xlsx", [NAME_AS_FORMULA, LINK], "caseforms")


# -- xlsxwriter: the master chronology -------------------------------------------------------------


def test_master_chronology_keeps_hostile_text_as_text_and_survives_a_file_name_in_no_encoding(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    returns.mkdir()
    try:
        path = returns / "Police \udcff.xlsx"  # a name in no encoding, as a zip from another computer leaves it
        path.touch()
        path.unlink()
    except (OSError, UnicodeError):
        pytest.skip("this file system holds only names in a known encoding")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Agency", "Type of contact", "By whom", "Details of event", "Comments"])
    for r, text in enumerate(HOSTILE_TEXT, start=2):
        ws.cell(row=r, column=1, value=date(2025, 1, 1 + r % 28))
        for c, value in ((2, "Police"), (3, short(text)), (4, short(text)), (5, text), (6, text)):
            typed_as_text(ws.cell(row=r, column=c), value)
    wb.save(path)
    out = tmp_path / "master.xlsx"
    assert main(["chronology", "merge", str(returns), "--output", str(out), "--case", REF]) in (0, 1)
    assert_only_our_formulas(out, {})
    assert_kept(out, HOSTILE_TEXT, "Chronology")
    assert "Police \ufffd.xlsx" in texts(out)


# -- written live through Excel (xlwings) ------------------------------------------------------------


@pytest.fixture
def book(tmp_path: Path) -> Any:
    """The register open in Excel, with a case and a person."""
    hostile_register(tmp_path)
    return open_in_excel(tmp_path / "register.xlsx", CASES, "A2")


def test_a_sheet_written_live_hands_every_hostile_text_to_excel_as_text(book: Any) -> None:
    rows = [(text, short(text), 3, date(2025, 6, 2)) for text in HOSTILE_TEXT]
    live.write_table(book, "Deadlines", LINK, ("Case", "Milestone", "Days", "Due"), (10, 10, 10, 10), rows, note=LINK)
    assert_text_in_excel(book, "Deadlines", [*HOSTILE_TEXT, *NAMES])
    assert handed_over(book, "Deadlines")[-1][2:] == [3, "2025-06-02"]  # numbers and dates as themselves


def test_the_checks_sheet_written_live_keeps_its_links_and_the_text_as_text(book: Any) -> None:
    findings = [Finding("NOT_A_DATE", ERROR, CASES, f"H{r}", text, text) for r, text in enumerate(HOSTILE_TEXT, start=2)]
    live.show_checks(book, findings, LINK)
    assert_text_in_excel(book, "Checks", HOSTILE_TEXT, links=len(findings))


def test_rows_and_columns_written_live_are_text(book: Any) -> None:
    headers = {"case_ref": "Case reference", "agency": "Agency", "file": "File"}
    live.upsert_rows(book, RETURNS_LOG, headers, ("case_ref", "agency"),
                     [{"case_ref": REF, "agency": f"Agency {n}", "file": short(t)} for n, t in enumerate(HOSTILE_TEXT)])
    assert_text_in_excel(book, RETURNS_LOG, NAMES)
    assert live.write_column(book, CASES, "Business officer", {2: LINK, 4: NAME_AS_FORMULA})
    assert_text_in_excel(book, CASES, [LINK, NAME_AS_FORMULA])
    # Row 3 is not written back at all: whatever the officer has there (a formula, a note) stays as it is.
    assert [(a["start_row"], len(a["values"])) for a in actions(book, "setValues", CASES)] == [(1, 1), (3, 1)]


def test_text_too_long_for_a_cell_is_refused_before_excel_is_touched(book: Any) -> None:
    before = len(actions(book))
    with pytest.raises(CellTextTooLong, match="Deadlines"):
        live.write_table(book, "Deadlines", "Deadlines", ("Case",), (10,), [("ok",), ("x" * (MAX_CELL_TEXT + 1),)])
    assert len(actions(book)) == before


# -- the faults as issue 16 reproduces them, through the commands ----------------------------------


def test_action_plan_formulas_imported_with_tracker_import_stay_text(tmp_path: Path) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [])
    plan = action_plan(tmp_path / "plan.docx", ACTION_PLAN_FORMULAS)
    assert main(["tracker", str(tracker), "--import", str(plan), "--case", REF, "--today", "02/06/2025"]) in (0, 1)
    ws = openpyxl.load_workbook(tracker)[ACTIONS]
    cells = [ws[f"E{r}"] for r in (2, 3, 4)]
    assert [(c.value, c.data_type) for c in cells] == [(text, "s") for text in ACTION_PLAN_FORMULAS]
    assert_only_our_formulas(tracker, {})
    assert_kept(tracker, ACTION_PLAN_FORMULAS, ACTIONS)


def test_an_action_longer_than_a_cell_is_refused_and_the_tracker_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [])
    before = tracker.read_bytes()
    plan = action_plan(tmp_path / "plan.docx", ["Brief every team " * 2500])
    assert main(["tracker", str(tracker), "--import", str(plan), "--case", REF]) == 2
    err = capsys.readouterr().err
    assert "Actions" in err and "32,767" in err and "Traceback" not in err
    assert tracker.read_bytes() == before


def test_a_return_file_named_like_a_formula_is_logged_as_text_by_chronology_status(tmp_path: Path) -> None:
    register = hostile_register(tmp_path)
    assert main(["chronology", "request", str(register), "--case", REF, "--today", "06/03/2025"]) in (0, 1)
    requests = tmp_path / "cases" / REF / "requests"
    returns = tmp_path / "cases" / REF / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    name = '=HYPERLINK("x.example?"&B2,"Open")&Police.xlsx'  # a file name cannot hold the '/' of a web address
    shutil.copy(next(requests.glob("*.xlsx")), returns / name)
    ours = formula_cells(register)
    assert main(["chronology", "status", str(register), "--case", REF, "--today", "10/03/2025"]) in (0, 1)
    assert_only_our_formulas(register, ours)
    assert_kept(register, [name], RETURNS_LOG)


def test_a_register_name_typed_as_text_stays_text_in_the_request_workbooks_lists(tmp_path: Path) -> None:
    register = hostile_register(tmp_path)
    assert main(["chronology", "request", str(register), "--case", REF, "--today", "06/03/2025"]) in (0, 1)
    workbook = next((tmp_path / "cases" / REF / "requests").glob("*.xlsx"))
    assert_only_our_formulas(workbook, {})
    assert_kept(workbook, TIDY_NAMES, "Lists")


def test_an_agency_name_typed_as_text_stays_text_in_the_trackers_by_agency_sheet(tmp_path: Path) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [tracker_action(1, owner_agency=NAME_AS_FORMULA)])
    assert main(["tracker", str(tracker), "--today", "02/06/2025", "--json"]) in (0, 1)
    ws = openpyxl.load_workbook(tracker)[BY_AGENCY]
    assert (ws["A2"].value, ws["A2"].data_type) == (NAME_AS_FORMULA, "s")
    assert_only_our_formulas(tracker, {})


def test_register_names_typed_as_text_stay_text_in_the_deadlines_sheet_written_live(book: Any) -> None:
    excel.run_action(book, "deadlines", TODAY)
    assert_text_in_excel(book, excel.DEADLINES_SHEET, [NAME_AS_FORMULA])


def test_agency_names_typed_as_text_stay_text_in_the_by_agency_sheet_written_live(tmp_path: Path) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [tracker_action(1, owner_agency=NAME_AS_FORMULA),
                                                        tracker_action(2, owner_agency=LINK)])
    book = open_in_excel(tracker, ACTIONS, "A2")
    message = excel.run_from_selection(book, TODAY)
    assert "LIG paper" in message, message
    assert_text_in_excel(book, BY_AGENCY, [NAME_AS_FORMULA, LINK])
    assert_text_in_excel(book, ACTIONS, [])  # the ratings and reasons: text too


def test_choosing_a_case_whose_reference_looks_like_a_formula_writes_it_as_text(tmp_path: Path) -> None:
    write_register(tmp_path / "register.xlsx", cases=[good_case("=1+1")])
    book = open_in_excel(tmp_path / "register.xlsx", CASES, "B2")
    excel.run_from_selection(book, TODAY)
    assert handed_over(book, excel.MENU_SHEET)[-1] == ["'=1+1"]
    assert json.dumps(actions(book, "setValues", excel.MENU_SHEET))  # recorded, nothing else


# -- no writer goes round the rule -------------------------------------------------------------------

#: Modules that write cells without the rule, and why that is safe.
_OUTSIDE_THE_RULE = {
    "io/cell_text.py": "the rule itself",
    "demo/returns.py": "stands in for the agencies' own Excel, writing returns the way they send them",
    "demo/build.py": "fills the demo register with its own fictional values, none from a person or a file",
    "jobs.py": "writes only 'Yes' or 'No' into the register's 'RR action plan complete' column",
}
_CELL_WRITES = re.compile(
    r"\.cell\([^)]*\bvalue\s*="          # openpyxl: ws.cell(row=.., column=.., value=..)
    r"|\bws\w*\[[^]]+\]\s*=[^=]"         # openpyxl: ws["A1"] = ..
    r"|\bcell\.value\s*=[^=]"            # openpyxl: cell.value = ..
    r"|xlsxwriter\.Workbook\("           # xlsxwriter without the rule's worksheets
)


def test_no_module_writes_a_cell_around_the_rule() -> None:
    src = Path(__file__).parents[1] / "src" / "caseforms"
    found = [f"{p.relative_to(src)}:{n}: {line.strip()}" for p in sorted(src.rglob("*.py"))
             if p.relative_to(src).as_posix() not in _OUTSIDE_THE_RULE
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if _CELL_WRITES.search(line)]
    assert not found, "write these cells with caseforms.io.cell_text.put (or live_value for Excel):\n" + "\n".join(found)
