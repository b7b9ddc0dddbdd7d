"""Keep the package list of a Pyodide release, from the pyodide-lock.json its npm package carries.

xlwings Lite runs Python in Pyodide: a package with compiled code works there only when Pyodide
builds it, and the list of those is the lock file of the Pyodide release. tests/test_lite_dependencies.py
checks caseforms' dependencies against the lists kept here. To add or refresh one (no network
needed beyond the npm registry):

    cd "$(mktemp -d)" && npm install pyodide@0.29.5
    python tests/files/pyodide/refresh_lock.py node_modules/pyodide/pyodide-lock.json

It writes pyodide-<version>-packages.tsv beside this file: one package a line, with its version
and the wheel Pyodide ships (a name ending in none-any.whl is pure Python).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(lock_file: str) -> Path:
    lock = Path(lock_file)
    data = json.loads(lock.read_text(encoding="utf-8"))
    version = json.loads((lock.parent / "package.json").read_text(encoding="utf-8"))["version"]
    info = data["info"]
    out = Path(__file__).parent / f"pyodide-{version}-packages.tsv"
    lines = [
        f"# Pyodide {version} (Python {info['python']}, {info['platform']}): the packages of pyodide-lock.json in the "
        f"npm package pyodide@{version}.",
        "# Refresh: see refresh_lock.py beside this file.",
        "name\tversion\twheel",
        *(f"{p['name']}\t{p['version']}\t{p['file_name']}" for _, p in sorted(data["packages"].items())
          if p.get("package_type") != "shared_library" and not p["name"].endswith("-tests")),
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main(sys.argv[1]))
