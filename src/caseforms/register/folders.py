"""A partnership's working folder: the register and a folder per case for its returns and papers.

    DIR/
      register.xlsx
      tracker.xlsx              recommendations and actions of every case
      backups/                  copies of the register before caseforms rewrites it
      cases/
        SCP-2025-014/
          Master chronology.xlsx  the returns merged ('caseforms chronology merge'); the papers read it
          returns/              agency chronologies and summaries as they come back
          papers/               Terms of Reference, reports, letters made for the case

A case's folder is named after its reference, with the characters Windows forbids in names
replaced by '-' ("KSCMP/2025/3" -> "KSCMP-2025-3").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

REGISTER_FILE = "register.xlsx"
CASES_FOLDER = "cases"
CASE_SUBFOLDERS = ("returns", "papers")
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def folder_name(case_ref: str) -> str:
    """Return the folder name for a case reference, safe on Windows, macOS and Linux."""
    name = _FORBIDDEN.sub("-", case_ref.strip()).rstrip(". ")
    return name or "unnamed case"


def case_folder(root: Path, case_ref: str) -> Path:
    """Return the folder of one case under the working folder ``root``."""
    return Path(root) / CASES_FOLDER / folder_name(case_ref)


def ensure_case_folders(root: Path, case_refs: Iterable[str]) -> list[Path]:
    """Create the missing folders of each case under ``root``; return the case folders created.

    Only a working folder made by ``caseforms init`` (one with a ``cases`` folder) is touched, so
    checking a register kept anywhere else never scatters folders beside it.
    """
    base = Path(root) / CASES_FOLDER
    if not base.is_dir():
        return []
    made: list[Path] = []
    for ref in case_refs:
        if not ref or not str(ref).strip():
            continue
        folder = case_folder(root, str(ref))
        if not folder.exists():
            made.append(folder)
        for sub in CASE_SUBFOLDERS:
            (folder / sub).mkdir(parents=True, exist_ok=True)
    return made
