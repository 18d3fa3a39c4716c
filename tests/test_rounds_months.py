"""A month's risks to grade are the risks of that month: registered by its end, not retired before it, or graded."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from riskflow import periods
from riskflow.db import session_scope
from riskflow.register import rounds

from conftest import login


def at(app, period, days=0, hours=0, minutes=0):
    """A UTC moment DAYS, HOURS and MINUTES after the start of PERIOD in the company's time zone (naive, as stored)."""
    with app.app_context():
        moment = periods.start_utc(period) + timedelta(days=days, hours=hours, minutes=minutes)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def run_sql(app, statement, **params):
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text(statement), params)


def retire(company, app, risk, moment):
    body = company.manager.get(f"/risks/{risk['id']}").get_json()
    assert company.manager.patch(f"/risks/{risk['id']}", {"version": body["version"], "status": "retired"}).status_code == 200
    # Retirement is dated by its history entry: move it to MOMENT (history is append-only for the app, not for SQL).
    run_sql(app, "UPDATE change_history SET at = :at WHERE entity = 'risk' AND entity_id = :id AND action = 'retire'",
            at=moment, id=risk["id"])


def test_completion_counts_the_risks_that_existed_in_the_month(app, client, company):
    with app.app_context():
        this = periods.current()
        today = periods.today()
    last, before = periods.shift(this, -1), periods.shift(this, -2)
    deadline = (today + timedelta(days=5)).isoformat()
    early = company.risk("两个月前登记")
    late_in_month = company.risk("上月最后一晚登记")
    next_morning = company.risk("本月一日零点后登记")
    retired_after = company.risk("本月初注销，上月未评估")
    retired_during = company.risk("上月中注销，未评估")
    graded_then_retired = company.risk("上月评估后注销")
    imported = company.risk("本月导入，补录上月评估", unit="SH")
    company.risk("本月新登记", unit="SH")
    created = [(early, at(app, before, days=14)), (late_in_month, at(app, this, minutes=-30)),
               (next_morning, at(app, this, minutes=10)), (retired_after, at(app, before)),
               (retired_during, at(app, before)), (graded_then_retired, at(app, before))]
    for risk, moment in created:
        run_sql(app, "UPDATE risks SET created_at = :at WHERE id = :id", at=moment, id=risk["id"])
    company.grade(early["id"], last, 2, 2)
    company.grade(graded_then_retired["id"], last, 3, 3)
    company.grade(imported["id"], last, 1, 2)
    retire(company, app, retired_after, at(app, this, days=1))
    retire(company, app, retired_during, at(app, last, days=9))
    retire(company, app, graded_then_retired, at(app, last, days=19))
    for period in (before, last, this):
        assert company.manager.post("/rounds", {"period": period, "deadline": deadline}).status_code == 201

    def units(period):
        return [(u["unit"], u["graded"], u["total"]) for u in company.manager.get(f"/rounds/{period}").get_json()["units"]]

    # Last month: the risk registered half an hour before its end (Shanghai time) counts, the one ten minutes
    # after does not; the risk retired this month still counts (ungraded), the one retired during last month
    # without a grade does not; the one graded and then retired counts, graded; SH's risk registered this
    # month counts for last month only because its grade for last month was imported.
    assert units(last) == [("BJ", 2, 4), ("SH", 1, 1)]
    assert units(before) == [("BJ", 0, 4)]
    assert units(this) == [("BJ", 0, 3), ("SH", 0, 2)]

    # The same counts on the heat map page and in the monthly report.
    login(client, "manager")
    page = client.get(f"/heatmap?period={last}").get_data(as_text=True)
    assert "2 / 4" in page and "1 / 1" in page
    from riskflow.reports import collect
    with app.app_context(), session_scope(app) as session:
        data = collect.monthly(session, last)
        assert [(p.unit.code, p.graded, p.total) for p in data.completion] == [("BJ", 2, 4), ("SH", 1, 1)]
        assert [u.code for u in rounds.idle_units(session, collect.ACTOR, before)] == ["BJ"]
