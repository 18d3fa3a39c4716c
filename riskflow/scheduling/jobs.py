"""The contract's jobs. Each takes the moment it runs for (`at`), so catch-up and tests are deterministic;
each is safe to run in several processes at once."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .. import mail
from ..actions import reminders as action_reminders
from ..auth import policy
from ..db import Base, UTCDateTime, session_scope, utcnow
from ..errors import Conflict
from ..notifications import delivery as notifications
from ..notifications import reminders as time_driven
from ..reports import review
from ..reports import service as reports
from ..supervision import escalation
from ..supervision import plan as supervision_plan
from ..supervision.labels import ESCALATION_LABELS

log = logging.getLogger(__name__)


class JobRun(Base):
    """One run of a job for one slot (a day or a period): the claim that makes a job run once."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(40))
    slot: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default="running")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def local(app, at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(app.config["TIMEZONE"]))


def claim(app, job_id: str, slot: str) -> int | None:
    """Claim JOB_ID's SLOT; None when it is done, or running elsewhere and not stale."""
    lease = timedelta(seconds=app.config.get("REPORT_LEASE_SECONDS", 900))
    try:
        with session_scope(app) as s:
            run = JobRun(job_id=job_id, slot=slot)
            s.add(run)
            s.flush()
            return run.id
    except IntegrityError:
        pass
    with session_scope(app) as s:
        run = s.scalar(select(JobRun).where(JobRun.job_id == job_id, JobRun.slot == slot))
        if run.state == "done" or run.claimed_at > utcnow() - lease:
            return None
        taken = s.execute(update(JobRun).where(JobRun.id == run.id, JobRun.claimed_at == run.claimed_at)
                          .values(claimed_at=utcnow()))
        return run.id if taken.rowcount == 1 else None


def finish(app, run_id: int) -> None:
    with session_scope(app) as s:
        run = s.get(JobRun, run_id)
        run.state, run.finished_at = "done", utcnow()


def release(app, run_id: int) -> None:
    """Give a claimed slot up unfinished: the next run (or catch-up at the next start) takes it."""
    with session_scope(app) as s:
        s.execute(delete(JobRun).where(JobRun.id == run_id, JobRun.state == "running"))


def done(app, job_id: str, slot: str) -> bool:
    with session_scope(app) as s:
        return s.scalar(select(JobRun.id).where(JobRun.job_id == job_id, JobRun.slot == slot,
                                                JobRun.state == "done")) is not None


def _report_job(app, job_id: str, kind: str, at: datetime) -> str:
    period = reports.previous_period(kind, local(app, at).date())
    run_id = claim(app, job_id, period)
    if run_id is None:
        return f"{job_id} {period}: already done or running elsewhere"
    try:
        found = _report_when_ready(app, kind, period, local(app, at).date())
        if found is None:
            release(app, run_id)
            return f"{job_id} {period}: being generated elsewhere; left to the next run"
        report, built = found
        if report.status == "draft" and app.config.get("REPORT_AUTO_ISSUE"):
            try:
                report = review.issue(app, policy.SYSTEM, report.id)
            except Conflict:
                pass  # issued meanwhile (another scheduler, the risk manager): mailed by whoever issued it
        elif report.status == "draft":
            review.announce_draft(app, report)
    except BaseException:
        release(app, run_id)  # a failed run must not keep its slot until the lease runs out
        raise
    finish(app, run_id)
    deliver(app)
    return f"{job_id} {period}: report r{report.revision} {'built' if built else 'already there'}"


def _report_when_ready(app, kind: str, period: str, today):
    """(report, built here) once the report exists, waiting for a build that runs elsewhere (the risk
    manager's button, a command); None if it is still unfinished after REPORT_WAIT_SECONDS.

    The wait defaults to the lease and a minute: a builder that died leaves a claim that `ensure` takes
    over once the lease has run out, and builds here."""
    lease = float(app.config.get("REPORT_LEASE_SECONDS", 900))
    wait = app.config.get("REPORT_WAIT_SECONDS")
    deadline = time.monotonic() + (lease + 60 if wait is None else float(wait))
    while True:
        try:
            return review.make(app, kind, period, policy.SYSTEM, today=today)
        except Conflict:
            if time.monotonic() >= deadline:
                return None
        time.sleep(float(app.config.get("REPORT_POLL_SECONDS", 2)))


def monthly_report(app, at: datetime) -> str:
    """Day 3 of each month: last month's risk warning report, a draft the risk managers are told of (or, with
    REPORT_AUTO_ISSUE, issued and mailed to subscribers at once)."""
    return _report_job(app, "monthly_report", "monthly", at)


def quarterly_incident_review(app, at: datetime) -> str:
    """Day 5 of Jan, Apr, Jul, Oct: last quarter's incident review pack."""
    return _report_job(app, "quarterly_incident_review", "quarterly", at)


def annual_summary(app, at: datetime) -> str:
    """January: last year's annual summary, mailed to the report's subscribers when made."""
    return _report_job(app, "annual_summary", "annual", at)


def overdue_check(app, at: datetime) -> str:
    """Every day: colour the open rectifications and actions and remind the people of each colour (an action's
    colour and a round about to close are notifications, mailed by notification_delivery or the digest)."""
    day = local(app, at).date()
    run_id = claim(app, "overdue_check", day.isoformat())
    if run_id is None:
        return f"overdue_check {day}: already done or running elsewhere"
    with session_scope(app) as s:
        reminders = escalation.escalate(s, day)
        for reminder in reminders:
            rec = reminder.recommendation
            for user in reminder.recipients:
                if not user.email:
                    continue
                with force_locale(user.language or app.config["LANGUAGE"]):
                    subject = _("%(colour)s: rectification %(no)s is due %(date)s", colour=ESCALATION_LABELS[reminder.colour],
                                no=rec.letter_no, date=rec.due_date.isoformat())
                    body = _("%(unit)s must rectify: %(text)s\nDue: %(date)s.\n\nriskflow", unit=rec.responsible_unit.name,
                             text=rec.recommendation, date=rec.due_date.isoformat())
                mail.queue(s, user.email, subject, body,
                           dedupe_key=f"reminder:{rec.id}:{reminder.colour}:{day.isoformat()}:{user.id}")
        on_actions = action_reminders.escalate(s, day)
        for reminder in on_actions:
            time_driven.action_colour(s, reminder.action, reminder.colour, day, at)
        rounds_due = time_driven.rounds_due(s, day, at)
    finish(app, run_id)
    deliver(app)
    return f"overdue_check {day}: {len(reminders) + len(on_actions) + rounds_due} reminders"


def supervision_phase_check(app, at: datetime) -> str:
    """Every day: announce each phase of the supervision plan that has started and was not announced yet (a
    start missed while nothing ran is announced at the next run within the phase, once)."""
    day = local(app, at).date()
    run_id = claim(app, "supervision_phase_check", day.isoformat())
    if run_id is None:
        return f"supervision_phase_check {day}: already done or running elsewhere"
    try:
        with session_scope(app) as s:
            announced = supervision_plan.announce_phases(s, day, lambda year, phase: _first_time(
                s, "supervision_phase", f"{year}:{phase}"), now=at)
    except BaseException:
        release(app, run_id)
        raise
    finish(app, run_id)
    deliver(app)
    return f"supervision_phase_check {day}: {', '.join(announced) or 'no phase starts'}"


def _first_time(session, job_id: str, slot: str) -> bool:
    """Record JOB_ID's SLOT as done in SESSION's transaction (with what it did): True the first time only."""
    try:
        with session.begin_nested():
            session.add(JobRun(job_id=job_id, slot=slot, state="done", finished_at=utcnow()))
        return True
    except IntegrityError:
        return False


def mail_delivery(app, at: datetime) -> str:
    """Every few minutes: retry the messages that could not be delivered yet."""
    sent, failed = deliver(app, at)
    return f"mail_delivery: {sent} delivered, {failed} still queued"


def notification_delivery(app, at: datetime) -> str:
    """Every minute: notifications to be mailed at once go to the outbox; the outbox and the group robots'
    messages are sent (each claimed first, so once however many processes run)."""
    done_ = _in_session(app, lambda s: notifications.run(s, at))
    return ("notification_delivery: {queued} mails queued, {mailed} delivered, {mail_failed} still queued; "
            "{posted} group messages posted, {post_failed} failed").format(**done_)


def notification_digest(app, at: datetime) -> str:
    """Every day at 08:00: one mail to each user with the digest notifications of the day before."""
    today = local(app, at).replace(hour=0, minute=0, second=0, microsecond=0)
    run_id = claim(app, "notification_digest", today.date().isoformat())
    if run_id is None:
        return f"notification_digest {today.date()}: already done or running elsewhere"
    try:
        mails = _in_session(app, lambda s: notifications.queue_digests(s, today))
    except BaseException:
        release(app, run_id)
        raise
    finish(app, run_id)
    deliver(app)
    return f"notification_digest {today.date()}: {mails} digests"


def deliver(app, at: datetime | None = None) -> tuple[int, int]:
    return _in_session(app, lambda s: mail.deliver_pending(s, at))


def _in_session(app, work):
    """WORK(session) in a session of its own, which commits as it goes (the deliveries claim row by row)."""
    with app.app_context():
        s = app.extensions["riskflow.sessionmaker"]()
        try:
            return work(s)
        finally:
            s.close()


JOBS = {
    "monthly_report": monthly_report,
    "quarterly_incident_review": quarterly_incident_review,
    "overdue_check": overdue_check,
    "mail_delivery": mail_delivery,
    "notification_delivery": notification_delivery,
    "notification_digest": notification_digest,
    "annual_summary": annual_summary,
    "supervision_phase_check": supervision_phase_check,
}
