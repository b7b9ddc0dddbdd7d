"""Benchmark: the rapid-review-meeting pack for a case whose master chronology has 2,000 and 10,000 rows.

Renders the contents page, agenda, Terms of Reference, agency summaries and master chronology from
the fictional sample case, then combines them into one pack document, as `caseforms papers` does
(the papers just rendered are combined from memory when caseforms can). Each run is a new process:
its wall clock from start to end (Python, the imports and the work: what an officer waits for), the
work alone timed inside it, its CPU time and its peak memory. ``--before PYTHON`` runs the same in an
environment holding an older caseforms, alternating in the same rounds.

Targets: 10,000 rows under 3.5 s and 400 MiB; 2,000 rows under 1.2 s as a new process.
Run: python bench/bench_papers.py [--rows 2000 10000] [--rounds 5] [--before PYTHON]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Run, peak_mib, run, spread


def work(rows: int, folder: Path) -> dict[str, float]:
    """Build the pack once; return seconds per step (wall clock), the total, its CPU time and the peak memory."""
    from caseforms.io.docx_render import compose, render, template_path
    from caseforms.papers import context, sample
    from caseforms.papers.fields import PACKS
    from caseforms.profile import load_profile

    timings: dict[str, float] = {}
    case = sample.full_case()
    case.chronology = sample.big_chronology(rows)
    profile = load_profile("kent")
    today = date(2025, 2, 10)
    start, cpu = time.perf_counter(), time.process_time()
    made = [render(template_path("pack_contents"),
                   context.pack_contents(case, profile, "rapid-review-meeting", today).context,
                   folder / "00_contents.docx")]
    timings["contents"] = time.perf_counter() - start
    for n, name in enumerate(PACKS["rapid-review-meeting"], 1):
        t = time.perf_counter()
        filled = context.build(name, case, profile, today)
        made.append(render(template_path(name), filled.context, folder / f"{n:02}_{name}.docx"))
        timings[name] = time.perf_counter() - t
    t = time.perf_counter()
    # The documents just rendered where this caseforms keeps them (as `caseforms papers` does), else the files.
    compose([getattr(m, "document", None) or m.path for m in made], folder / "pack.docx")
    timings["compose"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    timings["total_cpu"] = time.process_time() - cpu
    timings["peak_mib"] = peak_mib()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="an interpreter whose caseforms is the code before the change")
    parser.add_argument("--work", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(work(args.work, Path(tmp))))
        return 0
    me = str(Path(__file__).resolve())
    for rows in args.rows:
        pythons = {"now": sys.executable, **({"before": args.before} if args.before else {})}
        runs: dict[str, list[Run]] = {k: [] for k in pythons}
        for n in range(args.rounds):
            for kind in (list(pythons) if n % 2 == 0 else list(reversed(pythons))):
                runs[kind].append(run([pythons[kind], me, "--work", str(rows)]))
            print(f"  {rows} rows, round {n + 1}: " + "; ".join(
                f"{k} {rs[-1].wall:.2f} s (work {rs[-1].report['total']:.2f} s)" for k, rs in runs.items()), flush=True)
        print(f"\nrapid-review-meeting pack, {rows:,} chronology rows: median (least–most) of {args.rounds} new processes")
        steps = [k for k in runs["now"][0].report if k not in ("total", "total_cpu", "peak_mib")]
        print(f"{'':24}" + "".join(f"{k:>26}" for k in runs))
        for step in steps:
            print(f"  {step:22}" + "".join(f"{spread([r.report[step] for r in rs]):>26}" for rs in runs.values()))
        for label, value in (("work (wall)", lambda r: r.report["total"]), ("work (CPU)", lambda r: r.report["total_cpu"]),
                             ("new process (wall)", lambda r: r.wall), ("new process (CPU)", lambda r: r.cpu)):
            print(f"  {label:22}" + "".join(f"{spread([value(r) for r in rs]):>26}" for rs in runs.values()))
        print(f"  {'peak memory':22}" + "".join(f"{spread([r.rss_mib for r in rs], 'MiB', 0):>26}" for rs in runs.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
