"""The jobs of publishing a review: the case's glossary, the chronology for publication, the publication check.

As :mod:`caseforms.jobs`, each is a function returning what it did, for the command line and Excel
alike. The anonymised papers are made by :func:`caseforms.jobs.make_papers` with ``anonymised=True``,
from the same register and master chronology as the named ones, with :func:`case_anonymiser`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforms.publication.anonymise import Anonymiser, Identifiers, Named
from caseforms.publication.check import Remaining
from caseforms.publication.glossary import (
    CASEFORMS,
    GlossaryRow,
    Person,
    Suggestion,
    glossary_people,
    is_school,
    person_key,
    plan_rows,
    suggest,
)
from caseforms.register.schema import FAMILY, GLOSSARY

if TYPE_CHECKING:
    from caseforms.chronology.merge import MasterChronology
    from caseforms.io.master_read import MasterRead
    from caseforms.io.safe_write import SaveResult
    from caseforms.register.records import Case, Register

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


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def glossary_rows(register: Register, case_ref: str) -> list[GlossaryRow]:
    """Return the case's rows of the Glossary sheet (none for a register made before the sheet)."""
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
    return Anonymiser(case_identifiers(register, case, _from_read(read)))


def master_anonymiser(register: Register, case: Case, master: MasterChronology) -> Anonymiser:
    """Return the anonymiser of a case for a master chronology just merged."""
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
    from caseforms import jobs
    from caseforms.io.master_read import MasterRead, find_master_chronology, read_master
    from caseforms.io.returns_log import upsert_rows
    from caseforms.io.safe_write import Target, check_writable, lock_for

    with lock_for(Path(path)):
        register, _ = jobs._register_and_profile(path, register)
        case = jobs.find_case(register, case_ref)
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
    from caseforms import jobs
    from caseforms.io.master_xlsx import PROTECTIVE_MARKING, write_master

    register, _ = jobs.open_register(Path(register_path))
    case = jobs.find_case(register, case_ref)
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
    from caseforms.jobs import PAPERS_FOLDER
    from caseforms.register.folders import case_folder

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
    from caseforms import jobs
    from caseforms.errors import NothingToPublish
    from caseforms.io.master_read import MasterRead, find_master_chronology, read_master

    register, _ = jobs._register_and_profile(path, register)
    case = jobs.find_case(register, case_ref)
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


__all__ = ["FOR_PUBLICATION", "PUBLICATION_MASTER_FILE", "GlossaryMade", "Named", "PublicationChecked",
           "case_anonymiser", "check_files", "check_publication", "master_anonymiser", "master_for_publication",
           "publication_files", "publication_key", "suggest_glossary", "write_publication_master"]
