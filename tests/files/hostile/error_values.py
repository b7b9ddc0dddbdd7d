"""Workbooks whose cells show Excel error values, as Excel saves them, made at test time.

Excel saves a cell showing an error with the error as its value (``t="e"``): typed over a date, or
left by a formula whose cells were deleted (``=H2+1`` becomes ``=#REF!+1``, cached value #REF!).
python-calamine hands both over as empty strings.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path


def with_error_cells(path: Path, sheet_part: str, cells: dict[str, str], *, formula: str | None = None) -> Path:
    """Rewrite ``cells`` ({"I2": "#REF!"}) of one sheet part of an .xlsx so each shows that Excel error.

    With ``formula``, each cell keeps it as Excel does for a formula whose result is the error.
    """
    source = path.with_name(path.name + ".orig")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == sheet_part:
                xml = data.decode("utf-8")
                for ref, error in cells.items():
                    inner = (f"<f>{formula}</f>" if formula else "") + f"<v>{error}</v>"
                    cell = re.compile(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)')
                    style = cell.search(xml)
                    attrs = re.sub(r'\s*t="[^"]*"', "", style.group(1)) if style else ""
                    new = f'<c r="{ref}"{attrs} t="e">{inner}</c>'
                    xml = cell.sub(lambda _m, new=new: new, xml, count=1) if style else _insert(xml, ref, new)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    source.unlink()
    return path


def _insert(xml: str, ref: str, cell: str) -> str:
    row = re.sub(r"[A-Z]", "", ref)
    match = re.search(rf'<row r="{row}"[^>]*>', xml)
    if match is None:
        raise ValueError(f"row {row} is not in the sheet; write something in it first")
    return xml[: match.end()] + cell + xml[match.end():]
