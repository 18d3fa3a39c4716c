"""Months, quarters, years and codes typed at every door: one full-match ASCII parser each, so a trailing
newline or space, another script's digits, a month 13 or nothing at all is refused clearly and changes nothing."""
import re
from datetime import timedelta
from urllib.parse import quote

import pytest

from conftest import csrf_token, login, sql
from riskflow import periods, values
from test_input_files import answer_warning
from test_register_transfer import cli  # noqa: F401  (the fixture running `riskflow`)

ARABIC_2026 = "\u0662\u0660\u0662\u0666"
BAD_PERIODS = ["2026-05\n", "2026-05 ", f"{ARABIC_2026}-05", "201\u0669-05", "2026-13", ""]
BAD_QUARTERS = ["2026-Q1\n", "2026-Q1 ", f"{ARABIC_2026}-Q1", "2026-Q5", ""]
BAD_YEARS = ["2025\n", "2025 ", ARABIC_2026, "0000", ""]


@pytest.mark.parametrize("text", BAD_PERIODS + ["2026-5", " 2026-05", "2026-05-01", None, 202605])
def test_a_period_is_four_ascii_digits_a_dash_and_a_month(text):
    assert not periods.is_period(text)
    with pytest.raises(ValueError):
        periods.parse(text)


def test_good_periods_quarters_and_years_parse():
    assert periods.parse("2026-05") == (2026, 5)
    assert periods.parse_quarter("2026-Q3") == (2026, 3)
    assert periods.quarter_start("2026-Q3").isoformat() == "2026-07-01"
    assert periods.parse_year("2026") == 2026


@pytest.mark.parametrize("text", BAD_QUARTERS)
def test_bad_quarters_are_refused(text):
    assert not periods.is_quarter(text)


@pytest.mark.parametrize("text", BAD_YEARS)
def test_bad_years_are_refused(text):
    assert not periods.is_year(text)


@pytest.mark.parametrize("text", [" 7", "7\n", "\u0667", "\u00b2", "-1", "+1", "1.0", ""])
def test_whole_numbers_are_ascii_digits_only(text):
    with pytest.raises(ValueError):
        values.whole(text)


@pytest.mark.parametrize("text", ["20260105", "2026-W01-1", f"{ARABIC_2026}-01-05", "2026-01-05\n", "2026-02-30"])
def test_dates_are_written_yyyy_mm_dd(text):
    with pytest.raises(ValueError):
        values.parse_date(text)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e5", " 12", "\u0661\u0662", "12.", True, float("nan")])
def test_decimals_are_plain_ascii_numbers(text):
    with pytest.raises(ValueError):
        values.decimal(text)


@pytest.mark.parametrize("check, text", [(values.is_unit_code, "BJ\n"), (values.is_unit_code, "B J"),
                                         (values.is_username, "li\n"), (values.is_indicator_code, "K-1\n"),
                                         (values.is_risk_code, "BJ-001\n"), (values.is_risk_code, "BJ-\u0661"),
                                         (values.is_category_code, "price\n")])
def test_codes_match_whole(check, text):
    assert not check(text)


def grades(company, risk_id):
    return [(a["period"], a["likelihood"]) for a in company.manager.get(f"/risks/{risk_id}/assessments")
            .get_json()["items"]]


@pytest.mark.parametrize("bad", BAD_PERIODS)
def test_api_grades_refuse_bad_periods_even_when_the_round_is_closed(app, company, bad):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 3, 3)
    deadline = (periods_today(app) + timedelta(days=3)).isoformat()
    assert company.manager.post("/rounds", {"period": "2026-05", "deadline": deadline}).status_code == 201
    assert company.manager.post("/rounds/2026-05/close").status_code == 200
    response = company.manager.post(f"/risks/{risk['id']}/assessments", {"period": bad, "likelihood": 4, "impact": 4})
    assert response.status_code == 422
    assert response.get_json()["errors"]["period"] == ["请使用 YYYY-MM 格式，例如 2026-07。"]
    assert grades(company, risk["id"]) == [("2026-05", 3)]


def periods_today(app):
    with app.app_context():
        return periods.today()


@pytest.mark.parametrize("bad", [b for b in BAD_PERIODS if b])
def test_api_doors_taking_a_month_refuse_bad_ones(company, bad):
    risk = company.risk()
    company.grade(risk["id"], "2026-05", 3, 3)
    indicator = company.manager.post("/indicators", {"code": "K1", "name": "回款率", "rule": "below_target"}).get_json()
    for response in (
        company.manager.post("/rounds", {"period": bad, "deadline": "2099-01-01"}),
        company.manager.post(f"/indicators/{indicator['id']}/values", {"period": bad, "value": 80}),
        company.manager.post("/reports", {"kind": "monthly", "period": bad}),
        company.manager.get("/heatmap", query_string={"period": bad}),
        company.manager.get("/major-risks", query_string={"period": bad}),
        company.manager.get("/warnings", query_string={"period": bad}),
        company.manager.get("/risks", query_string={"period": bad}),
    ):
        assert response.status_code == 422, response.request.path
        assert list(response.get_json()["errors"]) == ["period"]
    # A month in the path is matched by the route itself: no such round, no such grade.
    assert company.manager.put(f"/risks/{risk['id']}/assessments/{quote(bad)}", {"likelihood": 1}).status_code == 404
    assert company.manager.get(f"/rounds/{quote(bad)}").status_code == 404
    assert grades(company, risk["id"]) == [("2026-05", 3)]
    assert sql(company_app(company), "SELECT count(*) FROM grading_rounds")[0][0] == 0
    assert sql(company_app(company), "SELECT count(*) FROM indicator_values")[0][0] == 0
    assert sql(company_app(company), "SELECT count(*) FROM reports")[0][0] == 0


def company_app(company):
    return company.manager.client.application


@pytest.mark.parametrize("kind, bad", [("monthly", "2026-05\n"), ("quarterly", "2026-Q1\n"), ("annual", "2025\n"),
                                       ("annual", ARABIC_2026), ("quarterly", "2026-Q1 "), ("annual", "")])
def test_reports_refuse_bad_periods_in_the_api_and_the_cli(app, company, cli, kind, bad):
    response = company.manager.post("/reports", {"kind": kind, "period": bad})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["period"]
    code, out, err = cli("report", kind, "--period", bad)
    assert (code, out) == (1, "") and "period" in err
    assert sql(app, "SELECT count(*) FROM reports")[0][0] == 0


@pytest.mark.parametrize("bad", BAD_PERIODS)
def test_cli_import_and_export_refuse_bad_periods(app, company, cli, tmp_path, bad):
    risk = company.risk()
    grades_file = tmp_path / "grades.csv"
    grades_file.write_text("code,likelihood,impact\nBJ-001,4,4\n", encoding="utf-8")
    code, out, err = cli("import", "assessments", str(grades_file), "--period", bad)
    assert (code, out) == (1, "") and "YYYY-MM" in err
    out_file = tmp_path / "register.xlsx"
    code, out, err = cli("export", "register", "--period", bad, "--out", str(out_file))
    assert (code, out) == (1, "") and "YYYY-MM" in err and not out_file.exists()
    assert grades(company, risk["id"]) == []


@pytest.mark.parametrize("bad", BAD_QUARTERS)
def test_api_quarters_are_refused(app, company, bad):
    response = company.manager.post("/incident-rounds", {"quarter": bad, "deadline": "2099-01-01"})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["quarter"]
    if bad:
        response = company.manager.get("/incidents", query_string={"quarter": bad})
        assert response.status_code == 422 and list(response.get_json()["errors"]) == ["quarter"]
    assert sql(app, "SELECT count(*) FROM incident_rounds")[0][0] == 0


@pytest.mark.parametrize("bad", BAD_PERIODS)
def test_the_grade_form_refuses_bad_periods(client, company, bad):
    risk = company.risk()
    login(client, "officer_bj")
    token = csrf_token(client, f"/risks/{risk['id']}")
    response = client.post(f"/risks/{risk['id']}/grade", data={
        "csrf_token": token, "period": bad, "likelihood": "3", "impact": "3", "rationale": "月度评估"},
        follow_redirects=True)
    assert response.status_code == 200
    period_error = re.search(r'<p class="field-error" id="period-error">([^<]*)</p>', response.get_data(as_text=True))
    assert period_error and period_error.group(1) in (
        "请使用 YYYY-MM 格式，例如 2026-07。", "字段长度不能超过 7 个字符。", "该字段是必填字段。"), period_error
    assert grades(company, risk["id"]) == []


@pytest.mark.parametrize("bad", [b for b in BAD_PERIODS if b])
def test_the_register_download_refuses_bad_periods(client, company, bad):
    company.risk()
    login(client, "manager")
    response = client.get("/risks/export", query_string={"period": bad})
    assert response.status_code == 422
    assert "请指明月份：period=YYYY-MM。" in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", BAD_QUARTERS)
def test_the_review_pack_refuses_bad_quarters(client, company, bad):
    login(client, "manager")
    response = client.get("/incidents/pack.pdf", query_string={"quarter": bad})
    assert response.status_code == 422
    assert "请使用 YYYY-Qn 格式" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind, bad", [("monthly", "2026-05\n"), ("annual", "2025\n"), ("quarterly", "2026-Q1 ")])
def test_the_reports_page_refuses_bad_periods(app, client, company, kind, bad):
    login(client, "manager")
    token = csrf_token(client, "/reports")
    response = client.post("/reports", data={"csrf_token": token, "kind": kind, "period": bad},
                           follow_redirects=True)
    assert response.status_code == 200 and "报告未生成" in response.get_data(as_text=True)
    assert sql(app, "SELECT count(*) FROM reports")[0][0] == 0


@pytest.mark.parametrize("bad", BAD_PERIODS)
def test_the_rounds_and_imports_pages_refuse_bad_periods(app, client, company, bad):
    login(client, "manager")
    token = csrf_token(client, "/rounds")
    response = client.post("/rounds", data={"csrf_token": token, "action": "open", "open-period": bad,
                                            "open-deadline": "2099-01-01"})
    assert response.status_code == 200
    assert sql(app, "SELECT count(*) FROM grading_rounds")[0][0] == 0
    token = csrf_token(client, "/imports")
    response = client.post("/imports", data={"csrf_token": token, "kind": "assessments", "period": bad,
                                             "file": (io_bytes(b"code,likelihood\nBJ-001,3\n"), "g.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert sql(app, "SELECT count(*) FROM import_jobs")[0][0] == 0


def io_bytes(data):
    import io

    return io.BytesIO(data)


def test_a_bad_quarter_on_the_collection_form_answers_nothing(app, client, company):
    company.manager.post("/incident-rounds", {"quarter": periods_quarter(app), "deadline": "2099-01-01"})
    login(client, "officer_bj")
    token = csrf_token(client, "/incidents/collection")
    response = client.post("/incidents/collection", data={"csrf_token": token, "action": "nil",
                                                          "quarter": periods_quarter(app) + "\n"})
    assert response.status_code == 422
    assert sql(app, "SELECT count(*) FROM incident_returns")[0][0] == 0


def periods_quarter(app):
    with app.app_context():
        return periods.quarter_of(periods.today())


@pytest.mark.parametrize("args", [("unit", "create", "BJ\n", "北京"), ("unit", "create", "北京", "北京")])
def test_cli_unit_codes_match_whole(app, cli, args):
    code, out, err = cli(*args)
    assert (code, out) == (1, "") and "字母" in err
    assert sql(app, "SELECT count(*) FROM units")[0][0] == 0


@pytest.mark.parametrize("query", ["top=\u0661\u0660", "top=10%0A", "top=0"])
def test_query_numbers_are_ascii(company, query):
    response = company.manager.get(f"/major-risks?period=2026-05&{query}")  # already percent-encoded
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["top"]


def test_ids_in_paths_are_ascii_digits(company):
    risk = company.risk()
    assert company.manager.get(f"/risks/{risk['id']}").status_code == 200
    assert company.manager.get("/risks/\u0661").status_code == 404
    assert company.manager.get("/units?page=\u0661").status_code == 422


def test_versions_written_in_other_digits_are_no_versions(client, company):
    """A hidden version with '²' (which isdigit() takes and int() refuses) is an old read, not a 500."""
    response = answer_warning(client, company, version="\u00b2")
    assert response.status_code == 200
    assert company.manager.get("/warnings?period=2026-05").get_json()["items"][0]["response"] == ""
