"""The chronology as a picture: one lane per agency, each entry a mark, the incident and the scope period drawn in.

A reviewer reads a 2,000-row chronology; a timeline shows in one picture who saw the child when, and where
the gaps are. It is drawn here as plain shapes in millimetres (:class:`Drawing`), which the adapters write as
PDF, SVG or PNG (:mod:`caseforms.io.pictures`), so no plotting library is needed.

Readable at 25 entries and at 2,000: with few entries each is a dot with its entry number; with many, each is a
thin tick, so that busy months read as dark bands and gaps as white. Entries the merge flagged carry a red
triangle; entries with only a month or year known are hollow; entries without a date that can be placed are
counted under the picture, never placed. Key episodes the officer tags in the master chronology's "Key episode"
column are numbered above the lanes and listed under them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

#: Paul Tol's muted qualitative scheme (https://personal.sron.nl/~pault/): told apart by colour-blind readers and
#: dark enough for a thin tick on white. With more agencies than colours the colours repeat; the lane says whose.
MARK_COLOURS = ("332288", "88CCEE", "44AA99", "117733", "999933", "DDCC77", "CC6677", "882255", "AA4499")
FLAG_COLOUR = "C00000"
INCIDENT_COLOUR = "C00000"
SCOPE_FILL = "E8EEF7"
INK = "222222"
GRID = "BBBBBB"
#: Up to this many placed entries, each is a dot with its number; above it, a tick.
DOTS_UP_TO = 150
#: Key episodes listed under the picture (the rest are numbered on it, and listed in the master).
LISTED_EPISODES = 14


class Mark(NamedTuple):
    """One entry placed on the timeline (a tuple: a 50,000-row merge makes one for every entry, for its chart)."""

    day: date
    lane: int
    entry: int | None
    flagged: bool
    approximate: bool
    key_episode: str | None = None


@dataclass
class Timeline:
    """What the picture shows: the lanes, the placed entries, the case's dates and the key episodes."""

    title: str
    lanes: list[str]
    lane_counts: list[int]
    marks: list[Mark]
    #: Entries whose date cannot be placed (none, unreadable, in the future): counted, not drawn.
    not_placed: int
    incident: date | None = None
    scope_from: date | None = None
    scope_to: date | None = None
    #: (number shown, day, label, agency, entry), in date order.
    key_episodes: list[tuple[int, date, str, str, int | None]] = field(default_factory=list)

    @property
    def span(self) -> tuple[date, date]:
        days = [m.day for m in self.marks] + [d for d in (self.incident, self.scope_from, self.scope_to) if d]
        if not days:
            return date.today() - timedelta(days=30), date.today()
        first, last = min(days), max(days)
        pad = max(2, (last - first).days // 40)
        return first - timedelta(days=pad), last + timedelta(days=pad)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


#: The flags that say an entry's date cannot be placed at all.
_UNPLACED = ("Date not read", "No date", "Date in the future")
#: The flags that only say where an entry is against the scope: not a problem to show.
_SCOPE_FLAGS = ("Background: before the scope period", "After the scope period")


def build_timeline(rows: Sequence[Any], *, title: str, incident: Any = None, scope_from: Any = None,
                   scope_to: Any = None) -> Timeline:
    """Return the timeline of a master chronology's entries (caseforms.papers.model.ChronologyRow, as read back).

    Lanes are the agencies in order of their first entry; a department ("Front Door") stays in its agency's lane.
    """
    items = ((row.agency, [f.strip() for f in (row.flags or "").split(";") if f.strip()], _day(row.when),
              bool(row.when_text), row.entry, getattr(row, "key_episode", None)) for row in rows)
    return _assemble(items, title, incident, scope_from, scope_to)


def master_timeline(master: Any, *, title: str | None = None) -> Timeline:
    """Return the timeline of a merge's entries (caseforms.chronology.merge.MasterChronology), as the master is written.

    The incident is the master's own when the merge was told it (``master.incident``); the scope period is the merge's.
    """
    items = ((e.agency, e.flags, e.when.day, (e.when.precision or "day") != "day", e.number, e.key_episode)
             for e in master.entries)
    ref = master.case_reference
    return _assemble(items, title or (f"{ref}: the chronology as a timeline" if ref else "The chronology as a timeline"),
                     getattr(master, "incident", None), master.scope_from, master.scope_to)


def _assemble(items: Iterable[tuple[str | None, Sequence[str], date | None, bool, int | None, str | None]], title: str,
              incident: Any, scope_from: Any, scope_to: Any) -> Timeline:
    """Return the timeline of (agency, flags, day, approximate, entry number, key episode) items, in the master's order."""
    lanes: list[str] = []
    lane_of: dict[str, int] = {}
    marks: list[Mark] = []
    not_placed = 0
    episodes: list[tuple[date, str, str, int | None]] = []
    for agency_text, flags, when, approximate, entry, key_text in items:
        lane = lane_of.get(agency_text)  # type: ignore[arg-type]  # None is a key like any other
        if lane is None:
            agency = (agency_text or "Agency not known").strip() or "Agency not known"
            lane = lane_of.get(agency.casefold())
            if lane is None:
                lane = lane_of[agency.casefold()] = len(lanes)
                lanes.append(agency)
            lane_of[agency_text] = lane  # type: ignore[index]
        day = when if type(when) is date else _day(when)  # the common case first: a merge makes one per entry
        if day is None or (flags and any(f.startswith(_UNPLACED) for f in flags)):
            not_placed += 1
            continue
        flagged = bool(flags) and any(not f.startswith(_SCOPE_FLAGS) for f in flags)
        key = key_text.strip() if key_text else None
        marks.append(Mark(day, lane, entry, flagged, approximate, key or None))
        if key:
            episodes.append((day, key, lanes[lane], entry))
    counts = [0] * len(lanes)
    for m in marks:
        counts[m.lane] += 1
    episodes.sort(key=lambda e: (e[0], e[3] or 0))
    return Timeline(title, lanes, counts, marks, not_placed, _day(incident), _day(scope_from), _day(scope_to),
                    [(n, *e) for n, e in enumerate(episodes, start=1)])


#: The most points a chart of the timeline is given (see chart_points).
MOST_POINTS = 4_000


def excel_serial(day: date) -> float:
    """Return the day as Excel's serial number (the 1900 date system), as a chart's date axis takes it."""
    return float((day - date(1899, 12, 30)).days)


def chart_points(marks: Sequence[Mark], first: date, period: int = 1) -> tuple[int, list[list[tuple[float, tuple[int, Any]]]]]:
    """Return the period (days) each point stands for, and each lane's points: (Excel serial day, (entries, first entry)).

    A point per agency per day, unless that makes more than MOST_POINTS: then per week, fortnight, four weeks and so
    on, each point placed in the middle of its period. A chart a page wide cannot show more, and every point costs
    the merge time to write twice (the cell and the chart's cached copy). Days are Excel's serial numbers, as both
    Excel's and Word's charts take them.
    """
    periods = [p for p in (1, 7, 14, 28, 91, 182, 365, 730) if p >= period]
    lanes = max((m.lane for m in marks), default=-1) + 1
    start = first.toordinal()
    # Each agency's entries a day, counted once (fewer than the entries, and no list of every entry made for each
    # period tried): each period's points are then made from these.
    by_day: dict[tuple[int, int], list[Any]] = {}
    for m in marks:
        key = (m.lane, m.day.toordinal() - start)
        point = by_day.get(key)
        if point is None:
            by_day[key] = [1, m.entry]
        else:
            point[0] += 1
            entry = m.entry
            if entry is not None and (point[1] is None or entry < point[1]):
                point[1] = entry
    for size in periods:
        if len(by_day if size == 1 else {(lane, d // size) for lane, d in by_day}) <= MOST_POINTS:
            break
    grouped: dict[tuple[int, int], list[Any]] = by_day if size == 1 else {}
    if size > 1:
        for (lane, d), (count, entry) in by_day.items():
            key = (lane, d // size)
            point = grouped.get(key)
            if point is None:
                grouped[key] = [count, entry]
            else:
                point[0] += count
                if entry is not None and (point[1] is None or entry < point[1]):
                    point[1] = entry
    by_lane: list[list[tuple[float, tuple[int, Any]]]] = [[] for _ in range(lanes)]
    offset = excel_serial(first)
    for (lane, bucket), (count, entry) in sorted(grouped.items()):
        by_lane[lane].append((offset + bucket * size + (size - 1) / 2, (count, entry)))
    return size, by_lane


def axis_steps(first: date, last: date) -> tuple[float, str]:
    """Return a chart's date axis step in days and its label format: about a dozen labels across, months or years."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 2:
        return 7.0, "dd/mm/yyyy"
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= 14), 120)
    return round(step * 30.4375, 2), "mmm yyyy" if step < 12 else "yyyy"


# -- drawing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One shape, in millimetres from the top left: "line", "rect", "circle", "triangle" or "text"."""

    kind: str
    x: float
    y: float
    #: Line: the other end; rect: width and height; circle: the radius (in w); text: unused.
    w: float = 0.0
    h: float = 0.0
    fill: str | None = None
    stroke: str | None = None
    width: float = 0.25
    dashed: bool = False
    text: str = ""
    size: float = 8.0
    bold: bool = False
    #: Text: "start", "middle" or "end" (where x is).
    anchor: str = "start"


@dataclass
class Drawing:
    """A picture as shapes on a page of ``width`` by ``height`` millimetres; ``title`` and ``description`` for readers."""

    width: float
    height: float
    title: str
    description: str
    shapes: list[Shape] = field(default_factory=list)

    def add(self, kind: str, x: float, y: float, w: float = 0.0, h: float = 0.0, **kw: Any) -> None:
        self.shapes.append(Shape(kind, x, y, w, h, **kw))


def _ticks(first: date, last: date) -> tuple[list[date], str]:
    """Return the axis's tick days and their label format: months or years, about a dozen across."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= 14)
    ticks, year, month = [], first.year, first.month
    while date(year, month, 1) <= last:
        due = (month - 1) % step == 0 if step < 12 else (month == 1 and year % (step // 12) == 0)
        if due and date(year, month, 1) >= first:
            ticks.append(date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks, ("%Y" if step >= 12 else "%b %Y")


def draw_timeline(timeline: Timeline, width: float = 297.0) -> Drawing:
    """Return the timeline as a drawing a page wide (A4 landscape by default), as tall as its lanes need."""
    margin, label_w = 10.0, 52.0
    left, right = margin + label_w, width - margin
    lanes = max(len(timeline.lanes), 1)
    lane_h = max(7.0, min(16.0, 120.0 / lanes))
    top = 30.0
    bottom = top + lanes * lane_h
    episodes = timeline.key_episodes
    listed = min(len(episodes), LISTED_EPISODES)
    height = bottom + 24 + (6 + 4.2 * listed if episodes else 0) + 6
    n = len(timeline.marks)
    description = (f"Timeline of {n + timeline.not_placed} chronology entries in {len(timeline.lanes)} agency lanes"
                   + (f", incident on {timeline.incident:%d/%m/%Y}" if timeline.incident else "")
                   + (f", {len(episodes)} key episode(s)" if episodes else "") + ".")
    d = Drawing(width, height, timeline.title, description)
    first, last = timeline.span
    days = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return left + (right - left) * (day - first).days / days

    d.add("text", margin, 9, text=timeline.title, size=12, bold=True)
    placed = f"{n} entr{'y' if n == 1 else 'ies'} placed"
    extra = f"; {timeline.not_placed} without a date that can be placed, not shown" if timeline.not_placed else ""
    d.add("text", margin, 15, text=f"{placed}{extra}. One lane per agency, oldest on the left.", size=8)
    for i, agency in enumerate(timeline.lanes):
        y = top + i * lane_h
        if i % 2:
            d.add("rect", left, y, right - left, lane_h, fill="F4F4F4")
        d.add("line", left, y + lane_h, right, y + lane_h, stroke=GRID, width=0.15)
        label = agency if len(agency) <= 34 else agency[:33] + "…"
        d.add("text", left - 2, y + lane_h / 2 + 1.2, text=f"{label} ({timeline.lane_counts[i]})", size=7.5,
              anchor="end")
    ticks, fmt = _ticks(first, last)
    for tick in ticks:
        x = x_of(tick)
        d.add("line", x, top, x, bottom, stroke=GRID, width=0.15)
        d.add("line", x, bottom, x, bottom + 1.5, stroke=INK, width=0.25)
        d.add("text", x, bottom + 5, text=tick.strftime(fmt), size=7, anchor="middle")
    if timeline.scope_from or timeline.scope_to:
        # Drawn over the lanes' shading: a band above them and a dashed edge down through them at each end.
        x0 = x_of(max(timeline.scope_from or first, first))
        x1 = x_of(min(timeline.scope_to or last, last))
        d.add("rect", x0, top - 4, x1 - x0, 4, fill=SCOPE_FILL)
        d.add("text", x0 + 1, top - 1.2, text="Scope period", size=6.5)
        for x in (x0, x1):
            d.add("line", x, top - 4, x, bottom, stroke="7A93B8", width=0.3, dashed=True)
    d.add("line", left, bottom, right, bottom, stroke=INK, width=0.3)
    if timeline.incident and first <= timeline.incident <= last:
        x = x_of(timeline.incident)
        d.add("line", x, top - 4, x, bottom, stroke=INCIDENT_COLOUR, width=0.6)
        anchor = "end" if x > right - 20 else "start" if x < left + 20 else "middle"
        d.add("text", x, top - 5, text=f"Incident {timeline.incident:%d/%m/%Y}", size=7, bold=True, anchor=anchor,
              fill=INCIDENT_COLOUR)
    dots = n <= DOTS_UP_TO
    radius = min(1.8, lane_h / 5)
    last_label: dict[int, float] = {}
    for m in sorted(timeline.marks, key=lambda m: (m.day, m.entry or 0)):
        x, y = x_of(m.day), top + m.lane * lane_h + lane_h / 2
        colour = MARK_COLOURS[m.lane % len(MARK_COLOURS)]
        if dots:
            d.add("circle", x, y, radius, fill=None if m.approximate else colour, stroke=INK if not m.approximate
                  else colour, width=0.2 if not m.approximate else 0.4)
            # The entry number under its dot, when it has room beside the last one shown in the lane.
            if m.entry is not None and x - last_label.get(m.lane, -99.0) > 4.5:
                d.add("text", x, y + radius + 2.6, text=str(m.entry), size=5.5, anchor="middle")
                last_label[m.lane] = x
        else:
            d.add("line", x, y - lane_h * 0.32, x, y + lane_h * 0.32, stroke=colour, width=0.18)
        if m.flagged:
            d.add("triangle", x, y - (radius if dots else lane_h * 0.32) - 1.6, 1.3, fill=FLAG_COLOUR)
    previous = -99.0
    raised = False
    for number, day, _label, _agency, _entry in episodes:
        x = x_of(day)
        # Two episodes close together: the second number sits higher, so both stay readable.
        raised = x - previous < 5 and not raised
        previous = x
        y = top - (7.5 if raised else 2.5)
        d.add("line", x, y, x, bottom, stroke=INK, width=0.25, dashed=True)
        d.add("circle", x, y, 2.2, fill="FFFFFF", stroke=INK, width=0.3)
        d.add("text", x, y + 1, text=str(number), size=6, bold=True, anchor="middle")
    # The key, then the key episodes listed.
    y = bottom + 12
    x = margin
    legend = [("circle", "an entry (its number in the master)" if dots else "an entry (a tick each)"),
              ("triangle", "flagged by the merge: check its date or text"),
              ("hollow", "only the month or year known"), ("incident", "the incident"), ("scope", "the scope period")]
    for kind, words in legend:
        if kind == "circle":
            d.add("circle", x + 1.5, y - 1, 1.5, fill=MARK_COLOURS[0], stroke=INK, width=0.2)
        elif kind == "triangle":
            d.add("triangle", x + 1.5, y - 1.2, 1.3, fill=FLAG_COLOUR)
        elif kind == "hollow":
            d.add("circle", x + 1.5, y - 1, 1.5, fill=None, stroke=MARK_COLOURS[0], width=0.4)
        elif kind == "incident":
            d.add("line", x + 1.5, y - 3, x + 1.5, y + 1, stroke=INCIDENT_COLOUR, width=0.6)
        else:
            d.add("rect", x, y - 3, 3, 4, fill=SCOPE_FILL, stroke=GRID, width=0.15)
        d.add("text", x + 4.5, y, text=words, size=7)
        x += 5 + len(words) * 1.45 + 6
    if episodes:
        y += 7
        d.add("text", margin, y, text="Key episodes (tagged in the master chronology's Key episode column)", size=8,
              bold=True)
        for number, day, label, agency, entry in episodes[:LISTED_EPISODES]:
            y += 4.2
            where = f"{agency}, entry {entry}" if entry is not None else agency
            d.add("text", margin, y, text=f"{number}.  {day:%d/%m/%Y}  {label}  ({where})", size=7.5)
        if len(episodes) > LISTED_EPISODES:
            y += 4.2
            d.add("text", margin, y, text=f"and {len(episodes) - LISTED_EPISODES} more, numbered above.", size=7.5)
    return d
