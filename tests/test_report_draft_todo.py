"""A monthly draft waits on the risk manager's to-do list until it is issued; the draft's PDF says when it was
prepared, and its execution-progress page lists the overdue actions (every action is the progress report's)."""
from conftest import login
from test_report_review import monthly_draft


def test_a_monthly_draft_is_on_the_risk_managers_to_do_until_issued(app, client, company):
    draft = monthly_draft(company)
    login(client, "manager")
    page = client.get("/").get_data(as_text=True)
    assert "2026-06 月度报告为草稿，请审阅并签发" in page
    assert f'href="/reports/{draft["id"]}"' in page
    assert company.manager.post(f"/reports/{draft['id']}/issue", {}).status_code == 200
    assert "月度报告为草稿" not in client.get("/").get_data(as_text=True)
    leader = app.test_client()
    login(leader, "leader")
    assert "月度报告为草稿" not in leader.get("/").get_data(as_text=True)


def test_the_draft_says_when_it_was_prepared_not_issued(app, company):
    from test_reports import pdf_text

    draft = monthly_draft(company)
    text = pdf_text(company.manager.get(draft["download_url"][len("/api/v1"):]).data)
    heading = text[:text.index("一、")]
    assert "编制" in heading and "发布" not in heading


def test_the_progress_report_made_by_issuing_is_the_issuers(app, company):
    draft = monthly_draft(company)
    assert company.manager.post(f"/reports/{draft['id']}/issue", {}).status_code == 200
    made = company.manager.get("/reports?kind=progress").get_json()["items"]
    assert [(r["period"], r["created_by"], r["status"]) for r in made] == [
        ("2026-05", made[0]["created_by"], "issued")]
    assert made[0]["created_by"] == draft_issuer(company, draft["id"]) != "system"


def draft_issuer(company, report_id):
    return company.manager.get("/reports?kind=monthly").get_json()["items"][0]["issued_by"]
