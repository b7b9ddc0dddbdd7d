"""Start a command quickly: what a new ``caseforms`` process sets up before any workbook is opened."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from contextlib import suppress
from types import ModuleType

#: The openpyxl module that imports numpy, when it is installed, only to count numpy's number types as cell numbers.
_OPENPYXL_NUMBERS = "openpyxl.compat.numbers"


class _NoNumpyForOpenpyxl(importlib.abc.MetaPathFinder):
    """Refuse numpy to openpyxl's number types alone, while that module runs; numpy stays importable by anything else."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "numpy":
            return None
        numbers = sys.modules.get(_OPENPYXL_NUMBERS)
        if numbers is None:
            return None
        if hasattr(numbers, "NUMPY"):  # openpyxl has its number types: numpy is anyone's from now on
            with suppress(ValueError):
                sys.meta_path.remove(self)
            return None
        # That module sets NUMPY right after its one import, so this import is openpyxl's own.
        raise ModuleNotFoundError("caseforms writes no numpy numbers into workbooks", name="numpy")


def skip_numpy_for_openpyxl() -> None:
    """Let openpyxl load without importing numpy, when neither is loaded yet: 0.1 s of every command that opens a workbook.

    openpyxl imports numpy (where it is installed, as with Anaconda) only to accept numpy's numbers as cell values, and
    importing numpy takes a tenth of a second, more than openpyxl itself. caseforms never gives a cell a numpy number:
    every value it writes is Python's own. numpy is refused to that one import only, and imports as usual for anything
    else (a library, a test), before or after.
    """
    if "numpy" in sys.modules or _OPENPYXL_NUMBERS in sys.modules:
        return
    if not any(isinstance(f, _NoNumpyForOpenpyxl) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoNumpyForOpenpyxl())
