"""Finance's spreadsheets of indicator targets and monthly values: .xlsx and .csv, all rows or none, every bad
cell named by its row and heading, another unit's indicators unknown; the command and the service alike."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from conftest import cli_environment, sql
from riskflow.auth import service as auth_service
from riskflow.cli import main
from riskflow.errors import RiskflowError
from riskflow.indicators import importing

MONTHS = [f"{m}月" for m in range(1, 13)]
TARGET_HEADINGS = ["指标编码", "指标名称", "年度目标"] + MONTHS


@pytest.fixture
def cli(app, home, monkeypatch, capsys):
    for name, value in cli_environment(home).items():
        monkeypatch.setenv(name, value)

    def run(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    return "".join(",".join("" if v is None else str(v) for v in row) + "\n" for row in rows).encode(encoding)


@pytest.fixture
def indicators(company):
    """BJ's sales revenue (below the month's budget), SH's, and BJ's selling expenses with carry-over; no targets."""
    return {
        "BJ-REV": company.indicator("BJ-REV", "销售收入", rule="below_budget", unit="BJ", measure="万元", years=()),
        "SH-REV": company.indicator("SH-REV", "销售收入", rule="below_budget", unit="SH", measure="万元", years=()),
        "BJ-EXP": company.indicator("BJ-EXP", "销售费用", rule="above_budget", unit="BJ", measure="万元",
                                    carry_over=True, years=()),
    }


def targets(api, indicator_id, year=2026):
    body = api.get(f"/indicators/{indicator_id}/targets/{year}").get_json()
    return body["annual"], body["monthly"], body["effective_budget"]


def counts(app):
    return {table: sql(app, f"SELECT count(*) FROM {table}")[0][0]
            for table in ("indicator_targets", "indicator_values", "change_history", "warnings")}


def test_a_year_of_targets_from_a_workbook_is_stored_exactly_with_its_history(cli, company, indicators, tmp_path):
    path = tmp_path / "预算.xlsx"
    path.write_bytes(workbook([TARGET_HEADINGS,
                               ["BJ-REV", "销售收入（北京）", 1200, *[100] * 6, 90.5, None, 110, 100, 100, 100],
                               [None] * 15,
                               ["BJ-EXP", "销售费用", 240, *[20] * 12],
                               ["SH-REV", "", None, *[None] * 12]]))
    code, out, err = cli("import", "indicator-targets", str(path), "--year", "2026")
    assert (code, out, err) == (0, "targets of 2 indicators imported for 2026 (1 rows without figures skipped)\n", "")
    rev, exp, sh = (indicators[c]["id"] for c in ("BJ-REV", "BJ-EXP", "SH-REV"))
    assert targets(company.manager, rev)[:2] == (1200, [100] * 6 + [90.5, None, 110, 100, 100, 100])
    assert targets(company.manager, exp)[:2] == (240, [20] * 12)
    assert targets(company.manager, sh)[:2] == (None, [None] * 12)
    entry = company.manager.get(f"/history?entity=indicator&id={rev}").get_json()["items"][-1]
    assert entry["action"] == "targets"
    assert entry["changes"]["annual"] == [None, "1200"] and entry["changes"]["budget_07"] == [None, "90.5"]
    assert "budget_08" not in entry["changes"]


def test_a_month_of_values_from_a_csv_is_judged_and_warns_as_on_the_page(cli, company, indicators, tmp_path):
    for code, budget in (("BJ-REV", 100), ("BJ-EXP", 20)):
        assert company.manager.put(f"/indicators/{indicators[code]['id']}/targets/2026",
                                   {"annual": budget * 12, "monthly": [budget] * 12}).status_code == 200
    path = tmp_path / "values.csv"
    path.write_bytes(csv_bytes([["指标编码", "指标名称", "本月值"], ["BJ-REV", "销售收入", "95.5"],
                                ["BJ-EXP", "销售费用", "25"], ["SH-REV", "销售收入", ""]], "gb18030"))
    code, out, err = cli("import", "indicator-values", str(path), "--period", "2026-04")
    assert (code, out, err) == (0, "2 values imported for 2026-04, 2 breached (1 rows without figures skipped)\n", "")
    values = company.manager.get(f"/indicators/{indicators['BJ-REV']['id']}/values?year=2026").get_json()["items"]
    assert [(v["period"], v["value"], v["compared_with"], v["variance"], v["breached"]) for v in values] == [
        ("2026-04", 95.5, 100, -4.5, True)]
    # The overrun carries into May's budget, as a value typed on the page would.
    assert targets(company.manager, indicators["BJ-EXP"]["id"])[2][3:5] == [20, 15]
    warned = {w["code"] for w in company.manager.get("/warnings?period=2026-04").get_json()["items"]}
    assert warned == {"BJ-REV", "BJ-EXP"}
    assert sql(company.manager.client.application, "SELECT count(*) FROM indicator_values WHERE period = '2026-04'") \
        == [(2,)]


def test_a_bad_targets_file_changes_nothing_and_names_every_bad_cell(cli, app, company, indicators, tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(workbook([TARGET_HEADINGS,
                               ["BJ-REV", "销售收入", 1200, *[100] * 12],
                               ["BJ-EXP", "销售费用", "很多", 20, 20, 20, 20, "二十", *[20] * 7],
                               ["NOPE", "不存在", 1, *[1] * 12],
                               ["BJ-REV", "重复", 1, *[1] * 12],
                               [None, "无编码", 1, *[1] * 12]]))
    before = counts(app)
    code, out, err = cli("import", "indicator-targets", str(path), "--year", "2026")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    for named in ("第 3 行「年度目标」: 必须是数字。", "第 3 行「5月」: 必须是数字。", "第 4 行「指标编码」: 未知指标 NOPE。",
                  "第 5 行「指标编码」: 指标 BJ-REV 已在第 2 行。", "第 6 行「指标编码」: 指标编码必填。"):
        assert named in err, err
    assert "未导入任何内容：4 行有错误。" in err
    assert counts(app) == before


def test_missing_columns_an_empty_file_and_a_bad_year_are_refused(cli, app, company, indicators, tmp_path):
    before = counts(app)
    path = tmp_path / "budget.csv"
    path.write_bytes(csv_bytes([["指标编码", "年度目标", *MONTHS[:4], *MONTHS[5:]], ["BJ-REV", 1, *[1] * 11]]))
    code, out, err = cli("import", "indicator-targets", str(path), "--year", "2026")
    assert (code, out) == (1, "") and "缺少列：5月。" in err
    path.write_bytes(csv_bytes([["指标编码", "本月值"]]))
    code, out, err = cli("import", "indicator-values", str(path), "--period", "2026-04")
    assert (code, out) == (1, "") and "文件标题行下没有数据。" in err
    path.write_bytes(b"")
    code, out, err = cli("import", "indicator-values", str(path), "--period", "2026-04")
    assert (code, out) == (1, "") and "文件为空。" in err
    path.write_bytes(csv_bytes([["指标编码", "本月值"], ["BJ-REV", ""]]))
    code, out, err = cli("import", "indicator-values", str(path), "--period", "2026-04")
    assert (code, out) == (1, "") and "未导入任何内容：文件中没有数字。" in err
    code, out, err = cli("import", "indicator-values", str(path), "--period", "2099-01")
    assert (code, out) == (1, "") and "2099-01 是未来的月份" in err
    code, out, err = cli("import", "indicator-targets", str(path), "--year", "26")
    assert (code, out) == (1, "") and "year: " in err
    assert counts(app) == before


def _as(app, username, fn):
    """FN(session, user) as USERNAME; a refusal comes back as its message and errors, rendered in Chinese."""
    from riskflow.db import session_scope

    with app.test_request_context("/?lang=zh_CN"), session_scope(app) as session:
        try:
            return fn(session, auth_service.user_by_name(session, username))
        except RiskflowError as exc:
            session.rollback()
            return exc.to_dict()


def test_an_officer_imports_their_units_values_and_another_units_code_is_unknown(app, company, indicators):
    company.indicator("CO-PROFIT", "公司利润", rule="behind_progress", years=())
    data = workbook([["指标编码", "本月值"], ["BJ-REV", 101], ["SH-REV", 99], ["CO-PROFIT", 5]])
    before = counts(app)
    refused = _as(app, "officer_bj", lambda s, user: importing.import_values(s, user, data, "v.xlsx", "2026-03"))
    assert refused["errors"] == {"第 3 行「指标编码」": ["未知指标 SH-REV。"],
                                 "第 4 行「指标编码」": ["您无权填报 CO-PROFIT 的数值。"]}
    assert counts(app) == before
    good = workbook([["code", "value"], ["BJ-REV", 101], ["BJ-EXP", "18.25"]])
    done = _as(app, "officer_bj", lambda s, user: importing.import_values(s, user, good, "v.xlsx", "2026-03"))
    assert (done.count, done.breached) == (2, 0)
    assert sorted(sql(app, "SELECT i.code, v.value, v.recorded_by_id IS NOT NULL FROM indicator_values v "
                           "JOIN indicators i ON i.id = v.indicator_id")) == [("BJ-EXP", 18.25, 1), ("BJ-REV", 101, 1)]


def test_only_the_risk_manager_imports_targets(app, company, indicators):
    data = workbook([TARGET_HEADINGS, ["BJ-REV", "", 1, *[1] * 12]])
    refused = _as(app, "officer_bj", lambda s, user: importing.import_targets(s, user, data, "t.xlsx", "2026"))
    assert refused == {"error": "您的角色无权执行此操作。"}
    done = _as(app, "manager", lambda s, user: importing.import_targets(s, user, data, "t.xlsx", 2026))
    assert done.count == 1


def test_the_template_has_the_headings_an_import_reads_and_the_actors_indicators(app, company, indicators):
    def template(kind, username):
        out = io.BytesIO()
        _as(app, username, lambda s, user: importing.template(s, user, kind, out))
        return [list(row) for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)]

    assert template("targets", "manager") == [TARGET_HEADINGS] + [
        [code, name] + [None] * 13 for code, name in (("BJ-EXP", "销售费用"), ("BJ-REV", "销售收入"), ("SH-REV", "销售收入"))]
    assert template("values", "officer_bj") == [["指标编码", "指标名称", "本月值"], ["BJ-EXP", "销售费用", None],
                                                ["BJ-REV", "销售收入", None]]


def test_the_page_is_for_those_who_may_import(app, company, indicators):
    from conftest import login

    leader, officer = app.test_client(), app.test_client()
    login(leader, "leader")
    assert leader.get("/indicators/import").status_code == 403
    login(officer, "officer_bj")
    page = officer.get("/indicators/import").get_data(as_text=True)
    assert 'value="values"' in page and 'value="targets"' not in page and 'id="year"' not in page
    assert officer.get("/indicators/import/template?kind=targets").status_code == 403
    assert officer.get("/indicators/import/template?kind=nope").status_code == 404
