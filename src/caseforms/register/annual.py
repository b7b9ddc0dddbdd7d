"""The partnership's year in figures: what the annual report says, counted from the register and the tracker.

The annual report says how many referrals, notifications, Rapid Reviews and LCSPRs there were, whether
each statutory timescale was met, the themes of the incidents (characteristics, ages, agencies) and the
progress of actions by agency (004_6c96fbcaaedcbdc1.txt: "Annual Report"; Kent's LIG "real time account of
performance", 000_44eed6501ae43eb6.txt). Counted here from the records only, so that nothing of a child
leaves its case but counts and the case reference: no name, no date of birth, no address.

What counts in a year: each step by its own date. A referral received in the year counts as a referral of
the year, its notification as a notification of the year when the National Panel was notified in the year,
and so on. A timescale's record lists every step done in the year, and every step due in the year that was
still not done at its end (missed, not yet done).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from caseforms.errors import PeriodError
from caseforms.register.records import Case, Register, is_lcspr
from caseforms.register.schema import CHARACTERISTICS, CHILD_ROLES, LCSPR

#: Age bands at the incident, as the National Panel's annual report counts children (under 1 year first).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0), ("1 to 4", 1, 4), ("5 to 9", 5, 9), ("10 to 15", 10, 15), ("16 to 17", 16, 17),
    ("18 and over (care leavers; Kent: up to 18 years 6 months)", 18, 200),
)
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Period:
    """A reporting year: a calendar year, or a financial year from 1 April to 31 March."""

    start: date
    end: date
    #: How the report names it: "2026" or "2026-27".
    label: str
    #: "calendar year 2026" or "financial year 2026-27 (1 April 2026 to 31 March 2027)".
    described: str

    def holds(self, value: Any) -> bool:
        day = _day(value)
        return day is not None and self.start <= day <= self.end


def calendar_year(year: int) -> Period:
    """Return the calendar year ``year``: 1 January to 31 December."""
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), f"calendar year {year}")


def financial_year(year: int) -> Period:
    """Return the financial year that starts on 1 April ``year`` (2026 -> 2026-27)."""
    label = f"{year}-{(year + 1) % 100:02d}"
    return Period(date(year, 4, 1), date(year + 1, 3, 31), label,
                  f"financial year {label} (1 April {year} to 31 March {year + 1})")


_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_FINANCIAL = re.compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*$")


def parse_period(text: str, *, financial: bool = False) -> Period:
    """Return the period an officer typed: "2026" (a calendar year; a financial year when ``financial``) or "2026-27".

    Raises :class:`PeriodError` for anything else, saying what to type.
    """
    if m := _FINANCIAL.match(text):
        start, end = int(m.group(1)), m.group(2)
        if int(end) % 100 == (start + 1) % 100 and (len(end) == 2 or int(end) == start + 1):
            return financial_year(start)
        raise PeriodError(f"'{text}' is not a financial year: type the year it starts and the next, e.g. "
                         f"{start}-{(start + 1) % 100:02d}.")
    if m := _YEAR.match(text):
        year = int(m.group(1))
        if 1990 <= year <= 2100:
            return financial_year(year) if financial else calendar_year(year)
    raise PeriodError(f"'{text}' is not a year: type a calendar year (2026) or a financial year (2026-27).")


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@dataclass(frozen=True)
class TimescaleCase:
    """One case in a timescale's record: when the step was due, when it was done, and why it was late."""

    case_ref: str
    due: date
    done: date | None
    met: bool
    #: The reason the register records for a late step, or None.
    reason: str | None = None

    @property
    def outcome(self) -> str:
        if self.done is None:
            return "not done by the end of the year"
        return "met" if self.met else "late"


@dataclass
class Timescale:
    """A statutory timescale's record in the year: each step done in it, or due in it and not done."""

    milestone: str
    #: What the timescale is, as the report says it: "Notifications to the National Panel within 5 working days".
    title: str
    rule: str
    source: str
    cases: list[TimescaleCase] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return len(self.cases)

    @property
    def met(self) -> int:
        return sum(c.met for c in self.cases)

    @property
    def missed(self) -> list[TimescaleCase]:
        return [c for c in self.cases if not c.met]

    @property
    def percent(self) -> str:
        return f"{round(100 * self.met / self.counted)}%" if self.counted else "–"


#: The statutory timescales the annual report gives a record of: the milestone, its title, and the event that
#: does it (Working Together to Safeguard Children 2023, chapter 5; 003_4bd54601158ab8f3.txt: Summary of timescales).
TIMESCALES: tuple[tuple[str, str, str], ...] = (
    ("la_notification", "Notifications to the National Panel within 5 working days of the local authority "
                        "becoming aware", "notified_date"),
    ("rapid_review_submission", "Rapid Reviews sent to the National Panel within 15 working days of the notification",
     "rr_decision_date"),
    ("lcspr_publication", "LCSPRs published within 6 months of the decision to hold one", "publication_date"),
)


@dataclass
class Year:
    """The figures of one reporting year."""

    period: Period
    partnership: str
    #: When it was counted: steps after this day are not known yet.
    as_of: date
    referrals: int
    notifications: int
    rapid_reviews: int
    lcsprs_decided: int
    lcsprs_published: int
    #: LCSPRs decided and not yet published at the end of the year (or today, when sooner).
    lcsprs_in_progress: int
    #: Counts by what was asked or decided: (label, count), most first.
    pathways: list[tuple[str, int]]
    decisions: list[tuple[str, int]]
    rr_outcomes: list[tuple[str, int]]
    #: Rapid Reviews that became an LCSPR (the Case Review Tracker's "converted").
    converted: int
    timescales: list[Timescale]
    #: The cases with any step in the year: the themes count them, each once.
    cases: list[str]
    characteristics: list[tuple[str, int]]
    ages: list[tuple[str, int]]
    genders: list[tuple[str, int]]
    agencies: list[tuple[str, int]]
    #: Register problems that change a figure (a date that is not a date...), in words.
    notes: list[str] = field(default_factory=list)


def count_year(register: Register, profile: Any, period: Period, today: date) -> Year:
    """Return the year's figures from the register's records (and the profile's timescales)."""
    cases = [c for c in register.cases if c.ref]
    as_of = min(today, period.end)
    referred = [c for c in cases if period.holds(c["referral_date"])]
    notified = [c for c in cases if period.holds(c["notified_date"])]
    reviewed = [c for c in cases if period.holds(c["rr_decision_date"])]
    decided_lcspr = [c for c in cases if period.holds(c["lcspr_decision_date"])]
    published = [c for c in cases if period.holds(c["publication_date"])]
    in_progress = [c for c in cases if _on_or_before(c["lcspr_decision_date"], as_of)
                   and not _on_or_before(c["publication_date"], as_of)]
    decided = [c for c in cases if period.holds(c["decision_date"])]
    active = _active(cases, period)
    children = [(c, p) for c in active for p in c.people if p["role"] in CHILD_ROLES]
    return Year(
        period=period, partnership=profile.bodies.get("partnership") or profile.title, as_of=as_of,
        referrals=len(referred), notifications=len(notified), rapid_reviews=len(reviewed),
        lcsprs_decided=len(decided_lcspr), lcsprs_published=len(published), lcsprs_in_progress=len(in_progress),
        pathways=_counted(c["pathway"] for c in referred),
        decisions=_counted(c["decision"] for c in decided),
        rr_outcomes=_counted(c["rr_outcome"] for c in reviewed),
        converted=sum(is_lcspr(c["rr_outcome"]) for c in reviewed),
        timescales=[_timescale(register, profile, cases, period, as_of, *t) for t in TIMESCALES],
        cases=[c.ref for c in active],
        characteristics=_characteristics(register, active),
        ages=_ages(children),
        genders=_counted(p["gender"] for _, p in children),
        agencies=_agencies(active),
    )


def _on_or_before(value: Any, day: date) -> bool:
    found = _day(value)
    return found is not None and found <= day


def _active(cases: Sequence[Case], period: Period) -> list[Case]:
    """Return the cases with a step in the period, in the register's order."""
    keys = ("referral_date", "decision_date", "notified_date", "rr_meeting_date", "rr_decision_date",
            "lcspr_decision_date", "signoff_date", "publication_date", "sos_ofsted_date")
    return [c for c in cases if any(period.holds(c[k]) for k in keys)]


def _counted(values: Iterable[Any]) -> list[tuple[str, int]]:
    """Return each value with how many times it occurs, most first, "Not recorded" last."""
    counts = Counter(str(v).strip() if v not in (None, "") else NOT_RECORDED for v in values)
    shown = sorted(((k, n) for k, n in counts.items() if k != NOT_RECORDED), key=lambda kv: (-kv[1], kv[0]))
    return shown + ([(NOT_RECORDED, counts[NOT_RECORDED])] if counts[NOT_RECORDED] else [])


def _timescale(register: Register, profile: Any, cases: Sequence[Case], period: Period, as_of: date,
               milestone_id: str, title: str, done_key: str) -> Timescale:
    from caseforms.deadlines import timetable
    from caseforms.errors import EventError

    milestone = next((m for m in profile.milestones if m.id == milestone_id), None)
    record = Timescale(milestone_id, title, milestone.rule if milestone else "", milestone.source if milestone else "")
    if milestone is None:
        return record
    lcspr_rows = {str(r["case_ref"] or "").strip(): r for r in register.other.get(LCSPR, [])}
    for case in cases:
        try:
            table = timetable(profile, case.events(register.schema), as_of, flags=case.flags(register.schema),
                              checked=True)
        except EventError:
            continue
        row = next((d for d in table if d.id == milestone_id), None)
        if row is None or row.due is None or (row.status == "if it applies" and milestone.when):
            continue
        due = _day(row.due)
        done = _day(case[done_key])
        if due is None:
            continue
        if done is not None:
            if not period.holds(done):
                continue
        elif not (period.start <= due <= as_of):
            continue  # not due in the year, or not due yet
        elif "information" in row.status or (milestone_id != "la_notification" and not case.filled("notified_date")):
            continue
        elif milestone_id == "la_notification" and "notifying" not in case.flags(register.schema):
            continue  # a referral not notified (the decision was not to) has no notification to make
        met = done is not None and done <= due
        reason = None
        if not met:
            if milestone_id == "la_notification":
                reason = case["late_notification_reason"]
            elif milestone_id == "lcspr_publication":
                reason = lcspr_rows[case.ref]["delay_reasons"] if case.ref in lcspr_rows else None
            else:
                reason = case["rr_late_reason"]
        record.cases.append(TimescaleCase(case.ref, due, done, met, str(reason).strip() if reason else None))
    return record


def _characteristics(register: Register, active: Sequence[Case]) -> list[tuple[str, int]]:
    """Return each incident characteristic with the number of the year's cases it applies to (each case once)."""
    refs = {c.ref for c in active}
    by_case: dict[str, set[str | None]] = {c.ref: set() for c in active}
    for c in active:
        if c.filled("incident_characteristic"):
            by_case[c.ref].add(str(c["incident_characteristic"]).strip())
    for row in register.other.get(CHARACTERISTICS, []):
        ref = str(row["case_ref"] or "").strip()
        if ref in refs and row.filled("characteristic"):
            by_case[ref].add(str(row["characteristic"]).strip())
    return _counted(x for found in by_case.values() for x in (found or [None]))


def _ages(children: Sequence[tuple[Case, Any]]) -> list[tuple[str, int]]:
    """Return the subject children by age band at the incident (from the date of birth, which stays in the register)."""
    counts = Counter[str]()
    for case, person in children:
        born, incident = _day(person["date_of_birth"]), _day(case["incident_date"])
        if born is None or incident is None or born > incident:
            counts[NOT_RECORDED] += 1
            continue
        years = incident.year - born.year - ((incident.month, incident.day) < (born.month, born.day))
        band = next(label for label, low, high in AGE_BANDS if low <= years <= high)
        counts[band] += 1
    shown = [(label, counts[label]) for label, _, _ in AGE_BANDS if counts[label]]
    return shown + ([(NOT_RECORDED, counts[NOT_RECORDED])] if counts[NOT_RECORDED] else [])


_SEPARATORS = re.compile(r"[\n;]+")


def agencies_of(value: Any) -> list[str]:
    """Return the agencies a case's "Agencies involved" cell names (one a line or ';'; what each did after a colon)."""
    if not isinstance(value, str):
        return []
    names = (part.split(":", 1)[0].strip() for part in _SEPARATORS.split(value))
    return list(dict.fromkeys(n for n in names if n))


def _agencies(active: Sequence[Case]) -> list[tuple[str, int]]:
    """Return each agency with the number of the year's cases it was involved in."""
    return _counted(a for c in active for a in agencies_of(c["agencies_involved"]))


def pairs(counts: Sequence[tuple[str, int]]) -> list[dict[str, Any]]:
    """Return counts as the report's rows: [{"label": ..., "count": ...}]."""
    return [{"label": label, "count": n} for label, n in counts]


def totals(year: Year) -> Mapping[str, int]:
    """Return the year's headline figures by name."""
    return {"referrals": year.referrals, "notifications": year.notifications, "rapid_reviews": year.rapid_reviews,
            "lcsprs_decided": year.lcsprs_decided, "lcsprs_published": year.lcsprs_published,
            "lcsprs_in_progress": year.lcsprs_in_progress, "converted": year.converted}


def _uk(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value is not None else ""


def report_context(year: Year, profile: Any, today: date, tracker: Any | None = None, author: str = "") -> dict[str, Any]:
    """Return the annual report's context (caseforms.papers.fields.ANNUAL_FIELDS): counts and references only.

    ``tracker`` is the tracker's actions rated at the year's end (caseforms.tracker.report.TrackerState), or None
    when the working folder has no tracker.
    """
    from caseforms.papers.fields import AGENCY_FIELDS
    from caseforms.tracker.report import business_unit
    from caseforms.tracker.rules import AMBER, BLUE, GREEN, RED

    period = year.period
    counts = tracker.counts if tracker is not None else {RED: 0, AMBER: 0, GREEN: 0, BLUE: 0}
    agencies = [] if tracker is None else [
        dict(zip(AGENCY_FIELDS, (a.agency, str(a.total), str(a.open), str(a.counts[RED]), str(a.counts[AMBER]),
                                 str(a.counts[GREEN]), str(a.counts[BLUE]), str(a.update_overdue)), strict=True))
        for a in tracker.agencies
    ]
    return {
        "today": _uk(today),
        "partnership": {"name": year.partnership, "title": profile.title},
        "bodies": {k: profile.bodies.get(k, "") for k in ("executive", "learning_group", "national_panel")},
        "case": {"ref": "All cases"},
        "document": {"title": f"Child safeguarding practice reviews: {period.label} in figures", "date": _uk(today),
                     "author": author or business_unit(profile), "version": "1.0", "status": "Draft",
                     "marking": "OFFICIAL-SENSITIVE"},
        "year": {
            "label": period.label, "described": period.described, "start": _uk(period.start), "end": _uk(period.end),
            "as_of": _uk(year.as_of),
            **{k: str(v) for k, v in totals(year).items()}, "cases": str(len(year.cases)),
            **{k: [{"label": label, "count": str(n)} for label, n in getattr(year, k)]
               for k in ("pathways", "decisions", "rr_outcomes", "characteristics", "ages", "genders", "agencies")},
            "timescales": [{
                "title": t.title, "rule": t.rule, "source": t.source, "counted": str(t.counted), "met": str(t.met),
                "percent": t.percent,
                "late": [{"case_ref": c.case_ref, "due": _uk(c.due), "done": _uk(c.done) or "Not done",
                          "outcome": c.outcome, "reason": c.reason or "No reason recorded"} for c in t.missed],
            } for t in year.timescales],
        },
        "tracker": {"as_of": _uk(tracker.as_of) if tracker is not None else "", "total": str(sum(counts.values())),
                    "red": str(counts[RED]), "amber": str(counts[AMBER]), "green": str(counts[GREEN]),
                    "blue": str(counts[BLUE]), "agencies": agencies},
    }


#: The columns of the CSV for NHS England's Safeguarding Case Review Tracker (S-CRT), for health partners: the
#: case's references, the type of review and its conversion, the stage, up to three themes, and the dates of sign-off
#: and publication (NHS England, Safeguarding Case Review Tracker guidance: step by step guide, supporting guidance).
#: No name, date of birth, address or free text about the child.
TRACKER_CSV_COLUMNS = (
    "Local reference", "National Panel reference", "Safeguarding partnership", "Open or closed", "Date added",
    "Date of incident", "Death or serious harm", "Type of review", "Converted from Rapid Review", "Stage",
    "Theme 1", "Theme 2", "Theme 3", "Rapid Review sent to National Panel", "Rapid Review outcome",
    "LCSPR decision date", "LCSPR methodology", "Report signed off", "Publication date", "Link to published report",
)


def tracker_rows(register: Register, year: Year) -> list[dict[str, Any]]:
    """Return a row of the Case Review Tracker CSV for each review open at some time in the year.

    A review is a case notified to the National Panel; it is counted while open (not yet closed or published) in the
    year, or when it was notified, decided, signed off or published in it.
    """
    period = year.period
    lcspr_rows = {str(r["case_ref"] or "").strip(): r for r in register.other.get(LCSPR, [])}
    characteristics: dict[str, list[str]] = {}
    for c in register.cases:
        if c.filled("incident_characteristic"):
            characteristics.setdefault(c.ref, []).append(str(c["incident_characteristic"]).strip())
    for row in register.other.get(CHARACTERISTICS, []):
        ref = str(row["case_ref"] or "").strip()
        if row.filled("characteristic") and str(row["characteristic"]).strip() not in characteristics.get(ref, []):
            characteristics.setdefault(ref, []).append(str(row["characteristic"]).strip())
    rows = []
    for case in register.cases:
        notified = _day(case["notified_date"])
        if not case.ref or notified is None or notified > period.end:
            continue
        ended = _day(case["publication_date"]) or _day(case["closed_date"])
        if ended is not None and ended < period.start:
            continue
        lcspr = is_lcspr(case["rr_outcome"]) or case.filled("lcspr_decision_date")
        themes = characteristics.get(case.ref, [])
        closed = _on_or_before(case["publication_date"], year.as_of) or _on_or_before(case["closed_date"], year.as_of) \
            or (not lcspr and _on_or_before(case["rr_decision_date"], year.as_of))
        rows.append({
            "Local reference": case.ref, "National Panel reference": case["panel_reference"] or "",
            "Safeguarding partnership": year.partnership, "Open or closed": "Closed" if closed else "Open",
            "Date added": _day(case["decision_date"]) or notified, "Date of incident": _day(case["incident_date"]),
            "Death or serious harm": case["harm"] or "",
            "Type of review": "Local child safeguarding practice review" if lcspr else "Rapid Review",
            "Converted from Rapid Review": "Yes" if lcspr else "No", "Stage": _stage(case, year.as_of, lcspr),
            "Theme 1": themes[0] if themes else "", "Theme 2": themes[1] if len(themes) > 1 else "",
            "Theme 3": themes[2] if len(themes) > 2 else "",
            "Rapid Review sent to National Panel": _day(case["rr_decision_date"]),
            "Rapid Review outcome": case["rr_outcome"] or "",
            "LCSPR decision date": _day(case["lcspr_decision_date"]), "LCSPR methodology": case["methodology"] or "",
            "Report signed off": _day(case["signoff_date"]), "Publication date": _day(case["publication_date"]),
            "Link to published report": (lcspr_rows[case.ref]["publication_link"] or "") if case.ref in lcspr_rows else "",
        })
    return rows


def _stage(case: Case, as_of: date, lcspr: bool) -> str:
    """Return where the review stood on ``as_of``, in the tracker's words."""
    def by(key: str) -> bool:
        return _on_or_before(case[key], as_of)

    if by("publication_date"):
        return "Published"
    if by("closed_date"):
        return "Closed"
    if by("signoff_date"):
        return "Report signed off: publication to come"
    if lcspr and by("lcspr_decision_date"):
        return "LCSPR in progress"
    if by("rr_decision_date"):
        return "Rapid Review sent to the National Panel: actions open"
    if by("rr_meeting_date"):
        return "Rapid Review meeting held"
    return "Rapid Review in progress"
