"""Benchmark: read and validate a register of 5,000 cases and 15,000 people (target: under 2 s).

    /work/venv/bin/python bench/bench_register.py [CASES]

The register is generated with the same schema as `caseforms init` writes (xlsxwriter, for a fast
generator), with dates, people, meetings and a sprinkling of mistakes, so every rule does work.
Prints the figures to record in bench/README.md.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from caseforms.io.register_xlsx import profile_for, read_register
from caseforms.profile import load_profile
from caseforms.register.schema import AGENCIES, CASES, DATE, MEETINGS, PEOPLE, SETTINGS, register_schema
from caseforms.register.validation import summary, validate

NHS = ("999 000 0018", "9990000026", "999 000 0034", "999 000 0019")


def generate(path: Path, n_cases: int, seed: int = 3) -> None:
    import xlsxwriter

    rng = random.Random(seed)
    profile = load_profile("kent")
    schema = register_schema(profile)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    sheets = {s.name: (s, wb.add_worksheet(s.name)) for s in schema.sheets}
    for sheet, ws in sheets.values():
        for i, column in enumerate(sheet.columns):
            ws.write(0, i, column.header)

    def put(sheet_name: str, row: int, values: dict[str, object]) -> None:
        sheet, ws = sheets[sheet_name]
        for i, column in enumerate(sheet.columns):
            value = values.get(column.key)
            if value is None:
                continue
            if column.kind == DATE and isinstance(value, date):
                ws.write_datetime(row, i, value, date_fmt)  # type: ignore[arg-type]
            else:
                ws.write(row, i, value)

    start = date(2019, 1, 1)
    for n in range(n_cases):
        incident = start + timedelta(days=rng.randrange(2400))
        aware = incident + timedelta(days=rng.randrange(3))
        notified = aware + timedelta(days=rng.randrange(1, 9))
        ref = f"SCP-{incident.year}-{n:05d}"
        put(CASES, n + 1, {
            "case_ref": ref, "status": "Rapid Review submitted", "officer": "Priya Venn", "referring_agency": "Police",
            "incident_date": incident, "aware_date": aware, "referral_date": aware, "decision_date": aware + timedelta(days=1),
            "decision": "Notify the National Panel", "decision_rationale": "Serious harm", "notified_date": notified,
            "rr_meeting_date": notified + timedelta(days=14), "rr_decision_date": notified + timedelta(days=18),
            "rr_outcome": rng.choice(["No further review (action plan only)", "LCSPR"]),
            "lcspr_decision_date": notified + timedelta(days=30), "methodology": rng.choice(["Traditional", "", "Impact"]),
        })
        for k in range(3):
            put(PEOPLE, n * 3 + k + 1, {
                "case_ref": ref, "role": "Child (subject of the review)" if k == 0 else "Parent", "name": f"Person {n}-{k}",
                "date_of_birth": incident - timedelta(days=rng.randrange(100, 7000 if k == 0 else 15000)),
                "nhs_number": rng.choice(NHS), "gender": "Female",
            })
        put(MEETINGS, n + 1, {
            "case_ref": ref, "meeting_type": "Rapid Review", "meeting_date": notified + timedelta(days=14),
            "present_local_authority": "Yes", "present_police": rng.choice(["Yes", "Yes", "No"]), "present_health_icb": "Yes",
            "decision": "LCSPR", "unanimous": rng.choice(["Yes", "No"]),
        })
    for n in range(60):
        put(AGENCIES, n + 1, {"agency": f"Agency {n}", "email": rng.choice(["spoc@agency.example.gov.uk", "spoc@agency"])})
    settings = wb.add_worksheet(SETTINGS)
    settings.write(0, 0, "setting")
    settings.write(1, 0, "profile")
    settings.write(1, 1, "kent")
    wb.close()


def main() -> None:
    n_cases = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.xlsx"
        t0 = time.perf_counter()
        generate(path, n_cases)
        t1 = time.perf_counter()
        register = read_register(path)
        t2 = time.perf_counter()
        findings = validate(register, profile_for(register), date(2026, 1, 1))
        t3 = time.perf_counter()
        counts = summary(findings)
        print(f"register: {len(register.cases)} cases, {len(register.people)} people, {len(register.meetings)} meetings, "
              f"{path.stat().st_size / 1e6:.1f} MB (generated in {t1 - t0:.1f} s)")
        print(f"read (calamine + typing): {t2 - t1:.2f} s")
        print(f"validate (all rules):     {t3 - t2:.2f} s")
        print(f"total:                    {t3 - t1:.2f} s  (target < 2 s)")
        print(f"findings: {counts['error']} errors, {counts['warning']} warnings")
        # The command as an officer runs it, a new process each: the terminal report (counts by rule and
        # the first findings) and --json (every finding), output to a pipe.
        for extra in ([], ["--json"]):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "caseforms", "validate", str(path), "--today", "01/01/2026", *extra],
                           capture_output=True, check=False)
            print(f"caseforms validate {' '.join(extra) or '(terminal report)'}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
