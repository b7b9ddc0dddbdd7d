"""Build the shipped Word templates in ``templates/`` with python-docx.

Run ``python -m caseforms.io.template_builder [DIR]`` to rewrite them (default: the shipped
folder). Each template is an ordinary Word document a partnership can open and restyle: real
heading styles, a document control box, table header rows that repeat on every page, "Page X of
Y" fields and the protective marking in the header and footer. The fields are docxtpl/Jinja tags
(``{{ child.name }}``; ``{%tr for ... %}`` rows repeat a table row; ``{%p if ... %}`` paragraphs
show or hide a block); `caseforms templates fields` lists them all. The layouts follow the forms
in 004_6c96fbcaaedcbdc1.txt (Appendices A, D, E, F and G).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from caseforms.papers.fields import PAPERS, section_tag

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
#: The paragraph style of a section's bold opening line when it has no heading (see Builder.section).
SECTION_LABEL = "Section label"
HEADER_FILL = "D9E2F3"
LABEL_FILL = "F2F2F2"
FONT = "Arial"


# -- low-level helpers ----------------------------------------------------------------------------
def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(row_element: object) -> None:
    """Mark a table row as a header row: Word repeats it at the top of every page."""
    tr_pr = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cant_split(row_element: object) -> None:
    tr_pr = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:cantSplit"))


def _field(paragraph: Paragraph, instruction: str, shown: str, size: Pt | None = None, dirty: bool = False) -> None:
    """Add a Word field (PAGE, NUMPAGES, PAGEREF) that Word and LibreOffice update as they lay out pages.

    ``dirty`` marks the field for Word to update when the document is opened (a page reference
    whose page is only known once Word has laid the document out).
    """
    def run_with(element: Any) -> None:
        run = paragraph.add_run()
        if size:
            run.font.size = size
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown_run = paragraph.add_run(shown)
    if size:
        shown_run.font.size = size
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _keep_with_next(row: Any) -> None:
    """Keep a table row on the same page as the row after it (Word's way: its paragraphs keep with next)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _keep_rows_together(rows: Sequence[Any]) -> None:
    """Keep a short table on one page: every row but the last keeps with the next."""
    for row in rows[:-1]:
        _keep_with_next(row)


def _shrink_last_paragraph(body: Any) -> None:
    """Make an empty last paragraph (Word ends a document after its last table with one) a hairline.

    Otherwise a table that fills its page exactly pushes it onto a page of its own: a blank last page.
    """
    paragraphs = [e for e in body if e.tag == qn("w:p")]
    last = paragraphs[-1] if paragraphs else None
    if last is None or body.index(last) != len(body) - 2 or "".join(last.itertext()).strip():
        return
    paragraph = Paragraph(last, None)  # type: ignore[arg-type]  # only its format is set: no story part needed
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    mark = last.get_or_add_pPr()
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    props.append(size)
    mark.append(props)


def _section_element(tag: str, title: str, number: int) -> Any:
    """Return an empty content control for an officer-written section: tagged, titled, not deletable."""
    sdt = OxmlElement("w:sdt")
    props = OxmlElement("w:sdtPr")
    # No w:id: a section repeated by a loop would repeat it, and Word gives each control its own when it saves.
    for name, value in (("w:alias", title), ("w:tag", tag), ("w:lock", "sdtLocked")):
        element = OxmlElement(name)
        element.set(qn("w:val"), value)
        props.append(element)
    sdt.append(props)
    sdt.append(OxmlElement("w:sdtContent"))
    return sdt


def _cell_text(cell: _Cell, text: str, bold: bool = False, size: Pt | None = None) -> Paragraph:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = size
    return paragraph


class Builder:
    """A Word document being laid out as a template: one per paper."""

    def __init__(self, title: str, landscape: bool = False, paper: str = "") -> None:
        self.doc: DocumentObject = Document()
        self.title = title
        #: The paper's name in the catalogue: its sections' content controls are tagged with it.
        self.paper = paper
        self._sections = 0
        self._styles()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
        # The usable width between the margins (2 cm each side), in EMU, for column widths.
        self.width = int(Cm(29.7 if landscape else 21.0)) - 2 * int(Cm(2.0))
        self._header_footer()
        self.doc.core_properties.title = title
        self.doc.core_properties.author = "caseforms"
        self.doc.core_properties.comments = (
            "A caseforms template: the fields in double curly brackets are filled from the case register. "
            "Restyle freely; keep the fields (see 'caseforms templates fields')."
        )

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(6)
        for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.color.rgb = NAVY
            style.font.bold = name != "Title"
            rfonts = style.element.rPr.rFonts
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:ascii"), FONT)
            rfonts.set(qn("w:hAnsi"), FONT)
            style.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True
        title = styles["Title"]
        # The default Title style draws a rule under the title; a plain title reads like an official paper.
        p_pr = title.element.get_or_add_pPr()
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)
        styles["Table Grid"].font.size = Pt(10)
        from docx.enum.style import WD_STYLE_TYPE

        label = styles.add_style(SECTION_LABEL, WD_STYLE_TYPE.PARAGRAPH)
        label.base_style = normal
        label.font.bold = True
        label.paragraph_format.keep_with_next = True
        label.paragraph_format.space_after = Pt(3)

    def _header_footer(self) -> None:
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        marking = header.add_run("{{ document.marking }}")
        marking.bold = True
        marking.font.size = Pt(10)
        marking.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        name = section.header.add_paragraph()
        name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = name.add_run("{{ partnership.name }}")
        run.font.size = Pt(9)
        run.font.color.rgb = NAVY

        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        small = Pt(8.5)
        left = footer.add_run(f"{{{{ case.ref }}}} · {self.title} · version {{{{ document.version }}}} · Page ")
        left.font.size = small
        _field(footer, "PAGE", "1", small)
        of = footer.add_run(" of ")
        of.font.size = small
        _field(footer, "NUMPAGES", "1", small)
        mark = section.footer.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run("{{ document.marking }}")
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    # -- blocks ----------------------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> Paragraph:
        return self.doc.add_heading(text, level=level)

    def para(self, text: str = "", bold: bool = False, italic: bool = False, style: str | None = None,
             size: float | None = None, align: str | None = None, keep: bool = False) -> Paragraph:
        """Add a paragraph; ``keep`` keeps it on the page of what follows (a table it introduces)."""
        paragraph = self.doc.add_paragraph(style=style)
        paragraph.paragraph_format.keep_with_next = keep or None
        if text:
            run = paragraph.add_run(text)
            run.bold = bold
            run.italic = italic
            if size:
                run.font.size = Pt(size)
        if align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return paragraph

    @contextmanager
    def section(self, key: str, title: str, heading: str | None = None, level: int = 1,
                label: str | None = None) -> Iterator[None]:
        """Put what is added inside the ``with`` block into a section the officer writes in Word.

        A content control tagged ``caseforms:<paper>:<key>`` and titled ``title``: it shows the
        register's text or the "[not recorded: ...]" prompt until written, and making the paper again
        carries what was written (see caseforms.io.paper_versions). It opens with its ``heading`` (or
        a bold ``label``): the template's, renewed in each version. (LibreOffice 7.4 drops the character
        formatting of a control's first paragraph, so that paragraph is one whose look is its style.)
        """
        body = self.doc.element.body

        def end() -> int:
            return len(body) - (1 if len(body) and body[-1].tag == qn("w:sectPr") else 0)

        start = end()
        if heading is not None:
            self.heading(heading, level)
        elif label is not None:
            self.doc.add_paragraph(label, style=SECTION_LABEL)
        yield
        added = list(body)[start:end()]
        if not added:
            raise ValueError(f"section {key!r} of {self.paper} is empty")
        self._sections += 1
        sdt = _section_element(section_tag(self.paper, key), title, self._sections)
        body.insert(body.index(added[0]), sdt)
        content = sdt.find(qn("w:sdtContent"))
        for element in added:
            content.append(element)

    def tag(self, text: str) -> None:
        """Add a paragraph holding only a block tag (``{%p if ... %}``); docxtpl removes it when filling."""
        self.doc.add_paragraph().add_run(text)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def bullet_loop(self, loop: str, item: str) -> None:
        """A bullet per item of a list field: ``loop`` is ``x in list``, ``item`` the text of each."""
        self.tag(f"{{%p for {loop} %}}")
        self.doc.add_paragraph(item, style="List Bullet")
        self.tag("{%p endfor %}")

    def title_block(self, subtitle: str | None = "{{ partnership.name }}") -> None:
        self.doc.add_paragraph(self.title, style="Title")
        if subtitle:
            self.para(subtitle, bold=True, size=12)
        self.control_box()

    def control_box(self) -> None:
        """The document control box every paper carries: reference, version, date, author, status."""
        rows = (
            ("Case reference", "{{ case.ref }}", "Version", "{{ document.version }}"),
            ("Date", "{{ document.date }}", "Status", "{{ document.status }}"),
            ("Author", "{{ document.author }}", "Marking", "{{ document.marking }}"),
        )
        table = self.doc.add_table(rows=0, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row in rows:
            cells = table.add_row().cells
            for i, text in enumerate(row):
                _cell_text(cells[i], text, bold=i % 2 == 0, size=Pt(9))
                if i % 2 == 0:
                    _shade(cells[i], LABEL_FILL)
        self._widths(table, (0.18, 0.32, 0.16, 0.34))
        self.para()

    def form(self, rows: Sequence[tuple[str, str]], label_share: float = 0.35) -> Table:
        """A two-column form: a shaded label and the value beside it."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            _cell_text(cells[0], label, bold=True)
            _shade(cells[0], LABEL_FILL)
            _cell_text(cells[1], value)
            _cant_split(table.rows[-1]._tr)
        _keep_rows_together(table.rows)
        self._widths(table, (label_share, 1 - label_share))
        self.para()
        return table

    def grid(self, headers: Sequence[str], cells: Sequence[str], loop: str | None = None,
             shares: Sequence[float] | None = None, size: float | None = None) -> Table:
        """A table with a repeating header row; with ``loop`` the value row repeats for each item."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        font = Pt(size) if size else None
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell_text(cell, text, bold=True, size=font)
            _shade(cell, HEADER_FILL)
        _repeat_header(table.rows[0]._tr)
        if loop:
            self._tag_row(table, f"{{%tr for {loop} %}}")
        row = table.add_row()
        _cant_split(row._tr)
        for cell, text in zip(row.cells, cells, strict=True):
            _cell_text(cell, text, size=font)
        if loop:
            self._tag_row(table, "{%tr endfor %}")
            # The heading row is never left alone at the foot of a page.
            _keep_rows_together(table.rows[:2])
        else:
            _keep_rows_together(table.rows)
        self._widths(table, shares or [1 / len(headers)] * len(headers))
        self.para()
        return table

    def _tag_row(self, table: Table, text: str) -> None:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
        _cell_text(merged, text, size=Pt(8))

    def _widths(self, table: Table, shares: Sequence[float]) -> None:
        table.autofit = False
        widths = [int(self.width * s) for s in shares]
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
            col.set(qn("w:w"), str(width // 635))  # EMU to twentieths of a point
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = width

    def options(self, field: str, columns: int = 2, keep_with_next: bool = False) -> None:
        """Tick boxes for every option of a list field (☒ ticked, ☐ not), ``columns`` to a row.

        ``keep_with_next`` keeps the boxes on the page of what follows (the decision's details).
        """
        table = self.doc.add_table(rows=0, cols=2 * columns)
        table.style = "Table Grid"
        self._tag_row(table, f"{{%tr for row in {field}|batch({columns}, '') %}}")
        _cant_split(table.add_row()._tr)
        cells = table.rows[-1].cells
        for i in range(columns):
            _cell_text(cells[2 * i], f"{{{{ row[{i}].box }}}}").alignment = WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cells[2 * i + 1], f"{{{{ row[{i}].label }}}}", size=Pt(10))
        # Every repeated row keeps with the next: a tick list (a few dozen rows at most) stays on one page.
        _keep_with_next(table.rows[-1])
        self._tag_row(table, "{%tr endfor %}")
        box, label = 0.06, 1 / columns - 0.06
        self._widths(table, [box, label] * columns)
        self.para().paragraph_format.keep_with_next = keep_with_next

    def line_loop(self, loop: str, item: str) -> None:
        """A plain paragraph per item of a list field, close together (an address, a list of names)."""
        self.tag(f"{{%p for {loop} %}}")
        paragraph = self.doc.add_paragraph(item)
        paragraph.paragraph_format.space_after = Pt(0)
        self.tag("{%p endfor %}")
        self.para()

    def signature(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.para(line)

    def signatures(self, signers: Sequence[str]) -> Table:
        """One table to sign: a row per signer with room for a name, a signature and the date, kept on one page."""
        table = self.doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Partner", "Name", "Signature", "Date"), strict=True):
            _cell_text(cell, text, bold=True)
            _shade(cell, HEADER_FILL)
        for signer in signers:
            row = table.add_row()
            row.height = Cm(1.2)  # room for a signature written by hand
            _cant_split(row._tr)
            _cell_text(row.cells[0], signer, bold=True)
        _keep_rows_together(table.rows)
        self._widths(table, (0.25, 0.3, 0.25, 0.2))
        self.para()
        return table

    def save(self, folder: Path, name: str) -> Path:
        _shrink_last_paragraph(self.doc.element.body)
        path = folder / name
        self.doc.save(str(path))
        return path


# -- the papers ---------------------------------------------------------------------------------
PERSON_ROWS = (
    ("Name", "{{ c.name }}"),
    ("Date of birth", "{{ c.date_of_birth }} (age at the incident: {{ c.age_at_incident }})"),
    ("Date of death (if applicable)", "{{ c.date_of_death }}"),
    ("Address", "{{ c.address }}"),
    ("NHS number", "{{ c.nhs_number }}"),
    ("Gender", "{{ c.gender }}"),
    ("Ethnicity", "{{ c.ethnicity }}"),
    ("Disability", "{{ c.disability }}"),
    ("Education provision", "{{ c.education }}"),
)


def _children_forms(b: Builder, rows: Sequence[tuple[str, str]], field: str = "children", who: str = "Child") -> None:
    b.tag(f"{{%p for c in {field} %}}")
    b.heading(f"{who} {{{{ c.number }}}}: {{{{ c.name }}}}", 2)
    b.form(rows)
    b.tag("{%p endfor %}")


def referral(b: Builder) -> None:
    b.title_block()
    b.para("Partner notification of a child safeguarding incident, or referral for a multi-agency learning "
           "review. Submitted by the agency's Safeguarding Lead Officer (SLO) or their nominated deputy to the "
           "{{ partnership.name }} business unit, for the {{ bodies.executive }} to decide the pathway.",
           italic=True, size=10)
    b.heading("1. Child details")
    _children_forms(b, PERSON_ROWS)
    b.heading("2. The child's family and network")
    b.grid(("Relationship to child", "Name", "Date of birth", "Address", "NHS number"),
           ("{{ p.relationship }}", "{{ p.name }}", "{{ p.date_of_birth }}", "{{ p.address }}", "{{ p.nhs_number }}"),
           loop="p in family", shares=(0.17, 0.2, 0.16, 0.29, 0.18))
    b.heading("3. Professional network (evidence of multi-agency working)")
    b.grid(("Agency", "Nature of involvement and/or intervention", "Period"),
           ("{{ a.name }}", "{{ a.involvement }}", "{{ a.period }}"), loop="a in agencies", shares=(0.3, 0.45, 0.25))
    b.heading("4. Details about the incident / near miss")
    b.form((
        ("Date and time", "{{ incident.date }}, {{ incident.time }}"),
        ("Location", "{{ incident.location }}"),
    ))
    with b.section("incident_outline", "What happened", "What happened", 3):
        b.para("{{ incident.outline }}")
    with b.section("immediate_actions", "Immediate action taken",
                   "Immediate action taken to keep the child and siblings safe", 3):
        b.para("{{ incident.immediate_actions }}")
    with b.section("reason", "Why the referral is made", "5. Why are you making the referral?"):
        b.para("{{ referral.reason }}")
    b.para("Pathway you are asking for:", bold=True, keep=True)
    b.options("referral.pathway_options", columns=1)
    b.heading("6. Referral details")
    b.form((
        ("Date of notification to the partnership", "{{ referral.received }}"),
        ("Name of SLO / agency", "{{ referral.slo_name }}, {{ referral.agency }}"),
        ("Telephone", "{{ referral.telephone }}"),
        ("E-mail", "{{ referral.email }}"),
        ("Decision due (partnership use)", "{{ referral.decision_due }}"),
    ))


def decision(b: Builder) -> None:
    b.title_block()
    b.para("Recommendation of the {{ bodies.executive }} and the response of the {{ bodies.assurance }}.",
           italic=True, size=10)
    b.form((
        ("Notified by (agency)", "{{ referral.agency }}"),
        ("Date referral received", "{{ referral.received }}"),
        ("Date discussed", "{{ decision.discussed }}"),
    ))
    b.heading("Details of the child")
    _children_forms(b, (
        ("Child's full name", "{{ c.name }}"),
        ("Date of birth", "{{ c.date_of_birth }}"),
        ("Date of death (if applicable)", "{{ c.date_of_death }}"),
        ("Gender", "{{ c.gender }}"),
        ("Ethnicity", "{{ c.ethnicity }}"),
        ("Disability", "{{ c.disability }}"),
        ("Legal status at the time of the incident", "{{ c.legal_status }}"),
        ("Child protection plan (start date and category)", "{{ c.cp_plan }}"),
    ))
    b.heading("Other services involved at the time of or before the incident")
    b.grid(("Agency", "Involvement", "From", "To"),
           ("{{ a.name }}", "{{ a.involvement }}", "{{ a.involved_from }}", "{{ a.involved_to }}"),
           loop="a in agencies", shares=(0.28, 0.38, 0.17, 0.17))
    b.heading("Reason for notification")
    table = b.doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (
        "{{ incident.death_box }} Death", "{{ incident.serious_harm_box }} Serious harm",
        "{{ incident.abuse_box }} Abuse", "{{ incident.neglect_box }} Neglect",
    ), strict=True):
        _cell_text(cell, text)
    b.para()
    b.form((("Date of the incident (the event that triggered this notification)", "{{ incident.date }}"),))
    b.heading("Characteristics of the incident (all that apply, suspected or actual)")
    b.options("incident.characteristics", columns=2)
    with b.section("incident_outline", "Incident outline", "Incident outline"):
        b.para("{{ incident.outline }}")
    with b.section("immediate_actions", "Actions taken to safeguard any child at risk",
                   "Actions taken to safeguard any child at risk"):
        b.para("{{ incident.immediate_actions }}")
    with b.section("rationale", "Rationale for the recommendation", "Rationale for the recommendation"):
        b.para("{{ decision.rationale }}")
    b.para("In reaching its recommendation the {{ bodies.executive }} had regard to Working Together to "
           "Safeguard Children and the {{ bodies.national_panel }}'s practice guidance. Should the "
           "{{ bodies.assurance }} agree, a Rapid Review will be completed within 15 working days of the "
           "notification. The Rapid Review considers whether the case meets the criteria for a local child "
           "safeguarding practice review, whether it:", size=10, keep=True)
    b.bullet_loop("k in decision.review_criteria", "{{ k }}")
    b.para("and has regard to these circumstances:", size=10, keep=True)
    b.bullet_loop("k in decision.regard_to", "{{ k }}")
    b.heading("Decision")
    b.options("decision.options", columns=1, keep_with_next=True)
    b.form((
        ("Decision recorded", "{{ decision.decision }}"),
        ("How the decision was made", "{{ decision.decided_how }}"),
        ("Dissent", "{{ decision.dissent }}"),
        ("Who dissented", "{{ decision.dissented_by }}"),
        ("Family told of the notification", "{{ decision.family_told }}"),
    ))
    b.heading("{{ bodies.assurance }}: response and rationale")
    b.form((
        ("Date of meeting", "{{ decision.response_date }}"),
        ("Attendees", "{{ decision.attendee_names }}"),
    ))
    with b.section("response", "Response and rationale", label="Response and rationale"):
        b.para("{{ decision.response }}")


def notification(b: Builder) -> None:
    b.title_block()
    b.para("Prepare every answer here first: the National Panel's online notification system times out after "
           "20 minutes of inactivity and does not save a part-completed form. One notification per incident, "
           "with up to 4 children.", italic=True, size=10)
    b.form((
        ("What is being notified", "{{ notification.kind }}"),
        ("Date the local authority became aware", "{{ notification.aware }}"),
        ("Notification due by (5 working days)", "{{ notification.due }}"),
        ("Date notified", "{{ notification.notified }}"),
        ("Panel reference", "{{ notification.panel_reference }}"),
    ))
    b.heading("1. Notifier")
    b.form((
        ("Name", "{{ notification.notifier_name }}"),
        ("Job title", "{{ notification.notifier_role }}"),
        ("E-mail", "{{ notification.notifier_email }}"),
        ("Telephone", "{{ notification.notifier_phone }}"),
        ("Local authority", "{{ notification.local_authority }}"),
    ))
    b.heading("2. The incident")
    b.form((
        ("Date", "{{ incident.date }}"),
        ("Time", "{{ incident.time }}"),
        ("Location", "{{ incident.location }}"),
        ("Where", "{{ incident.where }}"),
        ("Death or serious harm", "{{ incident.harm }}"),
        ("Abuse or neglect known or suspected", "{{ incident.abuse_or_neglect }}"),
        ("Police investigation", "{{ incident.police_investigation }}"),
        ("Characteristics (all that apply)", "{{ incident.characteristics_ticked }}"),
    ))
    with b.section("incident_outline", "Case outline", "Case outline", 2):
        b.para("{{ incident.outline }}")
    with b.section("immediate_actions", "Immediate action taken", "Immediate action taken", 2):
        b.para("{{ incident.immediate_actions }}")
    b.heading("3. The children (up to 4)")
    _children_forms(b, (
        *PERSON_ROWS,
        ("Died or seriously harmed", "{{ c.harm }}"),
        ("Known to children's social care", "{{ c.known_to_social_care }}"),
        ("Legal status at the incident", "{{ c.legal_status }}"),
        ("Child protection plan", "{{ c.cp_plan }}"),
        ("Placing authority (looked-after child)", "{{ c.placing_authority }}"),
    ), field="notification.children")
    b.form((("More than 4 children", "{{ notification.children_over_four }}"),))
    b.heading("4. Agencies involved")
    b.grid(("Agency", "Involvement", "Period"), ("{{ a.name }}", "{{ a.involvement }}", "{{ a.period }}"),
           loop="a in agencies", shares=(0.3, 0.45, 0.25))
    b.heading("5. Further information")
    b.form((
        ("Other children affected", "{{ notification.other_children }}"),
        ("Secretary of State and Ofsted told (looked-after child's death)", "{{ notification.secretary_of_state_told }}"),
    ))
    with b.section("further_information", "Anything else", "Anything else", 3):
        b.para("{{ notification.further_information }}")


def rr_terms_of_reference(b: Builder) -> None:
    b.title_block()
    b.heading("Background")
    b.para("These terms of reference meet the requirements for a Rapid Review under the child safeguarding "
           "practice review arrangements of the {{ partnership.name }}. The local authority notified the "
           "{{ bodies.national_panel }} on {{ rapid_review.notified }}.")
    b.para("A serious child safeguarding incident (Children Act 2004, s16C(1)) is one where abuse or neglect of a "
           "child is known or suspected and the child has died or been seriously harmed.")
    b.heading("Purpose")
    b.para("The Rapid Review enables the three statutory safeguarding partners to:")
    b.bullets((
        "gather the facts about the case, as far as they can be readily established at the time;",
        "discuss whether immediate action is needed to keep children safe, and share any learning;",
        "consider the potential for identifying improvements to safeguard and promote children's welfare;",
        "decide what steps to take next, including whether to undertake a local child safeguarding "
        "practice review.",
    ))
    b.heading("Children and significant others in scope")
    b.grid(("Name", "Relationship to child", "Date of birth", "Address", "NHS number"),
           ("{{ p.name }}", "{{ p.relationship }}", "{{ p.date_of_birth }}", "{{ p.address }}", "{{ p.nhs_number }}"),
           loop="p in people_in_scope", shares=(0.2, 0.17, 0.16, 0.29, 0.18))
    b.heading("Scope period")
    b.para("At a meeting of the three statutory partners on {{ rapid_review.scope_agreed }}, initial information "
           "held by partners was considered and the scope of the review was agreed. Chronologies should focus on "
           "the period {{ rapid_review.scope_period }}. Partners should also summarise any key information from "
           "before this period that they judge pertinent to the review.")
    b.heading("Contributors")
    b.bullet_loop("name in rapid_review.contributors", "{{ name }}")
    b.heading("Methodology")
    b.bullets((
        "Each agency completes the chronology template and agency summary and returns it by "
        "{{ rapid_review.chronology_deadline }}.",
        "Include relevant and significant events in the scope period for the people named above, with what was "
        "working well and why, and what the worries were.",
        "The focus is on why events happened, not only what happened.",
        "The {{ bodies.rapid_review_group }} meets on {{ rapid_review.meeting_days }} to complete the Rapid "
        "Review report.",
    ))
    b.heading("Reporting")
    b.para("The {{ bodies.rapid_review_group }} reports to the {{ bodies.executive }} and the statutory "
           "safeguarding partners. The report is due with the {{ bodies.national_panel }} by "
           "{{ rapid_review.submission_due }}.")
    b.heading("Membership")
    b.grid(("Organisation / sector", "Role", "Named individual"),
           ("{{ m.organisation }}", "{{ m.role }}", "{{ m.name }}"), loop="m in rapid_review.membership",
           shares=(0.42, 0.25, 0.33))
    b.heading("Assumptions and changes")
    b.para("Members feed information back into their organisations and take part in the work of the "
           "{{ bodies.rapid_review_group }}. Changes to these terms of reference are authorised by the group.")
    b.heading("Approval")
    b.grid(("Date", "Status", "By"),
           ("{{ rapid_review.scope_agreed }}", "Initial terms of reference agreed", "The three statutory partners"),
           shares=(0.25, 0.4, 0.35))


def rr_agenda(b: Builder) -> None:
    b.title_block()
    b.form((
        ("Meeting", "{{ meeting.kind }} meeting of the {{ bodies.rapid_review_group }}"),
        ("Date", "{{ meeting.date }}"),
        ("Time", "{{ meeting.time }}"),
        ("Venue", "{{ meeting.venue }}"),
        ("Chair", "{{ meeting.chair }}"),
        ("Child(ren)", "{{ case.children_names }}"),
        ("Report due with the National Panel", "{{ rapid_review.submission_due }}"),
    ))
    b.para("{{ meeting.quorum }}", italic=True, size=10)
    b.heading("Agenda")
    b.grid(("Item", "Business", "Lead", "Paper"),
           ("{{ i.number }}", "{{ i.title }}", "{{ i.lead }}", "{{ i.paper }}"), loop="i in meeting.agenda",
           shares=(0.08, 0.56, 0.18, 0.18))
    b.heading("Invited")
    b.grid(("Name", "Role", "Organisation"), ("{{ a.name }}", "{{ a.role }}", "{{ a.organisation }}"),
           loop="a in meeting.attendees", shares=(0.3, 0.25, 0.45))
    b.para("These papers are confidential. Do not forward them; bring them to the meeting and return or destroy "
           "them securely afterwards.", italic=True, size=9)


def master_chronology(b: Builder) -> None:
    b.title_block()
    b.para("Child(ren): {{ case.children_names }}. Scope: {{ rapid_review.scope_period }}. "
           "{{ chronology_count }} entries from the agencies' returns, oldest first; an entry the merge flagged "
           "says so, highlighted, beside its date, and undated entries come last.", size=10)
    b.tag("{%p if timeline_chart %}")
    b.para("{{ timeline_chart }}")
    b.para("The chronology as a timeline: one lane per agency, oldest on the left; a red triangle marks an entry the "
           "merge flagged, the red line the incident, the dashed bracket the scope period.", italic=True, size=8)
    b.tag("{%p if key_episodes %}")
    b.para("Key episodes", bold=True, size=9)
    b.tag("{%p for k in key_episodes %}")
    b.para("{{ k.number }}.  {{ k.date }}  {{ k.label }} ({{ k.agency }}, entry {{ k.entry }})", size=9)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    b.grid(("Date", "Source of information", "Agency / department", "Name of subject(s)", "Type of contact",
            "By whom", "Details of event", "Comments / analysis of outcome"),
           ("{{ e.date }}", "{{ e.source }}", "{{ e.agency }}", "{{ e.subjects }}", "{{ e.contact_type }}",
            "{{ e.by_whom }}", "{{ e.details }}", "{{ e.analysis }}"),
           loop="e in chronology", shares=(0.09, 0.09, 0.11, 0.11, 0.1, 0.09, 0.21, 0.2), size=8.5)
    _chronology_checks(b)


def _chronology_checks(b: Builder) -> None:
    """The merge's findings that still stand, after the chronology they are about."""
    b.heading("Checks still open on the chronology", 2)
    b.tag("{%p if chronology_findings %}")
    b.para("The merge flagged these in the agencies' returns, and they have not been put right in the master "
           "chronology. Read the entries they concern with care.", size=9)
    b.grid(("Where", "What"), ("{{ f.place }}", "{{ f.message }}"), loop="f in chronology_findings",
           shares=(0.3, 0.7), size=8)
    b.tag("{%p else %}")
    b.para("None: every entry was read as written, or has been checked since.", italic=True, size=9)
    b.tag("{%p endif %}")


def _agency_summary_sections(b: Builder, level: int) -> None:
    """Each agency whose summary is in: who wrote and signed it off, then every answer under its question."""
    b.tag("{%p for a in agencies_received %}")
    b.heading("{{ a.name }}", level)
    b.para("Completed by: {{ a.summary_author }}. Signed off by: {{ a.summary_signed_off }}. "
           "Involvement: {{ a.involvement }} ({{ a.period }}).", italic=True, size=9)
    b.tag("{%p for q in a.summary_answers %}")
    b.para("{{ q.question }}", bold=True)
    b.para("{{ q.answer }}")
    b.tag("{%p endfor %}")
    b.para("Source: {{ a.summary_source }}.", italic=True, size=8)
    b.tag("{%p else %}")
    b.para("No agency summary has been received yet.", italic=True)
    b.tag("{%p endfor %}")


def agency_summaries(b: Builder) -> None:
    b.title_block()
    b.heading("Returns")
    b.grid(("Agency", "Contact", "Requested", "Due", "Received"),
           ("{{ a.name }}", "{{ a.contact_name }}", "{{ a.summary_requested }}", "{{ a.summary_due }}",
            "{{ a.summary_received }}"), loop="a in agencies", shares=(0.26, 0.2, 0.17, 0.2, 0.17), size=9)
    _agency_summary_sections(b, 1)


def rr_report(b: Builder) -> None:
    b.title_block()
    b.form((("Child(ren)", "{{ case.children_names }}"),))
    with b.section("authors", "Authors", label="Authors"):
        b.bullet_loop("name in rapid_review.authors", "{{ name }}")
    with b.section("advisers", "Advisers", label="Advisers"):
        b.bullet_loop("name in rapid_review.advisers", "{{ name }}")
    b.heading("1. Introduction")
    b.para("This Rapid Review has been carried out under Working Together to Safeguard Children and the "
           "{{ bodies.national_panel }}'s practice guidance. It reviews practice, the application of procedure, "
           "the analysis of risk and the action taken; identifies initial learning and any immediate action; and "
           "gives the information the Panel needs to consider a national review.")
    b.heading("2. Methodology")
    b.para("The local authority notified the {{ bodies.national_panel }} on {{ rapid_review.notified }}. The "
           "{{ partnership.name }} informed the wider partnership on {{ rapid_review.partners_informed }}. The "
           "statutory partners agreed the scope on {{ rapid_review.scope_agreed }}; agency chronologies were "
           "returned and combined into a master chronology; the {{ bodies.rapid_review_group }} "
           "{{ rapid_review.meeting_said }}.")
    b.grid(("Organisation", "Role", "Member"), ("{{ m.organisation }}", "{{ m.role }}", "{{ m.name }}"),
           loop="m in rapid_review.membership", shares=(0.42, 0.25, 0.33))
    b.form((("Independent chair / scrutineer", "{{ rapid_review.independent_chair }}"),))
    with b.section("sign_off", "Signed off by",
                   label="Signed off by the statutory partners and the independent chair / scrutineer:"):
        b.bullet_loop("s in rapid_review.sign_off", "{{ s.described }}")
    b.heading("3. Scope and contributors")
    b.para("The review covers {{ rapid_review.scope_period }}. Contributors:")
    b.bullet_loop("name in rapid_review.contributors", "{{ name }}")
    b.heading("4. Family composition")
    b.grid(("Name", "Relationship"), ("{{ p.name }}", "{{ p.relationship }}"), loop="p in family",
           shares=(0.5, 0.5))
    b.heading("5. The incident")
    b.form((
        ("Date", "{{ incident.date }}"),
        ("Location", "{{ incident.location }}"),
        ("Characteristics of the incident", "{{ incident.characteristics_ticked }}"),
    ))
    with b.section("incident_outline", "The incident", label="What happened"):
        b.para("{{ incident.outline }}")
    for number, (key, title, field) in enumerate((
        ("case_summary", "Case summary", "case_summary"),
        ("recent_history", "Recent history (review scope)", "recent_history"),
        ("background", "Background", "background"),
        ("worked_well", "What worked well?", "worked_well"),
        ("worries", "What are we worried about?", "worries"),
        ("learning_points", "Provisional learning points", "learning_points"),
        ("initial_actions", "Initial actions", "initial_actions"),
    ), 6):
        with b.section(key, title.rstrip("?"), f"{number}. {title}"):
            b.para(f"{{{{ rapid_review.{field} }}}}")
    b.heading("13. Conclusions and recommendations")
    b.para("The {{ bodies.rapid_review_group }} considered the case against each of the criteria for a local child "
           "safeguarding practice review ({{ rapid_review.criteria_source }}).")
    b.tag("{%p for k in rapid_review.criteria %}")
    with b.section("criterion_{{ k.number }}", "Finding: criterion {{ k.number }}",
                   label="Criterion {{ k.number }}: {{ k.criterion }}"):
        b.para("{{ k.finding }}")
    b.tag("{%p endfor %}")
    b.para("The group also had regard to these circumstances:", bold=True, size=10, keep=True)
    b.bullet_loop("k in rapid_review.regard_to", "{{ k }}")
    with b.section("circumstances", "Circumstances had regard to", label="The group's view on these circumstances:"):
        b.para("{{ rapid_review.circumstances }}")
    b.heading("The decision", 2)
    b.options("rapid_review.outcome_options", columns=1, keep_with_next=True)
    b.form((
        ("Decided on", "{{ rapid_review.decision_date }}"),
        ("How the decision was made", "{{ rapid_review.decided_how }}"),
        ("Dissent", "{{ rapid_review.dissent }}"),
        ("Who dissented", "{{ rapid_review.dissented_by }}"),
        ("Reason for the outcome", "{{ rapid_review.outcome_reason }}"),
    ))
    b.tag("{%p if rapid_review.executive_sight %}")
    b.para("{{ rapid_review.executive_sight }}")
    b.tag("{%p endif %}")
    b.tag("{%p if agencies_received %}")
    b.heading("Appendix: agency summaries").paragraph_format.page_break_before = True
    _agency_summary_sections(b, 2)
    b.tag("{%p endif %}")
    b.tag("{%p if chronology %}")
    b.heading("Appendix: master chronology").paragraph_format.page_break_before = True
    b.para("{{ chronology_count }} entries, oldest first; an entry the merge flagged says so, highlighted, beside "
           "its date.", size=9)
    b.grid(("Date", "Agency", "Subject(s)", "Contact", "Details of event", "Comments / analysis"),
           ("{{ e.date }}", "{{ e.agency }}", "{{ e.subjects }}", "{{ e.contact }}",
            "{{ e.details }}", "{{ e.analysis }}"),
           loop="e in chronology", shares=(0.12, 0.14, 0.13, 0.14, 0.25, 0.22), size=8)
    _chronology_checks(b)
    b.tag("{%p endif %}")


def rr_meeting_record(b: Builder) -> None:
    b.title_block()
    b.para("The record of the {{ bodies.rapid_review_group }}'s meeting that made the Rapid Review decision. The "
           "dissenting view, when the decision was not unanimous, is recorded here (Kent Practice Improvement "
           "Framework, 3.3).", italic=True, size=10)
    b.form((
        ("Meeting", "{{ record.kind }}"),
        ("Date", "{{ record.date }}"),
        ("Time", "{{ record.time }}"),
        ("Venue", "{{ record.venue }}"),
        ("Chair", "{{ record.chair }}"),
        ("Child(ren)", "{{ case.children_names }}"),
    ))
    b.heading("1. Attendance and quorum")
    b.grid(("Name", "Role", "Organisation", "Attended"),
           ("{{ a.name }}", "{{ a.role }}", "{{ a.organisation }}", "{{ a.present }}"), loop="a in record.attendees",
           shares=(0.28, 0.22, 0.34, 0.16))
    b.form((("Quorate", "{{ record.quorate }}"),))
    with b.section("declarations", "Declarations of interest", "2. Declarations of interest"):
        b.para("{{ record.declarations }}")
    with b.section("discussion", "Summary of the discussion", "3. Discussion"):
        b.para("{{ record.discussion }}")
    b.heading("4. The decision")
    b.para("The group considered the case against the criteria for a local child safeguarding practice review "
           "({{ rapid_review.criteria_source }}), and had regard to the circumstances it sets out; the Rapid Review "
           "report gives its finding on each.", size=10, keep=True)
    b.options("rapid_review.outcome_options", columns=1, keep_with_next=True)
    b.form((
        ("How the decision was made", "{{ rapid_review.decided_how }}"),
        ("Dissent", "{{ rapid_review.dissent }}"),
        ("Who dissented", "{{ rapid_review.dissented_by }}"),
        ("Reason for the outcome", "{{ rapid_review.outcome_reason }}"),
    ))
    with b.section("actions_agreed", "Actions agreed", "5. Actions agreed"):
        b.bullet_loop("x in record.actions_agreed", "{{ x }}")
    b.heading("6. What goes to the National Panel")
    b.para("{{ record.to_panel }}")
    b.tag("{%p if rapid_review.executive_sight %}")
    b.para("{{ rapid_review.executive_sight }}")
    b.tag("{%p endif %}")
    b.para()
    b.para("Agreed by the chair: {{ record.chair }}.", italic=True, size=10)


def submission_letter(b: Builder) -> None:
    b.para("{{ partnership.name }}", bold=True, size=13, align="right")
    b.para("{{ letter.date }}", align="right")
    b.para("Our reference: {{ case.ref }}\nPanel reference: {{ notification.panel_reference }}", size=10)
    b.para("{{ letter.addressee }}")
    b.heading("Rapid Review: {{ case.children_names }}", 2)
    b.para("Dear Chair,")
    b.para("Following the notification made by {{ notification.local_authority }} on {{ rapid_review.notified }}, "
           "please find enclosed the Rapid Review report of the {{ partnership.name }}. The "
           "{{ bodies.rapid_review_group }} {{ rapid_review.meeting_said }}.")
    with b.section("case_summary", "Case summary", label="The case in brief"):
        b.para("{{ rapid_review.case_summary }}")
    b.para("Having considered the case against the criteria for a local child safeguarding practice review, and "
           "had regard to the circumstances set out in {{ rapid_review.criteria_source }}, the partners' decision "
           "is: {{ rapid_review.outcome }}.", bold=True)
    b.para("{{ rapid_review.decision_said }}")
    b.para("Reason for the outcome: {{ rapid_review.outcome_reason }}")
    b.tag("{%p if rapid_review.executive_sight %}")
    b.para("{{ rapid_review.executive_sight }}")
    b.tag("{%p endif %}")
    b.para("The incident took place on {{ incident.date }}. The report sets out the learning identified so far "
           "and the immediate actions taken; the partnership will track the action plan to completion.")
    b.para("Please contact us if the Panel would like to discuss the review.")
    b.para("Yours sincerely,")
    b.para()
    b.para("{{ rapid_review.signatory.name }}\n{{ rapid_review.signatory.role }}\n"
           "{{ rapid_review.signatory.organisation }}")
    b.para("Enclosures:", bold=True, size=10, keep=True)
    b.bullet_loop("e in letter.enclosures", "{{ e }}")
    b.para("Sent via secure e-mail. {{ document.marking }}.", italic=True, size=9)


def rr_action_plan(b: Builder) -> None:
    b.title_block()
    b.para("Child(ren): {{ case.children_names }}. Rapid Review outcome: {{ rapid_review.outcome }}. "
           "Each action is specific, measurable, achievable, realistic and timed; the case closes only when "
           "every action is complete with evidence.", size=10)
    b.grid(("No.", "Learning point", "Action", "Owner agency", "Named lead", "Due", "Status", "Last update",
            "Evidence of completion"),
           ("{{ x.number }}", "{{ x.learning_point }}", "{{ x.action }}", "{{ x.owner_agency }}", "{{ x.lead }}",
            "{{ x.due }}", "{{ x.status }}", "{{ x.last_update }}", "{{ x.evidence }}"),
           loop="x in actions", shares=(0.05, 0.15, 0.2, 0.12, 0.11, 0.08, 0.09, 0.08, 0.12), size=9)


def lcspr_terms_of_reference(b: Builder) -> None:
    b.title_block()
    b.heading("Background")
    b.para("Following the Rapid Review, the {{ partnership.name }} decided on {{ lcspr.decision_date }} to undertake "
           "a local child safeguarding practice review. The child is referred to as {{ lcspr.pseudonym }} in anything "
           "published.")
    b.form((
        ("Incident", "{{ incident.date }}, {{ incident.location }}"),
        ("Period under review", "{{ lcspr.scope_period }}"),
        ("Reviewer / author", "{{ lcspr.reviewer }}, {{ lcspr.reviewer_standing }}"),
        ("Review panel chair", "{{ lcspr.panel_chair }}"),
        ("Methodology", "{{ lcspr.methodology }}"),
        ("Media / communications lead", "{{ lcspr.media_lead }}"),
        ("Full report to the National Panel by", "{{ lcspr.report_to_panel_due }}"),
        ("Publication due by", "{{ lcspr.publication_due }}"),
    ))
    b.para("{{ lcspr.reviewer_checks }}", size=10)
    b.heading("People in scope")
    b.grid(("Name", "Relationship to child", "Date of birth"),
           ("{{ p.name }}", "{{ p.relationship }}", "{{ p.date_of_birth }}"), loop="p in people_in_scope",
           shares=(0.4, 0.3, 0.3))
    b.heading("Methodology")
    b.options("lcspr.methodology_options", columns=2)
    b.heading("Key lines of enquiry")
    b.bullet_loop("k in lcspr.key_lines_of_enquiry", "{{ k }}")
    b.heading("Agencies contributing")
    b.grid(("Agency", "Involvement", "Period"), ("{{ a.name }}", "{{ a.involvement }}", "{{ a.period }}"),
           loop="a in agencies", shares=(0.3, 0.45, 0.25))
    b.heading("Review panel")
    b.grid(("Name", "Role", "Organisation"), ("{{ m.name }}", "{{ m.role }}", "{{ m.organisation }}"),
           loop="m in lcspr.panel", shares=(0.3, 0.3, 0.4))
    b.heading("Meeting timetable")
    b.grid(("Date", "Meeting or event", "Where"), ("{{ t.date }}", "{{ t.what }}", "{{ t.venue }}"),
           loop="t in lcspr.timetable", shares=(0.3, 0.45, 0.25))
    b.heading("Parallel processes")
    b.para("{{ lcspr.parallel_processes }}")
    b.heading("Family and practitioner involvement")
    with b.section("family_involvement", "Family involvement", label="Family"):
        b.para("{{ lcspr.family_involvement }}")
    with b.section("practitioner_involvement", "Practitioner involvement", label="Practitioners"):
        b.para("{{ lcspr.practitioner_involvement }}")
    b.heading("Publication")
    b.para("The final report is signed off by the {{ bodies.lcspr_signoff }}, sent to the {{ bodies.national_panel }} "
           "by {{ lcspr.report_to_panel_due }} and published by {{ lcspr.publication_due }}. The family sees the "
           "report before publication.")


# -- issue 15: the referral's loop, the notification duties, the Panel's reply, the LCSPR to publication --------
def _letter_head(b: Builder) -> None:
    """The head of a letter: the partnership, the date, the reference, the addressee and the subject."""
    b.para("{{ partnership.name }}", bold=True, size=13, align="right")
    b.para("{{ correspondence.date }}", align="right")
    b.para("Our reference: {{ case.ref }}", size=10)
    b.line_loop("line in correspondence.to", "{{ line }}")
    b.heading("{{ correspondence.subject }}", 2)
    b.para("Dear {{ correspondence.dear }},")


def _letter_foot(b: Builder, copies: bool = False, enclosures: bool = False) -> None:
    # The close is never left at the foot of a page with the signature over the page.
    b.para("Yours sincerely,", keep=True)
    b.para(keep=True)
    b.para("{{ correspondence.signatory.name }}\n{{ correspondence.signatory.role }}\n"
           "{{ correspondence.signatory.organisation }}")
    if enclosures:
        b.para("Enclosures:", bold=True, size=10, keep=True)
        b.bullet_loop("e in correspondence.enclosures", "{{ e }}")
    if copies:
        b.para("Copied to:", bold=True, size=10, keep=True)
        b.bullet_loop("c in correspondence.copied_to", "{{ c }}")
    b.para("Sent via secure e-mail. {{ document.marking }}.", italic=True, size=9)


def receipt_letter(b: Builder) -> None:
    _letter_head(b)
    b.para("Thank you for your referral about {{ case.children_names }}, received by the {{ partnership.name }} on "
           "{{ referral.received }}. We have checked that it meets the criteria, has the authorisation it needs and "
           "gives the details the {{ bodies.executive }} needs to decide.")
    b.form((
        ("Reference", "{{ case.ref }}"),
        ("Received", "{{ referral.received }}"),
        ("Referring agency", "{{ referral.agency }}"),
        ("Authorised by", "{{ referral.authorised_by }}"),
        ("Decision due by", "{{ referral.decision_due }}"),
    ))
    b.para("The {{ bodies.executive }} will consider the referral and we will write to you with its decision. If it "
           "needs more information from you, we will ask as soon as possible.")
    b.para("Please keep the referral confidential and do not discuss it with the family: any contact with the family "
           "about it is agreed by the partners.")
    _letter_foot(b)


def outcome_letter(b: Builder) -> None:
    _letter_head(b)
    b.para("The {{ bodies.executive }} has considered your referral about {{ case.children_names }}, received on "
           "{{ referral.received }}.")
    b.form((
        ("Reference", "{{ case.ref }}"),
        ("Considered on", "{{ decision.discussed }}"),
        ("Decision", "{{ decision.decision }}"),
        ("More information asked for", "{{ referral.more_information_asked }}"),
    ))
    with b.section("outcome_note", "What happens next", label="What happens next"):
        b.para("{{ referral.outcome }}")
    b.para("Thank you for bringing the case to the partnership. Please share this letter only with those in your "
           "agency who need to know.")
    _letter_foot(b, copies=True)


def duty_notification(b: Builder) -> None:
    b.title_block()
    b.para("Prepare every answer here before completing the online notification: the system does not save a "
           "part-completed form. Source: {{ duty.source }}.", italic=True, size=10)
    b.form((
        ("What is notified", "{{ duty.kind }}"),
        ("Abuse or neglect", "{{ duty.abuse_or_neglect }}"),
        ("What follows", "{{ duty.information_only }}"),
        ("Date the local authority became aware", "{{ duty.aware }}"),
        ("Notification due by (5 working days)", "{{ duty.due }}"),
        ("Secretary of State and Ofsted notified", "{{ duty.notified }}"),
        ("Regulated setting or service", "{{ duty.regulated_setting }}"),
        ("Placing authority", "{{ duty.placing_authority }}"),
    ))
    b.heading("Duties switched on for this case")
    b.bullet_loop("d in duty.duties", "{{ d }}")
    b.heading("1. {{ duty.person }}")
    _children_forms(b, (
        *PERSON_ROWS,
        ("Legal status at the death", "{{ c.legal_status }}"),
        ("Placing authority", "{{ c.placing_authority }}"),
    ), who="{{ duty.each_person }}")
    b.heading("2. The death")
    b.form((
        ("Date", "{{ incident.date }}"),
        ("Time", "{{ incident.time }}"),
        ("Location", "{{ incident.location }}"),
        ("Police investigation", "{{ incident.police_investigation }}"),
    ))
    with b.section("circumstances", "Circumstances of the death", "Circumstances of the death", 3):
        b.para("{{ incident.outline }}")
    b.heading("3. Notifier")
    b.form((
        ("Name", "{{ notification.notifier_name }}"),
        ("Job title", "{{ notification.notifier_role }}"),
        ("E-mail", "{{ notification.notifier_email }}"),
        ("Telephone", "{{ notification.notifier_phone }}"),
        ("Local authority", "{{ notification.local_authority }}"),
    ))


def placing_authority_letter(b: Builder) -> None:
    _letter_head(b)
    b.para("{{ notification.local_authority }} became aware on {{ duty.aware }} of a serious incident concerning a "
           "child your authority placed in our area:")
    b.form((
        ("Child", "{{ child.name }}, born {{ child.date_of_birth }}"),
        ("Placed by", "{{ duty.placing_authority }}"),
        ("Incident", "{{ incident.date }}, {{ incident.location }}"),
        ("Death or serious harm", "{{ incident.harm }}"),
        ("Abuse or neglect known or suspected", "{{ incident.abuse_or_neglect }}"),
    ))
    b.para("As the placing authority, please notify the {{ bodies.national_panel }} and confirm to us that you have "
           "done so, or will, within 24 hours: by {{ duty.placing_due }}. If we have not heard from you by then, "
           "{{ notification.local_authority }} will make the notification so that the statutory 5 working days are "
           "met.", bold=True)
    b.para("Please reply to this letter by secure e-mail, quoting {{ case.ref }}. Source: {{ duty.source }}.", size=10)
    _letter_foot(b)


def partners_report(b: Builder) -> None:
    b.title_block()
    b.para("The local authority reports a serious incident to the safeguarding partners of its area within five "
           "working days of becoming aware of it ({{ duty.source }}).", italic=True, size=10)
    b.form((
        ("What is reported", "{{ duty.kind }}"),
        ("Date the local authority became aware", "{{ duty.aware }}"),
        ("Report due to the partners by", "{{ duty.partners_due }}"),
        ("Reported to the partners on", "{{ duty.partners_informed }}"),
        ("National Panel notified", "{{ notification.notified }} (due by {{ notification.due }})"),
    ))
    b.heading("Duties switched on for this case")
    b.bullet_loop("d in duty.duties", "{{ d }}")
    b.heading("1. The child")
    _children_forms(b, (
        ("Name", "{{ c.name }}"),
        ("Date of birth", "{{ c.date_of_birth }} (age at the incident: {{ c.age_at_incident }})"),
        ("Died or seriously harmed", "{{ c.harm }}"),
        ("Legal status at the incident", "{{ c.legal_status }}"),
        ("Known to children's social care", "{{ c.known_to_social_care }}"),
    ))
    b.heading("2. The incident")
    b.form((
        ("Date and time", "{{ incident.date }}, {{ incident.time }}"),
        ("Location", "{{ incident.location }}"),
        ("Abuse or neglect known or suspected", "{{ incident.abuse_or_neglect }}"),
        ("Police investigation", "{{ incident.police_investigation }}"),
    ))
    with b.section("incident_outline", "What happened", "What happened", 3):
        b.para("{{ incident.outline }}")
    with b.section("immediate_actions", "Immediate action taken", "Immediate action taken", 3):
        b.para("{{ incident.immediate_actions }}")
    b.heading("3. Agencies involved")
    b.grid(("Agency", "Involvement"), ("{{ a.name }}", "{{ a.involvement }}"), loop="a in agencies",
           shares=(0.35, 0.65))


def panel_reply_letter(b: Builder) -> None:
    _letter_head(b)
    b.para("Thank you for the Panel's reply of {{ panel_reply.received }} to the Rapid Review of the "
           "{{ partnership.name }} about {{ case.children_names }} (report sent on {{ rapid_review.submitted }}), "
           "whose decision was: "
           "{{ rapid_review.outcome }}. The Panel replied that it {{ panel_reply.view|lower }}, and said:")
    b.bullet_loop("p in panel_reply.points", "{{ p }}")
    b.para("The Panel's reply was shared with the statutory partners on {{ panel_reply.circulated }}. The "
           "{{ bodies.rapid_review_group }} reconvened on {{ panel_reply.reconvened }} to consider the feedback and "
           "whether another course of action should be taken.")
    with b.section("response", "The group's response", label="The group's response"):
        b.para("{{ panel_reply.reconvened_decision }}")
    b.para("The decision whether to undertake a local review remains the safeguarding partners', for which they are "
           "accountable. Please contact us if the Panel would like to discuss it further.")
    _letter_foot(b, copies=True)


def lcspr_panel_agenda(b: Builder) -> None:
    b.title_block()
    b.form((
        ("Meeting", "{{ panel_meeting.number }}"),
        ("Child(ren)", "{{ case.children_names }}"),
        ("Date", "{{ panel_meeting.date }}"),
        ("Time", "{{ panel_meeting.time }}"),
        ("Venue", "{{ panel_meeting.venue }}"),
        ("Chair", "{{ panel_meeting.chair }}"),
        ("The review", "{{ lcspr.pseudonym }}: {{ lcspr.methodology }}; reviewer {{ lcspr.reviewer }}"),
        ("Publication due", "{{ lcspr.publication_due }} (full report to the National Panel by "
                            "{{ lcspr.report_to_panel_due }})"),
    ))
    b.heading("Agenda")
    b.grid(("Item", "Business", "Lead"), ("{{ i.number }}", "{{ i.title }}", "{{ i.lead }}"),
           loop="i in panel_meeting.agenda", shares=(0.08, 0.72, 0.2))
    b.heading("Where the review stands")
    b.heading("Independent Management Reviews", 2)
    b.grid(("Agency", "Author", "Briefing", "Due", "Quality assured", "Received", "State"),
           ("{{ x.agency }}", "{{ x.author }}", "{{ x.briefing }}", "{{ x.due }}", "{{ x.qa }}", "{{ x.received }}",
            "{{ x.state }}"), loop="x in imrs", shares=(0.18, 0.15, 0.14, 0.14, 0.15, 0.12, 0.12), size=9)
    b.heading("The family's involvement", 2)
    b.grid(("Relationship", "Told", "Contact agreed", "Views heard", "Saw the report"),
           ("{{ f.relationship }}", "{{ f.told }}", "{{ f.contact }}", "{{ f.views }}", "{{ f.report }}"),
           loop="f in family_members", shares=(0.18, 0.16, 0.24, 0.24, 0.18), size=9)
    b.heading("Practitioner events", 2)
    b.bullet_loop("e in practitioner_events", "{{ e }}")
    b.heading("Drafts of the report", 2)
    b.grid(("Draft", "Received", "Quality assured", "Agreed"),
           ("{{ d.draft }}", "{{ d.received }}", "{{ d.qa }}", "{{ d.agreed }}"), loop="d in drafts",
           shares=(0.15, 0.25, 0.4, 0.2), size=9)
    b.heading("Recommendations", 2)
    b.para("{{ recommendations_locked }}", size=10)
    b.grid(("No.", "Recommendation", "For", "Evidence expected", "Due"),
           ("{{ r.number }}", "{{ r.recommendation }}", "{{ r.owner_agency }}", "{{ r.measure }}", "{{ r.due }}"),
           loop="r in recommendations", shares=(0.06, 0.41, 0.18, 0.22, 0.13), size=9)
    b.heading("Invited")
    b.grid(("Name", "Role", "Organisation"), ("{{ a.name }}", "{{ a.role }}", "{{ a.organisation }}"),
           loop="a in panel_meeting.attendees", shares=(0.3, 0.25, 0.45))
    b.para("These papers are confidential. Everyone taking part is asked to declare any conflict of interest and to "
           "keep the review's information confidential.", italic=True, size=9)


def lcspr_final_report(b: Builder) -> None:
    b.title_block("Local child safeguarding practice review: {{ lcspr_report.child }}")
    b.para("{{ partnership.name }}. Reviewer: {{ publication.reviewer_named }}. The child is called "
           "{{ lcspr_report.child }} throughout: no one in the family is named.", italic=True, size=10)
    with b.section("executive_summary", "Executive summary", "Executive summary"):
        b.para("{{ lcspr_report.executive_summary }}")
    b.heading("1. Introduction")
    b.para("The {{ partnership.name }} decided on {{ lcspr.decision_date }}, following a Rapid Review, to undertake "
           "this local child safeguarding practice review. It covers {{ lcspr.scope_period }}. Methodology: "
           "{{ lcspr.methodology }}. Reviewer: {{ lcspr.reviewer }}, {{ lcspr.reviewer_standing }}.")
    b.para("The review set out to answer these questions:", keep=True)
    b.bullet_loop("k in lcspr_report.questions", "{{ k }}")
    b.heading("2. The family")
    b.bullet_loop("f in lcspr_report.family_composition", "{{ f }}")
    with b.section("family_views", "The family's views", "The family's views", 2):
        b.para("{{ lcspr_report.family_views }}")
    b.heading("3. The agencies and practitioners")
    b.bullet_loop("a in lcspr_report.agencies", "{{ a }}")
    with b.section("practitioner_views", "What practitioners told the review", "What practitioners told the review",
                   2):
        b.para("{{ lcspr_report.practitioner_views }}")
    with b.section("case_summary", "Summary of the case", "4. Summary of the case"):
        b.para("{{ lcspr_report.case_summary }}")
    with b.section("analysis", "Systemic analysis", "5. Systemic analysis"):
        b.para("{{ lcspr_report.analysis }}")
    with b.section("findings", "Findings and learning", "6. Findings and learning"):
        b.para("{{ lcspr_report.findings }}")
    with b.section("improvements", "Summary of recommended improvements", "7. Summary of recommended improvements"):
        b.para("{{ lcspr_report.improvements }}")
    b.heading("8. Recommendations")
    b.para("Each recommendation is specific, measurable, achievable, realistic and timed. {{ recommendations_locked }}",
           size=10)
    b.grid(("No.", "Recommendation", "For", "Action", "Evidence expected", "Due"),
           ("{{ r.number }}", "{{ r.recommendation }}", "{{ r.owner_agency }}", "{{ r.action }}", "{{ r.measure }}",
            "{{ r.due }}"), loop="r in recommendations", shares=(0.06, 0.28, 0.13, 0.23, 0.17, 0.13), size=9)
    with b.section("conclusion", "Conclusion", "9. Conclusion"):
        b.para("{{ lcspr_report.conclusion }}")
    b.heading("Publication")
    b.form((
        ("Published as", "{{ publication.form }}"),
        ("Where", "{{ publication.place }}"),
        ("Online", "{{ publication.online_until }}"),
    ))


def publication_signoff(b: Builder) -> None:
    b.title_block()
    b.para("For the {{ bodies.lcspr_signoff }}: agreement to publish the final report of a local child safeguarding "
           "practice review, and how.", italic=True, size=10)
    b.form((
        ("The review", "{{ lcspr.pseudonym }} ({{ case.ref }})"),
        ("Decided on", "{{ lcspr.decision_date }}"),
        ("Reviewer", "{{ lcspr.reviewer }}, {{ lcspr.reviewer_standing }}"),
        ("Methodology", "{{ lcspr.methodology }}"),
        ("Report signed off", "{{ publication.signed_off }}"),
        ("Recommendations", "{{ recommendations_locked }}"),
    ))
    b.heading("1. Before publication")
    b.form((
        ("The family has seen the report", "{{ publication.family_seen }}"),
        ("Full report to the National Panel due by", "{{ publication.report_to_panel_due }}"),
        ("Full report sent to the National Panel", "{{ publication.report_to_panel_sent }}"),
        ("Publication due (6 months from the decision)", "{{ publication.due }}"),
        ("Planned publication date", "{{ publication.planned }}"),
        ("Delay", "{{ publication.delay }}"),
    ))
    b.heading("2. Publication")
    b.form((
        ("Published as", "{{ publication.form }}"),
        ("Where", "{{ publication.place }}"),
        ("Publication strategy agreed", "{{ publication.strategy_agreed }}"),
        ("Media / communications lead", "{{ publication.media_lead }}"),
        ("Stays online", "{{ publication.online_until }}"),
        ("Published", "{{ publication.published }}"),
        ("Web address", "{{ publication.link }}"),
        ("Sent to the NSPCC repository", "{{ publication.nspcc_sent }}"),
    ))
    b.heading("3. The family's involvement")
    b.grid(("Relationship", "Told of the review", "Views heard", "Saw the report", "Chose the pseudonym"),
           ("{{ f.relationship }}", "{{ f.told }}", "{{ f.views }}", "{{ f.report }}", "{{ f.pseudonym }}"),
           loop="f in family_members", shares=(0.2, 0.18, 0.26, 0.18, 0.18), size=9)
    b.heading("4. Recommendations")
    b.grid(("No.", "Recommendation", "For", "Due"),
           ("{{ r.number }}", "{{ r.recommendation }}", "{{ r.owner_agency }}", "{{ r.due }}"),
           loop="r in recommendations", shares=(0.06, 0.6, 0.2, 0.14), size=9)
    with b.section("decision", "The Executive's decision on publication", "5. Decision"):
        b.para("{{ publication.decision }}")
    b.heading("Signed on behalf of the statutory safeguarding partners", 2)
    b.signatures(("Local authority", "Police", "Health (ICB)"))


def lcspr_report_letter(b: Builder) -> None:
    _letter_head(b)
    b.para("Please find enclosed the full report of the local child safeguarding practice review the "
           "{{ partnership.name }} decided to undertake on {{ lcspr.decision_date }}, sent at least seven working "
           "days before it is published.")
    b.form((
        ("The review", "{{ lcspr.pseudonym }} ({{ case.ref }})"),
        ("Reviewer", "{{ lcspr.reviewer }}"),
        ("Methodology", "{{ lcspr.methodology }}"),
        ("Signed off", "{{ publication.signed_off }}"),
        ("Planned publication date", "{{ publication.planned }}"),
        ("Published as", "{{ publication.form }}"),
        ("Where", "{{ publication.place }}"),
        ("Delay beyond 6 months", "{{ publication.delay }}"),
    ))
    b.para("The family has been told of the publication date. The report is embargoed until then: please do not share "
           "it further.")
    _letter_foot(b, enclosures=True)


def pack_contents(b: Builder) -> None:
    b.doc.add_paragraph("{{ pack.title }}", style="Title")
    b.para("{{ partnership.name }}", bold=True, size=12)
    b.control_box()
    b.heading("Contents")
    table = b.grid(("No.", "Paper", "Page"), ("{{ p.number }}", "{{ p.title }}", ""), loop="p in pack.papers",
                   shares=(0.1, 0.78, 0.12))
    # Each paper's first page is bookmarked when the pack is composed; Word fills the number in when the
    # pack is opened (the field is marked to update), LibreOffice and its PDF as it lays the pages out.
    page = table.rows[2].cells[2].paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(page, "PAGEREF {{ p.bookmark }} \\h", "–", dirty=True)
    b.para("Each paper starts on a new page. These papers contain special category personal data about "
           "children: keep them secure and share them only with those who need them.", italic=True, size=10)
    # Word asks once, when the pack is opened, whether to update the page numbers of the contents.
    settings = b.doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


LAYOUTS: dict[str, tuple[Callable[[Builder], None], bool]] = {
    "referral": (referral, False),
    "decision": (decision, False),
    "notification": (notification, False),
    "rr_terms_of_reference": (rr_terms_of_reference, False),
    "rr_agenda": (rr_agenda, False),
    "master_chronology": (master_chronology, True),
    "agency_summaries": (agency_summaries, False),
    "rr_meeting_record": (rr_meeting_record, False),
    "rr_report": (rr_report, False),
    "submission_letter": (submission_letter, False),
    "rr_action_plan": (rr_action_plan, True),
    "lcspr_terms_of_reference": (lcspr_terms_of_reference, False),
    "receipt_letter": (receipt_letter, False),
    "outcome_letter": (outcome_letter, False),
    "duty_notification": (duty_notification, False),
    "placing_authority_letter": (placing_authority_letter, False),
    "partners_report": (partners_report, False),
    "panel_reply_letter": (panel_reply_letter, False),
    "lcspr_panel_agenda": (lcspr_panel_agenda, False),
    "lcspr_final_report": (lcspr_final_report, False),
    "publication_signoff": (publication_signoff, False),
    "lcspr_report_letter": (lcspr_report_letter, False),
    "pack_contents": (pack_contents, False),
}


def build_templates(folder: Path) -> list[Path]:
    """Write every paper's template into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, paper in PAPERS.items():
        layout, landscape = LAYOUTS[name]
        # A pack's pages all carry the contents page's footer, so it names the pack, not "Contents".
        builder = Builder("{{ pack.title }}" if name == "pack_contents" else paper.title, landscape=landscape,
                          paper=name)
        layout(builder)
        written.append(builder.save(folder, paper.template))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the templates: into the folder given, or the shipped ``templates/`` folder."""
    from caseforms.resources import templates_dir

    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0]) if args else templates_dir()
    for path in build_templates(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
