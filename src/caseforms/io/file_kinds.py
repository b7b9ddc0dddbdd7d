"""What a file on disk is, judged by its content, never by its name.

Before caseforms writes over a file it asks what the file is, so that a calendar never replaces the
case register because someone typed ``--ics register.xlsx``. Each kind of file caseforms makes is
recognised by what it holds:

* the **case register** and the **actions tracker**: a workbook whose hidden Settings sheet says
  ``register_format`` (with a Cases sheet) or ``tracker_format`` (with an Actions sheet);
* a **master chronology**: a workbook whose properties say "Made by caseforms" (File > Info), or
  with Chronology and Findings sheets;
* a **chronology request workbook** (and a return an agency filled in from one): a workbook with
  the very hidden ``caseforms`` sheet that names its case and agency;
* a **paper** (.docx): a Word document caseforms marked as its own (a document variable
  ``caseforms``, kept by Word), or made from the shipped templates (author "caseforms");
* a **calendar** (.ics) whose PRODID is caseforms'; an **e-mail draft** (.eml) that is an unsent
  chronology request or reminder; the **Set up Excel** files and Run main modules; a **PDF** of papers.

Anything else is "a file caseforms did not make". Only small parts of a file are read (bounded), so
asking is cheap even for a large workbook, and a damaged or hostile file is simply "not ours".
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: The first bytes of a zip package (.xlsx, .docx) and of a PDF.
_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF-"
#: The most of any one part read to recognise a file (parts are read in chunks up to this).
_PART_LIMIT = 64 << 20


@dataclass(frozen=True)
class Kind:
    """A kind of file: its short name and how an officer would call it."""

    name: str
    #: What a file of this kind is, as a message says it ("register.xlsx is the case register").
    words: str
    #: What caseforms writes, as a message says it ("caseforms will not write a calendar over it").
    noun: str = ""
    #: True for the kinds caseforms itself makes.
    ours: bool = True

    def __str__(self) -> str:
        return self.words


REGISTER = Kind("register", "the case register", "a case register")
TRACKER = Kind("tracker", "the actions tracker", "an actions tracker")
MASTER = Kind("master chronology", "a master chronology", "a master chronology")
REQUEST = Kind("request workbook", "a chronology request workbook", "a chronology request workbook")
PAPER = Kind("paper", "a Word paper made by caseforms", "a Word paper")
CALENDAR = Kind("calendar", "a deadlines calendar made by caseforms", "a calendar")
EMAIL = Kind("e-mail draft", "an e-mail draft made by caseforms", "an e-mail draft")
EXCEL_SETUP = Kind("Set up Excel file", "a file caseforms writes to connect Excel", "a Set up Excel file")
PDF = Kind("pdf", "a PDF of papers made by caseforms", "a PDF")
TRACKER_CSV = Kind("Case Review Tracker CSV", "a Case Review Tracker CSV made by caseforms", "a Case Review Tracker CSV")
PICTURE = Kind("picture", "a picture made by caseforms (a timeline or deadline chart)", "a picture")
EMPTY = Kind("empty", "an empty file", "a file", ours=False)
OTHER_WORKBOOK = Kind("workbook", "an Excel workbook caseforms did not make", "a workbook", ours=False)
OTHER_DOCUMENT = Kind("document", "a Word document caseforms did not make", "a Word document", ours=False)
OTHER_CALENDAR = Kind("other calendar", "a calendar caseforms did not make", "a calendar", ours=False)
OTHER = Kind("file", "a file caseforms did not make", "a file", ours=False)

#: The document variable caseforms puts in every Word document it writes (invisible in Word, which
#: keeps it when the officer edits the paper); a custom property of that name counts too.
PAPER_PROPERTY = "caseforms"
#: What the Set up Excel files, the Run main modules and the xlwings Lite files say about themselves (see
#: io/excel_setup.py, io/lite_setup.py).
_SETUP_MARKS = (b"Connects the workbooks in this folder to caseforms", b"# Written by caseforms for Excel's Run main button",
                b"# Written by caseforms for xlwings Lite")
_CALENDAR_PRODID = b"PRODID:-//caseforms//"
#: The first line of the Case Review Tracker CSV ('caseforms report'), and the mark in caseforms' SVG and PNG pictures.
CSV_HEADING = b"Local reference,National Panel reference,"
PICTURE_MARK = b"Made by caseforms"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def identify(path: Path) -> Kind | None:
    """Return what the file at ``path`` is, from its content; None when there is no such file.

    Never raises for a damaged or unreadable file: that is simply :data:`OTHER` (or
    :data:`OTHER_WORKBOOK` / :data:`OTHER_DOCUMENT` when it looks like one).
    """
    path = Path(path)
    try:
        if not path.is_file():
            return None
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError:
        return OTHER
    if not head:
        return EMPTY
    if head.startswith(_ZIP_MAGIC):
        return _package_kind(path)
    if head.startswith(_PDF_MAGIC):
        return _pdf_kind(path)
    if head.lstrip(b"\xef\xbb\xbf").startswith(CSV_HEADING):
        return TRACKER_CSV
    if (head.startswith(_PNG_MAGIC) or head.lstrip().startswith(b"<svg")) and PICTURE_MARK in head:
        return PICTURE
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"BEGIN:VCALENDAR"):
        return CALENDAR if _CALENDAR_PRODID in head else OTHER_CALENDAR
    if any(mark in head for mark in _SETUP_MARKS):
        return EXCEL_SETUP
    if _is_our_draft(head):
        return EMAIL
    return OTHER


def _is_our_draft(head: bytes) -> bool:
    """Tell a chronology request or reminder draft (request_pack's .eml) from any other message."""
    headers = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    if not re.search(rb"(?mi)^X-Unsent:\s*1\s*$", headers):
        return False
    subject = re.search(rb"(?mi)^Subject:(.*)$", headers)
    return bool(subject and re.search(rb"(?i)chronology (request|overdue)", subject.group(1)))


def _pdf_kind(path: Path) -> Kind:
    """caseforms makes PDFs only with LibreOffice, from its papers: its Info names LibreOffice, or caseforms as author."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            f.seek(max(0, size - (256 << 10)))
            tail = f.read()
    except OSError:
        return OTHER
    info = {key.decode(): _pdf_text(value) for key, value in
            re.findall(rb"/(Author|Producer)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", tail)}
    ours = "caseforms" in info.get("Author", "") or "LibreOffice" in info.get("Producer", "")
    return PDF if ours else OTHER


def _pdf_text(value: bytes) -> str:
    """Decode a PDF string: (literal) or <hex>, UTF-16 when it starts with a byte-order mark."""
    if value.startswith(b"<"):
        try:
            raw = bytes.fromhex(value[1:-1].decode("ascii"))
        except ValueError:
            return ""
    else:
        raw = value[1:-1]
    return raw[2:].decode("utf-16-be", "replace") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


# -- zip packages: workbooks and documents ---------------------------------------------------------

#: What reading a damaged or unusual zip package can raise, each meaning "this part cannot be read": a part
#: missing (KeyError), a damaged or truncated archive (BadZipFile, EOFError, OSError), an encrypted part or a
#: compression method zipfile does not support, such as Deflate64 (RuntimeError, whose subclass zipfile raises
#: for the latter), a bad header value (ValueError).
UNREADABLE_ZIP = (KeyError, OSError, zipfile.BadZipFile, RuntimeError, EOFError, ValueError)


def _read(z: zipfile.ZipFile, name: str, limit: int = _PART_LIMIT) -> bytes:
    try:
        with z.open(name) as f:
            return f.read(limit)
    except UNREADABLE_ZIP:
        return b""


def _contains(z: zipfile.ZipFile, name: str, needle: bytes) -> bool:
    """Return True when part ``name`` holds ``needle``, reading it in chunks (never more than the limit)."""
    try:
        with z.open(name) as f:
            tail, read = b"", 0
            while read < _PART_LIMIT and (chunk := f.read(1 << 20)):
                data = tail + chunk
                if needle in data:
                    return True
                tail, read = data[-len(needle):], read + len(chunk)
    except UNREADABLE_ZIP:
        return False
    return False


def attributes(tag: bytes) -> dict[str, str]:
    """Return the attributes of one XML start tag, by local name, unescaped (no XML parser, no entities)."""
    return {name.split(b":")[-1].decode("ascii", "replace"): html.unescape(value.decode("utf-8", "replace"))
            for name, value in re.findall(rb'([\w:.-]+)\s*=\s*"([^"]*)"', tag)}


def part_path(base: str, target: str) -> str:
    """Resolve a relationship's target against the part it belongs to (``xl/workbook.xml`` + ``worksheets/sheet1.xml``)."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.strip("/").split("/")[:-1] if base.strip("/") else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def rels_path(part: str) -> str:
    """Return the relationships part of ``part`` (``xl/_rels/workbook.xml.rels`` for ``xl/workbook.xml``)."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its id, type (the last word of its URI), full type, target part and mode."""

    id: str
    type: str
    type_uri: str
    target: str
    external: bool


def relationships(z: zipfile.ZipFile, part: str) -> list[Relationship]:
    """Return the relationships of ``part`` ('' for the package itself), targets resolved to part names."""
    source = rels_path(part) if part else "_rels/.rels"
    found = []
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", _read(z, source, 16 << 20)):
        a = attributes(tag)
        external = a.get("TargetMode", "").lower() == "external"
        target = a.get("Target", "")
        found.append(Relationship(a.get("Id", ""), a.get("Type", "").rstrip("/").rsplit("/", 1)[-1], a.get("Type", ""),
                                  target if external else part_path(part, target), external))
    return found


def main_part(z: zipfile.ZipFile) -> str | None:
    """Return the package's main part (the workbook or the document), from the package relationships."""
    for rel in relationships(z, ""):
        if rel.type == "officeDocument" and not rel.external:
            return rel.target
    return None


@dataclass(frozen=True)
class Sheet:
    """A sheet of a workbook as its workbook part lists it."""

    name: str
    state: str
    part: str | None


def workbook_sheets(z: zipfile.ZipFile, workbook: str) -> list[Sheet]:
    """Return the sheets of a workbook package in order, with their parts."""
    targets = {r.id: r.target for r in relationships(z, workbook) if not r.external}
    sheets = []
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", _read(z, workbook, 16 << 20)):
        a = attributes(tag)
        sheets.append(Sheet(a.get("name", ""), a.get("state", "visible"), targets.get(a.get("id", ""))))
    return sheets


def _package_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as z:
            main = main_part(z)
            if main is None:
                return OTHER
            types = _read(z, "[Content_Types].xml", 4 << 20)
            if b"wordprocessingml.document.main" in types or main.endswith("document.xml"):
                return _document_kind(z, main)
            if b"spreadsheetml" in types or b"ms-excel" in types:
                return _workbook_kind(z, main)
    except UNREADABLE_ZIP:
        return OTHER
    return OTHER


def _core(z: zipfile.ZipFile) -> bytes:
    for rel in relationships(z, ""):
        if rel.type == "core-properties" and not rel.external:
            return _read(z, rel.target, 1 << 20)
    return b""


def _document_kind(z: zipfile.ZipFile, main: str) -> Kind:
    mark = rb'name="' + PAPER_PROPERTY.encode() + rb'"'
    settings = next((_read(z, r.target, 4 << 20) for r in relationships(z, main) if r.type == "settings"), b"")
    custom = next((_read(z, r.target, 4 << 20) for r in relationships(z, "") if r.type == "custom-properties"), b"")
    if re.search(rb"<(?:\w+:)?docVar\b[^>]*" + mark, settings) or re.search(mark, custom, re.IGNORECASE):
        return PAPER
    core = _core(z)
    # Papers made before caseforms marked its documents: their templates (the shipped ones, and the
    # partnerships' restyled copies of them) name caseforms as author.
    if re.search(rb"<dc:creator>\s*caseforms\s*</dc:creator>", core) or b"A caseforms template" in core:
        return PAPER
    return OTHER_DOCUMENT


def _workbook_kind(z: zipfile.ZipFile, workbook: str) -> Kind:
    sheets = workbook_sheets(z, workbook)
    names = {s.name.casefold().strip(): s for s in sheets}
    settings = names.get("settings")
    if settings is not None:
        strings = next((r.target for r in relationships(z, workbook) if r.type == "sharedStrings"), None)

        def marked(word: bytes) -> bool:
            return bool((settings.part and _contains(z, settings.part, word)) or (strings and _contains(z, strings, word)))

        if "cases" in names and marked(b"register_format"):
            return REGISTER
        if "actions" in names and marked(b"tracker_format"):
            return TRACKER
    ident = names.get("caseforms")
    if ident is not None and ident.state == "veryHidden" and "chronology" in names:
        return REQUEST
    if b"Made by caseforms" in _core(z) or {"chronology", "findings"} <= names.keys():
        return MASTER
    return OTHER_WORKBOOK


def sheet_names(path: Path) -> list[str]:
    """Return the names of a workbook's sheets, in order; [] when it is not a readable workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            main = main_part(z)
            return [s.name for s in workbook_sheets(z, main)] if main else []
    except UNREADABLE_ZIP:
        return []
