"""The master workbook: a real table, agency colours, print setup, Summary and Findings, no live formulas."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from caseforms.chronology.merge import AgencyReturn, merge_returns
from caseforms.errors import ChronologyError, WorkbookOpenError
from caseforms.io.master_xlsx import AGENCY_COLOURS, write_master
from caseforms.io.returns import merge_return_files

FILES = Path(__file__).parent / "files" / "returns"
INJECTIONS = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "=1/0", "=cmd|' /C calc'!A0"]


def _master(tmp_path: Path) -> Path:
    master = merge_return_files([FILES], case_reference="KSCMP-2025-003", scope_from=date(2024, 6, 1))
    path = tmp_path / "Master chronology.xlsx"
    write_master(master, path)
    return path


def test_first_sheet_is_the_chronology_with_the_columns_officers_and_scripts_need(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_master(tmp_path))
    assert wb.sheetnames == ["Chronology", "Timeline", "Summary", "Findings"]
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    for needed in ("Date", "Agency", "Details of event", "Source file", "Source row"):
        assert needed in header
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    col = {h: i for i, h in enumerate(header)}
    police = [r for r in rows if r[col["Source file"]] == "title_block_above_table.xlsx"]
    assert sorted(r[col["Source row"]] for r in police) == [7, 8, 9, 10]
    assert all(r[col["Agency"]] == "Kent Police" for r in police)
    first = next(r for r in police if r[col["Source row"]] == 7)
    assert first[col["Date"]] == datetime(2025, 1, 14)  # a real date, not text
    dates = [r[col["Date"]] for r in rows if r[col["Date"]] is not None]
    assert dates == sorted(dates)


def test_table_with_filters_frozen_header_and_print_setup(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_master(tmp_path))["Chronology"]
    table = ws.tables["Chronology"]
    assert table.ref.startswith("A1:") and table.autoFilter is not None
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape"
    # fitToWidth is left out of the file when it is Excel's default, 1 page wide.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert "OFFICIAL-SENSITIVE" in (ws.oddHeader.left.text or "")
    assert ws["J2"].alignment.wrap_text or ws.column_dimensions["J"].width >= 50


def test_the_table_covers_every_entry_and_column_and_dates_and_times_read_back(tmp_path: Path) -> None:
    # The table is added without xlsxwriter recording each of its cells: its range must still be the whole chronology.
    master = merge_return_files([FILES], case_reference="KSCMP-2025-003", scope_from=date(2024, 6, 1))
    path = tmp_path / "Master chronology.xlsx"
    write_master(master, path)
    ws = openpyxl.load_workbook(path)["Chronology"]
    last = f"{get_column_letter(len(master.headings()))}{len(master.entries) + 1}"
    table = ws.tables["Chronology"]
    assert (table.ref, table.autoFilter.ref) == (f"A1:{last}", f"A1:{last}")
    assert len(table.tableColumns) == len(master.headings())
    for row, entry in enumerate(master.entries, start=2):
        day, at = ws.cell(row, 2).value, ws.cell(row, 3).value
        assert (day.date() if day is not None else None) == entry.when.day
        assert at == entry.when.time


def test_each_agency_has_its_own_colour_blind_safe_fill(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_master(tmp_path))["Chronology"]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules if rule.formula[0].startswith("$D2=")]
    fills = {rule.dxf.fill.bgColor.rgb[-6:] for rule in rules}
    formulas = {rule.formula[0] for rule in rules}
    assert '$D2="Kent Police"' in formulas and '$D2="Health (ICB)"' in formulas
    assert len(rules) == 6 and len(fills) == 6
    assert fills <= {c.lstrip("#") for c in AGENCY_COLOURS}


def test_month_only_dates_show_as_months(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_master(tmp_path))["Chronology"]
    header = [c.value for c in ws[1]]
    written = header.index("Date as written") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, written).value == "Feb 2025")
    assert ws.cell(row, 2).number_format == "mmm yyyy"


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_injection_stays_text(tmp_path: Path, text: str) -> None:
    ret = AgencyReturn(file=text + ".xlsx", sheet=text, header_row=1,
                       header=["Date", "Agency", "Type of contact", "By whom", "Details of event", "Comments", text],
                       rows=[(2, ["03/02/2025", text, text, text, text, text, text])])
    path = tmp_path / "master.xlsx"
    write_master(merge_returns([ret]), path)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode() and "<f " not in z.read(name).decode(), name
        # The Timeline chart names its lanes from text cells: an agency's name is never a formula of the chart's.
        chart = z.read("xl/charts/chart1.xml").decode()
        references = re.findall(r"<c:f>([^<]*)</c:f>", chart)
        assert references and all(re.fullmatch(r"Timeline!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", f) for f in references)
        assert text.replace("!", "!\u200b") in chart or "!" not in text  # the lane's label, shown as written
    ws = openpyxl.load_workbook(path)["Chronology"]
    values = [c.value for c in ws[2]]
    assert values.count(text) >= 6
    assert all(c.data_type == "s" for c in ws[2] if c.value == text)
    assert text in [c.value for c in ws[1]]  # an extra column's heading is text too


def test_summary_and_findings_sheets(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_master(tmp_path))
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Case reference"] == "KSCMP-2025-003"
    assert summary["Rows in the master"] == summary["Rows read"] - 1
    assert summary["Findings: errors"] >= 7
    returns_table = wb["Summary"].tables["Returns"]
    assert returns_table is not None
    findings = wb["Findings"]
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    assert [c.value for c in findings[1]] == ["Severity", "File", "Sheet", "Row", "Column", "Message", "Code"]
    assert ("error", "dates_as_text_uk_order.xlsx", "Chronology", 6, "Date") in [r[:5] for r in rows]
    assert rows[0][0] == "error"  # errors first


def test_existing_master_is_backed_up_and_an_open_one_refused(tmp_path: Path) -> None:
    master = merge_return_files([FILES / "title_block_above_table.xlsx"])
    path = tmp_path / "master.xlsx"
    write_master(master, path)
    backup = write_master(master, path)
    assert backup is not None and backup.parent.name == "backups" and backup.exists()
    (tmp_path / "~$master.xlsx").write_bytes(b"lock")
    before = path.read_bytes()
    with pytest.raises(WorkbookOpenError):
        write_master(master, path)
    assert path.read_bytes() == before


def test_master_must_be_xlsx(tmp_path: Path) -> None:
    master = merge_return_files([FILES / "title_block_above_table.xlsx"])
    with pytest.raises(ChronologyError, match=r"ending in \.xlsx"):
        write_master(master, tmp_path / "master.xls")


def test_empty_findings_sheet_says_so(tmp_path: Path) -> None:
    master = merge_return_files([FILES / "title_block_above_table.xlsx"])
    path = tmp_path / "master.xlsx"
    write_master(master, path)
    text = " ".join(str(c) for r in openpyxl.load_workbook(path)["Findings"].iter_rows(values_only=True) for c in r if c)
    assert re.search("Nothing to report", text)


def test_each_row_is_as_tall_as_its_longest_wrapped_text(tmp_path: Path) -> None:
    # Row heights are worked out while the cells are written, from the texts that may need more than one line:
    # each row must be as tall as the tallest of all its texts, a line break starting a new line.
    from caseforms.io.print_setup import LINE_POINTS, MAX_ROW_POINTS, row_height

    details = ["Home visit.", "Seen at home; " * 12, "Seen.\nMother present.\nNo concerns.", "x" * 40_000, "Short."]
    comments = ["", "", "", "", "Line one\nline two\nline three\nline four\nline five"]
    ret = AgencyReturn(file="heights.xlsx", sheet="Chronology", header_row=1,
                       header=["Date", "Agency", "Type of contact", "Details of event", "Comments"],
                       rows=[(r, [f"0{r}/02/2025", "Kent Police", "Visit", d, c])
                             for r, (d, c) in enumerate(zip(details, comments, strict=True), start=2)])
    master = merge_returns([ret])
    path = tmp_path / "master.xlsx"
    write_master(master, path)
    ws = openpyxl.load_workbook(path)["Chronology"]
    header = [c.value for c in ws[1]]
    from caseforms.io.master_xlsx import _UNWRAPPED, _WIDTHS

    for r, values in enumerate(master.table(), start=2):
        needed = row_height((v, _WIDTHS.get(h, 20)) for h, v in zip(header, values, strict=True)
                            if h not in _UNWRAPPED and isinstance(v, str))
        height = ws.row_dimensions[r].height
        if needed > LINE_POINTS + 2:  # xlsxwriter writes a height in whole pixels (0.75 points)
            assert height == pytest.approx(needed, abs=0.75), (r, values[:6])
        else:
            assert height is None, (r, values[:6])
    heights = [ws.row_dimensions[r].height or 0 for r in range(2, 7)]
    assert heights[0] == 0 and heights[3] == pytest.approx(MAX_ROW_POINTS, abs=0.75)
    assert heights[2] >= 3 * LINE_POINTS + 2 and heights[4] >= 5 * LINE_POINTS + 2  # each line break a line
