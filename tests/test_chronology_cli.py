"""`caseforms chronology merge` as an officer and a script run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from caseforms.cli import build_parser, main

FILES = Path(__file__).parent / "files" / "returns"


def test_json_has_rows_and_issues_with_their_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "Master chronology.xlsx"
    code = main(["chronology", "merge", str(FILES), "--output", str(out), "--case", "KSCMP-2025-003",
                 "--scope-from", "01/06/2024", "--scope-to", "31/03/2025", "--json"])
    assert code == 0 and out.exists()
    result = json.loads(capsys.readouterr().out)
    assert result["rows_merged"] == result["rows_read"] - 1
    assert result["rows_merged"] == openpyxl.load_workbook(out)["Chronology"].max_row - 1
    for issue in result["issues"]:
        assert set(issue) >= {"file", "sheet", "row", "column", "severity", "message"}
    assert {"file": "dates_as_text_uk_order.xlsx", "sheet": "Chronology", "row": 7, "column": "Date",
            "severity": "error"}.items() <= next(i for i in result["issues"] if i["row"] == 7).items()


def test_report_on_the_terminal_lists_what_to_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["chronology", "merge", str(FILES / "dates_as_text_uk_order.xlsx"), str(FILES / "corrupt_zip.xlsx"),
                 "-o", str(tmp_path / "master.xlsx")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Master chronology written" in out and "8 entries" in out
    assert "corrupt_zip.xlsx" in out and "31/02/2025" in out
    assert "Reading" not in out  # no progress bar when stdout is not a terminal


def test_nothing_to_merge_writes_nothing_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "master.xlsx"
    code = main(["chronology", "merge", str(FILES / "corrupt_zip.xlsx"), str(FILES / "password_protected.xlsx"),
                 "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "Nothing to merge" in err and "password_protected.xlsx" in err


def test_bad_options_are_one_line_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ret = str(FILES / "title_block_above_table.xlsx")
    assert main(["chronology", "merge", ret, "-o", str(tmp_path / "m.xlsx"), "--scope-from", "01/04/2025",
                 "--scope-to", "01/03/2025"]) == 2
    assert "before --scope-from" in capsys.readouterr().err
    assert main(["chronology", "merge", ret, "-o", str(tmp_path / "m.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert main(["chronology", "merge", ret, "-o", str(tmp_path / "m.xlsx"), "--scope-from", "02/13/2025"]) == 2
    assert "US date" in capsys.readouterr().err


def test_master_open_in_excel_is_refused_and_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "master.xlsx"
    assert main(["chronology", "merge", str(FILES / "title_block_above_table.xlsx"), "-o", str(out)]) == 0
    (tmp_path / "~$master.xlsx").write_bytes(b"lock")
    before = out.read_bytes()
    assert main(["chronology", "merge", str(FILES / "title_block_above_table.xlsx"), "-o", str(out)]) == 2
    assert "open in Excel" in capsys.readouterr().err and out.read_bytes() == before


def test_the_output_inside_the_returns_folder_is_not_merged_on_the_next_run(tmp_path: Path) -> None:
    shutil.copy(FILES / "title_block_above_table.xlsx", tmp_path / "police.xlsx")
    out = tmp_path / "Master.xlsx"
    for _ in range(2):
        assert main(["chronology", "merge", str(tmp_path), "-o", str(out), "--json"]) == 0
    assert openpyxl.load_workbook(out)["Chronology"].max_row == 5
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_every_chronology_command_has_help_and_the_group_takes_more() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    chronology = commands.choices["chronology"]  # type: ignore[union-attr]
    sub = next(a for a in chronology._actions if a.dest == "chronology_command")
    assert set(sub.choices) >= {"merge"}  # type: ignore[arg-type]
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        assert p.description, name


def test_help_does_not_import_the_spreadsheet_libraries() -> None:
    code = (
        "import sys\n"
        "from caseforms.cli import main\n"
        "try:\n    main(['chronology', 'merge', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('python_calamine', 'xlsxwriter', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_an_empty_returns_folder_is_named_with_what_to_save_there(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "cases" / "SCP-2025-001" / "returns"
    empty.mkdir(parents=True)
    assert main(["chronology", "merge", str(empty)]) == 2
    err = capsys.readouterr().err
    assert str(empty) in err and "holds no return" in err
    assert not (empty.parent / "Master chronology.xlsx").exists()


def test_an_empty_folder_that_is_not_a_cases_is_named_not_asked_for_an_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    assert main(["chronology", "merge", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder} holds no agency returns" in err and "--output" not in err


def test_merge_as_of_a_date_flags_entries_after_it_as_in_the_future(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ret = str(FILES / "title_block_above_table.xlsx")
    assert main(["chronology", "merge", ret, "-o", str(tmp_path / "now.xlsx"), "--json"]) == 0
    now = json.loads(capsys.readouterr().out)
    assert main(["chronology", "merge", ret, "-o", str(tmp_path / "then.xlsx"), "--today", "01/01/2000", "--json"]) == 0
    then = json.loads(capsys.readouterr().out)
    future = [i for i in then["issues"] if "in the future" in i["message"]]
    assert future and len(future) > len([i for i in now["issues"] if "in the future" in i["message"]])
