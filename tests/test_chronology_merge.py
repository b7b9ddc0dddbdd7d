"""The merge: nothing lost, text as written, date order, background, other cases, corroborating entries."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseforms.chronology.merge import AgencyReturn, MasterChronology, merge_returns, title_block_facts
from caseforms.io.returns import merge_return_files, read_return

FILES = Path(__file__).parent / "files" / "returns"
HEADER = ["Date", "Time", "Type of contact", "By whom", "Details of event", "Comments"]
TODAY = date(2025, 6, 1)


def agency_return(file: str, rows: list[list[object]], *, header: list[str] = HEADER,
                  title: list[list[object]] | None = None) -> AgencyReturn:
    """Return a return read from ``file``, its title block naming the agency ("Agency: police") unless ``title`` is given."""
    if title is None:
        title = [["Agency:", Path(file).stem]]
    return AgencyReturn(file=file, sheet="Chronology", header_row=1, header=header,
                        rows=[(i, r) for i, r in enumerate(rows, start=2)], title_block=title, path=file)


def merge(*returns: AgencyReturn, **options: object) -> MasterChronology:
    return merge_returns(returns, today=TODAY, **options)  # type: ignore[arg-type]


def test_dated_rows_in_date_and_time_order_across_agencies_then_undated() -> None:
    police = agency_return("police.xlsx", [
        ["05/02/2025", "", "Visit", "PC", "Police visit", ""],
        ["03/02/2025", "14:00", "Call", "PC", "Police call in the afternoon", ""],
        ["", "", "Note", "PC", "Police note with no date", ""],
    ])
    health = agency_return("health.xlsx", [
        ["03/02/2025", "09:00", "Clinic", "HV", "Health clinic in the morning", ""],
        ["31/02/2025", "", "Clinic", "HV", "Health entry with an impossible date", ""],
        ["Feb 2025", "", "Note", "HV", "Health: sometime in February", ""],
    ])
    master = merge(police, health)
    assert [e.details for e in master.entries] == [
        "Health: sometime in February",
        "Health clinic in the morning",
        "Police call in the afternoon",
        "Police visit",
        "Police note with no date",
        "Health entry with an impossible date",
    ]
    assert [e.number for e in master.entries] == [1, 2, 3, 4, 5, 6]
    undated = master.entries[-1]
    assert undated.date_text == "31/02/2025" and undated.flags[0].startswith("Date not read")
    errors = [f for f in master.findings if f.severity == "error"]
    assert [(f.file, f.row, f.column, f.code) for f in errors] == [("health.xlsx", 3, "Date", "date_not_real")]


def test_text_is_kept_exactly_including_spaces_and_formula_like_text() -> None:
    texts = ["  leading and trailing  ", "=SUM(A1:A9)", "+44 7700 900123", "-3 days late", "@home", "line 1\nline 2"]
    rows = [["03/02/2025", "", "Visit", "PC", t, t] for t in texts]
    master = merge(agency_return("police.xlsx", rows))
    assert [e.details for e in master.entries] == texts
    assert [e.cells["comments"] for e in master.entries] == texts


def test_empty_and_whitespace_rows_are_not_entries_but_every_other_row_is() -> None:
    rows = [["03/02/2025", "", "", "", "One", ""], ["", "", "", "", "", ""], [None] * 6, ["  ", "", "", "", " ", ""],
            ["", "", "", "", "", "only a comment"]]
    master = merge(agency_return("police.xlsx", rows))
    assert master.rows_read == master.rows_merged == 2
    assert [e.source_row for e in master.entries] == [2, 6]


def test_extra_columns_and_cells_beyond_the_last_heading_are_kept() -> None:
    header = [*HEADER, "Risk level"]
    rows = [["03/02/2025", "", "Visit", "PC", "Seen", "", "High", "written past the table"]]
    master = merge(agency_return("police.xlsx", rows, header=header))
    assert master.extra_headings == ["Risk level", "Column H"]
    assert master.entries[0].extras == {"Risk level": "High", "Column H": "written past the table"}
    headings = master.headings()
    row = master.table()[0]
    assert row[headings.index("Column H")] == "written past the table"


def test_rows_before_the_scope_are_background_and_after_it_flagged() -> None:
    rows = [["01/01/2019", "", "", "", "Old referral", ""], ["Dec 2023", "", "", "", "Month before scope", ""],
            ["Jan 2024", "", "", "", "Month overlapping scope start", ""], ["10/01/2024", "", "", "", "In scope", ""],
            ["01/05/2025", "", "", "", "After scope", ""]]
    master = merge(agency_return("csc.xlsx", rows), scope_from=date(2024, 1, 10), scope_to=date(2025, 3, 31))
    by_text = {e.details: e for e in master.entries}
    assert by_text["Old referral"].background and by_text["Month before scope"].background
    assert not by_text["Month overlapping scope start"].background
    assert not by_text["In scope"].background and not by_text["In scope"].after_scope
    assert by_text["After scope"].after_scope
    assert master.rows_merged == 5  # flagged, never dropped
    background = [f for f in master.findings if f.code == "background"]
    assert len(background) == 1 and "rows 2–3" in background[0].message


def test_a_date_in_the_future_is_flagged() -> None:
    master = merge(agency_return("police.xlsx", [["03/02/2052", "", "", "", "Typo for 2025", ""]]))
    assert master.entries[0].when.day == date(2052, 2, 3)
    assert any(f.code == "date_in_future" for f in master.findings)


def test_corroborating_entries_are_linked_never_removed() -> None:
    police = agency_return("police.xlsx", [
        ["03/02/2025", "10:00", "Strategy discussion", "DS Example", "Strategy discussion about bruising", ""],
        ["03/02/2025", "", "Phone call", "PC", "Called the school about attendance today", ""],
    ])
    csc = agency_return("csc.xlsx", [
        ["03/02/2025", "10:30", "strategy discussion", "SW", "Multi-agency strategy discussion held", ""],
        ["03/02/2025", "", "Email", "SW", "School called about attendance today and concerns", ""],
        ["04/02/2025", "", "Strategy discussion", "SW", "Second strategy discussion", ""],
    ])
    health = agency_return("health.xlsx", [
        ["03/02/2025", "15:00", "Strategy discussion", "Nurse", "Afternoon strategy discussion, another one", ""],
    ])
    master = merge(police, csc, health)
    assert master.rows_merged == 6
    by_text = {e.details: e for e in master.entries}
    police_sd = by_text["Strategy discussion about bruising"]
    csc_sd = by_text["Multi-agency strategy discussion held"]
    assert police_sd.linked == [csc_sd.number] and csc_sd.linked == [police_sd.number]
    # Similar details, different contact types:
    assert by_text["Called the school about attendance today"].linked == [by_text["School called about attendance today and concerns"].number]
    # Five hours apart, and the next day: not the same event.
    assert by_text["Afternoon strategy discussion, another one"].linked == []
    assert by_text["Second strategy discussion"].linked == []


def test_same_agency_entries_are_not_linked_to_each_other() -> None:
    rows = [["03/02/2025", "", "Visit", "", "Home visit to the family", ""]] * 2
    master = merge(agency_return("police.xlsx", rows))
    assert all(e.linked == [] for e in master.entries)


def test_title_block_names_the_agency_and_case() -> None:
    facts = title_block_facts([["Case reference:", "KSCMP-2025-003"], ["Agency: Kent Police"],
                               ["Case reference: (enter the reference)"], ["Completed by:", "DS Example"]])
    assert facts == {"case_reference": "KSCMP-2025-003", "agency": "Kent Police"}


def test_another_cases_chronology_is_left_out_and_reported() -> None:
    ours = agency_return("police.xlsx", [["03/02/2025", "", "", "", "Ours", ""]], title=[["Case ref", "KSCMP 2025/003"]])
    theirs = agency_return("school.xlsx", [["03/02/2025", "", "", "", "Another child", ""]],
                           title=[["Case reference: KSCMP-2024-017"]])
    master = merge(ours, theirs, case_reference="KSCMP-2025-003")
    assert [e.details for e in master.entries] == ["Ours"]  # the reference matches however it is punctuated
    assert master.rows_read == 2 and master.rows_merged == 1
    finding = next(f for f in master.findings if f.code == "other_case")
    assert finding.file == "school.xlsx" and "KSCMP-2024-017" in finding.message
    assert not master.returns[1].merged


def test_without_a_case_reference_mixed_references_are_errors_but_everything_merges() -> None:
    a = agency_return("a.xlsx", [["03/02/2025", "", "", "", "A", ""]], title=[["Case reference: KSCMP-2025-003"]])
    b = agency_return("b.xlsx", [["03/02/2025", "", "", "", "B", ""]], title=[["Case reference: KSCMP-2024-017"]])
    master = merge(a, b)
    assert master.rows_merged == 2
    assert {f.file for f in master.findings if f.code == "case_reference_mixed"} == {"a.xlsx", "b.xlsx"}


def test_a_master_made_by_caseforms_is_not_merged_again(tmp_path: Path) -> None:
    from caseforms.io.master_xlsx import write_master

    first = merge_return_files([FILES / "title_block_above_table.xlsx"])
    write_master(first, tmp_path / "Old master.xlsx")
    master = merge_return_files([FILES / "title_block_above_table.xlsx", tmp_path / "Old master.xlsx"])
    assert master.rows_merged == 4
    assert any(f.code == "return_is_master" and f.file == "Old master.xlsx" for f in master.findings)


def test_the_awkward_returns_folder_merges_with_one_finding_per_bad_file() -> None:
    master = merge_return_files([FILES], case_reference="KSCMP-2025-003", scope_from=date(2024, 6, 1))
    file_errors = {f.file for f in master.findings if f.severity == "error" and f.row is None}
    assert file_errors == {"corrupt_zip.xlsx", "empty_workbook.xlsx", "no_recognisable_header.xlsx",
                           "password_protected.xlsx", "another_case_reference.xlsx"}
    merged = {r.file for r in master.returns if r.merged}
    assert merged == {"title_block_above_table.xlsx", "dates_as_text_uk_order.xlsx", "headings_moved_and_renamed.xlsx",
                      "csv_cp1252_from_excel.csv", "csv_utf8_bom_semicolons.csv", "old_format.xls", "libreoffice_format.ods"}
    assert master.rows_merged == master.rows_read - 1  # only the other case's one row is left out
    police = [e for e in master.entries if e.source_file == "title_block_above_table.xlsx"]
    assert {e.agency for e in police} == {"Kent Police"}
    assert {e.source_row for e in police} == {7, 8, 9, 10}
    strategy = [e for e in master.entries if e.when.day == date(2025, 2, 3) and "trategy" in e.cells["contact_type"]]
    assert len(strategy) == 4 and all(e.linked for e in strategy)
    assert next(e for e in police if e.source_row == 7).when.time == time(22, 40)


# -- property: generated returns lose no row and keep text exactly -----------------------------------

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r") | st.sampled_from("\n\t=+-@"),
                max_size=40)
_DATE = st.one_of(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
                  st.sampled_from(["", "Feb 2025", "31/02/2025", "02/13/2025", "unknown", "2019"]), _TEXT)
_ROW = st.lists(st.one_of(_DATE, _TEXT), min_size=6, max_size=6)


def _check_nothing_lost(inputs: list[tuple[str, list[list[str]]]], master: MasterChronology, headers: list[str]) -> None:
    expected = {(file, row_number): row for file, rows in inputs for row_number, row in rows_numbered(rows)
                if any(c.strip() for c in row)}
    got = {(e.source_file, e.source_row): e for e in master.entries}
    assert len(got) == len(master.entries) == master.rows_merged == master.rows_read
    assert set(got) == set(expected)
    for key, row in expected.items():
        e = got[key]
        assert e.date_text == row[0]
        assert e.time_text == row[1]
        assert [e.cells["contact_type"], e.cells["by_whom"], e.cells["details"], e.cells["comments"]] == row[2:]


def rows_numbered(rows: list[list[str]]) -> list[tuple[int, list[str]]]:
    return list(enumerate(rows, start=2))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_ROW, max_size=12), min_size=1, max_size=4))
def test_property_merge_loses_no_row_and_keeps_text_exactly(returns: list[list[list[str]]]) -> None:
    inputs = [(f"agency{i}.xlsx", rows) for i, rows in enumerate(returns)]
    master = merge(*(agency_return(f, rows) for f, rows in inputs))
    _check_nothing_lost(inputs, master, HEADER)
    # Dated entries in date order; then the undated and those dated in the future (their date cannot be trusted).
    dated = [e.when.sort_key() for e in master.entries if e.when.day is not None and not e.future]
    assert dated == sorted(dated)
    assert all(e.when.day is None or e.future for e in master.entries[len(dated):])


_FILE_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=("Cs",))
                     | st.sampled_from("\n=+-@"), max_size=30)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(_DATE.filter(lambda s: "\r" not in s and "\t" not in s and all(c >= " " or c == "\n" for c in s)), _FILE_TEXT),
                         min_size=6, max_size=6), min_size=1, max_size=10))
def test_property_real_xlsx_and_csv_files_lose_no_row_and_keep_text(tmp_path: Path, rows: list[list[str]]) -> None:
    import xlsxwriter

    # One folder per example: hypothesis may try the same rows twice.
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    wb = xlsxwriter.Workbook(folder / "police.xlsx", {"strings_to_numbers": False})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value:
                ws.write_string(r, c, value)
    wb.close()
    with (folder / "health.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    inputs = [(name, rows) for name in ("health.csv", "police.xlsx")]
    returns = [read_return(folder / name)[0] for name, _ in inputs]
    master = merge(*returns)
    _check_nothing_lost(inputs, master, HEADER)
