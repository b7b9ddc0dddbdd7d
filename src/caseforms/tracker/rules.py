"""The rules of the recommendations and actions tracker, on plain records.

Rapid Review action plans are tracked by the Business Team: a case closes only when its plan is
complete, and overdue updates escalate to the Executive (000_44eed6501ae43eb6.txt: 5.1 Rapid
Review action plans). LCSPR recommendations are tracked by the Learning & Improvement Group, which
signs an action off as complete only with evidence and sees "a real time account" of each
organisation's performance (000_44eed6501ae43eb6.txt: 5.2 Learning & Improvement Group).

Status is BRAG, as partnership trackers use it:

* **Blue**, complete: marked complete, with evidence, and signed off (who and when);
* **Red**, overdue: not complete and past its due date;
* **Amber**, at risk: complete but not evidenced or not signed off; no update within the
  profile's interval; due within the profile's warning window; or no due date at all;
* **Green**, on track: everything else that is open.

Superseded actions are shown grey and left out of the counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from caseforms.calendar import add_months
from caseforms.dates import format_uk
from caseforms.profile import Profile

BLUE = "Blue"
GREEN = "Green"
AMBER = "Amber"
RED = "Red"
GREY = "Superseded"
RAGS = (RED, AMBER, GREEN, BLUE, GREY)

COMPLETE = "Complete"
COMPLETE_AWAITING_EVIDENCE = "Complete – awaiting evidence"
SUPERSEDED = "Superseded"
COMPLETE_STATUSES = frozenset({COMPLETE, COMPLETE_AWAITING_EVIDENCE})

RAPID_REVIEW = "Rapid Review"
LCSPR = "LCSPR"
SOURCES = (RAPID_REVIEW, LCSPR)

#: Working days before its due date an open action turns amber, unless the profile says otherwise.
DEFAULT_DUE_SOON_WORKING_DAYS = 10
DEFAULT_UPDATE_INTERVAL_MONTHS = 3


@dataclass(frozen=True)
class Rating:
    """An action's BRAG status on a date, and why."""

    rag: str
    reason: str
    #: Working days past the due date (positive) for red actions; None otherwise.
    days_overdue: int | None = None
    update_overdue: bool = False


def _text(values: Mapping[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


def _day(values: Mapping[str, Any], key: str) -> date | None:
    value = values.get(key)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def is_signed_off(values: Mapping[str, Any]) -> bool:
    return bool(_text(values, "signed_off_by")) and _day(values, "signed_off_date") is not None


def rate(values: Mapping[str, Any], as_of: date, profile: Profile) -> Rating:
    """Return the BRAG rating of one action (its values by tracker column key) on ``as_of``."""
    status = _text(values, "status")
    if status == SUPERSEDED:
        return Rating(GREY, "Superseded")
    calendar = profile.calendar
    learning_group = profile.bodies.get("learning_group", "Learning and Improvement Group")
    evidence = bool(_text(values, "evidence"))
    if status in COMPLETE_STATUSES:
        if not evidence:
            return Rating(AMBER, "Marked complete, but no evidence of completion is recorded")
        if not is_signed_off(values):
            return Rating(AMBER, f"Evidenced; awaiting sign-off by the {learning_group}")
        if status == COMPLETE_AWAITING_EVIDENCE:
            return Rating(AMBER, "Signed off, but the status still says awaiting evidence")
        return Rating(BLUE, f"Complete, evidenced and signed off on {format_uk(_day(values, 'signed_off_date'))}")  # type: ignore[arg-type]

    # An open action's update is overdue whatever else is true of it: an overdue action last updated
    # four months ago is both, and the Executive needs to know both.
    interval = int(profile.settings.get("action_update_interval_months", DEFAULT_UPDATE_INTERVAL_MONTHS))
    last = _day(values, "last_update_date") or _day(values, "created_date")
    stale = last is not None and add_months(last, interval) < as_of
    no_update = f"no update since {format_uk(last)} (updates are due every {interval} months)" if stale else ""  # type: ignore[arg-type]

    def with_update(reason: str) -> str:
        return f"{reason}; {no_update}" if no_update else reason

    due = _day(values, "due_date")
    if due is not None and due < as_of:
        overdue = calendar.working_days_between(due, as_of)
        return Rating(RED, with_update(f"Overdue since {format_uk(due)} ({overdue} working days)"), days_overdue=overdue,
                      update_overdue=stale)
    if due is None:
        return Rating(AMBER, with_update("No due date: the action cannot be tracked until it has one (SMART: Timed)"),
                      update_overdue=stale)
    if stale:
        return Rating(AMBER, no_update[0].upper() + no_update[1:], update_overdue=True)
    soon = int(profile.settings.get("action_due_soon_working_days", DEFAULT_DUE_SOON_WORKING_DAYS))
    left = calendar.working_days_between(as_of, due)
    if left <= soon:
        return Rating(AMBER, f"Due {format_uk(due)}: {left} working days left")
    return Rating(GREEN, f"On track: due {format_uk(due)}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an action row, for the tracker's checks (the adapter adds the cell)."""

    code: str
    severity: str
    column: str
    message: str
    fix: str


def check_action(values: Mapping[str, Any], known_cases: Iterable[str] | None = None) -> list[Problem]:
    """Return every problem with one action: SMART gaps, impossible dates, inconsistent status.

    SMART (000_44eed6501ae43eb6.txt, 5.2; DOMAIN.md, "Recommendation / action"): Specific (the action says what will be done),
    Measurable (the evidence expected is stated), Achievable and realistic (an owner agency and a
    named lead), Timed (a due date).
    """
    problems: list[Problem] = []
    status = _text(values, "status")
    action = _text(values, "action")

    def add(code: str, severity: str, column: str, message: str, fix: str) -> None:
        problems.append(Problem(code, severity, column, message, fix))

    if not action:
        add("action-missing", "error", "action", "The action is empty.", "Write what will be done, by whom, to what end.")
    elif len(action.split()) < 4:
        add("action-not-specific", "warning", "action", f"'{action}' is too short to be specific (SMART: Specific).",
            "Say what will change and how, e.g. 'Deliver briefing on ... to all health visitors'.")
    if not _text(values, "owner_agency"):
        add("owner-missing", "error", "owner_agency", "The action has no owner agency.",
            "Choose the agency responsible for the action.")
    if not _text(values, "lead"):
        add("lead-missing", "warning", "lead", "No named lead (SMART: Achievable).",
            "Name the person who will make sure it is done.")
    if not _text(values, "measure"):
        add("measure-missing", "warning", "measure", "No measurable outcome or evidence expected (SMART: Measurable).",
            "Say what evidence will show the action is complete (an audit, a policy, training figures...).")
    due = _day(values, "due_date")
    if due is None and values.get("due_date") in (None, ""):
        add("due-missing", "error", "due_date", "The action has no due date (SMART: Timed).", "Agree a due date with the owner.")
    created = _day(values, "created_date")
    if due is not None and created is not None and due < created:
        add("due-before-created", "error", "due_date",
            f"Due {format_uk(due)}, before the action was agreed on {format_uk(created)}.", "Correct one of the two dates.")
    signed = _day(values, "signed_off_date")
    if signed is not None and created is not None and signed < created:
        add("signoff-before-created", "error", "signed_off_date",
            f"Signed off on {format_uk(signed)}, before the action was agreed on {format_uk(created)}.",
            "Correct the sign-off date.")
    updated = _day(values, "last_update_date")
    if updated is not None and created is not None and updated < created:
        add("update-before-created", "warning", "last_update_date",
            f"Last update {format_uk(updated)} is before the action was agreed on {format_uk(created)}.",
            "Correct the update date.")
    evidence = bool(_text(values, "evidence"))
    if evidence and status and status not in COMPLETE_STATUSES and status != SUPERSEDED:
        add("evidence-but-open", "warning", "status",
            f"Evidence of completion is recorded but the status is still '{status}'.",
            f"Set the status to '{COMPLETE}' if the action is done, or move the text into the latest update.")
    if (signed is not None or _text(values, "signed_off_by")) and not evidence:
        add("signoff-without-evidence", "error", "evidence", "Signed off without evidence of completion.",
            "Record the evidence the sign-off was based on; actions are signed off only with evidence.")
    if bool(_text(values, "signed_off_by")) != (signed is not None):
        add("signoff-incomplete", "warning", "signed_off_by" if signed is not None else "signed_off_date",
            "Sign-off needs both who signed it off and when.", "Fill in both sign-off columns.")
    if known_cases is not None:
        ref = _text(values, "case_ref")
        if ref and ref not in set(known_cases):
            add("unknown-case", "warning", "case_ref", f"Case '{ref}' is not in the register.", "Check the case reference.")
    return problems


@dataclass
class AgencyCounts:
    """One agency's line in the LIG paper and chart."""

    agency: str
    counts: Counter[str] = field(default_factory=Counter)
    update_overdue: int = 0

    @property
    def total(self) -> int:
        return sum(v for k, v in self.counts.items() if k != GREY)

    @property
    def open(self) -> int:
        return self.total - self.counts[BLUE]


def by_agency(rated: Sequence[tuple[Mapping[str, Any], Rating]]) -> list[AgencyCounts]:
    """Return each owner agency's actions counted by BRAG status, busiest first."""
    table: dict[str, AgencyCounts] = defaultdict(lambda: AgencyCounts(""))
    for values, rating in rated:
        agency = _text(values, "owner_agency") or "(no owner agency)"
        line = table[agency]
        line.agency = agency
        line.counts[rating.rag] += 1
        line.update_overdue += rating.update_overdue
    return sorted(table.values(), key=lambda a: (-a.counts[RED], -a.open, a.agency))


def escalations(rated: Sequence[tuple[Mapping[str, Any], Rating]]) -> list[tuple[Mapping[str, Any], Rating]]:
    """Return the actions the Executive must see: overdue ones and those with updates overdue, worst first."""
    chosen = [(v, r) for v, r in rated if r.rag == RED or r.update_overdue]
    return sorted(chosen, key=lambda vr: (vr[1].rag != RED, -(vr[1].days_overdue or 0), _text(vr[0], "owner_agency")))


def cases_ready_to_close(rated: Sequence[tuple[Mapping[str, Any], Rating]]) -> dict[str, bool]:
    """Return, for each case with Rapid Review actions, whether its action plan is complete.

    A case's Rapid Review action plan is complete when every one of its Rapid Review actions is
    blue (complete, evidenced, signed off) or superseded (000_44eed6501ae43eb6.txt: 5.1).
    """
    ready: dict[str, bool] = {}
    for values, rating in rated:
        if _text(values, "source") != RAPID_REVIEW:
            continue
        ref = _text(values, "case_ref")
        if ref:
            ready[ref] = ready.get(ref, True) and rating.rag in (BLUE, GREY)
    return ready

