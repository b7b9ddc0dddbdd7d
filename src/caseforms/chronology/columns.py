"""The columns of an agency chronology return, and the many ways agencies head them.

The columns are those of the Lincolnshire chronology template (``004_6c96fbcaaedcbdc1.txt``,
Appendix F): Date, Source of information, Agency/Department, Name of subject(s), Type of contact,
By whom, Details of event, Comments/analysis of outcome; plus Time, which many agencies add.
Agencies rename, reorder and add columns; a heading is matched after normalising case, spacing
and punctuation, so "DATE OF EVENT", "Date of event:" and "date_of_event" are one heading.
A heading that matches nothing is kept as an extra column under its own name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from caseforms.cells import column_letter

#: Canonical key -> the heading the master uses (Appendix F wording, plus Time).
COLUMNS: dict[str, str] = {
    "date": "Date",
    "time": "Time",
    "source": "Source of information",
    "agency": "Agency/Department",
    "subjects": "Name of subject(s)",
    "contact_type": "Type of contact",
    "by_whom": "By whom",
    "details": "Details of event",
    "comments": "Comments/analysis of outcome",
}

#: Headings seen in returns, normalised (see :func:`normalise_heading`), for each canonical column.
HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "date of event", "event date", "date of contact", "contact date", "date of incident",
        "date of entry", "entry date", "date and time", "date time", "datetime", "date of event or contact",
        "date of activity", "activity date", "dates", "when", "date of episode", "date seen", "date recorded",
        "date dd mm yyyy", "date dd mm yy", "date of involvement", "occurrence date", "date of occurrence",
        "incident date", "consultation date", "date of consultation", "appointment date", "date of appointment",
        "date created", "created date", "date logged", "logged date", "record date", "date of record", "note date",
    ),
    "time": ("time", "time of event", "time of contact", "event time", "contact time", "time hh mm", "time 24hr",
             "time 24 hour", "approx time", "approximate time", "occurrence time", "time of occurrence",
             "incident time", "consultation time", "appointment time", "time logged"),
    "source": (
        "source of information", "source", "information source", "source of info", "source of record",
        "source record", "record source", "records", "record", "system", "source document", "source system",
        "information taken from", "where recorded", "recorded on",
    ),
    "agency": (
        "agency department", "agency", "department", "agency or department", "organisation", "organization",
        "service", "agency service", "team", "agency team", "service team", "organisation department",
        "provider", "agency name", "service area",
    ),
    "subjects": (
        "name of subject s", "name of subjects", "name of subject", "subject s", "subjects", "subject",
        "subject name", "names", "name s", "name", "person", "persons involved", "people involved", "who",
        "child family member", "family member", "individual", "individuals", "name of child or adult",
        "subject of entry", "person s involved", "patient", "patient name", "patient s name", "pupil", "pupil name",
        "student", "service user", "client", "client name", "young person", "child name", "name of child",
        "subject name s",
    ),
    "contact_type": (
        "type of contact", "contact type", "type", "contact", "event type", "type of event", "nature of contact",
        "type of involvement", "contact method", "method of contact", "category", "activity", "activity type",
        "type of activity", "episode type", "consultation", "consultation type", "type of consultation",
        "occurrence type", "type of occurrence", "incident type", "type of incident", "appointment type",
        "encounter type", "case note type", "note type", "method", "contact method type",
    ),
    "by_whom": (
        "by whom", "by who", "practitioner", "professional", "worker", "staff member", "staff", "completed by",
        "practitioner name", "professional involved", "practitioner role", "professional role",
        "name and role of practitioner", "name role of practitioner", "recorded by", "author", "officer",
        "practitioner s involved", "professionals involved", "staff involved", "seen by", "by whom name role",
        "clinician", "clinician name", "clinician s name", "officer name", "officer in case", "reporting officer",
        "social worker", "key worker", "health professional", "entered by", "created by", "logged by",
        "recorded by name role", "member of staff", "staff name",
    ),
    "details": (
        "details of event", "details", "event", "event details", "details of contact", "description",
        "description of event", "what happened", "narrative", "summary", "summary of event", "details of event contact",
        "details of involvement", "event description", "details of the event", "information", "entry",
        "detail", "details of incident", "key events", "summary of contact", "record of event", "occurrence details",
        "incident details", "notes", "case note", "case notes", "note", "consultation notes", "details of consultation",
    ),
    "comments": (
        "comments analysis of outcome", "comments analysis", "comments", "comment", "analysis", "analysis of outcome",
        "comments and analysis", "comment analysis", "outcome", "outcome analysis", "agency comment",
        "agency comments", "analysis comments", "reflection", "analysis reflection", "comments analysis of outcomes",
        "comments analysis of the outcome", "analysis of event", "practice comments", "learning", "outcome plan",
        "outcome and plan", "plan", "action taken", "actions taken", "action", "actions", "outcome action",
        "outcome actions", "response", "result", "management plan", "next steps", "outcome and action taken",
    ),
}

_LOOKUP: dict[str, str] = {variant: key for key, variants in HEADING_VARIANTS.items() for variant in variants}
_NON_WORD = re.compile(r"[^0-9a-z]+")

#: Last words of a heading that make it a reference number, not the column its first words name.
_IDENTIFIER_WORDS = frozenset(("id", "no", "number", "ref", "reference", "code", "urn", "nhs"))

#: The headings a return must show, at least, for its header row to be trusted.
MIN_RECOGNISED = 3


def normalise_heading(text: str) -> str:
    """Return a heading in lower case with punctuation and spacing reduced to single spaces."""
    return _NON_WORD.sub(" ", text.lower().replace("&", " and ")).strip()


@lru_cache(maxsize=4096)
def canonical_column(heading: str) -> str | None:
    """Return the canonical key a heading stands for, or None when it is an extra column.

    Exact variants first; then the text before a bracket ("Date (dd/mm/yyyy)"); then a heading
    that starts with a variant of two words or more ("Details of event and action taken").
    "Date of birth" stays an extra column: only listed date headings count.
    """
    norm = normalise_heading(heading)
    if not norm:
        return None
    if norm in _LOOKUP:
        return _LOOKUP[norm]
    # Guidance in brackets after the heading is common: compare the text before it.
    before_bracket = normalise_heading(re.split(r"[(\[]", heading, maxsplit=1)[0])
    if before_bracket in _LOOKUP:
        return _LOOKUP[before_bracket]
    if norm.rsplit(" ", 1)[-1] in _IDENTIFIER_WORDS:
        return None  # "Case note ID", "Occurrence number": a reference, whatever it starts with
    for variant, key in _LOOKUP.items():
        if " " in variant and norm.startswith(variant + " ") and not norm.startswith("date of birth"):
            return key
    return None


#: A partnership's own heading variants (profile ``[chronology_headings]``): normalised heading -> canonical key.
OwnHeadings = Mapping[str, str]


def own_headings(table: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Return a profile's ``[chronology_headings]`` table (key -> headings) as normalised heading -> key."""
    return {normalise_heading(h): key for key, headings in table.items() for h in headings if normalise_heading(h)}


def column_key(heading: str, own: OwnHeadings | None = None) -> str | None:
    """Return the canonical key of ``heading``: the partnership's own variants first, then caseforms' own."""
    if own:
        norm = normalise_heading(heading)
        if norm in own:
            return own[norm]
        before_bracket = normalise_heading(re.split(r"[(\[]", heading, maxsplit=1)[0])
        if before_bracket in own:
            return own[before_bracket]
    return canonical_column(heading)


@dataclass(frozen=True)
class ColumnMap:
    """How the columns of one return's table map onto the master.

    ``keys[i]`` is the canonical key of column ``i`` or None for an extra column; ``headings[i]``
    is the heading as the agency wrote it ("" when the heading cell is empty).
    """

    headings: tuple[str, ...]
    keys: tuple[str | None, ...]

    @property
    def recognised(self) -> list[str]:
        return [k for k in self.keys if k is not None]

    def index_of(self, key: str) -> int | None:
        try:
            return self.keys.index(key)
        except ValueError:
            return None

    def heading_of(self, index: int) -> str:
        """Return the heading of column ``index`` as the officer sees it, or its letter when blank."""
        if index < len(self.headings) and self.headings[index].strip():
            return self.headings[index].strip()
        return f"column {column_letter(index)}"


def map_headings(cells: Sequence[Any], own: OwnHeadings | None = None) -> ColumnMap:
    """Map one row of heading cells to canonical columns; the first of two same columns wins.

    A second "Comments" column is kept as an extra column under its own heading, never merged
    into the first: nothing the agency wrote is lost or mixed.
    """
    headings: list[str] = []
    keys: list[str | None] = []
    seen: set[str] = set()
    for cell in cells:
        text = cell if isinstance(cell, str) else ("" if cell is None else str(cell))
        key = column_key(text, own) if isinstance(cell, str) else None
        if key is not None and key in seen:
            key = None
        if key is not None:
            seen.add(key)
        headings.append(text)
        keys.append(key)
    # "Date/Time" or "Date and time" heads a column with both; a separate Time column may still follow.
    return ColumnMap(tuple(headings), tuple(keys))


def header_score(cells: Sequence[Any], own: OwnHeadings | None = None) -> int:
    """Return how many distinct canonical columns a row's cells name (0 when it cannot be a header).

    A row without a Date or a Details heading is not a chronology header however many other
    headings it has: instructions often mention "agency" and "type of contact" in a sentence.
    """
    keys = {column_key(c, own) for c in cells if isinstance(c, str) and len(c) <= 80}
    keys.discard(None)
    if "date" not in keys and "details" not in keys:
        return 0
    return len(keys)


def find_header_row(rows: Sequence[Sequence[Any]], look_in: int = 40, own: OwnHeadings | None = None) -> int | None:
    """Return the index of the row among the first ``look_in`` that best looks like the header, or None."""
    best, best_score = None, 0
    for i, row in enumerate(rows[:look_in]):
        score = header_score(row, own)
        if score > best_score:
            best, best_score = i, score
    return best if best_score >= MIN_RECOGNISED else None


