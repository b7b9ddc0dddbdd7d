"""Compare two workbooks as an officer would see them: every cell's value and look, rows, columns, tables, print set-up.

Run: python bench/compare_xlsx.py BEFORE.xlsx AFTER.xlsx   (prints the differences; exit 1 when there are any)
Used to check that a change to how a workbook is written changes nothing in what it holds.
"""

from __future__ import annotations

import sys

from openpyxl import load_workbook


def _look(cell: object) -> tuple[object, ...]:
    c = cell  # type: ignore[assignment]
    return (c.value, c.data_type, c.number_format, c.font.b, c.font.color.rgb if c.font.color else None,  # type: ignore[attr-defined]
            c.alignment.wrap_text, c.alignment.vertical, c.alignment.horizontal,  # type: ignore[attr-defined]
            c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None, c.border.left.style)  # type: ignore[attr-defined]


def differences(before: str, after: str, most: int = 20) -> list[str]:
    """Return up to ``most`` differences between the workbooks at ``before`` and ``after``."""
    a, b = load_workbook(before), load_workbook(after)
    found: list[str] = []
    if a.sheetnames != b.sheetnames:
        found.append(f"sheets {a.sheetnames} != {b.sheetnames}")
    if sorted(a.defined_names) != sorted(b.defined_names):
        found.append("defined names differ")
    for name in a.sheetnames:
        if name not in b.sheetnames:
            continue
        x, y = a[name], b[name]
        checks = {
            "dimensions": (x.dimensions, y.dimensions),
            "tables": (dict(x.tables.items()), dict(y.tables.items())),
            "freeze": (x.freeze_panes, y.freeze_panes),
            "print area": (x.print_area, y.print_area),
            "print titles": (x.print_title_rows, y.print_title_rows),
            "page": ((x.page_setup.orientation, x.page_setup.paperSize, x.page_setup.fitToWidth),
                     (y.page_setup.orientation, y.page_setup.paperSize, y.page_setup.fitToWidth)),
            "header": (x.oddHeader.center.text, y.oddHeader.center.text),
            "conditional formats": ([(str(r.sqref), [(c.formula, c.stopIfTrue) for c in r.rules])
                                     for r in x.conditional_formatting],
                                    [(str(r.sqref), [(c.formula, c.stopIfTrue) for c in r.rules])
                                     for r in y.conditional_formatting]),
            "columns": ({k: (d.width, d.hidden) for k, d in x.column_dimensions.items()},
                        {k: (d.width, d.hidden) for k, d in y.column_dimensions.items()}),
            "rows": ({k: d.height for k, d in x.row_dimensions.items() if d.height},
                     {k: d.height for k, d in y.row_dimensions.items() if d.height}),
            "charts": (len(x._charts), len(y._charts)),
        }
        for what, (p, q) in checks.items():
            if p != q:
                found.append(f"{name}: {what} differ: {str(p)[:200]} != {str(q)[:200]}")
        for row_x, row_y in zip(x.iter_rows(), y.iter_rows(), strict=False):
            for c, d in zip(row_x, row_y, strict=False):
                if _look(c) != _look(d):
                    found.append(f"{name}!{c.coordinate}: {_look(c)} != {_look(d)}")
                    if len(found) >= most:
                        return found
    return found


if __name__ == "__main__":
    diffs = differences(sys.argv[1], sys.argv[2])
    print("\n".join(diffs) or "the same")
    sys.exit(1 if diffs else 0)
