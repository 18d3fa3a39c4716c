"""The data revision: moved on by each committed write and by nothing else; the dashboard, which keeps its
parts per revision, shows every write at once and never another scope's figures."""
import re

from conftest import login, sql
from riskflow import revision
from riskflow.auth import policy
from riskflow.db import session_scope
from riskflow.register import risks


def cells(page: str) -> dict:
    """The dashboard heat map's counts by (likelihood, impact)."""
    return {(int(l), int(i)): int(n) for l, i, n in re.findall(
        r'likelihood=(\d+)&amp;impact=(\d+)[^"]*" aria-label="[^"]*">(\d+)</a>', page)}


def revision_row(app):
    return sql(app, "SELECT n, stamp FROM data_revision")[0]


def test_only_a_committed_write_moves_the_revision_on(app, client, company):
    n0, stamp0 = revision_row(app)
    company.manager.get("/risks")
    login(client, "manager")
    client.get("/")
    n1, stamp1 = revision_row(app)
    assert n1 > n0 and stamp1 != stamp0  # signing in records the sign-in
    client.get("/")
    client.get("/risks")
    assert revision_row(app) == (n1, stamp1)
    assert company.manager.post("/risks", {"title": "", "unit": "BJ", "category": "price"}).status_code == 422
    assert revision_row(app) == (n1, stamp1)
    company.risk("价格风险")
    n2, stamp2 = revision_row(app)
    assert n2 == n1 + 1 and stamp2 != stamp1


def test_the_dashboard_shows_each_write_at_once_and_only_the_readers_scope(app, client, company):
    bj = company.risk("价格风险", unit="BJ")
    company.grade(bj["id"], "2026-05", 3, 3)
    login(client, "manager")
    assert cells(client.get("/").get_data(as_text=True)) == {(3, 3): 1}
    sh = company.risk("回款风险", unit="SH")
    company.grade(sh["id"], "2026-05", 5, 5)
    assert cells(client.get("/").get_data(as_text=True)) == {(3, 3): 1, (5, 5): 1}
    officer = app.test_client()
    login(officer, "officer_bj")
    assert cells(officer.get("/").get_data(as_text=True)) == {(3, 3): 1}
    with session_scope(app) as session:  # a write by another session, as another process would make it
        risks.update(session, policy.SYSTEM, bj["id"],
                     {"status": "retired", "version": bj["version"]})
    assert cells(client.get("/").get_data(as_text=True)) == {(5, 5): 1}
    assert cells(officer.get("/").get_data(as_text=True)) == {}


def test_a_bulk_statement_moves_the_revision_on(app):
    from sqlalchemy import update

    from riskflow.auth.models import Unit

    n0, _ = revision_row(app)
    with session_scope(app) as session:
        session.execute(update(Unit).where(Unit.code == "none").values(name="x"))
    assert revision_row(app)[0] == n0 + 1
    with session_scope(app) as session:
        assert revision.current(session) == revision_row(app)[1]
