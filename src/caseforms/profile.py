"""Process profiles: a partnership's timescales, bodies and lists, read from TOML.

The shipped profiles live in ``caseforms/profiles/``: ``national`` (the statutory duties) and one
per partnership that extends it. A partnership can point caseforms at its own ``.toml`` file; it
may extend a shipped profile or another file. Every milestone carries its source.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from caseforms.calendar import FIRST_YEAR, LAST_YEAR, WorkingCalendar
from caseforms.errors import ProfileError, UnknownProfile
from caseforms.events import EVENTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

UNITS = ("working_days", "hours", "months", "days", "process_day")
#: The largest count each unit may have, either way: ten years of working days, a year of hours, a
#: hundred years of months (records kept until a child is an adult, and long after). A timescale
#: beyond these is a typing mistake, and would count past the years the calendar holds.
MAX_COUNT = {"working_days": 2_500, "hours": 8_784, "months": 1_200, "days": 3_660, "process_day": 2_500}
#: The longest single closure period: a closure is days or weeks (Christmas, an office move).
MAX_CLOSURE_DAYS = 366
KINDS = ("deadline", "keep_until")

_TOP_KEYS = {
    "profile", "bodies", "settings", "eligibility", "rapid_review_meeting", "lists",
    "milestone", "closure_days", "remove", "chronology_headings", "papers", "documents",
}
_DOCUMENT_KEYS = {"title", "partnership", "date", "url"}
#: A document's key as a rule cites it ("kent_pif: 3.2"): lower case letters, digits and underscores.
_DOCUMENT_KEY = re.compile(r"[a-z][a-z0-9_]*")
#: The chronology columns a partnership can add heading variants to ([chronology_headings]).
CHRONOLOGY_COLUMNS = ("date", "time", "source", "agency", "subjects", "contact_type", "by_whom", "details", "comments")
_PROFILE_KEYS = {"name", "title", "description", "extends", "templates_dir"}
_MILESTONE_KEYS = {
    "id", "label", "anchor", *UNITS, "opens_working_days", "opens_process_day", "time",
    "done_by", "passed_by", "applies", "when", "kind", "rule", "phrase", "source", "non_working_day", "formerly",
}

#: What an hour rule does when it runs out on a weekend, bank holiday or closure day ([settings]
#: hour_rules_on_non_working_days, or a milestone's own ``non_working_day``): an office task is due by
#: the working day before; an emergency (a Joint Agency Response, a placing authority's 24 hours) stands
#: at its clock hour. DOMAIN.md 'Sequences and readings to get right'.
PREVIOUS_WORKING_DAY = "previous working day"
STANDS = "stands"
NON_WORKING_DAY_RULES = (PREVIOUS_WORKING_DAY, STANDS)

#: Case flags a milestone can depend on (``when = "homicide"``): the milestone applies only to
#: cases with the flag. The register sets them from its columns; the CLI takes ``--flag``.
FLAGS = {
    "placed_by_other_la": "the child was placed in the area by another local authority",
    "unexpected_death": "an unexpected child death",
    "homicide": "a homicide",
    "looked_after_death": "the death of a looked-after child",
    # The other notification duties and the Panel's reply.
    "care_leaver_death": "the death of a care leaver under 25",
    "regulated_setting_death": "the death of a child in a regulated setting",
    "panel_disagrees": "the National Panel disagreeing with the Rapid Review's decision",
    "notifying": "a case the local authority notifies (or decides to notify) to the National Panel",
}


@dataclass(frozen=True)
class Document:
    """A document rules cite: its title, whose it is, its date and where to read it when it is public."""

    key: str
    title: str
    partnership: str = ""
    date: str = ""
    url: str = ""

    @property
    def name(self) -> str:
        """Return the document as an officer cites it: "Kent ... Partnership, Practice Improvement Framework (December 2024)"."""
        name = f"{self.partnership}, {self.title}" if self.partnership else self.title
        return f"{name} ({self.date})" if self.date else name


def cite(source: str, documents: Mapping[str, Document]) -> str:
    """Return a source as an officer reads it: each ``key: section`` with the document's name.

    A source is one or more citations separated by ``;``. A citation that starts with the key of a
    document the profile names ("kent_pif: 3.2 How Rapid Reviews are conducted") becomes "Kent
    Safeguarding Children Multi-Agency Partnership, Practice Improvement Framework (December 2024),
    3.2 How Rapid Reviews are conducted"; anything else ("Children Act 2004 s16C(1)", a partnership's
    "Our protocol, section 2") is kept as written.
    """
    parts = []
    for part in (p.strip() for p in source.split(";")):
        key, sep, section = part.partition(":")
        document = documents.get(key.strip())
        if document is None:
            parts.append(part)
        else:
            parts.append(f"{document.name}, {section.strip()}" if sep and section.strip() else document.name)
    return "; ".join(p for p in parts if p)


def cited_keys(source: str) -> list[str]:
    """Return the document keys a source cites (the ``key`` of each ``key: section``)."""
    keys = []
    for part in source.split(";"):
        key = part.partition(":")[0].strip()
        if _DOCUMENT_KEY.fullmatch(key):
            keys.append(key)
    return keys


@dataclass(frozen=True)
class Milestone:
    """One timescale: when something is due, counted from an event or another milestone."""

    id: str
    label: str
    anchors: tuple[str, ...]
    unit: str
    amount: int
    #: Where the rule comes from, as an officer reads it: documents by title and section.
    source: str
    origin: str
    opens: int | None = None
    at: time | None = None
    done_by: str | None = None
    #: Later events that make the milestone moot once recorded (the meeting has happened, so the
    #: papers for it are no longer "overdue"): its status becomes "passed".
    passed_by: tuple[str, ...] = ()
    applies: str | None = None
    when: str | None = None
    kind: str = "deadline"
    rule: str = ""
    phrase: str = ""
    #: The source as the profile writes it ("kent_pif: 3.2 ..."), document keys and all.
    cites: str = ""
    #: Further events that also meet the milestone: it is met by the first of ``done_by`` and these recorded
    #: (the Executive's discussion is met by its decision, or by its asking the referrer for more information).
    done_also: tuple[str, ...] = ()
    #: For an hour rule: what happens when it runs out on a non-working day (NON_WORKING_DAY_RULES).
    non_working_day: str = STANDS
    #: Ids the milestone had in earlier versions (Cumbria's Day 15 was 'outcome_to_panel'): still found by them.
    formerly: tuple[str, ...] = ()

    @property
    def met_by(self) -> tuple[str, ...]:
        """Return every event that meets the milestone, ``done_by`` first."""
        return ((self.done_by,) if self.done_by else ()) + self.done_also


@dataclass
class Profile:
    """A partnership's process: milestones in the order they are computed, bodies, lists, closures."""

    name: str
    title: str
    description: str
    milestones: tuple[Milestone, ...]
    bodies: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    eligibility: dict[str, Any] = field(default_factory=dict)
    rapid_review_meeting: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: A partnership's own headings for the chronology columns: column key -> headings its agencies use.
    chronology_headings: dict[str, list[str]] = field(default_factory=dict)
    #: What the papers take from the profile ([papers]): who signs the covering letter, by job title.
    papers: dict[str, Any] = field(default_factory=dict)
    closure_days: frozenset[date] = frozenset()
    extends: str | None = None
    path: Path | None = None
    templates_dir: Path | None = None
    #: What this profile changes from the one it extends, in words, for `caseforms profiles`.
    changes: tuple[str, ...] = ()
    #: The documents its rules cite, by key ([documents]): its own and those of the profile it extends.
    documents: dict[str, Document] = field(default_factory=dict)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.closure_days)

    def milestone(self, milestone_id: str) -> Milestone:
        for m in self.milestones:
            if m.id == milestone_id or milestone_id in m.formerly:
                return m
        raise ProfileError(f"Profile '{self.name}' has no milestone '{milestone_id}'.")

    def cite(self, source: str) -> str:
        """Return a source as an officer reads it, each document by its title and section (see :func:`cite`)."""
        return cite(source, self.documents)

    @property
    def reminder_working_days(self) -> int | None:
        """Return how many working days before a deadline its calendar reminder goes off (None: no reminder)."""
        value = self.settings.get("calendar_reminder_working_days", 2)
        return None if value is False or value is None or int(value) < 0 else int(value)

    @property
    def due_soon_working_days(self) -> int:
        return int(self.settings.get("due_soon_working_days", 2))


def available_profiles() -> list[str]:
    """Return the names of the shipped profiles, national first."""
    names = sorted(
        p.name[: -len(".toml")]
        for p in resources.files("caseforms.profiles").iterdir()
        if p.name.endswith(".toml")
    )
    return sorted(names, key=lambda n: (n != "national", n))


def load_profile(name_or_path: str | Path) -> Profile:
    """Return the profile named (a shipped one) or stored at a path (a partnership's own ``.toml``)."""
    return _load(str(name_or_path), relative_to=None, seen=())


def _load(ref: str, relative_to: Path | None, seen: tuple[str, ...]) -> Profile:
    text, where, path = _read(ref, relative_to)
    if where in seen:
        raise ProfileError(f"{where}: profiles extend each other in a circle ({' -> '.join((*seen, where))}).")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{where}: not valid TOML ({e}). Fix the file and try again.") from e
    return _build(data, where, path, (*seen, where))


def _read(ref: str, relative_to: Path | None) -> tuple[str, str, Path | None]:
    """Return the text of a profile, how to name it in messages, and its path when it is a file."""
    looks_like_file = ref.endswith(".toml") or "/" in ref or "\\" in ref
    if not looks_like_file:
        if ref in available_profiles():
            return resources.files("caseforms.profiles").joinpath(f"{ref}.toml").read_text("utf-8"), ref, None
        raise UnknownProfile(
            f"Unknown profile '{ref}'. The shipped profiles are: {', '.join(available_profiles())}; "
            "or give the path of your partnership's own .toml file."
        )
    path = Path(ref)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    try:
        return path.read_text("utf-8"), str(path), path
    except FileNotFoundError:
        raise UnknownProfile(f"Profile file '{path}' does not exist. Check the path.") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ProfileError(f"Profile file '{path}' cannot be read: {e}.") from e


def _build(data: dict[str, Any], where: str, path: Path | None, seen: tuple[str, ...]) -> Profile:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ProfileError(
            f"{where}: unknown section '{sorted(unknown)[0]}'. Sections are: {', '.join(sorted(_TOP_KEYS))}."
        )
    head = _table(data, "profile", where)
    bad = set(head) - _PROFILE_KEYS
    if bad:
        raise ProfileError(f"{where}: [profile] has an unknown key '{sorted(bad)[0]}'.")
    name = str(head.get("name") or (path.stem if path else where))
    extends = head.get("extends")
    if name != "national" and extends is None:
        extends = "national"

    parent = _load(str(extends), path.parent if path else None, seen) if extends else None
    changes: list[str] = []

    documents = dict(parent.documents) if parent else {}
    for key, raw in _table(data, "documents", where).items():
        documents[key] = _document(key, raw, where)
        if parent:
            changes.append(f"cites {documents[key].name}")

    bodies = dict(parent.bodies) if parent else {}
    for key, value in _table(data, "bodies", where).items():
        if parent and bodies.get(key) != value:
            changes.append(f"calls the {key.replace('_', ' ')} '{value}'")
        bodies[key] = str(value)

    settings = _merged(parent.settings if parent else {}, _table(data, "settings", where))
    eligibility = _merged(parent.eligibility if parent else {}, _table(data, "eligibility", where))
    if parent and eligibility.get("rapid_review_age_limit_months") != parent.eligibility.get(
        "rapid_review_age_limit_months"
    ):
        months = int(eligibility["rapid_review_age_limit_months"])
        changes.append(f"allows a Rapid Review up to {months // 12} years {months % 12} months")
    meeting = _merged(parent.rapid_review_meeting if parent else {}, _table(data, "rapid_review_meeting", where))
    lists = dict(parent.lists) if parent else {}
    for key, values in _table(data, "lists", where).items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ProfileError(f"{where}: [lists] {key} must be a list of text values.")
        lists[key] = list(values)
        if parent:
            changes.append(f"has its own list of {key.replace('_', ' ')}")

    headings = {k: list(v) for k, v in parent.chronology_headings.items()} if parent else {}
    for key, values in _table(data, "chronology_headings", where).items():
        if key not in CHRONOLOGY_COLUMNS:
            raise ProfileError(f"{where}: [chronology_headings] '{key}' is not a chronology column. The columns are: "
                               f"{', '.join(CHRONOLOGY_COLUMNS)}.")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ProfileError(f"{where}: [chronology_headings] {key} must be a list of headings, e.g. "
                               f"{key} = [\"Heading the agencies use\"].")
        headings[key] = [*headings.get(key, []), *values]
        if parent:
            changes.append(f"reads its own headings for {key.replace('_', ' ')}: {', '.join(values)}")

    closures = set(parent.closure_days) if parent else set()
    own_closures = _closure_days(data.get("closure_days", []), where)
    if own_closures:
        changes.append(f"adds {len(own_closures)} closure day(s)")
    closures |= own_closures

    milestones: dict[str, Milestone] = {m.id: m for m in parent.milestones} if parent else {}
    for removed in data.get("remove", []):
        if removed not in milestones:
            raise ProfileError(f"{where}: remove names milestone '{removed}', which is not in '{extends}'.")
        del milestones[removed]
        changes.append(f"drops {removed}")
    raw_milestones = data.get("milestone", [])
    if not isinstance(raw_milestones, list):
        raise ProfileError(f"{where}: milestones are written as [[milestone]] tables.")
    own_ids: list[tuple[str, str]] = []
    hour_rules = str(settings.get("hour_rules_on_non_working_days", PREVIOUS_WORKING_DAY))
    if hour_rules not in NON_WORKING_DAY_RULES:
        raise ProfileError(f"{where}: [settings] hour_rules_on_non_working_days must be \"{PREVIOUS_WORKING_DAY}\" or "
                           f"\"{STANDS}\", not {hour_rules!r}.")
    for raw in raw_milestones:
        m = _milestone(raw, where, name, bodies, documents, hour_rules)
        own_ids.append(("replaces" if m.id in milestones else "adds", m.id))
        milestones[m.id] = m
    ordered = _with_rules(_in_computing_order(milestones, where))
    by_id = {m.id: m for m in ordered}
    changes.extend(f"{verb} {mid}: {by_id[mid].rule}" for verb, mid in own_ids)

    templates_dir = head.get("templates_dir")
    return Profile(
        name=name,
        title=str(head.get("title", name)),
        description=str(head.get("description", "")),
        milestones=ordered,
        bodies=bodies,
        settings=settings,
        eligibility=eligibility,
        rapid_review_meeting=meeting,
        lists=lists,
        chronology_headings=headings,
        papers=_merged(parent.papers if parent else {}, _table(data, "papers", where)),
        closure_days=frozenset(closures),
        extends=str(extends) if extends else None,
        path=path,
        templates_dir=(path.parent / templates_dir if path else Path(templates_dir)) if templates_dir else None,
        changes=tuple(changes),
        documents=documents,
    )


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: '{key}' must be a [{key}] table.")
    return value


def _merged(base: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    merged.update(own)
    return merged


def _closure_days(raw: Any, where: str) -> set[date]:
    """Read closure days: dates, or tables ``{from = ..., to = ...}`` for a run of days."""
    if not isinstance(raw, list):
        raise ProfileError(f"{where}: closure_days must be a list of dates.")
    days: set[date] = set()
    for item in raw:
        if isinstance(item, dict) and "from" in item and "to" in item:
            first, last = _a_date(item["from"], where), _a_date(item["to"], where)
            if last < first:
                raise ProfileError(f"{where}: closure period {first} to {last} ends before it starts.")
            if (last - first).days >= MAX_CLOSURE_DAYS:
                raise ProfileError(f"{where}: closure period {first} to {last} is {(last - first).days + 1:,} days long; "
                                   f"a closure is days or weeks (at most {MAX_CLOSURE_DAYS}). Check the dates.")
            days.update(date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1))
        else:
            days.add(_a_date(item, where))
    return days


def _a_date(value: Any, where: str) -> date:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ProfileError(f"{where}: closure day '{value}' is not a date; write it as 2025-12-29.") from None
    if isinstance(day, datetime):
        day = day.date()
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ProfileError(f"{where}: closure day {day} is outside the years caseforms counts ({FIRST_YEAR} to "
                           f"{LAST_YEAR}). Check the year.")
    return day


def _document(key: str, raw: Any, where: str) -> Document:
    """Read one ``[documents.KEY]`` table: a title, and the partnership, date and link when there are."""
    at = f"{where}: [documents.{key}]"
    if not _DOCUMENT_KEY.fullmatch(key):
        raise ProfileError(f"{at}: a document's key is one word in lower case (letters, digits, _), e.g. "
                           "[documents.our_procedures].")
    if not isinstance(raw, dict):
        raise ProfileError(f"{at}: write the document as a table with a title, e.g. title = \"Practice Guidance\".")
    bad = set(raw) - _DOCUMENT_KEYS
    if bad:
        raise ProfileError(f"{at}: unknown key '{sorted(bad)[0]}'. A document has {', '.join(sorted(_DOCUMENT_KEYS))}.")
    if not isinstance(raw.get("title"), str) or not raw["title"].strip():
        raise ProfileError(f"{at}: has no title. Give the document's title as officers know it.")
    return Document(key, raw["title"].strip(), str(raw.get("partnership", "")).strip(), str(raw.get("date", "")).strip(),
                    str(raw.get("url", "")).strip())


def _milestone(
    raw: Any, where: str, origin: str, bodies: Mapping[str, str], documents: Mapping[str, Document],
    hour_rule_default: str = PREVIOUS_WORKING_DAY,
) -> Milestone:
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: each [[milestone]] must be a table.")
    mid = raw.get("id")
    if not isinstance(mid, str) or not mid.isidentifier():
        raise ProfileError(f"{where}: a milestone has no id, or one that is not a single word (got {mid!r}).")
    at = f"{where}: milestone '{mid}'"
    bad = set(raw) - _MILESTONE_KEYS
    if bad:
        raise ProfileError(f"{at}: unknown key '{sorted(bad)[0]}'.")
    for required in ("label", "anchor", "source"):
        if not raw.get(required):
            raise ProfileError(f"{at}: has no {required}. Every rule must say {_WHY[required]}.")
    units = [u for u in UNITS if u in raw]
    if len(units) != 1:
        raise ProfileError(f"{at}: give exactly one of {', '.join(UNITS)} (found {', '.join(units) or 'none'}).")
    unit = units[0]
    amount = raw[unit]
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise ProfileError(f"{at}: {unit} must be a whole number, not {amount!r}.")
    if abs(amount) > MAX_COUNT[unit]:
        raise ProfileError(f"{at}: {unit} = {amount:,} is far longer than any timescale (at most {MAX_COUNT[unit]:,} "
                           f"either way). Check the number.")
    if unit == "process_day" and amount < 1:
        raise ProfileError(f"{at}: process days are numbered from Day 1.")
    opens = raw.get("opens_working_days", raw.get("opens_process_day"))
    if opens is not None:
        expected = "opens_process_day" if unit == "process_day" else "opens_working_days"
        if unit not in ("working_days", "process_day") or expected not in raw:
            raise ProfileError(f"{at}: a window opening must be given in the same unit as the deadline ({expected}).")
        if not isinstance(opens, int) or isinstance(opens, bool) or opens > amount:
            raise ProfileError(f"{at}: the window must open ({opens}) on or before it closes ({amount}).")
        if abs(opens) > MAX_COUNT[unit]:
            raise ProfileError(f"{at}: the window opens {opens:,} {unit.replace('_', ' ')} away, far longer than any "
                               "timescale. Check the number.")
    anchors = raw["anchor"]
    anchors = (anchors,) if isinstance(anchors, str) else tuple(anchors)
    done_by = raw.get("done_by", ())
    done_by = (done_by,) if isinstance(done_by, str) else tuple(done_by)
    for event in done_by:
        if event not in EVENTS:
            raise ProfileError(f"{at}: done_by '{event}' is not an event. Events: {', '.join(EVENTS)}.")
    passed_by = raw.get("passed_by", ())
    passed_by = (passed_by,) if isinstance(passed_by, str) else tuple(passed_by)
    for event in passed_by:
        if event not in EVENTS:
            raise ProfileError(f"{at}: passed_by '{event}' is not an event. Events: {', '.join(EVENTS)}.")
    when = raw.get("when")
    if when is not None and when not in FLAGS:
        raise ProfileError(f"{at}: when '{when}' is not a case flag. Flags: {', '.join(FLAGS)}.")
    kind = raw.get("kind", "deadline")
    if kind not in KINDS:
        raise ProfileError(f"{at}: kind must be one of {', '.join(KINDS)}, not '{kind}'.")
    at_time = raw.get("time")
    if at_time is not None:
        try:
            at_time = at_time if isinstance(at_time, time) else time.fromisoformat(str(at_time))
        except ValueError:
            raise ProfileError(f"{at}: time '{at_time}' is not hh:mm.") from None
    label = _fill_label(str(raw["label"]), bodies, at)
    source = str(raw["source"])
    unknown_documents = [k for k in cited_keys(source) if k not in documents]
    if unknown_documents:
        raise ProfileError(f"{at}: its source cites '{unknown_documents[0]}', which is not a document the profile "
                           f"names. Add it under [documents.{unknown_documents[0]}] with its title, or cite one of: "
                           f"{', '.join(sorted(documents)) or 'none'}.")
    non_working_day = raw.get("non_working_day", hour_rule_default if unit == "hours" else STANDS)
    if non_working_day not in NON_WORKING_DAY_RULES:
        raise ProfileError(f"{at}: non_working_day must be \"{PREVIOUS_WORKING_DAY}\" (an office task) or "
                           f"\"{STANDS}\" (an emergency, due at the clock hour whatever the day), not "
                           f"{non_working_day!r}.")
    formerly = raw.get("formerly", ())
    formerly = (formerly,) if isinstance(formerly, str) else tuple(str(f) for f in formerly)
    return Milestone(
        id=mid, label=label, anchors=anchors, unit=unit, amount=amount, source=cite(source, documents), cites=source,
        origin=origin, opens=opens, at=at_time, done_by=done_by[0] if done_by else None, passed_by=passed_by,
        applies=raw.get("applies") or (FLAGS[when] if when else None), when=when,
        kind=kind, rule=str(raw.get("rule", "")), phrase=str(raw.get("phrase", "")), done_also=done_by[1:],
        non_working_day=non_working_day, formerly=formerly,
    )


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def _fill_label(label: str, bodies: Mapping[str, str], at: str) -> str:
    """Return the label with each ``{body}`` replaced by the body's name; ``{{`` and ``}}`` are braces.

    Only a body's name may stand between braces: no format specifications, attributes or
    positions (``{panel:>1000000000}`` would build a gigabyte of spaces).
    """

    def fill(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = m.group(1)
        if name is None:
            raise ProfileError(f"{at}: the label {label!r} has a '{token}' on its own. Write a body's name between "
                               "braces, such as {partnership}, or {{ and }} for a brace.")
        if not name.strip().isidentifier():
            raise ProfileError(f"{at}: the label {label!r} has '{token}' between braces; only a body's name may stand "
                               "there, such as {partnership}. Write {{ and }} for a brace.")
        if name.strip() not in bodies:
            known = ", ".join("{" + b + "}" for b in sorted(bodies)) or "none"
            raise ProfileError(f"{at}: the label names a body '{name}' that the profile does not define in "
                               f"[bodies] (defined: {known}).")
        return bodies[name.strip()]

    return _PLACEHOLDER.sub(fill, label)


_WHY = {"label": "what is due", "anchor": "which event it counts from", "source": "where it comes from"}


def _in_computing_order(milestones: Mapping[str, Milestone], where: str) -> tuple[Milestone, ...]:
    """Order milestones so that each comes after the milestones it counts from; refuse loops."""
    ordered: list[Milestone] = []
    state: dict[str, str] = {}

    def visit(m: Milestone, path: tuple[str, ...]) -> None:
        if state.get(m.id) == "done":
            return
        if state.get(m.id) == "visiting":
            raise ProfileError(f"{where}: milestones count from each other in a circle: {' -> '.join((*path, m.id))}.")
        state[m.id] = "visiting"
        for anchor in m.anchors:
            if anchor in EVENTS:
                continue
            if anchor not in milestones:
                raise ProfileError(
                    f"{where}: milestone '{m.id}' counts from '{anchor}', which is neither an event "
                    f"({', '.join(EVENTS)}) nor a milestone of this profile."
                )
            visit(milestones[anchor], (*path, m.id))
        state[m.id] = "done"
        ordered.append(m)

    for m in milestones.values():
        visit(m, ())
    return tuple(ordered)


def _with_rules(milestones: tuple[Milestone, ...]) -> tuple[Milestone, ...]:
    """Fill in each milestone's rule in words, naming milestone anchors by their own phrase."""
    phrases = {m.id: m.phrase or f"'{m.label}'" for m in milestones}
    phrases.update({key: e.phrase for key, e in EVENTS.items()})
    return tuple(
        m if m.rule else replace(m, rule=describe_rule(m, phrases[m.anchors[0]])) for m in milestones
    )


def describe_rule(m: Milestone, of: str) -> str:
    """Return the rule in an officer's words: "within 5 working days of becoming aware".

    ``of`` is how the rule names what it counts from ("becoming aware").
    """
    n = m.amount
    if m.unit == "process_day":
        day = f"Days {m.opens}–{n}" if m.opens is not None else f"Day {n}"
        by = f"by {m.at:%H:%M} on " if m.at else ""
        return f"{by}{day} of the timetable (Day 1 = the day of {of})"
    words = {"working_days": "working day", "hours": "hour", "months": "month", "days": "day"}[m.unit]
    count = f"{abs(n)} {words}{'s' if abs(n) != 1 else ''}"
    if m.kind == "keep_until":
        return f"for at least {count} after {of}"
    office = m.unit == "hours" and m.non_working_day == PREVIOUS_WORKING_DAY
    if n < 0 and office:
        # Counted back in working time from a deadline that is a date (DOMAIN.md 'Sequences and readings').
        days = -(-abs(n) // 24)
        return f"{count} before {of}, counted in working days ({days} working day{'s' if days != 1 else ''})"
    if n < 0:
        return f"{count} before {of}"
    if office:
        return f"within {count} of {of} (on a non-working day: by the working day before)"
    if m.opens is not None:
        return f"between {m.opens} and {count} after {of}"
    return f"within {count} of {of}"
