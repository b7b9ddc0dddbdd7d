"""Write the demo's agency chronology returns the way agencies really send them.

Four kinds of file (see :class:`caseforms.demo.data.AgencyReturn`): the request workbook that
``caseforms chronology request`` made, filled in by the agency (its teams in the Agency/Department
column, its summary on the Agency summary sheet); an export from the agency's own system with a
title block above the table and every date typed as text, in several ways, and its summary as a
Word document beside it; a CSV saved by Excel on Windows (cp1252, curly quotes, a pound sign,
CRLF); and the agency's own workbook with its own headings and a few mistakes the merge flags.

Like the test suite's ``tests/files/returns/make_returns.py``, this stands in for the agencies'
own Excel, so it writes workbooks itself (xlsxwriter, and openpyxl through
:func:`caseforms.io.safe_write.load_for_update` for the request workbook); caseforms itself reads
returns only through :mod:`caseforms.io.returns`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from caseforms.calendar import WorkingCalendar
from caseforms.demo.data import AgencyReturn, Entry, YearMistyped

#: The headings the Police export uses: the Appendix F wording, Time beside the date.
_EXPORT_HEADINGS = ("Date", "Time", "Source of information", "Agency/Department", "Name of subject(s)",
                    "Type of contact", "By whom", "Details of event", "Comments/analysis of outcome")
#: The GP practice's own headings: none of them the template's, all recognised by the merge.
_OWN_HEADINGS = ("Date of contact", "Patient", "Contact type", "Clinician", "Summary", "Outcome/plan")


def entry_moment(entry: Entry, today: date, calendar: WorkingCalendar) -> date | datetime | str | None:
    """Return the entry's date as the agency recorded it: a date, a date and time, text, or None (blank)."""
    when = entry.when
    if when is None:
        return None
    if isinstance(when, str):
        return when.format(year=today.year)
    if isinstance(when, YearMistyped):
        real = when.when.on(today, calendar)
        return real.replace(year=real.year + when.years)
    return when.on(today, calendar)


def _day_and_time(moment: date | datetime | str | None) -> tuple[date | str | None, time | None]:
    if isinstance(moment, datetime):
        return moment.date(), moment.time()
    return moment, None


def write_return(ret: AgencyReturn, folder: Path, *, today: date, calendar: WorkingCalendar, case_ref: str,
                 request_workbook: Path | None = None) -> Path:
    """Write one agency's return into ``folder``; return its path.

    ``case_ref`` is the case the return is for (its title block names it); a request workbook
    return needs the workbook the request pack made for the agency.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = [(entry, entry_moment(entry, today, calendar)) for entry in ret.entries]
    if ret.style == "request workbook":
        if request_workbook is None:
            raise ValueError(f"the {ret.agency} return is the request workbook filled in: give the workbook")
        path = folder / f"{request_workbook.stem} - completed.xlsx"
        _fill_request_workbook(request_workbook, path, ret, rows)
    elif ret.style == "title block":
        path = folder / ret.file
        _title_block_export(path, ret, rows, case_ref)
    elif ret.style == "csv":
        path = folder / ret.file
        _excel_csv(path, ret, rows)
    elif ret.style == "own workbook":
        path = folder / ret.file
        _own_workbook(path, ret, rows)
    else:
        raise ValueError(f"unknown kind of return '{ret.style}'")
    arrived = calendar.add_working_days(today, -ret.received)
    stamp = datetime.combine(arrived, time(11, 30)).timestamp()
    os.utime(path, (stamp, stamp))  # the day it arrived, as `caseforms chronology status` reads it
    if ret.summary and ret.style != "request workbook":
        document = folder / f"{ret.agency} agency summary.docx"
        _summary_document(document, ret, case_ref)
        os.utime(document, (stamp, stamp))
    return path


def summary_document_path(ret: AgencyReturn, folder: Path) -> Path | None:
    """Return where the agency's summary document is written, when it sends one beside its chronology."""
    return folder / f"{ret.agency} agency summary.docx" if ret.summary and ret.style != "request workbook" else None


def _fill_request_workbook(request: Path, target: Path, ret: AgencyReturn,
                           rows: Sequence[tuple[Entry, Any]]) -> None:
    """Fill the request workbook's table the way the agency's officer does, and save it as their return."""
    from caseforms.chronology.columns import COLUMNS
    from caseforms.io.request_pack import CHRONOLOGY_SHEET, HEADER_ROW, SUMMARY_SHEET
    from caseforms.io.safe_write import load_for_update, write_atomically

    wb = load_for_update(request, "chronology request")
    ws = wb[CHRONOLOGY_SHEET]
    ws.cell(row=6, column=2, value=f"{ret.entries[0].by_whom}, {ret.agency}")
    keys = list(COLUMNS)
    for r, (entry, moment) in enumerate(rows, start=HEADER_ROW + 1):
        day, at = _day_and_time(moment)
        values = {"date": day, "time": at, "source": entry.source, "agency": entry.department or ret.agency,
                  "subjects": entry.subjects, "contact_type": entry.contact_type, "by_whom": entry.by_whom,
                  "details": entry.details, "comments": entry.comments}
        for c, key in enumerate(keys, start=1):
            if values[key] not in (None, ""):
                ws.cell(row=r, column=c, value=values[key])
    if ret.summary and SUMMARY_SHEET in wb.sheetnames:
        # The agency answers beside each question; the hidden third column says which question it is.
        answers = dict(ret.summary)
        summary = wb[SUMMARY_SHEET]
        for r in range(1, summary.max_row + 1):
            key = summary.cell(row=r, column=3).value
            if key in answers:
                summary.cell(row=r, column=2, value=answers[key])
    write_atomically(target, wb.save, keep_backup=False)


def _summary_document(path: Path, ret: AgencyReturn, case_ref: str) -> None:
    """Write the agency's summary as its author would in Word: a title, a section per question, who wrote it."""
    from docx import Document

    from caseforms.chronology.summaries import TITLES

    answers = dict(ret.summary)
    doc = Document()
    doc.add_heading(f"Agency involvement summary – {ret.agency}", 0)
    doc.add_paragraph(f"Case reference: {case_ref}")
    for key, title in TITLES.items():
        if key in answers:
            doc.add_heading(title, 2)
            for paragraph in answers[key].split("\n\n"):
                doc.add_paragraph(paragraph)
    if "author" in answers:
        doc.add_paragraph(f"Author: {answers['author']}")
    if "signed_off" in answers:
        doc.add_paragraph(f"Signed off by: {answers['signed_off']}")
    doc.core_properties.author = answers.get("author", ret.agency)
    doc.save(str(path))


def _ordinal(day: int) -> str:
    return f"{day}{'th' if 11 <= day % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def _as_typed(day: date, index: int) -> str:
    """Return a date typed as text, in one of the ways people type them (all day first)."""
    styles = (f"{day:%d/%m/%Y}", f"{_ordinal(day.day)} {day:%B %Y}", f"{day.day} {day:%b %Y}", f"{day.day}.{day.month}.{day:%Y}")
    return styles[index % len(styles)]


def _title_block_export(path: Path, ret: AgencyReturn, rows: Sequence[tuple[Entry, Any]], case_ref: str) -> None:
    """Write an export with a title block above the table and every date and time typed as text."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet(f"{ret.agency[:20]} chronology")
    ws.write_string(0, 0, "Rapid Review – agency chronology", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, f"Case reference: {case_ref}")
    ws.write_string(2, 0, f"Agency: {ret.agency}")
    ws.write_string(3, 0, f"Completed by: {ret.entries[0].by_whom}")
    ws.write_string(4, 0, "OFFICIAL-SENSITIVE")
    header = 6
    ws.write_row(header, 0, _EXPORT_HEADINGS, bold)
    for i, (entry, moment) in enumerate(rows):
        day, at = _day_and_time(moment)
        cells = (_as_typed(day, i) if isinstance(day, date) else (day or ""), f"{at:%H:%M}" if at else "",
                 entry.source, ret.agency, entry.subjects, entry.contact_type, entry.by_whom, entry.details,
                 entry.comments)
        for c, text in enumerate(cells):
            if text:
                ws.write_string(header + 1 + i, c, text, wrap)
    ws.set_column(0, 1, 16)
    ws.set_column(2, 6, 18)
    ws.set_column(7, 8, 50)
    wb.close()


def _excel_csv(path: Path, ret: AgencyReturn, rows: Sequence[tuple[Entry, Any]]) -> None:
    """Write the CSV Excel on Windows saves ("CSV (Comma delimited)"): cp1252 and CRLF."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Date", "Agency", "Type of contact", "By whom", "Details of event", "Comments"])
    for entry, moment in rows:
        day, at = _day_and_time(moment)
        typed = f"{day:%d/%m/%Y}" if isinstance(day, date) else (day or "")
        if at is not None:
            typed += f" {at:%H:%M}"
        writer.writerow([typed, ret.agency, entry.contact_type, entry.by_whom, entry.details, entry.comments])
    path.write_bytes(out.getvalue().encode("cp1252"))


def _own_workbook(path: Path, ret: AgencyReturn, rows: Sequence[tuple[Entry, Any]]) -> None:
    """Write the agency's own workbook: its own headings, real date cells, and text where a date was mistyped."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    date_format = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Chronology")
    ws.write_string(0, 0, f"Agency: {ret.agency}", bold)
    ws.write_row(2, 0, _OWN_HEADINGS, bold)
    for i, (entry, moment) in enumerate(rows, start=3):
        day, _ = _day_and_time(moment)
        if isinstance(day, date):
            ws.write_datetime(i, 0, datetime.combine(day, time()), date_format)
        elif day:
            ws.write_string(i, 0, day)
        for c, text in enumerate((entry.subjects, entry.contact_type, entry.by_whom, entry.details, entry.comments),
                                 start=1):
            if text:
                ws.write_string(i, c, text, wrap)
    ws.set_column(0, 3, 16)
    ws.set_column(4, 5, 48)
    wb.close()


