"""Projects proposed by units (所属企业自选立项): what sending one back and resubmitting it tell, the reason a
unit reads, and the proposals waiting on someone. A proposal is made by service.create_project."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session

from ..auth import policy
from ..notifications import events
from ..workflow import engine
from .models import SupervisionProject
from .service import PROPOSED, RETURNED, project_query


@engine.effect("supervision_project", "send_back")
def _sent_back(session, project, actor, fields):
    events.proposal_returned(session, project, str(fields["comment"]).strip())


@engine.effect("supervision_project", "resubmit")
def _resubmitted(session, project, actor, fields):
    events.proposal_submitted(session, project)


def return_reason(entries, project: SupervisionProject):
    """The history entry (among ENTRIES, oldest first) of the inspection office sending PROJECT back, while it
    waits for its unit; None otherwise. Its comment is the reason shown beside the edit link."""
    if project.state != RETURNED:
        return None
    sent = [e for e in entries if e.action == "send_back"]
    return sent[-1] if sent else None


def waiting(session: Session, actor, state: str, this_year: int) -> tuple[int, int]:
    """How many proposals in STATE ACTOR may see, and the year whose board shows them (the earliest such year;
    THIS_YEAR when there are none): a proposal in December may be for next year."""
    stmt = (project_query(actor, state=state).order_by(None)
            .with_only_columns(func.count(SupervisionProject.id), func.min(SupervisionProject.year)))
    n, year = session.execute(stmt).one()
    return n or 0, year or this_year


def board_lane(actor, projects) -> dict | None:
    """The board's lane of proposals among PROJECTS (those of the year ACTOR sees): waiting for review and sent
    back, for the inspection office and the proposing units' heads; None for the others."""
    if not (policy.can(actor, "supervision.manage") or policy.can(actor, "supervision.propose")):
        return None
    return {"proposed": [p for p in projects if p.state == PROPOSED],
            "returned": [p for p in projects if p.state == RETURNED],
            "can_propose": policy.can(actor, "supervision.propose")}
