"""A case's timetable: when each milestone of a profile is due, and how it stands today."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from caseforms.calendar import WorkingCalendar, add_hours, add_months
from caseforms.events import check_events, day_of
from caseforms.profile import Milestone, Profile

NOT_ANCHORED = "not yet anchored"
UPCOMING = "upcoming"
DUE_SOON = "due soon"
OVERDUE = "overdue"
MET = "met"
MET_LATE = "met late"
IF_IT_APPLIES = "if it applies"
PASSED = "passed"
IN_FORCE = "in force"
ENDED = "ended"

#: Every status a milestone can have, in the order an officer should look at them.
STATUSES = (OVERDUE, DUE_SOON, UPCOMING, NOT_ANCHORED, IF_IT_APPLIES, MET_LATE, MET, PASSED, IN_FORCE, ENDED)

Moment = date | datetime


@dataclass(frozen=True)
class Due:
    """One row of a timetable."""

    milestone: Milestone
    due: Moment | None
    status: str
    #: Working days from today to the due date: 0 when due today, negative when overdue.
    working_days_left: int | None = None
    opens: Moment | None = None
    anchor: str | None = None
    done_on: Moment | None = None

    @property
    def id(self) -> str:
        return self.milestone.id

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready values: dates in ISO, as `caseforms deadlines --json` prints them."""
        m = self.milestone
        return {
            "id": m.id,
            "label": m.label,
            "rule": m.rule,
            "due": _iso(self.due),
            "opens": _iso(self.opens),
            "status": self.status,
            "working_days_left": self.working_days_left,
            "anchor": self.anchor,
            "done_on": _iso(self.done_on),
            "applies": m.applies,
            "source": m.source,
            "profile": m.origin,
        }


def _iso(value: Moment | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()


def due_from(calendar: WorkingCalendar, m: Milestone, anchor: Moment, amount: int | None = None) -> Moment:
    """Return when milestone ``m`` falls, counted from ``anchor`` (``amount`` overrides its offset).

    Working days, months and calendar days give a date. Hours give a date and time when the anchor
    has a time; when it has none the hours are counted from the start of the anchor day and the
    due date is the day they run out on, rounded to whole days away from the anchor.
    """
    n = m.amount if amount is None else amount
    day = day_of(anchor)
    result: Moment
    if m.unit == "working_days":
        result = calendar.add_working_days(day, n)
    elif m.unit == "process_day":
        result = calendar.process_day(day, n)
    elif m.unit == "months":
        result = add_months(day, n)
    elif m.unit == "days":
        result = day + timedelta(days=n)
    elif isinstance(anchor, datetime):
        result = add_hours(anchor, n)
    else:
        whole_days = -(-abs(n) // 24)  # ceiling of |n| / 24
        result = day + timedelta(days=whole_days if n >= 0 else -whole_days)
    if m.at is not None and not isinstance(result, datetime):
        result = datetime.combine(result, m.at)
    return result


def timetable(
    profile: Profile,
    events: Mapping[str, Moment],
    today: date | None = None,
    *,
    flags: Collection[str] = (),
    checked: bool = False,
) -> list[Due]:
    """Return every milestone of ``profile`` for a case with the ``events`` given, soonest first.

    Milestones that cannot be dated yet (their event is not recorded) come last, in profile order.
    A milestone that applies only to some cases (``when = "homicide"``) is dated but has the status
    "if it applies" unless its flag is among ``flags``. ``checked=True`` skips the check of event
    names and order, for callers that did it already.
    """
    if not checked:
        check_events(events)
    today = today or date.today()
    calendar = profile.calendar
    soon = profile.due_soon_working_days
    known: dict[str, Moment] = dict(events)
    rows: list[Due] = []
    for m in profile.milestones:
        anchor_key = next((a for a in m.anchors if a in known), None)
        if anchor_key is None:
            rows.append(Due(m, None, NOT_ANCHORED))
            continue
        anchor = known[anchor_key]
        due = due_from(calendar, m, anchor)
        known[m.id] = due
        opens = due_from(calendar, m, anchor, m.opens) if m.opens is not None else None
        done_on = events.get(m.done_by) if m.done_by else None
        left = calendar.working_days_between(today, day_of(due))
        status = _status(m, due, left, today, done_on, soon, flags)
        if status in (OVERDUE, DUE_SOON, UPCOMING) and any(e in events for e in m.passed_by):
            status = PASSED
        rows.append(Due(m, due, status, left, opens, anchor_key, done_on))
    rows.sort(key=_soonest_first)
    return rows


def _status(
    m: Milestone, due: Moment, left: int, today: date, done_on: Moment | None, soon: int, flags: Collection[str]
) -> str:
    if m.when is not None and m.when not in flags:
        return IF_IT_APPLIES
    due_day = day_of(due)
    if m.kind == "keep_until":
        return IN_FORCE if today <= due_day else ENDED
    if done_on is not None:
        both_timed = isinstance(done_on, datetime) and isinstance(due, datetime)
        late = done_on > due if both_timed else day_of(done_on) > due_day
        return MET_LATE if late else MET
    if due_day < today:
        return OVERDUE
    return DUE_SOON if left <= soon else UPCOMING


def _soonest_first(row: Due) -> tuple[int, date, str]:
    if row.due is None:
        return (1, date.max, "")
    time_part = row.due.strftime("%H:%M") if isinstance(row.due, datetime) else "24:00"
    return (0, day_of(row.due), time_part)
