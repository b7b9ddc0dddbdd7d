"""What a paper needs to know about a case: the input model the register adapter fills.

Plain records with dates as ``datetime.date`` (or ``datetime`` where a time matters) and text as
``str``. Every field may be left empty (``None``, or an empty list): the paper then shows a
highlighted "[not recorded: ...]" marker where the value belongs and the marker is listed, so an
officer sees what to fill in. Nothing here knows about Excel or Word.

The register adapter builds one :class:`CaseFile` per case: ``events`` from the register's event
columns (the keys of :data:`caseforms.events.EVENTS`), the people, agencies, meetings and decision
from their sheets, ``chronology`` from the master chronology when one exists, ``actions`` from the
action tracker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass
class Person:
    """A child in the review or someone significant to them (parent, carer, sibling, partner)."""

    name: str | None = None
    #: For a child: "Subject child", "Sibling"; for others their relationship to the child ("Mother").
    relationship: str | None = None
    date_of_birth: date | None = None
    date_of_death: date | None = None
    address: str | None = None
    nhs_number: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    disability: str | None = None
    education: str | None = None
    #: One of the profile's ``legal_statuses`` ("Child protection plan", "Looked after (s20)"...).
    legal_status: str | None = None
    cp_plan_start: date | None = None
    cp_category: str | None = None
    #: The local authority that placed a looked-after child, when it is not this one.
    placing_authority: str | None = None
    #: "Died" or "Seriously harmed" for a child notified to the National Panel.
    harm: str | None = None
    #: Whether the child was known to children's social care, when the register says so in words;
    #: otherwise the papers work it out from the legal status, the plan and looked-after status.
    known_to_social_care: str | None = None
    looked_after: bool | None = None


@dataclass
class Agency:
    """An agency involved with the child or family, and what it sent to the review."""

    name: str
    involvement: str | None = None
    involved_from: date | None = None
    involved_to: date | None = None
    #: The agency's single point of contact / Safeguarding Lead Officer for this review.
    contact_name: str | None = None
    contact_role: str | None = None
    summary_requested: date | None = None
    summary_due: date | datetime | None = None
    summary_received: date | None = None
    summary_author: str | None = None
    #: The agency summary itself (the return's "summary of involvement"), as plain paragraphs.
    summary: str | None = None
    #: The agency summary's answers as received: (question's title, answer), in the order asked.
    summary_answers: list[tuple[str, str]] = field(default_factory=list)
    #: Who signed the agency summary off (name, role, date), as the agency wrote it.
    summary_signed_off: str | None = None
    #: Where the summary came from: "Police agency summary.docx".
    summary_source: str | None = None


@dataclass
class Attendee:
    """Someone at a meeting, on a membership list, or signing a paper."""

    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    #: None when attendance is not recorded yet (an invitation list).
    present: bool | None = None


@dataclass
class Meeting:
    """A meeting of the case: Executive decision, Terms of Reference, Rapid Review, LCSPR panel."""

    #: One of the profile's ``meeting_types``.
    kind: str
    day: date | None = None
    start: time | None = None
    end: time | None = None
    venue: str | None = None
    chair: str | None = None
    attendees: list[Attendee] = field(default_factory=list)
    #: The decision the meeting made (one of the profile's meeting decisions), and how it was made.
    decision: str | None = None
    #: True when the decision makers all agreed; False for a majority decision; None when not recorded.
    unanimous: bool | None = None
    #: The dissenting view, as the minutes record it (000_44eed6501ae43eb6.txt: 3.3).
    dissent: str | None = None
    #: Who dissented ("Police: DI Sarah Quinn"), one per item.
    dissent_by: list[str] = field(default_factory=list)
    declarations: str | None = None
    actions_agreed: list[str] = field(default_factory=list)
    #: True when every decision maker the quorum needs was present; None when attendance is not recorded.
    quorate: bool | None = None
    #: The quorum's roles that were not present (or not recorded as present).
    absent: list[str] = field(default_factory=list)


@dataclass
class Incident:
    """What happened, as the referral and notification describe it."""

    day: date | None = None
    at: time | None = None
    location: str | None = None
    #: True when it happened outside England to a child normally resident in the area.
    outside_england: bool | None = None
    #: "Death" or "Serious harm".
    harm: str | None = None
    #: "Abuse", "Neglect" or "Abuse and neglect" (known or suspected).
    abuse_or_neglect: str | None = None
    #: Items of the profile's ``incident_characteristics`` that apply.
    characteristics: list[str] = field(default_factory=list)
    outline: str | None = None
    immediate_actions: str | None = None
    police_investigation: str | None = None


@dataclass
class Referral:
    """The partner referral (Appendix A of 004_6c96fbcaaedcbdc1.txt)."""

    received: date | None = None
    agency: str | None = None
    slo_name: str | None = None
    telephone: str | None = None
    email: str | None = None
    #: One of the profile's ``pathways`` ("Rapid review", "Learning review"...).
    pathway: str | None = None
    reason: str | None = None
    #: Who in the referring agency agreed the referral ("Dana Whitlock, Head of Service").
    authorised_by: str | None = None
    #: When the referrer was sent confirmation of receipt.
    receipt_confirmed: date | None = None
    #: When the Executive asked the referrer for more information, and what it asked for.
    more_information_requested: date | None = None
    more_information_asked: str | None = None
    #: When the referrer and the agencies involved were sent the outcome.
    outcome_letter_sent: date | None = None


@dataclass
class Decision:
    """The Executive / SIRG recommendation and decision (Appendix D of 004_6c96fbcaaedcbdc1.txt)."""

    discussed: date | None = None
    #: One of the profile's ``decisions``.
    decision: str | None = None
    rationale: str | None = None
    #: The Assurance Executive's (or Executive's) response and its rationale.
    response: str | None = None
    response_date: date | None = None
    attendees: list[Attendee] = field(default_factory=list)
    family_told: str | None = None
    #: How the Executive's decision was made (its meeting's Unanimous, Dissent and Who dissented).
    unanimous: bool | None = None
    dissent: str | None = None
    dissent_by: list[str] = field(default_factory=list)


@dataclass
class Notification:
    """The local authority's notification to the National Panel and who makes it."""

    notifier_name: str | None = None
    notifier_role: str | None = None
    notifier_email: str | None = None
    notifier_phone: str | None = None
    local_authority: str | None = None
    #: The reference the National Panel's system gives the notification.
    panel_reference: str | None = None
    other_children: str | None = None
    secretary_of_state_told: str | None = None
    further_information: str | None = None
    #: The regulated setting or service a child died in.
    regulated_setting: str | None = None
    #: The local authority that placed the child here, when another did.
    placing_authority: str | None = None


@dataclass
class PanelReply:
    """The National Panel's reply to the Rapid Review and, when it disagrees, the group's response."""

    #: "Agrees", "Disagrees" or "Asks for more information" (the profile's ``panel_views``).
    view: str | None = None
    points: list[str] = field(default_factory=list)
    #: When the reply was shared with the statutory partners and the Executive.
    circulated: date | None = None
    #: What the reconvened group decided, and why.
    reconvened_decision: str | None = None


@dataclass
class Imr:
    """An agency's Independent Management Review for an LCSPR (002_cbeaa030473136cf.txt: IMR reports)."""

    agency: str
    author: str | None = None
    briefing: date | datetime | None = None
    requested: date | None = None
    due: date | datetime | None = None
    qa_sent: date | None = None
    qa_by: str | None = None
    received: date | None = None


@dataclass
class FamilyMember:
    """How one family member takes part in an LCSPR: the minimum offer (004_6c96fbcaaedcbdc1.txt)."""

    name: str | None = None
    relationship: str | None = None
    told: date | None = None
    contact_agreed: str | None = None
    support: str | None = None
    views_heard: date | None = None
    views_how: str | None = None
    learning_shared: date | None = None
    publication_told: date | None = None
    report_shared: date | None = None
    chose_pseudonym: bool | None = None
    declined: bool | None = None


@dataclass
class Draft:
    """A draft of the LCSPR report and its quality assurance."""

    draft: str | None = None
    received: date | None = None
    circulated: date | None = None
    qa_by: str | None = None
    qa_date: date | None = None
    comments_sent: date | None = None
    agreed: bool | None = None


@dataclass
class Recommendation:
    """An LCSPR recommendation, SMART, as the register records it."""

    number: str | None = None
    recommendation: str | None = None
    owner_agency: str | None = None
    action: str | None = None
    lead: str | None = None
    measure: str | None = None
    due: date | None = None
    agreed: date | None = None
    changed: date | None = None


@dataclass
class RapidReview:
    """The Rapid Review: Terms of Reference (Appendix E) and report (Appendix G)."""

    partners_informed: date | None = None
    scope_agreed: date | None = None
    scope_from: date | None = None
    scope_to: date | None = None
    chronology_deadline: date | datetime | None = None
    meeting_days: list[date] = field(default_factory=list)
    #: Organisation / sector -> named individual.
    membership: list[Attendee] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    advisers: list[str] = field(default_factory=list)
    sign_off: list[Attendee] = field(default_factory=list)
    independent_chair: str | None = None
    case_summary: str | None = None
    recent_history: str | None = None
    background: str | None = None
    worked_well: str | None = None
    worries: str | None = None
    learning_points: str | None = None
    initial_actions: str | None = None
    #: The Panel's finding against each LCSPR criterion, in the order of ``LCSPR_CRITERIA``.
    criteria_findings: list[str] = field(default_factory=list)
    #: The group's view on the circumstances partners have regard to (000_44eed6501ae43eb6.txt: 3.1).
    circumstances: str | None = None
    #: One of the profile's ``rr_outcomes``.
    outcome: str | None = None
    no_review_reason: str | None = None
    #: Why the group reached its outcome, whatever it is.
    outcome_reason: str | None = None
    #: The meeting that made the decision (the last Rapid Review meeting that records one).
    decision_meeting: Meeting | None = None
    #: When a decision that was not unanimous, or that recommends a national review, went to the Executive.
    executive_informed: date | None = None
    #: The minutes' summary of the discussion.
    discussion: str | None = None
    #: Who signs the covering letter to the National Panel.
    signatory: Attendee | None = None


@dataclass
class Lcspr:
    """A local child safeguarding practice review, as its Terms of Reference set it out."""

    #: One of the profile's ``methodologies``.
    methodology: str | None = None
    reviewer: str | None = None
    reviewer_independent: bool | None = None
    pseudonym: str | None = None
    scope_from: date | None = None
    scope_to: date | None = None
    key_lines_of_enquiry: list[str] = field(default_factory=list)
    panel: list[Attendee] = field(default_factory=list)
    family_involvement: str | None = None
    practitioner_involvement: str | None = None
    # Issue 15: the review's lifecycle (the register's LCSPR, IMRs, Family involvement, Report drafts and
    # LCSPR recommendations sheets; the LCSPR panel meetings and practitioner events on Meetings).
    reviewer_commissioned: date | None = None
    conflicts_declared: str | None = None
    confidentiality_signed: date | None = None
    reviewer_to_panel: date | None = None
    panel_chair: str | None = None
    media_lead: str | None = None
    parallel_processes: str | None = None
    #: The review panel's meetings, planned and held, in date order.
    panel_meetings: list[Meeting] = field(default_factory=list)
    practitioner_events: list[Meeting] = field(default_factory=list)
    imrs: list[Imr] = field(default_factory=list)
    family: list[FamilyMember] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    substantial_changes: str | None = None
    panel_reconvened: date | None = None
    strategy_agreed: date | None = None
    publication_place: str | None = None
    publication_form: str | None = None
    publication_link: str | None = None
    nspcc_sent: date | None = None
    delay_reasons: str | None = None
    delay_told: date | None = None
    taken_down: date | None = None
    #: The final report's sections as the register's Narrative sheet holds them (title -> text).
    report_sections: dict[str, str] = field(default_factory=dict)


@dataclass
class ChronologyRow:
    """One row of the master chronology (Appendix F of 004_6c96fbcaaedcbdc1.txt)."""

    when: date | datetime | None = None
    source: str | None = None
    agency: str | None = None
    subjects: str | None = None
    contact_type: str | None = None
    by_whom: str | None = None
    details: str | None = None
    analysis: str | None = None
    #: The date as the agency wrote it, shown instead of ``when`` when only the month or year is known
    #: ("March 2024", "2019"): ``when`` then holds its first day, for the order.
    when_text: str | None = None
    #: The department or team within the agency ("Front Door"), when the return names one.
    department: str | None = None
    #: What the merge flagged about the entry ("Date in the future; Background: before the scope period").
    flags: str | None = None
    #: False when the entry's date must not be used for anything worked out: flagged, approximate or uncertain.
    date_trusted: bool = True
    #: The entry's number in the master chronology.
    entry: int | None = None
    #: What the officer typed in the master's "Key episode" column: the entry is a key episode, and this its label.
    key_episode: str | None = None


@dataclass
class ChronologyFinding:
    """Something the merge flagged that still stands: where, and what to do."""

    place: str
    message: str
    severity: str = "warning"


@dataclass
class Action:
    """An action of a Rapid Review action plan or an LCSPR recommendation."""

    number: str | None = None
    learning_point: str | None = None
    action: str | None = None
    owner_agency: str | None = None
    lead: str | None = None
    due: date | None = None
    #: One of the profile's ``action_statuses``.
    status: str | None = None
    last_update: date | None = None
    evidence: str | None = None


@dataclass
class CaseFile:
    """Everything the papers of one case draw on."""

    ref: str
    status: str | None = None
    #: Event key (see :data:`caseforms.events.EVENTS`) -> date or date and time.
    events: dict[str, date | datetime] = field(default_factory=dict)
    #: Case flags (:data:`caseforms.profile.FLAGS`) that make conditional deadlines apply.
    flags: list[str] = field(default_factory=list)
    children: list[Person] = field(default_factory=list)
    family: list[Person] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    incident: Incident = field(default_factory=Incident)
    referral: Referral = field(default_factory=Referral)
    decision: Decision = field(default_factory=Decision)
    notification: Notification = field(default_factory=Notification)
    rapid_review: RapidReview = field(default_factory=RapidReview)
    panel_reply: PanelReply = field(default_factory=PanelReply)
    lcspr: Lcspr = field(default_factory=Lcspr)
    chronology: list[ChronologyRow] = field(default_factory=list)
    #: True once a master chronology has been merged (even an empty one): involvement periods come from it.
    chronology_merged: bool = False
    #: The merge's findings that still stand (the entry is still flagged, or the file still not merged).
    chronology_findings: list[ChronologyFinding] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    #: The officer producing the papers (document control "author").
    author: str | None = None
    version: str = "1.0"
    #: Everyone on the register's Agencies sheet (name, job title as role, agency as organisation): the
    #: papers find the letter's signatory here by the job title the profile names.
    contacts: list[Attendee] = field(default_factory=list)
