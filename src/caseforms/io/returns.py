"""Read agency chronology returns: spreadsheets through python-calamine, CSV through the csv module.

python-calamine reads ``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls`` and ``.ods`` by their content (a
return renamed ``.xls`` that is really ``.xlsx`` still opens); it reads the values Excel saved and
never evaluates a formula or runs a macro. CSV is decoded the way Excel writes it: UTF-8 with or
without a byte order mark, UTF-16 ("Unicode text"), or Windows-1252 from "CSV (Comma delimited)"
on Windows; the delimiter (comma, semicolon, tab or bar) is the one under which a header row
appears. The table may sit below a title block or on a sheet after an instructions sheet: the
sheet and the header row are found by their headings (see ``caseforms.chronology.columns``).

A return that cannot be read becomes a finding naming the file and what to do; the other returns
still merge.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from caseforms.chronology.agencies import AgencyDirectory
from caseforms.chronology.columns import OwnHeadings, find_header_row, header_score
from caseforms.chronology.findings import Finding, Severity
from caseforms.chronology.merge import AgencyReturn, MasterChronology, merge_returns
from caseforms.chronology.summaries import AgencySummary
from caseforms.errors import FileTooLarge, ReturnUnreadable, WorkbookCorrupt, WorkbookError, WorkbookProtected
from caseforms.io.bounded import open_workbook

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
RETURN_SUFFIXES = SPREADSHEET_SUFFIXES + TEXT_SUFFIXES
#: An agency summary sent as a document of its own, beside the chronology.
SUMMARY_SUFFIXES = (".docx",)
#: Files an officer keeps beside returns that are not returns: said once, not as errors.
_NOT_RETURNS = {
    ".doc": "a Word 97-2003 document", ".pdf": "a PDF", ".msg": "an Outlook message",
    ".eml": "an e-mail", ".zip": "a zip folder", ".odt": "a text document", ".rtf": "a text document",
}
#: Spreadsheets caseforms cannot read, and what to do instead.
_SAVE_AS = {
    ".fods": "a flat OpenDocument spreadsheet (.fods). Open it in LibreOffice Calc, save it as .xlsx (File > Save As, "
             "Excel 2007-365) and merge again",
    ".numbers": "an Apple Numbers spreadsheet. Open it in Numbers, export it to Excel (File > Export To > Excel) "
                "and merge again",
    ".xml": "an XML file (perhaps Excel's 'XML Spreadsheet 2003'). Open it in Excel, save it as .xlsx and merge "
            "again",
}
#: Files the system leaves in folders: never returns, never mentioned.
_SYSTEM_FILES = {"desktop.ini", "thumbs.db", "ehthumbs.db", ".ds_store"}


def suffix_of(path: Path) -> str:
    """Return a file's extension as caseforms compares it: lower case, without trailing spaces or dots.

    Windows hides a name's trailing spaces and dots, so "Police.xlsx " (a space after the name,
    typed when saving or renaming) is the Police return.
    """
    return Path(path.name.rstrip(" .")).suffix.lower()

#: A chronology return is a few hundred kilobytes; 100 MB means pictures, another system's export or the wrong file.
MAX_RETURN_BYTES = 100 * 1024 * 1024
#: What a zipped workbook may unpack to before we refuse it (a damaged or malicious file can claim terabytes).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: A sheet wider and longer than this many cells is not a chronology (a stray entry in cell XFD1048576).
MAX_SHEET_CELLS = 20_000_000
#: Rows searched for the header on each sheet.
HEADER_SEARCH_ROWS = 40
#: Rows of other sheets (a cover sheet) searched for the case reference and the agency's name.
COVER_ROWS = 20

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What a return that cannot be read needs.
_ASK_AGAIN = "Ask the agency to open it in Excel, save it again as .xlsx and resend it."
_ZIP_MAGIC = b"PK\x03\x04"

Progress = Callable[[Path], None]


def collect_return_files(
    paths: Iterable[str | Path], *, output: Path | None = None
) -> tuple[list[Path], list[Finding]]:
    """Return the return files named by ``paths`` (files, or folders whose files are listed), and findings.

    Folders are not searched below their top level (``backups/`` and old copies live there). The
    output master, Excel's ``~$`` lock files and hidden files are skipped; the same file named
    twice, or two files with the same content, are merged once.
    """
    findings: list[Finding] = []
    files: list[Path] = []
    out = output.resolve() if output is not None else None
    for given in paths:
        path = Path(given)
        if path.is_dir():
            listed = sorted((p for p in path.iterdir() if p.is_file()), key=lambda p: p.name.casefold())
            for p in listed:
                if p.name.startswith(("~$", ".")) or p.name.casefold() in _SYSTEM_FILES or (
                    out is not None and p.resolve() == out
                ):
                    continue
                suffix = suffix_of(p)
                if suffix in RETURN_SUFFIXES or suffix in SUMMARY_SUFFIXES:
                    files.append(p)
                elif suffix in _NOT_RETURNS:
                    findings.append(Finding(p.name, None, None, None, "warning",
                                            f"Skipped: {_NOT_RETURNS[suffix]}, not a spreadsheet. If it is an agency's "
                                            "chronology, ask for it in the chronology workbook (or copy its table into "
                                            "the template) and merge again.", "not_a_spreadsheet"))
                else:
                    findings.append(_not_read(p, suffix, "warning"))
            continue
        if not path.exists():
            findings.append(Finding(path.name, None, None, None, "error",
                                    f"{path}: no such file or folder. Check the name and the folder.", "missing_file"))
            continue
        if out is not None and path.resolve() == out:
            findings.append(Finding(path.name, None, None, None, "error",
                                    "This is the master being written (--output), so it is not merged as a return.",
                                    "return_is_output"))
            continue
        suffix = suffix_of(path)
        if suffix not in RETURN_SUFFIXES + SUMMARY_SUFFIXES:
            if suffix in _NOT_RETURNS:
                findings.append(Finding(path.name, None, None, None, "error",
                                        f"Not merged: {_NOT_RETURNS[suffix]}. caseforms merges returns saved as "
                                        f"{', '.join(RETURN_SUFFIXES)}. Save it from Excel as .xlsx and merge again.",
                                        "unsupported_file"))
            else:
                findings.append(_not_read(path, suffix, "error"))
            continue
        files.append(path)
    return _drop_duplicates(files, findings)


def _not_read(path: Path, suffix: str, severity: Severity) -> Finding:
    """Say that a file of a kind caseforms does not read was left out, and what to do with it."""
    if suffix in _SAVE_AS:
        what = _SAVE_AS[suffix]
    else:
        kind = f"a '{suffix}' file" if suffix else "a file with no extension"
        what = (f"{kind}, not a spreadsheet caseforms reads ({', '.join(RETURN_SUFFIXES)}). If it is an agency's "
                "chronology, open it in Excel, save it as .xlsx and merge again; otherwise move it out of the returns "
                "folder")
    return Finding(path.name, None, None, None, severity,
                   f"{'Skipped' if severity == 'warning' else 'Not merged'}: {what}.", "unsupported_file")


def _drop_duplicates(files: list[Path], findings: list[Finding]) -> tuple[list[Path], list[Finding]]:
    kept: list[Path] = []
    seen_paths: set[Path] = set()
    by_digest: dict[tuple[int, str], Path] = {}
    for p in files:
        real = p.resolve()
        if real in seen_paths:
            continue
        seen_paths.add(real)
        try:
            size = p.stat().st_size
            digest = _digest(p) if 0 < size <= MAX_RETURN_BYTES else str(real)
        except OSError:
            kept.append(p)
            continue
        first = by_digest.get((size, digest))
        if first is not None:
            findings.append(Finding(p.name, None, None, None, "warning",
                                    f"Skipped: the same file as {first.name} (identical content), merged once. "
                                    "Remove the copy from the returns.", "duplicate_file"))
            continue
        by_digest[(size, digest)] = p
        kept.append(p)
    return kept, findings


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_returns(
    paths: Sequence[Path], *, progress: Progress | None = None, own: OwnHeadings | None = None
) -> tuple[list[AgencyReturn], list[Finding]]:
    """Read each return's tables; one that cannot be read becomes an error finding and the rest carry on."""
    returns: list[AgencyReturn] = []
    findings: list[Finding] = []
    for path in paths:
        try:
            read, notes = _read_return(path, own)
            returns.extend(read)
            findings.extend(notes)
        except WorkbookError as e:
            findings.append(Finding(path.name, None, None, None, "error", str(e), _code_of(e)))
        if progress is not None:
            progress(path)
    return returns, findings


def read_summary_documents(paths: Sequence[Path], *, progress: Progress | None = None
                           ) -> tuple[list[AgencySummary], list[Finding]]:
    """Read the agency summaries sent as Word documents; one that cannot be read becomes a finding."""
    from caseforms.io.summary_docx import is_summary, read_summary_document

    summaries: list[AgencySummary] = []
    findings: list[Finding] = []
    for path in paths:
        try:
            found = read_summary_document(path)
        except (ReturnUnreadable, WorkbookCorrupt) as e:
            findings.append(Finding(path.name, None, None, None, "error", str(e), _code_of(e)))
        else:
            if found.answered and not is_summary(found, path.name):
                findings.append(Finding(path.name, None, None, None, "warning",
                                        "This Word document is not recognised as an agency summary (no section answers "
                                        "a summary question, and it does not say it is a summary), so it was not read: "
                                        "a covering letter, say. If it is an agency's summary, give it headings such "
                                        "as 'What worked well' or put 'summary' in its name, and merge again.",
                                        "not_a_summary"))
            elif found.answered:
                summaries.append(found)
            else:
                findings.append(Finding(path.name, None, None, None, "warning",
                                        "This Word document holds no text, so it was not read as an agency summary. "
                                        "Check it is the completed summary.", "summary_empty"))
        if progress is not None:
            progress(path)
    return summaries, findings


def merge_return_files(
    paths: Iterable[str | Path],
    *,
    output: Path | None = None,
    scope_from: date | None = None,
    scope_to: date | None = None,
    case_reference: str | None = None,
    progress: Progress | None = None,
    on_files: Callable[[list[Path]], None] | None = None,
    today: date | None = None,
    directory: AgencyDirectory | None = None,
    own: OwnHeadings | None = None,
) -> MasterChronology:
    """Read the returns named by ``paths`` (files or folders) and merge them: the library call behind the CLI.

    A Word document among them is read as an agency summary sent beside a chronology.
    ``directory`` is the register's Agencies sheet (and the officer's Returns log), against which
    each file's agency is told. ``on_files`` is told the list of files before reading starts (a
    progress bar's total).
    """
    from caseforms.chronology.merge import bulk_work

    files, findings = collect_return_files(paths, output=output)
    if on_files is not None:
        on_files(files)
    documents = [p for p in files if suffix_of(p) in SUMMARY_SUFFIXES]
    with bulk_work():
        returns, read_findings = read_returns([p for p in files if p not in documents], progress=progress, own=own)
        summaries, summary_findings = read_summary_documents(documents, progress=progress)
        return merge_returns(
            returns, scope_from=scope_from, scope_to=scope_to, case_reference=case_reference,
            findings=[*findings, *read_findings, *summary_findings], today=today, directory=directory,
            summaries=summaries, own_headings=own,
        )


def read_return(path: Path, own: OwnHeadings | None = None) -> list[AgencyReturn]:
    """Read one return: a table for each of its sheets that holds chronology entries (one for a CSV).

    Raises a :class:`ReturnUnreadable` (or subclass) saying what to do. ``own`` are the
    partnership's own heading variants (profile ``[chronology_headings]``).
    """
    return _read_return(path, own)[0]


def _read_return(path: Path, own: OwnHeadings | None = None) -> tuple[list[AgencyReturn], list[Finding]]:
    """Read one return, with findings on how it was read (a CSV whose encoding had to be guessed)."""
    path = Path(path)
    _check_size(path)
    try:
        if suffix_of(path) in TEXT_SUFFIXES:
            table, notes = _read_delimited(path, own)
            return [table], notes
        return _read_spreadsheet(path, own), []
    except WorkbookError:
        raise
    except PermissionError as e:  # this return only: the others still merge
        raise ReturnUnreadable(
            f"{path.name} cannot be opened: you do not have permission to read it. Ask whoever manages the folder to "
            "let you read it (File Explorer: right-click > Properties > Security), or save a copy you can read, and "
            "merge again."
        ) from e
    except OSError as e:  # gone or locked while being read
        raise ReturnUnreadable(
            f"{path.name} cannot be opened ({e.strerror or e}). Check it is not open in another program and that the "
            "folder is reachable, then merge again."
        ) from e


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReturnUnreadable(f"{path.name} cannot be opened ({e.strerror}). Check it is not open elsewhere and "
                               "that you can read the folder.") from e
    if size == 0:
        raise WorkbookCorrupt(f"{path.name} is empty (0 bytes): nothing was saved in it. Ask the agency to send "
                              "the return again.")
    if size > MAX_RETURN_BYTES:
        raise ReturnUnreadable(
            f"{path.name} is {size / 1024 / 1024:.0f} MB; a chronology return is normally well under 5 MB, so this is "
            "probably the wrong file or it carries pictures or other sheets. Ask the agency for the chronology alone, "
            "or copy the chronology sheet into a new workbook (Move or Copy > new book), save it as .xlsx and merge "
            f"again. Files over {MAX_RETURN_BYTES // 1024 // 1024} MB are not read."
        )


# -- spreadsheets -----------------------------------------------------------------------------------


def _read_spreadsheet(path: Path, own: OwnHeadings | None = None) -> list[AgencyReturn]:
    import python_calamine as calamine

    with path.open("rb") as f:
        head = f.read(8)
    if head == _OLE_MAGIC and path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb") and _is_encrypted_ole(path):
        raise _protected(path)
    if head[:4] == _ZIP_MAGIC:
        _check_unpacked_size(path)
    elif head != _OLE_MAGIC:
        raise WorkbookCorrupt(
            f"{path.name} is damaged or is not really a spreadsheet (its content is not Excel's or "
            "LibreOffice's). Ask the agency to save it again from Excel as .xlsx and resend it."
        )
    try:
        workbook = open_workbook(path, advice=_ASK_AGAIN)
    except WorkbookProtected as e:
        raise _protected(path) from e
    try:
        return _tables_from_workbook(path, workbook, calamine, own)
    finally:
        workbook.close()


def _tables_from_workbook(path: Path, workbook: Any, calamine: Any, own: OwnHeadings | None) -> list[AgencyReturn]:
    """Return a table for every sheet of the workbook that holds chronology entries, and what the others are."""
    from caseforms.io.request_pack import ID_SHEET, SUMMARY_SHEET, identity_of, summary_from_sheet

    sheets: list[tuple[str, list[list[Any]], bool]] = []
    skipped: list[tuple[str, str]] = []
    try:
        metadata = {m.name: m for m in workbook.sheets_metadata}
    except (calamine.CalamineError, AttributeError):
        metadata = {}
    for name in workbook.sheet_names:
        meta = metadata.get(name)
        if meta is not None and _enum_name(meta.typ) != "WorkSheet":
            skipped.append((name, "a chart, not a table"))
            continue
        visible = meta is None or _enum_name(meta.visible) == "Visible"
        try:
            sheet = workbook.get_sheet_by_name(name)
            if (sheet.total_height + 1) * (sheet.total_width + 1) > MAX_SHEET_CELLS:
                raise ReturnUnreadable(
                    f"{path.name}, sheet {name}: the sheet reaches cell {_cell_name(sheet.total_height, sheet.total_width)}, "
                    "far beyond any chronology, usually because something was typed or pasted far below or to the "
                    "right. Delete the empty rows and columns after the table, save and merge again."
                )
            rows = sheet.to_python(skip_empty_area=False)
            rows = _fill_merged_cells(sheet, rows)
        except calamine.CalamineError as e:
            raise WorkbookCorrupt(f"{path.name}, sheet {name}, is damaged and cannot be read ({e}). Ask the agency "
                                  "to save it again as .xlsx and resend it.") from e
        sheets.append((name, rows, visible))

    identity = identity_of(next((rows for n, rows, _ in sheets if n == ID_SHEET), None))
    if not any(any(_filled(c) for c in row) for n, rows, _ in sheets if n != ID_SHEET for row in rows):
        raise WorkbookCorrupt(f"{path.name} has no entries: every sheet is empty. It may be the blank template; "
                              "ask the agency for the completed return.")
    found: list[tuple[str, list[list[Any]], int]] = []  # name, rows, header index
    hidden: list[tuple[str, list[list[Any]], int]] = []
    for name, rows, visible in sheets:
        if name == ID_SHEET and identity is not None:
            continue  # caseforms' own identification of a request workbook
        if name == SUMMARY_SHEET:
            skipped.append((name, "the agency summary: read into the agency summaries"))
            continue
        header = find_header_row(rows, HEADER_SEARCH_ROWS, own)
        if header is None:
            filled = any(_filled(c) for row in rows for c in row)
            why = "no chronology headings in its first 40 rows" if filled else "empty"
            skipped.append((name, why if visible else f"hidden; {why}"))
            continue
        # A hidden sheet with chronology headings is an example or an old copy, not the return, unless the return
        # has no visible table at all.
        (found if visible else hidden).append((name, rows, header))
    if found:
        skipped.extend((name, "hidden: not read, as an example or an old copy") for name, _, _ in hidden)
    else:
        found = hidden
    if not found:
        names = [n for n, _, _ in sheets if n != ID_SHEET]
        first = next(((n, r) for n, r, v in sheets if v and n != ID_SHEET and any(_filled(c) for row in r for c in row)),
                     (names[0] if names else "", []))
        raise ReturnUnreadable(
            f"{path.name}: no header row found (looked in the first {HEADER_SEARCH_ROWS} rows of "
            f"{_sheet_list(names)} for headings such as 'Date', 'Type of contact' and 'Details of "
            f"event'). {_first_cells(first[0], first[1])}Add the chronology headings above the table (or paste it into "
            "the chronology template) and merge again."
        )
    # Each table's title block is the rows above its header; the first rows of the sheets that are not tables are the
    # cover (a cover sheet names the case and the agency; an instructions sheet may name others).
    first_name, first_rows, first_header = found[0]
    tables = {n for n, _, _ in found}
    cover: list[list[Any]] = []
    for other, other_rows, _ in sheets:
        if other not in tables and other not in (ID_SHEET, SUMMARY_SHEET):
            cover.extend(other_rows[:COVER_ROWS])
    summary = None
    summary_rows = next((rows for n, rows, _ in sheets if n == SUMMARY_SHEET), None)
    if summary_rows is not None:
        summary = summary_from_sheet(path.name, summary_rows, first_rows[:first_header])
    result: list[AgencyReturn] = []
    for name, rows, header in found:
        body = [(i + 1, row) for i, row in enumerate(rows[header + 1:], start=header + 1)]
        result.append(AgencyReturn(
            file=path.name, sheet=name, header_row=header + 1, header=rows[header], rows=body,
            title_block=rows[:header], cover=cover, path=str(path),
            identified_case=identity.case_ref if identity else None,
            identified_agency=identity.agency if identity else None,
            other_sheets=skipped, summary=summary if name == first_name else None,
        ))
    return result


def _fill_merged_cells(sheet: Any, rows: list[list[Any]]) -> list[list[Any]]:
    """Copy a merged cell's value into every cell it covers, as Excel shows it (one date over three events)."""
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:
        return rows
    for (r0, c0), (r1, c1) in ranges or ():
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and not _filled(row[c]):
                    row[c] = value
    return rows


def _is_encrypted_ole(path: Path) -> bool:
    # An encrypted .xlsx is an OLE container holding "EncryptionInfo" and "EncryptedPackage"
    # streams; their names sit in the directory in UTF-16.
    with path.open("rb") as f:
        data = f.read(1 << 20)
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _check_unpacked_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise WorkbookCorrupt(
            f"{path.name} is damaged (the file is incomplete or not a real Excel file: {e}). Ask the agency to save "
            "it again from Excel as .xlsx and resend it."
        ) from e
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReturnUnreadable(
            f"{path.name} unpacks to {unpacked / 1024 ** 3:.1f} GB, far more than any chronology. Ask the agency "
            "for the chronology sheet alone, saved as a new .xlsx."
        )


def _protected(path: Path) -> WorkbookProtected:
    return WorkbookProtected(
        f"{path.name} is protected with a password, so it cannot be read. Ask the agency to remove the password "
        "(Excel: File > Info > Protect Workbook > Encrypt with Password, clear it, save) and send it again by "
        "secure e-mail; or open it yourself with the password, remove it, save, and merge again."
    )


# -- CSV and other delimited text ---------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")


def _read_delimited(path: Path, own: OwnHeadings | None = None) -> tuple[AgencyReturn, list[Finding]]:
    data = path.read_bytes()
    text, encoding = decode_text(data)
    notes = [] if encoding in _PLAIN_ENCODINGS else [Finding(
        path.name, None, None, None, "warning",
        f"Read as {encoding}. Check accented letters and symbols (é, £, ’) in this agency's rows of the master; if any "
        "look wrong, ask the agency to save the return from Excel as .xlsx and merge again.", "csv_encoding_guessed",
    )]
    delimiter = None
    first_line, _, rest = text.partition("\n")
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's own hint line: "sep=;" names the delimiter and is not part of the table.
        delimiter = first_line.strip()[4]
        offset = 1
        text = rest
    else:
        offset = 0
        delimiter = _sniff_delimiter(text)
    try:
        rows: list[list[Any]] = [
            [cell if cell != "" else None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        ]
    except csv.Error as e:
        raise WorkbookCorrupt(f"{path.name} cannot be read as CSV ({e}). Open it in Excel, save it as .xlsx and "
                              "merge again.") from e
    if not any(any(_filled(c) for c in row) for row in rows):
        raise WorkbookCorrupt(f"{path.name} has no entries: the file holds no text. Ask the agency to send the "
                              "completed return again.")
    header = find_header_row(rows, HEADER_SEARCH_ROWS, own)
    if header is None:
        raise ReturnUnreadable(
            f"{path.name}: no header row found in the first {HEADER_SEARCH_ROWS} lines (read as {encoding}, cells "
            f"separated by {_delimiter_name(delimiter)}). {_first_cells(None, rows)}Add the chronology headings "
            "('Date', 'Type of contact', 'Details of event'...) as the first line and merge again."
        )
    body = [(i + 1 + offset, row) for i, row in enumerate(rows[header + 1:], start=header + 1)]
    return AgencyReturn(file=path.name, sheet="", header_row=header + 1 + offset, header=rows[header], rows=body,
                        title_block=rows[:header], path=str(path)), notes


def decode_text(data: bytes) -> tuple[str, str]:
    """Return the text of a CSV file and the encoding it was read as.

    A byte order mark decides; otherwise UTF-8 if the bytes are valid UTF-8 (which ASCII is), else
    Windows-1252, what Excel on Windows writes for "CSV (Comma delimited)". Every byte becomes a
    character, so no row is lost: a file whose byte order mark says UTF-8 but whose bytes are not
    (edited in another program after Excel saved it) keeps its UTF-8 characters and reads each
    byte that is not UTF-8 as Windows-1252; UTF-16 cut short or damaged keeps a replacement
    character where the damage is. The encoding returned then says so, for a finding.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            return (data[3:].decode("utf-8", errors=_CP1252_FALLBACK),
                    "UTF-8 with some characters in Windows-1252 (the file says it is UTF-8, but parts are not)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return (data.decode("utf-16", errors="replace"),
                    "UTF-16, with damaged characters shown as \ufffd (the file is cut short or damaged: compare its last "
                    "row with the agency's copy)")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        # Five byte values are unassigned in Windows-1252; Latin-1 keeps every byte as a character.
        return data.decode("latin-1"), "Latin-1"


_PLAIN_ENCODINGS = {"UTF-8", "UTF-16", "Windows-1252"}
_CP1252_FALLBACK = "caseforms-cp1252"


def _cp1252_fallback(e: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as Windows-1252 (Latin-1 for the five it leaves unassigned)."""
    if not isinstance(e, UnicodeDecodeError):
        raise e
    bad = e.object[e.start:e.end]
    return "".join(bytes([b]).decode("cp1252", errors="strict") if b not in _CP1252_UNASSIGNED else chr(b)
                   for b in bad), e.end


_CP1252_UNASSIGNED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def _sniff_delimiter(text: str) -> str:
    """Return the delimiter under which the sample shows the best header row, then the most regular table."""
    sample = text[: 64 * 1024]
    best = ","
    best_key: tuple[int, float] = (-1, -1.0)
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False))[:60]
        except csv.Error:
            continue
        header = find_header_row(rows, HEADER_SEARCH_ROWS)
        score = header_score(rows[header]) if header is not None else 0
        widths = [len(r) for r in rows if len(r) > 1]
        regular = (max(widths.count(w) for w in set(widths)) / len(widths)) if widths else 0.0
        key = (score, regular)
        if key > best_key:
            best, best_key = delimiter, key
    return best


# -- small helpers -------------------------------------------------------------------------------------


def _enum_name(value: Any) -> str:
    """Return the name of one of calamine's enums ("Visible", "WorkSheet"): its str is "SheetVisibleEnum.Visible"."""
    return getattr(value, "name", None) or str(value).rsplit(".", 1)[-1]


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _first_cells(sheet: str | None, rows: Sequence[Sequence[Any]]) -> str:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(c).strip() for c in row if _filled(c)]
        if cells:
            where = f"sheet {sheet}, row {i + 1}" if sheet else f"line {i + 1}"
            shown = " | ".join(c[:30] for c in cells[:4])
            return f"The first filled row ({where}) reads: '{shown}'. "
    return ""


def _sheet_list(names: Sequence[str]) -> str:
    if len(names) == 1:
        return f"sheet {names[0]}"
    return "sheets " + ", ".join(names)


def _delimiter_name(delimiter: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}.get(delimiter, repr(delimiter))


def _cell_name(row: int, col: int) -> str:
    from caseforms.chronology.columns import column_letter

    return f"{column_letter(col)}{row + 1}"


def _code_of(e: Exception) -> str:
    if isinstance(e, WorkbookProtected):
        return "password_protected"
    if isinstance(e, FileTooLarge):
        return "too_large"
    if isinstance(e, WorkbookCorrupt):
        return "unreadable_file"
    return "return_unreadable"
