"""What the tracker's papers say: the LIG report and the Executive's escalation report, as plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseforms.dates import format_uk
from caseforms.profile import Profile
from caseforms.tracker.rules import (
    AMBER,
    BLUE,
    GREEN,
    GREY,
    RED,
    AgencyCounts,
    Rating,
    by_agency,
    cases_ready_to_close,
    escalations,
    rate,
)

Rated = list[tuple[Mapping[str, Any], Rating]]


@dataclass
class TrackerState:
    """Every action rated on one date, with the views the papers and the workbook need."""

    as_of: date
    rated: Rated
    agencies: list[AgencyCounts]
    escalations: Rated
    ready_to_close: dict[str, bool]

    @property
    def counts(self) -> dict[str, int]:
        totals = {rag: 0 for rag in (RED, AMBER, GREEN, BLUE, GREY)}
        for _, rating in self.rated:
            totals[rating.rag] += 1
        return totals


def assess(actions: Sequence[Mapping[str, Any]], profile: Profile, as_of: date) -> TrackerState:
    """Rate every action on ``as_of`` and work out the per-agency counts, escalations and closable cases."""
    rated: Rated = [(values, rate(values, as_of, profile)) for values in actions]
    return TrackerState(as_of, rated, by_agency(rated), escalations(rated), cases_ready_to_close(rated))


def _day(value: Any) -> str:
    return format_uk(value)[4:] if isinstance(value, date) else ""


def action_row(values: Mapping[str, Any], rating: Rating) -> dict[str, str]:
    """Return one action as the papers show it: text only, dates the English way."""

    def text(key: str) -> str:
        value = values.get(key)
        return "" if value is None else str(value)

    updated = _day(values.get("last_update_date"))
    update = ": ".join(part for part in (updated, text("last_update")) if part) or "No update recorded"
    return {
        "action_id": text("action_id"),
        "case_ref": text("case_ref"),
        "source": text("source"),
        "recommendation": text("recommendation"),
        "action": text("action"),
        "owner_agency": text("owner_agency") or "(no owner agency)",
        "lead": text("lead") or "(no named lead)",
        "due": _day(values.get("due_date")) or "(no due date)",
        "status": text("status") or "(no status)",
        "progress": update,
        "evidence": text("evidence"),
        "rag": rating.rag,
        "reason": rating.reason,
    }


def business_unit(profile: Profile) -> str:
    """Return who writes the tracker's papers when no officer is named: the partnership's business unit."""
    return profile.bodies.get("business_unit") or f"{profile.bodies.get('partnership', profile.title)} Business Unit"


def paper_title(paper_name: str, profile: Profile) -> str:
    """Return a tracker paper's title in the profile's names for its bodies."""
    if paper_name == "escalation_report":
        return f"Actions escalated to the {profile.bodies.get('executive', 'Executive')}"
    return "Recommendations and actions tracker report"


def paper_context(state: TrackerState, profile: Profile, title: str, author: str = "") -> dict[str, Any]:
    """Return the context of the LIG report or the escalation report (the same fields serve both)."""
    counts = state.counts
    agencies = [
        {
            "agency": a.agency, "total": str(a.total), "open": str(a.open), "red": str(a.counts[RED]),
            "amber": str(a.counts[AMBER]), "green": str(a.counts[GREEN]), "blue": str(a.counts[BLUE]),
            "update_overdue": str(a.update_overdue),
        }
        for a in state.agencies
    ]
    # Every action not on track, with why: red first (longest overdue first), then amber.
    not_on_track = sorted(((v, r) for v, r in state.rated if r.rag in (RED, AMBER)),
                          key=lambda vr: (vr[1].rag != RED, -(vr[1].days_overdue or 0)))
    no_due_date = [action_row(v, r) for v, r in state.rated if r.rag not in (BLUE, GREY) and v.get("due_date") in (None, "")]
    awaiting = [action_row(v, r) for v, r in state.rated if r.rag == AMBER and "sign-off" in r.reason]
    unevidenced = [action_row(v, r) for v, r in state.rated if r.rag == AMBER and "no evidence" in r.reason]
    completed = [action_row(v, r) for v, r in state.rated if r.rag == BLUE]
    ready = sorted(ref for ref, ok in state.ready_to_close.items() if ok)
    return {
        "partnership": {"name": profile.bodies.get("partnership", profile.title), "title": profile.title},
        "bodies": {key: profile.bodies.get(key, "") for key in ("executive", "learning_group", "assurance")},
        "case": {"ref": "All cases"},
        "document": {
            "title": title,
            "date": format_uk(state.as_of)[4:],
            "author": author or business_unit(profile),
            "version": "1.0",
            "status": "Draft",
            "marking": "OFFICIAL-SENSITIVE",
        },
        "tracker": {
            "as_of": format_uk(state.as_of)[4:],
            "total": str(sum(v for k, v in counts.items() if k != GREY)),
            "red": str(counts[RED]), "amber": str(counts[AMBER]), "green": str(counts[GREEN]), "blue": str(counts[BLUE]),
            "superseded": str(counts[GREY]),
            "agencies": agencies,
            "escalations": [action_row(v, r) for v, r in state.escalations],
            "not_on_track": [action_row(v, r) for v, r in not_on_track],
            "no_due_date": no_due_date,
            "updates_overdue": str(sum(r.update_overdue for _, r in state.rated)),
            "update_interval": str(profile.settings.get("action_update_interval_months", 3)),
            "awaiting_signoff": awaiting,
            "unevidenced": unevidenced,
            "completed": completed,
            "ready_to_close": ", ".join(ready) if ready else "None",
        },
    }
