"""Mail: messages are queued in the database with the change that causes them, then delivered by SMTP
(RISKFLOW_SMTP_URL) or into the outbox folder. A failed send stays queued and is retried later."""
from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import Integer, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import sending
from .db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)


class MailMessage(Base):
    """One message to one recipient, kept until it is delivered."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    transport: Mapped[str | None] = mapped_column(String(10))
    # Who is sending it now ('sending'), and since when: a claim older than the lease was left by a dead process.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def queue(session: Session, recipient: str, subject: str, body: str, attachments=(), dedupe_key: str | None = None
          ) -> MailMessage | None:
    """Queue a message; with DEDUPE_KEY, a message already queued under it is not queued again."""
    if dedupe_key and session.scalar(select(MailMessage.id).where(MailMessage.dedupe_key == dedupe_key)):
        return None
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = recipient
    # A header is one line: a subject made of what people typed (a returned sheet's reason) keeps its words,
    # never its line breaks (refused by the email package, or a header of its own).
    subject = " ".join(str(subject).split())
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="riskflow")
    message.set_content(body)
    for filename, data, mimetype in attachments:
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    # SMTP wants CRLF line ends, and smtplib leaves bytes as they are.
    raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    row = MailMessage(dedupe_key=dedupe_key, recipient=recipient, subject=subject[:300], raw=raw)
    session.add(row)
    session.flush()
    return row


def _smtp_send(url: str, row: MailMessage) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=30, context=context)
    elif parts.scheme == "smtp":
        client = smtplib.SMTP(host, port or 25, timeout=30)
    else:
        raise ValueError(f"RISKFLOW_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme}://")
    with client:
        client.ehlo()
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.sendmail(current_app.config["MAIL_FROM"], [row.recipient], row.raw)


def _outbox_write(row: MailMessage) -> Path:
    folder = Path(current_app.config["HOME"]) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{row.id:06d}.eml"
    tmp = path.with_suffix(".eml.part")
    tmp.write_bytes(row.raw)
    tmp.replace(path)
    return path


def deliver_pending(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """Deliver every queued message that is due, by SMTP (RISKFLOW_SMTP_URL) or into the outbox folder; returns
    (delivered, failed). Each message is claimed before it is sent (riskflow.sending), so however many
    processes deliver at once, one of them sends it; a failed one is retried with backoff."""
    url = current_app.config.get("SMTP_URL")

    def send(row: MailMessage) -> None:
        if url:
            _smtp_send(url, row)
            row.transport = "smtp"
        else:
            _outbox_write(row)
            row.transport = "outbox"

    return sending.send_due(session, MailMessage, send, (OSError, smtplib.SMTPException, ValueError), now=now,
                            log=log, what="mail")
