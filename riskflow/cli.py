"""The `riskflow` command: exit 0 on success, 1 with a one-line reason on a user error."""
from __future__ import annotations

import functools
import sys

import click
from flask_babel import lazy_gettext as _l

from .auth import policy
from .auth import service as auth_service
from .auth.models import ROLES
from .config import ConfigError
from .db import session_scope
from .errors import NotFound, RiskflowError
from .workflow.definition import WorkflowError


class Failure(click.ClickException):
    """A user error: printed as one line, exit status 1."""

    exit_code = 1


def _reason(exc: RiskflowError) -> str:
    """One line: the message, then every field's errors."""
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.to_dict().get("errors", {}).items())
    return f"{exc.message} ({details})" if details else str(exc.message)


def with_app(fn):
    """Run the command inside an app context; a refused request becomes a one-line Failure.

    The message is rendered inside the context, so it is in the configured language.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from . import create_app

        app = create_app()
        with app.app_context():
            try:
                return fn(app, *args, **kwargs)
            except RiskflowError as exc:
                raise Failure(_reason(exc)) from exc

    return wrapper


@click.group()
def cli():
    """riskflow: risk register and efficiency supervision."""


@cli.command()
@click.option("--demo", is_flag=True, help="Add the demo company.")
@with_app
def init(app, demo):
    """Migrate the database to the newest revision and load the defaults; one line per thing done."""
    from sqlalchemy.engine import make_url

    from . import defaults, migrate

    before, after = migrate.upgrade(app)
    url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    click.echo(_l("Database migrated to %(revision)s (%(url)s)", revision=after, url=url) if before != after
               else _l("The database is already at %(revision)s (%(url)s)", revision=after, url=url))
    with session_scope(app) as session:
        for line in defaults.load(session):
            click.echo(line)
    if demo:
        from . import demo as demo_module

        with session_scope(app) as session:
            created = demo_module.load(session)
        click.echo(_l("Created the demo company") if created else _l("The demo company is already there; left as it was"))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", type=click.IntRange(min=1), help="Processes behind the port.  [default: the cores]")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1), help="Threads per process.")
@click.option("--no-scheduler", is_flag=True, help="Serve pages only; run `riskflow scheduler` elsewhere.")
@with_app
def serve(app, host, port, workers, threads, no_scheduler):
    """Serve the app with the production server (gunicorn); the scheduler runs in one of its processes."""
    from . import serving
    from .workflow import engine, setup, store

    with session_scope(app) as session:
        for name, version in store.sync(session, engine.workflows()):
            click.echo(setup.stored(name, version), err=True)
    app.extensions["riskflow.engine"].dispose()  # each worker opens its own connections after the fork
    click.echo(f"riskflow on http://{host}:{port}/", err=True)
    serving.Server(host, port, workers or serving.cores(), threads, scheduler=not no_scheduler).run()


@cli.group()
def user():
    """Manage users."""


@user.command("create")
@click.argument("name")
@click.option("--role", required=True, help=f"One of: {', '.join(ROLES)}.")
@click.option("--unit", "unit_code", help="Unit code (required for risk_officer and unit_head).")
@click.option("--email")
@click.option("--display-name", default="")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
@with_app
def user_create(app, name, role, unit_code, email, display_name, password_stdin):
    """Create a user; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    with session_scope(app) as session:
        created = auth_service.create_user(
            session, policy.SYSTEM, name, role, password,
            unit_code=unit_code, email=email, display_name=display_name,
        )
        click.echo(f"user {created.username} created ({created.role})")


@cli.group()
def token():
    """Manage API tokens."""


@token.command("create")
@click.argument("name")
@with_app
def token_create(app, name):
    """Print a new API token for user NAME, and nothing else."""
    with session_scope(app) as session:
        owner = auth_service.user_by_name(session, name)
        if owner is None:
            raise NotFound(_l("Unknown user %(name)s.", name=name))
        value = auth_service.create_token(session, policy.SYSTEM, owner)
    click.echo(value)


@cli.group()
def unit():
    """Manage units."""


@unit.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--kind", default="sales", show_default=True)
@with_app
def unit_create(app, code, name, kind):
    """Create a unit."""
    with session_scope(app) as session:
        created = auth_service.create_unit(session, policy.SYSTEM, code, name, kind)
        click.echo(f"unit {created.code} created")


@cli.group("import")
def import_():
    """Import risks, grades or indicators' targets and values from .xlsx or .csv: all rows or none."""


def _import(app, importer, show_progress: bool | None) -> int:
    """IMPORTER(session, progress) in one transaction; the rows imported.

    With SHOW_PROGRESS (by default when stderr is a terminal, as git does) it tells on stderr how far it got,
    at most once a second, and when the rows are written and the commit begins."""
    import time

    from flask_babel import gettext

    if show_progress is None:
        show_progress = sys.stderr.isatty()
    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        if done == total or time.monotonic() - last[0] >= 1:
            last[0] = time.monotonic()
            click.echo(gettext("Checked %(done)d of %(total)d rows.", done=done, total=total), err=True)

    with session_scope(app) as session:
        count = importer(session, progress if show_progress else None)
        if show_progress:
            click.echo(gettext("%(count)d rows written; committing.", count=count), err=True)
        if app.config["IMPORT_PAUSE_SECONDS"]:
            time.sleep(app.config["IMPORT_PAUSE_SECONDS"])  # a test hook: a kill here must leave nothing behind
    return count


PROGRESS = click.option("--progress/--no-progress", default=None,
                        help="Tell on stderr how far the import got.  [default: when stderr is a terminal]")


@import_.command("risks")
@click.argument("file")
@PROGRESS
@with_app
def import_risks(app, file, progress):
    """Add every risk in FILE to the register."""
    from .register import transfer

    count = _import(app, lambda session, report: transfer.import_risks(
        session, policy.SYSTEM, transfer.rows_from_path(file), report), progress)
    click.echo(f"{count} risks imported")


@import_.command("assessments")
@click.argument("file")
@click.option("--period", required=True, help="The month graded, YYYY-MM.")
@PROGRESS
@with_app
def import_assessments(app, file, period, progress):
    """Grade every risk in FILE for PERIOD (an existing grade is revised)."""
    from .register import transfer

    count = _import(app, lambda session, report: transfer.import_assessments(
        session, policy.SYSTEM, transfer.rows_from_path(file), period, report), progress)
    click.echo(f"{count} grades imported for {period}")


def _skipped(done) -> str:
    return f" ({done.skipped} rows without figures skipped)" if done.skipped else ""


@import_.command("indicator-targets")
@click.argument("file")
@click.option("--year", required=True, help="The year of the targets, YYYY.")
@with_app
def import_indicator_targets(app, file, year):
    """Set YEAR's annual target and monthly budgets of every indicator in FILE (指标编码, 年度目标, 1月 … 12月)."""
    from . import tables
    from .indicators import importing

    with session_scope(app) as session:
        done = importing.import_targets(session, policy.SYSTEM, *tables.read_path(file), year)
    click.echo(f"targets of {done.count} indicators imported for {year}{_skipped(done)}")


@import_.command("indicator-values")
@click.argument("file")
@click.option("--period", required=True, help="The month of the values, YYYY-MM.")
@with_app
def import_indicator_values(app, file, period):
    """Record PERIOD's value of every indicator in FILE (指标编码, 本月值); a correction replaces the month's."""
    from . import tables
    from .indicators import importing

    with session_scope(app) as session:
        done = importing.import_values(session, policy.SYSTEM, *tables.read_path(file), period)
    click.echo(f"{done.count} values imported for {period}, {done.breached} breached{_skipped(done)}")


@cli.group()
def export():
    """Export data."""


@export.command("register")
@click.option("--period", required=True, help="The month, YYYY-MM.")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@with_app
def export_register(app, period, out):
    """Write the register of PERIOD, with its grades and colours, to an .xlsx file."""
    from .register import transfer

    with session_scope(app) as session:
        count = transfer.export_register(session, policy.SYSTEM, period, out, app.config["LANGUAGE"])
    click.echo(f"{count} risks written to {out}")


@cli.command("scheduler")
@with_app
def scheduler_command(app):
    """Run the scheduled jobs alone (beside web processes started with --no-scheduler)."""
    from .scheduling import scheduler

    for outcome in scheduler.catch_up(app):
        click.echo(f"catch-up: {outcome}", err=True)
    click.echo("scheduler running; Ctrl-C stops it", err=True)
    try:
        scheduler.build(app, blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        pass


@cli.group()
def jobs():
    """Scheduled jobs."""


@jobs.command("list")
@with_app
def jobs_list(app):
    """Each job's id and next run time."""
    from .scheduling import scheduler

    for job_id, moment in scheduler.next_runs(app):
        click.echo(f"{job_id}\t{moment.isoformat()}")


@jobs.command("run")
@click.argument("job_id")
@click.option("--at", "at", help="Run as if the clock read this ISO-8601 time (default: now).")
@with_app
def jobs_run(app, job_id, at):
    """Run a job now; `--at` makes it compute its period as of that moment."""
    from datetime import datetime

    from .scheduling import jobs as job_module
    from .scheduling import scheduler

    if job_id not in job_module.JOBS:
        raise Failure(f"unknown job {job_id}; one of: {', '.join(job_module.JOBS)}")
    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            raise Failure(f"--at must be an ISO-8601 time, not {at!r}")
        if moment.tzinfo is None:
            from zoneinfo import ZoneInfo

            moment = moment.replace(tzinfo=ZoneInfo(app.config["TIMEZONE"]))
    click.echo(scheduler.run(app, job_id, moment))


@cli.command()
@click.argument("kind", type=click.Choice(["monthly", "quarterly", "annual", "progress"]))
@click.option("--period", required=True, help="2026-07, 2026-Q3 or 2026 (progress: the warnings' month).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also copy the PDF here.")
@click.option("--regenerate", is_flag=True, help="Make a new revision even if one exists.")
@with_app
def report(app, kind, period, out, regenerate):
    """Make (or find) a report and print where its PDF is."""
    import shutil

    from .reports import review
    from .reports import service as reports

    row, built = review.make(app, kind, period, policy.SYSTEM, regenerate=regenerate)
    path = reports.folder() / row.filename
    if out:
        shutil.copyfile(path, out)
        path = out
    click.echo(f"{kind} {period} r{row.revision} {'built' if built else 'already archived'}: {path}")
    if row.docx_filename:
        click.echo(f"Word: {reports.folder() / row.docx_filename}")


@cli.group()
def workflows():
    """Workflow definitions."""


@workflows.command("check")
@click.option("--folder", type=click.Path(file_okay=False, exists=True),
              help="Check this folder of the company's own files instead of RISKFLOW_WORKFLOWS.")
def workflows_check(folder):
    """Validate the workflow files (shipped, and RISKFLOW_WORKFLOWS's): states, guards, roles, reachability,
    stranded items."""
    from pathlib import Path

    from . import create_app
    from .workflow import definition, setup, store

    app = create_app({"SKIP_WORKFLOWS": True})
    with app.app_context():
        try:
            loaded = setup.load(Path(folder) if folder else app.config["WORKFLOW_FOLDER"])
            with session_scope(app) as session:
                problems = [s for w in loaded.values() for s in _stranding(session, w, store)]
        except definition.WorkflowError as exc:
            for problem in exc.problems:
                click.echo(problem, err=True)
            raise Failure(f"{len(exc.problems)} problem(s) in the workflow files")
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise Failure(f"{len(problems)} problem(s) in the workflow files")
    click.echo(f"ok: {', '.join(sorted(loaded))}")


def _stranding(session, workflow, store) -> list[str]:
    """Items left in states the file removes; nothing to say when the database is not set up yet."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        lost = store.stranded(session, workflow)
    except (OperationalError, ProgrammingError):
        session.rollback()
        return []
    return [f"{workflow.path}:1: items of {workflow.name} are in states this file removes: {', '.join(lost)}"] \
        if lost else []


@cli.command()
@click.argument("target", type=click.Path(dir_okay=False))
@with_app
def backup(app, target):
    """Write a consistent copy of the database to TARGET while the app runs."""
    from . import backup as backup_module

    backup_module.backup(app, target)
    click.echo(f"backup written to {target}")


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
@with_app
def restore(app, source, force):
    """Replace the database with a backup made by `riskflow backup` (stop the app first)."""
    from . import backup as backup_module

    backup_module.restore(app, source, force)
    click.echo(f"database restored from {source}")


def main(argv=None) -> int:
    """Entry point of the console script."""
    try:
        cli.main(args=argv, prog_name="riskflow", standalone_mode=False)
    except WorkflowError as exc:
        click.echo(f"riskflow: broken workflow files: {'; '.join(exc.problems)}", err=True)
        return 1
    except (ConfigError, click.ClickException) as exc:
        message = exc.format_message() if isinstance(exc, click.ClickException) else str(exc)
        click.echo(f"riskflow: {message}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("riskflow: aborted", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
