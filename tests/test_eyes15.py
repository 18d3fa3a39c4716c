"""Fresh eyes on closing the loop (issue 15): what the risk manager read wrong in the issued documents."""
import io

import docx

from test_reports import graded_company, pdf_text


def test_risks_whose_level_rose_are_not_called_escalated_supervision_in_the_pdf_or_word(company):
    """Section 5 lists risks whose level rose (升级); 升级督办 is a rectification's escalation, another thing."""
    graded_company(company)
    body = company.manager.post("/reports", {"kind": "monthly", "period": "2026-06"}).get_json()
    path = body["download_url"][len("/api/v1"):]
    text = pdf_text(company.manager.get(path).data)
    section = text[text.index("新增、升级和降级的风险"):text.index("风险预警及应对")]
    assert "升级 (4)" in section and "升级督办" not in section
    word = docx.Document(io.BytesIO(company.manager.get(path + "?format=docx").data))
    lines = [p.text for p in word.paragraphs]
    assert "升级 (4)" in lines and not any("升级督办" in line for line in lines)


def test_the_grading_sheet_heading_uses_the_chinese_colon(client, company):
    """评估表：已提交待审核, with the full-width colon of Chinese text, not an English one."""
    from conftest import login
    from test_actions_core import MONTH, _due

    deadline = _due(5)
    assert company.manager.post("/rounds", {"period": MONTH, "deadline": deadline}).status_code in (200, 201)
    company.risk("渠道压货风险")
    login(client, "officer_bj")
    html = client.get(f"/grading?period={MONTH}").get_data(as_text=True)
    assert '评估表：<span class="state' in html and "评估表:" not in html
