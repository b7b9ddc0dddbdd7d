"""Write the register's Returns log: one row per case and agency asked for a chronology.

Written with openpyxl through :func:`caseforms.io.safe_write.save_openpyxl`: never over a
register open in Excel, with a backup, and beside the register when openpyxl would lose
something of it. A register made before the log existed gets the sheet, laid out from the schema.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from caseforms.errors import WorkbookCorrupt
from caseforms.io.cell_text import put
from caseforms.io.safe_write import SaveResult, load_for_update, save_openpyxl
from caseforms.profile import Profile, load_profile
from caseforms.register.records import rows_to_write
from caseforms.register.schema import DATE, RETURNS_LOG, RegisterSchema, register_schema


def upsert_log(path: Path, profile: Profile | str, rows: Sequence[Mapping[str, Any]]) -> SaveResult:
    """Set the values of each (case, agency) row of the Returns log, adding rows that are not there.

    Each mapping holds ``case_ref`` and ``agency`` and the column keys to set; other cells of the
    row (the officer's notes) are kept.
    """
    return upsert_rows(path, profile, RETURNS_LOG, rows)


def upsert_rows(path: Path, profile: Profile | str, sheet_name: str, rows: Sequence[Mapping[str, Any]],
                key: tuple[str, str] = ("case_ref", "agency")) -> SaveResult:
    """Set the values of each (case, agency) row of a sheet keyed so (the Returns log, the IMRs), adding rows.

    ``key`` names the two columns a row is found by (the Glossary's are the case and the name). A
    register made before the sheet existed gets it, laid out from the schema, after the sheets it follows.
    """
    return upsert_in_turn(path, profile, [(sheet_name, rows)], key)


def upsert_in_turn(path: Path, profile: Profile | str,
                   batches: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
                   key: tuple[str, str] = ("case_ref", "agency")) -> SaveResult:
    """Upsert each batch of rows, (sheet, rows), in turn as :func:`upsert_rows` would, opening and saving the register once.

    For a caller with several updates and nothing to read between them (the demo logs its requests and then the
    returns that came back): one load and one save of the register instead of one each.
    """
    from caseforms.io.register_xlsx import set_print_layouts

    path = Path(path)
    wb = load_for_update(path, "register")
    schema = register_schema(profile if isinstance(profile, Profile) else load_profile(profile))
    for sheet_name, rows in batches:
        _upsert(wb, path, schema, sheet_name, rows, key)
    set_print_layouts(wb)
    wb.calculation.fullCalcOnLoad = True
    return save_openpyxl(wb, path)


def _upsert(wb: Any, path: Path, schema: RegisterSchema, sheet_name: str, rows: Sequence[Mapping[str, Any]],
            key: tuple[str, str]) -> None:
    from caseforms.io.register_xlsx import record_sheet

    sheet = schema.sheet(sheet_name)
    if sheet_name not in wb.sheetnames:
        names = [s.name for s in schema.sheets]
        before = [n for n in names[:names.index(sheet_name)] if n in wb.sheetnames] or ["Meetings"]
        index = wb.sheetnames.index(before[-1]) + 1 if before[-1] in wb.sheetnames else len(wb.sheetnames)
        record_sheet(wb.create_sheet(sheet_name, index=index), sheet, schema)
    ws = wb[sheet_name]
    # Columns by their header on row 1, so a log whose columns were moved is still written right.
    headers = {str(c.value).strip().casefold(): c.column for c in ws[1] if c.value not in (None, "")}
    columns = {col.key: headers.get(col.header.casefold()) for col in sheet.columns}
    ref_col, agency_col = columns[key[0]], columns[key[1]]
    if ref_col is None or agency_col is None:
        headings = " or ".join(f"'{sheet.column(k).header}'" for k in key)
        raise WorkbookCorrupt(f"{path}, sheet {sheet_name}: row 1 has no {headings} heading. "
                              "Restore the headings (a new register from caseforms init shows them) and try again.")
    keyed = [(r, (ws.cell(row=r, column=ref_col).value, ws.cell(row=r, column=agency_col).value))
             for r in range(2, ws.max_row + 1)]
    targets = rows_to_write(keyed, rows, key)
    dates = {c.key for c in sheet.columns if c.kind == DATE}
    # The log's table is stretched to the last row holding anything (below).
    last_filled = max([1, *targets, *(r for r, cells in keyed if any(c not in (None, "") for c in cells))])
    for r, values in zip(targets, rows, strict=True):
        for column_key, value in values.items():
            col = columns.get(column_key)
            if col is None:
                continue
            cell = put(ws.cell(row=r, column=col), value)
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif column_key in dates:
                cell.number_format = "dd/mm/yyyy"
    for table in ws.tables.values():
        # Rows added below the table join it, so the officer's filters and sorting include them.
        first, last = table.ref.split(":")
        letters = "".join(ch for ch in last if ch.isalpha())
        if int("".join(ch for ch in last if ch.isdigit())) < last_filled:
            table.ref = f"{first}:{letters}{last_filled}"
            if table.autoFilter is not None:
                table.autoFilter.ref = table.ref
