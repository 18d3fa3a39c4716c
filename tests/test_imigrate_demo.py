"""The demo company's actions and sign-off (riskflow/actions/demo.py): believable states, made once."""
from conftest import sql
from riskflow import demo, periods
from riskflow.db import session_scope


def test_the_demo_has_actions_in_every_state_and_sheets_signed_off_part_of_the_way(app):
    with app.app_context(), session_scope(app) as session:
        assert demo.load(session)
        today, last, month = periods.today(), periods.previous(periods.current()), periods.current()
    on_warnings = sql(app, "SELECT a.state, a.due_date < :today, a.unit_id IS NOT NULL FROM actions a JOIN warnings w "
                           "ON w.id = a.warning_id WHERE w.period = :last ORDER BY a.id", today=today.isoformat(),
                      last=last)
    states = [state for state, _, _ in on_warnings]
    assert states.count("done") == 4 and states.count("submitted") == 1, states
    assert [(s, late) for s, late, _ in on_warnings if s == "open"] == [("open", 1)]  # the overdue one
    assert all(unit for *_, unit in on_warnings)
    returned = sql(app, "SELECT h.comment FROM change_history h JOIN actions a ON a.id = h.entity_id "
                        "WHERE h.entity = 'action' AND h.action = 'return' AND a.state = 'in_progress'")
    assert returned == [("完成情况缺少客户回款凭证，请补充后重新提交。",)]
    # A warning whose actions are all done waits for the risk manager's confirmation at 100 %.
    assert sql(app, "SELECT count(*) FROM warnings w WHERE w.period = :last AND w.progress = 100 AND "
                    "w.status = 'in_progress'", last=last)[0][0] >= 1
    assert sql(app, "SELECT count(*) FROM actions WHERE incident_id IS NOT NULL")[0][0] == sql(
        app, "SELECT count(*) FROM incidents")[0][0]
    assert sql(app, "SELECT count(*) FROM incidents WHERE corrective_action <> ''") == [(0,)]
    meeting_actions = sql(app, "SELECT state FROM actions WHERE meeting_id IS NOT NULL ORDER BY id")
    assert meeting_actions and {s for (s,) in meeting_actions} == {"done", "open"}
    assert sql(app, "SELECT u.code, s.state, s.returned_reason <> '' FROM grading_sheets s "
                    "JOIN units u ON u.id = s.unit_id JOIN grading_rounds r ON r.id = s.round_id "
                    "WHERE r.period = :m ORDER BY u.code", m=month) == [
        ("BJ", "accepted", 0), ("GD", "grading", 1), ("SC", "grading", 0), ("SH", "submitted", 0)]
    before = sql(app, "SELECT count(*) FROM actions")
    with app.app_context(), session_scope(app) as session:
        assert not demo.load(session)
    assert sql(app, "SELECT count(*) FROM actions") == before
