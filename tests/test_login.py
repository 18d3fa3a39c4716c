"""Sign-in, sign-out, CSRF, throttling, password change and the language switch."""
from conftest import PASSWORD, csrf_token, login


def test_login_with_the_right_password_opens_the_dashboard(client, make):
    make.user("li", "viewer")
    response = login(client, "li")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "工作台" in page and "li" in page


def test_wrong_password_says_so_and_nothing_else(client, make):
    make.user("li", "viewer")
    response = login(client, "li", "wrong-password")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "用户名或密码错误。" in html
    assert client.get("/").status_code == 302  # still signed out


def test_unknown_user_gets_the_same_message(client):
    response = login(client, "nobody", "whatever-pass")
    assert response.status_code == 401
    assert "用户名或密码错误。" in response.get_data(as_text=True)


def test_a_form_without_csrf_token_is_refused(client, make):
    make.user("li", "viewer")
    response = client.post("/login", data={"username": "li", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_logout_needs_post_with_csrf(client, make):
    make.user("li", "viewer")
    login(client, "li")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_pages_need_sign_in(client):
    response = client.get("/units")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_next_never_redirects_off_site(client, make):
    make.user("li", "viewer")
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/x",
                           data={"username": "li", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_five_failures_lock_the_account_even_for_the_right_password(app, client, make):
    make.user("li", "viewer")
    for _ in range(4):
        assert login(client, "li", "bad-password").status_code == 401
    response = login(client, "li", "bad-password")
    assert "该账户已被暂时锁定" in response.get_data(as_text=True)
    response = login(client, "li")
    assert response.status_code == 401
    assert "该账户已被暂时锁定" in response.get_data(as_text=True)
    # The lock is in the database: another process (a fresh client) sees it too.
    other = app.test_client()
    assert login(other, "li").status_code == 401


def test_password_change_signs_out_other_sessions(app, client, make):
    make.user("li", "viewer")
    other = app.test_client()
    login(client, "li")
    login(other, "li")
    token = csrf_token(client, "/profile")
    response = client.post("/profile", data={"current_password": PASSWORD, "new_password": "new-password-1",
                                             "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one ended
    assert login(app.test_client(), "li", "new-password-1").status_code == 302


def test_password_change_refuses_a_wrong_current_password(client, make):
    make.user("li", "viewer")
    login(client, "li")
    token = csrf_token(client, "/profile")
    response = client.post("/profile", data={"current_password": "nope-nope", "new_password": "new-password-1",
                                             "csrf_token": token})
    assert "当前密码不正确。" in response.get_data(as_text=True)
    assert login(client.application.test_client(), "li").status_code == 302


def test_language_switch_is_remembered(client, make):
    make.user("li", "viewer")
    login(client, "li")
    assert "Dashboard" in client.get("/?lang=en").get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in page and 'lang="en"' in page
    page = client.get("/?lang=zh_CN").get_data(as_text=True)
    assert "<h1>工作台</h1>" in page and 'lang="zh-CN"' in page


def test_language_choice_follows_the_user_to_a_new_session(app, client, make):
    make.user("li", "viewer")
    login(client, "li")
    client.get("/?lang=en")
    other = app.test_client()
    login(other, "li")
    assert "<h1>Dashboard</h1>" in other.get("/").get_data(as_text=True)


def test_login_page_is_chinese_by_default_and_english_on_request(client):
    assert "<h1>登录</h1>" in client.get("/login").get_data(as_text=True)
    assert "<h1>Sign in</h1>" in client.get("/login?lang=en").get_data(as_text=True)


def test_security_headers_on_pages(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_samesite_and_secure_over_https(client, make):
    make.user("li", "viewer")
    login(client, "li")
    plain = client.get("/?lang=en").headers.get("Set-Cookie", "")
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    secure = client.get("/?lang=zh_CN", base_url="https://localhost").headers.get("Set-Cookie", "")
    assert "Secure" in secure


def test_an_unknown_or_inactive_name_is_checked_against_a_hash_that_costs_what_a_real_one_does(
        app, make, run_db, monkeypatch):
    from werkzeug.security import generate_password_hash

    from riskflow.auth import service

    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    make.user("gone", "viewer")
    run_db(lambda s: setattr(service.user_by_name(s, "gone"), "active", False))
    checked = []
    real_check = service.check_password_hash
    monkeypatch.setattr(service, "check_password_hash", lambda hashed, password: checked.append(hashed)
                        or real_check(hashed, password))
    with app.app_context():
        assert run_db(lambda s: service.authenticate(s, "nobody", "whatever-pass")) == (None, "invalid")
        assert run_db(lambda s: service.authenticate(s, "gone", PASSWORD)) == (None, "invalid")
    # The same KDF with the same cost parameters as a password hashed now (scrypt:32768:8:1).
    real_method = generate_password_hash("a-real-password", method="scrypt").split("$")[0]
    assert [hashed.split("$")[0] for hashed in checked] == [real_method, real_method]
