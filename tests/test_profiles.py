"""Process profiles: every shipped one loads, every rule has its source, broken files say what is wrong."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from caseforms.errors import ProfileError, UnknownProfile
from caseforms.events import EVENTS
from caseforms.profile import available_profiles, cited_keys, load_profile

BROKEN = Path(__file__).parent / "files" / "profiles"


def test_the_shipped_profiles() -> None:
    assert available_profiles() == ["national", "cumbria", "kent", "kirklees", "lincolnshire"]


#: The documents the shipped profiles name, by the seed each is (000_44eed6501ae43eb6.txt is Kent's
#: Practice Improvement Framework, and so on), and how officers cite them.
SEED_DOCUMENTS = {
    "kent_pif": "Kent Safeguarding Children Multi-Agency Partnership, Practice Improvement Framework (December 2024)",
    "cumbria_pif": "Cumbria Safeguarding Children Partnership, Practice Improvement Framework (October 2019)",
    "kent_ics_guidance": "Kent County Council, Integrated Children's Services guidance following a notification",
    "kirklees_guide": "Kirklees Safeguarding Children Partnership, Serious Incidents, LCSPRs and other Learning Reviews",
    "lincolnshire_sirg": "Lincolnshire Safeguarding Children Partnership, Serious Incident Review Guidance",
}
NATIONAL_DOCUMENTS = {"working_together_2023", "children_act_2004", "report_an_incident", "nhs_data_dictionary", "caseforms"}


@pytest.mark.parametrize("name", available_profiles())
def test_every_profile_loads_and_every_milestone_cites_a_document_and_section(name: str) -> None:
    profile = load_profile(name)
    assert profile.milestones
    for m in profile.milestones:
        assert m.source.strip(), m.id
        assert m.rule.strip(), m.id
        keys = cited_keys(m.cites)
        assert keys, f"{name}/{m.id} cites no document the profile names: {m.cites}"
        assert not re.search(r"\d{3}_[0-9a-f]{16}|DOMAIN", m.source), f"{name}/{m.id}: {m.source}"
        if m.origin != "national":
            assert set(keys) & set(SEED_DOCUMENTS), f"{name}/{m.id}: a local rule must cite the partnership's guidance"
        for key in keys:
            assert profile.documents[key].name in m.source, f"{name}/{m.id}: {m.source}"
        assert "{" not in m.label, f"{name}/{m.id}: a body name was not filled in: {m.label}"


def test_each_document_is_named_once_as_officers_cite_it() -> None:
    documents = load_profile("kent").documents
    assert set(documents) == set(SEED_DOCUMENTS) | NATIONAL_DOCUMENTS
    for key, cite_as in SEED_DOCUMENTS.items():
        assert documents[key].name.startswith(cite_as), documents[key].name
    assert documents["working_together_2023"].url.startswith("https://www.gov.uk/")
    rule = load_profile("kent").milestone("executive_discussion")
    assert rule.source.startswith("Kent Safeguarding Children Multi-Agency Partnership, Practice Improvement Framework "
                                  "(December 2024), 2.3 Referral to KSCMP")
    assert rule.cites.startswith("kent_pif: 2.3")


def test_a_partnership_names_its_own_documents_and_a_typo_in_a_key_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(
        """
[profile]
name = "ours"
extends = "national"

[documents.our_procedures]
title = "Serious Incident Procedures"
partnership = "Our Safeguarding Children Partnership"
date = "May 2025"
url = "https://example.org/procedures"

[[milestone]]
id = "referral_check"
label = "Referral checked"
anchor = "referral"
working_days = 1
source = "our_procedures: 4.1 Referral; a note of our own"
""",
        encoding="utf-8",
    )
    profile = load_profile(str(own))
    assert profile.milestone("referral_check").source == (
        "Our Safeguarding Children Partnership, Serious Incident Procedures (May 2025), 4.1 Referral; a note of our own")
    assert "cites Our Safeguarding Children Partnership, Serious Incident Procedures (May 2025)" in profile.changes
    own.write_text(own.read_text("utf-8").replace('source = "our_procedures:', 'source = "our_procedure:'), "utf-8")
    with pytest.raises(ProfileError, match=r"cites 'our_procedure', which is not a document the profile names"):
        load_profile(str(own))


@pytest.mark.parametrize("name", available_profiles())
def test_every_profile_has_the_national_milestones(name: str) -> None:
    ids = {m.id for m in load_profile(name).milestones}
    assert {"la_notification", "rapid_review_submission", "lcspr_publication", "lcspr_report_to_panel"} <= ids


def test_milestones_come_after_what_they_count_from() -> None:
    for name in available_profiles():
        seen: set[str] = set()
        for m in load_profile(name).milestones:
            assert all(a in seen or a in EVENTS for a in m.anchors), f"{name}/{m.id} comes before its anchor"
            seen.add(m.id)


def test_local_profiles_rename_the_bodies() -> None:
    assert load_profile("kent").bodies["executive"] == "KSCMP Executive"
    assert load_profile("lincolnshire").bodies["executive"] == "Serious Incident Review Group (SIRG)"
    assert load_profile("lincolnshire").bodies["assurance"] == "Assurance Executive"
    assert "KSCMP Executive" in load_profile("kent").milestone("executive_discussion").label


def test_kirklees_counts_the_rapid_review_from_awareness() -> None:
    rule = load_profile("kirklees").milestone("rapid_review_submission")
    assert rule.anchors == ("aware",)
    assert rule.amount == 15
    assert load_profile("national").milestone("rapid_review_submission").anchors == ("notified",)


def test_kent_allows_a_rapid_review_up_to_18_years_6_months() -> None:
    assert load_profile("kent").eligibility["rapid_review_age_limit_months"] == 222
    assert load_profile("national").eligibility["rapid_review_age_limit_months"] == 216


def test_profiles_say_what_they_change() -> None:
    changes = " | ".join(load_profile("kirklees").changes)
    assert "replaces rapid_review_submission: within 15 working days of becoming aware" in changes


def test_a_partnership_profile_file_extends_a_shipped_one(tmp_path: Path) -> None:
    own = tmp_path / "ourpartnership.toml"
    own.write_text(
        """
closure_days = [2025-12-29, {from = 2025-12-30, to = 2025-12-31}]

[profile]
name = "ours"
extends = "kent"
title = "Our Safeguarding Children Partnership"

[bodies]
executive = "Our Executive"

[[milestone]]
id = "executive_discussion"
label = "{executive} discussion"
anchor = "referral"
working_days = 2
source = "Our protocol, section 2"
""",
        encoding="utf-8",
    )
    profile = load_profile(str(own))
    assert profile.name == "ours"
    assert profile.milestone("executive_discussion").amount == 2
    assert profile.milestone("executive_discussion").label == "Our Executive discussion"
    assert profile.milestone("rapid_review_meeting").origin == "kent"
    assert date(2025, 12, 30) in profile.closure_days
    assert profile.calendar.add_working_days(date(2025, 12, 23), 5) == date(2026, 1, 7)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("milestone_without_source.toml", r"milestone 'referral_check': has no source"),
        ("two_offsets_in_one_rule.toml", r"milestone 'referral_check': give exactly one of .* \(found working_days, hours\)"),
        ("anchor_is_not_an_event.toml", r"milestone 'referral_check' counts from 'refferal', which is neither an event"),
        ("milestones_in_a_circle.toml", r"in a circle: first -> second -> first"),
        ("not_toml_at_all.toml", r"not valid TOML"),
        ("label_names_unknown_body.toml", r"milestone 'referral_check': the label names a body 'sirg'"),
        ("closure_day_not_a_date.toml", r"closure day '29/12/2025' is not a date"),
        ("unknown_section.toml", r"unknown section 'timescales'"),
        ("passed_by_not_an_event.toml", r"milestone 'papers_out': passed_by 'meeting' is not an event"),
        ("working_days_as_text.toml", r"milestone 'referral_check': working_days must be a whole number"),
    ],
)
def test_a_broken_profile_names_the_file_the_rule_and_the_fault(file: str, message: str) -> None:
    path = BROKEN / file
    with pytest.raises(ProfileError, match=message) as caught:
        load_profile(str(path))
    assert str(path) in str(caught.value)


def test_unknown_profile_names_the_ones_there_are() -> None:
    with pytest.raises(UnknownProfile, match=r"Unknown profile 'york'.*national, cumbria, kent"):
        load_profile("york")
    with pytest.raises(UnknownProfile, match="does not exist"):
        load_profile("no/such/profile.toml")
