"""The IMR request pack: a letter, the IMR report template, the pre-filled chronology workbook and an e-mail draft.

Built on the chronology request's machinery (:mod:`caseforms.io.request_pack`): the same plain
``.xlsx`` chronology workbook (the LCSPR's scope period, the people in scope, no macros), the same
kind of e-mail draft (``X-Unsent: 1``: Outlook opens it as a draft). The letter and the report
template are filled from ``templates/imr_request.docx`` and ``templates/imr_report_template.docx``,
which a partnership may restyle; rebuild the shipped ones with ``python -m caseforms.io.imr_pack``.
The report template follows what an IMR covers (002_cbeaa030473136cf.txt: IMR reports, Appendix 4).
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

from caseforms.chronology.request import due_text
from caseforms.errors import TemplateError
from caseforms.io.file_kinds import REQUEST
from caseforms.io.request_pack import build_request_workbook, write_email
from caseforms.io.safe_write import write_atomically
from caseforms.lcspr.imr import ImrRequest
from caseforms.papers.fields import IMR_LETTER, IMR_REPORT, MARKING
from caseforms.register.folders import safe_name

#: The files of an agency's IMR pack, after its stem: what follows the stem, and what the file is.
PACK_FILES = ((" - chronology.xlsx", "request workbook"), (" - letter.docx", "paper"),
              (" - report template.docx", "paper"), (".eml", "e-mail draft"))


@dataclass
class ImrPack:
    """The files made for one agency's IMR, and what went wrong making them."""

    request: ImrRequest
    workbook: Path
    letter: Path | None
    report: Path | None
    email: Path
    problems: list[str] = field(default_factory=list)


def imr_stem(request: ImrRequest) -> str:
    """Return the file name stem of an agency's IMR pack: the case reference and the agency, never a child's name."""
    return safe_name(f"{request.case_ref} IMR request - {request.agency}")


def write_imr_pack(request: ImrRequest, out: Path, templates: Path | None = None) -> ImrPack:
    """Write the chronology workbook, letter, report template and e-mail draft of one agency into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    stem = imr_stem(request)
    workbook = out / f"{stem}{PACK_FILES[0][0]}"
    wb = build_request_workbook(request.chronology)
    wb.properties.title = f"{request.case_ref} IMR chronology: {request.agency}"
    write_atomically(workbook, wb.save, kind=REQUEST)
    problems: list[str] = []
    written: dict[str, Path | None] = {}
    for paper, ending in ((IMR_LETTER, PACK_FILES[1][0]), (IMR_REPORT, PACK_FILES[2][0])):
        try:
            written[paper.name] = _render(paper, request, workbook.name, f"{stem}{PACK_FILES[2][0]}",
                                          out / f"{stem}{ending}", templates)
        except TemplateError as e:  # a restyled template with a mistake: the rest of the pack still goes
            problems.append(f"The {paper.title.lower()} was not written: {e}")
            written[paper.name] = None
    attachments = [p for p in (written[IMR_LETTER.name], written[IMR_REPORT.name], workbook) if p is not None]
    email = write_email(imr_email(request, attachments), out / f"{stem}.eml")
    return ImrPack(request, workbook, written[IMR_LETTER.name], written[IMR_REPORT.name], email, problems)


def _long(value: date | datetime) -> str:
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%H:%M} on {text}" if isinstance(value, datetime) and value.time() != datetime.min.time() else text


def imr_context(request: ImrRequest, workbook_name: str, report_name: str, today: date) -> dict[str, Any]:
    """Return the fields of the IMR letter and report template (caseforms.papers.fields: IMR_LETTER)."""
    c = request.chronology
    return {
        "today": _long(today),
        "partnership": {"name": c.partnership, "title": c.partnership},
        "bodies": {k: "" for k in ("executive", "rapid_review_group", "learning_group", "assurance", "national_panel")},
        "document": {"title": IMR_LETTER.title, "version": "1.0", "date": _long(today), "author": c.officer,
                     "status": "Final", "marking": MARKING},
        "case": {"ref": c.case_ref, "status": "", "children_names": ""},
        "letter": {"date": _long(today)},
        "agency": {"name": c.agency, "contact_name": c.contact_name or "Safeguarding Lead",
                   "contact_title": c.contact_title, "involvement": c.involvement},
        "imr": {
            "author": request.author or "to be named by your agency",
            "briefing": _long(request.briefing) if request.briefing else "to be arranged",
            "due": due_text(request.due),
            "scope": c.scope_text,
            "people": c.people,
            "key_lines_of_enquiry": request.key_lines_of_enquiry or ["to be confirmed by the review panel"],
            "reviewer": request.reviewer or "to be confirmed",
            "methodology": request.methodology or "to be confirmed",
            "pseudonym": request.pseudonym or "to be agreed",
            "workbook": workbook_name,
            "report": report_name,
            "officer": c.officer,
        },
    }


def _render(paper: Any, request: ImrRequest, workbook_name: str, report_name: str, out: Path,
            templates: Path | None) -> Path:
    from caseforms.io.docx_render import render, template_path

    context = imr_context(request, workbook_name, report_name, request.chronology.requested_on)
    context["document"]["title"] = paper.title
    if paper is IMR_REPORT:  # the agency's own document: its author writes it, and it is a draft until approved
        context["document"].update(author=context["imr"]["author"], status="Draft")
    render(template_path(paper, templates), context, out, paper=paper)
    return out


def imr_email(request: ImrRequest, attachments: Sequence[Path]) -> EmailMessage:
    """Return the IMR request as an e-mail draft: to the agency's contact, the pack attached, no child's name."""
    c = request.chronology
    briefing = f" The authors' briefing is at {_long(request.briefing)}." if request.briefing else ""
    body = (
        f"Dear {c.contact_name or 'colleague'},\n\n"
        f"Local child safeguarding practice review {c.case_ref}: request for an Independent Management Review from "
        f"{c.agency}.\n\n"
        f"Please name your IMR author, who completes the attached report template and chronology for the period "
        f"{c.scope_text}, and return them by {due_text(request.due)}, quality assured and approved within your "
        f"agency, by secure e-mail, quoting {c.case_ref}.{briefing} The attached letter gives the details.\n\n"
        f"Kind regards,\n{c.officer or ''}\n{c.partnership}\n"
    )
    msg = EmailMessage()
    if c.email:
        msg["To"] = c.email
    if c.deputy_email:
        msg["Cc"] = c.deputy_email
    msg["Subject"] = f"[{MARKING}] {c.case_ref}: IMR request, due {due_text(request.due)}"
    msg["X-Unsent"] = "1"  # Outlook opens the file as an unsent draft: the officer checks it and presses Send.
    msg["Date"] = formatdate(localtime=True)
    msg.set_content(body)
    for path in attachments:
        if path.suffix.lower() == ".xlsx":
            main, sub = "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            main, sub = "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


# -- the templates -------------------------------------------------------------------------------


def build_imr_templates(folder: Path) -> list[Path]:
    """Write the IMR letter's and the IMR report's templates into ``folder``."""
    from caseforms.io.template_builder import Builder

    folder.mkdir(parents=True, exist_ok=True)
    b = Builder(IMR_LETTER.title, paper=IMR_LETTER.name)
    b.para("{{ partnership.name }}", bold=True, size=13, align="right")
    b.para("{{ letter.date }}", align="right")
    b.para("Our reference: {{ case.ref }}", size=10)
    b.para("{{ agency.contact_name }}\n{{ agency.contact_title }}\n{{ agency.name }}")
    b.heading("Request for an Independent Management Review: {{ case.ref }}", 2)
    b.para("Dear {{ agency.contact_name }},")
    b.para("The {{ partnership.name }} is undertaking a local child safeguarding practice review (reference "
           "{{ case.ref }}; the child is called {{ imr.pseudonym }} in anything published). Your agency is recorded as "
           "involved{% if agency.involvement %} ({{ agency.involvement }}){% endif %}, and we ask it for an Independent "
           "Management Review (IMR): a review of your agency's involvement that looks openly and critically at "
           "individual and organisational practice and the context in which people were working.")
    b.form((
        ("Case reference", "{{ case.ref }}"),
        ("Period under review", "{{ imr.scope }}"),
        ("IMR author", "{{ imr.author }}"),
        ("Authors' briefing", "{{ imr.briefing }}"),
        ("Return by", "{{ imr.due }}"),
        ("Reviewer", "{{ imr.reviewer }}"),
        ("Methodology", "{{ imr.methodology }}"),
    ))
    b.para("The questions the review asks", bold=True)
    b.bullet_loop("k in imr.key_lines_of_enquiry", "{{ k }}")
    b.para("People in scope", bold=True)
    b.bullet_loop("p in imr.people", "{{ p }}")
    b.para("Your IMR author should not have been involved with the family or manage those who were. They attend the "
           "authors' briefing with the reviewer, review the records, speak to the staff involved, complete the "
           "chronology workbook ({{ imr.workbook }}) and write the report on the template ({{ imr.report }}), with "
           "analysis, learning and SMART single-agency actions.")
    b.para("Please have the IMR quality assured and approved within your agency before it is returned, and return it "
           "by {{ imr.due }}, by secure e-mail, quoting {{ case.ref }}. If you cannot meet the date, tell us as soon "
           "as possible.", bold=True)
    # The close is never left at the foot of a page with the signature over the page.
    b.para("Yours sincerely,", keep=True)
    b.para(keep=True)
    b.para("{{ imr.officer }}\n{{ partnership.name }}")
    b.para("Sent via secure e-mail. {{ document.marking }}.", italic=True, size=9)
    letter = b.save(folder, IMR_LETTER.template)

    r = Builder(IMR_REPORT.title, paper=IMR_REPORT.name)
    r.title_block("{{ agency.name }} for the {{ partnership.name }}")
    r.para("Local child safeguarding practice review {{ case.ref }} ({{ imr.pseudonym }}). Period under review: "
           "{{ imr.scope }}. Return by {{ imr.due }}. A formal document: no acronyms, contractions or colloquial "
           "language. Replace each prompt with your agency's account.", italic=True, size=10)
    r.form((
        ("Agency", "{{ agency.name }}"),
        ("IMR author (name, role)", "{{ imr.author }}"),
        ("Quality assured by (name, role, date)", ""),
        ("Approved by (name, role, date)", ""),
    ))
    r.heading("1. The questions this IMR answers")
    r.bullet_loop("k in imr.key_lines_of_enquiry", "{{ k }}")
    for number, (title, prompt) in enumerate((
        ("The child", "Biographical information of the child or children: age, identity and protected characteristics, "
                      "what is known of their lived experience."),
        ("The family, its background and identity", "The family, its history and context, its identity and protected "
                                                    "characteristics, as your agency knew them."),
        ("Your agency's involvement", "What services the family received or did not receive during the period, and "
                                      "how things were perceived at the time: the rationale for decisions taken."),
        ("Analysis", "Critical analysis: why events happened as they did, the context and structural issues staff "
                     "worked in, without hindsight."),
        ("Current situation", "The safeguarding arrangements in place now."),
        ("Learning", "Individual and systemic learning for your agency and the partnership."),
    ), 2):
        r.heading(f"{number}. {title}")
        r.para(prompt, italic=True)
    r.heading("8. Single-agency actions (SMART)")
    r.grid(("No.", "Action", "Lead", "Evidence of completion", "By when"), ("", "", "", "", ""),
           shares=(0.06, 0.4, 0.16, 0.24, 0.14))
    r.heading("9. Chronology")
    r.para("Complete the chronology workbook sent with this template ({{ imr.workbook }}) and return it with this "
           "report.")
    report = r.save(folder, IMR_REPORT.template)
    return [letter, report]


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the IMR templates: into the folder given, or the shipped ``templates/`` folder."""
    from caseforms.resources import templates_dir

    args = list(sys.argv[1:] if argv is None else argv)
    for path in build_imr_templates(Path(args[0]) if args else templates_dir()):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
