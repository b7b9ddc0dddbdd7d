"""Tracker rules: BRAG on either side of each boundary, SMART checks, escalations, ready to close."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from caseforms.profile import load_profile
from caseforms.tracker.rules import (
    AMBER,
    BLUE,
    GREEN,
    GREY,
    RED,
    by_agency,
    cases_ready_to_close,
    check_action,
    escalations,
    rate,
)

KENT = load_profile("kent")
D = date.fromisoformat


def action(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "action_id": "A1",
        "case_ref": "KSCMP-2025-001",
        "source": "Rapid Review",
        "action": "Deliver a briefing on safe sleep to all health visiting teams",
        "owner_agency": "Kent Community Health",
        "lead": "Ada Fictional",
        "measure": "Attendance figures and a repeat audit of safe sleep advice",
        "created_date": D("2025-01-10"),
        "due_date": D("2025-06-30"),
        "status": "In progress",
        "last_update_date": D("2025-03-01"),
    }
    values.update(over)
    return values


def rag(as_of: str, **over: Any) -> str:
    return rate(action(**over), D(as_of), KENT).rag


def test_green_until_ten_working_days_before_the_due_date_then_amber() -> None:
    # Due Mon 30 June 2025: 10 working days before is Mon 16 June.
    recent = {"last_update_date": D("2025-06-01")}
    assert rag("2025-06-13", **recent) == GREEN  # 11 working days left
    assert rag("2025-06-16", **recent) == AMBER  # 10 left
    assert rag("2025-06-30", **recent) == AMBER  # due today
    assert rag("2025-07-01", **recent) == RED


def test_update_overdue_after_the_profile_interval() -> None:
    # Last update 1 March; updates due every 3 months: still fine on 1 June, overdue on 2 June.
    assert rag("2025-06-01", due_date=D("2025-12-31")) == GREEN
    rating = rate(action(due_date=D("2025-12-31")), D("2025-06-02"), KENT)
    assert (rating.rag, rating.update_overdue) == (AMBER, True)


def test_complete_is_blue_only_with_evidence_and_sign_off() -> None:
    done = {"status": "Complete", "evidence": "Audit report March 2025", "signed_off_by": "LIG", "signed_off_date": D("2025-04-01")}
    assert rag("2025-07-15", **done) == BLUE
    assert rag("2025-07-15", **{**done, "evidence": ""}) == AMBER
    assert rag("2025-07-15", **{**done, "signed_off_date": None}) == AMBER
    assert rag("2025-07-15", **{**done, "signed_off_by": ""}) == AMBER
    assert rag("2025-07-15", **{**done, "status": "Complete – awaiting evidence"}) == AMBER


def test_superseded_is_grey_and_no_due_date_is_amber() -> None:
    assert rag("2025-07-15", status="Superseded") == GREY
    assert rag("2025-03-02", due_date=None) == AMBER


def codes(**over: Any) -> set[str]:
    return {p.code for p in check_action(action(**over))}


def test_a_smart_action_has_no_problems() -> None:
    assert check_action(action()) == []


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"owner_agency": ""}, "owner-missing"),
        ({"lead": None}, "lead-missing"),
        ({"measure": ""}, "measure-missing"),
        ({"due_date": None}, "due-missing"),
        ({"action": "Review policy"}, "action-not-specific"),
        ({"action": ""}, "action-missing"),
        ({"due_date": D("2025-01-01")}, "due-before-created"),
        ({"evidence": "Training log", "status": "In progress"}, "evidence-but-open"),
        ({"signed_off_by": "LIG", "signed_off_date": D("2024-12-01"), "evidence": "x"}, "signoff-before-created"),
        ({"signed_off_by": "LIG", "signed_off_date": D("2025-04-01")}, "signoff-without-evidence"),
        ({"signed_off_by": "LIG", "evidence": "x", "status": "Complete"}, "signoff-incomplete"),
        ({"last_update_date": D("2024-12-01")}, "update-before-created"),
    ],
)
def test_each_problem_is_found(over: dict[str, Any], code: str) -> None:
    assert code in codes(**over)


def test_unknown_case_only_when_the_register_is_known() -> None:
    assert not any(p.code == "unknown-case" for p in check_action(action()))
    assert any(p.code == "unknown-case" for p in check_action(action(), known_cases=["KSCMP-2025-002"]))


def test_escalations_agencies_and_cases_ready_to_close() -> None:
    as_of = D("2025-08-01")
    done = {"status": "Complete", "evidence": "Audit", "signed_off_by": "LIG", "signed_off_date": D("2025-04-01")}
    rows = [
        action(action_id="A1", **done),
        action(action_id="A2", case_ref="KSCMP-2025-002", owner_agency="Kent Police", due_date=D("2025-07-01")),
        action(action_id="A3", case_ref="KSCMP-2025-002", due_date=D("2026-03-01"), last_update_date=D("2025-01-15")),
        action(action_id="A4", case_ref="KSCMP-2025-003", source="LCSPR", due_date=D("2026-03-01"), last_update_date=D("2025-07-01")),
    ]
    rated = [(v, rate(v, as_of, KENT)) for v in rows]
    assert [v["action_id"] for v, _ in escalations(rated)] == ["A2", "A3"]
    agencies = {a.agency: a for a in by_agency(rated)}
    assert agencies["Kent Police"].counts[RED] == 1
    assert agencies["Kent Community Health"].counts[BLUE] == 1
    assert agencies["Kent Community Health"].update_overdue == 1
    assert cases_ready_to_close(rated) == {"KSCMP-2025-001": True, "KSCMP-2025-002": False}


def test_an_overdue_action_last_updated_four_months_ago_counts_as_an_update_overdue() -> None:
    stale_and_late = action(due_date=D("2025-05-30"), last_update_date=D("2025-02-03"))
    rating = rate(stale_and_late, D("2025-06-04"), KENT)
    assert (rating.rag, rating.update_overdue) == (RED, True)
    assert "Overdue since" in rating.reason and "no update since Mon 03/02/2025" in rating.reason
    assert by_agency([(stale_and_late, rating)])[0].update_overdue == 1
    no_date = rate(action(due_date=None, last_update_date=D("2025-02-03")), D("2025-06-04"), KENT)
    assert (no_date.rag, no_date.update_overdue) == (AMBER, True) and "No due date" in no_date.reason


def test_the_lig_report_lists_every_action_not_on_track_and_every_action_without_a_due_date() -> None:
    from caseforms.tracker.report import assess, paper_context, paper_title

    actions = [
        action(action_id="R1", due_date=D("2025-05-01")),
        action(action_id="A1", due_date=D("2025-06-10")),  # due soon
        action(action_id="A2", due_date=None),
        action(action_id="G1", due_date=D("2025-12-31"), last_update_date=D("2025-05-20")),
        action(action_id="B1", status="Complete", evidence="Audit", signed_off_by="LIG", signed_off_date=D("2025-05-01")),
    ]
    state = assess(actions, KENT, D("2025-06-04"))
    tracker = paper_context(state, KENT, paper_title("lig_report", KENT))["tracker"]
    assert [x["action_id"] for x in tracker["not_on_track"]] == ["R1", "A1", "A2"]
    assert all(x["reason"] for x in tracker["not_on_track"])
    assert [x["action_id"] for x in tracker["no_due_date"]] == ["A2"]
    assert tracker["updates_overdue"] == "3"  # R1, A1 and A2 were last updated on 1 March


def test_the_papers_name_the_profiles_bodies_and_business_unit() -> None:
    from caseforms.tracker.report import assess, paper_context, paper_title

    lincolnshire = load_profile("lincolnshire")
    assert paper_title("escalation_report", lincolnshire) == "Actions escalated to the Serious Incident Review Group (SIRG)"
    assert paper_title("escalation_report", KENT) == "Actions escalated to the KSCMP Executive"
    context = paper_context(assess([action()], lincolnshire, D("2025-06-04")), lincolnshire, "t")
    assert context["document"]["author"] == "Lincolnshire Safeguarding Children Partnership (LSCP) Business Unit"
    assert context["bodies"]["learning_group"] == "Learning and Improvement Group"
