"""The year in figures (`caseforms report`): counts checked by hand against the demo register, timescales, the CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from caseforms.cli import main
from caseforms.demo import build, data
from caseforms.errors import PeriodError
from caseforms.jobs import open_register
from caseforms.profile import load_profile
from caseforms.register.annual import calendar_year, count_year, financial_year, parse_period, totals

# A Monday in March 2026: last calendar year (2025) is complete, and the demo's year cases fall in it.
TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's register and tracker alone (the year needs no papers), as of TODAY."""
    root = tmp_path_factory.mktemp("year")
    profile = load_profile(data.PROFILE)
    refs = build.case_refs(TODAY, profile.calendar)
    build.write_register(root / "register.xlsx", profile, refs, TODAY)
    build.write_tracker(root / "tracker.xlsx", profile, refs, TODAY)
    return root


def test_periods_as_officers_type_them() -> None:
    assert parse_period("2026") == calendar_year(2026)
    assert (parse_period("2026").start, parse_period("2026").end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period("2026-27") == financial_year(2026) == parse_period("2026", financial=True)
    assert (financial_year(2026).start, financial_year(2026).end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert parse_period("2026/2027").label == "2026-27"
    for wrong in ("26", "2026-28", "last year", "2026-2028"):
        with pytest.raises(PeriodError):
            parse_period(wrong)


def test_the_year_counted_by_hand_from_the_demo_register(folder: Path) -> None:
    """Each figure below was counted by hand from the demo register's Cases sheet as of 2 March 2026.

    Referred in 2025: DEMO-2025-009 (the LCSPR), -003 (closed), -002, -004, -006, -008, -011 (the year's cases) = 7;
    DEMO-2024-012 was referred in 2024. Notified in 2025: -009, -006, -008, -011 = 4 (-003's notification is recorded
    on 31/12/2024, the mistake left in). Rapid Reviews sent in 2025: -009, -003, -006, -008, -011 = 5, of which
    -009 and -008 became LCSPRs. Published in 2025: -008 (within 6 months) and -012 (late).
    """
    register, profile = open_register(folder / "register.xlsx")
    year = count_year(register, profile, calendar_year(2025), TODAY)
    assert dict(totals(year)) == {"referrals": 7, "notifications": 4, "rapid_reviews": 5, "lcsprs_decided": 2,
                                  "lcsprs_published": 2, "lcsprs_in_progress": 1, "converted": 2}
    assert year.pathways == [("Rapid review", 6), ("Learning review", 1)]
    assert year.decisions == [("Notify the National Panel", 5), ("Do not notify: learning review", 1),
                              ("Do not notify: no further action", 1)]
    assert year.rr_outcomes == [("No further review (action plan only)", 3), ("LCSPR", 2)]
    record = {t.milestone: t for t in year.timescales}
    # DEMO-2025-008: aware Mon 02/06/2025, due Mon 09/06/2025, notified Thu 12/06/2025, with its reason.
    notification = record["la_notification"]
    assert (notification.counted, notification.met) == (4, 3)
    (late,) = notification.missed
    assert (late.case_ref, late.due, late.done) == ("DEMO-2025-008", date(2025, 6, 9), date(2025, 6, 12))
    assert late.reason and late.reason.startswith("The referral reached the Business Unit")
    # DEMO-2025-011: notified Fri 15/08/2025; 15 working days (the bank holiday of 25/08 skipped) end Mon 08/09/2025.
    rapid = record["rapid_review_submission"]
    assert (rapid.counted, rapid.met) == (5, 4)
    assert [(c.case_ref, c.due, c.done, c.reason) for c in rapid.missed] == [
        ("DEMO-2025-011", date(2025, 9, 8), date(2025, 9, 11), "The Police chronology came back a week late, so the meeting moved.")]
    # DEMO-2024-012: LCSPR decided Fri 27/09/2024, due 27/03/2025, published 14/05/2025; its delay reasons are on the
    # LCSPR sheet. DEMO-2025-008: decided 30/06/2025, published 08/12/2025, in time.
    publication = record["lcspr_publication"]
    assert (publication.counted, publication.met) == (2, 1)
    assert [(c.case_ref, c.due, c.done) for c in publication.missed] == [("DEMO-2024-012", date(2025, 3, 27),
                                                                          date(2025, 5, 14))]
    assert publication.missed[0].reason and "criminal trial" in publication.missed[0].reason
    # Themes: the 8 cases with a step in 2025, each counted once; "Serious illness" is -003's main characteristic and
    # one of -009's on the Characteristics sheet.
    assert len(year.cases) == 8
    assert ("Serious illness", 2) in year.characteristics and ("Abuse – Online", 1) in year.characteristics
    assert sum(n for _, n in year.ages) == 8
    assert year.ages == [("Under 1", 1), ("1 to 4", 2), ("5 to 9", 1), ("10 to 15", 3), ("16 to 17", 1)]
    assert year.agencies[0] == ("Children's Social Care", 7)


def test_a_financial_year_counts_april_to_march(folder: Path) -> None:
    register, profile = open_register(folder / "register.xlsx")
    year = count_year(register, profile, financial_year(2025), TODAY)
    # 1 April 2025 to 31 March 2026, counted to TODAY: the referral, the Rapid Review and the care leaver's case of
    # 2026 count; -003 (January 2025) and -002, -004 (February and March 2025) do not.
    assert year.as_of == TODAY
    assert year.referrals == 7
    assert "DEMO-2025-003" not in year.cases and "DEMO-2026-014" in year.cases


def test_report_and_csv_carry_counts_and_references_only(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    assert main(["report", str(folder / "register.xlsx"), "--year", "2025", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "7 referral(s), 4 notification(s), 5 Rapid Review(s)" in out
    report = folder / "papers" / "Annual report 2025 2026-03-02.docx"
    document = Document(str(report))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "DEMO-2025-011" in text and "The Police chronology came back a week late" in text
    assert "3 of 4 in time (75%)" in text
    assert len(document.inline_shapes) == 4  # the characteristics, ages, agencies and actions charts, drawn by Word
    with open(folder / "papers" / "Case Review Tracker 2025 2026-03-02.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_ref = {r["Local reference"]: r for r in rows}
    assert set(by_ref) == {"DEMO-2025-009", "DEMO-2025-003", "DEMO-2025-006", "DEMO-2025-008", "DEMO-2025-011",
                           "DEMO-2024-012"}
    assert by_ref["DEMO-2025-008"]["Converted from Rapid Review"] == "Yes"
    assert by_ref["DEMO-2025-008"]["Publication date"] == "2025-12-08"
    assert by_ref["DEMO-2025-008"]["Theme 2"] == "Abuse – Online"
    assert by_ref["DEMO-2025-009"]["Stage"] == "LCSPR in progress"
    # No child, parent or date of birth leaves the register.
    register, _ = open_register(folder / "register.xlsx")
    csv_text = (folder / "papers" / "Case Review Tracker 2025 2026-03-02.csv").read_text(encoding="utf-8-sig")
    for person in register.people:
        assert person["name"] not in text and person["name"] not in csv_text
        born = person["date_of_birth"]
        if isinstance(born, date):
            assert born.isoformat() not in csv_text and f"{born:%d/%m/%Y}" not in text
    # Made again the same day: both files are caseforms' own, so they are replaced (a backup kept), not refused.
    assert main(["report", str(folder / "register.xlsx"), "--year", "2025", "--today", TODAY.isoformat()]) == 0


def test_a_formula_typed_in_the_register_stays_text_in_the_csv() -> None:
    from caseforms.io.annual_docx import csv_value

    assert csv_value("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_value("@SUM(A1)") == "'@SUM(A1)"
    assert csv_value(date(2025, 1, 2)) == "2025-01-02"


def test_a_year_that_is_not_one_is_refused_in_a_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(folder / "register.xlsx"), "--year", "26"]) == 2
    assert "not a year" in capsys.readouterr().err
