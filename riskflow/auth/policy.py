"""Who may do what: the one place pages, the API, commands and jobs ask.

An action is allowed when the user's role is listed for it and, for the unit
roles (risk officer, unit head), the item is within the user's unit. Reading
and writing are asked separately: a unit role reads its own unit's items, the
company-wide ones (no unit) and the shared ones its unit takes part in, but
writes only the items that belong to its unit alone. An action named
`….read` (or `….read_…`) reads; every other action writes.
An item of another unit is reported as missing, never as forbidden, so that
its existence does not leak; a company-wide item a unit role may read but not
change is forbidden.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import Forbidden, NotFound
from .models import ROLES, UNIT_ROLES

ALL = frozenset(ROLES)
MANAGERS = frozenset({"admin", "risk_manager"})
GRADERS = MANAGERS | {"risk_officer"}

# action -> roles that may take it; unit roles only within their unit.
PERMISSIONS: dict[str, frozenset[str]] = {
    "unit.read": ALL,
    "unit.create": frozenset({"admin"}),
    # A unit's name and its group robot's address (the address holds the robot's key).
    "unit.manage": frozenset({"admin"}),
    # Group messages and mails that could not go out, and sending a failed one again.
    "delivery.manage": frozenset({"admin"}),
    "user.read": frozenset({"admin"}),
    "user.manage": frozenset({"admin"}),
    "history.read": ALL,
    # The risk register.
    "standard.read": ALL,
    "standard.manage": MANAGERS,
    "category.read": ALL,
    "category.manage": MANAGERS,
    "risk.read": ALL,
    "risk.write": GRADERS,
    "assessment.read": ALL,
    "assessment.write": GRADERS,
    "grading_round.read": ALL,
    "round.manage": MANAGERS,
    "warning.read": ALL,
    "warning.update": GRADERS | {"unit_head"},
    # `done` is the risk manager's confirmation of a unit's response, not the unit's own word.
    "warning.confirm": MANAGERS,
    "indicator.read": ALL,
    "indicator.manage": MANAGERS,
    # A unit's roles report their unit's figures; a company-wide indicator's also its named owner (the service).
    "indicator.record": GRADERS | {"unit_head"},
    # Efficiency supervision: inspectors run projects; the responsible unit answers recommendations.
    "supervision_project.read": ALL,
    "recommendation.read": ALL,
    "supervision.manage": frozenset({"admin", "inspector"}),
    # 所属企业自选立项: a unit's head proposes a project for their own unit; the inspection office files it.
    "supervision.propose": frozenset({"unit_head"}),
    # A proposal not filed yet: the inspection office and the proposing unit's head edit it.
    "supervision_project.edit_proposal": frozenset({"admin", "inspector", "unit_head"}),
    "supervision_project.attach": frozenset({"inspector"}),
    # A benefit's evidence: read as the benefit is (its recommendation's unit, else its project's units).
    "supervision_benefit.read": ALL,
    "supervision_benefit.attach": frozenset({"inspector"}),
    "recommendation.attach": frozenset({"inspector", "unit_head", "risk_officer"}),
    # The risk event library: units record their own; the risk manager runs rounds and meetings.
    "incident.read": ALL,
    "incident.write": GRADERS | {"unit_head"},
    "incident.attach": GRADERS | {"unit_head"},
    "incident_round.read": ALL,
    "incident_round.manage": MANAGERS,
    "incident_round.answer": frozenset({"risk_officer", "unit_head"}),
    "review_meeting.read": ALL,
    "meeting.manage": MANAGERS,
    # Warning cases (警示案例): the review meeting's risk manager marks them; every role reads their shared view.
    "warning_case.read": ALL,
    "warning_case.mark": frozenset({"risk_manager"}),
    # Actions: the risk manager assigns any; a unit's officer or head its own unit's (the service checks owners).
    "action.read": ALL,
    "action.create": GRADERS | {"unit_head"},
    "action.update": GRADERS | {"unit_head"},
    "action.attach": GRADERS | {"unit_head"},
    # A unit's grading sheet: its officer submits, its head confirms, the risk manager accepts (the workflow).
    "grading_sheet.read": ALL,
    # Reports are company-wide: not for the unit roles.
    "report.read": frozenset({"admin", "risk_manager", "inspector", "viewer"}),
    "report.create": MANAGERS,
    # Reviewing a monthly report: the risk manager's analysis and issuing it (签发).
    "report.issue": MANAGERS,
    # The unit version of an issued monthly report (本单位版): a unit's roles their own unit's, the company's any.
    "report.read_unit": ALL,
    # Its mail goes to the unit heads who ask for it.
    "report.subscribe_unit": frozenset({"unit_head"}),
}


class SystemActor:
    """The actor of commands run on the server and of scheduled jobs: full rights."""

    id = None
    role = "admin"
    unit_id = None
    active = True
    is_authenticated = True
    label = "system"


SYSTEM = SystemActor()


def allow(action: str, roles) -> None:
    """Declare which roles may take ACTION."""
    unknown = set(roles) - ALL
    if unknown:
        raise ValueError(f"unknown roles for {action}: {sorted(unknown)}")
    PERMISSIONS[action] = frozenset(roles)


def is_unit_scoped(user) -> bool:
    """True when USER sees only their own unit's items."""
    return user.role in UNIT_ROLES


def scope_unit_id(user) -> int | None:
    """The unit a list must be filtered to for USER, or None for company-wide roles."""
    return user.unit_id if is_unit_scoped(user) else None


def units_of(target) -> set[int] | None:
    """The units an item concerns, or None when it belongs to no unit."""
    if hasattr(target, "scope_unit_ids"):
        units = target.scope_unit_ids()
        return None if units is None else set(units)
    if hasattr(target, "unit_id"):
        return {target.unit_id}
    return None


def writes(action: str) -> bool:
    """True when ACTION changes something: every action but the `….read` and `….read_…` ones."""
    return not (action.endswith(".read") or ".read_" in action)


def in_scope(user, target) -> bool:
    """True when USER's unit may read TARGET: its own, a company-wide one, or a shared one it takes part in."""
    return not is_unit_scoped(user) or reads_units(user, units_of(target))


def reads_units(user, units: set[int] | None) -> bool:
    """True when USER may read an item of UNITS (units_of: None for a company-wide one); in_scope without
    asking the item again, for many readers of one item."""
    return not is_unit_scoped(user) or units is None or user.unit_id in units


def in_write_scope(user, target) -> bool:
    """True when USER's unit may change TARGET: only what belongs to that unit alone.

    A company-wide item (no unit), or one shared with other units, belongs to the company's roles."""
    if not is_unit_scoped(user):
        return True
    units = units_of(target)
    return bool(units) and units <= {user.unit_id}


def sees_all(user, unit_ids) -> bool:
    """True when USER may see something that speaks of every unit in UNIT_IDS (a history entry, a total)."""
    return not is_unit_scoped(user) or set(unit_ids) <= {user.unit_id}


def role_allows(user, action: str) -> bool:
    """True when USER's role may take ACTION at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.role in PERMISSIONS[action]


def can(user, action: str, target=None) -> bool:
    """True when USER may take ACTION, on TARGET when given (a write only within the write scope)."""
    if not role_allows(user, action):
        return False
    if target is None:
        return True
    return in_write_scope(user, target) if writes(action) else in_scope(user, target)


def require(user, action: str, target=None):
    """Raise unless USER may take ACTION on TARGET; returns TARGET for chaining.

    A missing target, or one the user's unit may not read, is NotFound; a role
    that may not take the action is Forbidden, and so is a write to an item the
    unit may read but that is not its own (a company-wide one).
    """
    if target is not None and not in_scope(user, target):
        raise NotFound(_l("Not found."))
    if not role_allows(user, action):
        raise Forbidden(_l("Your role may not do this."))
    if target is not None and writes(action):
        require_write_scope(user, target)
    return target


def require_write_scope(user, target) -> None:
    """Raise Forbidden when USER's unit may read TARGET but not change it (call after the read check)."""
    if in_write_scope(user, target):
        return
    if units_of(target) is None:
        raise Forbidden(_l("This item belongs to the whole company: only the company's roles may change it; "
                           "your unit may read it."))
    raise Forbidden(_l("This item is shared with other units: only the company's roles may change it."))


def require_found(user, action: str, target):
    """Like require(), but a None target is NotFound as well."""
    if target is None:
        raise NotFound(_l("Not found."))
    return require(user, action, target)
