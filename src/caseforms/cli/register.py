"""`caseforms init`, `caseforms validate` and `caseforms deadlines REGISTER`: the case register."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from caseforms.cli._output import today_from
from caseforms.dates import format_uk

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}
_STATUS_STYLE = {"overdue": "bold red", "due soon": "yellow", "upcoming": ""}


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "init",
        help="create a partnership's working folder with a new case register",
        description=(
            "Create DIR with register.xlsx (the case register for the profile given), tracker.xlsx (the "
            "recommendations and actions tracker) and a cases/ folder; each "
            "case gets cases/<reference>/returns and cases/<reference>/papers when it is added to the register "
            "(caseforms validate and caseforms deadlines create them). An existing register or tracker is never "
            "replaced."
        ),
        epilog="Example: caseforms init 'S:/Reviews' --profile kent",
    )
    p.add_argument("dir", metavar="DIR", help="the working folder to create (it may exist, but not hold a register)")
    p.add_argument("--profile", default="national",
                   help="a shipped profile (see 'caseforms profiles') or your own .toml file; default national")
    p.set_defaults(run=run_init)

    p = commands.add_parser(
        "validate",
        help="check every entry of a case register",
        description=(
            "Check a case register: required fields for each case's stage, the order of dates, late notification "
            "without a reason, ages at the incident, NHS numbers, decisions without dates, LCSPR methodology, "
            "quorum and dissent at Rapid Review meetings, duplicate references, e-mail addresses, and the "
            "workbook itself (missing sheets, renamed headers, text in date cells, merged cells, blank rows). "
            "The terminal report gives the counts by rule and the first findings; --annotate lists every one "
            "on the register's Checks sheet, with a link to each cell, and --json prints them all for scripts. "
            "Exit status 1 when there are errors, 0 otherwise."
        ),
        epilog="Example: caseforms validate register.xlsx --annotate",
    )
    p.add_argument("register", metavar="REGISTER", help="the case register (.xlsx)")
    p.add_argument("--all", action="store_true", help="print every finding, not only the first ones")
    p.add_argument("--json", action="store_true", help="print the findings as JSON for scripts")
    p.add_argument("--today", metavar="DATE", help="check as of this date (dd/mm/yyyy) instead of today")
    p.add_argument("--annotate", action="store_true",
                   help="write the findings into the workbook on a Checks sheet with a link to each cell "
                        "(a backup is kept in backups/)")
    p.add_argument("--profile", help="use this profile instead of the one the register records")
    p.set_defaults(run=run_validate)



def _load(workbook: str, profile_ref: str | None) -> tuple[Any, Any]:
    from caseforms.jobs import open_register

    return open_register(Path(workbook), profile_ref)


def run_init(args: argparse.Namespace) -> int:
    from caseforms.io.register_xlsx import write_new_register
    from caseforms.io.tracker_xlsx import write_new_tracker
    from caseforms.profile import load_profile
    from caseforms.register.folders import CASES_FOLDER, register_in
    from caseforms.tracker.schema import TRACKER_FILE

    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        from caseforms.errors import WorkbookError

        raise WorkbookError(f"{root} is a file, not a folder. Give the folder to create.")
    profile = load_profile(args.profile)  # refuse an unknown profile before creating anything
    ref = args.profile
    if Path(ref).suffix == ".toml":
        # Record the profile file relative to the register when it lives in the folder, so the folder can move.
        path = Path(ref).resolve()
        try:
            ref = str(path.relative_to(root.resolve()))
        except ValueError:
            ref = str(path)
    target = register_in(root)  # register.xlsm counts: a folder never gets a second register
    tracker = root / TRACKER_FILE
    if tracker.exists():
        from caseforms.errors import WorkbookError

        raise WorkbookError(f"{tracker} already exists. caseforms never replaces a tracker: choose another folder.")
    write_new_register(target, ref)
    write_new_tracker(tracker, ref)
    (root / CASES_FOLDER).mkdir(exist_ok=True)
    from caseforms.cli.excel import report
    from caseforms.io.excel_setup import set_up_folder

    excel = set_up_folder(root)
    print(f"Created {target} for {profile.title}.")
    print(f"Created {tracker}: the recommendations and actions tracker.")
    print(f"Case folders go in {root / CASES_FOLDER} (cases/<reference>/returns and /papers).")
    report(excel)
    print(f"Next: open the register in Excel, add your cases, then on its caseforms sheet click 'Check the register' "
          f"and Run main (xlwings tab); or run 'caseforms validate {target}'.")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from caseforms.jobs import check_register
    from caseforms.register.findings import ERROR

    today = today_from(args)
    saved = None
    if args.annotate:
        from caseforms.io.register_xlsx import annotate
        from caseforms.io.safe_write import lock_for

        # Checked and annotated as one change: no other caseforms command writes the register in between.
        with lock_for(Path(args.register)):
            checked = check_register(Path(args.register), today, profile_ref=args.profile)
            saved = annotate(Path(args.register), checked.findings, today, checked.profile.title)
    else:
        checked = check_register(Path(args.register), today, profile_ref=args.profile)
    reg, profile, findings, counts = checked.register, checked.profile, checked.findings, checked.counts
    if args.json:
        from caseforms.cli._output import print_json

        print_json({
            "register": str(args.register), "profile": profile.name, "today": today.isoformat(),
            "cases": len(reg.cases), "people": len(reg.people), "errors": counts["error"],
            "warnings": counts["warning"], "findings": [f.to_dict() for f in findings],
            "annotated": str(saved.path) if saved else None,
        })
        return 1 if counts[ERROR] else 0

    _print_findings(args, findings, today, profile.title)
    print(f"{counts['error']} error(s), {counts['warning']} warning(s) in {len(reg.cases)} case(s) and "
          f"{len(reg.people)} people." if findings else
          f"No problems found in {len(reg.cases)} case(s) and {len(reg.people)} people.")
    if saved:
        print(f"Findings written to the Checks sheet of {saved.path}." + (f" Backup: {saved.backup}." if saved.backup else ""))
        if saved.redirected_reason:
            print(saved.redirected_reason)
    return 1 if counts[ERROR] else 0


#: How many findings the terminal report shows; the rest are on the Checks sheet (--annotate) or in --json.
SHOWN_FINDINGS = 20


def _print_findings(args: argparse.Namespace, findings: list[Any], today: date, profile_title: str) -> None:
    """Print the findings by rule, then the first of them as a table, and where to see the rest.

    A register of thousands of cases can have thousands of findings: a table of them all takes
    seconds to print and nobody reads it on a terminal.
    """
    from collections import Counter

    from caseforms.cli._output import print_table

    if not findings:
        return
    by_rule = Counter((f.severity, f.code) for f in findings)
    print(f"{args.register}: checked as of {format_uk(today)} against {profile_title}")
    for (severity, code), n in sorted(by_rule.items(), key=lambda item: (item[0][0] != "error", -item[1], item[0][1])):
        print(f"  {n:>6}  {severity:<8} {code}")
    shown = findings if args.all else findings[:SHOWN_FINDINGS]
    print_table(
        None if len(shown) == len(findings) else f"The first {len(shown)} of {len(findings)} findings:",
        ("Severity", "Where", "Problem", "How to fix"),
        [(f.severity, f.where, f.message, f.fix) for f in shown],
        [_SEVERITY_STYLE.get(f.severity) for f in shown],
    )
    if len(shown) < len(findings):
        print(f"{len(findings) - len(shown)} more: run with --annotate to list every finding on the register's Checks "
              "sheet (a link to each cell), --json for all of them as JSON, or --all to print them here.")


def run_register_deadlines(args: argparse.Namespace) -> int:
    """List the live milestones of every open case of a register; write them to an .ics calendar."""
    from caseforms.jobs import live_deadlines

    today = today_from(args)
    if getattr(args, "chart", None) or getattr(args, "case", None):
        return _deadline_chart(args, today)
    if args.ics:
        from caseforms.io.file_kinds import CALENDAR
        from caseforms.io.safe_write import Target, check_writable

        # Refuse a calendar over the register itself (or any file that is not a caseforms calendar) before reading.
        check_writable([Target(Path(args.ics), CALENDAR)])
    reg, profile = _load(args.register, args.profile)
    live, clashes = live_deadlines(reg, profile, today)
    # Each clash names its cells; the case's clocks are still listed, counted from its dates as they stand.
    problems = list(clashes)
    rows = [(r.case, r.due) for r in live]
    open_cases = [c for c in reg.open_cases() if c.ref]
    if args.ics:
        _write_calendar(Path(args.ics), rows, today, profile)
    if args.json:
        from caseforms.cli._output import print_json

        print_json([{"case_ref": case.ref, "officer": case["officer"], **due.to_dict()} for case, due in rows])
        return 0

    from caseforms.cli._output import print_table

    if not rows:
        print(f"{args.register}: nothing due in {len(open_cases)} open case(s) as of {format_uk(today)}.")
        for problem in problems:
            print(problem)
        if args.ics:
            print(f"Calendar written to {args.ics} (no events).")
        return 0
    overdue = sum(due.status == "overdue" for _, due in rows)
    soon = sum(due.status == "due soon" for _, due in rows)
    print_table(
        f"{args.register}: deadlines of {len(open_cases)} open case(s) as of {format_uk(today)} ({profile.title})",
        ("Case", "Milestone", "Due", "Working days left", "Status", "Officer"),
        [(case.ref, due.milestone.label, (format_uk(due.due) if due.due else "") + (f" ({due.note})" if due.note else ""),
          due.working_days_left, due.status, case["officer"] or "") for case, due in rows],
        [_STATUS_STYLE.get(due.status) for _, due in rows],
    )
    for problem in problems:
        print(problem)
    print(f"{overdue} overdue, {soon} due soon, {len(rows) - overdue - soon} upcoming.")
    if args.ics:
        print(f"Calendar written to {args.ics} ({len(rows)} all-day events, case references only).")
    return 0


def _write_calendar(path: Path, rows: list[tuple[Any, Any]], today: date, profile: Any) -> None:
    from caseforms.io.file_kinds import CALENDAR
    from caseforms.io.safe_write import write_atomically
    from caseforms.register.folders import folder_name
    from caseforms.register.ics import CalendarEvent, calendar_text

    events = []
    before = profile.reminder_working_days
    for case, due in rows:
        m = due.milestone
        day = due.due.date() if hasattr(due.due, "date") and callable(due.due.date) else due.due
        events.append(CalendarEvent(
            # Stable: importing the calendar again updates each event instead of adding a copy.
            uid=f"{folder_name(case.ref)}-{m.id}@caseforms",
            day=day,
            summary=f"{case.ref}: {m.label}",
            description=f"{m.rule}. Due {format_uk(due.due)}" + (f" ({due.note})" if due.note else "")
                        + f"; {due.status} on {format_uk(today)}. Source: {m.source}",
            remind_on=profile.calendar.add_working_days(day, -before) if before is not None else None,
        ))
    text = calendar_text(events, f"Review deadlines ({profile.title})")
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""), kind=CALENDAR)


def _deadline_chart(args: argparse.Namespace, today: date) -> int:
    """Draw one case's deadlines as a chart: every dated milestone, met or not, and today."""
    from caseforms.deadlines import timetable
    from caseforms.errors import EventError
    from caseforms.io.pictures import write_picture
    from caseforms.jobs import date_clash, find_case
    from caseforms.register.deadline_chart import draw_deadlines

    if not (args.chart and args.case):
        raise EventError("A deadline chart needs both --case and --chart: caseforms deadlines register.xlsx --case REF "
                         "--chart deadlines.pdf")
    reg, profile = _load(args.register, args.profile)
    case = find_case(reg, args.case)
    clash = date_clash(reg, case)
    events = case.events(reg.schema)
    rows = timetable(profile, events, today, flags=case.flags(reg.schema), checked=bool(clash))
    write_picture(draw_deadlines(case.ref, rows, events, today), Path(args.chart))
    dated = [r for r in rows if r.due is not None]
    print(f"Wrote {args.chart}: {len(dated)} milestones of {case.ref} as of {today:%d/%m/%Y}, "
          f"{sum(r.status == 'overdue' for r in dated)} overdue." + (f" {clash}" if clash else ""))
    return 0
