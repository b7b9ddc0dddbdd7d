"""`caseforms chronology ...`: the agencies' chronologies. `merge` builds the master from their returns.

The group is a list of subcommands: to add one (``request``, ``status``...), write an
``add_<name>(subcommands)`` function that adds its parser and sets ``run=``, and list it in
:data:`SUBCOMMANDS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caseforms.cli._output import today_from
from caseforms.cli.chronology_request import add_request, add_status
from caseforms.errors import CaseNotFound, ChronologyError

#: Shown on the terminal; the rest are in the master's Findings sheet and in --json.
_SHOWN_FINDINGS = 25


def add_merge(subcommands: argparse._SubParsersAction) -> None:
    p = subcommands.add_parser(
        "merge",
        help="merge the agencies' chronology returns into one master chronology workbook",
        description=(
            "Read every agency's chronology return (.xlsx, .xlsm, .xls, .ods or .csv; give files, or folders "
            "whose returns are all merged) and write one master chronology: every row of every return exactly "
            "once, in date and time order, each agency in its own colour, text exactly as written, undated rows "
            "at the end, entries that may record the same event linked. Dates are read day first (03/02/2025 is "
            "3 February); a date that is not a real date is reported, never guessed. Formulas in the returns are "
            "never run. The exit status is 0 whenever the master is written, whatever it flags: read the "
            "findings it prints, or its Findings sheet."
        ),
        epilog=(
            "Example: caseforms chronology merge \"Returns/\" --output \"Master chronology.xlsx\" "
            "--scope-from 01/06/2024 --scope-to 31/03/2025 --case KSCMP-2025-003"
        ),
    )
    p.add_argument("returns", nargs="+", metavar="RETURN_OR_FOLDER", help="an agency's return, or a folder of returns")
    p.add_argument("-o", "--output", metavar="MASTER.xlsx",
                   help="the master workbook to write; an existing one is first copied to backups/ beside it "
                        "(default, when a case's returns folder is merged: cases/<REF>/Master chronology.xlsx)")
    p.add_argument("--scope-from", metavar="DATE",
                   help="start of the review's scope period: earlier entries are kept and flagged as background")
    p.add_argument("--scope-to", metavar="DATE", help="end of the scope period: later entries are kept and flagged")
    p.add_argument("--case", metavar="REF",
                   help="the case reference: a return whose title block names another case is left out and reported "
                        "(default: the case whose cases/<REF>/returns folder is merged)")
    p.add_argument("--register", metavar="REGISTER",
                   help="the case register whose Agencies sheet tells which agency sent each return and whose "
                        "scope period is used (default: the register.xlsx of the working folder, when a case's "
                        "returns folder is merged)")
    p.add_argument("--marking", default=None, metavar="TEXT",
                   help="protective marking printed at the top of each page (default OFFICIAL-SENSITIVE; 'none' for none)")
    p.add_argument("--today", metavar="DATE",
                   help="merge as of this date (dd/mm/yyyy) instead of today: entries after it are flagged as in the future")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (rows_read, rows_merged, issues...) instead of the report")
    p.add_argument("--for-publication", action="store_true",
                   help="also write the master for publication beside it, '<master> (for publication).xlsx': every "
                        "person called as the case's Glossary sheet says, dates of birth, NHS numbers, addresses and "
                        "schools taken out; then check it, and exit with status 2 while any identifier is left "
                        "(needs the register: --register, or a case's returns folder)")
    p.set_defaults(run=run_merge)


#: The subcommands of `caseforms chronology`, in the order its help lists them.
def add_timeline(subcommands: argparse._SubParsersAction) -> None:
    p = subcommands.add_parser(
        "timeline",
        help="draw a case's master chronology as a timeline, one lane per agency (PDF, SVG or PNG)",
        description=(
            "Draw the case's master chronology as a timeline: one lane per agency, each entry a mark (its number "
            "beside it up to 150 entries, a thin tick above), flagged entries marked in red, the incident and the "
            "scope period drawn in, and the key episodes tagged in the master's 'Key episode' column numbered and "
            "listed. A PDF or SVG needs nothing more; a PNG needs Pillow (pip install pillow)."
        ),
        epilog="Example: caseforms chronology timeline register.xlsx --case SCP-2025-014 --output timeline.pdf",
    )
    p.add_argument("register_file", metavar="REGISTER", help="the case register (register.xlsx)")
    p.add_argument("--case", required=True, metavar="REF", help="the case's reference")
    p.add_argument("--output", metavar="FILE",
                   help="where to write it, .pdf, .svg or .png (default: cases/<REF>/<REF> timeline.pdf)")
    p.add_argument("--chronology", metavar="MASTER", help="another master chronology than the case's own")
    p.set_defaults(run=run_timeline)


def run_timeline(args: argparse.Namespace) -> int:
    from caseforms.jobs import draw_case_timeline

    made = draw_case_timeline(Path(args.register_file), args.case, output=Path(args.output) if args.output else None,
                              chronology=Path(args.chronology) if args.chronology else None)
    print(f"Wrote {made.path}: {made.entries} entries of {made.master.name} placed"
          + (f", {made.not_placed} without a date that can be placed left off (listed in the master)"
             if made.not_placed else "") + (f", {made.key_episodes} key episode(s)" if made.key_episodes else "") + ".")
    return 0


SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (add_request, add_status, add_merge,
                                                                         add_timeline)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "chronology",
        help="agency chronologies: request them, see who has returned, merge the returns into one master",
        description="Work with the agencies' chronologies for a Rapid Review or LCSPR.",
        epilog="Run 'caseforms chronology COMMAND --help' for the options of each command.",
    )
    subcommands = p.add_subparsers(title="commands", metavar="COMMAND", dest="chronology_command")
    subcommands.required = True
    for add in SUBCOMMANDS:
        add(subcommands)


def run_merge(args: argparse.Namespace) -> int:
    from caseforms.dates import parse_date
    from caseforms.io.master_xlsx import PROTECTIVE_MARKING, write_master
    from caseforms.io.returns import merge_return_files

    scope_from = parse_date(args.scope_from, "--scope-from") if args.scope_from else None
    scope_to = parse_date(args.scope_to, "--scope-to") if args.scope_to else None
    if scope_from and scope_to and scope_to < scope_from:
        raise ChronologyError(
            f"--scope-to {scope_to:%d/%m/%Y} is before --scope-from {scope_from:%d/%m/%Y}. Check the scope period "
            "in the Terms of Reference."
        )
    if args.output is None:
        args.output = _default_output(args.returns)
    output = Path(args.output)
    if output.is_dir():
        example = output / "Master chronology.xlsx"
        raise ChronologyError(f"--output {output} is a folder; give the master's file name, e.g. {example}.")
    if output.suffix.lower() != ".xlsx":
        raise ChronologyError(f"--output {output.name}: the master is an Excel workbook; give a name ending in .xlsx.")
    marking = PROTECTIVE_MARKING if args.marking is None else (None if args.marking.lower() == "none" else args.marking)
    from caseforms.io.file_kinds import MASTER
    from caseforms.io.safe_write import Target, check_writable

    check_writable([Target(output, MASTER)])  # before any return is read: --output register.xlsx changes nothing
    try:
        settings = _register_settings(args)
    except CaseNotFound:
        if args.register:
            raise
        # The working folder's register does not hold the case yet: the returns still merge, on what they say.
        settings = None
        print(f"The register has no case for {args.returns[0]}: merged without its scope period and Agencies "
              "sheet. Add the case to the register (or give --case) and merge again for those.", file=sys.stderr)
    if args.case is None:
        args.case = settings.case_ref if settings else _case_of_returns_folder(args.returns)
    if settings is not None:
        # What is typed on the command line wins over the register.
        scope_from = scope_from or settings.scope_from
        scope_to = scope_to or settings.scope_to

    with _progress(enabled=sys.stdout.isatty() and not args.json) as progress:
        master = merge_return_files(
            args.returns, output=output, scope_from=scope_from, scope_to=scope_to, case_reference=args.case,
            today=today_from(args),
            progress=progress.advance, on_files=progress.start,
            directory=settings.directory if settings else None, own=settings.own_headings if settings else None,
        )
        if master.rows_merged == 0:
            return _nothing_merged(args, master)
        progress.writing()
        master.incident = settings.incident if settings else None  # marked on the master's Timeline
        backup = write_master(master, output, protective_marking=marking)
        published = _for_publication(args, settings, master, output, marking) if args.for_publication else None

    if args.json:
        from caseforms.cli._output import print_json

        result = _result(master, output, backup)
        if published is not None:
            result["for_publication"] = {"path": str(published.path), "ready": not published.remaining,
                                         "remaining": [r.__dict__ for r in published.remaining]}
        print_json(result)
        return 2 if published is not None and published.remaining else 0
    _report(master, output, backup)
    if published is not None:
        from caseforms.cli.publication import refuse_if_not_ready

        print(f"Master chronology for publication: {published.path}")
        refuse_if_not_ready(published.remaining, "the chronology for publication")
        print("Ready for publication: the publication check found no name, date of birth, NHS number, address, "
              "postcode or school in it.")
    return 0


def _for_publication(args: argparse.Namespace, settings: Any, master: Any, output: Path, marking: str | None) -> Any:
    """Write the master for publication beside the master (the case's register gives the glossary)."""
    from caseforms.jobs import write_publication_master
    from caseforms.register.folders import register_in

    register = Path(args.register) if args.register else None
    if register is None:
        folders = {Path(g).resolve() for g in args.returns if Path(g).is_dir() and Path(g).resolve().name == "returns"}
        if len(folders) == 1 and next(iter(folders)).parent.parent.name == "cases":
            register = register_in(next(iter(folders)).parent.parent.parent)
    if settings is None or register is None or not register.is_file() or not args.case:
        raise ChronologyError(
            f"The master was written to {output}, but not the version for publication: it needs the case's register "
            "(its Glossary and People sheets). Merge again with --register REGISTER --case REF --for-publication.")
    return write_publication_master(register, settings.case_ref or args.case, master, output,
                                    protective_marking=marking or "")


def _default_output(given: list[str]) -> Path:
    """Return the case's master chronology when one case's returns folder (cases/<REF>/returns) is merged."""
    from caseforms.io.master_read import MASTER_CHRONOLOGY_FILE
    from caseforms.io.returns import RETURN_SUFFIXES

    folders = {Path(g).resolve().parent for g in given if Path(g).is_dir() and Path(g).resolve().name == "returns"}
    if len(folders) == 1:
        return folders.pop() / MASTER_CHRONOLOGY_FILE
    empty = [g for g in given if Path(g).is_dir()
             and not any(f.suffix.lower() in RETURN_SUFFIXES for f in Path(g).iterdir() if f.is_file())]
    if empty and len(empty) == len(given):
        raise ChronologyError(
            f"{empty[0]} holds no agency returns (.xlsx, .xls, .ods or .csv) and is not a case's returns folder. "
            "Give the folder the agencies' returns are saved in, e.g. caseforms chronology merge "
            "\"cases/KSCMP-2025-003/returns\", or the returns themselves.")
    raise ChronologyError("Say where to write the master with --output, e.g. --output \"Master chronology.xlsx\" "
                          "(it is written to the case's folder by itself only when its returns folder is merged).")


def _register_settings(args: argparse.Namespace) -> Any:
    """Return the scope, agencies and headings of the case from its register: --register, else the working folder's.

    None when there is no register to go by (returns merged from anywhere, no --register): the
    master is still made, from what the returns themselves say.
    """
    from caseforms.jobs import merge_settings
    from caseforms.register.folders import register_in

    folders = {Path(g).resolve() for g in args.returns if Path(g).is_dir() and Path(g).resolve().name == "returns"}
    case_folder = next(iter(folders)).parent if len(folders) == 1 else None
    if args.register:
        register = Path(args.register)
    elif case_folder is not None and case_folder.parent.name == "cases":
        register = register_in(case_folder.parent.parent)
        if not register.is_file():
            return None
    else:
        return None
    ref = args.case or (case_folder.name if case_folder is not None else None)
    if ref is None:
        raise ChronologyError(f"--register {register.name}: say which case the returns are for with --case REF.")
    from caseforms.io.register_xlsx import read_register

    read = read_register(register)
    return merge_settings(register, _case_named(read, ref), read)


def _case_named(register: Any, name: str) -> str:
    """Return the case reference whose folder is ``name`` (cases/<folder>), or ``name`` itself."""
    from caseforms.register.folders import folder_name

    return next((c.ref for c in register.cases if c.ref and folder_name(c.ref) == name), name)


def _case_of_returns_folder(given: list[str]) -> str | None:
    """Return the case of a case's returns folder (cases/<REF>/returns), so another case's return is caught."""
    refs = {Path(g).resolve().parent.name for g in given
            if Path(g).is_dir() and Path(g).resolve().name == "returns" and Path(g).resolve().parent.parent.name == "cases"}
    return refs.pop() if len(refs) == 1 else None


def _result(master: Any, output: Path | None, backup: Path | None) -> dict[str, Any]:
    first, last = master.date_range
    return {
        "output": str(output) if output else None,
        "backup": str(backup) if backup else None,
        "rows_read": master.rows_read,
        "rows_merged": master.rows_merged,
        "undated": sum(1 for e in master.entries if e.when.day is None),
        "background": sum(1 for e in master.entries if e.background),
        "linked": sum(1 for e in master.entries if e.linked),
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "returns": [
            {"file": r.file, "sheet": r.sheet, "agency": r.agency, "rows_read": r.rows_read,
             "rows_merged": r.rows_merged, "merged": r.merged, "reason": r.reason}
            for r in master.returns
        ],
        "issues": master.issues(),
    }


def _nothing_merged(args: argparse.Namespace, master: Any) -> int:
    if args.json:
        from caseforms.cli._output import print_json

        print_json(_result(master, None, None))
        return 2
    errors = [f for f in master.findings if f.severity == "error"] or master.findings
    if not errors:
        given = ", ".join(str(g) for g in args.returns)
        raise ChronologyError(f"Nothing to merge: {given} holds no return (.xlsx, .xlsm, .xls, .ods or .csv), so no "
                              "master was written. Save the agencies' returns there, then merge again.")
    details = " ".join(f"{f.place()}: {f.message}" for f in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    raise ChronologyError(f"Nothing to merge, so no master was written. {details}{more}".strip())


def _report(master: Any, output: Path, backup: Path | None) -> None:
    from caseforms.cli._output import print_table

    merged = [r for r in master.returns if r.merged]
    undated = sum(1 for e in master.entries if e.when.day is None or e.future)
    linked = sum(1 for e in master.entries if e.linked)
    first, last = master.date_range
    print(f"Master chronology written: {output}")
    print(f"  {master.rows_merged} entries from {len(merged)} return(s) by {len(master.agencies)} agenc"
          f"{'y' if len(master.agencies) == 1 else 'ies'}; {master.rows_read} rows read.")
    if master.scope_from or master.scope_to:
        print(f"  Scope {master.scope_from:%d/%m/%Y} to " if master.scope_from else "  Scope to ", end="")
        print(f"{master.scope_to:%d/%m/%Y}." if master.scope_to else "(no end date).")
    if master.summaries:
        print(f"  Agency summaries: {', '.join(dict.fromkeys(s.agency or '' for s in master.summaries))}.")
    if first and last:
        print(f"  Dates {first:%d/%m/%Y} to {last:%d/%m/%Y}; {undated} undated (or dated in the future) at the end; "
              f"{linked} linked to another agency's entry.")
    if backup:
        print(f"  The previous master was kept as {backup}.")
    counts = master.counts()
    findings = [f for f in master.findings if f.severity != "info"]
    print(f"  Findings: {counts.get('error', 0)} error(s), {counts.get('warning', 0)} warning(s), "
          f"{counts.get('info', 0)} note(s) (all in the Findings sheet).")
    if findings:
        shown = sorted(findings, key=lambda f: 0 if f.severity == "error" else 1)[:_SHOWN_FINDINGS]
        print_table(
            None,
            ("Severity", "Where", "What to do"),
            [(f.severity, f.place(), f.message) for f in shown],
            ["bold red" if f.severity == "error" else "yellow" for f in shown],
        )
        if len(findings) > _SHOWN_FINDINGS:
            print(f"... and {len(findings) - _SHOWN_FINDINGS} more in the Findings sheet of {output.name}.")


class _progress:
    """A rich progress bar over the returns, then the writing; does nothing when ``enabled`` is False."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _progress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), transient=True)
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def start(self, files: list[Path]) -> None:
        if self._bar is not None:
            self._task = self._bar.add_task("Reading returns", total=len(files))

    def advance(self, path: Path) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, description=f"Reading {path.name[:40]}")

    def writing(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description="Writing the master")
