"""The `riskflow` command: exit 0 on success, 1 with one line on a user error."""
import io
import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from conftest import cli_environment, on_postgres, on_sqlite, sql
from riskflow import migrate
from riskflow.cli import main
from riskflow.demo import UNITS, USERS


@pytest.fixture
def cli_home(app, home, monkeypatch):
    """The environment the command reads: the test's data folder and database, fast hashing."""
    monkeypatch.delenv("RISKFLOW_DATABASE_URL", raising=False)
    for name, value in cli_environment(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("riskflow.config.finalize", _fast_hash(__import__("riskflow.config").config.finalize))
    return home


def _fast_hash(finalize):
    def wrapped(config):
        config.setdefault("PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
        finalize(config)

    return wrapped


def run(capsys, *args, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def count(app):
    return lambda _home, table: sql(app, f"SELECT count(*) FROM {table}")[0][0]


def test_init_is_idempotent_and_demo_creates_every_role(cli_home, capsys, count, app):
    from sqlalchemy.engine import make_url

    # The test's database is migrated and holds the defaults already: init says so, then adds the demo.
    url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    up_to_date = f"数据库已是最新版本 {migrate.current_revision(app)}（{url}），无需迁移"
    code, out, _ = run(capsys, "init", "--demo")
    assert code == 0 and out == f"{up_to_date}\n已创建演示公司\n"
    assert count(cli_home, "units") == len(UNITS) == 6
    assert count(cli_home, "users") == len(USERS)
    roles = {r for (r,) in sql(app, "SELECT DISTINCT role FROM users")}
    assert roles == {"admin", "risk_manager", "risk_officer", "inspector", "unit_head", "viewer"}
    before = {t: count(cli_home, t) for t in ("units", "users", "change_history")}
    code, out, _ = run(capsys, "init", "--demo")
    assert code == 0 and out == f"{up_to_date}\n演示公司已存在，未作改动\n"
    assert {t: count(cli_home, t) for t in before} == before


def test_user_create_reads_the_password_from_stdin(cli_home, capsys, monkeypatch, app, client):
    from conftest import login

    assert run(capsys, "unit", "create", "BJ", "北京销售分公司")[0] == 0
    code, out, err = run(capsys, "user", "create", "li", "--role", "risk_officer", "--unit", "BJ",
                         "--email", "li@example.com", "--password-stdin", stdin="s3cret-pass\n",
                         monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert login(client, "li", "s3cret-pass").status_code == 302


@pytest.mark.parametrize(
    "args,reason",
    [
        (["--role", "janitor"], "role: 未知角色 janitor"),
        (["--role", "risk_officer", "--unit", "XX"], "unit: 未知单位 XX。"),
        (["--role", "risk_officer"], "unit: risk_officer 必须隶属于某个单位。"),
    ],
)
def test_user_create_errors_are_one_line_and_exit_1(cli_home, count, capsys, monkeypatch, args, reason):
    code, out, err = run(capsys, "user", "create", "li", *args, "--password-stdin",
                         stdin="s3cret-pass\n", monkeypatch=monkeypatch)
    assert code == 1
    assert err.count("\n") == 1 and reason in err
    assert count(cli_home, "users") == 0


def test_a_short_password_is_refused(cli_home, capsys, monkeypatch):
    code, _, err = run(capsys, "user", "create", "li", "--role", "viewer", "--password-stdin",
                       stdin="short\n", monkeypatch=monkeypatch)
    assert code == 1 and "password: 至少 8 个字符。" in err


def test_token_create_prints_only_the_token_and_it_works(cli_home, capsys, monkeypatch, client):
    run(capsys, "user", "create", "li", "--role", "viewer", "--password-stdin", stdin="s3cret-pass\n",
        monkeypatch=monkeypatch)
    code, out, err = run(capsys, "token", "create", "li")
    assert code == 0 and err == ""
    token = out.strip()
    assert out == token + "\n" and token.startswith("rf_")
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_token_for_unknown_user_exits_1(cli_home, capsys):
    code, out, err = run(capsys, "token", "create", "ghost")
    assert (code, out) == (1, "")
    assert err == "riskflow: 未知用户 ghost。\n"


def test_unit_create_duplicate_exits_1(cli_home, count, capsys):
    assert run(capsys, "unit", "create", "BJ", "北京")[0] == 0
    code, _, err = run(capsys, "unit", "create", "BJ", "北京")
    assert code == 1 and "单位 BJ 已存在。" in err
    assert count(cli_home, "units") == 1


def test_a_missing_option_exits_1_not_2(cli_home, capsys):
    code, _, err = run(capsys, "user", "create", "li")
    assert code == 1 and "--role" in err


@pytest.fixture
def usual_umask():
    """The umask most shells have (022): files come out world-readable unless created otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@on_sqlite
def test_backup_is_a_consistent_copy(cli_home, capsys, tmp_path, usual_umask):
    run(capsys, "unit", "create", "BJ", "北京")
    target = tmp_path / "copy.db"
    code, out, _ = run(capsys, "backup", str(target))
    assert code == 0
    # It holds the password hashes: for its owner's eyes only, and nothing half-written left beside it.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.db"]
    with sqlite3.connect(target) as con:
        assert con.execute("SELECT code FROM units").fetchall() == [("BJ",)]
    code, _, err = run(capsys, "backup", str(target))
    assert code == 1 and "已存在" in err


@on_postgres
def test_backup_on_postgresql_is_a_pg_dump_archive(cli_home, capsys, tmp_path, usual_umask):
    run(capsys, "unit", "create", "BJ", "北京")
    target = tmp_path / "copy.dump"
    code, out, err = run(capsys, "backup", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"PGDMP")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.dump"]


def test_the_console_script_exits_1_with_one_line(cli_home):
    result = subprocess.run([sys.executable, "-m", "riskflow.cli", "token", "create", "ghost"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == "riskflow: 未知用户 ghost。\n"


@on_sqlite
def test_backup_under_write_load_restores_to_identical_content(app, cli_home, capsys, tmp_path):
    import sqlite3
    import threading

    from riskflow.auth import policy
    from riskflow.auth import service as auth_service
    from riskflow.db import session_scope

    stop, started = threading.Event(), threading.Event()

    def write():
        n = 0
        while not stop.is_set():
            with app.app_context(), session_scope(app) as s:
                auth_service.create_unit(s, policy.SYSTEM, f"L{n}", f"负载单位{n}")
            started.set()
            n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert started.wait(timeout=30)  # the load is on before the backup begins
        target = tmp_path / "copy.db"
        code, _, err = run(capsys, "backup", str(target))
        assert code == 0, err
    finally:
        stop.set()
        writer.join(timeout=30)

    def content(path):
        with sqlite3.connect(path) as con:
            tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}

    copied = content(target)
    # The copy is one consistent moment: every unit has the history row written in its transaction.
    units = {row for row in copied["units"]}
    created = [r for r in copied["change_history"] if "'unit'" in r and "'create'" in r]
    assert len(units) == len(created) > 0
    assert run(capsys, "restore", str(target))[0] == 1  # the live database holds data
    code, out, err = run(capsys, "restore", str(target), "--force")
    assert code == 0, err
    assert content(cli_home / "riskflow.db") == copied


@on_postgres
def test_restore_on_postgresql_brings_back_the_backed_up_state(app, cli_home, capsys, tmp_path):
    run(capsys, "unit", "create", "BJ", "北京")
    target = tmp_path / "copy.dump"
    assert run(capsys, "backup", str(target))[0] == 0
    run(capsys, "unit", "create", "SH", "上海")
    assert sql(app, "SELECT code FROM units ORDER BY code") == [("BJ",), ("SH",)]
    app.extensions["riskflow.engine"].dispose()
    code, _, err = run(capsys, "restore", str(target), "--force")
    assert code == 0, err
    assert sql(app, "SELECT code FROM units ORDER BY code") == [("BJ",)]
