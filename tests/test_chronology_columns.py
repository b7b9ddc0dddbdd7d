"""Headings agencies use for the Appendix F columns, and finding the header row under a title block."""

from __future__ import annotations

import pytest

from caseforms.chronology.columns import canonical_column, column_letter, find_header_row, map_headings


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Date", "date"), ("DATE OF EVENT", "date"), ("Date (dd/mm/yyyy)", "date"), ("Date/Time", "date"),
        ("date_of_event", "date"), ("Time", "time"), ("Source of Information", "source"),
        ("Agency / Department", "agency"), ("Organisation", "agency"), ("Name of Subject(s)", "subjects"),
        ("Type of contact", "contact_type"), ("Contact type", "contact_type"), ("By Whom", "by_whom"),
        ("Practitioner", "by_whom"), ("Details of event", "details"), ("What happened", "details"),
        ("Details of event and action taken", "details"), ("Comments/analysis of outcome", "comments"),
        ("Comments & analysis", "comments"), ("Date of birth", None), ("Risk level", None), ("", None),
    ],
)
def test_heading_variants(heading: str, key: str | None) -> None:
    assert canonical_column(heading) == key


def test_a_second_comments_column_stays_an_extra_column() -> None:
    mapped = map_headings(["Date", "Details", "Comments", "Comment", 45691.0, None])
    assert mapped.keys == ("date", "details", "comments", None, None, None)
    assert mapped.heading_of(3) == "Comment" and mapped.heading_of(5) == "column F"


def test_header_found_below_title_block_and_not_in_instructions() -> None:
    rows = [
        ["Rapid Review chronology", None],
        ["Please give the date, the agency and the type of contact for each event.", None],
        ["Agency:", "Kent Police"],
        ["Date", "Agency", "Type of contact", "Details of event"],
        ["03/02/2025", "Police", "Visit", "Seen"],
    ]
    assert find_header_row(rows) == 3
    assert find_header_row([["Agency", "Type of contact", "By whom"]]) is None  # no Date or Details heading
    assert find_header_row([["Date", "Notes"]]) is None  # too little to trust


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
