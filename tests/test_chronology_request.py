"""The agency request pack and the returns log: real workbooks, letters and e-mails written and read back."""

from __future__ import annotations

import email
import os
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from caseforms.cli import main
from caseforms.io.register_xlsx import read_register
from caseforms.register.schema import RETURNS_LOG
from register_fixtures import good_case, good_child, write_register

REF = "LSCP-2025-007"
CHILD = "Ada Test"
POLICE = f"{REF} chronology request - Lincolnshire Police"


def make_register(folder: Path, profile: str = "lincolnshire", **case_changes: Any) -> Path:
    """Write a working folder's register with one case at the Rapid Review stage and three agencies."""
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    case = good_case(
        REF, rr_meeting_date=None, rr_decision_date=None, rr_outcome=None, status="Rapid Review in progress",
        agencies_involved="Lincolnshire Police: two domestic abuse call-outs; Children's Social Care\nHealth Visiting",
        scope_from=date(2024, 6, 1), scope_to=date(2025, 3, 1),
    )
    case.update(case_changes)
    return write_register(
        folder / "register.xlsx", profile, cases=[case],
        people=[good_child(REF, name=CHILD), {"case_ref": REF, "role": "Mother", "name": "Bea Test"}],
        agencies=[
            {"agency": "Lincolnshire Police", "spoc_name": "DS Omar Reed", "email": "omar.reed@police.example"},
            {"agency": "Children's Social Care", "spoc_name": "Jo Marsh", "email": "jo.marsh@council.example",
             "deputy_email": "deputy@council.example"},
            {"agency": "Health Visiting", "spoc_name": "Kim Lee", "email": "kim.lee@nhs.example"},
        ],
    )


def request(folder: Path, *extra: str, today: str = "06/03/2025") -> int:
    return main(["chronology", "request", str(folder / "register.xlsx"), "--case", REF, "--today", today, *extra])


def requests_dir(folder: Path) -> Path:
    return folder / "cases" / REF / "requests"


def returns_dir(folder: Path) -> Path:
    d = folder / "cases" / REF / "returns"
    d.mkdir(parents=True, exist_ok=True)
    return d


def validation_for(ws: Any, column: str) -> list[Any]:
    return [dv for dv in ws.data_validations.dataValidation if any(str(r).startswith(column) for r in dv.sqref.ranges)]


def test_request_workbook_has_dropdowns_validation_protection_and_prefilled_values(tmp_path: Path) -> None:
    make_register(tmp_path)
    assert request(tmp_path) == 0
    wb = load_workbook(requests_dir(tmp_path) / f"{POLICE}.xlsx")
    ws = wb["Chronology"]
    assert ws["B2"].value == REF and ws["B3"].value == "Lincolnshire Police"
    assert ws["B4"].value == "01/06/2024 to 01/03/2025"
    # Lincolnshire: chronologies back by 09:00 on process day 7 after the notification (Thu 6 March 2025).
    assert ws["B5"].value == "09:00 on Friday 14 March 2025"
    headings = [c.value for c in ws[8]]
    assert headings == ["Date", "Time", "Source of information", "Agency/Department", "Name of subject(s)",
                        "Type of contact", "By whom", "Details of event", "Comments/analysis of outcome"]
    (date_dv,) = validation_for(ws, "A")
    assert date_dv.type == "date"
    (time_dv,) = validation_for(ws, "B")
    assert time_dv.type == "time"
    (people_dv,) = validation_for(ws, "E")
    assert people_dv.type == "list" and people_dv.formula1 == "=People"
    assert wb.defined_names["People"].attr_text == "Lists!$A$2:$A$3"
    assert [wb["Lists"]["A2"].value, wb["Lists"]["A3"].value] == [CHILD, "Bea Test"]
    (contact_dv,) = validation_for(ws, "F")
    assert contact_dv.formula1 == "=ContactTypes" and wb["Lists"]["B2"].value == "Home visit"
    assert ws.protection.sheet and ws["A8"].protection.locked and ws["B2"].protection.locked
    # The entry rows are styled by their columns, as Excel formats a whole column: open to type in, wrapped,
    # dates and times as such; every cell above them (title block, headings) has a style of its own, locked.
    columns = [ws.column_dimensions[letter] for letter in "ABCDEFGHI"]
    assert all(not c.protection.locked and c.alignment.wrap_text and c.alignment.vertical == "top" for c in columns)
    assert [c.number_format for c in columns] == ["dd/mm/yyyy", "hh:mm", *["General"] * 7]
    above = [c for row in ws.iter_rows(min_row=1, max_row=8, max_col=9) for c in row if c.coordinate not in ws.merged_cells]
    assert all(c.has_style and c.protection.locked for c in above)
    assert ws.max_row == 8  # no cell written for the empty entry rows
    assert wb["caseforms"].sheet_state == "veryHidden" and wb["Lists"].sheet_state == "hidden"
    assert wb["caseforms"]["B2"].value == REF and wb["caseforms"]["B3"].value == "Lincolnshire Police"
    assert wb.defined_names["CaseformsCaseReference"].attr_text == "caseforms!$B$2"
    assert "Agency summary" not in wb.sheetnames  # Lincolnshire asks for chronologies only
    assert wb.sheetnames[0] == "Instructions"
    assert not any(CHILD in p.name for p in requests_dir(tmp_path).iterdir())


def test_kent_asks_for_the_agency_summary_too(tmp_path: Path) -> None:
    make_register(tmp_path, "kent", chronology_deadline=datetime(2025, 3, 17, 12, 0))
    assert request(tmp_path, "--agency", "Health Visiting") == 0
    wb = load_workbook(requests_dir(tmp_path) / f"{REF} chronology request - Health Visiting.xlsx")
    summary = wb["Agency summary"]
    # Kent's agency summary (000_44eed6501ae43eb6.txt "Agency summaries"; 002_cbeaa030473136cf.txt Appendix 4).
    questions = [summary.cell(row=r, column=1).value or "" for r in range(5, 16)]
    keys = [summary.cell(row=r, column=3).value for r in range(5, 16)]
    assert keys == ["involvement", "analysis", "lived_experience", "identity", "worked_well", "worries",
                    "current_safeguarding", "learning", "actions", "author", "signed_off"]
    assert "services" in questions[0] and "lived experience" in questions[2] and "protected characteristics" in questions[3]
    assert questions[-2:] == ["Completed by (name and role)", "Signed off by (name, role and date)"]
    assert not summary["B5"].protection.locked and summary["A5"].protection.locked
    # The register's own deadline wins over the timetable.
    assert wb["Chronology"]["B5"].value == "12:00 on Monday 17 March 2025"
    assert [p.name for p in requests_dir(tmp_path).glob("*.xlsx")] == [f"{REF} chronology request - Health Visiting.xlsx"]


def test_email_draft_opens_as_unsent_with_workbook_and_letter_attached(tmp_path: Path) -> None:
    make_register(tmp_path)
    assert request(tmp_path) == 0
    path = requests_dir(tmp_path) / f"{REF} chronology request - Children's Social Care.eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(msg, EmailMessage)
    assert msg["X-Unsent"] == "1"
    assert msg["To"] == "jo.marsh@council.example" and msg["Cc"] == "deputy@council.example"
    assert REF in msg["Subject"] and "14 March 2025" in msg["Subject"] and "09:00" in msg["Subject"]
    assert CHILD not in msg["Subject"] and "Ada" not in msg["Subject"]
    names = [part.get_filename() for part in msg.iter_attachments()]
    assert names == [f"{REF} chronology request - Children's Social Care.xlsx",
                     f"{REF} chronology request - Children's Social Care - letter.docx"]
    attached = next(msg.iter_attachments()).get_content()
    assert attached == (requests_dir(tmp_path) / names[0]).read_bytes()


def test_letter_is_filled_with_the_agency_deadline_and_people(tmp_path: Path) -> None:
    from docx import Document

    make_register(tmp_path)
    assert request(tmp_path, "--agency", "Lincolnshire Police") == 0
    doc = Document(str(requests_dir(tmp_path) / f"{POLICE} - letter.docx"))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Dear DS Omar Reed," in text and "two domestic abuse call-outs" in text
    assert "09:00 on Friday 14 March 2025" in text and "Bea Test" in text and "{{" not in text
    assert "OFFICIAL-SENSITIVE" in doc.sections[0].header.paragraphs[0].text


def test_requests_are_recorded_in_the_returns_log_once_per_agency(tmp_path: Path) -> None:
    make_register(tmp_path)
    assert request(tmp_path) == 0
    assert request(tmp_path, "--agency", "Lincolnshire Police", today="07/03/2025") == 0
    log = read_register(tmp_path / "register.xlsx").other[RETURNS_LOG]
    assert [(r["agency"], r["requested_on"]) for r in log] == [
        ("Lincolnshire Police", date(2025, 3, 7)), ("Children's Social Care", date(2025, 3, 6)),
        ("Health Visiting", date(2025, 3, 6)),
    ]
    assert all(r["due"] == datetime(2025, 3, 14, 9, 0) for r in log)
    assert (tmp_path / "backups").is_dir()  # the register was backed up before it was rewritten


def test_missing_email_scope_and_people_still_make_the_pack_and_say_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases").mkdir()
    write_register(
        tmp_path / "register.xlsx", "lincolnshire",
        cases=[good_case(REF, agencies_involved="Youth Offending Service", rr_meeting_date=None,
                         rr_decision_date=None, rr_outcome=None)],
        agencies=[{"agency": "Youth Offending Service", "spoc_name": "Sam Hill"}],
    )
    assert request(tmp_path) == 1
    out = capsys.readouterr().out
    assert "no e-mail address" in out and "Agencies sheet, column 'E-mail' (cell D2)" in out
    assert "Cases sheet, column 'Scope from'" in out and "Cases sheet, column 'Scope to'" in out
    assert "People sheet, column 'Name'" in out
    stem = f"{REF} chronology request - Youth Offending Service"
    wb = load_workbook(requests_dir(tmp_path) / f"{stem}.xlsx")
    assert wb["Chronology"]["B4"].value == "to be confirmed"
    assert validation_for(wb["Chronology"], "E") == []  # no people: no dropdown, free text
    msg = email.message_from_bytes((requests_dir(tmp_path) / f"{stem}.eml").read_bytes(), policy=default)
    assert msg["To"] is None and msg["X-Unsent"] == "1"


def test_no_agencies_involved_is_refused_with_where_to_fill_them_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_register(tmp_path, agencies_involved=None)
    assert request(tmp_path) == 2
    err = capsys.readouterr().err
    assert "Cases sheet, column 'Agencies involved'" in err and "--agency" in err


def fill_in(path: Path, target: Path, rows: list[tuple[Any, ...]]) -> Path:
    """Fill a request workbook in as an agency would (typing into the unlocked rows) and save it as the return."""
    wb = load_workbook(path)
    ws = wb["Chronology"]
    ws["B6"] = "DC Lee Stone, Safeguarding"
    for r, values in enumerate(rows, start=9):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    wb.save(target)
    return target


def police_rows() -> list[tuple[Any, ...]]:
    return [
        (datetime(2024, 7, 2), None, "Niche", "Police", CHILD, "Police attendance", "PC Ray", "Call-out to home", "DA"),
        (datetime(2024, 9, 15), datetime(1899, 12, 30, 14, 30).time(), "Niche", "Police", "Bea Test", "Telephone call",
         "PC Ray", "Welfare call", ""),
    ]


def test_a_filled_in_request_merges_cleanly(tmp_path: Path) -> None:
    make_register(tmp_path)
    assert request(tmp_path) == 0
    returned = fill_in(requests_dir(tmp_path) / f"{POLICE}.xlsx", returns_dir(tmp_path) / "police.xlsx", police_rows())
    master = tmp_path / "master.xlsx"
    assert main(["chronology", "merge", str(returned.parent), "--output", str(master), "--json"]) == 0
    from caseforms.io.returns import merge_return_files

    merged = merge_return_files([returned], case_reference=REF)
    assert merged.rows_merged == 2 and merged.rows_read == 2
    assert merged.returns[0].agency == "Lincolnshire Police" and merged.returns[0].case_reference == REF
    assert [f for f in merged.findings if f.severity == "error"] == []
    wb = load_workbook(master)
    details = [c.value for c in wb.worksheets[0][1]]
    assert "Details of event" in details


def test_a_return_in_the_wrong_case_folder_is_caught_by_status_and_merge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_register(tmp_path)
    assert request(tmp_path, "--agency", "Lincolnshire Police") == 0
    # Another case's request workbook, filled in and filed in this case's returns folder by mistake.
    wb = load_workbook(requests_dir(tmp_path) / f"{POLICE}.xlsx")
    wb["caseforms"]["B2"] = "LSCP-2025-099"
    wb["Chronology"]["B2"] = "LSCP-2025-099"
    other = tmp_path / "other.xlsx"
    wb.save(other)
    fill_in(other, returns_dir(tmp_path) / "Lincolnshire Police chronology.xlsx", police_rows())
    capsys.readouterr()
    rc = main(["chronology", "status", str(tmp_path / "register.xlsx"), "--case", REF, "--today", "10/03/2025",
               "--json", "--no-log"])
    import json

    result = json.loads(capsys.readouterr().out)
    assert rc == 1
    states = sorted((a["agency"], a["state"]) for a in result["agencies"])
    # The stray is not taken as the police's return for this case.
    assert states == [("Lincolnshire Police", "awaiting"), ("Lincolnshire Police", "wrong case")]
    wrong = [a for a in result["agencies"] if a["state"] == "wrong case"]
    assert len(wrong) == 1 and "LSCP-2025-099" in wrong[0]["findings"]
    master = tmp_path / "master.xlsx"
    main(["chronology", "merge", str(returns_dir(tmp_path)), "--output", str(master), "--json"])
    merged = json.loads(capsys.readouterr().out)
    assert any(i["code"] == "other_case" for i in merged["issues"])


@pytest.mark.parametrize(
    ("today", "police", "social_care", "health"),
    [
        # Due 09:00 Friday 14 March 2025; "due soon" is 2 working days or fewer (Lincolnshire).
        ("10/03/2025", "returned", "awaiting", "awaiting"),
        ("12/03/2025", "returned", "due soon", "due soon"),
        ("14/03/2025", "returned", "due soon", "due soon"),
        ("17/03/2025", "returned", "late", "returned late"),
    ],
)
def test_status_either_side_of_the_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today: str, police: str, social_care: str, health: str
) -> None:
    import json

    make_register(tmp_path)
    assert request(tmp_path) == 0
    returns = returns_dir(tmp_path)
    on_time = fill_in(requests_dir(tmp_path) / f"{POLICE}.xlsx", returns / "a.xlsx", police_rows())
    os.utime(on_time, (datetime(2025, 3, 10, 16, 0).timestamp(),) * 2)
    on_day = int(today[:2])
    if on_day >= 17:
        late = fill_in(requests_dir(tmp_path) / f"{REF} chronology request - Health Visiting.xlsx",
                       returns / "b.xlsx", police_rows())
        os.utime(late, (datetime(2025, 3, 14, 9, 30).timestamp(),) * 2)  # half an hour after 09:00
    capsys.readouterr()
    rc = main(["chronology", "status", str(tmp_path / "register.xlsx"), "--case", REF, "--today", today, "--json",
               "--chase"])
    result = json.loads(capsys.readouterr().out)
    states = {a["agency"]: a["state"] for a in result["agencies"]}
    assert states == {"Lincolnshire Police": police, "Children's Social Care": social_care,
                      "Health Visiting": health if on_day >= 17 else social_care}
    assert rc == (1 if social_care == "late" else 0)
    chased = [Path(p).name for p in result["chased"]]
    assert chased == ([f"{REF} chronology reminder - Children's Social Care.eml"] if social_care == "late" else [])
    log = {r["agency"]: r for r in read_register(tmp_path / "register.xlsx").other[RETURNS_LOG]}
    assert log["Lincolnshire Police"]["file"] == "a.xlsx" and log["Lincolnshire Police"]["rows"] in (2, "2")
    assert log["Lincolnshire Police"]["late"] == "No"
    if social_care == "late":
        assert log["Children's Social Care"]["late"] == "Yes"
        assert log["Health Visiting"]["late"] == "Yes"
        reminder = email.message_from_bytes((requests_dir(tmp_path) / chased[0]).read_bytes(), policy=default)
        assert reminder["X-Unsent"] == "1" and reminder["To"] == "jo.marsh@council.example"
        assert "REMINDER" in reminder["Subject"] and REF in reminder["Subject"] and CHILD not in reminder["Subject"]


def test_a_register_made_before_the_returns_log_reads_cleanly_and_gets_the_sheet(tmp_path: Path) -> None:
    path = make_register(tmp_path)
    wb = load_workbook(path)
    del wb[RETURNS_LOG]
    wb.save(path)
    register = read_register(path)
    assert not [p for p in register.problems if p.sheet == RETURNS_LOG]
    assert request(tmp_path, "--agency", "Health Visiting") == 0
    wb = load_workbook(path)
    assert RETURNS_LOG in wb.sheetnames and wb[RETURNS_LOG]["B2"].value == "Health Visiting"


def test_log_batches_saved_at_once_give_the_register_of_one_save_each(tmp_path: Path) -> None:
    # The demo logs its requests and then the returns that came back in one save of the register: the log must be the
    # one two saves make, a row updated in place, a new one added, the officer's other rows kept.
    import zipfile

    from caseforms.io.returns_log import upsert_in_turn, upsert_log

    requested = [{"case_ref": REF, "agency": a, "requested_on": date(2025, 3, 6), "due": datetime(2025, 3, 14, 9)}
                 for a in ("Lincolnshire Police", "Health Visiting")]
    received = [{"case_ref": REF, "agency": "Health Visiting", "received_on": date(2025, 3, 12), "file": "hv.xlsx",
                 "rows": 12, "late": "No"},
                {"case_ref": REF, "agency": "GP Practice", "received_on": date(2025, 3, 13), "file": "gp.csv", "rows": 3}]
    registers = []
    for name in ("two saves", "one save"):
        make_register(tmp_path / name)
        path = tmp_path / name / "register.xlsx"
        upsert_log(path, "lincolnshire", [{"case_ref": "LSCP-2024-001", "agency": "Probation", "notes": "kept"}])
        if name == "two saves":
            upsert_log(path, "lincolnshire", requested)
            upsert_log(path, "lincolnshire", received)
        else:
            upsert_in_turn(path, "lincolnshire", [(RETURNS_LOG, requested), (RETURNS_LOG, received)])
        registers.append(path)
    log = read_register(registers[1]).other[RETURNS_LOG]
    assert [(r["agency"], r.get("received_on")) for r in log] == [
        ("Probation", None), ("Lincolnshire Police", None), ("Health Visiting", date(2025, 3, 12)),
        ("GP Practice", date(2025, 3, 13))]
    with zipfile.ZipFile(registers[0]) as two, zipfile.ZipFile(registers[1]) as one:
        assert sorted(two.namelist()) == sorted(one.namelist())
        for part in two.namelist():
            if part != "docProps/core.xml":  # the time each was written
                assert two.read(part) == one.read(part), part
