"""Sign-in sessions, CSRF, cookies, security headers and error pages."""
from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .auth import service as auth_service
from .db import get_session
from .errors import RiskflowError

log = logging.getLogger(__name__)
csrf = CSRFProtect()
login_manager = LoginManager()

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Sign in first."),
    403: _l("Your role may not do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("Conflict."),
    413: _l("The upload is too large."),
    422: _l("Invalid input."),
    500: _l("Something went wrong on our side; it has been logged."),
}


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return app.config["FORCE_HTTPS_COOKIES"] or (bool(request) and request.is_secure)


def is_api_request() -> bool:
    """True for the JSON API, whose errors are JSON."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def set_security_headers(response):
    """Headers every response carries."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def error_response(status: int, message, errors: dict | None = None):
    """An error in the contract's JSON shape for the API, as a page otherwise."""
    if is_api_request():
        body = {"error": str(message)}
        if errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in errors.items()}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_riskflow_error(exc: RiskflowError):
    return error_response(exc.status, exc.message, exc.errors)


def handle_http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    return error_response(exc.code, HTTP_MESSAGES.get(exc.code, exc.description))


def handle_csrf_error(exc: CSRFError):
    return error_response(400, _l("The form expired or was not sent from this site; reload the page and try again."))


def handle_stale(exc: Exception):
    """Two writers at the same moment: the loser is told to reload, whatever the database."""
    get_session().rollback()
    return error_response(409, _l("Someone else changed this at the same moment; reload it and try again."))


def handle_operational(exc: OperationalError):
    # SQLite refuses a writer whose snapshot another writer has just changed: the same conflict.
    if "locked" in str(exc.orig) or "busy" in str(exc.orig):
        return handle_stale(exc)
    return handle_unexpected(exc)


def handle_out_of_range(exc: Exception):
    """An id or number beyond what the database column holds: no such row can exist."""
    get_session().rollback()
    return error_response(404, HTTP_MESSAGES[404])


def handle_data_error(exc: DataError):
    get_session().rollback()
    if "out of range" in str(exc.orig):
        return error_response(404, HTTP_MESSAGES[404])
    log.warning("value refused by the database on %s %s: %s", request.method, request.path, exc.orig)
    return error_response(422, _l("A value is too long or out of range."))


def handle_unexpected(exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, HTTP_MESSAGES[500])


def init_app(app) -> None:
    """Install sign-in, CSRF, the cookie policy, headers and error handlers."""
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.user_loader(lambda user_id: auth_service.load_user(get_session(), user_id))
    app.after_request(set_security_headers)
    app.register_error_handler(RiskflowError, handle_riskflow_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(StaleDataError, handle_stale)
    app.register_error_handler(OperationalError, handle_operational)
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
