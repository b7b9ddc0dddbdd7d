"""The agencies' Independent Management Review (IMR) requests for an LCSPR: who is asked, for what, by when.

An IMR is "a more detailed review than an Agency Involvement Summary Report": the author attends
the authors' briefing with the reviewer, reviews the records, completes a chronology and writes a
report with analysis and SMART single-agency actions (002_cbeaa030473136cf.txt: Independent
Management Review (IMR) reports; Appendix 4; Author of Independent Management Review). Each request
reuses the chronology request's machinery (:mod:`caseforms.chronology.request`): the same
pre-filled chronology workbook, with the IMR letter and the report template beside it.

Which agencies: the case's rows on the register's IMRs sheet when the officer has listed them, else
the Cases sheet's "Agencies involved"; ``agencies`` names them instead. The due date: ``due`` when
given, else the IMRs sheet's "IMR due"; the briefing: the IMRs sheet's "Author briefing on", else the
case's next "IMR author briefing" meeting on the Meetings sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from caseforms.chronology.agencies import agency_key
from caseforms.chronology.request import AgencyRequest, Missing, plan_requests
from caseforms.papers.from_register import items
from caseforms.profile import Profile
from caseforms.register.records import Register, Row
from caseforms.register.schema import CASES, IMRS

Moment = date | datetime


@dataclass
class ImrRequest:
    """One agency's IMR request: the chronology request it builds on, and the IMR's own details."""

    chronology: AgencyRequest
    author: str
    briefing: Moment | None
    key_lines_of_enquiry: list[str]
    reviewer: str
    methodology: str
    pseudonym: str
    missing: list[Missing] = field(default_factory=list)

    @property
    def case_ref(self) -> str:
        return self.chronology.case_ref

    @property
    def agency(self) -> str:
        return self.chronology.agency

    @property
    def due(self) -> Moment | None:
        return self.chronology.due


def _text(row: Row | None, key: str) -> str:
    value = row[key] if row is not None else None
    return "" if value is None else str(value).strip()


def _rows(register: Register, sheet: str, ref: str) -> list[Row]:
    wanted = ref.strip().casefold()
    return [r for r in register.other.get(sheet, []) if _text(r, "case_ref").casefold() == wanted]


def _moment(value: Any) -> Moment | None:
    return value if isinstance(value, (date, datetime)) else None


def plan_imrs(register: Register, profile: Profile, case_ref: str, agencies: list[str] | None = None,
              today: date | None = None, due: Moment | None = None) -> tuple[list[ImrRequest], list[Missing]]:
    """Return one IMR request per agency asked, and what the case as a whole is missing (see the module's docstring)."""
    today = today or date.today()
    logged = _rows(register, IMRS, case_ref)
    case = register.case(case_ref)
    if agencies is None and logged:
        agencies = [_text(r, "agency") for r in logged if _text(r, "agency")]
    requests, case_missing = plan_requests(register, profile, case_ref, agencies, today)
    if case is None:  # plan_requests has said so already
        return [], case_missing
    case_missing = [m for m in case_missing if "return deadline" not in m.what]
    briefing_meeting = next((m for m in sorted(case.meetings, key=lambda m: (_day(m["meeting_date"]) or date.max))
                             if "briefing" in _text(m, "meeting_type").casefold()
                             and (_day(m["meeting_date"]) or date.min) >= today), None)
    lines = items(case["key_lines_of_enquiry"])
    if not lines:
        case_missing.append(Missing("The LCSPR has no key lines of enquiry yet: the IMR has no questions to answer",
                                    CASES, "Key lines of enquiry", register.cell(CASES, case.row, "key_lines_of_enquiry")))
    result = []
    for request in requests:
        row = next((r for r in logged if agency_key(_text(r, "agency")) == agency_key(request.agency)), None)
        when = due or (_moment(row["due"]) if row is not None else None)
        missing = [m for m in request.missing if "return deadline" not in m.what] + [
            m for m in case_missing if m not in request.missing]
        if when is None:
            missing.append(Missing(f"The IMR from {request.agency} has no due date yet", IMRS, "IMR due",
                                   register.cell(IMRS, row.row, "due") if row is not None else ""))
        briefing = (_moment(row["briefing_date"]) if row is not None else None) or (
            _moment(briefing_meeting["meeting_date"]) if briefing_meeting is not None else None)
        result.append(ImrRequest(
            chronology=replace(request, due=when, summary_asked=False, summary_questions=[], missing=missing),
            author=_text(row, "author"), briefing=briefing, key_lines_of_enquiry=lines,
            reviewer=_text(case, "reviewer"), methodology=_text(case, "methodology"),
            pseudonym=_text(case, "pseudonym"), missing=missing,
        ))
    return result, case_missing


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
