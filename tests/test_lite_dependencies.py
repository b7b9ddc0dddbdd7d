"""Every package caseforms needs can be installed in xlwings Lite, so a new dependency cannot quietly break it.

xlwings Lite runs Python in Pyodide (WebAssembly). A package installs there when it is pure Python
(a py3-none-any wheel, fetched from PyPI), or when Pyodide builds it itself: then it is in the
lock file of the Pyodide release, and the version there is the one Lite gets. The lock files'
package lists are kept under tests/files/pyodide/ (refresh_lock.py there says how to refresh
them): Pyodide 0.29.5 (Python 3.13) and 314.0.7 (Python 3.14), so caseforms must work with both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from caseforms.io.lite_setup import Needed, needed_in_lite, normalise, requirements_txt

LOCKS = sorted((Path(__file__).parent / "files" / "pyodide").glob("pyodide-*-packages.tsv"))


def pyodide_packages(lock: Path) -> dict[str, tuple[str, str]]:
    """Return the packages of a kept lock file: {normalised name: (version, wheel file)}."""
    rows = [line.split("\t") for line in lock.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    return {normalise(name): (version, wheel) for name, version, wheel in rows}


def not_installable(needed: list[Needed], packages: dict[str, tuple[str, str]]) -> list[str]:
    """Return, in words, each package Pyodide could not install, or not at a version its users accept."""
    problems = []
    for n in needed:
        if n.pure and n.version:
            continue
        if n.name not in packages:
            problems.append(f"{n.name} {n.version or '(not installed here)'} has compiled code and Pyodide does not "
                            f"build it (needed by {', '.join(by for by, _ in n.wanted_by)})")
            continue
        version = Version(packages[n.name][0])
        for by, specifier in n.wanted_by:
            if specifier and version not in SpecifierSet(specifier):
                problems.append(f"{by} needs {n.name}{specifier}, Pyodide builds {version}")
    return problems


def test_both_pyodide_releases_are_kept() -> None:
    assert [p.name for p in LOCKS] == ["pyodide-0.29.5-packages.tsv", "pyodide-314.0.7-packages.tsv"]
    assert "Python 3.13" in LOCKS[0].read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.stem)
def test_every_runtime_dependency_is_pure_python_or_built_by_pyodide(lock: Path) -> None:
    needed = needed_in_lite()
    names = {n.name for n in needed}
    # The dependencies pyproject.toml declares, and what they bring, are all followed.
    assert {"openpyxl", "docxtpl", "python-calamine", "lxml", "xlwings", "holidays", "rich", "xlsxwriter"} <= names
    # Markers are answered as Pyodide answers them: no Windows, Mac or Python 3.10 package is asked for.
    assert not names & {"pywin32", "appscript", "psutil", "tomli"}
    assert not_installable(needed, pyodide_packages(lock)) == []


def test_a_compiled_dependency_pyodide_does_not_build_is_caught() -> None:
    packages = pyodide_packages(LOCKS[0])
    compiled = [Needed("torch", "2.7.0", False, (("caseforms", ">=2"),)),
                Needed("python-calamine", "0.9.1", False, (("caseforms", ">=0.9"),))]
    problems = not_installable(compiled, packages)
    assert problems[0].startswith("torch 2.7.0 has compiled code and Pyodide does not build it")
    assert problems[1] == "caseforms needs python-calamine>=0.9, Pyodide builds 0.5.3"


def test_requirements_txt_pins_the_pure_packages_and_leaves_pyodides_own_to_it() -> None:
    lines = [line for line in requirements_txt().splitlines() if line and not line.startswith("#")]
    pinned = {line.split("==")[0] for line in lines if "==" in line}
    unpinned = {line for line in lines if "==" not in line}
    needed = {n.name: n for n in needed_in_lite()}
    assert pinned == {name for name, n in needed.items() if n.pure} and "caseforms" in pinned
    assert unpinned == {name for name, n in needed.items() if not n.pure}
    for name in unpinned:  # each is one Pyodide builds
        assert all(name in pyodide_packages(lock) for lock in LOCKS)
