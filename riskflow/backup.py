"""A consistent copy of the database while the app runs."""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import make_url

from .errors import Conflict, RiskflowError


def backup(app: Flask, target: str) -> Path:
    """Copy the database to TARGET: SQLite's online backup, or pg_dump for PostgreSQL."""
    path = Path(target).resolve()
    if path.exists():
        raise Conflict(_l("%(path)s already exists; choose a new file.", path=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = app.extensions["riskflow.engine"]
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        tmp = path.with_name(path.name + ".part")
        raw = engine.raw_connection()
        try:
            dest = sqlite3.connect(tmp)
            try:
                raw.driver_connection.backup(dest)
            finally:
                dest.close()
        finally:
            raw.close()
        os.replace(tmp, path)
        return path
    if url.get_backend_name() == "postgresql":
        env = dict(os.environ, PGPASSWORD=url.password or "")
        args = ["pg_dump", "--format=custom", "--file", str(path), "--dbname", url.database or ""]
        if url.host:
            args += ["--host", url.host]
        if url.port:
            args += ["--port", str(url.port)]
        if url.username:
            args += ["--username", url.username]
        result = subprocess.run(args, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RiskflowError(_l("pg_dump failed: %(reason)s", reason=result.stderr.strip()))
        return path
    raise RiskflowError(_l("Backup is not supported for %(backend)s.", backend=url.get_backend_name()))
