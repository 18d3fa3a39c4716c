"""Values of one indicator written at once: each writer judges the carry-over chain with every value
committed before it, and a month typed by two people at once is stored once. Real parallel threads, on SQLite
and (make test-pg) on PostgreSQL."""
from conftest import sql
from test_races import in_parallel, own_api

from test_indicators_api import expense, values


def test_twelve_months_recorded_at_once_leave_the_chain_a_sequential_run_would(app, company):
    indicator = expense(company)
    path = f"/indicators/{indicator['id']}/values"
    typed = [130, 50, 150, 90, 100, 80, 120, 100, 95, 140, 60, 100]
    apis = [own_api(app, company.officer_bj) for _ in typed]
    responses = in_parallel(12, lambda i: apis[i].post(path, {"period": f"2026-{i + 1:02d}", "value": typed[i]}))
    assert sorted(r.status_code for r in responses) == [201] * 12
    # Effective budgets one at a time: 100, 70, 100, 50, 60, 100, 100, 80, 100, 100, 60, 100.
    assert values(company.manager, indicator["id"]) == {
        "2026-01": (130, 100, 30, True), "2026-02": (50, 70, -20, False), "2026-03": (150, 100, 50, True),
        "2026-04": (90, 50, 40, True), "2026-05": (100, 60, 40, True), "2026-06": (80, 60, 20, True),
        "2026-07": (120, 80, 40, True), "2026-08": (100, 60, 40, True), "2026-09": (95, 60, 35, True),
        "2026-10": (140, 65, 75, True), "2026-11": (60, 25, 35, True), "2026-12": (100, 65, 35, True)}


def test_one_month_typed_by_several_people_at_once_is_stored_once(app, company):
    indicator = expense(company)
    path = f"/indicators/{indicator['id']}/values"
    apis = [own_api(app, company.officer_bj) for _ in range(6)]
    responses = in_parallel(6, lambda i: apis[i].post(path, {"period": "2026-05", "value": 101 + i}))
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
    assert sql(app, "SELECT count(*) FROM indicator_values") == [(1,)]
    assert sql(app, "SELECT count(*) FROM warnings WHERE indicator_id IS NOT NULL") == [(1,)]
