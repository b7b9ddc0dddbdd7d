"""Publishing a review as an officer does it: the glossary, papers and chronology for publication, the check.

Real registers, papers and workbooks written to tmp_path and read back. Every name and number is
invented; NHS numbers are from the 999 test range.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from caseforms.cells import column_letter
from caseforms.chronology.merge import AgencyReturn, merge_returns
from caseforms.cli import main
from caseforms.io.master_read import master_chronology_path
from caseforms.io.master_xlsx import write_master
from caseforms.publication.anonymise import Anonymiser, Identifiers, Named
from caseforms.publication.glossary import practitioner
from papers_fixtures import CHILD, CHRONOLOGY_HEADER, FULL, SIBLING, W, all_text, write_in_word, write_partnership_folder

TODAY = "10/02/2025"
MOTHER = "Siobhán O'Brien"

#: What the review group wrote in the register, with the family's names in it.
NARRATIVE = [
    {"case_ref": FULL, "section": "Case summary",
     "text": "Zoë lives with her mother Siobhán and her brother Théo at 12 Mill Lane, Thornbury Green, TG4 7QX. "
             "Zoë's nursery, Little Acorns Nursery, raised concerns; Ms O'Brien said Deano had left."},
    {"case_ref": FULL, "section": "LCSPR summary of the case",
     "text": "Zoë O'Brien-Nowak (born 17/04/2021, NHS number 999 000 0018) was seen by PC Adams."},
]


def _return(rows: list[list[str]], agency: str, file: str) -> AgencyReturn:
    return AgencyReturn(file, "Chronology", 1, CHRONOLOGY_HEADER, title_block=[["Agency:", agency]],
                        rows=[(n, r) for n, r in enumerate(rows, start=2)])


def write_master_with_names(path: Path) -> Path:
    """Write a master chronology whose free text names the family in every way agencies write them."""
    police = _return([
        ["20/01/2024", "23:15", "Police record", f"{MOTHER}; Dean Price", "Police attendance", "PC Adams",
         "Called by SIOBHAN O'BRIEN: Dean pushed her. Zoe and Théo asleep upstairs.", "DASH medium."],
        ["03/03/2024", "", "Police record", "Dean Price", "Intelligence", "DS Kerry Osei",
         "Deano's history of violence noted; his mark on the door.", "Not shared with CSC."],
    ], "Thornbury Police", "Thornbury Police.xlsx")
    nursery = _return([
        ["06/03/2023", "", "Nursery record", CHILD, "Welfare concern", "Aisha Rahman",
         "Z.O. arrived hungry; mum's phone 07700 900123. DOB 17.04.21.", "Mother (999-000-0034) not told."],
    ], "Little Acorns Nursery", "Little Acorns Nursery.xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    master = merge_returns([police, nursery], today=date(2025, 6, 1))
    write_master(master, path)
    return path


#: What the source holds that no published paper may: each is replaced.
SOURCE_IDENTIFIERS = ("Zoë", "Zoe", "O'Brien", "Siobhán", "SIOBHAN", "Théo", "Deano", "Dean Price", "Mill Lane",
                      "TG4 7QX", "17/04/2021", "17.04.21", "999 000 0018", "999-000-0034", "Little Acorns",
                      "PC Adams", "Aisha Rahman", "Z.O.")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    register = write_partnership_folder(tmp_path / "partnership", master=False, other={"Narrative": NARRATIVE})
    write_master_with_names(master_chronology_path(register.parent, FULL))
    return register.parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    status = main([*args, "--json"])
    return status, json.loads(capsys.readouterr().out)


def make_for_publication(folder: Path, capsys: pytest.CaptureFixture[str], pack: str = "rapid-review-report"
                         ) -> tuple[int, dict]:  # type: ignore[type-arg]
    return run(capsys, "papers", str(folder / "register.xlsx"), "--case", FULL, "--pack", pack, "--anonymised",
               "--today", TODAY)


# -- the glossary ----------------------------------------------------------------------------------------------


def test_the_glossary_suggests_everyone_once_and_never_changes_what_the_officer_wrote(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    register = folder / "register.xlsx"
    status, first = run(capsys, "publication", "glossary", str(register), "--case", FULL)
    said = {r["name"]: r["publish_as"] for r in first["rows"]}
    assert status == 0 and first["added"] == len(first["rows"])
    assert said[CHILD] == "Child Z", "the child is called by the pseudonym the family chose (Cases sheet)"
    assert said[SIBLING] == "Sibling 1" and said[MOTHER] == "Mother"
    assert said['Dean <"Deano"> Price'] == "Mother's partner"
    assert said["PC Adams"] == "Police Officer 1" and said["DS Kerry Osei"] == "Police Officer 2"
    assert said["Little Acorns Nursery"] == "the nursery"
    assert "Aisha Rahman" in said, "a practitioner of the chronology's 'By whom' column"
    assert not {"Police record", "Nursery record"} & set(said), "a source of information names nobody"

    # The officer changes what the mother is called, in Excel.
    wb = load_workbook(register)
    ws = wb["Glossary"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("Name as written")].value == MOTHER:
            row[headers.index("Publish as")].value = "Parent 1"
    wb.save(register)

    status, second = run(capsys, "publication", "glossary", str(register), "--case", FULL)
    rows = {r["name"]: r for r in second["rows"]}
    assert status == 0 and second["added"] == 0
    assert rows[MOTHER]["publish_as"] == "Parent 1" and rows[MOTHER]["suggested_by"] == "officer"
    _, third = run(capsys, "publication", "glossary", str(register), "--case", FULL)
    assert third["added"] == third["updated"] == 0, "a glossary up to date is not written again"


def test_a_register_made_before_the_glossary_gains_the_sheet(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    register = folder / "register.xlsx"
    wb = load_workbook(register)
    del wb["Glossary"]
    wb.save(register)
    status, made = run(capsys, "publication", "glossary", str(register), "--case", FULL)
    assert status == 0 and made["written"]
    wb = load_workbook(register)
    assert "Glossary" in wb.sheetnames
    names = [r[1] for r in wb["Glossary"].iter_rows(min_row=2, values_only=True) if r[1]]
    assert CHILD in names and MOTHER in names


@pytest.mark.parametrize(("written", "agency", "expected"), [
    ("PC Dan Walsh", "Police", ("PC Dan Walsh", "Police Officer")),
    ("HV Grace Adebayo", "Health visiting", ("HV Grace Adebayo", "Health Visitor")),
    ("Dr Ade Okonjo", "GP practice", ("Dr Ade Okonjo", "GP")),
    ("Sam Okafor, Practice Review Officer", "Children's Social Care", ("Sam Okafor", "Practice Review Officer")),
    ("Health visitor Sam Ortiz", "", ("Sam Ortiz", "Health Visitor")),
    ("Jane Whitfield", "Millbrook Primary School", ("Jane Whitfield", "School Staff")),
    ("Front door team", "Children's Social Care", None),
    ("Named nurse", "Health visiting", None),
    ("Practice administrator", "GP practice", None),
])
def test_a_practitioner_is_told_from_a_team_and_given_a_role(written: str, agency: str,
                                                            expected: tuple[str, str] | None) -> None:
    assert practitioner(written, agency) == expected


# -- anonymising text --------------------------------------------------------------------------------------------

FAMILY = Identifiers(
    people=[Named("Tyler Mark Hughes", "Child A", "child"), Named("Kayleigh Hughes", "Mother", "parent"),
            Named("DS Mark Ellery", "Police Officer 2", "professional"), Named("Ryan Hughes", "Father", "parent"),
            Named("Oakfield Primary School", "the school", "school")],
    dates_of_birth={date(2016, 3, 9): "Tyler Mark Hughes"}, nhs_numbers={"9990000018": "Tyler Mark Hughes"},
    addresses={"Flat 6, Kestrel Court, Millbrook, HB4 7QX": "Tyler Mark Hughes"}, keep=["Hannah Ellery"])


@pytest.mark.parametrize(("text", "published"), [
    ("Tyler said he was hungry.", "Child A said he was hungry."),
    ("TYLER HUGHES attended.", "CHILD A attended."),
    ("tyler attended.", "Child A attended."),
    ("Tyler's weight fell.", "Child A's weight fell."),
    ("Tyler’s weight fell.", "Child A’s weight fell."),
    ("Kayleigh Hughes phoned.", "Mother phoned."),
    ("Mrs Hughes phoned; Mr Hughes did not.", "[name removed] phoned; [name removed] did not."),
    ("The Hughes family moved.", "The family moved."),
    ("DS Mark Ellery visited. DS Ellery and Mark spoke.", "Police Officer 2 visited. Police Officer 2 and Police Officer 2 "
                                                          "spoke."),
    ("A red mark on his arm; she will mark it.", "A red mark on his arm; she will mark it."),
    ("Hannah Ellery chaired.", "Hannah Ellery chaired."),
    ("Seen by K.H. and KH.", "Seen by Mother and Mother."),
    ("The GP and DS saw him.", "The GP and DS saw him."),
    ("DOB 09/03/2016; born 9th March 2016; 9.3.16; 2016-03-09.",
     "DOB [date of birth removed]; born [date of birth removed]; [date of birth removed]; [date of birth removed]."),
    ("Her date of birth: 1 May 1990.", "Her date of birth: [date of birth removed]."),
    ("NHS 999 000 0018, 9990000018, 999-000-0018 and 99 9000 0018.",
     "NHS [NHS number removed], [NHS number removed], [NHS number removed] and [NHS number removed]."),
    ("Another NHS number 999 000 0026; a phone 07700 900123.", "Another NHS number [NHS number removed]; a phone "
                                                                "07700 900123."),
    ("At Flat 6, Kestrel Court, Millbrook, HB4 7QX.", "At [address removed]."),
    ("Moved into a flat at Kestrel Court.", "Moved into a flat at [address removed]."),
    ("Seen at 27 Orchard Way, AB1 2XY.", "Seen at [address removed], [postcode removed]."),
    ("Oakfield Primary School rang. He loves oakfield primary school.", "The school rang. He loves the school."),
])
def test_every_form_of_an_identifier_is_replaced_and_ordinary_words_are_not(text: str, published: str) -> None:
    assert Anonymiser(FAMILY).anonymise(text) == published


def test_a_name_split_over_runs_by_word_is_replaced_whole_keeping_its_formatting() -> None:
    from caseforms.io.publication_files import anonymise_element

    p = etree.fromstring(
        f'<w:p xmlns:w="{W[1:-1]}"><w:r><w:rPr><w:b/></w:rPr><w:t>Ty</w:t></w:r><w:r><w:t>ler Hu</w:t></w:r>'
        '<w:r><w:t xml:space="preserve">ghes said </w:t></w:r><w:del><w:r><w:delText>Ryan</w:delText></w:r></w:del>'
        '<w:ins><w:r><w:t>no.</w:t></w:r></w:ins></w:p>')
    assert anonymise_element(p, Anonymiser(FAMILY)) >= 1
    runs = p.findall(f"{W}r")
    assert "".join(t.text or "" for t in p.iter(f"{W}t")) == "Child A said no."
    assert runs[0].find(f"{W}rPr/{W}b") is not None and runs[0].find(f"{W}t").text == "Child A"
    assert not list(p.iter(f"{W}delText")), "a tracked deletion of a name is not left in a paper for publication"


# -- papers and the chronology for publication ---------------------------------------------------------------------


def test_papers_for_publication_read_as_the_named_ones_with_no_one_named(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = str(folder / "register.xlsx")
    run(capsys, "publication", "glossary", register, "--case", FULL)
    status, named = run(capsys, "papers", register, "--case", FULL, "--pack", "rapid-review-report", "--today", TODAY)
    assert status == 0
    status, published = make_for_publication(folder, capsys)
    assert status == 0 and published["ready_for_publication"] and published["remaining"] == []
    for paper, twin in zip(published["papers"], named["papers"], strict=True):
        path = Path(paper["path"])
        assert "(for publication)" in path.name and path.parent == Path(twin["path"]).parent
        text = all_text(path)
        left = [i for i in SOURCE_IDENTIFIERS if i in text]
        assert not left, f"{path.name} still says {left}"
        assert "(for publication)" not in Path(twin["path"]).name
    report = all_text(Path(published["papers"][0]["path"]))
    for said in ("Child Z lives with her mother Mother and her brother Sibling 1 at [address removed]",
                 "Child Z's nursery, the nursery, raised concerns", "Police Officer 1",
                 "Called by MOTHER: Mother's partner pushed her. Child Z and Sibling 1 asleep upstairs."):
        assert said in report, said
    named_report = all_text(Path(named["papers"][0]["path"]))
    assert "Zoë lives with her mother Siobhán" in named_report, "the named paper keeps the names: same source"
    assert "his mark on the door" in report, "an everyday word is not a name"


def test_what_the_officer_wrote_in_the_named_paper_is_carried_anonymised_and_nothing_of_theirs_is_lost(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = str(folder / "register.xlsx")
    _, named = run(capsys, "papers", register, "--case", FULL, "--pack", "rapid-review-report", "--today", TODAY)
    report = Path(named["papers"][0]["path"])
    write_in_word(report, "rr_report:worries", [("plain", "Nobody asked Zoë what life with Dean Price was like."),
                                                  ("bullet", "Théo's school (DOB 03/11/2018) was not told.")])
    before = hashlib.sha256(report.read_bytes()).hexdigest()
    _, first = make_for_publication(folder, capsys)
    published = Path(first["papers"][0]["path"])
    text = all_text(published)
    assert "Nobody asked Child Z what life with Mother's partner was like." in text
    assert "Sibling 1's school (DOB [date of birth removed]) was not told." in text
    assert hashlib.sha256(report.read_bytes()).hexdigest() == before, "the named paper is never touched"

    # The officer then polishes the version for publication itself: it is kept, and followed by a new version.
    write_in_word(published, "rr_report:learning_points", [("plain", "Plans must name every adult.")])
    kept = hashlib.sha256(published.read_bytes()).hexdigest()
    _, second = make_for_publication(folder, capsys)
    newer = Path(second["papers"][0]["path"])
    assert newer != published and hashlib.sha256(published.read_bytes()).hexdigest() == kept
    assert "Plans must name every adult." in all_text(newer) and "Nobody asked Child Z" in all_text(newer)


def test_a_link_naming_the_child_stops_the_papers_being_called_ready(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE

    register = str(folder / "register.xlsx")
    _, named = run(capsys, "papers", register, "--case", FULL, "--pack", "rapid-review-report", "--today", TODAY)
    report = Path(named["papers"][0]["path"])
    write_in_word(report, "rr_report:background", [("plain", "See the post.")])
    document = Document(str(report))
    rel = document.part.relate_to("https://social.example.org/zoe.obrien.nowak", RELATIONSHIP_TYPE.HYPERLINK,
                                  is_external=True)
    sdt = next(s for s in document.element.body.iter(f"{W}sdt")
               if s.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == "caseforms:rr_report:background")
    paragraph = list(sdt.iter(f"{W}p"))[-1]
    link = etree.SubElement(paragraph, f"{W}hyperlink")
    link.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rel)
    etree.SubElement(etree.SubElement(link, f"{W}r"), f"{W}t").text = " (her page)"
    document.save(str(report))

    status, made = make_for_publication(folder, capsys)
    assert status == 2 and not made["ready_for_publication"]
    assert any(r["place"] == "the address of a link" and r["found"].casefold() == "zoe" for r in made["remaining"])
    assert main(["papers", register, "--case", FULL, "--pack", "rapid-review-report", "--anonymised",
                 "--today", TODAY]) == 2
    out, err = capsys.readouterr()
    assert "Not ready for publication" in err and "the address of a link" in out


def test_the_chronology_for_publication_comes_from_the_same_merge_with_no_one_named(tmp_path: Path,
                                                                                  capsys: pytest.CaptureFixture[str]
                                                                                  ) -> None:
    from openpyxl import load_workbook

    register = write_partnership_folder(tmp_path / "p", master=False, other={"Narrative": NARRATIVE})
    returns = register.parent / "cases" / FULL / "returns"
    returns.mkdir(parents=True)
    _write_returns(returns)
    status = main(["chronology", "merge", str(returns), "--today", TODAY, "--for-publication"])
    out = capsys.readouterr().out
    assert status == 0, out
    published = register.parent / "cases" / FULL / "Master chronology (for publication).xlsx"
    assert published.is_file() and (register.parent / "cases" / FULL / "Master chronology.xlsx").is_file()
    cells = [str(c) for ws in load_workbook(published) for row in ws.iter_rows(values_only=True) for c in row if c]
    text = "\n".join(cells)
    assert not [i for i in SOURCE_IDENTIFIERS if i in text]
    assert "Called by MOTHER: Mother's partner pushed her. Child Z and Sibling 1 asleep upstairs." in text
    assert "Ready for publication" in out


def _write_returns(folder: Path) -> None:
    from openpyxl import Workbook

    for file, agency, rows in (
        ("Thornbury Police.xlsx", "Thornbury Police", [
            ["20/01/2024", "23:15", "Police record", f"{MOTHER}; Dean Price", "Police attendance", "PC Adams",
             "Called by SIOBHAN O'BRIEN: Dean pushed her. Zoe and Théo asleep upstairs.", "DASH medium."]]),
        ("Little Acorns Nursery.xlsx", "Little Acorns Nursery", [
            ["06/03/2023", "", "Nursery record", CHILD, "Welfare concern", "Aisha Rahman",
             "Z.O. arrived hungry. DOB 17.04.21, 12 Mill Lane.", "Mother (999-000-0034) not told."]]),
    ):
        wb = Workbook()
        ws = wb.active
        ws.append(["Agency:", agency])
        ws.append([])
        ws.append(CHRONOLOGY_HEADER)
        for r in rows:
            ws.append(r)
        wb.save(folder / file)


# -- the publication check: twenty identifiers planted in free text ------------------------------------------------

#: Planted by the officer in a section of the report for publication, after it was made.
PLANTED_IN_THE_REPORT = ("Zoë", "THÉO", "siobhan", "Ms O'Brien", "Deano", "999 000 0018", "17 April 2021",
                         "TG4 7QX", "12 Mill Lane", "Little Acorns Nursery")
#: Planted in the free text of the chronology for publication (Details of event, Comments).
PLANTED_IN_THE_CHRONOLOGY = ("Zoe's", "O'BRIEN-NOWAK", "Dean Price", "S.O.", "9990000026", "999-000-0034",
                             "29/02/1996", "tg4 7qx", "PC Adams", "Aisha Rahman")


def test_the_publication_check_finds_twenty_identifiers_planted_in_free_text(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    from caseforms.io.master_read import read_master
    from caseforms.jobs import write_publication_master

    register = folder / "register.xlsx"
    status, made = make_for_publication(folder, capsys, "lcspr-report")
    assert status == 0
    paper = Path(made["papers"][0]["path"])
    write_in_word(paper, "lcspr_final_report:practitioner_views", [
        ("plain", f"{PLANTED_IN_THE_REPORT[0]} told {PLANTED_IN_THE_REPORT[1]} that {PLANTED_IN_THE_REPORT[2]} was "
                  f"out; {PLANTED_IN_THE_REPORT[3]} disagreed and {PLANTED_IN_THE_REPORT[4]} left."),
        ("bullet", f"NHS number {PLANTED_IN_THE_REPORT[5]}, born {PLANTED_IN_THE_REPORT[6]}."),
        ("bullet", f"Home at {PLANTED_IN_THE_REPORT[8]}; {PLANTED_IN_THE_REPORT[9]} every morning; postcode "
                   f"{PLANTED_IN_THE_REPORT[7]}."),
    ])
    master_path = master_chronology_path(folder, FULL)
    merged = merge_returns([_return([["01/02/2024", "", "", "", "Visit", "Team", "Visit.", ""]], "Police", "p.xlsx")],
                           today=date(2025, 6, 1))
    written = write_publication_master(register, FULL, merged, master_path)
    assert written.remaining == [] and read_master(written.path).rows
    wb = load_workbook(written.path)
    ws = wb["Chronology"]
    headers = [c.value for c in ws[1]]
    details, comments = headers.index("Details of event") + 1, headers.index("Comments/analysis of outcome") + 1
    c = PLANTED_IN_THE_CHRONOLOGY
    ws.cell(row=2, column=details, value=f"{c[0]} mother said {c[1]} and {c[2]} argued; {c[3]} saw it. "
                                         f"NHS {c[4]} and {c[5]}.")
    ws.cell(row=2, column=comments, value=f"Mother born {c[6]}, postcode {c[7]}; seen by {c[8]} and {c[9]}.")
    wb.save(written.path)

    status = main(["publication", "check", str(register), "--case", FULL, "--json"])
    found = json.loads(capsys.readouterr().out)
    assert status == 2 and not found["ready"]
    in_report = [r for r in found["remaining"] if r["file"] == paper.name]
    in_chronology = [r for r in found["remaining"] if r["file"] == written.path.name]
    for planted, where in ((PLANTED_IN_THE_REPORT, in_report), (PLANTED_IN_THE_CHRONOLOGY, in_chronology)):
        seen = [r["found"] for r in where]
        missed = [p for p in planted if not any(p == s or (p.endswith("'s") and s == p[:-2]) for s in seen)]
        assert not missed, f"the check missed {missed}; it found {seen}"
    assert len(PLANTED_IN_THE_REPORT) + len(PLANTED_IN_THE_CHRONOLOGY) == 20
    assert all(r["place"].startswith("section 'What practitioners told the review'") for r in in_report)
    cells = {f"sheet 'Chronology', cell {column_letter(c - 1)}2" for c in (details, comments)}
    assert {r["place"] for r in in_chronology} == cells

    status = main(["publication", "check", str(register), "--case", FULL])
    out, err = capsys.readouterr()
    assert status == 2 and "Not ready for publication: " in err and f"cell {column_letter(details - 1)}2" in out
