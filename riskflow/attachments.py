"""Evidence files on any item: kept under RISKFLOW_HOME/attachments, size-limited, type-checked,
served only to those who may see the item."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from pathlib import Path
from typing import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from . import history, values
from .auth import policy
from .auth.models import User
from .db import Base, UTCDateTime, utcnow
from .errors import Invalid, NotFound

MAX_BYTES = 10 * 1024 * 1024
# extension -> (content type, test of the first bytes)
TYPES: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             lambda head: head.startswith(b"PK\x03\x04")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             lambda head: head.startswith(b"PK\x03\x04")),
    "doc": ("application/msword", lambda head: head.startswith(b"\xd0\xcf\x11\xe0")),
    "xls": ("application/vnd.ms-excel", lambda head: head.startswith(b"\xd0\xcf\x11\xe0")),
    "txt": ("text/plain; charset=utf-8", lambda head: _is_text(head)),
}
# entity -> function(session, id) returning the item, for the policy to judge.
OWNERS: dict[str, Callable[[Session, int], object]] = {}
# entity -> check(actor, item): a refusal (Conflict…) raised when the item takes no evidence now (add() calls it).
ACCEPTS: dict[str, Callable[[object, object], None]] = {}


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # The sample may cut a multi-byte character at its end.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head


class Attachment(Base):
    """One evidence file."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship(lazy="joined")


def folder() -> Path:
    return Path(current_app.config["HOME"]) / "attachments"


def _owner(session: Session, actor, entity: str, entity_id: int, action: str):
    loader = OWNERS.get(entity)
    item = loader(session, entity_id) if loader else None
    return policy.require_found(actor, action, item)


WRITTEN = "riskflow.written_files"


@event.listens_for(Session, "after_commit")
def _keep_written(session) -> None:
    session.info.pop(WRITTEN, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_unkept(session, transaction) -> None:
    # After a rollback, or a close without commit, the rows that named these files are gone: so are they.
    if transaction.parent is None:
        for path in session.info.pop(WRITTEN, []):
            path.unlink(missing_ok=True)


def add(session: Session, actor, entity: str, entity_id: int, filename: str, data: bytes,
        action: str) -> Attachment:
    """Keep DATA as evidence on an item ACTOR may take ACTION on; refuses big or mistyped files."""
    item = _owner(session, actor, entity, entity_id, action)
    if entity in ACCEPTS:
        ACCEPTS[entity](actor, item)
    name = values.safe_filename(filename, "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = current_app.config.get("ATTACHMENT_MAX_BYTES", MAX_BYTES)
    if extension not in TYPES:
        raise Invalid(_l("Only these file types are accepted: %(types)s.", types=", ".join(sorted(TYPES))),
                      {"file": [_l("File type not accepted.")]})
    if not data:
        raise Invalid(_l("The file is empty."), {"file": [_l("The file is empty.")]})
    if len(data) > limit:
        raise Invalid(_l("A file may have at most %(mb)s MB.", mb=round(limit / 1024 / 1024, 1)),
                      {"file": [_l("Too large.")]})
    content_type, looks_right = TYPES[extension]
    if not looks_right(data[:512]):
        raise Invalid(_l("The file's content is not a .%(ext)s file.", ext=extension),
                      {"file": [_l("Content does not match the file type.")]})
    stored = f"{secrets.token_hex(16)}.{extension}"
    target = folder() / stored
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    session.info.setdefault(WRITTEN, []).append(target)  # removed again if the transaction does not commit
    attachment = Attachment(entity=entity, entity_id=entity_id, filename=name, stored_name=stored,
                            content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            uploaded_by_id=actor.id)
    session.add(attachment)
    session.flush()
    history.record(session, actor, entity, entity_id, "attach", changes={"file": [None, attachment.filename]})
    return attachment


def for_item(session: Session, entity: str, entity_id: int) -> list[Attachment]:
    """An item's files, oldest first."""
    stmt = select(Attachment).where(Attachment.entity == entity, Attachment.entity_id == entity_id)
    return list(session.scalars(stmt.order_by(Attachment.id)))


def for_items(session: Session, entity: str, entity_ids) -> dict[int, list[Attachment]]:
    """The files of each item in ENTITY_IDS, oldest first, in one query (a list page shows them)."""
    ids = list(entity_ids)
    found: dict[int, list[Attachment]] = {item_id: [] for item_id in ids}
    if ids:
        stmt = select(Attachment).where(Attachment.entity == entity, Attachment.entity_id.in_(ids))
        for attachment in session.scalars(stmt.order_by(Attachment.id)):
            found[attachment.entity_id].append(attachment)
    return found


def open_for(session: Session, actor, attachment_id: int) -> tuple[Attachment, Path]:
    """The attachment and its file, if ACTOR may read the item it belongs to."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(_l("Not found."))
    _owner(session, actor, attachment.entity, attachment.entity_id, f"{attachment.entity}.read")
    path = folder() / attachment.stored_name
    if not path.is_file():
        raise NotFound(_l("The file is missing from the archive."))
    return attachment, path
