"""The tracker workbook and `caseforms tracker`, as an officer uses them: real files written and read back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from caseforms.cli import main
from caseforms.io.tracker_xlsx import build_workbook, shipped_tracker_path
from caseforms.profile import load_profile
from caseforms.register.reading import column_letter
from caseforms.tracker.schema import ACTIONS, BY_AGENCY, tracker_schema
from register_fixtures import good_case, write_register

D = date.fromisoformat
DONE = {"status": "Complete", "evidence": "Audit report & action log <final>", "signed_off_by": "LIG chair",
        "signed_off_date": D("2025-07-02")}


def action(action_id: str, case_ref: str = "SCP-2025-001", **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "action_id": action_id, "case_ref": case_ref, "source": "Rapid Review",
        "recommendation": "Safe sleep advice was not repeated after the family moved",
        "action": "Deliver a briefing on safe sleep to all health visiting teams",
        "owner_agency": "Thornbury Community Health", "lead": "Ada Fictional",
        "measure": "Attendance figures and a repeat audit", "created_date": D("2025-01-10"),
        "due_date": D("2025-12-31"), "status": "In progress", "last_update_date": D("2025-09-01"),
        "last_update": "Eight of nine teams briefed",
    }
    values.update(over)
    return values


def write_tracker(path: Path, actions: Sequence[Mapping[str, Any]], profile: str = "national") -> Path:
    """Write a tracker with the actions given (values by schema key), as an officer fills it in."""
    loaded = load_profile(profile)
    sheet = tracker_schema(loaded).sheet(ACTIONS)
    letters = {c.key: column_letter(i) for i, c in enumerate(sheet.columns)}
    wb = build_workbook(loaded, profile)
    ws = wb[ACTIONS]
    for r, values in enumerate(actions, start=2):
        for key, value in values.items():
            ws[f"{letters[key]}{r}"] = value
    wb.save(path)
    return path


def rags(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[ACTIONS]
    return {ws[f"A{r}"].value: ws[f"Q{r}"].value for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value}


def test_shipped_tracker_is_what_the_code_builds() -> None:
    shipped = openpyxl.load_workbook(shipped_tracker_path())
    built = build_workbook(load_profile("national"))
    assert shipped.sheetnames == built.sheetnames
    for name in (ACTIONS, "Lists"):
        assert [c.value for c in shipped[name][1]] == [c.value for c in built[name][1]]
    assert shipped[ACTIONS].tables.keys() == built[ACTIONS].tables.keys()


def test_the_tracker_follows_the_register_conventions() -> None:
    wb = build_workbook(load_profile("kent"))
    ws = wb[ACTIONS]
    assert list(ws.tables) == ["Actions"]
    assert ws.freeze_panes == "A2"
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"list", "date"}
    assert "Complete" in [c.value for c in wb["Lists"]["A"] + wb["Lists"]["B"] + wb["Lists"]["C"]]
    assert wb["Settings"].sheet_state == "hidden"


def test_init_creates_the_tracker_beside_the_register(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "scp"), "--profile", "kent"]) == 0
    assert (tmp_path / "scp" / "tracker.xlsx").is_file()
    assert ACTIONS in openpyxl.load_workbook(tmp_path / "scp" / "tracker.xlsx").sheetnames


def test_refresh_rates_writes_the_chart_and_the_lig_paper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [
        action("A1", **DONE),
        action("A2", owner_agency="Thornbury Police", due_date=D("2025-09-30")),
        action("A3", due_date=D("2025-10-24")),
        action("A4", source="LCSPR", case_ref="SCP-2024-007", due_date=D("2026-06-30")),
    ])
    code = main(["tracker", str(tracker), "--today", "20/10/2025", "--escalations", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert rags(tracker) == {"A1": "Blue", "A2": "Red", "A3": "Amber", "A4": "Green"}
    assert out["counts"] == {"Red": 1, "Amber": 1, "Green": 1, "Blue": 1, "Superseded": 0}
    assert out["escalations"] == ["A2"]
    assert out["ready_to_close"] == {"SCP-2025-001": False}

    wb = openpyxl.load_workbook(tracker)
    by_agency = wb[BY_AGENCY]
    assert [c.value for c in by_agency[1]][:5] == ["Agency", "Red", "Amber", "Green", "Blue"]
    assert by_agency["A2"].value == "Thornbury Police"
    (chart,) = by_agency._charts
    assert chart.grouping == "stacked" and len(chart.series) == 4

    paper = Document(out["written"]["lig_report"])
    text = "\n".join(p.text for p in paper.paragraphs) + "\n".join(
        cell.text for table in paper.tables for row in table.rows for cell in row.cells)
    assert "Thornbury Police" in text
    assert "Audit report & action log <final>" in text  # escaped, not lost
    assert "{{" not in text and "{%" not in text
    assert len(paper.inline_shapes) == 1  # the chart
    escalations = Document(out["written"]["escalation_report"])
    assert "A2" in "\n".join(c.text for t in escalations.tables for r in t.rows for c in r.cells)


def test_a_case_whose_action_plan_is_complete_is_flagged_in_the_register(tmp_path: Path) -> None:
    register = write_register(tmp_path / "register.xlsx", "national", cases=[good_case("SCP-2025-001"),
                                                                              good_case("SCP-2025-002")])
    tracker = write_tracker(tmp_path / "tracker.xlsx", [
        action("A1", **DONE), action("A2", **DONE),
        action("B1", case_ref="SCP-2025-002"),
    ])
    assert main(["tracker", str(tracker), "--register", str(register), "--today", "20/10/2025"]) == 0
    ws = openpyxl.load_workbook(register)["Cases"]
    headers = [c.value for c in ws[1]]
    ref, done = headers.index("Case reference") + 1, headers.index("RR action plan complete") + 1
    flags = {ws.cell(row=r, column=ref).value: ws.cell(row=r, column=done).value for r in (2, 3)}
    assert flags == {"SCP-2025-001": "Yes", "SCP-2025-002": "No"}


def test_bad_actions_are_findings_with_their_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [
        action("A1", owner_agency=None, due_date="31/12/2025"),
        action("A2", evidence="Training register", status="In progress"),
        action("A3", signed_off_by="LIG chair", signed_off_date=D("2024-12-01"), evidence="Audit"),
        action("A3"),
    ])
    assert main(["tracker", str(tracker), "--today", "20/10/2025", "--json"]) == 1
    issues = {(i["code"], i["cell"]) for i in json.loads(capsys.readouterr().out)["issues"]}
    assert ("owner-missing", "F2") in issues
    assert ("DATE_AS_TEXT", "J2") in issues
    assert ("evidence-but-open", "K3") in issues
    assert ("signoff-before-created", "P4") in issues
    assert ("duplicate-action-id", "A5") in issues


def test_the_officers_own_additions_survive_a_refresh(tmp_path: Path) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [action("A1")])
    wb = openpyxl.load_workbook(tracker)
    ws = wb[ACTIONS]
    ws["U1"] = "Board lead"
    ws["U2"] = "Director of Nursing"
    ws["E2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["E2"].comment = Comment("Check with the LIG chair", "Officer")
    wb.save(tracker)
    assert main(["tracker", str(tracker), "--today", "20/10/2025"]) == 0
    ws = openpyxl.load_workbook(tracker)[ACTIONS]
    assert (ws["U1"].value, ws["U2"].value) == ("Board lead", "Director of Nursing")
    assert ws["E2"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws["E2"].comment.text.startswith("Check with the LIG chair")
    assert (tmp_path / "backups").is_dir()


def test_a_tracker_open_in_excel_is_not_touched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [action("A1")])
    before = tracker.read_bytes()
    (tmp_path / "~$tracker.xlsx").write_bytes(b"lock")
    assert main(["tracker", str(tracker), "--today", "20/10/2025"]) == 2
    assert "open in Excel" in capsys.readouterr().err
    assert tracker.read_bytes() == before


def _plan(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    document = Document()
    document.add_heading("Rapid Review action plan", 1)
    table = document.add_table(rows=1, cols=6)
    for cell, heading in zip(table.rows[0].cells, ("No.", "Learning point", "Action", "Owner agency", "Named lead", "Due"),
                             strict=True):
        cell.text = heading
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def test_actions_typed_into_the_word_action_plan_land_in_the_tracker(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [action("SCP-2025-001-RR01")])
    plan = _plan(tmp_path / "plan.docx", [
        ("1", "Fathers were not seen", "Include fathers & male carers in every health visiting assessment",
         "Thornbury Community Health", "Ada Fictional", "31 March 2026"),
        ("2", "[not recorded: learning point]", "", "", "", ""),
        ("3", "Schools", "Brief designated safeguarding leads on the findings", "Education", "", "next term"),
    ])
    args = ["tracker", str(tracker), "--import", str(plan), "--case", "SCP-2025-001", "--today", "20/10/2025", "--json"]
    assert main(args) == 1  # imported, but the schools action still needs a due date: an error to put right
    out = json.loads(capsys.readouterr().out)
    assert out["imported"][0].startswith("Imported 2 action(s)")
    assert ("due-missing", "J4") in {(i["code"], i["cell"]) for i in out["issues"]}
    assert any("'next term' is not a date" in line for line in out["imported"])
    ws = openpyxl.load_workbook(tracker)[ACTIONS]
    assert [ws[f"A{r}"].value for r in (2, 3, 4)] == ["SCP-2025-001-RR01", "SCP-2025-001-RR02", "SCP-2025-001-RR03"]
    assert ws["E3"].value == "Include fathers & male carers in every health visiting assessment"
    assert ws["J3"].value.date() == D("2026-03-31")
    assert ws["I3"].value.date() == D("2025-10-20")  # date agreed: the day of the import
    assert ws.tables["Actions"].ref.startswith("A1:")

    assert main(args) == 1  # importing the same plan again adds nothing
    assert json.loads(capsys.readouterr().out)["imported"][0].startswith("Imported 0 action(s)")
    assert openpyxl.load_workbook(tracker)[ACTIONS]["A5"].value is None


def test_the_action_plan_caseforms_writes_can_be_imported(tmp_path: Path) -> None:
    from caseforms.io.action_plan_docx import read_action_plan
    from caseforms.io.docx_render import render, template_path
    from caseforms.papers import context, sample

    filled = context.build("rr_action_plan", sample.full_case(), load_profile("kent"), D("2025-10-20"))
    paper = render(template_path("rr_action_plan"), filled.context, tmp_path / "plan.docx")
    planned = read_action_plan(paper.path)
    assert planned, "the shipped action plan's table is not recognised"
    assert all(p.values.get("action") and p.values.get("owner_agency") for p in planned)


def test_import_without_a_case_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx", [])
    plan = _plan(tmp_path / "plan.docx", [("1", "x", "Deliver the briefing to all teams", "Health", "A", "31/03/2026")])
    assert main(["tracker", str(tracker), "--import", str(plan)]) == 2
    assert "--import needs --case" in capsys.readouterr().err
