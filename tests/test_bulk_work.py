"""The merge and the master's write run with the cyclic garbage collector paused, and leave it as they found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from caseforms.chronology.merge import AgencyReturn, bulk_work, merge_returns
from caseforms.io.master_xlsx import write_master
from caseforms.io.returns import merge_return_files

FILES = Path(__file__).parent / "files" / "returns"
HEADER = ["Date", "Time", "Type of contact", "By whom", "Details of event", "Comments"]


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """Count the collector's runs (the generations it collected) while the test runs."""
    runs: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(seen)
    yield runs
    gc.callbacks.remove(seen)


def test_the_returns_are_read_and_merged_with_the_collector_paused() -> None:
    during: list[bool] = []
    merge_return_files([FILES], case_reference="KSCMP-2025-003", progress=lambda _: during.append(gc.isenabled()))
    assert during and not any(during)
    assert gc.isenabled()


def test_a_big_master_is_written_without_the_collector_walking_its_cells(tmp_path: Path, collections: list[int]) -> None:
    rows = [(n + 2, [f"{1 + n % 28:02d}/02/2025", "", "Visit", "Worker", f"Entry {n} details", "Comment"])
            for n in range(3000)]
    master = merge_returns([AgencyReturn("police.xlsx", "Chronology", 1, HEADER, rows, title_block=[["Agency:", "Police"]])],
                           today=date(2025, 6, 1))
    collections.clear()
    write_master(master, tmp_path / "Master chronology.xlsx")
    # 3,000 rows of cells written: hundreds of the collector's runs, were it not paused; a few, outside the writing.
    assert len(collections) < 20
    assert gc.isenabled()


def test_the_collector_is_restored_as_it_was_even_when_the_work_fails() -> None:
    with pytest.raises(ValueError), bulk_work():
        assert not gc.isenabled()
        raise ValueError("a return that cannot be read")
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk_work():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
