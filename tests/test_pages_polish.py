"""Small page behaviours found by walking each role's job: no month to come offered, the saved reason on the
sheet, a save button only under rows that have forms."""
from riskflow import periods
from conftest import login


def test_the_month_pages_offer_no_month_to_come(app, client, company):
    with app.app_context():
        this = periods.current()
        last = periods.previous(this)
    login(client, "manager")
    for path in ("/warnings", "/heatmap"):
        current = client.get(f"{path}?period={this}").get_data(as_text=True)
        assert f"{periods.shift(this, 1)} →" not in current
        past = client.get(f"{path}?period={last}").get_data(as_text=True)
        assert f"{this} →</a>" in past


def test_the_sheet_shows_the_reason_saved_for_the_month(app, client, company):
    with app.app_context():
        this = periods.current()
    risk = company.risk()
    company.grade(risk["id"], this, 3, 4, api=company.officer_bj, rationale="回款周期拉长")
    login(client, "officer_bj")
    html = client.get(f"/grading?period={this}").get_data(as_text=True)
    assert '<span class="sheet-reason">回款周期拉长</span>' in html


def test_no_save_button_under_an_empty_list_of_last_months_warnings(app, client, company):
    with app.app_context():
        this = periods.current()
    risk = company.risk()
    company.grade(risk["id"], this, 5, 5)
    login(client, "head_bj")
    html = client.get(f"/warnings?period={this}").get_data(as_text=True)
    assert html.count("保存全部应对") == 1
