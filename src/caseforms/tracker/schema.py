"""The tracker workbook's one schema: the Actions sheet, its dropdowns and computed columns.

It uses the register's column and sheet types, so the tracker follows the register's Excel
conventions (a real table, dropdowns, dates validated as dates) and is read back the same way.
Column keys are a contract: the rules in :mod:`caseforms.tracker.rules` and the papers read them.
"""

from __future__ import annotations

from caseforms.profile import Profile
from caseforms.register.schema import CHOICE, COMPUTED, DATE, TEXT, Column, RegisterSchema, Sheet
from caseforms.tracker.rules import RAGS, SOURCES

ACTIONS = "Actions"
BY_AGENCY = "By agency"
TRACKER_FILE = "tracker.xlsx"

#: Lists the tracker adds to the profile's own.
TRACKER_LISTS: dict[str, list[str]] = {"action_sources": list(SOURCES), "rags": list(RAGS)}


def _date(key: str, header: str, note: str = "") -> Column:
    return Column(key, header, DATE, 13, note=note)


_ACTIONS = (
    Column("action_id", "Action ID", TEXT, 11, note="A short reference unique in the tracker, e.g. RR14-03."),
    Column("case_ref", "Case reference", TEXT, 16, note="As in the register."),
    Column("source", "Source", CHOICE, 14, "action_sources", note="Rapid Review action plan or LCSPR recommendation."),
    Column("recommendation", "Recommendation / learning point", TEXT, 34),
    Column("action", "Action", TEXT, 40, note="What will be done (SMART: specific)."),
    Column("owner_agency", "Owner agency", TEXT, 22, note="The agency responsible. Required."),
    Column("lead", "Named lead", TEXT, 18, note="The person who will make sure it is done (SMART: achievable)."),
    Column("measure", "Evidence expected", TEXT, 30, note="What will show it is complete (SMART: measurable)."),
    _date("created_date", "Date agreed"),
    _date("due_date", "Due date", "SMART: timed. Required."),
    Column("status", "Status", CHOICE, 18, "action_statuses"),
    _date("last_update_date", "Last update date"),
    Column("last_update", "Last update", TEXT, 34),
    Column("evidence", "Evidence of completion", TEXT, 30, note="Required before sign-off."),
    Column("signed_off_by", "Signed off by", TEXT, 18),
    _date("signed_off_date", "Signed off on"),
    Column("rag", "BRAG", COMPUTED, 10,
           note="Worked out by caseforms: Blue complete, Green on track, Amber at risk, Red overdue."),
    Column("rag_reason", "Why", COMPUTED, 34, note="Worked out by caseforms."),
    Column("notes", "Notes", TEXT, 24),
)


def tracker_schema(profile: Profile) -> RegisterSchema:
    """Return the tracker's schema for ``profile`` (its action statuses come from the profile).

    It is a :class:`RegisterSchema` with one record sheet, so the register's workbook builder and
    reader serve the tracker too.
    """
    lists = {**TRACKER_LISTS, "action_statuses": list(profile.lists.get("action_statuses", []))}
    sheet = Sheet(ACTIONS, "Actions", "One row per action of a Rapid Review action plan or an LCSPR.", _ACTIONS, rows=400)
    return RegisterSchema(profile.name, (sheet,), lists, profile.due_soon_working_days, workbook="tracker")
