"""The catalogue of papers, packs and every field a paper's template can use.

A field is written as a template writes it: ``child.date_of_birth``; ``children[]`` stands for
each item of a list (``{% for c in children %}{{ c.name }}`` uses ``children[].name``). This is
what `caseforms templates fields` prints and what `caseforms templates check` compares a
partnership's own templates against. The contexts in :mod:`caseforms.papers.context` provide
exactly these fields (a contract test holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The protective marking printed in every paper's header and footer (Government Security Classifications).
MARKING = "OFFICIAL-SENSITIVE"

#: The criteria for a local child safeguarding practice review the Rapid Review report answers one by one.
#: The document the papers' descriptions cite (004_6c96fbcaaedcbdc1.txt), as officers know it.
_LINCOLNSHIRE = "Lincolnshire Safeguarding Children Partnership, Serious Incident Review Guidance"

#: Source: Working Together to Safeguard Children 2023 ch. 5; 000_44eed6501ae43eb6.txt: 3.1 Purpose of Rapid
#: Reviews (all four); 004_6c96fbcaaedcbdc1.txt: Decision making on initiating local CSPRs, Appendix G.
LCSPR_CRITERIA = (
    "Highlights or may highlight improvements needed to safeguard and promote the welfare of children, "
    "including where those improvements have been previously identified.",
    "Highlights or may highlight recurrent themes in the safeguarding and promotion of the welfare of children.",
    "Highlights or may highlight concerns regarding two or more organisations or agencies working together "
    "effectively to safeguard and promote the welfare of children.",
    "Is one which the Child Safeguarding Practice Review Panel have considered and concluded a local review may "
    "be more appropriate.",
)

#: The circumstances the safeguarding partners also have regard to when deciding on a local review.
#: Source: Working Together to Safeguard Children 2023 ch. 5; 000_44eed6501ae43eb6.txt: 3.1 Purpose of Rapid
#: Reviews; 004_6c96fbcaaedcbdc1.txt: Decision making on initiating local CSPRs.
REGARD_TO = (
    "Where the safeguarding partners have cause for concern about the actions of a single agency.",
    "Where there has been no agency involvement and this gives the safeguarding partners cause for concern.",
    "Where more than one local authority, police area or integrated care board is involved, including in cases "
    "where families have moved around.",
    "Where the case may raise issues relating to safeguarding or promoting the welfare of children in "
    "institutional settings.",
)

#: Where the papers cite the criteria and circumstances, in words an officer and the Panel read.
CRITERIA_SOURCE = "Working Together to Safeguard Children 2023, chapter 5"

_PERSON = {
    "number": "its place in the list: 1, 2, 3...",
    "name": "full name",
    "relationship": "relationship to the child ('Subject child' for the child)",
    "date_of_birth": "date of birth, e.g. 3 February 2019",
    "age_at_incident": "age on the day of the incident, e.g. '4 years 2 months'",
    "date_of_death": "date of death, or 'Not applicable'",
    "address": "address",
    "nhs_number": "NHS number, spaced 3-3-4",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "disability": "disability, or 'None known'",
    "education": "education provision (school, nursery)",
    "legal_status": "legal status at the time of the incident",
    "cp_plan": "child protection plan: start date and category, or 'Not on a plan'",
    "placing_authority": "the local authority that placed the child, or 'Not applicable'",
    "harm": "'Died' or 'Seriously harmed'",
    "known_to_social_care": "whether the child was known to children's social care",
}
_RELATIVE = ("number", "name", "relationship", "date_of_birth", "address", "nhs_number")
_AGENCY = {
    "name": "agency name",
    "involvement": "nature of involvement and/or intervention",
    "involved_from": "involved from (date)",
    "involved_to": "involved to (date), or 'Ongoing'",
    "period": "the period of involvement in words: '3 March 2023 to date'",
    "contact_name": "single point of contact / Safeguarding Lead Officer",
    "contact_role": "their role",
    "summary_requested": "date the agency summary / chronology was requested",
    "summary_due": "date (and time) it was due back",
    "summary_received": "date it was received, or 'Not yet received'",
    "summary_author": "author of the agency summary",
    "summary_signed_off": "who signed the agency summary off (name, role, date)",
    "summary": "the agency summary text: each question's title, then the answer",
    "summary_answers": "the agency summary's answers, in the order asked",
    "summary_source": "the file the summary came in",
}
_ANSWER = {"question": "the question's title, e.g. 'What worked well'", "answer": "the agency's answer, as written"}
_ATTENDEE = {"name": "name", "role": "role", "organisation": "organisation",
             "described": "name with role and organisation: 'Marcus Bell (Director, Thornbury Council)'"}
_OPTION = {"label": "the option's wording", "box": "☒ when it applies, ☐ when not", "ticked": "true when it applies"}


def _each(prefix: str, keys: dict[str, str] | tuple[str, ...], what: str) -> dict[str, str]:
    source = keys if isinstance(keys, dict) else {k: _PERSON[k] for k in keys}
    return {f"{prefix}.{key}": f"{what}: {text}" for key, text in source.items()}


GROUPS: dict[str, dict[str, str]] = {
    "common": {
        "partnership.name": "the partnership's name (profile [bodies] partnership)",
        "partnership.title": "the profile's title",
        "bodies.executive": "name of the body that decides on referrals (Executive, SIRG)",
        "bodies.rapid_review_group": "name of the Rapid Review group or panel",
        "bodies.learning_group": "name of the Learning and Improvement Group",
        "bodies.assurance": "name of the body that signs off (safeguarding partners, Assurance Executive)",
        "bodies.national_panel": "name of the Child Safeguarding Practice Review Panel",
        "bodies.lcspr_signoff": "who signs an LCSPR's final report off and agrees its publication (KSCMP Executive, "
                                "LSCP Assurance Executive)",
        "document.title": "the paper's title",
        "document.version": "version of this paper, e.g. 1.0",
        "document.date": "date the paper was produced, e.g. 3 February 2025",
        "document.author": "the officer who produced it",
        "document.status": "'Draft' until the paper is agreed",
        "document.marking": "the protective marking, OFFICIAL-SENSITIVE",
        "case.ref": "the case reference in the register",
        "case.status": "the case status in the register",
        "case.children_names": "the children's names joined: 'Amelia Brown and Leo Brown'",
    },
    "children": {
        "children": "the children in the review, each with the fields below (true when there is any)",
        **_each("children[]", _PERSON, "each child"),
        **_each("child", _PERSON, "the first (or only) child"),
    },
    "family": {
        "family": "the child's family and network",
        **_each("family[]", _RELATIVE, "each family member"),
    },
    "people_in_scope": {
        "people_in_scope": "the children and significant others in scope (children first)",
        **_each("people_in_scope[]", _RELATIVE, "each person in scope"),
    },
    "agencies": {
        "agencies": "the agencies involved, each with the fields below",
        **_each("agencies[]", _AGENCY, "each agency"),
        **_each("agencies[].summary_answers[]", _ANSWER, "each answer of an agency's summary"),
        "agencies_received": "the agencies whose summary has been received",
        **_each("agencies_received[]", _AGENCY, "each agency whose summary is in"),
        **_each("agencies_received[].summary_answers[]", _ANSWER, "each answer of a received summary"),
    },
    "incident": {
        "incident.date": "date of the incident",
        "incident.time": "time of the incident (24-hour), or 'Not known'",
        "incident.location": "where it happened",
        "incident.where": "'In the local authority's area' or 'Outside England (child normally resident here)'",
        "incident.harm": "'Death' or 'Serious harm'",
        "incident.abuse_or_neglect": "'Abuse', 'Neglect' or 'Abuse and neglect' (known or suspected)",
        "incident.death_box": "☒ when the child died",
        "incident.serious_harm_box": "☒ when the child was seriously harmed",
        "incident.abuse_box": "☒ when abuse is known or suspected",
        "incident.neglect_box": "☒ when neglect is known or suspected",
        "incident.outline": "what happened",
        "incident.immediate_actions": "immediate action taken to keep the child and siblings safe",
        "incident.police_investigation": "whether there is a police investigation",
        "incident.characteristics": "every incident characteristic of the profile, ticked or not",
        **_each("incident.characteristics[]", _OPTION, "each characteristic"),
        "incident.characteristics_ticked": "the characteristics that apply, joined with commas",
    },
    "referral": {
        "referral.received": "date the referral reached the partnership",
        "referral.agency": "the referring agency",
        "referral.slo_name": "name of the SLO / referrer",
        "referral.telephone": "their telephone number",
        "referral.email": "their e-mail address",
        "referral.pathway": "the pathway asked for",
        "referral.pathway_options": "every pathway of the profile, ticked or not",
        **_each("referral.pathway_options[]", _OPTION, "each pathway"),
        "referral.reason": "why the referral is made",
        "referral.decision_due": "when the decision on the referral is due (from the profile's timescales)",
        "referral.authorised_by": "who in the referring agency agreed the referral (name, role)",
        "referral.receipt_confirmed": "when receipt was confirmed to the referrer, or 'Not yet'",
        "referral.more_information_requested": "when more information was asked of the referrer, or 'Not asked'",
        "referral.more_information_asked": "what the referrer was asked for, or 'Nothing'",
        "referral.outcome_letter_sent": "when the referrer and agencies were told the outcome, or 'Not yet'",
        "referral.outcome": "the outcome of the referral in a sentence: the decision and what follows",
        "referral.copied_to": "the agencies involved, who are told the outcome too (list of text)",
    },
    "decision": {
        "decision.discussed": "date the referral was discussed",
        "decision.decision": "the decision",
        "decision.options": "every decision of the profile, ticked or not",
        **_each("decision.options[]", _OPTION, "each decision"),
        "decision.rationale": "the rationale for the recommendation",
        "decision.response": "the Assurance Executive's / Executive's response and rationale",
        "decision.response_date": "date of that response",
        "decision.attendees": "who took the decision",
        **_each("decision.attendees[]", _ATTENDEE, "each attendee"),
        "decision.attendee_names": "the attendees in one line: 'Name (Role, Organisation); ...'",
        "decision.family_told": "whether the family is told of the notification",
        "decision.decided_how": "'Unanimously' or 'By majority', as the Executive's meeting records it",
        "decision.dissent": "the dissenting view, or 'None: the decision was unanimous'",
        "decision.dissented_by": "who dissented, or 'None'",
        "decision.review_criteria": "the four criteria for a local review the Rapid Review will consider",
        "decision.regard_to": "the circumstances the partners also have regard to",
    },
    "notification": {
        "notification.kind": "what is notified: serious incident, death of a looked-after child...",
        "notification.aware": "date the local authority became aware",
        "notification.due": "the statutory notification deadline (5 working days after becoming aware)",
        "notification.notified": "date the National Panel was notified",
        "notification.notifier_name": "who makes the notification",
        "notification.notifier_role": "their job title",
        "notification.notifier_email": "their e-mail address",
        "notification.notifier_phone": "their telephone number",
        "notification.local_authority": "the notifying local authority",
        "notification.panel_reference": "the National Panel's reference for the notification",
        "notification.children": "the first four children (the online form takes up to 4)",
        **_each("notification.children[]", _PERSON, "each notified child"),
        "notification.children_over_four": "the children beyond the fourth, for 'further information'",
        "notification.other_children": "other children in the household or affected",
        "notification.secretary_of_state_told": "whether the Secretary of State and Ofsted are told (LAC death)",
        "notification.further_information": "anything else for the form",
    },
    "rapid_review": {
        "rapid_review.notified": "date of the notification that started the Rapid Review",
        "rapid_review.partners_informed": "date the wider partnership was informed",
        "rapid_review.scope_agreed": "date the statutory partners agreed the scope",
        "rapid_review.scope_from": "start of the scope period",
        "rapid_review.scope_to": "end of the scope period",
        "rapid_review.scope_period": "the scope period in words: '1 March 2024 to 31 January 2025'",
        "rapid_review.chronology_deadline": "when agency chronologies are due back (date and time)",
        "rapid_review.meeting_days": "the Rapid Review meeting date(s) in words",
        "rapid_review.submission_due": "when the report must reach the National Panel (15 working days)",
        "rapid_review.submitted": "date the report was sent to the National Panel",
        "rapid_review.contributors": "the contributing agencies' names",
        "rapid_review.membership": "membership: organisation and named individual",
        **_each("rapid_review.membership[]", _ATTENDEE, "each member"),
        "rapid_review.authors": "the report's authors (list of names or agencies)",
        "rapid_review.advisers": "the report's advisers",
        "rapid_review.sign_off": "who signed the report off",
        **_each("rapid_review.sign_off[]", _ATTENDEE, "each signatory"),
        "rapid_review.independent_chair": "the partnership's independent chair / scrutineer",
        "rapid_review.case_summary": "case summary",
        "rapid_review.recent_history": "recent history (review scope)",
        "rapid_review.background": "background",
        "rapid_review.worked_well": "what worked well",
        "rapid_review.worries": "what we are worried about",
        "rapid_review.learning_points": "provisional learning points",
        "rapid_review.initial_actions": "initial actions",
        "rapid_review.criteria": "each LCSPR criterion (all four) with the group's finding",
        "rapid_review.criteria[].number": "each criterion: its number, 1 to 4",
        "rapid_review.criteria[].criterion": "each criterion: its wording",
        "rapid_review.criteria[].finding": "each criterion: the finding",
        "rapid_review.regard_to": "the circumstances the partners also have regard to (list of text)",
        "rapid_review.circumstances": "the group's view on those circumstances",
        "rapid_review.criteria_source": "where the criteria come from, in words",
        "rapid_review.meeting_said": "the meeting in the right tense: 'met on 19 and 20 February 2025' or "
                                     "'is to meet on 4 December 2026'",
        "rapid_review.decision_date": "the day the decision was made (the deciding meeting)",
        "rapid_review.decided_how": "'Unanimously' or 'By majority', as the meeting records it",
        "rapid_review.decision_said": "the decision as made, in a sentence for the letter: unanimous, or by "
                                      "majority with who dissented and why",
        "rapid_review.dissent": "the dissenting view as recorded, or 'None: the decision was unanimous'",
        "rapid_review.dissented_by": "who dissented, or 'None'",
        "rapid_review.outcome_reason": "why the group reached its outcome",
        "rapid_review.executive_sight": "whether and when the Executive saw the decision before the Panel, "
                                        "in a sentence (empty when the profile has no such rule)",
        "rapid_review.outcome": "the outcome (exactly one of the profile's rr_outcomes)",
        "rapid_review.outcome_options": "every outcome, ticked or not",
        **_each("rapid_review.outcome_options[]", _OPTION, "each outcome"),
        "rapid_review.no_review_reason": "why no further review, when that is the outcome",
        "rapid_review.signatory.name": "who signs the covering letter",
        "rapid_review.signatory.role": "their role",
        "rapid_review.signatory.organisation": "their organisation",
    },
    "meeting": {
        "meeting.kind": "the kind of meeting",
        "meeting.date": "meeting date",
        "meeting.time": "start and end time, e.g. '10:00 to 12:30'",
        "meeting.venue": "venue or link",
        "meeting.chair": "the chair",
        "meeting.attendees": "who is invited or attended",
        **_each("meeting.attendees[]", _ATTENDEE, "each attendee"),
        "meeting.quorum": "the quorum rule: the roles that must be present",
        "meeting.agenda": "the agenda items",
        "meeting.agenda[].number": "each item: its number",
        "meeting.agenda[].title": "each item: what is discussed",
        "meeting.agenda[].lead": "each item: who leads",
        "meeting.agenda[].paper": "each item: the paper for it",
    },
    "chronology": {
        "chronology": "the master chronology rows, oldest first (empty when none yet)",
        "chronology[].date": "each row: date (and time), with the merge's mark when it flagged the entry",
        "chronology[].flag": "each row: the merge's mark, e.g. '[check: date in the future]', or empty",
        "chronology[].source": "each row: source of information",
        "chronology[].agency": "each row: the agency, and its department when the return names one",
        "chronology[].department": "each row: the department or team within the agency, or empty",
        "chronology[].contact": "each row: type of contact and by whom, e.g. 'Home visit – Aisha Rahman'",
        "chronology[].subjects": "each row: name of subject(s)",
        "chronology[].contact_type": "each row: type of contact",
        "chronology[].by_whom": "each row: by whom",
        "chronology[].details": "each row: details of event",
        "chronology[].analysis": "each row: comments / analysis of outcome",
        "chronology_count": "how many rows the master chronology has",
        "timeline_chart": "the chronology as a timeline, a lane per agency (a Word chart; empty when no entry is dated)",
        "key_episodes": "the key episodes tagged in the master chronology, numbered in date order as on the timeline",
        "key_episodes[].number": "each: its number on the timeline",
        "key_episodes[].date": "each: its date",
        "key_episodes[].label": "each: what the officer called it in the Key episode column",
        "key_episodes[].agency": "each: the agency whose entry it is",
        "key_episodes[].entry": "each: the entry's number in the master chronology",
        "chronology_findings": "what the merge flagged that still stands (errors and warnings)",
        "chronology_findings[].place": "each: file, sheet, row and column",
        "chronology_findings[].message": "each: what is wrong and what to do",
        "chronology_findings[].severity": "each: 'error' or 'warning'",
    },
    "actions": {
        "actions": "the actions of the action plan",
        "actions[].number": "each action: its number",
        "actions[].learning_point": "each action: the learning point it answers",
        "actions[].action": "each action: what will be done (SMART)",
        "actions[].owner_agency": "each action: the agency that owns it",
        "actions[].lead": "each action: the named lead",
        "actions[].due": "each action: due date",
        "actions[].status": "each action: status",
        "actions[].last_update": "each action: date of the last update",
        "actions[].evidence": "each action: evidence of completion",
    },
    "lcspr": {
        "lcspr.decision_date": "date the LCSPR was decided (initiation)",
        "lcspr.methodology": "the methodology",
        "lcspr.methodology_options": "every methodology of the profile, ticked or not",
        **_each("lcspr.methodology_options[]", _OPTION, "each methodology"),
        "lcspr.reviewer": "the reviewer / author",
        "lcspr.reviewer_independent": "'Yes' when the reviewer is independent",
        "lcspr.reviewer_standing": "'independent reviewer', or 'not independent of the partnership', to follow the "
                                   "reviewer's name",
        "lcspr.pseudonym": "the pseudonym used for the child in published material",
        "lcspr.scope_period": "the period the review covers",
        "lcspr.key_lines_of_enquiry": "the key lines of enquiry (list of text)",
        "lcspr.panel": "the review panel",
        **_each("lcspr.panel[]", _ATTENDEE, "each panel member"),
        "lcspr.family_involvement": "how the family will be involved",
        "lcspr.practitioner_involvement": "how practitioners will be involved",
        "lcspr.publication_due": "the publication deadline (6 months from initiation)",
        "lcspr.report_to_panel_due": "when the full report must reach the National Panel",
        "lcspr.panel_chair": "who chairs the review panel",
        "lcspr.media_lead": "the contact for media interest in the review",
        "lcspr.parallel_processes": "criminal, coronial or other reviews running alongside, and who liaises",
        "lcspr.reviewer_commissioned": "when the reviewer was commissioned",
        "lcspr.reviewer_checks": "conflicts of interest, confidentiality agreement and the name sent to the Panel, "
                                 "in a sentence",
        "lcspr.timetable": "the review's meetings and events in date order",
        **_each("lcspr.timetable[]", {"date": "the date (and time)", "what": "the meeting or event",
                                      "venue": "where"}, "each meeting"),
    },
    "duty": {
        "duty.person": "who died or was harmed, as the paper calls them: 'The child', or 'The young person' for a "
                       "care leaver",
        "duty.each_person": "what each person's heading calls them: 'Child', or 'Young person' for a care leaver",
        "duty.kind": "the duty this paper is for, in words (a looked-after child's death, a care leaver's death...)",
        "duty.duties": "every notification duty the register switches on for the case (list of text)",
        "duty.information_only": "what the notification leads to: for information only (a care leaver), or a "
                                 "review may follow",
        "duty.abuse_or_neglect": "whether the duty applies whether or not abuse or neglect is suspected, in words",
        "duty.aware": "when the local authority became aware",
        "duty.due": "when the Secretary of State and Ofsted must be told (5 working days after becoming aware)",
        "duty.notified": "when the Secretary of State and Ofsted were told, or 'Not yet notified'",
        "duty.regulated_setting": "the regulated setting or service, or 'Not applicable'",
        "duty.placing_authority": "the local authority that placed the child, or 'Not applicable'",
        "duty.placing_due": "when the placing authority must confirm it will notify (24 hours), or 'Not set'",
        "duty.placing_confirmed": "when the placing authority confirmed, or 'Not yet confirmed'",
        "duty.partners_due": "when the safeguarding partners must be told (5 working days after becoming aware)",
        "duty.partners_informed": "when they were told, or 'Not yet'",
        "duty.source": "the guidance the duty comes from, by document title and section",
    },
    "correspondence": {
        "correspondence.date": "the letter's date",
        "correspondence.to": "whom it is addressed to (lines of text)",
        "correspondence.dear": "the salutation's name",
        "correspondence.subject": "the letter's subject line",
        "correspondence.copied_to": "who receives a copy (list of text), or none",
        "correspondence.signatory.name": "who signs it",
        "correspondence.signatory.role": "their role",
        "correspondence.signatory.organisation": "their organisation",
        "correspondence.enclosures": "what is enclosed (list of text), or none",
    },
    "panel_reply": {
        "panel_reply.received": "when the National Panel replied",
        "panel_reply.view": "the Panel's view: agrees, disagrees or asks for more information",
        "panel_reply.points": "the points the Panel made (list of text)",
        "panel_reply.circulated": "when the reply was shared with the partners and the Executive, or 'Not yet'",
        "panel_reply.reconvene_due": "when the group must reconvene (from the profile's timescales)",
        "panel_reply.reconvened": "when the group reconvened, or 'Not yet'",
        "panel_reply.reconvened_decision": "what the reconvened group decided and why",
        "panel_reply.reply_due": "when the reply to the Panel is due",
        "panel_reply.reply_sent": "when the reply was sent, or 'Not yet sent'",
    },
    "lcspr_review": {
        "imrs": "the agencies asked for an Independent Management Review",
        **_each("imrs[]", {"agency": "the agency", "author": "the IMR author", "briefing": "the author briefing",
                           "due": "when it is due", "qa": "when it went for quality assurance, and by whom",
                           "received": "when it was received, or 'Not yet received'",
                           "state": "where it stands: received, overdue, due..."}, "each IMR"),
        "family_members": "the family members and how each is involved (relationships, no names)",
        **_each("family_members[]", {"relationship": "their relationship to the child",
                                     "told": "told of the review", "contact": "the contact agreed",
                                     "support": "the support offered", "views": "their views heard (when, how)",
                                     "report": "when they saw the report before publication",
                                     "pseudonym": "whether they chose the pseudonym"}, "each family member"),
        "drafts": "the report's drafts and their quality assurance",
        **_each("drafts[]", {"draft": "the draft", "received": "received from the reviewer",
                             "qa": "quality assured (by whom, when)", "agreed": "agreed by the panel"}, "each draft"),
        "practitioner_events": "the practitioner events (list of text: date and what)",
    },
    "panel_meeting": {
        "panel_meeting.date": "the review panel meeting's date",
        "panel_meeting.time": "its time",
        "panel_meeting.venue": "where it is held",
        "panel_meeting.chair": "the chair",
        "panel_meeting.number": "which meeting of the panel it is: 'the 2nd meeting'",
        "panel_meeting.attendees": "the panel members invited",
        **_each("panel_meeting.attendees[]", _ATTENDEE, "each member"),
        "panel_meeting.agenda": "the agenda items",
        "panel_meeting.agenda[].number": "each item: its number",
        "panel_meeting.agenda[].title": "each item: what is discussed",
        "panel_meeting.agenda[].lead": "each item: who leads",
    },
    "recommendations": {
        "recommendations": "the LCSPR's recommendations, SMART, from the register",
        **_each("recommendations[]", {"number": "its number", "recommendation": "the recommendation",
                                      "owner_agency": "for which agency, or all partners", "action": "the action",
                                      "lead": "the named lead", "measure": "the evidence expected",
                                      "due": "the due date"}, "each recommendation"),
        "recommendations_locked": "whether the recommendations are locked (signed off), in a sentence",
    },
    "publication": {
        "publication.signed_off": "when the Executive signed the report off, or 'Not yet'",
        "publication.due": "the publication deadline: 6 months from the decision to hold the LCSPR",
        "publication.planned": "the planned publication date, or 'Not yet set'",
        "publication.published": "when it was published, or 'Not yet published'",
        "publication.report_to_panel_due": "when the full report must reach the National Panel (7 working days "
                                           "before publication)",
        "publication.report_to_panel_sent": "when it was sent, or 'Not yet sent'",
        "publication.place": "where it is published",
        "publication.form": "full report, or learning and recommendations only",
        "publication.link": "the web address of the published report, or 'Not yet'",
        "publication.nspcc_sent": "when it was sent to the NSPCC repository, or 'Not yet'",
        "publication.online_until": "how long it stays online (the profile's period), and until when",
        "publication.strategy_agreed": "when the publication strategy was agreed, or 'Not yet'",
        "publication.media_lead": "the media / communications lead",
        "publication.family_seen": "whether the family has seen the report before publication, in a sentence",
        "publication.delay": "why publication is later than 6 months, and when the Panel was told; or 'None'",
        "publication.reviewer_named": "the reviewer's name, as the published report gives it",
        "publication.decision": "the Executive's decision on publication (what, where, when), until written in",
    },
    "lcspr_report": {
        "lcspr_report.child": "the child as the published report names them: the pseudonym",
        "lcspr_report.family_composition": "the family by relationship, never by name (list of text)",
        "lcspr_report.agencies": "the agencies that contributed (list of text)",
        "lcspr_report.questions": "the key lines of enquiry, names replaced by the pseudonym and relationships",
        "lcspr_report.executive_summary": "the executive summary",
        "lcspr_report.case_summary": "the summary of the case",
        "lcspr_report.family_views": "what the family told the review",
        "lcspr_report.practitioner_views": "what practitioners told the review",
        "lcspr_report.analysis": "the analysis of systemic or underlying reasons",
        "lcspr_report.findings": "the findings and learning",
        "lcspr_report.improvements": "the summary of recommended improvements",
        "lcspr_report.conclusion": "the conclusion",
    },
    "record": {
        "record.kind": "the meeting that made the decision",
        "record.date": "its date",
        "record.time": "its start time, or 'Not recorded'",
        "record.venue": "where it was held",
        "record.chair": "who chaired it",
        "record.attendees": "who was invited, each with whether they were present",
        **_each("record.attendees[]", {**_ATTENDEE, "present": "'Present', 'Absent' or 'Not recorded'"},
                "each attendee"),
        "record.quorate": "whether the meeting was quorate, in a sentence naming who was absent",
        "record.declarations": "the declarations of interest",
        "record.discussion": "the summary of the discussion",
        "record.actions_agreed": "the actions agreed (list of text)",
        "record.to_panel": "what goes to the National Panel, and by when",
    },
    "letter": {
        "letter.date": "the letter's date: the day the report is sent to the National Panel",
        "letter.addressee": "to whom: the National Panel",
        "letter.enclosures": "what is enclosed (list of text)",
    },
    "pack": {
        "pack.title": "the pack's title",
        "pack.papers": "the papers in the pack, in order",
        "pack.papers[].number": "each paper: its number",
        "pack.papers[].title": "each paper: its title",
        "pack.papers[].bookmark": "each paper: the bookmark on its first page, for a PAGEREF field",
    },
}


#: The tag of every content control caseforms reads back: ``caseforms:<paper>:<section key>``.
SECTION_TAG = "caseforms"


@dataclass(frozen=True)
class Section:
    """A part of a paper the officer writes in Word; making the paper again carries what was written.

    In the template it is a content control tagged ``caseforms:<paper>:<key>``, titled in Word with
    ``title``. Until the officer writes it, it shows ``field``: the register's text, or the
    highlighted "[not recorded: ...]" prompt.
    """

    key: str
    title: str
    #: The field the section shows until the officer writes it.
    field: str


def section_tag(paper: str, key: str) -> str:
    """Return the content control tag of a paper's section: ``caseforms:rr_report:case_summary``."""
    return f"{SECTION_TAG}:{paper}:{key}"


@dataclass(frozen=True)
class Paper:
    """A paper caseforms produces: its template file and the field groups its context carries."""

    name: str
    title: str
    template: str
    groups: tuple[str, ...]
    about: str
    #: The parts the officer writes in Word, in the order the paper shows them.
    sections: tuple[Section, ...] = ()
    #: True for a paper meant for publication or to be read as the published review is: it calls the child by the
    #: pseudonym and names no one in the family (DOMAIN.md 'Sensitive data').
    pseudonymous: bool = False

    @property
    def fields(self) -> dict[str, str]:
        """Return every field of this paper and what it holds."""
        result: dict[str, str] = {"today": "today's date, e.g. 3 February 2025"}
        for group in ("common", *self.groups):
            result.update(GROUPS[group])
        return result


_OUTLINE = Section("incident_outline", "Incident outline", "incident.outline")
_IMMEDIATE = Section("immediate_actions", "Immediate action taken", "incident.immediate_actions")
_CASE_SUMMARY = Section("case_summary", "Case summary", "rapid_review.case_summary")

PAPERS: dict[str, Paper] = {
    p.name: p
    for p in (
        Paper("referral", "Partner referral form", "partner_referral.docx",
              ("children", "family", "agencies", "incident", "referral"),
              "A partner's referral of a child safeguarding incident "
              f"({_LINCOLNSHIRE}, Appendix A).",
              (Section("incident_outline", "What happened", "incident.outline"), _IMMEDIATE,
               Section("reason", "Why the referral is made", "referral.reason"))),
        Paper("decision", "Recommendation and decision record", "decision_record.docx",
              ("children", "agencies", "incident", "referral", "decision"),
              "The Executive / SIRG recommendation and decision "
              f"({_LINCOLNSHIRE}, Appendix D).",
              (_OUTLINE, Section("immediate_actions", "Actions taken to safeguard any child at risk",
                                 "incident.immediate_actions"),
               Section("rationale", "Rationale for the recommendation", "decision.rationale"),
               Section("response", "Response and rationale", "decision.response"))),
        Paper("notification", "National Panel notification: preparation sheet", "notification_preparation.docx",
              ("children", "agencies", "incident", "notification"),
              "Every answer the National Panel's online form asks for, ready before the form times out.",
              (Section("incident_outline", "Case outline", "incident.outline"), _IMMEDIATE,
               Section("further_information", "Anything else", "notification.further_information"))),
        Paper("rr_terms_of_reference", "Rapid Review Terms of Reference", "rapid_review_terms_of_reference.docx",
              ("children", "people_in_scope", "agencies", "rapid_review"),
              "Scope, contributors, deadlines and membership "
              f"({_LINCOLNSHIRE}, Appendix E)."),
        Paper("rr_agenda", "Rapid Review meeting agenda", "rapid_review_agenda.docx",
              ("children", "agencies", "rapid_review", "meeting"),
              "The agenda of the Rapid Review meeting, with its quorum."),
        Paper("master_chronology", "Master chronology", "master_chronology.docx",
              ("children", "agencies", "rapid_review", "chronology"),
              "The agencies' chronologies merged, oldest first "
              f"({_LINCOLNSHIRE}, Appendix F)."),
        Paper("agency_summaries", "Agency summaries received", "agency_summaries.docx",
              ("children", "agencies", "rapid_review"),
              "Each agency's summary of involvement, as received."),
        Paper("rr_meeting_record", "Rapid Review meeting record", "rapid_review_meeting_record.docx",
              ("children", "rapid_review", "record"),
              "The minutes of the meeting that made the Rapid Review decision: attendance and quorum, declarations, "
              "the decision and how it was reached, dissent, actions, what goes to the Panel "
              "(Kent Safeguarding Children Multi-Agency Partnership, Practice Improvement Framework, 3.3; Cumbria "
              "Safeguarding Children Partnership, Practice Improvement Framework, The Rapid Review Meeting).",
              (Section("declarations", "Declarations of interest", "record.declarations"),
               Section("discussion", "Summary of the discussion", "record.discussion"),
               Section("actions_agreed", "Actions agreed", "record.actions_agreed"))),
        Paper("rr_report", "Rapid Review report", "rapid_review_report.docx",
              ("children", "family", "agencies", "incident", "rapid_review", "chronology"),
              "The Rapid Review report, with the agency summaries and the master chronology appended "
              ""
              f"({_LINCOLNSHIRE}, Appendix G).",
              (Section("authors", "Authors", "rapid_review.authors"),
               Section("advisers", "Advisers", "rapid_review.advisers"),
               Section("sign_off", "Signed off by", "rapid_review.sign_off"),
               Section("incident_outline", "The incident", "incident.outline"),
               _CASE_SUMMARY,
               Section("recent_history", "Recent history", "rapid_review.recent_history"),
               Section("background", "Background", "rapid_review.background"),
               Section("worked_well", "What worked well", "rapid_review.worked_well"),
               Section("worries", "What we are worried about", "rapid_review.worries"),
               Section("learning_points", "Provisional learning points", "rapid_review.learning_points"),
               Section("initial_actions", "Initial actions", "rapid_review.initial_actions"),
               *(Section(f"criterion_{n}", f"Finding: criterion {n}", "rapid_review.criteria[].finding")
                 for n in range(1, len(LCSPR_CRITERIA) + 1)),
               Section("circumstances", "Circumstances had regard to", "rapid_review.circumstances"))),
        Paper("submission_letter", "Covering letter to the National Panel", "submission_letter.docx",
              ("children", "incident", "notification", "rapid_review", "letter"),
              "The letter submitting the Rapid Review outcome to the National Panel.", (_CASE_SUMMARY,)),
        Paper("rr_action_plan", "Rapid Review action plan", "rapid_review_action_plan.docx",
              ("children", "rapid_review", "actions"),
              "The actions agreed at the Rapid Review, each with owner, lead and due date."),
        Paper("lcspr_terms_of_reference", "LCSPR Terms of Reference", "lcspr_terms_of_reference.docx",
              ("children", "people_in_scope", "agencies", "incident", "rapid_review", "lcspr"),
              "Terms of Reference of a local child safeguarding practice review.",
              (Section("family_involvement", "Family involvement", "lcspr.family_involvement"),
               Section("practitioner_involvement", "Practitioner involvement", "lcspr.practitioner_involvement"))),
        # The referral's loop, every notification duty, the Panel's reply and the LCSPR to publication.
        Paper("receipt_letter", "Confirmation of receipt of a referral", "referral_receipt_letter.docx",
              ("children", "referral", "correspondence"),
              "The letter confirming to the referrer that the referral was received "
              "(Kent Practice Improvement Framework, 2.3)."),
        Paper("outcome_letter", "Outcome of the referral", "referral_outcome_letter.docx",
              ("children", "agencies", "referral", "decision", "correspondence"),
              "The letter telling the referrer, and the agencies involved, what was decided "
              "(Kent Practice Improvement Framework, 2.3; Lincolnshire Serious Incident Review Guidance, Process 2, Appendix B).",
              (Section("outcome_note", "What happens next", "referral.outcome"),)),
        Paper("duty_notification", "Notification to the Secretary of State and Ofsted: preparation sheet",
              "sos_ofsted_notification.docx", ("children", "incident", "notification", "duty"),
              "The notification of a looked-after child's death, a care leaver's death or a death in a regulated "
              "setting, ready before the online form (Kent Practice Improvement Framework, 2.1; "
              "Kent Integrated Children's Services guidance; Kirklees guide to Serious Incidents and LCSPRs).",
              (Section("circumstances", "Circumstances of the death", "incident.outline"),)),
        Paper("placing_authority_letter", "Letter to the placing authority", "placing_authority_letter.docx",
              ("children", "incident", "notification", "duty", "correspondence"),
              "The letter asking the authority that placed the child to notify, and confirm within 24 hours "
              "(Kent Integrated Children's Services guidance, Notifications to National Panel)."),
        Paper("partners_report", "Report of a serious incident to the safeguarding partners", "partners_report.docx",
              ("children", "agencies", "incident", "notification", "duty"),
              "The local authority's report of the incident to the safeguarding partners within 5 working days "
              "(Lincolnshire Serious Incident Review Guidance, Local Authority Notifications – Process 1).",
              (Section("incident_outline", "What happened", "incident.outline"),
               Section("immediate_actions", "Immediate action taken", "incident.immediate_actions"))),
        Paper("panel_reply_letter", "Reply to the National Panel", "panel_reply_letter.docx",
              ("children", "rapid_review", "panel_reply", "correspondence"),
              "The letter back to the National Panel after the group reconvened on its feedback "
              "(Kent Practice Improvement Framework, 3.3).",
              (Section("response", "The group's response", "panel_reply.reconvened_decision"),)),
        Paper("lcspr_panel_agenda", "LCSPR review panel agenda", "lcspr_panel_agenda.docx",
              ("lcspr", "lcspr_review", "panel_meeting", "recommendations"),
              "The agenda of a review panel meeting, with where the IMRs, the family's involvement and the drafts "
              "stand (Kent Practice Improvement Framework, 4.2; Kent Integrated Children's Services guidance, "
              "LCSPR panel meetings)."),
        Paper("lcspr_final_report", "LCSPR final report", "lcspr_final_report.docx",
              ("lcspr", "lcspr_report", "recommendations", "publication"),
              "The skeleton of the final report, under the child's pseudonym: executive summary, the case, the "
              "family's and practitioners' views, systemic analysis, findings, recommended improvements and SMART "
              "recommendations (Kent Practice Improvement Framework, 4.2; Lincolnshire Serious Incident Review "
              "Guidance, The final overview report).",
              (Section("executive_summary", "Executive summary", "lcspr_report.executive_summary"),
               Section("family_views", "The family's views", "lcspr_report.family_views"),
               Section("practitioner_views", "What practitioners told the review", "lcspr_report.practitioner_views"),
               Section("case_summary", "Summary of the case", "lcspr_report.case_summary"),
               Section("analysis", "Systemic analysis", "lcspr_report.analysis"),
               Section("findings", "Findings and learning", "lcspr_report.findings"),
               Section("improvements", "Summary of recommended improvements", "lcspr_report.improvements"),
               Section("conclusion", "Conclusion", "lcspr_report.conclusion")), pseudonymous=True),
        Paper("publication_signoff", "LCSPR publication sign-off", "publication_signoff.docx",
              ("lcspr", "lcspr_review", "recommendations", "publication"),
              "The Executive's agreement to publish: the report, the family's sight of it, the Panel's copy, where and "
              "when it is published (Kirklees guide to Serious Incidents and LCSPRs, Publication sign off; "
              "Lincolnshire Serious Incident Review Guidance, Communication Publication Strategy).",
              (Section("decision", "The Executive's decision on publication", "publication.decision"),),
              pseudonymous=True),
        Paper("lcspr_report_letter", "Letter to the National Panel enclosing the LCSPR report",
              "lcspr_report_letter.docx", ("lcspr", "publication", "correspondence"),
              "The letter sending the full report to the National Panel 7 working days before publication "
              "(Kirklees guide to Serious Incidents and LCSPRs, Summary of timescales).", pseudonymous=True),
        Paper("pack_contents", "Contents", "pack_contents.docx", ("pack",),
              "The contents page at the front of a combined pack."),
    )
}

#: The packs `caseforms papers --pack NAME` produces: the papers in each, in order.
PACKS: dict[str, tuple[str, ...]] = {
    "referral": ("referral",),
    "decision": ("decision",),
    "notification": ("notification",),
    # The chronology last: its long landscape table ends the pack with the merge's checks still open.
    "rapid-review-meeting": ("rr_agenda", "rr_terms_of_reference", "agency_summaries", "master_chronology"),
    "rapid-review-record": ("rr_meeting_record",),
    "rapid-review-report": ("rr_report", "rr_action_plan"),
    "submission": ("submission_letter", "rr_report", "rr_action_plan"),
    "lcspr-tor": ("lcspr_terms_of_reference",),
    "referral-receipt": ("receipt_letter",),
    "referral-outcome": ("outcome_letter",),
    "sos-ofsted": ("duty_notification",),
    "placing-authority": ("placing_authority_letter",),
    "partners-report": ("partners_report",),
    "panel-reply": ("panel_reply_letter",),
    "lcspr-panel": ("lcspr_panel_agenda",),
    "lcspr-report": ("lcspr_final_report",),
    "publication": ("publication_signoff", "lcspr_report_letter"),
}

PACK_TITLES: dict[str, str] = {
    "referral": "Partner referral",
    "decision": "Recommendation and decision",
    "notification": "National Panel notification",
    "rapid-review-meeting": "Rapid Review meeting papers",
    "rapid-review-record": "Rapid Review meeting record",
    "rapid-review-report": "Rapid Review report and action plan",
    "submission": "Submission to the National Panel",
    "lcspr-tor": "LCSPR Terms of Reference",
    "referral-receipt": "Confirmation of receipt",
    "referral-outcome": "Outcome of the referral",
    "sos-ofsted": "Notification to the Secretary of State and Ofsted",
    "placing-authority": "Letter to the placing authority",
    "partners-report": "Report to the safeguarding partners",
    "panel-reply": "Reply to the National Panel",
    "lcspr-panel": "LCSPR review panel agenda",
    "lcspr-report": "LCSPR final report",
    "publication": "LCSPR publication",
}


# -- papers that are not a case's: the chronology request letter and the tracker's reports ----------
# They are catalogued here, below the modules that write them (caseforms.chronology.request,
# caseforms.tracker.report), so that `caseforms templates fields` and `check` know every template
# without this module importing those.

#: The request letter's template, in templates/ (a partnership's own copy keeps the name).
REQUEST_LETTER_TEMPLATE = "chronology_request.docx"

_REQUEST_FIELDS = {
    "letter.date": "date of the letter",
    "agency.name": "the agency asked",
    "agency.contact_name": "its single point of contact",
    "agency.contact_title": "their job title",
    "agency.involvement": "what the register records of the agency's involvement",
    "request.scope": "the scope period: '01/06/2024 to 31/03/2025'",
    "request.due": "the deadline: '09:00 on Friday 14 February 2025'",
    "request.people": "the people in scope (names)",
    "request.workbook": "the chronology workbook's file name",
    "request.summary_asked": "true when an agency summary is asked for too",
    "request.summary_questions": "the agency summary questions",
    "request.officer": "the business officer running the case",
}


@dataclass(frozen=True)
class RequestLetter(Paper):
    """The request letter: the common fields and its own (not one of the papers' packs)."""

    @property
    def fields(self) -> dict[str, str]:
        return {"today": "today's date", **GROUPS["common"], **_REQUEST_FIELDS}


LETTER = RequestLetter("chronology_request", "Chronology request", REQUEST_LETTER_TEMPLATE, (),
                       "The letter asking an agency for its chronology (and summary) for a Rapid Review.")

#: The IMR request (issue 15): a letter to each agency and the report template its author fills in, made with
#: the chronology workbook and an e-mail draft by caseforms.io.imr_pack (002_cbeaa030473136cf.txt: IMR reports,
#: Appendix 4).
IMR_LETTER_TEMPLATE = "imr_request.docx"
IMR_REPORT_TEMPLATE = "imr_report_template.docx"

_IMR_FIELDS = {
    "letter.date": "date of the letter",
    "agency.name": "the agency asked",
    "agency.contact_name": "its single point of contact",
    "agency.contact_title": "their job title",
    "agency.involvement": "what the register records of the agency's involvement",
    "imr.author": "the IMR author named on the IMRs sheet, or 'to be named by the agency'",
    "imr.briefing": "the authors' briefing: date and time, or 'to be arranged'",
    "imr.due": "when the IMR is due: '09:00 on Friday 14 February 2025'",
    "imr.scope": "the period the review covers",
    "imr.people": "the people in scope (names)",
    "imr.key_lines_of_enquiry": "the review's key lines of enquiry: the questions the IMR answers",
    "imr.reviewer": "the review's reviewer / author",
    "imr.methodology": "the review's methodology",
    "imr.pseudonym": "the name the child is given in anything published",
    "imr.workbook": "the chronology workbook's file name",
    "imr.report": "the IMR report template's file name",
    "imr.officer": "the business officer running the review",
}


@dataclass(frozen=True)
class ImrPaper(Paper):
    """An IMR request paper (the letter, the report template): the common fields and the IMR's own."""

    @property
    def fields(self) -> dict[str, str]:
        return {"today": "today's date", **GROUPS["common"], **_IMR_FIELDS}


IMR_LETTER = ImrPaper("imr_request", "Request for an Independent Management Review", IMR_LETTER_TEMPLATE, (),
                      "The letter asking an agency for its IMR for an LCSPR: author briefing, due date, questions.")
IMR_REPORT = ImrPaper("imr_report", "Independent Management Review", IMR_REPORT_TEMPLATE, (),
                      "The report template the agency's IMR author fills in "
                      "(Kent Integrated Children's Services guidance, Appendix 4).")


#: The fields of each action and each agency line of the tracker's papers.
ACTION_FIELDS = ("action_id", "case_ref", "source", "recommendation", "action", "owner_agency", "lead", "due", "status",
                 "progress", "evidence", "rag", "reason")
AGENCY_FIELDS = ("agency", "total", "open", "red", "amber", "green", "blue", "update_overdue")
#: The lists of actions the tracker papers can show: escalated, not on track (red and amber, with why),
#: without a due date, awaiting sign-off, complete without evidence, complete.
_ACTION_GROUPS = ("escalations", "not_on_track", "no_due_date", "awaiting_signoff", "unevidenced", "completed")

TRACKER_FIELDS: dict[str, str] = {
    "today": "today's date",
    "partnership.name": "the partnership's name (profile [bodies] partnership)",
    "partnership.title": "the profile's title",
    "bodies.executive": "name of the Executive",
    "bodies.learning_group": "name of the Learning and Improvement Group",
    "bodies.assurance": "name of the body that signs off",
    "case.ref": "'All cases': the footer shared with the case papers names the case here",
    "document.title": "the paper's title",
    "document.date": "the date the tracker was rated on",
    "document.author": "who produced it",
    "document.version": "version, e.g. 1.0",
    "document.status": "'Draft' until agreed",
    "document.marking": "the protective marking, OFFICIAL-SENSITIVE",
    "chart": "the stacked bar chart of actions by agency and BRAG status (a Word chart)",
    "tracker.as_of": "the date the actions were rated on",
    "tracker.total": "actions counted (superseded ones left out)",
    "tracker.red": "overdue actions", "tracker.amber": "actions at risk", "tracker.green": "actions on track",
    "tracker.blue": "actions complete, evidenced and signed off", "tracker.superseded": "superseded actions",
    "tracker.ready_to_close": "cases whose Rapid Review action plan is complete, or 'None'",
    "tracker.updates_overdue": "open actions without an update for the profile's interval",
    "tracker.update_interval": "months between updates (profile setting action_update_interval_months)",
    "tracker.agencies": "one line per owner agency",
    **{f"tracker.agencies[].{k}": f"each agency: {k.replace('_', ' ')}" for k in AGENCY_FIELDS},
    **{f"tracker.{group}": f"the {group.replace('_', ' ')} actions"
       for group in _ACTION_GROUPS},
    **{f"tracker.{group}[].{k}": f"each action: {k.replace('_', ' ')}" for group in _ACTION_GROUPS for k in ACTION_FIELDS},
}


@dataclass(frozen=True)
class TrackerPaper(Paper):
    """A tracker paper: its fields are the tracker's, not a case's."""

    @property
    def fields(self) -> dict[str, str]:
        return dict(TRACKER_FIELDS)


LIG_REPORT = TrackerPaper("lig_report", "Recommendations and actions tracker report", "lig_tracker_report.docx", (),
                          "Per agency: actions due, overdue and completed with evidence, for the LIG.")
ESCALATIONS = TrackerPaper("escalation_report", "Actions escalated to the Executive", "executive_escalations.docx", (),
                           "Overdue actions and actions without an update, for the Executive.")
TRACKER_PAPERS: dict[str, Paper] = {p.name: p for p in (LIG_REPORT, ESCALATIONS)}


#: The annual report's lists of counts: each a list of {label, count}, most first (caseforms.register.annual).
ANNUAL_COUNTS = {
    "pathways": "referrals received in the year, by the pathway asked for",
    "decisions": "the Executive's decisions on referrals in the year",
    "rr_outcomes": "Rapid Reviews sent to the National Panel in the year, by outcome",
    "characteristics": "incident characteristics of the year's cases (the Cases column and the Characteristics sheet)",
    "ages": "subject children of the year's cases by age at the incident",
    "genders": "subject children of the year's cases by gender",
    "agencies": "agencies involved in the year's cases ('Agencies involved' column)",
}
#: What each timescale's record says.
TIMESCALE_FIELDS = {
    "title": "the timescale, e.g. 'Notifications to the National Panel within 5 working days ...'",
    "rule": "the rule in words", "source": "where the rule comes from", "counted": "steps counted",
    "met": "steps done in time", "percent": "the share in time, e.g. '75%'", "late": "steps late or not done",
}
MISSED_FIELDS = {"case_ref": "the case's reference", "due": "when it was due", "done": "when it was done, or 'Not done'",
                 "outcome": "'late' or 'not done by the end of the year'", "reason": "the reason the register records"}
ANNUAL_FIELDS: dict[str, str] = {
    "today": "today's date",
    "partnership.name": "the partnership's name (profile [bodies] partnership)",
    "partnership.title": "the profile's title",
    "bodies.executive": "name of the Executive",
    "bodies.learning_group": "name of the Learning and Improvement Group",
    "bodies.national_panel": "name of the National Panel",
    "case.ref": "'All cases': the footer shared with the case papers names the case here",
    "document.title": "the paper's title", "document.date": "the day it was made", "document.author": "who produced it",
    "document.version": "version, e.g. 1.0", "document.status": "'Draft' until agreed",
    "document.marking": "the protective marking, OFFICIAL-SENSITIVE",
    "year.label": "the year, e.g. 2026 or 2026-27",
    "year.described": "the year in words: 'calendar year 2026' or 'financial year 2026-27 (1 April 2026 to 31 March 2027)'",
    "year.start": "the year's first day", "year.end": "the year's last day",
    "year.as_of": "the day the figures run to: the year's end, or today while the year runs",
    "year.referrals": "referrals received", "year.notifications": "notifications to the National Panel",
    "year.rapid_reviews": "Rapid Reviews sent to the National Panel", "year.lcsprs_decided": "LCSPRs decided on",
    "year.lcsprs_published": "LCSPRs published", "year.lcsprs_in_progress": "LCSPRs decided and not yet published",
    "year.converted": "Rapid Reviews that became an LCSPR", "year.cases": "cases with a step in the year",
    **{f"year.{k}": v for k, v in ANNUAL_COUNTS.items()},
    **{f"year.{k}[].{f}": f"each: {f}" for k in ANNUAL_COUNTS for f in ("label", "count")},
    "year.timescales": "each statutory timescale's record in the year",
    **{f"year.timescales[].{k}": v for k, v in TIMESCALE_FIELDS.items()},
    **{f"year.timescales[].late[].{k}": v for k, v in MISSED_FIELDS.items()},
    "tracker.as_of": "the day the actions were rated on", "tracker.total": "actions counted (superseded left out)",
    "tracker.red": "overdue actions", "tracker.amber": "actions at risk", "tracker.green": "actions on track",
    "tracker.blue": "actions complete, evidenced and signed off",
    "tracker.agencies": "one line per owner agency",
    **{f"tracker.agencies[].{k}": f"each agency: {k.replace('_', ' ')}" for k in AGENCY_FIELDS},
    "characteristics_chart": "bar chart of the incident characteristics (a Word chart)",
    "ages_chart": "bar chart of the children's ages (a Word chart)",
    "agencies_chart": "bar chart of the agencies involved (a Word chart)",
    "actions_chart": "stacked bar chart of actions by agency and BRAG status (a Word chart)",
}


@dataclass(frozen=True)
class AnnualPaper(Paper):
    """The annual report's extract: its fields are the year's counts, not a case's."""

    @property
    def fields(self) -> dict[str, str]:
        return dict(ANNUAL_FIELDS)


ANNUAL_REPORT = AnnualPaper("annual_report", "Child safeguarding practice reviews: the year in figures",
                            "annual_report.docx", (), "Counts, timescales and themes of the year, for the annual report.")


def every_paper() -> dict[str, Paper]:
    """Return the case papers, the tracker's papers (the LIG and escalation reports), the letters and the annual report."""
    return {**PAPERS, **TRACKER_PAPERS, LETTER.name: LETTER, IMR_LETTER.name: IMR_LETTER, IMR_REPORT.name: IMR_REPORT,
            ANNUAL_REPORT.name: ANNUAL_REPORT}


def paper_for_template(file_name: str) -> Paper | None:
    """Return the paper whose template has this file name (a partnership's copy keeps the name)."""
    return next((p for p in every_paper().values() if p.template == file_name), None)


def all_fields() -> dict[str, str]:
    """Return every field of every paper."""
    result: dict[str, str] = {}
    for paper in PAPERS.values():
        result.update(paper.fields)
    return result
