"""The kinds of notification: each one's title (a sentence naming the item, in the reader's language), its
label on the profile page and the channel it takes when the user has not chosen one.

A title's parameters are plain values stored with the notification (a code, a period, a letter number), so
the title is written in the language of whoever reads it, when they read it."""
from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

APP, MAIL, DIGEST = "app", "mail", "digest"
CHANNELS = (APP, MAIL, DIGEST)
CHANNEL_LABELS = {APP: _l("In the app only"), MAIL: _l("Also by mail at once"),
                  DIGEST: _l("Also in the daily mail digest")}

# kind -> (its label on the profile page, its title with the stored parameters)
KINDS: dict[str, tuple] = {
    "round_opened": (_l("A grading round opened"),
                     _l("The grading round of %(period)s is open; grade by %(deadline)s.")),
    "round_due": (_l("A grading round closes soon"),
                  _l("The grading round of %(period)s closes on %(deadline)s and %(unit)s's sheet is not "
                     "submitted yet.")),
    "sheet_returned": (_l("A grading sheet was returned"),
                       _l("%(unit)s's grading sheet of %(period)s was returned: %(reason)s")),
    "warning_raised": (_l("A warning was raised"), _l("New warning for %(period)s: %(code)s %(title)s.")),
    "action_assigned": (_l("An action was assigned"), _l("Action %(code)s is yours: %(title)s (due %(due)s).")),
    # The colour reminders read as the company publishes them (蓝色提醒/黄色通报/红色督办), as their mails did.
    "action_due": (_l("An action is due soon"), _l("%(colour)s: action %(code)s is due %(date)s")),
    "action_overdue": (_l("An action is overdue"), _l("%(colour)s: action %(code)s was due %(date)s and is not done")),
    "recommendation_issued": (_l("A recommendation was issued"),
                              _l("Recommendation %(letter_no)s was issued to %(unit)s; rectify by %(due)s.")),
    "rectification_submitted": (_l("A rectification waits for verification"),
                                _l("The rectification of %(letter_no)s was submitted for verification.")),
    "rectification_returned": (_l("A rectification was returned"),
                               _l("The rectification of %(letter_no)s was returned: %(reason)s")),
    "incident_round_opened": (_l("An incident collection round opened"),
                              _l("The incident collection of %(quarter)s is open; report by %(deadline)s.")),
    "report_draft": (_l("A report draft waits for review"), _l("The draft of %(title)s waits for your review.")),
    "report_issued": (_l("A report was issued"), _l("%(title)s was issued.")),
    "lesson_shared": (_l("A warning case was shared"), _l("Warning case %(code)s: %(title)s")),
    "supervision_notice": (_l("A supervision notice was issued"),
                           _l("Supervision notice %(number)s to your unit: %(subject)s")),
    "supervision_phase": (_l("A phase of the supervision plan starts"),
                          _l("%(phase)s of the %(year)s supervision plan: %(start)s to %(end)s.%(open_note)s")),
    "proposal_submitted": (_l("A unit proposed a supervision project"),
                           _l("%(unit)s proposed the supervision project %(code)s %(title)s; it waits for your "
                              "review.")),
    "proposal_returned": (_l("A project proposal was sent back"),
                          _l("The project proposal %(code)s %(title)s was sent back: %(reason)s")),
    # risklinks
    "risk_proposed": (_l("A recommendation proposes a risk"),
                      _l("Recommendation %(letter_no)s proposes a risk for %(unit)s: %(what)s.")),
    "risk_proposal_decided": (_l("A risk proposal was decided"),
                              _l("Your risk proposal from %(letter_no)s (%(what)s) was %(decision)s.")),
}

# kind -> the title's parameters that read differently in each language, made from the stored ones when the
# title is written (a report's title from its kind and period). The feature raising the kind registers it.
READ_PARAMS: dict[str, Callable[[dict], dict]] = {}

# The channel of a kind when the user has not chosen: what asks the reader to act now comes by mail at once,
# the rest in the daily digest; report_issued stays in the app (subscribers get the PDF by mail anyway).
DEFAULT_CHANNELS = {
    "round_opened": DIGEST, "round_due": MAIL, "sheet_returned": MAIL, "warning_raised": MAIL,
    "action_assigned": MAIL, "action_due": DIGEST, "action_overdue": MAIL, "recommendation_issued": MAIL,
    "rectification_submitted": MAIL, "rectification_returned": MAIL, "incident_round_opened": DIGEST,
    "report_draft": MAIL, "report_issued": APP, "lesson_shared": DIGEST, "supervision_notice": MAIL,
    "supervision_phase": MAIL, "proposal_submitted": MAIL, "proposal_returned": MAIL,
    "risk_proposed": MAIL, "risk_proposal_decided": MAIL,
}
# Kinds meant for the recipients alone, never posted to a group robot: a draft not issued yet concerns its
# reviewers, not the company's group; "action X is yours" speaks to its owner; a rectification submitted
# waits on the inspectors, not on the unit that sent it.
NOT_FOR_GROUPS = frozenset({"report_draft", "action_assigned", "rectification_submitted"})
# A proposal waits on the inspection office, not on the unit's group that sent it.
NOT_FOR_GROUPS |= {"proposal_submitted"}
NOT_FOR_GROUPS |= {"risk_proposed", "risk_proposal_decided"}

# The roles each kind can reach (events.py says who exactly): the profile asks a user only about these. A unit's
# roles (officer, head) are told of their unit's work; an action's owner may also be a risk manager; every role
# that reads a report (a unit's roles: their unit's version) is told it was issued.
_UNITS, _MANAGER = ("risk_officer", "unit_head"), ("risk_manager",)
RECEIVERS: dict[str, tuple[str, ...]] = {
    "round_opened": _UNITS + _MANAGER, "round_due": _UNITS, "sheet_returned": _UNITS,
    "warning_raised": _UNITS + _MANAGER, "action_assigned": _UNITS + _MANAGER, "action_due": _UNITS + _MANAGER,
    "action_overdue": _UNITS + _MANAGER, "recommendation_issued": _UNITS, "rectification_submitted": ("inspector",),
    "rectification_returned": _UNITS, "incident_round_opened": _UNITS, "report_draft": _MANAGER,
    "report_issued": ("admin", "risk_manager", "inspector", "viewer") + _UNITS, "lesson_shared": _UNITS + _MANAGER,
    "supervision_notice": _UNITS,
    "supervision_phase": ("inspector", "unit_head"),
    "proposal_submitted": ("inspector",), "proposal_returned": ("unit_head",),
    "risk_proposed": _MANAGER, "risk_proposal_decided": ("inspector", "admin"),
}


def for_role(role: str) -> list[str]:
    """The kinds ROLE can be told of, in KINDS' order."""
    return [kind for kind in KINDS if role in RECEIVERS.get(kind, ())]


# Leaders and administrators read what happened once a day rather than at once.
DIGEST_ROLES = ("viewer", "admin")


def default_channel(role: str, kind: str) -> str:
    channel = DEFAULT_CHANNELS[kind]
    return DIGEST if channel == MAIL and role in DIGEST_ROLES else channel


def label(kind: str) -> str:
    return str(KINDS[kind][0])


def title(kind: str, params: dict) -> str:
    """KIND's sentence with PARAMS, in the current language (a kind no longer known shows its id)."""
    return titler(kind)(params)


def titler(kind: str):
    """KIND's title as a function of its parameters, in the current language, the sentence translated once (the
    group messages of a thousand warnings); READ_PARAMS add the values worked out when it is read."""
    if kind not in KINDS:
        return lambda params: kind
    sentence = str(KINDS[kind][1])
    extra = READ_PARAMS.get(kind)

    def titled(params: dict) -> str:
        try:
            values = dict(params or {})
            if extra is not None:
                values.update(extra(values))
            return sentence % values
        except (KeyError, TypeError, ValueError):
            return str(KINDS[kind][0])

    return titled

