"""Make the awkward agency returns under tests/files/returns/ (run once; the files are committed).

Every name, date and event is invented. Each file is named for what is wrong with it. Three need
tools the test suite does not: ``old_format.xls`` and ``libreoffice_format.ods`` are converted by
LibreOffice (``soffice --headless --convert-to``); ``password_protected.xlsx`` is encrypted with
msoffcrypto-tool (password "Example1"), installed only for this script, e.g.
``pip install --no-deps --target /tmp/msoff msoffcrypto-tool olefile``, run by a Python that has
``cryptography`` (Debian's python3-cryptography).

    python tests/files/returns/make_returns.py
    PYTHONPATH=/tmp/msoff /usr/bin/python3 tests/files/returns/make_returns.py password

The nine files of case TEST-2026-031 (from ``request_workbook_renamed_by_agency`` on) are in a
folder of their own, ``TEST-2026-031/``: one child's returns folder, as seven agencies sent it.
``EXPECTED`` says what each holds (its agency, entries, bad dates...) for the tests to assert on.
The request workbook among them is built by the caseforms installed when this runs: make it again
after the request workbook changes.

    python tests/files/returns/make_returns.py case031      # the nine files (or name one function)
    python tests/files/returns/make_returns.py check        # open them back, compare with EXPECTED

A test reads ``EXPECTED`` by importing this file (it imports no more than the standard library
until a function runs)::

    spec = importlib.util.spec_from_file_location("make_returns", FILES / "make_returns.py")
    make_returns = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_returns)
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

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


# -- Case TEST-2026-031: the returns folder of one Rapid Review, file by file ----------------------------
#
# Tyler Marsh (born 12/05/2024, NHS number 999 000 0018) was admitted to Salterby General Hospital on
# 24/03/2026 with a spiral fracture of the left femur; his mother Kerry Marsh and her partner Dean Holt
# said he fell from the sofa. His sister Zoë (8) attends Priory Academy. Scope 01/01/2025 to 31/03/2026;
# the merge runs on 15/04/2026. Every name, place and event is invented.
#
#     python tests/files/returns/make_returns.py case031        # make the nine files again
#     python tests/files/returns/make_returns.py request_workbook_renamed_by_agency   # one of them
#     python tests/files/returns/make_returns.py check          # open them back and check EXPECTED

CASE_REF = "TEST-2026-031"
#: The case's returns folder: its own, as caseforms keeps one per case (cases/<reference>/returns), so the
#: awkward files above still make a folder of their own for case KSCMP-2025-003.
CASE_FOLDER = HERE / CASE_REF
CHILD, CHILD_BORN, CHILD_NHS_NUMBER = "Tyler Marsh", date(2024, 5, 12), "999 000 0018"
MOTHER, PARTNER, SISTER, GRANDMOTHER = "Kerry Marsh", "Dean Holt", "Zoë Marsh", "Pauline Marsh"
PEOPLE = (CHILD, MOTHER, PARTNER, SISTER)
SCOPE_FROM, SCOPE_TO = date(2025, 1, 1), date(2026, 3, 31)
#: The day the merge is run.
TODAY = date(2026, 4, 15)
#: The partnership's Agencies directory (the register's Agencies sheet): name -> other names it goes by.
AGENCIES: dict[str, tuple[str, ...]] = {
    "Children's Social Care": (),
    "Police": (),
    "Priory Academy": (),
    "Riverside Surgery": ("GP practice",),
    "Health visiting": (),
    "Mental health (CAMHS)": (),
    "Housing": (),
}
#: The files' creation date: the xlsxwriter workbooks made again are then the same bytes when nothing changed.
_CREATED = datetime(2026, 4, 2, 9, 0)


class Expected(NamedTuple):
    """What one file of case TEST-2026-031 holds, for the tests to assert on; ``check`` proves it against the file.

    Rows are the rows Excel shows (1-based; for a CSV, the record: a cell over two lines is one
    row). Sheet "" is a CSV's only table.
    """

    #: The name the agency saved it under: the tests copy the file to a returns folder so.
    sent_as: str
    #: The directory agency caseforms must name; None when the file does not say and must not be guessed.
    agency: str | None
    #: The agency it is in fact from: what the officer says in the Returns log when caseforms cannot tell.
    really_from: str
    #: Chronology entries (rows with anything in them below the headings), all sheets together.
    entries: int
    #: Sheet -> the row of its headings, for each sheet that holds entries.
    header_rows: Mapping[str, int]
    #: Sheets that hold no entries and are not read (instructions, lists, caseforms' own).
    sheets_skipped: tuple[str, ...] = ()
    #: Values of the Agency/Department or team column: departments of the agency, never agencies.
    departments: frozenset[str] = frozenset()
    #: Headings that map to no master column: their values must still reach the papers.
    unmapped: tuple[str, ...] = ()
    #: (sheet, row) -> (the date as written, what is wrong with it).
    bad_dates: Mapping[tuple[str, int], tuple[str, str]] = MappingProxyType({})
    #: (sheet, row) -> the date of an entry before the scope period (background).
    before_scope: Mapping[tuple[str, int], date] = MappingProxyType({})
    #: The directory agencies the file's only clue fits.
    candidates: tuple[str, ...] = ()
    #: Text the agency wrote that must reach the Word master chronology (or the summaries paper).
    phrases: tuple[str, ...] = ()


# -- 1. Children's Social Care: caseforms' request workbook, filled in and saved under another name ----

_CSC_CONTACT_TYPES = ["Referral", "Telephone call", "Home visit", "Office visit", "Case note", "Assessment",
                      "Strategy discussion", "Child in Need meeting", "Supervision"]
#: (date, time, source, team, subjects, type of contact, by whom, details, comments).
_CSC_ENTRIES: tuple[tuple[Any, ...], ...] = (
    (date(2025, 6, 12), time(9, 40), "LCS case record", "Front Door", "Tyler Marsh; Kerry Marsh; Dean Holt", "Referral",
     "Amy Clarke, Contact Officer",
     "Police notification (PPN) received: verbal argument between Kerry & Dean at 14 Larch Close, Salterby, on "
     "10/06/2025. Tyler (13 months) asleep upstairs – officers saw him.",
     "Threshold for a MASH enquiry met. Checks requested from health, school & police."),
    (date(2025, 6, 13), time(15, 5), "LCS case record", "Front Door", "Tyler Marsh; Kerry Marsh", "Telephone call",
     "Sunita Rao, MASH Social Worker",
     "Checks back:\nGP – Kerry treated for low mood since January.\nHV – Tyler last seen 20/05/2025, developing "
     "well.\nSchool – Zoë's attendance < 90%.",
     "Kerry agreed by phone to an Early Help assessment. Stepped down to Early Help; no further CSC action."),
    (date(2025, 10, 2), time(11, 20), "LCS case record", "Front Door", "Zoë Marsh; Dean Holt", "Referral",
     "Amy Clarke, Contact Officer",
     "Referral from Priory Academy (Owen Price, DSL): Zoë said Dean 'threw a cup at Mummy' & she was scared.",
     "Decision by Rachel O'Neill (Team Manager): Child & Family assessment, allocated to the Assessment Team."),
    (date(2025, 10, 6), time(14, 0), "LCS case record", "Assessment Team", "Tyler Marsh; Zoë Marsh; Kerry Marsh",
     "Home visit", "Tom Bradley, Social Worker",
     "Joint visit with HV Siobhan Kerr. Tyler & Zoë seen; Zoë seen alone in her bedroom. Home warm & clean, food "
     "in the cupboards. Kerry said Dean 'has moved out – it's over'.",
     "Kerry's account accepted at this stage. Dean to be seen as part of the assessment."),
    (date(2025, 10, 28), None, "LCS case record", "Assessment Team", "Dean Holt; Kerry Marsh", "Case note",
     "Tom Bradley, Social Worker",
     "Neighbour told Tom Bradley that Dean's van is parked outside 'most nights'. Kerry denied Dean was staying.",
     "Discussed in supervision with Rachel O'Neill: Dean to be included in the assessment."),
    (date(2025, 11, 17), None, "LCS case record", "Assessment Team", "Tyler Marsh; Zoë Marsh", "Assessment",
     "Tom Bradley, Social Worker",
     "Child & Family assessment completed. Needs: Kerry's mental health; rent arrears of £1,240; Dean's drinking. "
     "Dean not seen – 2 appointments missed.",
     "Outcome: Child in Need plan. Referral to Housing about the arrears."),
    (date(2026, 3, 25), time(8, 30), "LCS case record", "Front Door", "Tyler Marsh; Zoë Marsh; Kerry Marsh; Dean Holt",
     "Strategy discussion", "Rachel O'Neill, Team Manager",
     "Strategy discussion with Police (DS Jo Example), Salterby General Hospital (Dr Élodie Fairbanks, consultant "
     "paediatrician) & the Named Nurse (Pam Reid). Tyler admitted 24/03/2026 with a spiral fracture of the left "
     "femur; the explanation – a fall from the sofa – is not consistent with the injury.",
     "Section 47 enquiries for Tyler & Zoë. Both children to stay with their maternal grandmother, Pauline Marsh, "
     "under a safety plan."),
)
CSC_COMPLETED_BY = "Rachel O'Neill, Team Manager (Front Door)"
#: Answers by topic; each answer cell gets the answer of the topic its question names first (see ``summary_topic``).
CSC_SUMMARY_ANSWERS: dict[str, str] = {
    "involvement": (
        "Children's Social Care was involved three times in the scope period.\n\n"
        "June 2025: a police notification to the Front Door. Checks were made and the family were stepped down to "
        "Early Help with Kerry's consent.\n\n"
        "October–November 2025: a referral from Priory Academy led to a Child & Family assessment and a Child in "
        "Need plan (from 17/11/2025), Tom Bradley as social worker.\n\n"
        "March 2026: a strategy discussion and section 47 enquiries after Tyler's injury."
    ),
    "history": "Kerry was known to us as a child (child in need, 2009–2011). No involvement with Tyler, Zoë or Dean "
               "Holt before June 2025.",
    "analysis": "The assessment relied on Kerry's account that Dean had moved out. Police intelligence and a "
                "neighbour said otherwise, but Dean was never seen: his drinking and his part in caring for Tyler "
                "were not assessed.\n\nStepping down in June 2025 was in line with procedures at the time, but it "
                "did not weigh Tyler's age.",
    "lived": "Tyler was a toddler, not yet talking, cared for mostly at home by Kerry and – we now think – by Dean. "
             "Zoë told school she was scared when the adults argued.\n\nWe saw little of Tyler's day: our visits "
             "were announced, and on 20/02/2026 he was asleep.",
    "identity": "Tyler and Zoë are White British. Kerry is a young mother (24) with a history of low mood. Dean's "
                "ethnicity is not recorded. No other protected characteristics recorded.",
    "worked_well": "The Front Door checks in June 2025 were quick (within 24 hours) and brought in GP, health "
                   "visiting & school information. The school's referral in October 2025 was clear and detailed.",
    "worried": "We are worried that Dean's presence in the home was not known to every agency, that the Child in "
               "Need plan did not include him, and that the bruise school saw on 24/02/2026 was not shared with us.",
    "current": "Tyler is still in hospital; on discharge he and Zoë will stay with their grandmother, Pauline Marsh, "
               "under a safety plan. Dean Holt is on police bail not to contact the children. Initial child "
               "protection conference booked for 16/04/2026.",
    "learning": "Fathers and male partners must be seen and assessed, not only named.\n\nAnnounced visits alone do "
                "not show what a child's day is like: a non-verbal child must be seen awake, at different times.",
    "actions": "1. Every Child in Need plan to name every adult in the household – owner: Head of Service, by "
               "30/06/2026.\n2. Dip sample of Front Door step-downs involving domestic abuse – owner: Rachel O'Neill, "
               "by 31/05/2026.",
    "author": "Rachel O'Neill, Team Manager, Front Door",
    "sign_off": "Helen Fairweather, Head of Service – Safeguarding & Quality Assurance, 14/04/2026",
    "date": "14/04/2026",
    "other": "Nothing to add beyond the chronology and the answers above.",
}
#: Topic -> words that name it in a question; a question's topic is the one named earliest in it.
_SUMMARY_TOPICS: dict[str, tuple[str, ...]] = {
    "involvement": ("involvement", "services", "receive", "contact with"),
    "history": ("history", "before the scope", "context"),
    "analysis": ("analysis", "analyse", "analyze"),
    "lived": ("lived experience", "daily life", "day-to-day", "voice of the child"),
    "identity": ("identity", "protected characteristic", "ethnicity", "culture", "diversity"),
    "worked_well": ("worked well", "good practice", "went well"),
    "worried": ("worried", "worry", "worries"),
    "current": ("current", "now in place", "arrangements"),
    "learning": ("learning", "lesson"),
    "actions": ("action",),
    "author": ("author", "completed by", "your name", "written by"),
    "sign_off": ("signed off", "sign-off", "sign off", "approved by", "signed"),
    "date": ("date",),
}


def summary_topic(question: str) -> str:
    """Return the topic of an Agency summary question: the topic whose words come first in it, else "other"."""
    text = question.casefold()
    found = [(text.find(word), topic) for topic, words in _SUMMARY_TOPICS.items() for word in words if word in text]
    return min(found)[1] if found else "other"


def _csc_request() -> Any:
    from caseforms.chronology.request import AgencyRequest

    return AgencyRequest(
        case_ref=CASE_REF, agency="Children's Social Care", involvement="Front Door; Child & Family assessment; "
        "Child in Need plan", contact_name="Helen Fairweather", contact_title="Head of Service – Safeguarding & QA",
        email="csc.safeguarding@salterby.example", deputy_email="", phone="01632 960 455",
        scope_from=SCOPE_FROM, scope_to=SCOPE_TO, due=datetime(2026, 4, 8, 9, 0), requested_on=date(2026, 3, 27),
        people=list(PEOPLE), contact_types=list(_CSC_CONTACT_TYPES), summary_asked=True,
        partnership="Salterby Safeguarding Children Partnership", officer="Megan Hart, Business Officer",
    )


def request_workbook_renamed_by_agency() -> None:
    """Children's Social Care: caseforms' request workbook, filled in, saved by the agency as "CS chronology Tyler M.xlsx".

    Built by the caseforms installed when this runs (``AgencyRequest`` + ``build_request_workbook``,
    summary asked), then filled the way the agency's officer does in Excel (openpyxl through
    ``load_for_update``): "Completed by" typed, team names ("Front Door", "Assessment Team") in
    Agency/Department, and every yellow answer cell of the Agency summary sheet answered
    (``CSC_SUMMARY_ANSWERS``, several paragraphs with Alt+Enter line breaks). Run it again after the
    summary questions change. caseforms must take the agency from the hidden identification, never
    from the file name (which carries part of the child's name), and keep the teams as departments.
    """
    from caseforms.chronology.columns import COLUMNS
    from caseforms.io.request_pack import build_request_workbook
    from caseforms.io.safe_write import load_for_update

    target = CASE_FOLDER / "request_workbook_renamed_by_agency.xlsx"
    CASE_FOLDER.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "TEST-2026-031 chronology request - Children's Social Care.xlsx"
        build_request_workbook(_csc_request()).save(blank)
        wb = load_for_update(blank, "chronology request")
    sheets = {ws.title: ws for ws in wb.worksheets}
    ws = next(s for s in wb.worksheets if _heading_row(s, COLUMNS) is not None)
    header = _heading_row(ws, COLUMNS)
    assert header is not None
    label = next(c for row in ws.iter_rows(max_row=header) for c in row
                 if isinstance(c.value, str) and c.value.casefold().startswith("completed by"))
    ws.cell(row=label.row, column=label.column + 1, value=CSC_COMPLETED_BY)
    where = {heading: key for key, heading in COLUMNS.items()}
    columns = {where[str(c.value)]: c.column for c in ws[header] if str(c.value) in where}
    keys = ("date", "time", "source", "agency", "subjects", "contact_type", "by_whom", "details", "comments")
    for r, entry in enumerate(_CSC_ENTRIES, start=header + 1):
        lines = [1]
        for key, value in zip(keys, entry, strict=True):
            if value is not None:
                cell = ws.cell(row=r, column=columns[key], value=value)
                lines.append(_lines(value, ws.column_dimensions[cell.column_letter].width or 8.43))
        ws.row_dimensions[r].height = 15 * max(lines)  # as Excel grows a row while the officer types
    summary = sheets.get("Agency summary")
    if summary is None:
        print("request_workbook_renamed_by_agency: no 'Agency summary' sheet in the request workbook", file=sys.stderr)
    else:
        for cell, question in _answer_cells(summary):
            cell.value = CSC_SUMMARY_ANSWERS[summary_topic(question)]
    wb.properties.lastModifiedBy = "Rachel O'Neill"
    wb.save(target)


def _heading_row(ws: Any, columns: dict[str, str]) -> int | None:
    """Return the row holding the request workbook's headings (Date ... Details of event), or None."""
    for row in ws.iter_rows(max_row=40):
        texts = {str(c.value) for c in row if c.value is not None}
        if {columns["date"], columns["details"]} <= texts:
            return int(row[0].row)
    return None


def _answer_cells(ws: Any) -> list[tuple[Any, str]]:
    """Return each empty answer cell of an Agency summary sheet (unlocked or yellow) and the question beside or above it."""
    found = []
    for row in ws.iter_rows():
        for cell in row:
            if not hasattr(cell, "column_letter"):  # a merged cell's hidden part
                continue
            fill = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type == "solid" else None
            if cell.value not in (None, "") or not (cell.protection.locked is False or str(fill).endswith("FFF2CC")):
                continue
            left = [ws.cell(row=cell.row, column=c).value for c in range(cell.column - 1, 0, -1)]
            question = next((v for v in left if isinstance(v, str) and v.strip()), None)
            if question is None and cell.row > 1:
                above = ws.cell(row=cell.row - 1, column=cell.column).value
                question = above if isinstance(above, str) and above.strip() else None
            if question is not None:
                found.append((cell, question))
    return found


# -- 2. Police: a Niche export with its own title block and headings ------------------------------------

_POLICE_HEADINGS = ("Occurrence date", "Occurrence time", "Occurrence number", "Occurrence type", "Officer",
                    "Subject(s)", "Details", "Action taken")
_POLICE_ROWS: tuple[tuple[str, ...], ...] = (
    ("10/06/2025", "23:15", "LN-2025-0412", "Domestic incident – verbal", "PC 2231 Liam Foster",
     "Kerry MARSH; Dean HOLT; Tyler MARSH (child)",
     "999 call from Kerry: partner Dean shouting & 'won't leave'. On arrival Dean had left. Kerry tearful, no "
     "injuries. Tyler (1) asleep in his cot, seen by officers.",
     "DASH completed – standard risk. PPN to CSC Front Door. Operation Encompass notice to Priory Academy."),
    ("11th June 2025", "", "LN-2025-0412", "Suspect spoken to", "PC 2231 Liam Foster", "Dean HOLT",
     "Dean located at his mother's address, 3 Sedge Row, Salterby. Said it was 'just an argument'; admitted drinking "
     "(< 4 cans).", "No offences disclosed. Words of advice given."),
    ("4 Sep 2025", "0140hrs", "LN-2025-1187", "Concern for welfare", "PC 1987 Anna Kowalczyk",
     "Tyler MARSH; Kerry MARSH; Dean HOLT",
     "Neighbour reported a child crying for over an hour & banging. Kerry said Tyler was teething. Tyler seen awake; "
     "no marks seen. Dean present, in the kitchen.", "No further action. Not shared with CSC."),
    ("21.10.2025", "", "LN-2025-1402", "Intelligence report", "DC Priya Shah", "Dean HOLT",
     "Intel: Dean HOLT believed to be living at 14 Larch Close, Salterby, despite telling partners he has moved out.",
     "Shared with the CSC Assessment Team (Tom Bradley, SW) by secure e-mail."),
    ("Fri 14 Nov 2025", "19:05", "LN-2025-1533", "Road traffic – drink drive", "PC 2231 Liam Foster", "Dean HOLT",
     "Dean stopped driving a white Transit van on the A158; breath 61 µg (limit 35).",
     "Charged. Licence disqualified at court."),
    ("3rd January 2026", "2355", "LN-2026-0009", "Domestic incident – verbal", "PC 1987 Anna Kowalczyk",
     "Kerry MARSH; Dean HOLT",
     "EDT social worker reported Dean drunk at Kerry's door. Officers attended: Dean had gone. Kerry declined to "
     "give a statement.", "DASH – medium risk. Referral to the IDVA service declined by Kerry."),
    ("25/03/2026", "08:30", "LN-2026-0366", "Child protection – strategy discussion", "DS Jo Example",
     "Tyler MARSH; Kerry MARSH; Dean HOLT",
     "Strategy discussion with CSC & Salterby General Hospital: Tyler (22 months) admitted 24/03 with a spiral "
     "fracture of the left femur. Explanation (fall from sofa) not consistent per the paediatrician.",
     "Joint section 47 investigation. Operation Alder opened."),
    ("26-Mar-2026", "14:10", "LN-2026-0366", "Arrest", "DC Priya Shah", "Dean HOLT",
     "Dean HOLT arrested on suspicion of GBH (s.18 OAPA 1861) & interviewed under caution: no comment.",
     "Released on bail: not to contact Tyler or Zoë MARSH, not to attend 14 Larch Close."),
    ("27th March 2026", "", "LN-2026-0366", "Witness interview", "DC Priya Shah", "Kerry MARSH",
     "Kerry interviewed as a witness. Said she was in the bath when Tyler 'fell'; Dean was looking after him.",
     "Statement taken. Enquiries continue."),
)


def police_export_title_block_reworded_headings() -> None:
    """Police: a Niche export sent as "Police return (Niche).xlsx", a title block naming only "Lincolnshire Police".

    The headings are the police system's own, in its own order ("Occurrence date" ... "Action
    taken"); "Occurrence number" maps to no master column and must still reach the papers. Every
    date and time is typed as text, in several English ways. No cell says "Police" as the
    directory does: caseforms must match the directory's "Police" from "Lincolnshire Police".
    """
    wb = _case_workbook("police_export_title_block_reworded_headings.xlsx", "Lincolnshire Police")
    bold, wrap, head = _formats(wb)
    ws = wb.add_worksheet("Report")
    ws.write_string(0, 0, "Lincolnshire Police – Public Protection Unit", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, f"Chronology export for partnership review {CASE_REF}", bold)
    ws.write_string(2, 0, "Force: Lincolnshire Police")
    ws.write_string(3, 0, "Produced by: Karen Whitlock, PPU Researcher, 02/04/2026 10:14")
    ws.write_string(4, 0, "OFFICIAL-SENSITIVE – not to be shared outside the review")
    ws.write_row(6, 0, _POLICE_HEADINGS, head)
    for r, row in enumerate(_POLICE_ROWS, start=7):
        for c, text in enumerate(row):
            if text:
                ws.write_string(r, c, text, wrap)
    _fit(ws, (16, 10, 14, 20, 20, 24, 48, 40), 7, _POLICE_ROWS)
    ws.freeze_panes(7, 0)
    wb.close()


# -- 3. Health visiting: a CSV saved by Excel on Windows, a title line above the headings ------------------

_HV_ROWS: tuple[tuple[str, ...], ...] = (
    ("02/07/2024", "6–8 week review", "Siobhan Kerr, Health Visitor",
     "Tyler thriving, weight on the 50th centile. Lives with Kerry & Zoë; Kerry said Zoë's dad is 'not involved'.",
     "Universal service. EPDS 9."),
    ("20/01/2025", "Home visit", "Siobhan Kerr, Health Visitor",
     "Kerry tearful; said she felt \u201clow and on my own\u201d. EPDS 14. Partner Dean Holt visits at weekends.",
     "Advised to see her GP \u2013 task sent to Riverside Surgery. Universal plus."),
    ("20/05/2025", "9–12 month review", "Kirsty Adams, Community Nursery Nurse",
     "Tyler pulling to stand, babbling. Weight on the 25th centile. Kerry brighter, taking sertraline.", "Universal plus."),
    ("13/06/2025", "Information sharing", "Siobhan Kerr, Health Visitor",
     "MASH request: HV records shared with the Front Door (Sunita Rao).", ""),
    ("06/10/2025", "Joint home visit", "Siobhan Kerr, Health Visitor",
     "Joint visit with Tom Bradley (SW).\nKerry said money is tight \u2013 owes \u00a31,240 rent; food bank voucher given.",
     "Kerry: \u201cDean doesn\u2019t live here any more.\u201d"),
    ("02/12/2025", "Did not attend", "Health Visiting admin", "Clinic weight check for Tyler not attended.",
     "Letter sent to Kerry; rebooked for 13/01/2026."),
    ("13/01/2026", "Home visit", "Siobhan Kerr, Health Visitor",
     "Curtains drawn; no reply at 10:00 & 14:30. Card left.", "Discussed with Tom Bradley (SW) by phone."),
    ("25/03/2026", "Strategy discussion", "Pam Reid, Named Nurse for Safeguarding Children",
     "Joined the strategy discussion by Teams about Tyler's fractured femur.",
     "HV records secured; Tyler's 2-year review cancelled."),
)


def csv_title_line_above_header() -> None:
    """Health visiting: Excel's "CSV (Comma delimited)" with a title line and a blank line above the headings.

    cp1252, CRLF, curly quotes, an en dash and a pound sign; one cell over two lines (Alt+Enter,
    saved as LF inside quotes). Excel pads every row to the table's width, so the title line ends
    ",,,," and the blank line is ",,,,". No agency column: the title line names "Health Visiting
    Service". The first entry (02/07/2024) is before the scope.
    """
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"Health Visiting Service – chronology for {CASE_REF}", "", "", "", ""])
    writer.writerow(["", "", "", "", ""])
    writer.writerow(["Date", "Contact type", "Practitioner", "Details", "Comments"])
    writer.writerows(_HV_ROWS)
    CASE_FOLDER.mkdir(exist_ok=True)
    (CASE_FOLDER / "csv_title_line_above_header.csv").write_bytes(out.getvalue().encode("cp1252"))


# -- 4. Priory Academy: the school's own workbook, one sheet per school year ----------------------------

_SCHOOL_HEADINGS = ("Date", "Agency/Department", "Pupil", "Type of contact", "Staff member", "Details", "Outcome")
_SCHOOL_YEARS: dict[str, tuple[tuple[Any, ...], ...]] = {
    "2024-25": (
        (date(2024, 11, 4), "Pastoral", "Zoë Marsh", "Attendance", "Mrs Dawn Fletcher, Pastoral Lead",
         "Attendance 88% for the first half-term; late 9 times. Kerry said mornings are hard 'with the baby'.",
         "Attendance letter 1 sent; breakfast club offered."),
        (date(2025, 1, 27), "Pastoral", "Zoë Marsh", "Conversation with parent", "Miss Hannah Cole, Y2 teacher",
         "Kerry told Miss Cole she has been 'struggling' since having Tyler & asked about help with uniform.",
         "Free breakfast club place; uniform from the pre-loved rail."),
        (date(2025, 3, 13), "DSL", "Zoë Marsh", "Concern logged (CPOMS)", "Mr Owen Price, DSL",
         "In circle time Zoë said: 'Dean & Mummy were shouting and the baby cried.' She called Dean 'Mummy's friend'.",
         "DSL spoke to Kerry at pick-up: 'just a row'. Monitor; no referral."),
        (date(2025, 6, 11), "DSL", "Zoë Marsh", "Operation Encompass", "Mr Owen Price, DSL",
         "Operation Encompass notice from Lincolnshire Police: domestic incident at home on 10/06/2025 (verbal; "
         "Tyler present).", "Miss Cole told; Zoë checked in with the ELSA (Mrs Aoife Brennan) – 'fine'."),
        (date(2025, 7, 16), "Pastoral", "Zoë Marsh", "Meeting", "Mrs Dawn Fletcher, Pastoral Lead",
         "End-of-year review: Zoë 'quiet & tired' this term. Attendance 91%.",
         "Holiday Activities & Food (HAF) place booked for August."),
    ),
    "2025-26": (
        (date(2024, 12, 20), "DSL", "Zoë Marsh", "Concern logged (CPOMS)", "Mr Owen Price, DSL",
         "Paper record added to CPOMS in September 2025: Zoë had a bruise on her left cheek; Kerry said she fell off "
         "her scooter.", "Explanation accepted at the time; not referred."),
        (date(2025, 10, 2), "DSL", "Zoë Marsh", "Referral to CSC", "Mr Owen Price, DSL",
         "Zoë told Mrs Brennan (ELSA) that Dean 'threw a cup at Mummy' last night & she hid in her room.",
         "Referral to the CSC Front Door by phone at 11:05, confirmed in writing. Kerry informed."),
        (date(2025, 12, 5), "DSL", "Zoë Marsh", "Child in Need meeting", "Mr Owen Price, DSL",
         "CIN review at school chaired by Tom Bradley (SW). Dean not present.\nActions for school: daily check-in; "
         "attendance support.", "Next review 06/03/2026."),
        (date(2026, 1, 9), "Pastoral", "Zoë Marsh", "Attendance", "Mrs Dawn Fletcher, Pastoral Lead",
         "Autumn term attendance 79% – persistent absence (< 90%).", "Attendance meeting with Kerry 14/01/2026; plan agreed."),
        (date(2026, 2, 24), "Pastoral", "Zoë Marsh; Tyler Marsh (sibling)", "Observation",
         "Mrs Jenny Lowe, Teaching Assistant",
         "At pick-up Kerry had Tyler in the pushchair: a bruise on his forehead about the size of a 10p. Kerry said "
         "he 'walked into the table'.",
         "Logged on CPOMS & told the DSL the same day. Not referred: the explanation fitted a toddler."),
        (date(2026, 3, 26), "DSL", "Zoë Marsh", "Information received", "Mr Owen Price, DSL",
         "Told by CSC (Rachel O'Neill) of Tyler's injury & the strategy discussion. Zoë staying with her grandmother, "
         "Pauline Marsh.", "Daily check-in with the ELSA; grandmother brings Zoë to school."),
    ),
}
_SCHOOL_LISTS = {
    "Departments": ("Pastoral", "DSL", "SENCo", "Attendance"),
    "Type of contact": ("Attendance", "Conversation with parent", "Concern logged (CPOMS)", "Operation Encompass",
                        "Meeting", "Referral to CSC", "Child in Need meeting", "Observation", "Information received"),
}


def school_departments_two_sheets() -> None:
    """Priory Academy: the school's own workbook, the chronology on two sheets (one per school year).

    Sheets: "Instructions" (text, no table), "2024-25" and "2025-26" (a title row "Priory Academy –
    safeguarding chronology", headings on row 3, real date cells), and a hidden "Lists" sheet of
    dropdown values. The Agency/Department column holds "Pastoral" and "DSL": departments of the
    school, never agencies (the Instructions sheet even says "Agency/Department: choose Pastoral,
    DSL, SENCo or Attendance from the list."). Each year sheet has one entry before the scope
    (04/11/2024; and 20/12/2024, a paper record typed in later). The 24/02/2026 entry (a bruise on
    Tyler's forehead) is the school's side of the GP's 25/02/2026 one. caseforms must read both year
    sheets, skip the other two, and say so in the Findings.
    """
    wb = _case_workbook("school_departments_two_sheets.xlsx", "Priory Academy")
    bold, wrap, head = _formats(wb)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    ins = wb.add_worksheet("Instructions")
    ins.write_string(0, 0, "Priory Academy – safeguarding chronology", wb.add_format({"bold": True, "font_size": 14}))
    for r, line in enumerate((
        "For requests from the Safeguarding Children Partnership and other agencies.",
        "Use one sheet per school year. Add new rows at the bottom; do not change the headings.",
        "Agency/Department: choose Pastoral, DSL, SENCo or Attendance from the list.",
        "Dates as dd/mm/yyyy. Write the staff member's full name and role.",
        "Other pupils: initials only.",
        "Saved in: Safeguarding > Chronologies (restricted folder). Do not e-mail unencrypted.",
    ), start=2):
        ins.write_string(r, 0, line)
    ins.set_column(0, 0, 90)
    sheets = []
    for year, rows in _SCHOOL_YEARS.items():
        ws = wb.add_worksheet(year)
        sheets.append(ws)
        ws.write_string(0, 0, "Priory Academy – safeguarding chronology", wb.add_format({"bold": True, "font_size": 14}))
        ws.write_string(0, 4, f"School year {year.replace('-', '–')}", bold)
        ws.write_row(2, 0, _SCHOOL_HEADINGS, head)
        for r, row in enumerate(rows, start=3):
            ws.write_datetime(r, 0, datetime.combine(row[0], time()), date_format)
            for c, text in enumerate(row[1:], start=1):
                ws.write_string(r, c, text, wrap)
        ws.data_validation(3, 1, 200, 1, {"validate": "list", "source": "=Lists!$A$2:$A$5"})
        ws.data_validation(3, 3, 200, 3, {"validate": "list", "source": "=Lists!$B$2:$B$10",
                                          "error_type": "information"})
        _fit(ws, (12, 16, 18, 20, 22, 55, 40), 3, rows)
        ws.freeze_panes(3, 0)
    lists = wb.add_worksheet("Lists")
    for c, (heading, values) in enumerate(_SCHOOL_LISTS.items()):
        lists.write_string(0, c, heading, bold)
        for r, value in enumerate(values, start=1):
            lists.write_string(r, c, value)
    lists.hide()
    sheets[-1].activate()
    wb.close()


# -- 5. Riverside Surgery: the practice's own workbook, own headings, dates typed wrongly ----------------

_GP_HEADINGS = ("Date of contact", "Patient", "Consultation", "Clinician", "Summary", "Outcome/plan", "Read code")
_GP_ROWS: tuple[tuple[Any, ...], ...] = (
    (date(2025, 1, 21), "Kerry Marsh", "Face to face", "Dr Anil Mehta (GP)",
     "Low mood since Tyler's birth, worse since Christmas. HV task: EPDS 14. Sleeping poorly. No thoughts of self-harm.",
     "Sertraline 50 mg OD. Talking Therapies self-referral details given. Review 4/52.", "1BT.."),
    ("March 2025", "Kerry Marsh", "Medication review", "Tariq Aziz (Clinical Pharmacist)",
     "Sertraline review by phone: 'a bit better'. Taking it regularly.", "Continue. Review in 3 months.", "8B3V."),
    (date(2025, 5, 22), "Tyler Marsh", "Immunisations", "Beth Rowe (Practice Nurse)",
     "12-month immunisations given. Tyler well, cruising round the furniture.", "Next: pre-school booster.", "65M1."),
    ("10/06/2025 - 12/06/2025", "Kerry Marsh", "Telephone x2", "Dr Anil Mehta (GP)",
     "Two calls after police attended the home on 10/06: Kerry anxious, not sleeping; said her partner Dean 'drinks "
     "too much'.", "Sertraline increased to 100 mg. Asked about safety at home: Kerry said she & the children are safe.",
     "1B1.."),
    (date(2025, 8, 14), "Dean Holt", "Face to face", "Dr Siân Roberts (GP)",
     "Asks for help with alcohol: 6–8 cans a day, more at weekends. Lives 'on & off' with his partner & her 2 children.",
     "Referred to Salterby Recovery Service. AUDIT score 22. Children in the household: coded & shared with the HV.",
     "136.."),
    ("14/11/2036", "Tyler Marsh", "Telephone", "Beth Rowe (Practice Nurse)",
     "Kerry called: Tyler has a cough & a temperature of 38.2 °C.", "Advice given; to be seen the same day if worse.",
     "R006."),
    (date(2025, 12, 19), "Zoë Marsh", "Face to face", "Dr Siân Roberts (GP)",
     "Zoë (8) seen with tummy aches & poor sleep. Kerry said Zoë is 'worrying about things at home'.",
     "Reassured. Suggested support from the school's ELSA.", "19C.."),
    ("31/02/2026", "Kerry Marsh", "Face to face", "Dr Anil Mehta (GP)",
     "Review of mood: 'stressed about money' – rent arrears.", "Continue sertraline 100 mg. Letter of support for "
     "the housing officer given.", "8BIA."),
    (date(2026, 2, 25), "Tyler Marsh", "Face to face", "Dr Siân Roberts (GP)",
     "Brought by mum: bruise on the forehead, 2 × 2 cm, 2 days old – 'walked into the table'. Tyler well, active, "
     "walking & climbing. No other marks seen (examined in his nappy).",
     "Bruise consistent with a mobile toddler; no safeguarding concern raised.", "SK1.."),
    ("03/03/26", "Kerry Marsh", "Telephone", "Dr Anil Mehta (GP)", "Asks for a fit note: back pain after lifting.",
     "Fit note for 2 weeks.", "N245."),
    (date(2026, 3, 27), "Tyler Marsh", "Letter received", "Dr Anil Mehta (GP safeguarding lead)",
     "Salterby General Hospital: Tyler admitted 24/03/2026 with a spiral fracture of the left femur; child protection "
     "medical done.", "Child protection code added to Tyler's, Zoë's & Kerry's records. Records reviewed for the "
     "strategy meeting.", "13If."),
    (None, "Tyler Marsh", "Admin", "Practice safeguarding administrator",
     "Alert added to the record: 'Child in Need – check the address before sending letters'.",
     "Date not shown on the export.", "9NgA."),
)


def gp_own_headings_bad_dates() -> None:
    """Riverside Surgery ("GP practice"): its own workbook, sent as "GP chronology.xlsx"; bad dates typed as text.

    The only title is "Safeguarding chronology – practice records": nothing names the agency. The
    headings are the practice's own; "Read code" maps to no master column. Real date cells mostly,
    plus "March 2025" (month only), "10/06/2025 - 12/06/2025" (a range), "14/11/2036" (future: the
    year mistyped), "31/02/2026" (no such day), "03/03/26" (two-digit year) and one entry with no
    date. Outcome/plan of 25/02/2026: "Bruise consistent with a mobile toddler; no safeguarding
    concern raised." must reach the decision makers.
    """
    wb = _case_workbook("gp_own_headings_bad_dates.xlsx", "")
    _, wrap, head = _formats(wb)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    ws = wb.add_worksheet("Sheet1")
    ws.write_string(0, 0, "Safeguarding chronology – practice records", wb.add_format({"bold": True, "font_size": 13}))
    ws.write_row(2, 0, _GP_HEADINGS, head)
    for r, row in enumerate(_GP_ROWS, start=3):
        if isinstance(row[0], date):
            ws.write_datetime(r, 0, datetime.combine(row[0], time()), date_format)
        elif row[0]:
            ws.write_string(r, 0, row[0], wrap)
        for c, text in enumerate(row[1:], start=1):
            ws.write_string(r, c, text, wrap)
    _fit(ws, (14, 14, 16, 22, 48, 44, 10), 3, _GP_ROWS)
    wb.close()


# -- 6. Police: the agency involvement summary, a Word document beside the chronology --------------------

_POLICE_SUMMARY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Involvement with the child and family", (
        "Lincolnshire Police had six occurrences involving the family in the scope period: two domestic incidents "
        "(June 2025 and January 2026), a concern for welfare call (September 2025), intelligence that Dean Holt was "
        "living at the address (October 2025), a drink-drive offence by Dean (November 2025) and the investigation "
        "of Tyler's injury (Operation Alder, from 25/03/2026).",
        "The table below lists the occurrences where Tyler was present or named.",
    )),
    ("Analysis of involvement", (
        "Both domestic incidents were assessed on the DASH as standard and medium risk, on Kerry's account alone. "
        "Dean's drinking, his drink-drive charge and the intelligence that he was living with the children were "
        "not brought together with the domestic abuse history.",
        "The concern for welfare call in September 2025 was closed at the scene and not shared with Children's "
        "Social Care: a child under two was in a home with a known domestic abuse history at 01:40.",
    )),
    ("The child's lived experience", (
        "Officers saw Tyler three times, twice asleep. Nothing in our records describes what his day was like; "
        "officers noted a child crying 'for over an hour' in September 2025.",
        "Zoë was not spoken to by officers at any incident.",
    )),
    ("Identity and protected characteristics", (
        "Tyler is White British and was under two throughout. No other protected characteristics are recorded for "
        "the family; Dean Holt's ethnicity is recorded as White British.",
    )),
    ("What worked well", (
        "Operation Encompass notices reached Priory Academy by 09:00 the morning after the June 2025 incident.",
        "The October 2025 intelligence was shared with the social worker the same day.",
    )),
    ("What we are worried about", (
        "Officers attending in September 2025 did not check the PNC and local systems for the address before "
        "leaving, so the June incident was not known to them.",
        "A drink-drive offence by a carer of a young child is not routinely shared with Children's Social Care.",
    )),
    ("Current safeguarding arrangements", (
        "Dean Holt is on police bail until 26/06/2026 with conditions not to contact Tyler or Zoë and not to attend "
        "14 Larch Close. The investigation (Operation Alder) continues, led by DS Jo Example.",
    )),
    ("Learning for our agency and for agencies working together", (
        "Attending officers must look at the history of the address and of everyone present, not only the "
        "occurrence in front of them.",
        "Partners need to hear about a carer's offending where it bears on a young child's safety, even when the "
        "offence is not against the child.",
    )),
    ("Single-agency actions", (
        "The Public Protection Unit has agreed the following actions:",
    )),
)
_POLICE_ACTIONS = (
    "Briefing to all response officers on checking address history at concern for welfare calls – owner: "
    "Insp. Marc Dubois, by 31/05/2026.",
    "PPN to CSC for every call where a child under two is present at night – owner: DCI Sam Example, by 30/06/2026.",
    "Audit of ten domestic incidents graded standard where a child was present – owner: DS Jo Example, by 31/07/2026.",
)
_POLICE_TABLE = (
    ("Date", "Occurrence", "Outcome"),
    ("10/06/2025", "LN-2025-0412 – domestic incident", "PPN to CSC; Operation Encompass"),
    ("04/09/2025", "LN-2025-1187 – concern for welfare", "No further action; not shared"),
    ("25/03/2026", "LN-2026-0366 – Tyler's injury", "Section 47; Operation Alder"),
)
POLICE_SUMMARY_AUTHOR = "DS Jo Example, Public Protection Unit"
POLICE_SUMMARY_SIGN_OFF = "DCI Sam Example, Head of Public Protection, 14/04/2026"


def agency_summary_separate_document() -> None:
    """Police: the agency involvement summary as its own Word document, sent as "Police agency summary.docx".

    Written as an agency's author does in Word: a Title "Agency Involvement Summary – Lincolnshire
    Police", "Case reference: TEST-2026-031", one Heading 2 per topic of Kent's agency involvement
    summary (``POLICE_SUMMARY_HEADINGS``), a couple of paragraphs each, a small table under
    "Involvement with the child and family" and a bulleted list under "Single-agency actions", then
    "Author: ..." and "Signed off by: ..." lines. caseforms must bring each section into the agency
    summaries paper, under Police, with the author and the sign-off.
    """
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.author = "Jo Example"
    d.core_properties.title = "Agency Involvement Summary"
    d.core_properties.created = d.core_properties.modified = _CREATED
    d.core_properties.last_modified_by = "Jo Example"
    d.core_properties.revision = 3
    d.sections[0].header.paragraphs[0].text = "OFFICIAL-SENSITIVE"
    d.add_heading("Agency Involvement Summary – Lincolnshire Police", level=0)
    line = d.add_paragraph()
    line.add_run("Case reference: ").bold = True
    line.add_run(CASE_REF)
    d.add_paragraph(f"Child: {CHILD} (born {CHILD_BORN:%d/%m/%Y}). Scope: {SCOPE_FROM:%d/%m/%Y} to {SCOPE_TO:%d/%m/%Y}.")
    for heading, paragraphs in _POLICE_SUMMARY:
        d.add_heading(heading, level=2)
        for text in paragraphs:
            d.add_paragraph(text)
        if heading == "Involvement with the child and family":
            table = d.add_table(rows=0, cols=3)
            table.style = "Table Grid"
            for i, cells in enumerate(_POLICE_TABLE):
                row = table.add_row().cells
                for cell, text in zip(row, cells, strict=True):
                    cell.text = text
                    if i == 0:
                        cell.paragraphs[0].runs[0].bold = True
            d.add_paragraph()
        if heading == "Single-agency actions":
            for action in _POLICE_ACTIONS:
                d.add_paragraph(action, style="List Bullet")
    for label, value in (("Author: ", POLICE_SUMMARY_AUTHOR), ("Signed off by: ", POLICE_SUMMARY_SIGN_OFF)):
        p = d.add_paragraph()
        p.add_run(label).bold = True
        p.add_run(value)
        p.paragraph_format.keep_with_next = label == "Author: "
        p.paragraph_format.space_before = Pt(12) if label == "Author: " else Pt(0)
    d.styles["Normal"].font.size = Pt(11)
    CASE_FOLDER.mkdir(exist_ok=True)
    d.save(str(CASE_FOLDER / "agency_summary_separate_document.docx"))


POLICE_SUMMARY_HEADINGS = tuple(heading for heading, _ in _POLICE_SUMMARY)


# -- 7. Housing: a chronology that does not say whose it is ---------------------------------------------

_PLAIN_HEADINGS = ("Date", "Type of contact", "By whom", "Name of subject(s)", "Details of event",
                   "Comments/analysis of outcome")
_HOUSING_ROWS: tuple[tuple[Any, ...], ...] = (
    (date(2025, 4, 14), "Rent account review", "Lisa Grant, Tenancy Officer", "Kerry Marsh",
     "Arrears of £380 at 14 Larch Close. First arrears letter sent.", "Kerry agreed to pay £5 a week extra."),
    (date(2025, 6, 11), "Neighbour report", "Lisa Grant, Tenancy Officer", "Kerry Marsh; Dean Holt",
     "Neighbour at no. 12 reported shouting & a door slammed late on 10/06/2025 – 'a man's voice'.",
     "Logged as possible domestic abuse. Safe contact attempted by text – no reply."),
    (date(2025, 8, 20), "Home visit", "Lisa Grant, Tenancy Officer", "Kerry Marsh",
     "Annual tenancy check: a man's work boots & coat in the hall. Kerry said they belong to her 'friend Dean' who "
     "'stays sometimes'.", "Reminded Kerry that everyone living there must be declared. No further action."),
    (date(2025, 11, 24), "Referral received", "Mark Dunn, Money Advice Officer", "Kerry Marsh",
     "Referral from the social worker (Tom Bradley): arrears now £1,240.",
     "Discretionary payment (DHP) applied for; notice of seeking possession on hold."),
    (date(2026, 1, 16), "Telephone call", "Mark Dunn, Money Advice Officer", "Kerry Marsh",
     "DHP of £600 awarded. Kerry said Dean had 'moved back to his mum's'.", "Arrears agreement: £10 a week."),
    (date(2026, 3, 30), "Information received", "Lisa Grant, Tenancy Officer", "Kerry Marsh; Tyler Marsh",
     "Told by the social worker that the children are staying with their grandmother; Kerry still at 14 Larch Close.",
     "Property flagged: officers to check before visiting."),
)


def no_agency_named_anywhere() -> None:
    """Housing's chronology, sent as "chronology.xlsx": good headings on row 1, nothing that says whose it is.

    No title block, no agency column, no agency in the file's properties; no directory agency's
    name appears in any cell. caseforms must not guess (and never call the agency "chronology"):
    a finding names the file, and the officer says in the Returns log that it is Housing's.
    """
    wb = _case_workbook("no_agency_named_anywhere.xlsx", "")
    _, wrap, head = _formats(wb)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    ws = wb.add_worksheet("Sheet1")
    ws.write_row(0, 0, _PLAIN_HEADINGS, head)
    for r, row in enumerate(_HOUSING_ROWS, start=1):
        ws.write_datetime(r, 0, datetime.combine(row[0], time()), date_format)
        for c, text in enumerate(row[1:], start=1):
            ws.write_string(r, c, text, wrap)
    _fit(ws, (12, 20, 24, 22, 50, 44), 1, _HOUSING_ROWS)
    wb.close()


# -- 8. "Health": a chronology that fits two agencies of the directory ------------------------------------

_HEALTH_ROWS: tuple[tuple[Any, ...], ...] = (
    (date(2025, 7, 18), "Referral received", "Dr Ffion Hughes, Clinical Psychologist", "Kerry Marsh; Tyler Marsh",
     "Referral from Dr Anil Mehta: Kerry's low mood is affecting her bond with Tyler.",
     "Accepted for a parent–infant assessment."),
    (date(2025, 8, 12), "Clinic appointment", "Dr Ffion Hughes, Clinical Psychologist", "Kerry Marsh; Tyler Marsh",
     "First appointment at Willow House: Kerry & Tyler seen together. Tyler (15 months) watchful, stayed close to "
     "Kerry. Kerry said Dean 'can be rough when he's had a drink' but never with the children.",
     "Offered 6 sessions of video interaction guidance."),
    (date(2025, 9, 9), "Clinic appointment", "Dr Ffion Hughes, Clinical Psychologist", "Kerry Marsh; Tyler Marsh",
     "Session 2: warm play; Tyler brought a toy to Kerry & laughed when she sang.", "Next session booked for 07/10/2025."),
    (date(2025, 10, 7), "Did not attend", "Nadia Karim, Assistant Psychologist", "Kerry Marsh; Tyler Marsh",
     "Session 3 not attended; no call.", "Opt-in letter sent: 14 days to get in touch."),
    (date(2025, 11, 4), "Discharge", "Dr Ffion Hughes, Clinical Psychologist", "Kerry Marsh",
     "No reply to the opt-in letter.", "Discharged back to Dr Mehta; letter copied to the social worker, Tom Bradley."),
    (date(2026, 3, 26), "Information received", "Dr Ffion Hughes, Clinical Psychologist", "Tyler Marsh",
     "Told of Tyler's admission & the section 47 enquiries by the Named Nurse (Pam Reid).",
     "Records shared for the strategy meeting."),
)


def agency_ambiguous_between_two() -> None:
    """A chronology sent as "Health chronology.xlsx", titled only "Health chronology": two agencies fit.

    The word "Health" fits both "Health visiting" and "Mental health (CAMHS)"; there is no agency
    column and no other clue. caseforms must not pick one: a finding names the file and lists
    both, and the officer says in the Returns log whose it is (Mental health (CAMHS)'s
    parent–infant team's).
    """
    wb = _case_workbook("agency_ambiguous_between_two.xlsx", "")
    _, wrap, head = _formats(wb)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    ws = wb.add_worksheet("Chronology")
    ws.write_string(0, 0, "Health chronology", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_row(2, 0, ("Date", "Type of contact", "Practitioner", "Name of subject(s)", "Details", "Comments"), head)
    for r, row in enumerate(_HEALTH_ROWS, start=3):
        ws.write_datetime(r, 0, datetime.combine(row[0], time()), date_format)
        for c, text in enumerate(row[1:], start=1):
            ws.write_string(r, c, text, wrap)
    _fit(ws, (12, 20, 26, 22, 50, 44), 3, _HEALTH_ROWS)
    wb.close()


# -- 9. Children's Social Care: its own case-note export, reworded and reordered headings -------------------

_CSC_EXPORT_HEADINGS = ("Details of contact", "Worker", "Date", "Team", "Contact method", "Subject", "Comments",
                        "Case note ID", "Manager's note")
_CSC_EXPORT_ROWS: tuple[tuple[str, ...], ...] = (
    ("CIN review at Priory Academy. Present: Kerry, Owen Price (DSL), Siobhan Kerr (HV). Dean not present – Kerry "
     "said he is 'not around'.", "Tom Bradley, Social Worker", "05/12/2025", "Child in Need Team", "Meeting",
     "Tyler Marsh; Zoë Marsh", "Plan reviewed; Dean to be invited to the next review.", "CN-884213",
     "Agreed. Dean must be seen before the next review. MW 08/12/2025"),
    ("Home visit (announced). Tyler & Zoë seen. Tyler walking, chatty. Christmas food parcel delivered.",
     "Tom Bradley, Social Worker", "2025-12-19", "Child in Need Team", "Home visit",
     "Tyler Marsh; Zoë Marsh; Kerry Marsh", "No concerns seen.", "CN-886042", ""),
    ("Out-of-hours call from Kerry: Dean at the door 'drunk & shouting', would not leave. Advised to call 999.",
     "Gemma Shaw, EDT Social Worker", "03/01/2026 23:50", "Emergency Duty Team", "Telephone call",
     "Kerry Marsh; Dean Holt", "Police informed by EDT. Passed to the CIN team for the morning.", "CN-887310",
     "Not followed up by the CIN team until 09/01 – why? MW"),
    ("Phoned Kerry about the call on 03/01: Dean has 'gone back to his mum's'.", "Tom Bradley, Social Worker",
     "9 Jan 2026", "Child in Need Team", "Telephone call", "Kerry Marsh",
     "Kerry declined a referral to the IDVA service.", "CN-887655", ""),
    ("Home visit – no reply. Curtains drawn. Card left.", "Tom Bradley, Social Worker", "23.01.2026",
     "Child in Need Team", "Home visit", "Tyler Marsh", "", "CN-888102",
     "2nd missed visit: escalate if no contact by Friday. MW"),
    ("Home visit. Tyler asleep in his cot; not woken at Kerry's request. Zoë at school.", "Tom Bradley, Social Worker",
     "Fri 20 Feb 2026", "Child in Need Team", "Home visit", "Tyler Marsh; Kerry Marsh",
     "Tyler not seen awake since 19/12/2025.", "CN-889530", ""),
    ("Supervision: progress on the plan; arrears reduced; Dean 'not living there'.", "Marcus Webb, Team Manager",
     "2026-03-10", "Child in Need Team", "Supervision", "Tyler Marsh; Zoë Marsh",
     "Decision: step down to Early Help at the April review.", "CN-890117",
     "Decision withdrawn after 24/03/2026 – see strategy discussion."),
)


def headings_reordered_extra_columns_dates_text() -> None:
    """Children's Social Care: its own case-note export (not the request workbook), headings reworded and reordered.

    "Agency: Children's Social Care" in a title cell; the case notes of its Child in Need and
    Emergency Duty teams ("Team" column: departments). Headings in the system's order, "Details of
    contact" first and "Date" third; "Case note ID" and "Manager's note" map to no master column
    and must still reach the papers. Dates typed as text, several ways, one with a time.
    """
    wb = _case_workbook("headings_reordered_extra_columns_dates_text.xlsx", "")
    bold, wrap, head = _formats(wb)
    ws = wb.add_worksheet("Case notes")
    ws.write_string(0, 0, "Agency: Children's Social Care", bold)
    ws.write_string(1, 0, "Case note export – Child in Need & Emergency Duty teams. Run 03/04/2026 16:42")
    ws.write_row(3, 0, _CSC_EXPORT_HEADINGS, head)
    for r, row in enumerate(_CSC_EXPORT_ROWS, start=4):
        for c, text in enumerate(row):
            if text:
                ws.write_string(r, c, text, wrap)
    _fit(ws, (50, 20, 16, 18, 16, 22, 36, 12, 36), 4, _CSC_EXPORT_ROWS)
    wb.close()


def _case_workbook(name: str, company: str) -> Any:
    import xlsxwriter

    CASE_FOLDER.mkdir(exist_ok=True)
    wb = xlsxwriter.Workbook(CASE_FOLDER / name)
    wb.set_properties({"created": _CREATED, "company": company, "author": ""})
    return wb


def _fit(ws: Any, widths: tuple[int, ...], first_row: int, rows: Sequence[Sequence[Any]]) -> None:
    """Set the column widths, each row's height to its longest wrapped cell, and print landscape, one page wide.

    Excel saves the row heights it shows; xlsxwriter does not, and LibreOffice would show one line.
    """
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    for r, row in enumerate(rows, start=first_row):
        lines = [_lines(value, width) for value, width in zip(row, widths, strict=False) if value not in (None, "")]
        ws.set_row(r, 15 * max(lines, default=1))
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_row - 1)


def _lines(value: Any, width: float) -> int:
    """Return the lines a wrapped cell of ``width`` characters shows."""
    return sum(-(-max(len(part), 1) // max(int(width * 1.1), 1)) for part in str(value).split("\n"))


def _formats(wb: Any) -> tuple[Any, Any, Any]:
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E1F2", "border": 1})
    return bold, wrap, head


# -- What the tests can assert --------------------------------------------------------------------------

EXPECTED: dict[str, Expected] = {
    "request_workbook_renamed_by_agency.xlsx": Expected(
        sent_as="CS chronology Tyler M.xlsx", agency="Children's Social Care", really_from="Children's Social Care",
        entries=7, header_rows={"Chronology": 8}, sheets_skipped=("Instructions", "Agency summary", "Lists", "caseforms"),
        departments=frozenset({"Front Door", "Assessment Team"}),
        phrases=("Dean's drinking", "Pauline Marsh", "School – Zoë's attendance < 90%."),
    ),
    "police_export_title_block_reworded_headings.xlsx": Expected(
        sent_as="Police return (Niche).xlsx", agency="Police", really_from="Police", entries=9,
        header_rows={"Report": 7}, unmapped=("Occurrence number",),
        phrases=("LN-2025-0412", "Domestic incident – verbal", "Released on bail", "(< 4 cans)", "61 µg"),
    ),
    "csv_title_line_above_header.csv": Expected(
        sent_as="Chronology TEST-2026-031.csv", agency="Health visiting", really_from="Health visiting", entries=8,
        header_rows={"": 3}, before_scope={("", 4): date(2024, 7, 2)},
        phrases=("\u201clow and on my own\u201d", "owes \u00a31,240 rent", "Dean doesn\u2019t live here any more"),
    ),
    "school_departments_two_sheets.xlsx": Expected(
        sent_as="Safeguarding chronology 2024-26.xlsx", agency="Priory Academy", really_from="Priory Academy", entries=11,
        header_rows={"2024-25": 3, "2025-26": 3}, sheets_skipped=("Instructions", "Lists"),
        departments=frozenset({"Pastoral", "DSL"}),
        before_scope={("2024-25", 4): date(2024, 11, 4), ("2025-26", 4): date(2024, 12, 20)},
        phrases=("End-of-year review", "he 'walked into the table'"),
    ),
    "gp_own_headings_bad_dates.xlsx": Expected(
        sent_as="GP chronology.xlsx", agency="Riverside Surgery", really_from="Riverside Surgery", entries=12,
        header_rows={"Sheet1": 3}, unmapped=("Read code",),
        bad_dates={
            ("Sheet1", 5): ("March 2025", "month only"),
            ("Sheet1", 7): ("10/06/2025 - 12/06/2025", "range"),
            ("Sheet1", 9): ("14/11/2036", "future"),
            ("Sheet1", 11): ("31/02/2026", "impossible"),
            ("Sheet1", 13): ("03/03/26", "two-digit year"),
            ("Sheet1", 15): ("", "blank"),
        },
        phrases=("Bruise consistent with a mobile toddler; no safeguarding concern raised.", "Dr Siân Roberts (GP)",
                 "Sertraline 50 mg OD"),
    ),
    "agency_summary_separate_document.docx": Expected(
        sent_as="Police agency summary.docx", agency="Police", really_from="Police", entries=0, header_rows={},
        phrases=(POLICE_SUMMARY_AUTHOR, POLICE_SUMMARY_SIGN_OFF, "Operation Alder", _POLICE_ACTIONS[0]),
    ),
    "no_agency_named_anywhere.xlsx": Expected(
        sent_as="chronology.xlsx", agency=None, really_from="Housing", entries=6, header_rows={"Sheet1": 1},
        phrases=("'stays sometimes'", "DHP of £600 awarded"),
    ),
    "agency_ambiguous_between_two.xlsx": Expected(
        sent_as="Health chronology.xlsx", agency=None, really_from="Mental health (CAMHS)", entries=6,
        header_rows={"Chronology": 3}, candidates=("Health visiting", "Mental health (CAMHS)"),
        phrases=("video interaction guidance",),
    ),
    "headings_reordered_extra_columns_dates_text.xlsx": Expected(
        sent_as="Case notes export 03-04-2026.xlsx", agency="Children's Social Care", really_from="Children's Social Care",
        entries=7, header_rows={"Case notes": 4}, unmapped=("Case note ID", "Manager's note"),
        departments=frozenset({"Child in Need Team", "Emergency Duty Team"}),
        phrases=("CN-887310", "Not followed up by the CIN team until 09/01 – why? MW"),
    ),
}


# -- Opening the files back ----------------------------------------------------------------------------

CASE_031 = (
    request_workbook_renamed_by_agency, police_export_title_block_reworded_headings, csv_title_line_above_header,
    school_departments_two_sheets, gp_own_headings_bad_dates, agency_summary_separate_document,
    no_agency_named_anywhere, agency_ambiguous_between_two, headings_reordered_extra_columns_dates_text,
)


def check() -> int:
    """Open each file of case TEST-2026-031 back (calamine, openpyxl, csv, python-docx), compare it with EXPECTED; return the problems."""
    problems: list[str] = []
    for name, expected in EXPECTED.items():
        path = CASE_FOLDER / name
        if path.suffix == ".docx":
            problems += [f"{name}: {p}" for p in _check_docx(path, expected)]
        else:
            problems += [f"{name}: {p}" for p in _check_table(path, expected)]
    problems += _check_clues()
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(EXPECTED)} files checked, {len(problems)} problem(s)")
    return len(problems)


def _tables(path: Path) -> dict[str, list[list[Any]]]:
    """Return every sheet's cells as calamine reads them (a CSV: its records as Excel shows them, sheet "")."""
    if path.suffix == ".csv":
        import csv

        text = path.read_bytes().decode("cp1252")
        return {"": [list(r) for r in csv.reader(io.StringIO(text, newline=""))]}
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return {s: wb.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in wb.sheet_names}


def _text_of(tables: dict[str, list[list[Any]]]) -> str:
    return "\n".join(str(c) for rows in tables.values() for row in rows for c in row if c not in (None, ""))


def _check_table(path: Path, expected: Expected) -> list[str]:
    problems: list[str] = []
    tables = _tables(path)
    entries = 0
    for sheet, header_row in expected.header_rows.items():
        rows = tables.get(sheet)
        if rows is None:
            problems.append(f"no sheet '{sheet}'")
            continue
        header = [str(c).strip() for c in rows[header_row - 1]]
        if "date" not in " ".join(header).casefold():
            problems.append(f"sheet '{sheet}' row {header_row} is not the headings: {header}")
        entries += sum(1 for row in rows[header_row:] if any(c not in (None, "") for c in row))
        date_col = next(i for i, h in enumerate(header) if h.startswith(("Date", "Occurrence date")))
        for (s, row), (typed, what) in expected.bad_dates.items():
            if s == sheet and (rows[row - 1][date_col] or "") != typed:
                problems.append(f"{sheet or 'CSV'} row {row}: date is {rows[row - 1][date_col]!r}, not {typed!r} ({what})")
        for (s, row), day in expected.before_scope.items():
            value = rows[row - 1][date_col] if s == sheet else None
            if s == sheet and str(value)[:10] not in (day.isoformat(), f"{day:%d/%m/%Y}"):
                problems.append(f"{sheet or 'CSV'} row {row}: date is {value!r}, not {day} (before the scope)")
        for heading in expected.unmapped:
            if heading not in header and sheet == next(iter(expected.header_rows)):
                problems.append(f"no '{heading}' column")
        teams = [i for i, h in enumerate(header) if h in ("Agency/Department", "Team")]
        if expected.departments and teams:
            found = {row[teams[0]] for row in rows[header_row:] if row[teams[0]] not in (None, "")}
            if not found <= expected.departments:
                problems.append(f"sheet '{sheet}': departments {sorted(found)}")
    if entries != expected.entries:
        problems.append(f"{entries} entries, not {expected.entries}")
    text = _text_of(tables)
    problems += [f"'{p}' is not in the file" for p in expected.phrases if p not in text]
    if path.suffix == ".csv":
        data = path.read_bytes()
        if not data.endswith(b"\r\n") or data.replace(b"\r\n", b"").count(b"\n") != _multiline_cells(tables):
            problems.append("lines do not end with CRLF")
    else:
        problems += _check_sheets(path, expected, set(tables))
    return problems


def _multiline_cells(tables: dict[str, list[list[Any]]]) -> int:
    return sum(str(c).count("\n") for rows in tables.values() for row in rows for c in row)


def _check_sheets(path: Path, expected: Expected, names: set[str]) -> list[str]:
    import warnings

    from openpyxl import load_workbook

    problems = [f"no sheet '{s}'" for s in expected.sheets_skipped if s not in names]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = load_workbook(path)
    hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}
    if path.name == "school_departments_two_sheets.xlsx" and hidden != {"Lists"}:
        problems.append(f"hidden sheets {sorted(hidden)}, not Lists")
    if path.name == "request_workbook_renamed_by_agency.xlsx":
        from caseforms.io.returns import read_return

        first = read_return(path)[0]
        if (first.identified_case, first.identified_agency) != (CASE_REF, expected.agency):
            problems.append(f"hidden identification {first.identified_case}, {first.identified_agency}")
        summary = wb["Agency summary"] if "Agency summary" in wb.sheetnames else None
        written = set(CSC_SUMMARY_ANSWERS.values())
        answers = [] if summary is None else [str(c.value) for row in summary.iter_rows() for c in row if c.value in written]
        if summary is not None and (not answers or not any("\n" in a for a in answers)):
            problems.append("the Agency summary answers are missing or have no line breaks")
        if summary is not None and _answer_cells(summary):
            problems.append("an Agency summary answer cell is empty")
        if CSC_COMPLETED_BY not in _text_of(_tables(path)):
            problems.append("'Completed by' is not filled in")
    return problems


def _check_docx(path: Path, expected: Expected) -> list[str]:
    import docx

    d = docx.Document(str(path))
    paragraphs = d.paragraphs
    problems = []
    title = next((p.text for p in paragraphs if p.style is not None and p.style.name == "Title"), None)
    if title != "Agency Involvement Summary – Lincolnshire Police":
        problems.append(f"title {title!r}")
    headings = tuple(p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 2")
    if headings != POLICE_SUMMARY_HEADINGS:
        problems.append(f"headings {headings}")
    if not d.tables or not any(p.style is not None and p.style.name == "List Bullet" for p in paragraphs):
        problems.append("no table or no bulleted list")
    text = "\n".join([p.text for p in paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    for line in (f"Case reference: {CASE_REF}", f"Author: {POLICE_SUMMARY_AUTHOR}",
                 f"Signed off by: {POLICE_SUMMARY_SIGN_OFF}", *expected.phrases):
        if line not in text:
            problems.append(f"'{line}' is not in the document")
    return problems


def _check_clues() -> list[str]:
    """Check that the files meant to give no (or an ambiguous) clue to their agency give none, or that one."""
    import re

    problems = []
    names = [n.casefold() for name, aka in AGENCIES.items() for n in (name, *aka)] + ["camhs", "hv ", "gp "]
    text = _text_of(_tables(CASE_FOLDER / "no_agency_named_anywhere.xlsx")).casefold()
    problems += [f"no_agency_named_anywhere.xlsx names '{n}'" for n in names if n in text]
    text = _text_of(_tables(CASE_FOLDER / "agency_ambiguous_between_two.xlsx")).casefold()
    problems += [f"agency_ambiguous_between_two.xlsx names '{n}'" for n in names if n in text]
    if "health chronology" not in text:
        problems.append("agency_ambiguous_between_two.xlsx has no 'Health chronology' title")
    text = _text_of(_tables(CASE_FOLDER / "police_export_title_block_reworded_headings.xlsx"))
    bare = [m.group(0) for m in re.finditer(r"(\w+\s+)?police", text, re.IGNORECASE)
            if not m.group(0).casefold().startswith("lincolnshire")]
    if bare:
        problems.append(f"police_export_title_block_reworded_headings.xlsx says {bare}")
    return problems


if __name__ == "__main__" and sys.argv[1:] == ["password"]:
    password_protected()
elif __name__ == "__main__" and sys.argv[1:] == ["check"]:
    sys.exit(1 if check() else 0)
elif __name__ == "__main__" and sys.argv[1:] == ["case031"]:
    for make in CASE_031:
        make()
elif __name__ == "__main__" and sys.argv[1:]:
    makers = {make.__name__: make for make in CASE_031}
    for name in sys.argv[1:]:
        if name not in makers:
            sys.exit(f"No file '{name}': give password, check, case031, or one of {', '.join(makers)}")
        makers[name]()
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
    for make in CASE_031:
        make()
