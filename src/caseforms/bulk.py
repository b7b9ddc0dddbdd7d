"""Bulk work: Python's cyclic garbage collector paused while a merge or a write makes millions of objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_work() -> Iterator[None]:
    """Pause the cyclic garbage collector for the work inside, and restore it as it was after.

    A merge of 50,000 rows makes a few million small objects (the cells read, the entries, xlsxwriter's
    record of each cell written) that all live until the work ends. The collector walks them again and
    again as they pile up, a fifth of the merge's time, and frees nothing: they are not garbage, and
    reference counting still frees whatever is dropped, as usual. Whatever cycles are left are collected
    when the collector runs next, after the work.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
