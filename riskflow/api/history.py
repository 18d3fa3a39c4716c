"""The change history of one entity."""
from __future__ import annotations

from flask import request

from .. import history, values
from ..auth import policy
from ..db import get_session
from .core import bp, caller, document, paginate
from .schemas import ID


def _entity_schema() -> dict:
    # Built when asked: the features register their entities as they are imported.
    return {"type": "string", "enum": sorted(history.ENTITY_LOADERS)}


@bp.get("/history")
@document("Every change of one entity, oldest first", response="Change", paged=True, errors=(401, 403, 404, 422),
          params=(("entity", True, _entity_schema), ("id", True, ID)))
def entity_history():
    entity, entity_id = request.args["entity"], values.whole(request.args["id"])  # checked by the note's schemas
    db = get_session()
    target = history.ENTITY_LOADERS[entity](db, entity_id)
    policy.require_found(caller(), history.READ_ACTIONS[entity], target)
    return paginate(db, history.visible_entries_query(db, caller(), entity, entity_id), history.ChangeRecord.to_dict)
