"""Each rule of `caseforms validate`, on a real register written to disk and read back.

Every rule has a register that breaks it; the test also runs the checks without that rule and
asserts the finding disappears, so a rule cannot be deleted without a test failing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from caseforms.io.register_xlsx import profile_for, read_register
from caseforms.profile import load_profile
from caseforms.register.reading import column_letter
from caseforms.register.schema import FAMILY, IMRS, LCSPR, NARRATIVE, RECOMMENDATIONS, register_schema
from caseforms.register.validation import RULES, validate
from register_fixtures import NHS_BAD, good_agency, good_case, good_child, good_meeting, write_register

TODAY = date(2025, 6, 2)
REF = "SCP-2025-001"


def _findings(tmp_path: Path, profile: str = "national", rules: Any = RULES, **records: Any) -> list[Any]:
    records.setdefault("cases", [good_case()])
    records.setdefault("people", [good_child()])
    records.setdefault("meetings", [good_meeting()])
    records.setdefault("agencies", [good_agency()])
    path = write_register(tmp_path / "register.xlsx", profile, **records)
    register = read_register(path)
    return validate(register, profile_for(register), TODAY, rules)


def _cases_cell(key: str, profile: str = "kent", row: int = 2) -> str:
    columns = register_schema(load_profile(profile)).cases.columns
    return f"Cases!{column_letter([c.key for c in columns].index(key))}{row}"


def _cell(sheet: str, key: str, profile: str = "national", row: int = 2) -> str:
    columns = register_schema(load_profile(profile)).sheet(sheet).columns
    return f"{sheet}!{column_letter([c.key for c in columns].index(key))}{row}"


def _lcspr_case(**changes: Any) -> dict[str, Any]:
    """Return the good case decided an LCSPR at its Rapid Review meeting (Thu 20/03/2025)."""
    return good_case(**{"rr_outcome": "LCSPR", "lcspr_decision_date": date(2025, 3, 20), "methodology": "Traditional",
                        "status": "LCSPR in progress", **changes})


# (rule code, profile, records that break it, the cell the finding must point at)
BROKEN: list[tuple[str, str, dict[str, Any], str]] = [
    ("DUPLICATE_CASE_REF", "national", {"cases": [good_case(), good_case()]}, "Cases!A3"),
    ("SHARED_CASE_FOLDER", "national", {"cases": [good_case("SCP-2025-001"), good_case("SCP/2025/001")]}, "Cases!A3"),
    ("REQUIRED", "national", {"cases": [good_case(decision_rationale=None)]}, "Cases!R2"),
    ("REQUIRED", "national", {"cases": [good_case(status="Closed")]}, "Cases!AF2"),
    ("DATE_ORDER", "national", {"cases": [good_case(aware_date=date(2025, 2, 27))]}, "Cases!I2"),
    ("DATE_ORDER", "national", {"people": [good_child(date_of_death=date(2019, 1, 1))]}, "People!F2"),
    ("LATE_NOTIFICATION", "national", {"cases": [good_case(notified_date=date(2025, 3, 11))]}, "Cases!U2"),
    ("DOB_AFTER_INCIDENT", "national", {"people": [good_child(date_of_birth=date(2025, 3, 2))]}, "People!E2"),
    ("CHILD_AGE", "national", {"people": [good_child(date_of_birth=date(2007, 2, 28))]}, "People!E2"),
    ("CHILD_AGE", "kent", {"people": [good_child(date_of_birth=date(2006, 8, 1))]}, "People!E2"),
    ("CARE_LEAVER_AGE", "national",
     {"people": [good_child(), good_child(role="Sibling", name="Cal Test", care_leaver="Yes", date_of_birth=date(2000, 1, 10),
                                           date_of_death=date(2025, 1, 10), nhs_number=None)]}, "People!F3"),
    ("NHS_NUMBER", "national", {"people": [good_child(nhs_number=NHS_BAD)]}, "People!G2"),
    ("OUTCOME_WITHOUT_DATE", "national", {"cases": [good_case(rr_decision_date=None)]}, "Cases!W2"),
    ("OUTCOME_WITHOUT_DATE", "national",
     {"cases": [good_case(decision_date=None, notified_date=None, rr_meeting_date=None, rr_decision_date=None, rr_outcome=None,
                          decision="Do not notify: learning review")]}, "Cases!P2"),
    ("LCSPR_METHODOLOGY", "national",
     {"cases": [good_case(rr_outcome="LCSPR", lcspr_decision_date=date(2025, 4, 1))]}, "Cases!AA2"),
    ("LCSPR_METHODOLOGY", "national",
     {"cases": [good_case(rr_outcome="LCSPR", lcspr_decision_date=date(2025, 4, 1), methodology="Whatever we like")]},
     "Cases!AA2"),
    ("NOT_QUORATE_DECISION", "national", {"meetings": [good_meeting(present_police="No")]}, "Meetings!J2"),
    ("DISSENT_MISSING", "national", {"meetings": [good_meeting(unanimous="No")]}, "Meetings!L2"),
    ("EMAIL", "national", {"agencies": [good_agency(email="sam.example@police")]}, "Agencies!D2"),
    ("EMAIL", "national", {"agencies": [good_agency(email="sam example@police.example.gov.uk")]}, "Agencies!D2"),
    ("UNKNOWN_CASE", "national", {"people": [good_child(), good_child("SCP-2025-999", name="Dee Test")]}, "People!A3"),
    ("UNKNOWN_CASE", "national",
     {"other": {NARRATIVE: [{"case_ref": "SCP-2025-999", "section": "Case summary", "text": "A summary."}]}},
     "Narrative!A2"),
    # Kent: a majority decision is shared with the Executive before the Panel (000_44eed6501ae43eb6.txt: 3.3).
    ("EXECUTIVE_FIRST", "kent",
     {"meetings": [good_meeting(unanimous="No", dissent="Police preferred an LCSPR.")]}, _cases_cell("rr_executive_date")),
    ("EXECUTIVE_FIRST", "kent",
     {"cases": [good_case(rr_outcome="Recommend a national review", rr_executive_date=date(2025, 3, 27))]},
     _cases_cell("rr_executive_date")),
    ("TOO_MANY_CHILDREN", "national",
     {"people": [good_child(name=f"Child {i}", nhs_number=None) for i in range(5)]}, "People!B6"),
    ("FUTURE_DATE", "national", {"people": [good_child(date_of_death=date(2026, 1, 1))]}, "People!F2"),
    ("NO_CHILD", "national", {"people": []}, "Cases!A2"),
    # Issue 15: the pathway.
    ("STATUS", "national", {"cases": [good_case(status="Decision pending")]}, "Cases!B2"),
    ("CLOSED_TOO_SOON", "national", {"cases": [good_case(status="Closed", closed_date=date(2025, 5, 1))]},
     _cases_cell("action_plan_complete", "national")),
    ("REFERRAL_LOOP", "national", {"cases": [good_case(referral_authorised_by=None)]},
     _cases_cell("referral_authorised_by", "national")),
    ("DUTY_NOT_SWITCHED_ON", "national",
     {"people": [good_child(looked_after="Yes", date_of_death=date(2025, 3, 1))]},
     _cases_cell("looked_after_death", "national")),
    ("PANEL_DISAGREEMENT", "national",
     {"cases": [good_case(panel_response_date=date(2025, 4, 10), panel_view="Disagrees",
                          panel_reply_date=date(2025, 4, 20))]}, _cases_cell("rr_reconvened_date", "national")),
    ("LCSPR_REVIEWER", "national", {"cases": [_lcspr_case()]}, _cases_cell("lcspr_decision_date", "national")),
    ("RECOMMENDATIONS_LOCKED", "national",
     {"cases": [_lcspr_case(signoff_date=date(2025, 5, 1), status="LCSPR signed off")],
      "other": {LCSPR: [{"case_ref": REF}],
                RECOMMENDATIONS: [{"case_ref": REF, "number": "1", "recommendation": "Share what is known of new adults.",
                                   "agreed_date": date(2025, 4, 28), "changed_date": date(2025, 5, 12)}]}},
     _cell(RECOMMENDATIONS, "changed_date")),
    ("FAMILY_BEFORE_PUBLICATION", "national",
     {"cases": [_lcspr_case(signoff_date=date(2025, 5, 1), publication_planned_date=date(2025, 6, 10),
                            status="LCSPR signed off")],
      "other": {LCSPR: [{"case_ref": REF}], FAMILY: [{"case_ref": REF, "relationship": "Mother"}]}},
     _cell(FAMILY, "report_shared_date")),
    ("PUBLICATION", "national",
     {"cases": [_lcspr_case(publication_planned_date=date(2025, 10, 1))], "other": {LCSPR: [{"case_ref": REF}]}},
     _cell(LCSPR, "delay_reasons")),
    ("IMR_OVERDUE", "national",
     {"other": {IMRS: [{"case_ref": REF, "agency": "Police", "due": date(2025, 5, 1)}]}}, _cell(IMRS, "due")),
    ("RR_ATTENDEES", "kent",
     {"meetings": [good_meeting(other_attendees="Education: Ann Lee (School)\nHealth visiting: Bo Ng (HV)\n"
                                                "Other: Cy Hart\nOther: Di Moss")]}, "Meetings!H2"),
]


def test_a_correct_register_has_no_findings(tmp_path: Path) -> None:
    assert _findings(tmp_path) == []


@pytest.mark.parametrize(("code", "profile", "records", "cell"), BROKEN, ids=[f"{b[0]}-{b[3]}" for b in BROKEN])
def test_each_rule_finds_its_problem_and_only_that_rule_does(
    tmp_path: Path, code: str, profile: str, records: dict[str, Any], cell: str
) -> None:
    found = _findings(tmp_path, profile, **records)
    assert [f"{f.sheet}!{f.cell}" for f in found if f.code == code] == [cell], found
    finding = next(f for f in found if f.code == code)
    assert finding.message and finding.fix and finding.source
    without = _findings(tmp_path, profile, rules=[r for r in RULES if r.code != code], **records)
    assert code not in {f.code for f in without}


def test_every_rule_has_a_register_that_breaks_it() -> None:
    assert {r.code for r in RULES} == {b[0] for b in BROKEN}


def test_kent_allows_18_and_a_half_as_a_warning_but_national_does_not(tmp_path: Path) -> None:
    child = good_child(date_of_birth=date(2006, 12, 1))  # 18 years 3 months at the incident
    kent = [f for f in _findings(tmp_path, "kent", people=[child]) if f.code == "CHILD_AGE"]
    national = [f for f in _findings(tmp_path, "national", people=[child]) if f.code == "CHILD_AGE"]
    assert [f.severity for f in kent] == ["warning"]
    assert [f.severity for f in national] == ["error"]


def test_late_notification_with_a_reason_is_accepted(tmp_path: Path) -> None:
    late = good_case(notified_date=date(2025, 3, 11), late_notification_reason="Awaiting police confirmation of injuries")
    assert "LATE_NOTIFICATION" not in {f.code for f in _findings(tmp_path, cases=[late])}


def test_notification_on_the_fifth_working_day_over_a_bank_holiday_is_not_late(tmp_path: Path) -> None:
    # Aware Friday 20/12/2024: Christmas, Boxing Day and two weekends skipped, the 5th working day is 31/12/2024.
    case = good_case(incident_date=date(2024, 12, 19), aware_date=date(2024, 12, 20), referral_date=date(2024, 12, 20),
                     decision_date=date(2024, 12, 23), notified_date=date(2024, 12, 31), rr_meeting_date=date(2025, 1, 14),
                     rr_decision_date=date(2025, 1, 20))
    assert "LATE_NOTIFICATION" not in {f.code for f in _findings(tmp_path, cases=[case])}
    case["notified_date"] = date(2025, 1, 2)
    assert "LATE_NOTIFICATION" in {f.code for f in _findings(tmp_path, cases=[case])}


def test_a_time_typed_with_a_date_is_kept(tmp_path: Path) -> None:
    path = write_register(tmp_path / "r.xlsx", cases=[good_case(aware_date=datetime(2025, 3, 3, 14, 30))])
    assert read_register(path).cases[0]["aware_date"] == datetime(2025, 3, 3, 14, 30)


def test_checks_do_not_stop_at_the_first_problem(tmp_path: Path) -> None:
    found = _findings(tmp_path, cases=[good_case(), good_case()], people=[good_child(nhs_number=NHS_BAD)],
                      agencies=[good_agency(email="nobody")])
    assert {"DUPLICATE_CASE_REF", "NHS_NUMBER", "EMAIL"} <= {f.code for f in found}
    assert [f.severity for f in found] == sorted((f.severity for f in found), key=("error", "warning").index)


def test_an_address_with_a_comma_for_a_full_stop_is_quoted_whole_with_the_comma_named(tmp_path: Path) -> None:
    found = [f for f in _findings(tmp_path, agencies=[good_agency(email="tom.reyes@millbrook-council,example.org")])
             if f.code == "EMAIL"]
    assert len(found) == 1
    assert "'tom.reyes@millbrook-council,example.org' is not an e-mail address: it has a comma" in found[0].message
    assert "tom.reyes@millbrook-council.example.org" in found[0].fix


def test_a_missing_outcome_date_names_the_column_the_cell_is_in(tmp_path: Path) -> None:
    found = next(f for f in _findings(tmp_path, cases=[good_case(rr_decision_date=None)]) if f.code == "OUTCOME_WITHOUT_DATE")
    header = next(c.header for c in register_schema(load_profile("national")).cases.columns if c.key == "rr_decision_date")
    assert found.cell == "W2" and found.fix.startswith(f"Enter '{header}' in W2")
    assert "date of the decision" not in found.fix


def test_a_finding_cites_its_document_by_title_and_section(tmp_path: Path) -> None:
    found = next(f for f in _findings(tmp_path, people=[good_child(nhs_number=NHS_BAD)]) if f.code == "NHS_NUMBER")
    assert found.source.startswith("NHS Data Dictionary, NHS Number; Lincolnshire Safeguarding Children Partnership")
# -- issue 15 -------------------------------------------------------------------------------------


def test_an_lcspr_decided_at_the_meeting_before_the_report_is_sent_is_accepted(tmp_path: Path) -> None:
    # The meeting on Thu 20/03 decided the LCSPR; the report went to the Panel on Wed 26/03 (000 3.3).
    case = _lcspr_case()
    found = _findings(tmp_path, cases=[case], other={LCSPR: [{"case_ref": REF, "conflicts_declared": "None"}]})
    assert "DATE_ORDER" not in {f.code for f in found}
    before = _findings(tmp_path, cases=[_lcspr_case(lcspr_decision_date=date(2025, 3, 19))])
    order = [f for f in before if f.code == "DATE_ORDER"]
    assert [f.cell for f in order] == [_cases_cell("lcspr_decision_date", "national").split("!")[1]]
    assert "'LCSPR decision date' (19/03/2025) is before 'Rapid Review meeting date' (20/03/2025)" in order[0].message


def test_a_care_leaver_who_died_at_24_is_not_called_not_a_child(tmp_path: Path) -> None:
    care_leaver = good_case(status="Referral received", decision=None, decision_date=None, decision_rationale=None,
                            notified_date=None, rr_meeting_date=None, rr_decision_date=None, rr_outcome=None,
                            care_leaver_death="Yes", outcome_letter_date=None)
    person = good_child(date_of_birth=date(2000, 6, 1), date_of_death=date(2025, 3, 1), care_leaver="Yes",
                        legal_status="Care leaver")
    found = _findings(tmp_path, cases=[care_leaver], people=[person], meetings=[])
    assert not {"CHILD_AGE", "CARE_LEAVER_AGE", "STATUS"} & {f.code for f in found}, found
    older = good_child(date_of_birth=date(1999, 6, 1), date_of_death=date(2025, 3, 1), care_leaver="Yes")
    assert "CARE_LEAVER_AGE" in {f.code for f in _findings(tmp_path, cases=[care_leaver], people=[older], meetings=[])}


def test_kents_rapid_review_asks_for_a_domestic_abuse_specialist_and_health_visiting(tmp_path: Path) -> None:
    # A child of 4 at the incident and domestic abuse known: both are asked for; Lincolnshire has no such rule.
    case = good_case(domestic_abuse="Yes")
    kent = [f.message for f in _findings(tmp_path, "kent", cases=[case]) if f.code == "RR_ATTENDEES"]
    assert len(kent) == 2 and "domestic abuse specialist" in kent[0] and "under 5" in kent[1]
    invited = good_meeting(other_attendees="Domestic abuse specialist: Amira Said (DA Service); Health visiting: Bo Ng")
    assert "RR_ATTENDEES" not in {f.code for f in _findings(tmp_path, "kent", cases=[case], meetings=[invited])}
    assert "RR_ATTENDEES" not in {f.code for f in _findings(tmp_path, "lincolnshire", cases=[case])}


def test_the_status_may_be_either_of_two_steps_a_case_is_in(tmp_path: Path) -> None:
    # Decided at the meeting, report not yet sent: "Rapid Review in progress" and "LCSPR in progress" are both right.
    for status in ("Rapid Review in progress", "LCSPR in progress"):
        case = _lcspr_case(status=status, rr_decision_date=None)
        assert "STATUS" not in {f.code for f in _findings(tmp_path, cases=[case])}
    closed = [f for f in _findings(tmp_path, cases=[good_case(status="Closed")]) if f.code == "STATUS"]
    assert closed == []  # a Closed status puts the case at closed: CLOSED_TOO_SOON speaks instead
    behind = [f for f in _findings(tmp_path, cases=[good_case(status="Notified")]) if f.code == "STATUS"]
    assert "so the case is at 'Actions open'" in behind[0].message and "Pick 'Actions open'" in behind[0].fix


def test_a_case_closes_once_its_action_plan_is_complete(tmp_path: Path) -> None:
    done = good_case(status="Closed", closed_date=date(2025, 5, 1), action_plan_complete="Yes")
    assert "CLOSED_TOO_SOON" not in {f.code for f in _findings(tmp_path, cases=[done])}
    not_notified = good_case(status="Not notified: closed", decision="Do not notify: close", notified_date=None,
                             rr_meeting_date=None, rr_decision_date=None, rr_outcome=None, closed_date=date(2025, 5, 1))
    assert "CLOSED_TOO_SOON" not in {f.code for f in _findings(tmp_path, cases=[not_notified], meetings=[])}


def test_a_recommendation_changed_after_a_further_panel_meeting_is_accepted(tmp_path: Path) -> None:
    records = dict(BROKEN[[b[0] for b in BROKEN].index("RECOMMENDATIONS_LOCKED")][2])
    records["other"] = {**records["other"], LCSPR: [{"case_ref": REF, "panel_reconvened_date": date(2025, 5, 9)}]}
    assert "RECOMMENDATIONS_LOCKED" not in {f.code for f in _findings(tmp_path, **records)}
