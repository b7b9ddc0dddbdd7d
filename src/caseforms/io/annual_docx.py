"""The annual report's extract as a Word document, and the Case Review Tracker CSV for health partners.

The template is laid out with the same builder as the case papers and lives in ``templates/`` beside them,
so a partnership restyles it the same way. Its charts are Word's own (:mod:`caseforms.io.docx_chart`): no
plotting library. Rebuild the template with ``python -m caseforms.io.annual_docx``.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from caseforms.io.docx_chart import BarChart, Series
from caseforms.io.docx_render import Rendered, render, template_path
from caseforms.io.template_builder import Builder
from caseforms.papers.fields import ANNUAL_REPORT

#: The colour of a one-series bar (the builder's navy).
_BAR = "1F3864"


def _counts_table(b: Builder, key: str, heading: str, none: str) -> None:
    b.tag(f"{{%p if year.{key} %}}")
    b.grid((heading, "Number"), ("{{ x.label }}", "{{ x.count }}"), loop=f"x in year.{key}", shares=(0.8, 0.2), size=9.5)
    b.tag("{%p else %}")
    b.para(none, italic=True, size=9.5)
    b.tag("{%p endif %}")


def annual_report_layout(b: Builder) -> None:
    """Lay out the annual report's extract: the figures first, then each timescale, themes, actions."""
    b.doc.add_paragraph(b.title, style="Title")
    b.para("{{ partnership.name }}: {{ year.described }}", bold=True, size=12)
    b.para("Figures to {{ year.as_of }}, counted by caseforms from the case register and the actions tracker on "
           "{{ document.date }}. Only counts and case references: no child is named. Version {{ document.version }}, "
           "{{ document.status }}; {{ document.author }}.", size=9)
    b.heading("The year in numbers")
    b.grid(("Referrals", "Notifications to the National Panel", "Rapid Reviews sent to the Panel", "LCSPRs decided",
            "LCSPRs published", "LCSPRs in progress at the end"),
           ("{{ year.referrals }}", "{{ year.notifications }}", "{{ year.rapid_reviews }}", "{{ year.lcsprs_decided }}",
            "{{ year.lcsprs_published }}", "{{ year.lcsprs_in_progress }}"), size=10)
    b.para("Each is counted by its own date: a referral received in the year, a notification made in it, a Rapid Review "
           "sent to the National Panel in it. {{ year.converted }} of the year's Rapid Reviews became an LCSPR. "
           "{{ year.cases }} cases had a step in the year: the themes below count each of them once.", size=9.5)
    b.heading("Referrals and decisions", 2)
    _counts_table(b, "pathways", "Pathway asked for", "No referral was received in the year.")
    _counts_table(b, "decisions", "The Executive's decision", "No decision was made in the year.")
    _counts_table(b, "rr_outcomes", "Rapid Review outcome", "No Rapid Review was sent to the National Panel in the year.")
    b.heading("Statutory timescales")
    b.para("Each step done in the year, and each step due in the year and not done by its end. Due dates are "
           "counted as the guidance counts them (working days leave out weekends, bank holidays and closure days).",
           size=9.5)
    b.tag("{%p for t in year.timescales %}")
    b.heading("{{ t.title }}", 2)
    b.para("{{ t.met }} of {{ t.counted }} in time ({{ t.percent }}). Rule: {{ t.rule }} ({{ t.source }}).", size=10)
    b.tag("{%p if t.late %}")
    b.grid(("Case", "Due", "Done", "Outcome", "Reason recorded"),
           ("{{ m.case_ref }}", "{{ m.due }}", "{{ m.done }}", "{{ m.outcome }}", "{{ m.reason }}"),
           loop="m in t.late", shares=(0.18, 0.12, 0.12, 0.14, 0.44), size=9)
    b.tag("{%p else %}")
    b.para("None missed.", italic=True, size=9.5)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.heading("Themes of the year's cases")
    b.heading("Incident characteristics", 2)
    b.para("{{ characteristics_chart }}")
    _counts_table(b, "characteristics", "Characteristic (all that apply)", "No characteristic recorded.")
    b.heading("Ages and genders of the children", 2)
    b.para("{{ ages_chart }}")
    _counts_table(b, "ages", "Age at the incident", "No subject child recorded.")
    _counts_table(b, "genders", "Gender", "No subject child recorded.")
    b.heading("Agencies involved", 2)
    b.para("{{ agencies_chart }}")
    _counts_table(b, "agencies", "Agency (cases it was involved in)", "No agency recorded.")
    b.heading("Actions by agency")
    b.para("Every action of the tracker rated on {{ tracker.as_of }}: {{ tracker.total }} actions, {{ tracker.red }} "
           "overdue (Red), {{ tracker.amber }} at risk (Amber), {{ tracker.green }} on track (Green), {{ tracker.blue }} "
           "complete, evidenced and signed off (Blue).", size=10)
    b.para("{{ actions_chart }}")
    b.tag("{%p if tracker.agencies %}")
    b.grid(("Agency", "Total", "Open", "Red", "Amber", "Green", "Blue", "Updates overdue"),
           ("{{ a.agency }}", "{{ a.total }}", "{{ a.open }}", "{{ a.red }}", "{{ a.amber }}", "{{ a.green }}",
            "{{ a.blue }}", "{{ a.update_overdue }}"), loop="a in tracker.agencies",
           shares=(0.36, 0.08, 0.08, 0.08, 0.09, 0.09, 0.08, 0.14), size=9)
    b.tag("{%p else %}")
    b.para("No tracker was found beside the register, or it holds no action.", italic=True, size=9.5)
    b.tag("{%p endif %}")


def build_template(folder: Path) -> Path:
    """Write the annual report's template into ``folder``; return its path."""
    builder = Builder(ANNUAL_REPORT.title, paper=ANNUAL_REPORT.name)
    annual_report_layout(builder)
    return builder.save(folder, ANNUAL_REPORT.template)


def count_chart(title: str, counts: Sequence[tuple[str, int]], axis: str, what: str) -> BarChart:
    """Return a one-series bar chart of counts, the first on top (a bar chart is drawn from the bottom up)."""
    shown = list(reversed(counts)) or [("(none)", 0)]
    described = "; ".join(f"{label}: {n}" for label, n in counts) or "none"
    height = min(max(45.0, 7.5 * len(shown) + 25), 150)
    return BarChart(title, [label for label, _ in shown], [Series(what, _BAR, [n for _, n in shown])], axis,
                    f"Bar chart of {what.lower()}. {described}.", 160, height)


def write_report(year: Any, context: Mapping[str, Any], tracker: Any | None, out: Path,
                 own_templates: Path | None = None) -> Rendered:
    """Render the annual report's extract with its four charts to ``out``."""
    from caseforms.io.tracker_docx import agency_chart

    label = year.period.label
    images: dict[str, Any] = {
        "characteristics_chart": count_chart(f"Incident characteristics, {label}", year.characteristics, "Cases",
                                             "Cases").for_template,
        "ages_chart": count_chart(f"Age at the incident, {label}", year.ages, "Children", "Children").for_template,
        "agencies_chart": count_chart(f"Agencies involved, {label}", year.agencies, "Cases", "Cases").for_template,
    }
    if tracker is not None:
        images["actions_chart"] = agency_chart(tracker).for_template
    else:
        images["actions_chart"] = count_chart("Actions by agency", [], "Actions", "Actions").for_template
    return render(template_path(ANNUAL_REPORT, own_templates), context, out, ANNUAL_REPORT, images=images)


#: A text cell a spreadsheet would read as a formula when it opens a CSV: kept as text with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> str:
    """Return a value as the CSV holds it: dates as yyyy-mm-dd, text that looks like a formula made harmless."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_tracker_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], out: Path) -> Path:
    """Write the Case Review Tracker CSV (UTF-8 with a byte order mark, so Excel reads the dashes) through safe_write."""
    from caseforms.io.file_kinds import TRACKER_CSV
    from caseforms.io.safe_write import write_atomically

    def write(target: Path) -> None:
        with open(target, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([csv_value(row.get(c)) for c in columns])

    write_atomically(Path(out), write, kind=TRACKER_CSV)
    return Path(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the annual report's template: into the folder given, or the shipped ``templates/``."""
    from caseforms.resources import templates_dir

    args = list(sys.argv[1:] if argv is None else argv)
    print(build_template(Path(args[0]) if args else templates_dir()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
