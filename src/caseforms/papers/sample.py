"""Fictional cases for tests, the benchmark and demonstrations. Every name and number is invented.

NHS numbers are from the 999 test range with a valid check digit. The names deliberately carry
``&``, ``<``, accents and apostrophes: they are what breaks careless rendering.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

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

#: Awkward text every rendering must keep intact.
AWKWARD_AGENCY = "Smith & Jones <Family> Services"
AWKWARD_CHILD = "Zoë O'Brien-Nowak"


def full_case() -> CaseFile:
    """Return a case with every field the papers use recorded (fictional)."""
    children = [
        Person(
            name=AWKWARD_CHILD, relationship="Subject child", date_of_birth=date(2021, 4, 17),
            address="12 Mill Lane, Thornbury Green, TG4 7QX", nhs_number="9990000018", gender="Female",
            ethnicity="White and Black Caribbean", disability="None known", education="Little Acorns Nursery",
            legal_status="Child protection plan", cp_plan_start=date(2024, 9, 2), cp_category="Neglect",
            harm="Seriously harmed", known_to_social_care="Yes",
        ),
        Person(
            name="Théo O'Brien-Nowak", relationship="Sibling", date_of_birth=date(2018, 11, 3),
            address="12 Mill Lane, Thornbury Green, TG4 7QX", nhs_number="9990000026", gender="Male",
            ethnicity="White and Black Caribbean", education="St Aidan's C of E Primary School",
            legal_status="Child in need", harm="Seriously harmed", known_to_social_care="Yes",
        ),
    ]
    family = [
        Person(name="Siobhán O'Brien", relationship="Mother", date_of_birth=date(1996, 2, 29),
               address="12 Mill Lane, Thornbury Green, TG4 7QX", nhs_number="9990000034"),
        Person(name="Marek Nowak", relationship="Father", date_of_birth=date(1993, 7, 8),
               address="Flat 3, 41 Quay Street, Harbourton, HB2 9LD", nhs_number="9990000042"),
        Person(name="Dean <\"Deano\"> Price", relationship="Mother's partner", date_of_birth=date(1990, 1, 15),
               address="No fixed abode"),
    ]
    agencies = [
        Agency(AWKWARD_AGENCY, "Family support worker visits weekly", date(2023, 3, 6), None,
               "Aisha Rahman", "Service manager", date(2025, 2, 4), datetime(2025, 2, 14, 9, 0), date(2025, 2, 13),
               "Aisha Rahman", "Weekly visits since March 2023.\n\nWorries about home conditions were raised "
               "with the social worker on 3 occasions & recorded as 'ongoing'."),
        Agency("Children's Social Care", "Child protection plan (neglect) since September 2024",
               date(2024, 6, 10), None, "Gareth Llewellyn", "Team manager", date(2025, 2, 4),
               datetime(2025, 2, 14, 9, 0), date(2025, 2, 14), "Gareth Llewellyn",
               "The children were subject to child protection plans under the category of neglect."),
        Agency("Thornbury Police", "Attended two domestic incidents; DASH medium risk", date(2024, 1, 20),
               date(2025, 1, 30), "DS Kerry Osei", "Detective sergeant", date(2025, 2, 4),
               datetime(2025, 2, 14, 9, 0), date(2025, 2, 12), "DS Kerry Osei, Public Protection Unit",
               "Two attendances at the address; no arrests. Risk assessed < high on both occasions.",
               summary_answers=[
                   ("Involvement", "Two attendances at the address; no arrests. Risk assessed < high on both occasions."),
                   ("What worked well", "Officers saw the children & recorded their words."),
                   ("What we are worried about", "The partner's history was not shared with CSC."),
               ],
               summary_signed_off="DCI Priya Mehta, Head of Public Protection, 13/02/2025",
               summary_source="Thornbury Police agency summary.docx"),
        Agency("Harbourton ICB (health visiting)", "Health visiting: missed 2-year review", date(2021, 4, 20),
               None, "Nuala Ní Bhriain", "Named nurse", date(2025, 2, 4), datetime(2025, 2, 14, 9, 0)),
    ]
    chair = Attendee("Helen Ashworth", "Chair", "Business Unit")
    members = [
        chair,
        Attendee("Gareth Llewellyn", "Local authority", "Thornbury Council Children's Services", True),
        Attendee("DCI Priya Mehta", "Police", "Thornbury Police", True),
        Attendee("Dr Ruth Adeyemi", "Health (ICB)", "Harbourton ICB", True),
        Attendee("Aisha Rahman", "Other", AWKWARD_AGENCY, True),
    ]
    chronology = [
        ChronologyRow(datetime(2024, 1, 20, 23, 15), "Police record", "Thornbury Police", "Siobhán O'Brien; Dean Price",
                      "Police attendance", "PC Adams", "Call from neighbour: shouting & banging.",
                      "Children present; DASH medium < high. Referral sent to CSC."),
        ChronologyRow(date(2024, 6, 10), "CSC record", "Children's Social Care", AWKWARD_CHILD,
                      "Assessment", "Gareth Llewellyn", "Child and family assessment started.",
                      "Home conditions poor; mother engaged.", department="Front Door"),
        ChronologyRow(date(2024, 9, 2), "CSC record", "Children's Social Care", "Zoë & Théo",
                      "Child protection conference", "Chair", "Both children made subject to plans (neglect).",
                      "Plan agreed by all agencies."),
        ChronologyRow(date(2025, 1, 28), "ED record", "Harbourton ICB (health visiting)", AWKWARD_CHILD,
                      "Hospital attendance", "ED registrar", "Zoë brought to ED with a head injury.",
                      "Explanation inconsistent; skeletal survey requested.", key_episode="Head injury seen in ED"),
        ChronologyRow(date(2035, 2, 3), "Police record", "Thornbury Police", "Dean Price", "Intelligence", "DS Osei",
                      "Partner's history of violence noted.", "Not shared with CSC.", when_text=None,
                      flags="Date in the future", date_trusted=False),
    ]
    chronology_findings = [
        ChronologyFinding("Thornbury Police.xlsx, sheet Chronology, row 3, Date",
                          "03/02/2035 is in the future: the entry is kept, placed with the undated entries at the end "
                          "of the master. Check the year in the return and merge again.", "warning"),
    ]
    return CaseFile(
        ref="TG-2025-004",
        status="LCSPR in progress",
        events={
            "incident": date(2025, 1, 28), "aware": date(2025, 1, 29), "referral": date(2025, 1, 29),
            "notified": date(2025, 2, 3), "rr_meeting": date(2025, 2, 19), "rr_decision": date(2025, 2, 21),
            "lcspr_decision": date(2025, 3, 10), "partners_informed": date(2025, 2, 4),
            "panel_response": date(2025, 3, 4), "rr_reconvened": date(2025, 3, 10), "panel_reply": date(2025, 3, 12),
            "publication_planned": date(2025, 9, 1), "sos_ofsted_notified": date(2025, 2, 3),
        },
        flags=["looked_after_death", "notifying"],
        children=children,
        family=family,
        agencies=agencies,
        meetings=[
            Meeting("Rapid Review", date(2025, 2, 19), time(10, 0), time(12, 30),
                    "Room 2, Civic Centre, Thornbury (and Teams)", "Helen Ashworth", members),
        ],
        incident=Incident(
            day=date(2025, 1, 28), at=time(18, 40), location="12 Mill Lane, Thornbury Green (family home)",
            outside_england=False, harm="Serious harm", abuse_or_neglect="Abuse and neglect",
            characteristics=["Injury", "Neglect – longstanding", "Abuse – Alcohol"],
            outline="Zoë (3) was brought to hospital by her mother with a subdural haematoma.\n\n"
                    "The explanation given (a fall from a sofa) is not consistent with the injury.",
            immediate_actions="Strategy discussion held 29/01/2025; both children placed with maternal "
                              "grandmother under a safety plan; mother's partner bailed with conditions.",
            police_investigation="Yes: Operation Larch, s18 GBH investigation",
        ),
        referral=Referral(
            received=date(2025, 1, 29), agency="Harbourton ICB (health visiting)", slo_name="Nuala Ní Bhriain",
            telephone="01632 960 123", email="nuala.nibhriain@example.nhs.uk", pathway="Rapid review",
            reason="Serious harm (head injury) with neglect known & abuse suspected; multi-agency involvement.",
            authorised_by="Dr Ruth Adeyemi, Designated doctor", receipt_confirmed=date(2025, 1, 29),
            outcome_letter_sent=date(2025, 2, 3),
        ),
        decision=Decision(
            discussed=date(2025, 1, 31), decision="Notify the National Panel",
            rationale="The criteria in s16C(1) are met: serious harm, abuse or neglect known or suspected.",
            response="Agreed: the local authority notifies the National Panel.", response_date=date(2025, 1, 31),
            attendees=members[:4], family_told="Yes: the mother was told on 31/01/2025 by the social worker",
            unanimous=True,
        ),
        notification=Notification(
            notifier_name="Gareth Llewellyn", notifier_role="Head of Safeguarding",
            notifier_email="gareth.llewellyn@thornbury.example.gov.uk", notifier_phone="01632 960 456",
            local_authority="Thornbury Council", panel_reference="SIN-2025-0117",
            other_children="None", further_information="Siblings both on child protection plans.",
            regulated_setting="Little Acorns Nursery", placing_authority="Harbourton Council",
        ),
        panel_reply=PanelReply(
            view="Disagrees", points=["The Panel asks whether a national review is needed given the partner's moves "
                                      "between police areas."],
            circulated=date(2025, 3, 5),
            reconvened_decision="The LCSPR stands: the cross-border learning is local & is in its terms of reference.",
        ),
        rapid_review=RapidReview(
            partners_informed=date(2025, 2, 4), scope_agreed=date(2025, 2, 5), scope_from=date(2023, 3, 1),
            scope_to=date(2025, 1, 28), chronology_deadline=datetime(2025, 2, 14, 9, 0),
            meeting_days=[date(2025, 2, 19), date(2025, 2, 20)], membership=members,
            authors=["Thornbury Council Children's Services", "Thornbury Police", "Harbourton ICB"],
            advisers=["Business manager", "Legal adviser", "Critical friend"],
            sign_off=[Attendee("Marcus Bell", "Director of Children's Services", "Thornbury Council"),
                      Attendee("ACC Joanne Fry", "Assistant Chief Constable", "Thornbury Police"),
                      Attendee("Dr Ruth Adeyemi", "Chief Nurse", "Harbourton ICB")],
            independent_chair="Prof. Anne-Marie D'Souza",
            case_summary="Zoë lives with her mother, her brother Théo and, at times, her mother's partner.",
            recent_history="Two police call-outs in 2024; child protection plans from September 2024.",
            background="The family moved to the area in 2021.",
            worked_well="Health visiting escalated concerns promptly & the strategy discussion was timely.",
            worries="The partner's history was not known to all agencies; missed 2-year review.",
            learning_points="Information about new adults in the household is not shared consistently.",
            initial_actions="Safety plan; police investigation; review of all open neglect plans with new partners.",
            criteria_findings=["Yes: information sharing about new adults.", "Yes: a theme of earlier reviews.",
                               "Yes: police and health visiting did not share the partner's history.",
                               "Not applicable: the National Panel has not considered the case."],
            circumstances="More than one police area was involved: the partner moved from Harbourton in 2024.",
            outcome="LCSPR", outcome_reason="The learning about new adults in the household is new to the partnership "
                                            "& needs a systems review.",
            decision_meeting=Meeting(
                "Rapid Review", date(2025, 2, 20), time(10, 0), None, "Room 2, Civic Centre, Thornbury (and Teams)",
                "Helen Ashworth", members, decision="LCSPR", unanimous=True, declarations="None declared.",
                actions_agreed=["Add a 'new adults' prompt to CP visit records – Children's Social Care, by 30/04/2025"],
                quorate=True),
            discussion="The group went through the master chronology & the agency summaries.",
            signatory=Attendee("Helen Ashworth", "Business manager", "Business Unit"),
        ),
        lcspr=Lcspr(
            methodology="Systems (SCIE Learning Together)", reviewer="Dr Colm O'Rourke", reviewer_independent=True,
            pseudonym="Child Z", scope_from=date(2023, 3, 1), scope_to=date(2025, 1, 28),
            key_lines_of_enquiry=["How did agencies learn about new adults in the household?",
                                  "How was the impact of neglect < 5 years assessed?"],
            panel=members[1:4], family_involvement="The mother and father will be invited to contribute.",
            practitioner_involvement="A practitioner learning event in April 2025.",
            reviewer_commissioned=date(2025, 3, 17), conflicts_declared="None", confidentiality_signed=date(2025, 3, 18),
            reviewer_to_panel=date(2025, 3, 19), panel_chair="Helen Ashworth", media_lead="Tom Ferris, Communications",
            parallel_processes="Police investigation (Operation Larch): the legal adviser liaises with the SIO.",
            panel_meetings=[Meeting("LCSPR panel", date(2025, 4, 2), time(10, 0), None, "Civic Centre", "Helen Ashworth",
                                    members[1:4]),
                            Meeting("LCSPR panel", date(2025, 5, 14), time(10, 0), None, "Teams", "Helen Ashworth")],
            practitioner_events=[Meeting("Practitioner event", date(2025, 4, 23), time(13, 30), None, "Civic Centre")],
            imrs=[Imr("Thornbury Police", "DS Kerry Osei", datetime(2025, 3, 26, 14, 0), date(2025, 3, 20),
                      datetime(2025, 4, 30, 17, 0), date(2025, 4, 25), "DCI Priya Mehta", date(2025, 4, 29)),
                  Imr(AWKWARD_AGENCY, None, datetime(2025, 3, 26, 14, 0), date(2025, 3, 20), datetime(2025, 4, 30, 17, 0))],
            family=[FamilyMember("Siobhán O'Brien", "Mother", date(2025, 3, 20), "Monthly, by telephone",
                                 "Family liaison worker", date(2025, 4, 10), "Met the reviewer", None, None, None, True)],
            drafts=[Draft("1", date(2025, 5, 6), date(2025, 5, 7), "Review panel", date(2025, 5, 14), date(2025, 5, 15),
                          False)],
            recommendations=[Recommendation("1", "Agencies share what they know of new adults in a child's household.",
                                            "All partners", "A shared 'new adults' prompt in every agency's records",
                                            "Helen Ashworth", "Audit of 20 records", date(2025, 12, 31),
                                            date(2025, 5, 14))],
            publication_place="Partnership website and NSPCC repository", publication_form="Full report",
            strategy_agreed=date(2025, 6, 4),
            report_sections={
                "LCSPR executive summary": "Zoë was seriously injured at home in January 2025 & her mother's partner "
                                           "was not known to every agency.",
                "LCSPR summary of the case": "Zoë O'Brien-Nowak lived with Siobhán O'Brien and her brother Théo.",
                "LCSPR family's views": "Siobhán said no one asked who was living in the home.",
                "LCSPR practitioners' views": "Practitioners said the partner's history sat in another area's records.",
                "LCSPR systemic analysis": "Agencies record a new adult < once and rarely ask again.",
                "LCSPR findings and learning": "New adults in a household are not tracked across agencies.",
                "LCSPR summary of improvements": "A shared prompt about new adults in every agency's records.",
                "LCSPR conclusion": "The learning is about the system, not one practitioner.",
                "Publication decision": "To be published on the partnership's website on 1 September 2025.",
            },
        ),
        chronology=chronology,
        chronology_merged=True,
        chronology_findings=chronology_findings,
        actions=[
            Action("1", "New adults in the household", "Add a 'new adults' prompt to CP visit records",
                   "Children's Social Care", "Gareth Llewellyn", date(2025, 4, 30), "In progress", date(2025, 3, 1)),
            Action("2", "Missed health reviews", "Escalate missed 2-year reviews to the named nurse & GP",
                   "Harbourton ICB (health visiting)", "Nuala Ní Bhriain", date(2025, 5, 31), "Not started"),
        ],
        author="Helen Ashworth",
    )


def majority_case() -> CaseFile:
    """Return the full case decided by a majority: the police dissented, and the Executive saw the decision first."""
    case = full_case()
    meeting = case.rapid_review.decision_meeting
    assert meeting is not None
    meeting.unanimous = False
    meeting.dissent = "The police would have preferred no further review: the learning is already in hand & tracked."
    meeting.dissent_by = ["Police: DCI Priya Mehta"]
    case.rapid_review.executive_informed = date(2025, 2, 20)
    return case


def sparse_case() -> CaseFile:
    """Return a case just referred: a reference, one child's name, and nothing else."""
    return CaseFile(ref="TG-2025-009", children=[Person(name="Child A")])


def big_chronology(rows: int, seed: int = 6) -> list[ChronologyRow]:
    """Return ``rows`` plausible chronology rows, oldest first, for the benchmark."""
    rng = random.Random(seed)
    agencies = [AWKWARD_AGENCY, "Children's Social Care", "Thornbury Police", "Harbourton ICB (health visiting)",
                "St Aidan's C of E Primary School", "GP surgery", "Housing & tenancy"]
    kinds = ["Home visit", "Telephone call", "Strategy discussion", "School contact", "Medical appointment"]
    start = datetime(2022, 1, 3, 9, 0)
    result = []
    for i in range(rows):
        when = start + timedelta(hours=9 * i + rng.randrange(8))
        result.append(ChronologyRow(
            when, "Case record", rng.choice(agencies), AWKWARD_CHILD, rng.choice(kinds), "Practitioner",
            f"Event {i + 1}: visit to the home; mother said 'things are fine' & the children were seen.",
            "No concerns < threshold; follow-up booked." if i % 3 else "Concern escalated to manager.",
        ))
    return result
