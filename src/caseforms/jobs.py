"""The jobs an officer runs, the same for every front end: the command line, Excel, and later Excel on the web.

Each job takes the working folder's files (and, when the front end has read it already, the
register as it is on the officer's screen, unsaved edits included), does the work through the
adapters under :mod:`caseforms.io`, and returns what it did as a result object. Printing,
progress bars and message boxes are the front end's business, so :mod:`caseforms.cli` and
:mod:`caseforms.excel` stay thin translations of the same calls.

Heavy libraries are imported inside the jobs: importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforms.errors import CaseNotFound, ChronologyError, NoAgencyToAsk, NoReturnsYet
from caseforms.register.folders import case_folder, ensure_case_folders, folder_name
from caseforms.register.schema import FAMILY, GLOSSARY

if TYPE_CHECKING:
    from caseforms.chronology.agencies import AgencyDirectory
    from caseforms.chronology.merge import MasterChronology
    from caseforms.chronology.request import FoundReturn
    from caseforms.deadlines import Due
    from caseforms.io.master_read import MasterRead
    from caseforms.io.request_pack import Pack
    from caseforms.io.safe_write import SaveResult
    from caseforms.profile import Profile
    from caseforms.publication.anonymise import Anonymiser, Identifiers
    from caseforms.publication.check import Remaining
    from caseforms.publication.glossary import GlossaryRow, Suggestion
    from caseforms.register.findings import Finding
    from caseforms.register.records import Case, Register
    from caseforms.tracker.report import TrackerState

#: The folder of a case (cases/<REF>/) the request packs and chase e-mails go into.
REQUESTS_FOLDER = "requests"
RETURNS_FOLDER = "returns"
PAPERS_FOLDER = "papers"

#: The packs of papers each notification duty the register switches on needs (case flag -> pack), until the Rapid
#: Review is decided.
DUTY_PACKS: tuple[tuple[str, str], ...] = (
    ("looked_after_death", "sos-ofsted"), ("care_leaver_death", "sos-ofsted"), ("regulated_setting_death", "sos-ofsted"),
    ("placed_by_other_la", "placing-authority"), ("notifying", "partners-report"),
)


# -- reading the register --------------------------------------------------------------------------


def open_register(path: Path, profile_ref: str | None = None) -> tuple[Register, Profile]:
    """Return the register saved at ``path`` and its profile (with the closure days it adds).

    Also makes the missing folders of each case (cases/<REF>/returns and papers) when the register
    lives in a working folder made by ``caseforms init``.
    """
    from caseforms.io import file_kinds
    from caseforms.io.register_xlsx import profile_for, read_register
    from caseforms.profile import load_profile

    # The tracker given for the register (they sit side by side) is said so, not read as a register missing its sheets.
    refuse_wrong_workbook(Path(path), file_kinds.REGISTER, "Cases",
                          f"Give the case register ({Path(path).with_name('register.xlsx')} in a working folder).")
    override = load_profile(profile_ref) if profile_ref else None
    register = read_register(Path(path), override)
    profile = profile_for(register, override)
    ensure_case_folders(Path(path).resolve().parent, (c.ref for c in register.cases))
    return register, profile


def _register_and_profile(path: Path, register: Register | None) -> tuple[Register, Profile]:
    if register is None:
        return open_register(path)
    from caseforms.io.register_xlsx import profile_for

    return register, profile_for(register)


def find_case(register: Register, ref: str) -> Case:
    """Return the register's case ``ref``; raise :class:`CaseNotFound` listing those it holds, closest first.

    Raises :class:`CaseFolderShared` when another case's reference names the same folder: every job
    that finds its case here reads or writes the case's folder, and never another child's.
    """
    from caseforms.papers.from_register import find_case as find
    from caseforms.register.folders import check_own_folder

    case = find(register, ref)
    check_own_folder(case.ref, [(c.ref, c.row) for c in register.cases])
    return case


# -- checking the register -------------------------------------------------------------------------


@dataclass
class Checked:
    """What checking a register found."""

    register: Register
    profile: Profile
    findings: list[Finding]
    counts: dict[str, int]


def check_register(path: Path, today: date, *, register: Register | None = None,
                   profile_ref: str | None = None) -> Checked:
    """Check every case of the register against the validation rules, as of ``today``."""
    from caseforms.register.validation import summary, validate

    if register is None:
        register, profile = open_register(path, profile_ref)
    else:
        register, profile = _register_and_profile(path, register)
    findings = validate(register, profile, today)
    return Checked(register, profile, findings, summary(findings))


#: The statuses of a milestone still to be done, shown in deadline lists.
LIVE_STATUSES = ("overdue", "due soon", "upcoming")


@dataclass
class CaseDeadline:
    """One milestone still to be met by an open case."""

    case: Case
    due: Due


def live_deadlines(register: Register, profile: Profile, today: date) -> tuple[list[CaseDeadline], list[str]]:
    """Return every open case's milestones still to be met, soonest first, and the cases whose dates clash.

    A case whose recorded dates cannot make a timetable (an event before the one it must follow)
    is left out and named in the second list, with what to do.
    """
    from caseforms.deadlines import timetable
    from caseforms.errors import EventError

    rows: list[CaseDeadline] = []
    problems: list[str] = []
    for case in (c for c in register.open_cases() if c.ref):
        clash = date_clash(register, case)
        if clash:
            problems.append(clash)
        try:
            # Dates that clash are said, and the clocks still shown from the dates as they stand: none disappears.
            table = timetable(profile, case.events(register.schema), today, flags=case.flags(register.schema),
                              checked=bool(clash))
        except EventError as e:
            problems.append(f"Case {case.ref} (Cases row {case.row}): {e}")
            continue
        rows.extend(CaseDeadline(case, due) for due in table if due.status in LIVE_STATUSES and due.due is not None)
    rows.sort(key=lambda r: (str(r.due.due)[:10], r.case.ref))
    return rows, problems


def stage_papers(case: Case, register: Register) -> tuple[str, tuple[str, ...]]:
    """Return the case's stage in words and the packs of papers it needs now (none for a closed case).

    The stage follows the pathway (caseforms.register.pathway): an LCSPR decided at the Rapid Review meeting needs
    the Rapid Review's report and submission as well as the LCSPR's Terms of Reference; each notification duty the
    register switches on (a looked-after child's death, a placing authority...) adds its paper.
    """
    reached = set(case.stages(register.schema))
    if case.filled("rr_meeting_date"):
        reached.add("rr_meeting")
    if "closed" in reached:
        return "closed", ()
    flags = case.flags(register.schema)
    duties = tuple(dict.fromkeys(pack for flag, pack in DUTY_PACKS if flag in flags))
    reply = ("panel-reply",) if case["panel_view"] == "Disagrees" else ()
    lcspr = "lcspr" in reached
    if "published" in reached:
        return "LCSPR published", ()
    if lcspr and "signed_off" in reached:
        return "LCSPR signed off: publication to come", ("lcspr-report", "publication")
    if lcspr and "rr_decided" not in reached and "rr_meeting" in reached:
        return ("Rapid Review meeting decided an LCSPR: the report to the National Panel to come",
                ("rapid-review-record", "rapid-review-report", "submission", "lcspr-tor"))
    if lcspr:
        return "LCSPR in progress", ("lcspr-tor", "lcspr-panel", "lcspr-report", *reply)
    if "rr_decided" in reached:
        return "Rapid Review decided: no LCSPR", ("submission", *reply)
    if "rr_meeting" in reached:
        return "Rapid Review meeting held", ("rapid-review-record", "rapid-review-report", "submission")
    if "notified" in reached and case.filled("notified_date"):
        return "notified: Rapid Review under way", ("rapid-review-meeting", *duties)
    if "notified" in reached:
        return "decided to notify: the notification to make", ("notification", "referral-outcome", *duties)
    if "care_leaver_death" in flags:
        return ("a care leaver's death: notified to the Secretary of State and Ofsted, for information only"
                if case.filled("sos_ofsted_date") else
                "a care leaver's death: the Secretary of State and Ofsted to notify, for information only"), duties
    if "decided" in reached:
        return "decided: not notified", ("decision", "referral-outcome", *duties)
    return "referral awaiting the executive's decision", ("referral", "referral-receipt", "decision", *duties)


def date_clash(register: Register, case: Case) -> str | None:
    """Return, in an officer's words with the cells, why the case's dates cannot make a timetable; None when they can."""
    from caseforms.register.validation import case_date_order

    found = next(iter(case_date_order(register, case)), None)
    if found is None:
        return None
    return f"{found.message} {found.fix}"


# -- chronologies ----------------------------------------------------------------------------------


@dataclass
class Requested:
    """The request packs written for a case, and where the requests were logged."""

    case_ref: str
    folder: Path
    packs: list[Pack]
    log: SaveResult | None
    #: What the register lacks for the packs (an e-mail address, the scope...), in words; the packs were still made.
    problems: list[str]


#: The files of an agency's request pack, as :func:`caseforms.io.request_pack.write_pack` names them: what
#: follows the pack's name, and what the file is.
_PACK_FILES = ((".xlsx", "request workbook"), (" - letter.docx", "paper"), (".eml", "e-mail draft"))


def request_chronologies(path: Path, case_ref: str, today: date, *, register: Register | None = None,
                         agencies: Sequence[str] | None = None, out: Path | None = None,
                         templates: Path | None = None, log: bool = True) -> Requested:
    """Write each involved agency's chronology request (workbook, letter, e-mail draft) and log it.

    Every file to be written, and the register for the log, is checked before the first is
    written (open in Excel, read-only, a file of another kind in the way, no room...): a refusal
    leaves nothing half done. The working folder is locked meanwhile.
    """
    from caseforms.chronology.request import plan_requests
    from caseforms.io.request_pack import pack_stem, write_pack
    from caseforms.register.schema import RETURNS_LOG

    case, folder, packs, saved, problems = _write_agency_packs(
        path, case_ref, register, "request",
        plan=lambda reg, profile, ref: plan_requests(reg, profile, ref, list(agencies) if agencies else None, today),
        folder=Path(out) if out else None, folder_name=REQUESTS_FOLDER, stem=pack_stem, files=_PACK_FILES,
        write=lambda r, where: write_pack(r, where, templates),
        log_sheet=RETURNS_LOG if log else None,
        log_row=lambda r: {"case_ref": r.case_ref, "agency": r.agency, "requested_on": today, "due": r.due})
    return Requested(case, folder, packs, saved, problems)


def _write_agency_packs(path: Path, case_ref: str, register: Register | None, what: str, *,
                        plan: Callable[[Register, Profile, str], tuple[list[Any], list[Any]]],
                        folder: Path | None, folder_name: str, stem: Callable[[Any], str],
                        files: Sequence[tuple[str, str]], write: Callable[[Any, Path], Any],
                        log_sheet: str | None, log_row: Callable[[Any], dict[str, Any]],
                        ) -> tuple[str, Path, list[Any], SaveResult | None, list[str]]:
    """Write one pack per agency the plan gives (chronology or IMR requests) and log each on ``log_sheet``.

    Every file to be written, and the register for the log, is checked before the first is written,
    so a refusal leaves nothing half done; the register and the packs' folder are locked meanwhile.
    Return the case reference, the folder, the packs, the log's save and what the register lacks.
    """
    from contextlib import ExitStack

    from caseforms.io import file_kinds
    from caseforms.io.returns_log import upsert_rows
    from caseforms.io.safe_write import Target, check_writable, lock_for

    kinds = {k.name: k for k in (file_kinds.REQUEST, file_kinds.PAPER, file_kinds.EMAIL)}
    with ExitStack() as locks:
        locks.enter_context(lock_for(Path(path)))
        register, profile = _register_and_profile(path, register)
        case = find_case(register, case_ref)
        requests, case_missing = plan(register, profile, case.ref)
        if not requests:
            listed = " ".join(str(m) for m in case_missing if m.blocking) or "No agency to ask."
            raise NoAgencyToAsk(f"No {what} written for {case.ref}. {listed}")
        folder = folder or case_folder(Path(path).resolve().parent, case.ref) / folder_name
        locks.enter_context(lock_for(folder / "pack"))
        targets = [Target(folder / f"{stem(r)}{ending}", kinds[kind]) for r in requests for ending, kind in files]
        check_writable([*targets, *([Target(Path(path), updating=True)] if log_sheet else [])])
        packs = [write(r, folder) for r in requests]
        saved = None
        if log_sheet:
            saved = upsert_rows(Path(path), register.profile or register.profile_name, log_sheet,
                                [log_row(r) for r in requests])
    problems = sorted({str(m) for p in packs for m in p.request.missing} | {x for p in packs for x in p.problems})
    return case.ref, folder, packs, saved, problems


@dataclass
class Merged:
    """A master chronology written from a case's returns."""

    master: MasterChronology
    path: Path
    #: The copy of the master it replaced, when there was one.
    backup: Path | None


def returns_folder(path: Path, case_ref: str) -> Path:
    """Return the folder the agencies' returns of a case are filed in: cases/<REF>/returns beside the register."""
    return case_folder(Path(path).resolve().parent, case_ref) / RETURNS_FOLDER


@dataclass(frozen=True)
class MergeSettings:
    """What a merge of a case's returns takes from the register: its case, scope period and agencies."""

    case_ref: str | None = None
    scope_from: date | None = None
    scope_to: date | None = None
    directory: AgencyDirectory | None = None
    incident: date | None = None
    #: The partnership's own heading variants (profile [chronology_headings]).
    own_headings: dict[str, str] = field(default_factory=dict)
    #: Where the settings came from, for a message: the register's path.
    register: Path | None = None


def merge_settings(path: Path, case_ref: str, register: Register | None = None) -> MergeSettings:
    """Return the scope period, Agencies directory and heading variants of case ``case_ref`` from its register."""
    from caseforms.chronology.columns import own_headings
    from caseforms.chronology.request import agency_directory

    register, profile = _register_and_profile(path, register)
    case = find_case(register, case_ref)
    scope_from, scope_to = case.get("scope_from"), case.get("scope_to")
    return MergeSettings(
        case.ref, _day(scope_from), _day(scope_to), agency_directory(register, case.ref), _day(case.get("incident_date")),
        own_headings(profile.chronology_headings), Path(path),
    )


def _day(value: Any) -> date | None:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def find_returns(path: Path, case_ref: str, *, register: Register | None = None, folder: Path | None = None
                 ) -> list[FoundReturn]:
    """Return each chronology in the case's returns folder: the case and agency it is from, its rows and findings.

    The agency is told exactly as the merge tells it (:func:`caseforms.chronology.merge.identify_return`),
    so `chronology status`, the merge and the papers agree on who sent what.
    """
    from datetime import datetime

    from caseforms.chronology.merge import case_reference_of, identify_return, merge_returns
    from caseforms.chronology.request import FoundReturn
    from caseforms.io.returns import RETURN_SUFFIXES, collect_return_files, read_returns, suffix_of

    settings = merge_settings(path, case_ref, register)
    folder = folder or returns_folder(path, case_ref)
    if not folder.is_dir():
        return []
    files, _ = collect_return_files([folder])
    found: list[FoundReturn] = []
    for file in (f for f in files if suffix_of(f) in RETURN_SUFFIXES):
        tables, read_findings = read_returns([file], own=settings.own_headings)
        told = identify_return(tables, settings.directory, settings.own_headings) if tables else None
        master = merge_returns(tables, findings=read_findings, directory=settings.directory,
                               own_headings=settings.own_headings)
        counts = master.counts()
        errors = [f for f in master.findings if f.severity == "error"]
        findings = (f"{counts.get('error', 0)} error(s), {counts.get('warning', 0)} warning(s)"
                    + (f": {errors[0].message}" if errors else "")) if counts.get("error") or counts.get("warning") \
            else "none"
        unreadable = next((f.message for f in read_findings if f.severity == "error"), None) if not tables else None
        found.append(FoundReturn(
            file.name, case_reference_of(tables), told.agency if told else None,
            datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0),
            master.rows_read if tables else None, findings,
            candidates=(told.candidates or told.closest) if told else (), unreadable=unreadable,
        ))
    return found


def merge_case_returns(path: Path, case_ref: str, *, today: date | None = None, register: Register | None = None,
                       progress: Callable[[Path], None] | None = None,
                       on_files: Callable[[list[Path]], None] | None = None) -> Merged:
    """Merge the returns filed in the case's returns folder into the case's master chronology.

    The scope period is the case's "Scope from" and "Scope to" when the register records them;
    each return's agency is told against the register's Agencies sheet; entries after ``today``
    (default: the real date) are flagged as in the future. Raises :class:`NoReturnsYet` when the
    folder is missing or empty, saying where to file them.
    """
    from caseforms.io.master_read import master_chronology_path
    from caseforms.io.master_xlsx import write_master
    from caseforms.io.returns import RETURN_SUFFIXES, merge_return_files, suffix_of

    settings = merge_settings(path, case_ref, register)
    ref = settings.case_ref or case_ref
    folder = returns_folder(path, ref)
    if not folder.is_dir() or not any(suffix_of(p) in RETURN_SUFFIXES for p in folder.iterdir()):
        what = "has no returns yet" if folder.is_dir() else "does not exist yet"
        raise NoReturnsYet(
            f"The returns folder of {ref} ({folder}) {what}. Save the chronologies the agencies send back "
            "there, then merge again."
        )
    output = master_chronology_path(Path(path).resolve().parent, ref)
    from caseforms.io.file_kinds import MASTER
    from caseforms.io.safe_write import Target, check_writable

    check_writable([Target(output, MASTER)])
    master = merge_return_files(
        [folder], output=output, case_reference=ref, progress=progress, on_files=on_files, today=today,
        scope_from=settings.scope_from, scope_to=settings.scope_to, directory=settings.directory,
        own=settings.own_headings,
    )
    if master.rows_merged == 0:
        errors = [f for f in master.findings if f.severity == "error"] or master.findings
        details = " ".join(f"{f.place()}: {f.message}" for f in errors[:3])
        raise ChronologyError(f"Nothing in {folder} could be merged, so no master was written. {details}".strip())
    master.incident = settings.incident
    backup = write_master(master, output)
    return Merged(master, output, backup)


# -- papers ----------------------------------------------------------------------------------------


@dataclass
class NotRecorded:
    """One thing the register does not record, where to record it, and the papers that show its marker."""

    label: str
    where: str
    papers: list[str] = field(default_factory=list)


@dataclass
class PaperMade:
    """One paper (or the combined pack) as making it left it: the file that counts now and what happened."""

    #: The paper's name in the catalogue, or "pack" for the combined document.
    name: str
    title: str
    #: The file the pack encloses: the version just written, or the latest one, kept.
    path: Path
    version: str
    #: What making it did: caseforms.papers.versions.NEW, REPLACED, NEXT_VERSION or KEPT.
    action: str
    #: The version it follows (left exactly as it was) or, when made again in place, the copy it replaced.
    previous: Path | None = None
    #: The sections whose writing was carried in from an earlier version (or a pack), by title.
    carried: list[str] = field(default_factory=list)
    #: What the officer should know: edits that are not carried, and where they stay.
    notes: list[str] = field(default_factory=list)


@dataclass
class PapersMade:
    """The papers written for a case."""

    case_ref: str
    pack: str
    profile: Profile
    folder: Path
    #: (paper name, file), in the pack's order: the version written now, or the latest one kept as it was.
    papers: list[tuple[str, Path]]
    #: The combined document with a contents page, for a pack of several papers.
    pack_document: Path | None
    pdf: Path | None
    master_chronology: Path | None
    chronology_rows: int
    tracker: Path | None
    actions: int
    not_recorded: list[NotRecorded]
    #: Each paper, then the pack, with its version and what making it did.
    made: list[PaperMade] = field(default_factory=list)
    #: For papers made for publication: every identifier the publication check still finds in them (none: ready).
    remaining: list[Any] | None = None


def make_papers(path: Path, case_ref: str, pack: str, today: date, *, register: Register | None = None,
                out: Path | None = None, pdf: bool = False, chronology: Path | None = None,
                profile_ref: str | None = None, anonymised: bool = False,
                tracker: tuple[list[dict[str, Any]], Path | None] | None = None) -> PapersMade:
    """Fill the templates of ``pack`` for one case; write each paper and, for several, one combined pack.

    Every template is checked before anything is written, so a bad one never leaves half a pack.
    A paper edited since caseforms made it is never replaced: its next version is written beside it,
    with what the officer wrote in its sections carried in (caseforms.papers.versions says when a
    paper is kept, made again or followed by a new version). The pack encloses the latest version
    of each paper.

    ``anonymised`` makes the papers for publication instead, from the same register and chronology: every
    name replaced as the case's glossary says, dates of birth, NHS numbers and addresses taken out, what the
    officer wrote in the named paper carried in and anonymised, file names ending '(for publication)'.
    The publication check then reads each one back (``remaining``).

    ``register`` and ``tracker`` (:func:`tracker_actions`) are for a caller making several packs: read once for all.
    """
    from caseforms.errors import TemplateError
    from caseforms.io.docx_render import check_template, template_path
    from caseforms.io.master_read import MasterRead, find_master_chronology, read_master
    from caseforms.papers.fields import PACKS, PAPERS
    from caseforms.papers.from_register import case_file

    if register is None:
        register, profile = open_register(path, profile_ref)
    else:
        register, profile = _register_and_profile(path, register)
    case = find_case(register, case_ref)  # an unknown reference stops here, before anything is read or written
    if pack not in PACKS:
        raise CaseNotFound(f"There is no '{pack}' pack of papers. The packs are: {', '.join(PACKS)}.")
    clash = date_clash(register, case)
    if clash:
        from caseforms.errors import EventError

        raise EventError(f"{clash} No papers were made: their deadlines count from these dates.")
    root = Path(path).resolve().parent
    master = Path(chronology) if chronology else find_master_chronology(root, case.ref)
    read = read_master(master) if master else MasterRead()
    rows = read.rows
    actions, tracker_file = tracker_actions(root, profile) if tracker is None else ([dict(a) for a in tracker[0]], tracker[1])
    papers = PACKS[pack]
    templates = {name: template_path(name, profile.templates_dir) for name in ("pack_contents", *papers)}
    problems = [p for name, t in templates.items() for p in check_template(t, PAPERS[name])]
    if problems:
        listed = "\n  ".join(str(p) for p in problems[:20])
        raise TemplateError(
            f"{len(problems)} problem(s) in the templates of the {pack} pack; nothing was written:\n  {listed}\n"
            "Correct them in Word (see 'caseforms templates fields'), or check them with 'caseforms templates check'."
        )

    # The merge's open checks are the officer's, about the returns (file and sheet names, another case's return):
    # a paper for publication leaves them out.
    caseinfo = case_file(register, case.ref, chronology=rows, actions=actions, summaries=read.summaries,
                         chronology_findings=[] if anonymised else read.findings, chronology_merged=master is not None)
    folder = Path(out) if out else case_folder(root, case.ref) / PAPERS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    anonymiser = None
    if anonymised:
                anonymiser = case_anonymiser(register, case, read)
    writer = _PaperWriter(folder, case.ref, profile, today, register, templates, anonymiser)
    # A paper open in Word may be mid-edit: stop before anything is written, saying which.
    for key in (*papers, *([f"pack:{pack}"] if len(papers) > 1 else [])):
        writer.latest(writer.key(key))
    made = [writer.paper(name, caseinfo) for name in papers]
    pack_made = writer.pack(pack, caseinfo, made) if len(papers) > 1 else None
    target = pack_made or made[0]
    made_pdf = _pdf_of(target) if pdf else None
    remaining = None
    if anonymiser is not None:
                remaining = check_files([m.path for m in made] + ([pack_made.path] if pack_made else []), anonymiser)
    return PapersMade(case.ref, pack, profile, folder, [(m.name, m.path) for m in made],
                      pack_made.path if pack_made else None, made_pdf, master, len(rows), tracker_file,
                      len(caseinfo.actions), list(writer.missing.values()), [*made, *([pack_made] if pack_made else [])],
                      remaining)


def _pdf_of(made: PaperMade) -> Path:
    """Return the PDF of a paper or pack: converted again unless the one beside it is newer than the document."""
    from caseforms.io.docx_render import to_pdf

    existing = made.path.with_suffix(".pdf")
    if made.action == "up to date" and existing.is_file() and existing.stat().st_mtime >= made.path.stat().st_mtime:
        return existing
    return to_pdf(made.path)


def _paper_charts(name: str, caseinfo: Any) -> dict[str, Any] | None:
    """Return the Word charts a paper shows: the chronology's timeline, for a paper that has the chronology."""
    from caseforms.papers.fields import PAPERS

    if "chronology" not in PAPERS[name].groups or not caseinfo.chronology:
        return None
    from caseforms.io.timeline_docx import case_timeline_chart

    chart = case_timeline_chart(caseinfo)
    return {"timeline_chart": chart.for_template} if chart is not None else None


class _PaperWriter:
    """Write a case's papers into its papers folder, one version at a time, never over the officer's edits."""

    def __init__(self, folder: Path, ref: str, profile: Profile, today: date, register: Register,
                 templates: dict[str, Path], anonymiser: Any = None) -> None:
        from caseforms.io.paper_versions import older_papers, papers_in
        from caseforms.papers.fields import PACK_TITLES, PAPERS

        self.folder, self.ref, self.profile, self.today, self.register = folder, ref, profile, today, register
        self.templates = templates
        self.stem = folder_name(ref)
        self.found = papers_in(folder, ref)
        older_papers(folder, self.stem, {**{n: p.title for n, p in PAPERS.items()},
                                         **{f"pack:{k}": f"{k} pack" for k in PACK_TITLES}}, self.found)
        self.missing: dict[str, NotRecorded] = {}
        self._read: dict[Path, Any] = {}
        #: The papers rendered in this run, as documents in memory: the pack combines them without reading them back.
        self._rendered: dict[Path, Any] = {}
        #: Set for papers for publication (caseforms.publication.anonymise.Anonymiser); None for named papers.
        self.anonymiser = anonymiser

    def key(self, name: str) -> str:
        """Return the key a paper (or "pack:NAME") is recorded under: its own, or its version for publication's."""
        return publication_key(name) if self.anonymiser is not None else name

    def title(self, title: str) -> str:
        return f"{title} {FOR_PUBLICATION}" if self.anonymiser is not None else title

    def latest(self, key: str) -> Any:
        from caseforms.io.paper_versions import latest_of
        from caseforms.io.safe_write import ensure_not_open

        found = latest_of(self.found.get(key, []))
        if found is not None:
            # The latest version open in Word may be mid-edit: say so before anything is written.
            ensure_not_open(found.path)
        return found

    def read(self, found: Any) -> Any:
        from caseforms.io.paper_versions import read_back

        if found.path not in self._read:
            self._read[found.path] = read_back(found)
        return self._read[found.path]

    def paper(self, name: str, caseinfo: Any) -> PaperMade:
        """Write one paper (or keep its latest version); return what was done."""
        from caseforms.io.docx_render import render
        from caseforms.io.paper_versions import Finisher, Stamp, made_from, sections_from
        from caseforms.papers import context
        from caseforms.papers.fields import PAPERS

        title = self.title(PAPERS[name].title)
        key = self.key(name)
        latest = self.latest(key)
        filled = context.build(name, caseinfo, self.profile, self.today)
        anonymiser = self.anonymiser
        if anonymiser is not None:
            filled = context.Filled(anonymiser.apply(filled.context), filled.missing)
        sources = []
        if latest is not None and latest.stamp is not None and (latest.saved_since or latest.stamp.officer):
            sources.append(self.read(latest))
        if anonymiser is not None:
            # What the officer wrote in the named paper is the source of its version for publication.
            from caseforms.io.paper_versions import latest_of

            named = latest_of(self.found.get(name, []))
            if named is not None and named.stamp is not None and (named.saved_since or named.stamp.officer):
                sources.append(self.read(named))
        for pack_key, versions in self.found.items():
            pack = self._latest_pack(pack_key, versions, name)
            if pack is not None:
                sources.append(self.read(pack))
        carry = sections_from(sources, name)
        # What the latest version holds already is not news; writing carried from a pack is.
        elsewhere = {k: c.written.fingerprint for k, c in carry.items()
                     if latest is None or c.source.found.path != latest.path}
        if anonymiser is not None:
            elsewhere["glossary"] = anonymiser.fingerprint
        fingerprint = made_from(name, filled.context, self.templates[name], elsewhere)
        step = self._plan(latest, fingerprint)
        if not step.writes:
            self._note_missing(latest.stamp.missing if latest.stamp else [], title)
            return PaperMade(name, title, latest.path, latest.version, step.action)
        filled.context["document"]["version"] = step.version
        finisher = Finisher(Stamp(self.ref, key, step.version, made_from=fingerprint), carry)
        target = self._target(title, step.version, latest)

        def finish(document: Any) -> None:
            finisher.carry(document)
            if anonymiser is not None:
                from caseforms.io.publication_files import anonymise_document

                # Everything the paper now holds, the officer's carried writing included, for publication.
                anonymise_document(document, anonymiser)

        done = render(self.templates[name], filled.context, target, PAPERS[name], carry=finish, stamp=finisher.stamp,
                      images=_paper_charts(name, caseinfo))
        self._rendered[done.path] = done.document
        self._note_missing(done.missing, title)
        return self._made(name, title, step, done.path, latest, finisher)

    def pack(self, pack: str, caseinfo: Any, papers: list[PaperMade]) -> PaperMade:
        """Combine the pack's papers (their latest versions) behind a contents page; return what was done."""

        from caseforms.io.docx_render import compose, fill
        from caseforms.io.paper_versions import Stamp, finish_pack, made_from, read_stamp
        from caseforms.papers import context
        from caseforms.papers.fields import PACK_TITLES, PAPERS

        key, title = self.key(f"pack:{pack}"), self.title(f"{pack} pack")
        latest = self.latest(key)
        contents = context.pack_contents(caseinfo, self.profile, pack, self.today)
        if self.anonymiser is not None:
            contents = context.Filled(self.anonymiser.apply(contents.context), contents.missing)
        stamps = [read_stamp(m.path)[0] for m in papers]
        enclosed = "|".join(f"{m.path.name}:{s.written if s else ''}" for m, s in zip(papers, stamps, strict=True))
        made = made_from(key, contents.context, self.templates["pack_contents"], {"enclosed": enclosed})
        step = self._plan(latest, made)
        if not step.writes:
            return PaperMade("pack", PACK_TITLES[pack], latest.path, latest.version, step.action)
        record = Stamp(self.ref, key, step.version, made_from=made, papers=[self.key(m.name) for m in papers])
        for s in stamps:
            if s is not None:
                record.sections.update(s.sections)
                record.bounds.update(s.bounds)
                record.titles.update(s.titles)
                record.officer.extend(s.officer)
                record.missing.extend(m for m in s.missing if m not in record.missing)


        def finish(document: Any) -> None:
            finish_pack(document, record)

        contents.context["document"]["version"] = step.version
        target = self._target(title, step.version, latest)
        # The contents page is filled in memory: it only ever goes into the pack.
        page = fill(self.templates["pack_contents"], contents.context, PAPERS["pack_contents"])
        compose([page, *(self._rendered.pop(m.path, m.path) for m in papers)], target,
                bookmarks=[p["bookmark"] for p in contents.context["pack"]["papers"]], finish=finish)
        return self._made("pack", PACK_TITLES[pack], step, target, latest, None)

    def _latest_pack(self, key: str, versions: list[Any], paper: str) -> Any:
        """Return the latest version of a pack enclosing ``paper`` when it was edited (the officer may write there).

        A paper for publication takes the officer's writing from the named packs and from the packs for
        publication; a named paper never from a pack for publication (its text is anonymised).
        """
        from caseforms.io.paper_versions import latest_of

        if not key.startswith("pack:"):
            return None
        found = latest_of(versions)
        wanted = {paper, self.key(paper)}
        if found is None or found.stamp is None or not found.saved_since or not wanted & set(found.stamp.papers):
            return None
        return found

    def _plan(self, latest: Any, fingerprint: str) -> Any:
        from caseforms.papers.versions import NEXT_VERSION, REPLACED, Plan, next_version, plan

        step = plan(latest.latest if latest is not None else None, fingerprint)
        # Caseforms' own untouched copy is made again in place only when its text is still what caseforms wrote:
        # a program that saves without saying so (no new "modified" date) still made an edit.
        if step.action == REPLACED and self.read(latest).text_changed:
            step = Plan(NEXT_VERSION, next_version(latest.version))
        return step

    def _target(self, title: str, version: str, latest: Any) -> Path:
        """Return the file to write: '<REF> <title> v<version> <date>.docx', never another file of that name."""
        from caseforms.papers.versions import paper_file_name

        target = self.folder / paper_file_name(self.stem, title, version, self.today)
        n = 2
        while target.exists() and (latest is None or target != latest.path):
            target = self.folder / paper_file_name(self.stem, f"{title} ({n})", version, self.today)
            n += 1
        return target

    def _made(self, name: str, title: str, step: Any, path: Path, latest: Any, finisher: Any) -> PaperMade:
        from caseforms.io.safe_write import backup
        from caseforms.papers.versions import REPLACED

        previous = latest.path if latest is not None else None
        if step.action == REPLACED and latest is not None and latest.path != path:
            # Caseforms' own untouched copy, superseded by the same version made today: it goes to backups/.
            previous = backup(latest.path)
            latest.path.unlink()
        made = PaperMade(name, title, path, step.version, step.action, previous)
        if finisher is not None:
            made.carried = list(finisher.carried_titles)
            made.notes = list(finisher.notes)
            made.notes.extend(f"'{t}' is not in the template any more: what was written in it stays in "
                              f"{latest.path.name}" for t in finisher.not_in_template)
        if latest is not None and step.action != REPLACED and latest.stamp is not None and latest.saved_since:
            lost = [latest.stamp.titles.get(k, k) for k in self.read(latest).lost]
            if lost:
                made.notes.append(f"{', '.join(lost)} could not be found in {latest.path.name} (its heading was "
                                  "changed or the section deleted): copy what you wrote there across by hand")
        if latest is not None and latest.stamp is None and step.action != REPLACED:
            made.notes.append(f"{latest.path.name} was made by an earlier caseforms: it is kept as it is; copy what "
                              "you wrote in it into the new version")
        return made

    def _note_missing(self, labels: list[str], title: str) -> None:
        from caseforms.papers.from_register import where_to_record

        for label in labels:
            entry = self.missing.setdefault(label, NotRecorded(label, where_to_record(label, self.register, self.ref)))
            if title not in entry.papers:
                entry.papers.append(title)


@dataclass
class StagePapers:
    """The papers a case needs at its stage, made pack by pack."""

    case_ref: str
    #: The case's stage, in words ("Rapid Review meeting held").
    stage: str
    packs: list[PapersMade]


def make_stage_papers(path: Path, case_ref: str, today: date, *, register: Register | None = None,
                      out: Path | None = None, pdf: bool = False, chronology: Path | None = None,
                      profile_ref: str | None = None,
                      progress: Callable[[str, int, int], None] | None = None, anonymised: bool = False) -> StagePapers:
    """Make every pack of papers the case needs at its current stage (:data:`STAGE_PACKS`), as Excel's action does.

    ``progress(pack, n, of)`` is told before each pack. A closed case needs none: the result has no packs.
    """
    if register is None:
        register, _ = open_register(path, profile_ref)
    case = find_case(register, case_ref)
    stage, packs = stage_papers(case, register)
    made = []
    for n, pack in enumerate(packs, start=1):
        if progress is not None:
            progress(pack, n, len(packs))
        made.append(make_papers(path, case.ref, pack, today, register=register, out=out, pdf=pdf,
                                chronology=chronology, profile_ref=profile_ref, anonymised=anonymised))
    return StagePapers(case.ref, stage, made)


# -- publication: the glossary, the chronology for publication, the publication check ---------------------------------
#
# Published reviews call every person by a pseudonym or a role and leave out dates of birth, NHS numbers, addresses and
# schools (000_44eed6501ae43eb6.txt: 4.6 Publication). The papers for publication are made by make_papers(...,
# anonymised=True) from the same register and master chronology as the named ones, with case_anonymiser().

#: Added to a paper's title (and so its file name) and to the master's name: what is meant for publication.
FOR_PUBLICATION = "(for publication)"
PUBLICATION_MASTER_FILE = f"Master chronology {FOR_PUBLICATION}.xlsx"
#: The end of the key a paper for publication is recorded under ("rr_report:publication").
PUBLICATION_KEY = ":publication"


def publication_key(paper: str) -> str:
    """Return the key a paper's version for publication is recorded under in its properties."""
    return f"{paper}{PUBLICATION_KEY}"


# -- what the register and the chronology say about the case's people --------------------------------------------


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def glossary_rows(register: Register, case_ref: str) -> list[GlossaryRow]:
    """Return the case's rows of the Glossary sheet (none for a register made before the sheet)."""
    from caseforms.publication.glossary import GlossaryRow

    wanted = case_ref.strip().casefold()
    return [GlossaryRow(_text(r["name"]), _text(r["kind"]), _text(r["agency"]), _text(r["publish_as"]), _text(r["also"]),
                        _text(r["suggested_by"]), _text(r["suggested"]))
            for r in register.other.get(GLOSSARY, [])
            if _text(r["case_ref"]).casefold() == wanted and _text(r["name"])]


@dataclass
class ChronologyPeople:
    """Who a chronology names: (by whom, agency, where) of its practitioners, its subjects, its agencies."""

    practitioners: list[tuple[str, str, str]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


def chronology_people(entries: Iterable[tuple[str, str, str]], summaries: Iterable[Any] = ()) -> ChronologyPeople:
    """Return who a chronology names, from its entries' (by whom, agency, subjects) and the agencies' summaries."""
    found = ChronologyPeople()
    for by_whom, agency, subjects in entries:
        if by_whom:
            found.practitioners.append((by_whom, agency, f"chronology: By whom ({agency})" if agency else
                                        "chronology: By whom"))
        found.subjects += [s.strip() for s in (subjects or "").replace(",", ";").split(";") if s.strip()]
        if agency:
            found.agencies.append(agency)
    for summary in summaries:
        agency = getattr(summary, "agency", None) or ""
        for who in (getattr(summary, "author", ""), getattr(summary, "signed_off", "")):
            if who:
                found.practitioners.append((who, agency, f"agency summary ({agency})" if agency else "agency summary"))
    return found


def _from_read(read: MasterRead | None) -> ChronologyPeople:
    if read is None:
        return ChronologyPeople()
    return chronology_people(((r.by_whom or "", r.agency or "", r.subjects or "") for r in read.rows), read.summaries)


def _from_master(master: MasterChronology) -> ChronologyPeople:
    return chronology_people(((e.cells.get("by_whom", ""), e.agency, e.cells.get("subjects", "")) for e in master.entries),
                             master.summaries)


def case_suggestions(register: Register, case: Case, people: ChronologyPeople,
                     rows: Sequence[GlossaryRow] = ()) -> list[Suggestion]:
    """Return caseforms' suggestion for every person of the case (see :func:`caseforms.publication.glossary.suggest`)."""
    from caseforms.publication.glossary import Person, is_school, person_key, suggest

    persons = [Person(_text(p["name"]), _text(p["role"]), _text(p["relationship"]), _text(p["education"]))
               for p in case.people if _text(p["name"])]
    family = [(_text(r["name"]), _text(r["relationship"])) for r in register.other.get(FAMILY, [])
              if _text(r["case_ref"]).casefold() == case.ref.casefold() and _text(r["name"])]
    schools = [p.education for p in persons if p.education] + people.agencies + \
        [a.split(":")[0].strip() for a in _text(case["agencies_involved"]).replace(";", "\n").split("\n")] + \
        [_text(a["agency"]) for a in register.agencies]
    taken = {person_key(r.name): r.publish_as for r in rows if r.publish_as}
    return suggest(persons, pseudonym=_text(case["pseudonym"]) or None, family=family,
                   practitioners=people.practitioners, subjects=people.subjects,
                   schools=[s for s in schools if s and is_school(s)], taken=taken)


def case_identifiers(register: Register, case: Case, people: ChronologyPeople) -> Identifiers:
    """Return everything that identifies the case's people: the glossary (and suggestions), dates, numbers, places."""
    from caseforms.publication.anonymise import Identifiers
    from caseforms.publication.glossary import glossary_people

    rows = glossary_rows(register, case.ref)
    named = glossary_people(rows, case_suggestions(register, case, people, rows))
    ids = Identifiers(people=named)
    for p in case.people:
        who = _text(p["name"]) or "a person of the case"
        born = _day(p["date_of_birth"])
        if born is not None:
            ids.dates_of_birth.setdefault(born, who)
        nhs = "".join(ch for ch in _text(p["nhs_number"]) if ch.isdigit())
        if len(nhs) == 10:
            ids.nhs_numbers.setdefault(nhs, who)
        address = str(p["address"] or "").strip()
        if address:
            ids.addresses.setdefault(address, who)
    # The partnership's own people stay named: their names are not the family's or the practitioners'.
    staff = [_text(case["officer"]), _text(case["reviewer"]), *(_text(a[k]) for a in register.agencies
                                                               for k in ("spoc_name", "deputy_name"))]
    staff += [_text(m["chair"]) for m in case.meetings]
    ids.keep = [s for s in dict.fromkeys(staff) if len(s.split()) >= 2]
    location = _text(case["incident_location"])
    if location:
        ids.addresses.setdefault(location, "the incident's location")
    return ids


def case_anonymiser(register: Register, case: Case, read: MasterRead | None = None) -> Anonymiser:
    """Return the anonymiser of a case, from its register rows and its master chronology as read."""
    from caseforms.publication.anonymise import Anonymiser

    return Anonymiser(case_identifiers(register, case, _from_read(read)))


def master_anonymiser(register: Register, case: Case, master: MasterChronology) -> Anonymiser:
    """Return the anonymiser of a case for a master chronology just merged."""
    from caseforms.publication.anonymise import Anonymiser

    return Anonymiser(case_identifiers(register, case, _from_master(master)))


# -- the glossary ----------------------------------------------------------------------------------------------


@dataclass
class GlossaryMade:
    """The case's glossary after caseforms' suggestions: everyone, what to publish, who suggested it."""

    case_ref: str
    #: (name, kind, agency or relationship, publish as, suggested by), in the sheet's order then the new rows'.
    rows: list[tuple[str, str, str, str, str]]
    added: int
    updated: int
    saved: SaveResult | None


def suggest_glossary(path: Path, case_ref: str, *, register: Register | None = None, chronology: Path | None = None,
                     write: bool = True) -> GlossaryMade:
    """Suggest a Glossary row for every person of the case not yet in it and write them to the register.

    Nothing the officer changed is written over (:func:`caseforms.publication.glossary.plan_rows`). The
    register is locked meanwhile; one made before the Glossary sheet gains it.
    """
    from caseforms.io.master_read import MasterRead, find_master_chronology, read_master
    from caseforms.io.returns_log import upsert_rows
    from caseforms.io.safe_write import Target, check_writable, lock_for
    from caseforms.publication.glossary import CASEFORMS, person_key, plan_rows

    with lock_for(Path(path)):
        register, _ = _register_and_profile(path, register)
        case = find_case(register, case_ref)
        master = Path(chronology) if chronology else find_master_chronology(Path(path).resolve().parent, case.ref)
        read = read_master(master) if master else MasterRead()
        rows = glossary_rows(register, case.ref)
        suggestions = case_suggestions(register, case, _from_read(read), rows)
        writes = plan_rows(case.ref, rows, suggestions)
        saved = None
        if write and writes:
            check_writable([Target(Path(path), updating=True)])
            saved = upsert_rows(Path(path), register.profile or register.profile_name, GLOSSARY, writes,
                                key=("case_ref", "name"))
    existing = {person_key(r.name) for r in rows}
    added = [w for w in writes if person_key(str(w["name"])) not in existing]
    table: dict[str, list[str]] = {person_key(r.name): [r.name, r.kind, r.agency, r.publish_as,
                                                        r.suggested_by or "officer"] for r in rows}
    for w in writes:
        k = person_key(str(w["name"]))
        row = table.setdefault(k, [str(w["name"]), "", "", "", CASEFORMS])
        for i, key in ((1, "kind"), (2, "agency"), (3, "publish_as"), (4, "suggested_by")):
            if key in w:
                row[i] = str(w[key])
    return GlossaryMade(case.ref, [(r[0], r[1], r[2], r[3], r[4]) for r in table.values()], len(added),
                        len(writes) - len(added), saved)


# -- the chronology for publication --------------------------------------------------------------------------------


def master_for_publication(master: MasterChronology, anonymiser: Anonymiser) -> MasterChronology:
    """Return the master chronology with every text anonymised: entries, agency names, summaries, file names.

    The merge's findings are left out (they are about the returns, for the officer, and quote what the
    returns say: a sheet name cut to 31 characters is a school's name no glossary holds), and so are the
    returns that were not merged (another case's, filed here by mistake).
    """
    from dataclasses import replace

    return anonymiser.apply(replace(master, findings=[], returns=[r for r in master.returns if r.merged]))


def publication_master_path(master: Path) -> Path:
    """Return where the master chronology for publication goes: beside the master, '(for publication)' in its name."""
    return Path(master).with_name(f"{Path(master).stem} {FOR_PUBLICATION}.xlsx")


@dataclass
class PublicationMaster:
    """The master chronology for publication as written, and what the publication check still finds in it."""

    path: Path
    backup: Path | None
    remaining: list[Remaining]


def write_publication_master(register_path: Path, case_ref: str, master: MasterChronology, master_path: Path, *,
                             protective_marking: str | None = None) -> PublicationMaster:
    """Write the master chronology for publication beside the master, from the same merge; check it.

    Every text of it is anonymised with the case's glossary (and caseforms' suggestions for anyone not in
    it yet): the entries, the agencies' names when they name a school, the summaries, the findings and the
    file names. The dates of entries stay: a chronology is read by them.
    """
    from caseforms.io.master_xlsx import PROTECTIVE_MARKING, write_master

    register, _ = open_register(Path(register_path))
    case = find_case(register, case_ref)
    anonymiser = master_anonymiser(register, case, master)
    target = publication_master_path(master_path)
    marking = PROTECTIVE_MARKING if protective_marking is None else protective_marking or None
    backup = write_master(master_for_publication(master, anonymiser), target, protective_marking=marking)
    return PublicationMaster(target, backup, check_files([target], anonymiser))


# -- the check -----------------------------------------------------------------------------------------------------


@dataclass
class PublicationChecked:
    """What the publication check read and every identifier it found."""

    case_ref: str
    files: list[Path]
    remaining: list[Remaining]

    @property
    def ready(self) -> bool:
        return bool(self.files) and not self.remaining


def check_files(files: Sequence[Path], anonymiser: Anonymiser) -> list[Remaining]:
    """Return every identifier left in ``files`` (.docx papers, .xlsx workbooks)."""
    from caseforms.io.publication_files import file_texts
    from caseforms.publication.check import remaining

    found: list[Remaining] = []
    for path in files:
        found += remaining(Path(path).name, file_texts(Path(path)), anonymiser)
    return found


def publication_files(root: Path, case_ref: str) -> list[Path]:
    """Return the case's files for publication: the latest version of each paper and pack, and the master."""
    from caseforms.io.paper_versions import latest_of, papers_in

    folder = case_folder(root, case_ref)
    found = papers_in(folder / PAPERS_FOLDER, case_ref)
    files = [latest.path for key, versions in sorted(found.items())
             if key.endswith(PUBLICATION_KEY) and (latest := latest_of(versions)) is not None]
    master = folder / PUBLICATION_MASTER_FILE
    if master.is_file():
        files.append(master)
    return files


def check_publication(path: Path, case_ref: str, files: Sequence[Path] = (), *, register: Register | None = None,
                      chronology: Path | None = None) -> PublicationChecked:
    """Check the case's files for publication (or ``files``) for every identifier the register and glossary know."""
    from caseforms.errors import NothingToPublish
    from caseforms.io.master_read import MasterRead, find_master_chronology, read_master

    register, _ = _register_and_profile(path, register)
    case = find_case(register, case_ref)
    root = Path(path).resolve().parent
    master = Path(chronology) if chronology else find_master_chronology(root, case.ref)
    read = read_master(master) if master else MasterRead()
    chosen = [Path(f) for f in files] or publication_files(root, case.ref)
    if not chosen:
        raise NothingToPublish(
            f"Case {case.ref} has no papers or chronology for publication yet. Make them with 'caseforms papers "
            f"REGISTER --case {case.ref} --pack lcspr-report --anonymised' and 'caseforms chronology merge "
            f"cases/{case.ref}/returns --for-publication', or name the files to check.")
    for f in chosen:
        if not f.is_file():
            raise NothingToPublish(f"{f} does not exist: name a paper (.docx) or a workbook (.xlsx) to check.")
    return PublicationChecked(case.ref, chosen, check_files(chosen, case_anonymiser(register, case, read)))


def tracker_actions(root: Path, profile: Profile) -> tuple[list[dict[str, Any]], Path | None]:
    """Return the rows of the action tracker in the working folder (tracker.xlsx), when there is one."""
    from caseforms.tracker.schema import TRACKER_FILE

    tracker = Path(root) / TRACKER_FILE
    if not tracker.is_file():
        return [], None
    from caseforms.io.tracker_xlsx import actions_of, read_tracker

    rows, _ = read_tracker(tracker, profile)
    return [dict(row.values) for row in actions_of(rows)], tracker


# -- the actions tracker ---------------------------------------------------------------------------


#: What to do when another workbook was given for the tracker, or for the register.
TRACKER_EXAMPLE = "Give the tracker: caseforms tracker tracker.xlsx --register register.xlsx"
REGISTER_EXAMPLE = "Give the case register after --register: caseforms tracker tracker.xlsx --register register.xlsx"


@dataclass
class TrackerRefreshed:
    """The tracker rated, its papers written, and the register's cases marked."""

    tracker: Register
    state: TrackerState
    saved: SaveResult
    findings: list[Finding]
    #: What was written, by what it is ("tracker", "lig_report", "escalations", "register").
    written: dict[str, Path]


def assess_tracker(tracker: Register, profile: Profile, today: date,
                   register: Register | None = None) -> tuple[TrackerState, list[Finding]]:
    """Rate every action of the tracker as of ``today``; return the ratings and the tracker's problems.

    With the register, each action's case reference is checked against the register's cases.
    """
    from caseforms.io.tracker_xlsx import actions_of, check_tracker
    from caseforms.tracker.report import assess

    findings = check_tracker(tracker, [c.ref for c in register.cases] if register else None)
    return assess([row.values for row in actions_of(tracker)], profile, today), findings


def tracker_papers(state: TrackerState, profile: Profile, folder: Path, *, escalations: bool = False,
                   author: str = "") -> dict[str, Path]:
    """Write the LIG paper (and the Executive's escalation report) into ``folder``; return them by name."""
    from caseforms.io.tracker_docx import write_paper
    from caseforms.tracker.report import paper_context, paper_title

    written: dict[str, Path] = {}
    for paper, path in tracker_paper_files(state.as_of, folder, escalations):
        filled = paper_context(state, profile, paper_title(paper.name, profile), author)
        written[paper.name] = write_paper(paper, filled, state, path, profile.templates_dir).path
    return written


def tracker_paper_files(as_of: date, folder: Path, escalations: bool = False) -> list[tuple[Any, Path]]:
    """Return the tracker papers to write as of a day and the file each is written to."""
    from caseforms.io.tracker_docx import ESCALATIONS, LIG_REPORT

    papers = [(LIG_REPORT, Path(folder) / f"LIG tracker report {as_of:%Y-%m-%d}.docx")]
    if escalations:
        papers.append((ESCALATIONS, Path(folder) / f"Executive escalations {as_of:%Y-%m-%d}.docx"))
    return papers


def refuse_wrong_workbook(path: Path, wanted: Any, sheet: str, command: str) -> None:
    """Refuse a workbook that is not the one a job needs: the register given as the tracker, or the other way round."""
    from caseforms.errors import WrongKindOfFile
    from caseforms.io.file_kinds import identify, sheet_names

    kind = identify(path)
    if kind is None or kind == wanted:
        return  # a missing file is reported by the read that follows, in its own words
    if kind.ours or sheet.casefold() not in {n.casefold().strip() for n in sheet_names(path)}:
        raise WrongKindOfFile(f"{path} is {kind}, not {wanted}, so nothing was read or written. {command}")


def refresh_tracker(path: Path, today: date, *, register_path: Path | None = None, escalations: bool = False,
                    author: str = "", out: Path | None = None, register: Register | None = None) -> TrackerRefreshed:
    """Rate every action, write the ratings and the By agency sheet, and write the LIG paper.

    With the register (its path, or as read already), case references are checked; with its path,
    each case's "RR action plan complete" is written back into the register file, when it changes
    ("register" is in ``written`` only then). The working folder is locked from the first read to
    the last write, so a tracker changed meanwhile by another caseforms command (an import) is
    never written over; and everything that could refuse (a file open in Excel, read-only, in the
    way, no room, ``out`` naming a file) is checked before the first write.
    """
    from contextlib import ExitStack

    from caseforms.io import file_kinds
    from caseforms.io.safe_write import Target, check_writable, lock_for, save_openpyxl
    from caseforms.io.tracker_xlsx import read_tracker, refresh

    path = Path(path)
    folder = Path(out) if out else path.parent / PAPERS_FOLDER
    with ExitStack() as locks:
        for place in (path, *([Path(register_path)] if register_path is not None else []), folder / "paper"):
            locks.enter_context(lock_for(place))
        refuse_wrong_workbook(path, file_kinds.TRACKER, "Actions", TRACKER_EXAMPLE)
        if register_path is not None:
            refuse_wrong_workbook(Path(register_path), file_kinds.REGISTER, "Cases", REGISTER_EXAMPLE)
        tracker, profile = read_tracker(path)
        if register is None and register_path is not None:
            from caseforms.io.register_xlsx import read_register

            register = read_register(Path(register_path))
        state, findings = assess_tracker(tracker, profile, today, register)
        marked = _ready_marks(Path(register_path), state.ready_to_close) if register_path is not None else None
        check_writable([
            Target(path, updating=True),
            *(Target(p, file_kinds.PAPER) for _, p in tracker_paper_files(state.as_of, folder, escalations)),
            *([Target(Path(register_path), updating=True)] if marked is not None and register_path is not None else []),
        ])
        saved = refresh(path, tracker, state)
        written: dict[str, Path] = {"tracker": saved.path}
        written.update(tracker_papers(state, profile, folder, escalations=escalations, author=author))
        if marked is not None and register_path is not None:
            written["register"] = save_openpyxl(marked, Path(register_path)).path
    return TrackerRefreshed(tracker, state, saved, findings, written)


def mark_ready_cases(register_path: Path, ready: dict[str, bool]) -> Path | None:
    """Write Yes/No into the register's 'RR action plan complete' column; return where it was saved, None if unchanged."""
    from caseforms.io.safe_write import lock_for, save_openpyxl

    with lock_for(Path(register_path)):
        marked = _ready_marks(Path(register_path), ready)
        return save_openpyxl(marked, Path(register_path)).path if marked is not None else None


def _ready_marks(register_path: Path, ready: dict[str, bool]) -> Any | None:
    """Return the register (openpyxl) with its 'RR action plan complete' column set, or None when nothing changes."""
    from caseforms.io.safe_write import load_for_update
    from caseforms.register.schema import CASES

    wb = load_for_update(register_path, "register")
    if CASES not in wb.sheetnames:
        return None
    ws = wb[CASES]
    headers = {str(c.value or "").strip(): c.column_letter for c in ws[1]}
    ref_col, done_col = headers.get("Case reference"), headers.get("RR action plan complete")
    if not ref_col or not done_col:
        return None
    changed = False
    for r in range(2, ws.max_row + 1):
        ref = str(ws[f"{ref_col}{r}"].value or "").strip()
        if ref in ready:
            value = "Yes" if ready[ref] else "No"
            if ws[f"{done_col}{r}"].value != value:
                ws[f"{done_col}{r}"] = value
                changed = True
    return wb if changed else None


# -- the LCSPR ------------------------------------------------------------------------------------------

#: The folder of a case the IMR requests go into.
IMRS_FOLDER = "imrs"


@dataclass
class ImrsRequested:
    """The IMR request packs written for a case, and where they were logged."""

    case_ref: str
    folder: Path
    packs: list[Any]
    log: SaveResult | None
    #: What the register lacks for the packs, in words: the packs were still made.
    problems: list[str]


def request_imrs(path: Path, case_ref: str, today: date, *, register: Register | None = None,
                 agencies: Sequence[str] | None = None, due: Any = None, out: Path | None = None,
                 templates: Path | None = None, log: bool = True) -> ImrsRequested:
    """Write each agency's IMR request pack (letter, report template, chronology workbook, e-mail) and log it.

    As the chronology request: everything to be written is checked first, so a refusal leaves nothing half
    done; the working folder is locked meanwhile. Each request is logged on the register's IMRs sheet (requested
    on, due), which a register made before the sheet existed gains.
    """
    from caseforms.io.imr_pack import PACK_FILES, imr_stem, write_imr_pack
    from caseforms.lcspr.imr import plan_imrs
    from caseforms.register.schema import IMRS

    case, folder, packs, saved, problems = _write_agency_packs(
        path, case_ref, register, "IMR request",
        plan=lambda reg, profile, ref: plan_imrs(reg, profile, ref, list(agencies) if agencies else None, today, due),
        folder=Path(out) if out else None, folder_name=IMRS_FOLDER, stem=imr_stem, files=PACK_FILES,
        write=lambda r, where: write_imr_pack(r, where, templates),
        log_sheet=IMRS if log else None,
        log_row=lambda r: {"case_ref": r.case_ref, "agency": r.agency, "requested_on": today,
                           **({"due": r.due} if r.due is not None else {})})
    return ImrsRequested(case, folder, packs, saved, problems)


@dataclass
class RecommendationsTracked:
    """The LCSPR recommendations added to the tracker, and those already in it."""

    case_ref: str
    tracker: Path
    added: list[dict[str, Any]]
    skipped: list[str]
    saved: SaveResult | None


def track_recommendations(path: Path, case_ref: str, today: date, *, tracker: Path | None = None,
                          register: Register | None = None) -> RecommendationsTracked:
    """Add a signed-off LCSPR's recommendations to the actions tracker, source "LCSPR"; twice adds nothing.

    The tracker is the working folder's (tracker.xlsx beside the register) unless ``tracker`` names one. Raises
    :class:`caseforms.errors.NotSignedOff` before the report is signed off: the recommendations may still change.
    """
    from caseforms.io import file_kinds
    from caseforms.io.safe_write import Target, check_writable, lock_for
    from caseforms.io.tracker_xlsx import actions_of, append_actions, read_tracker
    from caseforms.lcspr.recommendations import tracker_rows
    from caseforms.papers.from_register import case_file
    from caseforms.tracker.importing import new_tracker_rows
    from caseforms.tracker.rules import LCSPR
    from caseforms.tracker.schema import TRACKER_FILE

    register, _ = _register_and_profile(path, register)
    case = find_case(register, case_ref)
    lcspr = case_file(register, case.ref).lcspr
    signed = case["signoff_date"]
    planned = tracker_rows(case.ref, lcspr.recommendations, _day(signed))
    target = Path(tracker) if tracker else Path(path).resolve().parent / TRACKER_FILE
    with lock_for(target):
        refuse_wrong_workbook(target, file_kinds.TRACKER, "Actions", TRACKER_EXAMPLE)
        check_writable([Target(target, updating=True)])
        existing, _ = read_tracker(target)
        rows, skipped = new_tracker_rows(planned, [r.values for r in actions_of(existing)], case.ref, LCSPR, today)
        saved = append_actions(target, existing, rows) if rows else None
    return RecommendationsTracked(case.ref, target, rows, skipped, saved)


# -- the year ---------------------------------------------------------------------------------------------


@dataclass
class AnnualReport:
    """The annual report's extract and the Case Review Tracker CSV written for a year."""

    year: Any
    report: Path
    csv: Path
    #: The reviews in the CSV.
    reviews: int
    #: The tracker the actions came from, when there is one.
    tracker: Path | None


def annual_report(path: Path, period: Any, today: date, *, register: Register | None = None, out: Path | None = None,
                  author: str = "", profile_ref: str | None = None) -> AnnualReport:
    """Count the year from the register (and the tracker beside it); write the Word extract and the tracker CSV.

    Both files go into the working folder's papers/ (or ``out``), named for the year and the day they were made.
    Everything to be written is checked before the first file is.
    """
    from caseforms.io import file_kinds
    from caseforms.io.annual_docx import write_report, write_tracker_csv
    from caseforms.io.safe_write import Target, check_writable, lock_for
    from caseforms.register.annual import TRACKER_CSV_COLUMNS, count_year, report_context, tracker_rows
    from caseforms.tracker.report import assess

    if register is None:
        register, profile = open_register(path, profile_ref)
    else:
        register, profile = _register_and_profile(path, register)
    root = Path(path).resolve().parent
    year = count_year(register, profile, period, today)
    actions, tracker = tracker_actions(root, profile)
    state = assess(actions, profile, year.as_of) if tracker is not None else None
    folder = Path(out) if out else root / PAPERS_FOLDER
    stem = f"{period.label} {today:%Y-%m-%d}"
    report, csv_file = folder / f"Annual report {stem}.docx", folder / f"Case Review Tracker {stem}.csv"
    rows = tracker_rows(register, year)
    with lock_for(folder / "annual"):
        check_writable([Target(report, file_kinds.PAPER), Target(csv_file, file_kinds.TRACKER_CSV)])
        write_report(year, report_context(year, profile, today, state, author), state, report, profile.templates_dir)
        write_tracker_csv(rows, TRACKER_CSV_COLUMNS, csv_file)
    return AnnualReport(year, report, csv_file, len(rows), tracker)


# -- the chronology as a picture ------------------------------------------------------------------------------


@dataclass
class TimelineMade:
    """The timeline of a case's master chronology, as written."""

    case_ref: str
    path: Path
    master: Path
    entries: int
    not_placed: int
    key_episodes: int


def case_timeline(case: Case, rows: Sequence[Any]) -> Any:
    """Return the timeline of a case's master chronology entries, with its incident and scope period."""
    from caseforms.chronology.timeline import build_timeline

    return build_timeline(rows, title=f"{case.ref}: the chronology as a timeline", incident=case["incident_date"],
                          scope_from=case["scope_from"], scope_to=case["scope_to"])


def draw_case_timeline(path: Path, case_ref: str, *, register: Register | None = None, output: Path | None = None,
                       chronology: Path | None = None) -> TimelineMade:
    """Draw the case's master chronology as a timeline (PDF, SVG or PNG, by ``output``'s suffix).

    The default is cases/<REF>/<REF> timeline.pdf beside the master. Raises :class:`NoReturnsYet` when the case has
    no master chronology yet.
    """
    from caseforms.chronology.timeline import draw_timeline
    from caseforms.io.master_read import find_master_chronology, read_master
    from caseforms.io.pictures import write_picture

    register, _ = _register_and_profile(path, register)
    case = find_case(register, case_ref)
    root = Path(path).resolve().parent
    master = Path(chronology) if chronology else find_master_chronology(root, case.ref)
    if master is None or not master.is_file():
        raise NoReturnsYet(f"{case.ref} has no master chronology yet ({case_folder(root, case.ref)}): merge its returns "
                           f"first (caseforms chronology merge \"{returns_folder(path, case.ref)}\").")
    timeline = case_timeline(case, read_master(master).rows)
    target = Path(output) if output else case_folder(root, case.ref) / f"{folder_name(case.ref)} timeline.pdf"
    write_picture(draw_timeline(timeline), target)
    return TimelineMade(case.ref, target, master, len(timeline.marks), timeline.not_placed, len(timeline.key_episodes))
