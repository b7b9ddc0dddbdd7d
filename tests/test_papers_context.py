"""Contexts: English dates, visible markers for what is missing, ticked boxes, deadlines from the profile."""

from __future__ import annotations

from datetime import date, datetime

from caseforms.papers import context, sample
from caseforms.papers.context import days_in_words, long_date, nhs_number, short_date
from caseforms.papers.model import CaseFile, Person
from caseforms.profile import load_profile

TODAY = date(2025, 2, 10)


def test_dates_are_written_the_english_way() -> None:
    assert long_date(date(2025, 2, 3)) == "3 February 2025"
    assert long_date(datetime(2025, 2, 14, 9, 0)) == "14 February 2025 at 09:00"
    assert short_date(date(2025, 2, 3)) == "03/02/2025"
    assert days_in_words([date(2025, 2, 20), date(2025, 2, 19)]) == "19 and 20 February 2025"
    assert days_in_words([date(2025, 2, 28), date(2025, 3, 3)]) == "28 February 2025 and 3 March 2025"
    assert nhs_number("9990000018") == "999 000 0018"


def test_missing_values_become_markers_and_are_listed() -> None:
    filled = context.referral(sample.sparse_case(), load_profile("national"), TODAY)
    child = filled.context["child"]
    assert child["name"] == "Child A"
    assert child["date_of_birth"] == "[not recorded: date of birth, Child A]"
    assert "date of birth, Child A" in filled.missing
    assert filled.context["incident"]["date"] == "[not recorded: date of the incident]"
    # Optional values are said, not left blank, and not listed as missing.
    assert child["nhs_number"] == "Not known"
    assert not any("NHS" in m for m in filled.missing)


def test_a_case_with_no_children_still_gets_a_visible_child() -> None:
    filled = context.decision(CaseFile(ref="X-1"), load_profile("national"), TODAY)
    assert filled.context["child"]["name"] == "[not recorded: name, child 1]"
    assert filled.context["case"]["children_names"] == "[not recorded: child's name]"


def test_characteristics_are_ticked_boxes_from_the_profile_list() -> None:
    filled = context.decision(sample.full_case(), load_profile("lincolnshire"), TODAY)
    boxes = {c["label"]: c["box"] for c in filled.context["incident"]["characteristics"]}
    assert boxes["Injury"] == "☒"
    assert boxes["Suicide"] == "☐"
    assert len(boxes) == len(load_profile("lincolnshire").lists["incident_characteristics"])


def test_deadlines_come_from_the_profile_timescales() -> None:
    case = sample.full_case()  # aware Wed 29/01/2025, notified Mon 03/02/2025
    notification = context.notification(case, load_profile("national"), TODAY).context["notification"]
    assert notification["due"] == "5 February 2025"
    tor = context.rr_terms_of_reference(case, load_profile("national"), TODAY).context["rapid_review"]
    assert tor["submission_due"] == "24 February 2025"


def test_notification_takes_four_children_and_names_the_rest() -> None:
    case = CaseFile(ref="X-2", children=[Person(name=f"Child {n}") for n in "ABCDE"])
    n = context.notification(case, load_profile("national"), TODAY).context["notification"]
    assert [c["name"] for c in n["children"]] == ["Child A", "Child B", "Child C", "Child D"]
    assert "Child E" in n["children_over_four"]


def test_no_further_review_needs_its_reason() -> None:
    case = sample.full_case()
    case.rapid_review.outcome = "No further review (action plan only)"
    case.rapid_review.no_review_reason = None
    filled = context.rr_report(case, load_profile("national"), TODAY)
    assert filled.context["rapid_review"]["no_review_reason"] == "[not recorded: why no further review]"
    ticked = [o["label"] for o in filled.context["rapid_review"]["outcome_options"] if o["ticked"]]
    assert ticked == ["No further review (action plan only)"]


def test_known_to_childrens_social_care_is_worked_out_from_legal_status_plan_and_looked_after() -> None:
    from caseforms.papers.context import known_to_social_care

    assert known_to_social_care(Person(legal_status="Child in need")) == "Yes: a child in need"
    assert known_to_social_care(Person(legal_status="Looked after (s20)")) == "Yes: looked after"
    assert known_to_social_care(Person(legal_status="None", cp_category="Neglect")) == "Yes: on a child protection plan"
    assert known_to_social_care(Person(looked_after=True)) == "Yes: looked after"
    assert known_to_social_care(Person(legal_status="None")).startswith("No open involvement")
    assert known_to_social_care(Person()) == "Not known (legal status not recorded)"
    case = sample.full_case()
    case.children[1].known_to_social_care = None  # the sibling: a child in need
    child = context.notification(case, load_profile("kent"), TODAY).context["notification"]["children"][1]
    assert child["known_to_social_care"] == "Yes: a child in need" and child["legal_status"] == "Child in need"


def test_the_notifying_local_authority_is_the_profiles_council() -> None:
    case = sample.full_case()
    case.notification.local_authority = None
    kent = context.notification(case, load_profile("kent"), TODAY).context["notification"]
    assert kent["local_authority"] == "Kent County Council"
    cumbria = context.notification(case, load_profile("cumbria"), TODAY)
    assert cumbria.context["notification"]["local_authority"] == "[not recorded: notifying local authority]"


def test_a_meeting_reads_in_the_tense_of_the_day_the_paper_is_made() -> None:
    from caseforms.papers.context import meeting_said

    days = [date(2025, 2, 19), date(2025, 2, 20)]
    assert meeting_said(days, date(2025, 2, 18)) == "is to meet on 19 and 20 February 2025"
    assert meeting_said(days, date(2025, 2, 19)) == "met on 19 February 2025 and is to meet again on 20 February 2025"
    assert meeting_said(days, date(2025, 2, 21)) == "met on 19 and 20 February 2025"
    report = context.rr_report(sample.full_case(), load_profile("kent"), date(2025, 2, 18)).context["rapid_review"]
    assert report["decision_date"] == "20 February 2025", "a decision recorded is dated the day it was made"
    case = sample.full_case()
    case.rapid_review.decision_meeting = None
    report = context.rr_report(case, load_profile("kent"), date(2025, 2, 18)).context["rapid_review"]
    assert report["decision_date"] == "Not yet: the Rapid Review Group is to meet on 19 and 20 February 2025"


def test_the_decision_reads_as_it_was_made() -> None:
    kent = load_profile("kent")
    unanimous = context.submission_letter(sample.full_case(), kent, TODAY).context["rapid_review"]
    assert unanimous["decided_how"] == "Unanimously" and unanimous["dissented_by"] == "None"
    assert unanimous["decision_said"] == "The three statutory safeguarding partners agreed this decision unanimously."
    assert unanimous["executive_sight"] == ""
    majority = context.submission_letter(sample.majority_case(), kent, TODAY).context["rapid_review"]
    assert majority["decided_how"].startswith("By majority")
    assert majority["dissented_by"] == "DCI Priya Mehta, Police"
    assert "DCI Priya Mehta, Police" in majority["decision_said"] and "in hand & tracked" in majority["decision_said"]
    assert majority["executive_sight"] == (
        "Because it was not unanimous, the decision was shared with the KSCMP Executive before the National Panel, "
        "on 20 February 2025.")
    national = sample.full_case()
    national.rapid_review.outcome = "Recommend a national review"
    said = context.rr_report(national, kent, TODAY)
    assert said.context["rapid_review"]["executive_sight"].startswith("Because it recommends a national review")
    lincolnshire = context.rr_report(sample.full_case(), load_profile("lincolnshire"), TODAY).context["rapid_review"]
    assert lincolnshire["executive_sight"].startswith("The Assurance Executive signs the report off")
    assert context.rr_report(sample.full_case(), load_profile("national"), TODAY).context["rapid_review"][
        "executive_sight"] == ""
    who = sample.majority_case()
    assert who.rapid_review.decision_meeting is not None
    who.rapid_review.decision_meeting.dissent_by = []
    named = context.rr_report(who, kent, TODAY).context["rapid_review"]
    assert named["dissented_by"] == "DCI Priya Mehta, Police", "who dissented is read from the dissent when not listed"


def test_the_report_answers_all_four_criteria_and_lists_the_circumstances() -> None:
    rr = context.rr_report(sample.full_case(), load_profile("kent"), TODAY).context["rapid_review"]
    assert [c["number"] for c in rr["criteria"]] == ["1", "2", "3", "4"]
    assert rr["criteria"][3]["criterion"].startswith("Is one which the Child Safeguarding Practice Review Panel")
    assert len(rr["regard_to"]) == 4 and "institutional settings" in rr["regard_to"][3]
