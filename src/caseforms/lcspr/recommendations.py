"""The LCSPR's signed-off recommendations as rows of the actions tracker, with their source.

LCSPR recommendations are monitored by the Learning and Improvement Group, and an LCSPR joins its
case matrix once the Executive has signed it off (000_44eed6501ae43eb6.txt: 4.2, 5.2): so the
recommendations go into the tracker only then, each as an action whose source is "LCSPR" and whose
recommendation names its number in the report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from caseforms.errors import NotSignedOff
from caseforms.papers.model import Recommendation


def tracker_rows(case_ref: str, recommendations: list[Recommendation], signed_off: date | None) -> list[dict[str, Any]]:
    """Return the tracker values of each recommendation (keys of caseforms.tracker.schema).

    Raises :class:`NotSignedOff` before sign-off: until then the recommendations may still change.
    """
    if signed_off is None:
        raise NotSignedOff(
            f"Case {case_ref}: the LCSPR report is not signed off yet (Cases sheet, 'LCSPR sign-off date'), so its "
            "recommendations may still change. Add them to the tracker once the Executive has signed it off."
        )
    rows = []
    for n, r in enumerate(recommendations, 1):
        number = r.number or str(n)
        action = r.action or r.recommendation or ""
        if not action.strip():
            continue
        rows.append({
            "recommendation": f"LCSPR recommendation {number}: {r.recommendation or action}",
            "action": action, "owner_agency": r.owner_agency, "lead": r.lead, "measure": r.measure,
            "due_date": r.due,
            "last_update": f"From the LCSPR report signed off on {signed_off:%d/%m/%Y}.",
        })
    return rows
