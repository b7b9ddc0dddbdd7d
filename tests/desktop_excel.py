"""Desktop Excel on Windows and on a Mac, as xlwings hands its values to Python: a test double on Linux.

No Excel runs here, so the Excel front end is driven through xlwings' remote engine
(excel_fixtures.py). The remote engine hands values over as Excel on the web does; desktop Excel
does not. This module makes the remote engine hand them over as desktop Excel does, running
xlwings' own desktop code on them wherever that code can run without Excel:

* **values as COM and AppleScript give them**: every number a float; a date a datetime at
  midnight; a time typed alone COM's ``datetime(1899, 12, 30, h, m)``; an empty cell None
  (COM) or "" (AppleScript); an error cell COM's int (``-2146826281`` for #DIV/0!, 0x800A0000 plus
  Excel's error number) or AppleScript's missing value;
* **xlwings' cleaning of them**, compiled from the installed xlwings' own sources:
  ``_xlwindows._clean_value_data_element`` and its ``cell_errors`` (err_to_str maps seven error
  numbers to text, the others stay ints), and ``_xlmac.Range.raw_value`` with its err_to_str branch
  (whose ``ensure_2d`` returns None for a range of several rows and columns) and
  ``_xlmac._clean_value_data_element``;
* **Excel for Mac leaving error cells out of a row** when a range holding them is read (xlwings
  #1924), and ``string_value``, the text each cell shows, which is how an error is told on a Mac;
* **the used range down to the last formatted row** (a register formats 300 rows ahead);
* **merged ranges**, answered as Excel answers ``MergeCells`` (True, False, or None for a mix)
  and ``MergeArea``;
* **Excel tables** (ListObjects) as the workbook file has them.

:func:`install` puts the double in place for one test (through pytest's monkeypatch);
``excel_fixtures.open_in_excel(..., desktop=True)`` describes a workbook file this way.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import xlwings as xw
from xlwings.pro import _xlremote

XLWINGS = Path(xw.__file__).parent
WINDOWS, MAC = "windows", "mac"
#: Excel's error numbers (XlCVError); COM hands an error cell over as 0x800A0000 + the number.
ERROR_NUMBERS = {"#NULL!": 2000, "#DIV/0!": 2007, "#VALUE!": 2015, "#REF!": 2023, "#NAME?": 2029, "#NUM!": 2036,
                 "#N/A": 2042, "#GETTING_DATA": 2043, "#SPILL!": 2045, "#CALC!": 2050}
COM_ERROR_BASE = -2146828288


@dataclass(frozen=True)
class ErrorCell:
    """A cell showing an Excel error value, as the workbook holds it (each desktop Excel hands it over its own way)."""

    code: str


class _MissingValue:
    """AppleScript's ``missing value`` (appscript's ``k.missing_value``): what Excel for Mac gives for an error cell."""

    def __repr__(self) -> str:
        return "k.missing_value"


MISSING_VALUE = _MissingValue()


def xlwings_code(module: str, names: Iterable[str], namespace: dict[str, Any], *, in_class: str | None = None
                 ) -> dict[str, Any]:
    """Compile top-level definitions (or methods of ``in_class``) from the installed xlwings' own source file.

    The double runs xlwings' real code for what desktop Excel does, not a copy of it: a change in
    xlwings' handling shows up here. ``namespace`` supplies what that code needs from pywin32 or appscript.
    """
    tree = ast.parse((XLWINGS / module).read_text(encoding="utf-8"))
    body = tree.body
    if in_class:
        body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == in_class).body
    wanted = set(names)
    picked: list[ast.stmt] = []
    for node in body:
        name = getattr(node, "name", None)
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        if name in wanted and not (isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Attribute) for d in node.decorator_list)):  # a property's getter, not its setter
            if isinstance(node, ast.FunctionDef):
                node.decorator_list = []
            picked.append(node)
    found = {getattr(n, "name", None) or n.targets[0].id for n in picked}  # type: ignore[attr-defined]
    assert found == wanted, f"xlwings' {module} no longer has {sorted(wanted - found)}: the double needs a look"
    exec(compile(ast.Module(body=picked, type_ignores=[]), str(XLWINGS / module), "exec"), namespace)
    return namespace


def _windows_code() -> dict[str, Any]:
    return xlwings_code("_xlwindows.py", ("cell_errors", "_com_time_to_datetime", "_clean_value_data_element"),
                        {"time_types": (dt.date, dt.datetime)})


def _mac_code() -> dict[str, Any]:
    code = xlwings_code("_xlmac.py", ("cell_errors", "_clean_value_data_element"),
                        {"dt": dt, "kw": SimpleNamespace(missing_value=MISSING_VALUE)})
    return xlwings_code("_xlmac.py", ("raw_value",), code, in_class="Range")


# -- how each desktop Excel hands a range's cells over ------------------------------------------------


def com_value(cell: Any) -> Any:
    """Return a cell's value as COM (pywin32) hands it to xlwings on Windows."""
    if isinstance(cell, ErrorCell):
        return COM_ERROR_BASE + ERROR_NUMBERS[cell.code]
    return cell


def applescript_value(cell: Any) -> Any:
    """Return a cell's value as AppleScript (appscript) hands it to xlwings on a Mac."""
    if isinstance(cell, ErrorCell):
        return MISSING_VALUE
    return "" if cell is None else cell


def shown_text(cell: Any) -> str:
    """Return what a cell shows (Excel's ``Text``, AppleScript's ``string value``): enough to tell an error."""
    if isinstance(cell, ErrorCell):
        return cell.code
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return f"{cell:%d/%m/%Y}" if cell.time() == dt.time() else f"{cell:%d/%m/%Y %H:%M}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


class _AppleScriptRange:
    """An appscript reference to a range of cells, as xlwings' Mac code reads it (``.value.get()``...)."""

    def __init__(self, cells: list[list[Any]]) -> None:
        self.cells = cells
        self.value = SimpleNamespace(get=self._values)
        self.string_value = SimpleNamespace(get=self._texts)

    def _values(self) -> Any:
        if len(self.cells) == 1 and len(self.cells[0]) == 1:
            return applescript_value(self.cells[0][0])
        # Excel for Mac leaves error cells out of a range read in one go (xlwings #1924).
        return [[applescript_value(c) for c in row if not isinstance(c, ErrorCell)] for row in self.cells]

    def _texts(self) -> Any:
        if len(self.cells) == 1 and len(self.cells[0]) == 1:
            return shown_text(self.cells[0][0])
        return [[shown_text(c) for c in row] for row in self.cells]


class _DesktopApi(list):  # type: ignore[type-arg]
    """The remote engine's cells of a range, also answering as a Mac range reference (``string_value.get()``)."""

    @property
    def string_value(self) -> Any:
        return _AppleScriptRange([list(row) for row in self]).string_value


# -- putting the double in place ------------------------------------------------------------------


def install(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Make xlwings' remote engine hand values over as desktop Excel on ``kind`` ("windows" or "mac") does."""
    from caseforms.io import live_workbook

    code = _windows_code() if kind == WINDOWS else _mac_code()
    remote_raw_value = _xlremote.Range.raw_value
    remote_api = _xlremote.Range.api

    def raw_value(self: Any) -> Any:
        cells = [list(row) for row in remote_raw_value.fget(self)]
        if kind == WINDOWS:
            if len(cells) == 1 and len(cells[0]) == 1:
                return com_value(cells[0][0])  # COM hands one cell over as a value, not a table
            return tuple(tuple(com_value(c) for c in row) for row in cells)
        mac_range = SimpleNamespace(xl=_AppleScriptRange(cells), options=getattr(self, "options", {}) or {})
        return code["raw_value"](mac_range)

    def clean_value_data(data: Any, datetime_builder: Any, empty_as: Any, number_builder: Any, err_to_str: Any) -> Any:
        element = code["_clean_value_data_element"]
        return [[element(c, datetime_builder, empty_as, number_builder, err_to_str) for c in row] for row in data]

    def api(self: Any) -> Any:
        return _DesktopApi(remote_api.fget(self))

    monkeypatch.setattr(live_workbook, "excel_kind", lambda book: kind)
    monkeypatch.setattr(_xlremote.Range, "raw_value", property(raw_value, remote_raw_value.fset))
    monkeypatch.setattr(_xlremote.Engine, "clean_value_data", staticmethod(clean_value_data))
    monkeypatch.setattr(_xlremote.Range, "api", property(api))
    monkeypatch.setattr(_xlremote.Range, "merge_cells", property(_merge_cells))
    monkeypatch.setattr(_xlremote.Range, "merge_area", property(_merge_area))


def _areas(sheet: Any) -> list[tuple[int, int, int, int]]:
    from openpyxl.utils.cell import range_boundaries

    return [(r1, c1, r2, c2) for c1, r1, c2, r2 in (range_boundaries(a) for a in sheet.api.get("merged", []))]


def _cells(rng: Any) -> set[tuple[int, int]]:
    nrows, ncols = rng.shape
    return {(r, c) for r in range(rng.row, rng.row + nrows) for c in range(rng.column, rng.column + ncols)}


def _merge_cells(self: Any) -> bool | None:
    """Excel's Range.MergeCells: True when every cell is merged, False when none is, None (Null) for a mix."""
    merged = {(r, c) for r1, c1, r2, c2 in _areas(self.sheet)
              for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    inside = _cells(self) & merged
    if not inside:
        return False
    return True if inside == _cells(self) else None


def _merge_area(self: Any) -> Any:
    """Excel's Range.MergeArea: the merged range holding the (first) cell, or the cell itself."""
    for r1, c1, r2, c2 in _areas(self.sheet):
        if r1 <= self.row <= r2 and c1 <= self.column <= c2:
            return _xlremote.Range(self.sheet, (r1, c1), (r2, c2))
    return self


# -- a workbook file as desktop Excel holds it ---------------------------------------------------------


def desktop_cell(value: Any) -> Any:
    """Return a value python-calamine read from a file as the cell desktop Excel holds (before handing it over)."""
    if isinstance(value, ErrorCell):
        return value
    if value == "" or value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.time):  # a time typed alone: COM's day zero plus the time
        return dt.datetime(1899, 12, 30, value.hour, value.minute, value.second)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)  # Excel keeps every number as a double
    return value


def desktop_sheets(path: Path) -> list[dict[str, Any]]:
    """Return each sheet of a workbook file as desktop Excel holds it: values, used range, merged cells, tables."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import get_column_letter
    from python_calamine import CalamineWorkbook

    from caseforms.io.register_xlsx import error_cells

    errors = error_cells(path)
    calamine = CalamineWorkbook.from_path(str(path))
    wb = load_workbook(path)  # not read-only: merged cells, tables and the formatted extent of each sheet
    sheets = []
    for name in calamine.sheet_names:
        rows = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for (r, c), error in errors.get(name, {}).items():
            while len(rows) <= r:
                rows.append([])
            rows[r].extend([""] * (c + 1 - len(rows[r])))
            rows[r][c] = ErrorCell(error.code)
        ws = wb[name]
        height = max(len(rows), ws.max_row if ws.max_row > 1 or ws["A1"].value is not None else 0)
        width = max([len(r) for r in rows] + [ws.max_column])
        grid = [[desktop_cell(row[c]) if c < len(row) else None for c in range(width)]
                for row in rows + [[]] * (height - len(rows))]
        sheets.append({
            "name": name,
            "values": grid or [[None]],
            "used_range_address": f"A1:{get_column_letter(max(width, 1))}{max(height, 1)}" if height else None,
            "merged": [str(m) for m in ws.merged_cells.ranges],
            "tables": [_table(t) for t in ws.tables.values()],
            "pictures": [],
            "charts": [],
        })
    return sheets


def _table(table: Any) -> dict[str, Any]:
    """Return an Excel table of the file as the remote engine describes one."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    c1, r1, c2, r2 = range_boundaries(table.ref)
    first, last = get_column_letter(c1), get_column_letter(c2)
    return {
        "name": table.displayName, "range_address": table.ref, "row_count": r2 - r1 + 1, "column_count": c2 - c1 + 1,
        "header_row_range_address": f"{first}{r1}:{last}{r1}",
        "data_body_range_address": f"{first}{r1 + 1}:{last}{r2}" if r2 > r1 else None,
        "total_row_range_address": None, "show_headers": True, "show_totals": False,
        "table_style": table.tableStyleInfo.name if table.tableStyleInfo else "", "show_autofilter": True,
        "show_table_style_first_column": False, "show_table_style_last_column": False,
        "show_table_style_row_stripes": True, "show_table_style_column_stripes": False,
    }


# -- cell functions as desktop Excel on Windows calls them (xlwings' udfs.py, pywin32 stubbed) -----------------


class ComRange:
    """A range as COM hands it to a cell function's Python side: ``.Value`` as pywin32 gives it."""

    def __init__(self, cells: list[list[Any]]) -> None:
        self.cells = cells

    @property
    def Value(self) -> Any:
        if len(self.cells) == 1 and len(self.cells[0]) == 1:
            return com_value(self.cells[0][0])
        return tuple(tuple(com_value(c) for c in row) for row in self.cells)

    CLSID = None
    api = property(lambda self: self)


#: What VBA passes for an optional argument left out of a formula (xlwings/udfs.py, call_udf).
MISSING_ARGUMENT = -2147352572


def windows_udfs(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Return xlwings' own ``udfs`` module as it runs on Windows, with pywin32 stubbed, its decorators exported.

    ``xw.func``/``xw.arg``/``xw.ret`` become ``udfs.xlfunc``/``xlarg``/``xlret`` (what ``import xlwings``
    exports on Windows), so a module of cell functions loaded afterwards is decorated as on Windows;
    ``udfs.call_udf`` then runs a call as the COM server does, converting arguments and the result
    with xlwings' conversion pipeline and its Windows engine's cleaning (compiled from _xlwindows.py).
    """
    import importlib.util
    import sys
    from types import ModuleType

    def module(name: str, **attrs: Any) -> ModuleType:
        m = ModuleType(name)
        m.__dict__.update(attrs)
        monkeypatch.setitem(sys.modules, name, m)
        return m

    module("pythoncom", CoInitialize=lambda: None, IID_IDispatch=None,
           CoMarshalInterThreadInterfaceInStream=lambda iid, api: object())
    module("pywintypes", com_error=type("com_error", (Exception,), {}), TimeType=dt.datetime)
    client = module("win32com.client", Dispatch=lambda *a, **k: SimpleNamespace(Name="register.xlsm"))
    module("win32com", client=client)
    module("xlwings.com_server", loop=None)

    code = _windows_code()
    xlwings_code("_xlwindows.py", ("prepare_xl_data_element", "clean_value_data"), code, in_class="Engine")
    code.update(pd=None, np=None, _datetime_to_com_time=lambda value: value)  # pywin32 makes a COM date of it
    engine = SimpleNamespace(name="excel", type="desktop", clean_value_data=code["clean_value_data"],
                             prepare_xl_data_element=code["prepare_xl_data_element"])
    app = SimpleNamespace(engine=engine, pid=1)
    book = SimpleNamespace(app=app, name="register.xlsm")
    sheet = SimpleNamespace(book=book, name="Cases")

    class Range:  # xlwings._xlwindows.Range, around a COM range
        def __init__(self, xl: Any) -> None:
            self.xl, self.sheet, self.options = xl, sheet, {}
            self.max_cells_per_read = None

        @property
        def raw_value(self) -> Any:
            return self.xl.Value if self.xl is not None else None

        api = property(lambda self: self.xl)

    windows = module("xlwings._xlwindows", Range=Range, BOOK_CALLER=None,
                     is_range_instance=lambda value: isinstance(value, ComRange))
    monkeypatch.setattr(xw, "_xlwindows", windows, raising=False)
    monkeypatch.setitem(xw.engines.engines_by_name, "excel", xw.main.Engine(impl=engine))

    spec = importlib.util.spec_from_file_location("xlwings.udfs", XLWINGS / "udfs.py")
    assert spec is not None and spec.loader is not None
    udfs = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "xlwings.udfs", udfs)
    spec.loader.exec_module(udfs)
    monkeypatch.setattr(xw, "func", udfs.xlfunc)
    monkeypatch.setattr(xw, "arg", udfs.xlarg)
    monkeypatch.setattr(xw, "ret", udfs.xlret)
    return udfs


def load_as_on_windows(monkeypatch: pytest.MonkeyPatch, path: Path, name: str) -> Any:
    """Import a module of cell functions afresh under ``name``, decorated by the decorators now in ``xw``."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, loaded)
    spec.loader.exec_module(loaded)
    return loaded


def call_from_cell(udfs: Any, module: Any, function: str, **given: Any) -> Any:
    """Call a cell function as a formula in a cell does: VBA's wrapper passes every argument, in order.

    An argument not given is one left out of the formula (VBA passes its "missing" value); the
    reserved ``caller`` argument gets ``Nothing``, which ``call_udf`` replaces with the calling cell.
    Returns what xlwings hands back to Excel (a table of values).
    """
    args = tuple(None if a["name"] == "caller" else given.get(a["name"], MISSING_ARGUMENT)
                 for a in getattr(module, function).__xlfunc__["args"])
    return udfs.call_udf(module.__name__, function, args, None, ComRange([[None]]))
