"""Read an agency summary an agency sends as a Word document beside its chronology.

Agencies write these on their own template: a title, perhaps "Case reference: ..." and "Agency:
..." lines, then a section per topic under a heading ("What worked well", "The child's lived
experience"...), and at the end who wrote it and who signed it off. Each section becomes one
answer, matched to the profile's questions by its heading (:func:`caseforms.chronology.summaries.key_of`);
a section under a heading of the agency's own keeps that heading. Paragraphs, bulleted lists and
tables are all kept, in order: nothing the agency wrote is dropped.

Read with python-docx (which docxtpl brings); nothing in the document is run.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from caseforms.chronology.agencies import Evidence
from caseforms.chronology.summaries import AgencySummary, SummaryAnswer, key_of, label_of
from caseforms.errors import ReturnUnreadable, WorkbookCorrupt

#: A summary is a few pages; what a document may unpack to before it is refused (a damaged or malicious file).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Paragraphs at the top searched for the title, the case reference and the agency.
_TOP_PARAGRAPHS = 8
_LABELLED = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ()/]{1,40}?)\s*:\s*(?P<value>.+?)\s*$")
_AGENCY_LABELS = ("agency", "organisation", "organization", "agency name", "name of agency", "force", "school",
                  "practice", "service", "provider", "trust", "from")
_CASE_LABELS = ("case reference", "case ref", "reference", "our ref", "review reference", "rapid review reference")


def read_summary_document(path: Path) -> AgencySummary:
    """Return the summary a .docx holds; raise :class:`ReturnUnreadable` (or a subclass) saying what to do."""
    from docx import Document

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise WorkbookCorrupt(f"{path.name} is damaged or is not really a Word document ({e}). Ask the agency to "
                              "save it again from Word as .docx and resend it.") from e
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReturnUnreadable(f"{path.name} unpacks to {unpacked / 1024 ** 2:.0f} MB, far more than any agency "
                               "summary. Ask the agency for the summary alone, without pictures.")
    try:
        document = Document(str(path))
    except Exception as e:  # python-docx raises many kinds for a damaged part
        raise WorkbookCorrupt(f"{path.name} cannot be read as a Word document ({e}). Ask the agency to save it again "
                              "as .docx and resend it.") from e
    return summary_from_blocks(path.name, list(_blocks(document)))


def summary_from_blocks(file: str, blocks: list[tuple[str, str]]) -> AgencySummary:
    """Return the summary from a document's blocks: ("title" | "heading" | "text", text), in order.

    The title and the short lines before the first heading say who sent it (kept as evidence);
    what is written before the first heading is kept too, as a section of its own.
    """
    summary = AgencySummary(file=file)
    title_texts: list[str] = []
    labelled_agency: str | None = None
    case_ref: str | None = None
    heading: str | None = None
    body: list[str] = []

    def close() -> None:
        text = "\n".join(body).strip()
        if heading is not None or text:
            question = heading or "Summary"
            summary.answers.append(SummaryAnswer(question, text, key_of(question) if heading else None))

    for position, (kind, text) in enumerate(blocks):
        text = text.strip()
        if not text:
            continue
        who = label_of(text)
        if who is not None and len(text) <= 300:
            value = text.partition(":")[2].strip() or text
            if who == "author" and not summary.author:
                summary.author = value
                continue
            if who == "signed_off" and not summary.signed_off:
                summary.signed_off = value
                continue
        m = _LABELLED.match(text) if len(text) <= 120 else None
        if m and heading is None and not body:
            label = m["label"].strip().casefold()
            if label in _AGENCY_LABELS:
                labelled_agency = labelled_agency or m["value"]
                continue
            if label in _CASE_LABELS:
                case_ref = case_ref or m["value"]
                continue
        if kind == "title" or (kind == "heading" and position == 0):
            title_texts.append(text)  # the document's title ("Agency Involvement Summary – Lincolnshire Police")
            continue
        if kind == "heading":
            close()
            heading, body = text, []
        else:
            if heading is None and not summary.answers and position < _TOP_PARAGRAPHS and len(text) <= 120 \
                    and not body:
                title_texts.append(text)
            body.append(text)
    close()
    summary.evidence = Evidence(file=file, labelled=labelled_agency, title_texts=title_texts)
    summary.place = ""
    if case_ref:
        summary.case_reference = case_ref
    return summary


def _blocks(document: Any) -> list[tuple[str, str]]:
    """Return the document's paragraphs and tables in order: headings, paragraphs, list items, table rows."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[tuple[str, str]] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style.startswith(("Title", "Subtitle")):
                out.append(("title", text))
            elif style.startswith("Heading") or _bold_line(paragraph):
                out.append(("heading", text))
            elif style.startswith("List") or (paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None):
                out.append(("text", f"• {text}"))
            else:
                out.append(("text", text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))
                out.append(("text", " | ".join(c for c in cells if c)))
    return out


def _bold_line(paragraph: Any) -> bool:
    """Return True for a short paragraph written all in bold: how many people type a heading."""
    text = paragraph.text.strip()
    runs = [r for r in paragraph.runs if r.text.strip()]
    return 0 < len(text) <= 90 and bool(runs) and all(r.bold for r in runs) and not text.endswith(".")
