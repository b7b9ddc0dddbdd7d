"""Write a drawing (caseforms.chronology.timeline.Drawing) as a PDF, an SVG or a PNG.

PDF and SVG are written here, as text, with no library: vector, sharp at any zoom and in print, and the
PDF's text is real text (Helvetica, which every PDF reader has). A PNG needs a raster library: Pillow is
used when it is installed (``pip install pillow``; it is in Pyodide too) and imported only here, when a PNG
is asked for, because xlwings imports Pillow at every Excel click when it is installed, so caseforms does
not require it. Each file says caseforms made it (the SVG in a comment, the PNG in its text, the PDF as its
author), so a later run may replace it and nothing else.
"""

from __future__ import annotations

import math
import zlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from caseforms.errors import WorkbookError

_PT_PER_MM = 72 / 25.4
_INK = "222222"


class PictureError(WorkbookError):
    """Raised when a picture cannot be written in the format asked (a PNG without Pillow installed)."""


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


# -- SVG -----------------------------------------------------------------------------------------------------------

def to_svg(drawing: Any) -> str:
    """Return the drawing as an SVG document in millimetres, with its title and description for screen readers."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{drawing.width}mm" height="{drawing.height}mm" '
           f'viewBox="0 0 {drawing.width} {drawing.height}" role="img" font-family="Helvetica, Arial, sans-serif">',
           "<!-- Made by caseforms -->", f"<title>{escape(drawing.title)}</title>",
           f"<desc>{escape(drawing.description)}</desc>",
           f'<rect x="0" y="0" width="{drawing.width}" height="{drawing.height}" fill="#FFFFFF"/>']
    for s in drawing.shapes:
        paint = (f' fill="#{s.fill}"' if s.fill else ' fill="none"') + (
            f' stroke="#{s.stroke}" stroke-width="{s.width}"' if s.stroke else "")
        if s.kind == "line":
            dash = ' stroke-dasharray="0.8 0.8"' if s.dashed else ""
            out.append(f'<line x1="{s.x:.2f}" y1="{s.y:.2f}" x2="{s.w:.2f}" y2="{s.h:.2f}" stroke="#{s.stroke or _INK}" '
                       f'stroke-width="{s.width}"{dash}/>')
        elif s.kind == "rect":
            out.append(f'<rect x="{s.x:.2f}" y="{s.y:.2f}" width="{s.w:.2f}" height="{s.h:.2f}"{paint}/>')
        elif s.kind == "circle":
            out.append(f'<circle cx="{s.x:.2f}" cy="{s.y:.2f}" r="{s.w:.2f}"{paint}/>')
        elif s.kind == "triangle":
            points = " ".join(f"{x:.2f},{y:.2f}" for x, y in _triangle(s.x, s.y, s.w))
            out.append(f'<polygon points="{points}"{paint}/>')
        elif s.kind == "text":
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(f'<text x="{s.x:.2f}" y="{s.y:.2f}" font-size="{s.size * 0.3528:.2f}" text-anchor="{s.anchor}" '
                       f'fill="#{s.fill or _INK}"{weight}>{escape(s.text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _triangle(x: float, y: float, r: float) -> list[tuple[float, float]]:
    """A triangle pointing down at (x, y + r): the flag over a mark."""
    return [(x - r, y - r), (x + r, y - r), (x, y + r)]


# -- PDF -----------------------------------------------------------------------------------------------------------

def _pdf_text(text: str) -> str:
    """Return text as a PDF literal in WinAnsi (Helvetica's encoding): characters it lacks become '?'."""
    raw = text.replace("…", "...").replace("–", "-").replace("’", "'").encode("cp1252", "replace")
    return "(" + raw.decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _text_width(text: str, size: float) -> float:
    """Return about how wide Helvetica sets ``text`` at ``size`` points, in points (for centred and right-aligned text)."""
    narrow = sum(ch in "ilI.,;:'|!()[] fjrt1" for ch in text)
    wide = sum(ch in "mwMW@" for ch in text)
    return size * (0.556 * (len(text) - narrow - wide) + 0.3 * narrow + 0.85 * wide)


def to_pdf(drawing: Any) -> bytes:
    """Return the drawing as a one-page PDF the size of the drawing, its text real text."""
    h_pt = drawing.height * _PT_PER_MM
    ops: list[str] = ["1 1 1 rg", f"0 0 {drawing.width * _PT_PER_MM:.2f} {h_pt:.2f} re f"]

    def pt(x: float, y: float) -> str:
        return f"{x * _PT_PER_MM:.2f} {h_pt - y * _PT_PER_MM:.2f}"

    def colours(s: Any) -> tuple[str, str]:
        fill = "{:.3f} {:.3f} {:.3f} rg".format(*_rgb(s.fill)) if s.fill else ""
        stroke = ("{:.3f} {:.3f} {:.3f} RG".format(*_rgb(s.stroke)) + f" {s.width * _PT_PER_MM:.2f} w") if s.stroke else ""
        return fill, stroke

    def paint(fill: str, stroke: str) -> str:
        return "B" if fill and stroke else ("f" if fill else "S")

    for s in drawing.shapes:
        fill, stroke = colours(s)
        if s.kind == "line":
            dash = "[1.5 1.5] 0 d" if s.dashed else "[] 0 d"
            stroke = stroke or "{:.3f} {:.3f} {:.3f} RG {:.2f} w".format(*_rgb(_INK), s.width * _PT_PER_MM)
            ops.append(f"{stroke} {dash} {pt(s.x, s.y)} m {pt(s.w, s.h)} l S [] 0 d")
        elif s.kind == "rect":
            ops.append(f"{fill} {stroke} {pt(s.x, s.y + s.h)} {s.w * _PT_PER_MM:.2f} {s.h * _PT_PER_MM:.2f} re "
                       f"{paint(fill, stroke)}")
        elif s.kind == "circle":
            ops.append(f"{fill} {stroke} {_circle_path(s.x, s.y, s.w, pt)} {paint(fill, stroke)}")
        elif s.kind == "triangle":
            (x1, y1), (x2, y2), (x3, y3) = _triangle(s.x, s.y, s.w)
            ops.append(f"{fill} {stroke} {pt(x1, y1)} m {pt(x2, y2)} l {pt(x3, y3)} l h {paint(fill, stroke)}")
        elif s.kind == "text":
            width = _text_width(s.text, s.size) / _PT_PER_MM
            x = s.x - (width / 2 if s.anchor == "middle" else width if s.anchor == "end" else 0)
            r, g, b = _rgb(s.fill or _INK)
            ops.append(f"BT {r:.3f} {g:.3f} {b:.3f} rg /{'F2' if s.bold else 'F1'} {s.size:.1f} Tf {pt(x, s.y)} Td "
                       f"{_pdf_text(s.text)} Tj ET")
    content = zlib.compress("\n".join(ops).encode("latin-1"))
    w_pt = drawing.width * _PT_PER_MM
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt:.2f} {h_pt:.2f}] /Contents 4 0 R "
         "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>").encode(),
        b"<< /Length " + str(len(content)).encode() + b" /Filter /FlateDecode >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        ("<< /Title " + _pdf_text(drawing.title) + " /Subject " + _pdf_text(drawing.description)
         + " /Author (caseforms) /Creator (caseforms) >>").encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def _circle_path(cx: float, cy: float, r: float, pt: Any) -> str:
    """Return a circle as four Bézier curves (PDF has no circle operator)."""
    k = 0.5523 * r
    return (f"{pt(cx + r, cy)} m {pt(cx + r, cy - k)} {pt(cx + k, cy - r)} {pt(cx, cy - r)} c "
            f"{pt(cx - k, cy - r)} {pt(cx - r, cy - k)} {pt(cx - r, cy)} c "
            f"{pt(cx - r, cy + k)} {pt(cx - k, cy + r)} {pt(cx, cy + r)} c "
            f"{pt(cx + k, cy + r)} {pt(cx + r, cy + k)} {pt(cx + r, cy)} c h")


# -- PNG -----------------------------------------------------------------------------------------------------------

def to_png(drawing: Any, dpi: int = 200) -> bytes:
    """Return the drawing as a PNG at ``dpi``; raises :class:`PictureError` when Pillow is not installed."""
    try:
        from PIL import Image, ImageDraw, ImageFont
        from PIL.PngImagePlugin import PngInfo
    except ImportError as e:
        raise PictureError(
            "A PNG needs the Pillow package, which caseforms does not install (it would slow every Excel click). "
            "Install it with 'pip install pillow', or ask for a PDF or an SVG (--output timeline.pdf)."
        ) from e
    scale = dpi / 25.4
    image = Image.new("RGB", (math.ceil(drawing.width * scale), math.ceil(drawing.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[float, bool], Any] = {}

    def font(size: float, bold: bool) -> Any:
        key = (size, bold)
        if key not in fonts:
            px = max(6, round(size * dpi / 72))
            try:
                fonts[key] = ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", px)
            except OSError:
                fonts[key] = ImageFont.load_default(px)
        return fonts[key]

    def px(v: float) -> float:
        return v * scale

    for s in drawing.shapes:
        fill = f"#{s.fill}" if s.fill else None
        outline = f"#{s.stroke}" if s.stroke else None
        width = max(1, round(s.width * scale))
        if s.kind == "line":
            draw.line([(px(s.x), px(s.y)), (px(s.w), px(s.h))], fill=f"#{s.stroke or _INK}", width=width)
        elif s.kind == "rect":
            draw.rectangle([px(s.x), px(s.y), px(s.x + s.w), px(s.y + s.h)], fill=fill, outline=outline,
                           width=width if outline else 0)
        elif s.kind == "circle":
            draw.ellipse([px(s.x - s.w), px(s.y - s.w), px(s.x + s.w), px(s.y + s.w)], fill=fill, outline=outline,
                         width=width if outline else 0)
        elif s.kind == "triangle":
            draw.polygon([(px(x), px(y)) for x, y in _triangle(s.x, s.y, s.w)], fill=fill, outline=outline)
        elif s.kind == "text":
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            draw.text((px(s.x), px(s.y)), s.text, fill=f"#{s.fill or _INK}", font=font(s.size, s.bold), anchor=anchor)
    info = PngInfo()
    info.add_text("Software", "Made by caseforms")
    info.add_text("Title", drawing.title)
    info.add_text("Description", drawing.description)
    import io

    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, dpi=(dpi, dpi))
    return buffer.getvalue()


def write_picture(drawing: Any, path: Path) -> Path | None:
    """Write the drawing as the file's suffix says (.pdf, .svg or .png), through safe_write; return the backup made."""
    from caseforms.io.file_kinds import PDF, PICTURE
    from caseforms.io.safe_write import write_atomically

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        data, kind = to_pdf(drawing), PDF
    elif suffix == ".svg":
        data, kind = to_svg(drawing).encode("utf-8"), PICTURE
    elif suffix == ".png":
        data, kind = to_png(drawing), PICTURE
    else:
        raise PictureError(f"{path.name}: a picture is written as .pdf, .svg or .png: give a name such as \"{path.stem}.pdf\".")
    return write_atomically(path, lambda target: Path(target).write_bytes(data), kind=kind)
