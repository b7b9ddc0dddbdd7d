"""Charts native to Word: a stacked bar chart or a scatter chart drawn by Word itself, with its data inside the document.

The LIG paper shows the actions by agency and BRAG status. Drawn as Word's own chart (DrawingML, the
same part Word writes when an officer inserts a chart), it is sharp at every zoom and in the PDF,
read out by a screen reader from its description, and editable in Word ("Edit Data" opens the
numbers, which travel inside the document as a small workbook). Nothing draws a picture, so no
plotting library is needed: importing one (matplotlib, and with it numpy and PIL) cost every Excel
click a third of a second, because xlwings imports matplotlib whenever it is installed.

Word and LibreOffice draw the chart from the values cached in the chart part; the embedded workbook
is only what "Edit Data" opens. Both are written with the same numbers.

The scatter chart (:class:`ScatterChart`) draws the chronology's timeline in the meeting papers: a series of
points per agency lane, dates across (Excel's serial days, shown as months), with lines for the incident and
the scope period and a text label on any point (the lanes' names, the key episodes' numbers).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from caseforms.cells import column_letter


def escape(data: str) -> str:
    """Escape &, < and > in a text, as xml.sax.saxutils does (whose import brings urllib's, http's and ssl's along)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """Escape and quote an attribute value exactly as xml.sax.saxutils.quoteattr does."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"' + data.replace('"', "&quot;") + '"'


_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_EMU_PER_MM = 36000
# Characters XML 1.0 cannot hold (an agency name pasted with a control character): dropped from the chart.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET = "Sheet1"


@dataclass(frozen=True)
class Series:
    """One coloured part of every bar: its name in the legend, its colour (RRGGBB) and a value per category."""

    name: str
    colour: str
    values: Sequence[float]


@dataclass(frozen=True)
class BarChart:
    """A horizontal stacked bar chart: one bar per category, top to bottom in the order given."""

    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    axis_title: str
    #: What a screen reader says for the chart.
    description: str
    width_mm: float = 170
    height_mm: float = 90

    def for_template(self, tpl: Any) -> ChartInline:
        """Return what docxtpl renders in place of a field to show this chart (see ``docx_render.render``)."""
        return ChartInline(tpl, self)


class ChartInline:
    """The chart as docxtpl renders a field: adds the chart part to the document part being rendered."""

    def __init__(self, tpl: Any, chart: BarChart | ScatterChart) -> None:
        self.tpl, self.chart = tpl, chart

    def __html__(self) -> str:  # docxtpl renders with autoescape: Jinja calls this, as for its InlineImage
        return self._insert()

    def __str__(self) -> str:
        return self._insert()

    def _insert(self) -> str:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.part import Part

        part = self.tpl.current_rendering_part
        package = part.package
        chart = self.chart
        workbook = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CT.SML_SHEET,
                        chart.workbook_bytes() if isinstance(chart, ScatterChart) else workbook_bytes(chart), package)
        xml = chart.chart_xml("rId1") if isinstance(chart, ScatterChart) else chart_xml(chart, "rId1")
        chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, xml.encode("utf-8"), package)
        if chart_part.relate_to(workbook, RT.PACKAGE) != "rId1":  # a new part's first relationship
            raise AssertionError("the chart's workbook is not its first relationship")
        rid = part.relate_to(chart_part, RT.CHART)
        return ("</w:t></w:r><w:r><w:drawing>" + inline_xml(self.chart, rid, part.next_id)
                + '</w:drawing></w:r><w:r><w:t xml:space="preserve">')


def _text(value: str) -> str:
    return escape(_XML_ILLEGAL.sub("", str(value)))


def inline_xml(chart: BarChart | ScatterChart, rid: str, shape_id: int) -> str:
    """Return the ``wp:inline`` placing the chart in the text, as big as asked."""
    cx, cy = round(chart.width_mm * _EMU_PER_MM), round(chart.height_mm * _EMU_PER_MM)
    return (
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{_WP}" {_NS}>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Chart {shape_id}" title={quoteattr(_XML_ILLEGAL.sub("", chart.title))} '
        f'descr={quoteattr(_XML_ILLEGAL.sub("", chart.description))}/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>'
    )


def _rich(text: str, size: int, bold: bool) -> str:
    return (f'<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="{int(bold)}"/></a:pPr>'
            f'<a:r><a:rPr lang="en-GB" sz="{size}" b="{int(bold)}"/><a:t>{_text(text)}</a:t></a:r></a:p></c:rich></c:tx>')


def _str_ref(ref: str, values: Sequence[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{_text(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return f"<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val=\"{len(values)}\"/>{points}</c:strCache></c:strRef>"


def _num_ref(ref: str, values: Sequence[float], count: int | None = None) -> str:
    """Return a reference to numbers with their cached values; ``count`` points in all, those after ``values`` blank."""
    points = "".join(f'<c:pt idx="{i}"><c:v>{v:g}</c:v></c:pt>' for i, v in enumerate(values))
    return (f'<c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>General</c:formatCode>'
            f'<c:ptCount val="{len(values) if count is None else count}"/>{points}</c:numCache></c:numRef>')


def chart_xml(chart: BarChart, workbook_rid: str) -> str:
    """Return the chart part (``c:chartSpace``): the bars, their values cached, and the embedded workbook's link."""
    n = len(chart.categories)
    last = n + 1
    series = []
    for i, s in enumerate(chart.series):
        col = column_letter(i + 1)
        series.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
            f'<c:tx>{_str_ref(f"{_SHEET}!${col}$1", [s.name])}</c:tx>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{s.colour}"/></a:solidFill>'
            '<a:ln><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f'<c:cat>{_str_ref(f"{_SHEET}!$A$2:$A${last}", list(chart.categories))}</c:cat>'
            f'<c:val>{_num_ref(f"{_SHEET}!${col}$2:${col}${last}", list(s.values))}</c:val></c:ser>'
        )
    biggest = max((sum(values) for values in zip(*(s.values for s in chart.series), strict=True)), default=0)
    unit = '<c:majorUnit val="1"/>' if biggest <= 10 else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace {_NS}>'
        '<c:date1904 val="0"/><c:lang val="en-GB"/><c:roundedCorners val="0"/>'
        f'<c:chart><c:title>{_rich(chart.title, 1200, True)}<c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="stacked"/><c:varyColors val="0"/>'
        + "".join(series) +
        '<c:gapWidth val="50"/><c:overlap val="100"/><c:axId val="5001"/><c:axId val="5002"/></c:barChart>'
        # Categories from the bottom up, as Excel draws a bar chart: the caller gives them in that order.
        '<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="5002"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>'
        f'<c:title>{_rich(chart.axis_title, 900, False)}<c:overlay val="0"/></c:title>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/><c:crossAx val="5001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>{unit}'
        '</c:valAx></c:plotArea>'
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        # The document's own sans-serif face, as Word's charts take the theme's body font.
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:latin typeface="Arial"/>'
        '<a:cs typeface="Arial"/></a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
        f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
    )


def workbook_bytes(chart: BarChart) -> bytes:
    """Return the chart's data as the small workbook Word opens for "Edit Data" (text kept as text)."""
    from caseforms.io.cell_text import xlsxwriter_workbook

    buffer = io.BytesIO()
    wb = xlsxwriter_workbook(buffer, {"in_memory": True})  # type: ignore[arg-type]  # xlsxwriter takes a file object
    ws = wb.add_worksheet(_SHEET)
    ws.write_row(0, 0, ["", *(_XML_ILLEGAL.sub("", s.name) for s in chart.series)])
    for r, category in enumerate(chart.categories, start=1):
        ws.write_string(r, 0, _XML_ILLEGAL.sub("", category))
        ws.write_row(r, 1, [s.values[r - 1] for s in chart.series])
    ws.set_column(0, 0, 34)
    wb.close()
    return buffer.getvalue()



# -- the scatter chart --------------------------------------------------------------------------------------

#: DrawingML's marker symbols by the names used here.
_SYMBOLS = {"circle": "circle", "triangle": "triangle", "diamond": "diamond", "square": "square", "none": "none"}


@dataclass(frozen=True)
class Points:
    """One series of a scatter chart: its name in the legend, its colour and its points (x, y)."""

    name: str
    colour: str
    xs: Sequence[float]
    ys: Sequence[float]
    #: "circle", "triangle", "diamond", "square" or "none".
    marker: str = "circle"
    size: int = 5
    #: Join the points with a line (the incident's, the scope period's), dashed or not, this wide in points.
    line: bool = False
    dashed: bool = False
    line_width: float = 1.5
    #: A text shown by each point ("" for none): the lanes' names, the key episodes' numbers.
    labels: Sequence[str] = ()
    #: Where the labels sit: "t" above, "l" left, "r" right of the point.
    label_position: str = "t"
    label_bold: bool = False
    in_legend: bool = True


@dataclass(frozen=True)
class ScatterChart:
    """A scatter chart with a date axis across (Excel serial days) and a value axis up whose numbers are hidden."""

    title: str
    series: Sequence[Points]
    x_min: float
    x_max: float
    #: The step between the date axis's labels, in days, and their format ("mmm yyyy").
    x_unit: float
    x_format: str
    y_max: float
    description: str
    width_mm: float = 250
    height_mm: float = 110
    #: The share of the width left of the plot, for the lanes' names.
    left: float = 0.2

    def for_template(self, tpl: Any) -> ChartInline:
        """Return what docxtpl renders in place of a field to show this chart (see ``docx_render.render``)."""
        return ChartInline(tpl, self)

    def chart_xml(self, workbook_rid: str) -> str:
        """Return the chart part: every series with its points cached, the axes, the legend and the workbook's link."""
        series = []
        hidden = []
        # Every series spans the same rows, its missing points blank: LibreOffice draws only some series of a scatter
        # chart whose series differ in length (it lines them up in one table), Word draws them all either way.
        rows = max((len(s.xs) for s in self.series), default=0)
        last = rows + 1
        for i, s in enumerate(self.series):
            x_col, y_col = column_letter(2 * i), column_letter(2 * i + 1)
            if s.line:
                dash = '<a:prstDash val="dash"/>' if s.dashed else ""
                line = (f'<a:ln w="{round(s.line_width * 12700)}"><a:solidFill><a:srgbClr val="{s.colour}"/></a:solidFill>'
                        f"{dash}</a:ln>")
            else:
                line = "<a:ln><a:noFill/></a:ln>"
            if s.marker == "none":
                marker = '<c:marker><c:symbol val="none"/></c:marker>'
            else:
                marker = (f'<c:marker><c:symbol val="{_SYMBOLS[s.marker]}"/><c:size val="{s.size}"/><c:spPr>'
                          f'<a:solidFill><a:srgbClr val="{s.colour}"/></a:solidFill>'
                          f'<a:ln w="3175"><a:solidFill><a:srgbClr val="{s.colour}"/></a:solidFill></a:ln></c:spPr></c:marker>')
            series.append(
                f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
                f'<c:tx>{_str_ref(f"{_SHEET}!${y_col}$1", [s.name])}</c:tx>'
                f"<c:spPr>{line}</c:spPr>{marker}{self._labels(s)}"
                f'<c:xVal>{_num_ref(f"{_SHEET}!${x_col}$2:${x_col}${last}", s.xs, rows)}</c:xVal>'
                f'<c:yVal>{_num_ref(f"{_SHEET}!${y_col}$2:${y_col}${last}", s.ys, rows)}</c:yVal>'
                '<c:smooth val="0"/></c:ser>'
            )
            if not s.in_legend:
                hidden.append(f'<c:legendEntry><c:idx val="{i}"/><c:delete val="1"/></c:legendEntry>')
        grey = '<c:spPr><a:ln w="3175"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr>'
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace {_NS}>'
            '<c:date1904 val="0"/><c:lang val="en-GB"/><c:roundedCorners val="0"/>'
            f'<c:chart><c:title>{_rich(self.title, 1200, True)}<c:overlay val="0"/></c:title>'
            '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout><c:manualLayout><c:layoutTarget val="inner"/>'
            f'<c:xMode val="edge"/><c:yMode val="edge"/><c:x val="{self.left}"/><c:y val="0.1"/>'
            f'<c:w val="{0.98 - self.left:.2f}"/><c:h val="0.62"/></c:manualLayout></c:layout>'
            '<c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>'
            + "".join(series) +
            '<c:axId val="6001"/><c:axId val="6002"/></c:scatterChart>'
            '<c:valAx><c:axId val="6001"/><c:scaling><c:orientation val="minMax"/>'
            f'<c:max val="{self.x_max:g}"/><c:min val="{self.x_min:g}"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="b"/><c:majorGridlines>{grey}</c:majorGridlines>'
            f'<c:numFmt formatCode={quoteattr(self.x_format)} sourceLinked="0"/><c:majorTickMark val="out"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="low"/><c:crossAx val="6002"/><c:crosses val="min"/>'
            f'<c:crossBetween val="midCat"/><c:majorUnit val="{self.x_unit:g}"/></c:valAx>'
            '<c:valAx><c:axId val="6002"/><c:scaling><c:orientation val="minMax"/>'
            f'<c:max val="{self.y_max:g}"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>'
            '<c:majorGridlines><c:spPr><a:ln w="3175"><a:solidFill><a:srgbClr val="EEEEEE"/></a:solidFill></a:ln>'
            '</c:spPr></c:majorGridlines><c:numFmt formatCode=";;;" sourceLinked="0"/><c:majorTickMark val="none"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr>'
            '<c:crossAx val="6001"/><c:crosses val="autoZero"/><c:crossBetween val="midCat"/><c:majorUnit val="1"/>'
            '</c:valAx></c:plotArea>'
            f'<c:legend><c:legendPos val="b"/>{"".join(hidden)}<c:overlay val="0"/></c:legend>'
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
            '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="800"><a:latin typeface="Arial"/>'
            '<a:cs typeface="Arial"/></a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
            f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
        )

    @staticmethod
    def _labels(s: Points) -> str:
        """Return the series' data labels: a static text on each point that has one, none on the others."""
        if not any(s.labels):
            return ""
        shown = "".join(
            f'<c:dLbl><c:idx val="{i}"/>{_rich(text, 800, s.label_bold)}<c:dLblPos val="{s.label_position}"/>'
            '<c:showLegendKey val="0"/><c:showVal val="1"/>'
            '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbl>'
            if text else f'<c:dLbl><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>'
            for i, text in enumerate(s.labels))
        return (f'<c:dLbls>{shown}<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
                f'<c:dLblPos val="{s.label_position}"/><c:showLegendKey val="0"/>'
                '<c:showVal val="0"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
                '<c:showBubbleSize val="0"/></c:dLbls>')

    def workbook_bytes(self) -> bytes:
        """Return the chart's data as the small workbook Word opens for "Edit Data": two columns a series, x and y."""
        from caseforms.io.cell_text import xlsxwriter_workbook

        buffer = io.BytesIO()
        wb = xlsxwriter_workbook(buffer, {"in_memory": True})  # type: ignore[arg-type]  # xlsxwriter takes a file object
        ws = wb.add_worksheet(_SHEET)
        day = wb.add_format({"num_format": "dd/mm/yyyy"})
        for i, s in enumerate(self.series):
            ws.write_string(0, 2 * i, "Date")
            ws.write_string(0, 2 * i + 1, _XML_ILLEGAL.sub("", s.name))
            ws.write_column(1, 2 * i, list(s.xs), day)
            ws.write_column(1, 2 * i + 1, list(s.ys))
        wb.close()
        return buffer.getvalue()
