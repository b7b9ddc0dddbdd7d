"""Make the awkward agency returns under tests/files/returns/ (run once; the files are committed).

Every name, date and event is invented. Each file is named for what is wrong with it. Three need
tools the test suite does not: ``old_format.xls`` and ``libreoffice_format.ods`` are converted by
LibreOffice (``soffice --headless --convert-to``); ``password_protected.xlsx`` is encrypted with
msoffcrypto-tool (password "Example1"), installed only for this script, e.g.
``pip install --no-deps --target /tmp/msoff msoffcrypto-tool olefile``, run by a Python that has
``cryptography`` (Debian's python3-cryptography).

    python tests/files/returns/make_returns.py
    PYTHONPATH=/tmp/msoff /usr/bin/python3 tests/files/returns/make_returns.py password
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
HEADINGS = [
    "Date", "Time", "Source of information", "Agency/Department", "Name of subject(s)", "Type of contact",
    "By whom", "Details of event", "Comments/analysis of outcome",
]


def _workbook(name: str) -> tuple[Any, dict[str, Any]]:
    import xlsxwriter

    wb = xlsxwriter.Workbook(HERE / name)
    formats = {
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "time": wb.add_format({"num_format": "hh:mm"}),
        "bold": wb.add_format({"bold": True}),
    }
    return wb, formats


def title_block_above_table() -> None:
    """Police return: a five-row title block, real date and time cells, text that looks like formulas."""
    wb, f = _workbook("title_block_above_table.xlsx")
    ws = wb.add_worksheet("Police chronology")
    ws.write_string(0, 0, "Rapid Review – Agency Chronology", f["bold"])
    ws.write_string(1, 0, "Case reference:")
    ws.write_string(1, 1, "KSCMP-2025-003")
    ws.write_string(2, 0, "Agency:")
    ws.write_string(2, 1, "Kent Police")
    ws.write_string(3, 0, "Completed by: DS Alex Example, Public Protection Unit")
    ws.write_row(5, 0, HEADINGS, f["bold"])
    rows = [
        (date(2025, 1, 14), time(22, 40), "Niche RMS", "Response", "Sam Brook; Tyler Brook (child)", "999 call",
         "PC R. Example", "Neighbour reported shouting at the address. Officers attended; Tyler seen asleep.",
         "Domestic abuse risk assessment (DASH) completed: standard."),
        (date(2025, 2, 3), time(10, 0), "Niche RMS", "Public Protection Unit", "Tyler Brook", "Strategy discussion",
         "DS Alex Example", "Strategy discussion with children's social care and health about Tyler's bruising.",
         "=Section 47 enquiry agreed"),
        (date(2025, 2, 3), None, "PNC", "Public Protection Unit", "Lee Brook (father)", "Records check",
         "DS Alex Example", "+44 7700 900123 recorded as father's mobile number.", "-check with probation"),
        (date(2024, 11, 2), None, "Niche RMS", "Response", "Sam Brook", "Incident",
         "PC R. Example", "@home: verbal argument reported by Sam. No offences disclosed.", ""),
    ]
    for i, row in enumerate(rows, start=6):
        ws.write_datetime(i, 0, datetime.combine(row[0], time()), f["date"])
        if row[1] is not None:
            ws.write_datetime(i, 1, datetime.combine(date(1899, 12, 31), row[1]), f["time"])
        for c, text in enumerate(row[2:], start=2):
            if text:
                ws.write_string(i, c, text)
    wb.close()


def dates_as_text_uk_order() -> None:
    """Children's social care return: every date typed as text, day first, in many ways; two are impossible."""
    wb, f = _workbook("dates_as_text_uk_order.xlsx")
    ws = wb.add_worksheet("Chronology")
    ws.write_row(0, 0, ["Date", "Organisation", "Name of subject(s)", "Type of contact", "By whom",
                        "Details of event", "Comments"], f["bold"])
    rows = [
        ("03/02/2025", "Children's Social Care", "Tyler Brook", "Strategy discussion", "Jo Example (SW)",
         "Strategy discussion with police and health about bruising to Tyler's arm.", "S47 agreed."),
        ("3rd February 2025", "Children's Social Care", "Sam Brook", "Phone call", "Jo Example (SW)",
         "Phoned Sam to explain the section 47 enquiry.", ""),
        ("12/2/25", "Children's Social Care", "Tyler Brook", "Home visit", "Jo Example (SW)",
         "Home visit: Tyler seen alone in his bedroom.", ""),
        ("Feb 2025", "Children's Social Care", "Brook family", "Case note", "Team manager",
         "Family moved to the area (month only known).", ""),
        ("31/02/2025", "Children's Social Care", "Tyler Brook", "Case note", "Jo Example (SW)",
         "Supervision: case discussed.", "Date typed wrongly by the agency."),
        ("02/13/2025", "Children's Social Care", "Tyler Brook", "Email", "Jo Example (SW)",
         "Email from school about attendance.", "Written month first."),
        ("", "Children's Social Care", "Lee Brook", "Case note", "Jo Example (SW)",
         "Father's address confirmed by probation.", "No date recorded."),
        ("2019", "Children's Social Care", "Sam Brook", "Referral", "MASH",
         "Earlier referral about Sam as a child (background).", ""),
    ]
    for i, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if text:
                ws.write_string(i, c, text)
    wb.close()


def headings_moved_and_renamed() -> None:
    """Health return: an instructions sheet first, headings renamed and reordered, extra columns, header on row 3."""
    wb, f = _workbook("headings_moved_and_renamed.xlsx")
    ins = wb.add_worksheet("Instructions")
    ins.write_string(0, 0, "How to complete this chronology")
    ins.write_string(1, 0, "Enter one event per row: the date, the type of contact, who saw the family and details.")
    ins.write_string(2, 0, "Return it to the Business Unit by 9am on the deadline.")
    ws = wb.add_worksheet("Health")
    ws.write_string(0, 0, "Agency: Health (ICB)")
    ws.write_row(2, 0, ["What happened", "Practitioner", "Event date", "Contact type", "Date of birth",
                        "Notes for panel"], f["bold"])
    rows = [
        ("Health visitor new birth visit. Tyler weighed and measured.", "HV Pat Example", date(2024, 3, 10),
         "Home visit", date(2024, 2, 20), ""),
        ("Strategy discussion about bruising to Tyler's arm, joined by phone.", "Named nurse",
         date(2025, 2, 3), "Strategy discussion", None, "Health attended"),
        ("GP appointment: Sam reported low mood.", "GP Dr Example", date(2025, 1, 20), "Appointment", None, ""),
    ]
    for i, row in enumerate(rows, start=3):
        ws.write_string(i, 0, str(row[0]))
        ws.write_string(i, 1, str(row[1]))
        ws.write_datetime(i, 2, datetime.combine(row[2], time()), f["date"])  # type: ignore[arg-type]
        ws.write_string(i, 3, str(row[3]))
        if row[4] is not None:
            ws.write_datetime(i, 4, datetime.combine(row[4], time()), f["date"])  # type: ignore[arg-type]
        if row[5]:
            ws.write_string(i, 5, str(row[5]))
    wb.close()


def another_case_reference() -> None:
    """A return for another child: its title block names case KSCMP-2024-017."""
    wb, f = _workbook("another_case_reference.xlsx")
    ws = wb.add_worksheet("Chronology")
    ws.write_string(0, 0, "Case reference: KSCMP-2024-017")
    ws.write_string(1, 0, "Agency: Education (Example Primary School)")
    ws.write_row(3, 0, HEADINGS, f["bold"])
    ws.write_string(4, 0, "05/09/2024")
    ws.write_string(4, 7, "Child B started in Year 2. Another child entirely.")
    wb.close()


def no_recognisable_header() -> None:
    """A table without headings: the dates and events start on row 1."""
    wb, _ = _workbook("no_recognisable_header.xlsx")
    ws = wb.add_worksheet("Sheet1")
    ws.write_string(0, 0, "03/02/2025")
    ws.write_string(0, 1, "Visited the family")
    ws.write_string(1, 0, "04/02/2025")
    ws.write_string(1, 1, "Phoned mother")
    wb.close()


def empty_workbook() -> None:
    """A workbook with no cells at all (the agency saved the blank file)."""
    wb, _ = _workbook("empty_workbook.xlsx")
    wb.add_worksheet("Sheet1")
    wb.close()


def corrupt_zip() -> None:
    """An .xlsx cut short in the post: the first 1,500 bytes of a real one."""
    source = HERE / "title_block_above_table.xlsx"
    (HERE / "corrupt_zip.xlsx").write_bytes(source.read_bytes()[:1500])


def csv_cp1252_from_excel() -> None:
    """Excel on Windows "CSV (Comma delimited)": cp1252, pound sign, en dash, curly quotes, CRLF."""
    text = (
        "Date,Agency,Type of contact,By whom,Details of event,Comments\r\n"
        "04/02/2025,Housing,Visit,Housing officer,\u201cRent arrears of \u00a3450\u201d \u2013 tenancy warning letter,"
        "\u201cSam said she couldn\u2019t cope\u201d\r\n"
        "3 Feb 2025,Housing,Strategy discussion,Housing manager,\"Invited to strategy discussion, did not attend\",\r\n"
        "14/01/2025 09:15,Housing,Phone call,Housing officer,=Neighbour complaint about noise,Caf\u00e9 owner called\r\n"
    )
    (HERE / "csv_cp1252_from_excel.csv").write_bytes(text.encode("cp1252"))


def csv_utf8_bom_semicolons() -> None:
    """UTF-8 with a byte order mark, semicolons between cells, a cell over two lines, Welsh and Polish names."""
    text = (
        "\ufeffDate;Time;Agency/Department;Details of event;Comments/analysis of outcome\r\n"
        "2025-02-05;14:30;Probation;\"Lee Brook attended supervision.\nDiscussed contact with Tyler.\";Risk reviewed\r\n"
        "2025-02-06;;Probation;Home visit to Lee at the address of Siôn Łukasz Example;\r\n"
    )
    (HERE / "csv_utf8_bom_semicolons.csv").write_bytes(text.encode("utf-8"))


def converted_by_libreoffice() -> None:
    """old_format.xls and libreoffice_format.ods: LibreOffice conversions of a plain return."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: old_format.xls and libreoffice_format.ods not made", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, target in (("old_format", "xls"), ("libreoffice_format", "ods")):
            import xlsxwriter

            source = Path(tmp) / f"{name}.xlsx"
            wb = xlsxwriter.Workbook(source)
            ws = wb.add_worksheet("School")
            datef = wb.add_format({"num_format": "dd/mm/yyyy"})
            ws.write_row(0, 0, ["Date", "Agency", "Type of contact", "Details of event"])
            ws.write_datetime(1, 0, datetime(2025, 1, 27), datef)
            ws.write_string(1, 1, "Example Primary School")
            ws.write_string(1, 2, "Attendance")
            ws.write_string(1, 3, f"Tyler absent all week ({target}).")
            ws.write_string(2, 0, "10/02/2025")
            ws.write_string(2, 1, "Example Primary School")
            ws.write_string(2, 2, "Meeting")
            ws.write_string(2, 3, "=Teacher noticed Tyler was withdrawn")
            wb.close()
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", target,
                 "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=120,
            )
            shutil.copy(Path(tmp) / f"{name}.{target}", HERE / f"{name}.{target}")


def password_protected() -> None:
    """The title-block return encrypted with a password (an OLE container, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]

    plain = io.BytesIO((HERE / "title_block_above_table.xlsx").read_bytes())
    with (HERE / "password_protected.xlsx").open("wb") as out:
        OOXMLFile(plain).encrypt("Example1", out)


if __name__ == "__main__" and sys.argv[1:] == ["password"]:
    password_protected()
elif __name__ == "__main__":
    title_block_above_table()
    dates_as_text_uk_order()
    headings_moved_and_renamed()
    another_case_reference()
    no_recognisable_header()
    empty_workbook()
    corrupt_zip()
    csv_cp1252_from_excel()
    csv_utf8_bom_semicolons()
    converted_by_libreoffice()
