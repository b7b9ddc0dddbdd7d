"""Connect a working folder's workbooks to caseforms for Excel's "Run main" button (the xlwings add-in).

The add-in's Run main runs ``main()`` of the Python module named after the active workbook, looked
for in the workbook's own folder: register.xlsx runs ``register.main()``. So for each workbook of the
folder this writes a small module of that name calling :func:`caseforms.excel.main`, and an
``xlwings.conf`` telling the add-in where the cell functions are. Which Python to start is each
officer's own setting, written by ``xlwings addin install`` into their user xlwings.conf: a shared
folder's file must not name one officer's Python for everyone. It also writes a "Set up Excel" file
the officer can double-click to do all this again, e.g. after renaming a workbook.

Excel does not read a folder's xlwings.conf for a workbook open from OneDrive or SharePoint
(xlwings' Config.bas, ``GetConfig``: the folder is skipped when Excel cannot name it on this
computer), and the add-in's "Import Functions" then looks for the cell functions in the module
named after the workbook: so that module offers them too, and a folder that looks synced is told
what to type in the xlwings tab instead.

A workbook whose name is not a Python name (spaces, dashes, a leading digit), or that would hide a
module Python needs (``json.xlsx``), cannot be reached by Run main: it is reported with the name to
give it instead.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from caseforms.io.file_kinds import EXCEL_SETUP, identify
from caseforms.io.safe_write import write_atomically

#: The first line of every module caseforms writes, so it only ever replaces its own.
MARKER = "# Written by caseforms for Excel's Run main button"
CONFIG_FILE = "xlwings.conf"
UDF_MODULE = "caseforms.excel_functions"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb")
SETUP_WINDOWS = "Set up Excel.cmd"
SETUP_MAC = "Set up Excel.command"

_SHIM = '''{marker} ({workbook}).
# Run main (xlwings tab) calls main() below: it acts on the sheet and the cells selected in {workbook}.
# Import Functions (xlwings tab) finds the cell functions CF_WORKDAY and CF_DUE here when Excel does not
# read this folder's xlwings.conf (a folder on OneDrive or SharePoint).
# Rewrite it by double-clicking "Set up Excel" in this folder, or with: caseforms excel "<this folder>"
from caseforms.excel import main  # noqa: F401
from caseforms.excel_functions import CF_DUE, CF_WORKDAY  # noqa: F401
'''


@dataclass
class ExcelSetup:
    """What setting a folder up for Excel wrote, and the workbooks Run main cannot reach, with what to do."""

    folder: Path
    modules: list[Path] = field(default_factory=list)
    config: Path | None = None
    setup_files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: What the officer should know besides (a synced folder's settings).
    notes: list[str] = field(default_factory=list)


def module_name(workbook: Path) -> str:
    """Return the Python module Run main imports for ``workbook`` (its name without the extension)."""
    return Path(workbook).stem


def suggested_name(workbook: Path) -> str:
    """Return a name Run main can reach for a workbook whose name it cannot: letters, digits and _ only."""
    stem = re.sub(r"\W+", "_", Path(workbook).stem).strip("_").lower() or "register"
    if stem[0].isdigit():
        stem = f"register_{stem}"
    return f"{stem}{Path(workbook).suffix}"


def _blocked(name: str, folder: Path) -> str | None:
    """Return why a workbook named ``name`` cannot have a Run main module, or None when it can."""
    if not name.isidentifier() or keyword.iskeyword(name):
        return "its name has spaces, dashes or other characters a Python module name cannot have"
    if name in sys.stdlib_module_names or name in ("caseforms", "xlwings", "openpyxl", "docxtpl", "holidays"):
        return f"'{name}' is the name of a module caseforms itself uses"
    spec = importlib.util.find_spec(name) if name not in sys.modules else None
    if spec is not None and spec.origin and Path(spec.origin).parent != folder.resolve():
        return f"'{name}' is the name of an installed Python module"
    return None


def set_up_folder(folder: Path) -> ExcelSetup:
    """Write the Run main modules, xlwings.conf and the "Set up Excel" files into ``folder``.

    Files the officer wrote are never replaced: a module without caseforms' first line is reported instead.
    """
    folder = Path(folder)
    done = ExcelSetup(folder)
    for workbook in sorted(p for p in folder.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES
                           and not p.name.startswith(("~$", "."))):
        name = module_name(workbook)
        why = _blocked(name, folder)
        if why:
            done.problems.append(
                f"{workbook.name}: Run main cannot reach caseforms from it ({why}). Rename it, e.g. to "
                f"{suggested_name(workbook)}, then double-click '{SETUP_WINDOWS}' (Windows) or '{SETUP_MAC}' (Mac) "
                "in this folder."
            )
            continue
        module = folder / f"{name}.py"
        if module.exists() and not module.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
            done.problems.append(f"{module.name} is not caseforms' own, so it was left as it is: Run main in "
                                 f"{workbook.name} runs that file's main(), not caseforms'.")
            continue
        write_text(module, _SHIM.format(marker=MARKER, workbook=workbook.name))
        done.modules.append(module)
    done.config = write_config(folder)
    done.setup_files = write_setup_files(folder, done.problems)
    if looks_synced(folder):
        done.notes.append(
            f"{folder} looks like a OneDrive or SharePoint folder. Excel does not read the {CONFIG_FILE} of such a "
            f"folder: for the cell functions, type {UDF_MODULE} in the 'UDF Modules' box on the xlwings tab once "
            "on each computer (Run main needs nothing more)."
        )
    return done


def looks_synced(folder: Path) -> bool:
    """Return whether ``folder`` is inside a folder OneDrive or SharePoint syncs (by its name or Windows' settings)."""
    import os

    path = Path(folder).resolve()
    roots = [Path(os.environ[v]).resolve() for v in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")
             if os.environ.get(v)]
    if any(root == path or root in path.parents for root in roots):
        return True
    # Windows names them "OneDrive - Council name" and "Council name" under SharePoint; a Mac
    # ~/Library/CloudStorage/OneDrive-Council.
    return any(part.casefold().startswith(("onedrive", "sharepoint")) or part == "CloudStorage"
               for part in path.parts)


def write_text(path: Path, text: str, newline: str | None = None, *, updating: bool = False) -> None:
    """Write a small text file whole or not at all; a different one it replaces is kept in backups/.

    Only a file caseforms wrote itself is replaced (``updating`` for one whose own content is
    being changed, such as xlwings.conf); the same text written again changes nothing.
    """
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=newline),
                     kind=None if updating else EXCEL_SETUP, updating=updating, unless_same=True)


def write_config(folder: Path) -> Path:
    """Write the folder's xlwings.conf with caseforms' settings, keeping any other settings in it."""
    path = Path(folder) / CONFIG_FILE
    ours: dict[str, str] = {"UDF MODULES": UDF_MODULE}
    kept: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key = line.split(",", 1)[0].strip().strip('"').upper()
            if key and key not in ours:
                kept.append(line)
    # xlwings reads this file with VBA's "Input #": one "KEY","value" pair per line, quoted, in the
    # system's code page (caseforms' own settings are plain ASCII).
    lines = [*kept, *(f'"{key}","{value}"' for key, value in ours.items())]
    write_text(path, "\n".join(lines) + "\n", "\r\n", updating=True)
    return path


def write_setup_files(folder: Path, problems: list[str] | None = None) -> list[Path]:
    """Write the "Set up Excel" files an officer double-clicks to connect the folder's workbooks again.

    Each runs the caseforms of whoever double-clicks it: the one installed in ``caseforms`` in their
    home folder, as the README says, else a ``caseforms`` command IT put on the PATH. Neither names
    the Python of whoever wrote the folder: on a shared drive that is another officer's (or, from
    a test or a Mac, a path Windows cannot run). With neither, the window says what to install. A
    file of that name the officer wrote is left as it is and reported in ``problems``.
    """
    folder = Path(folder)
    windows = folder / SETUP_WINDOWS
    mac = folder / SETUP_MAC
    win_text = "\r\n".join((
        "@echo off",
        "rem Connects the workbooks in this folder to caseforms for Excel's Run main button.",
        'set "PY=%USERPROFILE%\\caseforms\\Scripts\\python.exe"',
        'if exist "%PY%" goto installed',
        "where /q caseforms",
        "if errorlevel 1 goto missing",
        'caseforms excel "%~dp0."',
        "goto done",
        ":installed",
        '"%PY%" -m caseforms excel "%~dp0."',
        "goto done",
        ":missing",
        "echo caseforms is not installed for you on this computer: there is no %USERPROFILE%\\caseforms folder.",
        "echo Install it as the README says (Using caseforms from Excel, step 1), then double-click this file again.",
        ":done",
        "pause",
        "",
    ))
    mac_text = "\n".join((
        "#!/bin/sh",
        "# Connects the workbooks in this folder to caseforms for Excel's Run main button.",
        'PY="$HOME/caseforms/bin/python"',
        'if [ -x "$PY" ]; then',
        '  "$PY" -m caseforms excel "$(dirname "$0")"',
        "elif command -v caseforms >/dev/null 2>&1; then",
        '  caseforms excel "$(dirname "$0")"',
        "else",
        '  echo "caseforms is not installed for you on this Mac: there is no $HOME/caseforms folder."',
        '  echo "Install it as the README says (Using caseforms from Excel, step 1), then double-click this file again."',
        "fi",
        "",
    ))
    for path, text in ((windows, win_text), (mac, mac_text)):
        if path.exists() and identify(path) != EXCEL_SETUP:
            if problems is not None:
                problems.append(f"'{path.name}' is not caseforms' own, so it was left as it is. To get caseforms' "
                                f"again, rename or delete it and run: caseforms excel \"{folder}\"")
            continue
        write_text(path, text, "")
        if path == mac:
            mac.chmod(0o755)
    return [windows, mac]
