"""The demo company of `riskflow init --demo` in the browser: its logins, and its budget indicators' year on the
dashboard, the warnings and the indicators pages."""
import pytest
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from conftest import sql
from riskflow import demo, periods
from riskflow.db import session_scope

NO_OVERFLOW = {(lang, size): 0 for lang in ("zh", "en") for size in ("wide", "phone")}


@pytest.fixture
def company(app):
    """The demo company in place of the tests' small one (the `server` fixture serves it)."""
    with app.app_context(), session_scope(app) as session:
        assert demo.load(session)
        last = periods.previous(periods.current())
    return last


def indicator_warnings(app, period):
    """PERIOD's warnings of the demo's indicators: code -> (unit, response, cause, explanation, who answered)."""
    rows = sql(app, """
        SELECT i.code, u.code, w.response, w.cause, w.explanation,
               (SELECT a.username FROM change_history h JOIN users a ON a.id = h.actor_id WHERE h.entity = 'warning'
                AND h.entity_id = w.id AND h.action = 'respond' ORDER BY h.id LIMIT 1)
        FROM warnings w JOIN indicators i ON i.id = w.indicator_id OR (w.reason = 'indicator' AND i.risk_id = w.risk_id)
        LEFT JOIN units u ON u.id = i.unit_id WHERE w.period = :p""", p=period)
    return {code: rest for code, *rest in rows}


def test_demo_logins_see_the_year_of_budget_indicators(server, browser_page, company, app):
    page, last = browser_page, company
    assert sql(app, "SELECT count(*), count(DISTINCT unit_id), "
               "sum(CASE WHEN carry_over THEN 1 ELSE 0 END) FROM indicators") == [(49, 5, 15)]
    # A unit's indicators are reported by its officer; the company's by the risk manager.
    assert sql(app, "SELECT count(*) FROM indicators i JOIN units u ON u.id = i.unit_id JOIN users o ON "
                    "o.id = i.owner_id WHERE o.username = 'officer_' || lower(u.code)") == [(45,)]
    assert sql(app, "SELECT count(*) FROM indicators WHERE unit_id IS NULL AND owner_id IS NULL") == [(4,)]
    recent = {**indicator_warnings(app, periods.previous(last)), **{
        f"{code}@last": row for code, row in indicator_warnings(app, last).items()}}
    answered = {code: row for code, row in recent.items() if row[1]}
    assert answered and len(answered) < len(recent)
    heads = {f"head_{unit.lower()}": unit for unit in ("BJ", "SH", "GD", "SC", "HB")}
    for code, (unit, response, cause, explanation, actor) in answered.items():
        assert cause in ("internal", "external") and explanation and response, code
        assert (unit is None and actor == "manager") or heads.get(actor) == unit, (code, actor)

    sign_in(page, server, "manager", demo.DEMO_PASSWORD)
    check_page(page)
    assert screenshots(page, server, "/", "idemo-dashboard-manager") == NO_OVERFLOW
    page.goto(server + "/indicators")
    check_page(page)
    expect(page.get_by_role("row").filter(has_text="CO-DEBT-RATIO")).to_contain_text("资产负债率")
    assert screenshots(page, server, "/indicators", "idemo-indicators-manager") == NO_OVERFLOW
    page.context.clear_cookies()

    sign_in(page, server, "head_sc", demo.DEMO_PASSWORD)
    unanswered = sorted(code for code, (unit, response, *_) in indicator_warnings(app, last).items()
                        if unit == "SC" and not response)
    page.goto(f"{server}/warnings?period={last}&todo=respond")
    check_page(page)
    for code in unanswered:
        expect(page.get_by_role("link", name=code, exact=True)).to_be_visible()
    for code, (unit, response, *_) in indicator_warnings(app, last).items():
        if unit == "SC" and response:
            expect(page.get_by_role("link", name=code, exact=True)).to_have_count(0)
    assert screenshots(page, server, "/warnings", "idemo-warnings-head") == NO_OVERFLOW
    page.context.clear_cookies()

    sign_in(page, server, "officer_sc", demo.DEMO_PASSWORD)
    page.goto(server + "/indicators")
    codes = page.locator("tbody tr td:first-child").all_inner_texts()
    assert codes and all(code.startswith(("SC-", "CO-")) for code in codes), codes
