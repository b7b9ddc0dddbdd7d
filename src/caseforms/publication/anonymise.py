"""Find and replace what identifies the people of a case: names, dates of birth, NHS numbers, addresses, schools.

One matcher serves both jobs: :meth:`Anonymiser.anonymise` writes the version for publication, and
the publication check (:mod:`caseforms.publication.check`) runs :meth:`Anonymiser.matches` over what
was written, so anything the check finds is something the papers would have replaced had it been in
the source data they were made from (an officer's edit in a version for publication, a template's
own words, a name nobody put in the glossary that the register holds).

Published reviews call each person by a pseudonym or a role, never by name, and leave out dates of
birth, addresses and schools (000_44eed6501ae43eb6.txt: 4.6 Publication; 004_6c96fbcaaedcbdc1.txt:
Communication and Publication Strategy).

How names are found. Each person gives their full name, the name with a title ("Ms Thornton",
"DS Ellery"), first name alone, surname alone, "the Thornton family", dotted initials ("M.T.") and
what the glossary's "Also written as" holds, in any case and with a possessive ("Maya's"). Longer
forms win: "Mark Ellery" is replaced whole before "Mark" could be. A form two people share with
different pseudonyms ("Thornton" for mother and child) becomes "[name removed]": no guess is
published. Two choices keep ordinary words ordinary:

* a name that is also an everyday word (:data:`EVERYDAY_WORDS`: Mark, Will, Grace, Dawn, Brook...)
  matches only when written with a capital ("Mark said", "MARK"), never in lower case ("a red mark",
  "she will"). A capitalised everyday word at the start of a sentence ("Will the GP attend?") is taken
  as the name: replacing a word too many is safer than publishing a name;
* initials without dots ("MT") match only in capitals and when they are not an abbreviation
  practitioners write (:data:`ABBREVIATIONS`: GP, DS, SW, HV...). Single letters never match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from typing import Any

from caseforms.register.nhs import check_digit, normalise

NAME = "name"
DATE_OF_BIRTH = "date of birth"
NHS_NUMBER = "NHS number"
ADDRESS = "address"
POSTCODE = "postcode"
SCHOOL = "school"
PLACE = "place"
KEPT = "kept"
#: The kinds of person who are children: titles for adults ("Ms Thornton") are never theirs.
CHILD_KINDS = frozenset({"child", "sibling"})
_CHILD_TITLES = ("Miss", "Master")

NAME_REMOVED = "[name removed]"
REPLACEMENTS = {
    DATE_OF_BIRTH: "[date of birth removed]",
    NHS_NUMBER: "[NHS number removed]",
    ADDRESS: "[address removed]",
    POSTCODE: "[postcode removed]",
}

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Titles written before a name: a practitioner's rank or role abbreviation, or a courtesy title.
TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Master", "Dr", "Prof", "Professor", "Rev", "Revd", "Cllr", "Sister", "Nurse",
    "PC", "WPC", "DC", "PS", "DS", "DI", "DCI", "DSI", "DSupt", "Supt", "Sgt", "Insp", "Det", "PCSO",
    "HV", "SW", "SN", "MW", "SSW", "TM", "DSL",
)

#: Given names and surnames that are everyday English words: matched only when written with a capital.
EVERYDAY_WORDS = _words("""
    mark will bill rob pat sue jack frank guy max art drew chase hunter sky river rain storm star angel bliss honey
    sunny sandy penny rusty brook heath dale glen cliff rock stone wood hill field green brown white black gray grey
    baker cook king bell hall page rich young long short wise hart fox bird lamb moss reed rush marsh love price
    cash noble earl duke prince baron miles victor justice harmony melody destiny trinity unity willow hazel olive
    violet iris heather fern jasmine clay don ray gene carol nick grace faith hope joy rose lily ivy holly daisy
    poppy ruby amber jade pearl crystal dawn summer autumn april may june august robin jay wren teal sage rowan
    bob dick art sonny lane ash ford mason carter porter turner walker fisher archer taylor wells banks rivers
    parker booth chamberlain knight bishop marshall steward butler law lord rex will's
""")

#: Capital letters practitioners write that are not anyone's initials.
ABBREVIATIONS = _words("""
    GP HV SW PC DC DS DI DCI DSI PS SN MW TM DSL DO CP CIN CIC LAC CLA CAMHS CSC LA ICB ED AE NHS DASH MARAC MASH
    LADO SEN SEND EHCP IRO PA FGC IHA RHA SGO EPO ICO PPO ASB DV DA UK OK AM PM BST GMT RR LCSPR SCR SCP CSPR
    TAC TAF CAF MAST NFA NOK DOB PLO CPP CPC RCPC ICPC UCPC OFSTED ICU PICU NICU SUDI SUDC CDOP JTAI MHA CPN
    SALT OT YJS YOT PRU HT DHT SENCO ASD ADHD ACE ACES FII FGM CSE CCE NRM DWP HMRC ID CCTV ATM IT QA HR TV GCSE
    BMI BP CT MRI XR KS EYFS SLT RSL HA NB AKA RE IMR TOR ICS CIO EHA SPOC SLO DHR SAR CE CEO
    SO NO IN IT AT TO OF ON OR AN AS BE BY DO GO HE IF IS ME MY UP US WE OH HI YES THE AND FOR NOT BUT WAS HAS HAD
    HIM HER SHE HIS ARE CAN DID GOT LET MUM DAD
""")

#: Words that end a street's name in an address ("14 Brook Street", "Kestrel Court").
STREET_WORDS = (
    "Road", "Rd", "Street", "St", "Avenue", "Ave", "Lane", "Ln", "Close", "Drive", "Way", "Crescent", "Court",
    "Place", "Gardens", "Terrace", "Grove", "Hill", "Park", "Square", "Walk", "Row", "Mews", "View", "Green",
    "Rise", "Parade", "Gate", "Yard", "Wharf", "Quay", "Boulevard", "Estate", "Cottages", "Villas",
)

#: Words that make a name a school's (or a nursery's, or a college's).
SCHOOL_WORDS = ("Primary School", "Infant School", "Junior School", "High School", "Secondary School",
                "Grammar School", "School", "Academy", "College", "Nursery", "Pre-school", "Preschool")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_APOSTROPHES = "'\u2019"
_WORD = r"[^\W_]"
# A name form is a whole word: no letter or digit either side (an apostrophe before a possessive "s" is fine).
_BEFORE = rf"(?<!{_WORD})(?<![{_APOSTROPHES}-])"
_AFTER = rf"(?!{_WORD})(?!-{_WORD})"
_ANY_DATE = (r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
             r"(?:" + "|".join(m[:3] + f"(?:{m[3:]})?" for m in _MONTHS) + r")\.?,?\s+\d{4})")
#: A date next to "DOB", "date of birth" or "born": whoever's it is, it is a date of birth.
_LABELLED_DOB = re.compile(r"(?:\bd\.?o\.?b\.?|\bdate\s+of\s+birth|\bborn(?:\s+on)?)\s*[:\-]?\s*(" + _ANY_DATE + ")",
                           re.IGNORECASE)
_TEN_DIGITS = re.compile(r"(?<![\d])\d(?:[ \-]?\d){9}(?![\d])")
_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])")
_STREET = re.compile(
    r"(?<![\w])(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z'\u2019]+\s+){1,3}(?:"
    + "|".join(STREET_WORDS) + r")\b\.?")


@dataclass(frozen=True)
class Named:
    """A person (or a school, or a place) of the case as the glossary has them: what to find, what to publish."""

    name: str
    publish_as: str
    #: child, sibling, parent, family member, other adult, professional, school, place, other.
    kind: str = "other"
    #: Other ways the name is written ("Ty", "Tyler-Jay"), found as the full name is.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """One identifier found in a text: where, what kind, the text found, and what the published version says."""

    start: int
    end: int
    kind: str
    found: str
    replacement: str
    #: Who or what it identifies ("Maya Thornton", "date of birth of Maya Thornton"), for the check's list.
    who: str = ""


@dataclass
class Identifiers:
    """What identifies the people of one case: the glossary, and the register's dates, numbers and places."""

    people: list[Named] = field(default_factory=list)
    #: Date of birth -> whose it is.
    dates_of_birth: dict[date, str] = field(default_factory=dict)
    #: NHS number (digits only) -> whose it is.
    nhs_numbers: dict[str, str] = field(default_factory=dict)
    #: Address as written -> whose it is.
    addresses: dict[str, str] = field(default_factory=dict)
    #: Names that stay as written (the partnership's own staff, the reviewer): "Hannah Okafor" is not "Sam Okafor"'s
    #: surname. A name the glossary holds is replaced all the same.
    keep: list[str] = field(default_factory=list)


def nicknames(written: str) -> list[str]:
    """Return the names written in quotes or brackets inside a name: 'Dean "Deano" Price' -> ['Deano']."""
    return [n.strip() for n in re.findall(r"[\"“”(<]+([^\"“”()<>]+)[\"“”)>]+", written) if n.strip()]


def split_name(written: str) -> tuple[str, list[str]]:
    """Return a name's title and its words: 'DS Mark Ellery' -> ('DS', ['Mark', 'Ellery']).

    A nickname in quotes or brackets is not one of its words ('Dean "Deano" Price' -> Dean, Price).
    """
    plain = re.sub(r"[\"“”(<]+[^\"“”()<>]*[\"“”)>]+", " ", written)
    words = plain.replace(",", " ").split()
    title = ""
    while words and words[0].rstrip(".") in TITLES and len(words) > 1:
        title = f"{title} {words[0]}".strip()
        words = words[1:]
    return title, words


def school_phrase(name: str) -> str:
    """Return how a published text calls a school: 'the nursery', 'the college', 'the school'."""
    lowered = name.casefold()
    for word, said in (("nursery", "the nursery"), ("pre-school", "the pre-school"), ("preschool", "the pre-school"),
                       ("college", "the college")):
        if word in lowered:
            return said
    return "the school"


def _form_pattern(form: str) -> str:
    """Return the pattern of a name form: its words with any spacing, an accented letter also written without.

    Agencies often type "Zoe" for "Zoë" and "Siobhan" for "Siobhán"; straight and curly apostrophes are one.
    """
    return r"\s+".join("".join(_letter(ch) for ch in w) for w in form.split())


def fold(text: str) -> str:
    """Return a name as compared: case, accents, kinds of apostrophe and spacing aside ("Zoë" = "ZOE")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace("\u2019", "'").casefold().split())


def _letter(ch: str) -> str:
    if ch in _APOSTROPHES:
        return f"[{_APOSTROPHES}]"
    base = unicodedata.normalize("NFKD", ch)[0]
    return f"[{re.escape(ch)}{re.escape(base)}]" if base != ch and base.isascii() else re.escape(ch)


def _initials(words: Sequence[str]) -> list[str]:
    letters = [w[0] for w in words if w and w[0].isalpha()]
    return ["".join(letters)] if len(letters) >= 2 else []


class Anonymiser:
    """Find every identifier of a case in a text and write the text for publication."""

    def __init__(self, identifiers: Identifiers) -> None:
        self.identifiers = identifiers
        # form (casefolded) -> {publish as: the person}; initials apart (matched in capitals only).
        forms: dict[str, dict[str, Named]] = {}
        #: Each form as written (the patterns need its accents; the tables are keyed by its folded text).
        written: set[str] = set()
        initials: dict[str, dict[str, Named]] = {}
        surnames: dict[str, dict[str, Named]] = {}

        def add(table: dict[str, dict[str, Named]], form: str, person: Named) -> None:
            form = " ".join(form.split())
            if len(form) >= 2:
                table.setdefault(fold(form), {}).setdefault(person.publish_as, person)
                if table is forms:
                    written.add(form)

        for person in identifiers.people:
            for other in (*person.also, *nicknames(person.name)):
                add(forms, other, person)
            if person.kind in (SCHOOL, PLACE):
                add(forms, person.name, person)
                continue
            title, words = split_name(person.name)
            if not words:
                continue
            full = " ".join(words)
            add(forms, full, person)
            if title:
                add(forms, f"{title} {full}", person)
            # A child is "Miss Thornton" at school, never "Ms" or "Mrs": those are the adults'.
            titles = _CHILD_TITLES if person.kind in CHILD_KINDS else TITLES
            if len(words) >= 2:
                first, last = words[0], words[-1]
                add(forms, first, person)
                add(forms, last, person)
                add(forms, f"{first} {last}", person)
                add(surnames, last, person)
                for t in titles:
                    add(forms, f"{t} {last}", person)
                    add(forms, f"{t} {first} {last}", person)
                for i in _initials([first, last]):
                    add(initials, i, person)
            elif title:
                # "PC Walsh": the surname alone, with any title.
                add(forms, words[0], person)
                for t in titles:
                    add(forms, f"{t} {words[0]}", person)
        self._forms = forms
        self._initials = initials
        self._families = surnames
        self._everyday = {f for f in forms if f in EVERYDAY_WORDS}
        names = sorted(written, key=len, reverse=True)
        self._names = re.compile(
            _BEFORE + "(" + "|".join(_form_pattern(n) for n in names) + ")" + _AFTER, re.IGNORECASE) if names else None
        families = sorted(surnames, key=len, reverse=True)
        self._family = re.compile(
            r"(?<!\w)(?:the\s+)?(?:" + "|".join(re.escape(s) for s in families) + r")(?:s|\s+family)(?!\w)",
            re.IGNORECASE) if families else None
        dotted = [r"\.\s?".join(re.escape(ch) for ch in i.upper()) + r"\.?" for i in initials]
        bare = [re.escape(i.upper()) for i in initials if i.upper() not in ABBREVIATIONS]
        parts = dotted + bare
        self._initials_re = re.compile(r"(?<![\w.])(" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?![\w])") \
            if parts else None
        kept = {" ".join(split_name(k)[1]).casefold(): k for k in identifiers.keep}
        for person in identifiers.people:
            kept.pop(" ".join(split_name(person.name)[1]).casefold(), None)
        keep_forms = {f for k in kept.values() for f in (" ".join(k.split()), " ".join(split_name(k)[1])) if f}
        self._keep = re.compile(_BEFORE + "(" + "|".join(_form_pattern(k) for k in sorted(keep_forms, key=len, reverse=True))
                                + ")" + _AFTER, re.IGNORECASE) if keep_forms else None
        self._dobs = [(self._date_pattern(d), who) for d, who in identifiers.dates_of_birth.items()]
        self._addresses = self._address_patterns(identifiers.addresses)
        digest = hashlib.sha256()
        for item in sorted(f"{f}>{sorted(p)}" for f, p in {**forms, **initials}.items()):
            digest.update(item.encode())
        digest.update(repr(sorted((str(k), v) for k, v in identifiers.dates_of_birth.items())).encode())
        digest.update(repr(sorted(identifiers.nhs_numbers)).encode())
        digest.update(repr(sorted(identifiers.addresses)).encode())
        digest.update(repr(sorted(keep_forms)).encode())
        #: Changes whenever what is replaced, or by what, changes: a paper made with another glossary is made again.
        self.fingerprint = digest.hexdigest()[:16]

    # -- patterns ------------------------------------------------------------------------------------------

    @staticmethod
    def _date_pattern(day: date) -> re.Pattern[str]:
        d, m, y = day.day, day.month, day.year
        numeric = rf"0?{d}\s?[/.\-]\s?0?{m}\s?[/.\-]\s?(?:{y}|{y % 100:02d})(?!\d)"
        iso = rf"{y}-{m:02d}-{d:02d}"
        month = _MONTHS[m - 1]
        month_word = rf"{month[:3]}(?:{month[3:]})?\.?"
        ordinal = rf"{d}(?:st|nd|rd|th)?"
        words = rf"{ordinal}\s+(?:of\s+)?{month_word},?\s+{y}|{month_word}\s+{ordinal},?\s+{y}"
        return re.compile(rf"(?<![\d])(?:{numeric}|{iso}|{words})(?![\d])", re.IGNORECASE)

    @staticmethod
    def _address_patterns(addresses: Mapping[str, str]) -> list[tuple[re.Pattern[str], str, str]]:
        """Return a pattern for each address, and for each part of it that names a street or a building."""
        found: dict[str, str] = {}
        for address, who in addresses.items():
            parts = [p.strip() for p in re.split(r"[,\n]", address) if p.strip()]
            postcode = [p for p in parts if _POSTCODE.fullmatch(p.upper())]
            lines = [p for p in parts if p not in postcode]
            if lines:
                found.setdefault(", ".join(parts), who)
                found.setdefault(", ".join(lines), who)
            for i, part in enumerate(lines):
                words = part.split()
                if any(w.strip(".") in STREET_WORDS for w in words[1:]) or re.match(r"(?i)(flat|apartment|unit)\s+\d", part):
                    # From this part to the end of the street lines: "Flat 6, Kestrel Court", "Kestrel Court".
                    found.setdefault(", ".join(lines[i:i + 2]) if i + 1 < len(lines) and
                                     re.match(r"(?i)(flat|apartment|unit)\s+\d", part) else part, who)
                    found.setdefault(part, who)
                    if words[0][0].isdigit() and len(words) > 2:
                        found.setdefault(" ".join(words[1:]), who)
        patterns = []
        for text in sorted(found, key=len, reverse=True):
            pattern = r"[,\s]+".join(re.escape(w) for w in re.split(r"[,\s]+", text) if w)
            patterns.append((re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE), found[text], ADDRESS))
        # The register's postcodes in any case and spacing ("tg4 7qx", "TG47QX").
        for address, who in addresses.items():
            for m in _POSTCODE.finditer(address.upper()):
                code = re.sub(r"\s", "", m.group())
                patterns.append((re.compile(rf"(?<![A-Za-z0-9]){re.escape(code[:-3])}\s*{re.escape(code[-3:])}"
                                            r"(?![A-Za-z0-9])", re.IGNORECASE), who, POSTCODE))
        return patterns

    # -- finding -------------------------------------------------------------------------------------------

    def matches(self, text: str) -> list[Match]:
        """Return every identifier in ``text``, left to right, none overlapping (the longest wins)."""
        if not text:
            return []
        found: list[Match] = []
        ids = self.identifiers
        for pattern, who in self._dobs:
            found += [Match(m.start(), m.end(), DATE_OF_BIRTH, m.group(), REPLACEMENTS[DATE_OF_BIRTH],
                            f"date of birth of {who}") for m in pattern.finditer(text)]
        for m in _LABELLED_DOB.finditer(text):
            found.append(Match(m.start(1), m.end(1), DATE_OF_BIRTH, m.group(1), REPLACEMENTS[DATE_OF_BIRTH],
                               "a date of birth"))
        for m in _TEN_DIGITS.finditer(text):
            digits = normalise(m.group())
            owner = ids.nhs_numbers.get(digits)
            if owner is not None or check_digit(digits[:9]) == int(digits[9]):
                found.append(Match(m.start(), m.end(), NHS_NUMBER, m.group(), REPLACEMENTS[NHS_NUMBER],
                                   f"NHS number of {owner}" if owner else "an NHS number"))
        for pattern, who, kind in self._addresses:
            found += [Match(m.start(), m.end(), kind, m.group(), REPLACEMENTS[kind], f"{kind} of {who}")
                      for m in pattern.finditer(text)]
        found += [Match(m.start(), m.end(), ADDRESS, m.group(), REPLACEMENTS[ADDRESS], "an address")
                  for m in _STREET.finditer(text)]
        found += [Match(m.start(), m.end(), POSTCODE, m.group(), REPLACEMENTS[POSTCODE], "a postcode")
                  for m in _POSTCODE.finditer(text)]
        if self._family is not None:
            found += [Match(m.start(), m.end(), NAME, m.group(), "the family", "a family name")
                      for m in self._family.finditer(text)]
        if self._names is not None:
            for m in self._names.finditer(text):
                form = fold(m.group(1))
                if form in self._everyday and m.group(1).islower():
                    continue  # "a red mark", "she will": an everyday word, not the name
                found.append(self._name(m.start(1), m.end(1), m.group(1), self._forms[form]))
        if self._initials_re is not None:
            for m in self._initials_re.finditer(text):
                letters = re.sub(r"[.\s]", "", m.group(1)).casefold()
                found.append(self._name(m.start(1), m.end(1), m.group(1), self._initials[letters]))
        if self._keep is not None:
            found += [Match(m.start(1), m.end(1), KEPT, m.group(1), m.group(1)) for m in self._keep.finditer(text)]
        return [m for m in _without_overlaps(found) if m.kind != KEPT]

    @staticmethod
    def _name(start: int, end: int, text: str, people: Mapping[str, Named]) -> Match:
        if len(people) == 1:
            (said, person), = people.items()
            return Match(start, end, SCHOOL if person.kind == SCHOOL else NAME, text, said, person.name)
        return Match(start, end, NAME, text, NAME_REMOVED, " or ".join(sorted(p.name for p in people.values())))

    def anonymise(self, text: str) -> str:
        """Return ``text`` with every identifier replaced by its pseudonym, role or '[... removed]'."""
        if not text:
            return text
        out: list[str] = []
        at = 0
        for m in self.matches(text):
            out.append(text[at:m.start])
            out.append(fitted(m.replacement, text, m))
            at = m.end
        out.append(text[at:])
        return "".join(out)

    def apply(self, value: Any) -> Any:
        """Return ``value`` for publication: every string in it, through dicts, lists, tuples and dataclasses."""
        return anonymised(value, self.anonymise)


def fitted(replacement: str, text: str, m: Match) -> str:
    """Return the replacement as the place needs it: a capital at the start of a sentence, capitals in capitals."""
    if m.kind == NAME and len(m.found) > 3 and "." not in m.found and m.found.isupper() and not replacement.startswith("["):
        return replacement.upper()
    if replacement[:1].islower():
        before = text[:m.start].rstrip(" \t")
        if not before or before[-1] in ".!?:;\n" or before.endswith(("•", "-")):
            return replacement[:1].upper() + replacement[1:]
    return replacement


def _without_overlaps(found: Sequence[Match]) -> list[Match]:
    """Return the matches left to right, keeping the longest where two overlap (then the first found)."""
    ordered = sorted(enumerate(found), key=lambda im: (im[1].start, -(im[1].end - im[1].start), im[0]))
    kept: list[Match] = []
    for _, m in ordered:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


def anonymised(value: Any, transform: Callable[[str], str]) -> Any:
    """Return ``value`` with ``transform`` applied to every string in it (dict keys and non-text values kept)."""
    if isinstance(value, str):
        return transform(value)
    if isinstance(value, dict):
        return {k: anonymised(v, transform) for k, v in value.items()}
    if isinstance(value, list):
        return [anonymised(v, transform) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(anonymised(v, transform) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: anonymised(getattr(value, f.name), transform) for f in fields(value) if f.init}
        return replace(value, **changes)
    return value


def people_in(names: Iterable[Named]) -> list[Named]:
    """Return the people once each, the first row of a name winning (the glossary before suggestions)."""
    seen: dict[str, Named] = {}
    for n in names:
        seen.setdefault(" ".join(n.name.split()).casefold(), n)
    return list(seen.values())
