"""Papers the officer finishes in Word: what is written is carried, an edited file is never replaced, versions.

Tried as an officer works: the papers are made, the report's sections are written "in Word"
(python-docx writing the content control and saving with Word's own "modified" date and author,
as Word does), a register date changes, and the papers are made again.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from caseforms import jobs
from caseforms.errors import WorkbookOpenError
from caseforms.io import docx_render
from caseforms.io.paper_versions import read_stamp, section_controls
from caseforms.papers.fields import PACK_TITLES, PAPERS
from caseforms.papers.versions import KEPT, NEW, NEXT_VERSION, REPLACED, Latest, next_version, paper_file_name, plan
from caseforms.register.schema import CHARACTERISTICS, NARRATIVE
from papers_fixtures import FULL, FULL_CASE, MEETINGS, SPARSE_CASE, W, all_text, write_in_word, write_partnership_folder

TODAY = date(2025, 2, 24)
LATER = date(2025, 2, 26)

#: The Rapid Review meeting decided by a majority: the ICB dissented, and the Executive saw it first (Kent 3.3).
MAJORITY = [*MEETINGS[:2], {**MEETINGS[2], "unanimous": "No", "dissent_by": "Health (ICB): Dr Ruth Adeyemi",
                            "dissent": "The ICB would have preferred no further review.",
                            "declarations": "None declared."}]
CASE = {**FULL_CASE, "rr_executive_date": date(2025, 2, 20),
        "rr_outcome_reason": "The learning about new adults is new to the partnership."}


def papers_folder(root: Path) -> Path:
    return root / "cases" / FULL / "papers"


def the(folder: Path, paper: str, version: str) -> Path:
    found = list(folder.glob(f"{FULL} {paper} v{version} *.docx"))
    assert len(found) == 1, (paper, version, sorted(p.name for p in folder.iterdir()))
    return found[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def section(path: Path, key: str) -> Any:
    """Return the content control of a paper's section (its key after 'caseforms:')."""
    return section_controls(Document(str(path)).element.body)[key]


def make(root: Path, pack: str = "submission", today: date = TODAY) -> jobs.PapersMade:
    return jobs.make_papers(root / "register.xlsx", FULL, pack, today)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "work"
    write_partnership_folder(root, cases=[CASE, SPARSE_CASE], meetings=MAJORITY)
    return root


def change_a_register_date(root: Path) -> None:
    """Correct two dates in the register: when the scope was agreed (the report shows it) and when the report
    went to the Panel (the letter's date), as an officer putting the register right would."""
    changed = {**CASE, "scope_agreed_date": date(2025, 2, 6), "rr_decision_date": date(2025, 2, 24)}
    write_partnership_folder(root, master=False, cases=[changed, SPARSE_CASE], meetings=MAJORITY)


# -- the officer's writing is carried ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["plain", "bold", "bullet", "numbered"])
def test_each_kind_of_writing_in_a_section_is_carried_into_the_next_version(folder: Path, kind: str) -> None:
    make(folder)
    papers = papers_folder(folder)
    written = {
        "plain": [("plain", "Zoë lives with her mother & her brother."), ("plain", "A second paragraph.")],
        "bold": [("bold", "The **partner's history** was not known to health visiting.")],
        "bullet": [("plain", "What was missed:"), ("bullet", "the partner's history"), ("bullet", "a 2-year review")],
        "numbered": [("numbered", "First finding"), ("numbered", "Second finding")],
    }[kind]
    write_in_word(the(papers, "Rapid Review report", "1.0"), "rr_report:case_summary", written)
    change_a_register_date(folder)

    made = make(folder, today=LATER)
    report = next(m for m in made.made if m.name == "rr_report")
    assert (report.action, report.version, report.carried) == (NEXT_VERSION, "1.1", ["Case summary"])
    new = the(papers, "Rapid Review report", "1.1")
    control = section(new, "rr_report:case_summary")
    paragraphs = [p for p in control.iter(f"{W}p")]
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs]
    assert texts[0] == "6. Case summary", "the section keeps the template's heading"
    assert texts[1:] == [text.replace("**", "") for _, text in written]
    document = Document(str(new))
    if kind == "bold":
        bold = [r for r in control.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
        assert ["".join(t.text for t in r.iter(f"{W}t")) for r in bold] == ["partner's history"]
    if kind in ("bullet", "numbered"):
        listed = [p for p in paragraphs if p.find(f"{W}pPr/{W}numPr") is not None]
        assert len(listed) == 2
        num_id = listed[0].find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        numbering = document.part.numbering_part.element
        num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == num_id)
        abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
        definition = next(a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract)
        fmt = definition.find(f"{W}lvl/{W}numFmt").get(f"{W}val")
        assert fmt == ("bullet" if kind == "bullet" else "decimal"), "the list keeps its own numbering definition"
        style_ids = {s.style_id for s in document.styles}
        assert "ListParagraph" in style_ids
    # The register's new date is in the new version, around the officer's text.
    assert "6 February 2025" in all_text(new)


def test_the_officers_file_is_never_replaced_and_the_pack_encloses_the_completed_report(folder: Path) -> None:
    first = make(folder)
    papers = papers_folder(folder)
    report = the(papers, "Rapid Review report", "1.0")
    write_in_word(report, "rr_report:case_summary", [("plain", "Written by the group in Word.")])
    write_in_word(report, "rr_report:criterion_1", [("bold", "**Yes**: information about new adults.")])
    edited = digest(report)
    change_a_register_date(folder)

    again = make(folder, today=LATER)
    assert digest(report) == edited and report.exists(), "the edited file is left exactly where and as it was"
    made = {m.name: m for m in again.made}
    assert made["rr_report"].previous == report
    assert made["rr_report"].carried == ["Case summary", "Finding: criterion 1"]
    pack = all_text(again.pack_document)
    assert "Written by the group in Word." in pack and "Yes: information about new adults." in pack
    assert again.pack_document != first.pack_document or made["pack"].action == REPLACED
    # The new version's document control box moves on.
    new = the(papers, "Rapid Review report", "1.1")
    assert "1.1" in all_text(new) and "26 February 2025" in all_text(new)
    assert read_stamp(new)[0].version == "1.1"  # type: ignore[union-attr]


def test_an_edit_by_a_program_that_leaves_the_modified_date_alone_is_still_never_replaced(folder: Path) -> None:
    make(folder, pack="rapid-review-report")
    papers = papers_folder(folder)
    report = the(papers, "Rapid Review report", "1.0")
    document = Document(str(report))
    document.add_paragraph("A note typed at the end by a tool that keeps the file's properties.")
    document.save(str(report))
    edited = digest(report)
    change_a_register_date(folder)

    made = make(folder, pack="rapid-review-report", today=LATER)
    assert digest(report) == edited
    assert next(m for m in made.made if m.name == "rr_report").action == NEXT_VERSION


def test_versions_move_on_and_nothing_is_made_again_when_nothing_changed(folder: Path) -> None:
    papers = papers_folder(folder)
    assert {m.action for m in make(folder).made} == {NEW}
    assert {m.action for m in make(folder, today=LATER).made} == {KEPT}, "same facts: the files stay as they are"
    report = the(papers, "Rapid Review report", "1.0")
    write_in_word(report, "rr_report:background", [("plain", "Background written in Word.")])
    assert next(m for m in make(folder).made if m.name == "rr_report").action == KEPT, \
        "an edited paper whose facts have not changed is kept, not copied into a new version"
    change_a_register_date(folder)
    actions = {m.name: m.action for m in make(folder, today=LATER).made}
    assert actions == {"submission_letter": REPLACED, "rr_report": NEXT_VERSION, "rr_action_plan": KEPT,
                       "pack": REPLACED}
    letter = the(papers, "Covering letter to the National Panel", "1.0")
    assert letter.name.endswith("2025-02-26.docx"), "caseforms' own untouched copy is made again in its place"
    assert not list(papers.glob("* Covering letter to the National Panel v1.0 2025-02-24.docx"))
    assert list((papers / "backups").glob("* Covering letter to the National Panel v1.0 2025-02-24 *.docx"))
    # The officer edits v1.1 too: the next change makes 1.2, carrying from 1.1.
    write_in_word(the(papers, "Rapid Review report", "1.1"), "rr_report:worries", [("plain", "Worries, in Word.")])
    write_partnership_folder(folder, master=False, cases=[{**CASE, "scope_agreed_date": date(2025, 2, 7),
                                                            "rr_decision_date": date(2025, 2, 24)}, SPARSE_CASE],
                             meetings=MAJORITY)
    make(folder, today=date(2025, 2, 27))
    text = all_text(the(papers, "Rapid Review report", "1.2"))
    assert "Background written in Word." in text and "Worries, in Word." in text


def test_the_next_version_is_one_after_the_latest() -> None:
    assert [next_version(v) for v in ("1.0", "1.1", "1.9", "2.3", "draft")] == ["1.1", "1.2", "1.10", "2.4", "1.1"]
    assert plan(None, "x").action == NEW
    assert plan(Latest("1.3", edited=True, made_from="old"), "new") == plan(Latest("1.3", True, "a"), "b")
    assert plan(Latest("1.3", edited=True, made_from="old"), "new").version == "1.4"
    assert plan(Latest("1.3", edited=False, made_from="old"), "new").action == REPLACED
    assert plan(Latest("1.3", edited=True, made_from="same"), "same").action == KEPT
    assert plan(Latest("1.0", edited=True, made_from=None), "new").action == NEXT_VERSION


def test_every_papers_file_name_is_one_windows_and_onedrive_accept() -> None:
    """A title with a colon ('...: preparation sheet') made a file Windows cannot hold (issue 15)."""
    titles = [paper.title for paper in PAPERS.values()] + list(PACK_TITLES.values())
    for title in titles:
        name = paper_file_name("DEMO-2026-021", title, "1.0", date(2026, 11, 30))
        assert not set(name) & set('<>:"/\\|?*'), name
    assert paper_file_name("DEMO-2026-021", "Notification to the Secretary of State and Ofsted: preparation sheet", "1.0",
                           date(2026, 11, 30)) == ("DEMO-2026-021 Notification to the Secretary of State and Ofsted - "
                                                   "preparation sheet v1.0 2026-11-30.docx")


def test_emptying_a_section_hands_it_back_to_the_register(folder: Path) -> None:
    make(folder, pack="rapid-review-report")
    papers = papers_folder(folder)
    write_in_word(the(papers, "Rapid Review report", "1.0"), "rr_report:case_summary", [("plain", "  ")])
    change_a_register_date(folder)
    make(folder, pack="rapid-review-report", today=LATER)
    control = section(the(papers, "Rapid Review report", "1.1"), "rr_report:case_summary")
    assert "[not recorded: case summary]" in "".join(control.itertext())


def test_a_section_whose_control_libreoffice_dropped_is_found_by_its_heading(folder: Path) -> None:
    """LibreOffice turns a block content control into an inline one without its tag: the heading finds it."""
    make(folder, pack="rapid-review-report")
    papers = papers_folder(folder)
    report = the(papers, "Rapid Review report", "1.0")
    write_in_word(report, "rr_report:background", [("plain", "Background written in LibreOffice.")])
    document = Document(str(report))
    for sdt in list(document.element.body.iter(f"{W}sdt")):  # every content control unwrapped
        parent, at = sdt.getparent(), sdt.getparent().index(sdt)
        for child in list(sdt.find(f"{W}sdtContent")):
            parent.insert(at, child)
            at += 1
        parent.remove(sdt)
    document.core_properties._element.find("{http://purl.org/dc/terms/}modified").text = "2025-02-25T10:00:00Z"
    document.save(str(report))
    change_a_register_date(folder)
    made = make(folder, pack="rapid-review-report", today=LATER)
    assert next(m for m in made.made if m.name == "rr_report").carried == ["Background"]
    assert "Background written in LibreOffice." in all_text(the(papers, "Rapid Review report", "1.1"))


@pytest.mark.libreoffice
@pytest.mark.skipif(docx_render.find_soffice() is None, reason="LibreOffice is not installed")
def test_a_report_saved_again_by_libreoffice_keeps_its_writing(folder: Path, tmp_path: Path) -> None:
    import subprocess

    make(folder, pack="rapid-review-report")
    papers = papers_folder(folder)
    report = the(papers, "Rapid Review report", "1.0")
    write_in_word(report, "rr_report:learning_points", [("plain", "Learning written before LibreOffice saved it."),
                                                        ("bold", "A **bold** point.")])
    out = tmp_path / "lo"
    subprocess.run([docx_render.find_soffice() or "soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(report)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(out / report.name, report)
    change_a_register_date(folder)
    made = make(folder, pack="rapid-review-report", today=LATER)
    report_made = next(m for m in made.made if m.name == "rr_report")
    assert report_made.action == NEXT_VERSION and "Provisional learning points" in report_made.carried
    text = all_text(the(papers, "Rapid Review report", "1.1"))
    assert "Learning written before LibreOffice saved it." in text and "A bold point." in text


def test_a_paper_open_in_word_stops_the_papers_before_anything_is_written(folder: Path) -> None:
    make(folder)
    papers = papers_folder(folder)
    report = the(papers, "Rapid Review report", "1.0")
    write_in_word(report, "rr_report:background", [("plain", "Being written now.")])
    (papers / f"~${report.name[2:]}").write_bytes(b"Word's lock file")
    change_a_register_date(folder)
    before = sorted(p.name for p in papers.iterdir())
    with pytest.raises(WorkbookOpenError, match="open in Word"):
        make(folder, today=LATER)
    assert sorted(p.name for p in papers.iterdir()) == before


def test_a_section_written_in_the_pack_is_carried_into_the_paper(folder: Path) -> None:
    made = make(folder)
    assert made.pack_document is not None
    write_in_word(made.pack_document, "rr_report:initial_actions", [("plain", "Actions written in the pack.")])
    change_a_register_date(folder)
    again = make(folder, today=LATER)
    report = next(m for m in again.made if m.name == "rr_report")
    assert report.carried == ["Initial actions"]
    assert "Actions written in the pack." in all_text(report.path)


# -- text that belongs to the case: the Narrative sheet ---------------------------------------------------


def test_the_registers_narrative_fills_the_report_and_the_letter_and_the_papers_own_edits_win(tmp_path: Path) -> None:
    root = tmp_path / "work"
    narrative = [{"case_ref": FULL, "section": "Case summary", "text": "Summary kept in the register."},
                 {"case_ref": FULL, "section": "criterion 2: recurrent themes", "text": "Yes: a recurrent theme."}]
    write_partnership_folder(root, cases=[CASE, SPARSE_CASE], meetings=MAJORITY, other={NARRATIVE: narrative})
    made = make(root)
    letter, report = (dict(made.papers)[n] for n in ("submission_letter", "rr_report"))
    assert "Summary kept in the register." in all_text(letter)
    assert "Summary kept in the register." in all_text(report) and "Yes: a recurrent theme." in all_text(report)
    write_in_word(report, "rr_report:case_summary", [("plain", "The report's own summary.")])
    narrative[0]["text"] = "The register's summary, changed."
    write_partnership_folder(root, master=False, cases=[CASE, SPARSE_CASE], meetings=MAJORITY,
                             other={NARRATIVE: narrative})
    again = dict(make(root, today=LATER).papers)
    assert "The register's summary, changed." in all_text(again["submission_letter"])
    assert "The report's own summary." in all_text(again["rr_report"])
    assert "The register's summary, changed." not in all_text(again["rr_report"])


# -- the decision as made --------------------------------------------------------------------------------


def test_the_letter_tells_a_majority_decision_with_its_dissent_date_and_signatory(folder: Path) -> None:
    made = make(folder)
    letter = all_text(dict(made.papers)["submission_letter"])
    assert "21 February 2025" in letter, "dated the day the report went to the Panel (Cases: decision sent)"
    assert "10 February" not in letter and "24 February 2025" not in letter.split("Our reference")[0]
    assert "reached by a majority" in letter and "Dr Ruth Adeyemi, Health (ICB)" in letter
    assert "The ICB would have preferred no further review." in letter
    assert "agreed this decision unanimously" not in letter
    assert "shared with the KSCMP Executive before the National Panel, on 20 February 2025" in letter
    assert "Helen Ashworth\nBusiness manager" in "\n".join(p.text for p in Document(
        str(dict(made.papers)["submission_letter"])).paragraphs[-6:]).replace("\n\n", "\n") or "Helen Ashworth" in letter
    assert "Kent County Council" in letter, "the notifying council is the profile's, not the notifier's agency"
    report = all_text(dict(made.papers)["rr_report"])
    for text in ("Criterion 4: Is one which the Child Safeguarding Practice Review Panel",
                 "institutional settings", "By majority", "The ICB would have preferred no further review.",
                 "The learning about new adults is new to the partnership."):
        assert text in report, text


def test_a_unanimous_decision_reads_as_unanimous_and_needs_no_executive(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write_partnership_folder(root, cases=[CASE, SPARSE_CASE])
    letter = all_text(dict(make(root).papers)["submission_letter"])
    assert "The three statutory safeguarding partners agreed this decision unanimously." in letter
    assert "majority" not in letter and "Executive before the National Panel" not in letter


def test_the_meeting_record_carries_attendance_quorum_decision_dissent_actions_and_what_goes_to_the_panel(
    folder: Path,
) -> None:
    made = make(folder, pack="rapid-review-record")
    text = all_text(made.papers[0][1])
    for expected in ("Rapid Review meeting record", "Present", "Quorate", "Yes: every decision maker",
                     "None declared.", "By majority", "Dr Ruth Adeyemi, Health (ICB)",
                     "The ICB would have preferred no further review.", "go to the National Panel by 24 February 2025",
                     "sent on 21 February 2025", "shared with the KSCMP Executive"):
        assert expected in text, expected


# -- several incident characteristics ---------------------------------------------------------------------


def test_every_characteristic_ticked_in_the_register_is_ticked_in_the_papers(tmp_path: Path) -> None:
    root = tmp_path / "work"
    case = {**CASE, "incident_characteristic": "Injury; neglect - longstanding"}
    write_partnership_folder(root, cases=[case, SPARSE_CASE], meetings=MAJORITY, other={CHARACTERISTICS: [
        {"case_ref": FULL, "characteristic": "Abuse – Alcohol"}, {"case_ref": "TG-2025-009", "characteristic": "Suicide"}]})
    ticked = {"Injury", "Neglect – longstanding", "Abuse – Alcohol"}
    decision = Document(str(jobs.make_papers(root / "register.xlsx", FULL, "decision", TODAY).papers[0][1]))
    table = next(t for t in decision.tables if any("Suicide" in c.text for r in t.rows for c in r.cells))
    boxes = {}
    for row in table.rows:
        cells = row.cells
        for box, label in zip(cells[0::2], cells[1::2], strict=True):
            if label.text.strip():
                boxes[label.text.strip()] = box.text.strip()
    assert {label for label, box in boxes.items() if box == "☒"} == ticked
    assert len(boxes) == 32, "the Appendix D list, each once: no malformed extra row"
    notification = all_text(jobs.make_papers(root / "register.xlsx", FULL, "notification", TODAY).papers[0][1])
    assert "Abuse – Alcohol, Injury, Neglect – longstanding" in notification
    report = all_text(make(root, pack="rapid-review-report").papers[0][1])
    assert "Abuse – Alcohol, Injury, Neglect – longstanding" in report


# -- the stage's papers, page numbers, right facts --------------------------------------------------------


def test_papers_without_a_pack_makes_the_stages_papers(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.cli import main

    assert main(["papers", str(folder / "register.xlsx"), "--case", FULL, "--today", "24/02/2025"]) == 0
    out = capsys.readouterr().out
    assert f"Case {FULL}: LCSPR in progress." in out and "(lcspr-tor pack" in out
    assert out.count("Word fills in the page numbers") <= 1
    stage = jobs.make_stage_papers(folder / "register.xlsx", "TG-2025-009", TODAY)
    assert [m.pack for m in stage.packs] == ["referral", "referral-receipt", "decision"]


def test_the_contents_page_numbers_are_fields_word_updates_on_opening(folder: Path) -> None:
    made = make(folder)
    assert made.pack_document is not None
    document = Document(str(made.pack_document))
    body = document.element.body
    references = [t.text for t in body.iter(f"{W}instrText") if "PAGEREF" in (t.text or "")]
    assert [r.split()[1] for r in references] == ["_cfPaper1", "_cfPaper2", "_cfPaper3"]
    assert all(f.get(f"{W}dirty") == "true" for f in body.iter(f"{W}fldChar") if f.get(f"{W}fldCharType") == "begin"
               and f.getparent().getnext() is not None and "PAGEREF" in "".join(f.getparent().getnext().itertext()))
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {"_cfPaper1", "_cfPaper2", "_cfPaper3"} <= marks
    assert document.settings.element.find(f"{W}updateFields") is not None


@pytest.mark.libreoffice
@pytest.mark.skipif(docx_render.find_soffice() is None, reason="LibreOffice is not installed")
def test_the_pdf_contents_page_gives_each_papers_first_page(folder: Path) -> None:
    import subprocess

    made = jobs.make_papers(folder / "register.xlsx", FULL, "submission", TODAY, pdf=True)
    assert made.pdf is not None
    pages = subprocess.run(["pdftotext", "-layout", str(made.pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f") if shutil.which("pdftotext") else []
    if not pages:
        pytest.skip("pdftotext is not installed")
    contents = pages[0]
    first_words = {"Covering letter to the National Panel": "Dear Chair", "Rapid Review report": "1. Introduction",
                   "Rapid Review action plan": "Each action is specific"}
    numbers = {title: int(line.split()[-1]) for line in contents.splitlines() for title in first_words
               if title in line and line.split()[-1].isdigit()}
    assert set(numbers) == set(first_words) and numbers["Covering letter to the National Panel"] == 2
    for title, page in numbers.items():
        assert first_words[title] in pages[page - 1] and first_words[title] not in pages[page - 2], (title, page)


def test_the_report_of_a_meeting_to_come_says_it_is_to_come(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write_partnership_folder(root, cases=[CASE, SPARSE_CASE], meetings=MAJORITY)
    text = all_text(jobs.make_papers(root / "register.xlsx", FULL, "rapid-review-report", date(2025, 2, 19)).papers[0][1])
    assert "met on 19 February 2025 and is to meet again on 20 February 2025" in text
    assert "met on 19 and 20 February 2025" not in text
    earlier = all_text(jobs.make_papers(root / "register.xlsx", FULL, "rapid-review-report", date(2025, 2, 17),
                                        out=tmp_path / "earlier").papers[0][1])
    assert "is to meet on 19 and 20 February 2025" in earlier


def test_a_paper_saved_in_word_with_only_its_formatting_changed_is_never_replaced(folder: Path) -> None:
    """Word writes its own 'modified' date and author on every save: that alone says the file was edited."""
    made = make(folder, pack="rapid-review-report")
    report = made.papers[0][1]
    fill = "".join(section(report, "rr_report:incident_outline").itertext()).strip()
    outline = "Zoë (3) was brought to hospital with a subdural haematoma."
    assert outline in fill
    # The same words, one of them made bold: the text is unchanged, only its formatting.
    write_in_word(report, "rr_report:incident_outline", [
        ("bold", "Zoë (3) was brought to hospital with a **subdural haematoma**."),
        ("plain", "The explanation given (a fall from a sofa) is not consistent with the injury.")])
    edited = digest(report)
    change_a_register_date(folder)
    again = make(folder, pack="rapid-review-report", today=LATER)
    assert digest(report) == edited
    assert next(m for m in again.made if m.name == "rr_report").action == NEXT_VERSION


def test_a_paper_an_earlier_caseforms_made_is_kept_and_followed_by_version_1_1(folder: Path) -> None:
    """Before versions, papers were '<REF> <paper> <date>.docx' with nothing recorded in them: never replaced."""
    papers = papers_folder(folder)
    papers.mkdir(parents=True, exist_ok=True)
    older = papers / f"{FULL} Rapid Review report 2025-02-20.docx"
    shutil.copy(docx_render.template_path("rr_report"), older)
    kept = digest(older)
    made = next(m for m in make(folder, pack="rapid-review-report").made if m.name == "rr_report")
    assert (made.action, made.version, made.previous) == (NEXT_VERSION, "1.1", older)
    assert any("earlier caseforms" in note for note in made.notes)
    assert digest(older) == kept


def test_made_again_by_another_run_of_the_command_nothing_is_rewritten(folder: Path) -> None:
    """Each run of the command is a new process (its sets iterate in another order): the same facts still match."""
    import json
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "caseforms", "papers", str(folder / "register.xlsx"), "--case", FULL, "--pack",
               "submission", "--today", "24/02/2025", "--json"]
    runs = []
    for seed in ("1", "2"):
        done = subprocess.run(command, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        report = json.loads(done.stdout)
        runs.append([p["action"] for p in report["papers"]] + [report["pack_made"]["action"]])
    assert runs == [[NEW] * 4, [KEPT] * 4]


def test_a_picture_and_a_table_put_in_a_section_are_carried(folder: Path, tmp_path: Path) -> None:
    import struct
    import zlib

    def png() -> bytes:  # a 2x2 red picture, written byte by byte
        raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    make(folder, pack="rapid-review-report")
    papers = papers_folder(folder)
    report = the(papers, "Rapid Review report", "1.0")
    write_in_word(report, "rr_report:background", [("plain", "A genogram and a table:")])
    picture = tmp_path / "genogram.png"
    picture.write_bytes(png())
    document = Document(str(report))
    control = section_controls(document.element.body)["rr_report:background"].find(f"{W}sdtContent")
    paragraph = document.add_paragraph()
    paragraph.add_run().add_picture(str(picture))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Agency", "Seen the child"
    control.append(paragraph._p)
    control.append(table._tbl)
    control.append(document.add_paragraph("After the table.")._p)
    document.core_properties._element.find("{http://purl.org/dc/terms/}modified").text = "2025-02-25T10:00:00Z"
    document.save(str(report))
    change_a_register_date(folder)

    make(folder, pack="rapid-review-report", today=LATER)
    new = the(papers, "Rapid Review report", "1.1")
    carried = section(new, "rr_report:background")
    assert carried.find(f".//{W}drawing") is not None and carried.find(f".//{W}tbl") is not None
    assert "Seen the child" in "".join(carried.itertext()) and "After the table." in "".join(carried.itertext())
    blip = carried.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    assert Document(str(new)).part.related_parts[rid].blob == picture.read_bytes(), "the picture itself is in the new file"


def test_the_fields_a_paper_is_made_from_are_read_from_every_part_that_holds_a_tag(tmp_path: Path) -> None:
    # A paper is made again when a field its template shows changes: a tag Word split over runs (alone in the
    # header), one in the footer and one in the document's properties count as much as one in the body.
    from caseforms.io.paper_versions import template_fields

    document = Document()
    document.add_paragraph("{% for a in agencies %}{{ a.name }}{% endfor %}")
    paragraph = document.sections[0].header.paragraphs[0]
    for piece in ("{", "{ case.", "ref }", "}"):
        paragraph.add_run(piece)
    document.sections[0].footer.paragraphs[0].text = "{{ partnership.name }}"
    document.core_properties.title = "{{ paper.title }}"
    document.save(tmp_path / "split.docx")
    assert {"case.ref", "agencies", "a.name", "partnership.name", "paper.title"} <= template_fields(tmp_path / "split.docx")


def test_a_pack_writes_its_papers_and_itself_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The contents page only ever goes into the pack: it is filled in memory, never written (to a temporary folder).
    written: list[str] = []
    real = docx_render.write_document

    def counted(path: Path, save: Any, document: Any) -> Any:
        written.append(Path(path).name)
        return real(path, save, document)

    monkeypatch.setattr(docx_render, "write_document", counted)
    write_partnership_folder(tmp_path)
    made = jobs.make_papers(tmp_path / "register.xlsx", FULL, "rapid-review-meeting", TODAY)
    assert made.pack_document is not None
    assert written == [path.name for _, path in made.papers] + [made.pack_document.name]
    assert "Contents" in all_text(made.pack_document)


def test_a_templates_fields_are_read_once_and_again_when_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a paper is made from counts only the fields its template shows: read from the template's parts once a
    # process, and again from a template changed on disk (a field it shows now is then counted).
    from caseforms.io import paper_versions

    read: list[int] = []
    real = paper_versions._fields_of

    def counted(z: Any) -> frozenset[str]:
        read.append(1)
        return real(z)

    monkeypatch.setattr(paper_versions, "_fields_of", counted)
    monkeypatch.setattr(paper_versions, "_FIELDS", {})
    own = tmp_path / "rr_agenda.docx"
    shutil.copyfile(docx_render.template_path("rr_agenda"), own)
    values = {"case": {"ref": "SCP-2025-001"}, "rapid_review": {"scope_agreed": "Yes"}}
    first = paper_versions.made_from("rr_agenda", values, own, {})
    assert paper_versions.made_from("rr_agenda", values, own, {}) == first
    assert len(read) == 1
    document = Document(str(own))
    document.add_paragraph("Scope agreed: {{ rapid_review.scope_agreed }}")
    document.save(str(own))
    changed = paper_versions.made_from("rr_agenda", values, own, {})
    assert len(read) == 2 and changed != first
    assert "rapid_review.scope_agreed" in paper_versions.template_fields(own)
