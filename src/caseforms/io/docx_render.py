"""Fill Word templates with docxtpl, check them, combine papers into a pack, convert to PDF.

Safety first: docxtpl 0.20.2 silently drops text or truncates the document when a value holds
``&`` or ``<`` and autoescaping is off, so every render uses a sandboxed Jinja environment with
autoescape on. A template is checked before it is filled: a Jinja syntax error or a field no paper
provides is reported with the template's name, the line (each paragraph of the document is a line)
and the field, with a suggestion when it looks misspelt. Values not recorded arrive as
``[not recorded: ...]`` markers (see :mod:`caseforms.papers.context`); here they are highlighted in
yellow and listed.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError, nodes

from caseforms.errors import ConversionError, NeedsDesktop, TemplateError, TemplateMissing, WorkbookError
from caseforms.io.bounded import check_docx
from caseforms.io.file_kinds import PDF
from caseforms.io.safe_write import Target, check_writable, write_atomically, write_document
from caseforms.io.template_sandbox import BoundedEnvironment, TemplateLimit
from caseforms.papers.context import CHECK_PREFIX, MARKER_PREFIX
from caseforms.papers.fields import PAPERS, Paper, all_fields, paper_for_template
from caseforms.resources import templates_dir

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MARKER = re.compile(re.escape(MARKER_PREFIX) + r"([^\]]*)\]")
#: Every mark highlighted in a paper: what is not recorded, and the entries the merge flagged ("[check: ...]").
_HIGHLIGHTED = re.compile(r"(?:" + re.escape(MARKER_PREFIX) + "|" + re.escape(CHECK_PREFIX) + r")[^\]]*\]")
# Characters XML 1.0 forbids; a value pasted from another system can carry them and would break the file.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Filters that turn a list into a list of lists: the loop variable is then one of the inner lists.
_BATCHING_FILTERS = {"batch", "slice"}
# The rPr children that must come after <w:highlight> (ECMA-376 CT_RPr order).
_AFTER_HIGHLIGHT = {f"{W}{t}" for t in (
    "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath")}


#: The document properties docxtpl renders as templates (docxtpl.template.render_properties).
_PROPERTIES = ("author", "comments", "content_status", "identifier", "keywords", "language",
               "last_modified_by", "subject", "title", "version")


def environment() -> BoundedEnvironment:
    """Return a Jinja environment for one render: sandboxed, autoescaping, with limits (see template_sandbox)."""
    return BoundedEnvironment()


# -- where templates come from ---------------------------------------------------------------------
def template_path(paper: Paper | str, own_folder: Path | None = None) -> Path:
    """Return the template of a paper: the partnership's own copy when its folder has one, else the shipped one."""
    spec = PAPERS[paper] if isinstance(paper, str) else paper
    if own_folder is not None:
        own = Path(own_folder) / spec.template
        if own.is_file():
            return own
    shipped = templates_dir() / spec.template
    if not shipped.is_file():
        raise TemplateMissing(
            f"The template '{spec.template}' for the {spec.title} is missing from {templates_dir()}"
            + (f" and from your templates folder {own_folder}" if own_folder else "")
            + ". Reinstall caseforms, or put your own copy in your templates folder."
        )
    return shipped


# -- reading a template as Jinja sees it ----------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """One part of a template (body, a header, a footer) as the Jinja source docxtpl renders."""

    label: str
    source: str

    def line_text(self, lineno: int | None) -> str:
        """Return the text of a line (a paragraph), without its XML, shortened for a message."""
        if not lineno:
            return ""
        lines = self.source.splitlines()
        if not 0 < lineno <= len(lines):
            return ""
        text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
        return text if len(text) <= 90 else text[:87] + "..."


def template_parts(path: Path) -> list[Part]:
    """Return the body, headers and footers of a template as docxtpl prepares them for Jinja.

    docxtpl puts each paragraph on its own line before rendering, so a Jinja line number is a
    paragraph of the part: that is the "line" messages name.
    """
    return _template_parts(path)[0]


def _template_parts(path: Path) -> tuple[list[Part], Any]:
    """Return the parts of :func:`template_parts`, and the template opened to read them (docxtpl's, not filled)."""
    try:
        check_docx(Path(path), advice="Open the template in Word and save it again, or use the shipped one.")
    except WorkbookError as e:
        raise TemplateError(str(e)) from e
    try:
        tpl = _template_class()(str(path))
        tpl.init_docx()
    except Exception as e:  # python-docx raises several kinds for a file that is not a document
        raise TemplateError(f"{path}: not a Word .docx document that can be opened ({e}).") from e
    parts = [Part("body", _lines(tpl.patch_xml(tpl.get_xml())))]
    for kind, uri in (("header", tpl.HEADER_URI), ("footer", tpl.FOOTER_URI)):
        for n, (_, part) in enumerate(tpl.get_headers_footers(uri), 1):
            parts.append(Part(f"{kind} {n}", _lines(tpl.patch_xml(tpl.get_part_xml(part)))))
    # docxtpl fills the document properties (File > Info) too, one line each here.
    props = tpl.docx.core_properties
    parts.append(Part("document properties", "\n".join(
        str(getattr(props, name) or "") for name in _PROPERTIES)))
    return parts, tpl


def _lines(xml: str) -> str:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


@dataclass(frozen=True)
class FieldUse:
    """A field a template uses: as the catalogue names it, as the template writes it, and where."""

    path: str
    written: str
    part: str
    line: int
    text: str


@dataclass(frozen=True)
class Problem:
    """Something wrong with a template, with where it is and what to do."""

    template: str
    part: str
    line: int
    field: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.template}, {self.part + ', ' if self.part != 'body' else ''}line {self.line}"
        hint = f" Did you mean '{self.suggestion}'?" if self.suggestion else ""
        return f"{where}: {self.message}{hint}"


class _SyntaxProblem(Exception):
    """A Jinja syntax error in a template, with where it is."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _syntax_message(message: str | None) -> str:
    return (
        f"Jinja syntax error: {(message or '').rstrip('.')}. Correct the tag in Word (every {{% if %}} needs "
        "{% endif %}, every {% for %} an {% endfor %}) and try again."
    )


def _parsed(path: Path, opened: tuple[str, bytes] | None = None) -> list[tuple[Part, nodes.Template]]:
    """Return each part of a template with its Jinja tree; raise _SyntaxProblem for one that does not parse.

    With ``opened`` (the template's place and digest), the template opened to read the parts is kept for the
    first paper filled from it (:func:`_opened`).
    """
    env = environment()
    trees = []
    parts, tpl = _template_parts(path)
    if opened is not None:
        while len(_OPENED) >= _OPENED_MAX:
            _OPENED.pop(next(iter(_OPENED)))
        _OPENED[opened] = tpl
    for part in parts:
        try:
            trees.append((part, env.parse(part.source)))
        except TemplateSyntaxError as e:
            text = part.line_text(e.lineno)
            raise _SyntaxProblem(Problem(
                path.name, part.label, e.lineno or 0, "(syntax)", (f"({text!r}) " if text else "") + _syntax_message(e.message),
            )) from e
    return trees


def field_uses(path: Path) -> list[FieldUse]:
    """Return every field a template uses, with the paragraph it is in; raise on a syntax error."""
    path = Path(path)
    try:
        trees = _parsed(path)
    except _SyntaxProblem as e:
        raise TemplateError(str(e.problem)) from e
    return _uses(trees)


def _uses(trees: list[tuple[Part, nodes.Template]]) -> list[FieldUse]:
    globals_ = {name: None for name in environment().globals}
    uses: list[FieldUse] = []
    for part, tree in trees:
        for found, written, lineno in _walk(tree, dict(globals_)):
            uses.append(FieldUse(found, written, part.label, lineno, part.line_text(lineno)))
    return uses


def _walk(node: nodes.Node, scope: dict[str, str | None]) -> Iterator[tuple[str, str, int]]:
    """Yield (catalogue path, written form, line) for each field used under ``node``."""
    if isinstance(node, nodes.For):
        yield from _walk(node.iter, scope)
        inner = dict(scope, loop=None)
        resolved = _resolve(node.iter, scope)
        for name in _target_names(node.target):
            inner[name] = f"{resolved[0]}[]" if resolved and isinstance(node.target, nodes.Name) else None
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            yield from _walk(child, inner)
        return
    if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
        if isinstance(node, nodes.Assign):
            yield from _walk(node.node, scope)
        for name in _target_names(node.target):
            scope[name] = None
        return
    if isinstance(node, (nodes.Macro, nodes.CallBlock)):
        if isinstance(node, nodes.Macro):
            scope[node.name] = None  # the macro is called by name after (and inside) it
        inner = dict(scope, **{arg.name: None for arg in getattr(node, "args", [])})
        for child in node.body:
            yield from _walk(child, inner)
        return
    if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) or (
        isinstance(node, nodes.Filter) and node.name in _BATCHING_FILTERS
    ):
        resolved = _resolve(node, scope)
        if resolved is not None:
            yield resolved[0], resolved[1], node.lineno
            if isinstance(node, nodes.Getitem):
                yield from _walk(node.arg, scope)
            return
        if isinstance(node, nodes.Name):
            return
    for child in node.iter_child_nodes():
        yield from _walk(child, scope)


def _target_names(target: nodes.Node) -> list[str]:
    if isinstance(target, nodes.Name):
        return [target.name]
    if isinstance(target, nodes.Tuple):
        return [n for item in target.items for n in _target_names(item)]
    return []


def _resolve(node: nodes.Node, scope: Mapping[str, str | None]) -> tuple[str, str] | None:
    """Return (catalogue path, written form) of a field expression, or None for a local or unknown shape."""
    if isinstance(node, nodes.Name):
        if node.name in scope:
            bound = scope[node.name]
            return (bound, node.name) if bound is not None else None
        return node.name, node.name
    if isinstance(node, nodes.Getattr):
        base = _resolve(node.node, scope)
        return (f"{base[0]}.{node.attr}", f"{base[1]}.{node.attr}") if base else None
    if isinstance(node, nodes.Getitem):
        base = _resolve(node.node, scope)
        if base is None or not isinstance(node.arg, nodes.Const):
            return None
        key = node.arg.value
        if isinstance(key, str):
            return f"{base[0]}.{key}", f"{base[1]}[{key!r}]"
        if isinstance(key, int) and base[0].endswith("[]"):
            return base[0][:-2], f"{base[1]}[{key}]"
        return None
    if isinstance(node, nodes.Filter) and node.name in _BATCHING_FILTERS and node.node is not None:
        base = _resolve(node.node, scope)
        return (f"{base[0]}[]", f"{base[1]}|{node.name}") if base else None
    return None


def _is_known(path: str, known: Iterable[str]) -> bool:
    if path.endswith("[]"):
        # An item of a list of text ("for name in rapid_review.contributors").
        return _is_known(path[:-2], known)
    return any(k == path or k.startswith(path + ".") or k.startswith(path + "[]") for k in known)


#: What checking each template found, by its place and content: a template is read and checked once a process,
#: however many papers and packs use it (a template changed on disk is a new key, and is checked again).
_CHECKED: dict[tuple[str, bytes, str | None], list[Problem]] = {}


#: Templates a check opened and no paper was filled from yet, by place and digest: the first paper filled from one takes
#: it instead of opening the file again (docxtpl opens a template as it found it; the check only reads it).
_OPENED: dict[tuple[str, bytes], Any] = {}
_OPENED_MAX = 12


def check_template(path: Path, paper: Paper | None = None, *, keep_open: bool = False) -> list[Problem]:
    """Return the fields a template uses that its paper (or, unknown paper, any paper) does not provide.

    A syntax error is returned as the only problem. ``paper`` defaults to the paper whose template
    has the same file name. ``keep_open`` is for a caller about to fill the template: the document
    opened to check it is kept for that.
    """
    path = Path(path)
    key = _content_key(path, paper)
    if key is not None and key in _CHECKED:
        return list(_CHECKED[key])
    problems = _check_template(path, paper, key[:2] if key is not None and keep_open else None)
    if key is not None:
        _CHECKED[key] = problems
    return list(problems)


def _content_key(path: Path, paper: Paper | None) -> tuple[str, bytes, str | None] | None:
    """Return what identifies a template's check: its place, a digest of its bytes, the paper; None to check afresh."""
    import hashlib

    from caseforms.io.bounded import MAX_FILE_BYTES

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None  # the check says why it is not read
        digest = hashlib.sha256(path.read_bytes()).digest()
        return str(path.resolve()), digest, paper.name if paper else None
    except OSError:
        return None


def _opened(template: Path, paper: Paper | None) -> Any | None:
    """Return (once) the template a check opened and kept, when the file is still what was checked."""
    if not _OPENED:
        return None
    key = _content_key(template, paper)
    return _OPENED.pop(key[:2], None) if key is not None else None


def _check_template(path: Path, paper: Paper | None, opened: tuple[str, bytes] | None = None) -> list[Problem]:
    known = paper.fields if paper else all_fields()
    try:
        trees = _parsed(path, opened)
    except _SyntaxProblem as e:
        return [e.problem]
    problems: list[Problem] = [
        Problem(path.name, part.label, tag.lineno, f"{{% {word} %}}", f"'{{% {word} %}}' ({part.line_text(tag.lineno)!r}) "
                "cannot be used: a caseforms template is one Word document and reads no other file. Copy the text "
                "you need into this template in Word and try again.")
        for part, tree in trees
        for tag in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))
        for word in [_TAG_WORDS[type(tag)]]
    ]
    if problems:
        return problems
    uses = _uses(trees)
    # The top-level names as docxtpl lists them (its body, headers and footers read as one text), as a
    # second opinion on the walk above; from the parts read already, not the file once more.
    from jinja2 import meta

    # The parts' trees one after the other are the tree of their texts one after the other (each part parses
    # on its own, so no block runs from one into the next): no need to parse the whole text again.
    whole = nodes.Template([node for part, tree in trees if part.label != "document properties" for node in tree.body])
    whole.set_environment(environment())
    top_level = meta.find_undeclared_variables(whole)
    tops = {k.split(".")[0].split("[")[0] for k in known}
    seen: set[str] = set()
    for use in uses:
        if use.path in seen or _is_known(use.path, known):
            continue
        seen.add(use.path)
        suggestion = _suggest(use, known)
        problems.append(Problem(
            path.name, use.part, use.line, use.written,
            f"'{{{{ {use.written} }}}}'" + (f" ({use.text!r})" if use.text else "")
            + (f" is not a field of the {paper.title}" if paper else " is not a field of any paper") + ".",
            suggestion,
        ))
    for name in sorted(top_level - tops - {u.path.split('.')[0].split('[')[0] for u in uses}):
        problems.append(Problem(path.name, "body", 0, name, f"'{name}' is not a field of any paper."))
    return problems


_TAG_WORDS = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from ... import",
              nodes.Extends: "extends"}

#: What officers write for a field, and the field's name.
_ALIASES = {"dob": "date_of_birth", "birth_date": "date_of_birth", "dod": "date_of_death", "nhs": "nhs_number",
            "nhs_no": "nhs_number", "sex": "gender", "reference": "ref", "case_ref": "ref", "school": "education",
            "dates": "date", "agency_name": "name", "surname": "name", "first_name": "name", "full_name": "name"}


def _suggest(use: FieldUse, known: Iterable[str]) -> str | None:
    """Return the field the template probably meant, written the way the template writes it.

    Among the fields beside it first (``c.dob`` -> ``c.date_of_birth``), then among all fields.
    """
    known = list(known)
    prefix, _, leaf = use.path.rpartition(".")
    written_prefix = use.written.rpartition(".")[0]
    if prefix and _is_known(prefix, known):
        siblings = [k[len(prefix) + 1:] for k in known if k.startswith(prefix + ".")]
        siblings = [s for s in siblings if "." not in s and "[" not in s]
        alias = _ALIASES.get(leaf.casefold())
        wanted = alias if alias in siblings else next(iter(difflib.get_close_matches(leaf, siblings, 1, 0.6)), None)
        return f"{written_prefix}.{wanted}" if wanted else None
    matches = difflib.get_close_matches(use.path, known, n=1, cutoff=0.75)
    return matches[0] if matches else None


# -- rendering -------------------------------------------------------------------------------------
@dataclass
class Rendered:
    """A paper written to disk and the markers of what was not recorded, as they appear in it."""

    path: Path
    missing: list[str] = field(default_factory=list)
    backup: Path | None = None
    #: The document as written (python-docx), to combine into a pack without reading the file back.
    document: Any = field(default=None, repr=False)


def render(
    template: Path,
    context: Mapping[str, Any],
    out: Path,
    paper: Paper | None = None,
    images: Mapping[str, tuple[Path, float] | Callable[[Any], Any]] | None = None,
    carry: Callable[[Any], None] | None = None,
    stamp: Callable[[Any, list[str]], None] | None = None,
) -> Rendered:
    """Fill ``template`` with ``context`` and write the document to ``out`` (safely: see safe_write).

    The template is checked first; an unknown field or a syntax error raises :class:`TemplateError`
    and nothing is written. ``images`` puts a picture in place of a top-level field:
    ``{"chart": (png_path, width_mm)}`` fills ``{{ chart }}``; a callable is given the template and
    returns what docxtpl renders there instead (a Word chart: :mod:`caseforms.io.docx_chart`).
    ``carry(document)`` runs once the template is filled (the officer's sections go back in:
    caseforms.io.paper_versions), and ``stamp(document, missing)`` just before the document is saved.
    """

    template = Path(template)
    paper = paper or _paper_of(template)
    problems = check_template(template, paper, keep_open=True)
    broken = next((p for p in problems if p.field == "(syntax)" or p.field.startswith("{%")), None)
    if broken is not None:
        raise TemplateError(str(broken))
    if problems:
        listed = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise TemplateError(
            f"{template} uses fields caseforms does not fill:\n  {listed}{more}\n"
            "Correct them in Word (see 'caseforms templates fields'), or check with 'caseforms templates check'."
        )
    tpl = _opened(template, paper) or _template_class()(str(template))
    filled = prepare(context)
    if images:
        from docx.shared import Mm
        from docxtpl import InlineImage

        filled = {**filled, **{key: shown(tpl) if callable(shown) else InlineImage(tpl, str(shown[0]), width=Mm(shown[1]))
                               for key, shown in images.items()}}
    env = environment()
    try:
        tpl.render(filled, jinja_env=env, autoescape=True)
    except Exception as e:  # the template's own code failed: 1/0, a limit, a missing attribute, a bad filter
        raise TemplateError(_render_failure(template, tpl, env, e)) from e
    if carry is not None:
        carry(tpl.docx)
    missing = highlight_markers(tpl.docx)
    if stamp is not None:
        stamp(tpl.docx, missing)
    made = write_document(Path(out), tpl.save, tpl.docx)
    return Rendered(Path(out), missing, made, tpl.docx)


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_TEMPLATE_CLASS: Any = None
#: The parts of templates as docxtpl cleans them for Jinja, by their XML: a template's parts are cleaned once a process.
_CLEANED: dict[str, str] = {}
_CLEANED_MAX_CHARS = 2_000_000
_CLEANED_MAX_PARTS = 200


def _template_class() -> Any:
    """Return docxtpl's template, passing over the paragraphs that hold no tab, new line, page break or paragraph mark.

    After filling, docxtpl turns each of those characters in the text into Word's own (a tab, a line
    break, a new paragraph), with three regular expressions for every paragraph, run and text of the
    document: most of the time spent on a chronology of thousands of rows, which have none. A
    paragraph without any of them is left as it is, exactly as docxtpl would leave it; one with any
    goes through docxtpl's own code.
    """
    global _TEMPLATE_CLASS
    if _TEMPLATE_CLASS is None:
        from docxtpl import DocxTemplate

        class Template(DocxTemplate):
            def patch_xml(self, src_xml: str) -> str:
                # Each part of a template is cleaned for Jinja when it is checked and again each time it is filled:
                # the same text, and docxtpl's cleaning depends on nothing else.
                cleaned = _CLEANED.get(src_xml)
                if cleaned is None:
                    cleaned = super().patch_xml(src_xml)
                    if len(src_xml) <= _CLEANED_MAX_CHARS:
                        if len(_CLEANED) >= _CLEANED_MAX_PARTS:
                            _CLEANED.pop(next(iter(_CLEANED)))
                        _CLEANED[src_xml] = cleaned
                return cleaned

            def resolve_listing(self, xml: str) -> str:
                resolve = super().resolve_listing

                def paragraph(m: re.Match[str]) -> str:
                    text = m.group(0)
                    return resolve(text) if "\a" in text or "\t" in text or "\n" in text or "\f" in text else text

                return _PARAGRAPH.sub(paragraph, xml)

            def fix_tables(self, xml: str) -> Any:
                # The filled body is parsed inside a copy of the document's own root element, so that it can
                # become the document's body where it was parsed (map_tree below) instead of being moved
                # into the document: lxml moves a tree between documents slowly when it holds xml:space
                # attributes, as every run of text does (1.3 s for a chronology of 10,000 rows).
                wrapped = _inside_root(self.docx._element, xml)
                if wrapped is None:
                    return super().fix_tables(xml)
                # docxtpl's own parse, then its table fixes unless every table is regular (see _regular_tables).
                root = etree.fromstring(wrapped, parser=etree.XMLParser(recover=True))
                if not _regular_tables(root):
                    root = super().fix_tables(wrapped)
                # Parsed by docxtpl's own parser, new each time: from now on it makes python-docx's elements.
                root.getroottree().parser.set_element_class_lookup(element_class_lookup)
                return root.find(f"{W}body")

            def fix_docpr_ids(self, tree: Any) -> None:
                # docxtpl's own, with lxml's XPath: the body is one of python-docx's elements, whose xpath() differs.
                for element in docpr_ids(tree):
                    self.docx_ids_index += 1
                    element.attrib["id"] = str(self.docx_ids_index)

            def map_tree(self, tree: Any) -> None:
                old, root = self.docx._element, tree.getparent()
                if root is None or not isinstance(root, CT_Document) or not isinstance(tree, CT_Body) \
                        or root.tag != old.tag:
                    super().map_tree(tree)  # the body moved into the document, as docxtpl does
                    return
                # What else the old root holds (a page background) goes over with the body in the same order.
                for n, child in enumerate(list(old)):
                    if child.tag != f"{W}body":
                        root.insert(n, child)
                self.docx._element = self.docx._part._element = root
                self.docx._Document__body = None

        from docx.oxml.document import CT_Body, CT_Document
        from docx.oxml.ns import nsmap
        from docx.oxml.parser import element_class_lookup
        from lxml import etree

        docpr_ids = etree.XPath("//wp:docPr", namespaces=nsmap)

        _TEMPLATE_CLASS = Template
    return _TEMPLATE_CLASS


def _regular_tables(root: Any) -> bool:
    """Return whether docxtpl's table fixes would change nothing under ``root``.

    docxtpl widens a table's grid for rows with more cells than it has columns (a ``{% tc %}`` loop)
    and narrows it to the widest row, counting each row of the table and of the tables inside it, a
    Python loop over every cell: 0.6 s for a chronology of 10,000 rows. Every row of a table having
    exactly as many cells as the grid has columns, none spanning several, there is nothing to fix.
    """
    from lxml import etree

    irregular = etree.XPath("boolean(.//w:gridSpan | .//w:tr[count(w:tc) != $columns]) or not(.//w:tr)",
                            namespaces={"w": W[1:-1]})
    for table in root.iter(f"{W}tbl"):
        grid = table.find(f"{W}tblGrid")
        if grid is None or irregular(table, columns=len(grid.findall(f"{W}gridCol"))):
            return False
    return True


def _inside_root(root: Any, body: str) -> str | None:
    """Return the body's XML inside a copy of the document root's start and end tags; None if it cannot be.

    The body's own namespace declarations that the root makes already are left out, as lxml leaves
    them out when it moves a body into its document.
    """
    from lxml import etree

    shell = etree.tostring(root.makeelement(root.tag, dict(root.attrib), root.nsmap), encoding="unicode")
    start = re.match(r"<[^>]*>", body)
    if not shell.endswith("/>") or root.prefix is None or start is None:
        return None
    known = {f'xmlns:{prefix}="{uri}"' for prefix, uri in root.nsmap.items() if prefix}
    head = re.sub(r'\s+xmlns:\w+="[^"]*"', lambda m: "" if m.group(0).strip() in known else m.group(0), start.group(0))
    return f"{shell[:-2]}>{head}{body[start.end():]}</{root.prefix}:{etree.QName(root).localname}>"


def _render_failure(template: Path, tpl: Any, env: BoundedEnvironment, e: Exception) -> str:
    """Return one line saying where a template failed while filling (part, line, tag) and why."""
    import traceback

    lineno = getattr(e, "lineno", None) if isinstance(e, JinjaTemplateError) else None
    for frame, line in traceback.walk_tb(e.__traceback__):
        if frame.f_code.co_filename == "<template>":
            lineno = line  # the innermost line of the template (Jinja rewrites its frames so)
    source = env.last_source or ""
    part = "document properties, " if not source.lstrip().startswith("<") else ""
    current = getattr(tpl, "current_rendering_part", None)
    partname = str(getattr(current, "partname", "")) if current is not None else ""
    if not part and partname and "document.xml" not in partname:
        part = f"{partname.rsplit('/', 1)[-1].removesuffix('.xml')}, "
    text = Part("", source).line_text(lineno)
    tags = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text)
    where = f"line {lineno}" if lineno else "a line"
    shown = f" ({tags[0] if len(tags) == 1 else text!r})" if text else ""
    if isinstance(e, TemplateLimit):
        why = str(e)
    elif isinstance(e, RecursionError):
        why = "a macro calls itself without end"
    else:
        why = (str(e) or type(e).__name__).splitlines()[0].rstrip(".")
    return f"{template.name}, {part}{where}{shown}: {why}. Correct the template in Word and try again."


def _paper_of(template: Path) -> Paper | None:
    return paper_for_template(template.name)


def prepare(value: Any) -> Any:
    """Return a copy of a context ready for docxtpl: paragraphs split, characters XML forbids removed.

    A blank line in a value starts a new Word paragraph (docxtpl's ``\\a``); a single newline is a
    line break.
    """
    if isinstance(value, str):
        if "\n" not in value and "\r" not in value:
            return _ILLEGAL_XML.sub("", value)  # one line: no paragraph to split
        text = _ILLEGAL_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return re.sub(r"\n\s*\n+", "\a", text.strip("\n"))
    if isinstance(value, Mapping):
        return {k: prepare(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [prepare(v) for v in value]
    return value


def _document_roots(document: Any) -> list[Any]:
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if part._has_definition:
                roots.append(part._element)
    return roots


def highlight_markers(document: Any) -> list[str]:
    """Highlight every ``[not recorded: ...]`` and ``[check: ...]`` mark of a document; return the missing labels in order."""
    found: list[str] = []
    from lxml import etree

    marked = etree.XPath(f".//w:r[w:t[contains(., '{MARKER_PREFIX}') or contains(., '{CHECK_PREFIX}')]]",
                         namespaces={"w": W[1:-1]})
    for root in _document_roots(document):
        # Only the runs holding a mark, found by libxml2: a chronology of 10,000 rows has 200,000 runs.
        for run in marked(root):
            texts = [t for t in run.findall(f"{W}t") if t.text and (MARKER_PREFIX in t.text or CHECK_PREFIX in t.text)]
            if not texts:
                continue
            for t in texts:
                found.extend(m.group(1) for m in _MARKER.finditer(t.text))
            _split_run(run)
    return list(dict.fromkeys(found))


def _split_run(run: Any) -> None:
    """Replace a run by runs of the same formatting, the markers in their own highlighted runs."""
    from lxml import etree

    props = run.find(f"{W}rPr")
    pieces: list[Any] = []
    for child in run:
        if child is props:
            continue
        if child.tag == f"{W}t" and child.text and (MARKER_PREFIX in child.text or CHECK_PREFIX in child.text):
            last = 0
            for m in _HIGHLIGHTED.finditer(child.text):
                if m.start() > last:
                    pieces.append((child.text[last:m.start()], False))
                pieces.append((m.group(0), True))
                last = m.end()
            if last < len(child.text):
                pieces.append((child.text[last:], False))
        else:
            pieces.append(child)
    parent = run.getparent()
    at = parent.index(run)
    for piece in pieces:
        new = etree.Element(f"{W}r")
        rpr = deepcopy(props) if props is not None else None
        if isinstance(piece, tuple):
            text, marked = piece
            if marked:
                rpr = rpr if rpr is not None else etree.Element(f"{W}rPr")
                _add_highlight(rpr)
            t = etree.SubElement(new, f"{W}t")
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        else:
            new.append(deepcopy(piece))
        if rpr is not None:
            new.insert(0, rpr)
        parent.insert(at, new)
        at += 1
    parent.remove(run)


def _add_highlight(rpr: Any) -> None:
    from lxml import etree

    for old in rpr.findall(f"{W}highlight"):
        rpr.remove(old)
    mark = etree.Element(f"{W}highlight")
    mark.set(f"{W}val", "yellow")
    after = next((i for i, child in enumerate(rpr) if child.tag in _AFTER_HIGHLIGHT), None)
    if after is None:
        rpr.append(mark)
    else:
        rpr.insert(after, mark)


# -- packs -----------------------------------------------------------------------------------------
def compose(documents: Sequence[Path | Any], out: Path, bookmarks: Sequence[str] = (),
            finish: Callable[[Any], None] | None = None) -> Path:
    """Combine documents into one, each starting on a new page in its own orientation.

    Each document is a file, or a python-docx document already in memory (a paper just rendered:
    see :attr:`Rendered.document`), which is then not read back from its file; a document given in
    memory is changed on the way (what caseforms recorded in it is left out of the pack, and its largest
    parts may become the pack's own: see _set_aside), so give one whose file is written already and
    use it no more. The first document (the pack's contents
    page) gives the header and footer of every page, so the pages are numbered through the whole
    pack. ``bookmarks`` names a bookmark put on the first page of each document after the first (the
    contents page's page numbers refer to them); ``finish(document)`` runs on the pack just before
    it is saved.
    """
    from docx import Document

    def opened(document: Path | Any) -> Any:
        return Document(str(document)) if isinstance(document, (str, Path)) else document

    if not documents:
        raise ValueError("compose() needs at least one document")
    master = opened(documents[0])
    composer = _composer(master)
    body = master.element.body
    from caseforms.io.paper_versions import add_first_page_bookmarks, forget_stamp

    for n, path in enumerate(documents[1:]):
        doc = opened(path)
        forget_stamp(doc)  # the pack records its own; the papers' would only slow the composing down
        if n < len(bookmarks):
            add_first_page_bookmarks([doc], [bookmarks[n]])
        ending = deepcopy(body.find(f"{W}sectPr"))
        # End the section so far with its own page setup: a paragraph carrying a copy of it, a hairline high
        # so that a paper filling its last page does not push it onto a blank page of its own.
        paragraph = body.makeelement(f"{W}p", {})
        p_pr = body.makeelement(f"{W}pPr", {})
        p_pr.append(body.makeelement(f"{W}spacing", {f"{W}before": "0", f"{W}after": "0", f"{W}line": "20",
                                                      f"{W}lineRule": "exact"}))
        r_pr = body.makeelement(f"{W}rPr", {})
        r_pr.append(body.makeelement(f"{W}sz", {f"{W}val": "2"}))
        p_pr.append(r_pr)
        p_pr.append(ending)
        paragraph.append(p_pr)
        body.insert(composer.append_index(), paragraph)
        aside = _set_aside(composer, doc)
        appended = aside.rest if aside else doc
        start = composer.append_index()
        composer.append(appended)
        if aside:
            _put_back(master, aside, start)
            body = master.element.body
        _take_page_setup(body.find(f"{W}sectPr"), appended.element.body.find(f"{W}sectPr"))
    if finish is not None:
        finish(master)
    write_document(Path(out), composer.save, composer.doc)
    return Path(out)


def _composer(master: Any) -> Any:
    """Return docxcompose's composer for ``master``, passing over what a document appended cannot hold.

    docxcompose searches each element appended (the chronology's table of thousands of rows is one)
    for pictures, VML shapes and SmartArt, each search a walk of the whole element; a document with
    no picture or diagram among its parts can hold none, so those walks are left out. Its styles
    are looked at only when docxcompose would change something for them.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docxcompose.composer import Composer

    def related(doc: Any, *kinds: str) -> bool:
        return any(rel.reltype in kinds for rel in doc.part.rels.values())

    class PackComposer(Composer):
        def add_images(self, doc: Any, element: Any) -> None:
            if related(doc, RT.IMAGE):
                super().add_images(doc, element)

        def add_shapes(self, doc: Any, element: Any) -> None:
            if related(doc, RT.IMAGE):
                super().add_shapes(doc, element)

        def add_diagrams(self, doc: Any, element: Any) -> None:
            if related(doc, RT.DIAGRAM_DATA):
                super().add_diagrams(doc, element)

        def add_styles(self, doc: Any, element: Any) -> None:
            # docxcompose lists every style of the pack (python-docx objects, 165 of them) once an element and
            # again for each style it names, to change nothing when the styles are the pack's own.
            if not _styles_unchanged(self, doc, element):
                super().add_styles(doc, element)

    return PackComposer(master)


#: A body element of at least this many elements (a chronology's table: 75 a row) is put into a pack as it is,
#: when docxcompose would change nothing in it (see _set_aside).
SET_ASIDE_ELEMENTS = 5000
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
#: What docxcompose changes or reads in an element it appends, besides the styles it names and the relationships
#: (hyperlinks, pictures, charts, diagrams: any attribute of the relationships namespace): numbering, notes,
#: bookmarks, drawing ids, section breaks.
_TOUCHED = (*(f"{W}{tag}" for tag in ("numPr", "numId", "footnoteReference", "endnoteReference", "bookmarkStart",
                                       "bookmarkEnd", "sectPr", "headerReference", "footerReference")),
            f"{{{_WP}}}docPr", f"{{{_PIC}}}cNvPr")
_STYLES = (f"{W}pStyle", f"{W}rStyle", f"{W}tblStyle")
_XPATHS: dict[str, Any] = {}


def _xpath(name: str) -> Any:
    """Return one of the compiled searches _set_aside makes (compiled once, lxml imported only when composing)."""
    if not _XPATHS:
        from lxml import etree

        ns = {"w": W[1:-1], "r": _R, "wp": _WP, "pic": _PIC}
        _XPATHS["size"] = etree.XPath("count(.//*)")
        _XPATHS["related"] = etree.XPath("boolean(.//@r:*)", namespaces=ns)
        _XPATHS["numbered"] = etree.XPath("boolean(.//w:numId)", namespaces=ns)
    return _XPATHS[name]


@dataclass
class _Aside:
    """The large elements of a document kept out of docxcompose, in its root, and a document of the rest for docxcompose."""

    root: Any
    elements: list[tuple[int, Any]]
    rest: Any


def _set_aside(composer: Any, doc: Any) -> _Aside | None:
    """Keep the large body elements of ``doc`` that docxcompose would copy unchanged out of its way; None if there are none.

    docxcompose deep-copies each element it appends, moves the copy into the pack and searches it
    eight times (styles, numbering, relationships, pictures, notes, section breaks, bookmarks): for a
    chronology of 10,000 rows, 750,000 elements, seconds and hundreds of MiB. An element holding
    nothing it would change (only styles the pack has under the same name and id, none numbered)
    stays where it is, and the rest of the body moves to a document of its own that docxcompose
    appends; _put_back then makes the pack around the large elements. Anything else, or a document
    whose namespaces the pack does not declare the same, goes through docxcompose as before. lxml
    takes a large tree out of its document slowly (the ``xml:space`` of every run of text), so the
    large elements are never taken out: what is moved is small.
    """
    from docx.document import Document
    from docx.oxml.document import CT_Body, CT_Document
    from docxcompose.properties import CustomProperties

    root = doc.element
    ours = composer.doc.element
    if not isinstance(root, CT_Document) or root.tag != ours.tag or root.body is None:
        return None
    big = [(n, element) for n, element in enumerate(e for e in root.body if e.tag != f"{W}sectPr")
           if _xpath("size")(element) >= SET_ASIDE_ELEMENTS]
    if not big or any(root.nsmap.get(prefix) != uri for prefix, uri in ours.nsmap.items()):
        return None
    if CustomProperties(doc).keys():
        return None  # docxcompose would look through the whole document for fields showing them
    mapping = getattr(composer, "_create_style_id_mapping", None)
    if mapping is None:
        return None
    mapping(doc)
    kept = [(n, element) for n, element in big
            if next(element.iter(*_TOUCHED), None) is None and not _xpath("related")(element)
            and _styles_unchanged(composer, doc, element)]
    if not kept:
        return None
    rest = root.makeelement(root.tag, dict(root.attrib), root.nsmap)
    body = rest.makeelement(f"{W}body", dict(root.body.attrib))
    rest.append(body)
    if not isinstance(rest, CT_Document) or not isinstance(body, CT_Body):
        return None  # not made by python-docx's parser: docxcompose would not know the body
    kept_ids = {id(element) for _, element in kept}
    for element in list(root.body):
        if id(element) not in kept_ids:
            body.append(element)
    return _Aside(root, kept, Document(rest, doc.part))


def _styles_unchanged(composer: Any, doc: Any, element: Any) -> bool:
    """Return whether docxcompose would change nothing for the styles ``element`` names (of ``doc``, appended next).

    So it is when each is a style the pack has under the same name and id, and numbered in neither
    (docxcompose maps numbered styles' lists and restarts their numbering). Needs the composer's
    style mapping for ``doc`` made (it makes it as it starts appending a document).
    """
    their_styles, our_styles = doc.styles.element, composer.doc.styles.element
    for found in element.iter(*_STYLES):
        style = found.get(f"{W}val")
        if style is None or composer.mapped_style_id(style) != style:
            return False
        theirs, mine = their_styles.get_by_id(style), our_styles.get_by_id(style)
        if theirs is None or mine is None or _xpath("numbered")(theirs) or _xpath("numbered")(mine):
            return False
    return True


def _put_back(master: Any, aside: _Aside, start: int) -> None:
    """Make the pack around the elements set aside, in the places docxcompose would have put them.

    What the pack holds so far (small beside them) moves into the root element they are in, which
    becomes the pack's root with the pack's attributes; ``start`` is where docxcompose began
    inserting the document's elements.
    """
    old, new = master.element, aside.root
    old_body, new_body = old.body, new.body
    for child in list(new):
        if child is not new_body:
            new.remove(child)  # a page background of the paper: the pack has its own, or none
    for n, child in enumerate(list(old)):
        if child is not old_body:
            new.insert(n, child)
    new.attrib.clear()
    new.attrib.update(old.attrib)
    new_body.attrib.clear()
    new_body.attrib.update(old_body.attrib)
    order = list(old_body)
    for n, element in aside.elements:
        order.insert(start + n, element)
    kept_ids = {id(element) for _, element in aside.elements}
    for n, element in enumerate(order):
        if id(element) not in kept_ids:
            new_body.insert(n, element)
    master._element = master.part._element = new
    master._Document__body = None


def _take_page_setup(target: Any, source: Any) -> None:
    """Give the last section the page size, orientation and margins of the document just appended."""
    if target is None or source is None:
        return
    for tag in ("pgSz", "pgMar"):
        new = source.find(f"{W}{tag}")
        old = target.find(f"{W}{tag}")
        if new is not None and old is not None:
            old.getparent().replace(old, deepcopy(new))
    for tag in ("titlePg",):
        for old in target.findall(f"{W}{tag}"):
            target.remove(old)


# -- PDF -------------------------------------------------------------------------------------------
INSTALL_LIBREOFFICE = (
    "LibreOffice is needed to make PDFs and was not found. Install it (Windows and Mac: "
    "https://www.libreoffice.org/download; Debian/Ubuntu: sudo apt install libreoffice-writer), "
    "or leave out --pdf and save the Word documents as PDF from Word."
)


#: Whether LibreOffice can be started at all: not in Pyodide (xlwings Lite), which can start no other program.
PDF_POSSIBLE = sys.platform != "emscripten"


def find_soffice() -> str | None:
    """Return the LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).is_file():
            return candidate
    return None


def to_pdf(document: Path, out_dir: Path | None = None, timeout: float = 180) -> Path:
    """Convert a .docx to PDF with LibreOffice; return the PDF's path.

    LibreOffice runs with its own throw-away profile, so it works while the officer has
    LibreOffice open and never touches their settings.
    """
    if not PDF_POSSIBLE:
        raise NeedsDesktop(f"A PDF of {Path(document).name} cannot be made inside Excel (xlwings Lite): open the "
                           "document in Word and save it as PDF (File > Save As, PDF).")
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(INSTALL_LIBREOFFICE)
    import subprocess

    document = Path(document)
    out_dir = Path(out_dir or document.parent)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / (document.stem + ".pdf")
    check_writable([Target(pdf, PDF)])
    with tempfile.TemporaryDirectory(prefix="caseforms-lo-") as profile:
        command = [
            soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(Path(profile) / "pdf"), str(document),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired as e:
            raise ConversionError(f"LibreOffice took more than {timeout:.0f} s to convert {document.name}; "
                                  "try again, or save it as PDF from Word.") from e
        converted = Path(profile) / "pdf" / pdf.name
        if done.returncode != 0 or not converted.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise ConversionError(
                f"LibreOffice could not convert {document.name} to PDF"
                + (f" ({detail[-1]})" if detail else "") + ". Open it in Word and save it as PDF instead."
            )
        write_atomically(pdf, lambda tmp: shutil.copyfile(converted, tmp), kind=PDF)
    return pdf
