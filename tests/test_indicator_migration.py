"""Migration 0013: an indicator's fixed threshold becomes the annual target of each year it has values, so no
breach changes; and back."""
import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from conftest import PG_URL
from riskflow import create_app, migrate


def fresh_database(kind, tmp_path) -> str:
    """The URL of an empty database: a new SQLite file, or a new database on the test's PostgreSQL server."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    if not PG_URL:
        pytest.skip("needs RISKFLOW_TEST_DATABASE_URL (make test-pg)")
    server = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as con:
        con.execute(text("DROP DATABASE IF EXISTS riskflow_migration"))
        con.execute(text("CREATE DATABASE riskflow_migration"))
    server.dispose()
    return make_url(PG_URL).set(database="riskflow_migration").render_as_string(hide_password=False)


def plain(rows):
    """Rows with numbers as floats and truth values as 0/1, as both databases give them back."""
    return [tuple(float(v) if hasattr(v, "as_tuple") else int(v) if isinstance(v, bool) else v for v in row)
            for row in rows]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_0013_turns_thresholds_into_annual_targets_and_goes_back(tmp_path, kind):
    app = create_app({"HOME": tmp_path, "DATABASE_URL": fresh_database(kind, tmp_path)})
    engine = app.extensions["riskflow.engine"]
    with app.app_context():
        cfg = migrate.alembic_config(app)
        command.upgrade(cfg, "0012")
        with engine.begin() as con:
            con.execute(text("INSERT INTO indicators (id, code, name, direction, threshold, active, created_at) VALUES "
                             "(1, 'KRI-01', '货款回收率', 'below', 95, true, '2025-01-01 00:00:00'), "
                             "(2, 'KRI-02', '销售费用', 'above', 120.5, true, '2025-01-01 00:00:00')"))
            con.execute(text("INSERT INTO indicator_values (indicator_id, period, value, breached, recorded_at) VALUES "
                             "(1, '2025-11', 94, true, '2025-12-01 00:00:00'), (1, '2025-12', 96, false, '2026-01-01 00:00:00'), "
                             "(1, '2026-01', 97, false, '2026-02-01 00:00:00'), (2, '2026-01', 130, true, '2026-02-01 00:00:00')"))
        command.upgrade(cfg, "head")
        with engine.connect() as con:
            assert plain(con.execute(text("SELECT id, rule, carry_over, unit_id FROM indicators ORDER BY id"))) == [
                (1, "below_target", 0, None), (2, "above_target", 0, None)]
            assert plain(con.execute(text("SELECT indicator_id, year, annual, m01 FROM indicator_targets "
                                          "ORDER BY indicator_id, year"))) == [
                (1, 2025, 95, None), (1, 2026, 95, None), (2, 2026, 120.5, None)]
            assert plain(con.execute(text("SELECT period, ytd, compared_with, variance, breached FROM indicator_values "
                                          "ORDER BY indicator_id, period"))) == [
                ("2025-11", 94, 95, -1, 1), ("2025-12", 190, 95, 1, 0), ("2026-01", 97, 95, 2, 0),
                ("2026-01", 130, 120.5, 9.5, 1)]
        migrate.check(app)
        command.downgrade(cfg, "0012")
        with engine.connect() as con:
            assert plain(con.execute(text("SELECT code, direction, threshold FROM indicators ORDER BY id"))) == [
                ("KRI-01", "below", 95), ("KRI-02", "above", 120.5)]
    app.extensions["riskflow.engine"].dispose()
