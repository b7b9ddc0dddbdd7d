"""The register's caseforms sheet: what an officer can do from Excel, as data.

The actions' names, what each does, and the cells of the sheet listing them. Both the register's
builder (:mod:`caseforms.io.register_xlsx`, which lays the sheet out in every new register) and the
Excel front end (:mod:`caseforms.excel`, which runs the action clicked) read this list, so it lives
below both: an adapter never imports the front end.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The sheet of actions added to the register: click an action's row, then Run main.
MENU_SHEET = "caseforms"
#: The cell of the caseforms sheet holding the case the per-case actions act on.
MENU_CASE_CELL = "B3"
#: The name, in column A, of the caseforms sheet's row holding the working folder (xlwings Lite only: a workbook
#: open in it has a name but no folder), and the cell new registers hold it in. Registers made before it have no
#: such row: :func:`caseforms.lite.working_folder` finds the row by its name, wherever it is.
MENU_FOLDER_LABEL = "Working folder"
MENU_FOLDER_CELL = "B4"
MENU_FIRST_ACTION_ROW = 7


@dataclass(frozen=True)
class ActionInfo:
    """One thing an officer can do from Excel: its key, its name on the caseforms sheet, and what it does."""

    key: str
    label: str
    what: str
    needs_case: bool


ACTION_LIST: tuple[ActionInfo, ...] = (
    ActionInfo("check", "Check the register",
               "Checks every case against the rules; lists the problems on the Checks sheet and colours their cells.",
               False),
    ActionInfo("deadlines", "Refresh the deadlines",
               "Lists every open case's deadlines still to meet, soonest first, on the Deadlines sheet.", False),
    ActionInfo("request", "Send the chronology request pack",
               "For the chosen case: a workbook, letter and e-mail draft for each agency involved, in "
               "cases/<case>/requests; logs each request on the Returns log sheet.", True),
    ActionInfo("merge", "Merge the returns",
               "For the chosen case: merges the returns saved in cases/<case>/returns into its Master chronology.",
               True),
    ActionInfo("papers", "Make the papers for the case's stage",
               "For the chosen case: the papers it needs now (decision, notification, Rapid Review meeting, report, "
               "Terms of Reference), in cases/<case>/papers.", True),
    ActionInfo("tracker", "Refresh the tracker and write the LIG paper",
               "Rates every action Blue, Red, Amber or Green, updates the By agency chart, writes the LIG report into "
               "papers/ and marks the cases whose action plan is complete.", False),
)


def menu_rows() -> list[list[str]]:
    """Return the caseforms sheet's cells from A1, as the register is built with them and as Excel rewrites them."""
    rows: list[list[str]] = [
        ["caseforms: click the name of an action below, then click Run main on the xlwings tab", "", ""],
        ["Or click a case's row on the Cases sheet and click Run main to choose the case. With xlwings Lite, click "
         "the action's button in its task pane instead of Run main.", "", ""],
        ["Case", "", "the case the actions marked 'for the case' act on"],
        [MENU_FOLDER_LABEL, "", "xlwings Lite only: the folder holding this register, as xlwings Lite's Local Folders "
         "shows it (Run main needs none)"],
        ["After renaming this workbook or moving it to another folder, double-click 'Set up Excel' in its folder "
         "first: Run main finds caseforms through a file named after the workbook.", "", ""],
        ["Action", "What it does", "For the case"],
    ]
    rows.extend([a.label, a.what, "Yes" if a.needs_case else ""] for a in ACTION_LIST)
    return rows
