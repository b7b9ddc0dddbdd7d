"""Benchmark: `caseforms demo`, the whole folder from nothing, as an officer runs it, before and after.

Each run is a new process (`python -m caseforms demo DIR`: start-up, imports and the whole job) into a
new folder, offline, without LibreOffice. ``--before PYTHON`` runs the same with an older caseforms,
alternating in the same rounds; wall clock, CPU time and peak memory of each.

Target: under 4 s.
Run: python bench/bench_demo.py [--rounds 5] [--before PYTHON]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Run, run, spread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="an interpreter whose caseforms is the code before the change")
    args = parser.parse_args(argv)
    pythons = {"now": sys.executable, **({"before": args.before} if args.before else {})}
    runs: dict[str, list[Run]] = {k: [] for k in pythons}
    files = 0
    with tempfile.TemporaryDirectory(prefix="caseforms-bench-demo-") as tmp:
        for n in range(args.rounds):
            for kind in (list(pythons) if n % 2 == 0 else list(reversed(pythons))):
                folder = Path(tmp) / f"{kind} {n}"
                runs[kind].append(run([pythons[kind], "-m", "caseforms", "demo", str(folder)]))
                files = sum(1 for p in folder.rglob("*") if p.is_file())
            print(f"  round {n + 1}: " + "; ".join(f"{k} {rs[-1].wall:.1f} s ({rs[-1].cpu:.1f} s CPU)"
                                                  for k, rs in runs.items()), flush=True)
    print(f"\ncaseforms demo ({files} files), a new process each: median (least–most) of {args.rounds}")
    print(f"{'':10}{'wall':>24}{'CPU':>24}{'peak memory':>26}")
    for kind, rs in runs.items():
        print(f"{kind:10}{spread([r.wall for r in rs], digits=1):>24}{spread([r.cpu for r in rs], digits=1):>24}"
              f"{spread([r.rss_mib for r in rs], 'MiB', 0):>26}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
