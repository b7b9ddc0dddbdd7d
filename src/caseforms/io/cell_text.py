"""Text from anyone is text: the one rule for every cell caseforms writes, in every writer.

What officers type into the register, what agencies send back, the names of their files and what
comes out of a Word action plan reaches the workbooks caseforms writes. Each writer can turn text
into something else:

* openpyxl stores a string starting with ``=`` as a formula, and ``#REF!`` or ``#N/A`` as an
  Excel error value; it refuses characters XML cannot hold and cuts text at 32,767 characters;
* xlsxwriter's ``write()`` makes formulas, numbers and links out of strings (unless told not to);
* through xlwings, Excel takes a value as if it were typed: ``=...``, ``+...``, ``-...`` and
  ``@...`` become formulas, ``1/2`` a date, ``0123`` the number 123.

So a value is written as a formula only when caseforms made it one on purpose (a :class:`Formula`:
the register's due dates, the links of the Checks sheet); every other string is written as text
and reads back exactly as written:

* openpyxl: stored as a string cell (``data_type`` "s"), so ``=1+1`` shows as =1+1, with no quote;
  characters XML 1.0 cannot hold (control characters) are written with Excel's own ``_xHHHH_``
  escape, which Excel and python-calamine read back as the character itself;
* xlsxwriter: through :func:`xlsxwriter_workbook`, whose worksheets pass every string through
  this rule and never guess a formula, number or link;
* xlwings: the string gets Excel's text prefix, a leading apostrophe, exactly as an officer types
  '=1+1 to keep it as text: Excel shows =1+1 in the cell and hands back =1+1 to every program.

Everywhere, a lone surrogate (a file name in no known encoding) or a non-character becomes the
visible replacement character (U+FFFD) rather than a crash, and text longer than an Excel cell
holds (32,767 characters) is refused with the place named (openpyxl and xlwings) rather than cut
without a word. xlsxwriter keeps its own behaviour for over-long text (the master chronology
writes those with a finding of its own).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from caseforms.errors import CellTextTooLong

#: The most characters (UTF-16 code units, as Excel counts them) one cell holds.
MAX_CELL_TEXT = 32767
#: Excel's prefix that keeps what follows as text, as an officer types it.
TEXT_PREFIX = "'"

# Characters no UTF-8 file can hold (lone surrogates) and the two non-characters XML forbids.
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Characters XML 1.0 cannot hold; tab, line feed and carriage return it can.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Text that already looks like Excel's escape: its underscore is escaped so it reads back as typed.
_ESCAPE_LOOKALIKE = re.compile("_x[0-9A-Fa-f]{4}_")
_EXCEL_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


class Formula(str):
    """A formula caseforms itself writes on purpose; the only text any writer stores as a formula."""

    __slots__ = ()


def cell_text(text: str, where: str = "") -> str:
    """Return ``text`` as any cell can hold it; raise :class:`CellTextTooLong` when no cell can.

    Lone surrogates and non-characters become U+FFFD (visible, and nothing else changes).
    ``where`` names the cell for the message ("tracker.xlsx, Actions!E12").
    """
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub("\ufffd", text)
    if len(text) > MAX_CELL_TEXT // 2 and excel_length(text) > MAX_CELL_TEXT:
        start = " ".join(text[:60].split())
        raise CellTextTooLong(
            f"{where + ': ' if where else ''}the text '{start}...' is {excel_length(text):,} characters long, "
            f"more than the {MAX_CELL_TEXT:,} an Excel cell holds, so it was not written (nothing was). Shorten "
            "it where it was typed, or split it in two, then run again."
        )
    return text


def excel_length(text: str) -> int:
    """Return the length of ``text`` as Excel counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def excel_cut(text: str, units: int) -> str:
    """Return ``text`` cut to at most ``units`` UTF-16 code units, as Excel counts them (never half an emoji)."""
    if len(text) <= units // 2 or excel_length(text) <= units:
        return text
    cut = text.encode("utf-16-le", "surrogatepass")[:units * 2].decode("utf-16-le", "surrogatepass")
    return cut[:-1] if "\ud800" <= cut[-1] <= "\udbff" else cut  # the first half of a pair cut in two


def xml_escape(text: str) -> str:
    """Return ``text`` with Excel's ``_xHHHH_`` escape for each character XML 1.0 cannot hold.

    Text already shaped like an escape gets its underscore escaped (``_x005F_``), as Excel does, so
    Excel and python-calamine read back exactly what was written.
    """
    if "_x" in text:
        text = _ESCAPE_LOOKALIKE.sub(lambda m: "_x005F" + m.group(0), text)
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text


def xml_unescape(text: str) -> str:
    """Return text read from a workbook part with Excel's ``_xHHHH_`` escapes decoded (openpyxl leaves them)."""
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# -- openpyxl ------------------------------------------------------------------------------------


def put(cell: Any, value: Any) -> Any:
    """Set an openpyxl cell to ``value`` under the rule, and return the cell (to style it).

    A :class:`Formula` is written as a formula; any other string as a string cell, escaped for
    XML; numbers, dates, booleans and None as themselves.
    """
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        text = xml_escape(cell_text(value, f"sheet '{cell.parent.title}', cell {cell.coordinate}"))
        # Set the stored value and its type directly, as openpyxl's own reader does: assigning
        # cell.value would make '=...' a formula and '#N/A' an error, and cut escaped text.
        cell.value = None
        cell._value = text
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def put_row(ws: Any, row: int, values: Iterable[Any], first_column: int = 1) -> None:
    """Write ``values`` across row ``row`` of an openpyxl sheet from ``first_column``, under the rule."""
    for column, value in enumerate(values, start=first_column):
        put(ws.cell(row=row, column=column), value)


# -- xlsxwriter ----------------------------------------------------------------------------------


def xlsxwriter_workbook(path: str, options: dict[str, Any] | None = None, *, compression: int | None = None) -> Any:
    """Return an xlsxwriter Workbook whose every string cell goes through the rule.

    Strings are never taken for formulas, numbers or links, whatever method writes them (table
    headers and data included); write a :class:`Formula` with ``write_formula``. ``compression``
    is zlib's level for the file's parts (None: xlsxwriter's, zlib's default 6; not with xlsxwriter's
    ``in_memory`` option, which sets each part's level itself).
    """
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    class TextWorksheet(Worksheet):
        """A worksheet whose one path for strings (every write method ends there) applies the rule."""

        def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
            return int(super()._write_string(row, col, xlsxwriter_text(string), cell_format))

        def _write(self, row: int, col: int, *args: Any) -> int:
            if args and isinstance(args[0], Formula):
                return int(self._write_formula(row, col, *args))
            return int(super()._write(row, col, *args))

    class TextWorkbook(xlsxwriter.Workbook):
        #: The worksheet class under the rule, for a sheet that needs a subclass of it (io.xlsx_rows).
        text_worksheet = TextWorksheet

        def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
            return super().add_worksheet(name, worksheet_class or TextWorksheet)

        def _store_workbook(self) -> None:
            if compression is None:
                super()._store_workbook()
                return
            # xlsxwriter makes its zip file with no level; the level is the ZipFile's, for every part written.
            import xlsxwriter.workbook as module

            made = module.ZipFile
            module.ZipFile = functools.partial(made, compresslevel=compression)
            try:
                super()._store_workbook()
            finally:
                module.ZipFile = made

    settings = dict(options or {})
    settings.update(strings_to_formulas=False, strings_to_numbers=False, strings_to_urls=False)
    return TextWorkbook(path, settings)


def xlsxwriter_text(string: Any) -> Any:
    """Return a string as xlsxwriter may write it: characters no file can hold replaced by U+FFFD."""
    # Most text is ASCII, which holds none of the characters to replace: one flag looked at, not a search.
    if not isinstance(string, str) or string.isascii() or not _UNWRITABLE.search(string):
        return string
    return _UNWRITABLE.sub("\ufffd", string)


# -- xlwings: a workbook open in Excel -----------------------------------------------------------


def live_value(value: Any, where: str = "") -> Any:
    """Return ``value`` as it must be handed to Excel through xlwings so that Excel keeps it as written.

    A :class:`Formula` stays a formula; a string gets Excel's text prefix (an apostrophe, not
    shown in the cell) so Excel neither calculates it nor reads it as a number or a date.
    """
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        text = cell_text(value, where)
        return TEXT_PREFIX + text if text else text
    return value


def live_rows(rows: Iterable[Sequence[Any]], where: str = "") -> list[list[Any]]:
    """Return rows of values under the rule for writing through xlwings in one go."""
    return [[live_value(v, where) for v in row] for row in rows]


__all__ = ["MAX_CELL_TEXT", "Formula", "cell_text", "excel_cut", "excel_length", "live_rows", "live_value", "put", "put_row",
           "xlsxwriter_text", "xlsxwriter_workbook", "xml_escape", "xml_unescape"]
