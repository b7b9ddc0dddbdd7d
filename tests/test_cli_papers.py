"""`caseforms papers REGISTER --case REF --pack NAME` as an officer runs it: real files, read back."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from caseforms.cli import main
from caseforms.io import docx_render
from caseforms.papers.fields import PACKS, PAPERS
from papers_fixtures import ACTIONS, AGENCY, CHILD, FULL, PARTNER, SIBLING, SPARSE, all_text, write_partnership_folder

TEMPLATE_FILES = Path(__file__).parent / "files" / "templates"
TODAY = "10/02/2025"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_partnership_folder(tmp_path_factory.mktemp("partnership")).parent


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["papers", *args, "--today", TODAY, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("pack", list(PACKS))
def test_every_pack_of_the_full_case_carries_the_registers_values(
    pack: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, str(folder / "register.xlsx"), "--case", FULL, "--pack", pack)
    papers_folder = folder / "cases" / FULL / "papers"
    assert Path(report["folder"]) == papers_folder
    paths = [Path(p["path"]) for p in report["papers"]]
    assert [p["paper"] for p in report["papers"]] == list(PACKS[pack])
    for name, path in zip(PACKS[pack], paths, strict=True):
        assert path.parent == papers_folder and path.is_file()
        assert path.name.startswith(f"{FULL} ") and path.name.endswith(" 2025-02-10.docx")
        assert "Zo" not in path.name and "Brien" not in path.name, "a file name never carries the child's name"
        text = all_text(path)
        assert not re.search(r"\{\{|\}\}|\{%|%\}", text), f"Jinja left in {path.name}"
        assert FULL in text and "OFFICIAL-SENSITIVE" in text
        if PAPERS[name].pseudonymous:  # for publication: the pseudonym only
            assert CHILD not in text, f"{path.name} is read as the published review is: no child's name"
        elif name != "agency_summaries":  # the agencies' own words only
            assert CHILD in text, f"the child's name, with its accent and apostrophe, is in {path.name}"
    if len(paths) > 1:
        pack_text = all_text(Path(report["pack_document"]))
        assert "Contents" in pack_text and all(PAPERS[name].title in pack_text for name in PACKS[pack])
    else:
        assert report["pack_document"] is None


def test_awkward_names_and_the_registers_words_reach_the_terms_of_reference(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, str(folder / "register.xlsx"), "--case", FULL, "--pack", "rapid-review-meeting")
    texts = {p["paper"]: all_text(Path(p["path"])) for p in report["papers"]}
    tor = texts["rr_terms_of_reference"]
    for value in (SIBLING, PARTNER, AGENCY, "1 March 2023 to 28 January 2025", "14 February 2025 at 09:00",
                  "DCI Priya Mehta", "Children's Social Care"):
        assert value in tor, value
    assert "Room 2, Civic Centre, Thornbury (and Teams)" in texts["rr_agenda"] and "10:00" in texts["rr_agenda"]
    chronology = texts["master_chronology"]
    assert "Call from neighbour: shouting & banging." in chronology and "March 2024" in chronology
    assert report["chronology_rows"] == 4 and report["master_chronology"].endswith("Master chronology.xlsx")


@pytest.mark.parametrize("pack", list(PACKS))
def test_a_sparse_case_gets_markers_never_blanks_and_each_says_where_to_fill_it_in(
    pack: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, str(folder / "register.xlsx"), "--case", SPARSE, "--pack", pack)
    missing = report["not_recorded"]
    assert missing, "a case just referred lacks most of what the papers ask for"
    for path in (Path(p["path"]) for p in report["papers"]):
        text = all_text(path)
        assert "[not recorded: " in text and "INSERT" not in text
        assert not re.search(r"\{\{|\{%", text)
    for item in missing:
        assert item["where"] and item["papers"]
        assert f"[not recorded: {item['label']}]" in "".join(all_text(Path(p["path"])) for p in report["papers"])


def test_the_referral_form_says_the_incident_location_is_not_recorded_and_where(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, str(folder / "register.xlsx"), "--case", SPARSE, "--pack", "referral")
    where = {m["label"]: m["where"] for m in report["not_recorded"]}
    assert re.fullmatch(r"Cases row 3, 'Incident location' \([A-Z]+3\)", where["location of the incident"])


def test_the_report_lists_what_is_missing_for_the_officer(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["papers", str(folder / "register.xlsx"), "--case", SPARSE, "--pack", "referral", "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert f"Papers for case {SPARSE} (referral pack, Partner referral)" in out
    assert "No master chronology yet" in out
    assert "Incident location" in out and "[not recorded: ...]" in out


def test_an_unknown_case_is_one_line_and_exit_2(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["papers", str(folder / "register.xlsx"), "--case", "TG-2025-04", "--pack", "referral"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "no case 'TG-2025-04'" in err and "TG-2025-004, TG-2025-009" in err


def _own_templates(tmp_path: Path, bad: str, as_paper: str) -> Path:
    """Write a working folder whose profile names a templates folder holding one bad template."""
    root = tmp_path / "work"
    write_partnership_folder(root, master=False)
    own = root / "our templates"
    own.mkdir()
    shutil.copy(TEMPLATE_FILES / bad, own / PAPERS[as_paper].template)
    (root / "thornbury.toml").write_text(
        '[profile]\nname = "thornbury"\ntitle = "Thornbury"\nextends = "kent"\ntemplates_dir = "our templates"\n',
        encoding="utf-8")
    return root


def test_a_template_with_a_jinja_syntax_error_names_template_and_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _own_templates(tmp_path, "for_loop_never_closed.docx", "rr_agenda")
    args = ["papers", str(root / "register.xlsx"), "--case", FULL, "--pack", "rapid-review-meeting",
            "--profile", str(root / "thornbury.toml")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "rapid_review_agenda.docx, line " in err and "syntax" in err and "Traceback" not in err
    assert not (root / "cases" / FULL / "papers").exists() or not any((root / "cases" / FULL / "papers").iterdir())


def test_another_partnerships_template_with_unknown_fields_names_each_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _own_templates(tmp_path, "misspelt_fields_from_another_partnership.docx", "referral")
    args = ["papers", str(root / "register.xlsx"), "--case", FULL, "--pack", "referral",
            "--profile", str(root / "thornbury.toml")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "partner_referral.docx, line 22" in err and "c.dob" in err and "Did you mean 'c.date_of_birth'?" in err


def test_pdf_without_libreoffice_says_how_to_install_it(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docx_render, "find_soffice", lambda: None)
    out = folder / "no-pdf"
    args = ["papers", str(folder / "register.xlsx"), "--case", FULL, "--pack", "referral", "--pdf", "--out", str(out)]
    assert main(args) == 2
    assert "libreoffice.org/download" in capsys.readouterr().err


@pytest.mark.libreoffice
@pytest.mark.skipif(docx_render.find_soffice() is None, reason="LibreOffice is not installed")
def test_pdf_of_a_pack_with_libreoffice(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, str(folder / "register.xlsx"), "--case", FULL, "--pack", "submission", "--pdf",
                      "--out", str(folder / "pdf"))
    pdf = Path(report["pdf"])
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stem == Path(report["pack_document"]).stem


def test_the_action_plan_takes_this_cases_actions_from_the_tracker_beside_the_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseforms.io.tracker_xlsx import build_workbook
    from caseforms.profile import load_profile
    from caseforms.register.reading import column_letter
    from caseforms.tracker.schema import ACTIONS as ACTIONS_SHEET
    from caseforms.tracker.schema import tracker_schema

    root = tmp_path / "work"
    write_partnership_folder(root, master=False)
    profile = load_profile("kent")
    wb = build_workbook(profile, "kent")
    letters = {c.key: column_letter(i) for i, c in enumerate(tracker_schema(profile).sheet(ACTIONS_SHEET).columns)}
    for r, action in enumerate(ACTIONS, start=2):
        for key, value in action.items():
            wb[ACTIONS_SHEET][f"{letters[key]}{r}"] = value
    wb.save(root / "tracker.xlsx")
    report = run_json(capsys, str(root / "register.xlsx"), "--case", FULL, "--pack", "rapid-review-report")
    assert report["actions"] == 1 and report["tracker"] == str(root / "tracker.xlsx")
    plan = all_text(Path(report["papers"][1]["path"]))
    assert "Add a 'new adults' prompt to CP visit records" in plan and "30/04/2025" in plan
    assert "Not in the RR plan" not in plan and "Another case's action" not in plan
