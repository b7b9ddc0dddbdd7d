"""Build the demo's working folder: the fictional records written, then the officer's jobs run on them.

The folder is laid out exactly as ``caseforms init`` lays one out (register.xlsx, tracker.xlsx,
cases/<REF>/returns, papers and requests). The register and tracker are written with their own
build code and filled the way an officer fills them in Excel; everything after that is done by
the same jobs the commands run (:mod:`caseforms.jobs`): the chronology request, the merge, every
pack of papers, the tracker's refresh and papers, and the register's checks.

A folder is written into only when it is new or empty, or when it holds an earlier demo (its
:data:`~caseforms.demo.data.MARKER` file lists what the demo wrote, with a digest of each file).
Replacing an earlier demo deletes only the files it lists that are unchanged since; a file the
officer added or changed stops the replacement before anything is deleted.
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import time as clock
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforms.demo import data
from caseforms.errors import FolderNotEmpty
from caseforms.register.folders import CASES_FOLDER, REGISTER_FILE, case_folder, ensure_case_folders, folder_name

if TYPE_CHECKING:
    from caseforms.calendar import WorkingCalendar
    from caseforms.profile import Profile

#: The folder `caseforms demo` makes when none is given, in the officer's Documents (see :func:`default_folder`).
DEFAULT_FOLDER = "caseforms demo"


def default_folder(home: Path | None = None) -> Path:
    """Return where the demo goes when no folder is given: 'caseforms demo' in the officer's Documents.

    Not the current folder: run from a copy of caseforms' own source, it would land among the code;
    run from a partnership's shared drive, among real cases. Documents (or the home folder when there
    is none) is where an officer looks for what a program made.
    """
    home = home if home is not None else Path.home()
    documents = home / "Documents"
    return (documents if documents.is_dir() else home) / DEFAULT_FOLDER
_MANIFEST_HEADING = "Files the demo wrote (digest, path):"


@dataclass
class Made:
    """One file the demo made and what it is, in an officer's words."""

    path: Path
    what: str


@dataclass
class DemoFolder:
    """What the demo built: the folder, the cases by stage, every file made, and what the checks found."""

    folder: Path
    today: date
    profile: Profile
    #: Case key of :data:`caseforms.demo.data.CASES` -> its reference.
    refs: dict[str, str]
    made: list[Made] = field(default_factory=list)
    #: Register findings: errors and warnings.
    counts: dict[str, int] = field(default_factory=dict)
    #: Case key -> the titles of the packs of papers made for it, in the order made.
    packs: dict[str, list[str]] = field(default_factory=dict)
    master_entries: int = 0
    master_findings: dict[str, int] = field(default_factory=dict)
    brag: dict[str, int] = field(default_factory=dict)
    #: Files of an earlier demo that were replaced; files of the officer's kept.
    replaced: int = 0
    pdf_note: str | None = None
    seconds: float = 0.0

    @property
    def register(self) -> Path:
        return self.folder / REGISTER_FILE

    def case_folder(self, key: str) -> Path:
        return case_folder(self.folder, self.refs[key])


# -- the folder --------------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _manifest(marker: Path) -> dict[str, str]:
    """Return the files an earlier demo listed in its marker file: relative path -> digest."""
    listed: dict[str, str] = {}
    lines = marker.read_text(encoding="utf-8").splitlines()
    if _MANIFEST_HEADING not in lines:
        return listed
    for line in lines[lines.index(_MANIFEST_HEADING) + 1:]:
        digest, _, rel = line.strip().partition(" ")
        if digest and rel:
            listed[rel] = digest
    return listed


def prepare_folder(folder: Path, *, force: bool) -> int:
    """Make sure the demo may write into ``folder``; with ``force``, remove an earlier demo's files.

    Returns how many files of an earlier demo were removed. Raises :class:`FolderNotEmpty` for a
    folder holding anything else, and before deleting anything when a demo file was changed.
    """
    if folder.exists() and not folder.is_dir():
        raise FolderNotEmpty(f"{folder} is a file, not a folder. Give a new folder for the demo.")
    if not folder.is_dir() or not any(folder.iterdir()):
        return 0
    marker = folder / data.MARKER
    if not marker.is_file():
        raise FolderNotEmpty(
            f"{folder} already exists and is not empty, so the demo was not written (it never writes among your "
            "files). Give a new folder: caseforms demo \"caseforms demo 2\"."
        )
    if not force:
        raise FolderNotEmpty(
            f"{folder} holds an earlier demo. Add --force to replace it (only the files the demo made and nobody "
            "changed are removed), or give a new folder."
        )
    listed = _manifest(marker)
    files = [p for p in folder.rglob("*") if p.is_file() and p != marker]
    ours: list[Path] = []
    theirs: list[str] = []
    for path in files:
        rel = path.relative_to(folder).as_posix()
        if listed.get(rel) == _digest(path):
            ours.append(path)
        else:
            theirs.append(rel)
    if theirs:
        shown = ", ".join(sorted(theirs)[:5]) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else "")
        raise FolderNotEmpty(
            f"{folder} holds an earlier demo, but also files the demo did not make or that were changed since: "
            f"{shown}. Nothing was removed. Move those files out, or give a new folder."
        )
    for path in ours:
        path.unlink()
    marker.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    return len(ours)


def _write_marker(result: DemoFolder) -> None:
    folder = result.folder
    lines = [
        "THIS FOLDER IS A DEMONSTRATION. Every person, place, agency, event and number in it is invented.",
        "",
        f"Made by 'caseforms demo' on {datetime.now():%d/%m/%Y %H:%M}, dated as of {result.today:%d/%m/%Y}, "
        f"with the {result.profile.name} profile ({result.profile.title}).",
        "NHS numbers are from the 999 test range; e-mail addresses are at example.org and .invalid, which never "
        "deliver; telephone numbers are from Ofcom's drama range.",
        "",
        "'caseforms demo --force' replaces this folder's demo, but only while every file below is unchanged.",
        "",
        _MANIFEST_HEADING,
    ]
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != data.MARKER):
        lines.append(f"{_digest(path)} {path.relative_to(folder).as_posix()}")
    (folder / data.MARKER).write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- the records ---------------------------------------------------------------------------------------


def _resolve(value: Any, today: date, calendar: WorkingCalendar) -> Any:
    return value.on(today, calendar) if isinstance(value, (data.When, data.InYear)) else value


def case_refs(today: date, calendar: WorkingCalendar) -> dict[str, str]:
    """Return each demo case's reference: DEMO-<year it was referred>-<number>."""
    refs = {}
    for key, case in data.CASES.items():
        referred = _resolve(case["referral_date"], today, calendar)
        refs[key] = f"DEMO-{referred.year}-{data.CASE_NUMBERS[key]:03d}"
    return refs


def _records(rows: Sequence[Mapping[str, Any]], refs: Mapping[str, str], today: date,
             calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """Return the records with their dates worked out and their case key replaced by its reference."""
    out = []
    for row in rows:
        record = {k: _resolve(v, today, calendar) for k, v in row.items() if k not in ("case", "n")}
        if "case" in row:
            record["case_ref"] = refs[row["case"]]
        out.append(record)
    return out


def _fill(ws: Any, columns: Sequence[Any], records: Sequence[Mapping[str, Any]]) -> None:
    """Type the records into a sheet below its header row, as an officer fills the table in Excel."""
    from caseforms.cells import column_letter

    letters = {c.key: column_letter(i) for i, c in enumerate(columns)}
    for r, record in enumerate(records, start=2):
        for key, value in record.items():
            cell = ws[f"{letters[key]}{r}"]
            cell.value = value
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"


def write_register(path: Path, profile: Profile, refs: Mapping[str, str], today: date) -> None:
    """Write the register with the demo's cases, people, agencies and meetings."""
    from caseforms.io.register_xlsx import build_workbook
    from caseforms.io.safe_write import write_atomically
    from caseforms.register.schema import (
        AGENCIES,
        CASES,
        CHARACTERISTICS,
        DRAFTS,
        FAMILY,
        IMRS,
        LCSPR,
        MEETINGS,
        NARRATIVE,
        PEOPLE,
        RECOMMENDATIONS,
        register_schema,
    )

    calendar = profile.calendar
    schema = register_schema(profile)
    wb = build_workbook(profile, data.PROFILE)
    cases = [{**case, "case": key} for key, case in data.CASES.items()]
    for sheet, rows in ((CASES, cases), (PEOPLE, data.PEOPLE), (AGENCIES, data.AGENCIES), (MEETINGS, data.MEETINGS),
                        (NARRATIVE, data.NARRATIVE), (CHARACTERISTICS, data.CHARACTERISTICS), (LCSPR, data.LCSPR_ROWS),
                        (IMRS, data.IMRS), (FAMILY, data.FAMILY), (DRAFTS, data.DRAFTS),
                        (RECOMMENDATIONS, data.RECOMMENDATIONS)):
        _fill(wb[sheet], schema.sheet(sheet).columns, _records(rows, refs, today, calendar))
    write_atomically(path, wb.save, keep_backup=False)


def write_tracker(path: Path, profile: Profile, refs: Mapping[str, str], today: date) -> None:
    """Write the tracker with the demo's Rapid Review actions."""
    from caseforms.io.safe_write import write_atomically
    from caseforms.io.tracker_xlsx import build_workbook
    from caseforms.tracker.schema import ACTIONS, tracker_schema

    actions = []
    for row in data.ACTIONS:
        number = data.CASE_NUMBERS[row["case"]]
        actions.append({**row, "action_id": f"RR{number}-{row['n']:02d}"})
    wb = build_workbook(profile, data.PROFILE)
    _fill(wb[ACTIONS], tracker_schema(profile).sheet(ACTIONS).columns,
          _records(actions, refs, today, profile.calendar))
    write_atomically(path, wb.save, keep_backup=False)


# -- the job ---------------------------------------------------------------------------------------------


def build_demo(folder: Path, today: date, *, force: bool = False, pdf: bool = False) -> DemoFolder:
    """Build the demo's working folder as of ``today``; return what was made.

    Raises :class:`FolderNotEmpty` before writing anything when ``folder`` holds anything but an
    earlier demo (and, with ``force``, an earlier demo whose files are all unchanged).
    """
    from caseforms.io.safe_write import keeping_workbooks

    # The jobs below change the register five times: each after the first gets the workbook the one before it saved,
    # not read back from the file.
    with keeping_workbooks():
        return _build_demo(folder, today, force=force, pdf=pdf)


def _build_demo(folder: Path, today: date, *, force: bool, pdf: bool) -> DemoFolder:
    from caseforms import jobs
    from caseforms.io.register_xlsx import annotate
    from caseforms.io.returns_log import upsert_in_turn
    from caseforms.io.safe_write import BACKUP_FOLDER, writing_once
    from caseforms.profile import load_profile
    from caseforms.register.schema import RETURNS_LOG
    from caseforms.tracker.schema import TRACKER_FILE

    started = clock.perf_counter()
    folder = Path(folder)
    replaced = prepare_folder(folder, force=force)
    profile = load_profile(data.PROFILE)
    calendar = profile.calendar
    refs = case_refs(today, calendar)
    result = DemoFolder(folder, today, profile, refs, replaced=replaced)
    made = result.made.append

    # The working folder, as 'caseforms init' lays it out, with the records typed in.
    folder.mkdir(parents=True, exist_ok=True)
    had_backups = (folder / BACKUP_FOLDER).exists()
    register = folder / REGISTER_FILE
    write_register(register, profile, refs, today)
    made(Made(register, "the case register: five cases and last year's six, their people, agencies and meetings, and the LCSPR's "
                        "reviewer, IMRs, family, drafts and recommendations; deadlines in colour; a Checks sheet of "
                        "what needs correcting"))
    tracker = folder / TRACKER_FILE
    write_tracker(tracker, profile, refs, today)
    (folder / CASES_FOLDER).mkdir(exist_ok=True)
    ensure_case_folders(folder, refs.values())
    from caseforms.io.excel_setup import set_up_folder

    excel = set_up_folder(folder)
    for module in excel.modules:
        made(Made(module, f"connects {module.stem}.xlsx to Run main on Excel's xlwings tab"))
    if excel.config:
        made(Made(excel.config, "Excel's settings for this folder: where the cell functions are"))
    for setup in excel.setup_files:
        made(Made(setup, "double-click to connect the workbooks to Excel again"))

    # The Rapid Review case: the chronology requests went out the day after the notification.
    rr = refs["rapid_review"]
    requested_on = calendar.add_working_days(today, -7)
    # The requests are logged below with the returns that came back: one save of the register for both.
    requested = jobs.request_chronologies(register, rr, requested_on, log=False)
    requests_logged = [{"case_ref": r.case_ref, "agency": r.agency, "requested_on": requested_on, "due": r.due}
                       for r in (sent.request for sent in requested.packs)]
    for sent in requested.packs:
        agency = sent.request.agency
        made(Made(sent.workbook, f"chronology request to {agency}: the workbook to fill in"))
        if sent.letter:
            made(Made(sent.letter, f"chronology request to {agency}: the letter"))
        made(Made(sent.email, f"chronology request to {agency}: the e-mail draft (opens in Outlook)"))

    # The agencies' returns, as they came back; the Returns log records their arrival.
    from caseforms.demo.returns import summary_document_path, write_return

    returns = jobs.returns_folder(register, rr)
    workbooks = {sent.request.agency: sent.workbook for sent in requested.packs}
    logged = []
    for ret in data.RR_RETURNS:
        for_case = refs[ret.for_case] if ret.for_case else rr
        path = write_return(ret, returns, today=today, calendar=calendar, case_ref=for_case,
                            request_workbook=workbooks.get(ret.agency))
        if ret.for_case:
            made(Made(path, f"a return for case {for_case} filed in this case's folder by mistake: the merge leaves it "
                            "out"))
            continue
        made(Made(path, f"{ret.agency}'s chronology return ({_STYLE_WORDS[ret.style]})"))
        document = summary_document_path(ret, returns)
        if document is not None:
            made(Made(document, f"{ret.agency}'s agency summary, sent as a Word document beside its chronology"))
        logged.append({"case_ref": rr, "agency": ret.agency, "received_on": calendar.add_working_days(today, -ret.received),
                       "file": path.name, "rows": len(ret.entries), "late": "No"})
    # The register's next three changes (the log of requests and returns, the closed case's action plan, the IMR
    # requests' log) are written once, after the last: what the merge, the tracker's refresh and the IMR requests read
    # of it meanwhile (cases, agencies, IMRs) none of them changes.
    with writing_once(register):
        upsert_in_turn(register, profile.name, [(RETURNS_LOG, requests_logged), (RETURNS_LOG, logged)])

        merged = jobs.merge_case_returns(register, rr)
        result.master_entries = merged.master.rows_merged
        result.master_findings = merged.master.counts()
        made(Made(merged.path, f"the master chronology: {merged.master.rows_merged} entries from "
                               f"{sum(r.merged for r in merged.master.returns)} agencies, with its Findings sheet"))

        # The tracker rated, and its papers; the closed case's action plan marked complete in the register.
        refreshed = jobs.refresh_tracker(tracker, today, register_path=register, escalations=True, author=data.OFFICER)
        result.brag = {k: refreshed.state.counts[k] for k in ("Red", "Amber", "Green", "Blue")}
        made(Made(tracker, "the actions tracker: Rapid Review actions rated Blue, Green, Amber and Red; By agency chart"))
        for what, path in refreshed.written.items():
            if what == "lig_report":
                made(Made(path, "the Learning and Improvement Group's tracker report"))
            elif what == "escalation_report":
                made(Made(path, "the Executive's escalation report: overdue actions"))

        # The LCSPR's IMR requests, as they went to the agencies four months ago (all are back: the IMRs sheet says so).
        lcspr = refs["lcspr"]
        imrs = jobs.request_imrs(register, lcspr, data.When(months=-4).on(today, calendar))
    for sent in imrs.packs:
        agency = sent.request.agency
        for path, what in ((sent.letter, "the letter"), (sent.report, "the report template its author fills in"),
                           (sent.workbook, "the chronology workbook"), (sent.email, "the e-mail draft")):
            if path is not None:
                made(Made(path, f"IMR request to {agency}: {what}"))

    # Every pack of papers, each for the case at the stage it is needed. Papers never write the register: it is read
    # once for all of them, and so is the tracker.
    records, read_as = jobs.open_register(register)
    actions = jobs.tracker_actions(folder, read_as)
    with _collected_each_time() as collect:
        for key, pack in data.PACKS:
            papers = jobs.make_papers(register, refs[key], pack, today, register=records, tracker=actions,
                                      pdf=pdf and key == "rapid_review")
            collect()
            _list_pack(result, key, pack, papers)

    # The register's checks, written on its Checks sheet.
    checked = jobs.check_register(register, today, register=records)  # as read for the papers, which leave it as it was
    annotate(register, checked.findings, today, profile.title)
    result.counts = dict(checked.counts)
    # Each rewrite above kept a copy of the workbook before it; in a new folder they are the demo's own drafts.
    if not had_backups:
        shutil.rmtree(folder / BACKUP_FOLDER, ignore_errors=True)

    result.seconds = clock.perf_counter() - started
    _write_marker(result)
    made(Made(folder / data.MARKER, "what this folder is, and the list of files the demo wrote"))
    return result


def _list_pack(result: DemoFolder, key: str, pack: str, papers: Any) -> None:
    """List a pack's papers among what the demo made."""
    from caseforms.papers.fields import PACK_TITLES

    made = result.made.append
    result.packs.setdefault(key, []).append(
        PACK_TITLES[pack] + (f" ({len(papers.papers)} papers and a contents page)" if papers.pack_document else ""))
    if papers.pack_document:
        made(Made(papers.pack_document, f"{PACK_TITLES[pack]}: the pack with a contents page"))
    for name, path in papers.papers:
        made(Made(path, _paper_title(name)))
    if papers.pdf:
        made(Made(papers.pdf, f"{PACK_TITLES[pack]} as PDF"))


@contextmanager
def _collected_each_time() -> Iterator[Callable[[], int]]:
    """Give a function that collects the cyclic garbage made since the block began, walking nothing older.

    A filled paper leaves python-docx's documents as cyclic garbage (a part and its package refer to each other),
    lxml trees behind them; left to the collector's own pace, seventeen packs of it pile up (136 MiB at the
    peak instead of 95). What lives when the block begins is frozen, so each collection walks only the new objects
    (0.1 s for all the packs, against 0.5 s collecting everything each time), and unfrozen after it.
    """
    gc.collect()
    gc.freeze()
    try:
        yield gc.collect
    finally:
        gc.unfreeze()


_STYLE_WORDS = {
    "request workbook": "the request workbook, filled in",
    "title block": "its own export: a title block above the table, dates typed as text",
    "csv": "a CSV saved by Excel",
    "own workbook": "its own layout, with mistakes the merge flags",
}


def _paper_title(name: str) -> str:
    from caseforms.papers.fields import PAPERS

    return PAPERS[name].title


def stem(ref: str) -> str:
    """Return the start of every file name of a case's papers (its reference, never a name)."""
    return folder_name(ref)
