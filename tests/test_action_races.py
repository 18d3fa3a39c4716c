"""Races on actions, with real parallel requests (on SQLite, and on PostgreSQL with RISKFLOW_TEST_PGPORT):
a warning confirmed while an action is added to it, one action confirmed twice at once, codes taken at once."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import sql
from test_races import in_parallel, own_api

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH = TODAY.strftime("%Y-%m")
DUE = (TODAY + timedelta(days=20)).isoformat()


def finished_warning(company, title):
    """A warning of BJ with one action done: progress 100, ready for the risk manager's confirmation."""
    risk = company.risk(title)
    company.grade(risk["id"], MONTH, 5, 4)
    warning = next(w for w in company.manager.get(f"/warnings?period={MONTH}&per_page=200").get_json()["items"]
                   if w["risk_id"] == risk["id"])
    action = company.manager.post("/actions", {"title": "清理库存", "owner": "officer_bj", "due_date": DUE,
                                               "warning_id": warning["id"]}).get_json()
    for api, step, extra in ((company.officer_bj, "start", {}), (company.officer_bj, "submit", {"report": "完成"}),
                             (company.manager, "confirm", {})):
        assert api.post(f"/actions/{action['id']}/transitions", {"transition": step, **extra}).status_code == 200
    return warning


def test_a_warning_is_never_confirmed_done_while_an_action_is_added_to_it(app, company, monkeypatch):
    """The confirmation, having found no open action, waits (up to a second) for the new action to have read
    the warning as not done: without the lock on the warning both would succeed."""
    import threading

    from riskflow import numbering
    from riskflow.register import warnings

    checked = threading.Event()
    original_codes, original_next = warnings.counting.open_codes, numbering.next_code

    def open_codes(session, warning_id):
        found = original_codes(session, warning_id)
        checked.wait(timeout=1)
        return found

    def next_code(*args, **kwargs):
        checked.set()  # the new action has passed its check of the warning
        return original_next(*args, **kwargs)

    monkeypatch.setattr(warnings.counting, "open_codes", open_codes)
    monkeypatch.setattr(numbering, "next_code", next_code)
    outcomes = []
    for round_ in range(3):
        warning = finished_warning(company, f"渠道压货风险{round_}")
        checked.clear()

        def work(i):
            if i == 0:
                return own_api(app, company.manager).patch(f"/warnings/{warning['id']}", {"status": "done"})
            return own_api(app, company.officer_bj).post("/actions", {
                "title": "补充措施", "owner": "officer_bj", "due_date": DUE, "warning_id": warning["id"]})

        confirm, add = in_parallel(2, work)
        assert not (confirm.status_code == 200 and add.status_code == 201), (confirm.get_json(), add.get_json())
        assert confirm.status_code in (200, 409, 422) and add.status_code in (201, 409), (
            confirm.status_code, add.status_code)
        status, still_open = sql(app, "SELECT w.status, (SELECT count(*) FROM actions a WHERE a.warning_id = w.id "
                                      "AND a.state IN ('open', 'in_progress', 'submitted')) FROM warnings w "
                                      "WHERE w.id = :id", id=warning["id"])[0]
        assert (status, still_open) in (("done", 0), ("in_progress", 1)), (status, still_open)
        outcomes.append((confirm.status_code, add.status_code))
    assert all(pair in ((200, 409), (422, 201), (409, 201)) for pair in outcomes), outcomes


def test_two_risk_managers_confirming_one_action_at_once_confirm_it_once(app, company, make):
    from conftest import Api

    make.user("manager2", "risk_manager")
    second = Api(company.manager.client, make.token("manager2"))
    for round_ in range(4):
        action = company.manager.post("/actions", {"title": f"核对台账{round_}", "owner": "officer_bj",
                                                   "due_date": DUE}).get_json()
        for step, extra in (("start", {}), ("submit", {"report": "已核对"})):
            assert company.officer_bj.post(f"/actions/{action['id']}/transitions",
                                           {"transition": step, **extra}).status_code == 200
        managers = (company.manager, second)
        answers = in_parallel(2, lambda i: own_api(app, managers[i]).post(
            f"/actions/{action['id']}/transitions", {"transition": "confirm"}))
        assert sorted(r.status_code for r in answers) == [200, 409], [r.get_json() for r in answers]
        assert sql(app, "SELECT state FROM actions WHERE id = :id", id=action["id"]) == [("done",)]
        confirmed = sql(app, "SELECT count(*) FROM change_history WHERE entity = 'action' AND entity_id = :id "
                             "AND action = 'confirm'", id=action["id"])
        assert confirmed == [(1,)]


def test_actions_created_at_once_get_different_codes(app, company):
    responses = in_parallel(6, lambda i: own_api(app, company.manager if i % 2 else company.officer_bj).post(
        "/actions", {"title": f"并发措施{i}", "owner": "head_bj", "due_date": DUE}))
    assert sorted(r.status_code for r in responses) == [201] * 6, [r.get_json() for r in responses]
    codes = sorted(r.get_json()["code"] for r in responses)
    assert codes == [f"CS-{TODAY.year}-{n:04d}" for n in range(1, 7)]
