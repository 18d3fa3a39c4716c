"""Alembic environment: the app's engine when riskflow runs it, the URL otherwise."""
from alembic import context
from sqlalchemy import create_engine

from riskflow import models  # noqa: F401  (fills the metadata)
from riskflow.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None and config.get_main_option("sqlalchemy.url"):
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    elif engine is None:
        from riskflow import create_app

        engine = create_app().extensions["riskflow.engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table other tables point at: SQLite must not check the keys while the
            # old table is dropped (the pragma is a no-op inside a transaction, so it is set before one begins).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
