"""Every exception caseforms raises.

Each one says when it is raised and also inherits the matching built-in exception, so a caller
can catch ``ValueError`` without knowing caseforms. Messages are written for a business officer:
they name the place (file, sheet, row, column, rule) and say what to do.
"""

from __future__ import annotations


class CaseformsError(Exception):
    """Base of every error caseforms raises on purpose. The CLI prints its message, never a traceback."""


class DateInputError(CaseformsError, ValueError):
    """Raised when a date typed by the user is not a real date, or is written in an order we cannot trust."""


class ProfileError(CaseformsError, ValueError):
    """Raised when a process profile cannot be found, read, or contains a rule that does not make sense."""


class UnknownProfile(ProfileError, LookupError):
    """Raised when a profile name is neither a shipped profile nor a readable ``.toml`` file."""


class EventError(CaseformsError, ValueError):
    """Raised when case events are unknown or in an impossible order (notified before aware)."""


class WorkbookError(CaseformsError, OSError):
    """Raised when a workbook cannot be read or written: missing, open in Excel, protected, corrupt."""


class WorkbookOpenError(WorkbookError, PermissionError):
    """Raised when a workbook or document to be written is open in Excel or Word (its ``~$`` lock file exists)."""


class WorkbookProtected(WorkbookError):
    """Raised when a workbook is encrypted with a password, so it cannot be read."""


class WorkbookCorrupt(WorkbookError):
    """Raised when a file is empty, damaged, or not the kind of file its name says."""


class TemplateError(CaseformsError, ValueError):
    """Raised when a Word template cannot be used: a Jinja syntax error, or fields no paper provides.

    The message names the template, the line (a paragraph of the document) and the field.
    """


class TemplateMissing(TemplateError, FileNotFoundError):
    """Raised when a paper's template is neither in the partnership's templates folder nor shipped."""


class ConversionError(CaseformsError, OSError):
    """Raised when a document cannot be converted to PDF: LibreOffice missing, or the conversion failed."""


class NeedsDesktop(WorkbookError, ConversionError):
    """Raised inside Excel's xlwings Lite (Pyodide) for what needs a computer with Python installed.

    Reading an .xls, .xlsb or .ods file (a worker process with a time limit) and making PDFs
    (LibreOffice) start other programs, which Pyodide cannot. The message says what to do instead.
    """


class ReturnUnreadable(WorkbookError):
    """Raised when an agency's chronology return cannot be read: no header row, far too large, not a spreadsheet."""


class ChronologyError(CaseformsError, ValueError):
    """Raised when a chronology merge cannot be made: no return could be read, or the scope ends before it starts."""


class CaseNotFound(CaseformsError, LookupError):
    """Raised when a case reference is not in the register; the message lists those that are, closest first."""


class NoReturnsYet(ChronologyError, FileNotFoundError):
    """Raised when a case's returns folder is missing or holds no return yet; the message says where to file them."""


class NoAgencyToAsk(ChronologyError):
    """Raised when a chronology request has no agency to ask: none is recorded as involved in the case."""


class NotOnACase(CaseformsError, LookupError):
    """Raised when an action from Excel needs a case and the selection is not on a case's row."""


class FolderNotEmpty(CaseformsError, FileExistsError):
    """Raised when a folder to create already holds files caseforms did not make, or that were changed since."""


class WorkbookNotSaved(WorkbookError, FileNotFoundError):
    """Raised when an action from Excel needs the workbook's folder and the workbook has not been saved in one."""


class WorkingFolderMissing(WorkbookNotSaved):
    """Raised in xlwings Lite when the working folder set on the caseforms sheet cannot be seen, or none can be found.

    A workbook open in xlwings Lite has a name but no folder: the message says how to mount the
    folder (Local Folders) and where to type it.
    """


class WorkbookReadOnly(WorkbookError, PermissionError):
    """Raised when an action from Excel would change a workbook that Excel has open read-only."""


class CellTextTooLong(WorkbookError, ValueError):
    """Raised when text to write into a cell is longer than the 32,767 characters an Excel cell holds.

    Raised before the workbook is saved, so nothing is written; the message names the cell.
    """


class CaseFolderShared(CaseformsError, ValueError):
    """Raised when a case's folder name is also another case's: references that differ only by punctuation or case.

    The message names both cases and their rows; no command reads or writes the folder until one is renamed.
    """


class WrongKindOfFile(WorkbookError, FileExistsError):
    """Raised when a write would replace a file of another kind (the register by a calendar) or one caseforms did not make."""


class FileReadOnly(WorkbookError, PermissionError):
    """Raised when a file (or the folder it is in) to be written is read-only: it is never silently replaced."""


class NotEnoughRoom(WorkbookError):
    """Raised when the disk has no room for a file and its backup; nothing is written."""


class FolderBusy(WorkbookError, BlockingIOError):
    """Raised when another caseforms command kept writing in the same working folder for too long."""


class ChangedMeanwhile(WorkbookError):
    """Raised when a workbook was changed by someone else between caseforms reading it and writing it back."""


class FileTooLarge(WorkbookError):
    """Raised when a workbook or document from outside is too large to read safely.

    Its sheets reach far beyond any table (a stray entry in cell XFD1048576), it unpacks to far more
    than a real file holds, or reading it needed more memory than caseforms allows. The message
    names the file, the sheet and the cell, and says what to delete.
    """


class CalendarError(CaseformsError, ValueError):
    """Raised when a count of working days or months leads outside the years caseforms counts (1900 to 2200).

    Also when a profile's closure days leave too few working days to count so far.
    """


class NotSignedOff(CaseformsError, ValueError):
    """Raised when an LCSPR's recommendations would go into the tracker before the report is signed off.

    Signed-off recommendations are locked (000_44eed6501ae43eb6.txt: 4.2); before sign-off they may still change.
    """


class PeriodError(CaseformsError, ValueError):
    """Raised when the year asked of the annual report is not one: "2026" or "2026-27" are, "26" and "2026-28" not."""


class NothingToPublish(CaseformsError, FileNotFoundError):
    """Raised when the publication check has nothing to check: no paper or chronology for publication yet."""


class NotReadyForPublication(CaseformsError, ValueError):
    """Raised when a paper or chronology for publication still holds a name, date of birth, NHS number or address.

    The files are written (the officer opens them to correct them); the command refuses to call them ready.
    """
