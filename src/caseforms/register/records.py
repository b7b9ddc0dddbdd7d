"""The register's records as plain Python: cases, people, agencies and meetings.

Values are keyed by the schema's column keys (``case["aware_date"]``); dates are ``date`` (or
``datetime`` when a time was typed), text is ``str``, empty cells are ``None``. Each record knows
the sheet row it came from, so a finding or a paper can point back to the cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforms.events import EVENTS
from caseforms.register.findings import Finding
from caseforms.register.schema import CASES, CHILD_ROLES, CLOSED_STATUSES, RegisterSchema

if TYPE_CHECKING:
    from caseforms.profile import Profile

Moment = date | datetime

#: The stages in the order a case reaches them along the pathway (the schema lists them in the order they were
#: added, a contract).
PATHWAY_ORDER = ("referral", "decided", "notified", "rr_decided", "panel_replied", "reconvened", "lcspr", "signed_off",
                 "published", "closed")


@dataclass
class Row:
    """One row of a register sheet: its values by column key and where it is."""

    sheet: str
    #: The Excel row number (1-based, as Excel shows it).
    row: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def filled(self, key: str) -> bool:
        return self.values.get(key) not in (None, "")


@dataclass
class Person(Row):
    @property
    def case_ref(self) -> str | None:
        return self["case_ref"]


@dataclass
class Agency(Row):
    @property
    def name(self) -> str | None:
        return self["agency"]


@dataclass
class Meeting(Row):
    @property
    def case_ref(self) -> str | None:
        return self["case_ref"]


@dataclass
class Case(Row):
    people: list[Person] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return str(self.get("case_ref", ""))

    @property
    def is_open(self) -> bool:
        return self["status"] not in CLOSED_STATUSES and not self.filled("closed_date")

    def events(self, schema: RegisterSchema) -> dict[str, Moment]:
        """Return the case's events by the fixed keys of :mod:`caseforms.events`, for the timetable."""
        out: dict[str, Moment] = {}
        for key, column in schema.event_columns().items():
            value = self[column.key]
            if isinstance(value, date) and key in EVENTS:
                out[key] = value
        return out

    def flags(self, schema: RegisterSchema) -> set[str]:
        """Return the case flags (homicide, unexpected_death...) its columns set, and 'notifying'.

        'notifying' is worked out, not typed: the decision is to notify the National Panel, or the
        notification is recorded.
        """
        flags = {c.flag for c in schema.cases.columns if c.flag and self[c.key] == c.flag_value}
        if self["decision"] == notify_decision(schema) or self.filled("notified_date"):
            flags.add("notifying")
        return flags

    def stages(self, schema: RegisterSchema) -> list[str]:
        """Return the stages the case has reached, from what its row records.

        A stage is reached when the row shows it happened, not from the Status column, which
        officers update last.
        """
        notify = notify_decision(schema)
        reached = {"referral"}
        if self.filled("decision_date"):
            reached.add("decided")
        if self["decision"] == notify or self.filled("notified_date"):
            reached.add("notified")
        if self.filled("rr_decision_date"):
            reached.add("rr_decided")
        if is_lcspr(self["rr_outcome"]) or self.filled("lcspr_decision_date"):
            reached.add("lcspr")
        if self.filled("publication_date"):
            reached.add("published")
        if self.filled("panel_response_date") or self.filled("panel_view"):
            reached.add("panel_replied")
        if self.filled("rr_reconvened_date"):
            reached.add("reconvened")
        if self.filled("signoff_date"):
            reached.add("signed_off")
        if self["status"] == "Closed" or self.filled("closed_date"):
            reached.add("closed")
        return [s for s in PATHWAY_ORDER if s in reached]

    def children(self) -> list[Person]:
        """Return the subject children of the case (the People rows with a child's role)."""
        return [p for p in self.people if p["role"] in CHILD_ROLES]


def notify_decision(schema: RegisterSchema) -> str:
    """Return the decision that means "notify the National Panel": the first of the profile's decisions."""
    decisions = schema.lists.get("decisions", [])
    return decisions[0] if decisions else "Notify the National Panel"


def is_lcspr(outcome: Any) -> bool:
    return isinstance(outcome, str) and outcome.strip().upper().startswith("LCSPR")


@dataclass
class Register:
    """A case register as read from its workbook: the records, the profile, and where each cell is."""

    profile_name: str
    schema: RegisterSchema
    cases: list[Case] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    path: Path | None = None
    #: The column letter of each schema column found, by sheet then key.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Problems met while reading (missing sheets, renamed headers, text in date cells...).
    problems: list[Finding] = field(default_factory=list)
    #: Cells whose value could not be read as its type: checks skip them, the reading finding says why.
    unreadable: set[tuple[str, int, str]] = field(default_factory=set)
    #: Records of sheets added to the schema after these four (a returns log...), by sheet name.
    other: dict[str, list[Row]] = field(default_factory=dict)
    #: Closure days the officer added on the Bank holidays sheet, beyond the profile's own.
    closure_days: set[date] = field(default_factory=set)
    #: The profile the register was read with (a partnership's own .toml file cannot be found again by name).
    profile: Profile | None = None

    def cell(self, sheet: str, row: int, key: str) -> str:
        """Return the A1 reference of a record's column ("H7"), or the row alone ("7") when the column is missing."""
        letter = self.columns.get(sheet, {}).get(key)
        return f"{letter}{row}" if letter else f"A{row}"

    def case(self, ref: str) -> Case | None:
        for c in self.cases:
            if c.ref == ref:
                return c
        return None

    def open_cases(self) -> list[Case]:
        return [c for c in self.cases if c.is_open]

    @property
    def has_cases_sheet(self) -> bool:
        return CASES in self.columns


def _folded(value: Any) -> str:
    """Return a key cell as compared: only its letters and digits, case aside ("Health  visiting" = "health-visiting")."""
    return "".join(ch for ch in str(value or "").casefold() if ch.isalnum())


def rows_to_write(existing: Iterable[tuple[int, Sequence[Any]]], records: Sequence[Mapping[str, Any]],
                  key: Sequence[str]) -> list[int]:
    """Return the sheet row each of ``records`` goes in: the row already holding its key, else a new one.

    ``existing`` gives each row below the headings with its key cells, in ``key``'s order. A record
    whose key is not there goes below the last row with a key (then the next, and so on), so the
    officer's other rows and notes are never written over.
    """
    placed: dict[tuple[str, ...], int] = {}
    last = 1
    for row, cells in existing:
        ident = tuple(_folded(c) for c in cells)
        if any(ident):
            placed.setdefault(ident, row)
            last = row
    rows = []
    for record in records:
        ident = tuple(_folded(record.get(k)) for k in key)
        if ident not in placed:
            last += 1
            placed[ident] = last
        rows.append(placed[ident])
    return rows
