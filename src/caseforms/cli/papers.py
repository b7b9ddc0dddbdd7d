"""`caseforms papers REGISTER --case REF --pack NAME`: a case's papers, filled from the register."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforms.cli._output import today_from

if TYPE_CHECKING:
    from caseforms.jobs import NotRecorded


def register(commands: argparse._SubParsersAction) -> None:
    from caseforms.papers.fields import PACK_TITLES

    packs = "; ".join(f"{name} ({title})" for name, title in PACK_TITLES.items())
    p = commands.add_parser(
        "papers",
        help="make a case's papers (forms, Terms of Reference, reports, letters) from the register",
        description=(
            "Fill the Word templates of a pack with what the register records about one case, and the case's "
            "master chronology when there is one (cases/<reference>/Master chronology.xlsx). Each paper is "
            "written to the case's papers folder (cases/<reference>/papers beside the register), and a pack of "
            "several papers also as one combined document with a contents page. What the register does not "
            "record is shown in the papers as a yellow '[not recorded: ...]' marker and listed with where to "
            f"fill it in. File names carry the case reference, the paper and the date, never a name. Packs: {packs}."
        ),
        epilog="Example: caseforms papers register.xlsx --case SCP-2025-014 --pack rapid-review-meeting --pdf",
    )
    p.add_argument("register", metavar="REGISTER", help="the case register (.xlsx)")
    p.add_argument("--case", required=True, metavar="REF", help="the case reference, as in the Cases sheet")
    p.add_argument("--pack", required=True, choices=list(PACK_TITLES), metavar="NAME",
                   help=f"the papers to make: {', '.join(PACK_TITLES)}")
    p.add_argument("--out", metavar="DIR", help="write the papers here instead of cases/<reference>/papers")
    p.add_argument("--pdf", action="store_true",
                   help="also save the pack (or the single paper) as PDF; needs LibreOffice")
    p.add_argument("--today", metavar="DATE", help="date the papers as of this day (dd/mm/yyyy) instead of today")
    p.add_argument("--chronology", metavar="MASTER.xlsx",
                   help="the master chronology to use, when it is not cases/<reference>/Master chronology.xlsx")
    p.add_argument("--profile", help="use this profile instead of the one the register records")
    p.add_argument("--json", action="store_true", help="print what was written and what is not recorded as JSON")
    p.set_defaults(run=run_papers)


def run_papers(args: argparse.Namespace) -> int:
    from caseforms.io.safe_write import lock_for
    from caseforms.jobs import make_papers

    today = today_from(args)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        from caseforms.errors import WorkbookError

        raise WorkbookError(f"--out {out} is a file, not a folder: give the folder to write the papers into. "
                            "Nothing was written.")
    # One lock for the whole pack: no other caseforms command writes in the working folder meanwhile.
    with lock_for(out / "paper" if out else Path(args.register)):
        made = make_papers(Path(args.register), args.case, args.pack, today, out=out, pdf=args.pdf,
                           chronology=Path(args.chronology) if args.chronology else None, profile_ref=args.profile)
    report = {
        "case": made.case_ref, "pack": made.pack, "profile": made.profile.name, "today": today.isoformat(),
        "folder": str(made.folder),
        "papers": [{"paper": name, "title": _title(name), "path": str(path)} for name, path in made.papers],
        "pack_document": str(made.pack_document) if made.pack_document else None,
        "pdf": str(made.pdf) if made.pdf else None,
        "master_chronology": str(made.master_chronology) if made.master_chronology else None,
        "chronology_rows": made.chronology_rows,
        "tracker": str(made.tracker) if made.tracker else None,
        "actions": made.actions,
        "not_recorded": [{"label": m.label, "where": m.where, "papers": m.papers} for m in made.not_recorded],
    }
    if args.json:
        from caseforms.cli._output import print_json

        print_json(report)
        return 0
    _print_report(report, Path(args.register).resolve().parent, made.case_ref, made.not_recorded)
    return 0


def _title(name: str) -> str:
    from caseforms.papers.fields import PAPERS

    return PAPERS[name].title


def _print_report(report: dict[str, Any], root: Path, ref: str, missing: Sequence[NotRecorded]) -> None:
    from caseforms.cli._output import print_table
    from caseforms.io.master_read import master_chronology_path

    print(f"Papers for case {ref} ({report['pack']} pack) written to {report['folder']}:")
    for paper in report["papers"]:
        print(f"  {Path(paper['path']).name}")
    if report["pack_document"]:
        print(f"  {Path(report['pack_document']).name}  (all of them, with a contents page)")
    if report["pdf"]:
        print(f"  {Path(report['pdf']).name}")
    if report["master_chronology"]:
        print(f"Master chronology: {report['chronology_rows']} entries from {report['master_chronology']}.")
    else:
        print(f"No master chronology yet (looked for {master_chronology_path(root, ref)}); the papers say so.")
    if not missing:
        print("Everything the papers ask for is recorded.")
        return
    print_table(
        f"{len(missing)} thing(s) not recorded, shown in the papers as yellow '[not recorded: ...]' markers",
        ("Not recorded", "Where to fill it in", "In"),
        [(m.label, m.where, "; ".join(m.papers)) for m in missing],
    )
    print("Fill them in and run the command again, or complete the documents in Word.")
