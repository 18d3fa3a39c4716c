"""File names, unknown kinds and redirect targets that used to answer 500 or lead off the site."""
import io
from urllib.parse import quote

import pytest

from conftest import csrf_token, login, sql
from riskflow import values
from riskflow.web import safe_next
from test_supervision import fire, new_project, recommend


def started_recommendation(team):
    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    return pid, recommend(inspector, pid)["id"]


def upload(api, pid, name):
    """Send NAME as RFC 7578 allows any client to: percent-encoded UTF-8 in `filename*`, which the server
    decodes, newlines and all."""
    body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''"
            + quote(name, safe="").encode() + b"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 evidence\r\n--B--\r\n")
    return api.client.post(f"/api/v1/supervision-projects/{pid}/attachments", headers=api.headers, data=body,
                           content_type="multipart/form-data; boundary=B")


@pytest.mark.parametrize("name, stored", [
    ("整改\n报告.pdf", "整改 报告.pdf"),
    ("..\\..\\evil\r\n.pdf", "evil .pdf"),
    ("a\u202egpj.pdf", "a gpj.pdf"),
    ('say "hi".pdf', "say hi .pdf"),
])
def test_evidence_names_are_cleaned_when_stored_and_always_download(team, name, stored):
    pid, _ = started_recommendation(team)
    response = upload(team["inspector"], pid, name)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == stored
    download = team["inspector"].get(f"/attachments/{response.get_json()['id']}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 evidence"
    assert download.headers["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(stored)}") \
        or download.headers["Content-Disposition"] == f'attachment; filename="{stored}"'


def test_a_name_stored_before_the_cleaning_still_downloads(app, client, team):
    pid, _ = started_recommendation(team)
    attachment_id = upload(team["inspector"], pid, "证据.pdf").get_json()["id"]
    sql(app, "SELECT 1")  # the row is committed; now make it look like an old one
    with app.extensions["riskflow.engine"].begin() as con:
        from sqlalchemy import text

        con.execute(text("UPDATE attachments SET filename = :n WHERE id = :i"), {"n": "旧\n证据.pdf", "i": attachment_id})
    download = team["inspector"].get(f"/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == \
        f"attachment; filename=\" .pdf\"; filename*=UTF-8''{quote('旧 证据.pdf')}"
    login(client, "inspector")
    assert client.get(f"/evidence/{attachment_id}").status_code == 200


def test_an_unknown_kind_is_not_found_on_pages(client, team):
    pid, _ = started_recommendation(team)
    login(client, "inspector")
    token = csrf_token(client, f"/supervision/projects/{pid}")
    assert client.post(f"/fire/spaceship/{pid}/file", data={"csrf_token": token}).status_code == 404
    response = client.post(f"/evidence/spaceship/{pid}", data={
        "csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 404


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\/evil.example",
                                    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "", None])
def test_redirect_targets_off_the_site_are_refused(target):
    assert safe_next(target, "/home") == "/home"


def test_redirect_targets_on_the_site_are_kept():
    assert safe_next("/warnings?period=2026-05&unit=BJ", "/home") == "/warnings?period=2026-05&unit=BJ"


@pytest.mark.parametrize("back, location", [("https://evil.example/x", "/warnings"),
                                            ("/\\evil.example", "/warnings"),
                                            ("/warnings?period=2026-05", "/warnings?period=2026-05")])
def test_the_warning_form_goes_back_only_within_the_site(client, company, back, location):
    response = answer_warning(client, company, version="1", back=back)
    # Back to the list, at the row just saved.
    assert response.status_code == 302 and response.headers["Location"] == location + "#warning-1"


def answer_warning(client, company, version: str, **extra):
    """The unit head answers May's warning on a new risk through the page, saying which version was read."""
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 5, 5)
    warning_id = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["id"]
    login(client, "head_bj")
    token = csrf_token(client, "/warnings?period=2026-05")
    prefix = f"w{warning_id}-"
    return client.post(f"/warnings/{warning_id}?period=2026-05", data={
        "csrf_token": token, prefix + "response": "催收", prefix + "progress": "10", prefix + "status": "in_progress",
        prefix + "version": version, **extra})


def test_sign_in_goes_next_only_within_the_site(client, make):
    make.user("li", "viewer")
    token = csrf_token(client)
    response = client.post("/login?next=/%5Cevil.example", data={"username": "li", "password": "correct-horse",
                                                                 "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("name, expected", [("a\x00b.pdf", "a b.pdf"), ("/etc/passwd", "passwd"), ("", "file"),
                                            ("x" * 300 + ".pdf", "x" * 251 + ".pdf")])
def test_safe_filename(name, expected):
    assert values.safe_filename(name) == expected


def test_the_stored_name_keeps_its_extension_check(team):
    pid, _ = started_recommendation(team)
    response = upload(team["inspector"], pid, "evil.pdf\n.exe")
    assert response.status_code == 422 and response.get_json()["errors"] == {"file": ["不接受该文件类型。"]}
