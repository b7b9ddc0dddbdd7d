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
    # "48 hours before the deadline" of a deadline that is a date counts back working time: Tue 14 Jan, back two
    # working days is Fri 10 Jan (not Sunday 12 January, on which no one is at work).
    assert_due("kent", events, "agency_summary_to_qa", D("2025-01-10"))
    meeting = row("kent", events, "rapid_review_meeting")
    assert (meeting.opens, meeting.due) == (D("2025-01-16"), D("2025-01-20"))


def test_cumbria_day_by_day_with_day_one_the_day_notification_is_received() -> None:
    events = {"notified": D("2025-01-06")}
    assert_due("cumbria", events, "agency_summary_request", D("2025-01-06"))
    assert_due("cumbria", events, "agency_summaries_returned", D("2025-01-17"))
    assert_due("cumbria", events, "papers_sent", D("2025-01-21"))
    assert_due("cumbria", events, "rapid_review_meeting", D("2025-01-23"))
    # One step, one milestone: Day 15 (Fri 24 Jan) is the submission, counted Cumbria's way; no second deadline.
    assert_due("cumbria", events, "rapid_review_submission", D("2025-01-24"))
    ids = [r.id for r in timetable(load_profile("cumbria"), events, D("2025-01-06"))]
    assert "outcome_to_panel" not in ids and ids.count("rapid_review_submission") == 1
    assert load_profile("cumbria").milestone("outcome_to_panel").id == "rapid_review_submission"


def test_lincolnshire_appendix_c_and_the_9am_chronology_return() -> None:
    events = {"notified": datetime(2025, 4, 14, 11, 0)}
    assert_due("lincolnshire", events, "sirg_told_of_rapid_review", datetime(2025, 4, 15, 11, 0))
    assert_due("lincolnshire", events, "tor_meeting_48h", datetime(2025, 4, 16, 11, 0))
    # Day 1 Mon 14 Apr, Day 4 Thu 17; Good Friday and Easter Monday skipped: Day 7 is Thu 24 Apr.
    assert_due("lincolnshire", events, "chronologies_returned", datetime(2025, 4, 24, 9, 0))
    tor = row("lincolnshire", events, "tor_meeting")
    assert (tor.opens, tor.due) == (D("2025-04-15"), D("2025-04-24"))
    # Day 13 Fri 2 May; the early May bank holiday (Mon 5) skipped: Day 15 is Wed 7 May, the one submission.
    assert_due("lincolnshire", events, "rapid_review_submission", D("2025-05-07"))
    assert "report_submitted" not in {r.id for r in timetable(load_profile("lincolnshire"), events, D("2025-04-14"))}


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


# -- issue 15: office hours, the notification duties, the Panel's reply and the LCSPR to publication ----------


def test_an_office_task_due_on_a_weekend_is_due_the_working_day_before_and_says_why() -> None:
    # Notified Fri 11/04/2025 11:00: 24 hours runs out Sat 12/04, 48 hours Sun 13/04; both due Fri 11/04.
    events = {"notified": datetime(2025, 4, 11, 11, 0)}
    told = row("lincolnshire", events, "sirg_told_of_rapid_review")
    assert told.due == D("2025-04-11")
    assert told.note == "Sat 12/04/2025 is not a working day: due the working day before"
    assert_due("lincolnshire", events, "tor_meeting_48h", D("2025-04-11"))
    # Thu 17/04/2025 15:00: 24 hours is Good Friday, 48 hours Saturday: both due Thu 17/04.
    maundy = {"notified": datetime(2025, 4, 17, 15, 0)}
    assert_due("lincolnshire", maundy, "sirg_told_of_rapid_review", D("2025-04-17"))
    assert_due("lincolnshire", maundy, "tor_meeting_48h", D("2025-04-17"))
    # A working day stays as it is, at its hour, with no note.
    monday = row("lincolnshire", {"notified": datetime(2025, 4, 14, 11, 0)}, "sirg_told_of_rapid_review")
    assert (monday.due, monday.note) == (datetime(2025, 4, 15, 11, 0), None)


def test_an_office_task_from_an_event_on_a_weekend_is_due_the_first_working_day_after() -> None:
    # Notified Sat 19/04/2025 10:00 (Easter): 24 hours is Sun 20/04; the working day before it (Thu 17/04) is before the
    # notification itself, so the office's first day: Tue 22/04 (Easter Monday skipped).
    r = row("lincolnshire", {"notified": datetime(2025, 4, 19, 10, 0)}, "sirg_told_of_rapid_review")
    assert r.due == D("2025-04-22")
    assert r.note is not None and "first working day after" in r.note


def test_emergencies_stand_at_the_clock_hour_whatever_the_day() -> None:
    # Kent's placing authority (24 hours) and Joint Agency Response (72 hours) are not office tasks.
    assert_due("kent", {"aware": datetime(2025, 3, 7, 16, 0)}, "placing_authority_confirmation",
               datetime(2025, 3, 8, 16, 0))
    assert_due("kent", {"incident": datetime(2025, 4, 17, 20, 0)}, "joint_agency_response",
               datetime(2025, 4, 20, 20, 0))
    confirmed = {"aware": datetime(2025, 3, 7, 16, 0), "placing_confirmed": datetime(2025, 3, 8, 9, 0)}
    assert row("kent", confirmed, "placing_authority_confirmation", flags={"placed_by_other_la"}).status == MET


def test_a_profile_says_whether_hour_rules_move(tmp_path) -> None:  # type: ignore[no-untyped-def]
    own = tmp_path / "ours.toml"
    own.write_text('[profile]\nname = "ours"\nextends = "national"\n[settings]\n'
                   'hour_rules_on_non_working_days = "stands"\n[[milestone]]\nid = "told"\nlabel = "Told"\n'
                   'anchor = "notified"\nhours = 24\nsource = "our protocol"\n', encoding="utf-8")
    r = {x.id: x for x in timetable(load_profile(own), {"notified": datetime(2025, 4, 11, 11, 0)}, D("2025-04-11"))}
    assert (r["told"].due, r["told"].note) == (datetime(2025, 4, 12, 11, 0), None)


def test_kent_executive_discussion_is_met_by_asking_for_more_information() -> None:
    events = {"referral": D("2024-12-20"), "more_information": D("2024-12-23")}
    assert row("kent", events, "executive_discussion").status == MET  # due Fri 27/12/2024


# A case from referral to publication, the LCSPR decided at the Rapid Review meeting (Kent 000 3.3): the meeting on
# Fri 11/12/2026 decides; the report reaches the Panel on Thu 17/12/2026. Every date worked out by hand below.
PATHWAY = {
    "incident": D("2026-11-18"), "aware": D("2026-11-19"), "referral": D("2026-11-19"), "decision": D("2026-11-23"),
    "partners_informed": D("2026-11-25"), "notified": D("2026-11-26"), "rr_meeting": D("2026-12-11"),
    "lcspr_decision": D("2026-12-11"), "rr_decision": D("2026-12-17"), "panel_response": D("2027-01-11"),
    "lcspr_signoff": D("2027-05-12"), "publication_planned": D("2027-06-11"), "report_to_panel": D("2027-06-01"),
    "publication": D("2027-06-11"),
}


def test_kent_from_referral_to_publication_with_the_lcspr_decided_at_the_meeting() -> None:
    flags = {"notifying"}
    rows = {r.id: r for r in timetable(load_profile("kent"), PATHWAY, D("2027-06-14"), flags=flags)}
    expected = {
        # 3 working days from Thu 19/11: Fri 20, Mon 23, Tue 24. Decided Mon 23.
        "executive_discussion": (D("2026-11-24"), MET),
        # 1 working day from Thu 19/11; passed once the decision is recorded.
        "safeguarding_unit_alert": (D("2026-11-20"), PASSED),
        # 5 working days from Thu 19/11: Fri 20, Mon 23, Tue 24, Wed 25, Thu 26.
        "la_notification": (D("2026-11-26"), MET),
        "report_to_partners": (D("2026-11-26"), MET),
        # 9 working days from Thu 26/11: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9.
        "agency_summaries_returned": (D("2026-12-09"), PASSED),
        # Two working days before Wed 9/12: Tue 8, Mon 7.
        "agency_summary_to_qa": (D("2026-12-07"), PASSED),
        # Working days 11 to 13 after Thu 26/11: Fri 11/12 to Tue 15/12; held Fri 11/12.
        "rapid_review_meeting": (D("2026-12-15"), MET),
        # 15 working days: Wed 16 (14), Thu 17 (15).
        "rapid_review_submission": (D("2026-12-17"), MET),
        # 6 calendar months from the decision at the meeting, Fri 11/12/2026.
        "lcspr_publication": (D("2027-06-11"), MET),
        # 7 working days before Fri 11/06/2027: Thu 10, Wed 9, Tue 8, Mon 7, Fri 4, Thu 3, Wed 2. Sent Tue 1/06.
        "lcspr_report_to_panel": (D("2027-06-02"), MET),
        # Kent keeps a published report online for a year.
        "published_report_online_until": (D("2028-06-11"), IN_FORCE),
    }
    assert {k: (rows[k].due, rows[k].status) for k in expected} == expected
    assert rows["rapid_review_meeting"].opens == D("2026-12-11")


def test_lincolnshire_and_kirklees_on_the_same_case() -> None:
    lincs = {r.id: r for r in timetable(load_profile("lincolnshire"), PATHWAY, D("2027-06-14"), flags={"notifying"})}
    # From Thu 26/11/2026: 24 hours is Fri 27/11; 48 hours Sat 28/11, so the working day before, Fri 27/11.
    assert (lincs["sirg_told_of_rapid_review"].due, lincs["tor_meeting_48h"].due) == (D("2026-11-27"), D("2026-11-27"))
    assert lincs["tor_meeting_48h"].note is not None
    # Day 1 Thu 26/11; Day 7 Fri 4/12 at 09:00; Days 8-13 Mon 7/12 to Mon 14/12; Day 14 Tue 15/12; Day 15 Wed 16/12.
    assert lincs["chronologies_returned"].due == datetime(2026, 12, 4, 9, 0)
    assert (lincs["rapid_review_meeting"].opens, lincs["rapid_review_meeting"].due) == (D("2026-12-07"), D("2026-12-14"))
    assert lincs["ratification"].due == D("2026-12-15")
    assert (lincs["rapid_review_submission"].due, lincs["rapid_review_submission"].status) == (D("2026-12-16"), MET_LATE)
    kirklees = {r.id: r for r in timetable(load_profile("kirklees"), PATHWAY, D("2027-06-14"), flags={"notifying"})}
    # 24 hours from the incident Wed 18/11 (the clock: partners work at weekends): Thu 19/11, met by the referral.
    assert (kirklees["ecase_referral"].due, kirklees["ecase_referral"].status) == (D("2026-11-19"), MET)
    # 15 working days from becoming aware, Thu 19/11: Thu 10/12; the report went on 17/12.
    assert (kirklees["rapid_review_submission"].due, kirklees["rapid_review_submission"].status) == (
        D("2026-12-10"), MET_LATE)
    # Kirklees keeps it online six months: to Sat 11/12/2027.
    assert kirklees["published_report_online_until"].due == D("2027-12-11")


def test_the_lcspr_decided_at_the_meeting_is_not_refused() -> None:
    # The decision (Fri 11/12) comes before the report is sent (Thu 17/12): a real order, not an impossible one.
    timetable(load_profile("kent"), {"rr_meeting": D("2026-12-11"), "lcspr_decision": D("2026-12-11"),
                                     "rr_decision": D("2026-12-17")}, D("2026-12-18"))
    with pytest.raises(EventError, match="Decision to hold an LCSPR"):
        timetable(load_profile("kent"), {"rr_meeting": D("2026-12-11"), "lcspr_decision": D("2026-12-10")},
                  D("2026-12-18"))


def test_the_full_report_to_the_panel_counts_from_the_planned_then_the_actual_publication() -> None:
    # Planned Mon 01/06/2026: 7 working days before, with the spring bank holiday (Mon 25/05) skipped, is Wed 20/05.
    planned = {"lcspr_decision": D("2025-12-15"), "publication_planned": D("2026-06-01"), "report_to_panel": D("2026-05-19")}
    r = row("national", planned, "lcspr_report_to_panel", today="2026-05-20")
    assert (r.due, r.status, r.anchor) == (D("2026-05-20"), MET, "publication_planned")
    # Published Mon 08/06/2026 instead: Fri 5, Thu 4, Wed 3, Tue 2, Mon 1, Fri 29/05, Thu 28/05.
    r = row("national", {**planned, "publication": D("2026-06-08")}, "lcspr_report_to_panel", today="2026-06-09")
    assert (r.due, r.status, r.anchor) == (D("2026-05-28"), MET, "publication")
    # Never sent: overdue once the day has passed, even after publication (no longer "passed").
    unsent = {"lcspr_decision": D("2025-12-15"), "publication": D("2026-06-08")}
    assert row("national", unsent, "lcspr_report_to_panel", today="2026-06-09").status == OVERDUE


def test_a_looked_after_childs_death_is_notified_to_the_secretary_of_state_and_ofsted() -> None:
    # Aware Wed 16/04/2025: Thu 17, (Good Friday, Easter Monday), Tue 22, Wed 23, Thu 24, Fri 25.
    events = {"aware": D("2025-04-16"), "sos_ofsted_notified": D("2025-04-24")}
    assert row("national", events, "lac_death_notification").status == IF_IT_APPLIES
    r = row("national", events, "lac_death_notification", flags={"looked_after_death"})
    assert (r.due, r.status) == (D("2025-04-25"), MET)


def test_a_care_leavers_death_and_a_death_in_a_regulated_setting() -> None:
    # Aware Fri 02/05/2025: (Mon 5 May bank holiday) Tue 6, Wed 7, Thu 8, Fri 9, Mon 12.
    care_leaver = row("national", {"aware": D("2025-05-02")}, "care_leaver_death_notification", today="2025-05-13",
                      flags={"care_leaver_death"})
    assert (care_leaver.due, care_leaver.status) == (D("2025-05-12"), OVERDUE)
    # Aware Mon 18/08/2025: Tue 19, Wed 20, Thu 21, Fri 22, (Mon 25 August bank holiday) Tue 26.
    assert_due("national", {"aware": D("2025-08-18")}, "regulated_setting_death_notification", D("2025-08-26"))


def test_the_local_authority_reports_to_the_partners_within_five_working_days() -> None:
    # Aware Fri 20/12/2024: Mon 23, Tue 24, Fri 27, Mon 30, Tue 31.
    events = {"aware": D("2024-12-20"), "partners_informed": D("2024-12-23")}
    assert row("national", events, "report_to_partners").status == IF_IT_APPLIES
    r = row("national", events, "report_to_partners", flags={"notifying"})
    assert (r.due, r.status) == (D("2024-12-31"), MET)


def test_a_panel_disagreement_opens_a_reconvened_meeting_and_a_reply() -> None:
    # The Panel replied Fri 19/12/2025. 10 working days: Mon 22, Tue 23, Wed 24, (Christmas, Boxing Day) Mon 29,
    # Tue 30, Wed 31, (New Year's Day) Fri 2, Mon 5, Tue 6, Wed 7 January 2026.
    events = {"rr_decision": D("2025-12-05"), "panel_response": D("2025-12-19"), "rr_reconvened": D("2026-01-06"),
              "panel_reply": D("2026-01-12")}
    assert row("national", events, "rr_reconvene").status == IF_IT_APPLIES  # the Panel agrees: nothing to do
    reconvene = row("national", events, "rr_reconvene", flags={"panel_disagrees"})
    assert (reconvene.due, reconvene.status) == (D("2026-01-07"), MET)
    # 5 working days from Tue 06/01/2026: Wed 7, Thu 8, Fri 9, Mon 12, Tue 13.
    reply = row("national", events, "panel_reply", flags={"panel_disagrees"})
    assert (reply.due, reply.status) == (D("2026-01-13"), MET)


def test_a_care_leavers_death_is_for_information_only_so_no_other_clock_runs() -> None:
    # Aware Fri 02/05/2025; as of Mon 02/06/2025 the notification to the Panel would be long overdue, but a care
    # leaver's death leads to no review of any type (002: Notification of a Death of a Care Leaver).
    events = {"aware": D("2025-05-02"), "referral": D("2025-05-02")}
    rows = {r.id: r for r in timetable(load_profile("kent"), events, D("2025-06-02"), flags={"care_leaver_death"})}
    assert {k: rows[k].status for k in ("la_notification", "executive_discussion", "safeguarding_unit_alert")} == \
        dict.fromkeys(("la_notification", "executive_discussion", "safeguarding_unit_alert"), IF_IT_APPLIES)
    assert rows["care_leaver_death_notification"].status == OVERDUE
    # Also notified to the Panel (abuse or neglect suspected): the clocks run.
    both = {r.id: r for r in timetable(load_profile("kent"), events, D("2025-06-02"),
                                       flags={"care_leaver_death", "notifying"})}
    assert both["la_notification"].status == OVERDUE
