"""The register's due-date formulas agree with the Python calendar, for every milestone of every profile.

The workbook is recalculated by LibreOffice (headless) and its values compared with
caseforms.deadlines.timetable, the reference, on dates around Christmas, Easter and the one-off
bank holidays of 2022-09-19 (the Queen's funeral) and 2023-05-08 (the Coronation).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from caseforms.deadlines import timetable
from caseforms.io.register_xlsx import due_formula
from caseforms.profile import available_profiles, load_profile
from caseforms.register.reading import column_letter
from caseforms.register.schema import register_schema
from register_fixtures import write_register

ANCHOR_DAYS = [
    date(2024, 12, 20), date(2024, 12, 24), date(2024, 12, 25), date(2024, 12, 27), date(2024, 12, 31),
    date(2025, 4, 17), date(2025, 4, 18), date(2025, 4, 19), date(2025, 4, 21),
    date(2022, 9, 16), date(2022, 9, 19), date(2023, 5, 5), date(2023, 5, 8), date(2025, 1, 31), date(2024, 8, 31),
]
EVENT_KEYS = ("incident_date", "aware_date", "referral_date", "notified_date", "rr_meeting_date", "rr_decision_date",
              # Issue 15's events: every new milestone anchored and met (publication stays last: see _cases).
              "more_info_date", "partners_informed_date", "sos_ofsted_date", "placing_confirmed_date",
              "panel_response_date", "rr_reconvened_date", "panel_reply_date", "signoff_date", "report_to_panel_date",
              "publication_planned_date",
              "lcspr_decision_date", "publication_date")


def _cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for i, day in enumerate(ANCHOR_DAYS):
        # Every event on the same day: the order rules hold and every milestone is anchored.
        cases.append({"case_ref": f"F{i:02d}", **dict.fromkeys(EVENT_KEYS, day)})
        # No publication yet: the report-to-Panel rule falls back to the statutory publication date.
        cases.append({"case_ref": f"G{i:02d}", **dict.fromkeys(
            (k for k in EVENT_KEYS if k not in ("publication_date", "publication_planned_date")), day)})
    # Times of day, for the hour-based rules.
    cases.append({"case_ref": "T1", **dict.fromkeys(EVENT_KEYS, datetime(2024, 12, 23, 16, 30))})
    cases.append({"case_ref": "T2", **dict.fromkeys(EVENT_KEYS, datetime(2025, 4, 17, 9, 15))})
    return cases


def _recalculate(path: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile_dir = out / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless", "--calc", "--convert-to", "xlsx",
         "--outdir", str(out / "recalculated"), str(path)],
        check=True, capture_output=True, timeout=240,
    )
    return out / "recalculated" / path.name


def _as_moment(value: object) -> date | datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        moment = datetime(1899, 12, 30) + timedelta(days=value)
        moment = datetime(moment.year, moment.month, moment.day, moment.hour, round(moment.minute + moment.second / 60))
        return moment.date() if moment.time() == datetime.min.time() else moment
    raise AssertionError(f"not a date: {value!r}")


@pytest.mark.libreoffice
@pytest.mark.parametrize("profile_name", available_profiles())
def test_due_date_formulas_agree_with_the_python_calendar(tmp_path: Path, profile_name: str) -> None:
    from python_calamine import CalamineWorkbook

    profile = load_profile(profile_name)
    schema = register_schema(profile)
    cases = _cases()
    path = write_register(tmp_path / "register.xlsx", profile_name, cases=cases)
    values = CalamineWorkbook.from_path(str(_recalculate(path, tmp_path))).get_sheet_by_name("Cases").to_python(
        skip_empty_area=False
    )
    columns = {c.key: i for i, c in enumerate(schema.cases.columns)}
    event_of = {c.key: c.event for c in schema.cases.columns if c.event}
    checked = 0
    for r, case in enumerate(cases, start=1):
        events = {event_of[k]: v for k, v in case.items() if k in event_of}
        for due in timetable(profile, events, date(2025, 1, 1)):  # type: ignore[arg-type]
            got = _as_moment(values[r][columns[f"due_{due.id}"]])
            assert got == due.due, (
                f"{profile_name} {due.id} for case {case['case_ref']} ({events}): Excel gives {got}, "
                f"Python {due.due}"
            )
            checked += 1
    assert checked == len(cases) * len(profile.milestones)


def test_a_working_day_rule_is_written_as_workday_over_the_bank_holidays() -> None:
    m = load_profile("national").milestone("la_notification")
    assert due_formula(m, {"aware": "I2"}) == '=IFERROR(IF(I2="","",WORKDAY(I2,5,BankHolidays)),"")'


def test_every_milestone_of_every_profile_has_a_formula() -> None:
    for name in available_profiles():
        schema = register_schema(load_profile(name))
        letters = {c.key: column_letter(i) for i, c in enumerate(schema.cases.columns)}
        refs = {c.event or (c.milestone.id if c.milestone else ""): f"{letters[c.key]}2" for c in schema.cases.columns}
        for column in schema.cases.columns:
            if column.milestone is not None:
                assert due_formula(column.milestone, refs), f"{name}: {column.milestone.id} has no formula"
