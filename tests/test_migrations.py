"""Migrations build the schema from nothing, and agree with the models."""
from alembic import command
from sqlalchemy import inspect

from riskflow import create_app, migrate


def test_upgrade_an_empty_database_to_head_and_models_match(tmp_path):
    app = create_app({"HOME": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    with app.app_context():
        migrate.upgrade(app)
        tables = set(inspect(app.extensions["riskflow.engine"]).get_table_names())
        assert {"units", "users", "api_tokens", "change_history", "alembic_version"} <= tables
        migrate.check(app)  # raises on any drift between models and migrations


def test_downgrade_to_base_and_up_again(tmp_path):
    app = create_app({"HOME": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    with app.app_context():
        cfg = migrate.alembic_config(app)
        command.upgrade(cfg, "head")
        command.downgrade(cfg, "base")
        assert set(inspect(app.extensions["riskflow.engine"]).get_table_names()) == {"alembic_version"}
        command.upgrade(cfg, "head")
        migrate.check(app)


def test_the_test_database_matches_the_models(app):
    """On whichever database the suite runs (SQLite, or PostgreSQL under make test-pg)."""
    with app.app_context():
        migrate.check(app)
