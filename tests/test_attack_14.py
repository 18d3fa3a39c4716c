"""Attacks on issue 14's new doors (budget indicators): another unit's indicators read or written through the
API, the pages, the sheet, the import and the warnings; escalation by a unit role or through a named owner;
forged hidden fields, missing CSRF tokens, wrong JSON types and odd values. Each test is a hole that was found,
or a door that was tried and held."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import csrf_token, login, sql
from riskflow import periods



def last_month() -> str:
    """Last month in the company's zone (the sheet refuses months to come)."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def is_future(period: str) -> bool:
    return not periods.is_period(period) or period > last_month()[:4] + "-12"


@pytest.fixture
def bj(company):
    """BJ's selling expense (secret name), with a breached month answered by BJ's head, and a company-wide one."""
    indicator = company.indicator("BJ-SECRET", name="北京机密费用", rule="above_target", annual=100, unit="BJ",
                                  years=(int(last_month()[:4]),))
    recorded = company.officer_bj.post(f"/indicators/{indicator['id']}/values", {"period": last_month(), "value": 150})
    assert recorded.status_code == 201, recorded.get_json()
    warning = [w for w in company.manager.get(f"/warnings?period={last_month()}").get_json()["items"]
               if w["indicator_id"] == indicator["id"]][0]
    answered = company.head_bj.patch(f"/warnings/{warning['id']}", {"cause": "internal", "explanation": "北京的解释秘密",
                                                                    "response": "北京应对"})
    assert answered.status_code == 200, answered.get_json()
    return {"indicator": indicator, "warning": warning}


@pytest.fixture
def wide(company):
    """A company-wide indicator nobody owns."""
    return company.indicator("CO-WIDE", name="公司资产负债率", rule="above_target", annual=60,
                             years=(int(last_month()[:4]),))


def value_count(app) -> int:
    return sql(app, "SELECT count(*) FROM indicator_values")[0][0]


# ---- reading another unit's rows ---------------------------------------------------------------------------

def test_the_api_list_filtered_to_another_unit_shows_none_of_its_rows(company, bj, wide):
    listed = company.officer_sh.get("/indicators?unit=BJ")
    assert listed.status_code in (200, 404)
    assert "BJ-SECRET" not in listed.get_data(as_text=True)
    codes = [i["code"] for i in company.officer_sh.get("/indicators").get_json()["items"]]
    assert codes == ["CO-WIDE"]


@pytest.mark.parametrize("path", ["/indicators/{id}", "/indicators/{id}/targets/2026", "/indicators/{id}/values",
                                  "/history?entity=indicator&id={id}"])
def test_another_units_indicator_is_not_found_through_the_api(company, bj, path):
    response = company.officer_sh.get(path.format(id=bj["indicator"]["id"]))
    assert response.status_code == 404
    assert "北京" not in response.get_data(as_text=True) and "BJ-SECRET" not in response.get_data(as_text=True)


def test_another_units_indicator_warning_is_not_listed_nor_answered(company, bj, app):
    listed = company.officer_sh.get(f"/warnings?period={last_month()}").get_data(as_text=True)
    assert "BJ-SECRET" not in listed and "北京" not in listed
    response = company.officer_sh.patch(f"/warnings/{bj['warning']['id']}", {"cause": "external",
                                                                              "explanation": "上海改写"})
    assert response.status_code == 404
    assert sql(app, "SELECT cause, explanation FROM warnings") == [("internal", "北京的解释秘密")]


@pytest.mark.parametrize("path", ["/indicators/{id}", "/indicators/{id}/edit", "/indicators/{id}/targets/2026"])
def test_another_units_indicator_pages_are_not_found(client, company, bj, path):
    login(client, "officer_sh")
    response = client.get(path.format(id=bj["indicator"]["id"]))
    assert response.status_code == 404
    assert "北京机密" not in response.get_data(as_text=True)


def test_the_pages_lists_of_a_unit_role_show_none_of_another_units_rows(client, company, bj, wide):
    login(client, "officer_sh")
    for path in (f"/indicators?unit=BJ&period={last_month()}", f"/indicators?period={last_month()}",
                 f"/indicators/sheet?unit=BJ&period={last_month()}", f"/warnings?period={last_month()}",
                 f"/warnings?period={last_month()}&unit=BJ", "/", "/indicators/import"):
        html = client.get(path).get_data(as_text=True)
        assert "BJ-SECRET" not in html and "北京机密" not in html and "北京的解释" not in html, path


def test_the_missing_list_is_the_risk_managers(client, company, bj):
    login(client, "officer_sh")
    assert client.get("/indicators/missing").status_code == 403


def test_the_values_template_of_a_unit_role_lists_only_what_it_records(client, company, bj, wide):
    from openpyxl import load_workbook
    login(client, "officer_sh")
    response = client.get("/indicators/import/template?kind=values")
    assert response.status_code == 200
    rows = [tuple(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert all("BJ-SECRET" not in r and "CO-WIDE" not in r for r in rows), rows
    assert client.get("/indicators/import/template?kind=targets").status_code == 403


# ---- writing another unit's rows ---------------------------------------------------------------------------

def test_the_sheet_posted_with_another_units_box_writes_nothing(client, company, bj, app):
    login(client, "officer_sh")
    path = f"/indicators/sheet?unit=BJ&period={last_month()}"
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, f"v_{bj['indicator']['id']}": "999"})
    assert response.status_code in (200, 302)
    assert sql(app, "SELECT value FROM indicator_values") == [(150,)]


def test_the_api_refuses_another_units_value_and_a_company_wide_one(company, bj, wide, app):
    path = f"/indicators/{bj['indicator']['id']}/values"
    assert company.officer_sh.post(path, {"period": last_month(), "value": 1}).status_code == 404
    for api in (company.officer_sh, company.head_bj, company.leader, company.inspector):
        response = api.post(f"/indicators/{wide['id']}/values", {"period": last_month(), "value": 1})
        assert response.status_code == 403, response.get_json()
    assert value_count(app) == 1


def csv_file(rows) -> tuple:
    return (io.BytesIO(("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")), "values.csv")


def test_an_import_of_another_units_code_is_unknown_and_writes_nothing(client, company, bj, wide, app):
    login(client, "officer_sh")
    token = csrf_token(client, "/indicators/import")
    response = client.post("/indicators/import", data={
        "csrf_token": token, "kind": "values", "period": last_month(),
        "file": csv_file([("指标编码", "本月值"), ("BJ-SECRET", "5"), ("CO-WIDE", "7")])},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert "北京机密" not in html
    assert value_count(app) == 1


def test_an_import_of_targets_by_a_unit_role_is_refused(client, company, bj, app):
    login(client, "head_bj")
    token = csrf_token(client, "/indicators/import")
    before = sql(app, "SELECT count(*) FROM indicator_targets")
    response = client.post("/indicators/import", data={
        "csrf_token": token, "kind": "targets", "year": last_month()[:4],
        "file": csv_file([("指标编码", "年度目标"), ("BJ-SECRET", "1")])}, content_type="multipart/form-data")
    assert response.status_code in (200, 403, 422)
    assert sql(app, "SELECT count(*) FROM indicator_targets") == before
    assert sql(app, "SELECT annual FROM indicator_targets")[0][0] == 100


# ---- escalation ---------------------------------------------------------------------------------------------

def test_unit_roles_define_edit_and_set_targets_of_nothing(client, company, bj, wide, app):
    ident = bj["indicator"]["id"]
    for api in (company.officer_bj, company.head_bj, company.leader, company.inspector):
        assert api.post("/indicators", {"code": "X1", "name": "x", "rule": "above_target", "unit": "BJ"}
                        ).status_code == 403
        assert api.patch(f"/indicators/{ident}", {"name": "改名"}).status_code == 403
        assert api.put(f"/indicators/{ident}/targets/2026", {"annual": 1, "monthly": [None] * 12}).status_code == 403
        assert api.patch(f"/indicators/{wide['id']}", {"unit": "BJ"}).status_code == 403
    login(client, "head_bj")
    assert client.get("/indicators/new").status_code == 403
    assert client.get(f"/indicators/{ident}/edit").status_code == 403
    assert client.get(f"/indicators/{ident}/targets/2026").status_code == 403
    assert sql(app, "SELECT count(*), min(name) FROM indicators") == [(2, "公司资产负债率")]


def test_a_viewer_named_owner_of_a_units_indicator_is_refused(company, bj, app):
    response = company.manager.patch(f"/indicators/{bj['indicator']['id']}", {"owner": "leader"})
    assert response.status_code == 422, response.get_json()
    assert "owner" in response.get_json()["errors"]
    assert sql(app, "SELECT owner_id FROM indicators WHERE code = 'BJ-SECRET'") == [(None,)]


def test_an_owner_of_a_units_indicator_records_only_if_that_unit_may(company, bj, app):
    # Named before the rule: an inspector the owner of BJ's indicator still may not write BJ's figures.
    from sqlalchemy import text
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("UPDATE indicators SET owner_id = (SELECT id FROM users WHERE username = 'inspector') "
                         "WHERE code = 'BJ-SECRET'"))
    response = company.inspector.post(f"/indicators/{bj['indicator']['id']}/values",
                                      {"period": last_month(), "value": 1})
    assert response.status_code == 403
    assert sql(app, "SELECT value FROM indicator_values") == [(150,)]


def test_moving_an_owned_company_wide_indicator_to_another_unit_than_its_owners_is_refused(company, wide, app):
    assert company.manager.patch(f"/indicators/{wide['id']}", {"owner": "officer_sh"}).status_code == 200
    response = company.manager.patch(f"/indicators/{wide['id']}", {"unit": "BJ"})
    assert response.status_code == 422, response.get_json()
    assert sql(app, "SELECT unit_id FROM indicators WHERE code = 'CO-WIDE'") == [(None,)]


def test_linking_another_units_risk_is_refused(company, bj):
    risk = company.risk(unit="SH", title="上海风险")
    response = company.manager.patch(f"/indicators/{bj['indicator']['id']}", {"risk_id": risk["id"]})
    assert response.status_code == 422
    assert "risk_id" in response.get_json()["errors"]


def test_after_a_move_the_new_unit_reads_no_entry_naming_the_old(company, bj):
    ident = bj["indicator"]["id"]
    assert company.manager.patch(f"/indicators/{ident}", {"unit": "SH", "name": "上海费用"}).status_code == 200
    entries = company.officer_sh.get(f"/history?entity=indicator&id={ident}")
    assert entries.status_code == 200
    text = entries.get_data(as_text=True)
    assert '"BJ"' not in text and "北京机密费用" not in text, text


# ---- forged hidden fields and CSRF ---------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["1", 0, -1, True, 1.5, None, [1]])
def test_odd_versions_are_refused(company, bj, version):
    response = company.manager.patch(f"/indicators/{bj['indicator']['id']}", {"name": "新名", "version": version})
    assert response.status_code in (409, 422), (version, response.status_code)


def test_a_stale_version_on_the_edit_page_is_refused(client, company, bj, app):
    ident = bj["indicator"]["id"]
    login(client, "manager")
    token = csrf_token(client, f"/indicators/{ident}/edit")
    assert company.manager.patch(f"/indicators/{ident}", {"name": "别人改过"}).status_code == 200
    response = client.post(f"/indicators/{ident}/edit", data={
        "csrf_token": token, "code": "BJ-SECRET", "name": "我改的", "unit": "BJ", "rule": "above_target",
        "plan": "", "measure": "", "owner": "", "risk": "", "active": "y", "version": "1"})
    assert response.status_code in (200, 409)
    assert sql(app, "SELECT name FROM indicators WHERE code = 'BJ-SECRET'") == [("别人改过",)]


def test_the_new_posts_without_a_csrf_token_are_refused(client, company, bj, app):
    ident = bj["indicator"]["id"]
    login(client, "manager")
    posts = {
        f"/indicators/sheet?unit=BJ&period={last_month()}": {f"v_{ident}": "1"},
        f"/indicators/{ident}/targets/2026": {"annual": "1"},
        "/indicators/new": {"code": "NEW-1", "name": "n", "rule": "above_target", "unit": ""},
        f"/indicators/{ident}/edit": {"code": "BJ-SECRET", "name": "csrf", "rule": "above_target", "unit": "BJ",
                                      "version": "3"},
        "/indicators/import": {"kind": "values", "period": last_month(),
                               "file": csv_file([("指标编码", "本月值"), ("BJ-SECRET", "1")])},
    }
    for path, data in posts.items():
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code in (200, 400), path
    assert sql(app, "SELECT name FROM indicators WHERE code = 'BJ-SECRET'") == [("北京机密费用",)]
    assert sql(app, "SELECT count(*) FROM indicators") == [(1,)]
    assert sql(app, "SELECT value FROM indicator_values") == [(150,)]
    assert sql(app, "SELECT annual FROM indicator_targets") == [(100,)]


# ---- wrong types and odd values ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {"period": "2026-01", "value": "1,000"}, {"period": "2026-01", "value": "١٢"}, {"period": "2026-01", "value": "５"},
    {"period": "2026-01", "value": " 12"}, {"period": "2026-01", "value": "12\x00"}, {"period": "2026-01", "value": [1]},
    {"period": "2026-01", "value": {"v": 1}}, {"period": "2026-01", "value": True}, {"period": "2026-01", "value": None},
    {"period": "2026-01", "value": 10 ** 16}, {"period": "2026-01", "value": 1e300},
    {"period": "2999-01", "value": 1}, {"period": "2026-13", "value": 1}, {"period": "2026-1", "value": 1},
    {"period": 202601, "value": 1}, {"period": "٢٠٢٦-01", "value": 1}, {"period": "2026-01\n", "value": 1},
    {"period": "2026-01", "value": 1, "extra": 1}, {"value": 1}, [], "x"])
def test_odd_values_are_422_and_store_nothing(company, bj, app, body):
    response = company.manager.post(f"/indicators/{bj['indicator']['id']}/values", body)
    assert response.status_code in (400, 422), (body, response.status_code)
    assert value_count(app) == 1


@pytest.mark.parametrize("raw", ['{"period": "2026-01", "value": NaN}', '{"period": "2026-01", "value": Infinity}',
                                 '{"period": "2026-01", "value": 1e400}', '{"period": "2026-01", "value": -1e400}',
                                 '{"period": "2026-01", "value": 1', '\x00'])
def test_non_finite_json_numbers_are_refused(client, company, bj, app, raw):
    response = client.post(f"/api/v1/indicators/{bj['indicator']['id']}/values", data=raw,
                           headers={**company.manager.headers, "Content-Type": "application/json"})
    assert response.status_code in (400, 422), (raw, response.status_code)
    assert value_count(app) == 1


@pytest.mark.parametrize("body", [
    {"annual": "1e5", "monthly": [None] * 12}, {"annual": 1, "monthly": [None] * 13}, {"annual": 1, "monthly": [1] * 11},
    {"annual": 1, "monthly": [[1]] + [None] * 11}, {"annual": 1, "monthly": [{"a": 1}] + [None] * 11},
    {"annual": {"a": 1}, "monthly": [None] * 12}, {"annual": 1, "monthly": "1,2"}, {"annual": 1, "monthly": None},
    {"annual": 1e300, "monthly": [None] * 12}, {"annual": 1, "monthly": ["５"] + [None] * 11},
    {"annual": 1, "monthly": [None] * 12, "year": 2027}])
def test_odd_targets_are_422_and_store_nothing(company, bj, app, body):
    response = company.manager.put(f"/indicators/{bj['indicator']['id']}/targets/2026", body)
    assert response.status_code in (400, 422), (body, response.status_code)
    assert sql(app, "SELECT annual FROM indicator_targets") == [(100,)]


@pytest.mark.parametrize("year", [0, 1999, 99999, 10 ** 20])
def test_odd_years_in_the_url_are_refused(company, bj, app, year):
    ident = bj["indicator"]["id"]
    put = company.manager.put(f"/indicators/{ident}/targets/{year}", {"annual": 1, "monthly": [None] * 12})
    assert put.status_code in (404, 422), (year, put.status_code)
    got = company.manager.get(f"/indicators/{ident}/targets/{year}")
    assert got.status_code in (404, 422), (year, got.status_code)
    values = company.manager.get(f"/indicators/{ident}/values?year={year}")
    assert values.status_code in (404, 422), (year, values.status_code)
    assert sql(app, "SELECT count(*) FROM indicator_targets") == [(1,)]


@pytest.mark.parametrize("path", ["/indicators/-1", "/indicators/0", "/indicators/99999999999999999999",
                                  "/indicators/99999999999999999999/values", "/indicators/-1/targets/2026"])
def test_odd_indicator_ids_are_404(company, path):
    assert company.manager.get(path).status_code in (404, 405)
    assert company.manager.post(path, {"period": "2026-01", "value": 1}).status_code in (404, 405)


@pytest.mark.parametrize("body", [{"explanation": "x" * 4001}, {"cause": "bogus"}, {"cause": 1}, {"cause": ["internal"]},
                                  {"explanation": 5}, {"explanation": None}, {"cause": "internal", "risk_id": 1}])
def test_odd_indicator_answers_are_422(company, bj, app, body):
    response = company.head_bj.patch(f"/warnings/{bj['warning']['id']}", body)
    assert response.status_code == 422, (body, response.status_code)
    assert sql(app, "SELECT cause, explanation FROM warnings") == [("internal", "北京的解释秘密")]


@pytest.mark.parametrize("typed", ["1,000", "١٢", "５", "1 000", "12\x00", "1e5", "NaN", "Infinity", "9" * 30, "-"])
def test_odd_values_on_the_sheet_are_refused_at_their_box(client, company, bj, app, typed):
    login(client, "officer_bj")
    path = f"/indicators/sheet?unit=BJ&period={last_month()}"
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, f"v_{bj['indicator']['id']}": typed})
    assert response.status_code in (200, 422), (typed, response.status_code)
    assert sql(app, "SELECT value FROM indicator_values") == [(150,)]


@pytest.mark.parametrize("period", ["2999-01", "2026-13", "abc", "2026-01%00", "", "٢٠٢٦-01"])
def test_a_sheet_posted_for_an_odd_month_writes_no_month_to_come(client, company, bj, app, period):
    login(client, "officer_bj")
    token = csrf_token(client, f"/indicators/sheet?period={last_month()}")
    response = client.post(f"/indicators/sheet?period={period}", data={
        "csrf_token": token, "period": period, f"v_{bj['indicator']['id']}": "1"})
    assert response.status_code in (200, 302, 422)
    assert [p for (p,) in sql(app, "SELECT period FROM indicator_values")
            if is_future(p)] == []


@pytest.mark.parametrize("typed", ["1,000", "١٢", "５", "NaN", "1e400", "9" * 20])
def test_odd_targets_on_the_page_are_refused_at_their_box(client, company, bj, app, typed):
    ident = bj["indicator"]["id"]
    login(client, "manager")
    token = csrf_token(client, f"/indicators/{ident}/targets/2026")
    response = client.post(f"/indicators/{ident}/targets/2026", data={"csrf_token": token, "annual": typed,
                                                                     "m3": typed})
    assert response.status_code in (200, 422), (typed, response.status_code)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert sql(app, "SELECT annual, m03 FROM indicator_targets") == [(100, None)]


@pytest.mark.parametrize("year", [0, 1999, 99999])
def test_the_targets_page_of_an_odd_year_is_not_found(client, company, bj, year):
    login(client, "manager")
    assert client.get(f"/indicators/{bj['indicator']['id']}/targets/{year}").status_code == 404


@pytest.mark.parametrize("name", ["a\x00b", "\u202e", " ", "x" * 201])
def test_odd_names_are_refused_or_kept_whole(company, app, name):
    response = company.manager.post("/indicators", {"code": "ODD", "name": name, "rule": "above_target"})
    assert response.status_code in (201, 422), response.status_code
    if response.status_code == 201:
        assert sql(app, "SELECT name FROM indicators") == [(name.strip(),)]


def test_a_value_import_with_odd_cells_names_each_and_writes_nothing(client, company, bj, app):
    login(client, "officer_bj")
    token = csrf_token(client, "/indicators/import")
    response = client.post("/indicators/import", data={
        "csrf_token": token, "kind": "values", "period": last_month(),
        "file": csv_file([("指标编码", "本月值"), ("BJ-SECRET", "١٢")])}, content_type="multipart/form-data")
    assert response.status_code in (200, 422)
    assert "row 2" in response.get_data(as_text=True) or "第 2 行" in response.get_data(as_text=True)
    assert sql(app, "SELECT value FROM indicator_values") == [(150,)]


def test_a_company_wide_indicator_may_not_link_a_units_risk(client, company, app):
    # Linked, its breaches would warn BJ's risk, written by the risk manager or any owner, and its page would show
    # every unit BJ's risk and the state of its warnings.
    risk = company.risk(unit="BJ", title="北京机密风险")
    created = company.manager.post("/indicators", {"code": "CW-LINK", "name": "n", "rule": "above_target", "unit": None,
                                                   "risk_id": risk["id"]})
    assert created.status_code == 422, created.get_json()
    assert "risk_id" in created.get_json()["errors"]
    linked = company.indicator("BJ-LINK", rule="above_target", risk_id=risk["id"], years=())
    assert linked["unit"] == "BJ"
    moved = company.manager.patch(f"/indicators/{linked['id']}", {"unit": None})
    assert moved.status_code == 422, moved.get_json()
    assert "unit" in moved.get_json()["errors"]
    assert sql(app, "SELECT code, unit_id IS NULL FROM indicators") == [("BJ-LINK", 0)]
    login(client, "officer_sh")
    assert "北京机密风险" not in client.get(f"/indicators?period={last_month()}").get_data(as_text=True)


def test_a_value_is_judged_as_it_is_stored(client, company, app):
    # Stored to 4 places, 100.00004 reads 100 everywhere: judged above 100 it was a breach of a target it equals.
    indicator = company.indicator("EXACT", rule="above_target", annual=100, unit="BJ", years=(int(last_month()[:4]),))
    response = company.officer_bj.post(f"/indicators/{indicator['id']}/values", {"period": last_month(),
                                                                                  "value": 100.00004})
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["value"], response.get_json()["breached"]) == (100, False)
    assert sql(app, "SELECT count(*) FROM warnings") == [(0,)]
    assert company.officer_bj.get(f"/indicators/{indicator['id']}/values?year={last_month()[:4]}").get_json()[
        "items"][0]["breached"] is False
    # The sheet's boxes alike.
    login(client, "officer_bj")
    path = f"/indicators/sheet?unit=BJ&period={last_month()}"
    client.post(path, data={"csrf_token": csrf_token(client, path), f"v_{indicator['id']}": "100.00006"})
    assert sql(app, "SELECT CAST(ROUND(value * 10000) AS INTEGER), CASE WHEN breached THEN 1 ELSE 0 END "
                    "FROM indicator_values") == [
        (1000001, 1)]


def test_targets_are_judged_as_they_are_stored(company, app):
    indicator = company.indicator("EXACT-T", rule="below_target", annual=100, unit="BJ", years=())
    year = int(last_month()[:4])
    company.officer_bj.post(f"/indicators/{indicator['id']}/values", {"period": last_month(), "value": 100})
    put = company.manager.put(f"/indicators/{indicator['id']}/targets/{year}", {"annual": 100.00004,
                                                                               "monthly": [None] * 12})
    assert put.status_code == 200
    assert put.get_json()["annual"] == 100
    assert sql(app, "SELECT breached FROM indicator_values") == [(0,)]


def test_the_warnings_page_saved_with_another_units_indicator_row_writes_nothing(client, company, bj, app):
    login(client, "officer_sh")
    path = f"/warnings?period={last_month()}"
    p = f"w{bj['warning']['id']}-"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), p + "response": "上海改写",
                                       p + "progress": "50", p + "status": "in_progress", p + "cause": "external",
                                       p + "explanation": "上海的解释", p + "version": "2"})
    assert response.status_code == 200
    assert "北京" not in response.get_data(as_text=True)
    assert sql(app, "SELECT response, cause, explanation FROM warnings") == [("北京应对", "internal", "北京的解释秘密")]
