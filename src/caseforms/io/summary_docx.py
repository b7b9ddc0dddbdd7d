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


Block = tuple[str, str, tuple[str, ...]]


def summary_from_blocks(file: str, blocks: list[Block]) -> AgencySummary:
    """Return the summary from a document's blocks, in order: (kind, text, cells).

    ``kind`` is "title", "heading", "text" or "row" (a table row, ``cells`` its cells). The title
    and the lines before the first heading say who sent it and for which case; every section
    after a heading is one answer; what is written before the first heading is kept too. The
    author and the sign-off come from lines labelled so ("Author: ...", "Signed off by" and the
    name on the next line, or in the next cell of a table row), never from a sentence.
    """
    from caseforms.chronology.merge import title_block_facts

    blocks = [(kind, text.strip(), cells) for kind, text, cells in blocks if text.strip()]
    first_heading = next((i for i, (kind, _, _) in enumerate(blocks) if kind == "heading" and i > 0), len(blocks))
    top = [list(cells) if kind == "row" else [text] for kind, text, cells in blocks[:first_heading]]
    facts = title_block_facts(top)
    summary = AgencySummary(file=file, case_reference=facts.get("case_reference"))
    title_texts: list[str] = []
    heading: str | None = None
    body: list[str] = []
    waiting_for: str | None = None  # "author" or "signed_off" after a label standing alone

    def close() -> None:
        text = "\n".join(body).strip()
        if heading is not None or text:
            question = heading or "Summary"
            summary.answers.append(SummaryAnswer(question, text, key_of(question) if heading else None))

    def said(who: str, value: str) -> None:
        if who == "author" and not summary.author:
            summary.author = value
        elif who == "signed_off" and not summary.signed_off:
            summary.signed_off = value

    for position, (kind, text, cells) in enumerate(blocks):
        if waiting_for is not None:
            said(waiting_for, text)
            waiting_for = None
            continue
        who, value = _labelled_person(kind, text, cells)
        if who is not None:
            if value:
                said(who, value)
            else:
                waiting_for = who
            continue
        if position < first_heading and _is_fact(text, cells, facts):
            continue  # "Case reference: ...", "Agency: ...": read above, not part of any answer
        if kind == "title" or (kind == "heading" and position == 0):
            title_texts.append(text)  # the document's title ("Agency Involvement Summary – Lincolnshire Police")
            continue
        if kind == "heading":
            close()
            heading, body = text, []
            continue
        if position < first_heading and len(text) <= 120:
            title_texts.append(text)
        body.append(text)
    close()
    summary.evidence = Evidence(file=file, labelled=facts.get("agency"), title_texts=title_texts)
    return summary


def is_summary(summary: AgencySummary, file: str) -> bool:
    """Return True when a Word document is an agency summary: a section answers a question, or it says it is one.

    A covering letter or caseforms' own request letter saved beside the returns is not.
    """
    if any(answer.key for answer in summary.answers):
        return True
    said = " ".join([file, *(summary.evidence.title_texts if summary.evidence else ())]).casefold()
    return any(word in said for word in ("summary", "imr", "management review", "involvement"))


_PERSON_LABEL = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ()/-]{1,40}?)\s*:\s*(?P<value>.*)$")


def _labelled_person(kind: str, text: str, cells: tuple[str, ...]) -> tuple[str | None, str]:
    """Return ("author" | "signed_off", the name) for a line or table row that says who wrote or signed it off."""
    if kind == "row" and len(cells) >= 2:
        who = label_of(cells[0]) if len(cells[0]) <= 40 else None
        return who, (" ".join(c for c in cells[1:] if c).strip() if who else "")
    if len(text) > 200:
        return None, ""
    m = _PERSON_LABEL.match(text)
    if m is None:
        return None, ""
    who = label_of(m["label"])
    return who, m["value"].strip() if who else ""


def _is_fact(text: str, cells: tuple[str, ...], facts: dict[str, str]) -> bool:
    """Return True for a line (or row) that only gives the case reference or the agency read as facts."""
    values = [v for v in facts.values() if v]
    return any(v in text for v in values) and len(text) <= 120 and (":" in text or len(cells) >= 2)


def _blocks(document: Any) -> list[Block]:
    """Return the document's paragraphs and tables in order: titles, headings, paragraphs, list items, table rows."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[Block] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style.startswith(("Title", "Subtitle")):
                out.append(("title", text, ()))
            elif style.startswith("Heading") or _bold_line(paragraph):
                out.append(("heading", text, ()))
            elif style.startswith("List") or (paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None):
                out.append(("text", f"• {text}", ()))
            else:
                out.append(("text", text, ()))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = tuple(dict.fromkeys(c.text.strip() for c in row.cells))
                out.append(("row", " | ".join(c for c in cells if c), cells))
    return out


def _bold_line(paragraph: Any) -> bool:
    """Return True for a short paragraph written all in bold: how many people type a heading."""
    text = paragraph.text.strip()
    runs = [r for r in paragraph.runs if r.text.strip()]
    return 0 < len(text) <= 90 and bool(runs) and all(r.bold for r in runs) and not text.endswith(".")
