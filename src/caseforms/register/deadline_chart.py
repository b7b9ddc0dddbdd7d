"""A case's deadlines as a picture: one row per milestone, from the event it counts from to when it is due.

Each bar runs from the day its clock started (the event or the milestone it is counted from) to its due day,
coloured by where it stands: red overdue, amber due soon, blue upcoming, green met, orange met late, grey when
it has passed or does not apply. A dot marks the day it was done; a line marks today. Drawn as plain shapes
(caseforms.chronology.timeline.Drawing), written as PDF, SVG or PNG by caseforms.io.pictures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from caseforms.chronology.timeline import INK, Drawing, _ticks
from caseforms.deadlines import DUE_SOON, MET, MET_LATE, OVERDUE, UPCOMING, Due

#: Colours by status (the register's own: red overdue, amber due soon, green met), and grey for the rest.
STATUS_COLOURS = {OVERDUE: "C00000", DUE_SOON: "FFC000", UPCOMING: "2E75B6", MET: "70AD47", MET_LATE: "EE7733"}
OTHER_COLOUR = "AAAAAA"
TODAY_COLOUR = "7030A0"


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def draw_deadlines(case_ref: str, rows: Sequence[Due], events: Mapping[str, Any], today: date,
                   width: float = 297.0) -> Drawing:
    """Return the case's timetable (``caseforms.deadlines.timetable``) as a bar per dated milestone."""
    dated = [r for r in rows if r.due is not None]
    known: dict[str, date] = {k: day for k, v in events.items() if (day := _day(v)) is not None}
    known.update({r.id: day for r in dated if (day := _day(r.due)) is not None})
    margin, label_w = 10.0, 95.0
    left, right = margin + label_w, width - margin
    row_h = 7.0
    top = 26.0
    bottom = top + max(len(dated), 1) * row_h
    height = bottom + 22
    counts = {s: sum(r.status == s for r in dated) for s in STATUS_COLOURS}
    described = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no dated milestone"
    d = Drawing(width, height, f"{case_ref}: deadlines as of {today:%d/%m/%Y}",
                f"Deadline chart of case {case_ref}: {len(dated)} milestones, {described}.")
    days = [today, *[x for r in dated for x in (known.get(r.anchor or ""), _day(r.due), _day(r.done_on)) if x]]
    first, last = min(days) - timedelta(days=2), max(days) + timedelta(days=2)
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return left + (right - left) * (day - first).days / span

    d.add("text", margin, 9, text=d.title, size=12, bold=True)
    d.add("text", margin, 15, text=f"Each bar runs from the event a milestone counts from to its due day; {described}.",
          size=8)
    ticks, fmt = _ticks(first, last)
    if len(ticks) < 3:  # a few weeks: a tick a week (Mondays)
        ticks = [first + timedelta(days=i) for i in range(span + 1) if (first + timedelta(days=i)).weekday() == 0]
        fmt = "%d/%m"
    for tick in ticks:
        x = x_of(tick)
        d.add("line", x, top, x, bottom, stroke="DDDDDD", width=0.15)
        d.add("text", x, bottom + 4.5, text=tick.strftime(fmt), size=7, anchor="middle")
    for i, row in enumerate(dated):
        y = top + i * row_h
        if i % 2:
            d.add("rect", left - label_w + 2, y, right - left + label_w - 2, row_h, fill="F4F4F4")
        label = row.milestone.label if len(row.milestone.label) <= 62 else row.milestone.label[:61] + "…"
        due = _day(row.due)
        assert due is not None
        colour = STATUS_COLOURS.get(row.status, OTHER_COLOUR)
        d.add("text", left - 2, y + row_h / 2 + 1.2, text=label, size=7, anchor="end")
        start = known.get(row.anchor or "", due)
        x0, x1 = x_of(min(start, due)), x_of(max(start, due))
        d.add("rect", x0, y + 1.8, max(x1 - x0, 0.8), row_h - 3.6, fill=colour)
        d.add("triangle", x1, y + 0.4, 1.3, fill=colour, stroke=INK, width=0.15)
        said = f"{due:%d/%m} {row.status}"
        if x1 > right - 25:  # no room after the bar: the words go before it
            d.add("text", x0 - 2, y + row_h / 2 + 1.2, text=said, size=6.5, anchor="end")
        else:
            d.add("text", x1 + 2, y + row_h / 2 + 1.2, text=said, size=6.5)
        done = _day(row.done_on)
        if done is not None:
            d.add("circle", x_of(done), y + row_h / 2, 1.4, fill="FFFFFF", stroke=INK, width=0.35)
    d.add("line", left, bottom, right, bottom, stroke=INK, width=0.3)
    x = x_of(today)
    d.add("line", x, top - 3, x, bottom, stroke=TODAY_COLOUR, width=0.5)
    d.add("text", x, top - 4, text=f"Today {today:%d/%m/%Y}", size=7, bold=True, anchor="middle", fill=TODAY_COLOUR)
    y, x = bottom + 13, margin
    for words, colour in (("overdue", STATUS_COLOURS[OVERDUE]), ("due soon", STATUS_COLOURS[DUE_SOON]),
                          ("upcoming", STATUS_COLOURS[UPCOMING]), ("met", STATUS_COLOURS[MET]),
                          ("met late", STATUS_COLOURS[MET_LATE]), ("passed / does not apply", OTHER_COLOUR)):
        d.add("rect", x, y - 3, 5, 3.5, fill=colour)
        d.add("text", x + 6.5, y, text=words, size=7)
        x += 10 + len(words) * 1.5
    d.add("circle", x + 1.5, y - 1.2, 1.4, fill="FFFFFF", stroke=INK, width=0.35)
    d.add("text", x + 4.5, y, text="the day it was done", size=7)
    return d


#: The Deadlines sheet's chart shows this many milestones at most, the soonest (the overdue first): more would not read.
CHARTED_UP_TO = 40


def days_left_rows(rows: Sequence[Any]) -> list[tuple[str, int | None, int | None, int | None]]:
    """Return the Deadlines sheet's chart data: a row per milestone still to meet, its working days left by status.

    ``rows`` are caseforms.jobs.CaseDeadline, soonest first. Each row is (label, overdue, due soon, upcoming): the
    working days left in the column of its status, the others empty, so that a stacked bar chart draws each
    milestone once in its status's colour, overdue ones to the left of today (negative), the rest to the right.
    """
    made: list[tuple[str, int | None, int | None, int | None]] = []
    for row in rows[:CHARTED_UP_TO]:
        label = f"{row.case.ref}: {row.due.milestone.label}"
        label = label if len(label) <= 60 else label[:59] + "…"
        left = row.due.working_days_left
        status = row.due.status
        made.append((label, left if status == OVERDUE else None, left if status == DUE_SOON else None,
                     left if status == UPCOMING else None))
    return made
