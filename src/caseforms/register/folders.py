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
replaced by '-' ("KSCMP/2025/3" -> "KSCMP-2025-3"). So two references that differ only by those
characters, or by capital letters (Windows and macOS do not tell "ABC" from "abc"), would share a
folder: `caseforms validate` reports them, and no command for either case reads or writes the
folder until one is renamed (:func:`check_own_folder`).

Every name caseforms makes from a reference or an agency (:func:`safe_name`) is one Windows can
hold: not a device name (CON, NUL, COM1...), no trailing dot or space, and short enough for
Windows' and Excel's path limits; a longer one is cut and ends with a short code made from the
whole text ("~1a2b3c4d"), so two long names never become one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from caseforms.errors import CaseFolderShared, WorkbookError

REGISTER_FILE = "register.xlsx"
#: The same register saved as a macro-enabled workbook, for the cell functions (=CF_DUE...): a folder
#: holds one register, under one of the two names.
REGISTER_WITH_MACROS = "register.xlsm"
CASES_FOLDER = "cases"
CASE_SUBFOLDERS = ("returns", "papers")
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
#: Names Windows keeps for devices: no file or folder can have one, whatever follows its first dot.
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                       *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))})
#: The longest name (UTF-8 bytes, so also within Linux's 255) caseforms gives a case's folder and the
#: stem of a file it names after a case and an agency. Real references and agencies are far shorter;
#: these keep a whole path within Windows' 260 characters (and Excel's 218) from a working folder of
#: ordinary depth: <folder>/cases/<case>/requests/<stem> - letter.docx.
FOLDER_NAME_LIMIT = 48
FILE_STEM_LIMIT = 80
_CODE_LENGTH = 8


def safe_name(text: str, limit: int = FILE_STEM_LIMIT, *, empty: str = "unnamed") -> str:
    """Return ``text`` as a file or folder name every system can hold, at most ``limit`` UTF-8 bytes.

    Forbidden characters become '-'; a Windows device name gets '_' after it ("CON" -> "CON_");
    trailing dots and spaces go. A name longer than ``limit`` is cut and ends with '~' and a code
    made from the whole of ``text``, so different texts keep different names, run after run.
    """
    name = _FORBIDDEN.sub("-", text.strip()).strip().rstrip(". ") or empty
    stem, dot, rest = name.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:
        name = f"{stem.rstrip(' ')}_{dot}{rest}"
    if len(name.encode("utf-8", "surrogatepass")) <= limit:
        return name
    code = hashlib.sha256(text.strip().encode("utf-8", "surrogatepass")).hexdigest()[:_CODE_LENGTH]
    room = limit - len(code) - 1
    cut = name
    while len(cut.encode("utf-8", "surrogatepass")) > room:
        cut = cut[:-1]
    return f"{cut.rstrip('. -')}~{code}"


def folder_name(case_ref: str) -> str:
    """Return the folder name for a case reference, safe on Windows, macOS and Linux."""
    return safe_name(case_ref, FOLDER_NAME_LIMIT, empty="unnamed case")


def folder_key(case_ref: str) -> str:
    """Return what tells case folders apart on every system: the name, its capitals and accents' encoding aside."""
    return unicodedata.normalize("NFC", folder_name(case_ref)).lower()


def case_folder(root: Path, case_ref: str) -> Path:
    """Return the folder of one case under the working folder ``root``."""
    return Path(root) / CASES_FOLDER / folder_name(case_ref)


def shared_folders(cases: Iterable[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Return the groups of cases whose different references would share one folder, as (reference, row).

    The same reference on two rows (capitals aside) is a duplicate, not a clash of names: the
    check of duplicate references reports it.
    """
    by_key: dict[str, list[tuple[str, int]]] = {}
    for ref, row in cases:
        if ref and ref.strip():
            by_key.setdefault(folder_key(ref), []).append((ref.strip(), row))
    return [group for group in by_key.values() if len({ref.casefold() for ref, _ in group}) > 1]


def check_own_folder(case_ref: str, cases: Sequence[tuple[str, int]], sheet: str = "Cases") -> None:
    """Raise :class:`CaseFolderShared` when another case of the register would share ``case_ref``'s folder.

    ``cases`` are the register's cases as (reference, row). Called before a command reads or
    writes anything in a case's folder, so one child's returns and papers are never another's.
    """
    key, folded = folder_key(case_ref), case_ref.strip().casefold()
    others = [(ref.strip(), row) for ref, row in cases
              if ref and folder_key(ref) == key and ref.strip().casefold() != folded]
    if not others:
        return
    mine = next((row for ref, row in cases if ref and ref.strip().casefold() == folded), None)
    named = " and ".join(f"'{ref}' ({sheet} row {row})" for ref, row in others)
    where = f" ({sheet} row {mine})" if mine else ""
    raise CaseFolderShared(
        f"Case '{case_ref.strip()}'{where} and {named} would share the folder {CASES_FOLDER}/{folder_name(case_ref)}: "
        "their references differ only in characters a folder name cannot hold (such as / \\ : * ?) or in ways "
        "Windows and macOS do not tell apart. "
        "caseforms will not read or write that folder for either case, so one child's returns and papers are "
        "never mixed with another's. Give one of them a reference that differs in its letters or digits "
        f"(e.g. '{case_ref.strip()}-2'), move its files to its new folder, then run the command again."
    )


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


def register_in(folder: Path) -> Path:
    """Return the register of a working folder: register.xlsx, or register.xlsm when it was saved as that.

    Which of the two names is there does not matter (the path returned may not exist: neither is);
    both at once are two registers that would drift apart, and :class:`WorkbookError` says so.
    """
    folder = Path(folder)
    plain, macros = folder / REGISTER_FILE, folder / REGISTER_WITH_MACROS
    if plain.is_file() and macros.is_file():
        raise WorkbookError(
            f"{folder} holds two registers, {REGISTER_FILE} and {REGISTER_WITH_MACROS}: caseforms cannot tell which "
            f"one is kept up to date. Keep the one you work in (the .xlsm if you use the cell functions) and move the "
            "other into backups/, then run the action again."
        )
    return macros if macros.is_file() else plain
