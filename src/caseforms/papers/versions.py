"""Versions of a paper: when a paper is made again, whether it is kept, replaced or followed by a new version.

Plain rules over what :mod:`caseforms.io.paper_versions` finds in the papers folder. The promise
behind them: a paper the officer has edited since caseforms made it is never replaced. Making it
again writes the next version (1.0, 1.1, 1.2 ...) beside it, carrying what the officer wrote in
its sections; the edited file stays where it was, untouched.

- No earlier version: version 1.0.
- Nothing has changed since the latest version was made (the register's facts, the template, what
  the officer wrote): the latest version is kept as it is, edited or not.
- Something changed and the latest version is caseforms' own, untouched since it was made: it is
  made again in its place (same version; the old copy goes to backups/), with what the officer
  wrote in other versions or packs carried in.
- Something changed and the latest version was edited (saved in Word or elsewhere since caseforms
  made it), or it was made by an earlier caseforms that recorded nothing: the next version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FIRST_VERSION = "1.0"

#: What making a paper did, in the words the command prints.
NEW = "new"
REPLACED = "made again"
NEXT_VERSION = "new version"
KEPT = "up to date"

_VERSION = re.compile(r"^(\d+)\.(\d+)$")


def next_version(version: str) -> str:
    """Return the version after ``version``: 1.0 -> 1.1, 1.9 -> 1.10; anything unreadable -> 1.1."""
    m = _VERSION.match(version.strip())
    if m is None:
        return "1.1"
    return f"{int(m.group(1))}.{int(m.group(2)) + 1}"


def version_key(version: str) -> tuple[int, int]:
    """Return a version as numbers to compare (1.10 comes after 1.9); unreadable ones come first."""
    m = _VERSION.match(version.strip())
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


@dataclass(frozen=True)
class Latest:
    """The latest version of a paper in the folder, as far as making it again needs to know."""

    version: str
    #: True when it was saved by something else since caseforms made it (or caseforms recorded nothing).
    edited: bool
    #: What it was made from (register facts, template, carried text), as caseforms recorded it.
    made_from: str | None


@dataclass(frozen=True)
class Plan:
    """What to do with one paper: its action (NEW, REPLACED, NEXT_VERSION, KEPT) and the version to write."""

    action: str
    version: str

    @property
    def writes(self) -> bool:
        return self.action != KEPT


def plan(latest: Latest | None, made_from: str) -> Plan:
    """Return what making a paper again does, given its latest version and what it would be made from now."""
    if latest is None:
        return Plan(NEW, FIRST_VERSION)
    if latest.made_from is not None and latest.made_from == made_from:
        return Plan(KEPT, latest.version)
    if latest.edited:
        return Plan(NEXT_VERSION, next_version(latest.version))
    return Plan(REPLACED, latest.version)


def paper_file_name(stem: str, title: str, version: str, day: date) -> str:
    """Return a paper's file name: '<REF> <Paper> v<version> <yyyy-mm-dd>.docx' (the reference, never a name).

    A title's colon ("National Panel notification: preparation sheet") becomes a dash: Windows and
    OneDrive refuse a file name holding one, and so does every forbidden character.
    """
    from caseforms.register.folders import safe_name

    shown = safe_name(title.replace(": ", " - "), limit=10_000)
    return f"{stem} {shown} v{version} {day:%Y-%m-%d}.docx"
