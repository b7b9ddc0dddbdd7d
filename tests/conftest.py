"""Settings every test shares."""

from __future__ import annotations

import os

# xlwings' remote engine (tests/excel_fixtures.py) is part of xlwings PRO, free for noncommercial use under the
# PolyForm Noncommercial licence, which covers government bodies such as the partnerships. It must be set before
# xlwings is first imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
