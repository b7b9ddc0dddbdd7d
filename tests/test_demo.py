"""`caseforms demo`: the folder it builds, every promised file opened and read back, and what it refuses."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from caseforms.cli import main
from caseforms.demo import data
from caseforms.demo.build import DemoFolder, build_demo
from caseforms.papers.fields import PACKS, PAPERS
from caseforms.register.nhs import is_valid, normalise
from papers_fixtures import all_text

# A Monday, so the working-day offsets are easy to check by eye.
TODAY = date(2025, 3, 3)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFolder:
    return build_demo(tmp_path_factory.mktemp("demo") / "caseforms demo", TODAY)


def _workbook(path: Path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    return load_workbook(path)


def test_the_folder_is_laid_out_as_init_lays_one_out(demo: DemoFolder) -> None:
    folder = demo.folder
    assert (folder / "register.xlsx").is_file() and (folder / "tracker.xlsx").is_file()
    assert (folder / data.MARKER).read_text(encoding="utf-8").startswith("THIS FOLDER IS A DEMONSTRATION")
    assert set(demo.refs) == set(data.CASES)
    for ref in demo.refs.values():
        for sub in ("returns", "papers"):
            assert (folder / "cases" / ref / sub).is_dir()
    assert not (folder / "backups").exists(), "the demo's own intermediate copies are not left behind"
    assert all(m.path.is_file() for m in demo.made), [m.path for m in demo.made if not m.path.is_file()]


def test_the_register_has_every_stage_the_checks_sheet_and_the_mistakes(demo: DemoFolder) -> None:
    wb = _workbook(demo.register)
    assert {"Cases", "People", "Agencies", "Meetings", "Checks", "Returns log"} <= set(wb.sheetnames)
    assert "Cases" in wb["Cases"].tables
    statuses = [row[1] for row in wb["Cases"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert statuses[:5] == ["Decision pending", "Rapid Review in progress", "LCSPR in progress", "Closed",
                            "Notified to the Secretary of State and Ofsted (information only)"]
    # Then last year's cases, for the annual report: closed, not notified, published, actions open.
    assert statuses[5:] == ["Closed", "Not notified: learning review", "Closed", "LCSPR published", "Actions open",
                            "LCSPR published"]
    checks = "\n".join(str(c) for row in wb["Checks"].iter_rows(values_only=True) for c in row if c)
    # The three mistakes left in on purpose, each found.
    assert "wrong check digit" in checks
    assert "is before 'Date LA became aware'" in checks
    assert "'tom.reyes@millbrook-council,example.org' is not an e-mail address: it has a comma" in checks
    assert demo.counts["error"] >= 3


def test_deadlines_show_met_due_soon_upcoming_and_overdue(demo: DemoFolder) -> None:
    from caseforms.deadlines import timetable
    from caseforms.errors import EventError
    from caseforms.io.register_xlsx import read_register

    reg = read_register(demo.register)
    statuses: set[str] = set()
    for case in reg.cases:
        try:
            statuses |= {due.status for due in timetable(demo.profile, case.events(reg.schema), TODAY,
                                                         flags=case.flags(reg.schema))}
        except EventError:  # the closed case's mistake: notified before aware
            assert case.ref == demo.refs["closed"]
    assert {"met", "due soon", "upcoming", "overdue"} <= statuses


def test_the_returns_arrive_as_agencies_send_them_and_the_master_flags_their_mistakes(demo: DemoFolder) -> None:
    rr = demo.case_folder("rapid_review")
    returns = sorted(p.name for p in (rr / "returns").iterdir())
    assert any(name.endswith(" - completed.xlsx") for name in returns), "a request workbook filled in"
    assert "Housing return.csv" in returns and "Police chronology (Niche export).xlsx" in returns
    csv = (rr / "returns" / "Housing return.csv").read_bytes()
    assert b"\r\n" in csv and "£".encode("cp1252") in csv, "Excel's CSV on Windows: cp1252, CRLF"

    from caseforms.io.master_read import read_master_chronology

    rows = read_master_chronology(rr / "Master chronology.xlsx")
    assert len(rows) == demo.master_entries >= 20
    wb = _workbook(rr / "Master chronology.xlsx")
    assert wb.worksheets[0].tables, "the master's entries are a real Excel table"
    findings = "\n".join(str(c) for row in wb["Findings"].iter_rows(values_only=True) for c in row if c)
    assert "is not a real date" in findings and "No date" in findings
    assert "names case reference" in findings, "the misfiled school return is left out and said so"
    assert not any("Ruby" in (r.details or "") for r in rows), "another child's entries are never merged"


def test_every_pack_is_made_and_every_document_opens_with_nothing_left_unfilled(demo: DemoFolder) -> None:
    made = {pack for key in demo.refs for pack in PACKS if any(
        m.path.name.startswith(f"{demo.refs[key]} {pack} pack") for m in demo.made)}
    singles = {PAPERS[name].title for name in PAPERS} & {m.what for m in demo.made}
    assert {p for p in PACKS if len(PACKS[p]) > 1} <= made
    assert {PAPERS[p[0]].title for p in PACKS.values() if len(p) == 1} <= singles
    documents = [m.path for m in demo.made if m.path.suffix == ".docx"]
    assert len(documents) >= 20
    for path in documents:
        text = all_text(path)
        assert not re.search(r"\{\{|\}\}|\{%|%\}", text), f"template code left in {path.name}"
    report = next(p for p in documents if p.parent == demo.case_folder("rapid_review") / "papers"
                  and "Rapid Review report" in p.name)
    assert "Maya Thornton" in all_text(report) and "Strategy discussion" in all_text(report)


def test_papers_from_the_register_and_tracker_read_once_are_those_each_read_makes(demo: DemoFolder,
                                                                                  tmp_path: Path) -> None:
    # The demo reads the register and the tracker once for its seventeen packs: a pack made again by itself, reading
    # both afresh, must be the same, part by part (the action plan comes from the tracker).
    import zipfile

    from caseforms import jobs

    again = jobs.make_papers(demo.register, demo.refs["lcspr"], "rapid-review-record", TODAY, out=tmp_path)
    assert again.actions > 0
    for name, path in again.papers:
        shown = next(m.path for m in demo.made if m.path.name == path.name)
        with zipfile.ZipFile(shown) as a, zipfile.ZipFile(path) as b:
            assert a.namelist() == b.namelist()
            for part in a.namelist():
                if part not in ("docProps/core.xml", "docProps/custom.xml"):  # the times each was written
                    assert a.read(part) == b.read(part), (name, part)


def test_the_request_emails_parse_and_go_to_invented_addresses(demo: DemoFolder) -> None:
    drafts = list((demo.case_folder("rapid_review") / "requests").glob("*.eml"))
    assert len(drafts) == 6
    for path in drafts:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert msg["Subject"] and demo.refs["rapid_review"] in msg["Subject"]
        assert str(msg["To"]).endswith(("example.org", ".invalid"))


def test_the_tracker_is_rated_in_every_brag_colour(demo: DemoFolder) -> None:
    wb = _workbook(demo.folder / "tracker.xlsx")
    ws = wb["Actions"]
    headers = [c.value for c in ws[1]]
    brag = {row[headers.index("BRAG")] for row in ws.iter_rows(min_row=2, values_only=True) if row[0]}
    assert {"Red", "Amber", "Green", "Blue"} <= brag
    assert "By agency" in wb.sheetnames
    papers = [m.path.name for m in demo.made if m.path.parent == demo.folder / "papers"]
    assert any(n.startswith("LIG tracker report") for n in papers)
    assert any(n.startswith("Executive escalations") for n in papers)


def test_only_test_range_nhs_numbers_and_no_childs_name_in_a_file_name(demo: DemoFolder) -> None:
    numbers = [p["nhs_number"] for p in data.PEOPLE if p.get("nhs_number")]
    assert numbers and all(normalise(n).startswith("999") for n in numbers)
    assert sum(not is_valid(n) for n in numbers) == 1, "one mistyped on purpose, the rest valid"
    names = {part for p in data.PEOPLE for part in str(p["name"]).split()}
    names -= {"Dr", "Mr", "Mrs"}
    for path in demo.folder.rglob("*"):
        assert not names & set(re.split(r"[\s.\-_()]+", path.name)), f"a name in {path}"


def test_a_folder_with_other_files_is_refused_and_left_as_it_was(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "S drive"
    folder.mkdir()
    (folder / "my notes.docx").write_bytes(b"the officer's own")
    assert main(["demo", str(folder), "--today", "03/03/2025"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["my notes.docx"]


def test_an_earlier_demo_is_replaced_only_with_force_and_only_while_unchanged(
    demo: DemoFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(demo.folder, folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    assert main(["demo", str(folder), "--today", "03/03/2025"]) == 2
    assert "--force" in capsys.readouterr().err
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before, "nothing lost when refused"

    changed = folder / "register.xlsx"
    changed.write_bytes(changed.read_bytes() + b"\0")
    own = folder / "cases" / demo.refs["lcspr"] / "papers" / "my draft.docx"
    own.write_bytes(b"the officer's own")
    assert main(["demo", str(folder), "--force", "--today", "03/03/2025"]) == 2
    err = capsys.readouterr().err
    assert "register.xlsx" in err and "my draft.docx" in err and "Nothing was removed" in err
    assert own.read_bytes() == b"the officer's own" and changed.is_file()


def test_replacing_an_unchanged_earlier_demo_removes_only_its_files(demo: DemoFolder, tmp_path: Path) -> None:
    import shutil

    from caseforms.demo.build import prepare_folder

    folder = tmp_path / "unchanged"
    shutil.copytree(demo.folder, folder)
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert prepare_folder(folder, force=True) == len(files) - 1  # all but the marker, which goes too
    assert not any(folder.iterdir())


def test_the_command_prints_the_tree_what_to_open_first_and_the_commands(
    demo: DemoFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from caseforms.cli.demo import _print

    _print(demo, argparse.Namespace(today="03/03/2025"), None)
    out = capsys.readouterr().out
    assert "fictional" in out and "'kent' profile" in out
    from caseforms.demo import data

    for key, ref in demo.refs.items():
        # Last year's cases share one line, with the command that counts them.
        assert (ref in out) if key in data.YEAR_CASES else (f"{ref}/" in out)
    assert "caseforms report" in out and "--year 2024" in out
    assert "Open first:" in out and "rapid-review-meeting pack" in out and "Master chronology.xlsx" in out
    assert "imrs/" in out and "IMR request for each of 4 agencies" in out
    assert "caseforms papers" in out and "caseforms chronology merge" in out and "--today 03/03/2025" in out


#: What no officer, auditor or Panel member should read: a seed's internal file name
#: (000_44eed6501ae43eb6.txt and the others), the domain notes' name, or an internal issue number.
INTERNAL_NAME = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?|DOMAIN\.md|\bissue \d+\b")


def _every_text(path: Path) -> str:
    """Return everything a file says: each part of a workbook or Word document, or the file's text."""
    import zipfile

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def test_no_output_of_the_demo_cites_an_internal_file_name(
    demo: DemoFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from caseforms.cli.demo import _print

    found = [f"{p.relative_to(demo.folder)}: {m.group(0)}" for p in sorted(demo.folder.rglob("*")) if p.is_file()
             for m in INTERNAL_NAME.finditer(_every_text(p))]
    assert not found, found[:10]

    register = str(demo.register)
    _print(demo, argparse.Namespace(today="03/03/2025"), None)
    for command in (
        ["deadlines", register, "--today", "03/03/2025", "--ics", str(tmp_path / "deadlines.ics")],
        ["deadlines", register, "--today", "03/03/2025", "--json"],
        ["deadlines", "--profile", "kent", "--event", "aware=20/02/2025", "--event", "notified=24/02/2025"],
        ["deadlines", "--profile", "lincolnshire", "--event", "notified=24/02/2025", "--json"],
        ["validate", register, "--today", "03/03/2025"],
        ["validate", register, "--today", "03/03/2025", "--json"],
        ["profiles"],
        ["profiles", "--json"],
        ["templates", "fields"],
        ["chronology", "status", register, "--case", demo.refs["rapid_review"], "--today", "03/03/2025"],
    ):
        main(command)
    printed = capsys.readouterr().out + (tmp_path / "deadlines.ics").read_text("utf-8")
    assert "Working Together to Safeguard Children 2023" in printed
    assert "Kent Safeguarding Children Multi-Agency Partnership, Practice Improvement Framework" in printed
    assert not INTERNAL_NAME.search(printed), INTERNAL_NAME.findall(printed)[:5]


def _workbooks_of(demo: DemoFolder) -> list[Path]:
    """Return one workbook of each kind the demo made: register, tracker, master, request, a completed request."""
    rr = demo.case_folder("rapid_review")
    return [demo.register, demo.folder / "tracker.xlsx", rr / "Master chronology.xlsx",
            next((rr / "requests").glob("*.xlsx")), next((rr / "returns").glob("* - completed.xlsx"))]


def test_every_sheet_of_every_workbook_prints_fitted_marked_and_numbered(demo: DemoFolder) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    for path in _workbooks_of(demo):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            where = f"{path.name}: {ws.title}"
            assert ws.page_setup.orientation in ("landscape", "portrait"), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert ws.page_setup.fitToHeight == 0 and 1 <= int(ws.page_setup.fitToWidth or 1) <= 3, where
            assert int(ws.page_setup.paperSize) in (8, 9), where  # A3 or A4
            assert "OFFICIAL-SENSITIVE" in (ws.oddHeader.left.text or ""), where
            assert ws.oddFooter.right.text == "Page &P of &N", where
            assert ws.page_margins.left <= 0.5, where
            if ws.title not in ("Instructions", "caseforms", "Summary"):
                assert ws.print_title_rows, f"{where}: its headings are not repeated on every page"
    register = load_workbook(demo.register)
    cases = register["Cases"]
    assert cases.page_setup.orientation == "landscape" and cases.print_title_cols == "$A:$A"
    # The print area ends at the last case, not at the 300th row of formulas.
    assert cases.print_area.endswith(f"${len(demo.refs) + 1}"), cases.print_area
    last_printed = cases.print_area.split(":")[-1].strip("$").rstrip("0123456789").strip("$")
    assert cases.cell(row=1, column=column_index_from_string(last_printed)).value == "Notes"
    headers = [c.value for c in cases[1]]
    date_of_incident = cases.column_dimensions[cases.cell(row=1, column=headers.index("Date of incident") + 1).column_letter]
    assert date_of_incident.width >= 16, "a date with its time shows as ### in a narrower column"
    checks = register["Checks"]
    assert all(checks.row_dimensions[r].height and checks.row_dimensions[r].height >= 17 for r in range(5, checks.max_row + 1))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_register_prints_its_cases_on_three_landscape_pages_with_headings_and_no_hashes(
    demo: DemoFolder, tmp_path: Path
) -> None:
    import subprocess

    copy = tmp_path / "register.xlsx"
    shutil.copy(demo.register, copy)
    subprocess.run([str(shutil.which("soffice")), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(copy)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "register.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout if shutil.which("pdftotext") else ""
    if not text:
        pytest.skip("pdftotext is not installed")
    pages = text.split("\f")
    cases = [p for p in pages if "register.xlsx: Cases" in p]
    assert 1 <= len(cases) <= 3, len(cases)
    assert all("Case reference" in p and "OFFICIAL-SENSITIVE" in p for p in cases), "headings on every page"
    assert "###" not in text
    # Eleven cases with their people and meetings (last year's six for the annual report among them), and the Glossary.
    assert len(pages) < 48, f"{len(pages)} pages: the empty rows of formulas are printed"


def test_the_demo_goes_to_the_officers_documents_not_the_current_folder(tmp_path: Path) -> None:
    from caseforms.demo.build import default_folder

    assert default_folder(tmp_path) == tmp_path / "caseforms demo"
    (tmp_path / "Documents").mkdir()
    assert default_folder(tmp_path) == tmp_path / "Documents" / "caseforms demo"
    ignored = (Path(__file__).parents[1] / ".gitignore").read_text("utf-8").splitlines()
    assert "caseforms demo/" in ignored, "a demo made inside a checkout is never committed"
def test_the_lcspr_shows_its_lifecycle_in_progress_with_publication_to_come(demo: DemoFolder) -> None:
    from caseforms.io.register_xlsx import profile_for, read_register
    from caseforms.lcspr.lifecycle import DONE, lifecycle
    from caseforms.papers.from_register import case_file
    from caseforms.register.pathway import case_state

    reg = read_register(demo.register)
    ref = demo.refs["lcspr"]
    case = reg.case(ref)
    assert case is not None
    # Decided at the Rapid Review meeting, before the report went to the Panel: accepted, not refused.
    assert case["lcspr_decision_date"] == case["rr_meeting_date"] < case["rr_decision_date"]
    assert case_state(case, reg.schema).status == "LCSPR in progress"
    steps = {s.name: s for s in lifecycle(case_file(reg, ref), profile_for(reg), TODAY)}
    assert steps["LCSPR decided"].said.endswith("at the Rapid Review meeting")
    for done in ("Reviewer commissioned", "Conflicts of interest declared", "Confidentiality agreement signed",
                 "Reviewer's name sent to the National Panel", "Agency IMRs", "Practitioner events"):
        assert steps[done].state == DONE, steps[done]
    assert steps["Agency IMRs"].said == "4 of 4 received"
    for to_come in ("Executive sign-off", "Published", "Full report to the National Panel (7 working days before "
                                                      "publication)"):
        assert steps[to_come].state != DONE, steps[to_come]
    # Its IMR requests were written, one pack per agency, and the papers of the review to publication made.
    imrs = list((demo.case_folder("lcspr") / "imrs").glob("*.eml"))
    assert len(imrs) == 4
    papers = {m.what for m in demo.made if m.path.parent == demo.case_folder("lcspr") / "papers"}
    assert {"LCSPR review panel agenda", "LCSPR final report", "LCSPR publication sign-off",
            "Letter to the National Panel enclosing the LCSPR report", "Reply to the National Panel"} <= papers


def test_the_care_leavers_death_is_notified_for_information_only(demo: DemoFolder) -> None:
    folder = demo.case_folder("care_leaver") / "papers"
    sheet = next(folder.glob("*Notification to the Secretary of State and Ofsted*.docx"))
    text = all_text(sheet)
    assert "The death of a care leaver under 25" in text and "For information only" in text
    from caseforms.jobs import check_register

    ref = demo.refs["care_leaver"]
    found = [f for f in check_register(demo.register, TODAY).findings if ref in f.message]
    assert found == [], "24 is not 'not a child' for a care leaver, and nothing else is asked of an information-only case"
