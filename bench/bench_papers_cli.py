"""Benchmark: `caseforms papers REGISTER --case REF --pack rapid-review-meeting`, end to end.

From a working folder with a register (the fictional full case of the papers tests) and a master
chronology of 2,000 entries merged by the chronology library: read the register, find and read
the master, build the case file, check every template, render the contents page, agenda, Terms of
Reference, master chronology and agency summaries, and combine them into one pack document.
Target: under 3 s (and, issue 20, under 1.2 s as a new process). Timed in-process (best of 3) and as the
officer runs it (three new processes: wall clock, CPU time and peak memory), each
time into a new papers folder (--out), so that every run makes every paper; then made again into
the same folder with nothing changed (each paper found up to date and kept).
Run: python bench/bench_papers_cli.py [ROWS]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import run, spread
from caseforms.chronology.merge import AgencyReturn, merge_returns
from caseforms.cli import main as caseforms
from caseforms.io.master_read import master_chronology_path
from caseforms.io.master_xlsx import write_master
from papers_fixtures import CHRONOLOGY_HEADER, FULL, write_partnership_folder

AGENCIES = ("Thornbury Police", "Children's Social Care", "Harbourton ICB (health visiting)", "GP surgery",
            "St Aidan's C of E Primary School", "Smith & Jones Family Services", "Housing & tenancy")


def write_big_master(path: Path, rows: int) -> None:
    """Merge ``rows`` entries spread over seven agencies' returns and write the master."""
    returns = []
    per = rows // len(AGENCIES)
    for a, agency in enumerate(AGENCIES):
        count = per + (1 if a < rows % len(AGENCIES) else 0)
        entries = [
            (i + 2, [(date(2022, 1, 3) + timedelta(days=(i * 7 + a) % 1100)).strftime("%d/%m/%Y"), f"{9 + i % 8}:15",
                     "Case record", "Zoë O'Brien-Nowak", "Home visit", "Practitioner",
                     f"{agency} event {i + 1}: visit; mother said 'things are fine' & the children were seen.",
                     "No concerns < threshold; follow-up booked."])
            for i in range(count)
        ]
        returns.append(AgencyReturn(f"{agency}.xlsx", "Chronology", 1, CHRONOLOGY_HEADER, entries,
                                    title_block=[["Agency:", agency]]))
    master = merge_returns(returns, today=date(2025, 6, 1))
    write_master(master, path)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        register = write_partnership_folder(root, master=False)
        write_big_master(master_chronology_path(root, FULL), rows)
        args = [str(register), "--case", FULL, "--pack", "rapid-review-meeting", "--today", "10/02/2025", "--json"]
        best = float("inf")
        for n in range(3):
            start = time.perf_counter()
            with redirect_stdout(io.StringIO()) as out:
                assert caseforms(["papers", *args, "--out", str(root / f"run {n}")]) == 0
            best = min(best, time.perf_counter() - start)
        assert f'"chronology_rows": {rows}' in out.getvalue()
        again = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            with redirect_stdout(io.StringIO()):
                assert caseforms(["papers", *args, "--out", str(root / "run 0")]) == 0
            again = min(again, time.perf_counter() - start)
        processes = [run([sys.executable, "-m", "caseforms", "papers", *args, "--out", str(root / f"process {n}")])
                     for n in range(3)]
        process = min(p.wall for p in processes)
    print(f"caseforms papers --pack rapid-review-meeting, master chronology of {rows} entries:")
    print(f"  in-process (best of 3)          {best:6.2f} s")
    print(f"  new process (as the officer)    {spread([p.wall for p in processes])}, "
          f"CPU {spread([p.cpu for p in processes])}, peak memory {spread([p.rss_mib for p in processes], 'MiB', 0)}")
    print(f"  again, nothing changed (best)   {again:6.2f} s")
    print(f"target under 3 s: {'met' if max(best, process) < 3 else 'NOT met'}; "
          f"under 1.2 s as a new process: {'met' if process < 1.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
