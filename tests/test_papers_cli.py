"""`caseforms templates fields` and `caseforms templates check` as an officer runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from caseforms.cli import main
from caseforms.papers.fields import every_paper
from caseforms.resources import templates_dir

FILES = Path(__file__).parent / "files" / "templates"


def test_fields_lists_every_paper_and_what_each_field_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "fields", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["paper"] for p in listed] == list(every_paper())  # the case papers, then the tracker's
    referral = next(p for p in listed if p["paper"] == "referral")
    holds = {f["field"]: f["holds"] for f in referral["fields"]}
    assert holds["child.date_of_birth"].startswith("the first (or only) child: date of birth")


def test_fields_for_one_paper_keeps_square_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "fields", "--paper", "rr_agenda"]) == 0
    out = capsys.readouterr().out
    assert "meeting.agenda[].title" in out
    assert "profile [bodies] partnership" in out


def test_fields_for_an_unknown_paper_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "fields", "--paper", "referal"]) == 2
    assert "Papers: referral, decision" in capsys.readouterr().err


def test_check_passes_the_shipped_templates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "check", str(templates_dir())]) == 0
    assert f"{len(every_paper())} template(s) checked" in capsys.readouterr().out


def test_check_finds_misspelt_fields_and_syntax_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for f in FILES.glob("*.docx"):
        shutil.copy(f, tmp_path / f.name)
    assert main(["templates", "check", str(tmp_path), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    by_field = {p["field"]: p for p in problems}
    assert by_field["c.dob"]["suggestion"] == "c.date_of_birth"
    assert by_field["c.dob"]["line"] == 22
    assert by_field["refferal.reason"]["suggestion"] == "referral.reason"
    assert any(p["template"] == "for_loop_never_closed.docx" and "syntax" in p["message"] for p in problems)


def test_check_of_a_missing_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "check", str(tmp_path / "nowhere")]) == 2
    assert "neither a folder nor a .docx" in capsys.readouterr().err
