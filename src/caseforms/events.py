"""The fixed names of a case's events, and the order they must happen in.

These names are a contract: profiles anchor their rules on them, the register's date columns
carry them, and scripts pass them to ``caseforms deadlines --event KEY=DATE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from caseforms.errors import EventError


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    #: How a rule names the event: "within 5 working days of <phrase>".
    phrase: str


EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        Event("incident", "Incident", "the incident"),
        Event("aware", "Local authority became aware", "becoming aware"),
        Event("referral", "Referral received", "the referral"),
        Event("decision", "Executive decision made", "the executive decision"),
        Event("notified", "National Panel notified", "notification"),
        Event("rr_meeting", "Rapid Review meeting", "the Rapid Review meeting"),
        Event("rr_decision", "Rapid Review decision", "the Rapid Review decision"),
        Event("lcspr_decision", "Decision to hold an LCSPR", "the decision to hold an LCSPR"),
        Event("publication", "LCSPR published", "publication"),
        # Issue 15: the rest of the pathway. Added at the end: these names are a contract too.
        Event("more_information", "More information requested from the referrer", "the request for more information"),
        Event("partners_informed", "Safeguarding partners told of the incident", "the partners being told"),
        Event("sos_ofsted_notified", "Secretary of State and Ofsted notified", "the Secretary of State and Ofsted "
              "being notified"),
        Event("placing_confirmed", "Placing authority confirmed it will notify", "the placing authority's confirmation"),
        Event("panel_response", "National Panel replied to the Rapid Review", "the National Panel's reply"),
        Event("rr_reconvened", "Rapid Review group reconvened", "the reconvened meeting"),
        Event("panel_reply", "Reply sent to the National Panel", "the reply to the National Panel"),
        Event("lcspr_signoff", "LCSPR report signed off", "sign-off"),
        Event("report_to_panel", "Full LCSPR report sent to the National Panel", "the report being sent to the Panel"),
        Event("publication_planned", "Planned publication date", "the planned publication date"),
    )
}

#: (earlier, later): the later event cannot come before the earlier one.
ORDER: tuple[tuple[str, str], ...] = (
    ("incident", "aware"),
    ("incident", "referral"),
    ("referral", "decision"),
    ("incident", "notified"),
    ("aware", "notified"),
    ("notified", "rr_meeting"),
    ("notified", "rr_decision"),
    ("rr_meeting", "rr_decision"),
    # An LCSPR is decided at the Rapid Review meeting, or later (after the Panel's reply, at a reconvened
    # meeting): never before the meeting. The report goes to the Panel after the meeting that decided it, so
    # the decision may well come before the Rapid Review decision is sent (000_44eed6501ae43eb6.txt: 3.3).
    ("notified", "lcspr_decision"),
    ("rr_meeting", "lcspr_decision"),
    ("lcspr_decision", "publication"),
    ("referral", "more_information"),
    ("more_information", "decision"),
    ("aware", "partners_informed"),
    ("incident", "sos_ofsted_notified"),
    ("aware", "placing_confirmed"),
    ("rr_decision", "panel_response"),
    ("panel_response", "rr_reconvened"),
    ("rr_reconvened", "panel_reply"),
    ("lcspr_decision", "lcspr_signoff"),
    ("lcspr_signoff", "publication"),
    ("lcspr_decision", "report_to_panel"),
    ("lcspr_decision", "publication_planned"),
)


def day_of(value: date | datetime) -> date:
    """Return the calendar day of a date or date-time."""
    return value.date() if isinstance(value, datetime) else value


def check_events(events: Mapping[str, date | datetime]) -> None:
    """Raise :class:`EventError` for an unknown event name or an impossible order of events."""
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise EventError(
            f"Unknown event '{unknown[0]}'. The events are: {', '.join(EVENTS)}."
        )
    for earlier, later in ORDER:
        if earlier in events and later in events and day_of(events[later]) < day_of(events[earlier]):
            raise EventError(
                f"{EVENTS[later].label} ({later}={day_of(events[later]).isoformat()}) is before "
                f"{EVENTS[earlier].label.lower()} ({earlier}={day_of(events[earlier]).isoformat()}). "
                "Check both dates."
            )
