"""From the agencies' returns to the meeting pack, as an officer runs it on case TEST-2026-031.

Nine files as seven agencies sent them (tests/files/returns/TEST-2026-031, made by make_returns.py):
a request workbook saved under a name carrying part of the child's name, a police export with its
own headings, a CSV with a title line, a school's two-sheet workbook with departments, a GP's
workbook with bad dates, a Word summary, a file that names no agency and one that names two.
`chronology status`, the merge and the papers must agree on who sent what, and every value an
agency wrote must reach the Word master chronology.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, time
from pathlib import Path

import pytest
from docx import Document

from caseforms import jobs
from caseforms.chronology.agencies import OFFICER_FILES
from caseforms.chronology.request import return_status
from caseforms.io.register_xlsx import profile_for, read_register
from caseforms.io.returns import read_return
from caseforms.register.schema import RETURNS_LOG
from returns_case031 import CHRONOLOGIES, EXPECTED, FILES, REF, TODAY, case_031_folder, make_returns

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def words(path: Path) -> str:
    """Return a Word document's text with every paragraph, line break and cell as a space: text as a reader reads it."""
    doc = Document(str(path))
    parts: list[str] = []
    for element in doc.element.body.iter():
        if element.tag == f"{W}t" and element.text:
            parts.append(element.text)
        elif element.tag in (f"{W}br", f"{W}p", f"{W}tab", f"{W}tc"):
            parts.append(" ")
    return squash("".join(parts))


def squash(text: str) -> str:
    return " ".join(text.split())


def arrived_on_time(register: Path) -> None:
    """Date each return the day before the deadline, as if it came in then (copying stamps them today)."""
    stamp = datetime.combine(make_returns.TODAY.replace(day=9), time(11, 0)).timestamp()
    for path in (register.parent / "cases" / REF / "returns").iterdir():
        os.utime(path, (stamp, stamp))


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The whole job once: status, merge, the meeting pack, the report pack and the notification."""
    register = case_031_folder(tmp_path_factory.mktemp("case031"))
    arrived_on_time(register)
    read = read_register(register)
    found = jobs.find_returns(register, REF, register=read)
    statuses = return_status(REF, read.other[RETURNS_LOG], found, TODAY, profile_for(read))
    merged = jobs.merge_case_returns(register, REF, today=TODAY)
    meeting = jobs.make_papers(register, REF, "rapid-review-meeting", TODAY)
    report = jobs.make_papers(register, REF, "rapid-review-report", TODAY)
    notification = jobs.make_papers(register, REF, "notification", TODAY)
    return {"register": register, "found": found, "statuses": statuses, "merged": merged, "meeting": meeting,
            "report": report, "notification": notification}


def paper(made: object, name: str) -> Path:
    return dict(made.papers)[name]  # type: ignore[attr-defined]


# -- who sent it ----------------------------------------------------------------------------------------


def test_status_merge_and_papers_agree_on_every_agency(done: dict[str, object]) -> None:
    by_status = {f.file: f.agency for f in done["found"]}  # type: ignore[attr-defined]
    master = done["merged"].master  # type: ignore[attr-defined]
    by_merge = {r.file: r.agency for r in master.returns}
    for name, expected in CHRONOLOGIES.items():
        if expected.agency is not None:
            assert by_status[expected.sent_as] == by_merge[expected.sent_as] == expected.agency, name
        else:
            assert by_status[expected.sent_as] is None, name
            assert by_merge[expected.sent_as].startswith("Unidentified agency"), name
    # Every agency that returned shows as returned, on time: none is "not requested", none wrongly late.
    states = {s.agency: s.state for s in done["statuses"]}  # type: ignore[attr-defined]
    for agency in ("Children's Social Care", "Police", "Priory Academy", "Riverside Surgery", "Health visiting"):
        assert states[agency] == "returned", agency
    assert "not requested" not in states.values()
    # The papers list exactly the directory's agencies (and the two the officer still has to name).
    text = words(paper(done["meeting"], "agency_summaries"))
    assert "CS chronology" not in text and "Niche" not in text.replace("Niche RMS", "")


def test_no_agency_is_named_after_a_file_or_carries_a_childs_name(done: dict[str, object]) -> None:
    master = done["merged"].master  # type: ignore[attr-defined]
    for agency in master.agencies:
        assert "Tyler" not in agency and "chronology" not in agency.casefold() and "return" not in agency.casefold()
    assert set(master.agencies) <= {*make_returns.AGENCIES, "Unidentified agency 1", "Unidentified agency 2"}


def test_a_file_naming_two_agencies_is_not_guessed_and_the_finding_lists_them(done: dict[str, object]) -> None:
    master = done["merged"].master  # type: ignore[attr-defined]
    ambiguous = EXPECTED["agency_ambiguous_between_two.xlsx"]
    finding = next(f for f in master.findings if f.file == ambiguous.sent_as and f.code == "agency_ambiguous")
    for candidate in ambiguous.candidates:
        assert f"'{candidate}'" in finding.message
    assert "Returns log" in finding.message and ambiguous.sent_as in finding.message
    unknown = EXPECTED["no_agency_named_anywhere.xlsx"]
    assert any(f.file == unknown.sent_as and f.code == "agency_unknown" for f in master.findings)


def test_the_returns_log_says_which_agency_a_file_is_and_it_is_remembered(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    register = case_031_folder(tmp_path, returns=("no_agency_named_anywhere.xlsx", "agency_ambiguous_between_two.xlsx"))
    wb = load_workbook(register)
    ws = wb[RETURNS_LOG]
    heading = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        agency = ws.cell(row=r, column=heading["Agency"]).value
        if agency in ("Housing", "Mental health (CAMHS)"):
            sent = EXPECTED["no_agency_named_anywhere.xlsx" if agency == "Housing" else
                            "agency_ambiguous_between_two.xlsx"].sent_as
            ws.cell(row=r, column=heading[OFFICER_FILES], value=sent)
    wb.save(register)
    merged = jobs.merge_case_returns(register, REF, today=TODAY)
    assert {r.file: r.agency for r in merged.master.returns} == {"chronology.xlsx": "Housing",
                                                                  "Health chronology.xlsx": "Mental health (CAMHS)"}
    assert not [f for f in merged.master.findings if f.code.startswith("agency_")]
    assert {f.file: f.agency for f in jobs.find_returns(register, REF)} == {
        "chronology.xlsx": "Housing", "Health chronology.xlsx": "Mental health (CAMHS)"}


def test_status_records_what_it_found_so_the_next_merge_agrees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.cli import main

    register = case_031_folder(tmp_path, returns=("request_workbook_renamed_by_agency.xlsx",
                                                  "police_export_title_block_reworded_headings.xlsx"))
    arrived_on_time(register)
    assert main(["chronology", "status", str(register), "--case", REF, "--today", "15/04/2026"]) == 1  # others late
    log = {r["agency"]: r for r in read_register(register).other[RETURNS_LOG]}
    assert log["Children's Social Care"]["file"] == "CS chronology Tyler M.xlsx"
    assert log["Police"]["file"] == "Police return (Niche).xlsx" and log["Police"]["late"] == "No"
    out = capsys.readouterr().out
    assert "not requested" not in out and "CS chronology Tyler M" not in out.split("Agency")[1].split("\n")[2]


# -- agency and department -------------------------------------------------------------------------------


def test_departments_are_shown_as_detail_never_as_agencies(done: dict[str, object]) -> None:
    master = done["merged"].master  # type: ignore[attr-defined]
    assert not {"Pastoral", "DSL", "Front Door", "Assessment Team"} & set(master.agencies)
    school = [e for e in master.entries if e.agency == "Priory Academy"]
    assert {e.cells["agency"] for e in school} == {"Pastoral", "DSL"}  # as the school wrote them, in the master
    text = words(paper(done["meeting"], "master_chronology"))
    assert "Priory Academy – Pastoral" in text and "Priory Academy – DSL" in text
    assert "Children's Social Care – Front Door" in text
    summaries = words(paper(done["meeting"], "agency_summaries"))
    assert "Priory Academy (Pastoral)" not in summaries and "[not recorded: single point of contact, Pastoral" not in summaries


# -- every column, every sheet ----------------------------------------------------------------------------


def test_every_value_every_agency_wrote_is_in_the_word_master_chronology(done: dict[str, object]) -> None:
    from caseforms.chronology.columns import map_headings

    text = words(paper(done["meeting"], "master_chronology"))
    folder = Path(done["register"]).parent / "cases" / REF / "returns"  # type: ignore[arg-type]
    missing = []
    for expected in CHRONOLOGIES.values():
        for table in read_return(folder / expected.sent_as):
            keys = map_headings(list(table.header)).keys
            for row_number, cells in table.rows:
                for i, cell in enumerate(cells):
                    key = keys[i] if i < len(keys) else None
                    if key in ("date", "time") or cell is None or not str(cell).strip():
                        continue
                    written = squash(str(cell))
                    if written not in text:
                        missing.append((expected.sent_as, table.sheet, row_number, written[:60]))
    assert missing == []
    for expected in CHRONOLOGIES.values():
        for phrase in expected.phrases:
            assert squash(phrase) in text, phrase


def test_columns_that_map_to_nothing_are_carried_into_the_comments_with_a_finding(done: dict[str, object]) -> None:
    master = done["merged"].master  # type: ignore[attr-defined]
    text = words(paper(done["meeting"], "master_chronology"))
    assert "Occurrence number: LN-2025-0412" in text and "Read code:" in text and "Case note ID: CN-887310" in text
    notes = {f.file: f.message for f in master.findings if f.code == "extra_columns"}
    assert "'Read code'" in notes[EXPECTED["gp_own_headings_bad_dates.xlsx"].sent_as]
    assert "'Case note ID' and \"Manager's note\"" in notes[EXPECTED["headings_reordered_extra_columns_dates_text.xlsx"]
                                                          .sent_as].replace("'Manager's note'", '"Manager\'s note"')
    # The reworded headings found their columns: Patient, Clinician, Outcome/plan; Occurrence type, Action taken.
    gp = next(r for r in master.returns if r.file == "GP chronology.xlsx")
    assert {"Name of subject(s)", "By whom", "Type of contact", "Comments/analysis of outcome"} <= set(gp.recognised)
    police = next(r for r in master.returns if r.file == "Police return (Niche).xlsx")
    assert {"Date", "Time", "Type of contact", "By whom", "Comments/analysis of outcome"} <= set(police.recognised)


def test_both_sheets_of_a_return_are_read_and_the_findings_say_which(done: dict[str, object]) -> None:
    master = done["merged"].master  # type: ignore[attr-defined]
    school = EXPECTED["school_departments_two_sheets.xlsx"]
    entries = [e for e in master.entries if e.source_file == school.sent_as]
    assert len(entries) == school.entries
    assert {e.source_sheet for e in entries} == set(school.header_rows)
    note = next(f.message for f in master.findings if f.file == school.sent_as and f.code == "sheets_read")
    assert "'2024-25'" in note and "'2025-26'" in note and "'Instructions'" in note and "'Lists'" in note


# -- flagged dates --------------------------------------------------------------------------------------


def test_flagged_dates_carry_a_mark_and_are_never_used_for_anything_worked_out(done: dict[str, object]) -> None:
    master = done["merged"].master  # type: ignore[attr-defined]
    _, last = master.date_range
    assert last is not None and last <= TODAY
    texts = [words(path) for made in (done["meeting"], done["report"], done["notification"])
             for _, path in made.papers]  # type: ignore[attr-defined]
    for text in texts:
        # The checks at the end quote the dates they are about; everywhere else a flagged date carries its mark.
        text = text.split("Checks still open on the chronology")[0]
        assert "2036" not in re.sub(r"14/11/2036 \[check: [^\]]*\]", "", text)
        assert "31/02/2026" not in re.sub(r"31/02/2026 \[check: not a real date\]", "", text)
    chronology = words(paper(done["meeting"], "master_chronology"))
    assert "03/03/2026 [check: the year is written '26', read as 2026]" in chronology
    assert "March 2025 [check: only the month is given]" in chronology
    # An agency's involvement ends on its last date that can be trusted, never in the future.
    agencies = words(paper(done["notification"], "notification"))
    assert "2036" not in agencies
    surgery = next(a for a in _case_file(done).agencies if a.name == "Riverside Surgery")
    assert surgery.involved_to is not None and surgery.involved_to <= TODAY


def _case_file(done: dict[str, object]) -> object:
    from caseforms.io.master_read import read_master
    from caseforms.papers.from_register import case_file

    register = Path(done["register"])  # type: ignore[arg-type]
    read = read_master(done["merged"].path)  # type: ignore[attr-defined]
    return case_file(read_register(register), REF, chronology=read.rows, summaries=read.summaries)


def test_the_pack_ends_with_the_merge_findings_that_still_stand(done: dict[str, object]) -> None:
    pack = done["meeting"].pack_document  # type: ignore[attr-defined]
    text = words(pack)
    checks = text.rindex("Checks still open on the chronology")
    assert checks > text.rindex("Bruise consistent with a mobile toddler")
    tail = text[checks:]
    assert "'31/02/2026' is not a real date" in tail and "14/11/2036 is in the future" in tail
    assert "names more than one agency" in tail


# -- agency summaries -------------------------------------------------------------------------------------


def test_the_summaries_agencies_typed_are_in_the_summaries_paper_and_the_report(done: dict[str, object]) -> None:
    for text in (words(paper(done["meeting"], "agency_summaries")), words(paper(done["report"], "rr_report"))):
        for key in ("involvement", "analysis", "worked_well", "learning"):
            assert squash(make_returns.CSC_SUMMARY_ANSWERS[key]) in text, key
        assert squash(make_returns.CSC_SUMMARY_ANSWERS["author"]) in text
        assert squash(make_returns.CSC_SUMMARY_ANSWERS["sign_off"]) in text
        assert make_returns.POLICE_SUMMARY_AUTHOR in text and make_returns.POLICE_SUMMARY_SIGN_OFF in text
        assert "Operation Alder" in text
        assert "No summary received yet" not in text
    report = words(paper(done["report"], "rr_report"))
    assert report.index("Appendix: agency summaries") < report.index("Appendix: master chronology")


def test_a_summary_document_is_read_section_by_section() -> None:
    from caseforms.io.summary_docx import read_summary_document

    summary = read_summary_document(FILES / REF / "agency_summary_separate_document.docx")
    assert summary.author == make_returns.POLICE_SUMMARY_AUTHOR
    assert summary.signed_off == make_returns.POLICE_SUMMARY_SIGN_OFF
    keys = [a.key for a in summary.answers if a.key]
    assert keys[:6] == ["involvement", "analysis", "lived_experience", "identity", "worked_well", "worries"]
    assert summary.case_reference == REF and summary.evidence is not None
    assert "Lincolnshire Police" in " ".join(summary.evidence.title_texts)
    table = next(a.answer for a in summary.answers if "LN-2025-0412" in a.answer)
    assert " | " in table  # the table's cells, in order


# -- the scope and the period before a merge ------------------------------------------------------------


def test_the_command_line_merge_takes_the_scope_period_from_the_register(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from caseforms.cli import main

    register = case_031_folder(tmp_path, returns=("csv_title_line_above_header.csv",))
    assert main(["chronology", "merge", str(register.parent / "cases" / REF / "returns")]) == 0
    summary = load_workbook(register.parent / "cases" / REF / "Master chronology.xlsx")["Summary"]
    facts = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value for r in range(1, 20)}
    assert facts["Scope from"].date() == make_returns.SCOPE_FROM and facts["Scope to"].date() == make_returns.SCOPE_TO
    chronology = load_workbook(register.parent / "cases" / REF / "Master chronology.xlsx")["Chronology"]
    flags = [row[0] for row in chronology.iter_rows(min_row=2, values_only=True)]
    assert flags  # the master has entries
    headers = [c.value for c in chronology[1]]
    flag_col = headers.index("Flags")
    assert any("Background" in (row[flag_col] or "") for row in chronology.iter_rows(min_row=2, values_only=True))


def test_before_any_merge_the_papers_say_the_period_is_known_once_merged(tmp_path: Path) -> None:
    register = case_031_folder(tmp_path, returns=())
    made = jobs.make_papers(register, REF, "notification", TODAY)
    text = words(paper(made, "notification"))
    assert "Police Known once the chronologies are merged" in text.replace("[not recorded: nature of involvement, Police] ", "")
    assert not any("involved from" in item.label for item in made.not_recorded)


# -- from Excel -------------------------------------------------------------------------------------------


def test_merging_from_excel_tells_the_agencies_as_the_command_line_does_with_unsaved_edits(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from caseforms import excel
    from excel_fixtures import open_in_excel

    register = case_031_folder(tmp_path)
    log = load_workbook(register)[RETURNS_LOG]
    heading = {c.value: c.column_letter for c in log[1]}
    housing = next(r for r in range(2, log.max_row + 1) if log[f"{heading['Agency']}{r}"].value == "Housing")
    row = excel.MENU_FIRST_ACTION_ROW + [a.key for a in excel.ACTIONS].index("merge")
    # The officer has typed which file is Housing's on the Returns log, on screen, not yet saved.
    book = open_in_excel(register, excel.MENU_SHEET, f"A{row}", edits={
        (excel.MENU_SHEET, excel.MENU_CASE_CELL): REF, (RETURNS_LOG, f"{heading[OFFICER_FILES]}{housing}"): "chronology.xlsx"})
    message = excel.run_action(book, "merge", TODAY)
    assert "entries from" in message
    live = jobs.merge_settings(register, REF)  # the file itself: Housing's file not yet named in it
    assert live.directory is not None and not live.directory.assigned_to("chronology.xlsx")
    from caseforms.io.master_read import read_master

    read = read_master(register.parent / "cases" / REF / "Master chronology.xlsx")
    agencies = {row.agency for row in read.rows}
    assert "Housing" in agencies and "Unidentified agency 2" not in agencies
    assert agencies >= {"Children's Social Care", "Police", "Priory Academy", "Riverside Surgery", "Health visiting"}
    assert {s.agency for s in read.summaries} == {"Children's Social Care", "Police"}


# -- what a second reading found ------------------------------------------------------------------------


def _set_log(register: Path, column: str, values: dict[str, str]) -> None:
    """Type ``values`` (agency -> text) in a column of the case's Returns log rows, as an officer would."""
    from openpyxl import load_workbook

    wb = load_workbook(register)
    ws = wb[RETURNS_LOG]
    heading = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        agency = ws.cell(row=r, column=heading["Agency"]).value
        if agency in values:
            ws.cell(row=r, column=heading[column], value=values[agency])
    wb.save(register)


def test_what_status_wrote_in_the_file_column_is_not_taken_as_the_officers_word(tmp_path: Path) -> None:
    register = case_031_folder(tmp_path, returns=("police_export_title_block_reworded_headings.xlsx",))
    _set_log(register, "File", {"Housing": "Police return (Niche).xlsx"})  # caseforms' column, not the officer's
    merged = jobs.merge_case_returns(register, REF, today=TODAY)
    assert [r.agency for r in merged.master.returns] == ["Police"]


def test_a_file_the_officer_names_for_two_agencies_is_neithers(tmp_path: Path) -> None:
    register = case_031_folder(tmp_path, returns=("no_agency_named_anywhere.xlsx",))
    _set_log(register, OFFICER_FILES, {"Housing": "chronology.xlsx", "Police": "chronology.xlsx"})
    master = jobs.merge_case_returns(register, REF, today=TODAY).master
    assert master.returns[0].agency == "Unidentified agency 1"
    finding = next(f for f in master.findings if f.code == "agency_assigned_twice")
    assert "'Police'" in finding.message and "'Housing'" in finding.message


def test_an_unreadable_return_is_said_to_be_so_not_advised_about(tmp_path: Path) -> None:
    register = case_031_folder(tmp_path, returns=())
    (register.parent / "cases" / REF / "returns" / "Education chronology.xlsx").write_bytes(b"not a workbook at all")
    read = read_register(register)
    found = jobs.find_returns(register, REF, register=read)
    statuses = return_status(REF, read.other[RETURNS_LOG], found, TODAY, profile_for(read))
    broken = next(s for s in statuses if s.file == "Education chronology.xlsx")
    assert broken.state == "unreadable" and "damaged" in broken.findings and "Returns log" not in broken.findings


def test_a_word_document_that_is_no_summary_is_not_read_as_one(tmp_path: Path) -> None:
    from docx import Document as NewDocument

    register = case_031_folder(tmp_path, returns=("police_export_title_block_reworded_headings.xlsx",))
    letter = NewDocument()
    letter.add_heading("Request for a chronology: TEST-2026-031", 2)
    letter.add_paragraph("Dear colleague, please find our chronology attached.")
    letter.add_heading("People in scope", 3)
    letter.add_paragraph("Tyler Marsh")
    letter.save(str(register.parent / "cases" / REF / "returns" / "Housing covering letter.docx"))
    master = jobs.merge_case_returns(register, REF, today=TODAY).master
    assert master.summaries == []
    assert any(f.code == "not_a_summary" and f.file == "Housing covering letter.docx" for f in master.findings)


def test_a_hidden_example_sheet_is_not_merged_into_the_childs_chronology(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "Police.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in ("Chronology", "Example"):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["Date", "Type of contact", "By whom", "Details of event"])
        ws.write_row(1, 0, ["03/02/2025", "Visit", "PC Example", f"{name} row"])
        if name == "Example":
            ws.hide()
    wb.close()
    tables = read_return(path)
    assert [t.sheet for t in tables] == ["Chronology"]
    assert ("Example", "hidden: not read, as an example or an old copy") in tables[0].other_sheets


def test_a_summary_document_written_without_styles_keeps_its_author_and_case() -> None:
    from caseforms.io.summary_docx import summary_from_blocks

    summary = summary_from_blocks("summary.docx", [
        ("text", "", ()),
        ("heading", "Health visiting: agency summary", ()),
        ("row", "Case reference number | TEST-2026-999", ("Case reference number", "TEST-2026-999")),
        ("heading", "What worked well", ()),
        ("text", "Completed by the health visitor on each visit, the growth chart was kept up to date.", ()),
        ("heading", "Learning", ()),
        ("text", "Share missed contacts sooner.", ()),
        ("text", "Author:", ()),
        ("text", "Grace Adebayo, Health Visitor", ()),
        ("row", "Signed off by | Named Nurse, 14/04/2026", ("Signed off by", "Named Nurse, 14/04/2026")),
    ])
    assert summary.case_reference == "TEST-2026-999"
    assert summary.author == "Grace Adebayo, Health Visitor"
    assert summary.signed_off == "Named Nurse, 14/04/2026"
    assert [(a.key, a.answer) for a in summary.answers] == [
        ("worked_well", "Completed by the health visitor on each visit, the growth chart was kept up to date."),
        ("learning", "Share missed contacts sooner.")]


def test_answers_on_a_request_workbook_sent_before_the_questions_changed_keep_their_questions() -> None:
    from caseforms.io.request_pack import summary_from_sheet

    rows = [["Agency summary: Police (TEST-2026-031)"], [], ["Question", "Your agency's answer"],
            ["What services did the child and family receive from your agency in the scope period, and which "
             "services were offered or needed but not received (and why)?", "Two call-outs."],
            ["What is the relevant history and context your agency knew of before the scope period?", "None."],
            ["What learning for your agency, or for agencies working together, does your involvement show? Include "
             "what worked well.", "Share DASH outcomes."]]
    summary = summary_from_sheet("police.xlsx", rows)
    assert [(a.key, a.title) for a in summary.answers] == [
        ("involvement", "Involvement"), ("history", "Relevant history and context"), ("learning", "Learning")]


# -- the timeline ------------------------------------------------------------------------------------------


def test_the_meeting_pack_shows_the_chronology_as_words_own_timeline_chart(done: dict[str, object]) -> None:
    """Before the master chronology's table, a Word scatter chart: a lane per agency, the flagged entries, the scope."""
    import xml.etree.ElementTree as ET
    import zipfile

    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    pack = done["meeting"].pack_document  # type: ignore[attr-defined]
    with zipfile.ZipFile(pack) as z:
        charts = [ET.fromstring(z.read(n)) for n in z.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
        assert any(re.fullmatch(r"word/embeddings/.*\.xlsx", n) for n in z.namelist())  # "Edit Data" opens its numbers
    assert len(charts) == 1 and charts[0].find(f".//{c}scatterChart") is not None
    names = [s.findtext(f"{c}tx//{c}v") or "" for s in charts[0].iter(f"{c}ser")]
    master = done["merged"].master  # type: ignore[attr-defined]
    lanes = [n for n in names if n.split(" (")[0] in {e.agency for e in master.entries}]
    assert len(lanes) >= 5
    assert sum(int(n.rsplit("(", 1)[1].rstrip(")")) for n in lanes) == sum(
        1 for e in master.entries if e.when.day is not None and not e.future and "not a real date" not in " ".join(e.flags))
    assert any(n.startswith("Flagged by the merge (") for n in names) and "Scope period" in names
    text = words(pack)
    assert text.index("The chronology as a timeline: one lane per agency") < text.index("Bruise consistent with a mobile toddler")
    # The chart is a drawing in the text, described for a screen reader.
    body = Document(str(pack)).element.body
    described = [d.get("descr") for d in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert any((d or "").startswith("Timeline of ") for d in described)
