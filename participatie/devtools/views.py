"""Development outbox: read the e-mails the app wrote to instance/outbox (staff only)."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from ..auth.access import staff_required

bp = Blueprint("devtools", __name__, url_prefix="/medewerkers/outbox")

_NAME = re.compile(r"^[0-9A-Za-z-]+\.eml$")


def _outbox() -> Path:
    if current_app.config["MAIL_BACKEND"] != "file":
        abort(404)
    return Path(current_app.config["OUTBOX_PATH"])


def _parse(path: Path) -> dict[str, object]:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    attachments = [part.get_filename() for part in message.iter_attachments()]
    return {
        "name": path.name,
        "to": message["To"],
        "subject": message["Subject"],
        "date": message["Date"],
        "body": body.get_content() if body else "",
        "attachments": attachments,
    }


@bp.get("/")
@staff_required
def outbox() -> str:
    folder = _outbox()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.exists() else []
    return render_template("devtools/outbox.html", messages=[_parse(path) for path in files])


@bp.get("/<name>")
@staff_required
def message(name: str) -> str:
    if not _NAME.match(name):
        abort(404)
    path = _outbox() / name
    if not path.is_file():
        abort(404)
    return render_template("devtools/message.html", message=_parse(path))
