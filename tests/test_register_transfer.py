"""Imports that succeed or fail whole, naming every bad row; the register export."""
import io
import time

import pytest
from openpyxl import Workbook, load_workbook

from conftest import cli_environment, csrf_token, login
from riskflow.cli import main


@pytest.fixture
def cli(app, home, monkeypatch, capsys):
    for name, value in cli_environment(home).items():
        monkeypatch.setenv(name, value)

    def run(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_risks_from_csv_with_chinese_headers_and_names(cli, company, tmp_path):
    path = tmp_path / "risks.csv"
    path.write_text("风险名称,风险分类,单位,责任人,应对策略\n"
                    "油价波动,价格风险,北京销售分公司,张三,风险降低\n"
                    "回款逾期,receivables,SH,,\n", encoding="utf-8-sig")
    code, out, err = cli("import", "risks", str(path))
    assert (code, out, err) == (0, "2 risks imported\n", "")
    items = company.manager.get("/risks").get_json()["items"]
    assert [(r["code"], r["title"], r["category"], r["unit"], r["owner"], r["response_strategy"]) for r in items] == [
        ("BJ-001", "油价波动", "price", "BJ", "张三", "reduce"), ("SH-001", "回款逾期", "receivables", "SH", "", None)]


def test_imported_risks_have_the_history_and_version_of_risks_created_one_by_one(cli, company, tmp_path):
    made = company.risk("手工登记", unit="BJ", category="price", owner="张三")
    path = tmp_path / "risks.csv"
    path.write_text("title,category,unit,owner,code\n重复编号,price,SH,,BJ-001\n文件内重复,price,SH,,X-1\n"
                    "文件内重复二,price,SH,,X-1\n", encoding="utf-8")
    code, out, err = cli("import", "risks", str(path))
    assert code == 1
    assert "第 2 行，code: " in err and "第 4 行，code: " in err and "第 3 行" not in err
    path.write_text("title,category,unit,owner\n批量登记,price,BJ,张三\n", encoding="utf-8")
    assert cli("import", "risks", str(path))[0] == 0
    imported = company.manager.get("/risks?q=批量登记").get_json()["items"][0]
    assert (imported["code"], imported["version"]) == ("BJ-002", 1)

    def first_change(risk_id):
        return company.manager.get(f"/history?entity=risk&id={risk_id}").get_json()["items"][0]

    manual, bulk = first_change(made["id"]), first_change(imported["id"])
    assert (bulk["action"], bulk["from_state"], bulk["to_state"]) == ("create", None, None)
    assert bulk["changes"] == {**manual["changes"], "code": [None, "BJ-002"], "title": [None, "批量登记"]}


def test_a_bad_risk_file_imports_nothing_and_names_every_row_and_column(cli, company, tmp_path):
    path = tmp_path / "risks.xlsx"
    path.write_bytes(xlsx([("title", "category", "unit", "response_strategy"),
                           ("好的一行", "price", "BJ", "reduce"),
                           ("", "price", "BJ", ""),
                           (None, None, None, None),
                           ("坏分类", "nope", "XX", "ignore")]))
    code, out, err = cli("import", "risks", str(path))
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "第 3 行，title: 名称必填。" in err
    assert "第 5 行，category: 未知风险分类 nope。" in err
    assert "第 5 行，unit: 未知单位 XX。" in err
    assert "第 5 行，response_strategy:" in err
    assert "第 2 行" not in err and "第 4 行" not in err and "2 行有错误" in err
    assert company.manager.get("/risks").get_json()["total"] == 0


def test_missing_columns_are_named(cli, company, tmp_path):
    path = tmp_path / "risks.csv"
    path.write_text("title\nx\n", encoding="utf-8")
    code, _, err = cli("import", "risks", str(path))
    assert code == 1 and "风险分类 (category)" in err and "单位 (unit)" in err


def test_an_unknown_file_type_or_missing_file_exits_1(cli, company, tmp_path):
    (tmp_path / "risks.txt").write_text("x")
    assert cli("import", "risks", str(tmp_path / "risks.txt"))[0] == 1
    assert cli("import", "risks", str(tmp_path / "nothing.csv"))[0] == 1


def test_a_gb18030_csv_from_excel_is_read(cli, company, tmp_path):
    path = tmp_path / "risks.csv"
    path.write_bytes("风险名称,风险分类,单位\n运力不足,capacity,BJ\n".encode("gb18030"))
    assert cli("import", "risks", str(path))[0] == 0
    assert company.manager.get("/risks").get_json()["items"][0]["title"] == "运力不足"


def test_import_assessments_all_or_none(cli, company, tmp_path):
    a = company.risk("甲")
    company.risk("乙")
    good = tmp_path / "grades.xlsx"
    good.write_bytes(xlsx([("编号", "发生可能性", "影响程度", "评估理由"), ("BJ-001", 4, 4, "恶化"), ("BJ-002", 1, 2, "")]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([("code", "likelihood", "impact"), ("BJ-001", 9, 4), ("BJ-404", 1, 1), ("BJ-002", "x", 1)]))
    code, _, err = cli("import", "assessments", str(bad), "--period", "2026-05")
    assert code == 1
    assert "第 2 行，likelihood: 应为 1 至 5 的整数。" in err
    assert "第 3 行，code: 未知风险 BJ-404。" in err
    assert "第 4 行，likelihood: 必须是整数。" in err
    assert company.manager.get("/heatmap?period=2026-05").get_json()["total"] == 0
    assert cli("import", "assessments", str(good), "--period", "2099-01")[0] == 1
    code, out, _ = cli("import", "assessments", str(good), "--period", "2026-05")
    assert (code, out) == (0, "2 grades imported for 2026-05\n")
    ranked = company.manager.get("/major-risks?period=2026-05").get_json()["items"]
    assert [(r["code"], r["score"], r["level"]) for r in ranked] == [("BJ-001", 16, "major"), ("BJ-002", 2, "low")]
    # Importing again revises: the file is the month's truth.
    good.write_bytes(xlsx([("code", "likelihood", "impact"), ("BJ-001", 2, 2)]))
    assert cli("import", "assessments", str(good), "--period", "2026-05")[0] == 0
    assert company.manager.get(f"/risks/{a['id']}").get_json()["latest"]["score"] == 4


def test_export_register_with_grades_and_colours(cli, company, tmp_path):
    a = company.risk("价格风险甲", category="price")
    company.risk("未评估的风险", unit="SH")
    company.grade(a["id"], "2026-05", 5, 4)
    out = tmp_path / "register.xlsx"
    code, stdout, _ = cli("export", "register", "--period", "2026-05", "--out", str(out))
    assert (code, stdout) == (0, f"2 risks written to {out}\n")
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "风险名称", "单位", "风险分类")
    assert rows[1][:4] == ("BJ-001", "价格风险甲", "北京销售分公司", "价格风险")
    assert rows[1][7:11] == (5, 4, 20, "重大风险")
    assert rows[2][0] == "SH-001" and rows[2][7] is None
    assert sheet.cell(row=2, column=11).fill.start_color.rgb.endswith("D62828")


def test_the_upload_page_imports_in_the_background(client, company):
    login(client, "officer_bj")
    token = csrf_token(client, "/imports")
    data = xlsx([("title", "category", "unit"), ("上传的风险", "price", "BJ"), ("别的单位", "price", "SH")])
    response = client.post("/imports", data={"csrf_token": token, "kind": "risks", "period": "",
                                             "file": (io.BytesIO(data), "risks.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    status_url = response.headers["Location"] + ".json"
    status = wait_for(client, status_url)
    assert status["state"] == "failed"
    assert list(status["errors"]) == ["第 3 行，unit"]
    assert company.manager.get("/risks").get_json()["total"] == 0
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "第 3 行，unit" in html

    data = xlsx([("title", "category", "unit"), ("上传的风险", "price", "BJ")])
    response = client.post("/imports", data={"csrf_token": token, "kind": "risks", "period": "",
                                             "file": (io.BytesIO(data), "risks.xlsx")},
                           content_type="multipart/form-data")
    status = wait_for(client, response.headers["Location"] + ".json")
    assert (status["state"], status["imported"], status["done"], status["total"]) == ("done", 1, 1, 1)
    assert company.manager.get("/risks").get_json()["items"][0]["title"] == "上传的风险"


def test_the_download_button_sends_the_register(client, company):
    company.risk("导出的风险")
    login(client, "leader")
    response = client.get("/risks/export?period=2026-05")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=register-2026-05.xlsx"
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][1] == "导出的风险"


def wait_for(client, url, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get(url).get_json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"import still running after {seconds}s: {status}")


def test_an_import_killed_half_way_leaves_the_database_as_it_was(app, home, company, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from conftest import sql
    from observe import Lines

    path = tmp_path / "big.csv"
    path.write_text("title,category,unit\n" + "".join(f"风险{n},price,BJ\n" for n in range(20000)), encoding="utf-8")
    # The pause holds the import between its rows written and its commit, where the test kills it.
    env = {**os.environ, **cli_environment(home), "RISKFLOW_LANGUAGE": "en", "RISKFLOW_IMPORT_PAUSE_SECONDS": "60"}
    process = subprocess.Popen([sys.executable, "-m", "riskflow.cli", "import", "risks", str(path), "--progress"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        progress = Lines(process.stderr)
        progress.wait_for(r"^20000 rows written; committing\.$")
        assert progress.matching(r"^Checked 20000 of 20000 rows\.$")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert sql(app, "SELECT count(*) FROM risks") == [(0,)]
    assert sql(app, "SELECT count(*) FROM change_history WHERE entity = 'risk'") == [(0,)]


def test_the_import_command_tells_how_far_it_got(app, home, company, tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "risks.csv"
    path.write_text("title,category,unit\n" + "".join(f"风险{n},price,BJ\n" for n in range(3)), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "riskflow.cli", "import", "risks", str(path), "--progress"],
                            env={**os.environ, **cli_environment(home)}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "3 risks imported\n"
    assert result.stderr.splitlines()[-2:] == ["已检查 3 行，共 3 行。", "已写入 3 行，正在提交。"]


def test_import_progress_reaches_other_processes(app, company):
    """`riskflow serve` runs several processes on SQLite too: the one polling may not be the one importing."""
    from sqlalchemy import select

    from riskflow.auth.models import User
    from riskflow.db import session_scope
    from riskflow.register import importing
    from riskflow.register.models import ImportJob

    with app.app_context(), session_scope(app) as session:
        manager = session.scalar(select(User).where(User.username == "manager"))
        job_id = importing.start(session, manager, "risks", "risks.csv", None).id
    report = importing._progress(app, job_id)
    report(5, 10)
    assert importing.job_json(ImportJob(id=job_id, kind="risks", state="queued", done=0, total=0))["done"] == 5
    importing.PROGRESS.pop(job_id)  # what a process that does not run the import knows
    with app.app_context(), session_scope(app) as session:
        seen = importing.job_json(session.get(ImportJob, job_id))
    assert (seen["state"], seen["done"], seen["total"]) == ("running", 5, 10)
