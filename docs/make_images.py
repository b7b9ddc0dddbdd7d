"""Make the README's pictures from the demo: pages of real output, rendered with LibreOffice and pdftoppm.

Runs ``caseforms demo`` into a temporary folder (as of today, so the register's colours, which
Excel and LibreOffice work out from TODAY(), agree with the papers), converts the Rapid Review
case's report and master chronology to PDF and their first pages to PNG, two pages of the LCSPR
case's completed Rapid Review report (its sections as the group wrote them; the decision reached
by a majority, with the dissent and the Executive's sight of it), and the register's Cases sheet
(a copy trimmed to the columns an officer looks at first) the same way. Writes them to
docs/images/, replacing what is there.

Needs LibreOffice (soffice) and poppler (pdftoppm). Run: python docs/make_images.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from caseforms.demo.build import build_demo
from caseforms.io.docx_render import to_pdf

IMAGES = Path(__file__).resolve().parent / "images"
RESOLUTION = 110
#: The register picture is a strip of a landscape page: rendered finer so its small print reads.
REGISTER_RESOLUTION = 160
#: The Cases columns the picture of the register shows, by heading (the due dates follow the events).
CASES_COLUMNS = (
    "Case reference", "Status", "Date LA became aware", "Date referral received", "Executive decision date",
    "Date National Panel notified", "Rapid Review meeting date", "Rapid Review outcome",
    "Due: KSCMP Executive discussion of the referral",
    "Due: Local authority notifies the Child Safeguarding Practice Review Panel",
    "Due: Rapid Review Group meeting",
    "Due: Rapid Review report and decision sent to the Child Safeguarding Practice Review Panel",
    "Due: LCSPR report published",
)


def first_page_png(pdf: Path, target: Path, page: int = 1, resolution: int = RESOLUTION) -> Path:
    """Render one page of ``pdf`` to ``target`` (PNG)."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True, capture_output=True)
    return target


def page_with(pdf: Path, words: str) -> int:
    """Return the number of the first page of ``pdf`` whose text holds ``words``."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    return next(n for n, text in enumerate(pages, 1) if words in text)


def without_blank_foot(png: Path, margin: int = 24) -> Path:
    """Cut a page short below its last printed line above the footer (a last page that is mostly blank)."""
    from PIL import Image, ImageOps

    with Image.open(png) as page:
        body = page.crop((0, 0, page.width, int(page.height * 0.9)))
        box = ImageOps.invert(body.convert("L")).getbbox()
        if box:
            page.crop((0, 0, page.width, min(page.height, box[3] + margin))).save(png)
    return png


def cropped(png: Path, margin: int = 12) -> Path:
    """Crop a rendered page to what is printed on it, with a white margin (the Cases rows fill a strip)."""
    from PIL import Image, ImageOps

    with Image.open(png) as page:
        box = ImageOps.invert(page.convert("L")).getbbox()
        if box:
            left, top, right, bottom = box
            page.crop((max(left - margin, 0), max(top - margin, 0), min(right + margin, page.width),
                       min(bottom + margin, page.height))).save(png)
    return png


def cases_sheet_pdf(register: Path, out: Path) -> Path:
    """Return a PDF of the register's Cases sheet: the first columns an officer reads, one landscape page."""
    from openpyxl import load_workbook

    wb = load_workbook(register)
    ws = wb["Cases"]
    keep = [c.column_letter for c in ws[1] if c.value in CASES_COLUMNS]
    last_row = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value)
    for cell in ws[1]:
        ws.column_dimensions[cell.column_letter].hidden = cell.column_letter not in keep
    for cell in ws[1]:
        if cell.column_letter in keep:
            ws.column_dimensions[cell.column_letter].width = 26 if cell.value in ("Status", "Rapid Review outcome") else 15
    ws.row_dimensions[1].height = 104
    ws.print_area = f"A1:{keep[-1]}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for other in wb.worksheets:
        if other is not ws:
            other.sheet_state = "hidden"
    wb.active = wb.worksheets.index(ws)
    copy = out / "Cases sheet.xlsx"
    wb.save(copy)
    return to_pdf(copy, out)


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler) is needed to render the pages.", file=sys.stderr)
        return 2
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="caseforms-images-") as tmp:
        work = Path(tmp)
        demo = build_demo(work / "caseforms demo", date.today())
        papers = demo.case_folder("rapid_review") / "papers"
        report = next(p for p in papers.glob("*.docx") if " Rapid Review report " in p.name)
        chronology = next(p for p in papers.glob("*.docx") if " Master chronology " in p.name)
        completed = to_pdf(next(p for p in (demo.case_folder("lcspr") / "papers").glob("*.docx")
                                if " Rapid Review report " in p.name), work)
        made = [
            first_page_png(to_pdf(report, work), IMAGES / "rapid_review_report.png"),
            first_page_png(to_pdf(chronology, work), IMAGES / "master_chronology.png"),
            first_page_png(completed, IMAGES / "completed_report_sections.png", page_with(completed, "Case summary")),
            without_blank_foot(first_page_png(completed, IMAGES / "completed_report_decision.png",
                                              page_with(completed, "The decision"))),
            cropped(first_page_png(cases_sheet_pdf(demo.register, work), IMAGES / "register_cases.png",
                                   resolution=REGISTER_RESOLUTION)),
        ]
    for path in made:
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
