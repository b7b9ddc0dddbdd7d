"""The case register, master chronology and tracker actions mapped to what the papers draw on."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from caseforms.errors import CaseNotFound, WorkbookError
from caseforms.io.master_read import find_master_chronology, read_master_chronology
from caseforms.io.register_xlsx import read_register
from caseforms.papers.from_register import IN_THE_DOCUMENT, IN_THE_TRACKER, case_file, find_case, where_to_record
from caseforms.register.records import Register
from papers_fixtures import (
    ACTIONS,
    AGENCY,
    CHILD,
    FULL,
    PARTNER,
    SIBLING,
    SPARSE,
    write_master_chronology,
    write_partnership_folder,
)

FILES = Path(__file__).parent / "files"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_partnership_folder(tmp_path_factory.mktemp("partnership")).parent


@pytest.fixture(scope="module")
def register(folder: Path) -> Register:
    return read_register(folder / "register.xlsx")


def test_every_part_of_the_full_case_comes_from_the_register(register: Register) -> None:
    case = case_file(register, FULL)
    assert case.ref == FULL and case.author == "Helen Ashworth" and case.status == "LCSPR in progress"
    assert case.events["notified"] == date(2025, 2, 3) and case.events["incident"] == datetime(2025, 1, 28, 18, 40)
    assert [c.name for c in case.children] == [CHILD]
    child = case.children[0]
    assert (child.relationship, child.nhs_number, child.cp_category, child.harm) == (
        "Subject child", "999 000 0018", "Neglect", "Seriously harmed")
    assert [(p.name, p.relationship) for p in case.family] == [
        (SIBLING, "Sibling"), ("Siobhán O'Brien", "Mother"), (PARTNER, "Mother's partner")]
    assert (case.incident.day, case.incident.at, case.incident.location) == (
        date(2025, 1, 28), time(18, 40), "12 Mill Lane, Thornbury Green (family home)")
    assert case.incident.characteristics == ["Injury"] and case.incident.abuse_or_neglect == "Abuse and neglect"
    assert "\n\nThe explanation" in (case.incident.outline or ""), "the officer's paragraphs survive the register"
    assert (case.referral.slo_name, case.referral.email) == ("Nuala Ní Bhriain", "nuala.nibhriain@example.nhs.uk")
    assert case.notification.notifier_role == "Head of Safeguarding"
    # The notifying council is the profile's (Kent County Council), never the notifier's agency.
    assert case.notification.local_authority is None
    assert case.notification.other_children == f"{SIBLING} (sibling)"
    rr = case.rapid_review
    assert (rr.scope_from, rr.scope_to, rr.chronology_deadline) == (
        date(2023, 3, 1), date(2025, 1, 28), datetime(2025, 2, 14, 9, 0))
    assert rr.meeting_days == [date(2025, 2, 19), date(2025, 2, 20)]
    assert [(a.role, a.name, a.organisation) for a in rr.membership] == [
        ("Chair", "Helen Ashworth", "Business Unit"),
        ("Local authority", "Gareth Llewellyn", "Thornbury Council Children's Services"),
        ("Police", "DCI Priya Mehta", "Thornbury Police"),
        ("Health (ICB)", "Dr Ruth Adeyemi", "Harbourton ICB"),
        ("Other", "Aisha Rahman", AGENCY),
        ("Health visiting", "Nuala Ní Bhriain", "Harbourton ICB"),
    ]
    assert case.lcspr.key_lines_of_enquiry == [
        "How did agencies learn about new adults in the household?", "How was the impact of neglect < 5 years assessed?"]
    assert (case.lcspr.pseudonym, case.lcspr.reviewer_independent) == ("Child Z", True)


def test_decision_attendees_are_those_present_at_the_executive(register: Register) -> None:
    decision = case_file(register, FULL).decision
    assert decision.discussed == date(2025, 1, 31) and decision.family_told == "Yes"
    assert [a.name for a in decision.attendees] == ["Helen Ashworth", "Marcus Bell", "DCI Priya Mehta"]


def test_agencies_involved_their_contacts_and_the_chronology_period(register: Register, folder: Path) -> None:
    master = find_master_chronology(folder, FULL)
    assert master is not None
    case = case_file(register, FULL, chronology=read_master_chronology(master))
    agencies = {a.name: a for a in case.agencies}
    assert list(agencies)[:4] == [AGENCY, "Children's Social Care", "Thornbury Police",
                                  "Harbourton ICB (health visiting)"]
    family = agencies[AGENCY]
    # The chronology names the agency as its file name had it: the same agency, not a fifth one.
    assert len(agencies) == 4
    assert (family.involvement, family.contact_name, family.involved_from) == (
        "weekly family support visits", "Aisha Rahman", date(2023, 3, 6))
    # "March 2024" gives only the month: such a date never makes an involvement period (nor does a flagged one).
    assert agencies["Thornbury Police"].involved_to == date(2024, 1, 20)
    assert family.summary_due == datetime(2025, 2, 14, 9, 0)


def test_actions_are_this_cases_rapid_review_actions_only(register: Register) -> None:
    actions = case_file(register, FULL, actions=ACTIONS).actions
    assert [(a.number, a.due, a.status) for a in actions] == [("RR4-01", date(2025, 4, 30), "In progress")]


def test_a_sparse_case_leaves_what_is_not_recorded_empty(register: Register) -> None:
    case = case_file(register, SPARSE)
    assert [c.name for c in case.children] == ["Child A"] and case.family == [] and case.agencies == []
    assert case.incident.location is None and case.rapid_review.scope_from is None and case.meetings == []
    assert case.referral.agency == "Police" and case.author is None


def test_a_reference_is_found_whatever_its_case(register: Register) -> None:
    assert find_case(register, " tg-2025-004 ").ref == FULL


def test_an_unknown_reference_names_the_cases_closest_first(register: Register) -> None:
    with pytest.raises(CaseNotFound, match=r"no case 'TG-2025-09'.*closest first\): TG-2025-009, TG-2025-004"):
        find_case(register, "TG-2025-09")


def test_each_marker_says_where_to_fill_it_in(register: Register) -> None:
    letters = register.columns["Cases"]
    assert where_to_record("location of the incident", register, SPARSE) == (
        f"Cases row 3, 'Incident location' ({letters['incident_location']}3)")
    assert where_to_record("date of birth, Child A", register, SPARSE).startswith("People row 6, 'Date of birth'")
    assert where_to_record("meeting venue", register, SPARSE).startswith("Meetings sheet: add the case's 'Rapid Review'")
    assert where_to_record("due date, action 1", register, FULL) == IN_THE_TRACKER
    assert where_to_record("case summary", register, FULL).startswith(
        f"the Narrative sheet: a row with Case reference {FULL}, Section 'Case summary'")
    assert where_to_record("something the register has no place for", register, FULL) == IN_THE_DOCUMENT
    assert "Agencies sheet: add a row for 'Children's Social Care'" in where_to_record(
        "single point of contact, Children's Social Care", register, FULL)


def test_a_register_made_before_the_papers_columns_reads_cleanly_and_says_where_to_add_them() -> None:
    older = read_register(FILES / "register_correct.xlsx")
    added = {c.header for sheet in older.schema.sheets for c in sheet.columns if c.added_later}
    assert "Incident location" in added
    assert not [p for p in older.problems if any(f"'{header}'" in p.message for header in added)]
    assert case_file(older, "SCP-2025-001").incident.location is None
    assert where_to_record("location of the incident", older, "SCP-2025-001").startswith(
        "Cases: add a column headed 'Incident location'")


def test_the_master_chronology_reads_back_as_merged(tmp_path: Path) -> None:
    rows = read_master_chronology(write_master_chronology(tmp_path / "Master chronology.xlsx"))
    assert [r.when for r in rows] == [date(2023, 3, 6), datetime(2024, 1, 20, 23, 15), date(2024, 3, 1), None]
    assert [r.when_text for r in rows] == [None, None, "March 2024", None], "an approximate date keeps its words"
    assert rows[1].subjects == f"Siobhán O'Brien; {PARTNER}" and rows[1].analysis == "Children present; DASH medium < high."
    assert rows[1].details == "Call from neighbour: shouting & banging." and rows[1].by_whom == "PC Adams"


def test_a_workbook_that_is_not_a_master_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "Master chronology.xlsx"
    wb = Workbook()
    wb.active.append(["Date", "What happened"])
    wb.save(path)
    with pytest.raises(WorkbookError, match=r"Master chronology\.xlsx, sheet 'Sheet': no column headed 'Details of event'"):
        read_master_chronology(path)


def test_the_master_is_found_in_the_case_folder_whatever_the_case_of_its_name(tmp_path: Path) -> None:
    assert find_master_chronology(tmp_path, FULL) is None
    write_master_chronology(tmp_path / "cases" / FULL / "master CHRONOLOGY.xlsx")
    found = find_master_chronology(tmp_path, FULL)
    assert found is not None and found.name == "master CHRONOLOGY.xlsx"
