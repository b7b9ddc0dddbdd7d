"""Read a case's master chronology workbook back, for the papers.

The master is the workbook `caseforms chronology merge` writes (see :mod:`caseforms.io.master_xlsx`):
a Chronology sheet with Date, Time, Agency, the Appendix F columns, then Date as written, Flags,
Source file and Source row. Read with python-calamine: values only, fast, formulas never run.
The officer may have sorted, filtered or edited it in Excel: columns are found by their headings,
blank rows are skipped, and each row is kept as written.

Where it lives: each case's folder holds its master beside the returns it was merged from,

    DIR/cases/<reference>/Master chronology.xlsx
    DIR/cases/<reference>/returns/          the agencies' returns (the merge refuses a master here)

so the merge is ``caseforms chronology merge "cases/<reference>/returns" --output
"cases/<reference>/Master chronology.xlsx"``, and `caseforms papers` finds it without being told.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.chronology.english_dates import read_entry_date
from caseforms.errors import WorkbookCorrupt, WorkbookError
from caseforms.papers.model import ChronologyRow
from caseforms.register.folders import case_folder

MASTER_CHRONOLOGY_FILE = "Master chronology.xlsx"
#: The master's sheet of entries (the first sheet when it has been renamed).
CHRONOLOGY_SHEET = "Chronology"
#: Heading in the master -> ChronologyRow field (Date, Time and Agency/Department are handled apart).
_TEXT_COLUMNS = {
    "source of information": "source",
    "name of subject(s)": "subjects",
    "type of contact": "contact_type",
    "by whom": "by_whom",
    "details of event": "details",
    "comments/analysis of outcome": "analysis",
}
_REQUIRED = ("date", "details of event")
_HEADER_SEARCH_ROWS = 10


def master_chronology_path(root: Path, case_ref: str) -> Path:
    """Return where the master chronology of a case lives under the working folder ``root``."""
    return case_folder(Path(root), case_ref) / MASTER_CHRONOLOGY_FILE


def find_master_chronology(root: Path, case_ref: str) -> Path | None:
    """Return the case's master chronology when there is one (the name's case does not matter), else None."""
    expected = master_chronology_path(root, case_ref)
    if expected.is_file():
        return expected
    folder = expected.parent
    if not folder.is_dir():
        return None
    wanted = MASTER_CHRONOLOGY_FILE.casefold()
    return next((p for p in folder.iterdir() if p.name.casefold() == wanted and p.is_file()), None)


def read_master_chronology(path: Path) -> list[ChronologyRow]:
    """Return the entries of a master chronology workbook in the order they are in the workbook.

    Raises :class:`WorkbookError` for a file that cannot be read or is not a master chronology.
    """
    from caseforms.io.bounded import open_workbook

    path = Path(path)
    workbook = open_workbook(path, advice="Open it in Excel and save it again, or merge the returns again with "
                                          "'caseforms chronology merge'.")
    try:
        name = CHRONOLOGY_SHEET if CHRONOLOGY_SHEET in workbook.sheet_names else workbook.sheet_names[0]
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as e:  # calamine raises its own error types for every kind of damage
        raise WorkbookCorrupt(
            f"{path} cannot be read as a workbook ({e}). Open it in Excel and save it again, or merge the "
            "returns again with 'caseforms chronology merge'."
        ) from e
    header_row, columns = _header(rows)
    missing = [h for h in _REQUIRED if h not in columns]
    if missing:
        raise WorkbookError(
            f"{path}, sheet '{name}': no column headed {', '.join(repr(m.capitalize()) for m in missing)} in the "
            f"first {_HEADER_SEARCH_ROWS} rows, so it is not a master chronology made by 'caseforms chronology "
            "merge'. Merge the returns again, or name the right file with --chronology."
        )
    return [entry for cells in rows[header_row + 1:] if (entry := _entry(cells, columns)) is not None]


def _heading(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """Return the header row (the first with 'Details of event', else the first row) and its columns."""
    found: list[tuple[int, dict[str, int]]] = []
    for r, cells in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for i, value in enumerate(cells):
            columns.setdefault(_heading(value), i)
        if "details of event" in columns:
            return r, columns
        found.append((r, columns))
    return found[0] if found else (0, {})


def _cell(cells: list[Any], columns: dict[str, int], heading: str) -> Any:
    i = columns.get(heading)
    return cells[i] if i is not None and i < len(cells) else None


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _entry(cells: list[Any], columns: dict[str, int]) -> ChronologyRow | None:
    if all(v is None or v == "" for v in cells):
        return None
    written = _text(_cell(cells, columns, "date as written"))
    when = read_entry_date(_cell(cells, columns, "date"), _cell(cells, columns, "time"))
    moment: date | datetime | None = when.day
    if when.day is not None and when.time is not None:
        moment = datetime.combine(when.day, when.time)
    when_text = None
    if written and when.day is not None:
        # The Date cell holds the first day of an approximate date; the text says how much is known.
        if read_entry_date(written).precision in ("month", "year"):
            when_text = written
    elif written and when.day is None:
        when_text = written
    agency = _text(_cell(cells, columns, "agency"))
    department = _text(_cell(cells, columns, "agency/department"))
    if department and (agency is None or department.casefold() != agency.casefold()):
        agency = f"{agency} ({department})" if agency else department
    row = ChronologyRow(when=moment, agency=agency, when_text=when_text)
    for heading, key in _TEXT_COLUMNS.items():
        setattr(row, key, _text(_cell(cells, columns, heading)))
    return row
