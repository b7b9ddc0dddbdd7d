"""Reading agency returns as they arrive: title blocks, renamed headings, CSV from Excel, old formats, bad files."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from caseforms.chronology.columns import canonical_column, find_header_row
from caseforms.errors import ReturnUnreadable, WorkbookCorrupt, WorkbookProtected
from caseforms.io.returns import (
    MAX_RETURN_BYTES,
    collect_return_files,
    decode_text,
    merge_return_files,
    read_return,
    read_returns,
)

FILES = Path(__file__).parent / "files" / "returns"
READABLE = [
    "title_block_above_table.xlsx", "dates_as_text_uk_order.xlsx", "headings_moved_and_renamed.xlsx",
    "csv_cp1252_from_excel.csv", "csv_utf8_bom_semicolons.csv", "old_format.xls", "libreoffice_format.ods",
    "another_case_reference.xlsx",
]
UNREADABLE = {
    "corrupt_zip.xlsx": (WorkbookCorrupt, "damaged"),
    "empty_workbook.xlsx": (WorkbookCorrupt, "no entries"),
    "no_recognisable_header.xlsx": (ReturnUnreadable, "no header row found"),
    "password_protected.xlsx": (WorkbookProtected, "protected with a password"),
}


@pytest.mark.parametrize("name", READABLE)
def test_every_awkward_but_readable_return_is_read(name: str) -> None:
    ret = read_return(FILES / name)[0]
    assert ret.file == name
    assert find_header_row([ret.header]) == 0
    assert any(any(c not in (None, "") for c in cells) for _, cells in ret.rows)


@pytest.mark.parametrize(("name", "expected"), UNREADABLE.items())
def test_every_unreadable_return_says_which_file_and_what_to_do(name: str, expected: tuple[type, str]) -> None:
    error, says = expected
    with pytest.raises(error, match=says) as caught:
        read_return(FILES / name)[0]
    message = str(caught.value)
    assert name in message
    assert any(verb in message for verb in ("Ask", "Add", "ask")), message


def test_every_file_in_the_folder_is_covered_by_a_test() -> None:
    on_disk = {p.name for p in FILES.iterdir() if p.is_file() and p.suffix != ".py"}
    assert on_disk == set(READABLE) | set(UNREADABLE)


def test_title_block_is_skipped_and_header_found_on_row_6() -> None:
    ret = read_return(FILES / "title_block_above_table.xlsx")[0]
    assert (ret.sheet, ret.header_row) == ("Police chronology", 6)
    assert ret.rows[0][0] == 7  # row numbers as the agency's file shows them
    assert isinstance(ret.rows[0][1][0], (date, datetime))


def test_instructions_sheet_is_passed_over_for_the_table() -> None:
    ret = read_return(FILES / "headings_moved_and_renamed.xlsx")[0]
    assert (ret.sheet, ret.header_row) == ("Health", 3)
    assert [canonical_column(h) for h in ret.header] == ["details", "by_whom", "date", "contact_type", None, None]


def test_csv_saved_by_excel_on_windows_keeps_pound_dash_and_curly_quotes() -> None:
    ret = read_return(FILES / "csv_cp1252_from_excel.csv")[0]
    details = ret.header.index("Details of event")
    assert ret.rows[0][1][details] == "\u201cRent arrears of \u00a3450\u201d \u2013 tenancy warning letter"
    assert decode_text("\u00a3".encode("cp1252")) == ("\u00a3", "Windows-1252")


def test_csv_utf8_with_bom_semicolons_and_a_cell_over_two_lines() -> None:
    ret = read_return(FILES / "csv_utf8_bom_semicolons.csv")[0]
    assert ret.header[0] == "Date"  # the byte order mark is not part of the heading
    assert ret.rows[0][1][3] == "Lee Brook attended supervision.\nDiscussed contact with Tyler."
    assert "Siôn Łukasz" in ret.rows[1][1][3]
    assert [n for n, _ in ret.rows] == [2, 3]  # rows as Excel shows them, not lines


def test_excel_sep_hint_line_is_obeyed_and_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "police.csv"
    path.write_text("sep=;\nDate;Type of contact;Details of event\n03/02/2025;Visit;Seen, with mother\n", encoding="utf-8")
    ret = read_return(path)[0]
    assert ret.header_row == 2 and ret.rows == [(3, ["03/02/2025", "Visit", "Seen, with mother"])]


def test_old_xls_and_ods_are_read_without_running_formulas() -> None:
    for name in ("old_format.xls", "libreoffice_format.ods"):
        ret = read_return(FILES / name)[0]
        texts = [c for _, cells in ret.rows for c in cells if isinstance(c, str)]
        assert "=Teacher noticed Tyler was withdrawn" in texts


def test_a_200_mb_file_gets_a_message_not_a_crash(tmp_path: Path) -> None:
    huge = tmp_path / "police chronology.xlsx"
    with huge.open("wb") as f:  # sparse: instant, and nothing is read
        f.truncate(200 * 1024 * 1024)
    assert huge.stat().st_size > MAX_RETURN_BYTES
    with pytest.raises(ReturnUnreadable, match=r"police chronology.xlsx is 200 MB.*chronology sheet"):
        read_return(huge)[0]


def test_zero_byte_return(tmp_path: Path) -> None:
    path = tmp_path / "health.csv"
    path.write_bytes(b"")
    with pytest.raises(WorkbookCorrupt, match=r"health\.csv is empty"):
        read_return(path)[0]


def test_a_workbook_that_unpacks_to_gigabytes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caseforms.io.returns as returns

    monkeypatch.setattr(returns, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ReturnUnreadable, match="unpacks to"):
        read_return(FILES / "title_block_above_table.xlsx")[0]


def test_xlsx_renamed_xls_is_read_by_its_content(tmp_path: Path) -> None:
    renamed = tmp_path / "school.xls"
    renamed.write_bytes((FILES / "title_block_above_table.xlsx").read_bytes())
    assert read_return(renamed)[0].header_row == 6


def test_merged_date_cell_covers_the_rows_it_spans(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Date", "Type of contact", "Details of event"])
    ws.merge_range(1, 0, 2, 0, "03/02/2025")
    ws.write_row(1, 1, ["Visit", "Morning visit"])
    ws.write_row(2, 1, ["Call", "Afternoon call"])
    wb.close()
    ret = read_return(path)[0]
    assert [cells[0] for _, cells in ret.rows] == ["03/02/2025", "03/02/2025"]


def test_folder_skips_lock_files_hidden_files_the_output_and_says_what_other_files_are(tmp_path: Path) -> None:
    for name in ("police.xlsx", "~$police.xlsx", ".hidden.csv", "Master.xlsx", "health summary.docx", "notes.pdf"):
        (tmp_path / name).write_bytes((FILES / "title_block_above_table.xlsx").read_bytes() + name.encode())
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "Master 2025.xlsx").write_bytes(b"old")
    files, findings = collect_return_files([tmp_path], output=tmp_path / "Master.xlsx")
    # A Word document beside the returns is an agency's summary, read as such.
    assert [p.name for p in files] == ["health summary.docx", "police.xlsx"]
    assert [(f.file, f.code) for f in findings] == [("notes.pdf", "not_a_spreadsheet")]
    assert "PDF" in findings[0].message


def test_the_same_return_twice_is_merged_once(tmp_path: Path) -> None:
    copy = tmp_path / "police (1).xlsx"
    copy.write_bytes((FILES / "title_block_above_table.xlsx").read_bytes())
    files, findings = collect_return_files([FILES / "title_block_above_table.xlsx", copy, FILES / "title_block_above_table.xlsx"])
    assert [p.name for p in files] == ["title_block_above_table.xlsx"]
    assert findings[0].code == "duplicate_file" and "identical" in findings[0].message


def test_missing_and_unsupported_files_are_findings_and_the_rest_still_merge(tmp_path: Path) -> None:
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF")
    master = merge_return_files([FILES / "title_block_above_table.xlsx", tmp_path / "nope.xlsx", notes])
    assert master.rows_merged == 4
    assert {(f.file, f.code) for f in master.findings} == {("nope.xlsx", "missing_file"), ("notes.pdf", "unsupported_file")}


def test_unreadable_returns_become_errors_and_the_others_still_read() -> None:
    paths = [FILES / n for n in (*UNREADABLE, "title_block_above_table.xlsx")]
    returns, findings = read_returns(paths)
    assert [r.file for r in returns] == ["title_block_above_table.xlsx"]
    assert sorted(f.file for f in findings) == sorted(UNREADABLE)
    assert all(f.severity == "error" and f.row is None for f in findings)


def test_a_sheet_reaching_far_beyond_any_chronology_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caseforms.io.returns as returns

    monkeypatch.setattr(returns, "MAX_SHEET_CELLS", 20)
    with pytest.raises(ReturnUnreadable, match="Delete the empty rows"):
        read_return(FILES / "title_block_above_table.xlsx")[0]


@pytest.mark.skipif(os.name == "nt", reason="zip repair differs")
def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "police.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(WorkbookCorrupt, match=r"police\.xlsx is damaged"):
        read_return(path)[0]
