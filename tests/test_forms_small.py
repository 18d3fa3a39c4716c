"""The small things that cost every month: sales units in the pickers, names shown once, hints instead of
example values, plural counts, labels instead of codes in messages, human file sizes, and the codes of the
risks an import added."""
import io

import pytest

from conftest import csrf_token, login
from test_register_transfer import wait_for, xlsx


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("size, zh, en", [
    (0, "0 字节", "0 bytes"), (1, "1 字节", "1 byte"), (512, "512 字节", "512 bytes"),
    (1023, "1023 字节", "1023 bytes"), (1024, "1.0 KB", "1.0 KB"), (1536, "1.5 KB", "1.5 KB"),
    (5 * 1024 * 1024 + 100_000, "5.1 MB", "5.1 MB")])
def test_file_sizes_read_as_people_read_them(app, size, zh, en):
    from flask_babel import force_locale

    from riskflow.web import human_size

    with app.test_request_context("/"):
        assert human_size(size) == zh
        with force_locale("en"):
            assert human_size(size) == en


def test_unit_pickers_and_filters_offer_sales_units_only(client, team):
    login(client, "manager")
    for path in ("/risks", "/risks/new", "/heatmap", "/imports"):
        html = page(client, path)
        assert "纪检监察室" not in html, path
    assert 'value="SH"' in page(client, "/risks/new")
    assert '<option value="BJ">' in page(client, "/heatmap")


def test_demo_names_are_people_so_the_role_and_unit_beside_them_show_once():
    from riskflow.demo import USERS

    assert [name for _, name, *_ in USERS if "（" in name or "(" in name] == []


def test_the_month_filter_hints_at_the_format_instead_of_showing_a_value(client, company):
    login(client, "manager")
    assert 'placeholder="年-月"' in page(client, "/risks")
    assert 'placeholder="YYYY-MM"' in page(client, "/risks?lang=en")
    assert "2026-07" not in page(client, "/risks").split('id="f-period"')[1].split(">")[0]


def test_counts_agree_with_their_number_in_english(client, company):
    company.risk("唯一的风险")
    login(client, "manager")
    assert "共 1 项风险" in page(client, "/risks")
    html = page(client, "/risks?lang=en")
    assert "<p class=\"lead\">1 risk</p>" in html
    company.risk("第二个风险")
    assert "<p class=\"lead\">2 risks</p>" in page(client, "/risks?lang=en")


def test_choice_errors_name_labels_not_codes(app, client, company):
    from riskflow.errors import Invalid
    from riskflow.register import risks
    from riskflow.auth import policy
    from riskflow.db import session_scope

    with app.test_request_context("/?lang=zh_CN"), session_scope(app) as s:
        with pytest.raises(Invalid) as refused:
            risks.create(s, policy.SYSTEM, {"title": "t", "unit": "BJ", "category": "price",
                                            "response_strategy": "maybe"})
        assert str(refused.value.errors["response_strategy"][0]) == "可选值：风险规避, 风险降低, 风险分担, 风险承受。"
    login(client, "manager")
    html = client.post("/reports", data={"csrf_token": csrf_token(client, "/reports"), "kind": "monthly",
                                         "period": "2026-Q3"}).get_data(as_text=True)
    assert 'id="period-error">月度报告的期间应为月份，例如 2026-07。</p>' in html
    assert "monthly" not in html.split("<main")[1].replace('value="monthly"', "")


def test_the_default_standard_note_reads_in_the_users_language(client, company):
    login(client, "manager")
    assert "默认标准（国资委 2006 年指引）" in page(client, "/standard")
    assert "default (SASAC 2006)" not in page(client, "/standard")
    assert "Default standard (SASAC 2006)" in page(client, "/standard?lang=en")


def test_the_import_result_links_the_new_risks(client, company):
    login(client, "officer_bj")
    data = xlsx([("title", "category", "unit"), ("上传的风险", "price", "BJ"), ("另一项风险", "contracts", "BJ")])
    response = client.post("/imports", data={"csrf_token": csrf_token(client, "/imports"), "kind": "risks",
                                             "period": "", "file": (io.BytesIO(data), "risks.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert wait_for(client, response.headers["Location"] + ".json")["imported"] == 2
    ids = {r["code"]: r["id"] for r in company.manager.get("/risks").get_json()["items"]}
    html = page(client, response.headers["Location"])
    assert "已导入 2 行。" in html
    assert (f'<li><a href="/risks/{ids["BJ-001"]}">BJ-001</a> <span class="muted">上传的风险</span></li>'
            f'<li><a href="/risks/{ids["BJ-002"]}">BJ-002</a> <span class="muted">另一项风险</span></li>') in html
