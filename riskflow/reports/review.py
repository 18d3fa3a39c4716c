"""A monthly report reviewed before it goes out: the risk manager's analysis (风险分析与管理建议), then issuing
(签发), which alone mails it (and the execution-progress report made with it) to the subscribers, once each."""
from __future__ import annotations

import hashlib
import logging
import secrets

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.orm import aliased

from .. import history, mail, periods
from ..auth import policy
from ..auth.models import User
from ..db import session_scope, utcnow
from ..errors import Conflict, FieldErrors, NotFound
from ..notifications import events
from . import service, units
from .models import PROGRESS, Report

log = logging.getLogger(__name__)
MAX_COMMENTARY = 20000
SUBSCRIBER_ROLES = ("admin", "risk_manager", "viewer")


def _ready(session, report_id: int) -> Report:
    row = session.get(Report, report_id)
    if row is None or row.state != "ready":
        raise NotFound(_l("Not found."))
    return row


def comment(app, actor, report_id: int, commentary) -> Report:
    """Store the risk manager's analysis on a draft and rebuild its PDF and Word document with it.

    409 once the report is issued; the files of an issued report are never touched (a rebuild writes new
    files and takes them only while the report is still a draft)."""
    policy.require(actor, "report.issue")
    errors = FieldErrors()
    if not isinstance(commentary, str):
        errors.add("commentary", _l("Write the analysis as text."))
    elif len(commentary) > MAX_COMMENTARY:
        errors.add("commentary", _l("At most %(n)s characters.", n=MAX_COMMENTARY))
    errors.raise_if_any(_l("The analysis was not saved."))
    with session_scope(app) as s:
        row = _ready(s, report_id)
        if row.status == "issued":
            raise Conflict(_l("This report is issued and can no longer change; make a new revision."))
        kind, period, revision, language = row.kind, row.period, row.revision, row.language
        old_pdf, old_docx, before = row.filename, row.docx_filename, row.commentary
        made_on = periods.local_date(row.created_at)
    with session_scope(app) as s:
        data, docx = service.build_pdf(s, kind, period, language, made_on, commentary)
    stem = f"{kind}-{period}-r{revision}-{secrets.token_hex(4)}"
    service.write(f"{stem}.pdf", data)
    service.write(f"{stem}.docx", docx)
    with session_scope(app) as s:
        taken = s.execute(update(Report).where(Report.id == report_id, Report.status == "draft",
                                               Report.filename == old_pdf)
                          .values(commentary=commentary, filename=f"{stem}.pdf", docx_filename=f"{stem}.docx",
                                  size=len(data), sha256=hashlib.sha256(data).hexdigest()))
        if taken.rowcount != 1:
            _remove(f"{stem}.pdf", f"{stem}.docx")
            raise Conflict(_l("This report was issued or changed meanwhile; reload the page."))
        history.record(s, actor, "report", report_id, "update", changes={"commentary": [before, commentary]})
    _remove(old_pdf, old_docx)
    with session_scope(app) as s:
        return _ready(s, report_id)


def _remove(*names) -> None:
    for name in names:
        if name:
            (service.folder() / name).unlink(missing_ok=True)


def issue(app, actor, report_id: int) -> Report:
    """Issue a draft (the newest revision of its kind and period) and mail it to the subscribers; a monthly
    report brings the execution-progress report of its previous month's warnings, mailed on its own.

    Exactly once, whoever asks at the same moment: only the one conditional update that finds the draft wins."""
    policy.require(actor, "report.issue")
    with session_scope(app) as s:
        row = _ready(s, report_id)
        if row.status == "issued":
            raise Conflict(_l("This report is already issued."))
        newer = aliased(Report)
        taken = s.execute(update(Report).where(
            Report.id == report_id, Report.status == "draft",
            ~exists().where(newer.kind == row.kind, newer.period == row.period, newer.revision > row.revision))
            .values(status="issued", issued_at=utcnow(), issued_by_id=actor.id, issued_by_name=actor.label)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            s.rollback()
            row = _ready(s, report_id)
            if row.status == "issued":
                raise Conflict(_l("This report is already issued."))
            raise Conflict(_l("A newer revision of this report exists; issue that one."))
        history.record(s, actor, "report", report_id, "transition", from_state="draft", to_state="issued")
        s.refresh(row)
        queue_mail(app, s, row)
        events.report_issued(s, row, actor)
        kind, period = row.kind, row.period
    if kind == "monthly":
        try:
            made, _built = service.ensure(app, PROGRESS, periods.previous(period), actor)
            with session_scope(app) as s:
                queue_mail(app, s, s.get(Report, made.id))
        except Exception:  # the monthly report is out; the progress report can be made again by hand
            log.exception("report %s: the execution-progress report of %s was not made", report_id, period)
        try:
            units.issue(app, report_id)
        except Exception:  # the monthly report is out; a unit's version is built when it is first asked for
            log.exception("report %s: the unit versions were not made", report_id)
    deliver(app)
    with session_scope(app) as s:
        return _ready(s, report_id)


def subscribers(session) -> list[User]:
    """Who gets the reports: those who opted in, else active admins, risk managers and leaders.

    Only users the policy lets read the report, asked at each sending: a choice made under an earlier role
    does not outlive it."""
    users = session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None)).order_by(User.username))
    return [u for u in users if policy.can(u, "report.read") and (
        u.notify_reports is True or (u.notify_reports is None and u.role in SUBSCRIBER_ROLES))]


def pack_readers(session) -> list[User]:
    """Who gets the quarterly incident review pack: the active risk managers and inspectors (who may read it)."""
    users = session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None),
                                               User.role.in_(("risk_manager", "inspector"))).order_by(User.username))
    return [u for u in users if policy.can(u, "report.read")]


# The kinds issued when made, mailed then (by every door that makes them), and to whom.
MAILED_WHEN_MADE = {"quarterly": pack_readers, "annual": subscribers}


def make(app, kind, period, actor, **options) -> tuple[Report, bool]:
    """Make a report (service.ensure, OPTIONS as there); one issued when made (the quarterly pack, the annual
    summary) is mailed when built, once to each of its readers. Returns (report, built now)."""
    row, built = service.ensure(app, kind, period, actor, **options)
    if built and kind in MAILED_WHEN_MADE:
        with session_scope(app) as s:
            queue_mail(app, s, s.get(Report, row.id), MAILED_WHEN_MADE[kind](s))
        deliver(app)
    return row, built


def queue_mail(app, session, report: Report, users: list[User] | None = None) -> None:
    """The issued REPORT's PDF to USERS (the subscribers unless given), once each (the dedupe key holds across
    processes)."""
    data = (service.folder() / report.filename).read_bytes()
    for user in subscribers(session) if users is None else users:
        with force_locale(user.language or app.config["LANGUAGE"]):
            title = service.report_title(report.kind, report.period)
            body = _("The report %(title)s is attached.\n\nriskflow", title=title)
        mail.queue(session, user.email, str(title), body, [(service.download_name(report), data, "application/pdf")],
                   dedupe_key=f"report:{report.id}:{user.id}")


def announce_draft(app, report: Report) -> None:
    """Tell the risk managers that a draft waits for their review, once each (a notification: by mail at once
    unless they chose otherwise, sent by the delivery job)."""
    with session_scope(app) as s:
        events.report_draft(s, s.get(Report, report.id))


def deliver(app) -> None:
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            mail.deliver_pending(s)
        finally:
            s.close()
