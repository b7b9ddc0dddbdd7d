"""caseforms' core run in real Pyodide (the Python of xlwings Lite) under Node.js, compared with CPython.

Pyodide comes from its npm package (tests/pyodide/package.json: ``npm ci --prefix tests/pyodide``,
which the README's test command runs); the test is skipped where Node.js or that package is
missing. Pyodide fetches the packages it builds itself (lxml, python-calamine) from its CDN, which
this test never does: it runs what needs neither (tests/pyodide_core.py), with caseforms' source
and the pure-Python packages it needs unpacked from this environment into Pyodide's file system,
as xlwings Lite installs them from PyPI. The papers (lxml) and reading workbook files (calamine)
are not run here; docs/lite.md says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from caseforms.io.lite_setup import is_pure
from caseforms.register.menu import MENU_FOLDER_CELL, MENU_SHEET
from caseforms.register.schema import CASES
from excel_fixtures import describe
from papers_fixtures import FULL, write_partnership_folder
from pyodide_core import results

HERE = Path(__file__).parent
NODE = shutil.which("node")
PYODIDE = HERE / "pyodide" / "node_modules" / "pyodide"
SOURCE = HERE.parent / "src"
#: The pure-Python packages the run imports (the rest of caseforms' dependencies serve the papers).
PACKAGES = ("openpyxl", "et-xmlfile", "xlsxwriter", "xlwings", "holidays", "python-dateutil", "six",
            "typing-extensions", "packaging")
TODAY = date(2025, 6, 2)
RETURNS = HERE / "files" / "returns"

pytestmark = pytest.mark.skipif(
    NODE is None or not (PYODIDE / "pyodide.mjs").is_file(),
    reason="needs Node.js and the pyodide npm package: npm ci --prefix tests/pyodide",
)


def unpack_pure_packages(site: Path) -> None:
    """Copy each package's files, as its wheel installed them here, into ``site``; compiled files are left out."""
    for name in PACKAGES:
        dist = metadata.distribution(name)
        assert is_pure(dist), f"{name} is not pure Python: xlwings Lite could not install it from PyPI"
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file)))
            if file.parts[0] == ".." or "__pycache__" in file.parts or source.suffix in (".so", ".pyd", ".pyc"):
                continue
            if source.is_file():
                (site / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, site / file)


def working_folder(root: Path) -> Path:
    """A working folder with the Kent register and two CSV returns filed for case FULL."""
    root.mkdir(parents=True)
    write_partnership_folder(root)
    returns = root / "cases" / FULL / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    for name in ("csv_utf8_bom_semicolons.csv", "csv_cp1252_from_excel.csv"):
        shutil.copy(RETURNS / name, returns / name)
    (root / "cases" / FULL / "Master chronology.xlsx").unlink()
    return root


def inputs(folder: Path, seen_as: str) -> dict[str, Any]:
    """What the run is given: the register as xlwings Lite hands it over, and the merge's, folder typed as ``seen_as``."""
    register = folder / "register.xlsx"
    return {
        "today": TODAY.isoformat(), "folder": seen_as, "case": FULL,
        "register": describe(register, CASES, "A2", name=register.name),
        "merge": describe(register, MENU_SHEET, "A1", name=register.name,
                          edits={(MENU_SHEET, "B3"): FULL, (MENU_SHEET, MENU_FOLDER_CELL): seen_as}),
    }


def test_the_core_and_the_lite_scripts_give_in_pyodide_what_they_give_in_cpython(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    unpack_pure_packages(site)
    work = tmp_path / "work"
    work.mkdir()
    in_pyodide = working_folder(work / "Reviews")
    in_cpython = working_folder(tmp_path / "Reviews")
    (work / "input.json").write_text(json.dumps(inputs(in_pyodide, "/work/Reviews")), encoding="utf-8")
    shutil.copy(HERE / "pyodide_core.py", work / "pyodide_core.py")
    assert NODE is not None
    done = subprocess.run([NODE, "run.mjs", str(site), str(SOURCE), str(work), "pyodide_core.py"], cwd=HERE / "pyodide",
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    pyodide = json.loads((work / "result.json").read_text(encoding="utf-8"))
    cpython = results(inputs(in_cpython, str(in_cpython)))

    assert pyodide["platform"] == "emscripten" and pyodide["os_locks"] is False
    assert cpython["platform"] != "emscripten"
    assert set(pyodide["profiles"]) >= {"national", "kent"}
    for key in ("profiles", "findings", "check", "deadlines", "merge", "master"):
        assert pyodide[key] == cpython[key], key
    assert "entries from 2 return(s)" in pyodide["merge"]
    assert pyodide["left_in_folder"] == []  # no temporary file and no lock file left in the working folder
    assert pyodide["imported"] == []  # the bank holidays shipped, no Word or calamine library loaded for nothing
