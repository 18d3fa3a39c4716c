"""The project page as another unit reads it (attack17): SH's head, taking part in a shared project, reads the
direct economic benefit as the sum of the benefits SH may see, never BJ's."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in
from test_benefits import monitoring
from test_supervision import recommend


def test_sh_reads_a_shared_projects_benefit_without_bjs(server, browser_page, company, make):
    page = browser_page
    make.unit("JJ", "纪检监察室", kind="inspection")
    make.user("head_sh", "unit_head", unit="SH")
    inspector = company.inspector
    pid = monitoring(inspector, participating_units=["BJ", "SH"])
    rec_bj = recommend(inspector, pid, unit="BJ", finding="北京结算价款偏高")
    for body in ({"amount": 1000000, "kind": "cost_reduction", "recommendation_id": rec_bj["id"]},
                 {"amount": 50, "kind": "other", "description": "共同节约"}):
        assert inspector.post(f"/supervision-projects/{pid}/benefits", body).status_code == 201
    sign_in(page, server, "head_sh")
    page.goto(f"{server}/supervision/{pid}")
    expect(page.locator("dd", has=page.get_by_role("link", name="50.00"))).to_be_visible()
    expect(page.get_by_text("1,000,050.00")).to_have_count(0)
    expect(page.get_by_text("1,000,000.00")).to_have_count(0)
    check_page(page)
    screenshots(page, server, f"/supervision/{pid}", "attack17-project-sh")
