"""`caseforms deadlines`, `workdays`, `profiles` as an officer or a script runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from caseforms.cli import build_parser, main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadlines_table_reads_right(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "deadlines", "--profile", "national", "--event", "aware=20/12/2024", "--today", "2024-12-27"
    )
    assert code == 0
    line = next(line for line in out.splitlines() if "Local authority notifies" in line)
    assert "within 5 working days of becoming aware" in line
    assert "Tue 31/12/2024" in line
    assert "due soon" in line
    assert "2.1 Duty to notify" in out or "Children Act 2004" in out


def test_deadlines_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "deadlines", "--profile", "kirklees", "--event", "aware=2024-12-20", "--event", "notified=2024-12-31",
        "--today", "2025-01-02", "--json",
    )
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["la_notification"]["status"] == "met"
    assert rows["rapid_review_submission"]["due"] == "2025-01-15"
    assert rows["ecase_referral"]["status"] == "not yet anchored"
    for r in rows.values():
        assert {"id", "label", "due", "status"} <= set(r)


def test_hour_rules_show_the_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", "--profile", "kirklees", "--event", "incident=01/03/2025 14:30", "--json")
    assert code == 0
    assert {r["id"]: r for r in json.loads(out)}["ecase_referral"]["due"] == "2025-03-02T14:30"


def test_workdays(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "workdays", "2024-12-20", "5")[1].strip() == "2024-12-31"
    assert run(capsys, "workdays", "03/01/2025", "-5")[1].strip() == "2024-12-24"


def test_profiles_lists_what_each_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profiles")
    assert code == 0
    assert "kirklees: Kirklees Safeguarding Children Partnership (KSCP) (extends national)" in out
    assert "replaces rapid_review_submission: within 15 working days of becoming aware" in out
    code, out, _ = run(capsys, "profiles", "--json")
    assert [p["name"] for p in json.loads(out)] == ["national", "cumbria", "kent", "kirklees", "lincolnshire"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadlines", "--profile", "york"], "Unknown profile 'york'"),
        (["deadlines", "--event", "seen=2024-12-01"], "Unknown event 'seen'"),
        (["deadlines", "--event", "aware=31/02/2025"], "'31/02/2025' is not a real date"),
        (["deadlines", "--event", "aware=12/31/2024"], "looks like a US date"),
        (["deadlines", "--event", "aware=2024-12-31", "--event", "notified=2024-12-01"], "is before local authority became aware"),
        (["deadlines", "--event", "aware"], "must be KEY=DATE"),
        (["deadlines", "--event", "aware=2024-12-01", "--event", "aware=2024-12-02"], "given twice"),
        (["deadlines", "--flag", "homocide"], "Unknown --flag 'homocide'"),
        (["workdays", "2024-02-30", "5"], "not a real date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert err.startswith("caseforms: ")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


def test_every_command_has_help_text() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    for name, sub in commands.choices.items():  # type: ignore[union-attr]
        assert sub.description, f"'caseforms {name}' has no description"
    helps = {a.dest: a.help for a in commands._choices_actions}  # type: ignore[attr-defined]
    assert all(helps.values()), helps


def test_installed_command_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "caseforms", "workdays", "2022-09-16", "1"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "2022-09-20")


def test_tables_print_square_brackets_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.cli._output import print_table

    print_table("Case [A]", ("Field",), [("[not recorded: date of birth]",)])
    out = capsys.readouterr().out
    assert "[not recorded: date of birth]" in out and "Case [A]" in out


def _commands() -> list[tuple[str, Any]]:
    """Return every command and subcommand's parser, by its full name ("chronology merge")."""
    import argparse

    found: list[tuple[str, Any]] = []

    def walk(parser: Any, name: str) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found.append((name, parser))
        for action in subs:
            for sub_name, sub in action.choices.items():
                walk(sub, f"{name} {sub_name}".strip())

    walk(build_parser(), "")
    return found


#: The commands whose result does not depend on the date they run.
# A timeline draws the master as it stands; who is called what, and what is left in a file, do not depend on the day.
_DATELESS = {"workdays", "profiles", "init", "templates fields", "templates check", "excel", "chronology timeline",
             "publication glossary", "publication check"}


def test_every_command_has_an_example_and_today_where_the_date_matters_and_one_name_for_a_register() -> None:
    for name, parser in _commands():
        assert "Example" in (parser.epilog or ""), f"'caseforms {name}' has no example in its help"
        options = {o for a in parser._actions for o in a.option_strings}
        assert name in _DATELESS or "--today" in options, f"'caseforms {name}' has no --today"
        positional = [a.metavar for a in parser._actions if not a.option_strings and a.dest != "help"]
        assert "WORKBOOK" not in positional, f"'caseforms {name}' calls the register WORKBOOK"
    validate = dict(_commands())["validate"]
    assert [a.metavar for a in validate._actions if not a.option_strings] == ["REGISTER"]


def test_deadlines_help_names_every_event_and_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from caseforms.events import EVENTS
    from caseforms.profile import FLAGS

    with pytest.raises(SystemExit):
        main(["deadlines", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert [e for e in EVENTS if e not in text] == []
    assert [f for f in FLAGS if f not in text] == []
