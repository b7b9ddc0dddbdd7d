"""`caseforms lcspr`: an LCSPR's steps to publication, its IMR requests and its recommendations in the tracker.

``caseforms lcspr status`` lists where each step stands; ``caseforms lcspr imr`` writes each agency's
Independent Management Review request; ``caseforms lcspr recommendations`` adds the signed-off
recommendations to the actions tracker. The LCSPR's papers are made by ``caseforms papers``
(packs lcspr-tor, lcspr-panel, lcspr-report, publication). Heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caseforms.cli._output import today_from


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "lcspr",
        help="an LCSPR's steps to publication, its IMR requests and its recommendations in the tracker",
        description=(
            "A local child safeguarding practice review from the decision to publication: 'status' lists every "
            "step (reviewer, panel, IMRs, practitioner events, the family, drafts, sign-off, the full report to the "
            "National Panel, publication) and where it stands; 'imr' writes each agency's IMR request; "
            "'recommendations' adds the signed-off recommendations to the actions tracker. The papers are made "
            "by 'caseforms papers' (packs lcspr-tor, lcspr-panel, lcspr-report, publication)."
        ),
        epilog="Example: caseforms lcspr status register.xlsx --case SCP-2025-009",
    )
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND", dest="subcommand")
    sub.required = True

    s = sub.add_parser("status", help="every step of the LCSPR and where it stands",
                       description="List the LCSPR's steps, from the decision to publication, each done, to do, in "
                                   "hand or overdue, with what the register records. Exit status 1 when a step is "
                                   "overdue.",
                       epilog="Example: caseforms lcspr status register.xlsx --case SCP-2025-009")
    s.add_argument("register", metavar="REGISTER", help="the case register workbook")
    s.add_argument("--case", required=True, metavar="REF", help="the case reference")
    s.add_argument("--today", metavar="DATE", help="judge the steps as of this date instead of today")
    s.add_argument("--json", action="store_true", help="print a JSON list for scripts")
    s.set_defaults(run=run_status)

    i = sub.add_parser("imr", help="write each agency's IMR request: letter, report template, chronology, e-mail",
                       description=(
                           "For each agency asked for an Independent Management Review (the case's rows on the IMRs "
                           "sheet, else its 'Agencies involved', or --agency), write a letter (author briefing, due "
                           "date, the review's key lines of enquiry), the IMR report template the author fills in, "
                           "the pre-filled chronology workbook and an e-mail draft, into cases/<REF>/imrs, and record "
                           "each request on the IMRs sheet. What the register lacks is listed with where to fill it "
                           "in; the packs are still made. Exit status 1 when something is missing."),
                       epilog="Example: caseforms lcspr imr register.xlsx --case SCP-2025-009 --due 30/05/2025")
    i.add_argument("register", metavar="REGISTER", help="the case register workbook")
    i.add_argument("--case", required=True, metavar="REF", help="the case reference")
    i.add_argument("--agency", action="append", metavar="NAME", help="ask this agency only (repeat for several)")
    i.add_argument("--due", metavar="DATE", help="when the IMRs are due (default: the IMRs sheet's 'IMR due')")
    i.add_argument("--out", metavar="DIR", help="write the packs here (default: cases/<REF>/imrs beside the register)")
    i.add_argument("--templates", metavar="DIR", help="your own templates folder (its imr_request.docx and "
                                                       "imr_report_template.docx are used)")
    i.add_argument("--today", metavar="DATE", help="the date of the request (default: today)")
    i.add_argument("--no-log", action="store_true", help="do not record the requests on the register's IMRs sheet")
    i.set_defaults(run=run_imr)

    r = sub.add_parser("recommendations", help="add the signed-off recommendations to the actions tracker",
                       description=(
                           "Add each recommendation on the register's LCSPR recommendations sheet to the actions "
                           "tracker, source LCSPR, once the report is signed off (the recommendations are then "
                           "locked). Adding them again adds nothing."),
                       epilog="Example: caseforms lcspr recommendations register.xlsx --case SCP-2025-009")
    r.add_argument("register", metavar="REGISTER", help="the case register workbook")
    r.add_argument("--case", required=True, metavar="REF", help="the case reference")
    r.add_argument("--tracker", metavar="TRACKER", help="the actions tracker (default: tracker.xlsx beside the register)")
    r.add_argument("--today", metavar="DATE", help="the date the actions are agreed (default: today)")
    r.set_defaults(run=run_recommendations)


def run_status(args: argparse.Namespace) -> int:
    from caseforms.jobs import find_case, open_register, tracker_actions
    from caseforms.lcspr.lifecycle import OVERDUE, lifecycle
    from caseforms.papers.from_register import case_file
    from caseforms.register.pathway import case_state

    today = today_from(args)
    path = Path(args.register)
    register, profile = open_register(path)
    case = find_case(register, args.case)
    actions, _ = tracker_actions(path.resolve().parent, profile)
    in_tracker = sum(1 for a in actions if str(a.get("case_ref") or "").strip().casefold() == case.ref.casefold()
                     and str(a.get("source") or "").casefold().startswith("lcspr"))
    steps = lifecycle(case_file(register, case.ref), profile, today, in_tracker)
    state = case_state(case, register.schema)
    if args.json:
        from caseforms.cli._output import print_json

        print_json({"case": case.ref, "status": state.status, "next_step": state.next_step,
                    "steps": [{"step": s.name, "state": s.state, "recorded": s.said} for s in steps]})
    else:
        from caseforms.cli._output import print_table

        print_table(f"LCSPR {case.ref}: {state.status}. Next: {state.next_step}",
                    ("Step", "Where it stands", "What the register records"),
                    [(s.name, s.state, s.said) for s in steps],
                    ["bold red" if s.state == OVERDUE else "green" if s.state == "done" else "" for s in steps])
    return 1 if any(s.state == OVERDUE for s in steps) else 0


def run_imr(args: argparse.Namespace) -> int:
    from caseforms.dates import parse_moment
    from caseforms.errors import NoAgencyToAsk
    from caseforms.jobs import request_imrs

    today = today_from(args)
    due = parse_moment(args.due, "--due") if args.due else None
    try:
        done = request_imrs(Path(args.register), args.case, today, agencies=args.agency, due=due,
                            out=Path(args.out) if args.out else None,
                            templates=Path(args.templates) if args.templates else None, log=not args.no_log)
    except NoAgencyToAsk as e:
        raise NoAgencyToAsk(f"{e} Or name the agencies with --agency.") from e
    print(f"IMR requests for {done.case_ref} written to {done.folder}:")
    for p in done.packs:
        to = p.request.chronology.email or "NO E-MAIL ADDRESS"
        files = ", ".join(f.name for f in (p.letter, p.report, p.workbook, p.email) if f is not None)
        print(f"  {p.request.agency}: {files} (to {to})")
    if done.log:
        print(f"  Recorded on the IMRs sheet of {done.log.path.name}.")
        if done.log.redirected_reason:
            print(f"  {done.log.redirected_reason}")
    if done.problems:
        print("Still to fill in (the packs were made without them):")
        for line in done.problems:
            print(f"  - {line}")
        return 1
    return 0


def run_recommendations(args: argparse.Namespace) -> int:
    from caseforms.jobs import track_recommendations

    today = today_from(args)
    done = track_recommendations(Path(args.register), args.case, today,
                                 tracker=Path(args.tracker) if args.tracker else None)
    print(f"Added {len(done.added)} LCSPR recommendation(s) of {done.case_ref} to {done.tracker}"
          + (f"; {len(done.skipped)} already there." if done.skipped else "."))
    for row in done.added:
        print(f"  {row['action_id']}: {row.get('recommendation')}")
    if done.saved is not None and done.saved.redirected_reason:
        print(done.saved.redirected_reason)
    return 0
