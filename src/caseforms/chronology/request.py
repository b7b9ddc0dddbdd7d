"""The agency chronology request and the returns: who is asked, for what, by when, and who is late.

Plain Python over the register's records; the workbook, letter and e-mail are written by
``caseforms.io.request_pack`` and the returns log by ``caseforms.io.returns_log``.

Which agencies are involved in a case: the Cases sheet's "Agencies involved" column, one agency
per line or separated by ';', named as on the Agencies sheet, with what each did after a colon
("Police: two domestic abuse call-outs"). ``--agency`` names them instead.

The return deadline: the Cases sheet's "Chronologies due back" column when filled (add the time,
dd/mm/yyyy hh:mm), else the profile's own milestone for the returns (Lincolnshire's
``chronologies_returned`` at 09:00 on process day 7, ``004_6c96fbcaaedcbdc1.txt`` Appendix C;
Kent's and Cumbria's ``agency_summaries_returned``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from caseforms.chronology.agencies import OFFICER_FILES, AgencyDirectory, agency_key
from caseforms.chronology.summaries import Question, questions_for
from caseforms.deadlines import timetable
from caseforms.profile import Profile
from caseforms.register.records import Agency, Case, Register, Row
from caseforms.register.schema import AGENCIES, CASES, PEOPLE, RETURNS_LOG

Moment = date | datetime

#: Profile milestones whose due date is the agencies' return deadline, first found wins.
RETURN_MILESTONES = ("chronologies_returned", "agency_summaries_returned")

#: Whether agencies are asked for a summary beside the chronology: where the profile sets
#: ``agency_summary = true`` in [settings] or has an agency-summary milestone (Kent
#: 000_44eed6501ae43eb6.txt "Agency summaries"; Cumbria 001 Rapid Review documentation). The
#: questions are the profile's (see caseforms.chronology.summaries).

#: Version of the request workbook's hidden identification; a returned workbook names it.
REQUEST_FORMAT = "1"


@dataclass
class Missing:
    """Something the pack needs that the register does not hold, and where to fill it in."""

    what: str
    sheet: str
    column: str
    cell: str = ""
    #: True when the pack could not be made at all for this agency (no agency name).
    blocking: bool = False

    def __str__(self) -> str:
        where = f"{self.sheet} sheet, column '{self.column}'" + (f" (cell {self.cell})" if self.cell else "")
        return f"{self.what}: fill it in on the {where}, then run the request again."


@dataclass
class AgencyRequest:
    """One agency's chronology request: everything the workbook, letter and e-mail say."""

    case_ref: str
    agency: str
    involvement: str
    contact_name: str
    contact_title: str
    email: str
    deputy_email: str
    phone: str
    scope_from: date | None
    scope_to: date | None
    due: Moment | None
    requested_on: date
    people: list[str]
    contact_types: list[str]
    summary_asked: bool
    partnership: str
    officer: str
    missing: list[Missing] = field(default_factory=list)
    #: The agency summary's questions, in the order asked (the profile's).
    summary_questions: list[Question] = field(default_factory=list)

    @property
    def due_text(self) -> str:
        return due_text(self.due)

    @property
    def scope_text(self) -> str:
        if self.scope_from and self.scope_to:
            return f"{self.scope_from:%d/%m/%Y} to {self.scope_to:%d/%m/%Y}"
        if self.scope_from:
            return f"from {self.scope_from:%d/%m/%Y}"
        return "to be confirmed"


def due_text(due: Moment | None) -> str:
    """Return a deadline as an officer writes it: '09:00 on Friday 14 February 2025' or 'Friday 14 February 2025'."""
    if due is None:
        return "to be confirmed"
    day = f"{due:%A} {due.day} {due:%B %Y}"
    if isinstance(due, datetime):
        return f"{due:%H:%M} on {day}"
    return day


def involved_agencies(text: Any) -> list[tuple[str, str]]:
    """Return (agency, what it did) for each agency of a Cases 'Agencies involved' cell."""
    if not isinstance(text, str):
        return []
    out: list[tuple[str, str]] = []
    for part in re.split(r"[;\n\r]+", text):
        name, _, what = part.partition(":")
        if name.strip():
            out.append((" ".join(name.split()), what.strip()))
    return out


def agency_directory(register: Register, case_ref: str | None = None) -> AgencyDirectory:
    """Return the register's Agencies sheet as a directory, with the returns the officer assigned for the case.

    An assignment is a file name the officer typed in the 'Files it sent (you type)' column of the
    case's Returns log row for an agency: the officer's word on which agency sent that file, used
    before anything the file says. A file named in the rows of two agencies is neither's.
    """
    said: dict[str, list[str]] = {}
    if case_ref:
        for row in register.other.get(RETURNS_LOG, []):
            if _key(str(row.get("case_ref", ""))) == _key(case_ref) and row.filled("officer_files") \
                    and row.filled("agency"):
                for file in re.split(r"[;\n\r]+", str(row["officer_files"])):
                    agencies = said.setdefault(file.strip(), [])
                    if file.strip() and str(row["agency"]).strip() not in agencies:
                        agencies.append(str(row["agency"]).strip())
    return AgencyDirectory.from_names(
        ((str(a.name or ""), _text(a, "other_names") or None) for a in register.agencies),
        {f: a[0] for f, a in said.items() if f and len(a) == 1},
        {f: a for f, a in said.items() if f and len(a) > 1})


def find_agency(register: Register, name: str) -> Agency | None:
    """Return the Agencies row named ``name`` (ignoring case and spacing), or None."""
    wanted = _key(name)
    return next((a for a in register.agencies if a.name and _key(a.name) == wanted), None)


def return_deadline(case: Case, register: Register, profile: Profile, today: date) -> tuple[Moment | None, str]:
    """Return the case's return deadline and where it came from ('' when there is none)."""
    typed = case["chronology_deadline"]
    if isinstance(typed, date):
        return typed, "the Cases sheet, 'Chronologies due back'"
    events = case.events(register.schema)
    if not events:
        return None, ""
    for due in timetable(profile, events, today, flags=case.flags(register.schema), checked=True):
        if due.milestone.id in RETURN_MILESTONES and due.due is not None:
            return due.due, f"the {profile.title} timetable ('{due.milestone.label}')"
    return None, ""


def summary_asked(profile: Profile) -> bool:
    """Return whether the profile asks agencies for a summary beside the chronology."""
    setting = profile.settings.get("agency_summary")
    if isinstance(setting, bool):
        return setting
    return any("summar" in m.id for m in profile.milestones)


def plan_requests(
    register: Register,
    profile: Profile,
    case_ref: str,
    agencies: list[str] | None = None,
    today: date | None = None,
) -> tuple[list[AgencyRequest], list[Missing]]:
    """Return one request per agency involved in the case, and what the case as a whole is missing.

    Each request lists what it lacks (no e-mail address, no scope period...) in ``missing``: the
    pack is still made where it can be.
    """
    from caseforms.errors import CaseNotFound

    today = today or date.today()
    case = register.case(case_ref)
    if case is None:
        known = ", ".join(c.ref for c in register.cases[:8] if c.ref)
        raise CaseNotFound(
            f"No case '{case_ref}' on the Cases sheet of {register.path or 'the register'}"
            + (f" (cases include {known})" if known else "") + ". Check the reference, or add the case first."
        )
    case_missing: list[Missing] = []
    involved = involved_agencies(case["agencies_involved"])
    if agencies:
        wanted = [(a, next((w for n, w in involved if _key(n) == _key(a)), "")) for a in agencies]
    else:
        wanted = involved
        if not wanted:
            case_missing.append(Missing(
                "No agencies are recorded as involved in the case", CASES, "Agencies involved",
                register.cell(CASES, case.row, "agencies_involved"), blocking=True,
            ))
    scope_from, scope_to = _a_day(case["scope_from"]), _a_day(case["scope_to"])
    if scope_from is None:
        case_missing.append(Missing("The scope period has no start date yet", CASES, "Scope from",
                                    register.cell(CASES, case.row, "scope_from")))
    if scope_to is None:
        case_missing.append(Missing("The scope period has no end date yet", CASES, "Scope to",
                                    register.cell(CASES, case.row, "scope_to")))
    due, _ = return_deadline(case, register, profile, today)
    if due is None:
        case_missing.append(Missing(
            "There is no return deadline yet (none typed, and the profile's timetable has none for this case)",
            CASES, "Chronologies due back", register.cell(CASES, case.row, "chronology_deadline"),
        ))
    # Names alone in the dropdown: the agency picks them as written in its records.
    people = list(dict.fromkeys(" ".join(str(p["name"]).split()) for p in case.people if p.filled("name")))
    if not people:
        case_missing.append(Missing(f"No people in scope are listed for {case.ref}, so 'Name of subject(s)' has "
                                    "no dropdown", PEOPLE, "Name"))
    asked = summary_asked(profile)
    partnership = profile.bodies.get("partnership", profile.title)
    requests: list[AgencyRequest] = []
    for name, what in wanted:
        row = find_agency(register, name)
        missing = list(case_missing)
        if row is None:
            missing.append(Missing(f"{name} is not on the Agencies sheet, so there is no contact or e-mail address",
                                   AGENCIES, "Agency"))
        elif not row.filled("email"):
            missing.append(Missing(f"{name} has no e-mail address, so the e-mail draft has no recipient", AGENCIES,
                                   "E-mail", register.cell(AGENCIES, row.row, "email")))
        requests.append(AgencyRequest(
            case_ref=case.ref, agency=row.name if row is not None and row.name else name, involvement=what,
            contact_name=_text(row, "spoc_name"), contact_title=_text(row, "job_title"), email=_text(row, "email"),
            deputy_email=_text(row, "deputy_email"), phone=_text(row, "phone"),
            scope_from=scope_from, scope_to=scope_to, due=due, requested_on=today, people=people,
            contact_types=[str(t) for t in profile.lists.get("contact_types", [])], summary_asked=asked,
            partnership=str(partnership), officer=_text(case, "officer"), missing=missing,
            summary_questions=questions_for(profile.lists) if asked else [],
        ))
    return requests, case_missing


# -- the returns ---------------------------------------------------------------------------------


@dataclass
class FoundReturn:
    """A file in the case's returns folder and what it says it is."""

    file: str
    #: The case the workbook names (its hidden identification or its title block).
    case_ref: str | None
    #: The agency it is from, told as the merge tells it (see caseforms.chronology.agencies); None when it cannot be.
    agency: str | None
    received: datetime
    rows: int | None = None
    findings: str = ""
    #: When the agency could not be told: the agencies it could be, or the closest ones.
    candidates: tuple[str, ...] = ()
    #: Why the file could not be read at all (damaged, protected, no headings), when it could not.
    unreadable: str | None = None


@dataclass
class ReturnStatus:
    """Where one agency's chronology stands."""

    agency: str
    state: str
    due: Moment | None
    requested_on: date | None = None
    received: datetime | date | None = None
    file: str = ""
    rows: int | None = None
    findings: str = ""
    late: bool = False
    log_row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency, "state": self.state, "due": _iso(self.due), "requested_on": _iso(self.requested_on),
            "received": _iso(self.received), "file": self.file, "rows": self.rows, "findings": self.findings,
            "late": self.late, "log_row": self.log_row,
        }


#: States, in the order an officer deals with them.
STATES = ("late", "wrong case", "unreadable", "agency not known", "due soon", "awaiting", "returned late",
          "returned", "not requested")


def return_status(
    case_ref: str,
    log: list[Row],
    found: list[FoundReturn],
    today: date,
    profile: Profile,
    default_due: Moment | None = None,
    directory: AgencyDirectory | None = None,
) -> list[ReturnStatus]:
    """Return each agency's state: returned (on time or late), late, due soon or awaiting; and strays.

    A return is matched to the logged agency it was told to be from (the same answer the merge
    gives: see :func:`caseforms.chronology.merge.identify_return`). Late: the deadline's day has
    passed (``today`` after it) with nothing back;
    a return is late when it arrived after the deadline (its time when the deadline has one).
    Due soon: the profile's "due soon" working days or fewer left.
    """
    rows = [r for r in log if _key(str(r.get("case_ref", ""))) == _key(case_ref)]
    statuses: list[ReturnStatus] = []
    used: set[int] = set()
    for r in rows:
        agency = str(r.get("agency", "")).strip()
        due = r["due"] if isinstance(r["due"], date) else default_due
        status = ReturnStatus(agency, "awaiting", due, _a_day(r["requested_on"]), log_row=r.row)
        # The log may name the agency by another name it goes by ("CSC"): compare the directory's name.
        known = directory.find(agency) if directory else None
        # An agency may send its chronology in more than one file: each is its return; the first one decides lateness.
        matches = _matches(known.name if known else agency, found, used, case_ref)
        if matches:
            used.update(matches)
            files = sorted((found[i] for i in matches), key=lambda f: f.received)
            status.received = files[0].received
            status.file = "; ".join(f.file for f in files)
            status.rows = sum(f.rows or 0 for f in files) if any(f.rows is not None for f in files) else None
            status.findings = "; ".join(f.findings for f in files if f.findings and f.findings != "none") or "none"
            status.late = _after(files[0].received, due)
            status.state = "returned late" if status.late else "returned"
        elif due is not None:
            day = due.date() if isinstance(due, datetime) else due
            if today > day:
                status.state, status.late = "late", True
            elif profile.calendar.working_days_between(today, day) <= profile.due_soon_working_days:
                status.state = "due soon"
        statuses.append(status)
    for i, f in enumerate(found):
        if i in used:
            continue
        wrong = f.case_ref is not None and _key(f.case_ref) != _key(case_ref)
        if f.unreadable:
            state, findings = "unreadable", f.unreadable
        elif wrong:
            state, findings = "wrong case", (f"Names case {f.case_ref}, not {case_ref}: filed in the wrong case's "
                                             f"folder? Move it to cases/{f.case_ref}/returns, or check with the agency.")
        elif f.agency is None:
            could = f" It could be from {' or '.join(f.candidates)}." if f.candidates else ""
            state, findings = "agency not known", (
                f"Which agency sent it is not clear.{could} On the Returns log, type '{f.file}' in the column "
                f"'{OFFICER_FILES}' of the agency's row for this case; the merge and the papers then use it.")
        else:
            state, findings = "not requested", f.findings
        statuses.append(ReturnStatus(
            f.agency or "(not known)", state, None, received=f.received, file=f.file, rows=f.rows, findings=findings,
        ))
    order = {s: i for i, s in enumerate(STATES)}
    statuses.sort(key=lambda s: (order.get(s.state, 99), s.agency.casefold()))
    return statuses


def _matches(agency: str, found: list[FoundReturn], used: set[int], case_ref: str) -> list[int]:
    key = agency_key(agency)
    return [i for i, f in enumerate(found)
            if i not in used and f.agency and agency_key(f.agency) == key
            and (f.case_ref is None or _key(f.case_ref) == _key(case_ref))]


def _after(received: datetime | date, due: Moment | None) -> bool:
    if due is None:
        return False
    if isinstance(due, datetime):
        moment = received if isinstance(received, datetime) else datetime.combine(received, datetime.min.time())
        return moment > due
    day = received.date() if isinstance(received, datetime) else received
    return day > due


# -- small helpers -------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _a_day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _text(row: Row | None, key: str) -> str:
    if row is None:
        return ""
    value = row[key]
    return "" if value is None else str(value).strip()


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None
