"""Where a case is on the statutory pathway, worked out from what its register row records.

The pathway (DOMAIN.md 'The pathway'; issue 15):

    referral -> (more information requested ->) decision
        -> not notified: closed | learning review | single-agency review | no further action | media interest
        -> notified -> Rapid Review -> submitted to the National Panel -> the Panel's reply
               (it disagrees -> the group reconvenes -> a reply to the Panel)
           -> no further review + action plan | LCSPR -> signed off -> published | national review recommended
        -> actions open -> closed (only once the Rapid Review action plan is complete)
    a care leaver's death -> the Secretary of State and Ofsted notified (information only) -> closed

A case is where its dates and decisions put it, not where its Status cell says: officers update the
Status last. :func:`case_state` says which state that is, which Status values are right for it (an
LCSPR decided at the Rapid Review meeting is both "Rapid Review in progress" until the report is sent
and "LCSPR in progress"), and the next step, in an officer's words. The checks compare the Status
cell with it (:mod:`caseforms.register.validation`).

Sources: 000_44eed6501ae43eb6.txt (2.3 Referral, 3.3 Rapid Review outcomes, 4.2-4.6 LCSPRs, 5.1 a case
closes when its action plan is complete); 004_6c96fbcaaedcbdc1.txt (Process 2, Appendix B: NFA or more
information; Media Interest Referral); 002_cbeaa030473136cf.txt (Notification of a Death of a Care Leaver:
information only, no review); 001_dbc9e6e00bcb128e.txt (alternative learning reviews).
"""

from __future__ import annotations

from dataclasses import dataclass

from caseforms.register.records import Case, is_lcspr, notify_decision
from caseforms.register.schema import RegisterSchema

REFERRAL_RECEIVED = "Referral received"
DECISION_PENDING = "Decision pending"
MORE_INFORMATION = "More information requested"
NOT_NOTIFIED_CLOSED = "Not notified: closed"
NOT_NOTIFIED_LEARNING = "Not notified: learning review"
NOT_NOTIFIED_SINGLE = "Not notified: single-agency review"
NOT_NOTIFIED_NFA = "Not notified: no further action"
MEDIA_INTEREST = "Media interest: log and monitor"
NOTIFIED = "Notified"
RAPID_REVIEW = "Rapid Review in progress"
RR_SUBMITTED = "Rapid Review submitted"
PANEL_DISAGREES = "Panel disagrees: reconvening"
LCSPR_IN_PROGRESS = "LCSPR in progress"
LCSPR_SIGNED_OFF = "LCSPR signed off"
LCSPR_PUBLISHED = "LCSPR published"
NATIONAL_REVIEW = "National review recommended"
ACTIONS_OPEN = "Actions open"
CLOSED = "Closed"
INFORMATION_ONLY = "Notified to the Secretary of State and Ofsted (information only)"

#: A "do not notify" decision (by its words) -> the status of a case not notified.
_NOT_NOTIFIED = (
    ("media", MEDIA_INTEREST),
    ("learning", NOT_NOTIFIED_LEARNING),
    ("single", NOT_NOTIFIED_SINGLE),
    ("no further", NOT_NOTIFIED_NFA),
    ("close", NOT_NOTIFIED_CLOSED),
)


@dataclass(frozen=True)
class State:
    """Where a case is: the Status it should show, the others that are right too, and what comes next."""

    #: The Status value that says where the case is.
    status: str
    #: The column whose entry put the case here (its key on the Cases sheet), for the finding's cell.
    because: str
    #: What the officer does next, in their words.
    next_step: str
    #: Other Status values that are right at this point (a case in two steps at once).
    also: tuple[str, ...] = ()

    @property
    def statuses(self) -> tuple[str, ...]:
        """Return every Status value that is right for the case now, its own first."""
        return (self.status, *self.also)


def _decision_kind(decision: str | None, notify: str) -> str | None:
    """Return the status a decision not to notify leads to, "notify", "more" or None when none is recorded."""
    if not decision:
        return None
    folded = decision.casefold()
    if decision == notify or folded.startswith("notify"):
        return "notify"
    if "more information" in folded:
        return "more"
    for words, status in _NOT_NOTIFIED:
        if words in folded:
            return status
    return None


def case_state(case: Case, schema: RegisterSchema) -> State:
    """Return where the case is on the pathway from what its row records (see the module's docstring)."""
    notify = notify_decision(schema)
    decision = case["decision"] if isinstance(case["decision"], str) else None
    kind = _decision_kind(decision, notify)
    notifying = kind == "notify" or case.filled("notified_date")
    outcome = str(case["rr_outcome"] or "")
    lcspr = is_lcspr(outcome) or case.filled("lcspr_decision_date")
    national = "national" in outcome.casefold()
    actions_done = case["action_plan_complete"] == "Yes"

    if case.filled("closed_date") or case["status"] == CLOSED:
        return State(CLOSED, "closed_date" if case.filled("closed_date") else "status", "Nothing: the case is closed.",
                     (NOT_NOTIFIED_CLOSED,) if not notifying else ())

    if case["care_leaver_death"] == "Yes" and not notifying and not case.filled("rr_decision_date"):
        if case.filled("sos_ofsted_date"):
            return State(INFORMATION_ONLY, "sos_ofsted_date",
                         "Close the case: a care leaver's death is notified for information only, with no review.")
        return State(REFERRAL_RECEIVED, "care_leaver_death",
                     "Notify the Secretary of State and Ofsted of the care leaver's death (information only).",
                     (DECISION_PENDING,))

    if not notifying:
        if kind in (None, "more"):
            if kind == "more" or (case.filled("more_info_date") and not case.filled("decision_date")):
                return State(MORE_INFORMATION, "more_info_date" if case.filled("more_info_date") else "decision",
                             "Decide once the referrer's further information is in: record the decision and its date.",
                             (DECISION_PENDING,))
            return State(DECISION_PENDING, "referral_date",
                         "The Executive decides whether to notify: record the decision and its date.",
                         (REFERRAL_RECEIVED,))
        step = ("Send the outcome letter to the referrer and the agencies involved."
                if not case.filled("outcome_letter_date") else "Close the case when the learning is taken forward.")
        return State(kind, "decision", step, (NOT_NOTIFIED_CLOSED,) if kind != NOT_NOTIFIED_CLOSED else ())

    if not case.filled("rr_decision_date"):
        if lcspr and case.filled("lcspr_decision_date"):
            # Decided at the meeting: the LCSPR has begun while the report is still on its way to the Panel.
            return State(RAPID_REVIEW, "lcspr_decision_date",
                         "Send the Rapid Review report and the LCSPR decision to the National Panel.",
                         (LCSPR_IN_PROGRESS, NOTIFIED))
        if case.filled("rr_meeting_date"):
            return State(RAPID_REVIEW, "rr_meeting_date",
                         "Send the Rapid Review report and decision to the National Panel.", (NOTIFIED,))
        return State(RAPID_REVIEW, "notified_date" if case.filled("notified_date") else "decision",
                     "Hold the Rapid Review: agency summaries, the meeting, the report.", (NOTIFIED,))

    submitted = (RR_SUBMITTED,) if not case.filled("panel_response_date") else ()
    if case["panel_view"] == "Disagrees" and not case.filled("panel_reply_date"):
        step = ("Send the reply to the National Panel." if case.filled("rr_reconvened_date")
                else "Reconvene the Rapid Review group to consider the Panel's feedback.")
        return State(PANEL_DISAGREES, "panel_view", step, (RR_SUBMITTED,))
    if lcspr:
        if case.filled("publication_date"):
            if actions_done:
                return State(LCSPR_PUBLISHED, "publication_date", "Close the case: the action plan is complete.",
                             (ACTIONS_OPEN,))
            return State(LCSPR_PUBLISHED, "publication_date",
                         "Track the recommendations and actions to completion; the case closes when the action plan "
                         "is complete.", (ACTIONS_OPEN,))
        if case.filled("signoff_date"):
            step = ("Send the full report to the National Panel, 7 working days before publication."
                    if not case.filled("report_to_panel_date") else "Publish the report.")
            return State(LCSPR_SIGNED_OFF, "signoff_date", step, (LCSPR_IN_PROGRESS, ACTIONS_OPEN))
        return State(LCSPR_IN_PROGRESS, "lcspr_decision_date" if case.filled("lcspr_decision_date") else "rr_outcome",
                     "Carry out the LCSPR: reviewer, panel, IMRs, family, drafts, sign-off.", (*submitted, ACTIONS_OPEN))
    if national:
        return State(NATIONAL_REVIEW, "rr_outcome", "Await the National Panel's decision on a national review; track "
                     "the Rapid Review actions.", (*submitted, ACTIONS_OPEN))
    step = ("Close the case: the Rapid Review action plan is complete." if actions_done
            else "Track the Rapid Review action plan to completion; the case closes when it is complete.")
    return State(ACTIONS_OPEN, "rr_decision_date", step, submitted)
