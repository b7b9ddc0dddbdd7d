"""Printing for the commands: tables an officer can read, JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def console() -> Any:
    """Return a rich console: coloured on a terminal, wide plain text when the output is a file."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(width=200, no_color=True, highlight=False, soft_wrap=False)


def print_table(
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    styles: Sequence[str | None] = (),
    no_wrap: Sequence[str] = (),
) -> None:
    """Print rows under headers; ``styles`` gives each row a rich style (ignored off a terminal).

    Columns named in ``no_wrap`` (dates, statuses) are never broken over lines.
    """
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    # Cell text is the officer's own ("[not recorded: ...]", "[bodies]"): never rich markup.
    table = Table(title=escape(title) if title else None, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    for header in headers:
        table.add_column(header, overflow="fold", no_wrap=header in no_wrap)
    for i, row in enumerate(rows):
        table.add_row(*("" if v is None else escape(str(v)) for v in row), style=styles[i] if i < len(styles) else None)
    console().print(table)


def today_from(args: Any) -> date:
    """Return the date a command works as of: ``--today`` when given (dd/mm/yyyy or ISO), else today."""
    from caseforms.dates import parse_date

    given = getattr(args, "today", None)
    return parse_date(given, "--today") if given else date.today()
