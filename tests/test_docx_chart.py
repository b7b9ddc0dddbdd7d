"""Word charts' own XML: texts escaped as the standard library escapes them, without its web modules."""

from __future__ import annotations

import itertools
import subprocess
import sys
from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr

from caseforms.io.docx_chart import escape, quoteattr


def test_chart_texts_are_escaped_exactly_as_xml_sax_escapes_them() -> None:
    # An agency's name or a chart's title can hold any of these; the chart XML must read back as the same text.
    pieces = ["Smith & Jones", "<Family>", '"Deano"', "O'Brien", "line\nbreak", "tab\there", "cr\rhere", "é", ""]
    for a, b in itertools.product(pieces, repeat=2):
        text = a + b
        assert escape(text) == sax_escape(text), text
        assert quoteattr(text) == sax_quoteattr(text), text


def test_making_a_chart_loads_no_web_modules() -> None:
    # xml.sax.saxutils imports urllib.request, and with it http.client, ssl and email: 30 ms of every papers command.
    code = ("import sys; import caseforms.io.timeline_docx; "
            "print(sorted(m for m in ('xml.sax.saxutils', 'urllib.request', 'http.client', 'ssl') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]"]
