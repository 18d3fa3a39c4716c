"""Security properties a user relies on: escaping everywhere, tokens revoked, headers on every response."""
import io
import re

from pypdf import PdfReader

from conftest import PASSWORD, csrf_token, login, sql

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_xss_payloads_come_back_escaped_in_pages(client, company, make):
    risk = company.risk(XSS, owner=XSS, causes=XSS)
    company.grade(risk["id"], "2026-05", 5, 5, rationale=XSS)
    company.manager.post("/incidents", {"title": XSS, "kind": "near_miss", "occurred_on": "2026-05-02",
                                        "discovered_on": "2026-05-02", "unit": "BJ", "description": XSS})
    login(client, "manager")
    for path in (f"/risks/{risk['id']}", "/risks", "/heatmap?period=2026-05", "/warnings?period=2026-05",
                 "/incidents", "/incidents/1", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get(f"/risks/{risk['id']}").get_data(as_text=True)


def test_xss_payloads_are_plain_text_in_pdfs(company):
    risk = company.risk(XSS)
    company.grade(risk["id"], "2026-05", 5, 5)
    report = company.manager.post("/reports", {"kind": "monthly", "period": "2026-05"}).get_json()
    data = company.manager.get(report["download_url"][len("/api/v1"):]).data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert '<script>alert("x")</script>' in text.replace("\n", "")


def test_api_json_escapes_nothing_but_is_never_html(company):
    risk = company.risk(XSS)
    response = company.manager.get(f"/risks/{risk['id']}")
    assert response.mimetype == "application/json" and response.get_json()["title"] == XSS
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def mint(client, password=PASSWORD, name="月报导出脚本"):
    """Ask for a token on the profile page, as its form does."""
    return client.post("/profile/tokens", data={"token-csrf_token": csrf_token(client, "/profile"), "token-name": name,
                                                "token-password": password})


def shown_token(response) -> str:
    return re.search(r'<code id="new-token">(rf_[A-Za-z0-9_-]{40,})</code>', response.get_data(as_text=True)).group(1)


def test_a_revoked_token_from_the_profile_page_stops_working(client, company, make):
    login(client, "leader")
    token = shown_token(mint(client))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/units", headers=headers).status_code == 200
    html = client.get("/profile").get_data(as_text=True)
    token_id = re.search(r"/profile/tokens/(\d+)/revoke", html).group(1)
    client.post(f"/profile/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/profile")})
    assert client.get("/api/v1/units", headers=headers).status_code == 401


def test_a_new_token_is_shown_once_in_the_page_and_never_in_the_session_cookie(app, client, make):
    make.user("li", "viewer")
    login(client, "li")
    response = mint(client)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    token = shown_token(response)
    assert "月报导出脚本" in response.get_data(as_text=True)
    session = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)
    assert token not in repr(session)
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page = client.get("/profile").get_data(as_text=True)
    assert token not in page and token[:8] in page and "月报导出脚本" in page


def test_a_token_is_minted_only_with_the_current_password(app, client, make):
    make.user("li", "viewer")
    login(client, "li")
    for password, error in (("", "该字段是必填字段。"), ("wrong-password", "当前密码不正确。")):
        html = mint(client, password, name="对账脚本").get_data(as_text=True)
        assert re.search(r'<p class="field-error" id="token-password-error">([^<]*)</p>', html).group(1) == error
        assert 'name="token-name" type="text" value="对账脚本"' in html
        assert 'id="new-token"' not in html
    assert sql(app, "SELECT count(*) FROM api_tokens") == [(0,)]


def test_a_password_change_revokes_the_users_tokens_and_says_so(client, make):
    make.user("li", "viewer")
    make.user("wang", "viewer")
    mine, theirs = make.token("li"), make.token("wang")
    login(client, "li")
    assert "修改密码后，您的所有 API 令牌都将被吊销。" in client.get("/profile").get_data(as_text=True)
    response = client.post("/profile", data={"current_password": PASSWORD, "new_password": "new-password-1",
                                             "csrf_token": csrf_token(client, "/profile")}, follow_redirects=True)
    assert "密码已修改，其他登录会话均已退出，您的 API 令牌已全部吊销。" in response.get_data(as_text=True)
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {mine}"}).status_code == 401
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {theirs}"}).status_code == 200


def test_uploads_over_the_request_limit_are_refused(app, client, company):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/recommendations/1/attachments", headers=company.inspector.headers,
                           data={"file": (io.BytesIO(b"%PDF-" + b"x" * 4096), "big.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.get_json() == {"error": "上传的文件过大。"}


def test_every_response_carries_the_security_headers(client):
    for path in ("/login", "/healthz", "/api/v1/openapi.json", "/static/css/app.css", "/no-such-page"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_no_secret_or_data_file_is_in_the_repository():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True).stdout.split()
    if not tracked:
        return  # not a git checkout (an sdist): nothing to check
    assert [f for f in tracked if f.endswith((".db", ".pem", ".key")) or "secret_key" in f
            or f.startswith(("instance/", ".venv/"))] == []
    marker = "BEGIN " + "PRIVATE KEY"  # spelled in two parts so that this file does not match itself
    for name in tracked:
        path = root / name
        if path.suffix in (".py", ".cfg", ".toml", ".ini", ".md", ".yaml", ".html", ".txt"):
            assert marker not in path.read_text(encoding="utf-8", errors="ignore"), name
