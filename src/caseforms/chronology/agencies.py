"""Which agency a return is from: one answer for status, merge, papers and Excel alike.

Agencies name themselves in many ways ("Lincolnshire Police", "Police return (Niche)", "CSC") and
save their returns under any file name, sometimes one carrying part of a child's name
("CS chronology Tyler M.xlsx"). The answer is looked for in this order, and the first place that
names exactly one agency decides:

1. the officer's own word: the register's Returns log row of the case whose File is this file;
2. the identification hidden in caseforms' own request workbook (``caseforms.io.request_pack``);
3. the register's Agencies directory (each agency's name and the names it also goes by) matched
   against what the file says: its Agency/Department column, its title block ("Agency: ..." and
   the other short cells above the table), its Source column, then its file name.

A file that names no agency of the directory, or two, is not guessed: it gets the label
"Unidentified agency N" and a finding naming the file and the closest agencies, with how to say
which agency it is. The agency is always a name from the directory (or one the file labels
explicitly as its agency, or the officer typed): never text made from a file name, so a child's
name never becomes part of an agency's name.

Plain Python: the evidence is the cells an adapter read (see ``caseforms.io.returns``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath


def _stem(word: str) -> str:
    """Return a word without its plural 's', so that "Hospital" and "Hospitals" are one word when matching."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


#: Words that say nothing about which agency: organisational forms, and what returns are called.
_GENERIC = frozenset(_stem(w) for w in (
    "the", "of", "and", "for", "in", "on", "a", "an", "to", "at", "by", "with", "our", "your",
    "service", "services", "team", "teams", "department", "dept", "unit", "directorate", "division",
    "nhs", "trust", "foundation", "ltd", "limited", "plc", "organisation", "organization", "agency", "agencies",
    "practice", "provider",
))
#: Words that name a kind of service: what tells "Kent Police" from "Kent County Council" is "police" and
#: "council", never "Kent". A text names an agency by such a word only when no other agency of the directory
#: has it; a place name alone names none ("Lincolnshire Safeguarding Children Partnership" is not the police).
_KIND_WORDS = frozenset(_stem(w) for w in (
    "police", "constabulary", "council", "social", "care", "health", "visiting", "visitor", "visitors", "hospital",
    "hospitals", "surgery", "gp", "medical", "school", "academy", "college", "nursery", "education", "housing",
    "tenancy", "probation", "ambulance", "camhs", "mental", "icb", "ccg", "midwifery", "maternity", "youth",
    "justice", "offending", "early", "help", "fire", "rescue", "drug", "drugs", "alcohol", "substance", "misuse",
    "domestic", "abuse", "refuge", "dental", "dentist", "pharmacy", "paediatric", "paediatrics", "emergency",
    "nursing", "nurse", "psychiatric", "psychology", "therapy", "therapies", "welfare", "attendance", "family",
    "families", "support", "prison", "court", "cafcass", "immigration", "homelessness", "library", "leisure",
))
_RETURN_WORDS = frozenset(_stem(w) for w in (
    "return", "returns", "returned", "chronology", "chronologies", "chron", "chrono", "export", "exported",
    "extract", "completed", "complete", "request", "requested", "copy", "final", "draft", "version", "updated",
    "update", "new", "old", "rapid", "review", "rr", "lcspr", "case", "ref", "reference", "summary", "summaries",
    "involvement", "report", "record", "records", "xlsx", "xlsm", "xls", "csv", "ods", "docx", "doc", "sheet",
    "workbook", "template", "form", "re", "fw", "fwd", "official", "sensitive", "confidential", "produced",
    "multi", "partnership", "safeguarding", "child", "children", "childrens",
))
_TOKEN = re.compile(r"[0-9a-z]+")
#: The heading of the register's Returns log column where the officer says which files an agency sent.
OFFICER_FILES = "Files it sent (you type)"
#: A cell of a title block longer than this is a sentence, not a name.
_LONGEST_NAME = 80


def tokens(text: str) -> list[str]:
    """Return the words of ``text``, lower case, apostrophes dropped ("Children's" -> "childrens")."""
    folded = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return _TOKEN.findall(folded)


def _words(text: str) -> set[str]:
    return {_stem(w) for w in tokens(text)}


def _key(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(frozen=True)
class DirectoryAgency:
    """One agency of the register's Agencies sheet and the other names it goes by."""

    name: str
    other_names: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)


@dataclass
class AgencyDirectory:
    """The agencies a partnership works with, and the returns the officer has said are whose.

    ``assigned`` maps a file name (as saved in the returns folder) to the agency the officer
    recorded for it in the Returns log.
    """

    agencies: list[DirectoryAgency] = field(default_factory=list)
    assigned: dict[str, str] = field(default_factory=dict)
    #: Files the officer named on the Returns log rows of more than one agency: file -> those agencies.
    assigned_twice: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _shared: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def __post_init__(self) -> None:
        # A word several agencies' names share ("Kent", "health") tells none of them apart.
        owners: dict[str, set[int]] = {}
        for i, agency in enumerate(self.agencies):
            for name in agency.names:
                for word in _significant(name):
                    owners.setdefault(word, set()).add(i)
        self._shared = frozenset(w for w, who in owners.items() if len(who) > 1)

    @classmethod
    def from_names(cls, rows: Iterable[tuple[str, str | None]], assigned: Mapping[str, str] | None = None,
                   assigned_twice: Mapping[str, Sequence[str]] | None = None) -> AgencyDirectory:
        """Return a directory from (name, other names separated by ';' or new lines) pairs."""
        agencies: list[DirectoryAgency] = []
        seen: set[str] = set()
        for name, other in rows:
            name = " ".join(str(name or "").split())
            if not name or _key(name) in seen:
                continue
            seen.add(_key(name))
            others = tuple(" ".join(o.split()) for o in re.split(r"[;\n\r]+", other or "") if o.strip())
            agencies.append(DirectoryAgency(name, others))
        return cls(agencies, {_file_key(f): a for f, a in (assigned or {}).items() if a and a.strip()},
                   {_file_key(f): tuple(a) for f, a in (assigned_twice or {}).items()})

    def __bool__(self) -> bool:
        return bool(self.agencies)

    def find(self, name: str) -> DirectoryAgency | None:
        """Return the agency called exactly ``name`` (or one of its other names), ignoring case and punctuation."""
        wanted = _key(name)
        if not wanted:
            return None
        return next((a for a in self.agencies if any(_key(n) == wanted for n in a.names)), None)

    def matches(self, text: str) -> list[DirectoryAgency]:
        """Return the agencies ``text`` names: exactly, by the words that tell them apart, or by initials.

        With "Lincolnshire Police" and "Lincolnshire County Council" in the directory, "Police return
        (Niche)" names the police ("police" is its own word); "Lincolnshire" alone names neither, and
        "United Lincolnshire Hospitals" none. "Health" names every health agency, so it decides nothing.
        """
        exact = self.find(text)
        if exact is not None:
            return [exact]
        words = _words(text)
        meaningful = {w for w in words if not w.isdigit()} - _GENERIC - _RETURN_WORDS
        if not meaningful:
            return []
        return [agency for agency in self.agencies
                if any(self._names(words, meaningful, name) for name in agency.names)]

    def _names(self, words: set[str], meaningful: set[str], name: str) -> bool:
        their = _words(name)
        significant = _significant(name)
        own = significant - self._shared
        # "Lincolnshire Police" in "Lincolnshire Police – Public Protection Unit": every word of its own is there.
        if own and own <= words:
            return True
        # "Police return (Niche)": a word for its kind of service that no other agency has.
        if (own & _KIND_WORDS) & words:
            return True
        # "Social care", "Health": every word that matters of the text is in the name, and says what service it is.
        if meaningful <= their and meaningful & _KIND_WORDS:
            return True
        # "CSC" for Children's Social Care: the initials of the name's words. Two letters ("CS", "HV") stand for too
        # many things to tell an agency by; a partnership that uses them adds them to 'Also known as'.
        initials = "".join(w[0] for w in tokens(name) if w not in ("of", "and", "the", "for"))
        return len(initials) >= 3 and initials in meaningful

    def closest(self, texts: Iterable[str], most: int = 3) -> list[str]:
        """Return the names of the agencies most like any of ``texts``, closest first (for a message)."""
        scored: dict[str, float] = {}
        for text in texts:
            key = _key(text)
            words = set(key.split()) - _GENERIC - _RETURN_WORDS
            if not words:
                continue
            for agency in self.agencies:
                for name in agency.names:
                    their = set(_key(name).split()) - _GENERIC
                    overlap = len(words & their) / max(len(their), 1)
                    ratio = difflib.SequenceMatcher(None, key, _key(name)).ratio()
                    score = max(overlap, ratio)
                    if score >= 0.34:
                        scored[agency.name] = max(scored.get(agency.name, 0.0), score)
        return [n for n, _ in sorted(scored.items(), key=lambda kv: -kv[1])[:most]]

    def assigned_to(self, file: str) -> str | None:
        return self.assigned.get(_file_key(file))


def _significant(name: str) -> frozenset[str]:
    """Return the words of an agency's name that can tell it apart (all of them when every one is generic)."""
    words = _words(name)
    return frozenset(words - _GENERIC or words)


def _file_key(file: str) -> str:
    return PurePath(file).name.strip().casefold()


@dataclass(frozen=True)
class Evidence:
    """What one return file says about who sent it, as an adapter read it."""

    file: str
    #: The agency named by caseforms' hidden identification of a request workbook.
    identified_as: str | None = None
    #: The distinct values of its Agency/Department column.
    agency_column: Sequence[str] = ()
    #: The agency its title block labels ("Agency: Kent Police").
    labelled: str | None = None
    #: The other short texts of its title block (above the table's headings).
    title_texts: Sequence[str] = ()
    #: The short texts of its other sheets (a cover sheet, instructions).
    cover_texts: Sequence[str] = ()
    #: The distinct values of its Source of information column.
    source_column: Sequence[str] = ()


@dataclass(frozen=True)
class Identification:
    """Which agency a return is from, how that was told, and what to do when it could not be."""

    #: The agency's name; None when the file names no agency, or two.
    agency: str | None
    #: How it was told, in words: "the request workbook's identification".
    how: str = ""
    #: The agencies the file could be from, when it names two or more.
    candidates: tuple[str, ...] = ()
    #: The agencies most like what the file says, when it names none.
    closest: tuple[str, ...] = ()
    #: True when the agency is not on the Agencies sheet (the file labels it, or the officer typed it).
    outside_directory: bool = False
    #: True when the officer named the file on the Returns log rows of two or more agencies.
    assigned_twice: bool = False


def identify(evidence: Evidence, directory: AgencyDirectory | None) -> Identification:
    """Return which agency ``evidence`` is from (see the module docstring for the order)."""
    directory = directory or AgencyDirectory()
    twice = directory.assigned_twice.get(_file_key(evidence.file))
    if twice:
        return Identification(None, candidates=twice, assigned_twice=True)
    officer = directory.assigned_to(evidence.file)
    if officer:
        known = directory.find(officer)
        return Identification(known.name if known else officer, "the Returns log (the officer's choice)",
                              outside_directory=known is None and bool(directory))
    if evidence.identified_as:
        known = directory.find(evidence.identified_as) or _one(directory.matches(evidence.identified_as))
        return Identification(known.name if known else evidence.identified_as, "the request workbook's identification",
                              outside_directory=known is None and bool(directory))
    if not directory:
        return _without_directory(evidence)

    # A column names the agency only when every value in it does ("Pastoral" and "DSL" are departments).
    levels: list[tuple[str, Sequence[str], bool]] = [
        ("its Agency/Department column", evidence.agency_column, True),
        ("its title block", [evidence.labelled] if evidence.labelled else [], False),
        ("its title", evidence.title_texts, False),
        ("its cover sheet", evidence.cover_texts, False),
        ("its Source column", evidence.source_column, True),
        ("its file name", [PurePath(evidence.file).stem.replace("_", " ")], False),
    ]
    first_candidates: tuple[str, ...] = ()
    for how, texts, every in levels:
        found: dict[str, DirectoryAgency] = {}
        named_by_all = True
        for text in texts:
            matched = directory.matches(text) if text and len(text) <= _LONGEST_NAME else []
            named_by_all = named_by_all and bool(matched)
            for agency in matched:
                found.setdefault(agency.name, agency)
        if every and not named_by_all:
            continue
        if len(found) == 1:
            return Identification(next(iter(found)), how)
        if len(found) > 1 and not first_candidates:
            first_candidates = tuple(found)
    if first_candidates:
        return Identification(None, candidates=first_candidates)
    if evidence.labelled:
        # The file says plainly which agency it is, and the directory does not know it: say so, do not drop it.
        return Identification(" ".join(evidence.labelled.split()), "its title block", outside_directory=True)
    texts = [*evidence.agency_column, *([evidence.labelled] if evidence.labelled else []), *evidence.title_texts,
             *evidence.cover_texts, *evidence.source_column, PurePath(evidence.file).stem.replace("_", " ")]
    return Identification(None, closest=tuple(directory.closest(t for t in texts if len(t) <= _LONGEST_NAME)))


def _without_directory(evidence: Evidence) -> Identification:
    """Return what the file itself says, when there is no Agencies directory to match it against."""
    if evidence.labelled:
        return Identification(" ".join(evidence.labelled.split()), "its title block")
    if len(evidence.agency_column) == 1:
        return Identification(" ".join(evidence.agency_column[0].split()), "its Agency/Department column")
    return Identification(None)


def _one(found: Sequence[DirectoryAgency]) -> DirectoryAgency | None:
    return found[0] if len(found) == 1 else None


def names_same_agency(department: str, agency: str, other_names: Sequence[str] = ()) -> bool:
    """Return True when an Agency/Department cell only names the agency itself ("CSC" of Children's Social Care).

    Such a cell is no department: the papers show the agency alone. Anything more in it ("Kent
    Police – Child Abuse Investigation Team") is a department, shown as written.
    """
    names = (agency, *other_names)
    if any(_key(department) == _key(n) for n in names):
        return True
    meaningful = {w for w in _words(department) if not w.isdigit()} - _GENERIC - _RETURN_WORDS
    theirs = {w for n in names for w in _words(n)}
    initials = {"".join(w[0] for w in tokens(n) if w not in ("of", "and", "the", "for")) for n in names}
    return not (meaningful - theirs - initials)


def agency_key(name: str) -> str:
    """Return an agency's name as compared everywhere: case, spacing, punctuation and '&'/'and' ignored."""
    return _key(name)


UNIDENTIFIED = "Unidentified agency"


def unidentified_label(number: int) -> str:
    """Return the label of the ``number``-th return whose agency could not be told."""
    return f"{UNIDENTIFIED} {number}"


def is_unidentified(name: str) -> bool:
    """Return True for the label of a return whose agency could not be told ("Unidentified agency 2")."""
    return re.fullmatch(rf"{UNIDENTIFIED} \d+", name.strip()) is not None
