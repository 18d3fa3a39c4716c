"""Reports: figures recomputed from the raw rows, Chinese text in the PDF, the archive's revisions."""
import io

from pypdf import PdfReader

from conftest import sql
from riskflow.reports import collect


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def cjk_font_embedded(data: bytes) -> bool:
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object() and "WenQuanYi" in str(font["/BaseFont"]):
                return True
    return False


def graded_company(company):
    """Twelve risks over two months: some escalate, one falls, some are new; one warning is answered."""
    grades = {  # title: (May, June)
        "价格风险": ((2, 2), (4, 4)), "回款风险": ((3, 3), (5, 5)), "运力风险": ((4, 4), (2, 2)),
        "合同风险": ((1, 1), (1, 2)), "竞争风险": (None, (3, 4)), "政策风险": (None, (1, 3)),
        "费用风险": ((2, 3), (2, 3)), "系统风险": ((5, 4), (5, 4)), "库存风险": ((3, 4), (3, 4)),
        "人员风险": ((1, 2), (2, 2)), "资质风险": ((4, 3), (4, 3)), "票据风险": ((2, 2), (3, 3)),
    }
    for n, (title, (may, june)) in enumerate(grades.items()):
        risk = company.risk(title, unit="BJ" if n % 2 == 0 else "SH")
        if may:
            company.grade(risk["id"], "2026-05", *may)
        company.grade(risk["id"], "2026-06", *june)
    warning = company.manager.get("/warnings?period=2026-05").get_json()["items"][0]
    company.manager.patch(f"/warnings/{warning['id']}", {"response": "专项整治", "progress": 60, "status": "in_progress"})


def test_monthly_figures_match_the_raw_rows(app, home, company):
    graded_company(company)
    with app.app_context():
        from riskflow.db import get_session

        data = collect.monthly(get_session(), "2026-06")
    raw = dict(sql(app, "SELECT level, count(*) FROM assessments WHERE period='2026-06' GROUP BY level"))
    raw_top = [row[0] for row in sql(
        app, "SELECT r.code FROM assessments a JOIN risks r ON r.id = a.risk_id WHERE a.period='2026-06' "
             "ORDER BY a.score DESC, a.impact DESC, a.likelihood DESC, r.code LIMIT 10")]
    raw_warnings = sql(app, "SELECT count(*) FROM warnings WHERE period='2026-06'")[0][0]
    by_unit = dict(sql(app, "SELECT u.name, count(*) FROM assessments a JOIN risks r ON r.id=a.risk_id "
                            "JOIN units u ON u.id=r.unit_id WHERE a.period='2026-06' GROUP BY u.name"))
    assert data.counts == {level: raw.get(level, 0) for level in ("low", "general", "significant", "major")}
    assert data.total == 12
    assert [r.code for r in data.top] == raw_top
    assert len(data.warnings) == raw_warnings
    assert {name: sum(c.values()) for name, c in data.counts_by_unit} == by_unit
    assert [c.code for c in data.new] == ["BJ-003", "SH-003"]
    assert [c.code for c in data.escalated] == ["BJ-001", "SH-001", "SH-005", "SH-006"]
    assert [c.code for c in data.deescalated] == ["BJ-002"]
    trend = {r.code: r.trend for r in data.top}
    assert (trend["BJ-001"], trend["BJ-002"], trend["SH-004"], trend["BJ-003"]) == ("up", "down", "same", "new")
    assert [(w.risk.code, w.progress) for w in data.previous_warnings if w.progress] == [("BJ-002", 60)]
    assert [r.code for r in data.register][:10] == raw_top and len(data.register) == 12


def test_the_monthly_pdf_carries_the_chinese_title_and_the_codes_in_order(app, company):
    graded_company(company)
    response = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["kind"], body["period"], body["revision"]) == ("monthly", "2026-06", 1)
    pdf = company.manager.get(body["download_url"][len("/api/v1"):])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "2026年6月风险评估及风险预警应对" in text
    assert "2026年5月风险评估及风险预警应对执行进度" in text
    top = [r["code"] for r in company.manager.get("/major-risks?period=2026-06&top=10").get_json()["items"]]
    section = text[text.index("前十大风险"):text.index("新增、升级和降级的风险")]
    positions = [section.index(code) for code in top]
    assert positions == sorted(positions)
    assert "专项整治" in text
    appendix = text[text.index("附录：2026-06 风险登记册"):]
    positions = [appendix.index(code) for code in top]
    assert positions == sorted(positions)
    assert "SH-002" in appendix  # every graded risk, not only the top ten
    assert cjk_font_embedded(pdf.data)


def test_an_archived_report_is_returned_not_remade_unless_asked(company):
    graded_company(company)
    first = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"})
    again = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    second = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06", "regenerate": True})
    assert (second.status_code, second.get_json()["revision"]) == (201, 2)
    listed = company.leader.get("/reports?kind=monthly&period=2026-06").get_json()
    assert [r["revision"] for r in listed["items"]] == [2, 1]
    assert company.officer_bj.get("/reports").status_code == 403
    assert company.leader.post("/reports", {"kind": "monthly", "period": "2026-06"}).status_code == 403


def test_bad_report_requests_are_422(company):
    for body, field in (({"kind": "weekly", "period": "2026-06"}, "kind"),
                        ({"kind": "monthly", "period": "2026-Q2"}, "period"),
                        ({"kind": "quarterly", "period": "2026-06"}, "period"),
                        ({"kind": "annual", "period": "2099"}, "period")):
        response = company.manager.post("/reports", body)
        assert response.status_code == 422 and list(response.get_json()["errors"]) == [field], body


def test_the_quarterly_and_annual_reports(company):
    graded_company(company)
    company.manager.post("/incidents", {"title": "运输途中追尾", "kind": "loss_event", "occurred_on": "2026-05-03",
                                        "discovered_on": "2026-05-03", "unit": "BJ", "losses": {"financial": 50000}})
    quarterly = company.manager.post("/reports", {"kind": "quarterly", "period": "2026-Q2"}).get_json()
    text = pdf_text(company.manager.get(quarterly["download_url"][len("/api/v1"):]).data)
    assert "2026-Q2 风险事件季度审议材料" in text and "运输途中追尾" in text
    annual = company.manager.post("/reports", {"kind": "annual", "period": "2025"}).get_json()
    text = pdf_text(company.manager.get(annual["download_url"][len("/api/v1"):]).data)
    assert "2025年度风险管理工作总结" in text


def test_the_reports_page_lists_and_makes_reports(client, company):
    from conftest import csrf_token, login

    graded_company(company)
    login(client, "manager")
    token = csrf_token(client, "/reports")
    assert client.post("/reports", data={"csrf_token": token, "kind": "monthly", "period": "2026-06"}).status_code == 302
    html = client.get("/reports").get_data(as_text=True)
    assert "2026-06" in html and "月度风险预警报告" in html
    report_id = company.manager.get("/reports").get_json()["items"][0]["id"]
    assert client.get(f"/reports/{report_id}.pdf").status_code == 200


def test_a_long_response_wraps_in_the_report_and_ends_in_an_ellipsis(app, company):
    graded_company(company)
    warning = company.manager.get("/warnings?period=2026-06").get_json()["items"][0]
    long_text = "".join(f"第{n}项整改措施已落实到位；" for n in range(250))  # about 3,500 characters
    assert company.manager.patch(f"/warnings/{warning['id']}", {"response": long_text}).status_code == 200
    with app.app_context():
        from riskflow.db import get_session
        from riskflow.reports import render

        text = pdf_text(render.render_monthly(collect.monthly(get_session(), "2026-06")))
    flat = text.replace("\n", "")
    assert "第0项整改措施已落实到位；第1项整改措施已落实到位；" in flat
    assert "第249项" not in flat and "…" in flat
