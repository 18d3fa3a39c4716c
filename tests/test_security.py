"""Security properties a user relies on: escaping everywhere, tokens revoked, headers on every response."""
import io
import re

from pypdf import PdfReader

from conftest import csrf_token, login

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


def test_a_revoked_token_from_the_profile_page_stops_working(client, company, make):
    login(client, "leader")
    token_page = csrf_token(client, "/profile")
    response = client.post("/profile/tokens", data={"csrf_token": token_page}, follow_redirects=True)
    html = response.get_data(as_text=True)
    token = re.search(r'class="flash flash-token">[^<]*?(rf_[A-Za-z0-9_-]{40,})', html).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/units", headers=headers).status_code == 200
    token_id = re.search(r"/profile/tokens/(\d+)/revoke", html).group(1)
    client.post(f"/profile/tokens/{token_id}/revoke", data={"csrf_token": token_page})
    assert client.get("/api/v1/units", headers=headers).status_code == 401


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
