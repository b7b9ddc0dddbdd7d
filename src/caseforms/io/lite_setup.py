"""What an officer pastes into the xlwings Lite editor: ``main.py`` and ``requirements.txt`` (``caseforms excel --lite``).

``main.py`` imports caseforms' scripts (:mod:`caseforms.lite`), so each action is a button in the
Lite task pane. ``requirements.txt`` is caseforms and every package it needs in xlwings Lite,
resolved from the caseforms installed here, as Pyodide (Python in WebAssembly) would choose them:

* a pure-Python package is pinned to the version installed here (xlwings Lite installs it from
  PyPI), so Lite runs what the desktop runs;
* a package with compiled code (lxml, python-calamine, markupsafe) cannot come from PyPI: Pyodide
  builds it, and its version comes with xlwings Lite, so it is listed unpinned, as xlwings Lite's
  documentation asks ("Python Dependencies", version pinning). tests/test_lite_dependencies.py
  checks each of them is in Pyodide's own package list.

caseforms itself is not on PyPI yet: give the address of the wheel IT hosts (``--wheel``), or the
line says where it should go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

#: What Pyodide's Python answers for the environment markers of a requirement (``sys_platform == "win32"``...).
#: Python 3.13 is Pyodide 0.29's; Pyodide 314 (Python 3.14) answers the same for every marker caseforms meets.
PYODIDE_MARKERS = {
    "implementation_name": "cpython", "implementation_version": "3.13.2", "os_name": "posix",
    "platform_machine": "wasm32", "platform_python_implementation": "CPython", "platform_release": "",
    "platform_system": "Emscripten", "platform_version": "", "python_full_version": "3.13.2",
    "python_version": "3.13", "sys_platform": "emscripten",
}
#: Packages whose wheel installed here has compiled code, but which publish a pure-Python wheel (py3-none-any) on
#: PyPI for every version as well: xlwings' compiled part (xlwingslib) is optional, and its pure wheel is the
#: one xlwings Lite itself runs (checked with: pip download --no-deps --only-binary=:all: --platform any xlwings).
PURE_ON_PYPI = frozenset({"xlwings"})
#: The folder ``caseforms excel --lite`` writes the two files into, inside the folder given.
LITE_FOLDER = "xlwings Lite"
#: The first line of both files, so caseforms only ever replaces its own (io/file_kinds.py).
MARKER = "# Written by caseforms for xlwings Lite"


@dataclass(frozen=True)
class Needed:
    """One package caseforms needs in xlwings Lite: its version here, whether it is pure Python, and who needs it."""

    name: str
    version: str | None
    pure: bool
    #: Who needs it and what each asks for: (package, specifier such as ">=0.3" or "").
    wanted_by: tuple[tuple[str, str], ...] = ()


def normalise(name: str) -> str:
    """Return a package name as Python's packaging compares them (PEP 503): lower case, runs of -_. as one dash."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_pure(dist: metadata.Distribution) -> bool:
    """Return whether an installed distribution came from a pure-Python wheel (a ``none-any`` tag)."""
    if normalise(dist.metadata["Name"]) in PURE_ON_PYPI:
        return True
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    return bool(tags) and any(tag.endswith("-none-any") for tag in tags)


def needed_in_lite(package: str = "caseforms") -> list[Needed]:
    """Return every package ``package`` needs in xlwings Lite, resolved to the versions installed here, by name.

    The requirements are followed from the installed metadata, their markers answered as Pyodide
    answers them (so Windows' pywin32 and Python 3.10's tomli are left out). A package needed but
    not installed here is listed with no version, and counted as not pure.
    """
    from packaging.requirements import Requirement

    found: dict[str, Needed] = {}
    wanted: dict[str, list[tuple[str, str]]] = {}
    todo: list[tuple[str, str, str, frozenset[str]]] = [(package, "", "", frozenset())]
    while todo:
        name, by, specifier, extras = todo.pop(0)
        key = normalise(name)
        if by:
            wanted.setdefault(key, []).append((by, specifier))
        if key in found and not extras:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found.setdefault(key, Needed(key, None, False))
            continue
        if key not in found:
            found[key] = Needed(key, dist.version, is_pure(dist))
        for text in dist.requires or []:
            requirement = Requirement(text)
            applies = requirement.marker is None or any(
                requirement.marker.evaluate({**PYODIDE_MARKERS, "extra": extra}) for extra in ({""} | set(extras)))
            if applies:
                todo.append((requirement.name, key, str(requirement.specifier), frozenset(requirement.extras)))
    return sorted((Needed(n.name, n.version, n.pure, tuple(wanted.get(n.name, ()))) for n in found.values()),
                  key=lambda n: n.name)


def requirements_txt(wheel: str | None = None) -> str:
    """Return the requirements.txt to paste into the xlwings Lite editor.

    ``wheel`` is the address of the caseforms wheel IT hosts (``https://.../caseforms-0.1.0-py3-none-any.whl``);
    without it the line is ``caseforms==<version>``, with a comment saying to replace it.
    """
    import caseforms

    needed = [n for n in needed_in_lite() if n.name != "caseforms"]
    pure = [n for n in needed if n.pure and n.version]
    built = [n for n in needed if not (n.pure and n.version)]
    lines = [f"{MARKER}: caseforms excel --lite (caseforms {caseforms.__version__}). Paste it all into the "
             "requirements.txt tab."]
    if wheel:
        lines.append(wheel)
    else:
        lines += ["# caseforms is not on PyPI yet: replace the next line with the address of the caseforms wheel",
                  "# your IT hosts (docs/lite.md, 'Getting caseforms into xlwings Lite').",
                  f"caseforms=={caseforms.__version__}"]
    lines.append("# Pure-Python packages, pinned to the versions caseforms was tested with on the desktop:")
    lines += [f"{n.name}=={n.version}" for n in pure]
    if built:
        lines.append("# Built by Pyodide for xlwings Lite; their versions come with xlwings Lite, so they are not pinned:")
        lines += [n.name for n in built]
    return "\n".join(lines) + "\n"


def main_py() -> str:
    """Return the main.py to paste into the xlwings Lite editor: caseforms' scripts, one button per action."""
    from caseforms.lite import SCRIPTS, run_the_selected_action

    names = [f.__name__ for f in (*SCRIPTS.values(), run_the_selected_action)]
    imports = "".join(f"    {name},\n" for name in names)
    return f'''{MARKER}: caseforms excel --lite.
"""
# caseforms

1. On the **Cases** sheet, click a cell in the case's row (or choose the case in cell B3 of the **caseforms** sheet).
2. Click the action's button below.

Requests, merges, papers and the tracker are written in the **working folder**: the folder typed in cell B4 of the
caseforms sheet, mounted with xlwings Lite menu > Files > Local Folders (Windows). Without one, they go to
Files > Import/Export, to download. Check the register and Refresh the deadlines need no folder.
"""

from caseforms.lite import (  # noqa: F401 (each is a button in the xlwings Lite task pane)
{imports})
'''


@dataclass
class LiteSetup:
    """What ``caseforms excel --lite`` wrote, and what to tell the officer."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def write_lite_files(folder: Path, wheel: str | None = None) -> LiteSetup:
    """Write main.py and requirements.txt for the xlwings Lite editor into '<folder>/xlwings Lite'.

    Files of those names that caseforms did not write are left as they are and reported.
    """
    from caseforms.io.excel_setup import write_text
    from caseforms.io.file_kinds import EXCEL_SETUP, identify

    target = Path(folder) / LITE_FOLDER
    done = LiteSetup(target)
    for name, text in (("main.py", main_py()), ("requirements.txt", requirements_txt(wheel))):
        path = target / name
        if path.exists() and identify(path) != EXCEL_SETUP:
            done.problems.append(f"{path} is not caseforms' own, so it was left as it is: rename or delete it and "
                                 "run the command again.")
            continue
        write_text(path, text)
        done.written.append(path)
    return done
