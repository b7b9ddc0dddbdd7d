"""Benchmark `caseforms chronology merge` against the floor of plain I/O, before and after a change.

Scenarios (generated once into bench/out/merge/, kept with --keep):

* **spread**: 40 agency returns, 50,000 rows over five years (34 .xlsx with title blocks, real date
  cells and a time column; 4 .xlsx with dates typed as text in every English way; 2 CSV from Excel,
  one cp1252), 20 agencies, so most days have several agencies' entries to compare;
* **busy**: 20,000 entries on one day, 20 agencies (a large incident day, or an export that dates
  every entry the same): every pair of the day is a candidate link;
* **growth**: 1,000, 10,000, 50,000 and 200,000 rows over five years: time and memory per row.

Each figure is a new process (imports not timed inside it; its peak memory is the process's),
alternating in each round: the floor (python-calamine reading every sheet, the csv module the CSV
returns, and xlsxwriter writing the master's own cells, as calamine reads them back, with
``write_row``: no formats, no table), the merge as it is here, and with ``--before PYTHON`` the
merge of an older caseforms (another environment) on the same files.

Targets: spread within 1.3x the floor, under 250 MiB; busy under 3 s and 500 MiB.

    python bench/bench_merge.py [--scenario spread|busy|growth|all] [--rounds 5] [--before PYTHON] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Run, median, peak_mib, run, spread

OUT = Path(__file__).parent / "out" / "merge"
AGENCIES = [
    "Kent Police", "Children's Social Care", "Health Visiting", "GP Practice", "Example Primary School",
    "Probation", "Housing", "Ambulance Service", "Adult Mental Health", "Early Help", "Youth Justice",
    "Emergency Department", "CAMHS", "Substance Misuse Service", "Domestic Abuse Service", "Midwifery",
    "Education Welfare", "Fire and Rescue", "Neighbourhood Policing", "Virtual School",
]
CONTACT_TYPES = ["Home visit", "Phone call", "Strategy discussion", "Appointment", "Letter", "Email",
                 "Case note", "Meeting", "Referral", "Incident", "Assessment", "Did not attend"]
_COMMON_WORDS = ("family child mother father visit concerns school attended appointment reported discussed plan safety "
          "bruising neglect housing referral assessment support worker police health records mood sleep "
          "medication attendance threshold escalated review contact safeguarding")
COMMON = _COMMON_WORDS.split()
# Real chronologies use thousands of words; made-up ones keep the text as varied (and the links as rare).
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "bri", "dan", "fel", "gor", "hal", "jen", "mor", "pel")
WORDS = COMMON + [a + b + c for a in _SYLLABLES for b in _SYLLABLES[:8] for c in ("", "s", "ed", "ing")][:1500]
HEADINGS = ["Date", "Time", "Source of information", "Agency/Department", "Name of subject(s)", "Type of contact",
            "By whom", "Details of event", "Comments/analysis of outcome"]
TOTAL_ROWS = 50_000
RETURNS = 40


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(COMMON) if rng.random() < 0.3 else rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _row(rng: random.Random, agency: str, day: date) -> list[object]:
    return [
        day,
        (datetime(1899, 12, 31, rng.randrange(8, 20), rng.choice((0, 15, 30, 45))) if rng.random() < 0.4 else None),
        rng.choice(["Case record", "Niche RMS", "SystmOne", "EMIS", "Mosaic", "Paper file"]),
        agency,
        rng.choice(["Tyler Brook", "Sam Brook", "Lee Brook", "Tyler and Sam Brook"]),
        rng.choice(CONTACT_TYPES),
        rng.choice(["Practitioner A", "Practitioner B", "Team manager", "Duty worker"]),
        _text(rng, rng.randrange(12, 60)),
        _text(rng, rng.randrange(0, 20)) if rng.random() < 0.6 else "",
    ]


def generate(folder: Path, seed: int = 4, total: int = TOTAL_ROWS, returns: int = RETURNS, days: int = 5 * 365) -> list[Path]:
    """Write ``returns`` returns of ``total`` rows in all, dated over ``days`` days from 2020, into ``folder``."""
    import xlsxwriter

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [total // returns + (1 if i < total % returns else 0) for i in range(returns)]
    first = date(2020, 1, 1)
    paths: list[Path] = []
    for i, size in enumerate(sizes):
        agency = AGENCIES[i % len(AGENCIES)]
        rows = [_row(rng, agency, first + timedelta(days=rng.randrange(0, days))) for _ in range(size)]
        if i >= returns - 2 and returns >= 10:
            path = folder / f"return_{i:02d}_{agency.replace(' ', '_')}.csv"
            lines = [",".join(HEADINGS)]
            for r in rows:
                cells = [r[0].strftime("%d/%m/%Y"), r[1].strftime("%H:%M") if r[1] else "", *(str(c) for c in r[2:])]
                lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
            text = "\r\n".join(lines) + "\r\n"
            if i == returns - 1:
                path.write_bytes(text.encode("cp1252", errors="replace"))
            else:
                path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
            paths.append(path)
            continue
        path = folder / f"return_{i:02d}_{agency.replace(' ', '_')}.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Chronology")
        datef = wb.add_format({"num_format": "dd/mm/yyyy"})
        timef = wb.add_format({"num_format": "hh:mm"})
        ws.write_string(0, 0, "Rapid Review chronology")
        ws.write_string(1, 0, "Case reference:")
        ws.write_string(1, 1, "KSCMP-2025-003")
        ws.write_string(2, 0, "Agency:")
        ws.write_string(2, 1, agency)
        ws.write_row(4, 0, HEADINGS)
        as_text = returns - 6 <= i < returns - 2 and returns >= 10
        styles = ("%d/%m/%Y", "%-d/%-m/%y", "%d %B %Y", "%Y-%m-%d")
        for r, row in enumerate(rows, start=5):
            day = row[0]
            if as_text:
                ws.write_string(r, 0, day.strftime(styles[r % len(styles)]))  # type: ignore[union-attr]
            else:
                ws.write_datetime(r, 0, day, datef)
            if row[1] is not None:
                ws.write_datetime(r, 1, row[1], timef)
            for c, value in enumerate(row[2:], start=2):
                if value:
                    ws.write_string(r, c, str(value))
        wb.close()
        paths.append(path)
    return paths


SCENARIOS = {
    "spread": {"total": 50_000, "returns": 40, "days": 5 * 365},
    "busy": {"total": 20_000, "returns": 20, "days": 1},
    "growth-1k": {"total": 1_000, "returns": 40, "days": 5 * 365},
    "growth-10k": {"total": 10_000, "returns": 40, "days": 5 * 365},
    "growth-200k": {"total": 200_000, "returns": 40, "days": 5 * 365},
}


def returns_of(scenario: str) -> Path:
    """Return the folder of a scenario's returns, generating them the first time."""
    name = "spread" if scenario == "growth-50k" else scenario
    folder = OUT / name / "returns"
    spec = SCENARIOS[name]
    if not folder.exists() or len(list(folder.iterdir())) != spec["returns"]:
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        generate(folder, **spec)
        print(f"generated {name}: {spec['returns']} returns, {spec['total']:,} rows in {time.perf_counter() - t:.1f} s",
              flush=True)
    return folder


# -- what each process does ------------------------------------------------------------------------------------------


def work_merge(returns: Path, target: Path) -> dict[str, object]:
    """Merge the returns and write the master, as `caseforms chronology merge` does; return the figures."""
    from caseforms.io.master_xlsx import write_master
    from caseforms.io.returns import merge_return_files

    target.unlink(missing_ok=True)
    wall, cpu = time.perf_counter(), time.process_time()
    master = merge_return_files([returns], scope_from=date(2021, 1, 1), case_reference="KSCMP-2025-003")
    merged_wall, merged_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    write_master(master, target)
    written_wall, written_cpu = time.perf_counter() - wall, time.process_time() - cpu
    entries = master.entries
    return {"merge": merged_wall, "merge_cpu": merged_cpu, "write": written_wall, "write_cpu": written_cpu,
            "rows": len(entries), "linked": sum(1 for e in entries if e.linked),
            "links": sum(getattr(e, "links", 0) or len(e.linked) for e in entries), "findings": len(master.findings),
            "peak_mib": peak_mib()}


def work_floor(returns: Path, master: Path, target: Path) -> dict[str, object]:
    """Read the returns with calamine (and csv) and write the master's cells with plain xlsxwriter; return the figures."""
    import csv
    import io

    import python_calamine
    import xlsxwriter

    book = python_calamine.CalamineWorkbook.from_path(str(master))
    cells = book.get_sheet_by_name("Chronology").to_python()
    wall, cpu = time.perf_counter(), time.process_time()
    for p in sorted(returns.iterdir()):
        if p.suffix == ".csv":
            data = p.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
            list(csv.reader(io.StringIO(text, newline="")))
            continue
        wb = python_calamine.CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    wb = xlsxwriter.Workbook(str(target))
    ws = wb.add_worksheet()
    for r, row in enumerate(cells):
        ws.write_row(r, 0, row)
    wb.close()
    return {"read": read_wall, "read_cpu": read_cpu, "write": time.perf_counter() - wall,
            "write_cpu": time.process_time() - cpu, "peak_mib": peak_mib()}


# -- the rounds -------------------------------------------------------------------------------------------------------


def measure(scenario: str, rounds: int, before: str | None, floor: bool = True) -> dict[str, list[Run]]:
    """Run the floor, the merge and the merge before, alternating, ``rounds`` times; return the runs of each."""
    returns = returns_of(scenario)
    folder = OUT / ("spread" if scenario == "growth-50k" else scenario)
    me = str(Path(__file__).resolve())
    kinds: dict[str, list[str]] = {"merge": [sys.executable, me, "--work", "merge", str(returns), str(folder / "master.xlsx")]}
    if before:
        kinds["before"] = [before, me, "--work", "merge", str(returns), str(folder / "master before.xlsx")]
    if floor:
        kinds["floor"] = [sys.executable, me, "--work", "floor", str(returns), str(folder / "master.xlsx"),
                          str(folder / "floor.xlsx")]
    runs: dict[str, list[Run]] = {k: [] for k in kinds}
    for n in range(rounds):
        order = list(kinds) if n % 2 == 0 else list(reversed(kinds))
        if "floor" in order:  # the floor reads the master the merge wrote this round
            order.remove("floor")
            order.insert(order.index("merge") + 1, "floor")
        for kind in order:
            runs[kind].append(run(kinds[kind]))
        line = "; ".join(f"{k} {total(runs[k][-1]):.2f} s ({total(runs[k][-1], True):.2f} s CPU)" for k in kinds)
        print(f"  {scenario} round {n + 1}: {line}", flush=True)
    return runs


def total(r: Run, cpu: bool = False) -> float:
    """Return the seconds of the work itself (reading and merging, then writing), wall clock or CPU."""
    suffix = "_cpu" if cpu else ""
    first = r.report.get("merge" + suffix, r.report.get("read" + suffix, 0.0))
    return float(first) + float(r.report["write" + suffix])


def report(scenario: str, runs: dict[str, list[Run]]) -> None:
    """Print a scenario's figures: medians and ranges of wall clock, CPU and peak memory."""
    print(f"\n{scenario}: median (least–most) of {len(next(iter(runs.values())))} rounds, each a new process")
    print(f"{'':10}{'read/merge':>24}{'write':>24}{'total':>24}{'total CPU':>24}{'peak memory':>26}")
    for kind, rs in runs.items():
        first = [float(r.report.get("merge", r.report.get("read", 0))) for r in rs]
        print(f"{kind:10}{spread(first):>24}{spread([float(r.report['write']) for r in rs]):>24}"
              f"{spread([total(r) for r in rs]):>24}{spread([total(r, True) for r in rs]):>24}"
              f"{spread([r.rss_mib for r in rs], 'MiB', 0):>26}")
    merge = runs["merge"][0].report
    print(f"{merge['rows']:,} rows merged, {merge['linked']:,} entries linked ({merge['links']:,} links), "
          f"{merge['findings']:,} findings")
    if "floor" in runs:
        ratios = [total(m) / total(f) for m, f in zip(runs["merge"], runs["floor"], strict=True)]
        cpu = [total(m, True) / total(f, True) for m, f in zip(runs["merge"], runs["floor"], strict=True)]
        print(f"merge / floor, round by round: wall {spread(ratios, 'x')}, CPU {spread(cpu, 'x')}")
    if "before" in runs:
        ratios = [total(b) / total(m) for m, b in zip(runs["merge"], runs["before"], strict=True)]
        print(f"before / now, round by round: {spread(ratios, 'x')}")


def growth(rounds: int, before: str | None) -> None:
    """Print time and memory per row at 1k, 10k, 50k and 200k rows."""
    rows = []
    for scenario in ("growth-1k", "growth-10k", "growth-50k", "growth-200k"):
        runs = measure(scenario, rounds, before, floor=False)
        rows.append((scenario, runs))
    print("\ngrowth (median of the rounds; per row: microseconds and KiB of peak memory above a 1k merge's)")
    base = {k: median([r.rss_mib for r in rs]) for k, rs in rows[0][1].items()}
    for _, runs in rows:
        for kind, rs in runs.items():
            n = rs[0].report["rows"]
            seconds = median([total(r) for r in rs])
            cpu = median([total(r, True) for r in rs])
            rss = median([r.rss_mib for r in rs])
            print(f"  {kind:7}{n:>9,} rows  {seconds:7.2f} s  {cpu:7.2f} s CPU  {seconds / n * 1e6:6.1f} µs/row  "
                  f"{rss:7.0f} MiB  {(rss - base[kind]) * 1024 / n:5.2f} KiB/row")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="all", choices=["spread", "busy", "growth", "all"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="an interpreter whose caseforms is the code before the change")
    parser.add_argument("--keep", action="store_true", help="keep bench/out/merge afterwards")
    parser.add_argument("--work", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work:
        kind, *paths = args.work
        figures = work_merge(Path(paths[0]), Path(paths[1])) if kind == "merge" else work_floor(*map(Path, paths))
        print(json.dumps(figures))
        return 0
    for scenario in ("spread", "busy"):
        if args.scenario in (scenario, "all"):
            report(scenario, measure(scenario, args.rounds, args.before))
    if args.scenario in ("growth", "all"):
        growth(max(1, args.rounds // 3), args.before)
    if not args.keep:
        shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
