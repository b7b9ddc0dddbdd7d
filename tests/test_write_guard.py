"""Every write goes through one guard: issue 16 ("Safe with hostile and accidental input"), faults 1, 2, 5, 8, 9, 11,
12 and 13, each reproduced as the issue writes it, with real files and, where the fault is about two programs or a
killed one, real processes.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from caseforms.cli import main
from caseforms.errors import ChangedMeanwhile, WorkbookError, WrongKindOfFile
from caseforms.io.file_kinds import CALENDAR, MASTER, PAPER, REGISTER, TRACKER, identify
from caseforms.io.register_xlsx import read_register
from caseforms.io.safe_write import folder_lock, load_for_update, openpyxl_would_drop, save_openpyxl, write_atomically
from caseforms.io.tracker_xlsx import build_workbook as build_tracker
from caseforms.profile import load_profile
from caseforms.register.reading import column_letter
from caseforms.register.schema import CASES, register_schema
from caseforms.tracker.schema import ACTIONS, tracker_schema
from files.hostile.openpyxl_drops import FEATURES, all_text, with_cached_value, with_feature
from register_fixtures import good_case, good_child, write_register

D = date.fromisoformat
RETURNS = Path(__file__).parent / "files" / "returns"
REF = "SCP-2025-001"
TODAY = "20/10/2025"
DONE = {"status": "Complete", "evidence": "Audit report", "signed_off_by": "LIG chair", "signed_off_date": D("2025-07-02")}


# -- a working folder, as `caseforms init` lays it out --------------------------------------------------


def working_folder(root: Path, *, cases: Sequence[Mapping[str, Any]] = (), actions: Sequence[Mapping[str, Any]] = ()) -> Path:
    """Write a register (one case unless given) and a tracker (the actions given) into ``root``."""
    (root / "cases").mkdir(parents=True, exist_ok=True)
    write_register(root / "register.xlsx", "national", cases=list(cases) or [good_case(REF)], people=[good_child(REF)])
    write_tracker(root / "tracker.xlsx", actions)
    return root


def action(action_id: str, **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "action_id": action_id, "case_ref": REF, "source": "Rapid Review", "recommendation": "Safe sleep advice",
        "action": "Deliver a briefing on safe sleep to all health visiting teams", "owner_agency": "Community Health",
        "lead": "Ada Fictional", "measure": "Attendance figures", "created_date": D("2025-01-10"),
        "due_date": D("2025-12-31"), "status": "In progress", "last_update_date": D("2025-09-01"),
        "last_update": "Eight of nine teams briefed",
    }
    values.update(over)
    return values


def write_tracker(path: Path, actions: Sequence[Mapping[str, Any]]) -> Path:
    loaded = load_profile("national")
    letters = {c.key: column_letter(i) for i, c in enumerate(tracker_schema(loaded).sheet(ACTIONS).columns)}
    wb = build_tracker(loaded, "national")
    for r, values in enumerate(actions, start=2):
        for key, value in values.items():
            wb[ACTIONS][f"{letters[key]}{r}"] = value
    wb.save(path)
    return path


def action_plan(path: Path, actions: Sequence[str]) -> Path:
    """Write a Word action plan with a table of actions, as the officer types it."""
    document = Document()
    table = document.add_table(rows=1, cols=5)
    for cell, heading in zip(table.rows[0].cells, ("No.", "Action", "Owner agency", "Named lead", "Due"), strict=True):
        cell.text = heading
    for n, text in enumerate(actions, start=1):
        for cell, value in zip(table.add_row().cells, (str(n), text, "Police", "DS Reed", "31/03/2026"), strict=True):
            cell.text = value
    document.save(str(path))
    return path


def action_ids(tracker: Path) -> list[str]:
    ws = openpyxl.load_workbook(tracker)[ACTIONS]
    return [ws[f"A{r}"].value for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its content: compare two to show nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def caseforms(*args: str, **kw: Any) -> subprocess.Popen[str]:
    """Start caseforms as the officer does: a new process."""
    return subprocess.Popen([sys.executable, "-m", "caseforms", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def refused(capsys: pytest.CaptureFixture[str], code: int) -> str:
    """Assert a command was refused with one line and exit status 2; return the line."""
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("caseforms: ") and "\n" not in err and "Traceback" not in err
    return err


# -- fault 1: a calendar over the register ---------------------------------------------------------------


@pytest.mark.parametrize("target", ["register.xlsx", "tracker.xlsx"])
def test_a_calendar_is_never_written_over_the_register_or_the_tracker(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    root = working_folder(tmp_path)
    before = snapshot(root)
    code = main(["deadlines", str(root / "register.xlsx"), "--ics", str(root / target), "--today", TODAY])
    err = refused(capsys, code)
    assert f"is {REGISTER if target == 'register.xlsx' else TRACKER}: caseforms will not write a calendar over it" in err
    assert snapshot(root) == before  # no calendar, no backup, nothing


def test_a_calendar_replaces_an_earlier_calendar_keeping_a_backup_and_refuses_anyone_elses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path)
    ics = root / "deadlines.ics"
    args = ["deadlines", str(root / "register.xlsx"), "--ics", str(ics), "--today", TODAY]
    assert main(args) == 0
    assert identify(ics) == CALENDAR
    assert main(args) == 0
    assert [p.suffix for p in (root / "backups").iterdir()] == [".ics"]
    outlook = root / "team calendar.ics"
    outlook.write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\nEND:VCALENDAR\r\n")
    capsys.readouterr()
    assert "a calendar caseforms did not make" in refused(capsys, main([*args[:3], str(outlook), *args[4:]]))
    assert outlook.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nPRODID:-//Microsoft")
    assert "is a folder" in refused(capsys, main([*args[:3], str(root / "cases"), *args[4:]]))


# -- fault 2: a master chronology over the register ----------------------------------------------------------


@pytest.mark.parametrize("target", ["register.xlsx", "tracker.xlsx"])
def test_a_master_chronology_is_never_written_over_the_register_or_the_tracker(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    root = working_folder(tmp_path / "work")
    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copy(RETURNS / "title_block_above_table.xlsx", returns / "police.xlsx")
    before = snapshot(root)
    err = refused(capsys, main(["chronology", "merge", str(returns), "--output", str(root / target)]))
    assert f"is {REGISTER if target == 'register.xlsx' else TRACKER}: caseforms will not write a master chronology" in err
    assert snapshot(root) == before
    out = root / "Master chronology.xlsx"
    assert main(["chronology", "merge", str(returns), "--output", str(out)]) == 0
    assert identify(out) == MASTER


def test_a_paper_is_written_over_an_earlier_paper_but_never_over_a_workbook_or_an_officers_document(tmp_path: Path) -> None:
    from caseforms.io.docx_render import render, template_path
    from caseforms.papers import context, sample

    filled = context.build("rr_agenda", sample.full_case(), load_profile("kent"), D("2025-10-20")).context
    paper = tmp_path / "agenda.docx"
    render(template_path("rr_agenda"), filled, paper)
    assert identify(paper) == PAPER
    again = render(template_path("rr_agenda"), filled, paper)
    assert again.backup is not None and again.backup.parent.name == "backups"

    workbook = write_register(tmp_path / "register.docx")  # a workbook whose name says Word document
    officers = tmp_path / "my notes.docx"
    Document().save(str(officers))
    for target in (workbook, officers):
        before = target.read_bytes()
        with pytest.raises(WrongKindOfFile, match="caseforms will not write a Word paper over it"):
            render(template_path("rr_agenda"), filled, target)
        assert target.read_bytes() == before


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_a_pdf_replaces_caseforms_earlier_pdf_but_never_the_officers_own(tmp_path: Path) -> None:
    from caseforms.io.docx_render import render, template_path, to_pdf
    from caseforms.papers import context, sample

    filled = context.build("rr_agenda", sample.full_case(), load_profile("kent"), D("2025-10-20")).context
    paper = render(template_path("rr_agenda"), filled, tmp_path / "agenda.docx").path
    officers = tmp_path / "mine" / "agenda.pdf"
    officers.parent.mkdir()
    officers.write_bytes(b"%PDF-1.7\n1 0 obj <</Producer (Microsoft\xae Word for Microsoft 365)>> endobj\n%%EOF\n")
    with pytest.raises(WrongKindOfFile, match="a file caseforms did not make"):
        to_pdf(paper, officers.parent)
    earlier = tmp_path / "agenda.pdf"  # what LibreOffice made from the paper last time
    earlier.write_bytes(b"%PDF-1.4\n1 0 obj <</Creator (Writer) /Producer (LibreOffice 7.4)>> endobj\n%%EOF\n")
    pdf = to_pdf(paper)
    assert pdf == earlier and pdf.stat().st_size > 5000
    assert [p.read_bytes()[:8] for p in (tmp_path / "backups").iterdir()] == [b"%PDF-1.4"]
    assert officers.read_bytes().startswith(b"%PDF-1.7")


# -- fault 5: what openpyxl would drop, found by walking the package ------------------------------------------


@pytest.fixture(scope="module")
def plain_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain")
    return write_register(folder / "register.xlsx", "national", cases=[good_case(REF)], people=[good_child(REF)])


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")
@pytest.mark.parametrize("feature", FEATURES)
def test_openpyxl_drops_each_of_these_and_caseforms_says_so_before_rewriting(
        tmp_path: Path, plain_register: Path, feature: str) -> None:
    path = with_feature(plain_register, tmp_path / "register.xlsx", feature)
    marker = FEATURES[feature].marker.encode()
    assert marker in all_text(path)
    resaved = tmp_path / "resaved.xlsx"
    openpyxl.load_workbook(path).save(resaved)
    assert marker not in all_text(resaved), f"openpyxl now keeps {feature}: it need not be refused any more"
    found = openpyxl_would_drop(path)
    assert any(FEATURES[feature].words in words for words in found), found


def test_a_register_caseforms_wrote_has_nothing_openpyxl_would_drop(plain_register: Path) -> None:
    assert openpyxl_would_drop(plain_register) == []


@pytest.mark.parametrize("feature", ["sensitivity label", "Power Query", "rich text", "dynamic arrays",
                                     "x14 validation in an odd part"])
def test_validate_annotate_never_strips_them_and_says_what_and_why(
        tmp_path: Path, plain_register: Path, capsys: pytest.CaptureFixture[str], feature: str) -> None:
    register = with_feature(plain_register, tmp_path / "register.xlsx", feature)
    before = register.read_bytes()
    main(["validate", str(register), "--annotate", "--today", TODAY])
    out = capsys.readouterr().out
    assert register.read_bytes() == before
    beside = tmp_path / "register (caseforms).xlsx"
    assert "Checks" in openpyxl.load_workbook(beside).sheetnames
    assert FEATURES[feature].words in out and "register (caseforms).xlsx" in out


def test_the_officers_formula_results_survive_a_rewrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The officer's own formula in 'Scope to', saved by Excel with its result: caseforms must not blank it."""
    (tmp_path / "cases").mkdir()
    case = good_case(REF, scope_from=D("2024-06-01"), agencies_involved="Police", rr_meeting_date=None,
                     rr_decision_date=None, rr_outcome=None, status="Rapid Review in progress")
    plain = write_register(tmp_path / "plain.xlsx", "national", cases=[case], people=[good_child(REF)],
                           agencies=[{"agency": "Police", "spoc_name": "DS Reed", "email": "reed@police.example"}])
    schema = register_schema(load_profile("national"))
    letters = {c.key: column_letter(i) for i, c in enumerate(schema.sheet(CASES).columns)}
    scope_to = f"{letters['scope_to']}2"
    # 01/03/2025 is day 45717 of Excel's calendar: what Excel saves as the formula's result.
    register = with_cached_value(plain, tmp_path / "register.xlsx", CASES, scope_to, f"{letters['scope_from']}2+273",
                                 "45717")
    assert read_register(register).case(REF)["scope_to"] == D("2025-03-01")
    main(["validate", str(register), "--annotate", "--today", TODAY])
    assert read_register(register).case(REF)["scope_to"] == D("2025-03-01")  # read back with calamine
    assert openpyxl.load_workbook(register)[CASES][scope_to].value.startswith("=")  # still the officer's formula
    capsys.readouterr()
    main(["chronology", "request", str(register), "--case", REF, "--today", "06/03/2025"])
    assert "no end date yet" not in capsys.readouterr().out


# -- fault 8: permissions ------------------------------------------------------------------------------------


def test_a_register_tracker_master_or_paper_kept_private_stays_private(tmp_path: Path) -> None:
    root = working_folder(tmp_path, actions=[action("A1")])
    register, tracker = root / "register.xlsx", root / "tracker.xlsx"
    lig = root / "papers" / "LIG tracker report 2025-10-20.docx"
    assert main(["tracker", str(tracker), "--today", TODAY]) == 0
    master = root / "Master chronology.xlsx"
    shutil.copy(RETURNS / "title_block_above_table.xlsx", tmp_path / "police.xlsx")
    assert main(["chronology", "merge", str(tmp_path / "police.xlsx"), "--output", str(master), "--json"]) == 0
    for path in (register, tracker, master, lig):
        path.chmod(0o600)
    assert main(["validate", str(register), "--annotate", "--today", TODAY]) in (0, 1)
    assert main(["tracker", str(tracker), "--today", TODAY]) == 0
    assert main(["chronology", "merge", str(tmp_path / "police.xlsx"), "--output", str(master), "--json"]) == 0
    for path in (register, tracker, master, lig):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    kept = sorted(p.name.split(" ")[0] for p in (root / "backups").iterdir())
    assert kept == ["Master", "register", "tracker", "tracker"]  # each file replaced, each kept


# -- fault 11: two commands at the same time -------------------------------------------------------------------


@pytest.fixture
def importing(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    root = working_folder(tmp_path, actions=[action(f"{REF}-RR01")])
    plan = action_plan(root / "plan.docx", ["Brief every school's safeguarding lead", "Audit the police referrals"])
    yield root, ["tracker", str(root / "tracker.xlsx"), "--import", str(plan), "--case", REF, "--today", TODAY]


def test_a_command_waits_while_another_writes_in_the_folder_and_says_so(importing: tuple[Path, list[str]]) -> None:
    root, args = importing
    tracker = root / "tracker.xlsx"
    before = tracker.read_bytes()
    with folder_lock(root):
        process = caseforms(*args)
        assert process.stderr is not None
        line = process.stderr.readline()  # what the officer sees while it waits
        assert "waiting for it to finish" in line, line + process.communicate()[1]
        assert tracker.read_bytes() == before and process.poll() is None
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert action_ids(tracker) == [f"{REF}-RR01", f"{REF}-RR02", f"{REF}-RR03"]


def test_importing_and_refreshing_the_tracker_at_the_same_time_loses_no_action(importing: tuple[Path, list[str]]) -> None:
    root, args = importing
    tracker = root / "tracker.xlsx"
    for _ in range(2):
        write_tracker(tracker, [action(f"{REF}-RR01")])
        both = [caseforms(*args), caseforms("tracker", str(tracker), "--today", TODAY)]
        for process in both:
            _, err = process.communicate(timeout=180)
            assert process.returncode == 0, err
        assert action_ids(tracker) == [f"{REF}-RR01", f"{REF}-RR02", f"{REF}-RR03"]


def test_a_workbook_changed_since_it_was_read_is_never_written_over(importing: tuple[Path, list[str]]) -> None:
    root, args = importing
    tracker = root / "tracker.xlsx"
    wb = load_for_update(tracker, "tracker")
    process = caseforms(*args)  # another officer imports an action plan meanwhile
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    wb[ACTIONS]["T2"] = "a note"
    with pytest.raises(ChangedMeanwhile, match="changed by someone else"):
        save_openpyxl(wb, tracker)
    assert len(action_ids(tracker)) == 3


# -- fault 12: every check that can refuse, before anything is written --------------------------------------


def test_chronology_request_with_the_register_open_in_excel_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path, cases=[good_case(REF, agencies_involved="Police\nHealth\nSchool",
                                                     rr_meeting_date=None, rr_decision_date=None, rr_outcome=None,
                                                     status="Rapid Review in progress")])
    main(["validate", str(root / "register.xlsx")])  # makes the case's folders
    (root / "~$register.xlsx").write_bytes(b"locked by Excel")
    capsys.readouterr()
    before = snapshot(root)
    err = refused(capsys, main(["chronology", "request", str(root / "register.xlsx"), "--case", REF, "--today", TODAY]))
    assert "open in Excel" in err
    assert snapshot(root) == before


def test_tracker_register_with_the_register_open_in_excel_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path, actions=[action("A1", **DONE), action("A2", **DONE)])
    (root / "~$register.xlsx").write_bytes(b"locked by Excel")
    before = snapshot(root)
    err = refused(capsys, main(["tracker", str(root / "tracker.xlsx"), "--register", str(root / "register.xlsx"),
                                "--today", TODAY]))
    assert "register.xlsx is open in Excel" in err
    assert snapshot(root) == before  # neither the tracker nor the LIG paper


# -- fault 9: tracebacks that are now one line ---------------------------------------------------------------


@pytest.mark.parametrize("out", ["tracker.xlsx", "register.xlsx"])
def test_tracker_out_naming_a_file_is_refused_before_the_tracker_is_touched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str) -> None:
    root = working_folder(tmp_path, actions=[action("A1")])
    before = snapshot(root)
    assert "is a file, not a folder" in refused(capsys, main(["tracker", str(root / "tracker.xlsx"), "--out",
                                                              str(root / out), "--today", TODAY]))
    assert snapshot(root) == before


def test_papers_out_naming_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path)
    before = snapshot(root)
    err = refused(capsys, main(["papers", str(root / "register.xlsx"), "--case", REF, "--pack", "referral",
                                "--out", str(root / "register.xlsx"), "--today", TODAY]))
    assert "is a file, not a folder" in err
    assert snapshot(root) == before


def test_the_tracker_command_given_the_register_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path, actions=[action("A1")])
    before = snapshot(root)
    err = refused(capsys, main(["tracker", str(root / "register.xlsx"), "--today", TODAY]))
    assert f"is {REGISTER}, not {TRACKER}" in err and "caseforms tracker tracker.xlsx" in err
    err = refused(capsys, main(["tracker", str(root / "tracker.xlsx"), "--register", str(root / "tracker.xlsx")]))
    assert f"is {TRACKER}, not {REGISTER}" in err
    assert snapshot(root) == before


def test_a_read_only_register_or_folder_is_refused_with_nothing_changed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path)
    register = root / "register.xlsx"
    register.chmod(0o444)
    before = snapshot(root)
    assert "read-only" in refused(capsys, main(["validate", str(register), "--annotate", "--today", TODAY]))
    assert snapshot(root) == before
    register.chmod(0o644)
    root.chmod(0o555)
    try:
        assert "read-only" in refused(capsys, main(["validate", str(register), "--annotate", "--today", TODAY]))
        assert "read-only" in refused(capsys, main(["deadlines", str(register), "--ics", str(root / "d.ics")]))
        assert snapshot(root) == before
    finally:
        root.chmod(0o755)


def _file_size_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_disk_full_while_writing_the_backup_leaves_no_half_backup_and_changes_nothing(tmp_path: Path) -> None:
    from caseforms.register.ics import CalendarEvent, calendar_text

    root = working_folder(tmp_path)
    ics = root / "deadlines.ics"
    # Last month's calendar, with many more events than today's: the backup is the largest thing written.
    ics.write_text(calendar_text([CalendarEvent(f"e{i}@caseforms", D("2025-01-01"), f"Case {i}: a deadline " * 8)
                                  for i in range(2000)]), newline="")
    before = snapshot(root)
    process = caseforms("deadlines", str(root / "register.xlsx"), "--ics", str(ics), "--today", TODAY,
                        preexec_fn=lambda: _file_size_limit(ics.stat().st_size // 2))
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    assert err.startswith("caseforms: ") and "backup" in err and "Traceback" not in err
    assert snapshot(root) == before  # the calendar as it was, and no half-written backup


def test_a_disk_without_room_for_the_file_and_its_backup_is_refused_before_writing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from caseforms.io import safe_write

    root = working_folder(tmp_path)
    before = snapshot(root)
    # The room kept free beyond the file and its backup, raised above what this disk really has free.
    # (far above: other programs free and fill the disk meanwhile)
    monkeypatch.setattr(safe_write, "ROOM_MARGIN", shutil.disk_usage(root).free + 10 * 1024 ** 3)
    err = refused(capsys, main(["validate", str(root / "register.xlsx"), "--annotate", "--today", TODAY]))
    assert "nearly full" in err and "Free some space" in err
    assert snapshot(root) == before


def test_a_file_name_too_long_for_the_disk_gets_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agency = "Thornbury and District Community Health and Wellbeing Partnership " * 3
    agency = agency[:199]
    root = working_folder(tmp_path, cases=[good_case(REF, agencies_involved=agency, rr_meeting_date=None,
                                                     rr_decision_date=None, rr_outcome=None)])
    code = main(["chronology", "request", str(root / "register.xlsx"), "--case", REF, "--agency", agency,
                 "--today", TODAY])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:  # unless the names are shortened to fit first
        assert "too long" in err and not (root / "cases" / REF / "requests").exists()
    path = tmp_path / ("x" * 300 + ".ics")
    with pytest.raises(WorkbookError, match="too long for this disk"):
        write_atomically(path, lambda tmp: tmp.write_text("BEGIN:VCALENDAR"))


# -- fault 13: the smaller ones --------------------------------------------------------------------------------


_KILLED_WRITE = """
import sys, time
from pathlib import Path
from caseforms.io.safe_write import write_atomically

def write(tmp):
    with open(tmp, "w") as f:
        f.write("BEGIN:VCALENDAR half written")
        f.flush()
        print("writing", flush=True)
        time.sleep(120)

write_atomically(Path(sys.argv[1]), write)
"""


def test_a_killed_write_leaves_its_hidden_copy_only_until_the_next_run(tmp_path: Path) -> None:
    root = working_folder(tmp_path)
    ics = root / "deadlines.ics"
    process = subprocess.Popen([sys.executable, "-c", _KILLED_WRITE, str(ics)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "writing\n"
    process.send_signal(signal.SIGKILL)
    process.wait()
    (root / ".register.caseforms-4242.tmp.xlsx").write_bytes(b"left by an older caseforms, killed")
    hidden = sorted(p.name for p in root.iterdir() if p.name.startswith(".") and ".tmp" in p.name)
    assert len(hidden) == 2 and not ics.exists()
    assert main(["deadlines", str(root / "register.xlsx"), "--ics", str(ics), "--today", TODAY]) == 0
    assert identify(ics) == CALENDAR
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # no temporary file, no lock file


@pytest.mark.parametrize(("name", "lock", "program"), [
    ("Report.docx", "~$Report.docx", "Word"),
    ("Report.docx", "~$port.docx", "Word"),
    ("Rapid Review report.docx", "~$pid Review report.docx", "Word"),
    ("Minutes.docx", "~$inutes.docx", "Word"),
    ("register.xlsx", "~$register.xlsx", "Excel"),
    ("register.xlsx", ".~lock.register.xlsx#", "LibreOffice"),
])
def test_the_lock_file_of_the_program_holding_a_file_open_is_named_as_it_is(
        tmp_path: Path, name: str, lock: str, program: str) -> None:
    target = tmp_path / name
    target.write_bytes(b"")
    (tmp_path / lock).write_bytes(b"owner")
    with pytest.raises(WorkbookError) as raised:
        write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    assert f"open in {program}" in str(raised.value) and f"delete the hidden file '{lock}'" in str(raised.value)
    assert target.read_bytes() == b""


def test_the_officers_own_set_up_excel_file_is_left_as_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path)
    own = root / "Set up Excel.cmd"
    own.write_text("@echo off\r\nrem Our IT's own start-up: maps S: first\r\nnet use S: \\\\server\\reviews\r\n")
    before = own.read_bytes()
    assert main(["excel", str(root)]) == 1  # done, with a problem to report
    assert own.read_bytes() == before
    assert "'Set up Excel.cmd' is not caseforms' own" in capsys.readouterr().out
    assert "Connects the workbooks" in (root / "Set up Excel.command").read_text()
    assert main(["excel", str(root)]) == 1
    assert not (root / "backups").exists()  # caseforms' own files, written again the same: nothing to back up


def test_tracker_register_says_wrote_register_only_when_it_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path, actions=[action("A1", **DONE)])
    args = ["tracker", str(root / "tracker.xlsx"), "--register", str(root / "register.xlsx"), "--today", TODAY]
    assert main(args) == 0
    assert "Wrote register" in capsys.readouterr().out
    register = (root / "register.xlsx").read_bytes()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Wrote register" not in out and "already up to date" in out
    assert (root / "register.xlsx").read_bytes() == register


def test_tracker_out_at_a_file_or_refreshing_a_read_only_tracker_gives_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = working_folder(tmp_path, actions=[action("A1")])
    tracker = root / "tracker.xlsx"
    tracker.chmod(0o444)
    before = snapshot(root)
    assert "read-only" in refused(capsys, main(["tracker", str(tracker), "--today", TODAY]))
    assert snapshot(root) == before
    assert os.access(tracker, os.R_OK)
