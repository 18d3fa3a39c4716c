"""The daily overdue_check job escalates actions by the rectifications' rule: each colour stored and announced
once as a notification (blue `action_due`, yellow and red `action_overdue`), mailed in the recipient's language
by notification_delivery (or the next morning's digest, as each user's channel says); blue and yellow to the
owner, red also to the unit head and the risk managers; a confirmed or cancelled action has no colour."""
from datetime import date, datetime
from email import message_from_bytes
from email import policy as email_policy
from zoneinfo import ZoneInfo

from conftest import Api, sql
from riskflow.scheduling import scheduler

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = "2099-08-10"


def change(app, statement: str, **params) -> None:
    """Change raw rows (a user's language, address or activity) as an administrator's edit would."""
    from sqlalchemy import text

    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text(statement), params)


def run_on(app, day: date) -> str:
    """The day's overdue_check at 07:30, then notification_delivery a minute later (mails at once go out)."""
    outcome = scheduler.run(app, "overdue_check", datetime(day.year, day.month, day.day, 7, 30, tzinfo=SHANGHAI))
    scheduler.run(app, "notification_delivery", datetime(day.year, day.month, day.day, 7, 31, tzinfo=SHANGHAI))
    return outcome


def assigned(code: str, title: str = "清理渠道库存") -> str:
    """The subject of the mail telling an owner an action is theirs (action_assigned, mail at once)."""
    return f"措施 {code} 由您负责：{title}（{DUE} 到期）。"


def mails(home) -> list[tuple[str, str]]:
    """(recipient, subject) of every mail in the outbox, sorted."""
    found = []
    for path in (home / "outbox").glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=email_policy.default)
        found.append((str(message["To"]), str(message["Subject"])))
    return sorted(found)


def body_of(home, recipient: str, colour_word: str) -> str:
    for path in (home / "outbox").glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=email_policy.default)
        if str(message["To"]) == recipient and colour_word in str(message["Subject"]):
            return message.get_content().replace("\r\n", "\n")
    raise AssertionError(f"no mail to {recipient} with {colour_word}")


def people(make, client):
    """BJ and SH, their officers and heads, two risk managers (one reading English) and an inspector, all with
    mail addresses: {username: Api}."""
    make.unit("BJ", "北京销售分公司")
    make.unit("SH", "上海销售分公司")
    apis = {}
    for name, role, unit in (("manager", "risk_manager", None), ("manager2", "risk_manager", None),
                             ("officer_bj", "risk_officer", "BJ"), ("head_bj", "unit_head", "BJ"),
                             ("head_sh", "unit_head", "SH"), ("inspector", "inspector", None)):
        make.user(name, role, unit=unit, email=f"{name}@example.com")
        apis[name] = Api(client, make.token(name))
    return apis


def assign(api, owner, title="清理渠道库存"):
    made = api.post("/actions", {"title": title, "owner": owner, "due_date": DUE})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_each_colour_is_stored_and_announced_once_to_the_right_people_in_their_language(app, home, make, client):
    apis = people(make, client)
    change(app, "UPDATE users SET language = 'en' WHERE username = 'manager2'")
    action = assign(apis["manager"], "officer_bj")
    code = action["code"]
    assert run_on(app, date(2099, 7, 1)) == "overdue_check 2099-07-01: 0 reminders"
    assert mails(home) == [("officer_bj@example.com", assigned(code))]

    # Blue is action_due: the owner's digest kind, so nothing at once and one digest mail the next morning.
    assert run_on(app, date(2099, 8, 5)) == "overdue_check 2099-08-05: 1 reminders"
    assert mails(home) == [("officer_bj@example.com", assigned(code))]
    assert scheduler.run(app, "notification_digest", datetime(2099, 8, 6, 8, 0, tzinfo=SHANGHAI)) == (
        "notification_digest 2099-08-06: 1 digests")
    assert mails(home) == sorted([("officer_bj@example.com", assigned(code)),
                                  ("officer_bj@example.com", "riskflow：1 条通知")])
    assert body_of(home, "officer_bj@example.com", "条通知") == (
        f"措施即将到期 (1)\n- 蓝色提醒：措施 {code} 将于 {DUE} 到期\n  /actions/{action['id']}\n\nriskflow\n")
    assert run_on(app, date(2099, 8, 6)) == "overdue_check 2099-08-06: 0 reminders"  # the same colour

    assert run_on(app, date(2099, 8, 11)) == "overdue_check 2099-08-11: 1 reminders"
    assert run_on(app, date(2099, 9, 10)) == "overdue_check 2099-09-10: 1 reminders"
    assert mails(home) == sorted([
        ("officer_bj@example.com", assigned(code)),
        ("officer_bj@example.com", "riskflow：1 条通知"),
        ("officer_bj@example.com", f"黄色通报：措施 {code} 已于 {DUE} 到期，尚未完成"),
        ("head_bj@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成"),
        ("manager@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成"),
        ("manager2@example.com", f"Red supervision notice: action {code} was due {DUE} and is not done"),
        ("officer_bj@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成"),
    ])
    assert body_of(home, "manager2@example.com", "Red") == (
        f"[riskflow] Red supervision notice: action {code} was due {DUE} and is not done\n/actions/{action['id']}"
        "\n\nriskflow\n")
    assert [(c, str(d), v) for c, d, v in sql(app, "SELECT escalation, escalated_on, version FROM actions")] == [
        ("red", "2099-09-10", 1)]
    entries = apis["manager"].get(f"/history?entity=action&id={action['id']}").get_json()["items"]
    assert [(e["actor"], e["changes"]) for e in entries if e["action"] == "escalate"] == [
        ("system", {"escalation": [None, "blue"]}), ("system", {"escalation": ["blue", "yellow"]}),
        ("system", {"escalation": ["yellow", "red"]})]
    assert run_on(app, date(2099, 9, 11)) == "overdue_check 2099-09-11: 0 reminders"
    assert len(mails(home)) == 7


def test_a_company_wide_action_in_red_goes_to_the_risk_managers(app, home, make, client):
    apis = people(make, client)
    action = assign(apis["manager"], "manager2", "修订风险管理制度")
    run_on(app, date(2099, 9, 10))
    code = action["code"]
    assert mails(home) == sorted([("manager2@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成"),
                                  ("manager2@example.com", assigned(code, "修订风险管理制度")),
                                  ("manager@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成")])


def test_confirm_and_cancel_clear_the_colour_and_nothing_more_is_sent(app, home, make, client):
    apis = people(make, client)
    done = assign(apis["manager"], "officer_bj", "清理库存")
    dropped = assign(apis["manager"], "head_bj", "调整返利")
    run_on(app, date(2099, 8, 11))
    assert sql(app, "SELECT code, escalation FROM actions ORDER BY id") == [(done["code"], "yellow"),
                                                                           (dropped["code"], "yellow")]
    for step, extra in (("start", {}), ("submit", {"report": "库存已清理"})):
        assert apis["officer_bj"].post(f"/actions/{done['id']}/transitions",
                                       {"transition": step, **extra}).status_code == 200
    assert apis["manager"].post(f"/actions/{done['id']}/transitions", {"transition": "confirm"}).status_code == 200
    assert apis["manager"].post(f"/actions/{dropped['id']}/transitions",
                                {"transition": "cancel", "comment": "不再需要"}).status_code == 200
    assert sql(app, "SELECT escalation FROM actions ORDER BY id") == [(None,), (None,)]
    before = mails(home)
    assert run_on(app, date(2099, 9, 10)) == "overdue_check 2099-09-10: 0 reminders"
    assert mails(home) == before


def test_a_user_without_mail_or_inactive_is_skipped_and_a_second_run_sends_nothing(app, home, make, client):
    apis = people(make, client)
    change(app, "UPDATE users SET email = NULL WHERE username = 'head_bj'")
    change(app, "UPDATE users SET active = :no WHERE username = 'manager2'", no=False)
    action = assign(apis["manager"], "officer_bj")
    run_on(app, date(2099, 9, 10))
    code = action["code"]
    assert mails(home) == sorted([("manager@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成"),
                                  ("officer_bj@example.com", assigned(code)),
                                  ("officer_bj@example.com", f"红色督办：措施 {code} 已于 {DUE} 到期，尚未完成")])
    # The head without an address keeps it in the inbox; the inactive manager is not told at all.
    assert sql(app, "SELECT u.username, n.mail_state FROM notifications n JOIN users u ON u.id = n.user_id "
                    "WHERE n.kind = 'action_overdue' ORDER BY u.username") == [
        ("head_bj", "no_address"), ("manager", "queued"), ("officer_bj", "queued")]
    assert "already done" in run_on(app, date(2099, 9, 10))
    assert len(mails(home)) == 3
