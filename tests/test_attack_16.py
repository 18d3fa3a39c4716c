"""Attacks on issue 16's new doors (notifications, group robots, warning cases, unit reports): another user's
inbox, another unit's item learnt through a notification, a mail, a digest or a group message, open redirects
through a stored link, the robot's key, CSRF, wrong JSON types. Each test is a hole that was found, or a door
that was tried and held."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text, update

from conftest import Api, csrf_token, login, sql
from riskflow.auth.models import User
from riskflow.mail import MailMessage
from riskflow.notifications import delivery
from riskflow.notifications.models import Notification

DUE = (date.today() + timedelta(days=20)).isoformat()
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-secret-key"


def _run(app, fn):
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            return fn(s)
        finally:
            s.close()


def _exec(app, statement, **params):
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text(statement), params)


def _action(company, owner="officer_bj", title="北京机密措施"):
    made = company.manager.post("/actions", {"title": title, "owner": owner, "due_date": DUE})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _inbox(api):
    return api.get("/notifications?per_page=100").get_json()["items"]


# ---- another user's inbox --------------------------------------------------------------------------------------

def test_another_users_notification_is_not_read_opened_or_marked(app, company, client):
    _action(company)
    mine = _inbox(company.officer_bj)
    assert len(mine) == 1
    nid = mine[0]["id"]
    for api in (company.officer_sh, company.head_bj, company.manager, company.admin, company.leader):
        assert api.post(f"/notifications/{nid}/read").status_code == 404
        assert "北京机密措施" not in str(api.get("/notifications").get_json())
    assert company.officer_sh.post("/notifications/read-all").get_json() == {"read": 0}
    login(client, "officer_sh")
    token = csrf_token(client, "/notifications")
    for path in (f"/notifications/{nid}/open", f"/notifications/{nid}/read"):
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
    assert "北京机密措施" not in client.get("/notifications").get_data(as_text=True)
    assert sql(app, "SELECT read_at FROM notifications") == [(None,)]


@pytest.mark.parametrize("path", ["/notifications/{nid}/open", "/notifications/{nid}/read", "/notifications/read-all"])
def test_the_inbox_posts_refuse_a_missing_csrf_token(app, company, client, path):
    _action(company)
    nid = _inbox(company.officer_bj)[0]["id"]
    login(client, "officer_bj")
    refused = client.post(path.format(nid=nid), data={})
    assert refused.status_code == 400
    assert sql(app, "SELECT read_at FROM notifications") == [(None,)]


@pytest.mark.parametrize("link", ["//evil.example.com/x", "https://evil.example.com/", "/\\evil.example.com",
                                  "/\t/evil.example.com", "javascript:alert(1)", " //evil.example.com",
                                  "/%2F%2Fevil.example.com"])
def test_opening_a_notification_never_leaves_the_site(app, company, client, link):
    _action(company)
    _exec(app, "UPDATE notifications SET link = :link", link=link)
    login(client, "officer_bj")
    nid = _inbox(company.officer_bj)[0]["id"]
    opened = client.post(f"/notifications/{nid}/open", data={"csrf_token": csrf_token(client, "/notifications")})
    assert opened.status_code == 302
    location = opened.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert "evil" not in location.split("?")[0].split("/")[1:2][0] if location.count("/") > 1 else True


def test_the_mark_read_back_field_is_not_an_open_redirect(company, client):
    _action(company)
    nid = _inbox(company.officer_bj)[0]["id"]
    login(client, "officer_bj")
    token = csrf_token(client, "/notifications")
    for back in ("//evil.example.com", "https://evil.example.com", "/\\evil.example.com"):
        answer = client.post(f"/notifications/{nid}/read", data={"csrf_token": token, "back": back})
        assert answer.status_code == 302 and "evil" not in answer.headers["Location"], back


# ---- wrong types and odd values on the new endpoints ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/notifications/99999999999999999999999/read",
                                  "/notifications/9223372036854775808/read", "/notifications/-1/read",
                                  "/notifications/abc/read", "/notifications/1.5/read"])
def test_odd_notification_ids_are_not_found(company, path):
    assert company.officer_bj.post(path).status_code == 404


def test_huge_ids_on_the_pages_are_not_found(company, client):
    login(client, "admin")
    token = csrf_token(client, "/notifications")
    huge = 10 ** 22
    for path in (f"/notifications/{huge}/open", f"/notifications/{huge}/read", f"/admin/deliveries/{huge}/retry",
                 f"/incidents/{huge}/warning-case"):
        answer = client.post(path, data={"csrf_token": token})
        assert answer.status_code in (403, 404), (path, answer.status_code)
    for path in (f"/reports/{huge}.pdf?unit=BJ", f"/reports/{huge}.docx?unit=BJ", f"/reports/{huge}.pdf"):
        assert client.get(path).status_code == 404, path
    for path in (f"/reports/{huge}/download?unit=BJ", f"/reports/{huge}/download"):
        assert company.admin.get(path).status_code == 404, path
    assert company.manager.post(f"/incidents/{huge}/warning-case", {"warning_case": True}).status_code == 404


@pytest.mark.parametrize("body", [{"channels": "mail"}, {"channels": ["warning_raised"]}, {"channels": None},
                                  {"channels": 5}, {"channels": {"nope": "mail"}},
                                  {"channels": {"warning_raised": "sms"}}, {"channels": {"warning_raised": True}},
                                  {"channels": {"warning_raised": ["mail"]}}, {"channels": {"warning_raised": {}}},
                                  {"channels": {"warning_raised": "mail\x00"}}, {"channels": {"\x00": "mail"}},
                                  {"channels": {"warning_raised": None}}, {}, {"channels": {"a" * 5000: "mail"}}])
def test_channels_patch_with_wrong_values_is_422_and_stores_nothing(app, company, body):
    answer = company.officer_bj.patch("/notifications/channels", body)
    assert answer.status_code in (400, 422), (body, answer.status_code, answer.get_data(as_text=True)[:300])
    assert sql(app, "SELECT count(*) FROM notification_settings") == [(0,)]


@pytest.mark.parametrize("raw", ["[]", "null", "\"x\"", "{\"channels\": {\"warning_raised\": \"mail\"}", "5"])
def test_channels_patch_with_bad_json_is_a_client_error(app, company, raw):
    api = company.officer_bj
    answer = api.client.patch("/api/v1/notifications/channels", headers={**api.headers,
                                                                         "Content-Type": "application/json"},
                              data=raw)
    assert answer.status_code in (400, 422), answer.status_code


@pytest.mark.parametrize("value", ["true", 1, 0, None, [], {}, "1", "\x00"])
def test_warning_case_with_a_wrong_type_is_422(company, value):
    answer = company.manager.post("/incidents/1/warning-case", {"warning_case": value})
    assert answer.status_code in (404, 422), answer.status_code


@pytest.mark.parametrize("query", ["unread=1", "unread=yes", "unread=\x00", "unread=true&unread=false",
                                   "page=0", "page=-1", "page=99999999999999999999", "per_page=100000",
                                   "per_page=abc"])
def test_the_inbox_list_with_odd_queries_is_not_a_server_error(company, query):
    answer = company.officer_bj.get(f"/notifications?{query}")
    assert answer.status_code in (200, 422), (query, answer.status_code)


# ---- what the mails say and to whom --------------------------------------------------------------------------

MONTH = datetime.now(timezone.utc).strftime("%Y-%m")


def _returned_bj_sheet(company, reason):
    """BJ's sheet of this month submitted, then returned by its head with REASON (BJ's officers are told)."""
    assert company.manager.post("/rounds", {"period": MONTH, "deadline": DUE}).status_code in (200, 201)
    risk = company.risk("北京甲风险")
    company.grade(risk["id"], MONTH, 2, 2, api=company.officer_bj)
    path = f"/rounds/{MONTH}/units/BJ/transitions"
    assert company.officer_bj.post(path, {"transition": "submit"}).status_code == 200
    returned = company.head_bj.post(path, {"transition": "return", "comment": reason})
    assert returned.status_code == 200, returned.get_json()


def test_a_multi_line_reason_does_not_stop_the_mails(app, company):
    """A sheet returned with a reason of several lines: its mail's subject (the title) is one line, and the
    mails queued after it still go out (a line break in a header made the whole delivery job fail, for ever)."""
    _exec(app, "UPDATE users SET email = username || '@example.com'")
    _returned_bj_sheet(company, "第一行：评分依据不足\r\nBcc: spy@evil.example.com\n第三行")
    _action(company)
    assert _run(app, delivery.queue_mails) >= 2
    mails = _run(app, lambda s: [(m.recipient, m.subject, m.raw) for m in s.scalars(select(MailMessage))])
    recipients = sorted(to for to, _subject, _raw in mails)
    assert "officer_bj@example.com" in recipients and "spy@evil.example.com" not in recipients
    for _to, subject, raw in mails:
        assert "\n" not in subject and "\r" not in subject
        assert b"\nBcc:" not in raw
    assert sql(app, "SELECT count(*) FROM notifications WHERE mail_state = 'pending'") == [(0,)]


def test_a_deactivated_user_gets_no_mail_nor_digest_of_what_was_waiting(app, company):
    _exec(app, "UPDATE users SET email = username || '@example.com'")
    _action(company)  # mail at once for officer_bj
    _exec(app, "UPDATE notification_settings SET channel = 'digest'")
    company.officer_bj.patch("/notifications/channels", {"channels": {"action_assigned": "digest"}})
    _action(company, title="第二个措施")  # in the digest
    _exec(app, "UPDATE users SET active = false WHERE username = 'officer_bj'")
    _exec(app, "UPDATE notifications SET created_at = :t", t=datetime.now(timezone.utc) - timedelta(days=1))
    _run(app, delivery.queue_mails)
    midnight = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    _run(app, lambda s: delivery.queue_digests(s, midnight))
    assert sql(app, "SELECT recipient FROM mail_messages") == []


def test_each_event_reaches_only_its_units_people_and_robot(app, company, make):
    make.user("head_sh", "unit_head", unit="SH")
    company.admin.patch("/units/BJ", {"webhook_url": "http://bj.example.com/hook"})
    company.admin.patch("/units/SH", {"webhook_url": "http://sh.example.com/hook"})
    _returned_bj_sheet(company, "北京机密理由")
    risk = company.risk("北京机密风险")
    company.grade(risk["id"], MONTH, 5, 5)
    _action(company)
    told = sql(app, "SELECT DISTINCT u.username FROM notifications n JOIN users u ON u.id = n.user_id "
                    "WHERE n.kind <> 'round_opened' ORDER BY 1")
    assert ("officer_sh",) not in told and ("head_sh",) not in told, told
    for (content, url) in sql(app, "SELECT content, url FROM webhook_deliveries"):
        if "北京" in content or risk["code"] in content:
            assert url == "http://bj.example.com/hook", (content, url)
    for name in ("officer_sh", "head_sh"):
        api = company.users.get(name) or Api(company.manager.client, make.token(name))
        assert "北京机密" not in str(api.get("/notifications?per_page=100").get_json()), name
