"""Agency summaries: the questions each agency answers beside its chronology, and the answers it sent.

The questions follow Kent's guidance for agency summaries of involvement
(``000_44eed6501ae43eb6.txt`` "Agency summaries": the services received or not, the history and
context, the learning, an analysis that captures the child's lived experience, single-agency
actions with sign-off; ``002_cbeaa030473136cf.txt`` Appendix 4: biographic information, family,
identity and protected characteristics, the current situation and safeguarding arrangements,
analysis and learning, SMART single-agency actions). A profile chooses them: ``[lists]
agency_summary_questions`` names keys of :data:`QUESTIONS` in the order they are asked; any other
text in that list is a question of the partnership's own.

Answers come back on the request workbook's Agency summary sheet, or in a Word document the
agency sends beside its chronology; the adapters read them (``caseforms.io.request_pack``,
``caseforms.io.summary_docx``) into :class:`AgencySummary` records. Nothing an agency wrote is
dropped: an answer under a heading caseforms does not know keeps its own heading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from caseforms.chronology.agencies import Evidence

#: Key -> the question as the agency reads it. Order is the order of Kent's report.
QUESTIONS: dict[str, str] = {
    "involvement": "Your agency's involvement with the child and family in the scope period: the services they "
                   "received, and those offered or needed but not received (and why). Include relevant history "
                   "before the scope period.",
    "analysis": "Analysis: why did things happen as they did? What did your agency know at the time, and what did "
                "it make of it?",
    "lived_experience": "The child's lived experience: what was day-to-day life like for the child, as your agency "
                        "saw it?",
    "identity": "Identity: the child's and family's identity and protected characteristics (ethnicity, culture, "
                "religion, language, disability, gender, sexuality), and how they shaped your agency's work.",
    "worked_well": "What worked well?",
    "worries": "What are we worried about?",
    "current_safeguarding": "The current situation, including the safeguarding arrangements now in place.",
    "learning": "Learning for your agency, and for agencies working together.",
    "actions": "Single-agency actions and recommendations (SMART: each with an owner and a date), already taken "
               "or planned.",
}
#: The short title of each question, for headings in the papers.
TITLES: dict[str, str] = {
    "involvement": "Involvement",
    "analysis": "Analysis",
    "lived_experience": "The child's lived experience",
    "identity": "Identity",
    "worked_well": "What worked well",
    "worries": "What we are worried about",
    "current_safeguarding": "Current safeguarding",
    "learning": "Learning",
    "actions": "Single-agency actions",
    "history": "Relevant history and context",  # asked by request workbooks made before 2026.10
}
#: The questions of request workbooks made before these (caseforms 2026.10), matched by their exact wording:
#: workbooks already out with agencies come back with them.
_EARLIER_QUESTIONS: dict[str, str] = {
    "What services did the child and family receive from your agency in the scope period, and which services were "
    "offered or needed but not received (and why)?": "involvement",
    "What is the relevant history and context your agency knew of before the scope period?": "history",
    "What learning for your agency, or for agencies working together, does your involvement show? Include what "
    "worked well.": "learning",
    "What single-agency actions has your agency already taken or planned (with owner and date)?": "actions",
}
#: Words in a heading or an older question that tell which question it answers (first match wins).
_CLUES: tuple[tuple[str, str], ...] = (
    ("lived experience", "lived_experience"),
    ("day to day", "lived_experience"),
    ("child s experience", "lived_experience"),
    ("protected characteristic", "identity"),
    ("identity", "identity"),
    ("diversity", "identity"),
    ("worked well", "worked_well"),
    ("good practice", "worked_well"),
    ("strengths", "worked_well"),
    ("worried", "worries"),
    ("worries", "worries"),
    ("concerns", "worries"),
    ("current", "current_safeguarding"),
    ("safeguarding arrangements", "current_safeguarding"),
    ("learning", "learning"),
    ("lessons", "learning"),
    ("single agency action", "actions"),
    ("actions", "actions"),
    ("recommendation", "actions"),
    ("analysis", "analysis"),
    ("involvement", "involvement"),
    ("services", "involvement"),
    ("history", "involvement"),
)
#: Labels of the author and sign-off lines.
AUTHOR = "Completed by (name and role)"
SIGNED_OFF = "Signed off by (name, role and date)"
_AUTHOR_LABEL = re.compile(r"^(?:completed by|author|prepared by|written by|report author)\b", re.IGNORECASE)
_SIGNED_LABEL = re.compile(r"^(?:signed off by|sign[- ]?off|approved by|authorised by|authorized by|quality assured by)\b",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    """One question of the agency summary: a key of :data:`QUESTIONS`, or the partnership's own text."""

    key: str
    text: str

    @property
    def title(self) -> str:
        return TITLES.get(self.key, self.text)


def questions_for(lists: Mapping[str, Sequence[str]]) -> list[Question]:
    """Return the questions a profile asks (its ``agency_summary_questions`` list), all of Kent's by default."""
    chosen = list(lists.get("agency_summary_questions", [])) or list(QUESTIONS)
    result: list[Question] = []
    for item in chosen:
        key = str(item).strip()
        if key in QUESTIONS:
            result.append(Question(key, QUESTIONS[key]))
        elif key:
            result.append(Question(_slug(key), key))
    return result


@dataclass
class SummaryAnswer:
    """An agency's answer to one question, the question as the agency saw it, and which question it is."""

    question: str
    answer: str
    #: The key of :data:`QUESTIONS` it answers, or None for a heading of the agency's own.
    key: str | None = None

    @property
    def title(self) -> str:
        return TITLES.get(self.key or "", self.question)


@dataclass
class AgencySummary:
    """One agency's summary of involvement as received: from its request workbook, or a document of its own."""

    file: str
    answers: list[SummaryAnswer] = field(default_factory=list)
    author: str = ""
    signed_off: str = ""
    #: What a separate document says about who sent it (a request workbook's summary is its return's).
    evidence: Evidence | None = None
    #: Where in the file: "sheet Agency summary", or "" for a document.
    place: str = ""
    #: The agency, once told (by the merge, as for a chronology return).
    agency: str | None = None
    #: The case reference the document names, when it names one.
    case_reference: str | None = None

    @property
    def answered(self) -> bool:
        return any(a.answer.strip() for a in self.answers)


def key_of(heading: str) -> str | None:
    """Return the question a heading or question text answers ("What worked well?" -> "worked_well"), or None."""
    norm = _norm(heading)
    for text, key in (*((t, k) for k, t in QUESTIONS.items()), *_EARLIER_QUESTIONS.items()):
        if norm == _norm(text):
            return key
    for clue, key in _CLUES:
        if re.search(rf"\b{clue}\b", norm):
            return key
    return None


def label_of(text: str) -> str | None:
    """Return "author" or "signed_off" for a line or label naming who wrote or signed off a summary, else None."""
    cleaned = text.strip().lstrip("•-* ")
    if _SIGNED_LABEL.match(cleaned):
        return "signed_off"
    if _AUTHOR_LABEL.match(cleaned):
        return "author"
    return None


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold().replace("'", " ")))


def _slug(text: str) -> str:
    return "own_" + "_".join(re.findall(r"[a-z0-9]+", text.casefold()))[:40]
