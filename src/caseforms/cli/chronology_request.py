"""`caseforms chronology request` and `caseforms chronology status`: ask the agencies, then chase them.

Listed in :data:`caseforms.cli.chronology.SUBCOMMANDS`; heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from caseforms.cli._output import today_from
from caseforms.jobs import REQUESTS_FOLDER, find_returns


def add_request(subcommands: argparse._SubParsersAction) -> None:
    p = subcommands.add_parser(
        "request",
        help="write each involved agency's chronology request: workbook, letter and e-mail draft",
        description=(
            "For each agency involved in the case (the Cases sheet's 'Agencies involved' column, or --agency), "
            "write a pre-filled chronology workbook (plain .xlsx: case reference, agency, scope period, return "
            "deadline, people in scope and types of contact as dropdowns, protected headings), a request letter "
            "(.docx) and an e-mail draft (.eml, opens in Outlook ready to send) to the agency's single point of "
            "contact, and record each request in the register's Returns log. The deadline is the Cases sheet's "
            "'Chronologies due back', else the profile's timetable. What the register lacks (an e-mail address, "
            "the scope period, the people in scope) is listed with where to fill it in; the pack is still made. "
            "Exit status 1 when something is missing."
        ),
        epilog="Example: caseforms chronology request register.xlsx --case SCP-2025-014 --agency Police",
    )
    p.add_argument("register", metavar="REGISTER", help="the case register workbook")
    p.add_argument("--case", required=True, metavar="REF", help="the case reference")
    p.add_argument("--agency", action="append", metavar="NAME",
                   help="ask this agency only (repeat for several); default: every agency involved in the case")
    p.add_argument("--out", metavar="DIR", help="write the packs here (default: cases/<REF>/requests beside the register)")
    p.add_argument("--templates", metavar="DIR", help="your own templates folder (its chronology_request.docx is used)")
    p.add_argument("--today", metavar="DATE", help="the date of the request (default: today)")
    p.add_argument("--no-log", action="store_true", help="do not record the requests in the register's Returns log")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    p.set_defaults(run=run_request)


def add_status(subcommands: argparse._SubParsersAction) -> None:
    p = subcommands.add_parser(
        "status",
        help="list which agencies have returned their chronology, which are late and which are due soon",
        description=(
            "Compare the register's Returns log with the files in cases/<REF>/returns. A return is identified "
            "from the workbook itself (the request workbook's hidden identification, else its title block), so "
            "one filed in the wrong case's folder is reported. Received returns, and late ones, are recorded in "
            "the Returns log unless --no-log. --chase writes a reminder e-mail draft for each late agency. "
            "Exit status 1 when any is late or in the wrong case's folder."
        ),
        epilog="Example: caseforms chronology status register.xlsx --case SCP-2025-014 --chase",
    )
    p.add_argument("register", metavar="REGISTER", help="the case register workbook")
    p.add_argument("--case", required=True, metavar="REF", help="the case reference")
    p.add_argument("--returns", metavar="DIR", help="the returns folder (default: cases/<REF>/returns beside the register)")
    p.add_argument("--chase", action="store_true", help="write a reminder .eml draft for each late agency")
    p.add_argument("--out", metavar="DIR", help="where --chase writes (default: cases/<REF>/requests)")
    p.add_argument("--today", metavar="DATE", help="the date to judge lateness on (default: today)")
    p.add_argument("--no-log", action="store_true", help="do not write to the register's Returns log")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.set_defaults(run=run_status)


def _open(args: argparse.Namespace) -> tuple[Any, Any, Path]:
    from caseforms.io.register_xlsx import profile_for, read_register
    from caseforms.register.folders import case_folder, check_own_folder

    path = Path(args.register)
    register = read_register(path)
    profile = profile_for(register)
    check_own_folder(args.case, [(c.ref, c.row) for c in register.cases])  # never another child's returns
    return register, profile, case_folder(path.parent, args.case)


def run_request(args: argparse.Namespace) -> int:
    from caseforms.errors import NoAgencyToAsk
    from caseforms.jobs import request_chronologies

    today = today_from(args)
    try:
        done = request_chronologies(Path(args.register), args.case, today, agencies=args.agency,
                                    out=Path(args.out) if args.out else None,
                                    templates=Path(args.templates) if args.templates else None, log=not args.no_log)
    except NoAgencyToAsk as e:
        raise NoAgencyToAsk(f"{e} Or name the agencies with --agency.") from e
    packs, out, saved, problems = done.packs, done.folder, done.log, done.problems
    if args.json:
        from caseforms.cli._output import print_json

        print_json({
            "case": args.case, "folder": str(out),
            "packs": [{"agency": p.request.agency, "workbook": str(p.workbook), "letter": str(p.letter) if p.letter else None,
                       "email": str(p.email), "to": p.request.email or None, "due": p.request.due_text,
                       "missing": [str(m) for m in p.request.missing] + p.problems} for p in packs],
            "returns_log": str(saved.path) if saved else None,
            "log_redirected": saved.redirected_reason if saved else None,
        })
        return 1 if problems else 0
    print(f"Chronology requests for {args.case} written to {out}:")
    for p in packs:
        to = p.request.email or "NO E-MAIL ADDRESS"
        print(f"  {p.request.agency}: {p.workbook.name}, {p.letter.name if p.letter else '(no letter)'}, "
              f"{p.email.name} (to {to})")
    print(f"  Due back: {packs[0].request.due_text}.")
    if saved:
        print(f"  Recorded in the Returns log of {saved.path.name}.")
        if saved.redirected_reason:
            print(f"  {saved.redirected_reason}")
    if problems:
        print("Still to fill in (the packs were made without them):")
        for line in problems:
            print(f"  - {line}")
        return 1
    return 0


def run_status(args: argparse.Namespace) -> int:
    from caseforms.chronology.request import plan_requests, return_deadline, return_status
    from caseforms.errors import CaseNotFound
    from caseforms.io.request_pack import chase_email, write_email
    from caseforms.io.returns_log import upsert_log
    from caseforms.register.folders import safe_name
    from caseforms.register.schema import RETURNS_LOG

    today = today_from(args)
    register, profile, folder = _open(args)
    case = register.case(args.case)
    if case is None:
        raise CaseNotFound(f"No case '{args.case}' on the Cases sheet of {args.register}. Check the reference.")
    returns_dir = Path(args.returns) if args.returns else folder / "returns"
    found = find_returns(Path(args.register), case.ref, register=register, folder=returns_dir)
    default_due, _ = return_deadline(case, register, profile, today)
    log = register.other.get(RETURNS_LOG, [])
    from caseforms.chronology.request import agency_directory

    statuses = return_status(args.case, log, found, today, profile, default_due, agency_directory(register, case.ref))

    chased: list[Path] = []
    if args.chase:
        late = [s for s in statuses if s.state == "late"]
        if late:
            requests, _ = plan_requests(register, profile, args.case, [s.agency for s in late], today)
            out = Path(args.out) if args.out else folder / REQUESTS_FOLDER
            out.mkdir(parents=True, exist_ok=True)
            by_agency = {s.agency: s for s in late}
            for r in requests:
                status = by_agency.get(r.agency)
                if status is not None and status.due is not None:
                    r.due = status.due
                stem = safe_name(f"{r.case_ref} chronology reminder - {r.agency}")
                chased.append(write_email(chase_email(r), out / f"{stem}.eml"))
    saved = None
    if not args.no_log:
        updates = []
        for s in statuses:
            if s.log_row is None:
                continue
            if s.received is not None:
                updates.append({"case_ref": args.case, "agency": s.agency, "received_on": s.received, "file": s.file,
                                "rows": s.rows, "findings": s.findings, "late": "Yes" if s.late else "No"})
            elif s.state == "late":
                row = {"case_ref": args.case, "agency": s.agency, "late": "Yes"}
                if args.chase:
                    row["chased_on"] = today
                updates.append(row)
        if updates:
            saved = upsert_log(Path(args.register), register.profile or register.profile_name, updates)

    trouble = any(s.state in ("late", "wrong case", "agency not known", "unreadable") for s in statuses)
    if args.json:
        from caseforms.cli._output import print_json

        print_json({"case": args.case, "today": today.isoformat(), "returns_folder": str(returns_dir),
                    "agencies": [s.to_dict() for s in statuses], "chased": [str(p) for p in chased],
                    "returns_log": str(saved.path) if saved else None})
        return 1 if trouble else 0
    from caseforms.chronology.request import due_text
    from caseforms.cli._output import print_table

    if not statuses:
        print(f"{args.case}: no chronology requested yet (the Returns log has no row for the case) and nothing in "
              f"{returns_dir}. Run 'caseforms chronology request' first.")
        return 0
    styles = {"late": "bold red", "wrong case": "bold red", "agency not known": "bold red", "unreadable": "bold red",
              "due soon": "yellow",
              "returned late": "yellow", "returned": "green"}
    print_table(
        f"Chronology returns for {args.case} on {today:%d/%m/%Y}",
        ("Agency", "State", "Due", "Received", "File", "Rows", "Findings"),
        [(s.agency, s.state, due_text(s.due) if s.due else "", _when(s.received), s.file,
          "" if s.rows is None else s.rows, s.findings) for s in statuses],
        [styles.get(s.state) or "" for s in statuses],
        no_wrap=("State", "Received"),
    )
    counts = {state: sum(s.state == state for s in statuses) for state in ("returned", "returned late", "late", "due soon")}
    print(f"{counts['returned'] + counts['returned late']} returned ({counts['returned late']} late), "
          f"{counts['late']} late, {counts['due soon']} due soon.")
    for p in chased:
        print(f"Reminder draft written: {p}")
    if saved:
        print(f"Returns log updated in {saved.path.name}." + (f" {saved.redirected_reason}" if saved.redirected_reason else ""))
    return 1 if trouble else 0


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return ""
