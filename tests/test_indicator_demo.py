"""The demo's budget year (riskflow/indicators/demo.py) as plain figures, and storing several months of an
indicator at once (the demo's door into the service) as recording them one by one would."""
from collections import Counter
from decimal import Decimal

from sqlalchemy import event

from conftest import sql
from riskflow import periods
from riskflow.auth.service import user_by_name
from riskflow.indicators import demo, rules, service
from riskflow.indicators.models import Indicator, IndicatorValue
from test_indicators_api import expense, values, warnings_of

# The demo's months when it is made in December 2026: the twelve before.
MONTHS = [periods.shift("2026-12", -n) for n in range(12, 0, -1)]


def breaches(made) -> dict[tuple[str, str], bool]:
    """Each (code, period) of the demo figures as the rules judge it."""
    judged = {}
    for one in made:
        for year, (annual, monthly) in one.targets.items():
            values_ = [one.values.get(f"{year}-{m:02d}") for m in range(1, 13)]
            for j in rules.judge_year(one.rule, one.carry_over, annual, monthly, values_):
                if j.value is not None:
                    judged[(one.code, f"{year}-{j.month:02d}")] = j.breached
    return judged


def test_the_demo_year_is_the_same_every_time_and_covers_the_year_to_date():
    made = demo.figures(MONTHS)
    assert [(s.code, s.targets, s.values) for s in made] == [(s.code, s.targets, s.values)
                                                             for s in demo.figures(MONTHS)]
    # December 2025 is a demo month: its year's earlier months are there too, for the year to date.
    assert demo.demo_periods(MONTHS) == periods.span("2025-01", "2026-11")
    assert {s.code for s in made if s.unit == "SC"} == {
        "SC-REVENUE", "SC-NET-PROFIT", "SC-SELLING", "SC-ADMIN", "SC-FINANCE", "SC-COLLECT", "SC-TURNOVER",
        "SC-PROFIT-YTD", "SC-CASH-FLOW"}
    assert [(s.code, s.rule, s.plan) for s in made if s.unit is None] == [
        ("CO-REVENUE", "below_budget", "revenue"), ("CO-NET-PROFIT", "below_budget", "profit"),
        ("CO-COLLECT", "below_target", "collection"), ("CO-DEBT-RATIO", "above_target", None)]
    assert {s.code.split("-", 1)[1] for s in made if s.carry_over} == {"SELLING", "ADMIN", "FINANCE"}
    assert all(len(s.values) == 23 and set(s.targets) == {2025, 2026} for s in made)


def test_a_handful_of_breaches_per_unit_in_some_months_not_all():
    made = demo.figures(MONTHS)
    judged = breaches(made)
    for unit in demo.UNITS:
        per_month = [sum(judged[(s.code, p)] for s in made if s.unit == unit) for p in MONTHS]
        assert max(per_month) <= 7 and 1.5 <= sum(per_month) / 12 <= 4, (unit, per_month)
        assert min(per_month) <= 1, (unit, per_month)
    # Each kind of indicator misses somewhere in the year, none every month in every unit.
    kinds = Counter(s.kind for s in made for p in MONTHS if s.unit and judged[(s.code, p)])
    assert set(kinds) == {suffix for suffix, *_ in demo.UNIT_INDICATORS}
    assert max(kinds.values()) < 5 * 12


def test_the_company_figures_are_the_units_sums_and_plausible():
    made = {s.code: s for s in demo.figures(MONTHS)}
    units = list(demo.UNITS)
    for period in MONTHS:
        assert made["CO-REVENUE"].values[period] == sum(made[f"{u}-REVENUE"].values[period] for u in units)
        assert made["CO-NET-PROFIT"].values[period] == sum(made[f"{u}-NET-PROFIT"].values[period] for u in units)
        for unit in units:
            assert Decimal(90) <= made[f"{unit}-COLLECT"].values[period] <= Decimal(100)
            # Net profit a few per cent of sales (万元), expenses below it.
            revenue = made[f"{unit}-REVENUE"].values[period]
            assert Decimal("0.015") < made[f"{unit}-NET-PROFIT"].values[period] / revenue < Decimal("0.035")
            assert made[f"{unit}-FINANCE"].values[period] < made[f"{unit}-ADMIN"].values[period] \
                < made[f"{unit}-SELLING"].values[period]
    annual, monthly = made["GD-REVENUE"].targets[2026]
    assert annual == sum(monthly) == 267_990 and monthly[1] < monthly[9]  # February sells least, October most


def test_storing_several_months_at_once_is_recording_them_one_by_one(company, run_db, app):
    one_by_one, at_once = expense(company), expense(company, code="BJ-SELL-EXP-2")
    entered = {"2025-12": 130, "2026-01": 130, "2026-02": 50, "2026-03": 150, "2026-04": 90, "2026-05": 100}
    for period, value in entered.items():
        company.officer_bj.post(f"/indicators/{one_by_one['id']}/values", {"period": period, "value": value})

    def store(session):
        officer = user_by_name(session, "officer_bj")
        service.store_values(session, officer, session.get(Indicator, at_once["id"]),
                             {p: Decimal(v) for p, v in entered.items()})

    run_db(store)
    assert values(company.manager, at_once["id"]) == values(company.manager, one_by_one["id"]) == {
        "2026-01": (130, 100, 30, True), "2026-02": (50, 70, -20, False), "2026-03": (150, 100, 50, True),
        "2026-04": (90, 50, 40, True), "2026-05": (100, 60, 40, True)}
    for period in ("2025-12", "2026-01", "2026-03", "2026-04", "2026-05"):
        assert {"BJ-SELL-EXP", "BJ-SELL-EXP-2"} <= set(warnings_of(company.manager, period))
    assert "BJ-SELL-EXP-2" not in warnings_of(company.manager, "2026-02")
    def history(indicator_id):
        return [changes for (changes,) in sql(app, "SELECT changes FROM change_history WHERE entity = 'indicator' "
                                                   "AND entity_id = :i AND action = 'value' ORDER BY id", i=indicator_id)]

    assert len(history(at_once["id"])) == 6 and history(at_once["id"]) == history(one_by_one["id"])


def test_the_newest_value_of_each_indicator_is_read_alone(company, run_db):
    first, second = company.indicator("KRI-A", years=(2025, 2026)), company.indicator("KRI-B", years=(2025,))
    for period, value in (("2025-11", 90), ("2026-02", 97), ("2025-12", 99)):
        company.manager.post(f"/indicators/{first['id']}/values", {"period": period, "value": value})
    company.manager.post(f"/indicators/{second['id']}/values", {"period": "2025-06", "value": 80})

    def newest(session):
        loaded = []
        count = lambda target, context: loaded.append(target.period)  # noqa: E731
        event.listen(IndicatorValue, "load", count)
        try:
            found = service.latest_values(session, [first["id"], second["id"], 999])
        finally:
            event.remove(IndicatorValue, "load", count)
        return {i: (row.period, row.value) for i, row in found.items()}, len(loaded)

    # Only the two rows shown are read, not every month of the two indicators.
    assert run_db(newest) == ({first["id"]: ("2026-02", Decimal(97)), second["id"]: ("2025-06", Decimal(80))}, 2)


def test_a_june_correction_does_not_look_up_the_warnings_of_the_later_months_still_breached(app, company):
    from test_statement_counts import statements_for

    def chain(code, later):
        indicator = expense(company, code=code)
        for month, value in ((6, 150), *((m, later) for m in range(7, 12))):
            company.officer_bj.post(f"/indicators/{indicator['id']}/values", {"period": f"2026-{month:02d}",
                                                                             "value": value})
        return indicator

    quiet, breached = chain("BJ-QUIET", 10), chain("BJ-LOUD", 140)
    assert [values(company.manager, i["id"])["2026-09"][3] for i in (quiet, breached)] == [False, True]
    # June stays breached in both; July to November keep their breach (none in one, all in the other).
    counts = [statements_for(app, lambda i=i: company.officer_bj.post(f"/indicators/{i['id']}/values",
                                                                        {"period": "2026-06", "value": 160}))
              for i in (quiet, breached)]
    assert counts[0] == counts[1], counts
    assert [values(company.manager, i["id"])["2026-11"][3] for i in (quiet, breached)] == [False, True]
