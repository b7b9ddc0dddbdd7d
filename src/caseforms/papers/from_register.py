"""Build a case's papers input (:class:`~caseforms.papers.model.CaseFile`) from the case register.

Everything the register holds about a case is mapped: the Cases row (referral, incident,
decision, notification, Rapid Review, LCSPR), its People (children first, then family), its
Meetings with attendance (executive decision, Rapid Review, LCSPR panel) and the Agencies
directory (single points of contact, and the job title, e-mail and telephone of a notifier or
referrer listed there). The master chronology rows and the tracker's actions are passed in by the
caller, already read: this module knows no file format.

What the register does not say stays empty, and the paper shows a "[not recorded: ...]" marker.
:func:`where_to_record` turns each marker back into the place to fill it in: the sheet, row and
column of the register, the action tracker, or the document itself for narrative the register
has no column for.

The agencies of a case are those named in its 'Agencies involved' cell, those asked for a return
(the Returns log) and those in its master chronology. Their involvement period comes from the
chronology (the first and last entry whose date can be trusted); the Returns log gives the dates
each was asked and replied; the summaries they sent give their answers (see :func:`_agencies`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from caseforms.chronology.agencies import agency_key, is_unidentified
from caseforms.chronology.summaries import AgencySummary
from caseforms.errors import CaseNotFound
from caseforms.papers.model import (
    Action,
    Agency,
    Attendee,
    CaseFile,
    ChronologyFinding,
    ChronologyRow,
    Decision,
    Draft,
    FamilyMember,
    Imr,
    Incident,
    Lcspr,
    Meeting,
    Notification,
    PanelReply,
    Person,
    RapidReview,
    Recommendation,
    Referral,
)
from caseforms.register.records import Case, Register, Row
from caseforms.register.schema import (
    AGENCIES,
    CASES,
    CHARACTERISTICS,
    DRAFTS,
    FAMILY,
    IMRS,
    LCSPR,
    MEETINGS,
    NARRATIVE,
    NARRATIVE_SECTIONS,
    PEOPLE,
    RECOMMENDATIONS,
)

#: The register's returns log sheet (issue 5), where the chronology requests and returns are logged.
RETURNS_LOG = "Returns log"

#: Meeting types (the profile's ``meeting_types``) each part of the papers draws its attendees from.
EXECUTIVE_MEETINGS = ("executive decision",)
RAPID_REVIEW_MEETINGS = ("rapid review", "reconvened rapid review")
LCSPR_MEETINGS = ("lcspr panel",)
PRACTITIONER_EVENTS = ("practitioner event",)

_SPLIT_ITEMS = re.compile(r"\s*(?:\r?\n|;)\s*")
_BULLET = re.compile(r"^(?:[-•*·–]|\d+[.)])\s*")
# "Police: DCI Priya Mehta (Thornbury Police)" -> role, name, organisation.
_ATTENDEE = re.compile(r"^(?:(?P<role>[^:]+?)\s*:\s*)?(?P<name>[^()]+?)\s*(?:\((?P<org>[^()]*)\))?$")


def find_case(register: Register, ref: str) -> Case:
    """Return the register's case with reference ``ref`` (case and spacing do not matter).

    Raises :class:`CaseNotFound` naming the references the register holds, closest first.
    """
    wanted = ref.strip()
    exact = register.case(wanted)
    if exact is not None:
        return exact
    folded = [c for c in register.cases if c.ref.strip().casefold() == wanted.casefold()]
    if folded:
        return folded[0]
    refs = list(dict.fromkeys(c.ref for c in register.cases if c.ref))
    where = f" ({register.path})" if register.path else ""
    if not refs:
        raise CaseNotFound(
            f"The register{where} holds no cases, so there is no case '{wanted}'. Add the case on the Cases sheet "
            "(column 'Case reference') and try again."
        )
    close = difflib.get_close_matches(wanted, refs, n=len(refs), cutoff=0.4)
    ordered = [*close, *(r for r in refs if r not in close)]
    shown = ", ".join(ordered[:12]) + (f" and {len(ordered) - 12} more" if len(ordered) > 12 else "")
    raise CaseNotFound(
        f"There is no case '{wanted}' in the register{where}. Cases in it"
        f"{' (closest first)' if close else ''}: {shown}. Give --case as written in the Cases sheet's "
        "'Case reference' column."
    )


def case_file(
    register: Register,
    ref: str,
    *,
    chronology: Sequence[ChronologyRow] = (),
    actions: Iterable[Mapping[str, Any]] = (),
    summaries: Sequence[AgencySummary] = (),
    chronology_findings: Sequence[ChronologyFinding] = (),
    chronology_merged: bool | None = None,
) -> CaseFile:
    """Return everything the papers of case ``ref`` draw on, from the register and what is passed in.

    ``chronology`` is the case's master chronology, oldest first (``chronology_merged`` says
    whether there is one at all: by default, when it has entries); ``summaries`` the agencies'
    summaries received with the returns, and ``chronology_findings`` what the merge flagged that
    still stands; ``actions`` are rows of the action tracker keyed as
    :mod:`caseforms.tracker.schema` (``action_id``, ``case_ref``, ``recommendation``,
    ``due_date``...): those of this case that are not LCSPR recommendations make the Rapid Review
    action plan.
    """
    case = find_case(register, ref)
    schema = register.schema
    roles = {c.key: c.role for c in schema.sheet(MEETINGS).columns if c.role}
    directory = _Directory(register.agencies, roles)
    meetings = sorted(case.meetings, key=lambda m: (_day(m["meeting_date"]) or date.max, m.row))
    rr_meetings = [m for m in meetings if _kind(m) in RAPID_REVIEW_MEETINGS]
    executive = _meeting_for(meetings, EXECUTIVE_MEETINGS, _day(case["decision_date"]))
    lcspr_panel = _meeting_for(meetings, LCSPR_MEETINGS, None)
    lcspr_meetings = [_meeting(m, directory) for m in meetings if _kind(m) in LCSPR_MEETINGS]
    events = [_meeting(m, directory) for m in meetings if _kind(m) in PRACTITIONER_EVENTS]
    children = [p for p in case.people if p in case.children()]
    family = [p for p in case.people if p not in children]
    narrative = _narrative(register, case.ref)
    return CaseFile(
        ref=case.ref,
        status=_text(case["status"]),
        events=case.events(schema),
        flags=sorted(case.flags(schema)),
        children=[_person(p, case, child=True, only_child=len(children) == 1) for p in children],
        family=[_person(p, case, child=False, only_child=False) for p in family],
        agencies=_agencies(case, chronology, directory, _returns_log(register, case.ref), summaries),
        meetings=[_meeting(m, directory) for m in meetings],
        incident=_incident(case, register),
        referral=_referral(case, directory),
        decision=_decision(case, executive, directory, narrative),
        notification=_notification(case, family, directory),
        rapid_review=_rapid_review(case, rr_meetings, directory, narrative),
        panel_reply=_panel_reply(case),
        lcspr=_lcspr_lifecycle(register, case, _lcspr(case, lcspr_panel, directory, narrative), lcspr_meetings,
                               events, narrative),
        chronology=list(chronology),
        chronology_merged=bool(chronology) if chronology_merged is None else chronology_merged,
        chronology_findings=list(chronology_findings),
        actions=_actions(case.ref, actions),
        author=_text(case["officer"]),
        contacts=[Attendee(_text(r["spoc_name"]), _text(r["job_title"]), _text(r["agency"]))
                  for r in register.agencies if _text(r["spoc_name"])],
    )


# -- small readers ---------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _at(value: Any) -> time | None:
    if isinstance(value, datetime) and value.time() != time(0, 0):
        return value.time().replace(second=0, microsecond=0)
    return None


def _moment(value: Any) -> date | datetime | None:
    return value if isinstance(value, (date, datetime)) else None


def _yes(value: Any) -> bool | None:
    text = (_text(value) or "").casefold()
    return True if text == "yes" else False if text == "no" else None


def items(value: Any) -> list[str]:
    """Return the items of a cell listing several, one per line or separated by ';', bullets removed."""
    text = _text(value)
    if text is None:
        return []
    found = (_BULLET.sub("", part).strip() for part in _SPLIT_ITEMS.split(text))
    return [part for part in found if part]


def _kind(meeting: Row) -> str:
    return (_text(meeting["meeting_type"]) or "").casefold()


def _meeting_for(meetings: Sequence[Row], kinds: Sequence[str], day: date | None) -> Row | None:
    """Return the meeting of one of ``kinds`` on ``day`` when there is one, else the first of them."""
    of_kind = [m for m in meetings if _kind(m) in kinds]
    same_day = [m for m in of_kind if day is not None and _day(m["meeting_date"]) == day]
    chosen = same_day or of_kind
    return chosen[0] if chosen else None


class _Directory:
    """The Agencies sheet (who is the contact of which agency, and how to reach them) and the meeting roles."""

    def __init__(self, rows: Sequence[Row], roles: Mapping[str, str] | None = None) -> None:
        self.rows = rows
        #: Attendance column key -> the meeting role it records ("present_police" -> "Police").
        self.roles = dict(roles or {})

    def agency(self, name: str) -> Row | None:
        wanted = name.strip().casefold()
        return next((r for r in self.rows if (_text(r["agency"]) or "").casefold() == wanted), None)

    def person(self, name: str | None) -> tuple[Row, str] | None:
        """Return the Agencies row listing ``name`` as contact or deputy, and which of the two."""
        if not name:
            return None
        wanted = name.strip().casefold()
        for row in self.rows:
            for key in ("spoc_name", "deputy_name"):
                if (_text(row[key]) or "").casefold() == wanted:
                    return row, key
        return None

    def organisation_of(self, name: str | None) -> str | None:
        found = self.person(name)
        return _text(found[0]["agency"]) if found else None


# -- the parts of the case -------------------------------------------------------------------------
def _person(p: Row, case: Case, *, child: bool, only_child: bool) -> Person:
    role = _text(p["role"])
    died = p["date_of_death"] is not None
    harm_kind = (_text(case["harm"]) or "").casefold()
    harm: str | None = None
    if child:
        if died or (harm_kind == "death" and only_child):
            harm = "Died"
        elif harm_kind == "serious harm":
            harm = "Seriously harmed"
    legal_status = _text(p["legal_status"])
    if legal_status is None and _yes(p["cp_plan"]):
        legal_status = "Child protection plan"
    disability = {"yes": "Yes", "no": "None"}.get((_text(p["disability"]) or "").casefold())
    return Person(
        name=_text(p["name"]),
        relationship=_text(p["relationship"]) or ("Subject child" if child else role),
        date_of_birth=_day(p["date_of_birth"]),
        date_of_death=_day(p["date_of_death"]),
        address=_text(p["address"]),
        nhs_number=_text(p["nhs_number"]),
        gender=_text(p["gender"]),
        ethnicity=_text(p["ethnicity"]),
        disability=disability,
        education=_text(p["education"]),
        legal_status=legal_status,
        cp_plan_start=_day(p["cp_plan_start"]),
        cp_category=_text(p["cp_category"]),
        placing_authority=_text(case["placing_authority"]) if child and _yes(case["placed_by_other_la"]) else None,
        harm=harm,
        looked_after=_yes(p["looked_after"]),
    )


def _returns_log(register: Register, ref: str) -> list[Row]:
    """Return the case's rows of the register's returns log (issue 5), when the register has one."""
    wanted = ref.strip().casefold()
    return [r for r in register.other.get(RETURNS_LOG, []) if (_text(r["case_ref"]) or "").casefold() == wanted]


def _agencies(
    case: Case, chronology: Sequence[ChronologyRow], directory: _Directory, log: Sequence[Row] = (),
    summaries: Sequence[AgencySummary] = (),
) -> list[Agency]:
    """Return the agencies of the case: 'Agencies involved', then those asked for a return, then the chronology's.

    The returns log says when each was asked, when its return is due and when it came back; the
    involvement period runs from the first to the last entry of the agency whose date can be
    trusted (a flagged, approximate or uncertain date is never one); the summaries give each
    agency's answers, author and sign-off.
    """
    named: dict[str, tuple[str, str | None]] = {}
    for item in items(case["agencies_involved"]):
        name, _, what = item.partition(":")
        if name.strip():
            named.setdefault(_agency_key(name), (name.strip(), what.strip() or None))
    asked: dict[str, Row] = {}
    for logged in log:
        agency = _text(logged["agency"])
        if agency:
            asked.setdefault(_agency_key(agency), logged)
            named.setdefault(_agency_key(agency), (agency, None))
    spans: dict[str, list[date]] = {}
    for row in chronology:
        if row.agency:
            key = _agency_key(row.agency)
            spans.setdefault(key, [])
            day = _day(row.when)
            if day is not None and row.date_trusted:
                spans[key].append(day)
            if key not in named:
                named[key] = (row.agency.strip(), None)
    written: dict[str, list[AgencySummary]] = {}
    for summary in summaries:
        if summary.agency and summary.answered:
            key = _agency_key(summary.agency)
            written.setdefault(key, []).append(summary)
            named.setdefault(key, (summary.agency, None))
    due = _moment(case["chronology_deadline"])
    result = []
    for key, (name, involvement) in named.items():
        days = spans.get(key, [])
        contact = directory.agency(name)
        request = asked.get(key)
        sent = written.get(key, [])
        answers = [(a.title, a.answer) for s in sent for a in s.answers if a.answer.strip()]
        result.append(Agency(
            name=name,
            involvement=involvement,
            involved_from=min(days) if days else None,
            involved_to=max(days) if days else None,
            contact_name=_text(contact["spoc_name"]) if contact else None,
            contact_role=_text(contact["job_title"]) if contact else None,
            summary_requested=_day(request["requested_on"]) if request else None,
            summary_due=(_moment(request["due"]) if request else None) or due,
            summary_received=_day(request["received_on"]) if request else None,
            summary_author=next((s.author for s in sent if s.author), None),
            summary="\n\n".join(f"{title}\n{answer}" for title, answer in answers) or None,
            summary_answers=answers,
            summary_signed_off=next((s.signed_off for s in sent if s.signed_off), None),
            summary_source="; ".join(dict.fromkeys(_summary_source(s) for s in sent)) or None,
        ))
    return result


def _summary_source(summary: AgencySummary) -> str:
    """Say where a summary came from without its file's name (agencies name files after the child)."""
    if summary.place:
        return f"the {summary.place.removeprefix('sheet ')} sheet of its chronology workbook"
    return "a Word document sent with its chronology"


def _agency_key(name: str) -> str:
    # "Smith & Jones <Family> Services" in the register is "Smith and Jones Family Services" in a return.
    return agency_key(name)


def _attendees(meeting: Row | None, directory: _Directory) -> list[Attendee]:
    """Return who the meeting row says was there: the chair, each partner's decision maker, the others."""
    if meeting is None:
        return []
    people: list[Attendee] = []
    chair = _text(meeting["chair"])
    if chair:
        people.append(_attendee(f"Chair: {chair}", directory))
    named = [_attendee(item, directory) for item in items(meeting["decision_makers"])]
    for key, role in directory.roles.items():
        present = _yes(meeting[key])
        match = next((a for a in named if (a.role or "").casefold() == role.casefold()), None)
        if match is not None:
            named.remove(match)
            match.present = present
            people.append(match)
        elif present is not False:
            people.append(Attendee(None, role, None, present))
    people.extend(named)
    people.extend(_attendee(item, directory) for item in items(meeting["other_attendees"]))
    return people


def _attendee(item: str, directory: _Directory) -> Attendee:
    m = _ATTENDEE.match(item.strip())
    if m is None:
        return Attendee(item.strip(), None, directory.organisation_of(item), True)
    name = m.group("name").strip()
    org = (m.group("org") or "").strip() or directory.organisation_of(name)
    return Attendee(name, (m.group("role") or "").strip() or None, org, True)


def _meeting(m: Row, directory: _Directory) -> Meeting:
    when = m["meeting_date"]
    presence = {role: _yes(m[key]) for key, role in directory.roles.items()}
    recorded = any(v is not None for v in presence.values())
    return Meeting(
        kind=_text(m["meeting_type"]) or "Meeting",
        day=_day(when),
        start=_at(when),
        venue=_text(m["venue"]),
        chair=_text(m["chair"]),
        attendees=_attendees(m, directory),
        decision=_text(m["decision"]),
        unanimous=_yes(m["unanimous"]),
        dissent=_text(m["dissent"]),
        dissent_by=items(m["dissent_by"]),
        declarations=_text(m["declarations"]),
        actions_agreed=items(m["actions_agreed"]),
        quorate=(all(presence.values()) if recorded and presence else None),
        absent=[role for role, there in presence.items() if there is not True],
    )


def _incident(case: Case, register: Register) -> Incident:
    when = case["incident_date"]
    return Incident(
        day=_day(when),
        at=_at(when),
        location=_text(case["incident_location"]),
        harm=_text(case["harm"]),
        abuse_or_neglect=_text(case["abuse_or_neglect"]),
        characteristics=characteristics(case, register),
        outline=_text(case["incident_outline"]),
        immediate_actions=_text(case["immediate_actions"]),
        police_investigation=_text(case["police_investigation"]),
    )


#: The Narrative sheet's sections holding the group's finding against each LCSPR criterion, in order.
CRITERIA_SECTIONS = tuple(t for t in NARRATIVE_SECTIONS if t.startswith("Criterion "))


def _narrative(register: Register, ref: str) -> dict[str, str]:
    """Return the case's rows of the Narrative sheet: section title -> text (several rows are paragraphs)."""
    wanted = ref.strip().casefold()
    titles = {t.casefold(): t for t in NARRATIVE_SECTIONS}
    found: dict[str, list[str]] = {}
    for row in register.other.get(NARRATIVE, []):
        if (_text(row["case_ref"]) or "").casefold() != wanted:
            continue
        title = titles.get((_text(row["section"]) or "").casefold())
        text = _text(row["text"])
        if title and text:
            found.setdefault(title, []).append(text)
    return {title: "\n\n".join(texts) for title, texts in found.items()}


#: Earlier wordings of the incident characteristics (before they followed Appendix D), read as today's.
_CHARACTERISTIC_WORDS = {
    "abusefgm": "Abuse – Physical: Female genital mutilation",
    "abuseselfharm": "Abuse – Physical: Self-harm",
    "filicide": "Filicide (parent kills child)",
    "lifelimitingillness": "Life-limiting illness (natural causes)",
}


def characteristics(case: Case, register: Register) -> list[str]:
    """Return every incident characteristic of the case, in the profile's order, each once.

    From the Cases sheet's 'Incident characteristic' (several typed there, one per line or
    separated by ';', are each read) and the Characteristics sheet's rows for the case. A value is
    matched to the profile's list whatever its case, spacing and dashes ("Neglect - longstanding");
    one that matches nothing is kept as written.
    """
    listed = register.schema.lists.get("incident_characteristics", [])
    by_key = {_agency_key(c): c for c in listed}
    by_key.update({k: v for k, v in _CHARACTERISTIC_WORDS.items() if v in listed})
    wanted = case.ref.strip().casefold()
    typed = [*items(case["incident_characteristic"]),
             *(_text(r["characteristic"]) or "" for r in register.other.get(CHARACTERISTICS, [])
               if (_text(r["case_ref"]) or "").casefold() == wanted)]
    chosen = list(dict.fromkeys(by_key.get(_agency_key(t), t.strip()) for t in typed if t.strip()))
    order = {c: i for i, c in enumerate(listed)}
    return sorted(chosen, key=lambda c: order.get(c, len(order)))


def _referral(case: Case, directory: _Directory) -> Referral:
    referrer = _text(case["referrer_name"])
    listed = directory.person(referrer)
    email = _text(listed[0]["email" if listed[1] == "spoc_name" else "deputy_email"]) if listed else None
    return Referral(
        received=_day(case["referral_date"]),
        agency=_text(case["referring_agency"]),
        slo_name=referrer,
        telephone=_text(case["referrer_phone"]),
        email=email,
        pathway=_text(case["pathway"]),
        reason=_text(case["referral_reason"]),
        authorised_by=_text(case["referral_authorised_by"]),
        receipt_confirmed=_day(case["receipt_confirmed_date"]),
        more_information_requested=_day(case["more_info_date"]),
        more_information_asked=_text(case["more_info_asked"]),
        outcome_letter_sent=_day(case["outcome_letter_date"]),
    )


def _decision(case: Case, executive: Row | None, directory: _Directory, narrative: Mapping[str, str]) -> Decision:
    told = _text(case["family_told"])
    discussed = _day(case["decision_date"]) or (_day(executive["meeting_date"]) if executive else None)
    response = narrative.get("Executive's response and rationale")
    return Decision(
        discussed=discussed,
        decision=_text(case["decision"]),
        rationale=_text(case["decision_rationale"]),
        response=response,
        response_date=(_day(executive["meeting_date"]) if executive else None) or (discussed if response else None),
        attendees=[a for a in _attendees(executive, directory) if a.present is not False],
        family_told=told,
        unanimous=_yes(executive["unanimous"]) if executive else None,
        dissent=_text(executive["dissent"]) if executive else None,
        dissent_by=items(executive["dissent_by"]) if executive else [],
    )


def _notification(case: Case, family: Sequence[Row], directory: _Directory) -> Notification:
    notifier = _text(case["notifier_name"])
    listed = directory.person(notifier)
    row, which = listed if listed else (None, "")
    deputy = which == "deputy_name"
    siblings = [f"{_text(p['name'])} ({(_text(p['role']) or '').lower()})" for p in family
                if (_text(p["role"]) or "").casefold() == "sibling" and _text(p["name"])]
    return Notification(
        notifier_name=notifier,
        notifier_role=_text(row["job_title"]) if row is not None and not deputy else None,
        notifier_email=_text(row["deputy_email" if deputy else "email"]) if row is not None else None,
        notifier_phone=_text(row["phone"]) if row is not None and not deputy else None,
        # The notifying council is the profile's ([bodies] local_authority), not the notifier's agency.
        panel_reference=_text(case["panel_reference"]),
        other_children="; ".join(siblings) or None,
        regulated_setting=_text(case["regulated_setting"]),
        placing_authority=_text(case["placing_authority"]),
    )


def _rapid_review(case: Case, meetings: Sequence[Row], directory: _Directory,
                  narrative: Mapping[str, str]) -> RapidReview:
    days = sorted({d for m in meetings if (d := _day(m["meeting_date"])) is not None})
    recorded = _day(case["rr_meeting_date"])
    if not days and recorded is not None:
        days = [recorded]
    # The decision is the last Rapid Review meeting's that records one (a reconvened meeting decides again).
    deciding = next((m for m in reversed(meetings) if _text(m["decision"]) or m["unanimous"] is not None), None)
    criteria = [narrative.get(title) for title in CRITERIA_SECTIONS]
    return RapidReview(
        partners_informed=_day(case["partners_informed_date"]),
        scope_agreed=_day(case["scope_agreed_date"]),
        scope_from=_day(case["scope_from"]),
        scope_to=_day(case["scope_to"]),
        chronology_deadline=_moment(case["chronology_deadline"]),
        meeting_days=days,
        membership=[a for a in _attendees(meetings[0] if meetings else None, directory)],
        authors=items(narrative.get("Report authors")),
        advisers=items(narrative.get("Report advisers")),
        sign_off=[_attendee(item, directory) for item in items(narrative.get("Report signed off by"))],
        independent_chair=narrative.get("Independent chair / scrutineer"),
        case_summary=narrative.get("Case summary"),
        recent_history=narrative.get("Recent history"),
        background=narrative.get("Background"),
        worked_well=narrative.get("What worked well"),
        worries=narrative.get("What we are worried about"),
        learning_points=narrative.get("Provisional learning points"),
        initial_actions=narrative.get("Initial actions"),
        criteria_findings=[c or "" for c in criteria] if any(criteria) else [],
        circumstances=narrative.get("Circumstances had regard to"),
        outcome=_text(case["rr_outcome"]),
        no_review_reason=_text(case["rr_outcome_reason"]),
        outcome_reason=_text(case["rr_outcome_reason"]),
        decision_meeting=_meeting(deciding, directory) if deciding is not None else None,
        executive_informed=_day(case["rr_executive_date"]),
        discussion=narrative.get("Summary of the discussion"),
    )


def _lcspr(case: Case, panel: Row | None, directory: _Directory, narrative: Mapping[str, str]) -> Lcspr:
    return Lcspr(
        methodology=_text(case["methodology"]),
        reviewer=_text(case["reviewer"]),
        reviewer_independent=_yes(case["reviewer_independent"]),
        pseudonym=_text(case["pseudonym"]),
        # The LCSPR builds on the Rapid Review: its Terms of Reference start from the same scope period.
        scope_from=_day(case["scope_from"]),
        scope_to=_day(case["scope_to"]),
        key_lines_of_enquiry=items(case["key_lines_of_enquiry"]),
        panel=[a for a in _attendees(panel, directory) if a.role != "Chair"],
        family_involvement=_text(case["family_involvement"]),
        practitioner_involvement=narrative.get("Practitioner involvement"),
    )


def _panel_reply(case: Case) -> PanelReply:
    return PanelReply(
        view=_text(case["panel_view"]),
        points=items(case["panel_points"]),
        circulated=_day(case["panel_circulated_date"]),
        reconvened_decision=_text(case["reconvened_decision"]),
    )


def case_rows(register: Register, sheet: str, ref: str) -> list[Row]:
    """Return the rows of a sheet keyed by case reference (LCSPR, IMRs...) that belong to case ``ref``."""
    wanted = ref.strip().casefold()
    return [r for r in register.other.get(sheet, []) if (_text(r["case_ref"]) or "").casefold() == wanted]


def _lcspr_lifecycle(register: Register, case: Case, lcspr: Lcspr, panel_meetings: Sequence[Meeting],
                     events: Sequence[Meeting], narrative: Mapping[str, str]) -> Lcspr:
    """Add the review's lifecycle to its Terms of Reference: the LCSPR sheet's row and the sheets of its parts."""
    rows = case_rows(register, LCSPR, case.ref)
    row = rows[0] if rows else None

    def text(key: str) -> str | None:
        return _text(row[key]) if row is not None else None

    def day(key: str) -> date | None:
        return _day(row[key]) if row is not None else None

    lcspr.reviewer_commissioned = day("reviewer_commissioned_date")
    lcspr.conflicts_declared = text("conflicts_declared")
    lcspr.confidentiality_signed = day("confidentiality_date")
    lcspr.reviewer_to_panel = day("reviewer_to_panel_date")
    lcspr.panel_chair = text("panel_chair") or next((m.chair for m in panel_meetings if m.chair), None)
    lcspr.media_lead = text("media_lead")
    lcspr.parallel_processes = text("parallel_processes")
    lcspr.substantial_changes = text("substantial_changes")
    lcspr.panel_reconvened = day("panel_reconvened_date")
    lcspr.strategy_agreed = day("strategy_agreed_date")
    lcspr.publication_place = text("publication_place")
    lcspr.publication_form = text("publication_form")
    lcspr.publication_link = text("publication_link")
    lcspr.nspcc_sent = day("nspcc_date")
    lcspr.delay_reasons = text("delay_reasons")
    lcspr.delay_told = day("delay_told_date")
    lcspr.taken_down = day("taken_down_date")
    lcspr.panel_meetings = list(panel_meetings)
    lcspr.practitioner_events = list(events)
    lcspr.imrs = [Imr(_text(r["agency"]) or "Agency not named", _text(r["author"]), _moment(r["briefing_date"]),
                      _day(r["requested_on"]), _moment(r["due"]), _day(r["qa_date"]), _text(r["qa_by"]),
                      _day(r["received_on"])) for r in case_rows(register, IMRS, case.ref)]
    lcspr.family = [FamilyMember(_text(r["name"]), _text(r["relationship"]), _day(r["told_date"]),
                                 _text(r["contact_agreed"]), _text(r["support"]), _day(r["views_date"]),
                                 _text(r["views_how"]), _day(r["learning_date"]), _day(r["publication_told_date"]),
                                 _day(r["report_shared_date"]), _yes(r["pseudonym_chosen"]), _yes(r["declined"]))
                    for r in case_rows(register, FAMILY, case.ref)]
    lcspr.drafts = [Draft(_text(r["draft"]), _day(r["received_on"]), _day(r["circulated_on"]), _text(r["qa_by"]),
                          _day(r["qa_date"]), _day(r["comments_date"]), _yes(r["agreed"]))
                    for r in case_rows(register, DRAFTS, case.ref)]
    lcspr.recommendations = [recommendation_of(r) for r in case_rows(register, RECOMMENDATIONS, case.ref)]
    lcspr.report_sections = {title: text for title, text in narrative.items()
                             if title.startswith("LCSPR ") or title == "Publication decision"}
    return lcspr


def recommendation_of(row: Row) -> Recommendation:
    """Return an LCSPR recommendation from its row of the register's LCSPR recommendations sheet."""
    return Recommendation(_text(row["number"]), _text(row["recommendation"]), _text(row["owner_agency"]),
                          _text(row["action"]), _text(row["lead"]), _text(row["measure"]), _day(row["due_date"]),
                          _day(row["agreed_date"]), _day(row["changed_date"]))


def _actions(ref: str, rows: Iterable[Mapping[str, Any]]) -> list[Action]:
    """Return the Rapid Review actions of the case from tracker rows (LCSPR recommendations left out)."""
    wanted = ref.strip().casefold()
    result = []
    for row in rows:
        if (_text(row.get("case_ref")) or "").casefold() != wanted:
            continue
        if (_text(row.get("source")) or "").casefold().startswith("lcspr"):
            continue
        result.append(Action(
            number=_text(row.get("action_id")),
            learning_point=_text(row.get("recommendation")),
            action=_text(row.get("action")),
            owner_agency=_text(row.get("owner_agency")),
            lead=_text(row.get("lead")),
            due=_day(row.get("due_date")),
            status=_text(row.get("status")),
            last_update=_day(row.get("last_update_date")),
            evidence=_text(row.get("evidence")),
        ))
    return result


# -- where to fill in what is missing --------------------------------------------------------------
#: Marker label -> the Cases column that records it.
CASE_COLUMNS: dict[str, str] = {
    "author of the paper": "officer",
    "date of the incident": "incident_date",
    "location of the incident": "incident_location",
    "death or serious harm": "harm",
    "abuse or neglect (known or suspected)": "abuse_or_neglect",
    "incident outline": "incident_outline",
    "immediate safeguarding actions": "immediate_actions",
    "incident characteristics": "incident_characteristic",
    "date of the referral": "referral_date",
    "referring agency": "referring_agency",
    "name of the SLO": "referrer_name",
    "SLO telephone number": "referrer_phone",
    "pathway asked for": "pathway",
    "reason for the referral": "referral_reason",
    "date discussed": "decision_date",
    "the decision": "decision",
    "rationale for the recommendation": "decision_rationale",
    "whether the family is told": "family_told",
    "date the local authority became aware": "aware_date",
    "notification deadline (date aware not recorded)": "aware_date",
    "notifier's name": "notifier_name",
    "date of the notification": "notified_date",
    "date the partnership was informed": "partners_informed_date",
    "date the scope was agreed": "scope_agreed_date",
    "start of the scope period": "scope_from",
    "end of the scope period": "scope_to",
    "chronology return deadline": "chronology_deadline",
    "Rapid Review meeting dates": "rr_meeting_date",
    "submission deadline (notification date not recorded)": "notified_date",
    "contributing agencies": "agencies_involved",
    "agencies involved": "agencies_involved",
    "Rapid Review outcome": "rr_outcome",
    "why no further review": "rr_outcome_reason",
    "date the LCSPR was decided": "lcspr_decision_date",
    "methodology": "methodology",
    "reviewer / author": "reviewer",
    "whether the reviewer is independent": "reviewer_independent",
    "pseudonym for publication": "pseudonym",
    "start of the LCSPR scope": "scope_from",
    "end of the LCSPR scope": "scope_to",
    "key lines of enquiry": "key_lines_of_enquiry",
    "family involvement": "family_involvement",
    "publication deadline (LCSPR decision not recorded)": "lcspr_decision_date",
    "report to Panel deadline (LCSPR decision not recorded)": "lcspr_decision_date",
    "reason for the outcome": "rr_outcome_reason",
    "date the decision was shared with the Executive": "rr_executive_date",
    "date the report is sent to the National Panel": "rr_decision_date",
    # Issue 15.
    "who authorised the referral": "referral_authorised_by",
    "date the National Panel replied": "panel_response_date",
    "the National Panel's view": "panel_view",
    "the National Panel's points": "panel_points",
    "the decision after reconvening": "reconvened_decision",
    "placing local authority": "placing_authority",
    "regulated setting or service": "regulated_setting",
    "whether the Secretary of State and Ofsted are told": "sos_ofsted_date",
}
#: Marker label -> the LCSPR sheet's column that records it (one row per case).
LCSPR_COLUMNS: dict[str, str] = {
    "review panel chair": "panel_chair", "media / communications lead": "media_lead",
    "where the report is published": "publication_place", "whether the full report is published": "publication_form",
    "reasons for the delay (to the National Panel)": "delay_reasons",
}
#: Marker label -> the Narrative sheet's section that records it (text several papers share).
NARRATIVE_LABELS: dict[str, str] = {
    "case summary": "Case summary", "recent history": "Recent history", "background": "Background",
    "what worked well": "What worked well", "what we are worried about": "What we are worried about",
    "provisional learning points": "Provisional learning points", "initial actions": "Initial actions",
    **{f"finding against criterion {n}": title for n, title in enumerate(CRITERIA_SECTIONS, 1)},
    "the group's view on the circumstances had regard to": "Circumstances had regard to",
    "report authors": "Report authors", "report advisers": "Report advisers",
    "who signed the report off": "Report signed off by", "independent chair": "Independent chair / scrutineer",
    "summary of the discussion": "Summary of the discussion",
    "response and rationale": "Executive's response and rationale",
    "executive summary": "LCSPR executive summary", "summary of the case": "LCSPR summary of the case",
    "the family's views": "LCSPR family's views", "what practitioners told the review": "LCSPR practitioners' views",
    "systemic analysis": "LCSPR systemic analysis", "findings and learning": "LCSPR findings and learning",
    "summary of recommended improvements": "LCSPR summary of improvements", "conclusion": "LCSPR conclusion",
    "the Executive's decision on publication": "Publication decision",
}
#: How a decision was made (marker label -> the Meetings column), for the Executive's and the Rapid Review's.
DECISION_COLUMNS: dict[str, tuple[str, str]] = {
    **{f"{what} was unanimous": ("unanimous", kind) for kind, what in (
        ("executive", "whether the Executive's decision"), ("rapid review", "whether the Rapid Review decision"))},
    **{f"the dissent from {what} (who disagreed and why)": ("dissent", kind) for kind, what in (
        ("executive", "the Executive's decision"), ("rapid review", "the Rapid Review decision"))},
    **{f"who dissented from {what}": ("dissent_by", kind) for kind, what in (
        ("executive", "the Executive's decision"), ("rapid review", "the Rapid Review decision"))},
    "date of the Rapid Review decision": ("meeting_date", "rapid review"),
    "date of the deciding meeting": ("meeting_date", "rapid review"),
    "declarations of interest": ("declarations", "rapid review"),
}
#: Marker label -> the Meetings column of the meeting the paper is about.
MEETING_COLUMNS: dict[str, str] = {
    "meeting date": "meeting_date", "meeting time": "meeting_date", "meeting venue": "venue", "meeting chair": "chair",
    "who took the decision": "decision_makers", "Rapid Review membership": "decision_makers",
    "meeting attendees": "decision_makers", "review panel membership": "decision_makers",
}
#: Marker label -> the Agencies column of the notifier's row.
NOTIFIER_COLUMNS: dict[str, str] = {
    "notifier's job title": "job_title", "notifier's e-mail": "email", "notifier's telephone": "phone",
}
#: Marker label prefix (before ", <who>") -> the People column.
PEOPLE_COLUMNS: dict[str, str] = {
    "name": "name", "relationship to the child": "relationship", "date of birth": "date_of_birth",
    "address": "address", "date of death": "date_of_death", "gender": "gender", "ethnicity": "ethnicity",
    "education provision": "education", "legal status at the incident": "legal_status",
    "child protection plan start date": "cp_plan_start", "child protection plan category": "cp_category",
}
_NUMBERED_PERSON = re.compile(r"^(child|family member|person in scope) \d+$")
IN_THE_DOCUMENT = "write it in the document (the register has no column for it)"
IN_THE_TRACKER = "the action tracker (tracker.xlsx, Actions sheet) for this case"


def where_to_record(label: str, register: Register, ref: str) -> str:
    """Return where an officer records what the marker ``label`` says is missing, in their words.

    A register column: "Cases row 5, 'Incident location' (AC5)"; a column an older register lacks:
    "Cases: add a column headed 'Incident location' ..."; otherwise the tracker or the document.
    """
    case = find_case(register, ref)
    if label == "incident characteristics":
        return (f"{_cell(register, CASES, case.row, 'incident_characteristic')}; when several apply, a row for each on "
                f"the {CHARACTERISTICS} sheet (Case reference {case.ref})")
    if label in CASE_COLUMNS:
        return _cell(register, CASES, case.row, CASE_COLUMNS[label])
    if label in NARRATIVE_LABELS:
        return _narrative_place(register, case.ref, NARRATIVE_LABELS[label])
    if label in LCSPR_COLUMNS:
        rows = case_rows(register, LCSPR, case.ref)
        if not rows:
            header = register.schema.sheet(LCSPR).column(LCSPR_COLUMNS[label]).header
            return f"the {LCSPR} sheet: add a row with Case reference {case.ref} and fill in '{header}'"
        return _cell(register, LCSPR, rows[0].row, LCSPR_COLUMNS[label])
    if label == "which notification duty applies":
        return (f"{_cell(register, CASES, case.row, 'looked_after_death')}, 'Care leaver died (under 25)' or 'Died in "
                "a regulated setting' on the same row: Yes for the duty that applies")
    if label == "review panel meeting date" or label == "review panel meeting dates":
        return f"Meetings sheet: a row for each 'LCSPR panel' meeting (Case reference {case.ref}) with its date"
    if label == "LCSPR recommendations" or re.match(r"^(wording of|agency for|evidence expected, |due date, )"
                                                    r".*recommendation \S+$", label):
        return f"the {RECOMMENDATIONS} sheet: a row for each recommendation (Case reference {case.ref})"
    if label == "the family's involvement (Family involvement sheet)":
        return f"the {FAMILY} sheet: a row for each family member (Case reference {case.ref})"
    if label in DECISION_COLUMNS:
        key, kind = DECISION_COLUMNS[label]
        kinds = EXECUTIVE_MEETINGS if kind == "executive" else RAPID_REVIEW_MEETINGS
        meeting = next((m for m in reversed(case.meetings) if _kind(m) in kinds and (_text(m["decision"]) or
                                                                                    m["unanimous"] is not None)),
                       None) or _meeting_for(case.meetings, kinds, None)
        if meeting is None:
            return (f"Meetings sheet: add the case's '{'Executive decision' if kind == 'executive' else 'Rapid Review'}' "
                    f"meeting (Case reference {case.ref})")
        return _cell(register, MEETINGS, meeting.row, key)
    if label.startswith("date the decision went to the "):
        return _cell(register, CASES, case.row, "rr_executive_date")
    if label == "notifying local authority":
        return ("the profile: the council's name under [bodies], e.g. local_authority = \"Kent County Council\" "
                "(ask whoever set caseforms up)")
    if label in ("who signs the letter", "signatory's role"):
        role = register.profile.papers.get("letter_signatory_role") if register.profile else None
        return (f"Agencies sheet: the row of the person who signs letters to the National Panel, with Job title "
                f"'{role or 'Business manager'}' (the profile names the job title: [papers] letter_signatory_role)")
    if label == "attendance of the decision makers (Present columns)":
        meeting = _meeting_for(case.meetings, RAPID_REVIEW_MEETINGS, None)
        if meeting is None:
            return f"Meetings sheet: add the case's 'Rapid Review' meeting (Case reference {case.ref})"
        return f"Meetings row {meeting.row}, the 'Present: ...' columns (Yes or No for each decision maker)"
    if label in MEETING_COLUMNS:
        return _meeting_place(register, case, MEETING_COLUMNS[label], label)
    if label in NOTIFIER_COLUMNS:
        listed = _Directory(register.agencies).person(_text(case["notifier_name"]))
        if listed is None:
            return (f"{_cell(register, CASES, case.row, 'notifier_name')}, and list them on the Agencies sheet "
                    f"('{register.schema.sheet(AGENCIES).column(NOTIFIER_COLUMNS[label]).header}')")
        return _cell(register, AGENCIES, listed[0].row, NOTIFIER_COLUMNS[label])
    if label in ("child's name", "family members"):
        who = "each child (role 'Child (subject of the review)')" if label == "child's name" else "each family member"
        return f"People sheet: add a row for {who} with Case reference {case.ref}"
    if label == "actions agreed":
        meeting = _meeting_for(case.meetings, RAPID_REVIEW_MEETINGS, None)
        return IN_THE_TRACKER + (f", or {_cell(register, MEETINGS, meeting.row, 'actions_agreed')}" if meeting else "")
    if re.search(r", action \S+$", label):
        return IN_THE_TRACKER
    prefix, _, who = label.rpartition(", ")
    if is_unidentified(who):
        return (f"the register's Returns log: say which agency sent the return shown as '{who}' (the master "
                "chronology's Findings sheet names its file) by typing the file's name in the File column of that "
                "agency's row, then merge again")
    if prefix == "died or seriously harmed":
        return f"{_cell(register, CASES, case.row, 'harm')}, or the child's date of death on People"
    if prefix in PEOPLE_COLUMNS and (who in {_text(p["name"]) for p in case.people} or _NUMBERED_PERSON.match(who)):
        person = next((p for p in case.people if _text(p["name"]) == who), None)
        if person is None:
            return f"People sheet: add the person's row with Case reference {case.ref}"
        return _cell(register, PEOPLE, person.row, PEOPLE_COLUMNS[prefix])
    if prefix in ("name", "organisation"):
        chairs = {_text(m["chair"]) for m in case.meetings}
        place = _meeting_place(register, case, "chair" if who in chairs else "decision_makers", label)
        if prefix == "organisation":
            place += f": add it in brackets after the name, '{who} (Organisation)', or list them on the Agencies sheet"
        return place
    if prefix == "nature of involvement":
        return (f"{_cell(register, CASES, case.row, 'agencies_involved')} ('{who}: what it did'); the period comes "
                "from the master chronology")
    if prefix == "single point of contact":
        row = _Directory(register.agencies).agency(who)
        if row is None:
            return f"Agencies sheet: add a row for '{who}' with its single point of contact"
        return _cell(register, AGENCIES, row.row, "spoc_name")
    return IN_THE_DOCUMENT


def _narrative_place(register: Register, ref: str, section: str) -> str:
    where = (f"the {NARRATIVE} sheet: a row with Case reference {ref}, Section '{section}' and the text"
             if NARRATIVE in register.columns or not register.columns
             else f"a '{NARRATIVE}' sheet (a new register from 'caseforms init' has one): a row with Case reference "
                  f"{ref}, Section '{section}' and the text")
    return f"{where}; or write it in the paper in Word (what you write there is kept when the paper is made again)"


def _cell(register: Register, sheet: str, row: int, key: str) -> str:
    header = register.schema.sheet(sheet).column(key).header
    letter = register.columns.get(sheet, {}).get(key)
    if letter is None and sheet in register.columns:
        return (f"{sheet}: add a column headed '{header}' (new in this version of caseforms; a new register from "
                "'caseforms init' shows it)")
    return f"{sheet} row {row}, '{header}'" + (f" ({letter}{row})" if letter else "")


def _meeting_place(register: Register, case: Case, key: str, label: str) -> str:
    kinds = (EXECUTIVE_MEETINGS if label == "who took the decision"
             else LCSPR_MEETINGS if label == "review panel membership" else RAPID_REVIEW_MEETINGS)
    meeting = _meeting_for(case.meetings, kinds, None)
    if meeting is None:
        kind = ("Executive decision" if kinds == EXECUTIVE_MEETINGS
                else "LCSPR panel" if kinds == LCSPR_MEETINGS else "Rapid Review")
        return f"Meetings sheet: add the case's '{kind}' meeting (Case reference {case.ref})"
    return _cell(register, MEETINGS, meeting.row, key)
