"""Fresh eyes on issue 17 in the browser: what a new user of each role found wrong, each kept fixed."""
from playwright.sync_api import expect

from browser import check_page, screenshots, sign_in


def test_the_kinds_list_keeps_its_edit_and_retire_buttons_inside_each_row(server, browser_page, company):
    page = browser_page
    sign_in(page, server, "admin")
    page.goto(server + "/admin/supervision-kinds")
    row = page.locator("#kind-budget")
    expect(row).to_contain_text("预算管理")
    # The buttons' cell is a cell of the row (a flex box there would fall out of the table, off the row's
    # background and lines).
    assert row.locator("td.actions").evaluate("td => getComputedStyle(td).display") == "table-cell"
    cell, whole = row.locator("td.actions").bounding_box(), row.bounding_box()
    table = page.locator("#kinds").bounding_box()
    assert cell["x"] + cell["width"] <= table["x"] + table["width"] + 0.5
    assert abs(cell["y"] - whole["y"]) < 0.5 and abs(cell["height"] - whole["height"]) < 0.5
    check_page(page)
    overflow = screenshots(page, server, "/admin/supervision-kinds", "eyes17-kinds")
    assert set(overflow.values()) == {0}, overflow
