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
