"""Shared fixtures: an app on its own database file, a client, a CLI runner and helpers."""
from __future__ import annotations

import os
import re
import shutil

import pytest
from sqlalchemy import create_engine, text

from riskflow import create_app, migrate
from riskflow.auth import policy
from riskflow.auth import service as auth_service
from riskflow.db import session_scope
from riskflow import defaults

PASSWORD = "correct-horse"
# Fast hashing in tests only; production uses scrypt.
TEST_HASH = "pbkdf2:sha256:1000"
# Set by .ci/with-postgres: the whole suite then runs on that PostgreSQL database instead of SQLite files.
PG_URL = os.environ.get("RISKFLOW_TEST_DATABASE_URL")
on_postgres = pytest.mark.skipif(not PG_URL, reason="needs RISKFLOW_TEST_DATABASE_URL (make test-pg)")
on_sqlite = pytest.mark.skipif(bool(PG_URL), reason="SQLite files only")


def database_url(home) -> str:
    return PG_URL or f"sqlite:///{home / 'riskflow.db'}"


def app_config(home) -> dict:
    return {
        "TESTING": True,
        "HOME": home,
        "DATABASE_URL": database_url(home),
        "PASSWORD_HASH_METHOD": TEST_HASH,
    }


def cli_environment(home) -> dict:
    """The variables a `riskflow` process needs to work on the test's data."""
    env = {"RISKFLOW_HOME": str(home)}
    if PG_URL:
        env["RISKFLOW_DATABASE_URL"] = PG_URL
    return env


def _migrated(app) -> None:
    with app.app_context():
        migrate.upgrade(app)
        with session_scope(app) as session:
            defaults.load(session)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """SQLite: a database migrated to head with the defaults, copied for each test.
    PostgreSQL: the schema, migrated once; each test then empties the tables."""
    home = tmp_path_factory.mktemp("template")
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as con:
            con.execute(text("DROP SCHEMA public CASCADE"))
            con.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(app_config(home))
    _migrated(app)
    app.extensions["riskflow.engine"].dispose()
    return None if PG_URL else home / "riskflow.db"


@pytest.fixture
def home(tmp_path, template_db):
    path = tmp_path / "home"
    path.mkdir()
    if template_db is not None:
        shutil.copy(template_db, path / "riskflow.db")
    return path


def _reset_postgres(app) -> None:
    """Every table empty and numbering from 1 again, then the defaults as `riskflow init` loads them."""
    from riskflow.db import Base

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with app.extensions["riskflow.engine"].begin() as con:
        con.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with app.app_context(), session_scope(app) as session:
        defaults.load(session)


@pytest.fixture
def app(home, monkeypatch):
    monkeypatch.delenv("RISKFLOW_DATABASE_URL", raising=False)
    app = create_app(app_config(home))
    if PG_URL:
        _reset_postgres(app)
    yield app
    app.extensions["riskflow.engine"].dispose()


def sql(app, statement: str, **params) -> list[tuple]:
    """Rows of a raw SQL query on the test's database, for checks against the raw rows."""
    with app.extensions["riskflow.engine"].connect() as con:
        return [tuple(row) for row in con.execute(text(statement), params)]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_db(app):
    """run_db(fn): call fn(session) in its own app context and committed session.

    No app context stays pushed during a test: requests must get their own `g`.
    """

    def run(fn):
        with app.app_context(), session_scope(app) as session:
            return fn(session)

    return run


class Factory:
    """Builds units, users and tokens through the real services."""

    def __init__(self, app):
        self.app = app

    def unit(self, code="U1", name="测试单位", kind="sales"):
        with self.app.app_context(), session_scope(self.app) as s:
            return auth_service.create_unit(s, policy.SYSTEM, code, name, kind).id

    def user(self, username, role, unit=None, password=PASSWORD, email=None):
        with self.app.app_context(), session_scope(self.app) as s:
            return auth_service.create_user(s, policy.SYSTEM, username, role, password,
                                            unit_code=unit, email=email).id

    def token(self, username):
        with self.app.app_context(), session_scope(self.app) as s:
            return auth_service.create_token(s, policy.SYSTEM, auth_service.user_by_name(s, username))


@pytest.fixture
def make(app):
    return Factory(app)


def csrf_token(client, path="/login") -> str:
    """The CSRF token from the form on PATH."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username, password=PASSWORD):
    """Sign in through the real form, CSRF token included."""
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


class Api:
    """Calls the JSON API with a bearer token."""

    def __init__(self, client, token):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **kw):
        return self.client.get("/api/v1" + path, headers=self.headers, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post("/api/v1" + path, headers=self.headers, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch("/api/v1" + path, headers=self.headers, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.client.put("/api/v1" + path, headers=self.headers, json=json, **kw)


@pytest.fixture
def api_as(client, make):
    """api_as("name", role, unit=None): an Api for a new user of ROLE."""

    def build(username, role, unit=None):
        make.user(username, role, unit=unit)
        return Api(client, make.token(username))

    return build


class Company:
    """Two sales units with an officer and a head each, a risk manager, an inspector and a leader."""

    def __init__(self, client, make):
        make.unit("BJ", "北京销售分公司")
        make.unit("SH", "上海销售分公司")
        self.users = {}
        for name, role, unit in (("manager", "risk_manager", None), ("officer_bj", "risk_officer", "BJ"),
                                 ("officer_sh", "risk_officer", "SH"), ("head_bj", "unit_head", "BJ"),
                                 ("inspector", "inspector", None), ("leader", "viewer", None),
                                 ("admin", "admin", None)):
            make.user(name, role, unit=unit)
            self.users[name] = Api(client, make.token(name))

    def __getattr__(self, name):
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name)

    def risk(self, title="应收账款回收风险", unit="BJ", category="receivables", **extra):
        response = self.manager.post("/risks", {"title": title, "unit": unit, "category": category, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def indicator(self, code, name="货款回收率", rule="below_target", annual=95, years=(2024, 2025, 2026), **extra):
        """A budget indicator judged by RULE against the annual target ANNUAL in each of YEARS."""
        response = self.manager.post("/indicators", {"code": code, "name": name, "rule": rule, **extra})
        assert response.status_code == 201, response.get_json()
        created = response.get_json()
        for year in years:
            put = self.manager.put(f"/indicators/{created['id']}/targets/{year}",
                                   {"annual": annual, "monthly": [None] * 12})
            assert put.status_code == 200, put.get_json()
        return created

    def grade(self, risk_id, period, likelihood, impact, api=None, **extra):
        response = (api or self.manager).post(f"/risks/{risk_id}/assessments", {
            "period": period, "likelihood": likelihood, "impact": impact, "rationale": "月度评估", **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def company(client, make):
    return Company(client, make)


@pytest.fixture
def team(client, make):
    """Sales units BJ and SH and the inspection office JJ, with a user of each supervision role."""
    make.unit("BJ", "北京销售分公司")
    make.unit("SH", "上海销售分公司")
    make.unit("JJ", "纪检监察室", kind="inspection")
    apis = {}
    for name, role, unit in (("inspector", "inspector", "JJ"), ("head_bj", "unit_head", "BJ"),
                             ("officer_bj", "risk_officer", "BJ"), ("head_sh", "unit_head", "SH"),
                             ("leader", "viewer", None), ("manager", "risk_manager", None), ("admin", "admin", None)):
        make.user(name, role, unit=unit, email=f"{name}@example.com")
        apis[name] = Api(client, make.token(name))
    return apis



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell a failure (browser screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# The browser tests' fixtures (tests/browser.py): the server on loopback and a Chromium page.
from browser import browser_page, server  # noqa: E402,F401
