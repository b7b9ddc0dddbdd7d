"""Build each paper's context: plain dicts of text, from a :class:`~caseforms.papers.model.CaseFile`.

One function per paper (:func:`referral`, :func:`decision`, ...), each returning a
:class:`Filled`: the context (nested dicts, lists and strings, exactly the fields of
:mod:`caseforms.papers.fields`) and the list of what is not recorded. A value that is missing
becomes the marker ``[not recorded: date of birth, child 1]``: the renderer highlights it, so a
paper is never silently blank and never carries a leftover placeholder. Dates are written the English way
("3 February 2025"); chronology and action tables use the short form ("03/02/2025").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, NamedTuple

from caseforms.chronology.findings import (
    FLAG_AFTER_SCOPE,
    FLAG_BACKGROUND,
    FLAG_CHECK_DATE,
    FLAG_DATE_NOT_READ,
    FLAG_FUTURE,
    FLAG_NO_DATE,
)
from caseforms.deadlines import timetable
from caseforms.eligibility import describe_age
from caseforms.events import day_of
from caseforms.papers.fields import CRITERIA_SOURCE, LCSPR_CRITERIA, MARKING, PACK_TITLES, PACKS, PAPERS, REGARD_TO
from caseforms.papers.model import Agency, Attendee, CaseFile, Meeting, Person, Recommendation
from caseforms.profile import Profile

Context = dict[str, Any]

MARKER_PREFIX = "[not recorded: "
TICKED, UNTICKED = "☒", "☐"
NOT_APPLICABLE = "Not applicable"


class Filled(NamedTuple):
    """A paper's context and what it lacks, in the order the paper asks for it."""

    context: Context
    missing: list[str]


def marker(label: str) -> str:
    """Return the visible marker written where a value is not recorded."""
    return f"{MARKER_PREFIX}{label}]"


def long_date(value: date | datetime | None) -> str | None:
    """Return ``3 February 2025`` (or ``3 February 2025 at 09:00``), the way letters write dates."""
    if value is None:
        return None
    text = f"{value.day} {value:%B %Y}"
    if isinstance(value, datetime):
        text += f" at {value:%H:%M}"
    return text


def short_date(value: date | datetime | None) -> str | None:
    """Return ``03/02/2025`` (or ``03/02/2025 14:30``), the way tables write dates."""
    if value is None:
        return None
    return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, datetime) else "%d/%m/%Y")


def days_in_words(days: Sequence[date]) -> str | None:
    """Return ``10 and 11 March 2025`` or ``28 February and 3 March 2025`` for meeting days."""
    if not days:
        return None
    days = sorted(days)
    if len(days) > 1 and all(d.month == days[0].month and d.year == days[0].year for d in days):
        numbers = [str(d.day) for d in days]
        return f"{', '.join(numbers[:-1])} and {numbers[-1]} {days[0]:%B %Y}"
    words = [long_date(d) or "" for d in days]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def nhs_number(value: str | None) -> str | None:
    """Return an NHS number spaced 3-3-4 as it is printed on NHS letters; other text unchanged."""
    if value is None:
        return None
    digits = "".join(c for c in value if c.isdigit())
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else value


#: The period of an agency's involvement before any chronology is merged, and when it has no dated entry.
UNTIL_MERGED = "Known once the chronologies are merged"
NO_ENTRIES = "No dated entry in the scope period"
#: A visible mark on a chronology entry the merge flagged; highlighted in the papers like the markers.
CHECK_PREFIX = "[check: "
#: The merge's flags, in the words a decision maker reads beside the entry.
_FLAG_WORDS: tuple[tuple[str, str], ...] = (
    (FLAG_DATE_NOT_READ, "not a real date"),
    (FLAG_NO_DATE, "no date given"),
    (FLAG_FUTURE, "date in the future"),
    (f"{FLAG_CHECK_DATE}: ", ""),
    (FLAG_BACKGROUND, "before the scope period"),
    (FLAG_AFTER_SCOPE, "after the scope period"),
)


def check_marker(flags: str | None) -> str:
    """Return the visible mark for an entry the merge flagged ("[check: date in the future]"), or ""."""
    if not flags or not flags.strip():
        return ""
    words: list[str] = []
    for flag in (f.strip() for f in flags.split(";")):
        if not flag:
            continue
        for start, said in _FLAG_WORDS:
            if flag.startswith(start):
                text = said or flag[len(start):]
                break
        else:
            text = flag
        if text not in words:
            words.append(text)
    return f"{CHECK_PREFIX}{'; '.join(words)}]" if words else ""


#: Legal statuses that mean children's social care was involved at the incident, and what to say.
_KNOWN_BY_STATUS = (
    ("child protection plan", "Yes: on a child protection plan"),
    ("looked after", "Yes: looked after"),
    ("placement order", "Yes: looked after (placement order)"),
    ("care leaver", "Yes: a care leaver"),
    ("child in need", "Yes: a child in need"),
)


def known_to_social_care(p: Person) -> str:
    """Return whether a child was known to children's social care, worked out from what the register holds.

    From the legal status at the incident, the child protection plan and looked-after status:
    "Child in need" is known, never "Not known" beside it. "None" says no open involvement, which
    does not rule out earlier involvement.
    """
    status = (p.legal_status or "").casefold()
    if (p.cp_plan_start or p.cp_category) and "child protection plan" not in status:
        return "Yes: on a child protection plan"
    if p.looked_after and "looked after" not in status:
        return "Yes: looked after"
    for words, said in _KNOWN_BY_STATUS:
        if words in status:
            return said
    if status == "none":
        return "No open involvement at the time of the incident (check for earlier involvement)"
    if status:
        return f"Yes: {p.legal_status}"
    return "Not known (legal status not recorded)"


def meeting_said(days: Sequence[date], today: date) -> str | None:
    """Return the meeting in the right tense: 'met on 19 February 2025', 'is to meet on 4 December 2026'.

    A meeting on ``today`` has been held. Days both past and to come: 'met on ... and is to meet
    again on ...'.
    """
    if not days:
        return None
    held = [d for d in days if d <= today]
    to_come = [d for d in days if d > today]
    if held and to_come:
        return f"met on {days_in_words(held)} and is to meet again on {days_in_words(to_come)}"
    return f"met on {days_in_words(held)}" if held else f"is to meet on {days_in_words(to_come)}"


def _person_with_role(item: str) -> str:
    """Return 'Police: DI Sarah Quinn' (as the register lists decision makers) as 'DI Sarah Quinn, Police'."""
    role, sep, name = item.partition(":")
    return f"{name.strip()}, {role.strip()}" if sep and name.strip() and role.strip() else item.strip()


def _named_in(text: str | None, people: Sequence[Attendee]) -> list[str]:
    """Return the decision makers a dissent names, by role or name ("Police (DI Sarah Quinn)")."""
    if not text:
        return []
    folded = text.casefold()
    found = []
    for a in people:
        if a.role and a.role.casefold() not in ("chair", "other") and (
                a.role.casefold() in folded or (a.name and a.name.casefold() in folded)):
            found.append(f"{a.name}, {a.role}" if a.name else a.role)
    return found


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


class _Recorder:
    """Turn values into text, writing and noting a marker for each one that is missing."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def need(self, value: object, label: str, fmt: Callable[[Any], str | None] | None = None) -> str:
        text = None if _blank(value) else (fmt(value) if fmt else str(value).strip())
        if text is None or not text.strip():
            if label not in self.missing:
                self.missing.append(label)
            return marker(label)
        return text

    @staticmethod
    def optional(value: object, otherwise: str, fmt: Callable[[Any], str | None] | None = None) -> str:
        if _blank(value):
            return otherwise
        return (fmt(value) if fmt else str(value).strip()) or otherwise


class _Builder:
    """Build the field groups of one case's papers, sharing one recorder per paper."""

    def __init__(self, case: CaseFile, profile: Profile, today: date, paper_title: str, paper: str = "") -> None:
        self.case = case
        #: The paper's name in the catalogue: the letters' addressee and the duty depend on it.
        self.paper = paper
        self.profile = profile
        self.today = today
        self.title = paper_title
        self.r = _Recorder()
        self._due: dict[str, date | datetime] | None = None

    # -- shared pieces ---------------------------------------------------------------------------
    def due(self, milestone_id: str) -> date | datetime | None:
        """Return a milestone's due date from the profile's timescales, when its event is recorded."""
        if self._due is None:
            rows = timetable(self.profile, self.case.events, self.today, flags=self.case.flags)
            self._due = {row.id: row.due for row in rows if row.due is not None}
        return self._due.get(milestone_id)

    def options(self, choices: Iterable[str], chosen: Iterable[str]) -> list[dict[str, Any]]:
        picked = {c.casefold() for c in chosen}
        return [
            {"label": c, "ticked": c.casefold() in picked, "box": TICKED if c.casefold() in picked else UNTICKED}
            for c in choices
        ]

    def incident_day(self) -> date | None:
        """Return the incident's day from the incident record, or else from the case's events."""
        recorded = self.event("incident")
        return self.case.incident.day or (day_of(recorded) if recorded else None)

    def event(self, key: str) -> date | datetime | None:
        return self.case.events.get(key)

    def person(self, p: Person, number: int, who: str, full: bool) -> dict[str, Any]:
        need, opt = self.r.need, self.r.optional
        where = f"{who} {number}"
        name = need(p.name, f"name, {where}")
        tag = p.name.strip() if p.name and p.name.strip() else where
        row: dict[str, Any] = {
            "number": str(number),
            "name": name,
            "relationship": need(p.relationship, f"relationship to the child, {tag}"),
            "date_of_birth": need(p.date_of_birth, f"date of birth, {tag}", long_date),
            "address": need(p.address, f"address, {tag}"),
            "nhs_number": opt(p.nhs_number, "Not known", nhs_number),
        }
        if not full:
            return row
        incident_day = self.incident_day()
        died = (p.harm or "").casefold().startswith("die") or p.date_of_death is not None
        row.update({
            # When the age cannot be worked out, the date it comes from is what is listed as missing.
            "age_at_incident": (
                describe_age(p.date_of_birth, incident_day) if p.date_of_birth and incident_day
                else "Not known (date of birth or incident date not recorded)"
            ),
            "date_of_death": (
                need(p.date_of_death, f"date of death, {tag}", long_date) if died else NOT_APPLICABLE
            ),
            "gender": need(p.gender, f"gender, {tag}"),
            "ethnicity": need(p.ethnicity, f"ethnicity, {tag}"),
            "disability": opt(p.disability, "None known"),
            "education": need(p.education, f"education provision, {tag}"),
            "legal_status": need(p.legal_status, f"legal status at the incident, {tag}"),
            "cp_plan": self._cp_plan(p, tag),
            "placing_authority": opt(p.placing_authority, NOT_APPLICABLE),
            "harm": need(p.harm, f"died or seriously harmed, {tag}"),
            "known_to_social_care": p.known_to_social_care or known_to_social_care(p),
        })
        return row

    def _cp_plan(self, p: Person, tag: str) -> str:
        on_plan = (p.legal_status or "").casefold() == "child protection plan" or p.cp_plan_start or p.cp_category
        if not on_plan:
            return "Not on a plan"
        start = self.r.need(p.cp_plan_start, f"child protection plan start date, {tag}", long_date)
        category = self.r.need(p.cp_category, f"child protection plan category, {tag}")
        return f"From {start}, {category}"

    def agency(self, a: Agency) -> dict[str, Any]:
        need, opt = self.r.need, self.r.optional
        name = a.name.strip() or marker("agency name")
        # The period comes from the master chronology: before one is merged there is nothing to record anywhere.
        if a.involved_from is not None:
            start = long_date(a.involved_from) or ""
            end = opt(a.involved_to, "Ongoing", long_date)
            period = f"{start} to {'date' if end == 'Ongoing' else end}"
        else:
            start = period = NO_ENTRIES if self.case.chronology_merged else UNTIL_MERGED
            end = "—"
        received = a.summary_received
        return {
            "name": name,
            "involvement": need(a.involvement, f"nature of involvement, {name}"),
            "involved_from": start,
            "involved_to": end,
            "period": period,
            "contact_name": need(a.contact_name, f"single point of contact, {name}"),
            "contact_role": opt(a.contact_role, "Not recorded"),
            "summary_requested": opt(a.summary_requested, "Not yet requested", long_date),
            "summary_due": opt(a.summary_due, "Not set", long_date),
            # The Returns log dates the chronology; a summary is received only when it has answers.
            "summary_received": (
                opt(received, "Received", long_date) if a.summary_answers
                else f"Chronology only ({long_date(received)})" if received else "Not yet received"
            ),
            "summary_author": opt(a.summary_author, "Not given in the summary" if a.summary_answers else "Not recorded"),
            "summary_signed_off": opt(a.summary_signed_off,
                                      "Not given in the summary" if a.summary_answers else "Not recorded"),
            "summary": opt(a.summary, "No summary received yet."),
            "summary_answers": [{"question": q, "answer": answer} for q, answer in a.summary_answers],
            "summary_source": opt(a.summary_source, "—"),
        }

    def attendee(self, a: Attendee, what: str) -> dict[str, str]:
        tag = a.name or a.organisation or a.role or what
        row = {
            "name": self.r.need(a.name, f"name, {tag}"),
            "role": self.r.optional(a.role, "—"),
            "organisation": self.r.need(a.organisation, f"organisation, {tag}"),
        }
        details = ", ".join(v for v in (row["role"], row["organisation"]) if v != "—")
        row["described"] = f"{row['name']} ({details})" if details else row["name"]
        return row

    def attendees(self, people: Sequence[Attendee], what: str) -> list[dict[str, str]]:
        if not people:
            missing = self.r.need(None, what)
            return [{"name": missing, "role": "—", "organisation": "—", "described": missing}]
        return [self.attendee(a, what) for a in people]

    # -- the groups ------------------------------------------------------------------------------
    def common(self) -> Context:
        bodies = self.profile.bodies
        names = [c.name.strip() for c in self.case.children if c.name and c.name.strip()]
        return {
            "today": long_date(self.today),
            "partnership": {"name": bodies.get("partnership", self.profile.title), "title": self.profile.title},
            "bodies": {key: bodies.get(key, "") for key in (
                "executive", "rapid_review_group", "learning_group", "assurance", "national_panel", "lcspr_signoff")},
            "document": {
                "title": self.title,
                "version": self.case.version or "1.0",
                "date": long_date(self.today),
                "author": self.r.need(self.case.author, "author of the paper"),
                "status": "Draft",
                "marking": MARKING,
            },
            "case": {
                "ref": self.case.ref,
                "status": self.r.optional(self.case.status, "Not recorded"),
                "children_names": (
                    " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1
                    else names[0] if names else self.r.need(None, "child's name")
                ),
            },
        }

    def children(self) -> Context:
        children = self.case.children or [Person()]
        rows = [self.person(c, i, "child", full=True) for i, c in enumerate(children, 1)]
        return {"children": rows, "child": rows[0]}

    def family(self) -> Context:
        if not self.case.family:
            return {"family": [self._empty_person(self.r.need(None, "family members"))]}
        return {"family": [self.person(p, i, "family member", full=False) for i, p in enumerate(self.case.family, 1)]}

    def _empty_person(self, name: str) -> dict[str, str]:
        return {"number": "1", "name": name, "relationship": "—", "date_of_birth": "—", "address": "—",
                "nhs_number": "—"}

    def people_in_scope(self) -> Context:
        people = [*(self.case.children or [Person()]), *self.case.family]
        rows = []
        for i, p in enumerate(people, 1):
            row = self.person(p, i, "person in scope", full=False)
            if i <= len(self.case.children or [None]) and _blank(p.relationship):
                row["relationship"] = "Subject child"
            rows.append(row)
        return {"people_in_scope": rows}

    def agencies(self) -> Context:
        rows = [self.agency(a) for a in self.case.agencies]
        if not rows:
            placeholder = dict.fromkeys(self.agency(Agency(name="—")), "—")
            placeholder["name"] = self.r.need(None, "agencies involved")
            rows = [placeholder]
        received = [row for row, a in zip(rows, self.case.agencies, strict=False) if a.summary_answers]
        return {"agencies": rows, "agencies_received": received}

    def incident(self) -> Context:
        i, need = self.case.incident, self.r.need
        harm = (i.harm or "").casefold()
        abuse = (i.abuse_or_neglect or "").casefold()
        listed = self.profile.lists.get("incident_characteristics", [])
        extra = [c for c in i.characteristics if c not in listed]
        characteristics = self.options([*listed, *extra], i.characteristics)
        return {"incident": {
            "date": need(self.incident_day(), "date of the incident", long_date),
            "time": self.r.optional(i.at, "Not known", lambda t: t.strftime("%H:%M")),
            "location": need(i.location, "location of the incident"),
            "where": (
                "Outside England (child normally resident in the area)" if i.outside_england
                else "In the local authority's area"
            ),
            "harm": need(i.harm, "death or serious harm"),
            "abuse_or_neglect": need(i.abuse_or_neglect, "abuse or neglect (known or suspected)"),
            "death_box": TICKED if "death" in harm or "died" in harm else UNTICKED,
            "serious_harm_box": TICKED if "harm" in harm else UNTICKED,
            "abuse_box": TICKED if "abuse" in abuse else UNTICKED,
            "neglect_box": TICKED if "neglect" in abuse else UNTICKED,
            "outline": need(i.outline, "incident outline"),
            "immediate_actions": need(i.immediate_actions, "immediate safeguarding actions"),
            "police_investigation": self.r.optional(i.police_investigation, "Not known"),
            "characteristics": characteristics,
            "characteristics_ticked": ", ".join(c["label"] for c in characteristics if c["ticked"])
            or need(None, "incident characteristics"),
        }}

    def referral(self) -> Context:
        f, need = self.case.referral, self.r.need
        received = f.received or self.event("referral")
        pathways = self.profile.lists.get("pathways", [])
        return {"referral": {
            "received": need(received, "date of the referral", long_date),
            "agency": need(f.agency, "referring agency"),
            "slo_name": need(f.slo_name, "name of the SLO"),
            "telephone": need(f.telephone, "SLO telephone number"),
            "email": self.r.optional(f.email, "Not recorded"),
            "pathway": need(f.pathway, "pathway asked for"),
            "pathway_options": self.options(pathways, [f.pathway] if f.pathway else []),
            "reason": need(f.reason, "reason for the referral"),
            "decision_due": self.r.optional(self.due("executive_discussion"), "Not set by the profile", long_date),
            "authorised_by": need(f.authorised_by, "who authorised the referral"),
            "receipt_confirmed": self.r.optional(f.receipt_confirmed, "Not yet", long_date),
            "more_information_requested": self.r.optional(
                f.more_information_requested or self.event("more_information"), "Not asked", long_date),
            "more_information_asked": self.r.optional(f.more_information_asked, "None"),
            "outcome_letter_sent": self.r.optional(f.outcome_letter_sent, "Not yet", long_date),
            "outcome": self._referral_outcome(),
            "copied_to": [a.name for a in self.case.agencies
                          if a.name and a.name.casefold() != (f.agency or "").casefold()] or ["None"],
        }}

    def _referral_outcome(self) -> str:
        """Return the outcome of the referral in a sentence: the decision, and what follows from it."""
        d = self.case.decision
        executive = self.profile.bodies.get("executive", "Executive")
        decision = d.decision or ""
        folded = decision.casefold()
        when = f" on {long_date(d.discussed)}" if d.discussed else ""
        if not decision:
            return self.r.need(None, "the decision")
        if "more information" in folded:
            asked = self.case.referral.more_information_asked
            return (f"The {executive} considered the referral{when} and needs more information before it decides"
                    + (f": {asked.rstrip('.')}." if asked else ".") + " Please send it as soon as you can.")
        if folded.startswith("notify"):
            return (f"The {executive} decided{when} that the criteria for a notification are met. The local authority "
                    "notifies the National Panel and a Rapid Review follows; your agency will be asked for a "
                    "chronology and summary of its involvement.")
        if "media" in folded:
            return (f"The {executive} decided{when} that the incident does not call for a notification or a review. "
                    "The partnership logs it and monitors media interest with the communications leads.")
        if "learning" in folded or "single" in folded:
            kind = "a single-agency review" if "single" in folded else "a learning review"
            return (f"The {executive} decided{when} that the criteria for a notification to the National Panel are not "
                    f"met, and that the case offers learning through {kind}. The partnership will be in touch about it.")
        return (f"The {executive} decided{when} that the criteria for a notification to the National Panel are not "
                "met, and the referral is closed to the partnership. Your agency may still review the case "
                "internally and share any learning with the partnership.")

    def decision(self) -> Context:
        d, need = self.case.decision, self.r.need
        attendees = self.attendees(d.attendees, "who took the decision")
        return {"decision": {
            "discussed": (f"To be discussed on {long_date(d.discussed)}" if d.discussed and d.discussed > self.today
                          else need(d.discussed, "date discussed", long_date)),
            "decision": need(d.decision, "the decision"),
            "options": self.options(self.profile.lists.get("decisions", []), [d.decision] if d.decision else []),
            "rationale": need(d.rationale, "rationale for the recommendation"),
            "response": need(d.response, "response and rationale"),
            "response_date": need(d.response_date, "date of the response", long_date),
            "attendees": attendees,
            "attendee_names": "; ".join(a["described"] for a in attendees),
            "family_told": need(d.family_told, "whether the family is told"),
            **self._how_decided(d.unanimous, d.dissent, d.dissent_by, d.attendees, "the Executive's decision"),
            "review_criteria": list(LCSPR_CRITERIA),
            "regard_to": list(REGARD_TO),
        }}

    def _how_decided(self, unanimous: bool | None, dissent: str | None, dissent_by: Sequence[str],
                     people: Sequence[Attendee], what: str) -> dict[str, str]:
        """Return how a decision was made: unanimously or by majority, the dissent and who dissented.

        Decision by majority with the dissent recorded: 000_44eed6501ae43eb6.txt, 3.3 Rapid Review outcomes.
        """
        if unanimous is None:
            return {"decided_how": self.r.need(None, f"whether {what} was unanimous"), "dissent": "—",
                    "dissented_by": "—"}
        if unanimous:
            return {"decided_how": "Unanimously", "dissent": "None: the decision was unanimous", "dissented_by": "None"}
        who = [_person_with_role(d) for d in dissent_by] or _named_in(dissent, people)
        return {
            "decided_how": "By majority: the decision makers did not all agree, and the majority view is the decision",
            "dissent": self.r.need(dissent, f"the dissent from {what} (who disagreed and why)"),
            "dissented_by": "; ".join(who) if who else self.r.need(None, f"who dissented from {what}"),
        }

    def notification(self) -> Context:
        n, need, opt = self.case.notification, self.r.need, self.r.optional
        children = self.children()["children"]
        over = [c["name"] for c in children[4:]]
        lac_death = "looked_after_death" in self.case.flags
        sos = self.event("sos_ofsted_notified")
        told = n.secretary_of_state_told or (f"Yes, on {long_date(sos)}" if sos else None)
        return {"notification": {
            "kind": (
                "Death of a looked-after child" if lac_death
                else "Serious child safeguarding incident (abuse or neglect known or suspected)"
            ),
            "aware": need(self.event("aware"), "date the local authority became aware", long_date),
            "due": need(self.due("la_notification"), "notification deadline (date aware not recorded)", long_date),
            "notified": opt(self.event("notified"), "Not yet notified", long_date),
            "notifier_name": need(n.notifier_name, "notifier's name"),
            "notifier_role": need(n.notifier_role, "notifier's job title"),
            "notifier_email": need(n.notifier_email, "notifier's e-mail"),
            "notifier_phone": need(n.notifier_phone, "notifier's telephone"),
            "local_authority": need(n.local_authority or self.profile.bodies.get("local_authority"),
                                    "notifying local authority"),
            "panel_reference": opt(n.panel_reference, "Given by the Panel's system on submission"),
            "children": children[:4],
            "children_over_four": (
                f"Further children (the form takes 4): {', '.join(over)}" if over else "None"
            ),
            "other_children": opt(n.other_children, "None known"),
            "secretary_of_state_told": (
                need(told, "whether the Secretary of State and Ofsted are told")
                if lac_death else opt(told, NOT_APPLICABLE)
            ),
            "further_information": opt(n.further_information, "None"),
        }}

    def rapid_review(self) -> Context:
        rr, need, opt = self.case.rapid_review, self.r.need, self.r.optional
        scope_from = need(rr.scope_from, "start of the scope period", long_date)
        scope_to = need(rr.scope_to, "end of the scope period", long_date)
        findings = list(rr.criteria_findings)
        outcomes = self.profile.lists.get("rr_outcomes", [])
        no_review = bool(rr.outcome) and (rr.outcome or "").casefold().startswith("no further")
        signatory = rr.signatory or self._signatory()
        meeting = rr.decision_meeting
        how = self._how_decided(meeting.unanimous if meeting else None, meeting.dissent if meeting else None,
                                meeting.dissent_by if meeting else [],
                                meeting.attendees if meeting else rr.membership, "the Rapid Review decision")
        decided_on = meeting.day if meeting and meeting.day else None
        to_come = [d for d in rr.meeting_days if d > self.today]
        return {"rapid_review": {
            "notified": need(self.event("notified"), "date of the notification", long_date),
            "partners_informed": need(rr.partners_informed, "date the partnership was informed", long_date),
            "scope_agreed": need(rr.scope_agreed, "date the scope was agreed", long_date),
            "scope_from": scope_from,
            "scope_to": scope_to,
            "scope_period": f"{scope_from} to {scope_to}",
            "chronology_deadline": need(rr.chronology_deadline, "chronology return deadline", long_date),
            "meeting_days": need(rr.meeting_days, "Rapid Review meeting dates", days_in_words),
            "meeting_said": self.r.optional(meeting_said(rr.meeting_days, self.today), "") or (
                "meets on " + need(None, "Rapid Review meeting dates")),
            "submission_due": need(
                self.due("rapid_review_submission"), "submission deadline (notification date not recorded)",
                long_date),
            "submitted": opt(self.event("rr_decision"), "Not yet submitted", long_date),
            "contributors": [a.name for a in self.case.agencies] or [need(None, "contributing agencies")],
            "membership": self.attendees(rr.membership, "Rapid Review membership"),
            "authors": list(rr.authors) or [need(None, "report authors")],
            "advisers": list(rr.advisers) or [need(None, "report advisers")],
            "sign_off": self.attendees(rr.sign_off, "who signed the report off"),
            "independent_chair": need(rr.independent_chair, "independent chair"),
            "case_summary": need(rr.case_summary, "case summary"),
            "recent_history": need(rr.recent_history, "recent history"),
            "background": need(rr.background, "background"),
            "worked_well": need(rr.worked_well, "what worked well"),
            "worries": need(rr.worries, "what we are worried about"),
            "learning_points": need(rr.learning_points, "provisional learning points"),
            "initial_actions": need(rr.initial_actions, "initial actions"),
            "criteria": [
                {"number": str(i + 1), "criterion": text,
                 "finding": need(findings[i] if i < len(findings) else None, f"finding against criterion {i + 1}")}
                for i, text in enumerate(LCSPR_CRITERIA)
            ],
            "regard_to": list(REGARD_TO),
            "circumstances": need(rr.circumstances, "the group's view on the circumstances had regard to"),
            "criteria_source": CRITERIA_SOURCE,
            # A meeting still to come has decided nothing yet: say so rather than date a decision not made.
            "decision_date": (long_date(decided_on) or "") if decided_on else (
                f"Not yet: the {self.profile.bodies.get('rapid_review_group', 'Rapid Review group')} is to meet on "
                f"{days_in_words(to_come)}" if to_come else need(None, "date of the Rapid Review decision")),
            **how,
            "decision_said": self._decision_said(how, meeting),
            "outcome_reason": need(rr.outcome_reason, "reason for the outcome"),
            "executive_sight": self._executive_sight(meeting.unanimous if meeting else None, rr.outcome,
                                                     rr.executive_informed),
            "outcome": need(rr.outcome, "Rapid Review outcome"),
            "outcome_options": self.options(outcomes, [rr.outcome] if rr.outcome else []),
            "no_review_reason": (
                need(rr.no_review_reason, "why no further review") if no_review else NOT_APPLICABLE
            ),
            "signatory": {
                "name": need(signatory.name, "who signs the letter"),
                "role": need(signatory.role, "signatory's role"),
                "organisation": self.profile.bodies.get("partnership", "") or opt(signatory.organisation, ""),
            },
        }}

    def _signatory(self) -> Attendee:
        """Return who signs the letter: the person the Agencies sheet gives the profile's job title."""
        role = str(self.profile.papers.get("letter_signatory_role") or "")
        found = next((c for c in self.case.contacts if role and (c.role or "").casefold() == role.casefold()), None)
        return Attendee(found.name, found.role, found.organisation) if found else Attendee(role=role or None)

    def _decision_said(self, how: Mapping[str, str], meeting: Meeting | None) -> str:
        """Return the decision as it was made, in a sentence: the letter's wording follows it."""
        partners = len(self.profile.rapid_review_meeting.get("required_roles", [])) or 3
        number = {2: "two", 3: "three", 4: "four"}.get(partners, str(partners))
        unanimous = meeting.unanimous if meeting else None
        if unanimous:
            return f"The {number} statutory safeguarding partners agreed this decision unanimously."
        if unanimous is False:
            return (f"This decision was reached by a majority of the statutory safeguarding partners. Dissenting: "
                    f"{how['dissented_by']}. The dissenting view, as recorded: {how['dissent']}")
        return how["decided_how"]

    def _executive_sight(self, unanimous: bool | None, outcome: str | None, informed: date | None) -> str:
        """Return whether the Executive saw the decision before the National Panel, when the profile says it must.

        Kent: a decision that is not unanimous, or that recommends a national review, is shared with the
        Executive before the Panel (000_44eed6501ae43eb6.txt: 3.3); Lincolnshire: every report goes to
        the Assurance Executive for sign-off (004_6c96fbcaaedcbdc1.txt: The Rapid Review Report).
        """
        rule = str(self.profile.rapid_review_meeting.get("executive_before_panel") or "")
        if not rule:
            return ""
        executive = self.profile.bodies.get("executive", "Executive")
        if "always" in rule:
            assurance = self.profile.bodies.get("assurance", executive)
            when = self.r.need(informed, f"date the decision went to the {assurance}", long_date)
            return f"The {assurance} signs the report off before it goes to the National Panel: shared on {when}."
        national = "national" in (outcome or "").casefold()
        reasons = [*(["it was not unanimous"] if unanimous is False else []),
                   *(["it recommends a national review"] if national else [])]
        if not reasons:
            # A unanimous decision that is not a national review goes straight to the Panel: nothing to say.
            return (f"If the decision was not unanimous, or recommends a national review, it goes to the {executive} "
                    "before the National Panel." if unanimous is None else "")
        when = self.r.need(informed, "date the decision was shared with the Executive", long_date)
        return (f"Because {' and '.join(reasons)}, the decision was shared with the {executive} before the National "
                f"Panel, on {when}.")

    def meeting(self) -> Context:
        kinds = ("rapid review",)
        found = next((m for m in self.case.meetings if m.kind.casefold() in kinds), None)
        need = self.r.need
        required = list(self.profile.rapid_review_meeting.get("required_roles", []))
        day = found.day if found else None
        if day is None and self.case.rapid_review.meeting_days:
            day = min(self.case.rapid_review.meeting_days)
        start = found.start if found else None
        end = found.end if found else None
        when = (
            f"{start:%H:%M}" + (f" to {end:%H:%M}" if end else "") if isinstance(start, time) else None
        )
        attendees = found.attendees if found else self.case.rapid_review.membership
        group = self.profile.bodies.get("rapid_review_group", "Rapid Review group")
        items = [
            ("Welcome, introductions and apologies", "Chair", "—"),
            ("Confidentiality, purpose of the Rapid Review and quorum", "Chair", "Terms of Reference"),
            ("The incident and the child's circumstances", "Local authority", "—"),
            ("Agency summaries: what worked well, what we are worried about", "Each agency", "Agency summaries"),
            ("The master chronology: key events and themes", "Business officer", "Master chronology"),
            ("Immediate safeguarding actions and any further action needed", "All", "—"),
            ("Provisional learning points", "All", "—"),
            ("Consideration against the criteria for an LCSPR or a national review", "Statutory partners", "—"),
            ("Decision, rationale and any dissent", "Statutory partners", "—"),
            ("Actions, report drafting, sign-off and submission date", "Chair", "—"),
            ("Support for staff and communication with the family", "Chair", "—"),
        ]
        return {"meeting": {
            "kind": found.kind if found else "Rapid Review",
            "date": need(day, "meeting date", long_date),
            "time": need(when, "meeting time"),
            "venue": need(found.venue if found else None, "meeting venue"),
            "chair": need(found.chair if found else None, "meeting chair"),
            "attendees": self.attendees(attendees, "meeting attendees"),
            "quorum": (
                f"The {group} is quorate only when {', '.join(required[:-1])} and {required[-1]} are all "
                "present or represented by a nominated deputy."
                if len(required) > 1 else "As set out in the Terms of Reference."
            ),
            "agenda": [
                {"number": str(n), "title": title, "lead": lead, "paper": paper}
                for n, (title, lead, paper) in enumerate(items, 1)
            ],
        }}

    def chronology(self) -> Context:
        rows = []
        for row in self.case.chronology:
            flag = check_marker(row.flags)
            date_text = row.when_text or short_date(row.when) or "Not known"
            agency = row.agency or ""
            rows.append({
                # The mark is part of the date, so that no template, a partnership's own included, prints it bare.
                "date": f"{date_text} {flag}" if flag else date_text,
                "flag": flag,
                "source": row.source or "",
                "agency": f"{agency} – {row.department}" if agency and row.department else agency,
                "department": row.department or "",
                "subjects": row.subjects or "",
                "contact_type": row.contact_type or "",
                "by_whom": row.by_whom or "",
                "contact": " – ".join(t for t in (row.contact_type, row.by_whom) if t),
                "details": row.details or "",
                "analysis": row.analysis or "",
            })
        findings = [{"place": f.place, "message": f.message, "severity": f.severity}
                    for f in self.case.chronology_findings]
        # The key episodes numbered as the timeline numbers them (caseforms.chronology.timeline.build_timeline).
        from caseforms.chronology.timeline import build_timeline

        episodes = [{"number": str(number), "date": short_date(day) or "", "label": label, "agency": agency,
                     "entry": str(entry) if entry is not None else ""}
                    for number, day, label, agency, entry in build_timeline(self.case.chronology, title="").key_episodes]
        # The chart itself is Word's own, put in by the renderer (caseforms.io.timeline_docx); empty, the paper says so.
        return {"chronology": rows, "chronology_count": str(len(rows)), "chronology_findings": findings,
                "timeline_chart": "", "key_episodes": episodes}

    def actions(self) -> Context:
        need = self.r.need
        rows = []
        for i, a in enumerate(self.case.actions, 1):
            number = a.number or str(i)
            rows.append({
                "number": number,
                "learning_point": need(a.learning_point, f"learning point, action {number}"),
                "action": need(a.action, f"what will be done, action {number}"),
                "owner_agency": need(a.owner_agency, f"owner agency, action {number}"),
                "lead": need(a.lead, f"named lead, action {number}"),
                "due": need(a.due, f"due date, action {number}", short_date),
                "status": a.status or "Not started",
                "last_update": short_date(a.last_update) or "—",
                "evidence": a.evidence or "—",
            })
        if not rows:
            empty = need(None, "actions agreed")
            rows.append({"number": "1", "learning_point": empty, "action": "—", "owner_agency": "—", "lead": "—",
                         "due": "—", "status": "—", "last_update": "—", "evidence": "—"})
        return {"actions": rows}

    def record(self) -> Context:
        """Return the meeting record (minutes) of the meeting that made the Rapid Review decision."""
        rr, need, opt = self.case.rapid_review, self.r.need, self.r.optional
        meeting = rr.decision_meeting or next(
            (m for m in reversed(self.case.meetings) if "rapid review" in m.kind.casefold()), None)
        m = meeting or Meeting("Rapid Review")
        attendees = m.attendees or rr.membership
        rows = self.attendees(attendees, "meeting attendees")
        for row, a in zip(rows, attendees, strict=False):
            row["present"] = {True: "Present", False: "Absent", None: "Not recorded"}[a.present]
        if not attendees:
            rows[0]["present"] = "—"
        group = self.profile.bodies.get("rapid_review_group", "Rapid Review group")
        if m.quorate is True:
            quorate = f"Yes: every decision maker the {group} needs was present or represented."
        elif m.quorate is False:
            quorate = (f"No: {', '.join(m.absent)} not present. A decision needs a quorate meeting: the {group} must "
                       "reconvene (Kent Practice Improvement Framework, 3.2).")
        else:
            quorate = need(None, "attendance of the decision makers (Present columns)")
        actions = list(m.actions_agreed) or [
            " – ".join(t for t in (a.action, a.owner_agency, a.lead, f"by {short_date(a.due)}" if a.due else "") if t)
            for a in self.case.actions if a.action
        ] or [need(None, "actions agreed")]
        due = self.due("rapid_review_submission")
        sent = self.event("rr_decision")
        to_panel = (
            f"The report, the action plan and this decision go to the National Panel by "
            f"{need(due, 'submission deadline (notification date not recorded)', long_date)} (15 working days after "
            "the notification)" + (f"; sent on {long_date(sent)}." if sent else ".")
        )
        return {"record": {
            "kind": m.kind,
            "date": need(m.day, "date of the deciding meeting", long_date),
            "time": m.start.strftime("%H:%M") if isinstance(m.start, time) else "Not recorded",
            "venue": opt(m.venue, "Not recorded"),
            "chair": need(m.chair, "meeting chair"),
            "attendees": rows,
            "quorate": quorate,
            "declarations": need(m.declarations, "declarations of interest"),
            "discussion": need(rr.discussion, "summary of the discussion"),
            "actions_agreed": actions,
            "to_panel": to_panel,
        }}

    def lcspr(self) -> Context:
        lc, need, opt = self.case.lcspr, self.r.need, self.r.optional
        start = need(lc.scope_from, "start of the LCSPR scope", long_date)
        end = need(lc.scope_to, "end of the LCSPR scope", long_date)
        return {"lcspr": {
            "decision_date": need(self.event("lcspr_decision"), "date the LCSPR was decided", long_date),
            "methodology": need(lc.methodology, "methodology"),
            "methodology_options": self.options(
                self.profile.lists.get("methodologies", []), [lc.methodology] if lc.methodology else []),
            "reviewer": need(lc.reviewer, "reviewer / author"),
            "reviewer_independent": (
                "Yes" if lc.reviewer_independent else "No" if lc.reviewer_independent is False
                else need(None, "whether the reviewer is independent")
            ),
            # The same in words, after the reviewer's name ("Dr Eleanor Vance, independent reviewer").
            "reviewer_standing": (
                "independent reviewer" if lc.reviewer_independent
                else "not independent of the partnership" if lc.reviewer_independent is False
                else need(None, "whether the reviewer is independent")
            ),
            "pseudonym": need(lc.pseudonym, "pseudonym for publication"),
            "scope_period": f"{start} to {end}",
            "key_lines_of_enquiry": list(lc.key_lines_of_enquiry) or [need(None, "key lines of enquiry")],
            "panel": self.attendees(lc.panel, "review panel membership"),
            "family_involvement": need(lc.family_involvement, "family involvement"),
            "practitioner_involvement": opt(lc.practitioner_involvement, "To be agreed by the review panel."),
            "publication_due": need(
                self.due("lcspr_publication"), "publication deadline (LCSPR decision not recorded)", long_date),
            "report_to_panel_due": need(
                self.due("lcspr_report_to_panel"), "report to Panel deadline (LCSPR decision not recorded)",
                long_date),
            "panel_chair": need(lc.panel_chair, "review panel chair"),
            "media_lead": need(lc.media_lead, "media / communications lead"),
            "parallel_processes": opt(lc.parallel_processes, "None known"),
            "reviewer_commissioned": opt(lc.reviewer_commissioned, "Not yet", long_date),
            "reviewer_checks": self._reviewer_checks(),
            "timetable": self._timetable(),
        }}

    def _reviewer_checks(self) -> str:
        """Return the reviewer's commissioning checks in a sentence (000_44eed6501ae43eb6.txt: 4.2, 4.4)."""
        lc = self.case.lcspr
        said = [
            f"conflicts of interest declared: {lc.conflicts_declared}" if lc.conflicts_declared
            else "conflicts of interest not yet declared",
            f"confidentiality agreement signed on {long_date(lc.confidentiality_signed)}" if lc.confidentiality_signed
            else "confidentiality agreement not yet signed",
        ]
        if lc.reviewer_independent:
            said.append(f"name sent to the National Panel on {long_date(lc.reviewer_to_panel)}" if lc.reviewer_to_panel
                        else "name not yet sent to the National Panel")
        text = "; ".join(said)
        return text[0].upper() + text[1:] + "."

    def _timetable(self) -> list[dict[str, str]]:
        """Return the review's meetings and events (panel meetings, practitioner events, briefings) in date order."""
        lc = self.case.lcspr
        found = sorted((m for m in (*lc.panel_meetings, *lc.practitioner_events) if m.day),
                       key=lambda m: (m.day, m.start or time(0)))
        rows = [{"date": f"{long_date(m.day)}" + (f" at {m.start:%H:%M}" if m.start else ""), "what": m.kind,
                 "venue": m.venue or "To be confirmed"} for m in found if m.day]
        # The authors are usually briefed together: one row per briefing, naming every agency at it.
        briefings: dict[str, list[str]] = {}
        for i in lc.imrs:
            if i.briefing:
                briefings.setdefault(long_date(i.briefing) or "", []).append(i.agency)
        rows += [{"date": when, "what": f"IMR author briefing ({', '.join(agencies)})", "venue": "To be confirmed"}
                 for when, agencies in briefings.items()]
        rows.sort(key=lambda r: _sortable(r["date"]))
        return rows or [{"date": self.r.need(None, "review panel meeting dates"), "what": "Review panel meetings",
                         "venue": "—"}]

    def letter(self) -> Context:
        panel = self.profile.bodies.get("national_panel", "Child Safeguarding Practice Review Panel")
        return {"letter": {
            # The day the report goes to the Panel, as the register records it (not the day the letter is made).
            "date": self.r.need(self.event("rr_decision"), "date the report is sent to the National Panel", long_date),
            "addressee": f"The Chair, {panel}",
            "enclosures": [
                "Rapid Review report",
                *(["Rapid Review action plan"] if self.case.actions else []),
                *(["Master chronology"] if self.case.chronology else []),
            ],
        }}


    # -- issue 15: the notification duties, letters, the Panel's reply and the LCSPR to publication ----------
    def duty(self) -> Context:
        n, need, opt = self.case.notification, self.r.need, self.r.optional
        flags = set(self.case.flags)
        sos = [(flag, words) for flag, words in _SOS_OFSTED_DUTIES if flag in flags]
        if self.paper == "duty_notification":
            kind = "; ".join(words for _, words in sos) if sos else need(None, "which notification duty applies")
        elif self.paper == "placing_authority_letter":
            kind = "A child placed in the area by another local authority"
        else:
            kind = ("The death of a looked-after child" if "looked_after_death" in flags
                    else "Serious child safeguarding incident (abuse or neglect known or suspected)")
        due_of = {m: self.due(m) for m in (*(_SOS_MILESTONES[f] for f, _ in sos), "la_notification",
                                           "report_to_partners", "placing_authority_confirmation")}
        sos_due = next((due_of[_SOS_MILESTONES[f]] for f, _ in sos if due_of[_SOS_MILESTONES[f]]), None)
        duties = []
        if "notifying" in flags:
            duties.append(f"Notify the National Panel: by {long_date(due_of['la_notification']) or 'a date not yet set'}")
        for flag, words in sos:
            duties.append(f"Notify the Secretary of State and Ofsted of {words[0].lower()}{words[1:]}: by "
                          f"{long_date(due_of[_SOS_MILESTONES[flag]]) or 'a date not yet set'}")
        if "placed_by_other_la" in flags:
            placing_due = due_of["placing_authority_confirmation"]
            duties.append("Ask the placing authority to notify and confirm it within 24 hours"
                          + (f": by {long_date(placing_due)}" if placing_due else ""))
        if "notifying" in flags and due_of["report_to_partners"]:
            duties.append(f"Report the incident to the safeguarding partners: by {long_date(due_of['report_to_partners'])}")
        care_leaver_only = sos and all(f == "care_leaver_death" for f, _ in sos) and "notifying" not in flags
        regulated = "regulated_setting_death" in flags
        placed = "placed_by_other_la" in flags
        return {"duty": {
            # A care leaver is a young adult (up to 24): the paper does not call them a child.
            "person": "The young person" if care_leaver_only else "The child",
            "each_person": "Young person" if care_leaver_only else "Child",
            "kind": kind,
            "duties": duties or ["None switched on in the register"],
            "information_only": (
                "For information only: a care leaver's death does not lead to a review of any type."
                if care_leaver_only else
                "A Rapid Review follows where the criteria for a notification to the National Panel are met."),
            "abuse_or_neglect": (
                "Notified whether or not abuse or neglect is known or suspected." if sos
                else f"Abuse or neglect known or suspected: {opt(self.case.incident.abuse_or_neglect, 'not recorded')}."),
            "aware": need(self.event("aware"), "date the local authority became aware", long_date),
            "due": (need(sos_due, "notification deadline (date aware not recorded)", long_date) if sos
                    else opt(due_of["la_notification"], "Not set", long_date)),
            "notified": opt(self.event("sos_ofsted_notified"), "Not yet notified", long_date),
            "regulated_setting": need(n.regulated_setting, "regulated setting or service") if regulated
            else NOT_APPLICABLE,
            # The letter to the placing authority always names it, whatever the register's flag says.
            "placing_authority": need(n.placing_authority, "placing local authority")
            if placed or self.paper == "placing_authority_letter" else NOT_APPLICABLE,
            "placing_due": opt(due_of["placing_authority_confirmation"], "Not set by the profile", long_date),
            "placing_confirmed": opt(self.event("placing_confirmed"), "Not yet confirmed", long_date),
            "partners_due": opt(due_of["report_to_partners"], "Not set", long_date),
            "partners_informed": opt(self.event("partners_informed"), "Not yet", long_date),
            "source": self._duty_source(sos, placed),
        }}

    def _duty_source(self, sos: Sequence[tuple[str, str]], placed: bool) -> str:
        """Return where the paper's duty comes from, by document title and section (what an officer reads).

        The national duty first, then the guidance of the partnership's own profile (and of the profiles it
        extends) that sets it out: a Lincolnshire officer is never sent to Kent's guidance.
        """
        lineage = {self.profile.name, *(m.origin for m in self.profile.milestones)}
        if self.paper == "placing_authority_letter" or (placed and not sos and self.paper != "partners_report"):
            return (f"{_KENT_ICS}, Notifications to National Panel (a child placed by another local authority)"
                    if "kent" in lineage else _NATIONAL_DUTIES)
        cited = [_NATIONAL_DUTIES]
        if self.paper == "partners_report":
            cited += [f"{_LINCOLNSHIRE}, Local Authority Notifications – Process 1"] if "lincolnshire" in lineage else []
            return "; ".join(cited)
        cited += [f"{_KENT_PIF}, 2.1 Duty to notify", f"{_KENT_ICS}, Notifications to National Panel"] \
            if "kent" in lineage else []
        cited += [f"{_LINCOLNSHIRE}, Local Authority Notifications – Process 1"] if "lincolnshire" in lineage else []
        cited += [f"{_CUMBRIA}, Rapid Review Process: Notification"] if "cumbria" in lineage else []
        if any(f == "regulated_setting_death" for f, _ in sos) and "kirklees" in lineage:
            cited.append(f"{_KIRKLEES}, What is a Serious Incident that requires KSCP Notification?")
        return "; ".join(cited)

    def correspondence(self) -> Context:
        f, opt = self.case.referral, self.r.optional
        panel = self.profile.bodies.get("national_panel", "Child Safeguarding Practice Review Panel")
        executive = self.profile.bodies.get("executive", "Executive")
        signatory = self.case.rapid_review.signatory or self._signatory()
        copied: list[str] = []
        enclosures: list[str] = []
        if self.paper in ("receipt_letter", "outcome_letter"):
            sent = f.receipt_confirmed if self.paper == "receipt_letter" else f.outcome_letter_sent
            when = sent or self.today
            to = [self.r.need(f.slo_name, "name of the SLO"), self.r.need(f.agency, "referring agency")]
            dear = f.slo_name or "colleague"
            subject = (f"Referral {self.case.ref}: received" if self.paper == "receipt_letter"
                       else f"Referral {self.case.ref}: the {executive}'s decision")
            if self.paper == "outcome_letter":
                copied = [a.name for a in self.case.agencies
                          if a.name and a.name.casefold() != (f.agency or "").casefold()]
        elif self.paper == "placing_authority_letter":
            # Written the day the local authority became aware: the placing authority's 24 hours run from then.
            when = self.event("aware") or self.today
            to = ["The Director of Children's Services",
                  self.r.need(self.case.notification.placing_authority, "placing local authority")]
            dear = "Director"
            subject = f"A child placed in our area: notification to the {panel} ({self.case.ref})"
        elif self.paper == "panel_reply_letter":
            when = self.event("panel_reply") or self.today
            to = ["The Chair", panel]
            dear = "Chair"
            subject = f"Rapid Review {self.case.ref}: our response to the Panel's feedback"
            copied = [executive]
        else:  # the letter enclosing the LCSPR report
            when = self.event("report_to_panel") or self.today
            to = ["The Chair", panel]
            dear = "Chair"
            subject = (f"Local child safeguarding practice review: {opt(self.case.lcspr.pseudonym, 'the child')} "
                       f"({self.case.ref})")
            enclosures = ["The full report of the local child safeguarding practice review",
                          "The publication date and arrangements"]
        return {"correspondence": {
            "date": long_date(day_of(when)) or "",
            "to": to,
            "dear": dear,
            "subject": subject,
            "copied_to": copied or ["None"],
            "signatory": {
                "name": self.r.need(signatory.name, "who signs the letter"),
                "role": self.r.need(signatory.role, "signatory's role"),
                "organisation": self.profile.bodies.get("partnership", "") or opt(signatory.organisation, ""),
            },
            "enclosures": enclosures or ["None"],
        }}

    def panel_reply(self) -> Context:
        pr, need, opt = self.case.panel_reply, self.r.need, self.r.optional
        disagrees = (pr.view or "").casefold() == "disagrees"
        return {"panel_reply": {
            "received": need(self.event("panel_response"), "date the National Panel replied", long_date),
            "view": need(pr.view, "the National Panel's view"),
            "points": list(pr.points) or [need(None, "the National Panel's points")],
            "circulated": opt(pr.circulated, "Not yet", long_date),
            "reconvene_due": (opt(self.due("rr_reconvene"), "Not set by the profile", long_date) if disagrees
                              else "Not applicable: the Panel does not disagree"),
            "reconvened": opt(self.event("rr_reconvened"), "Not yet", long_date),
            "reconvened_decision": need(pr.reconvened_decision, "the decision after reconvening"),
            "reply_due": (opt(self.due("panel_reply"), "Not set by the profile", long_date) if disagrees
                          else NOT_APPLICABLE),
            "reply_sent": opt(self.event("panel_reply"), "Not yet sent", long_date),
        }}

    def lcspr_review(self) -> Context:
        lc, opt = self.case.lcspr, self.r.optional
        imrs = []
        for i in lc.imrs:
            due = i.due
            if i.received:
                state = "Received" + (" late" if due and i.received > day_of(due) else "")
            elif due and day_of(due) < self.today:
                state = "Overdue"
            elif due:
                state = "Awaited"
            else:
                state = "No due date set"
            imrs.append({
                "agency": i.agency, "author": opt(i.author, "Not yet named"),
                "briefing": opt(i.briefing, "To be arranged", short_date), "due": opt(due, "Not set", short_date),
                "qa": f"{short_date(i.qa_sent)}" + (f" ({i.qa_by})" if i.qa_by else "") if i.qa_sent else "Not yet",
                "received": opt(i.received, "Not yet received", short_date), "state": state,
            })
        family = []
        for m in lc.family:
            views = ("Declined to take part" if m.declined
                     else f"{short_date(m.views_heard)}" + (f": {m.views_how}" if m.views_how else "")
                     if m.views_heard else "Not yet")
            family.append({
                "relationship": opt(m.relationship, "Family member"), "told": opt(m.told, "Not yet", short_date),
                "contact": opt(m.contact_agreed, "Not yet agreed"), "support": opt(m.support, "None recorded"),
                "views": views, "report": opt(m.report_shared, "Not yet", short_date),
                "pseudonym": {True: "Yes", False: "No", None: "—"}[m.chose_pseudonym],
            })
        drafts = [{"draft": d.draft or str(n), "received": opt(d.received, "—", short_date),
                   "qa": (f"{d.qa_by or 'Quality assured'}, {short_date(d.qa_date)}" if d.qa_date
                          else opt(d.qa_by, "Not yet")),
                   "agreed": {True: "Yes", False: "No", None: "Not yet"}[d.agreed]} for n, d in enumerate(lc.drafts, 1)]
        events = [f"{short_date(m.day)}" + (f", {m.venue}" if m.venue else "") for m in lc.practitioner_events if m.day]
        none = "None recorded yet"
        return {
            "imrs": imrs or [dict.fromkeys(("agency", "author", "briefing", "due", "qa", "received"), "—")
                             | {"agency": none, "state": "—"}],
            "family_members": family or [dict.fromkeys(("told", "contact", "support", "views", "report", "pseudonym"),
                                                        "—") | {"relationship": none}],
            "drafts": drafts or [{"draft": none, "received": "—", "qa": "—", "agreed": "—"}],
            "practitioner_events": events or ["None held yet"],
        }

    def panel_meeting(self) -> Context:
        lc, need, opt = self.case.lcspr, self.r.need, self.r.optional
        meetings = [m for m in lc.panel_meetings if m.day]
        coming = [m for m in meetings if m.day and m.day >= self.today]
        m = coming[0] if coming else (meetings[-1] if meetings else Meeting("LCSPR panel"))
        number = meetings.index(m) + 1 if m in meetings else len(meetings) + 1
        items = [
            ("Welcome, apologies, declarations of interest and confidentiality", "Chair"),
            ("Notes and actions of the last meeting", "Chair"),
            ("Terms of reference, methodology and timetable", "Business officer"),
            ("Independent Management Reviews: received and outstanding", "Business officer"),
            ("The family's involvement", "Reviewer"),
            ("Practitioner events: what was heard", "Reviewer"),
            ("The reviewer's draft report: quality assurance", "All"),
            ("Recommendations: specific, measurable, achievable, realistic, timed", "All"),
            ("Parallel processes: criminal, coronial and other reviews", "Business officer"),
            ("Publication, the family's sight of the report and communication", "Chair"),
            ("Date of the next meeting", "Chair"),
        ]
        return {"panel_meeting": {
            "date": need(m.day, "review panel meeting date", long_date),
            "time": opt(m.start, "Not recorded", lambda t: t.strftime("%H:%M")),
            "venue": opt(m.venue, "To be confirmed"),
            "chair": need(m.chair or lc.panel_chair, "review panel chair"),
            "number": f"{_ordinal(number)} meeting of the review panel",
            "attendees": self.attendees(m.attendees or lc.panel, "review panel membership"),
            "agenda": [{"number": str(n), "title": title, "lead": lead} for n, (title, lead) in enumerate(items, 1)],
        }}

    def recommendations(self) -> Context:
        need, opt = self.r.need, self.r.optional
        rows = [self._recommendation(r, n) for n, r in enumerate(self.case.lcspr.recommendations, 1)]
        if not rows:
            empty = need(None, "LCSPR recommendations")
            rows = [dict.fromkeys(("number", "owner_agency", "action", "lead", "measure", "due"), "—")
                    | {"recommendation": empty}]
        signed = self.event("lcspr_signoff")
        signer = self.profile.bodies.get("lcspr_signoff") or "the safeguarding partners"
        return {
            "recommendations": rows,
            "recommendations_locked": (
                f"Signed off on {long_date(signed)}: the recommendations do not change without a further meeting of "
                "the review panel." if signed else opt(None, "Not yet signed off: the recommendations may still "
                                                             f"change until the report is signed off by the {signer}.")),
        }

    def _recommendation(self, r: Recommendation, n: int) -> dict[str, str]:
        number = r.number or str(n)
        need = self.r.need
        return {
            "number": number,
            "recommendation": need(r.recommendation, f"wording of recommendation {number}"),
            "owner_agency": need(r.owner_agency, f"agency for recommendation {number}"),
            "action": self.r.optional(r.action, "—"),
            "lead": self.r.optional(r.lead, "To be named"),
            "measure": need(r.measure, f"evidence expected, recommendation {number}"),
            "due": need(r.due, f"due date, recommendation {number}", short_date),
        }

    def publication(self) -> Context:
        lc, need, opt = self.case.lcspr, self.r.need, self.r.optional
        published = self.event("publication")
        online = next((m for m in self.profile.milestones if m.kind == "keep_until" and "publication" in m.anchors),
                      None)
        if online is None:
            online_until = "For at least a year (Working Together to Safeguard Children 2023, chapter 5)"
        else:
            until = self.due(online.id)
            online_until = (f"{online.rule[0].upper()}{online.rule[1:]}"
                            + (f": until {long_date(until)}" if until else "") + f" ({self.profile.title})")
        return {"publication": {
            "signed_off": opt(self.event("lcspr_signoff"), "Not yet", long_date),
            "due": need(self.due("lcspr_publication"), "publication deadline (LCSPR decision not recorded)", long_date),
            "planned": opt(self.event("publication_planned"), "Not yet set", long_date),
            "published": opt(published, "Not yet published", long_date),
            "report_to_panel_due": need(self.due("lcspr_report_to_panel"),
                                        "report to Panel deadline (LCSPR decision not recorded)", long_date),
            "report_to_panel_sent": opt(self.event("report_to_panel"), "Not yet sent", long_date),
            "place": need(lc.publication_place, "where the report is published"),
            "form": need(lc.publication_form, "whether the full report is published"),
            "link": opt(lc.publication_link, "Not yet"),
            "nspcc_sent": opt(lc.nspcc_sent, "Not yet", long_date),
            "online_until": online_until,
            "strategy_agreed": opt(lc.strategy_agreed, "Not yet", long_date),
            "media_lead": need(lc.media_lead, "media / communications lead"),
            "family_seen": self._family_seen(),
            "delay": self._delay(),
            "reviewer_named": need(lc.reviewer, "reviewer / author"),
            "decision": need(lc.report_sections.get("Publication decision"), "the Executive's decision on publication"),
        }}

    def _family_seen(self) -> str:
        """Say whether the family has seen the report before publication (000_44eed6501ae43eb6.txt: 4.6)."""
        taking_part = [m for m in self.case.lcspr.family if not m.declined]
        if not self.case.lcspr.family:
            return self.r.need(None, "the family's involvement (Family involvement sheet)")
        seen = [m for m in taking_part if m.report_shared]
        if taking_part and len(seen) == len(taking_part):
            last = max(m.report_shared for m in seen if m.report_shared)
            return f"Yes: every family member taking part has seen the report (the last on {long_date(last)})."
        if not taking_part:
            return "The family declined to take part; they were told of the publication date."
        missing = ", ".join(m.relationship or "a family member" for m in taking_part if not m.report_shared)
        return f"Not yet: still to see the report: {missing}."

    def _delay(self) -> str:
        """Return why publication is later than 6 months and when the Panel was told, or 'None'."""
        lc = self.case.lcspr
        due = self.due("lcspr_publication")
        published = self.event("publication")
        planned = self.event("publication_planned")
        late = due is not None and (
            (published is not None and day_of(published) > day_of(due))
            or (planned is not None and day_of(planned) > day_of(due))
            or (published is None and day_of(due) < self.today))
        if lc.delay_reasons:
            told = f"told to the National Panel on {long_date(lc.delay_told)}" if lc.delay_told else \
                "not yet told to the National Panel"
            return f"{lc.delay_reasons.rstrip('.')} ({told})."
        if late:
            return self.r.need(None, "reasons for the delay (to the National Panel)")
        return "None: publication is within 6 months of the decision"

    def lcspr_report(self) -> Context:
        lc, need = self.case.lcspr, self.r.need
        sections = lc.report_sections
        family = [p.relationship for p in self.case.family if p.relationship]
        family += ["Sibling" for c in self.case.children[1:]]
        anonymous = self._pseudonymiser()
        return {"lcspr_report": {
            "child": need(lc.pseudonym, "pseudonym for publication"),
            "family_composition": family or ["Not recorded"],
            "agencies": [a.name for a in self.case.agencies if a.name] or [need(None, "agencies involved")],
            "questions": [anonymous(k) for k in lc.key_lines_of_enquiry] or [need(None, "key lines of enquiry")],
            **{key: need(anonymous(sections.get(title)), label) for key, title, label in _REPORT_SECTIONS},
        }}

    def _pseudonymiser(self) -> Callable[[str | None], str | None]:
        """Return a function putting the pseudonym for the children's names, and relationships for the family's.

        A published report names no one in the family (DOMAIN.md 'Sensitive data'; 000_44eed6501ae43eb6.txt:
        4.5 the family chooses the pseudonym): what the register holds in their names is replaced, whole words,
        full names before first names.
        """
        import re

        pseudonym = self.case.lcspr.pseudonym or "the child"
        names: list[tuple[str, str]] = []
        for i, child in enumerate(self.case.children):
            said = pseudonym if i == 0 else "their sibling"
            names += [(n, said) for n in _name_forms(child.name)]
        for person in self.case.family:
            said = f"the {(person.relationship or 'family member').lower()}"
            names += [(n, said) for n in _name_forms(person.name)]
        names.sort(key=lambda pair: -len(pair[0]))
        if not names:
            return lambda text: text
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n, _ in names) + r")\b")
        said_for = dict(names)

        def anonymous(text: str | None) -> str | None:
            return pattern.sub(lambda m: said_for[m.group(1)], text) if text else text

        return anonymous


#: The final report's sections: context key, the Narrative sheet's section, and the marker's label.
_REPORT_SECTIONS = (
    ("executive_summary", "LCSPR executive summary", "executive summary"),
    ("case_summary", "LCSPR summary of the case", "summary of the case"),
    ("family_views", "LCSPR family's views", "the family's views"),
    ("practitioner_views", "LCSPR practitioners' views", "what practitioners told the review"),
    ("analysis", "LCSPR systemic analysis", "systemic analysis"),
    ("findings", "LCSPR findings and learning", "findings and learning"),
    ("improvements", "LCSPR summary of improvements", "summary of recommended improvements"),
    ("conclusion", "LCSPR conclusion", "conclusion"),
)

#: The guidance the duties come from, by title (DOMAIN.md's table: what an officer reads).
_KENT_PIF = "Kent Safeguarding Children Multi-Agency Partnership, Practice Improvement Framework (December 2024)"
_KENT_ICS = ("Kent County Council Integrated Children's Services, guidance following a notification to the National "
             "Panel")
_KIRKLEES = ("Kirklees Safeguarding Children Partnership, Serious Incidents, LCSPRs and other Learning Reviews: a guide "
             "for staff and managers")
_LINCOLNSHIRE = "Lincolnshire Safeguarding Children Partnership, Serious Incident Review Guidance"
_CUMBRIA = "Cumbria Safeguarding Children Partnership, Practice Improvement Framework (October 2019)"
_NATIONAL_DUTIES = "Children Act 2004 s.16C; Working Together to Safeguard Children 2023, chapter 5"

#: The duties to the Secretary of State and Ofsted, by case flag, in words; and the milestone of each.
_SOS_OFSTED_DUTIES = (
    ("looked_after_death", "The death of a looked-after child"),
    ("care_leaver_death", "The death of a care leaver under 25"),
    ("regulated_setting_death", "The death of a child in a regulated setting or service"),
)
_SOS_MILESTONES = {"looked_after_death": "lac_death_notification", "care_leaver_death": "care_leaver_death_notification",
                   "regulated_setting_death": "regulated_setting_death_notification"}


def _name_forms(name: str | None) -> list[str]:
    """Return the ways a person's name appears in text: in full, and their first name (two letters or more)."""
    if not name or not name.strip():
        return []
    parts = name.split()
    return list(dict.fromkeys([name.strip(), *([parts[0]] if len(parts) > 1 and len(parts[0]) > 1 else [])]))


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _sortable(text: str) -> tuple[int, str]:
    """Return a long date's sort key ('3 February 2025 at 10:00'): unparsable text last."""
    try:
        day = datetime.strptime(text.split(" at ")[0], "%d %B %Y")
    except ValueError:
        return (1, text)
    return (0, day.strftime("%Y%m%d") + text)


def _compose(paper: str, case: CaseFile, profile: Profile, today: date | None) -> Filled:
    spec = PAPERS[paper]
    b = _Builder(case, profile, today or date.today(), spec.title, paper)
    context = b.common()
    for group in spec.groups:
        if group == "pack":
            continue
        context.update(getattr(b, group)())
    return Filled(context, b.r.missing)


def referral(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the partner referral form."""
    return _compose("referral", case, profile, today)


def decision(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the recommendation and decision record."""
    return _compose("decision", case, profile, today)


def notification(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the National Panel notification preparation sheet."""
    return _compose("notification", case, profile, today)


def rr_terms_of_reference(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the Rapid Review Terms of Reference."""
    return _compose("rr_terms_of_reference", case, profile, today)


def rr_agenda(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the Rapid Review meeting agenda."""
    return _compose("rr_agenda", case, profile, today)


def master_chronology(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the master chronology paper."""
    return _compose("master_chronology", case, profile, today)


def agency_summaries(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the agency summaries paper."""
    return _compose("agency_summaries", case, profile, today)


def rr_report(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the Rapid Review report (the chronology is appended when there is one)."""
    return _compose("rr_report", case, profile, today)


def submission_letter(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the covering letter to the National Panel."""
    return _compose("submission_letter", case, profile, today)


def rr_action_plan(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the Rapid Review action plan."""
    return _compose("rr_action_plan", case, profile, today)


def lcspr_terms_of_reference(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the LCSPR Terms of Reference."""
    return _compose("lcspr_terms_of_reference", case, profile, today)


def paper_bookmark(number: int) -> str:
    """Return the bookmark on the first page of a pack's paper ``number``, which the contents page refers to."""
    return f"_cfPaper{number}"


def rr_meeting_record(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the Rapid Review meeting record (minutes)."""
    return _compose("rr_meeting_record", case, profile, today)


def _composer(paper: str) -> Callable[[CaseFile, Profile, date | None], Filled]:
    """Return the context builder of a paper made of the shared groups alone (the letters and LCSPR papers)."""

    def build(case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
        return _compose(paper, case, profile, today)

    build.__doc__ = f"Return the context of the {PAPERS[paper].title}."
    return build


def pack_contents(case: CaseFile, profile: Profile, pack: str, today: date | None = None) -> Filled:
    """Return the context of a pack's contents page."""
    filled = _compose("pack_contents", case, profile, today)
    filled.context["pack"] = {
        "title": PACK_TITLES[pack],
        "papers": [
            {"number": str(n), "title": PAPERS[name].title, "bookmark": paper_bookmark(n)}
            for n, name in enumerate(PACKS[pack], 1)
        ],
    }
    return filled


#: The function that builds each paper's context, by paper name.
BUILDERS: dict[str, Callable[[CaseFile, Profile, date | None], Filled]] = {
    "referral": referral,
    "decision": decision,
    "notification": notification,
    "rr_terms_of_reference": rr_terms_of_reference,
    "rr_agenda": rr_agenda,
    "master_chronology": master_chronology,
    "agency_summaries": agency_summaries,
    "rr_meeting_record": rr_meeting_record,
    "rr_report": rr_report,
    "submission_letter": submission_letter,
    "rr_action_plan": rr_action_plan,
    "lcspr_terms_of_reference": lcspr_terms_of_reference,
    **{name: _composer(name) for name in ("receipt_letter", "outcome_letter", "duty_notification", "placing_authority_letter",
                    "partners_report", "panel_reply_letter", "lcspr_panel_agenda", "lcspr_final_report",
                    "publication_signoff", "lcspr_report_letter")},
}


def build(paper: str, case: CaseFile, profile: Profile, today: date | None = None) -> Filled:
    """Return the context of the paper named (a key of :data:`caseforms.papers.fields.PAPERS`)."""
    return BUILDERS[paper](case, profile, today)
