"""Corroboration: the links found through the day's index are the links every pair compared would give.

The reference below is the merge's way of linking before it was indexed (every pair of a day's
entries compared): kept here, unchanged, so that the indexed way is checked against it on generated
days, ordinary ones and busy ones, untimed and timed, in the past and in the future.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from caseforms.chronology.merge import (
    LINKS_KEPT,
    AgencyReturn,
    MasterChronology,
    MasterEntry,
    linked_text,
    merge_returns,
)

HEADER = ["Date", "Time", "Type of contact", "By whom", "Details of event", "Comments"]
TODAY = date(2025, 6, 1)

# -- the reference: every pair compared (caseforms before the index) ---------------------------------------------------

_WORD = re.compile(r"[a-z0-9']+")
_STOPWORDS = frozenset(
    (
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has", "have", "he", "her", "him",
        "his", "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the", "their",
        "them", "they", "this", "to", "was", "were", "with", "who", "which", "not", "no", "yes",
    )
)


def reference_links(entries: list[MasterEntry]) -> dict[int, list[int]]:
    """Return every entry's links (entry number -> the numbers of all entries linked to it), every pair compared."""
    by_day: dict[date, list[MasterEntry]] = defaultdict(list)
    for e in entries:
        if e.when.day is not None and e.when.precision == "day":
            by_day[e.when.day].append(e)
    links: dict[int, set[int]] = defaultdict(set)
    for day_entries in by_day.values():
        if len(day_entries) < 2:
            continue
        agencies = [e.agency.casefold() for e in day_entries]
        if len(set(agencies)) < 2:
            continue
        minutes = [None if e.when.time is None else e.when.time.hour * 60 + e.when.time.minute for e in day_entries]

        def close(i: int, j: int) -> bool:
            a, b = minutes[i], minutes[j]  # noqa: B023 - used within this iteration only
            return a is None or b is None or abs(a - b) <= 60

        by_kind: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(day_entries):
            kind = " ".join(_WORD.findall(e.cells.get("contact_type", "").lower()))
            if kind:
                by_kind[kind].append(i)
        for same in by_kind.values():
            for x, i in enumerate(same):
                for j in same[x + 1:]:
                    if agencies[i] != agencies[j] and close(i, j):
                        links[day_entries[i].number].add(day_entries[j].number)
                        links[day_entries[j].number].add(day_entries[i].number)
        for i, j in _similar_pairs([e.details for e in day_entries]):
            if agencies[i] != agencies[j] and close(i, j):
                links[day_entries[i].number].add(day_entries[j].number)
                links[day_entries[j].number].add(day_entries[i].number)
    return {number: sorted(linked) for number, linked in links.items()}


def _similar_pairs(texts: Sequence[str]) -> list[tuple[int, int]]:
    bits: dict[str, int] = {}
    masks: list[int] = []
    for text in texts:
        mask = 0
        for word in _WORD.findall(text.lower()):
            if word not in _STOPWORDS:
                bit = bits.get(word)
                if bit is None:
                    bit = bits[word] = 1 << len(bits)
                mask |= bit
        masks.append(mask)
    sizes = [m.bit_count() for m in masks]
    pairs: list[tuple[int, int]] = []
    for i, mi in enumerate(masks):
        li = sizes[i]
        if li < 3:
            continue
        for j in [j for j in range(i + 1, len(masks)) if (mi & masks[j]).bit_count() >= 3]:
            common, lj = (mi & masks[j]).bit_count(), sizes[j]
            if 4 * common >= li + lj:
                pairs.append((i, j))
    return pairs


# -- generated returns -----------------------------------------------------------------------------------------------

AGENCIES = ["Police", "Children's Social Care", "Health Visiting", "GP Practice", "School", "Housing", "Probation",
            "Ambulance"]
KINDS = ["Home visit", "home  visit", "Phone call", "Strategy discussion", "Letter", "Email", "Meeting", "Referral", ""]
WORDS = ["mother", "father", "child", "school", "visit", "concerns", "bruising", "neglect", "housing", "referral", "assessment", "support", "police", "health", "attendance", "sleep", "medication", "safety", "plan", "review", "escalated", "threshold", "contact", "family", "worker", "nursery"]


def _details(rng: random.Random, sentences: list[list[str]]) -> str:
    """Return the details of an entry: a stock sentence a little changed (so that others' are similar), or words at random."""
    if rng.random() < 0.6:
        words = list(rng.choice(sentences))
        for _ in range(rng.randrange(0, 4)):
            if words and rng.random() < 0.5:
                words.pop(rng.randrange(len(words)))
            else:
                words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
    else:
        words = [rng.choice(WORDS) for _ in range(rng.randrange(0, 12))]
    return " ".join(words).capitalize()


def generated_returns(rng: random.Random, days: list[date], rows: int, agencies: list[str]) -> list[AgencyReturn]:
    """Return one return per agency, ``rows`` entries in all on ``days``: times, types and details repeating enough to link."""
    sentences = [[rng.choice(WORDS) for _ in range(rng.randrange(3, 9))] for _ in range(40)]
    per_agency: dict[str, list[list[object]]] = {a: [] for a in agencies}
    for _ in range(rows):
        agency = rng.choice(agencies)
        day = rng.choice(days)
        timed = rng.random() < 0.5
        per_agency[agency].append([
            day.strftime("%d/%m/%Y"),
            f"{rng.randrange(8, 20):02d}:{rng.choice((0, 10, 30, 45, 59)):02d}" if timed else "",
            rng.choice(KINDS), "Worker", _details(rng, sentences), "",
        ])
    return [AgencyReturn(file=f"{a}.xlsx", sheet="Chronology", header_row=1, header=HEADER,
                         rows=[(i, r) for i, r in enumerate(rs, start=2)], title_block=[["Agency:", a]], path=f"{a}.xlsx")
            for a, rs in per_agency.items() if rs]


def assert_same_links(master: MasterChronology) -> int:
    """Check each entry keeps the first links of the reference and its count; return how many links there are in all."""
    reference = reference_links(master.entries)
    for e in master.entries:
        expected = reference.get(e.number, [])
        assert (e.linked, e.links) == (expected[:LINKS_KEPT], len(expected)), f"entry {e.number}"
    return sum(len(v) for v in reference.values())


def test_ordinary_days_link_as_every_pair_compared() -> None:
    rng = random.Random(20)
    days = [date(2024, 1, 1) + timedelta(days=d) for d in range(60)]
    master = merge_returns(generated_returns(rng, days, 1500, AGENCIES), today=TODAY)
    assert assert_same_links(master) > 1000


def test_a_busy_day_links_as_every_pair_compared_keeping_the_first_links_and_a_count() -> None:
    # 1,200 entries on one day: groups large enough to be searched through their index, and more different
    # details than are compared pair by pair, so that the bitmap index of the words is used.
    rng = random.Random(7)
    master = merge_returns(generated_returns(rng, [date(2024, 3, 14)], 1200, AGENCIES), today=TODAY)
    total = assert_same_links(master)
    busiest = max(master.entries, key=lambda e: e.links)
    assert busiest.links > 100 and len(busiest.linked) == LINKS_KEPT and total > 100_000
    assert linked_text(busiest, master.entries).endswith(f"; and {busiest.links - LINKS_KEPT} more")


def test_a_busy_day_in_the_future_links_as_every_pair_compared() -> None:
    # Entries dated in the future go at the end in return and row order, not by time: the index cannot take
    # the entries close in time as one stretch there.
    rng = random.Random(3)
    master = merge_returns(generated_returns(rng, [date(2052, 3, 14), date(2052, 3, 15)], 900, AGENCIES[:3]),
                           today=TODAY)
    assert all(e.future for e in master.entries)
    assert assert_same_links(master) > 10_000


def test_similar_details_are_found_among_many_different_texts() -> None:
    # Many different details on one day, a few of them similar across agencies and of different types of contact.
    rng = random.Random(11)
    vocabulary = [f"word{n}" for n in range(3000)]
    rows: dict[str, list[list[object]]] = {"Police": [], "Health Visiting": []}
    for n in range(600):
        text = " ".join(rng.sample(vocabulary, rng.randrange(3, 30)))
        rows["Police"].append(["14/03/2024", "", f"kind {n}", "", text, ""])
        if n % 10 == 0:
            words = text.split()
            rows["Health Visiting"].append(["14/03/2024", "", f"other kind {n}", "", " ".join(words[: len(words) // 2 + 2]), ""])
    returns = [AgencyReturn(file=f"{a}.xlsx", sheet="Chronology", header_row=1, header=HEADER,
                            rows=[(i, r) for i, r in enumerate(rs, start=2)], title_block=[["Agency:", a]], path=f"{a}.xlsx")
               for a, rs in rows.items()]
    master = merge_returns(returns, today=TODAY)
    assert assert_same_links(master) >= 2 * 60
