"""The tracker's Word papers: the LIG report and the Executive's escalation report.

The templates are laid out with the same builder as the case papers (heading styles, repeated
table headers, "Page X of Y", OFFICIAL-SENSITIVE) and live in ``templates/`` beside them, so a
partnership restyles them the same way. The chart is the one the workbook shows, as Word's own
chart (:mod:`caseforms.io.docx_chart`): no plotting library is needed.

Rebuild the two templates with ``python -m caseforms.io.tracker_docx``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from caseforms.io.docx_chart import BarChart, Series
from caseforms.io.docx_render import Rendered, render, template_path
from caseforms.io.template_builder import Builder
from caseforms.papers.fields import AGENCY_FIELDS, ESCALATIONS, LIG_REPORT, TRACKER_PAPERS, TrackerPaper
from caseforms.tracker.report import TrackerState
from caseforms.tracker.rules import AMBER, BLUE, GREEN, RED


def _report_line(b: Builder) -> None:
    # One line, not a box: the first page is for the figures and the chart.
    b.para("{{ partnership.name }} · actions rated on {{ tracker.as_of }} · author: {{ document.author }} · version "
           "{{ document.version }}, {{ document.status }} · {{ document.marking }}", size=9)


def _action_grid(b: Builder, group: str, with_reason: bool = True) -> None:
    b.grid(("Action", "Case", "Action and recommendation", "Owner and lead", "Due", "Last update", "BRAG", "Why"),
           ("{{ x.action_id }}", "{{ x.case_ref }} ({{ x.source }})",
            "{{ x.action }}\n{{ x.recommendation }}", "{{ x.owner_agency }}\n{{ x.lead }}", "{{ x.due }}",
            "{{ x.progress }}", "{{ x.rag }}", "{{ x.reason }}" if with_reason else ""),
           loop=f"x in tracker.{group}", shares=(0.07, 0.11, 0.27, 0.14, 0.08, 0.16, 0.06, 0.11), size=8.5)


def _listed(b: Builder, group: str, none: str) -> None:
    b.tag(f"{{%p if tracker.{group} %}}")
    _action_grid(b, group)
    b.tag("{%p else %}")
    b.para(none)
    b.tag("{%p endif %}")


def lig_report_layout(b: Builder) -> None:
    b.doc.add_paragraph(b.title, style="Title")
    b.para("For the {{ bodies.learning_group }}", bold=True, size=12)
    _report_line(b)
    b.heading("Summary")
    b.grid(("Actions", "Red: overdue", "Amber: at risk", "Green: on track", "Blue: complete", "Updates overdue",
            "No due date", "Superseded"),
           ("{{ tracker.total }}", "{{ tracker.red }}", "{{ tracker.amber }}", "{{ tracker.green }}",
            "{{ tracker.blue }}", "{{ tracker.updates_overdue }}", "{{ tracker.no_due_date|length }}",
            "{{ tracker.superseded }}"), size=10)
    b.para("Updates are due every {{ tracker.update_interval }} months. Cases whose Rapid Review action plan is "
           "complete and can be closed: {{ tracker.ready_to_close }}.", size=10)
    b.para("{{ chart }}")
    b.heading("Actions not on track (Red and Amber), and why")
    _listed(b, "not_on_track", "None: every open action is on track.")
    b.heading("Actions with no due date (SMART: Timed)")
    b.tag("{%p if tracker.no_due_date %}")
    b.para("An action without a due date cannot be tracked or escalated. Agree a date with each owner.")
    _action_grid(b, "no_due_date")
    b.tag("{%p else %}")
    b.para("None.")
    b.tag("{%p endif %}")
    b.heading("By agency")
    b.grid(("Agency", "Total", "Open", "Red", "Amber", "Green", "Blue", "Updates overdue"),
           tuple(f"{{{{ a.{k} }}}}" for k in AGENCY_FIELDS), loop="a in tracker.agencies",
           shares=(0.36, 0.08, 0.08, 0.08, 0.09, 0.09, 0.08, 0.14), size=9)
    b.heading("Completed with evidence")
    b.tag("{%p if tracker.completed %}")
    b.grid(("Action", "Case", "Action", "Owner agency", "Evidence of completion"),
           ("{{ x.action_id }}", "{{ x.case_ref }}", "{{ x.action }}", "{{ x.owner_agency }}", "{{ x.evidence }}"),
           loop="x in tracker.completed", shares=(0.08, 0.12, 0.35, 0.15, 0.30), size=8.5)
    b.tag("{%p else %}")
    b.para("None yet.")
    b.tag("{%p endif %}")


def escalation_layout(b: Builder) -> None:
    b.doc.add_paragraph(b.title, style="Title")
    _report_line(b)
    b.para("Actions are escalated when they are past their due date, or when no update has been recorded for "
           "{{ tracker.update_interval }} months. Each owner agency is asked for an update and a revised date.")
    _listed(b, "escalations", "No action needs escalating.")


LAYOUTS = {LIG_REPORT.name: lig_report_layout, ESCALATIONS.name: escalation_layout}


def build_templates(folder: Path) -> list[Path]:
    """Write the tracker papers' templates into ``folder``; return the paths."""
    written = []
    for name, paper in TRACKER_PAPERS.items():
        # The title names the profile's own bodies ("Actions escalated to the KSCMP Executive"): a field.
        builder = Builder("{{ document.title }}", landscape=True)
        builder.doc.core_properties.title = paper.title
        LAYOUTS[name](builder)
        written.append(builder.save(folder, paper.template))
    return written


#: The bars' colours, as the tracker's own chart and fills show them.
BAR_COLOURS = {RED: "C00000", AMBER: "FFC000", GREEN: "70AD47", BLUE: "2E75B6"}
_BAR_LABELS = {RED: "Red: overdue", AMBER: "Amber: at risk", GREEN: "Green: on track", BLUE: "Blue: complete"}


def agency_chart(state: TrackerState) -> BarChart:
    """Return the actions by agency and BRAG status as a stacked horizontal bar chart, first agency on top."""
    agencies = list(reversed(state.agencies))  # a bar chart is drawn from the bottom up
    names = [a.agency for a in agencies] or ["(no actions)"]
    series = [Series(_BAR_LABELS[rag], BAR_COLOURS[rag], [a.counts[rag] for a in agencies] or [0])
              for rag in (RED, AMBER, GREEN, BLUE)]
    described = "; ".join(f"{a.agency}: {a.counts[RED]} red, {a.counts[AMBER]} amber, {a.counts[GREEN]} green, "
                          f"{a.counts[BLUE]} blue" for a in state.agencies) or "no actions"
    # Short enough to sit on the first page under the figures, tall enough for a bar per agency.
    height = max(50.0, 8.0 * len(names) + 30)
    return BarChart(f"Actions by agency, {state.as_of:%d/%m/%Y}", names, series, "Actions",
                    f"Stacked bar chart of the actions by agency and BRAG status. {described}.", 220, min(height, 95))


def write_paper(paper: TrackerPaper, context: Mapping[str, Any], state: TrackerState, out: Path,
                own_templates: Path | None = None) -> Rendered:
    """Render a tracker paper with its chart to ``out``."""
    return render(template_path(paper, own_templates), context, out, paper,
                  images={"chart": agency_chart(state).for_template})


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the tracker papers' templates: into the folder given, or the shipped ``templates/``."""
    from caseforms.resources import templates_dir

    args = list(sys.argv[1:] if argv is None else argv)
    for path in build_templates(Path(args[0]) if args else templates_dir()):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
