"""`caseforms report`: the year in figures for the partnership's annual report, and the Case Review Tracker CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from caseforms.cli._output import today_from


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "report",
        help="count the year for the annual report (Word) and the Case Review Tracker (CSV)",
        description=(
            "Count a year from the case register and the actions tracker beside it: referrals, notifications, Rapid "
            "Reviews and LCSPRs by pathway and outcome; each statutory timescale's record with the cases that missed "
            "and their recorded reasons; incident characteristics, ages and agencies involved; actions by agency. "
            "Writes a Word extract for the annual report, with charts, and a CSV of the reviews with the fields NHS "
            "England's Safeguarding Case Review Tracker collects. Only counts and case references: no names, no "
            "dates of birth."
        ),
        epilog="Examples: caseforms report register.xlsx --year 2026; caseforms report register.xlsx --year 2026-27; "
               "caseforms report register.xlsx --financial-year 2026",
    )
    p.add_argument("register_file", metavar="REGISTER", help="the case register (register.xlsx)")
    year = p.add_mutually_exclusive_group(required=True)
    year.add_argument("--year", metavar="YEAR",
                      help="a calendar year (2026: 1 January to 31 December) or a financial year (2026-27)")
    year.add_argument("--financial-year", metavar="YEAR",
                      help="the financial year starting on 1 April of YEAR (2026: 1 April 2026 to 31 March 2027)")
    p.add_argument("--today", metavar="DATE", help="count as of this date instead of today")
    p.add_argument("--out", metavar="DIR", help="where to write (default: the 'papers' folder beside the register)")
    p.add_argument("--author", default="", help="the officer named as the report's author")
    p.add_argument("--json", action="store_true", help="print the figures as JSON for scripts")
    p.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from caseforms.jobs import annual_report
    from caseforms.register.annual import parse_period, totals

    today = today_from(args)
    period = parse_period(args.financial_year, financial=True) if args.financial_year else parse_period(args.year)
    done = annual_report(Path(args.register_file), period, today, out=Path(args.out) if args.out else None,
                         author=args.author)
    year = done.year
    if args.json:
        from caseforms.cli._output import print_json

        print_json({
            "year": period.label, "from": period.start.isoformat(), "to": period.end.isoformat(),
            "as_of": year.as_of.isoformat(), **totals(year),
            "timescales": [{"milestone": t.milestone, "counted": t.counted, "met": t.met,
                            "missed": [{"case_ref": c.case_ref, "due": c.due.isoformat(),
                                        "done": c.done.isoformat() if c.done else None, "reason": c.reason}
                                       for c in t.missed]} for t in year.timescales],
            "characteristics": dict(year.characteristics), "ages": dict(year.ages), "agencies": dict(year.agencies),
            "written": {"report": str(done.report), "csv": str(done.csv)},
        })
        return 0
    print(f"{year.partnership}, {period.described}, to {year.as_of:%d/%m/%Y}:")
    print(f"  {year.referrals} referral(s), {year.notifications} notification(s), {year.rapid_reviews} Rapid Review(s), "
          f"{year.lcsprs_decided} LCSPR(s) decided, {year.lcsprs_published} published, {year.lcsprs_in_progress} in "
          "progress at the end")
    for t in year.timescales:
        print(f"  {t.title}: {t.met} of {t.counted} in time" + (f"; missed: {', '.join(c.case_ref for c in t.missed)}"
                                                               if t.missed else ""))
    print(f"Wrote {done.report}")
    print(f"Wrote {done.csv} ({done.reviews} review(s), for the health partners' Case Review Tracker)")
    if done.tracker is None:
        print("No tracker.xlsx beside the register: the report has no actions by agency.")
    return 0
