"""Migration 0017 with real rows: a project's typed economic benefit becomes one benefit entry of kind `other`
(none for 0), the kinds are seeded, every project is the company's; and back, the sums of the entries becoming
the projects' benefit again."""
import pytest
from alembic import command
from sqlalchemy import text

from riskflow import create_app, migrate
from test_indicator_migration import fresh_database, plain

ROWS = [
    "INSERT INTO units (id, code, name, kind, active, created_at) VALUES "
    "(1, 'JJ', '纪检监察室', 'inspection', true, '2026-01-01 00:00:00')",
    "INSERT INTO users (id, username, display_name, role, unit_id, password_hash, active, auth_version, failed_logins, "
    "created_at) VALUES (1, 'inspector', '纪检', 'inspector', 1, 'x', true, 1, 0, '2026-01-01 00:00:00')",
    "INSERT INTO supervision_projects (id, code, year, title, kind, method, lead_unit_id, reason, scope, "
    "control_points, plan, start_date, end_date, economic_benefit, indirect_benefit, state, workflow_version, version, "
    "created_by_id, created_at) VALUES "
    "(1, 'XJ-2025-001', 2025, '销售回款效能监察', 'sales_collection', 'efficiency_audit', 1, '', '', '', '', NULL, "
    "NULL, 0, '', 'monitoring', 1, 1, 1, '2025-03-01 08:00:00'), "
    "(2, 'XJ-2025-002', 2025, '招投标管理效能监察', 'tendering', 'document_analysis', 1, '', '', '', '', NULL, "
    "NULL, 1700000.50, '制度完善', 'closed', 1, 3, 1, '2025-04-01 08:00:00')",
]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_0017_makes_benefit_entries_of_typed_benefits_and_goes_back(tmp_path, kind):
    app = create_app({"HOME": tmp_path, "DATABASE_URL": fresh_database(kind, tmp_path)})
    engine = app.extensions["riskflow.engine"]
    with app.app_context():
        cfg = migrate.alembic_config(app)
        command.upgrade(cfg, "0016")
        with engine.begin() as con:
            for row in ROWS:
                con.execute(text(row))
        command.upgrade(cfg, "0017")
        with engine.connect() as con:
            entries = plain(con.execute(text(
                "SELECT project_id, recommendation_id, amount, kind, description, created_by_id "
                "FROM supervision_benefits ORDER BY id")))
            assert entries == [(2, None, 1700000.5, "other", "立项时登记的直接经济效益", 1)]
            created = con.execute(text("SELECT created_at FROM supervision_benefits")).scalar_one()
            assert str(created).startswith("2025-04-01 08:00:00")
            assert plain(con.execute(text("SELECT count(*), count(DISTINCT code) FROM supervision_kinds"))) == [(13, 13)]
            assert plain(con.execute(text("SELECT code, label_zh FROM supervision_kinds WHERE code = 'eight_rules'"))
                         ) == [("eight_rules", "落实中央八项规定精神（业务招待、领导人员履职待遇）")]
            assert plain(con.execute(text("SELECT id, origin, proposed_by_id FROM supervision_projects ORDER BY id"))
                         ) == [(1, "company", None), (2, "company", None)]
            columns = [c["name"] for c in __import__("sqlalchemy").inspect(con).get_columns("supervision_projects")]
            assert "economic_benefit" not in columns
        migrate.check(app)
        with engine.begin() as con:
            # A benefit recorded after the upgrade counts in the sum that goes back.
            con.execute(text("INSERT INTO supervision_benefits (project_id, recommendation_id, amount, kind, "
                             "description, created_by_id, created_at) VALUES "
                             "(1, NULL, 25.50, 'recovered', '追缴欠费', 1, '2026-05-01 00:00:00'), "
                             "(2, NULL, 300, 'cost_reduction', '', 1, '2026-05-01 00:00:00')"))
        command.downgrade(cfg, "0016")
        with engine.connect() as con:
            assert plain(con.execute(text("SELECT id, economic_benefit FROM supervision_projects ORDER BY id"))) == [
                (1, 25.5), (2, 1700300.5)]
            tables = __import__("sqlalchemy").inspect(con).get_table_names()
            assert "supervision_benefits" not in tables and "supervision_kinds" not in tables
    engine.dispose()
