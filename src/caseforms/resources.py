"""Where the shipped templates and workbooks are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(kind: str) -> Path:
    """Return the folder of shipped ``templates`` or ``workbooks``.

    An installed wheel carries them inside the package (``caseforms/_shipped``); a source checkout
    or an editable install uses the folders at the top of the repository.
    """
    inside = _PACKAGE / "_shipped" / kind
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parent.parent / kind
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"The shipped {kind} folder is missing from this installation; reinstall caseforms.")


def templates_dir() -> Path:
    return shipped_dir("templates")


def workbooks_dir() -> Path:
    return shipped_dir("workbooks")
