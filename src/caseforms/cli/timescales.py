"""`caseforms deadlines`, `caseforms workdays`, `caseforms profiles`: the timescales on their own."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from caseforms.cli._output import today_from
from caseforms.dates import format_uk, parse_date, parse_moment
from caseforms.errors import EventError

_STATUS_STYLE = {"overdue": "bold red", "due soon": "yellow", "met": "green", "met late": "magenta"}


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "deadlines",
        help="the statutory timetable of a case from its event dates, or of every open case of a register",
        description=(
            "Print when each milestone of a profile falls due for a case, how many working days are "
            "left and whether it is met, upcoming, due soon or overdue. Dates are dd/mm/yyyy or "
            "yyyy-mm-dd; add a time as 'dd/mm/yyyy hh:mm' for the hour-based rules. Given a "
            "REGISTER instead, print the upcoming and overdue milestones of every open case in it, "
            "and with --ics write them to a calendar for Outlook."
        ),
        epilog=(
            "Events: incident, aware, referral, decision, notified, rr_meeting, rr_decision, lcspr_decision, "
            "publication, more_information, partners_informed, sos_ofsted_notified, placing_confirmed, "
            "panel_response, rr_reconvened, panel_reply, lcspr_signoff, report_to_panel, publication_planned. "
            "Example: caseforms deadlines --profile kent --event aware=20/12/2024 --event notified=31/12/2024. "
            "Register: caseforms deadlines register.xlsx --ics deadlines.ics"
        ),
    )
    p.add_argument(
        "register", nargs="?", metavar="REGISTER", help="a case register (.xlsx): list the deadlines of its open cases"
    )
    p.add_argument(
        "--profile",
        default=None,
        help="a shipped profile (see 'caseforms profiles') or your own .toml file; default national "
        "(with REGISTER: the profile the register records)",
    )
    p.add_argument(
        "--event", action="append", default=[], metavar="KEY=DATE", help="an event of the case and its date; repeat for each"
    )
    p.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="FLAG",
        help="a case flag that makes conditional milestones apply: "
        "placed_by_other_la, unexpected_death, homicide, looked_after_death, care_leaver_death, "
        "regulated_setting_death, panel_disagrees, notifying",
    )
    p.add_argument("--today", metavar="DATE", help="count working days left from this date instead of today")
    p.add_argument("--json", action="store_true", help="print a JSON list for scripts")
    p.add_argument(
        "--ics", metavar="FILE", help="with REGISTER: also write the deadlines to an .ics calendar (case references only)"
    )
    p.add_argument("--case", metavar="REF", help="with REGISTER and --chart: the case whose deadline chart to draw")
    p.add_argument("--chart", metavar="FILE",
                   help="with REGISTER and --case: draw the case's deadlines as a chart (.pdf, .svg, or .png with Pillow)")
    p.set_defaults(run=run_deadlines)

    p = commands.add_parser(
        "workdays",
        help="the Nth working day after (or before) a date",
        description=(
            "Print the Nth working day after DATE as yyyy-mm-dd, or before it when N is negative. "
            "DATE itself is never counted. Working days exclude weekends, England and Wales bank "
            "holidays and the profile's closure days."
        ),
        epilog="Example: caseforms workdays 20/12/2024 5 --profile kent  (prints 2024-12-31: the 25th and 26th "
               "are bank holidays). Five working days back: caseforms workdays 31/12/2024 -5",
    )
    p.add_argument("date", metavar="DATE")
    p.add_argument("n", metavar="N", type=int)
    p.add_argument("--profile", default="national", help="whose closure days to skip as well; default national")
    p.set_defaults(run=run_workdays)

    p = commands.add_parser(
        "profiles",
        help="the process profiles available and what each changes",
        description="List the shipped profiles, what each changes from the national timescales and the documents "
                    "its rules cite.",
        epilog="Example: caseforms profiles; then caseforms deadlines --profile kent --event aware=20/12/2024",
    )
    p.add_argument("--json", action="store_true", help="print a JSON list for scripts")
    p.set_defaults(run=run_profiles)


def parse_events(pairs: list[str]) -> dict[str, date | datetime]:
    """Turn ``KEY=DATE`` arguments into events; refuse a malformed or repeated one."""
    events: dict[str, date | datetime] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key or not value.strip():
            raise EventError(f"--event '{pair}' must be KEY=DATE, e.g. --event aware=20/12/2024.")
        if key in events:
            raise EventError(f"--event {key} is given twice; give each event once.")
        events[key] = parse_moment(value, f"--event {key}")
    return events


def run_deadlines(args: argparse.Namespace) -> int:
    from caseforms.deadlines import timetable
    from caseforms.profile import FLAGS, load_profile

    if args.register:
        if args.event or args.flag:
            raise EventError("Give either a REGISTER or --event/--flag, not both: a register holds its cases' events.")
        from caseforms.cli.register import run_register_deadlines

        return run_register_deadlines(args)
    if args.ics:
        raise EventError("--ics needs a REGISTER: caseforms deadlines register.xlsx --ics deadlines.ics")
    profile = load_profile(args.profile or "national")
    events = parse_events(args.event)
    unknown_flags = [f for f in args.flag if f not in FLAGS]
    if unknown_flags:
        raise EventError(f"Unknown --flag '{unknown_flags[0]}'. Flags: {', '.join(FLAGS)}.")
    today = today_from(args)
    rows = timetable(profile, events, today, flags=set(args.flag))
    if args.json:
        from caseforms.cli._output import print_json

        print_json([r.to_dict() for r in rows])
        return 0

    from caseforms.cli._output import print_table

    title = f"{profile.title}: timetable as of {format_uk(today)}"
    if events:
        title += "\nEvents: " + "; ".join(f"{k} {format_uk(v)}" for k, v in events.items())
    table = []
    for r in rows:
        due = "" if r.due is None else format_uk(r.due)
        if r.opens is not None:
            due = f"{format_uk(r.opens)} to {due}"
        if r.note:  # an office task moved off a weekend or bank holiday: say why
            due = f"{due}\n({r.note})"
        label = r.milestone.label + (f" (only for {r.milestone.applies})" if r.milestone.applies else "")
        left = "" if r.working_days_left is None or r.status not in ("upcoming", "due soon", "overdue") else r.working_days_left
        table.append((label, r.milestone.rule, due, left, r.status, r.milestone.source))
    print_table(
        title,
        ("Milestone", "Rule", "Due", "Working days left", "Status", "Source"),
        table,
        [_STATUS_STYLE.get(r.status) or "" for r in rows],
        no_wrap=("Due", "Status"),
    )
    if not events:
        print("No events given: add --event aware=DD/MM/YYYY (and the others you know) to date the milestones.")
    return 0


def run_workdays(args: argparse.Namespace) -> int:
    from caseforms.profile import load_profile

    start = parse_date(args.date, "DATE")
    print(load_profile(args.profile).calendar.add_working_days(start, args.n).isoformat())
    return 0


def run_profiles(args: argparse.Namespace) -> int:
    from caseforms.profile import available_profiles, load_profile

    profiles = [load_profile(name) for name in available_profiles()]
    if args.json:
        from caseforms.cli._output import print_json

        print_json(
            [
                {"name": p.name, "title": p.title, "extends": p.extends, "description": p.description,
                 "changes": list(p.changes), "milestones": [m.id for m in p.milestones],
                 "documents": {d.key: {"cite_as": d.name, "url": d.url} for d in p.documents.values()}}
                for p in profiles
            ]
        )
        return 0
    for p in profiles:
        print(f"{p.name}: {p.title}" + (f" (extends {p.extends})" if p.extends else ""))
        if p.description:
            print(f"  {p.description}")
        for change in p.changes:
            print(f"  - {change}")
        print()
    print("Use your partnership's own rules with --profile path/to/profile.toml (see README, 'Profiles').")
    return 0
