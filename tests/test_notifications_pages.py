"""The inbox pages through the test client: opening a notification goes only to a page of this site and only for
its owner, the bell costs one COUNT per page (none when signed out), and the channel form is all or nothing."""
import re

from conftest import csrf_token, login, sql
from riskflow.auth.models import User
from riskflow.notifications import service
from test_notifications_core import _action
from test_statement_counts import counting


def _notify(app, username, link):
    """One notification for USERNAME linking to LINK, as a service would raise it; its id."""
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            user = s.query(User).filter_by(username=username).one()
            service.notify(s, "report_issued", [user], None, entity="report", entity_id=1,
                           params={"title": "2026年11月风险月报"}, link=link)
            s.commit()
        finally:
            s.close()
    return sql(app, "SELECT max(id) FROM notifications")[0][0]


def _read_at(app, notification_id):
    return sql(app, "SELECT read_at FROM notifications WHERE id = :id", id=notification_id)[0][0]


def test_opening_goes_to_the_local_link_and_marks_it_read(app, client, company):
    action = _action(company)
    notification_id = company.officer_bj.get("/notifications").get_json()["items"][0]["id"]
    login(client, "officer_bj")
    response = client.post(f"/notifications/{notification_id}/open",
                           data={"csrf_token": csrf_token(client, "/notifications")})
    assert response.status_code == 302 and response.headers["Location"] == f"/actions/{action['id']}"
    assert company.officer_bj.get("/notifications").get_json()["items"][0]["read"] is True


def test_opening_never_leads_off_the_site(app, client, company):
    login(client, "officer_bj")
    for link in ("//evil.example/login", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        notification_id = _notify(app, "officer_bj", link)
        response = client.post(f"/notifications/{notification_id}/open",
                               data={"csrf_token": csrf_token(client, "/notifications")})
        assert response.status_code == 302, link
        assert response.headers["Location"] == "/notifications", link
        assert _read_at(app, notification_id) is not None
    page = client.get("/notifications").get_data(as_text=True)
    assert "evil.example" not in page and "这条通知没有可打开的页面。" in page


def test_another_users_notification_is_not_found_and_stays_unread(app, client, company):
    _action(company)
    notification_id = company.officer_bj.get("/notifications").get_json()["items"][0]["id"]
    login(client, "officer_sh")
    token = csrf_token(client, "/notifications")
    for path in (f"/notifications/{notification_id}/open", f"/notifications/{notification_id}/read"):
        assert client.post(path, data={"csrf_token": token}).status_code == 404, path
    assert _read_at(app, notification_id) is None
    assert client.post(f"/notifications/{notification_id}/open").status_code == 400  # no CSRF token


def test_the_bell_is_one_count_query_and_none_when_signed_out(app, client, company):
    _action(company), _action(company)
    with counting(app) as statements:
        assert client.get("/login").status_code == 200
    assert [s for s in statements if "notifications" in s] == []
    login(client, "officer_bj")
    with counting(app) as statements:
        page = client.get("/").get_data(as_text=True)
    bell = [s for s in statements if "notifications" in s]
    assert len(bell) == 1 and "count(" in bell[0].lower()
    assert 'aria-label="通知，2 条未读"' in page
    assert re.search(r'<span class="bell-count" aria-hidden="true">2</span>', page)


def test_the_badge_says_99_plus_above_99_and_is_hidden_at_0(app, client, company):
    login(client, "officer_bj")
    page = client.get("/").get_data(as_text=True)
    assert 'aria-label="通知"' in page and "bell-count" not in page
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        user = s.query(User).filter_by(username="officer_bj").one()
        for i in range(100):
            service.notify(s, "report_issued", [user], None, entity="report", entity_id=i,
                           params={"title": f"报告{i}"}, link="/reports")
        s.commit()
        s.close()
    page = client.get("/").get_data(as_text=True)
    assert 'aria-label="通知，100 条未读"' in page and ">99+</span>" in page


def test_mark_read_returns_to_the_page_it_was_pressed_on_never_elsewhere(app, client, company):
    first = _notify(app, "officer_bj", "/reports")
    _notify(app, "officer_bj", "/reports")
    login(client, "officer_bj")
    token = csrf_token(client, "/notifications")
    response = client.post(f"/notifications/{first}/read",
                           data={"csrf_token": token, "back": "/notifications?show=unread"})
    assert response.headers["Location"] == "/notifications?show=unread"
    assert _read_at(app, first) is not None
    response = client.post("/notifications/read-all", data={"csrf_token": token, "back": "//evil.example"})
    assert response.headers["Location"] == "/notifications"
    assert sql(app, "SELECT count(*) FROM notifications WHERE read_at IS NULL") == [(0,)]


def test_a_tampered_channel_is_refused_at_its_select_and_nothing_is_saved(app, client, company):
    login(client, "officer_bj")
    token = csrf_token(client, "/profile")
    response = client.post("/profile/notifications", data={
        "csrf_token": token, "channel-action_assigned": "app", "channel-round_opened": "sms"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<select id="channel-round_opened" name="channel-round_opened" aria-invalid="true" '
                     r'aria-describedby="channel-round_opened-error">', page)
    assert 'id="channel-round_opened-error"' in page
    assert re.search(r'<option value="app" selected>仅站内通知</option>', page)
    assert company.officer_bj.get("/notifications/channels").get_json()["channels"]["action_assigned"] == "mail"
    assert sql(app, "SELECT count(*) FROM notification_settings") == [(0,)]
    response = client.post("/profile/notifications", data={"csrf_token": token, "channel-action_assigned": "app"})
    assert response.status_code == 302
    assert company.officer_bj.get("/notifications/channels").get_json()["channels"]["action_assigned"] == "app"
