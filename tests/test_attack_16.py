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


# ---- a unit's group robot ------------------------------------------------------------------------------------

def _units_of(api):
    return {u["code"]: u for u in api.get("/units").get_json()["items"]}


def test_only_admins_set_a_robot_through_either_door(app, company, client):
    for name in ("manager", "officer_bj", "head_bj", "leader", "inspector"):
        refused = company.users[name].patch("/units/BJ", {"webhook_url": "http://evil.example.com/x"})
        assert refused.status_code == 403, name
    login(client, "manager")
    assert client.get("/units/BJ/edit").status_code == 403
    token = csrf_token(client, "/units")
    assert client.post("/units/BJ/edit", data={"csrf_token": token, "name": "北京",
                                               "webhook_url": "http://evil.example.com/x"}).status_code == 403
    assert sql(app, "SELECT webhook_url FROM units WHERE code = 'BJ'") == [(None,)]
    admin = app.test_client()
    login(admin, "admin")
    assert admin.post("/units/BJ/edit", data={"name": "北京", "webhook_url": "http://evil.example.com/x"}
                      ).status_code == 400  # no CSRF token
    assert sql(app, "SELECT webhook_url FROM units WHERE code = 'BJ'") == [(None,)]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:25/_HELO", "ftp://example.com/x",
                                 "http://user:pass@example.com/hook", "http://example.com@evil.example.com/",
                                 "javascript:alert(1)", "//example.com/hook", "http:/example.com", "http://",
                                 "http://exa mple.com/", "http://example.com/\x00", "http://example.com/\nX: y",
                                 "https://" + "a" * 500 + ".com/", "dict://127.0.0.1:11211/", "HTTP//x", True, 5,
                                 ["http://example.com"], {"url": "http://example.com"}, "http://例子.中国/hook"])
def test_a_robot_address_is_http_or_https_and_nothing_else(app, company, url):
    answer = company.admin.patch("/units/BJ", {"webhook_url": url})
    assert answer.status_code == 422, (url, answer.status_code)
    assert "webhook_url" in answer.get_json()["errors"]
    assert not isinstance(url, str) or len(url) < 12 or url not in answer.get_json()["errors"]["webhook_url"][0]
    assert sql(app, "SELECT webhook_url FROM units WHERE code = 'BJ'") == [(None,)]


def test_the_robots_key_is_shown_to_admins_only(app, company, client):
    assert company.admin.patch("/units/BJ", {"webhook_url": WECOM}).status_code == 200
    unit_id = _units_of(company.admin)["BJ"]["id"]
    for name in ("manager", "officer_bj", "officer_sh", "head_bj", "leader", "inspector"):
        api = company.users[name]
        assert "secret-key" not in api.get("/units").get_data(as_text=True), name
        assert "secret-key" not in api.get(f"/history?entity=unit&id={unit_id}").get_data(as_text=True), name
        assert api.patch("/units/BJ", {"webhook_url": "x"}).status_code == 403
    for name in ("manager", "officer_bj", "leader"):
        browser = app.test_client()
        login(browser, name)
        for path in ("/units", "/units/BJ/edit", "/admin/deliveries", f"/history?entity=unit&id={unit_id}",
                     "/notifications", "/profile", "/"):
            page = browser.get(path)
            assert "secret-key" not in page.get_data(as_text=True), (name, path)
    refused = company.admin.patch("/units/BJ", {"webhook_url": WECOM + " x"})
    assert refused.status_code == 422 and "secret-key" not in refused.get_data(as_text=True)


def test_the_retry_button_is_for_admins_only(app, company, client):
    company.admin.patch("/units/BJ", {"webhook_url": "http://127.0.0.1:9/hook"})
    risk = company.risk("北京机密风险")
    company.grade(risk["id"], MONTH, 5, 5)
    _exec(app, "UPDATE webhook_deliveries SET state = 'failed', attempts = 8")
    delivery_id = sql(app, "SELECT id FROM webhook_deliveries")[0][0]
    for name in ("manager", "officer_bj", "leader", "inspector"):
        browser = app.test_client()
        login(browser, name)
        assert browser.get("/admin/deliveries").status_code == 403, name
        token = csrf_token(browser, "/notifications")
        assert browser.post(f"/admin/deliveries/{delivery_id}/retry", data={"csrf_token": token}).status_code == 403
    admin = app.test_client()
    login(admin, "admin")
    assert admin.post(f"/admin/deliveries/{delivery_id}/retry", data={}).status_code == 400
    assert sql(app, "SELECT state FROM webhook_deliveries") == [("failed",)]


def test_a_unit_role_cannot_mark_a_warning_case_and_csrf_is_needed(app, company, client):
    made = company.officer_bj.post("/incidents", {
        "title": "北京机密事件", "kind": "loss_event", "occurred_on": "2026-10-12", "discovered_on": "2026-10-14",
        "unit": "BJ", "description": "私密", "cause": "原因", "handling": "私密", "lessons": "教训",
        "losses": {"financial": 1000}, "recoveries": 0})
    assert made.status_code == 201, made.get_json()
    incident = made.get_json()
    assert company.manager.post(f"/incidents/{incident['id']}/transitions", {"transition": "review"}).status_code == 200
    for name, status in (("officer_bj", 403), ("head_bj", 403), ("officer_sh", 404), ("leader", 403),
                         ("inspector", 403), ("admin", 403)):
        answer = company.users[name].post(f"/incidents/{incident['id']}/warning-case", {"warning_case": True})
        assert answer.status_code == status, (name, answer.status_code)
        assert "私密" not in answer.get_data(as_text=True)
    manager = app.test_client()
    login(manager, "manager")
    assert manager.post(f"/incidents/{incident['id']}/warning-case", data={"warning_case": "1"}).status_code == 400
    assert sql(app, "SELECT warning_case FROM incidents") == [(False,)]
    assert sql(app, "SELECT count(*) FROM notifications WHERE kind = 'lesson_shared'") == [(0,)]


# ---- a unit's version of the monthly report ----------------------------------------------------------------------

def test_a_unit_role_reads_no_other_units_version_by_any_spelling(app, company, make, client):
    from test_unit_report import draft, world

    world(company, make, app)
    report_id = draft(company)
    head_sh = Api(client, make.token("head_sh"))
    assert head_sh.get(f"/reports/{report_id}/download?unit=SH").status_code == 404  # a draft: none
    assert company.manager.post(f"/reports/{report_id}/issue", {}).status_code == 200
    progress = company.manager.post("/reports", {"kind": "progress", "period": "2026-06"})
    assert progress.status_code == 201, progress.get_json()
    other_ids = [progress.get_json()["id"]]
    assert company.manager.post(f"/reports/{other_ids[0]}/issue", {}).status_code in (200, 409)
    for code in ("BJ", "bj", "Bj", " BJ", "BJ ", "BJ\x00", "../BJ", "BJ/../SH", "SH/../BJ", "%42J", "B%4A",
                 "SH,BJ", "BJ;", "*", "%", "BJ\n", "ＢＪ", "b" * 5000):
        for form in ("", "&format=docx"):
            answer = head_sh.get(f"/reports/{report_id}/download?unit={code}{form}")
            assert answer.status_code in (404, 422), (code, answer.status_code)
    for code in ("SH&unit=BJ",):
        answer = head_sh.get(f"/reports/{report_id}/download?unit={code}")
        assert answer.status_code == 200 and "北京" not in answer.headers["Content-Disposition"]
        assert answer.headers["Content-Disposition"].endswith("-SH.pdf")
    for other in other_ids:
        assert head_sh.get(f"/reports/{other}/download?unit=SH").status_code == 404
        assert head_sh.get(f"/reports/{other}/download").status_code == 403
    browser = app.test_client()
    login(browser, "head_sh")
    for path in (f"/reports/{report_id}.pdf?unit=BJ", f"/reports/{report_id}.docx?unit=BJ",
                 f"/reports/{report_id}.pdf?unit=bj", f"/reports/{report_id}.pdf", f"/reports/{report_id}.docx",
                 f"/reports/{report_id}", f"/reports/{report_id}.pdf?unit=BJ%00"):
        assert browser.get(path).status_code in (403, 404), path
    assert browser.get(f"/reports/{report_id}.pdf?unit=SH").status_code == 200
    page = browser.get("/reports").get_data(as_text=True)
    assert "unit=BJ" not in page and "北京销售分公司" not in page
    for name in ("leader", "inspector"):
        reader = app.test_client()
        login(reader, name)
        assert reader.get(f"/reports/{report_id}.pdf?unit=BJ").status_code == 200, name


# ---- the profile's settings ------------------------------------------------------------------------------------

def test_the_profile_settings_refuse_bad_values_and_missing_csrf(app, company, client):
    login(client, "officer_bj")
    token = csrf_token(client, "/profile")
    for data in ({"channel-warning_raised": "sms"}, {"channel-warning_raised": "mail\x00"},
                 {"channel-warning_raised": ""}, {"channel-nope": "mail", "channel-warning_raised": "x"}):
        answer = client.post("/profile/notifications", data={"csrf_token": token, **data})
        assert answer.status_code == 422, (data, answer.status_code)
    assert client.post("/profile/notifications", data={"channel-warning_raised": "app"}).status_code in (400, 422)
    assert sql(app, "SELECT count(*) FROM notification_settings") == [(0,)]
    for choice in ("on", "bogus", "", "\x00"):
        answer = client.post("/profile/report-mail", data={"csrf_token": token, "choice": choice})
        assert answer.status_code in (200, 403, 422), (choice, answer.status_code)
    assert client.post("/profile/report-mail", data={"choice": "off"}).status_code in (200, 400, 422)
    assert sql(app, "SELECT notify_reports FROM users WHERE username = 'officer_bj'") == [(None,)]


# ---- a robot changed or removed while its messages wait ------------------------------------------------------

def _posts(monkeypatch):
    posted = []
    monkeypatch.setattr(delivery, "_post", lambda url, content: posted.append((url, content)))
    return posted


def _bj_warning_queued(app, company, url):
    assert company.admin.patch("/units/BJ", {"webhook_url": url}).status_code == 200
    risk = company.risk("北京机密风险")
    company.grade(risk["id"], MONTH, 5, 5)
    assert sql(app, "SELECT url, state FROM webhook_deliveries") == [(url, "queued")]
    return risk


def test_a_message_waiting_goes_to_the_units_robot_as_it_is_now(app, company, monkeypatch):
    """BJ's robot pointed at the wrong group (SH's) and was corrected: the messages still waiting, or failed and
    retried, go to the corrected address, never to the one the administrator took away."""
    _bj_warning_queued(app, company, "http://sh-group.example.com/hook?key=sh")
    company.admin.patch("/units/BJ", {"webhook_url": "http://bj-group.example.com/hook?key=bj"})
    posted = _posts(monkeypatch)
    assert _run(app, delivery.deliver_webhooks) == (1, 0)
    assert [url for url, _content in posted] == ["http://bj-group.example.com/hook?key=bj"]


def test_a_message_waiting_for_a_removed_robot_is_not_sent_nor_retried(app, company, client, monkeypatch):
    _bj_warning_queued(app, company, "http://sh-group.example.com/hook?key=sh")
    _exec(app, "UPDATE webhook_deliveries SET state = 'failed', attempts = 8")
    company.admin.patch("/units/BJ", {"webhook_url": None})
    login(client, "admin")
    delivery_id = sql(app, "SELECT id FROM webhook_deliveries")[0][0]
    retried = client.post(f"/admin/deliveries/{delivery_id}/retry",
                          data={"csrf_token": csrf_token(client, "/admin/deliveries")}, follow_redirects=True)
    assert "该群已不再配置机器人，此消息不再重发。" in retried.get_data(as_text=True)
    assert sql(app, "SELECT state FROM webhook_deliveries") == [("failed",)]
    _exec(app, "UPDATE webhook_deliveries SET state = 'queued', attempts = 0")  # even one left queued
    posted = _posts(monkeypatch)
    _run(app, delivery.deliver_webhooks)
    assert posted == []
    assert sql(app, "SELECT state FROM webhook_deliveries") == [("cancelled",)]
    page = client.get("/admin/deliveries").get_data(as_text=True)
    assert "key=sh" not in page


# ---- a warning case's private fields ---------------------------------------------------------------------------

def test_a_warning_cases_private_fields_reach_no_other_unit_by_any_door(app, company, client, make, run_db):
    from riskflow import attachments
    from riskflow.auth import policy
    from test_warning_cases import PRIVATE, mark, reviewed

    make.user("head_sh", "unit_head", unit="SH")
    case = reviewed(company)
    attachment = run_db(lambda s: attachments.add(s, policy.SYSTEM, "incident", case["id"], f"证据-{PRIVATE}.txt",
                                                  "提货单复印件".encode(), "incident.attach"))
    _exec(app, "UPDATE users SET email = username || '@example.com'")
    company.admin.patch("/units/SH", {"webhook_url": "http://sh.example.com/hook"})
    assert mark(company.manager, case).status_code == 200
    attachment_id = getattr(attachment, "id", None) or sql(app, "SELECT max(id) FROM attachments")[0][0]
    quarter = "2026-Q4"
    for api in (company.officer_sh, Api(company.manager.client, make.token("head_sh"))):
        for path in (f"/incidents/{case['id']}", f"/history?entity=incident&id={case['id']}",
                     f"/attachments/{attachment_id}", f"/incidents?q={PRIVATE}", "/incidents?unit=BJ",
                     "/warning-cases", "/notifications", f"/incidents/{case['id']}/attachments"):
            answer = api.get(path)
            assert PRIVATE not in answer.get_data(as_text=True), path
    for name in ("officer_sh", "head_sh"):
        browser = app.test_client()
        login(browser, name)
        for path in ("/incidents/cases", "/incidents/meetings", f"/incidents/meetings?quarter={quarter}",
                     f"/incidents/pack.pdf?quarter={quarter}", "/incidents/calibration", "/notifications",
                     f"/incidents/{case['id']}", f"/incidents/{case['id']}/edit", "/incidents", "/"):
            page = browser.get(path)
            if page.mimetype == "application/pdf":
                from test_reports import pdf_text
                assert PRIVATE not in pdf_text(page.data) and "北京" not in pdf_text(page.data), (name, path)
            else:
                assert PRIVATE not in page.get_data(as_text=True), (name, path)
            assert page.status_code in (200, 403, 404, 422), (name, path, page.status_code)
    _run(app, delivery.queue_mails)
    for raw, in sql(app, "SELECT raw FROM mail_messages"):
        assert PRIVATE.encode() not in raw
    for content, in sql(app, "SELECT content FROM webhook_deliveries"):
        assert PRIVATE not in content


@pytest.mark.parametrize("url", ["http://[x/", "http://a]b/", "http://[::1/", "https://]/", "http://host:abc/",
                                 "http://host:99999999/x", "http://:80/", "http://[]/"])
def test_a_malformed_robot_address_is_refused_not_a_server_error(app, company, url):
    answer = company.admin.patch("/units/BJ", {"webhook_url": url})
    assert answer.status_code == 422, (url, answer.status_code)
    assert "webhook_url" in answer.get_json()["errors"]
    assert sql(app, "SELECT webhook_url FROM units WHERE code = 'BJ'") == [(None,)]


def test_a_robot_address_on_an_ipv6_host_is_taken(app, company):
    assert company.admin.patch("/units/BJ", {"webhook_url": "http://[::1]:8080/hook?key=a"}).status_code == 200


@pytest.mark.parametrize("code", ["NOPE", "bj", "B%00J", "%2E%2E", "A" * 5000, "BJ%0A", "%E5%8C%97"])
def test_patch_of_an_odd_unit_code_is_not_found(company, code):
    assert company.admin.patch(f"/units/{code}", {"name": "甲"}).status_code == 404


@pytest.mark.parametrize("body", [{"name": 5}, {"name": None}, {"name": ["北京"]}, {"name": "  "}, {"name": "甲" * 201},
                                  {"webhook_url": 5}, {"webhook_url": False}, {"webhook_url": {"a": 1}},
                                  {"name": "北京\x00"}, {"code": "XX"}, {"active": False}, [], "x", None])
def test_patch_of_a_unit_with_wrong_types_is_a_client_error(app, company, body):
    before = sql(app, "SELECT code, name, webhook_url, active FROM units ORDER BY id")
    answer = company.admin.patch("/units/BJ", body)
    assert answer.status_code in (200, 400, 422), (body, answer.status_code)
    after = sql(app, "SELECT code, name, webhook_url, active FROM units ORDER BY id")
    assert after == before or (body == {"name": "北京\x00"} and answer.status_code == 200), (body, after)


@pytest.mark.parametrize("body", [{}, [], "x", None, {"warning_case": True, "extra": 1}, {"warning": True}])
def test_warning_case_with_a_wrong_body_is_a_client_error(company, body):
    from test_warning_cases import reviewed

    case = reviewed(company)
    answer = company.manager.post(f"/incidents/{case['id']}/warning-case", body)
    assert answer.status_code in (200, 400, 422), (body, answer.status_code)


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "page=abc", "per_page=99999", "page=99999999999999999999"])
def test_warning_cases_with_odd_pages_are_422(company, query):
    assert company.officer_sh.get(f"/warning-cases?{query}").status_code == 422


def test_control_characters_in_a_title_do_not_stop_the_mails_or_the_digest(app, company):
    _exec(app, "UPDATE users SET email = username || '@example.com'")
    odd = "甲\x00乙\x0b丙\x1f丁\u2028戊\u0085己\r庚"
    made = company.manager.post("/actions", {"title": odd, "owner": "officer_bj", "due_date": DUE})
    if made.status_code != 201:
        pytest.skip("the title is refused")
    company.head_bj.patch("/notifications/channels", {"channels": {"action_assigned": "digest"}})
    _action(company)
    assert _run(app, delivery.queue_mails) == 2
    _exec(app, "UPDATE notifications SET mail_state = 'digest', created_at = :t",
          t=datetime.now(timezone.utc) - timedelta(days=1))
    midnight = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert _run(app, lambda s: delivery.queue_digests(s, midnight)) == 1
    import email
    import email.policy
    for raw, in sql(app, "SELECT raw FROM mail_messages"):
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["To"] == "officer_bj@example.com" and "\n" not in str(message["Subject"])


def test_a_deactivated_user_is_told_nothing_new_and_reads_no_inbox(app, company):
    _action(company)
    _exec(app, "UPDATE users SET active = false WHERE username = 'officer_bj'")
    risk = company.risk("北京之后的风险")
    company.grade(risk["id"], MONTH, 5, 5)  # a warning: BJ's people are told, but not who has left
    assert sql(app, "SELECT u.username, n.kind FROM notifications n JOIN users u ON u.id = n.user_id "
                    "ORDER BY n.id") == [("officer_bj", "action_assigned"), ("head_bj", "warning_raised")]
    assert company.officer_bj.get("/notifications").status_code == 401
    assert company.officer_bj.post("/notifications/read-all").status_code == 401


@pytest.fixture
def garbage_server():
    """A TCP server answering every connection with something that is not HTTP."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(5)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                except OSError:
                    pass
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    stop.set()
    listener.close()


def test_a_robot_answering_garbage_is_a_failed_attempt_not_a_stuck_job(app, company, garbage_server):
    """Not an HTTP answer (another service on the port): the attempt is counted and retried with backoff like
    any failure, and the messages after it are still sent in the same run."""
    _bj_warning_queued(app, company, garbage_server)
    company.admin.patch("/units/SH", {"webhook_url": "http://sh.example.com/hook"})
    risk = company.risk("上海风险", unit="SH")
    company.grade(risk["id"], MONTH, 5, 5)
    sent = []
    real_post = delivery._post

    def post(url, content):
        if "sh.example.com" in url:
            sent.append(url)
            return None
        return real_post(url, content)

    import unittest.mock
    with unittest.mock.patch.object(delivery, "_post", post):
        assert _run(app, delivery.deliver_webhooks) == (1, 1)
    assert sent == ["http://sh.example.com/hook"]
    assert sql(app, "SELECT state, attempts FROM webhook_deliveries ORDER BY id") == [("queued", 1), ("sent", 0)]
    assert "BadStatusLine" in sql(app, "SELECT last_error FROM webhook_deliveries ORDER BY id")[0][0]


@pytest.fixture
def silent_server():
    """A TCP server that takes connections and never answers."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    listener.close()


def test_a_robot_that_never_answers_costs_one_timeout_per_run(app, company, silent_server, monkeypatch):
    """A month of BJ's warnings for a robot that takes the connection and never answers: one attempt waits out
    the timeout, the others wait for the next run uncounted, and SH's message still goes out in this run (the
    delivery job, which also sends the mails, is not held for a timeout per message)."""
    import time

    monkeypatch.setattr(delivery, "TIMEOUT_SECONDS", 0.5)
    assert company.admin.patch("/units/BJ", {"webhook_url": silent_server}).status_code == 200
    company.admin.patch("/units/SH", {"webhook_url": "http://sh.example.com/hook"})
    for n in range(6):
        risk = company.risk(f"北京风险{n}")
        company.grade(risk["id"], MONTH, 5, 5)
    sh_risk = company.risk("上海风险", unit="SH")
    company.grade(sh_risk["id"], MONTH, 5, 5)
    real_post = delivery._post
    sent = []
    monkeypatch.setattr(delivery, "_post", lambda url, content: sent.append(url) if "sh.example" in url
                        else real_post(url, content))
    started = time.monotonic()
    assert _run(app, delivery.deliver_webhooks) == (1, 1)
    assert time.monotonic() - started < 2.5
    assert sent == ["http://sh.example.com/hook"]
    assert sql(app, "SELECT state, attempts FROM webhook_deliveries WHERE url = :u ORDER BY id", u=silent_server) == [
        ("queued", 1)] + [("queued", 0)] * 5


def test_warnings_raised_together_reach_each_group_with_its_own_units_titles_only(app, company):
    """A recompute tells many units' warnings at once: each group's one message lists its own unit's."""
    from riskflow.notifications import events
    from riskflow.register.models import RiskWarning as Warning

    company.admin.patch("/units/BJ", {"webhook_url": "http://bj.example.com/hook"})
    company.admin.patch("/units/SH", {"webhook_url": "http://sh.example.com/hook"})
    for title, unit in (("北京机密甲", "BJ"), ("北京机密乙", "BJ"), ("上海风险丙", "SH")):
        company.grade(company.risk(title, unit=unit)["id"], MONTH, 5, 5)
    _exec(app, "DELETE FROM webhook_deliveries")

    def raise_together(s):
        events.warning_raised(s, list(s.scalars(select(Warning))))
        s.commit()

    _run(app, raise_together)
    rows = dict(sql(app, "SELECT url, content FROM webhook_deliveries"))
    assert sorted(rows) == ["http://bj.example.com/hook", "http://sh.example.com/hook"]
    assert "北京" not in rows["http://sh.example.com/hook"] and "上海风险丙" in rows["http://sh.example.com/hook"]
    assert "上海" not in rows["http://bj.example.com/hook"] and "北京机密乙" in rows["http://bj.example.com/hook"]
