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
        epilog="Examples: caseforms excel 'S:/Reviews'; for xlwings Lite (nothing installed on the laptops): "
               "caseforms excel 'S:/Reviews' --lite --wheel https://intranet.example/caseforms-0.1.0-py3-none-any.whl",
    )
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the working folder (default: this one)")
    p.add_argument("--lite", action="store_true",
                   help="instead, write what to paste into the xlwings Lite editor (main.py and requirements.txt) into "
                        "DIR/xlwings Lite and print it: caseforms inside Excel with no Python installed (docs/lite.md)")
    p.add_argument("--wheel", metavar="URL",
                   help="with --lite: the address of the caseforms wheel your IT hosts, for requirements.txt")
    p.set_defaults(run=run_excel)


def run_excel(args: argparse.Namespace) -> int:
    from caseforms.errors import WorkbookError
    from caseforms.io.excel_setup import set_up_folder

    folder = Path(args.dir)
    if not folder.is_dir():
        raise WorkbookError(f"{folder} is not a folder. Give the working folder that holds register.xlsx.")
    if args.wheel and not args.lite:
        raise WorkbookError("--wheel goes with --lite: caseforms excel FOLDER --lite --wheel URL")
    if args.lite:
        return run_lite(folder, args.wheel)
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


def run_lite(folder: Path, wheel: str | None) -> int:
    """Write and print main.py and requirements.txt for the xlwings Lite editor."""
    from caseforms.io.lite_setup import write_lite_files

    done = write_lite_files(folder, wheel)
    for path in done.written:
        tab = path.name
        print(f"--- {path} (paste all of it into the {tab} tab of the xlwings Lite editor) ---")
        print(path.read_text(encoding="utf-8"), end="")
    for problem in done.problems:
        print(f"Not written: {problem}")
    if done.written:
        print(f"Next: open register.xlsx, open xlwings Lite (Home tab), paste the two files into its editor, then set "
              f"the working folder on the caseforms sheet (cell B4). Step by step: docs/lite.md. Files: {done.folder}")
    return 1 if done.problems else 0
