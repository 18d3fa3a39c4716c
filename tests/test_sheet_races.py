"""A grade saved while the unit's grading sheet is submitted never lands after the submit: the grade and the
submit each hold the sheet row, so the grade is either counted by the submit or refused as frozen. Real parallel
threads, on SQLite and on PostgreSQL (RISKFLOW_TEST_PGPORT=… .ci/with-postgres)."""
from __future__ import annotations

import time
from datetime import timedelta

from conftest import sql
from test_races import in_parallel, own_api

from riskflow.register import assessments


def _round_of_two(app, company):
    with app.app_context():
        from riskflow import periods

        month, deadline = periods.current(), (periods.today() + timedelta(days=10)).isoformat()
    assert company.manager.post("/rounds", {"period": month, "deadline": deadline}).status_code == 201
    first, second = company.risk("甲风险"), company.risk("乙风险")
    return month, first, second


def slowed(monkeypatch, seconds=0.4):
    """Widen the window between a grade's freeze check and its write, where a submit could slip in."""
    check = assessments.check_month

    def slow(*args, **kw):
        time.sleep(seconds)
        return check(*args, **kw)

    monkeypatch.setattr(assessments, "check_month", slow)


def test_a_revision_and_a_submit_at_once_never_leave_a_grade_written_after_the_submit(app, company, monkeypatch):
    month, first, second = _round_of_two(app, company)
    company.grade(first["id"], month, 2, 2, api=company.officer_bj)
    company.grade(second["id"], month, 2, 3, api=company.officer_bj)
    slowed(monkeypatch)
    officer = company.officer_bj

    def work(i):
        api = own_api(app, officer)
        if i == 0:
            return api.put(f"/risks/{first['id']}/assessments/{month}",
                           {"likelihood": 4, "impact": 4, "rationale": "上调"})
        time.sleep(0.1)  # the revision has passed its freeze check and is writing
        return api.post(f"/rounds/{month}/units/BJ/transitions", {"transition": "submit"})

    revised, submitted = in_parallel(2, work)
    assert submitted.status_code == 200, submitted.get_json()
    assert revised.status_code in (200, 409), revised.get_json()
    grade = sql(app, "SELECT likelihood, impact FROM assessments WHERE risk_id = :r AND period = :p",
                r=first["id"], p=month)
    assert grade == ([(4, 4)] if revised.status_code == 200 else [(2, 2)])
    if revised.status_code == 200:
        (assessed_at, submitted_at), = sql(
            app, "SELECT a.assessed_at, s.submitted_at FROM assessments a, grading_sheets s "
                 "WHERE a.risk_id = :r AND a.period = :p", r=first["id"], p=month)
        assert str(assessed_at) <= str(submitted_at)


def test_the_last_grade_and_a_submit_at_once_either_both_hold_or_the_submit_is_refused(app, company, monkeypatch):
    month, first, second = _round_of_two(app, company)
    company.grade(first["id"], month, 2, 2, api=company.officer_bj)
    slowed(monkeypatch)
    officer = company.officer_bj

    def work(i):
        api = own_api(app, officer)
        if i == 0:
            return api.post(f"/risks/{second['id']}/assessments",
                            {"period": month, "likelihood": 3, "impact": 3, "rationale": "新增"})
        time.sleep(0.1)
        return api.post(f"/rounds/{month}/units/BJ/transitions", {"transition": "submit"})

    graded, submitted = in_parallel(2, work)
    assert graded.status_code == 201, graded.get_json()
    # The submit waited for the grade and counted it: every risk was graded by then.
    assert submitted.status_code == 200, submitted.get_json()
    assert sql(app, "SELECT state FROM grading_sheets") == [("submitted",)]
