"""The chronology's timeline as Word's own chart, for the master chronology paper and the meeting pack it ends.

The same picture as the master workbook's Timeline sheet (caseforms.io.master_xlsx) and the standalone PDF
(caseforms.chronology.timeline): a lane per agency, the first at the top, each entry a dot at its date; a red
triangle above an entry the merge flagged; a red line at the incident; a dashed bracket over the scope period;
numbered diamonds for the key episodes the officer tagged. A Word chart, so it is sharp in print and in the PDF,
read out from its description, and editable ("Edit Data").
"""

from __future__ import annotations

from typing import Any

from caseforms.chronology.timeline import MARK_COLOURS, Timeline, axis_steps, chart_points, excel_serial
from caseforms.io.docx_chart import Points, ScatterChart

#: Up to this many placed entries, each is a big dot; above it, a small one, so busy months read as dark bands.
BIG_DOTS_UP_TO = 150


def timeline_chart(timeline: Timeline, width_mm: float = 257) -> ScatterChart | None:
    """Return the timeline as a Word scatter chart ``width_mm`` wide (A4 landscape's text width), or None if nothing is dated."""
    marks, lanes = timeline.marks, timeline.lanes
    if not marks:
        return None
    top = len(lanes)
    first, last = timeline.span
    big = len(marks) <= BIG_DOTS_UP_TO
    period, points = chart_points(marks, first)
    series: list[Points] = []
    for lane, lane_points in enumerate(points):
        if lane_points:
            series.append(Points(f"{lanes[lane]} ({timeline.lane_counts[lane]})", MARK_COLOURS[lane % len(MARK_COLOURS)],
                                 [x for x, _ in lane_points], [float(top - lane)] * len(lane_points),
                                 size=6 if big else 3))
    flagged = [m for m in marks if m.flagged]
    if flagged:
        _, flagged_points = chart_points(flagged, first, period)
        xs = [x for lane_points in flagged_points for x, _ in lane_points]
        ys = [top - lane + 0.3 for lane, lane_points in enumerate(flagged_points) for _ in lane_points]
        series.append(Points(f"Flagged by the merge ({len(flagged)})", "C00000", xs, ys, marker="triangle",
                             size=6 if big else 4))
    low, high = 0.4, top + 0.6
    if timeline.incident and first <= timeline.incident <= last:
        x = excel_serial(timeline.incident)
        name = f"Incident {timeline.incident:%d/%m/%Y}"
        series.append(Points(name, "C00000", [x, x], [low, high], marker="none", line=True, line_width=2,
                             labels=["", name], label_bold=True))
    if timeline.scope_from or timeline.scope_to:
        x0 = excel_serial(max(timeline.scope_from or first, first))
        x1 = excel_serial(min(timeline.scope_to or last, last))
        series.append(Points("Scope period", "7A93B8", [x0, x0, x1, x1], [low, high, high, low], marker="none",
                             line=True, dashed=True, line_width=1.25, labels=["", "Scope period", "", ""],
                             label_position="r"))
    episodes = timeline.key_episodes
    if episodes:
        series.append(Points(f"Key episode ({len(episodes)}, listed under the chart)", "222222",
                             [excel_serial(day) for _, day, *_ in episodes], [top + 0.35] * len(episodes),
                             marker="diamond", size=7, labels=[str(n) for n, *_ in episodes], label_bold=True))
    # The lanes' names, left of the first day: the value axis can only show numbers.
    series.append(Points("Lanes", "FFFFFF", [excel_serial(first)] * top, [float(top - lane) for lane in range(top)],
                         marker="none", labels=[agency if len(agency) <= 34 else agency[:33] + "…" for agency in lanes],
                         label_position="l", in_legend=False))
    unit, fmt = axis_steps(first, last)
    n = len(marks)
    per = "" if period == 1 else f" Each mark stands for an agency's entries in {period} days."
    description = (f"Timeline of {n} chronology entries in {len(lanes)} agency lanes ("
                   + ", ".join(f"{a}: {c}" for a, c in zip(lanes, timeline.lane_counts, strict=True)) + ")"
                   + (f", incident on {timeline.incident:%d/%m/%Y}" if timeline.incident else "")
                   + (f", {len(flagged)} flagged" if flagged else "")
                   + (f", {len(episodes)} key episode(s)" if episodes else "") + "." + per)
    height = min(150.0, 60 + 9 * top)
    return ScatterChart(timeline.title, series, excel_serial(first), excel_serial(last), unit, fmt, top + 1,
                        description, width_mm, height)


def case_timeline_chart(case: Any) -> ScatterChart | None:
    """Return the timeline chart of a case's papers (caseforms.papers.model.CaseFile), or None without dated entries."""
    from caseforms.chronology.timeline import build_timeline

    scope_from = case.rapid_review.scope_from or case.lcspr.scope_from
    scope_to = case.rapid_review.scope_to or case.lcspr.scope_to
    timeline = build_timeline(case.chronology, title=f"{case.ref}: the chronology as a timeline",
                              incident=case.incident.day, scope_from=scope_from, scope_to=scope_to)
    return timeline_chart(timeline)
