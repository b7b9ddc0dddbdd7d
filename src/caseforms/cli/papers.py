"""`caseforms papers REGISTER --case REF --pack NAME`: a case's papers, filled from the register."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseforms.cli._output import today_from


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


@dataclass
class _Missing:
    """One thing not recorded, where to record it, and the papers that show its marker."""

    label: str
    where: str
    papers: list[str] = field(default_factory=list)


def run_papers(args: argparse.Namespace) -> int:
    from caseforms.io.docx_render import check_template, compose, render, template_path, to_pdf
    from caseforms.io.master_read import find_master_chronology, read_master_chronology
    from caseforms.io.register_xlsx import profile_for, read_register
    from caseforms.papers import context
    from caseforms.papers.fields import PACKS, PAPERS
    from caseforms.papers.from_register import case_file, find_case, where_to_record
    from caseforms.profile import load_profile
    from caseforms.register.folders import case_folder, folder_name

    today = today_from(args)
    register_path = Path(args.register)
    override = load_profile(args.profile) if args.profile else None
    reg = read_register(register_path, override)
    profile = profile_for(reg, override)
    case = find_case(reg, args.case)  # an unknown reference stops here, before anything is read or written
    root = register_path.resolve().parent

    master = Path(args.chronology) if args.chronology else find_master_chronology(root, case.ref)
    chronology = read_master_chronology(master) if master else []
    actions, tracker = _tracker_actions(root, profile)
    papers = PACKS[args.pack]
    # Every template is checked before anything is written, so a bad one never leaves half a pack.
    templates = {name: template_path(name, profile.templates_dir) for name in ("pack_contents", *papers)}
    problems = [p for name, path in templates.items() for p in check_template(path, PAPERS[name])]
    if problems:
        from caseforms.errors import TemplateError

        listed = "\n  ".join(str(p) for p in problems[:20])
        raise TemplateError(
            f"{len(problems)} problem(s) in the templates of the {args.pack} pack; nothing was written:\n  {listed}\n"
            "Correct them in Word (see 'caseforms templates fields'), or check them with 'caseforms templates check'."
        )

    caseinfo = case_file(reg, case.ref, chronology=chronology, actions=actions)
    out = Path(args.out) if args.out else case_folder(root, case.ref) / "papers"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{folder_name(case.ref)} "
    stamp = f" {today:%Y-%m-%d}"
    written: list[tuple[str, Path]] = []
    missing: dict[str, _Missing] = {}
    for name in papers:
        filled = context.build(name, caseinfo, profile, today)
        target = out / f"{stem}{folder_name(PAPERS[name].title)}{stamp}.docx"
        done = render(templates[name], filled.context, target, PAPERS[name])
        written.append((name, done.path))
        for label in done.missing:
            entry = missing.setdefault(label, _Missing(label, where_to_record(label, reg, case.ref)))
            entry.papers.append(PAPERS[name].title)

    pack_path: Path | None = None
    if len(papers) > 1:
        pack_path = out / f"{stem}{args.pack} pack{stamp}.docx"
        with tempfile.TemporaryDirectory(prefix="caseforms-pack-") as tmp:
            contents = render(templates["pack_contents"],
                              context.pack_contents(caseinfo, profile, args.pack, today).context,
                              Path(tmp) / "contents.docx", PAPERS["pack_contents"])
            compose([contents.path, *(path for _, path in written)], pack_path)
    pdf = to_pdf(pack_path or written[0][1]) if args.pdf else None

    report = {
        "case": case.ref, "pack": args.pack, "profile": profile.name, "today": today.isoformat(),
        "folder": str(out),
        "papers": [{"paper": name, "title": PAPERS[name].title, "path": str(path)} for name, path in written],
        "pack_document": str(pack_path) if pack_path else None,
        "pdf": str(pdf) if pdf else None,
        "master_chronology": str(master) if master else None,
        "chronology_rows": len(chronology),
        "tracker": str(tracker) if tracker else None,
        "actions": len(caseinfo.actions),
        "not_recorded": [{"label": m.label, "where": m.where, "papers": m.papers} for m in missing.values()],
    }
    if args.json:
        from caseforms.cli._output import print_json

        print_json(report)
        return 0
    _print_report(report, root, case.ref, list(missing.values()))
    return 0


def _tracker_actions(root: Path, profile: Any) -> tuple[list[dict[str, Any]], Path | None]:
    """Return the rows of the action tracker beside the register (tracker.xlsx), when there is one."""
    tracker = root / "tracker.xlsx"
    if not tracker.is_file():
        return [], None
    from caseforms.io.tracker_xlsx import actions_of, read_tracker

    rows, _ = read_tracker(tracker, profile)
    return [dict(row.values) for row in actions_of(rows)], tracker


def _print_report(report: dict[str, Any], root: Path, ref: str, missing: Sequence[_Missing]) -> None:
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
