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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.chronology.agencies import names_same_agency
from caseforms.chronology.english_dates import read_entry_date
from caseforms.chronology.findings import UNTRUSTED_DATE_FLAGS
from caseforms.chronology.summaries import AgencySummary, SummaryAnswer
from caseforms.errors import WorkbookCorrupt, WorkbookError
from caseforms.io.master_xlsx import CONTINUED, LONG_TEXTS_SHEET, SUMMARIES_SHEET
from caseforms.papers.model import ChronologyFinding, ChronologyRow
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
    # The officer tags a key episode in the master (issue 21): the timeline shows it; it is not an agency's column.
    "key episode": "key_episode",
}
_REQUIRED = ("date", "details of event")
FINDINGS_SHEET = "Findings"
#: The master's own headings: every other column is an agency's, carried into the entry's comments.
_KNOWN = frozenset((
    "entry", "date", "time", "agency", "agency/department", "date as written", "time as written", "also recorded by",
    "flags", "source file", "source sheet", "source row", *_TEXT_COLUMNS,
))
#: Findings that need nothing more once the master is written (a long text is carried whole).
_SETTLED = frozenset(("long_text",))
#: Findings placed on a table's header row: about the whole table, they stand whatever its entries' flags.
_ABOUT_A_TABLE = frozenset(("no_date_column", "no_details_column"))
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


@dataclass
class MasterRead:
    """What the papers take from a master chronology: its entries, the agencies' summaries, the open findings."""

    rows: list[ChronologyRow] = field(default_factory=list)
    summaries: list[AgencySummary] = field(default_factory=list)
    findings: list[ChronologyFinding] = field(default_factory=list)


def read_master_chronology(path: Path) -> list[ChronologyRow]:
    """Return the entries of a master chronology workbook in the order they are in the workbook.

    Raises :class:`WorkbookError` for a file that cannot be read or is not a master chronology.
    """
    return read_master(path).rows


def read_master(path: Path) -> MasterRead:
    """Return the entries, the agency summaries and the findings still open of a master chronology workbook.

    Every column of the Chronology sheet reaches an entry: a column that is not one of the
    chronology's own (an agency's "Read code") is added to its comments as "Read code: ...".
    A text too long for its cell is taken whole from the Long texts sheet. Raises
    :class:`WorkbookError` for a file that cannot be read or is not a master chronology.
    """
    from caseforms.io.bounded import open_workbook

    path = Path(path)
    workbook = open_workbook(path, advice="Open it in Excel and save it again, or merge the returns again with "
                                          "'caseforms chronology merge'.")
    try:
        name = CHRONOLOGY_SHEET if CHRONOLOGY_SHEET in workbook.sheet_names else workbook.sheet_names[0]
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        others = {n: workbook.get_sheet_by_name(n).to_python(skip_empty_area=False)
                  for n in (SUMMARIES_SHEET, FINDINGS_SHEET, LONG_TEXTS_SHEET) if n in workbook.sheet_names}
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
    headings = rows[header_row] if rows else []
    extras = [(i, str(h).strip()) for i, h in enumerate(headings)
              if str(h or "").strip() and _heading(h) not in _KNOWN]
    whole = _long_texts(others.get(LONG_TEXTS_SHEET, []))
    entries = [entry for cells in rows[header_row + 1:] if (entry := _entry(cells, columns, extras, whole)) is not None]
    return MasterRead(
        rows=entries,
        summaries=_summaries(others.get(SUMMARIES_SHEET, [])),
        findings=_open_findings(others.get(FINDINGS_SHEET, []), rows[header_row + 1:], columns),
    )


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


def _entry(cells: list[Any], columns: dict[str, int], extras: Sequence[tuple[int, str]] = (),
           whole: dict[tuple[int, str], str] | None = None) -> ChronologyRow | None:
    if all(v is None or v == "" for v in cells):
        return None
    number = _number(_cell(cells, columns, "entry"))
    written = _text(_cell(cells, columns, "date as written"))
    flags = _text(_cell(cells, columns, "flags"))
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
    if department and agency and names_same_agency(department, agency):
        department = None
    if agency is None:
        agency, department = department, None
    trusted = (when.day is not None and when.precision == "day" and when_text is None
               and not any(flag in (flags or "") for flag in UNTRUSTED_DATE_FLAGS))
    row = ChronologyRow(when=moment, agency=agency, when_text=when_text, department=department, flags=flags,
                        date_trusted=trusted, entry=number)
    for heading, key in _TEXT_COLUMNS.items():
        text = _text(_cell(cells, columns, heading))
        if text and number is not None and whole and text.endswith(CONTINUED.strip()):
            text = whole.get((number, _heading(heading)), text)
        setattr(row, key, text)
    carried = []
    for i, heading in extras:
        value = _text(cells[i]) if i < len(cells) else None
        if value:
            if number is not None and whole and value.endswith(CONTINUED.strip()):
                value = whole.get((number, _heading(heading)), value)
            carried.append(f"{heading}: {value}")
    if carried:
        row.analysis = "\n".join([*([row.analysis] if row.analysis else []), *carried])
    return row


def _number(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return None


def _raw(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _long_texts(rows: list[list[Any]]) -> dict[tuple[int, str], str]:
    """Return the whole texts of the Long texts sheet by (entry, column heading casefolded)."""
    parts: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for cells in rows[1:]:
        if len(cells) < 4:
            continue
        number, part = _number(cells[0]), _number(cells[2])
        if number is None or part is None:
            continue
        parts.setdefault((number, _heading(cells[1])), []).append((part, str(cells[3] or "")))
    return {key: "".join(text for _, text in sorted(found)) for key, found in parts.items()}


def _summaries(rows: list[list[Any]]) -> list[AgencySummary]:
    """Return the agency summaries of the master's Agency summaries sheet, an agency and source at a time."""
    if not rows:
        return []
    columns = {_heading(h): i for i, h in enumerate(rows[0])}
    need = ("agency", "question", "answer")
    if any(n not in columns for n in need):
        return []

    def get(cells: list[Any], heading: str) -> str:
        i = columns.get(heading)
        return str(cells[i]).strip() if i is not None and i < len(cells) and cells[i] is not None else ""

    found: dict[tuple[str, str, str], AgencySummary] = {}
    for cells in rows[1:]:
        agency = get(cells, "agency")
        i = columns["answer"]
        answer = str(cells[i]) if i < len(cells) and cells[i] is not None else ""  # as written: parts join exactly
        if not agency or not answer.strip():
            continue
        file, sheet = get(cells, "file") or get(cells, "from"), get(cells, "sheet")
        summary = found.setdefault((agency, file, sheet), AgencySummary(
            file=file, agency=agency, place=f"sheet {sheet}" if sheet else ""))
        key = get(cells, "question key") or None
        question = get(cells, "question as asked") or get(cells, "question")
        if key == "author":
            summary.author = answer
        elif key == "signed_off":
            summary.signed_off = answer
        elif _number(_raw(cells, columns.get("part"))) not in (None, 1) and summary.answers:
            summary.answers[-1].answer += answer  # an answer too long for one cell, continued on the next row
        else:
            summary.answers.append(SummaryAnswer(question, answer, key))
    return list(found.values())


def _open_findings(rows: list[list[Any]], entries: list[list[Any]], columns: dict[str, int]) -> list[ChronologyFinding]:
    """Return the errors and warnings of the Findings sheet that still stand.

    One about a row stands while that row's entry is still flagged in the master (the officer
    may have corrected the date and cleared the flag); one about a whole file always stands.
    """
    if not rows:
        return []
    head = {_heading(h): i for i, h in enumerate(rows[0])}
    if "message" not in head or "severity" not in head:
        return []
    flagged: set[tuple[str, str, int]] = set()
    for cells in entries:
        if _text(_cell(cells, columns, "flags")):
            file, row = _text(_cell(cells, columns, "source file")), _number(_cell(cells, columns, "source row"))
            if file and row is not None:
                flagged.add((file, _text(_cell(cells, columns, "source sheet")) or "", row))

    def get(cells: list[Any], heading: str) -> Any:
        i = head.get(heading)
        return cells[i] if i is not None and i < len(cells) else None

    result: list[ChronologyFinding] = []
    for cells in rows[1:]:
        severity = str(get(cells, "severity") or "").strip()
        code = str(get(cells, "code") or "")
        if severity not in ("error", "warning") or code in _SETTLED:
            continue
        file, row = _text(get(cells, "file")) or "", _number(get(cells, "row"))
        sheet = _text(get(cells, "sheet")) or ""
        if row is not None and code not in _ABOUT_A_TABLE and (file, sheet, row) not in flagged:
            continue
        place = ", ".join(p for p in (file, (f"sheet {_text(get(cells, 'sheet'))}" if _text(get(cells, "sheet")) else ""),
                                      f"row {row}" if row is not None else "", _text(get(cells, "column")) or "") if p)
        result.append(ChronologyFinding(place, _text(get(cells, "message")) or "", severity))
    return result
