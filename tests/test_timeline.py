"""The chronology as a picture: lanes, marks, flags, key episodes; the PDF and SVG written; tags kept across merges."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseforms.chronology.timeline import DOTS_UP_TO, FLAG_COLOUR, INCIDENT_COLOUR, build_timeline, draw_timeline
from caseforms.io.file_kinds import PDF, PICTURE, identify
from caseforms.io.pictures import PictureError, to_pdf, to_svg, write_picture
from caseforms.papers.model import ChronologyRow

SVG = "{http://www.w3.org/2000/svg}"


def rows(n: int, *, start: date = date(2024, 1, 8)) -> list[ChronologyRow]:
    agencies = ("Police", "GP practice", "Children's Social Care")
    made = [ChronologyRow(when=start + timedelta(days=3 * i), agency=agencies[i % 3], details=f"Event {i + 1}",
                          entry=i + 1) for i in range(n)]
    made[4].flags = "Check the date: two-digit year"
    made[7].key_episode = "Hospital admission: head injury"
    made[2].when_text, made[2].when = "March 2024", date(2024, 3, 1)
    made.append(ChronologyRow(when=None, agency="Housing", details="Undated", entry=n + 1, flags="No date"))
    return made


def test_a_timeline_places_every_dated_entry_in_its_agency_lane() -> None:
    timeline = build_timeline(rows(25), title="SCP-1", incident=date(2024, 3, 30), scope_from=date(2024, 1, 1),
                              scope_to=date(2024, 3, 30))
    assert timeline.lanes == ["Police", "GP practice", "Children's Social Care", "Housing"]
    assert timeline.lane_counts == [9, 8, 8, 0]
    assert len(timeline.marks) == 25 and timeline.not_placed == 1
    assert [m.entry for m in timeline.marks if m.flagged] == [5]
    assert [m.entry for m in timeline.marks if m.approximate] == [3]
    assert timeline.key_episodes == [(1, date(2024, 1, 29), "Hospital admission: head injury", "GP practice", 8)]


def test_the_svg_shows_each_entry_its_flag_the_incident_and_the_key_episode() -> None:
    timeline = build_timeline(rows(25), title="SCP-1", incident=date(2024, 3, 30), scope_from=date(2024, 1, 1))
    svg = ET.fromstring(to_svg(draw_timeline(timeline)))
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    # 25 dots, numbered; the legend's three samples and the key episode's number are circles too.
    dots = [c for c in svg.iter(f"{SVG}circle") if c.get("r") != "1.50" and c.get("r") != "2.20"]
    assert len(dots) == 25
    assert len([p for p in svg.iter(f"{SVG}polygon") if p.get("fill") == f"#{FLAG_COLOUR}"]) == 2  # the flag, the key's
    assert "Incident 30/03/2024" in texts
    assert any("Hospital admission: head injury" in t and "GP practice, entry 8" in t for t in texts)
    assert any(t.startswith("Police (9)") for t in texts)
    assert any("1 without a date that can be placed" in t for t in texts)
    assert svg.find(f"{SVG}title") is not None and "Timeline of 26 chronology entries" in svg.find(f"{SVG}desc").text


def test_two_thousand_entries_are_ticks_on_one_page() -> None:
    timeline = build_timeline(rows(2000), title="SCP-2", incident=date(2040, 1, 1))
    drawing = draw_timeline(timeline)
    ticks = [s for s in drawing.shapes if s.kind == "line" and s.stroke not in ("BBBBBB", "222222", INCIDENT_COLOUR,
                                                                                 "7A93B8")]
    assert len(timeline.marks) == 2000 > DOTS_UP_TO
    assert len(ticks) == 2000
    assert drawing.height < 210  # one A4 landscape page
    assert not [s for s in drawing.shapes if s.kind == "text" and s.text == "17"]  # no entry numbers at this density


def test_pdf_and_svg_are_written_and_known_as_caseforms_own(tmp_path: Path) -> None:
    drawing = draw_timeline(build_timeline(rows(25), title="SCP-1 – Käthe’s timeline"))
    pdf = to_pdf(drawing)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[xref:xref + 4] == b"xref"
    write_picture(drawing, tmp_path / "t.pdf")
    write_picture(drawing, tmp_path / "t.svg")
    assert identify(tmp_path / "t.pdf") == PDF and identify(tmp_path / "t.svg") == PICTURE
    write_picture(drawing, tmp_path / "t.svg")  # made again: caseforms' own picture is replaced, with a backup
    (tmp_path / "mine.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    from caseforms.errors import WrongKindOfFile

    with pytest.raises(WrongKindOfFile):
        write_picture(drawing, tmp_path / "mine.svg")  # an officer's own picture is never written over
    with pytest.raises(PictureError):
        write_picture(drawing, tmp_path / "t.gif")


def test_the_pdf_renders_with_its_text(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    timeline = build_timeline(rows(25), title="SCP-1", incident=date(2024, 3, 30))
    write_picture(draw_timeline(timeline), tmp_path / "t.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Incident 30/03/2024" in text and "Hospital admission: head injury" in text and "Police (9)" in text


def test_a_png_needs_pillow_and_says_so(tmp_path: Path) -> None:
    drawing = draw_timeline(build_timeline(rows(10), title="SCP-1"))
    try:
        import PIL  # noqa: F401
    except ImportError:
        with pytest.raises(PictureError, match="pip install pillow"):
            write_picture(drawing, tmp_path / "t.png")
        return
    write_picture(drawing, tmp_path / "t.png")
    assert identify(tmp_path / "t.png") == PICTURE


def test_key_episodes_tagged_in_the_master_survive_the_next_merge(tmp_path: Path) -> None:
    """The officer's tags are carried to the same entries of a new merge; one no entry matches is said, not lost."""
    from openpyxl import load_workbook

    from caseforms.io.master_read import read_master
    from caseforms.io.master_xlsx import write_master
    from caseforms.io.returns import merge_return_files

    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "Police.csv").write_text(
        "Agency,Date,Details of event\r\nPolice,01/02/2024,Call-out to the home\r\nPolice,09/02/2024,Arrest of partner\r\n",
        encoding="utf-8")
    master_path = tmp_path / "Master chronology.xlsx"
    write_master(merge_return_files([returns], today=date(2025, 1, 1)), master_path)
    wb = load_workbook(master_path)
    ws = wb["Chronology"]
    headings = [c.value for c in ws[1]]
    column = headings.index("Key episode") + 1
    ws.cell(2, column, "First call-out")
    ws.cell(3, column, "Partner arrested")
    wb.save(master_path)
    # The agency sends its return again: a row added at the top, the arrest's text corrected.
    (returns / "Police.csv").write_text(
        "Agency,Date,Details of event\r\nPolice,20/01/2024,Welfare check\r\nPolice,01/02/2024,Call-out to the home\r\n"
        "Police,09/02/2024,Arrest of the partner\r\n", encoding="utf-8")
    master = merge_return_files([returns], today=date(2025, 1, 1))
    write_master(master, master_path)
    entries = {r.details: r.key_episode for r in read_master(master_path).rows}
    assert entries == {"Welfare check": None, "Call-out to the home": "First call-out", "Arrest of the partner": None}
    lost = [f for f in master.findings if f.code == "key_episode_not_found"]
    assert len(lost) == 1 and "Partner arrested" in lost[0].message and "Arrest of partner" in lost[0].message
    findings = [str(c.value) for row in load_workbook(master_path)["Findings"].iter_rows() for c in row if c.value]
    assert any("Partner arrested" in v for v in findings)


def test_the_timeline_command_draws_the_case_from_its_master(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.cli import main
    from caseforms.demo import build, data
    from caseforms.profile import load_profile

    today = date(2026, 3, 2)
    profile = load_profile(data.PROFILE)
    refs = build.case_refs(today, profile.calendar)
    build.write_register(tmp_path / "register.xlsx", profile, refs, today)
    ref = refs["rapid_review"]
    assert main(["chronology", "timeline", str(tmp_path / "register.xlsx"), "--case", ref]) == 2
    assert "no master chronology yet" in capsys.readouterr().err
    returns = tmp_path / "cases" / ref / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    (returns / "Police.csv").write_text("Agency,Date,Details of event\r\nPolice,01/02/2026,Call-out\r\n", encoding="utf-8")
    from caseforms.jobs import merge_case_returns

    merged = merge_case_returns(tmp_path / "register.xlsx", ref, today=today)
    # The merge by case marks the register's incident on the master's own Timeline chart too.
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    names = {s.findtext(f"{c}tx//{c}v") for s in _chart_of(merged.path, "Timeline").iter(f"{c}ser")}
    assert {"Police (1)", "Scope period"} <= names and any(str(n).startswith("Incident ") for n in names)
    assert main(["chronology", "timeline", str(tmp_path / "register.xlsx"), "--case", ref, "--output",
                 str(tmp_path / "t.svg")]) == 0
    assert "1 entries" in capsys.readouterr().out
    svg = (tmp_path / "t.svg").read_text(encoding="utf-8")
    assert "Police (1)" in svg and "Incident" in svg and "Scope period" in svg


def test_a_case_deadline_chart_shows_each_milestone_by_its_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.cli import main
    from caseforms.demo import build, data
    from caseforms.profile import load_profile
    from caseforms.register.deadline_chart import STATUS_COLOURS

    today = date(2026, 3, 2)
    profile = load_profile(data.PROFILE)
    refs = build.case_refs(today, profile.calendar)
    build.write_register(tmp_path / "register.xlsx", profile, refs, today)
    ref = refs["rapid_review"]
    assert main(["deadlines", str(tmp_path / "register.xlsx"), "--case", ref, "--chart", str(tmp_path / "d.svg"),
                 "--today", today.isoformat()]) == 0
    said = capsys.readouterr().out
    svg = ET.parse(tmp_path / "d.svg").getroot()
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    assert "Today 02/03/2026" in texts
    assert any(t.startswith("Local authority notifies the Child Safeguarding") for t in texts)
    # The notification was made on time: its bar is green and its day done is a dot.
    bars = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    assert f"#{STATUS_COLOURS['met']}" in bars and f"#{STATUS_COLOURS['upcoming']}" in bars
    assert "milestones of " + ref in said
    assert main(["deadlines", str(tmp_path / "register.xlsx"), "--chart", str(tmp_path / "d.svg")]) == 2


def _timeline_master(tmp_path: Path, n: int) -> Path:
    from caseforms.io.master_xlsx import write_master
    from caseforms.io.returns import merge_return_files

    returns = tmp_path / "returns"
    returns.mkdir()
    agencies = ("Police", "GP practice", "Children's Social Care")
    for a, agency in enumerate(agencies):
        lines = ["Agency,Date,Details of event"]
        lines += [f"{agency},{date(2024, 1, 8) + timedelta(days=3 * i + a):%d/%m/%Y},Event {i}" for i in range(n // 3)]
        (returns / f"{agency}.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    (returns / "Housing.csv").write_text("Agency,Date,Details of event\r\nHousing,05/03/24,Tenancy warning\r\n"
                                         "Housing,31/02/2024,A date that is not\r\n", encoding="utf-8")
    master = merge_return_files([returns], today=date(2040, 1, 1), scope_from=date(2024, 1, 1),
                                scope_to=date(2025, 6, 30), case_reference="SCP-2025-014")
    master.incident = date(2024, 3, 30)
    master.entries[7].key_episode = "Hospital admission: head injury"
    path = tmp_path / "Master chronology.xlsx"
    write_master(master, path)
    return path


def _chart_of(path: Path, sheet_name: str) -> ET.Element:
    """Return the chart drawn on ``sheet_name`` of the workbook at ``path`` (through its drawing's relationships)."""
    import posixpath
    import zipfile

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    rid_attr = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next(s.get(rid_attr) for s in book.iter(f"{main}sheet") if s.get("name") == sheet_name)

        def target(part: str, rel_id: str | None = None, kind: str = "") -> str:
            rels = ET.fromstring(z.read(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")))
            rel = next(r for r in rels.iter(f"{rel_ns}Relationship")
                       if (rel_id and r.get("Id") == rel_id) or (kind and r.get("Type", "").endswith(kind)))
            return posixpath.normpath(posixpath.join(posixpath.dirname(part), rel.get("Target", "")))

        sheet = target("xl/workbook.xml", rid)
        drawing = target(sheet, kind="/drawing")
        return ET.fromstring(z.read(target(drawing, kind="/chart")))


def test_the_master_workbook_has_the_timeline_as_excels_own_chart(tmp_path: Path) -> None:
    """A Timeline sheet with a scatter chart: a series per agency lane, the flagged entries, incident, scope, key episode."""
    from openpyxl import load_workbook

    path = _timeline_master(tmp_path, 24)
    assert load_workbook(path, read_only=True).sheetnames[:3] == ["Chronology", "Timeline", "Summary"]
    chart = _chart_of(path, "Timeline")
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    assert chart.find(f".//{c}scatterChart") is not None
    names = [s.findtext(f"{c}tx//{c}v") for s in chart.iter(f"{c}ser")]
    assert names[:4] == ["Police (8)", "GP practice (8)", "Children's Social Care (8)", "Housing (1)"]
    assert "Flagged by the merge (1)" in names  # the two-digit year; the impossible date is counted, not placed
    assert {"Incident 30/03/2024", "Scope period", "Key episode (1, listed beside)"} <= set(names)
    # Each lane's points are its entries' dates at its own height, the first agency at the top.
    police = next(s for s in chart.iter(f"{c}ser") if s.findtext(f"{c}tx//{c}v") == "Police (8)")
    days = [float(v.text or 0) for v in police.findall(f"{c}xVal//{c}v")]
    heights = {v.text for v in police.findall(f"{c}yVal//{c}v")}
    assert len(days) == 8 and heights == {"4"}
    assert days[0] == (date(2024, 1, 8) - date(1899, 12, 30)).days
    ws = load_workbook(path)["Timeline"]
    assert "25 entries placed" in str(ws["A2"].value) and "1 without a date" in str(ws["A2"].value)


def test_the_master_timeline_reads_at_two_thousand_entries(tmp_path: Path) -> None:
    """At 2,000 entries the marks are small, so busy months read as bands; every entry is still a point."""
    path = _timeline_master(tmp_path, 2001)
    chart = _chart_of(path, "Timeline")
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    lanes = [s for s in chart.iter(f"{c}ser") if (s.findtext(f"{c}tx//{c}v") or "").startswith(("Police", "GP", "Child"))]
    assert sum(len(s.findall(f"{c}xVal//{c}pt")) for s in lanes) == 2001
    assert {s.find(f"{c}marker/{c}size").get("val") for s in lanes} == {"4"}  # type: ignore[union-attr]


def test_a_very_long_chronology_is_charted_a_point_per_agency_per_week() -> None:
    """Past a few thousand points the chart counts each agency's entries a week at a time, and loses none of them."""
    from caseforms.chronology.timeline import MOST_POINTS, Mark, chart_points

    first = date(2018, 1, 1)
    marks = [Mark(first + timedelta(days=i // 3), i % 3, i + 1, False, False) for i in range(15_000)]
    period, points = chart_points(marks, first)
    assert period == 7 and sum(len(lane) for lane in points) <= MOST_POINTS
    assert sum(count for lane in points for _, (count, _) in lane) == 15_000
    assert points[0][0] == (float((first - date(1899, 12, 30)).days) + 3, (7, 1))  # the week's middle; entries 1, 4, ...
    # A few hundred entries: a point per agency per day, on the day itself.
    period, points = chart_points(marks[:300], first)
    assert period == 1 and points[1][0] == (float((first - date(1899, 12, 30)).days), (1, 2))


def test_the_master_chronology_paper_shows_the_timeline_and_lists_its_key_episodes(tmp_path: Path) -> None:
    """The Word paper: the chart, its lanes' series as long as each other (LibreOffice drops the rest), the episodes listed."""
    import zipfile

    from caseforms.io.docx_render import render, template_path
    from caseforms.jobs import _paper_charts
    from caseforms.papers import context, sample
    from caseforms.papers.fields import PAPERS
    from caseforms.profile import load_profile

    case = sample.full_case()
    case.chronology = rows(25)
    filled = context.build("master_chronology", case, load_profile("kent"), date(2024, 6, 1))
    assert filled.context["key_episodes"] == [{"number": "1", "date": "29/01/2024", "label": "Hospital admission: head injury",
                                                "agency": "GP practice", "entry": "8"}]
    out = tmp_path / "chronology.docx"
    render(template_path(PAPERS["master_chronology"]), filled.context, out, PAPERS["master_chronology"],
           images=_paper_charts("master_chronology", case))
    from docx import Document

    text = " ".join(p.text for p in Document(str(out)).paragraphs)
    assert "1.  29/01/2024  Hospital admission: head injury (GP practice, entry 8)" in text
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    with zipfile.ZipFile(out) as z:
        chart = ET.fromstring(z.read("word/charts/chart1.xml"))
    series = {s.findtext(f"{c}tx//{c}v"): s for s in chart.iter(f"{c}ser")}
    assert {"Police (9)", "GP practice (8)", "Children's Social Care (8)", "Flagged by the merge (1)", "Scope period",
            "Key episode (1, listed under the chart)"} <= set(series)
    counts = {s.find(f"{c}xVal//{c}ptCount").get("val") for s in series.values()}  # type: ignore[union-attr]
    assert len(counts) == 1
    police = series["Police (9)"]
    assert len(police.findall(f"{c}xVal//{c}pt")) == 9 and {v.text for v in police.findall(f"{c}yVal//{c}v")} == {"4"}


def _chart_points_entry_by_entry(marks: list[Any], first: date, period: int = 1) -> tuple[int, list[list[Any]]]:
    """chart_points as first written: every entry grouped again for each period tried (the reference)."""
    from caseforms.chronology.timeline import MOST_POINTS, excel_serial

    periods = [p for p in (1, 7, 14, 28, 91, 182, 365, 730) if p >= period]
    lanes = max((m.lane for m in marks), default=-1) + 1
    start = first.toordinal()
    days = [(m.lane, m.day.toordinal() - start, m.entry) for m in marks]
    for size in periods:
        keys = [(lane, d // size) for lane, d, _ in days]
        if len(set(keys)) <= MOST_POINTS:
            break
    grouped: dict[tuple[int, int], list[Any]] = {}
    for key, (_, _, entry) in zip(keys, days, strict=True):
        point = grouped.get(key)
        if point is None:
            grouped[key] = [1, entry]
        else:
            point[0] += 1
            if entry is not None and (point[1] is None or entry < point[1]):
                point[1] = entry
    by_lane: list[list[Any]] = [[] for _ in range(lanes)]
    for (lane, bucket), (count, entry) in sorted(grouped.items()):
        by_lane[lane].append((excel_serial(first) + bucket * size + (size - 1) / 2, (count, entry)))
    return size, by_lane


@pytest.mark.parametrize(("entries", "days", "lanes"), [(0, 1, 1), (300, 40, 3), (5_000, 365, 4), (20_000, 1, 20),
                                                         (30_000, 1_825, 20), (60_000, 7_300, 25)])
def test_chart_points_counted_a_day_first_are_those_of_every_entry_grouped(entries: int, days: int, lanes: int) -> None:
    """Points made from each agency's count a day are the same as from every entry: periods, counts and first entries."""
    import random

    from caseforms.chronology.timeline import Mark, chart_points

    rng = random.Random(entries)
    first = date(2019, 12, 20)
    marks = [Mark(first + timedelta(days=3 + rng.randrange(days)), rng.randrange(lanes),
                  None if rng.random() < 0.1 else rng.randrange(1, entries + 1), rng.random() < 0.05, False)
             for _ in range(entries)]
    period, points = chart_points(marks, first)
    assert (period, points) == _chart_points_entry_by_entry(marks, first)
    flagged = [m for m in marks if m.flagged]
    assert chart_points(flagged, first, period) == _chart_points_entry_by_entry(flagged, first, period)
