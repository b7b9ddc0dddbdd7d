"""Case timetables: each shipped profile's milestones, worked out by hand, and their statuses."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseforms.deadlines import (
    DUE_SOON,
    ENDED,
    IF_IT_APPLIES,
    IN_FORCE,
    MET,
    MET_LATE,
    NOT_ANCHORED,
    OVERDUE,
    PASSED,
    UPCOMING,
    Due,
    timetable,
)
from caseforms.errors import EventError
from caseforms.profile import load_profile

D = date.fromisoformat


def row(profile: str, events: dict[str, date | datetime], milestone: str, today: str = "2025-01-02", **kw) -> Due:
    rows = {r.id: r for r in timetable(load_profile(profile), events, D(today), **kw)}
    return rows[milestone]


def assert_due(profile: str, events: dict[str, date | datetime], milestone: str, expected: date | datetime) -> None:
    got = row(profile, events, milestone).due
    assert got == expected, f"{profile}/{milestone} from {events}: due {got}, expected {expected}"


def test_notification_due_five_working_days_after_becoming_aware() -> None:
    assert_due("national", {"aware": D("2024-12-20")}, "la_notification", D("2024-12-31"))


def test_rapid_review_due_fifteen_working_days_after_notification() -> None:
    # Tue 31 Dec: Jan 2,3 (2), 6-10 (7), 13-17 (12), 20,21,22 (15).
    assert_due("national", {"aware": D("2024-12-20"), "notified": D("2024-12-31")}, "rapid_review_submission", D("2025-01-22"))


def test_kirklees_rapid_review_counts_from_awareness_not_notification() -> None:
    events = {"aware": D("2024-12-20"), "notified": D("2024-12-31")}
    # From Fri 20 Dec: 23,24,27,30,31 (5), Jan 2,3 (7), 6-10 (12), 13,14,15 (15).
    assert_due("kirklees", events, "rapid_review_submission", D("2025-01-15"))


def test_lcspr_publication_six_calendar_months_after_the_decision() -> None:
    assert_due("national", {"lcspr_decision": D("2025-08-31")}, "lcspr_publication", D("2026-02-28"))


def test_full_report_to_panel_seven_working_days_before_the_planned_publication() -> None:
    assert_due("national", {"publication": D("2025-09-02")}, "lcspr_report_to_panel", D("2025-08-21"))


def test_full_report_to_panel_falls_back_to_the_statutory_publication_date() -> None:
    # Decision 2025-03-03: publication due 2025-09-03 (Wed); 7 working days before is 2025-08-22.
    r = row("national", {"lcspr_decision": D("2025-03-03")}, "lcspr_report_to_panel")
    assert r.due == D("2025-08-22")
    assert r.anchor == "lcspr_publication"


def test_kent_executive_convening_and_agency_summaries() -> None:
    events = {"referral": D("2024-12-20"), "aware": D("2024-12-20"), "notified": D("2024-12-31")}
    assert_due("kent", events, "executive_discussion", D("2024-12-27"))
    assert_due("kent", events, "agency_summaries_returned", D("2025-01-14"))
    assert_due("kent", events, "agency_summary_to_qa", D("2025-01-12"))
    meeting = row("kent", events, "rapid_review_meeting")
    assert (meeting.opens, meeting.due) == (D("2025-01-16"), D("2025-01-20"))


def test_cumbria_day_by_day_with_day_one_the_day_notification_is_received() -> None:
    events = {"notified": D("2025-01-06")}
    assert_due("cumbria", events, "agency_summary_request", D("2025-01-06"))
    assert_due("cumbria", events, "agency_summaries_returned", D("2025-01-17"))
    assert_due("cumbria", events, "papers_sent", D("2025-01-21"))
    assert_due("cumbria", events, "rapid_review_meeting", D("2025-01-23"))
    assert_due("cumbria", events, "outcome_to_panel", D("2025-01-24"))
    # The statutory deadline stays one working day later: Day 1 is counted there, not here.
    assert_due("cumbria", events, "rapid_review_submission", D("2025-01-27"))


def test_lincolnshire_appendix_c_and_the_9am_chronology_return() -> None:
    events = {"notified": datetime(2025, 4, 14, 11, 0)}
    assert_due("lincolnshire", events, "sirg_told_of_rapid_review", datetime(2025, 4, 15, 11, 0))
    assert_due("lincolnshire", events, "tor_meeting_48h", datetime(2025, 4, 16, 11, 0))
    # Day 1 Mon 14 Apr, Day 4 Thu 17; Good Friday and Easter Monday skipped: Day 7 is Thu 24 Apr.
    assert_due("lincolnshire", events, "chronologies_returned", datetime(2025, 4, 24, 9, 0))
    tor = row("lincolnshire", events, "tor_meeting")
    assert (tor.opens, tor.due) == (D("2025-04-15"), D("2025-04-24"))
    # Day 13 Fri 2 May; the early May bank holiday (Mon 5) skipped: Day 15 is Wed 7 May.
    assert_due("lincolnshire", events, "report_submitted", D("2025-05-07"))


def test_kirklees_24_hour_ecase_form_in_clock_hours() -> None:
    assert_due("kirklees", {"incident": datetime(2025, 3, 1, 14, 30)}, "ecase_referral", datetime(2025, 3, 2, 14, 30))
    # Without a time the hours run out on the next day.
    assert_due("kirklees", {"incident": D("2025-03-01")}, "ecase_referral", D("2025-03-02"))


def test_statuses_as_the_days_go_by() -> None:
    aware = {"aware": D("2024-12-20")}  # notification due Tue 31 Dec
    assert row("national", aware, "la_notification", today="2024-12-20").status == UPCOMING
    assert row("national", aware, "la_notification", today="2024-12-27").status == DUE_SOON  # 2 working days left
    assert row("national", aware, "la_notification", today="2024-12-31").status == DUE_SOON  # due today
    assert row("national", aware, "la_notification", today="2024-12-31").working_days_left == 0
    late = row("national", aware, "la_notification", today="2025-01-02")
    assert (late.status, late.working_days_left) == (OVERDUE, -1)
    assert row("national", {}, "la_notification").status == NOT_ANCHORED
    assert row("national", {**aware, "notified": D("2024-12-31")}, "la_notification").status == MET
    assert row("national", {**aware, "notified": D("2025-01-02")}, "la_notification").status == MET_LATE


def test_steps_without_a_date_of_their_own_pass_once_a_later_step_is_recorded() -> None:
    events = {"notified": D("2025-01-06")}
    assert row("cumbria", events, "papers_sent", today="2025-02-03").status == OVERDUE
    passed = row("cumbria", {**events, "rr_meeting": D("2025-01-23")}, "papers_sent", today="2025-02-03")
    assert passed.status == PASSED
    # A missed statutory deadline is never hidden that way.
    late = {"aware": D("2024-12-20"), "rr_meeting": D("2025-01-23")}
    assert row("national", late, "la_notification", today="2025-02-03").status == OVERDUE


def test_kent_executive_discussion_is_met_by_the_decision() -> None:
    events = {"referral": D("2024-12-20"), "decision": D("2024-12-23")}
    assert row("kent", events, "executive_discussion").status == MET
    assert row("kent", {**events, "decision": D("2025-01-02")}, "executive_discussion").status == MET_LATE


def test_due_soon_is_two_working_days_by_default() -> None:
    aware = {"aware": D("2024-12-20")}
    assert row("national", aware, "la_notification", today="2024-12-24").status == UPCOMING  # 3 left
    assert row("national", aware, "la_notification", today="2024-12-27").status == DUE_SOON  # 2 left


def test_conditional_milestones_apply_only_with_their_flag() -> None:
    events = {"incident": D("2025-02-03"), "aware": D("2025-02-03")}
    assert row("kent", events, "joint_agency_response", today="2025-03-01").status == IF_IT_APPLIES
    flagged = row("kent", events, "joint_agency_response", today="2025-03-01", flags={"unexpected_death"})
    assert (flagged.status, flagged.due) == (OVERDUE, D("2025-02-06"))


def test_keep_online_until_runs_for_the_period_after_publication() -> None:
    events = {"lcspr_decision": D("2024-01-10"), "publication": D("2024-07-01")}
    assert row("kirklees", events, "published_report_online_until", today="2024-12-31").status == IN_FORCE
    assert row("kirklees", events, "published_report_online_until", today="2025-01-02").status == ENDED
    assert row("kent", events, "published_report_online_until", today="2025-01-02").status == IN_FORCE


def test_rows_come_soonest_first_and_unanchored_last() -> None:
    rows = timetable(load_profile("kent"), {"aware": D("2024-12-20"), "notified": D("2024-12-31")}, D("2025-01-02"))
    dated = [r for r in rows if r.due is not None]
    assert [r.due for r in dated] == sorted(r.due for r in dated)  # type: ignore[type-var]
    assert all(r.due is None for r in rows[len(dated):])


def test_json_row_has_the_documented_keys() -> None:
    d = row("national", {"aware": D("2024-12-20")}, "la_notification").to_dict()
    assert {"id", "label", "due", "status", "rule", "source", "working_days_left"} <= set(d)
    assert d["due"] == "2024-12-31"
    assert d["rule"] == "within 5 working days of becoming aware"


def test_impossible_event_order_is_refused() -> None:
    with pytest.raises(EventError, match="before local authority became aware"):
        timetable(load_profile("national"), {"aware": D("2025-01-10"), "notified": D("2025-01-09")}, D("2025-01-10"))
    with pytest.raises(EventError, match="Unknown event 'awareness'"):
        timetable(load_profile("national"), {"awareness": D("2025-01-10")}, D("2025-01-10"))
