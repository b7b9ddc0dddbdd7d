"""How every sheet caseforms makes prints: orientation, paper, fit, repeated headings, marking, page numbers.

One description of a printed sheet (:class:`PrintLayout`) applied the same way to the workbooks
written with openpyxl (the register, the tracker, the request workbook) and with xlsxwriter (the
master chronology). Each sheet prints:

- landscape when it is wider than a portrait page, on A4 unless said otherwise;
- fitted to as few pages across as keep the text at a readable size (one page across when that is
  at least :data:`READABLE_SCALE`), as many pages down as it needs;
- with its heading rows (and, for wide sheets, its first column) on every page;
- with the protective marking at the top, the title, and "Page X of Y" with the file and sheet
  name at the foot, so a page found on a desk says what it is and where it came from;
- without gridlines where the sheet is formatted (tables, coloured headings), with them on plain
  lists;
- with rows tall enough for their wrapped text (:func:`row_height`): LibreOffice does not size
  rows itself when it opens a workbook, and Excel does not when it prints one it has not shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from caseforms.papers.fields import MARKING

#: The smallest scale a sheet is fitted down to on one page across; a wider sheet prints on more pages.
READABLE_SCALE = 0.6
#: Printable width of each paper, in inches, with the margins below (0.4" each side), portrait and landscape.
_PRINTABLE_INCHES = {("A4", False): 8.27 - 0.8, ("A4", True): 11.69 - 0.8, ("A3", False): 11.69 - 0.8,
                     ("A3", True): 16.54 - 0.8}
#: Excel's paper size codes.
PAPER_CODES = {"A4": 9, "A3": 8}
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6, "header": 0.3, "footer": 0.3}
#: The width of an Instructions sheet's one column: less than a portrait A4 page across in Excel and in
#: LibreOffice (whose characters are wider), so it prints whole at full size: neither shrinks it.
INSTRUCTIONS_WIDTH = 75
#: Points a line of 11-point Calibri takes, and the tallest row Excel allows.
LINE_POINTS = 15.0
MAX_ROW_POINTS = 409.0


@dataclass(frozen=True)
class PrintLayout:
    """How one sheet prints. Rows and columns are numbered from 1, as Excel shows them."""

    title: str
    #: The widths of the printed columns, in Excel's character units (to choose the orientation and fit).
    widths: Sequence[float]
    #: The rows repeated at the top of every page (first, last), or None.
    heading_rows: tuple[int, int] | None = (1, 1)
    #: Repeat the first column on every page (the case reference of a wide register sheet).
    repeat_first_column: bool = False
    #: The printed range ("A1:AG5"), or None for all the sheet holds.
    area: str | None = None
    paper: str = "A4"
    #: Print the gridlines: for plain lists with no borders or fills of their own.
    gridlines: bool = False
    marking: str | None = MARKING
    #: Force portrait or landscape; None chooses from the widths.
    landscape: bool | None = None

    @property
    def is_landscape(self) -> bool:
        if self.landscape is not None:
            return self.landscape
        return _width_inches(self.widths) > _PRINTABLE_INCHES[(self.paper, False)]

    @property
    def pages_wide(self) -> int:
        """Return how many pages across the sheet prints on: one unless that would shrink it below the readable scale."""
        printable = _PRINTABLE_INCHES[(self.paper, self.is_landscape)]
        return max(1, math.ceil(_width_inches(self.widths) * READABLE_SCALE / printable - 1e-9))

    def header(self) -> tuple[str, str, str]:
        """Return the header's left, centre and right: the marking, the title, and the marking again.

        No printed date: LibreOffice writes it in the computer's own order (11/30/2026), which a
        reader in England takes for another date.
        """
        marking = _escape(self.marking) if self.marking else ""
        return (marking, _escape(self.title), marking)

    def footer(self) -> tuple[str, str]:
        """Return the footer's left and right: the file and sheet, and the page number."""
        return ("&F: &A", "Page &P of &N")


def _width_inches(widths: Iterable[float]) -> float:
    # Excel draws a column of width w (characters of the default font) w * 7 + 5 pixels wide, at 96 pixels an inch.
    return sum(w * 7 + 5 for w in widths) / 96


def _escape(text: str) -> str:
    # "&" starts a control code in Excel's headers and footers.
    return text.replace("&", "&&")


def row_height(texts: Iterable[tuple[str, float]], minimum_lines: int = 1) -> float:
    """Return the height in points a row needs for its wrapped texts, each given with its column's width.

    A line of a column w characters wide is taken to hold w characters of running text: Excel fits
    a little more (Calibri's letters are narrower than the '0' it measures by), LibreOffice no more,
    and a row a line too tall is better than a line cut off. Each line break starts a new line.
    """
    lines = minimum_lines
    for text, width in texts:
        if text:
            lines = max(lines, lines_needed(str(text), width))
    return lines_height(lines)


def lines_needed(text: str, width: float) -> int:
    """Return the lines a text needs wrapped in a column ``width`` characters wide (see :func:`row_height`)."""
    per_line = max(1.0, width * 1.0)
    if "\n" in text:
        return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return max(1, math.ceil(len(text) / per_line))  # most texts: one paragraph


def lines_height(lines: int) -> float:
    """Return the height in points of a row of ``lines`` lines of text (at most Excel's tallest row)."""
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 2)


def apply_openpyxl(ws: Any, layout: PrintLayout) -> None:
    """Set an openpyxl worksheet to print as ``layout`` says."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape" if layout.is_landscape else "portrait"
    ws.page_setup.paperSize = PAPER_CODES[layout.paper]
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = layout.pages_wide
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.gridLines = layout.gridlines
    if layout.heading_rows:
        first, last = layout.heading_rows
        ws.print_title_rows = f"{first}:{last}"
    if layout.repeat_first_column:
        ws.print_title_cols = "A:A"
    ws.print_area = layout.area if layout.area else None
    left, centre, right = layout.header()
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.left.text, header.center.text, header.right.text = left or None, centre, right
        header.center.font = "Calibri,Bold"
    foot_left, foot_right = layout.footer()
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.left.text, footer.right.text = foot_left, foot_right


def apply_xlsxwriter(ws: Any, layout: PrintLayout) -> None:
    """Set an xlsxwriter worksheet to print as ``layout`` says."""
    if layout.is_landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(PAPER_CODES[layout.paper])
    ws.fit_to_pages(layout.pages_wide, 0)
    ws.set_margins(left=MARGINS["left"], right=MARGINS["right"], top=MARGINS["top"], bottom=MARGINS["bottom"])
    # 0: print the gridlines; 1: hide them on paper only (xlsxwriter's default).
    ws.hide_gridlines(0 if layout.gridlines else 1)
    if layout.heading_rows:
        first, last = layout.heading_rows
        ws.repeat_rows(first - 1, last - 1)
    if layout.repeat_first_column:
        ws.repeat_columns(0)
    if layout.area:
        ws.print_area(layout.area)
    left, centre, right = layout.header()
    ws.set_header(f"&L{left}&C&B{centre}&R{right}", {"margin": MARGINS["header"]})
    foot_left, foot_right = layout.footer()
    ws.set_footer(f"&L{foot_left}&R{foot_right}", {"margin": MARGINS["footer"]})


# -- openpyxl sheets as they stand ---------------------------------------------------------------


def column_widths(ws: Any, last_column: int | None = None) -> list[float]:
    """Return the widths of an openpyxl sheet's columns from A, in Excel's character units (8.43 when not set)."""
    from openpyxl.utils import get_column_letter

    last = last_column or ws.max_column
    widths = []
    for c in range(1, last + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        widths.append(dim.width if dim is not None and dim.width else 8.43)
    return widths


def last_filled_row(ws: Any, first: int = 2, last_column: int | None = None) -> int:
    """Return the last row at or below ``first`` holding something typed, or ``first - 1`` when none does.

    The formulas caseforms puts in every row of a table (due dates, quorum) are not something
    typed: a register of four cases prints four rows, not the three hundred its formulas fill.
    """
    last = first - 1
    widest = last_column or ws.max_column
    # openpyxl keeps the cells that exist by (row, column): walking them is much quicker than asking
    # for every cell of every row (a register's 300 rows of 69 columns, several times a write).
    cells = getattr(ws, "_cells", None)
    if isinstance(cells, dict):
        for (r, c), cell in cells.items():
            if r > last and r >= first and c <= widest and _typed(cell.value):
                last = r
        return last
    for r, row in enumerate(ws.iter_rows(min_row=first, max_col=widest, values_only=True), start=first):
        if any(_typed(v) for v in row):
            last = r
    return last


def _typed(value: Any) -> bool:
    return value is not None and value != "" and not (isinstance(value, str) and value.startswith("="))


def table_layout(ws: Any, title: str, *, heading_row: int = 1, last_column: int | None = None,
                 gridlines: bool = False, paper: str = "A4", last_row: int | None = None) -> PrintLayout:
    """Return the layout of a sheet holding a table under a heading row: the heading row on every page,
    the rows filled in (at least one under the headings), and the first column on every page when it
    prints more than one page across."""
    from openpyxl.utils import get_column_letter

    last_column = last_column or ws.max_column
    widths = column_widths(ws, last_column)
    if last_row is None:
        last_row = last_filled_row(ws, heading_row + 1, last_column)
    last_row = max(heading_row + 1, last_row)
    layout = PrintLayout(title, widths, (heading_row, heading_row), area=f"A1:{get_column_letter(last_column)}{last_row}",
                         gridlines=gridlines, paper=paper)
    if layout.pages_wide > 1:
        layout = PrintLayout(title, widths, (heading_row, heading_row), repeat_first_column=True, area=layout.area,
                             gridlines=gridlines, paper=paper)
    return layout


def wrap_long_text(ws: Any, first_row: int, last_row: int, last_column: int | None = None) -> None:
    """Wrap each text too long for its column in rows ``first_row``..``last_row`` and make the row tall enough.

    A row the officer made taller is left as tall; only rows that need more room grow.
    """
    from openpyxl.styles import Alignment

    widths = column_widths(ws, last_column)
    for r, row in enumerate(ws.iter_rows(min_row=first_row, max_row=last_row, max_col=len(widths)), start=first_row):
        texts = []
        for cell, width in zip(row, widths, strict=False):
            value = cell.value
            if isinstance(value, str) and not value.startswith("=") and (len(value) > width or "\n" in value):
                if not cell.alignment.wrap_text:
                    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
                texts.append((value, width))
        if texts:
            needed = row_height(texts)
            current = ws.row_dimensions[r].height
            if current is None or current < needed:
                ws.row_dimensions[r].height = needed
