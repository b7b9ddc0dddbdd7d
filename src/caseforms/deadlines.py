"""A case's timetable: when each milestone of a profile is due, and how it stands today."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from caseforms.calendar import WorkingCalendar, add_hours, add_months
from caseforms.events import check_events, day_of
from caseforms.profile import PREVIOUS_WORKING_DAY, Milestone, Profile

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

#: The case flag of a death notified for information only (a care leaver's).
INFORMATION_ONLY = "care_leaver_death"

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
    #: Why the due date is not where the rule alone puts it, in an officer's words ("Saturday 12/04/2025 is not
    #: a working day: due by the working day before"); None when it is.
    note: str | None = None

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
            "note": self.note,
        }


def _iso(value: Moment | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()


def due_from(calendar: WorkingCalendar, m: Milestone, anchor: Moment, amount: int | None = None) -> Moment:
    """Return when milestone ``m`` falls, counted from ``anchor`` (``amount`` overrides its offset).

    Working days, months and calendar days give a date. Hours give a date and time when the anchor
    has a time; when it has none the hours are counted from the start of the anchor day and the
    due date is the day they run out on, rounded to whole days away from the anchor. An office task
    (see :func:`due_with_note`) that would fall on a non-working day is moved.
    """
    return due_with_note(calendar, m, anchor, amount)[0]


def due_with_note(calendar: WorkingCalendar, m: Milestone, anchor: Moment,
                  amount: int | None = None) -> tuple[Moment, str | None]:
    """Return when milestone ``m`` falls and, when it was moved off a non-working day, why.

    A rule whose ``non_working_day`` is "previous working day" is an office task (DOMAIN.md,
    'Sequences and readings to get right'):

    * counted back in hours ("48 hours before the deadline"), it counts back working time: whole
      working days (24 hours each, rounded up) before the anchor, at the anchor's time when it has one;
    * counted forward, when the time runs out on a weekend, bank holiday or closure day it is due by
      the working day before; when that day is before the event itself (the event was on a non-working
      day too), by the first working day after, since the office is closed from the event until then.

    Any other rule stands where it falls (a Joint Agency Response within 72 hours is due at the hour).
    """
    n = m.amount if amount is None else amount
    day = day_of(anchor)
    result: Moment
    office = m.non_working_day == PREVIOUS_WORKING_DAY and m.unit not in ("working_days", "process_day")
    if m.unit == "working_days":
        result = calendar.add_working_days(day, n)
    elif m.unit == "process_day":
        result = calendar.process_day(day, n)
    elif m.unit == "months":
        result = add_months(day, n)
    elif m.unit == "days":
        result = day + timedelta(days=n)
    elif office and n < 0:
        back = calendar.add_working_days(day, -math.ceil(abs(n) / 24))  # whole working days, rounded up
        result = datetime.combine(back, anchor.time()) if isinstance(anchor, datetime) else back
    elif isinstance(anchor, datetime):
        result = add_hours(anchor, n)
    else:
        whole_days = -(-abs(n) // 24)  # ceiling of |n| / 24
        result = day + timedelta(days=whole_days if n >= 0 else -whole_days)
    if m.at is not None and not isinstance(result, datetime):
        result = datetime.combine(result, m.at)
    note = None
    landed = day_of(result)
    if office and n >= 0 and not calendar.is_working_day(landed):
        before = calendar.add_working_days(landed, -1)
        when = f"{landed:%a} {landed:%d/%m/%Y}"
        if before >= day:
            result, note = before, f"{when} is not a working day: due the working day before"
        else:
            result = calendar.add_working_days(landed, 1)
            note = f"{when} is not a working day, nor any day since the event: due the first working day after"
    return result, note


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
    # A care leaver's death is notified for information only and leads to no review of any type
    # (002_cbeaa030473136cf.txt: Notification of a Death of a Care Leaver): unless the case is also notified to the
    # National Panel, only its own milestone applies.
    information_only = INFORMATION_ONLY in flags and "notifying" not in flags
    soon = profile.due_soon_working_days
    known: dict[str, Moment] = dict(events)
    rows: list[Due] = []
    for m in profile.milestones:
        anchor_key = next((a for a in m.anchors if a in known), None)
        if anchor_key is None:
            rows.append(Due(m, None, NOT_ANCHORED))
            continue
        anchor = known[anchor_key]
        due, note = due_with_note(calendar, m, anchor)
        known[m.id] = due
        opens = due_from(calendar, m, anchor, m.opens) if m.opens is not None else None
        done_on = _first_recorded(events, m.met_by)
        left = calendar.working_days_between(today, day_of(due))
        status = _status(m, due, left, today, done_on, soon, flags)
        if status in (OVERDUE, DUE_SOON, UPCOMING) and any(e in events for e in m.passed_by):
            status = PASSED
        if status in (OVERDUE, DUE_SOON, UPCOMING) and information_only and m.when != INFORMATION_ONLY:
            status = IF_IT_APPLIES
        rows.append(Due(m, due, status, left, opens, anchor_key, done_on, note))
    rows.sort(key=_soonest_first)
    return rows


def _first_recorded(events: Mapping[str, Moment], keys: tuple[str, ...]) -> Moment | None:
    """Return the earliest of the events recorded among ``keys`` (what met a milestone first), or None."""
    recorded = [events[k] for k in keys if k in events]
    if not recorded:
        return None
    return min(recorded, key=lambda v: v if isinstance(v, datetime) else datetime.combine(v, datetime.min.time()))


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
