"""A working folder for case TEST-2026-031 with its returns as seven agencies sent them (tests/files/returns/TEST-2026-031).

The register's Agencies sheet is the partnership's directory; the chronologies were requested
through caseforms (so the Returns log has a row per agency); the returns are copied into
cases/TEST-2026-031/returns under the names the agencies saved them as.
"""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

from register_fixtures import write_register

FILES = Path(__file__).parent / "files" / "returns"


def _load_make_returns() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_returns", FILES / "make_returns.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_returns = _load_make_returns()
REF: str = make_returns.CASE_REF
EXPECTED = make_returns.EXPECTED
TODAY: date = make_returns.TODAY
#: The files that hold chronology entries (the .docx is a summary).
CHRONOLOGIES = {name: e for name, e in EXPECTED.items() if not name.endswith(".docx")}


def case_031_folder(root: Path, *, returns: tuple[str, ...] | None = None, log_requests: bool = True) -> Path:
    """Write DIR/register.xlsx (Kent) for case TEST-2026-031, request its chronologies, file its returns; return the register."""
    from caseforms.jobs import request_chronologies

    root.mkdir(parents=True, exist_ok=True)
    agencies = [{"agency": name, "spoc_name": f"SPOC {i}", "email": f"spoc{i}@example.org",
                 "other_names": "; ".join(other) or None}
                for i, (name, other) in enumerate(make_returns.AGENCIES.items(), start=1)]
    involved = "\n".join(make_returns.AGENCIES)
    case = {
        "case_ref": REF, "status": "Rapid Review in progress", "officer": "Priya Venn", "referring_agency": "Police",
        "pathway": "Rapid review", "incident_date": date(2026, 3, 24), "aware_date": date(2026, 3, 24),
        "referral_date": date(2026, 3, 25), "decision_date": date(2026, 3, 26),
        "decision": "Notify the National Panel", "decision_rationale": "Serious harm; abuse suspected.",
        "notified_date": date(2026, 3, 27), "harm": "Serious harm", "abuse_or_neglect": "Abuse",
        "scope_from": make_returns.SCOPE_FROM, "scope_to": make_returns.SCOPE_TO,
        "chronology_deadline": datetime(2026, 4, 10, 9, 0), "agencies_involved": involved,
    }
    people = [
        {"case_ref": REF, "role": "Child (subject of the review)", "name": make_returns.CHILD,
         "date_of_birth": make_returns.CHILD_BORN, "nhs_number": make_returns.CHILD_NHS_NUMBER, "gender": "Male"},
        {"case_ref": REF, "role": "Mother", "name": make_returns.MOTHER},
        {"case_ref": REF, "role": "Partner of parent", "name": make_returns.PARTNER},
    ]
    (root / "cases").mkdir(exist_ok=True)
    register = write_register(root / "register.xlsx", "kent", cases=[case], people=people, agencies=agencies)
    if log_requests:
        request_chronologies(register, REF, date(2026, 3, 30))
    folder = root / "cases" / REF / "returns"
    folder.mkdir(parents=True, exist_ok=True)
    for name in returns if returns is not None else tuple(EXPECTED):
        target = folder / EXPECTED[name].sent_as
        shutil.copyfile(FILES / REF / name, target)
    return register
