"""POST /{kind}/{id}/transitions: the one door into the workflow engine for every kind of item."""
from __future__ import annotations

from typing import Callable

from flask_babel import lazy_gettext as _l

from ..db import get_session
from ..errors import NotFound
from ..workflow import engine
from .core import bp, caller, document, json_body

# URL kind -> (loader(session, actor, id), serializer(session, item, actor))
KINDS: dict[str, tuple[Callable, Callable]] = {}


def register_kind(kind: str, loader: Callable, serializer: Callable) -> None:
    """Let POST /KIND/{id}/transitions fire the workflow of the items LOADER returns."""
    KINDS[kind] = (loader, serializer)


@bp.post("/<any(incidents, 'supervision-projects', recommendations, actions):kind>/<int:item_id>/transitions")
@document("Take a transition: 409 not from this state, 403 role, 422 guard or missing field",
          request_schema="TransitionRequest", response="TransitionResult", errors=(400, 401, 403, 404, 409, 422))
def fire_transition(kind: str, item_id: int):
    if kind not in KINDS:
        raise NotFound(_l("Not found."))
    loader, serializer = KINDS[kind]
    db = get_session()
    item = loader(db, caller(), item_id)  # another unit's item is 404 whatever was sent
    data = json_body()  # the schema requires a non-empty `transition`
    name = data["transition"]
    fields = {k: v for k, v in data.items() if k != "transition"}
    engine.fire(db, item, name, caller(), **fields)
    db.commit()
    db.refresh(item)
    return serializer(db, item, caller())
