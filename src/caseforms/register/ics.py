"""Calendar files (.ics) for Outlook and phones: all-day events, the case reference only.

Calendars sync to phones and are shared with colleagues, so an event carries the case reference
and the milestone, never a child's name or any detail from the register. Standard library only
(RFC 5545: CRLF line ends, lines folded at 75 octets, text escaped).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

PRODUCT_ID = "-//caseforms//Case register deadlines//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: a milestone of a case on its due day."""

    uid: str
    day: date
    summary: str
    description: str = ""
    #: The working day to be reminded on (at 09:00), or None for no reminder.
    remind_on: date | None = None


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,").replace("\r\n", r"\n").replace("\n", r"\n")
    )


def _fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets; continuation lines start with a space."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return out


#: The hour of the day a reminder goes off: the start of the working day.
REMINDER_HOUR = 9


def _alarm(e: CalendarEvent) -> list[str]:
    """Return a VALARM going off at 09:00 on the reminder day, counted back from the start of the due day.

    A trigger relative to the event's start (its midnight) is what Outlook, Google and Apple
    calendars all honour for an all-day event; an absolute one would need a time zone.
    """
    if e.remind_on is None or e.remind_on > e.day:
        return []
    hours = (e.day - e.remind_on).days * 24 - REMINDER_HOUR
    trigger = f"-PT{hours}H" if hours > 0 else f"PT{-hours}H"
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape('Due ' + f'{e.day:%d/%m/%Y}: ' + e.summary)}",
            f"TRIGGER:{trigger}", "END:VALARM"]


def calendar_text(
    events: Iterable[CalendarEvent], name: str = "Safeguarding review deadlines", now: datetime | None = None
) -> str:
    """Return the text of an .ics file holding ``events`` as all-day events."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(e.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(e.summary)}",
            *([f"DESCRIPTION:{_escape(e.description)}"] if e.description else []),
            # An all-day deadline should not block the day out in Outlook.
            "TRANSP:TRANSPARENT",
            *_alarm(e),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in _fold(line))
