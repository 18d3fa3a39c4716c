"""Fresh eyes on the budget indicators (issue 14), in Chromium: what the risk manager, the leader and the unit
head found wrong on the indicator pages, each with the page as they read it."""
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import text

from browser import check_page, screenshots, sign_in



def recent_periods(count: int) -> list[str]:
    """The COUNT months before this one, oldest first."""
    today = datetime.now(ZoneInfo("Asia/Shanghai"))
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        result.append(f"{year}-{month:02d}")
    return result[::-1]


def test_a_rate_has_no_year_to_date_on_the_list_and_its_page(server, browser_page, company):
    """A collection rate (%) does not add up over the months: the leader reads no 'year to date' of 294 %,
    while an amount (万元) keeps its sum."""
    rate = company.indicator("BJ-COLLECT", "货款回收率", rule="below_target", unit="BJ", measure="%", annual=96,
                             years=())
    amount = company.indicator("BJ-REVENUE", "销售收入", rule="below_target", unit="BJ", measure="万元",
                               annual=100, years=())
    periods = recent_periods(2)
    for period, percent, revenue in zip(periods, (97.5, 98), (120.5, 130)):
        assert company.manager.post(f"/indicators/{rate['id']}/values",
                                    {"period": period, "value": percent}).status_code == 201
        assert company.manager.post(f"/indicators/{amount['id']}/values",
                                    {"period": period, "value": revenue}).status_code == 201
    same_year = periods[0][:4] == periods[1][:4]
    page = browser_page
    sign_in(page, server, "leader")
    page.goto(f"{server}/indicators?period={periods[1]}")
    expect(page.locator(f"#indicator-{rate['id']} td[data-label='累计值']")).to_have_text("—")
    expect(page.locator(f"#indicator-{amount['id']} td[data-label='累计值']")).to_have_text(
        "250.5" if same_year else "130")
    check_page(page)
    page.get_by_role("link", name="BJ-COLLECT").click()
    ytd = page.locator("table.trend tbody tr", has=page.locator("th", has_text=periods[1])) \
        .locator("td[data-label='累计值']")
    expect(ytd).to_have_text("—")
    check_page(page)
    overflow = screenshots(page, server, f"/indicators/{rate['id']}", "eyes14-indicator")
    assert set(overflow.values()) == {0}, overflow


def test_the_history_names_the_reporter_not_the_user_name(server, browser_page, company, app):
    """The indicator's history shows who reports its values by name, as its definition does."""
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("UPDATE users SET display_name = '李娜' WHERE username = 'officer_bj'"))
    created = company.indicator("BJ-TRAVEL", "差旅费", rule="above_budget", unit="BJ", measure="万元",
                                owner="officer_bj", years=())
    page = browser_page
    sign_in(page, server, "leader")
    page.goto(f"{server}/indicators/{created['id']}")
    history = page.locator(".timeline")
    expect(history).to_contain_text("填报人：李娜")
    expect(history).not_to_contain_text("officer_bj")
    check_page(page)
