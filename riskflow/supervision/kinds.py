"""The kinds of project (监察项目类别): a list the admin edits, each with its name in both languages. Projects
keep the code; a kind taken off the list stays readable on the projects that have it."""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import get_session
from ..i18n import current_language
from .models import SupervisionKind


def listed(session: Session, *, active_only: bool = True) -> list[SupervisionKind]:
    """The kinds in their order; ACTIVE_ONLY leaves out those the admin has retired."""
    stmt = select(SupervisionKind).order_by(SupervisionKind.position, SupervisionKind.code)
    if active_only:
        stmt = stmt.where(SupervisionKind.active.is_(True))
    return list(session.scalars(stmt))


def label_of(kind: SupervisionKind, language: str | None = None) -> str:
    return kind.label_en if (language or current_language()) == "en" else kind.label_zh


def labels(session: Session, *, active_only: bool = True, language: str | None = None) -> dict[str, str]:
    """code -> name in the reader's language, in the list's order."""
    return {kind.code: label_of(kind, language) for kind in listed(session, active_only=active_only)}


def label(code: str) -> str:
    """A kind's name for a page (every kind, retired ones too), read once per request; its code when unknown."""
    if has_request_context():
        cached = g.get("_supervision_kind_labels")
        if cached is None:
            cached = g._supervision_kind_labels = labels(get_session(), active_only=False)
    else:
        cached = labels(get_session(), active_only=False)
    return cached.get(code, code)
