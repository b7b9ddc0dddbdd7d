"""`caseforms templates fields` and `caseforms templates check`: what the Word templates can use."""

from __future__ import annotations

import argparse
from pathlib import Path

from caseforms.errors import TemplateError


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "templates",
        help="the fields the Word templates can use, and a check of a partnership's own templates",
        description=(
            "The papers are filled from Word templates. 'fields' lists every field a template can use; "
            "'check' tells you which fields in your own templates caseforms does not fill."
        ),
    )
    sub = p.add_subparsers(title="commands", metavar="COMMAND", dest="templates_command")
    sub.required = True

    f = sub.add_parser(
        "fields",
        help="list every field of every paper (or of one) and what it holds",
        description=(
            "List the fields a paper's template can use, written as in the template: {{ child.name }}. "
            "'children[]' stands for each item of a list: {% for c in children %}{{ c.name }}{% endfor %}. "
            "Each paper's sections, the parts an officer writes in Word, are listed after its fields: each is a "
            "content control tagged caseforms:<paper>:<section>; keep the controls when you restyle a template, "
            "so that what is written in them is carried into the paper's next version."
        ),
        epilog="Example: caseforms templates fields --paper rr_terms_of_reference",
    )
    f.add_argument("--paper", metavar="NAME", help="only this paper (e.g. referral, rr_report); see the list")
    f.add_argument("--json", action="store_true", help="print JSON for scripts")
    f.set_defaults(run=run_fields)

    c = sub.add_parser(
        "check",
        help="find unknown or misspelt fields in your own templates (exit 1 when any)",
        description=(
            "Check every .docx in DIR: Jinja syntax errors and fields that caseforms does not fill, with "
            "the line (paragraph) where each is and a suggestion when it looks misspelt. A template named "
            "like a shipped one (e.g. partner_referral.docx) is checked against that paper's fields, any "
            "other against the fields of all papers. Exit status 1 when something is wrong."
        ),
        epilog='Example: caseforms templates check "S:/Reviews/templates"',
    )
    c.add_argument("folder", metavar="DIR", help="your partnership's templates folder (or one .docx)")
    c.add_argument("--json", action="store_true", help="print JSON for scripts")
    c.set_defaults(run=run_check)


def run_fields(args: argparse.Namespace) -> int:
    from caseforms.cli._output import print_json, print_table
    from caseforms.papers.fields import every_paper, section_tag

    known = every_paper()
    if args.paper and args.paper not in known:
        raise TemplateError(f"--paper '{args.paper}' is not a paper. Papers: {', '.join(known)}.")
    papers = [known[args.paper]] if args.paper else list(known.values())
    if args.json:
        print_json([
            {"paper": p.name, "title": p.title, "template": p.template, "about": p.about,
             "fields": [{"field": k, "holds": v} for k, v in p.fields.items()],
             "sections": [{"section": s.title, "tag": section_tag(p.name, s.key), "shows": s.field} for s in p.sections]}
            for p in papers
        ])
        return 0
    for p in papers:
        print_table(f"{p.title} ({p.name}, template {p.template}): {p.about}", ("field", "holds"), list(p.fields.items()))
        if p.sections:
            print_table(f"Sections of the {p.title} the officer writes in Word (kept when it is made again)",
                        ("section", "content control tag", "shows until written"),
                        [(s.title, section_tag(p.name, s.key), s.field) for s in p.sections])
    return 0


def run_check(args: argparse.Namespace) -> int:
    from caseforms.cli._output import print_json, print_table
    from caseforms.io.docx_render import check_template
    from caseforms.papers.fields import paper_for_template

    target = Path(args.folder)
    if target.is_file():
        files = [target]
    elif target.is_dir():
        files = sorted(p for p in target.glob("*.docx") if not p.name.startswith("~$"))
    else:
        raise TemplateError(f"{target} is neither a folder nor a .docx file. Give your templates folder.")
    if not files:
        raise TemplateError(f"{target} holds no .docx templates.")
    problems = [problem for path in files for problem in check_template(path, paper_for_template(path.name))]
    if args.json:
        print_json([
            {"template": p.template, "part": p.part, "line": p.line, "field": p.field, "message": str(p),
             "suggestion": p.suggestion}
            for p in problems
        ])
    elif problems:
        print_table(
            f"{len(problems)} problem(s) in {len({p.template for p in problems})} of {len(files)} template(s)",
            ("template", "line", "field", "problem", "did you mean"),
            [(p.template, p.line if p.part == "body" else f"{p.part} {p.line}", p.field, p.message, p.suggestion or "")
             for p in problems],
        )
    else:
        print(f"{len(files)} template(s) checked: every field is one caseforms fills.")
    return 1 if problems else 0
