"""Benchmark: full timetables for 10,000 cases, and the start-up time of `caseforms --help`.

Targets (issue "Foundation and the statutory deadline engine"): 10,000 timetables under 1 s;
`caseforms --help` under 0.3 s, since every click in Excel starts a fresh Python.

Run: python bench/bench_deadlines.py
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

from caseforms.deadlines import timetable
from caseforms.profile import available_profiles, load_profile

CASES = 10_000


def make_cases(n: int, seed: int = 7) -> list[dict[str, date]]:
    """Return ``n`` cases at every stage, with event dates spread over 2019-2030."""
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        incident = date(2019, 1, 1) + timedelta(days=rng.randrange(12 * 365))
        events = {"incident": incident}
        aware = incident + timedelta(days=rng.randrange(0, 10))
        events["aware"] = aware
        events["referral"] = aware + timedelta(days=rng.randrange(0, 3))
        stage = rng.random()
        if stage > 0.2:
            events["notified"] = aware + timedelta(days=rng.randrange(1, 9))
        if stage > 0.5:
            events["rr_meeting"] = events["notified"] + timedelta(days=rng.randrange(10, 20))
            events["rr_decision"] = events["rr_meeting"] + timedelta(days=rng.randrange(0, 4))
        if stage > 0.75:
            events["lcspr_decision"] = events["rr_decision"] + timedelta(days=rng.randrange(0, 30))
        if stage > 0.9:
            events["publication"] = events["lcspr_decision"] + timedelta(days=rng.randrange(150, 250))
        cases.append(events)
    return cases


def bench_timetables() -> None:
    cases = make_cases(CASES)
    today = date(2026, 11, 22)
    for name in available_profiles():
        profile = load_profile(name)
        profile.calendar  # noqa: B018 - build the working-day index outside the timing, once per profile
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            rows = 0
            for events in cases:
                rows += len(timetable(profile, events, today))
            timings.append(time.perf_counter() - start)
        print(f"{CASES:,} timetables, profile {name:<12} {min(timings):.3f} s best of 3 ({rows:,} milestone rows)")


def bench_startup(runs: int = 15) -> None:
    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    bare = median([sys.executable, "-c", "pass"])
    help_ = median([sys.executable, "-m", "caseforms", "--help"])
    workdays = median([sys.executable, "-m", "caseforms", "workdays", "2024-12-20", "5"])
    print(f"python -c pass               {bare:.3f} s (median of {runs})")
    print(f"caseforms --help             {help_:.3f} s")
    print(f"caseforms workdays DATE 5    {workdays:.3f} s (loads holidays and builds the index)")


if __name__ == "__main__":
    bench_timetables()
    bench_startup()
