"""Contracts of the project itself: the README's two commands, CI running them, the wheel's contents."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import caseforms
from caseforms.profile import available_profiles
from caseforms.resources import templates_dir, workbooks_dir

ROOT = Path(__file__).resolve().parent.parent


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first, second = _code_blocks(readme)[:2]
    assert "pip install ." in first and "caseforms " in first
    assert '".[test]"' in second and "pytest" in second
    assert readme.index("<!-- test-command -->") < readme.index(second)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = ROOT / ".ci" / "run"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    extract = re.search(r"cmd=\$\((awk .*?)\)\n", ci.read_text(encoding="utf-8"))
    assert extract, ".ci/run no longer extracts the command from the README"
    done = subprocess.run(["bash", "-c", extract.group(1)], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == _code_blocks(readme)[1].strip()


def test_the_installed_package_carries_profiles_templates_and_workbooks() -> None:
    assert available_profiles()
    assert (templates_dir() / "README.md").exists()
    assert (workbooks_dir() / "README.md").exists()
    installed = Path(caseforms.__file__).resolve().parent
    if ROOT / "src" not in installed.parents:
        # A real (non-editable) install, as CI makes: everything must be inside the package.
        assert templates_dir() == installed / "_shipped" / "templates"
        shipped = {p.name for p in (ROOT / "templates").iterdir()}
        assert shipped <= {p.name for p in templates_dir().iterdir()}
        shipped = {p.name for p in (ROOT / "workbooks").iterdir()}
        assert shipped <= {p.name for p in workbooks_dir().iterdir()}


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in (ROOT / "src" / "caseforms").glob("*.py"):
        if not module.name.startswith("_"):
            assert module.name in page, f"docs/architecture.md does not mention {module.name}"


def test_every_picture_the_readme_shows_is_committed() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme)
    assert pictures, "the README's tour shows pages of real output"
    for picture in pictures:
        assert (ROOT / picture).is_file(), f"README shows {picture}, which is not in the repository"
