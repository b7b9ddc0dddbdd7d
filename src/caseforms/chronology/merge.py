"""Merge the agencies' chronology returns into one master chronology.

The promise to the officer, in the order it is kept:

1. **Nothing lost.** Every non-empty row of every merged return is one entry of the master,
   exactly once; ``rows_read == rows_merged`` unless a whole return was left out, and then a
   finding says which and why (another case's chronology, a master made earlier by caseforms).
2. **Text as written.** Every cell's text is copied character for character; the date is read
   into a real date *beside* the agency's own text ("Date as written"), never instead of it.
3. **Order.** Dated entries by date and time (an approximate "Feb 2025" before the exact dates of
   1 February; untimed before timed on a day; ties in return and row order); then undated
   entries and entries dated in the future (a mistyped year), flagged, in return and row order.
4. **Scope.** Entries before ``scope_from`` stay, flagged as background; after ``scope_to``
   stay, flagged.
5. **Corroboration.** Entries of different agencies on the same day with a matching type of
   contact (at times no more than an hour apart, when both give one) or similar details are
   linked to each other, never merged or removed.

Each return is one agency's: which one is told once per file (see :mod:`caseforms.chronology.agencies`),
whatever its Agency/Department column says, which stays the department of each entry.

The core works on plain values (str, numbers, dates, times) that an adapter has read: see
``caseforms.io.returns`` for the files and ``caseforms.io.master_xlsx`` for the workbook.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import reduce
from itertools import pairwise
from operator import itemgetter, or_
from typing import Any

from caseforms.chronology.agencies import (
    OFFICER_FILES,
    AgencyDirectory,
    Evidence,
    Identification,
    identify,
    unidentified_label,
)
from caseforms.chronology.columns import COLUMNS, OwnHeadings, map_headings, normalise_heading
from caseforms.chronology.english_dates import EntryDate, read_entry_date
from caseforms.chronology.findings import (
    FLAG_AFTER_SCOPE,
    FLAG_BACKGROUND,
    FLAG_CHECK_DATE,
    FLAG_DATE_NOT_READ,
    FLAG_FUTURE,
    FLAG_NO_DATE,
    SEVERITY_ORDER,
    Finding,
    Severity,
)
from caseforms.chronology.summaries import AgencySummary

#: The master's fixed headings before the extra columns of the returns.
LEADING_HEADINGS: tuple[str, ...] = (
    "Entry", "Date", "Time", "Agency", *(COLUMNS[k] for k in COLUMNS if k not in ("date", "time"))
)
#: The master's fixed headings after the extra columns.
TRAILING_HEADINGS: tuple[str, ...] = (
    "Date as written", "Time as written", "Also recorded by", "Flags", "Source file", "Source sheet", "Source row",
    # The officer's own column (issue 21): a label typed here makes the entry a key episode on the timeline. Carried
    # into the next merge of the case (caseforms.io.master_xlsx.carry_key_episodes).
    KEY_EPISODE := "Key episode",
)
#: A title block's cell of more words than this is a sentence (instructions), not a heading naming the sender.
_HEADING_WORDS = 8
#: The most characters an Excel cell holds (the master is an Excel workbook).
EXCEL_CELL_LIMIT = 32_767
#: The links of an entry kept by number: those the sheet shows ("Also recorded by"); the rest are counted.
LINKS_KEPT = 8
#: The text columns of a return, in master order (everything but Date and Time).
TEXT_KEYS: tuple[str, ...] = tuple(k for k in COLUMNS if k not in ("date", "time"))

_WORD = re.compile(r"[a-z0-9']+")
_STOPWORDS = frozenset(
    (
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has", "have", "he", "her", "him",
        "his", "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the", "their",
        "them", "they", "this", "to", "was", "were", "with", "who", "which", "not", "no", "yes",
    )
)


@dataclass
class AgencyReturn:
    """One agency's chronology table as an adapter read it from its file.

    ``rows`` are ``(row_number, cells)`` with the row numbered as in the file (1 = the first row
    of the sheet), empty rows included or not; ``title_block`` holds the rows above the header,
    and ``cover`` the first rows of the file's other sheets (a cover sheet, instructions), where
    a case reference or the agency's name is written.
    """

    file: str
    sheet: str
    header_row: int
    header: Sequence[Any]
    rows: Sequence[tuple[int, Sequence[Any]]]
    title_block: Sequence[Sequence[Any]] = ()
    #: The path as given, for the Summary; ``file`` (the name) is what messages show.
    path: str = ""
    #: The first rows of the file's sheets that hold no table: the same on every table read from one file.
    cover: Sequence[Sequence[Any]] = ()
    #: The case and agency named by caseforms' hidden identification, when the file is a request workbook.
    identified_case: str | None = None
    identified_agency: str | None = None
    #: The file's sheets that were not read, and why: the same on every table read from one file.
    other_sheets: Sequence[tuple[str, str]] = ()
    #: The answers on the file's Agency summary sheet, when it has one (on the first table of the file).
    summary: AgencySummary | None = None


@dataclass
class MasterEntry:
    """One row of the master chronology: an agency's row, read, placed and flagged."""

    when: EntryDate
    agency: str
    #: Canonical key (see columns.COLUMNS) -> the cell's text exactly as written; "" when absent.
    cells: dict[str, str]
    #: Extra column heading (as in the master) -> text as written.
    extras: dict[str, str]
    date_text: str
    time_text: str
    source_file: str
    source_sheet: str
    source_row: int
    return_index: int
    flags: list[str] = field(default_factory=list)
    #: Entry numbers of other agencies' entries that may record the same event: the first LINKS_KEPT of them.
    linked: list[int] = field(default_factory=list)
    #: How many entries in all may record the same event (``linked`` holds the first few).
    links: int = 0
    number: int = 0
    background: bool = False
    after_scope: bool = False
    #: True when the date is in the future: kept and flagged, placed with the undated entries.
    future: bool = False
    #: The officer's label when they tagged the entry as a key episode in the master.
    key_episode: str = ""

    @property
    def details(self) -> str:
        return self.cells.get("details", "")

    @property
    def date_trusted(self) -> bool:
        """Return True when the entry's date can be used for anything worked out: a real day, not flagged.

        A date that is only a month or a year, one read with a note (a two-digit year, a period, a
        hedge), one in the future, or one outside the scope period, stays on its entry but is never a
        first or last date, an involvement period or a count.
        """
        when = self.when
        return (when.day is not None and when.precision == "day" and not when.note and not self.future
                and not self.background and not self.after_scope)


@dataclass
class ReturnSummary:
    """What became of one return: how many rows, which dates, merged or why not."""

    file: str
    sheet: str | None
    agency: str | None
    header_row: int | None = None
    case_reference: str | None = None
    rows_read: int = 0
    rows_merged: int = 0
    undated: int = 0
    background: int = 0
    after_scope: int = 0
    first_date: date | None = None
    last_date: date | None = None
    recognised: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    merged: bool = True
    reason: str | None = None
    #: How the agency was told ("the request workbook's identification"), or why it could not be.
    identified_by: str = ""


@dataclass
class MasterChronology:
    """The master: entries in order, what each return gave, and every finding."""

    entries: list[MasterEntry]
    findings: list[Finding]
    returns: list[ReturnSummary]
    extra_headings: list[str]
    case_reference: str | None = None
    scope_from: date | None = None
    scope_to: date | None = None
    agencies: list[str] = field(default_factory=list)
    #: The agencies' summaries of involvement received with the returns, each with its agency told.
    summaries: list[AgencySummary] = field(default_factory=list)
    #: The case's incident, when the register records it: marked on the master's timeline.
    incident: date | None = None

    @property
    def rows_read(self) -> int:
        return sum(r.rows_read for r in self.returns)

    @property
    def rows_merged(self) -> int:
        return len(self.entries)

    @property
    def date_range(self) -> tuple[date | None, date | None]:
        """Return the first and last dates of the entries whose date can be trusted (see MasterEntry.date_trusted)."""
        days = [e.when.day for e in self.entries if e.date_trusted and e.when.day is not None]
        return (min(days), max(days)) if days else (None, None)

    def headings(self) -> list[str]:
        """Return the master's header row."""
        return [*LEADING_HEADINGS, *self.extra_headings, *TRAILING_HEADINGS]

    def table(self) -> list[list[Any]]:
        """Return the entries as rows of values under :meth:`headings`: dates and times as such, text as written."""
        return [self.row_values(e) for e in self.entries]

    def row_values(self, e: MasterEntry) -> list[Any]:
        return [
            e.number,
            e.when.day,
            e.when.time,
            e.agency,
            *(e.cells.get(k, "") for k in TEXT_KEYS),
            *(e.extras.get(h, "") for h in self.extra_headings),
            e.date_text,
            e.time_text,
            linked_text(e, self.entries),
            "; ".join(e.flags),
            e.source_file,
            e.source_sheet,
            e.source_row,
            e.key_episode,
        ]

    def issues(self) -> list[dict[str, object]]:
        return [f.to_dict() for f in self.findings]

    def counts(self) -> Counter[str]:
        """Return how many findings of each severity."""
        return Counter(f.severity for f in self.findings)


def linked_text(entry: MasterEntry, entries: Sequence[MasterEntry], most: int = LINKS_KEPT) -> str:
    """Return "entry 12 (Police); entry 15 (Health)" for the entries linked to ``entry`` (the first ``most``)."""
    text = "; ".join(f"entry {n} ({entries[n - 1].agency})" for n in entry.linked[:most])
    total = max(entry.links, len(entry.linked))
    if total > most:
        text += f"; and {total - most} more"
    return text


def merge_returns(
    returns: Sequence[AgencyReturn],
    *,
    scope_from: date | None = None,
    scope_to: date | None = None,
    case_reference: str | None = None,
    findings: Iterable[Finding] = (),
    today: date | None = None,
    directory: AgencyDirectory | None = None,
    summaries: Sequence[AgencySummary] = (),
    own_headings: OwnHeadings | None = None,
) -> MasterChronology:
    """Merge agency returns into one master chronology, flagging, never dropping.

    ``findings`` are what the adapter found while reading (unreadable files) and are kept in the
    master's list. ``case_reference``: returns whose title block names another case are left out
    with an error (another child's chronology must not reach this case's papers). ``directory``
    is the register's Agencies sheet (and the officer's Returns log), against which each file's
    agency is told (see :mod:`caseforms.chronology.agencies`); the tables read from the sheets of
    one file are one return of one agency. ``summaries`` are the agency summaries sent as
    documents of their own; those on a request workbook's sheet come on its return.
    """
    today = today or date.today()
    all_findings = list(findings)
    summaries_out: list[AgencySummary] = []
    results: list[ReturnSummary] = []
    entries: list[MasterEntry] = []
    extra_headings: dict[str, str] = {}  # casefolded -> heading as shown
    wanted_ref = _ref_key(case_reference) if case_reference else None
    refs_seen: dict[str, list[int]] = defaultdict(list)
    unidentified = 0

    index = 0
    for file_returns in _by_file(returns):
        first = file_returns[0]
        identification = identify_return(file_returns, directory, own_headings)
        agency = identification.agency
        if agency is None:
            unidentified += 1
            agency = unidentified_label(unidentified)
        file_findings = _identification_findings(first, identification, agency, directory, case_reference)
        case_ref = case_reference_of(file_returns)
        merged_any = False
        for ret in file_returns:
            summary, new_entries, new_findings = _merge_one(
                index, ret, agency, case_ref, wanted_ref, case_reference, scope_from, scope_to, today, extra_headings,
                own_headings,
            )
            summary.identified_by = identification.how or "not identified"
            results.append(summary)
            entries.extend(new_entries)
            all_findings.extend(new_findings)
            merged_any = merged_any or summary.merged
            if summary.case_reference and summary.merged:
                refs_seen[_ref_key(summary.case_reference)].append(len(results) - 1)
            index += 1
        if merged_any and not any(r.rows_merged for r in results[-len(file_returns):]):
            tables = " and ".join(f"{'sheet ' + r.sheet + ', ' if r.sheet else ''}row {r.header_row}"
                                  for r in results[-len(file_returns):])
            all_findings.append(Finding(
                first.file, None, None, None, "warning",
                f"The table under the headings ({tables}) is empty: nothing to merge from this return. Check it is "
                "the completed return and not the blank template.", "return_empty"))
        if merged_any:
            all_findings.extend(file_findings)
            all_findings.extend(_sheets_finding(file_returns))
            if first.summary is not None and first.summary.answered:  # a summary sheet left blank is no summary
                first.summary.agency = agency
                summaries_out.append(first.summary)

    for document in summaries:
        if wanted_ref is not None and document.case_reference and _ref_key(document.case_reference) != wanted_ref:
            all_findings.append(Finding(
                document.file, None, None, None, "error",
                f"Not read: this agency summary names case reference '{document.case_reference}', but this merge is "
                f"for '{case_reference}'. It may be about another child: check with the agency.", "other_case"))
            continue
        told = identify(document.evidence or Evidence(document.file), directory)
        if told.agency is None:
            unidentified += 1
        document.agency = told.agency or unidentified_label(unidentified)
        summaries_out.append(document)
        if told.agency is None or told.outside_directory:
            all_findings.extend(_identification_findings(
                AgencyReturn(document.file, "", 0, (), ()), told, document.agency, directory, case_reference,
                what="agency summary"))

    if wanted_ref is None and len(refs_seen) > 1:
        named = "; ".join(
            f"{results[ix[0]].case_reference} ({', '.join(dict.fromkeys(results[i].file for i in ix))})"
            for ix in refs_seen.values()
        )
        for ix in refs_seen.values():
            for i in ix:
                all_findings.append(
                    Finding(results[i].file, results[i].sheet, None, None, "error",
                            f"The returns name different case references: {named}. Check each is for this case, "
                            "then merge again with --case REF to leave out any that is not.", "case_reference_mixed")
                )

    entries.sort(key=lambda e: ((10**7, 0, 0, 0) if e.future else e.when.sort_key(), e.return_index, e.source_row))
    for number, entry in enumerate(entries, start=1):
        entry.number = number
    _link_corroborating(entries)

    agencies: list[str] = []
    for e in entries:
        if e.agency not in agencies:
            agencies.append(e.agency)
    order = {s.file: i for i, s in enumerate(results)}
    all_findings.sort(key=lambda f: (order.get(f.file, -1), f.row or 0, SEVERITY_ORDER[f.severity]))
    return MasterChronology(
        entries=entries,
        findings=all_findings,
        returns=results,
        extra_headings=list(extra_headings.values()),
        case_reference=case_reference,
        scope_from=scope_from,
        scope_to=scope_to,
        agencies=agencies,
        summaries=summaries_out,
    )


def _by_file(returns: Sequence[AgencyReturn]) -> list[list[AgencyReturn]]:
    """Return the tables grouped by the file they were read from, in the order given."""
    groups: dict[str, list[AgencyReturn]] = {}
    for ret in returns:
        groups.setdefault(ret.path or ret.file, []).append(ret)
    return list(groups.values())


def identify_return(tables: Sequence[AgencyReturn], directory: AgencyDirectory | None,
                    own: OwnHeadings | None = None) -> Identification:
    """Return which agency the tables read from one file are from: the merge's own answer, for status and papers."""
    return identify(_evidence(tables, own), directory)


def case_reference_of(tables: Sequence[AgencyReturn]) -> str | None:
    """Return the case the tables read from one file name: its hidden identification, else its title block or cover."""
    if not tables:
        return None
    first = tables[0]
    return first.identified_case or title_block_facts([*first.title_block, *first.cover]).get("case_reference")


def _evidence(tables: Sequence[AgencyReturn], own: OwnHeadings | None) -> Evidence:
    """Return what a file says about who sent it: its identification, Agency and Source columns, title block."""
    first = tables[0]
    agency_values: dict[str, None] = {}
    source_values: dict[str, None] = {}
    for ret in tables:
        colmap = map_headings(list(ret.header), own)
        for key, seen in (("agency", agency_values), ("source", source_values)):
            ix = colmap.index_of(key)
            if ix is None:
                continue
            # A column holds few distinct values however long the return: turn each into text once.
            raw = dict.fromkeys(cells[ix] for _, cells in ret.rows if ix < len(cells))
            for value in raw:
                if not _blank(value):
                    seen.setdefault(" ".join(cell_text(value).split()), None)
    facts = title_block_facts([*first.title_block, *first.cover])
    return Evidence(
        file=first.file, identified_as=first.identified_agency, agency_column=list(agency_values),
        labelled=facts.get("agency"), title_texts=_short_texts(first.title_block),
        cover_texts=_short_texts(first.cover), source_column=list(source_values),
    )


def _short_texts(rows: Sequence[Sequence[Any]]) -> list[str]:
    """Return the headings of a title block: short cells that are neither a label nor a label's value.

    "Lincolnshire Police – Public Protection Unit" says who sent it; "Requested by: Children's
    Social Care" or "Patient: Maya Thornton" say something else (the agency's own label,
    "Agency: ...", is read apart, by title_block_facts).
    """
    texts: list[str] = []
    for row in rows:
        filled = [t for c in row if (t := " ".join(cell_text(c).split()))]
        if len(filled) >= 2 and len(filled[0].split()) <= 4:
            continue  # "Requested by | Children's Social Care": a label and its value, without a colon
        after_label = False
        for cell in row:
            text = " ".join(cell_text(cell).split())
            if not text:
                continue
            if after_label:
                after_label = False
                continue
            if text.endswith(":"):
                after_label = True
                continue
            if ":" in text or len(text.split()) > _HEADING_WORDS:
                continue
            texts.append(text)
    return list(dict.fromkeys(texts))


def _identification_findings(ret: AgencyReturn, told: Identification, agency: str, directory: AgencyDirectory | None,
                             case_reference: str | None, what: str = "return") -> list[Finding]:
    """Return what the officer needs to know of how a file's agency was told (nothing when it simply was)."""
    ref = case_reference or "the case"
    log_fix = (f"Say which agency it is on the register's Returns log: in the row of case {ref} for that agency, "
               f"type '{ret.file}' in the column '{OFFICER_FILES}' (add the row if there is none), then merge again.")
    if told.assigned_twice:
        listed = " and ".join(f"'{c}'" for c in told.candidates)
        return [Finding(ret.file, None, None, None, "error",
                        f"On the register's Returns log, this {what} is named in the '{OFFICER_FILES}' column of "
                        f"{listed}: it can be only one agency's. Its entries are in the master as '{agency}'. Leave the "
                        "file's name in the right agency's row only, then merge again.", "agency_assigned_twice")]
    if told.agency is None and told.candidates:
        listed = " or ".join(f"'{c}'" for c in told.candidates)
        return [Finding(ret.file, None, None, None, "error",
                        f"This {what} could be from {listed}: it names more than one agency of the Agencies sheet, so "
                        f"it was not guessed. Its entries are in the master as '{agency}'. {log_fix}",
                        "agency_ambiguous")]
    if told.agency is None:
        if not directory:
            return [Finding(ret.file, None, None, None, "error",
                            f"Nothing in this {what} says which agency sent it, so its entries are in the master as "
                            f"'{agency}'. List the agencies on the register's Agencies sheet and merge the case's "
                            "returns folder (caseforms tells them apart by their names there), or add a line "
                            "'Agency: <name>' above its table and merge again.", "agency_unknown")]
        closest = f" The closest on the Agencies sheet: {', '.join(told.closest)}." if told.closest else ""
        return [Finding(ret.file, None, None, None, "error",
                        f"Nothing in this {what} names an agency of the register's Agencies sheet, so its entries are "
                        f"in the master as '{agency}'.{closest} {log_fix} Or add the name the agency uses to its 'Also "
                        "known as' cell on the Agencies sheet.", "agency_unknown")]
    if told.outside_directory:
        return [Finding(ret.file, None, None, None, "warning",
                        f"This {what} is from '{agency}' ({told.how}), which is not on the register's Agencies sheet. "
                        "Add it there, or add this name to the agency's 'Also known as' cell, so the Returns log and "
                        "the papers know it.", "agency_not_in_directory")]
    return []


def _sheets_finding(tables: Sequence[AgencyReturn]) -> list[Finding]:
    """Say which sheets of a file were read and which were not, when it has more than one."""
    first = tables[0]
    if len(tables) == 1 and not first.other_sheets:
        return []
    read = ", ".join(f"'{t.sheet}' ({len(t.rows)} row{'s' if len(t.rows) != 1 else ''} under the header)" for t in tables)
    not_read = "; ".join(f"'{name}' ({why})" for name, why in first.other_sheets)
    message = f"Read sheet{'s' if len(tables) > 1 else ''} {read}." + (f" Not read: {not_read}." if not_read else "")
    if len(tables) > 1:
        message += " The entries of every sheet read are in the master, each with its sheet."
    return [Finding(first.file, None, None, None, "info", message, "sheets_read")]


def _merge_one(
    index: int,
    ret: AgencyReturn,
    agency: str,
    case_ref: str | None,
    wanted_ref: str | None,
    case_reference: str | None,
    scope_from: date | None,
    scope_to: date | None,
    today: date,
    extra_headings: dict[str, str],
    own_headings: OwnHeadings | None = None,
) -> tuple[ReturnSummary, list[MasterEntry], list[Finding]]:
    findings: list[Finding] = []

    def note(row: int | None, column: str | None, severity: Severity, message: str, code: str) -> None:
        findings.append(Finding(ret.file, ret.sheet, row, column, severity, message, code))

    rows = [(n, cells) for n, cells in ret.rows if not _is_empty_row(cells)]
    # Cells to the right of the last heading are kept too, under "Column K" and so on.
    width = max([len(ret.header), *(len(cells) for _, cells in rows)])
    colmap = map_headings([*ret.header, *([None] * (width - len(ret.header)))], own_headings)
    summary = ReturnSummary(
        file=ret.file, sheet=ret.sheet, agency=agency, header_row=ret.header_row,
        case_reference=case_ref, rows_read=len(rows),
        recognised=[COLUMNS[k] for k in colmap.recognised],
        extra_columns=[colmap.heading_of(i) for i, k in enumerate(colmap.keys) if k is None and _column_used(i, rows)],
    )
    normalised = {normalise_heading(h) for h in colmap.headings}
    if {"source file", "source row", "entry"} <= normalised:
        summary.merged, summary.reason = False, "a master chronology made by caseforms, not an agency return"
        note(None, None, "error",
             "This is a master chronology made by caseforms, not an agency return: not merged, so that no entry "
             "appears twice. Move it out of the returns folder.", "return_is_master")
        return summary, [], findings

    if wanted_ref is not None and summary.case_reference and _ref_key(summary.case_reference) != wanted_ref:
        summary.merged = False
        summary.reason = f"its title block names case {summary.case_reference}, not {case_reference}"
        note(None, None, "error",
             f"Not merged: the title block names case reference '{summary.case_reference}', but this merge is for "
             f"'{case_reference}'. It may be another child's chronology: check with the agency. If it is for this "
             "case, correct the reference in the return and merge again.", "other_case")
        return summary, [], findings

    date_ix = colmap.index_of("date")
    time_ix = colmap.index_of("time")
    date_heading = colmap.heading_of(date_ix) if date_ix is not None else "Date"
    time_heading = colmap.heading_of(time_ix) if time_ix is not None else "Time"
    if date_ix is None:
        note(ret.header_row, None, "error",
             f"No Date column found in the header row (row {ret.header_row}): every entry is undated. "
             "Add a 'Date' heading above the dates and merge again.", "no_date_column")
    if "details" not in colmap.recognised:
        note(ret.header_row, None, "warning",
             f"No 'Details of event' column found in the header row (row {ret.header_row}); the text of each row is "
             "kept in the columns it came in.", "no_details_column")

    # Extra columns get one master heading each, shared by returns that use the same heading.
    extra_of: dict[int, str] = {}
    reserved = {h.casefold() for h in (*LEADING_HEADINGS, *TRAILING_HEADINGS)}
    for i, key in enumerate(colmap.keys):
        if key is not None or not _column_used(i, rows):
            continue
        heading = colmap.heading_of(i)
        heading = heading[0].upper() + heading[1:]
        if heading.casefold() in reserved:
            heading = f"{heading} (in return)"
        extra_of[i] = extra_headings.setdefault(heading.casefold(), heading)
    if extra_of:
        listed = _and_list([f"'{colmap.heading_of(i)}'" for i in extra_of])
        note(ret.header_row, None, "info",
             f"{'Columns' if len(extra_of) > 1 else 'Column'} {listed} {'are' if len(extra_of) > 1 else 'is'} not among "
             "the chronology's columns: kept as "
             f"{'their own columns' if len(extra_of) > 1 else 'its own column'} in the master, and added to each "
             f"entry's comments in the Word papers ('{colmap.heading_of(next(iter(extra_of)))}: ...'). To put "
             "such a column with the chronology's own, add its heading to your profile's [chronology_headings].",
             "extra_columns")

    entries: list[MasterEntry] = []
    background_rows: list[int] = []
    after_rows: list[int] = []
    present = [(k, ix) for k in TEXT_KEYS if (ix := colmap.index_of(k)) is not None]
    absent = {k: "" for k in TEXT_KEYS if colmap.index_of(k) is None}
    present_keys = [k for k, _ in present]
    take = itemgetter(*(i for _, i in present)) if len(present) > 1 else None
    for row_number, cells in rows:
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        if take is not None:
            texts = [v if v.__class__ is str else cell_text(v) for v in take(cells)]
        else:
            texts = [_text_at(cells, i) for _, i in present]
        row_cells = dict(absent)
        row_cells.update(zip(present_keys, texts, strict=True))
        date_value = cells[date_ix] if date_ix is not None and date_ix < len(cells) else None
        time_value = cells[time_ix] if time_ix is not None and time_ix < len(cells) else None
        when = read_entry_date(date_value, time_value, today=today)
        entry = MasterEntry(
            when=when,
            agency=agency,
            cells=row_cells,
            extras={h: cell_text(cells[i]) for i, h in extra_of.items() if i < len(cells) and not _blank(cells[i])},
            date_text=cell_text(date_value),
            time_text=cell_text(time_value),
            source_file=ret.file,
            source_sheet=ret.sheet,
            source_row=row_number,
            return_index=index,
        )
        longest = max(map(len, texts), default=0)
        if entry.extras:
            longest = max(longest, *map(len, entry.extras.values()))
        # Excel counts a cell's text in UTF-16 units (an emoji counts two): a text of half the limit may be too long.
        for key, value in (*row_cells.items(), *entry.extras.items()) if longest > EXCEL_CELL_LIMIT // 2 else ():
            if (units := _excel_length(value)) > EXCEL_CELL_LIMIT:
                column = COLUMNS.get(key, key)
                ix = colmap.index_of(key)
                note(row_number, colmap.heading_of(ix) if ix is not None else key, "warning",
                     f"{units:,} characters, more than an Excel cell holds ({EXCEL_CELL_LIMIT:,}): the master's "
                     f"'{column}' cell shows the start and the Long texts sheet holds the whole text, which the Word "
                     "papers print in full.", "long_text")
        if when.problem:
            entry.flags.append(f"{FLAG_DATE_NOT_READ}: {when.problem}")
            note(row_number, date_heading, "error",
                 f"{when.problem}. The entry is kept, undated, at the end of the master. Correct the date in the "
                 "return and merge again.", "date_not_real")
        elif when.day is None:
            entry.flags.append(FLAG_NO_DATE)
            if date_ix is not None:
                note(row_number, date_heading, "warning",
                     "No date: the entry is kept, undated, at the end of the master. Add the date in the return "
                     "and merge again.", "no_date")
        if when.note:
            entry.flags.append(f"{FLAG_CHECK_DATE}: {when.note}")
            column = time_heading if when.note.startswith("Time ") else date_heading
            note(row_number, column, "info", f"{_capital(when.note)}.", "date_note")
        if when.day is not None:
            last = when.last_day or when.day
            if scope_from is not None and last < scope_from:
                entry.background = True
                entry.flags.append(FLAG_BACKGROUND)
                background_rows.append(row_number)
            elif scope_to is not None and when.day > scope_to and when.day <= today:
                entry.after_scope = True
                entry.flags.append(FLAG_AFTER_SCOPE)
                after_rows.append(row_number)
            if when.day > today:
                entry.future = True
                entry.flags.append(FLAG_FUTURE)
                note(row_number, date_heading, "warning",
                     f"{when.day:%d/%m/%Y} is in the future: the entry is kept, placed with the undated entries at "
                     "the end of the master. Check the year in the return and merge again.", "date_in_future")
            if entry.date_trusted:
                summary.first_date = min(summary.first_date or when.day, when.day)
                summary.last_date = max(summary.last_date or when.day, when.day)
        else:
            summary.undated += 1
        entries.append(entry)

    summary.rows_merged = len(entries)
    summary.background = len(background_rows)
    summary.after_scope = len(after_rows)
    if background_rows:
        note(None, date_heading, "info",
             f"{len(background_rows)} entr{'y is' if len(background_rows) == 1 else 'ies are'} before the scope period "
             f"(from {scope_from:%d/%m/%Y}): kept, flagged as background ({_rows(background_rows)}).",
             "background")
    if after_rows:
        note(None, date_heading, "warning",
             f"{len(after_rows)} entr{'y is' if len(after_rows) == 1 else 'ies are'} after the scope period "
             f"(to {scope_to:%d/%m/%Y}): kept and flagged ({_rows(after_rows)}). Check the dates.",
             "after_scope")
    return summary, entries, findings


# -- corroboration --------------------------------------------------------------------------------

#: Entries of another agency within this many minutes of each other may record the same event.
_LINK_MINUTES = 60
#: A day of this many entries or fewer has every pair of its entries compared; a busier one is grouped.
_SMALL_DAY = 48
#: A group of this many entries or fewer is scanned whole; a larger one is searched through its index.
_SMALL_GROUP = 24
#: Up to this many distinct texts on a day are compared pair by pair; more, through a bitmap index of their words.
_SMALL_JOIN = 160


def _link_corroborating(entries: list[MasterEntry]) -> None:
    """Link, in place, entries of different agencies on the same day that may record the same event.

    Links are pairwise, not chained: two entries are linked when they match each other (same type
    of contact, or details sharing at least half their words), so a busy day does not become one
    large group. Entries with times more than an hour apart are never linked. Each entry keeps the
    numbers of its first :data:`LINKS_KEPT` links (the sheet shows them) and the count of all.

    A day's entries are grouped by type of contact and by the words of their details, and each
    entry's links are counted and its first ones found in those groups, never by comparing every
    pair: a day of 20,000 entries, whose pairs would number 200 million, takes a second or so.
    """
    by_day: dict[date, list[MasterEntry]] = defaultdict(list)
    for e in entries:
        if e.when.day is not None and e.when.precision == "day":
            by_day[e.when.day].append(e)
    for day_entries in by_day.values():
        if len(day_entries) > 1:
            _link_day(day_entries)


class _Group:
    """Entries of one day that match each other in one way (a type of contact, the words of the details).

    ``members`` are positions in the day's list, in entry order. Answers, for an entry of agency
    ``a`` at minute ``m`` (None: no time), how many members are of another agency and close enough
    in time, and which come first. A large group answers through sorted minutes and the runs of one
    agency; a small one is scanned.
    """

    __slots__ = ("_agency", "_by_agency", "_by_kind", "_minutes", "_next", "_timed", "_untimed", "agencies",
                 "members", "minutes", "ordered")

    def __init__(self, members: list[int], agencies: Sequence[int], minutes: Sequence[int | None], ordered: bool) -> None:
        self.members = members
        #: True when the day's entries are untimed first, then by time (every day but one in the future).
        self.ordered = ordered
        self.agencies = agencies
        self.minutes = minutes
        self._by_kind: dict[str, _Group] | None = None
        self._untimed = -1

    def _index(self) -> None:
        agencies, minutes = self.agencies, self.minutes
        self._agency = [agencies[p] for p in self.members]
        self._minutes = [minutes[p] for p in self.members]
        timed = sorted(m for m in self._minutes if m is not None)
        self._untimed = len(self._minutes) - len(timed)
        self._timed = timed
        by_agency: dict[int, tuple[list[int], list[int]]] = {}
        for a, m in zip(self._agency, self._minutes, strict=True):
            untimed, times = by_agency.setdefault(a, ([0], []))
            if m is None:
                untimed[0] += 1
            else:
                times.append(m)
        self._by_agency = {a: (untimed[0], sorted(times)) for a, (untimed, times) in by_agency.items()}
        # The next member of another agency than this one's, so that a run of one agency is passed in a step.
        n = len(self._agency)
        following = [n] * n
        for q in range(n - 2, -1, -1):
            following[q] = q + 1 if self._agency[q + 1] != self._agency[q] else following[q + 1]
        self._next = following

    def links(self, agency: int, minute: int | None, most: int) -> tuple[list[int], int]:
        """Return the first ``most`` members (positions) of another agency close in time, and how many there are."""
        members = self.members
        if len(members) <= _SMALL_GROUP:
            agencies, minutes = self.agencies, self.minutes
            first: list[int] = []
            count = 0
            for p in members:
                if agencies[p] != agency:
                    m = minutes[p]
                    if minute is None or m is None or abs(m - minute) <= _LINK_MINUTES:
                        count += 1
                        if len(first) < most:
                            first.append(p)
            return first, count
        if self._untimed < 0:
            self._index()
        return self._first(agency, minute, most), self._count(agency, minute)

    def _count(self, agency: int, minute: int | None) -> int:
        def close(untimed: int, timed: list[int]) -> int:
            if minute is None:
                return untimed + len(timed)
            return untimed + bisect_right(timed, minute + _LINK_MINUTES) - bisect_left(timed, minute - _LINK_MINUTES)

        same = self._by_agency.get(agency)
        return close(self._untimed, self._timed) - (close(*same) if same else 0)

    def _first(self, agency: int, minute: int | None, most: int) -> list[int]:
        n = len(self.members)
        if self.ordered:
            # Untimed members come first, then the timed ones by time: those close in time are one stretch.
            if minute is None:
                spans = [(0, n)]
            else:
                u = self._untimed
                spans = [(0, u), (u + bisect_left(self._timed, minute - _LINK_MINUTES),
                                  u + bisect_right(self._timed, minute + _LINK_MINUTES))]
            check = False
        else:
            spans, check = [(0, n)], minute is not None
        found: list[int] = []
        for q, end in spans:
            while q < end and len(found) < most:
                if self._agency[q] == agency:
                    q = self._next[q]
                    continue
                if check:
                    m = self._minutes[q]
                    if m is not None and abs(m - minute) > _LINK_MINUTES:  # type: ignore[operator]
                        q += 1
                        continue
                found.append(self.members[q])
                q += 1
        return found

    def of_kind(self, kind: str, kinds: Sequence[str]) -> _Group | None:
        """Return the members of one type of contact, as a group of their own (None when there are none)."""
        if self._by_kind is None:
            split: dict[str, list[int]] = defaultdict(list)
            for p in self.members:
                if kinds[p]:
                    split[kinds[p]].append(p)
            self._by_kind = {k: _Group(ps, self.agencies, self.minutes, self.ordered) for k, ps in split.items()}
        return self._by_kind.get(kind)


def _link_day(day: list[MasterEntry]) -> None:
    """Link the entries of one day (see :func:`_link_corroborating`)."""
    agency_ids: dict[str, int] = {}
    agencies = [agency_ids.setdefault(e.agency.casefold(), len(agency_ids)) for e in day]
    if len(agency_ids) < 2:
        return
    minutes = [None if e.when.time is None else e.when.time.hour * 60 + e.when.time.minute for e in day]
    timed = [m for m in minutes if m is not None]
    ordered = minutes[:len(minutes) - len(timed)] == [None] * (len(minutes) - len(timed)) and all(
        a <= b for a, b in pairwise(timed))
    kinds = [_contact_kind(e) for e in day]
    words: list[frozenset[str] | None] = []
    for e in day:
        said = frozenset(_WORD.findall(e.details.lower())).difference(_STOPWORDS)
        words.append(said if len(said) >= 3 else None)

    if len(day) <= _SMALL_DAY:
        _link_pairs(day, agencies, minutes, kinds, words)
        return

    def grouped(keys: Sequence[Any]) -> dict[Any, _Group]:
        positions: dict[Any, list[int]] = defaultdict(list)
        for p, key in enumerate(keys):
            if key:
                positions[key].append(p)
        return {key: _Group(ps, agencies, minutes, ordered) for key, ps in positions.items()}

    by_kind = grouped(kinds)
    by_words = grouped(words)
    texts = list(by_words)
    similar: dict[frozenset[str], list[_Group]] = {t: [by_words[t]] for t in texts}  # the same words: similar
    for i, j in _similar_sets(texts):
        similar[texts[i]].append(by_words[texts[j]])
        similar[texts[j]].append(by_words[texts[i]])

    for p, e in enumerate(day):
        a, m, kind = agencies[p], minutes[p], kinds[p]
        first: list[int] = []
        count = 0
        if kind:
            first, count = by_kind[kind].links(a, m, LINKS_KEPT)
        text = words[p]
        if text is not None:
            for group in similar[text]:
                found, n = group.links(a, m, LINKS_KEPT)
                if not n:
                    continue
                same_kind = group.of_kind(kind, kinds) if kind else None
                if same_kind is not None:
                    # Entries of the same type of contact are linked already: counted once.
                    n -= same_kind.links(a, m, 0)[1]
                count += n
                first.extend(found)
        if count:
            e.linked = [day[q].number for q in sorted(set(first))[:LINKS_KEPT]]
            e.links = count


def _link_pairs(day: list[MasterEntry], agencies: list[int], minutes: list[int | None], kinds: list[str],
                words: list[frozenset[str] | None]) -> None:
    """Link the entries of a day of a few entries, every pair compared (faster than grouping so few)."""
    links: dict[int, set[int]] = defaultdict(set)

    def link(i: int, j: int) -> None:
        if agencies[i] != agencies[j]:
            a, b = minutes[i], minutes[j]
            if a is None or b is None or abs(a - b) <= _LINK_MINUTES:
                links[i].add(j)
                links[j].add(i)

    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, kind in enumerate(kinds):
        if kind:
            by_kind[kind].append(i)
    for same in by_kind.values():
        for x, i in enumerate(same):
            for j in same[x + 1:]:
                link(i, j)
    for i, j in _similar_sets([w or frozenset() for w in words]):
        link(i, j)
    for i, linked in links.items():
        day[i].linked = [day[j].number for j in sorted(linked)[:LINKS_KEPT]]
        day[i].links = len(linked)


def _similar_sets(texts: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    """Return the pairs (i, j), i < j, of word sets sharing 3 words or more and at least half their words (Dice >= 0.5).

    That is ``4 * shared >= len(a) + len(b)``. Each set's words become the bits of one integer, so
    two sets are compared by one AND and a bit count. A few sets are compared pair by pair; many,
    through a bitmap index of the words: for each word, the sets (as bits of an integer) it is in.
    Adding those integers bit-sliced counts, for a set, the words it shares with every set before it
    at once, and only sets sharing enough are compared.
    """
    sizes = [len(t) for t in texts]
    pairs: list[tuple[int, int]] = []
    if len(texts) <= _SMALL_JOIN:
        bits = {word: 1 << n for n, word in enumerate(frozenset().union(*texts))}
        masks = [reduce(or_, map(bits.__getitem__, text), 0) for text in texts]
        n = len(masks)
        for i, mi in enumerate(masks):
            li = sizes[i]
            if li >= 3:
                pairs.extend((i, j) for j in range(i + 1, n)
                             if 4 * (mi & masks[j]).bit_count() >= li + sizes[j] and (mi & masks[j]).bit_count() >= 3)
        return pairs

    # Smallest sets first: a set is compared with those before it, which are no larger.
    order = sorted(range(len(texts)), key=sizes.__getitem__)
    ranked = [sizes[t] for t in order]
    index: dict[str, int] = {}
    known = index.get
    for r, t in enumerate(order):
        size = sizes[t]
        words = texts[t]
        # counts[k] holds bit k of the number of words each earlier set shares with this one.
        counts = _sliced_sum([sets for sets in map(known, words) if sets])
        # Shared words needed: 4 * shared >= size + other, and other >= size / 3 (shared <= other).
        lowest = bisect_left(ranked, -(-size // 3), 0, r)
        middle = bisect_left(ranked, (size + ranked[lowest]) // 2 if lowest < r else size, lowest, r)
        candidates = 0
        for start, stop in ((lowest, middle), (middle, r)):
            if start < stop:
                need = max(3, -(-(size + ranked[start]) // 4))
                span = ((1 << stop) - 1) ^ ((1 << start) - 1)
                candidates |= _at_least(counts, need) & span
        while candidates:  # few: the counts above are exact, and only the sizes of the two are left to weigh
            low = candidates & -candidates
            candidates ^= low
            other = order[low.bit_length() - 1]
            common = len(words & texts[other])
            if common >= 3 and 4 * common >= size + sizes[other]:
                pairs.append((other, t) if other < t else (t, other))
        bit = 1 << r
        for word in words:
            index[word] = known(word, 0) | bit
    return pairs


def _sliced_sum(vectors: list[int]) -> list[int]:
    """Return the bit-sliced sum of ``vectors``: element k holds bit k of how many of them have each bit set.

    Added through full adders (three numbers at one weight become one there and a carry at the next:
    five operations), a carry-save tree: about five operations a vector, where adding each in turn
    with its carries rippling through every level takes twice as many.
    """
    slices: list[int] = []
    level = vectors
    while level:
        carries: list[int] = []
        pop, push, carry = level.pop, level.append, carries.append
        while len(level) > 2:
            a, b, c = pop(), pop(), pop()
            ab = a ^ b
            push(ab ^ c)
            carry((a & b) | (ab & c))
        if len(level) == 2:
            a, b = level
            slices.append(a ^ b)
            carry(a & b)
        else:
            slices.append(level[0])
        level = carries
    return slices


def _at_least(counts: list[int], need: int) -> int:
    """Return the bits whose bit-sliced count (``counts[k]`` holds bit k of each count) is ``need`` or more."""
    if need >= 1 << len(counts):
        return 0
    greater, equal = 0, -1
    for k in range(len(counts) - 1, -1, -1):
        if need >> k & 1:
            equal &= counts[k]
        else:
            greater |= equal & counts[k]
            equal &= ~counts[k]
    return greater | equal


def _excel_length(text: str) -> int:
    """Return a text's length as Excel counts it: UTF-16 code units, an emoji two."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _contact_kind(e: MasterEntry) -> str:
    return " ".join(_WORD.findall(e.cells.get("contact_type", "").lower()))


# -- title blocks, agencies, text -----------------------------------------------------------------

_CASE_LABEL = re.compile(
    r"^(?:(?:case|review|rapid review|rr|lcspr|cspr|csprp|incident|sin|serious incident|notification|panel|"
    r"partnership|kscmp|kscp|lscp|cscp|scp)\s+)+(?:reference number|reference no|reference|ref no|ref|number|no|id)$"
    r"|^(?:reference|ref|ref no|our ref|your ref|reference number)$"
)
_AGENCY_LABEL = re.compile(
    r"^(?:name of )?(?:agency|organisation|organization|agency name|organisation name|name of agency|"
    r"agency organisation|agency service|service|provider|agency completing(?: this)?(?: chronology| return)?|"
    r"responding agency|contributing agency|submitting agency|force|police force|school|school name|name of school|"
    r"setting|establishment|gp practice|practice|practice name|surgery|trust|local authority|sent by|from)$"
)


def title_block_facts(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """Return the case reference and agency a title block names ("Case reference: KSCMP-2025-003").

    A label and its value may share a cell ("Agency: Kent Police") or sit in neighbouring cells.
    A case reference must contain a digit, so "Case reference: (enter here)" is not one.
    """
    facts: dict[str, str] = {}
    for row in rows:
        texts = [c.strip() if isinstance(c, str) else cell_text(c).strip() for c in row]
        for i, text in enumerate(texts):
            if not text:
                continue
            label, _, value = text.partition(":")
            norm = normalise_heading(label)
            if not value.strip():
                value = next((t for t in texts[i + 1:] if t), "")
            value = value.strip()
            if not value or len(value) > 60:
                continue
            if "case_reference" not in facts and _CASE_LABEL.match(norm) and any(ch.isdigit() for ch in value):
                facts["case_reference"] = value
            elif "agency" not in facts and _AGENCY_LABEL.match(norm) and not value.endswith(":"):
                facts["agency"] = value
    return facts


def _ref_key(ref: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", ref.upper())


def cell_text(value: Any) -> str:
    """Return a cell's value as text: strings exactly as written, numbers and dates as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")
    return str(value)


def _text_at(cells: Sequence[Any], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return value if value.__class__ is str else cell_text(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_empty_row(cells: Sequence[Any]) -> bool:
    return all(_blank(c) for c in cells)


def _column_used(index: int, rows: Sequence[tuple[int, Sequence[Any]]]) -> bool:
    return any(index < len(cells) and not _blank(cells[index]) for _, cells in rows)


def _rows(rows: Sequence[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {row_ranges(rows)}"


def row_ranges(rows: Sequence[int]) -> str:
    """Return row numbers as ranges: [3, 4, 5, 9] -> "3–5, 9"."""
    parts: list[str] = []
    start = prev = rows[0]
    for n in [*rows[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _and_list(items: Sequence[str]) -> str:
    """Return "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- bulk work: the cyclic garbage collector paused while a merge or a write makes millions of objects
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
