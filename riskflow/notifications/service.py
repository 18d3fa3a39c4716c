"""One door for telling people: `notify` stores one inbox line per recipient (and what their mail and their
unit's group robot should get) in the transaction of the change it is about. Nothing is sent here: the
delivery job sends what was queued, so a request never waits on a mail server or a robot.

Recipients are people chosen by a rule (recipients.py); each is kept only if the policy lets them read the
item, so nobody is told about another unit's item, whoever the caller named."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..auth import policy
from ..auth.models import Unit, User
from ..db import utcnow
from ..errors import FieldErrors, NotFound
from ..validation import one_of
from . import kinds
from .models import Notification, NotificationSetting, WebhookDelivery


def _insert(session: Session, model):
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect: a notification raised twice is stored once.
    Rows with and without a unit (or a dedupe key) go in the same statement."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # The table's INSERT (not the ORM's bulk one): thousands of rows at once, nothing to load back.
    return insert(model.__table__).on_conflict_do_nothing()


@dataclass
class Event:
    """One item's event for notify_many: who is told (users chosen by a rule), about ITEM (None: company-wide),
    and the inbox line's entity, title parameters, link and dedupe key, as notify takes them."""

    recipients: list
    item: object = None
    entity: str = ""
    entity_id: int | None = None
    params: dict | None = None
    link: str = ""
    dedupe: str | None = None


def notify(session: Session, kind: str, recipients, item=None, *, entity: str, entity_id: int | None = None,
           params: dict | None = None, link: str = "", dedupe: str | None = None,
           read_action: str | None = None, now: datetime | None = None) -> int:
    """Tell RECIPIENTS (users) that KIND happened to ITEM (the object the policy reads, or None for a
    company-wide event), in the session's transaction. Returns how many were told.

    ENTITY/ENTITY_ID name the item for the inbox; PARAMS fill the kind's title; LINK is the page's path.
    With DEDUPE (e.g. "action_due:12:2026-11-30"), the event is stored once per recipient however often it is
    raised, and posted to a group once. READ_ACTION, when given, must also be allowed to the recipient's role
    (a report goes only to who may read reports). Inactive users and users the item is out of scope for are
    left out. The inbox lines are one statement whatever the number of recipients. NOW is when it happened
    (a job's moment; default the clock): the daily digest takes what happened the day before."""
    return notify_many(session, kind, [Event(recipients, item, entity, entity_id, params, link, dedupe)],
                       read_action=read_action, now=now)


def notify_many(session: Session, kind: str, events: list[Event], *, read_action: str | None = None,
                now: datetime | None = None) -> int:
    """Tell of several items' KIND at once (a month's warnings): what notify does for each event, in a bounded
    number of statements whatever the number of events and people (one settings query, one INSERT of every
    inbox line, one units query and one INSERT of every group message). Returns how many lines were stored."""
    if kind not in kinds.KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    now = now or utcnow()
    told: list[tuple[User, Event, int | None, dict]] = []
    messages: list[tuple[set | None, dict, str, str | None]] = []
    for event in events:
        item = event.item
        units = policy.units_of(item) if item is not None else None
        params = {key: _plain(value) for key, value in (event.params or {}).items()}
        unit_id = next(iter(units)) if units and len(units) == 1 else None
        for user in _readers(event.recipients, units, read_action):
            told.append((user, event, unit_id, params))
        messages.append((units, params, event.link, event.dedupe))
    if told:
        chosen = dict(session.execute(select(NotificationSetting.user_id, NotificationSetting.channel).where(
            NotificationSetting.user_id.in_({user.id for user, *_ in told}), NotificationSetting.kind == kind)).all())
        rows = []
        for user, event, unit_id, params in told:
            channel = chosen.get(user.id) or kinds.default_channel(user.role, kind)
            entity_id = event.entity_id if event.entity_id is not None else getattr(event.item, "id", None)
            rows.append({"user_id": user.id, "kind": kind, "entity": event.entity, "entity_id": entity_id,
                         "unit_id": unit_id, "params": params, "link": event.link, "channel": channel,
                         "mail_state": {kinds.MAIL: "pending", kinds.DIGEST: "digest"}.get(channel),
                         "dedupe_key": f"{event.dedupe}:{user.id}" if event.dedupe else None, "created_at": now,
                         "read_at": None})
        session.execute(_insert(session, Notification), rows)
    _queue_webhooks(session, kind, messages, now)
    return len(told)


def _readers(recipients, units: set | None, read_action: str | None) -> list[User]:
    """RECIPIENTS without the inactive, the repeated and those the policy does not let read an item of UNITS
    (policy.units_of the item; None: company-wide)."""
    people: dict[int, User] = {}
    for user in recipients:
        if user is None or not user.active or user.id in people:
            continue
        if not policy.reads_units(user, units):
            continue
        if read_action is not None and not policy.role_allows(user, read_action):
            continue
        people[user.id] = user
    return list(people.values())


def _plain(value):
    """A title parameter as stored: text or a number (a date as YYYY-MM-DD, anything else as its text)."""
    if value is None or isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# A group robot takes about 20 messages a minute and 2,048 bytes a text (企业微信): several events of one kind
# raised together (a month's warnings) go to each group as one message listing at most this many.
GROUP_LINES = 10


def _queue_webhooks(session: Session, kind: str, messages: list, now: datetime) -> None:
    """The group message of the events (MESSAGES: each one's units, params, link, dedupe): to each of the item's
    units that has a robot, or, for a company-wide event, to RISKFLOW_WEBHOOK_URL. Written in the company's
    language (a group has many readers). Events raised together without a dedupe key reach each group as one
    message (`_group_text`); one query for the units' robots, one INSERT, however many events. A kind meant for
    its recipients alone (kinds.NOT_FOR_GROUPS) is never posted."""
    if kind in kinds.NOT_FOR_GROUPS:
        return
    wanted = set().union(*(units for units, *_ in messages if units))
    robots = dict(session.execute(select(Unit.id, Unit.webhook_url).where(
        Unit.id.in_(wanted), Unit.webhook_url.is_not(None), Unit.webhook_url != "")).all()) if wanted else {}
    company_url = current_app.config.get("WEBHOOK_URL")
    single: list[tuple] = []
    together: dict[tuple, list[tuple[dict, str]]] = {}
    for units, params, link, dedupe in messages:
        targets = [(None, company_url)] if units is None else [(u, robots.get(u)) for u in sorted(units, key=str)]
        for unit_id, url in targets:
            if not url:
                continue
            if dedupe:
                single.append((unit_id, url, params, link, f"{dedupe}:unit:{unit_id or '-'}"))
            else:
                together.setdefault((unit_id, url), []).append((params, link))
    rows = []
    with force_locale(current_app.config["LANGUAGE"]):
        titled = kinds.titler(kind)
        contents = [(unit_id, url, message_text(kind, params, link, titled), key)
                    for unit_id, url, params, link, key in single]
        for (unit_id, url), events in together.items():
            text = (message_text(kind, events[0][0], events[0][1], titled) if len(events) == 1
                    else _group_text(kind, events, titled))
            contents.append((unit_id, url, text, None))
    for unit_id, url, content, key in contents:
        rows.append({"unit_id": unit_id, "url": url, "kind": kind, "content": content, "state": "queued",
                     "attempts": 0, "last_error": "", "next_attempt_at": now, "created_at": now,
                     "dedupe_key": key})
    if rows:
        session.execute(_insert(session, WebhookDelivery), rows)


def _group_text(kind: str, events: list[tuple[dict, str]], titled) -> str:
    """One group message for several events of KIND: the kind and their number, the first GROUP_LINES titles,
    how many more, and the page when they share one (a month's warnings of a unit: its warnings page)."""
    lines = [f"[riskflow] {_('%(kind)s (%(num)s)', kind=kinds.label(kind), num=len(events))}"]
    lines += [f"- {titled(params)}" for params, _link in events[:GROUP_LINES]]
    if len(events) > GROUP_LINES:
        more = len(events) - GROUP_LINES
        lines.append(ngettext("… and %(num)s more", "… and %(num)s more", more))
    pages = {link.split("#")[0] for _params, link in events}  # each warning's own row: the same page
    if len(pages) == 1 and next(iter(pages)):
        lines.append(absolute(next(iter(pages))))
    return "\n".join(lines)


def absolute(link: str) -> str:
    """LINK made absolute with RISKFLOW_BASE_URL when set."""
    base = current_app.config.get("BASE_URL")
    return f"{base}{link}" if base and link.startswith("/") else link


def message_text(kind: str, params: dict, link: str, titled=None) -> str:
    """The text of a mail or group message: the title and where to open it, in the current language (TITLED:
    kinds.titler(kind), when many are written)."""
    text = f"[riskflow] {(titled or kinds.titler(kind))(params)}"
    return f"{text}\n{absolute(link)}" if link else text


def title(row: Notification) -> str:
    return kinds.title(row.kind, row.params)


# The inbox.

def query(user, unread: bool = False):
    """The statement of USER's notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.id.desc())


def unread_count(session: Session, user) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(session: Session, user, notification_id) -> Notification:
    """Mark one of USER's notifications read (another user's is not found)."""
    row = session.get(Notification, notification_id) if isinstance(notification_id, int) else None
    if row is None or row.user_id != user.id:
        raise NotFound(_l("Not found."))
    if row.read_at is None:
        row.read_at = utcnow()
    return row


def mark_all_read(session: Session, user) -> int:
    """Mark all of USER's unread notifications read; returns how many."""
    result = session.execute(update(Notification).where(Notification.user_id == user.id,
                                                        Notification.read_at.is_(None))
                             .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


# Preferences.

def channels_of(session: Session, user) -> dict[str, str]:
    """USER's channel for every kind: their own choice, else the role's default."""
    chosen = dict(session.execute(select(NotificationSetting.kind, NotificationSetting.channel)
                                  .where(NotificationSetting.user_id == user.id)).all())
    return {kind: chosen.get(kind) or kinds.default_channel(user.role, kind) for kind in kinds.KINDS}


def set_channels(session: Session, user, choices: dict) -> dict[str, str]:
    """Store USER's CHOICES ({kind: channel}); all or nothing, a wrong kind or channel is named."""
    errors = FieldErrors()
    if not isinstance(choices, dict):
        errors.add("channels", _l("Give a channel for each kind."))
        errors.raise_if_any(_l("Nothing was saved."))
    for kind, channel in choices.items():
        if kind not in kinds.KINDS:
            errors.add(str(kind), _l("Unknown kind of notification."))
        elif channel not in kinds.CHANNELS:
            errors.add(kind, one_of(kinds.CHANNEL_LABELS))
    errors.raise_if_any(_l("Nothing was saved."))
    stored = {row.kind: row for row in session.scalars(select(NotificationSetting).where(
        NotificationSetting.user_id == user.id))}
    for kind, channel in choices.items():
        if kind in stored:
            stored[kind].channel = channel
        else:
            session.add(NotificationSetting(user_id=user.id, kind=kind, channel=channel))
    session.flush()
    return channels_of(session, user)
