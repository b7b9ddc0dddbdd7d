"""The agency request pack: a pre-filled chronology workbook, a request letter and an e-mail draft.

The workbook is a plain ``.xlsx`` (no macros, no add-in: agencies' machines are often locked
down): a title block naming the case and agency, the Appendix F columns plus Time
(``004_6c96fbcaaedcbdc1.txt``), dates and times validated, dropdowns for the people in scope and
the types of contact, headings protected (no password) with the entry rows unlocked, an
Instructions sheet, an Agency summary sheet when the profile asks for one, and a very hidden
``caseforms`` sheet (plus defined names) that identifies the case and agency when it comes back.

The letter is filled from ``templates/chronology_request.docx``, which a partnership may restyle
(put its own copy in a templates folder and give ``--templates``). Rebuild the shipped one with
``python -m caseforms.io.request_pack``. The e-mail is a ``.eml`` with ``X-Unsent: 1``, which
Outlook opens as a draft ready to send.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from caseforms.chronology.columns import COLUMNS
from caseforms.chronology.request import REQUEST_FORMAT, AgencyRequest
from caseforms.chronology.summaries import (
    AUTHOR,
    QUESTIONS,
    SIGNED_OFF,
    AgencySummary,
    SummaryAnswer,
    key_of,
    label_of,
    questions_for,
)
from caseforms.errors import TemplateError
from caseforms.io.cell_text import put, put_row
from caseforms.io.file_kinds import EMAIL, REQUEST
from caseforms.io.print_setup import INSTRUCTIONS_WIDTH, PrintLayout, apply_openpyxl, column_widths, row_height
from caseforms.io.safe_write import write_atomically
from caseforms.papers.fields import LETTER, MARKING
from caseforms.papers.fields import REQUEST_LETTER_TEMPLATE as TEMPLATE
from caseforms.register.folders import safe_name

#: The hidden sheet that identifies a request workbook's case and agency.
ID_SHEET = "caseforms"
CHRONOLOGY_SHEET = "Chronology"
SUMMARY_SHEET = "Agency summary"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
#: The header row of the chronology table; the title block sits above it.
HEADER_ROW = 8
#: Entry rows laid out, unlocked and validated; an agency with more inserts none (protected) but
#: can ask for a longer workbook or send a second one.
ENTRY_ROWS = 1000
#: Column widths of the chronology, by canonical key.
_WIDTHS = {"date": 12, "time": 8, "source": 18, "agency": 18, "subjects": 22, "contact_type": 18, "by_whom": 18,
           "details": 50, "comments": 40}

@dataclass
class Pack:
    """The files made for one agency, and what it still lacks."""

    request: AgencyRequest
    workbook: Path
    letter: Path | None
    email: Path
    problems: list[str] = field(default_factory=list)


def pack_stem(request: AgencyRequest) -> str:
    """Return the file name stem for an agency's pack: case reference and agency, never a child's name."""
    return safe_name(f"{request.case_ref} chronology request - {request.agency}")


def write_pack(request: AgencyRequest, out: Path, templates: Path | None = None) -> Pack:
    """Write the workbook, letter and e-mail draft of one agency into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    stem = pack_stem(request)
    workbook = out / f"{stem}.xlsx"
    write_request_workbook(request, workbook)
    problems: list[str] = []
    letter: Path | None = None
    try:
        letter = render_letter(request, workbook.name, out / f"{stem} - letter.docx", templates)
    except TemplateError as e:  # a restyled template with a mistake: the workbook and e-mail still go
        problems.append(f"The letter was not written: {e}")
    attachments = [workbook, *([letter] if letter else [])]
    email = write_email(request_email(request, attachments), out / f"{stem}.eml")
    return Pack(request, workbook, letter, email, problems)


# -- the workbook --------------------------------------------------------------------------------


def write_request_workbook(request: AgencyRequest, path: Path) -> None:
    """Write the pre-filled chronology request workbook for one agency."""
    wb = build_request_workbook(request)
    write_atomically(path, wb.save, kind=REQUEST)


def build_request_workbook(request: AgencyRequest) -> Any:
    from openpyxl import Workbook
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from caseforms.io.register_xlsx import HEADER_FILL, header_style

    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    ws = wb.create_sheet(CHRONOLOGY_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    ident = wb.create_sheet(ID_SHEET)

    # The title block: read by people, and by the merge ("Case reference: ...", "Agency: ...").
    bold = Font(bold=True)
    put(ws["A1"], f"Chronology for {request.partnership}").font = Font(bold=True, size=14)
    block = (
        ("Case reference", request.case_ref),
        ("Agency", request.agency),
        ("Scope period", request.scope_text),
        ("Return by", request.due_text),
        ("Completed by (name, role)", None),
    )
    for i, (label, value) in enumerate(block, start=2):
        put(ws.cell(row=i, column=1), label).font = bold
        put(ws.cell(row=i, column=2), value)
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=4)
    ws.cell(row=6, column=2).protection = Protection(locked=False)
    ws.cell(row=6, column=2).fill = PatternFill("solid", fgColor="FFF2CC")
    put(ws.cell(row=7, column=1), f"{MARKING}. One row per event, oldest first. Do not change the headings.").font = (
        Font(italic=True, color="C00000")
    )

    keys = list(COLUMNS)
    letters = {k: _letter(i) for i, k in enumerate(keys)}
    for i, key in enumerate(keys, start=1):
        cell = put(ws.cell(row=HEADER_ROW, column=i), COLUMNS[key])
        header_style(cell, HEADER_FILL)
        ws.column_dimensions[letters[key]].width = _WIDTHS[key]
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.column_dimensions["A"].width = max(_WIDTHS["date"], 24)
    first, last = HEADER_ROW + 1, HEADER_ROW + ENTRY_ROWS
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    formats = {"date": "dd/mm/yyyy", "time": "hh:mm"}
    for key in keys:
        # The entry rows are styled by their column (open to type in, wrapped, dates as dates), as Excel does
        # when a whole column is formatted: no cell is written for a thousand empty rows.
        dimension = ws.column_dimensions[letters[key]]
        dimension.protection = unlocked
        dimension.alignment = wrap
        if key in formats:
            dimension.number_format = formats[key]
    # Above the entries (the title block, the headings), every cell keeps a style of its own, locked, so that the
    # columns' style does not open it. An empty one is given Excel's own default alignment (bottom) so that it is
    # written at all; a merged cell's own is its first cell's.
    bottom = Alignment(vertical="bottom")
    for row in ws.iter_rows(min_row=1, max_row=first - 1, max_col=len(keys)):
        for cell in row:
            if not isinstance(cell, MergedCell) and not cell.has_style:
                cell.alignment = bottom
    ws.freeze_panes = f"A{first}"
    # No print area: the rows the agency fills in print, the empty ones (formats only) do not.
    apply_openpyxl(ws, PrintLayout(f"{request.case_ref} chronology: {request.agency}", column_widths(ws, len(keys)),
                                   (HEADER_ROW, HEADER_ROW), landscape=True))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{letters[keys[-1]]}{last}"

    def span(key: str) -> str:
        return f"{letters[key]}{first}:{letters[key]}{last}"

    validations = [
        DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)",
                       allow_blank=True, showErrorMessage=True, errorTitle="Date",
                       error="Type the date as dd/mm/yyyy, e.g. 03/02/2025. If only the month is known, give the "
                             "1st and say so in Details.",
                       promptTitle="Date", prompt="dd/mm/yyyy", showInputMessage=True),
        DataValidation(type="time", operator="between", formula1="0", formula2="0.999988426",
                       allow_blank=True, showErrorMessage=True, errorTitle="Time",
                       error="Type the time as hh:mm (24-hour), e.g. 14:30, or leave it blank."),
    ]
    validations[0].add(span("date"))
    validations[1].add(span("time"))
    # Lists on a hidden sheet: Excel's list validation takes a range, and a long list does not fit in a formula.
    # Names typed into the register ('=1+1...' included) are text here, never formulas: the rule of cell_text.
    put_row(lists, 1, ("People in scope", "Types of contact"))
    for i, name in enumerate(request.people, start=2):
        put(lists.cell(row=i, column=1), name)
    for i, kind in enumerate(request.contact_types, start=2):
        put(lists.cell(row=i, column=2), kind)
    if request.people:
        wb.defined_names["People"] = DefinedName("People", attr_text=f"{LISTS_SHEET}!$A$2:$A${len(request.people) + 1}")
        dv = DataValidation(type="list", formula1="=People", allow_blank=True, showErrorMessage=True,
                            errorStyle="warning", errorTitle="Name of subject(s)",
                            error="Not one of the people in scope. Keep it if the entry is about several people or "
                                  "someone else (name them all).",
                            promptTitle="Name of subject(s)", prompt="Pick a person in scope, or type several names.",
                            showInputMessage=True)
        dv.add(span("subjects"))
        validations.append(dv)
    if request.contact_types:
        wb.defined_names["ContactTypes"] = DefinedName(
            "ContactTypes", attr_text=f"{LISTS_SHEET}!$B$2:$B${len(request.contact_types) + 1}")
        dv = DataValidation(type="list", formula1="=ContactTypes", allow_blank=True, showErrorMessage=True,
                            errorStyle="warning", errorTitle="Type of contact",
                            error="Not one of the listed types: keep it if none fits.")
        dv.add(span("contact_type"))
        validations.append(dv)
    for dv in validations:
        ws.add_data_validation(dv)
    _protect(ws)
    lists.sheet_state = "hidden"
    apply_openpyxl(lists, PrintLayout("Lists", column_widths(lists), gridlines=True, landscape=False))
    _protect(lists)

    _instructions(instructions, request)
    if request.summary_asked:
        _summary_sheet(wb.create_sheet(SUMMARY_SHEET, index=2), request)

    # The identification: key and value, read back by caseforms.io.request_pack.read_identity
    # and, as a title block, by the merge.
    rows: tuple[tuple[str, Any], ...] = (("caseforms request", REQUEST_FORMAT), ("Case reference", request.case_ref),
            ("Agency", request.agency), ("Requested on", request.requested_on), ("Due", request.due))
    for r, pair in enumerate(rows, start=1):
        put_row(ident, r, pair)
    ident.sheet_state = "veryHidden"
    _protect(ident)
    for name, row in (("CaseformsCaseReference", 2), ("CaseformsAgency", 3)):
        wb.defined_names[name] = DefinedName(name, attr_text=f"{ID_SHEET}!$B${row}")

    wb.active = wb.sheetnames.index(CHRONOLOGY_SHEET)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.properties.title = f"{request.case_ref} chronology: {request.agency}"
    wb.properties.creator = "caseforms"
    return wb


def _protect(ws: Any) -> None:
    # No password: protection keeps the headings from being changed by accident; an agency that
    # must add a column can unprotect (Review > Unprotect Sheet) and the merge still reads it.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _instructions(ws: Any, request: AgencyRequest) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [
        (f"Chronology request: {request.case_ref}, {request.agency}", "title"),
        (f"{MARKING}: this workbook holds personal data about children. Send it back only by secure e-mail.", "mark"),
        ("", ""),
        (f"Please return it by {request.due_text}.", "bold"),
        (f"Scope period: {request.scope_text}. Include earlier events only where they are significant, and say why.",
         ""),
        ("", ""),
        ("How to fill in the Chronology sheet", "bold"),
        ("1. One row per event or contact, oldest first. Leave the headings and the rows above them as they are.", ""),
        ("2. Date as dd/mm/yyyy; Time as hh:mm (24-hour) where known.", ""),
        ("3. Name of subject(s): pick a person in scope from the list, or type several names.", ""),
        ("4. Type of contact: pick from the list (type your own if none fits).", ""),
        ("5. Details of event: what happened, factually. Comments/analysis of outcome: what it meant, what was "
         "done or not done, and why.", ""),
        ("6. Write names in full; say who did what (By whom: name and role).", ""),
        ("7. Write 'Completed by' at the top of the Chronology sheet.", ""),
        ("8. Save as .xlsx (no macros needed) and reply to the request e-mail with this workbook attached.", ""),
    ]
    if request.summary_asked:
        lines.append(("9. Answer the questions on the Agency summary sheet as well.", ""))
    if request.people:
        lines += [("", ""), ("People in scope", "bold"), *((f"• {p}", "") for p in request.people)]
    contact = ", ".join(x for x in (request.officer, request.partnership) if x)
    lines += [("", ""), (f"Questions: contact {contact}, quoting {request.case_ref}.", "")]
    for r, (text, style) in enumerate(lines, start=1):
        cell = put(ws.cell(row=r, column=1), text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "bold":
            cell.font = Font(bold=True)
        elif style == "mark":
            cell.font = Font(bold=True, color="C00000")
        # Neither Excel nor LibreOffice grows a row for wrapped text written by another program.
        ws.row_dimensions[r].height = (row_height([(text, INSTRUCTIONS_WIDTH * 0.7)]) * 1.35 if style == "title"
                                      else row_height([(text, INSTRUCTIONS_WIDTH)]))
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    apply_openpyxl(ws, PrintLayout(f"Chronology request: {request.case_ref}, {request.agency}", (INSTRUCTIONS_WIDTH,),
                                   heading_rows=None, landscape=False))
    _protect(ws)


def _summary_sheet(ws: Any, request: AgencyRequest) -> None:
    """Lay out the Agency summary sheet: a question a row, the answer beside it, then who wrote and signed it off.

    Column C holds each question's key (hidden), so the answers are read back whatever the
    agency does to the wording; rows are tall enough to show several paragraphs.
    """
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    put(ws["A1"], f"Agency summary: {request.agency} ({request.case_ref})").font = Font(bold=True, size=14)
    put(ws["A2"], "Answer each question in the yellow cell beside it (Alt+Enter starts a new line). Analyse what "
                  "happened and why, not only what happened; write names in full, with roles.")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:B2")
    ws.row_dimensions[2].height = 30
    put_row(ws, 4, ("Question", "Your agency's answer"))
    ws["A4"].font = ws["B4"].font = Font(bold=True)
    yellow = PatternFill("solid", fgColor="FFF2CC")
    top = Alignment(wrap_text=True, vertical="top")
    rows = [(q.key, f"{q.title}\n\n{q.text}" if q.title != q.text else q.text, 150)
            for q in request.summary_questions or questions_for({})]
    rows += [("author", AUTHOR, 30), ("signed_off", SIGNED_OFF, 30)]
    for r, (key, question, height) in enumerate(rows, start=5):
        label = put(ws.cell(row=r, column=1), question)
        label.alignment = top
        if key in ("author", "signed_off"):
            label.font = Font(bold=True)
        answer = ws.cell(row=r, column=2)
        answer.alignment = top
        answer.protection = Protection(locked=False)
        answer.fill = yellow
        put(ws.cell(row=r, column=3), key)
        ws.row_dimensions[r].height = height
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].hidden = True
    apply_openpyxl(ws, PrintLayout(f"Agency summary: {request.agency} ({request.case_ref})", (45, 90), (4, 4),
                                   landscape=True))
    _protect(ws)


def summary_from_sheet(file: str, rows: Sequence[Sequence[Any]], title_block: Sequence[Sequence[Any]] = ()
                       ) -> AgencySummary:
    """Return the answers typed on a returned request workbook's Agency summary sheet.

    Each row whose first cell is a question and whose second holds an answer is one answer; the
    hidden third cell names the question (workbooks made before it existed are matched by the
    question's wording). Rows labelled as the author and the sign-off fill those. When the
    summary names no author, the chronology's "Completed by" is taken.
    """
    summary = AgencySummary(file=file, place=f"sheet {SUMMARY_SHEET}")
    # The answers are below the "Question" heading; the rows above it are the sheet's title and instructions.
    start = next((i + 1 for i, row in enumerate(rows) if _cell(row, 0).casefold() == "question"), 0)
    for row in rows[start:]:
        question = _cell(row, 0)
        answer = _cell(row, 1)
        key = _cell(row, 2)
        if not question or question.casefold() == "question" or not answer:
            continue
        who = key if key in ("author", "signed_off") else label_of(question)
        if who == "author":
            summary.author = answer
        elif who == "signed_off":
            summary.signed_off = answer
        else:
            title, _, rest = question.partition("\n\n")
            shown = rest.strip() or title
            summary.answers.append(SummaryAnswer(shown, answer, key if key in QUESTIONS else key_of(question)))
    if not summary.author:
        for row in title_block:
            cells = [_cell(row, i) for i in range(len(row))]
            for i, text in enumerate(cells):
                if text and label_of(text) == "author":
                    value = text.partition(":")[2].strip() or next((c for c in cells[i + 1:] if c), "")
                    if value:
                        summary.author = value
                        break
            if summary.author:
                break
    return summary


def _cell(row: Sequence[Any], index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    return value.strip() if isinstance(value, str) else str(value).strip()


def _letter(index: int) -> str:
    from caseforms.chronology.columns import column_letter

    return column_letter(index)


# -- reading a returned workbook's identification --------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """The case and agency a returned request workbook names."""

    case_ref: str | None
    agency: str | None
    #: True when read from the hidden identification (a caseforms request workbook).
    from_request: bool = False


def identity_of(rows: Sequence[Sequence[Any]] | None) -> Identity | None:
    """Return the case and agency of a request workbook from the rows of its hidden sheet, or None when it is not one."""
    if not rows:
        return None
    values = {str(r[0]).strip(): r[1] for r in rows if len(r) >= 2 and r[0] not in (None, "")}
    if "caseforms request" not in values:
        return None
    return Identity(_str(values.get("Case reference")), _str(values.get("Agency")), from_request=True)


def _str(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


# -- the letter ----------------------------------------------------------------------------------


def letter_context(request: AgencyRequest, workbook_name: str, today: date) -> dict[str, Any]:
    """Return the fields of the request letter."""
    return {
        "today": _long(today),
        "partnership": {"name": request.partnership, "title": request.partnership},
        "bodies": {k: "" for k in ("executive", "rapid_review_group", "learning_group", "assurance", "national_panel")},
        "document": {"title": LETTER.title, "version": "1.0", "date": _long(today), "author": request.officer,
                     "status": "Final", "marking": MARKING},
        "case": {"ref": request.case_ref, "status": "", "children_names": ""},
        "letter": {"date": _long(today)},
        "agency": {"name": request.agency, "contact_name": request.contact_name or "Safeguarding Lead",
                   "contact_title": request.contact_title, "involvement": request.involvement},
        "request": {
            "scope": request.scope_text, "due": request.due_text, "people": request.people,
            "workbook": workbook_name, "summary_asked": request.summary_asked,
            "summary_questions": [q.text for q in request.summary_questions or questions_for({})],
            "officer": request.officer,
        },
    }


def render_letter(request: AgencyRequest, workbook_name: str, out: Path, templates: Path | None = None) -> Path:
    from caseforms.io.docx_render import render, template_path

    template = template_path(LETTER, templates)
    render(template, letter_context(request, workbook_name, request.requested_on), out, paper=LETTER)
    return out


def build_letter_template(folder: Path) -> Path:
    """Write the request letter's template into ``folder``."""
    from caseforms.io.template_builder import Builder

    b = Builder(LETTER.title)
    b.para("{{ partnership.name }}", bold=True, size=13, align="right")
    b.para("{{ letter.date }}", align="right")
    b.para("Our reference: {{ case.ref }}", size=10)
    b.para("{{ agency.contact_name }}\n{{ agency.contact_title }}\n{{ agency.name }}")
    b.heading("Request for a chronology{% if request.summary_asked %} and agency summary{% endif %}: "
              "{{ case.ref }}", 2)
    b.para("Dear {{ agency.contact_name }},")
    b.para("The {{ partnership.name }} is carrying out a Rapid Review of a serious child safeguarding incident "
           "(reference {{ case.ref }}). Your agency is recorded as involved{% if agency.involvement %} "
           "({{ agency.involvement }}){% endif %}, and we ask you for a chronology of your involvement"
           "{% if request.summary_asked %} and a short agency summary{% endif %}.")
    b.form((
        ("Case reference", "{{ case.ref }}"),
        ("Scope period", "{{ request.scope }}"),
        ("Return by", "{{ request.due }}"),
        ("Workbook to complete", "{{ request.workbook }}"),
    ))
    b.para("People in scope", bold=True)
    b.bullet_loop("p in request.people", "{{ p }}")
    b.para("Please complete the attached workbook: one row per event or contact in the scope period, oldest first, "
           "keeping its headings as they are. The dropdowns list the people in scope and the types of contact.")
    b.tag("{%p if request.summary_asked %}")
    b.para("On its Agency summary sheet, please answer:")
    b.bullet_loop("q in request.summary_questions", "{{ q }}")
    b.tag("{%p endif %}")
    b.para("Please return the workbook by {{ request.due }}, by secure e-mail, quoting {{ case.ref }}. If you cannot "
           "meet the deadline, tell us as soon as possible.", bold=True)
    b.para("Yours sincerely,")
    b.para()
    b.para("{{ document.author }}\n{{ partnership.name }}")
    b.para("Sent via secure e-mail. {{ document.marking }}.", italic=True, size=9)
    folder.mkdir(parents=True, exist_ok=True)
    return b.save(folder, TEMPLATE)


# -- the e-mail drafts -----------------------------------------------------------------------------


_XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def request_email(request: AgencyRequest, attachments: Sequence[Path]) -> EmailMessage:
    """Return the request e-mail as a draft: To the agency's contact, the files attached, no child's name."""
    summary = " and agency summary" if request.summary_asked else ""
    body = (
        f"Dear {request.contact_name or 'colleague'},\n\n"
        f"Rapid Review {request.case_ref}: request for a chronology{summary} from {request.agency}.\n\n"
        f"Please complete the attached workbook for the scope period {request.scope_text} and return it by "
        f"{request.due_text}, by secure e-mail, quoting {request.case_ref}. The attached letter gives the details.\n\n"
        "Please keep the workbook's layout: it comes back into our master chronology as it is.\n\n"
        f"Kind regards,\n{request.officer or ''}\n{request.partnership}\n"
    )
    return _draft(request, f"[{MARKING}] {request.case_ref}: chronology request, due {request.due_text}", body,
                  attachments)


def chase_email(request: AgencyRequest) -> EmailMessage:
    """Return a reminder draft for a chronology that is late."""
    body = (
        f"Dear {request.contact_name or 'colleague'},\n\n"
        f"Rapid Review {request.case_ref}: we have not yet received the chronology from {request.agency}, which was "
        f"due by {request.due_text}. The Rapid Review cannot be completed without it.\n\n"
        "Please send it today by secure e-mail, or tell us when it will come.\n\n"
        f"Kind regards,\n{request.officer or ''}\n{request.partnership}\n"
    )
    return _draft(request, f"[{MARKING}] REMINDER {request.case_ref}: chronology overdue (due {request.due_text})",
                  body, ())


def _draft(request: AgencyRequest, subject: str, body: str, attachments: Sequence[Path]) -> EmailMessage:
    msg = EmailMessage()
    if request.email:
        msg["To"] = request.email
    if request.deputy_email:
        msg["Cc"] = request.deputy_email
    msg["Subject"] = subject
    msg["X-Unsent"] = "1"  # Outlook opens the file as an unsent draft: the officer checks it and presses Send.
    msg["Date"] = formatdate(localtime=True)
    msg.set_content(body)
    for path in attachments:
        main, sub = _XLSX if path.suffix.lower() == ".xlsx" else _DOCX
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


def write_email(msg: EmailMessage, path: Path) -> Path:
    write_atomically(path, lambda tmp: tmp.write_bytes(msg.as_bytes()), kind=EMAIL)
    return path


def _long(value: date | datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the request letter's template: into the folder given, or the shipped ``templates/`` folder."""
    from caseforms.resources import templates_dir

    args = list(sys.argv[1:] if argv is None else argv)
    print(build_letter_template(Path(args[0]) if args else templates_dir()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
