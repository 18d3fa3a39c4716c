"""The factory reads the contract's environment variables."""
import pytest

from riskflow import create_app
from riskflow.config import ConfigError, from_environment


def test_defaults_follow_the_contract(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = from_environment({})
    assert config["HOME"] == tmp_path / "instance"
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'riskflow.db'}"
    assert config["TIMEZONE"] == "Asia/Shanghai"
    assert config["LANGUAGE"] == "zh_CN"
    assert config["SMTP_URL"] is None
    assert config["MAIL_FROM"] == "riskflow@localhost"


def test_environment_overrides_defaults(tmp_path):
    env = {
        "RISKFLOW_HOME": str(tmp_path / "data"),
        "RISKFLOW_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:5432/rf",
        "RISKFLOW_TIMEZONE": "UTC",
        "RISKFLOW_LANGUAGE": "en",
        "RISKFLOW_SMTP_URL": "smtp://a:b@127.0.0.1:2525",
        "RISKFLOW_MAIL_FROM": "risk@example.com",
        "RISKFLOW_SECRET_KEY": "k" * 40,
    }
    config = from_environment(env)
    assert config["HOME"] == tmp_path / "data"
    assert config["DATABASE_URL"] == "postgresql+psycopg://u@127.0.0.1:5432/rf"
    assert (config["TIMEZONE"], config["LANGUAGE"]) == ("UTC", "en")
    assert config["SMTP_URL"] == "smtp://a:b@127.0.0.1:2525"
    assert config["MAIL_FROM"] == "risk@example.com"
    assert config["SECRET_KEY"] == "k" * 40


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKFLOW_HOME", str(tmp_path))
    monkeypatch.delenv("RISKFLOW_SECRET_KEY", raising=False)
    first = create_app()
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    second = create_app()
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    for sub in ("reports", "attachments", "outbox"):
        assert (tmp_path / sub).is_dir()


@pytest.mark.parametrize(
    "name,value,expected",
    [("RISKFLOW_LANGUAGE", "fr", "RISKFLOW_LANGUAGE"), ("RISKFLOW_TIMEZONE", "Mars/Olympus", "RISKFLOW_TIMEZONE")],
)
def test_a_bad_setting_names_the_variable(tmp_path, monkeypatch, name, value, expected):
    monkeypatch.setenv("RISKFLOW_HOME", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=expected):
        create_app()


def test_security_defaults(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024


def test_escalation_days_come_from_the_environment(tmp_path):
    config = from_environment({"RISKFLOW_HOME": str(tmp_path), "RISKFLOW_ESCALATION_BLUE_DAYS": "10"})
    assert (config["ESCALATION_BLUE_DAYS"], config["ESCALATION_RED_DAYS"]) == (10, 30)
    with pytest.raises(ConfigError, match="RISKFLOW_ESCALATION_RED_DAYS"):
        from_environment({"RISKFLOW_ESCALATION_RED_DAYS": "soon"})
