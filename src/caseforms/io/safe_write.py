"""Writing an officer's files without ever losing them.

Every file caseforms writes goes through here:

* never over a workbook Excel has open (Excel leaves a ``~$`` lock file beside it);
* written whole to a temporary file in the same folder, then moved into place, so a crash or a
  full disk leaves the old file as it was;
* the file it replaces is first copied to ``backups/`` beside it, with a timestamp;
* openpyxl rewrites a workbook without what it does not understand (shapes, the validations and
  formats Excel keeps in ``extLst``, slicers, threaded comments, macros, the ribbon...). Before
  an openpyxl save over an existing workbook we look for those, and when there are any we write
  a new file beside it instead and say why.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from caseforms.errors import WorkbookCorrupt, WorkbookError, WorkbookOpenError, WorkbookProtected

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
BACKUP_FOLDER = "backups"


@dataclass(frozen=True)
class SaveResult:
    """Where a workbook was written, the backup of what it replaced, and why it went elsewhere."""

    path: Path
    backup: Path | None = None
    #: Set when the file could not be written where asked without losing something of the officer's.
    redirected_reason: str | None = None


def lock_files(path: Path) -> list[Path]:
    """Return the Office lock files that would show ``path`` is open in Excel or Word."""
    candidates = [path.with_name("~$" + path.name)]
    if len(path.name) > 2:
        # Word (and Excel for some long names) replaces the first two characters instead.
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [c for c in candidates if c.exists()]


def ensure_not_open(path: Path) -> None:
    """Raise :class:`WorkbookOpenError` when ``path`` is open in Excel or Word (its lock file is there)."""
    if lock_files(Path(path)):
        program = "Word" if Path(path).suffix.lower() in (".docx", ".doc", ".docm") else "Excel"
        raise WorkbookOpenError(
            f"{path} is open in {program} (or was not closed properly). Save and close it, then try again. "
            f"If it is not open anywhere, delete the hidden file '~${Path(path).name}' beside it."
        )


def backup(path: Path) -> Path:
    """Copy ``path`` into ``backups/`` beside it as '<name> <yyyy-mm-dd hhmmss><suffix>' and return the copy."""
    path = Path(path)
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    target = folder / f"{path.stem} {stamp}{path.suffix}"
    counter = 2
    while target.exists():
        target = folder / f"{path.stem} {stamp} ({counter}){path.suffix}"
        counter += 1
    shutil.copy2(path, target)
    return target


def write_atomically(path: Path, write: Callable[[Path], Any], *, keep_backup: bool = True) -> Path | None:
    """Write a file through ``write(temporary_path)`` and move it into place; return the backup made.

    Refuses when the file is open in Excel. The temporary file sits in the same folder (so the
    final move is atomic) and keeps the suffix, which some writers check. When anything goes
    wrong the temporary file is removed and the existing file is untouched.
    """
    path = Path(path)
    ensure_not_open(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.caseforms-{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        made = backup(path) if keep_backup and path.exists() else None
        try:
            os.replace(tmp, path)
        except PermissionError as e:
            # On Windows a file open in Excel cannot be replaced, lock file or not.
            raise WorkbookOpenError(f"{path} cannot be replaced: it is open in another program. Close it and try again.") from e
    finally:
        if tmp.exists():
            tmp.unlink()
    return made


# -- what openpyxl would drop -------------------------------------------------------------------

_PARTS_OPENPYXL_DROPS: tuple[tuple[str, str], ...] = (
    ("xl/slicers/", "slicers"),
    ("xl/slicerCaches/", "slicers"),
    ("xl/timelines/", "timelines"),
    ("xl/webextensions/", "Office add-ins (web extensions)"),
    ("xl/vbaProject.bin", "macros (VBA)"),
    ("customUI/", "a custom ribbon"),
    ("xl/threadedComments/", "threaded comments (replies would be lost)"),
    ("xl/ctrlProps/", "form controls (buttons, check boxes)"),
    ("xl/model/", "the data model (Power Pivot)"),
    ("xl/richData/", "pictures in cells and linked data types"),
)
_SHAPE = re.compile(rb"<(?:xdr:)?(?:sp|cxnSp|grpSp)[ >]")
_EXT_FEATURES: tuple[tuple[bytes, str], ...] = (
    (b"x14:dataValidation", "drop-down lists or validation that Excel stores in its own extension"),
    (b"x14:conditionalFormatting", "conditional formatting that Excel stores in its own extension"),
    (b"x14:sparklineGroup", "sparklines"),
    (b"x14:slicerList", "slicers"),
    (b"x15:timelineRefs", "timelines"),
)


def openpyxl_would_drop(path: Path) -> list[str]:
    """Return, in words, what an openpyxl load-and-save of ``path`` would silently lose; [] when nothing.

    Only reads the file. A file that is not a readable workbook gives [], and the read that
    follows reports the real problem.
    """
    found: list[str] = []
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            for prefix, what in _PARTS_OPENPYXL_DROPS:
                if any(n.startswith(prefix) for n in names) and what not in found:
                    found.append(what)
            for name in names:
                if name.startswith("xl/drawings/drawing") and name.endswith(".xml") and _SHAPE.search(z.read(name)):
                    if "shapes or text boxes" not in found:
                        found.append("shapes or text boxes")
                elif name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                    for _feature, what in _ext_features(z, name):
                        if what not in found:
                            found.append(what)
    except (zipfile.BadZipFile, OSError, KeyError):
        return []
    return found


def _ext_features(z: zipfile.ZipFile, name: str) -> list[tuple[bytes, str]]:
    """Return the Excel extension features used in one worksheet part, reading it in chunks."""
    hits: list[tuple[bytes, str]] = []
    tail = b""
    with z.open(name) as f:
        seen_ext = False
        while chunk := f.read(1 << 20):
            data = tail + chunk
            seen_ext = seen_ext or b"<extLst" in data
            if seen_ext:
                hits.extend((feat, what) for feat, what in _EXT_FEATURES if feat in data)
            tail = data[-64:]
    return hits


def check_readable(path: Path, what: str = "workbook") -> None:
    """Raise a clear :class:`WorkbookError` when ``path`` is missing, password-protected or corrupt.

    A password-protected ``.xlsx`` is not a zip at all but an encrypted OLE container; a corrupt
    one is neither.
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path}: no such file. Check the name and the folder.")
    if path.is_dir():
        raise WorkbookError(f"{path} is a folder, not a {what}.")
    if path.stat().st_size == 0:
        raise WorkbookCorrupt(f"{path} is empty (0 bytes). Ask for the file again or restore it from backups/.")
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".docx"):
        return
    with path.open("rb") as f:
        head = f.read(8)
    if head == _OLE_MAGIC:
        raise WorkbookProtected(
            f"{path} is protected with a password. Open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and try again."
        )
    if head[:4] != _ZIP_MAGIC or not zipfile.is_zipfile(path):
        raise WorkbookCorrupt(
            f"{path} is damaged or is not really an Excel file. Open it in Excel and save it again as "
            "an Excel Workbook (.xlsx), or restore it from backups/."
        )
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError) as e:
        raise WorkbookCorrupt(f"{path} is damaged ({e}). Restore it from backups/ or ask for it again.") from e
    if bad is not None:
        raise WorkbookCorrupt(f"{path} is damaged (part {bad} cannot be read). Restore it from backups/.")


def load_for_update(path: Path, what: str = "workbook") -> Any:
    """Open a workbook with openpyxl to change it, or raise a clear :class:`WorkbookError` saying why not.

    openpyxl's warnings about the Excel extensions it cannot keep are silenced: :func:`save_openpyxl`
    finds those itself and writes beside the workbook instead of losing them.
    """
    import warnings

    from openpyxl import load_workbook

    path = Path(path)
    check_readable(path, what)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(path)
    except Exception as e:  # openpyxl raises many kinds for a damaged part
        raise WorkbookCorrupt(f"{path} cannot be opened for writing ({e}). Open it in Excel and save it again.") from e


def save_openpyxl(wb: Any, path: Path, original: Path | None = None) -> SaveResult:
    """Save an openpyxl workbook safely; never lose what openpyxl cannot keep from ``original``.

    ``original`` is the file the workbook was loaded from (default: ``path`` when it exists).
    When openpyxl would drop something of it, the workbook is written beside it as
    '<name> (caseforms).xlsx' and the reason is returned; the original is left exactly as it was.
    """
    path = Path(path)
    source = Path(original) if original is not None else (path if path.exists() else None)
    target, reason = path, None
    if source is not None and source.exists():
        dropped = openpyxl_would_drop(source)
        if dropped and source.resolve() == path.resolve():
            target = path.with_name(f"{path.stem} (caseforms){path.suffix}")
            reason = (
                f"{path.name} has {', '.join(dropped)}, which caseforms cannot rewrite without losing. "
                f"Your workbook is untouched; the result is in {target.name}."
            )
    made = write_atomically(target, wb.save)
    return SaveResult(target, made, reason)
