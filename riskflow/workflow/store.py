"""Workflow versions in the database; items record the version they run under."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base, JSONType, UTCDateTime, utcnow
from .definition import Workflow, WorkflowError

# workflow name -> the model whose rows run it; each feature registers its own.
MODELS: dict[str, type] = {}


def runs(workflow_name: str):
    """Class decorator: rows of this model run WORKFLOW_NAME."""

    def register(model):
        MODELS[workflow_name] = model
        model.WORKFLOW = workflow_name
        return model

    return register


class WorkflowVersion(Base):
    """One version of a workflow definition, kept when the YAML file changes."""

    __tablename__ = "workflow_versions"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def current_version(session: Session, name: str) -> int:
    """The newest stored version of workflow NAME (1 before any is stored)."""
    return session.scalar(select(func.max(WorkflowVersion.version)).where(WorkflowVersion.name == name)) or 1


def stranded(session: Session, workflow: Workflow) -> list[str]:
    """States that items occupy but WORKFLOW no longer has."""
    model = MODELS.get(workflow.name)
    if model is None:
        return []
    occupied = session.scalars(select(model.state).distinct())
    return sorted(state for state in occupied if state not in workflow.states)


def sync(session: Session, workflows: dict[str, Workflow]) -> list[tuple[str, int]]:
    """Store each changed definition as a new version; refuse one that would strand items.

    Returns (name, version) of each version stored.
    """
    problems, changes = [], []
    for workflow in workflows.values():
        lost = stranded(session, workflow)
        if lost:
            problems.append(f"{workflow.path}:1: items of {workflow.name} are in states this file removes: "
                            f"{', '.join(lost)}")
    if problems:
        raise WorkflowError(problems)
    for workflow in workflows.values():
        latest = session.scalar(select(WorkflowVersion).where(WorkflowVersion.name == workflow.name)
                                .order_by(WorkflowVersion.version.desc()).limit(1))
        if latest is not None and latest.digest == workflow.digest:
            continue
        version = (latest.version + 1) if latest else 1
        session.add(WorkflowVersion(name=workflow.name, version=version, digest=workflow.digest,
                                    definition=workflow.raw))
        changes.append((workflow.name, version))
    return changes
