"""One append-only history, written in the same transaction as the change."""
import pytest
from sqlalchemy import select

from riskflow import history
from riskflow.auth import policy
from riskflow.auth import service
from riskflow.auth.models import Unit
from riskflow.errors import Conflict


def test_creating_a_unit_writes_its_history_row(api_as, run_db):
    api = api_as("root", "admin")
    unit_id = api.post("/units", {"code": "BJ", "name": "北京"}).get_json()["id"]
    body = api.get(f"/history?entity=unit&id={unit_id}").get_json()
    assert body["total"] == 1
    (row,) = body["items"]
    assert (row["actor"], row["action"], row["from_state"], row["to_state"]) == ("root", "create", None, None)
    assert row["changes"] == {"code": [None, "BJ"], "name": [None, "北京"]}
    assert row["at"].endswith("+00:00")


def test_a_refused_change_leaves_no_history(app, run_db):
    run_db(lambda s: service.create_unit(s, policy.SYSTEM, "BJ", "北京"))

    def duplicate(s):
        service.create_unit(s, policy.SYSTEM, "BJ", "北京二")

    with pytest.raises(Conflict):
        run_db(duplicate)
    rows = run_db(lambda s: s.scalars(select(history.ChangeRecord).where(history.ChangeRecord.entity == "unit")).all())
    assert len(rows) == 1


def test_history_and_change_roll_back_together(run_db):
    class Boom(Exception):
        pass

    def create_then_fail(s):
        service.create_unit(s, policy.SYSTEM, "BJ", "北京")
        raise Boom

    with pytest.raises(Boom):
        run_db(create_then_fail)
    assert run_db(lambda s: s.scalar(select(Unit).where(Unit.code == "BJ"))) is None
    units = select(history.ChangeRecord).where(history.ChangeRecord.entity == "unit")
    assert run_db(lambda s: s.scalars(units).all()) == []


def test_history_rows_cannot_be_changed_or_deleted(run_db):
    run_db(lambda s: service.create_unit(s, policy.SYSTEM, "BJ", "北京"))

    def rewrite(s):
        s.scalars(select(history.ChangeRecord)).first().actor = "someone else"

    def delete(s):
        s.delete(s.scalars(select(history.ChangeRecord)).first())


    with pytest.raises(history.AppendOnlyError):
        run_db(rewrite)
    with pytest.raises(history.AppendOnlyError):
        run_db(delete)
    assert run_db(lambda s: s.scalars(select(history.ChangeRecord)).first().actor) == "system"


def test_history_needs_a_known_entity_and_a_numeric_id(api_as):
    api = api_as("root", "admin")
    response = api.get("/history?entity=spaceship&id=x")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"entity", "id"}


def test_history_of_a_missing_item_is_404(api_as):
    api = api_as("root", "admin")
    assert api.get("/history?entity=unit&id=999").status_code == 404


def test_user_history_is_for_administrators(api_as, make):
    admin = api_as("root", "admin")
    viewer = api_as("boss", "viewer")
    user_id = make.user("li", "viewer")
    assert viewer.get(f"/history?entity=user&id={user_id}").status_code == 403
    body = admin.get(f"/history?entity=user&id={user_id}").get_json()
    assert [r["action"] for r in body["items"]] == ["create"]
    make.token("li")
    body = admin.get(f"/history?entity=user&id={user_id}").get_json()
    assert [r["action"] for r in body["items"]] == ["create", "create_token"]


def test_diff_lists_only_changed_fields():
    assert history.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
