"""Make each hostile or accidental input of issue 16 in a folder, at test time.

One function per file, named for its defect, each writing a small file (a few kilobytes, the .docx
bomb excepted: it unpacks to just over caseforms' limit) and returning its path. None is kept in
the repository: they are cheap to make, and a file that kills a reader is better not lying around.
Run as a script to write them all into a folder and look at them:

    python tests/files/hostile/generators.py /tmp/hostile
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

HEADINGS = ["Date", "Type of contact", "Details of event"]
ROWS = [["01/02/2025", "Home visit", "Visit to Child A at home; mother present."],
        ["03/02/2025", "Phone call", "Call from the school about attendance."]]


# -- workbooks that would make calamine allocate without end ---------------------------------------


def one_character_in_xfd1048576(folder: Path) -> Path:
    """A chronology return with one character in the last cell Excel has (17 billion cells from A1)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    for row in [HEADINGS, *ROWS]:
        ws.append(row)
    ws["XFD1048576"] = "x"
    return _save(wb, folder / "one_character_in_xfd1048576.xlsx")


def stray_cell_in_last_row_of_40_sheets(folder: Path) -> Path:
    """A 19 KB return: 40 sheets, each a small table and a stray entry in row 1,048,576."""
    from openpyxl import Workbook

    wb = Workbook()
    for n in range(40):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = "Chronology" if n == 0 else f"Week {n}"
        for row in [HEADINGS, *ROWS]:
            ws.append(row)
        ws.cell(row=1_048_576, column=3, value=".")
    return _save(wb, folder / "stray_cell_in_last_row_of_40_sheets.xlsx")


def register_with_a_character_in_xfd1048576(folder: Path) -> Path:
    """The shipped blank register with one character in the last cell of its Cases sheet."""
    from openpyxl import load_workbook

    from caseforms.resources import workbooks_dir

    wb = load_workbook(workbooks_dir() / "register.xlsx")
    wb["Cases"]["XFD1048576"] = "x"
    return _save(wb, folder / "register_with_a_character_in_xfd1048576.xlsx")


def _save(wb: object, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)  # type: ignore[attr-defined]
    return path


# -- workbooks that hang or panic calamine -----------------------------------------------------------


def ods_cut_short_between_rows(folder: Path) -> Path:
    """An .ods whose content stops after the first row (a download cut short): calamine loops for ever."""
    content = _ods_content([HEADINGS, *ROWS])
    cut = content.index(b"</table:table-row>") + len(b"</table:table-row>")
    return _write_ods(folder / "ods_cut_short_between_rows.ods", content[:cut])


def sound_ods(folder: Path) -> Path:
    """The same return as a whole .ods, which caseforms must still read."""
    return _write_ods(folder / "sound.ods", _ods_content([HEADINGS, *ROWS]))


def _ods_content(rows: list[list[str]]) -> bytes:
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>' for text in row
        ) + "</table:table-row>" for row in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Chronology">{cells}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    ).encode()


def _write_ods(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def xls_whose_sheet_lies_past_its_end(folder: Path) -> Path:
    """An Excel 97-2003 .xls whose sheet index points past the end of the file: calamine panics."""
    path = folder / "xls_whose_sheet_lies_past_its_end.xls"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_compound_file(_biff8([HEADINGS, *ROWS], sheet_offset_shift=100_000)))
    return path


def sound_xls(folder: Path) -> Path:
    """The same return as a sound .xls, which caseforms must still read."""
    path = folder / "sound.xls"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_compound_file(_biff8([HEADINGS, *ROWS])))
    return path


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _biff8(rows: list[list[str]], sheet_offset_shift: int = 0) -> bytes:
    """Return the Workbook stream of a one-sheet BIFF8 workbook holding ``rows`` as text (LABEL records)."""
    name = b"Chronology"
    bof = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    sheet_at = len(bof) + 4 + 8 + len(name) + 4
    stream = bof + _record(0x0085, struct.pack("<IBBBB", sheet_at + sheet_offset_shift, 0, 0, len(name), 0) + name)
    stream += _record(0x000A)
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
    sheet += _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(len(r) for r in rows), 0))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            raw = text.encode("latin-1")
            sheet += _record(0x0204, struct.pack("<HHHHB", r, c, 0, len(raw), 0) + raw)
    return stream + sheet + _record(0x000A)


def _compound_file(stream: bytes) -> bytes:
    """Return an OLE2 compound file (version 3, 512-byte sectors) whose one stream is ``stream``, named Workbook."""
    sector, free, end, fat_sector, none = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    stream = stream.ljust(4096, b"\0")  # at least the mini-stream cutoff, so it lives in ordinary sectors
    count = -(-len(stream) // sector)
    fat = [fat_sector, end] + [3 + i if i < count - 1 else end for i in range(count)]
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *([free] * 108))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, none, none, child)
                + b"\0" * 16 + struct.pack("<IQQIQ", 0, 0, 0, start, size))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 2, len(stream))
                 + entry("", 0, none, 0, 0) + entry("", 0, none, 0, 0))
    return header + struct.pack("<128I", *(fat + [free] * (128 - len(fat)))) + directory + stream.ljust(
        count * sector, b"\0")


# -- Word documents --------------------------------------------------------------------------------


def action_plan_that_unpacks_to_gigabytes(folder: Path, unpacked: int) -> Path:
    """An action plan .docx of a few hundred kilobytes whose text part unpacks to ``unpacked`` bytes."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["Action", "Owner", "Review the plan", "Police"],
                          strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    path = folder / "action_plan_that_unpacks_to_gigabytes.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                # An XML comment of spaces: python-docx keeps nothing of it, but must unpack it all.
                data = data.replace(b"<w:body>", b"<w:body><!--" + b" " * unpacked + b"-->", 1)
            z.writestr(name, data)
    return path


def template_with(folder: Path, name: str, tag: str) -> Path:
    """A partnership template whose second paragraph is ``tag`` (``{{ 1/0 }}``, a loop...)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Rapid Review")
    document.add_paragraph(tag)
    document.add_paragraph("End of the paper.")
    path = folder / f"{name}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# -- text files ------------------------------------------------------------------------------------


def csv_with_utf8_mark_but_cp1252_bytes(folder: Path) -> Path:
    """A CSV whose byte order mark says UTF-8, edited since in a program that wrote Windows-1252 (£, é)."""
    text = "\r\n".join([",".join(HEADINGS), "01/02/2025,Home visit,Fee of £20 paid; café visit",
                        "03/02/2025,Phone call,Call from the school"])
    path = folder / "csv_with_utf8_mark_but_cp1252_bytes.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    return path


def csv_in_utf16_of_odd_length(folder: Path) -> Path:
    """A UTF-16 ("Unicode text") return cut short by one byte."""
    text = "\r\n".join(["\t".join(HEADINGS), "01/02/2025\tHome visit\tVisit to Child A",
                        "03/02/2025\tPhone call\tCall from the school"])
    path = folder / "csv_in_utf16_of_odd_length.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-16")[:-1])
    return path


def sound_return(folder: Path, name: str = "Police.xlsx", rows: list[list[str]] | None = None) -> Path:
    """A sound return (the two rows, or ``rows``) to merge beside a hostile one."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    for row in [HEADINGS, *(ROWS if rows is None else rows)]:
        ws.append(row)
    return _save(wb, folder / name)


# -- profiles --------------------------------------------------------------------------------------


def profile(folder: Path, name: str, text: str) -> Path:
    """A partnership profile (TOML) with ``text`` after its [profile] table."""
    path = folder / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[profile]\nname = "{name}"\n{text}', encoding="utf-8")
    return path


def milestone(label: str = "Report", unit: str = "working_days", amount: int = 5) -> str:
    return (f'\n[[milestone]]\nid = "report"\nlabel = "{label}"\nanchor = "aware"\n{unit} = {amount}\n'
            'source = "a test profile"\n')


def closures_covering_every_day() -> str:
    """Closure periods of a year each, from 1900 to 2200: no day is a working day."""
    return "".join(f"\n[[closure_days]]\nfrom = {y}-01-01\nto = {y}-12-31\n" for y in range(1900, 2201))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for make in (one_character_in_xfd1048576, stray_cell_in_last_row_of_40_sheets, ods_cut_short_between_rows,
                 sound_ods, xls_whose_sheet_lies_past_its_end, sound_xls, csv_with_utf8_mark_but_cp1252_bytes,
                 csv_in_utf16_of_odd_length):
        print(make(out))
    print(action_plan_that_unpacks_to_gigabytes(out, 70 * 1024 * 1024))
