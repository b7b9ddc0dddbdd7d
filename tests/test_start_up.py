"""A new caseforms process opens workbooks without importing numpy for openpyxl; numpy stays importable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")  # installed here with the test extras; without it there is nothing to skip


def _python(code: str, cwd: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True)
    return done.stdout.splitlines()[-1].split()  # the last line: what the code printed after the command


def test_a_command_opening_workbooks_loads_openpyxl_without_numpy(tmp_path: Path) -> None:
    # `caseforms init` writes the register and the tracker with openpyxl.
    code = ("import sys; from caseforms.cli import main; status = main(['init', 'folder']); "
            "print(status, 'openpyxl' in sys.modules, 'numpy' in sys.modules)")
    assert _python(code, tmp_path) == ["0", "True", "False"]
    assert (tmp_path / "folder" / "register.xlsx").is_file()


def test_numpy_still_imports_and_python_numbers_still_go_into_cells(tmp_path: Path) -> None:
    code = """
import sys
from caseforms.io.start_up import skip_numpy_for_openpyxl
skip_numpy_for_openpyxl()
import openpyxl
from openpyxl.compat.numbers import NUMPY
wb = openpyxl.Workbook()
wb.active.append([7, 2.5, "=text"])
wb.save("numbers.xlsx")
import numpy
print(NUMPY, numpy.int64(3) + 1, [c.value for c in openpyxl.load_workbook("numbers.xlsx").active[1]][:2])
"""
    assert _python(code, tmp_path) == ["False", "4", "[7,", "2.5]"]


def test_numpy_already_loaded_is_left_to_openpyxl(tmp_path: Path) -> None:
    code = """
import numpy
from caseforms.io.start_up import skip_numpy_for_openpyxl
skip_numpy_for_openpyxl()
from openpyxl.compat.numbers import NUMPY
print(NUMPY)
"""
    assert _python(code, tmp_path) == ["True"]
