"""Write the master chronology as an Excel workbook an officer can filter, print and send with the papers.

**Chronology** (a real Excel table with filters, one colour per agency, frozen header,
wrapped text, printed landscape on A4 with the header row on every page and fitted to the page
width), **Timeline** (Excel's own chart of the entries, a lane per agency; see ``_timeline_sheet``),
**Summary** (the returns, rows read and merged, date range, findings by severity, the agency
colour key) and **Findings** (every finding as a filterable table).

Written with xlsxwriter, which is fast and writes only what it is told: every agency's text goes
through ``write_string``, so a cell that starts with ``=``, ``+``, ``-`` or ``@`` stays text and can
never become a live formula. The file goes through ``safe_write.write_atomically``: an existing
master is backed up first, and one open in Excel is refused.

Agency colours are Paul Tol's "light" qualitative scheme, made for text on a coloured background
and told apart by readers with colour-blindness (https://personal.sron.nl/~pault/). With more
agencies than colours the colours repeat; the Agency column always says whose entry it is.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.chronology.findings import SEVERITY_ORDER
from caseforms.chronology.merge import EXCEL_CELL_LIMIT, LEADING_HEADINGS, TEXT_KEYS, MasterChronology, bulk_work, linked_text
from caseforms.errors import ChronologyError
from caseforms.io.file_kinds import MASTER
from caseforms.io.print_setup import PrintLayout, apply_xlsxwriter, lines_height, lines_needed, row_height
from caseforms.io.safe_write import write_atomically

#: Paul Tol's light scheme (light blue, light cyan, mint, pear, olive, light yellow, orange, pink, pale grey).
AGENCY_COLOURS = ("#77AADD", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#EEDD88", "#EE8866", "#FFAABB", "#DDDDDD")
SEVERITY_COLOURS = {"error": "#EE8866", "warning": "#EEDD88", "info": "#DDDDDD"}

#: Column widths (in characters) of the fixed headings; extra columns get 20.
_WIDTHS = {
    "Entry": 6, "Date": 10.5, "Time": 6, "Agency": 16, "Source of information": 12, "Agency/Department": 14,
    "Name of subject(s)": 16, "Type of contact": 14, "By whom": 14, "Details of event": 50,
    "Comments/analysis of outcome": 32, "Date as written": 12, "Time as written": 8, "Also recorded by": 20,
    "Flags": 26, "Source file": 20, "Source sheet": 12, "Source row": 7, "Key episode": 24,
}
_DATE_FORMATS = {"day": "dd/mm/yyyy", "month": "mmm yyyy", "year": "yyyy"}
#: The columns that hold one short value, never wrapped.
_UNWRAPPED = frozenset({"Entry", "Date", "Time", "Source row"})
#: Excel's serial number of a date from March 1900 is its ordinal less this (day 61 is 1 March 1900).
_EXCEL_DAY_ZERO = 693_594
#: A text longer than Excel's cell limit is cut in the cell and kept whole on the Long texts sheet.
CELL_LIMIT = EXCEL_CELL_LIMIT
#: The length of each part of a long text on the Long texts sheet.
PART_LENGTH = 30_000
CONTINUED = " [... continued on the Long texts sheet]"
SUMMARIES_SHEET = "Agency summaries"
SUMMARY_HEADINGS = ("Agency", "Question key", "Question", "Question as asked", "Answer", "Part", "File", "Sheet")
LONG_TEXTS_SHEET = "Long texts"
LONG_TEXT_HEADINGS = ("Entry", "Column", "Part", "Text")
#: zlib's level for the file: 1 compresses a big master four to five times faster than the default 6 (0.12 s against
#: 0.59 s for 20,000 entries) for a file a quarter larger (3.9 MB against 3.1 MB); Excel saves it smaller again.
_COMPRESSION = 1
#: Printed at the top of every page; chronologies about children are OFFICIAL-SENSITIVE under the
#: Government Security Classifications most partnerships follow. None prints no marking.
PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"


def write_master(
    master: MasterChronology, path: Path, *, protective_marking: str | None = PROTECTIVE_MARKING
) -> Path | None:
    """Write ``master`` to ``path`` (.xlsx) safely; return the backup made of the file it replaced, if any."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ChronologyError(
            f"{path.name}: the master chronology is written as an Excel workbook; give a name ending in .xlsx, "
            f"e.g. --output \"{path.with_suffix('.xlsx').name}\"."
        )
    carry_key_episodes(master, path)
    return write_atomically(path, lambda tmp: _write(master, tmp, protective_marking), kind=MASTER)


def carry_key_episodes(master: MasterChronology, path: Path) -> None:
    """Tag the new master's entries as the officer tagged them in the master at ``path``, merged before.

    An entry is found again by its agency, date and text (a return sent again with rows added keeps its tags), else
    by its source file, sheet and row. A tag no entry of the new merge matches is never dropped in silence: a finding
    names it, with its date and text, and the old master is in backups.
    """
    from caseforms.chronology.findings import Finding
    from caseforms.io.master_read import read_master

    if not Path(path).is_file():
        return
    try:
        old = [row for row in read_master(Path(path)).rows if row.key_episode]
    except Exception:  # a damaged or foreign file: the merge's own checks say so; nothing to carry
        return
    if not old:
        return

    def text_key(agency: str | None, day: Any, details: str | None) -> tuple[str, str, str]:
        day = day.date() if isinstance(day, datetime) else day
        return ((agency or "").casefold(), str(day or ""), " ".join((details or "").split()).casefold())

    by_text = {text_key(e.agency, e.when.day, e.details): e for e in master.entries}
    for row in old:
        entry = by_text.get(text_key(row.agency, row.when, row.details))
        if entry is None:
            entry = next((e for e in master.entries if row.entry is not None and e.number == row.entry
                          and text_key(e.agency, None, e.details)[2] == text_key(None, None, row.details)[2]), None)
        if entry is not None:
            entry.key_episode = row.key_episode or ""
            continue
        when = f"{row.when:%d/%m/%Y}" if row.when else "no date"
        master.findings.append(Finding(
            Path(path).name, "Chronology", row.entry, "Key episode", "warning",
            f"The key episode '{row.key_episode}' was tagged on entry {row.entry} ({when}, {row.agency}: "
            f"'{(row.details or '')[:60]}') of the master merged before, and no entry of this merge matches it. Tag it "
            "again in the Key episode column; the earlier master is in the backups folder.", "key_episode_not_found"))


def _write(master: MasterChronology, target: Path, marking: str | None) -> None:
    from caseforms.io.cell_text import xlsxwriter_workbook

    workbook = xlsxwriter_workbook(
        str(target),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
         "default_date_format": "dd/mm/yyyy"},
        compression=_COMPRESSION,
    )
    workbook.set_properties({"title": _title(master), "comments": "Made by caseforms from the agencies' returns."})
    with bulk_work():
        try:
            long_texts = _chronology_sheet(workbook, master, marking)
            _timeline_sheet(workbook, master, marking)
            _summary_sheet(workbook, master)
            _findings_sheet(workbook, master)
            if master.summaries:
                _agency_summaries_sheet(workbook, master)
            if long_texts:
                _long_texts_sheet(workbook, long_texts)
        finally:
            workbook.close()


def _title(master: MasterChronology) -> str:
    return "Master chronology" + (f" – {master.case_reference}" if master.case_reference else "")


def _chronology_sheet(workbook: Any, master: MasterChronology, marking: str | None) -> list[tuple[int, str, str]]:
    """Write the entries; return the texts too long for a cell, (entry, heading, whole text), for the Long texts sheet."""
    from caseforms.io.cell_text import excel_cut, excel_length
    from caseforms.io.xlsx_rows import rows_sheet

    sheet, rows = rows_sheet(workbook, "Chronology", first_row=1)
    headings = master.headings()
    n_rows = len(master.entries)
    last_col = len(headings) - 1

    # Wrapping and alignment live in the column formats, and each agency's colour (with the cell
    # borders) in one conditional format on the Agency column: cells need no format of their own,
    # empty cells need not be written, and a colour follows an Agency cell the officer corrects.
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    number = workbook.add_format({"valign": "top", "align": "left"})
    date_formats = {p: workbook.add_format({"num_format": f, "valign": "top", "align": "left"})
                    for p, f in _DATE_FORMATS.items()}
    time_format = workbook.add_format({"num_format": "hh:mm", "valign": "top", "align": "left"})
    flag = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#9E1B00", "bold": True})
    header_format = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1}
    )
    _add_table(sheet, max(n_rows, 1), last_col,
               {"name": "Chronology", "style": "Table Style Light 1", "banded_rows": False,
                "columns": [{"header": h, "header_format": header_format} for h in headings]})
    for c, heading in enumerate(headings):
        column_format = {"Entry": number, "Source row": number, "Date": date_formats["day"], "Time": time_format}
        sheet.set_column(c, c, _WIDTHS.get(heading, 20), column_format.get(heading, text))

    n_lead = len(LEADING_HEADINGS)
    extras = master.extra_headings
    trailing_col = n_lead + len(extras)
    day_format = date_formats["day"]
    # The rows go straight into the sheet's XML (io.xlsx_rows): xlsxwriter's own record of each cell
    # and its general routine for writing one were most of the time of a big master. Strings still
    # follow the text rule there.
    put_string, put_number, end_row = rows.string, rows.number, rows.end_row
    long_texts: list[tuple[int, str, str]] = []
    flags_format = {True: flag, False: None}
    # Every string goes in a wrapped column; one that may need more than a line sizes its row for print (a row is
    # as tall as its tallest text). Neither LibreOffice nor Excel (before it shows the sheet) sizes a row for text
    # another program wrapped.
    widths = [_WIDTHS.get(h, 20) for h in headings]
    most_lines = 1

    def write_string(col: int, value: str, cell_format: Any = None) -> None:
        nonlocal most_lines
        if len(value) > widths[col] or "\n" in value:
            lines = lines_needed(value, widths[col])
            if lines > most_lines:
                most_lines = lines
        if len(value) > CELL_LIMIT // 2 and excel_length(value) > CELL_LIMIT:
            # Excel holds 32,767 characters a cell (UTF-16 units: an emoji counts two): the cell shows the start and
            # says where the rest is.
            long_texts.append((e.number, headings[col], value))
            value = excel_cut(value, CELL_LIMIT - len(CONTINUED)) + CONTINUED
        put_string(col, value, cell_format)

    entries = master.entries
    text_columns = list(enumerate(TEXT_KEYS, start=4))
    extra_columns = list(enumerate(extras, start=n_lead))
    for e in entries:
        most_lines = 1
        put_number(0, e.number)
        when = e.when
        if when.day is not None:
            # Dates and times as Excel's serial numbers, as write_datetime would store them.
            serial = when.day.toordinal() - _EXCEL_DAY_ZERO
            put_number(1, serial if serial > 60 else serial - 1,  # Excel counts a 29 February 1900
                       day_format if when.precision in (None, "day") else date_formats[when.precision])
        if when.time is not None:
            t = when.time
            put_number(2, (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400, time_format)
        write_string(3, e.agency)
        cells = e.cells
        for c, key in text_columns:
            value = cells[key]
            if value:
                write_string(c, value)
        if extra_columns:
            for c, heading in extra_columns:
                value = e.extras.get(heading, "")
                if value:
                    write_string(c, value)
        c = trailing_col
        if e.date_text:
            write_string(c, e.date_text)
        if e.time_text:
            write_string(c + 1, e.time_text)
        if e.linked:
            write_string(c + 2, linked_text(e, entries))
        if e.flags:
            write_string(c + 3, "; ".join(e.flags), flags_format[_serious(e.flags)])
        write_string(c + 4, e.source_file)
        if e.source_sheet:
            write_string(c + 5, e.source_sheet)
        put_number(c + 6, e.source_row)
        if e.key_episode:
            write_string(c + 7, e.key_episode)
        end_row(lines_height(most_lines) if most_lines > 1 else None)

    # A flagged entry shows it where the eye starts: its number and date in bold red on orange, whatever its agency (added
    # first, so it wins over the agency colour).
    flags_col = _column_name(trailing_col + 3)
    flagged = workbook.add_format({"bg_color": "#EE8866", "font_color": "#9E1B00", "bold": True, "border": 1,
                                   "border_color": "#BFBFBF"})
    sheet.conditional_format(1, 0, max(n_rows, 1), 2,
                             {"type": "formula", "criteria": f'=${flags_col}2<>""', "format": flagged,
                              "stop_if_true": True})
    colour_of = agency_colours(master)
    fills: dict[int, Any] = {}
    for agency in master.agencies:
        colour = colour_of[agency.casefold()]
        if colour not in fills:
            fills[colour] = workbook.add_format({"bg_color": AGENCY_COLOURS[colour], "border": 1, "border_color": "#BFBFBF"})
        literal = agency[:250].replace('"', '""')
        sheet.conditional_format(1, 0, max(n_rows, 1), last_col,
                                 {"type": "formula", "criteria": f'=$D2="{literal}"', "format": fills[colour]})

    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 2)
    _print_chronology(sheet, master, headings, marking)
    sheet.activate()
    return long_texts


def _print_chronology(sheet: Any, master: MasterChronology, headings: list[str], marking: str | None) -> None:
    """Print the entries as a reader needs them: A3 landscape, one page across, every row tall enough for its text.

    The columns printed run from Entry to Flags (what happened, who recorded it, what caseforms
    noticed); the source file, sheet and row that trace an entry back to its return stay on screen.
    A3 keeps the text at about three quarters of its size; the Word master chronology in the papers
    is the A4 copy. Each row's height is set as it is written (``_chronology_sheet``).
    """
    last_printed = headings.index("Flags")
    widths = [_WIDTHS.get(h, 20) for h in headings[:last_printed + 1]]
    layout = PrintLayout(_title(master), widths, area=f"A1:{_column_name(last_printed)}{len(master.entries) + 1}",
                         paper="A3", landscape=True, marking=marking)
    apply_xlsxwriter(sheet, layout)


def _add_table(sheet: Any, last_row: int, last_col: int, options: dict[str, Any]) -> None:
    """Add the Chronology table over rows 0 to ``last_row``, without xlsxwriter recording each of its cells.

    xlsxwriter keeps every cell of a table's range in a dictionary, to refuse a later table or merged
    range over it (97 MiB and a quarter of a second at 50,000 entries). The sheet has one table and no
    merged cells, so the table is added over its header and first row, and its range then set to the whole.
    """
    from xlsxwriter.utility import xl_range

    sheet.add_table(0, 0, min(last_row, 1), last_col, options)
    table = sheet.tables[-1]
    whole = xl_range(0, 0, last_row, last_col)
    if table.get("range") != xl_range(0, 0, min(last_row, 1), last_col):
        raise RuntimeError("xlsxwriter's table no longer keeps its range where caseforms sets it: check _add_table")
    table["range"] = table["a_range"] = whole
    if table.get("autofilter"):
        table["autofilter"] = whole


TIMELINE_SHEET = "Timeline"
#: Where the chart's data starts on the Timeline sheet: beside the chart, so that it is seen and not printed.
_DATA_COL = 20
#: Up to this many placed entries, each is a big dot; above it, a small one, so busy months read as dark bands.
_BIG_DOTS_UP_TO = 150
#: Excel's muted marker colours for the lanes (the timeline picture's, caseforms.chronology.timeline.MARK_COLOURS).
_MARK_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")


def _timeline_sheet(workbook: Any, master: MasterChronology, marking: str | None) -> None:
    """Write the Timeline sheet: Excel's own scatter chart of the entries, a lane per agency, and its data beside it.

    Each agency is one series, so the legend and "Select Data" name it; its points are the entries' dates (x) at its
    lane's height (y), the first agency at the top. Entries the merge flagged are a second mark (a red triangle just
    above the dot), the incident a red line, the scope period a dashed bracket, key episodes numbered diamonds above
    the lanes. The data is written grouped by lane, so each series is one range: two numbers an entry, which keeps the
    50,000-row merge quick. Entries without a date that can be placed are counted, not drawn (as in the picture).
    """
    from caseforms.chronology.timeline import axis_steps, chart_points, excel_serial, master_timeline

    timeline = master_timeline(master)
    sheet = workbook.add_worksheet(TIMELINE_SHEET)
    bold = workbook.add_format({"bold": True})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    day_format = workbook.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    lanes, marks = timeline.lanes, timeline.marks
    n = len(marks)
    sheet.write_string(0, 0, timeline.title, title_format)
    placed = f"{n} entr{'y' if n == 1 else 'ies'} placed, one lane per agency, oldest on the left"
    extra = f"; {timeline.not_placed} without a date that can be placed are not shown" if timeline.not_placed else ""
    sheet.write_string(1, 0, placed + extra + ". Red triangles: flagged by the merge (see the Flags column).")
    if not marks:
        sheet.write_string(3, 0, "No entry has a date that can be placed on a timeline.")
        _print_timeline(sheet, master, marking, 4)
        return
    top = len(lanes)  # the first lane's height; the last lane is at 1

    def height(lane: int) -> int:
        return top - lane

    first, last = timeline.span
    col = _DATA_COL
    series: list[dict[str, Any]] = []
    sheet.write_string(0, col, "The chart's data (written by caseforms from the Chronology sheet)", bold)
    # The entries as points, grouped by lane so that each lane's series is one range: a point per agency per day (or,
    # in a very long chronology, per week or longer: see chart_points), with how many entries it stands for.
    period, points = chart_points(marks, first)
    flagged_period, flagged_points = chart_points([m for m in marks if m.flagged], first, period)
    per = "day" if period == 1 else f"{period} days"
    if period > 1:
        sheet.write_string(2, 0, f"So many entries that each mark stands for an agency's entries in {per} "
                                 "(counted beside the chart); the Chronology sheet has every one.")
    for c, heading in enumerate((f"Date (a point per agency per {per})", "Lane height", "Entries", "First entry",
                                 "Lane (entries)")):
        sheet.write_string(1, col + c, heading, bold)
    row = 2
    big = n <= _BIG_DOTS_UP_TO
    write_number, write_datetime = sheet.write_number, sheet.write_datetime
    for lane, lane_points in enumerate(points):
        if not lane_points:
            continue
        start = row
        y = height(lane)
        # The series' names are references to text cells, never text handed to the chart: xlsxwriter takes a name
        # starting with "=" as a formula, and an agency is named as its return names it (labels: see _label_text).
        sheet.write_string(row, col + 4, f"{lanes[lane]} ({timeline.lane_counts[lane]})")
        name_cell = [TIMELINE_SHEET, row, col + 4]
        for serial, (count, entry) in lane_points:
            write_number(row, col, serial, day_format)
            write_number(row, col + 1, y)
            write_number(row, col + 2, count)
            if entry is not None:
                write_number(row, col + 3, entry)
            row += 1
        colour = _MARK_COLOURS[lane % len(_MARK_COLOURS)]
        series.append({
            "name": name_cell,
            "categories": [TIMELINE_SHEET, start, col, row - 1, col],
            "values": [TIMELINE_SHEET, start, col + 1, row - 1, col + 1],
            "marker": {"type": "circle", "size": 7 if big else 4, "fill": {"color": colour},
                       "border": {"color": "#222222" if big else colour, "width": 0.5}},
            "line": {"none": True},
        })
    col += 6
    if flagged_points:
        flagged_per = "day" if flagged_period == 1 else f"{flagged_period} days"
        for c, heading in enumerate((f"Flagged (a point per agency per {flagged_per})", "Height", "Entries",
                                     "First entry")):
            sheet.write_string(1, col + c, heading, bold)
        row = 2
        for lane, lane_points in enumerate(flagged_points):
            for serial, (count, entry) in lane_points:
                write_number(row, col, serial, day_format)
                write_number(row, col + 1, height(lane) + 0.3)
                write_number(row, col + 2, count)
                if entry is not None:
                    write_number(row, col + 3, entry)
                row += 1
        series.append({
            "name": f"Flagged by the merge ({sum(1 for m in marks if m.flagged)})",
            "categories": [TIMELINE_SHEET, 2, col, row - 1, col],
            "values": [TIMELINE_SHEET, 2, col + 1, row - 1, col + 1],
            "marker": {"type": "triangle", "size": 6 if big else 4, "fill": {"color": "#C00000"},
                       "border": {"color": "#C00000"}},
            "line": {"none": True},
        })
        col += 5
    bottom_y, top_y = 0.4, top + 0.6
    lines: list[tuple[str, list[tuple[date, float]], dict[str, Any], str]] = []
    if timeline.incident and first <= timeline.incident <= last:
        lines.append((f"Incident {timeline.incident:%d/%m/%Y}", [(timeline.incident, bottom_y), (timeline.incident, top_y)],
                      {"color": "#C00000", "width": 2.25}, "above"))
    if timeline.scope_from or timeline.scope_to:
        x0, x1 = max(timeline.scope_from or first, first), min(timeline.scope_to or last, last)
        lines.append(("Scope period", [(x0, bottom_y), (x0, top_y), (x1, top_y), (x1, bottom_y)],
                      {"color": "#7A93B8", "width": 1.25, "dash_type": "dash"}, "above"))
    for name, corners, line, position in lines:
        sheet.write_string(1, col, name, bold)
        sheet.write_string(1, col + 1, "Height", bold)
        for r, (day, y_value) in enumerate(corners, start=2):
            write_datetime(r, col, day, day_format)
            write_number(r, col + 1, y_value)
        labels: list[dict[str, Any]] = [{"delete": True} for _ in corners]
        labels[1] = {"value": name}
        series.append({
            "name": name, "categories": [TIMELINE_SHEET, 2, col, len(corners) + 1, col],
            "values": [TIMELINE_SHEET, 2, col + 1, len(corners) + 1, col + 1],
            "marker": {"type": "none"}, "line": line,
            "data_labels": {"value": True, "custom": labels, "position": position,
                            "font": {"color": line["color"], "bold": True, "size": 8}},
        })
        col += 3
    episodes = timeline.key_episodes
    if episodes:
        for c, heading in enumerate(("Key episode", "Date", "Height", "Label", "Agency", "Entry")):
            sheet.write_string(1, col + c, heading, bold)
        for r, (number, episode_day, label, agency, entry) in enumerate(episodes, start=2):
            write_number(r, col, number)
            write_datetime(r, col + 1, episode_day, day_format)
            write_number(r, col + 2, top + 0.35)
            sheet.write_string(r, col + 3, label)
            sheet.write_string(r, col + 4, agency)
            if entry is not None:
                write_number(r, col + 5, entry)
        series.append({
            "name": f"Key episode ({len(episodes)}, listed beside)",
            "categories": [TIMELINE_SHEET, 2, col + 1, len(episodes) + 1, col + 1],
            "values": [TIMELINE_SHEET, 2, col + 2, len(episodes) + 1, col + 2],
            "marker": {"type": "diamond", "size": 8, "fill": {"color": "#222222"}, "border": {"color": "#222222"}},
            "line": {"none": True},
            "data_labels": {"value": True, "position": "above", "font": {"bold": True, "size": 8},
                            "custom": [{"value": str(e[0])} for e in episodes]},
        })
        col += 7
    # The lanes' names, left of the first day: the value axis can only show numbers.
    sheet.write_string(1, col, "Lane", bold)
    for lane, agency in enumerate(lanes):
        write_datetime(lane + 2, col, first, day_format)
        write_number(lane + 2, col + 1, height(lane))
        label = agency if len(agency) <= 34 else agency[:33] + "…"
        sheet.write_string(lane + 2, col + 2, f"{label} ({timeline.lane_counts[lane]})")
    lane_labels = len(series)
    series.append({
        "name": "Lanes", "categories": [TIMELINE_SHEET, 2, col, len(lanes) + 1, col],
        "values": [TIMELINE_SHEET, 2, col + 1, len(lanes) + 1, col + 1],
        "marker": {"type": "none"}, "line": {"none": True},
        "data_labels": {"value": True, "position": "left", "font": {"size": 8},
                        "custom": [{"value": _label_text(f"{agency if len(agency) <= 34 else agency[:33] + '…'}")}
                                   for agency in lanes]},
    })
    chart = workbook.add_chart({"type": "scatter"})
    for options in series:
        chart.add_series(options)
    ticks, fmt = axis_steps(first, last)
    chart.set_title({"name": [TIMELINE_SHEET, 0, 0], "name_font": {"size": 12, "bold": True}})
    chart.set_x_axis({"min": excel_serial(first), "max": excel_serial(last), "major_unit": ticks,
                      "num_format": fmt, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                      "num_font": {"size": 8}, "label_position": "low", "crossing": "min"})
    chart.set_y_axis({"min": 0, "max": top + 1, "major_unit": 1, "num_format": ";;;", "major_tick_mark": "none",
                      "major_gridlines": {"visible": True, "line": {"color": "#EEEEEE"}}, "line": {"none": True}})
    chart.set_legend({"position": "bottom", "delete_series": [lane_labels], "font": {"size": 8}})
    chart.set_plotarea({"layout": {"x": 0.2, "y": 0.1, "width": 0.78, "height": 0.62}})
    height_px = 260 + 28 * len(lanes)
    chart.set_size({"width": 1200, "height": height_px})
    sheet.insert_chart(3, 0, chart)
    sheet.set_column(_DATA_COL, col + 3, 12)
    rows_under = 3 + height_px // 20 + 1
    _print_timeline(sheet, master, marking, rows_under)


#: What xlsxwriter takes for a cell reference in a chart label's text (chart.py, _get_labels_properties).
_LOOKS_LIKE_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")


def _label_text(text: str) -> str:
    """Return ``text`` as a chart label shows it, never taken for a reference to cells ("Police!A1", "=cmd|'x'!A0").

    A zero-width space after each "!" breaks the likeness and shows nothing. (Excel's own labels could point at the
    sheet's text cells instead, but LibreOffice shows such a label as the point's value.)
    """
    return text.replace("!", "!\u200b") if _LOOKS_LIKE_REFERENCE.match(text) else text


def _print_timeline(sheet: Any, master: MasterChronology, marking: str | None, last_row: int) -> None:
    """Print the chart as the other sheets print: marked, numbered, A3 landscape; the data beside it stays on screen."""
    layout = PrintLayout(f"{_title(master)}: timeline", (8.43,) * (_DATA_COL - 1), heading_rows=(1, 2),
                         area=f"A1:{_column_name(_DATA_COL - 2)}{last_row + 1}", paper="A3", landscape=True,
                         marking=marking)
    apply_xlsxwriter(sheet, layout)
    sheet.fit_to_pages(1, 0)  # a chart shrinks to a page's width and stays readable, unlike a table's text


def _column_name(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(index))


def _agency_summaries_sheet(workbook: Any, master: MasterChronology) -> None:
    """Write each agency's summary as received: a row per answer, then who wrote it and who signed it off."""
    sheet = workbook.add_worksheet(SUMMARIES_SHEET)
    headers = list(SUMMARY_HEADINGS)
    rows: list[list[str | int]] = []
    for summary in master.summaries:
        agency = summary.agency or ""
        sheet_name = summary.place.removeprefix("sheet ") if summary.place else ""
        for answer in summary.answers:
            # An answer longer than a cell holds goes on in the rows below, parts 2, 3..., read back as one.
            for part, piece in enumerate(cell_parts(answer.answer), start=1):
                rows.append([agency, answer.key or "", answer.title, answer.question, piece, part, summary.file,
                             sheet_name])
        if summary.author:
            rows.append([agency, "author", "Completed by", "Completed by", summary.author, 1, summary.file, sheet_name])
        if summary.signed_off:
            rows.append([agency, "signed_off", "Signed off by", "Signed off by", summary.signed_off, 1, summary.file,
                         sheet_name])
    sheet.add_table(0, 0, max(len(rows), 1), len(headers) - 1,
                    {"name": "AgencySummaries", "style": "Table Style Light 9",
                     "columns": [{"header": h} for h in headers]})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value, wrap)
    for c, width in enumerate((22, 10, 24, 40, 90, 6, 30, 16)):
        sheet.set_column(c, c, width, wrap)
    sheet.set_column(1, 1, 10, wrap, {"hidden": True})
    sheet.set_column(5, 5, 6, wrap, {"hidden": True})
    sheet.freeze_panes(1, 1)
    shown = (22, 24, 40, 90, 30, 16)  # the widths of the columns not hidden
    apply_xlsxwriter(sheet, PrintLayout(f"{_title(master)}: agency summaries", shown, landscape=True))
    for r, values in enumerate(rows, start=1):
        sheet.set_row(r, row_height([(str(values[3]), 40), (str(values[4]), 90)]))


def _long_texts_sheet(workbook: Any, long_texts: list[tuple[int, str, str]]) -> None:
    """Write each text too long for one cell, whole, in parts of a cell each: Entry, Column, Part, Text."""
    sheet = workbook.add_worksheet(LONG_TEXTS_SHEET)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True})
    for c, heading in enumerate(LONG_TEXT_HEADINGS):
        sheet.write_string(0, c, heading, bold)
    r = 1
    for number, heading, text in long_texts:
        for part, piece in enumerate(cell_parts(text), start=1):
            sheet.write_number(r, 0, number)
            sheet.write_string(r, 1, heading)
            sheet.write_number(r, 2, part)
            sheet.write_string(r, 3, piece, wrap)
            r += 1
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 6)
    sheet.set_column(3, 3, 120, wrap)
    sheet.freeze_panes(1, 0)
    apply_xlsxwriter(sheet, PrintLayout("Long texts", (7, 24, 6, 120), landscape=True))


def cell_parts(text: str) -> list[str]:
    """Return ``text`` in parts of at most PART_LENGTH characters as Excel counts them (an emoji two); one part at least."""
    from caseforms.io.cell_text import excel_cut

    parts: list[str] = []
    start = 0
    while start < len(text) or not parts:
        piece = excel_cut(text[start:start + PART_LENGTH], PART_LENGTH)
        parts.append(piece)
        start += len(piece)
    return parts


def agency_colours(master: MasterChronology) -> dict[str, int]:
    """Return each agency's colour (an index into AGENCY_COLOURS), keyed by its casefolded name, in order of first entry."""
    colour_of: dict[str, int] = {}
    for agency in master.agencies:
        colour_of.setdefault(agency.casefold(), len(colour_of) % len(AGENCY_COLOURS))
    return colour_of


def _serious(flags: list[str]) -> bool:
    return any(f.startswith(("Date not read", "No date", "Date in the future")) for f in flags)


def _summary_sheet(workbook: Any, master: MasterChronology) -> None:
    sheet = workbook.add_worksheet("Summary")
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    first, last = master.date_range
    counts = master.counts()
    sheet.write_string(0, 0, _title(master), title)
    facts: list[tuple[str, Any]] = [
        ("Case reference", master.case_reference or "(not given)"),
        ("Scope from", master.scope_from or "(not given)"),
        ("Scope to", master.scope_to or "(not given)"),
        ("Made", datetime.now().replace(microsecond=0)),
        ("Returns merged", sum(1 for r in master.returns if r.merged)),
        ("Returns not merged", sum(1 for r in master.returns if not r.merged)),
        ("Files that could not be read", len({f.file for f in master.findings if f.row is None and f.sheet is None
                                              and f.severity == "error"})),
        ("Rows read", master.rows_read),
        ("Rows in the master", master.rows_merged),
        ("Undated or dated in the future (at the end)", sum(1 for e in master.entries if e.when.day is None or e.future)),
        ("Background entries (before the scope)", sum(1 for e in master.entries if e.background)),
        ("Entries linked to another agency's", sum(1 for e in master.entries if e.linked)),
        ("First date", first or "(none)"),
        ("Last date", last or "(none)"),
        ("Findings: errors", counts.get("error", 0)),
        ("Findings: warnings", counts.get("warning", 0)),
        ("Findings: notes", counts.get("info", 0)),
    ]
    made_fmt = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "align": "left"})
    for i, (label, value) in enumerate(facts, start=2):
        sheet.write_string(i, 0, label, bold)
        if isinstance(value, datetime):
            sheet.write_datetime(i, 1, value, made_fmt)
        elif hasattr(value, "toordinal"):
            sheet.write_datetime(i, 1, value, date_fmt)
        elif isinstance(value, int):
            sheet.write_number(i, 1, value, workbook.add_format({"align": "left"}))
        else:
            sheet.write_string(i, 1, str(value))

    row = len(facts) + 3
    sheet.write_string(row, 0, "Returns", title)
    headers = ["File", "Agency", "Agency told by", "Sheet", "Header row", "Rows read", "Rows merged", "Undated",
               "Background", "After scope", "First date", "Last date", "Merged", "Columns recognised", "Extra columns"]
    data: list[list[Any]] = []
    for r in master.returns:
        data.append([
            r.file, r.agency or "", r.identified_by, r.sheet or "", r.header_row or "", r.rows_read, r.rows_merged,
            r.undated, r.background, r.after_scope, r.first_date or "", r.last_date or "",
            "yes" if r.merged else f"no: {r.reason}", ", ".join(r.recognised), ", ".join(r.extra_columns),
        ])
    top = row + 1
    sheet.add_table(top, 0, top + max(len(data), 1), len(headers) - 1,
                    {"name": "Returns", "style": "Table Style Light 9",
                     "columns": [{"header": h} for h in headers]})
    for i, values in enumerate(data, start=top + 1):
        for c, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(i, c, value, wrap)
            elif hasattr(value, "toordinal"):
                sheet.write_datetime(i, c, value, date_fmt)
            else:
                sheet.write_number(i, c, value)

    row = top + max(len(data), 1) + 2
    sheet.write_string(row, 0, "Agency colours", title)
    per_agency: dict[str, int] = {}
    for e in master.entries:
        per_agency[e.agency] = per_agency.get(e.agency, 0) + 1
    sheet.write_string(row + 1, 0, "Agency", bold)
    sheet.write_string(row + 1, 1, "Entries", bold)
    colour_of = agency_colours(master)
    for i, agency in enumerate(master.agencies):
        swatch = workbook.add_format({"bg_color": AGENCY_COLOURS[colour_of[agency.casefold()]], "border": 1})
        sheet.write_string(row + 2 + i, 0, agency, swatch)
        sheet.write_number(row + 2 + i, 1, per_agency.get(agency, 0), workbook.add_format({"align": "left"}))
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 26)
    sheet.set_column(3, 12, 12)
    sheet.set_column(13, 14, 40)
    # The facts and the returns' table on one page across (the table's wrapped cells grow their rows).
    apply_xlsxwriter(sheet, PrintLayout(f"{_title(master)}: summary", (38, 26, 26, *(12,) * 10, 40, 40),
                                        heading_rows=None, landscape=True))
    for i, values in enumerate(data, start=top + 1):
        sheet.set_row(i, row_height([(values[0], 38), (values[12], 12), (values[13], 40), (values[14], 40)]))


def _findings_sheet(workbook: Any, master: MasterChronology) -> None:
    sheet = workbook.add_worksheet("Findings")
    headers = ["Severity", "File", "Sheet", "Row", "Column", "Message", "Code"]
    findings = sorted(master.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    sheet.add_table(0, 0, max(len(findings), 1), len(headers) - 1,
                    {"name": "Findings", "style": "Table Style Light 1",
                     "columns": [{"header": h} for h in headers]})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    severity = {s: workbook.add_format({"bg_color": c, "valign": "top"}) for s, c in SEVERITY_COLOURS.items()}
    top_number = workbook.add_format({"valign": "top", "align": "left"})
    for r, f in enumerate(findings, start=1):
        sheet.write_string(r, 0, f.severity, severity[f.severity])
        sheet.write_string(r, 1, f.file, wrap)
        sheet.write_string(r, 2, f.sheet or "", wrap)
        if f.row is not None:
            sheet.write_number(r, 3, f.row, top_number)
        sheet.write_string(r, 4, f.column or "", wrap)
        sheet.write_string(r, 5, f.message, wrap)
        sheet.write_string(r, 6, f.code, wrap)
    for c, width in enumerate((9, 30, 16, 7, 18, 90, 18)):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    apply_xlsxwriter(sheet, PrintLayout(f"{_title(master)}: findings", (9, 30, 16, 7, 18, 90, 18), landscape=True))
    for r, f in enumerate(findings, start=1):
        sheet.set_row(r, row_height([(f.file, 30), (f.sheet or "", 16), (f.column or "", 18), (f.message, 90)]))
    if not findings:
        sheet.write_string(1, 5, "Nothing to report: every row of every return was read as written.", wrap)

