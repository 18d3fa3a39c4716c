"""incidents' corrective actions and review meetings' decisions become actions (the free text stays, read only)

Each incident with a corrective action text gets one action: titled from the text's first line, the whole text
as its description, owned by the unit's user the record named (by username or display name), else the unit's
head, else its first officer; due on the recorded due date, else 30 days after the incident was recorded; done
when the record said so. Each non-empty line of a review meeting's decisions becomes an open action of a risk
manager (the meeting's recorder when one, else the first), due 30 days after the meeting. Codes CS-YYYY-NNNN by
this year, after the highest in use, and the code counter moved past them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 01:30:00
"""
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import riskflow.db

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TITLE_LIMIT = 200
DUE_AFTER = timedelta(days=30)
UNIT_ROLES = ("risk_officer", "unit_head")

actions = sa.table(
    "actions", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("title", sa.String),
    sa.column("description", sa.Text), sa.column("owner_id", sa.Integer), sa.column("unit_id", sa.Integer),
    sa.column("due_date", sa.Date), sa.column("incident_id", sa.Integer), sa.column("meeting_id", sa.Integer),
    sa.column("state", sa.String), sa.column("workflow_version", sa.Integer), sa.column("version", sa.Integer),
    sa.column("report", sa.Text), sa.column("done_at", riskflow.db.UTCDateTime),
    sa.column("created_by_id", sa.Integer), sa.column("created_at", riskflow.db.UTCDateTime),
    sa.column("updated_at", riskflow.db.UTCDateTime))
history = sa.table(
    "change_history", sa.column("at", riskflow.db.UTCDateTime), sa.column("actor_id", sa.Integer),
    sa.column("actor", sa.String), sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("action", sa.String), sa.column("from_state", sa.String), sa.column("to_state", sa.String),
    sa.column("changes", sa.JSON))
counters = sa.table("code_counters", sa.column("series", sa.String), sa.column("scope", sa.String),
                    sa.column("last", sa.Integer))


def _today(now: datetime) -> date:
    """Today in the company's time zone (the app's setting when riskflow runs the migration)."""
    try:
        from flask import current_app
        zone = current_app.config["TIMEZONE"]
    except (ImportError, RuntimeError, KeyError):
        zone = os.environ.get("RISKFLOW_TIMEZONE", "Asia/Shanghai")
    return now.astimezone(ZoneInfo(zone)).date()


def _title(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:TITLE_LIMIT]


class Numbers:
    """CS-YEAR-NNNN codes after the highest in use and the counter, and the counter moved on at the end."""

    def __init__(self, con, year: int):
        self.con, self.scope = con, str(year)
        self.prefix = f"CS-{year}-"
        used = [code[len(self.prefix):] for code in con.scalars(
            sa.select(actions.c.code).where(actions.c.code.like(self.prefix + "%")))]
        highest = max((int(n) for n in used if n.isascii() and n.isdigit()), default=0)
        self.counter = con.scalar(sa.select(counters.c.last).where(
            counters.c.series == "action", counters.c.scope == self.scope))
        self.last = max(highest, self.counter or 0)

    def next(self) -> str:
        self.last += 1
        return f"{self.prefix}{self.last:04d}"

    def save(self) -> None:
        if self.counter is None:
            self.con.execute(counters.insert().values(series="action", scope=self.scope, last=self.last))
        elif self.last != self.counter:
            self.con.execute(counters.update().where(counters.c.series == "action", counters.c.scope == self.scope)
                             .values(last=self.last))


def upgrade() -> None:
    con = op.get_bind()
    now = datetime.now(timezone.utc)
    numbers = Numbers(con, _today(now).year)
    version = con.scalar(sa.text("SELECT max(version) FROM workflow_versions WHERE name = 'action'")) or 1
    users = con.execute(sa.text("SELECT id, username, display_name, role, unit_id FROM users "
                                "WHERE active = :yes ORDER BY id"), {"yes": True}).all()
    units = dict(con.execute(sa.text("SELECT id, code FROM units")).all())
    managers = [u for u in users if u.role == "risk_manager"]

    def add(owner, unit_id, title, description, due, state, done_at, incident=None, meeting=None):
        values = dict(code=numbers.next(), title=title, description=description, owner_id=owner.id, unit_id=unit_id,
                      due_date=due, incident_id=incident[0] if incident else None, meeting_id=meeting,
                      state=state, workflow_version=version, version=1, report="", done_at=done_at,
                      created_by_id=None, created_at=now, updated_at=now)
        action_id = con.execute(actions.insert().values(**values).returning(actions.c.id)).scalar_one()
        fields = {"title": title, "description": description, "due_date": due.isoformat(), "owner": owner.username,
                  "unit": units.get(unit_id), "incident": incident[1] if incident else None, "meeting": meeting}
        changes = {name: [None, value] for name, value in fields.items() if value is not None}
        # The history tells the action was made in the state the old record had, as one step by the system.
        con.execute(history.insert().values(at=now, actor_id=None, actor="system", entity="action",
                                            entity_id=action_id, action="create", from_state=None, to_state=state,
                                            changes=changes))

    incidents = con.execute(sa.text(
        "SELECT id, code, unit_id, recorded_on, corrective_action, action_owner, action_due, action_done "
        "FROM incidents WHERE corrective_action <> '' ORDER BY id")).all()
    for incident in incidents:
        text = incident.corrective_action.strip()
        if not text:
            continue
        named = (incident.action_owner or "").strip()
        people = [u for u in users if u.unit_id == incident.unit_id and u.role in UNIT_ROLES]
        owner = next((u for u in people if named and named.casefold() in (u.username.casefold(),
                                                                          u.display_name.strip().casefold())), None)
        description = text
        if owner is None:
            owner = next((u for u in people if u.role == "unit_head"), None) or next(iter(people), None)
            if named:
                description += f"\n\n原记录的责任人：{named}（未找到对应用户，已指派给{owner.display_name if owner else ''}）"
        unit_id = incident.unit_id
        if owner is None:
            # A unit with nobody to act for it: the risk department takes the action until it is reassigned.
            owner, unit_id = next(iter(managers), None), None
            if owner is None:
                continue
        due = _as_date(incident.action_due) or _as_date(incident.recorded_on) + DUE_AFTER
        done = bool(incident.action_done)
        add(owner, unit_id, _title(text), description, due, "done" if done else "open", now if done else None,
            incident=(incident.id, incident.code))

    meetings = con.execute(sa.text("SELECT id, held_on, actions, recorded_by_id FROM review_meetings "
                                   "WHERE actions <> '' ORDER BY id")).all()
    for meeting in meetings:
        owner = next((u for u in managers if u.id == meeting.recorded_by_id), None) or next(iter(managers), None)
        if owner is None:
            continue
        due = _as_date(meeting.held_on) + DUE_AFTER
        for line in meeting.actions.splitlines():
            if line.strip():
                add(owner, None, line.strip()[:TITLE_LIMIT], line.strip(), due, "open", None, meeting=meeting.id)
    numbers.save()


def _as_date(value):
    """A date column as a date (SQLite's text read back through plain SQL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    # The actions this migration made (no creating user) go; the free text they came from is still there.
    made = ("SELECT id FROM actions WHERE created_by_id IS NULL "
            "AND (incident_id IS NOT NULL OR meeting_id IS NOT NULL)")
    op.execute(f"DELETE FROM change_history WHERE entity = 'action' AND entity_id IN ({made})")
    op.execute(f"DELETE FROM actions WHERE id IN ({made})")
