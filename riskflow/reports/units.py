"""The unit version (本单位版) of an issued monthly report: a sales unit's own part of it, for its head and officers.

Built when the report is issued, from the same figures as the company's report (collect.monthly, then
collect.for_unit, which alone decides what a unit reads), and kept in the archive beside it as
`units/<kind>-<period>-r<revision>-<unit code>.pdf` (and .docx): the issued report's snapshot, named by the
report and the unit, so no row of its own is needed. A report issued before unit versions existed (or a unit
added since) gets its version built on the first request. A draft has none: only an issued report is read.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import mail, periods
from ..auth import policy
from ..auth.models import Unit, User
from ..auth.service import unit_by_code
from ..db import session_scope
from ..errors import NotFound
from ..register.models import Risk
from . import collect, render, service, word
from .models import Report

log = logging.getLogger(__name__)
KIND = "monthly"  # only the monthly report has a unit version


@dataclass(frozen=True)
class UnitItem:
    """What the policy reads when someone asks for a unit's version: an item of that unit."""

    unit_id: int


def issued(session: Session, report_id: int) -> Report:
    """The issued monthly report REPORT_ID, or NotFound (a draft's content is never shown in a unit version)."""
    row = session.get(Report, report_id)
    if row is None or row.state != "ready" or row.kind != KIND or row.status != "issued":
        raise NotFound(_l("Not found."))
    return row


def unit_for(session: Session, actor, code) -> Unit:
    """The unit with CODE whose version ACTOR may read: a unit's roles only their own (another is NotFound)."""
    policy.require(actor, "report.read_unit")
    unit = unit_by_code(session, code) if isinstance(code, str) else None
    if unit is None:
        raise NotFound(_l("Not found."))
    policy.require(actor, "report.read_unit", UnitItem(unit.id))
    return unit


def units_for(session: Session, actor) -> list[Unit]:
    """The units whose versions ACTOR may read: their own unit, or (the company's roles) every unit with risks."""
    policy.require(actor, "report.read_unit")
    scope = policy.scope_unit_id(actor)
    stmt = select(Unit).where(Unit.id.in_(select(Risk.unit_id).distinct())).order_by(Unit.code)
    if scope is not None:
        stmt = select(Unit).where(Unit.id == scope)
    return list(session.scalars(stmt))


def query(actor):
    """The issued monthly reports, newest month first: for each month its newest issued revision."""
    policy.require(actor, "report.read_unit")
    newest = (select(Report.period, func.max(Report.revision).label("revision"))
              .where(Report.kind == KIND, Report.state == "ready", Report.status == "issued")
              .group_by(Report.period).subquery())
    return (select(Report).join(newest, (Report.period == newest.c.period) & (Report.revision == newest.c.revision))
            .where(Report.kind == KIND).order_by(Report.period.desc()))


def file_name(report: Report, unit: Unit, form: str = "pdf") -> str:
    """The unit version's name in the archive and when downloaded."""
    return f"{report.kind}-{report.period}-r{report.revision}-{unit.code}.{form}"


def path_of(report: Report, unit: Unit, form: str = "pdf") -> Path:
    return service.folder() / "units" / file_name(report, unit, form)


def file_of(app, session: Session, actor, report_id: int, code, form: str = "pdf") -> tuple[str, Path]:
    """The unit version of an issued report as (download name, path), built now when it is not archived yet."""
    unit = unit_for(session, actor, code)
    report = issued(session, report_id)
    path = path_of(report, unit, form)
    if not path.is_file():
        build(app, report.id, [unit.id])
    return file_name(report, unit, form), path


def build(app, report_id: int, unit_ids: list[int] | None = None) -> None:
    """Write the unit versions of the issued report REPORT_ID (UNIT_IDS, or every unit with risks): the company's
    figures collected once, then each unit's part of them rendered as a PDF and a Word document."""
    with session_scope(app) as s:
        report = issued(s, report_id)
        units = [s.get(Unit, unit_id) for unit_id in unit_ids] if unit_ids is not None else units_for(s, policy.SYSTEM)
        data = collect.monthly(s, report.period, periods.local_date(report.created_at))
        for unit in units:
            part = collect.for_unit(data, unit)
            # The risk manager's analysis speaks of the whole company (other units by name): not in a unit's part.
            for document, form in ((render.Pdf, "pdf"), (word.Word, "docx")):
                target = path_of(report, unit, form)
                service.write(f"units/{target.name}", render.render_monthly(part, report.language, "", document))


def subscribers(session: Session, unit_id: int | None = None) -> list[User]:
    """The unit heads who asked for their unit's version by mail (the profile's report-mail setting), each
    asked again at sending whether the policy lets them."""
    stmt = select(User).where(User.active.is_(True), User.email.is_not(None), User.notify_reports.is_(True),
                              User.unit_id.is_not(None)).order_by(User.username)
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    return [u for u in session.scalars(stmt) if policy.can(u, "report.subscribe_unit")
            and policy.can(u, "report.read_unit", UnitItem(u.unit_id))]


def queue_mail(app, session: Session, report: Report) -> int:
    """Each subscribing unit head's own unit version of the issued REPORT, once each; returns how many."""
    queued = 0
    for user in subscribers(session):
        unit = session.get(Unit, user.unit_id)
        path = path_of(report, unit)
        if not path.is_file():
            log.warning("report %s: no unit version for %s; %s gets none", report.id, unit.code, user.username)
            continue
        with force_locale(user.language or app.config["LANGUAGE"]):
            title = render.month_title(report.period)
            subject = _("%(title)s: the version of %(unit)s", title=title, unit=unit.name)
            body = _("The version of %(unit)s of the report %(title)s is attached: its own risks, warnings, "
                     "completion and indicators, the company's figures as totals.\n\nriskflow",
                     unit=unit.name, title=title)
        mail.queue(session, user.email, subject, body,
                   [(file_name(report, unit), path.read_bytes(), "application/pdf")],
                   dedupe_key=f"unit-report:{report.id}:{user.id}")
        queued += 1
    return queued


def issue(app, report_id: int) -> None:
    """What issuing a monthly report does for the units: their versions built, the subscribers' mails queued."""
    build(app, report_id)
    with session_scope(app) as s:
        queue_mail(app, s, s.get(Report, report_id))
