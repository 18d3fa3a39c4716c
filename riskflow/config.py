"""Configuration: defaults, then the RISKFLOW_* environment variables of the contract."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import resources, values

LANGUAGES = ("zh_CN", "en")


class ConfigError(Exception):
    """A setting that cannot work; the message names the variable."""


def load_secret_key(home: Path) -> str:
    """Return the secret key kept in HOME/secret_key, generating it once."""
    path = home / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        raise ConfigError(f"{path} is empty: delete it to generate a new key")
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


def _int(env, name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return values.whole(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of days, not {raw!r}") from None


def from_environment(environ=None) -> dict:
    """Build the Flask configuration from RISKFLOW_* variables and defaults."""
    env = os.environ if environ is None else environ
    home = Path(env.get("RISKFLOW_HOME") or "instance").resolve()
    config = {
        "HOME": home,
        "DATABASE_URL": env.get("RISKFLOW_DATABASE_URL") or f"sqlite:///{home / 'riskflow.db'}",
        "SECRET_KEY": env.get("RISKFLOW_SECRET_KEY") or None,
        "TIMEZONE": env.get("RISKFLOW_TIMEZONE") or "Asia/Shanghai",
        "LANGUAGE": env.get("RISKFLOW_LANGUAGE") or "zh_CN",
        "SMTP_URL": env.get("RISKFLOW_SMTP_URL") or None,
        "MAIL_FROM": env.get("RISKFLOW_MAIL_FROM") or "riskflow@localhost",
        "FONT_PATH": env.get("RISKFLOW_FONT") or None,
        # The company's own workflow files; each replaces the shipped one of the same name.
        "WORKFLOW_FOLDER": Path(env["RISKFLOW_WORKFLOWS"]).resolve() if env.get("RISKFLOW_WORKFLOWS") else None,
        "ESCALATION_BLUE_DAYS": _int(env, "RISKFLOW_ESCALATION_BLUE_DAYS", 7),
        "ESCALATION_RED_DAYS": _int(env, "RISKFLOW_ESCALATION_RED_DAYS", 30),
        # The day of the month by which last month's indicator values are due; after it, missing ones are listed.
        "INDICATOR_DAY": _int(env, "RISKFLOW_INDICATOR_DAY", 5),
        **{f"SCHEDULE_{job.upper()}": env.get(f"RISKFLOW_SCHEDULE_{job.upper()}") or None
           for job in ("monthly_report", "quarterly_incident_review", "overdue_check", "mail_delivery",
                       "notification_delivery", "notification_digest", "annual_summary")},
        # The 企业微信/钉钉 group robot of company-wide notifications (unset: none).
        "WEBHOOK_URL": env.get("RISKFLOW_WEBHOOK_URL") or None,
        # Where people open riskflow (https://riskflow.example.com): links in mails and group messages are
        # made absolute with it; unset, they are the page's path.
        "BASE_URL": (env.get("RISKFLOW_BASE_URL") or "").rstrip("/") or None,
        "REPORT_LEASE_SECONDS": float(env.get("RISKFLOW_REPORT_LEASE_SECONDS") or 900),
        "REPORT_PAUSE_SECONDS": float(env.get("RISKFLOW_REPORT_PAUSE_SECONDS") or 0),
        # Scheduled monthly reports go out at once, unreviewed (the old behaviour), instead of as drafts.
        "REPORT_AUTO_ISSUE": env.get("RISKFLOW_REPORT_AUTO_ISSUE", "").lower() in ("1", "true", "yes"),
        "IMPORT_PAUSE_SECONDS": float(env.get("RISKFLOW_IMPORT_PAUSE_SECONDS") or 0),
        "FORCE_HTTPS_COOKIES": env.get("RISKFLOW_HTTPS", "").lower() in ("1", "true", "yes"),
    }
    return config


def finalize(config: dict) -> None:
    """Check the settings, create the data folder and fill derived values in place."""
    home = Path(config["HOME"])
    if config["LANGUAGE"] not in LANGUAGES:
        raise ConfigError(
            f"RISKFLOW_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {config['LANGUAGE']!r}"
        )
    try:
        ZoneInfo(config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"RISKFLOW_TIMEZONE {config['TIMEZONE']!r} is not a known time zone")
    if not 0 <= int(config.get("INDICATOR_DAY", 5)) <= 28:
        raise ConfigError(f"RISKFLOW_INDICATOR_DAY must be a day from 0 to 28, not {config['INDICATOR_DAY']!r}")
    for name in ("WEBHOOK_URL", "BASE_URL"):
        if config.get(name) and not values.is_http_url(config[name]):
            raise ConfigError(f"RISKFLOW_{name} must be an http:// or https:// address, not {config[name]!r}")
    if config.get("WORKFLOW_FOLDER") and not Path(config["WORKFLOW_FOLDER"]).is_dir():
        raise ConfigError(f"RISKFLOW_WORKFLOWS {str(config['WORKFLOW_FOLDER'])!r} is not a folder")
    for sub in ("", "reports", "attachments", "outbox"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = load_secret_key(home)
    config.update(
        BABEL_DEFAULT_LOCALE=config["LANGUAGE"],
        BABEL_DEFAULT_TIMEZONE=config["TIMEZONE"],
        BABEL_TRANSLATION_DIRECTORIES=str(resources.translations()),
        # A grading form can stay open all afternoon: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    config.setdefault("PASSWORD_HASH_METHOD", "scrypt")
    config.setdefault("LOGIN_MAX_FAILURES", 5)
    config.setdefault("LOGIN_LOCK_MINUTES", 15)
