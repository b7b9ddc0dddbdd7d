"""Benchmark: `caseforms chronology request` for a case with six agencies, as a new process, before and after.

The working folder is the demo's (`caseforms demo`, made once): its Rapid Review case involves six
agencies. Each run writes the six request packs (a pre-filled workbook, a letter and an e-mail draft
each) into a new folder (--out, --no-log: the register is left as it is), as the officer's command
does: Python starting, the imports, reading the register, writing 18 files through the write guard.
``--before PYTHON`` runs the same command with an older caseforms, alternating in the same rounds.

Target: under 0.8 s.
Run: python bench/bench_request_pack.py [--rounds 7] [--before PYTHON]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Run, run, spread

TODAY = "2026-03-02"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", help="an interpreter whose caseforms is the code before the change")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="caseforms-bench-requests-") as tmp:
        folder = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "caseforms", "demo", str(folder), "--today", TODAY], check=True,
                       capture_output=True)
        # The case whose requests went to six agencies.
        case = next(p.name for p in sorted((folder / "cases").iterdir())
                    if len(list((p / "requests").glob("*.xlsx"))) == 6)
        pythons = {"now": sys.executable, **({"before": args.before} if args.before else {})}
        runs: dict[str, list[Run]] = {k: [] for k in pythons}
        for n in range(args.rounds):
            for kind in (list(pythons) if n % 2 == 0 else list(reversed(pythons))):
                out = Path(tmp) / f"{kind} {n}"
                runs[kind].append(run([pythons[kind], "-m", "caseforms", "chronology", "request",
                                       str(folder / "register.xlsx"), "--case", case, "--out", str(out), "--no-log",
                                       "--today", TODAY]))
                assert len(list(out.glob("*.xlsx"))) == 6, f"{kind}: six workbooks expected in {out}"
            print(f"  round {n + 1}: " + "; ".join(f"{k} {rs[-1].wall:.2f} s" for k, rs in runs.items()), flush=True)
    print(f"\ncaseforms chronology request, six agencies (18 files), a new process each: median (least–most) of "
          f"{args.rounds}")
    print(f"{'':14}{'wall':>24}{'CPU':>24}{'peak memory':>26}")
    for kind, rs in runs.items():
        print(f"{kind:14}{spread([r.wall for r in rs]):>24}{spread([r.cpu for r in rs]):>24}"
              f"{spread([r.rss_mib for r in rs], 'MiB', 0):>26}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
