"""Supervision notices (效能监察通知书): numbering by year and under parallel creation, who may issue and read
them, bad input, the notice PDF and the filing form PDF (立项呈报表)."""
import importlib.util
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import PG_URL, sql
from riskflow import periods
from test_races import created, in_parallel, own_api
from test_reports import pdf_text
from test_supervision import fire, new_project

BODY = {"recipient_unit": "BJ", "subject": "关于开展应收账款清欠工作的通知",
        "content": "请于30日内完成逾期应收账款的清理，并报送清欠台账。"}


@pytest.fixture(autouse=True)
def kinds_seeded(app):
    """On PostgreSQL each test empties every table, and the kinds the migration seeded with them (defaults.load
    does not load them again): put them back as the migration has them."""
    if not PG_URL or sql(app, "SELECT count(*) FROM supervision_kinds")[0][0]:
        return
    path = Path(__file__).resolve().parent.parent / "migrations/versions/0017_supervision_results.py"
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text("INSERT INTO supervision_kinds (code, label_zh, label_en, position, active) "
                         "VALUES (:code, :zh, :en, :n, true)"),
                    [{"code": code, "zh": zh, "en": en, "n": n}
                     for n, (code, zh, en) in enumerate(migration.KINDS, start=1)])


def filed_project(api, **extra):
    """A project filed (立项备案), lead JJ with BJ taking part."""
    project = new_project(api, **extra)
    assert fire(api, "supervision-projects", project["id"], "file").status_code == 200
    return project


def issue(api, project_id, **extra):
    response = api.post(f"/supervision-projects/{project_id}/notices", {**BODY, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def on_day(monkeypatch, day: date) -> None:
    monkeypatch.setattr(periods, "today", lambda: day)


def notice_count(app) -> int:
    return sql(app, "SELECT count(*) FROM supervision_notices")[0][0]


def test_notices_are_numbered_by_the_year_they_are_issued_from_one_each_year(team, monkeypatch):
    inspector = team["inspector"]
    project = filed_project(inspector)
    on_day(monkeypatch, date(2026, 5, 12))
    first = issue(inspector, project["id"])
    assert first == {"id": first["id"], "number": "监通〔2026〕1号",
                     "download_url": f"/api/v1/notices/{first['id']}/download", "recipient_unit": "BJ",
                     "subject": BODY["subject"], "content": BODY["content"], "issued_on": "2026-05-12",
                     "project_id": project["id"]}
    assert issue(inspector, project["id"], recipient_unit="SH")["number"] == "监通〔2026〕2号"
    on_day(monkeypatch, date(2027, 1, 4))
    assert issue(inspector, project["id"])["number"] == "监通〔2027〕1号"
    listed = inspector.get(f"/supervision-projects/{project['id']}/notices").get_json()["items"]
    assert [(n["number"], n["recipient_unit"], n["issued_on"]) for n in listed] == [
        ("监通〔2026〕1号", "BJ", "2026-05-12"), ("监通〔2026〕2号", "SH", "2026-05-12"),
        ("监通〔2027〕1号", "BJ", "2027-01-04")]


def test_eight_parallel_notices_get_eight_distinct_numbers(app, team):
    inspector = team["inspector"]
    project = filed_project(inspector)
    responses = in_parallel(8, lambda i: own_api(app, inspector).post(
        f"/supervision-projects/{project['id']}/notices", {**BODY, "subject": f"通知{i}"}))
    assert created(responses) == []
    with app.app_context():
        year = periods.today().year
    assert sorted(r.get_json()["number"] for r in responses) == sorted(f"监通〔{year}〕{n}号" for n in range(1, 9))
    assert notice_count(app) == 8


def test_a_notice_is_told_to_its_units_people_and_lets_them_see_the_project(app, team):
    inspector = team["inspector"]
    project = filed_project(inspector, participating_units=[])
    assert team["head_sh"].get(f"/supervision-projects/{project['id']}").status_code == 404
    notice = issue(inspector, project["id"], recipient_unit="SH")
    told = sql(app, "SELECT u.username, n.entity, n.entity_id, n.link FROM notifications n JOIN users u "
                    "ON u.id = n.user_id WHERE n.kind = 'supervision_notice' ORDER BY u.username")
    assert told == [("head_sh", "supervision_notice", notice["id"], f"/supervision/{project['id']}#notices")]
    # The recipient unit now sees the project, its notice and the PDF; the project's history names the notice.
    assert team["head_sh"].get(f"/supervision-projects/{project['id']}").status_code == 200
    assert [n["number"] for n in team["head_sh"].get(
        f"/supervision-projects/{project['id']}/notices").get_json()["items"]] == [notice["number"]]
    assert team["head_sh"].get(notice["download_url"].removeprefix("/api/v1")).status_code == 200
    assert sql(app, "SELECT action, changes FROM change_history WHERE entity = 'supervision_project' "
                    "AND action = 'notice'")[0][0] == "notice"


def test_a_unit_reads_only_the_notices_addressed_to_it(app, team, client):
    inspector = team["inspector"]
    project = filed_project(inspector)  # BJ takes part
    to_sh = issue(inspector, project["id"], recipient_unit="SH", subject="致上海的通知")
    to_bj = issue(inspector, project["id"])
    head_bj = team["head_bj"]
    assert [n["id"] for n in head_bj.get(f"/supervision-projects/{project['id']}/notices").get_json()["items"]] == [
        to_bj["id"]]
    assert head_bj.get(f"/notices/{to_sh['id']}/download").status_code == 404
    assert head_bj.get(f"/notices/{to_bj['id']}/download").status_code == 200
    # Nor does the project's history tell BJ of SH's notice.
    rows = head_bj.get(f"/history?entity=supervision_project&id={project['id']}").get_json()["items"]
    assert [e["changes"]["notice"][1] for e in rows if e["action"] == "notice"] == [to_bj["number"]]
    # On the web page: SH's notice PDF is missing for BJ's head.
    from conftest import login

    login(client, "head_bj")
    assert client.get(f"/supervision/notices/{to_sh['id']}.pdf").status_code == 404
    assert client.get(f"/supervision/notices/{to_bj['id']}.pdf").status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"recipient_unit": "ZZ"}, "recipient_unit"),
    ({"recipient_unit": "B\x00J"}, "recipient_unit"),
    ({"recipient_unit": 7}, "recipient_unit"),
    ({"subject": ""}, "subject"),
    ({"subject": "   "}, "subject"),
    ({"subject": "长" * 201}, "subject"),
    ({"subject": 5}, "subject"),
    ({"content": ""}, "content"),
    ({"content": "  \n "}, "content"),
    ({"content": "长" * 8001}, "content"),
])
def test_bad_input_is_422_at_its_field_and_nothing_is_stored(app, team, body, field):
    project = filed_project(team["inspector"])
    response = team["inspector"].post(f"/supervision-projects/{project['id']}/notices", {**BODY, **body})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]) == [field]
    assert notice_count(app) == 0
    assert sql(app, "SELECT count(*) FROM notifications WHERE kind = 'supervision_notice'") == [(0,)]


def test_a_notice_only_on_a_filed_open_project_and_only_by_the_inspector(app, team):
    inspector = team["inspector"]
    draft = new_project(inspector)
    response = inspector.post(f"/supervision-projects/{draft['id']}/notices", BODY)
    assert response.status_code == 409 and list(response.get_json()["errors"]) == ["state"]
    project = filed_project(inspector)
    assert team["head_bj"].post(f"/supervision-projects/{project['id']}/notices", BODY).status_code == 403
    assert team["head_sh"].post(f"/supervision-projects/{project['id']}/notices", BODY).status_code == 404
    assert team["manager"].post(f"/supervision-projects/{project['id']}/notices", BODY).status_code == 403
    assert fire(inspector, "supervision-projects", project["id"], "cancel", comment="重复立项").status_code == 200
    assert inspector.post(f"/supervision-projects/{project['id']}/notices", BODY).status_code == 409
    assert notice_count(app) == 0


def test_the_notice_pdf_reads_number_unit_subject_content_project_lead_unit_and_date(team, monkeypatch):
    inspector = team["inspector"]
    project = filed_project(inspector)
    on_day(monkeypatch, date(2026, 5, 12))
    notice = issue(inspector, project["id"])
    response = inspector.get(f"/notices/{notice['id']}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("效能监察通知书", "监通〔2026〕1号", "致：北京销售分公司", "事由：" + BODY["subject"],
                     "清欠台账", project["code"], "应收账款管理效能监察", "纪检监察室", "2026年05月12日"):
        assert expected in text, expected


def test_the_filing_form_pdf_has_the_projects_fields_and_blank_lines_to_sign_until_filed(app, team, monkeypatch):
    inspector = team["inspector"]
    project = new_project(inspector, reason="回款周期拉长，逾期账款增加", scope="北京销售分公司2025年度应收账款",
                          start_date="2026-04-01", end_date="2026-11-30")
    response = inspector.get(f"/supervision-projects/{project['id']}/filing.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("效能监察立项呈报表", "监察项目：应收账款管理效能监察", f"项目编号：{project['code']}", "年度：2026",
                     "类型：销售回款", "监察方式：效能审计法", "牵头单位：纪检监察室", "参与单位：北京销售分公司",
                     "2026年04月01日 – 2026年11月30日", "立项方式：公司统一立项", "回款周期拉长，逾期账款增加",
                     "北京销售分公司2025年度应收账款", "回款节点", "4—11月实施", "审批意见：", "签字：", "日期："):
        assert expected in text, expected
    assert "立项备案：" not in text

    assert fire(inspector, "supervision-projects", project["id"], "file").status_code == 200
    filed_by = sql(app, "SELECT actor FROM change_history WHERE action = 'file'")[0][0]
    text = pdf_text(inspector.get(f"/supervision-projects/{project['id']}/filing.pdf").data)
    assert f"立项备案：{filed_by}，" in text
    assert "审批意见：" not in text
    # Whoever may read the project may read its form; another unit's roles get 404.
    assert team["head_bj"].get(f"/supervision-projects/{project['id']}/filing.pdf").status_code == 200
    assert team["head_sh"].get(f"/supervision-projects/{project['id']}/filing.pdf").status_code == 404
