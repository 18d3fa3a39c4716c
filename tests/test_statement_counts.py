"""No N+1: the statements a list page, the heat map, the ranking and the report collection run do not
grow with the number of rows shown."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from conftest import login


@contextmanager
def counting(app):
    engine = app.extensions["riskflow.engine"]
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def grow(company, n, start=0):
    for i in range(start, start + n):
        risk = company.risk(f"风险{i}", unit="BJ" if i % 2 else "SH")
        company.grade(risk["id"], "2026-05", 1 + i % 5, 1 + (i * 3) % 5)


def statements_for(app, action) -> int:
    with counting(app) as statements:
        action()
    return len(statements)


@pytest.mark.parametrize("path", ["/risks?per_page=50", "/risks?level=major&per_page=50", "/heatmap?period=2026-05",
                                  "/major-risks?period=2026-05&top=50", "/warnings?period=2026-05",
                                  "/incidents?per_page=50"])
def test_api_lists_run_the_same_statements_for_5_or_25_rows(app, company, path):
    grow(company, 5)
    small = statements_for(app, lambda: company.manager.get(path))
    grow(company, 20, start=5)
    large = statements_for(app, lambda: company.manager.get(path))
    assert large == small, (small, large)


@pytest.mark.parametrize("path", ["/risks", "/heatmap?period=2026-05", "/warnings?period=2026-05", "/"])
def test_pages_run_the_same_statements_for_5_or_25_rows(app, client, company, path):
    grow(company, 5)
    login(client, "manager")
    small = statements_for(app, lambda: client.get(path))
    grow(company, 20, start=5)
    large = statements_for(app, lambda: client.get(path))
    assert large == small, (small, large)


def test_report_collection_does_not_grow_with_the_register(app, company):
    from riskflow.db import get_session
    from riskflow.reports import collect

    def collect_may():
        with app.app_context():
            collect.monthly(get_session(), "2026-05")

    grow(company, 5)
    small = statements_for(app, collect_may)
    grow(company, 20, start=5)
    large = statements_for(app, collect_may)
    assert large == small, (small, large)


def test_the_supervision_recommendation_and_incident_pages_do_not_grow_with_their_rows(app, client, team):
    from test_incidents import incident
    from test_supervision import fire, new_project, recommend

    inspector, manager = team["inspector"], team["manager"]

    def add(n):
        for k in range(n):
            project = new_project(inspector, title=f"效能监察项目{k}")
            fire(inspector, "supervision-projects", project["id"], "file")
            fire(inspector, "supervision-projects", project["id"], "start_monitoring")
            recommend(inspector, project["id"], unit="BJ" if k % 2 else "SH")
            occurred = f"2026-0{1 + k % 6}-1{k % 9}"
            assert incident(manager, unit="BJ" if k % 2 else "SH", occurred_on=occurred,
                            discovered_on=occurred).status_code == 201

    login(client, "manager")
    add(3)
    pages = ("/recommendations", "/incidents", "/supervision")
    small = [statements_for(app, lambda p=p: client.get(p)) for p in pages]
    add(12)
    large = [statements_for(app, lambda p=p: client.get(p)) for p in pages]
    assert large == small, (small, large)
