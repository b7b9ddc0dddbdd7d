"""`caseforms excel [DIR]`: connect a working folder's workbooks to Excel's Run main button."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseforms.io.excel_setup import ExcelSetup


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "excel",
        help="connect the folder's workbooks to Excel's Run main button (after renaming or moving them)",
        description=(
            "Write what the xlwings add-in needs to run caseforms from the workbooks in DIR: a small Python "
            "module named after each workbook (Run main runs its main(); Import Functions finds the cell functions "
            "CF_WORKDAY and CF_DUE there too), the folder's xlwings.conf (where the cell functions are: which "
            "Python Excel starts is each officer's own xlwings setting, never the folder's), and a 'Set up Excel' "
            "file to double-click to do this again. 'caseforms init' does it for a new folder. Files caseforms did "
            "not write are never replaced. See the README, 'Using caseforms from Excel'."
        ),
        epilog="Example: caseforms excel 'S:/Reviews'",
    )
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the working folder (default: this one)")
    p.set_defaults(run=run_excel)


def run_excel(args: argparse.Namespace) -> int:
    from caseforms.errors import WorkbookError
    from caseforms.io.excel_setup import set_up_folder

    folder = Path(args.dir)
    if not folder.is_dir():
        raise WorkbookError(f"{folder} is not a folder. Give the working folder that holds register.xlsx.")
    done = set_up_folder(folder)
    report(done)
    return 1 if done.problems else 0


def report(done: ExcelSetup) -> None:
    """Print what was written for Excel and what the officer still has to do."""
    for module in done.modules:
        print(f"Run main is connected for {module.stem}{_workbook_suffix(module)}: {module.name}")
    if done.config:
        print(f"Excel settings for this folder (where the cell functions are): {done.config}")
    if done.setup_files:
        print(f"To connect the workbooks again later, double-click '{done.setup_files[0].name}' (Windows) or "
              f"'{done.setup_files[1].name}' (Mac) in {done.folder}.")
    for problem in done.problems:
        print(f"Not connected: {problem}")
    for note in done.notes:
        print(f"Note: {note}")


def _workbook_suffix(module: Path) -> str:
    for suffix in (".xlsx", ".xlsm", ".xlsb"):
        if module.with_suffix(suffix).exists():
            return suffix
    return ""
