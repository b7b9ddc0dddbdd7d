"""The demo's fictional partnership: five cases, their people, agencies, meetings, actions and returns.

Everything here is invented: the names, places, agencies, e-mail addresses (example.org and
.invalid domains, which never deliver), telephone numbers (Ofcom's drama range 01632 960xxx) and
NHS numbers (the 999 test range, with valid modulus 11 check digits unless a mistake is meant).

Dates are written relative to the day the demo runs (:class:`When`), so that the deadlines always
show a mix of met, due soon, upcoming and overdue. Records are keyed by the register's and the
tracker's column keys; ``"case"`` names one of :data:`CASES` and becomes its reference when the
demo is built.

Three mistakes are left in on purpose, so the register's checks have something to show, and only
in the closed case and the agency directory, where they do not spoil the papers:

* the closed case's mother has an NHS number with a mistyped last digit;
* the closed case records the National Panel notified before the local authority became aware;
* the Youth Justice Service's e-mail address has a comma for a dot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from caseforms.calendar import WorkingCalendar, add_months

PROFILE = "kent"
#: The business officer who runs every demo case.
OFFICER = "Hannah Okafor"
#: The file that marks a folder as made by the demo (and lists what it wrote).
MARKER = "ABOUT THIS DEMO.txt"


@dataclass(frozen=True)
class When:
    """A date relative to the day the demo runs: calendar months, then working days, then calendar days.

    With ``working_day`` True (meetings, letters, decisions) a day that falls on a weekend or bank
    holiday moves to the next working day; births and events keep their day.
    """

    working_days: int = 0
    months: int = 0
    days: int = 0
    at: str | None = None
    working_day: bool = True

    def on(self, today: date, calendar: WorkingCalendar) -> date | datetime:
        day = add_months(today, self.months)
        if self.working_day and not calendar.is_working_day(day):
            day = calendar.add_working_days(day, 1)
        day = calendar.add_working_days(day, self.working_days)
        day = date.fromordinal(day.toordinal() + self.days)
        if self.working_day and not calendar.is_working_day(day):
            day = calendar.add_working_days(day, 1)
        if self.at is None:
            return day
        hours, minutes = (int(part) for part in self.at.split(":"))
        return datetime.combine(day, time(hours, minutes))


@dataclass(frozen=True)
class YearMistyped:
    """A date an agency typed with the year wrong by ``years`` (2035 for 2025)."""

    when: When
    years: int = 10


def wd(n: int, at: str | None = None) -> When:
    """Return the Nth working day from the day the demo runs (before it when negative)."""
    return When(working_days=n, at=at)


def ago(days: int = 0, months: int = 0, at: str | None = None) -> When:
    """Return a day this long before the demo runs, whatever day of the week it is."""
    return When(months=-months, days=-days, at=at, working_day=False)


def born(years: int, months: int = 0, days: int = 0) -> When:
    """Return a date of birth this old on the day the demo runs."""
    return When(months=-(12 * years + months), days=-days, working_day=False)


@dataclass(frozen=True)
class InYear:
    """A day of a calendar year counted from the one the demo runs in (-1: last year), for the year's cases.

    The annual report counts a whole year (``caseforms report register.xlsx --year``): last calendar year is
    always complete, whatever day the demo runs. With ``working_day`` True a weekend or bank holiday moves to
    the next working day, then ``working_days`` are counted on.
    """

    month: int
    day: int
    working_days: int = 0
    years: int = -1
    at: str | None = None
    working_day: bool = True

    def on(self, today: date, calendar: WorkingCalendar) -> date | datetime:
        day = date(today.year + self.years, self.month, self.day)
        if self.working_day and not calendar.is_working_day(day):
            day = calendar.add_working_days(day, 1)
        day = calendar.add_working_days(day, self.working_days)
        if self.at is None:
            return day
        hours, minutes = (int(part) for part in self.at.split(":"))
        return datetime.combine(day, time(hours, minutes))


def aged(years: int, month: int, day: int = 10) -> InYear:
    """Return a date of birth that makes a child ``years`` old, give or take, in last year's month ``month``."""
    return InYear(month, day, years=-1 - years, working_day=False)


#: The day the local authority became aware of the Rapid Review case's incident.
RR_AWARE = -12


def aware_rr(days: int, at: str | None = None) -> When:
    """Return a day ``days`` from the day the LA became aware of the Rapid Review case (before it when negative)."""
    return When(working_days=RR_AWARE, days=days, at=at, working_day=False)


#: Case key -> where the case is, in the words `caseforms demo` prints.
CASE_STAGES = {
    "referral": "a referral awaiting the executive's decision (its 3 working days are up); the child was placed here "
                "by another local authority",
    "rapid_review": "notified; Rapid Review under way: requests out, returns in, meeting to come",
    "lcspr": "an LCSPR decided at the Rapid Review meeting, the Panel's disagreement answered; reviewer commissioned, "
             "IMRs in, a practitioner event held, the second draft with the panel: publication to come",
    "closed": "closed: no further review, its action plan complete",
    "care_leaver": "a care leaver's death at 24: the Secretary of State and Ofsted notified, for information only",
    # The year's cases (issue 21): last calendar year's referrals, notifications, Rapid Reviews and LCSPRs, for the
    # annual report. `caseforms demo` lists them on one line.
    "year_nfa": "last year: a referral the Executive decided not to notify (no further action)",
    "year_learning": "last year: a referral not notified, a local learning review instead",
    "year_rr": "last year: a sudden infant death, notified on time, Rapid Review on time, no further review; closed",
    "year_lcspr": "last year: notified late (reason recorded), an LCSPR decided, signed off and published within 6 months",
    "year_rr_late": "last year: a Rapid Review sent to the Panel late (reason recorded); actions open",
    "year_late_pub": "the year before last: an LCSPR published last year, after its 6 months (delay reasons recorded)",
}

#: The year's cases: not shown one by one when the demo says what it made.
YEAR_CASES = ("year_nfa", "year_learning", "year_rr", "year_lcspr", "year_rr_late", "year_late_pub")

#: Case key -> the number in its reference (DEMO-<year of referral>-<number>).
CASE_NUMBERS = {"referral": 17, "rapid_review": 14, "lcspr": 9, "closed": 3, "care_leaver": 21,
                "year_nfa": 2, "year_learning": 4, "year_rr": 6, "year_lcspr": 8, "year_rr_late": 11, "year_late_pub": 12}

AGENCIES_INVOLVED_RR = (
    "Police: two domestic abuse call-outs to the home\n"
    "Children's Social Care: child in need plan for Maya and Leo\n"
    "Health visiting: universal health visiting for Maya\n"
    "GP practice: registered GP of the family\n"
    "Housing: tenancy of the family's flat\n"
    "Millbrook Primary School: Leo's school"
)

CASES: dict[str, dict[str, Any]] = {
    # A referral made two days ago; the executive meets tomorrow, a day after its 3 working days.
    "referral": {
        "status": "Decision pending", "officer": OFFICER, "referring_agency": "Police",
        "referrer_name": "DS Mark Ellery", "referrer_phone": "01632 960 201", "pathway": "Rapid review",
        "incident_date": When(working_days=-4, at="23:40"), "aware_date": wd(-4), "referral_date": wd(-4),
        "incident_characteristic": "Child exploitation",
        "referral_reason": "Jayden (15) was found seriously injured after being reported missing for three days. "
                           "Police believe he was being exploited to carry drugs between towns.",
        "incident_location": "Railway footbridge, Station Road, Millbrook",
        "harm": "Serious harm", "abuse_or_neglect": "Abuse",
        "incident_outline": "Jayden was reported missing by his mother on a Friday evening. He was found three days "
                            "later with a serious injury and taken to hospital, where he remains.\n\n"
                            "He had been missing four times in the last six months and was open to the "
                            "exploitation team.",
        "immediate_actions": "Strategy discussion held the next morning; Jayden's younger brother seen at school "
                             "the same day; a safety plan agreed with the family.",
        "police_investigation": "Yes: Operation Hawthorn",
        "agencies_involved": "Police: missing episodes and the investigation\n"
                             "Children's Social Care: exploitation team\nYouth Justice Service: out-of-court disposal last year",
        "notes": "Executive meets tomorrow to decide whether to notify.",
        "referral_authorised_by": "DCI Nadia Brooks, Head of Public Protection", "receipt_confirmed_date": wd(-3),
        # Placed here by another council, which confirmed the next morning that it will notify (Kent 002).
        "placed_by_other_la": "Yes", "placing_authority": "Harbourton Council",
        "placing_confirmed_date": When(working_days=-3, at="10:15"),
    },
    # Notified eight working days ago; the Rapid Review meeting is in four working days.
    "rapid_review": {
        "status": "Rapid Review in progress", "officer": OFFICER, "referring_agency": "Children's Social Care",
        "referrer_name": "Marcus Bell", "referrer_phone": "01632 960 310", "pathway": "Rapid review",
        "incident_date": aware_rr(-1, at="19:40"), "aware_date": wd(RR_AWARE), "referral_date": wd(RR_AWARE),
        "incident_characteristic": "Injury", "decision_date": wd(-11), "decision": "Notify the National Panel",
        "decision_rationale": "Serious harm to a child under two; abuse suspected; the family was known to "
                              "several agencies.",
        "family_told": "Yes", "notified_date": wd(-8), "notifier_name": "Marcus Bell",
        "panel_reference": "SIN-DEMO-0412", "partners_informed_date": wd(-8),
        "referral_reason": "Maya (20 months) was admitted to hospital with a head injury. The explanation given "
                           "does not match the injury. The family had a child in need plan.",
        "incident_location": "Flat 6, Kestrel Court, Millbrook (family home)",
        "harm": "Serious harm", "abuse_or_neglect": "Abuse",
        "incident_outline": "Maya was brought to the Emergency Department by her mother and her mother's partner "
                            "in the evening. Scans showed a head injury that doctors said was not consistent "
                            "with the fall from a sofa described.\n\n"
                            "Maya is recovering in hospital. Her brother Leo (7) is staying with his maternal "
                            "grandmother under a safety plan.",
        "immediate_actions": "Strategy discussion the next morning; section 47 enquiries for Maya and Leo; both "
                             "children to stay with their maternal grandmother; the mother's partner not to have "
                             "unsupervised contact.",
        "police_investigation": "Yes: Operation Larchwood",
        "agencies_involved": AGENCIES_INVOLVED_RR,
        "scope_from": When(working_days=RR_AWARE, months=-12, working_day=False), "scope_to": wd(RR_AWARE),
        "scope_agreed_date": wd(-7),
        "chronology_deadline": wd(1, at="09:00"),
        "referral_authorised_by": "Dana Whitlock, Head of Service", "receipt_confirmed_date": wd(RR_AWARE),
        "outcome_letter_date": wd(-10), "domestic_abuse": "Yes",
    },
    # Rapid Review decided an LCSPR about four months ago, by a majority; the review is under way.
    "lcspr": {
        "status": "LCSPR in progress", "officer": OFFICER, "referring_agency": "Health visiting",
        "referrer_name": "Nuala Brennan", "referrer_phone": "01632 960 422", "pathway": "Rapid review",
        "incident_date": When(months=-5, working_days=-1, at="08:15"), "aware_date": When(months=-5),
        "referral_date": When(months=-5), "incident_characteristic": "Neglect – longstanding",
        "decision_date": When(months=-5, working_days=2), "decision": "Notify the National Panel",
        "decision_rationale": "Serious harm from longstanding neglect of a child on a child protection plan.",
        "family_told": "Yes", "notified_date": When(months=-5, working_days=4), "notifier_name": "Marcus Bell",
        "panel_reference": "SIN-DEMO-0377", "partners_informed_date": When(months=-5, working_days=4),
        "rr_meeting_date": When(months=-5, working_days=16), "rr_decision_date": When(months=-5, working_days=18),
        "rr_outcome": "LCSPR", "panel_response_date": When(months=-5, working_days=28),
        # The Panel disagreed; the group reconvened and its decision stands (Kent 3.3).
        "panel_view": "Disagrees",
        "panel_points": "The Panel asked whether a national review would be better placed to look at missed health "
                        "appointments across areas.",
        "panel_circulated_date": When(months=-5, working_days=29), "rr_reconvened_date": When(months=-5, working_days=34),
        "reconvened_decision": "The LCSPR stands: the missed appointments were all in Millbrook, and the learning is "
                               "about how one child protection plan measured change. The Panel is kept informed.",
        "panel_reply_date": When(months=-5, working_days=36),
        "referral_authorised_by": "Dr Ruth Adeyemi, Designated doctor",
        "receipt_confirmed_date": When(months=-5), "outcome_letter_date": When(months=-5, working_days=3),
        "publication_planned_date": When(months=1, working_days=5),
        "rr_outcome_reason": "Three agencies saw signs of Ruby's weight loss over a year and none brought them "
                             "together; the group wants to understand why a child protection plan did not.",
        # Not unanimous, so the KSCMP Executive saw the decision before the National Panel (Kent 3.3).
        "rr_executive_date": When(months=-5, working_days=17),
        # Decided at the Rapid Review meeting, two working days before the report went to the Panel (Kent 3.3).
        "lcspr_decision_date": When(months=-5, working_days=16),
        "methodology": "Systems (SCIE Learning Together)", "reviewer": "Dr Eleanor Vance",
        "reviewer_independent": "Yes",
        "referral_reason": "Ruby (9) was admitted to hospital severely underweight and dehydrated. She had been on "
                           "a child protection plan for neglect for a year.",
        "incident_location": "Millbrook Primary School (collapsed in class)",
        "harm": "Serious harm", "abuse_or_neglect": "Neglect",
        "incident_outline": "Ruby became unwell in class and was taken to hospital by ambulance. She was found to "
                            "be severely underweight and dehydrated, with untreated dental decay.\n\n"
                            "She recovered in hospital and now lives with her aunt.",
        "immediate_actions": "Strategy discussion the same day; Ruby's younger sister placed with the same aunt; "
                             "an interim care order was granted.",
        "police_investigation": "Yes: Operation Rowan",
        "agencies_involved": "Children's Social Care: child protection plan (neglect)\n"
                             "Millbrook Primary School: attendance and welfare concerns\n"
                             "GP practice: missed appointments\nHealth visiting: Ruby's sister",
        "scope_from": When(months=-29, working_day=False), "scope_to": When(months=-5, working_days=-1),
        "scope_agreed_date": When(months=-5, working_days=5),
        "chronology_deadline": When(months=-5, working_days=12, at="09:00"),
        "pseudonym": "Child R",
        "key_lines_of_enquiry": "1. How did agencies recognise and respond to Ruby's weight loss over time?\n"
                                "2. How well did the child protection plan measure change for Ruby?\n"
                                "3. How were Ruby's own views heard, at school and at home?",
        "family_involvement": "Ruby's aunt and mother will be invited to meet the reviewer; Ruby will be asked, "
                              "with her social worker, how she would like to contribute.",
    },
    # Closed last year: no further review, the action plan complete. Two mistakes are left in it.
    "closed": {
        "status": "Closed", "officer": OFFICER, "referring_agency": "Emergency Department",
        "referrer_name": "Dr Priya Nair", "pathway": "Rapid review",
        "incident_date": When(months=-14, working_days=-1, working_day=True), "aware_date": When(months=-14),
        "referral_date": When(months=-14), "incident_characteristic": "Serious illness",
        "decision_date": When(months=-14, working_days=2), "decision": "Notify the National Panel",
        "decision_rationale": "Serious harm; neglect of medical needs suspected.", "family_told": "Yes",
        # A mistake left in: the notification is recorded a day before the LA became aware (a slip of the day).
        "notified_date": When(months=-14, working_days=-1), "notifier_name": "Marcus Bell",
        "rr_meeting_date": When(months=-14, working_days=12), "rr_decision_date": When(months=-14, working_days=14),
        "rr_outcome": "No further review (action plan only)",
        "rr_outcome_reason": "Agencies' learning is single-agency and is captured in the action plan.",
        "harm": "Serious harm", "abuse_or_neglect": "Neglect",
        "incident_outline": "Noah (13) was admitted to intensive care after a severe asthma attack. His inhalers "
                            "had not been collected for several months.",
        "closed_date": When(months=-3), "action_plan_complete": "Yes",
        "agencies_involved": "GP practice\nChildren's Social Care\nMillbrook Primary School",
        "referral_authorised_by": "Dr Priya Nair, Named doctor", "outcome_letter_date": When(months=-14, working_days=3),
    },
    # A care leaver died at 24: notified to the Secretary of State and Ofsted for information; no review follows.
    "care_leaver": {
        "status": "Notified to the Secretary of State and Ofsted (information only)", "officer": OFFICER,
        "referring_agency": "Children's Social Care", "referrer_name": "Asha Greene",
        "incident_date": When(working_days=-7, working_day=False), "aware_date": wd(-6), "referral_date": wd(-6),
        "harm": "Death", "care_leaver_death": "Yes", "sos_ofsted_date": wd(-3), "notifier_name": "Marcus Bell",
        "incident_location": "His flat, Harbour Street, Millbrook",
        "incident_outline": "Daniel was found at home by his personal adviser, who had been unable to reach him for "
                            "two days. The police are treating the death as unexplained pending the inquest.",
        "notes": "Information only: a care leaver's death is notified and leads to no review.",
    },
}

# The year's cases (issue 21), dated in last calendar year (the year before last for the late publication), so the
# annual report of last year has every pathway, outcome and timescale to count: the figures are checked by hand in
# tests/test_annual.py.
YEAR_CASES_ROWS: dict[str, dict[str, Any]] = {
    "year_nfa": {
        "referral_authorised_by": "DCI Nadia Brooks, Head of Public Protection",
        "status": "Closed", "officer": OFFICER, "referring_agency": "Police",
        "referrer_name": "DS Mark Ellery", "pathway": "Rapid review", "incident_date": InYear(2, 8, working_day=False),
        "aware_date": InYear(2, 10), "referral_date": InYear(2, 10), "incident_characteristic": "Injury",
        "decision_date": InYear(2, 10, 2), "decision": "Do not notify: no further action",
        "decision_rationale": "An accidental injury; no abuse or neglect known or suspected.",
        "harm": "Serious harm", "abuse_or_neglect": "Abuse", "closed_date": InYear(2, 10, 5),
        "agencies_involved": "Police\nChildren's Social Care", "outcome_letter_date": InYear(2, 10, 3),
    },
    "year_learning": {
        "referral_authorised_by": "Head teacher, Millbrook Primary School",
        "status": "Not notified: learning review", "officer": OFFICER, "referring_agency": "Millbrook Primary School",
        "referrer_name": "Jane Whitfield", "pathway": "Learning review", "incident_date": InYear(3, 2, working_day=False),
        "aware_date": InYear(3, 3), "referral_date": InYear(3, 3), "incident_characteristic": "Neglect – recent",
        "decision_date": InYear(3, 3, 3), "decision": "Do not notify: learning review",
        "decision_rationale": "Does not meet the criteria for a notification; learning for two agencies about "
                              "sharing attendance concerns.",
        "harm": "Serious harm", "abuse_or_neglect": "Neglect",
        "agencies_involved": "Millbrook Primary School\nChildren's Social Care\nGP practice",
        "outcome_letter_date": InYear(3, 3, 4),
    },
    "year_rr": {
        "referral_authorised_by": "Dr Priya Nair, Named doctor",
        "status": "Closed", "officer": OFFICER, "referring_agency": "Emergency Department", "referrer_name": "Dr Priya Nair",
        "pathway": "Rapid review", "incident_date": InYear(4, 13, at="04:30", working_day=False),
        "aware_date": InYear(4, 14), "referral_date": InYear(4, 14), "incident_characteristic": "Sudden infant death",
        "decision_date": InYear(4, 14, 1), "decision": "Notify the National Panel",
        "decision_rationale": "The unexpected death of a baby; neglect suspected (unsafe sleeping, parents' drug use).",
        "family_told": "Yes", "notified_date": InYear(4, 14, 3), "notifier_name": "Marcus Bell",
        "panel_reference": "SIN-DEMO-0301", "partners_informed_date": InYear(4, 14, 3),
        "rr_meeting_date": InYear(4, 14, 14), "rr_decision_date": InYear(4, 14, 16),
        "rr_outcome": "No further review (action plan only)",
        "rr_outcome_reason": "The learning about safer sleep is known and in the partnership's safer sleep campaign.",
        "harm": "Death", "abuse_or_neglect": "Neglect", "unexpected_death": "Yes",
        "agencies_involved": "Health visiting\nGP practice\nPolice\nEmergency Department",
        "closed_date": InYear(11, 3), "action_plan_complete": "Yes", "outcome_letter_date": InYear(4, 14, 2),
    },
    "year_lcspr": {
        "referral_authorised_by": "Dr Ruth Adeyemi, Designated doctor",
        "status": "LCSPR published", "officer": OFFICER, "referring_agency": "Integrated Care Board",
        "referrer_name": "Dr Ruth Adeyemi", "pathway": "Rapid review", "incident_date": InYear(6, 1, working_day=False),
        "aware_date": InYear(6, 2), "referral_date": InYear(6, 2), "incident_characteristic": "Abuse – Physical: Self-harm",
        "decision_date": InYear(6, 2, 2), "decision": "Notify the National Panel",
        "decision_rationale": "Serious harm to a young person known to four agencies; abuse suspected.",
        "family_told": "Yes", "notified_date": InYear(6, 2, 8), "notifier_name": "Marcus Bell",
        "late_notification_reason": "The referral reached the Business Unit while two decision makers were at a trial: "
                                    "the Executive could only meet on the sixth working day.",
        "panel_reference": "SIN-DEMO-0344", "partners_informed_date": InYear(6, 2, 8),
        "rr_meeting_date": InYear(6, 2, 20), "rr_decision_date": InYear(6, 2, 22), "rr_outcome": "LCSPR",
        "rr_outcome_reason": "Four agencies knew of the self-harm and none knew of the online abuse.",
        "lcspr_decision_date": InYear(6, 2, 20), "methodology": "Appreciative inquiry", "reviewer": "Sita Marsh",
        "reviewer_independent": "Yes", "signoff_date": InYear(11, 20), "report_to_panel_date": InYear(11, 24),
        "publication_date": InYear(12, 8), "harm": "Serious harm", "abuse_or_neglect": "Abuse",
        "agencies_involved": "Children's Social Care\nPolice\nIntegrated Care Board\nYouth Justice Service",
        "pseudonym": "Child T", "outcome_letter_date": InYear(6, 2, 3),
    },
    "year_rr_late": {
        "referral_authorised_by": "DCI Nadia Brooks, Head of Public Protection",
        "status": "Actions open", "officer": OFFICER, "referring_agency": "Police", "referrer_name": "DI Sarah Quinn",
        "pathway": "Rapid review", "incident_date": InYear(8, 10, at="22:15", working_day=False),
        "aware_date": InYear(8, 11), "referral_date": InYear(8, 11), "incident_characteristic": "Knife crime",
        "decision_date": InYear(8, 11, 1), "decision": "Notify the National Panel",
        "decision_rationale": "A 16-year-old seriously injured in a stabbing; exploitation suspected.",
        "family_told": "Yes", "notified_date": InYear(8, 11, 4), "notifier_name": "Marcus Bell",
        "panel_reference": "SIN-DEMO-0388", "partners_informed_date": InYear(8, 11, 4),
        "rr_meeting_date": InYear(8, 11, 21), "rr_decision_date": InYear(8, 11, 22),
        "rr_outcome": "No further review (action plan only)",
        "rr_outcome_reason": "The learning is the exploitation team's and is in its action plan.",
        "rr_late_reason": "The Police chronology came back a week late, so the meeting moved.",
        "harm": "Serious harm", "abuse_or_neglect": "Abuse",
        "agencies_involved": "Police\nYouth Justice Service\nChildren's Social Care",
        "outcome_letter_date": InYear(8, 11, 2),
    },
    "year_late_pub": {
        "referral_authorised_by": "DCI Nadia Brooks, Head of Public Protection",
        "status": "LCSPR published", "officer": OFFICER, "referring_agency": "Police", "referrer_name": "DI Sarah Quinn",
        "pathway": "Rapid review", "incident_date": InYear(9, 7, years=-2, working_day=False),
        "aware_date": InYear(9, 8, years=-2), "referral_date": InYear(9, 8, years=-2),
        "incident_characteristic": "Filicide (parent kills child)", "decision_date": InYear(9, 8, 2, years=-2),
        "decision": "Notify the National Panel", "decision_rationale": "The death of a child; a parent charged.",
        "family_told": "Yes", "notified_date": InYear(9, 8, 3, years=-2), "notifier_name": "Marcus Bell",
        "panel_reference": "SIN-DEMO-0217", "partners_informed_date": InYear(9, 8, 3, years=-2),
        "rr_meeting_date": InYear(9, 8, 14, years=-2), "rr_decision_date": InYear(9, 8, 16, years=-2),
        "rr_outcome": "LCSPR", "rr_outcome_reason": "Agencies working together: the family moved between two areas.",
        "lcspr_decision_date": InYear(9, 8, 14, years=-2), "methodology": "Systems (SCIE Learning Together)",
        "reviewer": "Dr Eleanor Vance", "reviewer_independent": "Yes", "signoff_date": InYear(4, 1),
        "report_to_panel_date": InYear(4, 22), "publication_date": InYear(5, 14), "harm": "Death",
        "abuse_or_neglect": "Abuse", "homicide": "Yes", "police_investigation": "Yes: Operation Alder",
        "agencies_involved": "Police\nChildren's Social Care\nHealth visiting\nHousing",
        "pseudonym": "Child K", "outcome_letter_date": InYear(9, 8, 2, years=-2),
    },
}
CASES.update(YEAR_CASES_ROWS)

PEOPLE: list[dict[str, Any]] = [
    {"case": "referral", "role": "Child (subject of the review)", "name": "Jayden Cole", "date_of_birth": born(15, 4),
     "nhs_number": "999 000 0042", "gender": "Male", "ethnicity": "White British", "education": "Millbrook Academy",
     "legal_status": "Child in need", "address": "27 Orchard Way, Millbrook, HB4 2TN"},
    {"case": "referral", "role": "Mother", "name": "Dawn Cole", "date_of_birth": born(41, 2),
     "address": "27 Orchard Way, Millbrook, HB4 2TN"},
    {"case": "rapid_review", "role": "Child (subject of the review)", "name": "Maya Thornton",
     "date_of_birth": born(1, 8, 3), "nhs_number": "999 000 0050", "gender": "Female", "ethnicity": "White British",
     "disability": "No", "education": "Not in early years provision", "legal_status": "Child in need",
     "address": "Flat 6, Kestrel Court, Millbrook, HB4 7QX"},
    {"case": "rapid_review", "role": "Sibling", "name": "Leo Thornton", "date_of_birth": born(7, 2),
     "nhs_number": "9990000069", "gender": "Male", "education": "Millbrook Primary School",
     "legal_status": "Child in need", "address": "Flat 6, Kestrel Court, Millbrook, HB4 7QX"},
    {"case": "rapid_review", "role": "Mother", "name": "Chloe Thornton", "date_of_birth": born(24, 5),
     "nhs_number": "999 000 0077", "address": "Flat 6, Kestrel Court, Millbrook, HB4 7QX"},
    {"case": "rapid_review", "role": "Partner of parent", "name": "Ryan Mercer", "relationship": "Mother's partner",
     "date_of_birth": born(29, 1), "address": "Flat 6, Kestrel Court, Millbrook, HB4 7QX"},
    {"case": "rapid_review", "role": "Grandparent", "name": "Susan Thornton", "relationship": "Maternal grandmother",
     "date_of_birth": born(52, 6), "address": "3 Linden Close, Millbrook, HB4 3RS"},
    {"case": "lcspr", "role": "Child (subject of the review)", "name": "Ruby Fenwick", "date_of_birth": born(9, 9),
     "nhs_number": "999 000 0085", "gender": "Female", "ethnicity": "White British", "disability": "No",
     "education": "Millbrook Primary School", "legal_status": "Child protection plan", "cp_plan": "Yes",
     "cp_plan_start": When(months=-17, working_day=False), "cp_category": "Neglect",
     "address": "14 Brook Street, Millbrook, HB4 5DL"},
    {"case": "lcspr", "role": "Sibling", "name": "Poppy Fenwick", "date_of_birth": born(3, 1),
     "nhs_number": "9990000093", "address": "14 Brook Street, Millbrook, HB4 5DL"},
    {"case": "lcspr", "role": "Mother", "name": "Kerry Fenwick", "date_of_birth": born(33, 7),
     "address": "14 Brook Street, Millbrook, HB4 5DL"},
    {"case": "closed", "role": "Child (subject of the review)", "name": "Noah Bennett", "date_of_birth": born(14, 3),
     "nhs_number": "999 000 0107", "gender": "Male", "education": "Millbrook Academy",
     "address": "8 Heron Lane, Millbrook, HB4 9PW"},
    {"case": "care_leaver", "role": "Child (subject of the review)", "name": "Daniel Price", "date_of_birth": born(24, 4),
     "date_of_death": When(working_days=-7, working_day=False), "nhs_number": "999 000 0123", "gender": "Male",
     "ethnicity": "Mixed White and Black Caribbean", "legal_status": "Care leaver", "care_leaver": "Yes",
     "education": "Not in education (working as an apprentice)",
     "address": "Flat 2, 9 Harbour Street, Millbrook, HB4 1AB"},
    {"case": "lcspr", "role": "Other family member", "name": "Joanne Fenwick", "relationship": "Aunt (carer)",
     "date_of_birth": born(38, 2), "address": "21 Willow Road, Millbrook, HB4 6EF"},
    # A mistake left in: the last digit is mistyped (the check digit calls for 5).
    {"case": "closed", "role": "Mother", "name": "Lisa Bennett", "date_of_birth": born(38),
     "nhs_number": "999 000 0116", "address": "8 Heron Lane, Millbrook, HB4 9PW"},
    # The year's cases: the subject child of each (their ages and genders are what the annual report counts).
    {"case": "year_nfa", "role": "Child (subject of the review)", "name": "Mason Hale", "date_of_birth": aged(3, 1),
     "gender": "Male"},
    {"case": "year_learning", "role": "Child (subject of the review)", "name": "Freya Lund", "date_of_birth": aged(11, 1),
     "gender": "Female"},
    {"case": "year_rr", "role": "Child (subject of the review)", "name": "Oscar Reid", "date_of_birth": aged(0, 1),
     "date_of_death": InYear(4, 13, working_day=False), "gender": "Male", "nhs_number": "999 000 0131"},
    {"case": "year_lcspr", "role": "Child (subject of the review)", "name": "Tia Marsh-Osei", "date_of_birth": aged(14, 1),
     "gender": "Female"},
    {"case": "year_rr_late", "role": "Child (subject of the review)", "name": "Kai Dunmore", "date_of_birth": aged(16, 2),
     "gender": "Male"},
    {"case": "year_late_pub", "role": "Child (subject of the review)", "name": "Lily Ashcroft",
     "date_of_birth": InYear(3, 1, years=-4, working_day=False), "gender": "Female",
     "date_of_death": InYear(9, 7, years=-2, working_day=False)},
]

AGENCIES: list[dict[str, Any]] = [
    {"agency": "Children's Social Care", "spoc_name": "Marcus Bell", "job_title": "Head of Safeguarding",
     "email": "marcus.bell@millbrook-council.example.org", "phone": "01632 960 310",
     "deputy_name": "Asha Greene", "deputy_email": "asha.greene@millbrook-council.example.org"},
    {"agency": "Police", "spoc_name": "DI Sarah Quinn", "job_title": "Public Protection Unit",
     "email": "sarah.quinn@police.example.org", "phone": "01632 960 201"},
    {"agency": "Health visiting", "spoc_name": "Nuala Brennan", "job_title": "Named nurse for safeguarding",
     "email": "nuala.brennan@community-health.example.org", "phone": "01632 960 422"},
    {"agency": "GP practice", "spoc_name": "Dr Ade Okonjo", "job_title": "Safeguarding lead GP",
     "email": "safeguarding.millbrook-surgery@example.org", "phone": "01632 960 518"},
    {"agency": "Housing", "spoc_name": "Lewis Carr", "job_title": "Tenancy services manager",
     "email": "lewis.carr@millbrook-homes.example.org", "phone": "01632 960 633"},
    {"agency": "Millbrook Primary School", "spoc_name": "Jane Whitfield", "job_title": "Designated safeguarding lead",
     "email": "dsl@millbrook-primary.example.org", "phone": "01632 960 744"},
    {"agency": "Emergency Department", "spoc_name": "Dr Priya Nair", "job_title": "Named doctor",
     "email": "priya.nair@acute-trust.example.org"},
    # A mistake left in: a comma typed for a dot.
    {"agency": "Youth Justice Service", "spoc_name": "Tom Reyes", "job_title": "Service manager",
     "email": "tom.reyes@millbrook-council,example.org"},
    {"agency": "Integrated Care Board", "spoc_name": "Dr Ruth Adeyemi", "job_title": "Designated doctor",
     "email": "ruth.adeyemi@icb.example.org"},
    {"agency": "Business Unit", "spoc_name": OFFICER, "job_title": "Business manager",
     "email": "business.unit@partnership.invalid", "phone": "01632 960 900"},
]

_DECISION_MAKERS = ("Local authority: Marcus Bell (Children's Social Care); Police: DI Sarah Quinn (Police); "
                    "Health (ICB): Dr Ruth Adeyemi (Integrated Care Board)")
_ALL_PRESENT = {"present_local_authority": "Yes", "present_police": "Yes", "present_health_icb": "Yes"}

MEETINGS: list[dict[str, Any]] = [
    {"case": "referral", "meeting_type": "Executive decision", "meeting_date": wd(1, at="09:30"), "chair": OFFICER,
     "venue": "Teams", "decision_makers": _DECISION_MAKERS},
    {"case": "rapid_review", "meeting_type": "Executive decision", "meeting_date": wd(-11, at="14:00"),
     "chair": OFFICER, "venue": "Teams", **_ALL_PRESENT, "decision_makers": _DECISION_MAKERS,
     "decision": "Notify the National Panel", "unanimous": "Yes"},
    # The Rapid Review meeting to come: attendance is recorded on the day.
    {"case": "rapid_review", "meeting_type": "Rapid Review", "meeting_date": wd(4, at="10:00"), "chair": OFFICER,
     "venue": "Room 2, Civic Centre, Millbrook (and Teams)", "decision_makers": _DECISION_MAKERS,
     "other_attendees": "Health visiting: Nuala Brennan (Health visiting); Domestic abuse specialist: Amira Said "
                        "(Millbrook Domestic Abuse Service); Education: Jane Whitfield (Millbrook Primary School)"},
    {"case": "lcspr", "meeting_type": "Executive decision", "meeting_date": When(months=-5, working_days=2),
     "chair": OFFICER, **_ALL_PRESENT, "decision_makers": _DECISION_MAKERS, "decision": "Notify the National Panel",
     "unanimous": "Yes"},
    # Decided by a majority: the ICB's decision maker dissented (Kent 3.3: the dissent is recorded in the minutes).
    {"case": "lcspr", "meeting_type": "Rapid Review", "meeting_date": When(months=-5, working_days=16, at="10:00"),
     "chair": OFFICER, "venue": "Room 2, Civic Centre, Millbrook", **_ALL_PRESENT, "decision_makers": _DECISION_MAKERS,
     "other_attendees": "Education: Jane Whitfield (Millbrook Primary School)", "decision": "LCSPR",
     "unanimous": "No", "dissent": "The ICB would have preferred no further review: the learning about missed health "
                                   "appointments is already in the health visiting improvement plan.",
     "dissent_by": "Health (ICB): Dr Ruth Adeyemi", "declarations": "None declared.",
     "actions_agreed": "Add missed health appointments to the neglect screening tool – Health visiting\n"
                       "Brief designated safeguarding leads on reporting attendance below 90% – Millbrook Primary "
                       "School\nAudit 20 neglect plans against the graded care profile – Children's Social Care"},
    {"case": "lcspr", "meeting_type": "Reconvened Rapid Review", "meeting_date": When(months=-5, working_days=34,
                                                                                       at="10:00"),
     "chair": OFFICER, "venue": "Teams", **_ALL_PRESENT, "decision_makers": _DECISION_MAKERS, "decision": "LCSPR",
     "unanimous": "Yes", "notes": "Reconvened on the National Panel's feedback: the LCSPR stands."},
    {"case": "lcspr", "meeting_type": "LCSPR panel", "meeting_date": When(months=-3, at="13:30"), "chair": OFFICER,
     "decision_makers": _DECISION_MAKERS + "; Reviewer: Dr Eleanor Vance (independent reviewer)"},
    {"case": "lcspr", "meeting_type": "Practitioner event", "meeting_date": When(months=-2, at="13:30"),
     "chair": "Dr Eleanor Vance", "venue": "Room 4, Civic Centre, Millbrook",
     "other_attendees": "Education: Jane Whitfield (Millbrook Primary School); Health visiting: Nuala Brennan; "
                        "Children's social care: Asha Greene; GP practice: Dr Ade Okonjo",
     "notes": "Reflective session with the reviewer: what made it hard to see Ruby's weight loss as one picture."},
    {"case": "lcspr", "meeting_type": "LCSPR panel", "meeting_date": When(months=-1, at="13:30"), "chair": OFFICER,
     "venue": "Teams", "decision_makers": _DECISION_MAKERS + "; Reviewer: Dr Eleanor Vance (independent reviewer)",
     "notes": "Quality assured the first draft; comments to the reviewer."},
    {"case": "lcspr", "meeting_type": "LCSPR panel", "meeting_date": wd(8, at="13:30"), "chair": OFFICER,
     "venue": "Room 2, Civic Centre, Millbrook (and Teams)",
     "decision_makers": _DECISION_MAKERS + "; Reviewer: Dr Eleanor Vance (independent reviewer)"},
    {"case": "closed", "meeting_type": "Rapid Review", "meeting_date": When(months=-14, working_days=12, at="10:00"),
     "chair": OFFICER, **_ALL_PRESENT, "decision_makers": _DECISION_MAKERS,
     "decision": "No further review (action plan only)", "unanimous": "No",
     "dissent": "Police would have preferred an LCSPR; agreed the action plan covers the learning."},
    # The year's Rapid Reviews, quorate and unanimous.
    *({"case": key, "meeting_type": "Rapid Review", "meeting_date": InYear(m, d, n, years=y, at="10:00"),
       "chair": OFFICER, **_ALL_PRESENT, "decision_makers": _DECISION_MAKERS, "decision": outcome, "unanimous": "Yes",
       "other_attendees": "Health visiting: Nuala Brennan (Health visiting)"}
      for key, m, d, n, y, outcome in (
          ("year_rr", 4, 14, 14, -1, "No further review (action plan only)"), ("year_lcspr", 6, 2, 20, -1, "LCSPR"),
          ("year_rr_late", 8, 11, 21, -1, "No further review (action plan only)"), ("year_late_pub", 9, 8, 14, -2, "LCSPR"))),
]

#: Text the LCSPR case's papers share (the register's Narrative sheet): the Rapid Review report as the group wrote it.
NARRATIVE: list[dict[str, Any]] = [
    {"case": "lcspr", "section": section, "text": text} for section, text in (
        ("Case summary", "Ruby is 9 and lives with her mother Kerry and her sister Poppy. She had been on a child "
                         "protection plan for neglect for a year when she collapsed at school, severely underweight "
                         "and dehydrated.\n\nShe recovered in hospital and now lives with her aunt."),
        ("Recent history", "Over the last year Ruby's attendance fell to 81%, two GP appointments were missed and "
                           "school staff gave her breakfast most days. Core groups met monthly."),
        ("Background", "The family has been known to children's social care since Poppy's birth three years ago."),
        ("What worked well", "School noticed Ruby's hunger and fed her, and logged each welfare concern."),
        ("What we are worried about", "No agency put together the weight loss, the missed appointments and the "
                                      "falling attendance: each was seen on its own."),
        ("Provisional learning points", "Neglect plans need a measure of change for the child, not only of "
                                        "the parent's engagement."),
        ("Initial actions", "Ruby and Poppy were placed with their aunt under an interim care order."),
        ("Criterion 1: improvements needed", "Yes: how neglect plans measure change for the child."),
        ("Criterion 2: recurrent themes", "Yes: missed health appointments were a theme of two earlier reviews."),
        ("Criterion 3: agencies working together", "Yes: school, GP and health visiting each held part of the "
                                                   "picture."),
        ("Criterion 4: the National Panel's view", "Not applicable: the Panel has not considered the case."),
        ("Circumstances had regard to", "None of the four applies: one local authority, police area and ICB."),
        ("Report authors", "Children's Social Care; Police; Integrated Care Board"),
        ("Report advisers", "Business manager; Legal adviser"),
        ("Report signed off by", "Director of Children's Services: Marcus Bell (Children's Social Care)\n"
                                 "Detective Superintendent: DI Sarah Quinn (Police)\n"
                                 "Designated doctor: Dr Ruth Adeyemi (Integrated Care Board)"),
        ("Independent chair / scrutineer", "Professor Alan Whitcombe"),
        ("Summary of the discussion", "The group went through the master chronology and each agency's summary, "
                                      "and heard from the school's designated safeguarding lead."),
        # The reviewer's second draft of the final report, as far as it goes (the other sections are to come).
        ("LCSPR executive summary", "Child R was nine when she collapsed at school, severely underweight. She had been "
                                    "on a child protection plan for neglect for a year. This review asks why the signs "
                                    "that three agencies saw were never put together."),
        ("LCSPR summary of the case", "Child R lived with her mother and younger sister. Over the year before the "
                                      "incident her attendance fell, health appointments were missed and school staff "
                                      "gave her breakfast most days."),
    )
]

#: The LCSPR case's own record (the register's LCSPR sheet): the reviewer's commissioning, its terms, publication.
LCSPR_ROWS: list[dict[str, Any]] = [
    {"case": "lcspr", "reviewer_commissioned_date": When(months=-5, working_days=25), "conflicts_declared": "None declared",
     "confidentiality_date": When(months=-5, working_days=26), "reviewer_to_panel_date": When(months=-5, working_days=27),
     "panel_chair": OFFICER, "media_lead": "Tom Ferris, Communications, Millbrook Council",
     "parallel_processes": "Police investigation (Operation Rowan): the legal adviser liaises with the senior "
                           "investigating officer. Family court proceedings for Ruby and Poppy.",
     "publication_place": "Partnership website and NSPCC repository", "publication_form": "Full report"},
    {"case": "year_lcspr", "reviewer_commissioned_date": InYear(7, 7), "conflicts_declared": "None declared",
     "confidentiality_date": InYear(7, 8), "reviewer_to_panel_date": InYear(7, 9),
     "strategy_agreed_date": InYear(11, 10), "publication_place": "Partnership website and NSPCC repository",
     "publication_form": "Full report", "publication_link": "https://partnership.example.org/reviews/child-t",
     "nspcc_date": InYear(12, 8)},
    {"case": "year_late_pub", "reviewer_commissioned_date": InYear(10, 6, years=-2), "conflicts_declared": "None declared",
     "confidentiality_date": InYear(10, 7, years=-2), "reviewer_to_panel_date": InYear(10, 8, years=-2),
     "parallel_processes": "Criminal trial of the father (Operation Alder)", "strategy_agreed_date": InYear(3, 24),
     "publication_place": "Partnership website and NSPCC repository", "publication_form": "Full report",
     "publication_link": "https://partnership.example.org/reviews/child-k", "nspcc_date": InYear(5, 14),
     "delay_reasons": "The criminal trial: publication waited for the verdict, as the police and the CPS asked.",
     "delay_told_date": InYear(2, 20)},
]

#: The IMRs asked of the agencies for the LCSPR, all in (the register's IMRs sheet).
IMRS: list[dict[str, Any]] = [
    {"case": "lcspr", "agency": agency, "author": author, "briefing_date": When(months=-4, working_days=2, at="14:00"),
     "requested_on": When(months=-4), "due": When(months=-3, at="17:00"), "qa_date": When(months=-3, working_days=-3),
     "qa_by": qa_by, "received_on": When(months=-3, working_days=received)}
    for agency, author, qa_by, received in (
        ("Children's Social Care", "Sam Okafor, Practice Review Officer", "Dana Whitlock, Head of Service", -1),
        ("Millbrook Primary School", "Jane Whitfield, Designated safeguarding lead", "Head teacher", -2),
        ("GP practice", "Dr Sunita Rao, Named GP (another practice)", "Dr Ruth Adeyemi, Designated doctor", 2),
        ("Health visiting", "Nuala Brennan, Named nurse", "Head of Safeguarding, community health", 0),
    )
]

#: The family's involvement in the LCSPR: the minimum offer (the register's Family involvement sheet).
FAMILY: list[dict[str, Any]] = [
    {"case": "year_lcspr", "name": "Grace Osei", "relationship": "Mother", "told_date": InYear(7, 1),
     "views_date": InYear(9, 15), "views_how": "Met the reviewer", "report_shared_date": InYear(11, 27),
     "publication_told_date": InYear(11, 27), "pseudonym_chosen": "Yes"},
    {"case": "year_late_pub", "name": "Carol Ashcroft", "relationship": "Maternal grandmother",
     "told_date": InYear(10, 1, years=-2), "views_date": InYear(1, 20, years=-2 + 1),
     "views_how": "Met the reviewer", "report_shared_date": InYear(4, 28), "publication_told_date": InYear(4, 28),
     "pseudonym_chosen": "Yes"},
    {"case": "lcspr", "name": "Joanne Fenwick", "relationship": "Aunt (carer)", "told_date": When(months=-4),
     "contact_agreed": "Fortnightly, by telephone, with the family liaison worker", "support": "Family liaison worker",
     "views_date": When(months=-2, working_days=3), "views_how": "Met the reviewer at home",
     "learning_date": When(months=-1, working_days=2), "pseudonym_chosen": "Yes"},
    {"case": "lcspr", "name": "Kerry Fenwick", "relationship": "Mother", "told_date": When(months=-4),
     "contact_agreed": "Monthly letter; a call when she asks", "support": "Her solicitor; an advocate offered",
     "views_date": When(months=-2, working_days=8), "views_how": "In writing"},
]

#: The final report's drafts and their quality assurance (the register's Report drafts sheet).
DRAFTS: list[dict[str, Any]] = [
    {"case": "lcspr", "draft": "1", "received_on": When(months=-1, working_days=-5), "circulated_on": When(months=-1,
                                                                                                        working_days=-4),
     "qa_by": "Review panel", "qa_date": When(months=-1), "comments_date": When(months=-1, working_days=2), "agreed": "No"},
    {"case": "lcspr", "draft": "2", "received_on": wd(-3), "circulated_on": wd(-2)},
]

#: The LCSPR's recommendations as the second draft has them: not yet signed off, so they may still change.
RECOMMENDATIONS: list[dict[str, Any]] = [
    {"case": "lcspr", "number": str(n), "recommendation": text, "owner_agency": owner, "action": action, "lead": lead,
     "measure": measure, "due_date": When(months=months), "agreed_date": When(months=-1)}
    for n, (text, owner, action, lead, measure, months) in enumerate((
        ("Child protection plans for neglect measure change in the child, not only the parent's engagement.",
         "Children's Social Care", "Add a measure of change for the child to every neglect plan's review",
         "Asha Greene", "Audit of 20 neglect plans", 6),
        ("Missed health appointments are shared with the core group as part of the neglect picture.",
         "All partners", "Add missed appointments to the core group's standing agenda", "Nuala Brennan",
         "Core group minutes sampled", 4),
        ("Children's own views are sought and recorded at school and at home.",
         "Millbrook Primary School", "A 'child's voice' section in every welfare record", "Jane Whitfield",
         "Records sampled by the LIG", 5),
    ), 1)
]

#: The incident characteristics beyond each case's main one (the Characteristics sheet: all that apply).
CHARACTERISTICS: list[dict[str, Any]] = [
    {"case": "referral", "characteristic": "Criminal exploitation – County lines"},
    {"case": "lcspr", "characteristic": "Serious illness"},
    {"case": "year_lcspr", "characteristic": "Abuse – Online"},
    {"case": "year_rr_late", "characteristic": "Criminal exploitation – County lines"},
]

#: The actions tracker: Rapid Review actions of the LCSPR case (every BRAG colour) and the closed case (all Blue).
ACTIONS: list[dict[str, Any]] = [
    {"n": 1, "case": "lcspr", "source": "Rapid Review", "recommendation": "Missed health appointments were not "
     "seen as part of the neglect picture.", "action": "Add missed health appointments to the neglect "
     "screening tool used at child protection reviews", "owner_agency": "Health visiting", "lead": "Nuala Brennan",
     "measure": "Screening tool updated and in use; audit of 10 plans", "created_date": When(months=-5, working_days=18),
     "due_date": When(months=-1), "status": "In progress", "last_update_date": When(months=-4),
     "last_update": "Draft tool shared with the LIG."},
    {"n": 2, "case": "lcspr", "source": "Rapid Review", "recommendation": "School attendance concerns were not "
     "shared with the core group.", "action": "Brief all designated safeguarding leads on reporting attendance "
     "below 90% to the core group", "owner_agency": "Millbrook Primary School", "lead": "Jane Whitfield",
     "measure": "Briefing delivered; attendance item on every core group agenda",
     "created_date": When(months=-5, working_days=18), "due_date": wd(5), "status": "In progress",
     "last_update_date": wd(-10), "last_update": "Briefing booked for the next DSL forum."},
    {"n": 3, "case": "lcspr", "source": "Rapid Review", "recommendation": "Child protection plans did not measure "
     "change for the child.", "action": "Audit 20 neglect plans against the graded care profile",
     "owner_agency": "Children's Social Care", "lead": "Asha Greene", "measure": "Audit report to the LIG",
     "created_date": When(months=-5, working_days=18), "due_date": When(months=3), "status": "In progress",
     "last_update_date": wd(-6), "last_update": "Audit tool agreed; sample drawn."},
    {"n": 4, "case": "lcspr", "source": "Rapid Review", "recommendation": "Domestic abuse notifications reached "
     "school late.", "action": "Send police domestic abuse notifications to schools by 9am the next school day",
     "owner_agency": "Police", "lead": "DI Sarah Quinn", "measure": "Dip sample of notifications",
     "created_date": When(months=-5, working_days=18), "due_date": When(months=-2), "status": "Complete",
     "last_update_date": When(months=-2), "last_update": "In place since the spring.",
     "evidence": "Dip sample: 48 of 50 sent by 9am.", "signed_off_by": "LIG", "signed_off_date": When(months=-2)},
    {"n": 5, "case": "lcspr", "source": "Rapid Review", "recommendation": "GP practices were not invited to "
     "child protection conferences.", "action": "Invite the registered GP to every initial child protection "
     "conference", "owner_agency": "Children's Social Care", "lead": "Marcus Bell",
     "measure": "Invitation template changed", "created_date": When(months=-5, working_days=18),
     "due_date": When(months=-1), "status": "Complete – awaiting evidence", "last_update_date": wd(-15),
     "last_update": "Template changed; evidence to follow."},
    {"n": 1, "case": "closed", "source": "Rapid Review", "recommendation": "Repeat prescriptions not collected "
     "went unnoticed.", "action": "Alert the practice safeguarding lead when a child's asthma inhaler is not "
     "collected for 3 months", "owner_agency": "GP practice", "lead": "Dr Ade Okonjo",
     "measure": "Search running monthly", "created_date": When(months=-13), "due_date": When(months=-8),
     "status": "Complete", "last_update_date": When(months=-8), "evidence": "Monthly search report.",
     "signed_off_by": OFFICER, "signed_off_date": When(months=-7)},
    {"n": 2, "case": "closed", "source": "Rapid Review", "recommendation": "School did not know of Noah's asthma "
     "plan.", "action": "Ask parents for each pupil's health care plan at admission", "owner_agency":
     "Millbrook Primary School", "lead": "Jane Whitfield", "measure": "Admission form changed",
     "created_date": When(months=-13), "due_date": When(months=-9), "status": "Complete",
     "last_update_date": When(months=-9), "evidence": "New admission form.", "signed_off_by": OFFICER,
     "signed_off_date": When(months=-7)},
    {"n": 3, "case": "closed", "source": "Rapid Review", "recommendation": "Neglect of health needs was not "
     "considered at the first referral.", "action": "Include health needs in the front door's neglect prompts",
     "owner_agency": "Children's Social Care", "lead": "Asha Greene", "measure": "Prompt sheet updated",
     "created_date": When(months=-13), "due_date": When(months=-6), "status": "Complete",
     "last_update_date": When(months=-6), "evidence": "Prompt sheet v2.", "signed_off_by": OFFICER,
     "signed_off_date": When(months=-4)},
    # The year's Rapid Reviews: the sudden infant death's plan complete, the late Rapid Review's still open.
    {"n": 1, "case": "year_rr", "source": "Rapid Review", "recommendation": "Safer sleep advice was not repeated "
     "when the family moved.", "action": "Repeat safer sleep advice at every change of address of a baby under 1",
     "owner_agency": "Health visiting", "lead": "Nuala Brennan", "measure": "Audit of 20 records",
     "created_date": InYear(5, 7), "due_date": InYear(9, 30), "status": "Complete", "last_update_date": InYear(9, 25),
     "evidence": "Audit: 19 of 20 records show the advice repeated.", "signed_off_by": OFFICER,
     "signed_off_date": InYear(10, 20)},
    {"n": 1, "case": "year_rr_late", "source": "Rapid Review", "recommendation": "Exploitation screening was not "
     "repeated after a missing episode.", "action": "Repeat the exploitation screening after every missing "
     "episode of a child open to the exploitation team", "owner_agency": "Children's Social Care",
     "lead": "Asha Greene", "measure": "Dip sample of 10 return interviews", "created_date": InYear(9, 15),
     "due_date": When(months=2), "status": "In progress", "last_update_date": wd(-20),
     "last_update": "Screening prompt added to the return interview form."},
    {"n": 2, "case": "year_rr_late", "source": "Rapid Review", "recommendation": "Youth Justice did not hear of the "
     "knife possession arrest.", "action": "Share knife possession arrests of children with the Youth Justice "
     "Service the next working day", "owner_agency": "Police", "lead": "DI Sarah Quinn",
     "measure": "Dip sample of notifications", "created_date": InYear(9, 15), "due_date": When(months=-1),
     "status": "In progress", "last_update_date": When(months=-4), "last_update": "Process drafted."},
]

#: The packs of papers made for each case, at the stage where each makes sense.
PACKS: tuple[tuple[str, str], ...] = (
    ("referral", "referral"),
    ("referral", "decision"),
    ("rapid_review", "notification"),
    ("rapid_review", "rapid-review-meeting"),
    ("rapid_review", "rapid-review-report"),
    ("lcspr", "rapid-review-record"),
    ("lcspr", "submission"),
    ("lcspr", "lcspr-tor"),
    # Issue 15: the referral's loop, the duties, the Panel's reply and the LCSPR to publication.
    ("referral", "referral-receipt"),
    ("referral", "placing-authority"),
    ("rapid_review", "referral-outcome"),
    ("rapid_review", "partners-report"),
    ("lcspr", "panel-reply"),
    ("lcspr", "lcspr-panel"),
    ("lcspr", "lcspr-report"),
    ("lcspr", "publication"),
    ("care_leaver", "sos-ofsted"),
)


# -- the agencies' chronology returns of the Rapid Review case ---------------------------------------


@dataclass(frozen=True)
class Entry:
    """One row of an agency's chronology: when, and what the agency wrote in each column."""

    #: A date, a date typed wrong, or the date cell as the agency typed it ("31/02/{year}"), or None for blank.
    when: When | YearMistyped | str | None
    contact_type: str
    by_whom: str
    details: str
    comments: str = ""
    subjects: str = ""
    source: str = ""
    #: The team within the agency, in the Agency/Department column ("Front Door"); the agency's name when "".
    department: str = ""


@dataclass(frozen=True)
class AgencyReturn:
    """One agency's return and how it arrives: ``style`` says which kind of file the agency sends."""

    agency: str
    #: "request workbook" (the pack's workbook filled in), "title block" (an export with a title block
    #: and dates typed as text), "csv" (Excel's CSV on Windows), "own workbook" (the agency's own layout).
    style: str
    file: str
    entries: tuple[Entry, ...]
    #: Working days before the demo runs that the return arrived.
    received: int
    #: The case the return is for, when it is not the one whose folder it is filed in (misfiled).
    for_case: str | None = None
    #: The agency summary: question key (caseforms.chronology.summaries.QUESTIONS), "author" or "signed_off" ->
    #: what the agency wrote. A request workbook answers it on its Agency summary sheet; any other return sends
    #: it as a Word document of its own ("<agency> agency summary.docx").
    summary: tuple[tuple[str, str], ...] = ()


RR_RETURNS: tuple[AgencyReturn, ...] = (
    AgencyReturn("Health visiting", "request workbook", "", received=3, entries=(
        Entry(aware_rr(-313), "Home visit", "HV Grace Adebayo",
              "12-month development review at home. Maya walking with support; weight on the 25th centile. Chloe "
              "said she felt isolated since moving to the area.",
              "Universal service. Chloe given the details of the children's centre.", "Maya Thornton; Chloe Thornton",
              "Health visiting record"),
        Entry(aware_rr(-183, at="11:20"), "Telephone call", "HV Grace Adebayo",
              "Chloe phoned to cancel the planned visit; said the family had colds.", "Visit rebooked.",
              "Chloe Thornton", "Health visiting record"),
        Entry(aware_rr(-143), "Home visit", "HV Grace Adebayo", "No reply at the rebooked visit. Card left.",
              "Second missed contact; not escalated.", "Maya Thornton", "Health visiting record"),
        Entry(aware_rr(-103, at="10:05"), "Home visit", "HV Grace Adebayo",
              "Visit completed. Chloe said her partner Ryan had moved in. A small bruise on Maya's forehead; Chloe "
              "said Maya fell against the coffee table.",
              "Explanation consistent with her age and mobility. Not discussed with the safeguarding team.",
              "Maya Thornton; Chloe Thornton", "Health visiting record"),
        Entry(aware_rr(-28, at="14:00"), "Multi-agency meeting", "HV Grace Adebayo",
              "Attended the child in need meeting for Maya and Leo.", "HV to visit monthly.",
              "Maya Thornton; Leo Thornton", "Health visiting record"),
        Entry(aware_rr(0), "Hospital attendance", "Named nurse",
              "Notification from the Emergency Department: Maya admitted with a head injury.",
              "Health visiting records shared with the hospital safeguarding team.", "Maya Thornton",
              "Health visiting record"),
    )),
    AgencyReturn("Children's Social Care", "request workbook", "", received=1, entries=(
        Entry(aware_rr(-223), "Referral", "Front door team",
              "Notification from police of a domestic abuse incident at the home; the children were asleep.",
              "No further action after checks; letter to Chloe with local support services.",
              "Chloe Thornton; Ryan Mercer", "Case record", "Front Door"),
        Entry(aware_rr(-78), "Referral", "Front door team",
              "Second police notification of domestic abuse; Leo was present. Referral accepted for a child and "
              "family assessment.", "", "Leo Thornton; Maya Thornton", "Case record", "Front Door"),
        Entry(aware_rr(-63, at="15:30"), "Home visit", "SW Tariq Hussain",
              "Maya and Leo seen at home with Chloe. Ryan not present. Home conditions adequate.",
              "Chloe said Ryan had moved out; not checked with other agencies.", "Maya Thornton; Leo Thornton",
              "Case record", "Assessment Team"),
        Entry(aware_rr(-43), "Assessment", "SW Tariq Hussain",
              "Child and family assessment completed: child in need plan for both children. Ryan declined to take "
              "part.", "Ryan's role in the household not assessed.", "Maya Thornton; Leo Thornton", "Case record",
              "Assessment Team"),
        Entry(aware_rr(-28, at="14:00"), "Multi-agency meeting", "SW Tariq Hussain",
              "Child in need meeting. School raised Leo's attendance (84%). HV reported missed contacts.",
              "Plan reviewed; monthly visits agreed.", "Maya Thornton; Leo Thornton", "Case record", "Assessment Team"),
        Entry(aware_rr(-1, at="21:10"), "Telephone call", "Emergency duty team",
              "The hospital told the emergency duty team that Maya had been admitted with a head injury.",
              "Strategy discussion arranged for the morning.", "Maya Thornton", "Case record", "Emergency Duty Team"),
        Entry(aware_rr(0, at="10:00"), "Strategy discussion", "Team manager",
              "Strategy discussion with police and health. Section 47 enquiries agreed for both children; safety "
              "plan: both children to stay with their maternal grandmother.", "", "Maya Thornton; Leo Thornton",
              "Case record", "Assessment Team"),
    ), summary=(
        ("involvement", "Two police notifications of domestic abuse (the first closed after checks, the second "
                        "accepted for assessment); a child and family assessment; a child in need plan for Maya and "
                        "Leo from five weeks before the incident."),
        ("analysis", "The assessment took Chloe's word that Ryan had moved out. It was not checked with the police, "
                     "housing or health visiting, and Ryan's part in caring for the children was never assessed."),
        ("lived_experience", "Maya was 18 months old and not yet talking. Visits were announced and short; we do "
                             "not know what her days were like when Ryan was at home."),
        ("identity", "Chloe, Maya and Leo are White British. Chloe moved to the area a year ago and has no family "
                     "nearby. No other protected characteristics recorded."),
        ("worked_well", "The second police notification was screened the same day and allocated within 48 hours."),
        ("worries", "Two domestic abuse notifications in five months did not lead to a strategy discussion.\n\n"
                    "The child in need plan did not name Ryan."),
        ("current_safeguarding", "Section 47 enquiries for both children. Maya and Leo are staying with their "
                                 "maternal grandmother under a safety plan; Ryan is not to have contact."),
        ("learning", "Partners who are said to have left must be checked with other agencies before a plan relies "
                     "on it."),
        ("actions", "1. Child in need plans to name every adult in the household – Head of Service, within 3 "
                    "months.\n2. Audit of repeat domestic abuse notifications – Front Door manager, within 2 months."),
        ("author", "Sam Okafor, Practice Review Officer, Children's Social Care"),
        ("signed_off", "Dana Whitlock, Head of Service, Children's Social Care"),
    )),
    AgencyReturn("Police", "title block", "Police chronology (Niche export).xlsx", received=2, entries=(
        Entry(aware_rr(-224, at="23:15"), "Police attendance", "PC Dan Walsh",
              "Neighbour reported shouting at the address. Officers attended; Chloe and Ryan had argued. Children "
              "asleep upstairs.", "DASH risk assessment: standard. Notification sent to children's social care.",
              "Chloe Thornton; Ryan Mercer", "Niche RMS"),
        Entry(aware_rr(-79, at="21:50"), "Police attendance", "PC Jo Fraser",
              "Chloe called 999 saying Ryan had pushed her. Ryan had left before officers arrived. Leo present and "
              "upset.", "DASH: medium. Referral to children's social care; Ryan interviewed later.",
              "Chloe Thornton; Ryan Mercer; Leo Thornton", "Niche RMS"),
        Entry(aware_rr(-1, at="22:30"), "Police attendance", "DS Mark Ellery",
              "Called by the hospital: Maya admitted with a head injury. Ryan said she fell from the sofa.",
              "Chloe and Ryan interviewed voluntarily; investigation continuing.", "Maya Thornton; Ryan Mercer",
              "Niche RMS"),
        Entry(aware_rr(0, at="10:00"), "Strategy discussion", "DS Mark Ellery",
              "Strategy discussion with children's social care and health about Maya's injury.",
              "Joint investigation agreed.", "Maya Thornton", "Niche RMS"),
    ), summary=(
        ("involvement", "Three attendances at the address: two domestic abuse incidents (the second with Leo "
                        "present) and the night of Maya's injury; and the strategy discussion the next morning."),
        ("analysis", "Each incident was risk-assessed on its own. Ryan's history with a previous partner was on our "
                     "systems but was not linked to this household until after Maya's injury."),
        ("lived_experience", "Officers recorded Leo as 'upset' at the second incident; nobody spoke with him."),
        ("worked_well", "Notifications reached children's social care the next working day both times."),
        ("worries", "The DASH assessments did not take account of Ryan's previous history."),
        ("learning", "Previous intimate partner history must be checked and shared at the first incident."),
        ("author", "DS Mark Ellery, Public Protection Unit"),
        ("signed_off", "DCI Nadia Brooks, Head of Public Protection"),
    )),
    AgencyReturn("Housing", "csv", "Housing return.csv", received=2, entries=(
        Entry(aware_rr(-133), "Office visit", "Tenancy officer",
              "Tenancy sign-up: Chloe, Maya and Leo moved into a two-bedroom flat at Kestrel Court."),
        Entry(aware_rr(-83), "Letter", "Income officer",
              "Rent arrears of £420 – letter offering a money advice appointment.", "No reply."),
        Entry(aware_rr(-45, at="09:15"), "Telephone call", "Tenancy officer",
              "Neighbour complained of shouting and doors banging late at night.",
              "Chloe said it was “a one-off”; no referral made."),
    )),
    AgencyReturn("GP practice", "own workbook", "GP practice chronology.xlsx", received=1, entries=(
        Entry(aware_rr(-283), "Medical appointment", "Practice nurse", "Maya: 12-month immunisations given.", "",
              "Maya Thornton"),
        # Mistakes the merge flags: a date that does not exist, a row with no date, a year typed wrong.
        Entry("31/02/{year}", "Medical appointment", "Dr Ade Okonjo",
              "Chloe: appointment about low mood; started on medication.", "Follow-up in four weeks.",
              "Chloe Thornton"),
        Entry(None, "Medical appointment", "Practice nurse", "Leo: asthma review not attended.",
              "Second missed review; letter sent.", "Leo Thornton"),
        Entry(aware_rr(-43), "Medical appointment", "Dr Ade Okonjo",
              "Maya seen for a cough. A small bruise on her shin noted; mother said she bumped into a door.",
              "Bruise consistent with a mobile toddler.", "Maya Thornton"),
        Entry(YearMistyped(aware_rr(2)), "Letter", "Practice administrator", "Discharge letter from the hospital received.", "",
              "Maya Thornton"),
    )),
    # Filed in the wrong folder: the school's return for the LCSPR case. The merge leaves it out.
    AgencyReturn("Millbrook Primary School", "title block", "School chronology.xlsx", received=1, for_case="lcspr",
                 entries=(
        Entry(ago(200, months=5), "School contact", "Jane Whitfield",
              "Ruby's attendance this term 81%. Letter to Kerry.", "", "Ruby Fenwick", "Attendance record"),
        Entry(ago(150, months=5), "School contact", "Jane Whitfield",
              "Ruby said she had not had breakfast; school gave her breakfast club.", "Logged as a welfare concern.",
              "Ruby Fenwick", "Safeguarding log"),
    )),
)
