"""Workbooks holding what Excel keeps and openpyxl silently drops, made at test time from a register.

Each generator takes a workbook caseforms wrote (a register) and writes a copy with one feature
added the way Excel writes it: its part, its relationship, its content type, or its element in a
sheet or the workbook. ``FEATURES`` lists them with a piece of the feature's XML that openpyxl
leaves out when it saves (so a test can show openpyxl dropping it) and the words caseforms uses
for it. Issue 16 ("Safe with hostile and accidental input", fault 5) named the first five.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(parts: Mapping[str, bytes], target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


def sheet_part(parts: Mapping[str, bytes], name: str) -> str:
    """Return the part of the sheet called ``name`` (through the workbook's relationships)."""
    rid = re.search(rb'<sheet [^>]*name="' + re.escape(name.encode()) + rb'"[^>]*r:id="(\w+)"', parts["xl/workbook.xml"])
    assert rid, name
    for tag in re.findall(rb"<Relationship [^>]*>", parts["xl/_rels/workbook.xml.rels"]):
        if b'Id="' + rid.group(1) + b'"' in tag:
            found = re.search(rb'Target="([^"]+)"', tag)
            assert found
            target = found.group(1).decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise AssertionError(f"no part for sheet {name}")


def _rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def add_relationship(parts: dict[str, bytes], owner: str, rel_type: str, target: str, rid: str) -> None:
    """Add a relationship from ``owner`` ('' for the package) to ``target`` (relative to the owner's folder)."""
    rels = "_rels/.rels" if not owner else _rels_of(owner)
    body = parts.get(rels, f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}"></Relationships>'.encode())
    tag = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'.encode()
    parts[rels] = body.replace(b"</Relationships>", tag + b"</Relationships>")


def add_type(parts: dict[str, bytes], part: str, content_type: str) -> None:
    tag = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", tag + b"</Types>")


def insert_in_sheet(data: bytes, xml: bytes, before: tuple[str, ...]) -> bytes:
    """Insert ``xml`` into a sheet before the first of the elements ``before`` present (schema order), else at its end."""
    for name in before:
        at = data.find(f"<{name}".encode())
        if at != -1:
            return data[:at] + xml + data[at:]
    return data.replace(b"</worksheet>", xml + b"</worksheet>")


def add_cell(data: bytes, row: int, cell: bytes) -> bytes:
    """Add a cell at the end of row ``row`` of a sheet (its column must come after the row's last one)."""
    m = re.search(rb'<row r="' + str(row).encode() + rb'"[^>]*>.*?</row>', data, re.DOTALL)
    assert m, row
    return data[:m.end() - len(b"</row>")] + cell + data[m.end() - len(b"</row>"):]


# -- the features ----------------------------------------------------------------------------------


def sensitivity_label(parts: dict[str, bytes]) -> None:
    parts["docMetadata/LabelInfo.xml"] = (
        b'<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList '
        b'xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label '
        b'id="{11111111-2222-3333-4444-555555555555}" enabled="1" method="Privileged" '
        b'siteId="{66666666-7777-8888-9999-000000000000}" removed="0"/></clbl:labelList>'
    )
    add_relationship(parts, "", "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels",
                     "docMetadata/LabelInfo.xml", "rIdLabel")
    add_type(parts, "docMetadata/LabelInfo.xml", "application/vnd.ms-office.classificationlabels+xml")


def power_query(parts: dict[str, bytes]) -> None:
    parts["customXml/item1.xml"] = (
        '<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">'
        "AAAAAEQDAABQSwMEFAACAAgA</DataMashup>"
    ).encode("utf-16")
    parts["customXml/itemProps1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
        b'ds:itemID="{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        b'<ds:schemaRef ds:uri="http://schemas.microsoft.com/DataMashup"/></ds:schemaRefs></ds:datastoreItem>'
    )
    add_relationship(parts, "customXml/item1.xml", f"{REL}/customXmlProps", "itemProps1.xml", "rId1")
    add_type(parts, "customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    add_relationship(parts, "xl/workbook.xml", f"{REL}/customXml", "../customXml/item1.xml", "rIdQuery")
    parts["xl/connections.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><connections xmlns="{MAIN}"><connection id="1" '
        'keepAlive="1" name="Query - Police" description="Connection to the \'Police\' query in the workbook." '
        'type="5" refreshedVersion="8" background="1"><dbPr connection="Provider=Microsoft.Mashup.OleDb.1;'
        'Data Source=$Workbook$;Location=Police;" command="SELECT * FROM [Police]"/></connection></connections>'
    ).encode()
    add_relationship(parts, "xl/workbook.xml", f"{REL}/connections", "connections.xml", "rIdConnections")
    add_type(parts, "xl/connections.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml")


def rich_text(parts: dict[str, bytes]) -> None:
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si>'
        '<r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t>Urgent:</t></r>'
        '<r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve"> chase the police return</t></r>'
        "</si></sst>"
    ).encode()
    add_relationship(parts, "xl/workbook.xml", f"{REL}/sharedStrings", "sharedStrings.xml", "rIdStrings")
    add_type(parts, "xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")
    cases = sheet_part(parts, "Cases")
    parts[cases] = add_cell(parts[cases], 2, b'<c r="ZZ2" t="s"><v>0</v></c>')


def dynamic_array(parts: dict[str, bytes]) -> None:
    parts["xl/metadata.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><metadata xmlns="{MAIN}" '
        'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray"><metadataTypes count="1">'
        '<metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" merge="1" '
        'splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/>'
        '</metadataTypes><futureMetadata name="XLDAPR" count="1"><bk><extLst><ext '
        'uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/>'
        "</ext></extLst></bk></futureMetadata><cellMetadata count=\"1\"><bk><rc t=\"1\" v=\"0\"/></bk></cellMetadata>"
        "</metadata>"
    ).encode()
    add_relationship(parts, "xl/workbook.xml", f"{REL}/sheetMetadata", "metadata.xml", "rIdMetadata")
    add_type(parts, "xl/metadata.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml")
    cases = sheet_part(parts, "Cases")
    parts[cases] = add_cell(parts[cases], 2, b'<c r="ZZ2" cm="1"><f t="array" ref="ZZ2:ZZ3">_xlfn._xlws.SORT(A2:A3)</f>'
                                              b"<v>0</v></c>")


def x14_validation_in_odd_part(parts: dict[str, bytes]) -> None:
    """Move the Cases sheet to a part named as another tool names it, with an Excel 2010 drop-down in its extension."""
    old = sheet_part(parts, "Cases")
    new = "xl/worksheets/Cases_register_data.xml"
    data = parts.pop(old).replace(b"</worksheet>", (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">'
        b"<x14:formula1><xm:f>Lists!$A$2:$A$15</xm:f></x14:formula1><xm:sqref>ZZ2:ZZ300</xm:sqref>"
        b"</x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"))
    parts[new] = data
    old_rels, new_rels = _rels_of(old), _rels_of(new)
    if old_rels in parts:
        parts[new_rels] = parts.pop(old_rels)
    short_old, short_new = old.removeprefix("xl/"), new.removeprefix("xl/")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        f'"/{old}"'.encode(), f'"/{new}"'.encode()).replace(f'"{short_old}"'.encode(), f'"{short_new}"'.encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(f'"/{old}"'.encode(), f'"/{new}"'.encode())


def allow_edit_ranges(parts: dict[str, bytes]) -> None:
    cases = sheet_part(parts, "Cases")
    parts[cases] = insert_in_sheet(parts[cases], b'<protectedRanges><protectedRange name="Officer notes" '
                                   b'sqref="ZZ2:ZZ300"/></protectedRanges>',
                                   ("scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews",
                                    "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks",
                                    "printOptions", "pageMargins"))


def custom_views(parts: dict[str, bytes]) -> None:
    cases = sheet_part(parts, "Cases")
    parts[cases] = insert_in_sheet(parts[cases], b'<customSheetViews><customSheetView '
                                   b'guid="{12345678-1234-1234-1234-123456789012}" filter="1"><selection activeCell="A2" '
                                   b'sqref="A2"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                                   b'footer="0.3"/></customSheetView></customSheetViews>',
                                   ("mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks",
                                    "printOptions", "pageMargins"))


def read_only_recommended(parts: dict[str, bytes]) -> None:
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbookPr", b'<fileSharing readOnlyRecommended="1" userName="Priya Venn"/><workbookPr', 1)


def threaded_comments(parts: dict[str, bytes]) -> None:
    cases = sheet_part(parts, "Cases")
    parts["xl/threadedComments/threadedComment1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ThreadedComments '
        b'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="A2" '
        b'dT="2025-03-04T10:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" '
        b'id="{00000000-0000-0000-0000-000000000002}"><text>Is the police return in?</text></threadedComment>'
        b'<threadedComment ref="A2" dT="2025-03-04T11:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" '
        b'id="{00000000-0000-0000-0000-000000000003}" parentId="{00000000-0000-0000-0000-000000000002}">'
        b"<text>Yes, filed this morning.</text></threadedComment></ThreadedComments>"
    )
    add_relationship(parts, cases, "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                     "../threadedComments/threadedComment1.xml", "rIdThreaded")
    add_type(parts, "xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml")


def shapes(parts: dict[str, bytes]) -> None:
    cases = sheet_part(parts, "Cases")
    parts["xl/drawings/drawing99.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr '
        b'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:from><xdr:col>2</xdr:col>'
        b"<xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>6</xdr:col>"
        b"<xdr:colOff>0</xdr:colOff><xdr:row>10</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro=\"\" "
        b'textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
        b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Check the '
        b"LADO dates before Friday</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )
    add_relationship(parts, cases, f"{REL}/drawing", "../drawings/drawing99.xml", "rIdShapes")
    add_type(parts, "xl/drawings/drawing99.xml", "application/vnd.openxmlformats-officedocument.drawing+xml")
    parts[cases] = insert_in_sheet(parts[cases], f'<drawing xmlns:r="{REL}" r:id="rIdShapes"/>'.encode(),
                                   ("legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls",
                                    "webPublishItems", "tableParts", "extLst"))


@dataclass(frozen=True)
class Feature:
    """A feature openpyxl drops: how to add it, what openpyxl's output lacks, and caseforms' words for it."""

    add: Callable[[dict[str, bytes]], None]
    #: A part name or a piece of XML present in the workbook and gone after openpyxl saves it.
    marker: str
    words: str


FEATURES: dict[str, Feature] = {
    "sensitivity label": Feature(sensitivity_label, "docMetadata/LabelInfo.xml", "sensitivity label"),
    "Power Query": Feature(power_query, "customXml/item1.xml", "Power Query"),
    "rich text": Feature(rich_text, "<b/>", "rich text"),
    "dynamic arrays": Feature(dynamic_array, 'cm="1"', "dynamic-array formulas"),
    "x14 validation in an odd part": Feature(x14_validation_in_odd_part, "x14:dataValidation", "drop-down lists"),
    "Allow Edit Ranges": Feature(allow_edit_ranges, "<protectedRanges", "Allow Edit Ranges"),
    "custom views": Feature(custom_views, "<customSheetViews", "custom views"),
    "read-only recommended": Feature(read_only_recommended, "<fileSharing", "read-only recommended"),
    "threaded comments": Feature(threaded_comments, "threadedComments/", "threaded comments"),
    "shapes": Feature(shapes, "<xdr:sp ", "shapes or text boxes"),
}


def with_feature(source: Path, target: Path, name: str) -> Path:
    """Write a copy of the workbook ``source`` with the feature ``name`` added, at ``target``."""
    parts = _parts(source)
    FEATURES[name].add(parts)
    return _write(parts, target)


def all_text(path: Path) -> bytes:
    """Return every part of a workbook, names and contents, as one byte string (to look for a marker)."""
    parts = _parts(path)
    return b"\n".join(name.encode() + b"\n" + data for name, data in parts.items())


def with_cached_value(source: Path, target: Path, sheet: str, cell: str, formula: str, value: str) -> Path:
    """Write a copy where ``sheet``!``cell`` holds ``formula`` with ``value`` as the result Excel saved with it."""
    parts = _parts(source)
    part = sheet_part(parts, sheet)
    data = parts[part]
    row = int(re.sub(r"\D", "", cell))
    pattern = re.compile(rb'<c r="' + cell.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
    new = f'<c r="{cell}"><f>{formula}</f><v>{value}</v></c>'.encode()
    parts[part] = pattern.sub(new, data, count=1) if pattern.search(data) else add_cell(data, row, new)
    return _write(parts, target)
