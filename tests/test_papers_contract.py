"""Contract tests for the papers: shipped templates, field catalogue and contexts agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from caseforms.io import shipped_checks
from caseforms.io.docx_render import check_template, field_uses, full_check, template_path
from caseforms.io.template_builder import build_templates
from caseforms.papers import context, sample
from caseforms.papers.fields import GROUPS, PACKS, PAPERS, all_fields
from caseforms.profile import available_profiles, load_profile
from caseforms.resources import templates_dir

TODAY = date(2025, 2, 10)


def paths_of(value: Any, prefix: str = "") -> set[str]:
    """Return every field path (text or list, not a group) a context provides, as the catalogue writes it."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            if not isinstance(inner, dict):
                found.add(path)
            found |= paths_of(inner, path)
    elif isinstance(value, list):
        if value:
            found.add(f"{prefix}[]")
        for item in value:
            found |= paths_of(item, f"{prefix}[]")
    return found


def contexts(case_name: str) -> dict[str, dict[str, Any]]:
    case = getattr(sample, case_name)()
    profile = load_profile("kent")
    built = {name: context.build(name, case, profile, TODAY).context for name in context.BUILDERS}
    built["pack_contents"] = context.pack_contents(case, profile, "rapid-review-meeting", TODAY).context
    return built


@pytest.mark.parametrize("name", list(PAPERS))
def test_every_paper_has_a_shipped_template(name: str) -> None:
    assert (templates_dir() / PAPERS[name].template).is_file()


@pytest.mark.parametrize("name", list(PAPERS))
def test_shipped_template_uses_only_fields_its_context_provides(name: str) -> None:
    paper = PAPERS[name]
    assert full_check(template_path(name), paper) == []
    assert check_template(template_path(name), paper) == []
    provided = paths_of(contexts("full_case")[name])
    for use in field_uses(template_path(name)):
        assert use.path in provided or any(p.startswith(use.path) for p in provided), (name, use)


def test_the_shipped_templates_listed_as_checked_are_exactly_those_that_pass_the_check() -> None:
    # Listed by their bytes and their papers' fields, so that no command checks them again; a list out of date
    # only slows the check down, but it is kept up to date.
    from caseforms.papers.fields import every_paper

    now = shipped_checks.checked_now()
    assert now == set(shipped_checks.CLEAN), "make the list again: python -m caseforms.io.shipped_checks"
    assert len(now) == len(every_paper())  # every shipped template passes


@pytest.mark.parametrize("case_name", ["full_case", "sparse_case"])
def test_context_provides_exactly_the_catalogued_fields(case_name: str) -> None:
    for name, ctx in contexts(case_name).items():
        provided = {p for p in paths_of(ctx) if not p.endswith("[]")}
        catalogued = set(PAPERS[name].fields)
        # Lists of text ("rapid_review.authors") have items without fields of their own.
        assert provided - catalogued == set(), name
        if case_name == "full_case":
            # A sparse case has empty lists (no chronology yet), so only the full one shows every field.
            assert catalogued - provided == set(), name


def test_no_field_is_named_like_a_dict_method() -> None:
    # Jinja reads {{ meeting.items }} as the dict's items() method, not the key: such a field renders garbage.
    clashing = {name for name in dir(dict) if not name.startswith("_")}
    for path in all_fields():
        for part in path.replace("[]", "").split("."):
            assert part not in clashing, path


def test_packs_name_only_papers_and_every_group_is_used() -> None:
    assert {p for papers in PACKS.values() for p in papers} <= set(PAPERS)
    used = {g for paper in PAPERS.values() for g in paper.groups} | {"common"}
    assert used == set(GROUPS)
    for pack in ("referral", "decision", "notification", "rapid-review-meeting", "rapid-review-report",
                 "submission", "lcspr-tor"):
        assert pack in PACKS


def test_shipped_templates_are_what_the_builder_writes(tmp_path: Path) -> None:
    """templates/ must be rebuilt (python -m caseforms.io.template_builder) whenever the builder changes."""
    for built in build_templates(tmp_path):
        shipped = templates_dir() / built.name
        assert [(u.path, u.line) for u in field_uses(built)] == [(u.path, u.line) for u in field_uses(shipped)], (
            built.name
        )


@pytest.mark.parametrize("profile_name", available_profiles())
def test_contexts_build_for_every_shipped_profile(profile_name: str) -> None:
    profile = load_profile(profile_name)
    for name in context.BUILDERS:
        filled = context.build(name, sample.full_case(), profile, TODAY)
        assert filled.context["partnership"]["name"] == profile.bodies["partnership"]


def test_the_catalogue_of_papers_sits_below_every_module_that_uses_it() -> None:
    """fields.py imports nothing of caseforms: the request letter and tracker papers are catalogued in it."""
    import ast

    import caseforms.papers.fields as catalogue

    tree = ast.parse(Path(catalogue.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith("caseforms")}, imported
    assert {"chronology_request", "lig_report", "escalation_report"} <= set(catalogue.every_paper())
