"""An LCSPR's steps from the decision to publication, and where each stands, from what the register records.

The steps are those of 000_44eed6501ae43eb6.txt (4.2 How LCSPRs are conducted, 4.4 Commissioning a
reviewer, 4.5 Engaging with families, 4.6 Publication), 002_cbeaa030473136cf.txt (IMR reports,
LCSPR panel meetings, practitioner events), 004_6c96fbcaaedcbdc1.txt (Chapter 3: the chair or
author, the family's minimum offer, the final report, Communication Publication Strategy) and
003_4bd54601158ab8f3.txt (Summary of timescales: 6 months, the full report to the Panel 7 working
days before publication, delays explained to the Panel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from caseforms.deadlines import timetable
from caseforms.events import day_of
from caseforms.papers.model import CaseFile
from caseforms.profile import Profile

DONE = "done"
TO_DO = "to do"
DUE_SOON = "due soon"
OVERDUE = "overdue"
NOT_NEEDED = "not needed"
IN_HAND = "in hand"


@dataclass(frozen=True)
class Step:
    """One step of the review: what it is, where it stands, and what the register says of it."""

    name: str
    state: str
    said: str


def _d(value: date | datetime | None) -> str:
    return f"{day_of(value):%d/%m/%Y}" if value is not None else ""


def lifecycle(case: CaseFile, profile: Profile, today: date, in_tracker: int | None = None) -> list[Step]:
    """Return the LCSPR's steps in order, each with its state ('done', 'to do', 'overdue'...) and what is recorded.

    ``in_tracker`` is how many of the case's LCSPR recommendations the actions tracker holds, when known.
    """
    lc, events = case.lcspr, case.events
    dues = {r.id: r for r in timetable(profile, events, today, flags=case.flags, checked=True)}
    steps: list[Step] = []

    def add(name: str, done: bool, said: str, state: str | None = None) -> None:
        steps.append(Step(name, state or (DONE if done else TO_DO), said))

    decided = events.get("lcspr_decision")
    at_meeting = decided is not None and events.get("rr_meeting") is not None and \
        day_of(decided) == day_of(events["rr_meeting"])
    add("LCSPR decided", decided is not None,
        f"{_d(decided)}{' at the Rapid Review meeting' if at_meeting else ''}" if decided else "Not recorded")
    add("Reviewer commissioned", bool(lc.reviewer),
        f"{lc.reviewer} ({'independent' if lc.reviewer_independent else 'not independent'})"
        + (f", {_d(lc.reviewer_commissioned)}" if lc.reviewer_commissioned else "") if lc.reviewer else "No reviewer yet")
    add("Conflicts of interest declared", bool(lc.conflicts_declared), lc.conflicts_declared or "Not recorded")
    add("Confidentiality agreement signed", lc.confidentiality_signed is not None,
        _d(lc.confidentiality_signed) or "Not recorded")
    if lc.reviewer_independent:
        add("Reviewer's name sent to the National Panel", lc.reviewer_to_panel is not None,
            _d(lc.reviewer_to_panel) or "Not yet")
    terms = bool(lc.methodology and lc.key_lines_of_enquiry)
    add("Terms of reference: methodology and key lines of enquiry", terms,
        f"{lc.methodology or 'no methodology'}; {len(lc.key_lines_of_enquiry)} key line(s) of enquiry")
    held = [m for m in lc.panel_meetings if m.day and m.day <= today]
    coming = [m for m in lc.panel_meetings if m.day and m.day > today]
    add("Review panel meetings", bool(held),
        f"{len(held)} held" + (f"; next {_d(coming[0].day)}" if coming else "; none planned"),
        IN_HAND if held and coming else None)
    received = [i for i in lc.imrs if i.received]
    late = [i for i in lc.imrs if not i.received and i.due and day_of(i.due) < today]
    imr_state = DONE if lc.imrs and len(received) == len(lc.imrs) else OVERDUE if late else \
        IN_HAND if lc.imrs else TO_DO
    add("Agency IMRs", imr_state == DONE,
        f"{len(received)} of {len(lc.imrs)} received" + (f"; overdue: {', '.join(i.agency for i in late)}" if late else "")
        if lc.imrs else "None requested yet", imr_state)
    events_held = [m for m in lc.practitioner_events if m.day and m.day <= today]
    add("Practitioner events", bool(events_held),
        f"{len(events_held)} held" + "".join(f"; {_d(m.day)}" for m in events_held) if lc.practitioner_events
        else "None planned")
    taking_part = [m for m in lc.family if not m.declined]
    if lc.family:
        said = (f"{len(lc.family)} family member(s): told {sum(1 for m in lc.family if m.told)}, views heard "
                f"{sum(1 for m in taking_part if m.views_heard)}, saw the report "
                f"{sum(1 for m in taking_part if m.report_shared)} of {len(taking_part)} taking part")
    else:
        said = "No family member recorded"
    add("The family's involvement", bool(lc.family) and all(m.report_shared for m in taking_part), said,
        IN_HAND if lc.family and not all(m.report_shared for m in taking_part) else None)
    agreed = [d for d in lc.drafts if d.agreed]
    add("Drafts and quality assurance", bool(agreed),
        f"{len(lc.drafts)} draft(s)" + (f"; draft {agreed[-1].draft} agreed by the panel" if agreed else "")
        if lc.drafts else "No draft yet", IN_HAND if lc.drafts and not agreed else None)
    signed = events.get("lcspr_signoff")
    add("Executive sign-off", signed is not None, _d(signed) or "Not yet")
    recs = len(lc.recommendations)
    add("Recommendations (SMART), locked at sign-off", bool(recs) and signed is not None,
        f"{recs} recommendation(s)" + (", locked" if signed is not None else ", may still change"))
    if in_tracker is not None:
        add("Recommendations in the actions tracker", bool(recs) and in_tracker >= recs,
            f"{in_tracker} of {recs} in the tracker, source LCSPR")
    add("Publication strategy agreed", lc.strategy_agreed is not None, _d(lc.strategy_agreed) or "Not yet")
    to_panel = dues.get("lcspr_report_to_panel")
    sent = events.get("report_to_panel")
    add("Full report to the National Panel (7 working days before publication)", sent is not None,
        (f"sent {_d(sent)}" if sent else "not sent") + (f"; due {_d(to_panel.due)}" if to_panel and to_panel.due else ""),
        _state(to_panel.status) if to_panel is not None and sent is None else None)
    publication = dues.get("lcspr_publication")
    published = events.get("publication")
    planned = events.get("publication_planned")
    add("Published", published is not None,
        (f"{_d(published)}" if published else f"planned {_d(planned)}" if planned else "no date planned")
        + (f"; due {_d(publication.due)} (6 months)" if publication and publication.due else "")
        + (f"; {lc.publication_form}, {lc.publication_place}" if lc.publication_place else ""),
        _state(publication.status) if publication is not None and published is None else None)
    late_publication = publication is not None and publication.due is not None and (
        (published is not None and day_of(published) > day_of(publication.due))
        or (published is None and (day_of(publication.due) < today
                                   or (planned is not None and day_of(planned) > day_of(publication.due)))))
    if late_publication or lc.delay_reasons:
        add("Reasons for the delay told to the National Panel", lc.delay_told is not None,
            (lc.delay_reasons or "No reasons recorded") + (f"; told {_d(lc.delay_told)}" if lc.delay_told else ""),
            None if lc.delay_told else OVERDUE)
    keep = next((r for r in dues.values() if r.milestone.kind == "keep_until"), None)
    if keep is not None and published is not None:
        add("Kept online", True, f"{keep.milestone.rule}: until {_d(keep.due)}", keep.status)
    return steps


def _state(status: str) -> str:
    """Return a milestone's status as a step's state: overdue and due soon stay; the rest is to do."""
    return {"overdue": OVERDUE, "due soon": DUE_SOON}.get(status, TO_DO)
