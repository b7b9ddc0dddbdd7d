"""The recommendations and actions tracker as an Excel workbook: build it, read it, refresh it.

Built with the register's conventions (:mod:`caseforms.io.register_xlsx`): a real table,
drop-downs from a Lists sheet, dates validated as dates, frozen headers, an Instructions sheet and
a hidden Settings sheet naming the profile. `caseforms tracker` writes each action's BRAG rating
and reason, colours them, and rebuilds the "By agency" sheet with a native stacked bar chart;
everything else of the officer's (extra columns, colours, comments) is kept, and a workbook with
Excel-only features is never rewritten in place (see :mod:`caseforms.io.safe_write`).

Rebuild the shipped blank tracker with ``python -m caseforms.io.tracker_xlsx``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from caseforms.errors import WorkbookError
from caseforms.io.cell_text import put, put_row
from caseforms.io.print_setup import (
    INSTRUCTIONS_WIDTH,
    PrintLayout,
    apply_openpyxl,
    column_widths,
    last_filled_row,
    row_height,
    table_layout,
    wrap_long_text,
)
from caseforms.io.register_xlsx import (
    HEADER_FILL,
    LISTS,
    SETTINGS,
    error_cells,
    header_style,
    list_name,
    lists_sheet,
    merged_ranges,
    open_calamine,
    record_sheet,
    settings_of,
    with_errors,
)
from caseforms.io.safe_write import SaveResult, load_for_update, save_openpyxl, write_atomically
from caseforms.profile import Profile, load_profile
from caseforms.register.findings import ERROR, WARNING, Finding
from caseforms.register.reading import RawSheet, build_register
from caseforms.register.records import Register, Row
from caseforms.tracker.report import TrackerState
from caseforms.tracker.rules import AMBER, BLUE, GREEN, GREY, RED, check_action
from caseforms.tracker.schema import ACTIONS, BY_AGENCY, TRACKER_FILE, tracker_schema

INSTRUCTIONS = "Instructions"
TRACKER_FORMAT = 1
#: Fill and text colours of each BRAG rating (Blue, Green, Amber, Red, and grey for superseded).
RAG_COLOURS = {
    BLUE: ("BDD7EE", "1F4E78"),
    GREEN: ("C6EFCE", "006100"),
    AMBER: ("FFEB9C", "9C5700"),
    RED: ("FFC7CE", "9C0006"),
    GREY: ("EDEDED", "595959"),
}
#: The chart's bar colours, matching the fills above but strong enough to read as bars.
RAG_BAR_COLOURS = {BLUE: "2E75B6", GREEN: "70AD47", AMBER: "FFC000", RED: "C00000"}


def build_workbook(profile: Profile, profile_ref: str | None = None) -> Any:
    """Return a new, empty tracker for ``profile`` as an openpyxl Workbook."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    schema = tracker_schema(profile)
    wb = Workbook()
    wb.remove(wb.active)
    instructions = wb.create_sheet(INSTRUCTIONS)
    actions = wb.create_sheet(ACTIONS)
    record_sheet(actions, schema.sheet(ACTIONS), schema)
    _rag_colours(actions, schema.sheet(ACTIONS).rows + 1)
    wb.create_sheet(BY_AGENCY)
    refs = lists_sheet(wb.create_sheet(LISTS), schema)
    for key, ref in refs.items():
        wb.defined_names[list_name(key)] = DefinedName(list_name(key), attr_text=ref)
    settings = wb.create_sheet(SETTINGS)
    for r, (key, value) in enumerate(
        (("setting", "value"), ("profile", profile_ref or profile.name), ("profile_title", profile.title),
         ("workbook", "tracker"), ("tracker_format", TRACKER_FORMAT)),
        start=1,
    ):
        put_row(settings, r, (key, value))
    settings.sheet_state = "hidden"
    _instructions(instructions, profile)
    wb.active = wb.sheetnames.index(ACTIONS)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == ACTIONS
    set_print_layouts(wb)
    return wb


def set_print_layouts(wb: Any) -> None:
    """Set how every sheet of the tracker prints; call again whenever the tracker is written (its rows grow)."""
    for ws in wb.worksheets:
        title = f"Actions tracker: {ws.title}"
        if ws.title == ACTIONS:
            last_row = last_filled_row(ws, 2)
            layout = table_layout(ws, title, last_row=last_row)
            wrap_long_text(ws, 2, last_row)
        elif ws.title == BY_AGENCY:
            # The table and, under it, the chart: one landscape page across, the chart never cut.
            layout = PrintLayout(title, column_widths(ws, 8), landscape=True)
        elif ws.title == LISTS:
            layout = table_layout(ws, title, gridlines=True)
        elif ws.title in (INSTRUCTIONS, SETTINGS):
            layout = PrintLayout(title, column_widths(ws), heading_rows=None, landscape=False)
        else:
            continue
        apply_openpyxl(ws, layout)


def _rag_colours(ws: Any, last_row: int) -> None:
    """Colour the BRAG column by its value, so the colour follows whoever types or refreshes it."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    letter = _letter_of(ws, "BRAG") or "Q"
    for rag, (fill, text) in RAG_COLOURS.items():
        ws.conditional_formatting.add(
            f"{letter}2:{letter}{last_row}",
            CellIsRule(operator="equal", formula=[f'"{rag}"'], stopIfTrue=True,
                       fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=text, bold=True)),
        )


def _letter_of(ws: Any, header: str) -> str | None:
    for cell in ws[1]:
        if str(cell.value or "").strip().casefold() == header.casefold():
            return str(cell.column_letter)
    return None


def _instructions(ws: Any, profile: Profile) -> None:
    from openpyxl.styles import Alignment, Font

    learning_group = profile.bodies.get("learning_group", "Learning and Improvement Group")
    executive = profile.bodies.get("executive", "Executive")
    lines = [
        ("Recommendations and actions tracker", "title"),
        (f"{profile.title}. One row per action on the Actions sheet: the Rapid Review action plans the Business "
         f"Team tracks and the LCSPR recommendations the {learning_group} tracks.", ""),
        ("Filling it in", "heading"),
        ("Each action should be SMART: say what will be done (Action), what will show it is done (Evidence "
         "expected), who owns it (Owner agency, Named lead) and by when (Due date).", ""),
        ("Record each update with its date. An action is complete only when its evidence is recorded and it is "
         f"signed off (who and when) by the {learning_group}.", ""),
        ("BRAG", "heading"),
        ("Blue: complete, evidenced and signed off. Green: on track. Amber: at risk (due within 10 working days, "
         "no update for 3 months, or complete but not evidenced or signed off). Red: overdue. Grey: superseded.", ""),
        ("Run 'caseforms tracker tracker.xlsx' (or the Excel button) to refresh BRAG, the By agency sheet and its "
         f"chart, and write the {learning_group} paper; add --escalations for the {executive}'s escalation report.",
         ""),
        ("Special category personal data: keep this workbook on the partnership's secure storage.", ""),
    ]
    for r, (text, style) in enumerate(lines, start=1):
        cell = put(ws.cell(row=r, column=1), text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "heading":
            cell.font = Font(bold=True, size=12)
        ws.row_dimensions[r].height = row_height([(text, INSTRUCTIONS_WIDTH)])
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH


def write_new_tracker(path: Path, profile_ref: str) -> SaveResult:
    """Write a new, empty tracker at ``path``; refuse to replace an existing file."""
    path = Path(path)
    if path.exists():
        raise WorkbookError(f"{path} already exists. caseforms never replaces a tracker; move it away first.")
    wb = build_workbook(load_profile(profile_ref), profile_ref)
    write_atomically(path, wb.save, keep_backup=False)
    return SaveResult(path)


# -- reading -----------------------------------------------------------------------------------


def read_tracker(path: Path, profile: Profile | str | None = None) -> tuple[Register, Profile]:
    """Return the tracker's actions (``register.other["Actions"]``), problems met reading it, and its profile."""
    path = Path(path)
    wb = open_calamine(path)
    errors = error_cells(path)
    sheets: dict[str, RawSheet] = {}
    for name in wb.sheet_names:
        if name.casefold().strip() in (ACTIONS.casefold(), SETTINGS.casefold()):
            sheet = wb.get_sheet_by_name(name)
            rows = with_errors(sheet.to_python(skip_empty_area=False), errors.get(name, {}))
            sheets[name] = RawSheet(name, rows, merged_ranges(sheet))
    return tracker_from_sheets(sheets, path, profile)


def tracker_from_sheets(sheets: dict[str, RawSheet], path: Path,
                        profile: Profile | str | None = None) -> tuple[Register, Profile]:
    """Return the tracker the sheets of a workbook hold (read from a file, or live from Excel), and its profile."""
    by_name = {name.casefold().strip(): raw for name, raw in sheets.items()}
    if isinstance(profile, Profile):
        loaded = profile
    else:
        settings = by_name.get(SETTINGS.casefold())
        ref = profile or (settings_of(settings.rows) if settings else {}).get("profile") or "national"
        if ref.endswith(".toml") and not Path(ref).is_absolute():
            ref = str(Path(path).parent / ref)
        loaded = load_profile(ref)
    schema = tracker_schema(loaded)
    actions = {n: raw for n, raw in sheets.items() if n.casefold().strip() == ACTIONS.casefold()}
    tracker = build_register(schema, actions, loaded.name, [])
    tracker.path = Path(path)
    return tracker, loaded


def actions_of(tracker: Register) -> list[Row]:
    return list(tracker.other.get(ACTIONS, []))


def check_tracker(tracker: Register, known_cases: Iterable[str] | None = None) -> list[Finding]:
    """Return every problem of the tracker: reading problems, then each action's, with its cell."""
    findings = list(tracker.problems)
    seen: dict[str, int] = {}
    for row in actions_of(tracker):
        for p in check_action(row.values, known_cases):
            if (ACTIONS, row.row, p.column) in tracker.unreadable:
                continue  # the reading problem already says what is wrong with this cell
            findings.append(Finding(p.code, p.severity, ACTIONS, tracker.cell(ACTIONS, row.row, p.column),
                                    f"Actions, row {row.row}: {p.message}", p.fix))
        ref = str(row.get("action_id", "")).strip()
        if ref and ref in seen:
            findings.append(Finding("duplicate-action-id", ERROR, ACTIONS, tracker.cell(ACTIONS, row.row, "action_id"),
                                    f"Actions, row {row.row}: action ID '{ref}' is also used on row {seen[ref]}.",
                                    "Give each action its own ID."))
        seen.setdefault(ref, row.row)
    severity = {ERROR: 0, WARNING: 1}
    return sorted(findings, key=lambda f: (severity.get(f.severity, 2), f.sheet, _row_of(f.cell)))


def _row_of(cell: str) -> int:
    digits = "".join(ch for ch in cell.split(":")[0] if ch.isdigit())
    return int(digits or 0)


# -- adding actions ----------------------------------------------------------------------------


def append_actions(path: Path, tracker: Register, rows: Sequence[dict[str, Any]]) -> SaveResult:
    """Add action rows below the last action of the tracker, keeping everything else of the officer's."""
    path = Path(path)
    wb = load_for_update(path, "tracker")
    ws = wb[next(n for n in wb.sheetnames if n.casefold().strip() == ACTIONS.casefold())]
    letters = tracker.columns.get(ACTIONS, {})
    last = max((row.row for row in actions_of(tracker)), default=1)
    for offset, values in enumerate(rows, start=1):
        for key, value in values.items():
            if key in letters:
                cell = put(ws[f"{letters[key]}{last + offset}"], value)
                if isinstance(value, date):
                    cell.number_format = "dd/mm/yyyy"
    end = last + len(rows)
    for table in ws.tables.values():
        first, final = table.ref.split(":")
        final_row = int("".join(ch for ch in final if ch.isdigit()))
        if end > final_row:  # the table grows with the actions, as Excel's own tables do
            table.ref = f"{first}:{''.join(ch for ch in final if ch.isalpha())}{end}"
    set_print_layouts(wb)
    return save_openpyxl(wb, path)


# -- refreshing --------------------------------------------------------------------------------


def refresh(path: Path, tracker: Register, state: TrackerState) -> SaveResult:
    """Write each action's BRAG and reason into the workbook and rebuild the By agency sheet and chart."""
    path = Path(path)
    wb = load_for_update(path, "tracker")
    ws = wb[next(n for n in wb.sheetnames if n.casefold().strip() == ACTIONS.casefold())]
    letters = tracker.columns.get(ACTIONS, {})
    rag_letter = _letter_of(ws, "BRAG") or letters.get("rag")
    why_letter = _letter_of(ws, "Why") or letters.get("rag_reason")
    if rag_letter and why_letter:
        by_row = {row.row: rating for row, (_, rating) in zip(actions_of(tracker), state.rated, strict=True)}
        for row_number, rating in by_row.items():
            put(ws[f"{rag_letter}{row_number}"], rating.rag)
            put(ws[f"{why_letter}{row_number}"], rating.reason)
    _by_agency_sheet(wb, state)
    set_print_layouts(wb)
    return save_openpyxl(wb, path)


def _by_agency_sheet(wb: Any, state: TrackerState) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.shapes import GraphicalProperties
    from openpyxl.styles import Font
    from openpyxl.worksheet.table import Table, TableStyleInfo

    if BY_AGENCY in wb.sheetnames:
        del wb[BY_AGENCY]
    ws = wb.create_sheet(BY_AGENCY, index=wb.sheetnames.index(ACTIONS) + 1 if ACTIONS in wb.sheetnames else None)
    headers = ("Agency", RED, AMBER, GREEN, BLUE, "Open", "Total", "Updates overdue")
    for i, header in enumerate(headers, start=1):
        header_style(put(ws.cell(row=1, column=i), header), HEADER_FILL)
    for r, a in enumerate(state.agencies, start=2):
        values = (a.agency, a.counts[RED], a.counts[AMBER], a.counts[GREEN], a.counts[BLUE], a.open, a.total,
                  a.update_overdue)
        put_row(ws, r, values)
    last = max(2, len(state.agencies) + 1)
    ws.column_dimensions["A"].width = 34
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 11
    ws.column_dimensions["H"].width = 16
    ws.freeze_panes = "A2"
    note = put(ws.cell(row=last + 2, column=1), f"As of {state.as_of:%d/%m/%Y}; written by caseforms tracker.")
    note.font = Font(italic=True)
    if state.agencies:
        table = Table(displayName="ByAgency", ref=f"A1:H{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = f"Actions by agency and BRAG status, {state.as_of:%d/%m/%Y}"
        chart.y_axis.title = "Actions"
        chart.add_data(Reference(ws, min_col=2, max_col=5, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        for series, rag in zip(chart.series, (RED, AMBER, GREEN, BLUE), strict=True):
            series.graphicalProperties = GraphicalProperties(solidFill=RAG_BAR_COLOURS[rag])
        chart.height = max(7.5, 1.2 * len(state.agencies) + 3)
        chart.width = 22
        # Under the table, not beside it: the page is as wide as the table, and the chart prints whole on it.
        ws.add_chart(chart, f"A{last + 4}")


def shipped_tracker_path() -> Path:
    from caseforms.resources import workbooks_dir

    return workbooks_dir() / TRACKER_FILE


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild the shipped blank tracker (national profile) in ``workbooks/``."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else shipped_tracker_path()
    write_atomically(target, build_workbook(load_profile("national")).save, keep_backup=False)
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
