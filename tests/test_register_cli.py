"""`caseforms init`, `validate` and `deadlines REGISTER`, run as an officer runs them."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from caseforms.cli import main
from register_fixtures import NHS_BAD, good_case, good_child, write_register


def _working_folder(tmp_path: Path, profile: str = "kent") -> Path:
    root = tmp_path / "Reviews"
    assert main(["init", str(root), "--profile", profile]) == 0
    return root


def test_init_makes_the_working_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _working_folder(tmp_path)
    assert (root / "register.xlsx").is_file() and (root / "cases").is_dir()
    assert "Kent" in capsys.readouterr().out


def test_init_never_replaces_a_register(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _working_folder(tmp_path)
    before = (root / "register.xlsx").read_bytes()
    assert main(["init", str(root), "--profile", "national"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (root / "register.xlsx").read_bytes() == before


def test_init_refuses_an_unknown_profile_before_creating_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "R"), "--profile", "narnia"]) == 2
    assert "Unknown profile" in capsys.readouterr().err and not (tmp_path / "R" / "register.xlsx").exists()


def _filled(root: Path, **people: object) -> Path:
    cases = [
        good_case("KSCMP/2025/01", status="Rapid Review in progress", rr_meeting_date=None, rr_decision_date=None,
                  rr_outcome=None, incident_date=date(2025, 5, 19), aware_date=date(2025, 5, 20),
                  referral_date=date(2025, 5, 20), decision_date=date(2025, 5, 21), notified_date=date(2025, 5, 23)),
        good_case("KSCMP/2024/07", status="Closed", closed_date=date(2025, 1, 5), action_plan_complete="Yes"),
    ]
    child = good_child("KSCMP/2025/01", name="Zebedee Uniquename", **people)
    return write_register(root / "register.xlsx", "kent", cases=cases,
                          people=[child, good_child("KSCMP/2024/07", name="Old Case")])


def test_validate_exit_status_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "R"
    root.mkdir()
    path = _filled(root)
    assert main(["validate", str(path), "--today", "02/06/2025"]) == 0
    assert "No problems found" in capsys.readouterr().out
    path.unlink()
    _filled(root, nhs_number=NHS_BAD)
    assert main(["validate", str(path), "--json", "--today", "02/06/2025"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["profile"] == "kent" and report["errors"] == 1
    assert report["findings"][0] | {"message": ""} == {
        "code": "NHS_NUMBER", "severity": "error", "sheet": "People", "cell": "G2", "message": "",
        "fix": report["findings"][0]["fix"], "source": report["findings"][0]["source"],
    }


def test_validate_annotate_says_where_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_register(tmp_path / "register.xlsx", people=[good_child(nhs_number=NHS_BAD)], cases=[good_case()])
    assert main(["validate", str(path), "--annotate", "--today", "02/06/2025"]) == 1
    out = capsys.readouterr().out
    assert "Checks sheet" in out and "Backup" in out
    assert (tmp_path / "backups").is_dir()


def test_validate_and_deadlines_create_the_missing_case_folders(tmp_path: Path) -> None:
    root = _working_folder(tmp_path)
    (root / "register.xlsx").unlink()
    _filled(root)
    main(["validate", str(root / "register.xlsx"), "--today", "02/06/2025"])
    assert (root / "cases" / "KSCMP-2025-01" / "returns").is_dir()
    assert (root / "cases" / "KSCMP-2024-07" / "papers").is_dir()


def test_validate_does_not_scatter_folders_beside_a_loose_register(tmp_path: Path) -> None:
    path = write_register(tmp_path / "copy.xlsx", cases=[good_case()])
    main(["validate", str(path), "--today", "02/06/2025"])
    assert not (tmp_path / "cases").exists()


def test_deadlines_of_a_register_list_open_cases_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "R"
    root.mkdir()
    path = _filled(root)
    assert main(["deadlines", str(path), "--today", "30/05/2025", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["case_ref"] for r in rows} == {"KSCMP/2025/01"}
    by_id = {r["id"]: r for r in rows}
    # Notified Friday 23/05/2025; Monday 26/05 is the spring bank holiday: 15 working days is 16/06/2025.
    assert by_id["rapid_review_submission"]["due"] == "2025-06-16"
    assert by_id["rapid_review_submission"]["status"] == "upcoming"
    # The executive decision date is recorded, so Kent's 3-day executive discussion is met, not listed.
    assert "executive_discussion" not in by_id


def test_deadlines_calendar_has_case_references_and_no_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "R"
    root.mkdir()
    path = _filled(root)
    ics = tmp_path / "deadlines.ics"
    assert main(["deadlines", str(path), "--today", "30/05/2025", "--ics", str(ics)]) == 0
    assert "KSCMP/2025/01" in capsys.readouterr().out
    text = ics.read_text(encoding="utf-8")
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:KSCMP/2025/01: Rapid Review Group meeting" in unfolded
    assert "DTSTART;VALUE=DATE:20250616" in unfolded
    # A reminder two working days before (the national profile's setting), at 09:00: the report is due
    # Monday 16 June, so Thursday 12 June at 09:00, 87 hours before the start of the due day.
    report = next(e for e in unfolded.split("BEGIN:VEVENT") if "DTSTART;VALUE=DATE:20250616" in e)
    assert "BEGIN:VALARM\nACTION:DISPLAY\n" in report and "TRIGGER:-PT87H\n" in report
    assert text.count("BEGIN:VALARM") == text.count("BEGIN:VEVENT")
    assert "Zebedee" not in unfolded and "Uniquename" not in unfolded
    assert "KSCMP/2024/07" not in unfolded
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") > 3


def test_deadlines_event_form_still_works_and_ics_needs_a_register(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines", "--event", "aware=20/12/2024", "--today", "20/12/2024", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert next(r for r in rows if r["id"] == "la_notification")["due"] == "2024-12-31"
    assert main(["deadlines", "--event", "aware=20/12/2024", "--ics", "x.ics"]) == 2
    assert "needs a REGISTER" in capsys.readouterr().err


def test_a_register_with_impossible_dates_is_reported_not_crashed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_register(tmp_path / "r.xlsx", cases=[good_case(aware_date=datetime(2025, 2, 1), incident_date=date(2025, 3, 1))])
    assert main(["deadlines", str(path), "--today", "02/06/2025"]) == 0
    out = capsys.readouterr().out
    # The clash is said with its cells, and the case's clocks are still listed from its dates as they stand.
    assert "'Date LA became aware' (01/02/2025) is before 'Date of incident' (01/03/2025)" in out and "H2" in out
    assert "nothing due" not in out and "1 overdue" in out


@pytest.mark.parametrize("name", ["register_password_protected.xlsx", "register_corrupt_zip.xlsx"])
def test_an_unreadable_register_is_one_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).parent / "files" / name
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("caseforms: ") and err.count("\n") == 1


def test_the_tracker_given_as_the_register_is_said_to_be_the_tracker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "R")]) == 0
    capsys.readouterr()
    for command in (["validate"], ["deadlines"], ["papers", "--case", "SCP-1"]):
        assert main([*command, str(tmp_path / "R" / "tracker.xlsx")]) == 2
        err = capsys.readouterr().err
        assert "tracker.xlsx is the actions tracker, not the case register" in err, command
        assert "Restore" not in err


def test_validate_prints_the_counts_by_rule_the_first_findings_and_where_the_rest_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = [good_child(name=f"Child {i}", nhs_number=NHS_BAD) for i in range(30)]
    path = write_register(tmp_path / "register.xlsx", "national", cases=[good_case()], people=people)
    assert main(["validate", str(path), "--today", "01/06/2025"]) == 1
    out = capsys.readouterr().out
    assert "NHS_NUMBER" in out and "The first 20 of" in out
    assert "--annotate" in out and "--json" in out
    assert out.count("wrong check digit") == 20
    assert main(["validate", str(path), "--today", "01/06/2025", "--all"]) == 1
    assert capsys.readouterr().out.count("wrong check digit") == 30
