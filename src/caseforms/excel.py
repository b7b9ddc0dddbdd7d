"""caseforms from Excel: every action one click away, acting on the workbook on the officer's screen.

How an officer reaches an action (README, "Using caseforms from Excel"):

- **Run main** on the xlwings tab (Windows and macOS). Excel runs ``main()`` of the Python module
  named after the workbook; ``caseforms init`` (and ``caseforms excel``) writes ``register.py`` and
  ``tracker.py`` beside the workbooks, each calling :func:`main` here.
- :func:`main` acts on the active sheet and the selection. On the **caseforms** sheet it runs the
  action in the selected row, for the case chosen in cell B3. On the Cases sheet (or any sheet with a
  case reference column) it chooses the selected row's case and shows the caseforms sheet. In the
  tracker it refreshes the tracker.
- Each action is also a function of no argument (:func:`check`, :func:`request_pack`...) for a button
  or ``RunPython`` in VBA (``workbooks/caseforms.bas``), and a function of a workbook object
  (:func:`run_action`) that an xlwings Server or xlwings Lite script can call with its own book.

Every action runs the same :mod:`caseforms.jobs` call as the command line. Messages reach the officer
as a short message box; a fault caseforms did not foresee is written, with its details, to
``caseforms errors.log`` beside the workbook, and the message box says so. Never a traceback.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from caseforms.errors import CaseformsError, NotOnACase
from caseforms.io.cell_text import live_rows, live_value
from caseforms.register.menu import (
    ACTION_LIST,
    MENU_CASE_CELL,
    MENU_FIRST_ACTION_ROW,
    MENU_FOLDER_CELL,
    MENU_SHEET,
    menu_rows,
)

ERROR_LOG = "caseforms errors.log"


@dataclass(frozen=True)
class Action:
    """One thing an officer can do from Excel (:data:`caseforms.register.menu.ACTION_LIST`) and the function doing it."""

    key: str
    label: str
    what: str
    needs_case: bool
    run: Callable[[Any, date], str]


# -- choosing the case -----------------------------------------------------------------------------


def chosen_case(book: Any, register: Any) -> Any:
    """Return the case the officer means: the selected row's, or the one chosen on the caseforms sheet.

    Raises :class:`NotOnACase` saying what to select when neither names a case of the register.
    """
    from caseforms.io import live_workbook as live
    from caseforms.jobs import find_case

    sheet, row = live.selected_row(book)
    if sheet.casefold() == MENU_SHEET.casefold():
        menu = live.find_sheet(book, MENU_SHEET)
        ref = menu.range(MENU_CASE_CELL).value if menu is not None else None
        if ref in (None, ""):
            raise NotOnACase(
                f"No case is chosen: pick it in cell {MENU_CASE_CELL} of the caseforms sheet (or select its row on "
                "the Cases sheet and click Run main), then run the action again."
            )
        return find_case(register, str(ref).strip())
    record = _record_at(register, sheet, row)
    if record is None or not record.get("case_ref"):
        raise NotOnACase(
            f"The selection ({sheet}, row {row}) is not on a case. Click a cell in the case's row on the Cases "
            "sheet, then run the action again."
        )
    return find_case(register, str(record.get("case_ref")).strip())


def _record_at(register: Any, sheet: str, row: int) -> Any:
    """Return the register's record on row ``row`` of ``sheet`` (any sheet with a case reference), or None."""
    from caseforms.register.schema import AGENCIES, CASES, MEETINGS, PEOPLE

    named = {CASES: register.cases, PEOPLE: register.people, MEETINGS: register.meetings, AGENCIES: []}
    records = named.get(next((n for n in named if n.casefold() == sheet.casefold().strip()), ""))
    if records is None:
        records = next((rows for name, rows in register.other.items() if name.casefold() == sheet.casefold()), [])
    return next((r for r in records if r.row == row), None)


# -- the actions -----------------------------------------------------------------------------------


def check_book(book: Any, today: date) -> str:
    """Check the register on screen; write the Checks sheet and colour the cells the findings are about."""
    from caseforms.io import live_workbook as live
    from caseforms.jobs import check_register

    path = live.book_path(book, required=False)  # only read: works in Excel on the web too
    live.ensure_writable(book, path, "the Checks sheet")
    live.status(book, "caseforms: checking the register...")
    checked = check_register(path, today, register=live.read_register(book, required=False))
    live.show_checks(book, checked.findings, f"Checks of {book.name} on {today:%d/%m/%Y} ({checked.profile.title})")
    counts = checked.counts
    if not checked.findings:
        return f"No problems found in {len(checked.register.cases)} case(s). The Checks sheet says so."
    return (f"{counts['error']} error(s) and {counts['warning']} warning(s) in {len(checked.register.cases)} "
            "case(s). They are listed on the Checks sheet, each linked to its cell, and the cells are coloured. "
            "Correct them, then check again; save the register to keep the list.")


def refresh_book(book: Any, today: date) -> str:
    """List every open case's deadlines still to meet on the Deadlines sheet, and recalculate the workbook."""
    from caseforms.dates import format_uk
    from caseforms.io import live_workbook as live
    from caseforms.io.register_xlsx import profile_for
    from caseforms.jobs import live_deadlines

    path = live.book_path(book, required=False)  # only read: works in Excel on the web too
    live.ensure_writable(book, path, "the Deadlines sheet")
    live.status(book, "caseforms: working out the deadlines...")
    register = live.read_register(book, required=False)
    profile = profile_for(register)
    rows, clashes = live_deadlines(register, profile, today)
    colours = {"overdue": live.MARK_COLOURS["error"], "due soon": live.MARK_COLOURS["warning"]}
    live.write_table(
        book, DEADLINES_SHEET, f"Deadlines as of {format_uk(today)} ({profile.title})",
        ("Case", "Milestone", "Due", "Working days left", "Status", "Officer", "Rule", "Source"),
        (16, 42, 12, 10, 12, 18, 60, 50),
        [(r.case.ref, r.due.milestone.label, r.due.due, r.due.working_days_left, r.due.status,
          r.case["officer"] or "", r.due.milestone.rule, r.due.milestone.source) for r in rows],
        [colours.get(r.due.status) for r in rows],
        after="Cases",
        note="Every milestone still to meet of every open case, soonest first. Rewritten each time the deadlines "
             "are refreshed." + (" Cases left out: " + " ".join(clashes) if clashes else ""),
    )
    _deadlines_chart(book, rows, today)
    _recalculate(book)
    overdue = sum(r.due.status == "overdue" for r in rows)
    soon = sum(r.due.status == "due soon" for r in rows)
    message = (f"{overdue} overdue, {soon} due soon, {len(rows) - overdue - soon} upcoming, in "
               f"{len(register.open_cases())} open case(s): see the Deadlines sheet.")
    if clashes:
        message += f" {len(clashes)} case(s) left out because their dates clash; run Check the register to see why."
    return message


DEADLINES_SHEET = "Deadlines"
#: Where the chart's data goes on the Deadlines sheet: after the table's eight columns and a gap.
DEADLINES_CHART_DATA = "J4"


def _deadlines_chart(book: Any, rows: list[Any], today: date) -> None:
    """Chart the deadlines beside their table: a bar per milestone, its working days left, red, amber or blue.

    The overdue bars run left of today, the rest right, soonest at the top as in the table; at most
    CHARTED_UP_TO milestones (the table lists them all). The chart's data is written beside the table, where
    the officer can see what it shows.
    """
    from caseforms.io import live_workbook as live
    from caseforms.io.cell_text import live_rows
    from caseforms.register.deadline_chart import CHARTED_UP_TO, STATUS_COLOURS, days_left_rows

    sheet = live.find_sheet(book, DEADLINES_SHEET)
    if sheet is None:
        return
    if not rows:  # nothing to meet: the last refresh's chart would say otherwise
        live.remove_charts(sheet)
        return
    data = days_left_rows(rows)
    more = f" (the {CHARTED_UP_TO} soonest)" if len(rows) > CHARTED_UP_TO else ""
    values = live_rows([(f"Milestone{more}", "Overdue", "Due soon", "Upcoming"), *data], "the Deadlines sheet")
    sheet.range(DEADLINES_CHART_DATA).value = values
    last = 4 + len(data)
    live.add_bar_chart(sheet, f"J4:M{last}", "O4", f"Working days left, {today:%d/%m/%Y}",
                       colours=[f"#{STATUS_COLOURS[s]}" for s in ("overdue", "due soon", "upcoming")],
                       axis_title="Working days left (overdue: to the left of 0)", top_down=True,
                       size=(560, min(60 + 18 * len(data), 900)))


def _recalculate(book: Any) -> None:
    try:
        book.app.calculate()
    except Exception:  # an engine that recalculates by itself
        return


def request_book(book: Any, today: date) -> str:
    """Write the chronology request pack of the chosen case and log the requests on the Returns log sheet."""
    from caseforms.io import live_workbook as live
    from caseforms.jobs import request_chronologies
    from caseforms.register.schema import RETURNS_LOG

    path = live.book_path(book)
    live.ensure_writable(book, path, "the Returns log")
    register = live.read_register(book)
    case = chosen_case(book, register)
    live.status(book, f"caseforms: writing the chronology requests for {case.ref}...")
    done = request_chronologies(path, case.ref, today, register=register, log=False)
    log = register.schema.sheet(RETURNS_LOG)
    live.upsert_rows(book, RETURNS_LOG, {c.key: c.header for c in log.columns}, ("case_ref", "agency"), [
        {"case_ref": p.request.case_ref, "agency": p.request.agency, "requested_on": today, "due": p.request.due}
        for p in done.packs
    ])
    agencies = ", ".join(p.request.agency for p in done.packs)
    message = (f"Chronology requests for {case.ref} written to {done.folder}: {agencies}. Open each e-mail draft "
               f"(.eml) to check and send it. Due back {done.packs[0].request.due_text}. The requests are on the "
               "Returns log sheet: save the register to keep them.")
    if done.problems:
        message += " Still to fill in: " + " ".join(done.problems[:3]) + (" ..." if len(done.problems) > 3 else "")
    return message


def merge_book(book: Any, today: date) -> str:
    """Merge the returns filed in the chosen case's returns folder into the case's master chronology."""
    from caseforms.io import live_workbook as live
    from caseforms.jobs import merge_case_returns

    path = live.book_path(book)
    register = live.read_register(book)
    case = chosen_case(book, register)
    total = [0]
    done_so_far = [0]

    def files(found: list[Path]) -> None:
        total[0] = len(found)

    def progress(return_file: Path) -> None:
        done_so_far[0] += 1
        live.status(book, f"caseforms: reading return {done_so_far[0]} of {total[0]} ({return_file.name})...")

    merged = merge_case_returns(path, case.ref, today=today, register=register, progress=progress, on_files=files)
    counts = merged.master.counts()
    returns = sum(1 for r in merged.master.returns if r.merged)
    return (f"Master chronology of {case.ref} written: {merged.path}. {merged.master.rows_merged} entries from "
            f"{returns} return(s); {counts.get('error', 0)} error(s) and {counts.get('warning', 0)} warning(s) "
            "are on its Findings sheet.")


def papers_book(book: Any, today: date) -> str:
    """Make the papers the chosen case needs at its current stage, in the case's papers folder.

    A paper edited in Word since caseforms made it is never replaced: the message names its new version.
    """
    from caseforms.io import live_workbook as live
    from caseforms.jobs import make_stage_papers
    from caseforms.papers.fields import PACK_TITLES
    from caseforms.papers.versions import NEXT_VERSION

    path = live.book_path(book)
    register = live.read_register(book)
    case = chosen_case(book, register)

    def progress(pack: str, n: int, of: int) -> None:
        live.status(book, f"caseforms: writing the {PACK_TITLES[pack]} ({n} of {of}) for {case.ref}...")

    stage = make_stage_papers(path, case.ref, today, register=register, progress=progress)
    if not stage.packs:
        return f"{case.ref} is {stage.stage}: it needs no papers now. To make a particular pack, use 'caseforms papers'."
    made = stage.packs
    names = "; ".join(PACK_TITLES[m.pack] for m in made)
    missing = {m.label for p in made for m in p.not_recorded}
    message = f"{case.ref} ({stage.stage}): {names} written to {made[0].folder}."
    newer = list(dict.fromkeys(m.path.name for p in made for m in p.made if m.action == NEXT_VERSION))
    if newer:
        message += (f" New version(s): {', '.join(newer)}; the one(s) you edited in Word are left as they were, and "
                    "what you wrote in their sections is carried in.")
    if missing:
        message += (f" {len(missing)} thing(s) the register does not record are shown in the papers as yellow "
                    "'[not recorded: ...]' markers: fill them in the register and make the papers again, or "
                    "complete them in Word.")
    return message


def tracker_book(book: Any, today: date) -> str:
    """Rate every action of the tracker, write the ratings and the By agency sheet, and write the LIG paper.

    From the tracker, the ratings go into it live; from the register, into tracker.xlsx beside it.
    Each case's "RR action plan complete" is written into the register the same way.
    """
    from caseforms.io import live_workbook as live
    from caseforms.register.schema import CASES
    from caseforms.tracker.schema import ACTIONS, TRACKER_FILE

    path = live.book_path(book)
    if live.find_sheet(book, CASES) is not None:  # run from the register
        live.ensure_writable(book, path, "the 'RR action plan complete' column")
        register = live.read_register(book)
        live.status(book, "caseforms: refreshing the tracker...")
        from caseforms.jobs import refresh_tracker

        done = refresh_tracker(path.parent / TRACKER_FILE, today, register=register)
        ready = {c.row: ("Yes" if done.state.ready_to_close[c.ref] else "No")
                 for c in register.cases if c.ref in done.state.ready_to_close}
        if ready:
            live.write_column(book, CASES, "RR action plan complete", ready)
        return _tracker_message(done.state, done.written["lig_report"], done.findings, "tracker.xlsx")
    if live.find_sheet(book, ACTIONS) is None:
        raise NotOnACase(f"'{book.name}' is neither a register nor a tracker made by caseforms: open register.xlsx "
                         "or tracker.xlsx from the working folder and run the action there.")
    return _tracker_live(book, path, today)


def _tracker_live(book: Any, path: Path, today: date) -> str:
    from caseforms.io import live_workbook as live
    from caseforms.io.tracker_xlsx import actions_of, tracker_from_sheets
    from caseforms.jobs import PAPERS_FOLDER, assess_tracker, mark_ready_cases, tracker_papers
    from caseforms.register.folders import register_in
    from caseforms.tracker.rules import AMBER, BLUE, GREEN, RED
    from caseforms.tracker.schema import ACTIONS, BY_AGENCY

    live.ensure_writable(book, path, "the ratings")
    live.status(book, "caseforms: rating the actions...")
    tracker, profile = tracker_from_sheets(live.sheets_of(book, (ACTIONS, "Settings")), path)
    register_path = register_in(path.parent)
    register = None
    if register_path.is_file():
        from caseforms.io.register_xlsx import read_register

        register = read_register(register_path)
    state, findings = assess_tracker(tracker, profile, today, register)
    note = "" if register is not None else (
        f" There is no {register_path.name} beside the tracker, so case references were not checked against it.")
    rated = list(zip(actions_of(tracker), state.rated, strict=True))
    live.write_column(book, ACTIONS, "BRAG", {row.row: rating.rag for row, (_, rating) in rated})
    live.write_column(book, ACTIONS, "Why", {row.row: rating.reason for row, (_, rating) in rated})
    sheet = live.write_table(
        book, BY_AGENCY, f"Actions by agency and BRAG status, {today:%d/%m/%Y}",
        ("Agency", RED, AMBER, GREEN, BLUE, "Open", "Total", "Updates overdue"), (34, 11, 11, 11, 11, 11, 11, 16),
        [(a.agency, a.counts[RED], a.counts[AMBER], a.counts[GREEN], a.counts[BLUE], a.open, a.total,
          a.update_overdue) for a in state.agencies],
        after=ACTIONS,
    )
    if state.agencies:
        live.add_bar_chart(sheet, f"A4:E{4 + len(state.agencies)}", "J4",
                           f"Actions by agency, {today:%d/%m/%Y}")
    live.status(book, "caseforms: writing the LIG paper...")
    written = tracker_papers(state, profile, path.parent / PAPERS_FOLDER)
    if register is not None:
        from caseforms.errors import WorkbookOpenError

        try:
            mark_ready_cases(register_path, state.ready_to_close)
        except WorkbookOpenError:
            note += (" The register is open in Excel, so its 'RR action plan complete' column was not updated: "
                    "run 'Refresh the tracker' from the register to update it.")
    return _tracker_message(state, written["lig_report"], findings, "this tracker") + note


def _tracker_message(state: Any, lig: Path, findings: list[Any], where: str) -> str:
    counts = state.counts
    message = (f"Actions as of {state.as_of:%d/%m/%Y}: {counts['Red']} red, {counts['Amber']} amber, "
               f"{counts['Green']} green, {counts['Blue']} blue; ratings written into {where}. LIG paper: {lig}.")
    if state.escalations:
        message += f" {len(state.escalations)} action(s) to escalate to the Executive."
    if findings:
        message += f" {len(findings)} problem(s) to put right, e.g. {findings[0].where}: {findings[0].message}"
    return message


_RUNS: dict[str, Callable[[Any, date], str]] = {
    "check": check_book, "deadlines": refresh_book, "request": request_book, "merge": merge_book,
    "papers": papers_book, "tracker": tracker_book,
}
ACTIONS: tuple[Action, ...] = tuple(Action(a.key, a.label, a.what, a.needs_case, _RUNS[a.key]) for a in ACTION_LIST)
ACTIONS_BY_KEY = {a.key: a for a in ACTIONS}


# -- running an action -----------------------------------------------------------------------------


def run_action(book: Any, key: str, today: date | None = None, *, note: str = "") -> str:
    """Run one action on ``book`` and tell the officer how it went; return the message shown.

    This is the entry point for every front end holding a workbook object: Run main, a VBA button,
    an xlwings Server or xlwings Lite script. ``note`` is added to a message saying what was done
    (xlwings Lite: where the files went).
    """
    from caseforms.io import live_workbook as live

    action = ACTIONS_BY_KEY[key]
    try:
        message = action.run(book, today or date.today())
    except CaseformsError as e:
        message = str(e)
        _say(book, f"{action.label}: {message}", problem=True)
        return message
    except Exception as e:  # a fault caseforms did not foresee: the details go to the log, not to the officer
        message = _unforeseen(book, action, e)
        _say(book, message, problem=True)
        return message
    finally:
        live.status(book, None)
    message += note
    _say(book, message)
    return message


def _say(book: Any, message: str, *, problem: bool = False) -> None:
    from caseforms.io import live_workbook as live

    live.status(book, None)
    live.alert(book, message, problem=problem)


def _unforeseen(book: Any, action: Action, e: Exception) -> str:
    """Write the details of an unforeseen fault to the log beside the workbook; return what to tell the officer."""
    where = None
    try:
        folder = Path(str(book.fullname)).parent
        if folder.is_dir() and str(folder) not in ("", "."):
            where = folder / ERROR_LOG
            with where.open("a", encoding="utf-8") as log:
                log.write(f"--- {datetime.now():%d/%m/%Y %H:%M:%S} {action.label} in {book.name}\n")
                log.write("".join(traceback.format_exception(type(e), e, e.__traceback__)))
    except Exception:  # the log is a courtesy: never let it hide the message itself
        where = None
    if where is None and sys.platform == "emscripten":  # xlwings Lite shows what is printed in its Output pane
        traceback.print_exception(type(e), e, e.__traceback__)
        return (f"{action.label} could not finish ({type(e).__name__}: {str(e)[:150]}). Nothing of yours was lost. "
                "The details are in the Output pane of xlwings Lite: copy them to your IT support.")
    told = f" The details are in '{where.name}' beside the workbook: send that file to your IT support." if where else ""
    return (f"{action.label} could not finish ({type(e).__name__}: {str(e)[:150]}). Nothing of yours was lost: "
            f"files are only replaced once they are complete, and the previous copies are in backups/.{told}")


def run_from_selection(book: Any, today: date | None = None) -> str:
    """Do what Run main means where the officer is: run the selected action, or choose the selected case."""
    from caseforms.io import live_workbook as live
    from caseforms.register.schema import CASES

    try:
        if live.find_sheet(book, CASES) is None:
            return run_action(book, "tracker", today)
        sheet, row = live.selected_row(book)
        menu = live.find_sheet(book, MENU_SHEET)
        if sheet.casefold() == MENU_SHEET.casefold() and menu is not None:
            # By its name, not its row: a register made before the Working folder row has its actions a row higher.
            label = menu.range(f"A{row}").value if row >= 1 else None
            action = next((a for a in ACTIONS if a.label == str(label or "").strip()), None)
            if action is None:
                message = ("Click the name of an action in column A of the caseforms sheet (from row "
                           f"{MENU_FIRST_ACTION_ROW}), then click Run main.")
                _say(book, message)
                return message
            return run_action(book, action.key, today)
        return _choose_case(book, sheet, row)
    except CaseformsError as e:
        _say(book, str(e), problem=True)
        return str(e)
    except Exception as e:
        message = _unforeseen(book, Action("main", "Run main", "", False, lambda b, d: ""), e)
        _say(book, message, problem=True)
        return message


def _choose_case(book: Any, sheet: str, row: int) -> str:
    """Put the selected row's case in the caseforms sheet's case cell and show the sheet."""
    from caseforms.io import live_workbook as live

    register = live.read_register(book, required=False)  # only read: Excel on the web and xlwings Lite too
    record = _record_at(register, sheet, row)
    menu = show_menu(book)
    if record is None or not record.get("case_ref"):
        message = ("To act on a case, click a cell in its row on the Cases sheet and click Run main; or choose an "
                   "action here on the caseforms sheet (click its name, then Run main).")
        _say(book, message)
        return message
    ref = str(record.get("case_ref")).strip()
    menu.range(MENU_CASE_CELL).value = live_value(ref)
    menu.activate()
    message = f"Case {ref} is chosen. Click the action you want on the caseforms sheet, then click Run main again."
    _say(book, message)
    return message


def show_menu(book: Any) -> Any:
    """Return the caseforms sheet, writing it first when the workbook has none (a register made before it)."""
    from caseforms.io import live_workbook as live

    menu = live.find_sheet(book, MENU_SHEET)
    if menu is not None:
        return menu
    first = book.sheets[0]
    menu = book.sheets.add(MENU_SHEET, before=first)
    menu.range("A1").value = live_rows(menu_rows())
    menu.range("A1").font.bold = True
    menu.range(f"A{MENU_FIRST_ACTION_ROW - 1}:C{MENU_FIRST_ACTION_ROW - 1}").font.bold = True
    menu.range("A:A").column_width = 44
    menu.range("B:B").column_width = 90
    menu.range("C:C").column_width = 14
    menu.range(MENU_CASE_CELL).color = "#FFF2CC"
    menu.range(MENU_FOLDER_CELL).color = "#FFF2CC"
    return menu


# -- entry points: Run main, and one per action for buttons and RunPython ----------------------------


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


#: A click older than this is taken as one whose Python was stopped (Excel closed, the laptop asleep).
CLICK_TIMEOUT_SECONDS = 15 * 60


def click_lock(book: Any) -> Path:
    """Return the file marking that a click on ``book`` is being worked on (in this officer's temporary folder)."""
    import hashlib
    import tempfile

    try:
        name = str(book.fullname)
    except Exception:  # a workbook Excel cannot place (OneDrive): its name is enough to tell clicks apart
        name = str(book.name)
    return Path(tempfile.gettempdir()) / f"caseforms click {hashlib.sha1(name.encode('utf-8')).hexdigest()[:12]}.lock"


def _clicked(book: Any, run: Callable[[], Any]) -> None:
    """Run one click, unless the previous click on the same workbook is still being worked on.

    Excel for Mac starts Python in the background and gives the workbook back at once (the add-in's
    AppleScript ends its command with '&'), so a second click while the first runs would start a
    second caseforms on whatever is selected by then: another row, another action. Windows waits
    for Python, so there the lock is never met.
    """
    import os

    lock = click_lock(book)
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            if _stale(lock):
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            started = datetime.fromtimestamp(lock.stat().st_mtime)
            _say(book, f"caseforms is still working on your click of {started:%H:%M:%S}. Wait for its message, "
                       "then click again (select the row or action you want first).", problem=True)
            return
        except OSError:  # no temporary folder to mark it in: run the click unguarded rather than not at all
            run()
            return
        with os.fdopen(handle, "w") as marker:
            marker.write(str(os.getpid()))
        try:
            run()
        finally:
            with contextlib.suppress(OSError):
                lock.unlink()
        return


def _stale(lock: Path) -> bool:
    """Return whether a click's marker was left by a Python that is no longer running, or long ago."""
    import os
    import time as clock

    try:
        pid = int(lock.read_text(encoding="utf-8").strip() or 0)
        age = clock.time() - lock.stat().st_mtime
    except (OSError, ValueError):
        return True
    if age > CLICK_TIMEOUT_SECONDS or pid <= 0:
        return True
    if sys.platform == "win32":  # Excel waits for Python there, so a marker is always left over; and os.kill
        return True              # with signal 0 would end the process on Windows, not ask about it
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process is there
    except ProcessLookupError:
        return True
    except OSError:  # there, but another user's (or Windows refusing to say): not stale
        return False
    return False


def main() -> None:
    """Run main (the xlwings add-in): act on the active sheet and selection of the workbook it was clicked in."""
    book = _caller()
    _clicked(book, lambda: run_from_selection(book))


def _button(key: str) -> None:
    book = _caller()
    _clicked(book, lambda: run_action(book, key))


def check() -> None:
    """Check the register (for a button: RunPython "import caseforms.excel as cf; cf.check()")."""
    _button("check")


def deadlines() -> None:
    """Refresh the deadlines of every case."""
    _button("deadlines")


def request_pack() -> None:
    """Send the chronology request pack of the selected case."""
    _button("request")


def merge_returns() -> None:
    """Merge the returns of the selected case."""
    _button("merge")


def papers() -> None:
    """Make the papers the selected case needs at its stage."""
    _button("papers")


def tracker() -> None:
    """Refresh the tracker and write the LIG paper."""
    _button("tracker")


# -- cell functions (=CF_WORKDAY, =CF_DUE): the plain functions behind caseforms.excel_functions ---------
#
# Everything a cell function needs is passed to it by its formula (the cells of the case, the Bank
# holidays list), so Excel knows what each depends on and recalculates it only when those change:
# no function reads the workbook itself, and none is volatile. Values arrive as desktop Excel hands
# them over (floats, COM's 1899 times, error numbers), and are read as the live reader reads them.


def _as_date(value: Any, what: str) -> date:
    """Return a date passed to a cell function: a date cell, a date serial, or text such as 20/12/2024."""
    from caseforms.dates import parse_date
    from caseforms.errors import DateInputError
    from caseforms.io.live_workbook import cell_value
    from caseforms.register.reading import CellError

    value = cell_value(value)
    if isinstance(value, list):  # a range of one cell given as a column or row
        value = next((v for v in _flat(value) if v not in (None, "")), None)
    if isinstance(value, CellError):
        raise DateInputError(f"the {what} shows the Excel error {value.code}")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        raise DateInputError(f"the {what} is a time ({value:%H:%M}) with no date")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        from datetime import timedelta

        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel date serial, as a formula passes it
    if value in (None, ""):
        raise DateInputError(f"the {what} is empty")
    return parse_date(str(value).strip(), what)


def blank(value: Any) -> bool:
    """Return whether a cell function's argument is an empty cell (or cells): its answer is then blank too."""
    return all(v in (None, "") for v in _flat(value))


def _flat(values: Any) -> list[Any]:
    """Return a range's values (one value, a row, a column or a table of them) as one list."""
    if not isinstance(values, (list, tuple)):
        return [values]
    return [v for item in values for v in _flat(item)]


def closure_days(holidays: Any) -> frozenset[date]:
    """Return the dates in a range of cells (the Bank holidays list): what is not a date is skipped."""
    from caseforms.io.live_workbook import cell_value

    days = set()
    for value in (cell_value(v) for v in _flat(holidays)):
        if isinstance(value, datetime) and value.time() == time():
            days.add(value.date())
        elif isinstance(value, date) and not isinstance(value, datetime):
            days.add(value)
    return frozenset(days)


@lru_cache(maxsize=16)
def _profile(name: str, closed: frozenset[date]) -> Any:
    """Return a profile with extra closure days; kept, because Excel asks again for every cell using it."""
    from dataclasses import replace

    from caseforms.profile import load_profile

    profile = load_profile(name or "national")
    return replace(profile, closure_days=frozenset(profile.closure_days | closed)) if closed else profile


def workday(start: Any, days: Any, holidays: Any = None) -> date:
    """Return the working day ``days`` working days after ``start`` (before, when negative).

    The event day is not counted, as every timescale in the guidance counts it. England and Wales'
    bank holidays are skipped, and the dates in ``holidays`` (the register's BankHolidays list: its
    bank holidays and the partnership's closure days).
    """
    count = int(days) if isinstance(days, (int, float)) else int(str(days).strip())
    return _profile("national", closure_days(holidays)).calendar.add_working_days(_as_date(start, "start"), count)


def due(case_ref: Any, milestone: Any, cases: Any, holidays: Any = None, profile: Any = None) -> date | datetime | str:
    """Return when a case's milestone is due, from the Cases table given; a short text when it has no date yet.

    ``cases`` is the Cases table with its header row (``Cases[#All]``), as Excel passes it;
    ``profile`` the profile's name or file (the register's ``CaseformsProfile`` name), national when
    not given. A date the case's row holds wrongly ("TBC", an Excel error) is named, with its cell.
    """
    from caseforms.deadlines import timetable
    from caseforms.io.live_workbook import cell_value
    from caseforms.papers.from_register import find_case  # reads the records only: no case folder involved
    from caseforms.register.reading import RawSheet, build_register
    from caseforms.register.schema import CASES, register_schema

    loaded = _profile(str(profile or "national").strip(), closure_days(holidays))
    schema = register_schema(loaded)
    rows = [[cell_value(v) for v in row] for row in (cases if isinstance(cases, list) else [[cases]])
            if isinstance(row, list)]
    register = build_register(schema, {CASES: RawSheet(CASES, rows)}, loaded.name)
    case = find_case(register, str(cell_value(case_ref) or "").strip())
    wanted = str(milestone or "").strip().casefold()
    table = timetable(loaded, case.events(schema), date.today(), flags=case.flags(schema))
    for row in table:
        if wanted in (row.milestone.id.casefold(), row.milestone.label.casefold()):
            if row.due is not None:
                return row.due
            wrong = [p for p in register.problems if p.sheet == CASES and p.code in ("NOT_A_DATE", "EXCEL_ERROR")
                     and "".join(ch for ch in p.cell if ch.isdigit()) == str(case.row)]
            return f"caseforms: {wrong[0].message} (cell {wrong[0].cell})" if wrong else row.status
    known = ", ".join(r.milestone.id for r in table)
    return f"no milestone '{milestone}'; this profile has: {known}"
