"""The grading sheet's rules without a browser: which rows a save grades, the reason rule shared with the
single-risk form, stale rows, and what the page draws when it refuses."""
import re

import pytest

from conftest import csrf_token, login, sql
from test_register_versions import hidden, this_month


def sheet_post(client, month, token, **rows):
    data = {"csrf_token": token, "period": month, "unit": "BJ"}
    data.update({key: str(value) for key, value in rows.items()})
    return client.post("/grading", data=data)


def month_grades(app, month):
    rows = sql(app, "SELECT risk_id, likelihood, impact, rationale, revision FROM assessments WHERE period = :p",
               p=month)
    return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture
def graded_last_month(app, company):
    """Two BJ risks graded last month (2×2 and 3×3) and one new risk; returns (month, a, b, new)."""
    from riskflow import periods

    month = this_month(app)
    a, b, new = company.risk("风险甲")["id"], company.risk("风险乙")["id"], company.risk("新风险")["id"]
    company.grade(a, periods.shift(month, -1), 2, 2)
    company.grade(b, periods.shift(month, -1), 3, 3)
    return month, a, b, new


def test_the_reason_rule_is_the_services(app, run_db, company, graded_last_month):
    from riskflow.errors import Invalid
    from riskflow.register import assessments

    month, a, b, new = graded_last_month

    def record(risk_id, likelihood, impact):
        def run(session):
            from riskflow.auth.service import user_by_name

            officer = user_by_name(session, "officer_bj")
            try:
                assessments.record(session, officer, risk_id, {"period": month, "likelihood": likelihood,
                                                               "impact": impact, "rationale": " "},
                                   require_reason=True)
            except Invalid as exc:
                session.rollback()
                return {k: [str(m) for m in v] for k, v in exc.errors.items()}
            return "saved"
        return run_db(run)

    assert record(a, 3, 2) == {"rationale": ["与上月评估不同，须填写评估理由。"]}
    assert record(new, 1, 1) == {"rationale": ["上月没有评估，须填写本次评估理由。"]}
    assert record(a, 2, 2) == "saved"  # the same as last month needs no reason
    # The API keeps the contract: rationale is optional there.
    assert company.officer_bj.post(f"/risks/{b}/assessments", {"period": month, "likelihood": 5,
                                                               "impact": 5}).status_code == 201


def test_the_single_risk_form_uses_the_same_rule(app, client, company, graded_last_month):
    month, a, b, new = graded_last_month
    login(client, "officer_bj")
    token = csrf_token(client, f"/risks/{a}")
    base = {"csrf_token": token, "period": month, "rationale": "", "versions": ""}
    refused = client.post(f"/risks/{a}/grade", data={**base, "likelihood": "4", "impact": "4"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="rationale-error"' in html and "与上月评估不同，须填写评估理由。" in html
    assert month_grades(app, month) == {}
    assert client.post(f"/risks/{a}/grade", data={**base, "likelihood": "2", "impact": "2"}).status_code == 302
    assert month_grades(app, month) == {a: (2, 2, "", 1)}


def test_rows_left_blank_are_not_graded_and_an_untouched_graded_row_is_not_revised(app, client, company,
                                                                                  graded_last_month):
    month, a, b, new = graded_last_month
    company.grade(b, month, 4, 4, api=company.officer_bj)
    login(client, "officer_bj")
    token = csrf_token(client, f"/grading?period={month}")
    nothing = sheet_post(client, month, token, **{f"l_{b}": 4, f"i_{b}": 4, f"r_{b}": "月度评估", f"v_{b}": 1})
    assert nothing.status_code == 302
    assert "没有修改或标记为与上月相同的行，无需保存。" in client.get(nothing.location).get_data(as_text=True)
    assert month_grades(app, month) == {b: (4, 4, "月度评估", 1)}
    saved = sheet_post(client, month, token, **{f"s_{a}": "y", f"l_{new}": 1, f"i_{new}": 2, f"r_{new}": "新登记",
                                                f"l_{b}": 4, f"i_{b}": 4, f"r_{b}": "月度评估", f"v_{b}": 1})
    assert "的评估已保存 2 项。" in client.get(saved.location).get_data(as_text=True)
    assert month_grades(app, month) == {a: (2, 2, "与上月相同", 1), new: (1, 2, "新登记", 1), b: (4, 4, "月度评估", 1)}


def test_unclear_rows_are_refused_at_their_fields(app, client, company, graded_last_month):
    month, a, b, new = graded_last_month
    login(client, "officer_bj")
    token = csrf_token(client, f"/grading?period={month}")
    response = sheet_post(client, month, token, **{
        f"s_{a}": "y", f"l_{a}": 4, f"i_{a}": 4,  # "the same", with another grade chosen
        f"r_{b}": "只写了理由",  # a reason without a grade
        f"l_{new}": 3})  # half a grade
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and month_grades(app, month) == {}
    assert re.search(rf'id="s_{a}-error">已标记为与上月相同，却选择了不同的评估', html)
    assert re.search(rf'<input aria-describedby="s_{a}-error" aria-invalid="true" checked id="s_{a}"', html)
    assert f'id="l_{b}-error">请同时选择发生可能性和影响程度。' in html
    assert f'id="i_{new}-error">请同时选择发生可能性和影响程度。' in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert [f"#s_{a}", f"#l_{b}", f"#i_{new}"] == re.findall(r'href="(#[^"]+)"', summary)
    assert "只写了理由</textarea>" in html


def test_a_stale_row_is_refused_at_the_row_and_the_rest_is_not_saved(app, client, company, graded_last_month):
    month, a, b, new = graded_last_month
    login(client, "officer_bj")
    html = client.get(f"/grading?period={month}").get_data(as_text=True)
    token = csrf_token(client, f"/grading?period={month}")
    assert hidden(html, f"v_{a}") == ""
    company.grade(a, month, 5, 5)  # the risk manager grades it meanwhile
    response = sheet_post(client, month, token, **{f"s_{a}": "y", f"l_{a}": "", f"i_{a}": "", f"v_{a}": "",
                                                    f"s_{b}": "y", f"l_{b}": "", f"i_{b}": "", f"v_{b}": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="row-{a}-error">BJ-001 的 {month} 评估在您读取之后已被他人修改', html)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert f'<a href="#row-{a}">BJ-001 风险甲</a>' in summary
    assert month_grades(app, month) == {a: (5, 5, "月度评估", 1)}
    assert f'checked id="s_{a}"' in html  # the tick is kept, beside the grade saved meanwhile


def test_the_whole_sheet_confirm_marks_without_saving(app, client, company, graded_last_month):
    month, a, b, new = graded_last_month
    login(client, "officer_bj")
    token = csrf_token(client, f"/grading?period={month}")
    response = sheet_post(client, month, token, same_all=1, **{f"l_{b}": 1, f"i_{b}": 1, f"r_{b}": "下降"})
    html = response.get_data(as_text=True)
    assert "已将 1 项标记为与上月相同，保存后生效。" in html
    assert f'checked id="s_{a}"' in html and f'id="s_{b}"' in html and f'checked id="s_{b}"' not in html
    assert f'id="s_{new}"' not in html
    assert re.search(rf'id="score_{a}"[^>]*>\s*<span class="level level-general">4 · 一般风险</span>', html)
    assert month_grades(app, month) == {}


def test_an_officer_cannot_grade_another_units_risks_through_the_sheet(app, client, company):
    month = this_month(app)
    sh = company.risk("上海的风险", unit="SH")["id"]
    login(client, "officer_bj")
    token = csrf_token(client, f"/grading?period={month}")
    response = client.post("/grading", data={"csrf_token": token, "period": month, "unit": "SH",
                                             f"l_{sh}": "5", f"i_{sh}": "5", f"r_{sh}": "越权"})
    assert response.status_code == 302
    assert month_grades(app, month) == {}
