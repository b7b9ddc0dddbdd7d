"""One folder per case, whatever the reference: never shared, always one Windows can make.

Issue 16 ("Safe with hostile and accidental input", fault 4): DEMO-2026-014 and DEMO/2026/014, two
different children, shared cases/DEMO-2026-014, so one child's papers were filled from the other
child's master chronology and replaced its papers, and `validate` said nothing. Fault 9: a
274-character case reference or a 199-character agency name ended in "File name too long".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from caseforms import excel
from caseforms.cli import main
from caseforms.register.folders import (
    FILE_STEM_LIMIT,
    FOLDER_NAME_LIMIT,
    case_folder,
    folder_name,
    safe_name,
    shared_folders,
)
from excel_fixtures import messages, open_in_excel
from papers_fixtures import write_master_chronology
from register_fixtures import good_case, good_child, write_register

DASHES, SLASHES = "DEMO-2026-014", "DEMO/2026/014"


def two_children(root: Path) -> Path:
    """A working folder whose register has two cases, references differing only by punctuation; one has papers."""
    (root / "cases").mkdir(parents=True)
    register = write_register(
        root / "register.xlsx", "national",
        cases=[good_case(DASHES, agencies_involved="Police"), good_case(SLASHES, agencies_involved="Police")],
        people=[good_child(DASHES, name="Ada Test"), good_child(SLASHES, name="Bea Other")],
        agencies=[{"agency": "Police", "spoc_name": "DS Omar Reed", "email": "omar.reed@police.example"}],
    )
    folder = case_folder(root, DASHES)
    write_master_chronology(folder / "Master chronology.xlsx")
    (folder / "papers").mkdir(parents=True)
    (folder / "papers" / f"{DASHES} Decision 2025-03-04.docx").write_bytes(b"Ada's decision paper")
    return register


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- references that would share a folder ----------------------------------------------------------


def test_validate_reports_references_that_would_share_a_folder_naming_both_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = two_children(tmp_path)
    assert main(["validate", str(register), "--json", "--today", "01/06/2025"]) == 1
    shared = [i for i in json.loads(capsys.readouterr().out)["findings"] if i["code"] == "SHARED_CASE_FOLDER"]
    assert len(shared) == 1 and shared[0]["severity"] == "error" and shared[0]["cell"] == "A3"
    assert f"'{SLASHES}' and '{DASHES}' on row 2" in shared[0]["message"]
    assert f"cases/{DASHES}" in shared[0]["message"]


def test_papers_for_a_case_whose_folder_another_child_has_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = two_children(tmp_path)
    before = files_under(tmp_path / "cases")
    for ref in (SLASHES, DASHES):
        assert main(["papers", str(register), "--case", ref, "--pack", "decision", "--today", "04/03/2025"]) == 2
        err = capsys.readouterr().err
        assert DASHES in err and SLASHES in err and "row 2" in err and "row 3" in err and "Traceback" not in err
    assert files_under(tmp_path / "cases") == before  # neither child's folder read into the other's papers


def test_chronology_request_and_status_refuse_a_folder_another_child_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = two_children(tmp_path)
    before = files_under(tmp_path / "cases")
    assert main(["chronology", "request", str(register), "--case", SLASHES, "--today", "06/03/2025"]) == 2
    assert "would share the folder" in capsys.readouterr().err
    assert main(["chronology", "status", str(register), "--case", SLASHES, "--today", "06/03/2025"]) == 2
    assert "would share the folder" in capsys.readouterr().err
    assert files_under(tmp_path / "cases") == before


def test_merging_from_excel_refuses_a_folder_another_child_has(tmp_path: Path) -> None:
    two_children(tmp_path)
    returns = case_folder(tmp_path, DASHES) / "returns"
    returns.mkdir()
    (returns / "Police.csv").write_text("Date,Details\n01/02/2025,Ada seen at home\n", encoding="utf-8")
    before = files_under(tmp_path / "cases")
    book = open_in_excel(tmp_path / "register.xlsx", "Cases", "A3")  # the row of DEMO/2026/014
    excel.run_action(book, "merge", date(2025, 6, 2))
    assert "would share the folder" in messages(book)[-1]
    assert files_under(tmp_path / "cases") == before


def test_the_same_reference_twice_is_a_duplicate_not_a_shared_folder() -> None:
    assert shared_folders([(DASHES, 2), (DASHES.lower(), 3)]) == []
    assert shared_folders([(DASHES, 2), (SLASHES, 3), ("DEMO:2026:014", 9), ("OTHER-1", 4)]) == [
        [(DASHES, 2), (SLASHES, 3), ("DEMO:2026:014", 9)]]


# -- names every system can hold -------------------------------------------------------------------


@pytest.mark.parametrize(("ref", "name"), [
    ("KSCMP/2025/3", "KSCMP-2025-3"),
    ("CON", "CON_"),
    ("nul", "nul_"),
    ("aux.2025", "aux_.2025"),
    ("COM1", "COM1_"),
    ("LPT9 ", "LPT9_"),
    ("SCP 2025 ..", "SCP 2025"),
    ("SCP-2025-001.", "SCP-2025-001"),
    ("CONTRACT-1", "CONTRACT-1"),
])
def test_a_case_folder_is_one_windows_can_make(ref: str, name: str) -> None:
    assert folder_name(ref) == name


def test_long_names_are_shortened_and_stay_unique() -> None:
    long_ref = "SCP-2025-" + "x" * 265
    assert len(long_ref) == 274
    other = long_ref[:-1] + "y"
    assert folder_name(long_ref) != folder_name(other)
    assert folder_name(long_ref) == folder_name(long_ref)  # the same folder, run after run
    assert len(folder_name(long_ref).encode()) <= FOLDER_NAME_LIMIT and folder_name(long_ref).startswith("SCP-2025-xxx")
    welsh = "Asiantaeth Ddiogelu Plant Gŵyr a Chwmwd " * 5 + "ŵ"
    assert len(safe_name(welsh).encode()) <= FILE_STEM_LIMIT and safe_name(welsh) != safe_name(welsh[:-1] + "w")


def test_a_274_character_reference_and_199_character_agencies_get_requests_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = "SCP-2025-" + "x" * 265
    agencies = ["Thornbury " + "Safeguarding Partnership " * 7 + "Police", "Thornbury " + "Safeguarding Partnership " * 7 + "Health"]
    assert [len(a) for a in agencies] == [191, 191]
    agencies = [a + "." * 8 for a in agencies]  # 199 characters, ending in dots Windows would drop
    (tmp_path / "cases").mkdir()
    register = write_register(
        tmp_path / "register.xlsx", "national",
        cases=[good_case(ref, agencies_involved="\n".join(agencies), scope_from=date(2024, 6, 1), scope_to=date(2025, 3, 1))],
        people=[good_child(ref)],
        agencies=[{"agency": a, "spoc_name": "Jo Marsh", "email": "jo.marsh@council.example"} for a in agencies],
    )
    assert main(["chronology", "request", str(register), "--case", ref, "--today", "06/03/2025"]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
    requests = case_folder(tmp_path, ref) / "requests"
    written = sorted(p.name for p in requests.iterdir())
    assert len(written) == 6 and len({n.split(" - letter")[0].rsplit(".", 1)[0] for n in written}) == 2
    assert all(len(n.encode()) <= 255 and not n.rsplit(".", 1)[0].endswith((".", " ")) for n in written)
    assert len(str(requests.relative_to(tmp_path))) + max(len(n) for n in written) < 160
