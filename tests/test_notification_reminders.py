"""The time-driven notifications of the daily overdue_check job: `round_due` two days before an open round's
deadline to the units still grading, `action_due` at an action's blue date and `action_overdue` at yellow and
red; each once per item and day however many schedulers run, mailed as each user's channel says (at once by
notification_delivery, or in the 08:00 digest of the next morning, in the reader's language).

Every test runs on SQLite and, with .ci/with-postgres, on PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime
from email import message_from_bytes
from email import policy as email_policy
from zoneinfo import ZoneInfo

from conftest import Api, sql
from receiver import Receiver
from riskflow.scheduling import scheduler
from test_jobs import cli

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD, DEADLINE = "2026-12", "2026-12-20"
ACTION_DUE = "2026-12-25"  # blue from 2026-12-18, the round's D−2


def change(app, statement: str, **params) -> None:
    from sqlalchemy import text

    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text(statement), params)


def at(day: str, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SHANGHAI)


def outbox(home) -> list[tuple[str, str, str]]:
    """(recipient, subject, body) of every mail written to the outbox, sorted."""
    found = []
    for path in (home / "outbox").glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=email_policy.default)
        found.append((str(message["To"]), str(message["Subject"]), message.get_content().replace("\r\n", "\n")))
    return sorted(found)


def told(app, kind: str) -> list[str]:
    """The usernames told KIND, one line per notification."""
    return [r[0] for r in sql(app, "SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id "
                                   "WHERE n.kind = :kind ORDER BY u.username", kind=kind)]


def people(make, client) -> dict[str, Api]:
    """BJ, SH and GZ with an officer and a head each, a risk manager and a leader, all with addresses."""
    for code, name in (("BJ", "北京销售分公司"), ("SH", "上海销售分公司"), ("GZ", "广州销售分公司"), ("HZ", "杭州销售分公司")):
        make.unit(code, name)
    apis = {}
    for name, role, unit in (("manager", "risk_manager", None), ("leader", "viewer", None),
                             ("officer_bj", "risk_officer", "BJ"), ("head_bj", "unit_head", "BJ"),
                             ("officer_sh", "risk_officer", "SH"), ("head_sh", "unit_head", "SH"),
                             ("officer_gz", "risk_officer", "GZ"), ("head_gz", "unit_head", "GZ"),
                             ("officer_hz", "risk_officer", "HZ")):
        make.user(name, role, unit=unit, email=f"{name}@example.com")
        apis[name] = Api(client, make.token(name))
    return apis


def a_round(apis, *, submitted=("SH",), returned=("GZ",)) -> None:
    """PERIOD's round closing on DEADLINE: BJ has no sheet yet, SUBMITTED's sheets are submitted and RETURNED's
    were submitted and returned (grading again); HZ has no risk to grade (not in the round)."""
    manager = apis["manager"]
    assert manager.post("/rounds", {"period": PERIOD, "deadline": DEADLINE}).status_code == 201
    for code in ("BJ", "SH", "GZ"):
        risk = manager.post("/risks", {"title": f"{code} 应收账款回收风险", "unit": code, "category": "receivables"})
        assert risk.status_code == 201, risk.get_json()
        graded = manager.post(f"/risks/{risk.get_json()['id']}/assessments", {
            "period": PERIOD, "likelihood": 2, "impact": 2, "rationale": "月度评估"})
        assert graded.status_code == 201, graded.get_json()
    for code in (*submitted, *returned):
        step = apis[f"officer_{code.lower()}"].post(f"/rounds/{PERIOD}/units/{code}/transitions",
                                                     {"transition": "submit"})
        assert step.status_code == 200, step.get_json()
    for code in returned:
        step = apis[f"head_{code.lower()}"].post(f"/rounds/{PERIOD}/units/{code}/transitions",
                                                  {"transition": "return", "comment": "补充评估理由"})
        assert step.status_code == 200, step.get_json()


def an_action(apis, owner="officer_bj", due=ACTION_DUE, title="清理渠道库存") -> dict:
    made = apis["manager"].post("/actions", {"title": title, "owner": owner, "due_date": due})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def run(app, job: str, moment: datetime) -> str:
    return scheduler.run(app, job, moment)


# round_due

def test_round_due_tells_the_units_still_grading_two_days_before_the_deadline_once(app, make, client):
    apis = people(make, client)
    a_round(apis)
    assert run(app, "overdue_check", at("2026-12-17")) == "overdue_check 2026-12-17: 0 reminders"
    assert told(app, "round_due") == []

    assert run(app, "overdue_check", at("2026-12-18")) == "overdue_check 2026-12-18: 2 reminders"
    # BJ (no sheet) and GZ (returned): grading; SH submitted; HZ has nothing to grade; nobody else.
    assert told(app, "round_due") == ["head_bj", "head_gz", "officer_bj", "officer_gz"]
    item = apis["officer_bj"].get("/notifications").get_json()["items"][0]
    assert (item["kind"], item["title"], item["link"]) == (
        "round_due", "2026-12 风险评估轮次将于 2026-12-20 截止，北京销售分公司 的评估表尚未提交。", f"/grading?period={PERIOD}")
    assert apis["head_gz"].get("/notifications").get_json()["items"][0]["title"] == (
        "2026-12 风险评估轮次将于 2026-12-20 截止，广州销售分公司 的评估表尚未提交。")
    assert [i for i in apis["officer_sh"].get("/notifications").get_json()["items"] if i["kind"] == "round_due"] == []

    assert "already done" in run(app, "overdue_check", at("2026-12-18", 9))
    assert run(app, "overdue_check", at("2026-12-19")) == "overdue_check 2026-12-19: 0 reminders"
    assert len(told(app, "round_due")) == 4


def test_raised_again_the_same_day_a_reminder_is_stored_once(app, make, client):
    """The dedupe key (kind:item:day) holds even when the day's claim does not (a run taken over after its
    lease): raising the same day's reminders twice stores them once."""
    from riskflow.db import session_scope
    from riskflow.notifications import reminders

    apis = people(make, client)
    a_round(apis)
    with app.app_context():
        for _ in range(2):
            with session_scope(app) as s:
                assert reminders.rounds_due(s, date(2026, 12, 18), at("2026-12-18")) == 2
    assert told(app, "round_due") == ["head_bj", "head_gz", "officer_bj", "officer_gz"]


def test_a_closed_round_reminds_nobody(app, make, client):
    apis = people(make, client)
    a_round(apis)
    assert apis["manager"].post(f"/rounds/{PERIOD}/close").status_code == 200
    assert run(app, "overdue_check", at("2026-12-18")) == "overdue_check 2026-12-18: 0 reminders"
    assert told(app, "round_due") == []


# action_due / action_overdue

def test_each_colour_tells_its_people_and_mails_them_by_their_channel(app, home, make, client):
    apis = people(make, client)
    action = an_action(apis)
    code, link = action["code"], f"/actions/{action['id']}"
    # The owner wants action_due at once; the head reads action_overdue in the digest.
    for name, kind, channel in (("officer_bj", "action_due", "mail"), ("head_bj", "action_overdue", "digest")):
        assert apis[name].patch("/notifications/channels", {"channels": {kind: channel}}).status_code == 200
    run(app, "notification_delivery", at("2026-12-17"))
    assigned = ("officer_bj@example.com", f"措施 {code} 由您负责：清理渠道库存（{ACTION_DUE} 到期）。",
                f"[riskflow] 措施 {code} 由您负责：清理渠道库存（{ACTION_DUE} 到期）。\n{link}\n\nriskflow\n")
    assert outbox(home) == [assigned]

    assert run(app, "overdue_check", at("2026-12-17")) == "overdue_check 2026-12-17: 0 reminders"
    assert run(app, "overdue_check", at("2026-12-18")) == "overdue_check 2026-12-18: 1 reminders"
    assert told(app, "action_due") == ["officer_bj"]
    item = apis["officer_bj"].get("/notifications").get_json()["items"][0]
    assert (item["kind"], item["title"], item["link"]) == ("action_due", f"蓝色提醒：措施 {code} 将于 {ACTION_DUE} 到期", link)
    run(app, "notification_delivery", at("2026-12-18", 7, 31))
    run(app, "notification_delivery", at("2026-12-18", 7, 32))
    blue = f"蓝色提醒：措施 {code} 将于 {ACTION_DUE} 到期"
    assert outbox(home) == sorted([assigned, ("officer_bj@example.com", blue,
                                               f"[riskflow] {blue}\n{link}\n\nriskflow\n")])

    assert run(app, "overdue_check", at("2026-12-25")) == "overdue_check 2026-12-25: 1 reminders"
    assert told(app, "action_overdue") == ["officer_bj"]
    assert run(app, "overdue_check", at("2027-01-25")) == "overdue_check 2027-01-25: 1 reminders"
    assert told(app, "action_overdue") == ["head_bj", "manager", "officer_bj", "officer_bj"]
    run(app, "notification_delivery", at("2027-01-25", 7, 31))
    yellow = f"黄色通报：措施 {code} 已于 {ACTION_DUE} 到期，尚未完成"
    red = f"红色督办：措施 {code} 已于 {ACTION_DUE} 到期，尚未完成"
    # At once: the owner's yellow and red, the manager's red; the head's red waits for the digest.
    assert [(to, subject) for to, subject, _ in outbox(home)] == sorted([
        assigned[:2], ("officer_bj@example.com", blue), ("officer_bj@example.com", yellow),
        ("officer_bj@example.com", red), ("manager@example.com", red)])
    assert run(app, "notification_digest", at("2027-01-25", 8, 0)) == "notification_digest 2027-01-25: 0 digests"
    assert run(app, "notification_digest", at("2027-01-26", 8, 0)) == "notification_digest 2027-01-26: 1 digests"
    digests = [(to, subject, body) for to, subject, body in outbox(home) if subject.startswith("riskflow")]
    assert digests == [("head_bj@example.com", "riskflow：1 条通知",
                        f"措施已逾期 (1)\n- {red}\n  {link}\n\nriskflow\n")]


# The digest

def test_the_digest_at_eight_mails_each_user_yesterdays_notifications_by_kind_in_their_language(app, home, make,
                                                                                                 client):
    apis = people(make, client)
    change(app, "UPDATE users SET language = 'en' WHERE username = 'head_bj'")
    for api in apis.values():  # the round's opening notice is not this test's subject: in the app only
        assert api.patch("/notifications/channels", {"channels": {"round_opened": "app"}}).status_code == 200
    a_round(apis)
    action = an_action(apis)
    code, link = action["code"], f"/actions/{action['id']}"
    for name in ("officer_bj", "head_bj"):
        assert apis[name].patch("/notifications/channels", {"channels": {"round_due": "digest"}}).status_code == 200
    assert run(app, "overdue_check", at("2026-12-18")) == "overdue_check 2026-12-18: 3 reminders"
    # Made at 07:30 today: not in today's digest, which takes the day before.
    assert run(app, "notification_digest", at("2026-12-18", 8, 0)) == "notification_digest 2026-12-18: 0 digests"

    result = cli(home, "jobs", "run", "notification_digest", "--at", "2026-12-19T08:00:00+08:00")
    assert result.stdout.strip() == "notification_digest 2026-12-19: 2 digests", result.stderr
    again = cli(home, "jobs", "run", "notification_digest", "--at", "2026-12-19T08:05:00+08:00")
    assert again.stdout.strip() == "notification_digest 2026-12-19: already done or running elsewhere"
    run(app, "notification_delivery", at("2026-12-19", 8, 6))
    digests = [mail for mail in outbox(home) if mail[1].startswith("riskflow")]
    assert digests == [
        ("head_bj@example.com", "riskflow: 1 notification",
         f"A grading round closes soon (1)\n- The grading round of {PERIOD} closes on {DEADLINE} and 北京销售分公司's "
         f"sheet is not submitted yet.\n  /grading?period={PERIOD}\n\nriskflow\n"),
        ("officer_bj@example.com", "riskflow：2 条通知",
         f"评估轮次即将截止 (1)\n- {PERIOD} 风险评估轮次将于 {DEADLINE} 截止，北京销售分公司 的评估表尚未提交。\n"
         f"  /grading?period={PERIOD}\n\n"
         f"措施即将到期 (1)\n- 蓝色提醒：措施 {code} 将于 {ACTION_DUE} 到期\n  {link}\n\nriskflow\n"),
    ]
    # GZ's people take round_due at once (their default); the leader and SH had nothing: no digest.
    assert sorted(to for to, subject, _ in outbox(home) if subject.startswith("2026-12")) == [
        "head_gz@example.com", "officer_gz@example.com"]
    assert sql(app, "SELECT count(*) FROM notifications WHERE mail_state = 'digest'") == [(0,)]


def test_catch_up_runs_a_missed_digest_once_after_the_days_reminders(app, make, client):
    """Started at 10:00 after a night without a scheduler: overdue_check (07:30) and the digest (08:00) of the
    day are both caught up, once; a second start runs neither."""
    apis = people(make, client)
    an_action(apis)
    outcomes = scheduler.catch_up(app, at("2026-12-19", 10, 0))
    assert "overdue_check 2026-12-19: 1 reminders" in outcomes
    assert "notification_digest 2026-12-19: 0 digests" in outcomes
    again = scheduler.catch_up(app, at("2026-12-19", 11, 0))
    assert not any(o.startswith(("overdue_check", "notification_digest")) for o in again)
    # The blue of the 19th (a digest kind) waits for the 20th's digest, which a start on the 20th catches up.
    outcomes = scheduler.catch_up(app, at("2026-12-20", 9, 0))
    assert "notification_digest 2026-12-20: 1 digests" in outcomes


# Two schedulers

def test_two_schedulers_at_once_raise_each_reminder_once_and_deliver_each_mail_and_post_once(app, home, make,
                                                                                             client):
    apis = people(make, client)
    a_round(apis)
    with Receiver() as robot:
        change(app, "UPDATE units SET webhook_url = :url WHERE code IN ('BJ', 'GZ')", url=robot.url)
        blue = an_action(apis)
        yellow = an_action(apis, owner="officer_gz", due="2026-12-18", title="催收欠款")
        red = an_action(apis, owner="head_bj", title="整改返利")
        change(app, "UPDATE actions SET due_date = '2026-11-01' WHERE id = :id", id=red["id"])  # long overdue
        runs = [cli(home, "jobs", "run", "overdue_check", "--at", "2026-12-18T07:30:00+08:00", background=True)
                for _ in range(2)]
        outputs = sorted(r.communicate(timeout=120)[0].strip() for r in runs)
        assert [r.returncode for r in runs] == [0, 0], outputs
        assert outputs == ["overdue_check 2026-12-18: 5 reminders",
                           "overdue_check 2026-12-18: already done or running elsewhere"]
        rows = sql(app, "SELECT n.kind, n.entity_id, u.username FROM notifications n JOIN users u ON u.id = n.user_id "
                        "WHERE n.kind IN ('round_due', 'action_due', 'action_overdue') ORDER BY 1, 2, 3")
        assert rows == [("action_due", blue["id"], "officer_bj"),
                        ("action_overdue", yellow["id"], "officer_gz"),
                        ("action_overdue", red["id"], "head_bj"), ("action_overdue", red["id"], "manager"),
                        ("round_due", 1, "head_bj"), ("round_due", 1, "head_gz"),
                        ("round_due", 1, "officer_bj"), ("round_due", 1, "officer_gz")]

        runs = [cli(home, "jobs", "run", "notification_delivery", "--at", "2026-12-18T07:31:00+08:00",
                    background=True) for _ in range(2)]
        outputs = [r.communicate(timeout=120) for r in runs]
        assert [r.returncode for r in runs] == [0, 0], outputs
        posted = sorted(post["json"]["text"]["content"].split("\n")[0] for post in robot.posts)
    mails = [(to, subject) for to, subject, _ in outbox(home)]
    assert len(mails) == len(set(mails))
    # Mail at once: the three assignments, the yellow to its owner, the red to its owner and the manager, the
    # round to BJ's and GZ's people, GZ's returned sheet to its officer; the blue is the owner's digest kind.
    assert len(mails) == 3 + 1 + 2 + 4 + 1
    assert sql(app, "SELECT count(*) FROM mail_messages WHERE state = 'sent'") == [(11,)]
    assert sql(app, "SELECT state, count(*) FROM webhook_deliveries GROUP BY state") == [("sent", len(posted))]
    # To BJ's and GZ's robots (set after the sheets moved): the blue, the yellow, the red, the round of each unit
    # (an assignment speaks to its owner alone, never to the group).
    assert len(posted) == len(set(posted)) == 1 + 1 + 1 + 2
    assert "[riskflow] 2026-12 风险评估轮次将于 2026-12-20 截止，北京销售分公司 的评估表尚未提交。" in posted
