"""Open workbooks and documents from outside within limits: none can hang caseforms, exhaust its memory or crash it.

Agencies' returns, registers passed from colleague to colleague and action plans typed in Word
are files caseforms did not make. python-calamine (Rust) reads workbooks fast, but a hostile or
damaged file can make it allocate hundreds of gigabytes (one character in cell XFD1048576 of an
``.xlsx``: an abort no Python code can catch), loop for ever (an ``.ods`` whose content stops
between two rows) or panic (a damaged ``.xls``: pyo3's ``PanicException`` derives from
``BaseException``, so ``except Exception`` misses it). So every calamine read goes through
:func:`open_workbook`:

* ``.xlsx``, ``.xlsm``, ``.xltx``, ``.xltm`` are checked in this process before calamine sees
  them: the zip is sound (every part's checksum), it unpacks to no more than
  :data:`MAX_UNPACKED_BYTES`, and the cells actually present in each sheet part (streamed, never
  held whole) reach no further than :data:`MAX_SHEET_CELLS` (and all sheets together
  :data:`MAX_WORKBOOK_CELLS`). calamine allocates a sheet from its first filled cell to its last,
  so these bounds are what it will allocate. calamine then reads the file in this process (fast:
  a merge of 40 returns pays a few hundredths of a second per return for the check); a panic
  becomes a :class:`~caseforms.errors.WorkbookCorrupt` naming the file.
* ``.xls``, ``.xlsb`` and ``.ods`` cannot be checked as cheaply, so calamine reads them in a
  worker process with a time limit (:data:`WORKER_BASE_SECONDS` plus
  :data:`WORKER_SECONDS_PER_MB` per megabyte of file) and, where the system has one, a memory
  limit (:data:`WORKER_MEMORY_BYTES`); the worker hands back the sheets' values. An ``.ods``
  whose content is not well-formed XML is refused before the worker starts. Pyodide (xlwings
  Lite) cannot start a process, and a read in its only process could not be stopped: there these
  files are refused with a sentence saying to save them as ``.xlsx`` (:class:`~caseforms.errors.NeedsDesktop`).

:func:`check_docx` applies the same unpacked-size limit to Word documents before python-docx
reads them (python-docx reads each part whole, as zipfile declares it).

Every refusal is a :class:`~caseforms.errors.WorkbookError` subclass whose message names the
file (and the sheet and the cell) and ends with the caller's ``advice``.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from operator import itemgetter
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from caseforms.errors import FileTooLarge, NeedsDesktop, WorkbookCorrupt, WorkbookError, WorkbookProtected

#: Larger files are not read at all: a chronology, register or tracker is a few megabytes.
MAX_FILE_BYTES = 100 * 1024 * 1024
#: What a workbook or document may unpack to (a damaged or malicious file can claim terabytes).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
#: One sheet, counted from A1 to its farthest filled cell: 100,000 rows of 100 columns.
MAX_SHEET_CELLS = 10_000_000
#: All the sheets of one workbook together.
MAX_WORKBOOK_CELLS = 20_000_000
#: What one part of a Word document may unpack to: python-docx holds each part parsed in memory,
#: about ten times its size, so 64 MB of XML (thousands of pages of text) is the most it reads.
MAX_DOCX_PART_BYTES = 64 * 1024 * 1024
#: A worker reading an .xls, .xlsb or .ods is stopped after this many seconds, plus the next.
WORKER_BASE_SECONDS = 20.0
#: Seconds more for each megabyte of the file (a 10 MB .xls may take a few seconds on a slow laptop).
WORKER_SECONDS_PER_MB = 10.0
#: The address space a worker may use (Linux and macOS; Windows has no such limit in the standard library).
WORKER_MEMORY_BYTES = 3 * 1024 * 1024 * 1024
#: Whether a worker process can be started. Not in Pyodide (xlwings Lite, ``sys.platform == "emscripten"``).
WORKERS = sys.platform != "emscripten"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20
#: Parts up to this size are read whole (faster); larger ones a megabyte at a time.
_WHOLE_PART_BYTES = 64 * 1024 * 1024
#: A single XML tag longer than this is not something any spreadsheet program writes.
_MAX_TAG_BYTES = 4 * 1024 * 1024

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# A cell with a position (r="B12") and something in it: not self-closing and not closed at once.
# calamine skips empty cells, so only these count towards what it allocates. Its attribute is r
# exactly (not x:r), so r must follow white space.
_FILLED_CELL = re.compile(
    rb"<" + _PREFIX + rb"c\s[^>]*?(?<=\s)r\s*=\s*[\"']\s*([A-Za-z]+)([0-9]+)\s*[\"'][^>]*?(?<!/)>(?!\s*</" + _PREFIX
    + rb"c\s*>)"
)
# The form Excel and every library we know write: <c r="B12" ...>, unprefixed, r first. A part whose
# cells all look so is read by this simpler (three times faster) expression.
_STANDARD_CELL = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"[^>]*(?<!/)>(?!</c>)')
_NOT_STANDARD = re.compile(rb'<c(?! r=")[\s/>]')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
# A cell tag without r="...": calamine then places it after the previous cell of the row.
_CELL_WITHOUT_R = re.compile(rb"<" + _PREFIX + rb"c(?:\s(?:(?!(?<=\s)r\s*=)[^>])*)?>")
_MERGE = re.compile(
    rb"<" + _PREFIX + rb"mergeCell\s[^>]*?\bref\s*=\s*[\"']\s*([A-Za-z]+)([0-9]+)(?::([A-Za-z]+)([0-9]+))?\s*[\"']"
)
# Every row and cell tag, for sheets whose cells do not all say where they are.
_ROW_OR_CELL = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"(?<=\s)r\s*=\s*[\"']\s*([A-Za-z]*)([0-9]+)\s*[\"']")
_CLOSED_AT_ONCE = re.compile(rb"\s*</" + _PREFIX + rb"c\s*>")


# -- what callers get ---------------------------------------------------------------------------


class Sheet(Protocol):
    """The part of python-calamine's CalamineSheet that caseforms uses."""

    name: str
    total_height: int
    total_width: int

    @property
    def merged_cell_ranges(self) -> list[tuple[tuple[int, int], tuple[int, int]]] | None: ...

    def to_python(self, skip_empty_area: bool = ...) -> list[list[Any]]: ...


class Workbook(Protocol):
    """The part of python-calamine's CalamineWorkbook that caseforms uses."""

    @property
    def sheet_names(self) -> list[str]: ...

    @property
    def sheets_metadata(self) -> list[Any]: ...

    def get_sheet_by_name(self, name: str) -> Sheet: ...

    def close(self) -> None: ...


#: The digests of .xlsx files found within the limits in this process: the same bytes read again (the demo reads its
#: register six times, three of them unchanged) are not measured again. Checking is a matter of the bytes alone.
_WITHIN_LIMITS: dict[bytes, None] = {}
_WITHIN_LIMITS_MAX = 64


def open_workbook(path: Path, *, advice: str) -> Workbook:
    """Return the workbook at ``path`` for reading, after checking it can be read within limits.

    The result behaves as python-calamine's ``CalamineWorkbook`` (``sheet_names``,
    ``sheets_metadata``, ``get_sheet_by_name``, ``close``); a sheet that cannot be read raises
    ``python_calamine.CalamineError`` when asked for, as calamine does. Raises
    :class:`~caseforms.errors.WorkbookError` (a subclass saying what is wrong) for a file that
    cannot be opened, is damaged, protected or too large; ``advice`` ends each message.
    """
    path = Path(path)
    data = _read_file(path, advice)
    kind = _kind(path, data, advice)
    if kind == "xlsx":
        digest = hashlib.sha256(data).digest()
        if digest not in _WITHIN_LIMITS:
            with _zip(path, data, advice) as z:
                _check_xlsx(path, z, advice)
            if len(_WITHIN_LIMITS) >= _WITHIN_LIMITS_MAX:
                _WITHIN_LIMITS.pop(next(iter(_WITHIN_LIMITS)))
            _WITHIN_LIMITS[digest] = None
        return _open_in_process(path, data, advice)
    if kind in ("ods", "xlsb"):
        with _zip(path, data, advice) as z:
            if kind == "ods":
                _check_ods_content(path, z, advice)
    if not WORKERS:
        what = {"xls": "an old Excel workbook (.xls)", "xlsb": "an Excel binary workbook (.xlsb)",
                "ods": "a LibreOffice spreadsheet (.ods)"}[kind]
        raise NeedsDesktop(f"{path.name} is {what}, which caseforms reads only on a computer with Python installed, "
                           "not inside Excel (xlwings Lite). Open it in Excel, save it as an Excel Workbook (.xlsx) "
                           f"in the same folder, and try again. {advice}")
    return _open_in_worker(path, len(data), advice)


def check_docx(path: Path, *, advice: str) -> None:
    """Raise :class:`~caseforms.errors.WorkbookError` unless the Word document at ``path`` can be read within limits.

    The file must be a zip no larger than :data:`MAX_FILE_BYTES` that unpacks to no more than
    :data:`MAX_UNPACKED_BYTES`, no part over :data:`MAX_DOCX_PART_BYTES`.
    """
    path = Path(path)
    data = _read_file(path, advice)
    if data[:4] != _ZIP_MAGIC:
        if data[:8] == _OLE_MAGIC:
            raise WorkbookProtected(f"{path.name} is an old Word document (.doc) or is protected with a password, "
                                    f"so it cannot be read. Open it in Word, save it as a .docx without a password. "
                                    f"{advice}")
        raise WorkbookCorrupt(f"{path.name} is damaged or is not really a Word document (.docx). {advice}")
    with _zip(path, data, advice) as z:
        infos = z.infolist()
        _check_declared_sizes(path, infos, advice)
        for info in infos:
            if info.file_size > MAX_DOCX_PART_BYTES:
                raise FileTooLarge(
                    f"{path.name}: its part {info.filename} unpacks to {_size(info.file_size)} (the whole file is "
                    f"{_size(len(data))}), far more than any document's text; it is damaged or made to harm, and is "
                    f"not read. {advice}"
                )
        for info in infos:  # every part whole, its checksum right: damage is found here, not in a reader
            for _ in _stream(path, z, info, advice):
                pass


# -- the file itself ------------------------------------------------------------------------------


def _read_file(path: Path, advice: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileTooLarge(f"{path.name} is {_size(size)}; files over {_size(MAX_FILE_BYTES)} are not read. It is "
                               f"probably the wrong file, or it carries pictures. {advice}")
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError as e:
        raise WorkbookError(f"{path} is a folder, not a file. Check the name.") from e
    except FileNotFoundError as e:
        raise WorkbookError(f"{path}: no such file. Check the name and the folder.") from e
    except PermissionError as e:
        raise WorkbookError(f"{path.name} cannot be opened: you do not have permission to read it. Ask whoever "
                            "manages the folder to let you read it, or copy the file somewhere you can.") from e
    except OSError as e:
        raise WorkbookError(f"{path.name} cannot be opened ({e.strerror or e}). Check it is not open in another "
                            "program and that the folder is reachable, then try again.") from e
    if not data:
        raise WorkbookCorrupt(f"{path.name} is empty (0 bytes): nothing was saved in it. {advice}")
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(f"{path.name} is over {_size(MAX_FILE_BYTES)} and is not read. {advice}")
    return data


def _kind(path: Path, data: bytes, advice: str) -> str:
    """Return what the file is by its content: xlsx (the Excel 2007+ XML family), xlsb, ods or xls."""
    if data[:8] == _OLE_MAGIC:
        head = data[: 1 << 20]
        if "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head:
            raise WorkbookProtected(f"{path.name} is protected with a password, so it cannot be read. Open it in "
                                    "Excel with the password, remove it (File > Info > Protect Workbook > Encrypt with "
                                    "Password, clear it), save, and try again.")
        return "xls"
    if data[:4] != _ZIP_MAGIC:
        raise WorkbookCorrupt(f"{path.name} is damaged or is not really a spreadsheet (its content is not Excel's "
                              f"or LibreOffice's). {advice}")
    with _zip(path, data, advice) as z:
        names = set(z.namelist())
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names:
        return "ods"
    what = "a Word document" if "word/document.xml" in names else "a zip folder of other files"
    raise WorkbookCorrupt(f"{path.name} is damaged or is not really a workbook (it is {what}). {advice}")


class _Zip:
    """A zip read from bytes, whose damage becomes WorkbookCorrupt naming the file."""

    def __init__(self, path: Path, data: bytes, advice: str) -> None:
        self.path, self.advice = path, advice
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
            raise _damaged(path, e, advice) from e

    def __enter__(self) -> zipfile.ZipFile:
        return self.zip

    def __exit__(self, *exc: object) -> None:
        self.zip.close()


def _zip(path: Path, data: bytes, advice: str) -> _Zip:
    return _Zip(path, data, advice)


def _damaged(path: Path, e: BaseException, advice: str) -> WorkbookCorrupt:
    return WorkbookCorrupt(f"{path.name} is damaged (the file is incomplete or not a real workbook: {e}). {advice}")


def _check_declared_sizes(path: Path, infos: Sequence[zipfile.ZipInfo], advice: str) -> None:
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileTooLarge(
            f"{path.name} unpacks to {_size(unpacked)} although the file is {_size(sum(i.compress_size for i in infos))}, "
            f"far more than any real file; it is damaged or made to harm, and is not read. {advice}"
        )


def _stream(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, advice: str) -> Iterator[bytes]:
    """Yield a part's bytes a megabyte at a time; its checksum is verified at the end (zipfile does)."""
    try:
        with z.open(info) as f:
            while chunk := f.read(_CHUNK):
                yield chunk
    except Exception as e:  # BadZipFile (a wrong checksum), zlib.error, EOFError, encrypted parts: damage
        raise _damaged(path, e, advice) from e


# -- the Excel XML family: the cells each sheet part holds ------------------------------------------


@dataclass
class _Extent:
    """How far a sheet part's filled cells reach (0-based, as calamine counts them)."""

    part: str
    filled: bool = False
    rows: int = 0
    cols: int = 0
    merged: int = 0

    @property
    def cells(self) -> int:
        """The cells calamine allocates and caseforms reads back, A1 to the farthest, merged areas filled."""
        return ((self.rows + 1) * (self.cols + 1) if self.filled else 0) + self.merged


def _check_xlsx(path: Path, z: zipfile.ZipFile, advice: str) -> None:
    infos = [i for i in z.infolist() if not i.is_dir()]
    _check_declared_sizes(path, infos, advice)
    extents = [e for info in infos if (e := _extent(path, z, info, advice)).filled or e.merged]
    too_far = [e for e in extents if e.cells > MAX_SHEET_CELLS]
    total = sum(e.cells for e in extents)
    if not too_far and total <= MAX_WORKBOOK_CELLS:
        return
    names = _sheet_names(z)
    if too_far:
        e = too_far[0]
        raise FileTooLarge(f"{path.name}, {_sheet_of(e, names)}: {_far_text(path, z, e, advice)} {_what_to_delete()} "
                           f"{advice}")
    far = sorted(extents, key=lambda e: -e.cells)[:3]
    listed = "; ".join(f"{_sheet_of(e, names)} to {_letters(e.cols)}{e.rows + 1}" for e in far)
    if len(extents) > len(far):
        listed += f"; and {len(extents) - len(far)} more"
    raise FileTooLarge(
        f"{path.name}: its sheets together reach {total / 1e6:.0f} million cells, far beyond any table ({listed}), "
        f"so it is not read. {_what_to_delete(each=True)} {advice}"
    )


def _extent(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, advice: str) -> _Extent:
    """Return how far the filled cells of one part reach, reading it a megabyte at a time.

    Excel, LibreOffice and every library we know write each cell's position (r="B12"); then the
    positions are gathered by one regular expression per megabyte. A part with a cell that does
    not say where it is is read again, following the rows and cells as calamine does.
    """
    extent = _Extent(info.filename)
    merges: list[tuple[bytes, bytes, bytes, bytes]] = []
    sheet = False
    for text in _texts(path, z, info, advice):
        # calamine reads cells only after <sheetData>: a part without it (shared strings, styles) has none.
        sheet = sheet or b"sheetData" in text
        if not sheet:
            continue
        if not _NOT_STANDARD.search(text) and (b":c" not in text or not _PREFIXED_CELL.search(text)):
            cells = _STANDARD_CELL.findall(text)
        elif not _CELL_WITHOUT_R.search(text):
            cells = _FILLED_CELL.findall(text)
        else:
            return _extent_walked(path, z, info, advice)
        if cells:
            extent.rows = max(extent.rows, max(map(int, map(itemgetter(1), cells))) - 1)
            extent.cols = max(extent.cols, max(map(_column, set(map(itemgetter(0), cells)))))
            extent.filled = True
        if b"mergeCell" in text:
            merges.extend(_MERGE.findall(text))
    _add_merges(extent, merges)
    return extent


def _extent_walked(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, advice: str) -> _Extent:
    extent = _Extent(info.filename)
    merges: list[tuple[bytes, bytes, bytes, bytes]] = []
    state = [0, 0]
    for text in _tags(path, z, info, advice):
        for row, col in _walk(text, state):
            extent.rows, extent.cols, extent.filled = max(extent.rows, row), max(extent.cols, col), True
        if b"mergeCell" in text:
            merges.extend(_MERGE.findall(text))
    _add_merges(extent, merges)
    return extent


def _texts(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, advice: str) -> Iterator[bytes]:
    """Yield a part's text whole when it is small enough to hold, else a megabyte at a time."""
    if info.file_size > _WHOLE_PART_BYTES:
        yield from _tags(path, z, info, advice)
        return
    try:
        yield z.read(info)
    except Exception as e:  # zipfile's and zlib's errors for a damaged part
        raise _damaged(path, e, advice) from e


def _tags(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, advice: str) -> Iterator[bytes]:
    """Yield a part's text a megabyte at a time, each piece ending at the end of a tag."""
    carry = b""
    for chunk in _stream(path, z, info, advice):
        buffer = carry + chunk
        end = buffer.rfind(b">") + 1
        carry = buffer[end:]
        if len(carry) > _MAX_TAG_BYTES:
            raise _damaged(path, ValueError(f"{info.filename} holds text or a tag over {_size(_MAX_TAG_BYTES)} long"),
                           advice)
        if end:
            yield buffer[:end]


def _walk(text: bytes, state: list[int]) -> Iterator[tuple[int, int]]:
    """Yield the (row, column) of each filled cell as calamine places it; ``state`` is its row and next column."""
    for m in _ROW_OR_CELL.finditer(text):
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        self_closing = attrs.endswith(b"/")
        if tag == b"row":
            if closing:
                state[0], state[1] = state[0] + 1, 0
                continue
            r = _R_ATTR.search(attrs)
            if r:
                state[0] = int(r.group(2)) - 1
            if self_closing:
                state[0], state[1] = state[0] + 1, 0
            continue
        if closing:
            continue
        r = _R_ATTR.search(attrs)
        if r and r.group(1):
            row, col = int(r.group(2)) - 1, _column(r.group(1))
        else:
            row, col = state[0], state[1]
        state[1] = col + 1
        if not self_closing and not _CLOSED_AT_ONCE.match(text, m.end()):
            yield row, col


def _add_merges(extent: _Extent, merges: list[tuple[bytes, bytes, bytes, bytes]]) -> None:
    for first_col, first_row, last_col, last_row in merges:
        r0, c0 = int(first_row) - 1, _column(first_col)
        r1, c1 = (int(last_row) - 1, _column(last_col)) if last_col and last_row else (r0, c0)
        if r1 < r0 or c1 < c0:
            continue
        # caseforms copies a merged cell's value over the area it covers, within the rows read.
        rows = min(r1, extent.rows) - r0 + 1 if extent.filled else 1
        extent.merged += max(rows, 0) * (c1 - c0 + 1)


def _column(letters: bytes) -> int:
    """Return the 0-based column of letters such as b"XFD" (16383)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n - 1


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col > 0:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _far_text(path: Path, z: zipfile.ZipFile, e: _Extent, advice: str) -> str:
    corner = f"{_letters(e.cols)}{e.rows + 1}"
    far: list[str] = []
    if e.filled:
        state = [0, 0]
        for text in _tags(path, z, z.getinfo(e.part), advice):
            for row, col in _walk(text, state):
                ref = f"{_letters(col)}{row + 1}"
                if (row == e.rows or col == e.cols) and ref not in far and len(far) < 2:
                    far.append(ref)
    if far == [corner]:
        typed = " because something is typed in that cell"
    else:
        typed = f" because something is typed in {' and '.join(far)}" if far else ""
    merged = f" and merged cells cover {e.merged:,} cells" if e.merged > MAX_SHEET_CELLS // 2 else ""
    return (f"the sheet reaches cell {corner}{typed}{merged}, far beyond any table ({e.cells / 1e6:,.0f} million cells "
            "from A1), so it is not read.")


def _what_to_delete(each: bool = False) -> str:
    return (f"In Excel, press Ctrl+End on {'each of those sheets' if each else 'the sheet'} to go to its last cell, "
            "delete the rows and columns after the table (select them, right-click, Delete), save and try again.")


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Return sheet part name -> sheet name, read from workbook.xml and its relationships (best effort)."""
    try:
        workbook = z.read("xl/workbook.xml")[: 4 << 20]
        rels = z.read("xl/_rels/workbook.xml.rels")[: 4 << 20]
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
        rid = re.search(rb"\bId\s*=\s*[\"']([^\"']*)", tag)
        target = re.search(rb"\bTarget\s*=\s*[\"']([^\"']*)", tag)
        if rid and target:
            t = target.group(1).decode("utf-8", "replace").lstrip("/")
            targets[rid.group(1)] = t if t.startswith("xl/") else f"xl/{t}"
    names = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\s[^>]*>", workbook):
        name = re.search(rb"\bname\s*=\s*\"([^\"]*)\"|\bname\s*=\s*'([^']*)'", tag)
        rid = re.search(rb"\b(?:r|relationships):id\s*=\s*[\"']([^\"']*)", tag)
        if name and rid and rid.group(1) in targets:
            names[targets[rid.group(1)]] = unescape((name.group(1) or name.group(2)).decode("utf-8", "replace"))
    return names


def _sheet_of(e: _Extent, names: dict[str, str]) -> str:
    name = names.get(e.part)
    return f"sheet {name}" if name else f"its part {e.part}"


# -- OpenDocument: the content must be whole ----------------------------------------------------------


def _check_ods_content(path: Path, z: zipfile.ZipFile, advice: str) -> None:
    """Refuse an .ods whose content.xml is not well-formed (cut short: calamine would loop for ever)."""
    from xml.parsers import expat

    infos = [i for i in z.infolist() if not i.is_dir()]
    _check_declared_sizes(path, infos, advice)
    parser = expat.ParserCreate()
    # A spreadsheet's content never declares entities; refusing any keeps expansion attacks out.
    parser.EntityDeclHandler = _refuse_entities
    try:
        for chunk in _stream(path, z, z.getinfo("content.xml"), advice):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, ValueError) as e:
        raise WorkbookCorrupt(
            f"{path.name} is damaged: its content is cut short or broken ({e}), so it cannot be read. {advice}"
        ) from e


def _refuse_entities(*_: object) -> None:
    raise ValueError("it declares XML entities, which no spreadsheet does")


# -- calamine in this process ------------------------------------------------------------------------

T = TypeVar("T")


def _open_in_process(path: Path, data: bytes, advice: str) -> Workbook:
    import python_calamine as calamine

    try:
        workbook = _guard(calamine, lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))
    except calamine.PasswordError as e:
        raise WorkbookProtected(f"{path.name} is protected with a password, so it cannot be read. {advice}") from e
    except (calamine.CalamineError, ValueError, OSError) as e:
        raise WorkbookCorrupt(f"{path.name} is damaged and cannot be read ({e}). {advice}") from e
    return _GuardedWorkbook(workbook, calamine)


def _is_panic(e: BaseException) -> bool:
    return type(e).__name__ == "PanicException"


def _guard(calamine: Any, call: Callable[[], T]) -> T:
    """Run a calamine call; a Rust panic becomes calamine's own error, which callers already handle."""
    try:
        return call()
    except BaseException as e:
        if _is_panic(e):
            raise calamine.CalamineError(f"the reader failed on damaged content: {e}") from e
        raise


class _GuardedWorkbook:
    """A CalamineWorkbook whose panics arrive as CalamineError."""

    def __init__(self, workbook: Any, calamine: Any) -> None:
        self._workbook, self._calamine = workbook, calamine

    @property
    def sheet_names(self) -> list[str]:
        return _guard(self._calamine, lambda: list(self._workbook.sheet_names))

    @property
    def sheets_metadata(self) -> list[Any]:
        return _guard(self._calamine, lambda: list(self._workbook.sheets_metadata))

    def get_sheet_by_name(self, name: str) -> _GuardedSheet:
        return _GuardedSheet(_guard(self._calamine, lambda: self._workbook.get_sheet_by_name(name)), self._calamine)

    def close(self) -> None:
        self._workbook.close()

    def __enter__(self) -> _GuardedWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _GuardedSheet:
    def __init__(self, sheet: Any, calamine: Any) -> None:
        self._sheet, self._calamine = sheet, calamine
        self.name: str = sheet.name
        self.total_height: int = sheet.total_height
        self.total_width: int = sheet.total_width

    @property
    def merged_cell_ranges(self) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
        return _guard(self._calamine, lambda: self._sheet.merged_cell_ranges)

    def to_python(self, skip_empty_area: bool = True) -> list[list[Any]]:
        return _guard(self._calamine, lambda: self._sheet.to_python(skip_empty_area=skip_empty_area))


# -- calamine in a worker process -----------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    """A metadata value as calamine's enums show it (``.name``)."""

    name: str


@dataclass(frozen=True)
class SheetInfo:
    """A sheet's metadata as calamine's SheetMetadata shows it."""

    name: str
    typ: _Label
    visible: _Label


class SheetSnapshot:
    """A sheet read by the worker: its values, size and merged areas."""

    def __init__(self, name: str, rows: list[list[Any]], height: int, width: int,
                 merged: list[tuple[tuple[int, int], tuple[int, int]]] | None) -> None:
        self.name, self._rows, self.total_height, self.total_width = name, rows, height, width
        self.merged_cell_ranges = merged

    def to_python(self, skip_empty_area: bool = True) -> list[list[Any]]:
        rows = [list(r) for r in self._rows]
        if skip_empty_area:  # as calamine: from the first filled row and column
            filled = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v not in (None, "")]
            if not filled:
                return []
            top, left = min(r for r, _ in filled), min(c for _, c in filled)
            rows = [row[left:] for row in rows[top:]]
        return rows


class WorkbookSnapshot:
    """A workbook read by the worker; a sheet the worker could not read raises CalamineError when asked for."""

    def __init__(self, infos: list[SheetInfo], sheets: dict[str, SheetSnapshot | str]) -> None:
        self._infos, self._sheets = infos, sheets

    @property
    def sheet_names(self) -> list[str]:
        return [i.name for i in self._infos]

    @property
    def sheets_metadata(self) -> list[SheetInfo]:
        return list(self._infos)

    def get_sheet_by_name(self, name: str) -> SheetSnapshot:
        import python_calamine as calamine

        sheet = self._sheets.get(name)
        if sheet is None:
            raise calamine.WorksheetNotFound(name)
        if isinstance(sheet, str):
            raise calamine.CalamineError(sheet)
        return sheet

    def close(self) -> None:
        self._sheets = {}

    def __enter__(self) -> WorkbookSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: The last worker result for a file (its size and time of change): a return read twice (its
#: identity, then its table) costs one worker.
_last: tuple[tuple[str, int, int], Any] | None = None


def _open_in_worker(path: Path, size: int, advice: str) -> Workbook:
    global _last
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and _last is not None and _last[0] == key:
        result = _last[1]
    else:
        result = _run_worker(path, size)
        if key is not None:
            _last = (key, result)
    return _from_result(path, result, advice)


#: The worker's first statement: it imports nothing from the folder it starts in (the returns' folder, where a file
#: named like a module would be imported). PYTHONSAFEPATH already leaves that folder out on Python 3.11 and later,
#: where sys.path[0] is then the first PYTHONPATH entry or the standard library, which must stay.
WORKER_PATH = "import sys\nif sys.path and sys.path[0] == '': del sys.path[0]"


def _run_worker(path: Path, size: int) -> Any:
    """Return what the worker found: ("ok", infos, sheets), ("protected",), ("damaged", why) or ("too_large", ...)."""
    import subprocess  # here: Pyodide (xlwings Lite) has the module but can start no process

    seconds = WORKER_BASE_SECONDS + WORKER_SECONDS_PER_MB * size / (1024 * 1024)
    code = f"{WORKER_PATH}\nfrom caseforms.io.bounded import _worker_main\n_worker_main()"
    env = {**os.environ, "RUST_BACKTRACE": "0", "PYTHONSAFEPATH": "1", "PYTHONIOENCODING": "utf-8"}
    if not sys.executable:
        return ("damaged", "caseforms cannot start a Python worker to read it here")
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], input=b"", capture_output=True, timeout=seconds, env=env,
            check=False, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console flashing up on Windows
        )
    except subprocess.TimeoutExpired:
        return ("slow", seconds)
    except OSError as e:
        return ("damaged", f"caseforms could not start a Python worker to read it: {e}")
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        memory = any("memory allocation" in line or "MemoryError" in line for line in detail)
        return ("memory",) if memory else ("crashed", detail[0] if detail else f"exit status {done.returncode}")
    try:
        return _SafeUnpickler(io.BytesIO(done.stdout)).load()
    except Exception as e:  # a worker that printed something else: treat as a failed read
        return ("crashed", f"the worker's answer could not be read ({e})")


def _from_result(path: Path, result: Any, advice: str) -> Workbook:
    kind = result[0]
    if kind == "ok":
        _, infos, sheets = result
        return WorkbookSnapshot(
            [SheetInfo(n, _Label(t), _Label(v)) for n, t, v in infos],
            {name: (s if isinstance(s, str) else SheetSnapshot(name, *s)) for name, s in sheets.items()},
        )
    if kind == "protected":
        raise WorkbookProtected(f"{path.name} is protected with a password, so it cannot be read. {advice}")
    if kind == "too_large":
        _, sheet, height, width, total = result
        where = f"sheet {sheet}: the sheet reaches cell {_letters(width - 1)}{height:,}" if sheet else \
            f"its sheets together reach {total / 1e6:.0f} million cells"
        raise FileTooLarge(f"{path.name}, {where}, far beyond any table, so it is not read. {_what_to_delete()} "
                           f"{advice}")
    if kind == "memory":
        raise FileTooLarge(f"{path.name} needs more memory to read than caseforms allows "
                           f"({_size(WORKER_MEMORY_BYTES)}): it is damaged, or its sheets reach far beyond any table. "
                           f"Open it in Excel, save it as .xlsx and try again. {advice}")
    if kind == "slow":
        raise WorkbookCorrupt(f"{path.name} took more than {result[1]:.0f} seconds to read and was stopped: it is "
                              f"damaged. Open it in Excel or LibreOffice, save it as .xlsx and try again. {advice}")
    raise WorkbookCorrupt(f"{path.name} is damaged and cannot be read ({result[1]}). {advice}")


class _SafeUnpickler(pickle.Unpickler):
    """Unpickle the worker's answer: plain values, lists, dicts and the datetime types only."""

    _ALLOWED: ClassVar[set[tuple[str, str]]] = {
        ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not expected from the worker")


def _worker_main() -> None:
    """Read the workbook named on the command line and write what it holds to stdout (the worker's side)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):  # Windows has no resource module; some systems refuse
        pass
    sys.stdout.buffer.write(pickle.dumps(_read_everything(Path(sys.argv[1])), protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()


def _read_everything(path: Path) -> tuple[Any, ...]:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        return ("protected",)
    except Exception as e:  # calamine's errors for every kind of damage
        return ("damaged", str(e))
    except BaseException as e:
        if _is_panic(e):
            return ("damaged", f"the reader failed on damaged content: {e}")
        raise
    infos: list[tuple[str, str, str]] = []
    try:
        for meta in workbook.sheets_metadata:
            infos.append((meta.name, getattr(meta.typ, "name", "WorkSheet"), getattr(meta.visible, "name", "Visible")))
    except BaseException:  # no metadata: every sheet a visible worksheet
        infos = [(name, "WorkSheet", "Visible") for name in workbook.sheet_names]
    sheets: dict[str, Any] = {}
    total = 0
    for name, typ, _ in infos:
        if typ != "WorkSheet":
            continue
        try:
            sheet = workbook.get_sheet_by_name(name)
            height, width = sheet.total_height, sheet.total_width
            merged = sheet.merged_cell_ranges
            cells = (height + 1) * (width + 1) + sum(
                (min(r1, height) - r0 + 1) * (c1 - c0 + 1) for (r0, c0), (r1, c1) in merged or () if r1 >= r0
            )
            if cells > MAX_SHEET_CELLS:
                return ("too_large", name, height, width, cells)
            total += cells
            if total > MAX_WORKBOOK_CELLS:
                return ("too_large", None, 0, 0, total)
            sheets[name] = (sheet.to_python(skip_empty_area=False), height, width,
                            [tuple(map(tuple, r)) for r in merged] if merged else merged)
        except Exception as e:
            sheets[name] = f"{e}"
        except BaseException as e:
            if not _is_panic(e):
                raise
            sheets[name] = f"the reader failed on damaged content: {e}"
    return ("ok", infos, sheets)


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"
