"""Optimistic locking: an edit names the version of the row it read, and a save based on a stale read is
refused (409) instead of silently overwriting what someone else saved in between.

The rows also carry SQLAlchemy's `version_id_col`, so two saves at the same moment, both based on the
current version, still meet: the loser's UPDATE matches no row (StaleDataError, answered with 409 by
security.handle_stale)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .errors import Conflict, FieldErrors


def read(data: dict, errors: FieldErrors, *, required: bool = False) -> int | None:
    """The `version` DATA says it read last, checked; None when absent (an error too when REQUIRED)."""
    value = data.get("version")
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add("version", _l("Send the version you read last."))
        return None
    return value


def refuse_stale(version_read: int | None, current: int, message) -> None:
    """Refuse a save based on VERSION_READ when the row has moved on to CURRENT; MESSAGE says what changed."""
    if version_read is not None and version_read != current:
        raise Conflict(message, {"version": [_l("Stale version.")]})
