"""Issue 16, hostile and accidental input: each fault reproduced as reported, each now a safe outcome.

The files are made at test time by tests/files/hostile/generators.py. Faults that killed or hung the
whole process (an abort in Rust, an endless loop) are run as the officer runs them, with
`python -m caseforms` in a process of its own, bounded in time and memory, so that a regression
fails the test instead of the test run.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from caseforms.cli import main
from caseforms.errors import FileTooLarge, TemplateError, WorkbookCorrupt
from caseforms.io import bounded
from caseforms.io.returns import merge_return_files, read_returns

_spec = importlib.util.spec_from_file_location("hostile", Path(__file__).parent / "files" / "hostile" / "generators.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

#: A faulty run may not take more than this: the faults used up 8 GB or hung for minutes.
MEMORY = 2 * 1024**3


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `caseforms ARGS` in its own process, as an officer does, within 2 GB and ``timeout`` seconds."""

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    try:
        return subprocess.run([sys.executable, "-m", "caseforms", *args], capture_output=True, text=True,
                              timeout=timeout, check=False, preexec_fn=limit if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"caseforms {' '.join(args)} was still running after {timeout:.0f} s")


def merged(folder: Path, tmp_path: Path, timeout: float = 120) -> dict[str, Any]:
    """Merge a folder of returns from the command line; return its JSON report (exit 0, no traceback)."""
    done = run("chronology", "merge", str(folder), "--output", str(tmp_path / "master.xlsx"), "--json",
               timeout=timeout)
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def issue(report: dict[str, Any], file: str) -> dict[str, Any]:
    found = [i for i in report["issues"] if i["file"] == file]
    assert len(found) == 1, report["issues"]
    return found[0]


def assert_one_line(stderr: str) -> str:
    """The command line's answer to bad input: one line, 'caseforms: ...', never a traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("caseforms: "), stderr
    return lines[0]


# -- item 6: workbooks that aborted, ate memory, hung or panicked --------------------------------------


def test_one_character_in_xfd1048576_is_a_finding_and_the_other_returns_merge(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    hostile.sound_return(returns)
    hostile.one_character_in_xfd1048576(returns)
    report = merged(returns, tmp_path)
    assert report["rows_merged"] == 2
    found = issue(report, "one_character_in_xfd1048576.xlsx")
    assert found["severity"] == "error"
    assert "sheet Chronology" in found["message"] and "XFD1048576" in found["message"]
    assert "Ctrl+End" in found["message"]


def test_one_character_in_xfd1048576_of_the_register_is_one_line_from_validate(tmp_path: Path) -> None:
    register = hostile.register_with_a_character_in_xfd1048576(tmp_path)
    done = run("validate", str(register))
    assert done.returncode == 2
    line = assert_one_line(done.stderr)
    assert "sheet Cases" in line and "XFD1048576" in line


def test_a_workbook_is_measured_once_for_its_bytes_and_again_when_they_change(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The same bytes read again (the demo reads its register six times) are not measured again; a file changed
    # since, to one with a character in XFD1048576, is measured afresh and refused.
    from caseforms.io import bounded

    measured: list[str] = []
    real = bounded._check_xlsx

    def counted(path: Path, z: Any, advice: str) -> None:
        measured.append(Path(path).name)
        real(path, z, advice)

    monkeypatch.setattr(bounded, "_check_xlsx", counted)
    monkeypatch.setattr(bounded, "_WITHIN_LIMITS", {})
    sound = hostile.sound_return(tmp_path / "returns")
    for _ in range(3):
        bounded.open_workbook(sound, advice="").close()
    assert measured == ["Police.xlsx"]
    shutil.copyfile(hostile.one_character_in_xfd1048576(tmp_path / "far"), sound)
    with pytest.raises(FileTooLarge, match="XFD1048576"):
        bounded.open_workbook(sound, advice="")
    assert measured == ["Police.xlsx", "Police.xlsx"]


def test_a_stray_cell_in_the_last_row_of_40_sheets_is_refused_without_using_gigabytes(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    hostile.sound_return(returns)
    path = hostile.stray_cell_in_last_row_of_40_sheets(returns)
    assert path.stat().st_size < 40_000
    report = merged(returns, tmp_path)
    assert report["rows_merged"] == 2
    message = issue(report, path.name)["message"]
    assert "million cells" in message and "C1048576" in message


def test_an_ods_cut_short_is_refused_at_once_instead_of_hanging(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    hostile.sound_return(returns)
    hostile.sound_ods(returns)
    hostile.ods_cut_short_between_rows(returns)
    report = merged(returns, tmp_path, timeout=60)
    assert report["rows_merged"] == 4  # the sound .ods is still read, in the worker
    assert "cut short" in issue(report, "ods_cut_short_between_rows.ods")["message"]


def test_a_reader_that_hangs_is_stopped_at_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The cut-short .ods is refused before any worker starts; given straight to the worker, it
    # loops for ever in calamine, so it shows the worker's own time limit.
    monkeypatch.setattr(bounded, "WORKER_BASE_SECONDS", 3.0)
    path = hostile.ods_cut_short_between_rows(tmp_path)
    with pytest.raises(WorkbookCorrupt, match=r"ods_cut_short_between_rows\.ods took more than 3 seconds"):
        bounded._open_in_worker(path, path.stat().st_size, advice="")


def test_a_damaged_xls_that_panics_calamine_is_a_finding(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    hostile.sound_return(returns)
    hostile.sound_xls(returns)
    hostile.xls_whose_sheet_lies_past_its_end(returns)
    report = merged(returns, tmp_path)
    assert report["rows_merged"] == 4
    found = issue(report, "xls_whose_sheet_lies_past_its_end.xls")
    assert found["severity"] == "error" and "is damaged" in found["message"]


def test_a_panic_never_escapes_to_the_caller(tmp_path: Path) -> None:
    # pyo3's PanicException is a BaseException: the Excel front end and `except Exception` missed it.
    path = hostile.xls_whose_sheet_lies_past_its_end(tmp_path)
    returns, findings = read_returns([path])
    assert returns == [] and findings[0].code == "unreadable_file"


def test_an_action_plan_that_unpacks_past_the_limit_is_refused_before_word_is_read(tmp_path: Path) -> None:
    plan = hostile.action_plan_that_unpacks_to_gigabytes(tmp_path, bounded.MAX_DOCX_PART_BYTES + 1)
    assert plan.stat().st_size < 1_000_000
    from caseforms.io.action_plan_docx import read_action_plan

    with pytest.raises(FileTooLarge, match=r"action_plan_that_unpacks_to_gigabytes\.docx: its part word/document\.xml"):
        read_action_plan(plan)


def test_an_action_plan_under_the_limit_is_read(tmp_path: Path) -> None:
    plan = hostile.action_plan_that_unpacks_to_gigabytes(tmp_path, 1000)
    from caseforms.io.action_plan_docx import read_action_plan

    assert [a.values["action"] for a in read_action_plan(plan)] == ["Review the plan"]


# -- item 9: tracebacks that become findings or one line ---------------------------------------------


@pytest.mark.parametrize(
    ("make", "read_as", "text"),
    [
        ("csv_with_utf8_mark_but_cp1252_bytes", "some characters in Windows-1252", "Fee of £20 paid; café visit"),
        ("csv_in_utf16_of_odd_length", "UTF-16, with damaged characters", "Visit to Child A"),
    ],
)
def test_a_csv_whose_encoding_is_mixed_merges_with_a_finding_saying_how_it_was_read(
    tmp_path: Path, make: str, read_as: str, text: str
) -> None:
    returns = tmp_path / "returns"
    hostile.sound_return(returns)
    path = getattr(hostile, make)(returns)
    master = merge_return_files([returns])
    assert master.rows_read == 4  # nothing lost: both rows of the CSV are merged
    assert any(text in " ".join(e.cells.values()) for e in master.entries)
    # (merged from anywhere, with no register: which agency sent it is a finding of its own)
    found = [f for f in master.findings if f.file == path.name and f.code != "agency_unknown"]
    assert [f.code for f in found] == ["csv_encoding_guessed"] and read_as in found[0].message


def test_chronology_status_reads_a_csv_whose_encoding_is_mixed(tmp_path: Path) -> None:
    from register_fixtures import good_case, write_register

    ref = "SCP-2025-001"
    write_register(tmp_path / "register.xlsx", "national", cases=[good_case(ref)])
    returns = tmp_path / "cases" / ref / "returns"
    hostile.csv_with_utf8_mark_but_cp1252_bytes(returns)
    hostile.csv_in_utf16_of_odd_length(returns)
    done = run("chronology", "status", str(tmp_path / "register.xlsx"), "--case", ref, "--today", "10/03/2025",
               "--json", "--no-log")
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert sorted(a["rows"] for a in report["agencies"]) == [2, 2]


def _as_another_user(work: Callable[[], Any]) -> Any:
    """Return ``work()`` run by a user other than root (root reads any file whatever its permissions)."""
    if os.geteuid() != 0:
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            os.setgid(65534)
            os.setuid(65534)
            result: Any = ("ok", work())
        except BaseException as e:
            result = ("raised", f"{type(e).__name__}: {e}")
        os.write(write, pickle.dumps(result))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        kind, value = pickle.loads(f.read())
    os.waitpid(pid, 0)
    assert kind == "ok", value
    return value


@pytest.mark.skipif(os.name != "posix", reason="file permissions as on Linux and macOS")
def test_a_return_the_officer_may_not_read_is_a_finding_and_the_others_merge() -> None:
    folder = Path(tempfile.mkdtemp(prefix="caseforms-permissions-"))
    try:
        folder.chmod(0o755)
        sound = hostile.sound_return(folder)
        csv = hostile.csv_with_utf8_mark_but_cp1252_bytes(folder)
        locked = hostile.sound_return(folder, "Health locked.xlsx")
        for path in (sound, csv):
            path.chmod(0o644)
        locked.chmod(0o000)
        read_returns([sound, csv])  # every reader imported before the user changes

        def merge() -> tuple[int, list[tuple[str, str, str]]]:
            master = merge_return_files([folder])
            # (merged with no register, so which agency sent each return is a finding of its own, left aside here)
            return master.rows_read, [(f.file, f.code, f.message) for f in master.findings
                                      if f.severity == "error" and f.code != "agency_unknown"]

        rows, errors = _as_another_user(merge)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert rows == 4
    assert len(errors) == 1 and errors[0][0] == "Health locked.xlsx"
    assert "permission" in errors[0][2]


def test_workdays_far_beyond_the_calendar_is_one_line() -> None:
    done = run("workdays", "01/01/2025", "100000000")
    assert done.returncode == 2
    assert "beyond 31/12/2200" in assert_one_line(done.stderr)


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("brace_in_a_label", hostile.milestone(label="Report to {panel"), "has a '{' on its own"),
        ("format_width_in_a_label", hostile.milestone(label="{partnership:>100000000}"), "only a body's name"),
        ("huge_count", hostile.milestone(amount=9223372036854775807), "far longer than any timescale"),
        ("huge_negative_count", hostile.milestone(unit="months", amount=-9223372036854775807), "far longer"),
        ("negative_days", hostile.milestone(unit="days", amount=-100000000), "far longer"),
        ("closure_of_a_century", "\n[[closure_days]]\nfrom = 2000-01-01\nto = 2100-12-31\n", "36,890 days long"),
    ],
)
def test_a_profile_that_cannot_work_is_one_line(tmp_path: Path, name: str, text: str, says: str) -> None:
    profile = hostile.profile(tmp_path, name, text)
    for args in (["deadlines", "--profile", str(profile), "--event", "aware=01/02/2025"],
                 ["workdays", "01/02/2025", "5", "--profile", str(profile)]):
        rc = _main_rc(args)
        assert rc[0] == 2
        assert says in rc[1] and f"{name}.toml" in rc[1]


def test_closures_covering_every_day_are_one_line(tmp_path: Path) -> None:
    profile = hostile.profile(tmp_path, "always_closed", hostile.closures_covering_every_day())
    done = run("workdays", "01/02/2025", "5", "--profile", str(profile))
    assert done.returncode == 2
    assert "closure days" in assert_one_line(done.stderr)
    rc, line = _main_rc(["deadlines", "--profile", str(profile), "--event", "aware=01/02/2025"])
    assert rc == 2 and "closure days" in line


def _main_rc(args: list[str]) -> tuple[int, str]:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            rc = main(args)
        except Exception as e:  # a traceback: the test says which
            return -1, f"{type(e).__name__}: {e}"
    return rc, assert_one_line(err.getvalue())


@pytest.mark.parametrize(
    ("name", "tag", "says"),
    [
        ("divides_by_zero", "{{ 1/0 }}", "line 3 ('{{ 1/0 }}'): division by zero"),
        ("includes_another_file", "{% include 'letterhead.docx' %}", "'{% include %}'"),
        ("counts_to_a_billion", "{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
        ("loops_inside_loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
         "repeats more than"),
        ("ten_billion_letters", "{{ 'a' * 10**10 }}", "'*' would make a value of 10,000,000,000"),
        ("doubles_a_text", "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
                           "{% endfor %}{{ ns.s|length }}", "over 20 million"),
        ("a_billion_wide", "{{ '{:>1000000000}'.format(1) }}", "width or precision"),
        ("calls_itself", "{% macro again(n) %}{{ again(n) }}{% endmacro %}{{ again(1) }}", "calls itself"),
    ],
)
def test_a_partnership_template_that_fails_or_runs_away_is_one_line_naming_it_and_the_tag(
    tmp_path: Path, name: str, tag: str, says: str
) -> None:
    from caseforms.io.docx_render import render

    template = hostile.template_with(tmp_path, name, tag)
    with pytest.raises(TemplateError) as caught:
        render(template, {}, tmp_path / "out.docx")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}.docx, line 3") and says in message  # line 1 is the document's start
    assert not (tmp_path / "out.docx").exists()


def test_a_template_filled_again_is_not_compiled_again_and_is_stopped_again(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The code of a template part is kept for the process; each paper still has its own budget of steps.
    from caseforms.io import template_sandbox
    from caseforms.io.docx_render import render

    compiled: list[str] = []
    real = template_sandbox.BoundedEnvironment.compile

    def counted(self: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(template_sandbox.BoundedEnvironment, "compile", counted)
    monkeypatch.setattr(template_sandbox, "_COMPILED", {})
    monkeypatch.setattr(template_sandbox, "MAX_STEPS", 10_000)
    runaway = hostile.template_with(tmp_path, "runaway", "{% for i in range(200) %}{% for j in range(100) %}"
                                                         "{% endfor %}{% endfor %}")
    per_render = []
    for n in range(2):
        compiled.clear()
        with pytest.raises(TemplateError, match="repeats more than"):
            render(runaway, {}, tmp_path / f"out {n}.docx")
        per_render.append(len(compiled))
    assert per_render[0] >= 1 and per_render[1] == 0
    fine = hostile.template_with(tmp_path, "fine", "{% for i in range(90) %}{% for j in range(100) %}"
                                                   "{% endfor %}{% endfor %}done")
    for n in range(3):  # 9,090 steps each: three would be past the limit if the budget were shared
        render(fine, {}, tmp_path / f"fine {n}.docx")


def test_a_template_within_the_limits_still_fills(tmp_path: Path) -> None:
    from docx import Document

    from caseforms.io.docx_render import render

    template = hostile.template_with(
        tmp_path, "fine", "{% for i in range(300) %}{% for j in range(300) %}{% endfor %}{% endfor %}"
                          "{{ ('ab' * 5)|center(14) }}|{{ '{:>4}'.format(7) }}|{{ 'x'|replace('x', 'yz') }}")
    render(template, {}, tmp_path / "out.docx")
    assert Document(str(tmp_path / "out.docx")).paragraphs[1].text == "  ababababab  |   7|yz"


# -- item 13: returns that were skipped without a word ----------------------------------------------


def test_template_flat_and_trailing_space_returns_are_read_or_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    returns = tmp_path / "returns"
    hostile.sound_return(returns)
    template = Workbook()
    template.active.title = "Chronology"
    for row in [hostile.HEADINGS, *hostile.ROWS]:
        template.active.append(row)
    template.template = True
    template.save(returns / "Health.xltx")
    hostile.sound_return(returns, "Housing.xlsx ", rows=[["04/02/2025", "Visit", "Housing officer visit"]])
    (returns / "Education.fods").write_text("<office:document/>", encoding="utf-8")
    (returns / "desktop.ini").write_text("[.ShellClassInfo]", encoding="utf-8")
    master = merge_return_files([returns])
    assert sorted({e.source_file for e in master.entries}) == ["Health.xltx", "Housing.xlsx ", "Police.xlsx"]
    assert master.rows_read == 5
    fods = [f for f in master.findings if f.file == "Education.fods"]
    assert len(fods) == 1 and "LibreOffice" in fods[0].message and "save it as .xlsx" in fods[0].message
    assert not [f for f in master.findings if f.file == "desktop.ini"]



def test_the_reading_worker_leaves_out_only_the_folder_it_starts_in(tmp_path: Path) -> None:
    # With PYTHONPATH set (an IT department's set-up, a development install), the worker that reads .xls and .ods
    # returns must keep every entry of it: only the starting folder is left out, whatever the Python version.
    from caseforms.io import bounded

    probe = f"{bounded.WORKER_PATH}\nprint(repr(sys.path))"
    env = {**os.environ, "PYTHONSAFEPATH": "1", "PYTHONPATH": str(tmp_path / "first")}
    for safe in ("1", ""):
        env["PYTHONSAFEPATH"] = safe
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
                              check=True)
        path = ast.literal_eval(done.stdout)
        assert str(tmp_path / "first") in path and "" not in path and str(tmp_path) not in path
