"""Generating and archiving reports exactly once per kind, period and revision, whoever asks."""
from __future__ import annotations

import hashlib
import logging
import os
import time
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import history, periods
from ..auth import policy
from ..db import session_scope, utcnow
from ..errors import Conflict, FieldErrors, NotFound
from ..incidents import pack
from ..notifications import events, kinds
from ..validation import one_of
from ..actions import progress
from . import collect, render, word
from .models import ALL_KINDS, PROGRESS, Report

log = logging.getLogger(__name__)
# kind -> the full-match check of its period
PERIOD_CHECKS = {"monthly": periods.is_period, "quarterly": periods.is_quarter, "annual": periods.is_year,
                 PROGRESS: periods.is_period}
DEFAULT_LEASE = timedelta(minutes=15)
REVIEWED = ("monthly",)  # made as drafts; the others are issued when made
KIND_LABELS = {"monthly": _l("Monthly risk warning report"), "quarterly": _l("Quarterly incident review pack"),
               "annual": _l("Annual summary"), PROGRESS: _l("Execution progress of the warnings")}
PERIOD_MESSAGES = {"monthly": _l("A monthly report needs a month such as 2026-07."),
                   "quarterly": _l("A quarterly pack needs a quarter such as 2026-Q3."),
                   "annual": _l("An annual summary needs a year such as 2026."),
                   PROGRESS: _l("An execution-progress report needs the warnings' month such as 2026-07.")}

history.register_entity("report", lambda s, id_: s.get(Report, id_))


def report_title(kind: str, period: str) -> str:
    """A report's title in the current language, as its first page reads."""
    if kind == "monthly":
        return render.month_title(period)
    if kind == PROGRESS:
        return render.progress_title(period)
    if kind == "quarterly":
        return pack.title(period)
    return render.annual_title(periods.parse_year(period))


def _title_params(params: dict) -> dict:
    """A notification about a report stores its kind and period; the title is written in the reader's language."""
    return {"title": report_title(params["report_kind"], params["period"])}


kinds.READ_PARAMS["report_draft"] = kinds.READ_PARAMS["report_issued"] = _title_params


def check(kind, period) -> None:
    """A kind and a period of that kind, or Invalid naming what is wrong."""
    errors = FieldErrors()
    if kind not in ALL_KINDS:
        errors.add("kind", one_of(KIND_LABELS))
    elif not PERIOD_CHECKS[kind](period):
        errors.add("period", PERIOD_MESSAGES[kind])
    elif _first_day(kind, period) > periods.today():
        errors.add("period", _l("%(period)s has not begun yet.", period=period))
    errors.raise_if_any(_l("The report was not made."))


def _first_day(kind: str, period: str) -> date:
    if kind in ("monthly", PROGRESS):
        year, month = periods.parse(period)
        return date(year, month, 1)
    if kind == "quarterly":
        return periods.quarter_start(period)
    return date(periods.parse_year(period), 1, 1)


def previous_period(kind: str, day: date) -> str:
    """The period a job running on DAY reports on: last month, last quarter or last year."""
    if kind == "monthly":
        return periods.previous(periods.of(day))
    if kind == "quarterly":
        first_of_quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return periods.quarter_of(first_of_quarter - timedelta(days=1))
    return str(day.year - 1)


def latest(session: Session, kind: str, period: str) -> Report | None:
    """The newest finished revision of a report."""
    return session.scalar(select(Report).where(Report.kind == kind, Report.period == period, Report.state == "ready")
                          .order_by(Report.revision.desc()).limit(1))


def build_pdf(session: Session, kind: str, period: str, language: str, today: date, commentary: str = ""
              ) -> tuple[bytes, bytes]:
    """Collect the figures once and render them twice: (the PDF, the Word document)."""
    if kind == "monthly":
        data = collect.monthly(session, period, today)
        return tuple(render.render_monthly(data, language, commentary, document) for document in DOCUMENTS)
    if kind == PROGRESS:
        data = progress.collect(session, policy.SYSTEM, period, today)
        return tuple(render.render_progress(data, language, document) for document in DOCUMENTS)
    if kind == "quarterly":
        data = pack.collect(session, policy.SYSTEM, period)
        return tuple(pack.render(data, language, document) for document in DOCUMENTS)
    data = collect.annual(session, periods.parse_year(period))
    return tuple(render.render_annual(data, language, document) for document in DOCUMENTS)


DOCUMENTS = (render.Pdf, word.Word)  # what build_pdf returns, in order


def folder() -> Path:
    return Path(current_app.config["HOME"]) / "reports"


def _claim(app, kind: str, period: str, revision: int, actor, language: str) -> Report | None:
    """Insert the claim row for a revision; None when another process holds a fresh claim or it is done."""
    lease = timedelta(seconds=app.config.get("REPORT_LEASE_SECONDS", DEFAULT_LEASE.total_seconds()))
    try:
        with session_scope(app) as s:
            # A new revision of a report keeps the analysis written on the one before; only a monthly report
            # waits to be reviewed and issued.
            before = s.scalar(select(Report.commentary).where(Report.kind == kind, Report.period == period)
                              .order_by(Report.revision.desc()).limit(1))
            row = Report(kind=kind, period=period, revision=revision, state="generating", language=language,
                         created_by_id=actor.id, created_by_name=actor.label, claimed_at=utcnow(),
                         status="draft" if kind in REVIEWED else "issued", commentary=before or "")
            if kind not in REVIEWED:
                row.issued_at, row.issued_by_id, row.issued_by_name = utcnow(), actor.id, actor.label
            s.add(row)
            s.flush()
            return row
    except IntegrityError:
        pass
    with session_scope(app) as s:
        row = s.scalar(select(Report).where(Report.kind == kind, Report.period == period, Report.revision == revision))
        if row is None or row.state == "ready":
            return None
        if row.claimed_at > utcnow() - lease:
            return None
        # A generation that died half-way: take its claim over, unless someone else just did.
        taken = s.execute(update(Report).where(Report.id == row.id, Report.claimed_at == row.claimed_at)
                          .values(claimed_at=utcnow(), created_by_id=actor.id, created_by_name=actor.label))
        if taken.rowcount != 1:
            return None
        log.warning("report %s %s r%s: taking over a generation that did not finish", kind, period, revision)
        return row


def ensure(app, kind: str, period: str, actor, *, regenerate: bool = False, language: str | None = None,
           today: date | None = None) -> tuple[Report, bool]:
    """The report of KIND and PERIOD, built now when missing (or as a new revision); (report, built now).

    Raises Conflict when another process is building the same revision right now.
    """
    check(kind, period)
    policy.require(actor, "report.create")
    language = language or app.config["LANGUAGE"]
    with session_scope(app) as s:
        existing = latest(s, kind, period)
        if existing is not None and not regenerate:
            return existing, False
        newest = s.scalar(select(func.max(Report.revision)).where(Report.kind == kind, Report.period == period))
    revision = (newest or 0) + 1 if regenerate else 1
    row = _claim(app, kind, period, revision, actor, language)
    if row is None:
        with session_scope(app) as s:
            done = s.scalar(select(Report).where(Report.kind == kind, Report.period == period,
                                                 Report.revision == revision, Report.state == "ready"))
            if done is not None:
                return done, False
        raise Conflict(_l("This report is being generated right now; try again in a minute."))
    pause = float(app.config.get("REPORT_PAUSE_SECONDS") or 0)
    if pause:
        time.sleep(pause)  # a test hook: lets a test kill the process between claim and file
    return build_claimed(app, row, actor, today=today), True


def build_claimed(app, row: Report, actor=policy.SYSTEM, *, today: date | None = None) -> Report:
    """Build the PDF of a report whose claim ROW this process holds, and mark it ready.

    A build that fails gives its claim up at once, so that the next try need not wait for the lease."""
    kind, period, revision = row.kind, row.period, row.revision
    try:
        with session_scope(app) as s:
            data, docx = build_pdf(s, kind, period, row.language, today or periods.today(), row.commentary or "")
    except BaseException:
        with session_scope(app) as s:
            s.execute(delete(Report).where(Report.id == row.id, Report.state == "generating"))
        raise
    name = f"{kind}-{period}-r{revision}.pdf"
    write(name, data)
    write(Path(name).with_suffix(".docx").name, docx)
    with session_scope(app) as s:
        row = s.get(Report, row.id)
        row.state, row.filename, row.size = "ready", name, len(data)
        row.docx_filename = Path(name).with_suffix(".docx").name
        row.sha256, row.finished_at = hashlib.sha256(data).hexdigest(), utcnow()
        history.record(s, actor, "report", row.id, "create", changes={"kind": [None, kind], "period": [None, period],
                                                                      "revision": [None, revision]})
        # Issued when made (a quarterly pack, an annual summary): its readers are told now. The execution
        # progress goes out with its monthly report, whose issuing they are told of.
        if row.status == "issued" and kind != PROGRESS:
            events.report_issued(s, row, actor)
    return row


def write(name: str, data: bytes) -> None:
    """Put a file into the archive whole: readers see the old file or the new one, never half of one."""
    target = folder() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_suffix(f".{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, target)


def query(actor, kind: str | None = None, period: str | None = None):
    """The finished reports, newest first."""
    policy.require(actor, "report.read")
    stmt = select(Report).where(Report.state == "ready").order_by(Report.created_at.desc(), Report.id.desc())
    if kind:
        stmt = stmt.where(Report.kind == kind)
    if period:
        stmt = stmt.where(Report.period == period)
    return stmt


def file_of(session: Session, actor, report_id: int, form: str = "pdf") -> tuple[Report, Path]:
    """A finished report and its PDF (FORM docx: its Word document)."""
    policy.require(actor, "report.read")
    row = session.get(Report, report_id)
    if row is None or row.state != "ready" or (form == "docx" and not row.docx_filename):
        raise NotFound(_l("Not found."))
    path = folder() / (row.docx_filename if form == "docx" else row.filename)
    if not path.is_file():
        raise NotFound(_l("The file is missing from the archive."))
    return row, path


def report_json(row: Report) -> dict:
    return {"id": row.id, "kind": row.kind, "period": row.period, "revision": row.revision,
            "created_at": row.created_at.isoformat(), "created_by": row.created_by_name, "size": row.size,
            "download_url": f"/api/v1/reports/{row.id}/download",
            "docx_url": f"/api/v1/reports/{row.id}/download?format=docx" if row.docx_filename else None,
            "status": row.status, "commentary": row.commentary or "",
            "issued_at": row.issued_at.isoformat() if row.issued_at else None, "issued_by": row.issued_by_name}


def download_name(row: Report, form: str = "pdf") -> str:
    """The name a downloaded file gets: the same for every rebuild of a draft."""
    return f"{row.kind}-{row.period}-r{row.revision}.{form}"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
