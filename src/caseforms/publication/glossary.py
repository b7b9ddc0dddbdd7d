"""A case's glossary: every person of the case with the pseudonym or role a published text calls them.

caseforms suggests a row for each person the register and the master chronology name: the People
sheet's children and family (the child by the pseudonym the family chose, when the Cases sheet records
it: 000_44eed6501ae43eb6.txt: 4.5 Engaging with families), the Family involvement sheet's names, the
practitioners of the chronology's "By whom" column and the agencies' summaries, the names in its
"Name of subject(s)" column, and the schools. The officer edits what to publish on the Glossary sheet;
caseforms never changes a row the officer has changed (see :func:`plan_rows`).

Practitioners are numbered by role across the case ("Police Officer 1", "Police Officer 2"), in the
order the chronology first names them; a role with one practitioner is numbered too ("GP 1"), so that
nobody is renamed when a second one is found later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caseforms.publication.anonymise import (
    CHILD_KINDS,
    PLACE,
    SCHOOL,
    SCHOOL_WORDS,
    Named,
    school_phrase,
    split_name,
)

CASEFORMS = "caseforms"
OFFICER = "officer"
#: The Glossary sheet's "Kind" list.
KINDS = ("child", "sibling", "parent", "family member", "other adult", "professional", SCHOOL, PLACE, "other")

#: People sheet role -> (kind, what to publish when the relationship column says nothing better).
_ROLES = {
    "child (subject of the review)": ("child", "Child"),
    "sibling": ("sibling", "Sibling"),
    "mother": ("parent", "Mother"),
    "father": ("parent", "Father"),
    "parent": ("parent", "Parent"),
    "step-parent": ("parent", "Step-parent"),
    "carer": ("family member", "Carer"),
    "partner of parent": ("other adult", "Parent's partner"),
    "grandparent": ("family member", "Grandparent"),
    "other family member": ("family member", "Family member"),
    "significant other": ("other adult", "Significant adult"),
    "alleged perpetrator": ("other adult", "Adult"),
}

#: A practitioner's title or abbreviation -> the role a published text gives them.
_TITLE_ROLES = {
    "PC": "Police Officer", "WPC": "Police Officer", "DC": "Police Officer", "PS": "Police Officer",
    "DS": "Police Officer", "DI": "Police Officer", "DCI": "Police Officer", "DSI": "Police Officer",
    "Sgt": "Police Officer", "Insp": "Police Officer", "Det": "Police Officer", "PCSO": "Police Officer",
    "HV": "Health Visitor", "SW": "Social Worker", "SSW": "Social Worker", "SN": "School Nurse", "MW": "Midwife",
    "TM": "Team Manager", "DSL": "Designated Safeguarding Lead",
}
#: Words in a practitioner's own description of their role ("Health visitor Sam Ortiz", "Jo Lee, social worker").
_ROLE_WORDS = (
    ("health visitor", "Health Visitor"), ("social worker", "Social Worker"), ("school nurse", "School Nurse"),
    ("midwife", "Midwife"), ("designated safeguarding lead", "Designated Safeguarding Lead"),
    ("head teacher", "Head Teacher"), ("headteacher", "Head Teacher"), ("teacher", "Teacher"),
    ("team manager", "Team Manager"), ("named nurse", "Named Nurse"), ("practice nurse", "Practice Nurse"),
    ("paramedic", "Paramedic"), ("probation", "Probation Officer"), ("youth justice", "Youth Justice Worker"),
    ("housing", "Housing Officer"), ("tenancy", "Housing Officer"), ("family support", "Family Support Worker"),
    ("personal adviser", "Personal Adviser"), ("police", "Police Officer"), ("officer", "Officer"),
)
#: Words in an agency's name -> the role of its practitioners, when nothing else says.
_AGENCY_ROLES = (
    ("police", "Police Officer"), ("constabulary", "Police Officer"), ("social care", "Social Worker"),
    ("children's services", "Social Worker"), ("csc", "Social Worker"), ("health visit", "Health Visitor"),
    ("school nurs", "School Nurse"), ("midwif", "Midwife"), ("gp", "GP Practice Staff"),
    ("general practice", "GP Practice Staff"), ("surgery", "GP Practice Staff"), ("school", "School Staff"),
    ("academy", "School Staff"), ("nursery", "Nursery Staff"), ("college", "College Staff"),
    ("hospital", "Hospital Staff"), ("emergency department", "Hospital Staff"), ("ambulance", "Paramedic"),
    ("housing", "Housing Officer"), ("youth justice", "Youth Justice Worker"), ("probation", "Probation Officer"),
    ("camhs", "Mental Health Practitioner"), ("mental health", "Mental Health Practitioner"),
)
#: Words that make a "By whom" entry a team or a role, not a person ("Front door team", "Practice nurse").
_NOT_A_PERSON = re.compile(r"\b(team|service|department|unit|hub|desk|duty|front door|practice|office|officer|"
                           r"nurse|manager|administrator|admin|reception|staff|worker|visitor|lead|clinic|ward|"
                           r"school|academy|nursery|college|police|council|agency|panel|board|group|named)\b",
                           re.IGNORECASE)


def person_key(name: str) -> str:
    """Return how two rows are told to be the same person: the name's words without a title, case aside."""
    return " ".join(split_name(name)[1]).casefold() or " ".join(name.split()).casefold()


@dataclass
class Suggestion:
    """A glossary row caseforms suggests: who, what kind, where caseforms found them, what to publish."""

    name: str
    kind: str
    agency: str
    publish_as: str
    #: Where caseforms found them, for the Notes column ("People sheet", "chronology: By whom (Police)").
    found_in: str
    #: The role numbered practitioners share ("Police Officer"), else "".
    role: str = ""


@dataclass
class Person:
    """A person of the case as the register's People sheet has them (plain values: the core reads no files)."""

    name: str
    role: str = ""
    relationship: str = ""
    education: str = ""


def suggest(people: Sequence[Person], *, pseudonym: str | None = None, family: Iterable[tuple[str, str]] = (),
            practitioners: Iterable[tuple[str, str, str]] = (), subjects: Iterable[str] = (),
            schools: Iterable[str] = (), taken: Mapping[str, str] | None = None) -> list[Suggestion]:
    """Return a suggestion for everyone of the case, in the order a reader meets them: children first.

    ``family`` gives (name, relationship) from the Family involvement sheet; ``practitioners`` gives
    (by whom as written, agency, where) from the chronology and the agencies' summaries; ``subjects``
    the names of its "Name of subject(s)" column; ``schools`` the schools the register and the
    chronology name. ``taken`` maps the glossary's existing names (casefolded) to what they publish, so
    numbers already given are not given again.
    """
    out: dict[str, Suggestion] = {}
    taken = dict(taken or {})

    key = person_key

    def add(s: Suggestion) -> None:
        if s.name.strip() and key(s.name) and key(s.name) not in out:
            out[key(s.name)] = s

    letters = iter("ABCDEFGHJKLMNPQRSTUVWXYZ")
    used_letters = {p[-1] for p in [pseudonym or "", *taken.values()] if re.fullmatch(r"Child [A-Z]", p)}
    children = [p for p in people if _role(p)[0] == "child"]
    for n, child in enumerate(children):
        if n == 0 and pseudonym:
            add(Suggestion(child.name, "child", "", pseudonym, "People sheet; the family's choice (Cases sheet)"))
            continue
        given = taken.get(key(child.name), "")
        letter = given[-1] if re.fullmatch(r"Child [A-Z]", given) else next(x for x in letters if x not in used_letters)
        used_letters.add(letter)
        add(Suggestion(child.name, "child", "", f"Child {letter}",
                       "People sheet" + ("" if pseudonym or n else "; until the family chooses a pseudonym "
                                         "(Cases sheet 'Pseudonym')")))
    relatives = [p for p in people if _role(p)[0] != "child"]
    family_named = {key(p.name) for p in people}
    for p in relatives:
        kind, said = _role(p)
        relationship = _relationship(p.relationship)
        if kind == "sibling":
            add(Suggestion(p.name, kind, p.relationship, "Sibling", "People sheet", role="Sibling"))
        else:
            add(Suggestion(p.name, kind, p.relationship or p.role, relationship or said, "People sheet",
                           role="" if relationship or kind == "parent" else said))
    for name, relationship in family:
        if key(name) not in family_named:
            add(Suggestion(name, "family member", relationship, _relationship(relationship) or "Family member",
                           "Family involvement sheet", role="" if _relationship(relationship) else "Family member"))
    for written, agency, where in practitioners:
        person = practitioner(written, agency)
        if person is not None:
            name, role = person
            add(Suggestion(name, "professional", agency, role, where, role=role))
    for name in subjects:
        if _looks_like_a_name(name):
            add(Suggestion(name, "other", "", "Adult", "chronology: Name of subject(s)", role="Adult"))
    for school in dict.fromkeys(s for s in schools if is_school(s)):
        add(Suggestion(school, SCHOOL, "", school_phrase(school), "the register and the chronology"))
    return _numbered(list(out.values()), taken)


def _numbered(suggestions: list[Suggestion], taken: Mapping[str, str]) -> list[Suggestion]:
    """Number the suggestions that share a role ("Police Officer 1", "Sibling 2"), after the numbers already given."""
    used: dict[str, set[int]] = {}
    for said in taken.values():
        m = re.fullmatch(r"(.+?) (\d+)", said or "")
        if m:
            used.setdefault(m.group(1), set()).add(int(m.group(2)))
    for s in suggestions:
        if not s.role:
            continue
        existing = taken.get(person_key(s.name))
        if existing:
            s.publish_as = existing
            continue
        numbers = used.setdefault(s.role, set())
        n = next(i for i in range(1, len(numbers) + 2) if i not in numbers)
        numbers.add(n)
        s.publish_as = f"{s.role} {n}"
    # A role given to one family member only needs no number when it is not a role practitioners share.
    return suggestions


def practitioner(written: str, agency: str = "") -> tuple[str, str] | None:
    """Return (name, role to publish) of a practitioner as a chronology writes them, or None for a team or a role.

    "PC Dan Walsh" -> ("PC Dan Walsh", "Police Officer"); "Sam Okafor, Practice Review Officer" ->
    ("Sam Okafor", "Practice Review Officer"); "Dr Ade Okonjo" at a GP practice -> ("Dr Ade Okonjo", "GP");
    "Front door team", "Named nurse" -> None.
    """
    text = " ".join(str(written or "").split())
    if not text:
        return None
    head, _, rest = text.partition(",")
    title, words = split_name(head)
    role_text = rest.split(",")[0].strip()
    if not words or not all(w[:1].isupper() for w in words) or (not title and len(words) < 2):
        # "Health visitor Sam Ortiz": a role in words before the name.
        for said, role in _ROLE_WORDS:
            if head.casefold().startswith(said + " "):
                named = head[len(said):].strip()
                if _looks_like_a_name(named):
                    return named, role
        return None
    if _NOT_A_PERSON.search(" ".join(words)):
        return None
    name = f"{title} {' '.join(words)}".strip()
    if role_text and not _NOT_A_PERSON.fullmatch(role_text):
        return name, _title_case(role_text)
    first_title = title.split()[0] if title else ""
    if first_title in _TITLE_ROLES:
        return name, _TITLE_ROLES[first_title]
    lowered = agency.casefold()
    if first_title in ("Dr", "Doctor"):
        return name, "GP" if ("gp" in lowered.split() or "general practice" in lowered or "surgery" in lowered) \
            else "Doctor"
    for word, role in _AGENCY_ROLES:
        if re.search(rf"\b{re.escape(word)}", lowered):
            return name, role
    return name, "Practitioner"


def is_school(name: str) -> bool:
    """Return True when a name is a school's, a nursery's or a college's ("Millbrook Primary School")."""
    words = name.split()
    return len(words) >= 2 and any(re.search(rf"\b{re.escape(w)}\b", name, re.IGNORECASE) for w in SCHOOL_WORDS) \
        and words[0][:1].isupper() and not name.casefold().startswith(("not ", "no ", "home", "the "))


def _role(p: Person) -> tuple[str, str]:
    return _ROLES.get(p.role.strip().casefold(), ("other", "Adult"))


def _relationship(text: str) -> str:
    """Return a relationship as a published text names the person: 'Aunt (carer)' -> 'Aunt'."""
    said = re.sub(r"\s*\(.*?\)", "", text or "").strip()
    return said[:1].upper() + said[1:] if said else ""


def _title_case(text: str) -> str:
    """Return a role as a title: 'head of service' -> 'Head of Service'."""
    small = {"of", "and", "the", "for", "in", "to", "at", "on"}
    words = text.split()
    return " ".join(w if (i and w.casefold() in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _looks_like_a_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha()
                                        for w in words) and not _NOT_A_PERSON.search(text)


# -- the rows on the Glossary sheet ----------------------------------------------------------------------


@dataclass
class GlossaryRow:
    """A row of the Glossary sheet, as read (plain values)."""

    name: str
    kind: str = ""
    agency: str = ""
    publish_as: str = ""
    also: str = ""
    suggested_by: str = ""
    #: What caseforms suggested when it wrote the row: a "publish as" still equal to it is caseforms' own.
    suggested: str = ""

    @property
    def edited(self) -> bool:
        """True when the officer wrote or changed what to publish (or added the row themselves)."""
        return bool(self.publish_as.strip()) and self.publish_as.strip() != self.suggested.strip()


def plan_rows(case_ref: str, rows: Sequence[GlossaryRow], suggestions: Sequence[Suggestion]) -> list[dict[str, Any]]:
    """Return the Glossary rows to write: new people added, caseforms' own suggestions brought up to date.

    A row the officer edited (what to publish differs from caseforms' suggestion, or the officer added
    it) is never changed, only marked "officer"; a blank "Publish as" is filled in; a row still saying
    what caseforms suggested takes the new suggestion (the family's choice of pseudonym, recorded later).
    """
    by_name = {person_key(r.name): r for r in rows}
    writes: list[dict[str, Any]] = []
    for s in suggestions:
        row = by_name.get(person_key(s.name))
        values = {"case_ref": case_ref, "name": row.name if row else s.name}
        if row is None:
            writes.append({**values, "kind": s.kind, "agency": s.agency, "publish_as": s.publish_as,
                           "suggested_by": CASEFORMS, "suggested": s.publish_as, "notes": s.found_in})
        elif row.edited:
            if row.suggested_by.strip().casefold() != OFFICER:
                writes.append({**values, "suggested_by": OFFICER})
        elif row.publish_as.strip() != s.publish_as:
            writes.append({**values, "publish_as": s.publish_as, "suggested": s.publish_as, "suggested_by": CASEFORMS,
                           **({} if row.kind else {"kind": s.kind})})
    return writes


def glossary_people(rows: Sequence[GlossaryRow], suggestions: Sequence[Suggestion]) -> list[Named]:
    """Return everyone to replace: the glossary's rows as the officer left them, then suggestions for the rest."""
    named: dict[str, Named] = {}
    suggested = {person_key(s.name): s for s in suggestions}
    for r in rows:
        k = person_key(r.name)
        s = suggested.get(k)
        said = r.publish_as.strip() or (s.publish_as if s else "")
        if not r.name.strip() or not said:
            continue
        kind = (r.kind or (s.kind if s else "other")).strip().casefold()
        also = tuple(a.strip() for a in re.split(r"[;\n]", r.also or "") if a.strip())
        named.setdefault(k, Named(r.name.strip(), said, kind, also))
    for k, s in suggested.items():
        named.setdefault(k, Named(s.name, s.publish_as, s.kind))
    return list(named.values())


__all__ = ["CHILD_KINDS", "KINDS", "GlossaryRow", "Person", "Suggestion", "glossary_people", "is_school", "plan_rows",
           "practitioner", "suggest"]
