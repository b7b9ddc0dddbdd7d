"""`caseforms demo [DIR]`: a working folder with fictional cases, to see the whole job in one go."""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Any

from caseforms.cli._output import today_from


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "demo",
        help="make a working folder with fictional cases, returns, papers and tracker, to see the whole job",
        description=(
            "Build a partnership's working folder, laid out as 'caseforms init' makes one, filled with entirely "
            "fictional data: a register with five cases at different stages (a referral awaiting the executive's "
            "decision, a case in Rapid Review, an LCSPR in progress with publication to come, a closed case, a care "
            "leaver's death notified for information) and a few mistakes for the "
            "checks to find; the chronology requests and the agencies' returns as agencies send them; the merged "
            "master chronology; every pack of papers; the actions tracker with its LIG and escalation reports; and "
            "the register's checks on its Checks sheet. Dates are relative to today (or --today), so the deadlines "
            "show met, due soon, upcoming and overdue. Runs offline; LibreOffice is needed only for --pdf. A folder "
            "that exists must be empty, or hold an earlier demo (replaced with --force)."
        ),
        epilog='Example: caseforms demo "caseforms demo" --today 03/03/2025',
    )
    p.add_argument("dir", metavar="DIR", nargs="?", default=None,
                   help="the folder to make (default: 'caseforms demo' in your Documents folder, or your home folder)")
    p.add_argument("--today", metavar="DATE", help="build the demo as of this date (dd/mm/yyyy) instead of today")
    p.add_argument("--force", action="store_true",
                   help="replace an earlier demo in DIR (only files the demo made and nobody changed are removed)")
    p.add_argument("--pdf", action="store_true",
                   help="also save the Rapid Review case's packs as PDF; needs LibreOffice")
    p.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from caseforms.demo.build import build_demo, default_folder
    from caseforms.io.docx_render import find_soffice

    today = today_from(args)
    folder = Path(args.dir) if args.dir else default_folder()
    pdf = bool(args.pdf)
    note = None
    if pdf and find_soffice() is None:
        pdf, note = False, "LibreOffice was not found, so no PDFs were made (--pdf); the Word papers are all there."
    result = build_demo(folder, today, force=args.force, pdf=pdf)
    _print(result, args, note)
    return 0


def _q(path: Path | str) -> str:
    text = str(path)
    return f'"{text}"' if any(ch in text for ch in " '&()") else text


def _print(result: Any, args: argparse.Namespace, note: str | None) -> None:
    from caseforms.demo import data
    from caseforms.register.folders import CASES_FOLDER

    folder = result.folder
    profile = result.profile
    print(f"Made a demonstration working folder: {folder}")
    print(f"  Entirely fictional (invented people, places and agencies; NHS numbers from the 999 test range), as of "
          f"{result.today:%d/%m/%Y}, with the '{profile.name}' profile ({profile.title}): it adds the executive's "
          "3 working days and the Rapid Review meeting window to the national timescales.")
    if result.replaced:
        print(f"  Replaced the earlier demo's {result.replaced} files.")
    print()

    # Keyed by resolved folders: the jobs name files by their full path, the officer may give a relative one.
    by_dir: dict[Path, list[Any]] = defaultdict(list)
    for m in result.made:
        by_dir[m.path.resolve().parent].append(m)
    width = 28
    print(f"{folder}/")
    for m in by_dir.get(folder.resolve(), []):
        print(f"  {m.path.name:<{width}}{m.what}")
    papers = folder.resolve() / "papers"
    if papers in by_dir:
        print(f"  {'papers/':<{width}}" + "; ".join(m.what for m in by_dir[papers]))
    print(f"  {CASES_FOLDER + '/':<{width}}one folder per case")
    for key, ref in result.refs.items():
        if key in data.YEAR_CASES:
            continue
        case = result.case_folder(key).resolve()
        print(f"    {ref + '/':<{width - 2}}{data.CASE_STAGES[key]}")
        requests = by_dir.get(case / "requests", [])
        if requests:
            agencies = sorted({m.what.split(": ")[0].removeprefix("chronology request to ") for m in requests})
            print(f"      {'requests/':<{width - 4}}workbook, letter and e-mail draft for each of {len(agencies)} "
                  f"agencies ({', '.join(agencies)})")
        imrs = case / "imrs"
        if imrs.is_dir():
            drafts = len(list(imrs.glob("*.eml")))
            print(f"      {'imrs/':<{width - 4}}IMR request for each of {drafts} agencies: letter, report template, "
                  "chronology workbook and e-mail draft")
        for m in by_dir.get(case / "returns", []):
            print(f"      returns/{m.path.name}")
            print(f"      {'':<{width - 4}}{m.what}")
        for m in by_dir.get(case, []):
            print(f"      {m.path.name:<{width - 4}}{m.what}")
        made = by_dir.get(case / "papers", [])
        if made:
            pdfs = sum(m.path.suffix == ".pdf" for m in made)
            documents = "document" if len(made) == 1 else "documents"
            print(f"      {'papers/':<{width - 4}}{len(made)} {documents}: " + "; ".join(result.packs.get(key, []))
                  + (f"; {pdfs} of them as PDF" if pdfs else ""))
        if key == "closed":
            print(f"      {'':<{width - 4}}(no papers: the case is closed)")
    year = sorted(ref for key, ref in result.refs.items() if key in data.YEAR_CASES)
    if year:
        print(f"    {'and ' + str(len(year)) + ' more':<{width - 2}}last year's cases ({', '.join(year)}), for the "
              f"annual report: caseforms report \"{folder / 'register.xlsx'}\" --year {result.today.year - 1}")
    print()

    rr = result.refs["rapid_review"]
    rr_case = result.case_folder("rapid_review")
    meeting_pack = next((m.path for m in result.made if m.path.resolve().parent == rr_case.resolve() / "papers"
                         and "rapid-review-meeting pack" in m.path.name), None)
    errors, warnings = result.counts.get("error", 0), result.counts.get("warning", 0)
    print("Open first:")
    print(f"  1. {folder / 'register.xlsx'}: the Cases sheet, deadlines in colour (red overdue, amber due soon, green "
          f"met); then the Checks sheet: {errors} error(s) and {warnings} warning(s), mistakes left in on purpose. "
          "With the xlwings add-in, its caseforms sheet runs every action from Excel (Run main).")
    if meeting_pack:
        print(f"  2. {rr_case / 'papers' / meeting_pack.name}: the Rapid Review meeting papers of {rr} (agenda, "
              "Terms of Reference, agency summaries, chronology). Yellow '[not recorded: ...]' markers show what the "
              "register does not hold yet.")
    master_errors = result.master_findings.get("error", 0)
    master_warnings = result.master_findings.get("warning", 0)
    print(f"  3. {rr_case / 'Master chronology.xlsx'}: {result.master_entries} entries from the agencies' returns, "
          f"one colour per agency; its Findings sheet lists {master_errors} error(s) and {master_warnings} "
          "warning(s) in the returns.")
    brag = result.brag
    print(f"  Then {folder / 'tracker.xlsx'}: {brag.get('Red', 0)} red, {brag.get('Amber', 0)} amber, "
          f"{brag.get('Green', 0)} green and {brag.get('Blue', 0)} blue actions, and the By agency chart.")
    if note:
        print(note)
    print()

    register = _q(folder / "register.xlsx")
    as_of = f" --today {args.today}" if args.today else ""
    print("What an officer runs to do the same with real cases:")
    for line in (
        f"caseforms init {_q(folder)} --profile {profile.name}",
        f"caseforms validate {register} --annotate{as_of}",
        f"caseforms deadlines {register}{as_of}",
        f"caseforms chronology request {register} --case {rr}",
        f"caseforms chronology status {register} --case {rr}{as_of}",
        f"caseforms chronology merge {_q(rr_case / 'returns')}",
        f"caseforms papers {register} --case {rr} --pack rapid-review-meeting{as_of}",
        f"caseforms lcspr status {register} --case {result.refs['lcspr']}{as_of}",
        f"caseforms tracker {_q(folder / 'tracker.xlsx')} --register {register} --escalations{as_of}",
    ):
        print(f"  {line}")
    print(f"Made in {result.seconds:.1f} s. '{folder / data.MARKER}' says what this folder is.")
