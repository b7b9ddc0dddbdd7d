"""The register's one schema: sheets, columns, types, stages, dropdown lists and widths.

The workbook (``caseforms.io.register_xlsx``), the reader (:mod:`caseforms.register.reading`)
and the checks (:mod:`caseforms.register.validation`) all come from here, so a column added here
appears in the workbook, is read back and can be checked without touching anything else.

The schema depends on the profile: the Cases sheet carries one due-date column per milestone of
the profile, and the Meetings sheet one attendance column per role its quorum needs.

Column keys are a contract: later issues (the returns log, the action tracker, paper contexts)
read records by these keys. Add columns; do not rename keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from caseforms.chronology.agencies import OFFICER_FILES
from caseforms.profile import Milestone, Profile

#: Bump when a change to the schema means an older register needs converting.
REGISTER_FORMAT = 1

# Column kinds. Input kinds are typed by the officer; formula kinds are computed by Excel.
TEXT = "text"
DATE = "date"
CHOICE = "choice"
EMAIL = "email"
NHS_NUMBER = "nhs_number"
PHONE = "phone"
DUE = "due"  # a milestone's due date: an Excel formula over the case's event dates
QUORATE = "quorate"  # Yes/No formula over the attendance columns
COMPUTED = "computed"  # a value caseforms writes (the tracker's BRAG rating), never typed
FORMULA_KINDS = frozenset({DUE, QUORATE, COMPUTED})

CASES = "Cases"
PEOPLE = "People"
AGENCIES = "Agencies"
MEETINGS = "Meetings"
RETURNS_LOG = "Returns log"
NARRATIVE = "Narrative"
CHARACTERISTICS = "Characteristics"
# Issue 15: the LCSPR's lifecycle, a sheet each (one row per case, per agency, per family member...).
LCSPR = "LCSPR"
IMRS = "IMRs"
FAMILY = "Family involvement"
DRAFTS = "Report drafts"
RECOMMENDATIONS = "LCSPR recommendations"
# Issue 21: who each person of a case is called in what is published.
GLOSSARY = "Glossary"
LISTS = "Lists"
BANK_HOLIDAYS = "Bank holidays"
INSTRUCTIONS = "Instructions"
SETTINGS = "Settings"
CHECKS = "Checks"

#: The sections of text that belong to a case rather than to one paper (the Narrative sheet's
#: "Section" column): the papers that show a section fill it from here, and a paper's own edits in
#: Word win over the register for that paper. Titles as the Rapid Review report's headings
#: (004_6c96fbcaaedcbdc1.txt: Appendix G); the criteria as Working Together's
#: (000_44eed6501ae43eb6.txt: 3.1 Purpose of Rapid Reviews).
NARRATIVE_SECTIONS = (
    "Case summary", "Recent history", "Background", "What worked well", "What we are worried about",
    "Provisional learning points", "Initial actions",
    "Criterion 1: improvements needed", "Criterion 2: recurrent themes", "Criterion 3: agencies working together",
    "Criterion 4: the National Panel's view", "Circumstances had regard to",
    "Report authors", "Report advisers", "Report signed off by", "Independent chair / scrutineer",
    "Summary of the discussion", "Executive's response and rationale", "Practitioner involvement",
    # Issue 15: the LCSPR final report's sections and the Executive's decision on publication.
    "LCSPR executive summary", "LCSPR summary of the case", "LCSPR family's views", "LCSPR practitioners' views",
    "LCSPR systemic analysis", "LCSPR findings and learning", "LCSPR summary of improvements", "LCSPR conclusion",
    "Publication decision",
)

#: Lists the register adds to the profile's own (the profile's win when both define one).
REGISTER_LISTS: dict[str, list[str]] = {
    "person_roles": [
        "Child (subject of the review)", "Sibling", "Mother", "Father", "Parent", "Step-parent", "Carer",
        "Partner of parent", "Grandparent", "Other family member", "Significant other", "Alleged perpetrator",
    ],
    # The notification criteria: Children Act 2004 s16C(1); DOMAIN.md 'Eligibility rules'.
    "harm_kinds": ["Death", "Serious harm"],
    "abuse_or_neglect": ["Abuse", "Neglect", "Abuse and neglect"],
    "narrative_sections": list(NARRATIVE_SECTIONS),
    # Issue 21: the Glossary sheet's kinds of person (caseforms.publication.glossary.KINDS).
    "glossary_kinds": ["child", "sibling", "parent", "family member", "other adult", "professional", "school", "place",
                       "other"],
}


#: Person roles that make a person a subject child of the review (the age rules apply to them).
CHILD_ROLES = frozenset({"Child (subject of the review)"})

#: The order the Lists sheet shows the dropdown lists in.
LIST_ORDER = (
    "case_statuses", "pathways", "decisions", "rr_outcomes", "methodologies", "incident_characteristics",
    "harm_kinds", "abuse_or_neglect", "person_roles", "genders", "legal_statuses", "cp_categories", "yes_no",
    "meeting_types", "meeting_roles",
    "meeting_decisions", "contact_types", "action_statuses", "narrative_sections",
    "panel_views", "publication_places", "publication_forms",
    "glossary_kinds",
)

#: Case statuses after which a case has no live deadlines (closed or not taken forward).
CLOSED_STATUSES = frozenset({"Closed", "Not notified: closed"})


@dataclass(frozen=True)
class Stage:
    """A point in a case's life from which more of its row must be filled in."""

    key: str
    #: How a message names it: "Required once the executive decision date is recorded".
    when: str
    source: str


#: The stages in the order a case reaches them. When a case is at a stage is decided by
#: :meth:`caseforms.register.records.Case.stages` from the row itself.
STAGES: tuple[Stage, ...] = (
    Stage("referral", "for every case", "DOMAIN.md 'The pathway' step 1 (referral)"),
    Stage("decided", "once the executive's decision date is recorded",
          "DOMAIN.md 'The pathway' step 2; 000_44eed6501ae43eb6.txt: 2.3 Referral to KSCMP"),
    Stage("notified", "once the decision is to notify the National Panel",
          "DOMAIN.md 'The pathway' step 3; Children Act 2004 s16C(1)"),
    Stage("rr_decided", "once the Rapid Review decision date is recorded",
          "DOMAIN.md 'The pathway' step 4; 004_6c96fbcaaedcbdc1.txt: Appendix G"),
    Stage("lcspr", "once an LCSPR is decided",
          "DOMAIN.md 'The pathway' step 5; 000_44eed6501ae43eb6.txt: 4 LCSPRs"),
    Stage("published", "once the LCSPR is published", "DOMAIN.md 'The pathway' step 5 (sign-off, publication)"),
    Stage("closed", "once the case is closed", "DOMAIN.md 'The pathway' step 6 (a case closes when its action plan is complete)"),
    # Issue 15: added at the end (the keys are a contract); records.PATHWAY_ORDER puts them in the pathway's order.
    Stage("panel_replied", "once the National Panel's reply is recorded",
          "000_44eed6501ae43eb6.txt: 3.3 Rapid Review outcomes (the CSPRP responds, agreeing or not)"),
    Stage("reconvened", "once the Rapid Review group has reconvened after the Panel disagreed",
          "000_44eed6501ae43eb6.txt: 3.3 Rapid Review outcomes (the group is reconvened to consider the feedback)"),
    Stage("signed_off", "once the LCSPR report is signed off",
          "000_44eed6501ae43eb6.txt: 4.2 How LCSPRs are conducted in Kent (sign-off by the Executive)"),
)
STAGE_KEYS = tuple(s.key for s in STAGES)


@dataclass(frozen=True)
class Column:
    """One column of a register sheet."""

    key: str
    header: str
    kind: str = TEXT
    width: float = 16
    #: The dropdown list (a key of the Lists sheet) for choice columns.
    list_name: str | None = None
    #: The stage from which the column must be filled in.
    required_at: str | None = None
    #: The event of :mod:`caseforms.events` this date column records.
    event: str | None = None
    #: The case flag (``caseforms.profile.FLAGS``) a Yes in this column sets (or ``flag_value``).
    flag: str | None = None
    #: The value that sets the flag: "Yes" unless the column is a list ("Disagrees").
    flag_value: str = "Yes"
    #: What to type, for the Instructions sheet and Excel's input message.
    note: str = ""
    milestone: Milestone | None = None
    #: For attendance columns: the meeting role whose presence the column records.
    role: str | None = None
    #: Added after registers were in use (optional, for the papers): a register without the column
    #: reads it as empty, with no finding; the papers say where to add it when a value is needed.
    added_later: bool = False

    @property
    def is_input(self) -> bool:
        return self.kind not in FORMULA_KINDS


@dataclass(frozen=True)
class Sheet:
    """One sheet of records, laid out as an Excel table with its headers on row 1."""

    name: str
    #: The Excel table's name (no spaces: Excel's rule).
    table: str
    purpose: str
    columns: tuple[Column, ...]
    #: Rows the shipped and initial workbook lay out (formulas and validation filled in).
    rows: int = 300
    #: Added after registers were in use: a register without the sheet reads it as empty, with no
    #: finding; the command that first writes to it adds it.
    added_later: bool = False

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.name} has no column '{key}'")

    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@dataclass(frozen=True)
class RegisterSchema:
    """The register for one profile: its record sheets and its dropdown lists."""

    profile_name: str
    sheets: tuple[Sheet, ...]
    lists: dict[str, list[str]] = field(default_factory=dict)
    due_soon_working_days: int = 2
    #: What messages call the workbook: the same reader serves the register and the action tracker.
    workbook: str = "register"

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(f"the register has no sheet '{name}'")

    @property
    def cases(self) -> Sheet:
        return self.sheet(CASES)

    def event_columns(self) -> dict[str, Column]:
        """Return the Cases column that records each event, by event key."""
        return {c.event: c for c in self.cases.columns if c.event}


def role_key(role: str) -> str:
    """Return the column key of a meeting role's attendance: 'Health (ICB)' -> 'present_health_icb'."""
    return "present_" + re.sub(r"[^a-z0-9]+", "_", role.lower()).strip("_")


def _yes_no(key: str, header: str, note: str = "", **kw: Any) -> Column:
    return Column(key, header, CHOICE, 12, "yes_no", note=note, **kw)


def _date(key: str, header: str, note: str = "", **kw: Any) -> Column:
    return Column(key, header, DATE, 13, note=note, **kw)


def _later(key: str, header: str, width: float, note: str, kind: str = TEXT, list_name: str | None = None,
           **kw: Any) -> Column:
    """Return an optional column added for the papers after registers were in use."""
    return Column(key, header, kind, width, list_name, note=note, added_later=True, **kw)


#: Issue 15: the referral's loop, the other notification duties, the National Panel's reply and the LCSPR's
#: dates the deadlines count from. At the end of the Cases sheet and optional, as every column added later.
_PATHWAY_CASE_COLUMNS = (
    _later("referral_authorised_by", "Referral authorised by (name, role)", 26,
           "Who in the referring agency agreed the referral (its Executive representative or senior safeguarding "
           "lead in Kent, 2.3; the agency's SLO in Lincolnshire, Process 2), e.g. 'Dana Whitlock, Head of Service'."),
    _later("receipt_confirmed_date", "Receipt confirmed to referrer", 14,
           "When the referrer was sent confirmation that the referral was received (Kent: Practice Improvement "
           "Framework 2.3).", kind=DATE),
    _later("more_info_date", "More information requested on", 14,
           "When the Executive asked the referrer for more information before deciding (Lincolnshire: Appendix B). "
           "The decision, when made, goes in 'Executive decision'.", kind=DATE, event="more_information"),
    _later("more_info_asked", "More information asked for", 30, "What the referrer was asked to provide."),
    _later("outcome_letter_date", "Outcome letter sent", 14,
           "When the referrer and the agencies involved were told the decision (Kent 2.3; Cumbria: Decision "
           "making).", kind=DATE),
    _later("domestic_abuse", "Domestic abuse known or suspected", 14,
           "Yes when domestic abuse is known or suspected in the family: Kent's Rapid Review then invites a "
           "domestic abuse specialist.", kind=CHOICE, list_name="yes_no"),
    _later("care_leaver_death", "Care leaver died (under 25)", 14,
           "Yes for the death of a care leaver before their 25th birthday: the Secretary of State and Ofsted are "
           "notified, for information only (no review).", kind=CHOICE, list_name="yes_no", flag="care_leaver_death"),
    _later("regulated_setting_death", "Died in a regulated setting", 14,
           "Yes when a child died in a regulated setting or service, whether or not abuse or neglect is known or "
           "suspected (Kirklees guidance).", kind=CHOICE, list_name="yes_no", flag="regulated_setting_death"),
    _later("regulated_setting", "Regulated setting or service", 24, "The setting or service, e.g. a children's home."),
    _later("sos_ofsted_date", "Secretary of State and Ofsted notified", 14,
           "When the Secretary of State and Ofsted were notified (a looked-after child's or a care leaver's death, "
           "a death in a regulated setting).", kind=DATE, event="sos_ofsted_notified"),
    _later("placing_confirmed_date", "Placing LA confirmed it will notify", 16,
           "When the placing local authority confirmed it will notify (add the time: dd/mm/yyyy hh:mm). If it "
           "does not within 24 hours, this authority notifies.", kind=DATE, event="placing_confirmed"),
    _later("panel_view", "National Panel's view", 18, "Whether the National Panel agrees with the Rapid Review's "
           "decision. 'Disagrees' opens the reconvened meeting and the reply.", kind=CHOICE, list_name="panel_views",
           flag="panel_disagrees", flag_value="Disagrees"),
    _later("panel_points", "National Panel's points", 36, "What the Panel said, one point per line (Alt+Enter)."),
    _later("panel_circulated_date", "Panel's reply circulated", 14,
           "When the Panel's reply was shared with the statutory partners and the Executive.", kind=DATE),
    _later("rr_reconvened_date", "Rapid Review group reconvened", 14,
           "When the group met again to consider the Panel's feedback.", kind=DATE, event="rr_reconvened"),
    _later("reconvened_decision", "Decision after reconvening", 30,
           "What the reconvened group decided and why: the decision stands, or the new outcome (update 'Rapid "
           "Review outcome' too)."),
    _later("panel_reply_date", "Reply sent to National Panel", 14, "When the letter back to the Panel was sent.",
           kind=DATE, event="panel_reply"),
    _later("report_to_panel_date", "Full LCSPR report sent to Panel", 14,
           "When the full report went to the National Panel: at least 7 working days before publication.",
           kind=DATE, event="report_to_panel"),
    _later("publication_planned_date", "Planned publication date", 14,
           "The date publication is planned for; 'Publication date' is the day it was published.", kind=DATE,
           event="publication_planned"),
    # Issue 21: the annual report lists each Rapid Review that missed its 15 working days with the reason recorded.
    _later("rr_late_reason", "Reason Rapid Review was late", 28,
           "Why the Rapid Review went to the National Panel more than 15 working days after the notification (the "
           "annual report lists it with the case)."),
)


#: Shipped milestones added after registers were in use (issue 15): a register made before has no due-date column
#: for them, which is not a finding; caseforms works them out all the same (`caseforms deadlines`).
MILESTONES_ADDED_LATER = frozenset({
    "report_to_partners", "lac_death_notification", "care_leaver_death_notification",
    "regulated_setting_death_notification", "rr_reconvene", "panel_reply",
})


def _case_columns(profile: Profile) -> tuple[Column, ...]:
    inputs = (
        Column("case_ref", "Case reference", width=16, required_at="referral",
               note="The partnership's own reference, unique to the case, e.g. SCP-2025-014. It names the case's "
                    "folder and appears in calendars instead of the child's name."),
        Column("status", "Status", CHOICE, 26, "case_statuses", required_at="referral"),
        Column("officer", "Business officer", width=18, note="Who in the Business Unit runs the case."),
        Column("referring_agency", "Referring agency", width=22, required_at="referral"),
        Column("referrer_name", "Referrer (SLO) name", width=20),
        Column("referrer_phone", "Referrer telephone", PHONE, 16),
        Column("pathway", "Pathway asked for", CHOICE, 20, "pathways"),
        _date("incident_date", "Date of incident", event="incident", required_at="notified",
              note="Add a time (dd/mm/yyyy hh:mm) when an hour-based rule counts from it."),
        _date("aware_date", "Date LA became aware", event="aware", required_at="notified",
              note="The day the local authority learned of the incident: the 5 working days to notify count from here."),
        _date("referral_date", "Date referral received", event="referral", required_at="referral"),
        Column("incident_characteristic", "Incident characteristic", CHOICE, 24, "incident_characteristics",
               note="The incident's main characteristic. When several apply, list each on the Characteristics sheet."),
        _yes_no("placed_by_other_la", "Placed by another LA", flag="placed_by_other_la"),
        _yes_no("unexpected_death", "Unexpected death", flag="unexpected_death"),
        _yes_no("homicide", "Homicide", flag="homicide"),
        _yes_no("looked_after_death", "Looked-after child died", flag="looked_after_death"),
        _date("decision_date", "Executive decision date", event="decision"),
        Column("decision", "Executive decision", CHOICE, 26, "decisions", required_at="decided"),
        Column("decision_rationale", "Decision rationale", width=30, required_at="decided"),
        _yes_no("family_told", "Family told of notification"),
        _date("notified_date", "Date National Panel notified", event="notified"),
        Column("late_notification_reason", "Reason notification was late", width=28,
               note="Required when the National Panel was notified more than 5 working days after the LA became aware."),
        _date("rr_meeting_date", "Rapid Review meeting date", event="rr_meeting", required_at="rr_decided"),
        _date("rr_decision_date", "Rapid Review decision sent to Panel", event="rr_decision"),
        Column("rr_outcome", "Rapid Review outcome", CHOICE, 26, "rr_outcomes", required_at="rr_decided"),
        _date("panel_response_date", "National Panel response date", event="panel_response",
              note="When the National Panel replied to the Rapid Review; its view goes in 'National Panel's view'."),
        _date("lcspr_decision_date", "LCSPR decision date", event="lcspr_decision", required_at="lcspr"),
        Column("methodology", "LCSPR methodology", CHOICE, 22, "methodologies"),
        Column("reviewer", "LCSPR reviewer / author", width=22, required_at="published"),
        _yes_no("reviewer_independent", "Reviewer independent"),
        _date("signoff_date", "LCSPR sign-off date", required_at="published", event="lcspr_signoff",
              note="When the Executive signed the final report off: its recommendations do not change after it."),
        _date("publication_date", "Publication date", event="publication"),
        _date("closed_date", "Date closed", required_at="closed"),
        Column("notes", "Notes", width=30),
        # For the papers (issue 6): added after registers were in use, so at the end and optional.
        _later("referral_reason", "Reason for referral", 30,
               "Why the partner refers: what happened and why it may meet the criteria (partner referral form)."),
        _later("incident_location", "Incident location", 26,
               "Where it happened (address or place), for the referral form and the notification."),
        _later("harm", "Death or serious harm", 16, "Whether the child died or was seriously harmed.",
               kind=CHOICE, list_name="harm_kinds"),
        _later("abuse_or_neglect", "Abuse or neglect", 18, "Whether abuse, neglect or both are known or suspected.",
               kind=CHOICE, list_name="abuse_or_neglect"),
        _later("incident_outline", "Incident outline", 40,
               "What happened, in a few sentences. A blank line (Alt+Enter twice) starts a new paragraph in the papers."),
        _later("immediate_actions", "Immediate safeguarding actions", 36,
               "What was done at once to keep the child and any siblings safe."),
        _later("police_investigation", "Police investigation", 22, "Whether there is a police investigation, and its name."),
        _later("placing_authority", "Placing local authority", 22,
               "The local authority that placed the child, when 'Placed by another LA' is Yes."),
        _later("notifier_name", "Notified by", 20,
               "Who made the notification. Their job title, e-mail and telephone come from the Agencies sheet "
               "when they are listed there (Single point of contact or Deputy contact)."),
        _later("panel_reference", "National Panel reference", 18,
               "The reference the National Panel's system gives the notification."),
        _later("partners_informed_date", "Date partnership informed", 13,
               "When the local authority reported the incident to the safeguarding partners (within 5 working days "
               "of becoming aware) and the wider partnership was told of the Rapid Review.", kind=DATE,
               event="partners_informed"),
        _later("agencies_involved", "Agencies involved", 30,
               "The agencies asked to contribute, one per line (Alt+Enter) or separated by ';', named as on the "
               "Agencies sheet. Add what each did after a colon: 'Police: two domestic abuse call-outs'."),
        _later("scope_from", "Scope from", 13,
               "Start of the Rapid Review's scope period. The LCSPR's Terms of Reference use it too.", kind=DATE),
        _later("scope_to", "Scope to", 13, "End of the scope period.", kind=DATE),
        _later("scope_agreed_date", "Scope agreed on", 13, "When the statutory partners agreed the scope.", kind=DATE),
        _later("chronology_deadline", "Chronologies due back", 15,
               "When agency chronologies and summaries are due back; add the time: dd/mm/yyyy hh:mm.", kind=DATE),
        _later("rr_outcome_reason", "Reason for the outcome", 30,
               "Why the Rapid Review reached its outcome; the report needs it when there is no further review."),
        _later("pseudonym", "Pseudonym", 14, "The name used for the child in published material, e.g. 'Child Z'."),
        _later("key_lines_of_enquiry", "Key lines of enquiry", 36, "The LCSPR's key lines of enquiry, one per line (Alt+Enter)."),
        _later("family_involvement", "Family involvement", 30, "How the family will be involved in the LCSPR."),
        # Issue 7: written by the tracker, so optional like the papers' columns.
        _later("action_plan_complete", "RR action plan complete", 12,
               "Written by 'caseforms tracker --register': Yes when every Rapid Review action of the case is "
               "complete, evidenced and signed off, so the case can be closed.", kind=CHOICE, list_name="yes_no"),
        # Issue 14: the decision as it was made.
        _later("rr_executive_date", "RR decision shared with Executive", 14,
               "When a Rapid Review decision that was not unanimous, or that recommends a national review, was "
               "shared with the Executive before the National Panel (Kent: Practice Improvement Framework 3.3).",
               kind=DATE),
        *_PATHWAY_CASE_COLUMNS,
    )
    dues = tuple(
        Column(
            f"due_{m.id}", f"Due: {m.label}", DUE, 15 if m.unit != "hours" and m.at is None else 17,
            milestone=m, note=f"{m.rule} ({m.source})", added_later=m.id in MILESTONES_ADDED_LATER,
        )
        for m in profile.milestones
    )
    return inputs + dues


_PEOPLE = (
    Column("case_ref", "Case reference", width=16, required_at="referral"),
    Column("role", "Role in the case", CHOICE, 24, "person_roles", required_at="referral"),
    Column("name", "Name", width=22, required_at="referral"),
    Column("relationship", "Relationship to child", width=20),
    _date("date_of_birth", "Date of birth"),
    _date("date_of_death", "Date of death"),
    Column("nhs_number", "NHS number", NHS_NUMBER, 14, note="Ten digits; spaces allowed (999 000 0018)."),
    Column("gender", "Gender", CHOICE, 11, "genders"),
    Column("ethnicity", "Ethnicity", width=16),
    _yes_no("disability", "Disability"),
    Column("education", "Education provision", width=20),
    Column("legal_status", "Legal status at incident", CHOICE, 22, "legal_statuses"),
    _yes_no("looked_after", "Looked after"),
    _yes_no("care_leaver", "Care leaver"),
    _yes_no("cp_plan", "Child protection plan"),
    _date("cp_plan_start", "CP plan start date"),
    Column("cp_category", "CP plan category", CHOICE, 16, "cp_categories"),
    Column("address", "Address", width=28),
    Column("notes", "Notes", width=24),
)

_AGENCIES = (
    Column("agency", "Agency", width=26, required_at="referral"),
    Column("spoc_name", "Single point of contact", width=24),
    Column("job_title", "Job title", width=22),
    Column("email", "E-mail", EMAIL, 28),
    Column("phone", "Telephone", PHONE, 16),
    Column("deputy_name", "Deputy contact", width=20),
    Column("deputy_email", "Deputy e-mail", EMAIL, 28),
    Column("notes", "Notes", width=24),
    _later("other_names", "Also known as", 30,
           "Other names the agency goes by in its returns, separated by ';': 'Lincolnshire Police; Constabulary', "
           "'CSC; Children's Services'. caseforms tells which agency sent a return by these names too."),
)


def _meeting_columns(profile: Profile) -> tuple[Column, ...]:
    roles = [str(r) for r in profile.rapid_review_meeting.get("required_roles", [])]
    present = tuple(
        _yes_no(role_key(r), f"Present: {r}", role=r, note="Yes when the decision maker or a nominated representative attended.")
        for r in roles
    )
    return (
        Column("case_ref", "Case reference", width=16, required_at="referral"),
        Column("meeting_type", "Meeting", CHOICE, 22, "meeting_types", required_at="referral"),
        _date("meeting_date", "Meeting date", required_at="referral",
              note="Add the start time for the agenda: dd/mm/yyyy hh:mm."),
        Column("chair", "Chair", width=18),
        *present,
        Column("other_attendees", "Other attendees (role: name)", width=30),
        Column("quorate", "Quorate", QUORATE, 10, note="Worked out from the attendance columns."),
        Column("decision", "Decision", CHOICE, 28, "meeting_decisions"),
        _yes_no("unanimous", "Unanimous"),
        Column("dissent", "Dissent recorded", width=30, note="Who disagreed and why, when the decision was not unanimous."),
        Column("notes", "Notes", width=24),
        _later("venue", "Venue", 22, "Where the meeting is held, or the link to join it."),
        _later("decision_makers", "Decision makers (role: name)", 32,
               "Who represented each statutory partner, one per line or separated by ';': "
               "'Police: DCI Priya Mehta (Thornbury Police)'. The Present columns say whether they attended."),
        # Issue 14: the meeting record (minutes).
        _later("dissent_by", "Who dissented", 24,
               "The decision maker(s) who disagreed, as role: name, one per line: 'Police: DI Sarah Quinn'. Their "
               "reasons go in 'Dissent recorded'."),
        _later("declarations", "Declarations of interest", 30,
               "Conflicts of interest declared at the meeting, or 'None'."),
        _later("actions_agreed", "Actions agreed", 36,
               "The actions the meeting agreed, one per line (Alt+Enter), until they are in the action tracker."),
    )


#: The returns log (issue 5): one row per agency asked for a chronology, written by
#: 'caseforms chronology request' and 'caseforms chronology status'.
_RETURNS_LOG = (
    Column("case_ref", "Case reference", width=16),
    Column("agency", "Agency", width=26, note="Named as on the Agencies sheet."),
    _date("requested_on", "Requested on"),
    _date("due", "Due back", note="Date and time the chronology is due back (dd/mm/yyyy hh:mm)."),
    _date("received_on", "Received on", note="When the return was found in the case's returns folder."),
    Column("file", "File", width=30, note="The return's file in cases/<case>/returns."),
    Column("rows", "Rows", width=8, note="Entries the return holds."),
    Column("findings", "Findings", width=36, note="What the merge will flag in the return."),
    _yes_no("late", "Late", note="Yes when it came back after the deadline, or is overdue."),
    _date("chased_on", "Chased on", note="When a reminder was drafted ('caseforms chronology status --chase')."),
    Column("notes", "Notes", width=24),
    _later("officer_files", OFFICER_FILES, 30,
           "When caseforms cannot tell which agency sent a return, type the return's file name here, in that "
           "agency's row (several separated by ';'). The merge, the papers and 'chronology status' then take your "
           "word for it. caseforms never writes in this column."),
)

#: Text that belongs to a case, not to one paper (issue 14): one row per case and section.
_NARRATIVE = (
    Column("case_ref", "Case reference", width=16),
    Column("section", "Section", CHOICE, 30, "narrative_sections",
           note="Which part of the papers the text is: the case summary goes in the Rapid Review report and the "
                "covering letter."),
    Column("text", "Text", width=90,
           note="What the papers say in that section. A blank line (Alt+Enter twice) starts a new paragraph. "
                "Text written in a paper in Word wins over this for that paper."),
)

#: The incident characteristics of a case, all that apply (004_6c96fbcaaedcbdc1.txt: Appendix D,
#: "select all that apply"): one row per case and characteristic.
_CHARACTERISTICS = (
    Column("case_ref", "Case reference", width=16),
    Column("characteristic", "Characteristic", CHOICE, 40, "incident_characteristics",
           note="One characteristic of the incident (suspected or actual); add a row for each that applies."),
    Column("notes", "Notes", width=30),
)


#: The LCSPR's own record, one row per case: the reviewer's commissioning, the terms of reference's extras,
#: sign-off and publication (000_44eed6501ae43eb6.txt: 4.2-4.6; 004_6c96fbcaaedcbdc1.txt: Chapter 3;
#: 003_4bd54601158ab8f3.txt: Summary of timescales, Publication).
_LCSPR = (
    Column("case_ref", "Case reference", width=16),
    _date("reviewer_commissioned_date", "Reviewer commissioned on"),
    Column("conflicts_declared", "Conflicts of interest declared", width=28,
           note="What the reviewer and panel members declared, or 'None' (Kent 4.2)."),
    _date("confidentiality_date", "Confidentiality agreement signed", note="When the reviewer signed it."),
    _date("reviewer_to_panel_date", "Reviewer's name sent to National Panel",
          note="An independent chair or author's name is shared with the National Panel (Lincolnshire, Chapter 3)."),
    Column("panel_chair", "Review panel chair", width=22),
    Column("media_lead", "Media / communications lead", width=24,
           note="The contact for media interest in the review (Lincolnshire: terms of reference)."),
    Column("parallel_processes", "Parallel processes", width=32,
           note="A criminal investigation or trial, an inquest, a DHR or SAR running alongside, and who liaises."),
    Column("substantial_changes", "Substantial changes asked at sign-off", width=30,
           note="Changes the Executive asked for to the conclusions or recommendations: a further panel meeting "
                "is needed before they are made (Kent 4.2)."),
    _date("panel_reconvened_date", "Review panel reconvened on", note="The further panel meeting for those changes."),
    _date("strategy_agreed_date", "Publication strategy agreed",
          note="When the publication strategy was agreed with the statutory partners and communications leads."),
    Column("publication_place", "Published where", CHOICE, 26, "publication_places"),
    Column("publication_form", "Published as", CHOICE, 22, "publication_forms"),
    Column("publication_link", "Web address of the report", width=30),
    _date("nspcc_date", "Sent to the NSPCC repository"),
    Column("delay_reasons", "Reasons for delay (to the Panel)", width=32,
           note="Why publication will be later than 6 months from the decision: the National Panel is told."),
    _date("delay_told_date", "Delay reasons sent to the Panel"),
    _date("taken_down_date", "Taken down from the website on",
          note="Reports stay online at least the profile's period (Kent a year, Kirklees six months)."),
    Column("notes", "Notes", width=24),
)

#: One row per agency asked for an Independent Management Review (002_cbeaa030473136cf.txt: IMR reports).
_IMRS = (
    Column("case_ref", "Case reference", width=16),
    Column("agency", "Agency", width=26, note="Named as on the Agencies sheet."),
    Column("author", "IMR author (name, role)", width=26),
    _date("briefing_date", "Author briefing on", note="The authors' briefing with the reviewer."),
    _date("requested_on", "Requested on"),
    _date("due", "IMR due", note="When the agency's IMR is due (add the time: dd/mm/yyyy hh:mm)."),
    _date("qa_date", "Sent for quality assurance", note="When the author sent it for the agency's own QA."),
    Column("qa_by", "Quality assured / approved by", width=24),
    _date("received_on", "Received"),
    Column("file", "File", width=28),
    Column("notes", "Notes", width=24),
)

#: The family's involvement, one row per family member (004_6c96fbcaaedcbdc1.txt: Involvement of family
#: members: the minimum offer; 000_44eed6501ae43eb6.txt: 4.5 Engaging with families, 4.6 Publication).
_FAMILY = (
    Column("case_ref", "Case reference", width=16),
    Column("name", "Family member", width=22),
    Column("relationship", "Relationship to child", width=20),
    _date("told_date", "Told of the review", note="Told of the review, what it means for them and how to get "
                                                   "support, including on media coverage."),
    Column("contact_agreed", "Contact agreed (how, how often)", width=26),
    Column("support", "Support offered", width=24),
    _date("views_date", "Views heard on"),
    Column("views_how", "How they contributed", width=24,
           note="Met the reviewer, in writing, through a third party..."),
    _date("learning_date", "Learning fed back on"),
    _date("publication_told_date", "Told of publication", note="Prepared for publication and media interest."),
    _date("report_shared_date", "Saw the report before publication",
          note="When they were given an embargoed, confidential copy of the report."),
    _yes_no("pseudonym_chosen", "Chose the pseudonym"),
    _yes_no("declined", "Declined to take part"),
    Column("notes", "Notes", width=24),
)

#: The final report's drafts and their quality assurance (000_44eed6501ae43eb6.txt: 4.2; 002_cbeaa030473136cf.txt:
#: LCSPR panel meetings review draft reports).
_DRAFTS = (
    Column("case_ref", "Case reference", width=16),
    Column("draft", "Draft", width=10, note="The draft's number or version, e.g. 1, 2, Final."),
    _date("received_on", "Received from the reviewer"),
    _date("circulated_on", "Circulated to the panel"),
    Column("qa_by", "Quality assured by", width=24),
    _date("qa_date", "Quality assured on"),
    _date("comments_date", "Comments back to the reviewer"),
    _yes_no("agreed", "Agreed by the panel"),
    Column("notes", "Notes", width=24),
)

#: The LCSPR's recommendations, SMART, one row each: locked once the report is signed off (Kent 4.2); they go
#: into the actions tracker with their source (`caseforms lcspr recommendations`).
_RECOMMENDATIONS = (
    Column("case_ref", "Case reference", width=16),
    Column("number", "No.", width=6),
    Column("recommendation", "Recommendation", width=40),
    Column("owner_agency", "For (agency, or all partners)", width=24),
    Column("action", "Action (SMART)", width=36),
    Column("lead", "Named lead", width=18),
    Column("measure", "Evidence expected", width=26),
    _date("due_date", "Due date"),
    _date("agreed_date", "Agreed on"),
    _date("changed_date", "Last changed on",
          note="When its wording last changed: after sign-off only with a further panel meeting (Kent 4.2)."),
    Column("notes", "Notes", width=24),
)


#: Issue 21: each person of a case and what a published text calls them (000_44eed6501ae43eb6.txt: 4.6 Publication;
#: the family chooses the child's pseudonym, 4.5). 'caseforms publication glossary' suggests the rows; the officer
#: edits "Publish as"; caseforms never changes a row whose "Publish as" differs from what it suggested.
_GLOSSARY = (
    Column("case_ref", "Case reference", width=16),
    Column("name", "Name as written", width=24,
           note="The person's name as the register or the chronology writes it, e.g. 'Chloe Thornton', 'DS Mark "
                "Ellery', or a school or a place."),
    Column("kind", "Kind", CHOICE, 14, "glossary_kinds",
           note="child, sibling, parent, family member, other adult, professional, school, place or other."),
    Column("agency", "Agency or relationship", width=24,
           note="A practitioner's agency, or a family member's relationship to the child."),
    Column("publish_as", "Publish as", width=22,
           note="What every published paper and the chronology for publication call them: 'Child R', 'Mother', "
                "'Police Officer 2', 'the school'. Change it freely: caseforms then never changes the row."),
    Column("also", "Also written as", width=24,
           note="Other ways the name is written, separated by ';' ('Ty; Tyler-Jay'): replaced as the name is."),
    Column("suggested_by", "Suggested by", width=12,
           note="caseforms when caseforms suggested what to publish; officer once you have changed it."),
    Column("suggested", "caseforms suggested", width=20,
           note="What caseforms suggested. caseforms writes here; a 'Publish as' that differs from it is yours."),
    Column("notes", "Notes", width=30, note="Where caseforms found the person, and anything you want to add."),
)


def register_schema(profile: Profile) -> RegisterSchema:
    """Return the register's schema for ``profile``: its due-date columns, quorum and lists."""
    lists = {**REGISTER_LISTS, **profile.lists}
    lists.setdefault(
        "meeting_decisions", [*profile.lists.get("decisions", []), *profile.lists.get("rr_outcomes", [])]
    )
    sheets = (
        Sheet(CASES, "Cases", "One row per case, from referral to closure.", _case_columns(profile)),
        Sheet(PEOPLE, "People", "The children and significant others of each case (up to 4 children a notification).",
              _PEOPLE, rows=600),
        Sheet(AGENCIES, "Agencies", "The directory of agencies and their single points of contact.", _AGENCIES, rows=100),
        Sheet(MEETINGS, "Meetings", "Executive and Rapid Review meetings: attendance, quorum and decision.",
              _meeting_columns(profile)),
        Sheet(RETURNS_LOG, "ReturnsLog", "Chronology requests to agencies and their returns.", _RETURNS_LOG,
              rows=200, added_later=True),
        Sheet(NARRATIVE, "Narrative", "Text that several papers of a case share: one row per case and section.",
              _NARRATIVE, rows=300, added_later=True),
        Sheet(CHARACTERISTICS, "Characteristics",
              "The incident characteristics of each case, all that apply: one row per case and characteristic.",
              _CHARACTERISTICS, rows=300, added_later=True),
        Sheet(LCSPR, "LcsprDetails", "Each LCSPR's reviewer, terms of reference, sign-off and publication: one row per case.",
              _LCSPR, rows=100, added_later=True),
        Sheet(IMRS, "IMRs", "Independent Management Reviews asked of the agencies: one row per case and agency.",
              _IMRS, rows=200, added_later=True),
        Sheet(FAMILY, "FamilyInvolvement", "How each family member is involved in the LCSPR: one row per person.",
              _FAMILY, rows=200, added_later=True),
        Sheet(DRAFTS, "ReportDrafts", "The LCSPR report's drafts and their quality assurance: one row per draft.",
              _DRAFTS, rows=200, added_later=True),
        Sheet(RECOMMENDATIONS, "Recommendations", "Each LCSPR's recommendations, SMART: one row per recommendation.",
              _RECOMMENDATIONS, rows=300, added_later=True),
        Sheet(GLOSSARY, "Glossary", "Each person of a case and what published papers call them: one row per person.",
              _GLOSSARY, rows=300, added_later=True),
    )
    return RegisterSchema(profile.name, sheets, lists, profile.due_soon_working_days)
