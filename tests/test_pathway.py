"""The whole statutory pathway (issue 15): where a case is, the papers it needs, and the LCSPR to publication.

A case is followed step by step as an officer records it, from the referral to closure; every real
order the guidance allows is accepted (an LCSPR decided at the Rapid Review meeting, a notification
before the Executive's decision) and an impossible one is explained with its cells.
"""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from caseforms import jobs
from caseforms.cli import main
from caseforms.profile import load_profile
from caseforms.register.pathway import case_state
from caseforms.register.records import Case, Register
from caseforms.register.schema import CASES, IMRS, LCSPR, RECOMMENDATIONS, register_schema
from papers_fixtures import AGENCY, CHILD, FULL, FULL_CASE, all_text, write_partnership_folder

TODAY = "02/06/2025"
SCHEMA = register_schema(load_profile("kent"))


def _case(**values: Any) -> Case:
    return Case(CASES, 2, {"case_ref": "P-1", **values})


def _at(case: Case) -> tuple[str, tuple[str, ...]]:
    register = Register("kent", SCHEMA, cases=[case])
    return case_state(case, SCHEMA).status, jobs.stage_papers(case, register)[1]


# The case as the officer records it, step by step: (what is added, its status, the packs it needs then).
STEPS: list[tuple[dict[str, Any], str, tuple[str, ...]]] = [
    ({"referral_date": date(2026, 11, 19), "referring_agency": "Police"}, "Decision pending",
     ("referral", "referral-receipt", "decision")),
    ({"more_info_date": date(2026, 11, 20)}, "More information requested", ("referral", "referral-receipt", "decision")),
    ({"decision": "Notify the National Panel", "decision_date": date(2026, 11, 23)}, "Rapid Review in progress",
     ("notification", "referral-outcome", "partners-report")),
    ({"notified_date": date(2026, 11, 26)}, "Rapid Review in progress", ("rapid-review-meeting", "partners-report")),
    # The meeting on Fri 11/12 decides an LCSPR: the report and its submission are still to go to the Panel.
    ({"rr_meeting_date": date(2026, 12, 11), "rr_outcome": "LCSPR", "lcspr_decision_date": date(2026, 12, 11)},
     "Rapid Review in progress", ("rapid-review-record", "rapid-review-report", "submission", "lcspr-tor")),
    ({"rr_decision_date": date(2026, 12, 17)}, "LCSPR in progress", ("lcspr-tor", "lcspr-panel", "lcspr-report")),
    ({"panel_response_date": date(2027, 1, 11), "panel_view": "Disagrees"}, "Panel disagrees: reconvening",
     ("lcspr-tor", "lcspr-panel", "lcspr-report", "panel-reply")),
    ({"rr_reconvened_date": date(2027, 1, 18), "panel_reply_date": date(2027, 1, 20)}, "LCSPR in progress",
     ("lcspr-tor", "lcspr-panel", "lcspr-report", "panel-reply")),
    ({"signoff_date": date(2027, 5, 12)}, "LCSPR signed off", ("lcspr-report", "publication")),
    ({"publication_date": date(2027, 6, 11)}, "LCSPR published", ()),
    ({"closed_date": date(2027, 12, 1), "action_plan_complete": "Yes"}, "Closed", ()),
]


def test_a_case_from_referral_to_closure_with_the_lcspr_decided_at_the_meeting() -> None:
    values: dict[str, Any] = {}
    for added, status, packs in STEPS:
        values.update(added)
        case = _case(**values)
        assert _at(case) == (status, packs), added


@pytest.mark.parametrize(("decision", "status", "packs"), [
    ("Do not notify: close", "Not notified: closed", ("decision", "referral-outcome")),
    ("Do not notify: learning review", "Not notified: learning review", ("decision", "referral-outcome")),
    ("Do not notify: single-agency review", "Not notified: single-agency review", ("decision", "referral-outcome")),
    ("Do not notify: no further action", "Not notified: no further action", ("decision", "referral-outcome")),
    ("Media interest only: log and monitor", "Media interest: log and monitor", ("decision", "referral-outcome")),
])
def test_every_decision_not_to_notify_has_its_own_state(decision: str, status: str, packs: tuple[str, ...]) -> None:
    case = _case(referral_date=date(2025, 3, 3), decision=decision, decision_date=date(2025, 3, 5))
    assert _at(case) == (status, packs)


def test_the_other_duties_add_their_papers() -> None:
    placed = _case(referral_date=date(2025, 3, 3), decision="Notify the National Panel", decision_date=date(2025, 3, 4),
                   placed_by_other_la="Yes", looked_after_death="Yes")
    assert _at(placed)[1] == ("notification", "referral-outcome", "sos-ofsted", "placing-authority", "partners-report")
    # A care leaver's death at 24: the Secretary of State and Ofsted, for information only; no review.
    care_leaver = _case(aware_date=date(2025, 5, 2), care_leaver_death="Yes")
    assert _at(care_leaver) == ("Referral received", ("sos-ofsted",))
    care_leaver.values["sos_ofsted_date"] = date(2025, 5, 7)
    assert case_state(care_leaver, SCHEMA).status == "Notified to the Secretary of State and Ofsted (information only)"


def test_a_national_review_and_no_further_review() -> None:
    base = {"referral_date": date(2025, 3, 3), "decision": "Notify the National Panel", "decision_date": date(2025, 3, 4),
            "notified_date": date(2025, 3, 6), "rr_meeting_date": date(2025, 3, 20), "rr_decision_date": date(2025, 3, 26)}
    national = case_state(_case(**base, rr_outcome="Recommend a national review"), SCHEMA)
    assert national.statuses == ("National review recommended", "Rapid Review submitted", "Actions open")
    nfa = case_state(_case(**base, rr_outcome="No further review (action plan only)", action_plan_complete="Yes"), SCHEMA)
    assert (nfa.status, nfa.next_step) == ("Actions open", "Close the case: the Rapid Review action plan is complete.")


# -- the register and the command line ------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The papers' partnership folder, its LCSPR case signed off with its recommendations, IMRs asked of two agencies."""
    from caseforms.io.tracker_xlsx import write_new_tracker

    case = {**FULL_CASE, "signoff_date": date(2025, 5, 20), "publication_planned_date": date(2025, 9, 1),
            "referral_authorised_by": "Dr Ruth Adeyemi, Designated doctor"}
    other = {
        LCSPR: [{"case_ref": FULL, "conflicts_declared": "None", "confidentiality_date": date(2025, 3, 18),
                 "media_lead": "Tom Ferris, Communications"}],
        IMRS: [{"case_ref": FULL, "agency": "Thornbury Police", "author": "DS Kerry Osei",
                "due": datetime(2025, 6, 20, 17, 0), "briefing_date": datetime(2025, 6, 5, 14, 0)},
               {"case_ref": FULL, "agency": AGENCY, "due": datetime(2025, 6, 20, 17, 0)}],
        RECOMMENDATIONS: [
            {"case_ref": FULL, "number": "1", "recommendation": "Agencies share what they know of new adults.",
             "owner_agency": "All partners", "action": "A shared 'new adults' prompt in every agency's records",
             "lead": "Helen Ashworth", "measure": "Audit of 20 records", "due_date": date(2025, 12, 31),
             "agreed_date": date(2025, 5, 14)},
            {"case_ref": FULL, "number": "2", "recommendation": "Neglect plans measure change for the child.",
             "owner_agency": "Thornbury Council Children's Services", "lead": "Gareth Llewellyn",
             "measure": "Plans sampled", "due_date": date(2026, 3, 31), "agreed_date": date(2025, 5, 14)},
        ],
    }
    root = tmp_path_factory.mktemp("pathway")
    register = write_partnership_folder(root, cases=[case], other=other)
    write_new_tracker(root / "tracker.xlsx", "kent")
    return register.parent


def test_lcspr_status_lists_every_step_and_where_it_stands(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lcspr", "status", str(folder / "register.xlsx"), "--case", FULL, "--today", TODAY, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    steps = {s["step"]: s for s in report["steps"]}
    assert report["status"] == "LCSPR signed off"
    assert steps["Executive sign-off"] == {"step": "Executive sign-off", "state": "done", "recorded": "20/05/2025"}
    assert steps["Agency IMRs"]["recorded"] == "0 of 2 received"
    assert steps["Reviewer's name sent to the National Panel"]["state"] == "to do"
    assert steps["Recommendations in the actions tracker"]["recorded"] == "0 of 2 in the tracker, source LCSPR"


def test_imr_requests_reuse_the_request_pack_and_are_logged(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.io.register_xlsx import read_register

    assert main(["lcspr", "imr", str(folder / "register.xlsx"), "--case", FULL, "--today", "02/06/2025"]) == 1
    out = capsys.readouterr().out
    imrs = folder / "cases" / FULL / "imrs"
    police = sorted(p.name for p in imrs.glob(f"{FULL} IMR request - Thornbury Police*"))
    assert police == [f"{FULL} IMR request - Thornbury Police - chronology.xlsx",
                      f"{FULL} IMR request - Thornbury Police - letter.docx",
                      f"{FULL} IMR request - Thornbury Police - report template.docx",
                      f"{FULL} IMR request - Thornbury Police.eml"]
    letter = all_text(imrs / police[1])
    assert "14:00 on 5 June 2025" in letter and "17:00 on Friday 20 June 2025" in letter
    assert "How did agencies learn about new adults in the household?" in letter and "Child Z" in letter
    assert "DS Kerry Osei" in all_text(imrs / police[2])
    draft = email.message_from_bytes((imrs / police[3]).read_bytes(), policy=email.policy.default)
    assert FULL in str(draft["Subject"]) and CHILD not in str(draft["Subject"])
    assert [p.get_filename() for p in draft.iter_attachments()] == [police[1], police[2], police[0]]
    # Missing things are said with their place: an agency with no e-mail address.
    assert "no e-mail address" in out
    rows = read_register(folder / "register.xlsx").other[IMRS]
    assert {(r["agency"], r["requested_on"]) for r in rows} == {("Thornbury Police", date(2025, 6, 2)),
                                                               (AGENCY, date(2025, 6, 2))}


def test_signed_off_recommendations_go_into_the_tracker_once_with_their_source(folder: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.io.tracker_xlsx import actions_of, read_tracker

    register = str(folder / "register.xlsx")
    assert main(["lcspr", "recommendations", register, "--case", FULL, "--today", TODAY]) == 0
    assert "Added 2 LCSPR recommendation(s)" in capsys.readouterr().out
    tracker, _ = read_tracker(folder / "tracker.xlsx")
    rows = [r.values for r in actions_of(tracker)]
    assert [(r["action_id"], r["source"], r["owner_agency"]) for r in rows] == [
        (f"{FULL}-LC01", "LCSPR", "All partners"), (f"{FULL}-LC02", "LCSPR", "Thornbury Council Children's Services")]
    assert rows[0]["recommendation"] == "LCSPR recommendation 1: Agencies share what they know of new adults."
    assert main(["lcspr", "recommendations", register, "--case", FULL, "--today", TODAY]) == 0
    assert "Added 0 LCSPR recommendation(s)" in capsys.readouterr().out
    assert len(actions_of(read_tracker(folder / "tracker.xlsx")[0])) == 2


def test_recommendations_are_not_tracked_before_sign_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.io.tracker_xlsx import write_new_tracker

    root = write_partnership_folder(tmp_path / "p", master=False, cases=[FULL_CASE]).parent
    write_new_tracker(root / "tracker.xlsx", "kent")
    before = (root / "tracker.xlsx").read_bytes()
    assert main(["lcspr", "recommendations", str(root / "register.xlsx"), "--case", FULL, "--today", TODAY]) == 2
    assert "not signed off yet" in capsys.readouterr().err
    assert (root / "tracker.xlsx").read_bytes() == before


def test_impossible_dates_stop_the_papers_with_the_cells_and_keep_the_clocks(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.io.register_xlsx import profile_for, read_register
    from caseforms.register.reading import column_letter

    # The LCSPR dated the day before the meeting that decided it: that cannot happen.
    case = {**FULL_CASE, "lcspr_decision_date": date(2025, 2, 18)}
    register = write_partnership_folder(tmp_path / "p", master=False, cases=[case])
    assert main(["papers", str(register), "--case", FULL, "--pack", "lcspr-tor", "--today", TODAY]) == 2
    err = capsys.readouterr().err
    keys = [c.key for c in SCHEMA.cases.columns]
    cell = f"{column_letter(keys.index('lcspr_decision_date'))}2"
    assert "'LCSPR decision date' (18/02/2025) is before 'Rapid Review meeting date' (19/02/2025)" in err
    assert cell in err and "No papers were made" in err and "lcspr_decision=" not in err
    assert not any((tmp_path / "p" / "cases" / FULL / "papers").glob("*.docx"))
    read = read_register(register)
    live, problems = jobs.live_deadlines(read, profile_for(read), date(2025, 6, 2))
    assert problems and cell in problems[0]
    assert "lcspr_publication" in {r.due.id for r in live if r.case.ref == FULL}, "the six-month clock stays"


def test_the_final_report_keeps_the_reviewers_sections_and_names_no_one(folder: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    from caseforms.io.paper_versions import section_controls

    assert main(["papers", str(folder / "register.xlsx"), "--case", FULL, "--pack", "lcspr-report", "--today",
                 TODAY, "--json"]) == 0
    path = Path(json.loads(capsys.readouterr().out)["papers"][0]["path"])
    text = all_text(path)
    assert "Child Z" in text and "Zoë" not in text and "Siobhán" not in text
    assert "How did agencies learn about new adults in the household?" in text
    assert next(iter(section_controls(Document(str(path)).element.body))) == "lcspr_final_report:executive_summary"


def test_the_imr_templates_are_what_the_builder_writes_and_use_only_their_fields(tmp_path: Path) -> None:
    from caseforms.io.docx_render import field_uses, full_check, template_path
    from caseforms.io.imr_pack import build_imr_templates
    from caseforms.papers.fields import IMR_LETTER, IMR_REPORT

    for built, paper in zip(build_imr_templates(tmp_path), (IMR_LETTER, IMR_REPORT), strict=True):
        shipped = template_path(paper)
        assert full_check(shipped, paper) == []
        assert [(u.path, u.line) for u in field_uses(built)] == [(u.path, u.line) for u in field_uses(shipped)], (
            "rebuild the templates: python -m caseforms.io.imr_pack")


# -- the papers as an officer reads them ----------------------------------------------------------------


@pytest.mark.parametrize(("profile_name", "cites", "never"), [
    ("kent", "Practice Improvement Framework (December 2024), 2.1 Duty to notify", "Lincolnshire"),
    ("lincolnshire", "Lincolnshire Safeguarding Children Partnership, Serious Incident Review Guidance", "Kent"),
    ("kirklees", "Working Together to Safeguard Children 2023, chapter 5", "Kent"),
])
def test_a_duty_paper_cites_the_national_duty_and_the_partnerships_own_guidance_only(
        profile_name: str, cites: str, never: str) -> None:
    from caseforms.papers import context, sample

    profile = load_profile(profile_name)
    for paper in ("duty_notification", "partners_report"):
        source = context.build(paper, sample.full_case(), profile, date(2025, 6, 2)).context["duty"]["source"]
        assert source.startswith("Children Act 2004 s.16C; Working Together to Safeguard Children 2023, chapter 5")
        assert never not in source, (paper, source)
    notification = context.build("duty_notification", sample.full_case(), profile, date(2025, 6, 2))
    assert cites in notification.context["duty"]["source"]


def test_a_care_leavers_notification_calls_them_the_young_person() -> None:
    from caseforms.papers import context, sample

    case = sample.full_case()
    case.flags = ["care_leaver_death"]
    duty = context.build("duty_notification", case, load_profile("kent"), date(2025, 6, 2)).context["duty"]
    assert (duty["person"], duty["each_person"]) == ("The young person", "Young person")
    assert context.build("duty_notification", sample.full_case(), load_profile("kent"),
                         date(2025, 6, 2)).context["duty"]["person"] == "The child"


def test_the_lcspr_papers_say_the_reviewer_in_words_and_the_partners_sign_one_table(folder: Path,
                                                                                   capsys: pytest.CaptureFixture[str]
                                                                                   ) -> None:
    from docx import Document

    for pack in ("lcspr-tor", "publication"):
        assert main(["papers", str(folder / "register.xlsx"), "--case", FULL, "--pack", pack, "--today", TODAY,
                     "--json"]) == 0
        paths = [Path(p["path"]) for p in json.loads(capsys.readouterr().out)["papers"]]
        text = "\n".join(all_text(p) for p in paths)
        assert "independent reviewer" in text and "(independent:" not in text, pack
    signoff = next(p for p in paths if "sign-off" in p.name)
    signing = [t for t in Document(str(signoff)).tables if t.rows[0].cells[0].text == "Partner"]
    assert [[r.cells[0].text for r in t.rows[1:]] for t in signing] == [["Local authority", "Police", "Health (ICB)"]]


@pytest.mark.parametrize("template", ["imr_request.docx", "lcspr_report_letter.docx", "panel_reply_letter.docx",
                                      "placing_authority_letter.docx", "referral_outcome_letter.docx",
                                      "referral_receipt_letter.docx"])
def test_a_letters_close_is_never_parted_from_its_signature(template: str) -> None:
    """The IMR letter ended a page with 'Yours sincerely,' and its signature over the page."""
    from docx import Document

    from caseforms.resources import templates_dir

    paragraphs = Document(str(templates_dir() / template)).paragraphs
    close = next(i for i, p in enumerate(paragraphs) if p.text == "Yours sincerely,")
    assert paragraphs[close].paragraph_format.keep_with_next and paragraphs[close + 1].paragraph_format.keep_with_next


def test_the_authors_briefed_together_are_one_row_of_the_reviews_timetable() -> None:
    from caseforms.papers import context, sample

    timetable = context.build("lcspr_terms_of_reference", sample.full_case(), load_profile("kent"),
                              date(2025, 6, 2)).context["lcspr"]["timetable"]
    briefings = [t for t in timetable if t["what"].startswith("IMR author briefing")]
    assert [(t["date"], t["what"]) for t in briefings] == [
        ("26 March 2025 at 14:00", f"IMR author briefing (Thornbury Police, {sample.AWKWARD_AGENCY})")]


@pytest.mark.parametrize(("profile_name", "signer"), [
    ("kent", "KSCMP Executive"), ("lincolnshire", "LSCP Assurance Executive"), ("kirklees", "KSCP Executive"),
    ("national", "Safeguarding partners"),
])
def test_the_lcspr_is_signed_off_by_whom_the_partnerships_guidance_says(profile_name: str, signer: str) -> None:
    """Lincolnshire's publication sign-off was addressed to its SIRG, the body that decides on referrals."""
    from caseforms.papers import context, sample
    from caseforms.resources import templates_dir

    filled = context.build("publication_signoff", sample.full_case(), load_profile(profile_name), date(2025, 6, 2))
    assert filled.context["bodies"]["lcspr_signoff"] == signer
    case = sample.full_case()
    case.events.pop("lcspr_signoff", None)
    unsigned = context.build("publication_signoff", case, load_profile(profile_name), date(2025, 6, 2))
    assert unsigned.context["recommendations_locked"].endswith(f"signed off by the {signer}.")
    for template in ("publication_signoff.docx", "lcspr_terms_of_reference.docx"):
        assert "{{ bodies.lcspr_signoff }}" in all_text(templates_dir() / template), template


def test_the_letter_to_the_placing_authority_always_names_it() -> None:
    """It said 'Placed by: Not applicable' when the register's 'placed by another LA' was not ticked."""
    from caseforms.papers import context, sample

    case = sample.full_case()
    case.flags = ["notifying"]
    duty = context.build("placing_authority_letter", case, load_profile("kent"), date(2025, 6, 2)).context["duty"]
    assert duty["placing_authority"] not in ("Not applicable", "")
