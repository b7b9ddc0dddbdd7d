"""A fictional partnership folder for the papers tests: a register with a full and a sparse case.

Written with the register's own build code and filled the way an officer fills it in Excel
(values by schema key). Every name and number is invented; NHS numbers are from the 999 test
range. The names carry '&', '<', accents and apostrophes, which break careless rendering.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.chronology.merge import AgencyReturn, merge_returns
from caseforms.io.master_read import master_chronology_path
from caseforms.io.master_xlsx import write_master
from register_fixtures import write_register

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FULL, SPARSE = "TG-2025-004", "TG-2025-009"
CHILD = "Zoë O'Brien-Nowak"
SIBLING = "Théo O'Brien-Nowak"
PARTNER = 'Dean <"Deano"> Price'
AGENCY = "Smith & Jones <Family> Services"

FULL_CASE = {
    "case_ref": FULL, "status": "LCSPR in progress", "officer": "Helen Ashworth",
    "referring_agency": "Harbourton ICB (health visiting)", "referrer_name": "Nuala Ní Bhriain",
    "referrer_phone": "01632 960 123", "pathway": "Rapid review", "incident_date": datetime(2025, 1, 28, 18, 40),
    "aware_date": date(2025, 1, 29), "referral_date": date(2025, 1, 29), "incident_characteristic": "Injury",
    "decision_date": date(2025, 1, 31), "decision": "Notify the National Panel",
    "decision_rationale": "Serious harm; abuse or neglect known or suspected.", "family_told": "Yes",
    "notified_date": date(2025, 2, 3), "rr_meeting_date": date(2025, 2, 19), "rr_decision_date": date(2025, 2, 21),
    "rr_outcome": "LCSPR", "lcspr_decision_date": date(2025, 3, 10), "methodology": "Systems (SCIE Learning Together)",
    "reviewer": "Dr Colm O'Rourke", "reviewer_independent": "Yes",
    "referral_reason": "Head injury to a child on a plan; neglect known & abuse suspected.",
    "incident_location": "12 Mill Lane, Thornbury Green (family home)", "harm": "Serious harm",
    "abuse_or_neglect": "Abuse and neglect",
    "incident_outline": "Zoë (3) was brought to hospital with a subdural haematoma.\n\n"
                        "The explanation given (a fall from a sofa) is not consistent with the injury.",
    "immediate_actions": "Strategy discussion 29/01/2025; both children with their grandmother under a safety plan.",
    "police_investigation": "Yes: Operation Larch", "notifier_name": "Gareth Llewellyn",
    "panel_reference": "SIN-2025-0117", "partners_informed_date": date(2025, 2, 4),
    "agencies_involved": f"{AGENCY}: weekly family support visits\nChildren's Social Care: child protection plan "
                         "(neglect)\nThornbury Police; Harbourton ICB (health visiting)",
    "scope_from": date(2023, 3, 1), "scope_to": date(2025, 1, 28), "scope_agreed_date": date(2025, 2, 5),
    "chronology_deadline": datetime(2025, 2, 14, 9, 0), "pseudonym": "Child Z",
    "key_lines_of_enquiry": "1. How did agencies learn about new adults in the household?\n"
                            "2. How was the impact of neglect < 5 years assessed?",
    "family_involvement": "The mother and father will be invited to contribute.",
    # The referral's loop closed (issue 15).
    "referral_authorised_by": "Dr Ruth Adeyemi, Designated doctor", "outcome_letter_date": date(2025, 2, 3),
}
SPARSE_CASE = {"case_ref": SPARSE, "status": "Referral received", "referring_agency": "Police",
               "referral_date": date(2025, 2, 20), "referral_authorised_by": "DCI Priya Mehta"}
#: The LCSPR's own record (issue 15): its independent reviewer's commissioning done.
LCSPR_ROW = {"case_ref": FULL, "conflicts_declared": "None", "confidentiality_date": date(2025, 3, 18),
             "reviewer_to_panel_date": date(2025, 3, 19),
             # Whatever day the tests run, publication waits for the criminal trial, and the Panel knows why.
             "delay_reasons": "Publication waits for the criminal trial (Operation Larch).",
             "delay_told_date": date(2025, 8, 1)}
PEOPLE = [
    {"case_ref": FULL, "role": "Child (subject of the review)", "name": CHILD, "date_of_birth": date(2021, 4, 17),
     "nhs_number": "999 000 0018", "gender": "Female", "ethnicity": "White and Black Caribbean", "disability": "No",
     "education": "Little Acorns Nursery", "legal_status": "Child protection plan", "cp_plan": "Yes",
     "cp_plan_start": date(2024, 9, 2), "cp_category": "Neglect", "address": "12 Mill Lane, Thornbury Green, TG4 7QX"},
    {"case_ref": FULL, "role": "Sibling", "name": SIBLING, "date_of_birth": date(2018, 11, 3),
     "nhs_number": "9990000026", "address": "12 Mill Lane, Thornbury Green, TG4 7QX"},
    {"case_ref": FULL, "role": "Mother", "name": "Siobhán O'Brien", "date_of_birth": date(1996, 2, 29),
     "address": "12 Mill Lane, Thornbury Green, TG4 7QX", "nhs_number": "9990000034"},
    {"case_ref": FULL, "role": "Partner of parent", "name": PARTNER, "relationship": "Mother's partner",
     "date_of_birth": date(1990, 1, 15), "address": "No fixed abode"},
    {"case_ref": SPARSE, "role": "Child (subject of the review)", "name": "Child A"},
]
AGENCIES = [
    {"agency": "Thornbury Council Children's Services", "spoc_name": "Gareth Llewellyn",
     "job_title": "Head of Safeguarding", "email": "gareth.llewellyn@thornbury.example.gov.uk", "phone": "01632 960 456"},
    {"agency": "Harbourton ICB (health visiting)", "spoc_name": "Nuala Ní Bhriain", "job_title": "Named nurse",
     "email": "nuala.nibhriain@example.nhs.uk", "phone": "01632 960 123"},
    {"agency": AGENCY, "spoc_name": "Aisha Rahman", "job_title": "Service manager"},
    {"agency": "Thornbury Police", "spoc_name": "DS Kerry Osei", "job_title": "Detective sergeant"},
    {"agency": "Business Unit", "spoc_name": "Helen Ashworth", "job_title": "Business manager"},
]
DECISION_MAKERS = ("Local authority: Gareth Llewellyn (Thornbury Council Children's Services); "
                   "Police: DCI Priya Mehta (Thornbury Police); Health (ICB): Dr Ruth Adeyemi (Harbourton ICB)")
MEETINGS = [
    {"case_ref": FULL, "meeting_type": "Executive decision", "meeting_date": date(2025, 1, 31), "chair": "Helen Ashworth",
     "present_local_authority": "Yes", "present_police": "Yes", "present_health_icb": "No",
     "decision_makers": "Local authority: Marcus Bell (Thornbury Council)\nPolice: DCI Priya Mehta (Thornbury Police)",
     "decision": "Notify the National Panel", "unanimous": "Yes"},
    {"case_ref": FULL, "meeting_type": "Rapid Review", "meeting_date": datetime(2025, 2, 19, 10, 0),
     "chair": "Helen Ashworth", "venue": "Room 2, Civic Centre, Thornbury (and Teams)",
     "present_local_authority": "Yes", "present_police": "Yes", "present_health_icb": "Yes",
     "decision_makers": DECISION_MAKERS,
     "other_attendees": f"Other: Aisha Rahman ({AGENCY})\nHealth visiting: Nuala Ní Bhriain (Harbourton ICB)",
     "decision": "LCSPR", "unanimous": "Yes"},
    {"case_ref": FULL, "meeting_type": "Rapid Review", "meeting_date": date(2025, 2, 20), "chair": "Helen Ashworth",
     "present_local_authority": "Yes", "present_police": "Yes", "present_health_icb": "Yes", "decision": "LCSPR",
     "unanimous": "Yes", "other_attendees": "Health visiting: Nuala Ní Bhriain (Harbourton ICB)"},
]
ACTIONS = [
    {"action_id": "RR4-01", "case_ref": FULL, "source": "Rapid Review", "recommendation": "New adults in the household",
     "action": "Add a 'new adults' prompt to CP visit records", "owner_agency": "Children's Social Care",
     "lead": "Gareth Llewellyn", "due_date": date(2025, 4, 30), "status": "In progress"},
    {"action_id": "L4-01", "case_ref": FULL, "source": "LCSPR", "recommendation": "Later", "action": "Not in the RR plan"},
    {"action_id": "RR9-01", "case_ref": SPARSE, "source": "Rapid Review", "action": "Another case's action"},
]
CHRONOLOGY_HEADER = ["Date", "Time", "Source of information", "Name of subject(s)", "Type of contact", "By whom",
                     "Details of event", "Comments/analysis of outcome"]


def write_partnership_folder(root: Path, *, master: bool = True, cases: list[dict[str, Any]] | None = None,
                             meetings: list[dict[str, Any]] | None = None,
                             other: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """Write DIR/register.xlsx (Kent profile) and, unless told not to, the full case's master chronology.

    ``cases``, ``meetings`` and ``other`` (the Narrative and Characteristics sheets) replace the fixtures'.
    """
    root.mkdir(parents=True, exist_ok=True)
    path = write_register(root / "register.xlsx", "kent", cases=cases or [FULL_CASE, SPARSE_CASE], people=PEOPLE,
                          agencies=AGENCIES, meetings=meetings or MEETINGS, other={"LCSPR": [LCSPR_ROW], **(other or {})})
    if master:
        write_master_chronology(master_chronology_path(root, FULL))
    return path


def write_master_chronology(path: Path) -> Path:
    """Merge two agencies' returns with the chronology library and write the master where the papers look."""
    police = AgencyReturn("Thornbury Police.xlsx", "Chronology", 1, CHRONOLOGY_HEADER, title_block=[["Agency:", "Thornbury Police"]], rows=[
        (2, ["20/01/2024", "23:15", "Police record", f"Siobhán O'Brien; {PARTNER}", "Police attendance", "PC Adams",
             "Call from neighbour: shouting & banging.", "Children present; DASH medium < high."]),
        (3, ["March 2024", "", "Police record", PARTNER, "Intelligence", "DS Osei",
             "Partner's history of violence noted.", "Not shared with CSC."]),
        (4, ["", "", "Police record", PARTNER, "Note", "DS Osei", "Undated note about the partner.", ""]),
    ])
    family = AgencyReturn(f"{AGENCY.replace('<', '').replace('>', '')}.xlsx", "Chronology", 1, CHRONOLOGY_HEADER,
                          title_block=[["Agency:", AGENCY]], rows=[
        (2, ["06/03/2023", "", "Case notes", CHILD, "Home visit", "Aisha Rahman",
             "First weekly visit; the home was cluttered & cold.", "Worries raised with the social worker."]),
    ])
    path.parent.mkdir(parents=True, exist_ok=True)
    write_master(merge_returns([police, family], today=date(2025, 6, 1)), path)
    return path


def all_text(path: Path) -> str:
    """Return every piece of text of a Word document: body, tables, headers and footers."""
    from docx import Document

    doc = Document(str(path))
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    return "\n".join("".join(t.text or "" for t in part.iter(f"{W}t")) for part in parts)


def write_in_word(path: Path, section: str, paragraphs: list[tuple[str, str]], *, author: str = "Helen Ashworth",
                  bookmarks: bool = True) -> None:
    """Write a section of a paper as an officer does in Word, and save it as Word does.

    ``section`` is the content control's tag after 'caseforms:' ("rr_report:case_summary");
    ``paragraphs`` are (kind, text): "plain", "bold" (the words between ** in it are bold), "bullet"
    (Word's bullet button: List Paragraph with a numbering definition of its own) or "numbered".
    Word then writes its own "modified" date and author, as it does on every save.
    """
    from datetime import timezone

    from docx import Document
    from docx.oxml import parse_xml
    from lxml import etree

    from caseforms.io.paper_versions import split_label

    document = Document(str(path))
    sdt = next(s for s in document.element.body.iter(f"{W}sdt")
               if s.find(f"{W}sdtPr/{W}tag") is not None
               and s.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == f"caseforms:{section}")
    content = sdt.find(f"{W}sdtContent")
    # The officer writes below the section's heading (or bold label), which stays.
    for child in split_label(list(content))[1]:
        content.remove(child)
    numbering = document.part.numbering_part.element
    lists: dict[str, str] = {}

    def list_of(kind: str) -> str:
        if kind not in lists:
            # Word's bullet and numbering buttons add a numbering definition of their own.
            ids = [int(n.get(f"{W}abstractNumId")) for n in numbering.findall(f"{W}abstractNum")]
            nums = [int(n.get(f"{W}numId")) for n in numbering.findall(f"{W}num")]
            abstract, num = max(ids, default=0) + 1, max(nums, default=0) + 1
            fmt, text = ("bullet", "•") if kind == "bullet" else ("decimal", "%1.")
            numbering.insert(0, parse_xml(
                f'<w:abstractNum xmlns:w="{W[1:-1]}" w:abstractNumId="{abstract}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'))
            numbering.append(parse_xml(f'<w:num xmlns:w="{W[1:-1]}" w:numId="{num}"><w:abstractNumId w:val="{abstract}"/>'
                                       "</w:num>"))
            lists[kind] = str(num)
        return lists[kind]

    for kind, text in paragraphs:
        p = etree.SubElement(content, f"{W}p")
        if kind in ("bullet", "numbered"):
            p.append(parse_xml(f'<w:pPr xmlns:w="{W[1:-1]}"><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/>'
                               f'<w:numId w:val="{list_of(kind)}"/></w:numPr></w:pPr>'))
        pieces = text.split("**")
        for n, piece in enumerate(pieces):
            if not piece:
                continue
            run = etree.SubElement(p, f"{W}r")
            if kind == "bold" and n % 2 == 1:
                etree.SubElement(etree.SubElement(run, f"{W}rPr"), f"{W}b")
            t = etree.SubElement(run, f"{W}t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if not bookmarks:
        for b in list(document.element.body.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
            b.getparent().remove(b)
    core = document.core_properties._element
    ns_core = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    core.find(f"{ns_core}lastModifiedBy").text = author
    core.find("{http://purl.org/dc/terms/}modified").text = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document.save(str(path))
