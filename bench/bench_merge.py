"""Benchmark `caseforms chronology merge` against the floor of plain I/O.

Generates 40 agency returns totalling 50,000 rows (34 .xlsx with title blocks, real date cells and
a time column; 4 .xlsx with dates typed as text in every English way; 2 CSV from Excel, one
cp1252), then measures side by side, in one run:

* the floor: python-calamine reading every sheet of the same files, plus xlsxwriter writing the
  same master rows (the same cells) with ``write_row``, no formats, no table;
* the merge: reading, finding headers, reading dates, sorting, linking corroborating entries,
  writing the styled master with its table, Summary and Findings sheets (through safe_write).

Target: the merge within 1.5x of the floor and under 10 s.

    python bench/bench_merge.py [--rounds 3] [--keep]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

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


def generate(folder: Path, seed: int = 4) -> list[Path]:
    """Write the 40 returns into ``folder`` and return their paths."""
    import xlsxwriter

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [TOTAL_ROWS // RETURNS] * RETURNS
    first = date(2020, 1, 1)
    paths: list[Path] = []
    for i, size in enumerate(sizes):
        agency = AGENCIES[i % len(AGENCIES)]
        rows = [_row(rng, agency, first + timedelta(days=rng.randrange(0, 5 * 365))) for _ in range(size)]
        if i >= RETURNS - 2:
            path = folder / f"return_{i:02d}_{agency.replace(' ', '_')}.csv"
            lines = [",".join(HEADINGS)]
            for r in rows:
                cells = [r[0].strftime("%d/%m/%Y"), r[1].strftime("%H:%M") if r[1] else "", *(str(c) for c in r[2:])]
                lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
            text = "\r\n".join(lines) + "\r\n"
            if i == RETURNS - 1:
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
        as_text = i >= RETURNS - 6
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


def floor(paths: list[Path], rows: list[list[object]], target: Path) -> tuple[float, float]:
    """Return (read seconds, write seconds) of plain calamine reading and plain xlsxwriter writing."""
    import python_calamine
    import xlsxwriter

    start = time.perf_counter()
    for p in paths:
        if p.suffix == ".csv":
            import csv
            import io

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
    read = time.perf_counter() - start

    start = time.perf_counter()
    wb = xlsxwriter.Workbook(str(target))
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return read, time.perf_counter() - start


def merge(paths: list[Path], target: Path) -> tuple[float, float, object]:
    """Return (read-and-merge seconds, write seconds, master) of the real merge."""
    from caseforms.io.master_xlsx import write_master
    from caseforms.io.returns import merge_return_files

    start = time.perf_counter()
    master = merge_return_files(paths, scope_from=date(2021, 1, 1), case_reference="KSCMP-2025-003")
    merged = time.perf_counter() - start
    start = time.perf_counter()
    write_master(master, target)
    return merged, time.perf_counter() - start, master


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep bench/out/merge afterwards")
    args = parser.parse_args(argv)

    returns = OUT / "returns"
    if not returns.exists() or len(list(returns.iterdir())) != RETURNS:
        shutil.rmtree(returns, ignore_errors=True)
        t = time.perf_counter()
        generate(returns)
        print(f"generated {RETURNS} returns, {TOTAL_ROWS:,} rows in {time.perf_counter() - t:.1f} s")
    paths = sorted(returns.iterdir())

    floors, merges = [], []
    master = None
    for _ in range(args.rounds):
        merged, written, master = merge(paths, OUT / "master.xlsx")
        (OUT / "master.xlsx").unlink()  # so that the next round writes afresh, not a backup
        rows = master.table()  # type: ignore[attr-defined]
        read, write = floor(paths, [master.headings(), *rows], OUT / "floor.xlsx")  # type: ignore[attr-defined]
        floors.append((read, write))
        merges.append((merged, written))
        print(f"  round: floor {read:.2f} + {write:.2f} = {read + write:.2f} s; "
              f"merge {merged:.2f} + {written:.2f} = {merged + written:.2f} s", flush=True)

    f_read = statistics.median(r for r, _ in floors)
    f_write = statistics.median(w for _, w in floors)
    m_read = statistics.median(r for r, _ in merges)
    m_write = statistics.median(w for _, w in merges)
    total_floor, total_merge = f_read + f_write, m_read + m_write
    assert master is not None
    print(f"\n{master.rows_read:,} rows read, {master.rows_merged:,} merged, "  # type: ignore[attr-defined]
          f"{sum(1 for e in master.entries if e.linked):,} linked, {len(master.findings):,} findings")  # type: ignore[attr-defined]
    print(f"{'':28}{'read':>8}{'write':>8}{'total':>8}   (median of {args.rounds})")
    print(f"{'floor (calamine+xlsxwriter)':28}{f_read:8.2f}{f_write:8.2f}{total_floor:8.2f}")
    print(f"{'caseforms chronology merge':28}{m_read:8.2f}{m_write:8.2f}{total_merge:8.2f}")
    print(f"ratio {total_merge / total_floor:.2f}x the floor (target 1.5x); {total_merge:.2f} s (target 10 s)")
    if not args.keep:
        shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
