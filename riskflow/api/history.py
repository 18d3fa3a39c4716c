"""The change history of one entity."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from .. import history
from ..auth import policy
from ..db import get_session, valid_id
from ..errors import FieldErrors
from .core import bp, caller, document, paginate


@bp.get("/history")
@document("Every change of one entity, oldest first", response="Change", paged=True, errors=(401, 403, 404, 422),
          params=(("entity", True, "string"), ("id", True, "integer")))
def entity_history():
    entity, raw_id = request.args.get("entity", ""), request.args.get("id", "")
    errors = FieldErrors()
    if entity not in history.ENTITY_LOADERS:
        errors.add("entity", _l("One of: %(names)s.", names=", ".join(sorted(history.ENTITY_LOADERS))))
    if not raw_id.isdigit() or not valid_id(int(raw_id)):
        errors.add("id", _l("Must be a whole number."))
    errors.raise_if_any(_l("Say which entity: entity and id."))
    db = get_session()
    target = history.ENTITY_LOADERS[entity](db, int(raw_id))
    policy.require_found(caller(), f"{entity}.read", target)
    return paginate(db, history.visible_entries_query(db, caller(), entity, int(raw_id)), history.ChangeRecord.to_dict)
