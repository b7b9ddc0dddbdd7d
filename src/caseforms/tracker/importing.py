"""Turn the actions agreed in a meeting into tracker rows: new IDs, no duplicates, nothing retyped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from caseforms.tracker.rules import LCSPR, RAPID_REVIEW

_PREFIX = {RAPID_REVIEW: "RR", LCSPR: "LC"}


def _same(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def new_tracker_rows(
    planned: Iterable[Mapping[str, Any]],
    existing: Iterable[Mapping[str, Any]],
    case_ref: str,
    source: str,
    today: date,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the tracker rows to add for ``planned`` actions, and what was skipped and why.

    An action already in the tracker for the same case (same wording) is skipped, so importing
    the same action plan twice adds nothing. New actions get IDs '<case>-RR01' (Rapid Review) or
    '<case>-LC01' (LCSPR), numbered after the case's existing ones; their date agreed is today.
    """
    existing = list(existing)
    known = {(_same(v.get("case_ref")), _same(v.get("action"))) for v in existing}
    ids = {_same(v.get("action_id")) for v in existing}
    prefix = f"{case_ref}-{_PREFIX.get(source, 'A')}"
    taken = [int(m.group(1)) for v in existing
             if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", str(v.get("action_id") or "").strip()))]
    next_number = max(taken, default=0) + 1
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for values in planned:
        action = str(values.get("action", "")).strip()
        if (_same(case_ref), _same(action)) in known:
            skipped.append(f"'{action[:60]}' is already in the tracker for {case_ref}")
            continue
        action_id = f"{prefix}{next_number:02d}"
        while _same(action_id) in ids:
            next_number += 1
            action_id = f"{prefix}{next_number:02d}"
        next_number += 1
        ids.add(_same(action_id))
        known.add((_same(case_ref), _same(action)))
        row = {"action_id": action_id, "case_ref": case_ref, "source": source, "created_date": today,
               "status": values.get("status") or "Not started"}
        for key in ("recommendation", "action", "owner_agency", "lead", "measure", "due_date", "evidence",
                    "last_update"):
            if values.get(key) not in (None, ""):
                row[key] = values[key]
        rows.append(row)
    return rows, skipped
