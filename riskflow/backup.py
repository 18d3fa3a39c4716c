"""A consistent copy of the database while the app runs."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from .errors import Conflict, RiskflowError


def backup(app: Flask, target: str) -> Path:
    """Copy the database to TARGET: SQLite's online backup, or pg_dump for PostgreSQL.

    The copy holds password hashes: it is created readable by its owner only (0600), and appears
    at TARGET only once complete.
    """
    path = Path(target).resolve()
    if path.exists():
        raise Conflict(_l("%(path)s already exists; choose a new file.", path=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise RiskflowError(_l("Backup is not supported for %(backend)s.", backend=url.get_backend_name()))
    # mkstemp creates the file with mode 0600 whatever the umask: never readable by others, not even briefly.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            if url.get_backend_name() == "sqlite":
                _sqlite_copy(app.extensions["riskflow.engine"], tmp)
            else:
                _pg_dump(url, out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _sqlite_copy(engine, tmp: str) -> None:
    """SQLite's online backup into the empty file TMP (SQLite keeps the file's mode, and gives it to its journal)."""
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(tmp)
        try:
            raw.driver_connection.backup(dest)
        finally:
            dest.close()
    finally:
        raw.close()


def _pg_dump(url, out) -> None:
    """pg_dump's custom-format archive written to the open file OUT."""
    env, connection = _pg_connection(url)
    result = subprocess.run(["pg_dump", "--format=custom", *connection], env=env, stdout=out,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RiskflowError(_l("pg_dump failed: %(reason)s", reason=result.stderr.strip()))


def _pg_connection(url) -> tuple[dict, list[str]]:
    """The environment and the arguments with which pg_dump and pg_restore reach URL's database."""
    args = ["--dbname", url.database or ""]
    for option, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            args += [option, str(value)]
    return dict(os.environ, PGPASSWORD=url.password or ""), args


def _has_data(app) -> bool:
    engine = app.extensions["riskflow.engine"]
    if "units" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as con:
        return any(con.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in ("units", "users"))


def restore(app: Flask, source: str, force: bool = False) -> None:
    """Replace the database with the copy in SOURCE; refuses to overwrite data without FORCE.

    Stop the web and scheduler processes first: they would keep writing to the replaced database.
    """
    path = Path(source).resolve()
    if not path.is_file():
        raise RiskflowError(_l("No such file: %(path)s", path=str(path)))
    if _has_data(app) and not force:
        raise Conflict(_l("The database holds data; add --force to replace it with the backup."))
    engine = app.extensions["riskflow.engine"]
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        engine.dispose()
        source_db = sqlite3.connect(path)
        try:
            if source_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RiskflowError(_l("%(path)s is not a sound SQLite database.", path=str(path)))
            target = sqlite3.connect(url.database)
            try:
                source_db.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            raise RiskflowError(_l("%(path)s is not a riskflow backup: %(reason)s", path=str(path), reason=str(exc)))
        finally:
            source_db.close()
        return
    if url.get_backend_name() == "postgresql":
        engine.dispose()
        env, connection = _pg_connection(url)
        result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 *connection, str(path)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RiskflowError(_l("pg_restore failed: %(reason)s", reason=result.stderr.strip()[:500]))
        return
    raise RiskflowError(_l("Backup is not supported for %(backend)s.", backend=url.get_backend_name()))
