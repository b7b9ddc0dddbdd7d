"""Connect a working folder's workbooks to caseforms for Excel's "Run main" button (the xlwings add-in).

The add-in's Run main runs ``main()`` of the Python module named after the active workbook, looked
for in the workbook's own folder: register.xlsx runs ``register.main()``. So for each workbook of the
folder this writes a two-line module of that name calling :func:`caseforms.excel.main`, and an
``xlwings.conf`` telling the add-in where the cell functions are. Which Python to start is each
officer's own setting, written by ``xlwings addin install`` into their user xlwings.conf: a shared
folder's file must not name one officer's Python for everyone. It also writes a "Set up Excel" file the officer can double-click
to do all this again, e.g. after renaming a workbook.

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
# Rewrite it by double-clicking "Set up Excel" in this folder, or with: caseforms excel "<this folder>"
from caseforms.excel import main  # noqa: F401
'''


@dataclass
class ExcelSetup:
    """What setting a folder up for Excel wrote, and the workbooks Run main cannot reach, with what to do."""

    folder: Path
    modules: list[Path] = field(default_factory=list)
    config: Path | None = None
    setup_files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


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


def set_up_folder(folder: Path, interpreter: str | None = None) -> ExcelSetup:
    """Write the Run main modules, xlwings.conf and the "Set up Excel" files into ``folder``.

    ``interpreter`` is the Python the "Set up Excel" files fall back on when the officer's own
    caseforms (installed where the README says) is not there (default: this one). Files the officer
    wrote are never replaced: a module without caseforms' first line is reported instead.
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
    done.setup_files = write_setup_files(folder, interpreter or sys.executable, done.problems)
    return done


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


def write_setup_files(folder: Path, interpreter: str, problems: list[str] | None = None) -> list[Path]:
    """Write the "Set up Excel" files an officer double-clicks to connect the folder's workbooks again.

    Each runs the caseforms of whoever double-clicks it (installed in ``caseforms`` in their home
    folder, as the README says), else the one that wrote it. A file of that name the officer wrote
    is left as it is and reported in ``problems``.
    """
    folder = Path(folder)
    windows = folder / SETUP_WINDOWS
    mac = folder / SETUP_MAC
    win_text = (
        "@echo off\r\nrem Connects the workbooks in this folder to caseforms for Excel's Run main button.\r\n"
        'set "PY=%USERPROFILE%\\caseforms\\Scripts\\python.exe"\r\n'
        f'if not exist "%PY%" set "PY={interpreter}"\r\n'
        '"%PY%" -m caseforms excel "%~dp0."\r\npause\r\n'
    )
    mac_text = (
        "#!/bin/sh\n# Connects the workbooks in this folder to caseforms for Excel's Run main button.\n"
        'PY="$HOME/caseforms/bin/python"\n'
        f'[ -x "$PY" ] || PY="{interpreter}"\n'
        '"$PY" -m caseforms excel "$(dirname "$0")"\n'
    )
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
