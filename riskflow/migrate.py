"""Schema migrations with Alembic, run as a step of `riskflow init`, never at app start."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from flask import Flask

from .config import PROJECT_ROOT


def alembic_config(app: Flask) -> Config:
    """An Alembic configuration pointing at migrations/ and the app's database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    cfg.attributes["engine"] = app.extensions["riskflow.engine"]
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    """Migrate the database to REVISION."""
    command.upgrade(alembic_config(app), revision)


def check(app: Flask) -> None:
    """Raise when the models and the migrations disagree."""
    command.check(alembic_config(app))
