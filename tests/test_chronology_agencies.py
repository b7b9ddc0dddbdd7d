"""Which agency a return is from: the directory's names, never a file's; long texts; a partnership's own headings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseforms.chronology.agencies import AgencyDirectory, Evidence, identify, names_same_agency
from caseforms.chronology.english_dates import read_entry_date
from caseforms.chronology.merge import AgencyReturn, merge_returns

DIRECTORY = AgencyDirectory.from_names([
    ("Children's Social Care", "Children's Services"), ("Police", None), ("Priory Academy", None),
    ("Riverside Surgery", "GP practice; GP"), ("Health visiting", None), ("Mental health (CAMHS)", None),
    ("Housing", None),
])


@pytest.mark.parametrize(("text", "agency"), [
    ("Lincolnshire Police", "Police"),
    ("Police return (Niche)", "Police"),
    ("CSC", "Children's Social Care"),
    ("children's services", "Children's Social Care"),
    ("Social care", "Children's Social Care"),
    ("Children's Social Care – Front Door", "Children's Social Care"),
    ("GP record", "Riverside Surgery"),
    ("CAMHS", "Mental health (CAMHS)"),
    ("Health Visiting Service – chronology for TEST-2026-031", "Health visiting"),
])
def test_the_names_agencies_go_by_find_the_directory_agency(text: str, agency: str) -> None:
    assert [a.name for a in DIRECTORY.matches(text)] == [agency]


@pytest.mark.parametrize("text", ["CS chronology Tyler M", "Tyler Marsh", "chronology", "Pastoral", "DSL", "2026"])
def test_a_childs_name_a_department_or_a_word_about_returns_names_no_agency(text: str) -> None:
    assert DIRECTORY.matches(text) == []


def test_a_word_two_agencies_share_names_both_and_is_not_guessed() -> None:
    told = identify(Evidence("Health chronology.xlsx", title_texts=["Health chronology"]), DIRECTORY)
    assert told.agency is None and set(told.candidates) == {"Health visiting", "Mental health (CAMHS)"}


def test_the_order_of_evidence_officer_then_identification_then_the_file() -> None:
    directory = AgencyDirectory(DIRECTORY.agencies, {"police return (niche).xlsx": "Housing"})
    evidence = Evidence("Police return (Niche).xlsx", identified_as="Police")
    assert identify(evidence, directory).agency == "Housing"  # the officer's word in the Returns log
    assert identify(evidence, DIRECTORY).agency == "Police"  # the request workbook's identification
    told = identify(Evidence("CS chronology Tyler M.xlsx", agency_column=["Front Door", "Assessment Team"]), DIRECTORY)
    assert told.agency is None and told.candidates == ()  # departments are not agencies; the name is not used


def test_a_column_names_the_agency_only_when_every_value_does() -> None:
    evidence = Evidence("school.xlsx", agency_column=["Pastoral", "Police"], title_texts=["Priory Academy"])
    assert identify(evidence, DIRECTORY).agency == "Priory Academy"


def test_without_a_directory_only_what_the_file_says_of_itself_names_the_agency() -> None:
    assert identify(Evidence("x.xlsx", labelled="Kent Police"), None).agency == "Kent Police"
    assert identify(Evidence("Tyler Marsh police.xlsx"), None).agency is None


def test_a_department_that_only_names_the_agency_is_not_a_department() -> None:
    assert names_same_agency("CSC", "Children's Social Care")
    assert names_same_agency("Lincolnshire Police", "Police", ["Lincolnshire Police"])
    # Anything more is the department, kept for the papers.
    assert not names_same_agency("Front Door", "Children's Social Care")
    assert not names_same_agency("Kent Police – Child Abuse Investigation Team", "Kent Police")
    assert not names_same_agency("Sexual health clinic", "Health")


KENT = AgencyDirectory.from_names([("Kent Police", None), ("Kent County Council", "KCC"), ("Health visiting", None),
                                   ("Priory Academy", None)])
LINCOLNSHIRE = AgencyDirectory.from_names([("Lincolnshire Police", None), ("Lincolnshire County Council", None),
                                           ("United Lincolnshire Hospitals", None)])


@pytest.mark.parametrize(("directory", "text", "agencies"), [
    (KENT, "NHS Kent and Medway ICB", []),
    (KENT, "East Kent Hospitals", []),
    (KENT, "Kent Fire and Rescue Service", []),
    (KENT, "Kent Police – Public Protection Unit", ["Kent Police"]),
    (KENT, "KCC Children's Services", ["Kent County Council"]),
    (KENT, "Kent", []),  # a place names no agency
    (LINCOLNSHIRE, "Police return (Niche)", ["Lincolnshire Police"]),
    (LINCOLNSHIRE, "Lincolnshire Police return", ["Lincolnshire Police"]),
    (LINCOLNSHIRE, "Lincolnshire Safeguarding Children Partnership", []),
    (LINCOLNSHIRE, "Hospital discharge summary", ["United Lincolnshire Hospitals"]),
])
def test_agencies_that_share_a_place_are_told_apart_by_what_they_are(directory: AgencyDirectory, text: str,
                                                                      agencies: list[str]) -> None:
    assert [a.name for a in directory.matches(text)] == agencies


def test_a_label_and_its_value_above_the_table_do_not_name_the_sender() -> None:
    ret = AgencyReturn("Riverside chronology Maya.xlsx", "Chronology", 4, ["Date", "Details of event", "Type of contact"],
                       [(5, ["03/02/2025", "Seen.", "Visit"])],
                       title_block=[["Patient:", "Maya Thornton"], ["Requested by", "Children's Social Care"]])
    master = merge_returns([ret], today=date(2025, 6, 1), directory=DIRECTORY)
    assert master.returns[0].agency == "Unidentified agency 1"
    assert [f.code for f in master.findings] == ["agency_unknown"]


def test_a_two_digit_year_is_read_with_a_note_to_check_it() -> None:
    when = read_entry_date("03/03/26", today=date(2026, 4, 15))
    assert when.day == date(2026, 3, 3) and when.note == "the year is written '26', read as 2026"
    assert read_entry_date("03/03/2026").note is None


def test_text_longer_than_a_cell_is_kept_whole_for_the_papers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from caseforms.io.master_read import read_master
    from caseforms.io.master_xlsx import write_master

    long = "Case note. " + "The worker recorded everything she saw. " * 1500 + "The end."
    ret = AgencyReturn("police.xlsx", "Chronology", 1, ["Date", "Details of event", "Comments"],
                       [(2, ["03/02/2025", long, "Seen."])], title_block=[["Agency:", "Police"]])
    master = merge_returns([ret], today=date(2025, 6, 1))
    assert [f.code for f in master.findings] == ["long_text"]
    assert "60,0" in master.findings[0].message or "more than an Excel cell holds" in master.findings[0].message
    path = tmp_path / "Master chronology.xlsx"
    write_master(master, path)
    wb = load_workbook(path)
    details = wb["Chronology"]["J2"].value
    assert len(details) <= 32_767 and details.endswith("[... continued on the Long texts sheet]")
    assert "".join(row[3] for row in wb["Long texts"].iter_rows(min_row=2, values_only=True)) == long
    assert read_master(path).rows[0].details == long


def test_text_too_long_for_a_cell_as_excel_counts_it_is_kept_whole_emoji_and_all(tmp_path: Path) -> None:
    # Excel counts a cell's text in UTF-16 units: an emoji counts two, so 20,000 of them (40,000 units) are more than
    # a cell holds although Python counts 20,000 characters. Nothing is cut off unsaid, and no emoji is cut in two.
    from openpyxl import load_workbook

    from caseforms.io.cell_text import excel_length
    from caseforms.io.master_read import read_master
    from caseforms.io.master_xlsx import write_master

    long = "Messages shown to the worker: " + "\U0001F600\U0001F622" * 10_000 + " (end)"
    ret = AgencyReturn("police.xlsx", "Chronology", 1, ["Date", "Details of event", "Comments"],
                       [(2, ["03/02/2025", long, "Seen."])], title_block=[["Agency:", "Police"]])
    master = merge_returns([ret], today=date(2025, 6, 1))
    assert [f.code for f in master.findings] == ["long_text"]
    assert "40,036 characters" in master.findings[0].message
    path = tmp_path / "Master chronology.xlsx"
    write_master(master, path)
    wb = load_workbook(path)
    details = wb["Chronology"]["J2"].value
    assert excel_length(details) <= 32_767 and details.endswith("[... continued on the Long texts sheet]")
    parts = [row[3] for row in wb["Long texts"].iter_rows(min_row=2, values_only=True)]
    assert len(parts) == 2 and all(excel_length(p) <= 32_767 for p in parts)
    assert "".join(parts) == long
    assert read_master(path).rows[0].details == long


def test_a_partnerships_own_headings_are_read_as_the_chronology_columns(tmp_path: Path) -> None:
    from caseforms.chronology.columns import own_headings
    from caseforms.profile import load_profile

    profile_file = tmp_path / "ourarea.toml"
    profile_file.write_text('[profile]\nname = "ourarea"\nextends = "kent"\n\n'
                            '[chronology_headings]\nsubjects = ["Young person"]\nby_whom = ["Keyworker on shift"]\n',
                            encoding="utf-8")
    profile = load_profile(profile_file)
    own = own_headings(profile.chronology_headings)
    ret = AgencyReturn("home.xlsx", "Log", 1, ["Date", "Young person", "Keyworker on shift", "Details of event"],
                       [(2, ["03/02/2025", "Ali Example", "Sam Worker", "Returned late to the home."])],
                       title_block=[["Agency:", "Children's home"]])
    entry = merge_returns([ret], today=date(2025, 6, 1), own_headings=own).entries[0]
    assert (entry.cells["subjects"], entry.cells["by_whom"]) == ("Ali Example", "Sam Worker")
    bad = tmp_path / "bad.toml"
    bad.write_text('[chronology_headings]\npatient = ["Patient name"]\n', encoding="utf-8")
    from caseforms.errors import ProfileError

    with pytest.raises(ProfileError, match="not a chronology column"):
        load_profile(bad)


def test_an_agency_summary_answer_longer_than_a_cell_reaches_the_papers_whole(tmp_path: Path) -> None:
    from caseforms.chronology.summaries import AgencySummary, SummaryAnswer
    from caseforms.io.master_read import read_master
    from caseforms.io.master_xlsx import write_master

    long = "What happened, and why. " * 3000
    ret = AgencyReturn("police.xlsx", "Chronology", 1, ["Date", "Details of event"], [(2, ["03/02/2025", "Seen."])],
                       title_block=[["Agency:", "Police"]],
                       summary=AgencySummary("police.xlsx", [SummaryAnswer("Analysis", long, "analysis"),
                                                             SummaryAnswer("Learning", "Share early.", "learning")]))
    path = tmp_path / "Master chronology.xlsx"
    write_master(merge_returns([ret], today=date(2025, 6, 1)), path)
    (summary,) = read_master(path).summaries
    assert [(a.key, a.answer) for a in summary.answers] == [("analysis", long), ("learning", "Share early.")]
