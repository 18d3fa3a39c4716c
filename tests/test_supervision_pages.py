"""Supervision pages and documents: what inspectors and unit heads do in a browser's place."""
import io
import re

from pypdf import PdfReader

from conftest import csrf_token, login
from test_supervision import fire, new_project, recommend


def started(team):
    inspector = team["inspector"]
    pid = new_project(inspector)["id"]
    fire(inspector, "supervision-projects", pid, "file")
    fire(inspector, "supervision-projects", pid, "start_monitoring")
    return pid


def test_the_board_shows_projects_by_state(client, team):
    pid = started(team)
    new_project(team["inspector"], title="草拟中的项目")
    login(client, "inspector")
    html = client.get("/supervision?year=2026").get_data(as_text=True)
    lanes = re.findall(r'<h2 id="lane-(\w+)">.*?<span class="count">(\d+)</span>', html, re.S)
    # The inspector's board opens with the units' proposals awaiting review.
    assert lanes == [("proposed", "0"), ("draft", "1"), ("setup", "0"), ("monitoring", "1"), ("recommendation", "0"),
                     ("rectification", "0"), ("closed", "0")]
    assert f'href="/supervision/{pid}"' in html


def test_the_board_counts_each_projects_open_recommendations(client, team):
    inspector, head = team["inspector"], team["head_bj"]
    pid = started(team)
    done, _other = recommend(inspector, pid)["id"], recommend(inspector, pid)["id"]
    assert fire(inspector, "supervision-projects", pid, "issue_recommendations").status_code == 200
    assert fire(head, "recommendations", done, "accept").status_code == 200
    assert fire(head, "recommendations", done, "submit", report="已整改").status_code == 200
    assert fire(inspector, "recommendations", done, "verify").status_code == 200
    login(client, "inspector")
    html = client.get("/supervision?year=2026").get_data(as_text=True)
    assert "监察建议 2 条，未闭环 1 条" in html
    summary = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert " ".join(summary.split()) == "立项 1 项 · 监察建议 2 条 · 闭环率 50% · 直接经济效益 450,000 元"


def test_filing_a_project_through_the_form(client, team):
    login(client, "inspector")
    token = csrf_token(client, "/supervision/new")
    response = client.post("/supervision/new", data={
        "csrf_token": token, "year": "2026", "title": "工程结算效能监察", "kind": "construction_cost",
        "method": "efficiency_audit", "lead_unit": "JJ", "participating_units": ["BJ", "SH"],
        "plan": "全年"})
    assert response.status_code == 302
    project = team["inspector"].get("/supervision-projects").get_json()["items"][0]
    assert (project["title"], project["participating_units"], project["economic_benefit"]) == (
        "工程结算效能监察", ["BJ", "SH"], 0.0)  # the form has no benefit field: benefits are entries


def test_transitions_from_the_page_with_their_required_fields(client, team):
    pid = started(team)
    login(client, "inspector")
    html = client.get(f"/supervision/{pid}").get_data(as_text=True)
    # The guard says why the recommendations cannot be issued yet.
    assert "下达监察建议前，请至少登记一条监察建议。" in html
    token = csrf_token(client, f"/supervision/{pid}")
    client.post(f"/supervision/{pid}", data={"csrf_token": token, "rec-finding": "费用超标", "rec-basis": "",
                                            "rec-recommendation": "压降费用", "rec-responsible_unit": "BJ",
                                            "rec-due_date": ""})
    assert team["inspector"].get(f"/supervision-projects/{pid}").get_json()["transitions"] == [
        "issue_recommendations", "cancel"]
    client.post(f"/fire/supervision_project/{pid}/issue_recommendations", data={"csrf_token": token})
    assert team["inspector"].get(f"/supervision-projects/{pid}").get_json()["state"] == "recommendation"
    response = client.post(f"/fire/supervision_project/{pid}/cancel", data={"csrf_token": token, "comment": ""},
                           follow_redirects=True)
    assert "请填写意见。" in response.get_data(as_text=True)
    assert team["inspector"].get(f"/supervision-projects/{pid}").get_json()["state"] == "recommendation"


def test_a_unit_head_submits_the_rectification_with_evidence(client, team):
    pid = started(team)
    rid = recommend(team["inspector"], pid)["id"]
    login(client, "head_bj")
    token = csrf_token(client, f"/recommendations/{rid}")
    client.post(f"/fire/recommendation/{rid}/accept", data={"csrf_token": token})
    client.post(f"/evidence/recommendation/{rid}", data={"csrf_token": token,
                                                         "file": (io.BytesIO(b"%PDF-1.4 report"), "整改报告.pdf")},
                content_type="multipart/form-data")
    client.post(f"/fire/recommendation/{rid}/submit", data={"csrf_token": token, "report": "已整改完毕"})
    body = team["inspector"].get(f"/recommendations/{rid}").get_json()
    assert (body["state"], body["rectification_report"], body["transitions"]) == ("submitted", "已整改完毕",
                                                                                 ["verify", "reject"])
    html = client.get(f"/recommendations/{rid}").get_data(as_text=True)
    assert "整改报告.pdf" in html
    attachment_id = re.search(r'href="/evidence/(\d+)"', html).group(1)
    assert client.get(f"/evidence/{attachment_id}").data == b"%PDF-1.4 report"
    other = client.application.test_client()
    login(other, "head_sh")
    assert other.get(f"/evidence/{attachment_id}").status_code == 404
    assert other.get(f"/recommendations/{rid}").status_code == 404


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and any(k in descriptor.get_object() for k in
                                                   ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font["/BaseFont"]))
    return fonts


def test_the_recommendation_letter_pdf_carries_the_chinese_text(client, team):
    pid = started(team)
    rec = recommend(team["inspector"], pid, due_date="2099-06-30")
    login(client, "head_bj")
    response = client.get(f"/recommendations/{rec['id']}/letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("监察建议书", rec["letter_no"], "北京销售分公司", "大客户欠款超过信用额度", "建立客户信用动态评估机制",
                     "2099年06月30日"):
        assert expected in text
    assert embedded_fonts(response.data), "the CJK font must be embedded"


def test_the_rectification_notice_states_the_days_overdue(app, client, team, run_db):
    from datetime import timedelta

    from riskflow import periods
    from riskflow.supervision.models import Recommendation

    pid = started(team)
    rid = recommend(team["inspector"], pid)["id"]
    with app.app_context():
        due = periods.today() - timedelta(days=40)

    def backdate(s):
        s.get(Recommendation, rid).due_date = due

    run_db(backdate)
    login(client, "inspector")
    text = pdf_text(client.get(f"/recommendations/{rid}/notice.pdf").data)
    assert "整改督办通知书" in text and "红色督办" in text and "已逾期 40 天" in text
