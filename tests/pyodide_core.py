"""What caseforms works out, computed by the same code in CPython and in Pyodide (tests/test_pyodide.py).

:func:`results` loads every shipped profile and works out a timetable with each, validates a
register handed over as xlwings Lite hands it (the JSON of the Office.js client, through xlwings'
remote engine), runs the Lite scripts Check the register and Refresh the deadlines on it, and
merges a case's CSV returns in a working folder through the Lite script, writing the master
chronology through caseforms' write guard. It imports nothing that Pyodide lacks without its own
package downloads: no lxml (papers), no python-calamine (the register is read from the book).

Run in Pyodide, this file is copied into the run's folder and ends by writing ``result.json``.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

#: A case's events for the timetables: aware on a Friday before Christmas, so bank holidays count.
EVENTS = {"incident": "2024-12-18", "aware": "2024-12-20", "notified": "2024-12-23", "rr_meeting": "2025-01-14"}


def results(inputs: dict[str, Any]) -> dict[str, Any]:
    """Return what caseforms works out from ``inputs`` (today, the register's JSON, the merge's JSON and folder)."""
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings' remote engine, as in tests/conftest.py
    import xlwings as xw

    import caseforms.lite as lite
    from caseforms.deadlines import timetable
    from caseforms.io import live_workbook as live
    from caseforms.io import safe_write
    from caseforms.io.register_xlsx import profile_for
    from caseforms.profile import available_profiles, load_profile
    from caseforms.register.validation import validate

    today = date.fromisoformat(inputs["today"])
    folder = Path(inputs["folder"])
    out: dict[str, Any] = {"platform": sys.platform, "os_locks": safe_write.OS_LOCKS, "profiles": {}}
    events = {k: date.fromisoformat(v) for k, v in EVENTS.items()}
    for name in available_profiles():
        out["profiles"][name] = [[r.id, str(r.due), r.status, r.working_days_left]
                                 for r in timetable(load_profile(name), events, today)]
    def opened(what: str) -> Any:  # each run gets the workbook afresh: xlwings keeps a sheet added in the description
        return xw.Book(json=copy.deepcopy(inputs[what]))

    register = live.read_register(opened("register"), required=False)
    out["findings"] = sorted([f.code, f.sheet, f.cell, f.severity, f.message]
                             for f in validate(register, profile_for(register), today))
    for key in ("check", "deadlines"):
        book = opened("register")
        out[key] = {"message": lite.run(book, key, today), "actions": book.json()["actions"]}
    book = opened("merge")
    out["merge"] = lite.run(book, "merge", today).replace(str(folder), "<folder>")
    master = folder / "cases" / inputs["case"] / "Master chronology.xlsx"
    from openpyxl import load_workbook

    out["master"] = [[str(c) if c is not None else None for c in row]
                     for row in load_workbook(master, read_only=True).worksheets[0].iter_rows(values_only=True)]
    out["left_in_folder"] = sorted(p.name for p in master.parent.iterdir() if p.name.startswith("."))
    # Heavy or absent packages are imported only where used: none of these was needed for any of the above.
    out["imported"] = sorted(m for m in ("holidays", "docx", "docxtpl", "lxml", "jinja2", "python_calamine", "rich")
                             if m in sys.modules)
    return json.loads(json.dumps(out, default=str))


if __name__ == "__main__":  # in Pyodide: the run's folder is /work
    work = Path("/work")
    result = results(json.loads((work / "input.json").read_text(encoding="utf-8")))
    (work / "result.json").write_text(json.dumps(result), encoding="utf-8")
