"""Fresh eyes on the budget indicators (issue 14): what a reader of the monthly report found wrong."""
from test_report_indicators import indicator, monthly_text


def test_the_warning_list_prints_an_indicator_code_whole(company):
    """The report's warning list names an unlinked indicator by its code: SC-NET-PROFIT is not cut into
    SC-NET-PRO / FIT."""
    indicator(company, "SC-NET-PROFIT", "净利润", "BJ", "below_budget", annual=120, monthly=[10] * 12,
              values=[10, 10, 10, 10, 10, 7.5])
    indicator(company, "SH-TURNOVER", "应收账款周转次数", "SH", "below_target", measure="次", annual=12,
              values=[12, 12, 12, 12, 12, 10.61])
    text = monthly_text(company)
    warnings = text[text.index("六、风险预警及应对"):text.index("七、预算指标预警")]
    lines = warnings.splitlines()
    assert any(line.startswith("SC-NET-PROFIT ") for line in lines), lines
    assert any(line.startswith("SH-TURNOVER ") for line in lines), lines
