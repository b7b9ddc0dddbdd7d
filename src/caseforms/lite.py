"""caseforms in Excel with nothing installed on the laptop: one xlwings Lite script per officer action.

xlwings Lite runs Python inside Excel (Pyodide, in the add-in's web view): no Python on the laptop,
no macros, no process started by Office. The officer pastes a few lines into the Lite editor's
``main.py`` (``caseforms excel --lite`` prints them, docs/lite.md walks through it) importing the
scripts below; each appears as a button in the Lite task pane and runs the same
:func:`caseforms.excel.run_action` as Run main, on the workbook Lite hands over (what is on screen,
unsaved edits included), writing back through it.

A workbook open in xlwings Lite has a name but no folder (``book.fullname`` is the bare name). The
actions that read or write files (requests, merge, papers, tracker) take the working folder from the
register's caseforms sheet (the "Working folder" row, :func:`working_folder`): a folder mounted with
xlwings Lite's Files > Local Folders (desktop Excel on Windows). With none set, a mounted folder
holding the workbook is used (and written into the setting); with none mounted (macOS, Excel on the
web), Lite's Import/Export folder, and the message says so. Check and deadlines need no folder.

What Lite cannot do is refused with a sentence, never a traceback: PDFs (LibreOffice) and .xls,
.xlsb or .ods returns (a worker process) raise :class:`caseforms.errors.NeedsDesktop`; there are no
threads and no operating-system locks (:data:`caseforms.io.safe_write.OS_LOCKS`).

Like :mod:`caseforms.excel`, this is a front end: it imports xlwings for the ``@script`` decorator
and its ``Book`` type, which xlwings Lite reads to hand the workbook over.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import xlwings as xw

from caseforms.errors import CaseformsError, WorkingFolderMissing
from caseforms.register.menu import MENU_FIRST_ACTION_ROW, MENU_FOLDER_LABEL, MENU_SHEET

#: Where xlwings Lite keeps the files of its Files > Import/Export (every platform): drop files there to read
#: them, download what caseforms writes there.
IMPORT_EXPORT_FOLDER = Path("/data")
#: Where folders mounted with xlwings Lite's Files > Local Folders may appear to Python, searched (with their
#: sub-folders) for one holding the open workbook when no working folder is set. Pyodide's own folders are skipped.
MOUNT_ROOTS: tuple[Path, ...] = (Path("/mnt"), Path("/"))
_SYSTEM_FOLDERS = frozenset({"bin", "dev", "etc", "home", "lib", "lib64", "proc", "sys", "tmp", "usr", "var",
                             "data", "mnt"})
#: The actions that read or write files beside the register, and so need the working folder.
FILE_ACTIONS = ("request", "merge", "papers", "tracker")
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)|\\")


# -- the working folder -------------------------------------------------------------------------------


def folder_setting(book: Any) -> tuple[str, str | None]:
    """Return the working folder typed on the caseforms sheet and its cell ("B4"), or ("", None) without the row.

    The row is found by its name in column A, so it is found wherever a partnership moved it.
    """
    from caseforms.io import live_workbook as live

    menu = live.find_sheet(book, MENU_SHEET)
    if menu is None:
        return "", None
    rows = live.sheet_values(menu)[: MENU_FIRST_ACTION_ROW + 6]
    for r, row in enumerate(rows, start=1):
        if row and str(row[0] or "").strip().casefold() == MENU_FOLDER_LABEL.casefold():
            value = row[1] if len(row) > 1 else None
            return str(value or "").strip().strip('"').strip(), f"B{r}"
    return "", None


def mounted_folders(name: str) -> list[Path]:
    """Return the folders xlwings Lite has mounted (Local Folders) that hold a file called ``name``, nearest first."""
    found: list[Path] = []
    for root in MOUNT_ROOTS:
        for folder in _candidates(root):
            try:
                if (folder / name).is_file() and folder not in found:
                    found.append(folder)
            except OSError:
                continue
    return found


def _candidates(root: Path) -> list[Path]:
    """Return ``root``'s folders and theirs (two levels), leaving out Pyodide's own folders under '/'."""
    out: list[Path] = []
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return out
    for child in children:
        if root == Path("/") and child.name in _SYSTEM_FOLDERS:
            continue
        out.append(child)
        try:
            out.extend(sorted(p for p in child.iterdir() if p.is_dir() and not p.name.startswith(".")))
        except OSError:
            continue
    return out


def working_folder(book: Any) -> tuple[Path, str]:
    """Return the folder the file actions work in, and a note for the officer when it is not the one they set.

    In order: the folder typed on the caseforms sheet; else the one mounted folder holding this
    workbook (then written into the sheet, so it shows and is kept); else xlwings Lite's
    Import/Export folder. Raises :class:`WorkingFolderMissing` saying what to do when the folder
    typed cannot be seen, several mounted folders hold the workbook, or there is no folder at all.
    """
    typed, cell = folder_setting(book)
    where = f"cell {cell} of the caseforms sheet" if cell else "the caseforms sheet"
    if typed:
        folder = Path(typed)
        if folder.is_absolute() and folder.is_dir():
            return folder, ""
        mounted = _listed(mounted_folders(str(book.name)))
        if _WINDOWS_PATH.search(typed):
            raise WorkingFolderMissing(
                f"The working folder in {where}, {typed}, is the folder as Windows names it: inside Excel, xlwings "
                "Lite sees a folder only once it is mounted, under another name. Mount it with xlwings Lite menu > "
                f"Files > Local Folders, then type the name xlwings Lite shows for it in {where}.{mounted}")
        raise WorkingFolderMissing(
            f"caseforms cannot see the working folder {typed} (in {where}). Mount it again with xlwings Lite menu > "
            "Files > Local Folders (after Excel restarts, mounted folders must be unlocked again), or correct "
            f"{where}.{mounted}")
    found = mounted_folders(str(book.name))
    if len(found) == 1:
        if cell is not None:
            from caseforms.io.cell_text import live_value
            from caseforms.io.live_workbook import find_sheet

            menu = find_sheet(book, MENU_SHEET)
            if menu is not None:
                menu.range(cell).value = live_value(str(found[0]))
        return found[0], (f" The working folder is {found[0]}, the mounted folder holding {book.name}"
                          + (f"; it is now in {where}: save the register to keep it." if cell else "."))
    if len(found) > 1:
        raise WorkingFolderMissing(
            f"Several mounted folders hold a workbook called {book.name}:{_listed(found, ' ')} Type the working "
            f"folder in {where}, then run the action again.")
    if IMPORT_EXPORT_FOLDER.is_dir():
        return IMPORT_EXPORT_FOLDER, (
            f" No working folder is set in {where} and no mounted folder holds {book.name}, so caseforms used "
            f"xlwings Lite's Import/Export folder ({IMPORT_EXPORT_FOLDER}): download the files from xlwings Lite "
            "menu > Files > Import/Export. On Windows, mount the working folder with Files > Local Folders and type "
            f"it in {where} to work in it directly.")
    raise WorkingFolderMissing(
        f"{book.name} is open in xlwings Lite, which gives caseforms no folder for it. Mount the working folder with "
        f"xlwings Lite menu > Files > Local Folders and type it in {where}, then run the action again.")


def _listed(folders: list[Path], lead: str = " Mounted folders holding this workbook: ") -> str:
    return (lead + ", ".join(str(f) for f in folders) + ".") if folders else ""


class LiteBook:
    """The workbook xlwings Lite handed over, placed in the working folder: ``fullname`` is the folder and its name.

    Everything else is the book itself, so what the actions write still goes through Excel.
    """

    def __init__(self, book: Any, folder: Path) -> None:
        self._book = book
        self.folder = folder

    @property
    def fullname(self) -> str:
        return str(self.folder / str(self._book.name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


# -- running an action ------------------------------------------------------------------------------------


def run(book: Any, key: str, today: date | None = None) -> str:
    """Run the action ``key`` on the workbook xlwings Lite handed over; return the message shown (also printed).

    The file actions run in the working folder (:func:`working_folder`); check and deadlines use it
    only when it is set and can be seen (for the merged cells of the saved register).
    """
    from caseforms.excel import ACTIONS_BY_KEY, _say, run_action

    note = ""
    if key in FILE_ACTIONS:
        try:
            folder, note = working_folder(book)
        except CaseformsError as e:
            message = f"{ACTIONS_BY_KEY[key].label}: {e}"
            _say(book, message, problem=True)
            print(message)
            return str(e)
        target: Any = LiteBook(book, folder)
    else:
        typed, _ = folder_setting(book)
        target = LiteBook(book, Path(typed)) if typed and Path(typed).is_absolute() and Path(typed).is_dir() else book
    message = run_action(target, key, today, note=note)
    print(message)
    return message


def run_selected(book: Any, today: date | None = None) -> str:
    """Do what Run main does where the officer is: run the action clicked on the caseforms sheet, or choose a case."""
    from caseforms.excel import ACTIONS, run_from_selection
    from caseforms.io import live_workbook as live
    from caseforms.register.schema import CASES

    if live.find_sheet(book, CASES) is None:  # the tracker: refresh it
        return run(book, "tracker", today)
    sheet, row = live.selected_row(book)
    menu = live.find_sheet(book, MENU_SHEET)
    if sheet.casefold() == MENU_SHEET.casefold() and menu is not None and row >= 1:
        label = str(menu.range(f"A{row}").value or "").strip()
        action = next((a for a in ACTIONS if a.label == label), None)
        if action is not None:
            return run(book, action.key, today)
    message = run_from_selection(book, today)
    print(message)
    return message


# -- the scripts xlwings Lite shows: one per action, in the caseforms sheet's order ---------------------------


@xw.script(name="Check the register")
def check_the_register(book: xw.Book) -> None:
    """Checks every case against the rules; lists the problems on the Checks sheet and colours their cells."""
    run(book, "check")


@xw.script(name="Refresh the deadlines")
def refresh_the_deadlines(book: xw.Book) -> None:
    """Lists every open case's deadlines still to meet, soonest first, on the Deadlines sheet."""
    run(book, "deadlines")


@xw.script(name="Send the chronology request pack")
def send_the_chronology_request_pack(book: xw.Book) -> None:
    """For the case selected on the Cases sheet (or in B3 of the caseforms sheet): each agency's workbook, letter
    and e-mail draft in cases/<case>/requests of the working folder; logs each request on the Returns log sheet."""
    run(book, "request")


@xw.script(name="Merge the returns")
def merge_the_returns(book: xw.Book) -> None:
    """For the chosen case: merges the returns saved in cases/<case>/returns into its Master chronology."""
    run(book, "merge")


@xw.script(name="Make the papers for the case's stage")
def make_the_papers(book: xw.Book) -> None:
    """For the chosen case: the papers it needs now, in cases/<case>/papers (Word documents: no PDFs in Lite)."""
    run(book, "papers")


@xw.script(name="Refresh the tracker and write the LIG paper")
def refresh_the_tracker(book: xw.Book) -> None:
    """Rates every action of tracker.xlsx, writes the LIG report into papers/ and marks the cases whose action
    plan is complete."""
    run(book, "tracker")


@xw.script(name="Run the action selected on the caseforms sheet")
def run_the_selected_action(book: xw.Book) -> None:
    """What Run main does: runs the action whose name is selected on the caseforms sheet; on a case's row of the
    Cases sheet, chooses that case."""
    run_selected(book)


#: The scripts, in the order the caseforms sheet lists the actions, by action key.
SCRIPTS = {"check": check_the_register, "deadlines": refresh_the_deadlines,
           "request": send_the_chronology_request_pack, "merge": merge_the_returns, "papers": make_the_papers,
           "tracker": refresh_the_tracker}
