"""The `caseforms` command: parse the arguments, call the library, print, exit.

Each group of commands lives in its own module with a ``register(subparsers)`` function; heavy
libraries (openpyxl, docxtpl, xlwings) are imported inside the commands that need them, so that
`caseforms --help` and every click from Excel start quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from caseforms import __version__
from caseforms.errors import CaseformsError

#: Modules under caseforms.cli that add commands, in the order `caseforms --help` lists them.
COMMAND_MODULES = ("demo", "timescales", "register", "chronology", "templates", "tracker", "papers", "lcspr",
                   "publication", "report", "excel")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseforms",
        description=(
            "Run a Safeguarding Children Partnership's serious incident process from its Excel "
            "workbooks: statutory deadlines, the case register, chronologies and papers."
        ),
        epilog="Run 'caseforms COMMAND --help' for the options of each command.",
    )
    parser.add_argument("--version", action="version", version=f"caseforms {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    commands.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"caseforms.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 done, 1 findings, 2 the input was wrong)."""
    from caseforms.io.start_up import skip_numpy_for_openpyxl

    skip_numpy_for_openpyxl()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CaseformsError as e:
        print(f"caseforms: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("caseforms: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
