"""The permission policy for each role, and unit scoping."""
import pytest

from riskflow.auth import policy
from riskflow.auth.models import ROLES
from riskflow.errors import Forbidden, NotFound


class Person:
    def __init__(self, role, unit_id=None, active=True):
        self.role, self.unit_id, self.active, self.is_authenticated = role, unit_id, active, True


class Item:
    def __init__(self, unit_id):
        self.unit_id = unit_id


class Shared:
    def __init__(self, *units):
        self.units = units

    def scope_unit_ids(self):
        return self.units


EXPECTED = {
    # action: roles allowed
    "unit.read": set(ROLES),
    "unit.create": {"admin"},
    "user.read": {"admin"},
    "user.manage": {"admin"},
    "history.read": set(ROLES),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_role_may_take_exactly_its_actions(role, action):
    assert policy.can(Person(role, unit_id=1), action) is (role in EXPECTED[action])


@pytest.mark.parametrize("role", ["risk_officer", "unit_head"])
def test_unit_roles_see_only_their_unit(role):
    me = Person(role, unit_id=1)
    assert policy.can(me, "unit.read", Item(1)) is True
    assert policy.can(me, "unit.read", Item(2)) is False
    assert policy.can(me, "unit.read", Shared(2, 1)) is True
    assert policy.can(me, "unit.read", Shared(2, 3)) is False
    assert policy.scope_unit_id(me) == 1


@pytest.mark.parametrize("role", ["admin", "risk_manager", "inspector", "viewer"])
def test_company_roles_see_every_unit(role):
    me = Person(role, unit_id=1)
    assert policy.can(me, "unit.read", Item(2)) is True
    assert policy.scope_unit_id(me) is None


def test_another_units_item_is_not_found_not_forbidden():
    me = Person("risk_officer", unit_id=1)
    with pytest.raises(NotFound):
        policy.require(me, "unit.create", Item(2))
    with pytest.raises(Forbidden):
        policy.require(me, "unit.create", Item(1))
    with pytest.raises(NotFound):
        policy.require_found(me, "unit.read", None)


def test_an_inactive_user_may_do_nothing():
    assert policy.can(Person("admin", active=False), "unit.read") is False


def test_allow_refuses_unknown_roles():
    with pytest.raises(ValueError):
        policy.allow("x.y", {"admin", "janitor"})


class CompanyWide:
    """An item of no unit: a company-wide indicator."""


@pytest.mark.parametrize("role", ["risk_officer", "unit_head"])
def test_unit_roles_read_company_wide_items_but_write_only_their_own_units(role, monkeypatch):
    me = Person(role, unit_id=1)
    monkeypatch.setitem(policy.PERMISSIONS, "thing.read", frozenset({role}))
    monkeypatch.setitem(policy.PERMISSIONS, "thing.write", frozenset({role}))
    assert policy.can(me, "thing.read", CompanyWide()) is True
    assert policy.can(me, "thing.write", CompanyWide()) is False
    assert policy.can(me, "thing.write", Item(1)) is True
    assert policy.can(me, "thing.write", Item(2)) is False
    # A shared item is read by each unit it concerns, and written by none of them alone.
    assert policy.can(me, "thing.read", Shared(1, 2)) is True
    assert policy.can(me, "thing.write", Shared(1, 2)) is False
    assert policy.can(me, "thing.write", Shared(1)) is True
    with pytest.raises(Forbidden):
        policy.require(me, "thing.write", CompanyWide())
    with pytest.raises(NotFound):
        policy.require(me, "thing.write", Item(2))
    assert policy.in_write_scope(me, CompanyWide()) is False and policy.in_scope(me, CompanyWide()) is True


@pytest.mark.parametrize("role", ["admin", "risk_manager", "inspector", "viewer"])
def test_company_roles_write_company_wide_items_when_their_role_may(role, monkeypatch):
    monkeypatch.setitem(policy.PERMISSIONS, "thing.write", frozenset({role}))
    assert policy.can(Person(role), "thing.write", CompanyWide()) is True
    assert policy.can(Person(role), "thing.write", Shared(1, 2)) is True


def test_every_entity_with_a_history_has_a_read_action(app):
    from riskflow import history  # the app has registered every entity

    assert sorted(e for e in history.ENTITY_LOADERS if f"{e}.read" not in policy.PERMISSIONS) == []
    assert policy.writes("risk.read") is False and policy.writes("risk.write") is True
