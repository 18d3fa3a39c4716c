"""PATCH /warnings and the actions that answer a warning: who may set which status, a progress counted from
the actions, the confirmation only once none is open, and a confirmed warning that takes no new action."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import sql

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")


def _due(days=20):
    return (TODAY + timedelta(days=days)).isoformat()


def warning_of(company, title="渠道压货风险", unit="BJ"):
    """A major risk of UNIT graded this month, so it has a warning: the warning's JSON."""
    risk = company.risk(title, unit=unit)
    company.grade(risk["id"], MONTH, 5, 4)
    return next(w for w in company.manager.get(f"/warnings?period={MONTH}&per_page=200").get_json()["items"]
                if w["risk_id"] == risk["id"])


def action_on(company, warning, title="清理渠道库存", owner="officer_bj"):
    made = company.manager.post("/actions", {"title": title, "owner": owner, "due_date": _due(),
                                             "warning_id": warning["id"]})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def fire(api, action, transition, **fields):
    response = api.post(f"/actions/{action['id']}/transitions", {"transition": transition, **fields})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def finish(company, action):
    """Take ACTION through start, submit and the risk manager's confirmation."""
    fire(company.officer_bj, action, "start")
    fire(company.officer_bj, action, "submit", report="已完成")
    fire(company.manager, action, "confirm")


def stored(app, warning):
    return sql(app, "SELECT progress, status, response, version FROM warnings WHERE id = :id", id=warning["id"])[0]


def current(company, warning):
    items = company.manager.get(f"/warnings?period={MONTH}&per_page=200").get_json()["items"]
    return next(w for w in items if w["id"] == warning["id"])


@pytest.mark.parametrize("role", ["officer_bj", "head_bj"])
def test_a_unit_role_sets_open_and_in_progress_but_done_is_403(app, company, role):
    warning = warning_of(company)
    api = getattr(company, role)
    started = api.patch(f"/warnings/{warning['id']}", {"status": "in_progress", "response": "压降库存",
                                                       "progress": 40})
    assert started.status_code == 200, started.get_json()
    assert (started.get_json()["status"], started.get_json()["progress"]) == ("in_progress", 40)
    back = api.patch(f"/warnings/{warning['id']}", {"status": "open"})
    assert back.status_code == 200 and back.get_json()["status"] == "open"
    before = stored(app, warning)
    refused = api.patch(f"/warnings/{warning['id']}", {"status": "done", "progress": 100})
    assert refused.status_code == 403, refused.get_json()
    assert stored(app, warning) == before


def test_another_units_warning_is_404_and_the_leader_may_not_answer(app, company):
    warning = warning_of(company)
    assert company.officer_sh.patch(f"/warnings/{warning['id']}", {"status": "in_progress"}).status_code == 404
    assert company.leader.patch(f"/warnings/{warning['id']}", {"status": "in_progress"}).status_code == 403
    assert stored(app, warning)[:2] == (0, "open")


def test_done_is_refused_at_status_naming_every_open_action(app, company):
    warning = warning_of(company)
    first = action_on(company, warning, "清理库存")
    second = action_on(company, warning, "调整返利", owner="head_bj")
    third = action_on(company, warning, "约谈经销商")
    finish(company, first)
    fire(company.officer_bj, second, "start")
    fire(company.officer_bj, second, "submit", report="返利已调整")  # submitted is still open
    before = stored(app, warning)
    refused = company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"})
    assert refused.status_code == 422, refused.get_json()
    errors = refused.get_json()["errors"]
    assert list(errors) == ["status"]
    assert any(f"{second['code']}, {third['code']}" in message for message in errors["status"]), errors
    assert not any(first["code"] in message for message in errors["status"])
    assert stored(app, warning) == before
    english = company.manager.patch(f"/warnings/{warning['id']}?lang=en", {"status": "done"}).get_json()
    assert f"Actions are still open: {second['code']}, {third['code']}." in " ".join(english["errors"]["status"])


def test_the_progress_is_counted_from_the_actions_and_the_same_value_is_accepted(app, company):
    warning = warning_of(company)
    actions = [action_on(company, warning, f"措施{i}") for i in range(3)]
    finish(company, actions[0])
    row = current(company, warning)
    assert (row["progress"], row["status"]) == (33, "in_progress")
    before = stored(app, warning)
    typed = company.officer_bj.patch(f"/warnings/{warning['id']}", {"progress": 50, "response": "推进中"})
    assert typed.status_code == 422
    assert list(typed.get_json()["errors"]) == ["progress"]
    assert "33%" in typed.get_json()["errors"]["progress"][0]
    assert stored(app, warning) == before
    # The page sends the derived figure back with the response: accepted, and the response saved.
    same = company.officer_bj.patch(f"/warnings/{warning['id']}", {"progress": 33, "response": "推进中",
                                                                  "version": row["version"]})
    assert same.status_code == 200, same.get_json()
    assert stored(app, warning)[:3] == (33, "in_progress", "推进中")


def test_a_warning_without_actions_keeps_the_units_own_progress(app, company):
    warning = warning_of(company)
    saved = company.officer_bj.patch(f"/warnings/{warning['id']}", {"progress": 70, "response": "已压降七成"})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["actions"] == []
    assert stored(app, warning)[:3] == (70, "open", "已压降七成")
    early = company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"})
    assert early.status_code == 422 and list(early.get_json()["errors"]) == ["status"]
    assert company.officer_bj.patch(f"/warnings/{warning['id']}", {"progress": 100}).status_code == 200
    confirmed = company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"})
    assert confirmed.status_code == 200, confirmed.get_json()
    assert stored(app, warning)[:2] == (100, "done")


def test_cancelled_actions_do_not_count(app, company):
    warning = warning_of(company)
    kept, dropped = action_on(company, warning, "清理库存"), action_on(company, warning, "另起炉灶")
    fire(company.manager, dropped, "cancel", comment="与第一项重复")
    assert current(company, warning)["progress"] == 0
    finish(company, kept)
    row = current(company, warning)
    assert (row["progress"], row["status"]) == (100, "in_progress")
    assert [(a["code"], a["state"]) for a in row["actions"]] == [(kept["code"], "done"), (dropped["code"], "cancelled")]
    confirmed = company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"})
    assert confirmed.status_code == 200, confirmed.get_json()


def test_a_warning_whose_actions_are_all_cancelled_takes_the_units_progress_again(app, company):
    warning = warning_of(company)
    only = action_on(company, warning)
    fire(company.manager, only, "cancel", comment="风险已消除")
    saved = company.officer_bj.patch(f"/warnings/{warning['id']}", {"progress": 60})
    assert saved.status_code == 200, saved.get_json()
    assert stored(app, warning)[0] == 60


def test_a_warning_confirmed_done_takes_no_new_action_nor_an_action_moved_onto_it(app, company):
    warning = warning_of(company)
    other = warning_of(company, "价格波动风险")
    finish(company, action_on(company, warning))
    assert company.manager.patch(f"/warnings/{warning['id']}", {"status": "done"}).status_code == 200
    late = company.manager.post("/actions", {"title": "再补一项", "owner": "officer_bj", "due_date": _due(),
                                             "warning_id": warning["id"]})
    assert late.status_code == 409, late.get_json()
    assert list(late.get_json()["errors"]) == ["warning_id"]
    elsewhere = action_on(company, other, "核对价格")
    moved = company.manager.patch(f"/actions/{elsewhere['id']}", {"warning_id": warning["id"]})
    assert moved.status_code == 409, moved.get_json()
    assert sql(app, "SELECT count(*) FROM actions WHERE warning_id = :id", id=warning["id"]) == [(1,)]
    # Confirmed: the unit no longer changes it, the risk manager still may.
    assert company.officer_bj.patch(f"/warnings/{warning['id']}", {"response": "补充"}).status_code == 403
    assert company.manager.patch(f"/warnings/{warning['id']}", {"response": "补充说明"}).status_code == 200


def test_the_warnings_list_names_each_warnings_actions(app, company):
    warning = warning_of(company)
    quiet = warning_of(company, "价格波动风险")
    first = action_on(company, warning, "清理库存")
    second = company.manager.post("/actions", {"title": "调整返利", "owner": "head_bj",
                                               "due_date": TODAY.isoformat(), "warning_id": warning["id"]}).get_json()
    fire(company.officer_bj, first, "start")
    items = {w["id"]: w for w in company.officer_bj.get(f"/warnings?period={MONTH}").get_json()["items"]}
    assert items[quiet["id"]]["actions"] == []
    assert items[warning["id"]]["actions"] == [
        {"id": first["id"], "code": first["code"], "title": "清理库存", "state": "in_progress", "owner": "officer_bj",
         "due_date": _due(), "overdue": False},
        {"id": second["id"], "code": second["code"], "title": "调整返利", "state": "open", "owner": "head_bj",
         "due_date": TODAY.isoformat(), "overdue": False}]
    assert company.officer_sh.get(f"/warnings?period={MONTH}").get_json()["items"] == []


def test_a_refused_patch_changes_nothing_and_names_each_field(app, company):
    warning = warning_of(company)
    action_on(company, warning)
    before = stored(app, warning)
    refused = company.manager.patch(f"/warnings/{warning['id']}", {"status": "done", "progress": 90,
                                                                   "response": "全部完成"})
    assert refused.status_code == 422
    assert sorted(refused.get_json()["errors"]) == ["progress", "status"]
    assert stored(app, warning) == before
    history = company.manager.get(f"/history?entity=warning&id={warning['id']}").get_json()["items"]
    assert [h["action"] for h in history] == ["raise"]
