"""`caseforms papers REGISTER --case REF [--pack NAME]`: a case's papers, filled from the register."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseforms.cli._output import today_from

if TYPE_CHECKING:
    from caseforms.jobs import NotRecorded, PaperMade, PapersMade

#: Said once, when a pack with a contents page was made: how its page numbers get filled in.
PAGE_NUMBERS = (
    "Contents pages: Word fills in the page numbers when you open a pack and answer Yes to updating its fields "
    "(or press Ctrl+A, then F9); the PDF (--pdf) has them already."
)


def register(commands: argparse._SubParsersAction) -> None:
    from caseforms.papers.fields import PACK_TITLES

    packs = "; ".join(f"{name} ({title})" for name, title in PACK_TITLES.items())
    p = commands.add_parser(
        "papers",
        help="make a case's papers (forms, Terms of Reference, reports, letters) from the register",
        description=(
            "Fill the Word templates with what the register records about one case, and the case's master "
            "chronology when there is one (cases/<reference>/Master chronology.xlsx). Without --pack, the papers "
            "the case needs at its stage, as Excel's 'Make the papers for the case's stage' makes them. Each paper "
            "is written to the case's papers folder (cases/<reference>/papers beside the register) as "
            "'<reference> <paper> v<version> <date>.docx', and a pack of several papers also as one combined "
            "document with a contents page. A paper you have edited in Word is never replaced: the next version "
            "is written beside it (1.0, 1.1 ...), with what you wrote in its sections carried in; a paper nothing "
            "has changed for is kept as it is. What the register does not record is shown as a yellow "
            f"'[not recorded: ...]' marker and listed with where to fill it in. Packs: {packs}."
        ),
        epilog="Example: caseforms papers register.xlsx --case SCP-2025-014 --pack rapid-review-meeting --pdf",
    )
    p.add_argument("register", metavar="REGISTER", help="the case register (.xlsx)")
    p.add_argument("--case", required=True, metavar="REF", help="the case reference, as in the Cases sheet")
    p.add_argument("--pack", choices=list(PACK_TITLES), metavar="NAME",
                   help=f"the papers to make: {', '.join(PACK_TITLES)}; without it, those of the case's stage")
    p.add_argument("--out", metavar="DIR", help="write the papers here instead of cases/<reference>/papers")
    p.add_argument("--pdf", action="store_true",
                   help="also save each pack (or a single paper) as PDF; needs LibreOffice")
    p.add_argument("--today", metavar="DATE", help="date the papers as of this day (dd/mm/yyyy) instead of today")
    p.add_argument("--chronology", metavar="MASTER.xlsx",
                   help="the master chronology to use, when it is not cases/<reference>/Master chronology.xlsx")
    p.add_argument("--profile", help="use this profile instead of the one the register records")
    p.add_argument("--anonymised", "--for-publication", action="store_true", dest="anonymised",
                   help="make the papers for publication instead: every person called as the case's Glossary sheet "
                        "says ('Child R', 'Mother', 'Police Officer 2'), dates of birth, NHS numbers, addresses and "
                        "schools taken out, file names ending '(for publication)'; then check them, and exit with "
                        "status 2 while any identifier is left (see 'caseforms publication')")
    p.add_argument("--json", action="store_true", help="print what was written and what is not recorded as JSON")
    p.set_defaults(run=run_papers)


def run_papers(args: argparse.Namespace) -> int:
    from caseforms.io.safe_write import lock_for
    from caseforms.jobs import make_papers, make_stage_papers

    today = today_from(args)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        from caseforms.errors import WorkbookError

        raise WorkbookError(f"--out {out} is a file, not a folder: give the folder to write the papers into. "
                            "Nothing was written.")
    options: dict[str, Any] = {"out": out, "pdf": args.pdf,
                               "chronology": Path(args.chronology) if args.chronology else None,
                               "profile_ref": args.profile, "anonymised": args.anonymised}
    root = Path(args.register).resolve().parent
    # One lock for the whole pack: no other caseforms command writes in the working folder meanwhile.
    lock = lock_for(out / "paper" if out else Path(args.register))
    if args.pack:
        with lock:
            made = make_papers(Path(args.register), args.case, args.pack, today, **options)
        if args.json:
            from caseforms.cli._output import print_json

            print_json(_report(made, today))
            return _publication_status(made.remaining)
        _print_pack(made, root)
        _print_missing(made.not_recorded, any(m.name == "pack" for m in made.made))
        _refuse_if_not_ready(made.remaining)
        return 0
    with lock:
        stage = make_stage_papers(Path(args.register), args.case, today, **options)
    if args.json:
        from caseforms.cli._output import print_json

        print_json({"case": stage.case_ref, "stage": stage.stage, "today": today.isoformat(),
                    "packs": [_report(m, today) for m in stage.packs]})
        return max([0, *(_publication_status(m.remaining) for m in stage.packs)])
    if not stage.packs:
        print(f"Case {stage.case_ref} is {stage.stage}: it needs no papers now. Name a pack with --pack to make one.")
        return 0
    print(f"Case {stage.case_ref}: {stage.stage}. The papers it needs now:")
    for made in stage.packs:
        _print_pack(made, root)
    missing: dict[str, NotRecorded] = {}
    for made in stage.packs:
        for item in made.not_recorded:
            entry = missing.setdefault(item.label, item)
            entry.papers = list(dict.fromkeys([*entry.papers, *item.papers]))
    _print_missing(list(missing.values()), any(m.name == "pack" for p in stage.packs for m in p.made))
    if args.anonymised:
        _refuse_if_not_ready([r for p in stage.packs for r in p.remaining or []])
    return 0


def _report(made: PapersMade, today: Any) -> dict[str, Any]:
    pack = next((m for m in made.made if m.name == "pack"), None)
    return {
        "case": made.case_ref, "pack": made.pack, "profile": made.profile.name, "today": today.isoformat(),
        "folder": str(made.folder),
        "papers": [_paper(m) for m in made.made if m.name != "pack"],
        "pack_document": str(made.pack_document) if made.pack_document else None,
        "pack_made": _paper(pack) if pack else None,
        "pdf": str(made.pdf) if made.pdf else None,
        "master_chronology": str(made.master_chronology) if made.master_chronology else None,
        "chronology_rows": made.chronology_rows,
        "tracker": str(made.tracker) if made.tracker else None,
        "actions": made.actions,
        "not_recorded": [{"label": m.label, "where": m.where, "papers": m.papers} for m in made.not_recorded],
        **({} if made.remaining is None else {"ready_for_publication": not made.remaining,
                                              "remaining": [r.__dict__ for r in made.remaining]}),
    }


def _publication_status(remaining: Any) -> int:
    """Return the exit status of papers for publication: 2 while an identifier is left in them, else 0."""
    return 2 if remaining else 0


def _refuse_if_not_ready(remaining: Any) -> None:
    """Say the papers for publication are ready, or list what is left in them and refuse (exit status 2)."""
    from caseforms.cli.publication import refuse_if_not_ready

    if remaining is None:
        return
    refuse_if_not_ready(remaining, "the papers for publication")
    print("Ready for publication: the publication check found no name, date of birth, NHS number, address, postcode "
          "or school in these papers.")


def _paper(m: PaperMade) -> dict[str, Any]:
    return {"paper": m.name, "title": m.title, "path": str(m.path), "version": m.version, "action": m.action,
            "previous": str(m.previous) if m.previous else None, "carried": m.carried, "notes": m.notes}


def _said(m: PaperMade) -> str:
    """Return what making a paper did, in the officer's words."""
    from caseforms.papers.versions import KEPT, NEW, NEXT_VERSION

    if m.action == NEW:
        said = "new"
    elif m.action == KEPT:
        said = "kept as it is: nothing it shows has changed in the register"
    elif m.action == NEXT_VERSION:
        said = (f"new version: {m.previous.name if m.previous else 'the earlier one'} was edited since caseforms "
                "made it, and is left exactly as it was")
    else:
        said = "made again in place of caseforms' own earlier copy (moved to backups/)"
    if m.carried:
        said += f"; carried from what you wrote: {', '.join(m.carried)}"
    return said


def _print_pack(made: PapersMade, root: Path) -> None:
    from caseforms.io.master_read import master_chronology_path
    from caseforms.papers.fields import PACK_TITLES

    print(f"Papers for case {made.case_ref} ({made.pack} pack, {PACK_TITLES[made.pack]}) in {made.folder}:")
    for m in made.made:
        extra = "  (all of them, with a contents page)" if m.name == "pack" else ""
        print(f"  {m.path.name}{extra}")
        print(f"      {_said(m)}")
        for note in m.notes:
            print(f"      Note: {note}.")
    if made.pdf:
        print(f"  {made.pdf.name}")
    if made.master_chronology:
        print(f"  Master chronology: {made.chronology_rows} entries from {made.master_chronology}.")
    else:
        print(f"  No master chronology yet (looked for {master_chronology_path(root, made.case_ref)}); "
              "the papers say so.")


def _print_missing(missing: Sequence[NotRecorded], packs: bool) -> None:
    from caseforms.cli._output import print_table

    if packs:
        print(PAGE_NUMBERS)
    if not missing:
        print("Everything the papers ask for is recorded.")
        return
    print_table(
        f"{len(missing)} thing(s) not recorded, shown in the papers as yellow '[not recorded: ...]' markers",
        ("Not recorded", "Where to fill it in", "In"),
        [(m.label, m.where, "; ".join(m.papers)) for m in missing],
    )
    print("Fill them in and run the command again, or write them in the papers in Word: what you write in a paper's "
          "sections is kept when it is made again.")
