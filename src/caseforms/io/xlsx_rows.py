"""A big sheet's data rows written straight as worksheet XML, inside a workbook xlsxwriter writes.

xlsxwriter keeps each cell as a record until the file is closed, then writes every cell through
one general routine (its address worked out, each attribute escaped, its format looked up by row
and column): for the master chronology's 20,000 rows of twenty columns that is three quarters of
the time of writing the workbook. :func:`rows_sheet` gives a worksheet that takes its data rows
from a :class:`Rows` instead, each row made into XML as it is written, with what xlsxwriter would
have written for it: the same shared strings, the same styles (the cell's own format, else its
column's), the same row heights. Everything else of the sheet (the header row, the table, the
column widths, conditional formats, print set-up) is xlsxwriter's as usual.

Text goes through the same rule as every other cell caseforms writes (``cell_text``): a string
is always a shared string, never a formula, and characters no file can hold are replaced.
"""

from __future__ import annotations

import math
from typing import Any

from caseforms.io.cell_text import excel_cut, xlsxwriter_text

#: Excel's limit on a cell's text, in UTF-16 units (xlsxwriter cuts longer text to it).
_UTF16_LIMIT = 32_767
#: Excel's last row (1,048,576, 0-based).
_LAST_ROW = 1_048_575


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class Rows:
    """The data rows of one sheet, from ``first_row`` (0-based) down, one after another, made into XML as written.

    Call :meth:`string` and :meth:`number` for a row's cells in column order, then :meth:`end_row`.
    Styles come from the formats given, else from the column's format set with ``set_column``
    before the first row, as xlsxwriter does for a cell written without a format.
    """

    def __init__(self, sheet: Any, first_row: int) -> None:
        self.first_row = first_row
        self.parts: list[str] = []
        self.last_col = -1
        self._sheet = sheet
        self._row = first_row
        self._number = str(first_row + 1)
        self._cells: list[str] = []
        self._col = -1  # the current row's last column written: cells go left to right, each once
        self._shared = sheet.str_table._get_shared_string_index
        # For each (column, format): the cell's tag around its row number, '<c r="B' and '" s="3"'.
        self._tags: dict[tuple[int, Any], tuple[str, str]] = {}

    def _tag(self, col: int, cell_format: Any) -> tuple[str, str]:
        tag = self._tags.get((col, cell_format))
        if tag is None:
            if col > self.last_col:
                self.last_col = col
            style = cell_format
            if style is None:
                info = self._sheet.col_info.get(col)
                style = info.column_format if info is not None else None
            index = style._get_xf_index() if style is not None else 0
            tag = self._tags[(col, cell_format)] = (f'<c r="{_column_name(col)}', f'" s="{index}"' if index else '"')
        return tag

    def string(self, col: int, text: str, cell_format: Any = None) -> None:
        """Add a text cell at column ``col`` of the current row (a shared string, never a formula)."""
        if not text.isascii():
            text = xlsxwriter_text(text)
        if len(text) > _UTF16_LIMIT // 2:
            text = excel_cut(text, _UTF16_LIMIT)
        if col <= self._col:
            raise ValueError(f"column {col} of row {self._row + 1} written after column {self._col}: write a row left to right")
        self._col = col
        start, style = self._tags.get((col, cell_format)) or self._tag(col, cell_format)
        self._cells.append(f'{start}{self._number}{style} t="s"><v>{self._shared(text)}</v></c>')

    def number(self, col: int, value: float, cell_format: Any = None) -> None:
        """Add a number (a date or time as Excel's serial number) at column ``col`` of the current row."""
        if not math.isfinite(value):
            raise ValueError(f"row {self._row + 1}, column {col}: {value} is not a number Excel can hold")
        if col <= self._col:
            raise ValueError(f"column {col} of row {self._row + 1} written after column {self._col}: write a row left to right")
        self._col = col
        start, style = self._tags.get((col, cell_format)) or self._tag(col, cell_format)
        self._cells.append(f"{start}{self._number}{style}><v>{value:.16G}</v></c>")

    def end_row(self, height: float | None = None) -> None:
        """End the current row; ``height`` in points, as ``set_row`` takes it (None: the default height)."""
        if self._row > _LAST_ROW:
            raise ValueError(f"row {self._row + 1} is beyond Excel's last row ({_LAST_ROW + 1:,})")
        if height is None:
            opening = f'<row r="{self._number}">'
        else:
            # As set_row stores it: whole pixels, written back as points.
            points = int(height * 4.0 / 3.0 + 0.5) * 0.75
            opening = f'<row r="{self._number}" ht="{points:.16g}" customHeight="1">'
        self.parts.append(opening + "".join(self._cells) + "</row>")
        self._cells = []
        self._col = -1
        self._row += 1
        self._number = str(self._row + 1)

    @property
    def last_row(self) -> int:
        """The last row ended (0-based), or ``first_row - 1`` when none."""
        return self._row - 1


def rows_sheet(workbook: Any, name: str, first_row: int) -> tuple[Any, Rows]:
    """Add a worksheet to ``workbook`` whose rows from ``first_row`` down are written through the :class:`Rows` returned.

    Rows above ``first_row`` (the header) are written with xlsxwriter's own methods. A cell or row
    height xlsxwriter is given at or below ``first_row`` would be lost: closing the workbook then
    stops with an error rather than drop it.
    """
    import xlsxwriter

    base = getattr(workbook, "text_worksheet", None)
    if base is None:
        raise TypeError("rows_sheet needs a workbook made by cell_text.xlsxwriter_workbook (its strings follow the rule)")
    if not xlsxwriter.__version__.startswith("3.3."):
        # The rows are written inside xlsxwriter's worksheet (its column formats, shared strings and row writing), as
        # 3.3 keeps them; pyproject.toml asks for 3.3.
        raise RuntimeError(f"caseforms writes the master chronology with xlsxwriter 3.3, and {xlsxwriter.__version__} is "
                           "installed: run  pip install \"xlsxwriter>=3.3,<3.4\"  and try again.")
    sheet = workbook.add_worksheet(name, worksheet_class=type("RowsWorksheet", (_RowsMixin, base), {}))
    rows = Rows(sheet, first_row)
    sheet.prepared_rows = rows
    return sheet, rows


class _RowsMixin:
    """Writes the rows xlsxwriter holds, then the prepared ones."""

    prepared_rows: Rows | None = None
    table: Any
    row_info: Any
    comments: Any
    dim_rowmin: int | None
    dim_rowmax: int | None
    dim_colmax: int | None
    fh: Any

    def _write_rows(self) -> None:
        rows = self.prepared_rows
        if rows is None or not rows.parts:
            super()._write_rows()  # type: ignore[misc]
            return
        first = rows.first_row
        held = [r for r, cells in self.table.items() if cells and r >= first]
        held += [r for r in self.row_info if r >= first]
        held += [r for r in self.comments if r >= first]
        if held:
            raise RuntimeError(f"row {min(held) + 1} was given to xlsxwriter and to the prepared rows: it would be lost")
        last = self.dim_rowmax
        self.dim_rowmax = first - 1
        try:
            if self.dim_rowmin is not None and self.dim_rowmin <= first - 1:
                super()._write_rows()  # type: ignore[misc]
        finally:
            self.dim_rowmax = last
        self.fh.writelines(rows.parts)

    def _close_rows(self) -> None:
        """Take the prepared rows into the sheet's dimensions (its used range)."""
        rows = self.prepared_rows
        if rows is not None and rows.parts:
            self._check_dimensions(rows.first_row, 0)  # type: ignore[attr-defined]
            self._check_dimensions(rows.last_row, max(rows.last_col, 0))  # type: ignore[attr-defined]

    def _assemble_xml_file(self) -> None:
        self._close_rows()
        super()._assemble_xml_file()  # type: ignore[misc]
