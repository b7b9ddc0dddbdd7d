"""The publication check: every identifier still in what is to be published, by file and place.

It reads what was written (every paragraph, table cell, header, footer, comment, footnote and section
of a paper; every cell of every sheet of a workbook: see :mod:`caseforms.io.publication_files`) and
runs the same matcher the anonymisation uses over it. A paper is ready for publication only when the
check finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from caseforms.publication.anonymise import Anonymiser

#: Characters of text shown either side of what was found, so the officer can find it with Ctrl+F.
_AROUND = 30


@dataclass(frozen=True)
class Remaining:
    """An identifier found in a file meant for publication."""

    file: str
    #: Where in the file: "paragraph 12", "table 2, row 3, column 4", "section 'Case summary'", "Chronology!H7".
    place: str
    #: name, school, date of birth, NHS number, address, postcode.
    kind: str
    found: str
    #: Whose it is, as far as caseforms knows ("Chloe Thornton", "a postcode").
    who: str
    #: The text around it, with the identifier in it.
    context: str

    def __str__(self) -> str:
        return f"{self.file}, {self.place}: {self.kind} '{self.found}' ({self.who}) in \"{self.context}\""


def remaining(file: str, texts: Iterable[tuple[str, str]], anonymiser: Anonymiser) -> list[Remaining]:
    """Return every identifier in ``texts`` ((place, text) pairs of one file), in the order they are read."""
    found: list[Remaining] = []
    for place, text in texts:
        for m in anonymiser.matches(text):
            start, end = max(0, m.start - _AROUND), min(len(text), m.end + _AROUND)
            context = ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")
            found.append(Remaining(file, place, m.kind, m.found, m.who, context))
    return found
