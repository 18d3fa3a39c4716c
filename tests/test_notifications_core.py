"""The notification service: who is told (never another unit), the inbox API, channels, mail at once, the daily
digest, and a unit's group robot receiving the text message after failing twice."""
import email
import email.policy
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from conftest import Api, sql
from receiver import Receiver
from riskflow.auth.models import Unit, User
from riskflow.mail import MailMessage
from riskflow.register.models import Risk
from riskflow.notifications import delivery, recipients, service
from riskflow.notifications.models import Notification, WebhookDelivery
from test_statement_counts import counting

DUE = (date.today() + timedelta(days=20)).isoformat()


def _action(company, owner="officer_bj", api=None):
    response = (api or company.manager).post("/actions", {"title": "催收逾期货款", "owner": owner, "due_date": DUE})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_assigned_action_tells_its_owner_in_their_language_and_nobody_else(company):
    action = _action(company)
    listed = company.officer_bj.get("/notifications").get_json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["kind"] == "action_assigned"
    assert item["title"] == f"措施 {action['code']} 由您负责：催收逾期货款（{DUE} 到期）。"
    assert item["link"] == f"/actions/{action['id']}" and item["read"] is False
    for other in ("officer_sh", "head_bj", "manager", "leader"):
        assert company.users[other].get("/notifications").get_json()["total"] == 0, other


def test_the_inbox_marks_one_or_all_read_and_never_another_users(company):
    first, second = _action(company), _action(company)
    officer = company.officer_bj
    ids = [i["id"] for i in officer.get("/notifications").get_json()["items"]]
    assert len(ids) == 2 and ids[0] > ids[1]  # newest first
    assert company.officer_sh.post(f"/notifications/{ids[0]}/read").status_code == 404
    read = officer.post(f"/notifications/{ids[0]}/read")
    assert read.status_code == 200 and read.get_json()["read"] is True
    unread = officer.get("/notifications?unread=true").get_json()
    assert [i["id"] for i in unread["items"]] == [ids[1]]
    assert officer.post("/notifications/read-all").get_json() == {"read": 1}
    assert officer.get("/notifications?unread=true").get_json()["total"] == 0
    assert officer.get("/notifications?unread=maybe").status_code == 422
    assert first["code"] != second["code"]


def test_english_readers_get_english_titles(company, app, run_db):
    run_db(lambda s: s.execute(update(User).where(User.username == "officer_bj").values(language="en")))
    action = _action(company)
    item = company.officer_bj.get("/notifications").get_json()["items"][0]
    assert item["title"] == f"Action {action['code']} is yours: 催收逾期货款 (due {DUE})."


def _notify_all(app, kind="round_opened", dedupe=None, item=None, **kw):
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            people = recipients.all_units_people(s) + recipients.with_role(s, "risk_manager")
            told = service.notify(s, kind, people, item(s) if item else None, entity="grading_round", entity_id=1,
                                  params={"period": "2026-11", "deadline": "2026-12-10"}, link="/rounds",
                                  dedupe=dedupe, **kw)
            s.commit()
            return told
        finally:
            s.close()


def test_a_unit_item_reaches_only_that_units_people_whoever_the_caller_names(company, app):
    risk = company.risk(unit="BJ")
    told = _notify_all(app, "warning_raised", item=lambda s: s.get(Risk, risk["id"]))
    rows = sql(app, "SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id ORDER BY u.username")
    assert [r[0] for r in rows] == ["head_bj", "manager", "officer_bj"] and told == 3


def test_a_reminder_raised_twice_is_stored_once(company, app):
    assert _notify_all(app, dedupe="round_due:1:2026-12-08") == 4
    _notify_all(app, dedupe="round_due:1:2026-12-08")
    assert sql(app, "SELECT count(*) FROM notifications") == [(4,)]


def test_fanning_out_to_500_people_is_one_insert(company, make, app):
    make.unit("GZ", "广州销售分公司")

    def inserts():
        with counting(app) as statements:
            _notify_all(app)
        return [s for s in statements if s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")]

    assert len(inserts()) == 1
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        s.add_all([User(username=f"officer{i}", role="risk_officer", unit_id=s.scalar(
            select(Unit.id).where(Unit.code == "GZ")), password_hash="x", active=True) for i in range(500)])
        s.commit()
        s.close()
    assert len(inserts()) == 1
    assert sql(app, "SELECT count(*) FROM notifications WHERE kind = 'round_opened'") == [(4 + 504,)]


def test_channels_default_by_role_and_are_the_users_choice(company):
    officer, leader = company.officer_bj, company.leader
    channels = officer.get("/notifications/channels").get_json()["channels"]
    assert channels["action_assigned"] == "mail" and channels["round_opened"] == "digest"
    assert channels["report_issued"] == "app"
    assert leader.get("/notifications/channels").get_json()["channels"]["action_assigned"] == "digest"
    bad = officer.patch("/notifications/channels", {"channels": {"action_assigned": "app", "round_opened": "sms"}})
    assert bad.status_code == 422
    assert officer.get("/notifications/channels").get_json()["channels"]["action_assigned"] == "mail"
    ok = officer.patch("/notifications/channels", {"channels": {"action_assigned": "app"}})
    assert ok.status_code == 200 and ok.get_json()["channels"]["action_assigned"] == "app"
    assert ok.get_json()["channels"]["round_opened"] == "digest"
    _action(company)
    item = officer.get("/notifications").get_json()["items"][0]
    assert item["kind"] == "action_assigned"  # still in the inbox, not mailed


def _run(app, fn):
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            return fn(s)
        finally:
            s.close()


def test_mail_at_once_goes_through_the_outbox_in_the_readers_language(client, make, app):
    make.unit("BJ", "北京销售分公司")
    make.user("manager", "risk_manager", email="manager@example.com")
    make.user("officer_bj", "risk_officer", unit="BJ", email="officer@example.com")
    make.user("quiet", "risk_officer", unit="BJ")  # no address
    manager = Api(client, make.token("manager"))
    action = manager.post("/actions", {"title": "催收", "owner": "officer_bj", "due_date": DUE}).get_json()
    manager.post("/actions", {"title": "复核", "owner": "quiet", "due_date": DUE})
    assert _run(app, delivery.queue_mails) == 1
    mails = _run(app, lambda s: [(m.recipient, m.subject) for m in s.scalars(select(MailMessage))])
    assert mails == [("officer@example.com", f"措施 {action['code']} 由您负责：催收（{DUE} 到期）。")]
    assert sql(app, "SELECT mail_state FROM notifications ORDER BY id") == [("queued",), ("no_address",)]
    assert _run(app, delivery.queue_mails) == 0  # each once


def test_the_daily_digest_groups_yesterdays_notifications_once(client, make, app):
    make.unit("BJ", "北京销售分公司")
    make.user("officer_bj", "risk_officer", unit="BJ", email="officer@example.com")
    make.user("manager", "risk_manager")
    _notify_all(app)  # round_opened: a digest kind for an officer
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    _run(app, lambda s: (s.execute(update(Notification).values(created_at=yesterday)), s.commit()))
    midnight = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert _run(app, lambda s: delivery.queue_digests(s, midnight)) == 1
    mail = _run(app, lambda s: s.scalar(select(MailMessage)))
    assert mail.recipient == "officer@example.com" and mail.subject == "riskflow：1 条通知"
    body = email.message_from_bytes(mail.raw, policy=email.policy.default).get_content().replace("\r\n", "\n")
    assert body == ("评估轮次开放 (1)\n- 2026-11 风险评估轮次已开放，请于 2026-12-10 前完成评估。\n  /rounds\n\n"
                    "riskflow\n")
    assert _run(app, lambda s: delivery.queue_digests(s, midnight)) == 0


def _raise_warning_case(app, risk_id):
    """A unit event for the group: a warning on RISK_ID's risk (the core's notify, as the events call it)."""
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            risk = s.get(Risk, risk_id)
            service.notify(s, "warning_raised", recipients.unit_people(s, risk.unit_id), risk, entity="risk",
                           params={"code": risk.code, "title": risk.title, "period": "2026-11"},
                           link="/warnings?period=2026-11")
            s.commit()
        finally:
            s.close()


def test_a_units_robot_gets_the_text_message_once_after_failing_twice(company, app, run_db):
    with Receiver(fail_first=2) as robot:
        run_db(lambda s: s.execute(update(Unit).where(Unit.code == "BJ").values(webhook_url=robot.url)))
        bj, sh = company.risk(unit="BJ"), company.risk(unit="SH")
        _raise_warning_case(app, bj["id"])
        _raise_warning_case(app, sh["id"])  # SH has no robot
        _action(company)  # "action X is yours" speaks to its owner alone: never to the group
        now = datetime.now(timezone.utc)
        assert _run(app, lambda s: delivery.deliver_webhooks(s, now)) == (0, 1)
        assert _run(app, lambda s: delivery.deliver_webhooks(s, now)) == (0, 0)  # backing off
        assert _run(app, lambda s: delivery.deliver_webhooks(s, now + timedelta(minutes=3))) == (0, 1)
        assert _run(app, lambda s: delivery.deliver_webhooks(s, now + timedelta(minutes=10))) == (1, 0)
        assert _run(app, lambda s: delivery.deliver_webhooks(s, now + timedelta(hours=10))) == (0, 0)
        assert robot.attempts == 3
        assert robot.posts == [{"path": "/cgi-bin/webhook/send?key=test",
                                "content_type": "application/json; charset=utf-8",
                                "json": {"msgtype": "text", "text": {
                                    "content": f"[riskflow] 2026-11 新预警：{bj['code']} 应收账款回收风险。"
                                               "\n/warnings?period=2026-11"}}}]
    rows = sql(app, "SELECT state, attempts FROM webhook_deliveries")
    assert rows == [("sent", 2)]


def test_a_dead_robot_is_failed_after_the_last_attempt(company, app, run_db):
    run_db(lambda s: s.execute(update(Unit).where(Unit.code == "BJ").values(webhook_url="http://127.0.0.1:9/x")))
    _raise_warning_case(app, company.risk(unit="BJ")["id"])
    now = datetime.now(timezone.utc)
    for step in range(delivery.MAX_ATTEMPTS):
        _run(app, lambda s: delivery.deliver_webhooks(s, now + timedelta(hours=7 * step)))
    row = _run(app, lambda s: s.scalar(select(WebhookDelivery)))
    assert row.state == "failed" and row.attempts == delivery.MAX_ATTEMPTS and "Connection refused" in row.last_error
    assert sql(app, "SELECT count(*) FROM notifications") == [(2,)]  # the inbox lines stay whatever the robot does


def test_warnings_raised_together_reach_a_group_as_one_message(company, app, run_db):
    run_db(lambda s: s.execute(update(Unit).where(Unit.code == "BJ").values(webhook_url="http://robot.test/bj")))
    risks = [company.risk(f"价格风险{i:02d}", unit="BJ") for i in range(12)]
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            people = recipients.unit_people(s, s.get(Risk, risks[0]["id"]).unit_id)
            told = service.notify_many(s, "warning_raised", [
                service.Event(people, s.get(Risk, r["id"]), "risk", None,
                              {"code": r["code"], "title": r["title"], "period": "2026-11"}, "/warnings?period=2026-11")
                for r in risks])
            s.commit()
        finally:
            s.close()
    assert told == 24  # BJ's officer and head, twelve times each
    [(content,)] = sql(app, "SELECT content FROM webhook_deliveries")
    lines = content.split("\n")
    assert lines[0] == "[riskflow] 新的风险预警（12 条）"
    assert lines[1:11] == [f"- 2026-11 新预警：{r['code']} {r['title']}。" for r in risks[:10]]
    assert lines[11:] == ["……另有 2 条", "/warnings?period=2026-11"]


def test_the_digest_leaves_out_what_was_read_in_the_app(client, make, app):
    make.unit("BJ", "北京销售分公司")
    make.user("officer_bj", "risk_officer", unit="BJ", email="officer@example.com")
    officer = Api(client, make.token("officer_bj"))
    _notify_all(app)
    _notify_all(app, "incident_round_opened")
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    _run(app, lambda s: (s.execute(update(Notification).values(created_at=yesterday)), s.commit()))
    read = next(i for i in officer.get("/notifications").get_json()["items"] if i["kind"] == "round_opened")
    assert officer.post(f"/notifications/{read['id']}/read").status_code == 200
    midnight = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert _run(app, lambda s: delivery.queue_digests(s, midnight)) == 1
    body = email.message_from_bytes(_run(app, lambda s: s.scalar(select(MailMessage))).raw,
                                    policy=email.policy.default).get_content()
    assert "风险事件收集开始 (1)" in body and "评估轮次开放" not in body
    assert sql(app, "SELECT kind, mail_state FROM notifications ORDER BY kind") == [
        ("incident_round_opened", "queued"), ("round_opened", None)]
