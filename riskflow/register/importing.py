"""Imports from the upload page: run in a background thread, progress kept in the database."""
from __future__ import annotations

import logging
import threading

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..auth import policy
from ..auth.models import User
from ..db import session_scope, utcnow
from ..errors import FieldErrors, NotFound, RiskflowError
from . import transfer
from .models import ImportJob

log = logging.getLogger(__name__)
KINDS = ("risks", "assessments")

# job id -> (done, total) while a job runs in this process. SQLite has one writer at a
# time and the import holds it until its single commit, so progress cannot go to the
# database meanwhile; the outcome does, once the import has finished.
PROGRESS: dict[int, tuple[int, int]] = {}


def start(session: Session, actor, kind: str, filename: str, period: str | None) -> ImportJob:
    """Check the request, record the job and start it; the caller commits before it runs."""
    errors = FieldErrors()
    if kind not in KINDS:
        errors.add("kind", _l("One of: %(names)s.", names=", ".join(KINDS)))
    elif kind == "risks":
        policy.require(actor, "risk.write")
    else:
        policy.require(actor, "assessment.write")
    if not filename.lower().endswith((".xlsx", ".csv")):
        errors.add("file", _l("Upload an .xlsx or .csv file."))
    if kind == "assessments" and not period:
        errors.add("period", _l("Use YYYY-MM, for example 2026-07."))
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


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        PROGRESS[job_id] = (done, total)

    return report


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
                report = _progress(job_id)
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


def get(session: Session, actor, job_id: int) -> ImportJob:
    """A job its creator (or an administrator) may watch."""
    job = session.get(ImportJob, job_id)
    if job is None or (job.created_by_id != actor.id and actor.role != "admin"):
        raise NotFound(_l("Not found."))
    return job


def job_json(job: ImportJob) -> dict:
    """The job's state, with live progress while it runs in this process."""
    done, total = PROGRESS.get(job.id, (job.done, job.total))
    state = "running" if job.id in PROGRESS and job.state == "queued" else job.state
    return {"id": job.id, "kind": job.kind, "period": job.period, "state": state, "done": done,
            "total": total, "imported": job.imported, "message": job.message, "errors": job.errors or {}}


