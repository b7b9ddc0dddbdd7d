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
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in _fold(line))
