"""Migration 0015: incidents' corrective action text and review meetings' decisions become actions, the text
staying; codes after the highest in use and the counter moved on; and back."""
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from riskflow import create_app, migrate, numbering, periods
from riskflow.actions.service import CODES
from test_indicator_migration import fresh_database, plain

LONG = "严" * 250

ROWS = [
    "INSERT INTO units (id, code, name, kind, active, created_at) VALUES "
    "(1, 'BJ', '北京', 'sales', true, '2026-01-01 00:00:00'), (2, 'SH', '上海', 'sales', true, '2026-01-01 00:00:00'), "
    "(3, 'GD', '广东', 'sales', true, '2026-01-01 00:00:00')",
    "INSERT INTO users (id, username, display_name, role, unit_id, password_hash, active, auth_version, failed_logins, "
    "created_at) VALUES "
    "(1, 'inspector', '纪检', 'inspector', NULL, 'x', true, 1, 0, '2026-01-01 00:00:00'), "
    "(2, 'manager', '风险部', 'risk_manager', NULL, 'x', true, 1, 0, '2026-01-01 00:00:00'), "
    "(3, 'officer_bj', '李四', 'risk_officer', 1, 'x', true, 1, 0, '2026-01-01 00:00:00'), "
    "(4, 'head_bj', '王五', 'unit_head', 1, 'x', true, 1, 0, '2026-01-01 00:00:00'), "
    "(5, 'officer_sh', '赵六', 'risk_officer', 2, 'x', true, 1, 0, '2026-01-01 00:00:00'), "
    "(6, 'head_sh_old', '钱七', 'unit_head', 2, 'x', false, 1, 0, '2026-01-01 00:00:00')",
]


def incident(id_, unit_id, corrective, owner, due, done):
    due_sql = f"'{due}'" if due else "NULL"
    return ("INSERT INTO incidents (id, code, title, kind, unit_id, occurred_on, discovered_on, recorded_on, quarter, "
            "gross_loss, recoveries, reputation, compliance, safety, environment, operations, description, cause, "
            "handling, lessons, corrective_action, action_owner, action_due, action_done, state, workflow_version, "
            f"version, created_at) VALUES ({id_}, 'SJ-2026-000{id_}', '事件{id_}', 'loss_event', {unit_id}, "
            "'2026-02-01', '2026-02-05', '2026-02-10', '2026-Q1', 0, 0, 0, 0, 0, 0, 0, '', '', '', '', "
            f"'{corrective}', '{owner}', {due_sql}, {str(done).lower()}, 'reported', 1, 1, '2026-02-10 00:00:00')")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_0015_makes_actions_of_corrective_actions_and_decisions_and_goes_back(tmp_path, kind):
    app = create_app({"HOME": tmp_path, "DATABASE_URL": fresh_database(kind, tmp_path)})
    engine = app.extensions["riskflow.engine"]
    with app.app_context():
        year = periods.today().year
        cfg = migrate.alembic_config(app)
        command.upgrade(cfg, "0014")
        with engine.begin() as con:
            for row in ROWS + [
                incident(1, 1, "加强合同审核\n每月抽查十份合同", "李四", "2026-03-01", False),
                incident(2, 1, "  \n追回货款", "张三", None, True),
                incident(3, 2, LONG, "OFFICER_SH", "2026-04-30", False),
                incident(4, 3, "补签协议", "", "2026-05-01", False),
                incident(5, 1, "", "李四", None, False),
                "INSERT INTO review_meetings (id, quarter, held_on, attendees, conclusions, actions, recorded_by_id, "
                "created_at) VALUES (1, '2026-Q1', '2026-04-20', '', '', '1. 修订制度\n\n  2. 全员培训  \n', 1, "
                "'2026-04-20 00:00:00'), (2, '2026-Q1', '2026-04-21', '', '', '', 2, '2026-04-21 00:00:00')",
                # An action assigned before the migration keeps its code; the new ones follow it.
                "INSERT INTO actions (code, title, description, owner_id, unit_id, due_date, state, "
                "workflow_version, version, report, created_by_id, created_at, updated_at) VALUES "
                f"('CS-{year}-0003', '已有措施', '', 2, NULL, '2026-12-31', 'open', 1, 1, '', 2, "
                "'2026-12-01 00:00:00', '2026-12-01 00:00:00')",
            ]:
                con.execute(text(row))
        command.upgrade(cfg, "head")
        with engine.connect() as con:
            rows = plain(con.execute(text(
                "SELECT a.code, a.title, a.description, u.username, a.unit_id, a.due_date, a.incident_id, "
                "a.meeting_id, a.state, a.done_at IS NOT NULL, a.workflow_version, a.created_by_id "
                "FROM actions a JOIN users u ON u.id = a.owner_id ORDER BY a.id")))
            rows = [tuple(str(v) if hasattr(v, "isoformat") else v for v in row) for row in rows]
            assert rows == [
                (f"CS-{year}-0003", "已有措施", "", "manager", None, "2026-12-31", None, None, "open", 0, 1, 2),
                (f"CS-{year}-0004", "加强合同审核", "加强合同审核\n每月抽查十份合同", "officer_bj", 1, "2026-03-01", 1,
                 None, "open", 0, 1, None),
                (f"CS-{year}-0005", "追回货款", "追回货款\n\n原记录的责任人：张三（未找到对应用户，已指派给王五）",
                 "head_bj", 1, "2026-03-12", 2, None, "done", 1, 1, None),
                (f"CS-{year}-0006", "严" * 200, LONG, "officer_sh", 2, "2026-04-30", 3, None, "open", 0, 1, None),
                (f"CS-{year}-0007", "补签协议", "补签协议", "manager", None, "2026-05-01", 4, None, "open", 0, 1, None),
                (f"CS-{year}-0008", "1. 修订制度", "1. 修订制度", "manager", None, "2026-05-20", None, 1, "open", 0, 1,
                 None),
                (f"CS-{year}-0009", "2. 全员培训", "2. 全员培训", "manager", None, "2026-05-20", None, 1, "open", 0, 1,
                 None),
            ]
            # The free text stays as it was.
            assert con.execute(text("SELECT action_owner, action_done FROM incidents WHERE id = 2")).one()[0] == "张三"
            history = plain(con.execute(text(
                "SELECT entity_id, actor, actor_id, action, to_state FROM change_history WHERE entity = 'action' "
                "ORDER BY entity_id")))
            assert history == [(i, "system", None, "create", "done" if i == 3 else "open") for i in range(2, 8)]
            changes = con.execute(text("SELECT changes FROM change_history WHERE entity_id = 2 AND entity = 'action'"
                                       )).scalar_one()
            changes = changes if isinstance(changes, dict) else __import__("json").loads(changes)
            assert changes == {"title": [None, "加强合同审核"], "description": [None, "加强合同审核\n每月抽查十份合同"],
                               "due_date": [None, "2026-03-01"], "owner": [None, "officer_bj"], "unit": [None, "BJ"],
                               "incident": [None, "SJ-2026-0001"]}
            assert con.execute(text("SELECT last FROM code_counters WHERE series = 'action'")).scalar_one() == 9
        migrate.check(app)
        with Session(engine) as session:
            assert numbering.next_code(session, CODES, str(year)) == f"CS-{year}-0010"
            session.rollback()
        command.downgrade(cfg, "0014")
        with engine.connect() as con:
            assert plain(con.execute(text("SELECT code FROM actions"))) == [(f"CS-{year}-0003",)]
            assert plain(con.execute(text("SELECT count(*) FROM change_history WHERE entity = 'action'"))) == [(0,)]
        command.upgrade(cfg, "head")
        with engine.connect() as con:
            # Again after a way down and up: the counter had moved on, so the codes are new ones.
            assert plain(con.execute(text("SELECT min(code), count(*) FROM actions WHERE created_by_id IS NULL"))) == [
                (f"CS-{year}-0010", 6)]
    engine.dispose()
