"""Writing safely: never over an open workbook, never without a backup, never losing Excel's extras."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from caseforms.errors import WorkbookCorrupt, WorkbookOpenError, WorkbookProtected
from caseforms.io.safe_write import check_readable, openpyxl_would_drop, save_openpyxl, write_atomically


def _workbook(path: Path, value: str = "kept") -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = value
    wb.save(path)
    return path


def test_replacing_a_file_keeps_a_backup(tmp_path: Path) -> None:
    target = _workbook(tmp_path / "register.xlsx", "old")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "new"
    result = save_openpyxl(wb, target)
    assert result.path == target and result.redirected_reason is None
    assert openpyxl.load_workbook(target).active["A1"].value == "new"
    assert result.backup is not None and result.backup.parent.name == "backups"
    assert openpyxl.load_workbook(result.backup).active["A1"].value == "old"


def test_refuses_a_workbook_open_in_excel(tmp_path: Path) -> None:
    target = _workbook(tmp_path / "register.xlsx", "old")
    (tmp_path / "~$register.xlsx").write_bytes(b"lock")
    with pytest.raises(WorkbookOpenError, match="open in Excel"):
        save_openpyxl(openpyxl.Workbook(), target)
    assert openpyxl.load_workbook(target).active["A1"].value == "old"


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path: Path) -> None:
    target = _workbook(tmp_path / "register.xlsx", "old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, broken)
    assert openpyxl.load_workbook(target).active["A1"].value == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


def _with_part(source: Path, target: Path, name: str, data: bytes, sheet_extra: bytes = b"") -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if sheet_extra and item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</worksheet>", sheet_extra + b"</worksheet>")
            zout.writestr(item, body)
        if name:
            zout.writestr(name, data)
    return target


def test_detects_what_openpyxl_would_drop(tmp_path: Path) -> None:
    plain = _workbook(tmp_path / "plain.xlsx")
    assert openpyxl_would_drop(plain) == []
    ext = b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations/></ext></extLst>'
    found = openpyxl_would_drop(_with_part(plain, tmp_path / "ext.xlsx", "", b"", ext))
    assert found == ["drop-down lists or validation that Excel stores in its own extension (sheet Sheet)"]
    shapes = b"<xdr:wsDr><xdr:twoCellAnchor><xdr:sp macro=''></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>"
    assert openpyxl_would_drop(_with_part(plain, tmp_path / "shape.xlsx", "xl/drawings/drawing1.xml", shapes)) == [
        "shapes or text boxes"
    ]
    assert "slicers" in openpyxl_would_drop(_with_part(plain, tmp_path / "s.xlsx", "xl/slicers/slicer1.xml", b"<x/>"))


def test_a_workbook_with_extras_is_never_rewritten_in_place(tmp_path: Path) -> None:
    plain = _workbook(tmp_path / "plain.xlsx")
    shapes = b"<xdr:wsDr><xdr:sp></xdr:sp></xdr:wsDr>"
    officer = _with_part(plain, tmp_path / "register.xlsx", "xl/drawings/drawing1.xml", shapes)
    before = officer.read_bytes()
    result = save_openpyxl(openpyxl.load_workbook(officer), officer)
    assert officer.read_bytes() == before
    assert result.path == tmp_path / "register (caseforms).xlsx" and result.path.exists()
    assert result.redirected_reason and "shapes or text boxes" in result.redirected_reason


def test_unreadable_files_get_a_plain_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(WorkbookCorrupt, match="empty"):
        check_readable(tmp_path / "empty.xlsx")
    (tmp_path / "protected.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(WorkbookProtected, match="password"):
        check_readable(tmp_path / "protected.xlsx")
    (tmp_path / "notexcel.xlsx").write_text("name,date\n")
    with pytest.raises(WorkbookCorrupt, match="damaged or is not really an Excel file"):
        check_readable(tmp_path / "notexcel.xlsx")


def test_a_document_open_in_word_is_named_as_such(tmp_path: Path) -> None:
    paper = tmp_path / "SCP-2025-001 Rapid Review report.docx"
    paper.write_bytes(b"old")
    (tmp_path / ("~$" + paper.name[2:])).write_bytes(b"lock")
    with pytest.raises(WorkbookOpenError, match="open in Word"):
        write_atomically(paper, lambda tmp: tmp.write_bytes(b"new"))
    assert paper.read_bytes() == b"old"
