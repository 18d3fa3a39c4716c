"""Schema migrations with Alembic, run as a step of `riskflow init`, never at app start."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from flask import Flask

from . import resources


def alembic_config(app: Flask) -> Config:
    """An Alembic configuration pointing at the migrations folder and the app's database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.folder("migrations")))
    cfg.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    cfg.attributes["engine"] = app.extensions["riskflow.engine"]
    return cfg


def current_revision(app: Flask) -> str | None:
    """The revision the database is at (None before the first migration)."""
    with app.extensions["riskflow.engine"].connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(app: Flask, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database to REVISION; returns the revisions before and after."""
    before = current_revision(app)
    command.upgrade(alembic_config(app), revision)
    return before, current_revision(app)


def check(app: Flask) -> None:
    """Raise when the models and the migrations disagree."""
    command.check(alembic_config(app))
