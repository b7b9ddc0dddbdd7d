"""One guard for every file caseforms writes: it knows what it is writing over, and loses nothing.

Every write goes through :func:`write_atomically` (or :func:`save_openpyxl` for a workbook changed
in place, :func:`write_document` for a Word paper). Before anything is written it refuses, with a
one-line message saying what to do and with nothing changed:

* a file of another kind over a file caseforms made, or over one it did not make, judged by the
  file's content, never its name (:mod:`caseforms.io.file_kinds`): a calendar over the register,
  a master chronology over the tracker, a paper over an officer's own document;
* a file open in Excel, Word or LibreOffice (their lock files beside it), a read-only file or
  folder, a folder where a file is expected, a name too long for the disk, a disk without room
  for the file and its backup.

Then the file is written whole to a hidden temporary file in the same folder and moved into
place, so a crash, a kill or a full disk leaves the old file as it was; the file it replaces is
first copied (itself atomically) to ``backups/`` beside it; the replaced file's permissions are
kept (a register at 0600 stays 0600). Temporary files left by a killed run are removed by the next
write into the same folder.

Writes take a lock on the working folder (the folder of the register, also for the files under
its ``cases/`` folder), and the jobs hold it for the whole of a read-change-write, so two
caseforms commands never interleave their writes: the second waits for the first (and says so).
A workbook changed in place is also checked, just before it is replaced, not to have changed
since it was read. In Pyodide (xlwings Lite) there are no operating-system locks: the lock is this
process's own (:data:`OS_LOCKS`), and only this process's temporary files are cleaned up.

openpyxl rewrites a workbook without what it does not understand: before an openpyxl save over an
existing workbook the whole package is checked (:mod:`caseforms.io.openpyxl_losses`), and when
anything would be lost the workbook is written beside it instead, saying what and why. The formula
results openpyxl drops are put back, so what Excel calculated is still there for the next read.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from caseforms.errors import (
    ChangedMeanwhile,
    FileReadOnly,
    FolderBusy,
    NotEnoughRoom,
    WorkbookCorrupt,
    WorkbookError,
    WorkbookOpenError,
    WorkbookProtected,
    WrongKindOfFile,
)
from caseforms.io.file_kinds import EMPTY, PAPER, PAPER_PROPERTY, Kind, identify
from caseforms.io.openpyxl_losses import openpyxl_would_drop, restore_cached_values

__all__ = [
    "BACKUP_FOLDER", "LOCK_FILE", "SaveResult", "Target", "backup", "check_readable", "check_writable",
    "ensure_not_open", "folder_lock", "keeping_workbooks", "load_for_update", "lock_files", "lock_for",
    "openpyxl_would_drop", "save_openpyxl", "working_folder", "write_atomically", "write_document", "writing_once",
]

log = logging.getLogger("caseforms")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
BACKUP_FOLDER = "backups"
#: The working folder's lock, held while a caseforms command writes there (removed when it ends).
LOCK_FILE = ".caseforms.lock"
#: The folder that holds each case's folder (see register/folders.py): its parent is the working folder.
_CASES_FOLDER = "cases"
#: Temporary files of the guard: '.caseforms-<pid>-<random>.tmp<suffix>'; and those of caseforms
#: before 0.x, '.<name>.caseforms-<pid>.tmp<suffix>'. Both are the guard's own, so both are cleaned.
_TEMPORARY = re.compile(r"^\.(?:caseforms-\d+-[0-9a-f]+\.tmp|.*\.caseforms-\d+\.tmp)")
#: Room kept free on the disk beyond the file and its backup, for the program itself and the system.
ROOM_MARGIN = 16 << 20
#: How long a command waits for another one writing in the same folder before giving up.
LOCK_WAIT_SECONDS = 300.0
#: Word documents' suffixes: Word names its lock file differently from Excel.
_WORD_SUFFIXES = (".docx", ".docm", ".doc", ".dotx", ".rtf")
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_NAME_TOO_LONG = {errno.ENAMETOOLONG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


@dataclass(frozen=True)
class SaveResult:
    """Where a workbook was written, the backup of what it replaced, and why it went elsewhere."""

    path: Path
    backup: Path | None = None
    #: Set when the file could not be written where asked without losing something of the officer's.
    redirected_reason: str | None = None


@dataclass(frozen=True)
class Target:
    """A file about to be written: what it will be, and whether it is an existing file changed in place."""

    path: Path
    #: The kind of file written; None to judge it from what is written.
    kind: Kind | None = None
    #: True when the file's own content is being changed (a workbook loaded and saved back).
    updating: bool = False


# -- lock files of Excel, Word and LibreOffice --------------------------------------------------------


def lock_files(path: Path) -> list[Path]:
    """Return the lock files beside ``path`` that show it is open in Excel, Word or LibreOffice.

    Excel (and PowerPoint) name theirs '~$' + the whole name. Word shortens the name: from a name
    of 8 or more characters (before the suffix) it drops the first two ('Safeguarding report.docx'
    is locked by '~$feguarding report.docx'), from one of 7 the first one, and keeps a shorter name
    whole ('Report.docx', '~$Report.docx'); older Words dropped two characters of shorter names
    too ('~$port.docx'), so those are looked for as well. LibreOffice writes '.~lock.<name>#'.
    """
    path = Path(path)
    name = path.name
    candidates = [path.with_name("~$" + name), path.with_name(f".~lock.{name}#")]
    if path.suffix.lower() in _WORD_SUFFIXES:
        candidates += [path.with_name("~$" + name[1:]), path.with_name("~$" + name[2:])]
    found = []
    for candidate in dict.fromkeys(candidates):
        with contextlib.suppress(OSError):
            if candidate.is_file():
                found.append(candidate)
    return found


def ensure_not_open(path: Path) -> None:
    """Raise :class:`WorkbookOpenError` when ``path`` is open in Excel, Word or LibreOffice (its lock file is there)."""
    path = Path(path)
    found = lock_files(path)
    if not found:
        return
    lock = found[0]
    word = path.suffix.lower() in _WORD_SUFFIXES
    program = "LibreOffice" if lock.name.startswith(".~lock.") else "Word" if word else "Excel"
    raise WorkbookOpenError(
        f"{path} is open in {program} (or was not closed properly). Save and close it, then try again. "
        f"If it is not open anywhere, delete the hidden file '{lock.name}' beside it."
    )


# -- the working folder's lock -------------------------------------------------------------------------


def working_folder(path: Path) -> Path:
    """Return the working folder a file belongs to: the folder above ``cases/`` for a case's files, else its own folder."""
    folder = Path(os.path.abspath(Path(path).parent))
    for ancestor in (folder, *folder.parents):
        if ancestor.name == _CASES_FOLDER and ancestor.parent != ancestor:
            return ancestor.parent
    return folder


def _existing(folder: Path) -> Path:
    """Return ``folder`` or, when it does not exist yet, its nearest ancestor that does."""
    folder = Path(os.path.abspath(folder))
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
    return folder


#: The folder locks this process holds: folder -> [depth, file descriptor].
_held: dict[str, list[int]] = {}
#: Whether the working folder is locked with the operating system's file locks. Not in Pyodide (xlwings Lite,
#: ``sys.platform == "emscripten"``): it has neither fcntl nor msvcrt, runs one script at a time, and the folder
#: it mounts is a copy it syncs with the disk, on which no other program's lock could be seen anyway.
OS_LOCKS = sys.platform != "emscripten"


@contextlib.contextmanager
def folder_lock(folder: Path, *, wait: float | None = None) -> Iterator[Path]:
    """Hold the working folder's lock while the block runs; wait (and say so) while another command holds it.

    Re-entrant within one process, so a job can hold it around a read-change-write and the writes
    inside take it again. The lock is the operating system's (a killed command releases it), on a
    hidden file that is removed when the lock is released.
    """
    folder = _existing(Path(folder))
    key = os.path.normcase(str(folder))
    held = _held.get(key)
    if held is not None:
        held[0] += 1
        try:
            yield folder
        finally:
            held[0] -= 1
        return
    _refuse_read_only_folder(folder)
    if not OS_LOCKS:  # Pyodide (xlwings Lite): this process is the only caseforms that can see the folder
        _held[key] = [1, -1]
        try:
            yield folder
        finally:
            del _held[key]
        return
    lock = folder / LOCK_FILE
    fd = _acquire(lock, LOCK_WAIT_SECONDS if wait is None else wait)
    _held[key] = [1, fd]
    try:
        yield folder
    finally:
        del _held[key]
        _release(fd, lock)


def _holder_text() -> bytes:
    command = " ".join(["caseforms", *sys.argv[1:2]])
    return f"{os.getpid()}\n{socket.gethostname()}\n{datetime.now():%H:%M on %d/%m/%Y}\n{command}\n".encode()


def _holder(lock: Path) -> str:
    try:
        pid, host, since, command = lock.read_text(encoding="utf-8").splitlines()[:4]
    except (OSError, ValueError, UnicodeDecodeError):
        return "Another caseforms command"
    return f"Another caseforms command ({command}, process {pid} on {host}, since {since})"


def _acquire(lock: Path, wait: float) -> int:
    deadline = time.monotonic() + wait
    announced = False
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as e:
            raise _os_error(e, lock.parent, "lock") from e
        if _try_lock(fd):
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except OSError:
                same = False
            if same:  # not a file its last holder removed while we waited for it
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, _holder_text())
                _hide(lock)
                return fd
            _unlock(fd)
        os.close(fd)
        if not announced:
            log.warning("%s is writing in %s: waiting for it to finish...", _holder(lock), lock.parent)
            announced = True
        if time.monotonic() > deadline:
            raise FolderBusy(
                f"{_holder(lock)} is still writing in {lock.parent} after {wait:.0f} s, so nothing was written. Wait for "
                f"it to finish, then try again. If no caseforms command is running, delete the hidden file '{LOCK_FILE}' "
                "in that folder."
            )
        time.sleep(0.1)


def _release(fd: int, lock: Path) -> None:
    if sys.platform == "win32":  # an open file cannot be removed on Windows: unlock, close, then remove
        _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            lock.unlink()
        return
    with contextlib.suppress(OSError):
        lock.unlink()
    _unlock(fd)
    os.close(fd)


if sys.platform == "win32":
    import msvcrt

    #: Windows locks byte ranges; the lock is on a byte far past the holder's details, so they stay readable.
    _LOCK_OFFSET = 1 << 30

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _hide(path: Path) -> None:
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN

elif OS_LOCKS:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _hide(path: Path) -> None:
        return  # the leading dot hides it


# -- the checks, before anything is written ----------------------------------------------------------


def _read_only(path: Path) -> bool:
    """Return True when ``path`` may not be written: no write permission for anyone, or none for us.

    A folder's read-only attribute means nothing to Windows (it marks customised folders such as
    Documents), so there only a file's counts; a folder Windows refuses is caught when writing.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if sys.platform == "win32" and stat.S_ISDIR(mode):
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def _refuse_read_only_folder(folder: Path, for_what: str = "") -> None:
    if _read_only(folder):
        raise FileReadOnly(
            f"The folder {folder} is read-only, so caseforms cannot write{for_what} there. Nothing was changed. "
            "Choose a folder you can change, or ask for permission to change this one."
        )


def _name_limit(folder: Path) -> int:
    """Return the longest file name the disk holding ``folder`` allows (in bytes on Unix, characters on Windows)."""
    if hasattr(os, "pathconf"):
        with contextlib.suppress(OSError, ValueError):
            return int(os.pathconf(folder, "PC_NAME_MAX"))
    return 255


def _name_length(name: str) -> int:
    return len(name) if sys.platform == "win32" else len(name.encode("utf-8", "surrogateescape"))


def _too_long(path: Path, limit: int | None = None) -> WorkbookError:
    return WorkbookError(
        f"The file name '{path.name[:60]}...' is too long for this disk ({_name_length(path.name)} characters; at most "
        f"{limit or 255}), so nothing was written. Shorten what the name is made of (the case reference, agency or "
        "file name you gave) and try again."
    )


def check_writable(targets: Iterable[Target | Path]) -> None:
    """Refuse, before anything is written, when any of ``targets`` could not be written safely.

    Checks every target first and raises for the first problem: a folder where a file should be,
    a file where a folder should be, a read-only file or folder, a name too long for the disk, a
    file open in Excel, Word or LibreOffice, a file of another kind (or one caseforms did not make)
    in the way, and room on each disk for every file and its backup.
    """
    need: dict[int, tuple[Path, int]] = {}
    for target in targets:
        if not isinstance(target, Target):
            target = Target(Path(target))
        path = Path(target.path)
        size = _check_one(target)
        with contextlib.suppress(OSError):
            existing = _existing(path.parent)
            device = existing.stat().st_dev
            total = need.get(device, (existing, 0))[1] + size
            need[device] = (existing, total)
    for folder, size in need.values():
        _check_room(folder, size)


def _check_one(target: Target) -> int:
    """Check one target; return the room it needs on its disk (the file, and the backup of what it replaces)."""
    path = Path(target.path)
    folder = path.parent
    for ancestor in (folder, *folder.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise WorkbookError(f"{ancestor} is a file, not a folder, so {path.name} cannot be written in it. "
                                    "Give a folder (or a file name in a folder). Nothing was changed.")
            _refuse_read_only_folder(ancestor, f" {path.name}")
            break
    limit = _name_limit(_existing(folder))
    if _name_length(path.name) > limit:
        raise _too_long(path, limit)
    if path.is_dir():
        raise WorkbookError(f"{path} is a folder, not a file: give the name of the file to write (in that folder, or "
                            "elsewhere). Nothing was changed.")
    ensure_not_open(path)
    if not path.exists():
        return 1 << 20
    if _read_only(path):
        raise FileReadOnly(
            f"{path} is read-only, so caseforms did not replace it. Nothing was changed. If it should change, "
            "clear 'Read-only' in its Properties (or give yourself permission to change it) and try again."
        )
    if not target.updating and target.kind is not None:
        _refuse_other_kind(path, identify(path), target.kind)
    size = path.stat().st_size
    return 2 * size


def _refuse_other_kind(path: Path, existing: Kind | None, new: Kind) -> None:
    # A file caseforms made is replaced by a newer one of its kind; an empty file holds nothing to lose.
    if existing is None or existing == EMPTY or (existing == new and existing.ours):
        return
    raise WrongKindOfFile(
        f"{path} is {existing}: caseforms will not write {new.noun} over it. Nothing was changed. Check the file "
        "name you gave, or give another one."
    )


def _check_room(folder: Path, size: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < size + ROOM_MARGIN:
        raise NotEnoughRoom(
            f"The disk holding {folder} is nearly full ({free / 1e6:.1f} MB free; caseforms needs about "
            f"{(size + ROOM_MARGIN) / 1e6:.0f} MB to write safely, with a backup of what it replaces). Nothing was "
            "written. Free some space and try again."
        )


def _os_error(e: OSError, path: Path, doing: str) -> WorkbookError:
    """Turn an error of the file system into a message an officer can act on."""
    if e.errno in _DISK_FULL:
        return NotEnoughRoom(f"The disk holding {path} is full: {doing} stopped and nothing was changed. Free some "
                             "space and try again.")
    if e.errno in _NAME_TOO_LONG:
        return _too_long(path)
    if e.errno in _DENIED or isinstance(e, PermissionError):
        return FileReadOnly(f"caseforms may not write {path} ({e.strerror or e}), so nothing was changed. Check it is "
                            "not read-only, that you may change that folder, and that no other program has it open.")
    if isinstance(e, NotADirectoryError) or e.errno == errno.ENOTDIR:
        return WorkbookError(f"A file stands where a folder should be in {path}, so nothing was written. Give a folder.")
    if isinstance(e, IsADirectoryError):
        return WorkbookError(f"{path} is a folder, not a file. Give the name of the file to write. Nothing was changed.")
    return WorkbookError(f"{path} could not be written ({e.strerror or e}); nothing was changed. Try again, or write "
                         "it somewhere else.")


# -- backups and temporary files ------------------------------------------------------------------------


def _temporary(folder: Path, suffix: str) -> Path:
    return folder / f".caseforms-{os.getpid()}-{secrets.token_hex(4)}.tmp{suffix}"


#: The temporary files this process is writing now; every other one under the folder lock is a killed run's.
_writing: set[Path] = set()


def _clean_stale(folder: Path) -> None:
    """Remove the guard's temporary files a killed run left in ``folder`` and its backups folder."""
    for place in (folder, folder / BACKUP_FOLDER):
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            if _TEMPORARY.match(entry.name) and Path(entry.path) not in _writing and (OS_LOCKS or _own(entry.name)):
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)


def _own(name: str) -> bool:
    """Return whether a temporary file is this process's own: without the folder lock, another's may be mid-write."""
    return name.startswith(f".caseforms-{os.getpid()}-")


def _backup_name(path: Path, folder: Path) -> Path:
    """Return a free '<name> <yyyy-mm-dd hhmmss><suffix>' in ``folder``, shortened to fit the disk's name limit."""
    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    limit = _name_limit(_existing(folder)) - 8  # room for ' (99)'
    stem = path.stem
    while stem and _name_length(f"{stem} {stamp}{path.suffix}") > limit:
        stem = stem[:-1]
    target = folder / f"{stem} {stamp}{path.suffix}"
    counter = 2
    while target.exists():
        target = folder / f"{stem} {stamp} ({counter}){path.suffix}"
        counter += 1
    return target


def backup(path: Path) -> Path:
    """Copy ``path`` into ``backups/`` beside it as '<name> <yyyy-mm-dd hhmmss><suffix>'; return the copy.

    The copy is written to a temporary file first and renamed when whole, so a disk that fills
    half-way leaves no damaged backup: the error says so and nothing else is done.
    """
    path = Path(path)
    folder = path.parent / BACKUP_FOLDER
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise _os_error(e, folder, "making the backups folder") from e
    target = _backup_name(path, folder)
    tmp = _temporary(folder, path.suffix)
    _writing.add(tmp)
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, target)
    except OSError as e:
        error = _os_error(e, target, f"keeping a backup of {path.name} in {folder}")
        raise type(error)(f"{error} {path.name} is as it was; no backup was left half-written.") from e
    finally:
        _writing.discard(tmp)
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


def _same_content(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def _keep_permissions(tmp: Path, old: os.stat_result) -> None:
    """Give the new file the permissions (and, where allowed, the owner) of the file it replaces."""
    with contextlib.suppress(OSError):
        os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        new = tmp.stat()
        if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
            with contextlib.suppress(OSError):
                os.chown(tmp, old.st_uid, old.st_gid)


def _replace(tmp: Path, path: Path) -> None:
    """Move ``tmp`` over ``path``; on Windows keep the replaced file's security settings (ACL), as Office does."""
    if sys.platform == "win32" and path.exists():
        import ctypes

        # ReplaceFileW keeps the replaced file's ACL, attributes and creation date; os.replace would not.
        if ctypes.windll.kernel32.ReplaceFileW(str(path), str(tmp), None, 0x2, None, None):  # IGNORE_MERGE_ERRORS
            return
    os.replace(tmp, path)


# -- writing ---------------------------------------------------------------------------------------------


def write_atomically(path: Path, write: Callable[[Path], Any], *, keep_backup: bool = True, kind: Kind | None = None,
                     updating: bool = False, unchanged_since: os.stat_result | None = None,
                     unless_same: bool = False) -> Path | None:
    """Write a file through ``write(temporary_path)`` and move it into place; return the backup made.

    ``kind`` is what is written: an existing file of another kind, or one caseforms did not make,
    is refused before anything is written. Without ``kind`` the new file's kind is judged from what
    ``write`` wrote, before anything is replaced. ``updating`` says the file's own content is being
    changed (then its kind does not matter); ``unchanged_since`` is the file as it was read, and the
    write is refused if it changed since; ``unless_same`` leaves a file that already holds exactly
    what would be written as it is (no backup of it either). Every refusal leaves everything as it was.
    """
    path = Path(path)
    target = Target(path, kind, updating)
    with lock_for(path):
        check_writable([target])
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise _os_error(e, folder, "making the folder") from e
        _clean_stale(folder)
        old = path.stat() if path.exists() else None
        tmp = _temporary(folder, path.suffix)
        _writing.add(tmp)
        made: Path | None = None
        try:
            try:
                write(tmp)
            except OSError as e:
                raise _os_error(e, path, f"writing {path.name}") from e
            if old is not None and kind is None and not updating:
                _refuse_other_kind(path, identify(path), identify(tmp) or EMPTY)
            if unless_same and old is not None and _same_content(tmp, path):
                return None  # nothing would change: no backup, no replacement
            if old is not None:
                _keep_permissions(tmp, old)
            if unchanged_since is not None:
                _refuse_changed(path, unchanged_since)
            if keep_backup and old is not None:
                made = backup(path)
            try:
                _replace(tmp, path)
            except PermissionError as e:
                # On Windows a file open in Excel or Word cannot be replaced, lock file or not.
                raise WorkbookOpenError(f"{path} cannot be replaced: it is open in another program. Close it and try "
                                        "again. Nothing was changed.") from e
            except OSError as e:
                raise _os_error(e, path, f"replacing {path.name}") from e
        except BaseException:
            if made is not None:  # the copy of a file that is still there unchanged
                with contextlib.suppress(OSError):
                    made.unlink()
            raise
        finally:
            _writing.discard(tmp)
            with contextlib.suppress(OSError):
                tmp.unlink()
    return made


@contextlib.contextmanager
def lock_for(path: Path) -> Iterator[Path]:
    """Hold the lock of the working folder the file ``path`` belongs to (of its own folder when that one is read-only)."""
    root = working_folder(path)
    own = _existing(Path(os.path.abspath(path.parent)))
    if root != own and _read_only(_existing(root)) and not _read_only(own):
        root = own
    with folder_lock(root) as held:
        yield held


def _signature(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_mtime_ns, st.st_size, st.st_ino


def _refuse_changed(path: Path, read: os.stat_result) -> None:
    try:
        now = path.stat()
    except OSError:
        now = None
    if now is None or _signature(now) != _signature(read):
        raise ChangedMeanwhile(
            f"{path} was changed by someone else while caseforms was working on it, so caseforms did not write over "
            "their change. Nothing was written. Run the command again."
        )


def write_document(path: Path, save: Callable[[str], Any], document: Any) -> Path | None:
    """Write a Word paper through ``save(file_name)``, marked as caseforms' own; return the backup made.

    ``document`` is the python-docx document ``save`` writes: a document variable names caseforms
    (Word keeps it when the paper is edited), so a paper is told from a document of the officer's
    even after it was edited.
    """
    mark_paper(document)
    return write_atomically(Path(path), lambda tmp: save(str(tmp)), kind=PAPER)


#: The elements of Word's settings that come after the document variables (schema order), by local name.
_AFTER_DOC_VARS = ("rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                   "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                   "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def mark_paper(document: Any) -> None:
    """Mark a python-docx document as a paper caseforms wrote: a document variable, as templates and macros keep theirs.

    A document variable is invisible in Word, kept by Word when the paper is edited, and left
    alone when papers are combined into a pack (a custom property would be turned into text
    in every paper of the pack).
    """
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    settings = document.settings.element
    variables = settings.find(f"{{{w}}}docVars")
    if variables is None:
        variables = etree.Element(f"{{{w}}}docVars")
        later = next((child for child in settings if etree.QName(child).localname in _AFTER_DOC_VARS), None)
        if later is None:
            settings.append(variables)
        else:
            later.addprevious(variables)
    if any(v.get(f"{{{w}}}name") == PAPER_PROPERTY for v in variables):
        return
    variable = etree.SubElement(variables, f"{{{w}}}docVar")
    variable.set(f"{{{w}}}name", PAPER_PROPERTY)
    variable.set(f"{{{w}}}val", "paper")


# -- reading before a change ------------------------------------------------------------------------------


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
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as e:  # a damaged part's data fails to inflate
        raise WorkbookCorrupt(f"{path} is damaged ({e}). Restore it from backups/ or ask for it again.") from e
    if bad is not None:
        raise WorkbookCorrupt(f"{path} is damaged (part {bad} cannot be read). Restore it from backups/.")


#: The attribute a workbook loaded for a change carries: the file it was read from, and how it was then.
_READ_FROM = "_caseforms_read_from"

#: Inside :func:`keeping_workbooks`: each workbook saved, by its file: the file's signature just after the save, the
#: workbook, and whether the file is openpyxl's save alone (no formula results put back into it).
_KEPT: dict[Path, tuple[tuple[int, int, int], Any, bool]] | None = None
#: The attribute a workbook handed on from such a save carries: the signature of the file it is the whole of.
_PLAIN_SAVE = "_caseforms_plain_save"


@contextlib.contextmanager
def keeping_workbooks() -> Iterator[None]:
    """Keep each workbook saved within the block in memory, for the next :func:`load_for_update` of its file.

    For a run of several jobs on one workbook in one process (the demo changes the register five
    times): the workbook just saved is handed to the next job instead of being read back from
    the file, which openpyxl takes as long to do as to write it. It is handed out once, and only
    while the file is exactly as that save left it (same modification time, size and inode):
    a file changed meanwhile by anyone is read afresh. Every job saves a workbook as its last
    change to it, so what is kept is what the file holds.
    """
    global _KEPT
    outer, _KEPT = _KEPT, {}
    try:
        yield
    finally:
        _KEPT = outer


#: Inside :func:`writing_once`: the files whose saves wait for the block's end, and the workbook waiting for each.
_LATER: dict[Path, Any] | None = None


@contextlib.contextmanager
def writing_once(path: Path) -> Iterator[None]:
    """Keep the saves of ``path``'s workbook within the block in memory; write the last when the block ends.

    Only inside :func:`keeping_workbooks`. For jobs in turn that each change the workbook and whose reads
    of the file meanwhile need none of those changes: the demo logs its chronology requests, marks its
    closed case's action plan complete and logs its IMR requests, while the merge, the tracker's refresh
    and the IMR requests read only the register's cases, agencies and IMRs. Each job still loads (the
    workbook waiting, handed on as :func:`keeping_workbooks` hands one on, to every job: each either saves
    it or leaves it unchanged), changes and saves, and every refusal of a save is made as it would be; the
    file is written once. A block that ends in an error writes nothing: the file is as it was before the
    block. A file changed by anyone else meanwhile is never written over (:class:`ChangedMeanwhile`).
    """
    global _LATER
    if _KEPT is None:
        raise RuntimeError("writing_once is for use inside keeping_workbooks")
    key = Path(os.path.abspath(path))
    outer, _LATER = _LATER, {**(_LATER or {}), key: None}
    try:
        yield
        waiting = _LATER.pop(key)
    except BaseException:
        _KEPT.pop(key, None)  # the workbook waiting is not what the file holds: never handed on
        raise
    finally:
        _LATER = outer
    if waiting is not None:
        try:
            save_openpyxl(waiting, Path(path))
        except BaseException:
            _KEPT.pop(key, None)  # not written: the workbook waiting is not what the file holds
            raise


def _save_later(wb: Any, path: Path, read: os.stat_result | None = None) -> bool:
    """Keep ``wb`` as the workbook to write to ``path`` when its :func:`writing_once` block ends; False outside one.

    ``read`` is the file's state as just checked unchanged: kept as it is, not looked up again (a file replaced in
    between must not be taken for the one checked).
    """
    key = Path(os.path.abspath(path))
    if _LATER is None or key not in _LATER or _KEPT is None:
        return False
    waiting = _LATER[key]
    if waiting is not None and waiting is not wb:  # read afresh: the file changed since the workbook waiting was read
        raise ChangedMeanwhile(
            f"{path} was changed by someone else while caseforms was working on it, so caseforms did not write over "
            "their change. Nothing was written. Run the command again."
        )
    _LATER[key] = wb
    _KEPT[key] = (_signature(read or path.stat()), wb, False)  # the file as it is: the next job is handed this workbook
    return True


def _keep(wb: Any, path: Path, plain: bool) -> None:
    """Keep ``wb``, just saved to ``path``, for the next :func:`load_for_update` of it (only inside :func:`keeping_workbooks`)."""
    if _KEPT is None:
        return
    path = Path(os.path.abspath(path))
    try:
        _KEPT[path] = (_signature(path.stat()), wb, plain)
    except OSError:
        _KEPT.pop(path, None)


def _kept(path: Path, now: os.stat_result) -> Any | None:
    """Return the workbook kept for ``path`` (once) when the file is as its save left it, else None."""
    if not _KEPT:
        return None
    key = Path(os.path.abspath(path))
    entry = _KEPT.pop(key, None)
    if entry is None or entry[0] != _signature(now):
        return None
    signature, wb, plain = entry
    if _LATER is not None and wb is _LATER.get(key):
        # The workbook waiting to be written (writing_once) is handed to every job that loads the file meanwhile: a
        # job that leaves it unchanged without saving it must not leave the next one to read the file without it.
        _KEPT[key] = (signature, wb, plain)
    setattr(wb, _PLAIN_SAVE, signature if plain else None)
    # What openpyxl's save leaves behind that a workbook read from the file would not have, and that the next save
    # would write: the columns' outline level the cols element found (written as outlineLevelCol="0"), and the
    # comment drawing's name (a legacyDrawing element even once the comments are gone). The reader sets both so.
    for ws in wb.worksheets:
        ws.column_dimensions.max_outline = None
        if wb.vba_archive is None:
            ws.legacy_drawing = None
    return wb


def load_for_update(path: Path, what: str = "workbook") -> Any:
    """Open a workbook with openpyxl to change it, or raise a clear :class:`WorkbookError` saying why not.

    openpyxl's warnings about the Excel extensions it cannot keep are silenced: :func:`save_openpyxl`
    finds those itself and writes beside the workbook instead of losing them. The file's state is
    noted, so the save refuses to write over a change someone made meanwhile.
    """
    import warnings

    from openpyxl import load_workbook

    path = Path(path)
    check_readable(path, what)
    before = path.stat()
    wb = _kept(path, before)
    if wb is not None:
        setattr(wb, _READ_FROM, (Path(os.path.abspath(path)), before))
        return wb
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            wb = load_workbook(path)
    except Exception as e:  # openpyxl raises many kinds for a damaged part
        raise WorkbookCorrupt(f"{path} cannot be opened for writing ({e}). Open it in Excel and save it again.") from e
    setattr(wb, _READ_FROM, (Path(os.path.abspath(path)), before))
    return wb


def save_openpyxl(wb: Any, path: Path, original: Path | None = None) -> SaveResult:
    """Save an openpyxl workbook safely; never lose what openpyxl cannot keep from ``original``.

    ``original`` is the file the workbook was loaded from (default: ``path`` when it exists).
    When openpyxl would drop something of it, the workbook is written beside it as
    '<name> (caseforms).xlsx' and the reason is returned; the original is left exactly as it was.
    The formula results openpyxl leaves out are put back from the original.
    """
    path = Path(path)
    source = Path(original) if original is not None else (path if path.exists() else None)
    target, reason = path, None
    loaded = getattr(wb, _READ_FROM, None)
    in_place = source is not None and source.exists() and source.resolve() == path.resolve()
    read = loaded[1] if loaded is not None and in_place and loaded[0] == Path(os.path.abspath(path)) else None
    # A workbook handed on from its own save (keeping_workbooks) to a file nobody changed since, which is openpyxl's
    # save of it alone: the file holds nothing openpyxl cannot keep, and no formula result to put back.
    plain = read is not None and getattr(wb, _PLAIN_SAVE, None) == _signature(read)
    if source is not None and source.exists() and not plain:
        dropped = openpyxl_would_drop(source)
        if dropped and in_place:
            target = path.with_name(f"{path.stem} (caseforms){path.suffix}")
            reason = (
                f"{path.name} has {'; '.join(dropped)}, which caseforms cannot rewrite without losing. "
                f"Your workbook is untouched; the result is in {target.name}."
            )
    restored = 0

    def write(tmp: Path) -> None:
        nonlocal restored
        wb.save(tmp)
        if source is not None and source.exists() and not plain:
            restored = restore_cached_values(source, tmp)

    with lock_for(path):
        if read is not None:
            _refuse_changed(path, read)  # before the write, and again just before the file is replaced
        if target == path and in_place and _save_later(wb, path, read):
            return SaveResult(path, None, None)
        # The copy beside the workbook ('(caseforms)') is this workbook too: an earlier copy is replaced (with a backup).
        made = write_atomically(target, write, updating=in_place, unchanged_since=read if target == path else None)
        _keep(wb, target, plain=restored == 0)
    return SaveResult(target, made, reason)
