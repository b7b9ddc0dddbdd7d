"""Rendering real Word documents and reading them back with python-docx."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from caseforms.errors import ConversionError, TemplateError
from caseforms.io import docx_render, shipped_checks
from caseforms.io.docx_render import compose, render, template_path, to_pdf
from caseforms.papers import context, sample
from caseforms.papers.fields import PACKS, PAPERS
from caseforms.profile import load_profile

TODAY = date(2025, 2, 10)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FILES = Path(__file__).parent / "files" / "templates"


def all_text(path: Path) -> str:
    """Return every piece of text of a document: body, tables, headers and footers."""
    doc = Document(str(path))
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    return "\n".join("".join(t.text or "" for t in part.iter(f"{W}t")) for part in parts)


def render_paper(name: str, case_name: str, out: Path, profile: str = "kent") -> docx_render.Rendered:
    case = getattr(sample, case_name)()
    prof = load_profile(profile)
    filled = (context.pack_contents(case, prof, "rapid-review-meeting", TODAY) if name == "pack_contents"
              else context.build(name, case, prof, TODAY))
    return render(template_path(name), filled.context, out / f"{case_name}_{PAPERS[name].template}")


@pytest.mark.parametrize("name", list(PAPERS))
def test_full_case_renders_with_awkward_names_intact(name: str, tmp_path: Path) -> None:
    rendered = render_paper(name, "full_case", tmp_path)
    text = all_text(rendered.path)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "INSERT" not in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Kent Safeguarding Children Multi-Agency Partnership (KSCMP)" in text
    assert "TG-2025-004" in text
    assert rendered.missing == [], rendered.missing
    if PAPERS[name].pseudonymous:
        # Meant for publication: the pseudonym, never the child's or the family's names (issue 15).
        assert "Child Z" in text and not {"Zoë", "O'Brien", "Siobhán", "Théo", "Marek"} & set(re.findall(r"[\w']+", text))
    elif name not in ("pack_contents", "rr_action_plan", "submission_letter"):
        # docxtpl without autoescape drops or truncates text holding & or <: these must survive.
        assert "Zoë O'Brien-Nowak" in text or "Smith & Jones <Family> Services" in text


def test_every_awkward_value_survives_in_the_report(tmp_path: Path) -> None:
    text = all_text(render_paper("rr_report", "full_case", tmp_path).path)
    for awkward in ("Smith & Jones <Family> Services", "Zoë O'Brien-Nowak", "Théo O'Brien-Nowak",
                    'Dean <"Deano"> Price', "Prof. Anne-Marie D'Souza", "DASH medium < high"):
        assert awkward in text, awkward
    # The last section of the report is still there: nothing was truncated.
    assert "Explanation inconsistent; skeletal survey requested." in text


@pytest.mark.parametrize("name", list(PAPERS))
def test_sparse_case_shows_highlighted_markers_never_blanks(name: str, tmp_path: Path) -> None:
    rendered = render_paper(name, "sparse_case", tmp_path)
    doc = Document(str(rendered.path))
    text = all_text(rendered.path)
    assert "{{" not in text and "{%" not in text
    assert rendered.missing, "a sparse case always lacks something"
    assert f"[not recorded: {rendered.missing[0]}]" in text
    highlighted = [
        r for r in doc.element.body.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}highlight") is not None
    ]
    marked = {"".join(t.text or "" for t in r.iter(f"{W}t")) for r in highlighted}
    assert all(m.startswith("[not recorded: ") for m in marked)
    assert {f"[not recorded: {m}]" for m in rendered.missing if f"[not recorded: {m}]" in marked}
    # Form values are never left empty: every cell of a label/value table has text.
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2 and cells[0].text.strip():
                assert cells[1].text.strip(), (name, cells[0].text)


def test_tables_repeat_their_header_row_and_pages_are_numbered(tmp_path: Path) -> None:
    path = render_paper("master_chronology", "full_case", tmp_path).path
    doc = Document(str(path))
    chronology, checks = doc.tables[-2:]
    assert [c.text for c in checks.rows[0].cells] == ["Where", "What"]
    assert chronology.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in chronology.rows[0].cells][:2] == ["Date", "Source of information"]
    assert chronology.rows[1].cells[0].text == "20/01/2024 23:15"
    assert len(chronology.rows) == 1 + len(sample.full_case().chronology)
    footer = doc.sections[0].footer._element
    fields = " ".join(t.text for t in footer.iter(f"{W}instrText"))
    assert "PAGE" in fields and "NUMPAGES" in fields
    assert doc.sections[0].orientation == 1  # landscape
    heading_styles = {p.style.name for p in doc.paragraphs}
    assert "Title" in heading_styles


def test_report_appends_the_chronology_only_when_there_is_one(tmp_path: Path) -> None:
    with_it = all_text(render_paper("rr_report", "full_case", tmp_path).path)
    assert "Appendix: master chronology" in with_it
    case = sample.full_case()
    case.chronology = []
    filled = context.rr_report(case, load_profile("kent"), TODAY)
    without = all_text(render(template_path("rr_report"), filled.context, tmp_path / "no_chronology.docx").path)
    assert "Appendix: master chronology" not in without
    assert "Conclusions and recommendations" in without


def test_blank_line_in_a_value_starts_a_new_paragraph(tmp_path: Path) -> None:
    doc = Document(str(render_paper("decision", "full_case", tmp_path).path))
    # The outline is in a section the officer can rewrite: a content control, which doc.paragraphs skips.
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.element.body.iter(f"{W}p")]
    assert "Zoë (3) was brought to hospital by her mother with a subdural haematoma." in paragraphs
    assert "The explanation given (a fall from a sofa) is not consistent with the injury." in paragraphs


def test_value_with_characters_xml_forbids_does_not_break_the_document(tmp_path: Path) -> None:
    case = sample.full_case()
    case.incident.outline = "Pasted from the police system\x0b with a vertical tab & a bell\x07."
    filled = context.referral(case, load_profile("kent"), TODAY)
    path = render(template_path("referral"), filled.context, tmp_path / "pasted.docx").path
    assert "Pasted from the police system with a vertical tab & a bell." in all_text(path)


def test_misspelt_fields_are_refused_naming_template_line_and_field(tmp_path: Path) -> None:
    template = FILES / "misspelt_fields_from_another_partnership.docx"
    filled = context.referral(sample.full_case(), load_profile("kent"), TODAY)
    out = tmp_path / "referral.docx"
    with pytest.raises(TemplateError) as caught:
        render(template, filled.context, out, PAPERS["referral"])
    message = str(caught.value)
    assert "misspelt_fields_from_another_partnership.docx, line 22" in message
    assert "c.dob" in message and "Did you mean 'c.date_of_birth'?" in message
    assert "refferal.reason" in message and "Did you mean 'referral.reason'?" in message
    assert not out.exists()


def test_jinja_syntax_error_is_refused_naming_template_and_line(tmp_path: Path) -> None:
    filled = context.referral(sample.full_case(), load_profile("kent"), TODAY)
    with pytest.raises(TemplateError, match=r"for_loop_never_closed\.docx, line \d+.*Jinja syntax error.*endfor"):
        render(FILES / "for_loop_never_closed.docx", filled.context, tmp_path / "x.docx", PAPERS["referral"])


def test_partnership_templates_folder_overrides_per_file(tmp_path: Path) -> None:
    own = tmp_path / "our templates"
    own.mkdir()
    doc = Document(str(template_path("referral")))
    doc.paragraphs[0].runs[0].text = "Our own referral form"
    doc.save(str(own / PAPERS["referral"].template))
    assert template_path("referral", own) == own / "partner_referral.docx"
    assert template_path("decision", own) == template_path("decision")
    filled = context.referral(sample.full_case(), load_profile("kent"), TODAY)
    text = all_text(render(template_path("referral", own), filled.context, tmp_path / "r.docx").path)
    assert "Our own referral form" in text


def test_a_rendered_paper_is_not_written_over_a_document_open_in_word(tmp_path: Path) -> None:
    out = tmp_path / "referral.docx"
    out.write_bytes(b"the officer's edited copy")
    (tmp_path / "~$ferral.docx").write_bytes(b"lock")
    filled = context.referral(sample.full_case(), load_profile("kent"), TODAY)
    with pytest.raises(Exception, match="open"):
        render(template_path("referral"), filled.context, out)
    assert out.read_bytes() == b"the officer's edited copy"


@pytest.mark.parametrize("given", ["files", "documents in memory"])
def test_pack_has_contents_page_and_every_paper_in_its_orientation(given: str, tmp_path: Path) -> None:
    case, profile = sample.full_case(), load_profile("kent")
    pack = "rapid-review-meeting"
    rendered = [render(template_path("pack_contents"), context.pack_contents(case, profile, pack, TODAY).context,
                       tmp_path / "00.docx")]
    for n, name in enumerate(PACKS[pack], 1):
        rendered.append(render(template_path(name), context.build(name, case, profile, TODAY).context,
                               tmp_path / f"{n:02}.docx"))
    docs = [r.path if given == "files" else r.document for r in rendered]
    combined = compose(docs, tmp_path / "pack.docx")
    doc = Document(str(combined))
    text = all_text(combined)
    for title in ("Rapid Review meeting papers", "Rapid Review meeting agenda", "Rapid Review Terms of Reference",
                  "Master chronology", "Agency summaries received"):
        assert title in text
    # The chronology comes last, so that the pack ends with the merge's checks still open.
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        "Rapid Review meeting papers", "Rapid Review meeting agenda", "Rapid Review Terms of Reference",
        "Agency summaries received", "Master chronology"]
    body = "\n".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert body.rstrip().endswith("Check the year in the return and merge again.")
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [0, 0, 0, 0, 1]  # the chronology alone is landscape
    assert re.search(r"Smith & Jones <Family> Services", text)


def test_a_chronology_is_filled_exactly_as_docxtpl_fills_it(tmp_path: Path) -> None:
    # caseforms passes over docxtpl's handling of tabs, line breaks and paragraph marks in paragraphs that hold none.
    from docxtpl import DocxTemplate
    from lxml import etree

    case = sample.full_case()
    case.chronology = sample.big_chronology(40)
    for n, row in enumerate(case.chronology):
        row.details = ["Seen at home.\tTab then text", "Line one\nline two", "First paragraph\n\nsecond paragraph",
                       "Plain text & <angles>", "Form feed\fafter"][n % 5]
    filled = docx_render.prepare(context.build("master_chronology", case, load_profile("kent"), TODAY).context)
    documents, roots = [], []
    for template_class in (DocxTemplate, docx_render._template_class()):
        tpl = template_class(str(template_path("master_chronology")))
        tpl.init_docx()
        loaded = tpl.docx.element
        tpl.render(filled, jinja_env=docx_render.environment(), autoescape=True)
        documents.append(etree.tostring(tpl.docx.element))
        roots.append(tpl.docx.element is loaded)
        saved = tpl.save(tmp_path / f"{template_class.__name__}.docx") or tmp_path / f"{template_class.__name__}.docx"
        assert max(len(t.rows) for t in Document(str(saved)).tables) > 40
    assert documents[0] == documents[1]
    assert b"<w:tab/>" in documents[1] and b"<w:br/>" in documents[1]
    # caseforms' body is parsed inside a root of its own (not moved into the template's: slow in lxml), and is
    # python-docx's, as docxtpl's is.
    assert roots == [True, False]
    assert max(len(t.rows) for t in tpl.docx.tables) > 40


def _long_pack(tmp_path: Path, rows: int, change: Any = None, set_aside: bool = True,
               monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[dict[str, bytes], list[bool]]:
    """Compose the rapid-review-meeting pack of a chronology of ``rows`` entries; return its parts and, per body
    element of the chronology's document, whether the pack holds that very element (not a copy)."""
    import zipfile

    if monkeypatch is not None:
        monkeypatch.setattr(docx_render, "SET_ASIDE_ELEMENTS", docx_render.SET_ASIDE_ELEMENTS if set_aside else 10**12)
    case, profile = sample.full_case(), load_profile("kent")
    case.chronology = sample.big_chronology(rows)
    pack = "rapid-review-meeting"
    folder = tmp_path / ("aside" if set_aside else "docxcompose")
    folder.mkdir()
    made = [render(template_path("pack_contents"), context.pack_contents(case, profile, pack, TODAY).context,
                   folder / "00.docx").document]
    for n, name in enumerate(PACKS[pack], 1):
        made.append(render(template_path(name), context.build(name, case, profile, TODAY).context,
                           folder / f"{n:02}.docx").document)
    if change is not None:
        change(made[-1])
    elements = list(made[-1].element.body)
    held: list[bool] = []

    def finish(document: Any) -> None:
        held.extend(any(e is element for e in document.element.body) for element in elements)

    with zipfile.ZipFile(compose(made, folder / "pack.docx", finish=finish)) as z:
        return {name: z.read(name) for name in z.namelist()}, held


def test_a_long_chronology_is_put_into_a_pack_as_it_is_and_the_pack_is_the_same(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # docxcompose copies each element it appends and searches it eight times: 750,000 elements for a chronology of
    # 10,000 rows. Its table, holding nothing docxcompose would change, goes into the pack itself, byte for byte as
    # docxcompose would have put it.
    aside, held = _long_pack(tmp_path, 120, monkeypatch=monkeypatch)
    plain, copied = _long_pack(tmp_path, 120, set_aside=False, monkeypatch=monkeypatch)
    assert aside == plain
    assert held.count(True) == 1 and not any(copied)


def test_a_long_chronology_holding_a_bookmark_or_a_link_goes_through_docxcompose(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    def bookmark_and_link(document: Any) -> None:
        table = max(document.element.body, key=len)
        paragraph = next(table.iter(f"{W}p"))
        etree.SubElement(paragraph, f"{W}bookmarkStart", {f"{W}id": "7", f"{W}name": "seen"})
        etree.SubElement(paragraph, f"{W}bookmarkEnd", {f"{W}id": "7"})
        rid = document.part.relate_to("https://example.org/case", RT.HYPERLINK, is_external=True)
        link = etree.SubElement(paragraph, f"{W}hyperlink", {"{http://schemas.openxmlformats.org/officeDocument/2006/"
                                                              "relationships}id": rid})
        etree.SubElement(etree.SubElement(link, f"{W}r"), f"{W}t").text = "the case record"

    aside, held = _long_pack(tmp_path, 120, bookmark_and_link, monkeypatch=monkeypatch)
    plain, _ = _long_pack(tmp_path, 120, bookmark_and_link, set_aside=False, monkeypatch=monkeypatch)
    assert aside == plain and not any(held)
    assert b"https://example.org/case" in aside["word/_rels/document.xml.rels"]


def test_tables_are_fixed_exactly_as_docxtpl_fixes_them_and_only_when_they_need_it(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # docxtpl counts every cell of every table after filling, to widen a table whose rows a {%tc %} loop
    # lengthened; caseforms lets it only where a row's cells do not match the table's columns.
    from docx import Document as NewDocument
    from docxtpl import DocxTemplate
    from lxml import etree

    fixed: list[int] = []
    real = DocxTemplate.fix_tables

    def counted(self: DocxTemplate, xml: str) -> Any:
        fixed.append(1)
        return real(self, xml)

    monkeypatch.setattr(DocxTemplate, "fix_tables", counted)
    values = {"title": "Rapid Review", "agencies": ["Police", "Health", "School", "Housing"]}
    for widened in (False, True):
        document = NewDocument()
        table = document.add_table(rows=2, cols=3)
        table.cell(0, 0).text = "{{ title }}"
        if widened:
            for n, text in enumerate(("{%tc for a in agencies %}", "{{ a }}", "{%tc endfor %}")):
                table.cell(1, n).text = text
        document.save(tmp_path / f"{widened}.docx")
        filled = []
        for template_class in (DocxTemplate, docx_render._template_class()):
            fixed.clear()
            tpl = template_class(str(tmp_path / f"{widened}.docx"))
            tpl.render(values, jinja_env=docx_render.environment(), autoescape=True)
            filled.append(etree.tostring(tpl.docx.element.body))
        assert filled[0] == filled[1]
        assert fixed == ([1] if widened else [])
        assert filled[1].count(b"<w:gridCol ") == (4 if widened else 3)


@pytest.mark.parametrize("shape", ["merged cells", "a grid wider than its rows", "a table inside a cell", "a widened table inside a cell"])
def test_tables_of_other_shapes_are_fixed_as_docxtpl_fixes_them(shape: str, tmp_path: Path) -> None:
    # Merged cells, a grid wider than every row, a table in a cell: each comes out as docxtpl's own.
    from docx import Document as NewDocument
    from docxtpl import DocxTemplate
    from lxml import etree

    document = NewDocument()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "{{ title }}"
    if shape == "merged cells":
        table.cell(1, 0).merge(table.cell(1, 1)).text = "merged"
    elif shape == "a grid wider than its rows":
        for row in table.rows:  # docxtpl narrows the grid to the widest row
            row._tr.remove(row._tr.findall(f"{W}tc")[-1])
    else:
        # Wider than the table it is in: docxtpl counts its rows with the outer table's, and widens that one too.
        inner = table.cell(2, 2).add_table(rows=2, cols=4 if shape == "a table inside a cell" else 2)
        inner.cell(0, 0).text = "{{ agencies[0] }}"
        if shape == "a widened table inside a cell":
            for n, text in enumerate(("{%tc for a in agencies %}", "{{ a }}")):
                inner.cell(1, n).text = text
            inner.cell(1, 1).add_paragraph("{%tc endfor %}")
    document.save(tmp_path / "shaped.docx")
    values = {"title": "Rapid Review", "agencies": ["Police", "Health", "School", "Housing"]}
    filled = []
    for template_class in (DocxTemplate, docx_render._template_class()):
        tpl = template_class(str(tmp_path / "shaped.docx"))
        tpl.render(values, jinja_env=docx_render.environment(), autoescape=True)
        filled.append(etree.tostring(tpl.docx.element.body))
    assert filled[0] == filled[1]
    assert b"Rapid Review" in filled[1] and (b"Police" in filled[1]) == ("inside" in shape)


def _templates_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Forget the templates checked so far, and return the list each template read for a check is named in."""
    read: list[str] = []
    real = docx_render._template_parts

    def counted(path: Path) -> tuple[list[docx_render.Part], Any]:
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(docx_render, "_template_parts", counted)
    monkeypatch.setattr(docx_render, "_CHECKED", {})
    return read


def test_each_template_is_read_and_checked_once_however_many_papers_use_it(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    read = _templates_read(monkeypatch)
    monkeypatch.setattr(shipped_checks, "CLEAN", frozenset())  # checked in full
    case, profile = sample.full_case(), load_profile("kent")
    filled = context.build("rr_agenda", case, profile, TODAY)
    for n in range(3):
        assert docx_render.check_template(template_path("rr_agenda"), PAPERS["rr_agenda"]) == []
        render(template_path("rr_agenda"), filled.context, tmp_path / f"agenda {n}.docx")
    assert read == [PAPERS["rr_agenda"].template]


def test_the_first_paper_from_a_template_fills_the_document_its_check_read(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Checking a template opens it; the first paper made from it is filled from that document, not a second
    # opening of the file, and comes out as a paper filled from a fresh opening does.
    import zipfile

    import docxtpl.template

    opened: list[str] = []
    real = docxtpl.template.Document

    def counted(source: Any) -> Any:
        opened.append(Path(source).name)
        return real(source)

    monkeypatch.setattr(docxtpl.template, "Document", counted)
    monkeypatch.setattr(docx_render, "_CHECKED", {})
    monkeypatch.setattr(shipped_checks, "CLEAN", frozenset())  # checked in full
    monkeypatch.setattr(docx_render, "_OPENED", {})
    filled = context.build("rr_agenda", sample.full_case(), load_profile("kent"), TODAY)
    assert docx_render.check_template(template_path("rr_agenda"), PAPERS["rr_agenda"]) == []
    first = render(template_path("rr_agenda"), filled.context, tmp_path / "agenda 1.docx")
    assert opened == [PAPERS["rr_agenda"].template]
    second = render(template_path("rr_agenda"), filled.context, tmp_path / "agenda 2.docx")
    assert opened == [PAPERS["rr_agenda"].template] * 2
    with zipfile.ZipFile(first.path) as one, zipfile.ZipFile(second.path) as two:
        assert one.namelist() == two.namelist()
        for part in one.namelist():
            if part != "docProps/core.xml":  # the time it was written
                assert one.read(part) == two.read(part), part


def test_a_templates_parts_are_cleaned_for_jinja_once_however_often_it_is_filled(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from docxtpl import DocxTemplate

    cleaned: list[int] = []
    real = DocxTemplate.patch_xml

    def counted(self: DocxTemplate, xml: str) -> str:
        cleaned.append(len(xml))
        return real(self, xml)

    monkeypatch.setattr(DocxTemplate, "patch_xml", counted)
    monkeypatch.setattr(docx_render, "_CHECKED", {})
    monkeypatch.setattr(shipped_checks, "CLEAN", frozenset())  # checked in full
    monkeypatch.setattr(docx_render, "_CLEANED", {})
    filled = context.build("rr_agenda", sample.full_case(), load_profile("kent"), TODAY)
    made = [render(template_path("rr_agenda"), filled.context, tmp_path / f"agenda {n}.docx") for n in range(3)]
    parts = len(docx_render.template_parts(template_path("rr_agenda"))) - 1  # the document properties are not XML
    assert len(cleaned) == parts
    assert all_text(made[0].path) == all_text(made[2].path)


def test_a_template_changed_on_disk_is_checked_again(tmp_path: Path) -> None:
    own = tmp_path / "partner_referral.docx"
    shutil.copyfile(FILES / "misspelt_fields_from_another_partnership.docx", own)
    assert any("c.dob" in p.field for p in docx_render.check_template(own, PAPERS["referral"]))
    shutil.copyfile(template_path("referral"), own)
    assert docx_render.check_template(own, PAPERS["referral"]) == []


def test_pdf_without_libreoffice_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_render, "find_soffice", lambda: None)
    with pytest.raises(ConversionError, match=r"libreoffice\.org/download"):
        to_pdf(tmp_path / "any.docx")


@pytest.mark.libreoffice
@pytest.mark.skipif(docx_render.find_soffice() is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed")
def test_paper_converts_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    path = render_paper("submission_letter", "full_case", tmp_path).path
    pdf = to_pdf(path, tmp_path / "pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 5000


@pytest.mark.parametrize("case_name", ["full_case", "majority_case", "sparse_case"])
def test_no_paper_shows_empty_brackets_or_a_leftover_tag(case_name: str, tmp_path: Path) -> None:
    for name in PAPERS:
        text = all_text(render_paper(name, case_name, tmp_path).path)
        assert not re.search(r"\(\s*\)", text), (name, re.findall(r".{30}\(\s*\).{10}", text))
        assert "{{" not in text and "{%" not in text, name


@pytest.mark.parametrize("name", [n for n, p in PAPERS.items() if p.sections])
def test_each_paper_marks_every_section_the_officer_writes_and_only_those(name: str, tmp_path: Path) -> None:
    from caseforms.io.paper_versions import section_controls

    doc = Document(str(render_paper(name, "sparse_case", tmp_path).path))
    controls = section_controls(doc.element.body)
    assert list(controls) == [f"{name}:{s.key}" for s in PAPERS[name].sections]
    for key, sdt in controls.items():
        props = sdt.find(f"{W}sdtPr")
        assert props.find(f"{W}lock").get(f"{W}val") == "sdtLocked", "the control cannot be deleted by mistake"
        content = sdt.find(f"{W}sdtContent")
        prompt = "".join(content.itertext())
        assert "[not recorded: " in prompt or "None" in prompt or "To be agreed" in prompt, (key, prompt)
    ids = [i.get(f"{W}val") for i in doc.element.body.iter(f"{W}id") if i.getparent().tag == f"{W}sdtPr"]
    assert len(ids) == len(set(ids)), "every content control has its own id"


def test_marks_are_highlighted_in_the_order_of_the_document_wherever_they_are(tmp_path: Path) -> None:
    # Marks in plain runs, two in one run, one in a run of a text box inside another marked run: highlighted and
    # listed exactly as the search of every run (an XPath) that caseforms used before finds them.
    from lxml import etree

    def reference(document: Any) -> list[str]:
        found: list[str] = []
        marked = etree.XPath(".//w:r[w:t[contains(., '[not recorded: ') or contains(., '[check: ')]]",
                             namespaces={"w": W[1:-1]})
        for root in docx_render._document_roots(document):
            for run in marked(root):
                texts = [t for t in run.findall(f"{W}t") if t.text and ("[not recorded: " in t.text or "[check: " in t.text)]
                if texts:
                    for t in texts:
                        found.extend(m.group(1) for m in docx_render._MARKER.finditer(t.text))
                    docx_render._split_run(run)
        return list(dict.fromkeys(found))

    for nested in (False, True):
        document = Document()
        document.add_paragraph("Date of birth: [not recorded: date of birth] and [check: entry 4]")
        run = document.add_paragraph().add_run("School: [not recorded: school]")
        etree.SubElement(run._r, f"{W}t").text = " and GP [not recorded: GP]"
        document.sections[0].footer.paragraphs[0].text = "Lead reviewer: [not recorded: lead reviewer]"
        if nested:
            picture = run._r.makeelement(f"{W}pict", {})
            run._r.insert(0, picture)  # before the run's own texts
            box = etree.SubElement(etree.SubElement(picture, f"{W}txbxContent"), f"{W}p")
            etree.SubElement(etree.SubElement(box, f"{W}r"), f"{W}t").text = "[not recorded: agency]"
        document.save(tmp_path / "marked.docx")
        ours, theirs = Document(str(tmp_path / "marked.docx")), Document(str(tmp_path / "marked.docx"))
        assert docx_render.highlight_markers(ours) == reference(theirs)
        for mine, other in zip(docx_render._document_roots(ours), docx_render._document_roots(theirs), strict=True):
            assert etree.tostring(mine) == etree.tostring(other)
        assert etree.tostring(ours.element.body).count(b'w:highlight w:val="yellow"') == 4


def test_a_paper_is_deflated_at_zlibs_fastest_level_with_the_same_parts(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile
    import zlib

    from docx.opc import phys_pkg, pkgwriter

    quick = render_paper("master_chronology", "full_case", tmp_path / "quick").path
    monkeypatch.setattr(docx_render, "DEFLATE_LEVEL", None)
    usual = render_paper("master_chronology", "full_case", tmp_path / "usual").path
    assert pkgwriter.PhysPkgWriter is phys_pkg.PhysPkgWriter  # python-docx is left as it was
    with zipfile.ZipFile(quick) as one, zipfile.ZipFile(usual) as two:
        assert one.namelist() == two.namelist()
        for part in one.namelist():
            if part not in ("docProps/core.xml", "docProps/custom.xml"):  # the time each was written
                assert one.read(part) == two.read(part), part
        info = one.getinfo("word/document.xml")
        fast = zlib.compressobj(1, zlib.DEFLATED, -15)
        body = one.read(info.filename)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size == len(fast.compress(body) + fast.flush())


def test_a_long_chronology_with_custom_properties_goes_through_docxcompose(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # docxcompose turns fields showing a document's custom properties into their text: such a document is composed
    # by docxcompose whole, as before; one with none is put into the pack as it is.
    from docxcompose.properties import CustomProperties

    def with_a_property(document: Any) -> None:
        CustomProperties(document).add("Lead reviewer", "Dr Ruth Adeyemi")

    assert not docx_render._custom_properties(Document()) and not CustomProperties(Document()).keys()
    aside, held = _long_pack(tmp_path, 120, with_a_property, monkeypatch=monkeypatch)
    plain, _ = _long_pack(tmp_path, 120, with_a_property, set_aside=False, monkeypatch=monkeypatch)
    assert aside == plain and not any(held)


def test_a_body_element_is_large_from_exactly_as_many_elements_as_set_aside_asks(tmp_path: Path) -> None:
    # "At least n elements below it", asked so that libxml2 stops at the n-th: the same answer as counting them all.
    from lxml import etree

    for held in (0, 1, 4, 5, 6, 40):
        table = etree.Element(f"{W}tbl")
        row = etree.SubElement(table, f"{W}tr")
        for _ in range(held - 1):
            etree.SubElement(etree.SubElement(row, f"{W}tc") if held % 2 else row, f"{W}p")
        count = int(etree.XPath("count(.//*)")(table))
        for wanted in (1, 5, 6, 41):
            assert docx_render._holds_at_least(table, wanted) == (count >= wanted), (held, wanted)


def test_a_shipped_template_is_not_read_to_be_checked_and_any_other_is(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # The shipped templates were checked when they were made (caseforms.io.shipped_checks); a copy with one thing
    # changed, or a paper whose fields are not the ones it was checked with, is read and checked in full.
    read = _templates_read(monkeypatch)
    agenda = template_path("rr_agenda")
    assert docx_render.check_template(agenda, PAPERS["rr_agenda"]) == [] and read == []
    # The same bytes for another paper (the Terms of Reference's fields): checked in full.
    assert docx_render.check_template(agenda, PAPERS["rr_terms_of_reference"]) == docx_render.full_check(
        agenda, PAPERS["rr_terms_of_reference"])
    assert read == [agenda.name] * 2
    edited = tmp_path / agenda.name
    document = Document(str(agenda))
    document.add_paragraph("{{ case.dob }}")
    document.save(str(edited))
    problems = docx_render.check_template(edited, PAPERS["rr_agenda"])
    assert [p.field for p in problems] == ["case.dob"] and read[-1] == agenda.name and len(read) == 3
