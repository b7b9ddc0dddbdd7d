"""Papers the officer finishes in Word: what caseforms records in each, reading back what was written, carrying it on.

How an officer-written section is marked. Each template puts the parts an officer writes (the
Rapid Review report's case summary, findings, sign-off...) in a rich text content control
(``w:sdt``) tagged ``caseforms:<paper>:<section>`` and titled in Word ("Case summary"); it cannot be
deleted by mistake (``sdtLocked``), its content can be rewritten freely. docxtpl fills it like any
paragraph: the register's text, or the highlighted "[not recorded: ...]" prompt. Each section
opens with the template's heading or bold label (LibreOffice 7.4 drops the character formatting of
a control's first paragraph). caseforms also records the text of that label and of the paragraph
after the section: LibreOffice, saving a document, turns a block content control into an inline
one without its tag, and a section is then found again from its label to the paragraph after it.

What caseforms records. Every paper it writes carries custom document properties (File > Info >
Properties > Advanced in Word; they survive Word and LibreOffice): the case, the paper, its
version, when caseforms wrote it (also written as the document's "modified" date and "last
modified by: caseforms"), what it was made from (a fingerprint of the register's facts, the
template and the text carried in), a fingerprint of each section as caseforms filled it, the
sections that hold the officer's text, a fingerprint of the whole text, and what is not recorded.

Reading back. A paper was edited when something else saved it since (Word and LibreOffice write
their own modified date and author), or when its text differs from what caseforms wrote. A
section holds the officer's writing when its content differs from the fill caseforms recorded
and is not empty (emptying a section hands it back to the register). That content is carried as
XML, paragraphs, runs, bold, bullet and numbered lists, tables and pictures included, with the
styles, numbering definitions, pictures and hyperlinks it needs copied into the new document
(docxcompose's own machinery). Comments and footnotes inside a section are not carried (the earlier
version keeps them, and the command says so); bookmarks in it are dropped.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from lxml import etree

from caseforms.papers.fields import SECTION_TAG
from caseforms.papers.versions import FIRST_VERSION, Latest, version_key

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"

#: The custom properties caseforms writes, under this prefix.
PREFIX = "caseforms."
#: Who a paper's core properties say last modified it, while nothing else has saved it.
AUTHOR = "caseforms"
#: Longest text kept in one custom property (Word shows and keeps up to 255 characters).
_CHUNK = 240
_TAG_PREFIX = f"{SECTION_TAG}:"
_BOOKMARK_PREFIX = "_cf"
# Paragraph styles that are the same as no style at all (LibreOffice writes Normal out; Word does not).
_PLAIN_STYLES = {"", "Normal", "Standard"}
# What the fingerprint ignores in a run's properties is everything but these.
_FORMATS = (("b", "b"), ("i", "i"), ("u", "u"), ("strike", "s"), ("dstrike", "s"))
# Elements in a section that are not carried into the next version (their ids point outside the section).
_DROPPED = {f"{W}{t}" for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                                "permStart", "permEnd", "proofErr")}
_DROPPED_RUNS = {f"{W}{t}": what for t, what in (("commentReference", "comments"), ("footnoteReference", "footnotes"),
                                                  ("endnoteReference", "endnotes"))}


def fingerprint(text: str) -> str:
    """Return a short fingerprint of ``text`` (64 bits of SHA-256, in hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def made_from(paper: str, context: Mapping[str, Any], template: Path, carried: Mapping[str, str]) -> str:
    """Return the fingerprint of what a paper is made from: what its template shows, the template, the text carried in.

    Only the fields the template uses count, so a paper is made again when something it shows
    changes (the action plan does not move on because the scope was agreed on another day). The
    document control box (version, date) and ``today`` are left out: a paper whose facts have not
    changed is the same paper on another day.
    """
    data = Path(template).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    fields = _FIELDS.get(digest)
    if fields is None:
        fields = _fields_of(zipfile.ZipFile(io.BytesIO(data)))
        if len(_FIELDS) >= _FIELDS_MAX:
            _FIELDS.pop(next(iter(_FIELDS)))
        _FIELDS[digest] = fields
    facts = shown(context, fields)
    # The contexts are built in the same order every time: no need to sort their keys.
    parts = [paper, json.dumps(facts, default=str, ensure_ascii=False, separators=(",", ":")),
             digest, json.dumps(dict(sorted(carried.items())))]
    return fingerprint("\x1e".join(parts))


#: The names each template uses, by the digest of its bytes: a template's parts are read for them once a process,
#: however many papers and versions are made from it (the XML of its styles alone is hundreds of kilobytes).
_FIELDS: dict[str, frozenset[str]] = {}
_FIELDS_MAX = 64


_JINJA = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def template_fields(template: Path) -> set[str]:
    """Return the names a template's Jinja tags use ("rapid_review.scope_agreed", "family"), from every part.

    The XML is stripped of its tags first, so a tag Word split over several runs is still read whole.
    """
    with zipfile.ZipFile(template) as z:
        return set(_fields_of(z))


def _fields_of(z: zipfile.ZipFile) -> frozenset[str]:
    names: set[str] = set()
    with z:
        for part in z.namelist():
            if (part.startswith("word/") and part.endswith(".xml")) or part == "docProps/core.xml":
                data = z.read(part)
                if b"{" not in data:
                    continue  # no tag: the styles (800 KB of a shipped template) are not stripped for nothing
                text = re.sub(r"<[^>]+>", "", data.decode("utf-8", "replace"))
                for m in _JINJA.finditer(text):
                    names.update(_NAME.findall(m.group(1) or m.group(2) or ""))
    return frozenset(names)


def shown(context: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Return the values of the context that ``names`` reach, by path; the whole context when none do."""
    values: dict[str, Any] = {}
    for name in sorted(names):  # in one order every time: a set's order changes from one run to the next
        parts = name.split(".")
        if parts[0] in ("today", "document") or parts[0] not in context:
            continue
        value: Any = context
        path = []
        for part in parts:
            if not isinstance(value, Mapping) or part not in value:
                break
            value = value[part]
            path.append(part)
        values[".".join(path)] = value
    return values or {k: v for k, v in context.items() if k not in ("today", "document")}


# -- what caseforms records in a paper --------------------------------------------------------------


@dataclass
class Stamp:
    """What caseforms records in a paper it writes (its custom properties)."""

    case: str
    #: The paper's name in the catalogue, or "pack:<pack>" for a combined pack.
    paper: str
    version: str
    #: When caseforms wrote it (ISO, to the second, UTC); also the document's "modified" date.
    written: str = ""
    made_from: str = ""
    #: Section key ("rr_report:case_summary") -> fingerprint of the register's fill caseforms put there.
    sections: dict[str, str] = field(default_factory=dict)
    #: Section key -> [the text of its opening label, the text of the paragraph after it]: where it is
    #: found again when LibreOffice has saved the file and dropped the content control's tag.
    bounds: dict[str, list[str]] = field(default_factory=dict)
    #: Section key -> its title in Word.
    titles: dict[str, str] = field(default_factory=dict)
    #: The sections holding the officer's text when caseforms wrote it (carried from an earlier version).
    officer: list[str] = field(default_factory=list)
    #: Fingerprint of the paper's whole text as written.
    text: str = ""
    #: What the paper shows as not recorded.
    missing: list[str] = field(default_factory=list)
    #: For a pack: the papers it encloses, in order.
    papers: list[str] = field(default_factory=list)


def _properties(stamp: Stamp) -> dict[str, str]:
    state = {"sections": stamp.sections, "bounds": stamp.bounds, "titles": stamp.titles, "officer": stamp.officer,
             "text": stamp.text, "missing": stamp.missing, "papers": stamp.papers}
    return {"case": stamp.case, "paper": stamp.paper, "version": stamp.version, "written": stamp.written,
            "made-from": stamp.made_from, "state": json.dumps(state, ensure_ascii=False, separators=(",", ":"))}


def write_stamp(document: Any, stamp: Stamp) -> None:
    """Record ``stamp`` in a python-docx document about to be saved: custom properties and core "modified".

    Long values are split over several properties ("caseforms.state", "caseforms.state~2"...) so
    that Word, which keeps 255 characters of a property it shows, never cuts one.
    """
    stamp.written = stamp.written or datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    values: list[tuple[str, str]] = []
    for name, value in _properties(stamp).items():
        pieces = [value[i:i + _CHUNK] for i in range(0, len(value), _CHUNK)] or [""]
        values.extend((f"{PREFIX}{name}" + (f"~{n}" if n > 1 else ""), piece) for n, piece in enumerate(pieces, 1))
    _set_custom(document, values)
    _write_core(document.core_properties._element, stamp.written)


def _set_custom(document: Any, values: Sequence[tuple[str, str]]) -> None:
    """Replace caseforms' custom properties with ``values``, keeping the document's others; one write of the part."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    try:
        part = package.part_related_by(RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
        root = etree.fromstring(part.blob)
    except KeyError:
        part, root = None, etree.Element(f"{_CUSTOM}Properties", nsmap={None: _CUSTOM[1:-1], "vt": _VT[1:-1]})
    for prop in list(root):
        if (prop.get("name") or "").startswith(PREFIX):
            root.remove(prop)
    pid = max((int(p.get("pid", "1")) for p in root), default=1)
    for name, value in values:
        pid += 1
        prop = etree.SubElement(root, f"{_CUSTOM}property", fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}",
                                pid=str(pid), name=name)
        etree.SubElement(prop, f"{_VT}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is None:
        part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
    else:
        part._blob = blob


def forget_stamp(document: Any) -> None:
    """Remove what caseforms recorded from a document in memory (a paper about to be put into a pack).

    docxcompose looks through a whole document for fields showing each of its custom properties
    before it appends it: without ours, it has none to look for.
    """
    _set_custom(document, [])


def _write_core(core: Any, written: str) -> None:
    """Set the core properties' modified date, last author and revision by their full names.

    docxcompose maps the "cp" prefix to the custom-properties namespace for the whole process, so
    python-docx's own setters would write these in the wrong namespace (docxcompose issue #101).
    """
    values = ((f"{_CORE}lastModifiedBy", AUTHOR), (f"{_CORE}revision", "1"), (f"{_DCTERMS}modified", written))
    for tag, value in values:
        element = core.find(tag)
        if element is None:
            element = etree.SubElement(core, tag)
        element.text = value
        if tag == f"{_DCTERMS}modified":
            element.set(f"{_XSI}type", "dcterms:W3CDTF")


def read_stamp(path: Path) -> tuple[Stamp | None, bool]:
    """Return what caseforms recorded in a .docx (None when nothing) and whether something saved it since.

    Reads only the document's property parts, so the whole papers folder is looked through quickly.
    """
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in names else b""
            core = z.read("docProps/core.xml") if "docProps/core.xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return None, True
    values = _custom_values(custom)
    if not values.get("paper"):
        return None, True
    try:
        state = json.loads(values.get("state") or "{}")
    except ValueError:
        state = {}
    stamp = Stamp(
        case=values.get("case", ""), paper=values["paper"], version=values.get("version") or FIRST_VERSION,
        written=values.get("written", ""), made_from=values.get("made-from", ""),
        sections=dict(state.get("sections") or {}), bounds=dict(state.get("bounds") or {}),
        titles=dict(state.get("titles") or {}), officer=list(state.get("officer") or []),
        text=str(state.get("text") or ""), missing=list(state.get("missing") or []),
        papers=list(state.get("papers") or []),
    )
    return stamp, _saved_since(core, stamp.written)


def _custom_values(xml: bytes) -> dict[str, str]:
    if not xml:
        return {}
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return {}
    pieces: dict[str, dict[int, str]] = {}
    for prop in root.iter(f"{_CUSTOM}property"):
        name = prop.get("name") or ""
        if not name.startswith(PREFIX):
            continue
        base, _, n = name[len(PREFIX):].partition("~")
        value = next(iter(prop), None)
        pieces.setdefault(base, {})[int(n) if n.isdigit() else 1] = (value.text or "") if value is not None else ""
    return {base: "".join(parts[k] for k in sorted(parts)) for base, parts in pieces.items()}


def _saved_since(core: bytes, written: str) -> bool:
    """Return True when the core properties show another program saved the file after caseforms wrote it."""
    if not core or not written:
        return True
    try:
        root = ElementTree.fromstring(core)
    except ElementTree.ParseError:
        return True
    modified = (root.findtext(f"{_DCTERMS}modified") or "").strip()
    author = (root.findtext(f"{_CORE}lastModifiedBy") or "").strip()
    return modified != written or author != AUTHOR


# -- the versions in a folder ---------------------------------------------------------------------


@dataclass
class Found:
    """One version of a paper (or pack) found in the papers folder."""

    path: Path
    #: What caseforms recorded in it; None for a file made by an earlier caseforms.
    stamp: Stamp | None
    version: str
    #: True when something else saved it since caseforms wrote it (or caseforms recorded nothing).
    saved_since: bool
    modified: float

    @property
    def latest(self) -> Latest:
        return Latest(self.version, self.saved_since, self.stamp.made_from if self.stamp else None)


_DATED = re.compile(r" (\d{4}-\d{2}-\d{2})\.docx$")


def papers_in(folder: Path, case_ref: str) -> dict[str, list[Found]]:
    """Return every version of the case's papers in ``folder``, by paper ("rr_report", "pack:submission").

    Recognised by the properties caseforms records, so a renamed copy still counts; a paper made by
    an earlier caseforms (no properties) by its name: '<REF> <Paper title> <yyyy-mm-dd>.docx',
    passed in through :func:`older_papers`.
    """
    found: dict[str, list[Found]] = {}
    if not Path(folder).is_dir():
        return found
    wanted = case_ref.strip().casefold()
    for path in sorted(Path(folder).glob("*.docx")):
        if path.name.startswith(("~$", ".")):
            continue
        stamp, saved = read_stamp(path)
        if stamp is None or stamp.case.strip().casefold() != wanted:
            continue
        found.setdefault(stamp.paper, []).append(Found(path, stamp, stamp.version, saved, path.stat().st_mtime))
    return found


def older_papers(folder: Path, stem: str, titles: Mapping[str, str], found: dict[str, list[Found]]) -> None:
    """Add to ``found`` the papers an earlier caseforms wrote ('<stem> <title> <date>.docx', no properties)."""
    if not Path(folder).is_dir():
        return
    known = {f.path for versions in found.values() for f in versions}
    for path in sorted(Path(folder).glob(f"{stem} *.docx")):
        if path in known or not _DATED.search(path.name):
            continue
        middle = _DATED.sub("", path.name)[len(stem) + 1:]
        for paper, title in titles.items():
            if middle == title:
                found.setdefault(paper, []).append(Found(path, None, FIRST_VERSION, True, path.stat().st_mtime))


def latest_of(versions: Iterable[Found]) -> Found | None:
    """Return the latest version: the highest version number, then the most recently saved."""
    return max(versions, key=lambda f: (version_key(f.version), f.modified), default=None)


# -- fingerprints of what a document says -------------------------------------------------------------


def text_fingerprint(body: Any) -> str:
    """Return a fingerprint of a document body's text (every character, in order; formatting aside)."""
    return fingerprint(etree.tostring(body, method="text", encoding="unicode"))


def content_fingerprint(elements: Sequence[Any]) -> str:
    """Return a fingerprint of a section's content: its paragraphs, text, bold/italic/underline, lists, pictures.

    What Word and LibreOffice change when they save a document unchanged (how runs are split, rsid
    and language marks, spelling marks, bookmarks, "Normal" written out) does not change it.
    """
    return fingerprint("\x1f".join(_tokens(elements)))


def _tokens(elements: Sequence[Any]) -> list[str]:
    tokens: list[str] = []
    run: list[str] = []
    fmt: str | None = None

    def flush() -> None:
        nonlocal run, fmt
        if run:
            tokens.append(f"{fmt}:{''.join(run)}")
        run, fmt = [], None

    for element in elements:
        for node in element.iter():
            tag = node.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{W}p":
                flush()
                tokens.append("¶" + _paragraph_kind(node))
            elif tag in (f"{W}tbl", f"{W}tr", f"{W}tc"):
                flush()
                tokens.append(tag[len(W):])
            elif tag in (f"{W}t", f"{W}delText", f"{W}instrText") and node.text:
                this = _run_format(node) + ("-" if tag == f"{W}delText" else "")
                if this != fmt:
                    flush()
                    fmt = this
                run.append(node.text)
            elif tag in (f"{W}tab", f"{W}br", f"{W}cr") and node.getparent() is not None \
                    and node.getparent().tag == f"{W}r":
                run.append("\t" if tag == f"{W}tab" else "\n")
            elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                flush()
                tokens.append("[picture]")
    flush()
    return tokens


def _paragraph_kind(p: Any) -> str:
    """Return what a paragraph is, for a fingerprint: its style (plain text none), and '•level' in a list.

    A list style ("List Bullet") is a list whether its numbering is in the style (as caseforms writes
    it) or on the paragraph (as LibreOffice writes it back).
    """
    style = p.find(f"{W}pPr/{W}pStyle")
    name = style.get(f"{W}val", "") if style is not None else ""
    level = p.find(f"{W}pPr/{W}numPr/{W}ilvl")
    listed = p.find(f"{W}pPr/{W}numPr") is not None or name.casefold().startswith(("listbullet", "listnumber"))
    return ("" if name in _PLAIN_STYLES else name) + (f"•{level.get(f'{W}val', '0') if level is not None else '0'}"
                                                        if listed else "")


def _run_format(t: Any) -> str:
    run = t.getparent()
    props = run.find(f"{W}rPr") if run is not None else None
    if props is None:
        return ""
    on = []
    for tag, letter in _FORMATS:
        element = props.find(f"{W}{tag}")
        if element is not None and element.get(f"{W}val", "true") not in ("0", "false", "none", "off"):
            on.append(letter)
    return "".join(on)


def _is_label(element: Any) -> bool:
    """Return True for a section's opening heading or bold label: the template's, renewed in each version."""
    if element.tag != f"{W}p":
        return False
    style = element.find(f"{W}pPr/{W}pStyle")
    name = (style.get(f"{W}val", "") if style is not None else "").casefold().replace(" ", "")
    return name.startswith("heading") or name == "sectionlabel"


def split_label(elements: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Return a section's content as (its opening heading or label paragraphs, what is written below them)."""
    elements = list(elements)
    n = 0
    while n < len(elements) and _is_label(elements[n]):
        n += 1
    return elements[:n], elements[n:]


def _has_writing(elements: Sequence[Any]) -> bool:
    return any(t.text and t.text.strip() for e in elements for t in e.iter(f"{W}t")) or any(
        True for e in elements for _ in e.iter(f"{W}drawing", f"{W}pict", f"{W}object"))


# -- sections: finding them, reading them, carrying them ----------------------------------------------


def section_controls(body: Any) -> dict[str, Any]:
    """Return the content controls of a document's sections, by key ("rr_report:case_summary"), first first."""
    found: dict[str, Any] = {}
    for sdt in body.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        value = tag.get(f"{W}val", "") if tag is not None else ""
        if value.startswith(_TAG_PREFIX) and sdt.find(f"{W}sdtContent") is not None:
            found.setdefault(value[len(_TAG_PREFIX):], sdt)
    return found


def _title_of(sdt: Any) -> str:
    alias = sdt.find(f"{W}sdtPr/{W}alias")
    return alias.get(f"{W}val", "") if alias is not None else ""


@dataclass
class Written:
    """A section as the latest version of a paper holds it."""

    key: str
    title: str
    elements: list[Any]
    fingerprint: str
    #: True when it holds the officer's writing (differs from caseforms' fill and is not empty).
    officer: bool


@dataclass
class ReadBack:
    """What a version of a paper holds: its document, its sections, whether its text changed."""

    found: Found
    document: Any
    sections: dict[str, Written]
    #: True when the text differs from what caseforms wrote (an edit a program made without saying so).
    text_changed: bool
    #: Sections caseforms recorded that could be found neither by their tag nor between their label and what follows.
    lost: list[str] = field(default_factory=list)


def read_back(found: Found) -> ReadBack:
    """Open a version of a paper and return its sections, each with whether the officer wrote it."""
    from docx import Document

    document = Document(str(found.path))
    body = document.element.body
    stamp = found.stamp
    controls = section_controls(body)
    sections: dict[str, Written] = {}
    for key, sdt in controls.items():
        sections[key] = _written(key, _title_of(sdt), list(sdt.find(f"{W}sdtContent")), stamp)
    lost: list[str] = []
    if stamp is not None:
        blocks = list(body)
        at = 0
        for key, (label, after) in stamp.bounds.items():
            if key in sections:
                continue
            where = _between(blocks, label, after, at)
            if where is None:
                lost.append(key)
                continue
            at = where[1]
            sections[key] = _written(key, stamp.titles.get(key, key), blocks[where[0]:where[1]], stamp)
    changed = stamp is None or (bool(stamp.text) and text_fingerprint(body) != stamp.text)
    return ReadBack(found, document, sections, changed, lost)


def _written(key: str, title: str, content: list[Any], stamp: Stamp | None) -> Written:
    elements = split_label(content)[1]
    mark = content_fingerprint(elements)
    filled = stamp.sections.get(key) if stamp else None
    officer = _has_writing(elements) and (filled is None or mark != filled)
    return Written(key, title or (stamp.titles.get(key, key) if stamp else key), elements, mark, officer)


def _between(blocks: Sequence[Any], label: str, after: str, start: int) -> tuple[int, int] | None:
    """Return where a section is among a body's blocks: from its label to the block before the one after it.

    For a document LibreOffice has saved (its content controls lost their tags): the label and the
    paragraph after the section are the template's, which the officer does not write over.
    """
    texts = [_text(b) for b in blocks]
    first = next((i for i in range(start, len(blocks)) if label and texts[i] == label), None)
    if first is None:
        return None
    for i in range(first + 1, len(blocks)):
        if (after and texts[i] == after) or (not after and _is_label(blocks[i])) or blocks[i].tag == f"{W}sectPr":
            return first, i
    return first, len(blocks)


def _text(block: Any) -> str:
    return "".join(t.text or "" for t in block.iter(f"{W}t")).strip()


@dataclass
class Carry:
    """A section's writing to carry into the next version, and the document it comes from."""

    written: Written
    source: ReadBack


class Finisher:
    """Finish a rendered paper: carry the officer's sections into it, then record what caseforms wrote.

    :meth:`carry` runs after docxtpl has filled the template (before the markers are highlighted),
    :meth:`stamp` just before the document is saved (see :func:`caseforms.io.docx_render.render`).
    """

    def __init__(self, stamp: Stamp, carried: Mapping[str, Carry] | None = None) -> None:
        self.record = stamp
        self.carried = dict(carried or {})
        #: What could not be carried ("comments in Case summary"), for the command to say.
        self.notes: list[str] = []
        #: The sections whose writing was carried in, by title.
        self.carried_titles: list[str] = []
        #: Carried sections the template no longer has (their text stays in the earlier version).
        self.not_in_template: list[str] = []

    def carry(self, document: Any) -> None:
        """Record each section's fill, then put the officer's writing in place of it where there is some."""
        body = document.element.body
        controls = section_controls(body)
        composer = None
        for key, sdt in controls.items():
            content = sdt.find(f"{W}sdtContent")
            self.record.sections[key] = content_fingerprint(split_label(content)[1])
            self.record.titles[key] = _title_of(sdt)
            carry = self.carried.get(key)
            if carry is None:
                continue
            if composer is None:
                from docxcompose.composer import Composer

                composer = Composer(document)
            self._put(document, composer, content, carry)
            self.record.officer.append(key)
            self.carried_titles.append(carry.written.title or self.record.titles[key])
        self.not_in_template = [c.written.title for k, c in self.carried.items() if k not in controls]
        _record_bounds(controls, self.record)

    def _put(self, document: Any, composer: Any, content: Any, carry: Carry) -> None:
        source = carry.source.document
        composer._create_style_id_mapping(source)
        # The opening heading or label stays the template's; what was written below it is carried.
        for child in split_label(list(content))[1]:
            content.remove(child)
        dropped: set[str] = set()
        for element in carry.written.elements:
            copy = deepcopy(element)
            dropped |= _clean(copy)
            content.append(copy)
            composer.add_referenced_parts(source.part, document.part, copy)
            composer.add_styles(source, copy)
            composer.add_numberings(source, copy)
            composer.add_images(source, copy)
            composer.add_shapes(source, copy)
        if not len(content):
            etree.SubElement(content, f"{W}p")
        if dropped:
            self.notes.append(f"{' and '.join(sorted(dropped))} in '{carry.written.title}' stay in "
                              f"{carry.source.found.path.name}")

    def stamp(self, document: Any, missing: Sequence[str]) -> None:
        """Record what caseforms wrote, just before the document is saved."""
        self.record.text = text_fingerprint(document.element.body)
        self.record.missing = list(missing)
        _renumber_controls(document.element.body)
        write_stamp(document, self.record)


def finish_pack(document: Any, stamp: Stamp) -> None:
    """Record what caseforms wrote in a combined pack, just before it is saved (its papers' sections included)."""
    _renumber_controls(document.element.body)
    stamp.text = text_fingerprint(document.element.body)
    write_stamp(document, stamp)


def _clean(element: Any) -> set[str]:
    """Remove from carried content what points outside it; return what was left behind, in words."""
    dropped: set[str] = set()
    for node in list(element.iter()):
        if node.tag in _DROPPED and node.getparent() is not None:
            node.getparent().remove(node)
    for tag, what in _DROPPED_RUNS.items():
        for node in list(element.iter(tag)):
            run = node.getparent()
            if run is not None and run.getparent() is not None:
                run.getparent().remove(run)
                dropped.add(what)
    for props in list(element.iter(f"{W}pPr")):
        for sect in props.findall(f"{W}sectPr"):
            props.remove(sect)
    for node in element.iter():
        for name in (f"{W14}paraId", f"{W14}textId"):
            node.attrib.pop(name, None)
    # A content control inside a paragraph (LibreOffice makes one of a section's), or one carrying
    # caseforms' tag, is unwrapped: its content stays, the control goes.
    for sdt in list(element.iter(f"{W}sdt")):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        ours = tag is not None and tag.get(f"{W}val", "").startswith(_TAG_PREFIX)
        parent = sdt.getparent()
        if parent is None or not (ours or parent.tag == f"{W}p"):
            continue
        content = sdt.find(f"{W}sdtContent")
        at = parent.index(sdt)
        for child in list(content) if content is not None else []:
            parent.insert(at, child)
            at += 1
        parent.remove(sdt)
    return dropped


def _record_bounds(controls: Mapping[str, Any], stamp: Stamp) -> None:
    """Record each section's label and the paragraph after it, to find it again once LibreOffice has saved it."""
    for key, sdt in controls.items():
        labels = split_label(list(sdt.find(f"{W}sdtContent")))[0]
        after = _paragraph_after(sdt)
        stamp.bounds[key] = ["".join(_text(p) for p in labels), _text(after) if after is not None else ""]


def _paragraph_after(sdt: Any) -> Any:
    """Return the first paragraph after a section's control, in the order the document reads."""
    node = sdt.getnext()
    while node is not None and node.tag not in (f"{W}p", f"{W}tbl", f"{W}sdt"):
        node = node.getnext()
    if node is None or node.tag == f"{W}p":
        return node
    return next(node.iter(f"{W}p"), None)


def _renumber_controls(body: Any) -> None:
    """Give every content control its own id (a loop in the template repeats one; Word wants them unique)."""
    for n, ident in enumerate(body.iter(f"{W}id"), start=1):
        if ident.getparent() is not None and ident.getparent().tag == f"{W}sdtPr":
            ident.set(f"{W}val", str(100000 + n))


def sections_from(sources: Sequence[ReadBack], paper: str) -> dict[str, Carry]:
    """Return, for each of a paper's sections, the officer's writing to carry: from the newest source that has it.

    ``sources`` are the paper's latest version and the latest versions of the packs that enclose
    it; a section written in a pack counts when the pack was saved after the paper.
    """
    chosen: dict[str, Carry] = {}
    for source in sorted(sources, key=lambda s: s.found.modified, reverse=True):
        for key, written in source.sections.items():
            if key.startswith(f"{paper}:") and written.officer and key not in chosen:
                chosen[key] = Carry(written, source)
    return chosen


def add_first_page_bookmarks(documents: Sequence[Any], names: Sequence[str]) -> None:
    """Bookmark the first paragraph of each document (the pack's papers) for the contents page's page numbers."""
    for n, (document, name) in enumerate(zip(documents, names, strict=True), start=1):
        first = next(iter(document.element.body.iter(f"{W}p")), None)
        if first is None:
            continue
        start = etree.Element(f"{W}bookmarkStart")
        start.set(f"{W}id", str(90000 + n))
        start.set(f"{W}name", name)
        end = etree.Element(f"{W}bookmarkEnd")
        end.set(f"{W}id", str(90000 + n))
        props = first.find(f"{W}pPr")
        first.insert(first.index(props) + 1 if props is not None else 0, start)
        first.append(end)
