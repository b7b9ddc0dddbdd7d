"""`caseforms publication`: a case's glossary, and the check that nothing identifying is left in what is published.

``caseforms publication glossary`` suggests the Glossary sheet's rows (who is called what);
``caseforms publication check`` reads the papers and chronology for publication back and lists every
name, date of birth, NHS number, address, postcode and school left in them. The papers for
publication are made by ``caseforms papers ... --anonymised``, the chronology by ``caseforms chronology
merge ... --for-publication``. Heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseforms.publication.check import Remaining


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "publication",
        help="publishing a review: the case's glossary of pseudonyms, and the check for names left in",
        description=(
            "Before a review is published every person is called by a pseudonym or a role ('Child R', 'Mother', "
            "'Police Officer 2') and no name, date of birth, NHS number, address or school is left. 'glossary' "
            "suggests, on the register's Glossary sheet, what to call each person of the case; 'check' lists "
            "what is still left in the papers and chronology for publication. Make those with 'caseforms papers "
            "... --anonymised' and 'caseforms chronology merge ... --for-publication'."
        ),
        epilog="Example: caseforms publication glossary register.xlsx --case SCP-2025-009",
    )
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND", dest="subcommand")
    sub.required = True

    g = sub.add_parser(
        "glossary", help="suggest what each person of the case is called in published papers",
        description=(
            "Add a row to the register's Glossary sheet for every person of the case not yet in it: the People "
            "sheet's children and family (the child by the pseudonym the family chose, from the Cases sheet's "
            "'Pseudonym'), the Family involvement sheet, the practitioners named in the master chronology's "
            "'By whom' column and the agencies' summaries, and the schools. Change 'Publish as' in Excel as you "
            "wish: caseforms never changes a row you have changed. A register without the sheet gains it."),
        epilog="Example: caseforms publication glossary register.xlsx --case SCP-2025-009")
    g.add_argument("register", metavar="REGISTER", help="the case register workbook")
    g.add_argument("--case", required=True, metavar="REF", help="the case reference")
    g.add_argument("--chronology", metavar="MASTER.xlsx",
                   help="the master chronology, when it is not cases/<REF>/Master chronology.xlsx")
    g.add_argument("--dry-run", action="store_true", help="show the glossary with caseforms' suggestions; write nothing")
    g.add_argument("--json", action="store_true", help="print the glossary as JSON")
    g.set_defaults(run=run_glossary)

    c = sub.add_parser(
        "check", help="list every name, date of birth, NHS number, address or school left in what is to be published",
        description=(
            "Read the case's papers for publication (the latest version of each, in cases/<REF>/papers) and its "
            "'Master chronology (for publication).xlsx', or the files named, and list every identifier left in "
            "them by file and place: every paragraph, table cell, header, footer, comment and section you wrote. "
            "It looks for the names on the Glossary, People and Family involvement sheets and in the chronology "
            "(in any case, possessives, first name or surname alone), the dates of birth, NHS numbers and "
            "addresses the register records, any NHS number, postcode or street address, and the schools. Exit "
            "status 2 while anything is left: the files are not ready for publication."),
        epilog="Example: caseforms publication check register.xlsx --case SCP-2025-009")
    c.add_argument("register", metavar="REGISTER", help="the case register workbook")
    c.add_argument("files", nargs="*", metavar="FILE", help="papers (.docx) or workbooks (.xlsx) to check instead")
    c.add_argument("--case", required=True, metavar="REF", help="the case reference")
    c.add_argument("--chronology", metavar="MASTER.xlsx",
                   help="the master chronology, when it is not cases/<REF>/Master chronology.xlsx")
    c.add_argument("--json", action="store_true", help="print what was found as JSON (exit status 2 still)")
    c.set_defaults(run=run_check)


def run_glossary(args: argparse.Namespace) -> int:
    from caseforms.cli._output import print_json, print_table
    from caseforms.jobs import suggest_glossary

    made = suggest_glossary(Path(args.register), args.case,
                            chronology=Path(args.chronology) if args.chronology else None, write=not args.dry_run)
    if args.json:
        print_json({"case": made.case_ref, "added": made.added, "updated": made.updated,
                    "written": not args.dry_run and (made.added + made.updated) > 0,
                    "rows": [dict(zip(("name", "kind", "agency", "publish_as", "suggested_by"), r, strict=True))
                             for r in made.rows]})
        return 0
    print_table(f"Glossary of {made.case_ref}: what published papers call each person",
                ("Name as written", "Kind", "Agency or relationship", "Publish as", "Suggested by"), made.rows)
    if args.dry_run:
        print(f"Nothing written (--dry-run): {made.added} row(s) to add, {made.updated} to bring up to date.")
    elif made.added or made.updated:
        print(f"Written to the Glossary sheet of {args.register}: {made.added} row(s) added, {made.updated} brought "
              "up to date. Change 'Publish as' in Excel where you wish: caseforms keeps what you write.")
    else:
        print("The Glossary sheet already has everyone: nothing written.")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from caseforms.cli._output import print_json
    from caseforms.jobs import check_publication

    checked = check_publication(Path(args.register), args.case, [Path(f) for f in args.files],
                                chronology=Path(args.chronology) if args.chronology else None)
    if args.json:
        print_json({"case": checked.case_ref, "ready": checked.ready, "files": [str(f) for f in checked.files],
                    "remaining": [r.__dict__ for r in checked.remaining]})
        return 0 if checked.ready else 2
    print(f"Checked for publication ({checked.case_ref}):")
    for f in checked.files:
        print(f"  {f.name}")
    refuse_if_not_ready(checked.remaining, "these files")
    print("Ready for publication: no name, date of birth, NHS number, address, postcode or school was found.")
    return 0


def print_remaining(remaining: Sequence[Remaining]) -> None:
    """Print every identifier left, by file and place."""
    from caseforms.cli._output import print_table

    print_table(f"{len(remaining)} identifier(s) left in what is to be published",
                ("File", "Where", "What", "Found", "Whose", "In"),
                [(r.file, r.place, r.kind, r.found, r.who, r.context) for r in remaining])


def refuse_if_not_ready(remaining: Sequence[Remaining], what: str) -> None:
    """Print what is left and raise NotReadyForPublication when anything is; return quietly when nothing is."""
    from caseforms.errors import NotReadyForPublication

    if not remaining:
        return
    print_remaining(remaining)
    files = len({r.file for r in remaining})
    raise NotReadyForPublication(
        f"Not ready for publication: {len(remaining)} identifier(s) left in {files} file(s) of {what}. Add whoever "
        "is missing to the Glossary sheet ('caseforms publication glossary') and make them again, or correct the "
        "named paper or the register; then check again.")
