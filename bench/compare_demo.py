"""Compare two demo folders part by part: the same files, and in each the same parts with the same content.

Made for speed work on `caseforms demo`: run the code before and after into two folders, then

    python bench/compare_demo.py BEFORE_FOLDER AFTER_FOLDER

Workbooks and Word documents are zip packages: their part names, in order, and each part's bytes must
be the same (a workbook embedded in a document is compared the same way, part by part). Only what
changes from one run to the next anyway is set aside before comparing, each by a narrow pattern:

* the time a file was written: ISO 8601 times (document properties, caseforms' own ``written``
  property), an Excel serial number of today with a time of day (the master's "merged at" cell);
* an e-mail draft's ``Date:`` header and its MIME boundary (random each time); its attachments are
  decoded and compared as files, part by part;
* a pack's ``made-from`` fingerprint, which covers the times its papers were written;
* the demo's ABOUT file: when it was made, and each file's digest (which covers the times above).

Exit status 0 when the folders are the same, 1 when anything differs (each difference listed).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import io
import re
import sys
import zipfile
from datetime import date
from pathlib import Path

_ISO_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")
_BOUNDARY = re.compile(rb"={15}\d+==")
_MADE_ON = re.compile(rb"on \d{2}/\d{2}/\d{4} \d{2}:\d{2},")
_DIGEST_LINE = re.compile(rb"^[0-9a-f]{16} ", re.MULTILINE)
_MADE_FROM = re.compile(rb'(name="caseforms.made-from"><vt:lpwstr>)[0-9a-f]+')


def _today_serials() -> list[bytes]:
    """Return Excel serial numbers of the last few days (a run may cross midnight), as cell text starts."""
    serial = (date.today() - date(1899, 12, 30)).days
    return [str(serial - n).encode() for n in range(3)]


def _times_in_cells(text: bytes) -> bytes:
    for serial in _today_serials():
        text = re.sub(rb"<v>" + serial + rb"\.\d+</v>", b"<v>TIME</v>", text)
    return text


def normalise(name: str, content: bytes, *, pack: bool = False) -> bytes:
    """Return ``content`` with what differs from run to run anyway replaced by a fixed word."""
    content = _ISO_TIME.sub(b"TIME", content)
    if pack and name == "docProps/custom.xml":
        content = _MADE_FROM.sub(rb"\1FINGERPRINT", content)
    if name.endswith(".xml"):
        content = _times_in_cells(content)
    if name.endswith(".txt"):
        content = _DIGEST_LINE.sub(b"DIGEST ", _MADE_ON.sub(b"on TIME,", content))
    return content


def _is_pack(where: str) -> bool:
    return re.search(r" pack v\d+\.\d+ [^/]*\.docx$", where) is not None


def compare_emails(a: bytes, b: bytes, where: str) -> list[str]:
    """Return the differences between two e-mail drafts: headers and text, then each attachment as a file."""
    ma = email.message_from_bytes(a, policy=email.policy.default)
    mb = email.message_from_bytes(b, policy=email.policy.default)
    pa, pb = list(ma.walk()), list(mb.walk())
    if len(pa) != len(pb):
        return [f"{where}: {len(pa)} MIME parts before, {len(pb)} after"]
    out = []
    for n, (xa, xb) in enumerate(zip(pa, pb, strict=True)):
        heads_a = [(k, _BOUNDARY.sub(b"BOUNDARY", str(v).encode())) for k, v in xa.items() if k != "Date"]
        heads_b = [(k, _BOUNDARY.sub(b"BOUNDARY", str(v).encode())) for k, v in xb.items() if k != "Date"]
        if heads_a != heads_b:
            out.append(f"{where}: headers of MIME part {n} differ")
        if xa.is_multipart():
            continue
        ca, cb = xa.get_payload(decode=True), xb.get_payload(decode=True)
        name = xa.get_filename() or f"part {n}"
        if ca == cb:
            continue
        if zipfile.is_zipfile(io.BytesIO(ca)) and zipfile.is_zipfile(io.BytesIO(cb)):
            out += compare_packages(ca, cb, f"{where} > {name}")
        else:
            out.append(f"{where} > {name}: differs")
    return out


def compare_packages(a: bytes, b: bytes, where: str) -> list[str]:
    """Return the differences between two zip packages, part by part."""
    za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    names_a, names_b = za.namelist(), zb.namelist()
    if names_a != names_b:
        only_a = sorted(set(names_a) - set(names_b))
        only_b = sorted(set(names_b) - set(names_a))
        if only_a or only_b:
            return [f"{where}: parts only before {only_a}, only after {only_b}"]
        return [f"{where}: the same parts in another order"]
    out = []
    for name in names_a:
        pa, pb = za.read(name), zb.read(name)
        if pa == pb:
            continue
        if zipfile.is_zipfile(io.BytesIO(pa)) and zipfile.is_zipfile(io.BytesIO(pb)):
            out += compare_packages(pa, pb, f"{where} > {name}")
        elif normalise(name, pa, pack=_is_pack(where)) != normalise(name, pb, pack=_is_pack(where)):
            out.append(f"{where} > {name}: differs")
    return out


def compare_folders(before: Path, after: Path) -> tuple[int, list[str]]:
    """Return how many files were compared and every difference between the two demo folders."""
    files_a = {p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file()}
    files_b = {p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()}
    out = [f"only before: {rel}" for rel in sorted(files_a - files_b)]
    out += [f"only after: {rel}" for rel in sorted(files_b - files_a)]
    for rel in sorted(files_a & files_b):
        a, b = (before / rel).read_bytes(), (after / rel).read_bytes()
        if a == b:
            continue
        if zipfile.is_zipfile(io.BytesIO(a)) and zipfile.is_zipfile(io.BytesIO(b)):
            out += compare_packages(a, b, rel)
        elif rel.endswith(".eml"):
            out += compare_emails(a, b, rel)
        elif normalise(rel, a) != normalise(rel, b):
            out.append(f"{rel}: differs")
    return len(files_a & files_b), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    compared, differences = compare_folders(args.before, args.after)
    for line in differences:
        print(line)
    print(f"{compared} files compared: " + ("the same, part by part" if not differences
                                             else f"{len(differences)} differences"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
