"""Helpers for the register tests: write a real register with records, the way an officer fills one in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from caseforms.io.register_xlsx import build_workbook
from caseforms.profile import load_profile
from caseforms.register.reading import column_letter
from caseforms.register.schema import AGENCIES, CASES, MEETINGS, PEOPLE, register_schema

# Valid NHS numbers from the 999 test range (modulus 11 check digit right).
NHS_OK = ("999 000 0018", "9990000026", "999 000 0034")
NHS_BAD = "999 000 0019"


def write_register(
    path: Path,
    profile: str = "national",
    *,
    cases: Sequence[Mapping[str, Any]] = (),
    people: Sequence[Mapping[str, Any]] = (),
    agencies: Sequence[Mapping[str, Any]] = (),
    meetings: Sequence[Mapping[str, Any]] = (),
    other: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Path:
    """Write a register for ``profile`` at ``path`` with the records given (values by schema key).

    ``other`` fills the sheets added later (Narrative, Characteristics...), by sheet name.
    """
    loaded = load_profile(profile)
    schema = register_schema(loaded)
    wb = build_workbook(loaded, profile)
    sheets = ((CASES, cases), (PEOPLE, people), (AGENCIES, agencies), (MEETINGS, meetings), *(other or {}).items())
    for sheet_name, records in sheets:
        sheet = schema.sheet(sheet_name)
        letters = {c.key: column_letter(i) for i, c in enumerate(sheet.columns)}
        ws = wb[sheet_name]
        for r, record in enumerate(records, start=2):
            for key, value in record.items():
                ws[f"{letters[key]}{r}"] = value
    wb.save(path)
    return path


def good_case(ref: str = "SCP-2025-001", **changes: Any) -> dict[str, Any]:
    """Return a complete, correct case at the Rapid Review stage (every check passes)."""
    from datetime import date

    case: dict[str, Any] = {
        "case_ref": ref, "status": "Rapid Review submitted", "officer": "Priya Venn",
        "referring_agency": "Police", "pathway": "Rapid review",
        "incident_date": date(2025, 3, 1), "aware_date": date(2025, 3, 3), "referral_date": date(2025, 3, 3),
        "decision_date": date(2025, 3, 4), "decision": "Notify the National Panel",
        "decision_rationale": "Serious harm; neglect suspected.", "notified_date": date(2025, 3, 6),
        "rr_meeting_date": date(2025, 3, 20), "rr_decision_date": date(2025, 3, 26),
        "rr_outcome": "No further review (action plan only)",
        # The referral's loop closed (issue 15): who authorised it, and the referrer told the outcome.
        "referral_authorised_by": "Sam Example, Detective Superintendent", "outcome_letter_date": date(2025, 3, 5),
    }
    case.update(changes)
    return case


def good_child(ref: str = "SCP-2025-001", **changes: Any) -> dict[str, Any]:
    from datetime import date

    person: dict[str, Any] = {
        "case_ref": ref, "role": "Child (subject of the review)", "name": "Ada Test",
        "date_of_birth": date(2020, 6, 1), "nhs_number": NHS_OK[0], "gender": "Female",
    }
    person.update(changes)
    return person


def good_meeting(ref: str = "SCP-2025-001", **changes: Any) -> dict[str, Any]:
    from datetime import date

    meeting: dict[str, Any] = {
        "case_ref": ref, "meeting_type": "Rapid Review", "meeting_date": date(2025, 3, 20), "chair": "Business Team",
        "present_local_authority": "Yes", "present_police": "Yes", "present_health_icb": "Yes",
        "decision": "No further review (action plan only)", "unanimous": "Yes",
    }
    meeting.update(changes)
    return meeting


def good_agency(**changes: Any) -> dict[str, Any]:
    agency: dict[str, Any] = {"agency": "Police", "spoc_name": "Sam Example", "email": "sam.example@police.example.gov.uk",
                              "phone": "01234 567890"}
    agency.update(changes)
    return agency
