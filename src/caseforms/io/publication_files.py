"""Papers and workbooks for publication: replace identifiers in a Word document, read back every text to check.

A name Word has split over several runs ("Ty" + "ler", after a spelling check or an edit in the
middle of it) is still one name: each paragraph's text is matched whole, and the replacement goes
in the run where the name starts, keeping that run's formatting; the rest of the name is taken out
of the runs after it.

What the check reads: in a document, every paragraph of the body (inside tables, content controls
and text boxes too), of every header and footer, of the footnotes, endnotes and comments, and the
document's properties (title, subject, keywords, description); in a workbook, every text cell of
every sheet.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from caseforms.cells import column_letter
from caseforms.errors import WorkbookCorrupt
from caseforms.publication.anonymise import Anonymiser, fitted

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: The parts of a Word document that hold text a reader sees, beside the body.
_TEXT_PARTS = re.compile(r"^/?word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_CORE_FIELDS = ("title", "subject", "keywords", "comments", "category")


# -- writing -------------------------------------------------------------------------------------------


def anonymise_document(document: Any, anonymiser: Anonymiser) -> int:
    """Replace every identifier in a python-docx document (body, headers, footers, notes, properties); return how many."""
    count = 0
    for part in document.part.package.iter_parts():
        if not _TEXT_PARTS.match(str(part.partname)):
            continue
        element = getattr(part, "element", None)
        if element is not None:
            count += anonymise_element(element, anonymiser)
            continue
        # A part python-docx keeps as bytes (footnotes, comments in older versions): parsed, changed, put back.
        root = etree.fromstring(part.blob)
        changed = anonymise_element(root, anonymiser)
        if changed:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            count += changed
    props = document.core_properties
    for name in _CORE_FIELDS:
        value = getattr(props, name, None)
        if isinstance(value, str) and value:
            said = anonymiser.anonymise(value)
            if said != value:
                setattr(props, name, said)
                count += 1
    return count


def anonymise_element(root: Any, anonymiser: Anonymiser) -> int:
    """Replace the identifiers in every paragraph under ``root`` (an lxml element); return how many.

    Tracked changes are accepted first: a deletion still holds its text (Word shows it in the margin), so it
    goes; an insertion stays as ordinary text.
    """
    count = _accept_changes(root)
    for p in root.iter(f"{W}p"):
        runs = [t for t in p.iter(f"{W}t") if _paragraph_of(t) is p]
        text = "".join(t.text or "" for t in runs)
        found = anonymiser.matches(text)
        if not found:
            continue
        starts, at = [], 0
        for t in runs:
            starts.append(at)
            at += len(t.text or "")
        for m in reversed(found):
            said = fitted(m.replacement, text, m)
            first = max(i for i, s in enumerate(starts) if s <= m.start and (s < m.end or s == m.start))
            last = max(i for i, s in enumerate(starts) if s < m.end)
            head = runs[first].text or ""
            if first == last:
                runs[first].text = head[:m.start - starts[first]] + said + head[m.end - starts[first]:]
            else:
                runs[first].text = head[:m.start - starts[first]] + said
                for t in runs[first + 1:last]:
                    t.text = ""
                tail = runs[last].text or ""
                runs[last].text = tail[m.end - starts[last]:]
                runs[last].set(_XML_SPACE, "preserve")
            runs[first].set(_XML_SPACE, "preserve")
            count += 1
    return count


def _accept_changes(root: Any) -> int:
    """Accept the tracked changes under ``root``: deletions removed, insertions kept as plain text; return how many."""
    count = 0
    for tag in ("del", "moveFrom"):
        for node in list(root.iter(f"{W}{tag}")):
            if node.getparent() is not None and node.getparent().tag != f"{W}rPr":
                node.getparent().remove(node)
                count += 1
    for tag in ("ins", "moveTo"):
        for node in list(root.iter(f"{W}{tag}")):
            parent = node.getparent()
            if parent is None or parent.tag == f"{W}rPr":
                continue
            at = parent.index(node)
            for child in list(node):
                parent.insert(at, child)
                at += 1
            parent.remove(node)
    return count


def _paragraph_of(node: Any) -> Any:
    parent = node.getparent()
    while parent is not None and parent.tag != f"{W}p":
        parent = parent.getparent()
    return parent


# -- reading back, for the check ------------------------------------------------------------------------


def document_texts(path: Path) -> list[tuple[str, str]]:
    """Return (place, text) for every paragraph of a Word document a reader sees, and its properties.

    Places are said as an officer finds them: "paragraph 12", "table 2, row 3, column 1", "section
    'Case summary', paragraph 3", "header", "footer", "comment 2", "document properties (title)".
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            parts = {n: z.read(n) for n in names if _TEXT_PARTS.match(n) or n == "docProps/core.xml"}
            links = {n: z.read(n) for n in names if re.match(r"^word/_rels/.+\.xml\.rels$", n)}
    except (OSError, zipfile.BadZipFile) as e:
        raise WorkbookCorrupt(f"{path} cannot be read as a Word document ({e}). Open it in Word and save it as .docx, "
                              "then check it again.") from e
    texts: list[tuple[str, str]] = []
    body = parts.pop("word/document.xml", None)
    if body is not None:
        texts += _body_texts(etree.fromstring(body))
    for name in sorted(parts):
        if name == "docProps/core.xml":
            continue
        kind = re.sub(r"\d+$", "", name.rsplit("/", 1)[-1].removesuffix(".xml"))
        for n, p in enumerate(etree.fromstring(parts[name]).iter(f"{W}p"), start=1):
            text = _text(p)
            if text.strip():
                texts.append((f"{kind}, paragraph {n}" if kind in ("footnotes", "endnotes", "comments") else kind, text))
    # A link's address is not on the page, but it is in the file and a click away: "facebook.com/zoe.obrien".
    for name in sorted(links):
        for rel in etree.fromstring(links[name]):
            if rel.get("TargetMode") == "External" and (rel.get("Target") or "").strip():
                texts.append(("the address of a link", rel.get("Target") or ""))
    core = parts.get("docProps/core.xml")
    if core is not None:
        for node in etree.fromstring(core):
            name = etree.QName(node).localname
            if name in (*_CORE_FIELDS, "description") and (node.text or "").strip():
                texts.append((f"document properties ({name})", node.text or ""))
    return texts


def _body_texts(root: Any) -> Iterator[tuple[str, str]]:
    tables = {id(t): n for n, t in enumerate(root.iter(f"{W}tbl"), start=1)}
    paragraph = 0
    for p in root.iter(f"{W}p"):
        cell = next((a for a in p.iterancestors(f"{W}tc")), None)
        if cell is None:
            paragraph += 1
        text = _text(p)
        if not text.strip():
            continue
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            place = (f"table {tables.get(id(table), '?')}, row {table.index(row) - _before_rows(table) + 1}, "
                     f"column {_cell_number(row, cell)}")
        else:
            place = f"paragraph {paragraph}"
        section = _section_title(p)
        yield (f"section '{section}', {place}" if section else place), text


def _before_rows(table: Any) -> int:
    """Return how many children of a table come before its first row (its properties and grid)."""
    return next((i for i, child in enumerate(table) if child.tag == f"{W}tr"), 0)


def _cell_number(row: Any, cell: Any) -> int:
    return [c for c in row if c.tag == f"{W}tc"].index(cell) + 1


def _section_title(p: Any) -> str:
    for sdt in p.iterancestors(f"{W}sdt"):
        alias = sdt.find(f"{W}sdtPr/{W}alias")
        if alias is not None and alias.get(f"{W}val"):
            return str(alias.get(f"{W}val"))
    return ""


def _text(p: Any) -> str:
    parts = []
    # A tracked deletion's text is still in the file, and Word shows it: it is read as the rest is.
    for node in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
        if _paragraph_of(node) is not p:
            continue
        parts.append(node.text or "" if node.tag in (f"{W}t", f"{W}delText") else " ")
    return "".join(parts)


def workbook_texts(path: Path) -> list[tuple[str, str]]:
    """Return (place, text) for every text cell of every sheet of a workbook: "sheet 'Chronology', cell H7"."""
    from caseforms.io.bounded import open_workbook

    workbook = open_workbook(Path(path), advice="Open it in Excel and save it again, then check it again.")
    texts: list[tuple[str, str]] = []
    try:
        for name in workbook.sheet_names:
            for r, row in enumerate(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False), start=1):
                for c, value in enumerate(row):
                    if isinstance(value, str) and value.strip():
                        texts.append((f"sheet '{name}', cell {column_letter(c)}{r}", value))
    except Exception as e:  # calamine raises its own error types for every kind of damage
        raise WorkbookCorrupt(f"{path} cannot be read as a workbook ({e}). Open it in Excel and save it again.") from e
    finally:
        workbook.close()
    return texts


def file_texts(path: Path) -> list[tuple[str, str]]:
    """Return the texts of a document (.docx) or a workbook (.xlsx) for the publication check."""
    if Path(path).suffix.lower() == ".docx":
        return document_texts(path)
    return workbook_texts(path)
