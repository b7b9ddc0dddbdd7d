"""`caseforms tracker`: refresh BRAG, write the LIG paper and the Executive's escalation report."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from caseforms.cli._output import today_from


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "tracker",
        help="refresh the actions tracker and write the LIG paper",
        description=(
            "Rate every action of the tracker (Blue complete, Green on track, Amber at risk, Red overdue), write "
            "the ratings and the By agency sheet with its chart into the workbook, check each action is SMART, "
            "and write the Learning and Improvement Group's report (.docx) with the same chart."
        ),
        epilog="Example: caseforms tracker tracker.xlsx --register register.xlsx --escalations",
    )
    p.add_argument("workbook", metavar="TRACKER", help="the tracker workbook (tracker.xlsx)")
    p.add_argument("--register", metavar="REGISTER",
                   help="the case register: check case references and mark cases whose action plan is complete")
    p.add_argument("--today", metavar="DATE", help="rate the actions as of this date instead of today")
    p.add_argument("--escalations", action="store_true", help="also write the Executive's escalation report")
    p.add_argument("--out", metavar="DIR", help="where to write the papers (default: a 'papers' folder beside the tracker)")
    p.add_argument("--author", default="", help="the officer named as the papers' author")
    p.add_argument("--import", dest="import_plan", metavar="DOCX",
                   help="first add the actions of a Word action plan (its table of actions) to the tracker; needs --case")
    p.add_argument("--case", metavar="REF", help="the case the imported actions belong to")
    p.add_argument("--source", choices=("Rapid Review", "LCSPR"), default="Rapid Review",
                   help="where the imported actions come from (default: Rapid Review)")
    p.add_argument("--json", action="store_true", help="print the result as JSON for scripts")
    p.set_defaults(run=run_tracker)


def run_tracker(args: argparse.Namespace) -> int:
    from caseforms.io.safe_write import lock_for
    from caseforms.io.tracker_xlsx import actions_of
    from caseforms.jobs import refresh_tracker
    from caseforms.register.findings import ERROR

    today = today_from(args)
    path = Path(args.workbook)
    register = Path(args.register) if args.register else None
    out = Path(args.out) if args.out else None
    imported: list[str] = []
    # The import and the refresh are one change of the tracker: no other caseforms command writes in between.
    with lock_for(path):
        if args.import_plan:
            imported = _import_plan(args, path, today, register, out)
        done = refresh_tracker(path, today, register_path=register, escalations=args.escalations, author=args.author,
                               out=out)
    state, findings = done.state, done.findings
    written = {what: str(where) for what, where in done.written.items()}

    if args.json:
        from caseforms.cli._output import print_json

        print_json({
            "as_of": today.isoformat(),
            "counts": state.counts,
            "agencies": [{"agency": a.agency, **{k: a.counts[k] for k in ("Red", "Amber", "Green", "Blue")},
                          "open": a.open, "total": a.total, "update_overdue": a.update_overdue} for a in state.agencies],
            "actions": [{"row": row.row, "action_id": row.get("action_id"), "case_ref": row.get("case_ref"),
                         "rag": rating.rag, "reason": rating.reason}
                        for row, (_, rating) in zip(actions_of(done.tracker), state.rated, strict=True)],
            "escalations": [v.get("action_id") for v, _ in state.escalations],
            "ready_to_close": state.ready_to_close,
            "issues": [f.to_dict() for f in findings],
            "imported": imported,
            "written": written,
            "redirected": done.saved.redirected_reason,
        })
    else:
        for line in imported:
            print(line)
        _print_summary(state, findings, written, done.saved.redirected_reason)
        if register is not None and "register" not in written:
            print(f"{register}: the 'RR action plan complete' column was already up to date; not rewritten.")
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _import_plan(args: argparse.Namespace, path: Path, today: date, register: Path | None, out: Path | None) -> list[str]:
    """Add the actions of a Word action plan to the tracker; return what was added and skipped, in words.

    Everything the refresh that follows writes is checked first, so a refusal (the register open
    in Excel, a read-only papers folder...) comes before the tracker is changed.
    """
    from caseforms.errors import EventError
    from caseforms.io import file_kinds
    from caseforms.io.action_plan_docx import read_action_plan
    from caseforms.io.safe_write import Target, check_writable
    from caseforms.io.tracker_xlsx import actions_of, append_actions, read_tracker
    from caseforms.jobs import PAPERS_FOLDER, REGISTER_EXAMPLE, TRACKER_EXAMPLE, refuse_wrong_workbook, tracker_paper_files
    from caseforms.tracker.importing import new_tracker_rows

    if not args.case:
        raise EventError("--import needs --case REF: the case the action plan belongs to.")
    refuse_wrong_workbook(path, file_kinds.TRACKER, "Actions", TRACKER_EXAMPLE)
    if register is not None:
        refuse_wrong_workbook(register, file_kinds.REGISTER, "Cases", REGISTER_EXAMPLE)
    papers = tracker_paper_files(today, out or path.parent / PAPERS_FOLDER, args.escalations)
    check_writable([Target(path, updating=True), *(Target(p, file_kinds.PAPER) for _, p in papers),
                    *([Target(register, updating=True)] if register is not None else [])])
    tracker, _ = read_tracker(path)
    planned = read_action_plan(Path(args.import_plan), today)
    if not planned:
        raise EventError(f"{args.import_plan} has no table of actions (a table headed Action and Owner agency).")
    rows, skipped = new_tracker_rows([p.values for p in planned], [r.values for r in actions_of(tracker)],
                                     args.case, args.source, today)
    notes = [f"{args.import_plan}, table row {p.row}: {problem}" for p in planned for problem in p.problems]
    if rows:
        saved = append_actions(path, tracker, rows)
        if saved.redirected_reason:
            notes.append(saved.redirected_reason)
    notes.insert(0, f"Imported {len(rows)} action(s) for {args.case} from {args.import_plan}"
                    + (f"; skipped {len(skipped)} already in the tracker." if skipped else "."))
    return notes + skipped


def _print_summary(state: Any, findings: list[Any], written: dict[str, str], redirected: str | None) -> None:
    from caseforms.cli._output import print_table
    from caseforms.dates import format_uk

    counts = state.counts
    print(f"Actions as of {format_uk(state.as_of)}: {counts['Red']} red, {counts['Amber']} amber, "
          f"{counts['Green']} green, {counts['Blue']} blue, {counts['Superseded']} superseded.")
    if state.agencies:
        print_table("By agency", ("Agency", "Red", "Amber", "Green", "Blue", "Open", "Updates overdue"),
                    [(a.agency, a.counts["Red"], a.counts["Amber"], a.counts["Green"], a.counts["Blue"], a.open,
                      a.update_overdue) for a in state.agencies])
    if state.escalations:
        print(f"{len(state.escalations)} action(s) to escalate to the Executive.")
    ready = [ref for ref, ok in state.ready_to_close.items() if ok]
    if ready:
        print(f"Rapid Review action plan complete, case can close: {', '.join(sorted(ready))}.")
    if findings:
        print_table(f"{len(findings)} problem(s) to put right", ("Where", "Severity", "Problem", "How to fix"),
                    [(f.where, f.severity, f.message, f.fix) for f in findings])
    if redirected:
        print(redirected)
    for what, where in written.items():
        print(f"Wrote {what.replace('_', ' ')}: {where}")
