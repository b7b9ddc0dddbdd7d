"""The checks a register's entries must pass, each with the guidance it comes from.

Every rule is a function over plain records that yields :class:`Finding` objects; ``RULES`` lists
them with their code, severity and source. :func:`validate` runs them all and never stops at the
first problem. The reading problems (missing sheets, renamed headers, text in date cells) come
first, from :mod:`caseforms.register.reading`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from caseforms.deadlines import timetable
from caseforms.eligibility import age_in_months, describe_age
from caseforms.events import EVENTS, ORDER, day_of
from caseforms.profile import Profile
from caseforms.register import nhs
from caseforms.register.findings import ERROR, WARNING, Finding, sort_key
from caseforms.register.folders import CASES_FOLDER, folder_name, shared_folders
from caseforms.register.pathway import CLOSED, case_state
from caseforms.register.records import Case, Register, Row, is_lcspr
from caseforms.register.schema import (
    AGENCIES,
    CASES,
    CHARACTERISTICS,
    DRAFTS,
    EMAIL,
    FAMILY,
    IMRS,
    LCSPR,
    MEETINGS,
    NARRATIVE,
    PEOPLE,
    RECOMMENDATIONS,
    STAGES,
)

CheckFunction = Callable[[Register, Profile, date], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    #: What the rule checks, in a line, for the Instructions sheet and `caseforms validate --help`.
    description: str
    #: Where the rule comes from: document keys and sections, as a profile's milestones cite them
    #: ("kent_pif: 3.2"); :func:`validate` gives each finding the documents' titles.
    source: str
    check: CheckFunction


def _finding(
    rule: Rule, register: Register, record: Row, key: str, message: str, fix: str, severity: str | None = None
) -> Finding:
    return Finding(rule.code, severity or rule.severity, record.sheet, register.cell(record.sheet, record.row, key),
                   message, fix, rule.source)


def _header(register: Register, sheet: str, key: str) -> str:
    return register.schema.sheet(sheet).column(key).header


def _usable(register: Register, record: Row, key: str) -> bool:
    """Return True when a column was found and its cell read cleanly (a reading finding covers the rest)."""
    return key in register.columns.get(record.sheet, {}) and (record.sheet, record.row, key) not in register.unreadable


def _fmt(value: date) -> str:
    return f"{day_of(value):%d/%m/%Y}"


# -- the rules ---------------------------------------------------------------------------------


def check_required(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for each column left empty that the record's stage requires."""
    rule = RULES_BY_CODE["REQUIRED"]
    when = {s.key: s.when for s in STAGES}
    for sheet, records in ((CASES, register.cases), (PEOPLE, register.people), (AGENCIES, register.agencies),
                           (MEETINGS, register.meetings)):
        schema_sheet = register.schema.sheet(sheet)
        for record in records:
            stages = set(record.stages(register.schema)) if isinstance(record, Case) else {"referral"}
            for column in schema_sheet.columns:
                if column.required_at in stages and not record.filled(column.key) and _usable(register, record, column.key):
                    label = f"case {record['case_ref']}" if record["case_ref"] else f"row {record.row}"
                    yield _finding(
                        rule, register, record, column.key,
                        f"{sheet}, {label}: '{column.header}' is empty; it is required {when[column.required_at]}.",
                        f"Fill in {register.cell(sheet, record.row, column.key)}.",
                    )


def case_date_order(register: Register, case: Case) -> Iterator[Finding]:
    """Yield a finding for each pair of the case's dates in an order that cannot happen, naming both cells.

    The papers and the deadlines of a case say the same when its dates clash (caseforms.jobs).
    """
    rule = RULES_BY_CODE["DATE_ORDER"]
    columns = register.schema.event_columns()
    # The local authority may notify before the partnership's Executive decides: it has the duty, independent of
    # the referral process (004_6c96fbcaaedcbdc1.txt: Appendix B), so a notification before the decision is real.
    pairs = [*((columns[a].key, columns[b].key) for a, b in ORDER if a in columns and b in columns),
             ("referral_date", "decision_date")]
    for earlier, later in pairs:
        first, second = case[earlier], case[later]
        if isinstance(first, date) and isinstance(second, date) and day_of(second) < day_of(first):
            yield _finding(
                rule, register, case, later,
                f"Case {case.ref}: '{_header(register, CASES, later)}' ({_fmt(second)}) is before "
                f"'{_header(register, CASES, earlier)}' ({_fmt(first)}), which cannot happen.",
                f"Check both dates ({register.cell(CASES, case.row, earlier)} and "
                f"{register.cell(CASES, case.row, later)}): one of them is probably mistyped.",
            )


def check_date_order(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where a case's events, or a person's birth and death, are in an impossible order."""
    rule = RULES_BY_CODE["DATE_ORDER"]
    for case in register.cases:
        yield from case_date_order(register, case)
    for person in register.people:
        born, died = person["date_of_birth"], person["date_of_death"]
        if isinstance(born, date) and isinstance(died, date) and day_of(died) < day_of(born):
            yield _finding(
                rule, register, person, "date_of_death",
                f"People, row {person.row} ({person['name'] or 'no name'}): date of death {_fmt(died)} is before "
                f"the date of birth {_fmt(born)}.",
                "Check both dates: one of them is probably mistyped.",
            )


def check_late_notification(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding when the National Panel was notified late and no reason is recorded."""
    rule = RULES_BY_CODE["LATE_NOTIFICATION"]
    days = next((m.amount for m in profile.milestones if m.id == "la_notification"), 5)
    calendar = profile.calendar
    for case in register.cases:
        aware, notified = case["aware_date"], case["notified_date"]
        if not (isinstance(aware, date) and isinstance(notified, date)) or case.filled("late_notification_reason"):
            continue
        due = calendar.add_working_days(day_of(aware), days)
        if day_of(notified) > due:
            late = calendar.working_days_between(due, day_of(notified))
            yield _finding(
                rule, register, case, "late_notification_reason",
                f"Case {case.ref}: the National Panel was notified on {_fmt(notified)}, {late} working day"
                f"{'s' if late != 1 else ''} after the deadline of {_fmt(due)} ({days} working days from the LA "
                f"becoming aware on {_fmt(aware)}), and no reason is recorded.",
                f"Record why the notification was late in {register.cell(CASES, case.row, 'late_notification_reason')}: "
                "the National Panel and Ofsted ask for it.",
            )


def check_born_after_incident(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a person born after the case's incident."""
    rule = RULES_BY_CODE["DOB_AFTER_INCIDENT"]
    for case in register.cases:
        incident = case["incident_date"]
        if not isinstance(incident, date):
            continue
        for person in case.people:
            born = person["date_of_birth"]
            if isinstance(born, date) and day_of(born) > day_of(incident):
                yield _finding(
                    rule, register, person, "date_of_birth",
                    f"People, row {person.row} ({person['name'] or 'no name'}, case {case.ref}): born {_fmt(born)}, "
                    f"after the incident on {_fmt(incident)}.",
                    "Check the date of birth here and the date of incident on the Cases sheet.",
                )


def check_child_age(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a subject child 18 or over at the incident, unless the profile allows the age."""
    rule = RULES_BY_CODE["CHILD_AGE"]
    child_limit = int(profile.eligibility.get("child_age_limit_months", 216))
    review_limit = int(profile.eligibility.get("rapid_review_age_limit_months", child_limit))
    for case in register.cases:
        incident = case["incident_date"]
        if not isinstance(incident, date):
            continue
        for person in case.children():
            born = person["date_of_birth"]
            if not isinstance(born, date) or day_of(born) > day_of(incident):
                continue
            if _care_leaver(person) or case["care_leaver_death"] == "Yes":
                continue  # a care leaver's death is notified up to 25: CARE_LEAVER_AGE checks that age
            months = age_in_months(day_of(born), day_of(incident))
            if months < child_limit:
                continue
            age = describe_age(day_of(born), day_of(incident))
            who = f"People, row {person.row} ({person['name'] or 'no name'}, case {case.ref})"
            if months < review_limit:
                yield _finding(
                    rule, register, person, "date_of_birth",
                    f"{who}: {age} old at the incident. The {profile.title} protocol allows a Rapid Review at this "
                    "age only where most service involvement was before 18 and no other review (e.g. a SAR) is running.",
                    "Record in the case notes that both conditions are met, or consider a Safeguarding Adults Review.",
                    severity=WARNING,
                )
            else:
                yield _finding(
                    rule, register, person, "date_of_birth",
                    f"{who}: {age} old at the incident, so not a child: the notification and Rapid Review duties "
                    "apply to children under 18.",
                    "Check the date of birth; if it is right, record the case as not notified and consider a "
                    "Safeguarding Adults Review.",
                )


def check_care_leaver_age(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a care leaver's death recorded at 25 or over (not notifiable as such)."""
    rule = RULES_BY_CODE["CARE_LEAVER_AGE"]
    limit = int(profile.eligibility.get("care_leaver_age_limit_months", 300))
    for person in register.people:
        born, died = person["date_of_birth"], person["date_of_death"]
        if not _care_leaver(person):
            continue
        if not (isinstance(born, date) and isinstance(died, date)) or day_of(died) < day_of(born):
            continue
        if age_in_months(day_of(born), day_of(died)) >= limit:
            yield _finding(
                rule, register, person, "date_of_death",
                f"People, row {person.row} ({person['name'] or 'no name'}): a care leaver who died aged "
                f"{describe_age(day_of(born), day_of(died))}. Only the death of a care leaver under 25 is notified to "
                "the Secretary of State and Ofsted.",
                "Check the dates of birth and death; if they are right, the death is not a care leaver notification.",
            )


def _care_leaver(person: Row) -> bool:
    return person["care_leaver"] == "Yes" or person["legal_status"] == "Care leaver"


def check_nhs_numbers(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for an NHS number that is not ten digits with the right check digit."""
    rule = RULES_BY_CODE["NHS_NUMBER"]
    for person in register.people:
        value = person["nhs_number"]
        if not value:
            continue
        problem = nhs.problem(str(value))
        if problem:
            yield _finding(
                rule, register, person, "nhs_number",
                f"People, row {person.row} ({person['name'] or 'no name'}): NHS number {problem}.",
                "Copy the NHS number again from the health record (ten digits, e.g. 999 000 0018).",
            )


def check_outcome_dates(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a decision or outcome recorded without the date it was made."""
    rule = RULES_BY_CODE["OUTCOME_WITHOUT_DATE"]
    for case in register.cases:
        for outcome, when in (("decision", "decision_date"), ("rr_outcome", "rr_decision_date")):
            if case.filled(outcome) and not case.filled(when) and _usable(register, case, when):
                yield _finding(
                    rule, register, case, when,
                    f"Case {case.ref}: '{_header(register, CASES, outcome)}' is '{case[outcome]}' but "
                    f"'{_header(register, CASES, when)}' is empty.",
                    f"Enter '{_header(register, CASES, when)}' in {register.cell(CASES, case.row, when)}: the "
                    "deadlines count from it.",
                )


def check_lcspr_methodology(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for an LCSPR without a methodology from the profile's list."""
    rule = RULES_BY_CODE["LCSPR_METHODOLOGY"]
    methods = profile.lists.get("methodologies", [])
    for case in register.cases:
        if not (is_lcspr(case["rr_outcome"]) or case.filled("lcspr_decision_date")):
            continue
        value = case["methodology"]
        if value in methods or not _usable(register, case, "methodology"):
            continue
        what = "no methodology" if not value else f"the methodology '{value}', which is not on the list"
        yield _finding(
            rule, register, case, "methodology",
            f"Case {case.ref}: the LCSPR has {what}.",
            f"Pick one in {register.cell(CASES, case.row, 'methodology')}: {', '.join(methods)}.",
        )


def _is_rapid_review(meeting_type: object) -> bool:
    return isinstance(meeting_type, str) and "rapid review" in meeting_type.lower()


def quorum_missing(register: Register, meeting: Row) -> list[str]:
    """Return the roles a quorate meeting needs that the meeting's row does not show as present."""
    return [c.role for c in register.schema.sheet(MEETINGS).columns if c.role and meeting[c.key] != "Yes"]


def check_quorum(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a Rapid Review meeting that recorded a decision without a quorum."""
    rule = RULES_BY_CODE["NOT_QUORATE_DECISION"]
    for meeting in register.meetings:
        if not (_is_rapid_review(meeting["meeting_type"]) and meeting.filled("decision")):
            continue
        missing = [r for r in quorum_missing(register, meeting) if r]
        if missing:
            yield _finding(
                rule, register, meeting, "decision",
                f"Meetings, row {meeting.row} (case {meeting['case_ref']}, {meeting['meeting_type']}): a decision is "
                f"recorded but the meeting was not quorate: not shown as present: {', '.join(missing)}.",
                "Record the attendance if they were there (or a nominated representative was); otherwise the "
                "meeting must reconvene before the decision stands.",
            )


def check_dissent(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a non-unanimous decision with no dissent recorded."""
    rule = RULES_BY_CODE["DISSENT_MISSING"]
    for meeting in register.meetings:
        if meeting["unanimous"] == "No" and not meeting.filled("dissent"):
            yield _finding(
                rule, register, meeting, "dissent",
                f"Meetings, row {meeting.row} (case {meeting['case_ref']}): the decision was not unanimous but no "
                "dissent is recorded.",
                f"Record who disagreed and why in {register.cell(MEETINGS, meeting.row, 'dissent')}; the decision goes "
                "to the Executive before the National Panel.",
            )


def check_executive_first(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding when a Rapid Review decision the Executive must see first went to the Panel without it.

    Kent: a decision that is not unanimous, or that recommends a national review, is shared with the
    KSCMP Executive before the National Panel; Lincolnshire: every report goes to the Assurance
    Executive. The profile's [rapid_review_meeting] executive_before_panel says which.
    """
    rule = RULES_BY_CODE["EXECUTIVE_FIRST"]
    says = str(profile.rapid_review_meeting.get("executive_before_panel") or "")
    if not says or "rr_executive_date" not in register.columns.get(CASES, {}):
        return
    for case in register.cases:
        sent, shown = case["rr_decision_date"], case["rr_executive_date"]
        if not isinstance(sent, date):
            continue
        deciding = [m for m in case.meetings if _is_rapid_review(m["meeting_type"]) and m.filled("unanimous")]
        split = bool(deciding) and deciding[-1]["unanimous"] == "No"
        national = "national" in str(case["rr_outcome"] or "").casefold()
        if not ("always" in says or split or national):
            continue
        why = ("the Executive signs every Rapid Review off" if "always" in says
               else "it was not unanimous" if split else "it recommends a national review")
        if not isinstance(shown, date):
            message = f"Case {case.ref}: the Rapid Review decision went to the National Panel on {_fmt(sent)}, and {why}, " \
                      "but no date it was shared with the Executive is recorded."
        elif day_of(shown) > day_of(sent):
            message = f"Case {case.ref}: the decision was shared with the Executive on {_fmt(shown)}, after it went to " \
                      f"the National Panel on {_fmt(sent)}; {why}, so the Executive sees it first."
        else:
            continue
        yield _finding(rule, register, case, "rr_executive_date", message,
                       f"Record '{_header(register, CASES, 'rr_executive_date')}' in "
                       f"{register.cell(CASES, case.row, 'rr_executive_date')}.")


def check_duplicate_refs(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for each case reference used by more than one case."""
    rule = RULES_BY_CODE["DUPLICATE_CASE_REF"]
    first_row: dict[str, int] = {}
    for case in register.cases:
        ref = case.ref.strip().casefold()
        if not ref:
            continue
        if ref in first_row:
            yield _finding(
                rule, register, case, "case_ref",
                f"Cases, row {case.row}: case reference '{case.ref}' is already used on row {first_row[ref]}.",
                "Give each case its own reference; people, meetings, folders and papers are matched on it.",
            )
        else:
            first_row[ref] = case.row


def check_shared_folders(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for each case whose reference would name the same folder as another case's."""
    rule = RULES_BY_CODE["SHARED_CASE_FOLDER"]
    by_row = {c.row: c for c in register.cases}
    for group in shared_folders((c.ref, c.row) for c in register.cases):
        first_ref, first_row = group[0]
        for ref, row in group[1:]:
            if ref.casefold() == first_ref.casefold():
                continue  # the same reference twice: DUPLICATE_CASE_REF says so
            yield _finding(
                rule, register, by_row[row], "case_ref",
                f"Cases, row {row}: case reference '{ref}' and '{first_ref}' on row {first_row} would share the "
                f"folder {CASES_FOLDER}/{folder_name(ref)}, so one child's returns, master chronology and papers "
                "would be mixed with the other's. Until one is changed, caseforms makes no request, merge or "
                "papers for either.",
                f"Give one of them a reference that differs in its letters or digits (e.g. '{ref}-2'), not only "
                "in punctuation or capitals.",
            )


# Deliberately simple: one @, no spaces, a dot in the domain. Typos, not RFC 5322, are the target.
_EMAIL = re.compile(r"^[^@\s;,<>()\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def check_emails(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a malformed e-mail address in the agency directory."""
    rule = RULES_BY_CODE["EMAIL"]
    keys = [c.key for c in register.schema.sheet(AGENCIES).columns if c.kind == EMAIL]
    for agency in register.agencies:
        for key in keys:
            value = agency[key]
            if not value:
                continue
            text = str(value).strip()
            parts = [a for a in re.split(r"[;,]\s*", text) if a]
            bad = [a for a in parts if not _EMAIL.match(a)]
            if not bad:
                continue
            place = f"Agencies, row {agency.row} ({agency['agency'] or 'no agency'})"
            fix = "Correct it (name@organisation.gov.uk; separate several addresses with ';'), or requests will not arrive."
            # The whole cell, not the piece: 'tom.reyes@millbrook-council,example.org' is one address with a
            # comma typed for a full stop, and quoting only its first half hides the fault.
            comma = re.sub(r",\s*", ".", text)
            if "," in text and _EMAIL.match(comma):
                message = (f"{place}: '{text}' is not an e-mail address: it has a comma where a full stop belongs "
                           f"(did you mean '{comma}'?).")
                fix = f"Type a full stop for the comma ('{comma}'); separate several addresses with ';'."
            elif len(parts) > 1:
                message = f"{place}: '{text}' holds {len(parts)} addresses and '{bad[0]}' is not a whole one."
            else:
                message = f"{place}: '{text}' is not an e-mail address."
            yield _finding(rule, register, agency, key, message, fix)


def check_unknown_cases(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a person, meeting, narrative or characteristic whose case is not on the Cases sheet."""
    rule = RULES_BY_CODE["UNKNOWN_CASE"]
    if not register.has_cases_sheet:
        return
    refs = {c.ref for c in register.cases}
    for record in (*register.people, *register.meetings,
                   *(r for sheet in (NARRATIVE, CHARACTERISTICS, LCSPR, IMRS, FAMILY, DRAFTS, RECOMMENDATIONS)
                     for r in register.other.get(sheet, []))):
        ref = record["case_ref"]
        if ref and ref not in refs:
            yield _finding(
                rule, register, record, "case_ref",
                f"{record.sheet}, row {record.row}: case reference '{ref}' is not on the Cases sheet.",
                "Correct the reference (it must match the Cases sheet exactly) or add the case.",
            )


def check_children_per_case(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a case with more subject children than one notification can carry."""
    rule = RULES_BY_CODE["TOO_MANY_CHILDREN"]
    for case in register.cases:
        children = case.children()
        if len(children) > 4:
            yield _finding(
                rule, register, children[4], "role",
                f"Case {case.ref} has {len(children)} subject children; the DfE notification form takes up to 4.",
                "Notify the further children on a second form, and note it in the case.",
            )


def check_future_dates(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a date of something that has happened which is after today."""
    rule = RULES_BY_CODE["FUTURE_DATE"]
    past_only = {CASES: ("incident_date", "aware_date", "referral_date", "decision_date", "notified_date", "rr_decision_date",
                         "more_info_date", "receipt_confirmed_date", "outcome_letter_date", "sos_ofsted_date",
                         "panel_response_date", "rr_reconvened_date", "panel_reply_date", "signoff_date",
                         "report_to_panel_date", "publication_date"),
                 PEOPLE: ("date_of_birth", "date_of_death")}
    for sheet, records in ((CASES, register.cases), (PEOPLE, register.people)):
        for record in records:
            for key in past_only[sheet]:
                value = record[key]
                if isinstance(value, date) and day_of(value) > today:
                    planned = key == "publication_date"
                    yield _finding(
                        rule, register, record, key,
                        f"{sheet}, row {record.row}: '{_header(register, sheet, key)}' is {_fmt(value)}, after today "
                        f"({_fmt(today)})" + (": it is the day the report was published, not the day planned."
                                              if planned else "."),
                        "Move the date to 'Planned publication date' until the report is published."
                        if planned else "Check the year and the day/month order (dd/mm/yyyy).",
                    )


def check_notified_without_child(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a notified case with no subject child on the People sheet."""
    rule = RULES_BY_CODE["NO_CHILD"]
    if PEOPLE not in register.columns:
        return
    for case in register.cases:
        if "notified" in case.stages(register.schema) and not case.children():
            yield _finding(
                rule, register, case, "case_ref",
                f"Case {case.ref} is notified but has no subject child on the People sheet.",
                "Add the child (role 'Child (subject of the review)') on the People sheet: the papers are filled from it.",
            )


# -- issue 15: the pathway ---------------------------------------------------------------------


def _has(register: Register, sheet: str, key: str) -> bool:
    """Return True when the register has the column (an older register lacks the columns added later)."""
    return key in register.columns.get(sheet, {})


def _rows_of(register: Register, sheet: str, ref: str) -> list[Row]:
    wanted = ref.strip().casefold()
    return [r for r in register.other.get(sheet, []) if str(r["case_ref"] or "").strip().casefold() == wanted]


def check_status(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where the Status cell is not where the case's row puts it on the pathway."""
    rule = RULES_BY_CODE["STATUS"]
    known = set(register.schema.lists.get("case_statuses", []))
    for case in register.cases:
        status = case["status"]
        if not status or not _usable(register, case, "status"):
            continue
        state = case_state(case, register.schema)
        if status in state.statuses or state.status not in known:
            continue
        because = _header(register, CASES, state.because)
        yield _finding(
            rule, register, case, "status",
            f"Case {case.ref}: Status is '{status}', but the register records '{because}' "
            f"({register.cell(CASES, case.row, state.because)}), so the case is at '{state.status}'. Next: "
            f"{state.next_step[0].lower()}{state.next_step[1:]}",
            f"Pick '{state.status}' in {register.cell(CASES, case.row, 'status')}, or correct the entry that says "
            "otherwise.",
        )


def check_closed_case(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a case closed before its Rapid Review action plan is complete (or its LCSPR published)."""
    rule = RULES_BY_CODE["CLOSED_TOO_SOON"]
    if not _has(register, CASES, "action_plan_complete"):
        return
    for case in register.cases:
        if case_state(case, register.schema).status != CLOSED:
            continue
        reviewed = case.filled("rr_decision_date") or "notifying" in case.flags(register.schema)
        if reviewed and case["action_plan_complete"] != "Yes":
            yield _finding(
                rule, register, case, "action_plan_complete",
                f"Case {case.ref} is closed, but its Rapid Review action plan is not complete ('RR action plan "
                f"complete' is {case['action_plan_complete'] or 'empty'}). A case closes only once its action plan is "
                "complete.",
                "Keep the case open ('Actions open') until every action is complete, evidenced and signed off; "
                "'caseforms tracker --register' then writes Yes here.",
            )
        elif (is_lcspr(case["rr_outcome"]) or case.filled("lcspr_decision_date")) and not case.filled("publication_date"):
            yield _finding(
                rule, register, case, "publication_date",
                f"Case {case.ref} is closed, but its LCSPR is not recorded as published.",
                f"Record the publication date in {register.cell(CASES, case.row, 'publication_date')}, or keep the "
                "case open until it is published.", severity=WARNING,
            )


def check_referral_loop(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where a referral's loop is not closed: authorised, its date asked for, the referrer told."""
    rule = RULES_BY_CODE["REFERRAL_LOOP"]
    for case in register.cases:
        if case["care_leaver_death"] == "Yes" or not case.filled("referring_agency"):
            continue
        if _has(register, CASES, "referral_authorised_by") and not case.filled("referral_authorised_by"):
            yield _finding(
                rule, register, case, "referral_authorised_by",
                f"Case {case.ref}: the referral from {case['referring_agency']} does not say who in the agency "
                "authorised it.",
                f"Record the name and role in {register.cell(CASES, case.row, 'referral_authorised_by')}: a referral "
                "needs the agreement of the agency's Executive representative or senior safeguarding lead.",
            )
        asked = "more information" in str(case["decision"] or "").casefold()
        if asked and _has(register, CASES, "more_info_date") and not case.filled("more_info_date"):
            yield _finding(
                rule, register, case, "more_info_date",
                f"Case {case.ref}: the decision is to ask for more information, but not when it was asked.",
                f"Record the date in {register.cell(CASES, case.row, 'more_info_date')}.",
            )
        decided = case.filled("decision_date") and case.filled("decision") and not asked
        if decided and _has(register, CASES, "outcome_letter_date") and not case.filled("outcome_letter_date"):
            yield _finding(
                rule, register, case, "outcome_letter_date",
                f"Case {case.ref}: the {profile.bodies.get('executive', 'Executive')} decided "
                f"'{case['decision']}' on {_fmt(case['decision_date'])}, and the referrer has not been sent the "
                "outcome.",
                f"Send the outcome letter ('caseforms papers --pack referral-outcome') and record the date in "
                f"{register.cell(CASES, case.row, 'outcome_letter_date')}.",
            )


def check_duty_flags(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where the People sheet shows a death a notification duty covers that the case does not say."""
    rule = RULES_BY_CODE["DUTY_NOT_SWITCHED_ON"]
    limit = int(profile.eligibility.get("care_leaver_age_limit_months", 300))
    for case in register.cases:
        for person in case.children():
            died = person["date_of_death"]
            if not isinstance(died, date):
                continue
            looked_after = person["looked_after"] == "Yes" or str(person["legal_status"] or "").startswith("Looked after")
            born = person["date_of_birth"]
            under_25 = isinstance(born, date) and age_in_months(day_of(born), day_of(died)) < limit
            for applies, key, duty in (
                (looked_after, "looked_after_death", "the death of a looked-after child"),
                (_care_leaver(person) and under_25, "care_leaver_death", "the death of a care leaver under 25"),
            ):
                if applies and case[key] != "Yes" and _has(register, CASES, key):
                    yield _finding(
                        rule, register, case, key,
                        f"Case {case.ref}: {person['name'] or 'the child'} (People row {person.row}) died and is "
                        f"recorded as {duty.split(' of ')[1].split(' under')[0]}, but "
                        f"'{_header(register, CASES, key)}' is not Yes, so the duty to notify the Secretary of State "
                        "and Ofsted, and its deadline, are not switched on.",
                        f"Pick Yes in {register.cell(CASES, case.row, key)}.",
                    )


def check_panel_reply(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where the National Panel's disagreement is answered without the group reconvening."""
    rule = RULES_BY_CODE["PANEL_DISAGREEMENT"]
    for case in register.cases:
        if case["panel_view"] != "Disagrees":
            continue
        if case.filled("panel_reply_date") and not case.filled("rr_reconvened_date"):
            yield _finding(
                rule, register, case, "rr_reconvened_date",
                f"Case {case.ref}: the National Panel disagreed, and a reply is recorded as sent on "
                f"{_fmt(case['panel_reply_date'])}, but not the meeting that reconvened to consider its feedback.",
                f"Record the reconvened meeting's date in {register.cell(CASES, case.row, 'rr_reconvened_date')} (and "
                "the meeting on the Meetings sheet).",
            )
        elif case.filled("rr_reconvened_date") and not case.filled("reconvened_decision") \
                and _has(register, CASES, "reconvened_decision"):
            yield _finding(
                rule, register, case, "reconvened_decision",
                f"Case {case.ref}: the group reconvened on {_fmt(case['rr_reconvened_date'])}, but what it decided "
                "is not recorded.",
                f"Record the decision and why in {register.cell(CASES, case.row, 'reconvened_decision')}: the reply to "
                "the Panel gives it.", severity=WARNING,
            )


def _lcspr_cases(register: Register) -> Iterator[Case]:
    return (c for c in register.cases if is_lcspr(c["rr_outcome"]) or c.filled("lcspr_decision_date"))


def check_lcspr_reviewer(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where an LCSPR has no row on the LCSPR sheet, or its reviewer's commissioning is not done."""
    rule = RULES_BY_CODE["LCSPR_REVIEWER"]
    if LCSPR not in register.columns:
        return
    for case in _lcspr_cases(register):
        rows = _rows_of(register, LCSPR, case.ref)
        if not rows:
            yield _finding(
                rule, register, case, "lcspr_decision_date",
                f"Case {case.ref} is an LCSPR but has no row on the {LCSPR} sheet: its reviewer, panel, publication "
                "and delays have nowhere to go.",
                f"Add a row on the {LCSPR} sheet with Case reference {case.ref}.",
            )
            continue
        row = rows[0]
        if not case.filled("reviewer"):
            continue
        missing = [key for key in ("conflicts_declared", "confidentiality_date") if not row.filled(key)]
        if case["reviewer_independent"] == "Yes" and not row.filled("reviewer_to_panel_date"):
            missing.append("reviewer_to_panel_date")
        if missing:
            said = ", ".join(f"'{_header(register, LCSPR, k)}'" for k in missing)
            yield _finding(
                rule, register, row, missing[0],
                f"Case {case.ref}: the reviewer {case['reviewer']} is appointed, and {said} "
                f"{'is' if len(missing) == 1 else 'are'} not recorded.",
                f"Record them on the {LCSPR} sheet, row {row.row}: everyone taking part declares conflicts of interest "
                "and keeps the review confidential; an independent reviewer's name goes to the National Panel.",
            )


def check_recommendations_locked(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for an LCSPR recommendation changed after sign-off without a further panel meeting."""
    rule = RULES_BY_CODE["RECOMMENDATIONS_LOCKED"]
    for case in _lcspr_cases(register):
        signed = case["signoff_date"]
        if not isinstance(signed, date):
            continue
        rows = _rows_of(register, LCSPR, case.ref)
        lcspr = rows[0] if rows else None
        reconvened = lcspr["panel_reconvened_date"] if lcspr is not None else None
        if lcspr is not None and lcspr.filled("substantial_changes") and not isinstance(reconvened, date):
            yield _finding(
                rule, register, lcspr, "panel_reconvened_date",
                f"Case {case.ref}: the Executive asked for substantial changes at sign-off, and no further meeting of "
                "the review panel is recorded.",
                f"Convene the panel and record its date on the {LCSPR} sheet, row {lcspr.row}, before the changes are "
                "made.",
            )
        for rec in _rows_of(register, RECOMMENDATIONS, case.ref):
            changed = rec["changed_date"] if isinstance(rec["changed_date"], date) else rec["agreed_date"]
            if not isinstance(changed, date) or day_of(changed) <= day_of(signed):
                continue
            if isinstance(reconvened, date) and day_of(signed) <= day_of(reconvened) <= day_of(changed):
                continue
            yield _finding(
                rule, register, rec, "changed_date" if isinstance(rec["changed_date"], date) else "agreed_date",
                f"Case {case.ref}, recommendation {rec['number'] or rec.row}: changed on {_fmt(changed)}, after the "
                f"report was signed off on {_fmt(signed)}. Signed-off recommendations do not change unless the review "
                "panel meets again.",
                f"Put back the signed-off wording, or record the further panel meeting on the {LCSPR} sheet "
                "('Review panel reconvened on').",
            )


def check_family_before_publication(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where the family has not had the report before publication, or no family is recorded."""
    rule = RULES_BY_CODE["FAMILY_BEFORE_PUBLICATION"]
    if FAMILY not in register.columns:
        return
    for case in _lcspr_cases(register):
        publication = case["publication_date"] if isinstance(case["publication_date"], date) \
            else case["publication_planned_date"]
        if not isinstance(publication, date) and not isinstance(case["signoff_date"], date):
            continue
        family = _rows_of(register, FAMILY, case.ref)
        if not family:
            yield _finding(
                rule, register, case, "family_involvement",
                f"Case {case.ref}: the LCSPR is signed off or its publication planned, and no family member is on the "
                f"{FAMILY} sheet.",
                f"Add a row for each family member on the {FAMILY} sheet: told, contact agreed, views heard, the "
                "report seen before publication (or that they declined).",
            )
            continue
        if not isinstance(publication, date):
            continue
        published = isinstance(case["publication_date"], date)
        if not published and today < profile.calendar.add_working_days(day_of(publication), -7):
            continue  # the final report goes to the family with the Panel's copy, 7 working days before publication
        for member in family:
            if member["declined"] == "Yes":
                continue
            shared = member["report_shared_date"]
            if not isinstance(shared, date) or day_of(shared) > day_of(publication):
                when = f"only on {_fmt(shared)}, after" if isinstance(shared, date) else "before"
                yield _finding(
                    rule, register, member, "report_shared_date",
                    f"Case {case.ref}: {member['relationship'] or member['name'] or 'a family member'} has not seen the "
                    f"report {when} its publication on {_fmt(publication)}.",
                    "Give them an embargoed, confidential copy before publication and record the date; or record that "
                    "they declined to take part.",
                )


def check_publication(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for a late publication the Panel is not told of, or a report taken down too early."""
    rule = RULES_BY_CODE["PUBLICATION"]
    for case in _lcspr_cases(register):
        decided = case["lcspr_decision_date"]
        if not isinstance(decided, date):
            continue
        rows = _rows_of(register, LCSPR, case.ref)
        lcspr = rows[0] if rows else None
        due = next((r.due for r in timetable(profile, {"lcspr_decision": day_of(decided)}, today, checked=True)
                    if r.id == "lcspr_publication"), None)
        if not isinstance(due, date):
            continue
        published, planned = case["publication_date"], case["publication_planned_date"]
        late = (isinstance(published, date) and day_of(published) > due) or \
            (not isinstance(published, date) and (day_of(due) < today or
                                                  (isinstance(planned, date) and day_of(planned) > due)))
        if late and lcspr is not None and not lcspr.filled("delay_reasons"):
            yield _finding(
                rule, register, lcspr, "delay_reasons",
                f"Case {case.ref}: the LCSPR is due to be published by {_fmt(due)} (6 months from the decision on "
                f"{_fmt(decided)}) and will not be, and the reasons for the delay are not recorded.",
                f"Tell the National Panel why, and record the reasons and the date on the {LCSPR} sheet, row "
                f"{lcspr.row}.",
            )
        down = lcspr["taken_down_date"] if lcspr is not None else None
        if isinstance(published, date) and lcspr is not None and isinstance(down, date):
            keep = next(((r.due, r.milestone.rule) for r in timetable(profile, {"publication": day_of(published)}, today,
                                                                      checked=True)
                         if r.milestone.kind == "keep_until" and r.due is not None), None)
            if keep is not None and day_of(down) < day_of(keep[0]):
                yield _finding(
                    rule, register, lcspr, "taken_down_date",
                    f"Case {case.ref}: the report was taken down on {_fmt(down)}, before {_fmt(keep[0])} ({keep[1]}).",
                    "Put the report back online until then, or record the reason in the LCSPR sheet's Notes.",
                )


def check_imrs(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding for an IMR past its due date and not received."""
    rule = RULES_BY_CODE["IMR_OVERDUE"]
    for row in register.other.get(IMRS, []):
        due = row["due"]
        if isinstance(due, date) and not row.filled("received_on") and day_of(due) < today:
            yield _finding(
                rule, register, row, "due",
                f"{IMRS}, row {row.row} (case {row['case_ref']}): the IMR from {row['agency'] or 'an agency'} was due "
                f"on {_fmt(due)} and is not recorded as received.",
                "Chase the agency's author (the reminder can say the review cannot go on without it), then record "
                "the date it arrives.",
            )


def check_meeting_attendees(register: Register, profile: Profile, today: date) -> Iterator[Finding]:
    """Yield a finding where a Rapid Review meeting breaks the profile's attendee rules (Kent)."""
    rule = RULES_BY_CODE["RR_ATTENDEES"]
    rules = profile.rapid_review_meeting
    most = rules.get("max_other_attendees")
    under = rules.get("health_visiting_when_under_years")
    domestic = rules.get("domestic_abuse_specialist_when_da")
    if most is None and under is None and not domestic:
        return
    for case in register.cases:
        for meeting in case.meetings:
            if not _is_rapid_review(meeting["meeting_type"]):
                continue
            others = [o for o in re.split(r"\s*(?:\n|;)\s*", str(meeting["other_attendees"] or "")) if o.strip()]
            roles = {o.partition(":")[0].strip().casefold() for o in others if ":" in o}
            where = f"Meetings, row {meeting.row} (case {case.ref}, {meeting['meeting_type']})"
            if most is not None and len(others) > int(most):
                yield _finding(rule, register, meeting, "other_attendees",
                               f"{where}: {len(others)} other attendees; the {profile.title} allows up to {most} "
                               "besides the chair and the decision makers.",
                               "Keep to those who give information and guidance to the meeting.")
            if domestic and case["domestic_abuse"] == "Yes" and "domestic abuse specialist" not in roles:
                yield _finding(rule, register, meeting, "other_attendees",
                               f"{where}: domestic abuse is known or suspected, and no domestic abuse specialist is "
                               "among the other attendees.",
                               "Invite one, and list them as 'Domestic abuse specialist: name (organisation)'.")
            incident = case["incident_date"]
            if under is not None and isinstance(incident, date) and "health visiting" not in roles:
                young = [c for c in case.children() if isinstance(c["date_of_birth"], date)
                         and 0 <= age_in_months(day_of(c["date_of_birth"]), day_of(incident)) < 12 * int(under)]
                if young:
                    yield _finding(rule, register, meeting, "other_attendees",
                                   f"{where}: {young[0]['name'] or 'the child'} was under {under} at the incident, and "
                                   "no health visiting representative is among the other attendees.",
                                   "Invite the health visiting service, and list them as 'Health visiting: name "
                                   "(organisation)'.")


RULES: tuple[Rule, ...] = (
    Rule("DUPLICATE_CASE_REF", ERROR, "case references are unique",
         "caseforms: one register row per case", check_duplicate_refs),
    Rule("SHARED_CASE_FOLDER", ERROR, "case references stay different as folder names (not only by punctuation)",
         "caseforms: one register row and one folder per case", check_shared_folders),
    Rule("REQUIRED", ERROR, "the fields a case's stage requires are filled in",
         "working_together_2023: chapter 5; lincolnshire_sirg: Appendix A (referral form)", check_required),
    Rule("DATE_ORDER", ERROR, "incident <= aware <= referral/notification <= Rapid Review <= LCSPR <= publication",
         "working_together_2023: chapter 5 (the order of the process)", check_date_order),
    Rule("LATE_NOTIFICATION", ERROR, "a notification later than 5 working days after becoming aware has a reason",
         "children_act_2004: s16C(1); working_together_2023: chapter 5; kent_pif: 2.1 Duty to notify",
         check_late_notification),
    Rule("DOB_AFTER_INCIDENT", ERROR, "nobody is born after the incident",
         "caseforms: dates of birth come before the incident", check_born_after_incident),
    Rule("CHILD_AGE", ERROR, "a subject child is under 18 at the incident, or within the profile's protocol",
         "children_act_2004: s16C(1) (a child); kent_pif: Appendix Two (18 years 6 months)", check_child_age),
    Rule("CARE_LEAVER_AGE", ERROR, "a care leaver death is notified only under 25",
         "working_together_2023: chapter 5 (the death of a care leaver up to their 25th birthday)", check_care_leaver_age),
    Rule("NHS_NUMBER", ERROR, "NHS numbers have ten digits and the right modulus 11 check digit",
         "nhs_data_dictionary: NHS Number; lincolnshire_sirg: Appendix A (NHS number)", check_nhs_numbers),
    Rule("OUTCOME_WITHOUT_DATE", ERROR, "a decision or outcome has the date it was made",
         "lincolnshire_sirg: Appendix D (decision and date), Appendix G", check_outcome_dates),
    Rule("LCSPR_METHODOLOGY", ERROR, "an LCSPR has a methodology from the profile's list",
         "kent_pif: 4.2 Methodology", check_lcspr_methodology),
    Rule("NOT_QUORATE_DECISION", ERROR, "a Rapid Review decision is made only by a quorate meeting",
         "children_act_2004: s16E (the three safeguarding partners); kent_pif: 3.2 How Rapid Reviews are conducted in Kent",
         check_quorum),
    Rule("DISSENT_MISSING", ERROR, "a non-unanimous decision records the dissent",
         "kent_pif: 3.2 How Rapid Reviews are conducted in Kent (decision by majority, dissent recorded)",
         check_dissent),
    Rule("EXECUTIVE_FIRST", WARNING, "a Rapid Review decision the Executive must see goes to it before the Panel",
         "kent_pif: 3.3 Rapid Review outcomes; lincolnshire_sirg: The Rapid Review Report",
         check_executive_first),
    Rule("EMAIL", ERROR, "agency e-mail addresses are well formed",
         "caseforms: requests are e-mailed to each agency's single point of contact", check_emails),
    Rule("UNKNOWN_CASE", ERROR, "people and meetings belong to a case on the Cases sheet",
         "caseforms: people and meetings belong to a case", check_unknown_cases),
    Rule("TOO_MANY_CHILDREN", WARNING, "a notification carries up to 4 children",
         "report_an_incident: up to 4 children on one notification", check_children_per_case),
    Rule("FUTURE_DATE", WARNING, "dates of things that have happened are not after today",
         "caseforms: deadlines count from events that have happened", check_future_dates),
    Rule("NO_CHILD", WARNING, "a notified case has its subject child on the People sheet",
         "lincolnshire_sirg: Appendix A (the child)", check_notified_without_child),
    # The whole pathway, from referral to publication.
    Rule("STATUS", WARNING, "the Status is where the case's dates and decisions put it on the pathway",
         "working_together_2023: chapter 5 (the process from notification to review)", check_status),
    Rule("CLOSED_TOO_SOON", ERROR, "a case closes only once its Rapid Review action plan is complete",
         "kent_pif: 5.1 Rapid Review action plans", check_closed_case),
    Rule("REFERRAL_LOOP", WARNING, "a referral is authorised, and its referrer told of the outcome",
         "kent_pif: 2.3 Referral to KSCMP; lincolnshire_sirg: Process 2 and Appendix B",
         check_referral_loop),
    Rule("DUTY_NOT_SWITCHED_ON", WARNING, "a looked-after child's or a care leaver's death switches its duty on",
         "kent_pif: 2.1 Duty to notify; kent_ics_guidance: Notifications to National Panel",
         check_duty_flags),
    Rule("PANEL_DISAGREEMENT", ERROR, "a disagreement of the National Panel is answered after the group reconvenes",
         "kent_pif: 3.3 Rapid Review outcomes", check_panel_reply),
    Rule("LCSPR_REVIEWER", WARNING, "an LCSPR's reviewer declares conflicts, signs the confidentiality agreement and, "
         "when independent, is named to the National Panel",
         "kent_pif: 4.2, 4.4; lincolnshire_sirg: Chapter 3, Chair and/or Author",
         check_lcspr_reviewer),
    Rule("RECOMMENDATIONS_LOCKED", ERROR, "signed-off LCSPR recommendations change only after a further panel meeting",
         "kent_pif: 4.2 How LCSPRs are conducted in Kent", check_recommendations_locked),
    Rule("FAMILY_BEFORE_PUBLICATION", WARNING, "the family sees the LCSPR report before it is published",
         "kent_pif: 4.6 Publication of LCSPRs; lincolnshire_sirg: Involvement of family members",
         check_family_before_publication),
    Rule("PUBLICATION", WARNING, "a publication later than 6 months is explained to the National Panel; a published "
         "report stays online for the profile's period",
         "kirklees_guide: Summary of timescales, Publication; kent_pif: 4.6", check_publication),
    Rule("IMR_OVERDUE", WARNING, "an agency's IMR arrives by its due date",
         "kent_ics_guidance: Independent Management Review (IMR) reports", check_imrs),
    Rule("RR_ATTENDEES", WARNING, "a Rapid Review meeting follows the profile's attendee rules",
         "kent_pif: 3.2 Membership (up to three others, a domestic abuse specialist, health visiting "
         "under 5); kent_ics_guidance: Membership of the Rapid Review (up to two others)", check_meeting_attendees),
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

#: Codes of the findings reading a workbook can give (see caseforms.register.reading).
READING_CODES = ("MISSING_SHEET", "NO_HEADERS", "HEADER_NOT_ON_ROW_1", "MISSING_COLUMN", "MERGED_CELLS",
                 "BLANK_ROW", "NOT_A_DATE", "DATE_AS_TEXT", "EXCEL_ERROR", "NOT_IN_LIST", "NO_PROFILE")


def validate(register: Register, profile: Profile, today: date | None = None,
             rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Return every finding for the register: reading problems, then each rule's, errors first."""
    today = today or date.today()
    findings = list(register.problems)
    for rule in rules:
        findings.extend(rule.check(register, profile, today))
    findings = [replace(f, source=profile.cite(f.source)) if f.source else f for f in findings]
    findings.sort(key=sort_key)
    return findings


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """Return how many errors and warnings there are."""
    counts = Counter(f.severity for f in findings)
    return {ERROR: counts.get(ERROR, 0), WARNING: counts.get(WARNING, 0)}


__all__ = ["EVENTS", "RULES", "Finding", "Rule", "summary", "validate"]
