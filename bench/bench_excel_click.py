"""Benchmark: one Excel click on "Check the register", as a new Python process, beside `python -c pass`.

Target (issue 17, "Excel on a council laptop"): the Check action as a new process under 0.25 s on
the project's machine. Every click on Run main starts a fresh Python (the add-in runs
``python -B -c "import xlwings.utils; ...; import register; register.main()"``), so what that
process imports is what the officer waits for: xlwings imports matplotlib, numpy and PIL whenever
they are installed, so caseforms installs none of them.

What is measured: in an environment holding caseforms' wheel and its requirements only (made here
in a temporary folder, as an officer's laptop has it: README, "Using caseforms from Excel"), a
process that imports xlwings.utils as the add-in does, then opens the demo register as Excel hands
it over (xlwings' remote engine, from a description written beforehand: the stand-in for COM) and
runs the Check action on it, writing the Checks sheet. Excel's own share (COM calls into a real
Excel) is not included. Each round runs `python -c pass` and the click side by side, so the
machine's load at that moment weighs on both.

Run: python bench/bench_excel_click.py [--rounds 10] [--python PATH] [--before PATH]
(``--python`` measures with an existing interpreter that has caseforms instead of a fresh environment;
``--before`` times another one, e.g. an environment with an older caseforms, in the same rounds.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "numpy", "PIL", "pandas", "holidays")

CLICK = f"""
import xlwings.utils  # the add-in's command imports it first (xlwings/addin/Main.bas, ExecuteWindows)
import json, sys
from datetime import date
import xlwings as xw
from caseforms import excel
book = xw.Book(json=json.load(open(sys.argv[1], encoding="utf-8")))
message = excel.run_action(book, "check", date(2026, 11, 30))
assert "case(s)" in message, message
heavy = [m for m in {HEAVY!r} if m in sys.modules]
print(json.dumps({{"heavy": heavy, "openpyxl": "openpyxl" in sys.modules, "docx": "docx" in sys.modules}}))
"""


def fresh_environment(folder: Path) -> Path:
    """Build caseforms' wheel and install it, with its requirements only, into a new environment; return its Python."""
    wheels = folder / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("caseforms-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "env")], check=True)
    python = folder / "env" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return python


def _cell(value: Any) -> Any:
    """A value as xlwings' remote engine is handed it (dates as ISO text, as the Office.js client sends them)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    if isinstance(value, clock):
        return value.strftime("%H:%M:%S")
    return "" if value is None else value


def describe(register: Path, version: str) -> dict[str, Any]:
    """Return the register as xlwings' remote engine is handed a workbook open in Excel."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(register))
    sheets = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False) or [[""]]
        width = max(len(r) for r in rows) or 1
        sheets.append({"name": name, "values": [[_cell(v) for v in r] + [""] * (width - len(r)) for r in rows],
                       "pictures": [], "tables": [], "charts": []})
    names = [s["name"] for s in sheets]
    return {"client": "Office.js", "version": version, "names": [], "sheets": sheets,
            "book": {"name": str(register), "active_sheet_index": names.index("Cases"), "selection": "A2"}}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:2])} failed:\n{done.stderr}")
    return elapsed, done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--python", help="an interpreter with caseforms installed (default: a fresh environment)")
    parser.add_argument("--before", help="another interpreter with caseforms (an older version) to time in the same rounds")
    args = parser.parse_args()
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}  # the remote engine: see tests/conftest.py
    with tempfile.TemporaryDirectory(prefix="caseforms-bench-click-") as tmp:
        folder = Path(tmp)
        python = Path(args.python) if args.python else fresh_environment(folder)
        subprocess.run([str(python), "-m", "caseforms", "demo", str(folder / "demo")], check=True, capture_output=True)
        version = subprocess.run([str(python), "-c", "import xlwings; print(xlwings.__version__)"], check=True,
                                 capture_output=True, text=True).stdout.strip()
        payload = folder / "register.json"
        payload.write_text(json.dumps(describe(folder / "demo" / "register.xlsx", version)), encoding="utf-8")
        click = [str(python), "-B", "-c", CLICK, str(payload)]
        timed(click, env)  # the first run compiles caseforms' modules; Excel's clicks find them compiled
        before = [str(args.before), "-B", "-c", CLICK, str(payload)] if args.before else None
        if before:
            timed(before, env)
        desktop_env = {k: v for k, v in os.environ.items() if k != "XLWINGS_LICENSE_KEY"}
        importing = [str(python), "-c", "import xlwings.utils"]
        passes, clicks, desktop_imports, remote_imports, earlier, seen = [], [], [], [], [], ""
        for _ in range(args.rounds):
            passes.append(timed([str(python), "-c", "pass"], env)[0])
            elapsed, seen = timed(click, env)
            clicks.append(elapsed)
            if before:
                earlier.append(timed(before, env)[0])
            desktop_imports.append(timed(importing, desktop_env)[0])
            remote_imports.append(timed(importing, env)[0])
    imported = json.loads(seen)
    print(f"Python: {python if args.python else 'a fresh environment: caseforms wheel + requirements'}")
    for what, times in (("python -c pass", passes), ("Check the register, new process", clicks),
                        ("import xlwings.utils (desktop)", desktop_imports),
                        ("import xlwings.utils (PRO remote)", remote_imports), ("the same click, --before", earlier)):
        if not times:
            continue
        print(f"{what:34s} min {min(times):.3f} s  median {statistics.median(times):.3f} s  max {max(times):.3f} s")
    stand_in = statistics.median(remote_imports) - statistics.median(desktop_imports)
    print(f"(the remote engine standing in for COM needs xlwings PRO's part, which desktop Excel's add-in does not "
          f"import: {stand_in:.3f} s of the click's median)")
    extra = [c - p for c, p in zip(clicks, passes, strict=True)]
    print(f"{'the click beyond python -c pass':34s} min {min(extra):.3f} s  median {statistics.median(extra):.3f} s")
    print(f"imported by the click: {', '.join(imported['heavy']) or 'none of ' + ', '.join(HEAVY)}; "
          f"openpyxl {'yes' if imported['openpyxl'] else 'no'}; python-docx {'yes' if imported['docx'] else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
