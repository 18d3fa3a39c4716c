"""Imports from the upload page, run in a background thread.

The outcome goes to the job's row; so does the progress on PostgreSQL, and to a file on SQLite."""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..auth import policy
from ..auth.models import User
from ..db import session_scope, utcnow
from ..errors import FieldErrors, NotFound, RiskflowError
from ..history import ChangeRecord
from ..validation import one_of
from . import transfer
from .labels import IMPORT_KIND_LABELS
from .models import ImportJob, Risk

log = logging.getLogger(__name__)
KINDS = ("risks", "assessments")

# job id -> (done, total) while a job runs in this process. The counts also go, about once a second, where
# every web process can read them: on PostgreSQL to the job's row, in transactions of their own; on SQLite
# to RISKFLOW_HOME/imports/ID.progress, since a write by another connection would wait on the import's
# own open write transaction (a grades import writes as it goes) and the import would wait on it.
PROGRESS: dict[int, tuple[int, int]] = {}
PROGRESS_INTERVAL = 1.0  # seconds between progress writes


def start(session: Session, actor, kind: str, filename: str, period: str | None) -> ImportJob:
    """Check the request, record the job and start it; the caller commits before it runs."""
    errors = FieldErrors()
    if kind not in KINDS:
        errors.add("kind", one_of(IMPORT_KIND_LABELS))
    elif kind == "risks":
        policy.require(actor, "risk.write")
    else:
        policy.require(actor, "assessment.write")
    if not filename.lower().endswith((".xlsx", ".csv")):
        errors.add("file", _l("Upload an .xlsx or .csv file."))
    if kind == "assessments":
        transfer.assessments.check_period(period, errors)
    errors.raise_if_any(_l("Nothing was imported."))
    job = ImportJob(kind=kind, period=period or None, filename=filename[:255], created_by_id=actor.id)
    session.add(job)
    session.flush()
    return job


def launch(app, job_id: int, data: bytes, language: str) -> threading.Thread:
    """Run the job in a thread of its own, after the request that created it has committed."""
    thread = threading.Thread(target=run, args=(app, job_id, data, language), daemon=True,
                              name=f"import-{job_id}")
    thread.start()
    return thread


def _progress_file(home, job_id: int) -> Path:
    return Path(home) / "imports" / f"{job_id}.progress"


def _progress(app, job_id: int):
    to_database = app.extensions["riskflow.engine"].dialect.name != "sqlite"
    path = _progress_file(app.config["HOME"], job_id)
    last = [0.0]

    def report(done: int, total: int) -> None:
        PROGRESS[job_id] = (done, total)
        if time.monotonic() - last[0] >= PROGRESS_INTERVAL or done == total:
            last[0] = time.monotonic()
            if to_database:
                with session_scope(app) as s:
                    s.execute(update(ImportJob).where(ImportJob.id == job_id).values(done=done, total=total))
            else:
                path.parent.mkdir(exist_ok=True)
                part = path.with_suffix(f".{os.getpid()}.part")
                part.write_text(f"{done} {total}")
                os.replace(part, path)  # a reader sees the old counts or the new, never half a file

    return report


def _seen_progress(job: ImportJob) -> tuple[int, int]:
    """(done, total) of JOB as far as this process can tell."""
    if job.id in PROGRESS:
        return PROGRESS[job.id]
    try:
        done, total = map(int, _progress_file(current_app.config["HOME"], job.id).read_text().split())
        return done, total
    except (OSError, ValueError):
        return job.done, job.total


def run(app, job_id: int, data: bytes, language: str) -> None:
    """Import the file all or nothing, recording the outcome on the job."""
    with app.app_context(), force_locale(language):
        with session_scope(app) as s:
            job = s.get(ImportJob, job_id)
            kind, period, filename, user_id = job.kind, job.period, job.filename, job.created_by_id
        outcome = {"state": "done", "message": "", "errors": None, "imported": 0}
        try:
            with session_scope(app) as session:
                actor = session.get(User, user_id)
                rows = transfer.read_table(data, filename)
                report = _progress(app, job_id)
                if kind == "risks":
                    outcome["imported"] = transfer.import_risks(session, actor, rows, report)
                else:
                    outcome["imported"] = transfer.import_assessments(session, actor, rows, period, report)
        except RiskflowError as exc:
            body = exc.to_dict()
            outcome.update(state="failed", message=body["error"], errors=body.get("errors"), imported=0)
        except Exception:  # logged with the traceback; the user sees that it failed
            log.exception("import job %s failed", job_id)
            outcome.update(state="failed", message=str(_l("Something went wrong on our side; it has been logged.")))
        done, total = PROGRESS.pop(job_id, (0, 0))
        with session_scope(app) as s:
            job = s.get(ImportJob, job_id)
            job.state, job.message, job.errors, job.imported = (outcome["state"], outcome["message"],
                                                                outcome["errors"], outcome["imported"])
            job.done, job.total, job.finished_at = done, total, utcnow()
        _progress_file(app.config["HOME"], job_id).unlink(missing_ok=True)


def get(session: Session, actor, job_id: int) -> ImportJob:
    """A job its creator (or an administrator) may watch."""
    job = session.get(ImportJob, job_id)
    if job is None or (job.created_by_id != actor.id and actor.role != "admin"):
        raise NotFound(_l("Not found."))
    return job


LISTED_RISKS = 200


def new_risks(session: Session, job: ImportJob, limit: int = LISTED_RISKS) -> list[Risk]:
    """The risks a finished risks import added (at most LIMIT, by code). The job keeps no list of them: an
    import writes one history row per risk, by its author, inside the job's run, and those name them."""
    if job.kind != "risks" or job.state != "done" or not job.imported or job.finished_at is None:
        return []
    created = (select(ChangeRecord.entity_id)
               .where(ChangeRecord.entity == "risk", ChangeRecord.action == "create",
                      ChangeRecord.actor_id == job.created_by_id,
                      ChangeRecord.at >= job.created_at, ChangeRecord.at <= job.finished_at))
    return list(session.scalars(select(Risk).where(Risk.id.in_(created)).order_by(Risk.code).limit(limit)))


def job_json(job: ImportJob) -> dict:
    """The job's state, with live progress: this process's own, or what another one reported."""
    done, total = _seen_progress(job) if job.state == "queued" else (job.done, job.total)
    state = "running" if job.state == "queued" and (job.id in PROGRESS or total) else job.state
    return {"id": job.id, "kind": job.kind, "period": job.period, "state": state, "done": done,
            "total": total, "imported": job.imported, "message": job.message, "errors": job.errors or {}}


