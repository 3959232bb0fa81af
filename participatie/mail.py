"""Sending e-mail: SMTP in production and tests, `.eml` files in instance/outbox in development.

Templates live in templates/emails/NAME.txt (and optionally NAME.html); they are rendered in the
recipient's language. Addresses are never logged.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_app_context, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import clock

logger = logging.getLogger(__name__)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for e-mails, built on PUBLIC_BASE_URL (also outside a request)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: dict[str, str] | None = None


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="participatie.local")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for attachment in attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
            params=attachment.params or {},
        )
    return message


def send_template(
    to: str,
    template: str,
    locale: str = "nl",
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> None:
    """Render templates/emails/<template>.txt (first line `Subject: ...`) and send it."""
    with force_locale(locale):
        rendered = render_template(f"emails/{template}.txt", **context)
    first_line, _, body = rendered.lstrip().partition("\n")
    if not first_line.startswith("Subject:"):
        raise ValueError(f"e-mail template {template} must start with 'Subject:'")
    subject = first_line[len("Subject:") :].strip()
    send(build_message(to, subject, body.lstrip("\n"), attachments=attachments), template)


def send(message: EmailMessage, kind: str = "message") -> None:
    """Send after the current database transaction commits, or now when there is none.

    Mail about work that is rolled back never goes out, and no row lock is held while an SMTP
    server answers.
    """
    if has_app_context():
        from .db import db

        session = db.session()
        if session.in_transaction():
            session.info.setdefault(_QUEUE, []).append((message, kind))
            return
    deliver(message, kind)


_QUEUE = "participatie_mail_queue"


@event.listens_for(Session, "after_commit")
def _deliver_queued(session: Session) -> None:
    for message, kind in session.info.pop(_QUEUE, []):
        try:
            deliver(message, kind)
        except Exception:
            # The data is committed; a lost mail is logged (without address) for follow-up.
            logger.exception("mail delivery failed kind=%s", kind)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(_QUEUE, None)


def deliver(message: EmailMessage, kind: str = "message") -> None:
    """Deliver one message through the configured backend now. SMTP errors propagate."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config["MAIL_USE_STARTTLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    elif config["MAIL_BACKEND"] == "file":
        outbox = Path(config["OUTBOX_PATH"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{clock.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
        (outbox / name).write_bytes(bytes(message))
    else:
        raise ValueError(f"unknown MAIL_BACKEND {config['MAIL_BACKEND']!r}")
    logger.info("mail sent kind=%s backend=%s", kind, config["MAIL_BACKEND"])
