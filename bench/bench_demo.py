"""Benchmark: `caseforms demo`, the whole folder from nothing, as an officer runs it.

Target: under 30 s, offline, without LibreOffice. Timed twice in-process (the second run replaces
the first with --force, as a second try does) and once as a new process, which adds the start-up
and the imports.
Run: python bench/bench_demo.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from caseforms.cli import main as caseforms


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="caseforms-bench-demo-") as tmp:
        folder = Path(tmp) / "caseforms demo"
        for attempt, extra in enumerate(([], ["--force"]), start=1):
            started = time.perf_counter()
            with redirect_stdout(io.StringIO()):
                assert caseforms(["demo", str(folder), *extra]) == 0
            print(f"in-process, run {attempt}{' (--force)' if extra else ''}: {time.perf_counter() - started:.1f} s")
        files = sum(1 for p in folder.rglob("*") if p.is_file())
        print(f"{files} files made")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "caseforms", "demo", str(Path(tmp) / "second")], check=True,
                       capture_output=True)
        print(f"new process (python -m caseforms demo): {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
