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


# -- a workbook kept between the jobs of one run (the demo) ----------------------------------------------------


def _register_jobs(folder: Path, *, once: bool = False) -> Path:
    """Run on a new register the changes the demo makes in turn: log rows, ready marks, comments removed, checks.

    ``once``: the three changes before the checks are written once, after the last (writing_once).
    """
    from contextlib import nullcontext
    from datetime import date

    from caseforms.io.register_xlsx import annotate
    from caseforms.io.returns_log import upsert_log
    from caseforms.io.safe_write import load_for_update, writing_once
    from caseforms.jobs import check_register, mark_ready_cases
    from caseforms.register.schema import CASES
    from register_fixtures import good_case, write_register

    folder.mkdir()
    path = write_register(folder / "register.xlsx", "kent", cases=[good_case("KSCMP-2025-001")])
    with writing_once(path) if once else nullcontext():
        upsert_log(path, "kent", [{"case_ref": "KSCMP-2025-001", "agency": "Kent Police", "requested_on": date(2025, 3, 6)}])
        assert mark_ready_cases(path, {"KSCMP-2025-001": True}) is not None
        wb = load_for_update(path)
        for row in wb[CASES].iter_rows(max_row=1):
            for cell in row:
                cell.comment = None  # the header notes gone: no comment drawing is written for the sheet
        save_openpyxl(wb, path)
    annotate(path, check_register(path, date(2025, 3, 20)).findings, date(2025, 3, 20), "Kent")  # the Checks sheet
    return path


def _same_parts(a_path: Path, b_path: Path) -> None:
    with zipfile.ZipFile(a_path) as a, zipfile.ZipFile(b_path) as b:
        assert a.namelist() == b.namelist()
        for part in a.namelist():
            if part != "docProps/core.xml":  # the time each was written
                assert a.read(part) == b.read(part), part


def test_a_register_changed_by_jobs_that_keep_it_in_memory_is_the_register_read_back_each_time(tmp_path: Path) -> None:
    # The demo hands each job the register the job before it saved, instead of reading it back: the register must be
    # the one reading it back each time makes, part by part (openpyxl's save leaves state behind that a read has not).
    from caseforms.io.safe_write import keeping_workbooks

    read_back = _register_jobs(tmp_path / "read back")
    with keeping_workbooks():
        kept = _register_jobs(tmp_path / "kept")
        once = _register_jobs(tmp_path / "written once", once=True)
    _same_parts(read_back, kept)
    _same_parts(read_back, once)
    assert len(list((tmp_path / "written once" / "backups").iterdir())) == 2  # replaced twice, not four times


def test_a_kept_workbook_is_handed_out_once_and_only_while_its_file_is_as_saved(tmp_path: Path) -> None:
    from caseforms.io.safe_write import keeping_workbooks, load_for_update

    path = _workbook(tmp_path / "register.xlsx", "first")
    with keeping_workbooks():
        wb = load_for_update(path)
        wb.active["A1"] = "second"
        save_openpyxl(wb, path)
        again = load_for_update(path)
        assert again is wb  # not read back
        assert load_for_update(path) is not wb  # handed out once: a job that did not save leaves nothing behind
        save_openpyxl(again, path)
        # Someone else changes the file after the save: it is read afresh, with their change.
        other = openpyxl.load_workbook(path)
        other.active["A1"] = "theirs"
        other.save(path)
        assert load_for_update(path).active["A1"].value == "theirs"
    assert load_for_update(path) is not wb


def test_formula_results_excel_saved_survive_every_save_of_a_kept_workbook(tmp_path: Path) -> None:
    # A kept workbook's file is read neither for what openpyxl would drop nor for the formula results to put back
    # only when it is openpyxl's save alone; a file that had Excel's results put back must get them back each time.
    from caseforms.io.safe_write import keeping_workbooks, load_for_update
    from files.hostile.openpyxl_drops import with_cached_value

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Cases"
    wb.active["A1"], wb.active["A2"] = 45444, "=A1+273"
    wb.save(plain)
    register = with_cached_value(plain, tmp_path / "register.xlsx", "Cases", "A2", "A1+273", "45717")
    with keeping_workbooks():
        for note in ("first", "second", "third"):
            wb = load_for_update(register)
            wb.active["B1"] = note
            save_openpyxl(wb, register)
            assert openpyxl.load_workbook(register, data_only=True).active["A2"].value == 45717, note


def test_a_register_written_once_is_untouched_until_the_block_ends_and_after_an_error(tmp_path: Path) -> None:
    from caseforms.errors import ChangedMeanwhile
    from caseforms.io.safe_write import keeping_workbooks, load_for_update, writing_once

    path = _workbook(tmp_path / "register.xlsx", "first")
    before = path.read_bytes()
    with keeping_workbooks(), pytest.raises(ValueError, match="a job failed"), writing_once(path):
        wb = load_for_update(path)
        wb.active["A1"] = "second"
        save_openpyxl(wb, path)
        assert path.read_bytes() == before  # waiting for the block's end
        raise ValueError("a job failed")
    assert path.read_bytes() == before  # nothing written: the file as it was before the block
    with keeping_workbooks():
        with pytest.raises(ValueError, match="a job failed"), writing_once(path):
            wb = load_for_update(path)
            wb.active["A1"] = "second"
            save_openpyxl(wb, path)
            raise ValueError("a job failed")
        assert load_for_update(path).active["A1"].value == "first"  # what the file holds, not the change never written
        with writing_once(path):
            wb = load_for_update(path)
            wb.active["A1"] = "second"
            save_openpyxl(wb, path)
            assert load_for_update(path) is wb  # a job that changes nothing and does not save...
            again = load_for_update(path)  # ...leaves the next one the workbook waiting, not the file without it
            assert again is wb
            again.active["B1"] = "next"
            save_openpyxl(again, path)
        assert openpyxl.load_workbook(path).active["A1"].value == "second"
        assert openpyxl.load_workbook(path).active["B1"].value == "next"
        # Someone else changes the file meanwhile: their change is never written over.
        with pytest.raises(ChangedMeanwhile), writing_once(path):
            wb = load_for_update(path)
            wb.active["A1"] = "third"
            save_openpyxl(wb, path)
            other = openpyxl.load_workbook(path)
            other.active["A1"] = "theirs"
            other.save(path)
    assert openpyxl.load_workbook(path).active["A1"].value == "theirs"


def test_a_register_whose_single_save_is_refused_is_read_afresh_afterwards(tmp_path: Path) -> None:
    # The file is opened in Excel before the block's one save: the save is refused, and the workbook that was waiting
    # (never written) is not handed to the next job as if the file held it.
    from caseforms.io.safe_write import keeping_workbooks, load_for_update, writing_once

    path = _workbook(tmp_path / "register.xlsx", "first")
    with keeping_workbooks():
        with pytest.raises(WorkbookOpenError), writing_once(path):
            wb = load_for_update(path)
            wb.active["A1"] = "second"
            save_openpyxl(wb, path)
            (tmp_path / "~$register.xlsx").write_bytes(b"Officer")
        (tmp_path / "~$register.xlsx").unlink()
        assert load_for_update(path).active["A1"].value == "first"
