"""What an openpyxl rewrite of a workbook would lose, and keeping the formula results it would drop.

openpyxl reads the parts of a workbook it understands and writes a new package from what it read:
anything else is silently left out. So, before caseforms rewrites a workbook in place, the whole
package is walked: every relationship from the package, the workbook, each sheet, drawing, chart
and table, classified as kept by openpyxl, harmless to lose (Excel rebuilds it: the calculation
chain, printer settings, chart style presets...) or lost; then the contents of the parts openpyxl
keeps only in part (the sheets' and workbook's own settings and ``extLst`` extensions, shapes in
drawings, rich text in cells). Anything not known to be kept or harmless counts as lost: a feature
of a later Excel is reported, not silently dropped. What was checked, against openpyxl 3.1
(``tests/test_write_guard.py`` writes each into a workbook and shows openpyxl dropping it):

* package: a Microsoft Purview sensitivity label (``docMetadata/LabelInfo.xml``), a digital
  signature, a custom ribbon, Office add-ins;
* workbook: Power Query queries and SharePoint properties (``customXml``, ``DataMashup``), data
  connections, dynamic-array formulas (``xl/metadata.xml`` and the cells' ``cm``), macros, slicers,
  timelines, the data model, pictures in cells and linked data types, in-cell check boxes, macro
  and dialog sheets, shared-workbook change tracking, "read-only recommended" and the password to
  modify (``fileSharing``), custom views;
* each sheet, whatever its part is called: validations, conditional formats and sparklines kept
  in the sheet's ``extLst``, Allow Edit Ranges (``protectedRanges``), custom views, threaded
  comments, form and ActiveX controls, embedded objects, header and footer pictures, a background
  picture, Watch Window entries, web publishing, data consolidation, external data queries;
* drawings: shapes and text boxes, SmartArt, ink, slicer and newer chart kinds, SVG icons,
  pictures in EMF/WMF; charts: details kept in their extensions, shapes drawn on a chart;
* cells: rich text (several fonts in one cell), which openpyxl reads as plain text.

openpyxl also writes every formula without its last calculated value (``<v>``), so a program that
reads the values Excel saved (caseforms reads with calamine) would see a blank where the officer's
own formula column had a date. :func:`restore_cached_values` puts those values back into the file
openpyxl wrote, for every formula unchanged since the original was saved.
"""

from __future__ import annotations

import html
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from caseforms.io.file_kinds import UNREADABLE_ZIP, Relationship, attributes, main_part, relationships, workbook_sheets

#: Relationship types (the last word of the type's URI, lower case) openpyxl reads and writes back.
_KEPT = {
    "officedocument", "core-properties", "extended-properties", "custom-properties", "worksheet", "chartsheet",
    "styles", "theme", "sharedstrings", "externallink", "externallinkpath", "pivotcachedefinition",
    "pivotcacherecords", "pivottable", "drawing", "vmldrawing", "comments", "table", "hyperlink", "chart", "image",
}
#: Relationship types openpyxl drops that Excel rebuilds or that hold nothing of the officer's.
_HARMLESS = {
    "calcchain", "printersettings", "thumbnail", "person", "chartstyle", "chartcolorstyle", "themeoverride",
    "customxmlprops", "volatiledependencies",
}
#: Relationship types openpyxl drops, in words.
_LOST = {
    "classificationlabels": "a sensitivity label (Microsoft Purview)",
    "origin": "a digital signature",
    "extensibility": "a custom ribbon",
    "webextensiontaskpanes": "Office add-ins",
    "webextension": "Office add-ins",
    "customxml": "custom XML data (from SharePoint or an add-in)",
    "connections": "data connections (Power Query or external data)",
    "sheetmetadata": "dynamic-array formulas (they would become old-style formulas)",
    "vbaproject": "macros (VBA)",
    "slicercache": "slicers",
    "slicer": "slicers",
    "timelinecache": "timelines",
    "timeline": "timelines",
    "powerpivotdata": "the data model (Power Pivot)",
    "model": "the data model (Power Pivot)",
    "featurepropertybag": "check boxes in cells",
    "xlmacrosheet": "macro sheets (Excel 4 macros)",
    "xlintlmacrosheet": "macro sheets (Excel 4 macros)",
    "dialogsheet": "dialog sheets",
    "revisionheaders": "tracked changes (shared workbook)",
    "usernames": "tracked changes (shared workbook)",
    "threadedcomment": "threaded comments (their replies would be lost)",
    "ctrlprop": "form controls (buttons, check boxes)",
    "control": "form or ActiveX controls",
    "activexcontrolbinary": "form or ActiveX controls",
    "oleobject": "embedded objects",
    "package": "embedded objects",
    "customproperty": "sheet custom properties",
    "namedsheetview": "sheet views",
    "querytable": "an external data query (Power Query) filling a table",
    "tablesinglecells": "XML maps",
    "xmlmaps": "XML maps",
    "chartex": "charts of the newer kinds (waterfall, treemap, sunburst, map...)",
    "chartusershapes": "shapes drawn on a chart",
    "diagramdata": "SmartArt",
    "diagramlayout": "SmartArt",
    "diagramquickstyle": "SmartArt",
    "diagramcolors": "SmartArt",
    "diagramdrawing": "SmartArt",
    "rdrichvalue": "pictures in cells and linked data types",
    "rdrichvaluestructure": "pictures in cells and linked data types",
    "rdrichvaluetypes": "pictures in cells and linked data types",
    "richvalue": "pictures in cells and linked data types",
    "richstyles": "pictures in cells and linked data types",
    "rdarray": "pictures in cells and linked data types",
    "rdsupportingpropertybag": "pictures in cells and linked data types",
    "rdsupportingpropertybagstructure": "pictures in cells and linked data types",
    "rdrichvaluewebimage": "pictures in cells and linked data types",
}
#: A sheet's own elements (children of <worksheet>) openpyxl keeps.
_SHEET_KEPT = {
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetProtection", "scenarios",
    "autoFilter", "sortState", "mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks",
    "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "drawing",
    "legacyDrawing", "tableParts", "extLst",
}
_SHEET_HARMLESS = {"sheetCalcPr", "phoneticPr", "ignoredErrors", "smartTags"}
_SHEET_LOST = {
    "protectedRanges": "ranges others may edit on a protected sheet (Allow Edit Ranges)",
    "customSheetViews": "custom views",
    "dataConsolidate": "data consolidation settings",
    "webPublishItems": "web publishing settings",
    "cellWatches": "Watch Window entries",
    "legacyDrawingHF": "pictures in the header or footer",
    "drawingHF": "pictures in the header or footer",
    "picture": "a background picture",
    "oleObjects": "embedded objects",
    "controls": "form or ActiveX controls",
    "customProperties": "sheet custom properties",
    "AlternateContent": "form controls or embedded objects",
}
_WORKBOOK_KEPT = {
    "workbookPr", "workbookProtection", "bookViews", "sheets", "externalReferences", "definedNames", "calcPr",
    "pivotCaches", "extLst",
}
_WORKBOOK_HARMLESS = {"fileVersion", "fileRecoveryPr", "functionGroups", "smartTagPr", "smartTagTypes", "oleSize",
                      "revisionPtr"}
_WORKBOOK_LOST = {
    "fileSharing": "the 'read-only recommended' setting or the password to modify",
    "customWorkbookViews": "custom views",
    "webPublishing": "web publishing settings",
    "webPublishObjects": "web publishing settings",
}
#: Extensions (``<ext uri>``) Excel writes into every workbook, holding nothing openpyxl's loss would matter for.
_HARMLESS_EXT = {
    "{140A7094-0E35-4892-8432-C4D2E57EDEB5}",  # x15 workbookPr: chart tracking by reference
    "{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}",  # calcFeatures: which calculation features this Excel has
    "{79F54976-1DA5-4618-B147-4CDE4B953A38}",  # x14 workbookPr: default picture resolution
    "{C3380CC4-5D6E-409C-BE32-E72D297353CC}",  # a chart series' unique id
    "{56B9EC1D-385E-4148-901F-78D8002777C0}",  # a chart's display of #N/A as blank
}
_EXT_WORDS = {
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "drop-down lists or validation that Excel stores in its own extension",
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "conditional formatting that Excel stores in its own extension",
    "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}": "conditional formatting that Excel stores in its own extension",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "sparklines",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "slicers",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "slicers",
    "{BBE1A952-AA13-448E-AADC-164F8A28A991}": "slicers",
    "{46BE6895-7355-4A93-B00E-2C351335B9C9}": "slicers",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "timelines",
    "{D0CA8CA8-9F24-4464-BF8E-62219DCF47F9}": "timelines",
    "{A2CB5862-8E78-49C6-8D9D-AF26E26ADB89}": "timelines",
    "{FCE2AD5D-F65C-4FA6-A056-5C36A1767C68}": "the data model (Power Pivot)",
    "{876F7934-8845-4945-9796-88D515C7AA90}": "PivotTable details Excel keeps in its own extension",
    "{841E416B-1EF1-43B6-AB56-02D37102CBD5}": "PivotTable details Excel keeps in its own extension",
    "{983426D0-5260-488C-9760-48F4B6AC55F4}": "PivotTable details Excel keeps in its own extension",
    "{504A1905-F514-4F6F-8877-14C23A59335A}": "the alternative text of a table",
    "{DE250136-89BD-433C-8126-D09CA5730AF9}": "protected ranges Excel keeps in its own extension",
    "{02D57815-91ED-43CB-92C2-25804820EDAC}": "chart details Excel keeps in its own extension",
    "{CE6537A1-D6FC-4F65-9D91-7224C49458BB}": "chart labels taken from cells",
}
_KEPT_PICTURES = {"image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp", "image/tiff"}
_LOST_PICTURES = "pictures in a format openpyxl cannot keep (EMF, WMF or SVG)"
#: Parts whose content type alone says openpyxl drops them, wherever they are linked from.
_LOST_TYPES = {
    "application/vnd.ms-office.classificationlabels+xml": "a sensitivity label (Microsoft Purview)",
    "application/vnd.ms-excel.threadedcomments+xml": _LOST["threadedcomment"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetmetadata+xml": _LOST["sheetmetadata"],
    "application/vnd.ms-office.vbaproject": _LOST["vbaproject"],
    "application/vnd.ms-excel.slicer+xml": "slicers",
    "application/vnd.ms-excel.slicercache+xml": "slicers",
    "application/vnd.ms-excel.timeline+xml": "timelines",
    "application/vnd.ms-excel.timelinecache+xml": "timelines",
    "application/vnd.ms-excel.controlproperties+xml": _LOST["ctrlprop"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml": _LOST["connections"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.querytable+xml": _LOST["querytable"],
}
#: Where Excel keeps the parts openpyxl drops, for parts that no relationship reaches.
_LOST_PLACES = (
    ("xl/slicers/", "slicers"), ("xl/slicerCaches/", "slicers"), ("xl/timelines/", "timelines"),
    ("xl/timelineCaches/", "timelines"), ("xl/webextensions/", "Office add-ins"), ("xl/vbaProject.bin", "macros (VBA)"),
    ("customUI/", "a custom ribbon"), ("xl/threadedComments/", _LOST["threadedcomment"]),
    ("xl/ctrlProps/", _LOST["ctrlprop"]), ("xl/model/", _LOST["model"]), ("xl/richData/", _LOST["rdrichvalue"]),
    ("customXml/", _LOST["customxml"]), ("docMetadata/", _LOST["classificationlabels"]),
)
#: How many places (sheet!cell) a message names for one kind of loss.
_PLACES = 3
#: The most of one part read for the checks; a part larger than this is not read to its end.
_PART_LIMIT = 256 << 20


@dataclass
class _Found:
    """Losses by what is lost, each with the places it was found, in order."""

    places: dict[str, list[str]] = field(default_factory=dict)

    def add(self, what: str, where: str = "") -> None:
        seen = self.places.setdefault(what, [])
        if where and where not in seen:
            seen.append(where)

    def words(self) -> list[str]:
        out = []
        for what, places in self.places.items():
            shown = ", ".join(places[:_PLACES]) + (f" and {len(places) - _PLACES} more" if len(places) > _PLACES else "")
            out.append(f"{what} ({shown})" if places else what)
        return out


def openpyxl_would_drop(path: Path) -> list[str]:
    """Return, in words with their places, what an openpyxl load-and-save of ``path`` would lose; [] when nothing.

    Only reads the file. A file that is not a readable workbook gives [], and the read that
    follows reports the real problem.
    """
    found = _Found()
    try:
        with zipfile.ZipFile(path) as z:
            _Walk(z, found).run()
    except UNREADABLE_ZIP:
        return []
    return found.words()


def _read(z: zipfile.ZipFile, name: str, limit: int = _PART_LIMIT) -> bytes:
    try:
        with z.open(name) as f:
            return f.read(limit)
    except UNREADABLE_ZIP:
        return b""


def _local(name: str) -> str:
    return name.split(":")[-1]


def _children(fragment: bytes) -> list[str]:
    """Return the names of the top-level elements of an XML fragment (a part without its root), in order.

    A scan of the tags with a depth count: no parser, so no entity or size tricks apply.
    """
    names: list[str] = []
    depth = 0
    for m in re.finditer(rb"<(/?)([\w.:-]+)[^>]*?(/?)>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>", fragment, re.DOTALL):
        if m.group(2) is None:
            continue
        closing, name, empty = m.group(1), m.group(2).decode("ascii", "replace"), m.group(3)
        if closing:
            depth = max(0, depth - 1)
        else:
            if depth == 0:
                names.append(_local(name))
            if not empty:
                depth += 1
    return names


def _ext_uris(fragment: bytes) -> list[str]:
    return [u.decode("ascii", "replace").upper() for u in re.findall(rb'<(?:\w+:)?ext\b[^>]*\buri="([^"]+)"', fragment)]


class _Walk:
    """One walk of a workbook package, collecting what openpyxl would lose into ``found``."""

    def __init__(self, z: zipfile.ZipFile, found: _Found) -> None:
        self.z = z
        self.found = found
        self.names = set(z.namelist())
        self.visited: set[str] = set()
        self.types = self._content_types()

    def _content_types(self) -> dict[str, str]:
        data = _read(self.z, "[Content_Types].xml", 16 << 20)
        defaults = {a.get("Extension", "").lower(): a.get("ContentType", "").lower()
                    for a in map(attributes, re.findall(rb"<(?:\w+:)?Default\b[^>]*>", data))}
        types = {}
        for name in self.names:
            types[name] = defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        for a in map(attributes, re.findall(rb"<(?:\w+:)?Override\b[^>]*>", data)):
            types[a.get("PartName", "").lstrip("/")] = a.get("ContentType", "").lower()
        return types

    def run(self) -> None:
        main = main_part(self.z)
        if main is None:
            return
        for rel in relationships(self.z, ""):
            self.relation(rel, "", "")
        self.visited.add(main)
        self.workbook(main)
        # Parts no relationship reaches (a tool that wired them its own way): judged by their type or their place.
        for name in sorted(self.names - self.visited):
            what = _LOST_TYPES.get(self.types.get(name, "")) or next(
                (words for prefix, words in _LOST_PLACES if name.startswith(prefix)), None)
            if what:
                self.found.add(what)
            elif name.startswith("xl/drawings/") and name.endswith(".xml") and "/_rels/" not in name:
                self.visited.add(name)
                self.drawing(name, "")

    def relation(self, rel: Relationship, owner: str, where: str) -> bool:
        """Classify one relationship; return True when its target is a part openpyxl keeps (to look inside)."""
        kind = rel.type.lower()
        if rel.external:
            return False
        if kind in _LOST:
            if kind == "customxml":
                self.custom_xml(rel.target)
            else:
                self.found.add(_LOST[kind], where)
            self.visited.add(rel.target)
            return False
        if kind in _HARMLESS:
            self.visited.add(rel.target)
            return False
        if kind in _KEPT:
            return True
        self.found.add(f"Excel content openpyxl does not know ({rel.type})", where or owner)
        return False

    def custom_xml(self, part: str) -> None:
        head = _read(self.z, part, 1 << 16)
        text = head.decode("utf-16") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head.decode("utf-8", "replace")
        if "DataMashup" in text:
            self.found.add("Power Query queries")
        elif "contentTypeSchema" in text or "schemas.microsoft.com/office/2006/metadata/properties" in text:
            self.found.add("SharePoint document properties")
        else:
            self.found.add(_LOST["customxml"])
        self.visited.add(part)
        for rel in relationships(self.z, part):
            self.visited.add(rel.target)

    # -- the workbook --------------------------------------------------------------------------

    def workbook(self, part: str) -> None:
        data = _read(self.z, part)
        body = re.sub(rb"^.*?<(?:\w+:)?workbook\b[^>]*>", b"", data, count=1, flags=re.DOTALL)
        for name in _children(body):
            if name in _WORKBOOK_LOST:
                self.found.add(_WORKBOOK_LOST[name])
            elif name == "AlternateContent":
                continue  # Excel's record of the folder it last saved in (absPath): nothing of the officer's
            elif name not in _WORKBOOK_KEPT and name not in _WORKBOOK_HARMLESS:
                self.found.add(f"workbook settings openpyxl does not know (<{name}>)")
        self.extensions(body, "the workbook")
        sheets = {s.part: s.name for s in workbook_sheets(self.z, part) if s.part}
        for rel in relationships(self.z, part):
            if not self.relation(rel, part, ""):
                continue
            self.visited.add(rel.target)
            kind = rel.type.lower()
            if kind == "worksheet":
                self.sheet(rel.target, sheets.get(rel.target, rel.target))
            elif kind == "chartsheet":
                self.part_relations(rel.target, f"sheet {sheets.get(rel.target, rel.target)}")
            elif kind == "sharedstrings":
                self.rich_text(rel.target, sheets)
            elif kind == "pivotcachedefinition":
                self.part_relations(rel.target, "a PivotTable")

    def extensions(self, fragment: bytes, where: str) -> None:
        for uri in _ext_uris(fragment):
            if uri in _HARMLESS_EXT:
                continue
            self.found.add(_EXT_WORDS.get(uri, "Excel features stored in its own extension"), where)

    # -- sheets --------------------------------------------------------------------------------

    def sheet(self, part: str, name: str) -> None:
        where = f"sheet {name}"
        data = _read(self.z, part)
        start = re.search(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>", data)
        if start is None:
            outside, cells = data, b""
        elif start.group(1):
            outside, cells = data[:start.start()] + data[start.end():], b""
        else:
            close = re.compile(rb"</(?:\w+:)?sheetData\s*>").search(data, start.end())
            end, after = (close.start(), close.end()) if close else (len(data), len(data))
            outside = data[:start.start()] + data[after:]
            cells = data[start.end():end]
        body = re.sub(rb"^.*?<(?:\w+:)?worksheet\b[^>]*>", b"", outside, count=1, flags=re.DOTALL)
        for element in _children(body):
            if element in _SHEET_LOST:
                self.found.add(_SHEET_LOST[element], where)
            elif element not in _SHEET_KEPT and element not in _SHEET_HARMLESS:
                self.found.add(f"sheet settings openpyxl does not know (<{element}>)", where)
        ext = re.search(rb"<(?:\w+:)?extLst\b.*", body, re.DOTALL)
        if ext:
            self.extensions(ext.group(0), where)
        if re.search(rb'<(?:\w+:)?c\b[^>]*\scm="', cells):
            self.found.add(_LOST["sheetmetadata"], where)
        if re.search(rb'<(?:\w+:)?c\b[^>]*\svm="', cells):
            self.found.add(_LOST["rdrichvalue"], where)
        if re.search(rb"<(?:\w+:)?is>\s*<(?:\w+:)?r>", cells):
            for m in _INLINE_RICH.finditer(cells):
                self.found.add(_RICH_TEXT, f"{name}!{m.group(1).decode()}")
        self.part_relations(part, where)

    def part_relations(self, part: str, where: str) -> None:
        """Classify the relationships of a sheet (or chartsheet, drawing, chart, table) and look inside what is kept."""
        for rel in relationships(self.z, part):
            if not self.relation(rel, part, where) or rel.target in self.visited:
                continue
            self.visited.add(rel.target)
            kind = rel.type.lower()
            if kind == "drawing":
                self.drawing(rel.target, where)
            elif kind == "vmldrawing":
                self.vml(rel.target, where)
            elif kind == "table":
                table = _read(self.z, rel.target, 16 << 20)
                ext = re.search(rb"<(?:\w+:)?extLst\b.*", table, re.DOTALL)
                if ext:
                    self.extensions(ext.group(0), where)
                self.part_relations(rel.target, where)
            elif kind == "chart":
                chart = _read(self.z, rel.target)
                self.extensions(chart, f"a chart on {where}")
                self.part_relations(rel.target, f"a chart on {where}")
            elif kind == "image":
                if self.types.get(rel.target, "") not in _KEPT_PICTURES:
                    self.found.add(_LOST_PICTURES, where)
            elif kind in ("pivottable", "pivotcachedefinition"):
                self.part_relations(rel.target, where)

    def drawing(self, part: str, where: str) -> None:
        data = _read(self.z, part)
        if re.search(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)[\s>]", data):
            self.found.add("shapes or text boxes", where)
        if re.search(rb"<(?:\w+:)?contentPart[\s>]", data):
            self.found.add("ink (drawings made with a pen)", where)
        if re.search(rb"<(?:\w+:)?AlternateContent[\s>]", data):
            self.found.add("form controls, slicers or other Excel objects", where)
        for uri in re.findall(rb'<(?:\w+:)?graphicData\b[^>]*\buri="([^"]+)"', data):
            if not uri.endswith(b"/drawingml/2006/chart"):
                self.found.add(_graphic_words(uri.decode("ascii", "replace")), where)
        if b"svgBlip" in data:
            self.found.add(_LOST_PICTURES, where)
        self.part_relations(part, where)

    def vml(self, part: str, where: str) -> None:
        data = _read(self.z, part)
        kinds = {k.decode("ascii", "replace") for k in re.findall(rb'ObjectType="(\w+)"', data)}
        if kinds - {"Note"}:
            self.found.add(_LOST["ctrlprop"], where)

    def rich_text(self, part: str, sheets: dict[str, str]) -> None:
        """Find shared strings with several runs (rich text) and the cells that use them."""
        data = _read(self.z, part)
        if not re.search(rb"<(?:\w+:)?si>\s*<(?:\w+:)?r>", data):
            return
        rich = {i for i, item in enumerate(re.findall(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>|<(?:\w+:)?si/>", data, re.DOTALL))
                if re.match(rb"<(?:\w+:)?si>\s*<(?:\w+:)?r>", item)}
        places = 0
        for sheet_part, sheet_name in sheets.items():
            if places > _PLACES:
                break
            cells = _read(self.z, sheet_part)
            for ref, index in re.findall(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+\d+)"[^>]*\bt="s"[^>]*>\s*<(?:\w+:)?v>(\d+)<', cells):
                if int(index) in rich:
                    self.found.add(_RICH_TEXT, f"{sheet_name}!{ref.decode()}")
                    places += 1
                    if places > _PLACES:
                        break
        if places == 0:
            self.found.add(_RICH_TEXT)


_RICH_TEXT = "rich text (several fonts or colours within one cell)"
_INLINE_RICH = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+\d+)"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?is>\s*<(?:\w+:)?r>',
                          re.DOTALL)


def _graphic_words(uri: str) -> str:
    if "slicer" in uri:
        return "slicers"
    if "chartex" in uri:
        return _LOST["chartex"]
    if "diagram" in uri:
        return "SmartArt"
    if "timeslicer" in uri or "timeline" in uri:
        return "timelines"
    return "Excel objects openpyxl does not know"


# -- formula results ---------------------------------------------------------------------------------

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)


@dataclass(frozen=True)
class _Result:
    """A formula cell of the original: its formula as text, its saved value and the value's type."""

    formula: str | None
    value: bytes
    type: str | None


def _formula_results(data: bytes) -> dict[str, _Result]:
    """Return the formula cells of one sheet part that carry a saved value, by reference (shared formulas expanded)."""
    from openpyxl.formula.translate import Translator

    found: dict[str, _Result] = {}
    masters: dict[str, Translator] = {}
    children: list[tuple[str, str, bytes, str | None]] = []
    for cell in _CELL.finditer(data):
        inner = cell.group(2)
        if not inner or b"<" not in inner:
            continue
        f = _FORMULA.search(inner)
        v = _VALUE.search(inner)
        if f is None or v is None or not v.group(1):
            continue
        a = attributes(cell.group(1))
        fa = attributes(f.group(1))
        ref = a.get("r")
        if not ref:
            continue
        text = html.unescape(f.group(2).decode("utf-8", "replace")) if f.group(2) else None
        if fa.get("t") == "shared":
            si = fa.get("si", "")
            if text:
                masters[si] = Translator("=" + text, ref)
            else:
                children.append((ref, si, v.group(1), a.get("t")))
                continue
        found[ref] = _Result(text, v.group(1), a.get("t"))
    for ref, si, value, kind in children:
        master = masters.get(si)
        if master is not None:
            try:
                found[ref] = _Result(master.translate_formula(ref)[1:], value, kind)
            except Exception:  # a formula openpyxl's translator cannot read: leave that cell's value out
                continue
    return found


def restore_cached_values(original: Path, saved: Path) -> int:
    """Put the original's saved formula results back into the workbook openpyxl wrote at ``saved``; return how many.

    A formula's value is restored only where the same sheet has the same formula in the same cell,
    so a value never outlives the formula it came from. ``saved`` is rewritten in place (it is the
    guard's temporary file, not yet the officer's).
    """
    try:
        with zipfile.ZipFile(original) as z:
            main = main_part(z)
            if main is None:
                return 0
            results: dict[str, dict[str, _Result]] = {}
            for sheet in workbook_sheets(z, main):
                if sheet.part is None:
                    continue
                data = _read(z, sheet.part)
                if b"<v>" in data and re.search(rb"<(?:\w+:)?f\b", data):
                    found = _formula_results(data)
                    if found:
                        results[sheet.name] = found
    except UNREADABLE_ZIP:
        return 0
    if not results:
        return 0
    restored = 0
    replaced: dict[str, bytes] = {}
    with zipfile.ZipFile(saved) as z:
        main = main_part(z)
        for sheet in workbook_sheets(z, main) if main else []:
            wanted = results.get(sheet.name)
            if wanted is None or sheet.part is None:
                continue
            data = z.read(sheet.part)
            count = 0

            def fill(cell: re.Match[bytes], wanted: dict[str, _Result] = wanted) -> bytes:
                nonlocal count
                inner = cell.group(2)
                if not inner:
                    return cell.group(0)
                f = _FORMULA.search(inner)
                v = _VALUE.search(inner)
                if f is None or (v is not None and v.group(1)):
                    return cell.group(0)
                a = attributes(cell.group(1))
                old = wanted.get(a.get("r", ""))
                text = html.unescape(f.group(2).decode("utf-8", "replace")) if f.group(2) else None
                if old is None or old.formula is None or text != old.formula or "t" in a:
                    return cell.group(0)
                count += 1
                attrs = cell.group(1) + (f' t="{old.type}"'.encode() if old.type else b"")
                body = re.sub(rb"<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>", b"", inner)
                return b"<c" + attrs + b">" + body + b"<v>" + old.value + b"</v></c>"

            new = _CELL.sub(fill, data)
            if count:
                replaced[sheet.part] = new
                restored += count
        if not replaced:
            return 0
        rebuilt = Path(saved).with_name(Path(saved).name + ".values")
        try:
            with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as out:
                for item in z.infolist():
                    out.writestr(item, replaced.get(item.filename) or z.read(item.filename))
        except BaseException:
            rebuilt.unlink(missing_ok=True)
            raise
    os.replace(rebuilt, saved)
    return restored
