"""APScheduler set-up: fixed job ids, cron times in RISKFLOW_TIMEZONE, catch-up of missed runs at start.

Each process keeps its own in-memory schedule; running a job twice is harmless because every job
claims its slot in the database first (see jobs.claim and the report archive's unique revision).
Among the worker processes of one `riskflow serve`, a file lock keeps the scheduler in exactly one."""
from __future__ import annotations

import fcntl
import logging
import os
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from ..db import utcnow
from ..reports.service import previous_period
from . import jobs

log = logging.getLogger(__name__)
DEFAULT_SCHEDULES = {
    "monthly_report": "0 8 3 * *",
    "quarterly_incident_review": "0 8 5 1,4,7,10 *",
    "overdue_check": "30 7 * * *",
    "mail_delivery": "*/10 * * * *",
    "notification_delivery": "* * * * *",
    "notification_digest": "0 8 * * *",
    "annual_summary": "0 8 10 1 *",
    "supervision_phase_check": "40 7 * * *",
}
LOCK_FILE = "scheduler.lock"  # in RISKFLOW_HOME: the web process that holds it runs the scheduler
# How far back catch-up looks for a missed run (mail delivery simply runs at start).
LOOKBACK = {"monthly_report": timedelta(days=40), "quarterly_incident_review": timedelta(days=100),
            "overdue_check": timedelta(days=2), "notification_digest": timedelta(days=2),
            "annual_summary": timedelta(days=100), "supervision_phase_check": timedelta(days=2)}
_APP = None


def schedules(app) -> dict[str, str]:
    """Each job's crontab line: the default, or RISKFLOW_SCHEDULE_<JOB_ID> from the environment."""
    return {job_id: app.config.get(f"SCHEDULE_{job_id.upper()}") or line for job_id, line in DEFAULT_SCHEDULES.items()}


def triggers(app) -> dict[str, CronTrigger]:
    zone = ZoneInfo(app.config["TIMEZONE"])
    return {job_id: CronTrigger.from_crontab(line, timezone=zone) for job_id, line in schedules(app).items()}


def run(app, job_id: str, at: datetime | None = None) -> str:
    """Run one job now, as if the clock read AT."""
    at = at or utcnow()
    with app.app_context():
        outcome = jobs.JOBS[job_id](app, at)
    log.info("%s", outcome)
    return outcome


def _scheduled(job_id: str) -> None:
    """What APScheduler calls: only an id crosses into the job store."""
    try:
        run(_APP, job_id)
    except Exception:
        log.exception("job %s failed; it runs again at its next time", job_id)


def last_fire(trigger: CronTrigger, now: datetime, lookback: timedelta) -> datetime | None:
    """The latest time TRIGGER fired at or before NOW, within LOOKBACK."""
    last, moment = None, trigger.get_next_fire_time(None, now - lookback)
    while moment is not None and moment <= now:
        last = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return last


def catch_up(app, now: datetime | None = None) -> list[str]:
    """At start: run each job whose last time passed while nothing was running."""
    now = now or utcnow()
    outcomes = []
    for job_id, trigger in triggers(app).items():
        if job_id not in LOOKBACK:
            continue
        fired = last_fire(trigger, now.astimezone(trigger.timezone), LOOKBACK[job_id])
        if fired is None:
            continue
        with app.app_context():
            slot = _slot(app, job_id, fired)
            missed = not jobs.done(app, job_id, slot)
        if missed:
            outcomes.append(run(app, job_id, fired))
    outcomes.append(run(app, "mail_delivery", now))
    return outcomes


def _slot(app, job_id: str, at: datetime) -> str:
    day = jobs.local(app, at).date()
    if job_id == "monthly_report":
        return previous_period("monthly", day)
    if job_id == "quarterly_incident_review":
        return previous_period("quarterly", day)
    if job_id == "annual_summary":
        return previous_period("annual", day)
    return day.isoformat()


def build(app, blocking: bool = False):
    """A scheduler with the jobs registered under their fixed ids."""
    global _APP
    _APP = app
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=ZoneInfo(app.config["TIMEZONE"]))
    for job_id, trigger in triggers(app).items():
        scheduler.add_job(_scheduled, trigger, args=[job_id], id=job_id, replace_existing=True,
                          misfire_grace_time=None, coalesce=True, max_instances=1)
    return scheduler


def start_in_background(app):
    """For `riskflow serve`: the scheduler in this process, catch-up in a thread so serving starts at once."""
    scheduler = build(app)
    scheduler.start()
    threading.Thread(target=lambda: _safe_catch_up(app), name="catch-up", daemon=True).start()
    return scheduler


def start_in_one_process(app) -> None:
    """For each process of `riskflow serve`: the one holding RISKFLOW_HOME/scheduler.lock runs the scheduler.

    The others wait on the lock in a thread: when the process that runs it ends (stopped, killed, replaced
    at a restart), the kernel releases its lock and one waiting process takes over at once."""
    handle = open(Path(app.config["HOME"]) / LOCK_FILE, "a")
    app.extensions["riskflow.scheduler_lock"] = handle  # kept open for the process's life: closing releases the lock

    def wait_then_run():
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.info("scheduler standing by in process %d: another process runs it", os.getpid())
                fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError as exc:  # a file system without locks: every process runs it, the claims keep jobs once
            log.warning("cannot lock %s (%s); the scheduler runs in this process too", handle.name, exc)
        log.info("scheduler running in process %d", os.getpid())
        start_in_background(app)

    threading.Thread(target=wait_then_run, name="scheduler-lock", daemon=True).start()


def _safe_catch_up(app) -> None:
    try:
        for outcome in catch_up(app):
            log.info("catch-up: %s", outcome)
    except Exception:
        log.exception("catch-up failed; the jobs run at their next time")


def next_runs(app, now: datetime | None = None) -> list[tuple[str, datetime]]:
    """Each job's next run time after NOW."""
    now = now or utcnow()
    return [(job_id, trigger.get_next_fire_time(None, now.astimezone(trigger.timezone)))
            for job_id, trigger in triggers(app).items()]
