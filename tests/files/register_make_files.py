"""Make the awkward registers under tests/files/, each named for what is wrong with it.

Built from a correct register (caseforms' own code) and then damaged the way registers are in real
life. Run from the repository root with the dev virtualenv:

    /work/venv/bin/python tests/files/register_make_files.py

``register_password_protected.xlsx`` is encrypted with msoffcrypto-tool (password "Example1"),
installed only for this, e.g. ``pip download --no-deps msoffcrypto-tool olefile``, unpacked into
/tmp/msoff, and run by a Python that has ``cryptography`` (Debian's python3-cryptography):

    PYTHONPATH=/tmp/msoff /usr/bin/python3 tests/files/register_make_files.py password
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _base(path: Path) -> Path:
    from register_fixtures import good_agency, good_case, good_child, good_meeting, write_register

    return write_register(
        path, "national",
        cases=[good_case("SCP-2025-001"), good_case("SCP-2025-002", aware_date=date(2025, 3, 4))],
        people=[good_child("SCP-2025-001"), good_child("SCP-2025-002", name="Ben Test", nhs_number="9990000026")],
        agencies=[good_agency()],
        meetings=[good_meeting("SCP-2025-001"), good_meeting("SCP-2025-002")],
    )


def _edit(name: str, change) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = _base(HERE / name)
    wb = load_workbook(path)
    change(wb)
    wb.save(path)


def missing_cases_sheet(wb) -> None:  # type: ignore[no-untyped-def]
    del wb["Cases"]


def renamed_header(wb) -> None:  # type: ignore[no-untyped-def]
    wb["Cases"]["I1"] = "Aware date"  # was "Date LA became aware"


def text_in_date_cells(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["Cases"]
    ws["J2"] = "03/03/2025"  # referral date pasted as text
    ws["I3"] = "31/02/2025"  # aware date that does not exist
    ws["I3"].number_format = "@"
    ws["J2"].number_format = "@"


def merged_cells(wb) -> None:  # type: ignore[no-untyped-def]
    wb["Cases"].merge_cells("R2:S2")


def blank_rows(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["Cases"]
    ws.move_range("A3:AG3", rows=2)  # the second case now sits on row 5, rows 3-4 are blank


def header_on_row_4(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["Agencies"]
    del ws.tables["Agencies"]
    ws.insert_rows(1, 3)
    ws["A1"] = "Agency contacts - keep up to date"


def no_settings(wb) -> None:  # type: ignore[no-untyped-def]
    del wb["Settings"]


def edited_in_excel(wb) -> None:  # type: ignore[no-untyped-def]
    """What officers do: their own column, fill colours, a comment; and one mistake to report."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    ws = wb["Cases"]
    ws["BA1"] = "My RAG"
    ws["BA2"] = "Amber - chase police"
    for cell in ws[2][:5]:
        cell.fill = PatternFill("solid", fgColor="FFFF00")
    ws["A2"].comment = Comment("Check with the LADO before Friday", "Priya Venn")
    wb["People"]["G2"] = "999 000 0019"  # a mistyped NHS number


def main() -> None:
    for name, change in (
        ("register_missing_cases_sheet.xlsx", missing_cases_sheet),
        ("register_renamed_header.xlsx", renamed_header),
        ("register_text_in_date_cells.xlsx", text_in_date_cells),
        ("register_merged_cells.xlsx", merged_cells),
        ("register_blank_rows.xlsx", blank_rows),
        ("register_header_on_row_4.xlsx", header_on_row_4),
        ("register_no_settings.xlsx", no_settings),
        ("register_edited_in_excel.xlsx", edited_in_excel),
    ):
        _edit(name, change)
    _base(HERE / "register_correct.xlsx")
    excel_extensions()
    corrupt = (HERE / "register_correct.xlsx").read_bytes()
    (HERE / "register_corrupt_zip.xlsx").write_bytes(corrupt[: len(corrupt) // 2])


def excel_extensions() -> None:
    """A register whose Cases sheet has a drop-down Excel keeps in its x14 extension (openpyxl drops those)."""
    source = (HERE / "register_correct.xlsx").read_bytes()
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
        b"<x14:formula1><xm:f>Lists!$A$2:$A$15</xm:f></x14:formula1><xm:sqref>BB2:BB300</xm:sqref>"
        b"</x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # Cases (Instructions is sheet1)
                data = data.replace(b"</worksheet>", ext)
            zout.writestr(item, data)
    (HERE / "register_excel_extensions.xlsx").write_bytes(out.getvalue())


def password() -> None:
    from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]

    plain = io.BytesIO((HERE / "register_correct.xlsx").read_bytes())
    with (HERE / "register_password_protected.xlsx").open("wb") as out:
        OOXMLFile(plain).encrypt("Example1", out)


if __name__ == "__main__":
    password() if sys.argv[1:] == ["password"] else main()
