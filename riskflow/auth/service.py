"""Units, users, passwords, sign-in throttling and API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .. import history, values
from ..db import utcnow
from ..errors import Conflict, FieldErrors, Forbidden, NotFound
from . import policy
from .models import ROLES, UNIT_KINDS, UNIT_ROLES, ApiToken, Unit, User

MIN_PASSWORD = 8
TOKEN_PREFIX = "rf_"

history.register_entity("unit", lambda session, id_: session.get(Unit, id_))
history.register_entity("user", lambda session, id_: session.get(User, id_))


def unit_by_code(session: Session, code: str) -> Unit | None:
    """The unit with CODE, or None; what is not a unit code at all (a NUL byte, which PostgreSQL refuses in a
    query, odd characters, 5,000 of them) is no unit, without asking the database."""
    if not values.is_unit_code(code):
        return None
    return session.scalar(select(Unit).where(Unit.code == code))


def user_by_name(session: Session, username: str) -> User | None:
    """The user with USERNAME, or None."""
    return session.scalar(select(User).where(User.username == username))


def list_units(session: Session) -> list[Unit]:
    """Every unit, by code."""
    return list(session.scalars(select(Unit).order_by(Unit.code)))


def sales_units(session: Session) -> list[Unit]:
    """The sales units, by code: those that keep risks, grade them and answer warnings (the discipline
    inspection office and the departments do not)."""
    return list(session.scalars(select(Unit).where(Unit.kind == "sales").order_by(Unit.code)))


def create_unit(session: Session, actor, code: str, name: str, kind: str = "sales") -> Unit:
    """Create a unit; a duplicate code is a Conflict, a malformed one Invalid."""
    policy.require(actor, "unit.create")
    name = name.strip() if isinstance(name, str) else ""
    errors = FieldErrors()
    if not values.is_unit_code(code):
        errors.add("code", values.UNIT_CODE_MESSAGE)
    if not name:
        errors.add("name", _l("A name is required."))
    elif len(name) > 200:
        errors.add("name", _l("At most %(n)d characters.", n=200))
    if kind not in UNIT_KINDS:
        errors.add("kind", _l("Unknown unit kind."))
    errors.raise_if_any(_l("The unit was not created."))
    if unit_by_code(session, code) is not None:
        raise Conflict(_l("Unit %(code)s already exists.", code=code), {"code": [_l("Already taken.")]})
    unit = Unit(code=code, name=name, kind=kind)
    session.add(unit)
    session.flush()
    history.record(session, actor, "unit", unit.id, "create", changes={"code": [None, code], "name": [None, name]})
    return unit


UNIT_FIELDS = ("name", "webhook_url")


def update_unit(session: Session, actor, code: str, data: dict) -> Unit:
    """Change a unit's name and its group robot's address (administrators). DATA holds the fields to change;
    an empty or null `webhook_url` removes the robot. A bad value is named at its field and nothing changes;
    the history keeps the address with its key masked."""
    policy.require(actor, "unit.manage")
    unit = require_unit(session, code)
    errors = FieldErrors()
    changes = {}
    if "name" in data:
        name = data["name"].strip() if isinstance(data["name"], str) else ""
        if not name:
            errors.add("name", _l("A name is required."))
        elif len(name) > 200:
            errors.add("name", _l("At most %(n)d characters.", n=200))
        elif name != unit.name:
            changes["name"] = name
    if "webhook_url" in data:
        url = data["webhook_url"]
        url = url.strip() if isinstance(url, str) else url
        if url in (None, ""):
            url = None
        elif not values.is_http_url(url):
            errors.add("webhook_url", values.HTTP_URL_MESSAGE)
        if url != unit.webhook_url:
            changes["webhook_url"] = url
    errors.raise_if_any(_l("The unit was not changed."))
    if changes:
        recorded = {field: [getattr(unit, field), value] for field, value in changes.items()}
        if "webhook_url" in recorded:
            recorded["webhook_url"] = [masked_url(url) for url in recorded["webhook_url"]]
        for field, value in changes.items():
            setattr(unit, field, value)
        session.flush()
        history.record(session, actor, "unit", unit.id, "update", changes=recorded)
    return unit


def masked_url(url: str | None) -> str | None:
    """URL as the history may keep it: scheme, host and path, every query value `***` and no fragment (a
    企业微信 robot's `key`, a 钉钉 robot's `access_token` is the password of the group)."""
    if not url:
        return url
    parts = urlsplit(url)
    query = urlencode([(name, "***") for name, _value in parse_qsl(parts.query, keep_blank_values=True)],
                      safe="*")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, "***" if parts.fragment else ""))


def hash_password(password: str) -> str:
    """A salted hash with the configured KDF (scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _check_new_password(password: str, errors: FieldErrors, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD:
        errors.add(field, _l("At least %(n)d characters.", n=MIN_PASSWORD))


def create_user(
    session: Session,
    actor,
    username: str,
    role: str,
    password: str,
    *,
    unit_code: str | None = None,
    email: str | None = None,
    display_name: str = "",
) -> User:
    """Create a user; a risk officer or unit head needs a unit."""
    policy.require(actor, "user.manage")
    errors = FieldErrors()
    if not values.is_username(username):
        errors.add("username", values.USERNAME_MESSAGE)
    if role not in ROLES:
        errors.add("role", _l("Unknown role %(role)s; one of: %(roles)s.", role=role, roles=", ".join(ROLES)))
    unit = None
    if unit_code:
        unit = unit_by_code(session, unit_code)
        if unit is None:
            errors.add("unit", _l("Unknown unit %(code)s.", code=unit_code))
    elif role in UNIT_ROLES:
        errors.add("unit", _l("A %(role)s must belong to a unit.", role=role))
    if email and not values.is_email(email):
        errors.add("email", _l("Not an email address."))
    _check_new_password(password, errors)
    errors.raise_if_any(_l("The user was not created."))
    if user_by_name(session, username) is not None:
        raise Conflict(_l("User %(name)s already exists.", name=username), {"username": [_l("Already taken.")]})
    user = User(
        username=username,
        display_name=display_name or username,
        email=email or None,
        role=role,
        unit_id=unit.id if unit else None,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    history.record(
        session, actor, "user", user.id, "create",
        changes={"username": [None, username], "role": [None, role], "unit": [None, unit_code]},
    )
    return user


def authenticate(session: Session, username: str, password: str) -> tuple[User | None, str | None]:
    """Check a sign-in; returns (user, None) or (None, reason) with reason 'invalid' or 'locked'.

    Failures are counted on the account in the database, so the lock holds
    across every web process.
    """
    user = user_by_name(session, (username or "").strip())
    if user is None or not user.active:
        # Hash anyway so that an unknown name takes as long as a wrong password.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None, "invalid"
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        return None, "locked"
    if not check_password_hash(user.password_hash, password or ""):
        return None, _count_failure(session, user, now)
    user.failed_logins = 0
    user.locked_until = None
    return user, None


def _count_failure(session: Session, user: User, now) -> str:
    """Count a wrong password in the database and say what to answer: 'invalid', or 'locked' from the
    failure that reaches the limit on.

    One UPDATE adds the failure and returns the new count, so parallel sign-ins each get their own number
    (read, add one, write back let eight parallel guesses all read the same count). A lock that has run
    out starts the count again; a guess that was checked before the lock was set counts past the limit
    and is answered as locked."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    counted = session.execute(
        update(User).where(User.id == user.id)
        .values(failed_logins=case((expired, 1), else_=User.failed_logins + 1),
                locked_until=case((expired, None), else_=User.locked_until))
        .returning(User.failed_logins, User.locked_until).execution_options(synchronize_session=False)).one()
    session.expire(user, ["failed_logins", "locked_until"])
    if counted.locked_until is not None:
        return "locked"
    if counted.failed_logins < current_app.config["LOGIN_MAX_FAILURES"]:
        return "invalid"
    until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    session.execute(update(User).where(User.id == user.id).values(locked_until=until)
                    .execution_options(synchronize_session=False))
    history.record(session, policy.SYSTEM, "user", user.id, "lock")
    return "locked"


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash made with METHOD's KDF and cost, as real passwords are: checking against it costs the same."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _check_current_password(user: User, password: str, errors: FieldErrors, field: str) -> None:
    if not check_password_hash(user.password_hash, password or ""):
        errors.add(field, _l("The current password is wrong."))


def change_password(session: Session, user: User, current: str, new: str) -> list[ApiToken]:
    """Change USER's own password; the user's other sessions end and their API tokens are revoked
    (a token made by whoever knew the old password must not outlive it). Returns the tokens revoked."""
    errors = FieldErrors()
    _check_current_password(user, current, errors, "current_password")
    _check_new_password(new, errors, "new_password")
    errors.raise_if_any(_l("The password was not changed."))
    user.password_hash = hash_password(new)
    user.auth_version += 1
    history.record(session, user, "user", user.id, "change_password")
    return [_revoke(session, user, row) for row in list_tokens(session, user) if row.revoked_at is None]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_NAME_MAX = 100


def create_token(session: Session, actor, user: User, name: str = "") -> str:
    """Issue an API token for USER; only its digest is kept, so it is shown once."""
    if actor.id != user.id:
        policy.require(actor, "user.manage")
    name = (name or "").strip()
    errors = FieldErrors()
    if len(name) > TOKEN_NAME_MAX:
        errors.add("name", _l("At most %(n)d characters.", n=TOKEN_NAME_MAX))
    errors.raise_if_any(_l("No token was created."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, digest=_digest(token), hint=token[:8], name=name)
    session.add(row)
    session.flush()
    history.record(session, actor, "user", user.id, "create_token", changes={"token": [None, row.hint]})
    return token


def create_own_token(session: Session, user: User, password: str, name: str = "") -> str:
    """A token the signed-in USER asks for: their password proves it is them, not a session left open."""
    errors = FieldErrors()
    _check_current_password(user, password, errors, "password")
    errors.raise_if_any(_l("No token was created."))
    return create_token(session, user, user, name)


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a valid, unrevoked token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    # To the minute: writing on every call would make each read a write transaction.
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION:
        row.last_used_at = now
    return row.user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """USER's tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def revoke_token(session: Session, actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens (an admin may revoke anyone's)."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.id and not policy.can(actor, "user.manage")):
        raise NotFound(_l("Not found."))
    return _revoke(session, actor, row) if row.revoked_at is None else row


def _revoke(session: Session, actor, row: ApiToken) -> ApiToken:
    row.revoked_at = utcnow()
    history.record(session, actor, "user", row.user_id, "revoke_token", changes={"token": [row.hint, None]})
    return row


def load_user(session: Session, user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the auth version, so a changed password ends old sessions."""
    try:
        uid, version = (int(part) for part in user_id.split("."))
    except ValueError:
        return None
    user = session.get(User, uid)
    if user is None or not user.active or user.auth_version != version:
        return None
    return user


def require_unit(session: Session, code: str) -> Unit:
    """The unit with CODE, or a NotFound naming it."""
    unit = unit_by_code(session, code)
    if unit is None:
        raise NotFound(_l("Unknown unit %(code)s.", code=code))
    return unit



def list_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def set_report_mail(session: Session, user: User, choice: str) -> User:
    """'default' (by role), 'on' or 'off': whether the monthly report comes by mail (only to those who may read it;
    a unit head: the unit's version)."""
    value = {"default": None, "on": True, "off": False}[choice]
    if value is True and not (policy.can(user, "report.read") or policy.can(user, "report.subscribe_unit")):
        raise Forbidden(_l("Your role does not receive the monthly report."))
    if user.notify_reports != value:
        history.record(session, user, "user", user.id, "report_mail",
                       changes={"notify_reports": [user.notify_reports, value]})
        user.notify_reports = value
    return user
