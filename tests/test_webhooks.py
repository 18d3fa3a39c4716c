"""Group robots (企业微信/钉钉): a unit's robot address through PATCH /units (admins only, http(s) only, the
key never shown to others nor kept in the history), the robot receiving the text message from the delivery
job run as a process (after failing twice), a dead robot ending failed on the admin's page with "retry now",
requests never waiting on a robot, and the configuration's addresses checked at start."""
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import update

from browser import free_port
from conftest import Api, cli_environment, csrf_token, login, sql
from receiver import Receiver
from riskflow import create_app
from riskflow.auth.models import Unit
from riskflow.config import ConfigError
from riskflow.notifications import delivery
from riskflow.scheduling import scheduler

DUE = (datetime.now(timezone.utc).date() + timedelta(days=20)).isoformat()
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
BAD_URL = "请填写以 http:// 或 https:// 开头的地址（不超过 500 个字符）。"


def _unit(company, code="BJ", api=None):
    items = (api or company.admin).get("/units").get_json()["items"]
    return next(u for u in items if u["code"] == code)


def _action(company, owner="officer_bj"):
    response = company.manager.post("/actions", {"title": "催收逾期货款", "owner": owner, "due_date": DUE})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _warning(company, unit="BJ"):
    """A unit event for its group: a major grade raises a warning on the unit's risk (2026-05)."""
    risk = company.risk("重大价格风险", unit=unit)
    company.grade(risk["id"], "2026-05", 5, 5)
    return risk


def _warning_text(risk) -> str:
    return f"[riskflow] 2026-05 新预警：{risk['code']} 重大价格风险。"


def test_an_admin_sets_and_clears_a_units_robot_and_only_admins_read_it(company):
    response = company.admin.patch("/units/BJ", {"webhook_url": WECOM, "name": "北京销售分公司（华北）"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"id": _unit(company)["id"], "code": "BJ", "name": "北京销售分公司（华北）",
                                   "kind": "sales", "active": True, "webhook_url": WECOM}
    assert _unit(company)["webhook_url"] == WECOM
    for name in ("manager", "officer_bj", "head_bj", "leader"):
        assert "webhook_url" not in _unit(company, api=company.users[name]), name
    cleared = company.admin.patch("/units/BJ", {"webhook_url": ""})
    assert cleared.status_code == 200 and cleared.get_json()["webhook_url"] is None
    company.admin.patch("/units/BJ", {"webhook_url": "http://robot.example.com/hook"})
    assert company.admin.patch("/units/BJ", {"webhook_url": None}).get_json()["webhook_url"] is None


def test_the_history_keeps_the_robots_address_with_its_key_masked(company):
    unit_id = _unit(company)["id"]
    company.admin.patch("/units/BJ", {"webhook_url": WECOM})
    company.admin.patch("/units/BJ", {"webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc123"})
    company.admin.patch("/units/BJ", {"webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc123"})
    history = company.admin.get(f"/history?entity=unit&id={unit_id}").get_json()["items"]
    changes = [(h["action"], h["changes"]) for h in history if h["action"] == "update"]
    assert changes == [
        ("update", {"webhook_url": [None, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"]}),
        ("update", {"webhook_url": ["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***",
                                    "https://oapi.dingtalk.com/robot/send?access_token=***"]}),
    ]
    assert "abc123" not in str(history) and "693a91f6" not in str(history)


@pytest.mark.parametrize("value,message", [
    ("ftp://robot.example.com/hook", BAD_URL),
    ("javascript:alert(1)", BAD_URL),
    ("https://robot.example.com/" + "a" * 600, BAD_URL),
    ("https://robot.example.com/hook\n", None),  # stripped: a pasted address's line end is not an error
    (12345, "必须是文本。"),
])
def test_a_bad_robot_address_is_refused_at_the_field_and_nothing_changes(company, value, message):
    company.admin.patch("/units/BJ", {"webhook_url": WECOM})
    response = company.admin.patch("/units/BJ", {"webhook_url": value, "name": "改名"})
    if message is None:
        assert response.status_code == 200 and response.get_json()["webhook_url"] == value.strip()
        return
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"webhook_url": [message]}
    assert _unit(company)["webhook_url"] == WECOM and _unit(company)["name"] == "北京销售分公司"


def test_only_an_admin_patches_a_unit_and_an_unknown_one_is_not_found(company):
    for name in ("manager", "officer_bj", "head_bj", "inspector", "leader"):
        response = company.users[name].patch("/units/BJ", {"webhook_url": WECOM})
        assert response.status_code == 403, name
    assert company.admin.patch("/units/XX", {"webhook_url": WECOM}).status_code == 404
    assert company.admin.patch("/units/BJ", {"code": "B2"}).status_code == 422
    assert company.admin.patch("/units/BJ", {"name": ""}).status_code == 422
    assert _unit(company)["webhook_url"] is None and _unit(company)["name"] == "北京销售分公司"


def _jobs_run(home, at=None):
    command = [sys.executable, "-m", "riskflow.cli", "jobs", "run", "notification_delivery"]
    if at is not None:
        command += ["--at", at.isoformat()]
    result = subprocess.run(command, env={**os.environ, **cli_environment(home)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_units_robot_gets_the_text_message_from_the_job_after_failing_twice(company, app, home):
    app.config["BASE_URL"] = "https://riskflow.example.com"
    with Receiver(fail_first=2) as robot:
        assert company.admin.patch("/units/BJ", {"webhook_url": robot.url}).status_code == 200
        risk = _warning(company)
        _warning(company, unit="SH")  # SH has no robot
        _action(company)  # "action X is yours" speaks to its owner alone: never to the group
        now = datetime.now(timezone.utc)
        assert _jobs_run(home).endswith("0 group messages posted, 1 failed")
        assert _jobs_run(home, now + timedelta(seconds=30)).endswith("0 group messages posted, 0 failed")  # backing off
        assert _jobs_run(home, now + timedelta(minutes=3)).endswith("0 group messages posted, 1 failed")
        assert _jobs_run(home, now + timedelta(minutes=10)).endswith("1 group messages posted, 0 failed")
        assert _jobs_run(home, now + timedelta(hours=10)).endswith("0 group messages posted, 0 failed")
        assert robot.attempts == 3
        assert robot.posts == [{"path": "/cgi-bin/webhook/send?key=test",
                                "content_type": "application/json; charset=utf-8",
                                "json": {"msgtype": "text", "text": {"content": (
                                    f"{_warning_text(risk)}\nhttps://riskflow.example.com"
                                    "/warnings?period=2026-05&unit=BJ#warning-1")}}}]
    assert sql(app, "SELECT state, attempts FROM webhook_deliveries") == [("sent", 2)]


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=dead"


def _fail_for_good(app):
    now = datetime.now(timezone.utc)
    for step in range(delivery.MAX_ATTEMPTS):
        scheduler.run(app, "notification_delivery", now + timedelta(hours=7 * step))


def test_a_dead_robot_ends_failed_on_the_admins_page_and_retry_now_requeues_it(company, app, client, make):
    company.admin.patch("/units/BJ", {"webhook_url": _closed_port_url()})
    risk = _warning(company)
    _fail_for_good(app)
    [(delivery_id, state, attempts, error)] = sql(app, "SELECT id, state, attempts, last_error FROM webhook_deliveries")
    assert (state, attempts) == ("failed", delivery.MAX_ATTEMPTS) and "Connection refused" in error
    assert company.officer_bj.get("/notifications").get_json()["total"] == 1  # the inbox line stays

    for name in ("manager", "officer_bj"):
        login(client, name)
        assert client.get("/admin/deliveries").status_code == 403
        assert "/admin/deliveries" not in client.get("/more").get_data(as_text=True)
        assert "群机器人消息未能送达" not in client.get("/").get_data(as_text=True)
        assert client.post(f"/admin/deliveries/{delivery_id}/retry",
                           data={"csrf_token": csrf_token(client, "/profile")}).status_code == 403
        client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    assert sql(app, "SELECT state FROM webhook_deliveries") == [("failed",)]

    login(client, "admin")
    assert 'href="/admin/deliveries">未送达的消息' in client.get("/more").get_data(as_text=True)
    assert "1 条群机器人消息未能送达" in client.get("/").get_data(as_text=True)
    page = client.get("/admin/deliveries").get_data(as_text=True)
    assert f'id="delivery-{delivery_id}"' in page
    assert _warning_text(risk) in page
    assert "北京销售分公司" in page and "Connection refused" in page and "重试" in page
    before = datetime.now(timezone.utc)
    response = client.post(f"/admin/deliveries/{delivery_id}/retry", data={"csrf_token": csrf_token(client, "/admin/deliveries")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/deliveries")
    [(state, attempts, next_at)] = sql(app, "SELECT state, attempts, next_attempt_at FROM webhook_deliveries")
    assert (state, attempts) == ("queued", delivery.MAX_ATTEMPTS)
    next_at = datetime.fromisoformat(str(next_at)).replace(tzinfo=timezone.utc)
    assert before - timedelta(seconds=1) <= next_at <= datetime.now(timezone.utc)
    # One more try, which fails again: a message past its last attempt is failed at once.
    scheduler.run(app, "notification_delivery", datetime.now(timezone.utc) + timedelta(seconds=1))
    assert sql(app, "SELECT state, attempts FROM webhook_deliveries") == [("failed", delivery.MAX_ATTEMPTS + 1)]
    sent = client.post(f"/admin/deliveries/{delivery_id + 99}/retry",
                       data={"csrf_token": csrf_token(client, "/admin/deliveries")})
    assert sent.status_code == 404


def test_the_admins_page_lists_mails_not_delivered_and_users_without_an_address(client, make, app):
    make.unit("BJ", "北京销售分公司")
    make.user("admin", "admin")
    make.user("manager", "risk_manager", email="manager@example.com")
    make.user("officer_bj", "risk_officer", unit="BJ", email="officer@example.com")
    make.user("quiet", "risk_officer", unit="BJ")  # no address
    manager = Api(client, make.token("manager"))
    for owner in ("officer_bj", "quiet", "quiet"):
        assert manager.post("/actions", {"title": "催收", "owner": owner, "due_date": DUE}).status_code == 201
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens
    # The mail queued by this run is due from the moment it is queued: the next minute's run sends it.
    scheduler.run(app, "notification_delivery")
    scheduler.run(app, "notification_delivery", datetime.now(timezone.utc) + timedelta(minutes=1))
    assert sql(app, "SELECT recipient, state, attempts FROM mail_messages") == [("officer@example.com", "queued", 1)]
    login(client, "admin")
    page = client.get("/admin/deliveries").get_data(as_text=True)
    assert "officer@example.com" in page and "由您负责：催收" in page
    row = page.split('id="no-address-quiet"', 1)[1].split("</tr>", 1)[0]
    assert "quiet" in row and "风险管理员" in row and "北京销售分公司" in row and ">2</td>" in row
    assert "群消息均已送达" in page  # no robot message failed


class _HangingRobot:
    """A robot that never answers: each POST it gets is counted, then held until the test ends."""

    def __init__(self):
        self.calls = 0
        self.release = threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the stdlib's name)
                robot.calls += 1
                robot.release.wait(30)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_a_request_that_raises_an_event_never_waits_for_the_robot(company, app, run_db):
    robot = _HangingRobot()
    try:
        run_db(lambda s: s.execute(update(Unit).where(Unit.code == "BJ").values(webhook_url=robot.url)))
        started = datetime.now(timezone.utc)
        risk = _warning(company)
        assert datetime.now(timezone.utc) - started < timedelta(seconds=5)
        assert robot.calls == 0
        assert sql(app, "SELECT url, state, attempts FROM webhook_deliveries") == [(robot.url, "queued", 0)]
        assert risk["unit"] == "BJ"
    finally:
        robot.close()


@pytest.mark.parametrize("name,value", [("RISKFLOW_WEBHOOK_URL", "ftp://robot.example.com/hook"),
                                        ("RISKFLOW_WEBHOOK_URL", "javascript:alert(1)"),
                                        ("RISKFLOW_BASE_URL", "riskflow.example.com")])
def test_a_bad_address_in_the_configuration_stops_the_start_naming_the_variable(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv("RISKFLOW_HOME", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        create_app()


def test_a_bad_webhook_url_stops_the_command_with_a_one_line_reason(home):
    result = subprocess.run([sys.executable, "-m", "riskflow.cli", "jobs", "list"],
                            env={**os.environ, **cli_environment(home), "RISKFLOW_WEBHOOK_URL": "ftp://x/y"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "RISKFLOW_WEBHOOK_URL" in result.stderr and len(result.stderr.strip().splitlines()) == 1
