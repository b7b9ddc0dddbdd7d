"""A workbook open on the officer's screen, through xlwings: read as shown, written cell by cell in Excel.

What caseforms reads from here includes the officer's unsaved edits, and what it writes goes into
the open workbook through Excel itself, never by rewriting the file under it: the officer sees the
change at once and saves it as usual, and nothing openpyxl does not understand can be lost.

The same calls work on every xlwings engine: desktop Excel on Windows and macOS, and the remote
engine behind xlwings Server and xlwings Lite (Excel on the web). What an engine cannot do (Excel
on the web has no status bar, and cannot read a cell's fill) is skipped, never an error.
"""

from __future__ import annotations

import contextlib
import stat
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.cells import column_letter
from caseforms.errors import WorkbookError, WorkbookNotSaved, WorkbookReadOnly
from caseforms.io.cell_text import Formula, live_rows, live_value
from caseforms.register.findings import (
    CHECKS_HEADERS,
    CHECKS_WIDTHS,
    ERROR,
    Finding,
    checks_row,
    checks_summary,
)
from caseforms.register.reading import CellError, RawSheet, excel_error, normalise_header
from caseforms.register.records import rows_to_write

#: Fills, as Excel's own "Bad" and "Neutral" cell styles: red for errors, amber for warnings.
MARK_COLOURS = {ERROR: "#FFC7CE", "warning": "#FFEB9C"}
HEADER_COLOUR = "#1F4E78"
#: The Checks sheet's hidden column recording each marked cell's own fill, so the next check puts it back.
_BEFORE_HEADER = "Fill before the check"
_CHECKS_FIRST_ROW = 5  # title, summary, a blank row, then the headings on row 4


# -- reading ---------------------------------------------------------------------------------------


def book_path(book: Any, *, required: bool = True) -> Path:
    """Return where the open workbook is saved; raise :class:`WorkbookNotSaved` saying what to do when it is not.

    caseforms writes returns, masters and papers beside the register, so the actions that write
    files need the workbook's folder on this computer. A new unsaved workbook, one open in Excel on
    the web, or one Excel cannot place (a OneDrive or SharePoint address) has none: with
    ``required`` False its bare name is returned instead, for the actions that only read it.
    """
    try:
        name = str(book.fullname or "")
    except Exception as e:  # desktop xlwings cannot map a OneDrive or SharePoint address to a local file
        if not required:
            return Path(str(book.name))
        raise WorkbookNotSaved(
            f"Excel cannot tell caseforms where '{book.name}' is on this computer: it is open from OneDrive or "
            "SharePoint. Open it from the synced folder in File Explorer or Finder instead, or ask IT to set the "
            "ONEDRIVE or SHAREPOINT settings of the xlwings add-in, then run the action again."
        ) from e
    path = Path(name)
    if "://" not in name and path.is_absolute() and path.parent.is_dir():
        return path
    if not required:
        return Path(path.name)
    if "://" in name:
        raise WorkbookNotSaved(
            f"'{book.name}' is open from the web ({name.split('/')[2]}), so caseforms cannot reach its folder. "
            "Open it from the partnership's working folder on this computer (the OneDrive or SharePoint folder "
            "synced in File Explorer or Finder), then run the action again."
        )
    raise WorkbookNotSaved(
        f"caseforms cannot find '{book.name}' in a folder on this computer. If it is a new workbook, save it in "
        "the partnership's working folder (beside register.xlsx and tracker.xlsx) and run the action again. In "
        "Excel on the web, only Check the register and Refresh the deadlines work: the actions that write files "
        "(requests, merge, papers, tracker) need desktop Excel."
    )


def read_only_reason(book: Any, path: Path) -> str | None:
    """Return why the open workbook cannot be saved over its file (read-only), or None when it can."""
    for read in (lambda: book.api.ReadOnly, lambda: book.api.read_only.get()):  # Windows, then macOS
        try:
            if bool(read()):
                return "Excel opened it read-only"
        except Exception:  # not this platform's object model, or none at all (the remote engine)
            continue
    try:
        if path.exists() and not path.stat().st_mode & stat.S_IWUSR:
            return "the file is marked read-only"
    except OSError:
        return None
    return None


def ensure_writable(book: Any, path: Path, what: str) -> None:
    """Raise :class:`WorkbookReadOnly` saying what to do when the open workbook cannot be saved."""
    reason = read_only_reason(book, path)
    if reason:
        raise WorkbookReadOnly(
            f"{path.name} is open read-only ({reason}), so {what} could not be saved into it. Close it; if "
            "someone else has it open, wait until they close it; if the file is marked read-only, untick "
            "Read-only in its Properties (Get Info on a Mac). Then open it again and run the action again."
        )


def sheets_of(book: Any, names: Sequence[str] | None = None) -> dict[str, RawSheet]:
    """Return the sheets of the open workbook (or those named) as the values on screen, from A1, with merged cells."""
    wanted = {n.casefold().strip() for n in names} if names is not None else None
    kind = excel_kind(book)
    saved: dict[str, list[str]] | None = None
    sheets: dict[str, RawSheet] = {}
    for sheet in book.sheets:
        if wanted is not None and sheet.name.casefold().strip() not in wanted:
            continue
        used = sheet.used_range
        merged = merged_ranges(used)
        if merged is None:  # an engine that cannot say (Excel on the web): the saved file says, for a saved workbook
            saved = _saved_merged_ranges(book) if saved is None else saved
            merged = saved.get(sheet.name, [])
        sheets[sheet.name] = RawSheet(sheet.name, sheet_values(sheet, kind, used), merged)
    return sheets


#: Which Excel a workbook is open in: desktop Excel on Windows or on a Mac, or Excel on the web (an xlwings
#: Server or xlwings Lite script, through xlwings' remote engine). Each hands values over its own way.
WINDOWS, MAC, WEB = "windows", "mac", "web"


def excel_kind(book: Any) -> str:
    """Return which Excel ``book`` is open in: :data:`WINDOWS`, :data:`MAC` or :data:`WEB`."""
    try:
        engine = book.app.engine.name
    except Exception:  # no app at all: a remote book built from a client's description
        return WEB
    if engine != "excel":  # "remote", "officejs", "calamine"
        return WEB
    return MAC if sys.platform == "darwin" else WINDOWS


def sheet_values(sheet: Any, kind: str | None = None, used: Any = None) -> list[list[Any]]:
    """Return a sheet's values from A1 to the last used cell, as the command line reads them from the file.

    Desktop Excel hands values over its own way, and each is brought back to what python-calamine
    gives the command line for the same saved cell (:func:`cell_value`): numbers are floats; a
    time typed alone is a time, not a moment of 30 December 1899; a cell showing an Excel error
    (#REF!, #N/A, #SPILL!...) is a :class:`CellError`, never an empty cell. The used range of
    desktop Excel runs down to the last formatted row; those rows read as empty, as in the file.
    """
    used = sheet.used_range if used is None else used
    kind = excel_kind(sheet.book) if kind is None else kind
    # Windows: COM hands an error as an int (-2146826281 for #DIV/0!); xlwings turns the seven it knows into
    # their text with err_to_str (xlwings/_xlwindows.py, cell_errors) and leaves the newer ones (#SPILL!,
    # #CALC!...) as ints, which cell_value reads. The remote engine hands errors as text. A Mac: _mac_values.
    values = _mac_values(used) if kind == MAC else used.options(ndim=2, err_to_str=True).value or [[]]
    top, left = used.row - 1, used.column - 1
    rows: list[list[Any]] = [[] for _ in range(top)]
    rows.extend([None] * left + [cell_value(v) for v in row] for row in values)
    return rows


# Excel's cell error numbers (XlCVError: learn.microsoft.com/office/vba/api/excel.xlcverror, and the newer
# errors after #SPILL!). COM hands an error cell over as 0x800A0000 + its number, a negative int in Python.
_CVERR = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?", 2036: "#NUM!",
          2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!", 2047: "#BLOCKED!",
          2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!", 2051: "#BUSY!"}
_COM_ERROR_BASE = -2146828288  # 0x800A0000 as a signed 32-bit int
# The days Excel's date systems count from: a time typed alone is that day plus the time (COM gives
# datetime(1899, 12, 30, h, m) for the 1900 date system, a 1904 workbook 1 January 1904).
_DAY_ZERO = (date(1899, 12, 30), date(1904, 1, 1))


def cell_value(value: Any) -> Any:
    """Return a value as desktop or web Excel hands it over, as python-calamine reads the same saved cell."""
    if isinstance(value, str):
        return excel_error(value) or value
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and _COM_ERROR_BASE <= value < _COM_ERROR_BASE + 4096:
        number = value - _COM_ERROR_BASE
        return CellError(_CVERR.get(number, f"#ERROR {number}"))
    if isinstance(value, datetime) and value.date() in _DAY_ZERO:
        return value.time()  # a time typed alone; the command line reads it as a time too, not as a date in 1899
    return value


def _mac_values(used: Any) -> list[list[Any]]:
    """Return a used range's values as Excel for Mac hands them over, with its error cells as :class:`CellError`.

    Not with err_to_str: in xlwings 0.37 (xlwings/_xlmac.py, Range.raw_value) its ensure_2d returns
    None for a range of several rows and columns, so every sheet would read as empty. Read without
    it, an error cell comes back as empty, and around one Excel for Mac may leave cells out of a
    row (xlwings #1924, #1188): a range that does not come back whole is read again row by row, then
    cell by cell. The error cells are then found by what they show (the text xlwings reads for
    err_to_str, ``string_value``).
    """
    nrows, ncols = used.shape
    values = used.options(ndim=2).value or [[]]
    if len(values) != nrows or any(len(row) != ncols for row in values):
        values = [_mac_row(used, r, ncols) for r in range(nrows)]
    try:
        shown = used.api.string_value.get()
    except Exception:  # no text to tell errors by: they read as empty, as xlwings hands them
        return values
    if not isinstance(shown, list):
        shown = [[shown]]
    elif shown and not isinstance(shown[0], list):
        shown = [shown]
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            text = shown[r][c] if r < len(shown) and c < len(shown[r]) else None
            if value in (None, "") and isinstance(text, str) and excel_error(text):
                row[c] = text
    return values


def _mac_row(used: Any, r: int, ncols: int) -> list[Any]:
    row = (used[r, :].options(ndim=2).value or [[]])[0]
    if len(row) == ncols:
        return list(row)
    return [used[r, c].value for c in range(ncols)]


def merged_ranges(used: Any) -> list[str] | None:
    """Return the merged ranges within a used range ("B5:D5"), or None when the engine cannot say.

    Excel says only whether a range holds merged cells (``MergeCells``: True, False, or mixed), so
    the range is halved until each merged cell is found, then its merge area is read: one call for
    a sheet with none, a few dozen for a sheet with some.
    """
    try:
        if used.merge_cells is False:
            return []
    except Exception:  # xlwings' remote engine cannot read it synchronously; any other engine that cannot say
        return None
    found: list[str] = []
    covered: set[tuple[int, int]] = set()

    def search(top: int, left: int, rows: int, cols: int) -> None:
        block = used.sheet.range((top, left), (top + rows - 1, left + cols - 1))
        if block.merge_cells is False:
            return
        if rows == 1 and cols == 1:
            if (top, left) in covered:
                return
            area = block.merge_area
            found.append(area.address.replace("$", ""))
            covered.update((r, c) for r in range(area.row, area.row + area.shape[0])
                           for c in range(area.column, area.column + area.shape[1]))
            return
        if rows >= cols:
            half = rows // 2
            search(top, left, half, cols)
            search(top + half, left, rows - half, cols)
        else:
            half = cols // 2
            search(top, left, rows, half)
            search(top, left + half, rows, cols - half)

    rows, cols = used.shape
    search(used.row, used.column, rows, cols)
    return found


def _saved_merged_ranges(book: Any) -> dict[str, list[str]]:
    """Return each sheet's merged ranges in the saved file of ``book``, or none for a workbook not saved here."""
    path = book_path(book, required=False)
    if not path.is_absolute() or not path.is_file():
        return {}
    try:
        from caseforms.io.register_xlsx import merged_ranges as file_merged_ranges
        from caseforms.io.register_xlsx import open_calamine

        wb = open_calamine(path)
        return {name: file_merged_ranges(wb.get_sheet_by_name(name)) for name in wb.sheet_names}
    except Exception:  # the file says nothing it can be read for: no merged cells are reported
        return {}


def read_register(book: Any, *, required: bool = True) -> Any:
    """Return the register as it is on the officer's screen (unsaved edits included).

    ``required`` False reads a workbook that is not saved on this computer (Excel on the web).
    """
    from caseforms.io.register_xlsx import register_from_sheets

    return register_from_sheets(sheets_of(book), book_path(book, required=required))


def selected_row(book: Any) -> tuple[str, int]:
    """Return the sheet and the first row of the officer's selection."""
    selection = book.app.selection if book.app is not None else None
    if selection is None:
        return book.sheets.active.name, 0
    return selection.sheet.name, int(selection.row)


def find_sheet(book: Any, name: str) -> Any | None:
    """Return the sheet called ``name`` (case and spacing do not matter), or None."""
    for sheet in book.sheets:
        if sheet.name.casefold().strip() == name.casefold().strip():
            return sheet
    return None


# -- writing ---------------------------------------------------------------------------------------


def status(book: Any, text: str | None) -> None:
    """Show ``text`` in Excel's status bar (None gives the bar back to Excel); skipped where there is none."""
    with contextlib.suppress(Exception):  # Excel on the web has no status bar: the message box says it all
        book.app.status_bar = text if text else False


def alert(book: Any, text: str, *, problem: bool = False) -> None:
    """Show a short message box over the workbook."""
    book.app.alert(text, title="caseforms", mode="critical" if problem else "info")


def fresh_sheet(book: Any, name: str, *, after: str | None = None) -> Any:
    """Return the sheet ``name`` emptied (contents and formats), or a new one placed after the sheet ``after``.

    Clearing a sheet keeps its Excel tables: a title written into A1 would land in a table's header
    row ("Column1", filter buttons). So a sheet holding a table (the tracker's By agency sheet as
    the command line writes it) is deleted and made again in its place, as the command line does.
    """
    sheet = find_sheet(book, name)
    if sheet is None:
        anchor = find_sheet(book, after) if after else None
        return book.sheets.add(name, after=anchor if anchor is not None else book.sheets[-1])
    if not _has_tables(sheet):
        sheet.clear()
        return sheet
    names = [s.name for s in book.sheets]
    position = names.index(sheet.name)
    name = sheet.name
    sheet.delete()  # xlwings turns Excel's "delete this sheet?" prompt off for it (_xlwindows/_xlmac Sheet.delete)
    if position > 0:
        return book.sheets.add(name, after=book.sheets[names[position - 1]])
    return book.sheets.add(name, before=book.sheets[0])


def _has_tables(sheet: Any) -> bool:
    try:
        return len(sheet.tables) > 0
    except Exception:  # an engine without tables has none to keep
        return False


def _headings(sheet: Any, top_left: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    first = sheet.range(top_left)
    row = first.resize(1, len(headers))
    row.value = live_rows([headers])[0]
    row.color = HEADER_COLOUR
    row.font.bold = True
    row.font.color = "#FFFFFF"
    for i, width in enumerate(widths):
        sheet.range(f"{column_letter(first.column - 1 + i)}:{column_letter(first.column - 1 + i)}").column_width = width


def link(sheet_name: str, cell: str, text: str) -> Formula:
    """Return a HYPERLINK formula going to ``cell`` of another sheet (works in every Excel, and LibreOffice)."""
    target = f"'{sheet_name.replace(chr(39), chr(39) * 2)}'!{cell}"
    return Formula(f'=HYPERLINK("#{target.replace(chr(34), chr(34) * 2)}","{text.replace(chr(34), chr(34) * 2)}")')


def show_checks(book: Any, findings: Sequence[Finding], title: str) -> None:
    """Write the findings on the Checks sheet, a link to each cell, and colour the cells they are about.

    The cells the previous check coloured get their own fill back first, so a corrected cell does
    not stay red. Where the engine can read a cell's fill, that fill is kept on the Checks sheet's
    hidden last column to be put back; where it cannot (Excel on the web), the cell is left unfilled.
    """
    _unmark_previous(book)
    sheet = fresh_sheet(book, "Checks", after="Instructions")
    sheet.range("A1").value = live_value(title)
    sheet.range("A1").font.bold = True
    sheet.range("A1").font.size = 13
    sheet.range("A2").value = live_value(checks_summary(findings))
    headers = (*CHECKS_HEADERS, _BEFORE_HEADER)
    _headings(sheet, "A4", headers, (*CHECKS_WIDTHS, 12))
    sheets = {s.name for s in book.sheets}
    rows: list[list[Any]] = []
    first_fill: dict[tuple[str, str], str] = {}  # a cell with two findings keeps the fill it had before both
    for f in findings:
        values: list[Any] = list(checks_row(f))
        before = ""
        if f.sheet in sheets and f.cell:
            values[2] = link(f.sheet, f.cell.split(":")[0], f.cell)
            key = (f.sheet, f.cell)
            if key in first_fill:
                before = first_fill[key]
                book.sheets[f.sheet].range(f.cell).color = MARK_COLOURS.get(f.severity, MARK_COLOURS[ERROR])
            else:
                before = first_fill[key] = _mark(book.sheets[f.sheet].range(f.cell), f.severity)
        values.append(before)
        rows.append(values)
    if rows:
        sheet.range(f"A{_CHECKS_FIRST_ROW}").value = live_rows(rows, "the Checks sheet")
        last = _CHECKS_FIRST_ROW + len(rows) - 1
        for r, f in enumerate(findings, start=_CHECKS_FIRST_ROW):
            sheet.range(f"A{r}").color = MARK_COLOURS.get(f.severity, MARK_COLOURS[ERROR])
        sheet.range(f"D{_CHECKS_FIRST_ROW}:E{last}").wrap_text = True
    sheet.range("H:H").column_width = 0  # hidden: the fills to put back
    sheet.activate()


def _mark(cell: Any, severity: str) -> str:
    """Colour a cell a finding is about; return its own fill before, as '#rrggbb', or '' for none or unknown."""
    try:
        colour = cell.color
    except Exception:  # the engine cannot read fills
        colour = None
    if isinstance(colour, tuple):
        colour = "#{:02X}{:02X}{:02X}".format(*colour)
    cell.color = MARK_COLOURS.get(severity, MARK_COLOURS[ERROR])
    return "" if colour is None or colour.upper() in (c.upper() for c in MARK_COLOURS.values()) else str(colour)


def _unmark_previous(book: Any) -> None:
    sheet = find_sheet(book, "Checks")
    if sheet is None:
        return
    rows = sheet_values(sheet)
    header = next((i for i, row in enumerate(rows) if row and row[0] == CHECKS_HEADERS[0]), None)
    if header is None:
        return
    names = {s.name for s in book.sheets}
    for row in rows[header + 1:]:
        if len(row) < 3 or row[1] not in names or not row[2] or row[2] == "(sheet)":
            continue
        before = row[7] if len(row) > 7 else None
        cell = str(row[2])
        try:
            book.sheets[row[1]].range(cell).color = str(before) if before else None
        except Exception:  # a cell reference the officer typed over; nothing to put back
            continue


def write_table(book: Any, name: str, title: str, headers: Sequence[str], widths: Sequence[float],
                rows: Sequence[Sequence[Any]], colours: Sequence[str | None] = (), *, after: str | None = None,
                note: str = "") -> Any:
    """Write a sheet of caseforms' own (title, a note, headings on row 4, rows below), replacing what it held.

    Every value goes through :func:`caseforms.io.cell_text.live_value`: text is written as text, and
    all of it is checked before the first cell is touched.
    """
    values = live_rows(rows, f"the {name} sheet")
    sheet = fresh_sheet(book, name, after=after)
    sheet.range("A1").value = live_value(title)
    sheet.range("A1").font.bold = True
    sheet.range("A1").font.size = 13
    if note:
        sheet.range("A2").value = live_value(note)
    _headings(sheet, "A4", headers, widths)
    if values:
        sheet.range("A5").value = values
        for r, colour in enumerate(colours, start=5):
            if colour:
                sheet.range(f"A{r}").resize(1, len(headers)).color = colour
    return sheet


def upsert_rows(book: Any, sheet_name: str, headers: Mapping[str, str], key: Sequence[str],
                rows: Sequence[Mapping[str, Any]]) -> int:
    """Set the cells of the rows matching ``key`` (column keys) on a sheet headed on row 1; add the others below.

    ``headers`` maps column keys to their headings. Other cells of a row are kept. Returns the
    number of rows written. Raises :class:`WorkbookError` when the sheet or a key heading is missing.
    """
    sheet = find_sheet(book, sheet_name)
    if sheet is None:
        raise WorkbookError(f"The workbook has no '{sheet_name}' sheet. Copy it from a new register "
                            "(caseforms init), then run the action again.")
    values = sheet_values(sheet)
    heading_row = values[0] if values else []
    where = {normalise_header(h): i for i, h in enumerate(heading_row) if h not in (None, "")}
    columns = {k: where.get(normalise_header(h)) for k, h in headers.items()}
    missing = [headers[k] for k in key if columns.get(k) is None]
    if missing:
        raise WorkbookError(f"Sheet '{sheet.name}', row 1 has no '{missing[0]}' heading. Put the heading back "
                            "(a new register from caseforms init shows it), then run the action again.")
    def cells(row: list[Any]) -> list[Any]:
        return [row[c] if (c := columns[k]) is not None and c < len(row) else None for k in key]

    targets = rows_to_write(((r, cells(row)) for r, row in enumerate(values[1:], start=2)), rows, key)
    place = f"sheet '{sheet.name}'"
    typed = [{k: live_value(v, place) for k, v in values_by_key.items()} for values_by_key in rows]  # all checked first
    for r, values_by_key, written in zip(targets, rows, typed, strict=True):
        for k, value in values_by_key.items():
            col = columns.get(k)
            if col is None:
                continue
            target = sheet.range(f"{column_letter(col)}{r}")
            target.value = written[k]
            if isinstance(value, datetime):
                target.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, date):
                target.number_format = "dd/mm/yyyy"
    return len(rows)


def write_column(book: Any, sheet_name: str, header: str, values_by_row: Mapping[int, Any]) -> bool:
    """Write values into the column headed ``header`` (row 1) of a sheet, by row number; False when there is none."""
    sheet = find_sheet(book, sheet_name)
    if sheet is None:
        return False
    heading_row = sheet_values(sheet)[:1] or [[]]
    col = next((i for i, h in enumerate(heading_row[0]) if normalise_header(h) == normalise_header(header)), None)
    if col is None:
        return False
    place = f"sheet '{sheet.name}', column '{header}'"
    written = {r: live_value(v, place) for r, v in values_by_row.items()}  # all checked before the first write
    # One write per run of consecutive rows (a tracker's actions are one run: one round trip to Excel);
    # the cells between runs are not touched, so an officer's formula or note there stays as it is.
    rows = sorted(written)
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[i - 1] + 1:
            run = rows[start:i]
            sheet.range(f"{column_letter(col)}{run[0]}").value = [[written[r]] for r in run]
            start = i
    return True


def remove_charts(sheet: Any) -> None:
    """Delete the sheet's charts: the previous refresh's (clearing a sheet keeps its charts).

    An engine that cannot list charts keeps them; a new chart is then put on top.
    """
    with contextlib.suppress(Exception):
        for old in list(sheet.charts):
            old.delete()


def add_bar_chart(sheet: Any, source: str, anchor: str, title: str, *, fallback: tuple[float, float] = (620, 60),
                  colours: Sequence[str] = (), axis_title: str | None = None, top_down: bool = False,
                  size: tuple[float, float] = (520, 320)) -> Any:
    """Add a stacked bar chart of ``source`` (categories down its first column, series across) at ``anchor``.

    Engines that cannot say where a cell is on the sheet (Excel on the web) place it at ``fallback``
    (points from the sheet's top left). ``colours`` (#RRGGBB) colour the series in order; ``top_down`` lists the
    categories from the top as the table does (Excel draws a bar chart's first category at the bottom);
    ``axis_title`` names the value axis. Returns the chart, or None when the engine has no charts.
    """
    try:
        left, top = sheet.range(anchor).left, sheet.range(anchor).top
    except Exception:
        left, top = fallback
    remove_charts(sheet)
    try:
        chart = sheet.charts.add(left=left, top=top, width=size[0], height=size[1])
        chart.set_source_data(sheet.range(source))
        chart.chart_type = "bar_stacked"
        chart.name = title[:31]
    except Exception:  # an engine without charts: the table alone still says it all
        return None
    # How it looks is a nicety: an engine (or an older Excel) that cannot set it still shows the chart.
    with contextlib.suppress(Exception):
        chart.title = title
    for i, colour in enumerate(colours):
        with contextlib.suppress(Exception):
            chart.series[i].fill_color = colour
    if top_down:
        with contextlib.suppress(Exception):
            # The first category at the top, and the value axis kept at the bottom under the last one.
            chart.category_axis.set(reverse_order=True, crosses="maximum")
    with contextlib.suppress(Exception):
        # The categories' names at the left edge, clear of bars that run left of 0 (an overdue milestone's).
        chart.value_axis.crosses = "minimum"
    if axis_title:
        with contextlib.suppress(Exception):
            chart.value_axis.title = axis_title
    return chart
