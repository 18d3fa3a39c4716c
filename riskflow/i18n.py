"""Languages: Chinese by default, English on request; `?lang=` switches and is remembered."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

from .config import LANGUAGES
from .db import get_session


def select_locale() -> Locale:
    """The request's language: the remembered choice, then the user's, then the default."""
    return _locale(_chosen_language())


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    # Parsed once: babel's parse looks the name up among its locale files on every call.
    return Locale.parse(code)


def _chosen_language() -> str:
    if has_request_context():
        chosen = session.get("lang")
        if chosen in LANGUAGES:
            return chosen
        user = current_user
        if getattr(user, "is_authenticated", False) and user.language in LANGUAGES:
            return user.language
    return current_app.config["LANGUAGE"]


def remember_language() -> None:
    """Before each request: keep a `?lang=` choice in the session and on the signed-in user."""
    chosen = request.args.get("lang")
    if chosen not in LANGUAGES:
        return
    session["lang"] = chosen
    user = current_user
    if getattr(user, "is_authenticated", False) and user.language != chosen:
        user.language = chosen
        get_session().commit()


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An aware datetime shown in the configured zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime(fmt)


def current_language() -> str:
    """The current language as the contract names it: zh_CN or en."""
    return "zh_CN" if get_locale().language == "zh" else "en"


def html_lang() -> str:
    """The BCP 47 tag of the current language, for <html lang>."""
    return "zh-CN" if current_language() == "zh_CN" else "en"


def init_app(app) -> None:
    """Install Babel, the `?lang=` switch and the template helpers."""
    Babel(app, locale_selector=select_locale)
    app.before_request(remember_language)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
