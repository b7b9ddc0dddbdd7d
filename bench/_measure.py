"""Measure a command as a new process: wall time, CPU time and peak memory, and summarise rounds of them.

The machine the figures are taken on has 2 cores shared with other work, so wall-clock time swings
with the load; CPU time (user + system of the process, from ``os.wait4``) swings much less. Each
bench runs the code before and after a change in the same rounds, alternating, so both meet the
same load, and reports the median and the range of each.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Run:
    """One process: seconds of wall clock and of CPU, peak resident memory in MiB, and what it printed as JSON."""

    wall: float
    cpu: float
    rss_mib: float
    report: dict[str, Any] = field(default_factory=dict)


def run(command: Sequence[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Run:
    """Run ``command`` as a new process and measure it; its last line of output, when JSON, is kept as the report."""
    started = time.perf_counter()
    process = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    out, err = b"", b""
    # wait4 gives the child's own CPU time and peak memory (getrusage(RUSAGE_CHILDREN) would add up every child).
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.stderr.write(err.decode(errors="replace"))
        raise subprocess.CalledProcessError(process.returncode, list(command), out, err)
    report: dict[str, Any] = {}
    lines = out.decode(errors="replace").strip().splitlines()
    if lines and lines[-1].startswith("{"):
        report = json.loads(lines[-1])
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, report)


def spread(values: Sequence[float], unit: str = "s", digits: int = 2) -> str:
    """Return "median (least–most)" of some figures."""
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.{digits}f} {unit}"
    return f"{statistics.median(values):.{digits}f} {unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def peak_mib() -> float:
    """Return this process's peak resident memory so far, in MiB."""
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024 if sys.platform == "darwin" else 1024)
